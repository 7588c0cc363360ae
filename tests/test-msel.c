/* test-msel.c: MSEL spreadsheets import into valid scenarios, every problem placed on its row and
 * column, and a scenario exported to a sheet imports back to the same injects. */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wc-csv.h"
#include "wc-msel.h"
#include "wc-scenario-loader.h"

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "msel", name, NULL);
}

/* Imports @name and loads the result as a scenario. */
static WcScenario *
import_fixture (const char     *name,
                WcDiagnostics **diag_out)
{
  g_autofree char *path = fixture (name);
  WcDiagnostics *diag = wc_diagnostics_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autofree char *data = NULL;
  WcMselMapping mapping = { 0 };
  WcScenario *scenario;

  document = wc_msel_import (path, NULL, diag, &mapping, &error);
  wc_msel_mapping_clear (&mapping);
  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      g_autofree char *line = wc_diagnostic_format (wc_diagnostics_get_item (diag, i));

      g_test_message ("%s", line);
    }
  g_assert_no_error (error);
  g_assert_nonnull (document);
  data = json_to_string (document, FALSE);
  {
    g_autoptr(WcDiagnostics) check = wc_diagnostics_new ("imported");

    scenario = wc_scenario_load_data (data, strlen (data), NULL, check, &error);
    g_assert_no_error (error);
    /* what the importer writes is clean: not even a warning */
    g_assert_cmpuint (wc_diagnostics_get_n_items (check), ==, 0);
  }
  *diag_out = diag;
  return scenario;
}

static void
test_dutch (void)
{
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcScenario) s = import_fixture ("dutch.csv", &diag);
  const WcDiagnostic *d;
  const WcInject *inject;
  const WcExpectedAction *action;
  const WcDecisionOption *option;

  /* the one finding: a column it does not know, on the header's line */
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 1);
  d = wc_diagnostics_get_item (diag, 0);
  g_assert_cmpint (d->severity, ==, WC_SEVERITY_WARNING);
  g_assert_cmpuint (d->line, ==, 1);
  g_assert_cmpuint (d->column, ==, 15);
  g_assert_nonnull (strstr (d->message, "“Kleurcode”"));

  /* "Onderwerp (nl)" and "Onderwerp (fr)": the exercise speaks those two */
  g_assert_cmpstrv (wc_scenario_get_languages (s), ((const char *const[]) { "nl", "fr", NULL }));
  g_assert_cmpuint (wc_scenario_get_n_injects (s), ==, 5);
  g_assert_cmpuint (wc_scenario_get_n_teams (s), ==, 2);
  g_assert_nonnull (wc_scenario_find_team (s, "csirt"));
  g_assert_cmpstr (wc_text_get (wc_scenario_find_team (s, "csirt")->name, "nl", NULL), ==, "Nationaal CSIRT");
  g_assert_cmpint (wc_scenario_find_team (s, "csirt")->kind, ==, WC_TEAM_KIND_CSIRT);
  g_assert_nonnull (wc_scenario_find_team (s, "ziekenhuis-noord"));
  g_assert_nonnull (wc_scenario_find_actor (s, "journalist-de-standaard"));

  inject = wc_scenario_find_inject (s, "1");
  g_assert_cmpint (inject->at_ms, ==, 5 * 60000);
  g_assert_cmpint (inject->channel, ==, WC_CHANNEL_EMAIL);
  g_assert_cmpstr (inject->from, ==, "soc-analist");
  g_assert_cmpuint (inject->to->len, ==, 2);
  /* the cell's CRLF became a plain line break */
  g_assert_cmpstr (wc_text_get_exact (inject->body, "nl"), ==, "Bestanden op de fileserver worden\nversleuteld.");
  g_assert_cmpstr (wc_text_get_exact (inject->title, "fr"), ==, "Chiffrement suspect");
  g_assert_cmpuint (inject->expected_actions->len, ==, 2);
  action = g_ptr_array_index (inject->expected_actions, 0);
  g_assert_cmpstr (wc_text_get_exact (action->text, "nl"), ==, "Meld het incident aan het CSIRT");
  g_assert_cmpint (action->deadline_ms, ==, 30 * 60000);
  g_assert_cmpstr (action->objective, ==, "O1");
  /* "Beoordeling": the row's rule, "ontvangst" being the Dutch for it; the second line keeps its own */
  g_assert_cmpint (action->judge, ==, WC_JUDGE_ACKNOWLEDGE);
  action = g_ptr_array_index (inject->expected_actions, 1);
  g_assert_cmpstr (wc_text_get_exact (action->text, "nl"), ==, "Isoleer het netwerk");
  g_assert_cmpint (action->judge, ==, WC_JUDGE_MANUAL);
  g_assert_cmpstr (inject->notes, ==, "Intern: start van de oefening");

  /* plain minutes, "iedereen", "pers" */
  inject = wc_scenario_find_inject (s, "2");
  g_assert_cmpint (inject->at_ms, ==, 45 * 60000);
  g_assert_true (inject->to_all);
  g_assert_cmpint (inject->channel, ==, WC_CHANNEL_NEWS);

  inject = wc_scenario_find_inject (s, "3");
  g_assert_cmpint (inject->trigger, ==, WC_TRIGGER_AFTER);
  g_assert_cmpstr (inject->trigger_inject, ==, "2");
  g_assert_cmpint (inject->trigger_delay_ms, ==, 10 * 60000);
  g_assert_cmpint (inject->channel, ==, WC_CHANNEL_DECISION);
  g_assert_cmpuint (inject->options->len, ==, 2);
  option = g_ptr_array_index (inject->options, 1);
  g_assert_cmpstr (option->id, ==, "nee");
  g_assert_cmpstr (wc_text_get_exact (option->text, "nl"), ==, "Eerst onderzoeken");
  g_assert_cmpstr (wc_text_get_exact (option->text, "fr"), ==, "Enquêter d'abord");
  action = g_ptr_array_index (inject->expected_actions, 0);
  g_assert_cmpint (action->judge, ==, WC_JUDGE_OPTION);
  g_assert_cmpstr (action->judge_option, ==, "ja");
  g_assert_cmpint (action->deadline_ms, ==, 15 * 60000);

  inject = wc_scenario_find_inject (s, "4");
  g_assert_cmpint (inject->trigger, ==, WC_TRIGGER_NO_RESPONSE);
  g_assert_cmpstr (inject->trigger_inject, ==, "1");
  g_assert_cmpint (inject->trigger_delay_ms, ==, 30 * 60000);
  g_assert_cmpint (inject->channel, ==, WC_CHANNEL_PHONE);

  inject = wc_scenario_find_inject (s, "5");
  g_assert_cmpint (inject->trigger, ==, WC_TRIGGER_MANUAL);
  g_assert_cmpint (inject->channel, ==, WC_CHANNEL_ALERT);

  /* the last inject (T+00:55, after 2) rounded up to the half hour, and half an hour more */
  g_assert_cmpint (wc_scenario_get_duration_ms (s), ==, 90 * 60000);
}

