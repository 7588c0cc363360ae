/* bench-http.c: the HTTP layer under a national exercise's load, on loopback.
 *
 *  1. a storm of N simultaneous event-stream connections: time until every one is served;
 *  2. fan-out: an inject fired to N connected teams: time until the last has it (median and p99
 *     over rounds), next to a bare libsoup server that only writes one SSE event to N held
 *     streams, measured in the same run: the ratio is the figure (target ≤ 1.5×);
 *  3. sustained acknowledgements per second from N teams, one connection each, every one
 *     durable in the journal before its answer, and the longest the main loop stalled meanwhile
 *     (a 2 ms probe: what the controller's window would feel; target < 50 ms);
 *  4. the server's memory with N connections.
 *
 * The clients are plain sockets in a thread of their own, so the server's main loop serves them
 * as it would serve remote teams. Usage: bench-http [N_TEAMS] [ROUNDS]. With a slow disk:
 * LD_PRELOAD=.../libslow-sync.so (built here: each fsync/fdatasync 10 ms slower).
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wc-scenario-loader.h"
#include "wc-server.h"

typedef struct {
  int     fd;
  GString *buf;
  gint64  got_at;   /* when the marker arrived, this round */
} Client;

typedef struct {
  guint16     port;
  guint       n;
  GPtrArray  *paths;       /* request path per client */
  Client     *clients;
  const char *marker;      /* what "has it" means in the stream */
  gint64      storm_us;    /* connect → all served */
  GMutex      lock;
  GCond       cond;
  int         phase;       /* 0 connecting, 1 ready, 2 measuring, 3 done, 4 quit */
  guint       round_seen;
} Load;

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return strtol (line + 6, NULL, 10);
}

static int
connect_to (guint16 port)
{
  struct sockaddr_in sa = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  sa.sin_family = AF_INET;
  sa.sin_port = htons (port);
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || connect (fd, (struct sockaddr *) &sa, sizeof sa) < 0)
    g_error ("connect: %s", g_strerror (errno));
  return fd;
}

/* Reads what is there on every socket; returns how many have seen @marker since last reset. */
static guint
pump (Load       *load,
      const char *marker,
      int         timeout_ms)
{
  g_autofree struct pollfd *fds = g_new0 (struct pollfd, load->n);
  char chunk[8192];
  guint seen = 0;

  for (guint i = 0; i < load->n; i++)
    {
      fds[i].fd = load->clients[i].fd;
      fds[i].events = POLLIN;
    }
  if (poll (fds, load->n, timeout_ms) < 0 && errno != EINTR)
    g_error ("poll: %s", g_strerror (errno));
  for (guint i = 0; i < load->n; i++)
    {
      Client *c = &load->clients[i];

      if (fds[i].revents & POLLIN)
        {
          ssize_t got = recv (c->fd, chunk, sizeof chunk, MSG_DONTWAIT);

          if (got > 0)
            g_string_append_len (c->buf, chunk, got);
          if (c->got_at == 0 && strstr (c->buf->str, marker))
            c->got_at = now_us ();
        }
      seen += c->got_at != 0;
    }
  return seen;
}

static void
reset (Load *load)
{
  for (guint i = 0; i < load->n; i++)
    {
      g_string_truncate (load->clients[i].buf, 0);
      load->clients[i].got_at = 0;
    }
}

static gpointer
client_thread (gpointer data)
{
  Load *load = data;
  gint64 start = now_us ();

  /* the storm: everyone at once */
  for (guint i = 0; i < load->n; i++)
    {
      g_autofree char *req = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                              (char *) g_ptr_array_index (load->paths, i));

      load->clients[i].fd = connect_to (load->port);
      load->clients[i].buf = g_string_new (NULL);
      if (send (load->clients[i].fd, req, strlen (req), 0) < 0)
        g_error ("send: %s", g_strerror (errno));
    }
  while (pump (load, "event:", 1000) < load->n)
    ;
  load->storm_us = now_us () - start;

  g_mutex_lock (&load->lock);
  load->phase = 1;
  g_cond_broadcast (&load->cond);
  g_mutex_unlock (&load->lock);
  for (;;)
    {
      g_mutex_lock (&load->lock);
      while (load->phase == 1 || load->phase == 3)
        g_cond_wait (&load->cond, &load->lock);
      if (load->phase == 4)
        {
          g_mutex_unlock (&load->lock);
          break;
        }
      g_mutex_unlock (&load->lock);
      while (pump (load, load->marker, 1000) < load->n)
        ;
      g_mutex_lock (&load->lock);
      load->phase = 3;
      g_cond_broadcast (&load->cond);
      g_mutex_unlock (&load->lock);
    }
  for (guint i = 0; i < load->n; i++)
    {
      close (load->clients[i].fd);
      g_string_free (load->clients[i].buf, TRUE);
    }
  return NULL;
}

