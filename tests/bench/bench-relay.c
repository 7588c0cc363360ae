/* bench-relay.c: teams served through relays on Redis Streams (docs/SCALING.md), at a national
 * exercise's size: a redis-server on a free port, `whitecellctl run … --redis`, 4 relays, and
 * client processes (forked: one process cannot hold 20,000 sockets under a file limit of
 * 20,000) holding N teams' event streams across the relays. Measures the fan-out of one inject
 * to all (from the fire command to each stream's event: median, p99) and acknowledgements per
 * second through the relays, then runs bench-http in the same invocation for the single-process
 * figures next to them. Usage: bench-relay [N_TEAMS] [N_CLIENT_PROCESSES] (20,000, the most a
 * scenario may have, and 8 unless given); WC_CTL names
 * whitecellctl (default: ../../app/whitecellctl from this program). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N_RELAYS 4
#define MAX_IN_FLIGHT 400   /* connections being set up at once, per client process */

static gint64
now_us (void)
{
  struct timespec ts;

  /* CLOCK_MONOTONIC is the same clock in every process: the parent's fire, the children's events */
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The client processes: plain epoll, no GLib main loop (they are forked from a threaded
 * process) ---------------------------------------------------------------------------------- */

typedef struct {
  int     fd;
  guint   team;
  int     state;     /* 0 not started, 1 connecting/sent, 2 open (SSE) or done (ack) */
  gint64  t;         /* SSE: when the inject event came; ack: when answered */
  char    tail[32];  /* the last bytes read, so a marker split across reads is found */
  gboolean ok;
} Conn;

typedef struct {
  guint         n;          /* teams in this process */
  guint        *teams;
  char        **tokens;     /* all teams' */
  guint        *ports;      /* the relays' */
  int           epfd;
  Conn         *conns;
} Client;

static void
source_address (guint               team,
                struct sockaddr_in *sa)
{
  /* each team its own loopback address (all of 127/8 is loopback on Linux): a relay limits
   * connections per address, as it would for teams behind one NAT */
  memset (sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_addr.s_addr = htonl ((127u << 24) | (10u << 16) | ((team / 250) << 8) | (team % 250 + 1));
}

static gboolean
conn_start (Client *cl,
            Conn   *c)
{
  struct sockaddr_in src, dst;
  struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
  int one = 1;

  c->fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0)
    return FALSE;
  setsockopt (c->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  source_address (c->team, &src);
  bind (c->fd, (struct sockaddr *) &src, sizeof src);
  memset (&dst, 0, sizeof dst);
  dst.sin_family = AF_INET;
  dst.sin_port = htons (cl->ports[c->team % N_RELAYS]);
  dst.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (c->fd, (struct sockaddr *) &dst, sizeof dst) < 0 && errno != EINPROGRESS)
    return FALSE;
  c->state = 1;
  c->tail[0] = '\0';
  /* the request goes once connected (writable) */
  epoll_ctl (cl->epfd, EPOLL_CTL_ADD, c->fd, &ev);
  return TRUE;
}

static void
write_line (int         fd,
            const char *line)
{
  gsize len = strlen (line);

  while (len > 0)
    {
      ssize_t n = write (fd, line, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        _exit (3);
      line += n;
      len -= n;
    }
}

/* Runs until @cl's conns are all in state 2 (or @deadline); @marker found in what a
 * connection reads makes it state 2 and stamps it; @request is sent once connected. */
static void
run_conns (Client     *cl,
           const char *(*request) (Client *, Conn *),
           const char *marker,
           gboolean    close_when_done,
           gint64      deadline,
           int         report_fd)
{
  guint next = 0, in_flight = 0, n_done = 0, n_open = 0, n_failed = 0;
  gboolean told = FALSE;
  struct epoll_event events[256];

  while (n_done < cl->n && now_us () < deadline)
    {
      int n;

      while (next < cl->n && in_flight < MAX_IN_FLIGHT)
        {
          Conn *c = &cl->conns[next++];

          if (conn_start (cl, c))
            in_flight++;
          else
            {
              c->state = 2;  /* no descriptor: counted missing */
              c->t = -1;
              n_done++;
              n_failed++;
            }
        }
      n = epoll_wait (cl->epfd, events, G_N_ELEMENTS (events), 100);
      for (int i = 0; i < n; i++)
        {
          Conn *c = events[i].data.ptr;
          char buf[16384];
          ssize_t got;

          if (c->state == 1 && (events[i].events & EPOLLOUT))
            {
              const char *req = request (cl, c);
              struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

              if (write (c->fd, req, strlen (req)) < 0 && errno != EAGAIN)
                goto failed;
              epoll_ctl (cl->epfd, EPOLL_CTL_MOD, c->fd, &ev);
              c->state = 3;  /* sent, reading */
            }
          if (!(events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
            continue;
          got = read (c->fd, buf, sizeof buf - 1);
          if (got < 0 && errno == EAGAIN)
            continue;
          if (got <= 0)
            goto failed;
          buf[got] = '\0';
          if (c->state == 3 && g_str_has_prefix (buf, "HTTP/1.1 "))
            {
              c->ok = buf[9] == '2';
              if (!c->ok)
                {
                  static gboolean said;

                  /* the first refusal in this process, to see why */
                  if (!said)
                    fprintf (stderr, "bench-relay: refused: %.*s … %.120s\n",
                             (int) strcspn (buf, "\r"), buf,
                             strstr (buf, "\r\n\r\n") ? strstr (buf, "\r\n\r\n") + 4 : "");
                  said = TRUE;
                  goto failed;
                }
              c->state = 4;  /* answered, streaming */
              in_flight--;
              n_open++;
            }
          if (c->state == 4)
            {
              g_autofree char *joined = g_strconcat (c->tail, buf, NULL);
              gsize len = strlen (joined);

              if (strstr (joined, marker))
                {
                  c->t = now_us ();
                  c->state = 2;
                  n_done++;
                  if (close_when_done)
                    {
                      close (c->fd);
                      c->fd = -1;
                    }
                  continue;
                }
              g_strlcpy (c->tail, joined + (len > 31 ? len - 31 : 0), sizeof c->tail);
            }
          continue;
failed:
          if (c->state == 1 || c->state == 3)
            in_flight--;
          close (c->fd);
          c->fd = -1;
          if (c->state == 4)
            n_open--;
          c->ok = FALSE;
          c->state = 2;
          c->t = -1;
          n_done++;
          n_failed++;
        }
      /* every stream open (or failed for good): the parent may fire */
      if (!told && report_fd >= 0 && n_open + n_failed >= cl->n)
        {
          write_line (report_fd, "O\n");
          told = TRUE;
        }
    }
}

static char request_buf[1024];

static const char *
events_request (Client *cl,
                Conn   *c)
{
  g_snprintf (request_buf, sizeof request_buf,
              "GET /api/v1/events HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer %s\r\n"
              "Accept: text/event-stream\r\n\r\n", cl->tokens[c->team]);
  return request_buf;
}

static const char *
ack_request (Client *cl,
             Conn   *c)
{
  g_snprintf (request_buf, sizeof request_buf,
              "POST /api/v1/injects/ALL/ack HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer %s\r\n"
              "Content-Length: 0\r\nConnection: close\r\n\r\n", cl->tokens[c->team]);
  return request_buf;
}

static void
client_main (Client *cl,
             int     to_parent,
             int     from_parent)
{
  Conn *streams = g_new0 (Conn, cl->n);
  Conn *acks = g_new0 (Conn, cl->n);
  gint64 *stamps = g_new (gint64, cl->n);
  gint64 first = G_MAXINT64, last = 0;
  guint n_ok = 0;
  char go[2];
  char line[128];

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  cl->epfd = epoll_create1 (EPOLL_CLOEXEC);
  for (guint i = 0; i < cl->n; i++)
    {
      streams[i].team = acks[i].team = cl->teams[i];
      streams[i].fd = acks[i].fd = -1;
    }
  /* the event streams: "O" once every one is open, then each inject event's time */
  cl->conns = streams;
  {
    /* open first (state 4 is open): the events wait for the parent's fire */
    run_conns (cl, events_request, "event: inject", FALSE, now_us () + 300 * G_USEC_PER_SEC,
               to_parent);
  }
  for (guint i = 0; i < cl->n; i++)
    stamps[i] = streams[i].state == 2 && streams[i].ok ? streams[i].t : -1;
  if (write (to_parent, stamps, cl->n * sizeof (gint64)) != (ssize_t) (cl->n * sizeof (gint64)))
    _exit (3);
  /* the acknowledgements, on the parent's word, each on a connection of its own */
  if (read (from_parent, go, 1) != 1)
    _exit (3);
  cl->conns = acks;
  first = now_us ();
  run_conns (cl, ack_request, "\r\n\r\n", TRUE, now_us () + 300 * G_USEC_PER_SEC, -1);
  for (guint i = 0; i < cl->n; i++)
    if (acks[i].ok && acks[i].t > 0)
      {
        n_ok++;
        last = MAX (last, acks[i].t);
      }
  g_snprintf (line, sizeof line, "%u %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", n_ok, first,
              last);
  write_line (to_parent, line);
  _exit (0);
}

/* The parent: Redis, the controller, the relays, and the figures ------------------------------ */

/* The most descriptors each server process held while watched: each must stay within its file
 * limit (20,000 here), which is why the teams are spread over relays and client processes. */
typedef struct {
  char  *pids[N_RELAYS + 1];  /* the relays', then the controller's */
  guint  peak[N_RELAYS + 1];
  gint   stop;
} FdWatch;

static guint
count_fds (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir && g_dir_read_name (dir))
    n++;
  return n;
}

static void
fd_watch_sample (FdWatch *w)
{
  for (guint i = 0; i < G_N_ELEMENTS (w->pids); i++)
    if (w->pids[i])
      w->peak[i] = MAX (w->peak[i], count_fds (w->pids[i]));
}

/* Samples twice a second (each sample reads some 10,000 entries per relay: not more often on a
 * machine the processes measured share). */
static gpointer
fd_watch_thread (gpointer data)
{
  FdWatch *w = data;

  while (!g_atomic_int_get (&w->stop))
    {
      fd_watch_sample (w);
      g_usleep (G_USEC_PER_SEC / 2);
    }
  return NULL;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
spawn (const char       *dir,
       const char       *log,
       GSubprocessFlags  flags,
       const char *const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autofree char *path = g_build_filename (dir, log, NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, path);
  g_subprocess_launcher_set_stderr_file_path (launcher, path);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL)
    g_error ("%s: %s", argv[0], error->message);
  return process;
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (!g_socket_bind (socket, any, TRUE, NULL))
    g_error ("no free port");
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Waits up to @seconds for @path to hold @text. */
static void
wait_for_text (const char *path,
               const char *text,
               guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, text))
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s: no “%s” after %u s (%s)", path, text, seconds,
                 contents ? contents : "empty");
      g_usleep (50 * 1000);
    }
}

