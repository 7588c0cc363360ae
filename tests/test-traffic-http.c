/* test-traffic-http.c: the national coordination loop over HTTP, against a real server on
 * 127.0.0.1, port 0: an operator notifies the CSIRT, the CSIRT warns one operator and a sector,
 * the crisis centre publishes its situation report; refusals (a team it may not reach, uploads too
 * large or of the wrong type) journal nothing; teams see only their own traffic, on the API and
 * on their event streams; the CAP documents validate against the OASIS CAP 1.2 schema. */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <string.h>

#include "test-util.h"
#include "wc-scenario-loader.h"
#include "wc-server.h"
#include "wc-webhooks.h"

#define WAIT_UNTIL(cond) WC_TEST_WAIT_UNTIL (cond, 20, TRUE)

static const char scenario_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"loop\", \"title\": \"Loop\", \"tlp\": \"AMBER\",\n"
  "   \"languages\": [\"nl\", \"fr\", \"en\"], \"default_language\": \"en\", \"duration\": \"T+04:00\"},\n"
  " \"teams\": [\n"
  "   {\"id\": \"op1\", \"name\": \"Elia\", \"kind\": \"operator\", \"sector\": \"energy\", \"language\": \"nl\"},\n"
  "   {\"id\": \"op2\", \"name\": \"Engie\", \"kind\": \"operator\", \"sector\": \"energy\", \"language\": \"fr\"},\n"
  "   {\"id\": \"op3\", \"name\": \"Hospital\", \"kind\": \"operator\", \"sector\": \"health\", \"language\": \"en\"},\n"
  "   {\"id\": \"csirt\", \"name\": \"CCB\", \"kind\": \"csirt\", \"language\": \"en\"},\n"
  "   {\"id\": \"cc\", \"name\": \"NCCN\", \"kind\": \"crisis-centre\", \"language\": \"fr\"},\n"
  "   {\"id\": \"sa\", \"name\": \"FPS Economy\", \"kind\": \"sector-authority\", \"sector\": \"energy\"}],\n"
  " \"actors\": [{\"id\": \"press\", \"name\": \"Journalist\"}],\n"
  " \"staff\": [{\"id\": \"oscar\", \"name\": \"Oscar Observer\", \"role\": \"observer\"}],\n"
  " \"coordination\": {\n"
  "   \"matrix\": [{\"from\": \"kind:operator\", \"to\": [\"kind:csirt\", \"kind:sector-authority\", \"kind:crisis-centre\"]},\n"
  "              {\"from\": \"csirt\", \"to\": [\"*\"]}, {\"from\": \"cc\", \"to\": [\"*\"]},\n"
  "              {\"from\": \"kind:sector-authority\", \"to\": [\"*\"]}],\n"
  "   \"deadlines\": {\"early-warning\": \"00:24\", \"notification\": \"01:12\"}},\n"
  " \"injects\": [\n"
  "  {\"id\": \"I1\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"email\", \"to\": [\"op1\"],\n"
  "   \"incident\": true, \"title\": \"Ransomware\", \"body\": \"Your SCADA is encrypted\"}\n"
  " ]}\n";

typedef struct {
  char        *dir;
  char        *journal;
  WcScenario  *scenario;
  WcEngine    *engine;
  WcTokens    *tokens;
  WcServer    *server;
  SoupSession *session;
  char        *base;
  /* a webhook receiver for op1, in the tests that ask for one */
  SoupServer  *receiver;
  WcWebhooks  *webhooks;
  GPtrArray   *deliveries;  /* bodies received */
  const char  *key;         /* the Idempotency-Key every request sends, when set */
} Fixture;

static void
receiver_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  g_ptr_array_add (f->deliveries, g_strndup (body->data, body->length));
  soup_server_message_set_status (msg, 200, NULL);
}

static void
on_request_queued (SoupSession *session,
                   SoupMessage *msg,
                   Fixture     *f)
{
  g_auto(GStrv) keys = f->key ? g_strsplit (f->key, ",", -1) : NULL;

  /* "k1,k2": the header sent twice */
  for (guint i = 0; keys && keys[i]; i++)
    soup_message_headers_append (soup_message_get_request_headers (msg), "Idempotency-Key",
                                 keys[i]);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) doc = g_string_new (scenario_json);
  WcServerLimits limits;

  f->dir = g_dir_make_tmp ("whitecell-traffic-XXXXXX", &error);
  g_assert_no_error (error);
  f->journal = g_build_filename (f->dir, "journal.jsonl", NULL);
  f->deliveries = g_ptr_array_new_with_free_func (g_free);
  if (data)
    {
      g_autofree char *hook = NULL;
      g_autofree char *with_hook = NULL;

      f->receiver = wc_test_receiver_new (receiver_cb, f, &hook);
      with_hook = g_strdup_printf ("\"language\": \"nl\", \"webhook\": \"%s\"", hook);
      g_assert_cmpuint (g_string_replace (doc, "\"language\": \"nl\"", with_hook, 1), ==, 1);
    }
  f->scenario = wc_test_load_scenario (f->dir, "loop.json", doc->str);
  f->engine = wc_engine_new (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  f->tokens = wc_tokens_generate (f->scenario, &error);
  g_assert_no_error (error);
  f->server = wc_server_new (f->engine, f->tokens);
  wc_server_get_default_limits (&limits);
  limits.rate_burst = 1000;
  /* uploads of a few MiB one after another */
  limits.bytes_burst = 64.0 * 1024 * 1024;
  wc_server_set_limits (f->server, &limits);
  g_assert_true (wc_server_listen (f->server, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  f->base = wc_server_get_base_url (f->server);
  if (f->receiver)
    f->webhooks = wc_webhooks_new (f->engine, f->tokens);
  /* five event streams and requests beside them: more than libsoup's 2 per host */
  f->session = soup_session_new_with_options ("max-conns-per-host", 16, NULL);
  g_signal_connect (f->session, "request-queued", G_CALLBACK (on_request_queued), f);
  g_assert_true (wc_engine_start (f->engine, &error));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->webhooks);
  wc_server_disconnect (f->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->server);
  g_assert_finalize_object (f->engine);
  g_object_unref (f->tokens);
  g_object_unref (f->scenario);
  if (f->receiver)
    {
      soup_server_disconnect (f->receiver);
      g_object_unref (f->receiver);
    }
  g_ptr_array_unref (f->deliveries);
  /* with the uploads beside the journal, one folder per message */
  wc_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->journal);
  g_free (f->base);
}

