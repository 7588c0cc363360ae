/* test-crash.c: `whitecellctl run` killed with SIGKILL mid-exercise, then resumed: the journal
 * verifies, nothing written before the kill is lost, and no inject reaches a team twice. */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#define N_INJECTS 300

typedef struct {
  char *dir;
  char *scenario;
  char *journal;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GString *doc = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("whitecell-crash-XXXXXX", &error);
  g_assert_no_error (error);
  f->scenario = g_build_filename (f->dir, "scenario.json", NULL);
  f->journal = g_build_filename (f->dir, "journal.jsonl", NULL);
  /* One inject per exercise second, alternating teams, with a contingency: at 100× the whole
   * exercise plays in a few seconds. */
  g_string_append (doc, "{\"format\": \"whitecell-scenario\", \"version\": 1, \"exercise\": {\"id\": "
                        "\"crash\", \"title\": \"Crash\", \"tlp\": \"GREEN\", \"duration\": \"T+00:06:00\"}, "
                        "\"teams\": [{\"id\": \"a\", \"name\": \"A\", \"kind\": \"csirt\"}, "
                        "{\"id\": \"b\", \"name\": \"B\", \"kind\": \"operator\"}], \"injects\": [");
  for (guint i = 0; i < N_INJECTS; i++)
    g_string_append_printf (doc, "{\"id\": \"I%03u\", \"at\": \"T+00:%02u:%02u\", \"channel\": \"email\", "
                                 "\"to\": %s, \"title\": \"t\", \"body\": \"b\"},",
                            i, (i + 1) / 60, (i + 1) % 60, i % 3 ? "[\"a\"]" : "\"all\"");
  g_string_append (doc, "{\"id\": \"C\", \"trigger\": {\"type\": \"no-response\", \"inject\": \"I000\", "
                        "\"within\": \"00:02\"}, \"channel\": \"phone\", \"to\": \"all\", \"title\": \"t\", "
                        "\"body\": \"b\"}]}");
  g_assert_true (g_file_set_contents (f->scenario, doc->str, doc->len, &error));
  g_string_free (doc, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->scenario);
  g_free (f->journal);
}

static GPid
spawn_run (Fixture     *f,
           const char  *extra1,
           const char  *extra2)
{
  /* any free port: tests run side by side */
  const char *argv[] = { g_getenv ("WC_CTL"), "run", f->scenario, "--journal", f->journal,
                         "--speed", "100", "--listen", "127.0.0.1:0", "--hot-wash", "0", extra1,
                         extra2, NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                G_SPAWN_STDIN_FROM_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

static guint
count_lines (const char *path)
{
  g_autofree char *data = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &data, NULL, NULL))
    return 0;
  for (const char *p = data; *p; p++)
    n += *p == '\n';
  return n;
}

static int
wait_exit (GPid pid)
{
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  return status;
}

static int
run_sync (const char *const *argv,
          char              **out)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL,
                               NULL, out, NULL, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* Every (inject, team) that fired, counted, and the record types seen. */
static void
scan_journal (const char *path,
              GHashTable *fired,
              GHashTable *types)
{
  g_autofree char *data = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  lines = g_strsplit (data, "\n", -1);
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *record, *rdata;
      const char *type;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      record = json_node_get_object (json_parser_get_root (parser));
      type = json_object_get_string_member (record, "type");
      g_hash_table_add (types, g_strdup (type));
      if (strcmp (type, "inject-fired") != 0)
        continue;
      rdata = json_object_get_object_member (record, "data");
      for (guint k = 0; k < json_array_get_length (json_object_get_array_member (rdata, "teams")); k++)
        {
          char *key = g_strdup_printf ("%s/%s", json_object_get_string_member (rdata, "inject"),
                                       json_array_get_string_element (json_object_get_array_member (rdata, "teams"), k));
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (fired, key));

          g_hash_table_insert (fired, key, GUINT_TO_POINTER (n + 1));
        }
    }
}

