/* wc-relay.c: a relay: a replay engine fed from the records stream, the controller's own
 * WcServer on it, and what would change the exercise forwarded to the controller. */
#define G_LOG_DOMAIN "wc-relay"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wc-http.h"
#include "wc-redis.h"
#include "wc-relay-private.h"
#include "wc-relay.h"
#include "wc-scenario-loader.h"

struct _WcRelay {
  GObject        parent_instance;

  GMainContext  *context;
  WcRedisUrl     url;
  char          *exercise;
  char          *relay_id;
  char          *records_key;
  char          *commands_key;
  char          *replies_key;
  char          *state_dir;     /* the tokens file wc_tokens_load() reads */

  WcScenario    *scenario;
  WcTokens      *tokens;
  WcJournal     *mirror;
  WcEngine      *engine;
  WcServer      *server;
  char          *host;
  guint          port;
  GTlsCertificate *certificate;

  guint64        target_seq;    /* the last record in Redis when the relay started */
  gboolean       caught_up;
  char          *error;
  guint          restart_id;

  GHashTable    *pending;       /* request id → Pending */
  guint64        next_request;
  guint          reply_timeout_s;
  GHashTable    *delivered;     /* "INJECT\nTEAM" told to the controller */
  guint          heartbeat_ms;
  guint          heartbeat_id;

  WcRedisWorker *records_worker;
  char          *records_from;  /* worker's: the last entry read */
  WcRedisWorker *replies_worker;
  char          *replies_from;
  WcRedisWorker *writer;
  GAsyncQueue   *out;
  GPtrArray     *retry;
};