/* @method @path with @token and a body of @content_type (nullable); the status, the reply's
 * bytes in @out (nullable) and its type in @type (nullable). */
static guint
send_raw (Fixture     *f,
          const char  *method,
          const char  *path,
          const char  *token,
          const char  *content_type,
          GBytes      *body,
          GBytes     **out,
          char       **type)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);

  return wc_test_http_send (f->session, method, url, token, content_type, body, out, type);
}

/* A JSON request; the reply's object in @reply (nullable; NULL when it is none). */
static guint
call (Fixture     *f,
      const char  *method,
      const char  *path,
      const char  *token,
      const char  *json,
      JsonObject **reply)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);

  return wc_test_http_json (f->session, method, url, token, json, reply);
}

static const char *
token (Fixture    *f,
       const char *team)
{
  return wc_tokens_get_team_token (f->tokens, team);
}

static guint
n_records (Fixture *f)
{
  return wc_journal_get_n_records (wc_engine_get_journal (f->engine));
}

/* The ids of the items of a list reply, comma-joined (so that a test reads them at a glance). */
static char *
list_ids (Fixture    *f,
          const char *path,
          const char *team)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  JsonArray *items;

  g_assert_cmpuint (call (f, "GET", path, token (f, team), NULL, &reply), ==, 200);
  items = json_object_get_array_member (reply, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_string_append_printf (ids, "%s%s", i ? "," : "",
                            json_object_get_string_member (json_array_get_object_element (items,
                                                                                          i),
                                                           "id"));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static char *
post_id (Fixture    *f,
         const char *path,
         const char *team,
         const char *json)
{
  g_autoptr(JsonObject) reply = NULL;

  g_assert_cmpuint (call (f, "POST", path, token (f, team), json, &reply), ==, 201);
  return g_strdup (json_object_get_string_member (reply, "id"));
}

static const char spear_json[] =
  "{\"form\": \"spear\", \"to\": [\"op2\"], \"tlp\": \"AMBER\", \"severity\": \"Severe\",\n"
  " \"urgency\": \"Immediate\", \"certainty\": \"Observed\", \"asset\": \"203.0.113.7\",\n"
  " \"texts\": {\"fr\": {\"headline\": \"Votre VPN communique avec un serveur C2\",\n"
  "                    \"description\": \"Trafic vers 198.51.100.23 <& \\\"test\\\">\",\n"
  "                    \"instruction\": \"Isolez le VPN\"},\n"
  "           \"en\": {\"headline\": \"Your VPN talks to a C2 server\",\n"
  "                    \"description\": \"Traffic to 198.51.100.23\", \"instruction\": \"Isolate\"}},\n"
  " \"indicators\": [{\"type\": \"ip-dst\", \"value\": \"198.51.100.23\"},\n"
  "                {\"type\": \"sha256\", \"value\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}]}";

static const char ews_json[] =
  "{\"form\": \"ews\", \"selectors\": [\"sector:energy\"], \"tlp\": \"GREEN\", \"severity\": \"Moderate\",\n"
  " \"urgency\": \"Expected\", \"certainty\": \"Likely\",\n"
  " \"texts\": {\"nl\": {\"headline\": \"Ransomware tegen de energiesector\", \"description\": \"d\",\n"
  "                    \"instruction\": \"Patch\"},\n"
  "           \"fr\": {\"headline\": \"Rançongiciel contre le secteur de l'énergie\", \"description\": \"d\",\n"
  "                    \"instruction\": \"Corrigez\"},\n"
  "           \"en\": {\"headline\": \"Ransomware against the energy sector\", \"description\": \"d\"}},\n"
  " \"indicators\": [{\"type\": \"domain\", \"value\": \"evil.example\"}]}";

static const char early_warning_json[] =
  "{\"to\": \"csirt\", \"stage\": \"early-warning\", \"tlp\": \"AMBER\",\n"
  " \"fields\": {\"what\": \"Ransomware on SCADA\", \"detected_at\": \"00:05\", \"malicious\": \"yes\",\n"
  "            \"cross_border\": false, \"services\": \"Grid control\", \"users_affected\": \"none yet\",\n"
  "            \"severity\": \"high\", \"iocs\": \"198.51.100.23\", \"measures\": \"isolated\",\n"
  "            \"contact\": \"+32 2 000 00 00\"}}";

static const char sitrep_json[] =
  "{\"sections\": {\"situation\": \"Ransomware in the energy sector\", \"decisions\": \"Phase 2\",\n"
  "              \"actions\": \"CSIRT warns\", \"next_meeting\": \"01:00\", \"public_line\": \"None\"}}";

/* The loop, as the issue tells it. */
static void
test_loop (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *notification = NULL;
  g_autofree char *spear = NULL;
  g_autofree char *ews = NULL;
  g_autofree char *sitrep = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *path = NULL;
  JsonArray *to;
  guint before;

  /* the operator notifies the CSIRT: marked in its own language */
  g_assert_cmpuint (call (f, "POST", "/api/v1/notifications", token (f, "op1"), early_warning_json,
                          &reply), ==, 201);
  notification = g_strdup (json_object_get_string_member (reply, "id"));
  g_assert_cmpstr (json_object_get_string_member (reply, "kind"), ==, "notification");
  g_assert_cmpstr (json_object_get_string_member (reply, "stage"), ==, "early-warning");
  g_assert_cmpstr (json_object_get_string_member (reply, "marking"), ==, "OEFENING");
  g_assert_cmpstr (json_object_get_string_member (reply, "from"), ==, "op1");
  g_assert_cmpstr (json_object_get_string_member (reply, "from_name"), ==, "Elia");
  g_assert_cmpstr (json_object_get_string_member (reply, "lang"), ==, "nl");
  g_clear_pointer (&reply, json_object_unref);
  ids = list_ids (f, "/api/v1/notifications", "csirt");
  g_assert_cmpstr (ids, ==, notification);
  g_clear_pointer (&ids, g_free);
  ids = list_ids (f, "/api/v1/notifications", "op2");
  g_assert_cmpstr (ids, ==, "");
  g_clear_pointer (&ids, g_free);

  /* the CSIRT warns one operator, then the energy sector */
  spear = post_id (f, "/api/v1/warnings", "csirt", spear_json);
  g_assert_cmpuint (call (f, "POST", "/api/v1/warnings", token (f, "csirt"), ews_json, &reply),
                    ==, 201);
  ews = g_strdup (json_object_get_string_member (reply, "id"));
  to = json_object_get_array_member (reply, "to");
  g_assert_cmpuint (json_array_get_length (to), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (to, 0), ==, "op1");
  g_assert_cmpstr (json_array_get_string_element (to, 1), ==, "op2");
  g_assert_cmpstr (json_array_get_string_element (to, 2), ==, "sa");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (reply, "cap_url"), ".cap"));
  g_clear_pointer (&reply, json_object_unref);
  /* only a CSIRT warns: nothing is journaled for the operator that tries */
  before = n_records (f);
  g_assert_cmpuint (call (f, "POST", "/api/v1/warnings", token (f, "op1"), ews_json, &reply), ==,
                    403);
  g_assert_true (json_object_has_member (reply, "error"));
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpuint (n_records (f), ==, before);

  ids = list_ids (f, "/api/v1/warnings", "op2");
  path = g_strdup_printf ("%s,%s", spear, ews);
  g_assert_cmpstr (ids, ==, path);
  g_clear_pointer (&ids, g_free);
  g_clear_pointer (&path, g_free);
  ids = list_ids (f, "/api/v1/warnings", "op1");
  g_assert_cmpstr (ids, ==, ews);
  g_clear_pointer (&ids, g_free);
  /* the health sector heard nothing of the energy sector's warnings */
  ids = list_ids (f, "/api/v1/warnings", "op3");
  g_assert_cmpstr (ids, ==, "");
  g_clear_pointer (&ids, g_free);

  /* the recipient acknowledges; the sender sees it */
  path = g_strdup_printf ("/api/v1/messages/%s/ack", spear);
  g_assert_cmpuint (call (f, "POST", path, token (f, "op2"), NULL, &reply), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply, "message"), ==, spear);
  g_assert_cmpint (json_object_get_int_member (reply, "acknowledged_ms"), >=, 0);
  g_clear_pointer (&reply, json_object_unref);
  /* a team the warning did not reach cannot even tell it exists */
  g_assert_cmpuint (call (f, "POST", path, token (f, "op1"), NULL, NULL), ==, 404);
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/api/v1/messages/%s", spear);
  g_assert_cmpuint (call (f, "GET", path, token (f, "csirt"), NULL, &reply), ==, 200);
  g_assert_true (json_object_has_member (json_object_get_object_member (reply, "acknowledged"),
                                         "op2"));
  g_assert_true (json_object_get_null_member (reply, "acknowledged_ms"));
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpuint (call (f, "GET", path, token (f, "op2"), NULL, &reply), ==, 200);
  g_assert_cmpint (json_object_get_int_member (reply, "acknowledged_ms"), >=, 0);
  g_assert_false (json_object_has_member (reply, "acknowledged"));
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpuint (call (f, "GET", path, token (f, "op3"), NULL, NULL), ==, 404);
  g_clear_pointer (&path, g_free);

  /* the operator answers the warning; the answer is listed under it for both */
  path = g_strdup_printf ("{\"to\": [\"csirt\"], \"subject\": \"Re: C2\", \"body\": \"Isolated\", "
                          "\"in_reply_to\": \"%s\"}", spear);
  {
    g_autofree char *answer = post_id (f, "/api/v1/messages", "op2", path);
    g_autofree char *item = g_strdup_printf ("/api/v1/messages/%s", spear);

    g_assert_cmpuint (call (f, "GET", item, token (f, "csirt"), NULL, &reply), ==, 200);
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (reply, "replies"),
                                                    0), ==, answer);
    g_clear_pointer (&reply, json_object_unref);
  }
  g_clear_pointer (&path, g_free);

  /* the crisis centre publishes; every team gets it, the latest first */
  sitrep = post_id (f, "/api/v1/sitrep", "cc", sitrep_json);
  g_assert_cmpuint (call (f, "GET", "/api/v1/sitrep", token (f, "op3"), NULL, &reply), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "latest"),
                                                  "id"), ==, sitrep);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (reply, "latest"),
                                               "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "latest"),
                                                  "marking"), ==, "EXERCISE");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "history")), ==, 1);
  g_clear_pointer (&reply, json_object_unref);
  before = n_records (f);
  g_assert_cmpuint (call (f, "POST", "/api/v1/sitrep", token (f, "op1"), sitrep_json, NULL), ==,
                    403);
  g_assert_cmpuint (n_records (f), ==, before);

  /* the staff see it all */
  g_assert_cmpuint (call (f, "GET", "/api/v1/control/messages",
                          wc_tokens_get_controller (f->tokens), NULL, &reply), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "items")), ==, 5);
  g_clear_pointer (&reply, json_object_unref);
}

