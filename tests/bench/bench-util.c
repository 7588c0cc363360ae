/* bench-util.c: helpers of the benchmarks. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "wc-scenario.h"

gint64 bench_fake_now;

gint64
bench_fake_clock (gpointer user_data)
{
  return bench_fake_now;
}

/* A text in the three languages of a Belgian exercise, or in English only. */
static void
add_text (GString    *s,
          gboolean    national,
          const char *what,
          guint       i)
{
  if (!national)
    g_string_append_printf (s, "\"%s\"", what);
  else
    g_string_append_printf (s,
      "{\"nl\": \"%s %u: het ziekenhuis meldt versleutelde bestanden op de afdeling radiologie\", "
      "\"fr\": \"%s %u : l'hôpital signale des fichiers chiffrés au service de radiologie\", "
      "\"en\": \"%s %u: the hospital reports encrypted files in the radiology department\"}",
      what, i, what, i, what, i);
}

static void
add_team (GString *s,
          gboolean national,
          guint    t)
{
  static const char *const languages[] = { "nl", "fr", "en" };

  if (!national)
    {
      g_string_append_printf (s, "  %s{\"id\": \"t%u\", \"name\": \"Operator %u\", "
                                 "\"kind\": \"operator\"}\n", t ? "," : "", t, t);
      return;
    }
  /* mostly operators of vital services, and among them CSIRTs and ministries */
  g_string_append_printf (s, "  %s{\"id\": \"t%u\", \"name\": \"%s %u\", \"kind\": \"%s\", "
                             "\"language\": \"%s\"}\n",
                          t ? "," : "", t,
                          t % 25 == 0 ? "CSIRT" : t % 25 == 1 ? "Ministry" : "Operator", t,
                          t % 25 == 0 ? "csirt" : t % 25 == 1 ? "government" : "operator",
                          languages[t % G_N_ELEMENTS (languages)]);
}

static void
add_inject (GString          *s,
            const BenchShape *shape,
            guint             i)
{
  static const char *const channels[] = { "email", "phone", "news", "social", "artefact", "alert" };
  gboolean national = shape->national;
  /* of every ten: a follow-up, a decision and a contingency (on an inject that was at a time) */
  gboolean after = national && i % 10 == 5, decision = national && i % 10 == 7;
  gboolean contingency = national && i % 10 == 9;

  g_string_append_printf (s, "  %s{\"id\": \"I%05u\", ", i ? "," : "", i);
  if (after)
    g_string_append_printf (s, "\"trigger\": {\"type\": \"after\", \"inject\": \"I%05u\", "
                               "\"delay\": \"00:05\"}, ", i - 1);
  else if (contingency)
    g_string_append_printf (s, "\"trigger\": {\"type\": \"no-response\", \"inject\": \"I%05u\", "
                               "\"within\": \"00:20\"}, ", i - 1);
  else
    {
      g_autofree char *at = wc_time_format ((gint64) (i + 1) * shape->step_ms, FALSE);

      g_string_append_printf (s, "\"at\": \"%s\", ", at);
    }
  if (national)
    g_string_append_printf (s, "\"channel\": \"%s\", \"from\": \"press\", \"title\": ",
                            decision ? "decision" : channels[i % G_N_ELEMENTS (channels)]);
  else
    g_string_append_printf (s, "\"channel\": \"email\", \"title\": \"Inject number %u\", ", i);
  if (national)
    {
      add_text (s, TRUE, "Title", i);
      g_string_append (s, ", ");
    }
  g_string_append (s, "\"body\": ");
  add_text (s, national, "Body", i);
  g_string_append (s, ", \"expected_actions\": [{\"text\": ");
  add_text (s, national, "Answer", i);
  g_string_append (s, ", \"deadline\": \"00:30\", \"objective\": \"O1\"}], ");
  if (decision)
    g_string_append (s, "\"options\": [{\"id\": \"a\", \"text\": \"Yes\"}, "
                        "{\"id\": \"b\", \"text\": \"No\"}], ");
  g_string_append (s, "\"to\": ");
  /* a contingency's "all" is its inject's recipients */
  if (contingency || (shape->all_every && i % shape->all_every == 0))
    g_string_append (s, "\"all\"}\n");
  else
    {
      /* 53 is prime to any count of teams used here: @per_inject different teams */
      g_string_append_c (s, '[');
      for (guint k = 0; k < shape->per_inject; k++)
        g_string_append_printf (s, "%s\"t%u\"", k ? ", " : "",
                                (i * 37 + k * 53) % shape->n_teams);
      g_string_append (s, "]}\n");
    }
}

char *
bench_make_scenario_shaped (const BenchShape *shape)
{
  g_autofree char *duration =
    wc_time_format ((shape->n_injects + 1) * shape->step_ms + 3600000, FALSE);
  GString *s = g_string_new (NULL);

  g_string_append (s, "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
                      " \"exercise\": {\"id\": \"bench\", \"title\": ");
  add_text (s, shape->national, "National exercise", 0);
  g_string_append_printf (s, ", \"tlp\": \"AMBER\",\n   \"duration\": \"%s\", %s"
                             "\"objectives\": [{\"id\": \"O1\", \"text\": ",
                          duration,
                          shape->national ? "\"languages\": [\"nl\", \"fr\", \"en\"], " : "");
  add_text (s, shape->national, "Answer in time", 1);
  g_string_append (s, "}]},\n \"teams\": [\n");
  for (guint t = 0; t < shape->n_teams; t++)
    add_team (s, shape->national, t);
  g_string_append (s, " ],\n");
  if (shape->national)
    g_string_append (s, " \"actors\": [{\"id\": \"press\", \"name\": \"Journalist\"}],\n");
  g_string_append (s, " \"injects\": [\n");
  for (guint i = 0; i < shape->n_injects; i++)
    add_inject (s, shape, i);
  g_string_append (s, " ]}\n");
  return g_string_free (s, FALSE);
}

char *
bench_make_scenario (guint  n_teams,
                     guint  n_injects,
                     guint  per_inject,
                     gint64 step_ms,
                     guint  all_every)
{
  BenchShape shape = { n_teams, n_injects, per_inject, step_ms, all_every, FALSE };

  return bench_make_scenario_shaped (&shape);
}

long
bench_status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, field)) == NULL)
    return -1;
  return strtol (line + strlen (field), NULL, 10);
}

static guint  stall_id;
static guint  stall_interval_us;
static gint64 stall_last;
static gint64 stall_longest;

static gboolean
stall_beat (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (now - stall_last - stall_interval_us > stall_longest)
    {
      stall_longest = now - stall_last - stall_interval_us;
      if (g_getenv ("BENCH_STALL_AT"))
        g_printerr ("STALL %ld ms ending at %ld\n", (long) (stall_longest / 1000), (long) (now / 1000));
    }
  stall_last = now;
  return G_SOURCE_CONTINUE;
}

void
bench_stall_start (guint interval_ms)
{
  g_clear_handle_id (&stall_id, g_source_remove);
  stall_interval_us = interval_ms * 1000;
  stall_longest = 0;
  stall_last = g_get_monotonic_time ();
  stall_id = g_timeout_add (interval_ms, stall_beat, NULL);
}

gint64
bench_stall_longest (void)
{
  return stall_longest;
}

gint64
bench_stall_stop (void)
{
  g_clear_handle_id (&stall_id, g_source_remove);
  return stall_longest;
}
