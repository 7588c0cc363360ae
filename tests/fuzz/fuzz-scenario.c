/* fuzz-scenario.c: a scenario file from anyone: the strict JSON reader, the loader and every
 * check. Whatever the bytes, the loader answers with a scenario or with placed findings, and what
 * it accepts, written back, it accepts again. */
#include "config.h"

#include "fuzz-common.h"
#include "wc-scenario-loader.h"

static void
check_findings (WcDiagnostics *diag)
{
  g_autoptr(JsonNode) json = wc_diagnostics_to_json (diag);

  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      const WcDiagnostic *d = wc_diagnostics_get_item (diag, i);
      g_autofree char *line = wc_diagnostic_format (d);

      /* the findings are shown in a GTK label and printed to a terminal */
      g_assert_true (g_utf8_validate (line, -1, NULL));
      g_assert_nonnull (d->message);
    }
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("fuzz.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) scenario = NULL;
  g_autoptr(WcDiagnostics) again_diag = NULL;
  g_autoptr(WcScenario) again = NULL;
  g_autofree char *written = NULL;
  gsize written_length;

  fuzz_init ();
  /* the fixtures' folder, so that attachments are looked for, inside and outside it */
  scenario = wc_scenario_load_data ((const char *) data, size, WC_FUZZ_FIXTURES_DIR, diag, &error);
  check_findings (diag);
  g_assert_true ((scenario == NULL) == wc_diagnostics_has_errors (diag));
  g_assert_true ((scenario == NULL) == (error != NULL));
  if (scenario == NULL)
    return 0;

  written = wc_scenario_to_data (scenario, &written_length);
  again_diag = wc_diagnostics_new ("written.json");
  again = wc_scenario_load_data (written, written_length, WC_FUZZ_FIXTURES_DIR, again_diag, &error);
  if (again == NULL)
    {
      for (guint i = 0; i < wc_diagnostics_get_n_items (again_diag); i++)
        {
          g_autofree char *line = wc_diagnostic_format (wc_diagnostics_get_item (again_diag, i));

          g_printerr ("%s\n", line);
        }
      g_error ("The writer's output of an accepted scenario is refused: %s", error->message);
    }
  g_assert_cmpstr (wc_scenario_get_id (again), ==, wc_scenario_get_id (scenario));
  g_assert_cmpuint (wc_scenario_get_n_injects (again), ==, wc_scenario_get_n_injects (scenario));
  g_assert_cmpuint (wc_scenario_get_n_teams (again), ==, wc_scenario_get_n_teams (scenario));
  return 0;
}
