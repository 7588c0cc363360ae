/* test-browser.c: a participant as a person meets Whitecell: headless Chromium opens a team's
 * page, sees an inject arrive live, clicks Acknowledge, chooses a decision option and confirms it
 * with its reasons, answers, and switches language; the journal on disk has every one of those. A
 * wrong or expired link shows a page in the team's (or the browser's) language. Chromium is driven by
 * browser-util.c. Screenshots of the page are left in the build directory
 * (participant-page.png, participant-page-phone.png). */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "browser-util.h"
#include "wc-scenario-loader.h"
#include "wc-server.h"

typedef WcBrowserExercise Fixture;

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

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("browser.json");
  char *dir = g_dir_make_tmp ("whitecell-browser-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *note = NULL;
  WcScenario *scenario;

  g_assert_no_error (error);
  path = g_build_filename (dir, "scenario.json", NULL);
  note = g_build_filename (dir, "note.txt", NULL);
  g_assert_true (g_file_set_contents (path, scenario_json, -1, NULL));
  g_assert_true (g_file_set_contents (note, "jump host log", -1, NULL));
  scenario = wc_scenario_load (path, diag, &error);
  g_assert_no_error (error);
  wc_browser_exercise_open (f, dir, scenario);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  wc_browser_exercise_close (f);
}

static gboolean
csirt_acknowledged (gpointer data)
{
  Fixture *f = data;
  const WcTeamInjectState *ts = wc_engine_get_team_state (f->engine, "I-001", "csirt");

  return ts && ts->acknowledged_ms >= 0;
}

static gboolean
csirt_chose (gpointer data)
{
  Fixture *f = data;
  const WcTeamInjectState *ts = wc_engine_get_team_state (f->engine, "I-002", "csirt");

  return ts && g_strcmp0 (ts->option, "wait") == 0;
}

