/* test-browser-eval.c: the exercise staff and the hot wash as people meet them: in headless
 * Chromium an evaluator's page lists what waits for a judgement, judges one (the engine holds it,
 * by her), sees another leave the queue when someone else judges it, records an observation and
 * rates an objective; an observer's page has the same things and no form to send; on a phone
 * nothing scrolls sideways, in light or dark; once the exercise has ended a team's page asks for feedback and the
 * engine keeps it. Screenshots are left in the build directory (evaluator-page.png,
 * evaluator-page-phone.png, observer-page.png, participant-hot-wash.png). */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "browser-util.h"
#include "wc-scenario-loader.h"
#include "wc-server.h"

typedef WcBrowserExercise Fixture;

/* A decision with a rule ("option:isolate") and an action only a person can judge; hostile text
 * in a team's name, which the page must show and not run. */
static const char scenario_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"eval\", \"title\": \"Evaluation drill\", \"tlp\": \"AMBER\", \"duration\": \"T+02:00\",\n"
  "   \"languages\": [\"en\", \"nl\", \"fr\"],\n"
  "   \"objectives\": [{\"id\": \"O1\", \"text\": \"Decide on containment in time\"}]},\n"
  " \"teams\": [{\"id\": \"a\", \"name\": \"Alpha CSIRT\", \"kind\": \"csirt\", \"language\": \"en\"},\n"
  "           {\"id\": \"b\", \"name\": \"<img src=x onerror=\\\"document.body.dataset.pwned=1\\\">Bravo\", \"kind\": \"operator\"}],\n"
  " \"staff\": [{\"id\": \"eve\", \"name\": \"Eve Evaluator\", \"role\": \"evaluator\"},\n"
  "           {\"id\": \"olga\", \"name\": \"Olga Observer\", \"role\": \"observer\"}],\n"
  " \"injects\": [\n"
  "  {\"id\": \"D\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"decision\", \"to\": \"all\",\n"
  "   \"title\": \"Isolate the clinical network?\", \"body\": \"Decide now.\",\n"
  "   \"options\": [{\"id\": \"isolate\", \"text\": \"Isolate\"}, {\"id\": \"wait\", \"text\": \"Wait\"}],\n"
  "   \"expected_actions\": [\n"
  "     {\"id\": \"decide\", \"text\": \"Isolate the network\", \"deadline\": \"00:15\", \"objective\": \"O1\", \"judge\": \"option:isolate\"},\n"
  "     {\"id\": \"brief\", \"text\": \"Brief the board\", \"objective\": \"O1\"}]}\n"
  " ]}\n";

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("eval.json");
  char *dir = g_dir_make_tmp ("whitecell-browser-eval-XXXXXX", &error);
  WcScenario *scenario;

  g_assert_no_error (error);
  scenario = wc_scenario_load_data (scenario_json, strlen (scenario_json), NULL, diag, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
  wc_scenario_set_sha256 (scenario, "0000000000000000000000000000000000000000000000000000000000000000");
  wc_browser_exercise_open (f, dir, scenario);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  wc_browser_exercise_close (f);
}

static char *
staff_url (Fixture    *f,
           const char *staff_id)
{
  g_autofree char *base = wc_server_get_base_url (f->server);
  const char *token = wc_tokens_get_staff_token (f->tokens, staff_id);

  g_assert_nonnull (token);
  return g_strconcat (base, "/e/", token, NULL);
}

/* The decision's first expected action, "decide" */
#define DECIDE(f) ((const WcExpectedAction *) \
  g_ptr_array_index (wc_scenario_find_inject ((f)->scenario, "D")->expected_actions, 0))

static gboolean
bravo_judged (gpointer data)
{
  Fixture *f = data;
  WcJudgement j;

  wc_engine_get_judgement (f->engine, "D", "b", DECIDE (f), &j);
  return j.verdict == WC_VERDICT_NOT_MET;
}

