/* test-loader.c: the scenario loader finds every class of problem, with its line. */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test-util.h"
#include "wc-scenario-loader.h"

typedef struct {
  const char *fixture;
  WcSeverity  severity;
  guint       line;
  const char *message;  /* a part of the finding's message */
  const char *path;     /* nullable */
  const char *hint;     /* nullable; a part of the hint */
} FindingCase;

static const FindingCase finding_cases[] = {
  { "malformed", WC_SEVERITY_ERROR, 20, "expected ',' or '}' after the member \"to\"", NULL, NULL },
  { "wrong-type", WC_SEVERITY_ERROR, 3, "expected the number 1, found a string", "$.version", NULL },
  { "missing-field", WC_SEVERITY_ERROR, 4, "required field \"tlp\" is missing", "$.exercise.tlp", NULL },
  { "unknown-field", WC_SEVERITY_WARNING, 10, "unknown field \"objectivs\"", "$.exercise.objectivs",
    "did you mean \"objectives\"?" },
  { "duplicate-id", WC_SEVERITY_ERROR, 14, "duplicate team id \"csirt\" (first used on line 13)",
    "$.teams[1].id", NULL },
  { "unknown-team", WC_SEVERITY_ERROR, 20, "unknown team \"csirtt\"", "$.injects[0].to[0]",
    "did you mean \"csirt\"?" },
  { "unknown-actor", WC_SEVERITY_ERROR, 21, "unknown actor \"journalist\"", "$.injects[1].from", NULL },
  { "unknown-objective", WC_SEVERITY_ERROR, 22, "unknown objective \"O9\"",
    "$.injects[1].expected_actions[0].objective", NULL },
  { "unknown-inject", WC_SEVERITY_ERROR, 20, "the trigger refers to unknown inject \"I7\"",
    "$.injects[0].trigger.inject", NULL },
  { "bad-time", WC_SEVERITY_ERROR, 21, "\"T+00:61\" is not a valid time", "$.injects[1].at", "T+HH:MM" },
  { "after-end", WC_SEVERITY_ERROR, 23, "inject fires at T+03:30, after the end of the exercise (T+02:00)",
    "$.injects[2].at", NULL },
  { "cycle", WC_SEVERITY_ERROR, 20, "triggers form a cycle: I1 → I1", "$.injects[0].trigger", NULL },
  { "missing-attachment", WC_SEVERITY_ERROR, 20,
    "attachment file \"attachments/nothere.pdf\" does not exist",
    "$.injects[0].attachments[0].file", NULL },
  { "attachment-outside", WC_SEVERITY_ERROR, 20, "must be a path inside the scenario's folder",
    "$.injects[0].attachments[0].file", NULL },
  { "missing-language", WC_SEVERITY_ERROR, 6, "the text in \"fr\" is missing", "$.exercise.title", NULL },
  { "unoffered-language", WC_SEVERITY_ERROR, 6, "language \"de\" is not offered by the exercise",
    "$.exercise.title.de", NULL },
  { "decision-no-options", WC_SEVERITY_ERROR, 23, "a decision inject needs \"options\"",
    "$.injects[2]", NULL },
  { "contingency-team", WC_SEVERITY_ERROR, 21, "team \"ncc\" does not receive inject \"I1\"",
    "$.injects[1].to", NULL },
  { "duplicate-member", WC_SEVERITY_ERROR, 5, "field \"id\" is given twice", NULL, NULL },
  { "version", WC_SEVERITY_ERROR, 3, "format version 2 is not one this Whitecell reads", "$.version",
    NULL },
  { "absurd-duration", WC_SEVERITY_ERROR, 10, "a duration over 14 days", "$.exercise.duration", NULL },
};

static char *
fixture_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".json", NULL);

  return g_test_build_filename (G_TEST_DIST, "fixtures", "scenario", file, NULL);
}

static void
test_finding (gconstpointer data)
{
  const FindingCase *c = data;
  g_autofree char *path = fixture_path (c->fixture);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(WcScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;
  const WcDiagnostic *found = NULL;

  scenario = wc_scenario_load (path, diag, &error);
  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      const WcDiagnostic *d = wc_diagnostics_get_item (diag, i);

      if (strstr (d->message, c->message))
        found = d;
    }
  if (found == NULL)
    for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
      g_test_message ("finding: %s", wc_diagnostics_get_item (diag, i)->message);
  g_assert_nonnull (found);
  g_assert_cmpint (found->severity, ==, c->severity);
  g_assert_cmpuint (found->line, ==, c->line);
  g_assert_cmpuint (found->column, >, 0);
  g_assert_cmpstr (found->file, ==, path);
  if (c->path)
    g_assert_cmpstr (found->path, ==, c->path);
  if (c->hint)
    g_assert_true (found->hint && strstr (found->hint, c->hint));
  if (c->severity == WC_SEVERITY_ERROR)
    {
      g_assert_null (scenario);
      g_assert_error (error, WC_SCENARIO_ERROR, WC_SCENARIO_ERROR_INVALID);
    }
  else
    {
      g_assert_nonnull (scenario);
      g_assert_no_error (error);
    }
}

static void
test_format_line (void)
{
  g_autofree char *path = fixture_path ("unknown-team");
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("unknown-team.json");
  g_autoptr(WcScenario) scenario = wc_scenario_load (path, diag, NULL);
  g_autofree char *line = NULL;

  g_assert_null (scenario);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 1);
  line = wc_diagnostic_format (wc_diagnostics_get_item (diag, 0));
  g_assert_cmpstr (line, ==, "unknown-team.json:20:62: error: unknown team \"csirtt\" "
                             "(at $.injects[0].to[0]); did you mean \"csirt\"?");
}

