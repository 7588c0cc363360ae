/* wc-relay-publisher.c: the controller's side of the relays (see docs/SCALING.md): records out to
 * Redis as the journal has them, commands in from Redis through the controller's own server. */
#define G_LOG_DOMAIN "wc-relay"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wc-listener.h"
#include "wc-redis.h"
#include "wc-relay-presence.h"
#include "wc-relay-publisher.h"
#include "wc-relay-private.h"

struct _WcRelayPublisher {
  GObject        parent_instance;

  WcEngine      *engine;
  GMainContext  *context;
  SoupSession   *session;
  char          *server_url;
  WcRedisUrl     url;
  char          *records_key;
  char          *commands_key;
  char          *replies_prefix;  /* "wc:EXERCISE:replies:", then the relay's id */
  char          *answered_key;    /* hash: request id → its reply, until the command is acked */
  GHashTable    *journaled;       /* request ids the journal had at start (records' "request") */
  char          *test_kill;       /* WC_RELAY_TEST_KILL: where a test has this process die */
  gint           kill_after_send; /* atomic */
  guint          in_flight;       /* requests to our own server not yet answered */
  GQueue         waiting;         /* SoupMessage, its Command as "wc-command", beyond those */
  guint64        n_commands;
  WcRelayPresence *relay_presence; /* the teams relays report, for the server's presence */

  /* the writer thread: records up to durable_seq from the journal file, then the queue */
  WcRedisWorker *writer;
  GAsyncQueue   *out;            /* WcRelayOut, or the wake-up mark */
  GPtrArray     *retry;          /* a batch the link failed under, sent again first */
  guint64        durable_seq;    /* atomic: the last record announced, so durable */
  gint           wake_queued;    /* atomic */
  char          *journal_path;
  int            journal_fd;
  goffset        journal_offset; /* where the lines not yet published start */
  gint64         published_seq;  /* -1 until the stream's last entry is known */

  /* the reader thread: the commands stream, as the consumer group's one consumer */
  WcRedisWorker *reader;
  gboolean       pending_read;   /* the entries delivered before a restart were read again */
};

G_DEFINE_FINAL_TYPE (WcRelayPublisher, wc_relay_publisher, G_TYPE_OBJECT)

#define GROUP "controller"
#define WAKE  ((gpointer) &wc_relay_publisher_get_type)

static void
wc_relay_publisher_finalize (GObject *object)
{
  WcRelayPublisher *self = WC_RELAY_PUBLISHER (object);

  wc_relay_publisher_close (self);
  g_clear_object (&self->session);
  g_clear_object (&self->relay_presence);
  g_clear_object (&self->engine);
  g_main_context_unref (self->context);
  g_free (self->server_url);
  wc_redis_url_clear (&self->url);
  g_free (self->records_key);
  g_free (self->commands_key);
  g_free (self->replies_prefix);
  g_free (self->answered_key);
  g_queue_clear_full (&self->waiting, g_object_unref);
  g_free (self->test_kill);
  g_clear_pointer (&self->journaled, g_hash_table_unref);
  g_free (self->journal_path);
  g_async_queue_unref (self->out);
  g_clear_pointer (&self->retry, g_ptr_array_unref);
  G_OBJECT_CLASS (wc_relay_publisher_parent_class)->finalize (object);
}

static void
wc_relay_publisher_class_init (WcRelayPublisherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wc_relay_publisher_finalize;
}

static void
out_free (gpointer item)
{
  if (item != WAKE)
    wc_relay_out_free (item);
}

static void
wc_relay_publisher_init (WcRelayPublisher *self)
{
  self->out = g_async_queue_new_full (out_free);
  self->journal_fd = -1;
  self->published_seq = -1;
  self->context = g_main_context_ref_thread_default ();
}

/* Records: from the journal file itself, so that relays get each line as written ------------- */

/* The seq of a journal line ({"seq":N,...}, as wc-journal.c writes it), or 0. */
static guint64
line_seq (const char *line)
{
  return g_str_has_prefix (line, "{\"seq\":") ? g_ascii_strtoull (line + 7, NULL, 10) : 0;
}

/* The number in a stream entry id "0-N". */
static guint64
entry_seq (const char *id)
{
  const char *dash = id ? strchr (id, '-') : NULL;

  return dash ? g_ascii_strtoull (dash + 1, NULL, 10) : 0;
}

