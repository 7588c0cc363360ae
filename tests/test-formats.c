/* test-formats.c: other tools' scenarios (OpenBAS / OpenAEV, T3SF, MISP CEXF) imported from real
 * public samples, validated, played to their end; the drift between OpenBAS versions; the CEXF
 * round trip; broken inputs. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-util.h"
#include "wc-cexf.h"
#include "wc-import.h"
#include "wc-scenario-loader.h"

typedef WcScenario *(*ImportFunc) (const char *, WcImportReport *, GError **);

static char *
fixture (const char *name)
{
  return g_build_filename (g_getenv ("WC_SOURCE_ROOT"), "tests", "fixtures", "formats", name,
                           NULL);
}

/* The loader's own validation of the scenario as it would be written, attachments included. */
static WcScenario *
revalidate (WcScenario *s)
{
  g_autofree char *dir = g_path_get_dirname (wc_scenario_get_path (s));
  g_autofree char *data = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("written.json");
  g_autoptr(GError) error = NULL;
  WcScenario *again;
  gsize length;

  data = wc_scenario_to_data (s, &length);
  again = wc_scenario_load_data (data, length, dir, diag, &error);
  g_assert_no_error (error);
  g_assert_false (wc_diagnostics_has_errors (diag));
  return again;
}

typedef struct {
  const char *file;
  ImportFunc  import;
  guint       min_injects;
  guint       min_teams;
} Sample;

static const Sample samples[] = {
  { "t3sf-msel-example.json", wc_import_t3sf, 6, 6 },
  { "cexf-misp-01.json", wc_import_cexf, 1, 1 },
  { "openbas-scenario-current.json", wc_import_openbas, 3, 2 },
  { "openbas-exercise-legacy.json", wc_import_openbas, 3, 2 },
  { "openbas-scenario-current.zip", wc_import_openbas, 3, 2 },
};

static void
test_sample (gconstpointer data)
{
  const Sample *sample = data;
  g_autofree char *path = fixture (sample->file);
  g_autoptr(WcImportReport) report = wc_import_report_new (path, "test");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) s = sample->import (path, report, &error);
  g_autoptr(WcScenario) again = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (s);
  text = wc_import_report_to_text (report);
  g_test_message ("%s", text);
  /* every field read is in the report */
  g_assert_cmpuint (wc_import_report_count (report, WC_MAPPING_MAPPED), >, 0);
  g_assert_cmpuint (wc_scenario_get_n_injects (s), >=, sample->min_injects);
  g_assert_cmpuint (wc_scenario_get_n_teams (s), >=, sample->min_teams);
  again = revalidate (s);
  g_assert_cmpuint (wc_scenario_get_n_injects (again), ==, wc_scenario_get_n_injects (s));
  wc_test_play_to_end (s);
}

static const WcInject *
find (WcScenario *s,
      const char *id)
{
  const WcInject *inject = wc_scenario_find_inject (s, id);

  g_assert_nonnull (inject);
  return inject;
}

/* T3SF: a poll is a decision, a picture a link, "PR/Comm" one team, repeated rows one inject. */
static void
test_t3sf (void)
{
  g_autofree char *path = fixture ("t3sf-msel-example.json");
  g_autoptr(WcImportReport) report = wc_import_report_new (path, "t3sf");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) s = wc_import_t3sf (path, report, &error);
  const WcTeam *pr;
  const WcInject *ransom, *poll;

  g_assert_no_error (error);
  pr = wc_scenario_find_team (s, "PR-Comm");
  g_assert_nonnull (pr);
  g_assert_cmpstr (wc_text_get (pr->name, NULL, NULL), ==, "PR/Comm");
  /* rows 5–10 are one message to six players */
  ransom = find (s, "T005");
  g_assert_cmpuint (ransom->to->len, ==, 6);
  g_assert_nonnull (strstr (wc_text_get (ransom->body, NULL, NULL),
                            "https://cdn2.hubspot.net/hubfs/486579/lp/academy/malware/"));
  /* "Monday 11:00 AM" is 90 minutes after "Monday 9:30 AM" */
  g_assert_cmpint (ransom->at_ms, ==, 90 * 60 * 1000);
  poll = find (s, "T004");
  g_assert_cmpint (poll->channel, ==, WC_CHANNEL_DECISION);
  g_assert_cmpuint (poll->options->len, ==, 2);
  g_assert_cmpuint (wc_import_report_count (report, WC_MAPPING_KEPT), >, 0);
}

