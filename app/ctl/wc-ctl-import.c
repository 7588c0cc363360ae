/* wc-ctl-import.c: `whitecellctl import` (any planners' format into a scenario, with its mapping
 * report) and `whitecellctl export` (a scenario into CSV, XLSX, ODS or MISP CEXF that imports
 * back). */
#define G_LOG_DOMAIN "whitecellctl"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "wc-cexf.h"
#include "wc-ctl.h"
#include "wc-import.h"
#include "wc-scenario-loader.h"

int
wc_ctl_import (int    argc,
               char **argv)
{
  g_autofree char *output = NULL, *sheet = NULL, *team = NULL, *start = NULL, *columns = NULL;
  gboolean explain = FALSE;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the scenario to FILE (- for standard output)"), N_("FILE") },
    { "explain", 0, 0, G_OPTION_ARG_NONE, &explain, N_("Print the mapping report: what each column or field became"), NULL },
    { "sheet", 0, 0, G_OPTION_ARG_STRING, &sheet, N_("The workbook's sheet to read (default: the first)"), N_("NAME") },
    { "team", 0, 0, G_OPTION_ARG_STRING, &team, N_("The one team when the sheet names none (default: Players)"), N_("NAME") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, N_("The exercise's start, for sheets timed by clock (default: the first inject)"), N_("HH:MM") },
    { "columns", 0, 0, G_OPTION_ARG_STRING, &columns,
      N_("Name the columns of a sheet without a header row, by letter or number from 1: "
         "B=title,C=time,D=to (every row is then an inject)"), N_("COL=FIELD,…") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE [-o SCENARIO.json] — import a sheet or another tool's scenario"));
  g_autoptr(GError) error = NULL;
  g_autoptr(WcImportReport) report = NULL;
  g_autoptr(WcScenario) scenario = NULL;
  WcImportOptions options = { 0 };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Reads CSV, XLSX, ODS, OpenBAS/OpenAEV, T3SF or MISP CEXF (the format "
                                  "is guessed from the content) and writes a version-1 scenario.\n"
                                  "A sheet without a header row is read with --columns, its "
                                  "columns named by field: id, time, day, to, from, channel, title, body, "
                                  "expected actions, notes, attachments… (\"B=channel,C=time,D=to,"
                                  "E=title,F=body\"); the others are kept verbatim.\n"
                                  "Exit status: 0 when it imports, 1 when it cannot, 2 on misuse."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return wc_ctl_usage_error ("%s", error->message);
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    return wc_ctl_usage_error (_("import needs exactly one file"));

  options.sheet = sheet;
  options.team = team;
  options.start = start;
  options.columns = columns;
  report = wc_import_report_new (files[0], NULL);
  scenario = wc_import_file (files[0], &options, report, &error);
  if (explain)
    {
      g_autofree char *text = wc_import_report_to_text (report);

      /* the report is the answer asked for when there is no output: stdout; else stderr */
      if (output == NULL)
        g_print ("%s", text);
      else
        g_printerr ("%s", text);
    }
  if (scenario == NULL)
    {
      g_printerr ("%s\n", error->message);
      return WC_CTL_EXIT_FAILED;
    }
  if (g_strcmp0 (output, "-") == 0)
    {
      g_autoptr(JsonNode) node = wc_import_scenario_to_json (scenario);
      g_autofree char *json = json_to_string (node, TRUE);

      if (puts (json) < 0 || fflush (stdout) != 0)
        {
          g_printerr (_("could not write to standard output\n"));
          return WC_CTL_EXIT_FAILED;
        }
    }
  /* the attachments come out of the importer's folder (a .zip's documents, CEXF payloads) */
  else if (output != NULL && !wc_import_write_scenario (scenario, output, &error))
    {
      g_printerr ("%s: %s\n", output, error->message);
      return WC_CTL_EXIT_FAILED;
    }
  {
    g_autofree char *counts = wc_ctl_describe_scenario (scenario, TRUE);

    /* Translators: "msel.xlsx (XLSX): 1 team, 12 injects, duration T+02:00" */
    g_printerr (_("%s (%s): %s\n"), files[0], wc_import_report_get_format (report), counts);
  }
  return WC_CTL_EXIT_OK;
}

int
wc_ctl_export (int    argc,
               char **argv)
{
  g_autofree char *output = NULL, *format_name = NULL;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE: .csv, .xlsx, .ods, or .json with --format cexf"), N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, N_("csv, xlsx, ods or cexf (default: by FILE's extension)"), N_("FORMAT") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("SCENARIO -o SHEET.xlsx — write a scenario as a spreadsheet or as CEXF"));
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) scenario = NULL;
  WcImportFormat format;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Writes a sheet that a spreadsheet opens and that `whitecellctl import` "
                                  "reads back to the same scenario, attachments copied beside it; "
                                  "or, with --format cexf (or -o FILE.json), a MISP Common Exercise "
                                  "Format exercise that MISP's exercise tools and `import` read.\n"
                                  "Exit status: 0 on success, 1 when it fails, 2 on misuse."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return wc_ctl_usage_error ("%s", error->message);
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    return wc_ctl_usage_error (_("export needs exactly one scenario"));
  if (output == NULL)
    return wc_ctl_usage_error (_("export needs -o SHEET.csv, SHEET.xlsx, SHEET.ods or EXERCISE.json"));
  /* a .json written by export can only be CEXF: Whitecell's own scenario is the input */
  if (format_name == NULL)
    format = g_str_has_suffix (output, ".json") ? WC_IMPORT_CEXF : wc_export_format_for_path (output);
  else if (g_ascii_strcasecmp (format_name, "cexf") == 0)
    format = WC_IMPORT_CEXF;
  else
    {
      g_autofree char *as_name = g_strconcat ("x.", format_name, NULL);

      format = wc_export_format_for_path (as_name);
    }
  if (format == WC_IMPORT_UNKNOWN)
    return wc_ctl_usage_error (_("export writes csv, xlsx, ods or cexf: name the format with --format "
                                 "or by -o FILE's extension"));
  scenario = wc_import_file (files[0], NULL, NULL, &error);
  if (scenario == NULL ||
      !(format == WC_IMPORT_CEXF ? wc_export_cexf (scenario, output, &error)
                                 : wc_export_sheet (scenario, output, format, &error)))
    {
      g_printerr ("%s\n", error->message);
      return WC_CTL_EXIT_FAILED;
    }
  return WC_CTL_EXIT_OK;
}