/* The last journal record of @type whose "by" is @by (borrowed), or NULL. */
static JsonObject *
record_by (Fixture    *f,
           const char *type,
           const char *by)
{
  WcJournal *journal = wc_engine_get_journal (f->engine);

  for (guint i = wc_journal_get_n_records (journal); i > 0; i--)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i - 1);

      if (strcmp (r->type, type) == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (r->data, "by", NULL), by) == 0)
        return r->data;
    }
  return NULL;
}

static gboolean
observed (gpointer data)
{
  return record_by (data, "observation", "eve") != NULL;
}

static gboolean
rated (gpointer data)
{
  return record_by (data, "objective-rated", "eve") != NULL;
}

static gboolean
feedback_given (gpointer data)
{
  Fixture *f = data;

  return wc_engine_get_feedback (f->engine, "a") != NULL;
}

#define QUEUE_ITEM(team, action) \
  "document.querySelector('#queue li[data-inject=\"D\"][data-team=\"" team "\"][data-action=\"" action "\"]')"
#define N_QUEUED "String(document.querySelectorAll('#queue li.assess').length)"
/* forms an observer could still send: none is shown with its fields enabled */
#define N_OPEN_FORMS \
  "String(Array.from(document.querySelectorAll('form.judge')).filter(f => !f.hidden && " \
  "f.offsetParent !== null && !f.querySelector('fieldset').disabled).length)"

