/* wc-untrusted.h: input Whitecell does not trust, handled once for every layer: files read with a
 * hard bound, files that must stay inside a folder, spreadsheet cells that would run as formulas,
 * and characters a reader cannot see. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WC_UNTRUSTED_ERROR (wc_untrusted_error_quark ())
GQuark wc_untrusted_error_quark (void);

typedef enum {
  WC_UNTRUSTED_ERROR_IO = 1,
  WC_UNTRUSTED_ERROR_NOT_FOUND,
  WC_UNTRUSTED_ERROR_NOT_REGULAR,  /* a device, FIFO, socket or folder */
  WC_UNTRUSTED_ERROR_TOO_LARGE,    /* over the bound the caller gave */
  WC_UNTRUSTED_ERROR_LINK,         /* a symbolic link, or a path through one */
  WC_UNTRUSTED_ERROR_OUTSIDE,      /* absolute, "..", or resolved outside the folder */
} WcUntrustedError;

/* Reads the regular file at @path, at most @max_bytes of it whatever its size claims: a device, a
 * FIFO or a folder is refused before anything is read (a FIFO without a writer does not block).
 * The data is NUL-terminated; errors name the file. */
char     *wc_untrusted_read_file         (const char  *path,
                                          gsize        max_bytes,
                                          gsize       *length,
                                          GError     **error);

/* Opens @relative inside @folder, walked one component at a time without following any
 * symbolic link (not even one that stays inside: a link is refused), and only if it is a regular
 * file of at most @max_bytes; returns the file descriptor (O_NONBLOCK, O_CLOEXEC), or -1 with
 * @error set. What is opened is what was checked, not a file swapped in meanwhile. */
int       wc_untrusted_open_in_folder    (const char  *folder,
                                          const char  *relative,
                                          gsize        max_bytes,
                                          GError     **error);
/* The same checks, without keeping the file open. */
gboolean  wc_untrusted_check_in_folder   (const char  *folder,
                                          const char  *relative,
                                          gsize        max_bytes,
                                          GError     **error);

/* TRUE when a spreadsheet would take @cell for a formula: it starts with =, +, -, @, TAB or CR
 * (OWASP's list), also behind quote marks (') that neutralise one, so that a text that really
 * starts with "'=" gets one more quote and comes back whole. */
gboolean  wc_untrusted_is_formula        (const char  *cell);

/* Bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) and zero-width characters
 * (U+200B–U+200D, U+2060, U+FEFF): they change what a reader sees without being seen. */
gboolean  wc_untrusted_is_invisible      (gunichar     c);
/* @text with each of those shown as "[U+202E]"; invalid UTF-8 is replaced by U+FFFD. */
char     *wc_untrusted_show_invisible    (const char  *text);

G_END_DECLS
