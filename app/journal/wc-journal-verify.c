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

static gboolean
verify_file (const char             *path,
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
      if (judge_line (&reader, result))
        return TRUE;
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
  return verify_file (path, result, NULL, error);
}

void
wc_journal_verify_result_clear (WcJournalVerifyResult *result)
{
  g_clear_pointer (&result->message, g_free);
  g_clear_pointer (&result->exercise_id, g_free);
  g_clear_pointer (&result->first_time, g_free);
  g_clear_pointer (&result->last_time, g_free);
}

static void
verify_result_free (gpointer data)
{
  wc_journal_verify_result_clear (data);
  g_free (data);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  WcJournalVerifyResult *result = g_new0 (WcJournalVerifyResult, 1);
  GError *error = NULL;

  if (!verify_file (task_data, result, cancellable, &error))
    {
      verify_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, verify_result_free);
}

void
wc_journal_verify_file_async (const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  wc_journal_run_in_thread (path, wc_journal_verify_file_async, verify_thread, cancellable, callback, user_data);
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
