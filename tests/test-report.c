/* test-report.c: the review's measures on a hand-made journal with known answers, and the reports:
 * hostile text escaped, a tampered journal said to be so. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "test-util.h"
#include "wc-engine.h"
#include "wc-report.h"
#include "wc-tokens.h"
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
  wc_test_append (journal, 0, "clock-started", "{}");
  wc_test_append (journal, 0, "inject-fired", "{\"inject\": \"I1\", \"teams\": [\"a\", \"b\", \"c\"]}");
  wc_test_append (journal, 1000, "inject-delivered", "{\"inject\": \"I1\", \"team\": \"a\", \"via\": \"sse\"}");
  wc_test_append (journal, 2000, "inject-delivered", "{\"inject\": \"I1\", \"team\": \"b\", \"via\": \"api\"}");
  wc_test_append (journal, 61000, "inject-acknowledged", "{\"inject\": \"I1\", \"team\": \"a\"}");
  wc_test_append (journal, 121000, "response", "{\"inject\": \"I1\", \"team\": \"a\", \"text\": \"" "<script>alert('x')</script> & \\\"quoted\\\" | =cmd" "\"}");
  wc_test_append (journal, 181000, "response", "{\"inject\": \"I1\", \"team\": \"a\", \"text\": \"second\"}");
  wc_test_append (journal, 200000, "action-met", "{\"inject\": \"I1\", \"team\": \"a\", \"action\": \"notify\"}");
  wc_test_append (journal, 400000, "action-met", "{\"inject\": \"I1\", \"team\": \"b\", \"action\": \"notify\"}");
  wc_test_append (journal, 600000, "inject-fired", "{\"inject\": \"I2\", \"teams\": [\"a\", \"b\"]}");
  wc_test_append (journal, 660000, "response", "{\"inject\": \"I2\", \"team\": \"b\", \"option\": \"x\"}");
  wc_test_append (journal, 700000, "webhook-attempt", "{\"inject\": \"I2\", \"team\": \"a\", \"attempt\": 1, \"outcome\": \"failed\"}");
  wc_test_append (journal, 800000, "note", "{\"text\": \"Alpha asked for help\"}");
  wc_test_append (journal, 900000, "exercise-ended", "{\"reason\": \"controller\"}");
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
report_with (WcScenario     *scenario,
             const char     *path,
             const WcReview *review,
             WcReportFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = wc_journal_load (path, &error);
  g_autoptr(WcMetrics) m = wc_metrics_new (scenario, journal);
  WcJournalVerifyResult verify;
  WcReportInput input = { 0 };
  GString *out = g_string_new (NULL);

  g_assert_true (wc_journal_verify_file (path, &verify, &error));
  input.metrics = m;
  input.verify = &verify;
  input.review = review;
  wc_report_write (&input, format, out);
  wc_journal_verify_result_clear (&verify);
  return g_string_free (out, FALSE);
}

static char *
report_of (WcScenario     *scenario,
           const char     *path,
           WcReportFormat  format)
{
  g_autoptr(WcReview) review = wc_review_new ();

  wc_review_add_improvement (review, "Train the duty officer <b>now</b>", "CSIRT", "2027-01-31");
  return report_with (scenario, path, review, format);
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
  /* header and five rows; then, after an empty line, the judged actions' table */
  g_assert_cmpstr (lines[6], ==, "");
  g_assert_true (g_str_has_prefix (lines[7], "table,inject,team,action,"));
  g_assert_true (g_str_has_prefix (lines[1], "\"a\",\"Alpha\",\"I1\""));
  /* the controller marked "notify" met for b after its deadline: late; nobody judged I2's */
  g_assert_nonnull (strstr (csv, "\"action\",\"I1\",\"b\",\"notify\",\"O1\",\"late\",\"staff\",\"controller\",\"controller\",\"late\",400.0,\"\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"action\",\"I2\",\"a\",\"brief\",\"\",\"not-assessed\",\"\",\"\",\"\",\"not-assessed\",,\"\""));
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
  wc_test_append (journal, 0, "clock-started", "{}");
  wc_test_append (journal, 0, "inject-fired", "{\"inject\": \"I1\", \"teams\": [\"eq\", \"plus\", \"minus\", "
                                              "\"at\", \"tab\", \"cr\", \"quoted\", \"plain\"]}");
  wc_test_append (journal, 1000, "response", "{\"inject\": \"I1\", \"team\": \"eq\", \"option\": \"x\", "
                                             "\"text\": \"ok \\u202Egnp.exe\"}");
  wc_test_append (journal, 2000, "response", "{\"inject\": \"I1\", \"team\": \"plus\", \"option\": \"y\"}");
  wc_test_append (journal, 3000, "note", "{\"text\": \"seen\\u2067 by\\u200B all\"}");
  wc_test_append (journal, 4000, "exercise-ended", "{\"reason\": \"controller\"}");
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


