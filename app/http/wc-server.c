/* wc-server.c: the embedded HTTP server: listening, routing, tokens, limits; it owns the event
 * streams (wc-sse.c) and presence (wc-presence.c), and hands the APIs their requests. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include <libsoup/soup.h>

#include "wc-http.h"
#include "wc-server-api.h"
#include "wc-server-control.h"
#include "wc-server.h"
#include "wc-sse.h"

typedef struct {
  double tokens;
  gint64 updated_us;
} RateBucket;

struct _WcServer {
  GObject         parent_instance;

  WcEngine       *engine;
  WcTokens       *tokens;
  WcPresence     *presence;
  WcSse          *sse;
  SoupServer     *soup;
  WcServerLimits  limits;
  char           *public_host;
  char           *listen_host;
  guint           port;
  gboolean        tls;

  GHashTable     *buckets;      /* token → RateBucket */
  guint           keepalive_id;
};

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
wc_server_dispose (GObject *object)
{
  WcServer *self = WC_SERVER (object);

  wc_server_disconnect (self);
  if (self->presence)
    g_signal_handlers_disconnect_by_data (self->presence, self);
  g_clear_object (&self->sse);
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
  g_clear_object (&self->presence);
  g_hash_table_unref (self->buckets);
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
}

void
wc_server_set_limits (WcServer             *self,
                      const WcServerLimits *limits)
{
  self->limits = *limits;
  wc_sse_set_max_backlog (self->sse, limits->max_stream_backlog);
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
      wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("Not found"));
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
  wc_http_reply_json (msg, SOUP_STATUS_OK, node);
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
      wc_http_reply_error (msg, SOUP_STATUS_UNAUTHORIZED,
                           _("A token is needed (Authorization: Bearer TOKEN)"));
      return;
    }
  if (is_control ? !wc_tokens_is_controller (self->tokens, token)
                 : (team = wc_tokens_find_team (self->tokens, token)) == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate",
                                    "Bearer realm=\"whitecell\", error=\"invalid_token\"");
      wc_http_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, _("This token is not valid here"));
      return;
    }
  if (!rate_allows (self, token))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      wc_http_reply_error (msg, WC_STATUS_TOO_MANY_REQUESTS,
                           _("Too many requests; slow down and try again in a second"));
      return;
    }
  if (team)
    wc_presence_touch (self->presence, team, 0);
  handled = is_control
    ? wc_server_control_handle (self->engine, self->sse, self->presence, msg, parts + 1, query)
    : wc_server_api_handle (self->engine, self->sse, msg, team, parts, query);
  if (!handled)
    wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such resource"));
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
      wc_http_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                           _("The body is larger than %zu bytes"),
                           self->limits.max_body);
      return;
    }
  if (strcmp (path, "/healthz") == 0)
    {
      if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0)
        wc_http_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Use GET"));
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
      wc_http_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Use GET"));
      return;
    }
  if (g_strv_length (parts) == 2 && strcmp (parts[0], "t") == 0)
    {
      /* The page itself tells nothing; still, an unknown token gets no page. */
      if (wc_tokens_find_team (self->tokens, parts[1]) == NULL)
        wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such team page"));
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
        wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("Not found"));
      return;
    }
  wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("Not found"));
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
    wc_http_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                         _("The body is larger than %zu bytes"),
                         self->limits.max_body);
}

static void
on_request_done (SoupServer        *soup,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  WcServer *self = user_data;

  wc_sse_forget (self->sse, msg);
}

static void
on_presence_changed (WcPresence *presence,
                     const char *team_id,
                     WcServer   *self)
{
  g_signal_emit (self, signals[PRESENCE_CHANGED], 0, team_id);
}

/* The join URLs that presence hands out follow where the server listens. */
static void
update_base_url (WcServer *self)
{
  g_autofree char *base = wc_server_get_base_url (self);

  wc_presence_set_base_url (self->presence, base);
}

static gboolean
keepalive_cb (gpointer user_data)
{
  wc_sse_keepalive (WC_SERVER (user_data)->sse);
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
  self->presence = wc_presence_new (tokens);
  g_signal_connect (self->presence, "presence-changed", G_CALLBACK (on_presence_changed), self);
  self->sse = wc_sse_new (engine, self->presence);
  wc_sse_set_max_backlog (self->sse, self->limits.max_stream_backlog);
  update_base_url (self);
  /* Many teams answer at once: their records share one sync per main-loop turn. */
  wc_engine_set_group_commit (engine, TRUE);
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
  update_base_url (self);
  self->keepalive_id = g_timeout_add_seconds (MAX (1, self->limits.keepalive_seconds),
                                              keepalive_cb, self);
  return TRUE;
}

void
wc_server_disconnect (WcServer *self)
{
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  if (self->sse)
    wc_sse_close_all (self->sse);
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
  update_base_url (self);
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
  return wc_presence_get_join_url (self->presence, team_id);
}

guint
wc_server_get_port (WcServer *self)
{
  return self->port;
}

WcPresence *
wc_server_get_presence (WcServer *self)
{
  g_return_val_if_fail (WC_IS_SERVER (self), NULL);

  return self->presence;
}

gboolean
wc_server_is_team_connected (WcServer   *self,
                             const char *team_id)
{
  return wc_presence_is_team_connected (self->presence, team_id);
}

gint64
wc_server_get_team_last_seen (WcServer   *self,
                              const char *team_id)
{
  return wc_presence_get_team_last_seen (self->presence, team_id);
}

guint
wc_server_get_n_streams (WcServer *self)
{
  return wc_sse_get_n_streams (self->sse);
}
