/* test-server.c: the HTTP layer against a real server on 127.0.0.1, port 0, with a libsoup
 * client: every route, every error status, isolation between teams, event streams resumed after a
 * dropped connection, and signed webhooks retried against a receiver that fails first. */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "test-util.h"
#include "wc-scenario-loader.h"
#include "wc-server.h"
#include "wc-webhooks.h"

#define WAIT_UNTIL(cond) WC_TEST_WAIT_UNTIL (cond, 20, TRUE)

typedef struct {
  char        *dir;
  char        *journal;
  WcScenario  *scenario;
  WcEngine    *engine;
  WcTokens    *tokens;
  WcServer    *server;
  WcWebhooks  *webhooks;
  SoupSession *session;
  char        *base;
  /* the in-test webhook receiver */
  SoupServer  *receiver;
  guint        receiver_calls;
  guint        receiver_fail_first;
  gboolean     receiver_signature_ok;
  GPtrArray   *receiver_deliveries;
} Fixture;

static const char scenario_template[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"http\", \"title\": {\"en\": \"HTTP\", \"fr\": \"HTTP fr\"}, \"tlp\": \"AMBER\",\n"
  "   \"languages\": [\"en\", \"fr\"], \"duration\": \"T+02:00\"},\n"
  " \"teams\": [{\"id\": \"a\", \"name\": \"Team A\", \"kind\": \"csirt\", \"language\": \"fr\"},\n"
  "           {\"id\": \"b\", \"name\": \"Team B\", \"kind\": \"operator\", \"webhook\": \"%s\"}],\n"
  " \"actors\": [{\"id\": \"press\", \"name\": \"Journalist\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"I1\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"email\", \"from\": \"press\", \"to\": \"all\",\n"
  "   \"title\": {\"en\": \"Hello\", \"fr\": \"Bonjour\"}, \"body\": \"<script>alert(1)</script>\",\n"
  "   \"attachments\": [{\"file\": \"note.txt\", \"media_type\": \"text/plain\"}]},\n"
  "  {\"id\": \"I2\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"decision\", \"to\": [\"b\"],\n"
  "   \"title\": \"Decide\", \"body\": \"Which?\", \"options\": [{\"id\": \"x\", \"text\": \"X\"}, {\"id\": \"y\", \"text\": \"Y\"}]},\n"
  "  {\"id\": \"I3\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"news\", \"to\": [\"a\"], \"title\": \"News\", \"body\": \"b\"}\n"
  " ]}\n";

/* A self-signed certificate for 127.0.0.1 and its key (EC P-256, valid to 2126), made for this
 * test only: the server over HTTPS. */
static const char test_certificate[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBkDCCATagAwIBAgIUVZOzeGME9FyK2+X+qEx2DJP7lSswCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwMTIzNDY1M1oYDzIxMjYxMTA3\n"
  "MjM0NjUzWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAASNeuwQmU8LbstFzaUY7nLwFoYX3IBeWzZeLnB0cM7zx918V5NjYPUW\n"
  "qgOH+IrCBrtXoBLzGZF+0Y72tX4arTHAo2QwYjAdBgNVHQ4EFgQUdl9JcRGEflVP\n"
  "g/CzpuzFuDW2QnYwHwYDVR0jBBgwFoAUdl9JcRGEflVPg/CzpuzFuDW2QnYwDwYD\n"
  "VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC\n"
  "IQDwMDihPgQ5kAL8iS0nthk/6ndkhQKgLFG8GIFlm8hthAIgIWtrfA4TtCGDu9Ng\n"
  "2Dnl7GAjqqci4E8g9NhuatB5WZA=\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgG7Uvh2P99Pp5e+A9\n"
  "W66BiThGEOrrtC/8XKS1YOtYmnWhRANCAASNeuwQmU8LbstFzaUY7nLwFoYX3IBe\n"
  "WzZeLnB0cM7zx918V5NjYPUWqgOH+IrCBrtXoBLzGZF+0Y72tX4arTHA\n"
  "-----END PRIVATE KEY-----\n";

/* The webhook receiver: checks the signature, fails the first N calls with a 500. */
static void
receiver_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *signature = soup_message_headers_get_one (headers, "X-Whitecell-Signature");
  const char *delivery = soup_message_headers_get_one (headers, "X-Whitecell-Delivery");
  const char *timestamp = soup_message_headers_get_one (headers, "X-Whitecell-Timestamp");

  f->receiver_calls++;
  f->receiver_signature_ok = wc_webhooks_verify (wc_tokens_get_webhook_secret (f->tokens, "b"),
                                                 timestamp, signature, body->data, body->length,
                                                 g_get_real_time () / G_USEC_PER_SEC, 5 * 60);
  g_ptr_array_add (f->receiver_deliveries, g_strdup (delivery));
  soup_server_message_set_status (msg, f->receiver_calls <= f->receiver_fail_first ? 500 : 200,
                                  NULL);
}

/* The test's certificate (and it only) is taken as the server's. */
static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       GTlsCertificate      *expected)
{
  return g_tls_certificate_is_same (peer, expected);
}

