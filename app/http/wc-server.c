/* wc-server.c: the embedded HTTP server: listening, routing, tokens, limits, replies. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-server-private.h"

G_DEFINE_QUARK (wc-server-error-quark, wc_server_error)

G_DEFINE_FINAL_TYPE (WcServer, wc_server, G_TYPE_OBJECT)

#define WEB_RESOURCES "/be/whitecell/Whitecell/web/"
/* libsoup 3.2 has no name for it */
#define WC_STATUS_TOO_MANY_REQUESTS 429

/* Generated from ui/web/web.gresource.xml; naming it keeps its object in the static library. */
GResource *wc_web_get_resource (void);

enum {
  PRESENCE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
stream_free (gpointer data)
{
  WcStream *stream = data;

  g_free (stream->team);
  g_free (stream->lang);
  g_free (stream);
}

static void
wc_server_dispose (GObject *object)
{
  WcServer *self = WC_SERVER (object);

  wc_server_disconnect (self);
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  G_OBJECT_CLASS (wc_server_parent_class)->dispose (object);
}

static void
wc_server_finalize (GObject *object)
{
  WcServer *self = WC_SERVER (object);

  g_clear_object (&self->soup);
  g_clear_object (&self->engine);
  g_clear_object (&self->tokens);
  g_free (self->public_host);
  g_free (self->listen_host);
  g_hash_table_unref (self->buckets);
  g_hash_table_unref (self->presence);
  g_ptr_array_unref (self->pending_deliveries);
  g_hash_table_unref (self->team_streams);
  g_ptr_array_unref (self->control_streams);
  g_hash_table_unref (self->streams);
  g_hash_table_unref (self->live_msgs);
  G_OBJECT_CLASS (wc_server_parent_class)->finalize (object);
}

static void
wc_server_class_init (WcServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_server_dispose;
  object_class->finalize = wc_server_finalize;

  signals[PRESENCE_CHANGED] =
    g_signal_new ("presence-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

void
wc_server_get_default_limits (WcServerLimits *limits)
{
  limits->max_body = 128 * 1024;
  limits->rate_per_second = 20;
  limits->rate_burst = 60;
  limits->max_stream_backlog = 1024 * 1024;
  limits->keepalive_seconds = 10;
  limits->listen_backlog = 4096;
}

static void
wc_server_init (WcServer *self)
{
  wc_server_get_default_limits (&self->limits);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->presence = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->streams = g_hash_table_new_full (NULL, NULL, NULL, stream_free);
  self->team_streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_ptr_array_unref);
  self->control_streams = g_ptr_array_new ();
  self->pending_deliveries = g_ptr_array_new_with_free_func (g_free);
  self->live_msgs = g_hash_table_new (NULL, NULL);
}

void
wc_server_set_limits (WcServer             *self,
                      const WcServerLimits *limits)
{
  self->limits = *limits;
}

/* Replies ------------------------------------------------------------------------------------- */

static void
set_common_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
}

void
wc_server_reply_json (SoupServerMessage *msg,
                      guint              status,
                      JsonNode          *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &length);
  set_common_headers (msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, length);
}

void
wc_server_reply_error (SoupServerMessage *msg,
                       guint              status,
                       const char        *format,
                       ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  wc_server_reply_json (msg, status, node);
}

void
wc_server_reply_engine_error (SoupServerMessage *msg,
                              const GError      *error)
{
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;

  if (error->domain == WC_ENGINE_ERROR)
    switch (error->code)
      {
      case WC_ENGINE_ERROR_STATE: status = SOUP_STATUS_CONFLICT; break;
      case WC_ENGINE_ERROR_NOT_FOUND: status = SOUP_STATUS_NOT_FOUND; break;
      case WC_ENGINE_ERROR_INVALID: status = SOUP_STATUS_BAD_REQUEST; break;
      case WC_ENGINE_ERROR_JOURNAL: status = SOUP_STATUS_SERVICE_UNAVAILABLE; break;
      default: break;
      }
  wc_server_reply_error (msg, status, "%s", error->message);
}

