/* wc-ctl-msel.c: `whitecellctl msel import|export`, MSEL spreadsheets in and out. */
#define G_LOG_DOMAIN "whitecellctl"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "wc-ctl.h"
#include "wc-msel.h"
#include "wc-scenario-loader.h"

static void
print_findings (WcDiagnostics *diag)
{
  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      g_autofree char *line = wc_diagnostic_format (wc_diagnostics_get_item (diag, i));

      g_printerr ("%s\n", line);
    }
}

static gboolean
write_output (const char  *path,
              const char  *data,
              gsize        length,
              GError     **error)
{
  if (g_strcmp0 (path, "-") == 0)
    {
      if (fwrite (data, 1, length, stdout) != length || fflush (stdout) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("could not write to standard output"));
          return FALSE;
        }
      return TRUE;
    }
  return g_file_set_contents (path, data, length, error);
}

/* The attachments, found beside @from (the scenario, or the sheet), copied beside @to, so that
 * an exercise moved through a sheet to another folder still has them. */
static gboolean
copy_attachments (WcScenario  *scenario,
                  const char  *from,
                  const char  *to,
                  GError     **error)
{
  g_autofree char *from_dir = g_path_get_dirname (from);
  g_autofree char *to_dir = g_path_get_dirname (to);

  if (g_strcmp0 (to, "-") == 0)
    return TRUE;
  return wc_msel_copy_attachments (scenario, from_dir, to_dir, error);
}

static int
msel_import (int    argc,
             char **argv)
{
  WcMselImportOptions options = { 0 };
  g_autofree char *output = NULL, *id = NULL, *title = NULL, *languages = NULL;
  g_autofree char *duration = NULL, *tlp = NULL;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the scenario to FILE (- for standard output)"), N_("FILE") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, N_("The exercise's id (default: from the sheet's name)"), N_("ID") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The exercise's title"), N_("TITLE") },
    { "languages", 'l', 0, G_OPTION_ARG_STRING, &languages, N_("Languages, the plain columns' first (default: en)"), N_("en,nl,fr") },
    { "duration", 0, 0, G_OPTION_ARG_STRING, &duration, N_("Planned duration (default: the last inject, rounded up, and 30 minutes)"), N_("T+HH:MM") },
    { "tlp", 0, 0, G_OPTION_ARG_STRING, &tlp, N_("The exercise's TLP marking (default: AMBER)"), N_("TLP") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("CSV -o SCENARIO.json — read an MSEL spreadsheet"));
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(WcScenario) scenario = NULL;
  g_autofree char *data = NULL;
  WcMselMapping mapping = { 0 };
  gsize length;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Reads a CSV sheet (comma or semicolon, UTF-8 or Windows-1252) and "
                                  "writes a version-1 scenario.\nExit status: 0 when the sheet reads "
                                  "well, 1 when it has errors, 2 on misuse."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return wc_ctl_usage_error ("%s", error->message);
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    return wc_ctl_usage_error (_("msel import needs exactly one CSV file"));
  if (output == NULL)
    return wc_ctl_usage_error (_("msel import needs -o SCENARIO.json"));

  options.exercise_id = id;
  options.title = title;
  options.languages = languages;
  options.duration = duration;
  options.tlp = tlp;
  diag = wc_diagnostics_new (files[0]);
  document = wc_msel_import (files[0], &options, diag, &mapping, &error);
  print_findings (diag);
  if (mapping.mapped && mapping.mapped->len > 0)
    {
      g_printerr (_("%s: columns read:\n"), files[0]);
      for (guint i = 0; i < mapping.mapped->len; i++)
        g_printerr ("  %s\n", (char *) g_ptr_array_index (mapping.mapped, i));
    }
  if (mapping.ignored && mapping.ignored->len > 0)
    {
      g_printerr (_("%s: columns ignored:\n"), files[0]);
      for (guint i = 0; i < mapping.ignored->len; i++)
        g_printerr ("  %s\n", (char *) g_ptr_array_index (mapping.ignored, i));
    }
  wc_msel_mapping_clear (&mapping);
  if (document == NULL)
    {
      g_printerr ("%s\n", error->message);
      return WC_CTL_EXIT_FAILED;
    }
  {
    g_autofree char *json = json_to_string (document, TRUE);

    data = g_strconcat (json, "\n", NULL);
    length = strlen (data);
  }
  {
    g_autoptr(WcDiagnostics) check = wc_diagnostics_new (output);

    scenario = wc_scenario_load_data (data, length, NULL, check, NULL);
  }
  if (!write_output (output, data, length, &error) ||
      (scenario && !copy_attachments (scenario, files[0], output, &error)))
    {
      g_printerr ("%s: %s\n", output, error->message);
      return WC_CTL_EXIT_FAILED;
    }
  if (scenario)
    {
      g_autofree char *counts = wc_ctl_describe_scenario (scenario, TRUE);

      /* Translators: "MSEL.json: 7 teams, 3 actors, 32 injects, duration T+04:00" */
      g_printerr (_("%s: %s\n"), output, counts);
    }
  return WC_CTL_EXIT_OK;
}

