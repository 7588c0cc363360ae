/* wc-journal-verify.c: checks every link of a journal file, fast: each line is hashed and its JSON
 * checked by a scanner that allocates nothing, so a million records take seconds. */
#define G_LOG_DOMAIN "wc-journal"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "wc-journal.h"

#define MAX_DEPTH 64

typedef struct {
  const char *p;
  const char *end;
  /* the record's own members, found at the top level */
  gboolean    has_seq, has_t, has_type, has_data;
  guint64     seq;
  gint64      t;
  const char *prev;
  gsize       prev_len;
  const char *time;
  gsize       time_len;
  const char *exercise_id;
  gsize       exercise_id_len;
  const char *format;
  gsize       format_len;
} Scan;

static void
skip_ws (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r'))
    s->p++;
}

/* A string; on success @start/@len delimit its raw contents (escapes left as they are). */
static gboolean
scan_string (Scan        *s,
             const char **start,
             gsize       *len)
{
  const char *begin;

  if (s->p >= s->end || *s->p != '"')
    return FALSE;
  begin = ++s->p;
  while (s->p < s->end && *s->p != '"')
    {
      if ((guchar) *s->p < 0x20)
        return FALSE;
      if (*s->p == '\\')
        {
          s->p++;
          if (s->p >= s->end || !strchr ("\"\\/bfnrtu", *s->p))
            return FALSE;
        }
      s->p++;
    }
  if (s->p >= s->end)
    return FALSE;
  if (start)
    *start = begin;
  if (len)
    *len = s->p - begin;
  s->p++;
  return TRUE;
}

static gboolean
scan_number (Scan   *s,
             gint64 *out)
{
  const char *begin = s->p;
  gboolean integer = TRUE;

  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return FALSE;
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  if (s->p < s->end && *s->p == '.')
    {
      integer = FALSE;
      s->p++;
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      integer = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (out && integer)
    *out = g_ascii_strtoll (begin, NULL, 10);
  return !out || integer;
}

static gboolean scan_value (Scan *s, int depth);

static gboolean
scan_container (Scan *s,
                int   depth,
                char  close,
                gboolean top)
{
  gboolean first = TRUE;

  if (depth > MAX_DEPTH)
    return FALSE;
  s->p++;
  for (;;)
    {
      const char *key = NULL;
      gsize key_len = 0;

      skip_ws (s);
      if (s->p < s->end && *s->p == close && first)
        {
          s->p++;
          return TRUE;
        }
      if (close == '}')
        {
          if (!scan_string (s, &key, &key_len))
            return FALSE;
          skip_ws (s);
          if (s->p >= s->end || *s->p++ != ':')
            return FALSE;
          skip_ws (s);
        }
#define KEY(name) (top && key_len == sizeof name - 1 && memcmp (key, name, key_len) == 0)
      if (KEY ("seq") || KEY ("t"))
        {
          gint64 v = 0;

          if (!scan_number (s, &v))
            return FALSE;
          if (KEY ("seq"))
            {
              s->has_seq = v > 0;
              s->seq = (guint64) v;
            }
          else
            {
              s->has_t = TRUE;
              s->t = v;
            }
        }
      else if (KEY ("prev") || KEY ("time") || KEY ("type") || KEY ("exercise_id") || KEY ("format"))
        {
          const char *v;
          gsize v_len;

          if (!scan_string (s, &v, &v_len))
            return FALSE;
          if (KEY ("prev"))
            s->prev = v, s->prev_len = v_len;
          else if (KEY ("time"))
            s->time = v, s->time_len = v_len;
          else if (KEY ("type"))
            s->has_type = TRUE;
          else if (KEY ("exercise_id"))
            s->exercise_id = v, s->exercise_id_len = v_len;
          else
            s->format = v, s->format_len = v_len;
        }
      else
        {
          if (KEY ("data"))
            s->has_data = s->p < s->end && *s->p == '{';
          if (!scan_value (s, depth + 1))
            return FALSE;
        }
#undef KEY
      first = FALSE;
      skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == close)
        {
          s->p++;
          return TRUE;
        }
      return FALSE;
    }
}

static gboolean
scan_word (Scan       *s,
           const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return FALSE;
  s->p += n;
  return TRUE;
}

static gboolean
scan_value (Scan *s,
            int   depth)
{
  skip_ws (s);
  if (s->p >= s->end)
    return FALSE;
  switch (*s->p)
    {
    case '{': return scan_container (s, depth, '}', FALSE);
    case '[': return scan_container (s, depth, ']', FALSE);
    case '"': return scan_string (s, NULL, NULL);
    case 't': return scan_word (s, "true");
    case 'f': return scan_word (s, "false");
    case 'n': return scan_word (s, "null");
    default: return scan_number (s, NULL);
    }
}

