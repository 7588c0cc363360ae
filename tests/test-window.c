/* test-window.c: the controller's window under Xvfb, as a controller uses it: a broken scenario
 * shows its findings; a sample scenario runs, injects fire, a team acknowledges and answers over
 * HTTP, and the MSEL row, the team's card and the feed show it; pausing holds the clock; expected
 * actions are judged from the inject's detail and the "to assess" queue, and the staff dialog
 * adds a member. Screenshots are left in the build directory (whitecell-*.png). */
#include "config.h"

#include <adwaita.h>
#include "gui-test.h"
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "wc-action-judge.h"
#include "wc-assess-row.h"
#include "wc-assess-view.h"
#include "wc-feed-row.h"
#include "wc-feed-view.h"
#include "wc-findings-view.h"
#include "wc-inject-team-row.h"
#include "wc-journal-details.h"
#include "wc-msel-view.h"
#include "wc-review-window.h"
#include "wc-staff-dialog.h"
#include "wc-staff-row.h"
#include "wc-window.h"

static gint64 fake_now;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

static WcWindow *
new_window (GSettings **settings_out)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  WcWindow *window;

  /* any free port: tests run side by side */
  g_settings_set_uint (settings, "listen-port", 0);
  g_settings_set_strv (settings, "recent-scenarios", NULL);
  window = wc_window_new (NULL, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  if (settings_out)
    *settings_out = g_object_ref (settings);
  return window;
}

static void
close_window (WcWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  gui_test_iterate (50);
}

/* A scenario with errors: no exercise, the findings panel with every problem and its line. */
static void
test_findings (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "scenario", "many-problems.json", NULL);
  WcWindow *window = new_window (NULL);
  g_autofree char *findings = NULL;

  g_assert_cmpstr (wc_window_get_page (window), ==, "empty");
  g_assert_false (wc_window_open_scenario (window, path, NULL));
  g_assert_cmpstr (wc_window_get_page (window), ==, "findings");
  g_assert_false (wc_window_has_exercise (window));
  findings = wc_findings_view_describe (WC_FINDINGS_VIEW (wc_window_get_findings_view (window)));
  g_test_message ("%s", findings);
  g_assert_nonnull (strstr (findings, "many-problems.json:"));
  g_assert_nonnull (strstr (findings, ": error: "));
  /* the actions that need an exercise are off */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL) &&
                  wc_window_has_exercise (window));
  /* a journal that cannot be made: a toast says why, markup characters and all (no exercise) */
  {
    g_autofree char *valid = g_test_build_filename (G_TEST_DIST, "fixtures", "scenario", "valid.json", NULL);

    g_assert_false (wc_window_open_scenario (window, valid, "/proc/no <such> & folder/journal.jsonl"));
    g_assert_false (wc_window_has_exercise (window));
  }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  /* past the page transition */
  gui_test_iterate (500);
  gui_test_save_screenshot (GTK_WIDGET (window), "whitecell-findings.png");
  close_window (window);
}

typedef struct {
  gboolean done;
  guint    status;
} Reply;

static void
on_reply (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Reply *r = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  r->status = soup_message_get_status (msg);
  r->done = TRUE;
}

static guint
post (SoupSession *session,
      const char  *url,
      const char  *token,
      const char  *json)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  Reply r = { 0 };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (json)
    {
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_reply, &r);
  WAIT_UNTIL (r.done);
  return r.status;
}

static void
advance (WcEngine *engine,
         gint64    exercise_ms)
{
  /* 1× until the speed changes: exercise time moves with the fake clock */
  fake_now += exercise_ms * 1000 / (gint64) wc_engine_get_speed (engine);
  wc_engine_process (engine);
}

/* The one toplevel of @type, or NULL. */
static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
        return w;
    }
  return NULL;
}