/* A team writing where the matrix does not let it: 403, nothing journaled; and what /contacts
 * and /me tell it. */
static void
test_matrix_and_contacts (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  guint before = n_records (f);
  JsonArray *may_write;
  JsonObject *deadlines;
  gboolean saw_op2 = FALSE, saw_csirt = FALSE;

  g_assert_cmpuint (call (f, "POST", "/api/v1/messages", token (f, "op1"),
                          "{\"to\": [\"op2\"], \"subject\": \"Hi\", \"body\": \"Psst\"}", &reply),
                    ==, 403);
  g_assert_true (json_object_has_member (reply, "error"));
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpuint (n_records (f), ==, before);
  /* a field the API does not know is named, not dropped */
  g_assert_cmpuint (call (f, "POST", "/api/v1/messages", token (f, "op1"),
                          "{\"to\": [\"csirt\"], \"subjcet\": \"Hi\", \"body\": \"b\"}", &reply),
                    ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (reply, "error"), "subjcet"));
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpuint (call (f, "POST", "/api/v1/messages", token (f, "op1"), "[1]", NULL), ==, 400);
  g_assert_cmpuint (n_records (f), ==, before);

  g_assert_cmpuint (call (f, "GET", "/api/v1/contacts", token (f, "op1"), NULL, &reply), ==, 200);
  may_write = json_object_get_array_member (reply, "may_write");
  for (guint i = 0; i < json_array_get_length (may_write); i++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (may_write, i),
                                                      "id");

      saw_op2 |= strcmp (id, "op2") == 0;
      saw_csirt |= strcmp (id, "csirt") == 0;
    }
  g_assert_false (saw_op2);
  g_assert_true (saw_csirt);
  g_assert_false (json_object_get_boolean_member (reply, "can_warn"));
  g_assert_false (json_object_get_boolean_member (reply, "can_sitrep"));
  deadlines = json_object_get_object_member (reply, "deadlines");
  g_assert_cmpint (json_object_get_int_member (deadlines, "early-warning"), ==, 24 * 60 * 1000);
  g_assert_true (json_object_get_null_member (deadlines, "final-report"));
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpuint (call (f, "GET", "/api/v1/contacts", token (f, "csirt"), NULL, &reply), ==, 200);
  g_assert_true (json_object_get_boolean_member (reply, "can_warn"));
  g_clear_pointer (&reply, json_object_unref);

  g_assert_cmpuint (call (f, "GET", "/api/v1/me", token (f, "op2"), NULL, &reply), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply, "marking"), ==, "EXERCICE");
  g_assert_cmpstr (json_object_get_string_member (reply, "kind"), ==, "operator");
  g_assert_cmpstr (json_object_get_string_member (reply, "sector"), ==, "energy");
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpuint (call (f, "GET", "/api/v1/me", token (f, "csirt"), NULL, &reply), ==, 200);
  g_assert_true (json_object_get_null_member (reply, "sector"));
}

