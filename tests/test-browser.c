/* test-browser.c: a participant as a person meets Whitecell: headless Chromium opens a team's
 * page, sees an inject arrive live, clicks Acknowledge, chooses a decision option, answers, and
 * switches language; the journal on disk has every one of those. Chromium is driven over the
 * DevTools protocol on a pipe (--remote-debugging-pipe: fd 3 in, fd 4 out, NUL-separated JSON),
 * so nothing but Debian's chromium is needed. Screenshots of the page are left in the build
 * directory (participant-page.png, participant-page-phone.png). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "wc-scenario-loader.h"
#include "wc-server.h"

#define TIMEOUT_S 30

typedef struct {
  char        *dir;
  char        *journal;
  WcScenario  *scenario;
  WcEngine    *engine;
  WcTokens    *tokens;
  WcServer    *server;
  GSubprocess *chromium;
  int          to_chromium;
  int          from_chromium;
  guint        watch;
  GString     *incoming;
  GHashTable  *replies;     /* id → JsonNode (the message) */
  gint         next_id;
  char        *session;
  gboolean     chromium_gone;
} Fixture;

/* Hostile text on purpose: the page must show it, not run it. */
static const char scenario_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"browser\", \"title\": {\"en\": \"Browser drill\", \"nl\": \"Browseroefening\", \"fr\": \"Exercice navigateur\"},\n"
  "   \"tlp\": \"AMBER\", \"languages\": [\"en\", \"nl\", \"fr\"], \"duration\": \"T+02:00\"},\n"
  " \"teams\": [{\"id\": \"csirt\", \"name\": {\"en\": \"National CSIRT\", \"nl\": \"Nationaal CSIRT\", \"fr\": \"CSIRT national\"}, \"kind\": \"csirt\", \"language\": \"en\"},\n"
  "           {\"id\": \"other\", \"name\": \"Other team\", \"kind\": \"operator\"}],\n"
  " \"actors\": [{\"id\": \"soc\", \"name\": \"SOC analyst\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"I-001\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"email\", \"from\": \"soc\", \"to\": [\"csirt\"], \"tlp\": \"RED\",\n"
  "   \"title\": {\"en\": \"Encrypted servers\", \"nl\": \"Versleutelde servers\", \"fr\": \"Serveurs chiffrés\"},\n"
  "   \"body\": \"<img src=x onerror=\\\"document.body.dataset.pwned=1\\\">Files renamed to *.vial\",\n"
  "   \"attachments\": [{\"file\": \"note.txt\", \"media_type\": \"text/plain\"}]},\n"
  "  {\"id\": \"I-002\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"decision\", \"to\": \"all\",\n"
  "   \"title\": {\"en\": \"Warn the sector?\", \"nl\": \"De sector waarschuwen?\", \"fr\": \"Alerter le secteur ?\"},\n"
  "   \"body\": {\"en\": \"Decide now.\", \"nl\": \"Beslis nu.\", \"fr\": \"Décidez maintenant.\"},\n"
  "   \"options\": [{\"id\": \"warn\", \"text\": {\"en\": \"Warn now\", \"nl\": \"Nu waarschuwen\", \"fr\": \"Alerter\"}},\n"
  "               {\"id\": \"wait\", \"text\": {\"en\": \"Wait\", \"nl\": \"Wachten\", \"fr\": \"Attendre\"}}]},\n"
  "  {\"id\": \"I-003\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"news\", \"to\": [\"other\"], \"title\": \"Not for the CSIRT\", \"body\": \"x\"}\n"
  " ]}\n";

static char *
find_chromium (void)
{
  const char *env = g_getenv ("WC_CHROMIUM");
  static const char *const names[] = { "chromium", "chromium-browser", "google-chrome", NULL };

  if (env && *env)
    return g_strdup (env);
  for (guint i = 0; names[i]; i++)
    {
      char *path = g_find_program_in_path (names[i]);

      if (path)
        return path;
    }
  return NULL;
}

