/* wc-journal-verify.c: checks every link of a journal file and names the first line that is wrong,
 * and how; read-only, through the journal's one line reader. */
#define G_LOG_DOMAIN "wc-journal"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "wc-journal-reader.h"

static void
fail (WcJournalVerifyResult *result,
      WcJournalVerdict       verdict,
      guint                  line,
      const char            *format,
      ...) G_GNUC_PRINTF (4, 5);

static void
fail (WcJournalVerifyResult *result,
      WcJournalVerdict       verdict,
      guint                  line,
      const char            *format,
      ...)
{
  va_list args;

  va_start (args, format);
  result->verdict = verdict;
  result->bad_line = line;
  result->message = g_strdup_vprintf (format, args);
  va_end (args);
}

static void
fail_edited (WcJournalVerifyResult *result,
             guint                  edited)
{
  fail (result, WC_JOURNAL_EDITED, edited,
        _("this line (%s) was changed after it was written: its SHA-256 no longer "
          "matches the link in the line after it"),
        edited == 1 ? _("the header") : _("a record"));
}

/* The verdict on the current line, unless it is a sound record (then FALSE). */
static gboolean
judge_line (WcJournalReader       *reader,
            WcJournalVerifyResult *result)
{
  guint64 expected = result->n_records + 1;

  switch (reader->kind)
    {
    case WC_JOURNAL_LINE_TORN:
      fail (result, WC_JOURNAL_TRUNCATED, reader->line_no, "%s",
            wc_journal_reader_why (reader->kind));
      return TRUE;
    case WC_JOURNAL_LINE_NOT_RECORD:
      if (wc_journal_reader_at_end (reader))
        fail (result, WC_JOURNAL_TRUNCATED, reader->line_no,
              _("the last line is not a whole record: the writer stopped mid-record"));
      else
        fail (result, WC_JOURNAL_BAD_LINE, reader->line_no, "%s",
              wc_journal_reader_why (reader->kind));
      return TRUE;
    case WC_JOURNAL_LINE_TOO_DEEP:
    case WC_JOURNAL_LINE_TOO_LONG:
      fail (result, WC_JOURNAL_BAD_LINE, reader->line_no, "%s",
            wc_journal_reader_why (reader->kind));
      return TRUE;
    case WC_JOURNAL_LINE_RECORD:
    default:
      break;
    }
  if (!reader->linked)
    {
      fail (result, WC_JOURNAL_OUT_OF_ORDER, reader->line_no,
            _("record %" PRIu64 " stands where record %" PRIu64
              " should: records were deleted, added or moved"), reader->record->seq, expected);
      return TRUE;
    }
  if (!reader->in_order)
    {
      fail (result, WC_JOURNAL_OUT_OF_ORDER, reader->line_no,
            _("record %" PRIu64 " stands where record %" PRIu64
              " should, yet links to the line before: its number was changed"),
            reader->record->seq, expected);
      return TRUE;
    }
  return FALSE;
}

/* Counts the seal of the current (sound) record, and with @key checks it: FALSE if it is wrong. */
static gboolean
check_seal (WcJournalReader       *reader,
            GBytes                *key,
            WcJournalVerifyResult *result)
{
  JsonNode *seal = json_object_get_member (reader->record->data, "seal");
  guint64 seq = reader->record->seq;

  if (seal == NULL)
    return TRUE;
  if (key != NULL &&
      !wc_journal_seal_matches (key, reader->prev, reader->record,
                                wc_journal_string_member (reader->record->data, "seal")))
    {
      fail (result, WC_JOURNAL_FORGED, reader->line_no,
            _("the seal of record %" PRIu64 " does not match: records were rewritten by someone "
              "without the exercise's key"), seq);
      return FALSE;
    }
  result->n_seals++;
  result->last_sealed_seq = seq;
  return TRUE;
}

