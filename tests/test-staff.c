/* test-staff.c: the exercise staff over HTTP (a WcSession on 127.0.0.1, port 0): each member's
 * own token and role, judgements that the journal records with who made them, the rules'
 * proposals, bad input that records nothing, staff added while the exercise runs, the hot wash
 * and its end; and `whitecellctl run` judging from standard input. */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/wait.h>

#include "test-util.h"
#include "wc-scenario-loader.h"
#include "wc-session.h"

#define WAIT_UNTIL(cond) WC_TEST_WAIT_UNTIL (cond, 20, TRUE)

static const char scenario_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"staff\", \"title\": \"Staff\", \"tlp\": \"AMBER\", \"duration\": \"T+02:00\",\n"
  "   \"objectives\": [{\"id\": \"O1\", \"text\": \"Decide in time\"}]},\n"
  " \"teams\": [{\"id\": \"a\", \"name\": \"Team A\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"b\", \"name\": \"Team B\", \"kind\": \"operator\"},\n"
  "           {\"id\": \"c\", \"name\": \"Team C\", \"kind\": \"operator\"}],\n"
  " \"staff\": [{\"id\": \"eve\", \"name\": \"Eve Evaluator\", \"role\": \"evaluator\"},\n"
  "           {\"id\": \"oscar\", \"name\": \"Oscar Observer\", \"role\": \"observer\"},\n"
  "           {\"id\": \"carl\", \"name\": \"Carl Controller\", \"role\": \"controller\"},\n"
  "           {\"id\": \"dora\", \"name\": \"Dora Director\", \"role\": \"director\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"D\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"decision\", \"to\": [\"a\", \"b\"],\n"
  "   \"title\": \"Decide\", \"body\": \"b\",\n"
  "   \"options\": [{\"id\": \"isolate\", \"text\": \"Isolate\"}, {\"id\": \"wait\", \"text\": \"Wait\"}],\n"
  "   \"expected_actions\": [\n"
  "     {\"id\": \"decide\", \"text\": \"Isolate\", \"deadline\": \"00:15\", \"objective\": \"O1\", \"judge\": \"option:isolate\"},\n"
  "     {\"id\": \"brief\", \"text\": \"Brief the board\", \"objective\": \"O1\"}]}\n"
  " ]}\n";

typedef struct {
  char        *dir;
  char        *scenario_path;
  char        *journal;
  WcScenario  *scenario;
  WcSession   *session;
  WcEngine    *engine;
  WcTokens    *tokens;
  SoupSession *http;
  char        *base;
  gint64       fake_us;
  const char  *key;         /* the Idempotency-Key every request sends, when set */
} Fixture;

static void
on_request_queued (SoupSession *session,
                   SoupMessage *msg,
                   Fixture     *f)
{
  if (f->key)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key",
                                  f->key);
}

/* Moves the exercise clock to @minutes after the start. */
static void
at_minute (Fixture *f,
           gint64   minutes)
{
  f->fake_us = G_USEC_PER_SEC + minutes * 60 * G_USEC_PER_SEC;
  wc_engine_process (f->engine);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("staff.json");
  g_autoptr(GError) error = NULL;
  WcSessionOptions options = { .serve = TRUE, .headless = TRUE, .hot_wash_ms = 400 };

  f->dir = g_dir_make_tmp ("whitecell-staff-XXXXXX", &error);
  g_assert_no_error (error);
  f->scenario_path = g_build_filename (f->dir, "scenario.json", NULL);
  f->journal = g_build_filename (f->dir, "journal.jsonl", NULL);
  g_assert_true (g_file_set_contents (f->scenario_path, scenario_json, -1, &error));
  f->scenario = wc_scenario_load (f->scenario_path, diag, &error);
  g_assert_no_error (error);
  f->session = wc_session_new (f->scenario, f->journal, &options, &error);
  g_assert_no_error (error);
  f->engine = wc_session_get_engine (f->session);
  f->tokens = wc_session_get_tokens (f->session);
  f->fake_us = G_USEC_PER_SEC;
  wc_engine_set_clock_func (f->engine, wc_test_fake_clock, &f->fake_us);
  f->base = wc_server_get_base_url (wc_session_get_server (f->session));
  f->http = soup_session_new ();
  g_signal_connect (f->http, "request-queued", G_CALLBACK (on_request_queued), f);
  g_assert_true (wc_engine_start (f->engine, &error));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->http);
  wc_session_close (f->session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->session);
  g_object_unref (f->scenario);
  wc_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->scenario_path);
  g_free (f->journal);
  g_free (f->base);
}