static void
on_request_queued (SoupSession     *session,
                   SoupMessage     *msg,
                   GTlsCertificate *expected)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), expected);
}

/* @data: a certificate and its key (PEM) to serve HTTPS with, or NULL. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *doc = NULL;
  g_autofree char *note = NULL;
  g_autofree char *hook = NULL;
  WcServerLimits limits;

  f->dir = g_dir_make_tmp ("whitecell-http-XXXXXX", &error);
  g_assert_no_error (error);
  f->journal = g_build_filename (f->dir, "journal.jsonl", NULL);

  f->receiver_deliveries = g_ptr_array_new_with_free_func (g_free);
  f->receiver = wc_test_receiver_new (receiver_cb, f, &hook);

  doc = g_strdup_printf (scenario_template, hook);
  note = g_build_filename (f->dir, "note.txt", NULL);
  g_assert_true (g_file_set_contents (note, "attachment body", -1, NULL));
  f->scenario = wc_test_load_scenario (f->dir, "http.json", doc);
  f->engine = wc_engine_new (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  f->tokens = wc_tokens_generate (f->scenario, &error);
  g_assert_no_error (error);
  f->server = wc_server_new (f->engine, f->tokens);
  wc_server_get_default_limits (&limits);
  limits.rate_burst = 1000;
  limits.max_body = 4096;
  /* a gone client is noticed at the next write: ping often */
  limits.keepalive_seconds = 1;
  wc_server_set_limits (f->server, &limits);
  if (data != NULL)
    {
      certificate = g_tls_certificate_new_from_pem (data, -1, &error);
      g_assert_no_error (error);
    }
  g_assert_true (wc_server_listen (f->server, "127.0.0.1", 0, certificate, &error));
  g_assert_no_error (error);
  f->webhooks = wc_webhooks_new (f->engine, f->tokens);
  wc_webhooks_set_policy (f->webhooks, 3, 50, 5);
  f->base = wc_server_get_base_url (f->server);
  f->session = soup_session_new ();
  if (certificate)
    g_signal_connect_data (f->session, "request-queued", G_CALLBACK (on_request_queued),
                           g_object_ref (certificate),
                           (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  g_assert_true (wc_engine_start (f->engine, &error));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->webhooks);
  wc_server_disconnect (f->server);
  /* let libsoup finish closing its connections */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->server);
  g_assert_finalize_object (f->engine);
  g_object_unref (f->tokens);
  g_object_unref (f->scenario);
  soup_server_disconnect (f->receiver);
  g_object_unref (f->receiver);
  wc_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->journal);
  g_free (f->base);
  g_ptr_array_unref (f->receiver_deliveries);
}

