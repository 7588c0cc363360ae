/* test-report.c: the review's measures on a hand-made journal with known answers, and the reports:
 * hostile text escaped, a tampered journal said to be so. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-util.h"
#include "wc-report.h"
#include "wc-scenario-loader.h"
#include "wc-untrusted.h"

static const char scenario_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"review\", \"title\": \"Review\", \"tlp\": \"RED\", \"duration\": \"T+01:00\",\n"
  "   \"objectives\": [{\"id\": \"O1\", \"text\": \"Notify\"}]},\n"
  " \"teams\": [{\"id\": \"a\", \"name\": \"Alpha\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"b\", \"name\": \"Bravo\", \"kind\": \"operator\"},\n"
  "           {\"id\": \"c\", \"name\": \"Charlie (never connected)\", \"kind\": \"operator\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"I1\", \"at\": \"T+00:00\", \"channel\": \"email\", \"to\": \"all\", \"title\": \"Alert\", \"body\": \"b\",\n"
  "   \"expected_actions\": [{\"id\": \"notify\", \"text\": \"Notify the CSIRT\", \"deadline\": \"00:05\", \"objective\": \"O1\"}]},\n"
  "  {\"id\": \"I2\", \"at\": \"T+00:10\", \"channel\": \"decision\", \"to\": [\"a\", \"b\"], \"title\": \"Decide\", \"body\": \"b\",\n"
  "   \"options\": [{\"id\": \"x\", \"text\": \"Isolate\"}, {\"id\": \"y\", \"text\": \"Wait\"}],\n"
  "   \"expected_actions\": [{\"id\": \"brief\", \"text\": \"Brief the minister\", \"deadline\": \"00:01\"}]}\n"
  " ]}\n";


typedef struct {
  char       *dir;
  char       *path;
  WcScenario *scenario;
} Fixture;

static void
append (WcJournal  *journal,
        gint64      t_ms,
        const char *type,
        const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_cmpuint (wc_journal_append (journal, t_ms, type,
                                       json_node_get_object (json_parser_get_root (parser)), &error),
                    >, 0);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("review.json");
  g_autoptr(WcJournal) journal = NULL;

  f->dir = g_dir_make_tmp ("whitecell-report-XXXXXX", &error);
  f->path = g_build_filename (f->dir, "journal.jsonl", NULL);
  f->scenario = wc_scenario_load_data (scenario_json, strlen (scenario_json), NULL, diag, &error);
  g_assert_no_error (error);
  journal = wc_journal_create (f->path, "review", "review.json", "x", NULL, &error);
  g_assert_no_error (error);
  append (journal, 0, "clock-started", "{}");
  append (journal, 0, "inject-fired", "{\"inject\": \"I1\", \"teams\": [\"a\", \"b\", \"c\"]}");
  append (journal, 1000, "inject-delivered", "{\"inject\": \"I1\", \"team\": \"a\", \"via\": \"sse\"}");
  append (journal, 2000, "inject-delivered", "{\"inject\": \"I1\", \"team\": \"b\", \"via\": \"api\"}");
  append (journal, 61000, "inject-acknowledged", "{\"inject\": \"I1\", \"team\": \"a\"}");
  append (journal, 121000, "response", "{\"inject\": \"I1\", \"team\": \"a\", \"text\": \"" "<script>alert('x')</script> & \\\"quoted\\\" | =cmd" "\"}");
  append (journal, 181000, "response", "{\"inject\": \"I1\", \"team\": \"a\", \"text\": \"second\"}");
  append (journal, 200000, "action-met", "{\"inject\": \"I1\", \"team\": \"a\", \"action\": \"notify\"}");
  append (journal, 400000, "action-met", "{\"inject\": \"I1\", \"team\": \"b\", \"action\": \"notify\"}");
  append (journal, 600000, "inject-fired", "{\"inject\": \"I2\", \"teams\": [\"a\", \"b\"]}");
  append (journal, 660000, "response", "{\"inject\": \"I2\", \"team\": \"b\", \"option\": \"x\"}");
  append (journal, 700000, "webhook-attempt", "{\"inject\": \"I2\", \"team\": \"a\", \"attempt\": 1, \"outcome\": \"failed\"}");
  append (journal, 800000, "note", "{\"text\": \"Alpha asked for help\"}");
  append (journal, 900000, "exercise-ended", "{\"reason\": \"controller\"}");
  g_assert_true (wc_journal_sync (journal, &error));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

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

static const WcTeamInjectMetrics *
row_of (WcMetrics  *m,
        const char *inject,
        const char *team)
{
  for (guint i = 0; i < wc_metrics_get_n_rows (m); i++)
    {
      const WcTeamInjectMetrics *row = wc_metrics_get_row (m, i);

      if (strcmp (row->inject->id, inject) == 0 && strcmp (row->team->id, team) == 0)
        return row;
    }
  g_assert_not_reached ();
}

static WcActionStatus
action_status (const WcTeamInjectMetrics *row)
{
  g_assert_cmpuint (row->actions->len, ==, 1);
  return g_array_index (row->actions, WcActionResult, 0).status;
}

static void
test_metrics (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = wc_journal_load (f->path, &error);
  g_autoptr(WcMetrics) m = NULL;
  const WcTeamInjectMetrics *row;
  const WcTeamMetrics *team;
  const WcObjectiveMetrics *o1;

  g_assert_no_error (error);
  m = wc_metrics_new (f->scenario, journal);
  g_assert_true (wc_metrics_get_ended (m));
  g_assert_cmpint (wc_metrics_get_end_ms (m), ==, 900000);
  g_assert_cmpuint (wc_metrics_get_n_rows (m), ==, 5);

  row = row_of (m, "I1", "a");
  g_assert_cmpint (row->to_deliver_ms, ==, 1000);
  g_assert_cmpint (row->to_acknowledge_ms, ==, 60000);
  g_assert_cmpint (row->to_respond_ms, ==, 120000);
  g_assert_cmpuint (row->n_responses, ==, 2);
  g_assert_cmpint (action_status (row), ==, WC_ACTION_MET);

  /* b met it after its deadline (delivered at 2 s, due 5 min later) */
  row = row_of (m, "I1", "b");
  g_assert_cmpint (action_status (row), ==, WC_ACTION_LATE);
  g_assert_cmpint (g_array_index (row->actions, WcActionResult, 0).due_ms, ==, 302000);
  g_assert_cmpint (row->acknowledged_ms, ==, -1);

  /* c never connected: never delivered, never acknowledged, and nobody judged it: "not
   * assessed", never "missed" */
  row = row_of (m, "I1", "c");
  g_assert_cmpint (row->delivered_ms, ==, -1);
  g_assert_cmpint (row->to_acknowledge_ms, ==, -1);
  g_assert_cmpint (action_status (row), ==, WC_ACTION_NOT_ASSESSED);

  /* answering a decision is acknowledging it */
  row = row_of (m, "I2", "b");
  g_assert_cmpstr (row->option, ==, "x");
  g_assert_cmpint (row->to_acknowledge_ms, ==, 60000);
  row = row_of (m, "I2", "a");
  g_assert_cmpuint (row->webhook_failures, ==, 1);
  g_assert_cmpint (action_status (row), ==, WC_ACTION_NOT_ASSESSED);

  team = wc_metrics_get_team (m, 0);
  g_assert_cmpuint (team->received, ==, 2);
  g_assert_cmpuint (team->acknowledged, ==, 1);
  g_assert_cmpuint (team->responded, ==, 1);
  g_assert_cmpint (team->to_acknowledge.median, ==, 60000);

  team = wc_metrics_get_overall (m);
  g_assert_cmpuint (team->received, ==, 5);
  g_assert_cmpuint (team->acknowledged, ==, 2);
  g_assert_cmpuint (team->to_acknowledge.n, ==, 2);
  g_assert_cmpint (team->to_acknowledge.median, ==, 60000);
  g_assert_cmpint (team->to_acknowledge.worst, ==, 60000);
  g_assert_cmpuint (team->actions[WC_ACTION_MET], ==, 1);
  g_assert_cmpuint (team->actions[WC_ACTION_LATE], ==, 1);
  g_assert_cmpuint (team->actions[WC_ACTION_NOT_MET], ==, 0);
  g_assert_cmpuint (team->actions[WC_ACTION_NOT_ASSESSED], ==, 3);

  o1 = wc_metrics_get_objective (m, 0);
  g_assert_cmpuint (o1->actions[WC_ACTION_MET], ==, 1);
  g_assert_cmpuint (o1->actions[WC_ACTION_LATE], ==, 1);
  g_assert_cmpuint (o1->actions[WC_ACTION_NOT_ASSESSED], ==, 1);
  g_assert_cmpuint (wc_metrics_get_n_notes (m), ==, 1);
}

