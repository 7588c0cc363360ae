/* test-webhooks.c: webhook receivers are run by participants, so they are untrusted. Against a
 * real SoupServer on 127.0.0.1 as the receiver: a signature that carries its time, a body that
 * never ends (memory stays flat), a receiver that never answers or trickles (the attempt has a
 * deadline), and a redirect (not followed). */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "test-util.h"
#include "wc-scenario-loader.h"
#include "wc-webhooks.h"

#define WAIT_UNTIL(cond)                                                                  \
  G_STMT_START {                                                                          \
    gint64 _deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;                     \
    while (!(cond) && g_get_monotonic_time () < _deadline)                                \
      {                                                                                   \
        g_main_context_iteration (NULL, TRUE);                                            \
        sample_rss (f);                                                                   \
      }                                                                                   \
    g_assert_true (cond);                                                                 \
  } G_STMT_END

/* What the receiver does with a delivery. */
typedef enum {
  RECEIVE_OK,            /* checks the signature and its time, answers 200 */
  RECEIVE_ENDLESS_500,   /* 500, then a chunked body that does not end */
  RECEIVE_ENDLESS_200,   /* 200, then the same */
  RECEIVE_SILENT,        /* never answers */
  RECEIVE_TRICKLE_500,   /* 500, then one byte of body every 50 ms */
  RECEIVE_REDIRECT,      /* 307 to a path on the same server */
} ReceiveMode;

/* Far more than the bound the test allows, but finite: a broken build fails, it does not hang. */
#define ENDLESS_CAP   ((guint64) 512 * 1024 * 1024)
#define CHUNK_SIZE    (64 * 1024)
#define RSS_BOUND_KB  (50 * 1024)

typedef struct {
  char        *dir;
  char        *journal;
  WcScenario  *scenario;
  WcEngine    *engine;
  WcTokens    *tokens;
  WcWebhooks  *webhooks;
  SoupServer  *receiver;
  ReceiveMode  mode;
  guint        calls;
  guint        redirected_calls;
  gboolean     signature_ok;
  guint64      streamed;  /* body bytes the receiver handed to libsoup */
  guint        open_streams;
  glong        rss_start_kb;
  glong        rss_peak_kb;
} Fixture;

static const char scenario_template[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"hooks\", \"title\": \"Hooks\", \"tlp\": \"AMBER\", \"duration\": \"T+02:00\"},\n"
  " \"teams\": [{\"id\": \"b\", \"name\": \"Team B\", \"kind\": \"operator\", \"webhook\": \"%shook\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"I1\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"email\", \"to\": \"all\",\n"
  "   \"title\": \"Hello\", \"body\": \"Body\"}\n"
  " ]}\n";

static char chunk[CHUNK_SIZE];

static glong
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + strlen ("VmRSS:"), NULL, 10) : 0;
}

static void
sample_rss (Fixture *f)
{
  f->rss_peak_kb = MAX (f->rss_peak_kb, rss_kb ());
}

/* The endless body: one more chunk each time one is written, until the client goes away. */
typedef struct {
  Fixture           *f;
  SoupServerMessage *msg;
  gboolean           finished;
  guint              trickle_id;
} Stream;

static void
stream_free (gpointer data)
{
  Stream *s = data;

  g_clear_handle_id (&s->trickle_id, g_source_remove);
  s->f->open_streams--;
  g_free (s);
}

static void
on_wrote_chunk (SoupServerMessage *msg,
                guint              size,
                Stream            *s)
{
  if (s->finished || s->f->streamed >= ENDLESS_CAP)
    return;
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            chunk, sizeof chunk);
  s->f->streamed += sizeof chunk;
}

static void
on_finished (SoupServerMessage *msg,
             Stream            *s)
{
  s->finished = TRUE;
  g_clear_handle_id (&s->trickle_id, g_source_remove);
}

static gboolean
trickle_cb (gpointer user_data)
{
  Stream *s = user_data;

  soup_message_body_append (soup_server_message_get_response_body (s->msg), SOUP_MEMORY_STATIC,
                            "x", 1);
  s->f->streamed++;
  soup_server_message_unpause (s->msg);
  return G_SOURCE_CONTINUE;
}