/* The real OpenBAS export of a technical inject: listed as skipped, one clear error. */
static void
test_openbas_technical (void)
{
  g_autofree char *path = fixture ("openbas-v1-technical.json");
  g_autoptr(WcImportReport) report = wc_import_report_new (path, "openbas");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) s = wc_import_openbas (path, report, &error);

  g_assert_null (s);
  g_assert_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "openbas-v1-technical.json"));
  g_assert_cmpuint (wc_import_report_count (report, WC_MAPPING_SKIPPED), ==, 1);
  for (guint i = 0; i < wc_import_report_get_n_items (report); i++)
    if (wc_import_report_get_kind (report, i) == WC_MAPPING_SKIPPED)
      g_assert_nonnull (strstr (wc_import_report_get_text (report, i), "openbas_implant"));
}

/* Two spellings of one export give one scenario: same injects, times, channels, recipients,
 * triggers and expected actions; variables substituted, HTML as text with its links. */
static void
test_openbas_drift (void)
{
  g_autofree char *current_path = fixture ("openbas-scenario-current.json");
  g_autofree char *legacy_path = fixture ("openbas-exercise-legacy.json");
  g_autoptr(WcImportReport) r1 = wc_import_report_new (current_path, "openbas");
  g_autoptr(WcImportReport) r2 = wc_import_report_new (legacy_path, "openbas");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) a = wc_import_openbas (current_path, r1, &error);
  g_autoptr(WcScenario) b = NULL;
  const WcInject *mail, *article;

  g_assert_no_error (error);
  b = wc_import_openbas (legacy_path, r2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_scenario_get_n_injects (a), ==, 3);
  g_assert_cmpuint (wc_scenario_get_n_injects (b), ==, 3);
  g_assert_cmpuint (wc_scenario_get_n_teams (a), ==, 2);  /* the repeated team merged */
  for (guint i = 0; i < 3; i++)
    {
      const WcInject *x = wc_scenario_get_inject (a, i), *y = wc_scenario_get_inject (b, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpint (x->at_ms, ==, y->at_ms);
      g_assert_cmpint (x->trigger, ==, y->trigger);
      g_assert_cmpint (x->channel, ==, y->channel);
      g_assert_cmpint (x->to_all, ==, y->to_all);
      g_assert_cmpuint (x->to->len, ==, y->to->len);
      g_assert_cmpuint (x->expected_actions->len, ==, y->expected_actions->len);
      g_assert_cmpstr (wc_text_get (x->title, NULL, NULL), ==, wc_text_get (y->title, NULL, NULL));
      g_assert_cmpstr (wc_text_get (x->body, NULL, NULL), ==, wc_text_get (y->body, NULL, NULL));
    }
  mail = find (a, "b0000000-0000-4000-8000-000000000001");
  g_assert_cmpint (mail->at_ms, ==, 600 * 1000);
  g_assert_cmpstr (wc_text_get (mail->title, NULL, NULL), ==, "Encrypted servers at St. Example");
  g_assert_nonnull (strstr (wc_text_get (mail->body, NULL, NULL),
                            "the ransom note <https://example.org/ransom-note>"));
  g_assert_null (strstr (wc_text_get (mail->body, NULL, NULL), "<p>"));
  g_assert_cmpuint (mail->expected_actions->len, ==, 2);
  /* depends_on → after the parent, at the same planned time */
  article = find (a, "b0000000-0000-4000-8000-000000000002");
  g_assert_cmpint (article->trigger, ==, WC_TRIGGER_AFTER);
  g_assert_cmpint (article->trigger_delay_ms, ==, (2400 - 600) * 1000);
  g_assert_cmpint (article->channel, ==, WC_CHANNEL_NEWS);
  /* the implant / scanner and the disabled draft are listed, not lost */
  g_assert_cmpuint (wc_import_report_count (r1, WC_MAPPING_SKIPPED), >=, 2);
  g_assert_cmpuint (wc_import_report_count (r2, WC_MAPPING_SKIPPED), >=, 1);
  /* ${user.firstname} has no value: listed */
  g_assert_cmpuint (wc_import_report_count (r1, WC_MAPPING_WARNING), >=, 1);
}

