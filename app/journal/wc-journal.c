/* wc-journal.c: writing, reopening and repairing the exercise journal. */
#define G_LOG_DOMAIN "wc-journal"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wc-journal-reader.h"

G_DEFINE_QUARK (wc-journal-error-quark, wc_journal_error)

struct _WcJournal {
  GObject     parent_instance;
  char       *path;
  int         fd;
  goffset     length;      /* bytes of sound records on disk */
  JsonObject *header;
  char        last_hash[65];
  guint64     next_seq;
  GPtrArray  *records;     /* WcJournalRecord */
  /* the file the journal was opened as: noticed if the path stops naming it */
  dev_t       dev;
  ino_t       ino;
  /* where the durable part ends, and where each record since ends: what a rollback goes back to
   * (only unsynced records may be dropped, so only theirs are kept) */
  guint       n_synced;
  goffset     synced_length;
  char        synced_hash[65];
  GArray     *pending;     /* Mark, one per record after n_synced */
  GBytes     *key;         /* seals the records of wc_journal_append_sealed(); nullable */
  /* The writer thread, so that the main loop never waits for the disk: lines are hashed into
   * the chain and written (to the page cache) in order as they are appended, and every sync
   * asked for since the writer's last round is made by one fdatasync (group commit). The
   * fields below are shared with it, under `lock`. */
  GThread    *writer;
  GMutex      lock;
  GCond       cond;
  GQueue      requests;    /* SyncRequest, in the order asked */
  gboolean    writer_busy; /* syncing outside the lock */
  gboolean    stopping;
  gboolean    dirty;       /* written since the last fdatasync */
  guint       n_durable;   /* records the writer made durable, for the main thread to catch up */
  GError     *failure;     /* a sync failed: none is made again until a rollback */
  int         fail_errno;  /* test hook: the next sync fails with this */
};

/* A sync asked for: a task (wc_journal_sync_async) or a caller waiting on `cond`. */
typedef struct {
  guint     n_records;
  GTask    *task;
  gboolean  done;
  GError   *error;
} SyncRequest;

typedef struct {
  goffset end;
  char    hash[65];
} Mark;

G_DEFINE_FINAL_TYPE (WcJournal, wc_journal, G_TYPE_OBJECT)

static void
wc_journal_finalize (GObject *object)
{
  WcJournal *self = WC_JOURNAL (object);

  if (self->writer != NULL)
    {
      /* what was appended is written and synced before the writer ends */
      wc_journal_sync (self, NULL);
      g_mutex_lock (&self->lock);
      self->stopping = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      g_thread_join (self->writer);
    }
  if (self->fd >= 0)
    close (self->fd);
  g_clear_error (&self->failure);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self->path);
  g_clear_pointer (&self->header, json_object_unref);
  g_ptr_array_unref (self->records);
  g_array_unref (self->pending);
  g_clear_pointer (&self->key, g_bytes_unref);
  G_OBJECT_CLASS (wc_journal_parent_class)->finalize (object);
}

static void
wc_journal_class_init (WcJournalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wc_journal_finalize;
}

static void
wc_journal_init (WcJournal *self)
{
  self->fd = -1;
  self->next_seq = 1;
  self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_journal_record_free);
  self->pending = g_array_new (FALSE, FALSE, sizeof (Mark));
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

void
wc_journal_recovery_clear (WcJournalRecovery *recovery)
{
  g_clear_pointer (&recovery->backup_path, g_free);
}

static void
hash_line (const char *line,
           gsize       length,
           char        out[65])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) line, length);
  g_strlcpy (out, g_checksum_get_string (checksum), 65);
}

static char *
now_rfc3339 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *base = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (now) / 1000);
}

static gboolean
set_io_error (GError    **error,
              int         saved_errno,
              const char *what,
              const char *path)
{
  g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO, "%s %s: %s", what, path,
               g_strerror (saved_errno));
  return FALSE;
}

/* All of @length bytes, in one write() where the kernel allows: 0, or the errno of the failure. */
static int
write_all (int         fd,
           const char *data,
           gsize       length)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = write (fd, data + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return n < 0 ? errno : ENOSPC;
      done += n;
    }
  return 0;
}