static char *
report_of (WcScenario     *scenario,
           const char     *path,
           WcReportFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = wc_journal_load (path, &error);
  g_autoptr(WcMetrics) m = wc_metrics_new (scenario, journal);
  g_autoptr(WcReview) review = wc_review_new ();
  WcJournalVerifyResult verify;
  WcReportInput input = { 0 };
  GString *out = g_string_new (NULL);

  g_assert_true (wc_journal_verify_file (path, &verify, &error));
  wc_review_add_improvement (review, "Train the duty officer <b>now</b>", "CSIRT", "2027-01-31");
  input.metrics = m;
  input.verify = &verify;
  input.review = review;
  wc_report_write (&input, format, out);
  wc_journal_verify_result_clear (&verify);
  return g_string_free (out, FALSE);
}

static char *
report (Fixture        *f,
        WcReportFormat  format)
{
  return report_of (f->scenario, f->path, format);
}

static void
test_html_escapes (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *html = report (f, WC_REPORT_HTML);

  /* hostile text is shown, never run */
  g_assert_null (strstr (html, "<script>alert"));
  g_assert_null (strstr (html, "<b>now</b>"));
  g_assert_nonnull (strstr (html, "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;quoted&quot;"));
  g_assert_nonnull (strstr (html, "Train the duty officer &lt;b&gt;now&lt;/b&gt;"));
  /* the marking, the verdict and every section */
  g_assert_nonnull (strstr (html, "TLP:RED"));
  g_assert_nonnull (strstr (html, "Journal verified"));
  g_assert_nonnull (strstr (html, "<svg"));
  g_assert_nonnull (strstr (html, "Improvement plan"));
  g_assert_nonnull (strstr (html, "Chronology"));
  g_assert_nonnull (strstr (html, "Isolate"));
  /* self-contained: no script, nothing fetched */
  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "http://"));
  g_assert_null (strstr (html, "https://"));
}