/* @method @path as the holder of @token, with the JSON @body (nullable); the status, and the
 * reply's JSON object in *@reply (nullable; NULL when the reply is not one). */
static guint
call (Fixture     *f,
      const char  *method,
      const char  *path,
      const char  *token,
      const char  *body,
      JsonObject **reply)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);

  return wc_test_http_json (f->http, method, url, token, body, reply);
}

static const char *
staff_token (Fixture    *f,
             const char *id)
{
  const char *token = wc_tokens_get_staff_token (f->tokens, id);

  g_assert_nonnull (token);
  return token;
}

static const char *
team_token (Fixture    *f,
            const char *id)
{
  return wc_tokens_get_team_token (f->tokens, id);
}

static guint
n_records (Fixture *f)
{
  return wc_journal_get_n_records (wc_engine_get_journal (f->engine));
}

/* The last journal record of @type, or NULL. */
static const WcJournalRecord *
last_of (Fixture    *f,
         const char *type)
{
  WcJournal *journal = wc_engine_get_journal (f->engine);

  for (guint i = wc_journal_get_n_records (journal); i > 0; i--)
    if (strcmp (wc_journal_get_record (journal, i - 1)->type, type) == 0)
      return wc_journal_get_record (journal, i - 1);
  return NULL;
}

/* The item of a {"items": [...]} reply for @team and @action. */
static JsonObject *
item_for (JsonObject *reply,
          const char *team,
          const char *action)
{
  JsonArray *items = json_object_get_array_member (reply, "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (strcmp (json_object_get_string_member (item, "team"), team) == 0 &&
          strcmp (json_object_get_string_member (item, "action"), action) == 0)
        return item;
    }
  return NULL;
}

/* D fired at minute 1; team a chooses "isolate" at minute 5, team b at minute 30 (its deadline
 * was minute 16). */
static void
play_decision (Fixture *f)
{
  const char *isolate = "{\"option\": \"isolate\"}";

  at_minute (f, 1);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/injects/D/fire", staff_token (f, "carl"),
                          NULL, NULL), ==, 200);
  at_minute (f, 5);
  g_assert_cmpuint (call (f, "POST", "/api/v1/injects/D/responses", team_token (f, "a"), isolate,
                          NULL), ==, 201);
  at_minute (f, 30);
  g_assert_cmpuint (call (f, "POST", "/api/v1/injects/D/responses", team_token (f, "b"), isolate,
                          NULL), ==, 201);
}

