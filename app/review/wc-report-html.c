/* wc-report-html.c: the after-action report as one self-contained HTML page: no script, nothing
 * fetched, printable on A4 with the TLP marking on every page. Every text that is not the
 * report's own goes through h(). */
#define G_LOG_DOMAIN "wc-report"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-record.h"
#include "wc-report-private.h"
#include "wc-untrusted.h"

static void
h (WcReportCtx *c,
   const char *text)
{
  g_autofree char *shown = wc_untrusted_show_invisible (text);
  g_autofree char *escaped = g_markup_escape_text (shown, -1);

  g_string_append (c->out, escaped);
}

#define raw wc_report_printf

/* The shared sections' markup ------------------------------------------------------------------ */

static void
html_heading (WcReportCtx *c,
              int          level,
              const char  *text)
{
  raw (c, "<h%d>", level);
  h (c, text);
  raw (c, "</h%d>\n", level);
}

static void
html_paragraph (WcReportCtx *c,
                const char  *text)
{
  raw (c, "<p class=\"quote\">");
  h (c, text);
  raw (c, "</p>\n");
}

static void
html_table (WcReportCtx       *c,
            const char *const *headers,
            const char *const *classes)
{
  raw (c, "<table><tr>");
  for (guint i = 0; headers[i]; i++)
    {
      raw (c, classes && classes[i] ? "<th class=\"%s\">" : "<th>", classes ? classes[i] : NULL);
      h (c, headers[i]);
      raw (c, "</th>");
    }
  raw (c, "</tr>\n");
}

static void
html_cell (WcReportCtx *c,
           const char  *cls,
           const char  *text)
{
  if (!c->row_open)
    raw (c, "<tr>");
  c->row_open = TRUE;
  if (cls)
    raw (c, "<td class=\"%s\">", cls);
  else
    raw (c, "<td class=\"quote\">");
  h (c, text);
  raw (c, "</td>");
}

static void
html_row_end (WcReportCtx *c)
{
  raw (c, "</tr>\n");
  c->row_open = FALSE;
}

static void
html_table_end (WcReportCtx *c)
{
  raw (c, "</table>\n");
}

static void
html_item (WcReportCtx *c,
           const char  *label,
           const char  *text)
{
  if (!c->list_open)
    raw (c, "<ul>\n");
  c->list_open = TRUE;
  raw (c, "<li>");
  if (label)
    {
      raw (c, "<b>");
      h (c, label);
      raw (c, "</b> ");
    }
  raw (c, "<span class=\"quote\">");
  h (c, text);
  raw (c, "</span></li>\n");
}

static void
html_list_end (WcReportCtx *c)
{
  if (c->list_open)
    raw (c, "</ul>\n");
  c->list_open = FALSE;
}

static const WcReportMarkup html_markup = {
  html_heading, html_paragraph, html_table, html_cell, html_row_end, html_table_end, html_item,
  html_list_end,
};

static const char *
tlp_class (WcTlp tlp)
{
  static const char *const classes[] = { "clear", "green", "amber", "amber", "red" };

  return classes[tlp];
}