static gboolean
on_chromium_output (int          fd,
                    GIOCondition condition,
                    gpointer     user_data)
{
  Fixture *f = user_data;
  char buffer[65536];
  ssize_t n;
  char *nul;

  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (f->incoming, buffer, n);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
    {
      f->chromium_gone = TRUE;
      f->watch = 0;
      return G_SOURCE_REMOVE;
    }
  while ((nul = memchr (f->incoming->str, '\0', f->incoming->len)) != NULL)
    {
      gsize length = nul - f->incoming->str;
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, f->incoming->str, length, NULL))
        {
          JsonObject *message = json_node_get_object (json_parser_get_root (parser));

          /* replies carry their command's id; events (no id) are not needed here */
          if (json_object_has_member (message, "id"))
            g_hash_table_insert (f->replies,
                                 GINT_TO_POINTER ((gint) json_object_get_int_member (message, "id")),
                                 json_node_copy (json_parser_get_root (parser)));
        }
      g_string_erase (f->incoming, 0, length + 1);
    }
  return G_SOURCE_CONTINUE;
}

/* Sends a DevTools command (to the page's session when there is one) and returns its result. */
static JsonObject *
cdp (Fixture    *f,
     const char *method,
     JsonObject *params)  /* transfer full, nullable */
{
  g_autoptr(JsonObject) command = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  gint id = ++f->next_id;
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;
  JsonNode *reply;
  JsonObject *message;
  gsize written = 0, length;

  json_object_set_int_member (command, "id", id);
  json_object_set_string_member (command, "method", method);
  json_object_set_object_member (command, "params", params ? params : json_object_new ());
  if (f->session)
    json_object_set_string_member (command, "sessionId", f->session);
  json_node_set_object (node, command);
  text = json_to_string (node, FALSE);
  length = strlen (text) + 1;  /* with its NUL */
  while (written < length)
    {
      ssize_t n = write (f->to_chromium, text + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      written += n;
    }
  while (!g_hash_table_contains (f->replies, GINT_TO_POINTER (id)) && !f->chromium_gone &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  reply = g_hash_table_lookup (f->replies, GINT_TO_POINTER (id));
  if (reply == NULL)
    g_error ("Chromium did not answer %s", method);
  message = json_node_get_object (reply);
  if (json_object_has_member (message, "error"))
    g_error ("%s failed: %s", method,
             json_object_get_string_member (json_object_get_object_member (message, "error"), "message"));
  return json_object_get_object_member (message, "result");
}

/* Runs @expression in the page; returns its value as a string ("" for null/undefined). */
static char *
evaluate (Fixture    *f,
          const char *expression)
{
  JsonObject *params = json_object_new ();
  JsonObject *result, *value;
  JsonNode *v;

  json_object_set_string_member (params, "expression", expression);
  json_object_set_boolean_member (params, "returnByValue", TRUE);
  json_object_set_boolean_member (params, "awaitPromise", TRUE);
  result = cdp (f, "Runtime.evaluate", params);
  if (json_object_has_member (result, "exceptionDetails"))
    g_error ("%s threw: %s", expression,
             json_object_get_string_member_with_default (
               json_object_get_object_member (result, "exceptionDetails"), "text", "?"));
  value = json_object_get_object_member (result, "result");
  v = json_object_get_member (value, "value");
  if (v == NULL || JSON_NODE_HOLDS_NULL (v))
    return g_strdup ("");
  if (json_node_get_value_type (v) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (v));
  return json_to_string (v, FALSE);
}

/* Runs @expression for its effect (a click, a change). */
static void
run_js (Fixture    *f,
        const char *expression)
{
  g_free (evaluate (f, expression));
}

/* Waits, serving HTTP all the while, until @expression gives @expected in the page. */
static void
wait_for (Fixture    *f,
          const char *expression,
          const char *expected)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;
  g_autofree char *value = NULL;
  /* an element not there yet is not a failure, only not yet */
  g_autofree char *guarded = g_strdup_printf ("(async () => { try { return await (%s); } "
                                              "catch (e) { return 'exception: ' + e.message; } })()",
                                              expression);

  for (;;)
    {
      g_free (value);
      value = evaluate (f, guarded);
      if (g_strcmp0 (value, expected) == 0 || g_get_monotonic_time () > deadline)
        break;
      /* let the server and the page work for a moment */
      {
        gint64 pause = g_get_monotonic_time () + 100 * 1000;

        while (g_get_monotonic_time () < pause)
          g_main_context_iteration (NULL, FALSE);
        g_usleep (5000);
      }
    }
  g_test_message ("%s → %s", expression, value);
  g_assert_cmpstr (value, ==, expected);
}

static void
wait_engine (Fixture  *f,
             gboolean (*done) (Fixture *f))
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  while (!done (f) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done (f));
}

