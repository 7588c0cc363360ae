/* bare-sse.c: the baseline for outside-fanout.py: a libsoup 3.2 server as a plain libsoup program
 * would write one, holding event streams (chunked, text/event-stream) and, on a POST to /fire,
 * writing one event to every held stream: soup_message_body_append + soup_server_message_unpause,
 * nothing else. Whitecell's fan-out is measured against it from the same outside client.
 *
 * Usage: bare-sse [HOST:]PORT (127.0.0.1:0 unless given: a free port). Prints
 * "bare-sse: listening on http://HOST:PORT/" once it accepts. GET any path but /fire: a stream,
 * whose first event is "event: hello"; POST /fire with a body: "event: inject", data the body
 * (one line), to every stream; its answer says how many. */
#include "config.h"

#include <glib-unix.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static GHashTable *streams;  /* SoupServerMessage* (ref) */

static void
on_finished (SoupServerMessage *msg,
             gpointer           user_data)
{
  /* a client gone: its message is never written to again */
  g_hash_table_remove (streams, msg);
}

static void
hold_stream (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  static const char hello[] = "retry: 2000\n\nevent: hello\ndata: {}\n\n";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  /* a stream's body would otherwise grow for as long as the stream lives */
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, hello, sizeof hello - 1);
  g_hash_table_add (streams, g_object_ref (msg));
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), NULL);
}

static void
fire (SoupServerMessage *msg)
{
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) data = soup_message_body_flatten (request);
  g_autofree char *line = g_strndup (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  g_autofree char *event = NULL;
  g_autofree char *reply = NULL;
  GHashTableIter iter;
  gpointer key;
  gsize length;

  /* SSE data is one line here: a newline in the body would end the event early */
  g_strdelimit (line, "\r\n", ' ');
  event = g_strdup_printf ("event: inject\ndata: %s\n\n", line);
  length = strlen (event);
  g_hash_table_iter_init (&iter, streams);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      SoupServerMessage *stream = key;

      soup_message_body_append (soup_server_message_get_response_body (stream),
                                SOUP_MEMORY_COPY, event, length);
      soup_server_message_unpause (stream);
    }
  reply = g_strdup_printf ("{\"streams\": %u}\n", g_hash_table_size (streams));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, reply,
                                    strlen (reply));
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  const char *method = soup_server_message_get_method (msg);

  if (strcmp (path, "/fire") == 0)
    {
      if (strcmp (method, "POST") == 0)
        fire (msg);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    }
  else if (strcmp (method, "GET") == 0)
    hold_stream (msg);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
}

static gboolean
quit (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  const char *spec = argc > 1 ? argv[1] : "127.0.0.1:0";
  const char *colon = strrchr (spec, ':');
  g_autofree char *host = colon ? g_strndup (spec, colon - spec) : g_strdup ("127.0.0.1");
  const char *port_text = colon ? colon + 1 : spec;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  struct rlimit limit = { 0, 0 };
  char *end;
  long port = strtol (port_text, &end, 10);

  if (argc > 2 || *port_text == '\0' || *end != '\0' || port < 0 || port > 65535 ||
      (address = g_inet_address_new_from_string (*host ? host : "127.0.0.1")) == NULL)
    {
      fprintf (stderr, "Usage: bare-sse [HOST:]PORT (an IP address and a port, 0 for any)\n");
      return 2;
    }
  /* every held stream is a descriptor: as many as the hard limit allows */
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
  streams = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  server = soup_server_new ("server-header", "bare-sse ", NULL);
  soup_server_add_handler (server, NULL, handler, NULL, NULL);
  /* Whitecell's listen backlog (wc-limits.c): a connect storm meets the same queue */
  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &error);
  bound = g_inet_socket_address_new (address, (guint16) port);
  if (socket == NULL)
    g_error ("bare-sse: %s", error->message);
  g_socket_set_listen_backlog (socket, 4096);
  if (!g_socket_bind (socket, bound, TRUE, &error) || !g_socket_listen (socket, &error) ||
      !soup_server_listen_socket (server, socket, 0, &error))
    {
      fprintf (stderr, "bare-sse: cannot listen on %s: %s\n", spec, error->message);
      return 1;
    }
  local = g_socket_get_local_address (socket, &error);
  if (local == NULL)
    g_error ("bare-sse: %s", error->message);
  {
    g_autofree char *text = g_inet_address_to_string (address);

    printf ("bare-sse: listening on http://%s:%u/ (file limit %lu)\n", text,
            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)),
            (unsigned long) limit.rlim_cur);
    fflush (stdout);
  }
  /* SIGTERM, as outside-fanout.py stops it: a clean exit, the streams closed */
  g_unix_signal_add (SIGTERM, quit, loop);
  g_unix_signal_add (SIGINT, quit, loop);
  g_main_loop_run (loop);
  soup_server_disconnect (server);
  g_hash_table_unref (streams);
  return 0;
}