/* Runs the main loop until the clients reach @phase. */
static void
wait_phase (Load *load,
            int   phase)
{
  for (;;)
    {
      gboolean reached;

      g_mutex_lock (&load->lock);
      reached = load->phase == phase;
      g_mutex_unlock (&load->lock);
      if (reached)
        return;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (50);
    }
}

static void
set_phase (Load *load,
           int   phase)
{
  g_mutex_lock (&load->lock);
  reset (load);
  load->phase = phase;
  g_cond_broadcast (&load->cond);
  g_mutex_unlock (&load->lock);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Fires one round with @fire and returns the time until the last client had it. */
typedef void (*FireFunc) (gpointer data, guint round);

static GArray *
measure_rounds (Load     *load,
                guint     rounds,
                FireFunc  fire,
                gpointer  data)
{
  GArray *lasts = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint r = 0; r < rounds; r++)
    {
      gint64 t0, last = 0;

      set_phase (load, 2);
      t0 = now_us ();
      fire (data, r);
      wait_phase (load, 3);
      for (guint i = 0; i < load->n; i++)
        last = MAX (last, load->clients[i].got_at - t0);
      g_array_append_val (lasts, last);
    }
  g_array_sort (lasts, compare_gint64);
  return lasts;
}

/* The bare baseline: a libsoup server holding N SSE streams, writing one event to each, and
 * answering acknowledgements at once (on a connection kept alive, or closed after each). */
static GPtrArray *bare_streams;
static gboolean bare_close;
/* Answering later, as a reply waits for its record to be durable: from an idle at the next
 * main-loop turn, 1 the message paused until then, 2 its connection taken from libsoup (what
 * Whitecell does, wc_http_take_connection()) */
static int bare_later;
static GPtrArray *bare_waiting;
static guint bare_idle;

static gboolean
bare_answer_waiting (gpointer data)
{
  static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n"
                               "Content-Type: application/json\r\n\r\n{\"ok\":true}";

  for (guint i = 0; i < bare_waiting->len; i++)
    {
      GObject *o = g_ptr_array_index (bare_waiting, i);

      if (bare_later == 1)
        {
          SoupServerMessage *msg = SOUP_SERVER_MESSAGE (o);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Connection", "close");
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                            "{\"ok\":true}", 11);
          soup_server_message_set_status (msg, 200, NULL);
          soup_server_message_unpause (msg);
        }
      else
        {
          GIOStream *io = G_IO_STREAM (o);

          g_output_stream_write_all (g_io_stream_get_output_stream (io), answer, sizeof answer - 1,
                                     NULL, NULL, NULL);
          g_io_stream_close (io, NULL, NULL);
        }
    }
  g_ptr_array_set_size (bare_waiting, 0);
  bare_idle = 0;
  return G_SOURCE_REMOVE;
}

static void
bare_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* an acknowledgement: answered at once, nothing recorded, the ceiling of libsoup itself */
  if (strcmp (soup_server_message_get_method (msg), "POST") == 0 && bare_later)
    {
      if (bare_later == 1)
        {
          soup_server_message_pause (msg);
          g_ptr_array_add (bare_waiting, g_object_ref (msg));
        }
      else
        g_ptr_array_add (bare_waiting, soup_server_message_steal_connection (msg));
      if (bare_idle == 0)
        bare_idle = g_idle_add (bare_answer_waiting, NULL);
      return;
    }
  if (strcmp (soup_server_message_get_method (msg), "POST") == 0)
    {
      if (bare_close)
        soup_message_headers_replace (headers, "Connection", "close");
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"ok\":true}", 11);
      soup_server_message_set_status (msg, 200, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            "event: hello\ndata: {}\n\n", 22);
  g_ptr_array_add (bare_streams, g_object_ref (msg));
}

