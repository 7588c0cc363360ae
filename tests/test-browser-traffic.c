/* test-browser-traffic.c: the coordination loop as the teams meet it on their pages, in headless
 * Chromium at phone width (360 px), in Dutch, French and English: the exercise marking in the
 * page's language on the header and on every item; an operator files an early warning through
 * the page and the CSIRT's page (another browser) shows it live; the CSIRT sends a Spear Warning
 * that the operator acknowledges, and the CSIRT's page sees the acknowledgement; the crisis
 * centre publishes a situation report that every page shows; an attachment goes and comes
 * back, and an oversized or wrong-type upload shows the server's error. Screenshots are left in
 * the build directory (traffic-*.png). */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "browser-util.h"
#include "wc-scenario-loader.h"
#include "wc-server.h"

typedef struct {
  WcBrowserExercise x;
  WcBrowser        *other;  /* a second team's page, open at the same time */
} Fixture;

typedef struct {
  const char *lang;
  const char *marking;
} Language;

static const Language languages[] = {
  { "nl", "OEFENING" },
  { "fr", "EXERCICE" },
  { "en", "EXERCISE" },
};

/* Two operators of one sector, the national CSIRT, the crisis centre; the operator's incident
 * inject starts its reporting clock. Hostile text on purpose: pages must show it, not run it. */
