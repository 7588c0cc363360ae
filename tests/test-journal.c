/* test-journal.c: the hash chain: every kind of tampering is found and named by its line; a torn
 * last line is repaired on open, with the original kept; appends continue the chain. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "wc-journal.h"

#define N_RECORDS 6

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = NULL;

  f->dir = g_dir_make_tmp ("whitecell-journal-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "journal.jsonl", NULL);
  journal = wc_journal_create (f->path, "ex", "scenario.json", "abc123", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_RECORDS; i++)
    {
      g_autoptr(JsonObject) d = json_object_new ();

      json_object_set_string_member (d, "inject", "I1");
      json_object_set_int_member (d, "n", i);
      g_assert_cmpuint (wc_journal_append (journal, i * 1000, "note", d, &error), ==, i + 1);
    }
  g_assert_true (wc_journal_sync (journal, &error));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);

      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static GStrv
read_lines (Fixture *f)
{
  g_autofree char *data = NULL;

  g_assert_true (g_file_get_contents (f->path, &data, NULL, NULL));
  return g_strsplit (data, "\n", -1);
}

static void
write_lines (Fixture *f,
             GStrv    lines)
{
  g_autofree char *data = g_strjoinv ("\n", lines);

  g_assert_true (g_file_set_contents (f->path, data, -1, NULL));
}

static void
test_roundtrip (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WcJournalRecovery recovery;
  g_autoptr(WcJournal) journal = wc_journal_open (f->path, &recovery, &error);
  g_autoptr(JsonObject) d = json_object_new ();
  const WcJournalRecord *r;
  WcJournalVerifyResult result;

  g_assert_no_error (error);
  g_assert_null (recovery.backup_path);
  g_assert_cmpstr (wc_journal_get_exercise_id (journal), ==, "ex");
  g_assert_cmpstr (wc_journal_get_scenario_sha256 (journal), ==, "abc123");
  g_assert_cmpuint (wc_journal_get_n_records (journal), ==, N_RECORDS);
  r = wc_journal_get_record (journal, 2);
  g_assert_cmpuint (r->seq, ==, 3);
  g_assert_cmpint (r->t_ms, ==, 2000);
  g_assert_cmpstr (r->type, ==, "note");
  g_assert_cmpint (json_object_get_int_member (r->data, "n"), ==, 2);
  g_assert_true (g_str_has_suffix (r->time, "Z"));
  /* carries on the chain */
  json_object_set_string_member (d, "text", "line\nbreak \"quoted\" é");
  g_assert_cmpuint (wc_journal_append (journal, 9000, "note", d, &error), ==, N_RECORDS + 1);
  g_assert_true (wc_journal_sync (journal, &error));
  g_assert_true (wc_journal_verify_file (f->path, &result, &error));
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.n_records, ==, N_RECORDS + 1);
  g_assert_cmpint (result.last_t_ms, ==, 9000);
  g_assert_cmpstr (result.exercise_id, ==, "ex");
  wc_journal_verify_result_clear (&result);
}

static void
test_mode_and_exists (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) again = wc_journal_create (f->path, "ex", "s", "x", NULL, &error);
  GStatBuf st;

  g_assert_null (again);
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_EXISTS);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

typedef struct {
  const char      *name;
  guint            line;      /* 1-based line to change */
  const char      *from;      /* replace this text in the line… */
  const char      *to;        /* …by this */
  WcJournalVerdict verdict;
  guint            bad_line;
} TamperCase;

static const TamperCase tamper_cases[] = {
  { "seq", 3, "\"seq\":2", "\"seq\":7", WC_JOURNAL_OUT_OF_ORDER, 3 },
  { "time", 3, "\"time\":\"20", "\"time\":\"19", WC_JOURNAL_EDITED, 3 },
  { "t", 3, "\"t\":1000", "\"t\":1001", WC_JOURNAL_EDITED, 3 },
  { "type", 3, "\"type\":\"note\"", "\"type\":\"nope\"", WC_JOURNAL_EDITED, 3 },
  { "data", 3, "\"n\":1", "\"n\":5", WC_JOURNAL_EDITED, 3 },
  { "prev", 3, "\"prev\":\"", "\"prev\":\"0", WC_JOURNAL_EDITED, 3 },
  { "header", 1, "\"exercise_id\":\"ex\"", "\"exercise_id\":\"ey\"", WC_JOURNAL_EDITED, 1 },
  { "not-json", 4, "{", "[", WC_JOURNAL_BAD_LINE, 4 },
  { "garbled-header", 1, "whitecell-journal", "whitecell-jurnal", WC_JOURNAL_BAD_HEADER, 1 },
};