/* On failure the file is cut back so that no half line is left for the next append to follow. */
static gboolean
write_line (WcJournal   *self,
            const char  *line,
            gsize        length,
            GError     **error)
{
  int saved = write_all (self->fd, line, length);

  if (saved != 0)
    {
      if (ftruncate (self->fd, self->length) == 0)
        lseek (self->fd, self->length, SEEK_SET);
      return set_io_error (error, saved, _("Could not write to"), self->path);
    }
  self->length += length;
  return TRUE;
}

/* Everything written so far is durable: a rollback may not go back past here. */
static void
mark_synced (WcJournal *self)
{
  self->n_synced = self->records->len;
  self->synced_length = self->length;
  memcpy (self->synced_hash, self->last_hash, sizeof self->synced_hash);
  g_array_set_size (self->pending, 0);
}

/* The first @n records are durable: what the writer made so is caught up with here, on the
 * thread that appends. */
static void
mark_synced_up_to (WcJournal *self,
                   guint      n)
{
  Mark *mark;

  n = MIN (n, self->records->len);
  if (n <= self->n_synced)
    return;
  mark = &g_array_index (self->pending, Mark, n - self->n_synced - 1);
  self->synced_length = mark->end;
  memcpy (self->synced_hash, mark->hash, sizeof self->synced_hash);
  g_array_remove_range (self->pending, 0, n - self->n_synced);
  self->n_synced = n;
}

static void
catch_up (WcJournal *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_durable;
  g_mutex_unlock (&self->lock);
  mark_synced_up_to (self, n);
}

/* Whether the path still names the file we write to: a journal deleted, or moved aside and
 * replaced, while the exercise runs would otherwise take records that nobody will ever read. */
static gboolean
check_still_there (WcJournal  *self,
                   GError    **error)
{
  struct stat open_st, path_st;

  if (fstat (self->fd, &open_st) != 0)
    return set_io_error (error, errno, _("Could not check"), self->path);
  if (open_st.st_nlink > 0)
    {
      if (stat (self->path, &path_st) == 0)
        {
          if (path_st.st_dev == open_st.st_dev && path_st.st_ino == open_st.st_ino)
            return TRUE;
        }
      else if (errno != ENOENT && errno != ENOTDIR)
        return set_io_error (error, errno, _("Could not check"), self->path);
    }
  g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO,
               _("%s was deleted or moved while the exercise ran: the file of that name no longer "
                 "holds this exercise's records, so nothing more is written to it"), self->path);
  return FALSE;
}

static gboolean
sync_dir (const char  *path,
          GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  /* The new file's name is durable only once its folder is. */
  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      return set_io_error (error, saved, _("Could not sync the folder of"), path);
    }
  close (fd);
  return TRUE;
}

WcJournal *
wc_journal_create (const char  *path,
                   const char  *exercise_id,
                   const char  *scenario_path,
                   const char  *scenario_sha256,
                   JsonObject  *extra_header,
                   GError     **error)
{
  g_autoptr(WcJournal) self = g_object_new (WC_TYPE_JOURNAL, NULL);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *created = now_rfc3339 ();
  g_autofree char *line = NULL;
  gsize length;

  self->path = g_strdup (path);
  self->fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
  if (self->fd < 0)
    {
      int saved = errno;

      if (saved == EEXIST)
        {
          g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_EXISTS,
                       _("%s already exists: a journal is never overwritten"), path);
          return NULL;
        }
      set_io_error (error, saved, _("Could not create"), path);
      return NULL;
    }
  self->header = json_object_new ();
  json_object_set_string_member (self->header, "format", "whitecell-journal");
  json_object_set_int_member (self->header, "version", 1);
  json_object_set_string_member (self->header, "exercise_id", exercise_id ? exercise_id : "");
  json_object_set_string_member (self->header, "scenario_path", scenario_path ? scenario_path : "");
  json_object_set_string_member (self->header, "scenario_sha256",
                                 scenario_sha256 ? scenario_sha256 : "");
  json_object_set_string_member (self->header, "created_at", created);
  if (extra_header)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, extra_header);
      while (json_object_iter_next (&iter, &name, &member))
        if (!json_object_has_member (self->header, name))
          json_object_set_member (self->header, name, json_node_copy (member));
    }
  node = json_node_init_object (json_node_alloc (), self->header);
  json_generator_set_root (gen, node);
  line = json_generator_to_data (gen, &length);
  hash_line (line, length, self->last_hash);
  line = g_realloc (line, length + 2);
  line[length] = '\n';
  line[length + 1] = '\0';
  if (!write_line (self, line, length + 1, error))
    {
      g_unlink (path);
      return NULL;
    }
  if (fsync (self->fd) != 0)
    {
      set_io_error (error, errno, _("Could not sync"), path);
      return NULL;
    }
  if (!sync_dir (path, error))
    return NULL;
  mark_synced (self);
  return g_steal_pointer (&self);
}