G_DEFINE_FINAL_TYPE (WcRelay, wc_relay, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REPLY_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A request waiting for the controller's answer: its connection taken from libsoup meanwhile
 * (@io, and a reference on @msg), or, where it cannot be, @msg paused (no reference: NULL once
 * the client has gone). */
typedef struct {
  WcRelay           *relay;
  SoupServerMessage *msg;
  GIOStream         *io;
  char              *id;
  guint              timeout_id;
} Pending;

static void
pending_free (Pending *p)
{
  g_clear_handle_id (&p->timeout_id, g_source_remove);
  if (p->msg && p->io == NULL)
    g_signal_handlers_disconnect_by_data (p->msg, p);
  if (p->io)
    {
      /* never answered (wc_relay_close() answers them all first): closed, the socket itself */
      GSocket *socket = wc_http_get_socket (p->msg);

      if (socket)
        g_socket_close (socket, NULL);
      g_clear_object (&p->io);
      g_clear_object (&p->msg);
    }
  g_free (p->id);
  g_free (p);
}

/* Sends the response @p's message now holds, and lets go of it. */
static void
pending_send (Pending *p)
{
  g_autoptr(SoupServerMessage) taken = p->io ? p->msg : NULL;
  SoupServerMessage *msg = g_steal_pointer (&p->msg);

  if (p->io)
    wc_http_write_taken (msg, g_steal_pointer (&p->io));
  else
    soup_server_message_unpause (msg);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = path ? g_dir_open (path, 0, NULL) : NULL;
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  if (path)
    g_rmdir (path);
}

static void
wc_relay_finalize (GObject *object)
{
  WcRelay *self = WC_RELAY (object);

  wc_relay_close (self);
  g_hash_table_unref (self->pending);
  g_hash_table_unref (self->delivered);
  g_clear_object (&self->server);
  g_clear_object (&self->engine);
  g_clear_object (&self->mirror);
  g_clear_object (&self->tokens);
  g_clear_object (&self->scenario);
  g_clear_object (&self->certificate);
  remove_dir (self->state_dir);
  g_free (self->state_dir);
  wc_redis_url_clear (&self->url);
  g_free (self->exercise);
  g_free (self->relay_id);
  g_free (self->records_key);
  g_free (self->commands_key);
  g_free (self->replies_key);
  g_free (self->host);
  g_free (self->error);
  g_free (self->records_from);
  g_free (self->replies_from);
  g_async_queue_unref (self->out);
  g_clear_pointer (&self->retry, g_ptr_array_unref);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (wc_relay_parent_class)->finalize (object);
}

static void
wc_relay_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  WcRelay *self = WC_RELAY (object);

  switch (prop_id)
    {
    case PROP_REPLY_TIMEOUT:
      g_value_set_uint (value, self->reply_timeout_s);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_relay_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  WcRelay *self = WC_RELAY (object);

  switch (prop_id)
    {
    case PROP_REPLY_TIMEOUT:
      wc_relay_set_reply_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_relay_class_init (WcRelayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wc_relay_finalize;
  object_class->get_property = wc_relay_get_property;
  object_class->set_property = wc_relay_set_property;

  /* kept below the load balancer's own timeout, so that a team gets the relay's 504 (which its
   * page retries with the same Idempotency-Key) rather than the balancer's */
  properties[PROP_REPLY_TIMEOUT] =
    g_param_spec_uint ("reply-timeout", NULL, NULL, 1, WC_RELAY_REPLY_TIMEOUT_MAX_S,
                       WC_RELAY_REPLY_TIMEOUT_S,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wc_relay_init (WcRelay *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) pending_free);
  self->delivered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->out = g_async_queue_new_full (wc_relay_out_free);
  self->records_from = g_strdup ("0-0");
  self->replies_from = g_strdup ("0-0");
  self->reply_timeout_s = WC_RELAY_REPLY_TIMEOUT_S;
  self->heartbeat_ms = WC_RELAY_HEARTBEAT_MS;
  if (g_getenv ("WC_RELAY_HEARTBEAT_MS"))
    {
      guint64 ms;

      /* a test's: a killed relay's teams dropped within a second, not 15 */
      if (g_ascii_string_to_unsigned (g_getenv ("WC_RELAY_HEARTBEAT_MS"), 10, 100, 60000, &ms,
                                      NULL))
        self->heartbeat_ms = (guint) ms;
    }
}

/* Answering ------------------------------------------------------------------------------------ */

static void
reply_now (Pending    *p,
           guint       status,
           const char *content_type,
           const char *retry_after,
           const char *body,
           gsize       length)
{
  SoupServerMessage *msg = p->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  g_signal_handlers_disconnect_by_data (msg, p);
  if (retry_after && *retry_after)
    soup_message_headers_replace (headers, "Retry-After", retry_after);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (headers, "WWW-Authenticate", "Bearer realm=\"whitecell\"");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type && *content_type ? content_type : NULL,
                                    SOUP_MEMORY_COPY, body, length);
  pending_send (p);
  g_hash_table_remove (p->relay->pending, p->id);
}

static gboolean
on_timeout (gpointer user_data)
{
  Pending *p = user_data;

  p->timeout_id = 0;
  g_signal_handlers_disconnect_by_data (p->msg, p);
  soup_message_headers_replace (soup_server_message_get_response_headers (p->msg), "Retry-After",
                                "5");
  /* {"error": …} in the server's language, as the controller's own errors */
  wc_http_reply_error (p->msg, SOUP_STATUS_GATEWAY_TIMEOUT, "%s",
                       _("The controller did not answer in time"));
  pending_send (p);
  g_hash_table_remove (p->relay->pending, p->id);
  return G_SOURCE_REMOVE;
}

static void
on_finished (SoupServerMessage *msg,
             Pending           *p)
{
  /* the client went away: the answer, when it comes, is dropped */
  p->msg = NULL;
  g_signal_handlers_disconnect_by_data (msg, p);
  g_hash_table_remove (p->relay->pending, p->id);
}

/* Forwarding ----------------------------------------------------------------------------------- */

static void
tell_delivered (WcRelay    *self,
                const char *inject,
                const char *team,
                const char *via)
{
  const WcTeamInjectState *ts = wc_engine_get_team_state (self->engine, inject, team);
  g_autofree char *key = NULL;

  if (ts == NULL || ts->delivered_ms >= 0)
    return;
  key = g_strconcat (inject, "\n", team, NULL);
  if (g_hash_table_contains (self->delivered, key))
    return;
  g_hash_table_add (self->delivered, g_steal_pointer (&key));
  g_async_queue_push (self->out, wc_relay_out_new ("XADD", self->commands_key, "MAXLEN", "~",
                                                   "1000000", "*", "kind", "delivered", "inject",
                                                   inject, "team", team, "via", via, NULL));
}

/* The teams on this relay, for the controller's board and journal (see wc-relay-private.h). */
static void
tell_presence (WcRelay    *self,
               const char *team,
               gboolean    connected)
{
  g_async_queue_push (self->out, wc_relay_out_new ("XADD", self->commands_key, "MAXLEN", "~",
                                                   "1000000", "*", "kind", "presence", "relay",
                                                   self->relay_id, "team", team, "connected",
                                                   connected ? "1" : "0", NULL));
}

/* Every team connected here now (none if @leaving), one a line: the whole list, in place of
 * what the controller held for this relay. */
static void
tell_all_present (WcRelay  *self,
                  gboolean  leaving)
{
  WcPresence *presence = self->server && !leaving ? wc_server_get_presence (self->server) : NULL;
  g_autoptr(GString) teams = g_string_new (NULL);

  for (guint i = 0; presence && i < wc_scenario_get_n_teams (self->scenario); i++)
    {
      const char *id = wc_scenario_get_team (self->scenario, i)->id;

      if (wc_presence_is_team_connected (presence, id))
        g_string_append_printf (teams, "%s%s", teams->len ? "\n" : "", id);
    }
  g_async_queue_push (self->out, wc_relay_out_new ("XADD", self->commands_key, "MAXLEN", "~",
                                                   "1000000", "*", "kind", "presence-sync",
                                                   "relay", self->relay_id, "teams", teams->str,
                                                   NULL));
}

static gboolean
on_heartbeat (gpointer user_data)
{
  WcRelay *self = user_data;
  g_autofree char *every = g_strdup_printf ("%u", self->heartbeat_ms);

  g_async_queue_push (self->out, wc_relay_out_new ("XADD", self->commands_key, "MAXLEN", "~",
                                                   "1000000", "*", "kind", "heartbeat", "relay",
                                                   self->relay_id, "every", every, NULL));
  return G_SOURCE_CONTINUE;
}

/* Every inject that reached @team, told delivered (its list was read, its stream opened). */
static void
tell_all_delivered (WcRelay    *self,
                    const char *team,
                    const char *via)
{
  GPtrArray *ids = wc_engine_get_team_injects (self->engine, team);

  for (guint i = 0; ids && i < ids->len; i++)
    tell_delivered (self, g_ptr_array_index (ids, i), team, via);
}

/* Downloads come from the controller, which has the files (see docs/SCALING.md). */
static gboolean
is_download (char **parts)
{
  guint n = g_strv_length (parts);

  /* parts of "/api/v1/…": "", "api", "v1", then the resource */
  return (n == 7 && strcmp (parts[3], "injects") == 0 && strcmp (parts[5], "attachments") == 0) ||
         (n == 6 && strcmp (parts[3], "messages") == 0 && strcmp (parts[5], "attachment") == 0) ||
         (n >= 6 && strcmp (parts[3], "control") == 0 && strcmp (parts[4], "messages") == 0 &&
          strcmp (parts[n - 1], "attachment") == 0);
}

static char *
bearer (SoupServerMessage *msg,
        GHashTable        *query)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (auth && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    return g_strstrip (g_strdup (auth + 7));
  return query && g_hash_table_lookup (query, "access_token")
         ? g_strdup (g_hash_table_lookup (query, "access_token")) : NULL;
}

static gboolean
forward (WcServer          *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  WcRelay *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_auto(GStrv) parts = g_strsplit (path, "/", 0);
  gboolean is_api = parts[0] && parts[1] && strcmp (parts[1], "api") == 0 && parts[2] &&
                    strcmp (parts[2], "v1") == 0 && parts[3];
  g_autofree char *auth = NULL;
  g_autofree char *target = NULL;
  g_autoptr(GBytes) body = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *team;
  WcRelayOut *out;
  Pending *p;

  if (!self->caught_up || self->error)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "2");
      wc_http_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "%s",
                           self->error ? _("This relay has stopped: use another")
                                       : _("This relay is catching up; try again shortly"));
      return TRUE;
    }
  if ((strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0) &&
      !(is_api && is_download (parts)))
    {
      /* read here; a team's list read is a delivery, which the controller records */
      if (is_api && strcmp (method, "GET") == 0 && strcmp (parts[3], "injects") == 0 &&
          parts[4] == NULL && (auth = bearer (msg, NULL)) &&
          (team = wc_tokens_find_team (self->tokens, auth)) != NULL)
        tell_all_delivered (self, team, "api");
      return FALSE;
    }
  auth = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  if (auth == NULL && (auth = bearer (msg, query)) != NULL)
    {
      g_autofree char *token = g_steal_pointer (&auth);

      auth = g_strconcat ("Bearer ", token, NULL);
    }
  target = g_uri_get_query (uri) ? g_strconcat (g_uri_get_path (uri), "?", g_uri_get_query (uri),
                                                NULL)
                                 : g_strdup (g_uri_get_path (uri));
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  p = g_new0 (Pending, 1);
  p->relay = self;
  p->msg = msg;
  p->id = g_strdup_printf ("%s:%" G_GUINT64_FORMAT, self->relay_id, ++self->next_request);
  out = wc_relay_out_new ("XADD", self->commands_key, "MAXLEN", "~", "1000000", "*", "kind", "http",
                          "id", p->id, "reply", self->replies_key, "method", method, "path",
                          target, "auth", auth ? auth : "",
                          "type", soup_message_headers_get_content_type (headers, NULL)
                                  ? soup_message_headers_get_one (headers, "Content-Type") : "",
                          "lang", soup_message_headers_get_one (headers, "Accept-Language")
                                  ? soup_message_headers_get_one (headers, "Accept-Language") : "",
                          /* a team's retry, through this relay or another, is known by it */
                          "key", soup_message_headers_get_list (headers, "Idempotency-Key")
                                 ? soup_message_headers_get_list (headers, "Idempotency-Key") : "",
                          "body", NULL);
  wc_relay_out_add_bytes (out, body);
  g_hash_table_insert (self->pending, p->id, p);
  /* not g_timeout_add_seconds(): it rounds to the second's boundary, and a 1 s wait could end
   * sooner than the relay's operator set */
  p->timeout_id = g_timeout_add (self->reply_timeout_s * 1000, on_timeout, p);
  if ((p->io = wc_http_take_connection (msg)) != NULL)
    p->msg = g_object_ref (msg);
  else
    {
      g_signal_connect (msg, "finished", G_CALLBACK (on_finished), p);
      soup_server_message_pause (msg);
    }
  g_async_queue_push (self->out, out);
  return TRUE;
}