static void
bare_fire (gpointer data,
           guint    round)
{
  g_autofree char *event = g_strdup_printf ("id: %u\nevent: inject\ndata: {\"id\": \"I%u\"}\n\n",
                                            round, round);

  for (guint i = 0; i < bare_streams->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (bare_streams, i);

      soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                                event, strlen (event));
      soup_server_message_unpause (msg);
    }
}

static void
engine_fire (gpointer data,
             guint    round)
{
  g_autofree char *id = g_strdup_printf ("I%u", round);
  g_autoptr(GError) error = NULL;

  if (!wc_engine_fire_inject (data, id, &error))
    g_error ("%s", error->message);
}

static guint16
soup_port (SoupServer *server)
{
  GSList *uris = soup_server_get_uris (server);
  guint16 port = g_uri_get_port (uris->data);

  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}

static Load *
load_new (guint16    port,
          GPtrArray *paths,
          const char *marker)
{
  Load *load = g_new0 (Load, 1);

  load->port = port;
  load->n = paths->len;
  load->paths = paths;
  load->clients = g_new0 (Client, load->n);
  load->marker = marker;
  g_mutex_init (&load->lock);
  g_cond_init (&load->cond);
  return load;
}

static void
print_rounds (const char *what,
              GArray     *lasts)
{
  gint64 *v = (gint64 *) lasts->data;

  printf ("  %-34s median %7.2f ms   p99 %7.2f ms\n", what, v[lasts->len / 2] / 1000.0,
          v[MIN (lasts->len - 1, lasts->len * 99 / 100)] / 1000.0);
}

/* Acknowledgements: every team acks every inject fired, each team on a keep-alive connection
 * of its own with one request at a time, as a team's page does. */
typedef struct {
  guint16      port;
  guint        n_teams;
  guint        n_injects;
  const char **tokens;     /* per team */
  gint64       elapsed_us;
  guint        reconnects;
  gint         finished;
} Acks;

static void
send_ack (Acks *a,
          int   fd,
          guint team,
          guint inject)
{
  g_autofree char *req =
    g_strdup_printf ("POST /api/v1/injects/I%u/ack HTTP/1.1\r\nHost: x\r\n"
                     "Authorization: Bearer %s\r\nContent-Length: 0\r\n\r\n", inject,
                     a->tokens[team]);

  if (send (fd, req, strlen (req), 0) < 0)
    g_error ("send: %s", g_strerror (errno));
}

/* Takes one whole answer off the front of @buf: FALSE while it has not all arrived. */
static gboolean
take_answer (GString *buf)
{
  const char *end = strstr (buf->str, "\r\n\r\n");
  const char *length;
  gsize total;

  if (end == NULL)
    return FALSE;
  if (!g_str_has_prefix (buf->str, "HTTP/1.1 200"))
    g_error ("unexpected answer: %.400s", buf->str);
  length = g_strstr_len (buf->str, end - buf->str, "Content-Length: ");
  total = (end - buf->str) + 4 + (length ? strtoul (length + 16, NULL, 10) : 0);
  if (buf->len < total)
    return FALSE;
  g_string_erase (buf, 0, total);
  return TRUE;
}