static long
rss_kib (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (process));
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(line = strstr (text, "VmRSS:")))
    return -1;
  return strtol (line + 6, NULL, 10);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static int
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
read_all (int    fd,
          void  *buf,
          gsize  size)
{
  char *p = buf;

  while (size > 0)
    {
      ssize_t n = read (fd, p, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("a client process went away");
      p += n;
      size -= n;
    }
}

int
main (int    argc,
      char **argv)
{
  /* 20,000: the most teams a scenario may have (the loader refuses more), not the relays' limit */
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 20000;
  guint n_clients = argc > 2 ? (guint) atoi (argv[2]) : 8;
  g_autofree char *self_dir = g_path_get_dirname (argv[0]);
  g_autofree char *ctl = g_strdup (g_getenv ("WC_CTL"));
  g_autofree char *redis_server = g_find_program_in_path ("redis-server");
  g_autofree char *dir = g_dir_make_tmp ("whitecell-bench-relay-XXXXXX", NULL);
  g_autofree char *scenario = g_build_filename (dir, "scenario.json", NULL);
  g_autofree char *journal = g_build_filename (dir, "journal.jsonl", NULL);
  g_autofree char *tokens_out = g_build_filename (dir, "tokens-out.json", NULL);
  g_autofree char *redis_port = NULL, *redis_url = NULL, *listen = NULL;
  g_autoptr(GString) doc = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) redis = NULL;
  g_autoptr(GSubprocess) controller = NULL;
  GSubprocess *relays[N_RELAYS];
  guint ports[N_RELAYS];
  char **tokens;
  int to_parent[64][2], from_parent[64][2];
  pid_t pids[64];
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  struct rlimit rl;
  GOutputStream *in;
  gint64 t_fire, ack_first = G_MAXINT64, ack_last = 0;
  guint n_missing = 0, n_acked = 0;
  long rss_relays = 0;
  FdWatch fds = { { NULL } };
  GThread *fd_thread;

  setvbuf (stdout, NULL, _IOLBF, 0);
  if (redis_server == NULL)
    {
      printf ("bench-relay: redis-server is not installed (Debian: apt install redis-server)\n");
      return 77;
    }
  if (ctl == NULL)
    ctl = g_build_filename (self_dir, "..", "..", "app", "whitecellctl", NULL);
  n_clients = CLAMP (n_clients, 1, 64);
  getrlimit (RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit (RLIMIT_NOFILE, &rl);
  /* a relay holds its teams' streams and their acknowledgements' connections; a client process
   * its share of both */
  if (rl.rlim_cur < 2 * (n / n_clients + 1) + 100 || rl.rlim_cur < 2 * (n / N_RELAYS + 1) + 200)
    g_error ("%u teams need %u descriptors per process, the limit is %lu: fewer teams, or more "
             "client processes", n, MAX (2 * (n / n_clients + 1) + 100, 2 * (n / N_RELAYS + 1) + 200),
             (unsigned long) rl.rlim_cur);

  g_string_append (doc, "{\"format\": \"whitecell-scenario\", \"version\": 1, \"exercise\": {\"id\": "
                        "\"bench-relay\", \"title\": \"Bench\", \"tlp\": \"GREEN\", \"duration\": "
                        "\"T+04:00\"}, \"teams\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (doc, "%s{\"id\": \"t%u\", \"name\": \"Team %u\", \"kind\": \"operator\"}",
                            i ? "," : "", i, i);
  g_string_append (doc, "], \"injects\": [{\"id\": \"ALL\", \"trigger\": {\"type\": \"manual\"}, "
                        "\"channel\": \"alert\", \"to\": \"all\", \"title\": \"Alert\", \"body\": "
                        "\"The national emergency plan is activated.\"}]}");
  if (!g_file_set_contents (scenario, doc->str, doc->len, &error))
    g_error ("%s", error->message);

  redis_port = g_strdup_printf ("%u", free_port ());
  redis = spawn (dir, "redis.log", G_SUBPROCESS_FLAGS_NONE,
                 (const char *[]) { redis_server, "--port", redis_port, "--bind", "127.0.0.1",
                                    "--save", "", "--appendonly", "no", "--dir", dir,
                                    "--maxclients", "1000", NULL });
  {
    g_autofree char *log = g_build_filename (dir, "redis.log", NULL);

    wait_for_text (log, "Ready to accept", 30);
  }
  redis_url = g_strdup_printf ("redis://127.0.0.1:%s", redis_port);
  listen = g_strdup_printf ("127.0.0.1:%u", free_port ());
  controller = spawn (dir, "controller.log", G_SUBPROCESS_FLAGS_STDIN_PIPE,
                      (const char *[]) { ctl, "run", scenario, "--journal", journal, "--listen",
                                         listen, "--tokens-out", tokens_out, "--hot-wash", "0",
                                         "--redis", redis_url, NULL });
  {
    g_autofree char *log = g_build_filename (dir, "controller.log", NULL);

    wait_for_text (log, "clock-started", 120);
  }
  if (!json_parser_load_from_file (parser, tokens_out, &error))
    g_error ("%s", error->message);
  tokens = g_new0 (char *, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("t%u", i);

      tokens[i] = g_strdup (json_object_get_string_member (json_object_get_object_member (
        json_node_get_object (json_parser_get_root (parser)), id), "token"));
    }
  for (guint r = 0; r < N_RELAYS; r++)
    {
      g_autofree char *relay_listen = NULL, *log = g_strdup_printf ("relay-%u.log", r);

      ports[r] = free_port ();
      relay_listen = g_strdup_printf ("127.0.0.1:%u", ports[r]);
      relays[r] = spawn (dir, log, G_SUBPROCESS_FLAGS_NONE,
                         (const char *[]) { ctl, "relay", "--redis", redis_url, "--listen",
                                            relay_listen, NULL });
    }
  for (guint r = 0; r < N_RELAYS; r++)
    {
      g_autofree char *log = g_strdup_printf ("relay-%u.log", r);
      g_autofree char *path = g_build_filename (dir, log, NULL);

      wait_for_text (path, "Relaying exercise", 120);
    }

  printf ("Whitecell relays: %u teams across %u relays (Redis Streams), %u client processes, "
          "file limit %lu per process\n", n, N_RELAYS, n_clients, (unsigned long) rl.rlim_cur);
  for (guint k = 0; k < n_clients; k++)
    {
      if (pipe (to_parent[k]) < 0 || pipe (from_parent[k]) < 0)
        g_error ("pipe: %s", g_strerror (errno));
      pids[k] = fork ();
      if (pids[k] == 0)
        {
          Client cl = { .tokens = tokens, .ports = ports };

          cl.teams = g_new (guint, n / n_clients + 1);
          for (guint i = k; i < n; i += n_clients)
            cl.teams[cl.n++] = i;
          close (to_parent[k][0]);
          close (from_parent[k][1]);
          client_main (&cl, to_parent[k][1], from_parent[k][0]);
        }
      close (to_parent[k][1]);
      close (from_parent[k][0]);
    }
  {
    gint64 t0 = now_us ();

    for (guint k = 0; k < n_clients; k++)
      {
        char o[2];

        read_all (to_parent[k][0], o, 2);  /* "O\n" */
      }
    printf ("  %u event streams opened through the relays in %.1f s\n", n,
            (now_us () - t0) / 1e6);
  }
  for (guint r = 0; r < N_RELAYS; r++)
    rss_relays += rss_kib (relays[r]);
  printf ("  memory: relays %ld KiB in all with the streams (%ld KiB each), controller %ld KiB\n",
          rss_relays, rss_relays / N_RELAYS, rss_kib (controller));
  for (guint r = 0; r < N_RELAYS; r++)
    fds.pids[r] = g_strdup (g_subprocess_get_identifier (relays[r]));
  fds.pids[N_RELAYS] = g_strdup (g_subprocess_get_identifier (controller));
  fd_watch_sample (&fds);

  /* the fan-out: from the fire command to each stream's event */
  in = g_subprocess_get_stdin_pipe (controller);
  t_fire = now_us ();
  if (!g_output_stream_write_all (in, "fire ALL\n", 9, NULL, NULL, &error) ||
      !g_output_stream_flush (in, NULL, &error))
    g_error ("%s", error->message);
  for (guint k = 0; k < n_clients; k++)
    {
      guint share = n / n_clients + (k < n % n_clients);
      g_autofree gint64 *stamps = g_new (gint64, share);

      read_all (to_parent[k][0], stamps, share * sizeof (gint64));
      for (guint i = 0; i < share; i++)
        {
          gint64 latency = stamps[i] - t_fire;

          if (stamps[i] < 0)
            n_missing++;
          else
            g_array_append_val (latencies, latency);
        }
    }
  g_array_sort (latencies, cmp_gint64);
  if (latencies->len > 0)
    printf ("  fan-out of one inject to %u teams through the relays: median %.1f ms, p99 %.1f ms, "
            "last %.1f ms; %u missing\n", n,
            g_array_index (latencies, gint64, latencies->len / 2) / 1000.0,
            g_array_index (latencies, gint64, MIN (latencies->len - 1,
                                                   latencies->len * 99 / 100)) / 1000.0,
            g_array_index (latencies, gint64, latencies->len - 1) / 1000.0, n_missing);

  /* the acknowledgements: every team's, through its relay, answered once journaled */
  fd_thread = g_thread_new ("fd-watch", fd_watch_thread, &fds);
  for (guint k = 0; k < n_clients; k++)
    write_line (from_parent[k][1], "A");
  for (guint k = 0; k < n_clients; k++)
    {
      char line[128] = { 0 };
      gsize len = 0;
      guint ok;
      gint64 first, last;

      while (len < sizeof line - 1 && (len == 0 || line[len - 1] != '\n'))
        read_all (to_parent[k][0], line + len++, 1);
      if (sscanf (line, "%u %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, &ok, &first, &last) != 3)
        g_error ("a client process said “%s”", line);
      n_acked += ok;
      ack_first = MIN (ack_first, first);
      ack_last = MAX (ack_last, last);
      waitpid (pids[k], NULL, 0);
    }
  g_atomic_int_set (&fds.stop, TRUE);
  g_thread_join (fd_thread);
  printf ("  acknowledgements through the relays: %u of %u answered, %.0f/s (each journaled and "
          "durable before its answer, one connection per acknowledgement)\n", n_acked, n,
          n_acked / MAX (1e-6, (ack_last - ack_first) / 1e6));
  printf ("  descriptors at most (limit %lu each): relays", (unsigned long) rl.rlim_cur);
  for (guint r = 0; r < N_RELAYS; r++)
    printf (" %u", fds.peak[r]);
  printf (", controller %u; client processes ≤ %u (%u streams, %u acknowledgements at once)\n",
          fds.peak[N_RELAYS], n / n_clients + 1 + MAX_IN_FLIGHT + 8, n / n_clients + 1,
          MAX_IN_FLIGHT);
  for (guint i = 0; i < G_N_ELEMENTS (fds.pids); i++)
    g_free (fds.pids[i]);

  if (!g_output_stream_write_all (in, "end\n", 4, NULL, NULL, NULL))
    g_warning ("the controller went away");
  g_output_stream_flush (in, NULL, NULL);
  g_subprocess_wait (controller, NULL, NULL);
  for (guint r = 0; r < N_RELAYS; r++)
    {
      g_subprocess_send_signal (relays[r], SIGTERM);
      g_subprocess_wait (relays[r], NULL, NULL);
      g_object_unref (relays[r]);
    }
  g_subprocess_force_exit (redis);
  g_subprocess_wait (redis, NULL, NULL);
  g_strfreev (tokens);

  /* the single process, in the same invocation: as many teams as its limit allows (each
   * connection is two descriptors there, and the acknowledgements' connections are opened while
   * the event streams are held: four per team; with 9,950 it ran out of descriptors) */
  if (g_getenv ("WC_BENCH_RELAY_KEEP") == NULL)
    remove_dir (dir);
  if (g_getenv ("WC_BENCH_RELAY_NO_HTTP") == NULL)
    {
      guint single = MIN (n, (guint) (rl.rlim_cur - 100) / 4);
      g_autofree char *bench_http = g_build_filename (self_dir, "bench-http", NULL);
      g_autofree char *teams = g_strdup_printf ("%u", single);
      g_autofree char *out = NULL;

      printf ("Single process, for comparison (bench-http %u 3; its file limit allows %u teams):\n",
              single, single);
      if (!g_spawn_sync (NULL, (char *[]) { bench_http, teams, (char *) "3", NULL }, NULL,
                         G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, NULL, &error))
        printf ("  bench-http: %s\n", error->message);
      else
        printf ("%s", out);
    }
  return 0;
}
