/* test-import.c: planners' sheets as they really are (CSV, XLSX, ODS; hand-made and made by other
 * tools) imported with every tolerance, validated and played to their end; export → import round
 * trips from another folder; broken inputs; the mapping report and `whitecellctl import`. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "test-util.h"
#include "wc-engine.h"
#include "wc-import.h"
#include "wc-import-private.h"
#include "wc-scenario-loader.h"

static char *
fixture (const char *name)
{
  return g_build_filename (g_getenv ("WC_SOURCE_ROOT"), "tests", "fixtures", "sheets", name, NULL);
}

/* Imports @name, checks that it validates as written and plays to its end. */
static WcScenario *
import_ok (const char            *path,
           const WcImportOptions *options,
           WcImportReport        *report)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("written.json");
  g_autoptr(WcScenario) again = NULL;
  g_autofree char *data = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  WcScenario *s = wc_import_file (path, options, report, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  node = wc_import_scenario_to_json (s);
  data = json_to_string (node, TRUE);
  again = wc_scenario_load_data (data, strlen (data), dir, diag, &error);
  g_assert_no_error (error);
  g_assert_false (wc_diagnostics_has_errors (diag));
  wc_test_play_to_end (s);
  return s;
}

static const char *
extra (WcScenario *s,
       const char *inject,
       const char *key)
{
  JsonObject *x = wc_import_get_extras (s, inject);

  return x ? json_object_get_string_member_with_default (x, key, NULL) : NULL;
}

static gboolean
report_says (WcImportReport *r,
             WcMappingKind   kind,
             const char     *needle)
{
  for (guint i = 0; i < wc_import_report_get_n_items (r); i++)
    if (wc_import_report_get_kind (r, i) == kind &&
        (strstr (wc_import_report_get_text (r, i), needle) ||
         g_strcmp0 (wc_import_report_get_source (r, i), needle) == 0))
      return TRUE;
  return FALSE;
}

static void
test_guess (void)
{
  static const struct {
    const char     *file;
    WcImportFormat  format;
  } cases[] = {
    { "tabletop-tplus.csv", WC_IMPORT_CSV }, { "grid-day-clock.xlsx", WC_IMPORT_XLSX },
    { "hospital-tplus.ods", WC_IMPORT_ODS }, { "broken-utf16.csv", WC_IMPORT_CSV },
    { "broken-unknown.json", WC_IMPORT_UNKNOWN }, { "broken-truncated.xlsx", WC_IMPORT_XLSX },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = fixture (cases[i].file);

      g_assert_cmpint (wc_import_guess_format (path, NULL), ==, cases[i].format);
    }
  /* a Whitecell document told from its first bytes: only its own top-level "format" counts */
  {
    static const struct {
      const char     *text;
      WcImportFormat  format;
    } docs[] = {
      { "\xef\xbb\xbf {\"format\" : \"whitecell-scenario\", \"version\": 1}", WC_IMPORT_WHITECELL },
      { "{\"x\": {\"format\": \"other\"}, \"format\": \"whitecell-scenario\"}",
        WC_IMPORT_WHITECELL },
      /* in a nested object, in a string, or as a value: not a Whitecell document */
      { "{\"x\": {\"format\": \"whitecell-scenario\"}}", WC_IMPORT_UNKNOWN },
      { "{\"note\": \"\\\"format\\\": \\\"whitecell-scenario\\\"\"}", WC_IMPORT_UNKNOWN },
      { "{\"a\": \"format\", \"b\": \"whitecell-scenario\"}", WC_IMPORT_UNKNOWN },
      { "{\"format\": \"whitecell-scenariox\"}", WC_IMPORT_UNKNOWN },
      { "{\"scenario_name\": \"x\", \"format\": \"whitecell\"}", WC_IMPORT_OPENBAS },
    };

    for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
      {
        g_autoptr(GBytes) head = g_bytes_new_static (docs[i].text, strlen (docs[i].text));

        g_assert_cmpint (wc_import_guess_format (NULL, head), ==, docs[i].format);
      }
  }
  /* by content, not by name: a workbook saved as .csv is still a workbook */
  {
    g_autofree char *path = fixture ("grid-day-clock.xlsx");
    g_autofree char *tmp = g_dir_make_tmp ("whitecell-import-XXXXXX", NULL);
    g_autofree char *renamed = g_build_filename (tmp, "msel.csv", NULL);
    g_autofree char *data = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (path, &data, &length, NULL));
    g_assert_true (g_file_set_contents (renamed, data, length, NULL));
    g_assert_cmpint (wc_import_guess_format (renamed, NULL), ==, WC_IMPORT_XLSX);
    wc_test_remove_dir (tmp);
  }
}

/* The sheet found in the wild: T+min, no subject, no recipients, delivery method, artefacts (one
 * missing), evaluator hints, an owner column nobody else has, and a title block. */
