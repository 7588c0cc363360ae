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
#include "wc-adhoc-dialog.h"
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
  /* Teams Joining would take the keyboard the tests drive; test-join checks it opens */
  g_settings_set_boolean (settings, "show-joining-on-create", FALSE);
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
  /* each record is announced once durable, the journal's sync on a thread of its own */
  WAIT_UNTIL (g_list_model_get_n_items (feed) >= 3);
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

/* The crisis room's layout ------------------------------------------------------------------- */

/* An exercise of the hospital scenario (8 teams) in a window of @width × @height, its rows and
 * cards all in. */
static WcWindow *
open_hospital (int         width,
               int         height,
               char      **dir_out)
{
  g_autofree char *scenario = g_build_filename (g_getenv ("WC_SOURCE_ROOT"), "scenarios",
                                                "hospital-ransomware", "scenario.json", NULL);
  g_autofree char *journal = NULL;
  WcWindow *window = new_window (NULL);

  *dir_out = g_dir_make_tmp ("whitecell-layout-XXXXXX", NULL);
  journal = g_build_filename (*dir_out, "exercise.jsonl", NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  g_assert_true (wc_window_open_scenario (window, scenario, journal));
  WAIT_UNTIL (wc_msel_view_is_settled (WC_MSEL_VIEW (wc_window_get_msel_view (window))));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  WAIT_UNTIL (gui_test_find_card (wc_window_get_team_grid (window), "press-office") != NULL);
  gui_test_iterate (300);
  return window;
}

static void
remove_exercise (char *dir)
{
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autofree char *tokens = wc_tokens_path_for_journal (journal);

  g_unlink (tokens);
  g_unlink (journal);
  g_rmdir (dir);
  g_free (dir);
}

/* The deadline entry at the end of an expected action's row. */
static GtkEditable *
find_deadline (GtkWidget *row)
{
  g_autoptr(GPtrArray) found = gui_test_find_all (row, GTK_TYPE_ENTRY);

  g_assert_cmpuint (found->len, ==, 1);
  return found->pdata[0];
}

static const char *
status_of (WcLive     *live,
           const char *inject_id)
{
  return wc_live_inject_get_status (wc_live_find_inject (live, inject_id));
}

static const char *
status_text (WcWindow *window)
{
  return gtk_label_get_label (GTK_LABEL (wc_window_get_status_label (window)));
}

/* The MSEL's cells that show @property (one per row drawn). */
static GPtrArray *
find_cells (WcWindow   *window,
            const char *property)
{
  g_autoptr(GPtrArray) labels = NULL;
  GPtrArray *cells = g_ptr_array_new ();

  labels = gui_test_find_all (wc_window_get_msel_view (window), GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (g_object_get_data (labels->pdata[i], "property"), property) == 0 &&
        gtk_widget_get_mapped (labels->pdata[i]))
      g_ptr_array_add (cells, labels->pdata[i]);
  return cells;
}

typedef struct {
  int         width;
  int         height;
  int         min_title;     /* px of the title column */
  guint       max_cut;       /* titles ellipsized at most */
  gboolean    all_teams;     /* the board shows every card, else it has 2/3 of its column */
  const char *screenshot;
} LayoutCase;

/* At 1280 and 1920 px wide: the MSEL has its share of the width and the title column the room
 * left by the others; the teams board is as tall as its 8 teams (at 1920×1080 all of them, no
 * empty band below), or two thirds of its column; the exercise's title and TLP are over the
 * panes. */
static void
test_layout (gconstpointer data)
{
  const LayoutCase *c = data;
  char *dir = NULL;
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  g_autoptr(GPtrArray) titles = NULL;
  GdkRectangle screen;
  WcWindow *window;
  GtkWidget *msel, *scroll, *feed;
  GtkAdjustment *vadj;
  guint cut = 0;

  /* a window is never made larger than its screen */
  gdk_monitor_get_geometry (monitor, &screen);
  if (screen.width < c->width || screen.height < c->height)
    {
      g_autofree char *why = g_strdup_printf ("the screen is %d×%d: run under Xvfb's -screen 0 "
                                              "1920x1080x24, as tests/run-tests.sh does",
                                              screen.width, screen.height);

      g_test_skip (why);
      return;
    }
  window = open_hospital (c->width, c->height, &dir);
  titles = find_cells (window, "title");
  msel = wc_window_get_msel_view (window);
  scroll = gtk_widget_get_ancestor (wc_window_get_team_grid (window), GTK_TYPE_SCROLLED_WINDOW);
  vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroll));
  feed = wc_window_get_feed_view (window);
  /* the default size counts the window's decorations */
  g_assert_cmpint (ABS (gtk_widget_get_width (GTK_WIDGET (window)) - c->width), <=, 20);
  g_assert_cmpuint (titles->len, >, 10);
  /* cards join the board a few per main-loop turn, and it grows with them */
  if (c->all_teams)
    WAIT_UNTIL (gtk_adjustment_get_upper (vadj) <= gtk_adjustment_get_page_size (vadj) + 1);
  for (guint i = 0; i < titles->len; i++)
    {
      GtkLabel *title = titles->pdata[i];
      gboolean is_cut = pango_layout_is_ellipsized (gtk_label_get_layout (title));
      g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
      gboolean shown = FALSE;

      cut += is_cut;
      /* a cut title is read whole in its tooltip, asked for when the pointer rests on it (none
       * set as cells are bound) */
      g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (title)));
      g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (title)));
      g_signal_emit_by_name (title, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
      g_assert_cmpint (shown, ==, is_cut);
    }
  g_test_message ("%d px: MSEL %d px, title column %d px, %u of %u titles cut; teams board %d px "
                  "for %.0f px of cards, feed %d px", c->width, gtk_widget_get_width (msel),
                  gtk_widget_get_width (titles->pdata[0]), cut, titles->len,
                  gtk_widget_get_height (scroll), gtk_adjustment_get_upper (vadj),
                  gtk_widget_get_height (feed));
  gui_test_save_screenshot (GTK_WIDGET (window), c->screenshot);
  g_assert_cmpint (gtk_widget_get_width (titles->pdata[0]), >=, c->min_title);
  g_assert_cmpuint (cut, <=, c->max_cut);
  /* a share of the width, not a fixed 820 px */
  g_assert_cmpfloat (ABS ((double) gtk_widget_get_width (msel) /
                          gtk_widget_get_width (GTK_WIDGET (window)) - 0.6), <, 0.05);
  /* the board is as tall as its cards: none out of sight, no empty band below them; or, when
   * they do not fit, three quarters of the column, the feed the rest */
  g_assert_cmpfloat (gtk_adjustment_get_page_size (vadj), <=, gtk_adjustment_get_upper (vadj) + 1);
  if (c->all_teams)
    g_assert_cmpfloat (gtk_adjustment_get_upper (vadj), <=,
                       gtk_adjustment_get_page_size (vadj) + 1);
  else
    g_assert_cmpint (gtk_widget_get_height (feed), >=, gtk_widget_get_height (scroll) / 3 - 40);
  g_assert_cmpint (gtk_widget_get_height (feed), >=, 150);
  g_assert_cmpstr (wc_window_get_exercise_title (window), ==,
                   "Cyberstorm 2026: ransomware in the health sector");
  g_assert_cmpstr (wc_window_get_tlp_text (window), ==, "TLP:AMBER");
  close_window (window);
  remove_exercise (dir);
}

