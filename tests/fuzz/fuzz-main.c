/* fuzz-main.c: the harnesses as plain programs, for compilers without libFuzzer: runs every file
 * named on the command line (and every file in a folder named there) through the entry point
 * once, so that the seed corpus, with every crash ever found, is a regression test. */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"

static guint
run_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree uint8_t *copy = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);
  /* an exact-size copy, without the NUL g_file_get_contents adds, so that ASan sees any read
   * past the end as libFuzzer would; never NULL, as libFuzzer's data is not, even when empty */
  copy = g_malloc (MAX (length, 1));
  memcpy (copy, contents, length);
  g_print ("%s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
  LLVMFuzzerTestOneInput (copy, length);
  return 1;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static guint
run_path (const char *path)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return run_file (path);
  if ((dir = g_dir_open (path, 0, &error)) == NULL)
    g_error ("%s", error->message);
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  /* the same order on every machine, for logs that compare */
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    n += run_path (names->pdata[i]);
  return n;
}

int
main (int    argc,
      char **argv)
{
  guint n = 0;

  if (argc < 2)
    {
      g_printerr ("Usage: %s FILE-OR-FOLDER…\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    n += run_path (argv[i]);
  g_print ("%u inputs, no crash\n", n);
  return n > 0 ? 0 : 1;
}