static void
test_judge (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonObject) me = NULL;
  g_autoptr(JsonObject) to_assess = NULL;
  g_autoptr(JsonObject) judged = NULL;
  g_autoptr(JsonObject) assessments = NULL;
  const WcJournalRecord *record;
  JsonObject *item;

  g_assert_cmpuint (call (f, "GET", "/api/v1/control/me", staff_token (f, "eve"), NULL, &me),
                    ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (me, "staff"),
                                                  "role"), ==, "evaluator");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (me, "exercise"),
                                                  "state"), ==, "running");
  play_decision (f);

  /* the option rule's proposals: in time for a, after the deadline for b */
  g_assert_cmpuint (call (f, "GET", "/api/v1/control/to-assess", staff_token (f, "eve"), NULL,
                          &to_assess), ==, 200);
  item = item_for (to_assess, "a", "decide");
  g_assert_nonnull (item);
  g_assert_cmpstr (json_object_get_string_member (item, "inject_title"), ==, "Decide");
  g_assert_cmpstr (json_object_get_string_member (item, "team_name"), ==, "Team A");
  g_assert_cmpstr (json_object_get_string_member (item, "objective"), ==, "O1");
  g_assert_cmpint (json_object_get_int_member (item, "due_ms"), ==, 16 * 60 * 1000);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (item, "proposal"),
                                                  "verdict"), ==, "met");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (item, "proposal"),
                                                 "automatic"));
  item = item_for (to_assess, "b", "decide");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (item, "proposal"),
                                                  "verdict"), ==, "late");
  /* a manual action has no proposal */
  g_assert_true (json_object_get_null_member (item_for (to_assess, "a", "brief"), "proposal"));

  /* eve judges "brief" (by its position) for a */
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/assessments", staff_token (f, "eve"),
                          "{\"inject\": \"D\", \"team\": \"a\", \"action\": \"2\", "
                          "\"verdict\": \"partial\", \"note\": \"Only the CISO\"}", &judged),
                    ==, 201);
  g_assert_cmpstr (json_object_get_string_member (judged, "action"), ==, "brief");
  g_assert_cmpstr (json_object_get_string_member (judged, "verdict"), ==, "partial");
  g_assert_cmpstr (json_object_get_string_member (judged, "by"), ==, "eve");
  g_assert_false (json_object_get_boolean_member (judged, "automatic"));
  record = last_of (f, "action-assessed");
  g_assert_nonnull (record);
  g_assert_cmpstr (json_object_get_string_member (record->data, "by"), ==, "eve");
  g_assert_cmpstr (json_object_get_string_member (record->data, "action"), ==, "brief");

  /* the proposals and the judgement stand side by side */
  g_assert_cmpuint (call (f, "GET", "/api/v1/control/assessments?inject=D", staff_token (f, "oscar"),
                          NULL, &assessments), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (assessments, "items")),
                    ==, 4);
  item = item_for (assessments, "a", "brief");
  g_assert_cmpstr (json_object_get_string_member (item, "verdict"), ==, "partial");
  g_assert_cmpstr (json_object_get_string_member (item, "note"), ==, "Only the CISO");
  item = item_for (assessments, "b", "decide");
  g_assert_cmpstr (json_object_get_string_member (item, "verdict"), ==, "late");
  g_assert_true (json_object_get_boolean_member (item, "automatic"));
  g_assert_true (json_object_get_null_member (item, "by"));
  /* the controller's records say who did them too */
  g_assert_cmpstr (json_object_get_string_member (last_of (f, "inject-fired")->data, "by"), ==,
                   "carl");
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  const char *judgement = "{\"inject\": \"D\", \"team\": \"a\", \"action\": \"decide\", "
                          "\"verdict\": \"met\"}";
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) refused2 = NULL;
  guint before;

  at_minute (f, 1);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/injects/D/fire", staff_token (f, "eve"),
                          NULL, NULL), ==, 403);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/injects/D/fire", wc_tokens_get_controller (f->tokens),
                          NULL, NULL), ==, 200);
  before = n_records (f);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/assessments", staff_token (f, "oscar"),
                          judgement, &refused), ==, 403);
  g_assert_cmpstr (json_object_get_string_member (refused, "role"), ==, "observer");
  g_assert_true (json_object_has_member (refused, "error"));
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/assessments", staff_token (f, "carl"),
                          judgement, &refused2), ==, 403);
  g_assert_cmpstr (json_object_get_string_member (refused2, "role"), ==, "controller");
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/observations", staff_token (f, "oscar"),
                          "{\"text\": \"x\"}", NULL), ==, 403);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/staff", staff_token (f, "eve"),
                          "{\"id\": \"mal\", \"name\": \"Mal\", \"role\": \"director\"}", NULL),
                    ==, 403);
  g_assert_cmpuint (n_records (f), ==, before);
  /* the controller runs the clock; the evaluator and the observer cannot */
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/pause", staff_token (f, "eve"), NULL, NULL),
                    ==, 403);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/pause", staff_token (f, "carl"), NULL, NULL),
                    ==, 200);
  g_assert_cmpstr (json_object_get_string_member (last_of (f, "clock-paused")->data, "by"), ==,
                   "carl");
  /* everyone reads; a team's token opens nothing of the staff's, nor a staff token a team's */
  g_assert_cmpuint (call (f, "GET", "/api/v1/control/state", staff_token (f, "oscar"), NULL, NULL),
                    ==, 200);
  g_assert_cmpuint (call (f, "GET", "/api/v1/control/me", team_token (f, "a"), NULL, NULL), ==, 401);
  g_assert_cmpuint (call (f, "GET", "/api/v1/me", staff_token (f, "eve"), NULL, NULL), ==, 401);
  /* the director (and the old controller token, a director) judges */
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/assessments", staff_token (f, "dora"),
                          judgement, NULL), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (last_of (f, "action-assessed")->data, "by"), ==,
                   "dora");
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/assessments",
                          wc_tokens_get_controller (f->tokens), judgement, NULL), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (last_of (f, "action-assessed")->data, "by"), ==,
                   "controller");
}