typedef struct {
  WcServer          *server;
  SoupServerMessage *msg;
  guint              status;
  JsonNode          *node;
} DurableReply;

static void
durable_reply_free (gpointer data)
{
  DurableReply *r = data;

  g_object_unref (r->server);
  g_object_unref (r->msg);
  json_node_unref (r->node);
  g_free (r);
}

static void
durable_reply_cb (WcEngine     *engine,
                  const GError *error,
                  gpointer      user_data)
{
  DurableReply *r = user_data;

  /* The client may have gone while the journal was syncing. */
  if (!g_hash_table_remove (r->server->live_msgs, r->msg))
    return;
  if (error)
    wc_server_reply_engine_error (r->msg, error);
  else
    wc_server_reply_json (r->msg, r->status, r->node);
  soup_server_message_unpause (r->msg);
}

void
wc_server_reply_when_durable (WcServer          *self,
                              SoupServerMessage *msg,
                              guint              status,
                              JsonNode          *node)
{
  DurableReply *r = g_new0 (DurableReply, 1);

  r->server = g_object_ref (self);
  r->msg = g_object_ref (msg);
  r->status = status;
  r->node = node;
  g_hash_table_add (self->live_msgs, msg);
  soup_server_message_pause (msg);
  wc_engine_when_durable (self->engine, durable_reply_cb, r, durable_reply_free);
}

JsonObject *
wc_server_read_json_body (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (body->length > 0 && g_strcmp0 (type, "application/json") != 0)
    {
      wc_server_reply_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                             _("The body must be JSON (Content-Type: application/json)"));
      return NULL;
    }
  if (body->length == 0)
    return json_object_new ();
  if (!g_utf8_validate (body->data, body->length, NULL) ||
      !json_parser_load_from_data (parser, body->data, body->length, &error))
    {
      wc_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("The body is not valid JSON: %s"),
                             error ? error->message : _("invalid UTF-8"));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      wc_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("The body must be a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

const char *
wc_server_pick_language (WcServer   *self,
                         GHashTable *query,
                         const char *team_id)
{
  WcScenario *scenario = wc_engine_get_scenario (self->engine);
  const char *const *offered = wc_scenario_get_languages (scenario);
  const char *asked = query ? g_hash_table_lookup (query, "lang") : NULL;
  const WcTeam *team = wc_scenario_find_team (scenario, team_id);

  for (guint i = 0; asked && offered[i]; i++)
    if (strcmp (offered[i], asked) == 0)
      return offered[i];
  if (team && team->language)
    return team->language;
  return wc_scenario_get_default_language (scenario);
}

/* Tokens and limits ------------------------------------------------------------------------- */

static char *
request_token (SoupServerMessage *msg,
               GHashTable        *query,
               gboolean           allow_query)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (auth && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    return g_strstrip (g_strdup (auth + 7));
  /* A browser's EventSource and a download link cannot send a header. */
  if (allow_query && query && g_hash_table_lookup (query, "access_token"))
    return g_strdup (g_hash_table_lookup (query, "access_token"));
  return NULL;
}

static gboolean
rate_allows (WcServer   *self,
             const char *token)
{
  RateBucket *bucket = g_hash_table_lookup (self->buckets, token);
  gint64 now = g_get_monotonic_time ();

  if (bucket == NULL)
    {
      bucket = g_new0 (RateBucket, 1);
      bucket->tokens = self->limits.rate_burst;
      bucket->updated_us = now;
      g_hash_table_insert (self->buckets, g_strdup (token), bucket);
    }
  bucket->tokens = MIN (self->limits.rate_burst,
                        bucket->tokens + (now - bucket->updated_us) / 1e6 *
                                         self->limits.rate_per_second);
  bucket->updated_us = now;
  if (bucket->tokens < 1)
    return FALSE;
  bucket->tokens -= 1;
  return TRUE;
}

static gboolean
flush_deliveries (gpointer user_data)
{
  WcServer *self = user_data;
  g_autoptr(GPtrArray) pending = g_steal_pointer (&self->pending_deliveries);

  self->deliveries_idle_id = 0;
  self->pending_deliveries = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i + 1 < pending->len; i += 2)
    wc_engine_mark_delivered (self->engine, g_ptr_array_index (pending, i),
                              g_ptr_array_index (pending, i + 1), "sse", NULL);
  return G_SOURCE_REMOVE;
}

