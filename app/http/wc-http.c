/* wc-http.c: replies and request bodies, shared by the server's routes and its APIs. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-http.h"
#include "wc-json-reader.h"

static void
set_common_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
}

void
wc_http_reply_json (SoupServerMessage *msg,
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

static void
reply_error_with (SoupServerMessage *msg,
                  guint              status,
                  const char        *limit,
                  const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, message);
  if (limit)
    {
      json_builder_set_member_name (b, "limit");
      json_builder_add_string_value (b, limit);
    }
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  wc_http_reply_json (msg, status, node);
}

static void
reply_error_va (SoupServerMessage *msg,
                guint              status,
                const char        *limit,
                const char        *format,
                va_list            args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  reply_error_with (msg, status, limit, message);
}

void
wc_http_reply_error (SoupServerMessage *msg,
                     guint              status,
                     const char        *format,
                     ...)
{
  va_list args;

  va_start (args, format);
  reply_error_va (msg, status, NULL, format, args);
  va_end (args);
}

void
wc_http_reply_limit (SoupServerMessage *msg,
                     guint              status,
                     const char        *limit,
                     const char        *format,
                     ...)
{
  va_list args;

  va_start (args, format);
  reply_error_va (msg, status, limit, format, args);
  va_end (args);
}

void
wc_http_reply_engine_error (SoupServerMessage *msg,
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
      case WC_ENGINE_ERROR_DENIED: status = SOUP_STATUS_FORBIDDEN; break;
      case WC_ENGINE_ERROR_UNSUPPORTED: status = SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE; break;
      case WC_ENGINE_ERROR_CONFLICT: status = SOUP_STATUS_CONFLICT; break;
      default: break;
      }
  wc_http_reply_error (msg, status, "%s", error->message);
}

/* A reply written by Whitecell on a connection taken from libsoup: see
 * wc_http_reply_when_durable(). */
typedef struct {
  GIOStream *io;
  GSocket   *socket;
  GBytes    *bytes;
  gsize      written;
  GSource   *source;
  guint      timeout_id;
} TakenReply;

static void
taken_reply_free (TakenReply *t)
{
  if (t->source)
    {
      g_source_destroy (t->source);
      g_source_unref (t->source);
    }
  g_clear_handle_id (&t->timeout_id, g_source_remove);
  /* the socket itself (as event streams do): closing the stream libsoup gave would leave it
   * open, and closing a TLS stream would wait to say goodbye to a client that may be gone */
  if (t->socket)
    g_socket_close (t->socket, NULL);
  else
    g_io_stream_close (t->io, NULL, NULL);
  g_clear_object (&t->socket);
  g_object_unref (t->io);
  g_bytes_unref (t->bytes);
  g_free (t);
}

static gboolean taken_reply_write (GObject *stream, gpointer data);

/* Writes what the socket takes now; waits for it to take the rest, or gives up on a client
 * that does not read (the timeout): the main loop never waits for a client. */
static gboolean
taken_reply_write (GObject  *stream,
                   gpointer  data)
{
  TakenReply *t = data;
  GPollableOutputStream *out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (t->io));
  gsize size;
  const char *bytes = g_bytes_get_data (t->bytes, &size);

  while (t->written < size)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (out, bytes + t->written,
                                                             size - t->written, NULL, &error);

      if (n > 0)
        {
          t->written += n;
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) && t->source == NULL)
        {
          t->source = g_pollable_output_stream_create_source (out, NULL);
          g_source_set_callback (t->source, G_SOURCE_FUNC (taken_reply_write), t, NULL);
          g_source_attach (t->source, NULL);
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      /* the client went: nothing to tell it */
      break;
    }
  if (t->source)
    {
      /* not destroyed from its own dispatch: removed by returning G_SOURCE_REMOVE */
      g_source_unref (t->source);
      t->source = NULL;
    }
  taken_reply_free (t);
  return G_SOURCE_REMOVE;
}

static gboolean
taken_reply_timeout (gpointer data)
{
  TakenReply *t = data;

  t->timeout_id = 0;
  taken_reply_free (t);
  return G_SOURCE_REMOVE;
}

/* The response @msg holds (status, headers, body), as libsoup would have written it for a
 * connection closed after it. */