static void
test_tamper (Fixture       *f,
             gconstpointer  data)
{
  const TamperCase *c = ((const TamperCase *) data);
  g_auto(GStrv) lines = read_lines (f);
  g_autoptr(GString) line = g_string_new (lines[c->line - 1]);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = NULL;
  WcJournalVerifyResult result;

  g_assert_cmpuint (g_string_replace (line, c->from, c->to, 1), ==, 1);
  g_free (lines[c->line - 1]);
  lines[c->line - 1] = g_strdup (line->str);
  write_lines (f, lines);
  g_assert_true (wc_journal_verify_file (f->path, &result, &error));
  g_test_message ("%s", result.message);
  g_assert_cmpint (result.verdict, ==, c->verdict);
  g_assert_cmpuint (result.bad_line, ==, c->bad_line);
  wc_journal_verify_result_clear (&result);
  /* an exercise never carries on from a tampered journal */
  journal = wc_journal_open (f->path, NULL, &error);
  g_assert_null (journal);
  g_assert_nonnull (error);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_auto(GStrv) lines = read_lines (f);
  WcJournalVerifyResult result;

  /* drop line 4 (record 3) */
  g_free (lines[3]);
  memmove (&lines[3], &lines[4], sizeof (char *) * (g_strv_length (lines) - 3));
  write_lines (f, lines);
  g_assert_true (wc_journal_verify_file (f->path, &result, NULL));
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_OUT_OF_ORDER);
  g_assert_cmpuint (result.bad_line, ==, 4);
  g_assert_nonnull (strstr (result.message, "record 4 stands where record 3 should"));
  wc_journal_verify_result_clear (&result);
}

static void
test_reorder (Fixture       *f,
              gconstpointer  data)
{
  g_auto(GStrv) lines = read_lines (f);
  WcJournalVerifyResult result;
  char *tmp = lines[3];

  lines[3] = lines[4];
  lines[4] = tmp;
  write_lines (f, lines);
  g_assert_true (wc_journal_verify_file (f->path, &result, NULL));
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_OUT_OF_ORDER);
  g_assert_cmpuint (result.bad_line, ==, 4);
  wc_journal_verify_result_clear (&result);
}

/* The machine died in the middle of writing the last record. */
static void
test_torn (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *original = NULL;
  g_autofree char *backup = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = NULL;
  g_autoptr(JsonObject) d = json_object_new ();
  WcJournalVerifyResult result;
  WcJournalRecovery recovery;
  gsize len, backup_len;

  g_assert_true (g_file_get_contents (f->path, &original, &len, NULL));
  /* cut the last record in half */
  g_assert_true (g_file_set_contents (f->path, original, len - 40, NULL));
  g_assert_true (wc_journal_verify_file (f->path, &result, NULL));
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_TRUNCATED);
  g_assert_cmpuint (result.bad_line, ==, N_RECORDS + 1);
  wc_journal_verify_result_clear (&result);

  journal = wc_journal_open (f->path, &recovery, &error);
  g_assert_no_error (error);
  g_assert_nonnull (recovery.backup_path);
  g_assert_cmpuint (recovery.line, ==, N_RECORDS + 1);
  g_assert_cmpuint (wc_journal_get_n_records (journal), ==, N_RECORDS - 1);
  /* the backup holds exactly what was there */
  g_assert_true (g_file_get_contents (recovery.backup_path, &backup, &backup_len, NULL));
  g_assert_cmpuint (backup_len, ==, len - 40);
  g_assert_true (memcmp (backup, original, backup_len) == 0);
  /* and the journal goes on, sound */
  g_assert_cmpuint (wc_journal_append (journal, 1, "note", d, &error), ==, N_RECORDS);
  g_assert_true (wc_journal_sync (journal, &error));
  g_assert_true (wc_journal_verify_file (f->path, &result, NULL));
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  wc_journal_verify_result_clear (&result);
  wc_journal_recovery_clear (&recovery);
}

