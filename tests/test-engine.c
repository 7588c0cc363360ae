/* test-engine.c: the exercise clock and scheduler, on a fake clock, and its replay from a journal. */
#include "config.h"

#include <signal.h>
#include <sys/resource.h>

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "wc-engine.h"
#include "wc-untrusted.h"
#include "wc-scenario-loader.h"

/* A small exercise: every kind of trigger, two teams. Times in minutes. */
static const char scenario_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"engine\", \"title\": \"Engine\", \"tlp\": \"AMBER\", \"duration\": \"T+03:00\"},\n"
  " \"teams\": [{\"id\": \"a\", \"name\": \"A\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"b\", \"name\": \"B\", \"kind\": \"operator\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"I1\", \"at\": \"T+00:10\", \"channel\": \"email\", \"to\": \"all\", \"title\": \"t\", \"body\": \"b\",\n"
  "   \"expected_actions\": [{\"id\": \"notify\", \"text\": \"Notify\", \"deadline\": \"00:15\"}]},\n"
  "  {\"id\": \"I2\", \"trigger\": {\"type\": \"no-response\", \"inject\": \"I1\", \"within\": \"00:20\"},\n"
  "   \"channel\": \"phone\", \"to\": \"all\", \"title\": \"t\", \"body\": \"b\"},\n"
  "  {\"id\": \"I3\", \"trigger\": {\"type\": \"after\", \"inject\": \"I1\", \"delay\": \"00:05\"},\n"
  "   \"channel\": \"news\", \"to\": [\"b\"], \"title\": \"t\", \"body\": \"b\"},\n"
  "  {\"id\": \"I4\", \"at\": \"T+00:40\", \"channel\": \"decision\", \"to\": [\"a\"], \"title\": \"t\", \"body\": \"b\",\n"
  "   \"options\": [{\"id\": \"yes\", \"text\": \"Yes\"}, {\"id\": \"no\", \"text\": \"No\"}]},\n"
  "  {\"id\": \"I5\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"alert\", \"to\": \"all\", \"title\": \"t\", \"body\": \"b\"},\n"
  "  {\"id\": \"I6\", \"at\": \"T+01:00\", \"channel\": \"email\", \"to\": [\"a\"], \"title\": \"t\", \"body\": \"b\"},\n"
  "  {\"id\": \"I7\", \"at\": \"T+01:00\", \"channel\": \"email\", \"to\": [\"b\"], \"title\": \"t\", \"body\": \"b\"}\n"
  " ]}\n";

#define MIN_MS(m) ((gint64) (m) * 60 * 1000)
#define MIN_US(m) ((gint64) (m) * 60 * 1000 * 1000)

typedef struct {
  char       *dir;
  char       *journal;
  WcScenario *scenario;
  WcEngine   *engine;
  gint64      fake_us;
  GPtrArray  *fired;    /* "T+mm inject team,team" lines, in order */
  GPtrArray  *types;    /* record types announced */
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  return ((Fixture *) user_data)->fake_us;
}

static void
on_record (WcEngine     *engine,
           guint64       seq,
           WcRecordType  type,
           JsonObject   *data,
           gint64        t_ms,
           Fixture      *f)
{
  g_ptr_array_add (f->types, g_strdup (wc_record_type_to_string (type)));
  if (type == WC_RECORD_INJECT_FIRED)
    {
      JsonArray *teams = json_object_get_array_member (data, "teams");
      GString *s = g_string_new (NULL);

      g_string_append_printf (s, "%" G_GINT64_FORMAT " %s ", t_ms / 60000,
                              json_object_get_string_member (data, "inject"));
      for (guint i = 0; i < json_array_get_length (teams); i++)
        g_string_append_printf (s, "%s%s", i ? "," : "", json_array_get_string_element (teams, i));
      g_ptr_array_add (f->fired, g_string_free (s, FALSE));
    }
}