static void
test_markdown_and_csv (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *md = report (f, WC_REPORT_MARKDOWN);
  g_autofree char *csv = report (f, WC_REPORT_CSV);
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);

  g_assert_nonnull (strstr (md, "**TLP:RED**"));
  /* the journal's fingerprint, to compare with `whitecellctl verify` and the app */
  {
    g_autofree char *head = NULL;
    g_autofree char *line = NULL;
    WcJournalVerifyResult verify;

    g_assert_true (wc_journal_verify_file (f->path, &verify, NULL));
    head = g_strdup (verify.head_hash);
    line = g_strdup_printf ("%" G_GUINT64_FORMAT " records, head hash %s", verify.n_records, head);
    wc_journal_verify_result_clear (&verify);
    g_assert_nonnull (strstr (md, line));
  }
  g_assert_nonnull (strstr (md, "\\<script\\>"));
  g_assert_nonnull (strstr (md, "\\| =cmd"));
  g_assert_true (g_str_has_prefix (lines[0], "team,team_name,inject"));
  /* header, five rows, and the empty string after the last line end */
  g_assert_cmpuint (g_strv_length (lines), ==, 7);
  g_assert_true (g_str_has_prefix (lines[1], "\"a\",\"Alpha\",\"I1\""));
}

static void
test_tampered (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *contents = NULL;
  g_autoptr(GString) changed = NULL;
  g_autofree char *html = NULL;
  g_autofree char *md = NULL;
  g_autofree char *csv = NULL;

  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  changed = g_string_new (contents);
  g_assert_cmpuint (g_string_replace (changed, "\"text\":\"second\"", "\"text\":\"edited\"", 1), ==, 1);
  g_assert_true (g_file_set_contents (f->path, changed->str, changed->len, NULL));
  html = report (f, WC_REPORT_HTML);
  md = report (f, WC_REPORT_MARKDOWN);
  csv = report (f, WC_REPORT_CSV);
  g_assert_nonnull (strstr (html, "FAILED verification at line 8"));
  g_assert_nonnull (strstr (md, "FAILED verification at line 8"));
  g_assert_nonnull (strstr (csv, "FAILED verification at line 8"));
}


