/* test-review.c: the review window under Xvfb: a journal opened read-only, the scrubber moved,
 * and the teams board, the MSEL and the timeline showing the exercise as it stood then;
 * reviewers' notes saved beside the journal, and the report exported. A screenshot is left in
 * the build directory (whitecell-review.png). */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include "gui-test.h"
#include <glib/gstdio.h>
#include <string.h>

#include "wc-journal-details.h"
#include "wc-review-window.h"
#include "wc-scenario-loader.h"
#include "wc-timeline.h"
#include "wc-actor-reply-dialog.h"
#include "wc-traffic-lanes.h"
#include "wc-traffic-view.h"
#include "wc-window.h"

static gint64 fake_now;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

static void
at (WcEngine *engine,
    gint64    t_ms)
{
  fake_now = 1000000 + t_ms * 1000;
  wc_engine_process (engine);
}

/* An exercise of the fixture scenario: AquaFlow acknowledges I-001 at once and answers late, the
 * crisis centre decides on I-003 without acknowledging it. */
static void
play_exercise (const char *journal)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "scenario", "valid.json", NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) scenario = wc_scenario_load (path, diag, &error);
  g_autoptr(WcEngine) engine = NULL;

  g_assert_no_error (error);
  engine = wc_engine_new (scenario, journal, &error);
  g_assert_no_error (error);
  fake_now = 1000000;
  wc_engine_set_clock_func (engine, fake_clock, NULL);
  g_assert_true (wc_engine_start (engine, &error));
  at (engine, 1000);
  g_assert_true (wc_engine_acknowledge (engine, "I-001", "aquaflow", &error));
  /* no answer within 30 minutes: the contingency I-002 goes to AquaFlow */
  at (engine, 31 * 60000);
  at (engine, 40 * 60000);
  g_assert_true (wc_engine_respond (engine, "I-001", "aquaflow", "Isolated the jump host", NULL, &error));
  at (engine, 50 * 60000);
  g_assert_true (wc_engine_respond (engine, "I-003", "ncc", NULL, "wait", &error));
  at (engine, 70 * 60000);
  g_assert_true (wc_engine_end (engine, "done", &error));
  g_assert_no_error (error);
}