static const char html_style[] =
  "@page { size: A4; margin: 22mm 16mm 20mm 16mm; }\n"
  "body { font: 10.5pt/1.45 'Cantarell', 'Noto Sans', 'DejaVu Sans', sans-serif; color: #241f31;"
  " margin: 0 auto; max-width: 60em; padding: 3.5em 1.5em 3em; }\n"
  "h1 { font-size: 20pt; margin: 0 0 .2em; } h2 { font-size: 14pt; margin: 1.6em 0 .5em;"
  " border-bottom: 1px solid #deddda; padding-bottom: .2em; break-after: avoid; }\n"
  "h3 { font-size: 11.5pt; margin: 1.2em 0 .4em; break-after: avoid; }\n"
  ".meta { color: #5e5c64; } table { border-collapse: collapse; width: 100%; margin: .4em 0;"
  " font-size: 9.5pt; } th, td { text-align: left; padding: .25em .5em; border-bottom: 1px solid"
  " #deddda; vertical-align: top; } th { background: #f6f5f4; } tr { break-inside: avoid; }\n"
  "td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }\n"
  ".tlp { position: fixed; top: 0; right: 0; font: bold 10pt monospace; padding: .3em .8em;"
  " background: #000; } .tlp-red { color: #ff2b2b; } .tlp-amber { color: #ffc000; }"
  " .tlp-green { color: #33ff00; } .tlp-clear { color: #fff; }\n"
  ".foot { position: fixed; bottom: 0; left: 0; right: 0; font-size: 8pt; color: #5e5c64;"
  " text-align: center; padding: .3em; background: #fff; }\n"
  ".integrity { padding: .6em 1em; border-radius: 6px; margin: 1em 0; }"
  " .sound { background: #e6f4ea; border: 1px solid #2ec27e; }"
  " .broken { background: #fbe9e7; border: 2px solid #c01c28; font-weight: bold; }\n"
  ".cards { display: flex; flex-wrap: wrap; gap: .6em; } .card { border: 1px solid #deddda;"
  " border-radius: 6px; padding: .5em .8em; min-width: 9em; } .card b { display: block;"
  " font-size: 15pt; }\n"
  ".met { color: #26a269; } .late { color: #c64600; } .missed, .not-met { color: #c01c28;"
  " font-weight: bold; } .open, .na { color: #5e5c64; } .partial { color: #9c6e03; }"
  " .not-assessed { color: #5e5c64; font-style: italic; }\n"
  "h4 { font-size: 10.5pt; margin: .9em 0 .3em; } ul { padding-left: 1.4em; } li { margin: .15em 0; }\n"
  ".status { display: inline-block; font: bold 9pt sans-serif; letter-spacing: .08em;"
  " padding: .15em .6em; border-radius: 4px; margin-left: .6em; vertical-align: middle; }"
  " .draft { background: #fdf0d5; color: #9c6e03; border: 1px solid #e5a50a; }"
  " .final { background: #e6f4ea; color: #26a269; border: 1px solid #2ec27e; }\n"
  ".quote { white-space: pre-wrap; } svg { width: 100%; height: auto; }"
  " svg text { font: 9px sans-serif; fill: #3d3846; }\n"
  ".print-only { display: none; }\n"
  /* On paper the marking and the footer go in the page's margins (wc_report_write_html's
   * @page boxes), never over the text; the timeline's words stay legible at A4 width; the
   * clock's checkpoints, one every minute or two, stay in the journal. */
  "@media print { body { padding: 0; max-width: none; font-size: 10pt; }"
  " .tlp, .foot { display: none; }"
  " h2 { break-before: auto; } .print-only { display: block; } tr.housekeeping { display: none; }"
  " svg text { font-size: 13px; } .timeline { break-inside: avoid; }"
  " table { font-size: 8.5pt; } th, td { padding: .15em .4em; } .cards { gap: .4em; }"
  " .card { padding: .3em .6em; } .card b { font-size: 13pt; } }\n";

/* @text as a CSS string's content: quotes, backslashes, line ends and '<' (a "</style>" would
 * end the sheet) as escapes. */
static void
css_string (GString    *out,
            const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    if (*p == '"' || *p == '\\' || *p == '<' || *p == '>' || (guchar) *p < 0x20)
      g_string_append_printf (out, "\\%x ", (guchar) *p);
    else
      g_string_append_c (out, *p);
  g_string_append_c (out, '"');
}

/* The marking on every printed page, in the margins: the TLP badge top right, the footer with
 * the page number at the bottom. Chromium lays these out in the margin, so no text is covered. */
static void
html_page_style (WcReportCtx *c,
                 WcTlp        tlp)
{
  static const char *const colors[] = { "#ffffff", "#33ff00", "#ffc000", "#ffc000", "#ff2b2b" };
  const char *tlp_name = wc_tlp_to_string (tlp);
  g_autofree char *marking = g_strdup_printf ("TLP:%s", tlp_name);
  /* the exercise marking beside the TLP: nothing printed from an exercise passes for real */
  g_autofree char *exercise = g_strdup_printf (" · %s", wc_exercise_marking (c->lang));
  g_autofree char *foot = g_strdup_printf ("TLP:%s · %s — %s — %s", tlp_name,
                                           wc_exercise_marking (c->lang),
                                           wc_scenario_get_id (c->scenario),
                                           _("Whitecell after-action report"));
  g_autoptr(GString) css = g_string_new ("@page { @top-right { content: ");

  css_string (css, marking);
  g_string_append_c (css, ' ');
  css_string (css, exercise);
  g_string_append_printf (css, "; font: bold 10pt monospace; color: %s; background: #000;"
                               " width: 48mm; height: 6mm; margin: 8mm 0; text-align: center;"
                               " vertical-align: middle; }"
                               " @bottom-center { content: ", colors[tlp]);
  css_string (css, foot);
  g_string_append (css, " \" · \" counter(page) \" / \" counter(pages);"
                        " font: 8pt sans-serif; color: #5e5c64; } }\n");
  raw (c, "<style media=\"print\">\n%s</style>\n", css->str);
}