/* Everything durable in the journal that the stream lacks, pipelined. */
static gboolean
publish_records (WcRelayPublisher  *self,
                 redisContext      *c,
                 GError           **error)
{
  guint64 upto;
  g_autoptr(GString) buf = g_string_new (NULL);
  guint n_sent = 0;
  gsize consumed = 0;

  if (self->published_seq < 0)
    {
      g_autoptr(redisReply) last =
        wc_redis_command (c, 6, (const char *[]) { "XREVRANGE", self->records_key, "+", "-",
                                                   "COUNT", "1" }, NULL, error);

      if (last == NULL)
        return FALSE;
      self->published_seq = last->elements > 0 && last->element[0]->elements > 0
                            ? (gint64) entry_seq (last->element[0]->element[0]->str) : 0;
    }
  upto = __atomic_load_n (&self->durable_seq, __ATOMIC_ACQUIRE);
  if ((gint64) upto <= self->published_seq)
    return TRUE;
  for (;;)
    {
      char chunk[65536];
      ssize_t n = pread (self->journal_fd, chunk, sizeof chunk, self->journal_offset + buf->len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (buf, chunk, n);
      /* a line past the durable ones is enough: it is not published */
      if (memchr (chunk, '\n', n) && line_seq (strrchr (buf->str, '\n') + 1) > upto)
        break;
    }
  while (consumed < buf->len)
    {
      char *line = buf->str + consumed;
      char *end = memchr (line, '\n', buf->len - consumed);
      guint64 seq;

      if (end == NULL)
        break;
      *end = '\0';
      seq = line_seq (line);
      if (seq > upto)
        break;
      consumed = end + 1 - buf->str;
      if (seq == 0 || (gint64) seq <= self->published_seq)
        continue;  /* the header, or published before a restart */
      {
        g_autofree char *id = g_strdup_printf ("0-%" G_GUINT64_FORMAT, seq);
        const char *argv[] = { "XADD", self->records_key, id, "line", line };
        size_t lens[] = { 4, strlen (self->records_key), strlen (id), 4, end - line };

        redisAppendCommandArgv (c, G_N_ELEMENTS (argv), argv, lens);
        n_sent++;
        self->published_seq = (gint64) seq;
      }
    }
  for (guint i = 0; i < n_sent; i++)
    {
      redisReply *reply = NULL;

      if (redisGetReply (c, (void **) &reply) != REDIS_OK || reply == NULL)
        {
          /* sent again after reconnecting: an entry already there is refused, and passed over */
          self->published_seq = -1;
          g_set_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_CONNECT, _("Redis: %s"), c->errstr);
          return FALSE;
        }
      if (reply->type == REDIS_REPLY_ERROR && strstr (reply->str, "equal or smaller") == NULL)
        g_warning ("Redis refused a record: %s", reply->str);
      freeReplyObject (reply);
    }
  self->journal_offset += consumed;
  return TRUE;
}

/* The writer: records first, then replies and acknowledgements in the order queued ----------- */

static gboolean
writer_step (redisContext  *c,
             gpointer       user_data,
             GError       **error)
{
  WcRelayPublisher *self = user_data;
  g_autoptr(GPtrArray) batch = self->retry ? g_steal_pointer (&self->retry)
                                           : g_ptr_array_new_with_free_func (wc_relay_out_free);
  /* read before taking: what was queued before it was set is in this batch */
  gboolean die = g_atomic_int_get (&self->kill_after_send);

  if (!publish_records (self, c, error))
    {
      self->retry = g_steal_pointer (&batch);
      return FALSE;
    }
  if (wc_relay_out_take (self->out, batch, WAKE))
    g_atomic_int_set (&self->wake_queued, FALSE);
  /* a record that became durable meanwhile goes before the replies that report it */
  if (!publish_records (self, c, error) || !wc_relay_out_send (c, batch, error))
    {
      self->retry = g_steal_pointer (&batch);
      return FALSE;
    }
  if (die && g_async_queue_length (self->out) <= 0)
    raise (SIGKILL);  /* the test's crash: the reply stored and sent, the command not acked */
  return TRUE;
}