/* Evaluation: judgements by rules and by people, observations, ratings, feedback -------------- */

static const char eval_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"eval\", \"title\": \"Evaluation\", \"tlp\": \"AMBER\", \"duration\": \"T+02:00\",\n"
  "   \"objectives\": [{\"id\": \"O1\", \"text\": \"Decide in time\"}, {\"id\": \"O2\", \"text\": \"Tell the public\"}]},\n"
  " \"teams\": [{\"id\": \"a\", \"name\": \"Alpha\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"b\", \"name\": \"Bravo\", \"kind\": \"operator\"},\n"
  "           {\"id\": \"c\", \"name\": \"Charlie\", \"kind\": \"operator\"}],\n"
  " \"staff\": [{\"id\": \"eve\", \"name\": \"Eve Evaluator\", \"role\": \"evaluator\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"D\", \"at\": \"T+00:10\", \"channel\": \"decision\", \"to\": \"all\", \"title\": \"Decide\", \"body\": \"b\",\n"
  "   \"options\": [{\"id\": \"isolate\", \"text\": \"Isolate\"}, {\"id\": \"wait\", \"text\": \"Wait\"}],\n"
  "   \"expected_actions\": [\n"
  "     {\"id\": \"decide\", \"text\": \"Isolate the network\", \"deadline\": \"00:15\", \"objective\": \"O1\", \"judge\": \"option:isolate\"},\n"
  "     {\"id\": \"answer\", \"text\": \"Answer\", \"deadline\": \"00:15\", \"judge\": \"answer\"},\n"
  "     {\"id\": \"brief\", \"text\": \"Brief the board\", \"objective\": \"O1\"}]},\n"
  "  {\"id\": \"P\", \"at\": \"T+00:30\", \"channel\": \"email\", \"to\": \"all\", \"title\": \"Press\", \"body\": \"b\",\n"
  "   \"expected_actions\": [{\"id\": \"statement\", \"text\": \"Publish a statement\", \"objective\": \"O2\"}]}\n"
  " ]}\n";

typedef struct {
  char       *dir;
  char       *path;
  WcScenario *scenario;
  WcTokens   *tokens;
  WcReview   *review;
  gint64      fake_us;
} Eval;

static gint64
eval_clock (gpointer user_data)
{
  return ((Eval *) user_data)->fake_us;
}

static void
eval_at (Eval     *e,
         WcEngine *engine,
         gint64    minutes)
{
  e->fake_us = 1000000 + minutes * 60 * G_USEC_PER_SEC;
  wc_engine_process (engine);
}

/* Alpha chooses to isolate in time (the rule proposes met); Bravo waits and answers late (the
 * rule proposes late; Eve judges its decision not met); Eve finds Alpha's briefing partial;
 * nobody judges Charlie, nor anyone's press statement: those stay "not assessed". */
