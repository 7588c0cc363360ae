/* bench-scenario.c: load + validate time of a 10,000-inject scenario next to a bare json-glib
 * parse of the same bytes. The ratio is the figure (target ≤ 1.5×).
 *
 * Usage: bench-scenario [N_INJECTS] [--write FILE]
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "wc-scenario-loader.h"

#define N_TEAMS  60
#define N_ROUNDS 7

static void
add_text (GString    *s,
          const char *what,
          guint       i)
{
  g_string_append_printf (s,
    "{\"nl\": \"%s %u: het ziekenhuis meldt versleutelde bestanden op de afdeling radiologie\", "
    "\"fr\": \"%s %u : l'hôpital signale des fichiers chiffrés au service de radiologie\", "
    "\"en\": \"%s %u: the hospital reports encrypted files in the radiology department\"}",
    what, i, what, i, what, i);
}

/* A scenario shaped like the real ones: trilingual texts, triggers, actions, decisions. */
static char *
generate (guint n_injects)
{
  static const char *const channels[] = { "email", "phone", "news", "social", "artefact", "alert" };
  GString *s = g_string_new (NULL);

  g_string_append (s, "{\n  \"format\": \"whitecell-scenario\",\n  \"version\": 1,\n"
                      "  \"exercise\": {\n    \"id\": \"bench\",\n    \"title\": ");
  add_text (s, "Exercise", 0);
  g_string_append (s, ",\n    \"objectives\": [{\"id\": \"O1\", \"text\": ");
  add_text (s, "Objective", 1);
  g_string_append_printf (s, "}],\n    \"tlp\": \"AMBER\",\n    \"languages\": [\"nl\", \"fr\", \"en\"],\n"
                             "    \"duration\": \"T+%u:00\"\n  },\n  \"teams\": [\n",
                          n_injects / 60 + 2);
  for (guint t = 0; t < N_TEAMS; t++)
    g_string_append_printf (s, "    {\"id\": \"team-%u\", \"name\": \"Team %u\", \"kind\": \"operator\", "
                               "\"language\": \"%s\"}%s\n",
                            t, t, t % 3 == 0 ? "nl" : t % 3 == 1 ? "fr" : "en",
                            t + 1 < N_TEAMS ? "," : "");
  g_string_append (s, "  ],\n  \"actors\": [{\"id\": \"press\", \"name\": \"Journalist\"}],\n"
                      "  \"injects\": [\n");
  for (guint i = 0; i < n_injects; i++)
    {
      g_string_append_printf (s, "    {\n      \"id\": \"I-%05u\",\n", i);
      if (i % 10 == 9)
        g_string_append_printf (s, "      \"trigger\": {\"type\": \"no-response\", \"inject\": \"I-%05u\", "
                                   "\"within\": \"00:20\"},\n", i - 1);
      else if (i % 10 == 5)
        g_string_append_printf (s, "      \"trigger\": {\"type\": \"after\", \"inject\": \"I-%05u\", "
                                   "\"delay\": \"00:05\"},\n", i - 1);
      else
        g_string_append_printf (s, "      \"at\": \"T+%02u:%02u:%02u\",\n", i / 3600, (i / 60) % 60, i % 60);
      g_string_append_printf (s, "      \"channel\": \"%s\",\n      \"from\": \"press\",\n",
                              i % 10 == 7 ? "decision" : channels[i % G_N_ELEMENTS (channels)]);
      if (i % 2)
        g_string_append (s, "      \"to\": \"all\",\n");
      else
        g_string_append_printf (s, "      \"to\": [\"team-%u\", \"team-%u\"],\n",
                                i % N_TEAMS, (i + 1) % N_TEAMS);
      g_string_append (s, "      \"title\": ");
      add_text (s, "Title", i);
      g_string_append (s, ",\n      \"body\": ");
      add_text (s, "Body", i);
      g_string_append (s, ",\n      \"expected_actions\": [{\"text\": ");
      add_text (s, "Action", i);
      g_string_append (s, ", \"deadline\": \"00:30\", \"objective\": \"O1\"}]");
      if (i % 10 == 7)
        g_string_append (s, ",\n      \"options\": [{\"id\": \"a\", \"text\": \"Yes\"}, "
                            "{\"id\": \"b\", \"text\": \"No\"}]");
      g_string_append_printf (s, "\n    }%s\n", i + 1 < n_injects ? "," : "");
    }
  g_string_append (s, "  ]\n}\n");
  return g_string_free (s, FALSE);
}

int
main (int    argc,
      char **argv)
{
  guint n = 10000;
  const char *write_to = NULL;
  g_autofree char *data = NULL;
  gsize length;
  gdouble best_load = G_MAXDOUBLE, best_parse = G_MAXDOUBLE;

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--write") == 0 && i + 1 < argc)
      write_to = argv[++i];
    else
      n = (guint) g_ascii_strtoull (argv[i], NULL, 10);

  data = generate (n);
  length = strlen (data);
  if (write_to)
    {
      g_autoptr(GError) error = NULL;

      if (!g_file_set_contents (write_to, data, length, &error))
        g_error ("%s", error->message);
    }

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("bench.json");
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(WcScenario) scenario = NULL;
      g_autoptr(GError) error = NULL;
      gint64 t0, t1, t2;

      t0 = g_get_monotonic_time ();
      scenario = wc_scenario_load_data (data, length, NULL, diag, &error);
      t1 = g_get_monotonic_time ();
      if (scenario == NULL)
        g_error ("the generated scenario is invalid: %s (%s)", error->message,
                 wc_diagnostics_get_item (diag, 0)->message);
      if (!json_parser_load_from_data (parser, data, length, &error))
        g_error ("%s", error->message);
      t2 = g_get_monotonic_time ();
      best_load = MIN (best_load, (t1 - t0) / 1000.0);
      best_parse = MIN (best_parse, (t2 - t1) / 1000.0);
    }

  printf ("scenario: %u injects, %u teams, %.1f MiB\n", n, N_TEAMS, length / 1048576.0);
  printf ("load + validate (Whitecell): %8.1f ms  (best of %d)\n", best_load, N_ROUNDS);
  printf ("bare parse (json-glib):      %8.1f ms  (best of %d)\n", best_parse, N_ROUNDS);
  printf ("ratio: %.2f× (target ≤ 1.5×)\n", best_load / best_parse);
  return 0;
}