static void
start_stream (Fixture           *f,
              SoupServerMessage *msg,
              guint              status,
              gboolean           trickle)
{
  Stream *s = g_new0 (Stream, 1);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  s->f = f;
  s->msg = msg;
  f->open_streams++;
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Type",
                                "text/plain");
  /* what is written is let go, so that the receiver's side stays small too */
  soup_message_body_set_accumulate (body, FALSE);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), s);
  g_object_set_data_full (G_OBJECT (msg), "stream", s, stream_free);
  if (trickle)
    {
      s->trickle_id = g_timeout_add (50, trickle_cb, s);
      soup_server_message_pause (msg);
      return;
    }
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk), s);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, chunk, sizeof chunk);
  f->streamed += sizeof chunk;
}

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

  if (strcmp (path, "/elsewhere") == 0)
    {
      f->redirected_calls++;
      soup_server_message_set_status (msg, 200, NULL);
      return;
    }
  f->calls++;
  /* what docs/API.md tells a receiver to do: check the signature over "<time>.<body>", and
   * refuse a time more than five minutes away */
  f->signature_ok =
    wc_webhooks_verify (wc_tokens_get_webhook_secret (f->tokens, "b"),
                        soup_message_headers_get_one (headers, "X-Whitecell-Timestamp"),
                        soup_message_headers_get_one (headers, "X-Whitecell-Signature"),
                        body->data, body->length, g_get_real_time () / G_USEC_PER_SEC, 5 * 60);
  switch (f->mode)
    {
    case RECEIVE_OK:
      soup_server_message_set_status (msg, f->signature_ok ? 200 : 401, NULL);
      break;
    case RECEIVE_ENDLESS_500:
      start_stream (f, msg, 500, FALSE);
      break;
    case RECEIVE_ENDLESS_200:
      start_stream (f, msg, 200, FALSE);
      break;
    case RECEIVE_TRICKLE_500:
      start_stream (f, msg, 500, TRUE);
      break;
    case RECEIVE_SILENT:
      soup_server_message_pause (msg);
      break;
    case RECEIVE_REDIRECT:
      soup_server_message_set_redirect (msg, 307, "/elsewhere");
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("hooks.json");
  g_autofree char *doc = NULL;
  g_autofree char *path = NULL;
  g_autofree char *hook = NULL;

  for (gsize i = 0; i < sizeof chunk; i++)
    chunk[i] = "overflow "[i % 9];
  f->mode = GPOINTER_TO_INT (data);
  f->dir = g_dir_make_tmp ("whitecell-hooks-XXXXXX", &error);
  g_assert_no_error (error);
  f->journal = g_build_filename (f->dir, "journal.jsonl", NULL);

  f->receiver = wc_test_receiver_new (receiver_cb, f, &hook);

  doc = g_strdup_printf (scenario_template, hook);
  path = g_build_filename (f->dir, "scenario.json", NULL);
  g_assert_true (g_file_set_contents (path, doc, -1, NULL));
  f->scenario = wc_scenario_load (path, diag, &error);
  g_assert_no_error (error);
  f->engine = wc_engine_new (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  f->tokens = wc_tokens_generate (f->scenario, &error);
  g_assert_no_error (error);
  f->webhooks = wc_webhooks_new (f->engine, f->tokens);
  /* one attempt of at most 1 s: each test sees one outcome, soon */
  wc_webhooks_set_policy (f->webhooks, 1, 50, 1);
  g_assert_true (wc_engine_start (f->engine, &error));
  f->rss_start_kb = f->rss_peak_kb = rss_kb ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->webhooks);
  soup_server_disconnect (f->receiver);
  /* let libsoup finish closing its connections */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->receiver);
  g_assert_finalize_object (f->engine);
  g_object_unref (f->tokens);
  g_object_unref (f->scenario);
  wc_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->journal);
}