void
wc_server_note_delivered (WcServer   *self,
                          const char *inject,
                          const char *team)
{
  g_ptr_array_add (self->pending_deliveries, g_strdup (inject));
  g_ptr_array_add (self->pending_deliveries, g_strdup (team));
  /* After the events themselves have been written to a thousand sockets. */
  if (self->deliveries_idle_id == 0)
    self->deliveries_idle_id = g_idle_add_full (G_PRIORITY_LOW, flush_deliveries, self, NULL);
}

void
wc_server_touch_team (WcServer   *self,
                      const char *team,
                      int         stream_delta)
{
  Presence *p = g_hash_table_lookup (self->presence, team);
  gboolean was_connected, connected;

  if (p == NULL)
    {
      p = g_new0 (Presence, 1);
      g_hash_table_insert (self->presence, g_strdup (team), p);
    }
  was_connected = p->n_streams > 0;
  p->n_streams += stream_delta;
  p->last_seen = g_get_real_time ();
  connected = p->n_streams > 0;
  if (was_connected != connected)
    g_signal_emit (self, signals[PRESENCE_CHANGED], 0, team);
}

/* Routing ------------------------------------------------------------------------------------ */

static void
serve_resource (SoupServerMessage *msg,
                const char        *name,
                const char        *content_type)
{
  g_autofree char *path = g_strconcat (WEB_RESOURCES, name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize size;
  const char *data;

  if (bytes == NULL)
    {
      wc_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("Not found"));
      return;
    }
  data = g_bytes_get_data (bytes, &size);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                                "frame-ancestors 'none'; base-uri 'none'");
  soup_message_headers_replace (headers, "Cache-Control",
                                g_str_has_prefix (content_type, "text/html") ? "no-store"
                                                                             : "max-age=300");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, size);
}

static void
handle_healthz (WcServer          *self,
                SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, wc_engine_state_to_string (wc_engine_get_state (self->engine)));
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  wc_server_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
handle_api (WcServer          *self,
            SoupServerMessage *msg,
            char             **parts,  /* after "api", "v1" */
            GHashTable        *query)
{
  gboolean is_control = parts[0] && strcmp (parts[0], "control") == 0;
  /* Only the event stream and attachments may carry the token in the query. */
  gboolean allow_query = g_strv_length (parts) >= 1 &&
                         (strcmp (parts[0], "events") == 0 ||
                          (is_control && parts[1] && strcmp (parts[1], "events") == 0) ||
                          (parts[0] && strcmp (parts[0], "injects") == 0 && parts[1] &&
                           parts[2] && strcmp (parts[2], "attachments") == 0));
  g_autofree char *token = request_token (msg, query, allow_query);
  const char *team = NULL;
  gboolean handled;

  if (token == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"whitecell\"");
      wc_server_reply_error (msg, SOUP_STATUS_UNAUTHORIZED,
                             _("A token is needed (Authorization: Bearer TOKEN)"));
      return;
    }
  if (is_control ? !wc_tokens_is_controller (self->tokens, token)
                 : (team = wc_tokens_find_team (self->tokens, token)) == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate",
                                    "Bearer realm=\"whitecell\", error=\"invalid_token\"");
      wc_server_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, _("This token is not valid here"));
      return;
    }
  if (!rate_allows (self, token))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      wc_server_reply_error (msg, WC_STATUS_TOO_MANY_REQUESTS,
                             _("Too many requests; slow down and try again in a second"));
      return;
    }
  if (team)
    wc_server_touch_team (self, team, 0);
  handled = is_control ? wc_server_handle_control (self, msg, parts + 1, query)
                       : wc_server_handle_team (self, msg, team, parts, query);
  if (!handled)
    wc_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such resource"));
}