/* Created 0600, whatever the umask: only its owner reads it. */
static void
assert_private (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static GtkStack *side_stack (GtkWidget *window);

static char *
card_text (WcReviewWindow *window,
           const char     *team)
{
  WcTeamCard *card;

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  card = gui_test_find_card (wc_review_window_get_team_grid (window), team);
  g_assert_nonnull (card);
  return wc_team_card_describe (card);
}

static void
test_review (void)
{
  g_autofree char *dir = g_dir_make_tmp ("whitecell-review-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autofree char *review_path = NULL;
  g_autofree char *report_path = g_build_filename (dir, "report.html", NULL);
  g_autofree char *journal_before = NULL;
  g_autofree char *journal_after = NULL;
  g_autofree char *text = NULL;
  g_autofree char *report = NULL;
  g_autoptr(WcReplay) replay = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(GError) error = NULL;
  WcReviewWindow *window;
  GtkRange *scrubber;

  play_exercise (journal);
  g_assert_true (g_file_get_contents (journal, &journal_before, NULL, NULL));
  replay = wc_replay_open (journal, &diag, &error);
  g_assert_no_error (error);
  /* at the window's own default size, which fits a 1366×768 laptop */
  window = wc_review_window_new (NULL, replay);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  scrubber = GTK_RANGE (wc_review_window_get_scrubber (window));
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    g_assert_cmpint (width, <=, 1366);
    g_assert_cmpint (height, <=, 768 + 32);
  }

  /* the timeline has a marker per team that got an inject */
  WAIT_UNTIL (wc_timeline_get_n_markers (WC_TIMELINE (wc_review_window_get_timeline (window))) >= 3);
  /* its axis ends where the exercise ended (T+01:10), not at the planned duration */
  g_assert_cmpint (wc_scenario_get_duration_ms (wc_replay_get_scenario (replay)), !=, 70 * 60000);
  g_assert_cmpint (wc_timeline_get_end_ms (WC_TIMELINE (wc_review_window_get_timeline (window))),
                   ==, 70 * 60000);
  {
    GtkWidget *timeline = wc_review_window_get_timeline (window);
    GtkWidget *stack = GTK_WIDGET (side_stack (GTK_WIDGET (window)));
    GtkWidget *side = gtk_widget_get_parent (stack);
    int natural, minimum;

    /* the timeline's pane is as tall as its lanes and legend, no taller than a third */
    gtk_widget_measure (timeline, GTK_ORIENTATION_VERTICAL, -1, NULL, &natural, NULL, NULL);
    g_assert_cmpint (gtk_widget_get_height (gtk_widget_get_parent (timeline)), <=,
                     MAX (natural, gtk_widget_get_height (GTK_WIDGET (window)) / 3) + 2);
    /* the side pane is never narrower than its tabs need */
    gtk_widget_measure (side, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_assert_cmpint (gtk_widget_get_width (side), >=, minimum);
  }

  /* T+00:20: AquaFlow has acknowledged, not answered: its answer is not yet overdue */
  gtk_range_set_value (scrubber, 20 * 60000);
  WAIT_UNTIL (wc_replay_get_time (replay) == 20 * 60000);
  text = card_text (window, "aquaflow");
  g_test_message ("T+00:20 %s", text);
  g_assert_null (strstr (text, "overdue"));
  g_assert_null (strstr (text, "to acknowledge"));
  g_clear_pointer (&text, g_free);

  /* T+00:35: the answer is overdue, and the contingency I-002 waits for an acknowledgement */
  gtk_range_set_value (scrubber, 35 * 60000);
  WAIT_UNTIL (wc_replay_get_time (replay) == 35 * 60000);
  text = card_text (window, "aquaflow");
  g_test_message ("T+00:35 %s", text);
  g_assert_nonnull (strstr (text, "1 answer overdue"));
  g_assert_nonnull (strstr (text, "1 inject to acknowledge"));
  g_clear_pointer (&text, g_free);

  /* T+00:55: the crisis centre decided on I-003 without acknowledging it first: deciding is
   * acknowledging, so it owes no acknowledgement (as the engine, the metrics and the page say) */
  gtk_range_set_value (scrubber, 55 * 60000);
  WAIT_UNTIL (wc_replay_get_time (replay) == 55 * 60000);
  text = card_text (window, "ncc");
  g_test_message ("T+00:55 %s", text);
  g_assert_null (strstr (text, "to acknowledge"));
  g_clear_pointer (&text, g_free);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gui_test_save_screenshot (GTK_WIDGET (window), "whitecell-review.png");

  /* the journal's fingerprint, as verified on opening: what `whitecellctl verify` prints */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.journal-details", NULL));
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    AdwMessageDialog *dialog = NULL;
    WcJournalDetails *details;
    WcJournalVerifyResult verified = { 0 };

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (w))
          dialog = ADW_MESSAGE_DIALOG (w);
      }
    g_assert_nonnull (dialog);
    details = WC_JOURNAL_DETAILS (adw_message_dialog_get_extra_child (dialog));
    g_assert_true (wc_journal_verify_file (journal, &verified, NULL));
    g_assert_cmpuint (strlen (verified.head_hash), ==, 64);
    g_assert_cmpstr (wc_journal_details_get_head_hash (details), ==, verified.head_hash);
    g_assert_cmpuint (wc_replay_get_verify (replay)->n_records, ==, verified.n_records);
    wc_journal_verify_result_clear (&verified);
    gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
    gui_test_save_screenshot (GTK_WIDGET (dialog), "whitecell-review-journal.png");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  /* back to T+00:10: the models are made anew, and the views follow them */
  gtk_range_set_value (scrubber, 10 * 60000);
  WAIT_UNTIL (wc_replay_get_time (replay) == 10 * 60000);
  text = card_text (window, "ncc");
  g_assert_null (strstr (text, "to acknowledge"));

  /* notes go beside the journal; the journal is untouched */
  g_assert_true (wc_review_window_add_observation (window, "AquaFlow answered 10 minutes late", &error));
  g_assert_no_error (error);
  g_assert_true (wc_review_window_add_improvement (window, "Rehearse the notification", "AquaFlow CISO", "2027-03-01", &error));
  g_assert_no_error (error);
  /* an item tied to the objective it answers: the plan names it */
  g_assert_true (wc_review_window_add_improvement_for (window, "Brief the spokesperson daily", NULL,
                                                       NULL, "O2", 0, &error));
  g_assert_no_error (error);
  review_path = wc_review_path_for_journal (journal);
  g_assert_true (g_file_test (review_path, G_FILE_TEST_IS_REGULAR));
  /* as private as the journal */
  assert_private (review_path);
  assert_private (journal);
  g_assert_true (g_file_get_contents (journal, &journal_after, NULL, NULL));
  g_assert_cmpstr (journal_before, ==, journal_after);

  /* the report has them */
  g_assert_true (wc_review_window_export (window, "html", NULL, report_path, &error));
  g_assert_no_error (error);
  assert_private (report_path);
  g_assert_true (g_file_get_contents (report_path, &report, NULL, NULL));
  g_assert_nonnull (strstr (report, "Rehearse the notification"));
  /* in the improvement plan, the row of the item names the objective's area */
  g_assert_nonnull (strstr (report, "Coordinate public communication</td><td class=\"quote\">Brief the "
                            "spokesperson daily"));
  g_assert_nonnull (strstr (report, "AquaFlow answered 10 minutes late"));
  g_clear_pointer (&report, g_free);

  /* in the language chosen for its readers, whatever the app's */
  g_assert_true (wc_review_window_export (window, "html", "fr", report_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (report_path, &report, NULL, NULL));
  g_assert_nonnull (strstr (report, "Rapport de retour d"));
  g_assert_nonnull (strstr (report, "amélioration"));
  g_assert_null (strstr (report, "Improvement plan"));
  g_assert_null (strstr (report, "After-action report"));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_unlink (report_path);
  g_unlink (review_path);
  {
    g_autofree char *tokens = g_strconcat (journal, ".tokens.json", NULL);

    g_unlink (tokens);
  }
  g_unlink (journal);
  g_rmdir (dir);
}

static GtkStack *
side_stack (GtkWidget *window)
{
  g_autoptr(GPtrArray) stacks = gui_test_find_all (window, GTK_TYPE_STACK);

  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_child_by_name (g_ptr_array_index (stacks, i), "judgements"))
      return g_ptr_array_index (stacks, i);
  g_assert_not_reached ();
}