static void
html_summary (WcReportCtx *c)
{
  const WcTeamMetrics *all = wc_metrics_get_overall (c->metrics);
  g_autofree char *ack = wc_report_duration (all->to_acknowledge.median);
  g_autofree char *ack_worst = wc_report_duration (all->to_acknowledge.worst);
  g_autofree char *resp = wc_report_duration (all->to_respond.median);
  g_autofree char *resp_worst = wc_report_duration (all->to_respond.worst);
  g_autofree char *ack_rate = wc_report_percent (all->acknowledged, all->received);
  g_autofree char *resp_rate = wc_report_percent (all->responded, all->received);
  const guint *n = all->actions;
  /* of the actions someone (or a rule) judged: "not assessed" is not a failure */
  guint judged = n[WC_ACTION_MET] + n[WC_ACTION_LATE] + n[WC_ACTION_PARTIAL] + n[WC_ACTION_NOT_MET];
  g_autofree char *met_rate = wc_report_percent (n[WC_ACTION_MET], judged);

  raw (c, "<h2>%s</h2>\n<div class=\"cards\">\n", _("Summary"));
  raw (c, "<div class=\"card\">%s<b>%u</b></div>\n", _("Teams"), wc_scenario_get_n_teams (c->scenario));
  raw (c, "<div class=\"card\">%s<b>%u</b></div>\n", _("Injects received (team × inject)"), all->received);
  raw (c, "<div class=\"card\">%s<b>%s</b>%s %s</div>\n", _("Acknowledged"), ack_rate, _("median"), ack);
  raw (c, "<div class=\"card\">%s<b>%s</b>%s %s</div>\n", _("Answered"), resp_rate, _("median"), resp);
  raw (c, "<div class=\"card\">%s<b>%s</b><span class=\"met\">%u %s</span> · <span class=\"late\">%u %s</span>"
          " · <span class=\"partial\">%u %s</span> · <span class=\"not-met\">%u %s</span></div>\n",
       _("Expected actions met (of those judged)"), met_rate, n[WC_ACTION_MET], _("met"),
       n[WC_ACTION_LATE], _("late"), n[WC_ACTION_PARTIAL], _("partial"), n[WC_ACTION_NOT_MET], _("not met"));
  raw (c, "<div class=\"card\">%s<b class=\"not-assessed\">%u</b>%u %s</div>\n", _("Not assessed"),
       n[WC_ACTION_NOT_ASSESSED], n[WC_ACTION_NA], _("not applicable"));
  raw (c, "</div>\n<p>%s %s; %s %s. %s %u.</p>\n", _("Slowest acknowledgement:"), ack_worst,
       _("slowest first answer:"), resp_worst, _("Failed webhook deliveries:"), all->webhook_failures);
}

/* The teams' traffic over the swimlanes: an arrow from the sender's lane to each recipient's at
 * the time it was sent; what the controllers sent (as an actor, or a warning as an inject)
 * comes from the time axis. */