static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  WcServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_auto(GStrv) parts = NULL;

  if (body->length > 0 && (gsize) body->length > self->limits.max_body)
    {
      wc_server_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                             _("The body is larger than %zu bytes"),
                             self->limits.max_body);
      return;
    }
  if (strcmp (path, "/healthz") == 0)
    {
      if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0)
        wc_server_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Use GET"));
      else
        handle_healthz (self, msg);
      return;
    }
  parts = g_strsplit (path + 1, "/", 0);
  if (parts[0] && strcmp (parts[0], "api") == 0 && parts[1] && strcmp (parts[1], "v1") == 0)
    {
      handle_api (self, msg, parts + 2, query);
      return;
    }
  if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0)
    {
      wc_server_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Use GET"));
      return;
    }
  if (g_strv_length (parts) == 2 && strcmp (parts[0], "t") == 0)
    {
      /* The page itself tells nothing; still, an unknown token gets no page. */
      if (wc_tokens_find_team (self->tokens, parts[1]) == NULL)
        wc_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such team page"));
      else
        serve_resource (msg, "index.html", "text/html; charset=utf-8");
      return;
    }
  if (g_strv_length (parts) == 2 && strcmp (parts[0], "static") == 0)
    {
      if (strcmp (parts[1], "app.js") == 0)
        serve_resource (msg, "app.js", "text/javascript; charset=utf-8");
      else if (strcmp (parts[1], "style.css") == 0)
        serve_resource (msg, "style.css", "text/css; charset=utf-8");
      else
        wc_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("Not found"));
      return;
    }
  wc_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("Not found"));
}

/* A body over the limit is refused before it is read. */
static void
handle_early (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  WcServer *self = user_data;
  goffset length = soup_message_headers_get_content_length (
                     soup_server_message_get_request_headers (msg));

  if (length > 0 && (gsize) length > self->limits.max_body)
    wc_server_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                           _("The body is larger than %zu bytes"),
                           self->limits.max_body);
}

static void
on_request_done (SoupServer        *soup,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  WcServer *self = user_data;
  WcStream *stream = g_hash_table_lookup (self->streams, msg);

  g_hash_table_remove (self->live_msgs, msg);
  if (stream)
    {
      g_autofree char *team = g_strdup (stream->team);
      GPtrArray *list = team ? g_hash_table_lookup (self->team_streams, team)
                             : self->control_streams;

      g_ptr_array_remove_fast (list, stream);
      g_hash_table_remove (self->streams, msg);
      if (team)
        wc_server_touch_team (self, team, -1);
    }
}

static void
on_engine_record (WcEngine   *engine,
                  guint64     seq,
                  WcRecordType type,
                  JsonObject *data,
                  gint64      t_ms,
                  WcServer   *self)
{
  wc_server_streams_on_record (self, seq, type, data, t_ms);
}

static gboolean
keepalive_cb (gpointer user_data)
{
  wc_server_streams_keepalive (user_data);
  return G_SOURCE_CONTINUE;
}

WcServer *
wc_server_new (WcEngine *engine,
               WcTokens *tokens)
{
  WcServer *self = g_object_new (WC_TYPE_SERVER, NULL);

  g_return_val_if_fail (wc_web_get_resource () != NULL, NULL);
  self->engine = g_object_ref (engine);
  self->tokens = g_object_ref (tokens);
  /* Many teams answer at once: their records share one sync per main-loop turn. */
  wc_engine_set_group_commit (engine, TRUE);
  g_signal_connect (engine, "record", G_CALLBACK (on_engine_record), self);
  return self;
}

