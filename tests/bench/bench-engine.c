/* bench-engine.c: how late injects fire. 10,000 injects, one second apart in exercise time, played at
 * 100× speed with a real journal (every firing synced to disk before it is announced): prints the
 * median and worst lateness against the monotonic time each was due.
 *
 * Usage: bench-engine [N_INJECTS] [SPEED]
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wc-engine.h"
#include "wc-scenario-loader.h"

typedef struct {
  GMainLoop *loop;
  gint64     mono_start;
  double     speed;
  GArray    *lateness_us;   /* announced (durable) − due, real µs */
  GArray    *decided_us;    /* fired (record written) − due, real µs */
  guint      expected;
} Bench;

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The record's exercise time says when the engine fired it, before the sync. */
static void
on_record (WcEngine     *engine,
           guint64       seq,
           WcRecordType  type,
           JsonObject   *data,
           gint64        t_ms,
           Bench        *bench)
{
  gint64 due_ms, late;

  if (type != WC_RECORD_INJECT_FIRED)
    return;
  due_ms = wc_engine_get_inject_due (engine, json_object_get_string_member (data, "inject"));
  late = (gint64) ((t_ms - due_ms) * 1000 / bench->speed);
  g_array_append_val (bench->decided_us, late);
}

static void
print_figures (const char *what,
               GArray     *values)
{
  gint64 *v;
  double mean = 0;
  guint n = values->len;

  g_array_sort (values, compare_gint64);
  v = (gint64 *) values->data;
  for (guint i = 0; i < n; i++)
    mean += v[i];
  printf ("  %-44s median %.3f ms, p99 %.3f ms, worst %.3f ms, mean %.3f ms\n", what,
          v[n / 2] / 1000.0, v[n * 99 / 100] / 1000.0, v[n - 1] / 1000.0, mean / n / 1000.0);
}

static void
on_fired (WcEngine    *engine,
          const char  *inject_id,
          GStrv        teams,
          Bench       *bench)
{
  gint64 now = g_get_monotonic_time ();
  gint64 due_ms = wc_engine_get_inject_due (engine, inject_id);
  gint64 ideal = bench->mono_start + (gint64) (due_ms * 1000 / bench->speed);
  gint64 late = now - ideal;

  g_array_append_val (bench->lateness_us, late);
  if (bench->lateness_us->len == bench->expected)
    g_main_loop_quit (bench->loop);
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  double speed = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 100.0;
  GString *doc = g_string_new (NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("bench.json");
  g_autoptr(WcScenario) scenario = NULL;
  g_autoptr(WcEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("whitecell-bench-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "journal.jsonl", NULL);
  Bench bench = { 0 };

  g_string_append_printf (doc, "{\"format\": \"whitecell-scenario\", \"version\": 1, \"exercise\": "
                               "{\"id\": \"bench\", \"title\": \"Bench\", \"tlp\": \"GREEN\", "
                               "\"duration\": \"T+%u:00\"}, \"teams\": [{\"id\": \"a\", \"name\": \"A\", "
                               "\"kind\": \"csirt\"}, {\"id\": \"b\", \"name\": \"B\", \"kind\": \"operator\"}], "
                               "\"injects\": [", n / 3600 + 2);
  for (guint i = 0; i < n; i++)
    {
      /* one exercise second apart: 10 ms apart in real time at 100× */
      g_string_append_printf (doc, "%s{\"id\": \"I%u\", \"at\": \"T+%02u:%02u:%02u\", \"channel\": \"email\", "
                                   "\"to\": \"all\", \"title\": \"t\", \"body\": \"b\"}",
                              i ? "," : "", i, (i + 1) / 3600, ((i + 1) / 60) % 60, (i + 1) % 60);
    }
  g_string_append (doc, "]}");
  scenario = wc_scenario_load_data (doc->str, doc->len, NULL, diag, &error);
  g_string_free (doc, TRUE);
  if (scenario == NULL)
    g_error ("%s", error->message);
  wc_scenario_set_sha256 (scenario, "bench");

  engine = wc_engine_new (scenario, journal, &error);
  if (engine == NULL)
    g_error ("%s", error->message);
  bench.loop = g_main_loop_new (NULL, FALSE);
  bench.speed = speed;
  bench.expected = n;
  bench.lateness_us = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  bench.decided_us = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_signal_connect (engine, "inject-fired", G_CALLBACK (on_fired), &bench);
  g_signal_connect (engine, "record", G_CALLBACK (on_record), &bench);
  if (!wc_engine_set_speed (engine, speed, &error))
    g_error ("%s", error->message);
  bench.mono_start = g_get_monotonic_time ();
  if (!wc_engine_start (engine, &error))
    g_error ("%s", error->message);
  printf ("playing %u injects, one every exercise second, at %.0f× (%.0f s)…\n", n, speed,
          n / speed);
  g_main_loop_run (bench.loop);

  printf ("fire-time lateness over %u injects at %.0f×, against the monotonic time each was due:\n",
          n, speed);
  print_figures ("fired (record written):", bench.decided_us);
  print_figures ("announced (after its fdatasync):", bench.lateness_us);

  g_array_unref (bench.lateness_us);
  g_array_unref (bench.decided_us);
  g_main_loop_unref (bench.loop);
  g_clear_object (&engine);
  g_unlink (journal);
  g_rmdir (dir);
  return 0;
}