/* One request; returns the status and, in @json (nullable), the parsed reply. */
static guint
request (Fixture     *f,
         const char  *method,
         const char  *path,
         const char  *token,
         const char  *content_type,
         const char  *body,
         JsonNode   **json)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autoptr(GBytes) bytes = body ? g_bytes_new (body, strlen (body)) : NULL;
  g_autoptr(GBytes) out = NULL;
  guint status = wc_test_http_send (f->session, method, url, token, content_type, bytes, &out, NULL);

  if (json)
    *json = wc_test_parse_json (out);
  return status;
}

static const char *
team_token (Fixture    *f,
            const char *team)
{
  return wc_tokens_get_team_token (f->tokens, team);
}

static const char *
controller (Fixture *f)
{
  return wc_tokens_get_controller (f->tokens);
}

static void
fire (Fixture    *f,
      const char *inject)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/control/injects/%s/fire", inject);

  g_assert_cmpuint (request (f, "POST", path, controller (f), NULL, NULL, NULL), ==, 200);
}

static void
test_health_and_auth (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) json = NULL;

  g_assert_cmpuint (request (f, "GET", "/healthz", NULL, NULL, NULL, &json), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "status"), ==, "ok");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (request (f, "GET", "/api/v1/me", NULL, NULL, NULL, &json), ==, 401);
  g_assert_true (json_object_has_member (json_node_get_object (json), "error"));
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (request (f, "GET", "/api/v1/me", "0123456789abcdef0123456789abcdef", NULL,
                             NULL, NULL), ==, 401);
  /* a team token opens no control route, the controller's no team route */
  g_assert_cmpuint (request (f, "GET", "/api/v1/control/state", team_token (f, "a"), NULL, NULL,
                             NULL), ==, 401);
  g_assert_cmpuint (request (f, "GET", "/api/v1/me", controller (f), NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (request (f, "GET", "/api/v1/nothing", team_token (f, "a"), NULL, NULL, NULL),
                    ==, 404);
  g_assert_cmpuint (request (f, "GET", "/nothing", NULL, NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint (request (f, "POST", "/healthz", NULL, NULL, NULL, NULL), ==, 405);

  g_assert_cmpuint (request (f, "GET", "/api/v1/me", team_token (f, "a"), NULL, NULL, &json), ==, 200);
  {
    JsonObject *me = json_node_get_object (json);

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (me, "team"), "id"), ==, "a");
    /* team a reads French */
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (me, "exercise"), "title"), ==, "HTTP fr");
  }
}

static void
test_page (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *page = g_strdup_printf ("/t/%s", team_token (f, "a"));

  g_assert_cmpuint (request (f, "GET", page, NULL, NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "GET", "/t/0123456789abcdef0123456789abcdef", NULL, NULL, NULL,
                             NULL), ==, 404);
  g_assert_cmpuint (request (f, "GET", "/static/app.js", NULL, NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "GET", "/static/style.css", NULL, NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "GET", "/static/../../etc/passwd", NULL, NULL, NULL, NULL), ==, 404);
}

