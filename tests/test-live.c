/* test-live.c: the live models the controller's window binds to follow the engine record by
 * record (statuses, counts, what teams owe, overdue answers, the feed), and a replay of the
 * journal shows the same exercise as it stood at any time. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wc-live.h"
#include "wc-metrics.h"
#include "wc-report.h"
#include "wc-replay.h"
#include "wc-scenario-loader.h"
#include "wc-session.h"

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
} Fixture;

static void
advance_to (Fixture *f,
            gint64   t_ms)
{
  fake_now = 1000000 + t_ms * 1000;
  wc_engine_process (f->engine);
  wc_live_tick (f->live);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "scenario", "valid.json", NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("whitecell-live-XXXXXX", NULL);
  f->journal = g_build_filename (f->dir, "journal.jsonl", NULL);
  f->scenario = wc_scenario_load (path, diag, &error);
  g_assert_no_error (error);
  f->engine = wc_engine_new (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  fake_now = 1000000;
  wc_engine_set_clock_func (f->engine, fake_clock, NULL);
  f->live = wc_live_new (f->engine, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *review = g_strconcat (f->journal, ".review.json", NULL);

  g_assert_finalize_object (f->live);
  g_assert_finalize_object (f->engine);
  g_object_unref (f->scenario);
  g_unlink (f->journal);
  g_unlink (review);
  g_rmdir (f->dir);
  g_free (f->journal);
  g_free (f->dir);
}

static const char *
status_of (Fixture    *f,
           const char *id)
{
  return wc_live_inject_get_status_label (wc_live_find_inject (f->live, id));
}

/* "acknowledged answered", e.g. "1/1 0/1" */
static const char *
counts_of (WcLive     *live,
           const char *id)
{
  static char buffer[64];
  WcLiveInject *row = wc_live_find_inject (live, id);

  g_snprintf (buffer, sizeof buffer, "%s %s", wc_live_inject_get_acknowledged (row), wc_live_inject_get_answered (row));
  return buffer;
}

static WcLiveEvent *
event_at (Fixture *f,
          guint    i)
{
  GListModel *events = wc_live_get_events (f->live);
  WcLiveEvent *event = g_list_model_get_item (events, i);

  g_object_unref (event);  /* the store keeps it */
  return event;
}

