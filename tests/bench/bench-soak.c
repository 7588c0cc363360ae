/* bench-soak.c: the HTTP layer left running: N teams on event streams for M minutes at 100×, each
 * answering the injects that reach it and reconnecting now and then with Last-Event-ID. Prints
 * the process's resident memory and open file descriptors over time (they must stay flat), how
 * long /healthz takes meanwhile, and checks at the end that every answer the server confirmed
 * (201) is in the journal on disk.
 *
 * The clients are plain sockets in a thread of their own; the server runs on the main loop, in
 * the same process (so the descriptor count includes the clients' sockets: N streams both ends).
 * Usage: bench-soak [N_CLIENTS (1000)] [MINUTES (30)]
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench-util.h"
#include "wc-scenario-loader.h"
#include "wc-server.h"

#define SPEED 100.0
/* a stream reconnects after this long, give or take half */
#define RECONNECT_S 60

typedef struct {
  int       fd;
  GString  *buf;
  char     *token;
  guint64   last_id;
  gint64    reconnect_at;
} Client;

typedef struct {
  guint16     port;
  guint       n;
  Client     *clients;
  gint64      until;
  GPtrArray  *confirmed;  /* answer texts the server confirmed */
  guint       reconnects;
  guint       refused;    /* answers refused (a limit: not counted as lost) */
  gint        quit;
} Soak;

static guint
open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir && g_dir_read_name (dir))
    n++;
  return n;
}

static int
connect_to (guint16 port)
{
  struct sockaddr_in sa = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  sa.sin_family = AF_INET;
  sa.sin_port = htons (port);
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || connect (fd, (struct sockaddr *) &sa, sizeof sa) < 0)
    g_error ("connect: %s", g_strerror (errno));
  return fd;
}

static void
send_all (int         fd,
          const char *text)
{
  gsize done = 0, length = strlen (text);

  while (done < length)
    {
      ssize_t n = send (fd, text + done, length - done, MSG_NOSIGNAL);

      if (n <= 0)
        return;
      done += n;
    }
}

static void
stream_open (Soak   *soak,
             Client *c)
{
  g_autofree char *request = NULL;

  if (c->fd >= 0)
    {
      close (c->fd);
      soak->reconnects++;
    }
  request = g_strdup_printf ("GET /api/v1/events HTTP/1.1\r\nHost: x\r\n"
                             "Authorization: Bearer %s\r\nLast-Event-ID: %" G_GUINT64_FORMAT
                             "\r\n\r\n", c->token, c->last_id);
  c->fd = connect_to (soak->port);
  send_all (c->fd, request);
  g_string_truncate (c->buf, 0);
  c->reconnect_at = g_get_monotonic_time () +
                    g_random_int_range (RECONNECT_S / 2, RECONNECT_S * 3 / 2) * G_USEC_PER_SEC;
}

/* One answer by its own connection; the status. */
static guint
answer (Soak       *soak,
        Client     *c,
        const char *inject,
        const char *text)
{
  g_autofree char *body = g_strdup_printf ("{\"text\": \"%s\"}", text);
  g_autofree char *request = g_strdup_printf ("POST /api/v1/injects/%s/responses HTTP/1.1\r\n"
                                              "Host: x\r\nConnection: close\r\n"
                                              "Authorization: Bearer %s\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: %zu\r\n\r\n%s",
                                              inject, c->token, strlen (body), body);
  int fd = connect_to (soak->port);
  char reply[64] = { 0 };
  gsize got = 0;

  send_all (fd, request);
  while (got < 12)
    {
      ssize_t n = recv (fd, reply + got, sizeof reply - 1 - got, 0);

      if (n <= 0)
        break;
      got += n;
    }
  close (fd);
  return got >= 12 ? (guint) strtoul (reply + 9, NULL, 10) : 0;
}

