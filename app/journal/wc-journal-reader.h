/* wc-journal-reader.h: the one way a journal file is read (private to app/journal/): line by line
 * within fixed bounds, each line hashed, checked against the line before and parsed. */
#pragma once

#include "wc-journal.h"

G_BEGIN_DECLS

/* Whitecell writes lines of a few hundred bytes and journals of a few hundred MiB: anything far
 * beyond is not a journal, and must not make the reader allocate or recurse without end. */
#define WC_JOURNAL_MAX_LINE  ((gsize) 8 << 20)
#define WC_JOURNAL_MAX_BYTES ((goffset) 1 << 30)
#define WC_JOURNAL_MAX_DEPTH 64

typedef enum {
  WC_JOURNAL_LINE_RECORD,      /* a record: see ->linked and ->in_order */
  WC_JOURNAL_LINE_NOT_RECORD,  /* a whole line that is not one (not JSON, or a field missing) */
  WC_JOURNAL_LINE_TOO_DEEP,    /* nested deeper than WC_JOURNAL_MAX_DEPTH: not parsed */
  WC_JOURNAL_LINE_TOO_LONG,    /* longer than WC_JOURNAL_MAX_LINE: the reader stops there */
  WC_JOURNAL_LINE_TORN,        /* the file ends without an end of line: the writer stopped */
} WcJournalLineKind;

typedef struct {
  /* the header, once wc_journal_reader_open() has returned TRUE */
  JsonObject       *header;
  /* the current line, after wc_journal_reader_next() returned TRUE */
  WcJournalLineKind kind;
  guint             line_no;       /* 1-based: the header is line 1 */
  const char       *line;          /* without its end of line; valid until the next call */
  gsize             length;
  goffset           end_offset;    /* where the line after it starts */
  char              hash[65];      /* SHA-256 of this line (not for TOO_LONG) */
  WcJournalRecord  *record;        /* RECORD: owned by the reader unless stolen */
  char              prev[65];      /* RECORD: its "prev" member */
  gboolean          linked;        /* RECORD: "prev" is the SHA-256 of the line before */
  gboolean          in_order;      /* RECORD: "seq" is the number of the lines before */

  /*< private >*/
  char             *path;
  int               fd;
  char             *buf;
  gsize             cap, start, fill;
  goffset           read_total;
  goffset           max_bytes;
  gboolean          eof, stopped;
  char              before[65];
  GChecksum        *checksum;
  JsonParser       *parser;
} WcJournalReader;

/* Opens @path (a regular file only: never a device, FIFO or folder) and reads its first line:
 * FALSE with WC_JOURNAL_ERROR_IO if it cannot be read, WC_JOURNAL_ERROR_HEADER if that line is
 * not a journal header. */
gboolean         wc_journal_reader_open        (WcJournalReader  *self,
                                                const char       *path,
                                                GError          **error);
/* The next line after the header; FALSE at the end, or with @error if the file cannot be read,
 * is over WC_JOURNAL_MAX_BYTES, or @cancellable was cancelled. */
gboolean         wc_journal_reader_next        (WcJournalReader  *self,
                                                GCancellable     *cancellable,
                                                GError          **error);
/* Whether nothing follows the current line (an I/O error counts as the end). */
gboolean         wc_journal_reader_at_end      (WcJournalReader  *self);
/* RECORD if json-glib may parse @line (not too deep, no JSON extensions that could hide depth),
 * else why not. */
WcJournalLineKind wc_journal_line_check        (const char       *line,
                                                gsize             length);
/* @line (without its end of line) as a record, or NULL when it is not one; its "prev" in @prev. */
WcJournalRecord *wc_journal_parse_record       (JsonParser       *parser,
                                                const char       *line,
                                                gsize             length,
                                                char              prev[65]);
/* Why a line of @kind (not RECORD) is not a record, for messages. */
const char      *wc_journal_reader_why         (WcJournalLineKind kind);
/* The file's first @length bytes (a backup before a repair). */
char            *wc_journal_reader_read_prefix (WcJournalReader  *self,
                                                gsize             length,
                                                GError          **error);
/* A member of @o if it is a string (an integer), else NULL (FALSE): never a warning. */
const char      *wc_journal_string_member      (JsonObject       *o,
                                                const char       *name);
gboolean         wc_journal_int_member         (JsonObject       *o,
                                                const char       *name,
                                                gint64           *out);
/* Runs @thread_func in a worker with @task_data (freed with @task_data_free): the journal's
 * _async functions. */
void             wc_journal_run_in_thread      (gpointer             task_data,
                                                GDestroyNotify       task_data_free,
                                                gpointer             source_tag,
                                                GTaskThreadFunc      thread_func,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
void             wc_journal_reader_clear       (WcJournalReader  *self);
/* The seal of a record: hex HMAC-SHA256 (@key, "PREV:SEQ:T:TYPE:DATA"), PREV being the hash its
 * line carries and DATA its data as json-glib writes it, without any "seal" member: so a seal
 * covers the record itself (its number, time, type and data) and, through PREV, every line
 * before it. */
char            *wc_journal_seal               (GBytes           *key,
                                                const char       *prev,
                                                guint64           seq,
                                                gint64            t_ms,
                                                const char       *type,
                                                JsonObject       *data);
/* Whether @seal is that seal, compared in a time that does not depend on where they differ. */
gboolean         wc_journal_seal_matches       (GBytes           *key,
                                                const char       *prev,
                                                const WcJournalRecord *record,
                                                const char       *seal);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WcJournalReader, wc_journal_reader_clear)

G_END_DECLS
