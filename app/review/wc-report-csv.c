/* wc-report-csv.c: the report as CSV for spreadsheets: first the measures, one line per team ×
 * inject; then, after an empty line, one line per judged action, observation, rating, feedback
 * and improvement item, each saying in its first cell which table it belongs to (docs/REPORT.md).
 * Every cell of text is quoted, with a quote mark before what a spreadsheet would run. */
#define G_LOG_DOMAIN "wc-report"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-report-private.h"
#include "wc-untrusted.h"

static void
csv_cell (WcReportCtx *c,
          const char  *text,
          gboolean     last)
{
  g_autofree char *shown = wc_untrusted_show_invisible (text);

  /* Quoted always, and what a spreadsheet would run as a formula gets a quote mark first. */
  g_string_append_c (c->out, '"');
  if (wc_untrusted_is_formula (shown))
    g_string_append_c (c->out, '\'');
  for (const char *s = shown; *s; s++)
    {
      if (*s == '"')
        g_string_append_c (c->out, '"');
      g_string_append_c (c->out, *s);
    }
  g_string_append_c (c->out, '"');
  g_string_append (c->out, last ? "\r\n" : ",");
}

/* Cells of text; the last ends the line when @end_line. */
static void
csv_cells (WcReportCtx *c,
           gboolean     end_line,
           const char  *first,
           ...) G_GNUC_NULL_TERMINATED;

static void
csv_cells (WcReportCtx *c,
           gboolean     end_line,
           const char  *first,
           ...)
{
  va_list args;
  const char *next;

  va_start (args, first);
  for (const char *cell = first; cell; cell = next)
    {
      next = va_arg (args, const char *);
      csv_cell (c, cell, end_line && next == NULL);
    }
  va_end (args);
}

static void
csv_ms (WcReportCtx *c,
        gint64       ms)
{
  if (ms >= 0)
    g_string_append_printf (c->out, "%.1f,", ms / 1000.0);
  else
    g_string_append_c (c->out, ',');
}

static void
csv_measures (WcReportCtx *c)
{
  WcMetrics *m = c->metrics;

  g_string_append (c->out, "team,team_name,inject,title,channel,tlp,fired_s,delivered_s,"
                           "acknowledged_s,first_response_s,to_deliver_s,to_acknowledge_s,"
                           "to_respond_s,responses,decision,actions_met,actions_late,"
                           "actions_partial,actions_not_met,actions_na,actions_not_assessed,"
                           "webhook_failures\r\n");
  for (guint i = 0; i < wc_metrics_get_n_rows (m); i++)
    {
      const WcTeamInjectMetrics *row = wc_metrics_get_row (m, i);
      guint counts[WC_ACTION_N_STATUSES] = { 0 };

      for (guint k = 0; k < row->actions->len; k++)
        counts[g_array_index (row->actions, WcActionResult, k).status]++;
      csv_cell (c, row->team->id, FALSE);
      csv_cell (c, wc_report_text (c, row->team->name), FALSE);
      csv_cell (c, row->inject->id, FALSE);
      csv_cell (c, wc_report_text (c, row->inject->title), FALSE);
      csv_cell (c, wc_channel_to_string (row->inject->channel), FALSE);
      csv_cell (c, wc_tlp_to_string (row->inject->tlp), FALSE);
      csv_ms (c, row->fired_ms);
      csv_ms (c, row->delivered_ms);
      csv_ms (c, row->acknowledged_ms);
      csv_ms (c, row->first_response_ms);
      csv_ms (c, row->to_deliver_ms);
      csv_ms (c, row->to_acknowledge_ms);
      csv_ms (c, row->to_respond_ms);
      g_string_append_printf (c->out, "%u,", row->n_responses);
      csv_cell (c, row->option, FALSE);
      g_string_append_printf (c->out, "%u,%u,%u,%u,%u,%u,%u\r\n", counts[WC_ACTION_MET],
                              counts[WC_ACTION_LATE], counts[WC_ACTION_PARTIAL],
                              counts[WC_ACTION_NOT_MET], counts[WC_ACTION_NA],
                              counts[WC_ACTION_NOT_ASSESSED], row->webhook_failures);
    }
}

