/* test-loop.c: the coordination loop (issue 14) as controllers and reviewers see it, on a
 * hand-made journal with known answers: the traffic's conversations and feed lines, the loop's
 * measures (notification deadlines, the CSIRT's warning, acknowledgements, who wrote to whom, who
 * was never informed), and the report's section in every format with the exercise marking. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-util.h"
#include "wc-engine.h"
#include "wc-live-traffic.h"
#include "wc-metrics.h"
#include "wc-report.h"
#include "wc-scenario-loader.h"

static const char scenario_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"loop\", \"title\": \"Loop\", \"tlp\": \"AMBER\", \"duration\": \"T+01:00\",\n"
  "   \"languages\": [\"nl\", \"en\"], \"default_language\": \"nl\"},\n"
  " \"teams\": [{\"id\": \"csirt\", \"name\": \"CSIRT\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"ops1\", \"name\": \"Grid One\", \"kind\": \"operator\", \"sector\": \"energy\"},\n"
  "           {\"id\": \"ops2\", \"name\": \"Grid Two\", \"kind\": \"operator\", \"sector\": \"energy\"},\n"
  "           {\"id\": \"ncc\", \"name\": \"Crisis Centre\", \"kind\": \"crisis-centre\"},\n"
  "           {\"id\": \"gov\", \"name\": \"Ministry\", \"kind\": \"government\"}],\n"
  " \"actors\": [{\"id\": \"vendor\", \"name\": \"Vendor PSIRT\"}],\n"
  " \"coordination\": {\"deadlines\": {\"early-warning\": \"00:10\", \"notification\": \"00:30\",\n"
  "                                   \"final-report\": \"01:00\"}},\n"
  " \"injects\": [\n"
  "  {\"id\": \"I1\", \"at\": \"T+00:00\", \"channel\": \"alert\", \"to\": [\"ops1\"], \"incident\": true,\n"
  "   \"title\": \"SCADA down\", \"body\": \"b\"}\n"
  " ]}\n";

typedef struct {
  char       *dir;
  char       *path;
  WcScenario *scenario;
  WcJournal  *journal;
} Fixture;


/* Grid One gets its incident at T+00:01 (delivered), files its early warning at T+00:06 (met:
 * 5 min of 10) and its notification at T+00:40 (late: 39 min of 30), never its final report;
 * the CSIRT warns both grids at T+00:15 (9 min after the early warning); Grid Two acknowledges
 * a minute later, Grid One never; the vendor (played by the controllers) writes to Grid One; the
 * crisis centre publishes a sitrep; Grid Two asks the CSIRT a question about the warning. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("loop.json");

  f->dir = g_dir_make_tmp ("whitecell-loop-XXXXXX", &error);
  f->path = g_build_filename (f->dir, "journal.jsonl", NULL);
  f->scenario = wc_scenario_load_data (scenario_json, strlen (scenario_json), NULL, diag, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->scenario);
  f->journal = wc_journal_create (f->path, "loop", "loop.json", "x", NULL, &error);
  g_assert_no_error (error);
  wc_test_append (f->journal, 0, "clock-started", "{}");
  wc_test_append (f->journal, 0, "inject-fired", "{\"inject\": \"I1\", \"teams\": [\"ops1\"]}");
  wc_test_append (f->journal, 60000, "inject-delivered", "{\"inject\": \"I1\", \"team\": \"ops1\", \"via\": \"sse\"}");
  wc_test_append (f->journal, 360000, "notification-filed",
                  "{\"message\": \"M-1\", \"kind\": \"notification\", \"from\": \"ops1\", \"to\": [\"csirt\"],"
                  " \"stage\": \"early-warning\", \"lang\": \"en\", \"tlp\": \"AMBER\","
                  " \"fields\": {\"what\": \"SCADA servers encrypted\", \"malicious\": \"yes\","
                  " \"cross_border\": false, \"severity\": \"high\"}}");
  wc_test_append (f->journal, 420000, "message-acknowledged", "{\"message\": \"M-1\", \"team\": \"csirt\"}");
  wc_test_append (f->journal, 900000, "warning-issued",
                  "{\"message\": \"M-2\", \"kind\": \"warning\", \"form\": \"ews\", \"from\": \"csirt\","
                  " \"to\": [\"ops1\", \"ops2\"], \"selectors\": [\"sector:energy\"], \"tlp\": \"AMBER\","
                  " \"severity\": \"Severe\", \"urgency\": \"Immediate\", \"certainty\": \"Likely\","
                  " \"texts\": {\"en\": {\"headline\": \"Ransomware on grid SCADA\", \"description\": \"d\","
                  " \"instruction\": \"Patch\"}}, \"indicators\": [{\"type\": \"ip-dst\", \"value\": \"192.0.2.1\"}]}");
  wc_test_append (f->journal, 960000, "message-acknowledged", "{\"message\": \"M-2\", \"team\": \"ops2\"}");
  wc_test_append (f->journal, 1200000, "message-sent",
                  "{\"message\": \"M-3\", \"kind\": \"message\", \"from_actor\": \"vendor\", \"to\": [\"ops1\"],"
                  " \"subject\": \"Patch available\", \"body\": \"Install 8.4.3\", \"tlp\": \"AMBER\", \"lang\": \"en\"}");
  wc_test_append (f->journal, 2400000, "notification-filed",
                  "{\"message\": \"M-4\", \"kind\": \"notification\", \"from\": \"ops1\", \"to\": [\"csirt\"],"
                  " \"stage\": \"notification\", \"lang\": \"en\", \"tlp\": \"AMBER\", \"in_reply_to\": \"M-1\","
                  " \"fields\": {\"what\": \"Two substations on manual\"}}");
  wc_test_append (f->journal, 2500000, "sitrep-published",
                  "{\"message\": \"M-5\", \"kind\": \"sitrep\", \"from\": \"ncc\", \"version\": 1,"
                  " \"to\": [\"csirt\", \"ops1\", \"ops2\"], \"lang\": \"en\", \"tlp\": \"AMBER\","
                  " \"sections\": {\"situation\": \"Two grids hit\", \"public_line\": \"No outage\"}}");
  wc_test_append (f->journal, 2600000, "message-sent",
                  "{\"message\": \"M-6\", \"kind\": \"message\", \"from\": \"ops2\", \"to\": [\"csirt\"],"
                  " \"subject\": \"Are we exposed?\", \"body\": \"We run 8.4.2 too\", \"in_reply_to\": \"M-2\","
                  " \"tlp\": \"AMBER\", \"lang\": \"en\"}");
  wc_test_append (f->journal, 3000000, "exercise-ended", "{\"reason\": \"controller\"}");
  g_assert_true (wc_journal_sync (f->journal, &error));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_object_unref (f->journal);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);

      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_object_unref (f->scenario);
}

static WcMetrics *
metrics_of (Fixture *f)
{
  return wc_metrics_new (f->scenario, f->journal);
}

static void
test_measures (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WcMetrics) m = metrics_of (f);
  WcLoopMetrics *loop = wc_metrics_get_loop (m);
  const WcLoopOperator *op;
  const WcLoopAck *ack;
  GPtrArray *uninformed;

  /* every record went through the applier */
  g_assert_cmpuint (wc_loop_metrics_get_n_items (loop), ==, 6);

  /* one operator was told of its incident: Grid One, delivered at T+00:01 */
  g_assert_cmpuint (wc_loop_metrics_get_n_operators (loop), ==, 1);
  op = wc_loop_metrics_get_operator (loop, 0);
  g_assert_cmpstr (op->team->id, ==, "ops1");
  g_assert_cmpstr (op->inject->id, ==, "I1");
  g_assert_cmpint (op->incident_ms, ==, 60000);
  /* early warning: 5 min after the incident, of 10 */
  g_assert_cmpstr (op->stages[WC_STAGE_EARLY_WARNING].message, ==, "M-1");
  g_assert_cmpstr (op->stages[WC_STAGE_EARLY_WARNING].to, ==, "csirt");
  g_assert_cmpint (op->stages[WC_STAGE_EARLY_WARNING].filed_ms, ==, 360000);
  g_assert_cmpint (op->stages[WC_STAGE_EARLY_WARNING].elapsed_ms, ==, 300000);
  g_assert_cmpint (op->stages[WC_STAGE_EARLY_WARNING].deadline_ms, ==, 600000);
  g_assert_cmpint (op->stages[WC_STAGE_EARLY_WARNING].status, ==, WC_LOOP_MET);
  /* notification: 39 min after, of 30 */
  g_assert_cmpstr (op->stages[WC_STAGE_NOTIFICATION].message, ==, "M-4");
  g_assert_cmpint (op->stages[WC_STAGE_NOTIFICATION].elapsed_ms, ==, 2340000);
  g_assert_cmpint (op->stages[WC_STAGE_NOTIFICATION].deadline_ms, ==, 1800000);
  g_assert_cmpint (op->stages[WC_STAGE_NOTIFICATION].status, ==, WC_LOOP_LATE);
  /* final report: never */
  g_assert_null (op->stages[WC_STAGE_FINAL_REPORT].message);
  g_assert_cmpint (op->stages[WC_STAGE_FINAL_REPORT].filed_ms, ==, -1);
  g_assert_cmpint (op->stages[WC_STAGE_FINAL_REPORT].status, ==, WC_LOOP_MISSING);
  /* the CSIRT's warning came 9 min after the early warning */
  g_assert_cmpint (op->notified_ms, ==, 360000);
  g_assert_cmpstr (op->warning, ==, "M-2");
  g_assert_cmpstr (op->warned_by->id, ==, "csirt");
  g_assert_cmpint (op->warned_ms, ==, 900000);
  g_assert_cmpint (op->to_warn_ms, ==, 540000);

  /* the warning's two recipients: Grid One never acknowledged, Grid Two after a minute */
  g_assert_cmpuint (wc_loop_metrics_get_n_acks (loop), ==, 2);
  ack = wc_loop_metrics_get_ack (loop, 0);
  g_assert_cmpstr (ack->warning, ==, "M-2");
  g_assert_cmpstr (ack->form, ==, "ews");
  g_assert_cmpstr (ack->team->id, ==, "ops1");
  g_assert_cmpint (ack->acknowledged_ms, ==, -1);
  g_assert_cmpint (ack->to_acknowledge_ms, ==, -1);
  ack = wc_loop_metrics_get_ack (loop, 1);
  g_assert_cmpstr (ack->team->id, ==, "ops2");
  g_assert_cmpint (ack->issued_ms, ==, 900000);
  g_assert_cmpint (ack->acknowledged_ms, ==, 960000);
  g_assert_cmpint (ack->to_acknowledge_ms, ==, 60000);

  /* who wrote to whom: the five teams, then the actor the controllers played */
  g_assert_cmpuint (wc_loop_metrics_get_n_senders (loop), ==, 6);
  g_assert_cmpstr (wc_loop_metrics_get_sender (loop, 5), ==, "vendor");
  g_assert_cmpuint (wc_loop_metrics_count (loop, "ops1", "csirt"), ==, 2);
  g_assert_cmpuint (wc_loop_metrics_count (loop, "csirt", "ops1"), ==, 1);
  g_assert_cmpuint (wc_loop_metrics_count (loop, "csirt", "ops2"), ==, 1);
  g_assert_cmpuint (wc_loop_metrics_count (loop, "vendor", "ops1"), ==, 1);
  g_assert_cmpuint (wc_loop_metrics_count (loop, "ncc", "csirt"), ==, 1);
  g_assert_cmpuint (wc_loop_metrics_count (loop, "ncc", "ops2"), ==, 1);
  g_assert_cmpuint (wc_loop_metrics_count (loop, "ops2", "csirt"), ==, 1);
  g_assert_cmpuint (wc_loop_metrics_count (loop, "ops2", "ops1"), ==, 0);
  g_assert_cmpuint (wc_loop_metrics_count (loop, "gov", "ncc"), ==, 0);
  /* acknowledgements are not traffic */
  g_assert_cmpuint (wc_loop_metrics_count (loop, "csirt", "ops1") +
                    wc_loop_metrics_count (loop, "ops2", "csirt"), ==, 2);

  /* the ministry heard nothing; everyone else received or issued a warning or a sitrep */
  uninformed = wc_loop_metrics_get_uninformed (loop);
  g_assert_cmpuint (uninformed->len, ==, 1);
  g_assert_cmpstr (((const WcTeam *) g_ptr_array_index (uninformed, 0))->id, ==, "gov");

  /* the traffic listed: acknowledgements counted, subjects of every kind */
  g_assert_cmpuint (wc_loop_metrics_get_item (loop, 0)->n_acknowledged, ==, 1);
  g_assert_cmpstr (wc_loop_metrics_get_item (loop, 1)->summary, ==, "Ransomware on grid SCADA");
  g_assert_true (wc_loop_metrics_get_item (loop, 2)->from_actor);
  g_assert_cmpstr (wc_loop_metrics_get_item (loop, 4)->summary, ==, "Two grids hit");
  g_assert_cmpint (wc_loop_metrics_get_lane (loop, "ncc"), ==, 3);
  g_assert_cmpint (wc_loop_metrics_get_lane (loop, "vendor"), ==, -1);
}