/* Every problem in one pass, in the order of the file. */
static void
test_many_problems (void)
{
  g_autofree char *path = fixture_path ("many-problems");
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(WcScenario) scenario = wc_scenario_load (path, diag, NULL);
  const char *expected[] = {
    "required field \"title\"", "unknown field \"titel\"", "unknown tlp \"AMBR\"",
    "the text in \"fr\" is missing", "duplicate team id", "unknown kind \"operatr\"",
    "is not a valid time", "unknown team \"ncc\"", "a decision inject needs",
    "triggers form a cycle: I2 → I3 → I2", "unknown actor \"press\"", "after the end of the exercise",
    "must be a path inside", "does not exist", "field \"title\" is given twice",
  };
  guint last_line = 0;

  g_assert_null (scenario);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gboolean found = FALSE;

      for (guint k = 0; k < wc_diagnostics_get_n_items (diag) && !found; k++)
        found = strstr (wc_diagnostics_get_item (diag, k)->message, expected[i]) != NULL;
      if (!found)
        g_error ("no finding says “%s”", expected[i]);
    }
  for (guint k = 0; k < wc_diagnostics_get_n_items (diag); k++)
    {
      g_assert_cmpuint (wc_diagnostics_get_item (diag, k)->line, >=, last_line);
      last_line = wc_diagnostics_get_item (diag, k)->line;
    }
}

typedef struct {
  const char *name;
  const char *data;
  guint       line;
  guint       column;
  const char *message;
} SyntaxCase;

static const SyntaxCase syntax_cases[] = {
  { "empty", "", 1, 1, "the file ends where a value was expected" },
  { "trailing-comma", "{\"a\": [1, 2,]}", 1, 13, "a comma must not come before ']'" },
  { "single-quotes", "{\"a\": 'x'}", 1, 7, "strings must be in double quotes" },
  { "comment", "{\n  // note\n  \"a\": 1}", 2, 3, "expected a member name" },
  { "unclosed-string", "{\"a\": \"abc\n}", 1, 11, "not closed before the end of the line" },
  { "unclosed-object", "{\"a\": 1", 1, 8, "the file ends inside an object" },
  { "bad-escape", "{\"a\": \"\\q\"}", 1, 8, "unknown escape \\q" },
  { "lone-surrogate", "{\"a\": \"\\udc00\"}", 1, 8, "lone UTF-16 low surrogate" },
  { "invalid-utf8", "{\"a\": \"caf\xc3\x28\"}", 1, 11, "invalid UTF-8" },
  { "garbage-after", "{} x", 1, 4, "unexpected text after the end" },
  { "nul-byte", "{\"a\"\0: 1}", 1, 5, "NUL byte" },
  { "bad-number", "{\"a\": 01}", 1, 8, "expected ',' or '}'" },
  { "not-object", "[1, 2]", 1, 1, "a scenario is a JSON object, found an array" },
  { "columns-in-characters", "{\"é\": \"ü\", x}", 1, 12, "expected a member name" },
};

static void
test_syntax (gconstpointer data)
{
  const SyntaxCase *c = data;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("inline.json");
  gsize len = strlen (c->data);
  g_autoptr(WcScenario) scenario = NULL;
  const WcDiagnostic *d;

  if (strcmp (c->name, "nul-byte") == 0)
    len = 9;
  scenario = wc_scenario_load_data (c->data, len, NULL, diag, NULL);
  g_assert_null (scenario);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), >=, 1);
  d = wc_diagnostics_get_item (diag, 0);
  g_test_message ("%s", d->message);
  g_assert_nonnull (strstr (d->message, c->message));
  g_assert_cmpuint (d->line, ==, c->line);
  g_assert_cmpuint (d->column, ==, c->column);
}

static void
test_deep_nesting (void)
{
  GString *s = g_string_new (NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("deep.json");
  g_autoptr(WcScenario) scenario = NULL;

  for (int i = 0; i < 100000; i++)
    g_string_append_c (s, '[');
  scenario = wc_scenario_load_data (s->str, s->len, NULL, diag, NULL);
  g_assert_null (scenario);
  g_assert_nonnull (strstr (wc_diagnostics_get_item (diag, 0)->message, "nested more than"));
  g_string_free (s, TRUE);
}

static char *
read_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  return data;
}

