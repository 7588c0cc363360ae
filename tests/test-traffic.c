/* test-traffic.c: the teams' own traffic (issue 14): the scenario's coordination section, the
 * roles and the matrix, each kind of item journaled and applied, acknowledgements and replies,
 * limits, attachments, and the table rebuilt by a resume and by a replay. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-util.h"
#include "wc-engine.h"
#include "wc-scenario-loader.h"

#define TEAMS \
  " \"teams\": [{\"id\": \"csirt\", \"name\": \"CSIRT\", \"kind\": \"csirt\"},\n" \
  "           {\"id\": \"cc\", \"name\": \"Crisis centre\", \"kind\": \"crisis-centre\"},\n" \
  "           {\"id\": \"sa-energy\", \"name\": \"Energy authority\", \"kind\": \"sector-authority\", \"sector\": \"energy\"},\n" \
  "           {\"id\": \"op-a\", \"name\": \"Operator A\", \"kind\": \"operator\", \"sector\": \"energy\", \"language\": \"nl\"},\n" \
  "           {\"id\": \"op-b\", \"name\": \"Operator B\", \"kind\": \"operator\", \"sector\": \"energy\"},\n" \
  "           {\"id\": \"op-c\", \"name\": \"Operator C\", \"kind\": \"operator\", \"sector\": \"health\"}],\n"

#define HEAD \
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n" \
  " \"exercise\": {\"id\": \"loop\", \"title\": \"Loop\", \"tlp\": \"AMBER\", \"duration\": \"T+04:00\",\n" \
  "   \"languages\": [\"en\", \"nl\", \"fr\"], \"default_language\": \"en\"},\n" \
  TEAMS \
  " \"actors\": [{\"id\": \"journalist\", \"name\": \"A journalist\"}],\n" \
  " \"injects\": [{\"id\": \"I1\", \"at\": \"T+00:05\", \"channel\": \"email\", \"to\": [\"op-a\"],\n" \
  "   \"title\": \"Ransomware\", \"body\": \"Your SCADA is encrypted\", \"incident\": true}]"

/* no coordination section: the defaults */
static const char default_json[] = HEAD "}\n";

/* operators to the CSIRT and the energy sector, the CSIRT and crisis centre to all; the
 * authority to no one (but it may answer) */
static const char explicit_json[] = HEAD ",\n"
  " \"coordination\": {\n"
  "   \"matrix\": [{\"from\": \"kind:operator\", \"to\": [\"kind:csirt\", \"sector:energy\"]},\n"
  "              {\"from\": \"csirt\", \"to\": [\"*\"]},\n"
  "              {\"from\": \"kind:crisis-centre\", \"to\": \"*\"}],\n"
  "   \"authorities\": [\"csirt\", \"kind:sector-authority\"],\n"
  "   \"deadlines\": {\"early-warning\": \"00:24\", \"notification\": \"01:12\", \"final-report\": \"T+04:00\"}\n"
  " }}\n";

typedef struct {
  char       *dir;
  char       *journal;
  WcScenario *scenario;
  WcEngine   *engine;
  gint64      fake_us;
} Fixture;

static void
at (Fixture *f,
    gint64   minutes)
{
  f->fake_us = 1000000 + minutes * 60 * G_USEC_PER_SEC;
  wc_engine_process (f->engine);
}

static WcScenario *
load (const char *json)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("loop.json");
  g_autoptr(GError) error = NULL;
  WcScenario *scenario = wc_scenario_load_data (json, strlen (json), NULL, diag, &error);

  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    g_test_message ("finding: %s", wc_diagnostics_get_item (diag, i)->message);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
  wc_scenario_set_sha256 (scenario, "0000000000000000000000000000000000000000000000000000000000000000");
  return scenario;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("whitecell-traffic-XXXXXX", NULL);
  f->journal = g_build_filename (f->dir, "journal.jsonl", NULL);
  f->scenario = load (data ? data : default_json);
  f->engine = wc_engine_new (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  f->fake_us = 1000000;
  wc_engine_set_clock_func (f->engine, wc_test_fake_clock, &f->fake_us);
}

/* The attachments make folders two deep. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->engine);
  g_object_unref (f->scenario);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->journal);
}

static guint
n_records (Fixture *f)
{
  return wc_journal_get_n_records (wc_engine_get_journal (f->engine));
}

static void
start (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  wc_engine_start (f->engine, &error);
  g_assert_no_error (error);
  at (f, 10);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

/* A plain message from @from to @to (a JSON array's inside). */
static char *
send (Fixture     *f,
      const char  *from,
      const char  *to,
      const char  *in_reply_to,
      GError     **error)
{
  g_autofree char *json = g_strdup_printf ("{\"to\": [%s], \"subject\": \"Hello\", \"body\": \"Text\""
                                           "%s%s%s}", to, in_reply_to ? ", \"in_reply_to\": \"" : "",
                                           in_reply_to ? in_reply_to : "", in_reply_to ? "\"" : "");
  g_autoptr(JsonObject) data = parse_object (json);

  return wc_engine_send_message (f->engine, from, data, error);
}

static gboolean
has_team (GPtrArray  *ids,
          const char *id)
{
  for (guint i = 0; ids && i < ids->len; i++)
    if (strcmp (g_ptr_array_index (ids, i), id) == 0)
      return TRUE;
  return FALSE;
}

/* The matrix --------------------------------------------------------------------------------- */

