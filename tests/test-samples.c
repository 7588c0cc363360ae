/* test-samples.c: the bundled sample scenarios are valid, clean, and rich enough to train with. */
#include "config.h"

#include <string.h>

#include "wc-scenario-loader.h"

static GPtrArray *
list_samples (void)
{
  g_autofree char *dir_path = g_build_filename (g_getenv ("WC_SOURCE_ROOT"), "scenarios", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    {
      char *path = g_build_filename (dir_path, name, "scenario.json", NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (paths, path);
      else
        g_free (path);
    }
  return paths;
}

static void
test_sample (gconstpointer data)
{
  const char *path = data;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) s = wc_scenario_load (path, diag, &error);
  gboolean decision = FALSE, contingency = FALSE, manual = FALSE, after = FALSE;
  guint media = 0;

  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      g_autofree char *line = wc_diagnostic_format (wc_diagnostics_get_item (diag, i));

      g_test_message ("%s", line);
    }
  g_assert_no_error (error);
  g_assert_nonnull (s);
  /* A sample is something to imitate: not even a warning. */
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
  g_assert_cmpuint (wc_scenario_get_n_injects (s), >=, 25);
  g_assert_cmpuint (wc_scenario_get_n_teams (s), >=, 5);
  g_assert_cmpuint (wc_scenario_get_n_objectives (s), >=, 3);
  for (guint i = 0; i < wc_scenario_get_n_injects (s); i++)
    {
      const WcInject *inject = wc_scenario_get_inject (s, i);

      decision |= inject->channel == WC_CHANNEL_DECISION;
      contingency |= inject->trigger == WC_TRIGGER_NO_RESPONSE;
      manual |= inject->trigger == WC_TRIGGER_MANUAL;
      after |= inject->trigger == WC_TRIGGER_AFTER;
      if (inject->channel == WC_CHANNEL_NEWS || inject->channel == WC_CHANNEL_SOCIAL)
        media++;
    }
  g_assert_true (decision);
  g_assert_true (contingency);
  g_assert_true (manual);
  g_assert_true (after);
  g_assert_cmpuint (media, >=, 3);
}

/* Every sample shows how an exercise is evaluated: who runs and judges it, and expected actions
 * judged by each rule as well as by a person. */
static void
test_evaluation (gconstpointer data)
{
  const char *path = data;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(WcScenario) s = wc_scenario_load (path, diag, NULL);
  guint roles[WC_STAFF_OBSERVER + 1] = { 0 };
  guint rules[WC_JUDGE_OPTION + 1] = { 0 };

  g_assert_nonnull (s);
  for (guint i = 0; i < wc_scenario_get_n_staff (s); i++)
    {
      const WcStaff *staff = wc_scenario_get_staff (s, i);

      roles[staff->role]++;
      /* the window's own token is the director "controller" */
      g_assert_cmpstr (staff->id, !=, "controller");
    }
  g_assert_cmpuint (roles[WC_STAFF_DIRECTOR], >=, 1);
  g_assert_cmpuint (roles[WC_STAFF_CONTROLLER], >=, 1);
  g_assert_cmpuint (roles[WC_STAFF_EVALUATOR], >=, 2);
  g_assert_cmpuint (roles[WC_STAFF_OBSERVER], >=, 1);

  for (guint i = 0; i < wc_scenario_get_n_injects (s); i++)
    {
      const WcInject *inject = wc_scenario_get_inject (s, i);

      for (guint k = 0; k < inject->expected_actions->len; k++)
        {
          const WcExpectedAction *action = g_ptr_array_index (inject->expected_actions, k);

          rules[action->judge]++;
          /* a rule judges against a deadline: met or met late */
          if (action->judge != WC_JUDGE_MANUAL)
            g_assert_cmpint (action->deadline_ms, >, 0);
          /* an option rule sits on a decision (the loader checks the option is one of its own) */
          if (action->judge == WC_JUDGE_OPTION)
            g_assert_cmpint (inject->channel, ==, WC_CHANNEL_DECISION);
        }
    }
  g_assert_cmpuint (rules[WC_JUDGE_ACKNOWLEDGE], >=, 1);
  g_assert_cmpuint (rules[WC_JUDGE_ANSWER], >=, 1);
  g_assert_cmpuint (rules[WC_JUDGE_OPTION], >=, 1);
  /* most of what an exercise tests needs a person's judgement */
  g_assert_cmpuint (rules[WC_JUDGE_MANUAL], >, rules[WC_JUDGE_ACKNOWLEDGE] + rules[WC_JUDGE_ANSWER] +
                                               rules[WC_JUDGE_OPTION]);
}

/* At least one sample speaks all three of the country's languages, everywhere. */
static void
test_trilingual (gconstpointer data)
{
  GPtrArray *paths = (GPtrArray *) data;
  gboolean found = FALSE;

  for (guint k = 0; k < paths->len && !found; k++)
    {
      const char *path = g_ptr_array_index (paths, k);
      g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
      g_autoptr(WcScenario) s = wc_scenario_load (path, diag, NULL);
      const char *const *langs;
      gboolean all = TRUE;

      if (s == NULL)
        continue;
      langs = wc_scenario_get_languages (s);
      if (!g_strv_contains (langs, "nl") || !g_strv_contains (langs, "fr") ||
          !g_strv_contains (langs, "en"))
        continue;
      for (guint i = 0; i < wc_scenario_get_n_injects (s) && all; i++)
        {
          const WcInject *inject = wc_scenario_get_inject (s, i);

          all = !wc_text_is_plain (inject->title) && !wc_text_is_plain (inject->body);
        }
      found = all;
    }
  g_assert_true (found);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) paths = NULL;

  g_test_init (&argc, &argv, NULL);
  paths = list_samples ();
  g_assert_cmpuint (paths->len, >=, 3);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *base = g_path_get_basename (dir);
      g_autofree char *name = g_strdup_printf ("/whitecell/samples/%s", base);

      g_autofree char *evaluation = g_strdup_printf ("/whitecell/samples/%s/evaluation", base);

      g_test_add_data_func (name, path, test_sample);
      g_test_add_data_func (evaluation, path, test_evaluation);
    }
  g_test_add_data_func ("/whitecell/samples/trilingual", paths, test_trilingual);
  return g_test_run ();
}