static void
test_huge_text (void)
{
  g_autofree char *base = read_fixture ("valid");
  g_autofree char *big = g_strnfill (WC_SCENARIO_MAX_TEXT + 10, 'x');
  g_autofree char *body = g_strdup_printf ("\"body\": \"%s\"", big);
  g_auto(GStrv) parts = g_strsplit (base, "\"body\": \"The SOC asks again whether anyone has notified the CSIRT.\"", 2);
  g_autofree char *doc = g_strjoin (body, parts[0], parts[1], NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("huge.json");
  g_autoptr(WcScenario) scenario = NULL;

  g_assert_nonnull (parts[1]);
  scenario = wc_scenario_load_data (doc, strlen (doc), NULL, diag, NULL);
  g_assert_null (scenario);
  g_assert_nonnull (strstr (wc_diagnostics_get_item (diag, 0)->message, "is longer than"));
  g_assert_cmpstr (wc_diagnostics_get_item (diag, 0)->path, ==, "$.injects[1].body");
}

static void
test_valid (void)
{
  g_autofree char *path = fixture_path ("valid");
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) s = wc_scenario_load (path, diag, &error);
  const WcInject *i2, *i4, *i5;
  const WcTeam *aquaflow;

  g_assert_no_error (error);
  g_assert_nonnull (s);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
  g_assert_cmpstr (wc_scenario_get_id (s), ==, "example-water");
  g_assert_cmpstr (wc_text_get (wc_scenario_get_title (s), "nl", NULL), ==, "Inbraak bij een waterbedrijf");
  g_assert_cmpint (wc_scenario_get_tlp (s), ==, WC_TLP_AMBER);
  g_assert_cmpint (wc_scenario_get_duration_ms (s), ==, 2 * 3600 * 1000);
  g_assert_cmpstr (wc_scenario_get_default_language (s), ==, "en");
  g_assert_cmpuint (g_strv_length ((GStrv) wc_scenario_get_languages (s)), ==, 3);
  g_assert_cmpuint (wc_scenario_get_n_teams (s), ==, 3);
  g_assert_cmpuint (wc_scenario_get_n_injects (s), ==, 5);
  g_assert_cmpuint (strlen (wc_scenario_get_sha256 (s)), ==, 64);

  aquaflow = wc_scenario_find_team (s, "aquaflow");
  g_assert_cmpint (aquaflow->kind, ==, WC_TEAM_KIND_OPERATOR);
  g_assert_cmpstr (aquaflow->language, ==, "nl");
  g_assert_cmpstr (aquaflow->webhook, ==, "https://soc.aquaflow.example/whitecell");

  i2 = wc_scenario_find_inject (s, "I-002");
  g_assert_cmpint (i2->trigger, ==, WC_TRIGGER_NO_RESPONSE);
  g_assert_cmpstr (i2->trigger_inject, ==, "I-001");
  g_assert_cmpint (i2->at_ms, ==, 30 * 60 * 1000);
  /* "all" in a contingency means the recipients of the inject it watches */
  g_assert_cmpuint (i2->to->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (i2->to, 0), ==, "aquaflow");

  i4 = wc_scenario_find_inject (s, "I-004");
  g_assert_cmpint (i4->trigger, ==, WC_TRIGGER_AFTER);
  g_assert_cmpint (i4->at_ms, ==, 55 * 60 * 1000);
  g_assert_true (i4->to_all);
  g_assert_cmpuint (i4->to->len, ==, 3);

  i5 = wc_scenario_find_inject (s, "I-005");
  g_assert_cmpint (i5->trigger, ==, WC_TRIGGER_MANUAL);
  g_assert_cmpint (i5->at_ms, ==, -1);
  g_assert_cmpstr (i5->notes, ==, "Fire if the NCC waited.");

  g_assert_cmpuint (wc_scenario_find_inject (s, "I-003")->options->len, ==, 2);
  {
    const WcInject *i1 = wc_scenario_find_inject (s, "I-001");
    const WcExpectedAction *a = g_ptr_array_index (i1->expected_actions, 0);
    const WcAttachment *att = g_ptr_array_index (i1->attachments, 0);

    g_assert_cmpstr (a->id, ==, "a1");
    g_assert_cmpint (a->deadline_ms, ==, 30 * 60 * 1000);
    g_assert_cmpstr (a->objective, ==, "O1");
    g_assert_cmpstr (att->media_type, ==, "text/plain");
    g_assert_cmpstr (wc_text_get (i1->title, "fr", "en"), ==, "Comptes administrateur inconnus");
  }
}

/* Writes @a, reads it back and writes it again: cleanly, and to the same text (in @data_out). */
static WcScenario *
write_read (WcScenario  *a,
            const char  *dir,
            char       **data_out)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("written.json");
  g_autofree char *data1 = NULL;
  g_autofree char *data2 = NULL;
  WcScenario *b;
  gsize len;

  g_assert_nonnull (a);
  data1 = wc_scenario_to_data (a, &len);
  b = wc_scenario_load_data (data1, len, dir, diag, NULL);
  g_assert_nonnull (b);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
  data2 = wc_scenario_to_data (b, NULL);
  g_assert_cmpstr (data1, ==, data2);
  if (data_out)
    *data_out = g_steal_pointer (&data1);
  return b;
}

