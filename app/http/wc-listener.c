/* wc-listener.c: the server's accept loop, connection caps, header timeout and recovery after
 * the process ran out of file descriptors. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "wc-http.h"
#include "wc-listener.h"

/* One accepted connection, known by its peer's "address:port". */
typedef struct {
  GSocket *socket;
  char    *address;      /* the peer's address without the port, for the per-address cap */
  gint64   idle_since;   /* monotonic µs since which no request is under way */
  guint    busy;         /* requests whose headers arrived and that are not over */
} Conn;

struct _WcListener {
  GObject          parent_instance;

  SoupServer      *soup;
  GSocket         *socket;
  GTlsCertificate *certificate;
  GSource         *accept_source;
  guint            retry_id;
  guint            sweep_id;
  /* kept open so that, out of descriptors, one can be given up to accept and close a waiting
   * client at once rather than leave it hanging in the backlog */
  int              spare_fd;

  GHashTable      *conns;         /* "address:port" → Conn */
  GHashTable      *per_address;   /* address → count */
  guint            max_connections;
  guint            max_per_address;
  guint            header_timeout_s;
  guint            n_refused;
  guint            n_fd_exhausted;
};

G_DEFINE_FINAL_TYPE (WcListener, wc_listener, G_TYPE_OBJECT)

#define ACCEPT_RETRY_MS 100
#define ACCEPTS_PER_WAKEUP 64

static void
conn_free (gpointer data)
{
  Conn *conn = data;

  g_object_unref (conn->socket);
  g_free (conn->address);
  g_free (conn);
}

static char *
address_key (GSocketAddress *address,
             gboolean        with_port)
{
  g_autofree char *host = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("?");
  host = g_inet_address_to_string (
           g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  if (!with_port)
    return g_steal_pointer (&host);
  return g_strdup_printf ("%s:%u", host,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}

static void
count_address (WcListener *self,
               const char *address,
               int         delta)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, address)) + delta;

  if (n == 0)
    g_hash_table_remove (self->per_address, address);
  else
    g_hash_table_insert (self->per_address, g_strdup (address), GUINT_TO_POINTER (n));
}

/* Forgets connections that libsoup has closed; closes those that sent nothing in time. */
static void
sweep (WcListener *self,
       gboolean    timeouts)
{
  GHashTableIter iter;
  gpointer value;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Conn *conn = value;

      if (g_socket_is_closed (conn->socket))
        {
          count_address (self, conn->address, -1);
          g_hash_table_iter_remove (&iter);
        }
      /* A shutdown, not a close: libsoup still owns the descriptor and sees the end itself. */
      else if (timeouts && self->header_timeout_s > 0 && conn->busy == 0 &&
               now - conn->idle_since > self->header_timeout_s * G_USEC_PER_SEC)
        {
          g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
          conn->idle_since = G_MAXINT64 / 2;
        }
    }
}

static gboolean
sweep_cb (gpointer user_data)
{
  sweep (user_data, TRUE);
  return G_SOURCE_CONTINUE;
}

/* Tells a client over a cap why, if that fits in the socket's buffer at once. */
static void
refuse (WcListener *self,
        GSocket    *client)
{
  static const char reply[] = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\n"
                              "Content-Type: application/json\r\nContent-Length: 54\r\n"
                              "Connection: close\r\n\r\n"
                              "{\"error\": \"Too many connections\", \"limit\": \"connections\"}";

  self->n_refused++;
  /* In TLS the handshake comes first: such a client only sees the connection close. */
  if (self->certificate == NULL)
    g_socket_send_with_blocking (client, reply, sizeof reply - 1, FALSE, NULL, NULL);
  g_socket_close (client, NULL);
}

static void
hand_over (WcListener *self,
           GSocket    *client)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (client, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (client, NULL);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *key = NULL;
  Conn *conn;

  sweep (self, FALSE);
  if (remote == NULL || local == NULL)
    {
      g_socket_close (client, NULL);
      return;
    }
  address = address_key (remote, FALSE);
  if ((self->max_connections > 0 && g_hash_table_size (self->conns) >= self->max_connections) ||
      (self->max_per_address > 0 &&
       GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, address)) >=
         self->max_per_address))
    {
      refuse (self, client);
      return;
    }
  /* Known before libsoup has it: it starts reading the first request at once. */
  key = address_key (remote, TRUE);
  conn = g_new0 (Conn, 1);
  conn->socket = g_object_ref (client);
  conn->address = g_steal_pointer (&address);
  conn->idle_since = g_get_monotonic_time ();
  count_address (self, conn->address, +1);
  g_hash_table_replace (self->conns, g_strdup (key), conn);

  connection = g_socket_connection_factory_create_connection (client);
  if (self->certificate)
    stream = g_tls_server_connection_new (G_IO_STREAM (connection), self->certificate, &error);
  else
    stream = g_object_ref (G_IO_STREAM (connection));
  if (stream == NULL || !soup_server_accept_iostream (self->soup, stream, local, remote, &error))
    {
      g_debug ("cannot take a connection: %s", error ? error->message : "?");
      g_socket_close (client, NULL);
      count_address (self, conn->address, -1);
      g_hash_table_remove (self->conns, key);
    }
}

static gboolean accept_cb (GSocket *socket, GIOCondition condition, gpointer user_data);

static void
arm (WcListener *self)
{
  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, (GSourceFunc) G_CALLBACK (accept_cb), self, NULL);
  g_source_attach (self->accept_source, NULL);
}

static gboolean
retry_cb (gpointer user_data)
{
  WcListener *self = user_data;

  self->retry_id = 0;
  if (self->socket)
    arm (self);
  return G_SOURCE_REMOVE;
}