/* The one AdwMessageDialog among the toplevels, or NULL. */
static AdwMessageDialog *
find_dialog (void)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static void
test_exercise (void)
{
  g_autofree char *scenario = g_build_filename (g_getenv ("WC_SOURCE_ROOT"), "scenarios",
                                                "hospital-ransomware", "scenario.json", NULL);
  g_autofree char *dir = g_dir_make_tmp ("whitecell-window-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autofree char *tokens_path = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  g_autofree char *card_text = NULL;
  g_autofree char *held = NULL;
  g_autoptr(SoupSession) http = soup_session_new ();
  g_autoptr(GError) error = NULL;
  WcWindow *window = new_window (NULL);
  WcSession *session;
  WcEngine *engine;
  WcLive *live;
  WcLiveInject *row;
  WcTeamCard *card;
  GListModel *feed;
  const char *token;

  g_assert_true (wc_window_open_scenario (window, scenario, journal));
  g_assert_cmpstr (wc_window_get_page (window), ==, "exercise");
  session = wc_window_get_session (window);
  engine = wc_session_get_engine (session);
  live = wc_session_get_live (session);
  fake_now = g_get_monotonic_time ();
  wc_engine_set_clock_func (engine, fake_clock, NULL);

  /* every inject of the scenario is a row (once the rows are all filtered in); the first is next */
  WAIT_UNTIL (wc_msel_view_is_settled (WC_MSEL_VIEW (wc_window_get_msel_view (window))));
  g_assert_cmpuint (g_list_model_get_n_items (wc_msel_view_get_visible (WC_MSEL_VIEW (wc_window_get_msel_view (window)))), ==, 29);
  row = wc_live_find_inject (live, "I-001");
  g_assert_true (wc_live_inject_get_is_next (row));

  /* Start: injects fire as the clock passes them */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  g_assert_cmpint (wc_engine_get_state (engine), ==, WC_ENGINE_RUNNING);
  advance (engine, 22 * 60 * 1000);
  wc_window_tick (window);
  g_assert_cmpstr (wc_window_get_clock_text (window), ==, "T+00:22:00");
  g_assert_cmpstr (wc_live_inject_get_status (row), ==, "fired");
  g_assert_cmpstr (wc_live_inject_get_status_label (row), ==, "Fired");
  g_assert_cmpstr (wc_live_inject_get_acknowledged (row), ==, "0/1");
  g_assert_cmpstr (wc_live_inject_get_answered (row), ==, "0/1");
  g_assert_cmpstr (wc_live_inject_get_status (wc_live_find_inject (live, "I-003")), ==, "fired");
  /* the contingency on I-001 is due next, at T+00:30 */
  g_assert_true (wc_live_inject_get_is_next (wc_live_find_inject (live, "I-004")));

  /* the hospital group acknowledges and answers over HTTP, as its page would */
  base = wc_server_get_base_url (wc_session_get_server (session));
  token = wc_tokens_get_team_token (wc_session_get_tokens (session), "st-elisabeth");
  url = g_strdup_printf ("%s/api/v1/injects/I-001/ack", base);
  g_assert_cmpuint (post (http, url, token, NULL), ==, 200);
  g_free (url);
  url = g_strdup_printf ("%s/api/v1/injects/I-001/responses", base);
  g_assert_cmpuint (post (http, url, token, "{\"text\": \"IR plan <b>activated</b>; servers isolated\"}"), ==, 201);
  WAIT_UNTIL (wc_live_inject_get_n_responded (row) == 1);

  /* the MSEL row */
  g_assert_cmpstr (wc_live_inject_get_acknowledged (row), ==, "1/1");
  g_assert_cmpstr (wc_live_inject_get_answered (row), ==, "1/1");
  g_assert_true (wc_msel_view_select (WC_MSEL_VIEW (wc_window_get_msel_view (window)), "I-001"));
  /* the team card: I-002 and I-003 still to acknowledge */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  /* the cards join the board a few per main-loop turn */
  WAIT_UNTIL ((card = gui_test_find_card (wc_window_get_team_grid (window), "st-elisabeth")) != NULL);
  card_text = wc_team_card_describe (card);
  g_test_message ("%s", card_text);
  g_assert_nonnull (strstr (card_text, "Sint-Elisabeth Hospital Group\n"));
  g_assert_nonnull (strstr (card_text, "2 injects to acknowledge"));
  /* the feed: newest first, the answer verbatim */
  feed = wc_feed_view_get_model (WC_FEED_VIEW (wc_window_get_feed_view (window)));
  g_assert_cmpuint (g_list_model_get_n_items (feed), >=, 3);
  {
    g_autoptr(WcLiveEvent) newest = g_list_model_get_item (feed, 0);
    g_autoptr(WcLiveEvent) before = g_list_model_get_item (feed, 1);

    g_assert_cmpint (wc_live_event_get_kind (newest), ==, WC_LIVE_EVENT_RESPONSE);
    g_assert_cmpstr (wc_live_event_get_text (newest), ==, "IR plan <b>activated</b>; servers isolated");
    g_assert_cmpstr (wc_live_event_get_summary (newest), ==, "Sint-Elisabeth Hospital Group answered I-001");
    g_assert_cmpint (wc_live_event_get_kind (before), ==, WC_LIVE_EVENT_ACKNOWLEDGED);
  }
  /* the feed's rows show it: the answer as text, its markup characters and all */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  {
    g_autoptr(GPtrArray) rows = gui_test_find_all (wc_window_get_feed_view (window), WC_TYPE_FEED_ROW);
    WcFeedRow *shown = NULL;

    for (guint i = 0; i < rows->len; i++)
      if (wc_live_event_get_kind (wc_feed_row_get_event (rows->pdata[i])) == WC_LIVE_EVENT_RESPONSE)
        shown = rows->pdata[i];
    g_assert_nonnull (shown);
    g_assert_cmpstr (wc_feed_row_get_summary (shown), ==, "Sint-Elisabeth Hospital Group answered I-001");
    g_assert_cmpstr (wc_feed_row_get_text (shown), ==, "IR plan <b>activated</b>; servers isolated");
  }
  /* the selected inject's detail: the team's row with its times and its answer, verbatim */
  {
    g_autoptr(GPtrArray) rows = gui_test_find_all (wc_window_get_msel_view (window), WC_TYPE_INJECT_TEAM_ROW);
    g_autofree char *answers = NULL;

    g_assert_cmpuint (rows->len, ==, 1);
    /* the team has no page open: never delivered, yet acknowledged over the API */
    g_assert_nonnull (strstr (wc_inject_team_row_get_times (rows->pdata[0]), "acknowledged T+00:22:00"));
    answers = wc_inject_team_row_describe_answers (rows->pdata[0]);
    g_assert_nonnull (strstr (answers, "IR plan <b>activated</b>; servers isolated"));
  }

  /* an answer overdue shows on the card: I-003's actions are due 20 minutes after delivery */
  advance (engine, 25 * 60 * 1000);
  wc_window_tick (window);
  WAIT_UNTIL (wc_live_team_get_overdue (wc_live_find_team (live, "st-elisabeth")) > 0);
  g_clear_pointer (&card_text, g_free);
  card_text = wc_team_card_describe (card);
  g_assert_nonnull (strstr (card_text, "overdue"));

  /* filter the MSEL by text */
  wc_msel_view_set_filter_text (WC_MSEL_VIEW (wc_window_get_msel_view (window)), "ransom");
  WAIT_UNTIL (wc_msel_view_is_settled (WC_MSEL_VIEW (wc_window_get_msel_view (window))));
  g_assert_cmpuint (g_list_model_get_n_items (wc_msel_view_get_visible (WC_MSEL_VIEW (wc_window_get_msel_view (window)))), ==, 1);
  wc_msel_view_set_filter_text (WC_MSEL_VIEW (wc_window_get_msel_view (window)), "");
  WAIT_UNTIL (wc_msel_view_is_settled (WC_MSEL_VIEW (wc_window_get_msel_view (window))));
  g_assert_true (wc_msel_view_select (WC_MSEL_VIEW (wc_window_get_msel_view (window)), "I-001"));

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gui_test_iterate (300);
  gui_test_save_screenshot (GTK_WIDGET (window), "whitecell-window.png");

  /* Space pauses: the clock holds */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-pause", NULL));
  g_assert_cmpint (wc_engine_get_state (engine), ==, WC_ENGINE_PAUSED);
  wc_window_tick (window);
  held = g_strdup (wc_window_get_clock_text (window));
  advance (engine, 10 * 60 * 1000);
  gui_test_iterate (300);
  wc_window_tick (window);
  g_assert_cmpstr (wc_window_get_clock_text (window), ==, held);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-pause", NULL));
  g_assert_cmpint (wc_engine_get_state (engine), ==, WC_ENGINE_RUNNING);

  /* End asks first; only the answer "end" ends the exercise */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.end", NULL));
  {
    AdwMessageDialog *dialog = find_dialog ();

    g_assert_nonnull (dialog);
    g_assert_cmpint (wc_engine_get_state (engine), ==, WC_ENGINE_RUNNING);
    adw_message_dialog_response (dialog, "end");
    g_assert_cmpint (wc_engine_get_state (engine), ==, WC_ENGINE_ENDED);
  }

  /* the journal on disk has the team's answer */
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (journal, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "\"type\":\"response\""));
    g_assert_nonnull (strstr (contents, "servers isolated"));
    g_assert_nonnull (strstr (contents, "\"type\":\"exercise-ended\""));
  }
  close_window (window);
  tokens_path = wc_tokens_path_for_journal (journal);
  g_unlink (tokens_path);
  g_unlink (journal);
  g_rmdir (dir);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Files open in worker threads: the window says it is busy and the main loop runs meanwhile; a
 * journal of an exercise that did not end resumes; a window closed mid-open drops the open. */
