/* test-seal.c: the journal under faults (rollback of what was not made durable, a journal deleted
 * or replaced while running, repairs that keep every backup) and sealed with a key kept outside
 * it: a forger without the key is found, a cut end shows in the count, head and seal coverage. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "test-util.h"
#include "wc-journal.h"
#include "wc-scenario-loader.h"
#include "wc-tokens.h"

typedef struct {
  char   *dir;
  char   *path;
  GBytes *key;
} Fixture;

static GBytes *
make_key (guint8 fill)
{
  guint8 bytes[32];

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = fill + i * 7;
  return g_bytes_new (bytes, sizeof bytes);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("whitecell-seal-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "journal.jsonl", NULL);
  f->key = make_key (1);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  wc_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_bytes_unref (f->key);
}

static WcJournal *
create_journal (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  WcJournal *journal = wc_journal_create (f->path, "ex", "scenario.json", "abc", NULL, &error);

  g_assert_no_error (error);
  return journal;
}

/* Appends a record whose data says @text, sealed when @sealed; returns its number. */
static guint64
append (WcJournal  *journal,
        const char *text,
        gboolean    sealed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) d = json_object_new ();
  guint64 seq;

  json_object_set_string_member (d, "text", text);
  seq = sealed ? wc_journal_append_sealed (journal, 1000, "note", d, &error)
               : wc_journal_append (journal, 1000, "note", d, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seq, >, 0);
  return seq;
}

static void
verify (const char            *path,
        GBytes                *key,
        WcJournalVerifyResult *result)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_journal_verify_file_with_key (path, key, result, &error));
  g_assert_no_error (error);
}

static void
test_rollback (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WcJournal) journal = create_journal (f);
  g_autoptr(WcJournal) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *contents = NULL;
  WcJournalVerifyResult result;

  g_assert_cmpuint (wc_journal_get_n_synced (journal), ==, 0);
  for (guint i = 0; i < 3; i++)
    append (journal, "kept", FALSE);
  g_assert_true (wc_journal_sync (journal, &error));
  g_assert_cmpuint (wc_journal_get_n_synced (journal), ==, 3);
  head = g_strdup (wc_journal_get_head_hash (journal));
  append (journal, "dropped", FALSE);
  append (journal, "dropped", FALSE);
  g_assert_cmpuint (wc_journal_get_n_synced (journal), ==, 3);
  g_assert_cmpuint (wc_journal_get_n_records (journal), ==, 5);

  /* what is durable stays, and there is nothing past the end to go to */
  g_assert_false (wc_journal_rollback_to (journal, 2, &error));
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (wc_journal_rollback_to (journal, 6, &error));
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO);
  g_clear_error (&error);
  g_assert_cmpuint (wc_journal_get_n_records (journal), ==, 5);

  g_assert_true (wc_journal_rollback_to (journal, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wc_journal_get_n_records (journal), ==, 3);
  g_assert_cmpstr (wc_journal_get_head_hash (journal), ==, head);
  g_assert_cmpuint (append (journal, "after", FALSE), ==, 4);
  g_assert_true (wc_journal_sync (journal, &error));
  verify (f->path, NULL, &result);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.n_records, ==, 4);
  g_assert_cmpstr (result.head_hash, ==, wc_journal_get_head_hash (journal));
  wc_journal_verify_result_clear (&result);
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "dropped"));
  g_clear_pointer (&contents, g_free);

  /* back to a record that was not durable either: the ones before it stay */
  append (journal, "pending", FALSE);
  append (journal, "dropped", FALSE);
  append (journal, "dropped", FALSE);
  g_assert_true (wc_journal_rollback_to (journal, 5, &error));
  g_assert_cmpuint (wc_journal_get_n_synced (journal), ==, 5);
  g_assert_cmpstr (wc_journal_get_record (journal, 4)->type, ==, "note");
  g_assert_cmpuint (append (journal, "after", FALSE), ==, 6);
  g_assert_true (wc_journal_sync (journal, &error));
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "dropped"));
  g_assert_nonnull (strstr (contents, "pending"));
  verify (f->path, NULL, &result);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.n_records, ==, 6);
  wc_journal_verify_result_clear (&result);

  /* reopened, everything read is durable */
  reopened = wc_journal_open (f->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_journal_get_n_synced (reopened), ==, 6);
  g_assert_cmpstr (wc_journal_get_head_hash (reopened), ==, wc_journal_get_head_hash (journal));
}

