/* bench-live.c: what the controller's window costs the exercise. A scenario of 1,000 teams and
 * 10,000 injects (each to 20 teams, every hundredth to all) is played with a fake clock; every
 * inject fires, then every team acknowledges and answers every inject it got. The same is done
 * twice in one run, without and with the live models (WcLive) the window binds to, and the
 * difference per journal record is the figure; then the time to build the models from an
 * engine, and one clock tick (overdue answers, presence) over 1,000 teams.
 *
 * Usage: bench-live [N_TEAMS] [N_INJECTS]
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "wc-live.h"
#include "wc-scenario-loader.h"

typedef struct {
  double   seconds;
  guint64  records;
} Run;

static Run
play (WcScenario *scenario,
      const char *dir,
      gboolean    with_live,
      double     *build_ms,
      double     *tick_ms)
{
  g_autofree char *journal = g_build_filename (dir, with_live ? "with.jsonl" : "without.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcEngine) engine = wc_engine_new (scenario, journal, &error);
  g_autoptr(WcLive) live = NULL;
  gint64 start, t0;
  Run run = { 0 };

  g_assert_no_error (error);
  wc_engine_set_clock_func (engine, bench_fake_clock, NULL);
  /* the server's way: many records, one sync per main-loop turn */
  wc_engine_set_group_commit (engine, TRUE);
  bench_fake_now = 1;
  if (with_live)
    {
      t0 = g_get_monotonic_time ();
      live = wc_live_new (engine, NULL);
      *build_ms = (g_get_monotonic_time () - t0) / 1000.0;
    }
  start = g_get_monotonic_time ();
  g_assert_true (wc_engine_start (engine, NULL));
  for (guint i = 0; i < wc_scenario_get_n_injects (scenario); i++)
    {
      const WcInject *inject = wc_scenario_get_inject (scenario, i);

      bench_fake_now = 1 + (inject->at_ms + 1) * 1000;
      wc_engine_process (engine);
      for (guint t = 0; t < inject->to->len; t++)
        {
          const char *team = g_ptr_array_index (inject->to, t);

          wc_engine_acknowledge (engine, inject->id, team, NULL);
          wc_engine_respond (engine, inject->id, team, "Done", NULL, NULL);
        }
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  run.seconds = (g_get_monotonic_time () - start) / 1e6;
  run.records = wc_journal_get_n_records (wc_engine_get_journal (engine));
  if (with_live)
    {
      t0 = g_get_monotonic_time ();
      for (guint k = 0; k < 10; k++)
        wc_live_tick (live);
      *tick_ms = (g_get_monotonic_time () - t0) / 10000.0;
    }
  g_unlink (journal);
  {
    g_autofree char *tokens = g_strconcat (journal, ".tokens.json", NULL);

    g_unlink (tokens);
  }
  return run;
}

int
main (int    argc,
      char **argv)
{
  guint n_teams = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  guint n_injects = argc > 2 ? (guint) atoi (argv[2]) : 10000;
  g_autofree char *json = bench_make_scenario (n_teams, n_injects, 20, 30000, 100);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("live.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) scenario = wc_scenario_load_data (json, strlen (json), NULL, diag, &error);
  g_autofree char *dir = g_dir_make_tmp ("whitecell-bench-live-XXXXXX", NULL);
  double build_ms = 0, tick_ms = 0;
  Run without, with;

  g_assert_no_error (error);
  printf ("bench-live: %u teams, %u injects\n", n_teams, n_injects);
  without = play (scenario, dir, FALSE, NULL, NULL);
  with = play (scenario, dir, TRUE, &build_ms, &tick_ms);
  printf ("  without live models: %" G_GUINT64_FORMAT " records in %.2f s (%.2f µs/record)\n",
          without.records, without.seconds, without.seconds * 1e6 / without.records);
  printf ("  with live models:    %" G_GUINT64_FORMAT " records in %.2f s (%.2f µs/record)\n",
          with.records, with.seconds, with.seconds * 1e6 / with.records);
  printf ("  cost of the models:  %.2f µs/record (%.2f×)\n",
          (with.seconds * 1e6 / with.records) - (without.seconds * 1e6 / without.records),
          with.seconds / without.seconds);
  printf ("  building the models from the engine: %.1f ms\n", build_ms);
  printf ("  one clock tick over %u teams: %.3f ms\n", n_teams, tick_ms);
  g_rmdir (dir);
  return 0;
}