/* The writer gives back a document the loader reads to the same model. */
static void
test_write_read (void)
{
  g_autofree char *path = fixture_path ("valid");
  g_autoptr(WcDiagnostics) d1 = wc_diagnostics_new (path);
  g_autoptr(WcScenario) a = wc_scenario_load (path, d1, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(WcScenario) b = write_read (a, dir, NULL);

  g_assert_cmpuint (wc_scenario_get_n_injects (b), ==, wc_scenario_get_n_injects (a));
  for (guint i = 0; i < wc_scenario_get_n_injects (a); i++)
    g_assert_cmpint (wc_scenario_get_inject (a, i)->at_ms, ==, wc_scenario_get_inject (b, i)->at_ms);
}


/* Where @at is in @doc, as the loader counts: 1-based line and column. */
static void
position_at (const char *doc,
             const char *at,
             guint      *line,
             guint      *column)
{
  const char *line_start = doc;

  *line = 1;
  for (const char *p = doc; p < at; p++)
    if (*p == '\n')
      {
        (*line)++;
        line_start = p + 1;
      }
  *column = g_utf8_strlen (line_start, at - line_start) + 1;
}

/* Where @needle first is in @doc. */
static void
position_of (const char *doc,
             const char *needle,
             guint      *line,
             guint      *column)
{
  const char *at = strstr (doc, needle);

  g_assert_nonnull (at);
  position_at (doc, at, line, column);
}

/* Staff and judging rules --------------------------------------------------------------------- */

static const char evaluation_template[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"judging\", \"title\": \"Judging\", \"tlp\": \"AMBER\", \"duration\": \"T+01:00\"},\n"
  " \"teams\": [{\"id\": \"ncc\", \"name\": \"NCC\", \"kind\": \"crisis-centre\"}],\n"
  " \"staff\": [\n"
  "  %s\n"
  " ],\n"
  " \"injects\": [\n"
  "  {\"id\": \"I1\", \"at\": \"T+00:10\", \"channel\": \"decision\", \"to\": \"all\", \"title\": \"T\", \"body\": \"B\",\n"
  "   \"options\": [{\"id\": \"warn\", \"text\": \"Warn\"}, {\"id\": \"wait\", \"text\": \"Wait\"}],\n"
  "   \"expected_actions\": [{\"text\": \"Decide\", \"deadline\": \"00:20\", \"judge\": %s},\n"
  "                        {\"id\": \"tell\", \"text\": \"Tell the teams\"}]},\n"
  "  {\"id\": \"I2\", \"at\": \"T+00:20\", \"channel\": \"email\", \"to\": \"all\", \"title\": \"T\", \"body\": \"B\",\n"
  "   \"expected_actions\": [{\"text\": \"Confirm\", \"judge\": %s}]}\n"
  " ]}\n";

static const char valid_staff[] =
  "{\"id\": \"dir\", \"name\": \"Annelies Verbruggen\", \"role\": \"director\"},\n"
  "  {\"id\": \"ctl\", \"name\": \"Mathieu Lambert\", \"role\": \"controller\"},\n"
  "  {\"id\": \"ev1\", \"name\": \"Sofie Peeters\", \"role\": \"evaluator\"},\n"
  "  {\"id\": \"obs\", \"name\": \"Luc Dubois\", \"role\": \"observer\"}";

typedef struct {
  const char *name;
  const char *staff;     /* NULL: valid_staff */
  const char *judge;     /* of I1's first action */
  const char *judge2;    /* of I2's action */
  const char *at;        /* where the finding must be: the start of this ("+x": the second x) */
  const char *message;
  const char *path;
  const char *hint;      /* a part of the hint */
} EvaluationCase;

static const EvaluationCase evaluation_cases[] = {
  { "judge-unknown-option", NULL, "\"option:alert\"", "\"answer\"", "\"option:alert\"",
    "\"alert\" is not an option of this inject", "$.injects[0].expected_actions[0].judge",
    "the inject's options" },
  /* an email has no options at all */
  { "judge-option-no-options", NULL, "\"option:warn\"", "\"option:warn\"", "+\"option:warn\"",
    "\"warn\" is not an option of this inject", "$.injects[1].expected_actions[0].judge",
    "the inject's options" },
  { "judge-unknown-word", NULL, "\"automatic\"", "\"answer\"", "\"automatic\"",
    "unknown way to judge \"automatic\"", "$.injects[0].expected_actions[0].judge",
    "manual, acknowledge, answer or option:ID" },
  /* the words are the format's, in lowercase, as every other word in it */
  { "judge-case", NULL, "\"Answer\"", "\"answer\"", "\"Answer\"",
    "unknown way to judge \"Answer\"", "$.injects[0].expected_actions[0].judge", "answer" },
  { "judge-not-string", NULL, "true", "\"answer\"", "true",
    "expected a string", "$.injects[0].expected_actions[0].judge", NULL },
  { "staff-unknown-role", "{\"id\": \"ev\", \"name\": \"E\", \"role\": \"evaluater\"}",
    "\"answer\"", "\"answer\"", "\"evaluater\"", "unknown role \"evaluater\"", "$.staff[0].role",
    "director, controller, evaluator, observer" },
  { "staff-duplicate-id",
    "{\"id\": \"ev\", \"name\": \"E\", \"role\": \"evaluator\"},\n"
    "  {\"name\": \"F\", \"id\": \"ev\", \"role\": \"observer\"}",
    "\"answer\"", "\"answer\"", "+\"ev\"", "duplicate staff member id \"ev\" (first used on line 5)",
    "$.staff[1].id", NULL },
  { "staff-missing-name", "{\"id\": \"ev\", \"role\": \"evaluator\"}", "\"answer\"", "\"answer\"",
    "{\"id\": \"ev\"", "required field \"name\" is missing", "$.staff[0].name", NULL },
};

static char *
evaluation_doc (const char *staff,
                const char *judge,
                const char *judge2)
{
  return g_strdup_printf (evaluation_template, staff ? staff : valid_staff, judge, judge2);
}

static void
test_evaluation_finding (gconstpointer data)
{
  const EvaluationCase *c = data;
  g_autofree char *doc = evaluation_doc (c->staff, c->judge, c->judge2);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("judging.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) scenario = wc_scenario_load_data (doc, strlen (doc), NULL, diag, &error);
  const WcDiagnostic *d;
  const char *needle = c->at;
  const char *at;
  guint line, column;

  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      g_autofree char *text = wc_diagnostic_format (wc_diagnostics_get_item (diag, i));

      g_test_message ("%s", text);
    }
  g_assert_null (scenario);
  g_assert_error (error, WC_SCENARIO_ERROR, WC_SCENARIO_ERROR_INVALID);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 1);
  d = wc_diagnostics_get_item (diag, 0);
  g_assert_cmpint (d->severity, ==, WC_SEVERITY_ERROR);
  g_assert_nonnull (strstr (d->message, c->message));
  g_assert_cmpstr (d->path, ==, c->path);
  if (c->hint)
    g_assert_true (d->hint && strstr (d->hint, c->hint));
  /* "+x": the second x in the document */
  at = strstr (doc, needle + (*needle == '+'));
  if (*needle == '+')
    at = strstr (at + 1, needle + 1);
  g_assert_nonnull (at);
  position_at (doc, at, &line, &column);
  g_assert_cmpuint (d->line, ==, line);
  g_assert_cmpuint (d->column, ==, column);
}

/* Every rule and every role, read as written. */
static void
test_evaluation_valid (void)
{
  g_autofree char *doc = evaluation_doc (NULL, "\"option:wait\"", "\"acknowledge\"");
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("judging.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) s = wc_scenario_load_data (doc, strlen (doc), NULL, diag, &error);
  static const WcStaffRole roles[] = {
    WC_STAFF_DIRECTOR, WC_STAFF_CONTROLLER, WC_STAFF_EVALUATOR, WC_STAFF_OBSERVER
  };
  const WcExpectedAction *a;

  g_assert_no_error (error);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
  g_assert_cmpuint (wc_scenario_get_n_staff (s), ==, G_N_ELEMENTS (roles));
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    g_assert_cmpint (wc_scenario_get_staff (s, i)->role, ==, roles[i]);
  g_assert_cmpstr (wc_scenario_find_staff (s, "ev1")->name, ==, "Sofie Peeters");
  g_assert_null (wc_scenario_find_staff (s, "nobody"));

  a = g_ptr_array_index (wc_scenario_find_inject (s, "I1")->expected_actions, 0);
  g_assert_cmpint (a->judge, ==, WC_JUDGE_OPTION);
  g_assert_cmpstr (a->judge_option, ==, "wait");
  /* no "judge": a person judges it */
  a = g_ptr_array_index (wc_scenario_find_inject (s, "I1")->expected_actions, 1);
  g_assert_cmpint (a->judge, ==, WC_JUDGE_MANUAL);
  g_assert_null (a->judge_option);
  a = g_ptr_array_index (wc_scenario_find_inject (s, "I2")->expected_actions, 0);
  g_assert_cmpint (a->judge, ==, WC_JUDGE_ACKNOWLEDGE);
  g_free (doc);
  g_clear_object (&s);

  doc = evaluation_doc (NULL, "\"manual\"", "\"answer\"");
  g_clear_pointer (&diag, wc_diagnostics_unref);
  diag = wc_diagnostics_new ("judging.json");
  s = wc_scenario_load_data (doc, strlen (doc), NULL, diag, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
  g_assert_cmpint (((WcExpectedAction *) g_ptr_array_index (wc_scenario_find_inject (s, "I1")->expected_actions, 0))->judge,
                   ==, WC_JUDGE_MANUAL);
  g_assert_cmpint (((WcExpectedAction *) g_ptr_array_index (wc_scenario_find_inject (s, "I2")->expected_actions, 0))->judge,
                   ==, WC_JUDGE_ANSWER);
}

/* The writer keeps the staff and the rules. */
static void
test_evaluation_write_read (void)
{
  g_autofree char *doc = evaluation_doc (NULL, "\"option:warn\"", "\"answer\"");
  g_autoptr(WcDiagnostics) d1 = wc_diagnostics_new ("judging.json");
  g_autoptr(WcScenario) a = wc_scenario_load_data (doc, strlen (doc), NULL, d1, NULL);
  g_autofree char *data = NULL;
  g_autoptr(WcScenario) b = write_read (a, NULL, &data);

  g_assert_cmpuint (wc_scenario_get_n_staff (b), ==, wc_scenario_get_n_staff (a));
  for (guint i = 0; i < wc_scenario_get_n_staff (a); i++)
    {
      const WcStaff *x = wc_scenario_get_staff (a, i);
      const WcStaff *y = wc_scenario_get_staff (b, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpint (x->role, ==, y->role);
    }
  for (guint i = 0; i < wc_scenario_get_n_injects (a); i++)
    {
      const WcInject *x = wc_scenario_get_inject (a, i);
      const WcInject *y = wc_scenario_get_inject (b, i);

      g_assert_cmpuint (x->expected_actions->len, ==, y->expected_actions->len);
      for (guint k = 0; k < x->expected_actions->len; k++)
        {
          const WcExpectedAction *p = g_ptr_array_index (x->expected_actions, k);
          const WcExpectedAction *q = g_ptr_array_index (y->expected_actions, k);

          g_assert_cmpint (p->judge, ==, q->judge);
          g_assert_cmpstr (p->judge_option, ==, q->judge_option);
        }
    }
  /* the second action of I1 is judged by a person: the writer says nothing of it */
  g_assert_nonnull (strstr (data, "\"judge\" : \"option:warn\""));
  g_assert_nonnull (strstr (data, "\"judge\" : \"answer\""));
  g_assert_null (strstr (data, "\"manual\""));
  g_assert_nonnull (strstr (data, "\"role\" : \"observer\""));
}

/* Hostile files ------------------------------------------------------------------------------- */

static const char attachment_template[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"files\", \"title\": \"Files\", \"tlp\": \"AMBER\", \"duration\": \"T+01:00\"},\n"
  " \"teams\": [{\"id\": \"csirt\", \"name\": \"CSIRT\", \"kind\": \"csirt\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"I1\", \"at\": \"T+00:10\", \"channel\": \"email\", \"to\": \"all\", \"title\": \"T\", \"body\": \"B\",\n"
  "   \"attachments\": [{\"media_type\": \"text/plain\", \"file\": \"%s\"}]}\n"
  " ]}\n";

/* A folder with scenario.json naming @file, attachments/ with ok.txt in it, and whatever
 * @prepare puts there. */
typedef struct {
  const char *name;
  const char *file;      /* the attachment's "file" */
  const char *link;      /* nullable: attachments/<link_name> is a symbolic link to this */
  const char *link_name;
  gboolean    fifo;      /* attachments/pipe is a FIFO */
  gsize       sparse;    /* > 0: attachments/big.bin has this size */
  const char *message;   /* NULL: the scenario loads without a finding */
} AttachmentCase;

static const AttachmentCase attachment_cases[] = {
  { "regular", "attachments/ok.txt", NULL, NULL, FALSE, 0, NULL },
  { "link-outside", "attachments/x", "/etc/passwd", "x", FALSE, 0, "symbolic link" },
  /* even a link that stays inside: it could be pointed elsewhere after validation */
  { "link-inside", "attachments/x", "ok.txt", "x", FALSE, 0, "symbolic link" },
  { "link-dangling", "attachments/x", "gone.txt", "x", FALSE, 0, "symbolic link" },
  { "folder-link", "attachments/etc/passwd", "/etc", "etc", FALSE, 0, "symbolic link" },
  { "dot-dot", "../x", NULL, NULL, FALSE, 0, "must be a path inside the scenario's folder" },
  { "dot-dot-inside", "attachments/../attachments/ok.txt", NULL, NULL, FALSE, 0,
    "must be a path inside the scenario's folder" },
  { "absolute", "/etc/passwd", NULL, NULL, FALSE, 0, "must be a path inside the scenario's folder" },
  { "fifo", "attachments/pipe", NULL, NULL, TRUE, 0, "is not a regular file" },
  { "folder", "attachments", NULL, NULL, FALSE, 0, "is not a regular file" },
  { "missing", "attachments/none.txt", NULL, NULL, FALSE, 0, "does not exist" },
  { "too-large", "attachments/big.bin", NULL, NULL, FALSE, WC_SCENARIO_MAX_ATTACHMENT_SIZE + 1,
    "is larger than 50 MiB, the most an attachment may be" },
  { "at-the-bound", "attachments/big.bin", NULL, NULL, FALSE, WC_SCENARIO_MAX_ATTACHMENT_SIZE, NULL },
};

static void
make_sparse (const char *path,
             gsize       size)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, size), ==, 0);
  g_assert_true (g_close (fd, NULL));
}


static void
test_attachment (gconstpointer data)
{
  const AttachmentCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("whitecell-attachment-XXXXXX", &error);
  g_autofree char *sub = g_build_filename (dir, "attachments", NULL);
  g_autofree char *ok = g_build_filename (sub, "ok.txt", NULL);
  g_autofree char *path = g_build_filename (dir, "scenario.json", NULL);
  g_autofree char *doc = g_strdup_printf (attachment_template, c->file);
  g_autofree char *member = g_strdup_printf ("\"file\": \"%s\"", c->file);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(WcScenario) scenario = NULL;
  const WcDiagnostic *d;
  guint line, column;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_assert_true (g_file_set_contents (ok, "a note", -1, NULL));
  g_assert_true (g_file_set_contents (path, doc, -1, NULL));
  if (c->link)
    {
      g_autofree char *link = g_build_filename (sub, c->link_name, NULL);

      g_assert_cmpint (symlink (c->link, link), ==, 0);
    }
  if (c->fifo)
    {
      g_autofree char *pipe = g_build_filename (sub, "pipe", NULL);

      g_assert_cmpint (mkfifo (pipe, 0600), ==, 0);
    }
  if (c->sparse)
    {
      g_autofree char *big = g_build_filename (sub, "big.bin", NULL);

      make_sparse (big, c->sparse);
    }

  scenario = wc_scenario_load (path, diag, &error);
  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      g_autofree char *text = wc_diagnostic_format (wc_diagnostics_get_item (diag, i));

      g_test_message ("%s", text);
    }
  if (c->message == NULL)
    {
      g_assert_no_error (error);
      g_assert_nonnull (scenario);
      g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
    }
  else
    {
      g_assert_error (error, WC_SCENARIO_ERROR, WC_SCENARIO_ERROR_INVALID);
      g_assert_null (scenario);
      g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 1);
      d = wc_diagnostics_get_item (diag, 0);
      g_assert_cmpint (d->severity, ==, WC_SEVERITY_ERROR);
      g_assert_nonnull (strstr (d->message, c->message));
      g_assert_nonnull (strstr (d->message, c->file));
      /* at the "file" field's value */
      position_of (doc, member, &line, &column);
      column += strlen ("\"file\": ");
      g_assert_cmpstr (d->file, ==, path);
      g_assert_cmpuint (d->line, ==, line);
      g_assert_cmpuint (d->column, ==, column);
      g_assert_cmpstr (d->path, ==, "$.injects[0].attachments[0].file");
    }
  wc_test_remove_dir (sub);
  wc_test_remove_dir (dir);
}