/* The ZIP's documents become attachments beside the scenario, copied out by the caller. */
static void
test_openbas_zip (void)
{
  g_autofree char *path = fixture ("openbas-scenario-current.zip");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) s = wc_import_openbas (path, NULL, &error);
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *contents = NULL;
  const WcInject *mail;
  const WcAttachment *attachment;

  g_assert_no_error (error);
  mail = find (s, "b0000000-0000-4000-8000-000000000001");
  g_assert_cmpuint (mail->attachments->len, ==, 1);
  attachment = g_ptr_array_index (mail->attachments, 0);
  g_assert_cmpstr (attachment->media_type, ==, "text/plain");
  dir = g_path_get_dirname (wc_scenario_get_path (s));
  file = g_build_filename (dir, attachment->file, NULL);
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Pay 2 BTC"));
  /* the staging folder goes with the scenario */
  g_clear_object (&s);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* The real CEXF sample: the e-mail payload as body and attachment, evaluations as expected
 * actions, the network inject skipped. */
static void
test_cexf (void)
{
  g_autofree char *path = fixture ("cexf-misp-01.json");
  g_autoptr(WcImportReport) report = wc_import_report_new (path, "cexf");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) s = wc_import_cexf (path, report, &error);
  const WcInject *mail;

  g_assert_no_error (error);
  g_assert_cmpuint (wc_scenario_get_n_injects (s), ==, 1);
  mail = wc_scenario_get_inject (s, 0);
  g_assert_cmpint (mail->channel, ==, WC_CHANNEL_EMAIL);
  g_assert_nonnull (strstr (wc_text_get (mail->body, NULL, NULL), "From csirt@telco.lu"));
  g_assert_cmpuint (mail->attachments->len, ==, 1);
  g_assert_cmpuint (mail->expected_actions->len, ==, 5);
  g_assert_cmpint (wc_scenario_get_duration_ms (s), ==, 7200 * 1000);
  g_assert_cmpuint (wc_import_report_count (report, WC_MAPPING_SKIPPED), ==, 1);
}

/* A Whitecell scenario → CEXF → back: the same injects, times, triggers, recipients and expected
 * actions. */