/* The records --------------------------------------------------------------------------------- */

static void
stop_following (WcRelay      *self,
                const GError *error)
{
  if (self->error)
    return;
  self->error = g_strdup (error->message);
  g_message ("%s: this relay stops serving", error->message);
  wc_server_disconnect (self->server);
}

static gboolean restart_server (gpointer user_data);

static void
apply_line (WcRelay    *self,
            const char *line,
            gsize       length)
{
  g_autoptr(GError) error = NULL;
  guint n;

  if (self->error)
    return;
  if (!wc_journal_mirror_line (self->mirror, line, length, &error))
    {
      stop_following (self, error);
      return;
    }
  n = wc_journal_get_n_records (self->mirror);
  if (!wc_engine_replay_record (self->engine, wc_journal_get_record (self->mirror, n - 1), &error))
    stop_following (self, error);
}

typedef struct {
  WcRelay    *self;
  redisReply *reply;
  gboolean    replies;
} Batch;

static void
batch_free (Batch *batch)
{
  g_object_unref (batch->self);
  freeReplyObject (batch->reply);
  g_free (batch);
}

static void
apply_reply (WcRelay    *self,
             redisReply *fields)
{
  const char *id = wc_redis_field (fields, "id", NULL);
  const char *status = wc_redis_field (fields, "status", NULL);
  gsize length = 0;
  const char *body = wc_redis_field (fields, "body", &length);
  Pending *p = id ? g_hash_table_lookup (self->pending, id) : NULL;
  guint64 code;

  if (p == NULL || p->msg == NULL || status == NULL ||
      !g_ascii_string_to_unsigned (status, 10, 100, 599, &code, NULL))
    return;
  reply_now (p, (guint) code, wc_redis_field (fields, "type", NULL),
             wc_redis_field (fields, "retry", NULL), body ? body : "", length);
}

