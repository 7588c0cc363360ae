/* test-relay.c: relays on Redis Streams (docs/SCALING.md): a real redis-server on a free port,
 * `whitecellctl run … --redis` and two `whitecellctl relay`s; teams on both, one relay killed
 * (SIGKILL) mid-exercise, its teams on the other: every team gets every inject sent to it once,
 * none sent to another team, and every acknowledgement is in the journal. Teams on relays are
 * connected on the controller's board and in its journal. The controller killed (SIGKILL) and
 * resumed while its relays run: what teams sent meanwhile answered once it is back, journaled
 * once. A relay whose controller does not answer within its --reply-timeout answers 504, and the
 * team's retry with its Idempotency-Key gets what the waiting command made. Also the mirror that
 * keeps a relay's records in the controller's order, what a relay can make the controller hold,
 * and Redis URLs. */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "test-util.h"
#include "wc-journal.h"
#include "wc-redis.h"
#include "wc-relay-presence.h"
#include "wc-relay-private.h"
#include "wc-scenario-loader.h"

/* Iterates the main context until @cond holds, @seconds at most, else fails saying @what. */
#define WAIT_FOR(cond, seconds, what)                                                     \
  G_STMT_START {                                                                          \
    gint64 _deadline = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC;              \
    while (!(cond) && g_get_monotonic_time () < _deadline)                                \
      if (!g_main_context_iteration (NULL, FALSE))                                        \
        g_usleep (2000);  /* what is waited for may be another process's doing */         \
    if (!(cond))                                                                          \
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,                   \
                           "not within " #seconds " s: " what);                           \
  } G_STMT_END
#define WAIT_UNTIL(cond) WAIT_FOR (cond, 30, #cond)

/* Manual injects to some teams each: a team on a relay must get its own and no other's. */
static const char scenario_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"relay-test\", \"title\": \"Relays\", \"tlp\": \"AMBER\",\n"
  "   \"duration\": \"T+02:00\"},\n"
  " \"teams\": [{\"id\": \"a\", \"name\": \"A\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"b\", \"name\": \"B\", \"kind\": \"operator\"},\n"
  "           {\"id\": \"c\", \"name\": \"C\", \"kind\": \"operator\"},\n"
  "           {\"id\": \"d\", \"name\": \"D\", \"kind\": \"operator\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"M1\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"email\", \"to\": [\"a\"],\n"
  "   \"title\": \"One\", \"body\": \"for a\"},\n"
  "  {\"id\": \"M2\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"email\", \"to\": [\"b\", \"c\"],\n"
  "   \"title\": \"Two\", \"body\": \"for b and c\"},\n"
  "  {\"id\": \"M3\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"email\",\n"
  "   \"to\": [\"a\", \"b\", \"c\", \"d\"], \"title\": \"Three\", \"body\": \"for all\"},\n"
  "  {\"id\": \"M4\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"email\", \"to\": [\"a\", \"d\"],\n"
  "   \"title\": \"Four\", \"body\": \"for a and d\"}\n"
  " ]}\n";

static const char *const team_ids[] = { "a", "b", "c", "d" };
static const char *const expected[][4] = {
  { "M1", "M3", "M4", NULL }, { "M2", "M3", NULL }, { "M2", "M3", NULL }, { "M3", "M4", NULL },
};

typedef struct Fixture Fixture;

/* One team's event stream, on one relay or another, and what it got. */
typedef struct {
  Fixture          *f;
  guint             index;
  const char       *id;
  char             *token;
  guint             relay;      /* the relay it is on */
  GHashTable       *received;   /* inject id → times */
  char             *last_event_id;
  char             *event;      /* the event being read */
  GDataInputStream *lines;
  GCancellable     *cancellable;
  gboolean          open;
  guint             n_acked;    /* 200 answers to its acknowledgements */
  guint             n_ack_failed;
} Team;

struct Fixture {
  char        *dir;
  SoupSession *http;
  GSubprocess *redis;
  GSubprocess *controller;
  GSubprocess *relays[2];
  guint        ports[2];
  char        *journal;
  Team         teams[G_N_ELEMENTS (team_ids)];
  const char  *kill_at;     /* WC_RELAY_TEST_KILL for the processes spawned next */
  const char  *cap;         /* WC_MAX_CONNECTIONS_PER_ADDRESS for the processes spawned next */
  const char  *scenario_text;  /* scenario_json unless given */
  const char  *heartbeat;   /* WC_RELAY_HEARTBEAT_MS for the processes spawned next */
  char        *scenario;
  char        *tokens_out;
  char        *redis_url;
  char        *listen;      /* the controller's */
};

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
can_connect (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) c = g_socket_client_connect_to_host (client, "127.0.0.1", port,
                                                                    NULL, NULL);

  return c != NULL;
}

static guint
http_status (Fixture    *f,
             const char *method,
             guint       port,
             const char *path,
             const char *token)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) body = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (f->http, msg, NULL, NULL);
  return soup_message_get_status (msg);
}

static void stream_open (Team *team);
static void acknowledge (Team *team, const char *inject);

static void
on_acked (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Team *team = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                             NULL);

  if (body && soup_message_get_status (msg) == SOUP_STATUS_OK)
    {
      team->n_acked++;
      return;
    }
  /* lost with the relay that died: the page sends it again, to the relay it is on now */
  team->n_ack_failed++;
  g_assert_cmpuint (team->n_ack_failed, <, 20);
  team->relay = 1;
  g_usleep (50 * 1000);
  acknowledge (team, g_object_get_data (G_OBJECT (msg), "inject"));
}

/* The team acknowledges an inject through the relay it is on, as its page would. */
static void
acknowledge (Team       *team,
             const char *inject)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/api/v1/injects/%s/ack",
                                          team->f->ports[team->relay], inject);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autofree char *auth = g_strconcat ("Bearer ", team->token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  g_object_set_data_full (G_OBJECT (msg), "inject", g_strdup (inject), g_free);
  soup_session_send_and_read_async (team->f->http, msg, G_PRIORITY_DEFAULT, NULL, on_acked, team);
}

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Team *team = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (line == NULL)
    {
      /* the relay went away: the page reconnects to another (a load balancer's choice) */
      team->open = FALSE;
      g_clear_object (&team->lines);
      team->relay = 1;
      stream_open (team);
      return;
    }
  if (g_str_has_prefix (line, "id: "))
    {
      g_free (team->last_event_id);
      team->last_event_id = g_strdup (line + 4);
    }
  else if (g_str_has_prefix (line, "event: "))
    {
      g_free (team->event);
      team->event = g_strdup (line + 7);
    }
  else if (g_str_has_prefix (line, "data: ") && g_strcmp0 (team->event, "inject") == 0)
    {
      g_autoptr(JsonNode) node = json_from_string (line + 6, NULL);
      const char *id = node ? json_object_get_string_member (json_node_get_object (node), "id")
                            : NULL;
      guint times;

      g_assert_nonnull (id);
      times = GPOINTER_TO_UINT (g_hash_table_lookup (team->received, id)) + 1;
      g_hash_table_insert (team->received, g_strdup (id), GUINT_TO_POINTER (times));
      if (times == 1)
        acknowledge (team, id);
    }
  g_data_input_stream_read_line_async (team->lines, G_PRIORITY_DEFAULT, team->cancellable,
                                       on_line, team);
}

static void
on_stream (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Team *team = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result,
                                                             &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (stream == NULL || soup_message_get_status (
        soup_session_get_async_result_message (SOUP_SESSION (source), result)) != 200)
    {
      /* refused (the relay is catching up) or gone: again, on the other relay */
      team->relay = 1;
      g_usleep (100 * 1000);
      stream_open (team);
      return;
    }
  team->open = TRUE;
  team->lines = g_data_input_stream_new (stream);
  g_data_input_stream_read_line_async (team->lines, G_PRIORITY_DEFAULT, team->cancellable,
                                       on_line, team);
}

static void
stream_open (Team *team)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/api/v1/events",
                                          team->f->ports[team->relay]);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autofree char *auth = g_strconcat ("Bearer ", team->token, NULL);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Authorization", auth);
  if (team->last_event_id)
    soup_message_headers_replace (headers, "Last-Event-ID", team->last_event_id);
  soup_session_send_async (team->f->http, msg, G_PRIORITY_DEFAULT, team->cancellable, on_stream,
                           team);
}

static void
command (Fixture    *f,
         const char *line)
{
  GOutputStream *in = g_subprocess_get_stdin_pipe (f->controller);

  g_assert_true (g_output_stream_write_all (in, line, strlen (line), NULL, NULL, NULL));
  g_assert_true (g_output_stream_write_all (in, "\n", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_flush (in, NULL, NULL));
}

static gboolean
all_received (Fixture *f,
              guint    n_fired)
{
  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    for (guint k = 0; expected[i][k]; k++)
      if (atoi (expected[i][k] + 1) <= (int) n_fired &&
          !g_hash_table_contains (f->teams[i].received, expected[i][k]))
        return FALSE;
  return TRUE;
}

static guint
n_acks_answered (Fixture *f)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    n += f->teams[i].n_acked;
  return n;
}

