/* test-hardening.c: the HTTP layer against what a participant, or anyone who reaches the port,
 * could do to stop an exercise: a replay of huge answers, running the process out of file
 * descriptors, slow and silent connections, bodies with no announced size, floods of answers,
 * links out of the scenario's folder, deeply nested JSON, and the smaller holes of a review.
 * Clients are raw sockets in a thread, so that the server's main loop runs freely meanwhile. */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test-util.h"
#include "wc-scenario-loader.h"
#include "wc-server.h"

#define WAIT_UNTIL(cond) WC_TEST_WAIT_UNTIL (cond, 60, TRUE)

typedef struct {
  char        *dir;
  WcScenario  *scenario;
  WcEngine    *engine;
  WcTokens    *tokens;
  WcServer    *server;
  guint        port;
} Fixture;

static const char scenario_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"hard\", \"title\": \"Hardening\", \"tlp\": \"AMBER\", \"languages\": [\"en\"],\n"
  "   \"duration\": \"T+02:00\"},\n"
  " \"teams\": [{\"id\": \"a\", \"name\": \"Team A\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"b\", \"name\": \"Team B\", \"kind\": \"operator\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"I1\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"email\", \"to\": \"all\", \"title\": \"One\",\n"
  "   \"body\": \"b\", \"attachments\": [{\"file\": \"big.bin\", \"media_type\": \"application/octet-stream\"},\n"
  "   {\"file\": \"attachments/x\", \"media_type\": \"text/plain\"},\n"
  "   {\"file\": \"linked/passwd\", \"media_type\": \"text/plain\"}]},\n"
  "  {\"id\": \"I2\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"news\", \"to\": [\"a\"], \"title\": \"Two\", \"body\": \"b\"}\n"
  " ]}\n";