/* A multipart/form-data body of the fields @names/@values and one attachment. */
static GBytes *
form_body (const char * const *names,
           const char * const *values,
           const char         *file_name,
           const char         *file_type,
           GBytes             *file,
           char              **content_type)
{
  SoupMultipart *multipart = soup_multipart_new ("multipart/form-data");
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GBytes) body = NULL;

  for (guint i = 0; names[i]; i++)
    soup_multipart_append_form_string (multipart, names[i], values[i]);
  if (file)
    soup_multipart_append_form_file (multipart, "attachment", file_name, file_type, file);
  soup_multipart_to_message (multipart, headers, &body);
  *content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  soup_message_headers_unref (headers);
  soup_multipart_free (multipart);
  return g_steal_pointer (&body);
}

static guint
upload (Fixture     *f,
        const char  *team,
        const char  *to,
        const char  *file_name,
        const char  *file_type,
        GBytes      *file,
        JsonObject **reply)
{
  const char *names[] = { "to", "subject", "body", NULL };
  const char *values[] = { to, "Logs", "Our firewall's logs", NULL };
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) body = form_body (names, values, file_name, file_type, file, &content_type);
  g_autoptr(GBytes) out = NULL;
  guint status = send_raw (f, "POST", "/api/v1/messages", token (f, team), content_type, body,
                           &out, NULL);

  if (reply)
    {
      g_autoptr(JsonNode) node = out && g_bytes_get_size (out) > 0
                                 ? json_from_string (g_bytes_get_data (out, NULL), NULL) : NULL;

      *reply = node && JSON_NODE_HOLDS_OBJECT (node) ? json_object_ref (json_node_get_object (node))
                                                     : NULL;
    }
  return status;
}

/* A request written on a socket by hand, from a thread (the server answers in this one): for a
 * body announced but never sent. */
typedef struct {
  guint    port;
  char    *request;
  GString *reply;
  gint     done;
} RawCall;

static gpointer
raw_thread (gpointer data)
{
  RawCall *call = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                                            call->port, NULL,
                                                                            NULL);
  char buffer[4096];
  gssize n;

  if (connection)
    {
      GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
      GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));

      g_output_stream_write_all (out, call->request, strlen (call->request), NULL, NULL, NULL);
      while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
        g_string_append_len (call->reply, buffer, n);
    }
  g_atomic_int_set (&call->done, 1);
  return NULL;
}

/* The status of @request sent as it is (the connection then closed by the server). */
static guint
raw_status (Fixture    *f,
            const char *request)
{
  RawCall call = { wc_server_get_port (f->server), g_strdup (request), g_string_new (NULL), 0 };
  GThread *thread = g_thread_new ("raw", raw_thread, &call);
  guint64 status = 0;

  WAIT_UNTIL (g_atomic_int_get (&call.done));
  g_thread_join (thread);
  if (g_str_has_prefix (call.reply->str, "HTTP/1.1 "))
    {
      g_autofree char *code = g_strndup (call.reply->str + 9, 3);

      g_ascii_string_to_unsigned (code, 10, 100, 599, &status, NULL);
    }
  g_free (call.request);
  g_string_free (call.reply, TRUE);
  return status;
}

static gboolean
uploads_empty (Fixture *f)
{
  g_autofree char *uploads = g_strconcat (f->journal, ".attachments", NULL);
  g_autoptr(GDir) dir = g_dir_open (uploads, 0, NULL);

  return dir == NULL || g_dir_read_name (dir) == NULL;
}

