/* bench-util.h: what the benchmarks share: a generated national-size scenario and a fake clock. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A scenario of @n_teams ("t0"…) and @n_injects ("I00000"…, one every @step_ms from @step_ms on),
 * each to @per_inject teams, every @all_every-th to all (0: none); each with an expected answer
 * within 30 minutes, linked to objective O1. */
char   *bench_make_scenario (guint  n_teams,
                             guint  n_injects,
                             guint  per_inject,
                             gint64 step_ms,
                             guint  all_every);

/* The shape of a generated scenario: @n_teams ("t0"…) and @n_injects ("I00000"…, one every
 * @step_ms from @step_ms on), each to @per_inject teams, every @all_every-th to all (0: none),
 * each with an expected answer within 30 minutes, linked to objective O1. @national makes it read
 * like a real national exercise: titles, bodies and actions in nl/fr/en, teams of several kinds
 * and languages, injects from an actor on six channels, and of every ten one follow-up five
 * minutes after the previous inject, one decision with options and one contingency to whoever
 * has not answered the previous inject within 20 minutes. */
typedef struct {
  guint    n_teams;
  guint    n_injects;
  guint    per_inject;
  gint64   step_ms;
  guint    all_every;
  gboolean national;
} BenchShape;

char   *bench_make_scenario_shaped (const BenchShape *shape);

/* A field of /proc/self/status in KiB ("VmRSS:", "VmHWM:"), -1 if unreadable. */
long    bench_status_kib    (const char *field);

/* The longest main-loop stall: a timeout every @interval_ms records the largest gap between its
 * calls, less the interval; bench_stall_stop() removes it and returns that gap in µs. */
void    bench_stall_start   (guint interval_ms);
gint64  bench_stall_stop    (void);
gint64  bench_stall_longest (void);

/* A monotonic clock the benchmark moves: give bench_fake_clock to wc_engine_set_clock_func(). */
extern gint64 bench_fake_now;
gint64  bench_fake_clock    (gpointer user_data);

G_END_DECLS