static int
msel_export (int    argc,
             char **argv)
{
  g_autofree char *output = NULL, *separator = NULL;
  gboolean bom = FALSE;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the sheet to FILE (- for standard output)"), N_("FILE") },
    { "separator", 's', 0, G_OPTION_ARG_STRING, &separator, N_("Cell separator: , ; or tab (default: ,)"), N_("SEP") },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom, N_("Start with a byte-order mark, for spreadsheets that need one"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("SCENARIO.json -o MSEL.csv — write a scenario as a spreadsheet"));
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcScenario) scenario = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  char sep = ',';

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Writes one row per inject, with a column per language for the "
                                  "texts.\nExit status: 0 on success, 1 when the scenario is not "
                                  "valid, 2 on misuse."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return wc_ctl_usage_error ("%s", error->message);
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    return wc_ctl_usage_error (_("msel export needs exactly one scenario file"));
  if (output == NULL)
    return wc_ctl_usage_error (_("msel export needs -o MSEL.csv"));
  if (separator)
    {
      if (g_strcmp0 (separator, ",") == 0 || g_strcmp0 (separator, "comma") == 0)
        sep = ',';
      else if (g_strcmp0 (separator, ";") == 0 || g_strcmp0 (separator, "semicolon") == 0)
        sep = ';';
      else if (g_strcmp0 (separator, "\t") == 0 || g_strcmp0 (separator, "tab") == 0)
        sep = '\t';
      else
        return wc_ctl_usage_error (_("the separator must be “,”, “;” or “tab”, not “%s”"), separator);
    }

  diag = wc_diagnostics_new (files[0]);
  scenario = wc_scenario_load (files[0], diag, &error);
  print_findings (diag);
  if (scenario == NULL)
    {
      g_printerr ("%s\n", error->message);
      return WC_CTL_EXIT_FAILED;
    }
  wc_msel_export (scenario, sep, bom, out);
  if (!write_output (output, out->str, out->len, &error) ||
      !copy_attachments (scenario, files[0], output, &error))
    {
      g_printerr ("%s: %s\n", output, error->message);
      return WC_CTL_EXIT_FAILED;
    }
  return WC_CTL_EXIT_OK;
}

int
wc_ctl_msel (int    argc,
             char **argv)
{
  if (argc < 2)
    return wc_ctl_usage_error (_("msel needs “import” or “export”; see whitecellctl msel import --help"));
  if (g_strcmp0 (argv[1], "import") == 0)
    return msel_import (argc - 1, argv + 1);
  if (g_strcmp0 (argv[1], "export") == 0)
    return msel_export (argc - 1, argv + 1);
  return wc_ctl_usage_error (_("“%s” is not an msel command: use “import” or “export”"), argv[1]);
}