static void
test_uploads (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GBytes) logs = g_bytes_new_static ("12:00 deny 198.51.100.23\n", 25);
  g_autoptr(GBytes) exe = g_bytes_new_static ("MZ\x90\x00", 4);
  gsize big_size = 10 * 1024 * 1024 + 64 * 1024;
  g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (big_size), big_size);
  g_autoptr(GBytes) got = NULL;
  g_autofree char *path = NULL;
  g_autofree char *type = NULL;
  guint before = n_records (f);

  /* too large: refused from its Content-Length, before the body is read (it is never sent) */
  {
    g_autofree char *request = g_strdup_printf (
      "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
      "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: %u\r\n\r\n",
      token (f, "op1"), 11 * 1024 * 1024);

    g_assert_cmpuint (raw_status (f, request), ==, 413);
  }
  /* ... while a JSON body keeps the ordinary limit */
  {
    g_autofree char *request = g_strdup_printf (
      "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
      "Content-Type: application/json\r\nContent-Length: %u\r\n\r\n",
      token (f, "op1"), 1024 * 1024);

    g_assert_cmpuint (raw_status (f, request), ==, 413);
  }
  /* an attachment over 10 MiB in a body within the limit of the upload */
  g_assert_cmpuint (upload (f, "op1", "csirt", "dump.txt", "text/plain", big, &reply), ==, 413);
  g_assert_cmpstr (json_object_get_string_member (reply, "limit"), ==, "attachment");
  g_clear_pointer (&reply, json_object_unref);
  /* a type the exercise does not take */
  g_assert_cmpuint (upload (f, "op1", "csirt", "tool.exe", "application/x-msdownload", exe,
                            &reply), ==, 415);
  g_assert_true (json_object_has_member (reply, "error"));
  g_clear_pointer (&reply, json_object_unref);
  /* to a team it may not reach: nothing journaled, no file left */
  g_assert_cmpuint (upload (f, "op1", "op2", "logs.txt", "text/plain", logs, NULL), ==, 403);
  g_assert_cmpuint (n_records (f), ==, before);
  g_assert_true (uploads_empty (f));

  g_assert_cmpuint (upload (f, "op1", "csirt", "logs.txt", "text/plain", logs, &reply), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (reply, "subject"), ==, "Logs");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (reply, "attachment"),
                                               "size"), ==, 25);
  path = g_strdup (json_object_get_string_member (reply, "attachment_url"));
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpuint (n_records (f), ==, before + 1);
  /* sender and recipient download it; the other teams cannot tell it exists */
  g_assert_cmpuint (send_raw (f, "GET", path, token (f, "csirt"), NULL, NULL, &got, &type), ==, 200);
  g_assert_true (g_bytes_equal (got, logs));
  g_assert_cmpstr (type, ==, "text/plain");
  g_clear_pointer (&got, g_bytes_unref);
  g_assert_cmpuint (send_raw (f, "GET", path, token (f, "op1"), NULL, NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (send_raw (f, "GET", path, token (f, "op2"), NULL, NULL, NULL, NULL), ==, 404);
  /* a download link carries the token in its query */
  {
    g_autofree char *link = g_strdup_printf ("%s?access_token=%s", path, token (f, "csirt"));

    g_assert_cmpuint (send_raw (f, "GET", link, NULL, NULL, NULL, NULL, NULL), ==, 200);
  }
}

/* @json POSTed to @path by @team (with f->key): the status, and the reply's bytes in @out. */
static guint
post_bytes (Fixture     *f,
            const char  *path,
            const char  *team,
            const char  *json,
            GBytes     **out)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

  return send_raw (f, "POST", path, token (f, team), "application/json", body, out, NULL);
}

static guint
n_upload_folders (Fixture *f)
{
  g_autofree char *uploads = g_strconcat (f->journal, ".attachments", NULL);
  g_autoptr(GDir) dir = g_dir_open (uploads, 0, NULL);
  guint n = 0;

  while (dir && g_dir_read_name (dir))
    n++;
  return n;
}

/* A request sent again with its Idempotency-Key (its reply lost, or a relay's 504) is answered
 * as the first was, byte for byte, and journals nothing; the key with other content is a 409; a
 * key that is no key a 400; without a key, every request counts as before. */
