/* wc-ctl-validate.c: `whitecellctl validate [--json] FILE...`. */
#define G_LOG_DOMAIN "whitecellctl"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "wc-ctl.h"
#include "wc-scenario-loader.h"

static JsonNode *
summary_to_json (WcScenario *scenario)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *duration = wc_time_format (wc_scenario_get_duration_ms (scenario), TRUE);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, wc_scenario_get_id (scenario));
  json_builder_set_member_name (b, "teams");
  json_builder_add_int_value (b, wc_scenario_get_n_teams (scenario));
  json_builder_set_member_name (b, "actors");
  json_builder_add_int_value (b, wc_scenario_get_n_actors (scenario));
  json_builder_set_member_name (b, "injects");
  json_builder_add_int_value (b, wc_scenario_get_n_injects (scenario));
  json_builder_set_member_name (b, "duration");
  json_builder_add_string_value (b, duration);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, wc_scenario_get_sha256 (scenario));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
wc_ctl_validate (int    argc,
                 char **argv)
{
  gboolean as_json = FALSE;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the findings as JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE… — check scenario files"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) out = json_builder_new ();
  gboolean all_valid = TRUE;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Checks each scenario and reports every problem at once, as "
                                  "FILE:LINE:COLUMN: error: MESSAGE.\nExit status: 0 when all "
                                  "are valid, 1 when any is not, 2 on misuse."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return wc_ctl_usage_error ("%s", error->message);
  if (files == NULL || files[0] == NULL)
    return wc_ctl_usage_error (_("validate needs at least one scenario file"));

  json_builder_begin_array (out);
  for (guint i = 0; files[i]; i++)
    {
      g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (files[i]);
      g_autoptr(WcScenario) scenario = NULL;
      g_autoptr(GError) load_error = NULL;

      scenario = wc_scenario_load (files[i], diag, &load_error);
      if (scenario == NULL)
        all_valid = FALSE;
      if (as_json)
        {
          json_builder_begin_object (out);
          json_builder_set_member_name (out, "file");
          json_builder_add_string_value (out, files[i]);
          json_builder_set_member_name (out, "valid");
          json_builder_add_boolean_value (out, scenario != NULL);
          json_builder_set_member_name (out, "findings");
          json_builder_add_value (out, wc_diagnostics_to_json (diag));
          if (scenario)
            {
              json_builder_set_member_name (out, "summary");
              json_builder_add_value (out, summary_to_json (scenario));
            }
          json_builder_end_object (out);
          continue;
        }
      for (guint k = 0; k < wc_diagnostics_get_n_items (diag); k++)
        {
          g_autofree char *line = wc_diagnostic_format (wc_diagnostics_get_item (diag, k));

          g_printerr ("%s\n", line);
        }
      if (scenario)
        {
          g_autofree char *counts = wc_ctl_describe_scenario (scenario, FALSE);
          guint warnings = wc_diagnostics_count (diag, WC_SEVERITY_WARNING);

          /* Translators: e.g. "hospital.json: valid: 7 teams, 32 injects, duration T+04:00" */
          printf (_("%s: valid: %s"), files[i], counts);
          if (warnings > 0)
            printf (g_dngettext (GETTEXT_PACKAGE, " (%u warning)", " (%u warnings)", warnings),
                    warnings);
          printf ("\n");
        }
      else if (g_error_matches (load_error, WC_SCENARIO_ERROR, WC_SCENARIO_ERROR_INVALID))
        g_printerr ("%s\n", load_error->message);
    }
  json_builder_end_array (out);

  if (as_json)
    {
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = json_builder_get_root (out);
      g_autofree char *text = NULL;

      json_generator_set_pretty (gen, TRUE);
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
    }
  return all_valid ? WC_CTL_EXIT_OK : WC_CTL_EXIT_FAILED;
}
