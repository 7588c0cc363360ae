/* wc-listener.c: the server's accept loop, connection caps, header timeout and recovery after
 * the process ran out of file descriptors. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <sys/resource.h>
#include <unistd.h>

#include "wc-http.h"
#include "wc-listener.h"

/* The connections from one address, for the per-address cap: checking them for closed ones
 * costs the cap at most, never the whole server. */
typedef struct {
  char   *address;
  GQueue  conns;         /* of Conn, by their link */
} Peer;

/* One accepted connection, known by its peer's address and port. */
typedef struct {
  GSocket            *socket;
  GInetSocketAddress *remote;
  Peer               *peer;
  GList               link;         /* in peer->conns */
  gint64              idle_since;   /* monotonic µs since which no request is under way */
  guint               busy;         /* requests whose headers arrived and that are not over */
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

  GHashTable      *conns;         /* remote GInetSocketAddress → Conn */
  GHashTable      *per_address;   /* address → Peer */
  Peer            *own;           /* this process's own connections: no address's cap */
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
peer_free (gpointer data)
{
  Peer *peer = data;

  g_free (peer->address);
  g_free (peer);
}

/* A connection leaves its peer's list as it goes (the hash table frees it). */
static void
conn_free (gpointer data)
{
  Conn *conn = data;

  g_object_unref (conn->socket);
  g_object_unref (conn->remote);
  g_free (conn);
}

/* Peers' addresses hashed as they are, with no text made for each request. */
static guint
remote_hash (gconstpointer key)
{
  GInetSocketAddress *remote = (GInetSocketAddress *) key;
  GInetAddress *address = g_inet_socket_address_get_address (remote);
  const guint8 *bytes = g_inet_address_to_bytes (address);
  gsize size = g_inet_address_get_native_size (address);
  guint hash = g_inet_socket_address_get_port (remote);

  for (gsize i = 0; i < size; i++)
    hash = hash * 31 + bytes[i];
  return hash;
}

static gboolean
remote_equal (gconstpointer a,
              gconstpointer b)
{
  GInetSocketAddress *x = (GInetSocketAddress *) a, *y = (GInetSocketAddress *) b;

  return g_inet_socket_address_get_port (x) == g_inet_socket_address_get_port (y) &&
         g_inet_address_equal (g_inet_socket_address_get_address (x),
                               g_inet_socket_address_get_address (y));
}

static Peer *
peer_for (WcListener     *self,
          GInetAddress   *address,
          gboolean        create)
{
  g_autofree char *text = g_inet_address_to_string (address);
  Peer *peer = g_hash_table_lookup (self->per_address, text);

  if (peer == NULL && create)
    {
      peer = g_new0 (Peer, 1);
      peer->address = g_steal_pointer (&text);
      g_hash_table_insert (self->per_address, peer->address, peer);
    }
  return peer;
}

/* Forgets @conn (libsoup closed it, or never took it). */
static void
forget (WcListener *self,
        Conn       *conn)
{
  Peer *peer = conn->peer;

  g_queue_unlink (&peer->conns, &conn->link);
  g_hash_table_remove (self->conns, conn->remote);
  if (peer->conns.length == 0 && peer != self->own)
    g_hash_table_remove (self->per_address, peer->address);
}

/* This process's own connections to its servers (wc_listener_add_own_connection), known by
 * the socket and the address it connects to; the socket's own address once it has one. */
typedef struct {
  GWeakRef            socket;
  GSocketAddress     *target;
  GInetSocketAddress *local;
} Own;

static GMutex own_lock;
static GPtrArray *own_sockets;  /* of Own */

static void
own_free (gpointer data)
{
  Own *own = data;

  g_weak_ref_clear (&own->socket);
  g_clear_object (&own->target);
  g_clear_object (&own->local);
  g_free (own);
}

/* Whether @own's socket is gone or closed: it no longer names a connection. */
static gboolean
own_is_over (Own *own)
{
  g_autoptr(GSocket) socket = g_weak_ref_get (&own->socket);

  return socket == NULL || g_socket_is_closed (socket);
}

void
wc_listener_add_own_connection (GSocketConnection *connection)
{
  Own *own = g_new0 (Own, 1);

  g_weak_ref_init (&own->socket, g_socket_connection_get_socket (connection));
  /* not connected yet: the address it is about to connect to, as its client cached it */
  own->target = g_socket_connection_get_remote_address (connection, NULL);
  g_mutex_lock (&own_lock);
  if (own_sockets == NULL)
    own_sockets = g_ptr_array_new_with_free_func (own_free);
  /* those closed go as the server looks them up; in case it never does, here too, now and then */
  if (own_sockets->len >= 256 && (own_sockets->len & 63) == 0)
    for (guint i = own_sockets->len; i-- > 0; )
      if (own_is_over (g_ptr_array_index (own_sockets, i)))
        g_ptr_array_remove_index_fast (own_sockets, i);
  g_ptr_array_add (own_sockets, own);
  g_mutex_unlock (&own_lock);
}

/* Whether the connection from @remote to @local is one this process made itself. A TCP
 * connection is known by both ends: while one of ours is open from @remote to @local, the kernel
 * lets no other socket have the same pair, so another process on the same address cannot pass
 * for it. */
static gboolean
is_own (GSocketAddress *local,
        GSocketAddress *remote)
{
  gboolean found = FALSE;

  g_mutex_lock (&own_lock);
  for (guint i = 0; own_sockets && i < own_sockets->len && !found; )
    {
      Own *own = g_ptr_array_index (own_sockets, i);
      g_autoptr(GSocket) socket = g_weak_ref_get (&own->socket);

      if (socket == NULL || g_socket_is_closed (socket) || own->target == NULL)
        {
          g_ptr_array_remove_index_fast (own_sockets, i);
          continue;
        }
      if (own->local == NULL)
        {
          g_autoptr(GSocketAddress) bound = g_socket_get_local_address (socket, NULL);

          /* a port once connect() was called; before, nothing to match yet */
          if (bound && G_IS_INET_SOCKET_ADDRESS (bound) &&
              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) != 0)
            own->local = G_INET_SOCKET_ADDRESS (g_steal_pointer (&bound));
        }
      found = own->local && G_IS_INET_SOCKET_ADDRESS (own->target) &&
              remote_equal (own->local, remote) && remote_equal (own->target, local);
      i++;
    }
  g_mutex_unlock (&own_lock);
  return found;
}

