/* test-journal.c: the hash chain: every kind of tampering is found and named by its line; a torn
 * last line is repaired on open, with the original kept; appends continue the chain. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "test-util.h"
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
  wc_test_remove_dir (f->dir);
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
  g_assert_nonnull (strstr (out, "journal.jsonl: sound — 6 records, head "));
  g_assert_nonnull (strstr (out, "exercise ex, up to"));
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

/* Appends a record by hand, linked and numbered as the writer would: how a line the writer never
 * makes gets into a journal whose chain is intact. */
static void
append_raw (const char *path,
            const char *data_json)
{
  g_autofree char *contents = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *line = NULL;
  const char *last;
  guint n_lines = 0;
  gsize len;
  FILE *out;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_true (len > 0 && contents[len - 1] == '\n');
  for (gsize i = 0; i < len; i++)
    n_lines += contents[i] == '\n';
  contents[len - 1] = '\0';
  last = strrchr (contents, '\n');
  last = last ? last + 1 : contents;
  prev = g_compute_checksum_for_string (G_CHECKSUM_SHA256, last, -1);
  line = g_strdup_printf ("{\"seq\":%u,\"time\":\"2026-01-01T00:00:00.000Z\",\"t\":%u,"
                          "\"type\":\"note\",\"data\":%s,\"prev\":\"%s\"}\n",
                          n_lines, n_lines * 1000, data_json, prev);
  out = fopen (path, "a");
  g_assert_nonnull (out);
  g_assert_cmpint (fputs (line, out), >=, 0);
  g_assert_cmpint (fclose (out), ==, 0);
}

static char *
nested (const char *open,
        const char *inner,
        const char *close,
        guint       depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, open);
  g_string_append (s, inner);
  for (guint i = 0; i < depth; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

static char *deep_arrays (void) { return nested ("[", "", "]", 130000); }
static char *deep_objects (void) { return nested ("{\"a\":", "1", "}", 130000); }
static char *
quoted_brackets (void)
{
  g_autofree char *arrays = nested ("[", "", "]", 130000);

  /* json-glib takes 'single quotes': a count of brackets that only knew "…" would skip these */
  return g_strdup_printf ("{'\"':%s}", arrays);
}
static char *
too_long (void)
{
  g_autofree char *text = g_strnfill (9 << 20, 'x');

  return g_strdup_printf ("{\"text\":\"%s\"}", text);
}

typedef struct {
  const char *name;
  char      *(*data) (void);
  gboolean    load_refuses;  /* over a bound (else load passes the line over, as any non-record) */
  const char *why;           /* in verify's message */
} HostileCase;

static const HostileCase hostile_cases[] = {
  { "deep-arrays", deep_arrays, TRUE, "nested more than 64 levels deep" },
  { "deep-objects", deep_objects, TRUE, "nested more than 64 levels deep" },
  { "quoted-brackets", quoted_brackets, FALSE, "not a journal record (not JSON" },
  { "too-long", too_long, TRUE, "longer than 8 MiB" },
};

/* A line that would overflow json-glib's stack, or make the reader hold a file's worth of line, is
 * a bad line with its number, for every reader; never a crash. */
static void
test_hostile_line (Fixture       *f,
                   gconstpointer  data)
{
  const HostileCase *c = data;
  g_autofree char *hostile = c->data ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = NULL;
  g_autoptr(WcJournal) loaded = NULL;
  WcJournalVerifyResult result;

  append_raw (f->path, hostile);       /* line 8 */
  append_raw (f->path, "{}");          /* so that it is not the last line */
  g_assert_true (wc_journal_verify_file (f->path, &result, &error));
  g_assert_no_error (error);
  g_test_message ("%s", result.message);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_BAD_LINE);
  g_assert_cmpuint (result.bad_line, ==, N_RECORDS + 2);
  g_assert_nonnull (strstr (result.message, c->why));
  wc_journal_verify_result_clear (&result);

  journal = wc_journal_open (f->path, NULL, &error);
  g_assert_null (journal);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "journal.jsonl:8: "));
  g_clear_error (&error);

  loaded = wc_journal_load (f->path, &error);
  if (c->load_refuses)
    {
      g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_BAD_LINE);
      g_assert_nonnull (strstr (error->message, "journal.jsonl:8: "));
      g_assert_nonnull (strstr (error->message, c->why));
      g_assert_null (loaded);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_cmpuint (wc_journal_get_n_records (loaded), ==, N_RECORDS + 1);
    }
}