/* A copy of @contents beside @path, under a name no other copy has: two repairs within the same
 * second (or a file already there) never overwrite one another. */
static char *
write_backup (const char  *path,
              const char  *contents,
              gsize        length,
              GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");

  for (guint n = 1; n <= 1000; n++)
    {
      g_autofree char *backup = n == 1 ? g_strdup_printf ("%s.torn-%s", path, stamp)
                                       : g_strdup_printf ("%s.torn-%s-%u", path, stamp, n);
      int fd = open (backup, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
      int saved;

      if (fd < 0 && errno == EEXIST)
        continue;
      if (fd < 0)
        {
          set_io_error (error, errno, _("Could not keep a copy of"), path);
          return NULL;
        }
      saved = write_all (fd, contents, length);
      if (saved == 0 && fsync (fd) != 0)
        saved = errno;
      close (fd);
      if (saved != 0)
        {
          g_unlink (backup);
          set_io_error (error, saved, _("Could not keep a copy of"), path);
          return NULL;
        }
      if (!sync_dir (backup, error))
        return NULL;
      return g_steal_pointer (&backup);
    }
  g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO,
               _("Could not keep a copy of %s: a thousand copies of this second are there already"),
               path);
  return NULL;
}

/* Keeps the file as it was, then cuts the torn tail off. */
static gboolean
set_aside_torn_tail (WcJournal          *self,
                     WcJournalReader    *reader,
                     WcJournalRecovery  *recovery,
                     GError            **error)
{
  gsize total = reader->end_offset;
  g_autofree char *contents = wc_journal_reader_read_prefix (reader, total, error);
  g_autofree char *backup = NULL;

  if (contents == NULL || (backup = write_backup (self->path, contents, total, error)) == NULL)
    return FALSE;
  if (ftruncate (self->fd, self->length) != 0 || fsync (self->fd) != 0)
    return set_io_error (error, errno, _("Could not repair"), self->path);
  if (recovery)
    {
      recovery->backup_path = g_steal_pointer (&backup);
      recovery->bytes_dropped = total - self->length;
      recovery->line = reader->line_no;
    }
  return TRUE;
}

/* A line no writer of Whitecell's makes (over a bound), named with its line number. */
static void
set_bad_line_error (GError          **error,
                    WcJournalReader  *reader,
                    const char       *after)
{
  g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_BAD_LINE, "%s:%u: %s%s", reader->path,
               reader->line_no, wc_journal_reader_why (reader->kind), after);
}

static gboolean
is_over_bound (WcJournalReader *reader)
{
  return reader->kind == WC_JOURNAL_LINE_TOO_DEEP || reader->kind == WC_JOURNAL_LINE_TOO_LONG;
}

WcJournal *
wc_journal_open (const char         *path,
                 WcJournalRecovery  *recovery,
                 GError            **error)
{
  g_autoptr(WcJournal) self = g_object_new (WC_TYPE_JOURNAL, NULL);
  g_auto(WcJournalReader) reader = { .fd = -1 };
  g_autoptr(GError) local_error = NULL;
  gboolean torn = FALSE;
  gint64 version;

  if (recovery)
    memset (recovery, 0, sizeof *recovery);
  self->path = g_strdup (path);
  if (!wc_journal_reader_open (&reader, path, error))
    return NULL;
  if (!wc_journal_int_member (reader.header, "version", &version) || version != 1)
    {
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_HEADER,
                   _("%s:1: a journal of a version this Whitecell does not know"), path);
      return NULL;
    }
  self->header = json_object_ref (reader.header);
  memcpy (self->last_hash, reader.hash, sizeof self->last_hash);
  self->length = reader.end_offset;

  while (wc_journal_reader_next (&reader, NULL, &local_error))
    {
      if (reader.kind == WC_JOURNAL_LINE_RECORD && reader.linked && reader.in_order)
        {
          memcpy (self->last_hash, reader.hash, sizeof self->last_hash);
          self->next_seq++;
          self->length = reader.end_offset;
          g_ptr_array_add (self->records, g_steal_pointer (&reader.record));
          continue;
        }
      /* a crash leaves at most one last line that is no record: anything else was done by hand */
      torn = reader.kind == WC_JOURNAL_LINE_TORN ||
             (reader.kind == WC_JOURNAL_LINE_NOT_RECORD && wc_journal_reader_at_end (&reader));
      if (torn)
        break;
      if (is_over_bound (&reader))
        set_bad_line_error (error, &reader, _("; the file was not changed"));
      else
        g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_TAMPERED,
                     _("%s:%u: this record is not the one that was written (its link to "
                       "the record before, or its number, does not match); run "
                       "“whitecellctl verify” for details. The file was not changed."),
                     path, reader.line_no);
      return NULL;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self->fd = open (path, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (self->fd < 0)
    {
      set_io_error (error, errno, _("Could not open"), path);
      return NULL;
    }
  if (torn && !set_aside_torn_tail (self, &reader, recovery, error))
    return NULL;
  mark_synced (self);
  return g_steal_pointer (&self);
}

