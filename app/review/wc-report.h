/* wc-report.h: the after-action report / improvement plan (AAR/IP), from the metrics and the
 * review file: HTML (self-contained, prints on A4 with the TLP marking on every page), Markdown
 * with the same content, CSV tables of the measures and judgements, and JSON (docs/REPORT.md). */
#pragma once

#include "wc-journal.h"
#include "wc-metrics.h"
#include "wc-review.h"

G_BEGIN_DECLS

typedef enum {
  WC_REPORT_HTML,
  WC_REPORT_MARKDOWN,
  WC_REPORT_CSV,
  WC_REPORT_JSON,
} WcReportFormat;

typedef struct {
  WcMetrics                   *metrics;
  const WcJournalVerifyResult *verify;   /* the journal's check; reported on every output */
  const WcReview              *review;   /* nullable; its judgements stand over the journal's */
  const char                  *lang;     /* texts in this language; NULL: the default */
  const char                  *scenario_note; /* nullable: e.g. the scenario changed since */
} WcReportInput;

gboolean  wc_report_format_from_string (const char          *name,
                                        WcReportFormat      *format);
/* Writes the report to @out. */
void      wc_report_write              (const WcReportInput *input,
                                        WcReportFormat       format,
                                        GString             *out);

/* Who judged an action and how: "Eve Evaluator (evaluator)", "rule (automatic)", "reviewer Ann,
 * in review 2027-01-03 (the journal: met, rule)"; "—" when not assessed. */
char     *wc_report_judged_by          (WcMetrics            *metrics,
                                        const WcActionResult *a);
/* "Eve Evaluator (evaluator)", or the id, or "controller". */
char     *wc_report_staff              (WcMetrics            *metrics,
                                        const char           *staff_id);

G_END_DECLS