static void
test_tolerant_csv (void)
{
  g_autofree char *path = fixture ("tabletop-tplus.csv");
  g_autoptr(WcImportReport) report = wc_import_report_new (path, NULL);
  g_autoptr(WcScenario) s = import_ok (path, NULL, report);
  const WcInject *first, *last;

  g_assert_cmpuint (wc_scenario_get_n_injects (s), ==, 4);
  g_assert_cmpstr (wc_text_get (wc_scenario_get_title (s), NULL, NULL), ==,
                   "Ransomware Tabletop — Facilitator MSEL");
  g_assert_cmpuint (wc_scenario_get_n_teams (s), ==, 1);
  g_assert_cmpstr (wc_scenario_get_team (s, 0)->id, ==, "players");
  first = wc_scenario_get_inject (s, 0);
  last = wc_scenario_get_inject (s, 3);
  g_assert_cmpint (wc_scenario_get_inject (s, 1)->at_ms, ==, 5 * 60000);
  g_assert_cmpint (last->at_ms, ==, 30 * 60000);
  /* the first sentence, shortened at a word */
  g_assert_true (g_str_has_suffix (wc_text_get (first->title, NULL, NULL), "…"));
  g_assert_cmpstr (wc_text_get (wc_scenario_get_inject (s, 1)->title, NULL, NULL), ==,
                   "A journalist calls asking whether you were hacked");
  g_assert_cmpint (first->channel, ==, WC_CHANNEL_EMAIL);
  g_assert_cmpint (wc_scenario_get_inject (s, 1)->channel, ==, WC_CHANNEL_PHONE);
  g_assert_cmpint (wc_scenario_get_inject (s, 2)->channel, ==, WC_CHANNEL_CHAT);
  g_assert_cmpint (last->channel, ==, WC_CHANNEL_NEWS);
  g_assert_cmpstr (extra (s, "I-003", "x-delivery"), ==, "Chat message");
  g_assert_cmpuint (first->attachments->len, ==, 1);
  g_assert_cmpuint (last->attachments->len, ==, 0);
  g_assert_nonnull (strstr (wc_text_get (last->body, NULL, NULL), "[leak-site.png]"));
  g_assert_cmpstr (first->notes, ==, "Evaluator Hints: Look for escalation to the CISO");
  /* "none" in the hints of I-003 is nothing */
  g_assert_null (wc_scenario_get_inject (s, 2)->notes);
  g_assert_cmpstr (extra (s, "I-002", "x-facilitator-owner"), ==, "Bob");
  g_assert_true (report_says (report, WC_MAPPING_KEPT, "Facilitator Owner"));
  g_assert_true (report_says (report, WC_MAPPING_WARNING, "leak-site.png"));
  g_assert_true (report_says (report, WC_MAPPING_GUESSED, "T+min"));
  g_assert_true (report_says (report, WC_MAPPING_SKIPPED, "title block"));
  g_assert_true (report_says (report, WC_MAPPING_GUESSED, "Players"));
}

/* Delivery methods as planners write them, in nl/fr/en: instant messaging is a chat, not social
 * media; a bare "message" yields to a more telling word in the same cell. */
static void
test_delivery_words (void)
{
  static const struct {
    const char *cell;
    WcChannel   channel;
  } cases[] = {
    { "Chat message", WC_CHANNEL_CHAT }, { "chat", WC_CHANNEL_CHAT }, { "Teams", WC_CHANNEL_CHAT },
    { "MS Teams message", WC_CHANNEL_CHAT }, { "Slack", WC_CHANNEL_CHAT },
    { "Signal", WC_CHANNEL_CHAT }, { "WhatsApp", WC_CHANNEL_CHAT }, { "Chatbericht", WC_CHANNEL_CHAT },
    { "Message instantané", WC_CHANNEL_CHAT }, { "Bericht", WC_CHANNEL_CHAT },
    { "SMS message", WC_CHANNEL_PHONE }, { "Tweet", WC_CHANNEL_SOCIAL },
    { "Social media post", WC_CHANNEL_SOCIAL }, { "Email printout", WC_CHANNEL_EMAIL },
    { "Phone call", WC_CHANNEL_PHONE }, { "Press release", WC_CHANNEL_NEWS },
  };
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-import-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "delivery.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("T+min,Inject,Delivery Method\n");
  g_autoptr(WcImportReport) report = wc_import_report_new (path, NULL);
  g_autoptr(WcScenario) s = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_string_append_printf (csv, "T+%u,Inject number %u arrives.,%s\n", i, i, cases[i].cell);
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  s = import_ok (path, NULL, report);
  g_assert_cmpuint (wc_scenario_get_n_injects (s), ==, G_N_ELEMENTS (cases));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const WcInject *inject = wc_scenario_get_inject (s, i);

      g_test_message ("%s", cases[i].cell);
      g_assert_cmpstr (wc_channel_to_string (inject->channel), ==,
                       wc_channel_to_string (cases[i].channel));
    }
  wc_test_remove_dir (tmp);
}

/* Made by another tool than ours (make-fixtures.py): a cover sheet first, a title block, days
 * merged over rows, times as h:mm serials, h:mm AM/PM, "1:30 PM", "Day 2", one row per team. */