#define BIG_SIZE (3 * 1024 * 1024 + 17)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const WcServerLimits *custom = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("hard.json");
  g_autofree char *path = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *big = g_malloc (BIG_SIZE);
  g_autofree char *big_path = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *link = NULL;
  g_autofree char *linked = NULL;
  g_autofree char *linked_file = NULL;
  WcServerLimits limits;

  f->dir = g_dir_make_tmp ("whitecell-hard-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "scenario.json", NULL);
  journal = g_build_filename (f->dir, "journal.jsonl", NULL);
  g_assert_true (g_file_set_contents (path, scenario_json, -1, NULL));
  for (guint i = 0; i < BIG_SIZE; i++)
    big[i] = (char) (i * 7 + i / 4096);
  big_path = g_build_filename (f->dir, "big.bin", NULL);
  g_assert_true (g_file_set_contents (big_path, big, BIG_SIZE, NULL));
  /* plain files while the scenario loads (the loader refuses links) ... */
  sub = g_build_filename (f->dir, "attachments", NULL);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  link = g_build_filename (sub, "x", NULL);
  g_assert_true (g_file_set_contents (link, "x", -1, NULL));
  linked = g_build_filename (f->dir, "linked", NULL);
  g_assert_cmpint (g_mkdir (linked, 0700), ==, 0);
  linked_file = g_build_filename (linked, "passwd", NULL);
  g_assert_true (g_file_set_contents (linked_file, "p", -1, NULL));
  f->scenario = wc_scenario_load (path, diag, &error);
  for (guint i = 0; error && i < wc_diagnostics_get_n_items (diag); i++)
    g_printerr ("%s: %s\n", wc_diagnostics_get_item (diag, i)->path,
                wc_diagnostics_get_item (diag, i)->message);
  g_assert_no_error (error);
  /* ... swapped during the exercise for attachments/x -> /etc/passwd and linked/ -> /etc */
  g_assert_cmpint (g_unlink (link), ==, 0);
  g_assert_cmpint (symlink ("/etc/passwd", link), ==, 0);
  g_assert_cmpint (g_unlink (linked_file), ==, 0);
  g_assert_cmpint (g_rmdir (linked), ==, 0);
  g_assert_cmpint (symlink ("/etc", linked), ==, 0);
  f->engine = wc_engine_new (f->scenario, journal, &error);
  g_assert_no_error (error);
  f->tokens = wc_tokens_generate (f->scenario, &error);
  g_assert_no_error (error);
  f->server = wc_server_new (f->engine, f->tokens);
  if (custom)
    limits = *custom;
  else
    {
      wc_server_get_default_limits (&limits);
      limits.rate_burst = 10000;
    }
  wc_server_set_limits (f->server, &limits);
  g_assert_true (wc_server_listen (f->server, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  f->port = wc_server_get_port (f->server);
  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  wc_server_disconnect (f->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->server);
  g_assert_finalize_object (f->engine);
  g_object_unref (f->tokens);
  g_object_unref (f->scenario);
  wc_test_remove_dir (f->dir);
  g_free (f->dir);
}

/* A raw HTTP client in a thread ------------------------------------------------------------- */

typedef struct {
  guint     port;
  char     *request;        /* head, and a body when it fits */
  gsize     chunked_total;  /* then this much more as a chunked body, 64 KiB a chunk */
  gsize     max_read;       /* stop reading at this many bytes ... */
  char     *until;          /* ... or once the reply holds this */
  gboolean  hold;           /* then keep the connection open until raw_free() */
  gint      release;
  /* results */
  gsize     sent;
  GString  *reply;
  gint64    elapsed_us;
  gboolean  done;
  GThread  *thread;
} Raw;

static gpointer
raw_thread (gpointer data)
{
  Raw *r = data;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (lo, r->port);
  gint64 start = g_get_monotonic_time ();
  char buffer[16384];

  g_socket_set_timeout (socket, 30);
  if (socket && g_socket_connect (socket, address, NULL, NULL))
    {
      if (g_socket_send (socket, r->request, strlen (r->request), NULL, NULL) > 0)
        {
          g_autofree char *chunk = g_malloc0 (65536 + 16);

          memcpy (chunk, "10000\r\n", 7);
          memset (chunk + 7, 'x', 65536);
          memcpy (chunk + 7 + 65536, "\r\n", 2);
          while (r->sent < r->chunked_total &&
                 g_socket_send (socket, chunk, 65536 + 9, NULL, NULL) == 65536 + 9)
            r->sent += 65536;
        }
      while (r->reply->len < r->max_read)
        {
          gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);
          gsize from = r->reply->len;

          if (n <= 0)
            break;
          g_string_append_len (r->reply, buffer, n);
          /* only where the marker can newly be: the reply may grow to megabytes */
          from = r->until && from > strlen (r->until) ? from - strlen (r->until) : 0;
          if (r->until && strstr (r->reply->str + from, r->until))
            break;
        }
    }
  r->elapsed_us = g_get_monotonic_time () - start;
  g_atomic_int_set (&r->done, TRUE);
  while (r->hold && !g_atomic_int_get (&r->release))
    g_usleep (1000);
  return NULL;
}

static Raw *
raw_start (Fixture    *f,
           const char *request)
{
  Raw *r = g_new0 (Raw, 1);

  r->port = f->port;
  r->request = g_strdup (request);
  r->reply = g_string_new (NULL);
  r->max_read = 1024 * 1024;
  return r;
}

static void
raw_run (Raw *r)
{
  r->thread = g_thread_new ("raw", raw_thread, r);
}

static guint
raw_wait (Raw *r)
{
  WAIT_UNTIL (g_atomic_int_get (&r->done));
  if (!r->hold)
    {
      g_thread_join (r->thread);
      r->thread = NULL;
    }
  if (!g_str_has_prefix (r->reply->str, "HTTP/1.1 "))
    return 0;
  return (guint) g_ascii_strtoull (r->reply->str + 9, NULL, 10);
}

static void
raw_free (Raw *r)
{
  if (r->thread)
    {
      g_atomic_int_set (&r->release, TRUE);
      g_thread_join (r->thread);
    }
  g_free (r->request);
  g_free (r->until);
  g_string_free (r->reply, TRUE);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

/* One whole request; the status, and the reply in @reply_out (nullable). */
static guint
call (Fixture    *f,
      const char *method,
      const char *path,
      const char *team,
      const char *body,
      GString   **reply_out)
{
  const char *token = team == NULL ? NULL
                      : strcmp (team, "controller") == 0 ? wc_tokens_get_controller (f->tokens)
                                                         : wc_tokens_get_team_token (f->tokens,
                                                                                     team);
  g_autofree char *auth = token ? g_strdup_printf ("Authorization: Bearer %s\r\n", token)
                                : g_strdup ("");
  g_autofree char *text = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                           "%sContent-Type: application/json\r\n"
                                           "Content-Length: %zu\r\n\r\n%s",
                                           method, path, auth, body ? strlen (body) : 0,
                                           body ? body : "");
  g_autoptr(Raw) r = raw_start (f, text);
  guint status;

  r->max_read = 64 * 1024 * 1024;
  raw_run (r);
  status = raw_wait (r);
  if (reply_out)
    *reply_out = g_string_new_len (r->reply->str, r->reply->len);
  return status;
}

static const char *
reply_body (GString *reply)
{
  const char *p = strstr (reply->str, "\r\n\r\n");

  return p ? p + 4 : "";
}

/* The member @name of the reply's JSON body, a string. */
static char *
reply_member (GString    *reply,
              const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, reply_body (reply), -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root) || !json_object_has_member (json_node_get_object (root), name))
    return NULL;
  return g_strdup (json_object_get_string_member (json_node_get_object (root), name));
}

#define assert_limit(reply, name)                                     \
  G_STMT_START {                                                      \
    g_autofree char *_limit = reply_member (reply, "limit");          \
    g_assert_cmpstr (_limit, ==, name);                               \
  } G_STMT_END