/* Texts that a spreadsheet would run, and characters that reorder or hide text, from the
 * scenario (team names, titles) and from the teams (answers, chosen options). */
static const char hostile_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"hostile\", \"title\": \"Hostile\", \"tlp\": \"CLEAR\", \"duration\": \"T+01:00\"},\n"
  " \"teams\": [{\"id\": \"eq\", \"name\": \"=HYPERLINK(\\\"http://x\\\")\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"plus\", \"name\": \"+1+1\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"minus\", \"name\": \"-1+1\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"at\", \"name\": \"@SUM(A1)\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"tab\", \"name\": \"\\t=1\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"cr\", \"name\": \"\\r=1\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"quoted\", \"name\": \"'=1\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"plain\", \"name\": \"Plain 1-2\", \"kind\": \"csirt\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"I1\", \"at\": \"T+00:00\", \"channel\": \"decision\", \"to\": \"all\",\n"
  "   \"title\": \"invoice\\u202Efdp.exe \\u200Bzw\\u200Csp\\u200D \\u2060\\uFEFF \\u2066iso\\u2069 \\u200E\\u200F\",\n"
  "   \"body\": \"b\", \"options\": [{\"id\": \"x\", \"text\": \"\\u202Bx\"}, {\"id\": \"y\", \"text\": \"Y\"}]}\n"
  " ]}\n";

static const char *const invisible_raw[] = {
  "\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069",
  "\u200E", "\u200F", "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF",
};

typedef struct {
  char       *dir;
  char       *path;
  WcScenario *scenario;
} Hostile;

static void
hostile_setup (Hostile *h)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("hostile.json");
  g_autoptr(WcJournal) journal = NULL;

  h->dir = g_dir_make_tmp ("whitecell-hostile-XXXXXX", &error);
  g_assert_no_error (error);
  h->path = g_build_filename (h->dir, "journal.jsonl", NULL);
  h->scenario = wc_scenario_load_data (hostile_json, strlen (hostile_json), NULL, diag, &error);
  g_assert_no_error (error);
  journal = wc_journal_create (h->path, "hostile", "hostile.json", "x", NULL, &error);
  g_assert_no_error (error);
  append (journal, 0, "clock-started", "{}");
  append (journal, 0, "inject-fired", "{\"inject\": \"I1\", \"teams\": [\"eq\", \"plus\", \"minus\", "
                                      "\"at\", \"tab\", \"cr\", \"quoted\", \"plain\"]}");
  append (journal, 1000, "response", "{\"inject\": \"I1\", \"team\": \"eq\", \"option\": \"x\", "
                                     "\"text\": \"ok \\u202Egnp.exe\"}");
  append (journal, 2000, "response", "{\"inject\": \"I1\", \"team\": \"plus\", \"option\": \"y\"}");
  append (journal, 3000, "note", "{\"text\": \"seen\\u2067 by\\u200B all\"}");
  append (journal, 4000, "exercise-ended", "{\"reason\": \"controller\"}");
  g_assert_true (wc_journal_sync (journal, &error));
}

static void
hostile_teardown (Hostile *h)
{
  wc_test_remove_dir (h->dir);
  g_free (h->dir);
  g_free (h->path);
  g_object_unref (h->scenario);
}

static const char *
csv_row_of (GStrv       lines,
            const char *team)
{
  g_autofree char *prefix = g_strdup_printf ("\"%s\",", team);

  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return lines[i];
  g_assert_not_reached ();
}

typedef struct {
  const char *team;
  const char *cell;  /* the team_name cell as written */
} FormulaCase;