static gboolean
run_batch (gpointer user_data)
{
  Batch *batch = user_data;
  WcRelay *self = batch->self;
  redisReply *entries = batch->reply->element[0]->element[1];

  if (self->server == NULL)
    return G_SOURCE_REMOVE;  /* closed meanwhile */
  for (size_t i = 0; i < entries->elements; i++)
    {
      redisReply *entry = entries->element[i];
      gsize length = 0;
      const char *line;

      if (entry->type != REDIS_REPLY_ARRAY || entry->elements != 2)
        continue;
      if (batch->replies &&
          g_strcmp0 (wc_redis_field (entry->element[1], "kind", NULL), "sync") == 0)
        {
          /* the controller lacks this relay's list (it restarted, or took us for dead) */
          tell_all_present (self, FALSE);
          continue;
        }
      if (batch->replies)
        {
          apply_reply (self, entry->element[1]);
          continue;
        }
      if ((line = wc_redis_field (entry->element[1], "line", &length)) != NULL)
        apply_line (self, line, length);
    }
  if (!batch->replies && !self->caught_up && wc_relay_get_seq (self) >= self->target_seq)
    {
      self->caught_up = TRUE;
      g_debug ("caught up at record %" G_GUINT64_FORMAT, wc_relay_get_seq (self));
    }
  return G_SOURCE_REMOVE;
}