static WcJournal *
load (const char    *path,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autoptr(WcJournal) self = g_object_new (WC_TYPE_JOURNAL, NULL);
  g_auto(WcJournalReader) reader = { .fd = -1 };
  g_autoptr(GError) local_error = NULL;

  self->path = g_strdup (path);
  if (!wc_journal_reader_open (&reader, path, error))
    return NULL;
  self->header = json_object_ref (reader.header);
  memcpy (self->last_hash, reader.hash, sizeof self->last_hash);
  while (wc_journal_reader_next (&reader, cancellable, &local_error))
    {
      /* a review shows what can be read whatever its links (verify tells what is wrong), but a
       * line over the bounds was never written by Whitecell: nothing after it is trusted */
      if (is_over_bound (&reader))
        {
          set_bad_line_error (error, &reader, "");
          return NULL;
        }
      if (reader.kind == WC_JOURNAL_LINE_RECORD)
        {
          /* the head as read: the app shows it beside what verify prints */
          memcpy (self->last_hash, reader.hash, sizeof self->last_hash);
          g_ptr_array_add (self->records, g_steal_pointer (&reader.record));
        }
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&self);
}

WcJournal *
wc_journal_load (const char  *path,
                 GError     **error)
{
  return load (path, NULL, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  WcJournal *journal = load (task_data, cancellable, &error);

  if (journal == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, journal, g_object_unref);
}

void
wc_journal_load_async (const char          *path,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  wc_journal_run_in_thread (g_strdup (path), g_free, wc_journal_load_async, load_thread, cancellable,
                            callback, user_data);
}

WcJournal *
wc_journal_load_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wc_journal_load_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The writer thread ------------------------------------------------------------------------- */

/* One round: the file synced, if anything was written since the last. */
static gboolean
sync_round (WcJournal  *self,
            gboolean    dirty,
            int         fail_errno,
            GError    **error)
{
  if (!check_still_there (self, error))
    return FALSE;
  if (!dirty)
    return TRUE;
  if (fail_errno != 0)
    return set_io_error (error, fail_errno, _("Could not save"), self->path);
  if (fdatasync (self->fd) != 0)
    return set_io_error (error, errno, _("Could not save"), self->path);
  return TRUE;
}

static void
complete_request (WcJournal    *self,
                  SyncRequest  *request,
                  const GError *error)
{
  if (request->task != NULL)
    {
      if (error != NULL)
        g_task_return_error (request->task, g_error_copy (error));
      else
        g_task_return_boolean (request->task, TRUE);
      g_object_unref (request->task);
      g_free (request);
      return;
    }
  g_mutex_lock (&self->lock);
  request->error = error ? g_error_copy (error) : NULL;
  request->done = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gpointer
writer_thread (gpointer data)
{
  WcJournal *self = data;

  g_mutex_lock (&self->lock);
  for (;;)
    {
      GQueue taken = G_QUEUE_INIT;
      g_autoptr(GError) error = NULL;
      guint n = 0;

      while (self->requests.length == 0 && !self->stopping)
        g_cond_wait (&self->cond, &self->lock);
      if (self->requests.length == 0)
        break;
      /* every sync asked for until now, made by this round */
      taken = self->requests;
      g_queue_init (&self->requests);
      for (GList *l = taken.head; l != NULL; l = l->next)
        n = MAX (n, ((SyncRequest *) l->data)->n_records);
      if (self->failure != NULL)
        error = g_error_copy (self->failure);
      else
        {
          /* what is written from here on waits for the next round */
          gboolean dirty = self->dirty;
          int fail_errno = self->fail_errno;

          self->dirty = FALSE;
          self->fail_errno = 0;
          self->writer_busy = TRUE;
          g_mutex_unlock (&self->lock);
          sync_round (self, dirty, fail_errno, &error);
          g_mutex_lock (&self->lock);
          self->writer_busy = FALSE;
          if (error == NULL)
            self->n_durable = MAX (self->n_durable, n);
          else
            {
              self->dirty = self->dirty || dirty;
              /* what a failed fdatasync left on the disk is unknown (and a second could say it
               * succeeded): none is made again until a rollback cuts the file back */
              if (dirty)
                self->failure = g_error_copy (error);
            }
        }
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      while (!g_queue_is_empty (&taken))
        complete_request (self, g_queue_pop_head (&taken), error);
      g_mutex_lock (&self->lock);
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}

static void
start_writer (WcJournal *self)
{
  if (self->writer == NULL)
    self->writer = g_thread_new ("wc-journal-writer", writer_thread, self);
}

guint64
wc_journal_append (WcJournal   *self,
                   gint64       t_ms,
                   const char  *type,
                   JsonObject  *data,
                   GError     **error)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) data_node = json_node_init_object (json_node_alloc (), data);
  g_autoptr(JsonNode) type_node = json_node_init_string (json_node_alloc (), type);
  g_autofree char *data_text = NULL;
  g_autofree char *type_text = NULL;
  g_autofree char *time = now_rfc3339 ();
  GString *line;
  WcJournalRecord *r;
  gsize body_length;
  Mark mark;

  if (self->fd < 0)
    {
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO,
                   _("%s was opened for review: nothing is written to it"), self->path);
      return 0;
    }
  if (!check_still_there (self, error))
    return 0;
  json_generator_set_root (gen, data_node);
  data_text = json_generator_to_data (gen, NULL);
  json_generator_set_root (gen, type_node);
  type_text = json_generator_to_data (gen, NULL);
  line = g_string_sized_new (256);
  g_string_append_printf (line,
                          "{\"seq\":%" G_GUINT64_FORMAT ",\"time\":\"%s\",\"t\":%" G_GINT64_FORMAT
                          ",\"type\":%s,\"data\":%s,\"prev\":\"%s\"}",
                          self->next_seq, time, t_ms, type_text, data_text, self->last_hash);
  body_length = line->len;
  if (body_length > WC_JOURNAL_MAX_LINE ||
      wc_journal_line_check (line->str, body_length) != WC_JOURNAL_LINE_RECORD)
    {
      /* written, it would be a line that no reader of journals takes back */
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_BAD_LINE,
                   _("%s: a “%s” record of %zu bytes was not written: %s"),
                   self->path, type, body_length,
                   wc_journal_reader_why (body_length > WC_JOURNAL_MAX_LINE
                                          ? WC_JOURNAL_LINE_TOO_LONG : WC_JOURNAL_LINE_TOO_DEEP));
      g_string_free (line, TRUE);
      return 0;
    }
  g_string_append_c (line, '\n');
  if (!write_line (self, line->str, line->len, error))
    {
      g_string_free (line, TRUE);
      return 0;
    }
  hash_line (line->str, body_length, self->last_hash);
  g_string_free (line, TRUE);
  g_mutex_lock (&self->lock);
  self->dirty = TRUE;
  g_mutex_unlock (&self->lock);
  mark.end = self->length;
  memcpy (mark.hash, self->last_hash, sizeof mark.hash);
  g_array_append_val (self->pending, mark);

  r = g_new0 (WcJournalRecord, 1);
  r->seq = self->next_seq++;
  r->time = g_steal_pointer (&time);
  r->t_ms = t_ms;
  r->type = g_strdup (type);
  r->data = json_object_ref (data);
  g_ptr_array_add (self->records, r);
  return r->seq;
}