static void
test_evaluator_page (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *eve = staff_url (f, "eve");
  g_autofree char *olga = staff_url (f, "olga");
  g_autofree char *team = wc_server_get_join_url (f->server, "a");
  JsonObject *record, *feedback;
  WcJudgement j;

  /* the decision reached both teams; Alpha chose what the rule expects */
  g_assert_true (wc_engine_start (f->engine, &error));
  g_assert_no_error (error);
  g_assert_true (wc_engine_fire_inject (f->engine, "D", &error));
  g_assert_no_error (error);
  g_assert_true (wc_engine_respond (f->engine, "D", "a", NULL, "isolate", &error));
  g_assert_no_error (error);

  /* who I am, the clock, and what waits for a judgement, with the rule's proposal */
  wc_browser_set_viewport (f->browser, 1280, 1700, FALSE);
  wc_browser_navigate (f->browser, eve);
  wc_browser_wait_for (f->browser, "document.getElementById('connection').dataset.state", "live");
  wc_browser_wait_for (f->browser, "document.getElementById('staff-name').textContent", "Eve Evaluator");
  wc_browser_wait_for (f->browser, "document.getElementById('staff-role').textContent", "Evaluator");
  wc_browser_wait_for (f->browser, "document.getElementById('exercise-state').dataset.state", "running");
  wc_browser_wait_for (f->browser, N_QUEUED, "4");
  wc_browser_wait_for (f->browser, QUEUE_ITEM ("a", "decide") ".querySelector('.proposal').textContent.startsWith('The rule proposes: Met') ? 'proposed' : 'no'",
                       "proposed");
  wc_browser_wait_for (f->browser, QUEUE_ITEM ("b", "brief") ".querySelector('.proposal').textContent",
                       "No rule: judge it yourself.");
  wc_browser_wait_for (f->browser, QUEUE_ITEM ("b", "decide") ".querySelector('.action').textContent",
                       "Isolate the network");
  /* a team's name is text, never markup */
  wc_browser_wait_for (f->browser, QUEUE_ITEM ("b", "decide") ".querySelector('.team-name').textContent",
                       "<img src=x onerror=\"document.body.dataset.pwned=1\">Bravo");
  wc_browser_wait_for (f->browser, "String(document.querySelectorAll('main img').length) + (document.body.dataset.pwned || '')", "0");
  wc_browser_wait_for (f->browser, "document.getElementById('queue-count').textContent", "4");
  /* the live MSEL: the inject, and how far each team got */
  wc_browser_wait_for (f->browser, "document.querySelector('#msel li[data-id=\"D\"] .title').textContent",
                       "Isolate the clinical network?");
  wc_browser_wait_for (f->browser, "document.querySelector('#msel li[data-id=\"D\"] li[data-team=\"a\"]').dataset.step",
                       "answered");
  wc_browser_wait_for (f->browser, "document.querySelector('#msel li[data-id=\"D\"] li[data-team=\"b\"] .step').textContent",
                       "sent");

  /* a verdict is needed before anything is sent */
  wc_browser_run (f->browser, QUEUE_ITEM ("b", "decide") ".querySelector('.send').click()");
  wc_browser_wait_for (f->browser, QUEUE_ITEM ("b", "decide") ".querySelector('.form-error').textContent",
                       "Choose a verdict first.");

  /* judged from the page: the engine holds it, by her, and it leaves the queue */
  wc_browser_run (f->browser, "(() => { const li = " QUEUE_ITEM ("b", "decide") ";"
                  " li.querySelector('input[value=\"not-met\"]').click();"
                  " li.querySelector('textarea').value = 'Chose to wait';"
                  " li.querySelector('.send').click(); })()");
  wc_browser_wait_until (bravo_judged, f);
  wc_engine_get_judgement (f->engine, "D", "b", DECIDE (f), &j);
  g_assert_cmpstr (j.by, ==, "eve");
  g_assert_cmpstr (j.note, ==, "Chose to wait");
  g_assert_false (j.automatic);
  wc_browser_wait_for (f->browser, N_QUEUED, "3");
  wc_browser_wait_for (f->browser, "String(" QUEUE_ITEM ("b", "decide") ")", "null");

  /* someone else judges: the item leaves this page's queue live, from the event stream */
  g_assert_true (wc_engine_assess (f->engine, "D", "a", "brief", WC_VERDICT_PARTIAL, NULL, &error));
  g_assert_no_error (error);
  wc_browser_wait_for (f->browser, N_QUEUED, "2");
  wc_browser_wait_for (f->browser, "String(" QUEUE_ITEM ("a", "brief") ")", "null");

  /* the server's refusal stays next to the form that caused it */
  wc_browser_run (f->browser, "(() => { const form = document.getElementById('observe-form');"
                  " form.elements.team.append(new Option('nobody', 'nobody'));"
                  " form.elements.team.value = 'nobody';"
                  " form.elements.text.value = 'About nobody';"
                  " form.querySelector('.send').click(); })()");
  wc_browser_wait_for (f->browser, "document.querySelector('#observe-form .form-error').hidden ? 'hidden' : 'shown'",
                       "shown");
  wc_browser_wait_for (f->browser, "document.querySelector('#observe-form .form-error').textContent.startsWith('Could not send: ') ? 'said' : 'silent'",
                       "said");
  g_assert_null (record_by (f, "observation", "eve"));

  /* an observation about a team, the inject and the objective */
  wc_browser_run (f->browser, "(() => { const form = document.getElementById('observe-form');"
                  " form.elements.text.value = 'Alpha escalated <b>at once</b>';"
                  " form.querySelector('input[value=\"strength\"]').click();"
                  " form.elements.team.value = 'a';"
                  " form.elements.inject.value = 'D';"
                  " form.elements.objective.value = 'O1';"
                  " form.querySelector('.send').click(); })()");
  wc_browser_wait_until (observed, f);
  record = record_by (f, "observation", "eve");
  g_assert_cmpstr (json_object_get_string_member (record, "text"), ==, "Alpha escalated <b>at once</b>");
  g_assert_cmpstr (json_object_get_string_member (record, "kind"), ==, "strength");
  g_assert_cmpstr (json_object_get_string_member (record, "team"), ==, "a");
  g_assert_cmpstr (json_object_get_string_member (record, "inject"), ==, "D");
  g_assert_cmpstr (json_object_get_string_member (record, "objective"), ==, "O1");
  /* sent with a key of the page's own, 32 hex digits: a retry would be recorded once */
  g_assert_cmpuint (strlen (wc_record_get_key (record)), ==, 32);
  wc_browser_wait_for (f->browser, "document.querySelector('#observations li .text').textContent",
                       "Alpha escalated <b>at once</b>");
  wc_browser_wait_for (f->browser, "document.querySelector('#observations li').dataset.kind", "strength");
  wc_browser_wait_for (f->browser, "String(document.querySelectorAll('#observations li').length)", "1");
  wc_browser_wait_for (f->browser, "document.querySelector('#observe-form .form-error').hidden ? 'hidden' : 'shown'",
                       "hidden");
  wc_browser_wait_for (f->browser, "document.querySelector('#observe-form textarea').value", "");

  /* the evaluation guide: a rating of the objective, with its rationale */
  wc_browser_wait_for (f->browser, "document.querySelector('#objectives li[data-id=\"O1\"] .title').textContent",
                       "Decide on containment in time");
  wc_browser_run (f->browser, "(() => { const li = document.querySelector('#objectives li[data-id=\"O1\"]');"
                  " li.querySelector('input[value=\"some-challenges\"]').click();"
                  " li.querySelector('textarea').value = 'Bravo waited';"
                  " li.querySelector('.send').click(); })()");
  wc_browser_wait_until (rated, f);
  record = record_by (f, "objective-rated", "eve");
  g_assert_cmpstr (json_object_get_string_member (record, "objective"), ==, "O1");
  g_assert_cmpstr (json_object_get_string_member (record, "rating"), ==, "some-challenges");
  g_assert_cmpstr (json_object_get_string_member (record, "rationale"), ==, "Bravo waited");
  wc_browser_wait_for (f->browser, "document.querySelector('#objectives li[data-id=\"O1\"] .ratings li').dataset.rating",
                       "some-challenges");
  wc_browser_wait_for (f->browser, "document.querySelector('#objectives li[data-id=\"O1\"] .ratings .rating').textContent",
                       "Performed with some challenges");
  wc_browser_screenshot (f->browser, "evaluator-page.png");

  /* in French, the page's own words */
  wc_browser_run (f->browser, "(() => { const s = document.getElementById('lang-select'); s.value = 'fr';"
                  " s.dispatchEvent(new Event('change')); })()");
  wc_browser_wait_for (f->browser, "document.getElementById('queue-title').textContent", "À évaluer");
  wc_browser_wait_for (f->browser, "document.documentElement.lang", "fr");
  wc_browser_run (f->browser, "(() => { const s = document.getElementById('lang-select'); s.value = 'en';"
                  " s.dispatchEvent(new Event('change')); })()");
  wc_browser_wait_for (f->browser, "document.getElementById('queue-title').textContent", "To assess");

  /* on a phone, in the dark: nothing wider than the screen */
  wc_browser_set_viewport (f->browser, 390, 844, TRUE);
  wc_browser_set_dark (f->browser, TRUE);
  wc_browser_wait_for (f->browser, "String(document.documentElement.scrollWidth <= 390)", "true");
  wc_browser_wait_for (f->browser, "getComputedStyle(document.body).backgroundColor", "rgb(30, 30, 30)");
  wc_browser_screenshot (f->browser, "evaluator-page-phone.png");
  wc_browser_set_dark (f->browser, FALSE);

  /* an observer sees the same, and has nothing to send */
  wc_browser_set_viewport (f->browser, 1280, 1700, FALSE);
  wc_browser_navigate (f->browser, olga);
  wc_browser_wait_for (f->browser, "document.getElementById('staff-role').textContent", "Observer");
  wc_browser_wait_for (f->browser, "document.getElementById('connection').dataset.state", "live");
  wc_browser_wait_for (f->browser, N_QUEUED, "2");
  wc_browser_wait_for (f->browser, "document.querySelector('#objectives li[data-id=\"O1\"] .ratings li').dataset.rating",
                       "some-challenges");
  wc_browser_wait_for (f->browser, N_OPEN_FORMS, "0");
  wc_browser_wait_for (f->browser, "document.getElementById('readonly').hidden ? 'hidden' : 'shown'", "shown");
  wc_browser_screenshot (f->browser, "observer-page.png");

  /* the end: the team's page stays to be read, takes no more answers, asks for feedback */
  g_assert_true (wc_engine_end (f->engine, "done", &error));
  g_assert_no_error (error);
  wc_browser_navigate (f->browser, team);
  wc_browser_wait_for (f->browser, "document.getElementById('exercise-state').dataset.state", "ended");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"D\"] .title').textContent",
                       "Isolate the clinical network?");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"D\"] .respond-box').hidden ? 'hidden' : 'shown'", "hidden");
  wc_browser_wait_for (f->browser, "String(document.querySelector('[data-id=\"D\"] [data-option=\"wait\"]').disabled)", "true");
  wc_browser_wait_for (f->browser, "document.querySelector('[data-id=\"D\"] [data-option=\"isolate\"]').getAttribute('aria-pressed')", "true");
  wc_browser_wait_for (f->browser, "document.getElementById('feedback').hidden ? 'hidden' : 'shown'", "shown");
  wc_browser_wait_for (f->browser, "document.getElementById('feedback-send').textContent", "Send feedback");
  wc_browser_run (f->browser, "(() => { const form = document.getElementById('feedback-form');"
                  " form.elements.strengths.value = 'Clear roles';"
                  " form.elements.improvements.value = 'Slow escalation';"
                  " form.querySelector('input[name=\"realism\"][value=\"4\"]').click();"
                  " form.querySelector('input[name=\"usefulness\"][value=\"5\"]').click();"
                  " form.elements.text.value = 'More of these';"
                  " document.getElementById('feedback-send').click(); })()");
  wc_browser_wait_until (feedback_given, f);
  feedback = wc_engine_get_feedback (f->engine, "a");
  g_assert_cmpstr (json_object_get_string_member (feedback, "strengths"), ==, "Clear roles");
  g_assert_cmpstr (json_object_get_string_member (feedback, "improvements"), ==, "Slow escalation");
  g_assert_cmpint (json_object_get_int_member (feedback, "realism"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (feedback, "usefulness"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (feedback, "text"), ==, "More of these");
  wc_browser_wait_for (f->browser, "document.getElementById('feedback-given').hidden ? 'hidden' : 'shown'", "shown");
  wc_browser_wait_for (f->browser, "document.getElementById('feedback-send').textContent", "Change feedback");
  wc_browser_screenshot (f->browser, "participant-hot-wash.png");

  /* opened again, the page shows the feedback given, to change it */
  wc_browser_navigate (f->browser, team);
  wc_browser_wait_for (f->browser, "document.getElementById('feedback-form').elements.strengths.value", "Clear roles");
  wc_browser_wait_for (f->browser, "document.querySelector('input[name=\"realism\"]:checked').value", "4");
  wc_browser_run (f->browser, "(() => { const form = document.getElementById('feedback-form');"
                  " form.elements.strengths.value = 'Very clear roles';"
                  " document.getElementById('feedback-send').click(); })()");
  wc_browser_wait_for (f->browser, "document.getElementById('feedback-send').textContent", "Change feedback");
  wc_browser_wait_for (f->browser, "fetch('/api/v1/feedback', {headers: {Authorization: 'Bearer ' + "
                       "location.pathname.split('/')[2]}}).then(r => r.json()).then(j => j.feedback.strengths)",
                       "Very clear roles");
  g_assert_cmpstr (json_object_get_string_member (wc_engine_get_feedback (f->engine, "a"), "strengths"),
                   ==, "Very clear roles");
  /* on a phone too */
  wc_browser_set_viewport (f->browser, 390, 844, TRUE);
  wc_browser_wait_for (f->browser, "String(document.documentElement.scrollWidth <= 390)", "true");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!wc_browser_available ("/whitecell/browser-eval/evaluator-page"))
    return g_test_run ();
  g_test_add ("/whitecell/browser-eval/evaluator-page", Fixture, NULL, fixture_setup,
              test_evaluator_page, fixture_teardown);
  return g_test_run ();
}