static void
test_idempotency (Fixture       *f,
                  gconstpointer  data)
{
  static const char answer[] = "{\"text\": \"SCADA isolated\"}";
  static const char message[] = "{\"to\": [\"csirt\"], \"subject\": \"Help\", \"body\": \"Now\"}";
  static const char notification[] = "{\"to\": \"csirt\", \"stage\": \"early-warning\", "
                                     "\"fields\": {\"what\": \"Ransomware\"}}";
  g_autoptr(GBytes) logs = g_bytes_new_static ("12:00 deny 198.51.100.23\n", 25);
  g_autoptr(GBytes) first = NULL, again = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) upload_first = NULL, upload_again = NULL;
  g_autofree char *too_long = g_strnfill (65, 'k');
  g_autofree char *ids = NULL;
  guint before;

  g_assert_cmpuint (call (f, "POST", "/api/v1/control/injects/I1/fire",
                          wc_tokens_get_controller (f->tokens), NULL, NULL), ==, 200);

  /* an answer, sent twice */
  f->key = "answer-1";
  before = n_records (f);
  g_assert_cmpuint (post_bytes (f, "/api/v1/injects/I1/responses", "op1", answer, &first), ==,
                    201);
  g_assert_cmpuint (post_bytes (f, "/api/v1/injects/I1/responses", "op1", answer, &again), ==,
                    201);
  g_assert_true (g_bytes_equal (first, again));
  g_assert_cmpuint (n_records (f), ==, before + 1);
  g_assert_cmpuint (wc_engine_get_team_state (f->engine, "I1", "op1")->n_responses, ==, 1);
  /* the key said something else */
  g_assert_cmpuint (call (f, "POST", "/api/v1/injects/I1/responses", token (f, "op1"),
                          "{\"text\": \"Other\"}", &reply), ==, 409);
  g_assert_nonnull (strstr (json_object_get_string_member (reply, "error"), "different answer"));
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpuint (call (f, "POST", "/api/v1/messages", token (f, "op1"), message, &reply), ==,
                    409);
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpuint (n_records (f), ==, before + 1);

  /* keys that are none (and the header twice): a 400 naming the header, for both */
  for (guint i = 0; i < 4; i++)
    {
      const char *path = i == 2 ? "/api/v1/messages" : "/api/v1/injects/I1/responses";

      f->key = i == 0 ? "with space" : i == 3 ? "answer-1,answer-2" : too_long;
      g_assert_cmpuint (call (f, "POST", path, token (f, "op1"), i == 2 ? message : answer,
                              &reply), ==, 400);
      g_assert_nonnull (strstr (json_object_get_string_member (reply, "error"),
                                "Idempotency-Key"));
      g_clear_pointer (&reply, json_object_unref);
    }
  g_assert_cmpuint (n_records (f), ==, before + 1);

  /* without a key, as always: twice is two answers */
  f->key = NULL;
  g_assert_cmpuint (call (f, "POST", "/api/v1/injects/I1/responses", token (f, "op1"), answer,
                          NULL), ==, 201);
  g_assert_cmpuint (call (f, "POST", "/api/v1/injects/I1/responses", token (f, "op1"), answer,
                          NULL), ==, 201);
  g_assert_cmpuint (wc_engine_get_team_state (f->engine, "I1", "op1")->n_responses, ==, 3);

  /* a message, sent twice: one item, the same reply, and no key in what teams see */
  g_clear_pointer (&first, g_bytes_unref);
  g_clear_pointer (&again, g_bytes_unref);
  f->key = "msg-1";
  before = n_records (f);
  g_assert_cmpuint (post_bytes (f, "/api/v1/messages", "op1", message, &first), ==, 201);
  g_assert_cmpuint (post_bytes (f, "/api/v1/messages", "op1", message, &again), ==, 201);
  g_assert_true (g_bytes_equal (first, again));
  g_assert_null (g_strstr_len (g_bytes_get_data (first, NULL), g_bytes_get_size (first), "msg-1"));
  g_assert_cmpuint (n_records (f), ==, before + 1);
  ids = list_ids (f, "/api/v1/messages", "csirt");
  g_assert_cmpstr (ids, ==, "M-1");
  g_clear_pointer (&ids, g_free);
  g_assert_cmpuint (call (f, "POST", "/api/v1/messages", token (f, "op1"),
                          "{\"to\": [\"csirt\"], \"subject\": \"Help!\"}", &reply), ==, 409);
  g_assert_nonnull (strstr (json_object_get_string_member (reply, "error"), "different message"));
  g_clear_pointer (&reply, json_object_unref);
  /* another team's "msg-1" is its own */
  g_assert_cmpuint (call (f, "POST", "/api/v1/messages", token (f, "op2"), message, &reply), ==,
                    201);
  g_assert_cmpstr (json_object_get_string_member (reply, "id"), ==, "M-2");
  g_clear_pointer (&reply, json_object_unref);

  /* a notification */
  f->key = "notify-1";
  g_clear_pointer (&first, g_bytes_unref);
  g_clear_pointer (&again, g_bytes_unref);
  g_assert_cmpuint (post_bytes (f, "/api/v1/notifications", "op1", notification, &first), ==, 201);
  g_assert_cmpuint (post_bytes (f, "/api/v1/notifications", "op1", notification, &again), ==, 201);
  g_assert_true (g_bytes_equal (first, again));

  /* an upload: the retry's copy of the file is not kept */
  f->key = "upload-1";
  g_assert_cmpuint (upload (f, "op1", "csirt", "logs.txt", "text/plain", logs, &upload_first), ==,
                    201);
  g_assert_cmpuint (upload (f, "op1", "csirt", "logs.txt", "text/plain", logs, &upload_again), ==,
                    201);
  g_assert_cmpstr (json_object_get_string_member (upload_first, "id"), ==,
                   json_object_get_string_member (upload_again, "id"));
  g_assert_cmpuint (n_upload_folders (f), ==, 1);
  g_assert_cmpuint (n_records (f), ==, before + 4);

  /* without a key: two messages */
  f->key = NULL;
  g_assert_cmpuint (call (f, "POST", "/api/v1/messages", token (f, "op1"), message, NULL), ==, 201);
  g_assert_cmpuint (call (f, "POST", "/api/v1/messages", token (f, "op1"), message, NULL), ==, 201);
  g_assert_cmpuint (n_records (f), ==, before + 6);

  /* The exercise ends while replies are on their way: a retry still gets the reply it lost,
   * byte for byte, an upload's too; any other request is "the exercise has ended". */
  f->key = "answer-1";
  g_clear_pointer (&first, g_bytes_unref);
  g_clear_pointer (&again, g_bytes_unref);
  g_assert_cmpuint (post_bytes (f, "/api/v1/injects/I1/responses", "op1", answer, &first), ==,
                    201);
  g_assert_true (wc_engine_end (f->engine, "test", NULL));
  before = n_records (f);
  g_assert_cmpuint (post_bytes (f, "/api/v1/injects/I1/responses", "op1", answer, &again), ==,
                    201);
  g_assert_true (g_bytes_equal (first, again));
  f->key = "msg-1";
  g_assert_cmpuint (call (f, "POST", "/api/v1/messages", token (f, "op1"), message, &reply), ==,
                    201);
  g_assert_cmpstr (json_object_get_string_member (reply, "id"), ==, "M-1");
  g_clear_pointer (&reply, json_object_unref);
  f->key = "upload-1";
  g_clear_pointer (&upload_again, json_object_unref);
  g_assert_cmpuint (upload (f, "op1", "csirt", "logs.txt", "text/plain", logs, &upload_again), ==,
                    201);
  g_assert_cmpstr (json_object_get_string_member (upload_first, "id"), ==,
                   json_object_get_string_member (upload_again, "id"));
  g_assert_cmpuint (n_upload_folders (f), ==, 1);
  for (guint i = 0; i < 3; i++)
    {
      /* a new key, the key with another answer, no key: refused, nothing stored */
      f->key = i == 0 ? "answer-2" : i == 1 ? "answer-1" : NULL;
      g_assert_cmpuint (call (f, "POST", "/api/v1/injects/I1/responses", token (f, "op1"),
                              i == 1 ? "{\"text\": \"Other\"}" : answer, &reply), ==, 409);
      g_assert_nonnull (strstr (json_object_get_string_member (reply, "error"),
                                i == 1 ? "different answer" : "the exercise has ended"));
      g_clear_pointer (&reply, json_object_unref);
    }
  /* an acknowledgement takes no key: with one of a message's, it is refused as ended all the same */
  f->key = "msg-1";
  g_assert_cmpuint (call (f, "POST", "/api/v1/injects/I1/ack", token (f, "op1"), NULL, &reply), ==,
                    409);
  g_assert_cmpstr (json_object_get_string_member (reply, "error"), ==, "the exercise has ended");
  g_clear_pointer (&reply, json_object_unref);
  f->key = "upload-2";
  g_assert_cmpuint (upload (f, "op1", "csirt", "logs.txt", "text/plain", logs, NULL), ==, 409);
  g_assert_cmpuint (n_upload_folders (f), ==, 1);
  g_assert_cmpuint (n_records (f), ==, before);
}

/* @team's stream, or the controller's when @team is NULL. */
static WcTestStream *
open_stream (Fixture    *f,
             const char *team)
{
  g_autofree char *url = team
    ? g_strdup_printf ("%s/api/v1/events?access_token=%s", f->base, token (f, team))
    : g_strdup_printf ("%s/api/v1/control/events?access_token=%s", f->base,
                       wc_tokens_get_controller (f->tokens));

  /* the first event is the exercise's state */
  return wc_test_stream_open (f->session, url, NULL);
}