static void
html_timeline_traffic (WcReportCtx *c,
                       double       left,
                       double       width,
                       double       lane,
                       gint64       end)
{
  WcLoopMetrics *loop = wc_metrics_get_loop (c->metrics);
  static const char *const kinds[] = { "message", "notification", "warning", "sitrep" };
  static const char *const colours[] = { "#813d9c", "#c64600", "#c01c28", "#26a269" };

  if (wc_loop_metrics_get_n_items (loop) == 0)
    return;
  raw (c, "<defs>");
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    raw (c, "<marker id=\"arrow-%s\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"6\""
            " markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M0 0 L8 4 L0 8 z\" fill=\"%s\"/>"
            "</marker>", kinds[k], colours[k]);
  raw (c, "</defs>\n");
  for (guint i = 0; i < wc_loop_metrics_get_n_items (loop); i++)
    {
      const WcLoopItem *item = wc_loop_metrics_get_item (loop, i);
      int from = item->from && !item->from_actor ? wc_loop_metrics_get_lane (loop, item->from) : -1;
      double x = left + (double) item->t_ms * width / end;
      double y1 = from >= 0 ? 30 + lane * from : 16;
      guint k = 0;

      while (k < G_N_ELEMENTS (kinds) - 1 && g_strcmp0 (kinds[k], item->kind) != 0)
        k++;
      raw (c, "<g class=\"traffic\"><title>");
      h (c, item->id);
      raw (c, " — ");
      h (c, wc_report_loop_kind_label (item));
      raw (c, " — ");
      h (c, item->summary);
      raw (c, "</title>");
      for (guint r = 0; item->to && r < json_array_get_length (item->to); r++)
        {
          int to = wc_loop_metrics_get_lane (loop, json_array_get_string_element (item->to, r));
          double y2 = 30 + lane * to;

          if (to < 0 || to == from)
            continue;
          /* stop short of the lane, so that the head sits on it */
          raw (c, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                  " stroke-width=\"1.2\" marker-end=\"url(#arrow-%s)\"/>",
               x, y1, x, y2 + (y2 > y1 ? -3.0 : 3.0), colours[k], kinds[k]);
        }
      raw (c, "</g>\n");
    }
}

/* One swimlane per team: delivered ▸ acknowledged ▸ responded, deadlines, late marks. */
static void
html_timeline (WcReportCtx *c)
{
  WcMetrics *m = c->metrics;
  guint n_teams = wc_scenario_get_n_teams (c->scenario);
  gint64 end = MAX (wc_metrics_get_end_ms (m), 60000);
  const double left = 130, width = 850, lane = 26;
  double height = 30 + lane * n_teams;

#define X(t) (left + (double) (t) * width / end)
  raw (c, "<h2>%s</h2>\n", _("Timeline"));
  raw (c, "<p class=\"meta\">%s</p>\n",
       _("Per team: ▏ inject reached the team, ● acknowledged, ■ first answer, ◆ deadline of an "
         "expected action (red when missed or late)."));
  raw (c, "<svg class=\"timeline\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"%s\">\n",
       left + width + 30,
       height, _("Timeline of the exercise per team"));
  for (gint64 t = 0; t <= end; t += end > 4 * 3600000 ? 3600000 : 1800000)
    {
      g_autofree char *label = wc_time_format (t, TRUE);

      raw (c, "<line x1=\"%.1f\" y1=\"14\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#deddda\"/>"
              "<text x=\"%.1f\" y=\"10\" text-anchor=\"middle\">%s</text>\n",
           X (t), X (t), height, X (t), label);
    }
  for (guint ti = 0; ti < n_teams; ti++)
    {
      const WcTeam *team = wc_scenario_get_team (c->scenario, ti);
      double y = 30 + lane * ti;

      raw (c, "<text x=\"4\" y=\"%.1f\">", y + 4);
      h (c, wc_report_text (c, team->name));
      raw (c, "</text><line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#9a9996\"/>\n",
           left, y, left + width, y);
      for (guint i = 0; i < wc_metrics_get_n_rows (m); i++)
        {
          const WcTeamInjectMetrics *row = wc_metrics_get_row (m, i);
          gint64 reached = row->delivered_ms >= 0 ? row->delivered_ms : row->fired_ms;

          if (row->team != team)
            continue;
          raw (c, "<g><title>");
          h (c, row->inject->id);
          raw (c, " — ");
          h (c, wc_report_text (c, row->inject->title));
          raw (c, "</title><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#3d3846\"/>",
               X (reached), y - 7, X (reached), y + 7);
          if (row->acknowledged_ms >= 0)
            raw (c, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1c71d8\"/>", X (row->acknowledged_ms), y);
          if (row->first_response_ms >= 0)
            raw (c, "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"6\" fill=\"#26a269\"/>",
                 X (row->first_response_ms) - 3, y - 3);
          for (guint k = 0; k < row->actions->len; k++)
            {
              const WcActionResult *a = &g_array_index (row->actions, WcActionResult, k);
              gboolean bad = a->status == WC_ACTION_LATE || a->status == WC_ACTION_NOT_MET;

              if (a->due_ms >= 0)
                raw (c, "<path d=\"M%.1f %.1f l4 4 l-4 4 l-4 -4 z\" fill=\"%s\"/>", X (a->due_ms),
                     y - 12.0, bad ? "#c01c28" : "#e5a50a");
            }
          raw (c, "</g>\n");
        }
    }
  html_timeline_traffic (c, left, width, lane, end);
  raw (c, "</svg>\n");
  if (wc_loop_metrics_get_n_items (wc_metrics_get_loop (m)) > 0)
    raw (c, "<p class=\"meta\">%s</p>\n",
         _("Arrows: the teams' own traffic, from the sender's lane to each recipient's (purple: "
           "messages, orange: notifications, red: warnings, green: situation reports; from the "
           "top when the controllers sent it)."));
#undef X
}

