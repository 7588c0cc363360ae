/* wc-import-private.h: what the import's files share: workbooks read into and written from the
 * CSV reader's table, the tolerant sheet import, and the few helpers they have in common. */
#pragma once

#include <gsf/gsf.h>

#include "wc-csv.h"
#include "wc-import.h"

G_BEGIN_DECLS

/* libgsf 1.14.50 (Debian 12) declares no autoptr cleanups of its own */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsfInput, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsfInfile, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsfOutput, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsfOutfile, g_object_unref)

/* wc-import.c */
WcImportFormat  wc_import_json_shape        (JsonNode              *root);
/* The errors (and warnings) of @diag, one a line, for an error's message. */
char           *wc_import_diagnostics_text  (WcDiagnostics         *diag);

/* wc-import-workbook-read.c: a WcCsvRow's free function */
void            wc_import_row_free          (gpointer               data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcCsvRow, wc_import_row_free)

/* wc-import-workbook-read.c: the first sheet of a workbook, or the one named @sheet (nullable), as
 * table of text cells (merged cells repeated into every cell they cover, dates and times as the
 * spreadsheet shows them); the names of its sheets in *@sheets (nullable). Bounded: see
 * WC_IMPORT_MAX_*. */
WcCsvTable     *wc_workbook_read            (const char            *path,
                                             WcImportFormat         format,
                                             const char            *sheet,
                                             GPtrArray            **sheets,
                                             GError               **error);
WcCsvTable     *wc_workbook_read_input      (GsfInput              *input,
                                             const char            *name,
                                             WcImportFormat         format,
                                             const char            *sheet,
                                             GPtrArray            **sheets,
                                             GError               **error);

/* wc-import-workbook-write.c: named sheets of text cells (WcCsvTable, the header first) into an XLSX or
 * an ODS file; a cell that a spreadsheet would take for a formula is written as text all the same
 * (never as a formula) and with a quote mark in front as in CSV. */
typedef struct {
  const char *name;
  WcCsvTable *table;
} WcWorkbookSheet;

gboolean        wc_workbook_write           (const char            *path,
                                             WcImportFormat         format,
                                             const WcWorkbookSheet *sheets,
                                             guint                  n_sheets,
                                             GError               **error);

/* wc-import-sheet.c: a CSV, XLSX or ODS MSEL, tolerantly. */
WcScenario     *wc_import_sheet             (const char            *path,
                                             WcImportFormat         format,
                                             const WcImportOptions *options,
                                             WcImportReport        *report,
                                             GError               **error);

G_END_DECLS