static gboolean
csirt_answered (gpointer data)
{
  Fixture *f = data;
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

  wc_browser_navigate (f->browser, url);

  /* before the start: the team, the exercise, no inject, a live connection */
  wc_browser_wait_for (f->browser, "document.getElementById('connection').dataset.state", "live");
  wc_browser_wait_for (f->browser, "document.getElementById('team-name').textContent", "National CSIRT");
  wc_browser_wait_for (f->browser, "document.getElementById('exercise-title').textContent", "Browser drill");
  wc_browser_wait_for (f->browser, "String(document.querySelectorAll('#injects .inject').length)", "0");
  wc_browser_wait_for (f->browser, "document.getElementById('empty').hidden ? 'hidden' : 'shown'", "shown");

  /* the controller starts and fires: the inject arrives by itself, newest first */
  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_no_error (error);
  wc_browser_wait_for (f->browser, "document.getElementById('exercise-state').dataset.state", "running");
  g_assert_true (wc_engine_fire_inject (f->engine, "I-001", &error));
  g_assert_no_error (error);
  g_assert_true (wc_engine_fire_inject (f->engine, "I-003", &error));
  g_assert_no_error (error);
  wc_browser_wait_for (f->browser, "String(document.querySelectorAll('#injects .inject').length)", "1");
  wc_browser_wait_for (f->browser, "document.querySelector('.inject .title').textContent", "Encrypted servers");
  wc_browser_wait_for (f->browser, "document.querySelector('.inject .tlp').textContent", "TLP:RED");
  wc_browser_wait_for (f->browser, "document.querySelector('.inject .sender').textContent", "SOC analyst");
  wc_browser_wait_for (f->browser, "document.querySelector('.inject .badge-new').textContent", "New");
  /* the hostile body is shown as text and never runs */
  wc_browser_wait_for (f->browser, "document.querySelector('.inject .body').textContent",
            "<img src=x onerror=\"document.body.dataset.pwned=1\">Files renamed to *.vial");
  wc_browser_wait_for (f->browser, "String(document.querySelectorAll('.inject .body img').length) + (document.body.dataset.pwned || '')", "0");
  /* the attachment downloads with the team's token */
  wc_browser_wait_for (f->browser, "fetch(document.querySelector('.attachments a').href).then(r => r.text())", "jump host log");
  /* another team's inject never shows */
  wc_browser_wait_for (f->browser, "String(document.body.textContent.includes('Not for the CSIRT'))", "false");
  wc_browser_screenshot (f->browser, "participant-page-new.png");

  /* Acknowledge: the engine has it, then the journal on disk, then the page says so */
  wc_browser_run (f->browser, "document.querySelector('.inject .ack').click()");
  wc_browser_wait_until (csirt_acknowledged, f);
  g_assert_true (journal_has (f, "inject-acknowledged", "I-001", NULL));
  wc_browser_wait_for (f->browser, "document.querySelector('.inject .ack').hidden ? 'hidden' : 'shown'", "hidden");
  wc_browser_wait_for (f->browser, "document.querySelector('.inject .ack-done').textContent.startsWith('✓ Acknowledged at T+') ? 'yes' : 'no'", "yes");

  /* an answer in the box */
  wc_browser_run (f->browser, "(() => { const li = document.querySelector('[data-id=\"I-001\"]');"
               " li.querySelector('.respond textarea').value = 'Isolated <b>FS-CLIN-02</b> at 07:20';"
               " li.querySelector('.send').click(); })()");
  wc_browser_wait_until (csirt_answered, f);
  g_assert_true (journal_has (f, "response", "I-001", "Isolated <b>FS-CLIN-02</b>"));
  /* sent with an Idempotency-Key, which the record keeps: a retry would be known */
  g_assert_true (journal_has (f, "response", "I-001", "\"key\""));
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-001\"] .responses p').textContent",
            "Isolated <b>FS-CLIN-02</b> at 07:20");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-001\"] .respond textarea').value", "");

  /* a decision, newest first, answered with a button and then a confirmation with its reasons */
  g_assert_true (wc_engine_fire_inject (f->engine, "I-002", &error));
  g_assert_no_error (error);
  wc_browser_wait_for (f->browser, "document.querySelector('#injects .inject').dataset.id", "I-002");
  wc_browser_wait_for (f->browser, "Array.from(document.querySelectorAll('[data-id=\"I-002\"] .option')).map(b => b.textContent).join('|')",
            "Warn now|Wait");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-002\"] .confirm').hidden ? 'hidden' : 'shown'", "hidden");
  /* a click only asks; cancelling records nothing */
  wc_browser_run (f->browser, "document.querySelector('[data-id=\"I-002\"] [data-option=\"warn\"]').click()");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-002\"] .confirm').hidden ? 'hidden' : 'shown'", "shown");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-002\"] .confirm-question').textContent",
            "Record your team's decision: “Warn now”?");
  wc_browser_wait_for (f->browser, "String(document.activeElement.classList.contains('reasons'))", "true");
  wc_browser_run (f->browser, "document.querySelector('[data-id=\"I-002\"] .confirm-no').click()");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-002\"] .confirm').hidden ? 'hidden' : 'shown'", "hidden");
  /* the page's round trip: had the click been sent, the server would have it by now */
  wc_browser_wait_for (f->browser, "fetch('/api/v1/injects?lang=en', {headers: {Authorization: 'Bearer ' + location.pathname.split('/')[2]}})"
            ".then(r => r.json()).then(j => String(j.injects.find(i => i.id === 'I-002').state.responses.length))", "0");
  g_assert_null (wc_engine_get_team_state (f->engine, "I-002", "csirt")->option);
  g_assert_false (journal_has (f, "response", "I-002", NULL));
  wc_browser_run (f->browser, "document.querySelector('[data-id=\"I-002\"] [data-option=\"wait\"]').click()");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-002\"] .confirm').hidden ? 'hidden' : 'shown'", "shown");
  wc_browser_run (f->browser, "document.querySelector('[data-id=\"I-002\"] .reasons').value = 'Hospital <i>IT</i> asked for 2 h'");
  wc_browser_screenshot (f->browser, "participant-page-confirm.png");
  wc_browser_run (f->browser, "document.querySelector('[data-id=\"I-002\"] .confirm-yes').click()");
  wc_browser_wait_until (csirt_chose, f);
  g_assert_true (journal_has (f, "response", "I-002", "\"wait\""));
  g_assert_true (journal_has (f, "response", "I-002", "Hospital <i>IT</i> asked for 2 h"));
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-002\"] .confirm').hidden ? 'hidden' : 'shown'", "hidden");
  wc_browser_wait_for (f->browser, "Array.from(document.querySelectorAll('[data-id=\"I-002\"] .responses p')).map(p => p.textContent).join('|')",
            "Chose: Wait|Hospital <i>IT</i> asked for 2 h");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-002\"] [data-option=\"wait\"]').getAttribute('aria-pressed')", "true");
  wc_browser_screenshot (f->browser, "participant-page.png");

  /* the team's language, switched: every text comes again in Dutch */
  wc_browser_run (f->browser, "(() => { const s = document.getElementById('lang-select'); s.value = 'nl';"
               " s.dispatchEvent(new Event('change')); })()");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-001\"] .title').textContent", "Versleutelde servers");
  wc_browser_wait_for (f->browser, "document.getElementById('team-name').textContent", "Nationaal CSIRT");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-002\"] .channel').textContent", "Beslissing");
  wc_browser_wait_for (f->browser, "document.documentElement.lang", "nl");
  wc_browser_wait_for (f->browser, "String(document.querySelectorAll('#injects .inject').length)", "2");

  /* a page opened afterwards (another browser, a reload) shows everything already sent */
  /* reloaded after the evaluation returns: a reload inside it fails it as "navigated" */
  wc_browser_run (f->browser, "document.documentElement.dataset.before = 'reload';"
                  " setTimeout(() => location.reload(), 0)");
  wc_browser_wait_for (f->browser, "document.documentElement.dataset.before || 'new page'", "new page");
  wc_browser_wait_for (f->browser, "document.getElementById('connection').dataset.state", "live");
  wc_browser_wait_for (f->browser, "Array.from(document.querySelectorAll('#injects .inject')).map(li => li.dataset.id).join(' ')",
            "I-002 I-001");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-001\"] .title').textContent", "Versleutelde servers");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-001\"] .badge-new').textContent", "");

  /* on a phone */
  wc_browser_set_viewport (f->browser, 390, 844, TRUE);
  wc_browser_wait_for (f->browser, "String(document.documentElement.scrollWidth <= 390)", "true");
  wc_browser_screenshot (f->browser, "participant-page-phone.png");

  /* the end: no more buttons to press */
  g_assert_true (wc_engine_end (f->engine, "done", &error));
  g_assert_no_error (error);
  wc_browser_wait_for (f->browser, "document.getElementById('exercise-state').dataset.state", "ended");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"I-002\"] .respond-box').hidden ? 'hidden' : 'shown'", "hidden");
}