static void
wake_writer (WcRelayPublisher *self)
{
  if (g_atomic_int_compare_and_exchange (&self->wake_queued, FALSE, TRUE))
    g_async_queue_push (self->out, WAKE);
}

static void
on_record (WcEngine     *engine,
           guint64       seq,
           WcRecordType  type,
           JsonObject   *data,
           gint64        t_ms,
           gpointer      user_data)
{
  WcRelayPublisher *self = user_data;

  /* the record signal comes once a record is durable: so are all before it */
  __atomic_store_n (&self->durable_seq, seq, __ATOMIC_RELEASE);
  wake_writer (self);
}

/* Commands: each made as a request to the controller's own server ----------------------------- */

typedef struct {
  WcRelayPublisher *self;
  char             *entry;  /* the stream entry's id, acknowledged once answered */
  char             *id;     /* the relay's request id */
  char             *reply_key;
} Command;

static void
command_free (Command *command)
{
  g_object_unref (command->self);
  g_free (command->entry);
  g_free (command->id);
  g_free (command->reply_key);
  g_free (command);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Command, command_free)

/* Answers @command (with the reply, if it had a reply stream), then acknowledges it: in that
 * order, on one link, so that a controller stopped in between answers it again, never not. */
static void
command_done (Command    *command,
              guint       status,
              const char *content_type,
              const char *retry_after,
              GBytes     *body)
{
  WcRelayPublisher *self = command->self;

  if (command->reply_key && command->id && status != 0)
    {
      g_autofree char *stored = g_strdup_printf ("%u\n%s\n%s\n", status,
                                                 content_type ? content_type : "",
                                                 retry_after ? retry_after : "");
      WcRelayOut *keep = wc_relay_out_new ("HSET", self->answered_key, command->id, NULL);
      g_autoptr(GBytes) head = g_bytes_new_take (g_steal_pointer (&stored), strlen (stored));
      g_autoptr(GBytes) whole = NULL;
      g_autoptr(GByteArray) joined = g_byte_array_new ();

      /* the reply kept until the command is acknowledged: run again after a restart, the
       * command is answered from it rather than made twice */
      g_byte_array_append (joined, g_bytes_get_data (head, NULL), g_bytes_get_size (head));
      if (body)
        g_byte_array_append (joined, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      whole = g_byte_array_free_to_bytes (g_steal_pointer (&joined));
      wc_relay_out_add_bytes (keep, whole);
      g_async_queue_push (self->out, keep);
    }
  if (command->reply_key && command->id)
    {
      g_autofree char *code = g_strdup_printf ("%u", status);
      WcRelayOut *out = wc_relay_out_new ("XADD", command->reply_key, "MAXLEN", "~", "10000", "*",
                                          "id", command->id, "status", code,
                                          "type", content_type ? content_type : "",
                                          "retry", retry_after ? retry_after : "", "body", NULL);

      wc_relay_out_add_bytes (out, body);
      g_async_queue_push (self->out, out);
    }
  if (g_strcmp0 (self->test_kill, "stored") == 0 && command->id && status != 0)
    {
      g_atomic_int_set (&self->kill_after_send, TRUE);
      return;
    }
  g_async_queue_push (self->out, wc_relay_out_new ("XACK", self->commands_key, GROUP,
                                                   command->entry, NULL));
  /* acknowledged, the command is never read again: its kept reply is no longer needed */
  if (command->id && status != 0)
    g_async_queue_push (self->out, wc_relay_out_new ("HDEL", self->answered_key, command->id,
                                                     NULL));
  self->n_commands++;
}

/* A command read again after a restart that was answered before: its reply as kept, or (the
 * controller stopped between journaling it and keeping the reply) a plain success, since its
 * records are in the journal. TRUE if so. */
static gboolean
command_answered (Command *command,
                  GBytes  *stored)
{
  gsize size = 0;
  const char *data = stored ? g_bytes_get_data (stored, &size) : NULL;
  const char *end = data + size;
  const char *type = data ? memchr (data, '\n', size) : NULL;
  const char *retry = type ? memchr (type + 1, '\n', end - type - 1) : NULL;
  const char *body = retry ? memchr (retry + 1, '\n', end - retry - 1) : NULL;
  g_autofree char *status_s = body ? g_strndup (data, type - data) : NULL;
  guint64 status;

  if (status_s && g_ascii_string_to_unsigned (status_s, 10, 100, 599, &status, NULL))
    {
      g_autofree char *type_s = g_strndup (type + 1, retry - type - 1);
      g_autofree char *retry_s = g_strndup (retry + 1, body - retry - 1);
      g_autoptr(GBytes) rest = g_bytes_new_from_bytes (stored, body + 1 - data, end - body - 1);

      g_debug ("command %s answered before: its reply again", command->id);
      command_done (command, (guint) status, type_s, retry_s, rest);
      return TRUE;
    }
  if (command->id && g_hash_table_contains (command->self->journaled, command->id))
    {
      static const char text[] = "{\"ok\":true,\"already\":true}";
      g_autoptr(GBytes) done = g_bytes_new_static (text, strlen (text));

      g_debug ("command %s journaled before: not run again", command->id);
      command_done (command, SOUP_STATUS_OK, "application/json", NULL, done);
      return TRUE;
    }
  return FALSE;
}

static void send_next (WcRelayPublisher *self);

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Command) command = user_data;
  g_autoptr(WcRelayPublisher) self = g_object_ref (command->self);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                             &error);
  SoupMessageHeaders *headers;

  if (body == NULL)
    {
      g_autofree char *text = g_strdup_printf ("{\"error\":\"The controller did not answer\"}");

      g_message ("a relayed request failed: %s", error->message);
      body = g_bytes_new_take (text, strlen (text));
      g_steal_pointer (&text);
      command_done (command, SOUP_STATUS_BAD_GATEWAY, "application/json", NULL, body);
      self->in_flight--;
      send_next (self);
      return;
    }
  if (g_strcmp0 (command->self->test_kill, "journaled") == 0)
    raise (SIGKILL);  /* the test's crash: answered and journaled, the reply not yet kept */
  headers = soup_message_get_response_headers (msg);
  command_done (command, soup_message_get_status (msg),
                soup_message_headers_get_one (headers, "Content-Type"),
                soup_message_headers_get_one (headers, "Retry-After"), body);
  self->in_flight--;
  send_next (self);
}

