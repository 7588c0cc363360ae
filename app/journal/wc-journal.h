/* wc-journal.h: the exercise journal: append-only JSON lines, each holding the SHA-256 of the line
 * before it, so that any edit, deletion, reordering or truncation shows. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WC_JOURNAL_ERROR (wc_journal_error_quark ())
GQuark wc_journal_error_quark (void);

typedef enum {
  WC_JOURNAL_ERROR_IO = 1,      /* the file could not be read or written */
  WC_JOURNAL_ERROR_EXISTS,      /* create: there is a journal there already */
  WC_JOURNAL_ERROR_HEADER,      /* not a Whitecell journal, or of an unknown version */
  WC_JOURNAL_ERROR_TAMPERED,    /* a record before the last is not what was written */
  WC_JOURNAL_ERROR_BAD_LINE,    /* a line too long or too deeply nested to be a record */
} WcJournalError;

typedef struct {
  guint64     seq;      /* from 1, without gaps */
  char       *time;     /* UTC, RFC 3339 with milliseconds */
  gint64      t_ms;     /* exercise time */
  char       *type;
  JsonObject *data;
} WcJournalRecord;

void wc_journal_record_free (WcJournalRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcJournalRecord, wc_journal_record_free)

/* What wc_journal_open() repaired: a last line cut short by a crash. */
typedef struct {
  char  *backup_path;   /* the whole file as it was; NULL when nothing was repaired */
  gsize  bytes_dropped;
  guint  line;          /* 1-based line number of the torn record */
} WcJournalRecovery;

void wc_journal_recovery_clear (WcJournalRecovery *recovery);

#define WC_TYPE_JOURNAL (wc_journal_get_type ())
G_DECLARE_FINAL_TYPE (WcJournal, wc_journal, WC, JOURNAL, GObject)

/* A new journal (mode 0600); fails if @path exists. The header is on disk when it returns. */
WcJournal             *wc_journal_create               (const char         *path,
                                                        const char         *exercise_id,
                                                        const char         *scenario_path,
                                                        const char         *scenario_sha256,
                                                        JsonObject         *extra_header,
                                                        GError            **error);
/* Opens a journal to carry on: every link is checked; a torn last line is set aside (a backup
 * of the whole file is kept) and reported in @recovery; anything else wrong is an error. */
WcJournal             *wc_journal_open                 (const char         *path,
                                                        WcJournalRecovery  *recovery,
                                                        GError            **error);

/* Reads a journal for review, read-only: the records that can be read, whatever their links
 * (check those with wc_journal_verify_file()). wc_journal_append() is refused on it. */
WcJournal             *wc_journal_load                 (const char         *path,
                                                        GError            **error);

const char            *wc_journal_get_path             (WcJournal *self);
const char            *wc_journal_get_exercise_id      (WcJournal *self);
const char            *wc_journal_get_scenario_path    (WcJournal *self);
/* The header alone (the journal's first line), without reading the records. */
JsonObject            *wc_journal_read_header          (const char  *path,
                                                        GError     **error);
/* The journal's last whole record, read from the end of the file without reading the rest (a
 * torn last line is passed over for the one before it): enough to ask whether the exercise has
 * ended. NULL without @error when the journal holds no record yet; free with
 * wc_journal_record_free(). */
WcJournalRecord       *wc_journal_read_last_record     (const char  *path,
                                                        GError     **error);
/* Where the scenario @named in the journal's header is now: as named, or beside the journal;
 * NULL when none is named. */
char                  *wc_journal_find_scenario        (const char  *journal_path,
                                                        const char  *named);
const char            *wc_journal_get_scenario_sha256  (WcJournal *self);
const char            *wc_journal_get_created_at       (WcJournal *self);
JsonObject            *wc_journal_get_header           (WcJournal *self);
guint                  wc_journal_get_n_records        (WcJournal *self);
const WcJournalRecord *wc_journal_get_record           (WcJournal *self,
                                                        guint      i);

/* Writes a record (one write() of the whole line, to the page cache) and returns its sequence
 * number, or 0 with @error; a failed write leaves no partial line behind. Not yet durable: see
 * wc_journal_sync() and wc_journal_sync_async(). @data is kept, not copied: do not change it
 * afterwards. */
guint64                wc_journal_append               (WcJournal   *self,
                                                        gint64       t_ms,
                                                        const char  *type,
                                                        JsonObject  *data,
                                                        GError     **error);
/* Makes every record appended so far durable (fdatasync); nothing to do if they already are.
 * wc_journal_append() and this fail with WC_JOURNAL_ERROR_IO when the journal's path no longer
 * names the file being written (deleted, or moved and replaced, while the exercise ran). */
gboolean               wc_journal_sync                 (WcJournal   *self,
                                                        GError     **error);
/* wc_journal_sync() on the writer thread, so that the caller's main loop never waits for the
 * disk: @callback runs in the caller's thread-default main context once the records appended
 * before the call are durable (or could not be made so). Syncs asked for while one is under way
 * are made together by the next (group commit), and complete in the order asked. */