typedef enum { GONE_DELETED, GONE_REPLACED, GONE_MOVED } GoneHow;

static void
test_gone (Fixture       *f,
           gconstpointer  data)
{
  GoneHow how = GPOINTER_TO_INT (data);
  g_autoptr(WcJournal) journal = create_journal (f);
  g_autofree char *aside = g_strconcat (f->path, ".aside", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) d = json_object_new ();

  append (journal, "before", FALSE);
  g_assert_true (wc_journal_sync (journal, &error));
  switch (how)
    {
    case GONE_DELETED:
      g_assert_cmpint (g_unlink (f->path), ==, 0);
      break;
    case GONE_REPLACED:
      /* another file of the same name: an editor's "save", or a restored copy */
      g_assert_cmpint (g_rename (f->path, aside), ==, 0);
      g_assert_true (g_file_set_contents (f->path, "not this exercise\n", -1, NULL));
      break;
    case GONE_MOVED:
    default:
      g_assert_cmpint (g_rename (f->path, aside), ==, 0);
      break;
    }
  /* nothing waits to be saved, and yet it is told */
  g_assert_false (wc_journal_sync (journal, &error));
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "was deleted or moved while the exercise ran"));
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);
  g_assert_cmpuint (wc_journal_append (journal, 1, "note", d, &error), ==, 0);
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "was deleted or moved while the exercise ran"));
  g_assert_cmpuint (wc_journal_get_n_records (journal), ==, 1);
}

static char *
torn_name (const char *path,
           GDateTime  *when)
{
  g_autofree char *stamp = g_date_time_format (when, "%Y%m%dT%H%M%SZ");

  return g_strdup_printf ("%s.torn-%s", path, stamp);
}

/* Cuts the journal's last line short, opens it (a repair), and returns the backup it kept. */
static char *
tear_and_repair (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = wc_journal_open (f->path, NULL, &error);
  g_autofree char *torn = NULL;
  g_autofree char *backup = NULL;
  WcJournalRecovery recovery;
  gsize len, backup_len;

  g_assert_no_error (error);
  append (journal, "to be torn", FALSE);
  g_assert_true (wc_journal_sync (journal, &error));
  g_clear_object (&journal);
  g_assert_true (g_file_get_contents (f->path, &torn, &len, NULL));
  g_assert_true (g_file_set_contents (f->path, torn, len - 10, NULL));
  journal = wc_journal_open (f->path, &recovery, &error);
  g_assert_no_error (error);
  g_assert_nonnull (recovery.backup_path);
  g_assert_true (g_file_get_contents (recovery.backup_path, &backup, &backup_len, NULL));
  g_assert_cmpuint (backup_len, ==, len - 10);
  g_assert_true (memcmp (backup, torn, backup_len) == 0);
  return recovery.backup_path;
}

static void
test_backups (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WcJournal) journal = create_journal (f);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GError) error = NULL;
  char *decoys[4];

  append (journal, "one", FALSE);
  g_assert_true (wc_journal_sync (journal, &error));
  g_clear_object (&journal);
  /* a backup of this second (and of the next few) is there already: never overwritten */
  for (guint i = 0; i < G_N_ELEMENTS (decoys); i++)
    {
      g_autoptr(GDateTime) then = g_date_time_add_seconds (now, i);

      decoys[i] = torn_name (f->path, then);
      g_assert_true (g_file_set_contents (decoys[i], "decoy", -1, NULL));
    }
  first = tear_and_repair (f);
  second = tear_and_repair (f);
  g_assert_cmpstr (first, !=, second);
  for (guint i = 0; i < G_N_ELEMENTS (decoys); i++)
    {
      g_autofree char *contents = NULL;

      g_assert_cmpstr (first, !=, decoys[i]);
      g_assert_cmpstr (second, !=, decoys[i]);
      g_assert_true (g_file_get_contents (decoys[i], &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "decoy");
      g_free (decoys[i]);
    }
}