/* The live model, as the control room's traffic view and the feed see a replay. */
static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(WcEngine) engine = wc_engine_new_replay (f->scenario);
  g_autoptr(WcLiveTraffic) traffic = wc_live_traffic_new (engine);
  g_autoptr(WcLiveConversation) first = NULL;
  g_autoptr(WcLiveConversation) warning = NULL;
  g_autoptr(WcLiveMessage) m1 = NULL;
  g_autoptr(WcLiveMessage) m2 = NULL;
  g_autofree char *line = NULL;
  GListModel *model = G_LIST_MODEL (traffic);
  GListModel *messages;

  for (guint i = 0; i < wc_journal_get_n_records (f->journal); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (wc_engine_replay_record (engine, wc_journal_get_record (f->journal, i), &error));
      g_assert_no_error (error);
    }
  /* six messages in four conversations: the notification's stages chained, the warning and its
   * question, the vendor's message, the sitrep; the most recently active first */
  g_assert_cmpuint (wc_live_traffic_get_n_messages (traffic), ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  warning = g_list_model_get_item (model, 0);
  g_assert_cmpstr (wc_live_conversation_get_id (warning), ==, "M-2");
  g_assert_cmpstr (wc_live_conversation_get_subject (warning), ==, "Ransomware on grid SCADA");
  g_assert_true (wc_live_traffic_find (traffic, "M-6") == warning);
  first = g_list_model_get_item (model, 2);
  g_assert_cmpstr (wc_live_conversation_get_id (first), ==, "M-1");
  messages = wc_live_conversation_get_messages (first);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 2);
  m1 = g_list_model_get_item (messages, 0);
  g_assert_cmpstr (wc_live_message_get_heading (m1), ==,
                   "Grid One → CSIRT · incident notification (early warning)");
  g_assert_cmpstr (wc_live_message_get_acknowledgements (m1), ==, "Acknowledged by CSIRT at T+00:07:00");
  messages = wc_live_conversation_get_messages (warning);
  m2 = g_list_model_get_item (messages, 0);
  g_assert_cmpstr (wc_live_message_get_acknowledgements (m2), ==,
                   "Acknowledged by Grid Two at T+00:16:00 · waiting for Grid One");
  g_assert_cmpstr (wc_live_message_get_from (m2), ==, "csirt");

  /* the feed's lines */
  line = wc_live_traffic_describe (f->scenario, WC_RECORD_NOTIFICATION_FILED,
                                   wc_journal_get_record (f->journal, 3)->data);
  g_assert_cmpstr (line, ==, "Grid One → CSIRT: incident notification (early warning) "
                             "“SCADA servers encrypted” (M-1)");
  g_clear_pointer (&line, g_free);
  line = wc_live_traffic_describe (f->scenario, WC_RECORD_WARNING_ISSUED,
                                   wc_journal_get_record (f->journal, 5)->data);
  g_assert_cmpstr (line, ==, "CSIRT → Grid One, Grid Two: EWS bulletin “Ransomware on grid SCADA” (M-2)");
  g_clear_pointer (&line, g_free);
  line = wc_live_traffic_describe (f->scenario, WC_RECORD_MESSAGE_SENT,
                                   wc_journal_get_record (f->journal, 7)->data);
  g_assert_cmpstr (line, ==, "Vendor PSIRT → Grid One: message “Patch available” (M-3)");
  g_clear_pointer (&line, g_free);
  line = wc_live_traffic_describe (f->scenario, WC_RECORD_MESSAGE_ACKNOWLEDGED,
                                   wc_journal_get_record (f->journal, 6)->data);
  g_assert_cmpstr (line, ==, "Grid Two acknowledged M-2");
  g_clear_pointer (&line, g_free);
  g_assert_null (wc_live_traffic_describe (f->scenario, WC_RECORD_NOTE,
                                           wc_journal_get_record (f->journal, 0)->data));
}

