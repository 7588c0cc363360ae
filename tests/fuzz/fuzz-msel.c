/* fuzz-msel.c: a spreadsheet from a planner: the CSV reader, then the MSEL import from a file (as
 * whitecellctl and the app read it), then the scenario it makes, exported back to a sheet. */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "wc-csv.h"
#include "wc-msel.h"
#include "wc-scenario-loader.h"

static void
check_csv (const uint8_t *data,
           size_t         size)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("fuzz.csv");
  g_autoptr(WcCsvTable) table = wc_csv_parse ((const char *) data, size, diag);

  if (table == NULL)
    {
      g_assert_true (wc_diagnostics_has_errors (diag));
      return;
    }
  g_assert_cmpuint (table->rows->len, <=, WC_CSV_MAX_ROWS);
  for (guint i = 0; i < table->rows->len; i++)
    {
      const WcCsvRow *row = table->rows->pdata[i];
      g_autoptr(GString) out = g_string_new (NULL);

      g_assert_cmpuint (row->cells->len, <=, WC_CSV_MAX_COLUMNS);
      for (guint j = 0; j < row->cells->len; j++)
        {
          const char *cell = row->cells->pdata[j];

          g_assert_true (g_utf8_validate (cell, -1, NULL));
          g_assert_cmpuint (strlen (cell), <=, WC_CSV_MAX_CELL_BYTES);
        }
      /* what was read can be written again */
      wc_csv_append_row (out, table->separator, (const char *const *) row->cells->pdata,
                         row->cells->len);
      g_assert_true (g_str_has_suffix (out->str, "\r\n"));
    }
}

static void
check_msel (const uint8_t *data,
            size_t         size)
{
  g_autofree char *path = fuzz_write_file ("fuzz-msel.csv", data, size);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("fuzz-msel.csv");
  g_autoptr(WcDiagnostics) load_diag = wc_diagnostics_new ("imported.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) doc = NULL;
  g_autoptr(WcScenario) scenario = NULL;
  g_autoptr(GString) sheet = g_string_new (NULL);
  g_autofree char *json = NULL;
  WcMselImportOptions options = { 0 };
  WcMselMapping mapping = { 0 };

  doc = wc_msel_import (path, &options, diag, &mapping, &error);
  wc_msel_mapping_clear (&mapping);
  g_assert_true ((doc == NULL) == (error != NULL));
  if (doc == NULL)
    return;
  /* the import says the loader checked the document: so it must load */
  json = json_to_string (doc, FALSE);
  scenario = wc_scenario_load_data (json, strlen (json), NULL, load_diag, &error);
  if (scenario == NULL)
    g_error ("An imported MSEL does not load: %s", error->message);
  wc_msel_export (scenario, ',', TRUE, sheet);
  g_assert_true (g_utf8_validate (sheet->str, sheet->len, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_init ();
  check_csv (data, size);
  check_msel (data, size);
  return 0;
}