static void
test_english (void)
{
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcScenario) s = import_fixture ("english.csv", &diag);
  const WcInject *inject;
  const WcExpectedAction *action;

  g_assert_cmpuint (wc_diagnostics_count (diag, WC_SEVERITY_ERROR), ==, 0);
  g_assert_cmpuint (wc_diagnostics_count (diag, WC_SEVERITY_WARNING), ==, 1);
  g_assert_nonnull (strstr (wc_diagnostics_get_item (diag, 0)->message, "Controller Initials"));
  g_assert_cmpstrv (wc_scenario_get_languages (s), ((const char *const[]) { "en", NULL }));

  /* "Event #" holds the ids */
  g_assert_cmpuint (wc_scenario_get_n_injects (s), ==, 4);
  inject = wc_scenario_find_inject (s, "101");
  g_assert_nonnull (inject);
  g_assert_cmpint (inject->at_ms, ==, 0);
  g_assert_cmpstr (g_ptr_array_index (inject->to, 0), ==, "crisis-centre");
  g_assert_cmpint (wc_scenario_find_team (s, "crisis-centre")->kind, ==, WC_TEAM_KIND_CRISIS_CENTRE);

  /* "10": minutes; "CSIRT and Crisis Centre": two teams */
  inject = wc_scenario_find_inject (s, "102");
  g_assert_cmpint (inject->at_ms, ==, 10 * 60000);
  g_assert_cmpint (inject->channel, ==, WC_CHANNEL_ARTEFACT);
  g_assert_cmpuint (inject->to->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (inject->to, 0), ==, "csirt");
  g_assert_cmpuint (inject->expected_actions->len, ==, 2);
  action = g_ptr_array_index (inject->expected_actions, 1);
  g_assert_cmpstr (wc_text_get (action->text, "en", NULL), ==, "Share indicators with the sector");
  g_assert_cmpint (action->deadline_ms, ==, 60 * 60000);
  /* an objective named by its text becomes an objective of the exercise */
  g_assert_cmpstr (action->objective, ==, "O1");
  g_assert_cmpstr (wc_text_get (wc_scenario_find_objective (s, "O1")->text, "en", NULL), ==,
                   "Share information quickly");

  inject = wc_scenario_find_inject (s, "103");
  g_assert_cmpint (inject->at_ms, ==, 90 * 60000);
  g_assert_true (inject->to_all);
  g_assert_cmpuint (inject->options->len, ==, 2);
  g_assert_cmpstr (((WcDecisionOption *) g_ptr_array_index (inject->options, 0))->id, ==, "pay");

  inject = wc_scenario_find_inject (s, "104");
  g_assert_cmpint (inject->channel, ==, WC_CHANNEL_SOCIAL);
  g_assert_null (inject->from);
  g_assert_cmpint (wc_scenario_get_duration_ms (s), ==, 150 * 60000);
}

typedef struct {
  guint       line;
  guint       column;
  const char *place;
  const char *message;
} Expected;

static void
check_findings (WcDiagnostics  *diag,
                const Expected *expected,
                guint           n)
{
  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      g_autofree char *line = wc_diagnostic_format (wc_diagnostics_get_item (diag, i));

      g_test_message ("%s", line);
    }
  g_assert_cmpuint (wc_diagnostics_count (diag, WC_SEVERITY_ERROR), ==, n);
  for (guint i = 0; i < n; i++)
    {
      const WcDiagnostic *d = wc_diagnostics_get_item (diag, i);

      g_assert_cmpint (d->severity, ==, WC_SEVERITY_ERROR);
      g_assert_cmpuint (d->line, ==, expected[i].line);
      g_assert_cmpuint (d->column, ==, expected[i].column);
      g_assert_cmpstr (d->path, ==, expected[i].place);
      g_assert_nonnull (strstr (d->message, expected[i].message));
    }
}

/* Imports @sheet from memory (no attachments looked for), the findings logged. */
static JsonNode *
import_sheet (const char                 *sheet,
              const WcMselImportOptions  *options,
              WcDiagnostics              *diag,
              GError                    **error)
{
  WcMselMapping mapping = { 0 };
  JsonNode *document = wc_msel_import_data (sheet, strlen (sheet), wc_diagnostics_get_file (diag),
                                            NULL, options, diag, &mapping, error);

  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      g_autofree char *line = wc_diagnostic_format (wc_diagnostics_get_item (diag, i));

      g_test_message ("%s", line);
    }
  wc_msel_mapping_clear (&mapping);
  return document;
}

/* @sheet does not import, for the reasons @expected gives, in that order. */
static void
check_sheet_findings (const char     *sheet,
                      const Expected *expected,
                      guint           n)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("sheet.csv");
  g_autoptr(GError) error = NULL;
  JsonNode *document = import_sheet (sheet, NULL, diag, &error);

  g_assert_null (document);
  g_assert_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_INVALID);
  check_findings (diag, expected, n);
}

/* The expected actions of the document's inject @index. */
static JsonArray *
actions_of (JsonNode *document,
            guint     index)
{
  JsonArray *injects = json_object_get_array_member (json_node_get_object (document), "injects");

  return json_object_get_array_member (json_array_get_object_element (injects, index),
                                       "expected_actions");
}

/* Every problem of the sheet at once, each on its row and column. */
static void
test_errors (void)
{
  g_autofree char *path = fixture ("bad.csv");
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(GError) error = NULL;
  WcMselMapping mapping = { 0 };
  JsonNode *document = wc_msel_import (path, NULL, diag, &mapping, &error);
  static const Expected expected[] = {
    { 2, 2, "row 2, column “Time”", "“T+00:61” is not an exercise time" },
    { 3, 4, "row 3, column “Channel”", "“pigeon” is not a channel" },
    { 4, 1, "row 4, column “ID”", "inject id “A1” is also used on row 2" },
    { 4, 7, "row 4, column “TLP”", "“PURPLE” is not a TLP marking" },
    { 5, 0, "row 5", "inject “A4” has no recipients" },
  };

  g_assert_null (document);
  g_assert_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_INVALID);
  g_assert_cmpuint (mapping.mapped->len, ==, 7);
  g_assert_cmpuint (mapping.ignored->len, ==, 0);
  wc_msel_mapping_clear (&mapping);
  check_findings (diag, expected, G_N_ELEMENTS (expected));
}

/* What only the scenario loader can tell (an unknown trigger target, a decision without options)
 * is placed on the sheet too. Row 3 spans two lines: the spreadsheet's row number is 3, the
 * file's line 4. */
static void
test_loader_findings (void)
{
  static const char sheet[] =
    "ID,Time,To,Channel,Subject,Message\r\n"
    "A1,T+00:10,csirt,email,First,\"two\r\nlines\"\r\n"
    "A2,after A9 +00:05,csirt,email,Unknown trigger target,x\r\n"
    "A3,T+00:20,csirt,decision,No options,x\r\n";
  static const Expected expected[] = {
    { 4, 2, "row 3, column “Time”", "unknown inject \"A9\"" },
    { 5, 0, "row 4", "a decision inject needs \"options\"" },
  };

  check_sheet_findings (sheet, expected, G_N_ELEMENTS (expected));
}