/* Each expected action: its verdict (in words, not only a colour), what it was, who judged. */
static void
html_action_cell (WcReportCtx               *c,
                  const WcTeamInjectMetrics *row)
{
  static const char *const marks[] = { "✔", "◷", "◐", "✘", "–", "…" };

  for (guint k = 0; k < row->actions->len; k++)
    {
      const WcActionResult *a = &g_array_index (row->actions, WcActionResult, k);
      g_autofree char *by = wc_report_judged_by (c->metrics, a);

      raw (c, "%s<span class=\"%s\">%s %s</span> ", k ? "<br>" : "",
           wc_action_status_to_string (a->status), marks[a->status], wc_action_status_to_label (a->status));
      h (c, wc_report_text (c, a->action->text));
      if (a->status != WC_ACTION_NOT_ASSESSED || a->reviewed)
        {
          raw (c, " <small class=\"meta\">(");
          h (c, by);
          raw (c, ")</small>");
        }
    }
}

static void
html_teams (WcReportCtx *c)
{
  WcMetrics *m = c->metrics;

  raw (c, "<h2>%s</h2>\n", _("Teams"));
  raw (c, "<table><tr><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
          "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th></tr>\n", _("Team"),
       _("Received"), _("Acknowledged"), _("Answered"), _("Median to acknowledge"),
       _("Median to answer"), _("Actions met / late / partial / not met · not assessed"));
  for (guint t = 0; t < wc_scenario_get_n_teams (c->scenario); t++)
    {
      const WcTeamMetrics *tm = wc_metrics_get_team (m, t);
      g_autofree char *ack = wc_report_duration (tm->to_acknowledge.median);
      g_autofree char *resp = wc_report_duration (tm->to_respond.median);

      raw (c, "<tr><td>");
      h (c, wc_report_text (c, tm->team->name));
      raw (c, "</td><td class=\"n\">%u</td><td class=\"n\">%u</td><td class=\"n\">%u</td><td class=\"n\">%s"
              "</td><td class=\"n\">%s</td><td class=\"n\"><span class=\"met\">%u</span> / <span "
              "class=\"late\">%u</span> / <span class=\"partial\">%u</span> / <span class=\"not-met\">%u"
              "</span> · <span class=\"not-assessed\">%u</span></td></tr>\n",
           tm->received, tm->acknowledged, tm->responded, ack, resp, tm->actions[WC_ACTION_MET],
           tm->actions[WC_ACTION_LATE], tm->actions[WC_ACTION_PARTIAL], tm->actions[WC_ACTION_NOT_MET],
           tm->actions[WC_ACTION_NOT_ASSESSED]);
    }
  raw (c, "</table>\n");

  for (guint t = 0; t < wc_scenario_get_n_teams (c->scenario); t++)
    {
      const WcTeam *team = wc_scenario_get_team (c->scenario, t);

      html_heading (c, 3, wc_report_text (c, team->name));
      wc_report_aar_team_findings (c, team);
      raw (c, "<table><tr><th>%s</th><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
              "<th class=\"n\">%s</th><th class=\"n\">%s</th><th>%s</th></tr>\n", _("Inject"),
           _("Title"), _("Reached"), _("To acknowledge"), _("To answer"), _("Answers"),
           _("Expected actions"));
      for (guint i = 0; i < wc_metrics_get_n_rows (m); i++)
        {
          const WcTeamInjectMetrics *row = wc_metrics_get_row (m, i);
          g_autofree char *reached = NULL;
          g_autofree char *ack = NULL;
          g_autofree char *resp = NULL;

          if (row->team != team)
            continue;
          reached = wc_metrics_format_ms (row->delivered_ms >= 0 ? row->delivered_ms : row->fired_ms);
          ack = wc_report_duration (row->to_acknowledge_ms);
          resp = wc_report_duration (row->to_respond_ms);
          raw (c, "<tr><td>");
          h (c, row->inject->id);
          raw (c, "</td><td>");
          h (c, wc_report_text (c, row->inject->title));
          raw (c, "</td><td class=\"n\">%s</td><td class=\"n%s\">%s</td><td class=\"n\">%s</td>"
                  "<td class=\"n\">%u</td><td>", reached,
               row->acknowledged_ms < 0 ? " missed" : "", ack, resp, row->n_responses);
          html_action_cell (c, row);
          raw (c, "</td></tr>\n");
        }
      raw (c, "</table>\n");
    }
}