static void
test_xlsx_day_clock (void)
{
  g_autofree char *path = fixture ("grid-day-clock.xlsx");
  WcImportOptions options = { .sheet = "MSEL" };
  g_autoptr(WcImportReport) report = wc_import_report_new (path, NULL);
  g_autoptr(WcScenario) s = import_ok (path, &options, report);
  g_autoptr(WcScenario) started = NULL;
  g_autoptr(GError) error = NULL;
  const WcInject *merged;

  g_assert_cmpuint (wc_scenario_get_n_injects (s), ==, 4);
  merged = wc_scenario_get_inject (s, 0);
  g_assert_cmpuint (merged->to->len, ==, 2);
  g_assert_cmpint (merged->channel, ==, WC_CHANNEL_ALERT);
  g_assert_cmpint (merged->at_ms, ==, 0);
  g_assert_cmpint (wc_scenario_get_inject (s, 1)->at_ms, ==, 45 * 60000);        /* 9:45 AM */
  g_assert_cmpint (wc_scenario_get_inject (s, 2)->at_ms, ==, 270 * 60000);       /* 1:30 PM */
  g_assert_cmpint (wc_scenario_get_inject (s, 3)->at_ms, ==, (23 * 60 + 30) * 60000); /* day 2 */
  g_assert_cmpstr (wc_text_get (wc_scenario_get_inject (s, 2)->title, NULL, NULL), ==, "Ministerial briefing");
  g_assert_true (report_says (report, WC_MAPPING_MAPPED, "merged into one inject"));
  g_assert_true (report_says (report, WC_MAPPING_GUESSED, "relative to the first inject"));
  g_assert_cmpuint (wc_scenario_get_n_teams (s), ==, 3);
  g_assert_cmpint (wc_scenario_find_team (s, "national-csirt")->kind, ==, WC_TEAM_KIND_CSIRT);

  /* the start stated: every time moves with it */
  options.start = "08:00";
  started = import_ok (path, &options, NULL);
  g_assert_cmpint (wc_scenario_get_inject (started, 0)->at_ms, ==, 60 * 60000);
  g_clear_object (&started);
  options.start = "10:00";
  g_assert_null (wc_import_file (path, &options, NULL, &error));
  g_assert_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID);
  g_clear_error (&error);

  /* the first sheet is a cover page with no header: without --sheet, the first sheet with one is
   * read, and the report says it was a guess; a sheet that is not there */
  g_clear_pointer (&report, wc_import_report_free);
  report = wc_import_report_new (path, NULL);
  started = import_ok (path, NULL, report);
  g_assert_cmpuint (wc_scenario_get_n_injects (started), ==, 4);
  g_assert_cmpint (wc_scenario_get_inject (started, 3)->at_ms, ==, (23 * 60 + 30) * 60000);
  g_assert_true (report_says (report, WC_MAPPING_GUESSED, "sheet “MSEL” of 2: the first sheet, "
                                                          "“Cover”, has no header row"));
  g_clear_object (&started);
  /* a sheet named is read, header or not */
  options = (WcImportOptions) { .sheet = "Cover" };
  g_assert_null (wc_import_file (path, &options, NULL, &error));
  g_assert_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID);
  g_clear_error (&error);
  options = (WcImportOptions) { .sheet = "Nope" };
  g_assert_null (wc_import_file (path, &options, NULL, &error));
  g_assert_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_NO_SHEET);
}

/* ODS: a merged title, covered cells, a million repeated empty rows, line breaks in a cell. */
static void
test_ods_tplus (void)
{
  g_autofree char *path = fixture ("hospital-tplus.ods");
  WcImportOptions options = { .team = "Hospital crisis cell" };
  g_autoptr(WcImportReport) report = wc_import_report_new (path, NULL);
  g_autoptr(WcScenario) s = import_ok (path, &options, report);
  const WcInject *first;

  g_assert_cmpuint (wc_scenario_get_n_injects (s), ==, 3);
  g_assert_cmpstr (wc_text_get (wc_scenario_get_title (s), NULL, NULL), ==, "Hospital ransomware drill");
  g_assert_cmpstr (wc_scenario_get_team (s, 0)->id, ==, "hospital-crisis-cell");
  first = wc_scenario_get_inject (s, 0);
  g_assert_cmpstr (wc_text_get (first->body, NULL, NULL), ==,
                   "Radiology reports that imaging workstations show a ransom note.\nNothing opens.");
  g_assert_cmpuint (first->attachments->len, ==, 1);
  g_assert_cmpint (wc_scenario_get_inject (s, 2)->channel, ==, WC_CHANNEL_CHAT);
  g_assert_cmpstr (extra (s, "I-003", "x-delivery"), ==, "Chatbericht");
  g_assert_cmpstr (extra (s, "I-001", "x-facilitator"), ==, "Dr. Peeters");
  g_assert_null (extra (s, "I-002", "x-facilitator"));
  g_assert_cmpint (wc_scenario_get_inject (s, 2)->at_ms, ==, 25 * 60000);
}

