/* test-sse-index.c: the event streams found by team. Many teams, several streams each: every
 * record reaches exactly its teams' streams, once each, and none other; streams that close while
 * an inject goes out are forgotten without harm to the others. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test-util.h"
#include "wc-scenario-loader.h"
#include "wc-server.h"

#define N_TEAMS      24
#define N_PER_TEAM   3
#define N_INJECTS    5

#define WAIT_UNTIL(cond) WC_TEST_WAIT_UNTIL (cond, 20, FALSE)

/* One raw client of a team's event stream: what it has read so far. */
typedef struct {
  guint    team;
  int      fd;
  GString *got;
} Client;

typedef struct {
  char       *dir;
  WcScenario *scenario;
  WcEngine   *engine;
  WcTokens   *tokens;
  WcServer   *server;
  Client      clients[N_TEAMS * N_PER_TEAM];
} Fixture;

/* Inject k goes to the teams whose number has bit k set (k = 0 … N_INJECTS - 1): each team has
 * its own mix, and no two injects the same recipients. */
static gboolean
inject_reaches (guint inject,
                guint team)
{
  return ((team + 1) >> inject) & 1;
}

static char *
scenario_text (void)
{
  GString *doc = g_string_new ("{\"format\": \"whitecell-scenario\", \"version\": 1, \"exercise\": "
                               "{\"id\": \"idx\", \"title\": \"Index\", \"tlp\": \"GREEN\", "
                               "\"duration\": \"T+01:00\"}, \"teams\": [");

  for (guint t = 0; t < N_TEAMS; t++)
    g_string_append_printf (doc, "%s{\"id\": \"t%u\", \"name\": \"Team %u\", \"kind\": \"csirt\"}",
                            t ? "," : "", t, t);
  g_string_append (doc, "], \"injects\": [");
  for (guint k = 0; k < N_INJECTS; k++)
    {
      g_string_append_printf (doc, "%s{\"id\": \"I%u\", \"trigger\": {\"type\": \"manual\"}, "
                                   "\"channel\": \"email\", \"title\": \"Inject %u\", \"body\": "
                                   "\"b\", \"to\": [", k ? "," : "", k, k);
      for (guint t = 0, first = 1; t < N_TEAMS; t++)
        if (inject_reaches (k, t))
          {
            g_string_append_printf (doc, "%s\"t%u\"", first ? "" : ",", t);
            first = 0;
          }
      g_string_append (doc, "]}");
    }
  g_string_append (doc, "]}");
  return g_string_free (doc, FALSE);
}

/* @rcvbuf: the socket's receive buffer, 0 for the system's */
static int
connect_stream_with (Fixture    *f,
                     const char *team,
                     int         rcvbuf)
{
  struct sockaddr_in sa = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_autofree char *request =
    g_strdup_printf ("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n",
                     wc_tokens_get_team_token (f->tokens, team));

  g_assert_cmpint (fd, >=, 0);
  /* before connecting: the window the client offers follows it from the start */
  if (rcvbuf > 0)
    setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sa.sin_family = AF_INET;
  sa.sin_port = htons (wc_server_get_port (f->server));
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &sa, sizeof sa), ==, 0);
  g_assert_cmpint (send (fd, request, strlen (request), 0), ==, (ssize_t) strlen (request));
  return fd;
}

static int
connect_stream (Fixture    *f,
                const char *team)
{
  return connect_stream_with (f, team, 0);
}