static void
test_follows_engine (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WcLiveTeam *aquaflow = wc_live_find_team (f->live, "aquaflow");
  g_autofree char *adhoc = NULL;
  g_autofree char *time = NULL;

  /* before the start: every inject, in scenario order; the first scheduled is next */
  g_assert_cmpuint (g_list_model_get_n_items (wc_live_get_injects (f->live)), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (wc_live_get_teams (f->live)), ==, 3);
  g_assert_cmpstr (status_of (f, "I-001"), ==, "Next");
  g_assert_cmpstr (status_of (f, "I-003"), ==, "Pending");
  g_object_get (wc_live_find_inject (f->live, "I-005"), "time", &time, NULL);
  g_assert_cmpstr (time, ==, "manual");

  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_no_error (error);
  advance_to (f, 1000);
  g_assert_cmpstr (wc_live_inject_get_status (wc_live_find_inject (f->live, "I-001")), ==, "fired");
  g_assert_cmpstr (status_of (f, "I-001"), ==, "Fired");
  g_assert_cmpstr (counts_of (f->live, "I-001"), ==, "0/1 0/1");
  g_assert_cmpuint (wc_live_team_get_pending_acks (aquaflow), ==, 1);
  /* the contingency on I-001 is due next, at T+00:30 */
  g_assert_true (wc_live_inject_get_is_next (wc_live_find_inject (f->live, "I-002")));

  g_assert_true (wc_engine_acknowledge (f->engine, "I-001", "aquaflow", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wc_live_team_get_pending_acks (aquaflow), ==, 0);
  g_assert_cmpstr (counts_of (f->live, "I-001"), ==, "1/1 0/1");
  g_assert_cmpint (wc_live_event_get_kind (event_at (f, 0)), ==, WC_LIVE_EVENT_ACKNOWLEDGED);
  g_assert_cmpstr (wc_live_event_get_summary (event_at (f, 0)), ==, "AquaFlow Water acknowledged I-001");

  /* no answer within the deadline (00:30): overdue; the answer clears it */
  advance_to (f, 29 * 60000);
  g_assert_cmpuint (wc_live_team_get_overdue (aquaflow), ==, 0);
  advance_to (f, 31 * 60000);
  g_assert_cmpuint (wc_live_team_get_overdue (aquaflow), ==, 1);
  g_assert_true (wc_engine_respond (f->engine, "I-001", "aquaflow", "<i>Isolated</i>", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wc_live_team_get_overdue (aquaflow), ==, 0);
  g_assert_cmpstr (counts_of (f->live, "I-001"), ==, "1/1 1/1");
  g_assert_cmpstr (wc_live_event_get_text (event_at (f, 0)), ==, "<i>Isolated</i>");

  /* a decision */
  advance_to (f, 46 * 60000);
  g_assert_true (wc_engine_respond (f->engine, "I-003", "ncc", NULL, "wait", &error));
  g_assert_no_error (error);
  g_assert_cmpint (wc_live_event_get_kind (event_at (f, 0)), ==, WC_LIVE_EVENT_DECISION);
  g_assert_cmpstr (wc_live_event_get_summary (event_at (f, 0)), ==, "National Crisis Centre chose “wait” on I-003");

  /* the controller's hand: hold, skip, ad hoc, note */
  g_assert_true (wc_engine_skip_inject (f->engine, "I-004", &error));
  g_assert_cmpstr (status_of (f, "I-004"), ==, "Skipped");
  g_assert_true (wc_engine_hold_inject (f->engine, "I-005", &error));
  g_assert_cmpstr (status_of (f, "I-005"), ==, "Held");
  adhoc = wc_engine_send_adhoc (f->engine, "Extra", "Body", WC_CHANNEL_EMAIL, NULL, WC_TLP_GREEN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (wc_live_get_injects (f->live)), ==, 6);
  g_assert_cmpuint (wc_live_inject_get_n_teams (wc_live_find_inject (f->live, adhoc)), ==, 3);
  g_assert_true (wc_engine_add_note (f->engine, "Good start", &error));
  g_assert_cmpint (wc_live_event_get_kind (event_at (f, 0)), ==, WC_LIVE_EVENT_NOTE);
  g_assert_cmpstr (wc_live_event_get_text (event_at (f, 0)), ==, "Good start");
  g_assert_true (wc_engine_end (f->engine, "done", &error));
}

/* A team whose page got the inject late has its deadline counted from then, as the report does. */
static void
test_deadline_from_delivery (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WcLiveTeam *aquaflow = wc_live_find_team (f->live, "aquaflow");

  g_assert_true (wc_engine_start (f->engine, &error));
  advance_to (f, 1000);
  advance_to (f, 20 * 60000);
  g_assert_true (wc_engine_mark_delivered (f->engine, "I-001", "aquaflow", "page", &error));
  g_assert_no_error (error);
  advance_to (f, 31 * 60000);
  g_assert_cmpuint (wc_live_team_get_overdue (aquaflow), ==, 0);
  advance_to (f, 49 * 60000);
  g_assert_cmpuint (wc_live_team_get_overdue (aquaflow), ==, 0);
  advance_to (f, 51 * 60000);
  g_assert_cmpuint (wc_live_team_get_overdue (aquaflow), ==, 1);
}

/* The journal of that exercise, seen again: at T+00:10 the acknowledgement is there and the
 * answer not yet; back to the start, nothing; at the end, all of it. */
/* The exercise carried on from its journal through a session, as the app does after a crash (no
 * stop recorded); resumed_close() closes it and removes the tokens file it keeps. */
static WcSession *
resume (Fixture *f)
{
  WcSessionOptions options = { .serve = FALSE };
  g_autoptr(GError) error = NULL;
  WcSession *session = wc_session_resume (f->journal, &options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

static void
resumed_close (Fixture   *f,
               WcSession *session)
{
  g_autofree char *tokens = wc_tokens_path_for_journal (f->journal);

  g_assert_true (g_file_test (tokens, G_FILE_TEST_IS_REGULAR));
  wc_session_close (session);
  g_assert_finalize_object (session);
  g_unlink (tokens);
}

/* A team that answers without acknowledging first has acknowledged, and every reader says so
 * alike: the engine, the live models, a session resumed after a crash, the metrics and the
 * report (they all read the state of the engine's one applier of records). */
static void
test_answer_without_ack (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = NULL;
  g_autoptr(WcMetrics) metrics = NULL;
  WcSession *session;
  g_autoptr(GString) report = g_string_new (NULL);
  WcJournalVerifyResult verify = { 0 };
  WcReportInput input = { 0 };
  const WcTeamMetrics *team = NULL;
  WcLive *resumed;

  g_assert_true (wc_engine_start (f->engine, &error));
  advance_to (f, 1000);
  g_assert_true (wc_engine_respond (f->engine, "I-001", "aquaflow", "Isolated", NULL, &error));
  g_assert_no_error (error);

  /* the engine */
  g_assert_cmpint (wc_engine_get_team_state (f->engine, "I-001", "aquaflow")->acknowledged_ms,
                   ==, 1000);
  /* the live models */
  g_assert_cmpstr (counts_of (f->live, "I-001"), ==, "1/1 1/1");
  g_assert_cmpuint (wc_live_team_get_pending_acks (wc_live_find_team (f->live, "aquaflow")), ==, 0);

  /* a session resumed from the journal, as after a crash */
  session = resume (f);
  resumed = wc_session_get_live (session);
  g_assert_cmpstr (counts_of (resumed, "I-001"), ==, "1/1 1/1");
  g_assert_cmpuint (wc_live_team_get_pending_acks (wc_live_find_team (resumed, "aquaflow")), ==, 0);
  resumed_close (f, session);

  /* the metrics and the report */
  journal = wc_journal_load (f->journal, &error);
  g_assert_no_error (error);
  metrics = wc_metrics_new (f->scenario, journal);
  for (guint i = 0; i < wc_scenario_get_n_teams (f->scenario); i++)
    if (g_strcmp0 (wc_metrics_get_team (metrics, i)->team->id, "aquaflow") == 0)
      team = wc_metrics_get_team (metrics, i);
  g_assert_nonnull (team);
  g_assert_cmpuint (team->received, ==, 1);
  g_assert_cmpuint (team->acknowledged, ==, 1);
  g_assert_cmpuint (team->responded, ==, 1);
  g_assert_cmpint (team->to_acknowledge.median, ==, 1000);
  g_assert_cmpint (wc_metrics_get_row (metrics, 0)->acknowledged_ms, ==, 1000);
  g_assert_true (wc_journal_verify_file (f->journal, &verify, &error));
  input.metrics = metrics;
  input.verify = &verify;
  wc_report_write (&input, WC_REPORT_CSV, report);
  wc_journal_verify_result_clear (&verify);
  /* the row of I-001 for AquaFlow: its acknowledged_s and first_response_s columns say 1 s */
  {
    g_auto(GStrv) lines = g_strsplit (report->str, "\r\n", -1);
    g_auto(GStrv) header = g_strsplit (lines[0], ",", -1);
    g_auto(GStrv) row = g_strsplit (lines[1], ",", -1);
    guint ack = 0, respond = 0;

    for (guint i = 0; header[i]; i++)
      {
        if (strcmp (header[i], "acknowledged_s") == 0)
          ack = i;
        if (strcmp (header[i], "first_response_s") == 0)
          respond = i;
      }
    g_assert_cmpstr (row[0], ==, "\"aquaflow\"");
    g_assert_cmpuint (ack, >, 0);
    g_assert_cmpuint (g_strv_length (row), >, respond);
    g_assert_cmpstr (row[ack], ==, row[respond]);
    g_assert_cmpstr (row[ack], !=, "");
  }
}

static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcReplay) replay = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  WcLive *at;

  test_follows_engine (f, data);
  replay = wc_replay_open (f->journal, &diag, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wc_replay_get_verify (replay)->verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpint (wc_replay_get_end_ms (replay), >=, 46 * 60000);

  g_assert_true (wc_replay_seek (replay, 10 * 60000, &error));
  at = wc_replay_get_live (replay);
  g_assert_cmpstr (counts_of (at, "I-001"), ==, "1/1 0/1");
  g_assert_cmpstr (wc_live_inject_get_status (wc_live_find_inject (at, "I-003")), ==, "pending");
  g_assert_cmpuint (wc_live_team_get_pending_acks (wc_live_find_team (at, "aquaflow")), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (wc_live_get_events (at)), ==, 2);

  /* at T+00:30:30 the answer is overdue, as it was (it came at T+00:31) */
  g_assert_true (wc_replay_seek (replay, 30 * 60000 + 30000, &error));
  g_assert_cmpuint (wc_live_team_get_overdue (wc_live_find_team (wc_replay_get_live (replay), "aquaflow")), ==, 1);

  g_assert_true (wc_replay_seek (replay, 0, &error));
  at = wc_replay_get_live (replay);
  g_assert_cmpstr (wc_live_inject_get_status (wc_live_find_inject (at, "I-001")), ==, "fired");
  g_assert_cmpuint (wc_live_inject_get_n_acknowledged (wc_live_find_inject (at, "I-001")), ==, 0);

  g_assert_true (wc_replay_seek (replay, wc_replay_get_end_ms (replay), &error));
  at = wc_replay_get_live (replay);
  g_assert_cmpstr (wc_live_inject_get_status_label (wc_live_find_inject (at, "I-004")), ==, "Skipped");
  g_assert_cmpuint (g_list_model_get_n_items (wc_live_get_injects (at)), ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (wc_live_get_events (at)), ==,
                    g_list_model_get_n_items (wc_live_get_events (f->live)));

  /* the reviewers' notes go beside the journal, which stays as it was */
  {
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;

    g_assert_true (g_file_get_contents (f->journal, &before, NULL, NULL));
    wc_review_add_observation (wc_replay_get_review (replay), 31 * 60000, "aquaflow", "Answered late");
    wc_review_add_improvement (wc_replay_get_review (replay), "Practise the NIS2 notification", "AquaFlow CISO", "2027-03-01");
    g_assert_true (wc_replay_save_review (replay, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (f->journal, &after, NULL, NULL));
    g_assert_cmpstr (before, ==, after);
  }
  wc_replay_write_report (replay, WC_REPORT_MARKDOWN, NULL, report);
  g_assert_nonnull (strstr (report->str, "Practise the NIS2 notification"));
}

/* A webhook attempt, as the HTTP layer logs it. */
static void
log_webhook (Fixture          *f,
             const char       *team_id,
             guint             attempt,
             WcWebhookOutcome  outcome)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (data, "inject", "I-001");
  json_object_set_string_member (data, "team", team_id);
  json_object_set_string_member (data, "delivery", "d1");
  json_object_set_int_member (data, "attempt", attempt);
  json_object_set_int_member (data, "status", 503);
  json_object_set_string_member (data, "error", "Service Unavailable");
  json_object_set_string_member (data, "outcome", wc_webhook_outcome_to_string (outcome));
  g_assert_true (wc_engine_log (f->engine, WC_RECORD_WEBHOOK_ATTEMPT, data, &error));
  g_assert_no_error (error);
}

static void
count_responses (WcLive      *live,
                 WcLiveEvent *event,
                 guint       *n)
{
  (*n)++;
}

/* After a crash, the exercise resumed from its journal shows the feed its controller saw, the
 * controller's actions with who did them, and the teams' webhook failures; answers given before
 * the crash are not announced again as if they had just come. */
static void
test_resume_feed (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GListModel *before = wc_live_get_events (f->live);
  GListModel *after;
  WcSession *session;
  WcLive *resumed;
  guint n_before, n_responses = 0;

  g_assert_true (wc_engine_start (f->engine, &error));
  advance_to (f, 1000);
  g_assert_true (wc_engine_acknowledge (f->engine, "I-001", "aquaflow", &error));
  g_assert_true (wc_engine_respond (f->engine, "I-001", "aquaflow", "Pumps isolated", NULL, &error));
  log_webhook (f, "aquaflow", 1, WC_WEBHOOK_FAILED);
  log_webhook (f, "aquaflow", 2, WC_WEBHOOK_GAVE_UP);
  g_assert_true (wc_engine_hold_inject (f->engine, "I-005", &error));
  g_assert_true (wc_engine_add_staff (f->engine, "jan", "Jan Peeters", WC_STAFF_CONTROLLER, &error));
  wc_engine_set_actor (f->engine, "jan");
  g_assert_true (wc_engine_release_inject (f->engine, "I-005", &error));
  g_assert_true (wc_engine_add_note (f->engine, "Water pressure normal", &error));
  wc_engine_set_actor (f->engine, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_live_team_get_webhook_failures (wc_live_find_team (f->live, "aquaflow")), ==, 2);
  n_before = g_list_model_get_n_items (wc_live_get_events (f->live));
  g_assert_cmpuint (n_before, ==, 8);

  session = resume (f);
  resumed = wc_session_get_live (session);
  g_signal_connect (resumed, "response-received", G_CALLBACK (count_responses), &n_responses);
  after = wc_live_get_events (resumed);
  /* the reopening on top, then every entry as it was, newest first */
  g_assert_cmpuint (g_list_model_get_n_items (after), ==, n_before + 1);
  {
    g_autoptr(WcLiveEvent) top = g_list_model_get_item (after, 0);

    g_assert_cmpint (wc_live_event_get_kind (top), ==, WC_LIVE_EVENT_CLOCK);
    g_assert_cmpstr (wc_live_event_get_summary (top), ==, "Exercise reopened from its journal");
  }
  for (guint i = 0; i < n_before; i++)
    {
      g_autoptr(WcLiveEvent) was = g_list_model_get_item (before, i);
      g_autoptr(WcLiveEvent) is = g_list_model_get_item (after, i + 1);
      g_autofree char *was_time = NULL;
      g_autofree char *is_time = NULL;

      g_object_get (was, "time", &was_time, NULL);
      g_object_get (is, "time", &is_time, NULL);
      g_assert_cmpint (wc_live_event_get_kind (is), ==, wc_live_event_get_kind (was));
      g_assert_cmpstr (wc_live_event_get_summary (is), ==, wc_live_event_get_summary (was));
      g_assert_cmpstr (wc_live_event_get_text (is), ==, wc_live_event_get_text (was));
      g_assert_cmpstr (wc_live_event_get_by (is), ==, wc_live_event_get_by (was));
      g_assert_cmpstr (is_time, ==, was_time);
    }
  {
    g_autoptr(WcLiveEvent) note = g_list_model_get_item (after, 1);
    g_autoptr(WcLiveEvent) answer = g_list_model_get_item (after, n_before - 2);

    g_assert_cmpstr (wc_live_event_get_summary (note), ==, "Jan Peeters wrote a note");
    g_assert_cmpstr (wc_live_event_get_text (note), ==, "Water pressure normal");
    g_assert_cmpstr (wc_live_event_get_summary (answer), ==, "AquaFlow Water answered I-001");
    g_assert_cmpstr (wc_live_event_get_text (answer), ==, "Pumps isolated");
  }
  /* the webhook failures, from the engine's state rebuilt from the journal */
  g_assert_cmpuint (wc_live_team_get_webhook_failures (wc_live_find_team (resumed, "aquaflow")), ==, 2);
  g_assert_cmpuint (wc_live_team_get_webhook_failures (wc_live_find_team (resumed, "ncc")), ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (n_responses, ==, 0);

  /* and it goes on from there */
  g_assert_true (wc_engine_fire_inject (wc_session_get_engine (session), "I-005", &error));
  g_assert_no_error (error);
  {
    g_autoptr(WcLiveEvent) top = g_list_model_get_item (wc_live_get_events (resumed), 0);

    g_assert_cmpstr (wc_live_event_get_summary (top), ==, "Controller fired I-005");
  }
  resumed_close (f, session);
}

typedef struct {
  const char *actor;     /* who acts (a staff id), or NULL for the controller at this machine */
  const char *by;        /* the name the feed shows */
} ControlCase;

static const ControlCase control_cases[] = {
  { NULL, "Controller" },
  { "jan", "Jan Peeters" },
  { "gone", "gone" },    /* an id the exercise does not know: shown as it is */
};

static void
assert_top (Fixture         *f,
            WcLiveEventKind  kind,
            const char      *by,
            const char      *summary_format,
            ...)
{
  g_autofree char *summary = NULL;
  WcLiveEvent *top = event_at (f, 0);
  va_list args;

  va_start (args, summary_format);
  summary = g_strdup_vprintf (summary_format, args);
  va_end (args);
  g_assert_cmpint (wc_live_event_get_kind (top), ==, kind);
  g_assert_cmpstr (wc_live_event_get_by (top), ==, by);
  g_assert_cmpstr (wc_live_event_get_summary (top), ==, summary);
}

/* Each of the controller's actions shows in the feed with who did it; the schedule's own firing
 * does not. */
static void
test_control_events (Fixture       *f,
                     gconstpointer  data)
{
  const ControlCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *adhoc = NULL;
  guint n;

  g_assert_true (wc_engine_add_staff (f->engine, "jan", "Jan Peeters", WC_STAFF_CONTROLLER, &error));
  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_no_error (error);
  advance_to (f, 1000);
  /* I-001 fired on schedule: no one's doing, no entry */
  g_assert_cmpstr (wc_live_event_get_summary (event_at (f, 0)), ==, "Exercise started");
  wc_engine_set_actor (f->engine, c->actor);

  g_assert_true (wc_engine_hold_inject (f->engine, "I-003", &error));
  assert_top (f, WC_LIVE_EVENT_CONTROL, c->by, "%s held I-003", c->by);
  g_assert_cmpstr (wc_live_event_get_inject (event_at (f, 0)), ==, "I-003");
  g_assert_true (wc_engine_reschedule_inject (f->engine, "I-003", 70 * 60000, &error));
  assert_top (f, WC_LIVE_EVENT_CONTROL, c->by, "%s moved I-003 to T+01:10:00", c->by);
  g_assert_true (wc_engine_release_inject (f->engine, "I-003", &error));
  assert_top (f, WC_LIVE_EVENT_CONTROL, c->by, "%s released I-003", c->by);
  g_assert_true (wc_engine_fire_inject (f->engine, "I-005", &error));
  assert_top (f, WC_LIVE_EVENT_CONTROL, c->by, "%s fired I-005", c->by);
  n = g_list_model_get_n_items (wc_live_get_events (f->live));
  adhoc = wc_engine_send_adhoc (f->engine, "Water tastes odd", "Calls from Leuven", WC_CHANNEL_PHONE,
                                NULL, WC_TLP_AMBER, &error);
  g_assert_no_error (error);
  /* its sending, once: not a second entry for its firing */
  assert_top (f, WC_LIVE_EVENT_CONTROL, c->by, "%s sent the ad-hoc inject %s to All teams", c->by,
              adhoc);
  g_assert_cmpstr (wc_live_event_get_text (event_at (f, 0)), ==, "Water tastes odd");
  g_assert_cmpuint (g_list_model_get_n_items (wc_live_get_events (f->live)), ==, n + 1);
  g_assert_true (wc_engine_set_speed (f->engine, 2.0, &error));
  assert_top (f, WC_LIVE_EVENT_CONTROL, c->by, "%s set the clock's speed to 2×", c->by);
  g_assert_true (wc_engine_add_note (f->engine, "Slow start", &error));
  assert_top (f, WC_LIVE_EVENT_NOTE, c->by, "%s wrote a note", c->by);
  g_assert_true (wc_engine_skip_inject (f->engine, "I-003", &error));
  assert_top (f, WC_LIVE_EVENT_CONTROL, c->by, "%s skipped %s", c->by, "I-003");
  g_assert_true (wc_engine_jump (f->engine, 20 * 60000, FALSE, &error));
  g_assert_no_error (error);
  assert_top (f, WC_LIVE_EVENT_CONTROL, c->by, "%s moved the clock forward to T+00:20:00", c->by);

  /* a pause is the controller's when the record says who; the engine's own has no one */
  n = g_list_model_get_n_items (wc_live_get_events (f->live));
  g_assert_true (wc_engine_pause (f->engine, &error));
  g_assert_cmpuint (g_list_model_get_n_items (wc_live_get_events (f->live)), ==, n + 1);
  assert_top (f, WC_LIVE_EVENT_CLOCK, c->actor ? c->by : NULL, "Clock paused");
  wc_engine_set_actor (f->engine, NULL);
}

/* An exercise whose process died is resumed from its journal through a session, as the app does:
 * paused where it was, with everything the teams did. */
static void
test_resume_session (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WcSession *session;
  WcEngine *engine;

  g_assert_true (wc_engine_start (f->engine, &error));
  advance_to (f, 1000);
  g_assert_true (wc_engine_acknowledge (f->engine, "I-001", "aquaflow", &error));
  g_assert_no_error (error);
  session = resume (f);
  engine = wc_session_get_engine (session);
  g_assert_cmpint (wc_engine_get_state (engine), ==, WC_ENGINE_PAUSED);
  g_assert_cmpint (wc_engine_get_team_state (engine, "I-001", "aquaflow")->acknowledged_ms, >=, 0);
  g_assert_cmpuint (wc_live_inject_get_n_acknowledged (wc_live_find_inject (wc_session_get_live (session), "I-001")), ==, 1);
  resumed_close (f, session);
}

/* Resuming from something that is not a journal says so, naming the file; from a journal whose
 * header names no scenario, says that. */
static void
test_resume_bad_journal (void)
{
  g_autofree char *dir = g_dir_make_tmp ("whitecell-live-XXXXXX", NULL);
  g_autofree char *garbage = g_build_filename (dir, "garbage.jsonl", NULL);
  g_autofree char *nameless = g_build_filename (dir, "nameless.jsonl", NULL);
  WcSessionOptions options = { .serve = FALSE, .headless = TRUE };
  g_autoptr(GError) error = NULL;
  WcSession *session;

  g_assert_true (g_file_set_contents (garbage, "\x01\x02 not json\n{\"seq\": 1}\n", -1, NULL));
  session = wc_session_resume (garbage, &options, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_HEADER);
  g_assert_nonnull (strstr (error->message, "garbage.jsonl:1:"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (nameless, "{\"format\": \"whitecell-journal\", \"version\": 1}\n", -1, NULL));
  session = wc_session_resume (nameless, &options, NULL, &error);
  g_assert_null (session);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "does not say which scenario"));

  g_unlink (garbage);
  g_unlink (nameless);
  g_rmdir (dir);
}

static void
log_presence (Fixture    *f,
              gint64      t_ms,
              const char *team,
              gboolean    connected)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(GError) error = NULL;

  advance_to (f, t_ms);
  json_object_set_string_member (data, "team", team);
  json_object_set_boolean_member (data, "connected", connected);
  g_assert_true (wc_engine_log (f->engine, WC_RECORD_TEAM_PRESENCE, data, &error));
  g_assert_no_error (error);
}

static gboolean
replay_connected (WcReplay   *replay,
                  gint64      t_ms,
                  const char *team)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_replay_seek (replay, t_ms, &error));
  g_assert_no_error (error);
  return wc_live_team_get_connected (wc_live_find_team (wc_replay_get_live (replay), team));
}