gboolean
wc_server_listen (WcServer         *self,
                  const char       *host,
                  guint             port,
                  GTlsCertificate  *certificate,
                  GError          **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self->soup == NULL, FALSE);
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, WC_SERVER_ERROR, WC_SERVER_ERROR_LISTEN,
                   _("“%s” is not an IP address to listen on (e.g. 127.0.0.1 or 0.0.0.0)"), host);
      return FALSE;
    }
  self->soup = soup_server_new ("server-header", "Whitecell/" PACKAGE_VERSION " ", NULL);
  if (certificate)
    g_object_set (self->soup, "tls-certificate", certificate, NULL);
  soup_server_add_early_handler (self->soup, NULL, handle_early, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_done), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_done), self);

  /* Every team connects at once when an exercise starts or the controller's machine comes
   * back: GSocket's default backlog of 10 would leave them retrying SYNs for seconds. */
  socket_address = g_inet_socket_address_new (address, port);
  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &local_error);
  if (socket)
    g_socket_set_listen_backlog (socket, self->limits.listen_backlog);
  if (socket == NULL || !g_socket_bind (socket, socket_address, TRUE, &local_error) ||
      !g_socket_listen (socket, &local_error) ||
      !soup_server_listen_socket (self->soup, socket, certificate ? SOUP_SERVER_LISTEN_HTTPS : 0,
                                  &local_error))
    {
      g_set_error (error, WC_SERVER_ERROR, WC_SERVER_ERROR_LISTEN,
                   _("Cannot listen on %s:%u: %s"), host, port, local_error->message);
      g_clear_object (&self->soup);
      return FALSE;
    }
  bound = g_socket_get_local_address (socket, NULL);
  self->port = bound ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : port;
  self->tls = certificate != NULL;
  g_free (self->listen_host);
  self->listen_host = g_strdup (host);
  self->keepalive_id = g_timeout_add_seconds (MAX (1, self->limits.keepalive_seconds),
                                              keepalive_cb, self);
  return TRUE;
}

void
wc_server_disconnect (WcServer *self)
{
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  if (self->deliveries_idle_id)
    {
      g_clear_handle_id (&self->deliveries_idle_id, g_source_remove);
      flush_deliveries (self);
    }
  wc_server_close_streams (self);
  if (self->soup)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      soup_server_disconnect (self->soup);
    }
}

void
wc_server_set_public_host (WcServer   *self,
                           const char *host)
{
  g_free (self->public_host);
  self->public_host = g_strdup (host);
}

char *
wc_server_get_base_url (WcServer *self)
{
  const char *host = self->public_host ? self->public_host : self->listen_host;
  gboolean v6;

  if (host == NULL || strcmp (host, "0.0.0.0") == 0 || strcmp (host, "::") == 0)
    host = g_get_host_name ();
  v6 = strchr (host, ':') != NULL;
  return g_strdup_printf ("%s://%s%s%s:%u", self->tls ? "https" : "http", v6 ? "[" : "", host,
                          v6 ? "]" : "", self->port);
}

char *
wc_server_get_join_url (WcServer   *self,
                        const char *team_id)
{
  const char *token = wc_tokens_get_team_token (self->tokens, team_id);
  g_autofree char *base = NULL;

  if (token == NULL)
    return NULL;
  base = wc_server_get_base_url (self);
  return g_strdup_printf ("%s/t/%s", base, token);
}

guint
wc_server_get_port (WcServer *self)
{
  return self->port;
}

gboolean
wc_server_is_team_connected (WcServer   *self,
                             const char *team_id)
{
  Presence *p = g_hash_table_lookup (self->presence, team_id);

  return p && p->n_streams > 0;
}

gint64
wc_server_get_team_last_seen (WcServer   *self,
                              const char *team_id)
{
  Presence *p = g_hash_table_lookup (self->presence, team_id);

  return p ? p->last_seen : 0;
}

guint
wc_server_get_n_streams (WcServer *self)
{
  return g_hash_table_size (self->streams);
}
