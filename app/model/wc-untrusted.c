/* wc-untrusted.c: files read with a hard bound, files kept inside a folder, cells and characters
 * that must not reach a reader as they are. */
#define G_LOG_DOMAIN "wc-untrusted"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wc-untrusted.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif
#ifndef O_NOCTTY
#define O_NOCTTY 0
#endif
#ifndef O_NONBLOCK
#define O_NONBLOCK 0
#endif

#define MIB(n) ((guint64) (n) / (1024 * 1024))

G_DEFINE_QUARK (wc-untrusted-error-quark, wc_untrusted_error)

/* Files ---------------------------------------------------------------------------------------- */

static void
set_errno_error (GError     **error,
                 int          saved,
                 gboolean     reading,
                 const char  *display)
{
  int code = saved == ENOENT || saved == ENOTDIR ? WC_UNTRUSTED_ERROR_NOT_FOUND
                                                 : WC_UNTRUSTED_ERROR_IO;

  if (reading)
    g_set_error (error, WC_UNTRUSTED_ERROR, code, _("cannot read “%s”: %s"), display,
                 g_strerror (saved));
  else
    g_set_error (error, WC_UNTRUSTED_ERROR, code, _("cannot open “%s”: %s"), display,
                 g_strerror (saved));
}

/* After fstat () of the opened file: only a regular file, and not one already over the bound. */
static gboolean
check_opened (const struct stat  *st,
              gsize               max_bytes,
              const char         *display,
              GError            **error)
{
  if (!S_ISREG (st->st_mode))
    {
      /* /dev/zero never ends, a FIFO may never speak, a folder is not a document */
      g_set_error (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_NOT_REGULAR,
                   _("“%s” is not a regular file"), display);
      return FALSE;
    }
  if ((guint64) st->st_size > max_bytes)
    {
      g_set_error (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_TOO_LARGE,
                   _("“%s” is larger than %llu MiB"), display,
                   (unsigned long long) MIB (max_bytes));
      return FALSE;
    }
  return TRUE;
}

/* Reads @fd to its end, and fails one byte past @max_bytes: st_size can lie (a file still
 * growing, /proc). Closes @fd. */
static char *
read_bounded (int          fd,
              gsize        max_bytes,
              const char  *display,
              gsize       *length,
              GError     **error)
{
  g_autoptr(GString) data = g_string_sized_new (MIN (max_bytes + 1, 64 * 1024));

  for (;;)
    {
      gsize want = MIN (64 * 1024, max_bytes + 1 - data->len);
      gsize had = data->len;
      gssize n;

      g_string_set_size (data, had + want);
      n = read (fd, data->str + had, want);
      if (n < 0 && errno == EINTR)
        {
          g_string_set_size (data, had);
          continue;
        }
      if (n < 0)
        {
          set_errno_error (error, errno, TRUE, display);
          g_close (fd, NULL);
          return NULL;
        }
      g_string_set_size (data, had + n);
      if (n == 0)
        break;
      if (data->len > max_bytes)
        {
          g_set_error (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_TOO_LARGE,
                       _("“%s” is larger than %llu MiB"), display,
                       (unsigned long long) MIB (max_bytes));
          g_close (fd, NULL);
          return NULL;
        }
    }
  g_close (fd, NULL);
  if (length)
    *length = data->len;
  return g_string_free (g_steal_pointer (&data), FALSE);
}

char *
wc_untrusted_read_file (const char  *path,
                        gsize        max_bytes,
                        gsize       *length,
                        GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  struct stat st;
  int fd;

  /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer before fstat () can refuse it */
  fd = g_open (path, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0)
    {
      set_errno_error (error, errno, FALSE, display);
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, errno, TRUE, display);
      g_close (fd, NULL);
      return NULL;
    }
  if (!check_opened (&st, max_bytes, display, error))
    {
      g_close (fd, NULL);
      return NULL;
    }
  return read_bounded (fd, max_bytes, display, length, error);
}