/* A test that fails leaves no redis-server, controller or relay behind. */
static void
die_with_test (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
spawn (Fixture    *f,
       const char *log,
       GSubprocessFlags flags,
       ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *log_path = g_build_filename (f->dir, log, NULL);
  GSubprocess *process;
  va_list args;

  va_start (args, flags);
  for (const char *arg = va_arg (args, const char *); arg; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_set_child_setup (launcher, die_with_test, NULL, NULL);
  if (f->kill_at)
    g_subprocess_launcher_setenv (launcher, "WC_RELAY_TEST_KILL", f->kill_at, TRUE);
  if (f->cap)
    g_subprocess_launcher_setenv (launcher, "WC_MAX_CONNECTIONS_PER_ADDRESS", f->cap, TRUE);
  if (f->heartbeat)
    g_subprocess_launcher_setenv (launcher, "WC_RELAY_HEARTBEAT_MS", f->heartbeat, TRUE);
  g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, NULL);
  g_assert_nonnull (process);
  return process;
}

static long long
redis_integer (redisContext *c,
               const char   *command,
               const char   *key)
{
  g_autoptr(redisReply) reply = wc_redis_command (c, 2, (const char *[]) { command, key }, NULL,
                                                  NULL);

  g_assert_nonnull (reply);
  g_assert_cmpint (reply->type, ==, REDIS_REPLY_INTEGER);
  return reply->integer;
}

/* Whether the controller has published the exercise: a relay started before would find none. */
static gboolean
published (const char *redis_url)
{
  WcRedisUrl url;
  g_autoptr(redisContext) c = NULL;
  gboolean done;

  g_assert_true (wc_redis_url_parse (redis_url, &url, NULL));
  c = wc_redis_connect (&url, NULL);
  wc_redis_url_clear (&url);
  done = c && redis_integer (c, "SCARD", "wc:exercises") > 0;
  return done;
}

/* redis-server on a free port, and the controller publishing the exercise to it. */
static void
start_controller (Fixture    *f,
                  const char *redis_server,
                  const char *ctl)
{
  guint redis_p = free_port (), port = free_port ();
  g_autofree char *redis_port = g_strdup_printf ("%u", redis_p);

  f->dir = g_dir_make_tmp ("wc-relay-XXXXXX", NULL);
  f->scenario = g_build_filename (f->dir, "scenario.json", NULL);
  f->journal = g_build_filename (f->dir, "journal.jsonl", NULL);
  f->tokens_out = g_build_filename (f->dir, "tokens-out.json", NULL);
  g_assert_true (g_file_set_contents (f->scenario,
                                     f->scenario_text ? f->scenario_text : scenario_json, -1,
                                     NULL));
  f->redis = spawn (f, "redis.log", G_SUBPROCESS_FLAGS_NONE, redis_server, "--port", redis_port,
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", f->dir,
                    NULL);
  WAIT_UNTIL (can_connect (redis_p));
  f->redis_url = g_strdup_printf ("redis://127.0.0.1:%u", redis_p);
  f->listen = g_strdup_printf ("127.0.0.1:%u", port);
  f->controller = spawn (f, "controller.log", G_SUBPROCESS_FLAGS_STDIN_PIPE, ctl, "run",
                         f->scenario, "--journal", f->journal, "--listen", f->listen,
                         "--tokens-out", f->tokens_out, "--hot-wash", "0", "--redis", f->redis_url,
                         NULL);
  WAIT_UNTIL (g_file_test (f->tokens_out, G_FILE_TEST_EXISTS) && can_connect (port));
  /* a relay started before the exercise is in Redis finds none */
  WAIT_UNTIL (published (f->redis_url));
}

/* The controller told to end, and ended well: its journal. */
static WcJournal *
end_exercise (Fixture *f)
{
  WcJournal *journal;

  command (f, "end");
  g_assert_true (g_subprocess_wait (f->controller, NULL, NULL));
  g_assert_true (g_subprocess_get_successful (f->controller));
  journal = wc_journal_load (f->journal, NULL);
  g_assert_nonnull (journal);
  return journal;
}

static void
fixture_clear (Fixture *f)
{
  wc_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->journal);
  g_free (f->scenario);
  g_free (f->tokens_out);
  g_free (f->redis_url);
  g_free (f->listen);
}

/* Relay @r stopped as a service manager stops it (SIGTERM), and well; Redis stopped; all let go. */
static void
fixture_stop (Fixture *f,
              guint    r)
{
  g_subprocess_send_signal (f->relays[r], SIGTERM);
  g_assert_true (g_subprocess_wait (f->relays[r], NULL, NULL));
  g_assert_true (g_subprocess_get_successful (f->relays[r]));
  g_subprocess_force_exit (f->redis);
  g_subprocess_wait (f->redis, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (f->relays); i++)
    g_clear_object (&f->relays[i]);
  g_clear_object (&f->controller);
  g_clear_object (&f->redis);
  g_clear_object (&f->http);
  fixture_clear (f);
}

static void
test_failover (void)
{
  g_autofree char *redis_server = g_find_program_in_path ("redis-server");
  const char *ctl = g_getenv ("WC_CTL");
  Fixture fx = { 0 }, *f = &fx;
  char *relay_listen[2] = { NULL, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WcJournal) journal = NULL;
  g_autoptr(GHashTable) acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  WcJournalVerifyResult verdict = { 0 };
  guint n_expected = 0;

  if (redis_server == NULL)
    {
      g_test_skip ("redis-server is not installed (Debian: apt install redis-server)");
      return;
    }
  g_assert_nonnull (ctl);
  f->http = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64, NULL);
  start_controller (f, redis_server, ctl);
  g_assert_true (json_parser_load_from_file (parser, f->tokens_out, NULL));
  for (guint r = 0; r < 2; r++)
    {
      f->ports[r] = free_port ();
      relay_listen[r] = g_strdup_printf ("127.0.0.1:%u", f->ports[r]);
      f->relays[r] = spawn (f, r ? "relay-b.log" : "relay-a.log", G_SUBPROCESS_FLAGS_NONE, ctl,
                            "relay", "--redis", f->redis_url, "--listen", relay_listen[r], NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    {
      Team *team = &f->teams[i];
      JsonObject *entry = json_object_get_object_member (
        json_node_get_object (json_parser_get_root (parser)), team_ids[i]);

      team->f = f;
      team->index = i;
      team->id = team_ids[i];
      team->token = g_strdup (json_object_get_string_member (entry, "token"));
      team->received = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      team->cancellable = g_cancellable_new ();
      team->relay = i % 2;
      for (guint k = 0; expected[i][k]; k++)
        n_expected++;
    }
  /* both relays up and caught up: they answer a team's read */
  for (guint r = 0; r < 2; r++)
    WAIT_UNTIL (http_status (f, "GET", f->ports[r], "/api/v1/me", f->teams[0].token) == 200);
  /* a team token is not a staff token, through a relay as at the controller */
  g_assert_cmpuint (http_status (f, "POST", f->ports[0], "/api/v1/control/pause",
                                 f->teams[0].token), ==, 401);
  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    stream_open (&f->teams[i]);
  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    WAIT_UNTIL (f->teams[i].open);

  command (f, "fire M1");
  command (f, "fire M2");
  WAIT_UNTIL (all_received (f, 2));
  /* team b never gets M1 (a's), not even by asking a relay for it */
  g_assert_cmpuint (http_status (f, "GET", f->ports[1], "/api/v1/injects/M1/responses",
                                 f->teams[1].token), ==, 404);
  g_assert_cmpuint (http_status (f, "GET", f->ports[1], "/api/v1/injects/M2/responses",
                                 f->teams[1].token), ==, 200);

  /* relay A dies mid-exercise: its teams reconnect to B, from their last event */
  g_subprocess_force_exit (f->relays[0]);
  g_assert_true (g_subprocess_wait (f->relays[0], NULL, NULL));
  command (f, "fire M3");
  command (f, "fire M4");
  WAIT_UNTIL (all_received (f, 4));
  WAIT_UNTIL (n_acks_answered (f) == n_expected);

  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    {
      Team *team = &f->teams[i];
      GHashTableIter iter;
      gpointer key, value;
      guint n = 0;

      g_assert_cmpuint (team->relay, ==, 1);
      for (guint k = 0; expected[i][k]; k++, n++)
        g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (team->received, expected[i][k])),
                          ==, 1);
      /* nothing else: no other team's inject */
      g_hash_table_iter_init (&iter, team->received);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_assert_true (g_strv_contains ((const char * const *) expected[i], key));
      g_assert_cmpuint (g_hash_table_size (team->received), ==, n);
      g_assert_cmpuint (team->n_acked, ==, n);
    }

  /* the controller stops; its journal holds every acknowledgement, and is sound */
  journal = end_exercise (f);
  for (guint i = 0; i < wc_journal_get_n_records (journal); i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i);

      if (strcmp (r->type, "inject-acknowledged") == 0)
        g_hash_table_add (acked, g_strdup_printf ("%s/%s",
                                                  json_object_get_string_member (r->data, "inject"),
                                                  json_object_get_string_member (r->data, "team")));
    }
  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    for (guint k = 0; expected[i][k]; k++)
      {
        g_autofree char *pair = g_strdup_printf ("%s/%s", expected[i][k], team_ids[i]);

        g_assert_true (g_hash_table_contains (acked, pair));
      }
  g_assert_cmpuint (g_hash_table_size (acked), ==, n_expected);
  g_assert_true (wc_journal_verify_file (f->journal, &verdict, NULL));
  g_assert_cmpint (verdict.verdict, ==, WC_JOURNAL_SOUND);
  wc_journal_verify_result_clear (&verdict);

  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    {
      g_cancellable_cancel (f->teams[i].cancellable);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_clear_object (&f->teams[i].lines);
      g_clear_object (&f->teams[i].cancellable);
      g_hash_table_unref (f->teams[i].received);
      g_free (f->teams[i].token);
      g_free (f->teams[i].last_event_id);
      g_free (f->teams[i].event);
    }
  fixture_stop (f, 1);
  g_free (relay_listen[0]);
  g_free (relay_listen[1]);
}

static void
on_answered (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SoupMessage **done = user_data;
  GBytes *body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  *done = g_object_ref (soup_session_get_async_result_message (SOUP_SESSION (source), result));
  g_object_set_data_full (G_OBJECT (*done), "body", body, (GDestroyNotify) g_bytes_unref);
}


/* Every command of @exercise's stream acknowledged by the controller, and no reply kept for one
 * any longer (the controller lets go of it just after). */
