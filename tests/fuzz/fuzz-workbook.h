/* fuzz-workbook.h: what the XLSX and ODS harnesses share: the fuzzed bytes put into a workbook as
 * its sheet's XML (a fuzzed ZIP would rarely get past the container to the XML readers), or taken
 * as the whole file when they already are a ZIP; then the tolerant import and an export back. */
#pragma once

#include <gsf/gsf.h>
#include <string.h>

#include "fuzz-common.h"
#include "wc-import.h"
#include "wc-import-private.h"

static void
fuzz_put_member (GsfOutfile *zip,
                 const char *name,
                 const void *data,
                 size_t      size)
{
  g_autoptr(GsfOutput) out = gsf_outfile_new_child (zip, name, FALSE);

  gsf_output_write (out, size, data);
  gsf_output_close (out);
}

/* @members: name, content pairs, NULL-terminated; the one whose content is NULL gets @data. */
static void
fuzz_workbook (const char          *file,
               WcImportFormat       format,
               const char *const   *members,
               const uint8_t       *data,
               size_t               size)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcImportReport) report = NULL;
  g_autoptr(WcScenario) scenario = NULL;

  if (size >= 4 && memcmp (data, "PK\003\004", 4) == 0)
    path = fuzz_write_file (file, data, size);
  else
    {
      g_autoptr(GsfOutput) sink = NULL;
      g_autoptr(GsfOutfile) zip = NULL;

      path = fuzz_write_file (file, (const uint8_t *) "", 0);
      sink = gsf_output_stdio_new (path, NULL);
      zip = gsf_outfile_zip_new (sink, NULL);
      for (guint i = 0; members[i]; i += 2)
        fuzz_put_member (zip, members[i], members[i + 1] ? members[i + 1] : (const char *) data,
                         members[i + 1] ? strlen (members[i + 1]) : size);
      gsf_output_close (GSF_OUTPUT (zip));
      gsf_output_close (sink);
    }
  /* the reader alone, bounded */
  {
    g_autoptr(WcCsvTable) table = wc_workbook_read (path, format, NULL, NULL, &error);

    g_assert_true ((table == NULL) == (error != NULL));
    for (guint r = 0; table && r < table->rows->len; r++)
      {
        const WcCsvRow *row = table->rows->pdata[r];

        g_assert_cmpuint (row->cells->len, <=, WC_IMPORT_MAX_COLUMNS);
        for (guint c = 0; c < row->cells->len; c++)
          g_assert_true (g_utf8_validate (row->cells->pdata[c], -1, NULL));
      }
    g_assert_true (table == NULL || table->rows->len <= WC_IMPORT_MAX_ROWS);
    g_clear_error (&error);
  }
  /* the whole import: a scenario, or one error */
  report = wc_import_report_new (path, NULL);
  scenario = wc_import_file (path, NULL, report, &error);
  g_assert_true ((scenario == NULL) == (error != NULL));
  if (scenario != NULL)
    {
      g_autofree char *out = g_build_filename (fuzz_get_dir (), format == WC_IMPORT_ODS ? "back.ods" : "back.xlsx", NULL);

      g_assert_true (wc_export_sheet (scenario, out, format, &error));
    }
}