/* At most MAX_IN_FLIGHT requests at a time to our own server: beyond the session's connection
 * limit, libsoup 3.2's own queue stalled (teams' acknowledgements unanswered for 30 s when 400
 * came at once, bench-relay). */
#define MAX_IN_FLIGHT 128

static void
send_next (WcRelayPublisher *self)
{
  while (self->in_flight < MAX_IN_FLIGHT && !g_queue_is_empty (&self->waiting))
    {
      g_autoptr(SoupMessage) msg = g_queue_pop_head (&self->waiting);
      Command *command = g_object_steal_data (G_OBJECT (msg), "wc-command");

      self->in_flight++;
      soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent,
                                        command);
    }
}

static gboolean
accept_own_certificate (SoupMessage          *msg,
                        GTlsCertificate      *certificate,
                        GTlsCertificateFlags  errors,
                        gpointer              user_data)
{
  /* loopback to this very process: its certificate names the public host, not 127.0.0.1 */
  return TRUE;
}

/* Each request's connection is this process's own (see wc_listener_add_own_connection()): the
 * relays' commands, every team's acknowledgement among them, all come from this one client on
 * loopback, which the server's per-address cap must not take for one participant's. Marked as it
 * starts to connect, before the server can accept it. */
static void
on_network_event (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_CONNECTING && G_IS_SOCKET_CONNECTION (connection))
    wc_listener_add_own_connection (G_SOCKET_CONNECTION (connection));
}

