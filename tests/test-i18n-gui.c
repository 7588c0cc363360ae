/* test-i18n-gui.c: the controller's window and the review window in Dutch and in French, with
 * the catalogues meson built (WC_LOCALEDIR), during a sample exercise; screenshots are left in
 * the build directory (whitecell-window-nl.png, whitecell-review-fr.png…) to check by eye that
 * no label is cut off in the longer languages. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "gui-test.h"
#include "test-util.h"
#include "wc-replay.h"
#include "wc-review-window.h"
#include "wc-window.h"

#ifdef __GLIBC__
extern int _nl_msg_cat_cntr;
#endif

static gint64 fake_now;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

/* The app's words in @lang from now on: gettext reads LANGUAGE again once its cache is stale. */
static void
use_language (const char *lang)
{
  g_setenv ("LANGUAGE", lang, TRUE);
#ifdef __GLIBC__
  ++_nl_msg_cat_cntr;
#endif
}

static void
test_windows (gconstpointer data)
{
  const char *lang = data;
  g_autofree char *scenario = g_build_filename (g_getenv ("WC_SOURCE_ROOT"), "scenarios",
                                                "hospital-ransomware", "scenario.json", NULL);
  g_autofree char *dir = g_dir_make_tmp ("whitecell-i18n-gui-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autofree char *window_png = g_strdup_printf ("whitecell-window-%s.png", lang);
  g_autofree char *review_png = g_strdup_printf ("whitecell-review-%s.png", lang);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(WcReplay) replay = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(GError) error = NULL;
  WcReviewWindow *review;
  WcWindow *window;
  WcEngine *engine;
  /* Translators' words that these windows show: the catalogue is the one in use */
  const char *started = g_str_equal (lang, "nl") ? "Bezig" : "En cours";

  use_language (lang);
  g_settings_set_uint (settings, "listen-port", 0);
  g_settings_set_boolean (settings, "show-joining-on-create", FALSE);
  window = wc_window_new (NULL, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wc_window_open_scenario (window, scenario, journal));
  engine = wc_session_get_engine (wc_window_get_session (window));
  fake_now = g_get_monotonic_time ();
  wc_engine_set_clock_func (engine, fake_clock, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  fake_now += (gint64) 40 * 60 * G_USEC_PER_SEC;
  wc_engine_process (engine);
  wc_window_tick (window);
  g_test_message ("clock %s", wc_window_get_clock_text (window));
  g_assert_cmpint (wc_engine_get_state (engine), ==, WC_ENGINE_RUNNING);
  g_assert_cmpstr (_("Running"), ==, started);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gui_test_iterate (300);
  gui_test_save_screenshot (GTK_WIDGET (window), window_png);
  g_assert_true (wc_engine_end (engine, "done", &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (window));
  gui_test_iterate (50);

  replay = wc_replay_open (journal, &diag, &error);
  g_assert_no_error (error);
  review = wc_review_window_new (NULL, replay);
  gtk_window_present (GTK_WINDOW (review));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (review));
  gui_test_iterate (300);
  gui_test_save_screenshot (GTK_WIDGET (review), review_png);
  gtk_window_destroy (GTK_WINDOW (review));
  gui_test_iterate (50);
  wc_test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  /* the catalogues of the build, as main.c binds the installed ones */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("WC_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_data_func ("/whitecell/i18n-gui/nl", "nl", test_windows);
  g_test_add_data_func ("/whitecell/i18n-gui/fr", "fr", test_windows);
  return g_test_run ();
}