/* Sends Accept-Language: @languages from now on, as a browser set to them would. */
static void
set_accept_language (WcBrowser  *browser,
                     const char *languages)
{
  g_autofree char *agent = wc_browser_evaluate (browser, "navigator.userAgent");
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "userAgent", agent);
  json_object_set_string_member (params, "acceptLanguage", languages);
  wc_browser_cdp (browser, "Emulation.setUserAgentOverride", params);
}

/* A wrong link shows a page, not JSON, in the browser's language among the page's; the API keeps
 * answering in JSON. */
static void
test_bad_token (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *base = wc_server_get_base_url (f->server);
  g_autofree char *url = g_strconcat (base, "/t/0123456789abcdef0123456789abcdef", NULL);

  wc_browser_navigate (f->browser, url);
  wc_browser_wait_for (f->browser, "document.querySelector('h1').textContent", "This link does not work");
  wc_browser_wait_for (f->browser, "document.contentType", "text/html");
  wc_browser_wait_for (f->browser, "document.documentElement.lang", "en");
  /* the page's style sheet applies under the Content-Security-Policy */
  wc_browser_wait_for (f->browser, "getComputedStyle(document.querySelector('.link-problem')).borderLeftStyle", "solid");
  wc_browser_screenshot (f->browser, "participant-link-wrong.png");

  set_accept_language (f->browser, "de-DE,fr-BE;q=0.8,nl;q=0.6,en;q=0.4");
  wc_browser_navigate (f->browser, url);
  wc_browser_wait_for (f->browser, "document.documentElement.lang", "fr");
  wc_browser_wait_for (f->browser, "document.querySelector('h1').textContent", "Ce lien ne fonctionne pas");
  set_accept_language (f->browser, "nl-BE,nl;q=0.9,fr;q=0.5");
  wc_browser_navigate (f->browser, url);
  wc_browser_wait_for (f->browser, "document.querySelector('h1').textContent", "Deze link werkt niet");

  /* the API is for programs: JSON */
  wc_browser_wait_for (f->browser, "fetch('/api/v1/me', {headers: {Authorization: 'Bearer nope'}})"
            ".then(r => r.headers.get('Content-Type').split(';')[0] + ' ' + r.status)",
            "application/json 401");
}

/* After the hot wash, a team's link says the exercise is over, in the team's own language whatever
 * the browser's; the API says 410 in JSON. */
static void
test_expired_link (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = wc_server_get_join_url (f->server, "csirt");

  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_no_error (error);
  g_assert_true (wc_engine_end (f->engine, "done", &error));
  g_assert_no_error (error);
  wc_server_close_teams (f->server);

  set_accept_language (f->browser, "nl-BE,nl;q=0.9");
  wc_browser_navigate (f->browser, url);
  /* the CSIRT's language is English: the team's page speaks it, not the browser's Dutch */
  wc_browser_wait_for (f->browser, "document.querySelector('h1').textContent", "The exercise is over");
  wc_browser_wait_for (f->browser, "document.documentElement.lang", "en");
  wc_browser_wait_for (f->browser, "String(document.body.textContent.includes('{'))", "false");
  wc_browser_wait_for (f->browser, "fetch('/api/v1/me', {headers: {Authorization: 'Bearer ' + location.pathname.split('/')[2]}})"
            ".then(r => r.json().then(j => r.status + ' ' + typeof j.error))", "410 string");
  wc_browser_screenshot (f->browser, "participant-link-expired.png");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!wc_browser_available ("/browser/participant-page"))
    return g_test_run ();
  g_test_add ("/browser/participant-page", Fixture, NULL, fixture_setup, test_participant_page, fixture_teardown);
  g_test_add ("/browser/bad-token", Fixture, NULL, fixture_setup, test_bad_token, fixture_teardown);
  g_test_add ("/browser/expired-link", Fixture, NULL, fixture_setup, test_expired_link, fixture_teardown);
  return g_test_run ();
}