static void
eval_setup (Eval          *e,
            gconstpointer  data)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("eval.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcEngine) engine = NULL;
  g_autofree char *tokens_path = NULL;
  WcFeedback alpha = { "Clear roles", "Slow escalation", 4, 5, "=HYPERLINK(\"x\") <b>bold</b>" };
  WcFeedback bravo = { NULL, "More realism\u202E", 2, 0, NULL };

  e->dir = g_dir_make_tmp ("whitecell-eval-report-XXXXXX", &error);
  g_assert_no_error (error);
  e->path = g_build_filename (e->dir, "journal.jsonl", NULL);
  e->scenario = wc_scenario_load_data (eval_json, strlen (eval_json), NULL, diag, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
  wc_scenario_set_sha256 (e->scenario, "0000000000000000000000000000000000000000000000000000000000000000");
  /* the secrets beside the journal, as an exercise has them: none may reach a report */
  e->tokens = wc_tokens_generate (e->scenario, &error);
  g_assert_no_error (error);
  tokens_path = wc_tokens_path_for_journal (e->path);
  g_assert_true (wc_tokens_save (e->tokens, tokens_path, &error));
  engine = wc_engine_new (e->scenario, e->path, &error);
  g_assert_no_error (error);
  e->fake_us = 1000000;
  wc_engine_set_clock_func (engine, eval_clock, e);
  g_assert_true (wc_engine_start (engine, &error));
  g_assert_true (wc_engine_add_staff (engine, "olga", "Olga Observer", WC_STAFF_OBSERVER, &error));
  eval_at (e, engine, 10);
  eval_at (e, engine, 20);
  g_assert_true (wc_engine_respond (engine, "D", "a", NULL, "isolate", &error));
  eval_at (e, engine, 40);
  g_assert_true (wc_engine_respond (engine, "D", "b", "We wait", "wait", &error));
  wc_engine_set_actor (engine, "eve");
  g_assert_true (wc_engine_assess (engine, "D", "b", "decide", WC_VERDICT_NOT_MET, "chose to wait", &error));
  g_assert_true (wc_engine_assess (engine, "D", "a", "brief", WC_VERDICT_PARTIAL, NULL, &error));
  g_assert_true (wc_engine_observe (engine, "Alpha escalated at once", WC_OBSERVATION_STRENGTH,
                                    "a", "D", "O1", &error));
  g_assert_true (wc_engine_observe (engine, "Bravo waited for the board", WC_OBSERVATION_IMPROVEMENT,
                                    "b", "D", "O1", &error));
  g_assert_true (wc_engine_rate_objective (engine, "O1", NULL, WC_RATING_PERFORMED, "first look", &error));
  eval_at (e, engine, 50);
  g_assert_true (wc_engine_rate_objective (engine, "O1", NULL, WC_RATING_SOME_CHALLENGES,
                                           "One team waited", &error));
  wc_engine_set_actor (engine, "olga");
  g_assert_true (wc_engine_observe (engine, "The room was calm", WC_OBSERVATION_NOTE, NULL, NULL,
                                    NULL, &error));
  wc_engine_set_actor (engine, NULL);
  g_assert_true (wc_engine_end (engine, "done", &error));
  g_assert_true (wc_engine_give_feedback (engine, "a", &alpha, &error));
  g_assert_true (wc_engine_give_feedback (engine, "b", &bravo, &error));
  g_assert_no_error (error);
  e->review = wc_review_new ();
}

static void
eval_teardown (Eval          *e,
               gconstpointer  data)
{
  wc_review_free (e->review);
  g_object_unref (e->tokens);
  g_object_unref (e->scenario);
  wc_test_remove_dir (e->dir);
  g_free (e->dir);
  g_free (e->path);
}

static char *
eval_report (Eval           *e,
             WcReportFormat  format)
{
  return report_with (e->scenario, e->path, e->review, format);
}

/* No secret of the tokens file in @report. */
static void
assert_no_token (Eval       *e,
                 const char *report)
{
  const char *staff_token = wc_tokens_get_staff_token (e->tokens, "eve");

  g_assert_nonnull (staff_token);
  g_assert_null (strstr (report, staff_token));
  g_assert_null (strstr (report, wc_tokens_get_controller (e->tokens)));
  for (guint t = 0; t < wc_scenario_get_n_teams (e->scenario); t++)
    g_assert_null (strstr (report, wc_tokens_get_team_token (e->tokens, wc_scenario_get_team (e->scenario, t)->id)));
  g_assert_null (strstr (report, "token"));
}

static void
test_eval_metrics (Eval          *e,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = wc_journal_load (e->path, &error);
  g_autoptr(WcMetrics) m = wc_metrics_new (e->scenario, journal);
  const WcObjectiveMetrics *o1 = wc_metrics_get_objective (m, 0);
  const WcObjectiveMetrics *o2 = wc_metrics_get_objective (m, 1);
  const WcTeamFeedback *f;

  g_assert_cmpuint (o1->actions[WC_ACTION_MET], ==, 1);
  g_assert_cmpuint (o1->actions[WC_ACTION_PARTIAL], ==, 1);
  g_assert_cmpuint (o1->actions[WC_ACTION_NOT_MET], ==, 1);
  g_assert_cmpuint (o1->actions[WC_ACTION_NOT_ASSESSED], ==, 3);
  g_assert_cmpuint (o2->actions[WC_ACTION_NOT_ASSESSED], ==, 3);
  g_assert_cmpuint (o2->actions[WC_ACTION_NOT_MET], ==, 0);
  g_assert_cmpuint (wc_metrics_get_n_observations (m), ==, 3);
  g_assert_cmpint (wc_metrics_get_observation (m, 0)->kind, ==, WC_OBSERVATION_STRENGTH);
  g_assert_cmpstr (wc_metrics_get_observation (m, 0)->by, ==, "eve");
  g_assert_cmpstr (wc_metrics_get_observation (m, 2)->by, ==, "olga");
  g_assert_null (wc_metrics_get_observation (m, 2)->team);
  /* the second rating replaces the first, which stays as history */
  g_assert_cmpuint (wc_metrics_get_n_ratings (m), ==, 2);
  g_assert_false (wc_metrics_get_rating (m, 0)->latest);
  g_assert_true (wc_metrics_get_rating (m, 1)->latest);
  g_assert_cmpint (wc_metrics_get_rating (m, 1)->rating, ==, WC_RATING_SOME_CHALLENGES);
  g_assert_cmpuint (wc_metrics_get_n_feedback (m), ==, 2);
  f = wc_metrics_get_feedback (m, 1);
  g_assert_cmpstr (f->team->id, ==, "b");
  g_assert_cmpuint (f->realism, ==, 2);
  g_assert_cmpuint (f->usefulness, ==, 0);
  g_assert_cmpstr (wc_metrics_get_staff_name (m, "olga"), ==, "Olga Observer");
  g_assert_cmpstr (wc_metrics_get_staff_name (m, "eve"), ==, "Eve Evaluator");
  g_assert_cmpuint (wc_metrics_get_staff (m)->len, ==, 2);
}

static void
test_eval_html_markdown (Eval          *e,
                         gconstpointer  data)
{
  for (guint k = 0; k < 2; k++)
    {
      g_autofree char *report = eval_report (e, k == 0 ? WC_REPORT_HTML : WC_REPORT_MARKDOWN);
      gboolean html = k == 0;

      g_test_message ("%s", html ? "HTML" : "Markdown");
      /* the AAR/IP's sections */
      g_assert_nonnull (strstr (report, "Exercise overview"));
      g_assert_nonnull (strstr (report, "Analysis of objectives"));
      g_assert_true (strstr (report, "Participants' feedback") || strstr (report, "Participants&apos; feedback"));
      g_assert_nonnull (strstr (report, "Improvement plan"));
      g_assert_nonnull (strstr (report, "Journal verified"));
      g_assert_nonnull (strstr (report, "DRAFT"));
      /* who judged: the staff by name, the rules as rules */
      g_assert_nonnull (strstr (report, "Eve Evaluator (evaluator)"));
      g_assert_nonnull (strstr (report, "Olga Observer (observer)"));
      g_assert_nonnull (strstr (report, "rule (automatic)"));
      g_assert_nonnull (strstr (report, "chose to wait"));
      /* exactly those results, and "not assessed" for the rest, never counted as not met */
      g_assert_nonnull (strstr (report, "Expected actions: partly met — 1 met, 0 late, 1 partial, 1 not met, "
                                        "0 not applicable; 3 not assessed."));
      g_assert_nonnull (strstr (report, "Expected actions: not assessed — 0 met, 0 late, 0 partial, 0 not met, "
                                        "0 not applicable; 3 not assessed."));
      /* the EEG rating that stands, and the one before it */
      g_assert_nonnull (strstr (report, "Performed with some challenges"));
      g_assert_nonnull (strstr (report, "Earlier rating:"));
      g_assert_nonnull (strstr (report, "Rating: not rated"));
      /* strengths and areas for improvement, by objective and by team */
      g_assert_nonnull (strstr (report, "Alpha escalated at once"));
      g_assert_nonnull (strstr (report, "Bravo waited for the board"));
      g_assert_nonnull (strstr (report, "Area for improvement:"));
      g_assert_nonnull (strstr (report, "The room was calm"));
      /* the feedback summarised: realism 4 and 2, usefulness 5 (Bravo gave none) */
      g_assert_nonnull (strstr (report, "2 of 3 teams gave feedback. Average realism: 3.0 / 5; usefulness: 5.0 / 5."));
      g_assert_nonnull (strstr (report, "Slow escalation"));
      /* their words escaped, hidden characters shown */
      g_assert_null (strstr (report, "<b>bold</b>"));
      g_assert_nonnull (strstr (report, html ? "&lt;b&gt;bold&lt;/b&gt;" : "\\<b\\>bold\\</b\\>"));
      g_assert_nonnull (strstr (report, html ? "More realism[U+202E]" : "More realism\\[U+202E\\]"));
      /* an area for improvement that no item answers yet */
      g_assert_nonnull (strstr (report, "Areas for improvement without a corrective action"));
      assert_no_token (e, report);
    }
}

/* The review file's judgement stands over the journal's, and the report says so; an item of the
 * plan names the area for improvement it answers; a final report says it is final. */
static void
test_eval_review (Eval          *e,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = wc_journal_load (e->path, &error);
  g_autoptr(WcMetrics) m = wc_metrics_new (e->scenario, journal);
  g_autofree char *html = NULL;
  g_autofree char *md = NULL;
  guint64 seq = 0;
  WcImprovement *item;

  for (guint i = 0; i < wc_metrics_get_n_observations (m); i++)
    if (wc_metrics_get_observation (m, i)->kind == WC_OBSERVATION_IMPROVEMENT)
      seq = wc_metrics_get_observation (m, i)->seq;
  g_assert_cmpuint (seq, >, 0);
  wc_review_set_judgement (e->review, "D", "c", "decide", WC_VERDICT_NA, "Charlie had no network",
                           "Ann Reviewer", "2027-01-03T10:00:00Z");
  item = wc_review_add_improvement (e->review, "Escalation drill", "Bravo CISO", "2027-03-01");
  item->observation = seq;
  e->review->status = WC_REVIEW_FINAL;
  html = eval_report (e, WC_REPORT_HTML);
  md = eval_report (e, WC_REPORT_MARKDOWN);
  for (guint k = 0; k < 2; k++)
    {
      const char *report = k == 0 ? html : md;

      g_assert_nonnull (strstr (report, "reviewer Ann Reviewer, in review 2027-01-03 (the journal: not assessed)"));
      g_assert_nonnull (strstr (report, "Charlie had no network"));
      g_assert_nonnull (strstr (report, "FINAL"));
      g_assert_null (strstr (report, "DRAFT"));
      /* O1 now: one not assessed fewer, one not applicable */
      g_assert_nonnull (strstr (report, "1 met, 0 late, 1 partial, 1 not met, 1 not applicable; 2 not assessed."));
      /* the plan's item, tied to Bravo's area for improvement, which no longer waits for one */
      g_assert_nonnull (strstr (report, "Escalation drill"));
      g_assert_null (strstr (report, "Areas for improvement without a corrective action"));
    }
  g_assert_nonnull (strstr (html, "<td class=\"quote\">Bravo waited for the board</td><td class=\"quote\">Escalation drill</td>"));
  /* left in the build directory, to be looked at (headless Chromium prints it to PDF) */
  {
    g_autofree char *artefact = g_test_build_filename (G_TEST_BUILT, "whitecell-report-evaluation.html", NULL);

    g_assert_true (g_file_set_contents (artefact, html, -1, NULL));
  }
}

static void
test_eval_csv (Eval          *e,
               gconstpointer  data)
{
  g_autofree char *csv = NULL;

  wc_review_set_judgement (e->review, "D", "c", "decide", WC_VERDICT_NA, NULL, "Ann Reviewer",
                           "2027-01-03T10:00:00Z");
  csv = eval_report (e, WC_REPORT_CSV);
  /* each action as judged: by a rule, by Eve, in review, or not at all */
  g_assert_nonnull (strstr (csv, "\"action\",\"D\",\"a\",\"decide\",\"O1\",\"met\",\"rule\",\"\",\"\",\"met\",1200.0,\"\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"action\",\"D\",\"b\",\"decide\",\"O1\",\"not-met\",\"staff\",\"eve\",\"Eve Evaluator\",\"not-met\",2400.0,\"chose to wait\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"action\",\"D\",\"c\",\"decide\",\"O1\",\"na\",\"review\",\"Ann Reviewer\",\"Ann Reviewer\",\"not-assessed\",,\"\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"action\",\"P\",\"b\",\"statement\",\"O2\",\"not-assessed\",\"\",\"\",\"\",\"not-assessed\",,\"\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"observation\",2400.0,\"improvement\",\"b\",\"D\",\"O1\",\"eve\",\"Eve Evaluator\",\"Bravo waited for the board\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"rating\",2400.0,\"O1\",\"\",\"performed\",\"no\",\"eve\",\"Eve Evaluator\",\"first look\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"rating\",3000.0,\"O1\",\"\",\"some-challenges\",\"yes\","));
  /* a formula neutralised, as everywhere */
  g_assert_nonnull (strstr (csv, "\"feedback\",\"a\",\"Alpha\",4,5,\"Clear roles\",\"Slow escalation\",\"'=HYPERLINK(\"\"x\"\") <b>bold</b>\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"feedback\",\"b\",\"Bravo\",2,0,\"\",\"More realism[U+202E]\",\"\"\r\n"));
  assert_no_token (e, csv);
}

/* The JSON report against the shape docs/REPORT.md documents: each object's members, with their
 * JSON types ('s' string, 'S' string or null, 'n' integer, 'N' integer or null, 'd' number or
 * null, 'b' boolean, 'o' object, 'O' object or null, 'a' array). */
typedef struct {
  const char *name;
  char        type;
} Member;

static const Member report_members[] = {
  { "format", 's' }, { "version", 'n' }, { "status", 's' }, { "lang", 'S' }, { "exercise", 'o' },
  { "journal", 'o' }, { "staff", 'a' }, { "summary", 'o' }, { "objectives", 'a' }, { "teams", 'a' },
  { "feedback", 'o' }, { "observations", 'a' }, { "notes", 'a' }, { "improvement_plan", 'a' },
  { "loop", 'o' }, { NULL },
};
static const Member exercise_members[] = {
  { "id", 's' }, { "title", 's' }, { "description", 'S' }, { "tlp", 's' }, { "journal_created", 's' },
  { "end_ms", 'n' }, { "ended", 'b' }, { "scenario_note", 'S' }, { "marking", 's' }, { NULL },
};
static const Member journal_members[] = {
  { "sound", 'b' }, { "records", 'n' }, { "head_hash", 'S' }, { "last_sealed_seq", 'n' },
  { "seals_checked", 'b' }, { "integrity", 's' }, { "fingerprint", 's' }, { NULL },
};
static const Member staff_members[] = { { "id", 's' }, { "name", 's' }, { "role", 's' }, { NULL } };
static const Member by_members[] = { { "id", 'S' }, { "name", 's' }, { NULL } };
static const Member counts_members[] = {
  { "met", 'n' }, { "late", 'n' }, { "partial", 'n' }, { "not-met", 'n' }, { "na", 'n' },
  { "not-assessed", 'n' }, { NULL },
};
static const Member summary_members[] = {
  { "teams", 'n' }, { "received", 'n' }, { "acknowledged", 'n' }, { "responded", 'n' },
  { "to_acknowledge_median_ms", 'n' }, { "to_respond_median_ms", 'n' }, { "webhook_failures", 'n' },
  { "actions", 'o' }, { NULL },
};
static const Member objective_members[] = {
  { "id", 's' }, { "text", 's' }, { "actions", 'o' }, { "ratings", 'a' }, { "evidence", 'a' },
  { "notes", 'a' }, { "strengths", 'a' }, { "improvements", 'a' }, { NULL },
};
static const Member rating_members[] = {
  { "target", 'S' }, { "rating", 's' }, { "rationale", 'S' }, { "by", 'o' }, { "t_ms", 'n' },
  { "latest", 'b' }, { NULL },
};
static const Member action_members[] = {
  { "inject", 's' }, { "team", 's' }, { "action", 's' }, { "text", 's' }, { "objective", 'S' },
  { "status", 's' }, { "how", 'S' }, { "by", 'O' }, { "reviewed_at", 'S' }, { "journal_status", 's' },
  { "due_ms", 'n' }, { "t_ms", 'n' }, { "note", 'S' }, { NULL },
};
static const Member observation_members[] = {
  { "seq", 'n' }, { "t_ms", 'n' }, { "time", 's' }, { "kind", 's' }, { "text", 's' }, { "team", 'S' },
  { "inject", 'S' }, { "objective", 'S' }, { "by", 'o' }, { NULL },
};
static const Member team_members[] = {
  { "id", 's' }, { "name", 's' }, { "received", 'n' }, { "acknowledged", 'n' }, { "responded", 'n' },
  { "to_acknowledge_median_ms", 'n' }, { "to_respond_median_ms", 'n' }, { "webhook_failures", 'n' },
  { "actions", 'o' }, { "notes", 'a' }, { "strengths", 'a' }, { "improvements", 'a' }, { "injects", 'a' },
  { NULL },
};
static const Member row_members[] = {
  { "inject", 's' }, { "title", 's' }, { "fired_ms", 'n' }, { "delivered_ms", 'n' },
  { "acknowledged_ms", 'n' }, { "first_response_ms", 'n' }, { "responses", 'n' }, { "option", 'S' },
  { "actions", 'a' }, { NULL },
};
static const Member feedback_members[] = {
  { "realism_average", 'd' }, { "usefulness_average", 'd' }, { "items", 'a' }, { NULL },
};
static const Member feedback_item_members[] = {
  { "team", 's' }, { "team_name", 's' }, { "t_ms", 'n' }, { "realism", 'n' }, { "usefulness", 'n' },
  { "strengths", 'S' }, { "improvements", 'S' }, { "text", 'S' }, { NULL },
};
static const Member note_members[] = {
  { "t_ms", 'n' }, { "text", 's' }, { "author", 'S' }, { NULL },
};
static const Member plan_members[] = {
  { "what", 's' }, { "owner", 'S' }, { "due", 'S' }, { "objective", 'S' }, { "observation", 'N' },
  { "area", 'S' }, { NULL },
};

static gboolean
has_type (JsonNode *node,
          char      type)
{
  gboolean null_ok = type == 'S' || type == 'N' || type == 'd' || type == 'O';
  GType value_type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (JSON_NODE_HOLDS_NULL (node))
    return null_ok;
  switch (type)
    {
    case 's': case 'S': return value_type == G_TYPE_STRING;
    case 'n': case 'N': return value_type == G_TYPE_INT64;
    case 'd': return value_type == G_TYPE_DOUBLE || value_type == G_TYPE_INT64;
    case 'b': return value_type == G_TYPE_BOOLEAN;
    case 'o': case 'O': return JSON_NODE_HOLDS_OBJECT (node);
    case 'a': return JSON_NODE_HOLDS_ARRAY (node);
    default: g_assert_not_reached ();
    }
}

/* Exactly the documented members, each of its type. */
static void
assert_shape (JsonObject   *object,
              const Member *members,
              const char   *where)
{
  guint n = 0;

  for (; members[n].name; n++)
    {
      JsonNode *node = json_object_get_member (object, members[n].name);

      if (node == NULL || !has_type (node, members[n].type))
        g_error ("%s.%s: missing or not of type '%c'", where, members[n].name, members[n].type);
    }
  if (json_object_get_size (object) != n)
    g_error ("%s has %u members, the schema %u", where, json_object_get_size (object), n);
}

static void
assert_each (JsonObject   *object,
             const char   *array,
             const Member *members,
             const char   *where)
{
  JsonArray *items = json_object_get_array_member (object, array);
  g_autofree char *path = g_strdup_printf ("%s.%s[]", where, array);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      assert_shape (item, members, path);
      if (members == action_members && !JSON_NODE_HOLDS_NULL (json_object_get_member (item, "by")))
        assert_shape (json_object_get_object_member (item, "by"), by_members, path);
      if (members == rating_members || members == observation_members)
        assert_shape (json_object_get_object_member (item, "by"), by_members, path);
    }
}

