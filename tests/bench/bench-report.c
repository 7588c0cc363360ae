/* bench-report.c: the after-action report of a large exercise. Plays an exercise of 200 teams and
 * 3,200 injects (each to 20 teams) with a fake clock until the journal holds about 100,000
 * records, then times what `whitecellctl report` does: verify the journal, load it, compute the
 * metrics and write the HTML, Markdown and CSV reports.
 *
 * Usage: bench-report [N_RECORDS]
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "wc-engine.h"
#include "wc-metrics.h"
#include "wc-report.h"
#include "wc-scenario-loader.h"

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int    argc,
      char **argv)
{
  guint target = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  g_autofree char *json = bench_make_scenario (200, 3200, 20, 60000, 0);
  g_autofree char *dir = g_dir_make_tmp ("whitecell-bench-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "scenario.json", NULL);
  g_autofree char *journal_path = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) scenario = NULL;
  guint n_records = 0;
  gint64 start;

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  scenario = wc_scenario_load (path, diag, &error);
  g_assert_no_error (error);
  {
    g_autoptr(WcEngine) engine = wc_engine_new (scenario, journal_path, &error);

    g_assert_no_error (error);
    wc_engine_set_clock_func (engine, bench_fake_clock, NULL);
    wc_engine_set_group_commit (engine, TRUE);
    bench_fake_now = 1;
    g_assert_true (wc_engine_start (engine, NULL));
    for (guint i = 0; i < wc_scenario_get_n_injects (scenario) && n_records < target; i++)
      {
        const WcInject *inject = wc_scenario_get_inject (scenario, i);

        bench_fake_now = 1 + (inject->at_ms + 1000) * 1000;
        wc_engine_process (engine);
        for (guint t = 0; t < inject->to->len; t++)
          {
            const char *team = g_ptr_array_index (inject->to, t);

            /* most acknowledge; some answer, a few late; some never */
            if ((i + t) % 10 != 0)
              wc_engine_acknowledge (engine, inject->id, team, NULL);
            if ((i + t) % 3 != 0)
              wc_engine_respond (engine, inject->id, team, "We isolated the host <b>now</b>", NULL, NULL);
          }
        while (g_main_context_iteration (NULL, FALSE))
          ;
        n_records = wc_journal_get_n_records (wc_engine_get_journal (engine));
      }
    wc_engine_end (engine, "done", NULL);
    n_records = wc_journal_get_n_records (wc_engine_get_journal (engine));
  }

  printf ("bench-report: a journal of %u records\n", n_records);
  {
    WcJournalVerifyResult verify;
    g_autoptr(WcJournal) journal = NULL;
    g_autoptr(WcMetrics) metrics = NULL;
    WcReportInput input = { 0 };
    static const char *const names[] = { "HTML", "Markdown", "CSV" };
    double total;

    start = g_get_monotonic_time ();
    g_assert_true (wc_journal_verify_file (journal_path, &verify, &error));
    printf ("  verify:            %.3f s\n", seconds_since (start));
    total = seconds_since (start);
    start = g_get_monotonic_time ();
    journal = wc_journal_load (journal_path, &error);
    g_assert_no_error (error);
    printf ("  load:              %.3f s\n", seconds_since (start));
    total += seconds_since (start);
    start = g_get_monotonic_time ();
    metrics = wc_metrics_new (scenario, journal);
    printf ("  metrics:           %.3f s (%u team × inject rows)\n", seconds_since (start), wc_metrics_get_n_rows (metrics));
    total += seconds_since (start);
    input.metrics = metrics;
    input.verify = &verify;
    for (guint f = 0; f < 3; f++)
      {
        g_autoptr(GString) out = g_string_new (NULL);

        start = g_get_monotonic_time ();
        wc_report_write (&input, (WcReportFormat) f, out);
        printf ("  %-18s %.3f s (%.1f MiB)\n", names[f], seconds_since (start), out->len / 1048576.0);
        if (f == 0)
          total += seconds_since (start);
      }
    printf ("  verify + load + metrics + HTML: %.2f s\n", total);
    wc_journal_verify_result_clear (&verify);
  }
  {
    g_autofree char *tokens = g_strconcat (journal_path, ".tokens.json", NULL);

    g_unlink (tokens);
  }
  g_unlink (journal_path);
  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