static void
assert_redis_settled (redisContext *c,
                      const char   *exercise)
{
  g_autofree char *answered = wc_redis_key (exercise, "answered");
  g_autofree char *commands = wc_redis_key (exercise, "commands");
  g_autoptr(redisReply) pending = NULL;

  WAIT_UNTIL (redis_integer (c, "HLEN", answered) == 0);
  pending = wc_redis_command (c, 3, (const char *[]) { "XPENDING", commands, "controller" }, NULL,
                              NULL);
  g_assert_nonnull (pending);
  g_assert_cmpint (pending->element[0]->integer, ==, 0);
}

/* A controller killed (SIGKILL) after it ran a team's answer sent through a relay but before it
 * acknowledged the command in Redis: restarted, it answers the command without running it again,
 * from the reply it kept ("stored") or, dead before keeping it, from the journal ("journaled"). */
static void
test_exactly_once (gconstpointer data)
{
  const char *kill_at = data;
  g_autofree char *redis_server = g_find_program_in_path ("redis-server");
  const char *ctl = g_getenv ("WC_CTL");
  Fixture fx = { 0 }, *f = &fx;
  g_autofree char *relay_listen = NULL, *uri = NULL, *auth = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) answered = NULL;
  g_autoptr(GBytes) text = NULL;
  g_autoptr(WcJournal) journal = NULL;
  g_autoptr(redisContext) c = NULL;
  WcRedisUrl url;
  const char *token, *request = NULL;
  guint n_responses = 0;

  if (redis_server == NULL)
    {
      g_test_skip ("redis-server is not installed (Debian: apt install redis-server)");
      return;
    }
  g_assert_nonnull (ctl);
  f->http = soup_session_new ();
  f->kill_at = kill_at;
  start_controller (f, redis_server, ctl);
  f->kill_at = NULL;
  g_assert_true (json_parser_load_from_file (parser, f->tokens_out, NULL));
  token = json_object_get_string_member (json_object_get_object_member (
    json_node_get_object (json_parser_get_root (parser)), "a"), "token");
  f->ports[0] = free_port ();
  relay_listen = g_strdup_printf ("127.0.0.1:%u", f->ports[0]);
  f->relays[0] = spawn (f, "relay.log", G_SUBPROCESS_FLAGS_NONE, ctl, "relay", "--redis",
                        f->redis_url, "--listen", relay_listen, NULL);
  command (f, "fire M1");
  WAIT_UNTIL (http_status (f, "GET", f->ports[0], "/api/v1/injects/M1/responses", token) ==
              200);

  /* team a answers M1 through the relay; the controller journals it, and dies */
  uri = g_strdup_printf ("http://127.0.0.1:%u/api/v1/injects/M1/responses", f->ports[0]);
  msg = soup_message_new ("POST", uri);
  auth = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", "m1-a");
  text = g_bytes_new_static ("{\"text\": \"contained\"}", 21);
  soup_message_set_request_body_from_bytes (msg, "application/json", text);
  soup_session_send_and_read_async (f->http, msg, G_PRIORITY_DEFAULT, NULL, on_answered,
                                    &answered);
  /* its identifier goes once it is reaped (the request needs this loop meanwhile) */
  WAIT_UNTIL (g_subprocess_get_identifier (f->controller) == NULL);
  g_assert_true (g_subprocess_wait (f->controller, NULL, NULL));
  g_assert_true (g_subprocess_get_if_signaled (f->controller));
  g_assert_cmpint (g_subprocess_get_term_sig (f->controller), ==, SIGKILL);
  g_clear_object (&f->controller);

  /* restarted: the command is answered (the team's request too, within the relay's wait) */
  f->controller = spawn (f, "controller-2.log", G_SUBPROCESS_FLAGS_STDIN_PIPE, ctl, "run",
                         f->scenario, "--journal", f->journal, "--listen", f->listen,
                         "--resume", "--hot-wash", "0", "--redis", f->redis_url, NULL);
  WAIT_UNTIL (answered != NULL);
  g_assert_true (SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (answered)));
  g_assert_nonnull (g_object_get_data (G_OBJECT (answered), "body"));
  /* the team sends it again (a 504 would have made it): a new command, known by its
   * Idempotency-Key, which the relay passed on; answered as the first was, not run twice */
  {
    g_autoptr(SoupMessage) retry = soup_message_new ("POST", uri);
    g_autoptr(SoupMessage) retried = NULL;
    SoupMessageHeaders *headers = soup_message_get_request_headers (retry);

    soup_message_headers_replace (headers, "Authorization", auth);
    soup_message_headers_replace (headers, "Idempotency-Key", "m1-a");
    soup_message_set_request_body_from_bytes (retry, "application/json", text);
    soup_session_send_and_read_async (f->http, retry, G_PRIORITY_DEFAULT, NULL, on_answered,
                                      &retried);
    WAIT_UNTIL (retried != NULL);
    g_assert_cmpuint (soup_message_get_status (retried), ==, SOUP_STATUS_CREATED);
    /* the reply kept before the crash is the one the retry gets ("journaled": it was lost) */
    if (strcmp (kill_at, "stored") == 0)
      g_assert_true (g_bytes_equal (g_object_get_data (G_OBJECT (answered), "body"),
                                    g_object_get_data (G_OBJECT (retried), "body")));
  }
  /* nothing left pending in Redis, and no reply kept longer than needed */
  g_assert_true (wc_redis_url_parse (f->redis_url, &url, NULL));
  c = wc_redis_connect (&url, NULL);
  g_assert_nonnull (c);
  assert_redis_settled (c, "relay-test");
  /* one answer in the journal, with the relay's request id */
  journal = end_exercise (f);
  for (guint i = 0; i < wc_journal_get_n_records (journal); i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i);

      if (strcmp (r->type, "response") != 0)
        continue;
      n_responses++;
      g_assert_cmpstr (json_object_get_string_member (r->data, "text"), ==, "contained");
      g_assert_cmpstr (wc_record_get_key (r->data), ==, "m1-a");
      request = json_object_get_string_member_with_default (r->data, "request", NULL);
      g_assert_nonnull (request);
      g_assert_nonnull (strchr (request, ':'));
    }
  g_assert_cmpuint (n_responses, ==, 1);

  g_subprocess_send_signal (f->relays[0], SIGTERM);
  g_assert_true (g_subprocess_wait (f->relays[0], NULL, NULL));
  g_subprocess_force_exit (f->redis);
  g_subprocess_wait (f->redis, NULL, NULL);
  wc_redis_url_clear (&url);
  g_clear_object (&f->relays[0]);
  g_clear_object (&f->controller);
  g_clear_object (&f->redis);
  g_clear_object (&f->http);
  fixture_clear (f);
}

/* A connection from 127.0.0.1 to @port, held open without a request. */
static GSocketConnection *
hold_connection (GSocketClient *client,
                 guint          port)
{
  GSocketConnection *c = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  g_assert_nonnull (c);
  return c;
}

/* Whether a client from 127.0.0.1 that connects to @port now is refused over a connection cap
 * (503, "Too many connections") rather than served. */
static gboolean
refused_over_cap (GSocketClient *client,
                  guint          port)
{
  g_autoptr(GSocketConnection) c = hold_connection (client, port);
  static const char request[] = "GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n";
  char reply[512] = { 0 };
  gsize n = 0;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (c)), request,
                             sizeof request - 1, NULL, NULL, NULL);
  /* the refusal is sent at once, then the connection closed; a served one answers 200 */
  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (c)), reply,
                           sizeof reply - 1, &n, NULL, NULL);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 "));
  return strstr (reply, " 503 ") && strstr (reply, "Too many connections");
}

static void
on_own_acked (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  guint *n_ok = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                             NULL);

  /* each answered 200 (as the controller's server answers it, once journaled), never the
   * controller's "Too many connections" passed on */
  g_assert_nonnull (body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  n_ok[0]++;
}

#define N_OWN_TEAMS 40

/* The controller makes every relayed request to its own server from 127.0.0.1: with a cap of 4
 * connections per address, and that address's 4 already held by an outside client, the
 * acknowledgements of 40 teams through a relay are all still answered and journaled, while the
 * outside client's fifth connection is refused. */