static void
test_garbage_tail (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *contents = NULL;
  g_autofree char *tail = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = NULL;
  WcJournalRecovery recovery;
  gsize len;

  /* a crash can also leave zeros where the last write was going */
  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  tail = g_malloc0 (len + 100);
  memcpy (tail, contents, len);
  g_assert_true (g_file_set_contents (f->path, tail, len + 100, NULL));
  journal = wc_journal_open (f->path, &recovery, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recovery.bytes_dropped, ==, 100);
  g_assert_cmpuint (wc_journal_get_n_records (journal), ==, N_RECORDS);
  wc_journal_recovery_clear (&recovery);
}

static void
test_not_a_journal (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = NULL;

  g_assert_true (g_file_set_contents (f->path, "hello\nworld\n", -1, NULL));
  journal = wc_journal_open (f->path, NULL, &error);
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_HEADER);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (f->path, "", 0, NULL));
  journal = wc_journal_open (f->path, NULL, &error);
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_HEADER);
}

/* A full disk: the write fails, nothing half-written remains, the chain is intact. */
static void
test_write_failure (Fixture       *f,
                    gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WcJournal) journal = wc_journal_open (f->path, NULL, &error);
      g_autoptr(JsonObject) d = json_object_new ();
      g_autofree char *big = g_strnfill (4096, 'x');
      struct rlimit rl;
      GStatBuf st;

      g_autoptr(JsonObject) small = json_object_new ();
      WcJournalVerifyResult result;

      g_assert_no_error (error);
      g_assert_cmpint (g_stat (f->path, &st), ==, 0);
      /* the file may not grow past its size plus a little */
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &rl), ==, 0);
      rl.rlim_cur = st.st_size + 100;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &rl), ==, 0);
      json_object_set_string_member (d, "text", big);
      g_assert_cmpuint (wc_journal_append (journal, 1, "note", d, &error), ==, 0);
      g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO);
      g_clear_error (&error);
      /* nothing half-written: the chain is whole… */
      g_assert_true (wc_journal_verify_file (f->path, &result, NULL));
      g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
      g_assert_cmpuint (result.n_records, ==, N_RECORDS);
      wc_journal_verify_result_clear (&result);
      /* …and once there is room again, the journal goes on */
      rl.rlim_cur = rl.rlim_max;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &rl), ==, 0);
      g_assert_cmpuint (wc_journal_append (journal, 2, "note", small, &error), ==, N_RECORDS + 1);
      g_assert_true (wc_journal_verify_file (f->path, &result, NULL));
      g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
      wc_journal_verify_result_clear (&result);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static int
run_verify (Fixture    *f,
            char      **out,
            char      **err)
{
  const char *argv[] = { g_getenv ("WC_CTL"), "verify", f->path, NULL };
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                               &status, NULL));
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) line = NULL;
  const char *usage[] = { g_getenv ("WC_CTL"), "verify", NULL };
  int status;

  g_assert_cmpint (run_verify (f, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "sound, 6 records, exercise ex"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  lines = read_lines (f);
  line = g_string_new (lines[4]);
  g_string_replace (line, "\"n\":3", "\"n\":4", 1);
  g_free (lines[4]);
  lines[4] = g_strdup (line->str);
  write_lines (f, lines);
  g_assert_cmpint (run_verify (f, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "journal.jsonl:5: error: this line (a record) was changed"));

  g_assert_true (g_spawn_sync (NULL, (char **) usage, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) \
  g_test_add ("/whitecell/journal/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("roundtrip", test_roundtrip);
  ADD ("mode-and-exists", test_mode_and_exists);
  ADD ("delete", test_delete);
  ADD ("reorder", test_reorder);
  ADD ("torn", test_torn);
  ADD ("garbage-tail", test_garbage_tail);
  ADD ("not-a-journal", test_not_a_journal);
  ADD ("write-failure", test_write_failure);
  ADD ("cli", test_cli);
#undef ADD
  for (guint i = 0; i < G_N_ELEMENTS (tamper_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/journal/tamper/%s", tamper_cases[i].name);

      g_test_add (name, Fixture, &tamper_cases[i], fixture_setup, test_tamper, fixture_teardown);
    }
  return g_test_run ();
}
