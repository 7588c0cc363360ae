/* wc-report-private.h: what the report's writers share (wc-report.c): the context, the labels,
 * and the after-action sections written once for every document format through WcReportMarkup
 * (wc-report-aar.c). Each format has its file: wc-report-html.c, -markdown.c, -csv.c, -json.c. */
#pragma once

#include "wc-report.h"

G_BEGIN_DECLS

typedef struct _WcReportCtx WcReportCtx;

/* How a document format writes the shared sections. Every text passed is untrusted (teams' and
 * staff's words, the scenario's texts): the format escapes it. A header or cell class "n" is
 * a number, right-aligned; a cell class may also be an action status ("met", "not-met"…). */
typedef struct {
  void (*heading)   (WcReportCtx *c, int level, const char *text);
  void (*paragraph) (WcReportCtx *c, const char *text);
  void (*table)     (WcReportCtx *c, const char *const *headers, const char *const *classes);
  void (*cell)      (WcReportCtx *c, const char *cls, const char *text);
  void (*row_end)   (WcReportCtx *c);
  void (*table_end) (WcReportCtx *c);
  /* a list item: @label (the report's own words, may be NULL) then @text */
  void (*item)      (WcReportCtx *c, const char *label, const char *text);
  void (*list_end)  (WcReportCtx *c);
} WcReportMarkup;

struct _WcReportCtx {
  const WcReportInput  *in;
  WcMetrics            *metrics;   /* the input's, with the review's judgements over the journal's */
  WcScenario           *scenario;
  const char           *lang;
  const char           *fallback;
  GString              *out;
  const WcReportMarkup *markup;
  gboolean              row_open;
  gboolean              list_open;
};

void        wc_report_printf          (WcReportCtx *c,
                                       const char  *format,
                                       ...) G_GNUC_PRINTF (2, 3);
const char *wc_report_text            (WcReportCtx *c,
                                       const WcText *text);
/* "4 min 05 s", "1 h 12 min", or "—". */
char       *wc_report_duration        (gint64 ms);
char       *wc_report_percent         (guint part,
                                       guint whole);
/* "3.5" or "3,5": one decimal, in the conventions of the report's language. */
char       *wc_report_decimal         (double value);
/* An ISO 8601 time as "12 January 2027, 08:00 UTC" in the report's language (the text itself
 * when it does not parse). */
char       *wc_report_date            (const char *iso8601);
/* The journal's record count, head hash and seals, to compare with `whitecellctl verify`. */
char       *wc_report_fingerprint     (const WcJournalVerifyResult *v);
/* The integrity line: "Journal verified: …" or "This journal FAILED verification at line …". */
char       *wc_report_integrity       (const WcJournalVerifyResult *v);

/* Labels, translated. "Not assessed" is its own status everywhere, never "not met"
 * (wc_action_status_to_label()). */
const char *wc_report_rating_label    (WcRating           rating);
const char *wc_report_kind_label      (WcObservationKind  kind);
const char *wc_report_role_label      (WcStaffRole        role);
/* An objective's assessment from its actions' statuses ("met", "partly met", "not assessed"…). */
const char *wc_report_objective_label (const WcObjectiveMetrics *o);
/* What an improvement item answers: the observation's text or the objective's, or NULL. */
const char *wc_report_area_of         (WcReportCtx         *c,
                                       const WcImprovement *item);
/* Averages of the feedback's 1–5 ratings that were given; -1 when none was. */
void        wc_report_feedback_averages (WcMetrics *metrics,
                                         double    *realism,
                                         double    *usefulness);
/* The team's display name, or the id itself when the scenario does not know it. */
const char *wc_report_team_name       (WcReportCtx *c,
                                       const char  *team_id);

/* The after-action sections, written once for HTML and Markdown (wc-report-aar.c). */
void        wc_report_aar_overview      (WcReportCtx *c);
void        wc_report_aar_objectives    (WcReportCtx *c);
void        wc_report_aar_team_findings (WcReportCtx *c,
                                         const WcTeam *team);
void        wc_report_aar_feedback      (WcReportCtx *c);
void        wc_report_aar_observations  (WcReportCtx *c);
void        wc_report_aar_plan          (WcReportCtx *c);
/* The coordination loop (wc-report-loop.c): its section, and its labels for CSV and JSON. */
void        wc_report_aar_loop          (WcReportCtx *c);
const char *wc_report_loop_stage_label  (WcNotificationStage stage);
const char *wc_report_loop_kind_label   (const WcLoopItem   *item);
/* A sender's name: a team's, an actor's (the controllers played it), or "Controllers". */
const char *wc_report_loop_sender_name  (WcReportCtx        *c,
                                         const char         *id);

void        wc_report_write_html      (WcReportCtx *c);
void        wc_report_write_markdown  (WcReportCtx *c);
void        wc_report_write_csv       (WcReportCtx *c);
void        wc_report_write_json      (WcReportCtx *c);

G_END_DECLS