typedef struct {
  const char *body;
  guint       status;
} BadCase;

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  static const BadCase cases[] = {
    { "{\"inject\": \"D\", \"team\": \"a\", \"action\": \"decide\", \"verdict\": \"great\"}", 400 },
    { "{\"inject\": \"D\", \"team\": \"a\", \"action\": \"decide\"}", 400 },
    { "{\"inject\": \"D\", \"team\": \"a\", \"action\": 1, \"verdict\": \"met\"}", 400 },
    { "[1, 2]", 400 },
    { "{\"inject\": \"D\", \"team\": \"a\", \"action\": \"dance\", \"verdict\": \"met\"}", 404 },
    { "{\"inject\": \"D\", \"team\": \"a\", \"action\": \"3\", \"verdict\": \"met\"}", 404 },
    { "{\"inject\": \"D\", \"team\": \"c\", \"action\": \"decide\", \"verdict\": \"met\"}", 404 },
    { "{\"inject\": \"D\", \"team\": \"zz\", \"action\": \"decide\", \"verdict\": \"met\"}", 404 },
    { "{\"inject\": \"NOPE\", \"team\": \"a\", \"action\": \"decide\", \"verdict\": \"met\"}", 404 },
  };
  guint before;

  at_minute (f, 1);
  g_assert_true (wc_engine_fire_inject (f->engine, "D", NULL));
  WAIT_UNTIL (wc_journal_get_n_synced (wc_engine_get_journal (f->engine)) == n_records (f));
  before = n_records (f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) reply = NULL;

      g_test_message ("case %u: %s", i, cases[i].body);
      g_assert_cmpuint (call (f, "POST", "/api/v1/control/assessments", staff_token (f, "eve"),
                              cases[i].body, &reply), ==, cases[i].status);
      g_assert_nonnull (reply);
      g_assert_true (json_object_has_member (reply, "error"));
    }
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/observations", staff_token (f, "eve"),
                          "{\"text\": \"x\", \"kind\": \"gossip\"}", NULL), ==, 400);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/observations", staff_token (f, "eve"),
                          "{\"text\": \"x\", \"team\": \"zz\"}", NULL), ==, 404);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/ratings", staff_token (f, "eve"),
                          "{\"objective\": \"O1\", \"rating\": \"superb\"}", NULL), ==, 400);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/ratings", staff_token (f, "eve"),
                          "{\"objective\": \"O9\", \"rating\": \"performed\"}", NULL), ==, 404);
  g_assert_cmpuint (call (f, "GET", "/api/v1/control/assessments?inject=NOPE",
                          staff_token (f, "eve"), NULL, NULL), ==, 404);
  g_assert_cmpuint (n_records (f), ==, before);
}

/* An observation sent again with its Idempotency-Key (its reply lost on a hotel's Wi-Fi) is
 * answered as the first time and recorded once; the key with another observation is a 409, a
 * key that is none a 400; another person's key of the same name is theirs. */
static void
test_observation_key (Fixture       *f,
                      gconstpointer  data)
{
  static const char observation[] = "{\"text\": \"Clear roles\", \"kind\": \"strength\", "
                                    "\"team\": \"a\"}";
  g_autoptr(JsonObject) first = NULL, again = NULL, reply = NULL;
  g_autoptr(JsonNode) first_node = NULL, again_node = NULL;
  guint before = n_records (f);

  f->key = "obs-1";
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/observations", staff_token (f, "eve"),
                          observation, &first), ==, 201);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/observations", staff_token (f, "eve"),
                          observation, &again), ==, 201);
  first_node = json_node_init_object (json_node_alloc (), first);
  again_node = json_node_init_object (json_node_alloc (), again);
  g_assert_true (json_node_equal (first_node, again_node));
  g_assert_cmpuint (n_records (f), ==, before + 1);
  g_assert_cmpstr (wc_record_get_key (last_of (f, "observation")->data), ==, "obs-1");
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/observations", staff_token (f, "eve"),
                          "{\"text\": \"Roles unclear\"}", &reply), ==, 409);
  g_assert_nonnull (json_object_get_string_member (reply, "error"));
  g_clear_pointer (&reply, json_object_unref);
  f->key = "obs 1";
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/observations", staff_token (f, "eve"),
                          observation, &reply), ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (reply, "error"), "Idempotency-Key"));
  g_assert_cmpuint (n_records (f), ==, before + 1);
  /* the controller's "obs-1" is not eve's */
  f->key = "obs-1";
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/observations",
                          wc_tokens_get_controller (f->tokens), observation, NULL), ==, 201);
  g_assert_cmpuint (n_records (f), ==, before + 2);
  f->key = NULL;
}