static const char *const relayed_methods[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE" };

static void
run_http (Command    *command,
          redisReply *fields)
{
  WcRelayPublisher *self = command->self;
  const char *method = wc_redis_field (fields, "method", NULL);
  const char *path = wc_redis_field (fields, "path", NULL);
  const char *auth = wc_redis_field (fields, "auth", NULL);
  const char *type = wc_redis_field (fields, "type", NULL);
  const char *lang = wc_redis_field (fields, "lang", NULL);
  const char *key = wc_redis_field (fields, "key", NULL);
  gsize body_length = 0;
  const char *body = wc_redis_field (fields, "body", &body_length);
  g_autofree char *uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  gboolean known = FALSE;

  for (guint i = 0; method && i < G_N_ELEMENTS (relayed_methods); i++)
    known |= strcmp (method, relayed_methods[i]) == 0;
  if (known && path && path[0] == '/' && path[1] != '/')
    {
      uri = g_strconcat (self->server_url, path, NULL);
      msg = soup_message_new (method, uri);
    }
  if (msg == NULL)
    {
      g_autoptr(GBytes) error = g_bytes_new_static ("{\"error\":\"Not a request\"}", 25);

      command_done (command, SOUP_STATUS_BAD_REQUEST, "application/json", NULL, error);
      command_free (command);
      return;
    }
  if (auth && *auth)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (lang && *lang)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language",
                                  lang);
  if (key && *key)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  /* its records carry it (the server's doing, on loopback only): see command_answered() */
  if (command->id)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Whitecell-Request",
                                  command->id);
  if (body_length > 0)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_length);

      soup_message_set_request_body_from_bytes (msg, type && *type ? type : NULL, bytes);
    }
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_own_certificate), NULL);
  g_signal_connect (msg, "network-event", G_CALLBACK (on_network_event), NULL);
  g_object_set_data_full (G_OBJECT (msg), "wc-command", command, (GDestroyNotify) command_free);
  g_queue_push_tail (&self->waiting, g_steal_pointer (&msg));
  send_next (self);
}

/* A relay saw @inject reach @team (its event stream, or its list): the controller records it as
 * its own server would have. */
static void
run_delivered (Command    *command,
               redisReply *fields)
{
  const char *inject = wc_redis_field (fields, "inject", NULL);
  const char *team = wc_redis_field (fields, "team", NULL);
  const char *via = wc_redis_field (fields, "via", NULL);

  if (inject && team)
    wc_engine_mark_delivered (command->self->engine, inject, team,
                              g_strcmp0 (via, "sse") == 0 ? "sse" : "api", NULL);
  command_done (command, 0, NULL, NULL, NULL);
  command_free (command);
}

/* A relay's teams: a change, its whole list, or its heartbeat (see wc-relay-private.h). A relay
 * whose list the controller lacks (it restarted, or took the relay for dead) is asked for it. */
static void
run_presence (Command    *command,
              const char *kind,
              redisReply *fields)
{
  WcRelayPublisher *self = command->self;
  const char *relay = wc_redis_field (fields, "relay", NULL);

  if (strcmp (kind, "presence") == 0)
    wc_relay_presence_change (self->relay_presence, relay, wc_redis_field (fields, "team", NULL),
                              g_strcmp0 (wc_redis_field (fields, "connected", NULL), "1") == 0);
  else if (strcmp (kind, "presence-sync") == 0)
    wc_relay_presence_sync (self->relay_presence, relay, wc_redis_field (fields, "teams", NULL));
  else
    {
      const char *every = wc_redis_field (fields, "every", NULL);
      guint64 ms = WC_RELAY_HEARTBEAT_MS;

      if (every)
        g_ascii_string_to_unsigned (every, 10, 1, G_MAXUINT, &ms, NULL);
      wc_relay_presence_heartbeat (self->relay_presence, relay, (guint) ms);
    }
  if (wc_relay_presence_wants_sync (self->relay_presence, relay))
    {
      /* the relay's id was checked: its replies stream is no other key */
      g_autofree char *key = g_strconcat (self->replies_prefix, relay, NULL);

      g_async_queue_push (self->out, wc_relay_out_new ("XADD", key, "MAXLEN", "~", "10000", "*",
                                                       "kind", "sync", NULL));
    }
  command_done (command, 0, NULL, NULL, NULL);
  command_free (command);
}

typedef struct {
  WcRelayPublisher *self;
  redisReply       *entries;  /* [[id, fields], …] */
  GHashTable       *stored;   /* request id → reply kept before a restart (GBytes), nullable */
} Batch;

static void
batch_free (Batch *batch)
{
  g_object_unref (batch->self);
  freeReplyObject (batch->entries);
  g_clear_pointer (&batch->stored, g_hash_table_unref);
  g_free (batch);
}