/* The events complete in @c's buffer: note the last id, answer each inject. */
static void
handle_events (Soak   *soak,
               Client *c,
               guint   index)
{
  char *end;

  while ((end = strstr (c->buf->str, "\n\n")) != NULL)
    {
      gsize length = end - c->buf->str + 2;
      g_autofree char *event = g_strndup (c->buf->str, length);
      const char *id = strstr (event, "id: ");
      const char *inject = strstr (event, "\"id\":\"");

      g_string_erase (c->buf, 0, length);
      if (id)
        c->last_id = g_ascii_strtoull (id + 4, NULL, 10);
      if (strstr (event, "event: inject") && inject)
        {
          g_autofree char *inject_id = g_strndup (inject + 6, strcspn (inject + 6, "\""));
          g_autofree char *text = g_strdup_printf ("soak-%u-%s-%" G_GUINT64_FORMAT, index,
                                                   inject_id, c->last_id);
          guint status = answer (soak, c, inject_id, text);

          if (status == 201)
            g_ptr_array_add (soak->confirmed, g_steal_pointer (&text));
          else
            soak->refused++;
        }
    }
}

static gpointer
client_thread (gpointer data)
{
  Soak *soak = data;
  g_autofree struct pollfd *fds = g_new0 (struct pollfd, soak->n);
  char chunk[16384];

  for (guint i = 0; i < soak->n; i++)
    stream_open (soak, &soak->clients[i]);
  while (!g_atomic_int_get (&soak->quit) && g_get_monotonic_time () < soak->until)
    {
      gint64 now = g_get_monotonic_time ();

      for (guint i = 0; i < soak->n; i++)
        {
          fds[i].fd = soak->clients[i].fd;
          fds[i].events = POLLIN;
        }
      if (poll (fds, soak->n, 100) < 0 && errno != EINTR)
        g_error ("poll: %s", g_strerror (errno));
      for (guint i = 0; i < soak->n; i++)
        {
          Client *c = &soak->clients[i];

          if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
            {
              ssize_t got = recv (c->fd, chunk, sizeof chunk, MSG_DONTWAIT);

              if (got > 0)
                {
                  /* the HTTP head and the chunk sizes are not events; the blank line after the
                   * head is skipped with it */
                  g_string_append_len (c->buf, chunk, got);
                  handle_events (soak, c, i);
                }
              else if (got == 0 || (errno != EAGAIN && errno != EINTR))
                stream_open (soak, c);
            }
          else if (now > c->reconnect_at)
            stream_open (soak, c);
        }
    }
  for (guint i = 0; i < soak->n; i++)
    close (soak->clients[i].fd);
  g_atomic_int_set (&soak->quit, 2);
  return NULL;
}

static gint64 health_worst;