static void
html_decisions (WcReportCtx *c)
{
  WcMetrics *m = c->metrics;
  gboolean any = FALSE;

  for (guint i = 0; i < wc_metrics_get_n_rows (m); i++)
    {
      const WcTeamInjectMetrics *row = wc_metrics_get_row (m, i);
      const char *chosen = NULL;

      if (row->inject->channel != WC_CHANNEL_DECISION)
        continue;
      if (!any)
        raw (c, "<h2>%s</h2>\n<table><tr><th>%s</th><th>%s</th><th>%s</th></tr>\n", _("Decisions"),
             _("Decision"), _("Team"), _("Chosen"));
      any = TRUE;
      for (guint k = 0; row->option && k < row->inject->options->len; k++)
        {
          const WcDecisionOption *o = g_ptr_array_index (row->inject->options, k);

          if (strcmp (o->id, row->option) == 0)
            chosen = wc_report_text (c, o->text);
        }
      raw (c, "<tr><td>");
      h (c, wc_report_text (c, row->inject->title));
      raw (c, "</td><td>");
      h (c, wc_report_text (c, row->team->name));
      raw (c, "</td><td%s>", chosen ? "" : " class=\"missed\"");
      h (c, chosen ? chosen : _("no decision"));
      raw (c, "</td></tr>\n");
    }
  if (any)
    raw (c, "</table>\n");
}

static void
html_chronology (WcReportCtx *c)
{
  WcJournal *journal = wc_metrics_get_journal (c->metrics);
  guint n_housekeeping = 0;

  raw (c, "<h2>%s</h2>\n<table><tr><th class=\"n\">%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
       _("Chronology"), _("Exercise time"), _("Event"), _("Inject"), _("Team"), _("Details"));
  for (guint i = 0; i < wc_journal_get_n_records (journal); i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i);
      g_autofree char *t = wc_time_format (r->t_ms, FALSE);
      const char *details = json_object_get_string_member_with_default (r->data, "text", NULL);
      const char *option = json_object_get_string_member_with_default (r->data, "option", NULL);
      JsonNode *teams = json_object_get_member (r->data, "teams");

      gboolean housekeeping = wc_record_type_from_string (r->type) == WC_RECORD_CHECKPOINT;

      n_housekeeping += housekeeping;
      raw (c, "<tr%s><td class=\"n\" title=\"", housekeeping ? " class=\"housekeeping\"" : "");
      h (c, r->time);
      raw (c, "\">%s</td><td>", t);
      h (c, r->type);
      raw (c, "</td><td>");
      h (c, json_object_get_string_member_with_default (r->data, "inject", ""));
      raw (c, "</td><td>");
      if (teams && JSON_NODE_HOLDS_ARRAY (teams))
        for (guint k = 0; k < json_array_get_length (json_node_get_array (teams)); k++)
          {
            raw (c, k ? ", " : "");
            h (c, json_array_get_string_element (json_node_get_array (teams), k));
          }
      else
        h (c, json_object_get_string_member_with_default (r->data, "team", ""));
      raw (c, "</td><td class=\"quote\">");
      if (option)
        {
          raw (c, "[");
          h (c, option);
          raw (c, "] ");
        }
      h (c, details ? details : json_object_get_string_member_with_default (r->data, "outcome", ""));
      raw (c, "</td></tr>\n");
    }
  raw (c, "</table>\n");
  if (n_housekeeping > 0)
    raw (c, "<p class=\"meta print-only\">%s</p>\n",
         _("The clock's checkpoints are left out of the printed chronology; the journal and "
           "the report on screen have them."));
}