static gpointer
ack_thread (gpointer data)
{
  Acks *a = data;
  guint n = a->n_teams;
  g_autofree struct pollfd *fds = g_new0 (struct pollfd, n);
  g_autofree guint *next = g_new0 (guint, n);
  GString **bufs = g_new0 (GString *, n);
  guint done = 0, total = n * a->n_injects;
  char chunk[16384];
  gint64 t0;

  for (guint i = 0; i < n; i++)
    {
      fds[i].fd = connect_to (a->port);
      fds[i].events = POLLIN;
      bufs[i] = g_string_new (NULL);
    }
  t0 = now_us ();
  for (guint i = 0; i < n; i++)
    send_ack (a, fds[i].fd, i, 0);
  while (done < total)
    {
      if (poll (fds, n, 1000) < 0 && errno != EINTR)
        g_error ("poll: %s", g_strerror (errno));
      for (guint i = 0; i < n; i++)
        {
          ssize_t got;

          if (!(fds[i].revents & POLLIN))
            continue;
          got = recv (fds[i].fd, chunk, sizeof chunk, MSG_DONTWAIT);
          if (got < 0 && errno == EAGAIN)
            continue;
          if (got <= 0 && bufs[i]->len == 0)
            {
              /* the server closed the connection after an answer: as a browser does, the
               * team asks again on a new one (counted: see the report) */
              close (fds[i].fd);
              fds[i].fd = -1;  /* poll() passes over it */
              if (next[i] >= a->n_injects)
                continue;  /* this team is done */
              fds[i].fd = connect_to (a->port);
              a->reconnects++;
              send_ack (a, fds[i].fd, i, next[i]);
              continue;
            }
          if (got <= 0)
            g_error ("connection %u closed mid-answer: %s", i,
                     got < 0 ? g_strerror (errno) : "EOF");
          g_string_append_len (bufs[i], chunk, got);
          while (take_answer (bufs[i]))
            {
              done++;
              if (++next[i] < a->n_injects)
                send_ack (a, fds[i].fd, i, next[i]);
            }
        }
    }
  a->elapsed_us = now_us () - t0;
  for (guint i = 0; i < n; i++)
    {
      if (fds[i].fd >= 0)
        close (fds[i].fd);
      g_string_free (bufs[i], TRUE);
    }
  g_free (bufs);
  g_atomic_int_set (&a->finished, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* The kernel's count of connections its listen queues dropped (TcpExt ListenOverflows): a client
 * dropped so waits a second or more for its SYN to be sent again, and the whole measurement waits
 * for it. */
static guint64
listen_overflows (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/net/netstat", &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] && lines[i + 1]; i++)
    if (g_str_has_prefix (lines[i], "TcpExt:") && g_str_has_prefix (lines[i + 1], "TcpExt:"))
      {
        g_auto(GStrv) names = g_strsplit (lines[i], " ", -1);
        g_auto(GStrv) values = g_strsplit (lines[i + 1], " ", -1);

        for (guint k = 0; names[k] && values[k]; k++)
          if (strcmp (names[k], "ListenOverflows") == 0)
            return g_ascii_strtoull (values[k], NULL, 10);
      }
  return 0;
}

/* main-loop turns that took more than 50 ms of the main thread's CPU, in the last measurement */
static guint n_long_turns;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The main-loop stall probe: a tick every 2 ms; the longest gap between two, less the 2 ms. */
typedef struct {
  gint64 last;
  gint64 longest;
} Probe;

static gboolean
probe_tick (gpointer data)
{
  Probe *probe = data;
  gint64 now = now_us ();

  if (probe->last != 0)
    probe->longest = MAX (probe->longest, now - probe->last - 2000);
  probe->last = now;
  return G_SOURCE_CONTINUE;
}

static double
measure_acks (WcTokens   *tokens,
              WcScenario *scenario,
              guint16     port,
              guint       n_teams,
              guint       n_injects,
              double     *stall_ms,
              guint      *reconnects,
              guint      *n_turns,
              double     *longest_turn_ms,
              double     *longest_turn_cpu_ms)
{
  Acks a = { .port = port, .n_teams = n_teams, .n_injects = n_injects };
  Probe probe = { 0 };
  GThread *thread;
  guint probe_id;

  n_long_turns = 0;
  a.tokens = g_new (const char *, n_teams);
  for (guint i = 0; i < n_teams; i++)
    a.tokens[i] = wc_tokens_get_team_token (tokens, wc_scenario_get_team (scenario, i)->id);
  probe_id = g_timeout_add (2, probe_tick, &probe);
  thread = g_thread_new ("acks", ack_thread, &a);
  /* the turns tell where the time goes: each costs every held stream and every connection once
   * (GLib polls them all and libsoup checks each paused message), whatever it serves */
  while (!g_atomic_int_get (&a.finished))
    {
      gint64 t = now_us ();
      gint64 cpu = thread_cpu_us ();

      g_main_context_iteration (NULL, TRUE);
      *longest_turn_ms = MAX (*longest_turn_ms, (now_us () - t) / 1000.0);
      cpu = thread_cpu_us () - cpu;
      *longest_turn_cpu_ms = MAX (*longest_turn_cpu_ms, cpu / 1000.0);
      if (cpu > 50000)
        n_long_turns++;
      (*n_turns)++;
    }
  g_thread_join (thread);
  g_source_remove (probe_id);
  g_free (a.tokens);
  *stall_ms = probe.longest / 1000.0;
  *reconnects = a.reconnects;
  return (double) n_teams * n_injects / (a.elapsed_us / 1e6);
}

/* The ceiling on this machine, for the record: the same bare handler served by several libsoup
 * servers, each on a thread and main context of its own, listening on one port (SO_REUSEPORT: the
 * kernel shares the connections among them); and a plain socket loop answering each request as it
 * comes, no HTTP library at all, which is what the client and the kernel's TCP alone reach. */
typedef struct {
  guint16       port;
  gint          stop;
  GMainContext *context;
} BareThread;

static GSocket *
reuseport_socket (guint16  port,
                  GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) sa = g_inet_socket_address_new (lo, port);

  struct sockaddr_in native;

  /* bound here: g_socket_bind() turns SO_REUSEPORT off on a TCP socket */
  if (socket == NULL || !g_socket_set_option (socket, SOL_SOCKET, SO_REUSEPORT, 1, error) ||
      !g_socket_address_to_native (sa, &native, sizeof native, error))
    return NULL;
  if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native, sizeof native) < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "bind: %s",
                   g_strerror (errno));
      return NULL;
    }
  g_socket_set_listen_backlog (socket, 4096);
  if (!g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

static gpointer
bare_thread (gpointer data)
{
  BareThread *bt = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocket) socket = NULL;

  g_main_context_push_thread_default (bt->context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, bare_handler, NULL, NULL);
  if ((socket = reuseport_socket (bt->port, &error)) == NULL ||
      !soup_server_listen_socket (server, socket, 0, &error))
    g_error ("%s", error->message);
  while (!g_atomic_int_get (&bt->stop))
    g_main_context_iteration (bt->context, TRUE);
  soup_server_disconnect (server);
  g_clear_object (&server);
  while (g_main_context_iteration (bt->context, FALSE));
  g_main_context_pop_thread_default (bt->context);
  return NULL;
}