/* Reads what is waiting on every open stream, without blocking. */
static void
pump (Fixture *f)
{
  char chunk[4096];

  for (guint i = 0; i < G_N_ELEMENTS (f->clients); i++)
    {
      Client *c = &f->clients[i];
      ssize_t got;

      while (c->fd >= 0 && (got = recv (c->fd, chunk, sizeof chunk, MSG_DONTWAIT)) > 0)
        g_string_append_len (c->got, chunk, got);
    }
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static gboolean
all_have (Fixture    *f,
          const char *needle)
{
  pump (f);
  for (guint i = 0; i < G_N_ELEMENTS (f->clients); i++)
    if (f->clients[i].fd >= 0 && strstr (f->clients[i].got->str, needle) == NULL)
      return FALSE;
  return TRUE;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("index.json");
  g_autofree char *doc = scenario_text ();
  g_autofree char *journal = NULL;
  WcServerLimits limits;

  f->dir = g_dir_make_tmp ("whitecell-sse-index-XXXXXX", &error);
  g_assert_no_error (error);
  journal = g_build_filename (f->dir, "journal.jsonl", NULL);
  f->scenario = wc_scenario_load_data (doc, strlen (doc), NULL, diag, &error);
  g_assert_no_error (error);
  wc_scenario_set_sha256 (f->scenario, "index");
  f->engine = wc_engine_new (f->scenario, journal, &error);
  g_assert_no_error (error);
  f->tokens = wc_tokens_generate (f->scenario, &error);
  g_assert_no_error (error);
  f->server = wc_server_new (f->engine, f->tokens);
  wc_server_get_default_limits (&limits);
  limits.rate_burst = 10000;
  /* a minute: a test that a closed page is found without writing to it is not fooled by a ping */
  limits.keepalive_seconds = 60;
  wc_server_set_limits (f->server, &limits);
  g_assert_true (wc_server_listen (f->server, "127.0.0.1", 0, NULL, &error));
  g_assert_true (wc_engine_start (f->engine, &error));
  for (guint t = 0; t < N_TEAMS; t++)
    for (guint s = 0; s < N_PER_TEAM; s++)
      {
        g_autofree char *team = g_strdup_printf ("t%u", t);
        Client *c = &f->clients[t * N_PER_TEAM + s];

        c->team = t;
        c->fd = connect_stream (f, team);
        c->got = g_string_new (NULL);
      }
  /* every stream opened: its first event is the exercise's state */
  WAIT_UNTIL (all_have (f, "event: exercise"));
  g_assert_cmpuint (wc_server_get_n_streams (f->server), ==, N_TEAMS * N_PER_TEAM);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (f->clients); i++)
    {
      if (f->clients[i].fd >= 0)
        close (f->clients[i].fd);
      g_string_free (f->clients[i].got, TRUE);
    }
  wc_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->engine);
  g_clear_object (&f->tokens);
  g_clear_object (&f->scenario);
  wc_test_remove_dir (f->dir);
  g_free (f->dir);
}

/* "id":"Ik" as the inject event's data carries it */
static char *
inject_marker (guint k)
{
  return g_strdup_printf ("\"id\":\"I%u\"", k);
}

/* Every open stream holds the injects of its team, once each, and no other. */
static void
assert_delivered (Fixture *f)
{
  for (guint i = 0; i < G_N_ELEMENTS (f->clients); i++)
    {
      Client *c = &f->clients[i];

      if (c->fd < 0)
        continue;
      for (guint k = 0; k < N_INJECTS; k++)
        {
          g_autofree char *marker = inject_marker (k);

          g_assert_cmpuint (count (c->got->str, marker), ==, inject_reaches (k, c->team) ? 1 : 0);
        }
    }
}

static gboolean
all_got_theirs (Fixture *f,
                guint    last)
{
  pump (f);
  for (guint i = 0; i < G_N_ELEMENTS (f->clients); i++)
    {
      Client *c = &f->clients[i];

      for (guint k = 0; k <= last; k++)
        {
          g_autofree char *marker = inject_marker (k);

          if (c->fd >= 0 && inject_reaches (k, c->team) && strstr (c->got->str, marker) == NULL)
            return FALSE;
        }
    }
  return TRUE;
}