/* The dividers the controller dragged are where they were in the next window, as shares of its
 * width for the MSEL, in pixels for the teams board. */
static void
test_panes_remembered (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  char *dir = NULL;
  WcWindow *window = open_hospital (1400, 900, &dir);
  GtkPaned *main_paned = GTK_PANED (gtk_widget_get_parent (wc_window_get_msel_view (window)));
  GtkPaned *side_paned = GTK_PANED (gtk_widget_get_ancestor (wc_window_get_team_grid (window),
                                                             GTK_TYPE_PANED));

  /* as if dragged: half the width */
  gtk_paned_set_position (main_paned, gtk_widget_get_width (GTK_WIDGET (main_paned)) / 2);
  gtk_paned_set_position (side_paned, 260);
  /* closed as the controller closes it (a ready exercise closes without asking) */
  gtk_window_close (GTK_WINDOW (window));
  gui_test_iterate (50);
  remove_exercise (dir);
  g_assert_cmpfloat (ABS (g_settings_get_double (settings, "msel-fraction") - 0.5), <, 0.01);
  g_assert_cmpint (g_settings_get_int (settings, "teams-height"), ==, 260);

  window = open_hospital (1800, 1000, &dir);
  main_paned = GTK_PANED (gtk_widget_get_parent (wc_window_get_msel_view (window)));
  side_paned = GTK_PANED (gtk_widget_get_ancestor (wc_window_get_team_grid (window),
                                                    GTK_TYPE_PANED));
  g_assert_cmpfloat (ABS ((double) gtk_paned_get_position (main_paned) /
                          gtk_widget_get_width (GTK_WIDGET (main_paned)) - 0.5), <, 0.01);
  g_assert_cmpint (gtk_paned_get_position (side_paned), ==, 260);
  close_window (window);
  remove_exercise (dir);
  g_settings_reset (settings, "msel-fraction");
  g_settings_reset (settings, "teams-height");
}