static void
test_own_requests (void)
{
  g_autofree char *redis_server = g_find_program_in_path ("redis-server");
  const char *ctl = g_getenv ("WC_CTL");
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WcJournal) journal = NULL;
  g_autoptr(GHashTable) acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *relay_listen = NULL;
  const char *tokens[N_OWN_TEAMS];
  guint port, n_ok = 0;

  if (redis_server == NULL)
    {
      g_test_skip ("redis-server is not installed (Debian: apt install redis-server)");
      return;
    }
  g_assert_nonnull (ctl);
  g_string_append (text, "{\"format\": \"whitecell-scenario\", \"version\": 1, \"exercise\": "
                         "{\"id\": \"relay-test\", \"title\": \"Own\", \"tlp\": \"GREEN\", "
                         "\"duration\": \"T+02:00\"}, \"teams\": [");
  for (guint i = 0; i < N_OWN_TEAMS; i++)
    g_string_append_printf (text, "%s{\"id\": \"t%u\", \"name\": \"T%u\", \"kind\": "
                            "\"operator\"}", i ? ", " : "", i, i);
  g_string_append (text, "], \"injects\": [{\"id\": \"ALL\", \"trigger\": {\"type\": "
                         "\"manual\"}, \"channel\": \"alert\", \"to\": \"all\", \"title\": "
                         "\"All\", \"body\": \"for all\"}]}");
  f->scenario_text = text->str;
  f->http = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64, NULL);
  f->cap = "4";
  start_controller (f, redis_server, ctl);
  f->cap = NULL;
  port = (guint) atoi (strrchr (f->listen, ':') + 1);
  g_assert_true (json_parser_load_from_file (parser, f->tokens_out, NULL));
  for (guint i = 0; i < N_OWN_TEAMS; i++)
    {
      g_autofree char *id = g_strdup_printf ("t%u", i);

      tokens[i] = json_object_get_string_member (json_object_get_object_member (
        json_node_get_object (json_parser_get_root (parser)), id), "token");
    }

  /* an outside client takes 127.0.0.1's 4 connections to the controller: a fifth is refused */
  for (guint i = 0; i < 4; i++)
    g_ptr_array_add (held, hold_connection (client, port));
  g_assert_true (refused_over_cap (client, port));

  f->ports[0] = free_port ();
  relay_listen = g_strdup_printf ("127.0.0.1:%u", f->ports[0]);
  f->relays[0] = spawn (f, "relay.log", G_SUBPROCESS_FLAGS_NONE, ctl, "relay", "--redis",
                        f->redis_url, "--listen", relay_listen, NULL);
  command (f, "fire ALL");
  WAIT_UNTIL (http_status (f, "GET", f->ports[0], "/api/v1/injects/ALL/responses", tokens[0]) ==
              200);
  /* every team acknowledges at once, through the relay: ten times the cap, from 127.0.0.1 */
  for (guint i = 0; i < N_OWN_TEAMS; i++)
    {
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/api/v1/injects/ALL/ack",
                                              f->ports[0]);
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
      g_autofree char *auth = g_strconcat ("Bearer ", tokens[i], NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_session_send_and_read_async (f->http, msg, G_PRIORITY_DEFAULT, NULL, on_own_acked,
                                        &n_ok);
    }
  WAIT_UNTIL (n_ok == N_OWN_TEAMS);
  /* the outside client's connections were held throughout: still capped */
  g_assert_true (refused_over_cap (client, port));
  g_ptr_array_set_size (held, 0);

  journal = end_exercise (f);
  for (guint i = 0; i < wc_journal_get_n_records (journal); i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i);

      if (strcmp (r->type, "inject-acknowledged") != 0)
        continue;
      /* made by a relayed command (its id), not by a team at the controller */
      g_assert_nonnull (json_object_get_string_member_with_default (r->data, "request", NULL));
      g_assert_cmpstr (json_object_get_string_member (r->data, "inject"), ==, "ALL");
      g_hash_table_add (acked, g_strdup (json_object_get_string_member (r->data, "team")));
    }
  g_assert_cmpuint (g_hash_table_size (acked), ==, N_OWN_TEAMS);
  fixture_stop (f, 0);
}

/* A team's event stream opened on @port (a relay) with a plain socket, held until closed. */
static GSocketConnection *
open_events (guint       port,
             const char *token)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  GSocketConnection *c = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  g_autofree char *request = g_strdup_printf ("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n"
                                              "Accept: text/event-stream\r\n\r\n", token);
  char reply[256] = { 0 };

  g_assert_nonnull (c);
  g_socket_set_timeout (g_socket_connection_get_socket (c), 10);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (c)),
                                            request, strlen (request), NULL, NULL, NULL));
  /* the stream's head: the relay has opened it (and its presence changed) */
  g_assert_cmpint (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (c)), reply,
                                        sizeof reply - 1, NULL, NULL), >, 0);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 200"));
  return c;
}

/* Whether the controller's board (its own API) shows @team connected. */
static gboolean
controller_sees (Fixture    *f,
                 const char *controller_token,
                 const char *team)
{
  g_autofree char *uri = g_strdup_printf ("http://%s/api/v1/control/state", f->listen);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autofree char *auth = g_strconcat ("Bearer ", controller_token, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *teams;

  /* polled: within the staff's rate (20 a second) */
  g_usleep (100 * 1000);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (f->http, msg, NULL, NULL);
  g_assert_nonnull (body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = json_from_string (g_bytes_get_data (body, NULL), NULL);
  g_assert_nonnull (root);
  teams = json_object_get_array_member (json_node_get_object (root), "teams");
  for (guint i = 0; i < json_array_get_length (teams); i++)
    {
      JsonObject *t = json_array_get_object_element (teams, i);

      if (g_strcmp0 (json_object_get_string_member (t, "id"), team) == 0)
        return json_object_get_boolean_member (t, "connected");
    }
  g_assert_not_reached ();
}

/* Whether the controller's journal (as it is on disk now) has a "team-presence" record of @team
 * @connected. */
static gboolean
journal_has_presence (Fixture    *f,
                      const char *team,
                      gboolean    connected)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (f->journal, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", 0);
  for (guint i = 1; lines[i]; i++)
    {
      g_autoptr(JsonNode) node = lines[i][0] ? json_from_string (lines[i], NULL) : NULL;
      JsonObject *record = node ? json_node_get_object (node) : NULL;
      JsonObject *data = record && json_object_has_member (record, "data")
                         ? json_object_get_object_member (record, "data") : NULL;

      if (data && g_strcmp0 (json_object_get_string_member_with_default (record, "type", NULL),
                             "team-presence") == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (data, "team", NULL), team) == 0 &&
          json_object_get_boolean_member_with_default (data, "connected", !connected) == connected)
        return TRUE;
    }
  return FALSE;
}

/* The controller's staff token, from the secrets beside its journal. */
static char *
read_controller_token (Fixture *f)
{
  g_autoptr(JsonParser) secrets = json_parser_new ();
  g_autofree char *path = g_strconcat (f->journal, ".tokens.json", NULL);

  g_assert_true (json_parser_load_from_file (secrets, path, NULL));
  return g_strdup (json_object_get_string_member (
    json_node_get_object (json_parser_get_root (secrets)), "controller"));
}

/* Two relays on free ports, each beating every @heartbeat ms. */
static void
start_relays (Fixture    *f,
              const char *ctl,
              const char *heartbeat)
{
  f->heartbeat = heartbeat;
  for (guint r = 0; r < 2; r++)
    {
      g_autofree char *listen = NULL;

      f->ports[r] = free_port ();
      listen = g_strdup_printf ("127.0.0.1:%u", f->ports[r]);
      f->relays[r] = spawn (f, r ? "relay-b.log" : "relay-a.log", G_SUBPROCESS_FLAGS_NONE, ctl,
                            "relay", "--redis", f->redis_url, "--listen", listen, NULL);
    }
  f->heartbeat = NULL;
}

/* Teams on relays are connected on the controller's board and in its journal as teams on the
 * controller itself: a stream opened on a relay, closed, and a relay killed (SIGKILL) whose teams
 * are dropped once it misses its heartbeats, but for a team also on the other relay. */
static void
test_presence (void)
{
  g_autofree char *redis_server = g_find_program_in_path ("redis-server");
  const char *ctl = g_getenv ("WC_CTL");
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *controller = NULL;
  g_autoptr(GSocketConnection) a = NULL;
  g_autoptr(GSocketConnection) b0 = NULL;
  g_autoptr(GSocketConnection) b1 = NULL;
  g_autoptr(WcJournal) journal = NULL;
  const char *token_a, *token_b;
  gint64 killed_at;

  if (redis_server == NULL)
    {
      g_test_skip ("redis-server is not installed (Debian: apt install redis-server)");
      return;
    }
  g_assert_nonnull (ctl);
  f->http = soup_session_new ();
  start_controller (f, redis_server, ctl);
  g_assert_true (json_parser_load_from_file (parser, f->tokens_out, NULL));
  token_a = json_object_get_string_member (json_object_get_object_member (
    json_node_get_object (json_parser_get_root (parser)), "a"), "token");
  token_b = json_object_get_string_member (json_object_get_object_member (
    json_node_get_object (json_parser_get_root (parser)), "b"), "token");
  controller = read_controller_token (f);
  /* a heartbeat each 200 ms: a relay silent for 600 ms is taken for dead */
  start_relays (f, ctl, "200");
  for (guint r = 0; r < 2; r++)
    WAIT_UNTIL (http_status (f, "GET", f->ports[r], "/api/v1/me", token_a) == 200);
  g_assert_false (controller_sees (f, controller, "a"));

  /* a's stream on relay A: connected on the controller's board, and journaled so */
  a = open_events (f->ports[0], token_a);
  WAIT_UNTIL (controller_sees (f, controller, "a"));
  WAIT_UNTIL (journal_has_presence (f, "a", TRUE));
  g_assert_false (controller_sees (f, controller, "b"));
  /* closed: not connected */
  g_io_stream_close (G_IO_STREAM (a), NULL, NULL);
  g_clear_object (&a);
  WAIT_UNTIL (!controller_sees (f, controller, "a"));

  /* a on relay A again, b on both relays */
  a = open_events (f->ports[0], token_a);
  b0 = open_events (f->ports[0], token_b);
  b1 = open_events (f->ports[1], token_b);
  WAIT_UNTIL (controller_sees (f, controller, "a") && controller_sees (f, controller, "b"));
  /* relay A killed: it says nothing, its teams go once it has missed its heartbeats, and b,
   * on relay B too, stays connected */
  g_subprocess_force_exit (f->relays[0]);
  g_assert_true (g_subprocess_wait (f->relays[0], NULL, NULL));
  killed_at = g_get_monotonic_time ();
  WAIT_UNTIL (!controller_sees (f, controller, "a"));
  g_assert_cmpint (g_get_monotonic_time () - killed_at, <, 10 * G_USEC_PER_SEC);
  g_assert_true (controller_sees (f, controller, "b"));
  /* the review has it too: a dropped (after the presence records' grace) */
  WAIT_UNTIL (journal_has_presence (f, "a", FALSE));
  g_assert_false (journal_has_presence (f, "b", FALSE));
  g_assert_true (controller_sees (f, controller, "b"));
  /* b's last stream closed: gone */
  g_io_stream_close (G_IO_STREAM (b1), NULL, NULL);
  WAIT_UNTIL (!controller_sees (f, controller, "b"));

  journal = end_exercise (f);
  fixture_stop (f, 1);
}

/* Two manual injects to every team: one fired before the controller's crash, one after. */
static const char restart_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"relay-restart\", \"title\": \"Restart\", \"tlp\": \"AMBER\",\n"
  "   \"duration\": \"T+02:00\"},\n"
  " \"teams\": [{\"id\": \"a\", \"name\": \"A\", \"kind\": \"csirt\"},\n"
  "           {\"id\": \"b\", \"name\": \"B\", \"kind\": \"operator\"},\n"
  "           {\"id\": \"c\", \"name\": \"C\", \"kind\": \"operator\"},\n"
  "           {\"id\": \"d\", \"name\": \"D\", \"kind\": \"operator\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"BEFORE\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"email\",\n"
  "   \"to\": \"all\", \"title\": \"Before\", \"body\": \"fired before the crash\"},\n"
  "  {\"id\": \"AFTER\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"email\",\n"
  "   \"to\": \"all\", \"title\": \"After\", \"body\": \"fired after the restart\"}\n"
  " ]}\n";

#define RESTART_DEADLINE_S 10

/* A POST of the team of @token to @path through relay @relay, with the Idempotency-Key @key and
 * the JSON @json (both nullable), its answer put in *@answered when it comes (the page waits for
 * it as long as the relay holds the request). */
static void
relay_post (Fixture     *f,
            guint        relay,
            const char  *token,
            const char  *path,
            const char  *key,
            const char  *json,
            SoupMessage **answered)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u%s", f->ports[relay], path);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

  *answered = NULL;
  soup_message_headers_replace (headers, "Authorization", auth);
  if (key)
    soup_message_headers_replace (headers, "Idempotency-Key", key);
  if (json)
    {
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  soup_session_send_and_read_async (f->http, msg, G_PRIORITY_DEFAULT, NULL, on_answered,
                                    answered);
}

/* The acknowledgement of @inject by the team of @token through relay @relay (see relay_post). */
static void
send_ack (Fixture     *f,
          guint        relay,
          const char  *token,
          const char  *inject,
          SoupMessage **answered)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/injects/%s/ack", inject);

  relay_post (f, relay, token, path, NULL, NULL, answered);
}