static GBytes *
serialise_response (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  guint status = soup_server_message_get_status (msg);
  GString *out = g_string_sized_new (512 + g_bytes_get_size (body));
  SoupMessageHeadersIter iter;
  const char *name, *value;

  g_string_append_printf (out, "HTTP/1.%d %u %s\r\n",
                          soup_server_message_get_http_version (msg) == SOUP_HTTP_1_0 ? 0 : 1,
                          status, soup_status_get_phrase (status));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Content-Length") != 0 &&
        g_ascii_strcasecmp (name, "Connection") != 0 &&
        g_ascii_strcasecmp (name, "Transfer-Encoding") != 0 &&
        g_ascii_strcasecmp (name, "Keep-Alive") != 0)
      g_string_append_printf (out, "%s: %s\r\n", name, value);
  g_string_append_printf (out, "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          g_bytes_get_size (body));
  if (strcmp (soup_server_message_get_method (msg), "HEAD") != 0)
    g_string_append_len (out, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return g_string_free_to_bytes (out);
}

typedef struct {
  SoupServerMessage *msg;
  GIOStream         *io;           /* the connection, taken from libsoup; or NULL */
  guint              status;
  JsonNode          *node;
  gulong             finished_id;
  gboolean           gone;
} DurableReply;

static void
durable_reply_free (gpointer data)
{
  DurableReply *r = data;

  g_clear_signal_handler (&r->finished_id, r->msg);
  g_clear_object (&r->io);
  g_object_unref (r->msg);
  json_node_unref (r->node);
  g_free (r);
}

/* libsoup emits "finished" on the message before "request-finished" or "request-aborted" on the
 * server: a client that went while the journal was syncing gets no reply written into the void. */
static void
on_durable_msg_finished (SoupServerMessage *msg,
                         DurableReply      *r)
{
  r->gone = TRUE;
}

static void
durable_reply_cb (WcEngine     *engine,
                  const GError *error,
                  gpointer      user_data)
{
  DurableReply *r = user_data;

  if (r->gone)
    return;
  g_clear_signal_handler (&r->finished_id, r->msg);
  if (error)
    wc_http_reply_engine_error (r->msg, error);
  else
    wc_http_reply_json (r->msg, r->status, r->node);
  if (r->io == NULL)
    soup_server_message_unpause (r->msg);
  else
    wc_http_write_taken (r->msg, g_steal_pointer (&r->io));
}

GIOStream *
wc_http_take_connection (SoupServerMessage *msg)
{
  /* an HTTP/2 connection carries other requests too */
  if (soup_server_message_get_http_version (msg) >= SOUP_HTTP_2_0)
    return NULL;
  return soup_server_message_steal_connection (msg);
}

void
wc_http_write_taken (SoupServerMessage *msg,
                     GIOStream         *io)
{
  TakenReply *t = g_new0 (TakenReply, 1);
  GSocket *socket = wc_http_get_socket (msg);
  GOutputStream *out = g_io_stream_get_output_stream (io);
  guint timeout_s;

  t->io = io;
  t->socket = socket ? g_object_ref (socket) : NULL;
  if (!G_IS_POLLABLE_OUTPUT_STREAM (out) ||
      !g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (out)))
    {
      /* never so for a socket or TLS; were it so, the client would be told nothing rather than
       * the main loop wait for it */
      g_warning ("A reply's connection cannot be written to without waiting");
      t->bytes = g_bytes_new (NULL, 0);
      taken_reply_free (t);
      return;
    }
  t->bytes = serialise_response (msg);
  timeout_s = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (msg), "wc-http-reply-timeout"));
  /* not g_timeout_add_seconds(), which may end it up to a second early */
  t->timeout_id = g_timeout_add ((timeout_s ? timeout_s : WC_HTTP_REPLY_TIMEOUT_S) * 1000,
                                 taken_reply_timeout, t);
  taken_reply_write (NULL, t);
}

void
wc_http_reply_when_durable (WcEngine          *engine,
                            SoupServerMessage *msg,
                            guint              status,
                            JsonNode          *node)
{
  DurableReply *r = g_new0 (DurableReply, 1);

  r->msg = g_object_ref (msg);
  r->status = status;
  r->node = node;
  r->io = wc_http_take_connection (msg);
  if (r->io == NULL)
    {
      r->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_durable_msg_finished), r);
      soup_server_message_pause (msg);
    }
  wc_engine_when_durable (engine, durable_reply_cb, r, durable_reply_free);
}

gboolean
wc_http_require_method (SoupServerMessage *msg,
                        const char        *method)
{
  const char *asked = soup_server_message_get_method (msg);

  if (strcmp (asked, method) == 0 || (strcmp (method, "GET") == 0 && strcmp (asked, "HEAD") == 0))
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", method);
  wc_http_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Use %s here"), method);
  return FALSE;
}

void
wc_http_set_reply_timeout (SoupServerMessage *msg,
                           guint              seconds)
{
  g_object_set_data (G_OBJECT (msg), "wc-http-reply-timeout", GUINT_TO_POINTER (seconds));
}

GSocket *
wc_http_get_socket (SoupServerMessage *msg)
{
  GSocket *socket = g_object_get_data (G_OBJECT (msg), "wc-http-socket");

  return socket ? socket : soup_server_message_get_socket (msg);
}

void
wc_http_set_socket (SoupServerMessage *msg,
                    GSocket           *socket)
{
  g_object_set_data_full (G_OBJECT (msg), "wc-http-socket", g_object_ref (socket),
                          g_object_unref);
}

JsonObject *
wc_http_read_json_body (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WcJsonDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  WcJsonPos pos = { 0, 0 };
  JsonNode *root;

  if (body->length > 0 && g_strcmp0 (type, "application/json") != 0)
    {
      wc_http_reply_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                           _("The body must be JSON (Content-Type: application/json)"));
      return NULL;
    }
  if (body->length == 0)
    return json_object_new ();
  /* The project's strict reader first: json-glib recurses once per level without a limit (a
   * body nested 130,000 deep overflows the stack) and takes comments and 'single quotes'. */
  doc = wc_json_document_parse (body->data, body->length, &pos, &error);
  if (doc == NULL)
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                           _("The body is not valid JSON: line %u, column %u: %s"),
                           pos.line, pos.column, error->message);
      return NULL;
    }
  if (!g_utf8_validate (body->data, body->length, NULL) ||
      !json_parser_load_from_data (parser, body->data, body->length, &error))
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("The body is not valid JSON: %s"),
                           error ? error->message : _("invalid UTF-8"));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("The body must be a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

gboolean
wc_http_get_idempotency_key (SoupServerMessage  *msg,
                             const char        **key)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* sent twice, the header is both values joined by a comma, which no key has: refused */
  *key = soup_message_headers_get_list (headers, "Idempotency-Key");
  if (*key == NULL || wc_engine_key_is_valid (*key))
    return TRUE;
  wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                       _("The Idempotency-Key header must be 1 to 64 letters, digits, “.”, “_” "
                         "or “-”"));
  return FALSE;
}

const char *
wc_http_get_string (JsonObject *body,
                    const char *name,
                    gboolean   *bad)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *bad = TRUE;
      return NULL;
    }
  return json_node_get_string (node);
}