static gboolean
verify_file (const char             *path,
             GBytes                 *key,
             WcJournalVerifyResult  *result,
             GCancellable           *cancellable,
             GError                **error)
{
  g_auto(WcJournalReader) reader = { .fd = -1 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *last_time = NULL;
  guint broken = 0;
  char broken_hash[65];

  memset (result, 0, sizeof *result);
  if (!wc_journal_reader_open (&reader, path, &local_error))
    {
      if (!g_error_matches (local_error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_HEADER))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      fail (result, WC_JOURNAL_BAD_HEADER, 1, _("the first line is not a Whitecell journal header"));
      return TRUE;
    }
  result->exercise_id = g_strdup (wc_journal_string_member (reader.header, "exercise_id"));
  result->head_hash = g_strdup (reader.hash);
  result->seals_checked = key != NULL;

  while (wc_journal_reader_next (&reader, cancellable, &local_error))
    {
      if (broken != 0)
        {
          /* The link broke at the line before: either the line before that was changed, or that
           * line's own link was. This line tells which: it still links to that line as it is
           * only if that line is untouched. */
          gboolean untouched = reader.kind == WC_JOURNAL_LINE_RECORD &&
                               memcmp (reader.prev, broken_hash, 64) == 0;

          fail_edited (result, untouched ? broken - 1 : broken);
          return TRUE;
        }
      if (reader.kind == WC_JOURNAL_LINE_RECORD && !reader.linked &&
          reader.record->seq == result->n_records + 1)
        {
          broken = reader.line_no;
          memcpy (broken_hash, reader.hash, sizeof broken_hash);
          continue;
        }
      if (judge_line (&reader, result) || !check_seal (&reader, key, result))
        return TRUE;
      g_free (result->head_hash);
      result->head_hash = g_strdup (reader.hash);
      result->n_records = reader.record->seq;
      result->last_t_ms = reader.record->t_ms;
      if (result->first_time == NULL)
        result->first_time = g_strdup (reader.record->time);
      g_free (last_time);
      last_time = g_steal_pointer (&reader.record->time);
    }
  if (local_error != NULL)
    {
      wc_journal_verify_result_clear (result);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (broken != 0)
    {
      /* nothing after it to tell: its own link is what no longer matches */
      fail_edited (result, broken);
      return TRUE;
    }
  result->verdict = WC_JOURNAL_SOUND;
  result->last_time = g_steal_pointer (&last_time);
  return TRUE;
}

gboolean
wc_journal_verify_file (const char             *path,
                        WcJournalVerifyResult  *result,
                        GError                **error)
{
  return verify_file (path, NULL, result, NULL, error);
}

gboolean
wc_journal_verify_file_with_key (const char             *path,
                                 GBytes                 *key,
                                 WcJournalVerifyResult  *result,
                                 GError                **error)
{
  return verify_file (path, key, result, NULL, error);
}

void
wc_journal_verify_result_clear (WcJournalVerifyResult *result)
{
  g_clear_pointer (&result->message, g_free);
  g_clear_pointer (&result->exercise_id, g_free);
  g_clear_pointer (&result->first_time, g_free);
  g_clear_pointer (&result->last_time, g_free);
  g_clear_pointer (&result->head_hash, g_free);
}

static void
verify_result_free (gpointer data)
{
  wc_journal_verify_result_clear (data);
  g_free (data);
}

typedef struct {
  char   *path;
  GBytes *key;
} VerifyTask;

static void
verify_task_free (gpointer data)
{
  VerifyTask *t = data;

  g_free (t->path);
  g_clear_pointer (&t->key, g_bytes_unref);
  g_free (t);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyTask *t = task_data;
  WcJournalVerifyResult *result = g_new0 (WcJournalVerifyResult, 1);
  GError *error = NULL;

  if (!verify_file (t->path, t->key, result, cancellable, &error))
    {
      verify_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, verify_result_free);
}

void
wc_journal_verify_file_with_key_async (const char          *path,
                                       GBytes              *key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  VerifyTask *t = g_new0 (VerifyTask, 1);

  t->path = g_strdup (path);
  t->key = key ? g_bytes_ref (key) : NULL;
  /* one source tag for both: wc_journal_verify_file_finish() finishes either */
  wc_journal_run_in_thread (t, verify_task_free, wc_journal_verify_file_async, verify_thread,
                            cancellable, callback, user_data);
}

void
wc_journal_verify_file_async (const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  wc_journal_verify_file_with_key_async (path, NULL, cancellable, callback, user_data);
}

gboolean
wc_journal_verify_file_finish (GAsyncResult           *result,
                               WcJournalVerifyResult  *out,
                               GError                **error)
{
  WcJournalVerifyResult *verify;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wc_journal_verify_file_async,
                        FALSE);
  memset (out, 0, sizeof *out);
  verify = g_task_propagate_pointer (G_TASK (result), error);
  if (verify == NULL)
    return FALSE;
  *out = *verify;
  g_free (verify);
  return TRUE;
}
