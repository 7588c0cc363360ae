/* test-util.c: helpers shared by the GTest suites. */
#include "config.h"

#include <glib/gstdio.h>

#include "test-util.h"
#include "wc-engine.h"

void
wc_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static gint64
fake_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

void
wc_test_play_to_end (WcScenario *s)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("whitecell-play-XXXXXX", &error);
  g_autofree char *journal = g_build_filename (dir, "journal.jsonl", NULL);
  gint64 now_us = 1000000, end_us;
  WcEngine *engine;

  g_assert_no_error (error);
  wc_scenario_set_sha256 (s, "0000000000000000000000000000000000000000000000000000000000000000");
  engine = wc_engine_new (s, journal, &error);
  g_assert_no_error (error);
  wc_engine_set_clock_func (engine, fake_clock, &now_us);
  g_assert_true (wc_engine_start (engine, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < wc_scenario_get_n_injects (s); i++)
    if (wc_scenario_get_inject (s, i)->trigger == WC_TRIGGER_MANUAL)
      g_assert_true (wc_engine_fire_inject (engine, wc_scenario_get_inject (s, i)->id, &error));
  end_us = now_us + (wc_scenario_get_duration_ms (s) + 60000) * 1000;
  while (now_us < end_us)
    {
      now_us += 10 * 1000 * 1000;
      wc_engine_process (engine);
    }
  for (guint i = 0; i < wc_scenario_get_n_injects (s); i++)
    {
      const WcInject *inject = wc_scenario_get_inject (s, i);

      g_test_message ("%s: %d", inject->id, wc_engine_get_inject_status (engine, inject->id));
      g_assert_cmpint (wc_engine_get_inject_status (engine, inject->id), ==, WC_INJECT_FIRED);
    }
  if (wc_engine_get_state (engine) != WC_ENGINE_ENDED)
    g_assert_true (wc_engine_end (engine, "test", &error));
  g_assert_no_error (error);
  g_assert_finalize_object (engine);
  wc_test_remove_dir (dir);
}
