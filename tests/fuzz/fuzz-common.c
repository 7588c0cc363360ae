/* fuzz-common.c: strict logging and a private folder, for the fuzzing harnesses. */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "fuzz-common.h"

static char *fuzz_dir;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
remove_fuzz_dir (void)
{
  if (fuzz_dir != NULL)
    remove_tree (fuzz_dir);
  g_clear_pointer (&fuzz_dir, g_free);
}

void
fuzz_init (void)
{
  static gsize done;

  if (!g_once_init_enter (&done))
    return;
  /* G_DEBUG=fatal-warnings is set for the meson tests, not under libFuzzer: be as strict there. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_once_init_leave (&done, 1);
}

const char *
fuzz_get_dir (void)
{
  if (fuzz_dir == NULL)
    {
      g_autoptr(GError) error = NULL;

      fuzz_dir = g_dir_make_tmp ("whitecell-fuzz-XXXXXX", &error);
      g_assert_no_error (error);
      atexit (remove_fuzz_dir);
    }
  return fuzz_dir;
}

char *
fuzz_write_file (const char    *name,
                 const uint8_t *data,
                 size_t         size)
{
  g_autofree char *path = g_build_filename (fuzz_get_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, (const char *) data, size, G_FILE_SET_CONTENTS_NONE, 0600,
                            &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}