/* Whitecell never writes what it would refuse to read back. */
static void
test_append_refuses_hostile (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = wc_journal_open (f->path, NULL, &error);
  g_autoptr(JsonObject) big = json_object_new ();
  g_autoptr(JsonObject) deep = json_object_new ();
  g_autoptr(JsonObject) small = json_object_new ();
  g_autofree char *text = g_strnfill (9 << 20, 'x');
  JsonObject *o = deep;
  WcJournalVerifyResult result;

  g_assert_no_error (error);
  json_object_set_string_member (big, "text", text);
  g_assert_cmpuint (wc_journal_append (journal, 1, "note", big, &error), ==, 0);
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_BAD_LINE);
  g_clear_error (&error);
  for (guint i = 0; i < 100; i++)
    {
      JsonObject *inner = json_object_new ();

      json_object_set_object_member (o, "a", inner);
      o = inner;
    }
  g_assert_cmpuint (wc_journal_append (journal, 1, "note", deep, &error), ==, 0);
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_BAD_LINE);
  g_clear_error (&error);
  g_assert_cmpuint (wc_journal_append (journal, 2, "note", small, &error), ==, N_RECORDS + 1);
  g_assert_true (wc_journal_sync (journal, &error));
  g_assert_true (wc_journal_verify_file (f->path, &result, &error));
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.n_records, ==, N_RECORDS + 1);
  wc_journal_verify_result_clear (&result);
}

/* A folder, a device that never ends and a FIFO without a writer: each refused at once. */
static void
test_not_regular (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (f->dir, "fifo.jsonl", NULL);
  const char *paths[] = { "/dev/zero", f->dir, fifo };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      GError *errors[5] = { NULL };
      WcJournalVerifyResult result;

      g_assert_null (wc_journal_open (paths[i], NULL, &errors[0]));
      g_assert_null (wc_journal_load (paths[i], &errors[1]));
      g_assert_null (wc_journal_read_header (paths[i], &errors[2]));
      g_assert_null (wc_journal_read_last_record (paths[i], &errors[3]));
      g_assert_false (wc_journal_verify_file (paths[i], &result, &errors[4]));
      for (guint e = 0; e < G_N_ELEMENTS (errors); e++)
        {
          g_assert_error (errors[e], WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO);
          g_assert_nonnull (strstr (errors[e]->message, "not a regular file"));
          g_assert_nonnull (strstr (errors[e]->message, paths[i]));
          g_error_free (errors[e]);
        }
    }
  g_unlink (fifo);
}

static void
append_records (const char *path,
                guint       n,
                const char *last_type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = wc_journal_open (path, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) d = json_object_new ();

      json_object_set_int_member (d, "i", i);
      g_assert_cmpuint (wc_journal_append (journal, i, i + 1 == n ? last_type : "note", d, &error),
                        !=, 0);
    }
  g_assert_true (wc_journal_sync (journal, &error));
}

