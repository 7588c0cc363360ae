/* test-evaluation.c: expected actions judged by their rules and by people, observations, ratings,
 * staff and the teams' feedback: each a journal record, read back by the metrics. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-util.h"
#include "wc-engine.h"
#include "wc-metrics.h"
#include "wc-scenario-loader.h"

static const char scenario_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"eval\", \"title\": \"Evaluation\", \"tlp\": \"AMBER\", \"duration\": \"T+02:00\",\n"
  "   \"objectives\": [{\"id\": \"O1\", \"text\": \"Decide in time\"}]},\n"
  " \"teams\": [{\"id\": \"a\", \"name\": \"A\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"b\", \"name\": \"B\", \"kind\": \"operator\"},\n"
  "           {\"id\": \"c\", \"name\": \"C\", \"kind\": \"operator\"}],\n"
  " \"staff\": [{\"id\": \"eve\", \"name\": \"Eve Evaluator\", \"role\": \"evaluator\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"D\", \"at\": \"T+00:10\", \"channel\": \"decision\", \"to\": \"all\", \"title\": \"t\", \"body\": \"b\",\n"
  "   \"options\": [{\"id\": \"isolate\", \"text\": \"Isolate\"}, {\"id\": \"wait\", \"text\": \"Wait\"}],\n"
  "   \"expected_actions\": [\n"
  "     {\"id\": \"decide\", \"text\": \"Isolate\", \"deadline\": \"00:15\", \"objective\": \"O1\", \"judge\": \"option:isolate\"},\n"
  "     {\"id\": \"answer\", \"text\": \"Answer\", \"deadline\": \"00:15\", \"judge\": \"answer\"},\n"
  "     {\"id\": \"brief\", \"text\": \"Brief the board\", \"objective\": \"O1\"}]}\n"
  " ]}\n";

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

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("eval.json");
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("whitecell-eval-XXXXXX", NULL);
  f->journal = g_build_filename (f->dir, "journal.jsonl", NULL);
  f->scenario = wc_scenario_load_data (scenario_json, strlen (scenario_json), NULL, diag, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
  wc_scenario_set_sha256 (f->scenario, "0000000000000000000000000000000000000000000000000000000000000000");
  f->engine = wc_engine_new (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  f->fake_us = 1000000;
  wc_engine_set_clock_func (f->engine, wc_test_fake_clock, &f->fake_us);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->engine);
  g_object_unref (f->scenario);
  wc_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->journal);
}

static const WcExpectedAction *
action_of (Fixture    *f,
           const char *id)
{
  const WcInject *inject = wc_scenario_find_inject (f->scenario, "D");

  for (guint i = 0; i < inject->expected_actions->len; i++)
    if (strcmp (((WcExpectedAction *) g_ptr_array_index (inject->expected_actions, i))->id, id) == 0)
      return g_ptr_array_index (inject->expected_actions, i);
  g_assert_not_reached ();
}

static WcVerdict
verdict_of (Fixture    *f,
            const char *team,
            const char *action,
            gboolean   *automatic)
{
  WcJudgement j;

  wc_engine_get_judgement (f->engine, "D", team, action_of (f, action), &j);
  if (automatic)
    *automatic = j.automatic;
  return j.verdict;
}

/* The scenario says how an action can be judged; the loader knows the option. */
static void
test_rules_loaded (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_cmpint (action_of (f, "decide")->judge, ==, WC_JUDGE_OPTION);
  g_assert_cmpstr (action_of (f, "decide")->judge_option, ==, "isolate");
  g_assert_cmpint (action_of (f, "answer")->judge, ==, WC_JUDGE_ANSWER);
  g_assert_cmpint (action_of (f, "brief")->judge, ==, WC_JUDGE_MANUAL);
  g_assert_cmpuint (wc_scenario_get_n_staff (f->scenario), ==, 1);
  g_assert_cmpint (wc_scenario_find_staff (f->scenario, "eve")->role, ==, WC_STAFF_EVALUATOR);
}

/* Rules propose "met" for a team that chose the expected option in time and "late" for one that
 * answered after the deadline; people overrule them; nothing judged stays "not assessed". */