static void
test_empty (void)
{
  static const char *const sheets[] = { "", "\xEF\xBB\xBF", "Time,Subject\r\n", "Colour,Size\r\nred,3\r\n" };

  for (guint i = 0; i < G_N_ELEMENTS (sheets); i++)
    {
      g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("sheet.csv");
      g_autoptr(GError) error = NULL;
      WcMselMapping mapping = { 0 };
      JsonNode *document = wc_msel_import_data (sheets[i], strlen (sheets[i]), "sheet.csv", NULL,
                                                NULL, diag, &mapping, &error);

      g_assert_null (document);
      g_assert_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_INVALID);
      g_assert_true (wc_diagnostics_has_errors (diag));
      wc_msel_mapping_clear (&mapping);
    }
}

static void
assert_same_text (const WcText      *a,
                  const WcText      *b,
                  const char *const *langs)
{
  if (a == NULL || b == NULL)
    {
      g_assert_true (a == b);
      return;
    }
  for (guint l = 0; langs[l]; l++)
    g_assert_cmpstr (wc_text_get (a, langs[l], NULL), ==, wc_text_get (b, langs[l], NULL));
}

static void
assert_same_injects (WcScenario *a,
                     WcScenario *b)
{
  const char *const *langs = wc_scenario_get_languages (a);

  g_assert_cmpstrv (wc_scenario_get_languages (b), langs);
  g_assert_cmpuint (wc_scenario_get_n_injects (a), ==, wc_scenario_get_n_injects (b));
  for (guint i = 0; i < wc_scenario_get_n_injects (a); i++)
    {
      const WcInject *x = wc_scenario_get_inject (a, i);
      const WcInject *y = wc_scenario_get_inject (b, i);

      g_test_message ("inject %s", x->id);
      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpint (x->trigger, ==, y->trigger);
      g_assert_cmpint (x->at_ms, ==, y->at_ms);
      g_assert_cmpstr (x->trigger_inject, ==, y->trigger_inject);
      if (x->trigger == WC_TRIGGER_AFTER || x->trigger == WC_TRIGGER_NO_RESPONSE)
        g_assert_cmpint (x->trigger_delay_ms, ==, y->trigger_delay_ms);
      assert_same_text (x->title, y->title, langs);
      assert_same_text (x->body, y->body, langs);
      g_assert_cmpint (x->channel, ==, y->channel);
      g_assert_cmpstr (x->from, ==, y->from);
      g_assert_cmpint (x->to_all, ==, y->to_all);
      g_assert_cmpuint (x->to->len, ==, y->to->len);
      /* "all" lists the teams in the order the sheet first names them */
      for (guint t = 0; !x->to_all && t < x->to->len; t++)
        g_assert_cmpstr (g_ptr_array_index (x->to, t), ==, g_ptr_array_index (y->to, t));
      g_assert_cmpint (x->tlp, ==, y->tlp);
      g_assert_cmpuint (x->attachments->len, ==, y->attachments->len);
      for (guint k = 0; k < x->attachments->len; k++)
        {
          const WcAttachment *p = g_ptr_array_index (x->attachments, k);
          const WcAttachment *q = g_ptr_array_index (y->attachments, k);

          g_assert_cmpstr (p->file, ==, q->file);
          g_assert_cmpstr (p->media_type, ==, q->media_type);
        }
      g_assert_cmpuint (x->expected_actions->len, ==, y->expected_actions->len);
      for (guint k = 0; k < x->expected_actions->len; k++)
        {
          const WcExpectedAction *p = g_ptr_array_index (x->expected_actions, k);
          const WcExpectedAction *q = g_ptr_array_index (y->expected_actions, k);

          assert_same_text (p->text, q->text, langs);
          g_assert_cmpint (p->deadline_ms, ==, q->deadline_ms);
          g_assert_cmpstr (p->objective, ==, q->objective);
          g_assert_cmpint (p->judge, ==, q->judge);
          g_assert_cmpstr (p->judge_option, ==, q->judge_option);
        }
      g_assert_cmpuint (x->options->len, ==, y->options->len);
      for (guint k = 0; k < x->options->len; k++)
        {
          const WcDecisionOption *p = g_ptr_array_index (x->options, k);
          const WcDecisionOption *q = g_ptr_array_index (y->options, k);

          g_assert_cmpstr (p->id, ==, q->id);
          assert_same_text (p->text, q->text, langs);
        }
      g_assert_cmpstr (x->notes, ==, y->notes);
    }
  /* the teams and actors the sheet names come back under the same ids and names */
  for (guint i = 0; i < wc_scenario_get_n_teams (b); i++)
    {
      const WcTeam *t = wc_scenario_get_team (b, i);
      const WcTeam *orig = wc_scenario_find_team (a, t->id);

      g_assert_nonnull (orig);
      g_assert_cmpstr (wc_text_get (t->name, NULL, NULL), ==,
                       wc_text_get (orig->name, wc_scenario_get_default_language (a), NULL));
    }
}

/* Imports a sheet that wc_msel_export wrote: cleanly, every column known, not even a warning. */
static WcScenario *
import_exported (GString                   *sheet,
                 const char                *dir,
                 const WcMselImportOptions *options)
{
  g_autoptr(WcDiagnostics) import_diag = wc_diagnostics_new ("exported.csv");
  g_autoptr(WcDiagnostics) load_diag = wc_diagnostics_new ("imported.json");
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  WcMselMapping mapping = { 0 };
  WcScenario *back;

  document = wc_msel_import_data (sheet->str, sheet->len, "exported.csv", dir, options,
                                  import_diag, &mapping, &error);
  for (guint i = 0; i < wc_diagnostics_get_n_items (import_diag); i++)
    {
      g_autofree char *line = wc_diagnostic_format (wc_diagnostics_get_item (import_diag, i));

      g_test_message ("%s", line);
    }
  g_assert_no_error (error);
  /* every column of an exported sheet is one the importer knows */
  g_assert_cmpuint (mapping.ignored->len, ==, 0);
  g_assert_cmpuint (wc_diagnostics_get_n_items (import_diag), ==, 0);
  wc_msel_mapping_clear (&mapping);
  json = json_to_string (document, FALSE);
  back = wc_scenario_load_data (json, strlen (json), dir, load_diag, &error);
  g_assert_no_error (error);
  return back;
}

/* export then import gives back the same injects, with either separator */
static void
test_round_trip (gconstpointer data)
{
  const char *path = data;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) original = wc_scenario_load (path, diag, &error);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_no_error (error);
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(GString) sheet = g_string_new (NULL);
      g_autoptr(WcScenario) back = NULL;
      g_autofree char *langs = g_strjoinv (",", (char **) wc_scenario_get_languages (original));
      WcMselImportOptions options = { .languages = langs };

      wc_msel_export (original, pass == 0 ? ',' : ';', pass == 1, sheet);
      back = import_exported (sheet, dir, pass == 0 ? NULL : &options);
      assert_same_injects (original, back);
    }
}