typedef enum {
  SCENARIO_DEV_ZERO,
  SCENARIO_FIFO,
  SCENARIO_FOLDER,
  SCENARIO_TOO_LARGE,
} ScenarioFileKind;

typedef struct {
  const char       *name;
  ScenarioFileKind  kind;
  const char       *message;
} ScenarioFileCase;

static const ScenarioFileCase scenario_file_cases[] = {
  { "dev-zero", SCENARIO_DEV_ZERO, "is not a regular file" },
  /* no writer: opening it must not wait for one */
  { "fifo", SCENARIO_FIFO, "is not a regular file" },
  { "folder", SCENARIO_FOLDER, "is not a regular file" },
  { "too-large", SCENARIO_TOO_LARGE, "is larger than 64 MiB, the most a scenario may be" },
};

static void
test_scenario_file (gconstpointer data)
{
  const ScenarioFileCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("whitecell-scenario-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *display = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcScenario) scenario = NULL;
  const WcDiagnostic *d;

  g_assert_no_error (error);
  switch (c->kind)
    {
    case SCENARIO_DEV_ZERO:
      path = g_strdup ("/dev/zero");
      break;
    case SCENARIO_FIFO:
      path = g_build_filename (dir, "scenario.json", NULL);
      g_assert_cmpint (mkfifo (path, 0600), ==, 0);
      break;
    case SCENARIO_FOLDER:
      path = g_strdup (dir);
      break;
    case SCENARIO_TOO_LARGE:
      path = g_build_filename (dir, "scenario.json", NULL);
      make_sparse (path, WC_SCENARIO_MAX_FILE_SIZE + 1);
      break;
    default:
      g_assert_not_reached ();
    }
  display = g_filename_display_name (path);
  diag = wc_diagnostics_new (path);
  scenario = wc_scenario_load (path, diag, &error);
  g_assert_null (scenario);
  g_assert_error (error, WC_SCENARIO_ERROR, WC_SCENARIO_ERROR_INVALID);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 1);
  d = wc_diagnostics_get_item (diag, 0);
  g_test_message ("%s", d->message);
  g_assert_cmpint (d->severity, ==, WC_SEVERITY_ERROR);
  g_assert_cmpstr (d->file, ==, path);
  g_assert_nonnull (strstr (d->message, display));
  g_assert_nonnull (strstr (d->message, c->message));
  wc_test_remove_dir (dir);
}