static void
test_rules_and_people (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = NULL;
  g_autoptr(WcMetrics) metrics = NULL;
  g_autoptr(GArray) queue = NULL;
  const WcTeamMetrics *all;
  gboolean automatic;

  g_assert_true (wc_engine_start (f->engine, &error));
  at (f, 10);
  at (f, 20);
  g_assert_true (wc_engine_respond (f->engine, "D", "a", NULL, "isolate", &error));
  at (f, 40);
  g_assert_true (wc_engine_respond (f->engine, "D", "b", "We wait", "wait", &error));

  g_assert_cmpint (verdict_of (f, "a", "decide", &automatic), ==, WC_VERDICT_MET);
  g_assert_true (automatic);
  g_assert_cmpint (verdict_of (f, "a", "answer", NULL), ==, WC_VERDICT_MET);
  g_assert_cmpint (verdict_of (f, "b", "decide", NULL), ==, WC_VERDICT_PENDING);
  g_assert_cmpint (verdict_of (f, "b", "answer", NULL), ==, WC_VERDICT_LATE);
  g_assert_cmpint (verdict_of (f, "c", "answer", NULL), ==, WC_VERDICT_PENDING);

  /* what waits for a person: everything but what a person judged (proposals to confirm too) */
  queue = wc_engine_list_to_assess (f->engine);
  g_assert_cmpuint (queue->len, ==, 9);

  /* an evaluator overrules, by position in the inject, and says who */
  wc_engine_set_actor (f->engine, "eve");
  g_assert_true (wc_engine_assess (f->engine, "D", "b", "1", WC_VERDICT_NOT_MET, "chose to wait",
                                   &error));
  g_assert_true (wc_engine_assess (f->engine, "D", "a", "brief", WC_VERDICT_PARTIAL, NULL, &error));
  wc_engine_set_actor (f->engine, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (verdict_of (f, "b", "decide", &automatic), ==, WC_VERDICT_NOT_MET);
  g_assert_false (automatic);

  /* bad input: a clear error, and nothing recorded */
  {
    guint n = wc_journal_get_n_records (wc_engine_get_journal (f->engine));

    g_assert_false (wc_engine_assess (f->engine, "D", "a", "nope", WC_VERDICT_MET, NULL, &error));
    g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_false (wc_engine_assess (f->engine, "D", "z", "1", WC_VERDICT_MET, NULL, &error));
    g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_false (wc_engine_assess (f->engine, "D", "a", "4", WC_VERDICT_MET, NULL, &error));
    g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_cmpuint (wc_journal_get_n_records (wc_engine_get_journal (f->engine)), ==, n);
  }
  g_assert_true (wc_engine_end (f->engine, "done", &error));

  /* the metrics read the same judgements from the journal */
  journal = wc_journal_load (f->journal, &error);
  g_assert_no_error (error);
  metrics = wc_metrics_new (f->scenario, journal);
  all = wc_metrics_get_overall (metrics);
  /* a: decide met (rule), answer met (rule), brief partial (person);
   * b: decide not met (person), answer late (rule), brief not assessed;
   * c: nothing done, nothing judged: three not assessed */
  g_assert_cmpuint (all->actions[WC_ACTION_MET], ==, 2);
  g_assert_cmpuint (all->actions[WC_ACTION_LATE], ==, 1);
  g_assert_cmpuint (all->actions[WC_ACTION_PARTIAL], ==, 1);
  g_assert_cmpuint (all->actions[WC_ACTION_NOT_MET], ==, 1);
  g_assert_cmpuint (all->actions[WC_ACTION_NOT_ASSESSED], ==, 4);
  for (guint i = 0; i < wc_metrics_get_n_rows (metrics); i++)
    {
      const WcTeamInjectMetrics *row = wc_metrics_get_row (metrics, i);
      const WcActionResult *decide = &g_array_index (row->actions, WcActionResult, 0);

      if (strcmp (row->team->id, "b") == 0)
        {
          g_assert_cmpstr (decide->by, ==, "eve");
          g_assert_cmpstr (decide->note, ==, "chose to wait");
          g_assert_false (decide->automatic);
        }
      if (strcmp (row->team->id, "a") == 0)
        g_assert_true (decide->automatic);
    }
}

/* Observations, ratings, staff and feedback: validated, journaled, and replayed after a resume. */
static void
test_observations_feedback (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WcFeedback feedback = { "Clear roles", "Slow escalation", 4, 5, NULL };
  WcEngine *resumed;

  g_assert_true (wc_engine_start (f->engine, &error));
  at (f, 12);
  g_assert_true (wc_engine_add_staff (f->engine, "olga", "Olga Observer", WC_STAFF_OBSERVER, &error));
  g_assert_false (wc_engine_add_staff (f->engine, "olga", "Twice", WC_STAFF_OBSERVER, &error));
  g_clear_error (&error);
  g_assert_false (wc_engine_add_staff (f->engine, "a b", "Space", WC_STAFF_OBSERVER, &error));
  g_clear_error (&error);
  g_assert_cmpint (wc_engine_find_staff (f->engine, "olga")->role, ==, WC_STAFF_OBSERVER);
  wc_engine_set_actor (f->engine, "eve");
  g_assert_true (wc_engine_observe (f->engine, "A escalated at once", WC_OBSERVATION_STRENGTH,
                                    "a", "D", "O1", &error));
  g_assert_false (wc_engine_observe (f->engine, "about nobody", WC_OBSERVATION_NOTE, "z", NULL,
                                     NULL, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (wc_engine_rate_objective (f->engine, "O1", NULL, WC_RATING_SOME_CHALLENGES,
                                           "One team waited", &error));
  wc_engine_set_actor (f->engine, NULL);
  /* feedback belongs to the hot wash, after the end */
  g_assert_false (wc_engine_give_feedback (f->engine, "a", &feedback, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (wc_engine_end (f->engine, "done", &error));
  g_assert_true (wc_engine_give_feedback (f->engine, "a", &feedback, &error));
  g_assert_no_error (error);
  feedback.realism = 9;
  g_assert_false (wc_engine_give_feedback (f->engine, "b", &feedback, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_finalize_object (f->engine);
  resumed = wc_engine_resume (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  f->engine = resumed;
  g_assert_cmpint (wc_engine_find_staff (resumed, "olga")->role, ==, WC_STAFF_OBSERVER);
  g_assert_cmpstr (json_object_get_string_member (wc_engine_get_feedback (resumed, "a"),
                                                  "strengths"), ==, "Clear roles");
  g_assert_null (wc_engine_get_feedback (resumed, "b"));
}

/* An observation sent again with its observer's Idempotency-Key (the reply lost) is the first
 * one: nothing recorded, the first record's number back; the key with another observation is a
 * conflict; each person's keys are their own; a resumed controller still knows them. */
static void
test_observation_key (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WcJournal *journal;
  guint64 first = 0, again = 0, other = 0;
  guint n;

  g_assert_true (wc_engine_start (f->engine, &error));
  at (f, 5);
  wc_engine_set_actor (f->engine, "eve");
  g_assert_true (wc_engine_observe_with_key (f->engine, "A escalated", WC_OBSERVATION_STRENGTH,
                                             "a", NULL, NULL, "obs-1", &first, &error));
  g_assert_no_error (error);
  journal = wc_engine_get_journal (f->engine);
  n = wc_journal_get_n_records (journal);
  g_assert_cmpuint (first, ==, n);
  g_assert_cmpstr (wc_record_get_key (wc_journal_get_record (journal, n - 1)->data), ==, "obs-1");
  at (f, 6);
  g_assert_true (wc_engine_observe_with_key (f->engine, "A escalated", WC_OBSERVATION_STRENGTH,
                                             "a", NULL, NULL, "obs-1", &again, &error));
  g_assert_cmpuint (again, ==, first);
  g_assert_cmpuint (wc_journal_get_n_records (journal), ==, n);
  g_assert_false (wc_engine_observe_with_key (f->engine, "A escalated late",
                                              WC_OBSERVATION_STRENGTH, "a", NULL, NULL, "obs-1",
                                              NULL, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_CONFLICT);
  g_clear_error (&error);
  /* another person's "obs-1" (the controller at this machine's too) is theirs */
  wc_engine_set_actor (f->engine, "pat");
  g_assert_true (wc_engine_observe_with_key (f->engine, "A escalated", WC_OBSERVATION_STRENGTH,
                                             "a", NULL, NULL, "obs-1", &other, &error));
  g_assert_cmpuint (other, ==, n + 1);
  wc_engine_set_actor (f->engine, NULL);
  g_assert_true (wc_engine_observe_with_key (f->engine, "A escalated", WC_OBSERVATION_STRENGTH,
                                             "a", NULL, NULL, "obs-1", &other, &error));
  g_assert_cmpuint (other, ==, n + 2);
  g_assert_false (wc_engine_observe_with_key (f->engine, "x", WC_OBSERVATION_NOTE, NULL, NULL,
                                              NULL, "obs 1", NULL, &error));
  g_assert_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID);
  g_clear_error (&error);

  /* the controller stops and is resumed: eve's key is read back from the journal */
  g_assert_true (wc_engine_stop (f->engine, "test", &error));
  g_assert_finalize_object (f->engine);
  f->engine = wc_engine_resume (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  journal = wc_engine_get_journal (f->engine);
  n = wc_journal_get_n_records (journal);
  wc_engine_set_actor (f->engine, "eve");
  g_assert_true (wc_engine_observe_with_key (f->engine, "A escalated", WC_OBSERVATION_STRENGTH,
                                             "a", NULL, NULL, "obs-1", &again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (again, ==, first);
  g_assert_cmpuint (wc_journal_get_n_records (journal), ==, n);
  wc_engine_set_actor (f->engine, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) \
  g_test_add ("/whitecell/evaluation/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("rules-loaded", test_rules_loaded);
  ADD ("rules-and-people", test_rules_and_people);
  ADD ("observations-feedback", test_observations_feedback);
  ADD ("observation-key", test_observation_key);
  return g_test_run ();
}