static void
test_cexf_round_trip (void)
{
  g_autofree char *sample = g_build_filename (g_getenv ("WC_SOURCE_ROOT"), "scenarios",
                                              "hospital-ransomware", "scenario.json", NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (sample);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) s = wc_scenario_load (sample, diag, &error);
  g_autofree char *dir = g_dir_make_tmp ("whitecell-cexf-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "exercise.cexf.json", NULL);
  g_autoptr(WcScenario) back = NULL;

  g_assert_no_error (error);
  g_assert_true (wc_export_cexf (s, out, &error));
  g_assert_no_error (error);
  back = wc_import_cexf (out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_scenario_get_id (back), ==, wc_scenario_get_id (s));
  g_assert_cmpint (wc_scenario_get_duration_ms (back), ==, wc_scenario_get_duration_ms (s));
  g_assert_cmpuint (wc_scenario_get_n_teams (back), ==, wc_scenario_get_n_teams (s));
  g_assert_cmpuint (wc_scenario_get_n_injects (back), ==, wc_scenario_get_n_injects (s));
  for (guint i = 0; i < wc_scenario_get_n_injects (s); i++)
    {
      const WcInject *x = wc_scenario_get_inject (s, i);
      const WcInject *y = find (back, x->id);
      const char *lang = wc_scenario_get_default_language (s);

      g_assert_cmpint (x->trigger, ==, y->trigger);
      if (x->trigger == WC_TRIGGER_AT)
        g_assert_cmpint (x->at_ms, ==, y->at_ms);
      else if (x->trigger != WC_TRIGGER_MANUAL)
        {
          g_assert_cmpstr (x->trigger_inject, ==, y->trigger_inject);
          g_assert_cmpint (x->trigger_delay_ms, ==, y->trigger_delay_ms);
        }
      g_assert_cmpint (x->channel, ==, y->channel);
      g_assert_cmpint (x->to_all, ==, y->to_all);
      g_assert_cmpuint (x->to->len, ==, y->to->len);
      for (guint k = 0; k < x->to->len; k++)
        g_assert_cmpstr (g_ptr_array_index (x->to, k), ==, g_ptr_array_index (y->to, k));
      g_assert_cmpuint (x->options->len, ==, y->options->len);
      g_assert_cmpstr (wc_text_get (x->title, lang, NULL), ==, wc_text_get (y->title, NULL, NULL));
      g_assert_cmpstr (wc_text_get (x->body, lang, NULL), ==, wc_text_get (y->body, NULL, NULL));
      g_assert_cmpuint (x->expected_actions->len, ==, y->expected_actions->len);
      for (guint k = 0; k < x->expected_actions->len; k++)
        {
          const WcExpectedAction *ea = g_ptr_array_index (x->expected_actions, k);
          const WcExpectedAction *eb = g_ptr_array_index (y->expected_actions, k);

          g_assert_cmpstr (ea->id, ==, eb->id);
          g_assert_cmpint (ea->deadline_ms, ==, eb->deadline_ms);
          g_assert_cmpint (ea->judge, ==, eb->judge);
          g_assert_cmpstr (ea->judge_option, ==, eb->judge_option);
        }
    }
  wc_test_play_to_end (back);
  wc_test_remove_dir (dir);
}

typedef struct {
  const char   *name;
  const char   *data;
  gssize        length;
  ImportFunc    import;
  int           code;
} Broken;

static const Broken broken[] = {
  { "not-json", "hello, world", -1, wc_import_cexf, WC_IMPORT_ERROR_CORRUPT },
  { "truncated-json", "{\"exercise\": {\"name\": \"x\"", -1, wc_import_cexf,
    WC_IMPORT_ERROR_CORRUPT },
  { "none-of-these", "{\"hello\": [1, 2, 3]}", -1, wc_import_openbas,
    WC_IMPORT_ERROR_UNKNOWN_FORMAT },
  { "none-of-these-t3sf", "{\"hello\": [1, 2, 3]}", -1, wc_import_t3sf,
    WC_IMPORT_ERROR_UNKNOWN_FORMAT },
  { "none-of-these-cexf", "[{\"Script\": \"x\"}]", -1, wc_import_cexf,
    WC_IMPORT_ERROR_UNKNOWN_FORMAT },
  { "truncated-zip", "PK\003\004\024\000\000\000\010\000", 10, wc_import_openbas,
    WC_IMPORT_ERROR_CORRUPT },
  { "empty-t3sf", "[]", -1, wc_import_t3sf, WC_IMPORT_ERROR_UNKNOWN_FORMAT },
  { "cexf-no-playable", "{\"exercise\": {}, \"injects\": [{\"uuid\": \"u\", \"action\": "
    "\"network_connection\"}]}", -1, wc_import_cexf, WC_IMPORT_ERROR_INVALID },
  { "openbas-wrong-types", "{\"scenario_information\": [], \"exercise_information\": {"
    "\"exercise_name\": 5}, \"exercise_injects\": [{\"inject_id\": 7}, 3, null, {\"inject_id\": "
    "\"x\", \"inject_type\": \"openbas_email\", \"inject_depends_duration\": -5}]}", -1,
    wc_import_openbas, WC_IMPORT_ERROR_INVALID },
};

static void
test_broken (gconstpointer data)
{
  const Broken *b = data;
  g_autofree char *dir = g_dir_make_tmp ("whitecell-broken-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, b->name, NULL);
  g_autoptr(WcImportReport) report = wc_import_report_new (path, "broken");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) s = NULL;

  g_assert_true (g_file_set_contents (path, b->data, b->length, NULL));
  s = b->import (path, report, &error);
  g_assert_null (s);
  g_assert_error (error, WC_IMPORT_ERROR, b->code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, b->name));
  wc_test_remove_dir (dir);
}

/* Nesting far beyond any export is refused by the JSON reader, not by the stack. */
static void
test_deep (void)
{
  g_autofree char *dir = g_dir_make_tmp ("whitecell-deep-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "deep.json", NULL);
  g_autoptr(GString) s = g_string_new ("{\"exercise\": {}, \"injects\": ");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) scenario = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, '[');
  g_assert_true (g_file_set_contents (path, s->str, s->len, NULL));
  scenario = wc_import_cexf (path, NULL, &error);
  g_assert_null (scenario);
  g_assert_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT);
  wc_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/formats/sample/%s", samples[i].file);

      g_test_add_data_func (name, &samples[i], test_sample);
    }
  g_test_add_func ("/whitecell/formats/t3sf", test_t3sf);
  g_test_add_func ("/whitecell/formats/openbas-technical", test_openbas_technical);
  g_test_add_func ("/whitecell/formats/openbas-drift", test_openbas_drift);
  g_test_add_func ("/whitecell/formats/openbas-zip", test_openbas_zip);
  g_test_add_func ("/whitecell/formats/cexf", test_cexf);
  g_test_add_func ("/whitecell/formats/cexf-round-trip", test_cexf_round_trip);
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/formats/broken/%s", broken[i].name);

      g_test_add_data_func (name, &broken[i], test_broken);
    }
  g_test_add_func ("/whitecell/formats/deep", test_deep);
  return g_test_run ();
}