static void
test_observe_rate (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) observed = NULL;
  g_autoptr(JsonObject) objectives = NULL;
  JsonObject *o1;
  JsonArray *ratings;

  g_assert_cmpuint (call (f, "POST", "/api/v1/control/observations", staff_token (f, "eve"),
                          "{\"text\": \"Clear roles\", \"kind\": \"strength\", \"team\": \"a\"}",
                          &observed), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (observed, "type"), ==, "observation");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (observed, "data"),
                                                  "by"), ==, "eve");
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/ratings", staff_token (f, "eve"),
                          "{\"objective\": \"O1\", \"rating\": \"some-challenges\", "
                          "\"rationale\": \"Late for B\"}", NULL), ==, 201);
  g_assert_cmpuint (call (f, "GET", "/api/v1/control/objectives", staff_token (f, "oscar"), NULL,
                          &objectives), ==, 200);
  o1 = json_array_get_object_element (json_object_get_array_member (objectives, "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (o1, "id"), ==, "O1");
  g_assert_cmpstr (json_object_get_string_member (o1, "text"), ==, "Decide in time");
  ratings = json_object_get_array_member (o1, "ratings");
  g_assert_cmpuint (json_array_get_length (ratings), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ratings, 0),
                                                  "rating"), ==, "some-challenges");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ratings, 0),
                                                  "by"), ==, "eve");

  /* the latest observations, for a page opened later; an observer may read them */
  {
    g_autoptr(JsonObject) list = NULL;
    JsonArray *items;
    JsonObject *first;

    g_assert_cmpuint (call (f, "GET", "/api/v1/control/observations", staff_token (f, "oscar"),
                            NULL, &list), ==, 200);
    items = json_object_get_array_member (list, "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    first = json_array_get_object_element (items, 0);
    g_assert_cmpstr (json_object_get_string_member (first, "text"), ==, "Clear roles");
    g_assert_cmpstr (json_object_get_string_member (first, "by"), ==, "eve");
    g_assert_nonnull (json_object_get_string_member (first, "by_name"));
  }
}