/* 1. A replay of a team's huge answers does not freeze the server ---------------------------- */

static void
test_replay_huge_answers (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *answer = g_strnfill (64 * 1024, 'a');
  g_autofree char *request = NULL;
  g_autoptr(Raw) stream = NULL;
  g_autoptr(Raw) health = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_engine_fire_inject (f->engine, "I1", &error));
  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *mark = g_strdup_printf ("N%05u", i);

      memcpy (answer, mark, 6);
      g_assert_true (wc_engine_respond (f->engine, "I1", "a", answer, NULL, &error));
      g_assert_no_error (error);
    }
  request = g_strdup_printf ("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 1\r\n"
                             "Authorization: Bearer %s\r\n\r\n",
                             wc_tokens_get_team_token (f->tokens, "a"));
  stream = raw_start (f, request);
  /* the stream reads everything it is sent: 150 answers' events */
  stream->until = g_strdup ("\"response\":{\"text\":\"N00149");
  stream->max_read = 64 * 1024 * 1024;
  raw_run (stream);
  WAIT_UNTIL (wc_server_get_n_streams (f->server) == 1);

  health = raw_start (f, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  raw_run (health);
  g_assert_cmpuint (raw_wait (health), ==, 200);
  /* 46 s before; the benchmark measures it exactly */
  g_assert_cmpint (health->elapsed_us, <, 1 * G_USEC_PER_SEC);

  /* and the stream got the answers, each as an event of its own, none over the backlog */
  raw_wait (stream);
  {
    guint n = 0;

    for (const char *p = stream->reply->str; (p = strstr (p, "event: response")); p++)
      n++;
    g_assert_cmpuint (n, ==, 150);
  }
  g_assert_null (strstr (stream->reply->str, "event: resync"));
  g_assert_nonnull (strstr (stream->reply->str, stream->until));
}

/* A connection that sends nothing; NULL when the process has no descriptor left. */
static GSocket *
connect_silent (Fixture *f)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (lo, f->port);
  g_autoptr(GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                       G_SOCKET_PROTOCOL_TCP, NULL);

  if (s == NULL || !g_socket_connect (s, address, NULL, NULL))
    return NULL;
  return g_steal_pointer (&s);
}

/* 2. Running out of file descriptors does not stop the server for good ----------------------- */

static void
test_fd_exhaustion (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) reply = NULL;
  struct rlimit saved, low;
  gint64 until;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  low = saved;
  low.rlim_cur = MIN (saved.rlim_max, 1024);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &low), ==, 0);

  /* 1,100 connections that send nothing; the process runs out of descriptors on the way */
  for (guint i = 0; i < 1100; i++)
    {
      GSocket *s = connect_silent (f);

      if (s == NULL)
        break;
      g_ptr_array_add (clients, s);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (wc_server_get_n_fd_exhausted (f->server), >, 0);

  /* once they go, the server accepts again */
  g_ptr_array_set_size (clients, 0);
  WAIT_UNTIL (wc_server_get_n_connections (f->server) == 0);
  g_assert_cmpuint (call (f, "GET", "/healthz", NULL, NULL, &reply), ==, 200);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);
}

/* Slow or silent connections are closed; one address cannot take every connection. */
static void
test_slow_connections (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(Raw) over = NULL;
  g_autoptr(Raw) half = raw_start (f, "GET /healthz HTTP/1.1\r\nHost: x\r\n");

  /* half a request's headers, then nothing: closed after the header timeout (1 s here) */
  raw_run (half);
  for (guint i = 0; i < 3; i++)
    {
      GSocket *s = connect_silent (f);

      g_assert_nonnull (s);
      g_ptr_array_add (clients, s);
    }
  WAIT_UNTIL (wc_server_get_n_connections (f->server) == 4);
  /* the 5th from the same address is over the cap of 4 */
  over = raw_start (f, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  raw_run (over);
  g_assert_cmpuint (raw_wait (over), ==, 503);
  assert_limit (over->reply, "connections");
  g_assert_cmpuint (raw_wait (half), ==, 0);
  g_assert_cmpint (half->elapsed_us, <, 10 * G_USEC_PER_SEC);
  WAIT_UNTIL (wc_server_get_n_connections (f->server) == 0);
}

/* A team cannot open event streams without end. */
static void
test_streams_per_team (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *request = g_strdup_printf ("GET /api/v1/events HTTP/1.1\r\nHost: x\r\n"
                                              "Authorization: Bearer %s\r\n\r\n",
                                              wc_tokens_get_team_token (f->tokens, "a"));
  g_autoptr(GPtrArray) streams = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_free);
  g_autoptr(Raw) extra = raw_start (f, request);

  for (guint i = 0; i < 2; i++)
    {
      Raw *r = raw_start (f, request);

      /* the streams stay open: a closed one no longer counts */
      r->until = g_strdup ("event: exercise");
      r->hold = TRUE;
      raw_run (r);
      g_assert_cmpuint (raw_wait (r), ==, 200);
      g_ptr_array_add (streams, r);
    }
  raw_run (extra);
  g_assert_cmpuint (raw_wait (extra), ==, 429);
  assert_limit (extra->reply, "streams-per-team");
}