/* Space as the window's key handler has it, before the focused widget (Xvfb has no input to
 * synthesise: the handler is called as GTK calls it in the capture phase). */
static gboolean
press_space (WcWindow *window)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "wc-space") == 0)
        {
          g_assert_cmpint (gtk_event_controller_get_propagation_phase (controller), ==,
                           GTK_PHASE_CAPTURE);
          g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_space, 65, 0, &handled);
          return handled;
        }
    }
  g_assert_not_reached ();
}

/* Space pauses and resumes wherever the focus is, after a click in the MSEL or the feed too,
 * but is a space in the filter; on a fresh window it presses no button. */
static void
test_space (void)
{
  WcWindow *window = new_window (NULL);
  char *dir = NULL;
  WcEngine *engine;
  g_autoptr(GPtrArray) views = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
  g_assert_true (GTK_IS_BUTTON (gtk_root_get_focus (GTK_ROOT (window))));
  /* had by the window: the focused "Open Scenario…" button never sees it */
  g_assert_true (press_space (window));
  gui_test_iterate (100);
  g_assert_null (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  close_window (window);

  window = open_hospital (1400, 900, &dir);
  engine = wc_session_get_engine (wc_window_get_session (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  /* the window hears of it once the record is written, at the end of the main-loop turn */
  WAIT_UNTIL (strstr (status_text (window), "Running"));
  views = gui_test_find_all (wc_window_get_msel_view (window), GTK_TYPE_COLUMN_VIEW);
  g_assert_true (gtk_widget_grab_focus (views->pdata[0]));
  g_assert_true (press_space (window));
  WAIT_UNTIL (wc_engine_get_state (engine) == WC_ENGINE_PAUSED);
  g_clear_pointer (&views, g_ptr_array_unref);
  views = gui_test_find_all (wc_window_get_feed_view (window), GTK_TYPE_LIST_VIEW);
  g_assert_true (gtk_widget_grab_focus (views->pdata[0]));
  g_assert_true (press_space (window));
  WAIT_UNTIL (wc_engine_get_state (engine) == WC_ENGINE_RUNNING);
  /* typed in the filter, it is a space */
  entries = gui_test_find_all (wc_window_get_msel_view (window), GTK_TYPE_SEARCH_ENTRY);
  g_assert_true (gtk_widget_grab_focus (entries->pdata[0]));
  g_assert_false (press_space (window));
  gui_test_iterate (50);
  g_assert_cmpint (wc_engine_get_state (engine), ==, WC_ENGINE_RUNNING);
  g_assert_true (wc_engine_end (engine, "done", NULL));
  close_window (window);
  remove_exercise (dir);
}

/* The context menu's item for @label under the MSEL: it follows its action's state. */
static GtkWidget *
menu_item (WcWindow   *window,
           const char *label)
{
  g_autoptr(GPtrArray) items = gui_test_find_all (wc_window_get_msel_view (window),
                                                  g_type_from_name ("GtkModelButton"));

  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *text = NULL;

      g_object_get (items->pdata[i], "text", &text, NULL);
      if (g_strcmp0 (text, label) == 0)
        return items->pdata[i];
    }
  g_assert_not_reached ();
}

static void
respond (const char *response)
{
  AdwMessageDialog *dialog = find_dialog ();

  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  gui_test_iterate (50);
}

/* The tokens of a new exercise are made beside its engine: when they cannot be written (a folder
 * where their file goes), the open fails with the file named, and the window has no exercise. */
static void
test_open_tokens_unwritable (void)
{
  g_autofree char *scenario = g_test_build_filename (G_TEST_DIST, "fixtures", "scenario", "valid.json", NULL);
  g_autofree char *dir = g_dir_make_tmp ("whitecell-tokens-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autofree char *tokens = wc_tokens_path_for_journal (journal);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  WcWindow *window = new_window (NULL);

  g_assert_no_errno (g_mkdir (tokens, 0700));
  wc_window_open_scenario_async (window, scenario, journal, on_done, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_false (wc_window_open_scenario_finish (result, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, tokens));
  g_assert_false (wc_window_has_exercise (window));
  g_assert_false (wc_window_is_opening (window));
  close_window (window);
  g_assert_no_errno (g_rmdir (tokens));
  remove_exercise (g_steal_pointer (&dir));
}

/* A long MSEL (more injects than are filtered and sorted at once) shows a screenful first and
 * grows a step a frame: an inject asked for while it fills is selected once it is shown, and in
 * the end every inject is there, in time order. */
static void
test_long_msel (void)
{
  g_autoptr(GString) doc = g_string_new ("{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
                                         " \"exercise\": {\"id\": \"long\", \"title\": \"Long\", "
                                         "\"tlp\": \"GREEN\", \"duration\": \"T+24:00\"},\n"
                                         " \"teams\": [{\"id\": \"a\", \"name\": \"A\", "
                                         "\"kind\": \"operator\"}],\n \"injects\": [\n");
  g_autofree char *dir = g_dir_make_tmp ("whitecell-long-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "long.json", NULL);
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  const guint n = 2000;
  WcWindow *window = new_window (NULL);
  WcMselView *msel = WC_MSEL_VIEW (wc_window_get_msel_view (window));
  GListModel *rows;

  /* written last first: the MSEL sorts them by time */
  for (guint i = n; i-- > 0; )
    g_string_append_printf (doc, "%s{\"id\": \"I%04u\", \"at\": \"T+%02u:%02u:%02u\", "
                            "\"channel\": \"email\", \"to\": \"all\", \"title\": \"Inject %u\", "
                            "\"body\": \"b\"}\n", i == n - 1 ? "" : ",", i, (i + 1) / 3600,
                            (i + 1) / 60 % 60, (i + 1) % 60, i);
  g_string_append (doc, "]}\n");
  g_assert_true (g_file_set_contents (path, doc->str, doc->len, NULL));
  g_assert_true (wc_window_open_scenario (window, path, journal));
  rows = wc_msel_view_get_visible (msel);
  g_assert_cmpuint (g_list_model_get_n_items (rows), <, n);
  g_assert_true (wc_msel_view_select (msel, "I1999"));
  WAIT_UNTIL (wc_msel_view_is_settled (msel));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n);
  g_assert_cmpstr (wc_msel_view_get_selected_id (msel), ==, "I1999");
  for (guint i = 0; i < n; i += 499)
    {
      g_autoptr(WcLiveInject) row = g_list_model_get_item (rows, i);
      g_autofree char *id = g_strdup_printf ("I%04u", i);

      g_assert_cmpstr (wc_live_inject_get_id (row), ==, id);
    }
  close_window (window);
  g_unlink (path);
  remove_exercise (g_steal_pointer (&dir));
}

/* The MSEL in time order; what can be done with an inject follows its status, and what cannot be
 * undone asks first; a contingency names the teams it reached, an ad-hoc inject its time; once
 * ended nothing is next and the review is offered. */
static void
test_msel_actions (void)
{
  char *dir = NULL;
  WcWindow *window = open_hospital (1400, 900, &dir);
  WcMselView *msel = WC_MSEL_VIEW (wc_window_get_msel_view (window));
  WcSession *session = wc_window_get_session (window);
  WcEngine *engine = wc_session_get_engine (session);
  WcLive *live = wc_session_get_live (session);
  GListModel *rows = wc_msel_view_get_visible (msel);
  g_autofree char *adhoc = NULL;
  gint64 last = -1;
  int at_019 = -1, at_020 = -1;
  GtkWindow *review;

  /* by due time, not by id: I-019 (T+02:55, 25 minutes after I-018) after I-020 (T+02:45) */
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(WcLiveInject) row = g_list_model_get_item (rows, i);
      gint64 due = wc_live_inject_get_due_ms (row);

      if (g_str_equal (wc_live_inject_get_id (row), "I-019"))
        at_019 = i;
      if (g_str_equal (wc_live_inject_get_id (row), "I-020"))
        at_020 = i;
      if (due >= 0)
        {
          g_assert_cmpint (due, >=, last);
          last = due;
        }
      else
        /* the manual one goes last */
        g_assert_cmpuint (i, ==, g_list_model_get_n_items (rows) - 1);
    }
  g_assert_cmpint (at_020, >=, 0);
  g_assert_cmpint (at_020, <, at_019);

  fake_now = g_get_monotonic_time ();
  wc_engine_set_clock_func (engine, fake_clock, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  /* the window hears of each change once its record is written, at the end of the main-loop turn */
  WAIT_UNTIL (strstr (status_text (window), "Running"));

  /* a pending inject is held, not released; a held one released, not held */
  g_assert_true (wc_msel_view_select (msel, "I-002"));
  g_assert_true (gtk_widget_get_sensitive (menu_item (window, "Hold")));
  g_assert_false (gtk_widget_get_sensitive (menu_item (window, "Release")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.hold", NULL));
  WAIT_UNTIL (g_str_equal (status_of (live, "I-002"), "held"));
  g_assert_false (gtk_widget_get_sensitive (menu_item (window, "Hold")));
  g_assert_true (gtk_widget_get_sensitive (menu_item (window, "Release")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.release", NULL));
  WAIT_UNTIL (g_str_equal (status_of (live, "I-002"), "pending"));

  /* skipping asks first */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.skip", NULL));
  g_assert_cmpstr (status_of (live, "I-002"), ==, "pending");
  respond ("cancel");
  g_assert_cmpstr (status_of (live, "I-002"), ==, "pending");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.skip", NULL));
  respond ("do");
  WAIT_UNTIL (g_str_equal (status_of (live, "I-002"), "skipped"));
  g_assert_false (gtk_widget_get_sensitive (menu_item (window, "Skip")));

  /* firing to every team asks first; to one team it does not */
  g_assert_true (wc_msel_view_select (msel, "I-008"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.fire", NULL));
  g_assert_cmpstr (status_of (live, "I-008"), ==, "pending");
  respond ("do");
  WAIT_UNTIL (g_str_equal (status_of (live, "I-008"), "fired"));
  g_assert_true (wc_msel_view_select (msel, "I-005"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.fire", NULL));
  g_assert_null (find_dialog ());
  WAIT_UNTIL (g_str_equal (status_of (live, "I-005"), "fired"));

  /* nobody answers I-001: its contingency names who it reached */
  advance (engine, 31 * 60 * 1000);
  WAIT_UNTIL (g_str_equal (status_of (live, "I-004"), "fired"));
  {
    g_autofree char *to = NULL;

    g_object_get (wc_live_find_inject (live, "I-004"), "recipients", &to, NULL);
    g_assert_cmpstr (to, ==, "Who has not answered I-001: Sint-Elisabeth Hospital Group");
  }

  /* an ad-hoc inject: from one of the scenario's actors, in each of the exercise's languages
   * (en, nl, fr); sent, it shows when it went out */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.adhoc", NULL));
  {
    WcAdhocDialog *dialog = find_toplevel (WC_TYPE_ADHOC_DIALOG);
    g_autoptr(GPtrArray) entries = NULL;
    g_autoptr(GPtrArray) views = NULL;
    g_autoptr(GPtrArray) combos = NULL;
    g_autoptr(GPtrArray) checks = NULL;
    g_autoptr(GPtrArray) deadlines = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *time = NULL;
    g_autofree char *source = g_build_filename (dir, "generator.log", NULL);
    g_autofree char *folder = NULL;
    g_autofree char *copy = NULL;
    const WcExpectedAction *action;
    const WcInject *sent;
    GListModel *senders;

    g_assert_nonnull (dialog);
    entries = gui_test_find_all (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
    views = gui_test_find_all (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW);
    combos = gui_test_find_all (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW);
    checks = gui_test_find_all (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON);
    /* a title and a message for en, nl and fr; then three expected actions */
    g_assert_cmpuint (entries->len, ==, 6);
    g_assert_cmpuint (views->len, ==, 3);
    /* channel, TLP, sender: exercise control, then the 15 actors */
    g_assert_cmpuint (combos->len, ==, 3);
    senders = adw_combo_row_get_model (combos->pdata[2]);
    g_assert_cmpuint (g_list_model_get_n_items (senders), ==, 16);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (senders), 1), ==,
                     "Sint-Elisabeth SOC analyst");
    adw_combo_row_set_selected (combos->pdata[2], 1);
    gtk_editable_set_text (entries->pdata[0], "Power cut");
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (views->pdata[0]),
                              "The generator did not start.", -1);
    gtk_editable_set_text (entries->pdata[1], "Stroomonderbreking");
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (views->pdata[1]),
                              "De generator startte niet.", -1);
    /* two expected actions, one with a deadline, and a file */
    deadlines = gui_test_find_all (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);
    g_assert_cmpuint (deadlines->len, >=, 3);
    gtk_editable_set_text (entries->pdata[3], "Switch to the backup generator");
    gtk_editable_set_text (entries->pdata[4], "  ");
    gtk_editable_set_text (entries->pdata[5], "Inform the crisis cell");
    gtk_editable_set_text (find_deadline (entries->pdata[3]), "00:20");
    g_assert_true (g_file_set_contents (source, "generator log", -1, NULL));
    wc_adhoc_dialog_add_file (dialog, source);
    g_assert_cmpuint (wc_adhoc_dialog_get_n_files (dialog), ==, 1);
    /* every team */
    gtk_check_button_set_active (checks->pdata[0], TRUE);
    gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
    gui_test_save_screenshot (GTK_WIDGET (dialog), "whitecell-adhoc.png");
    adhoc = wc_adhoc_dialog_send (dialog, &error);
    g_assert_no_error (error);
    gtk_window_destroy (GTK_WINDOW (dialog));
    WAIT_UNTIL (wc_live_find_inject (live, adhoc) &&
                g_str_equal (status_of (live, adhoc), "fired"));
    sent = wc_engine_find_inject (engine, adhoc);
    g_assert_cmpstr (sent->from, ==, "soc");
    g_assert_cmpstr (wc_text_get (sent->title, "nl", NULL), ==, "Stroomonderbreking");
    g_assert_cmpstr (wc_text_get (sent->body, "nl", NULL), ==, "De generator startte niet.");
    /* French left empty: the first language's text */
    g_assert_cmpstr (wc_text_get (sent->title, "fr", "en"), ==, "Power cut");
    g_object_get (wc_live_find_inject (live, adhoc), "time", &time, NULL);
    g_assert_cmpstr (time, ==, "T+00:31");
    /* the blank line is no action; the others are judged by a person */
    g_assert_cmpuint (sent->expected_actions->len, ==, 2);
    action = g_ptr_array_index (sent->expected_actions, 0);
    g_assert_cmpstr (wc_text_get (action->text, NULL, NULL), ==, "Switch to the backup generator");
    g_assert_cmpint (action->deadline_ms, ==, 20 * 60 * 1000);
    g_assert_cmpint (action->judge, ==, WC_JUDGE_MANUAL);
    action = g_ptr_array_index (sent->expected_actions, 1);
    g_assert_cmpstr (action->id, ==, "a2");
    g_assert_cmpint (action->deadline_ms, ==, -1);
    g_assert_cmpuint (sent->attachments->len, ==, 1);
    folder = wc_engine_get_attachment_folder (engine, adhoc);
    copy = g_build_filename (folder, ((WcAttachment *) sent->attachments->pdata[0])->file, NULL);
    g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpint (g_unlink (copy), ==, 0);
    g_clear_pointer (&copy, g_free);
    copy = g_build_filename (folder, adhoc, NULL);
    g_assert_cmpint (g_rmdir (copy), ==, 0);
    g_assert_cmpint (g_rmdir (folder), ==, 0);
    g_assert_cmpint (g_unlink (source), ==, 0);
  }
  /* a sender that is not one of the scenario's actors is refused, with its name */
  {
    g_autoptr(WcText) title = wc_text_new_plain ("t");
    g_autoptr(GError) error = NULL;

    g_assert_null (wc_engine_send_adhoc_full (engine, title, title, "nobody", WC_CHANNEL_EMAIL,
                                              NULL, WC_TLP_AMBER, NULL, NULL, &error));
    g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "nobody"));
  }

  /* ended: nothing is next, the review is offered and opens */
  g_assert_false (gtk_widget_get_visible (wc_window_get_review_button (window)));
  g_assert_true (wc_live_inject_get_is_next (wc_live_find_inject (live, "I-006")));
  g_assert_true (wc_engine_end (engine, "done", NULL));
  /* the rows hear of it with the record, at the end of the main-loop turn */
  WAIT_UNTIL (!wc_live_inject_get_is_next (wc_live_find_inject (live, "I-006")));
  WAIT_UNTIL (gtk_widget_get_visible (wc_window_get_review_button (window)));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(WcLiveInject) row = g_list_model_get_item (rows, i);

      g_assert_false (wc_live_inject_get_is_next (row));
      g_assert_cmpstr (wc_live_inject_get_status_label (row), !=, "Next");
    }
  g_assert_true (gtk_widget_get_visible (wc_window_get_review_button (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.review", NULL));
  WAIT_UNTIL ((review = find_toplevel (WC_TYPE_REVIEW_WINDOW)) != NULL);
  gui_test_iterate (200);
  gtk_window_destroy (review);
  close_window (window);
  remove_exercise (dir);
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
  {
    static const LayoutCase at_1280 = { 1280, 800, 220, 29, FALSE, "whitecell-window-1280.png" };
    static const LayoutCase at_1920 = { 1920, 1080, 400, 0, TRUE, "whitecell-window-1920.png" };

    g_test_add_data_func ("/whitecell/window/layout-1280", &at_1280, test_layout);
    g_test_add_data_func ("/whitecell/window/layout-1920", &at_1920, test_layout);
  }
  g_test_add_func ("/whitecell/window/panes-remembered", test_panes_remembered);
  g_test_add_func ("/whitecell/window/space", test_space);
  g_test_add_func ("/whitecell/window/msel-actions", test_msel_actions);
  g_test_add_func ("/whitecell/window/long-msel", test_long_msel);
  g_test_add_func ("/whitecell/window/open-tokens-unwritable", test_open_tokens_unwritable);
  return g_test_run ();
}
