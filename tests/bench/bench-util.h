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

/* A monotonic clock the benchmark moves: give bench_fake_clock to wc_engine_set_clock_func(). */
extern gint64 bench_fake_now;
gint64  bench_fake_clock    (gpointer user_data);

G_END_DECLS