/* The journal's "team-presence" records for @team: how many, and whether the last said connected. */
static guint
count_presence (Fixture    *f,
                const char *team,
                gboolean   *last_connected)
{
  WcJournal *journal = wc_engine_get_journal (f->engine);
  guint n = 0;

  for (guint i = 0; i < wc_journal_get_n_records (journal); i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i);

      if (wc_record_type_from_string (r->type) != WC_RECORD_TEAM_PRESENCE ||
          g_strcmp0 (wc_record_get_team (r->data), team) != 0)
        continue;
      n++;
      *last_connected = wc_record_get_boolean (r->data, "connected", FALSE);
    }
  return n;
}

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the server's timers run for @ms. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  WAIT_UNTIL (done);
}

/* One visit of @team's page: its event stream opens, then closes (the server sees it at its
 * next ping). */
static void
visit (Fixture    *f,
       const char *team)
{
  g_autofree char *request = g_strdup_printf ("GET /api/v1/events HTTP/1.1\r\nHost: x\r\n"
                                              "Authorization: Bearer %s\r\n\r\n",
                                              wc_tokens_get_team_token (f->tokens, team));
  g_autoptr(Raw) r = raw_start (f, request);

  r->until = g_strdup ("event: exercise");
  raw_run (r);
  g_assert_cmpuint (raw_wait (r), ==, 200);
  WAIT_UNTIL (!wc_presence_is_team_connected (wc_server_get_presence (f->server), team));
}

/* Presence reaches the journal as transitions, and a team that reconnects again and again (a
 * page on a bad network) cannot flood it. */
static void
test_presence_journal (Fixture       *f,
                       gconstpointer  data)
{
  WcPresence *presence = wc_server_get_presence (f->server);
  gboolean connected = FALSE;

  /* shorter than the server's own, for the test's sake */
  wc_presence_set_journal (presence, f->engine, 1000, 1000);

  visit (f, "a");
  g_assert_cmpuint (count_presence (f, "a", &connected), ==, 1);
  g_assert_true (connected);
  g_assert_true (wc_engine_get_team_presence (f->engine, "a", NULL));
  /* the drop waits out the grace, then is recorded by the timer */
  WAIT_UNTIL (count_presence (f, "a", &connected) == 2);
  g_assert_false (connected);
  g_assert_false (wc_engine_get_team_presence (f->engine, "a", NULL));
  run_for (2500);
  g_assert_cmpuint (count_presence (f, "a", &connected), ==, 2);

  for (guint i = 0; i < 20; i++)
    visit (f, "b");
  run_for (2500);
  /* connected once, gone once: the drops in between were each within the grace */
  g_assert_cmpuint (count_presence (f, "b", &connected), ==, 2);
  g_assert_false (connected);
  g_assert_false (wc_engine_get_team_presence (f->engine, "b", NULL));
}

/* 3. Bodies are measured as they arrive ------------------------------------------------------ */

static gsize
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *p;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  p = strstr (status, field);
  g_assert_nonnull (p);
  return g_ascii_strtoull (p + strlen (field), NULL, 10);
}

/* VmHWM from now on (Linux ≥ 4.0) */
static void
reset_peak_rss (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");

  g_assert_nonnull (file);
  g_assert_cmpint (fputs ("5", file), >=, 0);
  g_assert_cmpint (fclose (file), ==, 0);
}

static void
test_chunked_body (Fixture       *f,
                   gconstpointer  data)
{
  struct {
    const char *path;
    gboolean    token;
    guint       status;
  } cases[] = {
    { "/api/v1/injects/I1/responses", TRUE, 413 },
    { "/api/v1/injects/I1/responses", FALSE, 401 },
    { "/healthz", FALSE, 413 },
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_engine_fire_inject (f->engine, "I1", &error));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *request = g_strdup_printf (
        "POST %s HTTP/1.1\r\nHost: x\r\n%s%s%sContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n", cases[i].path,
        cases[i].token ? "Authorization: Bearer " : "",
        cases[i].token ? wc_tokens_get_team_token (f->tokens, "a") : "",
        cases[i].token ? "\r\n" : "");
      g_autoptr(Raw) r = raw_start (f, request);
      gsize before;

      /* the peak from here on */
      reset_peak_rss ();
      before = status_kib ("VmRSS:");
      r->chunked_total = 300 * 1000 * 1000;
      raw_run (r);
      g_assert_cmpuint (raw_wait (r), ==, cases[i].status);
      /* refused early: the client could not send it all, and the server kept little */
      g_assert_cmpuint (r->sent, <, 50 * 1000 * 1000);
      g_assert_cmpuint (status_kib ("VmHWM:"), <, before + 50 * 1024);
    }
  /* an announced size that cannot be is refused too, with a reply */
  {
    g_autoptr(Raw) r = raw_start (f, "POST /healthz HTTP/1.1\r\nHost: x\r\n"
                                     "Content-Length: 99999999999999999999999\r\n\r\n");

    r->chunked_total = 20 * 1000 * 1000;
    raw_run (r);
    g_assert_cmpuint (raw_wait (r), >=, 400);
  }
}