/* Asks the writer for a sync of every record appended so far. */
static SyncRequest *
request_sync (WcJournal *self,
              GTask     *task)
{
  SyncRequest *request = g_new0 (SyncRequest, 1);

  request->n_records = self->records->len;
  request->task = task;
  start_writer (self);
  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->requests, request);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return request;
}

gboolean
wc_journal_sync (WcJournal  *self,
                 GError    **error)
{
  SyncRequest *request;
  gboolean ok;

  if (self->fd < 0)
    return TRUE;
  request = request_sync (self, NULL);
  g_mutex_lock (&self->lock);
  while (!request->done)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  ok = request->error == NULL;
  if (!ok)
    g_propagate_error (error, request->error);
  g_free (request);
  catch_up (self);
  return ok;
}

void
wc_journal_sync_async (WcJournal           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  /* no source object: the writer may drop the task's last reference, and must never be the
   * one to finalize the journal (it would join itself) */
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, wc_journal_sync_async);
  if (self->fd < 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  request_sync (self, task);
}

gboolean
wc_journal_sync_finish (WcJournal     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wc_journal_sync_async, FALSE);
  catch_up (self);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
wc_journal_fail_next_sync (WcJournal *self,
                           int        error_number)
{
  g_mutex_lock (&self->lock);
  self->fail_errno = error_number;
  g_mutex_unlock (&self->lock);
}