static void
test_open_async (void)
{
  g_autofree char *scenario = g_test_build_filename (G_TEST_DIST, "fixtures", "scenario", "valid.json", NULL);
  g_autofree char *dir = g_dir_make_tmp ("whitecell-open-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autofree char *second = g_build_filename (dir, "second.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (journal);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  WcWindow *window = new_window (NULL);
  guint turns = 0;

  wc_window_open_scenario_async (window, scenario, journal, on_done, &result);
  g_assert_true (wc_window_is_opening (window));
  g_assert_cmpstr (wc_window_get_page (window), ==, "opening");
  /* the main loop turns while the file opens */
  while (result == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      turns++;
    }
  g_assert_cmpuint (turns, >, 0);
  g_assert_true (wc_window_open_scenario_finish (result, &error));
  g_assert_no_error (error);
  g_assert_false (wc_window_is_opening (window));
  g_assert_cmpstr (wc_window_get_page (window), ==, "exercise");
  g_assert_cmpstr (wc_session_get_journal_path (wc_window_get_session (window)), ==, journal);
  close_window (window);

  /* the exercise never ended: its journal resumes it */
  window = new_window (NULL);
  wc_window_open_file (window, file);
  g_assert_true (wc_window_is_opening (window));
  WAIT_UNTIL (!wc_window_is_opening (window));
  g_assert_true (wc_window_has_exercise (window));
  g_assert_cmpstr (wc_window_get_page (window), ==, "exercise");
  g_assert_cmpstr (wc_session_get_journal_path (wc_window_get_session (window)), ==, journal);
  close_window (window);

  /* closed mid-open: the open ends as cancelled, and the window goes all the same */
  window = new_window (NULL);
  g_clear_object (&result);
  wc_window_open_scenario_async (window, scenario, second, on_done, &result);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_UNTIL (result != NULL);
  g_assert_false (wc_window_open_scenario_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&result);
  WAIT_UNTIL (window == NULL);

  {
    g_autofree char *tokens = wc_tokens_path_for_journal (journal);
    g_autofree char *tokens2 = wc_tokens_path_for_journal (second);

    g_unlink (tokens);
    g_unlink (tokens2);
  }
  g_unlink (journal);
  g_unlink (second);
  g_rmdir (dir);
}

static void
on_text_read (GObject      *clipboard,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(char **) user_data = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (clipboard), result, NULL);
}