static void
attach (Fixture  *f,
        WcEngine *engine)
{
  f->engine = engine;
  wc_engine_set_clock_func (engine, fake_clock, f);
  g_signal_connect (engine, "record", G_CALLBACK (on_record), f);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("engine.json");
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("whitecell-engine-XXXXXX", &error);
  g_assert_no_error (error);
  f->journal = g_build_filename (f->dir, "journal.jsonl", NULL);
  f->scenario = wc_scenario_load_data (scenario_json, strlen (scenario_json), NULL, diag, &error);
  g_assert_no_error (error);
  wc_scenario_set_sha256 (f->scenario, "0000000000000000000000000000000000000000000000000000000000000000");
  wc_scenario_set_path (f->scenario, "engine.json");
  f->fake_us = 1000000;
  f->fired = g_ptr_array_new_with_free_func (g_free);
  f->types = g_ptr_array_new_with_free_func (g_free);
  attach (f, wc_engine_new (f->scenario, f->journal, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_assert_finalize_object (f->engine);
  g_object_unref (f->scenario);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->journal);
  g_ptr_array_unref (f->fired);
  g_ptr_array_unref (f->types);
}

/* Moves the fake clock on by @real_minutes, a second at a time, processing as the engine's
 * timer would. */
static void
advance (Fixture *f,
         double   real_minutes)
{
  gint64 end = f->fake_us + (gint64) (real_minutes * 60 * 1000 * 1000);

  while (f->fake_us < end)
    {
      f->fake_us = MIN (end, f->fake_us + 1000 * 1000);
      wc_engine_process (f->engine);
    }
}

static void
assert_fired (Fixture           *f,
              const char *const *expected)
{
  for (guint i = 0; i < f->fired->len; i++)
    g_test_message ("fired: %s", (char *) g_ptr_array_index (f->fired, i));
  g_assert_cmpuint (f->fired->len, ==, g_strv_length ((GStrv) expected));
  for (guint i = 0; expected[i]; i++)
    g_assert_cmpstr (g_ptr_array_index (f->fired, i), ==, expected[i]);
}

static void
test_schedule (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *const expected[] = { "10 I1 a,b", "15 I3 b", "30 I2 a", "40 I4 a", "60 I6 a",
                                   "60 I7 b", NULL };

  g_assert_cmpint (wc_engine_get_state (f->engine), ==, WC_ENGINE_READY);
  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_cmpint (wc_engine_get_state (f->engine), ==, WC_ENGINE_RUNNING);
  advance (f, 9.99);
  g_assert_cmpuint (f->fired->len, ==, 0);
  advance (f, 0.01);
  g_assert_cmpuint (f->fired->len, ==, 1);
  g_assert_cmpint (wc_engine_get_inject_status (f->engine, "I1"), ==, WC_INJECT_FIRED);
  g_assert_cmpint (wc_engine_get_inject_fired_at (f->engine, "I1"), ==, MIN_MS (10));
  /* Team b answers I1 in time: the contingency I2 goes to a only. */
  advance (f, 5);
  g_assert_true (wc_engine_respond (f->engine, "I1", "b", "We are on it", NULL, &error));
  g_assert_no_error (error);
  advance (f, 60);
  assert_fired (f, expected);
  g_assert_cmpint (wc_engine_get_inject_status (f->engine, "I5"), ==, WC_INJECT_PENDING);
  g_assert_cmpint (wc_engine_get_inject_due (f->engine, "I5"), ==, -1);
  /* Manual-only: it waits for the controller. */
  g_assert_true (wc_engine_fire_inject (f->engine, "I5", &error));
  g_assert_cmpint (wc_engine_get_inject_status (f->engine, "I5"), ==, WC_INJECT_FIRED);
  /* Never twice. */
  g_assert_false (wc_engine_fire_inject (f->engine, "I5", &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (wc_engine_fire_inject (f->engine, "I1", &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
}

static void
test_pause (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *const expected[] = { "10 I1 a,b", "15 I3 b", NULL };

  g_assert_true (wc_engine_start (f->engine, &error));
  advance (f, 5);
  g_assert_true (wc_engine_pause (f->engine, &error));
  g_assert_cmpint (wc_engine_get_time (f->engine), ==, MIN_MS (5));
  /* The clock holds while paused, however long. */
  advance (f, 120);
  g_assert_cmpint (wc_engine_get_time (f->engine), ==, MIN_MS (5));
  g_assert_cmpuint (f->fired->len, ==, 0);
  g_assert_false (wc_engine_pause (f->engine, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (wc_engine_resume_clock (f->engine, &error));
  advance (f, 10);
  g_assert_cmpint (wc_engine_get_time (f->engine), ==, MIN_MS (15));
  /* I2 (contingency at 30) has not come yet */
  assert_fired (f, expected);
}

static void
test_speed (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_true (wc_engine_set_speed (f->engine, 10.0, &error));
  advance (f, 1);  /* 10 exercise minutes */
  g_assert_cmpint (wc_engine_get_time (f->engine), ==, MIN_MS (10));
  g_assert_cmpuint (f->fired->len, ==, 1);
  g_assert_true (wc_engine_set_speed (f->engine, 0.5, &error));
  advance (f, 2);  /* one more exercise minute */
  g_assert_cmpint (wc_engine_get_time (f->engine), ==, MIN_MS (11));
  g_assert_false (wc_engine_set_speed (f->engine, 1000, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (wc_engine_set_speed (f->engine, 0.01, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_assert_cmpfloat (wc_engine_get_speed (f->engine), ==, 0.5);
}

static void
test_jump (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *const expected[] = { "40 I1 a,b", "40 I4 a", NULL };
  const char *const later[] = { "40 I1 a,b", "40 I4 a", "45 I3 b", "60 I2 a,b", "60 I6 a",
                                "60 I7 b", NULL };

  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_true (wc_engine_jump (f->engine, MIN_MS (40), FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wc_engine_get_time (f->engine), ==, MIN_MS (40));
  /* Passed over: fired in their order. What hangs off them counts from when they really went
   * out, so the players get the same spacing as planned. */
  assert_fired (f, expected);
  advance (f, 20);
  assert_fired (f, later);
  g_assert_false (wc_engine_jump (f->engine, MIN_MS (30), FALSE, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
}

static void
test_jump_skip (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *const expected[] = { "60 I6 a", "60 I7 b", NULL };

  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_true (wc_engine_jump (f->engine, MIN_MS (59), TRUE, &error));
  g_assert_cmpint (wc_engine_get_inject_status (f->engine, "I1"), ==, WC_INJECT_SKIPPED);
  g_assert_cmpint (wc_engine_get_inject_status (f->engine, "I4"), ==, WC_INJECT_SKIPPED);
  /* I2 and I3 hang off I1, which never fired. */
  g_assert_cmpint (wc_engine_get_inject_status (f->engine, "I3"), ==, WC_INJECT_PENDING);
  advance (f, 1);
  assert_fired (f, expected);
}

static void
test_hold_skip_reschedule (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *const expected[] = { "10 I1 a,b", "15 I3 b", "30 I2 a,b", "50 I4 a", "55 I6 a",
                                   NULL };

  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_true (wc_engine_hold_inject (f->engine, "I4", &error));
  g_assert_true (wc_engine_skip_inject (f->engine, "I7", &error));
  g_assert_true (wc_engine_reschedule_inject (f->engine, "I6", MIN_MS (55), &error));
  advance (f, 45);
  g_assert_cmpint (wc_engine_get_inject_status (f->engine, "I4"), ==, WC_INJECT_HELD);
  advance (f, 5);
  /* Released after its time: it fires at once. */
  g_assert_true (wc_engine_release_inject (f->engine, "I4", &error));
  advance (f, 30);
  assert_fired (f, expected);
  g_assert_false (wc_engine_release_inject (f->engine, "I4", &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (wc_engine_hold_inject (f->engine, "nope", &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
}

static void
test_team_side (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const WcTeamInjectState *ts;

  g_assert_true (wc_engine_start (f->engine, &error));
  /* Nothing has reached anyone yet. */
  g_assert_false (wc_engine_acknowledge (f->engine, "I1", "a", &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  advance (f, 40);
  g_assert_true (wc_engine_mark_delivered (f->engine, "I1", "a", "sse", &error));
  g_assert_true (wc_engine_acknowledge (f->engine, "I1", "a", &error));
  g_assert_true (wc_engine_acknowledge (f->engine, "I1", "a", &error));
  g_assert_true (wc_engine_mark_action_met (f->engine, "I1", "a", "notify", &error));
  g_assert_false (wc_engine_mark_action_met (f->engine, "I1", "a", "nope", &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ts = wc_engine_get_team_state (f->engine, "I1", "a");
  g_assert_cmpint (ts->delivered_ms, ==, MIN_MS (40));
  g_assert_cmpint (ts->acknowledged_ms, ==, MIN_MS (40));
  g_assert_cmpuint (ts->actions_met->len, ==, 1);
  g_assert_cmpuint (ts->actions_met_ms->len, ==, 1);
  g_assert_true (wc_engine_respond (f->engine, "I1", "a", "Noted", NULL, &error));
  g_assert_cmpuint (ts->responses->len, ==, 1);
  /* b's side of I1 starts empty and stays so: what a did is a's alone */
  ts = wc_engine_get_team_state (f->engine, "I1", "b");
  g_assert_cmpuint (ts->responses->len, ==, 0);
  g_assert_cmpuint (ts->actions_met->len, ==, 0);
  g_assert_cmpuint (ts->actions_met_ms->len, ==, 0);
  g_assert_cmpuint (ts->judgements->len, ==, 0);
  g_assert_true (wc_engine_respond (f->engine, "I1", "b", "Also noted", NULL, &error));
  g_assert_cmpuint (ts->responses->len, ==, 1);
  g_assert_cmpuint (wc_engine_get_team_state (f->engine, "I1", "a")->responses->len, ==, 1);
  /* I3 went to b only: a cannot see it, nor answer it. */
  g_assert_null (wc_engine_get_team_state (f->engine, "I3", "a"));
  g_assert_false (wc_engine_respond (f->engine, "I3", "a", "hi", NULL, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Decisions take one of their options. */
  g_assert_false (wc_engine_respond (f->engine, "I4", "a", NULL, "maybe", &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (wc_engine_respond (f->engine, "I4", "a", "", NULL, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (wc_engine_respond (f->engine, "I4", "a", "Go", "yes", &error));
  ts = wc_engine_get_team_state (f->engine, "I4", "a");
  g_assert_cmpstr (ts->option, ==, "yes");
  g_assert_cmpstr (ts->last_response, ==, "Go");
  g_assert_cmpint (ts->first_response_ms, ==, MIN_MS (40));
  g_assert_cmpuint (wc_engine_get_team_injects (f->engine, "a")->len, ==, 3);
}

static void
test_adhoc_and_notes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *const to[] = { "b", NULL };
  const char *const nobody[] = { "zz", NULL };

  g_assert_null (wc_engine_send_adhoc (f->engine, "T", "B", WC_CHANNEL_EMAIL, to, WC_TLP_RED, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (wc_engine_start (f->engine, &error));
  id = wc_engine_send_adhoc (f->engine, "Power cut", "The site is dark", WC_CHANNEL_PHONE, to,
                             WC_TLP_RED, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "adhoc-1");
  g_assert_cmpint (wc_engine_get_inject_status (f->engine, id), ==, WC_INJECT_FIRED);
  g_assert_cmpint (wc_engine_find_inject (f->engine, id)->tlp, ==, WC_TLP_RED);
  g_assert_nonnull (wc_engine_get_team_state (f->engine, id, "b"));
  g_assert_null (wc_engine_get_team_state (f->engine, id, "a"));
  g_assert_null (wc_engine_send_adhoc (f->engine, "T", "B", WC_CHANNEL_EMAIL, nobody, WC_TLP_RED, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (wc_engine_add_note (f->engine, "Team B seems stuck", &error));
  g_assert_false (wc_engine_add_note (f->engine, "  ", &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_assert_true (g_ptr_array_find_with_equal_func (f->types, "note", g_str_equal, NULL));
}

/* An ad-hoc inject with expected actions and a file: the record carries them, a resumed engine
 * rebuilds them for the To Assess queue, and the file sits beside the journal, private, where a
 * link placed next to it is refused. */
static void
test_adhoc_actions (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *source = g_build_filename (f->dir, "memo.pdf", NULL);
  g_autofree char *folder = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *link = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *read_back = NULL;
  g_autoptr(WcText) title = wc_text_new_plain ("Ransom note");
  g_autoptr(WcText) body = wc_text_new_plain ("Pay or else");
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) items = NULL;
  const char *const to[] = { "a", NULL };
  const char *record = NULL;
  WcInject *extras = wc_inject_new ();
  WcExpectedAction *action;
  WcAttachment *a;
  WcEngine *resumed;
  const WcInject *rebuilt;
  guint n_items = 0;
  GStatBuf st;
  gsize length;

  g_assert_true (g_file_set_contents (source, "%PDF-1.4 ransom", -1, &error));
  g_assert_true (wc_engine_start (f->engine, &error));
  for (guint i = 0; i < 2; i++)
    {
      action = wc_expected_action_new ();
      action->text = wc_text_new_plain (i == 0 ? "Call the police" : "Brief the board");
      action->deadline_ms = i == 0 ? MIN_MS (30) : -1;
      g_ptr_array_add (extras->expected_actions, action);
    }
  a = wc_engine_store_adhoc_attachment (f->engine, source, "application/pdf", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->file, ==, "adhoc-1/memo.pdf");
  g_ptr_array_add (extras->attachments, a);
  id = wc_engine_send_adhoc_full (f->engine, title, body, NULL, WC_CHANNEL_EMAIL, to, WC_TLP_AMBER,
                                  extras->expected_actions, extras->attachments, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "adhoc-1");
  wc_inject_free (extras);

  /* the record itself has them, not only the live engine */
  g_assert_true (g_file_get_contents (f->journal, &journal, NULL, &error));
  lines = g_strsplit (journal, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (strstr (lines[i], "\"adhoc-created\""))
      record = lines[i];
  g_assert_nonnull (record);
  g_assert_nonnull (strstr (record, "\"Call the police\""));
  g_assert_nonnull (strstr (record, "\"deadline\":1800000"));
  g_assert_nonnull (strstr (record, "\"base\":\"journal\""));

  /* the copy: private, the same bytes, only reachable without links */
  folder = wc_engine_get_attachment_folder (f->engine, id);
  g_assert_true (g_str_has_suffix (folder, "journal.jsonl.attachments"));
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  copy = g_build_filename (folder, "adhoc-1", "memo.pdf", NULL);
  g_assert_cmpint (g_stat (copy, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  read_back = wc_untrusted_read_file (copy, WC_ADHOC_ATTACHMENT_MAX, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read_back, ==, "%PDF-1.4 ransom");
  g_assert_true (wc_untrusted_check_in_folder (folder, "adhoc-1/memo.pdf", WC_ADHOC_ATTACHMENT_MAX,
                                               &error));
  link = g_build_filename (folder, "adhoc-1", "link.pdf", NULL);
  g_assert_cmpint (symlink (source, link), ==, 0);
  g_assert_false (wc_untrusted_check_in_folder (folder, "adhoc-1/link.pdf",
                                                WC_ADHOC_ATTACHMENT_MAX, &error));
  g_assert_error (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_LINK);
  g_clear_error (&error);
  /* a folder is no attachment */
  g_assert_null (wc_engine_store_adhoc_attachment (f->engine, f->dir, NULL, &error));
  g_assert_error (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_NOT_REGULAR);
  g_clear_error (&error);
  g_assert_finalize_object (f->engine);

  resumed = wc_engine_resume (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  attach (f, resumed);
  rebuilt = wc_engine_find_inject (resumed, "adhoc-1");
  g_assert_cmpuint (rebuilt->expected_actions->len, ==, 2);
  action = g_ptr_array_index (rebuilt->expected_actions, 0);
  g_assert_cmpint (action->deadline_ms, ==, MIN_MS (30));
  action = g_ptr_array_index (rebuilt->expected_actions, 1);
  g_assert_cmpstr (action->id, ==, "a2");
  g_assert_cmpint (action->judge, ==, WC_JUDGE_MANUAL);
  g_assert_cmpint (action->deadline_ms, ==, -1);
  g_assert_cmpuint (rebuilt->attachments->len, ==, 1);
  g_assert_cmpstr (((WcAttachment *) g_ptr_array_index (rebuilt->attachments, 0))->file, ==,
                   "adhoc-1/memo.pdf");
  items = wc_engine_list_to_assess (resumed);
  for (guint i = 0; i < items->len; i++)
    {
      WcAssessItem *item = &g_array_index (items, WcAssessItem, i);

      if (g_str_equal (item->inject->id, "adhoc-1"))
        {
          g_assert_cmpstr (item->team, ==, "a");
          g_assert_cmpstr (item->action->id, ==, n_items == 0 ? "a1" : "a2");
          n_items++;
        }
    }
  g_assert_cmpuint (n_items, ==, 2);

  g_assert_cmpint (g_unlink (link), ==, 0);
  g_assert_cmpint (g_unlink (copy), ==, 0);
  g_assert_cmpint (g_unlink (source), ==, 0);
  g_clear_pointer (&copy, g_free);
  copy = g_build_filename (folder, "adhoc-1", NULL);
  g_assert_cmpint (g_rmdir (copy), ==, 0);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
}

/* The journal alone rebuilds the exercise: same state, nothing fires twice, and the clock
 * stands paused where the journal left it. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *adhoc = NULL;
  const char *const to[] = { "a", NULL };
  const char *const after[] = { "10 I1 a,b", "15 I3 b", "20 adhoc-1 a", "30 I2 a", "40 I4 a",
                                "60 I6 a", "60 I7 b", NULL };
  WcEngine *resumed;

  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_true (wc_engine_hold_inject (f->engine, "I5", &error));
  advance (f, 16);
  g_assert_true (wc_engine_respond (f->engine, "I1", "b", "done", NULL, &error));
  advance (f, 4);
  adhoc = wc_engine_send_adhoc (f->engine, "x", "y", WC_CHANNEL_EMAIL, to, WC_TLP_AMBER, &error);
  g_assert_nonnull (adhoc);
  g_assert_cmpuint (f->fired->len, ==, 3);
  /* The machine dies here: no stop is recorded. */
  g_assert_finalize_object (f->engine);

  resumed = wc_engine_resume (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  attach (f, resumed);
  g_assert_null (wc_engine_get_recovery_note (resumed));
  g_assert_cmpint (wc_engine_get_state (resumed), ==, WC_ENGINE_PAUSED);
  g_assert_cmpint (wc_engine_get_time (resumed), ==, MIN_MS (20));
  g_assert_cmpint (wc_engine_get_inject_status (resumed, "I1"), ==, WC_INJECT_FIRED);
  g_assert_cmpint (wc_engine_get_inject_status (resumed, "I5"), ==, WC_INJECT_HELD);
  g_assert_cmpint (wc_engine_get_inject_status (resumed, adhoc), ==, WC_INJECT_FIRED);
  g_assert_cmpuint (wc_engine_get_team_state (resumed, "I1", "b")->n_responses, ==, 1);
  advance (f, 30);
  g_assert_cmpuint (f->fired->len, ==, 3);
  g_assert_true (wc_engine_resume_clock (resumed, &error));
  advance (f, 60);
  assert_fired (f, after);
}

static guint
n_records (WcEngine *engine)
{
  return wc_journal_get_n_records (wc_engine_get_journal (engine));
}

/* An answer sent again with its Idempotency-Key (a reply lost, a relay's 504) is the first one:
 * nothing recorded, the same answer back; another answer with the key is a conflict; keys are
 * each team's own; and a journal replayed (a resume after a crash) still knows them. */
static void
test_idempotent_answer (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const WcResponse *first = NULL, *again = NULL;
  const WcJournalRecord *record;
  gint64 first_ms;
  guint n;
  WcEngine *resumed;

  g_assert_true (wc_engine_start (f->engine, &error));
  advance (f, 40);
  g_assert_true (wc_engine_respond_with_key (f->engine, "I1", "a", "Noted", NULL, "k-1.A_z",
                                             &first, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (first->text, ==, "Noted");
  first_ms = first->t_ms;
  n = n_records (f->engine);
  record = wc_journal_get_record (wc_engine_get_journal (f->engine), n - 1);
  g_assert_cmpstr (record->type, ==, "response");
  g_assert_cmpstr (wc_record_get_key (record->data), ==, "k-1.A_z");
  g_assert_true (wc_engine_has_key (f->engine, "a", "k-1.A_z"));
  g_assert_false (wc_engine_has_key (f->engine, "b", "k-1.A_z"));

  advance (f, 1);
  g_assert_true (wc_engine_respond_with_key (f->engine, "I1", "a", "Noted", NULL, "k-1.A_z",
                                             &again, &error));
  g_assert_true (again == first);
  g_assert_cmpint (again->t_ms, ==, first_ms);
  g_assert_cmpuint (n_records (f->engine), ==, n);
  g_assert_cmpuint (wc_engine_get_team_state (f->engine, "I1", "a")->n_responses, ==, 1);

  /* the key said something else the first time */
  g_assert_false (wc_engine_respond_with_key (f->engine, "I1", "a", "Noted!", NULL, "k-1.A_z",
                                              NULL, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "different answer"));
  g_clear_error (&error);
  g_assert_false (wc_engine_respond_with_key (f->engine, "I4", "a", "Noted", "yes", "k-1.A_z",
                                              NULL, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpuint (n_records (f->engine), ==, n);

  /* another team's key of the same name is its own */
  g_assert_true (wc_engine_respond_with_key (f->engine, "I1", "b", "Other", NULL, "k-1.A_z",
                                             &again, &error));
  g_assert_cmpstr (again->text, ==, "Other");
  g_assert_cmpuint (n_records (f->engine), ==, n + 1);
  g_assert_cmpuint (wc_engine_get_team_state (f->engine, "I1", "a")->n_responses, ==, 1);

  /* a key that is no key; and no key at all: every answer counts, as always */
  g_assert_false (wc_engine_respond_with_key (f->engine, "I1", "a", "Noted", NULL, "k 1", NULL,
                                              &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (wc_engine_respond (f->engine, "I1", "a", "Noted", NULL, &error));
  g_assert_true (wc_engine_respond (f->engine, "I1", "a", "Noted", NULL, &error));
  g_assert_cmpuint (wc_engine_get_team_state (f->engine, "I1", "a")->n_responses, ==, 3);

  /* The controller dies; resumed from the journal, the retry is still known as one. */
  g_assert_finalize_object (f->engine);
  resumed = wc_engine_resume (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  attach (f, resumed);
  n = n_records (resumed);
  g_assert_true (wc_engine_has_key (resumed, "a", "k-1.A_z"));
  g_assert_true (wc_engine_has_key (resumed, "b", "k-1.A_z"));
  g_assert_false (wc_engine_has_key (resumed, "a", "k-2"));
  g_assert_true (wc_engine_respond_with_key (resumed, "I1", "a", "Noted", NULL, "k-1.A_z",
                                             &again, &error));
  g_assert_no_error (error);
  g_assert_cmpint (again->t_ms, ==, first_ms);
  g_assert_true (again == g_ptr_array_index (wc_engine_get_team_state (resumed, "I1",
                                                                       "a")->responses, 0));
  g_assert_cmpuint (n_records (resumed), ==, n);
  g_assert_false (wc_engine_respond_with_key (resumed, "I1", "a", "Changed", NULL, "k-1.A_z",
                                              NULL, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_CONFLICT);
  g_clear_error (&error);
  /* a new key after the resume is a new answer */
  g_assert_true (wc_engine_respond_with_key (resumed, "I1", "a", "Noted", NULL, "k-2", &again,
                                             &error));
  g_assert_cmpuint (n_records (resumed), ==, n + 1);
  g_assert_cmpuint (wc_engine_get_team_state (resumed, "I1", "a")->n_responses, ==, 4);

  /* The exercise ends; a retry whose first reply was lost on the way still gets that reply, and
   * only a retry is taken: a new key, or the key with another answer, is refused. */
  g_assert_true (wc_engine_end (resumed, "done", &error));
  n = n_records (resumed);
  g_assert_true (wc_engine_respond_with_key (resumed, "I1", "a", "Noted", NULL, "k-1.A_z",
                                             &again, &error));
  g_assert_no_error (error);
  g_assert_cmpint (again->t_ms, ==, first_ms);
  g_assert_false (wc_engine_respond_with_key (resumed, "I1", "a", "Noted", NULL, "k-3", NULL,
                                              &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (wc_engine_respond_with_key (resumed, "I1", "a", "Changed", NULL, "k-1.A_z",
                                              NULL, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_CONFLICT);
  g_clear_error (&error);
  /* b's key is b's: a answering with it after the end is no retry of a's */
  g_assert_false (wc_engine_respond_with_key (resumed, "I1", "a", "Other", NULL, "k-1.A_z",
                                              NULL, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (wc_engine_respond (resumed, "I1", "a", "Noted", NULL, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_cmpuint (n_records (resumed), ==, n);
  g_assert_cmpuint (wc_engine_get_team_state (resumed, "I1", "a")->n_responses, ==, 4);
}

/* Keys are checked as a client sends them: 1 to 64 of [A-Za-z0-9._-]. */
static void
test_key_syntax (void)
{
  g_autofree char *longest = g_strnfill (64, 'k');
  g_autofree char *too_long = g_strnfill (65, 'k');

  g_assert_true (wc_engine_key_is_valid ("a"));
  g_assert_true (wc_engine_key_is_valid ("0f3a-9B_x.1"));
  g_assert_true (wc_engine_key_is_valid (longest));
  g_assert_false (wc_engine_key_is_valid (too_long));
  g_assert_false (wc_engine_key_is_valid (""));
  g_assert_false (wc_engine_key_is_valid (NULL));
  g_assert_false (wc_engine_key_is_valid ("a b"));
  g_assert_false (wc_engine_key_is_valid ("a/b"));
  g_assert_false (wc_engine_key_is_valid ("\"\""));
  g_assert_false (wc_engine_key_is_valid ("clé"));
}

static void
test_end (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WcEngine *resumed;
  guint n_records;

  g_assert_true (wc_engine_start (f->engine, &error));
  advance (f, 12);
  g_assert_true (wc_engine_end (f->engine, "test", &error));
  g_assert_cmpint (wc_engine_get_state (f->engine), ==, WC_ENGINE_ENDED);
  advance (f, 100);
  g_assert_cmpuint (f->fired->len, ==, 1);
  g_assert_false (wc_engine_start (f->engine, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (wc_engine_acknowledge (f->engine, "I1", "a", &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
  g_clear_error (&error);
  n_records = wc_journal_get_n_records (wc_engine_get_journal (f->engine));
  g_assert_finalize_object (f->engine);
  resumed = wc_engine_resume (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  attach (f, resumed);
  g_assert_cmpint (wc_engine_get_state (resumed), ==, WC_ENGINE_ENDED);
  /* an exercise that ended is looked at, not reopened: nothing is added to its journal */
  g_assert_cmpuint (wc_journal_get_n_records (wc_engine_get_journal (resumed)), ==, n_records);
}

static void
test_wrong_scenario (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcEngine) other = NULL;

  g_assert_true (wc_engine_start (f->engine, &error));
  wc_scenario_set_sha256 (f->scenario, "1111111111111111111111111111111111111111111111111111111111111111");
  other = wc_engine_resume (f->scenario, f->journal, &error);
  g_assert_null (other);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_MISMATCH);
}

/* A journal with a torn last line, resumed with the wrong scenario, is refused before anything
 * is repaired: the file stays byte for byte as it was, and no backup is made. */
static void
test_wrong_scenario_torn (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcEngine) other = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GDir) dir = NULL;
  guint n_files = 0;
  FILE *file;

  g_assert_true (wc_engine_start (f->engine, &error));
  file = fopen (f->journal, "a");
  fputs ("{\"seq\": 3, \"ty", file);
  fclose (file);
  g_assert_true (g_file_get_contents (f->journal, &before, NULL, NULL));
  wc_scenario_set_sha256 (f->scenario, "1111111111111111111111111111111111111111111111111111111111111111");
  other = wc_engine_resume (f->scenario, f->journal, &error);
  g_assert_null (other);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_MISMATCH);
  g_assert_true (g_file_get_contents (f->journal, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
  dir = g_dir_open (f->dir, 0, NULL);
  while (g_dir_read_name (dir))
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);
}

/* A crash between events loses at most the time since the last checkpoint: the clock resumes
 * where the checkpoint saw it, not at the last event. */
static void
test_checkpoint (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WcEngine *resumed;

  g_assert_true (wc_engine_start (f->engine, &error));
  advance (f, 8);
  g_assert_true (wc_engine_checkpoint (f->engine, &error));
  g_assert_no_error (error);
  /* no stop recorded: as after kill -9 */
  g_assert_finalize_object (f->engine);
  resumed = wc_engine_resume (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  attach (f, resumed);
  g_assert_cmpint (wc_engine_get_state (resumed), ==, WC_ENGINE_PAUSED);
  g_assert_cmpint (wc_engine_get_time (resumed), ==, MIN_MS (8));
}

/* The file size limit set to the journal's size stands in for a full disk: writes fail with
 * EFBIG. The limit as it was is kept in @saved, for setrlimit() to put back. */
static void
limit_file_size (Fixture       *f,
                 struct rlimit *saved)
{
  struct rlimit limit;
  GStatBuf st;

  g_assert_cmpint (g_stat (f->journal, &st), ==, 0);
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, saved), ==, 0);
  limit = *saved;
  limit.rlim_cur = st.st_size;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
}

static void
count_journal_errors (WcEngine     *engine,
                      const GError *error,
                      guint        *n)
{
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_JOURNAL);
  (*n)++;
}

/* The disk fills up as an inject falls due: it is not dropped, it fires once the journal can
 * take it again (the file size limit stands in for a full disk: writes fail with EFBIG). */
static void
test_disk_full_keeps_inject (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  struct rlimit saved;
  guint n_errors = 0;

  g_signal_connect (f->engine, "journal-error", G_CALLBACK (count_journal_errors), &n_errors);
  g_assert_true (wc_engine_start (f->engine, &error));
  limit_file_size (f, &saved);
  advance (f, 11);   /* I1 is due at T+00:10 */
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  g_assert_cmpuint (n_errors, >, 0);
  g_assert_cmpuint (f->fired->len, ==, 0);
  g_assert_cmpint (wc_engine_get_inject_status (f->engine, "I1"), ==, WC_INJECT_PENDING);

  /* the journal takes records again: the exercise stands paused where the clock was held */
  advance (f, 1);
  g_assert_cmpint (wc_engine_get_state (f->engine), ==, WC_ENGINE_PAUSED);
  g_assert_true (wc_engine_resume_clock (f->engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->fired->len, ==, 1);
  g_assert_cmpint (wc_engine_get_inject_status (f->engine, "I1"), ==, WC_INJECT_FIRED);
  g_assert_cmpuint (wc_engine_get_inject_teams (f->engine, "I1")->len, ==, 2);
}

/* After an outage: the exercise paused where the clock was held, the journal's last word */
static void
assert_paused_where_held (Fixture *f,
                          gint64   held)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = wc_journal_load (f->journal, &error);
  const WcJournalRecord *last;

  g_assert_no_error (error);
  g_assert_cmpint (wc_engine_get_state (f->engine), ==, WC_ENGINE_PAUSED);
  g_assert_cmpint (wc_engine_get_time (f->engine), ==, held);
  last = wc_journal_get_record (journal, wc_journal_get_n_records (journal) - 1);
  g_assert_cmpstr (last->type, ==, "clock-paused");
  g_assert_cmpint (last->t_ms, ==, held);
  g_assert_cmpstr (wc_record_get_reason (last->data), ==, "journal-error");
}

/* While the journal cannot be written, the engine says so and the clock stands still; once a
 * record goes through again, the exercise stands paused where the clock was held. */
static void
test_journal_health (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  struct rlimit saved;
  guint n_errors = 0;
  gint64 held;

  g_signal_connect (f->engine, "journal-error", G_CALLBACK (count_journal_errors), &n_errors);
  g_assert_true (wc_engine_start (f->engine, &error));
  advance (f, 2);
  g_assert_null (wc_engine_get_journal_error (f->engine));
  limit_file_size (f, &saved);
  g_assert_false (wc_engine_add_note (f->engine, "lost", &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_JOURNAL);
  g_clear_error (&error);
  g_assert_nonnull (wc_engine_get_journal_error (f->engine));
  held = wc_engine_get_time (f->engine);
  g_assert_cmpint (held, ==, MIN_MS (2));
  advance (f, 30);  /* I1 would be due; the clock is held */
  g_assert_cmpint (wc_engine_get_time (f->engine), ==, held);
  g_assert_cmpuint (f->fired->len, ==, 0);
  g_assert_cmpint (wc_engine_get_state (f->engine), ==, WC_ENGINE_RUNNING);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  advance (f, 1);
  g_assert_null (wc_engine_get_journal_error (f->engine));
  assert_paused_where_held (f, held);
  /* the controller goes on from there */
  g_assert_true (wc_engine_resume_clock (f->engine, &error));
  advance (f, 10);
  g_assert_cmpuint (f->fired->len, ==, 1);
}

static void
on_durable_ok (WcEngine     *engine,
               const GError *error,
               gpointer      user_data)
{
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The outage ends with another record going through first (a team's acknowledgement, as the
 * HTTP layer takes it with group commit), not the engine's own try: the clock stays held, and
 * the exercise stands paused where it was held, not run on as if the outage had been played
 * (the controller's window once found it running, its clock ahead by the outage). */
static void
test_journal_recovered_by_another (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  struct rlimit saved;
  gboolean durable = FALSE;
  gint64 held;

  g_assert_true (wc_engine_start (f->engine, &error));
  advance (f, 11);   /* I1 fires at T+00:10 */
  g_assert_cmpuint (f->fired->len, ==, 1);
  wc_engine_set_group_commit (f->engine, TRUE);
  limit_file_size (f, &saved);
  g_assert_false (wc_engine_add_note (f->engine, "lost", &error));
  g_clear_error (&error);
  held = wc_engine_get_time (f->engine);
  advance (f, 5);    /* the outage lasts five minutes */
  g_assert_cmpint (wc_engine_get_time (f->engine), ==, held);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  g_assert_true (wc_engine_acknowledge (f->engine, "I1", "a", &error));
  g_assert_no_error (error);
  for (gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
       (wc_engine_get_journal_error (f->engine) != NULL ||
        wc_engine_get_state (f->engine) == WC_ENGINE_RUNNING) && g_get_monotonic_time () < until; )
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (wc_engine_get_journal_error (f->engine));
  g_assert_cmpint (wc_engine_get_state (f->engine), ==, WC_ENGINE_PAUSED);
  wc_engine_when_durable (f->engine, on_durable_ok, &durable, NULL);
  while (!durable)
    g_main_context_iteration (NULL, TRUE);
  assert_paused_where_held (f, held);
  g_assert_cmpint (wc_engine_get_team_state (f->engine, "I1", "a")->acknowledged_ms, >=, 0);
  /* paused, the clock stands; resumed, it runs on from where it was held */
  advance (f, 3);
  g_assert_cmpint (wc_engine_get_time (f->engine), ==, held);
  g_assert_true (wc_engine_resume_clock (f->engine, &error));
  advance (f, 1);
  g_assert_cmpint (wc_engine_get_time (f->engine), ==, held + MIN_MS (1));
}

static void
on_durable (WcEngine     *engine,
            const GError *error,
            gpointer      user_data)
{
  GError **out = user_data;

  g_assert_nonnull (error);
  *out = g_error_copy (error);
}

/* An action whose record could not be made durable changes nothing. With group commit (as the
 * HTTP layer runs), an acknowledgement is written and applied at once and synced at the end of
 * the main-loop turn; the journal is deleted in between, so the sync fails: the record is taken
 * back out of the journal, the team still owes the acknowledgement, and the waiting reply gets
 * the error. */
static void
test_undo_when_not_durable (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) durable_error = NULL;
  WcJournal *journal = wc_engine_get_journal (f->engine);
  guint n_records;

  g_assert_true (wc_engine_start (f->engine, &error));
  advance (f, 11);
  g_assert_cmpuint (f->fired->len, ==, 1);
  n_records = wc_journal_get_n_records (journal);
  wc_engine_set_group_commit (f->engine, TRUE);
  g_assert_true (wc_engine_acknowledge (f->engine, "I1", "a", &error));
  g_assert_cmpint (wc_engine_get_team_state (f->engine, "I1", "a")->acknowledged_ms, >=, 0);
  wc_engine_when_durable (f->engine, on_durable, &durable_error, NULL);
  g_assert_cmpint (g_unlink (f->journal), ==, 0);
  /* the end of the main-loop turn: the group's sync */
  while (durable_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (durable_error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_JOURNAL);
  g_test_message ("%s", durable_error->message);
  g_assert_nonnull (strstr (durable_error->message, "saved to disk"));
  g_assert_nonnull (strstr (durable_error->message, "deleted or moved"));
  g_assert_cmpint (wc_engine_get_team_state (f->engine, "I1", "a")->acknowledged_ms, ==, -1);
  g_assert_cmpuint (wc_journal_get_n_records (journal), ==, n_records);
  g_assert_nonnull (wc_engine_get_journal_error (f->engine));
  g_assert_false (g_ptr_array_find_with_equal_func (f->types, "inject-acknowledged", g_str_equal,
                                                    NULL));
  /* what had been durable stays: the inject that fired is still fired */
  g_assert_cmpint (wc_engine_get_inject_status (f->engine, "I1"), ==, WC_INJECT_FIRED);
  g_assert_cmpuint (wc_engine_get_inject_teams (f->engine, "I1")->len, ==, 2);
}

/* A record that cannot be applied is not left in the journal. */
static void
test_unapplicable_not_kept (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) attempt = json_object_new ();
  guint n_records = wc_journal_get_n_records (wc_engine_get_journal (f->engine));
  WcJournalVerifyResult result = { 0 };

  /* a webhook attempt for an inject that has not reached the team */
  json_object_set_string_member (attempt, "inject", "I1");
  json_object_set_string_member (attempt, "team", "a");
  json_object_set_string_member (attempt, "outcome", "failed");
  g_assert_false (wc_engine_log (f->engine, WC_RECORD_WEBHOOK_ATTEMPT, attempt, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_MISMATCH);
  g_assert_cmpuint (wc_journal_get_n_records (wc_engine_get_journal (f->engine)), ==, n_records);
  g_clear_error (&error);
  g_assert_true (wc_engine_add_note (f->engine, "after", &error));
  g_assert_true (wc_journal_verify_file (f->journal, &result, &error));
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.n_records, ==, n_records + 1);
  wc_journal_verify_result_clear (&result);
}

/* With the exercise's key, checkpoints, a clean stop and the end are sealed. */
static void
test_sealed_records (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
  WcJournalVerifyResult result = { 0 };

  wc_journal_set_key (wc_engine_get_journal (f->engine), key);
  g_assert_true (wc_engine_start (f->engine, &error));
  advance (f, 2);
  g_assert_true (wc_engine_checkpoint (f->engine, &error));
  g_assert_true (wc_engine_add_note (f->engine, "after the checkpoint", &error));
  g_assert_true (wc_journal_verify_file_with_key (f->journal, key, &result, &error));
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.n_seals, ==, 1);
  g_assert_cmpuint (result.last_sealed_seq, ==, result.n_records - 1);
  wc_journal_verify_result_clear (&result);
  g_assert_true (wc_engine_end (f->engine, "done", &error));
  g_assert_true (wc_journal_verify_file_with_key (f->journal, key, &result, &error));
  g_assert_cmpuint (result.n_seals, ==, 2);
  g_assert_cmpuint (result.last_sealed_seq, ==, result.n_records);
  g_assert_cmpstr (result.head_hash, ==,
                   wc_journal_get_head_hash (wc_engine_get_journal (f->engine)));
  wc_journal_verify_result_clear (&result);
}

/* An ad-hoc inject to a team named twice reaches it once; to no team at all, is refused. */
static void
test_adhoc_recipients (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *twice[] = { "a", "b", "a", NULL };
  const char *none[] = { NULL };
  g_autofree char *id = NULL;

  g_assert_true (wc_engine_start (f->engine, &error));
  id = wc_engine_send_adhoc (f->engine, "t", "b", WC_CHANNEL_EMAIL, twice, WC_TLP_AMBER, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_engine_get_inject_teams (f->engine, id)->len, ==, 2);
  g_assert_cmpuint (wc_engine_find_inject (f->engine, id)->to->len, ==, 2);
  g_assert_null (wc_engine_send_adhoc (f->engine, "t", "b", WC_CHANNEL_EMAIL, none, WC_TLP_AMBER,
                                       &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
}

static void
test_existing_journal (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcEngine) other = wc_engine_new (f->scenario, f->journal, &error);

  /* A new exercise never overwrites an old one's journal. */
  g_assert_null (other);
  g_assert_nonnull (error);
}

/* A record of a type not in the vocabulary stops a resume with its line, rather than being
 * skipped (which would rebuild another exercise than the one played). */
static void
test_unknown_record (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcEngine) other = NULL;
  JsonObject *odd = json_object_new ();

  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_cmpuint (wc_journal_append (wc_engine_get_journal (f->engine), 0, "frobnicated", odd,
                                       &error), ==, 3);
  json_object_unref (odd);
  g_assert_true (wc_journal_sync (wc_engine_get_journal (f->engine), &error));
  other = wc_engine_resume (f->scenario, f->journal, &error);
  g_assert_null (other);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "line 4 (record 3)"));
  g_assert_nonnull (strstr (error->message, "frobnicated"));
}

/* Every type of the vocabulary has one name on disk, read back as the same type. */
static void
test_vocabulary (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (WcRecordType t = WC_RECORD_UNKNOWN + 1; t < WC_RECORD_N_TYPES; t++)
    {
      const char *name = wc_record_type_to_string (t);

      g_assert_nonnull (name);
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, (gpointer) name);
      g_assert_cmpint (wc_record_type_from_string (name), ==, t);
    }
  g_assert_cmpint (wc_record_type_from_string ("frobnicated"), ==, WC_RECORD_UNKNOWN);
  g_assert_cmpint (wc_record_type_from_string (NULL), ==, WC_RECORD_UNKNOWN);
  g_assert_true (wc_record_type_has_flag (WC_RECORD_RESPONSE, WC_RECORD_FLAG_TEAM));
  g_assert_false (wc_record_type_has_flag (WC_RECORD_NOTE, WC_RECORD_FLAG_STATE));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) \
  g_test_add ("/whitecell/engine/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("schedule", test_schedule);
  ADD ("pause", test_pause);
  ADD ("speed", test_speed);
  ADD ("jump", test_jump);
  ADD ("jump-skip", test_jump_skip);
  ADD ("hold-skip-reschedule", test_hold_skip_reschedule);
  ADD ("team-side", test_team_side);
  ADD ("adhoc-and-notes", test_adhoc_and_notes);
  ADD ("adhoc-actions", test_adhoc_actions);
  ADD ("resume", test_resume);
  ADD ("idempotent-answer", test_idempotent_answer);
  g_test_add_func ("/whitecell/engine/key-syntax", test_key_syntax);
  ADD ("unknown-record", test_unknown_record);
  g_test_add_func ("/whitecell/engine/vocabulary", test_vocabulary);
  ADD ("end", test_end);
  ADD ("wrong-scenario", test_wrong_scenario);
  ADD ("wrong-scenario-torn", test_wrong_scenario_torn);
  ADD ("checkpoint", test_checkpoint);
  ADD ("adhoc-recipients", test_adhoc_recipients);
  ADD ("disk-full-keeps-inject", test_disk_full_keeps_inject);
  ADD ("journal-health", test_journal_health);
  ADD ("journal-recovered-by-another", test_journal_recovered_by_another);
  ADD ("undo-when-not-durable", test_undo_when_not_durable);
  ADD ("unapplicable-not-kept", test_unapplicable_not_kept);
  ADD ("sealed-records", test_sealed_records);
  ADD ("existing-journal", test_existing_journal);
#undef ADD
  return g_test_run ();
}