static void
screenshot (Fixture    *f,
            const char *name)
{
  JsonObject *params = json_object_new ();
  JsonObject *result;
  g_autofree guchar *png = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                            name, NULL);
  gsize length;

  json_object_set_string_member (params, "format", "png");
  result = cdp (f, "Page.captureScreenshot", params);
  png = g_base64_decode (json_object_get_string_member (result, "data"), &length);
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_file_set_contents (path, (char *) png, length, NULL));
  g_test_message ("screenshot: %s", path);
}

static void
set_viewport (Fixture *f,
              int      width,
              int      height,
              gboolean mobile)
{
  JsonObject *params = json_object_new ();

  json_object_set_int_member (params, "width", width);
  json_object_set_int_member (params, "height", height);
  json_object_set_double_member (params, "deviceScaleFactor", 1);
  json_object_set_boolean_member (params, "mobile", mobile);
  cdp (f, "Emulation.setDeviceMetricsOverride", params);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("browser.json");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *path = NULL;
  g_autofree char *note = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *chromium = find_chromium ();
  g_autofree char *profile_arg = NULL;
  int in_pipe[2], out_pipe[2];
  JsonObject *params, *result;

  f->dir = g_dir_make_tmp ("whitecell-browser-XXXXXX", &error);
  g_assert_no_error (error);
  f->journal = g_build_filename (f->dir, "journal.jsonl", NULL);
  path = g_build_filename (f->dir, "scenario.json", NULL);
  note = g_build_filename (f->dir, "note.txt", NULL);
  g_assert_true (g_file_set_contents (path, scenario_json, -1, NULL));
  g_assert_true (g_file_set_contents (note, "jump host log", -1, NULL));
  f->scenario = wc_scenario_load (path, diag, &error);
  g_assert_no_error (error);
  f->engine = wc_engine_new (f->scenario, f->journal, &error);
  g_assert_no_error (error);
  f->tokens = wc_tokens_generate (f->scenario, &error);
  g_assert_no_error (error);
  f->server = wc_server_new (f->engine, f->tokens);
  g_assert_true (wc_server_listen (f->server, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  f->replies = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) json_node_unref);
  f->incoming = g_string_new (NULL);

  /* Chromium reads commands on fd 3 and writes on fd 4 */
  g_assert_true (g_unix_open_pipe (in_pipe, FD_CLOEXEC, NULL));
  g_assert_true (g_unix_open_pipe (out_pipe, FD_CLOEXEC, NULL));
  profile = g_build_filename (f->dir, "profile", NULL);
  profile_arg = g_strconcat ("--user-data-dir=", profile, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_take_fd (launcher, in_pipe[0], 3);
  g_subprocess_launcher_take_fd (launcher, out_pipe[1], 4);
  f->chromium = g_subprocess_launcher_spawn (launcher, &error, chromium, "--headless",
                                             "--no-sandbox", "--disable-gpu",
                                             "--disable-dev-shm-usage", "--no-first-run",
                                             "--no-default-browser-check", "--disable-extensions",
                                             "--remote-debugging-pipe", "--lang=en-GB",
                                             profile_arg, "about:blank", NULL);
  g_assert_no_error (error);
  f->to_chromium = in_pipe[1];
  f->from_chromium = out_pipe[0];
  g_assert_true (g_unix_set_fd_nonblocking (f->from_chromium, TRUE, NULL));
  f->watch = g_unix_fd_add (f->from_chromium, G_IO_IN | G_IO_HUP | G_IO_ERR, on_chromium_output, f);

  /* a page of our own, and a session to talk to it */
  params = json_object_new ();
  json_object_set_string_member (params, "url", "about:blank");
  result = cdp (f, "Target.createTarget", params);
  params = json_object_new ();
  json_object_set_string_member (params, "targetId", json_object_get_string_member (result, "targetId"));
  json_object_set_boolean_member (params, "flatten", TRUE);
  result = cdp (f, "Target.attachToTarget", params);
  f->session = g_strdup (json_object_get_string_member (result, "sessionId"));
  cdp (f, "Page.enable", NULL);
  cdp (f, "Runtime.enable", NULL);
  set_viewport (f, 1000, 1200, FALSE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GFile) dir = g_file_new_for_path (f->dir);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", f->dir);

  if (f->watch)
    g_source_remove (f->watch);
  close (f->to_chromium);
  close (f->from_chromium);
  g_subprocess_force_exit (f->chromium);
  g_subprocess_wait (f->chromium, NULL, NULL);
  g_object_unref (f->chromium);
  wc_server_disconnect (f->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->server);
  g_assert_finalize_object (f->engine);
  g_object_unref (f->tokens);
  g_object_unref (f->scenario);
  g_hash_table_unref (f->replies);
  g_string_free (f->incoming, TRUE);
  g_free (f->session);
  /* Chromium's profile is a tree of its own */
  g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
  g_free (f->dir);
  g_free (f->journal);
}

static gboolean
csirt_acknowledged (Fixture *f)
{
  const WcTeamInjectState *ts = wc_engine_get_team_state (f->engine, "I-001", "csirt");

  return ts && ts->acknowledged_ms >= 0;
}

static gboolean
csirt_chose (Fixture *f)
{
  const WcTeamInjectState *ts = wc_engine_get_team_state (f->engine, "I-002", "csirt");

  return ts && g_strcmp0 (ts->option, "wait") == 0;
}

static gboolean
csirt_answered (Fixture *f)
{
  const WcTeamInjectState *ts = wc_engine_get_team_state (f->engine, "I-001", "csirt");

  return ts && g_strcmp0 (ts->last_response, "Isolated <b>FS-CLIN-02</b> at 07:20") == 0;
}

/* The journal on disk, as a reviewer would read it: does it hold a record of @type for the
 * team's inject? */
static gboolean
journal_has (Fixture    *f,
             const char *type,
             const char *inject,
             const char *needle)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (f->journal, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *record, *data;

      if (*lines[i] == '\0' || !json_parser_load_from_data (parser, lines[i], -1, NULL))
        continue;
      record = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member_with_default (record, "type", ""), type) != 0)
        continue;
      data = json_object_get_object_member (record, "data");
      if (g_strcmp0 (json_object_get_string_member_with_default (data, "inject", ""), inject) == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (data, "team", ""), "csirt") == 0 &&
          (needle == NULL || strstr (lines[i], needle)))
        return TRUE;
    }
  return FALSE;
}