static void
test_matrix_default (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  guint before;

  g_assert_null (wc_scenario_get_coordination (f->scenario));
  g_assert_true (wc_scenario_may_write (f->scenario, "op-a", "csirt"));
  g_assert_true (wc_scenario_may_write (f->scenario, "op-a", "cc"));
  g_assert_false (wc_scenario_may_write (f->scenario, "op-a", "op-b"));
  g_assert_false (wc_scenario_may_write (f->scenario, "op-a", "sa-energy"));
  g_assert_true (wc_scenario_may_write (f->scenario, "csirt", "op-c"));
  g_assert_true (wc_scenario_may_write (f->scenario, "cc", "sa-energy"));
  g_assert_false (wc_scenario_may_write (f->scenario, "csirt", "csirt"));
  g_assert_false (wc_scenario_may_write (f->scenario, "op-a", "nobody"));
  g_assert_true (wc_scenario_is_authority (f->scenario, "csirt"));
  g_assert_true (wc_scenario_is_authority (f->scenario, "sa-energy"));
  g_assert_false (wc_scenario_is_authority (f->scenario, "cc"));
  g_assert_false (wc_scenario_is_authority (f->scenario, "op-a"));
  for (guint s = WC_STAGE_EARLY_WARNING; s <= WC_STAGE_FINAL_REPORT; s++)
    g_assert_cmpint (wc_scenario_get_deadline_ms (f->scenario, s), ==, -1);

  start (f);
  before = n_records (f);
  id = send (f, "op-a", "\"op-b\"", NULL, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_DENIED);
  g_assert_null (id);
  g_assert_cmpuint (n_records (f), ==, before);
  g_assert_cmpuint (wc_engine_get_messages (f->engine)->len, ==, 0);
  g_clear_error (&error);
  id = send (f, "op-a", "\"csirt\", \"cc\"", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "M-1");
  g_assert_cmpuint (n_records (f), ==, before + 1);
}

static void
test_matrix_explicit (Fixture       *f,
                      gconstpointer  data)
{
  const WcCoordination *c = wc_scenario_get_coordination (f->scenario);
  g_autoptr(GError) error = NULL;
  g_autofree char *denied = NULL;
  g_autofree char *allowed = NULL;
  guint before;

  g_assert_nonnull (c);
  g_assert_cmpuint (c->matrix->len, ==, 3);
  g_assert_true (wc_scenario_may_write (f->scenario, "op-a", "csirt"));
  g_assert_true (wc_scenario_may_write (f->scenario, "op-a", "sa-energy"));
  g_assert_true (wc_scenario_may_write (f->scenario, "op-a", "op-b"));   /* sector:energy */
  g_assert_false (wc_scenario_may_write (f->scenario, "op-a", "cc"));
  g_assert_true (wc_scenario_may_write (f->scenario, "op-c", "op-a"));   /* sector:energy */
  g_assert_false (wc_scenario_may_write (f->scenario, "op-c", "cc"));
  g_assert_false (wc_scenario_may_write (f->scenario, "sa-energy", "csirt"));
  g_assert_true (wc_scenario_may_write (f->scenario, "cc", "op-c"));
  g_assert_true (wc_scenario_may_write (f->scenario, "csirt", "sa-energy"));
  g_assert_true (wc_scenario_is_authority (f->scenario, "sa-energy"));
  g_assert_false (wc_scenario_is_authority (f->scenario, "cc"));
  g_assert_cmpint (wc_scenario_get_deadline_ms (f->scenario, WC_STAGE_EARLY_WARNING), ==, 24 * 60000);
  g_assert_cmpint (wc_scenario_get_deadline_ms (f->scenario, WC_STAGE_NOTIFICATION), ==, 72 * 60000);
  g_assert_cmpint (wc_scenario_get_deadline_ms (f->scenario, WC_STAGE_FINAL_REPORT), ==, 240 * 60000);

  start (f);
  before = n_records (f);
  /* one recipient it may not reach denies the whole message */
  denied = send (f, "op-a", "\"csirt\", \"cc\"", NULL, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_DENIED);
  g_assert_null (denied);
  g_assert_cmpuint (n_records (f), ==, before);
  g_clear_error (&error);
  allowed = send (f, "op-a", "\"op-b\", \"sa-energy\"", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_records (f), ==, before + 1);
}

static void
test_selectors (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) operators = wc_scenario_select_teams (f->scenario, "kind:operator");
  g_autoptr(GPtrArray) energy = wc_scenario_select_teams (f->scenario, "sector:energy");
  g_autoptr(GPtrArray) all = wc_scenario_select_teams (f->scenario, "*");
  g_autoptr(GPtrArray) one = wc_scenario_select_teams (f->scenario, "op-c");
  g_autoptr(GPtrArray) none = wc_scenario_select_teams (f->scenario, "kind:government");
  g_autoptr(GPtrArray) bad_kind = wc_scenario_select_teams (f->scenario, "kind:ministry");
  g_autoptr(GPtrArray) bad_sector = wc_scenario_select_teams (f->scenario, "sector:water");
  g_autoptr(GPtrArray) bad_team = wc_scenario_select_teams (f->scenario, "op-z");

  g_assert_cmpuint (operators->len, ==, 3);
  g_assert_true (has_team (operators, "op-a") && has_team (operators, "op-c"));
  g_assert_cmpuint (energy->len, ==, 3);
  g_assert_true (has_team (energy, "sa-energy") && has_team (energy, "op-b"));
  g_assert_false (has_team (energy, "op-c"));
  g_assert_cmpuint (all->len, ==, 6);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_null (bad_kind);
  g_assert_null (bad_sector);
  g_assert_null (bad_team);
  g_assert_true (wc_scenario_team_matches (f->scenario, "op-a", "sector:energy"));
  g_assert_false (wc_scenario_team_matches (f->scenario, "op-c", "sector:energy"));
  g_assert_cmpstr (wc_exercise_marking ("nl"), ==, "OEFENING");
  g_assert_cmpstr (wc_exercise_marking ("fr-BE"), ==, "EXERCICE");
  g_assert_cmpstr (wc_exercise_marking ("de"), ==, "ÜBUNG");
  g_assert_cmpstr (wc_exercise_marking ("en"), ==, "EXERCISE");
  g_assert_cmpstr (wc_exercise_marking (NULL), ==, "EXERCISE");
}