/* Fires I1 and waits for its one attempt to be over; returns that attempt's record. */
static JsonObject *
deliver (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  WcJournal *journal;
  JsonObject *attempt = NULL;

  g_assert_true (wc_engine_fire_inject (f->engine, "I1", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wc_webhooks_get_n_pending (f->webhooks), ==, 1);
  WAIT_UNTIL (wc_webhooks_get_n_pending (f->webhooks) == 0);
  journal = wc_engine_get_journal (f->engine);
  for (guint i = 0; i < wc_journal_get_n_records (journal); i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i);

      if (strcmp (r->type, "webhook-attempt") != 0)
        continue;
      g_assert_null (attempt);
      attempt = r->data;
    }
  g_assert_nonnull (attempt);
  g_test_message ("attempt: status %" G_GINT64_FORMAT ", outcome %s, error %s",
                  json_object_get_int_member (attempt, "status"),
                  json_object_get_string_member (attempt, "outcome"),
                  json_object_get_string_member_with_default (attempt, "error", "(none)"));
  return attempt;
}

static void
assert_memory_flat (Fixture *f)
{
  g_test_message ("receiver streamed %" G_GUINT64_FORMAT " KiB; resident %ld KiB before, "
                  "%ld KiB at most", f->streamed / 1024, f->rss_start_kb, f->rss_peak_kb);
  g_assert_cmpint (f->rss_peak_kb - f->rss_start_kb, <, RSS_BOUND_KB);
}

/* The time is part of what is signed: the same body at another time has another signature. */
static void
test_sign (void)
{
  g_autofree char *sig = wc_webhooks_sign ("k", 1700000000, "{\"a\":1}", 7);
  g_autofree char *later = wc_webhooks_sign ("k", 1700000001, "{\"a\":1}", 7);

  /* hmac.new(b"k", b'1700000000.{"a":1}', hashlib.sha256).hexdigest() */
  g_assert_cmpstr (sig, ==,
                   "sha256=1b6ad1bc9bf48c52ce01939866d5877c6cc4e87ddad27e16673cb8c4964394a3");
  g_assert_cmpstr (sig, !=, later);
}

typedef struct {
  const char *name;
  const char *timestamp;
  const char *signature;
  const char *body;
  gint64      now;
  gboolean    genuine;
} VerifyCase;

#define SIG_1700000000 "sha256=1b6ad1bc9bf48c52ce01939866d5877c6cc4e87ddad27e16673cb8c4964394a3"

static const VerifyCase verify_cases[] = {
  { "genuine", "1700000000", SIG_1700000000, "{\"a\":1}", 1700000100, TRUE },
  { "at-the-limit", "1700000000", SIG_1700000000, "{\"a\":1}", 1700000300, TRUE },
  /* a capture replayed six minutes later */
  { "replayed", "1700000000", SIG_1700000000, "{\"a\":1}", 1700000360, FALSE },
  { "from-the-future", "1700000000", SIG_1700000000, "{\"a\":1}", 1699999600, FALSE },
  { "body-changed", "1700000000", SIG_1700000000, "{\"a\":2}", 1700000100, FALSE },
  /* the signature does not follow a time changed to look fresh */
  { "time-changed", "1700000300", SIG_1700000000, "{\"a\":1}", 1700000400, FALSE },
  { "no-time", NULL, SIG_1700000000, "{\"a\":1}", 1700000100, FALSE },
  { "bad-time", "17e8", SIG_1700000000, "{\"a\":1}", 1700000100, FALSE },
  { "no-signature", "1700000000", NULL, "{\"a\":1}", 1700000100, FALSE },
  { "short-signature", "1700000000", "sha256=1b6a", "{\"a\":1}", 1700000100, FALSE },
};

static void
test_verify (gconstpointer data)
{
  const VerifyCase *c = data;

  g_assert_cmpint (wc_webhooks_verify ("k", c->timestamp, c->signature, c->body, strlen (c->body),
                                       c->now, 5 * 60), ==, c->genuine);
}

static void
test_signed_delivery (Fixture       *f,
                      gconstpointer  data)
{
  JsonObject *attempt = deliver (f);

  g_assert_true (f->signature_ok);
  g_assert_cmpstr (json_object_get_string_member (attempt, "outcome"), ==, "delivered");
  g_assert_cmpint (json_object_get_int_member (attempt, "status"), ==, 200);
}

/* A failed answer with a body that never ends: 4 KiB of it are read for the journal, the rest
 * never reaches the controller's memory. */