static const char scenario_json[] =
  "{\"format\": \"whitecell-scenario\", \"version\": 1,\n"
  " \"exercise\": {\"id\": \"loop\", \"title\": \"Loop drill\", \"tlp\": \"AMBER\",\n"
  "   \"languages\": [\"nl\", \"fr\", \"en\"], \"duration\": \"T+04:00\"},\n"
  " \"teams\": [\n"
  "  {\"id\": \"grid\", \"name\": {\"en\": \"Grid operator\", \"nl\": \"Netbeheerder\", \"fr\": \"Gestionnaire de réseau\"},\n"
  "   \"kind\": \"operator\", \"sector\": \"energy\", \"language\": \"nl\"},\n"
  "  {\"id\": \"plant\", \"name\": \"Power plant <b>North</b>\", \"kind\": \"operator\", \"sector\": \"energy\", \"language\": \"fr\"},\n"
  "  {\"id\": \"ccb\", \"name\": {\"en\": \"CCB / CERT.be\", \"nl\": \"CCB / CERT.be\", \"fr\": \"CCB / CERT.be\"},\n"
  "   \"kind\": \"csirt\", \"language\": \"en\"},\n"
  "  {\"id\": \"ncca\", \"name\": \"NCCN\", \"kind\": \"crisis-centre\", \"language\": \"en\"}],\n"
  " \"coordination\": {\"deadlines\": {\"early-warning\": \"00:24\", \"notification\": \"01:12\", \"final-report\": \"04:00\"}},\n"
  " \"injects\": [\n"
  "  {\"id\": \"I-001\", \"trigger\": {\"type\": \"manual\"}, \"channel\": \"email\", \"to\": [\"grid\"], \"incident\": true,\n"
  "   \"title\": \"SCADA alarms\", \"body\": \"Substations report odd commands.\"}\n"
  " ]}\n";

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("loop.json");
  char *dir = g_dir_make_tmp ("whitecell-traffic-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *chromium = wc_browser_find ();
  g_autofree char *other_dir = NULL;
  WcScenario *scenario;

  g_assert_no_error (error);
  path = g_build_filename (dir, "scenario.json", NULL);
  g_assert_true (g_file_set_contents (path, scenario_json, -1, NULL));
  scenario = wc_scenario_load (path, diag, &error);
  g_assert_no_error (error);
  wc_browser_exercise_open (&f->x, dir, scenario);
  /* a second Chromium with a profile of its own, for the team on the other end */
  other_dir = g_build_filename (dir, "other", NULL);
  g_assert_cmpint (g_mkdir (other_dir, 0700), ==, 0);
  f->other = wc_browser_new (chromium, other_dir);
  wc_browser_set_viewport (f->x.browser, 360, 800, TRUE);
  wc_browser_set_viewport (f->other, 360, 800, TRUE);
  g_assert_true (wc_engine_start (f->x.engine, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  wc_browser_free (f->other);
  wc_browser_exercise_close (&f->x);
}

/* Opens @team's page in @browser, in @lang, on @tab, once it is live. */
static void
open_page (Fixture    *f,
           WcBrowser  *browser,
           const char *team,
           const char *lang,
           const char *tab)
{
  g_autofree char *url = wc_server_get_join_url (f->x.server, team);
  g_autofree char *choose = g_strdup_printf ("(() => { const s = document.getElementById('lang-select');"
                                             " s.value = '%s'; s.dispatchEvent(new Event('change')); })()",
                                             lang);
  g_autofree char *click = g_strdup_printf ("document.getElementById('tab-%s').click()", tab);

  wc_browser_navigate (browser, url);
  wc_browser_wait_for (browser, "document.getElementById('connection').dataset.state", "live");
  wc_browser_run (browser, choose);
  wc_browser_wait_for (browser, "document.documentElement.lang", lang);
  wc_browser_wait_for (browser, "document.getElementById('connection').dataset.state", "live");
  wc_browser_run (browser, click);
  wc_browser_wait_for (browser, "document.body.dataset.tab", tab);
}

/* The page fits a phone: nothing wider than the screen. */
static void
assert_fits (WcBrowser *browser)
{
  wc_browser_wait_for (browser, "String(document.documentElement.scrollWidth <= 360)", "true");
}

/* Sends the page's form @form (its id) and waits for the line that says it went. */
static void
send_form (WcBrowser  *browser,
           const char *form)
{
  g_autofree char *click = g_strdup_printf ("document.querySelector('#%s .send').click()", form);
  g_autofree char *done = g_strdup_printf ("document.querySelector('#%s .form-done').hidden ? "
                                           "'hidden' : 'shown'", form);

  wc_browser_run (browser, click);
  wc_browser_wait_for (browser, done, "shown");
}

/* The journal on disk holds a record of @type whose line has @needle. */
static gboolean
journal_has (Fixture    *f,
             const char *type,
             const char *needle)
{
  g_autofree char *contents = NULL;
  g_autofree char *typed = g_strdup_printf ("\"type\":\"%s\"", type);
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (f->x.journal, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *compact = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (*lines[i] == '\0' || !json_parser_load_from_data (parser, lines[i], -1, NULL))
        continue;
      compact = json_to_string (json_parser_get_root (parser), FALSE);
      if (strstr (compact, typed) && strstr (compact, needle))
        return TRUE;
    }
  return FALSE;
}

/* Saves @browser's page as traffic-@what-LANG.png. */
static void
shoot (WcBrowser      *browser,
       const char     *what,
       const Language *l)
{
  g_autofree char *name = g_strdup_printf ("traffic-%s-%s.png", what, l->lang);

  wc_browser_screenshot (browser, name);
}

/* Waits (serving the page) until the journal on disk has a record of @type with @needle: the
 * journal's writer makes it durable a moment after the engine has it. */
static void
wait_journal (Fixture    *f,
              const char *type,
              const char *needle)
{
  gint64 deadline = g_get_monotonic_time () + WC_BROWSER_TIMEOUT_S * G_USEC_PER_SEC;

  while (!journal_has (f, type, needle) && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
  if (!journal_has (f, type, needle))
    g_error ("no %s record with %s in the journal", type, needle);
}

static const char *
string_for (const Language *l,
            const char     *nl,
            const char     *fr,
            const char     *en)
{
  return strcmp (l->lang, "nl") == 0 ? nl : strcmp (l->lang, "fr") == 0 ? fr : en;
}

static void
test_loop (Fixture       *f,
           gconstpointer  data)
{
  const Language *l = data;
  WcBrowser *operator = f->other, *csirt = f->x.browser;
  g_autoptr(GError) error = NULL;
  g_autofree char *due = NULL;
  const WcTrafficItem *item;
  GPtrArray *all;

  /* the operator learns of its incident: its reporting clock starts */
  g_assert_true (wc_engine_fire_inject (f->x.engine, "I-001", &error));
  g_assert_no_error (error);

  /* the CSIRT's page is open, before anything is sent to it */
  open_page (f, csirt, "ccb", l->lang, "inbox");
  wc_browser_wait_for (csirt, "document.getElementById('marking').textContent", l->marking);
  wc_browser_wait_for (csirt, "String(document.querySelectorAll('#inbox .msg').length)", "0");
  wc_browser_wait_for (csirt, "document.getElementById('tab-warn').hidden ? 'hidden' : 'shown'", "shown");

  /* the operator's page: the marking on the header, the deadlines counting down */
  open_page (f, operator, "grid", l->lang, "notify");
  wc_browser_wait_for (operator, "document.getElementById('marking').textContent", l->marking);
  wc_browser_wait_for (operator, "document.getElementById('tab-warn').hidden ? 'hidden' : 'shown'", "hidden");
  wc_browser_wait_for (operator, "document.querySelector('#deadlines [data-stage=\"early-warning\"]').dataset.status", "open");
  /* from the inject's delivery to the page, a moment after the clock started */
  due = g_strdup_printf ("document.querySelector('#deadlines [data-stage=\"early-warning\"] .status')"
                         ".textContent.startsWith('%s')",
                         string_for (l, "uiterlijk T+00:24:0", "au plus tard à T+00:24:0",
                                     "due at T+00:24:0"));
  wc_browser_wait_for (operator, due, "true");
  wc_browser_wait_for (operator, "String(document.querySelectorAll('#deadlines li').length)", "3");
  wc_browser_wait_for (operator, "document.querySelector('#notify-form select[name=to]').value", "ccb");
  /* later stages' fields wait for them */
  wc_browser_wait_for (operator, "document.querySelector('#notify-form [name=iocs]').closest('label').hidden ? 'hidden' : 'shown'", "hidden");
  assert_fits (operator);
  shoot (operator, "notify", l);

  /* it files an early warning; the CSIRT's page shows it live, with its stage and marking */
  wc_browser_run (operator, "(() => { const form = document.getElementById('notify-form');"
                  " form.elements.what.value = 'Ransomware <img src=x onerror=\"document.body.dataset.pwned=1\"> on SCADA';"
                  " form.elements.detected_at.value = 'T+00:05';"
                  " form.elements.malicious.value = 'yes';"
                  " form.elements.cross_border.checked = true;"
                  " form.elements.contact.value = 'SOC +32 2 000 00 00'; })()");
  send_form (operator, "notify-form");
  wc_browser_wait_for (operator, "document.querySelector('#deadlines [data-stage=\"early-warning\"]').dataset.status", "done");
  wait_journal (f, "notification-filed", "\"stage\":\"early-warning\"");
  wait_journal (f, "notification-filed", "\"cross_border\":true");
  wc_browser_wait_for (csirt, "String(document.querySelectorAll('#inbox .msg').length)", "1");
  wc_browser_wait_for (csirt, "document.querySelector('#inbox .msg').dataset.kind", "notification");
  wc_browser_wait_for (csirt, "document.querySelector('#inbox .msg .stage').textContent",
                       string_for (l, "Vroegtijdige waarschuwing", "Alerte précoce", "Early warning"));
  wc_browser_wait_for (csirt, "document.querySelector('#inbox .msg .marking').textContent", l->marking);
  wc_browser_wait_for (csirt, "document.querySelector('#inbox .msg .tlp').textContent", "TLP:AMBER");
  wc_browser_wait_for (csirt, "document.querySelector('#inbox .msg .content .text').textContent",
                       "Ransomware <img src=x onerror=\"document.body.dataset.pwned=1\"> on SCADA");
  wc_browser_wait_for (csirt, "String(document.querySelectorAll('#inbox img').length) + (document.body.dataset.pwned || '')", "0");
  wc_browser_wait_for (csirt, "document.querySelector('#inbox .msg').classList.contains('fresh') ? 'fresh' : 'old'", "fresh");
  /* the authority's queue: the waiting notification counted, and more information asked for */
  wc_browser_wait_for (csirt, "document.querySelector('#inbox-filters [data-filter=notification] .count').textContent", "1");
  wc_browser_run (csirt, "document.querySelector('#inbox .msg .more-info').click()");
  wc_browser_run (csirt, "(() => { const form = document.querySelector('#inbox .msg .reply');"
                  " form.querySelector('textarea').value = 'Which substations?';"
                  " form.querySelector('.send').click(); })()");
  wc_browser_wait_for (csirt, "String(document.querySelectorAll('#inbox .msg .thread .msg').length)", "1");
  wait_journal (f, "message-sent", "\"purpose\":\"more-information\"");
  wc_browser_wait_for (operator, "String(document.querySelectorAll('#inbox .msg .thread .msg').length)", "1");
  wc_browser_wait_for (operator, "document.querySelector('#inbox .thread .msg .content .text').textContent",
                       "Which substations?");
  assert_fits (csirt);
  shoot (csirt, "queue", l);

  /* the CSIRT warns the other operator (a Spear Warning), in two languages, with indicators */
  wc_browser_run (csirt, "document.getElementById('tab-warn').click()");
  wc_browser_wait_for (csirt, "Array.from(document.querySelectorAll('#warn-texts fieldset')).map(s => s.dataset.lang).join(' ')",
                       "nl fr en");
  wc_browser_run (csirt, "(() => { const form = document.getElementById('warn-form');"
                  " form.elements.to.value = 'plant';"
                  " form.elements['headline-en'].value = 'Ransomware hitting grid SCADA';"
                  " form.elements['description-en'].value = 'Seen at a grid operator.';"
                  " form.elements['instruction-en'].value = 'Block the IP below.';"
                  " form.elements['headline-fr'].value = 'Rançongiciel visant le SCADA';"
                  " form.elements.asset.value = '198.51.100.7';"
                  " document.getElementById('warn-add-indicator').click();"
                  " const row = document.querySelector('#warn-indicators .indicator');"
                  " row.querySelector('select').value = 'ip-dst';"
                  " row.querySelector('input').value = '203.0.113.9';"
                  " form.elements.severity.value = 'Severe';"
                  " form.elements.tlp.value = 'AMBER+STRICT'; })()");
  assert_fits (csirt);
  shoot (csirt, "warn", l);
  send_form (csirt, "warn-form");
  wait_journal (f, "warning-issued", "\"form\":\"spear\"");
  wait_journal (f, "warning-issued", "203.0.113.9");

  /* the other operator opens its page: the warning, its CAP document, acknowledged */
  open_page (f, operator, "plant", l->lang, "inbox");
  wc_browser_wait_for (operator, "document.querySelector('#inbox .msg').dataset.kind", "warning");
  wc_browser_wait_for (operator, "document.querySelector('#inbox .msg .kind').textContent",
                       string_for (l, "Spear Warning", "Spear Warning", "Spear Warning"));
  wc_browser_wait_for (operator, "document.querySelector('#inbox .msg .subject').textContent",
                       strcmp (l->lang, "fr") == 0 ? "Rançongiciel visant le SCADA"
                                                   : "Ransomware hitting grid SCADA");
  wc_browser_wait_for (operator, "document.querySelector('#inbox .msg .marking').textContent", l->marking);
  wc_browser_wait_for (operator, "document.querySelector('#inbox .msg .tlp').textContent", "TLP:AMBER+STRICT");
  wc_browser_wait_for (operator, "document.querySelector('#inbox .msg .indicators code').textContent", "203.0.113.9");
  wc_browser_wait_for (operator, "fetch(document.querySelector('#inbox .msg .links a').href)"
                       ".then(r => r.headers.get('Content-Type').split(';')[0] + ' ' + r.status)",
                       "application/cap+xml 200");
  wc_browser_wait_for (operator, "fetch(document.querySelector('#inbox .msg .links a').href).then(r => r.text())"
                       ".then(x => String(x.includes('<status>Exercise</status>')))", "true");
  wc_browser_wait_for (operator, "document.getElementById('inbox-count').textContent", "1");
  assert_fits (operator);
  shoot (operator, "warning", l);
  wc_browser_run (operator, "document.querySelector('#inbox .msg .ack').click()");
  wc_browser_wait_for (operator, "document.querySelector('#inbox .msg .ack').hidden ? 'hidden' : 'shown'", "hidden");
  wc_browser_wait_for (operator, "document.getElementById('inbox-count').textContent", "");
  wait_journal (f, "message-acknowledged", "\"team\":\"plant\"");
  /* the CSIRT's page sees who acknowledged */
  wc_browser_run (csirt, "document.getElementById('tab-inbox').click()");
  wc_browser_wait_for (csirt, "document.querySelector('#inbox .msg[data-kind=warning] .acks').textContent.includes('Power plant <b>North</b>')",
                       "true");

  /* the crisis centre publishes a situation report: every page shows it */
  open_page (f, csirt, "ncca", l->lang, "sitrep");
  wc_browser_wait_for (csirt, "document.getElementById('sitrep-form').hidden ? 'hidden' : 'shown'", "shown");
  wc_browser_run (operator, "document.getElementById('tab-sitrep').click()");
  wc_browser_wait_for (operator, "document.getElementById('sitrep-form').hidden ? 'hidden' : 'shown'", "hidden");
  wc_browser_wait_for (operator, "document.getElementById('sitrep-none').hidden ? 'hidden' : 'shown'", "shown");
  wc_browser_run (csirt, "(() => { const form = document.getElementById('sitrep-form');"
                  " form.elements.situation.value = 'Two energy operators affected.';"
                  " form.elements.decisions.value = 'Phase 2 of the national emergency plan.';"
                  " form.elements.next_meeting.value = 'T+01:00, room B';"
                  " form.elements.public_line.value = 'Power supply is stable.'; })()");
  send_form (csirt, "sitrep-form");
  wc_browser_wait_for (csirt, "document.querySelector('#sitrep-latest').dataset.version", "1");
  wait_journal (f, "sitrep-published", "Phase 2 of the national emergency plan.");
  wc_browser_wait_for (operator, "document.querySelector('#sitrep-latest').dataset.version", "1");
  wc_browser_wait_for (operator, "document.querySelector('#sitrep-latest .marking').textContent", l->marking);
  wc_browser_wait_for (operator, "document.querySelector('#sitrep-latest .content').textContent.includes('Power supply is stable.')",
                       "true");
  /* a second version: the latest shows, the first goes to the history */
  wc_browser_run (csirt, "(() => { const form = document.getElementById('sitrep-form');"
                  " form.elements.situation.value = 'Supply restored in the north.';"
                  " form.querySelector('.send').click(); })()");
  wc_browser_wait_for (operator, "document.querySelector('#sitrep-latest').dataset.version", "2");
  wc_browser_wait_for (csirt, "document.querySelector('#sitrep-latest').dataset.version", "2");
  wc_browser_run (csirt, "document.getElementById('sitrep-form').scrollIntoView()");
  assert_fits (csirt);
  shoot (csirt, "sitrep-editor", l);
  wc_browser_wait_for (operator, "String(document.querySelectorAll('#sitrep-history .sitrep').length)", "1");
  wc_browser_wait_for (operator, "document.querySelector('#sitrep-latest .content').textContent.includes('Phase 2')",
                       "true");
  assert_fits (operator);
  shoot (operator, "sitrep", l);
  /* the teams that were not watching see it when they open their page */
  for (guint i = 0; i < 2; i++)
    {
      open_page (f, csirt, i == 0 ? "ccb" : "grid", l->lang, "sitrep");
      wc_browser_wait_for (csirt, "document.querySelector('#sitrep-latest').dataset.version", "2");
    }

  /* every item is in the engine, each with its marking-bearing view */
  all = wc_engine_get_messages (f->x.engine);
  g_assert_cmpuint (all->len, ==, 5);
  item = wc_engine_find_message (f->x.engine, "M-1");
  g_assert_nonnull (item);
  g_assert_cmpint (item->kind, ==, WC_TRAFFIC_NOTIFICATION);
}

/* Messages with attachments from the page: one that goes (and downloads again), one too large
 * and one of a refused type, each refusal said in the page's language with the server's words. */
static void
test_upload (Fixture       *f,
             gconstpointer  data)
{
  const Language *l = data;
  WcBrowser *page = f->x.browser;
  g_autofree char *too_large = NULL;
  g_autofree char *bad_type = NULL;

  open_page (f, page, "grid", l->lang, "write");
  wc_browser_wait_for (page, "document.querySelector('#panel-write [data-t=\"attachment-limit\"]').textContent.includes('10 M')",
                       "true");
  /* the operator reaches the CSIRT and the crisis centre (the default matrix), not its peer */
  wc_browser_wait_for (page, "Array.from(document.querySelectorAll('#write-to input')).map(i => i.value).join(' ')",
                       "ccb ncca");

  /* a small file goes; the CSIRT's copy downloads it */
  wc_browser_run (page, "(() => { const form = document.getElementById('write-form');"
                  " form.querySelector('#write-to input[value=ccb]').checked = true;"
                  " form.elements.subject.value = 'Logs';"
                  " form.elements.body.value = 'Attached.';"
                  " const t = new DataTransfer();"
                  " t.items.add(new File(['modbus write 0x10'], 'scada.txt', {type: 'text/plain'}));"
                  " form.elements.attachment.files = t.files; })()");
  send_form (page, "write-form");
  wait_journal (f, "message-sent", "scada.txt");
  wc_browser_run (page, "document.getElementById('tab-inbox').click()");
  wc_browser_wait_for (page, "document.querySelector('#inbox .msg .links a').textContent", "scada.txt");
  wc_browser_wait_for (page, "fetch(document.querySelector('#inbox .msg .links a').href).then(r => r.text())",
                       "modbus write 0x10");
  wc_browser_wait_for (page, "document.querySelector('#inbox .msg .marking').textContent", l->marking);

  /* 11 MB: the server's 413, said with the limit */
  wc_browser_run (page, "document.getElementById('tab-write').click()");
  wc_browser_run (page, "(() => { const form = document.getElementById('write-form');"
                  " form.querySelector('#write-to input[value=ccb]').checked = true;"
                  " form.elements.subject.value = 'Disk image';"
                  " const t = new DataTransfer();"
                  " t.items.add(new File([new Uint8Array(11 * 1024 * 1024)], 'image.pdf', {type: 'application/pdf'}));"
                  " form.elements.attachment.files = t.files;"
                  " form.querySelector('.send').click(); })()");
  wc_browser_wait_for (page, "document.querySelector('#write-form .form-error').hidden ? 'hidden' : 'shown'", "shown");
  too_large = g_strdup_printf ("document.querySelector('#write-form .form-error').textContent.startsWith('%s')",
                               string_for (l, "Het bestand is te groot", "Le fichier est trop volumineux",
                                           "The file is too large"));
  wc_browser_wait_for (page, too_large, "true");
  g_assert_false (journal_has (f, "message-sent", "image.pdf"));
  g_assert_cmpuint (wc_engine_get_messages (f->x.engine)->len, ==, 1);
  assert_fits (page);
  shoot (page, "too-large", l);

  /* a program is not an attachment: 415 */
  wc_browser_run (page, "(() => { const form = document.getElementById('write-form');"
                  " const t = new DataTransfer();"
                  " t.items.add(new File(['MZ'], 'tool.exe', {type: 'application/x-msdownload'}));"
                  " form.elements.attachment.files = t.files;"
                  " form.querySelector('.send').click(); })()");
  bad_type = g_strdup_printf ("document.querySelector('#write-form .form-error').textContent.startsWith('%s')",
                              string_for (l, "Dit soort bestand", "Ce type de fichier",
                                          "This kind of file"));
  wc_browser_wait_for (page, bad_type, "true");
  g_assert_false (journal_has (f, "message-sent", "tool.exe"));
  g_assert_cmpuint (wc_engine_get_messages (f->x.engine)->len, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!wc_browser_available ("/whitecell/browser-traffic/loop"))
    return g_test_run ();
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autofree char *loop = g_strdup_printf ("/whitecell/browser-traffic/loop/%s", languages[i].lang);
      g_autofree char *upload = g_strdup_printf ("/whitecell/browser-traffic/upload/%s", languages[i].lang);

      g_test_add (loop, Fixture, &languages[i], fixture_setup, test_loop, fixture_teardown);
      g_test_add (upload, Fixture, &languages[i], fixture_setup, test_upload, fixture_teardown);
    }
  return g_test_run ();
}