/* The scenario the user names may itself be a link: it is the attachments that must not be. */
static void
test_scenario_link (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("whitecell-scenario-XXXXXX", &error);
  g_autofree char *real = g_build_filename (dir, "real.json", NULL);
  g_autofree char *link = g_build_filename (dir, "scenario.json", NULL);
  g_autofree char *sub = g_build_filename (dir, "attachments", NULL);
  g_autofree char *ok = g_build_filename (sub, "ok.txt", NULL);
  g_autofree char *doc = g_strdup_printf (attachment_template, "attachments/ok.txt");
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (link);
  g_autoptr(WcScenario) scenario = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_assert_true (g_file_set_contents (ok, "a note", -1, NULL));
  g_assert_true (g_file_set_contents (real, doc, -1, NULL));
  g_assert_cmpint (symlink ("real.json", link), ==, 0);
  scenario = wc_scenario_load (link, diag, &error);
  g_assert_no_error (error);
  g_assert_nonnull (scenario);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
  wc_test_remove_dir (sub);
  wc_test_remove_dir (dir);
}

/* "all" in a contingency is its inject's recipients, also when that inject is a contingency to
 * "all" itself, read before or after it; an inject to all holds every team. */
static void
test_contingency_chain (void)
{
  static const char doc[] =
    "{\"format\": \"whitecell-scenario\", \"version\": 1, \"exercise\": {\"id\": \"x\", "
    "\"title\": \"X\", \"tlp\": \"GREEN\", \"duration\": \"T+02:00\"}, \"teams\": ["
    "{\"id\": \"a\", \"name\": \"A\", \"kind\": \"csirt\"}, "
    "{\"id\": \"b\", \"name\": \"B\", \"kind\": \"operator\"}, "
    "{\"id\": \"c\", \"name\": \"C\", \"kind\": \"operator\"}], \"injects\": ["
    "{\"id\": \"I1\", \"at\": \"T+00:01\", \"channel\": \"email\", \"to\": [\"a\", \"b\"], "
    "\"title\": \"t\", \"body\": \"b\"}, "
    "{\"id\": \"I0\", \"trigger\": {\"type\": \"no-response\", \"inject\": \"I2\", "
    "\"within\": \"00:10\"}, \"channel\": \"email\", \"to\": \"all\", \"title\": \"t\", \"body\": \"b\"}, "
    "{\"id\": \"I2\", \"trigger\": {\"type\": \"no-response\", \"inject\": \"I1\", "
    "\"within\": \"00:10\"}, \"channel\": \"email\", \"to\": \"all\", \"title\": \"t\", \"body\": \"b\"}, "
    "{\"id\": \"I3\", \"trigger\": {\"type\": \"no-response\", \"inject\": \"I2\", "
    "\"within\": \"00:10\"}, \"channel\": \"email\", \"to\": \"all\", \"title\": \"t\", \"body\": \"b\"}, "
    "{\"id\": \"I4\", \"at\": \"T+00:30\", \"channel\": \"email\", \"to\": \"all\", "
    "\"title\": \"t\", \"body\": \"b\"}]}";
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("chain.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) s = wc_scenario_load_data (doc, strlen (doc), NULL, diag, &error);
  static const struct { const char *id; guint n; const char *first; } cases[] = {
    { "I0", 2, "a" }, { "I2", 2, "a" }, { "I3", 2, "a" }, { "I4", 3, "a" },
  };

  g_assert_no_error (error);
  g_assert_nonnull (s);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const WcInject *inject = wc_scenario_find_inject (s, cases[i].id);

      g_assert_true (inject->to_all);
      g_assert_cmpuint (inject->to->len, ==, cases[i].n);
      g_assert_cmpstr (g_ptr_array_index (inject->to, 0), ==, cases[i].first);
      g_assert_cmpstr (g_ptr_array_index (inject->to, cases[i].n - 1), ==,
                       cases[i].n == 3 ? "c" : "b");
    }
  /* an inject to all names the teams by their own ids */
  g_assert_true (g_ptr_array_index (wc_scenario_find_inject (s, "I4")->to, 0) ==
                 (gpointer) wc_scenario_find_team (s, "a")->id);
}