/* A journal of 6 records, records 3 and 6 sealed (6 the last): what the engine writes with its
 * checkpoints and the end of the exercise. */
static void
write_sealed (Fixture *f)
{
  g_autoptr(WcJournal) journal = create_journal (f);
  g_autoptr(GError) error = NULL;

  wc_journal_set_key (journal, f->key);
  append (journal, "one", FALSE);
  append (journal, "two", FALSE);
  g_assert_cmpuint (append (journal, "checkpoint", TRUE), ==, 3);
  append (journal, "four", FALSE);
  append (journal, "five", FALSE);
  g_assert_cmpuint (append (journal, "end", TRUE), ==, 6);
  g_assert_true (wc_journal_sync (journal, &error));
}

static GStrv
read_lines (const char *path)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return g_strsplit (contents, "\n", -1);
}

static void
write_lines (const char *path,
             GStrv       lines)
{
  g_autofree char *contents = g_strjoinv ("\n", lines);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

/* What a forger without the key does: edits line @edited (0-based; the header is 0), then makes
 * every line after it link to the new line before, so that the hash chain is whole again. */
static void
forge (const char *path,
       guint       edited,
       const char *from,
       const char *to)
{
  g_auto(GStrv) lines = read_lines (path);
  g_autoptr(GString) line = g_string_new (lines[edited]);

  g_assert_cmpuint (g_string_replace (line, from, to, 1), ==, 1);
  g_free (lines[edited]);
  lines[edited] = g_strdup (line->str);
  for (guint i = edited + 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, lines[i - 1], -1);
      char *prev = strstr (lines[i], "\"prev\":\"");

      g_assert_nonnull (prev);
      g_assert_cmpuint (strlen (hash), ==, 64);
      memcpy (prev + strlen ("\"prev\":\""), hash, 64);
    }
  write_lines (path, lines);
}

static void
test_sealed (Fixture       *f,
             gconstpointer  data)
{
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, g_bytes_get_data (f->key, NULL), 32);
  g_autofree char *prev = NULL;
  g_autofree char *head = NULL;
  JsonObject *record;
  WcJournalVerifyResult result;

  write_sealed (f);
  /* the seal is HMAC-SHA256 (key, "PREV:SEQ:T:TYPE:DATA"), computed here apart from the
   * journal's code */
  lines = read_lines (f->path);
  g_assert_true (json_parser_load_from_data (parser, lines[3], -1, NULL));
  record = json_node_get_object (json_parser_get_root (parser));
  prev = g_compute_checksum_for_string (G_CHECKSUM_SHA256, lines[2], -1);
  g_assert_cmpstr (json_object_get_string_member (record, "prev"), ==, prev);
  g_hmac_update (hmac, (const guchar *) prev, -1);
  g_hmac_update (hmac, (const guchar *) ":3:1000:note:{\"text\":\"checkpoint\"}", -1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "data"),
                                                  "seal"), ==, g_hmac_get_string (hmac));
  g_assert_null (strstr (lines[1], "seal"));

  verify (f->path, f->key, &result);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_true (result.seals_checked);
  g_assert_cmpuint (result.n_records, ==, 6);
  g_assert_cmpuint (result.n_seals, ==, 2);
  wc_journal_verify_result_clear (&result);

  /* the sealed record itself is covered: its text changed (a forger need not touch a hash, it
   * is the last line) is found out */
  {
    char *text = strstr (lines[6], "\"text\":\"end\"");

    g_assert_nonnull (text);
    memcpy (text + strlen ("\"text\":\""), "END", 3);
    write_lines (f->path, lines);
  }
  verify (f->path, f->key, &result);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_FORGED);
  g_assert_cmpuint (result.bad_line, ==, 7);
  wc_journal_verify_result_clear (&result);
  /* put back as it was, for what follows */
  {
    char *text = strstr (lines[6], "\"text\":\"END\"");

    memcpy (text + strlen ("\"text\":\""), "end", 3);
    write_lines (f->path, lines);
  }
  verify (f->path, f->key, &result);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.last_sealed_seq, ==, 6);
  head = g_compute_checksum_for_string (G_CHECKSUM_SHA256, lines[6], -1);
  g_assert_cmpstr (result.head_hash, ==, head);
  wc_journal_verify_result_clear (&result);
  /* a journal loaded for review knows its head too (the review window shows it) */
  {
    g_autoptr(WcJournal) loaded = wc_journal_load (f->path, NULL);

    g_assert_nonnull (loaded);
    g_assert_cmpstr (wc_journal_get_head_hash (loaded), ==, head);
  }
  /* without the key, seals are counted, not checked */
  verify (f->path, NULL, &result);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_false (result.seals_checked);
  g_assert_cmpuint (result.n_seals, ==, 2);
  wc_journal_verify_result_clear (&result);
}

