/* wc-ctl-report.c: `whitecellctl report JOURNAL --format html|md|csv|json -o OUT`: the
 * after-action report / improvement plan, from the journal and its review file. */
#define G_LOG_DOMAIN "whitecellctl"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "wc-ctl.h"
#include "wc-report.h"
#include "wc-tokens.h"
#include "wc-scenario-loader.h"

int
wc_ctl_report (int    argc,
               char **argv)
{
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *scenario_arg = NULL;
  g_autofree char *lang = NULL;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, N_("html, md, csv or json (default html)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to write the report (- for standard output)"), N_("FILE") },
    { "scenario", 's', 0, G_OPTION_ARG_FILENAME, &scenario_arg, N_("The scenario, if not where the journal says"), N_("FILE") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, N_("The report in this language: en, nl or fr (default: the locale's words, the scenario's texts)"), N_("CODE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("JOURNAL — the after-action report"));
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = NULL;
  g_autoptr(WcScenario) scenario = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcMetrics) metrics = NULL;
  g_autoptr(WcReview) review = NULL;
  g_autofree char *scenario_path = NULL;
  g_autofree char *review_path = NULL;
  g_autofree char *note = NULL;
  WcJournalVerifyResult verify;
  g_autofree char *tokens_path = NULL;
  g_autoptr(GBytes) key = NULL;
  WcReportInput input = { 0 };
  WcReportFormat format = WC_REPORT_HTML;
  GString *out;
  gboolean sound;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Measures each team from the journal alone — time to acknowledge and to answer, expected "
      "actions met, late or not met and who judged them, decisions, the staff's observations and "
      "ratings, the teams' feedback — and writes the after-action report and improvement plan, "
      "with the reviewers' items and judgements from JOURNAL.review.json.\nExit "
      "status: 0 written, 1 written but the journal failed verification (the report says so), "
      "or not written, 2 on misuse."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return wc_ctl_usage_error ("%s", error->message);
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    return wc_ctl_usage_error (_("report takes exactly one journal"));
  if (format_name && !wc_report_format_from_string (format_name, &format))
    return wc_ctl_usage_error (_("--format must be html, md, csv or json, not “%s”"), format_name);
  if (output == NULL)
    return wc_ctl_usage_error (_("report needs -o FILE (or -o - for standard output)"));

  /* the seals are checked with the exercise's key when its tokens file is beside the journal */
  tokens_path = wc_tokens_path_for_journal (files[0]);
  if (g_file_test (tokens_path, G_FILE_TEST_EXISTS))
    key = wc_tokens_read_journal_key (tokens_path, NULL);
  journal = wc_journal_load (files[0], &error);
  if (journal == NULL || !wc_journal_verify_file_with_key (files[0], key, &verify, &error))
    {
      g_printerr ("whitecellctl: %s\n", error->message);
      return WC_CTL_EXIT_FAILED;
    }
  scenario_path = scenario_arg ? g_strdup (scenario_arg) : wc_journal_find_scenario (files[0], wc_journal_get_scenario_path (journal));
  if (scenario_path == NULL)
    {
      g_printerr (_("whitecellctl: %s does not say which scenario it played; give --scenario\n"), files[0]);
      wc_journal_verify_result_clear (&verify);
      return WC_CTL_EXIT_FAILED;
    }
  diag = wc_diagnostics_new (scenario_path);
  scenario = wc_scenario_load (scenario_path, diag, &error);
  if (scenario == NULL)
    {
      for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
        {
          g_autofree char *line = wc_diagnostic_format (wc_diagnostics_get_item (diag, i));

          g_printerr ("%s\n", line);
        }
      g_printerr (_("whitecellctl: the scenario %s cannot be read; give the right one with --scenario\n"),
                  scenario_path);
      wc_journal_verify_result_clear (&verify);
      return WC_CTL_EXIT_FAILED;
    }
  if (g_strcmp0 (wc_scenario_get_sha256 (scenario), wc_journal_get_scenario_sha256 (journal)) != 0)
    note = g_strdup_printf (_("The scenario %s has changed since this exercise was played (its SHA-256 "
                              "differs from the journal's): texts may not be those the teams saw."),
                            scenario_path);
  review_path = wc_review_path_for_journal (files[0]);
  review = wc_review_load (review_path, &error);
  if (review == NULL)
    {
      g_printerr ("whitecellctl: %s\n", error->message);
      wc_journal_verify_result_clear (&verify);
      return WC_CTL_EXIT_FAILED;
    }

  metrics = wc_metrics_new (scenario, journal);
  input.metrics = metrics;
  input.verify = &verify;
  input.review = review;
  input.lang = lang;
  input.scenario_note = note;
  out = g_string_new (NULL);
  wc_report_write (&input, format, out);
  sound = verify.verdict == WC_JOURNAL_SOUND;
  if (!sound)
    g_printerr (_("whitecellctl: %s failed verification at line %u: %s (the report says so)\n"),
                files[0], verify.bad_line, verify.message);
  wc_journal_verify_result_clear (&verify);
  if (g_strcmp0 (output, "-") == 0)
    fwrite (out->str, 1, out->len, stdout);
  /* a report quotes what the teams wrote: as private as the journal (0600, never wider) */
  else if (!g_file_set_contents_full (output, out->str, out->len, G_FILE_SET_CONTENTS_CONSISTENT,
                                      0600, &error))
    {
      g_printerr ("whitecellctl: %s\n", error->message);
      g_string_free (out, TRUE);
      return WC_CTL_EXIT_FAILED;
    }
  g_string_free (out, TRUE);
  return sound ? WC_CTL_EXIT_OK : WC_CTL_EXIT_FAILED;
}