/* Out of descriptors: shed the client that waits longest, then wait for connections to go. */
static void
out_of_descriptors (WcListener *self)
{
  GSocket *shed;

  self->n_fd_exhausted++;
  if (self->spare_fd >= 0)
    {
      close (self->spare_fd);
      self->spare_fd = -1;
      shed = g_socket_accept (self->socket, NULL, NULL);
      if (shed)
        {
          self->n_refused++;
          g_socket_close (shed, NULL);
          g_object_unref (shed);
        }
      self->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
    }
  g_source_destroy (self->accept_source);
  g_clear_pointer (&self->accept_source, g_source_unref);
  self->retry_id = g_timeout_add (ACCEPT_RETRY_MS, retry_cb, self);
}

static gboolean
accept_cb (GSocket      *socket,
           GIOCondition  condition,
           gpointer      user_data)
{
  WcListener *self = user_data;

  for (guint i = 0; i < ACCEPTS_PER_WAKEUP; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = g_socket_accept (socket, NULL, &error);

      if (client)
        {
          hand_over (self, client);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          out_of_descriptors (self);
          return G_SOURCE_REMOVE;
        }
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        g_debug ("accept: %s", error->message);
      break;
    }
  return G_SOURCE_CONTINUE;
}

static Conn *
conn_for (WcListener        *self,
          SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  g_autofree char *key = remote ? address_key (remote, TRUE) : NULL;

  return key ? g_hash_table_lookup (self->conns, key) : NULL;
}

static void
on_got_headers (SoupServerMessage *msg,
                WcListener        *self)
{
  Conn *conn = conn_for (self, msg);

  if (conn && !g_object_get_data (G_OBJECT (msg), "wc-listener-busy"))
    {
      conn->busy++;
      g_object_set_data (G_OBJECT (msg), "wc-listener-busy", GINT_TO_POINTER (1));
    }
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    WcListener        *self)
{
  Conn *conn = conn_for (self, msg);

  if (conn)
    wc_http_set_socket (msg, conn->socket);
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (on_got_headers), self, 0);
}

static void
on_request_done (SoupServer        *soup,
                 SoupServerMessage *msg,
                 WcListener        *self)
{
  Conn *conn = conn_for (self, msg);

  if (conn && g_object_get_data (G_OBJECT (msg), "wc-listener-busy"))
    {
      g_object_set_data (G_OBJECT (msg), "wc-listener-busy", NULL);
      conn->busy--;
      conn->idle_since = g_get_monotonic_time ();
    }
}

static void
wc_listener_dispose (GObject *object)
{
  WcListener *self = WC_LISTENER (object);

  wc_listener_close (self);
  G_OBJECT_CLASS (wc_listener_parent_class)->dispose (object);
}

static void
wc_listener_finalize (GObject *object)
{
  WcListener *self = WC_LISTENER (object);

  g_hash_table_unref (self->conns);
  g_hash_table_unref (self->per_address);
  G_OBJECT_CLASS (wc_listener_parent_class)->finalize (object);
}

static void
wc_listener_class_init (WcListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_listener_dispose;
  object_class->finalize = wc_listener_finalize;
}

static void
wc_listener_init (WcListener *self)
{
  self->spare_fd = -1;
  self->conns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, conn_free);
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

WcListener *
wc_listener_new (SoupServer      *soup,
                 GSocket         *socket,
                 GTlsCertificate *certificate)
{
  WcListener *self = g_object_new (WC_TYPE_LISTENER, NULL);

  self->soup = g_object_ref (soup);
  self->socket = g_object_ref (socket);
  g_set_object (&self->certificate, certificate);
  g_socket_set_blocking (socket, FALSE);
  self->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  g_signal_connect_object (soup, "request-started", G_CALLBACK (on_request_started), self, 0);
  g_signal_connect_object (soup, "request-finished", G_CALLBACK (on_request_done), self, 0);
  g_signal_connect_object (soup, "request-aborted", G_CALLBACK (on_request_done), self, 0);
  self->sweep_id = g_timeout_add_seconds (1, sweep_cb, self);
  arm (self);
  return self;
}

void
wc_listener_set_limits (WcListener *self,
                        guint       max_connections,
                        guint       max_per_address,
                        guint       header_timeout_seconds)
{
  self->max_connections = max_connections;
  self->max_per_address = max_per_address;
  self->header_timeout_s = header_timeout_seconds;
}

void
wc_listener_close (WcListener *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self->accept_source)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  if (self->socket)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  /* Requests already on their way are not served either once the server stops. */
  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_socket_shutdown (((Conn *) value)->socket, TRUE, TRUE, NULL);
  g_hash_table_remove_all (self->conns);
  g_hash_table_remove_all (self->per_address);
  if (self->spare_fd >= 0)
    close (self->spare_fd);
  self->spare_fd = -1;
  if (self->soup)
    g_signal_handlers_disconnect_by_data (self->soup, self);
  g_clear_object (&self->soup);
  g_clear_object (&self->certificate);
}

guint
wc_listener_get_n_connections (WcListener *self)
{
  sweep (self, FALSE);
  return g_hash_table_size (self->conns);
}

guint
wc_listener_get_n_refused (WcListener *self)
{
  return self->n_refused;
}

guint
wc_listener_get_n_fd_exhausted (WcListener *self)
{
  return self->n_fd_exhausted;
}

guint
wc_listener_raise_file_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 1024;
  if (limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        getrlimit (RLIMIT_NOFILE, &limit);
    }
  return limit.rlim_cur == RLIM_INFINITY ? G_MAXUINT : (guint) MIN (limit.rlim_cur, G_MAXUINT);
}