static gboolean
run_batch (gpointer user_data)
{
  Batch *batch = user_data;

  for (size_t i = 0; i < batch->entries->elements; i++)
    {
      redisReply *entry = batch->entries->element[i];
      redisReply *fields;
      Command *command;
      const char *kind;

      if (entry->type != REDIS_REPLY_ARRAY || entry->elements != 2 ||
          entry->element[0]->type != REDIS_REPLY_STRING)
        continue;
      fields = entry->element[1];
      command = g_new0 (Command, 1);
      command->self = g_object_ref (batch->self);
      command->entry = g_strdup (entry->element[0]->str);
      command->id = g_strdup (wc_redis_field (fields, "id", NULL));
      command->reply_key = g_strdup (wc_redis_field (fields, "reply", NULL));
      /* a reply stream is a relay's: never another key */
      if (command->reply_key &&
          !g_str_has_prefix (command->reply_key, batch->self->replies_prefix))
        g_clear_pointer (&command->reply_key, g_free);
      kind = wc_redis_field (fields, "kind", NULL);
      if (g_strcmp0 (kind, "delivered") == 0)
        run_delivered (command, fields);
      else if (g_strcmp0 (kind, "presence") == 0 || g_strcmp0 (kind, "presence-sync") == 0 ||
               g_strcmp0 (kind, "heartbeat") == 0)
        run_presence (command, kind, fields);
      else if (command_answered (command, batch->stored && command->id
                                          ? g_hash_table_lookup (batch->stored, command->id)
                                          : NULL))
        command_free (command);
      else
        run_http (command, fields);
    }
  return G_SOURCE_REMOVE;
}

/* The replies kept for @entries' request ids (HGET, pipelined). */
static gboolean
fetch_stored (WcRelayPublisher  *self,
              redisContext      *c,
              redisReply        *entries,
              GHashTable       **stored,
              GError           **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  *stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) g_bytes_unref);
  for (size_t i = 0; i < entries->elements; i++)
    {
      redisReply *entry = entries->element[i];
      const char *id = entry->type == REDIS_REPLY_ARRAY && entry->elements == 2
                       ? wc_redis_field (entry->element[1], "id", NULL) : NULL;

      if (id == NULL)
        continue;
      redisAppendCommand (c, "HGET %s %s", self->answered_key, id);
      g_ptr_array_add (ids, (gpointer) id);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(redisReply) reply = NULL;

      if (redisGetReply (c, (void **) &reply) != REDIS_OK || reply == NULL)
        {
          g_clear_pointer (stored, g_hash_table_unref);
          g_set_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_CONNECT, _("Redis: %s"), c->errstr);
          return FALSE;
        }
      if (reply->type == REDIS_REPLY_STRING)
        g_hash_table_insert (*stored, g_strdup (g_ptr_array_index (ids, i)),
                             g_bytes_new (reply->str, reply->len));
    }
  return TRUE;
}

static gboolean
reader_step (redisContext  *c,
             gpointer       user_data,
             GError       **error)
{
  WcRelayPublisher *self = user_data;
  /* first the entries this consumer was given before a restart and never acknowledged */
  const char *from = self->pending_read ? ">" : "0";
  g_autoptr(redisReply) reply =
    wc_redis_command (c, 11, (const char *[]) { "XREADGROUP", "GROUP", GROUP, "controller",
                                                "COUNT", self->pending_read ? "512" : "1000000",
                                                "BLOCK", "1000", "STREAMS", self->commands_key,
                                                from }, NULL, error);
  redisReply *entries;
  Batch *batch;

  if (reply == NULL)
    {
      /* Redis restarted empty: the group is made again */
      if (g_error_matches (*error, WC_REDIS_ERROR, WC_REDIS_ERROR_REPLY) &&
          strstr ((*error)->message, "NOGROUP"))
        {
          g_autoptr(redisReply) made =
            wc_redis_command (c, 6, (const char *[]) { "XGROUP", "CREATE", self->commands_key,
                                                       GROUP, "$", "MKSTREAM" }, NULL, NULL);

          g_clear_error (error);
          return TRUE;
        }
      return FALSE;
    }
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0 ||
      reply->element[0]->elements != 2)
    return TRUE;
  entries = reply->element[0]->element[1];
  if (entries->elements == 0)
    {
      self->pending_read = TRUE;
      return TRUE;
    }
  batch = g_new0 (Batch, 1);
  batch->self = g_object_ref (self);
  /* read again after a restart: those answered before are answered from their kept reply */
  if (!self->pending_read && !fetch_stored (self, c, entries, &batch->stored, error))
    {
      batch_free (batch);
      return FALSE;  /* the link failed: the same entries are read again */
    }
  /* read once: read again, those in hand would be run twice */
  self->pending_read = TRUE;
  /* the entries are handed over whole: take them out of the reply that frees them */
  batch->entries = entries;
  reply->element[0]->element[1] = NULL;
  reply->element[0]->elements = 1;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, run_batch, batch,
                              (GDestroyNotify) batch_free);
  return TRUE;
}