static int
run_verify (const char  *path,
            const char  *tokens,
            char       **out,
            char       **err)
{
  const char *argv[] = { g_getenv ("WC_CTL"), "verify", path, tokens ? "--tokens" : NULL, tokens,
                         NULL };
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                               &status, NULL));
  g_test_message ("stdout: %s\nstderr: %s", *out, *err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* The tokens file of the exercise, with only what verify reads from it. */
static char *
write_tokens (Fixture *f,
              GBytes  *key)
{
  g_autofree char *path = g_strconcat (f->path, ".tokens.json", NULL);
  g_autoptr(GString) hex = g_string_new (NULL);
  g_autofree char *doc = NULL;
  gsize n;
  const guint8 *bytes = g_bytes_get_data (key, &n);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  doc = g_strdup_printf ("{\"format\":\"whitecell-tokens\",\"journal_key\":\"%s\"}", hex->str);
  g_assert_true (g_file_set_contents (path, doc, -1, NULL));
  return g_steal_pointer (&path);
}

static void
test_forged (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *tokens = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  WcJournalVerifyResult result;

  write_sealed (f);
  tokens = write_tokens (f, f->key);
  /* record 2 rewritten, every link after it made whole again */
  forge (f->path, 2, "\"text\":\"two\"", "\"text\":\"TWO\"");
  verify (f->path, NULL, &result);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.n_records, ==, 6);
  wc_journal_verify_result_clear (&result);
  verify (f->path, f->key, &result);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_FORGED);
  /* the first seal after the edit: record 3, line 4 */
  g_assert_cmpuint (result.bad_line, ==, 4);
  g_assert_nonnull (strstr (result.message, "the seal of record 3 does not match: records were "
                                            "rewritten by someone without the exercise's key"));
  g_assert_cmpuint (result.n_records, ==, 2);
  wc_journal_verify_result_clear (&result);

  /* the tool finds the key beside the journal, and says so; forged is not sound */
  g_assert_cmpint (run_verify (f->path, NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "journal.jsonl:4: error: the seal of record 3 does not match"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* and, without the key, cannot tell */
  g_assert_cmpint (g_unlink (tokens), ==, 0);
  g_assert_cmpint (run_verify (f->path, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "sound — 6 records"));
  g_assert_nonnull (strstr (out, "seals not checked"));
}

/* An edit just before the last seal: that seal, the only one after it, fails. */
static void
test_forged_before_end (Fixture       *f,
                        gconstpointer  data)
{
  WcJournalVerifyResult result;

  write_sealed (f);
  forge (f->path, 5, "\"text\":\"five\"", "\"text\":\"FIVE\"");
  verify (f->path, f->key, &result);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_FORGED);
  g_assert_cmpuint (result.bad_line, ==, 7);
  g_assert_nonnull (strstr (result.message, "the seal of record 6 does not match"));
  /* what comes before the edit is still vouched for */
  g_assert_cmpuint (result.last_sealed_seq, ==, 3);
  g_assert_cmpuint (result.n_records, ==, 5);
  wc_journal_verify_result_clear (&result);
}

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) other = make_key (2);
  g_autofree char *tokens = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  WcJournalVerifyResult result;

  write_sealed (f);
  verify (f->path, other, &result);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_FORGED);
  g_assert_cmpuint (result.bad_line, ==, 4);
  wc_journal_verify_result_clear (&result);
  tokens = write_tokens (f, other);
  g_assert_cmpint (run_verify (f->path, tokens, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "the seal of record 3 does not match"));
}

