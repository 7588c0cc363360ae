/* fuzz-formats.c: other tools' scenario exports (OpenBAS / OpenAEV JSON, MISP CEXF, T3SF), read
 * as whitecellctl import reads them; what they make must load again and export to CEXF. */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "wc-cexf.h"
#include "wc-import.h"
#include "wc-scenario-loader.h"

typedef WcScenario *(*ImportFunc) (const char *, WcImportReport *, GError **);

static void
check (ImportFunc     import,
       const char    *name,
       const uint8_t *data,
       size_t         size)
{
  g_autofree char *path = fuzz_write_file (name, data, size);
  g_autoptr(WcImportReport) report = wc_import_report_new (path, name);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) scenario = import (path, report, &error);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("again.json");
  g_autoptr(WcScenario) again = NULL;
  g_autoptr(JsonNode) cexf = NULL;
  g_autofree char *json = NULL;
  gsize length;

  g_assert_true ((scenario == NULL) == (error != NULL));
  if (scenario == NULL)
    {
      g_assert_true (error->domain == WC_IMPORT_ERROR);
      return;
    }
  /* an import says the loader accepted it: written out, it must load again */
  json = wc_scenario_to_data (scenario, &length);
  again = wc_scenario_load_data (json, length, NULL, diag, &error);
  if (again == NULL)
    g_error ("An imported %s does not load again: %s", name, error->message);
  cexf = wc_export_cexf_to_json (scenario);
  g_assert_nonnull (cexf);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_init ();
  check (wc_import_openbas, "fuzz-openbas.json", data, size);
  check (wc_import_cexf, "fuzz-cexf.json", data, size);
  check (wc_import_t3sf, "fuzz-t3sf.json", data, size);
  return 0;
}