/* While the journal cannot be written, the webhooks' attempts cannot be logged either, and say
 * so: expected then, and only then. */
static gboolean
journal_warnings_expected (const char     *log_domain,
                           GLogLevelFlags  log_level,
                           const char     *message,
                           gpointer        user_data)
{
  return !(g_strcmp0 (log_domain, "wc-webhooks") == 0 && (log_level & G_LOG_LEVEL_WARNING) &&
           strstr (message, "journal could not be written") != NULL);
}

/* A journal that cannot be written is loud: a bar over the window says so and what it means, and
 * goes once records go through again, the clock then paused where it was held. The journal's
 * details show its record count and head hash, the hash copyable whole. */
static void
test_journal (void)
{
  g_autofree char *scenario = g_test_build_filename (G_TEST_DIST, "fixtures", "scenario", "valid.json", NULL);
  g_autofree char *dir = g_dir_make_tmp ("whitecell-journal-XXXXXX", NULL);
  g_autofree char *journal_path = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autofree char *copied = NULL;
  g_autofree char *shown_start = NULL;
  GdkTexture *shot;
  g_autoptr(GError) error = NULL;
  WcWindow *window = new_window (NULL);
  WcJournal *journal;
  WcEngine *engine;
  AdwMessageDialog *dialog;
  WcJournalDetails *details;
  struct rlimit saved, limit;
  struct stat st;
  void (*old_handler) (int);

  g_assert_true (wc_window_open_scenario (window, scenario, journal_path));
  engine = wc_session_get_engine (wc_window_get_session (window));
  journal = wc_engine_get_journal (engine);
  fake_now = g_get_monotonic_time ();
  wc_engine_set_clock_func (engine, fake_clock, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  advance (engine, 60 * 1000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  /* what the server's group commit holds is on disk */
  gui_test_iterate (100);
  g_assert_null (wc_window_get_journal_error_shown (window));

  /* the journal can grow no more: the file at its size limit */
  g_assert_cmpint (g_stat (journal_path, &st), ==, 0);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limit = saved;
  limit.rlim_cur = st.st_size;
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_test_log_set_fatal_handler (journal_warnings_expected, NULL);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  g_assert_false (wc_engine_add_note (engine, "Power cut in the server room", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (wc_engine_get_journal_error (engine));
  WAIT_UNTIL (wc_window_get_journal_error_shown (window) != NULL);
  g_test_message ("%s", wc_window_get_journal_error_shown (window));
  g_assert_nonnull (strstr (wc_window_get_journal_error_shown (window),
                            "The exercise journal cannot be written."));
  g_assert_nonnull (strstr (wc_window_get_journal_error_shown (window),
                            wc_engine_get_journal_error (engine)));
  g_assert_nonnull (strstr (wc_window_get_journal_error_shown (window), "The clock is held"));
  /* past the bar's slide; saved once files can be written again */
  gui_test_iterate (400);
  shot = gui_test_render (GTK_WIDGET (window));

  /* room again: the engine's next try goes through, the bar goes, the clock stands paused */
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, old_handler);
  gui_test_save_texture (shot, "whitecell-journal-error.png");
  advance (engine, 1000);
  /* the pause record goes through with the server's group commit, at the end of the turn */
  WAIT_UNTIL (wc_engine_get_journal_error (engine) == NULL);
  g_test_log_set_fatal_handler (NULL, NULL);
  WAIT_UNTIL (wc_window_get_journal_error_shown (window) == NULL);
  g_assert_cmpint (wc_engine_get_state (engine), ==, WC_ENGINE_PAUSED);
  wc_window_tick (window);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (wc_window_get_status_label (window))), "Paused"));

  /* the journal's fingerprint, as `whitecellctl verify` prints it */
  g_assert_null (find_dialog ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.journal-details", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  details = WC_JOURNAL_DETAILS (adw_message_dialog_get_extra_child (dialog));
  g_assert_cmpstr (wc_journal_details_get_head_hash (details), ==, wc_journal_get_head_hash (journal));
  g_assert_cmpuint (strlen (wc_journal_details_get_head_hash (details)), ==, 64);
  shown_start = g_strndup (wc_journal_details_get_shown_hash (details), 12);
  g_assert_true (g_str_has_prefix (wc_journal_get_head_hash (journal), shown_start));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (details), "details.copy-hash", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (details)), NULL,
                                 on_text_read, &copied);
  WAIT_UNTIL (copied != NULL);
  g_assert_cmpstr (copied, ==, wc_journal_get_head_hash (journal));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  gui_test_save_screenshot (GTK_WIDGET (dialog), "whitecell-journal-details.png");
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_assert_true (wc_engine_end (engine, "done", NULL));
  close_window (window);
  {
    g_autofree char *tokens = wc_tokens_path_for_journal (journal_path);

    g_unlink (tokens);
  }
  g_unlink (journal_path);
  g_rmdir (dir);
}