static void
test_recipients_only (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  for (guint k = 0; k < N_INJECTS; k++)
    {
      g_autofree char *id = g_strdup_printf ("I%u", k);

      g_assert_true (wc_engine_fire_inject (f->engine, id, &error));
      g_assert_no_error (error);
      WAIT_UNTIL (all_got_theirs (f, k));
    }
  /* what is not yet read would be more of the same: give it the time to come, then count */
  for (guint i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  pump (f);
  assert_delivered (f);
}

/* One stream of every team but the first, and every stream of the last team, close as an inject
 * to every team goes out: the others still get it, once, and the server forgets the closed. */
static void
test_closing_during_fan_out (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n_closed = 0;

  for (guint i = 0; i < G_N_ELEMENTS (f->clients); i++)
    {
      Client *c = &f->clients[i];

      if ((c->team > 0 && i % N_PER_TEAM == 0) || c->team == N_TEAMS - 1)
        {
          /* a reset, not a polite close: the server learns of it only when it writes */
          struct linger hard = { 1, 0 };

          setsockopt (c->fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
          close (c->fd);
          c->fd = -1;
          n_closed++;
        }
    }
  /* I0…I4 together reach every team numbered below 31: all of them here */
  for (guint k = 0; k < N_INJECTS; k++)
    {
      g_autofree char *id = g_strdup_printf ("I%u", k);

      g_assert_true (wc_engine_fire_inject (f->engine, id, &error));
      g_assert_no_error (error);
    }
  WAIT_UNTIL (all_got_theirs (f, N_INJECTS - 1));
  pump (f);
  assert_delivered (f);
  WAIT_UNTIL (wc_server_get_n_streams (f->server) == N_TEAMS * N_PER_TEAM - n_closed);
}

/* Undoes the chunked framing of @raw (the response after its headers): the events as the client
 * reads them, and FALSE if a chunk's size does not match what follows it. */
static gboolean
unchunk (const char *raw,
         GString    *body,
         gboolean   *ended)
{
  const char *p = strstr (raw, "\r\n\r\n");

  *ended = FALSE;
  if (p == NULL)
    return FALSE;
  for (p += 4; *p; )
    {
      char *end = NULL;
      guint64 size = g_ascii_strtoull (p, &end, 16);

      if (end == p || !g_str_has_prefix (end, "\r\n"))
        return FALSE;
      p = end + 2;
      if (size == 0)
        {
          *ended = g_str_has_prefix (p, "\r\n");
          return *ended;
        }
      if (strlen (p) < size + 2 || strncmp (p + size, "\r\n", 2) != 0)
        return FALSE;
      g_string_append_len (body, p, size);
      p += size + 2;
    }
  return TRUE;
}

/* A team's tab that does not read while a hundred large answers (3 MiB: more than loopback's
 * socket buffers hold) are sent to it: the socket takes part of them and the server keeps the
 * rest, in order, and writes it as the client reads; the chunks' framing holds across the writes
 * the socket took only in part. */
static void
test_slow_reader (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = g_strnfill (32 * 1024, 'x');
  g_autoptr(GString) body = g_string_new (NULL);
  Client *c = &f->clients[0];
  const char *p;
  gboolean ended;
  WcServerLimits limits;

  wc_server_get_default_limits (&limits);
  limits.rate_burst = 10000;
  limits.keepalive_seconds = 60;
  limits.max_stream_backlog = 8 * 1024 * 1024;
  wc_server_set_limits (f->server, &limits);
  /* a small window: the server's writes fill it after a few answers */
  close (c->fd);
  g_string_truncate (c->got, 0);
  c->fd = connect_stream_with (f, "t0", 2048);
  WAIT_UNTIL ((pump (f), strstr (c->got->str, "event: exercise") != NULL));
  /* each answer announced, and its event written, before the next is taken */
  wc_engine_set_group_commit (f->engine, FALSE);
  g_assert_true (wc_engine_fire_inject (f->engine, "I0", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *mark = g_strdup_printf ("N%02u", i);

      memcpy (answer, mark, 3);
      g_assert_true (wc_engine_respond (f->engine, "I0", "t0", answer, NULL, &error));
      g_assert_no_error (error);
    }
  /* now it reads, slowly at first */
  WAIT_UNTIL ((pump (f), strstr (c->got->str, "\"text\":\"N99") != NULL));
  wc_server_close_teams (f->server);
  {
    char chunk[4096];
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    ssize_t got = 1;

    /* to its end: the last chunk, then the server closes */
    while (got != 0 && g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        got = recv (c->fd, chunk, sizeof chunk, MSG_DONTWAIT);
        if (got > 0)
          g_string_append_len (c->got, chunk, got);
        else if (got < 0)
          g_usleep (1000);
      }
    g_assert_cmpint (got, ==, 0);
  }
  g_assert_true (unchunk (c->got->str, body, &ended));
  g_assert_true (ended);
  p = body->str;
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *mark = g_strdup_printf ("\"text\":\"N%02u", i);

      p = strstr (p, mark);
      g_assert_nonnull (p);
    }
}

/* A page closed without a word: the server, which writes nothing meanwhile, finds it gone within
 * a couple of seconds (one poll() over the streams each second), and the team's presence ends
 * with its last stream. */
static void
test_client_gone (Fixture       *f,
                  gconstpointer  data)
{
  guint n = wc_server_get_n_streams (f->server);
  WcPresence *presence = wc_server_get_presence (f->server);
  gint64 t0;

  g_assert_true (wc_presence_is_team_connected (presence, "t1"));
  t0 = g_get_monotonic_time ();
  for (guint s = 0; s < N_PER_TEAM; s++)
    {
      close (f->clients[N_PER_TEAM + s].fd);
      f->clients[N_PER_TEAM + s].fd = -1;
    }
  WC_TEST_WAIT_UNTIL (wc_server_get_n_streams (f->server) == n - N_PER_TEAM, 20, TRUE);
  /* the keep-alive comes once a minute here: it was not what found them */
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 10 * G_USEC_PER_SEC);
  WAIT_UNTIL (!wc_presence_is_team_connected (presence, "t1"));
  g_assert_true (wc_presence_is_team_connected (presence, "t2"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/whitecell/sse-index/recipients-only", Fixture, NULL, fixture_setup,
              test_recipients_only, fixture_teardown);
  g_test_add ("/whitecell/sse-index/closing-during-fan-out", Fixture, NULL, fixture_setup,
              test_closing_during_fan_out, fixture_teardown);
  g_test_add ("/whitecell/sse-index/slow-reader", Fixture, NULL, fixture_setup, test_slow_reader,
              fixture_teardown);
  g_test_add ("/whitecell/sse-index/client-gone", Fixture, NULL, fixture_setup, test_client_gone,
              fixture_teardown);
  return g_test_run ();
}