static void
test_add_staff (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) added = NULL;
  g_autoptr(JsonObject) me = NULL;
  g_autoptr(WcTokens) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tokens_path = wc_tokens_path_for_journal (f->journal);
  g_autofree char *page = NULL;
  const char *url, *token;
  GStatBuf st;

  g_assert_cmpuint (call (f, "POST", "/api/v1/control/staff", staff_token (f, "dora"),
                          "{\"id\": \"vic\", \"name\": \"Vic Visitor\", \"role\": \"evaluator\"}",
                          &added), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (added, "role"), ==, "evaluator");
  url = json_object_get_string_member (added, "url");
  token = wc_tokens_get_staff_token (f->tokens, "vic");
  g_assert_nonnull (token);
  g_assert_true (g_str_has_prefix (url, f->base));
  g_assert_true (g_str_has_suffix (url, token));
  g_assert_nonnull (strstr (url, "/e/"));
  g_assert_cmpstr (json_object_get_string_member (last_of (f, "staff-added")->data, "by"), ==,
                   "dora");
  /* the journal never holds the token */
  g_assert_false (json_object_has_member (last_of (f, "staff-added")->data, "token"));

  /* the new link works at once, and is in the secrets file (0600) */
  g_assert_cmpuint (call (f, "GET", "/api/v1/control/me", token, NULL, &me), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (me, "staff"),
                                                  "id"), ==, "vic");
  page = g_strconcat ("/e/", token, NULL);
  g_assert_cmpuint (call (f, "GET", page, NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (call (f, "GET", "/e/0123456789abcdef0123456789abcdef", NULL, NULL, NULL), ==,
                    404);
  reread = wc_tokens_load (tokens_path, f->scenario, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_tokens_get_staff_token (reread, "vic"), ==, token);
  g_assert_cmpstr (wc_tokens_get_staff_token (reread, "eve"), ==, staff_token (f, "eve"));
  g_assert_cmpint (g_stat (tokens_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* staff added by the app (the engine, not the API) get a token too */
  g_assert_true (wc_engine_add_staff (f->engine, "wes", "Wes", WC_STAFF_OBSERVER, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (wc_tokens_get_staff_token (f->tokens, "wes") != NULL);
  g_assert_cmpuint (call (f, "GET", "/api/v1/control/me", wc_tokens_get_staff_token (f->tokens, "wes"),
                          NULL, NULL), ==, 200);
  g_clear_object (&reread);
  reread = wc_tokens_load (tokens_path, f->scenario, &error);
  g_assert_no_error (error);
  g_assert_nonnull (wc_tokens_get_staff_token (reread, "wes"));

  /* an id taken, a bad role */
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/staff", staff_token (f, "dora"),
                          "{\"id\": \"eve\", \"name\": \"Eve 2\", \"role\": \"evaluator\"}", NULL),
                    ==, 400);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/staff", staff_token (f, "dora"),
                          "{\"id\": \"x\", \"name\": \"X\", \"role\": \"king\"}", NULL), ==, 400);
}

static void
test_hot_wash (Fixture       *f,
               gconstpointer  data)
{
  const char *feedback = "{\"strengths\": \"Realistic\", \"realism\": 4, \"usefulness\": 5}";
  g_autoptr(JsonObject) ended = NULL;
  g_autoptr(JsonObject) got = NULL;
  g_autoptr(JsonObject) gone = NULL;
  g_autofree char *page = g_strconcat ("/t/", team_token (f, "a"), NULL);
  JsonObject *given;

  at_minute (f, 1);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/injects/D/fire", staff_token (f, "carl"),
                          NULL, NULL), ==, 200);
  g_assert_cmpuint (call (f, "POST", "/api/v1/feedback", team_token (f, "a"), feedback, NULL), ==,
                    409);
  g_assert_cmpuint (call (f, "GET", "/api/v1/feedback", team_token (f, "a"), NULL, &got), ==, 200);
  g_assert_false (json_object_get_boolean_member (got, "open"));
  g_clear_pointer (&got, json_object_unref);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/end", staff_token (f, "carl"), NULL, NULL),
                    ==, 200);

  /* the hot wash: read-only but for the feedback */
  g_assert_cmpuint (call (f, "POST", "/api/v1/injects/D/responses", team_token (f, "a"),
                          "{\"text\": \"late\"}", &ended), ==, 409);
  g_assert_cmpstr (json_object_get_string_member (ended, "error"), ==, "the exercise has ended");
  g_assert_cmpuint (call (f, "POST", "/api/v1/injects/D/ack", team_token (f, "a"), NULL, NULL), ==,
                    409);
  g_assert_cmpuint (call (f, "GET", "/api/v1/injects", team_token (f, "a"), NULL, NULL), ==, 200);
  g_assert_cmpuint (call (f, "GET", page, NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (call (f, "POST", "/api/v1/feedback", team_token (f, "a"),
                          "{\"realism\": 9}", NULL), ==, 400);
  g_assert_cmpuint (call (f, "POST", "/api/v1/feedback", team_token (f, "a"), feedback, NULL), ==,
                    201);
  g_assert_cmpuint (call (f, "POST", "/api/v1/feedback", team_token (f, "a"),
                          "{\"text\": \"Second thoughts\", \"realism\": 3}", NULL), ==, 201);
  g_assert_cmpuint (call (f, "GET", "/api/v1/feedback", team_token (f, "a"), NULL, &got), ==, 200);
  g_assert_true (json_object_get_boolean_member (got, "open"));
  given = json_object_get_object_member (got, "feedback");
  /* the second replaced the first */
  g_assert_cmpstr (json_object_get_string_member (given, "text"), ==, "Second thoughts");
  g_assert_cmpint (json_object_get_int_member (given, "realism"), ==, 3);
  g_assert_false (json_object_has_member (given, "strengths"));
  g_assert_cmpstr (json_object_get_string_member (last_of (f, "feedback")->data, "team"), ==, "a");

  /* its end (400 ms here): teams get 410 Gone; the staff are still served */
  g_assert_false (wc_session_get_hot_wash_over (f->session));
  WAIT_UNTIL (wc_session_get_hot_wash_over (f->session));
  g_assert_cmpuint (call (f, "GET", "/api/v1/me", team_token (f, "a"), NULL, &gone), ==, 410);
  g_assert_true (json_object_has_member (gone, "error"));
  g_assert_cmpuint (call (f, "POST", "/api/v1/feedback", team_token (f, "b"), feedback, NULL), ==,
                    410);
  g_assert_cmpuint (call (f, "GET", page, NULL, NULL, NULL), ==, 410);
  g_assert_cmpuint (call (f, "GET", "/api/v1/control/assessments", staff_token (f, "eve"), NULL,
                          NULL), ==, 200);
}

/* `whitecellctl run`: assess on standard input, errors printed, the staff in --tokens-out, and a
 * short hot wash that ends by itself. */
static void
test_ctl_assess (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *journal = g_build_filename (f->dir, "ctl.jsonl", NULL);
  g_autofree char *tokens_out = g_build_filename (f->dir, "links.json", NULL);
  g_autofree char *tokens_path = wc_tokens_path_for_journal (journal);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *journal_text = NULL;
  g_autoptr(JsonNode) links = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("WC_CTL"), "run", f->scenario_path, "--journal", journal,
                         "--listen", "127.0.0.1:0", "--hot-wash", "1s", "--tokens-out", tokens_out,
                         NULL };
  const char *commands = "fire D\n"
                         "assess D 1 a met Chose\tto isolate at once, well before anyone asked them to, and told the regulator\n"
                         "assess D dance a met\n"
                         "assess D 1 a great\n"
                         "assess D 1 c met\n"
                         "assess D\n"
                         "end\n";
  JsonObject *eve;
  GPid pid;
  int in_fd, out_fd, err_fd, status;
  GIOChannel *channel;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, &in_fd, &out_fd, &err_fd, &error));
  g_assert_no_error (error);
  g_assert_cmpint (write (in_fd, commands, strlen (commands)), ==, (gssize) strlen (commands));
  close (in_fd);
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_read_to_end (channel, &out, NULL, &error);
  g_assert_no_error (error);
  g_io_channel_unref (channel);
  channel = g_io_channel_unix_new (err_fd);
  g_io_channel_read_to_end (channel, &err, NULL, &error);
  g_assert_no_error (error);
  g_io_channel_unref (channel);
  close (out_fd);
  close (err_fd);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_test_message ("stdout:\n%s\nstderr:\n%s", out, err);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

  /* the judgement, printed shortened; the bad lines, each an error */
  g_assert_nonnull (strstr (out, "· assessed D decide a: met — Chose to isolate at once"));
  g_assert_nonnull (strstr (out, "…"));
  g_assert_null (strstr (out, "told the regulator"));
  g_assert_nonnull (strstr (err, "no expected action “dance”"));
  g_assert_nonnull (strstr (err, "“great” is not a verdict"));
  g_assert_nonnull (strstr (err, "has not reached team “c”"));
  g_assert_nonnull (strstr (err, "assess INJECT ACTION TEAM"));
  /* the hot wash went on after the end, then ended by itself */
  g_assert_nonnull (strstr (out, "Hot wash"));
  g_assert_nonnull (strstr (out, "hot wash is over"));
  g_assert_true (g_file_get_contents (journal, &journal_text, NULL, NULL));
  g_assert_nonnull (strstr (journal_text, "\"action-assessed\""));

  /* --tokens-out: the teams as before, and the staff with their links */
  {
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (tokens_out, &text, NULL, NULL));
    links = json_from_string (text, &error);
    g_assert_no_error (error);
  }
  g_assert_true (json_object_has_member (json_node_get_object (links), "a"));
  eve = json_object_get_object_member (json_object_get_object_member (json_node_get_object (links),
                                                                      "staff"), "eve");
  g_assert_cmpstr (json_object_get_string_member (eve, "role"), ==, "evaluator");
  g_assert_cmpstr (json_object_get_string_member (eve, "name"), ==, "Eve Evaluator");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (eve, "url"),
                                   json_object_get_string_member (eve, "token")));
  /* tokens never on standard output, nor in the journal */
  g_assert_null (strstr (out, json_object_get_string_member (eve, "token")));
  g_assert_null (strstr (journal_text, json_object_get_string_member (eve, "token")));
  g_assert_true (g_file_test (tokens_path, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) \
  g_test_add ("/whitecell/staff/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("judge", test_judge);
  ADD ("roles", test_roles);
  ADD ("bad-input", test_bad_input);
  ADD ("observe-rate", test_observe_rate);
  ADD ("observation-key", test_observation_key);
  ADD ("add-staff", test_add_staff);
  ADD ("hot-wash", test_hot_wash);
  ADD ("ctl-assess", test_ctl_assess);
#undef ADD
  return g_test_run ();
}