static void
test_injects_and_isolation (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonNode) json = NULL;
  JsonArray *injects;
  JsonObject *i1;

  g_assert_cmpuint (request (f, "GET", "/api/v1/injects", team_token (f, "a"), NULL, NULL, &json), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (json), "injects")), ==, 0);
  g_clear_pointer (&json, json_node_unref);
  fire (f, "I1");
  fire (f, "I2");
  g_assert_cmpuint (request (f, "POST", "/api/v1/control/injects/I2/fire", controller (f), NULL,
                             NULL, NULL), ==, 409);
  g_assert_cmpuint (request (f, "POST", "/api/v1/control/injects/nope/fire", controller (f), NULL,
                             NULL, NULL), ==, 404);

  g_assert_cmpuint (request (f, "GET", "/api/v1/injects?lang=en", team_token (f, "a"), NULL, NULL, &json), ==, 200);
  injects = json_object_get_array_member (json_node_get_object (json), "injects");
  g_assert_cmpuint (json_array_get_length (injects), ==, 1);
  i1 = json_array_get_object_element (injects, 0);
  g_assert_cmpstr (json_object_get_string_member (i1, "id"), ==, "I1");
  g_assert_cmpstr (json_object_get_string_member (i1, "title"), ==, "Hello");
  g_assert_cmpstr (json_object_get_string_member (i1, "sender"), ==, "Journalist");
  /* untrusted text travels as data, unchanged; the page escapes it */
  g_assert_cmpstr (json_object_get_string_member (i1, "body"), ==, "<script>alert(1)</script>");
  g_clear_pointer (&json, json_node_unref);
  /* listed is delivered */
  g_assert_cmpint (wc_engine_get_team_state (f->engine, "I1", "a")->delivered_ms, >=, 0);

  /* I2 went to b only: for a it does not exist */
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I2/ack", team_token (f, "a"), NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I2/responses", team_token (f, "a"),
                             "application/json", "{\"option\": \"x\"}", NULL), ==, 404);
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I3/ack", team_token (f, "a"), NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint (request (f, "GET", "/api/v1/injects/I2/attachments/0", team_token (f, "a"), NULL, NULL, NULL), ==, 404);
  g_assert_null (wc_engine_get_team_state (f->engine, "I2", "a"));

  /* attachments */
  g_assert_cmpuint (request (f, "GET", "/api/v1/injects/I1/attachments/0", team_token (f, "a"), NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "GET", "/api/v1/injects/I1/attachments/1", team_token (f, "a"), NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint (request (f, "GET", "/api/v1/injects/I1/attachments/-1", team_token (f, "a"), NULL, NULL, NULL), ==, 404);
}

static void
test_ack_and_respond (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *big = NULL;
  const WcTeamInjectState *ts;

  fire (f, "I2");
  g_assert_cmpuint (request (f, "GET", "/api/v1/injects/I2/ack", team_token (f, "b"), NULL, NULL, NULL), ==, 405);
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I2/ack", team_token (f, "b"), NULL, NULL, &json), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "inject"), ==, "I2");
  g_clear_pointer (&json, json_node_unref);
  /* the answer came after the record was on disk */
  ts = wc_engine_get_team_state (f->engine, "I2", "b");
  g_assert_cmpint (ts->acknowledged_ms, >=, 0);

  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I2/responses", team_token (f, "b"),
                             "application/json", "{\"text\": ", &json), ==, 400);
  g_assert_true (json_object_has_member (json_node_get_object (json), "error"));
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I2/responses", team_token (f, "b"),
                             "text/plain", "hello", NULL), ==, 415);
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I2/responses", team_token (f, "b"),
                             "application/json", "{\"text\": 12}", NULL), ==, 400);
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I2/responses", team_token (f, "b"),
                             "application/json", "{}", NULL), ==, 400);
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I2/responses", team_token (f, "b"),
                             "application/json", "{\"option\": \"z\"}", NULL), ==, 400);
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I2/responses", team_token (f, "b"),
                             "application/json", "[1]", NULL), ==, 400);
  big = g_strnfill (8000, 'x');
  {
    g_autofree char *doc = g_strdup_printf ("{\"text\": \"%s\"}", big);

    g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I2/responses", team_token (f, "b"),
                               "application/json", doc, NULL), ==, 413);
  }
  g_assert_cmpuint (wc_engine_get_team_state (f->engine, "I2", "b")->n_responses, ==, 0);
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I2/responses", team_token (f, "b"),
                             "application/json", "{\"text\": \"We choose X\", \"option\": \"x\"}",
                             &json), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (json), "response"), "option"), ==, "x");
  ts = wc_engine_get_team_state (f->engine, "I2", "b");
  g_assert_cmpuint (ts->n_responses, ==, 1);
  g_assert_cmpstr (ts->option, ==, "x");
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  WcServerLimits limits;
  guint last = 0;

  wc_server_get_default_limits (&limits);
  limits.rate_burst = 5;
  limits.rate_per_second = 0.5;
  wc_server_set_limits (f->server, &limits);
  for (guint i = 0; i < 10 && last != 429; i++)
    last = request (f, "GET", "/api/v1/me", team_token (f, "a"), NULL, NULL, NULL);
  g_assert_cmpuint (last, ==, 429);
  /* another team is not held back by a's limit */
  g_assert_cmpuint (request (f, "GET", "/api/v1/me", team_token (f, "b"), NULL, NULL, NULL), ==, 200);
}

