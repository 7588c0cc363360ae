/* wc-journal-reader.c: reads a journal file line by line within fixed bounds, and its last record
 * from the end; every other reader of journals goes through here. */
#define G_LOG_DOMAIN "wc-journal"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wc-journal-reader.h"

#define READ_CHUNK ((gsize) 256 << 10)
#define TAIL_BLOCK ((gsize) 64 << 10)

void
wc_journal_record_free (WcJournalRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->time);
  g_free (record->type);
  if (record->data)
    json_object_unref (record->data);
  g_free (record);
}

/* Opens @path for reading if it is a regular file. O_NONBLOCK so that opening a FIFO does not wait
 * for a writer before we can see what it is. */
static int
open_regular (const char  *path,
              GError     **error)
{
  struct stat st;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO, _("Could not open %s: %s"), path,
                   g_strerror (saved));
      return -1;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO,
                   _("%s is not a regular file (a folder, device or pipe): not a journal"), path);
      close (fd);
      return -1;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

/* Whether json-glib may be given @line: it has no depth limit and recurses once per level, so a
 * line nested a hundred thousand deep would overflow the stack. Brackets are counted outside
 * strings; json-glib also takes 'single-quoted' strings and comments, which would hide brackets
 * from this count, and JSON has neither, so a quote or slash outside a string refuses the line. */
WcJournalLineKind
wc_journal_line_check (const char *line,
                       gsize       length)
{
  const char *p = line, *end = line + length;
  int depth = 0;

  while (p < end)
    {
      switch (*p++)
        {
        case '"':
          while (p < end && *p != '"')
            p += *p == '\\' ? 2 : 1;
          p++;
          break;
        case '{':
        case '[':
          if (++depth > WC_JOURNAL_MAX_DEPTH)
            return WC_JOURNAL_LINE_TOO_DEEP;
          break;
        case '}':
        case ']':
          depth--;
          break;
        case '\'':
        case '/':
          return WC_JOURNAL_LINE_NOT_RECORD;
        default:
          break;
        }
    }
  return WC_JOURNAL_LINE_RECORD;
}