/* Judging rules in a sheet ---------------------------------------------------------------------- */

/* The three languages' headings name the Judge column; the evaluators' remarks do not. */
static void
test_judge_headings (void)
{
  static const char *const headings[] = { "Judge", "Beoordeling", "Évaluation", "Judged by",
                                          "Règle d'évaluation", "JUDGE" };

  for (guint i = 0; i < G_N_ELEMENTS (headings); i++)
    {
      g_autofree char *sheet = g_strdup_printf ("ID,Time,To,Subject,Expected action,Objective,"
                                                "Notes,Assessment,%s\r\n"
                                                "A1,T+00:10,csirt,First,Reply [due 00:20],O1,,good,answer\r\n",
                                                headings[i]);
      g_autofree char *mapped = g_strdup_printf ("%s → judge", headings[i]);
      g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("sheet.csv");
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) document = NULL;
      WcMselMapping mapping = { 0 };
      JsonObject *action;

      /* the mapping is what this test is about: not import_sheet () */
      document = wc_msel_import_data (sheet, strlen (sheet), "sheet.csv", NULL, NULL, diag,
                                      &mapping, &error);
      g_assert_no_error (error);
      g_assert_true (g_ptr_array_find_with_equal_func (mapping.mapped, mapped, g_str_equal, NULL));
      /* the headings that were there before keep their meaning */
      g_assert_true (g_ptr_array_find_with_equal_func (mapping.mapped, "Objective → objective", g_str_equal, NULL));
      g_assert_true (g_ptr_array_find_with_equal_func (mapping.mapped, "Notes → notes", g_str_equal, NULL));
      g_assert_cmpuint (mapping.mapped->len, ==, 8);
      g_assert_cmpuint (mapping.ignored->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (mapping.ignored, 0), ==, "Assessment");
      wc_msel_mapping_clear (&mapping);
      action = json_array_get_object_element (actions_of (document, 0), 0);
      g_assert_cmpstr (json_object_get_string_member (action, "judge"), ==, "answer");
    }
}

/* A French sheet: the row's rule in "Évaluation", a line's own in its bracket. */
static void
test_judge_french (void)
{
  static const char sheet[] =
    "Nr;Heure;Destinataires;Canal;Sujet;Action attendue;Choix;Évaluation\r\n"
    "1;T+00:05;CSIRT;courriel;Alerte;\"Accuser réception [due 00:10]\r\n"
    "Ouvrir un incident\";;accusé de réception\r\n"
    "2;T+00:20;CSIRT;décision;Alerter ?;\"Décider [due 00:15]\r\n"
    "Choisir d'alerter [judge option:oui]\r\n"
    "Informer le centre de crise [judge manual]\";oui: Alerter | non: Attendre;Réponse\r\n"
    "3;T+00:30;CSIRT;téléphone;Rappel;\"Rappeler le centre [objective O2; judge answer; due 00:05]\";;\r\n"
    "4;T+00:40;CSIRT;décision;Encore ?;Choisir [due 00:10];oui: Oui | non: Non;choix: non\r\n";
  static const WcMselImportOptions options = { .languages = "fr" };
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("fr.csv");
  g_autoptr(WcDiagnostics) check = wc_diagnostics_new ("imported");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = import_sheet (sheet, &options, diag, &error);
  g_autoptr(WcScenario) s = NULL;
  g_autofree char *json = NULL;
  const WcInject *inject;
  const WcExpectedAction *a;

  g_assert_no_error (error);
  json = json_to_string (document, FALSE);
  s = wc_scenario_load_data (json, strlen (json), NULL, check, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_diagnostics_get_n_items (check), ==, 0);

  inject = wc_scenario_find_inject (s, "1");
  a = g_ptr_array_index (inject->expected_actions, 0);
  g_assert_cmpint (a->judge, ==, WC_JUDGE_ACKNOWLEDGE);
  g_assert_cmpstr (wc_text_get (a->text, "fr", NULL), ==, "Accuser réception");
  a = g_ptr_array_index (inject->expected_actions, 1);
  g_assert_cmpint (a->judge, ==, WC_JUDGE_ACKNOWLEDGE);

  inject = wc_scenario_find_inject (s, "2");
  g_assert_cmpuint (inject->expected_actions->len, ==, 3);
  a = g_ptr_array_index (inject->expected_actions, 0);
  g_assert_cmpint (a->judge, ==, WC_JUDGE_ANSWER);
  g_assert_cmpint (a->deadline_ms, ==, 15 * 60000);
  a = g_ptr_array_index (inject->expected_actions, 1);
  g_assert_cmpint (a->judge, ==, WC_JUDGE_OPTION);
  g_assert_cmpstr (a->judge_option, ==, "oui");
  g_assert_cmpstr (wc_text_get (a->text, "fr", NULL), ==, "Choisir d'alerter");
  a = g_ptr_array_index (inject->expected_actions, 2);
  g_assert_cmpint (a->judge, ==, WC_JUDGE_MANUAL);
  g_assert_cmpstr (wc_text_get (a->text, "fr", NULL), ==, "Informer le centre de crise");

  /* the bracket's items in any order */
  a = g_ptr_array_index (wc_scenario_find_inject (s, "3")->expected_actions, 0);
  g_assert_cmpint (a->judge, ==, WC_JUDGE_ANSWER);
  g_assert_cmpint (a->deadline_ms, ==, 5 * 60000);
  g_assert_cmpstr (a->objective, ==, "O2");
  g_assert_cmpstr (wc_text_get (a->text, "fr", NULL), ==, "Rappeler le centre");

  a = g_ptr_array_index (wc_scenario_find_inject (s, "4")->expected_actions, 0);
  g_assert_cmpint (a->judge, ==, WC_JUDGE_OPTION);
  g_assert_cmpstr (a->judge_option, ==, "non");
}

/* A bracket that belongs to the text stays in it; an objective alone is ours. */
static void
test_judge_text_brackets (void)
{
  static const char sheet[] =
    "ID,Time,To,Subject,Expected action\r\n"
    "A1,T+00:10,csirt,First,\"Quote the minister [sic]\r\n"
    "Call the NOC [24/7]\r\n"
    "Reply [objective O1]\"\r\n";
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("sheet.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = import_sheet (sheet, NULL, diag, &error);
  JsonArray *actions;

  g_assert_no_error (error);
  actions = actions_of (document, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (actions, 0), "text"), ==,
                   "Quote the minister [sic]");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (actions, 1), "text"), ==,
                   "Call the NOC [24/7]");
  /* an objective alone, as the exporter writes it for an action without a deadline */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (actions, 2), "text"), ==,
                   "Reply");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (actions, 2), "objective"), ==,
                   "O1");
}