static void
test_kill_and_resume (Fixture       *f,
                      gconstpointer  data)
{
  GPid pid = spawn_run (f, NULL, NULL);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GHashTable) fired = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *verify[] = { g_getenv ("WC_CTL"), "verify", f->journal, NULL };
  gsize before_len, after_len;
  GHashTableIter iter;
  gpointer key, value;
  int status;

  /* Kill it a third of the way through. */
  while (count_lines (f->journal) < N_INJECTS / 3 && g_get_monotonic_time () < deadline)
    g_usleep (2000);
  g_assert_cmpuint (count_lines (f->journal), >=, N_INJECTS / 3);
  kill (pid, SIGKILL);
  status = wait_exit (pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_true (g_file_get_contents (f->journal, &before, &before_len, NULL));
  g_assert_cmpuint (count_lines (f->journal), <, N_INJECTS);

  g_assert_cmpint (run_sync (verify, &out), ==, 0);
  g_clear_pointer (&out, g_free);

  /* Resume and play to the end. */
  pid = spawn_run (f, "--resume", "--continue");
  status = wait_exit (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  g_assert_cmpint (run_sync (verify, &out), ==, 0);
  g_assert_nonnull (strstr (out, "sound"));
  g_assert_true (g_file_get_contents (f->journal, &after, &after_len, NULL));
  /* Every byte written before the kill is still there, first. */
  g_assert_cmpuint (after_len, >, before_len);
  g_assert_true (memcmp (before, after, before_len) == 0);

  scan_journal (f->journal, fired, types);
  g_assert_true (g_hash_table_contains (types, "journal-reopened"));
  g_assert_true (g_hash_table_contains (types, "exercise-ended"));
  /* Nothing lost, nothing twice: each inject reached each of its teams exactly once. */
  g_hash_table_iter_init (&iter, fired);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) != 1)
      g_error ("%s fired %u times", (char *) key, GPOINTER_TO_UINT (value));
  for (guint i = 0; i < N_INJECTS; i++)
    {
      g_autofree char *a = g_strdup_printf ("I%03u/a", i);
      g_autofree char *b = g_strdup_printf ("I%03u/b", i);

      g_assert_true (g_hash_table_contains (fired, a) || g_hash_table_contains (fired, b));
    }
  /* The contingency went to both teams: nobody answered. */
  g_assert_true (g_hash_table_contains (fired, "C/a"));
  g_assert_true (g_hash_table_contains (fired, "C/b"));
}

static void
test_clean_stop (Fixture       *f,
                 gconstpointer  data)
{
  GPid pid = spawn_run (f, NULL, NULL);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_autoptr(GHashTable) fired = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int status;

  while (count_lines (f->journal) < 20 && g_get_monotonic_time () < deadline)
    g_usleep (2000);
  kill (pid, SIGTERM);
  status = wait_exit (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  scan_journal (f->journal, fired, types);
  g_assert_true (g_hash_table_contains (types, "process-stopped"));
  g_assert_false (g_hash_table_contains (types, "exercise-ended"));

  /* carried on to its end headless, serving no one: sealed with the exercise's key all the same */
  {
    const char *headless[] = { g_getenv ("WC_CTL"), "run", f->scenario, "--journal", f->journal,
                               "--speed", "100", "--listen", "none", "--resume", "--continue",
                               NULL };
    const char *verify[] = { g_getenv ("WC_CTL"), "verify", f->journal, NULL };
    g_autofree char *played = NULL;
    g_autofree char *out = NULL;

    g_assert_cmpint (run_sync (headless, &played), ==, 0);
    g_assert_cmpint (run_sync (verify, &out), ==, 0);
    g_assert_nonnull (strstr (out, "(its end)"));
  }
}

/* A join link holds a team's token: `run` keeps them off its standard output (logs) unless
 * asked, and warns when it serves plain HTTP beyond this machine. */
static void
test_no_tokens_in_output (Fixture       *f,
                          gconstpointer  data)
{
  const char *quiet[] = { g_getenv ("WC_CTL"), "run", f->scenario, "--journal", f->journal,
                          "--speed", "100", "--start-at", "T+00:05:58", "--listen",
                          "0.0.0.0:0", "--hot-wash", "0", NULL };
  g_autofree char *journal2 = g_build_filename (f->dir, "journal2.jsonl", NULL);
  const char *shown[] = { g_getenv ("WC_CTL"), "run", f->scenario, "--journal", journal2,
                          "--speed", "100", "--start-at", "T+00:05:58", "--listen",
                          "127.0.0.1:0", "--show-links", "--hot-wash", "0", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) quiet, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL,
                               NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_null (strstr (out, "/t/"));
  g_assert_nonnull (strstr (out, "tokens.json"));
  g_assert_nonnull (strstr (err, "plain HTTP"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_true (g_spawn_sync (NULL, (char **) shown, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL,
                               NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_nonnull (strstr (out, "/t/"));
  g_assert_null (strstr (err, "plain HTTP"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("WC_CTL"));
  g_test_add ("/whitecell/crash/kill-and-resume", Fixture, NULL, fixture_setup,
              test_kill_and_resume, fixture_teardown);
  g_test_add ("/whitecell/crash/clean-stop", Fixture, NULL, fixture_setup, test_clean_stop,
              fixture_teardown);
  g_test_add ("/whitecell/crash/no-tokens-in-output", Fixture, NULL, fixture_setup,
              test_no_tokens_in_output, fixture_teardown);
  return g_test_run ();
}
