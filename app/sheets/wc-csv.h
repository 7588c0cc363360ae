/* wc-csv.h: CSV as spreadsheets save it (RFC 4180 quoting, embedded newlines, BOM, CRLF, ',' or
 * ';' or TAB), read with every problem placed by line; and written back the same way. */
#pragma once

#include "wc-diagnostics.h"

G_BEGIN_DECLS

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

/* Parses @data; problems go to @diagnostics (a stray quote is a warning, an unterminated quoted
 * field an error). Returns NULL only when nothing can be read. */
WcCsvTable *wc_csv_parse       (const char     *data,
                                gsize           length,
                                WcDiagnostics  *diagnostics);
void        wc_csv_table_free  (WcCsvTable     *table);
/* Appends one record, quoting a cell only when it must be, and CRLF. */
void        wc_csv_append_row  (GString            *out,
                                char                separator,
                                const char *const  *cells,
                                guint               n_cells);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcCsvTable, wc_csv_table_free)

G_END_DECLS