static void
test_streams (Fixture       *f,
              gconstpointer  data)
{
  WcTestStream *op1 = open_stream (f, "op1");
  WcTestStream *op2 = open_stream (f, "op2");
  WcTestStream *op3 = open_stream (f, "op3");
  WcTestStream *csirt = open_stream (f, "csirt");
  WcTestStream *control = open_stream (f, NULL);
  guint first = n_records (f);
  g_autofree char *notification = NULL;
  g_autofree char *spear = NULL;
  g_autofree char *ews = NULL;
  g_autofree char *sitrep = NULL;
  g_autofree char *ack = NULL;
  g_autofree char *quoted = NULL;

  notification = post_id (f, "/api/v1/notifications", "op1", early_warning_json);
  spear = post_id (f, "/api/v1/warnings", "csirt", spear_json);
  ews = post_id (f, "/api/v1/warnings", "csirt", ews_json);
  sitrep = post_id (f, "/api/v1/sitrep", "cc", sitrep_json);
  ack = g_strdup_printf ("/api/v1/messages/%s/ack", spear);
  g_assert_cmpuint (call (f, "POST", ack, token (f, "op2"), NULL, NULL), ==, 200);

  /* the control stream carries every record journaled meanwhile */
  WAIT_UNTIL (wc_test_stream_count (control, "record", NULL) >= n_records (f) - first);
  g_assert_cmpuint (wc_test_stream_count (control, "record", "\"message-acknowledged\""), ==, 1);
  g_assert_cmpuint (wc_test_stream_count (control, "record", "\"warning-issued\""), ==, 2);
  /* each team exactly what it sent or received */
  WAIT_UNTIL (wc_test_stream_count (csirt, "message-ack", NULL) == 1);
  g_assert_cmpuint (wc_test_stream_count (csirt, "message", NULL), ==, 4);  /* notification, 2 sent, sitrep */
  WAIT_UNTIL (wc_test_stream_count (op2, "message", NULL) == 3);            /* spear, ews, sitrep */
  WAIT_UNTIL (wc_test_stream_count (op2, "message-ack", NULL) == 1);        /* its own, for its other tabs */
  WAIT_UNTIL (wc_test_stream_count (op1, "message", NULL) == 3);            /* notification, ews, sitrep */
  WAIT_UNTIL (wc_test_stream_count (op3, "message", NULL) == 1);            /* the sitrep only */
  quoted = g_strdup_printf ("\"id\":\"%s\"", sitrep);
  g_assert_cmpuint (wc_test_stream_count (op3, "message", quoted), ==, 1);
  g_clear_pointer (&quoted, g_free);
  /* the operator that filed sees the marking of its language, the one that got the spear its own */
  quoted = g_strdup_printf ("\"id\":\"%s\"", notification);
  g_assert_cmpuint (wc_test_stream_count (op1, "message", quoted), ==, 1);
  g_assert_cmpuint (wc_test_stream_count (op1, "message", "\"marking\":\"OEFENING\""), ==, 3);
  g_assert_cmpuint (wc_test_stream_count (op2, "message", "\"marking\":\"EXERCICE\""), ==, 3);
  g_clear_pointer (&quoted, g_free);
  quoted = g_strdup_printf ("\"id\":\"%s\"", spear);
  g_assert_cmpuint (wc_test_stream_count (op1, "message", quoted), ==, 0);
  g_assert_cmpuint (wc_test_stream_count (op1, "message-ack", NULL), ==, 0);
  g_assert_cmpuint (wc_test_stream_count (op3, "message-ack", NULL), ==, 0);
  wc_test_stream_close (op1);
  wc_test_stream_close (op2);
  wc_test_stream_close (op3);
  wc_test_stream_close (csirt);
  wc_test_stream_close (control);
}

/* Reconnecting with Last-Event-ID replays the team's own traffic only. */
static void
test_stream_replay (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *spear = post_id (f, "/api/v1/warnings", "csirt", spear_json);
  g_autofree char *ews = post_id (f, "/api/v1/warnings", "csirt", ews_json);
  g_autofree char *url = g_strdup_printf ("%s/api/v1/events?access_token=%s", f->base,
                                          token (f, "op3"));
  g_autofree char *sitrep = post_id (f, "/api/v1/sitrep", "cc", sitrep_json);
  WcTestStream *s = wc_test_stream_open (f->session, url, "1");

  WAIT_UNTIL (wc_test_stream_count (s, "message", NULL) >= 1);
  /* give the replay time to reach the end of the journal */
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (wc_test_stream_count (s, "message", NULL), ==, 1);
  g_assert_cmpuint (wc_test_stream_count (s, "message", sitrep), ==, 1);
  wc_test_stream_close (s);
}

/* The staff: a controller plays an actor and issues a warning as an inject; an observer reads. */
static void
test_control (Fixture       *f,
              gconstpointer  data)
{
  const char *controller = wc_tokens_get_controller (f->tokens);
  const char *observer = wc_tokens_get_staff_token (f->tokens, "oscar");
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *id = NULL;
  guint before;

  g_assert_cmpuint (call (f, "POST", "/api/v1/control/messages", controller,
                          "{\"from_actor\": \"press\", \"to\": [\"op1\"], \"subject\": \"Comment?\","
                          " \"body\": \"Is the grid down?\"}", &reply), ==, 201);
  id = g_strdup (json_object_get_string_member (reply, "id"));
  g_assert_cmpstr (json_object_get_string_member (reply, "from_actor"), ==, "press");
  g_assert_cmpstr (json_object_get_string_member (reply, "from_name"), ==, "Journalist");
  g_clear_pointer (&reply, json_object_unref);
  ids = list_ids (f, "/api/v1/messages", "op1");
  g_assert_cmpstr (ids, ==, id);
  g_clear_pointer (&ids, g_free);

  /* the team answers the journalist: to no team, back to the controllers playing the actor */
  {
    g_autofree char *body = g_strdup_printf ("{\"subject\": \"Re: Comment?\", "
                                             "\"body\": \"No comment.\", \"in_reply_to\": \"%s\"}",
                                             id);

    g_assert_cmpuint (call (f, "POST", "/api/v1/messages", token (f, "op1"), body, &reply), ==,
                      201);
    g_assert_cmpstr (json_object_get_string_member (reply, "to_actor"), ==, "press");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "to")), ==, 0);
    g_clear_pointer (&reply, json_object_unref);
  }
  g_clear_pointer (&id, g_free);

  g_assert_cmpuint (call (f, "POST", "/api/v1/control/warnings", controller, ews_json, &reply), ==,
                    201);
  id = g_strdup (json_object_get_string_member (reply, "id"));
  g_clear_pointer (&reply, json_object_unref);
  ids = list_ids (f, "/api/v1/warnings", "op2");
  g_assert_cmpstr (ids, ==, id);
  g_clear_pointer (&ids, g_free);

  /* an observer reads all, sends nothing */
  before = n_records (f);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/messages", observer,
                          "{\"from_actor\": \"press\", \"to\": [\"op1\"], \"subject\": \"s\", "
                          "\"body\": \"b\"}", NULL), ==, 403);
  g_assert_cmpuint (call (f, "POST", "/api/v1/control/warnings", observer, ews_json, NULL), ==,
                    403);
  g_assert_cmpuint (n_records (f), ==, before);
  g_assert_cmpuint (call (f, "GET", "/api/v1/control/messages?kind=warning", observer, NULL,
                          &reply), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "items")), ==, 1);
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpuint (call (f, "GET", "/api/v1/control/messages?kind=nonsense", observer, NULL,
                          NULL), ==, 400);
  /* a team token opens none of it */
  g_assert_cmpuint (call (f, "GET", "/api/v1/control/messages", token (f, "csirt"), NULL, NULL),
                    ==, 401);
}

