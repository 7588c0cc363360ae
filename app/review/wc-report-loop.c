/* wc-report-loop.c: the report's "Coordination loop" section (issue 14), written once for HTML
 * and Markdown through the format's WcReportMarkup: the operators' notifications against the
 * scenario's deadlines, the CSIRT's warnings after them, the acknowledgements of the warnings,
 * who wrote to whom, who was never informed, and the traffic itself. */
#define G_LOG_DOMAIN "wc-report"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-live-traffic.h"
#include "wc-report-private.h"

#define M(c) ((c)->markup)

const char *
wc_report_loop_stage_label (WcNotificationStage stage)
{
  switch (stage)
    {
    case WC_STAGE_EARLY_WARNING: return _("Early warning");
    case WC_STAGE_NOTIFICATION: return _("Incident notification");
    case WC_STAGE_FINAL_REPORT:
    default: return _("Final report");
    }
}

/* The class of a result's cell, as the report's styles colour action statuses. */
static const char *
status_class (WcLoopStatus status)
{
  switch (status)
    {
    case WC_LOOP_MET: return "met";
    case WC_LOOP_LATE: return "late";
    case WC_LOOP_MISSING: return "not-met";
    case WC_LOOP_FILED:
    case WC_LOOP_NOT_FILED:
    default: return NULL;
    }
}

const char *
wc_report_loop_sender_name (WcReportCtx *c,
                            const char  *id)
{
  const WcTeam *team = id ? wc_scenario_find_team (c->scenario, id) : NULL;
  const WcActor *actor = id ? wc_scenario_find_actor (c->scenario, id) : NULL;

  if (team)
    return wc_report_text (c, team->name);
  if (actor)
    /* the controllers played it: the reader must not take it for a team */
    return wc_report_text (c, actor->name);
  return wc_live_traffic_sender_name (c->scenario, id);
}

static void
notifications (WcReportCtx   *c,
               WcLoopMetrics *loop)
{
  const char *headers[] = { _("Operator"), _("Incident inject"), _("Incident reached it"),
                            _("Stage"), _("Filed"), _("Time taken"), _("Deadline"), _("Result"),
                            NULL };
  const char *classes[] = { NULL, NULL, "n", NULL, "n", "n", "n", NULL, NULL };

  M (c)->heading (c, 3, _("Incident notifications"));
  if (wc_loop_metrics_get_n_operators (loop) == 0)
    {
      M (c)->paragraph (c, _("No inject told an operator of its incident (no inject has "
                             "“incident”: true)."));
      return;
    }
  M (c)->table (c, headers, classes);
  for (guint i = 0; i < wc_loop_metrics_get_n_operators (loop); i++)
    {
      const WcLoopOperator *op = wc_loop_metrics_get_operator (loop, i);
      g_autofree char *start = wc_metrics_format_ms (op->incident_ms);

      for (guint s = 0; s < WC_N_STAGES; s++)
        {
          const WcLoopStage *st = &op->stages[s];
          g_autofree char *filed = wc_metrics_format_ms (st->filed_ms);
          g_autofree char *taken = wc_report_duration (st->elapsed_ms);
          g_autofree char *deadline = wc_report_duration (st->deadline_ms);

          M (c)->cell (c, NULL, s == 0 ? wc_report_text (c, op->team->name) : "");
          M (c)->cell (c, NULL, s == 0 ? op->inject->id : "");
          M (c)->cell (c, "n", s == 0 ? start : "");
          M (c)->cell (c, NULL, wc_report_loop_stage_label (s));
          M (c)->cell (c, "n", filed);
          M (c)->cell (c, "n", taken);
          M (c)->cell (c, "n", deadline);
          M (c)->cell (c, status_class (st->status), wc_loop_status_to_label (st->status));
          M (c)->row_end (c);
        }
    }
  M (c)->table_end (c);
}

