/* test-util.h: helpers shared by the GTest suites. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes a test's temporary folder @dir and the files in it (one level: tests make no deeper). */
void wc_test_remove_dir (const char *dir);

/* Plays @scenario headless on a fake clock past its planned end (manual injects fired by hand)
 * and asserts that every inject fired; the journal goes to a temporary folder, removed after. */
typedef struct _WcScenario WcScenario;
void wc_test_play_to_end (WcScenario *scenario);

G_END_DECLS