/* Every wrong rule on its row, in the column it was written in. */
static void
test_judge_errors (void)
{
  static const char sheet[] =
    "ID,Time,To,Channel,Subject,Expected action,Options,Judge\r\n"
    "A1,T+00:10,csirt,email,First,Reply,,automatically\r\n"
    "A2,T+00:20,csirt,decision,Second,\"Decide\r\nChoose [judge option:alert]\",warn: Warn | wait: Wait,answer\r\n"
    "A3,T+00:30,csirt,email,Third,Reply [judge option:warn],,\r\n"
    "A4,T+00:40,csirt,email,Fourth,Reply [judge sometimes],,\r\n";
  static const Expected expected[] = {
    { 2, 8, "row 2, column “Judge”", "“automatically” is not a way to judge an expected action" },
    { 3, 6, "row 3, column “Expected action”", "“alert” is not one of this row's options" },
    { 5, 6, "row 4, column “Expected action”", "“option:warn” names an option, but this row offers none" },
    { 6, 6, "row 5, column “Expected action”", "“sometimes” is not a way to judge" },
  };
  static const char hints[] =
    "ID,Time,To,Channel,Subject,Expected action,Options,Judge\r\n"
    "A1,T+00:10,csirt,decision,First,Choose,warn: Warn | wait: Wait,option:alert\r\n";
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("sheet.csv");
  g_autoptr(JsonNode) document = NULL;

  check_sheet_findings (sheet, expected, G_N_ELEMENTS (expected));
  /* the hint names what would do */
  document = import_sheet (hints, NULL, diag, NULL);
  g_assert_null (document);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 1);
  g_assert_cmpuint (wc_diagnostics_get_item (diag, 0)->column, ==, 8);
  g_assert_cmpstr (wc_diagnostics_get_item (diag, 0)->hint, ==, "one of warn, wait");
}

/* A rule with nothing to judge is said, not silently dropped. */
static void
test_judge_without_action (void)
{
  static const char sheet[] = "ID,Time,To,Subject,Judge\r\nA1,T+00:10,csirt,First,answer\r\n";
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("sheet.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = import_sheet (sheet, NULL, diag, &error);
  const WcDiagnostic *d;

  g_assert_no_error (error);
  g_assert_nonnull (document);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 1);
  d = wc_diagnostics_get_item (diag, 0);
  g_assert_cmpint (d->severity, ==, WC_SEVERITY_WARNING);
  g_assert_cmpuint (d->line, ==, 2);
  g_assert_cmpuint (d->column, ==, 5);
  g_assert_nonnull (strstr (d->message, "no expected action"));
}

/* The exporter: the Judge column when the row's actions share a rule, the line's bracket when
 * they differ; either way the import gives every action its rule back. */