static char *
report (Fixture        *f,
        WcReportFormat  format,
        const char     *lang)
{
  g_autoptr(WcMetrics) m = metrics_of (f);
  WcJournalVerifyResult v = { 0 };
  WcReportInput in = { m, &v, NULL, lang, NULL };
  GString *out = g_string_new (NULL);

  v.verdict = WC_JOURNAL_SOUND;
  v.n_records = wc_journal_get_n_records (f->journal);
  wc_report_write (&in, format, out);
  return g_string_free (out, FALSE);
}

static void
test_report (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *html = report (f, WC_REPORT_HTML, "en");
  g_autofree char *html_nl = report (f, WC_REPORT_HTML, "nl");
  g_autofree char *md = report (f, WC_REPORT_MARKDOWN, "en");
  g_autofree char *csv = report (f, WC_REPORT_CSV, "en");
  g_autofree char *json = report (f, WC_REPORT_JSON, "en");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *loop, *stage;
  JsonArray *matrix;

  /* the marking beside the TLP, in the report's language */
  g_assert_nonnull (strstr (html, "TLP:AMBER · EXERCISE</div>"));
  g_assert_nonnull (strstr (html_nl, "TLP:AMBER · OEFENING</div>"));
  g_assert_true (g_str_has_prefix (md, "**TLP:AMBER** · **EXERCISE** · "));

  /* the section and its measures */
  g_assert_nonnull (strstr (html, "<h2>Coordination loop</h2>"));
  g_assert_nonnull (strstr (html, "<td class=\"late\">late</td>"));
  g_assert_nonnull (strstr (html, "<td class=\"not-met\">missing</td>"));
  g_assert_nonnull (strstr (html, "marker-end=\"url(#arrow-warning)\""));
  g_assert_nonnull (strstr (md, "## Coordination loop"));
  g_assert_nonnull (strstr (md, "| Grid One | I1 | T+00:01:00 | Early warning | T+00:06:00 | 5 min 00 s | 10 min 00 s | met |"));
  g_assert_nonnull (strstr (md, "| Grid One | T+00:06:00 | T+00:15:00 (M-2) | CSIRT | 9 min 00 s |"));
  g_assert_nonnull (strstr (md, "| M-2 (EWS bulletin) | T+00:15:00 | Grid Two | T+00:16:00 | 1 min 00 s |"));
  /* the matrix's row of Grid One: two items to the CSIRT */
  g_assert_nonnull (strstr (md, "| Grid One | 2 | · | · | · | · |"));
  g_assert_nonnull (strstr (md, "| Vendor PSIRT | · | 1 | · | · | · |"));
  g_assert_nonnull (strstr (md, "- Ministry\n"));

  /* CSV */
  g_assert_nonnull (strstr (csv, "\"loop-stage\",\"ops1\",\"I1\",\"early-warning\",60.0,360.0,300.0,600.0,\"met\",\"M-1\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"loop-stage\",\"ops1\",\"I1\",\"final-report\",60.0,,,3600.0,\"missing\",\"\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"loop-warned\",\"ops1\",360.0,900.0,540.0,\"M-2\",\"csirt\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"loop-ack\",\"M-2\",\"ews\",\"ops2\",900.0,960.0,60.0\r\n"));
  g_assert_nonnull (strstr (csv, "\"loop-matrix\",\"ops1\",\"csirt\",2\r\n"));
  g_assert_nonnull (strstr (csv, "\"loop-uninformed\",\"gov\"\r\n"));

  /* JSON */
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "exercise"), "marking"),
                   ==, "EXERCISE");
  loop = json_object_get_object_member (root, "loop");
  stage = json_object_get_object_member (json_object_get_object_member (
            json_array_get_object_element (json_object_get_array_member (loop, "operators"), 0), "stages"),
            "notification");
  g_assert_cmpstr (json_object_get_string_member (stage, "status"), ==, "late");
  g_assert_cmpint (json_object_get_int_member (stage, "elapsed_ms"), ==, 2340000);
  matrix = json_object_get_array_member (loop, "matrix");
  g_assert_cmpuint (json_array_get_length (matrix), ==, 8);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (loop, "traffic")), ==, 6);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (loop, "uninformed"), 0),
                   ==, "gov");
}