/* XREAD of one stream from *@from, handed to the main context. */
static gboolean
read_stream (WcRelay      *self,
             redisContext *c,
             const char   *key,
             char        **from,
             gboolean      replies,
             GError      **error)
{
  redisReply *reply = wc_redis_command (c, 8, (const char *[]) { "XREAD", "COUNT", "1000",
                                                                 "BLOCK", "1000", "STREAMS", key,
                                                                 *from }, NULL, error);
  redisReply *entries;
  Batch *batch;

  if (reply == NULL)
    return FALSE;
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0 ||
      reply->element[0]->elements != 2 ||
      (entries = reply->element[0]->element[1])->elements == 0)
    {
      freeReplyObject (reply);
      return TRUE;
    }
  g_free (*from);
  *from = g_strdup (entries->element[entries->elements - 1]->element[0]->str);
  batch = g_new0 (Batch, 1);
  batch->self = g_object_ref (self);
  batch->reply = reply;
  batch->replies = replies;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, run_batch, batch,
                              (GDestroyNotify) batch_free);
  return TRUE;
}

static gboolean
records_step (redisContext  *c,
              gpointer       user_data,
              GError       **error)
{
  WcRelay *self = user_data;

  return read_stream (self, c, self->records_key, &self->records_from, FALSE, error);
}