static JsonObject *
find_by_id (JsonArray  *array,
            const char *member,
            const char *id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (o, member, NULL), id) == 0)
        return o;
    }
  g_assert_not_reached ();
}

static void
test_eval_json (Eval          *e,
                gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *o1, *o2, *b, *action, *feedback;
  JsonArray *evidence;

  wc_review_set_judgement (e->review, "D", "c", "decide", WC_VERDICT_NA, NULL, "Ann Reviewer", NULL);
  wc_review_add_improvement (e->review, "Escalation drill", NULL, NULL)->objective = g_strdup ("O1");
  text = eval_report (e, WC_REPORT_JSON);
  assert_no_token (e, text);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  assert_shape (root, report_members, "$");
  assert_shape (json_object_get_object_member (root, "exercise"), exercise_members, "$.exercise");
  assert_shape (json_object_get_object_member (root, "journal"), journal_members, "$.journal");
  assert_each (root, "staff", staff_members, "$");
  assert_shape (json_object_get_object_member (root, "summary"), summary_members, "$.summary");
  assert_shape (json_object_get_object_member (json_object_get_object_member (root, "summary"), "actions"),
                counts_members, "$.summary.actions");
  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (root, "objectives")); i++)
    {
      JsonObject *o = json_array_get_object_element (json_object_get_array_member (root, "objectives"), i);

      assert_shape (o, objective_members, "$.objectives[]");
      assert_shape (json_object_get_object_member (o, "actions"), counts_members, "$.objectives[].actions");
      assert_each (o, "ratings", rating_members, "$.objectives[]");
      assert_each (o, "evidence", action_members, "$.objectives[]");
      assert_each (o, "strengths", observation_members, "$.objectives[]");
      assert_each (o, "improvements", observation_members, "$.objectives[]");
      assert_each (o, "notes", observation_members, "$.objectives[]");
    }
  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (root, "teams")); i++)
    {
      JsonObject *t = json_array_get_object_element (json_object_get_array_member (root, "teams"), i);
      JsonArray *rows = json_object_get_array_member (t, "injects");

      assert_shape (t, team_members, "$.teams[]");
      assert_each (t, "strengths", observation_members, "$.teams[]");
      assert_each (t, "improvements", observation_members, "$.teams[]");
      assert_each (t, "injects", row_members, "$.teams[]");
      for (guint k = 0; k < json_array_get_length (rows); k++)
        assert_each (json_array_get_object_element (rows, k), "actions", action_members, "$.teams[].injects[]");
    }
  feedback = json_object_get_object_member (root, "feedback");
  assert_shape (feedback, feedback_members, "$.feedback");
  assert_each (feedback, "items", feedback_item_members, "$.feedback");
  assert_each (root, "observations", observation_members, "$");
  assert_each (root, "notes", note_members, "$");
  assert_each (root, "improvement_plan", plan_members, "$");

  /* and the values: exactly the results of the journal and the review */
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "whitecell-report");
  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "draft");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (root, "journal"), "sound"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "staff")), ==, 2);
  o1 = find_by_id (json_object_get_array_member (root, "objectives"), "id", "O1");
  o2 = find_by_id (json_object_get_array_member (root, "objectives"), "id", "O2");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o1, "actions"), "not-assessed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o1, "actions"), "na"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o2, "actions"), "not-assessed"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o2, "actions"), "not-met"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o1, "ratings")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o2, "ratings")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o1, "strengths")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o1, "improvements")), ==, 1);
  evidence = json_object_get_array_member (o1, "evidence");
  g_assert_cmpuint (json_array_get_length (evidence), ==, 6);
  action = json_array_get_object_element (evidence, 2);  /* D, b, decide (a: decide, brief) */
  g_assert_cmpstr (json_object_get_string_member (action, "team"), ==, "b");
  g_assert_cmpstr (json_object_get_string_member (action, "status"), ==, "not-met");
  g_assert_cmpstr (json_object_get_string_member (action, "how"), ==, "staff");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (action, "by"), "name"), ==,
                   "Eve Evaluator");
  action = json_array_get_object_element (evidence, 4);  /* D, c, decide: in review */
  g_assert_cmpstr (json_object_get_string_member (action, "how"), ==, "review");
  g_assert_cmpstr (json_object_get_string_member (action, "journal_status"), ==, "not-assessed");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (action, "by"), "name"), ==,
                   "Ann Reviewer");
  action = json_array_get_object_element (evidence, 0);  /* D, a, decide: the rule */
  g_assert_cmpstr (json_object_get_string_member (action, "how"), ==, "rule");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (action, "by")));
  g_assert_cmpfloat (json_object_get_double_member (feedback, "realism_average"), ==, 3.0);
  g_assert_cmpfloat (json_object_get_double_member (feedback, "usefulness_average"), ==, 5.0);
  b = find_by_id (json_object_get_array_member (feedback, "items"), "team", "b");
  g_assert_cmpstr (json_object_get_string_member (b, "improvements"), ==, "More realism[U+202E]");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (root, "improvement_plan"), 0), "area"),
                   ==, "Decide in time");
}

