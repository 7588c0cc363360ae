/* bench-window.c: the controller's window with a national exercise's size: 1,000 teams and
 * 10,000 injects (5,000 and 30,000 for Cyber Europe's), one every exercise second. Prints the
 * time to open the exercise and draw the first frame, then, with the exercise running, the time
 * to take in an inject fired to all the teams, their acknowledgements and answers, and draw
 * again; the longest main-loop stall in that burst (what a controller would feel as the window
 * freezing); then the exercise played at 100× on the real clock for PLAY_SECONDS (30 unless
 * given) and the longest stall while it plays. Run under xvfb-run.
 *
 * Usage: bench-window [N_TEAMS] [N_INJECTS] [PLAY_SECONDS]
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "wc-window.h"

static void
on_fired (WcEngine   *engine,
          const char *inject_id,
          GStrv       teams,
          guint      *n_fired)
{
  (*n_fired)++;
}

int
main (int    argc,
      char **argv)
{
  guint n_teams = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  guint n_injects = argc > 2 ? (guint) atoi (argv[2]) : 10000;
  guint play_seconds = argc > 3 ? (guint) atoi (argv[3]) : 30;
  BenchShape shape = { n_teams, n_injects, 3, 1000, 100, TRUE };
  g_autofree char *json = bench_make_scenario_shaped (&shape);
  g_autofree char *dir = g_dir_make_tmp ("whitecell-bench-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "scenario.json", NULL);
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autoptr(GSettings) settings = NULL;
  WcWindow *window;
  WcEngine *engine;
  gint64 start, opened;
  guint n_fired = 0;

  gtk_init ();
  adw_init ();
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  settings = g_settings_new (APP_ID);
  g_settings_set_uint (settings, "listen-port", 0);
  printf ("bench-window: %u teams, %u injects\n", n_teams, n_injects);

  start = g_get_monotonic_time ();
  window = wc_window_new (NULL, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wc_window_open_scenario (window, path, journal));
  opened = g_get_monotonic_time ();
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  printf ("  open the exercise and draw the first frame: %.0f ms (opened in %.0f ms); resident "
          "%.0f MiB\n", (g_get_monotonic_time () - start) / 1000.0, (opened - start) / 1000.0,
          bench_status_kib ("VmRSS:") / 1024.0);
  /* under Xvfb, GL is Mesa's llvmpipe: drawn on the same two cores (GSK_RENDERER=cairo to compare) */
  printf ("  renderer: %s\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));

  engine = wc_session_get_engine (wc_window_get_session (window));
  bench_fake_now = g_get_monotonic_time ();
  wc_engine_set_clock_func (engine, bench_fake_clock, NULL);
  wc_engine_set_group_commit (engine, TRUE);
  g_assert_true (wc_engine_start (engine, NULL));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  bench_stall_start (5);
  start = g_get_monotonic_time ();
  /* I00000 goes to all teams at T+00:00:01 */
  bench_fake_now += 2 * G_USEC_PER_SEC;
  wc_engine_process (engine);
  for (guint t = 0; t < n_teams; t++)
    {
      g_autofree char *team = g_strdup_printf ("t%u", t);

      wc_engine_acknowledge (engine, "I00000", team, NULL);
      wc_engine_respond (engine, "I00000", team, "Understood, acting on it", NULL, NULL);
      /* the server's pace: a main-loop turn now and then */
      if (t % 50 == 0)
        g_main_context_iteration (NULL, FALSE);
    }
  printf ("    (records written and taken in: %.0f ms)\n", (g_get_monotonic_time () - start) / 1000.0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  printf ("    (main loop drained: %.0f ms)\n", (g_get_monotonic_time () - start) / 1000.0);
  wc_window_tick (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  printf ("  an inject to all, %u acknowledgements and %u answers, drawn: %.0f ms\n", n_teams, n_teams,
          (g_get_monotonic_time () - start) / 1000.0);
  printf ("  longest main-loop stall in that burst: %.0f ms\n", bench_stall_stop () / 1000.0);

  /* the rest played as a rehearsal would: the real clock at 100× */
  g_signal_connect (engine, "inject-fired", G_CALLBACK (on_fired), &n_fired);
  wc_engine_set_clock_func (engine, NULL, NULL);
  g_assert_true (wc_engine_set_speed (engine, 100, NULL));
  bench_stall_start (5);
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < play_seconds * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  printf ("  played %u s at 100×: %u injects fired; longest main-loop stall %.0f ms; resident "
          "%.0f MiB\n", play_seconds, n_fired, bench_stall_stop () / 1000.0,
          bench_status_kib ("VmRSS:") / 1024.0);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    g_autofree char *tokens = g_strconcat (journal, ".tokens.json", NULL);

    g_unlink (tokens);
  }
  g_unlink (journal);
  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
