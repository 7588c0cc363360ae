/* test-scenario.c: the scenario model's small parts: times, texts, names, hints. */
#include "config.h"

#include "wc-diagnostics.h"
#include "wc-scenario.h"

typedef struct {
  const char *text;
  gboolean    ok;
  gint64      ms;
} TimeCase;

static const TimeCase time_cases[] = {
  { "T+00:00", TRUE, 0 },
  { "T+01:30", TRUE, 90 * 60 * 1000 },
  { "T+01:30:15", TRUE, (90 * 60 + 15) * 1000 },
  { "02:05", TRUE, 125 * 60 * 1000 },
  { "T+100:00", TRUE, (gint64) 100 * 3600 * 1000 },
  { "0:45", TRUE, 45 * 60 * 1000 },
  { "T+1:60", FALSE, 0 },
  { "T+01:5", FALSE, 0 },
  { "T+01:05:60", FALSE, 0 },
  { "T-01:00", FALSE, 0 },
  { "T+01:00 ", FALSE, 0 },
  { "90", FALSE, 0 },
  { "", FALSE, 0 },
  { "T+", FALSE, 0 },
  { "T+12345:00", FALSE, 0 },
  { "T+01:00:00:00", FALSE, 0 },
};

static void
test_time_parse (gconstpointer data)
{
  const TimeCase *c = data;
  gint64 ms = -42;

  g_assert_cmpint (wc_time_parse (c->text, &ms), ==, c->ok);
  if (c->ok)
    g_assert_cmpint (ms, ==, c->ms);
  else
    g_assert_cmpint (ms, ==, -42);
}

static void
test_time_format (void)
{
  g_autofree char *a = wc_time_format (0, TRUE);
  g_autofree char *b = wc_time_format (90 * 60 * 1000, TRUE);
  g_autofree char *c = wc_time_format ((90 * 60 + 15) * 1000, TRUE);
  g_autofree char *d = wc_time_format (90 * 60 * 1000, FALSE);
  g_autofree char *e = wc_time_format ((gint64) 100 * 3600 * 1000 + 999, FALSE);

  g_assert_cmpstr (a, ==, "T+00:00");
  g_assert_cmpstr (b, ==, "T+01:30");
  g_assert_cmpstr (c, ==, "T+01:30:15");
  g_assert_cmpstr (d, ==, "T+01:30:00");
  g_assert_cmpstr (e, ==, "T+100:00:00");
}

static void
test_text (void)
{
  g_autoptr(WcText) plain = wc_text_new_plain ("hello");
  g_autoptr(WcText) multi = wc_text_new ();
  g_autofree const char **langs = NULL;

  g_assert_true (wc_text_is_plain (plain));
  g_assert_cmpstr (wc_text_get (plain, "fr", "en"), ==, "hello");
  g_assert_null (wc_text_get_exact (plain, "fr"));

  wc_text_set (multi, "nl", "hallo");
  wc_text_set (multi, "fr", "bonjour");
  g_assert_false (wc_text_is_plain (multi));
  g_assert_cmpstr (wc_text_get (multi, "fr", "nl"), ==, "bonjour");
  g_assert_cmpstr (wc_text_get (multi, "en", "nl"), ==, "hallo");
  /* neither asked nor fallback language: always the same one */
  g_assert_cmpstr (wc_text_get (multi, "en", "de"), ==, "bonjour");
  langs = wc_text_get_languages (multi);
  g_assert_cmpstr (langs[0], ==, "fr");
  g_assert_cmpstr (langs[1], ==, "nl");
  g_assert_null (langs[2]);
}

static void
test_names (void)
{
  WcTlp tlp;
  WcChannel channel;
  WcTeamKind kind;

  g_assert_true (wc_tlp_from_string ("AMBER+STRICT", &tlp));
  g_assert_cmpint (tlp, ==, WC_TLP_AMBER_STRICT);
  g_assert_false (wc_tlp_from_string ("amber", &tlp));
  g_assert_false (wc_tlp_from_string ("WHITE", &tlp));  /* TLP 1.0; 2.0 calls it CLEAR */
  for (guint i = 0; wc_channel_names ()[i]; i++)
    {
      g_assert_true (wc_channel_from_string (wc_channel_names ()[i], &channel));
      g_assert_cmpstr (wc_channel_to_string (channel), ==, wc_channel_names ()[i]);
    }
  g_assert_true (wc_team_kind_from_string ("crisis-centre", &kind));
  g_assert_cmpint (kind, ==, WC_TEAM_KIND_CRISIS_CENTRE);
  g_assert_cmpstr (wc_team_kind_to_string (WC_TEAM_KIND_PRESS_OFFICE), ==, "press-office");
}

static void
test_hints (void)
{
  const char *const fields[] = { "title", "body", "channel", "expected_actions", NULL };

  g_assert_cmpuint (wc_levenshtein ("kitten", "sitting"), ==, 3);
  g_assert_cmpuint (wc_levenshtein ("", "abc"), ==, 3);
  g_assert_cmpuint (wc_levenshtein ("Title", "title"), ==, 0);
  g_assert_cmpstr (wc_closest_word ("titel", fields), ==, "title");
  g_assert_cmpstr (wc_closest_word ("chanel", fields), ==, "channel");
  g_assert_cmpstr (wc_closest_word ("expected_action", fields), ==, "expected_actions");
  g_assert_null (wc_closest_word ("zzz", fields));
  g_assert_null (wc_closest_word ("deadline", fields));
  g_assert_null (wc_closest_word ("x", NULL));
}

static void
test_scenario_index (void)
{
  g_autoptr(WcScenario) s = wc_scenario_new ();
  WcTeam *team = g_new0 (WcTeam, 1);
  WcInject *inject = wc_inject_new ();

  team->id = g_strdup ("csirt");
  team->name = wc_text_new_plain ("CSIRT");
  wc_scenario_add_team (s, team);
  inject->id = g_strdup ("I-1");
  wc_scenario_add_inject (s, inject);
  g_assert_true (wc_scenario_find_team (s, "csirt") == team);
  g_assert_null (wc_scenario_find_team (s, "other"));
  g_assert_null (wc_scenario_find_team (s, NULL));
  g_assert_cmpint (wc_scenario_get_inject_index (s, "I-1"), ==, 0);
  g_assert_cmpint (wc_scenario_get_inject_index (s, "I-2"), ==, -1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (time_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/scenario/time-parse/%u", i);

      g_test_add_data_func (name, &time_cases[i], test_time_parse);
    }
  g_test_add_func ("/whitecell/scenario/time-format", test_time_format);
  g_test_add_func ("/whitecell/scenario/text", test_text);
  g_test_add_func ("/whitecell/scenario/names", test_names);
  g_test_add_func ("/whitecell/scenario/hints", test_hints);
  g_test_add_func ("/whitecell/scenario/index", test_scenario_index);
  return g_test_run ();
}