static gboolean
replies_step (redisContext  *c,
              gpointer       user_data,
              GError       **error)
{
  WcRelay *self = user_data;

  return read_stream (self, c, self->replies_key, &self->replies_from, TRUE, error);
}

static gboolean
writer_step (redisContext  *c,
             gpointer       user_data,
             GError       **error)
{
  WcRelay *self = user_data;
  g_autoptr(GPtrArray) batch = self->retry ? g_steal_pointer (&self->retry)
                                           : g_ptr_array_new_with_free_func (wc_relay_out_free);

  wc_relay_out_take (self->out, batch, NULL);
  if (!wc_relay_out_send (c, batch, error))
    {
      self->retry = g_steal_pointer (&batch);
      return FALSE;
    }
  return TRUE;
}

/* Teams and the controller's engine -------------------------------------------------------- */

static void
on_record (WcEngine     *engine,
           guint64       seq,
           WcRecordType  type,
           JsonObject   *data,
           gint64        t_ms,
           WcRelay      *self)
{
  WcPresence *presence = wc_server_get_presence (self->server);

  /* an inject written to the teams' streams here is delivered: the controller records it */
  if (type == WC_RECORD_INJECT_FIRED && self->caught_up)
    {
      JsonArray *teams = wc_record_get_teams (data);

      for (guint k = 0; teams && k < json_array_get_length (teams); k++)
        if (wc_presence_is_team_connected (presence, json_array_get_string_element (teams, k)))
          tell_delivered (self, wc_record_get_inject (data),
                          json_array_get_string_element (teams, k), "sse");
    }
  /* the controller stopped: its server stops taking requests, and so does this one's; it is
   * made anew for when the controller carries the exercise on */
  if (type == WC_RECORD_PROCESS_STOPPED && self->restart_id == 0)
    self->restart_id = g_idle_add (restart_server, self);
}

static void
on_presence_changed (WcPresence *presence,
                     const char *team,
                     WcRelay    *self)
{
  gboolean connected = wc_presence_is_team_connected (presence, team);

  tell_presence (self, team, connected);
  if (connected)
    tell_all_delivered (self, team, "sse");
}

static WcServer *
make_server (WcRelay *self)
{
  WcServer *server = wc_server_new (self->engine, self->tokens);

  /* presence is the controller's to journal; a relay's would be refused */
  wc_presence_set_journal (wc_server_get_presence (server), NULL, 0, 0);
  wc_server_set_forward_func (server, forward, self);
  g_signal_connect (wc_server_get_presence (server), "presence-changed",
                    G_CALLBACK (on_presence_changed), self);
  return server;
}

static gboolean
restart_server (gpointer user_data)
{
  WcRelay *self = user_data;
  g_autoptr(GError) error = NULL;

  self->restart_id = 0;
  if (self->server == NULL)
    return G_SOURCE_REMOVE;
  g_signal_handlers_disconnect_by_data (wc_server_get_presence (self->server), self);
  wc_server_disconnect (self->server);
  g_clear_object (&self->server);
  self->server = make_server (self);
  /* the old server's teams went with it, untold: none is connected here now */
  tell_all_present (self, FALSE);
  if (!wc_server_listen (self->server, self->host, self->port, self->certificate, &error))
    stop_following (self, error);
  return G_SOURCE_REMOVE;
}

/* Construction ------------------------------------------------------------------------------- */

static char *
find_exercise (redisContext  *c,
               GError       **error)
{
  g_autoptr(redisReply) reply = wc_redis_command (c, 2, (const char *[]) { "SMEMBERS",
                                                                           "wc:exercises" },
                                                  NULL, error);

  if (reply == NULL)
    return NULL;
  if (reply->elements == 1)
    return g_strdup (reply->element[0]->str);
  g_set_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_DATA,
               reply->elements == 0
               ? _("Redis holds no exercise: start the controller with whitecellctl run … --redis")
               : _("Redis holds several exercises: name one with --exercise"));
  return NULL;
}