/* Export → import from another folder gives the same scenario, kept x- fields included. */
static void
test_round_trip (gconstpointer data)
{
  const char *ext = data;
  static const char *const sources[] = { "tabletop-tplus.csv", "grid-day-clock.xlsx", "hospital-tplus.ods" };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autofree char *path = fixture (sources[i]);
      WcImportOptions options = { .sheet = g_str_has_suffix (path, ".xlsx") ? "MSEL" : NULL };
      g_autoptr(WcScenario) s = import_ok (path, &options, NULL);
      g_autofree char *tmp = g_dir_make_tmp ("whitecell-import-XXXXXX", NULL);
      g_autofree char *name = g_strconcat ("exported.", ext, NULL);
      g_autofree char *out = g_build_filename (tmp, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(WcScenario) back = NULL;
      g_autoptr(JsonNode) a = NULL;
      g_autoptr(JsonNode) b = NULL;
      g_autofree char *ja = NULL;
      g_autofree char *jb = NULL;

      g_assert_true (wc_export_sheet (s, out, wc_export_format_for_path (out), &error));
      g_assert_no_error (error);
      g_assert_cmpint (wc_import_guess_format (out, NULL), ==, wc_export_format_for_path (out));
      back = import_ok (out, NULL, NULL);
      a = wc_import_scenario_to_json (s);
      b = wc_import_scenario_to_json (back);
      ja = json_to_string (a, TRUE);
      jb = json_to_string (b, TRUE);
      g_assert_cmpstr (ja, ==, jb);
      /* the attachment came along */
      if (g_str_has_prefix (sources[i], "tabletop"))
        {
          g_autofree char *copied = g_build_filename (tmp, "ransom-note.txt", NULL);

          g_assert_true (g_file_test (copied, G_FILE_TEST_IS_REGULAR));
        }
      g_clear_object (&back);
      wc_test_remove_dir (tmp);
    }
}

/* A cell a spreadsheet would run as a formula is written as text with a quote mark; it reads back. */
static void
test_formula_injection (void)
{
  static const char *const sheet =
    "ID,Time,To,Subject,Message\n"
    "I-1,T+00:05,CSIRT,=HYPERLINK(\"http://evil\"),@SUM(1+1)\n"
    "I-2,T+00:10,CSIRT,+31 20 555 0100,-1 is not a formula\n";
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-import-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (tmp, "f.csv", NULL);
  g_autofree char *xlsx = g_build_filename (tmp, "f.xlsx", NULL);
  g_autofree char *ods = g_build_filename (tmp, "f.ods", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScenario) s = NULL;

  g_assert_true (g_file_set_contents (csv, sheet, -1, NULL));
  s = import_ok (csv, NULL, NULL);
  g_assert_cmpstr (wc_text_get (wc_scenario_get_inject (s, 0)->title, NULL, NULL), ==, "=HYPERLINK(\"http://evil\")");
  for (guint k = 0; k < 2; k++)
    {
      const char *out = k == 0 ? xlsx : ods;
      g_autoptr(WcScenario) back = NULL;
      g_autofree char *raw = NULL;
      g_autofree char *cmd = g_strdup_printf ("unzip -p %s %s", out, k == 0 ? "xl/worksheets/sheet1.xml" : "content.xml");

      g_assert_true (wc_export_sheet (s, out, k == 0 ? WC_IMPORT_XLSX : WC_IMPORT_ODS, &error));
      g_assert_no_error (error);
      if (g_spawn_command_line_sync (cmd, &raw, NULL, NULL, NULL) && raw && *raw)
        {
          g_assert_nonnull (strstr (raw, "&apos;=HYPERLINK") ? strstr (raw, "&apos;=HYPERLINK") : strstr (raw, "'=HYPERLINK"));
          g_assert_nonnull (strstr (raw, "'@SUM"));
          g_assert_nonnull (strstr (raw, "'+31 20"));
          g_assert_null (strstr (raw, "<f>"));
        }
      back = import_ok (out, NULL, NULL);
      g_assert_cmpstr (wc_text_get (wc_scenario_get_inject (back, 0)->title, NULL, NULL), ==, "=HYPERLINK(\"http://evil\")");
      g_assert_cmpstr (wc_text_get (wc_scenario_get_inject (back, 1)->body, NULL, NULL), ==, "-1 is not a formula");
    }
  g_remove (csv);
  g_remove (xlsx);
  g_remove (ods);
  {
    g_autofree char *e = g_build_filename (tmp, "f-exercise.csv", NULL);
    g_autofree char *t = g_build_filename (tmp, "f-teams.csv", NULL);

    g_remove (e);
    g_remove (t);
  }
  g_rmdir (tmp);
}

/* One clear error each, naming the file; never a crash. */
static void
test_broken (void)
{
  static const struct {
    const char *file;
    int         code;
    const char *words;
  } cases[] = {
    { "broken-truncated.xlsx", WC_IMPORT_ERROR_CORRUPT, "truncated" },
    { "broken-bomb.xlsx", WC_IMPORT_ERROR_CORRUPT, "sharedStrings.xml" },
    { "broken-utf16.csv", WC_IMPORT_ERROR_INVALID, "UTF-16" },
    { "broken-unknown.json", WC_IMPORT_ERROR_UNKNOWN_FORMAT, "not a format" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = fixture (cases[i].file);
      g_autoptr(GError) error = NULL;

      g_assert_null (wc_import_file (path, NULL, NULL, &error));
      g_assert_error (error, WC_IMPORT_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].file));
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_null (strchr (error->message, '\n'));
    }
}