/* Each kind --------------------------------------------------------------------------------- */

static const char notification_json[] =
  "{\"stage\": \"early-warning\", \"lang\": \"nl\", \"tlp\": \"AMBER\", \"fields\": {"
  " \"what\": \"Ransomware op SCADA\", \"detected_at\": \"T+00:06\", \"malicious\": \"yes\","
  " \"cross_border\": false, \"services\": \"Distribution\", \"users_affected\": 40000,"
  " \"severity\": \"high\", \"iocs\": \"203.0.113.7\", \"measures\": \"Isolated\", \"contact\": \"SOC\"}}";

static const char warning_json[] =
  "{\"form\": \"ews\", \"selectors\": [\"sector:energy\"], \"severity\": \"Severe\","
  " \"urgency\": \"Immediate\", \"certainty\": \"Observed\", \"tlp\": \"GREEN\","
  " \"texts\": {\"nl\": {\"headline\": \"Ransomware\", \"description\": \"d\", \"instruction\": \"i\"},"
  "           \"en\": {\"headline\": \"Ransomware\"}},"
  " \"indicators\": [{\"type\": \"ip-dst\", \"value\": \"203.0.113.7\"}]}";

static void
test_each_kind (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) notification = parse_object (notification_json);
  g_autoptr(JsonObject) warning = parse_object (warning_json);
  g_autoptr(JsonObject) spear = parse_object ("{\"form\": \"spear\", \"to\": [\"op-c\"], "
                                              "\"texts\": {\"en\": {\"headline\": \"You\"}}}");
  g_autoptr(JsonObject) sitrep = parse_object ("{\"sections\": {\"situation\": \"Bad\", "
                                               "\"public_line\": \"We are on it\"}}");
  g_autoptr(JsonObject) to_cc = parse_object ("{\"to\": \"cc\", \"stage\": \"notification\", "
                                              "\"fields\": {\"what\": \"x\"}}");
  g_autoptr(GPtrArray) op_a = NULL;
  g_autofree char *n1 = NULL, *w1 = NULL, *w2 = NULL, *s1 = NULL, *s2 = NULL, *m1 = NULL;
  const WcTrafficItem *item;
  char *denied;

  start (f);
  /* the one authority is not unique here: "to" is needed */
  denied = wc_engine_file_notification (f->engine, "op-a", notification, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  json_object_set_string_member (notification, "to", "csirt");
  n1 = wc_engine_file_notification (f->engine, "op-a", notification, &error);
  g_assert_no_error (error);
  item = wc_engine_find_message (f->engine, n1);
  g_assert_nonnull (item);
  g_assert_cmpint (item->kind, ==, WC_TRAFFIC_NOTIFICATION);
  g_assert_cmpstr (item->from, ==, "op-a");
  g_assert_cmpuint (item->to->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (item->to, 0), ==, "csirt");
  g_assert_cmpstr (json_object_get_string_member (item->data, "stage"), ==, "early-warning");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (item->data, "fields"),
                                               "users_affected"), ==, 40000);
  g_assert_cmpint (item->t_ms, ==, 10 * 60000);
  g_assert_cmpuint (item->seq, >, 0);
  /* notifications go to authorities only */
  denied = wc_engine_file_notification (f->engine, "op-a", to_cc, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_DENIED);
  g_assert_null (denied);
  g_clear_error (&error);

  /* warnings: from a CSIRT only */
  denied = wc_engine_issue_warning (f->engine, "op-a", warning, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_DENIED);
  g_clear_error (&error);
  w1 = wc_engine_issue_warning (f->engine, "csirt", warning, &error);
  g_assert_no_error (error);
  item = wc_engine_find_message (f->engine, w1);
  g_assert_cmpint (item->kind, ==, WC_TRAFFIC_WARNING);
  g_assert_cmpuint (item->to->len, ==, 3);
  g_assert_true (has_team (item->to, "op-a") && has_team (item->to, "sa-energy"));
  g_assert_true (json_object_has_member (item->data, "selectors"));
  g_assert_cmpstr (json_object_get_string_member (item->data, "severity"), ==, "Severe");
  g_assert_cmpstr (json_object_get_string_member (item->data, "tlp"), ==, "GREEN");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (item->data, "indicators")),
                    ==, 1);
  /* the controllers' warning, an inject: no team sends it */
  w2 = wc_engine_issue_warning (f->engine, NULL, spear, &error);
  g_assert_no_error (error);
  item = wc_engine_find_message (f->engine, w2);
  g_assert_null (item->from);
  g_assert_cmpstr (json_object_get_string_member (item->data, "urgency"), ==, "Unknown");
  /* a Spear Warning goes to one organisation */
  json_object_set_array_member (spear, "to", json_array_new ());
  json_array_add_string_element (json_object_get_array_member (spear, "to"), "op-a");
  json_array_add_string_element (json_object_get_array_member (spear, "to"), "op-b");
  denied = wc_engine_issue_warning (f->engine, "csirt", spear, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_clear_error (&error);

  /* situation reports: from the crisis centre, to everyone by default, versioned */
  denied = wc_engine_publish_sitrep (f->engine, "csirt", sitrep, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_DENIED);
  g_clear_error (&error);
  s1 = wc_engine_publish_sitrep (f->engine, "cc", sitrep, &error);
  g_assert_no_error (error);
  s2 = wc_engine_publish_sitrep (f->engine, "cc", sitrep, &error);
  g_assert_no_error (error);
  item = wc_engine_find_message (f->engine, s1);
  g_assert_cmpint (item->kind, ==, WC_TRAFFIC_SITREP);
  g_assert_cmpuint (item->to->len, ==, 5);
  g_assert_false (has_team (item->to, "cc"));
  g_assert_cmpint (json_object_get_int_member (item->data, "version"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (wc_engine_find_message (f->engine, s2)->data,
                                               "version"), ==, 2);

  m1 = send (f, "csirt", "\"op-a\"", NULL, &error);
  g_assert_no_error (error);
  item = wc_engine_find_message (f->engine, m1);
  g_assert_cmpint (item->kind, ==, WC_TRAFFIC_MESSAGE);
  /* the language, unless given, is the sender's */
  g_assert_cmpstr (json_object_get_string_member (item->data, "lang"), ==, "en");

  g_assert_cmpuint (wc_engine_get_messages (f->engine)->len, ==, 6);
  op_a = wc_engine_get_team_messages (f->engine, "op-a");
  /* its notification, the EWS bulletin, two situation reports and the message */
  g_assert_cmpuint (op_a->len, ==, 5);
  g_assert_cmpstr (((WcTrafficItem *) g_ptr_array_index (op_a, 0))->id, ==, n1);
  g_assert_cmpstr (((WcTrafficItem *) g_ptr_array_index (op_a, 4))->id, ==, m1);
  for (guint i = 1; i < wc_engine_get_messages (f->engine)->len; i++)
    g_assert_cmpuint (((WcTrafficItem *) g_ptr_array_index (wc_engine_get_messages (f->engine), i - 1))->seq,
                      <, ((WcTrafficItem *) g_ptr_array_index (wc_engine_get_messages (f->engine), i))->seq);
}

static void
test_acknowledge (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const WcTrafficItem *item;
  const gint64 *ms;
  guint before;

  start (f);
  id = send (f, "csirt", "\"op-a\", \"op-b\"", NULL, &error);
  g_assert_no_error (error);
  at (f, 12);
  g_assert_true (wc_engine_acknowledge_message (f->engine, id, "op-a", &error));
  g_assert_no_error (error);
  item = wc_engine_find_message (f->engine, id);
  ms = g_hash_table_lookup (item->acknowledged, "op-a");
  g_assert_nonnull (ms);
  g_assert_cmpint (*ms, ==, 12 * 60000);
  g_assert_null (g_hash_table_lookup (item->acknowledged, "op-b"));
  /* twice changes nothing; someone it did not reach cannot */
  before = n_records (f);
  g_assert_true (wc_engine_acknowledge_message (f->engine, id, "op-a", &error));
  g_assert_cmpuint (n_records (f), ==, before);
  g_assert_false (wc_engine_acknowledge_message (f->engine, id, "op-c", &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wc_engine_acknowledge_message (f->engine, "M-99", "op-a", &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
  g_assert_cmpuint (n_records (f), ==, before);
}

/* A team the matrix keeps silent may still answer what it received, to its sender only. */
static void
test_reply_chain (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) as_actor = parse_object ("{\"to\": [\"op-a\"], \"subject\": \"Comment?\", "
                                                 "\"body\": \"Any comment?\"}");
  g_autofree char *question = NULL, *answer = NULL, *again = NULL, *press = NULL, *reply = NULL;
  const WcTrafficItem *item;
  char *denied;

  start (f);
  question = send (f, "csirt", "\"sa-energy\"", NULL, &error);
  g_assert_no_error (error);
  denied = send (f, "sa-energy", "\"csirt\"", NULL, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_DENIED);
  g_clear_error (&error);
  answer = send (f, "sa-energy", "\"csirt\"", question, &error);
  g_assert_no_error (error);
  /* the answer goes to its sender only */
  denied = send (f, "sa-energy", "\"csirt\", \"op-a\"", question, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_DENIED);
  g_clear_error (&error);
  again = send (f, "csirt", "\"sa-energy\"", answer, &error);
  g_assert_no_error (error);
  item = wc_engine_find_message (f->engine, question);
  g_assert_cmpuint (item->replies->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (item->replies, 0), ==, answer);
  item = wc_engine_find_message (f->engine, answer);
  g_assert_cmpstr (json_object_get_string_member (item->data, "in_reply_to"), ==, question);
  g_assert_cmpstr (g_ptr_array_index (item->replies, 0), ==, again);
  /* a team cannot answer what it never saw */
  denied = send (f, "op-c", "\"csirt\"", question, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a controller playing an actor, and the team's answer to it */
  press = wc_engine_send_as_actor (f->engine, "journalist", as_actor, &error);
  g_assert_no_error (error);
  item = wc_engine_find_message (f->engine, press);
  g_assert_null (item->from);
  g_assert_cmpstr (item->from_actor, ==, "journalist");
  reply = send (f, "op-a", "", press, &error);
  g_assert_no_error (error);
  item = wc_engine_find_message (f->engine, reply);
  g_assert_cmpuint (item->to->len, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (item->data, "to_actor"), ==, "journalist");
  denied = wc_engine_send_as_actor (f->engine, "nobody", as_actor, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
  g_assert_null (denied);
}

static void
test_limits (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) message = parse_object ("{\"to\": [\"csirt\"], \"subject\": \"s\"}");
  g_autoptr(JsonObject) warning = parse_object (warning_json);
  g_autoptr(JsonArray) indicators = json_array_new ();
  g_autoptr(JsonArray) to = json_array_new ();
  g_autofree char *body = g_malloc (WC_TRAFFIC_MAX_BODY + 2);
  g_autofree char *subject = g_malloc (WC_TRAFFIC_MAX_SUBJECT + 2);
  g_autofree char *ok = NULL;
  guint before;
  char *id;

  /* not before the clock starts */
  id = wc_engine_send_message (f->engine, "op-a", message, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
  g_assert_null (id);
  g_clear_error (&error);
  start (f);
  before = n_records (f);

  memset (body, 'x', WC_TRAFFIC_MAX_BODY + 1);
  body[WC_TRAFFIC_MAX_BODY + 1] = '\0';
  json_object_set_string_member (message, "body", body);
  id = wc_engine_send_message (f->engine, "op-a", message, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "body"));
  g_clear_error (&error);
  body[WC_TRAFFIC_MAX_BODY] = '\0';
  json_object_set_string_member (message, "body", body);
  memset (subject, 's', WC_TRAFFIC_MAX_SUBJECT + 1);
  subject[WC_TRAFFIC_MAX_SUBJECT + 1] = '\0';
  json_object_set_string_member (message, "subject", subject);
  id = wc_engine_send_message (f->engine, "op-a", message, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "subject"));
  g_clear_error (&error);
  json_object_set_string_member (message, "tlp", "PURPLE");
  json_object_set_string_member (message, "subject", "s");
  id = wc_engine_send_message (f->engine, "op-a", message, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  json_object_remove_member (message, "tlp");
  for (guint i = 0; i <= WC_TRAFFIC_MAX_RECIPIENTS; i++)
    json_array_add_string_element (to, "csirt");
  json_object_set_array_member (message, "to", json_array_ref (to));
  id = wc_engine_send_message (f->engine, "op-a", message, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  for (guint i = 0; i <= WC_TRAFFIC_MAX_INDICATORS; i++)
    {
      JsonObject *indicator = json_object_new ();

      json_object_set_string_member (indicator, "type", "domain");
      json_object_set_string_member (indicator, "value", "evil.example");
      json_array_add_object_element (indicators, indicator);
    }
  json_object_set_array_member (warning, "indicators", json_array_ref (indicators));
  id = wc_engine_issue_warning (f->engine, "csirt", warning, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "indicators"));
  g_clear_error (&error);
  json_array_remove_element (indicators, 0);
  json_object_set_string_member (json_array_get_object_element (indicators, 0), "type", "ip-src");
  id = wc_engine_issue_warning (f->engine, "csirt", warning, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (n_records (f), ==, before);
  /* at the limit itself it goes */
  json_object_set_string_member (json_array_get_object_element (indicators, 0), "type", "md5");
  ok = wc_engine_issue_warning (f->engine, "csirt", warning, &error);
  g_assert_no_error (error);

  /* not after the end */
  g_assert_true (wc_engine_end (f->engine, "done", &error));
  before = n_records (f);
  id = send (f, "csirt", "\"op-a\"", NULL, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
  g_assert_null (id);
  g_assert_cmpuint (n_records (f), ==, before);
}

/* A team sends at most WC_TRAFFIC_MAX_PER_TEAM items; appended in one group (no sync each). */
static void
test_per_team_limit (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) message = parse_object ("{\"to\": [\"csirt\"], \"subject\": \"s\"}");
  g_autofree char *other = NULL;
  char *id;

  start (f);
  wc_engine_set_group_commit (f->engine, TRUE);
  for (guint i = 0; i < WC_TRAFFIC_MAX_PER_TEAM; i++)
    {
      /* the first with an Idempotency-Key */
      id = wc_engine_send_traffic (f->engine, WC_TRAFFIC_MESSAGE, "op-a", message,
                                   i == 0 ? "first" : NULL, &error);
      g_assert_no_error (error);
      g_free (id);
    }
  id = wc_engine_send_message (f->engine, "op-a", message, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_assert_null (id);
  g_clear_error (&error);
  /* a retry adds nothing: it is answered even at the limit */
  id = wc_engine_send_traffic (f->engine, WC_TRAFFIC_MESSAGE, "op-a", message, "first", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "M-1");
  g_free (id);
  /* another team is not held back by it */
  other = wc_engine_send_message (f->engine, "op-b", message, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (other, ==, "M-2001");
}

/* What a team sends again with its Idempotency-Key (a reply lost, a relay's 504) is what it sent
 * the first time, of every kind: the same id, nothing journaled; the key with anything else is a
 * conflict; keys are each team's; a resumed controller still knows them. */
static void
test_idempotent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) message = parse_object ("{\"to\": [\"csirt\"], \"subject\": \"Help\"}");
  g_autoptr(JsonObject) other = parse_object ("{\"to\": [\"csirt\"], \"subject\": \"Help!\"}");
  g_autoptr(JsonObject) notification = parse_object (notification_json);
  g_autoptr(JsonObject) warning = parse_object (warning_json);
  g_autoptr(JsonObject) sitrep = parse_object ("{\"sections\": {\"situation\": \"Bad\"}}");
  g_autoptr(WcEngine) resumed = NULL;
  g_autofree char *m1 = NULL, *again = NULL, *b1 = NULL, *n1 = NULL, *w1 = NULL, *s1 = NULL;
  g_autofree char *s2 = NULL, *retried = NULL;
  char *refused;
  guint n;

  start (f);
  m1 = wc_engine_send_traffic (f->engine, WC_TRAFFIC_MESSAGE, "op-a", message, "m-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_record_get_key (wc_engine_find_message (f->engine, m1)->data), ==, "m-1");
  n = n_records (f);
  at (f, 11);
  again = wc_engine_send_traffic (f->engine, WC_TRAFFIC_MESSAGE, "op-a", message, "m-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, m1);
  g_assert_cmpuint (n_records (f), ==, n);
  g_assert_cmpuint (wc_engine_get_messages (f->engine)->len, ==, 1);

  /* the key made another message, or another kind of item */
  refused = wc_engine_send_traffic (f->engine, WC_TRAFFIC_MESSAGE, "op-a", other, "m-1", &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "different message"));
  g_assert_null (refused);
  g_clear_error (&error);
  json_object_set_string_member (notification, "to", "csirt");
  refused = wc_engine_send_traffic (f->engine, WC_TRAFFIC_NOTIFICATION, "op-a", notification,
                                    "m-1", &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_CONFLICT);
  g_assert_null (refused);
  g_clear_error (&error);
  g_assert_cmpuint (n_records (f), ==, n);

  /* op-b's "m-1" is not op-a's */
  b1 = wc_engine_send_traffic (f->engine, WC_TRAFFIC_MESSAGE, "op-b", message, "m-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b1, !=, m1);
  g_assert_cmpstr (wc_engine_find_message (f->engine, b1)->from, ==, "op-b");

  /* every kind: a notification, a warning, a situation report (whose version would count on) */
  n1 = wc_engine_send_traffic (f->engine, WC_TRAFFIC_NOTIFICATION, "op-a", notification, "n-1",
                               &error);
  g_assert_no_error (error);
  w1 = wc_engine_send_traffic (f->engine, WC_TRAFFIC_WARNING, "csirt", warning, "w-1", &error);
  g_assert_no_error (error);
  s1 = wc_engine_send_traffic (f->engine, WC_TRAFFIC_SITREP, "cc", sitrep, "s-1", &error);
  g_assert_no_error (error);
  n = n_records (f);
  g_free (again);
  again = wc_engine_send_traffic (f->engine, WC_TRAFFIC_NOTIFICATION, "op-a", notification, "n-1",
                                  &error);
  g_assert_cmpstr (again, ==, n1);
  g_free (again);
  again = wc_engine_send_traffic (f->engine, WC_TRAFFIC_WARNING, "csirt", warning, "w-1", &error);
  g_assert_cmpstr (again, ==, w1);
  g_free (again);
  again = wc_engine_send_traffic (f->engine, WC_TRAFFIC_SITREP, "cc", sitrep, "s-1", &error);
  g_assert_cmpstr (again, ==, s1);
  g_assert_no_error (error);
  g_assert_cmpuint (n_records (f), ==, n);
  /* without a key, the same report is a new version, as always */
  s2 = wc_engine_send_traffic (f->engine, WC_TRAFFIC_SITREP, "cc", sitrep, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wc_record_get_int (wc_engine_find_message (f->engine, s2)->data, "version", 0),
                   ==, 2);
  g_assert_null (wc_record_get_key (wc_engine_find_message (f->engine, s2)->data));

  /* the controller stops and is resumed: the keys are read back from the journal */
  g_assert_true (wc_engine_stop (f->engine, "test", &error));
  resumed = wc_engine_resume (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  g_assert_true (wc_engine_resume_clock (resumed, &error));
  n = wc_journal_get_n_records (wc_engine_get_journal (resumed));
  retried = wc_engine_send_traffic (resumed, WC_TRAFFIC_MESSAGE, "op-a", message, "m-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (retried, ==, m1);
  g_free (retried);
  retried = wc_engine_send_traffic (resumed, WC_TRAFFIC_SITREP, "cc", sitrep, "s-1", &error);
  g_assert_cmpstr (retried, ==, s1);
  g_assert_cmpuint (wc_journal_get_n_records (wc_engine_get_journal (resumed)), ==, n);
  refused = wc_engine_send_traffic (resumed, WC_TRAFFIC_MESSAGE, "op-a", other, "m-1", &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_CONFLICT);
  g_assert_null (refused);
  g_clear_error (&error);

  /* The exercise ends: what was sent with a key is still answered as then (its reply lost on the
   * way), nothing else is taken, an attachment only for such a retry. */
  g_assert_true (wc_engine_end (resumed, "done", &error));
  n = wc_journal_get_n_records (wc_engine_get_journal (resumed));
  g_free (retried);
  retried = wc_engine_send_traffic (resumed, WC_TRAFFIC_NOTIFICATION, "op-a", notification, "n-1",
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpstr (retried, ==, n1);
  g_free (retried);
  retried = wc_engine_send_traffic (resumed, WC_TRAFFIC_WARNING, "csirt", warning, "w-1", &error);
  g_assert_cmpstr (retried, ==, w1);
  refused = wc_engine_send_traffic (resumed, WC_TRAFFIC_MESSAGE, "op-a", message, "m-9", &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
  g_assert_null (refused);
  g_clear_error (&error);
  refused = wc_engine_send_traffic (resumed, WC_TRAFFIC_MESSAGE, "op-a", other, "m-1", &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_CONFLICT);
  g_assert_null (refused);
  g_clear_error (&error);
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("logs\n", 5);
    g_autoptr(JsonObject) stored = NULL;

    stored = wc_engine_store_message_attachment (resumed, "op-a", "m-9", "a.txt", "text/plain",
                                                 bytes, &error);
    g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
    g_assert_null (stored);
    g_clear_error (&error);
    stored = wc_engine_store_message_attachment (resumed, "op-a", "m-1", "a.txt", "text/plain",
                                                 bytes, &error);
    g_assert_no_error (error);
    g_assert_nonnull (stored);
  }
  g_assert_cmpuint (wc_journal_get_n_records (wc_engine_get_journal (resumed)), ==, n);
}

/* Resume and replay -------------------------------------------------------------------------- */

static void
play_some (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) notification = parse_object (notification_json);
  g_autoptr(JsonObject) warning = parse_object (warning_json);
  g_autoptr(JsonObject) sitrep = parse_object ("{\"to\": [\"csirt\"], \"sections\": {\"decisions\": \"d\"}}");
  g_autofree char *m = NULL, *n = NULL, *w = NULL, *r = NULL, *s = NULL;

  start (f);
  json_object_set_string_member (notification, "to", "csirt");
  n = wc_engine_file_notification (f->engine, "op-a", notification, &error);
  g_assert_no_error (error);
  at (f, 20);
  w = wc_engine_issue_warning (f->engine, "csirt", warning, &error);
  g_assert_no_error (error);
  g_assert_true (wc_engine_acknowledge_message (f->engine, w, "op-b", &error));
  at (f, 25);
  r = send (f, "op-b", "\"csirt\"", w, &error);
  g_assert_no_error (error);
  s = wc_engine_publish_sitrep (f->engine, "cc", sitrep, &error);
  g_assert_no_error (error);
  m = send (f, "csirt", "\"op-c\"", NULL, &error);
  g_assert_no_error (error);
}

static void
assert_same_traffic (WcEngine *a,
                     WcEngine *b)
{
  GPtrArray *x = wc_engine_get_messages (a);
  GPtrArray *y = wc_engine_get_messages (b);

  g_assert_cmpuint (x->len, ==, y->len);
  g_assert_cmpuint (x->len, >, 0);
  for (guint i = 0; i < x->len; i++)
    {
      const WcTrafficItem *p = g_ptr_array_index (x, i);
      const WcTrafficItem *q = g_ptr_array_index (y, i);
      g_autoptr(JsonNode) pn = json_node_init_object (json_node_alloc (), p->data);
      g_autoptr(JsonNode) qn = json_node_init_object (json_node_alloc (), q->data);
      g_autoptr(GPtrArray) pt = NULL, qt = NULL;
      GHashTableIter iter;
      gpointer key, value;

      g_assert_cmpstr (p->id, ==, q->id);
      g_assert_cmpint (p->kind, ==, q->kind);
      g_assert_cmpstr (p->from, ==, q->from);
      g_assert_cmpstr (p->from_actor, ==, q->from_actor);
      g_assert_cmpint (p->t_ms, ==, q->t_ms);
      g_assert_cmpuint (p->seq, ==, q->seq);
      g_assert_true (json_node_equal (pn, qn));
      g_assert_cmpuint (p->to->len, ==, q->to->len);
      for (guint k = 0; k < p->to->len; k++)
        g_assert_cmpstr (g_ptr_array_index (p->to, k), ==, g_ptr_array_index (q->to, k));
      g_assert_cmpuint (p->replies->len, ==, q->replies->len);
      for (guint k = 0; k < p->replies->len; k++)
        g_assert_cmpstr (g_ptr_array_index (p->replies, k), ==, g_ptr_array_index (q->replies, k));
      g_assert_cmpuint (g_hash_table_size (p->acknowledged), ==, g_hash_table_size (q->acknowledged));
      g_hash_table_iter_init (&iter, p->acknowledged);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_assert_cmpint (*(gint64 *) value, ==,
                         *(gint64 *) g_hash_table_lookup (q->acknowledged, key));
      pt = wc_engine_get_team_messages (a, p->from ? p->from : "op-a");
      qt = wc_engine_get_team_messages (b, p->from ? p->from : "op-a");
      g_assert_cmpuint (pt->len, ==, qt->len);
    }
}

static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcEngine) resumed = NULL;
  g_autoptr(JsonObject) next = parse_object ("{\"to\": [\"csirt\"], \"subject\": \"After\"}");
  g_autofree char *id = NULL;

  play_some (f);
  g_assert_true (wc_engine_stop (f->engine, "test", &error));
  resumed = wc_engine_resume (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  assert_same_traffic (f->engine, resumed);
  /* ids carry on where the journal left off */
  g_assert_true (wc_engine_resume_clock (resumed, &error));
  id = wc_engine_send_message (resumed, "op-c", next, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "M-6");
}

static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WcEngine) replay = wc_engine_new_replay (f->scenario);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) message = parse_object ("{\"to\": [\"csirt\"], \"subject\": \"s\"}");
  WcJournal *journal;
  char *id;

  play_some (f);
  journal = wc_engine_get_journal (f->engine);
  for (guint i = 0; i < wc_journal_get_n_records (journal); i++)
    {
      g_assert_true (wc_engine_replay_record (replay, wc_journal_get_record (journal, i), &error));
      g_assert_no_error (error);
    }
  assert_same_traffic (f->engine, replay);
  /* a review only looks */
  id = wc_engine_send_message (replay, "op-a", message, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
  g_assert_null (id);
}

/* The format ---------------------------------------------------------------------------------- */

typedef struct {
  const char *name;
  const char *coordination;   /* the section, on line 13 of the file */
  guint       column;
  const char *message;
} BadCase;

static const BadCase bad_cases[] = {
  { "unknown-team", "{\"matrix\": [{\"from\": \"op-z\", \"to\": [\"csirt\"]}]}", 39,
    "unknown team \"op-z\"" },
  { "unknown-kind", "{\"matrix\": [{\"from\": \"csirt\", \"to\": [\"kind:operatr\"]}]}", 55,
    "unknown team kind \"operatr\"" },
  { "unknown-sector", "{\"authorities\": [\"sector:water\"]}", 35, "no team is in sector \"water\"" },
  { "unknown-stage", "{\"deadlines\": {\"early\": \"00:10\"}}", 33,
    "unknown reporting stage \"early\"" },
  { "bad-time", "{\"deadlines\": {\"notification\": \"soon\"}}", 49, "\"soon\" is not a valid time" },
  { "not-a-selector", "{\"matrix\": [{\"from\": 5, \"to\": [\"csirt\"]}]}", 39,
    "expected a team id" },
  { "empty-to", "{\"matrix\": [{\"from\": \"*\", \"to\": []}]}", 50, "must not be empty" },
};

static void
test_loader_findings (gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *json = g_strdup_printf (HEAD ",\n \"coordination\": %s}\n", c->coordination);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("bad.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) scenario = wc_scenario_load_data (json, strlen (json), NULL, diag, &error);
  const WcDiagnostic *found = NULL;

  g_assert_null (scenario);
  g_assert_error (error, WC_SCENARIO_ERROR, WC_SCENARIO_ERROR_INVALID);
  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      const WcDiagnostic *d = wc_diagnostics_get_item (diag, i);

      g_test_message ("finding: %u:%u %s", d->line, d->column, d->message);
      if (strstr (d->message, c->message))
        found = d;
    }
  g_assert_nonnull (found);
  g_assert_cmpint (found->severity, ==, WC_SEVERITY_ERROR);
  g_assert_cmpuint (found->line, ==, 13);
  g_assert_cmpuint (found->column, ==, c->column);
}

static void
test_round_trip (void)
{
  g_autoptr(WcScenario) first = load (explicit_json);
  g_autofree char *written = wc_scenario_to_data (first, NULL);
  g_autoptr(WcScenario) second = load (written);
  g_autofree char *again = wc_scenario_to_data (second, NULL);
  const WcCoordination *c = wc_scenario_get_coordination (second);

  g_assert_cmpstr (written, ==, again);
  g_assert_cmpstr (wc_scenario_find_team (second, "op-a")->sector, ==, "energy");
  g_assert_null (wc_scenario_find_team (second, "csirt")->sector);
  g_assert_true (wc_scenario_find_inject (second, "I1")->incident);
  g_assert_cmpuint (c->matrix->len, ==, 3);
  g_assert_cmpstr (((WcMatrixRule *) g_ptr_array_index (c->matrix, 2))->from, ==,
                   "kind:crisis-centre");
  g_assert_cmpuint (c->authorities->len, ==, 2);
  for (guint s = WC_STAGE_EARLY_WARNING; s <= WC_STAGE_FINAL_REPORT; s++)
    g_assert_cmpint (wc_scenario_get_deadline_ms (second, s), ==,
                     wc_scenario_get_deadline_ms (first, s));
  /* none written when none given */
  {
    g_autoptr(WcScenario) plain = load (default_json);
    g_autofree char *text = wc_scenario_to_data (plain, NULL);

    g_assert_null (strstr (text, "coordination"));
  }
}

/* Attachments -------------------------------------------------------------------------------- */

static void
test_attachments (Fixture       *f,
                  gconstpointer  data)
{
  static const char pdf[] = "%PDF-1.4 test";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autoptr(GBytes) big = NULL;
  g_autoptr(JsonObject) a = NULL, b = NULL, c = NULL;
  g_autoptr(JsonObject) message = parse_object ("{\"to\": [\"csirt\"], \"subject\": \"Logs\"}");
  g_autofree char *long_name = g_strnfill (300, 'n');
  g_autofree char *long_pdf = g_strconcat (long_name, ".pdf", NULL);
  g_autofree char *folder = g_strconcat (f->journal, ".attachments", NULL);
  g_autofree char *stored = NULL, *id = NULL;
  JsonObject *bad;
  const char *name;

  start (f);
  a = wc_engine_store_message_attachment (f->engine, NULL, NULL, "../../etc/passwd.pdf",
                                          "application/pdf", bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (a, "name"), ==, "passwd.pdf");
  g_assert_cmpstr (json_object_get_string_member (a, "file"), ==, "M-1/passwd.pdf");
  g_assert_cmpint (json_object_get_int_member (a, "size"), ==, sizeof pdf - 1);
  stored = g_build_filename (folder, "M-1", "passwd.pdf", NULL);
  g_assert_true (g_file_test (stored, G_FILE_TEST_IS_REGULAR));

  b = wc_engine_store_message_attachment (f->engine, NULL, NULL, "..hidden", "application/pdf",
                                          bytes, &error);
  g_assert_no_error (error);
  name = json_object_get_string_member (b, "name");
  g_assert_cmpint (name[0], !=, '.');
  g_assert_null (strstr (name, ".."));
  g_assert_true (g_str_has_suffix (name, ".pdf"));
  c = wc_engine_store_message_attachment (f->engine, NULL, NULL, long_pdf,
                                          "application/pdf; charset=binary", bytes, &error);
  g_assert_no_error (error);
  name = json_object_get_string_member (c, "name");
  g_assert_cmpuint (strlen (name), <=, WC_TRAFFIC_MAX_ATTACHMENT_NAME);
  g_assert_true (g_str_has_suffix (name, ".pdf"));
  g_assert_null (strchr (name, '/'));

  /* too large, of a type not taken, or not what it says */
  big = g_bytes_new_take (g_malloc0 (WC_TRAFFIC_MAX_ATTACHMENT + 1), WC_TRAFFIC_MAX_ATTACHMENT + 1);
  bad = wc_engine_store_message_attachment (f->engine, NULL, NULL, "big.txt", "text/plain", big,
                                            &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_assert_null (bad);
  g_clear_error (&error);
  bad = wc_engine_store_message_attachment (f->engine, NULL, NULL, "page.html", "text/html",
                                            bytes, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  bad = wc_engine_store_message_attachment (f->engine, NULL, NULL, "photo.png", "image/png",
                                            bytes, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* the message carries what was stored, and nothing else */
  json_object_set_object_member (message, "attachment", json_object_ref (a));
  id = wc_engine_send_message (f->engine, "op-a", message, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (wc_engine_find_message (f->engine, id)->data,
                                                    "attachment"), "file"), ==, "M-1/passwd.pdf");
  json_object_set_string_member (a, "file", "M-1/../../journal.jsonl");
  g_free (id);
  id = wc_engine_send_message (f->engine, "op-a", message, &error);
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_assert_null (id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/whitecell/traffic/" path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("matrix-default", test_matrix_default, NULL);
  ADD ("matrix-explicit", test_matrix_explicit, explicit_json);
  ADD ("selectors", test_selectors, NULL);
  ADD ("each-kind", test_each_kind, NULL);
  ADD ("acknowledge", test_acknowledge, NULL);
  ADD ("reply-chain", test_reply_chain, explicit_json);
  ADD ("limits", test_limits, NULL);
  ADD ("per-team-limit", test_per_team_limit, NULL);
  ADD ("idempotent", test_idempotent, NULL);
  ADD ("resume", test_resume, NULL);
  ADD ("replay", test_replay, NULL);
  ADD ("attachments", test_attachments, NULL);
#undef ADD
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/whitecell/traffic/loader/%s", bad_cases[i].name);

      g_test_add_data_func (path, &bad_cases[i], test_loader_findings);
    }
  g_test_add_func ("/whitecell/traffic/round-trip", test_round_trip);
  return g_test_run ();
}