/* 4. Rates by bytes, caps per team and per inject, bounded lists ----------------------------- */

static void
test_answer_limits (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strnfill (3000, 'x');
  g_autofree char *big = g_strdup_printf ("{\"text\": \"%s\"}", text);
  g_autofree char *huge_text = g_strnfill (12000, 'x');
  g_autofree char *huge = g_strdup_printf ("{\"text\": \"%s\"}", huge_text);
  g_autoptr(GString) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *inject;

  g_assert_true (wc_engine_fire_inject (f->engine, "I1", &error));
  g_assert_true (wc_engine_fire_inject (f->engine, "I2", &error));
  /* per inject: 3 answers, the 4th is refused */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (call (f, "POST", "/api/v1/injects/I2/responses", "a", "{\"text\": \"t\"}",
                            NULL), ==, 201);
  g_assert_cmpuint (call (f, "POST", "/api/v1/injects/I2/responses", "a", "{\"text\": \"t\"}",
                          &reply), ==, 429);
  assert_limit (reply, "answers-per-inject");
  g_string_free (g_steal_pointer (&reply), TRUE);

  /* by bytes: a burst of 10,000 bytes, nearly no refill; 12,000 at once is over it */
  g_assert_cmpuint (call (f, "POST", "/api/v1/injects/I1/responses", "b", huge, &reply), ==, 429);
  assert_limit (reply, "bytes-per-second");
  g_string_free (g_steal_pointer (&reply), TRUE);

  /* per team in all, 7,000 bytes: 2 answers to I1 of 3,000 bytes fit, a third does not */
  for (guint i = 0; i < 2; i++)
    g_assert_cmpuint (call (f, "POST", "/api/v1/injects/I1/responses", "a", big, NULL), ==, 201);
  g_assert_cmpuint (call (f, "POST", "/api/v1/injects/I1/responses", "a", big, &reply), ==, 413);
  assert_limit (reply, "answer-bytes-per-team");
  g_string_free (g_steal_pointer (&reply), TRUE);

  /* the list shows the latest answer of the 2, the history all of them */
  g_assert_cmpuint (call (f, "GET", "/api/v1/injects", "a", NULL, &reply), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, reply_body (reply), -1, NULL));
  inject = json_array_get_object_element (
             json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "injects"), 0);
  if (g_strcmp0 (json_object_get_string_member (inject, "id"), "I1") != 0)
    inject = json_array_get_object_element (
               json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                             "injects"), 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (inject, "state"), "responses")), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (inject, "state"),
                                               "responses_total"), ==, 2);
  g_string_free (g_steal_pointer (&reply), TRUE);
  g_assert_cmpuint (call (f, "GET", "/api/v1/injects/I1/responses?offset=1&limit=5", "a", NULL,
                          &reply), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, reply_body (reply), -1, NULL));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                               "total"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (json_parser_get_root (parser)), "responses")), ==, 1);
}

/* 5. Attachments ------------------------------------------------------------------------------ */

static void
test_attachments (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) reply = NULL;
  g_autofree char *big = NULL;
  g_autofree char *big_path = g_build_filename (f->dir, "big.bin", NULL);
  gsize size;

  g_assert_true (wc_engine_fire_inject (f->engine, "I1", &error));
  /* streamed whole, byte for byte */
  g_assert_cmpuint (call (f, "GET", "/api/v1/injects/I1/attachments/0", "a", NULL, &reply), ==,
                    200);
  g_assert_true (g_file_get_contents (big_path, &big, &size, NULL));
  g_assert_cmpuint (reply->len - (reply_body (reply) - reply->str), ==, size);
  g_assert_cmpint (memcmp (reply_body (reply), big, size), ==, 0);
  g_string_free (g_steal_pointer (&reply), TRUE);
  /* a link out of the folder, as the file or on its way */
  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/injects/I1/attachments/%u", i);

      g_assert_cmpuint (call (f, "GET", path, "a", NULL, &reply), ==, 404);
      g_assert_null (strstr (reply->str, "root:"));
      g_string_free (g_steal_pointer (&reply), TRUE);
    }
}

/* 6 and 7. Bodies json-glib must not see; the smaller holes ---------------------------------- */