/* `whitecellctl report -o` writes the report as privately as the journal: 0600 whatever the
 * umask, also over a report that was world-readable. */
static void
test_cli_private (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *scenario = g_build_filename (f->dir, "review.json", NULL);
  g_autofree char *report = g_build_filename (f->dir, "report.html", NULL);
  g_autofree char *command = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  int status;
  mode_t umask_before = umask (022);

  g_assert_true (g_file_set_contents (scenario, scenario_json, -1, NULL));
  g_assert_true (g_file_set_contents (report, "old", -1, NULL));
  g_assert_cmpint (g_chmod (report, 0644), ==, 0);
  command = g_strdup_printf ("%s report %s -s %s -o %s", g_getenv ("WC_CTL"), f->path, scenario,
                             report);
  g_assert_true (g_spawn_command_line_sync (command, NULL, &err, &status, &error));
  umask (umask_before);
  g_assert_no_error (error);
  g_test_message ("%s\n%s", command, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpint (g_stat (report, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, >, 3);

  /* on paper, the marking and the footer sit in the page's margins, never over the text */
  {
    g_autofree char *html = NULL;

    g_assert_true (g_file_get_contents (report, &html, NULL, NULL));
    g_assert_nonnull (strstr (html, "@top-right { content: \"TLP:RED\""));
    g_assert_nonnull (strstr (html, "counter(page) \" / \" counter(pages)"));
    g_assert_nonnull (strstr (html, ".tlp, .foot { display: none; }"));
  }
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
  ADD ("cli-private", test_cli_private);
#undef ADD
#define ADD_EVAL(name, func) \
  g_test_add ("/whitecell/report/evaluation/" name, Eval, NULL, eval_setup, func, eval_teardown)
  ADD_EVAL ("metrics", test_eval_metrics);
  ADD_EVAL ("html-markdown", test_eval_html_markdown);
  ADD_EVAL ("review", test_eval_review);
  ADD_EVAL ("csv", test_eval_csv);
  ADD_EVAL ("json", test_eval_json);
#undef ADD_EVAL
  g_test_add_func ("/whitecell/report/csv-formulas", test_csv_formulas);
  g_test_add_func ("/whitecell/report/invisible-shown", test_invisible_shown);
  g_test_add_func ("/whitecell/report/show-invisible", test_show_invisible);
  return g_test_run ();
}