static void
csv_actions (WcReportCtx *c)
{
  WcMetrics *m = c->metrics;

  g_string_append (c->out, "\r\ntable,inject,team,action,objective,status,how,judged_by,"
                           "judged_by_name,journal_status,t_s,note\r\n");
  for (guint i = 0; i < wc_metrics_get_n_rows (m); i++)
    {
      const WcTeamInjectMetrics *row = wc_metrics_get_row (m, i);

      for (guint k = 0; k < row->actions->len; k++)
        {
          const WcActionResult *a = &g_array_index (row->actions, WcActionResult, k);
          const char *how = a->reviewed ? "review" : a->status == WC_ACTION_NOT_ASSESSED ? ""
                            : a->automatic ? "rule" : "staff";
          const char *name = a->reviewed ? a->by : a->automatic || a->status == WC_ACTION_NOT_ASSESSED
                             ? "" : wc_metrics_get_staff_name (m, a->by);

          /* a rule judges no one: it names no one */

          csv_cells (c, FALSE, "action", row->inject->id, row->team->id, a->action->id,
                     a->action->objective ? a->action->objective : "",
                     wc_action_status_to_string (a->status), how,
                     g_strcmp0 (how, "staff") == 0 && a->by == NULL ? "controller"
                     : g_strcmp0 (how, "rule") == 0 || !*how ? "" : a->by, name,
                     wc_action_status_to_string (a->journal_status), NULL);
          csv_ms (c, a->reviewed ? -1 : a->met_ms);
          csv_cell (c, a->note, TRUE);
        }
    }
}

static void
csv_evaluation (WcReportCtx *c)
{
  WcMetrics *m = c->metrics;
  const WcReview *review = c->in->review;

  g_string_append (c->out, "\r\ntable,t_s,kind,team,inject,objective,by,by_name,text\r\n");
  for (guint i = 0; i < wc_metrics_get_n_observations (m); i++)
    {
      const WcStaffObservation *o = wc_metrics_get_observation (m, i);

      csv_cell (c, "observation", FALSE);
      csv_ms (c, o->t_ms);
      csv_cells (c, TRUE, wc_observation_kind_to_string (o->kind), o->team ? o->team : "",
                 o->inject ? o->inject : "", o->objective ? o->objective : "", o->by ? o->by : "",
                 wc_metrics_get_staff_name (m, o->by), o->text, NULL);
    }
  g_string_append (c->out, "\r\ntable,t_s,objective,target,rating,latest,by,by_name,rationale\r\n");
  for (guint i = 0; i < wc_metrics_get_n_ratings (m); i++)
    {
      const WcObjectiveRating *r = wc_metrics_get_rating (m, i);

      csv_cell (c, "rating", FALSE);
      csv_ms (c, r->t_ms);
      csv_cells (c, TRUE, r->objective, r->target ? r->target : "", wc_rating_to_string (r->rating),
                 r->latest ? "yes" : "no", r->by ? r->by : "", wc_metrics_get_staff_name (m, r->by),
                 r->rationale ? r->rationale : "", NULL);
    }
  g_string_append (c->out, "\r\ntable,team,team_name,realism,usefulness,strengths,improvements,text\r\n");
  for (guint i = 0; i < wc_metrics_get_n_feedback (m); i++)
    {
      const WcTeamFeedback *f = wc_metrics_get_feedback (m, i);

      csv_cells (c, FALSE, "feedback", f->team->id, wc_report_text (c, f->team->name), NULL);
      g_string_append_printf (c->out, "%u,%u,", f->realism, f->usefulness);
      csv_cells (c, TRUE, f->strengths ? f->strengths : "", f->improvements ? f->improvements : "",
                 f->text ? f->text : "", NULL);
    }
  g_string_append (c->out, "\r\ntable,status,what,owner,due,objective,observation,area\r\n");
  for (guint i = 0; review && i < review->improvements->len; i++)
    {
      const WcImprovement *item = g_ptr_array_index (review->improvements, i);
      const char *area = wc_report_area_of (c, item);

      csv_cells (c, FALSE, "improvement", wc_review_status_to_string (review->status), item->what,
                 item->owner ? item->owner : "", item->due ? item->due : "",
                 item->objective ? item->objective : "", NULL);
      if (item->observation > 0)
        g_string_append_printf (c->out, "%" G_GUINT64_FORMAT ",", item->observation);
      else
        g_string_append (c->out, ",");
      csv_cell (c, area, TRUE);
    }
}