/* Who was connected is in the journal: a replay shows it record by record. */
static void
test_replay_presence (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcReplay) replay = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;
  WcLiveTeam *aquaflow = wc_live_find_team (f->live, "aquaflow");
  gint64 since = 0;

  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_no_error (error);
  g_assert_false (wc_engine_get_team_presence (f->engine, "aquaflow", &since));
  g_assert_cmpint (since, ==, -1);
  log_presence (f, 5 * 60000, "aquaflow", TRUE);
  /* a live model without a WcPresence (as a replay's) follows the records */
  g_assert_true (wc_live_team_get_connected (aquaflow));
  g_assert_true (wc_engine_get_team_presence (f->engine, "aquaflow", &since));
  g_assert_cmpint (since, ==, 5 * 60000);
  log_presence (f, 10 * 60000, "aquaflow", FALSE);
  g_assert_false (wc_live_team_get_connected (aquaflow));
  g_assert_false (wc_engine_get_team_presence (f->engine, "aquaflow", &since));
  g_assert_cmpint (since, ==, 10 * 60000);
  /* still connected when the process stops: the stop takes its stream with it */
  log_presence (f, 12 * 60000, "ncc", TRUE);
  advance_to (f, 13 * 60000);
  g_assert_true (wc_engine_stop (f->engine, "signal", &error));
  g_assert_no_error (error);
  g_assert_false (wc_engine_get_team_presence (f->engine, "ncc", NULL));
  g_assert_true (wc_engine_resume_clock (f->engine, &error));
  advance_to (f, 15 * 60000);
  g_assert_true (wc_engine_end (f->engine, "done", &error));
  g_assert_no_error (error);

  replay = wc_replay_open (f->journal, &diag, &error);
  g_assert_no_error (error);
  g_assert_false (replay_connected (replay, 4 * 60000, "aquaflow"));
  g_assert_true (replay_connected (replay, 5 * 60000, "aquaflow"));
  g_assert_true (replay_connected (replay, 7 * 60000, "aquaflow"));
  g_assert_false (replay_connected (replay, 12 * 60000, "aquaflow"));
  /* backwards too: a seek rebuilds the state */
  g_assert_true (replay_connected (replay, 6 * 60000, "aquaflow"));
  g_assert_false (replay_connected (replay, 0, "aquaflow"));
  g_assert_false (replay_connected (replay, wc_replay_get_end_ms (replay), "aquaflow"));
  g_assert_true (replay_connected (replay, 12 * 60000 + 30000, "ncc"));
  g_assert_false (replay_connected (replay, 14 * 60000, "ncc"));
  /* another team was never connected */
  g_assert_false (replay_connected (replay, 7 * 60000, "csirt"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/whitecell/live/follows-engine", Fixture, NULL, fixture_setup, test_follows_engine, fixture_teardown);
  g_test_add ("/whitecell/live/deadline-from-delivery", Fixture, NULL, fixture_setup, test_deadline_from_delivery, fixture_teardown);
  g_test_add_func ("/whitecell/live/resume-bad-journal", test_resume_bad_journal);
  g_test_add ("/whitecell/live/resume-session", Fixture, NULL, fixture_setup, test_resume_session, fixture_teardown);
  g_test_add ("/whitecell/live/answer-without-ack", Fixture, NULL, fixture_setup, test_answer_without_ack, fixture_teardown);
  g_test_add ("/whitecell/live/replay", Fixture, NULL, fixture_setup, test_replay, fixture_teardown);
  g_test_add ("/whitecell/live/replay-presence", Fixture, NULL, fixture_setup, test_replay_presence, fixture_teardown);
  g_test_add ("/whitecell/live/resume-feed", Fixture, NULL, fixture_setup, test_resume_feed, fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (control_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/whitecell/live/control-events/%s",
                                               control_cases[i].actor ? control_cases[i].actor
                                                                      : "controller");

      g_test_add (path, Fixture, &control_cases[i], fixture_setup, test_control_events,
                  fixture_teardown);
    }
  return g_test_run ();
}
