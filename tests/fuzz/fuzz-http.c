/* fuzz-http.c: request bodies from the teams and the controller, through a real WcServer on
 * 127.0.0.1 (started once per process) and a libsoup client: every POST of the team API and the
 * control API that reads a body gets the input, with a valid token. Each must be answered, in
 * JSON, whatever it holds. */
#include "config.h"

#include <libsoup/soup.h>

#include "fuzz-common.h"
#include "wc-scenario-loader.h"
#include "wc-server.h"

static const char scenario_doc[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"fuzz\", \"title\": {\"en\": \"Fuzz\", \"fr\": \"Fuzz fr\"}, \"tlp\": \"AMBER\",\n"
  "   \"languages\": [\"en\", \"fr\"], \"duration\": \"T+02:00\"},\n"
  " \"teams\": [{\"id\": \"a\", \"name\": \"Team A\", \"kind\": \"csirt\", \"language\": \"fr\"},\n"
  "           {\"id\": \"b\", \"name\": \"Team B\", \"kind\": \"operator\"}],\n"
  " \"actors\": [{\"id\": \"press\", \"name\": \"Journalist\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"I1\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"email\", \"from\": \"press\",\n"
  "   \"to\": \"all\", \"title\": {\"en\": \"Hello\", \"fr\": \"Bonjour\"}, \"body\": \"Hi\"},\n"
  "  {\"id\": \"I2\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"decision\", \"to\": [\"b\"],\n"
  "   \"title\": \"Decide\", \"body\": \"Which?\",\n"
  "   \"options\": [{\"id\": \"x\", \"text\": \"X\"}, {\"id\": \"y\", \"text\": \"Y\"}]}\n"
  " ]}\n";

/* Who sends what where: NULL as the team is the controller. */
static const struct {
  const char *team;
  const char *path;
} routes[] = {
  { "b", "/api/v1/injects/I2/ack" },
  { "b", "/api/v1/injects/I2/responses" },
  { "a", "/api/v1/injects/I1/responses" },
  { NULL, "/api/v1/control/speed" },
  { NULL, "/api/v1/control/notes" },
  { NULL, "/api/v1/control/injects" },
};

typedef struct {
  WcScenario  *scenario;
  WcEngine    *engine;
  WcTokens    *tokens;
  WcServer    *server;
  SoupSession *session;
  char        *base;
} Exercise;

typedef struct {
  gboolean done;
  GBytes  *body;
  GError  *error;
} Reply;

static Exercise *
exercise_get (void)
{
  static Exercise *x;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autofree char *scenario_path = NULL;
  g_autofree char *journal_path = NULL;
  WcServerLimits limits;

  if (x != NULL)
    return x;
  x = g_new0 (Exercise, 1);
  scenario_path = fuzz_write_file ("scenario.json", (const uint8_t *) scenario_doc,
                                   sizeof scenario_doc - 1);
  journal_path = g_build_filename (fuzz_get_dir (), "journal.jsonl", NULL);
  diag = wc_diagnostics_new (scenario_path);
  x->scenario = wc_scenario_load (scenario_path, diag, &error);
  g_assert_no_error (error);
  x->engine = wc_engine_new (x->scenario, journal_path, &error);
  g_assert_no_error (error);
  x->tokens = wc_tokens_generate (x->scenario, &error);
  g_assert_no_error (error);
  x->server = wc_server_new (x->engine, x->tokens);
  /* the real limits but the rate: a fuzzer sends far more than a team may */
  wc_server_get_default_limits (&limits);
  limits.rate_per_second = 1e9;
  limits.rate_burst = 1e9;
  /* and the byte budget, which refuses a body as soon as its size is declared (the client, still
   * sending it, would only see the connection close) */
  limits.bytes_per_second = 1e12;
  limits.bytes_burst = 1e12;
  wc_server_set_limits (x->server, &limits);
  g_assert_true (wc_server_listen (x->server, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  x->base = wc_server_get_base_url (x->server);
  x->session = soup_session_new ();
  g_assert_true (wc_engine_start (x->engine, &error));
  g_assert_no_error (error);
  g_assert_true (wc_engine_fire_inject (x->engine, "I1", &error));
  g_assert_true (wc_engine_fire_inject (x->engine, "I2", &error));
  g_assert_no_error (error);
  return x;
}

static void
on_reply (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Reply *r = user_data;

  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &r->error);
  r->done = TRUE;
}

static void
post (Exercise   *x,
      const char *path,
      const char *token,
      GBytes     *body)
{
  g_autofree char *url = g_strconcat (x->base, path, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  Reply r = { 0 };
  const char *data;
  gsize length;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (x->session, msg, G_PRIORITY_DEFAULT, NULL, on_reply, &r);
  while (!r.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!r.done)
    g_error ("POST %s: no reply in 20 s", path);
  if (r.error != NULL)
    g_error ("POST %s: %s", path, r.error->message);

  data = g_bytes_get_data (r.body, &length);
  if (!json_parser_load_from_data (parser, data, length, &error))
    g_error ("POST %s: %u, and the reply is not JSON (%s): %.*s", path,
             soup_message_get_status (msg), error->message, (int) MIN (length, 200), data);
  g_assert_true (soup_message_get_status (msg) >= 200 && soup_message_get_status (msg) < 600);
  g_bytes_unref (r.body);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Exercise *x;
  g_autoptr(GBytes) body = g_bytes_new (data, size);

  fuzz_init ();
  x = exercise_get ();
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      const char *token = routes[i].team ? wc_tokens_get_team_token (x->tokens, routes[i].team)
                                         : wc_tokens_get_controller (x->tokens);

      post (x, routes[i].path, token, body);
    }
  return 0;
}