/* The queue holds what the engine says waits for a judgement, in the engine's order of injects'
 * firing, each with the rule's proposal: kept up to date record by record, it must match a list
 * made afresh. */
static void
assert_queue_matches (GListModel *queue,
                      WcEngine   *engine)
{
  g_autoptr(GArray) expected = wc_engine_list_to_assess (engine);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      const WcAssessItem *e = &g_array_index (expected, WcAssessItem, i);

      g_hash_table_add (seen, g_strdup_printf ("%s/%s/%s/%d", e->inject->id, e->team, e->action->id,
                                               e->proposal.verdict));
    }
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(WcLiveAssessItem) item = g_list_model_get_item (queue, i);
      g_autofree char *key = g_strdup_printf ("%s/%s/%s/%d", wc_live_assess_item_get_inject (item),
                                              wc_live_assess_item_get_team (item),
                                              wc_live_assess_item_get_action (item),
                                              wc_live_assess_item_get_proposal (item));

      if (!g_hash_table_contains (seen, key))
        g_test_message ("not expected: %s", key);
      g_assert_true (g_hash_table_contains (seen, key));
    }
}

/* The WcActionJudge of @action_id in the detail of the selected inject. */
static WcActionJudge *
find_judge (WcWindow   *window,
            const char *action_id)
{
  g_autoptr(GPtrArray) judges = gui_test_find_all (wc_window_get_msel_view (window), WC_TYPE_ACTION_JUDGE);

  for (guint i = 0; i < judges->len; i++)
    if (g_strcmp0 (wc_action_judge_get_action_id (judges->pdata[i]), action_id) == 0)
      return judges->pdata[i];
  return NULL;
}