static void
test_bad_bodies (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);
  const char *bodies[] = {
    "{\"text\": \"before\\u0000after\"}",
    "{'text': 'single'}",
    "{\"text\": \"x\" /* comment */}",
    NULL,
  };

  g_assert_true (wc_engine_fire_inject (f->engine, "I1", &error));
  /* 130,000 deep would be too large here: 4,000 deep (over the reader's 128) under 128 KiB */
  g_string_append (deep, "{\"text\": \"t\", \"x\": ");
  for (guint i = 0; i < 4000; i++)
    g_string_append_c (deep, '[');
  bodies[3] = deep->str;
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GString) reply = NULL;

      g_assert_cmpuint (call (f, "POST", "/api/v1/injects/I1/responses", "a", bodies[i], &reply),
                        ==, 400);
      g_assert_nonnull (strstr (reply->str, "\"error\""));
    }
  g_assert_cmpuint (wc_engine_get_team_state (f->engine, "I1", "a")->responses->len, ==, 0);
}

static void
test_small_holes (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) reply = NULL;

  g_assert_true (wc_engine_fire_inject (f->engine, "I2", &error));
  /* HEAD marks nothing delivered; GET does */
  g_assert_cmpuint (call (f, "HEAD", "/api/v1/injects", "a", NULL, NULL), ==, 200);
  g_assert_cmpint (wc_engine_get_team_state (f->engine, "I2", "a")->delivered_ms, <, 0);
  g_assert_cmpuint (call (f, "GET", "/api/v1/injects", "a", NULL, NULL), ==, 200);
  g_assert_cmpint (wc_engine_get_team_state (f->engine, "I2", "a")->delivered_ms, >=, 0);

  /* an ad-hoc inject to nobody is not one to everybody */
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/injects", "controller",
                          "{\"title\": \"T\", \"body\": \"B\", \"to\": []}", &reply), ==, 400);
  g_string_free (g_steal_pointer (&reply), TRUE);

  /* a path libsoup cannot take apart is refused with a JSON body like every other error */
  g_assert_cmpuint (call (f, "GET", "/api/v1/warnings/..%2f..%2fetc.cap", "a", NULL, &reply), ==,
                    400);
  {
    g_autofree char *why = reply_member (reply, "error");

    g_assert_cmpstr (why, ==, "The request's path is not valid");
  }
  g_string_free (g_steal_pointer (&reply), TRUE);

  /* healthy journal */
  g_assert_cmpuint (call (f, "GET", "/healthz", NULL, NULL, &reply), ==, 200);
  {
    g_autofree char *health = reply_member (reply, "status");

    g_assert_cmpstr (health, ==, "ok");
  }
  g_string_free (g_steal_pointer (&reply), TRUE);

  /* once "process-stopped" is written, nothing more is taken */
  g_assert_true (wc_engine_stop (f->engine, "test", &error));
  g_assert_cmpuint (call (f, "GET", "/healthz", NULL, NULL, NULL), ==, 0);
}

/* Connections that clients close are forgotten: one address opening a connection per request,
 * far more of them over time than it may hold at once, is always served. */
static void
test_closed_connections (Fixture       *f,
                         gconstpointer  data)
{
  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(Raw) r = raw_start (f, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");

      r->until = g_strdup ("\r\n\r\n");
      raw_run (r);
      g_assert_cmpuint (raw_wait (r), ==, 200);
    }
}

/* The server's end of the loopback connection @client (both ends are in this process), once the
 * server has accepted it; -1 until then. */
static int
server_end_of (GSocket *client)
{
  struct sockaddr_in mine, peer, local, remote;
  socklen_t length = sizeof mine;

  if (getsockname (g_socket_get_fd (client), (struct sockaddr *) &mine, &length) < 0)
    return -1;
  for (int fd = 3; fd < 4096; fd++)
    {
      socklen_t l1 = sizeof local, l2 = sizeof remote;

      if (fd == g_socket_get_fd (client) ||
          getsockname (fd, (struct sockaddr *) &local, &l1) < 0 ||
          getpeername (fd, (struct sockaddr *) &remote, &l2) < 0 ||
          local.sin_family != AF_INET)
        continue;
      if (remote.sin_port == mine.sin_port && remote.sin_addr.s_addr == mine.sin_addr.s_addr &&
          getpeername (g_socket_get_fd (client), (struct sockaddr *) &peer, &length) == 0 &&
          local.sin_port == peer.sin_port)
        return fd;
    }
  return -1;
}

#define QUOTES_ANSWER_BYTES (60 * 1024)

/* Team a's answer of QUOTES_ANSWER_BYTES quotes, sent on a connection whose client reads nothing
 * yet, once the server has recorded it: its reply (the answer again, each quote escaped) is more
 * than the client's small receive buffer and the server's end's small send buffer hold, which
 * loopback would otherwise grow to take it all at once. I1 has been fired. */