/* Over a bound: a sheet wider than WC_IMPORT_MAX_COLUMNS is refused, not read. */
static void
test_bounds (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-import-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "wide.xlsx", NULL);
  g_autoptr(GError) error = NULL;
  WcCsvTable table = { ',', FALSE, FALSE, g_ptr_array_new_with_free_func (NULL) };
  WcCsvRow row = { g_ptr_array_new_with_free_func (g_free), 1, 1 };
  WcWorkbookSheet sheet = { "Wide", &table };

  for (guint c = 0; c <= WC_IMPORT_MAX_COLUMNS; c++)
    g_ptr_array_add (row.cells, g_strdup_printf ("c%u", c));
  g_ptr_array_add (table.rows, &row);
  g_assert_true (wc_workbook_write (path, WC_IMPORT_XLSX, &sheet, 1, &error));
  g_assert_null (wc_import_file (path, NULL, NULL, &error));
  g_assert_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_TOO_LARGE);
  g_ptr_array_unref (row.cells);
  g_ptr_array_unref (table.rows);
  g_remove (path);
  g_rmdir (tmp);
}

static void
test_report_text (void)
{
  g_autoptr(WcImportReport) r = wc_import_report_new ("x.csv", "CSV");
  g_autofree char *text = NULL;

  wc_import_report_add (r, WC_MAPPING_MAPPED, "Time", "time");
  wc_import_report_add (r, WC_MAPPING_KEPT, "Owner", "kept as %s", "x-owner");
  wc_import_report_add (r, WC_MAPPING_WARNING, NULL, "row %d has no time", 4);
  g_assert_cmpuint (wc_import_report_get_n_items (r), ==, 3);
  g_assert_cmpint (wc_import_report_get_kind (r, 1), ==, WC_MAPPING_KEPT);
  g_assert_cmpstr (wc_import_report_get_source (r, 1), ==, "Owner");
  g_assert_cmpstr (wc_import_report_get_text (r, 1), ==, "kept as x-owner");
  g_assert_cmpuint (wc_import_report_count (r, WC_MAPPING_DROPPED), ==, 0);
  text = wc_import_report_to_text (r);
  g_assert_cmpstr (text, ==,
                   "x.csv: read as CSV\n\nMapped (1)\n  Time → time\n\n"
                   "Kept verbatim (x- fields, exported back) (1)\n  Owner → kept as x-owner\n\n"
                   "Warnings (1)\n  row 4 has no time\n");
}

/* The day notations of real sheets in the time column (French/OpenBAS "J+1 09h00", English
 * "D+1 09:00", Dutch "D+1 09u00"), or in a day column beside the clock time: made relative to the
 * first inject, or to the start given. */
typedef struct {
  const char *name;
  const char *csv;        /* the sheet, a header then one row per inject */
  const char *start;      /* nullable: --start */
  gint64      at_min[4];  /* each inject's time, in minutes; -1 past the last */
} DayCase;

static const DayCase day_cases[] = {
  { "openbas", "Type,Time,Subject\nmail,J-1,Eve\nmail,J 09h00,Morning\nsms,J+1 09h00,Next\n"
               "mail,J+3 09h05,Later\n", NULL, { 0, 33 * 60, 57 * 60, 105 * 60 + 5 } },
  { "english", "Time,Subject\nD-Day 09:00,Alert\nD+1 09:00,Press\nD+1 1:30 PM,Minister\n", NULL,
    { 0, 24 * 60, 28 * 60 + 30, -1 } },
  { "dutch", "Tijd,Onderwerp\nD-Dag 09u00,Alarm\nD+1 09u00,Pers\nD+2 08u15,Minister\n", NULL,
    { 0, 24 * 60, 47 * 60 + 15, -1 } },
  { "start", "Time,Subject\nD-Day 09:00,Alert\nD+1 09:00,Press\n", "D-1 21:00",
    { 12 * 60, 36 * 60, -1 } },
  { "day-column", "Jour,Heure,Sujet\nJ-1,18h00,Veille\nJ,09h00,Alerte\nJ+1,09h30,Presse\n", NULL,
    { 0, 15 * 60, 39 * 60 + 30, -1 } },
};

static void
write_sheet (const char *dir,
             const char *csv,
             char      **path)
{
  g_autoptr(GError) error = NULL;

  *path = g_build_filename (dir, "days.csv", NULL);
  g_assert_true (g_file_set_contents (*path, csv, -1, &error));
  g_assert_no_error (error);
}

static void
test_day_notation (gconstpointer data)
{
  const DayCase *c = data;
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-import-XXXXXX", NULL);
  g_autofree char *path = NULL;
  WcImportOptions options = { .start = c->start };
  g_autoptr(WcImportReport) report = NULL;
  g_autoptr(WcScenario) s = NULL;
  guint n = 0;

  write_sheet (tmp, c->csv, &path);
  report = wc_import_report_new (path, NULL);
  s = import_ok (path, &options, report);
  while (n < G_N_ELEMENTS (c->at_min) && c->at_min[n] >= 0)
    {
      g_assert_cmpint (wc_scenario_get_inject (s, n)->at_ms, ==, c->at_min[n] * 60000);
      n++;
    }
  g_assert_cmpuint (wc_scenario_get_n_injects (s), ==, n);
  g_assert_true (report_says (report, c->start ? WC_MAPPING_MAPPED : WC_MAPPING_GUESSED,
                              c->start ? "relative to the start given"
                                       : "relative to the first inject"));
  wc_test_remove_dir (tmp);
}