static void
test_judge_export (void)
{
  static const char scenario[] =
    "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
    " \"exercise\": {\"id\": \"j\", \"title\": \"J\", \"tlp\": \"AMBER\", \"duration\": \"T+02:00\","
    "  \"objectives\": [{\"id\": \"O1\", \"text\": \"Decide\"}]},\n"
    " \"teams\": [{\"id\": \"ncc\", \"name\": \"NCC\", \"kind\": \"crisis-centre\"}],\n"
    " \"staff\": [{\"id\": \"dir\", \"name\": \"Annelies Verbruggen\", \"role\": \"director\"}],\n"
    " \"injects\": [\n"
    "  {\"id\": \"I1\", \"at\": \"T+00:10\", \"channel\": \"email\", \"to\": \"all\", \"title\": \"Shared\", \"body\": \"B\",\n"
    "   \"expected_actions\": [{\"text\": \"Confirm\", \"deadline\": \"00:10\", \"judge\": \"acknowledge\"},\n"
    "                        {\"text\": \"Open a ticket\", \"judge\": \"acknowledge\"}]},\n"
    "  {\"id\": \"I2\", \"at\": \"T+00:20\", \"channel\": \"decision\", \"to\": \"all\", \"title\": \"Mixed\", \"body\": \"B\",\n"
    "   \"options\": [{\"id\": \"warn\", \"text\": \"Warn\"}, {\"id\": \"wait\", \"text\": \"Wait\"}],\n"
    "   \"expected_actions\": [{\"text\": \"Decide\", \"deadline\": \"00:15\", \"judge\": \"answer\"},\n"
    "                        {\"text\": \"Warn\", \"objective\": \"O1\", \"judge\": \"option:warn\"},\n"
    "                        {\"text\": \"Brief the press\"}]},\n"
    "  {\"id\": \"I3\", \"at\": \"T+00:30\", \"channel\": \"email\", \"to\": \"all\", \"title\": \"People\", \"body\": \"B\",\n"
    "   \"expected_actions\": [{\"text\": \"Write a report\"}]}\n"
    " ]}\n";
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("j.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) original = wc_scenario_load_data (scenario, strlen (scenario), NULL, diag, &error);
  g_autoptr(GString) sheet = g_string_new (NULL);
  g_autoptr(WcDiagnostics) csv_diag = wc_diagnostics_new ("exported.csv");
  g_autoptr(WcCsvTable) table = NULL;
  g_autoptr(WcScenario) back = NULL;
  WcCsvRow *header;
  guint judge = 0, actions = 0;

  g_assert_no_error (error);
  wc_msel_export (original, ',', FALSE, sheet);
  g_test_message ("%s", sheet->str);
  table = wc_csv_parse (sheet->str, sheet->len, csv_diag);
  g_assert_nonnull (table);
  header = g_ptr_array_index (table->rows, 0);
  for (guint i = 0; i < header->cells->len; i++)
    {
      const char *heading = g_ptr_array_index (header->cells, i);

      if (strcmp (heading, "Judge") == 0)
        judge = i;
      else if (strcmp (heading, "Expected player action") == 0)
        actions = i;
    }
  g_assert_cmpuint (judge, >, 0);
  g_assert_cmpuint (actions, >, 0);
  /* I1: shared, in the column; I2: each line its own; I3: a person's, nothing written */
  g_assert_cmpstr (g_ptr_array_index (((WcCsvRow *) g_ptr_array_index (table->rows, 1))->cells, judge), ==,
                   "acknowledge");
  g_assert_cmpstr (g_ptr_array_index (((WcCsvRow *) g_ptr_array_index (table->rows, 1))->cells, actions), ==,
                   "Confirm [due 00:10]\nOpen a ticket");
  g_assert_cmpstr (g_ptr_array_index (((WcCsvRow *) g_ptr_array_index (table->rows, 2))->cells, judge), ==, "");
  g_assert_cmpstr (g_ptr_array_index (((WcCsvRow *) g_ptr_array_index (table->rows, 2))->cells, actions), ==,
                   "Decide [due 00:15; judge answer]\nWarn [objective O1; judge option:warn]\nBrief the press");
  g_assert_cmpstr (g_ptr_array_index (((WcCsvRow *) g_ptr_array_index (table->rows, 3))->cells, judge), ==, "");
  /* staff are not in a sheet */
  g_assert_null (strstr (sheet->str, "Verbruggen"));

  back = import_exported (sheet, NULL, NULL);
  assert_same_injects (original, back);
  g_assert_cmpuint (wc_scenario_get_n_staff (back), ==, 0);
}

static int
run_ctl (const char *args,
         char      **err_out)
{
  g_autofree char *command = g_strdup_printf ("%s %s", g_getenv ("WC_CTL"), args);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_command_line_sync (command, &out, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s\n%s%s", command, out, err);
  g_assert_true (WIFEXITED (status));
  if (err_out)
    *err_out = g_steal_pointer (&err);
  return WEXITSTATUS (status);
}

static void
test_cli (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-msel-XXXXXX", NULL);
  g_autofree char *dutch = fixture ("dutch.csv");
  g_autofree char *bad = fixture ("bad.csv");
  g_autofree char *json = g_build_filename (tmp, "dutch.json", NULL);
  g_autofree char *csv = g_build_filename (tmp, "dutch-again.csv", NULL);
  g_autofree char *broken = g_test_build_filename (G_TEST_DIST, "fixtures", "scenario", "cycle.json", NULL);
  g_autofree char *args = NULL;
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;

  args = g_strdup_printf ("msel import %s -o %s", dutch, json);
  g_assert_cmpint (run_ctl (args, &err), ==, 0);
  g_assert_nonnull (strstr (err, "2 teams, 2 actors, 5 injects, duration T+01:30"));
  g_assert_nonnull (strstr (err, "Onderwerp (nl) → title (nl)"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&args, g_free);
  args = g_strdup_printf ("validate %s", json);
  g_assert_cmpint (run_ctl (args, NULL), ==, 0);
  g_clear_pointer (&args, g_free);
  args = g_strdup_printf ("msel export %s -o %s --separator ';' --bom", json, csv);
  g_assert_cmpint (run_ctl (args, NULL), ==, 0);
  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBFID;Time;Trigger;From;To;Channel;TLP;Subject (nl);Subject (fr);"));
  g_clear_pointer (&args, g_free);

  /* a sheet with errors: 1, and nothing written */
  args = g_strdup_printf ("msel import %s -o %s/bad.json", bad, tmp);
  g_assert_cmpint (run_ctl (args, &err), ==, 1);
  g_assert_nonnull (strstr (err, "bad.csv:3:4: error: “pigeon” is not a channel"));
  g_clear_pointer (&args, g_free);
  args = g_strdup_printf ("%s/bad.json", tmp);
  g_assert_false (g_file_test (args, G_FILE_TEST_EXISTS));
  g_clear_pointer (&args, g_free);
  args = g_strdup_printf ("msel export %s -o %s/x.csv", broken, tmp);
  g_assert_cmpint (run_ctl (args, NULL), ==, 1);
  g_clear_pointer (&args, g_free);
  args = g_strdup_printf ("msel import %s/missing.csv -o %s/x.json", tmp, tmp);
  g_assert_cmpint (run_ctl (args, NULL), ==, 1);
  g_clear_pointer (&args, g_free);

  /* misuse: 2 */
  args = g_strdup_printf ("msel import %s", dutch);
  g_assert_cmpint (run_ctl (args, NULL), ==, 2);
  g_clear_pointer (&args, g_free);
  args = g_strdup_printf ("msel export %s -o %s --separator '|'", json, csv);
  g_assert_cmpint (run_ctl (args, NULL), ==, 2);
  g_assert_cmpint (run_ctl ("msel", NULL), ==, 2);
  g_assert_cmpint (run_ctl ("msel convert x", NULL), ==, 2);

  g_unlink (json);
  g_unlink (csv);
  g_rmdir (tmp);
}

/* `msel export` to another folder, then `msel import` from there to a third: the attachments go
 * with the sheet and then with the scenario, so the scenario still validates and serves them. */
static const char attachment_scenario[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"files\", \"title\": \"Files\", \"tlp\": \"AMBER\",\n"
  "              \"languages\": [\"en\"], \"duration\": \"T+01:00\"},\n"
  " \"teams\": [{\"id\": \"csirt\", \"name\": \"CSIRT\", \"kind\": \"csirt\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"I-1\", \"at\": \"T+00:10\", \"channel\": \"email\", \"to\": \"all\",\n"
  "   \"title\": \"Logs\", \"body\": \"See the logs\",\n"
  "   \"attachments\": [{\"file\": \"evidence/fw.log\", \"media_type\": \"text/plain\"},\n"
  "                     {\"file\": \"note.txt\", \"media_type\": \"text/plain\"}]},\n"
  "  {\"id\": \"I-2\", \"at\": \"T+00:20\", \"channel\": \"email\", \"to\": \"all\",\n"
  "   \"title\": \"Again\", \"body\": \"The same log\",\n"
  "   \"attachments\": [{\"file\": \"evidence/fw.log\", \"media_type\": \"text/plain\"}]}]}\n";

static void
assert_file_contents (const char *dir,
                      const char *relative,
                      const char *expected)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected);
}

static void
test_cli_attachments (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-msel-XXXXXX", NULL);
  const char *const dirs[] = { "plan", "sheet", "moved" };
  g_autofree char *scenario = g_build_filename (tmp, "plan", "scenario.json", NULL);
  g_autofree char *csv = g_build_filename (tmp, "sheet", "msel.csv", NULL);
  g_autofree char *moved = g_build_filename (tmp, "moved", "scenario.json", NULL);
  g_autofree char *args = NULL;
  g_autofree char *err = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (tmp, dirs[i], "evidence", NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
    }
  g_assert_true (g_file_set_contents (scenario, attachment_scenario, -1, NULL));
  {
    g_autofree char *log = g_build_filename (tmp, "plan", "evidence", "fw.log", NULL);
    g_autofree char *note = g_build_filename (tmp, "plan", "note.txt", NULL);

    g_assert_true (g_file_set_contents (log, "deny 10.0.0.7 -> 445\n", -1, NULL));
    g_assert_true (g_file_set_contents (note, "call the duty officer", -1, NULL));
  }

  args = g_strdup_printf ("msel export %s -o %s", scenario, csv);
  g_assert_cmpint (run_ctl (args, NULL), ==, 0);
  g_clear_pointer (&args, g_free);
  assert_file_contents (tmp, "sheet/evidence/fw.log", "deny 10.0.0.7 -> 445\n");
  assert_file_contents (tmp, "sheet/note.txt", "call the duty officer");

  args = g_strdup_printf ("msel import %s -o %s", csv, moved);
  g_assert_cmpint (run_ctl (args, &err), ==, 0);
  g_clear_pointer (&args, g_free);
  assert_file_contents (tmp, "moved/evidence/fw.log", "deny 10.0.0.7 -> 445\n");
  assert_file_contents (tmp, "moved/note.txt", "call the duty officer");
  args = g_strdup_printf ("validate %s", moved);
  g_assert_cmpint (run_ctl (args, NULL), ==, 0);
  g_clear_pointer (&args, g_free);

  /* a sheet whose attachment is missing beside it: the import says which, and copies nothing */
  {
    g_autofree char *note = g_build_filename (tmp, "sheet", "note.txt", NULL);
    g_autofree char *again = g_build_filename (tmp, "moved", "again.json", NULL);

    g_assert_cmpint (g_unlink (note), ==, 0);
    g_clear_pointer (&err, g_free);
    args = g_strdup_printf ("msel import %s -o %s", csv, again);
    g_assert_cmpint (run_ctl (args, &err), ==, 1);
    g_assert_nonnull (strstr (err, "attachment file \"note.txt\" does not exist"));
    g_assert_false (g_file_test (again, G_FILE_TEST_EXISTS));
  }

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      const char *const files[] = { "evidence/fw.log", "note.txt", "scenario.json", "msel.csv" };
      g_autofree char *evidence = g_build_filename (tmp, dirs[i], "evidence", NULL);
      g_autofree char *dir = g_build_filename (tmp, dirs[i], NULL);

      for (guint k = 0; k < G_N_ELEMENTS (files); k++)
        {
          g_autofree char *path = g_build_filename (dir, files[k], NULL);

          g_unlink (path);
        }
      g_assert_cmpint (g_rmdir (evidence), ==, 0);
      g_assert_cmpint (g_rmdir (dir), ==, 0);
    }
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

/* Texts a spreadsheet would run as formulas, in every column that carries free text. */
static const char formula_scenario[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"formulas\", \"title\": \"Formulas\", \"tlp\": \"AMBER\",\n"
  "              \"languages\": [\"en\"], \"default_language\": \"en\",\n"
  "              \"duration\": \"T+01:00\"},\n"
  " \"teams\": [{\"id\": \"csirt\", \"name\": \"=CSIRT()\", \"kind\": \"csirt\",\n"
  "             \"language\": \"en\"}],\n"
  " \"actors\": [{\"id\": \"mallory\", \"name\": \"@mallory\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"-5\", \"at\": \"T+00:10\", \"channel\": \"email\", \"from\": \"mallory\",\n"
  "   \"to\": [\"csirt\"], \"title\": \"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\",\n"
  "   \"body\": \"+cmd|' /C calc'!A0\", \"notes\": \"-2+3\"},\n"
  "  {\"id\": \"I-2\",\n"
  "   \"trigger\": {\"type\": \"after\", \"inject\": \"-5\", \"delay\": \"00:10\"},\n"
  "   \"channel\": \"email\", \"to\": \"all\", \"title\": \"'=already quoted\",\n"
  "   \"body\": \"@SUM(1+1)\\nsecond line\", \"notes\": \"@here\"}]}\n";

/* No cell of @sheet starts with what a spreadsheet runs (a cell starts a line or follows @sep,
 * possibly behind a double quote; the sheet's texts hold no line starting so). */
static void
assert_no_formula_cell (const char *sheet,
                        char        sep)
{
  for (const char *p = sheet; *p; p++)
    {
      const char *c = p;

      if (p != sheet && p[-1] != sep && p[-1] != '\n')
        continue;
      if (*c == '"')
        c++;
      if (*c && strchr ("=+-@\t\r", *c))
        g_error ("a cell starts with a formula: “%.40s”", p);
    }
}

/* msel export neutralises formulas the OWASP way (a leading '), and import takes exactly that
 * mark away again: the texts come back as they were. */
static void
test_formula_injection (void)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("formulas.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) original = NULL;
  g_autoptr(WcScenario) back = NULL;
  g_autoptr(GString) sheet = g_string_new (NULL);
  const WcInject *inject;

  original = wc_scenario_load_data (formula_scenario, strlen (formula_scenario), NULL, diag,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);

  wc_msel_export (original, ',', FALSE, sheet);
  g_test_message ("%s", sheet->str);
  g_assert_nonnull (strstr (sheet->str, "\r\n'-5,T+00:10,,'@mallory,'=CSIRT(),email,AMBER,"
                                        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","
                                        "'+cmd|' /C calc'!A0,"));
  g_assert_nonnull (strstr (sheet->str, ",'-2+3\r\n"));
  /* a trigger names the inject "-5" further in: it is no formula, and stays as it is */
  g_assert_nonnull (strstr (sheet->str, "\r\nI-2,,after -5 +00:10,,all,email,AMBER,"
                                        "''=already quoted,\"'@SUM(1+1)\nsecond line\","));
  g_assert_nonnull (strstr (sheet->str, ",'@here\r\n"));
  assert_no_formula_cell (sheet->str, ',');

  back = import_exported (sheet, NULL, NULL);
  assert_same_injects (original, back);
  inject = wc_scenario_find_inject (back, "-5");
  g_assert_cmpstr (wc_text_get (inject->title, "en", NULL), ==, "=HYPERLINK(\"http://x\",\"y\")");
  g_assert_cmpstr (wc_text_get (inject->body, "en", NULL), ==, "+cmd|' /C calc'!A0");
  g_assert_cmpstr (inject->notes, ==, "-2+3");
  g_assert_cmpstr (wc_text_get (wc_scenario_find_actor (back, "mallory")->name, "en", NULL), ==,
                   "@mallory");
  inject = wc_scenario_find_inject (back, "I-2");
  g_assert_cmpint (inject->trigger, ==, WC_TRIGGER_AFTER);
  g_assert_cmpstr (inject->trigger_inject, ==, "-5");
  g_assert_cmpint (inject->trigger_delay_ms, ==, 10 * 60000);
  g_assert_cmpstr (wc_text_get (inject->title, "en", NULL), ==, "'=already quoted");
}

/* A planner's own sheet has no quote marks: what starts with "-" or "+" there is read as before. */
static void
test_formula_plain_sheet (void)
{
  static const char sheet[] =
    "ID,Time,Trigger,To,Subject,Message\r\n"
    "-1,T+00:05,,csirt,-- first --,+ more to come\r\n"
    "A2,,after -1 +00:10,csirt,Second,'not stripped\r\n";
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("sheet.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(WcScenario) s = NULL;
  g_autofree char *json = NULL;
  WcMselMapping mapping = { 0 };
  const WcInject *inject;

  document = wc_msel_import_data (sheet, strlen (sheet), "sheet.csv", NULL, NULL, diag, &mapping,
                                  &error);
  g_assert_no_error (error);
  wc_msel_mapping_clear (&mapping);
  json = json_to_string (document, FALSE);
  s = wc_scenario_load_data (json, strlen (json), NULL, diag, &error);
  g_assert_no_error (error);
  inject = wc_scenario_find_inject (s, "-1");
  g_assert_nonnull (inject);
  g_assert_cmpstr (wc_text_get (inject->title, "en", NULL), ==, "-- first --");
  g_assert_cmpstr (wc_text_get (inject->body, "en", NULL), ==, "+ more to come");
  inject = wc_scenario_find_inject (s, "A2");
  g_assert_cmpstr (inject->trigger_inject, ==, "-1");
  g_assert_cmpint (inject->trigger_delay_ms, ==, 10 * 60000);
  g_assert_cmpstr (wc_text_get (inject->body, "en", NULL), ==, "'not stripped");
}

static void
import_expecting_error (const char *path,
                        GQuark      domain,
                        int         code,
                        const char *message)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(GError) error = NULL;
  WcMselMapping mapping = { 0 };
  gint64 start = g_get_monotonic_time ();

  g_assert_null (wc_msel_import (path, NULL, diag, &mapping, &error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_error (error, domain, code);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, message));
  g_assert_true (wc_diagnostics_has_errors (diag));
  wc_msel_mapping_clear (&mapping);
}

/* Imported files are untrusted: only a regular file, and a bounded one, is read. */
static void
test_untrusted_files (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-msel-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (tmp, "fifo.csv", NULL);
  g_autofree char *large = g_build_filename (tmp, "large.csv", NULL);
  int fd;

  import_expecting_error ("/dev/zero", WC_MSEL_ERROR, WC_MSEL_ERROR_IO, "not a regular file");
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  import_expecting_error (fifo, WC_MSEL_ERROR, WC_MSEL_ERROR_IO, "not a regular file");
  import_expecting_error (tmp, WC_MSEL_ERROR, WC_MSEL_ERROR_IO, "not a regular file");
  fd = g_open (large, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (ftruncate (fd, 64 * 1024 * 1024), ==, 0);
  g_close (fd, NULL);
  import_expecting_error (large, WC_MSEL_ERROR, WC_MSEL_ERROR_IO, "larger than 16 MiB");
  g_unlink (fifo);
  g_unlink (large);
  g_rmdir (tmp);
}

/* An over-long cell and too many columns: an error naming the file, the line and the column. */
static void
test_untrusted_bounds (void)
{
  g_autoptr(GString) long_cell = g_string_new ("ID,Time,To,Subject,Message\r\n"
                                               "A1,T+00:10,csirt,Short,fine\r\n"
                                               "A2,T+00:20,csirt,Long,");
  g_autoptr(GString) wide = g_string_new ("ID,Time,To,Subject,Message");
  const struct {
    GString    *sheet;
    const char *finding;
  } cases[] = {
    { long_cell, "sheet.csv:3:5: error: a cell is longer than 131072 bytes" },
    { wide, "sheet.csv:1:257: error: more than 256 columns" },
  };

  for (guint i = 0; i < 200 * 1024; i++)
    g_string_append_c (long_cell, 'x');
  g_string_append (long_cell, "\r\n");
  for (guint i = 0; i < 300; i++)
    g_string_append_printf (wide, ",Extra %u", i);
  g_string_append (wide, "\r\nA1,T+00:10,csirt,Subject,Message\r\n");

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("sheet.csv");
      g_autoptr(GError) error = NULL;
      WcMselMapping mapping = { 0 };
      gboolean found = FALSE;

      g_assert_null (wc_msel_import_data (cases[c].sheet->str, cases[c].sheet->len, "sheet.csv",
                                          NULL, NULL, diag, &mapping, &error));
      g_assert_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_INVALID);
      wc_msel_mapping_clear (&mapping);
      for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
        {
          g_autofree char *line = wc_diagnostic_format (wc_diagnostics_get_item (diag, i));

          g_test_message ("%s", line);
          found |= g_str_has_prefix (line, cases[c].finding);
        }
      g_assert_true (found);
    }
}

static void
test_cli_untrusted (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-msel-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (tmp, "zero.json", NULL);
  g_autofree char *args = g_strdup_printf ("msel import /dev/zero -o %s", json);
  g_autofree char *err = NULL;

  g_assert_cmpint (run_ctl (args, &err), ==, 1);
  g_assert_nonnull (strstr (err, "“/dev/zero” is not a regular file"));
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  g_rmdir (tmp);
}

/* The planned duration follows after / no-response chains, whatever order the rows are in. */
static void
test_duration_chain (void)
{
  static const char sheet[] =
    "ID,Time,Trigger,To,Subject\r\n"
    "R3,,after R2 +00:20,csirt,Third\r\n"
    "R2,,no-response R1 00:30,csirt,Second\r\n"
    "M,,manual,csirt,Whenever\r\n"
    "R1,T+01:00,,csirt,First\r\n";
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("sheet.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = import_sheet (sheet, NULL, diag, &error);
  JsonObject *exercise;

  g_assert_no_error (error);
  exercise = json_object_get_object_member (json_node_get_object (document), "exercise");
  /* R3 at 01:50, rounded up to the half hour, and half an hour to answer it */
  g_assert_cmpstr (json_object_get_string_member (exercise, "duration"), ==, "T+02:30");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) scenarios = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *samples = g_build_filename (g_getenv ("WC_SOURCE_ROOT"), "scenarios", NULL);
  g_autoptr(GDir) dir = g_dir_open (samples, 0, NULL);
  const char *name;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/msel/dutch", test_dutch);
  g_test_add_func ("/msel/english", test_english);
  g_test_add_func ("/msel/errors", test_errors);
  g_test_add_func ("/msel/loader-findings", test_loader_findings);
  g_test_add_func ("/msel/empty", test_empty);
  g_test_add_func ("/msel/cli", test_cli);
  g_test_add_func ("/whitecell/msel/cli-attachments", test_cli_attachments);
  g_test_add_func ("/whitecell/msel/formula-injection", test_formula_injection);
  g_test_add_func ("/whitecell/msel/formula-plain-sheet", test_formula_plain_sheet);
  g_test_add_func ("/whitecell/msel/untrusted/files", test_untrusted_files);
  g_test_add_func ("/whitecell/msel/untrusted/bounds", test_untrusted_bounds);
  g_test_add_func ("/whitecell/msel/untrusted/cli", test_cli_untrusted);
  g_test_add_func ("/whitecell/msel/duration-chain", test_duration_chain);
  g_test_add_func ("/whitecell/msel/judge/headings", test_judge_headings);
  g_test_add_func ("/whitecell/msel/judge/french", test_judge_french);
  g_test_add_func ("/whitecell/msel/judge/text-brackets", test_judge_text_brackets);
  g_test_add_func ("/whitecell/msel/judge/errors", test_judge_errors);
  g_test_add_func ("/whitecell/msel/judge/without-action", test_judge_without_action);
  g_test_add_func ("/whitecell/msel/judge/export", test_judge_export);

  g_ptr_array_add (scenarios, g_test_build_filename (G_TEST_DIST, "fixtures", "scenario", "valid.json", NULL));
  while (dir && (name = g_dir_read_name (dir)))
    {
      char *path = g_build_filename (samples, name, "scenario.json", NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (scenarios, path);
      else
        g_free (path);
    }
  for (guint i = 0; i < scenarios->len; i++)
    {
      const char *path = g_ptr_array_index (scenarios, i);
      g_autofree char *parent = g_path_get_dirname (path);
      g_autofree char *label = g_path_get_basename (i == 0 ? path : parent);
      g_autofree char *test = g_strdup_printf ("/msel/round-trip/%s", label);

      g_test_add_data_func (test, path, test_round_trip);
    }
  return g_test_run ();
}