static void
test_control (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonNode) json = NULL;
  JsonObject *state;

  g_assert_cmpuint (request (f, "POST", "/api/v1/control/pause", controller (f), NULL, NULL, &json), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "state"), ==, "paused");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (request (f, "POST", "/api/v1/control/pause", controller (f), NULL, NULL, NULL), ==, 409);
  g_assert_cmpuint (request (f, "POST", "/api/v1/control/resume", controller (f), NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "POST", "/api/v1/control/speed", controller (f), "application/json",
                             "{\"speed\": 10}", NULL), ==, 200);
  g_assert_cmpfloat (wc_engine_get_speed (f->engine), ==, 10.0);
  g_assert_cmpuint (request (f, "POST", "/api/v1/control/speed", controller (f), "application/json",
                             "{\"speed\": 1000}", NULL), ==, 400);
  g_assert_cmpuint (request (f, "POST", "/api/v1/control/speed", controller (f), "application/json",
                             "{\"speed\": \"fast\"}", NULL), ==, 400);
  g_assert_cmpuint (request (f, "GET", "/api/v1/control/speed", controller (f), NULL, NULL, NULL), ==, 405);
  g_assert_cmpuint (request (f, "POST", "/api/v1/control/injects", controller (f), "application/json",
                             "{\"title\": \"Ad hoc\", \"body\": \"Now\", \"to\": [\"a\"], \"channel\": \"phone\"}",
                             &json), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "id"), ==, "adhoc-1");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (request (f, "POST", "/api/v1/control/injects", controller (f), "application/json",
                             "{\"title\": \"Ad hoc\", \"body\": \"Now\", \"to\": [\"zz\"]}", NULL), ==, 404);
  g_assert_cmpuint (request (f, "POST", "/api/v1/control/injects", controller (f), "application/json",
                             "{\"title\": \"Ad hoc\", \"body\": \"Now\", \"to\": \"all\", \"channel\": \"fax\"}", NULL), ==, 400);
  g_assert_cmpuint (request (f, "POST", "/api/v1/control/notes", controller (f), "application/json",
                             "{\"text\": \"Team A is slow\"}", NULL), ==, 201);
  g_assert_cmpuint (request (f, "GET", "/api/v1/control/state", controller (f), NULL, NULL, &json), ==, 200);
  state = json_node_get_object (json);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (state, "injects")), ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (state, "teams")), ==, 2);
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (request (f, "POST", "/api/v1/control/end", controller (f), NULL, NULL, NULL), ==, 200);
  g_assert_cmpint (wc_engine_get_state (f->engine), ==, WC_ENGINE_ENDED);
  /* after the end, teams can no longer answer */
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/adhoc-1/ack", team_token (f, "a"), NULL, NULL, NULL), ==, 409);
}

static WcTestStream *
open_stream (Fixture    *f,
             const char *team,
             const char *last_id)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/events?access_token=%s", f->base,
                                          team_token (f, team));

  return wc_test_stream_open (f->session, url, last_id);
}

/* Whether the stream has had an event named @event. */
static gboolean
has_event (WcTestStream *s,
           const char   *event)
{
  return wc_test_stream_count (s, event, NULL) > 0;
}