void                   wc_journal_sync_async           (WcJournal           *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean               wc_journal_sync_finish          (WcJournal           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* For tests: the next sync fails with @error_number, as a failing disk's fdatasync would. */
void                   wc_journal_fail_next_sync       (WcJournal           *self,
                                                        int                  error_number);
/* How many of the records are known durable (made so by wc_journal_sync(), or read at open). */
guint                  wc_journal_get_n_synced         (WcJournal   *self);
/* Forgets every record after the first @n_records, in the file (cut back and synced) and in
 * memory: the next append continues the chain as if they had never been written. Only records
 * not yet durable may be dropped: @n_records below wc_journal_get_n_synced() is an error. If the
 * cut is made but cannot be synced, FALSE with @error and the records are dropped all the same. */
gboolean               wc_journal_rollback_to          (WcJournal   *self,
                                                        guint        n_records,
                                                        GError     **error);
/* The SHA-256 of the last line (the header's when there is no record): the "prev" of the next
 * record. With the record count, what the app and the report print to compare with `verify`. */
const char            *wc_journal_get_head_hash        (WcJournal   *self);

/* The key that seals records (32 random bytes, kept outside the journal, in its tokens file);
 * NULL for none. */
void                   wc_journal_set_key              (WcJournal   *self,
                                                        GBytes      *key);
/* wc_journal_append(), and when the journal has a key, @data gets a member "seal": the hex
 * HMAC-SHA256 (key, "PREV:SEQ:T:TYPE:DATA") of the record's "prev", number, time, type and data
 * (without the seal). As every line carries the hash of the one before, a valid seal
 * authenticates the record itself and the header and every record before it. */
guint64                wc_journal_append_sealed        (WcJournal   *self,
                                                        gint64       t_ms,
                                                        const char  *type,
                                                        JsonObject  *data,
                                                        GError     **error);

/* A journal another process writes, followed in memory (a relay's): @header_line, then each of
 * its lines with wc_journal_mirror_line(), which refuses a line that does not carry on the chain
 * (its "seq" next, its "prev" the hash of the line before). Nothing is written; @name is for
 * messages. */
WcJournal             *wc_journal_new_mirror           (const char  *name,
                                                        const char  *header_line,
                                                        GError     **error);
gboolean               wc_journal_mirror_line          (WcJournal   *self,
                                                        const char  *line,
                                                        gsize        length,
                                                        GError     **error);

/* Read-only check of a whole journal file. */
typedef enum {
  WC_JOURNAL_SOUND,
  WC_JOURNAL_BAD_HEADER,
  WC_JOURNAL_BAD_LINE,      /* not a record (not JSON, or fields missing) */
  WC_JOURNAL_EDITED,        /* the hash in this line does not match the line before */
  WC_JOURNAL_OUT_OF_ORDER,  /* a sequence number skipped or repeated: deleted or reordered */
  WC_JOURNAL_TRUNCATED,     /* the last line is cut short */
  WC_JOURNAL_FORGED,        /* a seal does not match the key: rewritten by someone without it */
} WcJournalVerdict;

typedef struct {
  WcJournalVerdict verdict;
  guint            bad_line;      /* 1-based, when not sound */
  char            *message;       /* what is wrong, when not sound */
  guint64          n_records;     /* sound records read */
  char            *exercise_id;
  char            *first_time;    /* of the first and last records; NULL if none */
  char            *last_time;
  gint64           last_t_ms;
  char            *head_hash;     /* SHA-256 of the last sound line (the header if no record) */
  guint64          last_sealed_seq; /* the last record with a seal (checked if seals_checked); 0: none */
  guint64          n_seals;       /* seals found on sound records */
  gboolean         seals_checked; /* a key was given: every seal counted was checked */
} WcJournalVerifyResult;

/* FALSE only when the file cannot be read; the verdict is in @result. Seals are counted, not
 * checked: see wc_journal_verify_file_with_key(). */
gboolean               wc_journal_verify_file          (const char             *path,
                                                        WcJournalVerifyResult  *result,
                                                        GError                **error);
/* wc_journal_verify_file(), and with @key every seal is checked too: one that does not match is
 * WC_JOURNAL_FORGED at its line. */
gboolean               wc_journal_verify_file_with_key (const char             *path,
                                                        GBytes                 *key,
                                                        WcJournalVerifyResult  *result,
                                                        GError                **error);
void                   wc_journal_verify_result_clear  (WcJournalVerifyResult  *result);

/* wc_journal_verify_file() in a worker thread; @cancellable is checked between lines. */
void                   wc_journal_verify_file_async    (const char             *path,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
/* The same with a key (nullable) to check the seals; finish with wc_journal_verify_file_finish(). */
void                   wc_journal_verify_file_with_key_async (const char          *path,
                                                              GBytes              *key,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
/* Fills @result (clear it with wc_journal_verify_result_clear()) and returns TRUE, or FALSE
 * with @error when the file could not be read or the check was cancelled. */
gboolean               wc_journal_verify_file_finish   (GAsyncResult           *result,
                                                        WcJournalVerifyResult  *out,
                                                        GError                **error);
/* wc_journal_load() in a worker thread; @cancellable is checked between lines. */
void                   wc_journal_load_async           (const char             *path,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
WcJournal             *wc_journal_load_finish          (GAsyncResult           *result,
                                                        GError                **error);

G_END_DECLS
