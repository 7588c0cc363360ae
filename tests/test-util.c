/* test-util.c: helpers shared by the GTest suites. */
#include "config.h"

#include <glib/gstdio.h>

#include "test-util.h"

void
wc_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}