/* Forgets the connections from @peer that libsoup has closed; TRUE if @peer is gone with them. */
static gboolean
prune_peer (WcListener *self,
            Peer       *peer)
{
  for (GList *l = peer->conns.head, *next; l != NULL; l = next)
    {
      Conn *conn = l->data;

      next = l->next;
      if (g_socket_is_closed (conn->socket))
        {
          gboolean last = peer->conns.length == 1;

          forget (self, conn);
          if (last)
            return TRUE;
        }
    }
  return FALSE;
}

/* Forgets connections that libsoup has closed; closes those that sent nothing in time. Not on
 * each accept (that would be quadratic in a connect storm): once a second, when the server's cap
 * is reached, and when the count is asked for. */
static void
sweep (WcListener *self,
       gboolean    timeouts)
{
  GHashTableIter iter;
  gpointer value;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) closed = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Conn *conn = value;

      if (g_socket_is_closed (conn->socket))
        g_ptr_array_add (closed, conn);
      /* A shutdown, not a close: libsoup still owns the descriptor and sees the end itself. */
      else if (timeouts && self->header_timeout_s > 0 && conn->busy == 0 &&
               now - conn->idle_since > self->header_timeout_s * G_USEC_PER_SEC)
        {
          g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
          conn->idle_since = G_MAXINT64 / 2;
        }
    }
  for (guint i = 0; i < closed->len; i++)
    forget (self, g_ptr_array_index (closed, i));
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
  GInetAddress *address;
  Peer *peer;
  Conn *conn, *old;
  gboolean own;

  if (remote == NULL || local == NULL || !G_IS_INET_SOCKET_ADDRESS (remote) ||
      !G_IS_INET_SOCKET_ADDRESS (local))
    {
      g_socket_close (client, NULL);
      return;
    }
  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  /* the relay publisher's requests (docs/SCALING.md, "Commands") are every team's on the relays:
   * capped as one participant's, the controller refused its own dispatcher (bench-relay: 1,024
   * acknowledgements answered). Not counted on their address, they leave it to any other
   * client there, which is capped as before; the server's cap (descriptors) counts them. */
  own = g_inet_address_get_is_loopback (address) && is_own (local, remote);
  /* the caps count connections libsoup may have closed since: those are looked for first, among
   * this address's only unless the whole server is at its cap */
  if (self->max_connections > 0 && g_hash_table_size (self->conns) >= self->max_connections)
    sweep (self, FALSE);
  peer = own ? NULL : peer_for (self, address, FALSE);
  if (peer && self->max_per_address > 0 && peer->conns.length >= self->max_per_address &&
      prune_peer (self, peer))
    peer = NULL;
  if ((self->max_connections > 0 && g_hash_table_size (self->conns) >= self->max_connections) ||
      (peer && self->max_per_address > 0 && peer->conns.length >= self->max_per_address))
    {
      refuse (self, client);
      return;
    }
  /* a port used again: the connection it named before is closed */
  if ((old = g_hash_table_lookup (self->conns, remote)) != NULL)
    forget (self, old);
  /* Known before libsoup has it: it starts reading the first request at once. */
  peer = own ? self->own : peer_for (self, address, TRUE);
  conn = g_new0 (Conn, 1);
  conn->socket = g_object_ref (client);
  conn->remote = G_INET_SOCKET_ADDRESS (g_object_ref (remote));
  conn->peer = peer;
  conn->link.data = conn;
  conn->idle_since = g_get_monotonic_time ();
  g_queue_push_tail_link (&peer->conns, &conn->link);
  g_hash_table_insert (self->conns, conn->remote, conn);

  connection = g_socket_connection_factory_create_connection (client);
  if (self->certificate)
    stream = g_tls_server_connection_new (G_IO_STREAM (connection), self->certificate, &error);
  else
    stream = g_object_ref (G_IO_STREAM (connection));
  if (stream == NULL || !soup_server_accept_iostream (self->soup, stream, local, remote, &error))
    {
      g_debug ("cannot take a connection: %s", error ? error->message : "?");
      g_socket_close (client, NULL);
      forget (self, conn);
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

  return remote && G_IS_INET_SOCKET_ADDRESS (remote) ? g_hash_table_lookup (self->conns, remote)
                                                     : NULL;
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
  /* libsoup refuses a path it cannot take apart (an encoded "/" or NUL) before any handler, with
   * an empty 400: say why, in the JSON every other error has */
  if (soup_server_message_get_status (msg) == SOUP_STATUS_BAD_REQUEST &&
      soup_server_message_get_response_body (msg)->length == 0)
    wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("The request's path is not valid"));
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
  peer_free (self->own);
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
  self->conns = g_hash_table_new_full (remote_hash, remote_equal, NULL, conn_free);
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, peer_free);
  self->own = g_new0 (Peer, 1);
  self->own->address = g_strdup ("(this process)");
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
  g_queue_init (&self->own->conns);
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