static void
health_thread_run (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  Soak *soak = data;
  int fd = connect_to (soak->port);
  char reply[512];
  gint64 start = g_get_monotonic_time ();

  send_all (fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  while (recv (fd, reply, sizeof reply, 0) > 0)
    ;
  close (fd);
  g_task_return_int (task, g_get_monotonic_time () - start);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  double minutes = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 30;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("soak.json");
  g_autofree char *dir = g_dir_make_tmp ("whitecell-soak-XXXXXX", NULL);
  g_autofree char *journal = g_build_filename (dir, "journal.jsonl", NULL);
  g_autofree char *doc = NULL;
  g_autofree char *written = NULL;
  g_autoptr(WcScenario) scenario = NULL;
  g_autoptr(WcEngine) engine = NULL;
  g_autoptr(WcTokens) tokens = NULL;
  g_autoptr(WcServer) server = NULL;
  g_autoptr(GHashTable) in_journal = g_hash_table_new (g_str_hash, g_str_equal);
  WcServerLimits limits;
  Soak soak = { 0 };
  GThread *thread;
  guint n_injects = (guint) (minutes * 60 * SPEED / 60.0) + 2, lost = 0;
  gint64 start, next_report;
  gsize written_size = 0;
  struct rlimit files;

  if (n == 0 || minutes <= 0)
    g_error ("usage: bench-soak [N_CLIENTS] [MINUTES]");
  /* an inject every real 0.6 s at 100×, each to a tenth of the teams */
  doc = bench_make_scenario (n, n_injects, MAX (1, n / 10), 60000, 0);
  scenario = wc_scenario_load_data (doc, strlen (doc), NULL, diag, &error);
  if (scenario == NULL)
    g_error ("%s", error->message);
  wc_scenario_set_sha256 (scenario, "soak");
  if ((engine = wc_engine_new (scenario, journal, &error)) == NULL ||
      (tokens = wc_tokens_generate (scenario, &error)) == NULL)
    g_error ("%s", error->message);
  server = wc_server_new (engine, tokens);
  wc_server_get_default_limits (&limits);
  /* every client comes from 127.0.0.1 */
  limits.max_connections_per_address = 0;
  wc_server_set_limits (server, &limits);
  if (!wc_server_listen (server, "127.0.0.1", 0, NULL, &error) ||
      !wc_engine_start (engine, &error) || !wc_engine_set_speed (engine, SPEED, &error))
    g_error ("%s", error->message);
  getrlimit (RLIMIT_NOFILE, &files);

  soak.port = wc_server_get_port (server);
  soak.n = n;
  soak.clients = g_new0 (Client, n);
  soak.confirmed = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      soak.clients[i].fd = -1;
      soak.clients[i].buf = g_string_new (NULL);
      soak.clients[i].token = g_strdup (wc_tokens_get_team_token (tokens,
                                          wc_scenario_get_team (scenario, i)->id));
    }
  start = g_get_monotonic_time ();
  soak.until = start + (gint64) (minutes * 60 * G_USEC_PER_SEC);
  printf ("Whitecell soak: %u teams on event streams for %.1f min at %.0f×, file limit %lu\n", n,
          minutes, SPEED, (unsigned long) files.rlim_cur);
  printf ("  %8s %10s %6s %8s %8s %8s %10s %12s\n", "t (s)", "RSS (KiB)", "fds", "streams",
          "conns", "answers", "reconnects", "healthz (ms)");
  thread = g_thread_new ("clients", client_thread, &soak);
  next_report = start;
  while (g_atomic_int_get (&soak.quit) != 2)
    {
      g_main_context_iteration (NULL, FALSE);
      if (g_get_monotonic_time () >= next_report)
        {
          g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
          gint64 took;

          g_task_set_task_data (task, &soak, NULL);
          g_task_run_in_thread (task, health_thread_run);
          while (!g_task_get_completed (task))
            g_main_context_iteration (NULL, TRUE);
          took = g_task_propagate_int (task, NULL);
          health_worst = MAX (health_worst, took);
          printf ("  %8.0f %10ld %6u %8u %8u %8u %10u %12.1f\n",
                  (g_get_monotonic_time () - start) / 1e6, bench_status_kib ("VmRSS:"), open_fds (),
                  wc_server_get_n_streams (server), wc_server_get_n_connections (server),
                  soak.confirmed->len, soak.reconnects, took / 1000.0);
          fflush (stdout);
          next_report += MAX (10, (gint64) (minutes * 6)) * G_USEC_PER_SEC;
        }
      else
        g_usleep (200);
    }
  g_thread_join (thread);
  wc_server_disconnect (server);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* every confirmed answer is on disk */
  if (!g_file_get_contents (journal, &written, &written_size, &error))
    g_error ("%s", error->message);
  for (char *p = written; (p = strstr (p, "\"soak-")) != NULL;)
    {
      char *end = strchr (p + 1, '"');

      *end = '\0';
      g_hash_table_add (in_journal, p + 1);
      p = end + 1;
    }
  for (guint i = 0; i < soak.confirmed->len; i++)
    lost += !g_hash_table_contains (in_journal, g_ptr_array_index (soak.confirmed, i));
  printf ("  answers confirmed %u, refused by a limit %u, missing from the journal %u; "
          "worst /healthz %.1f ms; peak RSS %ld KiB\n", soak.confirmed->len, soak.refused, lost,
          health_worst / 1000.0, bench_status_kib ("VmHWM:"));
  /* the engine keeps the journal's records in memory: what RSS grows by is mostly them */
  printf ("  journal records %u, %.2f MiB on disk\n",
          wc_journal_get_n_records (wc_engine_get_journal (engine)), written_size / 1048576.0);

  for (guint i = 0; i < n; i++)
    {
      g_string_free (soak.clients[i].buf, TRUE);
      g_free (soak.clients[i].token);
    }
  g_free (soak.clients);
  g_ptr_array_unref (soak.confirmed);
  g_unlink (journal);
  g_rmdir (dir);
  return lost == 0 ? 0 : 1;
}