/* @line as a JSON object (owned by @parser), or NULL; @kind says why not. */
static JsonObject *
parse_object (JsonParser        *parser,
              const char        *line,
              gsize              length,
              WcJournalLineKind *kind)
{
  JsonNode *root;

  *kind = wc_journal_line_check (line, length);
  if (*kind != WC_JOURNAL_LINE_RECORD)
    return NULL;
  *kind = WC_JOURNAL_LINE_NOT_RECORD;
  if (!json_parser_load_from_data (parser, line, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  *kind = WC_JOURNAL_LINE_RECORD;
  return json_node_get_object (root);
}

/* json-glib's own getters warn (a fatal warning in tests) when a member is of another kind: a
 * journal from elsewhere must not be able to do that. */
const char *
wc_journal_string_member (JsonObject *o,
                          const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
wc_journal_int_member (JsonObject *o,
                       const char *name,
                       gint64     *out)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
is_header (JsonObject *o)
{
  return o != NULL && g_strcmp0 (wc_journal_string_member (o, "format"), "whitecell-journal") == 0;
}

/* The record in @o, or NULL when a member is missing or of the wrong kind; its "prev" in @prev. */
static WcJournalRecord *
record_from_object (JsonObject *o,
                    char        prev[65])
{
  JsonNode *data = json_object_get_member (o, "data");
  const char *time = wc_journal_string_member (o, "time");
  const char *type = wc_journal_string_member (o, "type");
  const char *link = wc_journal_string_member (o, "prev");
  WcJournalRecord *r;
  gint64 seq, t;

  if (!wc_journal_int_member (o, "seq", &seq) || seq <= 0 || !wc_journal_int_member (o, "t", &t) ||
      time == NULL ||
      type == NULL || link == NULL || data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return NULL;
  r = g_new0 (WcJournalRecord, 1);
  r->seq = seq;
  r->t_ms = t;
  r->time = g_strdup (time);
  r->type = g_strdup (type);
  r->data = json_object_ref (json_node_get_object (data));
  /* a link of the wrong length never matches: keep it out of reach of a 64-character compare */
  g_strlcpy (prev, strlen (link) == 64 ? link : "", 65);
  return r;
}

/* A relay's mirror takes another process's lines one by one: the same checks as a file's. */
WcJournalRecord *
wc_journal_parse_record (JsonParser *parser,
                         const char *line,
                         gsize       length,
                         char        prev[65])
{
  WcJournalLineKind kind;
  JsonObject *o = parse_object (parser, line, length, &kind);

  return o && !is_header (o) ? record_from_object (o, prev) : NULL;
}

const char *
wc_journal_reader_why (WcJournalLineKind kind)
{
  switch (kind)
    {
    case WC_JOURNAL_LINE_TOO_DEEP:
      return _("this line is nested more than 64 levels deep: not a journal record");
    case WC_JOURNAL_LINE_TOO_LONG:
      return _("this line is longer than 8 MiB: not a journal record");
    case WC_JOURNAL_LINE_TORN:
      return _("the last line is cut short (no end of line): the writer stopped mid-record");
    case WC_JOURNAL_LINE_RECORD:
    case WC_JOURNAL_LINE_NOT_RECORD:
    default:
      return _("this line is not a journal record (not JSON, or a field is missing)");
    }
}

/* Reads more of the file behind what the buffer holds, never past WC_JOURNAL_MAX_BYTES whatever
 * the file claims to be. */
static gboolean
fill_buffer (WcJournalReader  *self,
             GError          **error)
{
  ssize_t n;

  if (self->start > 0)
    {
      memmove (self->buf, self->buf + self->start, self->fill - self->start);
      self->fill -= self->start;
      self->start = 0;
    }
  if (self->cap - self->fill < READ_CHUNK)
    {
      self->cap = MAX (self->cap * 2, self->fill + READ_CHUNK);
      self->buf = g_realloc (self->buf, self->cap);
    }
  do
    n = read (self->fd, self->buf + self->fill, self->cap - self->fill);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int saved = errno;

      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO, _("Could not read %s: %s"),
                   self->path, g_strerror (saved));
      return FALSE;
    }
  self->eof = n == 0;
  self->fill += n;
  self->read_total += n;
  if (self->read_total > self->max_bytes)
    {
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO,
                   _("%s is larger than %lld MiB: not a journal Whitecell reads"),
                   self->path, (long long) (self->max_bytes >> 20));
      return FALSE;
    }
  return TRUE;
}

/* Takes the next raw line into ->line: TRUE, or FALSE at the end or with @error. */
static gboolean
take_line (WcJournalReader  *self,
           GError          **error)
{
  gsize scanned = 0;
  const char *nl;

  if (self->stopped)
    return FALSE;
  for (;;)
    {
      gsize avail = self->fill - self->start;

      nl = avail > scanned ? memchr (self->buf + self->start + scanned, '\n', avail - scanned)
                           : NULL;
      if (nl != NULL || self->eof || avail > WC_JOURNAL_MAX_LINE)
        break;
      scanned = avail;
      if (!fill_buffer (self, error))
        {
          self->stopped = TRUE;
          return FALSE;
        }
    }
  self->line = self->buf + self->start;
  self->length = nl ? (gsize) (nl - self->line) : self->fill - self->start;
  if (nl == NULL && self->length == 0)
    {
      self->stopped = TRUE;
      return FALSE;
    }
  self->line_no++;
  if (self->length > WC_JOURNAL_MAX_LINE)
    {
      /* what follows cannot be told apart from this line's rest: stop here */
      self->kind = WC_JOURNAL_LINE_TOO_LONG;
      self->stopped = TRUE;
      self->hash[0] = '\0';
      return TRUE;
    }
  self->kind = nl ? WC_JOURNAL_LINE_RECORD : WC_JOURNAL_LINE_TORN;
  self->start += self->length + (nl ? 1 : 0);
  self->end_offset += self->length + (nl ? 1 : 0);
  g_checksum_reset (self->checksum);
  g_checksum_update (self->checksum, (const guchar *) self->line, self->length);
  g_strlcpy (self->hash, g_checksum_get_string (self->checksum), sizeof self->hash);
  return TRUE;
}

gboolean
wc_journal_reader_open (WcJournalReader  *self,
                        const char       *path,
                        GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  WcJournalLineKind kind;
  JsonObject *header = NULL;

  memset (self, 0, sizeof *self);
  self->fd = -1;
  self->path = g_strdup (path);
  self->max_bytes = WC_JOURNAL_MAX_BYTES;
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  self->parser = json_parser_new_immutable ();
  if ((self->fd = open_regular (path, error)) < 0)
    return FALSE;
  if (!take_line (self, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  else if (self->kind == WC_JOURNAL_LINE_RECORD)
    header = parse_object (self->parser, self->line, self->length, &kind);
  if (!is_header (header))
    {
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_HEADER,
                   _("%s:1: not a Whitecell journal (its first line is not a journal header)"),
                   path);
      return FALSE;
    }
  self->header = json_object_ref (header);
  memcpy (self->before, self->hash, sizeof self->before);
  return TRUE;
}

gboolean
wc_journal_reader_next (WcJournalReader  *self,
                        GCancellable     *cancellable,
                        GError          **error)
{
  JsonObject *o;

  g_clear_pointer (&self->record, wc_journal_record_free);
  self->linked = self->in_order = FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error) || !take_line (self, error))
    return FALSE;
  if (self->kind == WC_JOURNAL_LINE_RECORD)
    {
      o = parse_object (self->parser, self->line, self->length, &self->kind);
      if (o != NULL && (self->record = record_from_object (o, self->prev)) == NULL)
        self->kind = WC_JOURNAL_LINE_NOT_RECORD;
    }
  if (self->record != NULL)
    {
      self->linked = memcmp (self->prev, self->before, 64) == 0;
      self->in_order = self->record->seq == self->line_no - 1;
    }
  memcpy (self->before, self->hash, sizeof self->before);
  return TRUE;
}

