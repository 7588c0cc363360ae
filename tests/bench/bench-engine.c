/* bench-engine.c: how late injects fire. 10,000 injects to 60 teams (30,000 to 5,000 for Cyber
 * Europe's size), one second apart in exercise time, played at 100× speed with a real journal
 * (every firing synced to disk before it is announced): prints the median and worst lateness
 * against the monotonic time each was due, the longest main-loop stall while playing, and the
 * processor time the main thread (scheduler, applier, the journal's lines) and the journal's
 * writer thread (its syncs) took.
 *
 * Usage: bench-engine [N_INJECTS] [SPEED] [N_TEAMS] [group]
 *   group: with group commit, as the app and `whitecellctl run` play (they run a server): the
 *   clock's records are synced on the journal's thread and announced a slice per main-loop turn.
 */
#define _GNU_SOURCE  /* RUSAGE_THREAD */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "wc-engine.h"
#include "wc-scenario-loader.h"

typedef struct {
  GMainLoop *loop;
  gint64     mono_start;
  double     speed;
  GArray    *lateness_us;   /* announced (durable) − due, real µs */
  GArray    *decided_us;    /* fired (record written) − due, real µs */
  GHashTable *decided;      /* injects fired and announced: a contingency fires once per team */
  GHashTable *fired;
  guint      expected;
} Bench;

/* Processor seconds of @who (RUSAGE_SELF, RUSAGE_THREAD), user and system. */
static double
cpu_seconds (int who)
{
  struct rusage u;

  getrusage (who, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

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

  if (type != WC_RECORD_INJECT_FIRED ||
      !g_hash_table_add (bench->decided, g_strdup (json_object_get_string_member (data, "inject"))))
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

  if (!g_hash_table_add (bench->fired, g_strdup (inject_id)))
    return;
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
  gboolean group = argc > 4 && g_strcmp0 (argv[4], "group") == 0;
  BenchShape shape = { .n_teams = argc > 3 ? (guint) atoi (argv[3]) : 60, .n_injects = n,
                       .per_inject = 3, .step_ms = 1000, .all_every = 100, .national = TRUE };
  g_autofree char *doc = bench_make_scenario_shaped (&shape);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("bench.json");
  g_autoptr(WcScenario) scenario = NULL;
  g_autoptr(WcEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("whitecell-bench-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "journal.jsonl", NULL);
  Bench bench = { 0 };
  double cpu_all, cpu_main;
  gint64 wall;

  scenario = wc_scenario_load_data (doc, strlen (doc), NULL, diag, &error);
  if (scenario == NULL)
    g_error ("%s", error->message);
  wc_scenario_set_sha256 (scenario, "bench");

  engine = wc_engine_new (scenario, journal, &error);
  if (engine == NULL)
    g_error ("%s", error->message);
  wc_engine_set_group_commit (engine, group);
  bench.loop = g_main_loop_new (NULL, FALSE);
  bench.speed = speed;
  bench.expected = n;
  bench.lateness_us = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  bench.decided_us = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  bench.fired = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  bench.decided = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (engine, "inject-fired", G_CALLBACK (on_fired), &bench);
  g_signal_connect (engine, "record", G_CALLBACK (on_record), &bench);
  if (!wc_engine_set_speed (engine, speed, &error))
    g_error ("%s", error->message);
  cpu_all = cpu_seconds (RUSAGE_SELF);
  cpu_main = cpu_seconds (RUSAGE_THREAD);
  bench_stall_start (2);
  bench.mono_start = g_get_monotonic_time ();
  if (!wc_engine_start (engine, &error))
    g_error ("%s", error->message);
  printf ("playing %u injects to %u teams, one every exercise second, at %.0f× (%.0f s)%s…\n", n,
          shape.n_teams, speed, n / speed, group ? ", group commit" : "");
  g_main_loop_run (bench.loop);
  wall = g_get_monotonic_time () - bench.mono_start;
  cpu_main = cpu_seconds (RUSAGE_THREAD) - cpu_main;
  cpu_all = cpu_seconds (RUSAGE_SELF) - cpu_all;

  printf ("fire-time lateness over %u injects at %.0f×, against the monotonic time each was due:\n",
          n, speed);
  print_figures ("fired (record written):", bench.decided_us);
  print_figures ("announced (after its fdatasync):", bench.lateness_us);
  printf ("  longest main-loop stall while playing (a 2 ms timeout's largest gap, less 2 ms): "
          "%.1f ms\n", bench_stall_stop () / 1000.0);
  printf ("  processor time over %.1f s played: main thread (scheduler, applier, journal lines) "
          "%.2f s (%.1f %%), other threads (the journal's writer) %.2f s; %u records, %.1f µs "
          "each on the main thread\n", wall / 1e6, cpu_main, 100 * cpu_main * 1e6 / wall,
          cpu_all - cpu_main, wc_journal_get_n_records (wc_engine_get_journal (engine)),
          cpu_main * 1e6 / MAX (1, wc_journal_get_n_records (wc_engine_get_journal (engine))));
  printf ("  resident memory: %.1f MiB\n", bench_status_kib ("VmRSS:") / 1024.0);

  g_array_unref (bench.lateness_us);
  g_array_unref (bench.decided_us);
  g_hash_table_unref (bench.fired);
  g_hash_table_unref (bench.decided);
  g_main_loop_unref (bench.loop);
  g_clear_object (&engine);
  g_unlink (journal);
  g_rmdir (dir);
  return 0;
}