/* @answered is the controller's answer to an acknowledgement of @inject: 200, and its time. */
static gint64
assert_acked (SoupMessage *answered,
              const char  *inject)
{
  GBytes *body = g_object_get_data (G_OBJECT (answered), "body");
  g_autoptr(JsonNode) node = wc_test_parse_json (body);
  JsonObject *reply;

  g_assert_cmpuint (soup_message_get_status (answered), ==, SOUP_STATUS_OK);
  g_assert_nonnull (node);
  reply = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (reply, "inject"), ==, inject);
  g_assert_true (json_object_has_member (reply, "acknowledged_ms"));
  return json_object_get_int_member (reply, "acknowledged_ms");
}

/* The teams' requests waiting in the commands stream: added after the last entry the
 * controller's group was given. */
static guint
n_requests_waiting (redisContext *c,
                    const char   *key)
{
  g_autoptr(redisReply) groups = wc_redis_command (c, 3, (const char *[]) { "XINFO", "GROUPS",
                                                                            key }, NULL, NULL);
  g_autoptr(redisReply) entries = NULL;
  g_autofree char *after = NULL;
  guint n = 0;

  g_assert_nonnull (groups);
  g_assert_cmpuint (groups->elements, ==, 1);
  after = g_strconcat ("(", wc_redis_field (groups->element[0], "last-delivered-id", NULL), NULL);
  entries = wc_redis_command (c, 4, (const char *[]) { "XRANGE", key, after, "+" }, NULL, NULL);
  g_assert_nonnull (entries);
  for (size_t i = 0; i < entries->elements; i++)
    n += g_strcmp0 (wc_redis_field (entries->element[i]->element[1], "kind", NULL), "http") == 0;
  return n;
}

/* A team's event stream on relay @relay, from @last_id (nullable). */
static WcTestStream *
relay_stream (Fixture    *f,
              guint       relay,
              const char *token,
              const char *last_id)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/events?access_token=%s",
                                          f->ports[relay], token);

  return wc_test_stream_open (f->http, url, last_id);
}

/* The events @event ("inject": the inject itself; "acknowledged": the team's acknowledgement)
 * of @inject that stream @s had. */
static guint
count_inject (WcTestStream *s,
              const char   *event,
              const char   *inject)
{
  g_autofree char *needle = g_strdup_printf (strcmp (event, "inject") == 0 ? "\"id\":\"%s\""
                                                                           : "\"inject\":\"%s\"",
                                             inject);

  return wc_test_stream_count (s, event, needle);
}

/* The controller killed (SIGKILL) mid-exercise while its relays keep running, and restarted
 * with --resume on the same journal and Redis: the acknowledgements teams send through a relay
 * meanwhile wait in the commands stream and are answered 200 once it is back; every
 * acknowledgement (before, during, after) is journaled once, no inject fires twice, the teams'
 * streams on the relays stay up and get what is fired after the restart, once, and a team that
 * reconnects with Last-Event-ID gets what it missed and nothing again. */