gboolean
wc_journal_reader_at_end (WcJournalReader *self)
{
  if (self->stopped)
    return TRUE;
  if (self->start == self->fill && !self->eof && !fill_buffer (self, NULL))
    return TRUE;
  return self->start == self->fill;
}

char *
wc_journal_reader_read_prefix (WcJournalReader  *self,
                               gsize             length,
                               GError          **error)
{
  g_autofree char *contents = g_malloc (length + 1);
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = pread (self->fd, contents + done, length - done, done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO, _("Could not read %s: %s"),
                       self->path, n < 0 ? g_strerror (errno) : _("it grew shorter"));
          return NULL;
        }
      done += n;
    }
  contents[length] = '\0';
  return g_steal_pointer (&contents);
}

void
wc_journal_run_in_thread (gpointer             task_data,
                          GDestroyNotify       task_data_free,
                          gpointer             source_tag,
                          GTaskThreadFunc      thread_func,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, task_data, task_data_free);
  g_task_run_in_thread (task, thread_func);
}

char *
wc_journal_seal (GBytes     *key,
                 const char *prev,
                 guint64     seq,
                 gint64      t_ms,
                 const char *type,
                 JsonObject *data)
{
  gsize key_length;
  const guchar *key_data = g_bytes_get_data (key, &key_length);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key_data, key_length);
  g_autoptr(JsonObject) unsealed = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GList) members = data ? json_object_get_members (data) : NULL;
  g_autofree char *head = g_strdup_printf ("%s:%" G_GUINT64_FORMAT ":%" G_GINT64_FORMAT ":%s:",
                                           prev, seq, t_ms, type);
  g_autofree char *text = NULL;

  /* the data in its own order, as it is written and as it is read back */
  for (GList *l = members; l; l = l->next)
    if (strcmp (l->data, "seal") != 0)
      json_object_set_member (unsealed, l->data,
                              json_node_copy (json_object_get_member (data, l->data)));
  json_node_set_object (node, unsealed);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_hmac_update (hmac, (const guchar *) head, -1);
  g_hmac_update (hmac, (const guchar *) text, -1);
  return g_strdup (g_hmac_get_string (hmac));
}

gboolean
wc_journal_seal_matches (GBytes                *key,
                         const char            *prev,
                         const WcJournalRecord *record,
                         const char            *seal)
{
  g_autofree char *expected = wc_journal_seal (key, prev, record->seq, record->t_ms,
                                               record->type, record->data);
  guchar diff = 0;

  if (seal == NULL || strlen (seal) != strlen (expected))
    return FALSE;
  for (gsize i = 0; expected[i]; i++)
    diff |= (guchar) expected[i] ^ (guchar) seal[i];
  return diff == 0;
}