static GSocket *
send_unread_answer (Fixture *f)
{
  g_autofree char *quotes = g_strnfill (QUOTES_ANSWER_BYTES, '"');
  g_autofree char *escaped = g_strescape (quotes, NULL);
  g_autofree char *body = g_strdup_printf ("{\"text\": \"%s\"}", escaped);
  g_autofree char *request = g_strdup_printf (
    "POST /api/v1/injects/I1/responses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
    wc_tokens_get_team_token (f->tokens, "a"), strlen (body), body);
  g_autoptr(GSocket) reader = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (lo, f->port);
  guint before = wc_engine_get_team_state (f->engine, "I1", "a")->n_responses;
  int server_fd = -1, size = 4096;

  g_assert_true (g_socket_set_option (reader, SOL_SOCKET, SO_RCVBUF, 4096, NULL));
  g_assert_true (g_socket_connect (reader, address, NULL, NULL));
  g_socket_set_blocking (reader, FALSE);
  WAIT_UNTIL ((server_fd = server_end_of (reader)) >= 0);
  g_assert_cmpint (setsockopt (server_fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size), ==, 0);
  for (gsize sent = 0; sent < strlen (request); )
    {
      gssize n = g_socket_send (reader, request + sent, strlen (request) - sent, NULL, NULL);

      if (n > 0)
        sent += n;
      g_main_context_iteration (NULL, FALSE);
    }
  WAIT_UNTIL (wc_engine_get_team_state (f->engine, "I1", "a")->n_responses == before + 1);
  return g_steal_pointer (&reader);
}

/* A reply that waits for its record to be durable is written by Whitecell on the connection it
 * took from libsoup: a whole HTTP response (the status line of the request's version, the
 * security headers, the length, "Connection: close"), then the end of the connection; a client
 * that does not read its reply holds up nobody, and gets all of it once it reads; one that went
 * before its reply loses nothing of its answer. */