/* The last record sealed, then removed: the chain is whole, but the count, the head and how far
 * it is sealed all change, and the tool prints each. */
static void
test_cut_end (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *tokens = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *expect = NULL;
  WcJournalVerifyResult result;

  write_sealed (f);
  tokens = write_tokens (f, f->key);
  verify (f->path, f->key, &result);
  head = g_strdup (result.head_hash);
  wc_journal_verify_result_clear (&result);
  g_assert_cmpint (run_verify (f->path, NULL, &out, &err), ==, 0);
  expect = g_strdup_printf ("journal.jsonl: sound — 6 records, head %s (compare with the app and "
                            "the report); sealed through record 6 (its end)", head);
  g_assert_nonnull (strstr (out, expect));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  lines = read_lines (f->path);
  g_free (lines[6]);
  lines[6] = g_strdup ("");
  g_clear_pointer (&lines[7], g_free);
  write_lines (f->path, lines);
  verify (f->path, f->key, &result);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.n_records, ==, 5);
  g_assert_cmpuint (result.last_sealed_seq, ==, 3);
  g_assert_cmpstr (result.head_hash, !=, head);
  g_clear_pointer (&expect, g_free);
  expect = g_strdup_printf ("journal.jsonl: sound — 5 records, head %s (compare with the app and "
                            "the report); sealed through record 3; the last 2 records come after "
                            "the last seal and cannot be authenticated", result.head_hash);
  wc_journal_verify_result_clear (&result);
  g_assert_cmpint (run_verify (f->path, tokens, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, expect));
  g_assert_null (strstr (out, head));
}

static void
test_no_key (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WcJournal) journal = create_journal (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "missing.json", NULL);
  WcJournalVerifyResult result;

  /* no key: a plain append */
  g_assert_cmpuint (append (journal, "one", TRUE), ==, 1);
  g_assert_true (wc_journal_sync (journal, &error));
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "seal"));
  verify (f->path, f->key, &result);
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.last_sealed_seq, ==, 0);
  wc_journal_verify_result_clear (&result);
  g_assert_cmpint (run_verify (f->path, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "sound — 1 record, head"));
  g_assert_nonnull (strstr (out, "seals not checked (no "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* a key file asked for by name that cannot be read is an error, not a check skipped */
  g_assert_cmpint (run_verify (f->path, missing, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "missing.json"));
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) other = make_key (2);
  g_autoptr(GAsyncResult) right = NULL;
  g_autoptr(GAsyncResult) wrong = NULL;
  g_autoptr(GError) error = NULL;
  WcJournalVerifyResult result;

  write_sealed (f);
  wc_journal_verify_file_with_key_async (f->path, f->key, NULL, on_done, &right);
  wc_journal_verify_file_with_key_async (f->path, other, NULL, on_done, &wrong);
  while (right == NULL || wrong == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wc_journal_verify_file_finish (right, &result, &error));
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_SOUND);
  g_assert_cmpuint (result.last_sealed_seq, ==, 6);
  wc_journal_verify_result_clear (&result);
  g_assert_true (wc_journal_verify_file_finish (wrong, &result, &error));
  g_assert_cmpint (result.verdict, ==, WC_JOURNAL_FORGED);
  wc_journal_verify_result_clear (&result);
}