/* A day mark with a time that is none, or a mark that is not one: an error naming file and row. */
static void
test_day_notation_bad (void)
{
  static const char *const sheets[] = {
    "Time,Subject\nJ+1 09h00,A\nJ+1 25h00,B\n",
    "Time,Subject\nD+1 09:00,A\nD+x 09:00,B\n",
    "Jour,Heure,Sujet\nJ,09h00,A\nJ+,09h00,B\n",
  };
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-import-XXXXXX", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sheets); i++)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;

      write_sheet (tmp, sheets[i], &path);
      g_assert_null (wc_import_file (path, NULL, NULL, &error));
      g_assert_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_assert_nonnull (strstr (error->message, "row 3"));
    }
  wc_test_remove_dir (tmp);
}

/* The real workbook Excel wrote for OpenBAS's tests (tests/fixtures/sheets/real/): its cells as
 * the reader sees them: shared strings, a text cell styled as a date (numFmtId 14) that stays
 * text, a General number, the empty column A and the 42 styled but empty rows below. */
static void
test_real_openbas_cells (void)
{
  g_autofree char *path = fixture ("real/openbas-test_file_4.xlsx");
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcCsvTable) table = wc_workbook_read (path, WC_IMPORT_XLSX, NULL, &sheets, &error);
  static const char *const first[] = { "", "Send a mail", "J-1", "team2", "subject", "message2", "",
                                       "expectation", "expectation done", "100" };
  guint filled = 0;
  WcCsvRow *row;

  g_assert_no_error (error);
  g_assert_nonnull (table);
  g_assert_cmpuint (sheets->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (sheets, 0), ==, "CHECKLIST");
  row = g_ptr_array_index (table->rows, 0);
  g_assert_cmpuint (row->number, ==, 1);
  for (guint c = 0; c < G_N_ELEMENTS (first); c++)
    g_assert_cmpstr (c < row->cells->len ? g_ptr_array_index (row->cells, c) : "", ==, first[c]);
  row = g_ptr_array_index (table->rows, 1);
  g_assert_cmpstr (g_ptr_array_index (row->cells, 1), ==, "Send an SMS");
  g_assert_cmpstr (g_ptr_array_index (row->cells, 2), ==, "J 09h00");
  g_assert_cmpstr (g_ptr_array_index (row->cells, 6), ==, "description");
  row = g_ptr_array_index (table->rows, 4);
  g_assert_cmpstr (g_ptr_array_index (row->cells, 1), ==, "Send another mail");
  g_assert_cmpstr (g_ptr_array_index (row->cells, 2), ==, "J+3 09h05");
  g_assert_cmpstr (g_ptr_array_index (row->cells, 5), ==, "message3");
  for (guint r = 0; r < table->rows->len; r++)
    {
      row = g_ptr_array_index (table->rows, r);
      for (guint c = 0; c < row->cells->len; c++)
        filled += *(char *) g_ptr_array_index (row->cells, c) != '\0';
    }
  /* 29 shared strings used (sst count="29") and four numbers */
  g_assert_cmpuint (filled, ==, 29 + 4);
}

/* A real workbook written by LibreOffice (cutplace's test data): its cells as the sheet shows
 * them, a date cell included; and a real ODS whose content.xml is broken gives one error naming
 * the file. */
static void
test_real_libreoffice_ods (void)
{
  g_autofree char *path = fixture ("real/cutplace-valid_customers.ods");
  g_autofree char *broken = fixture ("real/cutplace-broken_content_xml.ods");
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcCsvTable) table = wc_workbook_read (path, WC_IMPORT_ODS, NULL, &sheets, &error);
  g_autoptr(WcImportReport) report = wc_import_report_new (broken, NULL);
  g_autoptr(WcScenario) s = NULL;
  static const char *const header[] = { "customer_id", "surname", "first_name", "born", "gender" };
  static const char *const first[] = { "3798", "Miller", "John", "1978-11-27", "male" };
  WcCsvRow *row;

  g_assert_no_error (error);
  g_assert_nonnull (table);
  g_assert_cmpuint (table->rows->len, >=, 3);
  row = g_ptr_array_index (table->rows, 0);
  for (guint c = 0; c < G_N_ELEMENTS (header); c++)
    g_assert_cmpstr (g_ptr_array_index (row->cells, c), ==, header[c]);
  row = g_ptr_array_index (table->rows, 1);
  for (guint c = 0; c < G_N_ELEMENTS (first); c++)
    g_assert_cmpstr (g_ptr_array_index (row->cells, c), ==, first[c]);

  s = wc_import_file (broken, NULL, report, &error);
  g_assert_null (s);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "cutplace-broken_content_xml.ods"));
}

#define OPENBAS_COLUMNS "B=channel,C=time,D=to,E=title,F=body,G=notes,H=expected actions"

/* Without a header row it cannot be read: one error naming the file; with its columns named, it
 * imports, validates and plays to its end. */