/* A CAP document, validated with libxml2 against tests/cap/CAP-v1.2.xsd. */
static xmlDocPtr
validate_cap (GBytes *bytes)
{
  g_autofree char *xsd = g_test_build_filename (G_TEST_DIST, "cap", "CAP-v1.2.xsd", NULL);
  xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt (xsd);
  xmlSchemaPtr schema = xmlSchemaParse (parser);
  xmlSchemaValidCtxtPtr valid;
  xmlDocPtr doc;

  g_assert_nonnull (schema);
  doc = xmlReadMemory (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "cap.xml", NULL,
                       XML_PARSE_NONET);
  g_assert_nonnull (doc);
  valid = xmlSchemaNewValidCtxt (schema);
  g_assert_cmpint (xmlSchemaValidateDoc (valid, doc), ==, 0);
  xmlSchemaFreeValidCtxt (valid);
  xmlSchemaFree (schema);
  xmlSchemaFreeParserCtxt (parser);
  return doc;
}

static guint
count_in (const char *text,
          const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_cap (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *spear = post_id (f, "/api/v1/warnings", "csirt", spear_json);
  g_autofree char *ews = post_id (f, "/api/v1/warnings", "csirt", ews_json);
  g_autofree char *path = g_strdup_printf ("/api/v1/warnings/%s.cap", spear);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *type = NULL;
  g_autofree char *text = NULL;
  xmlDocPtr doc;

  /* the Spear Warning: its recipient reads it; a team it did not reach gets 404 */
  g_assert_cmpuint (send_raw (f, "GET", path, token (f, "op2"), NULL, NULL, &bytes, &type), ==,
                    200);
  g_assert_cmpstr (type, ==, "application/cap+xml");
  doc = validate_cap (bytes);
  xmlFreeDoc (doc);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (strstr (text, "<status>Exercise</status>"));
  g_assert_nonnull (strstr (text, "<scope>Restricted</scope>"));
  g_assert_nonnull (strstr (text, "<restriction>TLP:AMBER</restriction>"));
  g_assert_cmpuint (count_in (text, "<info>"), ==, 2);
  g_assert_nonnull (strstr (text, "<language>fr</language>"));
  g_assert_nonnull (strstr (text, "<value>EXERCICE</value>"));
  g_assert_nonnull (strstr (text, "<valueName>MISP:ip-dst</valueName>"));
  g_assert_nonnull (strstr (text, "<value>exercise:generic</value>"));
  g_assert_nonnull (strstr (text, "<value>tlp:amber</value>"));
  /* participants' text is escaped */
  g_assert_nonnull (strstr (text, "&lt;&amp; &quot;test&quot;&gt;"));
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&type, g_free);
  g_assert_cmpuint (send_raw (f, "GET", path, token (f, "op1"), NULL, NULL, NULL, NULL), ==, 404);
  g_clear_pointer (&path, g_free);

  /* the multilingual EWS bulletin, one <info> per language */
  path = g_strdup_printf ("/api/v1/warnings/%s.cap", ews);
  g_assert_cmpuint (send_raw (f, "GET", path, token (f, "op1"), NULL, NULL, &bytes, NULL), ==,
                    200);
  doc = validate_cap (bytes);
  xmlFreeDoc (doc);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_cmpuint (count_in (text, "<info>"), ==, 3);
  g_assert_nonnull (strstr (text, "<value>OEFENING</value>"));
  g_assert_nonnull (strstr (text, "<value>tlp:green</value>"));
  g_assert_cmpuint (send_raw (f, "GET", path, token (f, "op3"), NULL, NULL, NULL, NULL), ==, 404);
  g_clear_pointer (&path, g_free);
  /* a message that is not a warning has no CAP document */
  {
    g_autofree char *sitrep = post_id (f, "/api/v1/sitrep", "cc", sitrep_json);

    path = g_strdup_printf ("/api/v1/warnings/%s.cap", sitrep);
    g_assert_cmpuint (send_raw (f, "GET", path, token (f, "op1"), NULL, NULL, NULL, NULL), ==,
                      404);
  }
}

/* A webhook delivery carries the exercise marking in the team's language. */
static void
test_webhook_marking (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_true (wc_engine_fire_inject (f->engine, "I1", &error));
  WAIT_UNTIL (f->deliveries->len == 1 && wc_webhooks_get_n_pending (f->webhooks) == 0);
  node = json_from_string (g_ptr_array_index (f->deliveries, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "marking"), ==,
                   "OEFENING");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "team"), ==, "op1");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) \
  g_test_add ("/whitecell/traffic-http/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("loop", test_loop);
  ADD ("matrix-and-contacts", test_matrix_and_contacts);
  ADD ("uploads", test_uploads);
  ADD ("idempotency", test_idempotency);
  ADD ("streams", test_streams);
  ADD ("stream-replay", test_stream_replay);
  ADD ("control", test_control);
  ADD ("cap", test_cap);
  g_test_add ("/whitecell/traffic-http/webhook-marking", Fixture, "webhook", fixture_setup,
              test_webhook_marking, fixture_teardown);
#undef ADD
  return g_test_run ();
}