static double
measure_bare_threads (WcTokens   *tokens,
                      WcScenario *scenario,
                      guint       n_threads,
                      guint       n_teams,
                      guint       n_injects)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) reserve = reuseport_socket (0, &error);
  g_autoptr(GSocketAddress) local = NULL;
  BareThread *bts = g_new0 (BareThread, n_threads);
  GThread **threads = g_new0 (GThread *, n_threads);
  double stall, turn = 0, turn_cpu = 0, rate;
  guint reconnects, turns = 0;
  guint16 port;

  /* the port reserved by a listener of the bench's own that takes no connection: closed once
   * the servers listen, so that the kernel gives every connection to them */
  if (reserve == NULL || (local = g_socket_get_local_address (reserve, &error)) == NULL)
    g_error ("%s", error->message);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  for (guint i = 0; i < n_threads; i++)
    {
      bts[i].port = port;
      bts[i].context = g_main_context_new ();
      threads[i] = g_thread_new ("bare-server", bare_thread, &bts[i]);
    }
  g_usleep (200000);
  g_socket_close (reserve, NULL);
  rate = measure_acks (tokens, scenario, port, n_teams, n_injects, &stall, &reconnects, &turns,
                       &turn, &turn_cpu);
  for (guint i = 0; i < n_threads; i++)
    {
      g_atomic_int_set (&bts[i].stop, 1);
      g_main_context_wakeup (bts[i].context);
      g_thread_join (threads[i]);
      g_main_context_unref (bts[i].context);
    }
  g_free (threads);
  g_free (bts);
  return rate;
}

typedef struct {
  int  fd;
  gint stop;
} RawServer;

static void
free_buf (gpointer buf)
{
  if (buf != NULL)
    g_string_free (buf, TRUE);
}

