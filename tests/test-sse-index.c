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

static int
connect_stream (Fixture    *f,
                const char *team)
{
  struct sockaddr_in sa = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_autofree char *request =
    g_strdup_printf ("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n",
                     wc_tokens_get_team_token (f->tokens, team));

  g_assert_cmpint (fd, >=, 0);
  sa.sin_family = AF_INET;
  sa.sin_port = htons (wc_server_get_port (f->server));
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &sa, sizeof sa), ==, 0);
  g_assert_cmpint (send (fd, request, strlen (request), 0), ==, (ssize_t) strlen (request));
  return fd;
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/whitecell/sse-index/recipients-only", Fixture, NULL, fixture_setup,
              test_recipients_only, fixture_teardown);
  g_test_add ("/whitecell/sse-index/closing-during-fan-out", Fixture, NULL, fixture_setup,
              test_closing_during_fan_out, fixture_teardown);
  return g_test_run ();
}