static void
test_events_resume (Fixture       *f,
                    gconstpointer  data)
{
  WcTestStream *s = open_stream (f, "a", NULL);
  g_autofree char *last_id = NULL;

  /* the first event is the exercise's state */
  g_assert_cmpstr (((WcTestEvent *) g_ptr_array_index (s->events, 0))->event, ==, "exercise");
  WAIT_UNTIL (wc_server_is_team_connected (f->server, "a"));
  fire (f, "I1");
  WAIT_UNTIL (has_event (s, "inject"));
  /* pushed is delivered */
  WAIT_UNTIL (wc_engine_get_team_state (f->engine, "I1", "a")->delivered_ms >= 0);
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I1/ack", team_token (f, "a"), NULL, NULL, NULL), ==, 200);
  WAIT_UNTIL (has_event (s, "acknowledged"));
  last_id = g_strdup (((WcTestEvent *) g_ptr_array_index (s->events, s->events->len - 1))->id);
  wc_test_stream_close (s);
  WAIT_UNTIL (!wc_server_is_team_connected (f->server, "a"));

  /* while a is away, I3 fires for it and I2 for b only */
  fire (f, "I3");
  fire (f, "I2");
  s = open_stream (f, "a", last_id);
  WAIT_UNTIL (has_event (s, "inject"));
  /* exactly what it missed: I3, not I2, not I1 again */
  g_assert_cmpuint (wc_test_stream_count (s, "inject", NULL), ==, 1);
  wc_test_stream_close (s);
}

static void
count_presence_change (WcPresence *presence,
                       const char *team_id,
                       GPtrArray  *changes)
{
  g_ptr_array_add (changes, g_strdup (team_id));
}

static void
test_presence (Fixture       *f,
               gconstpointer  data)
{
  WcPresence *presence = wc_server_get_presence (f->server);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *join = wc_presence_get_join_url (presence, "a");
  g_autofree char *expected = g_strdup_printf ("%s/t/%s", f->base, team_token (f, "a"));
  g_autofree char *from_server = wc_server_get_join_url (f->server, "a");
  gint64 before = g_get_real_time ();
  WcTestStream *s;

  /* the join URL follows where the server listens */
  g_assert_cmpstr (join, ==, expected);
  g_assert_cmpstr (from_server, ==, expected);
  g_assert_null (wc_presence_get_join_url (presence, "nobody"));
  g_assert_false (wc_presence_is_team_connected (presence, "a"));
  g_assert_cmpint (wc_presence_get_team_last_seen (presence, "a"), ==, 0);

  g_signal_connect (presence, "presence-changed", G_CALLBACK (count_presence_change), changes);
  s = open_stream (f, "a", NULL);
  WAIT_UNTIL (wc_presence_is_team_connected (presence, "a"));
  g_assert_true (wc_server_is_team_connected (f->server, "a"));
  g_assert_cmpint (wc_presence_get_team_last_seen (presence, "a"), >=, before);
  g_assert_false (wc_presence_is_team_connected (presence, "b"));
  wc_test_stream_close (s);
  WAIT_UNTIL (!wc_presence_is_team_connected (presence, "a"));
  /* once when it came, once when it went; "b" never came */
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (changes, 0), ==, "a");
  g_assert_cmpstr (g_ptr_array_index (changes, 1), ==, "a");
  g_signal_handlers_disconnect_by_data (presence, changes);
}

static void
test_webhook (Fixture       *f,
              gconstpointer  data)
{
  f->receiver_fail_first = 1;
  fire (f, "I2");
  WAIT_UNTIL (f->receiver_calls >= 2 && wc_webhooks_get_n_pending (f->webhooks) == 0);
  g_assert_true (f->receiver_signature_ok);
  /* a retry carries the same delivery id, so a receiver can tell it from a new inject */
  g_assert_cmpuint (f->receiver_deliveries->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->receiver_deliveries, 0), ==,
                   g_ptr_array_index (f->receiver_deliveries, 1));
  WAIT_UNTIL (wc_engine_get_team_state (f->engine, "I2", "b")->delivered_ms >= 0);
  /* both attempts are in the journal */
  {
    WcJournal *journal = wc_engine_get_journal (f->engine);
    guint failed = 0, delivered = 0;

    for (guint i = 0; i < wc_journal_get_n_records (journal); i++)
      {
        const WcJournalRecord *r = wc_journal_get_record (journal, i);

        if (strcmp (r->type, "webhook-attempt") != 0)
          continue;
        failed += g_strcmp0 (json_object_get_string_member (r->data, "outcome"), "failed") == 0;
        delivered += g_strcmp0 (json_object_get_string_member (r->data, "outcome"), "delivered") == 0;
      }
    g_assert_cmpuint (failed, ==, 1);
    g_assert_cmpuint (delivered, ==, 1);
  }
}