static gpointer
raw_thread (gpointer data)
{
  RawServer *raw = data;
  static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n"
                               "Content-Type: application/json\r\n\r\n{\"ok\":true}";
  g_autoptr(GArray) fds = g_array_new (FALSE, TRUE, sizeof (struct pollfd));
  g_autoptr(GPtrArray) bufs = g_ptr_array_new_with_free_func (free_buf);
  struct pollfd listener = { raw->fd, POLLIN, 0 };
  char chunk[4096];

  /* one poll() over the listener and every connection whose request has not all arrived: the
   * clients connect all their teams before they send, more than the listen queue holds */
  g_array_append_val (fds, listener);
  g_ptr_array_add (bufs, NULL);
  while (!g_atomic_int_get (&raw->stop))
    {
      struct pollfd *p;
      int fd;

      if (poll ((struct pollfd *) fds->data, fds->len, 100) <= 0)
        continue;
      for (guint i = fds->len; i-- > 1; )
        {
          GString *buf = g_ptr_array_index (bufs, i);
          ssize_t got;

          p = &g_array_index (fds, struct pollfd, i);
          if (p->revents == 0)
            continue;
          got = recv (p->fd, chunk, sizeof chunk, MSG_DONTWAIT);
          if (got < 0 && errno == EAGAIN)
            continue;
          if (got > 0)
            g_string_append_len (buf, chunk, got);
          if (got > 0 && strstr (buf->str, "\r\n\r\n") == NULL)
            continue;
          if (got > 0 && send (p->fd, answer, sizeof answer - 1, MSG_NOSIGNAL) < 0)
            g_warning ("send: %s", g_strerror (errno));
          close (p->fd);
          g_array_remove_index_fast (fds, i);
          g_ptr_array_remove_index_fast (bufs, i);
        }
      if (!(g_array_index (fds, struct pollfd, 0).revents & POLLIN))
        continue;
      while ((fd = accept (raw->fd, NULL, NULL)) >= 0)
        {
          struct pollfd client = { fd, POLLIN, 0 };

          g_unix_set_fd_nonblocking (fd, TRUE, NULL);
          g_array_append_val (fds, client);
          g_ptr_array_add (bufs, g_string_new (NULL));
        }
    }
  for (guint i = 1; i < fds->len; i++)
    close (g_array_index (fds, struct pollfd, i).fd);
  return NULL;
}

