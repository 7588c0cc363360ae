/* wc-report.h: the after-action report, from the metrics: HTML (self-contained, prints on A4 with
 * the TLP marking on every page), Markdown with the same content, CSV of the per-team, per-inject
 * measures. */
#pragma once

#include "wc-journal.h"
#include "wc-metrics.h"
#include "wc-review.h"

G_BEGIN_DECLS

typedef enum {
  WC_REPORT_HTML,
  WC_REPORT_MARKDOWN,
  WC_REPORT_CSV,
} WcReportFormat;

typedef struct {
  WcMetrics                   *metrics;
  const WcJournalVerifyResult *verify;   /* the journal's check; reported on every output */
  const WcReview              *review;   /* nullable */
  const char                  *lang;     /* texts in this language; NULL: the default */
  const char                  *scenario_note; /* nullable: e.g. the scenario changed since */
} WcReportInput;

gboolean  wc_report_format_from_string (const char          *name,
                                        WcReportFormat      *format);
/* Writes the report to @out. */
void      wc_report_write              (const WcReportInput *input,
                                        WcReportFormat       format,
                                        GString             *out);

G_END_DECLS
