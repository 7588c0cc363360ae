/* wc-csv.h: CSV as spreadsheets save it (RFC 4180 quoting, embedded newlines, BOM, CRLF, ',' or
 * ';' or TAB), read with every problem placed by line; and written back the same way. */
#pragma once

#include "wc-diagnostics.h"

G_BEGIN_DECLS

/* A sheet is untrusted input: what it may hold. An MSEL of a national exercise has a few hundred
 * rows of a few dozen columns; Excel itself stops a cell at 32,767 characters. */
#define WC_CSV_MAX_BYTES       (16 * 1024 * 1024)
#define WC_CSV_MAX_ROWS        10000
#define WC_CSV_MAX_COLUMNS     256
#define WC_CSV_MAX_CELL_BYTES  (128 * 1024)

#define WC_CSV_ERROR (wc_csv_error_quark ())
GQuark wc_csv_error_quark (void);

typedef enum {
  WC_CSV_ERROR_IO = 1,
  WC_CSV_ERROR_NOT_REGULAR,  /* a device, FIFO, socket or folder */
  WC_CSV_ERROR_TOO_LARGE,    /* over WC_CSV_MAX_BYTES */
} WcCsvError;

typedef struct {
  GPtrArray *cells;  /* char *, UTF-8 */
  guint      line;   /* physical line the record starts on, 1-based */
  guint      number; /* the row's number in a spreadsheet (the header is 1) */
} WcCsvRow;

typedef struct {
  char       separator;
  gboolean   had_bom;
  gboolean   was_converted;  /* not UTF-8: read as Windows-1252 */
  GPtrArray *rows;           /* WcCsvRow, the header first */
} WcCsvTable;

/* Reads the regular file at @path, at most WC_CSV_MAX_BYTES of it, whatever its size claims: a
 * device, a FIFO or a folder is refused before anything is read. The data is NUL-terminated. */
char       *wc_csv_read_file   (const char     *path,
                                gsize          *length,
                                GError        **error);
/* Parses @data; problems go to @diagnostics (a stray quote is a warning, an unterminated quoted
 * field an error, and so is going over a WC_CSV_MAX_* bound; the rest of an over-long cell or
 * row is dropped, and no row is read after the last one allowed). A cell that starts with a
 * quote mark (') put there by wc_csv_append_row loses it. Returns NULL only when nothing can be
 * read. */
WcCsvTable *wc_csv_parse       (const char     *data,
                                gsize           length,
                                WcDiagnostics  *diagnostics);
void        wc_csv_table_free  (WcCsvTable     *table);
/* Appends one record, quoting a cell only when it must be, and CRLF. A cell a spreadsheet would
 * take for a formula (it starts with =, +, -, @, TAB or CR) is written with a quote mark (') in
 * front, as OWASP advises, so that opening the sheet never runs it; wc_csv_parse takes it away. */
void        wc_csv_append_row  (GString            *out,
                                char                separator,
                                const char *const  *cells,
                                guint               n_cells);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcCsvTable, wc_csv_table_free)

G_END_DECLS