/* The exercise as the controller published it: scenario, tokens, the journal's header. */
static gboolean
read_exercise (WcRelay       *self,
               redisContext  *c,
               GError       **error)
{
  g_autofree char *meta_key = wc_redis_key (self->exercise, "meta");
  g_autoptr(redisReply) meta = wc_redis_command (c, 6, (const char *[]) { "HMGET", meta_key,
                                                                          "header", "tokens",
                                                                          "scenario",
                                                                          "scenario_name" },
                                                 NULL, error);
  g_autoptr(redisReply) last = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *tokens_path = NULL;
  g_autofree char *sha = NULL;
  const char *header_sha;

  if (meta == NULL)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    if (meta->element[i]->type != REDIS_REPLY_STRING)
      {
        g_set_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_DATA,
                     _("Redis has no exercise “%s” (%s lacks a field)"), self->exercise,
                     meta_key);
        return FALSE;
      }
  diag = wc_diagnostics_new (meta->element[3]->str);
  self->scenario = wc_scenario_load_data (meta->element[2]->str, meta->element[2]->len, NULL, diag,
                                          error);
  if (self->scenario == NULL)
    return FALSE;
  self->mirror = wc_journal_new_mirror (meta_key, meta->element[0]->str, error);
  if (self->mirror == NULL)
    return FALSE;
  header_sha = json_object_get_string_member_with_default (wc_journal_get_header (self->mirror),
                                                           "scenario_sha256", NULL);
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) meta->element[2]->str,
                                     meta->element[2]->len);
  wc_scenario_set_sha256 (self->scenario, sha);
  wc_scenario_set_path (self->scenario, meta->element[3]->str);
  if (g_strcmp0 (header_sha, sha) != 0)
    {
      g_set_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_DATA,
                   _("%s: the scenario is not the one the journal was written for"), meta_key);
      return FALSE;
    }
  self->state_dir = g_dir_make_tmp ("whitecell-relay-XXXXXX", error);
  if (self->state_dir == NULL)
    return FALSE;
  tokens_path = g_build_filename (self->state_dir, "tokens.json", NULL);
  if (!g_file_set_contents_full (tokens_path, meta->element[1]->str, meta->element[1]->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error) ||
      (self->tokens = wc_tokens_load (tokens_path, self->scenario, error)) == NULL)
    return FALSE;
  last = wc_redis_command (c, 6, (const char *[]) { "XREVRANGE", self->records_key, "+", "-",
                                                    "COUNT", "1" }, NULL, error);
  if (last == NULL)
    return FALSE;
  if (last->elements > 0 && last->element[0]->elements > 0)
    {
      const char *id = last->element[0]->element[0]->str;

      self->target_seq = g_ascii_strtoull (strchr (id, '-') ? strchr (id, '-') + 1 : id, NULL,
                                           10);
    }
  return TRUE;
}

WcRelay *
wc_relay_new (const char  *redis_url,
              const char  *exercise,
              GError     **error)
{
  g_autoptr(WcRelay) self = g_object_new (WC_TYPE_RELAY, NULL);
  g_autoptr(redisContext) c = NULL;
  g_autofree char *replies = NULL;

  if (!wc_redis_url_parse (redis_url, &self->url, error) ||
      (c = wc_redis_connect (&self->url, error)) == NULL)
    return NULL;
  self->exercise = exercise ? g_strdup (exercise) : find_exercise (c, error);
  if (self->exercise == NULL || (self->relay_id = wc_tokens_random (8, error)) == NULL)
    return NULL;
  self->records_key = wc_redis_key (self->exercise, "records");
  self->commands_key = wc_redis_key (self->exercise, "commands");
  replies = g_strconcat ("replies:", self->relay_id, NULL);
  self->replies_key = wc_redis_key (self->exercise, replies);
  if (!read_exercise (self, c, error))
    {
      g_prefix_error (error, "%s:%u: ", self->url.host, self->url.port);
      return NULL;
    }
  self->engine = wc_engine_new_replay (self->scenario);
  wc_engine_replay_set_journal (self->engine, self->mirror);
  g_signal_connect (self->engine, "record", G_CALLBACK (on_record), self);
  self->server = make_server (self);
  self->caught_up = self->target_seq == 0;
  return g_steal_pointer (&self);
}