/* Checks that @line is one JSON object, and picks its top-level members. */
static gboolean
scan_line (Scan       *s,
           const char *line,
           gsize       length)
{
  memset (s, 0, sizeof *s);
  s->p = line;
  s->end = line + length;
  skip_ws (s);
  if (s->p >= s->end || *s->p != '{' || !scan_container (s, 0, '}', TRUE))
    return FALSE;
  skip_ws (s);
  return s->p == s->end;
}

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

gboolean
wc_journal_verify_file (const char             *path,
                        WcJournalVerifyResult  *result,
                        GError                **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GError) local_error = NULL;
  const char *contents, *p, *end, *nl;
  char last_hash[65];
  guint line_no = 1;
  Scan s;

  memset (result, 0, sizeof *result);
  file = g_mapped_file_new (path, FALSE, &local_error);
  if (file == NULL)
    {
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  contents = g_mapped_file_get_contents (file);
  end = contents + g_mapped_file_get_length (file);
  nl = contents ? memchr (contents, '\n', end - contents) : NULL;
  if (nl == NULL || !scan_line (&s, contents, nl - contents) || s.format == NULL ||
      s.format_len != strlen ("whitecell-journal") ||
      memcmp (s.format, "whitecell-journal", s.format_len) != 0)
    {
      fail (result, WC_JOURNAL_BAD_HEADER, 1, _("the first line is not a Whitecell journal header"));
      return TRUE;
    }
  if (s.exercise_id)
    result->exercise_id = g_strndup (s.exercise_id, s.exercise_id_len);
  g_checksum_update (checksum, (const guchar *) contents, nl - contents);
  g_strlcpy (last_hash, g_checksum_get_string (checksum), sizeof last_hash);

  for (p = nl + 1; p < end; p = nl + 1)
    {
      guint64 expected = result->n_records + 1;

      line_no++;
      nl = memchr (p, '\n', end - p);
      if (nl == NULL)
        {
          fail (result, WC_JOURNAL_TRUNCATED, line_no,
                _("the last line is cut short (no end of line): the writer stopped mid-record"));
          return TRUE;
        }
      if (!scan_line (&s, p, nl - p) || !s.has_seq || !s.has_t || !s.has_type || !s.has_data ||
          s.prev == NULL || s.time == NULL)
        {
          if (nl + 1 == end)
            fail (result, WC_JOURNAL_TRUNCATED, line_no,
                  _("the last line is not a whole record: the writer stopped mid-record"));
          else
            fail (result, WC_JOURNAL_BAD_LINE, line_no,
                  _("this line is not a journal record (not JSON, or a field is missing)"));
          return TRUE;
        }
      if (s.prev_len != 64 || memcmp (s.prev, last_hash, 64) != 0)
        {
          if (s.seq == expected)
            {
              /* The link breaks here: either the line before was changed, or this one's own
               * link was. The line after tells which: it still links to this line as it is
               * only if this line is untouched. */
              guint edited = line_no - 1;
              const char *next = nl + 1;
              const char *next_nl = next < end ? memchr (next, '\n', end - next) : NULL;
              Scan after;

              if (next_nl == NULL || !scan_line (&after, next, next_nl - next) ||
                  after.prev_len != 64)
                edited = line_no;
              else
                {
                  g_checksum_reset (checksum);
                  g_checksum_update (checksum, (const guchar *) p, nl - p);
                  if (memcmp (after.prev, g_checksum_get_string (checksum), 64) != 0)
                    edited = line_no;
                }
              fail (result, WC_JOURNAL_EDITED, edited,
                    _("this line (%s) was changed after it was written: its SHA-256 no longer "
                      "matches the link in the line after it"),
                    edited == 1 ? _("the header") : _("a record"));
            }
          else
            fail (result, WC_JOURNAL_OUT_OF_ORDER, line_no,
                  _("record %" PRIu64 " stands where record %" PRIu64
                    " should: records were deleted, added or moved"), s.seq, expected);
          return TRUE;
        }
      if (s.seq != expected)
        {
          fail (result, WC_JOURNAL_OUT_OF_ORDER, line_no,
                _("record %" PRIu64 " stands where record %" PRIu64
                  " should, yet links to the line before: its number was changed"), s.seq,
                expected);
          return TRUE;
        }
      g_checksum_reset (checksum);
      g_checksum_update (checksum, (const guchar *) p, nl - p);
      g_strlcpy (last_hash, g_checksum_get_string (checksum), sizeof last_hash);
      result->n_records = s.seq;
      result->last_t_ms = s.t;
      if (result->first_time == NULL)
        result->first_time = g_strndup (s.time, s.time_len);
      if (nl + 1 == end)
        result->last_time = g_strndup (s.time, s.time_len);
    }
  result->verdict = WC_JOURNAL_SOUND;
  return TRUE;
}

void
wc_journal_verify_result_clear (WcJournalVerifyResult *result)
{
  g_clear_pointer (&result->message, g_free);
  g_clear_pointer (&result->exercise_id, g_free);
  g_clear_pointer (&result->first_time, g_free);
  g_clear_pointer (&result->last_time, g_free);
}
