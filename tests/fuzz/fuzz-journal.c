/* fuzz-journal.c: a journal handed in for review (or left on disk by a crash): reading, checking
 * and carrying it on, and the metrics and the after-action report in every format, against a
 * small fixed scenario. Participants' text in it must come out escaped. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fuzz-common.h"
#include "wc-journal.h"
#include "wc-metrics.h"
#include "wc-report.h"
#include "wc-scenario-loader.h"

static WcScenario *
fixed_scenario (void)
{
  static WcScenario *scenario;

  if (scenario == NULL)
    {
      g_autofree char *path = g_build_filename (WC_FUZZ_FIXTURES_DIR, "valid.json", NULL);
      g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
      g_autoptr(GError) error = NULL;

      scenario = wc_scenario_load (path, diag, &error);
      g_assert_no_error (error);
    }
  return scenario;
}

static void
check_reports (WcJournal                   *journal,
               const WcJournalVerifyResult *verify)
{
  g_autoptr(WcMetrics) metrics = wc_metrics_new (fixed_scenario (), journal);
  static const WcReportFormat formats[] = { WC_REPORT_HTML, WC_REPORT_MARKDOWN, WC_REPORT_CSV };
  static const char *const langs[] = { NULL, "fr" };

  for (guint i = 0; i < wc_metrics_get_n_rows (metrics); i++)
    g_assert_nonnull (wc_metrics_get_row (metrics, i)->inject);
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
      {
        WcReportInput input = { .metrics = metrics, .verify = verify, .lang = langs[l] };
        g_autoptr(GString) out = g_string_new (NULL);

        wc_report_write (&input, formats[f], out);
        g_assert_cmpuint (out->len, >, 0);
        g_assert_true (g_utf8_validate (out->str, out->len, NULL));
        /* the only markup in the HTML report is the report's own: a participant's <script>
         * (or any tag) in a record must have been escaped */
        if (formats[f] == WC_REPORT_HTML)
          g_assert_null (strstr (out->str, "<script"));
      }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = NULL;
  g_autoptr(WcJournal) reopened = NULL;
  g_autoptr(JsonObject) header = NULL;
  WcJournalVerifyResult verify = { 0 };
  WcJournalRecovery recovery = { 0 };
  WcJournalRecord *last;

  fuzz_init ();
  path = fuzz_write_file ("journal.jsonl", data, size);

  g_assert_true (wc_journal_verify_file (path, &verify, &error));
  g_assert_no_error (error);
  if (verify.verdict != WC_JOURNAL_SOUND)
    g_assert_nonnull (verify.message);

  header = wc_journal_read_header (path, &error);
  g_assert_true ((header == NULL) == (error != NULL));
  g_clear_error (&error);
  last = wc_journal_read_last_record (path, &error);
  g_clear_pointer (&last, wc_journal_record_free);
  g_clear_error (&error);

  journal = wc_journal_load (path, &error);
  g_assert_true ((journal == NULL) == (error != NULL));
  g_clear_error (&error);
  if (journal != NULL)
    {
      for (guint i = 0; i < wc_journal_get_n_records (journal); i++)
        g_assert_nonnull (wc_journal_get_record (journal, i)->type);
      check_reports (journal, &verify);
    }
  wc_journal_verify_result_clear (&verify);

  /* last, as it may repair the file: carrying on an exercise after a crash */
  reopened = wc_journal_open (path, &recovery, &error);
  g_assert_true ((reopened == NULL) == (error != NULL));
  if (recovery.backup_path != NULL)
    g_unlink (recovery.backup_path);
  wc_journal_recovery_clear (&recovery);
  return 0;
}