static void
warned (WcReportCtx   *c,
        WcLoopMetrics *loop)
{
  const char *headers[] = { _("Operator"), _("First notification"), _("First warning by a CSIRT"),
                            _("Warned by"), _("Time taken"), NULL };
  const char *classes[] = { NULL, "n", "n", NULL, "n", NULL };

  if (wc_loop_metrics_get_n_operators (loop) == 0)
    return;
  M (c)->heading (c, 3, _("From the notification to the CSIRT’s warning"));
  M (c)->table (c, headers, classes);
  for (guint i = 0; i < wc_loop_metrics_get_n_operators (loop); i++)
    {
      const WcLoopOperator *op = wc_loop_metrics_get_operator (loop, i);
      g_autofree char *notified = wc_metrics_format_ms (op->notified_ms);
      g_autofree char *warned_ms = wc_metrics_format_ms (op->warned_ms);
      g_autofree char *warned_at = NULL;
      g_autofree char *taken = wc_report_duration (op->to_warn_ms);

      if (op->warning)
        /* TRANSLATORS: when and which warning: "T+00:40:00 (M-4)" */
        warned_at = g_strdup_printf (_("%s (%s)"), warned_ms, op->warning);
      M (c)->cell (c, NULL, wc_report_text (c, op->team->name));
      M (c)->cell (c, "n", notified);
      M (c)->cell (c, "n", warned_at ? warned_at : "—");
      M (c)->cell (c, NULL, op->warned_by ? wc_report_text (c, op->warned_by->name) : "—");
      M (c)->cell (c, "n", taken);
      M (c)->row_end (c);
    }
  M (c)->table_end (c);
}

static void
acknowledgements (WcReportCtx   *c,
                  WcLoopMetrics *loop)
{
  const char *headers[] = { _("Warning"), _("Issued"), _("Recipient"), _("Acknowledged"),
                            _("Time taken"), NULL };
  const char *classes[] = { NULL, "n", NULL, "n", "n", NULL };

  M (c)->heading (c, 3, _("Warnings acknowledged"));
  if (wc_loop_metrics_get_n_acks (loop) == 0)
    {
      M (c)->paragraph (c, _("No warning was issued."));
      return;
    }
  M (c)->table (c, headers, classes);
  for (guint i = 0; i < wc_loop_metrics_get_n_acks (loop); i++)
    {
      const WcLoopAck *a = wc_loop_metrics_get_ack (loop, i);
      g_autofree char *issued = wc_metrics_format_ms (a->issued_ms);
      g_autofree char *acked = wc_metrics_format_ms (a->acknowledged_ms);
      g_autofree char *taken = wc_report_duration (a->to_acknowledge_ms);
      g_autofree char *warning = g_strdup_printf ("%s (%s)", a->warning,
                                                  g_strcmp0 (a->form, "ews") == 0
                                                  ? _("EWS bulletin") : _("Spear Warning"));

      M (c)->cell (c, NULL, warning);
      M (c)->cell (c, "n", issued);
      M (c)->cell (c, NULL, wc_report_text (c, a->team->name));
      M (c)->cell (c, a->acknowledged_ms < 0 ? "not-met" : "n",
                   a->acknowledged_ms < 0 ? _("never") : acked);
      M (c)->cell (c, "n", taken);
      M (c)->row_end (c);
    }
  M (c)->table_end (c);
}

static void
matrix (WcReportCtx   *c,
        WcLoopMetrics *loop)
{
  guint n_teams = wc_scenario_get_n_teams (c->scenario);
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  g_autoptr(GPtrArray) classes = g_ptr_array_new ();

  M (c)->heading (c, 3, _("Who wrote to whom"));
  M (c)->paragraph (c, _("Items of traffic (messages, notifications, warnings, situation reports) "
                         "from each sender (rows) to each recipient (columns)."));
  /* TRANSLATORS: the corner of the who-wrote-to-whom table: senders down, recipients across */
  g_ptr_array_add (headers, (gpointer) _("From \\ to"));
  g_ptr_array_add (classes, NULL);
  for (guint t = 0; t < n_teams; t++)
    {
      g_ptr_array_add (headers, (gpointer) wc_report_text (c, wc_scenario_get_team (c->scenario, t)->name));
      g_ptr_array_add (classes, (gpointer) "n");
    }
  g_ptr_array_add (headers, NULL);
  g_ptr_array_add (classes, NULL);
  M (c)->table (c, (const char *const *) headers->pdata, (const char *const *) classes->pdata);
  for (guint i = 0; i < wc_loop_metrics_get_n_senders (loop); i++)
    {
      const char *from = wc_loop_metrics_get_sender (loop, i);

      M (c)->cell (c, NULL, wc_report_loop_sender_name (c, *from ? from : NULL));
      for (guint t = 0; t < n_teams; t++)
        {
          guint n = wc_loop_metrics_count (loop, from, wc_scenario_get_team (c->scenario, t)->id);
          g_autofree char *text = n ? g_strdup_printf ("%u", n) : g_strdup ("·");

          M (c)->cell (c, "n", text);
        }
      M (c)->row_end (c);
    }
  M (c)->table_end (c);
}

