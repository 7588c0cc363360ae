/* test-feed.c: the live feed under Xvfb, as a controller reads it: at the top it follows each new
 * entry; scrolled down to read, it stays there and shows "N new" above, which jumps back to the
 * newest; a burst of a thousand answers reaches the list in one change and is followed all the
 * same. A screenshot is left in the build directory (whitecell-feed.png). */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gui-test.h"
#include "wc-feed-row.h"
#include "wc-feed-view.h"
#include "wc-scenario-loader.h"

static gint64 fake_now;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

typedef struct {
  char       *dir;
  char       *journal;
  WcScenario *scenario;
  WcEngine   *engine;
  WcLive     *live;
  GtkWindow  *window;
  WcFeedView *feed;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "scenario", "valid.json", NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("whitecell-feed-XXXXXX", NULL);
  f->journal = g_build_filename (f->dir, "journal.jsonl", NULL);
  f->scenario = wc_scenario_load (path, diag, &error);
  g_assert_no_error (error);
  f->engine = wc_engine_new (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  fake_now = 1000000;
  wc_engine_set_clock_func (f->engine, fake_clock, NULL);
  f->live = wc_live_new (f->engine, NULL);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 520, 420);
  f->feed = g_object_new (WC_TYPE_FEED_VIEW, NULL);
  gtk_window_set_child (f->window, GTK_WIDGET (f->feed));
  wc_feed_view_set_live (f->feed, f->live);
  gtk_window_present (f->window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  gui_test_iterate (50);
  g_assert_finalize_object (f->live);
  g_assert_finalize_object (f->engine);
  g_object_unref (f->scenario);
  g_unlink (f->journal);
  g_rmdir (f->dir);
  g_free (f->journal);
  g_free (f->dir);
}

/* The row at the top of what the feed shows (the first one any part of which is in view). */
static WcFeedRow *
top_row (Fixture *f)
{
  g_autoptr(GPtrArray) rows = gui_test_find_all (GTK_WIDGET (f->feed), WC_TYPE_FEED_ROW);
  WcFeedRow *top = NULL;
  double top_y = G_MAXDOUBLE;

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      graphene_point_t p;

      if (!gtk_widget_get_mapped (row) || wc_feed_row_get_event (WC_FEED_ROW (row)) == NULL ||
          !gtk_widget_compute_point (row, GTK_WIDGET (f->feed), &GRAPHENE_POINT_INIT (0, 0), &p))
        continue;
      if (p.y + gtk_widget_get_height (row) > 0 && p.y < top_y)
        {
          top = WC_FEED_ROW (row);
          top_y = p.y;
        }
    }
  return top;
}

static const char *
top_text (Fixture *f)
{
  WcFeedRow *row = top_row (f);

  return row ? wc_feed_row_get_text (row) : "";
}

static GtkWidget *
new_button (Fixture *f)
{
  g_autoptr(GPtrArray) buttons = gui_test_find_all (GTK_WIDGET (f->feed), GTK_TYPE_BUTTON);

  g_assert_cmpuint (buttons->len, ==, 1);
  return g_ptr_array_index (buttons, 0);
}

static const char *
new_button_label (Fixture *f)
{
  g_autoptr(GPtrArray) labels = gui_test_find_all (new_button (f), GTK_TYPE_LABEL);

  g_assert_cmpuint (labels->len, ==, 1);
  return gtk_label_get_label (g_ptr_array_index (labels, 0));
}

static GtkAdjustment *
vadjustment (Fixture *f)
{
  g_autoptr(GPtrArray) scrolled = gui_test_find_all (GTK_WIDGET (f->feed), GTK_TYPE_SCROLLED_WINDOW);

  return gtk_scrolled_window_get_vadjustment (g_ptr_array_index (scrolled, 0));
}

static void
note (Fixture    *f,
      const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_engine_add_note (f->engine, text, &error));
  g_assert_no_error (error);
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *n_changes)
{
  (*n_changes)++;
}

static void
test_follow (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;
  GListModel *events = wc_live_get_events (f->live);
  guint n_changes = 0;
  gulong handler;
  gint64 started;

  g_assert_true (wc_engine_start (f->engine, &error));
  fake_now += 1000 * 1000;
  wc_engine_process (f->engine);
  for (guint i = 1; i <= 40; i++)
    {
      g_autofree char *text = g_strdup_printf ("Note %u", i);

      note (f, text);
    }
  /* at the top: each new entry is shown as it comes */
  WAIT_UNTIL (g_strcmp0 (top_text (f), "Note 40") == 0);
  g_assert_true (wc_feed_view_get_following (f->feed));
  g_assert_true (wc_engine_respond (f->engine, "I-001", "aquaflow", "Pumps isolated; SOC on it", NULL, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (g_strcmp0 (top_text (f), "Pumps isolated; SOC on it") == 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment (f)), ==, 0);
  g_assert_false (gtk_widget_get_visible (new_button (f)));
  g_assert_true (wc_engine_end (f->engine, "done", &error));
  WAIT_UNTIL (g_strcmp0 (wc_feed_row_get_summary (top_row (f)), "Exercise ended") == 0);

  /* scrolled down to read: the view stays where it is and counts what arrives above */
  gtk_adjustment_set_value (vadjustment (f), 400);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_false (wc_feed_view_get_following (f->feed));
  seen = g_strdup (top_text (f));
  g_assert_cmpstr (seen, !=, "");
  note (f, "After the end 1");
  note (f, "After the end 2");
  note (f, "After the end 3");
  WAIT_UNTIL (wc_feed_view_get_n_new (f->feed) == 3);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  gui_test_iterate (100);
  g_assert_cmpstr (top_text (f), ==, seen);
  g_assert_true (gtk_widget_get_visible (new_button (f)));
  g_assert_cmpstr (new_button_label (f), ==, "3 new");
  gui_test_save_screenshot (GTK_WIDGET (f->window), "whitecell-feed.png");

  /* "3 new" jumps back to the newest, and the feed follows again */
  gtk_widget_activate (new_button (f));
  WAIT_UNTIL (g_strcmp0 (top_text (f), "After the end 3") == 0);
  g_assert_false (gtk_widget_get_visible (new_button (f)));
  g_assert_cmpuint (wc_feed_view_get_n_new (f->feed), ==, 0);
  g_assert_true (wc_feed_view_get_following (f->feed));
  note (f, "After the end 4");
  WAIT_UNTIL (g_strcmp0 (top_text (f), "After the end 4") == 0);

  /* a burst of a thousand entries in one main-loop turn: one change of the list, followed */
  handler = g_signal_connect (events, "items-changed", G_CALLBACK (count_changes), &n_changes);
  wc_engine_set_group_commit (f->engine, TRUE);
  started = g_get_monotonic_time ();
  for (guint i = 1; i <= 1000; i++)
    {
      g_autofree char *text = g_strdup_printf ("Burst %u", i);

      note (f, text);
    }
  WAIT_UNTIL (g_strcmp0 (top_text (f), "Burst 1000") == 0);
  g_test_message ("1000 entries written, announced and shown in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000);
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (events), >=, 1047);
  g_signal_handler_disconnect (events, handler);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add ("/whitecell/feed/follow", Fixture, NULL, fixture_setup, test_follow, fixture_teardown);
  return g_test_run ();
}