static void
csv_loop_count (const char *from,
                const char *to,
                guint       count,
                gpointer    user_data)
{
  WcReportCtx *c = user_data;

  csv_cells (c, FALSE, "loop-matrix", *from ? from : "controllers", to, NULL);
  g_string_append_printf (c->out, "%u\r\n", count);
}

/* The coordination loop's measures, one line each, first cell naming the table: "loop-stage"
 * (operator × NIS2 stage), "loop-warned" (operator: notification → a CSIRT's warning),
 * "loop-ack" (warning × recipient), "loop-matrix" (sender × recipient, counts),
 * "loop-uninformed" (team). Times in seconds of exercise time, empty for never. */
static void
csv_loop (WcReportCtx *c)
{
  WcLoopMetrics *loop = wc_metrics_get_loop (c->metrics);
  GPtrArray *uninformed = wc_loop_metrics_get_uninformed (loop);

  for (guint i = 0; i < wc_loop_metrics_get_n_operators (loop); i++)
    {
      const WcLoopOperator *op = wc_loop_metrics_get_operator (loop, i);

      for (guint s = 0; s < WC_N_STAGES; s++)
        {
          const WcLoopStage *st = &op->stages[s];

          csv_cells (c, FALSE, "loop-stage", op->team->id, op->inject->id,
                     wc_notification_stage_to_string (s), NULL);
          csv_ms (c, op->incident_ms);
          csv_ms (c, st->filed_ms);
          csv_ms (c, st->elapsed_ms);
          csv_ms (c, st->deadline_ms);
          csv_cells (c, TRUE, wc_loop_status_to_string (st->status), st->message ? st->message : "",
                     NULL);
        }
      csv_cells (c, FALSE, "loop-warned", op->team->id, NULL);
      csv_ms (c, op->notified_ms);
      csv_ms (c, op->warned_ms);
      csv_ms (c, op->to_warn_ms);
      csv_cells (c, TRUE, op->warning ? op->warning : "", op->warned_by ? op->warned_by->id : "",
                 NULL);
    }
  for (guint i = 0; i < wc_loop_metrics_get_n_acks (loop); i++)
    {
      const WcLoopAck *a = wc_loop_metrics_get_ack (loop, i);

      csv_cells (c, FALSE, "loop-ack", a->warning, a->form ? a->form : "", a->team->id, NULL);
      csv_ms (c, a->issued_ms);
      csv_ms (c, a->acknowledged_ms);
      if (a->to_acknowledge_ms >= 0)
        g_string_append_printf (c->out, "%.1f\r\n", a->to_acknowledge_ms / 1000.0);
      else
        g_string_append (c->out, "\r\n");
    }
  wc_loop_metrics_foreach_count (loop, csv_loop_count, c);
  for (guint i = 0; i < uninformed->len; i++)
    csv_cells (c, TRUE, "loop-uninformed", ((const WcTeam *) g_ptr_array_index (uninformed, i))->id,
               NULL);
}

void
wc_report_write_csv (WcReportCtx *c)
{
  if (c->in->verify->verdict != WC_JOURNAL_SOUND)
    {
      g_autofree char *warning = wc_report_integrity (c->in->verify);

      csv_cell (c, warning, TRUE);
    }
  csv_measures (c);
  csv_actions (c);
  csv_evaluation (c);
  csv_loop (c);
}