void
wc_journal_reader_clear (WcJournalReader *self)
{
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
  g_clear_pointer (&self->record, wc_journal_record_free);
  g_clear_pointer (&self->header, json_object_unref);
  g_clear_pointer (&self->checksum, g_checksum_free);
  g_clear_object (&self->parser);
  g_clear_pointer (&self->buf, g_free);
  g_clear_pointer (&self->path, g_free);
}

/* The start of the line that ends at @end in the file, reading blocks backwards into *@tail
 * (which holds the file from *@base to the end) as needed; -1 with @error past the line bound. */
static goffset
line_start_before (WcJournalReader  *self,
                   GByteArray       *tail,
                   goffset          *base,
                   goffset           end,
                   GError          **error)
{
  for (;;)
    {
      const guint8 *data = tail->data;
      goffset i;

      for (i = end - 1; i >= *base; i--)
        if (data[i - *base] == '\n')
          return i + 1;
      if (*base == 0)
        return 0;
      if (end - *base > (goffset) WC_JOURNAL_MAX_LINE)
        {
          g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_BAD_LINE,
                       _("%s: a line near the end is longer than 8 MiB: not a journal record"),
                       self->path);
          return -1;
        }
      {
        gsize n = MIN ((goffset) TAIL_BLOCK, *base);
        ssize_t got;

        g_byte_array_set_size (tail, tail->len + n);
        memmove (tail->data + n, tail->data, tail->len - n);
        do
          got = pread (self->fd, tail->data, n, *base - n);
        while (got < 0 && errno == EINTR);
        if (got != (ssize_t) n)
          {
            g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO, _("Could not read %s: %s"),
                         self->path, got < 0 ? g_strerror (errno) : _("it grew shorter"));
            return -1;
          }
        *base -= n;
      }
    }
}

WcJournalRecord *
wc_journal_read_last_record (const char  *path,
                             GError     **error)
{
  g_auto(WcJournalReader) reader = { .fd = -1 };
  g_autoptr(GByteArray) tail = g_byte_array_new ();
  gboolean passed_torn = FALSE;
  goffset size, base, end, last_start;
  struct stat st;

  /* the header first: a file that is not a journal says so, rather than "no record yet" */
  if (!wc_journal_reader_open (&reader, path, error))
    return NULL;
  if (fstat (reader.fd, &st) != 0 || st.st_size > reader.max_bytes)
    {
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO,
                   _("%s is larger than %lld MiB: not a journal Whitecell reads"),
                   path, (long long) (reader.max_bytes >> 20));
      return NULL;
    }
  size = end = base = st.st_size;
  if ((last_start = line_start_before (&reader, tail, &base, end, error)) < 0)
    return NULL;
  if (size > 0 && tail->data[size - 1 - base] != '\n')
    {
      /* the writer stopped mid-line: the line before is the last one written whole */
      passed_torn = TRUE;
      end = last_start;
    }
  for (guint from_end = passed_torn ? 2 : 1; ; from_end++)
    {
      WcJournalLineKind kind;
      JsonObject *o;
      WcJournalRecord *r;
      char prev[65];
      goffset start;

      /* @end is just past an end of line; the line is [start, end - 1) */
      if (end == 0 || (start = line_start_before (&reader, tail, &base, end - 1, error)) < 0)
        return NULL;
      if (start == 0)
        return NULL;   /* the header: no record yet */
      o = parse_object (reader.parser, (const char *) tail->data + (start - base), end - 1 - start,
                        &kind);
      if (o != NULL && (r = record_from_object (o, prev)) != NULL)
        return r;
      if (!passed_torn && kind != WC_JOURNAL_LINE_TOO_DEEP)
        {
          /* a last line that is no record is what a crash leaves too (zeros, half a line) */
          passed_torn = TRUE;
          end = start;
          continue;
        }
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_BAD_LINE,
                   _("%s: line %u from the end: %s"), path, from_end,
                   wc_journal_reader_why (kind == WC_JOURNAL_LINE_RECORD
                                          ? WC_JOURNAL_LINE_NOT_RECORD : kind));
      return NULL;
    }
}