static void
test_last_record (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournalRecord) last = NULL;
  g_autoptr(WcJournalRecord) before = NULL;
  g_autoptr(WcJournalRecord) big = NULL;
  g_autoptr(JsonObject) d = json_object_new ();
  g_autofree char *contents = NULL;
  g_autofree char *text = g_strnfill (300000, 'y');
  gsize len;

  append_records (f->path, 5000 - N_RECORDS, "exercise-ended");
  last = wc_journal_read_last_record (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (last);
  g_assert_cmpuint (last->seq, ==, 5000);
  g_assert_cmpstr (last->type, ==, "exercise-ended");
  g_assert_cmpint (json_object_get_int_member (last->data, "i"), ==, 5000 - N_RECORDS - 1);

  /* torn: cut in the middle of the last record, then as a crash leaves zeros */
  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (f->path, contents, len - 20, NULL));
  before = wc_journal_read_last_record (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->seq, ==, 4999);
  g_assert_cmpstr (before->type, ==, "note");
  g_clear_pointer (&before, wc_journal_record_free);
  memset (contents + len - 30, 0, 29);
  g_assert_true (g_file_set_contents (f->path, contents, len, NULL));
  before = wc_journal_read_last_record (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->seq, ==, 4999);

  /* a last line longer than the blocks it is read back in */
  g_assert_true (g_file_set_contents (f->path, contents, len - 30, NULL));
  json_object_set_string_member (d, "text", text);
  {
    g_autoptr(WcJournal) journal = wc_journal_open (f->path, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (wc_journal_append (journal, 1, "long", d, &error), ==, 5000);
  }
  big = wc_journal_read_last_record (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (big->type, ==, "long");
  g_assert_cmpuint (strlen (json_object_get_string_member (big->data, "text")), ==, 300000);
}

static void
test_last_record_header_only (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournalRecord) none = NULL;
  g_autoptr(WcJournalRecord) torn = NULL;
  g_autoptr(WcJournalRecord) not_journal = NULL;
  g_autofree char *contents = NULL;
  char *nl;

  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  nl = strchr (contents, '\n');
  nl[1] = '\0';
  g_assert_true (g_file_set_contents (f->path, contents, -1, NULL));
  none = wc_journal_read_last_record (f->path, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  /* the first record torn: still none */
  strcpy (nl + 1, "{\"seq\":1,\"ti");
  g_assert_true (g_file_set_contents (f->path, contents, -1, NULL));
  torn = wc_journal_read_last_record (f->path, &error);
  g_assert_no_error (error);
  g_assert_null (torn);
  /* not a journal at all: said so, not "no record yet" */
  g_assert_true (g_file_set_contents (f->path, "hello\nworld\n", -1, NULL));
  not_journal = wc_journal_read_last_record (f->path, &error);
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_HEADER);
  g_assert_null (not_journal);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) verified = NULL;
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GAsyncResult) tampered = NULL;
  g_autoptr(GAsyncResult) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = NULL;
  g_autofree char *gone = g_build_filename (f->dir, "gone.jsonl", NULL);
  g_auto(GStrv) lines = NULL;
  WcJournalVerifyResult result;

  wc_journal_verify_file_async (f->path, NULL, on_done, &verified);
  wc_journal_load_async (f->path, NULL, on_done, &loaded);
  g_assert_true (wc_journal_verify_file_finish (wait_for (&verified), &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.n_records, ==, N_RECORDS);
  g_assert_cmpstr (result.exercise_id, ==, "ex");
  g_assert_nonnull (result.last_time);
  wc_journal_verify_result_clear (&result);
  journal = wc_journal_load_finish (wait_for (&loaded), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_journal_get_n_records (journal), ==, N_RECORDS);
  g_assert_cmpstr (wc_journal_get_record (journal, N_RECORDS - 1)->type, ==, "note");

  /* a verdict is a result, not an error */
  lines = read_lines (f);
  lines[2][strlen (lines[2]) - 3] ^= 1;
  write_lines (f, lines);
  wc_journal_verify_file_async (f->path, NULL, on_done, &tampered);
  g_assert_true (wc_journal_verify_file_finish (wait_for (&tampered), &result, &error));
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_EDITED);
  g_assert_cmpuint (result.bad_line, ==, 3);
  wc_journal_verify_result_clear (&result);

  wc_journal_load_async (gone, NULL, on_done, &missing);
  g_assert_null (wc_journal_load_finish (wait_for (&missing), &error));
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_autoptr(GCancellable) during = g_cancellable_new ();
  g_autoptr(GAsyncResult) verified = NULL;
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GAsyncResult) verified_during = NULL;
  g_autoptr(GAsyncResult) loaded_during = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = NULL;
  WcJournalVerifyResult result = { .verdict = WC_JOURNAL_TRUNCATED };

  append_records (f->path, 20000, "note");
  g_cancellable_cancel (before);
  wc_journal_verify_file_async (f->path, before, on_done, &verified);
  wc_journal_load_async (f->path, before, on_done, &loaded);
  g_assert_false (wc_journal_verify_file_finish (wait_for (&verified), &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result.message);
  g_assert_null (result.exercise_id);
  g_clear_error (&error);
  journal = wc_journal_load_finish (wait_for (&loaded), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (journal);
  g_clear_error (&error);

  /* cancelled while the worker reads */
  wc_journal_verify_file_async (f->path, during, on_done, &verified_during);
  wc_journal_load_async (f->path, during, on_done, &loaded_during);
  g_cancellable_cancel (during);
  g_assert_false (wc_journal_verify_file_finish (wait_for (&verified_during), &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  journal = wc_journal_load_finish (wait_for (&loaded_during), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (journal);
}

/* The writer thread ------------------------------------------------------------------------- */

typedef struct {
  WcJournal *journal;
  GArray    *order;     /* guint: which sync finished, in the order they finished */
  GArray    *asked_at;  /* guint: records appended when each sync was asked */
  GPtrArray *errors;    /* GError or NULL, per sync finished */
  guint      n_done;
} Syncs;

typedef struct {
  Syncs *syncs;
  guint  i;        /* which sync */
} SyncAsk;

static void
on_synced (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree SyncAsk *ask = user_data;
  Syncs *syncs = ask->syncs;
  GError *error = NULL;

  wc_journal_sync_finish (syncs->journal, result, &error);
  g_array_append_val (syncs->order, ask->i);
  /* once told, every record appended before the sync was asked is durable */
  if (error == NULL)
    g_assert_cmpuint (wc_journal_get_n_synced (syncs->journal), >=,
                      g_array_index (syncs->asked_at, guint, ask->i));
  g_ptr_array_add (syncs->errors, error);
  syncs->n_done++;
}

static void
ask_sync (Syncs *syncs,
          guint  i)
{
  SyncAsk *ask = g_new0 (SyncAsk, 1);
  guint n = wc_journal_get_n_records (syncs->journal);

  ask->syncs = syncs;
  ask->i = i;
  g_array_append_val (syncs->asked_at, n);
  wc_journal_sync_async (syncs->journal, NULL, on_synced, ask);
}

static void
error_free0 (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

static void
syncs_clear (Syncs *syncs)
{
  g_array_unref (syncs->order);
  g_array_unref (syncs->asked_at);
  g_ptr_array_unref (syncs->errors);
}

static void
syncs_init (Syncs     *syncs,
            WcJournal *journal)
{
  syncs->journal = journal;
  syncs->order = g_array_new (FALSE, FALSE, sizeof (guint));
  syncs->asked_at = g_array_new (FALSE, FALSE, sizeof (guint));
  syncs->errors = g_ptr_array_new_with_free_func (error_free0);
  syncs->n_done = 0;
}

static guint64
append_n (WcJournal *journal,
          guint      n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) d = json_object_new ();
  guint64 seq;

  json_object_set_int_member (d, "n", n);
  seq = wc_journal_append (journal, n, "note", d, &error);
  g_assert_no_error (error);
  return seq;
}

/* Appends go on while the writer thread syncs: every record is numbered and chained in the order
 * appended, the syncs are told in the order asked, each once its records are durable, and the
 * file reads back whole and in order. */
static void
test_writer_order (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = wc_journal_open (f->path, NULL, &error);
  WcJournalVerifyResult result = { 0 };
  Syncs syncs;
  guint n_syncs = 0;

  g_assert_no_error (error);
  syncs_init (&syncs, journal);
  for (guint i = 0; i < 2000; i++)
    {
      g_assert_cmpuint (append_n (journal, i), ==, N_RECORDS + i + 1);
      if (i % 7 == 0)
        ask_sync (&syncs, n_syncs++);
      /* now and then the main loop turns while the writer works */
      if (i % 50 == 0)
        g_main_context_iteration (NULL, FALSE);
    }
  ask_sync (&syncs, n_syncs++);
  while (syncs.n_done < n_syncs)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < n_syncs; i++)
    {
      g_assert_cmpuint (g_array_index (syncs.order, guint, i), ==, i);
      g_assert_null (g_ptr_array_index (syncs.errors, i));
    }
  g_assert_cmpuint (wc_journal_get_n_synced (journal), ==, N_RECORDS + 2000);
  g_assert_true (wc_journal_verify_file (f->path, &result, &error));
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.n_records, ==, N_RECORDS + 2000);
  g_assert_cmpstr (result.head_hash, ==, wc_journal_get_head_hash (journal));
  wc_journal_verify_result_clear (&result);
  for (guint i = 0; i < 2000; i++)
    g_assert_cmpint (json_object_get_int_member (wc_journal_get_record (journal, N_RECORDS + i)->data,
                                                 "n"), ==, i);
  syncs_clear (&syncs);
}

/* A sync that fails (the hook stands in for a failing disk) is told to every caller waiting on
 * it, and to those who ask after it, until a rollback to the durable records: nothing is ever
 * said durable that was not made so. */
static void
test_writer_failure (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = wc_journal_open (f->path, NULL, &error);
  WcJournalVerifyResult result = { 0 };
  Syncs syncs;

  g_assert_no_error (error);
  syncs_init (&syncs, journal);
  append_n (journal, 0);
  wc_journal_fail_next_sync (journal, EIO);
  ask_sync (&syncs, 0);
  ask_sync (&syncs, 1);
  while (syncs.n_done < 2)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 2; i++)
    {
      GError *e = g_ptr_array_index (syncs.errors, i);

      g_assert_error (e, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO);
      g_assert_nonnull (strstr (e->message, f->path));
    }
  g_assert_cmpuint (wc_journal_get_n_synced (journal), ==, N_RECORDS);
  /* still failing: what the disk holds is unknown until the records are cut off */
  append_n (journal, 1);
  g_assert_false (wc_journal_sync (journal, &error));
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO);
  g_clear_error (&error);
  g_assert_true (wc_journal_rollback_to (journal, wc_journal_get_n_synced (journal), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wc_journal_get_n_records (journal), ==, N_RECORDS);
  /* and then the journal goes on */
  g_assert_cmpuint (append_n (journal, 2), ==, N_RECORDS + 1);
  ask_sync (&syncs, 2);
  while (syncs.n_done < 3)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (g_ptr_array_index (syncs.errors, 2));
  g_assert_cmpuint (wc_journal_get_n_synced (journal), ==, N_RECORDS + 1);
  g_assert_true (wc_journal_verify_file (f->path, &result, &error));
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.n_records, ==, N_RECORDS + 1);
  wc_journal_verify_result_clear (&result);
  syncs_clear (&syncs);
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
  ADD ("append-refuses-hostile", test_append_refuses_hostile);
  ADD ("not-regular", test_not_regular);
  ADD ("last-record", test_last_record);
  ADD ("last-record-header-only", test_last_record_header_only);
  ADD ("async", test_async);
  ADD ("cancel", test_cancel);
  ADD ("writer-order", test_writer_order);
  ADD ("writer-failure", test_writer_failure);
#undef ADD
  for (guint i = 0; i < G_N_ELEMENTS (tamper_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/journal/tamper/%s", tamper_cases[i].name);

      g_test_add (name, Fixture, &tamper_cases[i], fixture_setup, test_tamper, fixture_teardown);
    }
  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/journal/hostile/%s", hostile_cases[i].name);

      g_test_add (name, Fixture, &hostile_cases[i], fixture_setup, test_hostile_line,
                  fixture_teardown);
    }
  return g_test_run ();
}