static void
test_participant_page (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = wc_server_get_join_url (f->server, "csirt");
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "url", url);
  cdp (f, "Page.navigate", params);

  /* before the start: the team, the exercise, no inject, a live connection */
  wait_for (f, "document.getElementById('connection').dataset.state", "live");
  wait_for (f, "document.getElementById('team-name').textContent", "National CSIRT");
  wait_for (f, "document.getElementById('exercise-title').textContent", "Browser drill");
  wait_for (f, "String(document.querySelectorAll('#injects .inject').length)", "0");
  wait_for (f, "document.getElementById('empty').hidden ? 'hidden' : 'shown'", "shown");

  /* the controller starts and fires: the inject arrives by itself, newest first */
  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_no_error (error);
  wait_for (f, "document.getElementById('exercise-state').dataset.state", "running");
  g_assert_true (wc_engine_fire_inject (f->engine, "I-001", &error));
  g_assert_no_error (error);
  g_assert_true (wc_engine_fire_inject (f->engine, "I-003", &error));
  g_assert_no_error (error);
  wait_for (f, "String(document.querySelectorAll('#injects .inject').length)", "1");
  wait_for (f, "document.querySelector('.inject .title').textContent", "Encrypted servers");
  wait_for (f, "document.querySelector('.inject .tlp').textContent", "TLP:RED");
  wait_for (f, "document.querySelector('.inject .sender').textContent", "SOC analyst");
  wait_for (f, "document.querySelector('.inject .badge-new').textContent", "New");
  /* the hostile body is shown as text and never runs */
  wait_for (f, "document.querySelector('.inject .body').textContent",
            "<img src=x onerror=\"document.body.dataset.pwned=1\">Files renamed to *.vial");
  wait_for (f, "String(document.querySelectorAll('.inject .body img').length) + (document.body.dataset.pwned || '')", "0");
  /* the attachment downloads with the team's token */
  wait_for (f, "fetch(document.querySelector('.attachments a').href).then(r => r.text())", "jump host log");
  /* another team's inject never shows */
  wait_for (f, "String(document.body.textContent.includes('Not for the CSIRT'))", "false");
  screenshot (f, "participant-page-new.png");

  /* Acknowledge: the engine has it, then the journal on disk, then the page says so */
  run_js (f, "document.querySelector('.inject .ack').click()");
  wait_engine (f, csirt_acknowledged);
  g_assert_true (journal_has (f, "inject-acknowledged", "I-001", NULL));
  wait_for (f, "document.querySelector('.inject .ack').hidden ? 'hidden' : 'shown'", "hidden");
  wait_for (f, "document.querySelector('.inject .ack-done').textContent.startsWith('✓ Acknowledged at T+') ? 'yes' : 'no'", "yes");

  /* an answer in the box */
  run_js (f, "(() => { const li = document.querySelector('[data-id=\"I-001\"]');"
               " li.querySelector('textarea').value = 'Isolated <b>FS-CLIN-02</b> at 07:20';"
               " li.querySelector('.send').click(); })()");
  wait_engine (f, csirt_answered);
  g_assert_true (journal_has (f, "response", "I-001", "Isolated <b>FS-CLIN-02</b>"));
  wait_for (f, "document.querySelector('[data-id=\"I-001\"] .responses p').textContent",
            "Isolated <b>FS-CLIN-02</b> at 07:20");
  wait_for (f, "document.querySelector('[data-id=\"I-001\"] textarea').value", "");

  /* a decision, newest first, answered with a button */
  g_assert_true (wc_engine_fire_inject (f->engine, "I-002", &error));
  g_assert_no_error (error);
  wait_for (f, "document.querySelector('#injects .inject').dataset.id", "I-002");
  wait_for (f, "Array.from(document.querySelectorAll('[data-id=\"I-002\"] .option')).map(b => b.textContent).join('|')",
            "Warn now|Wait");
  run_js (f, "document.querySelector('[data-id=\"I-002\"] [data-option=\"wait\"]').click()");
  wait_engine (f, csirt_chose);
  g_assert_true (journal_has (f, "response", "I-002", "\"wait\""));
  wait_for (f, "document.querySelector('[data-id=\"I-002\"] [data-option=\"wait\"]').getAttribute('aria-pressed')", "true");
  screenshot (f, "participant-page.png");

  /* the team's language, switched: every text comes again in Dutch */
  run_js (f, "(() => { const s = document.getElementById('lang-select'); s.value = 'nl';"
               " s.dispatchEvent(new Event('change')); })()");
  wait_for (f, "document.querySelector('[data-id=\"I-001\"] .title').textContent", "Versleutelde servers");
  wait_for (f, "document.getElementById('team-name').textContent", "Nationaal CSIRT");
  wait_for (f, "document.querySelector('[data-id=\"I-002\"] .channel').textContent", "Beslissing");
  wait_for (f, "document.documentElement.lang", "nl");
  wait_for (f, "String(document.querySelectorAll('#injects .inject').length)", "2");

  /* a page opened afterwards (another browser, a reload) shows everything already sent */
  run_js (f, "location.reload()");
  wait_for (f, "document.getElementById('connection').dataset.state", "live");
  wait_for (f, "Array.from(document.querySelectorAll('#injects .inject')).map(li => li.dataset.id).join(' ')",
            "I-002 I-001");
  wait_for (f, "document.querySelector('[data-id=\"I-001\"] .title').textContent", "Versleutelde servers");
  wait_for (f, "document.querySelector('[data-id=\"I-001\"] .badge-new').textContent", "");

  /* on a phone */
  set_viewport (f, 390, 844, TRUE);
  wait_for (f, "String(document.documentElement.scrollWidth <= 390)", "true");
  screenshot (f, "participant-page-phone.png");

  /* the end: no more buttons to press */
  g_assert_true (wc_engine_end (f->engine, "done", &error));
  g_assert_no_error (error);
  wait_for (f, "document.getElementById('exercise-state').dataset.state", "ended");
  wait_for (f, "document.querySelector('[data-id=\"I-002\"] .respond-box').hidden ? 'hidden' : 'shown'", "hidden");
}

/* A page whose token is not (or no longer) valid says so and does not spin. */
static void
test_bad_token (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *base = wc_server_get_base_url (f->server);
  g_autofree char *url = g_strconcat (base, "/t/0123456789abcdef0123456789abcdef", NULL);
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "url", url);
  cdp (f, "Page.navigate", params);
  wait_for (f, "document.body.textContent.includes('No such team page') ? 'refused' : 'page'", "refused");
}

static void
test_no_chromium (void)
{
  g_test_skip ("Debian's chromium is not installed (apt-get install chromium)");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *chromium = find_chromium ();

  g_test_init (&argc, &argv, NULL);
  if (chromium == NULL)
    {
      g_test_add_func ("/browser/participant-page", test_no_chromium);
      return g_test_run ();
    }
  g_test_add ("/browser/participant-page", Fixture, NULL, fixture_setup, test_participant_page, fixture_teardown);
  g_test_add ("/browser/bad-token", Fixture, NULL, fixture_setup, test_bad_token, fixture_teardown);
  return g_test_run ();
}
