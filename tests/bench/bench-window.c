/* bench-window.c: the controller's window with a national exercise's size: 1,000 teams and
 * 10,000 injects. Prints the time to open the exercise and draw the first frame, then, with the
 * exercise running, the time to take in an inject fired to all 1,000 teams, their 1,000
 * acknowledgements and 1,000 answers, and draw again; and the longest main-loop stall in that
 * burst (what a controller would feel as the window freezing). Run under xvfb-run.
 *
 * Usage: bench-window [N_TEAMS] [N_INJECTS]
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "wc-window.h"

static gint64 longest_gap;
static gint64 last_beat;

static gboolean
heartbeat (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_beat)
    longest_gap = MAX (longest_gap, now - last_beat);
  last_beat = now;
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  guint n_teams = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  guint n_injects = argc > 2 ? (guint) atoi (argv[2]) : 10000;
  g_autofree char *json = bench_make_scenario (n_teams, n_injects, 3, 30000, 100);
  g_autofree char *dir = g_dir_make_tmp ("whitecell-bench-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "scenario.json", NULL);
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autoptr(GSettings) settings = NULL;
  WcWindow *window;
  WcEngine *engine;
  gint64 start;
  guint beat_id;

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
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  printf ("  open the exercise and draw the first frame: %.0f ms\n", (g_get_monotonic_time () - start) / 1000.0);

  engine = wc_session_get_engine (wc_window_get_session (window));
  bench_fake_now = g_get_monotonic_time ();
  wc_engine_set_clock_func (engine, bench_fake_clock, NULL);
  wc_engine_set_group_commit (engine, TRUE);
  g_assert_true (wc_engine_start (engine, NULL));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  beat_id = g_timeout_add (5, heartbeat, NULL);
  start = g_get_monotonic_time ();
  /* I00000 goes to all teams at T+00:00:30 */
  bench_fake_now += 31 * G_USEC_PER_SEC;
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
  printf ("  longest main-loop stall in that burst: %.0f ms\n", longest_gap / 1000.0);
  g_source_remove (beat_id);

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