static void
test_endless_error_body (Fixture       *f,
                         gconstpointer  data)
{
  JsonObject *attempt = deliver (f);
  const char *error = json_object_get_string_member (attempt, "error");

  g_assert_cmpstr (json_object_get_string_member (attempt, "outcome"), ==, "gave-up");
  g_assert_cmpint (json_object_get_int_member (attempt, "status"), ==, 500);
  g_assert_true (g_str_has_prefix (error, "HTTP 500: overflow overflow"));
  g_assert_cmpuint (g_utf8_strlen (error, -1), <=, 220);
  /* the receiver saw the connection go: it stopped streaming long before its cap */
  WAIT_UNTIL (f->open_streams == 0);
  g_assert_cmpuint (f->streamed, <, ENDLESS_CAP);
  assert_memory_flat (f);
}

/* A 2xx is a delivery whatever follows it: the body is not read at all. */
static void
test_endless_ok_body (Fixture       *f,
                      gconstpointer  data)
{
  JsonObject *attempt = deliver (f);

  g_assert_cmpstr (json_object_get_string_member (attempt, "outcome"), ==, "delivered");
  g_assert_cmpint (json_object_get_int_member (attempt, "status"), ==, 200);
  WAIT_UNTIL (wc_engine_get_team_state (f->engine, "I1", "b")->delivered_ms >= 0);
  WAIT_UNTIL (f->open_streams == 0);
  g_assert_cmpuint (f->streamed, <, ENDLESS_CAP);
  assert_memory_flat (f);
}

static void
test_silent (Fixture       *f,
             gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  JsonObject *attempt = deliver (f);
  gint64 took = g_get_monotonic_time () - start;

  g_assert_cmpstr (json_object_get_string_member (attempt, "outcome"), ==, "gave-up");
  g_assert_cmpint (json_object_get_int_member (attempt, "status"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (attempt, "error"), ==, "no answer within 1 s");
  g_assert_cmpint (took, <, 5 * G_USEC_PER_SEC);
}

/* One byte every 50 ms never trips a per-read timeout; the attempt's own deadline ends it. */
static void
test_trickle (Fixture       *f,
              gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  JsonObject *attempt = deliver (f);
  gint64 took = g_get_monotonic_time () - start;

  g_assert_cmpstr (json_object_get_string_member (attempt, "outcome"), ==, "gave-up");
  g_assert_cmpint (json_object_get_int_member (attempt, "status"), ==, 500);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (attempt, "error"), "HTTP 500"));
  g_assert_cmpint (took, <, 5 * G_USEC_PER_SEC);
  WAIT_UNTIL (f->open_streams == 0);
}

/* A receiver must not send the controller to another address of its network. */
static void
test_no_redirect (Fixture       *f,
                  gconstpointer  data)
{
  JsonObject *attempt = deliver (f);

  g_assert_cmpstr (json_object_get_string_member (attempt, "outcome"), ==, "gave-up");
  g_assert_cmpint (json_object_get_int_member (attempt, "status"), ==, 307);
  g_assert_cmpuint (f->calls, ==, 1);
  g_assert_cmpuint (f->redirected_calls, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/whitecell/webhooks/sign", test_sign);
  for (guint i = 0; i < G_N_ELEMENTS (verify_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/webhooks/verify/%s",
                                               verify_cases[i].name);

      g_test_add_data_func (name, &verify_cases[i], test_verify);
    }
#define ADD(name, mode, func) \
  g_test_add ("/whitecell/webhooks/" name, Fixture, GINT_TO_POINTER (mode), fixture_setup, func, \
              fixture_teardown)
  ADD ("signed-delivery", RECEIVE_OK, test_signed_delivery);
  ADD ("endless-error-body", RECEIVE_ENDLESS_500, test_endless_error_body);
  ADD ("endless-ok-body", RECEIVE_ENDLESS_200, test_endless_ok_body);
  ADD ("silent", RECEIVE_SILENT, test_silent);
  ADD ("trickle", RECEIVE_TRICKLE_500, test_trickle);
  ADD ("no-redirect", RECEIVE_REDIRECT, test_no_redirect);
#undef ADD
  return g_test_run ();
}
