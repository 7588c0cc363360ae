/* bench-open.c: how long the controller's window stops answering while a file opens. A 1 ms
 * timeout records the largest gap between its calls (the longest main-loop stall) while a
 * 10,000-inject scenario opens in the window as a new exercise, and while a 100,000-record
 * journal (played by an engine on a fake clock) opens for review; each beside the time the same
 * work takes when done on the main thread, as it was before it moved to worker threads.
 * Target: no stall over 50 ms. The scenario has 100 teams unless given (5,000 teams and 30,000
 * injects for Cyber Europe's size). Run under xvfb-run.
 *
 * Usage: bench-open [N_INJECTS] [N_RECORDS] [N_TEAMS]
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-util.h"
#include "wc-replay.h"
#include "wc-scenario-loader.h"
#include "wc-window.h"

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs the main loop until *@result is set; returns the milliseconds since @start. */
static double
wait_for (GAsyncResult **result,
          gint64         start)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* An exercise in which every team acknowledges and answers every inject it gets, played on a
 * fake clock until the journal holds @target records. */
static guint
play_journal (WcScenario *scenario,
              const char *journal_path,
              guint       target)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcEngine) engine = wc_engine_new (scenario, journal_path, &error);
  WcJournal *journal;
  guint n_injects = wc_scenario_get_n_injects (scenario);

  g_assert_no_error (error);
  journal = wc_engine_get_journal (engine);
  wc_engine_set_clock_func (engine, bench_fake_clock, NULL);
  wc_engine_set_group_commit (engine, TRUE);
  bench_fake_now = 1;
  g_assert_true (wc_engine_start (engine, NULL));
  for (guint i = 0; wc_journal_get_n_records (journal) < target; i++)
    {
      const WcInject *inject = wc_scenario_get_inject (scenario, i % n_injects);

      if (i < n_injects)
        {
          bench_fake_now = 1 + (inject->at_ms + 500) * 1000;
          wc_engine_process (engine);
        }
      for (guint t = 0; t < inject->to->len && wc_journal_get_n_records (journal) < target; t++)
        {
          if (i < n_injects)
            wc_engine_acknowledge (engine, inject->id, g_ptr_array_index (inject->to, t), NULL);
          wc_engine_respond (engine, inject->id, g_ptr_array_index (inject->to, t),
                             "Contained; the <i>backups</i> are offline", NULL, NULL);
        }
      /* one group commit (one fdatasync) per 50 injects' records */
      if (i % 50 == 49)
        while (g_main_context_iteration (NULL, FALSE))
          ;
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (wc_engine_end (engine, "done", NULL));
  return wc_journal_get_n_records (journal);
}

int
main (int    argc,
      char **argv)
{
  guint n_injects = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  guint n_records = argc > 2 ? (guint) atoi (argv[2]) : 100000;
  BenchShape shape = { argc > 3 ? (guint) atoi (argv[3]) : 100, n_injects, 3, 30000, 0, TRUE };
  g_autofree char *json = bench_make_scenario_shaped (&shape);
  g_autofree char *dir = g_dir_make_tmp ("whitecell-bench-open-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "scenario.json", NULL);
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autofree char *played = g_build_filename (dir, "played.jsonl", NULL);
  g_autofree char *blocking = g_build_filename (dir, "blocking.jsonl", NULL);
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WcScenario) scenario = NULL;
  GtkWindow *review;
  WcWindow *window;
  gint64 start;
  double took;

  gtk_init ();
  adw_init ();
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  settings = g_settings_new (APP_ID);
  g_settings_set_uint (settings, "listen-port", 0);
  printf ("bench-open: a scenario of %u injects to %u teams (%.1f MiB), a journal of %u records\n",
          n_injects, shape.n_teams, strlen (json) / 1048576.0, n_records);

  window = wc_window_new (NULL, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  bench_stall_start (1);

  /* the file work as it was, on the main thread: the window stood still all along */
  start = g_get_monotonic_time ();
  {
    g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
    g_autoptr(WcSession) session = NULL;

    scenario = wc_scenario_load (path, diag, NULL);
    session = wc_session_new (scenario, blocking, NULL, NULL);
    g_assert_nonnull (session);
    wc_session_close (session);
  }
  printf ("  new exercise, loaded and journaled on the main thread: %.0f ms stalled\n",
          (g_get_monotonic_time () - start) / 1000.0);

  bench_stall_start (1);
  start = g_get_monotonic_time ();
  wc_window_open_scenario_async (window, path, journal, on_done, &result);
  took = wait_for (&result, start);
  g_assert_true (wc_window_open_scenario_finish (result, NULL));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  printf ("  new exercise in the window: open %.0f ms, drawn %.0f ms; longest stall %.1f ms\n",
          took, (g_get_monotonic_time () - start) / 1000.0, bench_stall_longest () / 1000.0);
  g_clear_object (&result);

  bench_stall_stop ();
  start = g_get_monotonic_time ();
  n_records = play_journal (scenario, played, n_records);
  printf ("  played a journal of %u records in %.1f s\n", n_records,
          (g_get_monotonic_time () - start) / 1e6);
  bench_stall_start (1);

  start = g_get_monotonic_time ();
  {
    g_autoptr(WcReplay) replay = wc_replay_open (played, NULL, NULL);

    g_assert_nonnull (replay);
  }
  printf ("  review, the journal read on the main thread: %.0f ms stalled\n",
          (g_get_monotonic_time () - start) / 1000.0);

  bench_stall_start (1);
  start = g_get_monotonic_time ();
  wc_window_review_journal_async (window, played, on_done, &result);
  took = wait_for (&result, start);
  review = wc_window_review_journal_finish (result, NULL);
  g_assert_nonnull (review);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (review));
  printf ("  review window: open %.0f ms, drawn %.0f ms; longest stall %.1f ms\n",
          took, (g_get_monotonic_time () - start) / 1000.0, bench_stall_stop () / 1000.0);

  gtk_window_destroy (review);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    const char *journals[] = { journal, played, blocking };

    for (guint i = 0; i < G_N_ELEMENTS (journals); i++)
      {
        g_autofree char *tokens = g_strconcat (journals[i], ".tokens.json", NULL);
        g_autofree char *notes = g_strconcat (journals[i], ".review.json", NULL);

        g_unlink (tokens);
        g_unlink (notes);
        g_unlink (journals[i]);
      }
  }
  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