static void
test_durable_replies (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) reply = NULL;
  g_autofree char *quotes = g_strnfill (QUOTES_ANSWER_BYTES, '"');
  g_autoptr(GSocket) reader = NULL;
  g_autoptr(GString) got = g_string_new (NULL);
  const char *head_end;

  g_assert_true (wc_engine_fire_inject (f->engine, "I1", &error));
  g_assert_cmpuint (call (f, "POST", "/api/v1/injects/I1/ack", "a", NULL, &reply), ==, 200);
  head_end = strstr (reply->str, "\r\n\r\n");
  g_assert_nonnull (head_end);
  {
    g_autofree char *head = g_strndup (reply->str, head_end - reply->str);
    g_autofree char *length = g_strdup_printf ("\r\nContent-Length: %zu\r\n",
                                               strlen (head_end + 4));

    g_assert_true (g_str_has_prefix (head, "HTTP/1.1 200 OK\r\n"));
    g_assert_nonnull (strstr (head, "\r\nContent-Type: application/json"));
    g_assert_nonnull (strstr (head, "\r\nX-Content-Type-Options: nosniff"));
    g_assert_nonnull (strstr (head, "\r\nCache-Control: no-store"));
    g_assert_nonnull (strstr (head, "\r\nServer: Whitecell/"));
    g_assert_nonnull (strstr (head, "\r\nDate: "));
    g_assert_nonnull (strstr (head, "\r\nConnection: close"));
    g_assert_nonnull (strstr (head, length));
    g_assert_null (strstr (head, "Transfer-Encoding"));
  }
  g_assert_true (g_str_has_prefix (head_end + 4, "{"));
  g_string_free (g_steal_pointer (&reply), TRUE);

  /* an HTTP/1.0 client is answered in HTTP/1.0; an error waits for nothing and is libsoup's */
  {
    g_autofree char *text = g_strdup_printf (
      "POST /api/v1/injects/I1/ack HTTP/1.0\r\nAuthorization: Bearer %s\r\n"
      "Content-Length: 0\r\n\r\n", wc_tokens_get_team_token (f->tokens, "b"));
    g_autoptr(Raw) r = raw_start (f, text);

    raw_run (r);
    raw_wait (r);
    g_assert_true (g_str_has_prefix (r->reply->str, "HTTP/1.0 200 OK\r\n"));
  }

  /* an answer whose reply is more than the buffers between hold, not read yet */
  reader = send_unread_answer (f);
  /* the reply is stuck in full buffers: the server answers others meanwhile */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Raw) health = raw_start (f, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");

      health->until = g_strdup ("\r\n\r\n");
      raw_run (health);
      g_assert_cmpuint (raw_wait (health), ==, 200);
    }
  g_assert_cmpuint (call (f, "POST", "/api/v1/injects/I1/ack", "b", NULL, NULL), ==, 200);
  /* then it reads: the whole reply, and the end */
  for (gint64 until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
       g_get_monotonic_time () < until; )
    {
      char buffer[8192];
      gssize n = g_socket_receive (reader, buffer, sizeof buffer, NULL, NULL);

      if (n == 0)
        break;
      if (n > 0)
        g_string_append_len (got, buffer, n);
      else
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_true (g_str_has_prefix (got->str, "HTTP/1.1 201 Created\r\n"));
  head_end = strstr (got->str, "\r\n\r\n");
  g_assert_nonnull (head_end);
  g_assert_cmpuint (strlen (head_end + 4), >, 120 * 1024);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *response;

    g_assert_true (json_parser_load_from_data (parser, head_end + 4, -1, NULL));
    response = json_object_get_object_member (json_node_get_object (
                                                json_parser_get_root (parser)), "response");
    g_assert_cmpstr (json_object_get_string_member (response, "text"), ==, quotes);
  }

  /* a client that sends its answer and goes at once: the answer is kept, the server goes on */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf (
        "POST /api/v1/injects/I1/responses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
        "Content-Type: application/json\r\nContent-Length: 14\r\n\r\n{\"text\": \"G%u\"}",
        wc_tokens_get_team_token (f->tokens, "b"), i);
      g_autoptr(Raw) r = raw_start (f, text);

      r->max_read = 0;
      raw_run (r);
      raw_wait (r);
    }
  WAIT_UNTIL (wc_engine_get_team_state (f->engine, "I1", "b")->n_responses == 5);
  g_assert_cmpuint (call (f, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
}

/* A client that never reads the reply written for it is let go after the reply timeout (1 s
 * here): its connection closed with the reply cut short, nothing else held up, its answer kept. */
static void
test_reply_timeout (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) reader = NULL;
  g_autoptr(GString) got = g_string_new (NULL);
  gint64 answered_at;

  g_assert_true (wc_engine_fire_inject (f->engine, "I1", &error));
  reader = send_unread_answer (f);
  answered_at = g_get_monotonic_time ();
  /* not read: the server's end is closed once the timeout is over, and not before */
  WAIT_UNTIL (server_end_of (reader) < 0);
  g_assert_cmpint (g_get_monotonic_time () - answered_at, >=, G_USEC_PER_SEC * 9 / 10);
  g_assert_cmpuint (call (f, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
  /* what was written is there to read, then the end: the reply cut short */
  for (gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
       g_get_monotonic_time () < until; )
    {
      char buffer[8192];
      gssize n = g_socket_receive (reader, buffer, sizeof buffer, NULL, NULL);

      if (n > 0)
        g_string_append_len (got, buffer, n);
      else if (n == 0 || !g_socket_condition_check (reader, G_IO_IN))
        break;
    }
  g_assert_true (g_str_has_prefix (got->str, "HTTP/1.1 201 Created\r\n"));
  /* the whole reply is more than twice the answer (each quote escaped) */
  g_assert_cmpuint (got->len, <, 2 * QUOTES_ANSWER_BYTES);
  g_assert_cmpuint (wc_engine_get_team_state (f->engine, "I1", "a")->n_responses, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  WcServerLimits slow, answers, streams, pings, few, replies;

  g_test_init (&argc, &argv, NULL);

  wc_server_get_default_limits (&slow);
  slow.rate_burst = 10000;
  slow.header_timeout_seconds = 1;
  slow.max_connections_per_address = 4;
  wc_server_get_default_limits (&few);
  few.rate_burst = 10000;
  few.max_connections_per_address = 8;
  wc_server_get_default_limits (&answers);
  answers.rate_burst = 10000;
  answers.max_answers_per_inject = 3;
  answers.bytes_burst = 10000;
  answers.bytes_per_second = 1;
  answers.max_answer_bytes_per_team = 7000;
  answers.list_responses = 1;
  wc_server_get_default_limits (&streams);
  streams.max_streams_per_team = 2;
  /* the server learns that a client left when it next writes to its stream */
  wc_server_get_default_limits (&pings);
  pings.rate_burst = 10000;
  pings.keepalive_seconds = 1;

  wc_server_get_default_limits (&replies);
  replies.rate_burst = 10000;
  replies.reply_timeout_seconds = 1;

#define ADD(name, limits, func) \
  g_test_add ("/whitecell/hardening/" name, Fixture, limits, fixture_setup, func, fixture_teardown)
  ADD ("replay-huge-answers", NULL, test_replay_huge_answers);
  ADD ("fd-exhaustion", NULL, test_fd_exhaustion);
  ADD ("slow-connections", &slow, test_slow_connections);
  ADD ("closed-connections", &few, test_closed_connections);
  ADD ("streams-per-team", &streams, test_streams_per_team);
  ADD ("presence-journal", &pings, test_presence_journal);
  ADD ("chunked-body", NULL, test_chunked_body);
  ADD ("answer-limits", &answers, test_answer_limits);
  ADD ("attachments", NULL, test_attachments);
  ADD ("bad-bodies", NULL, test_bad_bodies);
  ADD ("small-holes", NULL, test_small_holes);
  ADD ("durable-replies", NULL, test_durable_replies);
  ADD ("reply-timeout", &replies, test_reply_timeout);
  return g_test_run ();
}