static void
assert_same_key (GBytes *a,
                 GBytes *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpuint (g_bytes_get_size (a), ==, 32);
  g_assert_true (g_bytes_equal (a, b));
}

static void
test_tokens_key (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *scenario_path = g_test_build_filename (G_TEST_DIST, "fixtures", "scenario",
                                                          "valid.json", NULL);
  g_autofree char *tokens_path = g_build_filename (f->dir, "tokens.json", NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("valid.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) scenario = wc_scenario_load (scenario_path, diag, &error);
  g_autoptr(WcTokens) tokens = NULL;
  g_autoptr(WcTokens) other = NULL;
  g_autoptr(WcTokens) old = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  JsonObject *top;

  g_assert_no_error (error);
  tokens = wc_tokens_generate (scenario, &error);
  g_assert_no_error (error);
  other = wc_tokens_generate (scenario, &error);
  key = wc_tokens_get_journal_key (tokens);
  read = wc_tokens_get_journal_key (other);
  g_assert_false (g_bytes_equal (key, read));
  g_clear_pointer (&read, g_bytes_unref);
  g_assert_true (wc_tokens_save (tokens, tokens_path, &error));
  read = wc_tokens_read_journal_key (tokens_path, &error);
  g_assert_no_error (error);
  assert_same_key (key, read);
  g_clear_pointer (&read, g_bytes_unref);

  /* a file from before journals were sealed gets a key on load, kept in the file at once */
  g_assert_true (json_parser_load_from_file (parser, tokens_path, &error));
  top = json_node_get_object (json_parser_get_root (parser));
  json_object_remove_member (top, "journal_key");
  json_generator_set_root (gen, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (gen, tokens_path, &error));
  g_assert_null (wc_tokens_read_journal_key (tokens_path, &error));
  g_assert_error (error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "tokens.json holds no journal key"));
  g_clear_error (&error);
  old = wc_tokens_load (tokens_path, scenario, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_tokens_get_controller (old), ==, wc_tokens_get_controller (tokens));
  read = wc_tokens_get_journal_key (old);
  again = wc_tokens_read_journal_key (tokens_path, &error);
  g_assert_no_error (error);
  assert_same_key (read, again);

  /* a key that is not one is named */
  g_assert_true (g_file_set_contents (tokens_path, "{\"journal_key\":\"abc\"}", -1, NULL));
  g_assert_null (wc_tokens_read_journal_key (tokens_path, &error));
  g_assert_error (error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "\"journal_key\" is not 64 hexadecimal digits"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (tokens_path, "[1]", -1, NULL));
  g_assert_null (wc_tokens_read_journal_key (tokens_path, &error));
  g_assert_error (error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, data, func) \
  g_test_add ("/whitecell/seal/" name, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("rollback", NULL, test_rollback);
  ADD ("gone/deleted", GINT_TO_POINTER (GONE_DELETED), test_gone);
  ADD ("gone/replaced", GINT_TO_POINTER (GONE_REPLACED), test_gone);
  ADD ("gone/moved", GINT_TO_POINTER (GONE_MOVED), test_gone);
  ADD ("backups", NULL, test_backups);
  ADD ("sealed", NULL, test_sealed);
  ADD ("forged", NULL, test_forged);
  ADD ("forged-before-end", NULL, test_forged_before_end);
  ADD ("wrong-key", NULL, test_wrong_key);
  ADD ("cut-end", NULL, test_cut_end);
  ADD ("no-key", NULL, test_no_key);
  ADD ("async", NULL, test_async);
  ADD ("tokens-key", NULL, test_tokens_key);
#undef ADD
  return g_test_run ();
}