static void
test_real_openbas_import (void)
{
  g_autofree char *path = fixture ("real/openbas-test_file_4.xlsx");
  WcImportOptions options = { .columns = OPENBAS_COLUMNS };
  g_autoptr(WcImportReport) report = wc_import_report_new (path, NULL);
  g_autoptr(WcScenario) s = NULL;
  g_autoptr(GError) error = NULL;
  const WcInject *sms;

  g_assert_null (wc_import_file (path, NULL, NULL, &error));
  g_assert_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, "no header row"));
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);

  s = import_ok (path, &options, report);
  g_assert_cmpuint (wc_scenario_get_n_injects (s), ==, 5);
  g_assert_cmpuint (wc_scenario_get_n_teams (s), ==, 3);
  g_assert_nonnull (wc_scenario_find_team (s, "team1"));
  g_assert_nonnull (wc_scenario_find_team (s, "players"));
  /* "J-1" is T+00:00; "J+3 09h05" is three days and 33 hours 5 minutes later */
  g_assert_cmpint (wc_scenario_get_inject (s, 0)->at_ms, ==, 0);
  g_assert_cmpint (wc_scenario_get_inject (s, 1)->at_ms, ==, 33 * 3600000);
  g_assert_cmpint (wc_scenario_get_inject (s, 4)->at_ms, ==, (105 * 60 + 5) * 60000);
  sms = wc_scenario_get_inject (s, 1);
  g_assert_cmpint (sms->channel, ==, WC_CHANNEL_PHONE);
  g_assert_cmpstr (extra (s, "I-002", "x-delivery"), ==, "Send an SMS");
  g_assert_cmpstr (wc_text_get (sms->title, NULL, NULL), ==, "message1");
  g_assert_cmpstr (sms->notes, ==, "description");
  g_assert_cmpstr (extra (s, "I-001", "x-column-i"), ==, "expectation done");
  g_assert_cmpstr (extra (s, "I-001", "x-column-j"), ==, "100");
  g_assert_cmpint (wc_scenario_get_inject (s, 0)->channel, ==, WC_CHANNEL_EMAIL);
  g_assert_true (report_says (report, WC_MAPPING_MAPPED, "named by --columns"));
  g_assert_true (report_says (report, WC_MAPPING_GUESSED, "row 2 has no subject"));
  g_assert_true (report_says (report, WC_MAPPING_WARNING, "???"));
  g_assert_false (report_says (report, WC_MAPPING_KEPT, "column A"));

  /* numbers name columns too; a name that is no column or no field is an error */
  g_clear_object (&s);
  options.columns = "2=channel,3=time,4=to,5=title,6=body";
  s = import_ok (path, &options, NULL);
  g_assert_cmpuint (wc_scenario_get_n_injects (s), ==, 5);
  g_assert_cmpstr (extra (s, "I-001", "x-column-g"), ==, NULL);
  g_assert_cmpstr (extra (s, "I-001", "x-column-h"), ==, "expectation");
  {
    static const char *const bad[] = { "B=channel,C", "0=title", "B=colour", "B=title,b=body",
                                       "B1=time" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        options.columns = bad[i];
        g_assert_null (wc_import_file (path, &options, NULL, &error));
        g_assert_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID);
        g_assert_true (g_str_has_prefix (error->message, "--columns"));
        g_clear_error (&error);
      }
  }
}