static double
measure_raw (WcTokens   *tokens,
             WcScenario *scenario,
             guint       n_teams,
             guint       n_injects)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = reuseport_socket (0, &error);
  g_autoptr(GSocketAddress) local = NULL;
  RawServer raw = { 0 };
  double stall, turn = 0, turn_cpu = 0, rate;
  guint reconnects, turns = 0;
  GThread *thread;

  if (socket == NULL || (local = g_socket_get_local_address (socket, &error)) == NULL)
    g_error ("%s", error->message);
  raw.fd = g_socket_get_fd (socket);
  thread = g_thread_new ("raw-server", raw_thread, &raw);
  rate = measure_acks (tokens, scenario,
                       g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)), n_teams,
                       n_injects, &stall, &reconnects, &turns, &turn, &turn_cpu);
  g_atomic_int_set (&raw.stop, 1);
  g_thread_join (thread);
  return rate;
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  guint rounds = argc > 2 ? (guint) atoi (argv[2]) : 11;
  struct rlimit rl;
  GString *doc = g_string_new (NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("bench.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("whitecell-bench-http-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "journal.jsonl", NULL);
  g_autoptr(WcScenario) scenario = NULL;
  g_autoptr(WcEngine) engine = NULL;
  g_autoptr(WcTokens) tokens = NULL;
  g_autoptr(WcServer) server = NULL;
  g_autoptr(SoupServer) bare = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bare_paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ours = NULL;
  g_autoptr(GArray) baseline = NULL;
  GThread *thread;
  Load *load, *bare_load;
  WcServerLimits limits;
  long rss_before, rss_after;
  double acks, stall_ms, longest_turn_ms = 0, longest_turn_cpu_ms = 0;
  guint64 overflows;
  guint reconnects, n_turns = 0;
  const char *preload = g_getenv ("LD_PRELOAD");

  setvbuf (stdout, NULL, _IOLBF, 0);
  /* each connection is two descriptors here, client and server */
  getrlimit (RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit (RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < 2 * n + 100)
    g_error ("need %u file descriptors, have %lu", 2 * n + 100, (unsigned long) rl.rlim_cur);

  g_string_append (doc, "{\"format\": \"whitecell-scenario\", \"version\": 1, \"exercise\": {\"id\": "
                        "\"bench\", \"title\": \"Bench\", \"tlp\": \"GREEN\", \"duration\": \"T+04:00\"}, "
                        "\"teams\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (doc, "%s{\"id\": \"t%u\", \"name\": \"Team %u\", \"kind\": \"operator\"}",
                            i ? "," : "", i, i);
  g_string_append (doc, "], \"injects\": [");
  for (guint r = 0; r < rounds + 1; r++)
    g_string_append_printf (doc, "%s{\"id\": \"I%u\", \"trigger\": {\"type\": \"manual\"}, \"channel\": "
                                 "\"alert\", \"to\": \"all\", \"title\": \"Alert %u\", \"body\": "
                                 "\"The national emergency plan is activated.\"}", r ? "," : "", r, r);
  g_string_append (doc, "]}");
  scenario = wc_scenario_load_data (doc->str, doc->len, NULL, diag, &error);
  g_string_free (doc, TRUE);
  if (scenario == NULL)
    g_error ("%s", error->message);
  wc_scenario_set_sha256 (scenario, "bench");
  if ((engine = wc_engine_new (scenario, journal, &error)) == NULL ||
      (tokens = wc_tokens_generate (scenario, &error)) == NULL)
    g_error ("%s", error->message);
  server = wc_server_new (engine, tokens);
  wc_server_get_default_limits (&limits);
  limits.rate_burst = 1e9;
  limits.rate_per_second = 1e9;
  /* every client is on loopback: one address for all the teams */
  limits.max_connections_per_address = G_MAXUINT;
  wc_server_set_limits (server, &limits);
  if (!wc_server_listen (server, "127.0.0.1", 0, NULL, &error) || !wc_engine_start (engine, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (paths, g_strdup_printf ("/api/v1/events?access_token=%s",
                                             wc_tokens_get_team_token (tokens, wc_scenario_get_team (scenario, i)->id)));

  printf ("Whitecell HTTP layer, %u teams on loopback%s\n", n,
          preload && strstr (preload, "slow-sync") ? ", every fsync/fdatasync 10 ms slower" : "");
  rss_before = rss_kib ();
  load = load_new (wc_server_get_port (server), paths, "event: inject");
  thread = g_thread_new ("clients", client_thread, load);
  wait_phase (load, 1);
  rss_after = rss_kib ();
  printf ("  %u simultaneous connections served in %.1f ms (target ≤ 2000 ms)\n", n,
          load->storm_us / 1000.0);
  printf ("  memory with %u event streams: %+ld KiB (process RSS %ld KiB; client sockets included)\n",
          n, rss_after - rss_before, rss_after);
  ours = measure_rounds (load, rounds, engine_fire, engine);
  set_phase (load, 4);
  g_thread_join (thread);

  /* the baseline, in the same run */
  bare_streams = g_ptr_array_new_with_free_func (g_object_unref);
  bare = soup_server_new (NULL, NULL);
  soup_server_add_handler (bare, NULL, bare_handler, NULL, NULL);
  {
    GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) sa = g_inet_socket_address_new (lo, 0);

    g_socket_set_listen_backlog (socket, 4096);
    if (!g_socket_bind (socket, sa, TRUE, &error) || !g_socket_listen (socket, &error) ||
        !soup_server_listen_socket (bare, socket, 0, &error))
      g_error ("%s", error->message);
    g_object_unref (socket);
  }
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (bare_paths, g_strdup ("/events"));
  bare_load = load_new (soup_port (bare), bare_paths, "event: inject");
  thread = g_thread_new ("bare-clients", client_thread, bare_load);
  wait_phase (bare_load, 1);
  baseline = measure_rounds (bare_load, rounds, bare_fire, NULL);
  set_phase (bare_load, 4);
  g_thread_join (thread);

  printf ("  fan-out of one inject to %u connected teams, until the last has it (%u rounds):\n", n,
          rounds);
  print_rounds ("Whitecell (journaled, per-team JSON)", ours);
  print_rounds ("bare libsoup, one event", baseline);
  printf ("  ratio: median %.2f×, p99 %.2f× (target ≤ 1.5×)\n",
          (double) g_array_index (ours, gint64, ours->len / 2) /
          MAX (1, g_array_index (baseline, gint64, baseline->len / 2)),
          (double) g_array_index (ours, gint64, MIN (ours->len - 1, ours->len * 99 / 100)) /
          MAX (1, g_array_index (baseline, gint64,
                                 MIN (baseline->len - 1, baseline->len * 99 / 100))));

  {
    /* the streams' clients have gone: the server lets go of them (and, the grace over, records
     * the teams gone) before the acknowledgements start, so that these are measured alone and
     * the descriptors of both are not needed at once (two per connection in one process) */
    gint64 until = now_us () + 15 * G_USEC_PER_SEC;
    gint64 settled;

    while ((wc_server_get_n_streams (server) > 0 || wc_server_get_n_connections (server) > 0) &&
           now_us () < until)
      g_main_context_iteration (NULL, TRUE);
    for (settled = now_us () + 4 * G_USEC_PER_SEC; now_us () < settled; )
      g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
    printf ("  the %u streams let go of: %u left, %u connections\n", n,
            wc_server_get_n_streams (server), wc_server_get_n_connections (server));
  }
  overflows = listen_overflows ();
  acks = measure_acks (tokens, scenario, wc_server_get_port (server), n, rounds, &stall_ms,
                      &reconnects, &n_turns, &longest_turn_ms, &longest_turn_cpu_ms);
  overflows = listen_overflows () - overflows;
  printf ("  durable acknowledgements: %.0f/s from %u teams (%u each), each durable (fdatasync) "
          "before its answer; %u asked again on a new connection; %" G_GUINT64_FORMAT " connects "
          "dropped by the kernel's full listen queue (each waits 1 s or more to be tried again)\n",
          acks, n, rounds, reconnects, overflows);
  /* on a shared machine the wall-clock turn includes the time the process waited for a core:
   * the CPU time the main thread spent in the turn is the server's own part */
  printf ("  longest main-loop stall under that load: %.1f ms (target < 50 ms); %.2f main-loop "
          "turns per acknowledgement, the longest %.1f ms (%.1f ms of the main thread's CPU; %u "
          "turns over 50 ms of it)\n",
          stall_ms, (double) n_turns / ((double) n * rounds), longest_turn_ms,
          longest_turn_cpu_ms, n_long_turns);
  {
    /* the same requests to bare libsoup answering at once: what libsoup alone reaches here */
    double bare_stall, bare_turn = 0, bare_turn_cpu = 0, bare_kept, bare_closed, threaded, raw;
    double later[2];
    guint bare_reconnects, bare_turns = 0;
    gint64 until = now_us () + 2 * G_USEC_PER_SEC;

    /* its streams' clients have gone: ended, so that libsoup no longer checks them every turn
     * (Whitecell's went by themselves) */
    for (guint i = 0; i < bare_streams->len; i++)
      {
        SoupServerMessage *msg = g_ptr_array_index (bare_streams, i);

        soup_message_body_complete (soup_server_message_get_response_body (msg));
        soup_server_message_unpause (msg);
      }
    g_ptr_array_set_size (bare_streams, 0);
    while (now_us () < until)
      g_main_context_iteration (NULL, FALSE);

    bare_kept = measure_acks (tokens, scenario, soup_port (bare), n, rounds, &bare_stall,
                              &bare_reconnects, &bare_turns, &bare_turn, &bare_turn_cpu);
    bare_close = TRUE;
    bare_closed = measure_acks (tokens, scenario, soup_port (bare), n, rounds, &bare_stall,
                                &bare_reconnects, &bare_turns, &bare_turn, &bare_turn_cpu);
    printf ("  bare libsoup answering the same requests at once, nothing recorded: %.0f/s on kept "
            "connections, %.0f/s on a new connection each (Whitecell: %.2f× the latter)\n",
            bare_kept, bare_closed, acks / bare_closed);
    bare_waiting = g_ptr_array_new_with_free_func (g_object_unref);
    for (bare_later = 1; bare_later <= 2; bare_later++)
      later[bare_later - 1] = measure_acks (tokens, scenario, soup_port (bare), n, rounds,
                                            &bare_stall, &bare_reconnects, &bare_turns,
                                            &bare_turn, &bare_turn_cpu);
    bare_later = 0;
    g_ptr_array_unref (bare_waiting);
    printf ("  bare libsoup answering each from the next main-loop turn: %.0f/s with the message "
            "paused until then, %.0f/s with its connection taken (%.2f×)\n", later[0], later[1],
            later[1] / later[0]);
    threaded = measure_bare_threads (tokens, scenario, g_get_num_processors (), n, rounds);
    raw = measure_raw (tokens, scenario, n, rounds);
    printf ("  the same on %u libsoup servers, a thread each on one port (SO_REUSEPORT): %.0f/s; "
            "a plain socket loop on one thread, no HTTP library: %.0f/s (this machine's ceiling "
            "with this client)\n", g_get_num_processors (), threaded, raw);
  }

  g_ptr_array_unref (bare_streams);
  wc_server_disconnect (server);
  g_clear_object (&server);
  g_clear_object (&engine);
  g_unlink (journal);
  {
    g_autofree char *tok = g_strconcat (journal, ".tokens.json", NULL);

    g_unlink (tok);
  }
  g_rmdir (dir);
  return 0;
}