/* WC_SCENARIO_MAX_TEAMS teams load (20,000: the relays' scale, docs/SCALING.md); one more is
 * refused, with the file, the line of "teams" and the bound in the message. */
static void
test_max_teams (gconstpointer data)
{
  guint n = GPOINTER_TO_UINT (data);
  g_autoptr(GString) doc = g_string_new ("{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
                                         " \"exercise\": {\"id\": \"x\", \"title\": \"X\", "
                                         "\"tlp\": \"GREEN\", \"duration\": \"T+02:00\"},\n"
                                         " \"teams\": [\n");
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("many.json");
  g_autoptr(WcScenario) s = NULL;
  g_autofree char *count = g_strdup_printf ("%u teams", n);
  g_autofree char *bound = g_strdup_printf ("%u", WC_SCENARIO_MAX_TEAMS);
  const WcDiagnostic *d;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (doc, "%s{\"id\": \"t%u\", \"name\": \"Team %u\", "
                            "\"kind\": \"operator\"}\n", i ? "," : "", i, i);
  g_string_append (doc, " ],\n \"injects\": [{\"id\": \"I1\", \"at\": \"T+00:01\", "
                        "\"channel\": \"email\", \"to\": \"all\", \"title\": \"t\", "
                        "\"body\": \"b\"}]}\n");
  s = wc_scenario_load_data (doc->str, doc->len, NULL, diag, NULL);
  /* from a file, as large as this (over a MiB), the file's hash is made beside the parse: the
   * same hash, and none left behind when the file is refused */
  {
    g_autofree char *dir = g_dir_make_tmp ("whitecell-test-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "many.json", NULL);
    g_autofree char *expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, doc->str, doc->len);
    g_autoptr(WcDiagnostics) file_diag = wc_diagnostics_new (path);
    g_autoptr(WcScenario) from_file = NULL;

    g_assert_cmpuint (doc->len, >, 1024 * 1024);
    g_assert_true (g_file_set_contents (path, doc->str, doc->len, NULL));
    from_file = wc_scenario_load (path, file_diag, NULL);
    g_assert_true ((from_file != NULL) == (n <= WC_SCENARIO_MAX_TEAMS));
    if (from_file)
      g_assert_cmpstr (wc_scenario_get_sha256 (from_file), ==, expected);
    g_assert_no_errno (g_remove (path));
    g_assert_no_errno (g_rmdir (dir));
  }
  if (n <= WC_SCENARIO_MAX_TEAMS)
    {
      g_autofree char *last = g_strdup_printf ("t%u", n - 1);

      g_assert_nonnull (s);
      g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
      g_assert_cmpuint (wc_scenario_get_n_teams (s), ==, n);
      g_assert_cmpuint (wc_scenario_find_inject (s, "I1")->to->len, ==, n);
      g_assert_nonnull (wc_scenario_find_team (s, last));
      return;
    }
  g_assert_null (s);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), >=, 1);
  d = wc_diagnostics_get_item (diag, 0);
  g_assert_cmpint (d->severity, ==, WC_SEVERITY_ERROR);
  g_assert_cmpstr (d->file, ==, "many.json");
  g_assert_cmpuint (d->line, ==, 3);
  g_assert_cmpstr (d->path, ==, "$.teams");
  g_assert_nonnull (strstr (d->message, count));
  g_assert_nonnull (strstr (d->message, bound));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (finding_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/loader/finding/%s", finding_cases[i].fixture);

      g_test_add_data_func (name, &finding_cases[i], test_finding);
    }
  for (guint i = 0; i < G_N_ELEMENTS (syntax_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/loader/syntax/%s", syntax_cases[i].name);

      g_test_add_data_func (name, &syntax_cases[i], test_syntax);
    }
  g_test_add_func ("/whitecell/loader/format-line", test_format_line);
  g_test_add_func ("/whitecell/loader/many-problems", test_many_problems);
  g_test_add_func ("/whitecell/loader/deep-nesting", test_deep_nesting);
  g_test_add_func ("/whitecell/loader/huge-text", test_huge_text);
  g_test_add_func ("/whitecell/loader/valid", test_valid);
  g_test_add_func ("/whitecell/loader/contingency-chain", test_contingency_chain);
  g_test_add_func ("/whitecell/loader/write-read", test_write_read);
  g_test_add_data_func ("/whitecell/loader/max-teams/at-the-bound",
                        GUINT_TO_POINTER (WC_SCENARIO_MAX_TEAMS), test_max_teams);
  g_test_add_data_func ("/whitecell/loader/max-teams/one-more",
                        GUINT_TO_POINTER (WC_SCENARIO_MAX_TEAMS + 1), test_max_teams);
  for (guint i = 0; i < G_N_ELEMENTS (evaluation_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/loader/evaluation/%s",
                                               evaluation_cases[i].name);

      g_test_add_data_func (name, &evaluation_cases[i], test_evaluation_finding);
    }
  g_test_add_func ("/whitecell/loader/evaluation/valid", test_evaluation_valid);
  g_test_add_func ("/whitecell/loader/evaluation/write-read", test_evaluation_write_read);
  for (guint i = 0; i < G_N_ELEMENTS (attachment_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/loader/attachment/%s",
                                               attachment_cases[i].name);

      g_test_add_data_func (name, &attachment_cases[i], test_attachment);
    }
  for (guint i = 0; i < G_N_ELEMENTS (scenario_file_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/loader/scenario-file/%s",
                                               scenario_file_cases[i].name);

      g_test_add_data_func (name, &scenario_file_cases[i], test_scenario_file);
    }
  g_test_add_func ("/whitecell/loader/scenario-link", test_scenario_link);
  return g_test_run ();
}