/* A journal without traffic says so, and measures nothing. */
static void
test_empty (void)
{
  static const char json[] =
    "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
    " \"exercise\": {\"id\": \"quiet\", \"title\": \"Quiet\", \"tlp\": \"GREEN\", \"duration\": \"T+01:00\"},\n"
    " \"teams\": [{\"id\": \"a\", \"name\": \"Alpha\", \"kind\": \"csirt\"}],\n"
    " \"injects\": [{\"id\": \"I1\", \"at\": \"T+00:00\", \"channel\": \"email\", \"to\": \"all\","
    "   \"title\": \"t\", \"body\": \"b\"}]}\n";
  g_autofree char *dir = g_dir_make_tmp ("whitecell-loop-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "journal.jsonl", NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("quiet.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) scenario = wc_scenario_load_data (json, strlen (json), NULL, diag, &error);
  g_autoptr(WcJournal) journal = wc_journal_create (path, "quiet", "quiet.json", "x", NULL, &error);
  g_autoptr(WcMetrics) m = NULL;
  WcJournalVerifyResult v = { 0 };
  WcReportInput in = { NULL, &v, NULL, "en", NULL };
  g_autoptr(GString) out = g_string_new (NULL);
  WcLoopMetrics *loop;

  g_assert_no_error (error);
  wc_test_append (journal, 0, "clock-started", "{}");
  g_assert_true (wc_journal_sync (journal, &error));
  in.metrics = m = wc_metrics_new (scenario, journal);
  loop = wc_metrics_get_loop (m);
  g_assert_cmpuint (wc_loop_metrics_get_n_operators (loop), ==, 0);
  g_assert_cmpuint (wc_loop_metrics_get_n_items (loop), ==, 0);
  g_assert_cmpuint (wc_loop_metrics_get_uninformed (loop)->len, ==, 1);
  wc_report_write (&in, WC_REPORT_MARKDOWN, out);
  g_assert_nonnull (strstr (out->str, "## Coordination loop\n\nNo team-to-team traffic was recorded."));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) \
  g_test_add ("/whitecell/loop/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("measures", test_measures);
  ADD ("live", test_live);
  ADD ("report", test_report);
#undef ADD
  g_test_add_func ("/whitecell/loop/empty", test_empty);
  return g_test_run ();
}