static void
html_integrity (WcReportCtx *c)
{
  const WcJournalVerifyResult *v = c->in->verify;
  g_autofree char *line = wc_report_integrity (v);

  if (v->verdict == WC_JOURNAL_SOUND)
    {
      g_autofree char *print = wc_report_fingerprint (v);

      raw (c, "<div class=\"integrity sound\">");
      h (c, line);
      raw (c, "<br><small>");
      h (c, print);
      raw (c, "</small></div>\n");
      return;
    }
  raw (c, "<div class=\"integrity broken\" role=\"alert\">");
  h (c, line);
  raw (c, ". %s</div>\n", _("What follows is computed from the records that could be read and "
                            "cannot be relied on as evidence."));
}

void
wc_report_write_html (WcReportCtx *c)
{
  WcTlp tlp = wc_scenario_get_tlp (c->scenario);
  const char *tlp_name = wc_tlp_to_string (tlp);
  WcJournal *journal = wc_metrics_get_journal (c->metrics);
  g_autofree char *end = wc_time_format (wc_metrics_get_end_ms (c->metrics), FALSE);
  gboolean final = c->in->review && c->in->review->status == WC_REVIEW_FINAL;

  c->markup = &html_markup;
  raw (c, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
       c->lang);
  h (c, wc_report_text (c, wc_scenario_get_title (c->scenario)));
  raw (c, " — %s</title>\n<style>\n%s</style>\n", _("After-action report"), html_style);
  html_page_style (c, tlp);
  raw (c, "</head>\n<body>\n");
  raw (c, "<div class=\"tlp tlp-%s\">TLP:%s · %s</div>\n", tlp_class (tlp), tlp_name,
       wc_exercise_marking (c->lang));
  raw (c, "<div class=\"foot\">TLP:%s · %s — ", tlp_name, wc_exercise_marking (c->lang));
  h (c, wc_scenario_get_id (c->scenario));
  raw (c, " — %s</div>\n", _("Whitecell after-action report"));
  raw (c, "<header><p class=\"meta\">%s<span class=\"status %s\">%s</span></p><h1>",
       _("After-action report / improvement plan"), final ? "final" : "draft",
       final ? _("FINAL") : _("DRAFT"));
  h (c, wc_report_text (c, wc_scenario_get_title (c->scenario)));
  raw (c, "</h1>\n<p class=\"meta\">%s ", _("Exercise"));
  h (c, wc_scenario_get_id (c->scenario));
  raw (c, " · %s ", _("journal created"));
  h (c, wc_journal_get_created_at (journal));
  raw (c, " · %s %s%s</p>\n</header>\n", _("played up to"), end,
       wc_metrics_get_ended (c->metrics) ? "" : _(" (not ended)"));
  html_integrity (c);
  if (c->in->scenario_note)
    {
      raw (c, "<div class=\"integrity broken\">");
      h (c, c->in->scenario_note);
      raw (c, "</div>\n");
    }
  if (wc_scenario_get_description (c->scenario))
    {
      raw (c, "<p class=\"quote\">");
      h (c, wc_report_text (c, wc_scenario_get_description (c->scenario)));
      raw (c, "</p>\n");
    }
  wc_report_aar_overview (c);
  html_summary (c);
  wc_report_aar_objectives (c);
  html_timeline (c);
  html_teams (c);
  html_decisions (c);
  wc_report_aar_loop (c);
  wc_report_aar_feedback (c);
  wc_report_aar_observations (c);
  wc_report_aar_plan (c);
  html_chronology (c);
  raw (c, "</body>\n</html>\n");
}

