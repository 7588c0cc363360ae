/* test-util.h: helpers shared by the GTest suites. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes a test's temporary folder @dir and the files in it (one level: tests make no deeper). */
void wc_test_remove_dir (const char *dir);

G_END_DECLS