static int
run_ctl (const char  *args,
         char       **out_text,
         char       **err_text)
{
  g_autofree char *command = g_strdup_printf ("%s %s", g_getenv ("WC_CTL"), args);
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_command_line_sync (command, out_text, err_text, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_cli (void)
{
  g_autofree char *path = fixture ("grid-day-clock.xlsx");
  g_autofree char *broken = fixture ("broken-truncated.xlsx");
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-import-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (tmp, "grid.json", NULL);
  g_autofree char *ods = g_build_filename (tmp, "grid.ods", NULL);
  g_autofree char *args = g_strdup_printf ("import %s --sheet MSEL --start 08:30 --explain", path);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_ctl (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "read as XLSX"));
  g_assert_nonnull (strstr (out, "clock times made relative to the start given, 08:30"));
  g_assert_nonnull (strstr (err, "3 teams"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_free (args);
  args = g_strdup_printf ("import %s --sheet MSEL -o %s", path, json);
  g_assert_cmpint (run_ctl (args, &out, &err), ==, 0);
  g_assert_true (g_file_test (json, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_free (args);
  args = g_strdup_printf ("validate %s", json);
  g_assert_cmpint (run_ctl (args, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_free (args);
  args = g_strdup_printf ("export %s -o %s", json, ods);
  g_assert_cmpint (run_ctl (args, &out, &err), ==, 0);
  g_assert_cmpint (wc_import_guess_format (ods, NULL), ==, WC_IMPORT_ODS);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_free (args);
  args = g_strdup_printf ("import %s", broken);
  g_assert_cmpint (run_ctl (args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "truncated"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_free (args);
  /* no --sheet: the cover page is passed over, and the report says so */
  args = g_strdup_printf ("import %s --explain", path);
  g_assert_cmpint (run_ctl (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Guessed"));
  g_assert_nonnull (strstr (out, "“Cover”, has no header row"));
  g_remove (json);
  g_remove (ods);
  g_rmdir (tmp);
}

/* The real OpenBAS sheet: one error line naming the file; with --columns, a scenario that
 * validates. */
static void
test_cli_columns (void)
{
  g_autofree char *path = fixture ("real/openbas-test_file_4.xlsx");
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-import-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (tmp, "openbas.json", NULL);
  g_autofree char *no_header = g_strdup_printf ("%s: no header row in the first 30 rows: ", path);
  struct {
    char       *args;
    int         status;
    const char *says;   /* in the standard output or error */
  } steps[] = {
    { g_strdup_printf ("import %s -o %s", path, json), 1, no_header },
    { g_strdup_printf ("import %s --columns '" OPENBAS_COLUMNS "' -o %s --explain", path, json), 0,
      "no header row: the columns are named by --columns" },
    { g_strdup_printf ("validate %s", json), 0, "valid: 3 teams, 5 injects" },
    { g_strdup_printf ("import %s --columns B=colour", path), 1, "“colour” is not a field" },
    { g_strdup ("import --help"), 0, "--columns" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *both = NULL;

      g_test_message ("whitecellctl %s", steps[i].args);
      g_assert_cmpint (run_ctl (steps[i].args, &out, &err), ==, steps[i].status);
      both = g_strconcat (out, err, NULL);
      g_assert_nonnull (strstr (both, steps[i].says));
      if (i == 0)
        {
          /* one line, the file named first, and nothing written */
          g_assert_true (g_str_has_prefix (err, no_header));
          g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
          g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
        }
      g_free (steps[i].args);
    }
  wc_test_remove_dir (tmp);
}

/* Another tool's export in and CEXF out: the documents of an OpenBAS .zip, unpacked by the importer
 * into a folder that goes with the scenario, end up beside the scenario written; the scenario
 * validates from there; `export --format cexf` (or a .json output) writes CEXF that imports. */
static void
test_cli_formats (void)
{
  g_autofree char *zip = g_build_filename (g_getenv ("WC_SOURCE_ROOT"), "tests", "fixtures",
                                           "formats", "openbas-scenario-current.zip", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-import-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (tmp, "hospital.json", NULL);
  g_autofree char *note = g_build_filename (tmp, "ransom-note.txt", NULL);
  g_autofree char *cexf = g_build_filename (tmp, "hospital-cexf.json", NULL);
  g_autofree char *named = g_build_filename (tmp, "hospital.exercise", NULL);
  g_autofree char *again = g_build_filename (tmp, "again.json", NULL);
  char *steps[] = {
    g_strjoin (" ", "import", zip, "-o", json, NULL), g_strjoin (" ", "validate", json, NULL),
    g_strjoin (" ", "export", json, "-o", cexf, NULL),
    g_strjoin (" ", "export --format cexf", json, "-o", named, NULL),
    g_strjoin (" ", "import", cexf, "-o", again, NULL), g_strjoin (" ", "validate", again, NULL),
  };
  g_autofree char *contents = NULL;
  g_autoptr(WcScenario) back = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_test_message ("whitecellctl %s", steps[i]);
      g_assert_cmpint (run_ctl (steps[i], &out, &err), ==, 0);
      g_clear_pointer (&steps[i], g_free);
      if (i == 0)
        {
          g_assert_true (g_file_get_contents (note, &contents, NULL, NULL));
          g_assert_nonnull (strstr (contents, "Pay 2 BTC"));
        }
    }
  g_assert_cmpint (wc_import_guess_format (cexf, NULL), ==, WC_IMPORT_CEXF);
  g_assert_cmpint (wc_import_guess_format (named, NULL), ==, WC_IMPORT_CEXF);
  back = wc_import_file (again, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_scenario_get_n_injects (back), ==, 3);
  wc_test_remove_dir (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/whitecell/import/guess", test_guess);
  g_test_add_func ("/whitecell/import/tolerant-csv", test_tolerant_csv);
  g_test_add_func ("/whitecell/import/delivery-words", test_delivery_words);
  g_test_add_func ("/whitecell/import/xlsx-day-clock", test_xlsx_day_clock);
  g_test_add_func ("/whitecell/import/ods-tplus", test_ods_tplus);
  g_test_add_data_func ("/whitecell/import/round-trip/csv", "csv", test_round_trip);
  g_test_add_data_func ("/whitecell/import/round-trip/xlsx", "xlsx", test_round_trip);
  g_test_add_data_func ("/whitecell/import/round-trip/ods", "ods", test_round_trip);
  g_test_add_func ("/whitecell/import/formula-injection", test_formula_injection);
  g_test_add_func ("/whitecell/import/broken", test_broken);
  g_test_add_func ("/whitecell/import/bounds", test_bounds);
  g_test_add_func ("/whitecell/import/report", test_report_text);
  g_test_add_func ("/whitecell/import/cli", test_cli);
  g_test_add_func ("/whitecell/import/cli-formats", test_cli_formats);
  for (guint i = 0; i < G_N_ELEMENTS (day_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/import/day-notation/%s",
                                               day_cases[i].name);

      g_test_add_data_func (name, &day_cases[i], test_day_notation);
    }
  g_test_add_func ("/whitecell/import/day-notation-bad", test_day_notation_bad);
  g_test_add_func ("/whitecell/import/real-openbas-cells", test_real_openbas_cells);
  g_test_add_func ("/whitecell/import/real-openbas-import", test_real_openbas_import);
  g_test_add_func ("/whitecell/import/real-libreoffice-ods", test_real_libreoffice_ods);
  g_test_add_func ("/whitecell/import/cli-columns", test_cli_columns);
  return g_test_run ();
}