static void
test_controller_restart (void)
{
  g_autofree char *redis_server = g_find_program_in_path ("redis-server");
  const char *ctl = g_getenv ("WC_CTL");
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *controller = NULL;
  g_autoptr(WcJournal) journal = NULL;
  g_autoptr(redisContext) c = NULL;
  g_autoptr(GHashTable) acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) fired = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GSubprocess) verify = NULL;
  g_autofree char *verify_out = NULL;
  g_autoptr(JsonNode) verdict = NULL;
  WcTestStream *streams[G_N_ELEMENTS (team_ids)];
  const char *tokens[G_N_ELEMENTS (team_ids)];
  SoupMessage *outage[3] = { NULL, NULL, NULL };  /* c's, d's and a's second click */
  g_autofree char *b_last = NULL;
  WcRedisUrl url;
  gint64 a_acked_ms;
  guint n_reopened = 0;

  if (redis_server == NULL)
    {
      g_test_skip ("redis-server is not installed (Debian: apt install redis-server)");
      return;
    }
  g_assert_nonnull (ctl);
  f->http = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64, NULL);
  f->scenario_text = restart_json;
  start_controller (f, redis_server, ctl);
  g_assert_true (json_parser_load_from_file (parser, f->tokens_out, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    tokens[i] = json_object_get_string_member (json_object_get_object_member (
      json_node_get_object (json_parser_get_root (parser)), team_ids[i]), "token");
  controller = read_controller_token (f);
  g_assert_true (wc_redis_url_parse (f->redis_url, &url, NULL));
  c = wc_redis_connect (&url, NULL);
  g_assert_nonnull (c);
  /* a heartbeat each 200 ms: the restarted controller asks the relays for their teams soon */
  start_relays (f, ctl, "200");
  for (guint r = 0; r < 2; r++)
    WAIT_FOR (http_status (f, "GET", f->ports[r], "/api/v1/me", tokens[0]) == 200,
              RESTART_DEADLINE_S, "a relay serving (started and caught up)");
  /* a and c on relay A, b and d on relay B */
  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    streams[i] = relay_stream (f, i % 2, tokens[i], NULL);

  command (f, "fire BEFORE");
  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    WAIT_FOR (count_inject (streams[i], "inject", "BEFORE") == 1, RESTART_DEADLINE_S,
              "a team's stream on a relay getting the inject BEFORE");
  /* a and b acknowledge it while the controller runs */
  {
    SoupMessage *before[2] = { NULL, NULL };

    for (guint i = 0; i < 2; i++)
      send_ack (f, i % 2, tokens[i], "BEFORE", &before[i]);
    WAIT_FOR (before[0] && before[1], RESTART_DEADLINE_S, "the answers to a's and b's acks");
    a_acked_ms = assert_acked (before[0], "BEFORE");
    assert_acked (before[1], "BEFORE");
    g_object_unref (before[0]);
    g_object_unref (before[1]);
  }
  WAIT_FOR (controller_sees (f, controller, "a") && controller_sees (f, controller, "d"),
            RESTART_DEADLINE_S, "the teams on relays connected on the controller's board");

  /* the controller dies; the relays keep running */
  g_subprocess_force_exit (f->controller);
  WAIT_FOR (g_subprocess_get_identifier (f->controller) == NULL, RESTART_DEADLINE_S,
            "the controller killed and reaped");
  g_assert_true (g_subprocess_wait (f->controller, NULL, NULL));
  g_assert_true (g_subprocess_get_if_signaled (f->controller));
  g_assert_cmpint (g_subprocess_get_term_sig (f->controller), ==, SIGKILL);
  g_clear_object (&f->controller);

  /* meanwhile: reads are the relay's own; b's stream goes (its page closed); c and d
   * acknowledge, and a clicks again; their requests wait in the commands stream, unanswered */
  {
    g_autofree char *list = g_strdup_printf ("http://127.0.0.1:%u/api/v1/injects", f->ports[0]);
    g_autoptr(JsonObject) reply = NULL;

    g_assert_cmpuint (wc_test_http_json (f->http, "GET", list, tokens[2], NULL, &reply), ==,
                      200);
    g_assert_nonnull (reply);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "injects")), ==,
                      1);
  }
  g_assert_cmpuint (count_inject (streams[1], "acknowledged", "BEFORE"), ==, 1);
  b_last = g_strdup (((WcTestEvent *) g_ptr_array_index (streams[1]->events,
                                                         streams[1]->events->len - 1))->id);
  g_assert_nonnull (b_last);
  wc_test_stream_close (g_steal_pointer (&streams[1]));
  send_ack (f, 0, tokens[2], "BEFORE", &outage[0]);
  send_ack (f, 1, tokens[3], "BEFORE", &outage[1]);
  send_ack (f, 0, tokens[0], "BEFORE", &outage[2]);
  WAIT_FOR (n_requests_waiting (c, "wc:relay-restart:commands") == 3, RESTART_DEADLINE_S,
            "the three acknowledgements in the commands stream");
  /* a second more: none answered (a relay holds a request 30 s before it answers 504) */
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

    while (g_get_monotonic_time () < until)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
  }
  for (guint i = 0; i < G_N_ELEMENTS (outage); i++)
    g_assert_null (outage[i]);

  /* restarted on the same journal and Redis: the waiting requests are answered */
  f->controller = spawn (f, "controller-2.log", G_SUBPROCESS_FLAGS_STDIN_PIPE, ctl, "run",
                         f->scenario, "--journal", f->journal, "--listen", f->listen,
                         "--resume", "--hot-wash", "0", "--redis", f->redis_url, NULL);
  WAIT_FOR (outage[0] && outage[1] && outage[2], RESTART_DEADLINE_S,
            "the acknowledgements sent during the outage answered after the restart");
  assert_acked (outage[0], "BEFORE");
  assert_acked (outage[1], "BEFORE");
  /* a's second click: the same acknowledgement, not a new one */
  g_assert_cmpint (assert_acked (outage[2], "BEFORE"), ==, a_acked_ms);
  /* the relays tell the restarted controller their teams when it asks */
  WAIT_FOR (controller_sees (f, controller, "a") && controller_sees (f, controller, "c") &&
            controller_sees (f, controller, "d"), RESTART_DEADLINE_S,
            "the relays' teams connected on the restarted controller's board");

  /* an operator unsure whether BEFORE went fires it again (refused), then AFTER */
  command (f, "resume");
  command (f, "fire BEFORE");
  command (f, "fire AFTER");
  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    if (streams[i])
      WAIT_FOR (count_inject (streams[i], "inject", "AFTER") == 1, RESTART_DEADLINE_S,
                "a stream kept through the restart getting the inject AFTER");
  /* b comes back, on the other relay, from the last event it had: what it missed, only */
  streams[1] = relay_stream (f, 0, tokens[1], b_last);
  WAIT_FOR (count_inject (streams[1], "inject", "AFTER") == 1, RESTART_DEADLINE_S,
            "b's stream resumed with Last-Event-ID getting the inject AFTER");
  g_assert_cmpuint (count_inject (streams[1], "inject", "BEFORE"), ==, 0);
  g_assert_cmpuint (count_inject (streams[1], "acknowledged", "BEFORE"), ==, 0);

  /* every team acknowledges AFTER through the relay it is on now */
  {
    SoupMessage *after[G_N_ELEMENTS (team_ids)] = { NULL };

    for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
      send_ack (f, i == 3, tokens[i], "AFTER", &after[i]);
    WAIT_FOR (after[0] && after[1] && after[2] && after[3], RESTART_DEADLINE_S,
              "the answers to the acknowledgements of AFTER");
    for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
      {
        assert_acked (after[i], "AFTER");
        g_object_unref (after[i]);
      }
  }
  /* each stream: each inject once, each acknowledgement of its team once, never closed */
  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    {
      WAIT_FOR (count_inject (streams[i], "acknowledged", "AFTER") == 1, RESTART_DEADLINE_S,
                "a team's stream getting its acknowledgement of AFTER");
      g_assert_cmpuint (count_inject (streams[i], "inject", "AFTER"), ==, 1);
      g_assert_cmpuint (count_inject (streams[i], "inject", "BEFORE"), ==, i == 1 ? 0 : 1);
      g_assert_cmpuint (count_inject (streams[i], "acknowledged", "BEFORE"), ==, i == 1 ? 0 : 1);
      g_assert_true (streams[i]->open);
    }
  /* nothing left pending in Redis, and no reply kept longer than needed */
  assert_redis_settled (c, "relay-restart");

  /* the journal: each inject fired once, each acknowledgement once (each its relayed request's),
   * one reopening, and sound */
  journal = end_exercise (f);
  for (guint i = 0; i < wc_journal_get_n_records (journal); i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i);

      if (strcmp (r->type, "inject-fired") == 0)
        g_assert_true (g_hash_table_add (fired, g_strdup (wc_record_get_inject (r->data))));
      else if (strcmp (r->type, "journal-reopened") == 0)
        n_reopened++;
      else if (strcmp (r->type, "inject-acknowledged") == 0)
        {
          const char *request = json_object_get_string_member_with_default (r->data, "request",
                                                                            NULL);

          g_assert_true (g_hash_table_add (acked, g_strdup_printf ("%s/%s",
                                                                   wc_record_get_inject (r->data),
                                                                   wc_record_get_team (r->data))));
          g_assert_nonnull (request);
          g_assert_true (g_hash_table_add (requests, g_strdup (request)));
        }
    }
  g_assert_cmpuint (g_hash_table_size (fired), ==, 2);
  g_assert_cmpuint (n_reopened, ==, 1);
  g_assert_cmpuint (g_hash_table_size (acked), ==, 2 * G_N_ELEMENTS (team_ids));
  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    for (guint k = 0; k < 2; k++)
      {
        g_autofree char *pair = g_strdup_printf ("%s/%s", k ? "AFTER" : "BEFORE", team_ids[i]);

        g_assert_true (g_hash_table_contains (acked, pair));
      }
  verify = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, NULL, ctl, "verify", "--json",
                             f->journal, NULL);
  g_assert_nonnull (verify);
  g_assert_true (g_subprocess_communicate_utf8 (verify, NULL, NULL, &verify_out, NULL, NULL));
  g_assert_true (g_subprocess_get_successful (verify));
  verdict = json_from_string (verify_out, NULL);
  g_assert_nonnull (verdict);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (verdict), "verdict"), ==,
                   "sound");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (verdict),
                                                 "seals_checked"));

  for (guint i = 0; i < G_N_ELEMENTS (team_ids); i++)
    wc_test_stream_close (streams[i]);
  for (guint i = 0; i < G_N_ELEMENTS (outage); i++)
    g_object_unref (outage[i]);
  g_subprocess_send_signal (f->relays[1], SIGTERM);
  g_assert_true (g_subprocess_wait (f->relays[1], NULL, NULL));
  g_assert_true (g_subprocess_get_successful (f->relays[1]));
  wc_redis_url_clear (&url);
  fixture_stop (f, 0);
}

/* The controller started as start_controller() does, the teams' tokens it wrote read into
 * @tokens; FALSE (the test skipped) without a redis-server. */
static gboolean
start_exercise (Fixture    *f,
                JsonParser *tokens)
{
  g_autofree char *redis_server = g_find_program_in_path ("redis-server");

  if (redis_server == NULL)
    {
      g_test_skip ("redis-server is not installed (Debian: apt install redis-server)");
      return FALSE;
    }
  g_assert_nonnull (g_getenv ("WC_CTL"));
  f->http = soup_session_new ();
  start_controller (f, redis_server, g_getenv ("WC_CTL"));
  g_assert_true (json_parser_load_from_file (tokens, f->tokens_out, NULL));
  return TRUE;
}

static const char *
team_token (JsonParser *tokens,
            const char *team)
{
  return json_object_get_string_member (json_object_get_object_member (
    json_node_get_object (json_parser_get_root (tokens)), team), "token");
}

/* @journal's records of @type, in order (its own). */
static GPtrArray *
journal_records (WcJournal  *journal,
                 const char *type)
{
  GPtrArray *records = g_ptr_array_new ();

  for (guint i = 0; i < wc_journal_get_n_records (journal); i++)
    if (strcmp (wc_journal_get_record (journal, i)->type, type) == 0)
      g_ptr_array_add (records, (gpointer) wc_journal_get_record (journal, i));
  return records;
}

/* The answer @text to @inject by the team of @token through relay @relay, sent with the
 * Idempotency-Key @key; its answer put in *@answered when it comes. */
static void
send_answer (Fixture     *f,
             guint        relay,
             const char  *token,
             const char  *inject,
             const char  *key,
             const char  *text,
             SoupMessage **answered)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/injects/%s/responses", inject);
  g_autofree char *json = g_strdup_printf ("{\"text\": \"%s\"}", text);

  relay_post (f, relay, token, path, key, json, answered);
}

/* @answered is the controller's answer to an answer @text to @inject: 201 (200 when it was
 * made before), the answer itself; its time. */
static gint64
assert_answered (SoupMessage *answered,
                 const char  *inject,
                 const char  *text)
{
  g_autoptr(JsonNode) node = wc_test_parse_json (g_object_get_data (G_OBJECT (answered), "body"));
  JsonObject *reply, *response;

  g_assert_true (soup_message_get_status (answered) == SOUP_STATUS_CREATED ||
                 soup_message_get_status (answered) == SOUP_STATUS_OK);
  g_assert_nonnull (node);
  reply = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (reply, "inject"), ==, inject);
  response = json_object_get_object_member (reply, "response");
  g_assert_nonnull (response);
  g_assert_cmpstr (json_object_get_string_member (response, "text"), ==, text);
  g_assert_true (json_object_has_member (response, "t_ms"));
  return json_object_get_int_member (response, "t_ms");
}

/* The answers of the team of @token to @inject, as relay @relay serves them (its replay of the
 * records): how many, and the first one's time in *@t_ms. */
static guint
relay_answers (Fixture    *f,
               guint       relay,
               const char *token,
               const char *inject,
               gint64     *t_ms)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/api/v1/injects/%s/responses",
                                          f->ports[relay], inject);
  g_autoptr(JsonObject) reply = NULL;
  JsonArray *responses;

  g_assert_cmpuint (wc_test_http_json (f->http, "GET", uri, token, NULL, &reply), ==, 200);
  g_assert_nonnull (reply);
  responses = json_object_get_array_member (reply, "responses");
  if (t_ms && json_array_get_length (responses) > 0)
    *t_ms = json_object_get_int_member (json_array_get_object_element (responses, 0), "t_ms");
  return json_object_get_int_member (reply, "total");
}