static void
uninformed (WcReportCtx   *c,
            WcLoopMetrics *loop)
{
  GPtrArray *teams = wc_loop_metrics_get_uninformed (loop);

  M (c)->heading (c, 3, _("Teams never informed"));
  if (teams->len == 0)
    {
      M (c)->paragraph (c, _("Every team received or issued a warning or a situation report."));
      return;
    }
  M (c)->paragraph (c, _("These teams neither received nor issued a warning or a situation "
                         "report:"));
  for (guint i = 0; i < teams->len; i++)
    {
      const WcTeam *team = g_ptr_array_index (teams, i);

      M (c)->item (c, NULL, wc_report_text (c, team->name));
    }
  M (c)->list_end (c);
}

/* "2/3": how many of an item's recipients acknowledged it */
static char *
acknowledged_of (const WcLoopItem *item)
{
  return g_strdup_printf ("%u/%u", item->n_acknowledged, item->to ? json_array_get_length (item->to) : 0);
}

static void
traffic (WcReportCtx   *c,
         WcLoopMetrics *loop)
{
  const char *headers[] = { _("Exercise time"), _("Item"), _("Kind"), _("From"), _("To"),
                            _("About"), _("Acknowledged"), NULL };
  const char *classes[] = { "n", NULL, NULL, NULL, NULL, NULL, "n", NULL };

  M (c)->heading (c, 3, _("Traffic"));
  M (c)->table (c, headers, classes);
  for (guint i = 0; i < wc_loop_metrics_get_n_items (loop); i++)
    {
      const WcLoopItem *item = wc_loop_metrics_get_item (loop, i);
      g_autofree char *t = wc_time_format (item->t_ms, FALSE);
      g_autofree char *acked = acknowledged_of (item);
      g_autoptr(GString) to = g_string_new (NULL);

      for (guint k = 0; item->to && k < json_array_get_length (item->to); k++)
        g_string_append_printf (to, "%s%s", k ? ", " : "",
                                wc_report_team_name (c, json_array_get_string_element (item->to, k)));
      M (c)->cell (c, "n", t);
      M (c)->cell (c, NULL, item->id);
      M (c)->cell (c, NULL, wc_report_loop_kind_label (item));
      M (c)->cell (c, NULL, wc_report_loop_sender_name (c, item->from));
      M (c)->cell (c, NULL, to->str);
      M (c)->cell (c, NULL, item->summary);
      M (c)->cell (c, "n", acked);
      M (c)->row_end (c);
    }
  M (c)->table_end (c);
}

const char *
wc_report_loop_kind_label (const WcLoopItem *item)
{
  if (g_strcmp0 (item->kind, "notification") == 0)
    {
      WcNotificationStage stage;

      if (wc_notification_stage_from_string (wc_record_get_string (item->data, "stage"), &stage))
        return wc_report_loop_stage_label (stage);
      return _("Incident notification");
    }
  if (g_strcmp0 (item->kind, "warning") == 0)
    return g_strcmp0 (wc_record_get_string (item->data, "form"), "ews") == 0
      ? _("EWS bulletin") : _("Spear Warning");
  if (g_strcmp0 (item->kind, "sitrep") == 0)
    return _("Situation report");
  if (wc_record_get_string (item->data, "in_reply_to"))
    return _("Reply");
  return _("Message");
}

void
wc_report_aar_loop (WcReportCtx *c)
{
  WcLoopMetrics *loop = wc_metrics_get_loop (c->metrics);

  M (c)->heading (c, 2, _("Coordination loop"));
  if (wc_loop_metrics_get_n_items (loop) == 0 && wc_loop_metrics_get_n_operators (loop) == 0)
    {
      M (c)->paragraph (c, _("No team-to-team traffic was recorded."));
      return;
    }
  notifications (c, loop);
  warned (c, loop);
  acknowledgements (c, loop);
  matrix (c, loop);
  uninformed (c, loop);
  traffic (c, loop);
}