guint
wc_journal_get_n_synced (WcJournal *self)
{
  catch_up (self);
  return self->n_synced;
}

gboolean
wc_journal_rollback_to (WcJournal  *self,
                        guint       n_records,
                        GError    **error)
{
  goffset length;
  char hash[65];

  if (self->fd < 0)
    {
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO,
                   _("%s was opened for review: nothing is written to it"), self->path);
      return FALSE;
    }
  catch_up (self);
  if (n_records < self->n_synced || n_records > self->records->len)
    {
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_IO,
                   _("%s: cannot go back to %u records: it holds %u, and the first %u are saved "
                     "for good"), self->path, n_records, self->records->len, self->n_synced);
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  /* the writer's round ends first: what it wrote is then known */
  while (self->writer_busy)
    g_cond_wait (&self->cond, &self->lock);
  if (n_records == self->records->len && self->failure == NULL)
    {
      g_mutex_unlock (&self->lock);
      return TRUE;
    }
  length = self->synced_length;
  memcpy (hash, self->synced_hash, sizeof hash);
  if (n_records > self->n_synced)
    {
      Mark *mark = &g_array_index (self->pending, Mark, n_records - self->n_synced - 1);

      length = mark->end;
      memcpy (hash, mark->hash, sizeof hash);
    }
  if (ftruncate (self->fd, length) != 0)
    {
      g_mutex_unlock (&self->lock);
      return set_io_error (error, errno, _("Could not roll back"), self->path);
    }
  g_clear_error (&self->failure);
  for (GList *l = self->requests.head; l != NULL; l = l->next)
    {
      SyncRequest *request = l->data;

      request->n_records = MIN (request->n_records, n_records);
    }
  /* the file is cut: from here memory follows it, whether or not the cut is made durable */
  self->length = length;
  memcpy (self->last_hash, hash, sizeof hash);
  g_array_set_size (self->pending, n_records - self->n_synced);
  g_ptr_array_remove_range (self->records, n_records, self->records->len - n_records);
  self->next_seq = n_records + 1;
  /* no check_still_there(): a journal deleted under us is rolled back all the same, so that what
   * the engine holds matches what was written */
  if (fdatasync (self->fd) != 0)
    {
      self->dirty = TRUE;
      g_mutex_unlock (&self->lock);
      return set_io_error (error, errno, _("Could not save"), self->path);
    }
  self->dirty = FALSE;
  self->n_durable = n_records;
  g_mutex_unlock (&self->lock);
  mark_synced (self);
  return TRUE;
}

void
wc_journal_set_key (WcJournal *self,
                    GBytes    *key)
{
  g_clear_pointer (&self->key, g_bytes_unref);
  if (key != NULL && g_bytes_get_size (key) > 0)
    self->key = g_bytes_ref (key);
}

guint64
wc_journal_append_sealed (WcJournal   *self,
                          gint64       t_ms,
                          const char  *type,
                          JsonObject  *data,
                          GError     **error)
{
  g_autofree char *seal = NULL;
  guint64 seq;

  if (self->key == NULL)
    return wc_journal_append (self, t_ms, type, data, error);
  /* what the line will carry as "prev", and its number: see wc_journal_seal() */
  seal = wc_journal_seal (self->key, self->last_hash, self->next_seq, t_ms, type, data);
  json_object_set_string_member (data, "seal", seal);
  seq = wc_journal_append (self, t_ms, type, data, error);
  if (seq == 0)
    json_object_remove_member (data, "seal");
  return seq;
}

