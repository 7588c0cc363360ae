/* bench-scenario.c: load + validate time of a 10,000-inject scenario (60 teams; 30,000 and 5,000
 * for Cyber Europe's size) next to a bare json-glib parse of the same bytes. The ratio is the
 * figure (target ≤ 1.5×); then the memory a loaded scenario holds.
 *
 * Usage: bench-scenario [N_INJECTS [N_TEAMS]] [--write FILE]
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench-util.h"
#include "wc-scenario-loader.h"

#define N_ROUNDS 7

int
main (int    argc,
      char **argv)
{
  BenchShape shape = { .n_teams = 60, .n_injects = 10000, .per_inject = 3, .step_ms = 1000,
                       .all_every = 100, .national = TRUE };
  const char *write_to = NULL;
  guint n_numbers = 0;
  g_autofree char *data = NULL;
  gsize length;
  gdouble best_load = G_MAXDOUBLE, best_parse = G_MAXDOUBLE;

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--write") == 0 && i + 1 < argc)
      write_to = argv[++i];
    else if (n_numbers++ == 0)
      shape.n_injects = (guint) g_ascii_strtoull (argv[i], NULL, 10);
    else
      shape.n_teams = (guint) g_ascii_strtoull (argv[i], NULL, 10);

  data = bench_make_scenario_shaped (&shape);
  length = strlen (data);
  printf ("scenario: %u injects, %u teams, %.1f MiB\n", shape.n_injects, shape.n_teams,
          length / 1048576.0);
  if (write_to)
    {
      g_autoptr(GError) error = NULL;

      if (!g_file_set_contents (write_to, data, length, &error))
        g_error ("%s", error->message);
    }

  /* what a loaded scenario holds: the growth of the resident set over the first load (the
   * rounds after it would reuse the heap it freed), and the peak while loading */
  {
    g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("bench.json");
    g_autoptr(WcScenario) scenario = NULL;
    g_autoptr(GError) error = NULL;
    long before, peak_before = bench_status_kib ("VmHWM:");

    before = bench_status_kib ("VmRSS:");
    scenario = wc_scenario_load_data (data, length, NULL, diag, &error);
    if (scenario == NULL)
      {
        g_autofree char *first = wc_diagnostic_format (wc_diagnostics_get_item (diag, 0));

        g_error ("the generated scenario is invalid: %s (%s)", error->message, first);
      }
    printf ("memory: the loaded scenario holds %.1f MiB (resident growth); peak resident %.1f MiB "
            "(%.1f MiB before)\n", (bench_status_kib ("VmRSS:") - before) / 1024.0,
            bench_status_kib ("VmHWM:") / 1024.0, peak_before / 1024.0);
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
      g_assert_no_error (error);
      if (!json_parser_load_from_data (parser, data, length, &error))
        g_error ("%s", error->message);
      t2 = g_get_monotonic_time ();
      best_load = MIN (best_load, (t1 - t0) / 1000.0);
      best_parse = MIN (best_parse, (t2 - t1) / 1000.0);
    }

  printf ("load + validate (Whitecell): %8.1f ms  (best of %d)\n", best_load, N_ROUNDS);
  printf ("bare parse (json-glib):      %8.1f ms  (best of %d)\n", best_parse, N_ROUNDS);
  printf ("ratio: %.2f× (target ≤ 1.5×)\n", best_load / best_parse);
  return 0;
}