/* Relay @relay's /healthz: 200, "ok". */
static void
assert_relay_healthy (Fixture *f,
                      guint    relay)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/healthz", f->ports[relay]);
  g_autoptr(JsonObject) reply = NULL;

  g_assert_cmpuint (wc_test_http_json (f->http, "GET", uri, NULL, NULL, &reply), ==, 200);
  g_assert_nonnull (reply);
  g_assert_cmpstr (json_object_get_string_member (reply, "status"), ==, "ok");
}

/* The relay's request ids of the commands in @key's stream sent with Idempotency-Key @idem, in
 * the order sent. */
static GPtrArray *
commands_with_key (redisContext *c,
                   const char   *key,
                   const char   *idem)
{
  g_autoptr(redisReply) entries = wc_redis_command (c, 4, (const char *[]) { "XRANGE", key, "-",
                                                                             "+" }, NULL, NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (entries);
  for (size_t i = 0; i < entries->elements; i++)
    if (g_strcmp0 (wc_redis_field (entries->element[i]->element[1], "key", NULL), idem) == 0)
      g_ptr_array_add (ids, g_strdup (wc_redis_field (entries->element[i]->element[1], "id",
                                                      NULL)));
  return ids;
}

/* A relay started with --reply-timeout 1 while the controller stops taking commands (SIGSTOP):
 * a team's answer sent through it gets 504, a JSON error, after the second and long before the
 * default 30 s. The controller let go on (SIGCONT) journals the command that waited in Redis,
 * once; the team's retry with the same Idempotency-Key is answered as the first would have been
 * (same t_ms), not run again; the relay stays healthy and serves other teams. Bad values of the
 * option are refused naming it. */
static void
test_reply_timeout (void)
{
  const char *ctl = g_getenv ("WC_CTL");
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *relay_listen = NULL;
  g_autoptr(SoupMessage) timed_out = NULL;
  g_autoptr(SoupMessage) retried = NULL;
  g_autoptr(SoupMessage) other = NULL;
  g_autoptr(JsonNode) error_node = NULL;
  g_autoptr(WcJournal) journal = NULL;
  g_autoptr(redisContext) c = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  WcRedisUrl url;
  const char *token_a, *token_b;
  gint64 sent_at, waited_us, journaled_ms = -1, retried_ms;
  guint n_a = 0, n_b = 0;

  if (!start_exercise (f, parser))
    return;
  token_a = team_token (parser, "a");
  token_b = team_token (parser, "b");
  g_assert_true (wc_redis_url_parse (f->redis_url, &url, NULL));
  c = wc_redis_connect (&url, NULL);
  g_assert_nonnull (c);
  f->ports[0] = free_port ();
  relay_listen = g_strdup_printf ("127.0.0.1:%u", f->ports[0]);
  f->relays[0] = spawn (f, "relay.log", G_SUBPROCESS_FLAGS_NONE, ctl, "relay", "--redis",
                        f->redis_url, "--listen", relay_listen, "--reply-timeout", "1", NULL);
  command (f, "fire M1");
  command (f, "fire M2");
  WAIT_UNTIL (http_status (f, "GET", f->ports[0], "/api/v1/injects/M1/responses", token_a) ==
              200 &&
              http_status (f, "GET", f->ports[0], "/api/v1/injects/M2/responses", token_b) ==
              200);

  /* the controller takes no command; a's answer waits in Redis, and the relay gives up on it */
  g_subprocess_send_signal (f->controller, SIGSTOP);
  sent_at = g_get_monotonic_time ();
  send_answer (f, 0, token_a, "M1", "m1-a-late", "contained", &timed_out);
  WAIT_FOR (timed_out != NULL, 20, "the relay's answer while the controller is stopped");
  waited_us = g_get_monotonic_time () - sent_at;
  g_test_message ("504 after %.2f s", (double) waited_us / G_USEC_PER_SEC);
  g_assert_cmpuint (soup_message_get_status (timed_out), ==, SOUP_STATUS_GATEWAY_TIMEOUT);
  g_assert_cmpstr (soup_message_headers_get_content_type (
                     soup_message_get_response_headers (timed_out), NULL), ==,
                   "application/json");
  g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (timed_out),
                                                  "Retry-After"));
  error_node = wc_test_parse_json (g_object_get_data (G_OBJECT (timed_out), "body"));
  g_assert_nonnull (error_node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (error_node));
  g_assert_cmpstr (json_object_get_string_member_with_default (
                     json_node_get_object (error_node), "error", ""), !=, "");
  /* after the timeout set, not the default's 30 s (the machine is shared: no tight bound) */
  g_assert_cmpint (waited_us, >=, G_USEC_PER_SEC);
  g_assert_cmpint (waited_us, <, 15 * G_USEC_PER_SEC);
  /* the relay is well, and still has nothing of a's answer: the command waits, not run */
  assert_relay_healthy (f, 0);
  g_assert_cmpuint (relay_answers (f, 0, token_a, "M1", NULL), ==, 0);
  requests = commands_with_key (c, "wc:relay-test:commands", "m1-a-late");
  g_assert_cmpuint (requests->len, ==, 1);

  /* the controller goes on: it runs the command that waited (its reply, to the relay, dropped) */
  g_subprocess_send_signal (f->controller, SIGCONT);
  WAIT_UNTIL (relay_answers (f, 0, token_a, "M1", &journaled_ms) == 1);
  assert_redis_settled (c, "relay-test");

  /* a sends it again (after the 504), same key: answered as the first, not made twice */
  send_answer (f, 0, token_a, "M1", "m1-a-late", "contained", &retried);
  WAIT_UNTIL (retried != NULL);
  retried_ms = assert_answered (retried, "M1", "contained");
  g_assert_cmpint (retried_ms, ==, journaled_ms);
  g_assert_cmpuint (relay_answers (f, 0, token_a, "M1", NULL), ==, 1);
  /* another team's request through the same relay: answered, and the relay still healthy */
  send_answer (f, 0, token_b, "M2", "m2-b", "isolated", &other);
  WAIT_UNTIL (other != NULL);
  g_assert_cmpuint (soup_message_get_status (other), ==, SOUP_STATUS_CREATED);
  assert_answered (other, "M2", "isolated");
  assert_relay_healthy (f, 0);
  assert_redis_settled (c, "relay-test");

  /* the journal: a's answer once, made by the command that waited (not the retry), b's once */
  journal = end_exercise (f);
  responses = journal_records (journal, "response");
  for (guint i = 0; i < responses->len; i++)
    {
      const WcJournalRecord *r = g_ptr_array_index (responses, i);

      if (g_strcmp0 (wc_record_get_team (r->data), "a") == 0)
        {
          n_a++;
          g_assert_cmpstr (wc_record_get_inject (r->data), ==, "M1");
          g_assert_cmpstr (wc_record_get_text (r->data), ==, "contained");
          g_assert_cmpstr (wc_record_get_key (r->data), ==, "m1-a-late");
          g_assert_cmpstr (json_object_get_string_member_with_default (r->data, "request", NULL),
                           ==, g_ptr_array_index (requests, 0));
          g_assert_cmpint (r->t_ms, ==, retried_ms);
        }
      else
        {
          n_b++;
          g_assert_cmpstr (wc_record_get_team (r->data), ==, "b");
          g_assert_cmpstr (wc_record_get_key (r->data), ==, "m2-b");
        }
    }
  g_assert_cmpuint (n_a, ==, 1);
  g_assert_cmpuint (n_b, ==, 1);

  wc_redis_url_clear (&url);
  fixture_stop (f, 0);
}

typedef struct {
  const char *value;
} ReplyTimeoutCase;

static const ReplyTimeoutCase bad_reply_timeouts[] = {
  { "0" }, { "601" }, { "-1" }, { "1.5" }, { "30s" }, { "" }, { "99999999999999999999" },
};

/* --reply-timeout other than a whole number of seconds from 1 to 600: a usage error naming the
 * option and the value, before anything is started. */
static void
test_reply_timeout_invalid (gconstpointer data)
{
  const ReplyTimeoutCase *bad = data;
  const char *ctl = g_getenv ("WC_CTL");
  g_autoptr(GSubprocess) relay = NULL;
  g_autofree char *err = NULL;
  g_autofree char *quoted = g_strdup_printf ("“%s”", bad->value);

  g_assert_nonnull (ctl);
  relay = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                            NULL, ctl, "relay", "--redis", "redis://127.0.0.1:1",
                            "--reply-timeout", bad->value, NULL);
  g_assert_nonnull (relay);
  g_assert_true (g_subprocess_communicate_utf8 (relay, NULL, NULL, NULL, &err, NULL));
  g_assert_true (g_subprocess_get_if_exited (relay));
  g_assert_cmpint (g_subprocess_get_exit_status (relay), ==, 2);
  g_assert_nonnull (strstr (err, "--reply-timeout"));
  g_assert_nonnull (strstr (err, quoted));
}

/* What a relay can make the controller hold is bounded: teams of the scenario only, one entry
 * per team per relay, relays' own ids, WC_RELAY_MAX_RELAYS relays; a relay's whole list replaces
 * what it held, telling only the difference; a silent relay's teams go. */