const char *
wc_journal_get_head_hash (WcJournal *self)
{
  return self->last_hash;
}

const char *wc_journal_get_path (WcJournal *self) { return self->path; }
JsonObject *wc_journal_get_header (WcJournal *self) { return self->header; }
guint wc_journal_get_n_records (WcJournal *self) { return self->records->len; }

static const char *
header_string (WcJournal  *self,
               const char *name)
{
  return wc_journal_string_member (self->header, name);
}

const char *wc_journal_get_exercise_id (WcJournal *self) { return header_string (self, "exercise_id"); }
const char *wc_journal_get_scenario_path (WcJournal *self) { return header_string (self, "scenario_path"); }
const char *wc_journal_get_scenario_sha256 (WcJournal *self) { return header_string (self, "scenario_sha256"); }
const char *wc_journal_get_created_at (WcJournal *self) { return header_string (self, "created_at"); }

const WcJournalRecord *
wc_journal_get_record (WcJournal *self,
                       guint      i)
{
  g_return_val_if_fail (i < self->records->len, NULL);
  return g_ptr_array_index (self->records, i);
}

/* Its first line only: what a caller needs before reading a long journal (the scenario to load). */
JsonObject *
wc_journal_read_header (const char  *path,
                        GError     **error)
{
  g_auto(WcJournalReader) reader = { .fd = -1 };

  if (!wc_journal_reader_open (&reader, path, error))
    return NULL;
  return json_object_ref (reader.header);
}

/* The scenario a journal was played from, named @named in its header: tried as is and beside the
 * journal (a journal copied elsewhere with its scenario). */
char *
wc_journal_find_scenario (const char *journal_path,
                          const char *named)
{
  g_autofree char *dir = g_path_get_dirname (journal_path);
  g_autofree char *base = NULL;
  g_autofree char *beside = NULL;

  if (named == NULL || *named == '\0')
    return NULL;
  if (g_file_test (named, G_FILE_TEST_IS_REGULAR))
    return g_strdup (named);
  if (!g_path_is_absolute (named))
    {
      beside = g_build_filename (dir, named, NULL);
      if (g_file_test (beside, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&beside);
    }
  base = g_path_get_basename (named);
  g_clear_pointer (&beside, g_free);
  beside = g_build_filename (dir, base, NULL);
  return g_file_test (beside, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&beside) : g_strdup (named);
}

/* A relay's mirror --------------------------------------------------------------------------- */

/* Another process's journal, followed line by line in memory (a relay's, app/relay/): nothing is
 * written, and each line must carry on the chain as it stands, so a relay serves nothing out of
 * order, twice or altered. */
WcJournal *
wc_journal_new_mirror (const char  *name,
                       const char  *header_line,
                       GError     **error)
{
  g_autoptr(WcJournal) self = g_object_new (WC_TYPE_JOURNAL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  self->path = g_strdup (name);
  if (wc_journal_line_check (header_line, strlen (header_line)) != WC_JOURNAL_LINE_RECORD ||
      !json_parser_load_from_data (parser, header_line, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (wc_journal_string_member (json_node_get_object (root), "format"),
                 "whitecell-journal") != 0)
    {
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_HEADER,
                   _("%s: the first line is not a Whitecell journal's header"), name);
      return NULL;
    }
  self->header = json_object_ref (json_node_get_object (root));
  hash_line (header_line, strlen (header_line), self->last_hash);
  return g_steal_pointer (&self);
}

gboolean
wc_journal_mirror_line (WcJournal   *self,
                        const char  *line,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WcJournalRecord) record = NULL;
  char prev[65];

  g_return_val_if_fail (self->fd < 0, FALSE);
  record = wc_journal_parse_record (parser, line, length, prev);
  if (record == NULL)
    {
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_BAD_LINE,
                   _("%s: record %llu is not a journal record"), self->path,
                   (unsigned long long) self->next_seq);
      return FALSE;
    }
  if (record->seq != self->next_seq || strcmp (prev, self->last_hash) != 0)
    {
      g_set_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_TAMPERED,
                   _("%s: record %llu came where record %llu was due, or does not follow on "
                     "from it"), self->path, (unsigned long long) record->seq,
                   (unsigned long long) self->next_seq);
      return FALSE;
    }
  hash_line (line, length, self->last_hash);
  self->next_seq++;
  g_ptr_array_add (self->records, g_steal_pointer (&record));
  return TRUE;
}
