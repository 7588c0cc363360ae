/* bench-util.c: helpers of the benchmarks. */
#include "config.h"

#include "bench-util.h"
#include "wc-scenario.h"

gint64 bench_fake_now;

gint64
bench_fake_clock (gpointer user_data)
{
  return bench_fake_now;
}

char *
bench_make_scenario (guint  n_teams,
                     guint  n_injects,
                     guint  per_inject,
                     gint64 step_ms,
                     guint  all_every)
{
  g_autofree char *duration = wc_time_format ((n_injects + 1) * step_ms + 3600000, FALSE);
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
                             " \"exercise\": {\"id\": \"bench\", \"title\": \"National exercise\", \"tlp\": \"AMBER\",\n"
                             "   \"duration\": \"%s\", \"objectives\": [{\"id\": \"O1\", \"text\": \"Answer in time\"}]},\n"
                             " \"teams\": [\n", duration);
  for (guint t = 0; t < n_teams; t++)
    g_string_append_printf (s, "  %s{\"id\": \"t%u\", \"name\": \"Operator %u\", \"kind\": \"operator\"}\n",
                            t ? "," : "", t, t);
  g_string_append (s, " ],\n \"injects\": [\n");
  for (guint i = 0; i < n_injects; i++)
    {
      g_autofree char *at = wc_time_format ((gint64) (i + 1) * step_ms, FALSE);

      g_string_append_printf (s, "  %s{\"id\": \"I%05u\", \"at\": \"%s\", \"channel\": \"email\", \"title\": \"Inject number %u\", "
                                 "\"body\": \"Body\", \"expected_actions\": [{\"text\": \"Answer\", \"deadline\": \"00:30\", "
                                 "\"objective\": \"O1\"}], \"to\": ",
                              i ? "," : "", i, at, i);
      if (all_every && i % all_every == 0)
        g_string_append (s, "\"all\"}\n");
      else
        {
          /* 53 is prime to any count of teams used here: @per_inject different teams */
          g_string_append_c (s, '[');
          for (guint k = 0; k < per_inject; k++)
            g_string_append_printf (s, "%s\"t%u\"", k ? ", " : "", (i * 37 + k * 53) % n_teams);
          g_string_append (s, "]}\n");
        }
    }
  g_string_append (s, " ]}\n");
  return g_string_free (s, FALSE);
}