gboolean
wc_relay_start (WcRelay          *self,
                const char       *host,
                guint             port,
                GTlsCertificate  *certificate,
                GError          **error)
{
  g_return_val_if_fail (self->records_worker == NULL, FALSE);

  if (!wc_server_listen (self->server, host, port, certificate, error))
    return FALSE;
  self->host = g_strdup (host);
  /* the port it got, so that a restart after the controller's stop takes the same */
  self->port = wc_server_get_port (self->server);
  g_set_object (&self->certificate, certificate);
  /* none connected yet: in place of whatever a relay of the same id left at the controller */
  tell_all_present (self, FALSE);
  self->heartbeat_id = g_timeout_add (self->heartbeat_ms, on_heartbeat, self);
  self->writer = wc_redis_worker_start (&self->url, "wc-relay-out", writer_step, self);
  self->replies_worker = wc_redis_worker_start (&self->url, "wc-relay-replies", replies_step,
                                                self);
  self->records_worker = wc_redis_worker_start (&self->url, "wc-relay-records", records_step,
                                                self);
  return TRUE;
}

void
wc_relay_close (WcRelay *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (WC_IS_RELAY (self));

  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  wc_redis_worker_stop (g_steal_pointer (&self->records_worker));
  wc_redis_worker_stop (g_steal_pointer (&self->replies_worker));
  if (self->writer)
    {
      /* stopped, not killed: its teams are gone from the controller's board at once, not after
       * the heartbeats it would miss (the writer sends what it has taken before it stops) */
      gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;

      tell_all_present (self, TRUE);
      while (g_async_queue_length (self->out) > 0 && g_get_monotonic_time () < deadline)
        g_usleep (10 * 1000);
    }
  wc_redis_worker_stop (g_steal_pointer (&self->writer));
  g_clear_handle_id (&self->restart_id, g_source_remove);
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Pending *p = value;

      if (p->msg == NULL)
        continue;
      g_signal_handlers_disconnect_by_data (p->msg, p);
      wc_http_reply_error (p->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "%s",
                           _("This relay has stopped: use another"));
      pending_send (p);
    }
  g_hash_table_remove_all (self->pending);
  if (self->server)
    {
      g_signal_handlers_disconnect_by_data (wc_server_get_presence (self->server), self);
      wc_server_disconnect (self->server);
    }
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
}

WcServer *wc_relay_get_server (WcRelay *self) { return self->server; }
WcEngine *wc_relay_get_engine (WcRelay *self) { return self->engine; }
const char *wc_relay_get_exercise (WcRelay *self) { return self->exercise; }
gboolean wc_relay_get_caught_up (WcRelay *self) { return self->caught_up; }
const char *wc_relay_get_error (WcRelay *self) { return self->error; }
guint wc_relay_get_reply_timeout (WcRelay *self) { return self->reply_timeout_s; }

void
wc_relay_set_reply_timeout (WcRelay *self,
                            guint    seconds)
{
  g_return_if_fail (WC_IS_RELAY (self));
  g_return_if_fail (seconds >= 1 && seconds <= WC_RELAY_REPLY_TIMEOUT_MAX_S);

  if (self->reply_timeout_s == seconds)
    return;
  self->reply_timeout_s = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLY_TIMEOUT]);
}

guint64
wc_relay_get_seq (WcRelay *self)
{
  guint n = wc_journal_get_n_records (self->mirror);

  return n > 0 ? wc_journal_get_record (self->mirror, n - 1)->seq : 0;
}