static void
test_csv_formulas (void)
{
  static const FormulaCase cases[] = {
    { "eq", "\"'=HYPERLINK(\"\"http://x\"\")\"" },
    { "plus", "\"'+1+1\"" },
    { "minus", "\"'-1+1\"" },
    { "at", "\"'@SUM(A1)\"" },
    { "tab", "\"'\t=1\"" },
    { "cr", "\"'\r=1\"" },
    /* a quote already there gets one more, so that the text comes back whole */
    { "quoted", "\"''=1\"" },
    { "plain", "\"Plain 1-2\"" },
  };
  Hostile h = { 0 };
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;

  hostile_setup (&h);
  csv = report_of (h.scenario, h.path, WC_REPORT_CSV);
  /* a CR inside a quoted cell is not a line end: split on CRLF only */
  lines = g_strsplit (csv, "\r\n", -1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *row = csv_row_of (lines, cases[i].team);
      g_autofree char *expected = g_strdup_printf ("\"%s\",%s,\"I1\",", cases[i].team,
                                                   cases[i].cell);

      g_test_message ("row: %s", row);
      g_assert_true (g_str_has_prefix (row, expected));
    }
  hostile_teardown (&h);
}

/* Markdown escapes the brackets, which a reader of the rendered text does not see. */
static void
assert_all_shown (const char *report,
                  gboolean    markdown)
{
  g_autoptr(GString) title = g_string_new ("invoice[U+202E]fdp.exe [U+200B]zw[U+200C]sp[U+200D] "
                                           "[U+2060][U+FEFF] [U+2066]iso[U+2069] [U+200E][U+200F]");

  if (markdown)
    {
      g_string_replace (title, "[", "\\[", 0);
      g_string_replace (title, "]", "\\]", 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invisible_raw); i++)
    g_assert_null (strstr (report, invisible_raw[i]));
  g_assert_nonnull (strstr (report, title->str));
}

static void
test_invisible_shown (void)
{
  Hostile h = { 0 };
  g_autofree char *html = NULL;
  g_autofree char *md = NULL;
  g_autofree char *csv = NULL;

  hostile_setup (&h);
  html = report_of (h.scenario, h.path, WC_REPORT_HTML);
  md = report_of (h.scenario, h.path, WC_REPORT_MARKDOWN);
  csv = report_of (h.scenario, h.path, WC_REPORT_CSV);
  assert_all_shown (html, FALSE);
  assert_all_shown (md, TRUE);
  assert_all_shown (csv, FALSE);
  /* the teams' own words too: an answer, a chosen option, a note */
  g_assert_nonnull (strstr (html, "ok [U+202E]gnp.exe"));
  g_assert_nonnull (strstr (html, "[U+202B]x"));
  g_assert_nonnull (strstr (md, "seen\\[U+2067\\] by\\[U+200B\\] all"));
  g_assert_nonnull (strstr (html, "seen[U+2067] by[U+200B] all"));
  /* what is not hidden is left alone */
  g_assert_nonnull (strstr (html, "Plain 1-2"));
  hostile_teardown (&h);
}

static void
test_show_invisible (void)
{
  g_autofree char *plain = wc_untrusted_show_invisible ("Zoë → 東京 \U0001F600");
  g_autofree char *marked = wc_untrusted_show_invisible ("a\u061Cb\u202Ac");
  g_autofree char *broken = wc_untrusted_show_invisible ("a\xff" "b");
  g_autofree char *none = wc_untrusted_show_invisible (NULL);

  g_assert_cmpstr (plain, ==, "Zoë → 東京 \U0001F600");
  g_assert_cmpstr (marked, ==, "a[U+061C]b[U+202A]c");
  g_assert_cmpstr (broken, ==, "a\uFFFDb");
  g_assert_cmpstr (none, ==, "");
  g_assert_false (wc_untrusted_is_formula ("1-2"));
  g_assert_false (wc_untrusted_is_formula (""));
  g_assert_false (wc_untrusted_is_formula ("'"));
  g_assert_true (wc_untrusted_is_formula ("''-1"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) \
  g_test_add ("/whitecell/report/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("metrics", test_metrics);
  ADD ("html-escapes", test_html_escapes);
  ADD ("markdown-and-csv", test_markdown_and_csv);
  ADD ("tampered", test_tampered);
#undef ADD
  g_test_add_func ("/whitecell/report/csv-formulas", test_csv_formulas);
  g_test_add_func ("/whitecell/report/invisible-shown", test_invisible_shown);
  g_test_add_func ("/whitecell/report/show-invisible", test_show_invisible);
  return g_test_run ();
}