static void
test_presence_bounds (void)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("relay.json");
  g_autoptr(WcScenario) scenario = wc_scenario_load_data (scenario_json, strlen (scenario_json),
                                                          NULL, diag, NULL);
  g_autoptr(WcTokens) tokens = NULL;
  g_autoptr(WcPresence) presence = NULL;
  g_autoptr(WcRelayPresence) rp = NULL;
  g_autofree char *long_id = g_strnfill (65, 'f');
  const char *not_ids[] = { "", "../x", "r:1", "wc:x:answered", long_id };

  g_assert_nonnull (scenario);
  tokens = wc_tokens_generate (scenario, NULL);
  presence = wc_presence_new (tokens);
  rp = wc_relay_presence_new (scenario);
  wc_relay_presence_set_presence (rp, presence);

  /* a change before the relay's list: asked for, not applied */
  g_assert_false (wc_relay_presence_change (rp, "r1", "a", TRUE));
  g_assert_false (wc_presence_is_team_connected (presence, "a"));
  g_assert_true (wc_relay_presence_wants_sync (rp, "r1"));
  g_assert_false (wc_relay_presence_wants_sync (rp, "r1"));  /* not again within a heartbeat */
  /* its list: teams of the scenario, each once */
  g_assert_true (wc_relay_presence_sync (rp, "r1", "a\nzz\na\nb\n"));
  g_assert_false (wc_relay_presence_wants_sync (rp, "r1"));
  g_assert_true (wc_presence_is_team_connected (presence, "a"));
  g_assert_true (wc_presence_is_team_connected (presence, "b"));
  g_assert_cmpuint (wc_relay_presence_count_team (rp, "a"), ==, 1);
  g_assert_cmpuint (wc_relay_presence_count_team (rp, "zz"), ==, 0);
  g_assert_false (wc_relay_presence_change (rp, "r1", "nobody", TRUE));
  g_assert_false (wc_relay_presence_change (rp, "r1", NULL, TRUE));
  /* told twice, counted once: told gone once, gone, and told gone again, nothing more */
  g_assert_true (wc_relay_presence_change (rp, "r1", "a", TRUE));
  g_assert_cmpuint (wc_relay_presence_count_team (rp, "a"), ==, 1);
  g_assert_true (wc_relay_presence_change (rp, "r1", "a", FALSE));
  g_assert_false (wc_presence_is_team_connected (presence, "a"));
  g_assert_true (wc_relay_presence_change (rp, "r1", "a", FALSE));
  wc_presence_touch (presence, "a", +1);  /* a stream on the controller itself */
  g_assert_true (wc_presence_is_team_connected (presence, "a"));
  wc_presence_touch (presence, "a", -1);
  g_assert_false (wc_presence_is_team_connected (presence, "a"));
  /* ids that are not a relay's (another key would be named from them) */
  for (guint i = 0; i < G_N_ELEMENTS (not_ids); i++)
    {
      g_assert_false (wc_relay_presence_sync (rp, not_ids[i], "a"));
      g_assert_false (wc_relay_presence_heartbeat (rp, not_ids[i], 1000));
    }
  g_assert_false (wc_relay_presence_sync (rp, NULL, "a"));
  g_assert_cmpuint (wc_relay_presence_get_n_relays (rp), ==, 1);

  /* another relay's list replaces what it held: b on both, then c alone on it */
  g_assert_true (wc_relay_presence_sync (rp, "r2", "b\nc"));
  g_assert_cmpuint (wc_relay_presence_count_team (rp, "b"), ==, 2);
  g_assert_true (wc_relay_presence_sync (rp, "r2", "c"));
  g_assert_cmpuint (wc_relay_presence_count_team (rp, "b"), ==, 1);
  g_assert_true (wc_presence_is_team_connected (presence, "b"));
  g_assert_true (wc_presence_is_team_connected (presence, "c"));

  /* r2 beats each 100 ms, then falls silent: its teams go, r1's stay */
  g_assert_true (wc_relay_presence_heartbeat (rp, "r2", 100));
  g_usleep (100 * 1000 * (WC_RELAY_HEARTBEATS_MISSED + 1));
  wc_relay_presence_expire (rp);
  g_assert_cmpuint (wc_relay_presence_get_n_relays (rp), ==, 1);
  g_assert_false (wc_presence_is_team_connected (presence, "c"));
  g_assert_true (wc_presence_is_team_connected (presence, "b"));

  /* a bounded number of relays: beyond it, one is ignored (and said so, once) */
  for (guint i = 1; i < WC_RELAY_MAX_RELAYS; i++)
    {
      g_autofree char *id = g_strdup_printf ("x%u", i);

      g_assert_true (wc_relay_presence_heartbeat (rp, id, 1000));
    }
  g_test_expect_message ("wc-relay", G_LOG_LEVEL_WARNING, "*relays report their teams*");
  g_assert_false (wc_relay_presence_sync (rp, "one-too-many", "a"));
  g_test_assert_expected_messages ();
  g_assert_false (wc_relay_presence_heartbeat (rp, "two-too-many", 1000));
  g_assert_false (wc_presence_is_team_connected (presence, "a"));
  g_assert_cmpuint (wc_relay_presence_get_n_relays (rp), ==, WC_RELAY_MAX_RELAYS);

  /* the presence let go of: what the relays told it is taken back */
  wc_relay_presence_set_presence (rp, NULL);
  g_assert_false (wc_presence_is_team_connected (presence, "b"));
  g_assert_cmpuint (wc_relay_presence_count_team (rp, "b"), ==, 1);
}

/* The mirror takes a journal's lines in order only. */
static void
test_mirror (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wc-mirror-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "j.jsonl", NULL);
  g_autoptr(WcJournal) journal = wc_journal_create (path, "x", "x.json", "00", NULL, NULL);
  g_autoptr(WcJournal) mirror = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_nonnull (journal);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) data = json_object_new ();

      json_object_set_int_member (data, "n", i);
      g_assert_cmpuint (wc_journal_append (journal, i * 10, "note", data, NULL), ==, i + 1);
    }
  g_assert_true (wc_journal_sync (journal, NULL));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", 0);
  mirror = wc_journal_new_mirror ("test", lines[0], &error);
  g_assert_no_error (error);
  /* the second record before the first: refused */
  g_assert_false (wc_journal_mirror_line (mirror, lines[2], strlen (lines[2]), &error));
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_TAMPERED);
  g_clear_error (&error);
  g_assert_true (wc_journal_mirror_line (mirror, lines[1], strlen (lines[1]), &error));
  g_assert_no_error (error);
  /* the same again: refused */
  g_assert_false (wc_journal_mirror_line (mirror, lines[1], strlen (lines[1]), &error));
  g_clear_error (&error);
  /* an altered line: its successor's link no longer matches */
  {
    g_autofree char *altered = g_strdup (lines[2]);

    *strstr (altered, "\"n\":1") = ' ';
    g_assert_false (wc_journal_mirror_line (mirror, altered, strlen (altered), &error));
    g_clear_error (&error);
  }
  g_assert_true (wc_journal_mirror_line (mirror, lines[2], strlen (lines[2]), NULL));
  g_assert_true (wc_journal_mirror_line (mirror, lines[3], strlen (lines[3]), NULL));
  g_assert_false (wc_journal_mirror_line (mirror, "{\"seq\": 4}", 10, &error));
  g_assert_error (error, WC_JOURNAL_ERROR, WC_JOURNAL_ERROR_BAD_LINE);
  g_assert_cmpuint (wc_journal_get_n_records (mirror), ==, 3);
  g_assert_cmpint (wc_journal_get_record (mirror, 2)->t_ms, ==, 20);
  g_clear_object (&journal);
  wc_test_remove_dir (dir);
}

typedef struct {
  const char *url;
  const char *host;
  guint       port;
  const char *password;
  guint       db;
} UrlCase;

static const UrlCase url_cases[] = {
  { "redis://127.0.0.1", "127.0.0.1", 6379, NULL, 0 },
  { "redis://:s%40cret@redis.example:6380/2", "redis.example", 6380, "s@cret", 2 },
  { "redis://[::1]:7000", "::1", 7000, NULL, 0 },
  { "rediss://host", NULL, 0, NULL, 0 },     /* no TLS in this client: refused, said why */
  { "http://host", NULL, 0, NULL, 0 },
  { "redis://host/99", NULL, 0, NULL, 0 },
  { "redis://", NULL, 0, NULL, 0 },
  { "not a url", NULL, 0, NULL, 0 },
};

static void
test_url (gconstpointer data)
{
  const UrlCase *c = data;
  WcRedisUrl url;
  g_autoptr(GError) error = NULL;
  gboolean ok = wc_redis_url_parse (c->url, &url, &error);

  if (c->host == NULL)
    {
      g_assert_false (ok);
      g_assert_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_URL);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpstr (url.host, ==, c->host);
  g_assert_cmpuint (url.port, ==, c->port);
  g_assert_cmpstr (url.password, ==, c->password);
  g_assert_cmpuint (url.db, ==, c->db);
  wc_redis_url_clear (&url);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/whitecell/relay/failover", test_failover);
  g_test_add_func ("/whitecell/relay/mirror", test_mirror);
  g_test_add_func ("/whitecell/relay/presence", test_presence);
  g_test_add_func ("/whitecell/relay/presence-bounds", test_presence_bounds);
  g_test_add_func ("/whitecell/relay/own-requests-uncapped", test_own_requests);
  g_test_add_func ("/whitecell/relay/controller-restart", test_controller_restart);
  g_test_add_data_func ("/whitecell/relay/exactly-once/stored", "stored", test_exactly_once);
  g_test_add_data_func ("/whitecell/relay/exactly-once/journaled", "journaled", test_exactly_once);
  g_test_add_func ("/whitecell/relay/reply-timeout", test_reply_timeout);
  for (guint i = 0; i < G_N_ELEMENTS (bad_reply_timeouts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/whitecell/relay/reply-timeout-invalid/%u", i);

      g_test_add_data_func (path, &bad_reply_timeouts[i], test_reply_timeout_invalid);
    }
  for (guint i = 0; i < G_N_ELEMENTS (url_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/whitecell/relay/url/%u", i);

      g_test_add_data_func (path, &url_cases[i], test_url);
    }
  return g_test_run ();
}