static void
on_durable (WcEngine     *engine,
            const GError *error,
            gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* The session's server commits records in groups: they are announced (to the live models) at
 * the end of the main-loop turn. */
static void
wait_announced (WcEngine *engine)
{
  gboolean done = FALSE;

  wc_engine_when_durable (engine, on_durable, &done, NULL);
  WAIT_UNTIL (done);
  gui_test_iterate (20);
}

static gboolean
judge_says (WcActionJudge *judge,
            const char    *needle)
{
  g_autofree char *shown = wc_action_judge_describe (judge);

  return strstr (shown, needle) != NULL;
}

/* The feed's newest event, once it is of @kind (events join the feed once per main-loop turn). */
static gboolean
newest_is (GListModel      *feed,
           WcLiveEventKind  kind)
{
  g_autoptr(WcLiveEvent) event = g_list_model_get_item (feed, 0);

  return event && wc_live_event_get_kind (event) == kind;
}

static WcLiveEvent *
newest_event (GListModel      *feed,
              WcLiveEventKind  kind)
{
  WAIT_UNTIL (newest_is (feed, kind));
  return g_list_model_get_item (feed, 0);
}

/* Judging: from the inject's detail, from the queue, by another evaluator; the feed says who. */
static void
test_judge (void)
{
  g_autofree char *scenario = g_build_filename (g_getenv ("WC_SOURCE_ROOT"), "scenarios",
                                                "hospital-ransomware", "scenario.json", NULL);
  g_autofree char *dir = g_dir_make_tmp ("whitecell-judge-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autofree char *tokens_path = NULL;
  g_autofree char *shown = NULL;
  WcWindow *window = new_window (NULL);
  WcMselView *msel;
  WcSession *session;
  WcEngine *engine;
  GListModel *queue;
  GListModel *feed;
  WcActionJudge *judge;
  WcJudgement j;
  const WcInject *i005;
  guint n, n_events;
  int position;

  g_assert_true (wc_window_open_scenario (window, scenario, journal));
  msel = WC_MSEL_VIEW (wc_window_get_msel_view (window));
  session = wc_window_get_session (window);
  engine = wc_session_get_engine (session);
  fake_now = g_get_monotonic_time ();
  wc_engine_set_clock_func (engine, fake_clock, NULL);
  queue = wc_assess_view_get_model (WC_ASSESS_VIEW (wc_window_get_assess_view (window)));
  feed = wc_feed_view_get_model (WC_FEED_VIEW (wc_window_get_feed_view (window)));
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, 0);
  WAIT_UNTIL (wc_msel_view_is_settled (msel));

  /* I-001, I-002, I-003, the contingency I-004 and I-005 fire: their actions wait in the queue */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  advance (engine, 36 * 60 * 1000);
  wait_announced (engine);
  g_assert_cmpint (wc_engine_get_inject_status (engine, "I-005"), ==, WC_INJECT_FIRED);
  assert_queue_matches (queue, engine);
  n = g_list_model_get_n_items (queue);
  /* at least I-005's three actions for the CSIRT */
  g_assert_cmpuint (n, >=, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.to-assess", NULL));
  g_assert_cmpstr (wc_window_get_side_page (window), ==, "assess");

  /* the CSIRT acknowledges I-005: its third action's rule proposes "met", and it stays queued */
  i005 = wc_engine_find_inject (engine, "I-005");
  g_assert_true (wc_engine_acknowledge (engine, "I-005", "csirt", NULL));
  wait_announced (engine);
  assert_queue_matches (queue, engine);
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, n);
  position = wc_live_assess_find (WC_LIVE_ASSESS (queue), "I-005", "csirt",
                                  ((WcExpectedAction *) i005->expected_actions->pdata[2])->id);
  g_assert_cmpint (position, >=, 0);
  {
    g_autoptr(WcLiveAssessItem) item = g_list_model_get_item (queue, position);

    g_assert_cmpint (wc_live_assess_item_get_proposal (item), ==, WC_VERDICT_MET);
    g_assert_cmpstr (wc_live_assess_item_get_proposal_label (item), ==, "Proposed: met");
  }

  /* picking it in the queue shows I-005 with the CSIRT alone; the proposal shows as proposed */
  wc_assess_view_select (WC_ASSESS_VIEW (wc_window_get_assess_view (window)), position);
  g_assert_cmpstr (wc_msel_view_get_selected_id (msel), ==, "I-005");
  {
    g_autoptr(GPtrArray) rows = gui_test_find_all (GTK_WIDGET (msel), WC_TYPE_INJECT_TEAM_ROW);

    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_cmpstr (wc_inject_team_row_get_team (rows->pdata[0]), ==, "csirt");
  }
  judge = find_judge (window, ((WcExpectedAction *) i005->expected_actions->pdata[2])->id);
  g_assert_nonnull (judge);
  shown = wc_action_judge_describe (judge);
  g_test_message ("%s", shown);
  g_assert_true (g_str_has_prefix (shown, "Proposed: met · by the rule"));

  /* judged from the detail: the engine has it, as the controller's; the queue is one shorter */
  judge = find_judge (window, ((WcExpectedAction *) i005->expected_actions->pdata[0])->id);
  wc_action_judge_set_choice (judge, WC_VERDICT_PARTIAL, "Escalated <b>late</b> & by phone");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (judge), "judge.assess", NULL));
  wait_announced (engine);
  wc_engine_get_judgement (engine, "I-005", "csirt", i005->expected_actions->pdata[0], &j);
  g_assert_cmpint (j.verdict, ==, WC_VERDICT_PARTIAL);
  g_assert_false (j.automatic);
  g_assert_null (j.by);
  g_assert_cmpstr (j.note, ==, "Escalated <b>late</b> & by phone");
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, n - 1);
  assert_queue_matches (queue, engine);
  g_clear_pointer (&shown, g_free);
  shown = wc_action_judge_describe (judge);
  g_assert_cmpstr (shown, ==, "partially met · by Controller at T+00:36:00 · Escalated <b>late</b> & by phone");
  {
    g_autoptr(WcLiveEvent) event = newest_event (feed, WC_LIVE_EVENT_JUDGEMENT);

    g_assert_cmpint (wc_live_event_get_kind (event), ==, WC_LIVE_EVENT_JUDGEMENT);
    g_assert_cmpstr (wc_live_event_get_text (event), ==, "Escalated <b>late</b> & by phone");
    g_assert_true (g_str_has_prefix (wc_live_event_get_summary (event), "Controller judged “"));
  }

  /* another evaluator judges over the API (the engine, as them): the detail and the feed show
   * it, with their name */
  n_events = g_list_model_get_n_items (feed);
  wc_engine_set_actor (engine, "eval-csirt");
  g_assert_true (wc_engine_assess (engine, "I-005", "csirt", "2", WC_VERDICT_NOT_MET,
                                   "No call to the CCB", NULL));
  wait_announced (engine);
  wc_engine_set_actor (engine, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, n - 2);
  judge = find_judge (window, ((WcExpectedAction *) i005->expected_actions->pdata[1])->id);
  /* the detail follows records a fifth of a second later, once for a burst */
  WAIT_UNTIL (judge_says (judge, "Pieter Claes"));
  g_clear_pointer (&shown, g_free);
  shown = wc_action_judge_describe (judge);
  g_assert_cmpstr (shown, ==, "not met · by Pieter Claes (CCB, evaluator for the CSIRT and eHealth) at "
                              "T+00:36:00 · No call to the CCB");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  {
    g_autoptr(WcLiveEvent) event = NULL;
    g_autoptr(GPtrArray) rows = NULL;
    gboolean found = FALSE;

    WAIT_UNTIL (g_list_model_get_n_items (feed) > n_events);
    event = newest_event (feed, WC_LIVE_EVENT_JUDGEMENT);
    g_assert_cmpint (wc_live_event_get_kind (event), ==, WC_LIVE_EVENT_JUDGEMENT);
    g_assert_cmpstr (wc_live_event_get_by (event), ==, "Pieter Claes (CCB, evaluator for the CSIRT and eHealth)");
    g_assert_nonnull (strstr (wc_live_event_get_summary (event), ": not met"));
    /* the feed page shows it */
    adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_ancestor (wc_window_get_feed_view (window), ADW_TYPE_VIEW_STACK)), "feed");
    gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
    rows = gui_test_find_all (wc_window_get_feed_view (window), WC_TYPE_FEED_ROW);
    for (guint i = 0; i < rows->len; i++)
      found |= g_str_has_prefix (wc_feed_row_get_summary (rows->pdata[i]), "Pieter Claes (CCB");
    g_assert_true (found);
  }

  /* an observation by another evaluator, and the proposal confirmed from the queue */
  wc_engine_set_actor (engine, "eval-hospital");
  g_assert_true (wc_engine_observe (engine, "Good use of the <i>runbook</i>", WC_OBSERVATION_STRENGTH,
                                    "st-elisabeth", "I-001", NULL, NULL));
  wait_announced (engine);
  wc_engine_set_actor (engine, NULL);
  {
    g_autoptr(WcLiveEvent) event = newest_event (feed, WC_LIVE_EVENT_OBSERVATION);

    g_assert_cmpint (wc_live_event_get_kind (event), ==, WC_LIVE_EVENT_OBSERVATION);
    g_assert_cmpstr (wc_live_event_get_summary (event), ==,
                     "Nathalie Dumont (CHU, evaluator for the hospitals) noted a strength");
    g_assert_cmpstr (wc_live_event_get_text (event), ==, "Good use of the <i>runbook</i>");
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.to-assess", NULL));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  {
    g_autoptr(GPtrArray) rows = NULL;
    WcAssessRow *confirm = NULL;

    gui_test_iterate (100);
    rows = gui_test_find_all (wc_window_get_assess_view (window), WC_TYPE_ASSESS_ROW);
    for (guint i = 0; i < rows->len; i++)
      {
        WcLiveAssessItem *item = wc_assess_row_get_item (rows->pdata[i]);

        if (item && wc_live_assess_item_get_proposal (item) == WC_VERDICT_MET)
          confirm = rows->pdata[i];
      }
    g_assert_nonnull (confirm);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (confirm), "assess.confirm", NULL));
    wait_announced (engine);
  }
  wc_engine_get_judgement (engine, "I-005", "csirt", i005->expected_actions->pdata[2], &j);
  g_assert_cmpint (j.verdict, ==, WC_VERDICT_MET);
  g_assert_false (j.automatic);
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, n - 3);
  assert_queue_matches (queue, engine);
  /* withdrawn, it waits again, in its place */
  g_assert_true (wc_engine_assess (engine, "I-005", "csirt", "1", WC_VERDICT_PENDING, NULL, NULL));
  wait_announced (engine);
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, n - 2);
  assert_queue_matches (queue, engine);

  /* the window with the queue, and the detail of I-005 for the CSIRT */
  gui_test_iterate (300);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gui_test_save_screenshot (GTK_WIDGET (window), "whitecell-judge.png");
  {
    g_autoptr(GPtrArray) rows = gui_test_find_all (GTK_WIDGET (msel), WC_TYPE_INJECT_TEAM_ROW);

    gui_test_save_screenshot (rows->pdata[0], "whitecell-judge-team.png");
  }

  /* the staff dialog: the scenario's five, then one added; the id is made from the name */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.staff", NULL));
  {
    WcStaffDialog *dialog = find_toplevel (WC_TYPE_STAFF_DIALOG);
    g_autoptr(GPtrArray) entries = NULL;
    const WcStaff *added;
    WcStaffRow *row;

    g_assert_nonnull (dialog);
    g_assert_cmpuint (wc_staff_dialog_get_rows (dialog)->len, ==, 5);
    entries = gui_test_find_all (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
    g_assert_cmpuint (entries->len, ==, 1);
    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "  Jan Peeters <b>(NCCN)</b> ");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "staff.add", NULL));
    wait_announced (engine);
    added = wc_engine_find_staff (engine, "jan-peeters-b-nccn-b");
    g_assert_nonnull (added);
    g_assert_cmpstr (added->name, ==, "Jan Peeters <b>(NCCN)</b>");
    g_assert_cmpint (added->role, ==, WC_STAFF_EVALUATOR);
    g_assert_cmpuint (wc_staff_dialog_get_rows (dialog)->len, ==, 6);
    row = g_ptr_array_index (wc_staff_dialog_get_rows (dialog), 5);
    g_assert_cmpstr (wc_staff_row_get_id (row), ==, "jan-peeters-b-nccn-b");
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Jan Peeters <b>(NCCN)</b>");
    /* the server gave the new member a token: their link */
    {
      g_autofree char *base = wc_server_get_base_url (wc_session_get_server (session));
      g_autofree char *prefix = g_strconcat (base, "/e/", NULL);

      g_assert_nonnull (wc_staff_row_get_url (row));
      g_assert_true (g_str_has_prefix (wc_staff_row_get_url (row), prefix));
    }
    /* a name already taken gets a fresh id */
    {
      g_autofree char *id = wc_staff_dialog_make_id (engine, "Jan Peeters <b>(NCCN)</b>");

      g_assert_cmpstr (id, ==, "jan-peeters-b-nccn-b-2");
    }
    {
      g_autoptr(WcLiveEvent) event = newest_event (feed, WC_LIVE_EVENT_STAFF);

      g_assert_cmpint (wc_live_event_get_kind (event), ==, WC_LIVE_EVENT_STAFF);
      g_assert_cmpstr (wc_live_event_get_summary (event), ==,
                       "Jan Peeters <b>(NCCN)</b> joined the staff as Evaluator");
    }
    gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
    gui_test_iterate (300);
    gui_test_save_screenshot (GTK_WIDGET (dialog), "whitecell-staff.png");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  g_assert_true (wc_engine_end (engine, "done", NULL));
  close_window (window);
  tokens_path = wc_tokens_path_for_journal (journal);
  g_unlink (tokens_path);
  g_unlink (journal);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/whitecell/window/findings", test_findings);
  g_test_add_func ("/whitecell/window/exercise", test_exercise);
  g_test_add_func ("/whitecell/window/open-async", test_open_async);
  g_test_add_func ("/whitecell/window/journal", test_journal);
  g_test_add_func ("/whitecell/window/judge", test_judge);
  return g_test_run ();
}