int
wc_untrusted_open_in_folder (const char  *folder,
                const char  *relative,
                gsize        max_bytes,
                GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) walked = NULL;
  g_autofree char *real_folder = NULL;
  g_autofree char *real_file = NULL;
  g_autofree char *inside = NULL;
  GStatBuf lst;
  struct stat st;
  gboolean any = FALSE;
  int fd;

  if (g_path_is_absolute (relative))
    {
      g_set_error (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_OUTSIDE,
                   _("“%s” is an absolute path, not one inside the folder"), relative);
      return -1;
    }
  parts = g_strsplit (relative, "/", -1);
  walked = g_string_new (folder);
  for (guint i = 0; parts[i]; i++)
    {
      if (*parts[i] == '\0' || strcmp (parts[i], ".") == 0)
        continue;
      if (strcmp (parts[i], "..") == 0)
        {
          g_set_error (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_OUTSIDE,
                       _("“%s” climbs out of the folder with “..”"), relative);
          return -1;
        }
      g_string_append_c (walked, G_DIR_SEPARATOR);
      g_string_append (walked, parts[i]);
      any = TRUE;
      if (g_lstat (walked->str, &lst) != 0)
        {
          set_errno_error (error, errno, FALSE, relative);
          return -1;
        }
      /* Even a link that stays inside today can be pointed elsewhere tomorrow, or lost when the
       * folder is copied: none is followed. */
      if (S_ISLNK (lst.st_mode) && parts[i + 1] == NULL)
        {
          g_set_error (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_LINK,
                       _("“%s” is a symbolic link"), relative);
          return -1;
        }
      if (S_ISLNK (lst.st_mode))
        {
          g_set_error (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_LINK,
                       _("“%s” goes through the symbolic link “%s”"), relative,
                       walked->str + strlen (folder) + 1);
          return -1;
        }
    }
  if (!any)
    {
      g_set_error (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_NOT_REGULAR,
                   _("“%s” is not a regular file"), relative);
      return -1;
    }
  /* No link and no "..": inside by construction; checked once more on the resolved paths. */
  real_folder = realpath (folder, NULL);
  real_file = realpath (walked->str, NULL);
  if (real_folder == NULL || real_file == NULL)
    {
      set_errno_error (error, errno, FALSE, relative);
      return -1;
    }
  inside = g_str_has_suffix (real_folder, G_DIR_SEPARATOR_S)
             ? g_strdup (real_folder) : g_strconcat (real_folder, G_DIR_SEPARATOR_S, NULL);
  if (!g_str_has_prefix (real_file, inside))
    {
      g_set_error (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_OUTSIDE,
                   _("“%s” resolves to “%s”, outside the folder"), relative, real_file);
      return -1;
    }
  fd = g_open (walked->str, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW, 0);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ELOOP)
        g_set_error (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_LINK,
                     _("“%s” is a symbolic link"), relative);
      else
        set_errno_error (error, saved, FALSE, relative);
      return -1;
    }
  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, errno, TRUE, relative);
      g_close (fd, NULL);
      return -1;
    }
  if (!check_opened (&st, max_bytes, relative, error))
    {
      g_close (fd, NULL);
      return -1;
    }
  /* the file opened must be the one walked to, not one swapped in meanwhile */
  if (st.st_dev != lst.st_dev || st.st_ino != lst.st_ino)
    {
      g_set_error (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_LINK,
                   _("“%s” changed while it was being opened"), relative);
      g_close (fd, NULL);
      return -1;
    }
  return fd;
}

gboolean
wc_untrusted_check_in_folder (const char  *folder,
                              const char  *relative,
                              gsize        max_bytes,
                              GError     **error)
{
  int fd = wc_untrusted_open_in_folder (folder, relative, max_bytes, error);

  if (fd < 0)
    return FALSE;
  g_close (fd, NULL);
  return TRUE;
}

/* Text ----------------------------------------------------------------------------------------- */

gboolean
wc_untrusted_is_formula (const char *cell)
{
  if (cell == NULL)
    return FALSE;
  while (*cell == '\'')
    cell++;
  return *cell != '\0' && strchr ("=+-@\t\r", *cell) != NULL;
}

gboolean
wc_untrusted_is_invisible (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) ||  /* LRE, RLE, PDF, LRO, RLO */
         (c >= 0x2066 && c <= 0x2069) ||  /* LRI, RLI, FSI, PDI */
         c == 0x200E || c == 0x200F ||    /* LRM, RLM */
         c == 0x061C ||                   /* ALM */
         (c >= 0x200B && c <= 0x200D) ||  /* ZWSP, ZWNJ, ZWJ */
         c == 0x2060 || c == 0xFEFF;      /* WJ, BOM as ZWNBSP */
}

char *
wc_untrusted_show_invisible (const char *text)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return g_strdup ("");
  out = g_string_sized_new (strlen (text));
  for (p = text; *p; )
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_unichar (out, 0xFFFD);
          p++;
          continue;
        }
      if (wc_untrusted_is_invisible (c))
        g_string_append_printf (out, "[U+%04" G_GINT32_MODIFIER "X]", (guint32) c);
      else
        g_string_append_unichar (out, c);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}