static const char *
judgement_subtitle (WcReviewWindow *window)
{
  GtkWidget *list = wc_review_window_get_judgements_list (window);
  g_autoptr(GPtrArray) rows = gui_test_find_all (list, ADW_TYPE_ACTION_ROW);

  g_assert_cmpuint (rows->len, ==, 1);
  return adw_action_row_get_subtitle (g_ptr_array_index (rows, 0));
}

/* A reviewer changes a judgement after the exercise: in the review file, with their name (which
 * the window remembers) and the time; the journal stays byte for byte as it was; the timeline
 * and the report show the review's judgement, and the report says where it comes from. */
static void
test_judgement (void)
{
  g_autofree char *dir = g_dir_make_tmp ("whitecell-review-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autofree char *review_path = wc_review_path_for_journal (journal);
  g_autofree char *report_path = g_build_filename (dir, "report.html", NULL);
  g_autofree char *journal_before = NULL;
  g_autofree char *journal_after = NULL;
  g_autofree char *report = NULL;
  g_autoptr(WcReplay) replay = NULL;
  g_autoptr(WcReview) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) dropdowns = NULL;
  const WcReviewJudgement *judgement;
  WcReviewWindow *window;
  WcTimeline *timeline;

  play_exercise (journal);
  g_assert_true (g_file_get_contents (journal, &journal_before, NULL, NULL));
  replay = wc_replay_open (journal, NULL, &error);
  g_assert_no_error (error);
  window = wc_review_window_new (NULL, replay);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  timeline = WC_TIMELINE (wc_review_window_get_timeline (window));
  WAIT_UNTIL (wc_timeline_get_n_markers (timeline) >= 3);
  g_assert_cmpuint (wc_timeline_get_n_events (timeline, WC_TIMELINE_JUDGEMENT), ==, 0);

  /* the inject shown, as a click on its marker shows it: nobody judged AquaFlow's notification */
  wc_review_window_show_judgements (window, "I-001", "aquaflow");
  g_assert_nonnull (strstr (judgement_subtitle (window), "not assessed"));

  /* without a name, nothing is recorded */
  wc_review_window_set_reviewer (window, "  ");
  g_assert_false (wc_review_window_judge (window, "I-001", "aquaflow", "a1", WC_VERDICT_MET, NULL, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (g_file_test (review_path, G_FILE_TEST_EXISTS));

  /* the reviewer picks "Not met" in the list */
  wc_review_window_set_reviewer (window, "Ann Reviewer");
  dropdowns = gui_test_find_all (wc_review_window_get_judgements_list (window), GTK_TYPE_DROP_DOWN);
  g_assert_cmpuint (dropdowns->len, ==, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (g_ptr_array_index (dropdowns, 0)), ==, WC_VERDICT_PENDING);
  gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 0), WC_VERDICT_NOT_MET);
  WAIT_UNTIL (strstr (judgement_subtitle (window), "reviewer Ann Reviewer") != NULL);
  g_test_message ("row: %s", judgement_subtitle (window));
  g_assert_nonnull (strstr (judgement_subtitle (window), "not met"));
  g_assert_nonnull (strstr (judgement_subtitle (window), "the journal: not assessed"));
  WAIT_UNTIL (wc_timeline_get_n_events (timeline, WC_TIMELINE_JUDGEMENT) == 1);

  /* the review file has it, with who and when; the journal is untouched */
  saved = wc_review_load (review_path, &error);
  g_assert_no_error (error);
  judgement = wc_review_find_judgement (saved, "I-001", "aquaflow", "a1");
  g_assert_nonnull (judgement);
  g_assert_cmpint (judgement->verdict, ==, WC_VERDICT_NOT_MET);
  g_assert_cmpstr (judgement->by, ==, "Ann Reviewer");
  g_assert_nonnull (judgement->at);
  g_assert_true (g_file_get_contents (journal, &journal_after, NULL, NULL));
  g_assert_cmpstr (journal_before, ==, journal_after);

  /* the report shows the review's judgement, and says so */
  g_assert_true (wc_review_window_export (window, "html", NULL, report_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (report_path, &report, NULL, NULL));
  g_assert_nonnull (strstr (report, "✘ not met</span> Notify the national CSIRT"));
  g_assert_nonnull (strstr (report, "reviewer Ann Reviewer, in review"));
  g_assert_nonnull (strstr (report, "(the journal: not assessed)"));

  gtk_stack_set_visible_child_name (side_stack (GTK_WIDGET (window)), "judgements");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gui_test_iterate (200);
  gui_test_save_screenshot (GTK_WIDGET (window), "whitecell-review-judgements.png");
  gtk_window_destroy (GTK_WINDOW (window));

  /* the name is remembered for the next review */
  window = wc_review_window_new (NULL, replay);
  {
    g_autoptr(GPtrArray) entries = gui_test_find_all (GTK_WIDGET (window), GTK_TYPE_ENTRY);
    gboolean found = FALSE;

    for (guint i = 0; i < entries->len; i++)
      found |= g_strcmp0 (gtk_editable_get_text (g_ptr_array_index (entries, i)), "Ann Reviewer") == 0;
    g_assert_true (found);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    g_autofree char *tokens = g_strconcat (journal, ".tokens.json", NULL);

    g_unlink (tokens);
  }
  g_unlink (report_path);
  g_unlink (review_path);
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

/* From the controller's window: a journal opened for review in a worker thread, in a window of
 * its own; a journal of an exercise that ended opens for review, not to resume; a journal that
 * is not there says so. */
static void
test_open_async (void)
{
  g_autofree char *dir = g_dir_make_tmp ("whitecell-review-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.jsonl", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();  /* GTK's own */
  WcWindow *window = wc_window_new (NULL, settings);
  GtkWindow *review;
  guint n_before;

  play_exercise (journal);
  gtk_window_present (GTK_WINDOW (window));
  n_before = g_list_model_get_n_items (toplevels);
  wc_window_review_journal_async (window, journal, on_done, &result);
  g_assert_true (wc_window_is_opening (window));
  /* the window it was asked from keeps its page: the review has a window of its own */
  g_assert_cmpstr (wc_window_get_page (window), ==, "empty");
  WAIT_UNTIL (result != NULL);
  review = wc_window_review_journal_finish (result, &error);
  g_assert_no_error (error);
  g_assert_true (WC_IS_REVIEW_WINDOW (review));
  g_assert_cmpstr (wc_replay_get_journal_path (wc_review_window_get_replay (WC_REVIEW_WINDOW (review))), ==,
                   journal);
  g_assert_cmpint (wc_replay_get_end_ms (wc_review_window_get_replay (WC_REVIEW_WINDOW (review))), ==,
                   70 * 60000);
  g_assert_false (wc_window_is_opening (window));
  gtk_window_destroy (review);
  g_clear_object (&result);

  /* the exercise ended: opening its journal reviews it */
  file = g_file_new_for_path (journal);
  wc_window_open_file (window, file);
  WAIT_UNTIL (g_list_model_get_n_items (toplevels) > n_before);
  {
    GtkWindow *other = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

        if (WC_IS_REVIEW_WINDOW (w))
          other = GTK_WINDOW (w);
      }
    g_assert_nonnull (other);
    g_assert_false (wc_window_has_exercise (window));
    gtk_window_destroy (other);
  }

  /* a journal that is not there: an error naming it */
  wc_window_review_journal_async (window, missing, on_done, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_null (wc_window_review_journal_finish (result, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "missing.jsonl"));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    g_autofree char *tokens = g_strconcat (journal, ".tokens.json", NULL);

    g_unlink (tokens);
  }
  g_unlink (journal);
  g_rmdir (dir);
}

static JsonObject *
object_of (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The hospital sample's coordination loop: Sint-Elisabeth files its early warning at T+00:06 (to
 * the CSIRT, who acknowledges it), the CSIRT warns the health sector (four teams) at T+00:15,
 * the EU CSIRTs network (the controllers) writes to the CSIRT at T+00:20, the crisis centre
 * publishes a sitrep to the seven other teams at T+00:30, eHealth asks the CSIRT about the
 * warning at T+00:35: fourteen arrows. The engine is left running. */
static WcEngine *
play_traffic (WcScenario *scenario,
              const char *journal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) notification = object_of (
    "{\"to\": \"csirt\", \"stage\": \"early-warning\", \"lang\": \"nl\","
    " \"fields\": {\"what\": \"Ransomware op klinische servers\", \"malicious\": \"yes\","
    " \"severity\": \"high\"}}");
  g_autoptr(JsonObject) warning = object_of (
    "{\"form\": \"ews\", \"selectors\": [\"sector:health\"], \"severity\": \"Severe\","
    " \"urgency\": \"Immediate\", \"certainty\": \"Likely\","
    " \"texts\": {\"en\": {\"headline\": \"BlackVial targets hospitals\", \"description\": \"d\"}},"
    " \"indicators\": [{\"type\": \"ip-dst\", \"value\": \"198.51.100.23\"}]}");
  g_autoptr(JsonObject) from_eu = object_of (
    "{\"to\": [\"csirt\"], \"subject\": \"Indicators from two member states\", \"body\": \"See attached\"}");
  g_autoptr(JsonObject) sitrep = object_of (
    "{\"sections\": {\"situation\": \"One hospital group down\", \"decisions\": \"Federal phase\","
    " \"actions\": \"Divert ambulances\", \"next_meeting\": \"10:00\", \"public_line\": \"Care continues\"}}");
  g_autoptr(JsonObject) question = NULL;
  g_autofree char *m1 = NULL;
  g_autofree char *m2 = NULL;
  g_autofree char *m3 = NULL;
  g_autofree char *m4 = NULL;
  g_autofree char *m5 = NULL;
  g_autofree char *json = NULL;
  WcEngine *engine = wc_engine_new (scenario, journal, &error);

  g_assert_no_error (error);
  fake_now = 1000000;
  wc_engine_set_clock_func (engine, fake_clock, NULL);
  g_assert_true (wc_engine_start (engine, &error));
  at (engine, 6 * 60000);
  m1 = wc_engine_file_notification (engine, "st-elisabeth", notification, &error);
  g_assert_no_error (error);
  at (engine, 7 * 60000);
  g_assert_true (wc_engine_acknowledge_message (engine, m1, "csirt", &error));
  at (engine, 15 * 60000);
  m2 = wc_engine_issue_warning (engine, "csirt", warning, &error);
  g_assert_no_error (error);
  at (engine, 20 * 60000);
  m3 = wc_engine_send_as_actor (engine, "eu-csirts", from_eu, &error);
  g_assert_no_error (error);
  at (engine, 30 * 60000);
  m4 = wc_engine_publish_sitrep (engine, "ncc", sitrep, &error);
  g_assert_no_error (error);
  at (engine, 35 * 60000);
  json = g_strdup_printf ("{\"to\": [\"csirt\"], \"subject\": \"Are we exposed?\", \"body\": \"We run"
                          " the same HL7 gateway\", \"in_reply_to\": \"%s\"}", m2);
  question = object_of (json);
  m5 = wc_engine_send_message (engine, "ehealth", question, &error);
  g_assert_no_error (error);
  return engine;
}

/* The control room's traffic view: the conversations and a thread; a controller answers as an
 * actor. Then the review's swimlanes: an arrow per item and recipient, faint after the cursor. */
static void
test_traffic (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("WC_SOURCE_ROOT"), "scenarios",
                                            "hospital-ransomware", "scenario.json", NULL);
  g_autofree char *dir = g_dir_make_tmp ("whitecell-review-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) scenario = wc_scenario_load (path, diag, &error);
  g_autoptr(WcEngine) engine = NULL;
  g_autoptr(WcLive) live = NULL;
  g_autoptr(WcReplay) replay = NULL;
  g_autoptr(WcDiagnostics) replay_diag = NULL;
  g_autofree char *reply = NULL;
  GtkWidget *control = gtk_window_new ();
  WcTrafficView *view = WC_TRAFFIC_VIEW (g_object_new (WC_TYPE_TRAFFIC_VIEW, NULL));
  WcActorReplyDialog *dialog;
  WcLiveConversation *selected;
  g_autoptr(GPtrArray) recipients = NULL;
  WcReviewWindow *window;
  WcTrafficLanes *lanes;
  const WcTrafficArrow *arrow;

  g_assert_no_error (error);
  engine = play_traffic (scenario, journal);
  live = wc_live_new (engine, NULL);
  gtk_window_set_child (GTK_WINDOW (control), GTK_WIDGET (view));
  gtk_window_set_default_size (GTK_WINDOW (control), 520, 640);
  wc_traffic_view_set_live (view, live);
  gtk_window_present (GTK_WINDOW (control));
  gtk_test_widget_wait_for_draw (control);
  /* four conversations: the question joined the warning's, which is the most recent */
  g_assert_cmpuint (g_list_model_get_n_items (wc_traffic_view_get_conversations (view)), ==, 4);
  wc_traffic_view_select (view, 0);
  selected = wc_traffic_view_get_selected (view);
  g_assert_cmpstr (wc_live_conversation_get_subject (selected), ==, "BlackVial targets hospitals");
  g_assert_cmpuint (g_list_model_get_n_items (wc_traffic_view_get_thread (view)), ==, 2);

  /* the EU network answers eHealth in the thread: its teams are ticked, the subject is a reply */
  dialog = wc_actor_reply_dialog_new (engine, selected);
  recipients = wc_actor_reply_dialog_get_recipients (dialog);
  /* the CSIRT and the four of the sector */
  g_assert_cmpuint (recipients->len, ==, 5);
  g_assert_true (wc_actor_reply_dialog_set_actor (dialog, "eu-csirts"));
  wc_actor_reply_dialog_set_body (dialog, "Yes: patch the gateway");
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (control));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  gui_test_save_screenshot (GTK_WIDGET (dialog), "whitecell-actor-reply.png");
  reply = wc_actor_reply_dialog_send (dialog, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (wc_traffic_view_get_thread (view)), ==, 3);
  gtk_test_widget_wait_for_draw (control);
  gui_test_iterate (100);
  gui_test_save_screenshot (control, "whitecell-traffic-view.png");
  g_assert_true (wc_engine_end (engine, "done", &error));
  gtk_window_destroy (GTK_WINDOW (control));
  g_clear_object (&live);
  g_clear_object (&engine);

  /* the review: one arrow per item and recipient (the reply went to five teams: nineteen) */
  replay = wc_replay_open (journal, &replay_diag, &error);
  g_assert_no_error (error);
  window = wc_review_window_new (NULL, replay);
  wc_review_window_show_page (window, "traffic");
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  lanes = WC_TRAFFIC_LANES (wc_review_window_get_traffic_lanes (window));
  g_assert_cmpuint (wc_traffic_lanes_get_n_arrows (lanes), ==, 19);
  /* Sint-Elisabeth's early warning: from its lane (the fourth team) to the CSIRT's (the first) */
  arrow = wc_traffic_lanes_get_arrow (lanes, 0);
  g_assert_cmpint (arrow->from_lane, ==, 3);
  g_assert_cmpint (arrow->to_lane, ==, 0);
  g_assert_cmpint (arrow->t_ms, ==, 6 * 60000);
  g_assert_cmpstr (arrow->item->kind, ==, "notification");
  /* the EWS bulletin: the CSIRT to the health sector's four teams */
  for (guint i = 1; i <= 4; i++)
    {
      arrow = wc_traffic_lanes_get_arrow (lanes, i);
      g_assert_cmpint (arrow->from_lane, ==, 0);
      g_assert_cmpstr (arrow->item->kind, ==, "warning");
    }
  g_assert_cmpint (wc_traffic_lanes_get_arrow (lanes, 1)->to_lane, ==, 2);
  g_assert_cmpint (wc_traffic_lanes_get_arrow (lanes, 4)->to_lane, ==, 5);
  /* the controllers' actor comes from the time axis */
  arrow = wc_traffic_lanes_get_arrow (lanes, 5);
  g_assert_cmpint (arrow->from_lane, ==, -1);
  g_assert_cmpint (arrow->to_lane, ==, 0);
  /* the sitrep: the crisis centre (the second team) to the seven others */
  for (guint i = 6; i < 13; i++)
    g_assert_cmpint (wc_traffic_lanes_get_arrow (lanes, i)->from_lane, ==, 1);
  /* the cursor follows the review's time */
  wc_review_window_seek (window, 16 * 60000);
  WAIT_UNTIL (wc_replay_get_time (replay) == 16 * 60000);
  g_assert_cmpint (wc_traffic_lanes_get_time (lanes), ==, 16 * 60000);
  g_assert_cmpuint (wc_traffic_lanes_get_n_shown (lanes), ==, 5);
  wc_review_window_seek (window, 32 * 60000);
  WAIT_UNTIL (wc_replay_get_time (replay) == 32 * 60000);
  g_assert_cmpuint (wc_traffic_lanes_get_n_shown (lanes), ==, 13);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gui_test_iterate (100);
  gui_test_save_screenshot (GTK_WIDGET (window), "whitecell-review-traffic.png");
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&replay);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);

        g_unlink (file);
      }
  }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  /* the catalogues of the build, as main.c binds the installed ones: reports in nl and fr */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("WC_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/whitecell/review/scrubber", test_review);
  g_test_add_func ("/whitecell/review/open-async", test_open_async);
  g_test_add_func ("/whitecell/review/judgement", test_judgement);
  g_test_add_func ("/whitecell/review/traffic", test_traffic);
  return g_test_run ();
}