/* Publishing the exercise ------------------------------------------------------------------- */

/* The journal's first line, as written (its hash begins the chain). */
static char *
read_header_line (const char  *path,
                  GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, error);
  g_autoptr(GDataInputStream) data = NULL;
  char *line;

  if (stream == NULL)
    return NULL;
  data = g_data_input_stream_new (G_INPUT_STREAM (stream));
  line = g_data_input_stream_read_line (data, NULL, NULL, error);
  if (line == NULL && error && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s is empty"), path);
  return line;
}

/* The tokens file as relays need it: without the key that seals the journal, which only the
 * controller writes. */
static char *
tokens_for_relays (const char  *tokens_path,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  JsonNode *root;

  if (!json_parser_load_from_file (parser, tokens_path, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_DATA, _("%s: not a tokens file"),
                   tokens_path);
      return NULL;
    }
  json_object_remove_member (json_node_get_object (root), "journal_key");
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static gboolean
publish_exercise (WcRelayPublisher  *self,
                  const char        *tokens_path,
                  GError           **error)
{
  WcScenario *scenario = wc_engine_get_scenario (self->engine);
  const char *exercise = wc_scenario_get_id (scenario);
  g_autoptr(redisContext) c = wc_redis_connect (&self->url, error);
  g_autofree char *header = NULL;
  g_autofree char *tokens = NULL;
  g_autofree char *scenario_text = NULL;
  g_autofree char *name = g_path_get_basename (wc_scenario_get_path (scenario));
  g_autofree char *meta_key = wc_redis_key (exercise, "meta");
  g_autoptr(redisReply) old = NULL;
  g_autoptr(redisReply) reply = NULL;
  g_autoptr(GError) group_error = NULL;
  gsize scenario_length;

  if (c == NULL ||
      (header = read_header_line (self->journal_path, error)) == NULL ||
      (tokens = tokens_for_relays (tokens_path, error)) == NULL ||
      !g_file_get_contents (wc_scenario_get_path (scenario), &scenario_text, &scenario_length,
                            error))
    return FALSE;
  /* another exercise of the same id before this one: its records are not this one's */
  old = wc_redis_command (c, 3, (const char *[]) { "HGET", meta_key, "header" }, NULL, error);
  if (old == NULL)
    return FALSE;
  if (old->type == REDIS_REPLY_STRING && strcmp (old->str, header) != 0)
    {
      g_clear_pointer (&reply, freeReplyObject);
      reply = wc_redis_command (c, 4, (const char *[]) { "DEL", self->records_key,
                                                         self->commands_key, self->answered_key },
                                NULL, error);
      if (reply == NULL)
        return FALSE;
    }
  g_clear_pointer (&reply, freeReplyObject);
  reply = wc_redis_command (c, 10,
                            (const char *[]) { "HSET", meta_key, "header", header, "tokens", tokens,
                                               "scenario_name", name, "scenario", scenario_text },
                            (const gsize[]) { 4, strlen (meta_key), 6, strlen (header), 6,
                                              strlen (tokens), 13, strlen (name), 8,
                                              scenario_length }, error);
  if (reply == NULL)
    return FALSE;
  g_clear_pointer (&reply, freeReplyObject);
  reply = wc_redis_command (c, 3, (const char *[]) { "SADD", "wc:exercises", exercise }, NULL,
                            error);
  if (reply == NULL)
    return FALSE;
  g_clear_pointer (&reply, freeReplyObject);
  /* "$": commands from before the group existed were for another exercise's controller */
  reply = wc_redis_command (c, 6, (const char *[]) { "XGROUP", "CREATE", self->commands_key, GROUP,
                                                     "$", "MKSTREAM" }, NULL, &group_error);
  if (reply == NULL && !strstr (group_error->message, "BUSYGROUP"))
    {
      g_propagate_error (error, g_steal_pointer (&group_error));
      return FALSE;
    }
  return TRUE;
}

WcRelayPublisher *
wc_relay_publisher_new (WcEngine    *engine,
                        const char  *tokens_path,
                        const char  *redis_url,
                        const char  *server_url,
                        GError     **error)
{
  g_autoptr(WcRelayPublisher) self = g_object_new (WC_TYPE_RELAY_PUBLISHER, NULL);
  const char *exercise = wc_scenario_get_id (wc_engine_get_scenario (engine));
  WcJournal *journal = wc_engine_get_journal (engine);
  guint n;

  g_return_val_if_fail (journal != NULL, NULL);
  if (!wc_redis_url_parse (redis_url, &self->url, error))
    return NULL;
  self->engine = g_object_ref (engine);
  self->server_url = g_strdup (server_url);
  self->records_key = wc_redis_key (exercise, "records");
  self->commands_key = wc_redis_key (exercise, "commands");
  self->replies_prefix = wc_redis_key (exercise, "replies:");
  self->answered_key = wc_redis_key (exercise, "answered");
  self->test_kill = g_strdup (g_getenv ("WC_RELAY_TEST_KILL"));
  self->journaled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->relay_presence = wc_relay_presence_new (wc_engine_get_scenario (engine));
  self->journal_path = g_strdup (wc_journal_get_path (journal));
  if (!publish_exercise (self, tokens_path, error))
    return NULL;
  self->journal_fd = g_open (self->journal_path, O_RDONLY | O_CLOEXEC, 0);
  if (self->journal_fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot read %s: %s"),
                   self->journal_path, g_strerror (saved));
      return NULL;
    }
  /* what the journal has now is durable (a resumed one was read back; a new one synced) */
  n = wc_journal_get_n_records (journal);
  self->durable_seq = n > 0 ? wc_journal_get_record (journal, n - 1)->seq : 0;
  /* a resumed journal: the relays' commands it already holds are not run again */
  for (guint i = 0; i < n; i++)
    {
      JsonObject *data = wc_journal_get_record (journal, i)->data;
      const char *request = data ? json_object_get_string_member_with_default (data, "request",
                                                                               NULL) : NULL;

      if (request)
        g_hash_table_add (self->journaled, g_strdup (request));
    }
  /* every team's command at once, not six at a time */
  self->session = soup_session_new_with_options ("max-conns", 256, "max-conns-per-host", 256,
                                                 "timeout", 60, NULL);
  g_signal_connect (engine, "record", G_CALLBACK (on_record), self);
  self->writer = wc_redis_worker_start (&self->url, "wc-relay-out", writer_step, self);
  self->reader = wc_redis_worker_start (&self->url, "wc-relay-commands", reader_step, self);
  wake_writer (self);
  return g_steal_pointer (&self);
}

void
wc_relay_publisher_close (WcRelayPublisher *self)
{
  g_return_if_fail (WC_IS_RELAY_PUBLISHER (self));

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  wc_redis_worker_stop (g_steal_pointer (&self->reader));
  if (self->writer)
    {
      /* the last records (a stop's) reach the relays: a few turns of the writer, at most 2 s */
      gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

      wake_writer (self);
      while (g_get_monotonic_time () < deadline &&
             (self->published_seq < (gint64) __atomic_load_n (&self->durable_seq, __ATOMIC_ACQUIRE) ||
              g_async_queue_length (self->out) > 0))
        g_usleep (10 * 1000);
      wc_redis_worker_stop (g_steal_pointer (&self->writer));
    }
  if (self->journal_fd >= 0)
    close (self->journal_fd);
  self->journal_fd = -1;
}

void
wc_relay_publisher_set_presence (WcRelayPublisher *self,
                                 WcPresence       *presence)
{
  g_return_if_fail (WC_IS_RELAY_PUBLISHER (self));

  wc_relay_presence_set_presence (self->relay_presence, presence);
}

guint64
wc_relay_publisher_get_n_commands (WcRelayPublisher *self)
{
  return self->n_commands;
}