static void
test_webhook_gives_up (Fixture       *f,
                       gconstpointer  data)
{
  f->receiver_fail_first = 100;
  fire (f, "I2");
  WAIT_UNTIL (wc_webhooks_get_n_pending (f->webhooks) == 0);
  g_assert_cmpuint (f->receiver_calls, ==, 3);
  g_assert_cmpint (wc_engine_get_team_state (f->engine, "I2", "b")->delivered_ms, ==, -1);
}

static void
test_tokens_file (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "tokens.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcTokens) back = NULL;
  GStatBuf st;

  g_assert_true (wc_tokens_save (f->tokens, path, &error));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  back = wc_tokens_load (path, f->scenario, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_tokens_get_team_token (back, "a"), ==, team_token (f, "a"));
  g_assert_cmpstr (wc_tokens_get_controller (back), ==, controller (f));
  g_assert_cmpuint (strlen (team_token (f, "a")), >=, 32);
  g_assert_cmpstr (wc_tokens_find_team (f->tokens, team_token (f, "b")), ==, "b");
  g_assert_null (wc_tokens_find_team (f->tokens, "x"));
  /* the secrets never reach the journal */
  {
    g_autofree char *journal = NULL;

    g_assert_true (g_file_get_contents (f->journal, &journal, NULL, NULL));
    g_assert_null (strstr (journal, team_token (f, "a")));
    g_assert_null (strstr (journal, controller (f)));
  }
}

/* Over HTTPS: a team's event stream, its acknowledgement and answer (replies written on the
 * connection Whitecell takes from libsoup until its record is durable, encrypted as libsoup
 * would), and an error; the journal has them once. */
static void
test_https (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) json = NULL;
  WcTestStream *s;
  JsonObject *response;

  g_assert_true (g_str_has_prefix (f->base, "https://"));
  s = open_stream (f, "a", NULL);
  fire (f, "I1");
  WAIT_UNTIL (has_event (s, "inject"));
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I1/ack", team_token (f, "a"), NULL, NULL,
                             &json), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "inject"), ==,
                   "I1");
  g_clear_pointer (&json, json_node_unref);
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I1/responses", team_token (f, "a"),
                             "application/json", "{\"text\": \"Isolated\"}", &json), ==, 201);
  response = json_object_get_object_member (json_node_get_object (json), "response");
  g_assert_cmpstr (json_object_get_string_member (response, "text"), ==, "Isolated");
  g_assert_cmpuint (request (f, "POST", "/api/v1/injects/I2/ack", team_token (f, "a"), NULL, NULL,
                             NULL), ==, 404);
  WAIT_UNTIL (has_event (s, "response"));
  g_assert_cmpuint (wc_engine_get_team_state (f->engine, "I1", "a")->n_responses, ==, 1);
  g_assert_cmpint (wc_engine_get_team_state (f->engine, "I1", "a")->acknowledged_ms, >=, 0);
  wc_test_stream_close (s);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) \
  g_test_add ("/whitecell/server/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("health-and-auth", test_health_and_auth);
  ADD ("page", test_page);
  ADD ("injects-and-isolation", test_injects_and_isolation);
  ADD ("ack-and-respond", test_ack_and_respond);
  ADD ("rate-limit", test_rate_limit);
  ADD ("control", test_control);
  ADD ("events-resume", test_events_resume);
  ADD ("presence", test_presence);
  ADD ("webhook", test_webhook);
  ADD ("webhook-gives-up", test_webhook_gives_up);
  ADD ("tokens-file", test_tokens_file);
  g_test_add ("/whitecell/server/https", Fixture, test_certificate, fixture_setup, test_https,
              fixture_teardown);
#undef ADD
  return g_test_run ();
}
