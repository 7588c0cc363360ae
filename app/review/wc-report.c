/* wc-report.c: the after-action report in HTML, Markdown and CSV.
 *
 * Everything a team wrote is untrusted: it is escaped for HTML (and for Markdown table cells)
 * every time, and CSV cells are quoted, with a quote mark before what a spreadsheet would run as a
 * formula. In every format, bidi controls and zero-width characters are shown ("[U+202E]"): they
 * could otherwise make a text read differently from what it is.
 */
#define G_LOG_DOMAIN "wc-report"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-report.h"
#include "wc-untrusted.h"

typedef struct {
  const WcReportInput *in;
  WcScenario          *scenario;
  const char          *lang;
  const char          *fallback;
  GString             *out;
} Ctx;

gboolean
wc_report_format_from_string (const char     *name,
                              WcReportFormat *format)
{
  if (g_strcmp0 (name, "html") == 0)
    *format = WC_REPORT_HTML;
  else if (g_strcmp0 (name, "md") == 0 || g_strcmp0 (name, "markdown") == 0)
    *format = WC_REPORT_MARKDOWN;
  else if (g_strcmp0 (name, "csv") == 0)
    *format = WC_REPORT_CSV;
  else
    return FALSE;
  return TRUE;
}

static const char *
text_of (Ctx          *c,
         const WcText *text)
{
  const char *s = wc_text_get (text, c->lang, c->fallback);

  return s ? s : "";
}

/* "4 min 05 s", "1 h 12 min", or "—". */
static char *
duration (gint64 ms)
{
  gint64 s = ms / 1000;

  if (ms < 0)
    return g_strdup ("—");
  if (s < 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT " min %02" G_GINT64_FORMAT " s", s / 60, s % 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT " h %02" G_GINT64_FORMAT " min", s / 3600,
                          (s / 60) % 60);
}

static char *
percent (guint part,
         guint whole)
{
  if (whole == 0)
    return g_strdup ("—");
  return g_strdup_printf ("%u %%", (part * 100 + whole / 2) / whole);
}

/* HTML ----------------------------------------------------------------------------------------- */

static void
h (Ctx        *c,
   const char *text)
{
  g_autofree char *shown = wc_untrusted_show_invisible (text);
  g_autofree char *escaped = g_markup_escape_text (shown, -1);

  g_string_append (c->out, escaped);
}

G_GNUC_PRINTF (2, 3) static void
raw (Ctx        *c,
     const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (c->out, format, args);
  va_end (args);
}

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
  ".met { color: #26a269; } .late { color: #c64600; } .missed { color: #c01c28;"
  " font-weight: bold; } .open { color: #5e5c64; }\n"
  ".quote { white-space: pre-wrap; } svg { width: 100%; height: auto; }"
  " svg text { font: 9px sans-serif; fill: #3d3846; }\n"
  "@media print { body { padding: 0; max-width: none; } .tlp { top: -14mm; }"
  " .foot { bottom: -12mm; } h2 { break-before: auto; } }\n";

static void
html_summary (Ctx *c)
{
  const WcTeamMetrics *all = wc_metrics_get_overall (c->in->metrics);
  g_autofree char *ack = duration (all->to_acknowledge.median);
  g_autofree char *ack_worst = duration (all->to_acknowledge.worst);
  g_autofree char *resp = duration (all->to_respond.median);
  g_autofree char *resp_worst = duration (all->to_respond.worst);
  g_autofree char *ack_rate = percent (all->acknowledged, all->received);
  g_autofree char *resp_rate = percent (all->responded, all->received);
  guint actions = all->actions[WC_ACTION_MET] + all->actions[WC_ACTION_LATE] + all->actions[WC_ACTION_NOT_MET] + all->actions[WC_ACTION_NOT_ASSESSED];
  g_autofree char *met_rate = percent (all->actions[WC_ACTION_MET], actions);

  raw (c, "<h2>%s</h2>\n<div class=\"cards\">\n", _("Summary"));
  raw (c, "<div class=\"card\">%s<b>%u</b></div>\n", _("Teams"), wc_scenario_get_n_teams (c->scenario));
  raw (c, "<div class=\"card\">%s<b>%u</b></div>\n", _("Injects received (team × inject)"), all->received);
  raw (c, "<div class=\"card\">%s<b>%s</b>%s %s</div>\n", _("Acknowledged"), ack_rate, _("median"), ack);
  raw (c, "<div class=\"card\">%s<b>%s</b>%s %s</div>\n", _("Answered"), resp_rate, _("median"), resp);
  raw (c, "<div class=\"card\">%s<b>%s</b><span class=\"met\">%u %s</span> · <span class=\"late\">%u %s</span>"
          " · <span class=\"missed\">%u %s</span></div>\n", _("Expected actions met"), met_rate,
       all->actions[WC_ACTION_MET], _("met"), all->actions[WC_ACTION_LATE], _("late"), all->actions[WC_ACTION_NOT_MET], _("not met"));
  raw (c, "</div>\n<p>%s %s; %s %s. %s %u.</p>\n", _("Slowest acknowledgement:"), ack_worst,
       _("slowest first answer:"), resp_worst, _("Failed webhook deliveries:"), all->webhook_failures);
}

static void
html_objectives (Ctx *c)
{
  if (wc_metrics_get_n_objectives (c->in->metrics) == 0)
    return;
  raw (c, "<h2>%s</h2>\n<table><tr><th>%s</th><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
          "<th class=\"n\">%s</th><th>%s</th></tr>\n", _("Objectives"), _("Id"), _("Objective"),
       _("Met"), _("Late"), _("Not met"), _("Assessment"));
  for (guint i = 0; i < wc_metrics_get_n_objectives (c->in->metrics); i++)
    {
      const WcObjectiveMetrics *o = wc_metrics_get_objective (c->in->metrics, i);
      guint total = o->actions[WC_ACTION_MET] + o->actions[WC_ACTION_LATE] + o->actions[WC_ACTION_NOT_MET] + o->actions[WC_ACTION_NOT_ASSESSED];
      const char *verdict = total == 0 ? _("not measured")
                            : o->actions[WC_ACTION_MET] == total ? _("met")
                            : o->actions[WC_ACTION_MET] + o->actions[WC_ACTION_LATE] == total ? _("met, partly late")
                            : o->actions[WC_ACTION_MET] + o->actions[WC_ACTION_LATE] > 0 ? _("partly met") : _("not met");

      raw (c, "<tr><td>");
      h (c, o->objective->id);
      raw (c, "</td><td>");
      h (c, text_of (c, o->objective->text));
      raw (c, "</td><td class=\"n met\">%u</td><td class=\"n late\">%u</td><td class=\"n missed\">%u"
              "</td><td>%s</td></tr>\n", o->actions[WC_ACTION_MET], o->actions[WC_ACTION_LATE], o->actions[WC_ACTION_NOT_MET], verdict);
    }
  raw (c, "</table>\n");
}

/* One swimlane per team: delivered ▸ acknowledged ▸ responded, deadlines, late marks. */
static void
html_timeline (Ctx *c)
{
  WcMetrics *m = c->in->metrics;
  guint n_teams = wc_scenario_get_n_teams (c->scenario);
  gint64 end = MAX (wc_metrics_get_end_ms (m), 60000);
  const double left = 130, width = 850, lane = 26;
  double height = 30 + lane * n_teams;

#define X(t) (left + (double) (t) * width / end)
  raw (c, "<h2>%s</h2>\n", _("Timeline"));
  raw (c, "<p class=\"meta\">%s</p>\n",
       _("Per team: ▏ inject reached the team, ● acknowledged, ■ first answer, ◆ deadline of an "
         "expected action (red when missed or late)."));
  raw (c, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"%s\">\n", left + width + 30,
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
      h (c, text_of (c, team->name));
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
          h (c, text_of (c, row->inject->title));
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
  raw (c, "</svg>\n");
#undef X
}

static void
html_action_cell (Ctx                       *c,
                  const WcTeamInjectMetrics *row)
{
  for (guint k = 0; k < row->actions->len; k++)
    {
      const WcActionResult *a = &g_array_index (row->actions, WcActionResult, k);

      raw (c, "%s<span class=\"%s\">%s</span> ", k ? "<br>" : "", wc_action_status_to_string (a->status),
           a->status == WC_ACTION_MET ? "✔" : a->status == WC_ACTION_NOT_ASSESSED ? "…" : "✘");
      h (c, text_of (c, a->action->text));
    }
}

static void
html_teams (Ctx *c)
{
  WcMetrics *m = c->in->metrics;

  raw (c, "<h2>%s</h2>\n", _("Teams"));
  raw (c, "<table><tr><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
          "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th></tr>\n", _("Team"),
       _("Received"), _("Acknowledged"), _("Answered"), _("Median to acknowledge"),
       _("Median to answer"), _("Actions met / late / not met"));
  for (guint t = 0; t < wc_scenario_get_n_teams (c->scenario); t++)
    {
      const WcTeamMetrics *tm = wc_metrics_get_team (m, t);
      g_autofree char *ack = duration (tm->to_acknowledge.median);
      g_autofree char *resp = duration (tm->to_respond.median);

      raw (c, "<tr><td>");
      h (c, text_of (c, tm->team->name));
      raw (c, "</td><td class=\"n\">%u</td><td class=\"n\">%u</td><td class=\"n\">%u</td><td class=\"n\">%s"
              "</td><td class=\"n\">%s</td><td class=\"n\"><span class=\"met\">%u</span> / <span "
              "class=\"late\">%u</span> / <span class=\"missed\">%u</span></td></tr>\n",
           tm->received, tm->acknowledged, tm->responded, ack, resp, tm->actions[WC_ACTION_MET],
           tm->actions[WC_ACTION_LATE], tm->actions[WC_ACTION_NOT_MET]);
    }
  raw (c, "</table>\n");

  for (guint t = 0; t < wc_scenario_get_n_teams (c->scenario); t++)
    {
      const WcTeam *team = wc_scenario_get_team (c->scenario, t);

      raw (c, "<h3>");
      h (c, text_of (c, team->name));
      raw (c, "</h3>\n<table><tr><th>%s</th><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
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
          ack = duration (row->to_acknowledge_ms);
          resp = duration (row->to_respond_ms);
          raw (c, "<tr><td>");
          h (c, row->inject->id);
          raw (c, "</td><td>");
          h (c, text_of (c, row->inject->title));
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
html_decisions (Ctx *c)
{
  WcMetrics *m = c->in->metrics;
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
            chosen = text_of (c, o->text);
        }
      raw (c, "<tr><td>");
      h (c, text_of (c, row->inject->title));
      raw (c, "</td><td>");
      h (c, text_of (c, row->team->name));
      raw (c, "</td><td%s>", chosen ? "" : " class=\"missed\"");
      h (c, chosen ? chosen : _("no decision"));
      raw (c, "</td></tr>\n");
    }
  if (any)
    raw (c, "</table>\n");
}

static void
html_chronology (Ctx *c)
{
  WcJournal *journal = wc_metrics_get_journal (c->in->metrics);

  raw (c, "<h2>%s</h2>\n<table><tr><th class=\"n\">%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
       _("Chronology"), _("Exercise time"), _("Event"), _("Inject"), _("Team"), _("Details"));
  for (guint i = 0; i < wc_journal_get_n_records (journal); i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i);
      g_autofree char *t = wc_time_format (r->t_ms, FALSE);
      const char *details = json_object_get_string_member_with_default (r->data, "text", NULL);
      const char *option = json_object_get_string_member_with_default (r->data, "option", NULL);
      JsonNode *teams = json_object_get_member (r->data, "teams");

      raw (c, "<tr><td class=\"n\" title=\"");
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
}

static void
html_notes_and_plan (Ctx *c)
{
  WcMetrics *m = c->in->metrics;
  const WcReview *review = c->in->review;

  raw (c, "<h2>%s</h2>\n", _("Notes and observations"));
  if (wc_metrics_get_n_notes (m) == 0 && (review == NULL || review->observations->len == 0))
    raw (c, "<p class=\"meta\">%s</p>\n", _("None were recorded."));
  else
    {
      raw (c, "<table><tr><th class=\"n\">%s</th><th>%s</th><th>%s</th></tr>\n", _("Exercise time"),
           _("By"), _("Text"));
      for (guint i = 0; i < wc_metrics_get_n_notes (m); i++)
        {
          const WcNote *note = wc_metrics_get_note (m, i);
          g_autofree char *t = wc_time_format (note->t_ms, FALSE);

          raw (c, "<tr><td class=\"n\">%s</td><td>%s</td><td class=\"quote\">", t, _("controller"));
          h (c, note->text);
          raw (c, "</td></tr>\n");
        }
      for (guint i = 0; review && i < review->observations->len; i++)
        {
          const WcObservation *o = g_ptr_array_index (review->observations, i);
          g_autofree char *t = wc_metrics_format_ms (o->t_ms);

          raw (c, "<tr><td class=\"n\">%s</td><td>%s%s", t, _("reviewer"), o->team ? ", " : "");
          h (c, o->team);
          raw (c, "</td><td class=\"quote\">");
          h (c, o->text);
          raw (c, "</td></tr>\n");
        }
      raw (c, "</table>\n");
    }

  raw (c, "<h2>%s</h2>\n", _("Improvement plan"));
  if (review && review->improvements->len > 0)
    {
      raw (c, "<table><tr><th>%s</th><th>%s</th><th>%s</th></tr>\n", _("What"), _("Owner"), _("Due"));
      for (guint i = 0; i < review->improvements->len; i++)
        {
          const WcImprovement *item = g_ptr_array_index (review->improvements, i);

          raw (c, "<tr><td class=\"quote\">");
          h (c, item->what);
          raw (c, "</td><td>");
          h (c, item->owner ? item->owner : "—");
          raw (c, "</td><td>");
          h (c, item->due ? item->due : "—");
          raw (c, "</td></tr>\n");
        }
      raw (c, "</table>\n");
    }
  /* What the journal itself points at, for the reviewers to turn into items. */
  raw (c, "<h3>%s</h3>\n<ul>\n", _("Findings from the journal"));
  for (guint t = 0; t < wc_scenario_get_n_teams (c->scenario); t++)
    {
      const WcTeamMetrics *tm = wc_metrics_get_team (m, t);

      if (tm->received > tm->acknowledged)
        {
          raw (c, "<li>");
          h (c, text_of (c, tm->team->name));
          raw (c, ": %u %s</li>\n", tm->received - tm->acknowledged, _("injects never acknowledged"));
        }
      if (tm->actions[WC_ACTION_NOT_MET] + tm->actions[WC_ACTION_LATE] > 0)
        {
          raw (c, "<li>");
          h (c, text_of (c, tm->team->name));
          raw (c, ": %u %s, %u %s</li>\n", tm->actions[WC_ACTION_NOT_MET], _("expected actions not met"),
               tm->actions[WC_ACTION_LATE], _("late"));
        }
      if (tm->webhook_failures > 0)
        {
          raw (c, "<li>");
          h (c, text_of (c, tm->team->name));
          raw (c, ": %u %s</li>\n", tm->webhook_failures, _("failed webhook deliveries"));
        }
    }
  raw (c, "</ul>\n");
}

/* What a reviewer compares with `whitecellctl verify` and the app: the record count, the head
 * hash, and how far the journal is sealed with the exercise's key. */
static char *
fingerprint (const WcJournalVerifyResult *v)
{
  g_autofree char *sealed = NULL;

  if (v->last_sealed_seq == 0)
    sealed = g_strdup (_("It carries no seal."));
  else if (v->last_sealed_seq == v->n_records)
    sealed = g_strdup_printf (v->seals_checked
                              ? _("Sealed with the exercise's key through its last record (seals checked).")
                              : _("Sealed through its last record (seals not checked: no key given)."));
  else
    sealed = g_strdup_printf (v->seals_checked
                              ? _("Sealed with the exercise's key through record %" G_GUINT64_FORMAT
                                  " of %" G_GUINT64_FORMAT " (seals checked).")
                              : _("Sealed through record %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                                  " (seals not checked: no key given)."),
                              v->last_sealed_seq, v->n_records);
  /* TRANSLATORS: "Journal: 1234 records, head hash 3f9a…; Sealed …" */
  return g_strdup_printf (_("Journal: %" G_GUINT64_FORMAT " records, head hash %s. %s"),
                          v->n_records, v->head_hash ? v->head_hash : "—", sealed);
}

static void
html_integrity (Ctx *c)
{
  const WcJournalVerifyResult *v = c->in->verify;

  if (v->verdict == WC_JOURNAL_SOUND)
    {
      g_autofree char *print = fingerprint (v);

      raw (c, "<div class=\"integrity sound\">%s %" G_GUINT64_FORMAT " %s<br><small>",
           _("Journal verified: every link of its hash chain is sound,"), v->n_records, _("records."));
      h (c, print);
      raw (c, "</small></div>\n");
      return;
    }
  raw (c, "<div class=\"integrity broken\" role=\"alert\">%s %u: ", _("This journal FAILED verification at line"),
       v->bad_line);
  h (c, v->message);
  raw (c, ". %s</div>\n", _("What follows is computed from the records that could be read and "
                            "cannot be relied on as evidence."));
}

static void
write_html (Ctx *c)
{
  WcTlp tlp = wc_scenario_get_tlp (c->scenario);
  const char *tlp_name = wc_tlp_to_string (tlp);
  WcJournal *journal = wc_metrics_get_journal (c->in->metrics);
  g_autofree char *end = wc_time_format (wc_metrics_get_end_ms (c->in->metrics), FALSE);

  raw (c, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
       c->lang);
  h (c, text_of (c, wc_scenario_get_title (c->scenario)));
  raw (c, " — %s</title>\n<style>\n%s</style>\n</head>\n<body>\n", _("After-action report"), html_style);
  raw (c, "<div class=\"tlp tlp-%s\">TLP:%s</div>\n", tlp_class (tlp), tlp_name);
  raw (c, "<div class=\"foot\">TLP:%s — ", tlp_name);
  h (c, wc_scenario_get_id (c->scenario));
  raw (c, " — %s</div>\n", _("Whitecell after-action report"));
  raw (c, "<header><p class=\"meta\">%s</p><h1>", _("After-action report"));
  h (c, text_of (c, wc_scenario_get_title (c->scenario)));
  raw (c, "</h1>\n<p class=\"meta\">%s ", _("Exercise"));
  h (c, wc_scenario_get_id (c->scenario));
  raw (c, " · %s ", _("journal created"));
  h (c, wc_journal_get_created_at (journal));
  raw (c, " · %s %s%s</p>\n</header>\n", _("played up to"), end,
       wc_metrics_get_ended (c->in->metrics) ? "" : _(" (not ended)"));
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
      h (c, text_of (c, wc_scenario_get_description (c->scenario)));
      raw (c, "</p>\n");
    }
  html_summary (c);
  html_objectives (c);
  html_timeline (c);
  html_teams (c);
  html_decisions (c);
  html_notes_and_plan (c);
  html_chronology (c);
  raw (c, "</body>\n</html>\n");
}

/* Markdown ------------------------------------------------------------------------------------- */

/* A table cell: one line, pipes and markup characters escaped. */
static void
md (Ctx        *c,
    const char *text)
{
  g_autofree char *shown = wc_untrusted_show_invisible (text);

  for (const char *p = shown; *p; p++)
    {
      if (*p == '\n' || *p == '\r')
        g_string_append (c->out, " ");
      else if (strchr ("|\\`*_[]<>#", *p))
        {
          g_string_append_c (c->out, '\\');
          g_string_append_c (c->out, *p);
        }
      else
        g_string_append_c (c->out, *p);
    }
}

static void
write_markdown (Ctx *c)
{
  WcMetrics *m = c->in->metrics;
  const WcJournalVerifyResult *v = c->in->verify;
  const WcTeamMetrics *all = wc_metrics_get_overall (m);
  g_autofree char *end = wc_time_format (wc_metrics_get_end_ms (m), FALSE);
  g_autofree char *ack = duration (all->to_acknowledge.median);
  g_autofree char *resp = duration (all->to_respond.median);

  raw (c, "**TLP:%s**\n\n# %s: ", wc_tlp_to_string (wc_scenario_get_tlp (c->scenario)),
       _("After-action report"));
  md (c, text_of (c, wc_scenario_get_title (c->scenario)));
  raw (c, "\n\n%s `", _("Exercise"));
  md (c, wc_scenario_get_id (c->scenario));
  raw (c, "`, %s %s%s.\n\n", _("played up to"), end, wc_metrics_get_ended (m) ? "" : _(" (not ended)"));
  if (v->verdict == WC_JOURNAL_SOUND)
    {
      g_autofree char *print = fingerprint (v);

      raw (c, "> %s %" G_GUINT64_FORMAT " %s\n>\n> ", _("Journal verified: every link of its hash chain is sound,"),
           v->n_records, _("records."));
      md (c, print);
      raw (c, "\n\n");
    }
  else
    {
      raw (c, "> **%s %u: ", _("This journal FAILED verification at line"), v->bad_line);
      md (c, v->message);
      raw (c, ".** %s\n\n", _("What follows cannot be relied on as evidence."));
    }
  raw (c, "## %s\n\n", _("Summary"));
  raw (c, "- %s: %u\n- %s: %u\n- %s: %u (%s %s)\n- %s: %u (%s %s)\n- %s: %u %s, %u %s, %u %s\n\n",
       _("Teams"), wc_scenario_get_n_teams (c->scenario), _("Injects received (team × inject)"),
       all->received, _("Acknowledged"), all->acknowledged, _("median"), ack, _("Answered"),
       all->responded, _("median"), resp, _("Expected actions"), all->actions[WC_ACTION_MET], _("met"),
       all->actions[WC_ACTION_LATE], _("late"), all->actions[WC_ACTION_NOT_MET], _("not met"));
  if (wc_metrics_get_n_objectives (m) > 0)
    {
      raw (c, "## %s\n\n| %s | %s | %s | %s | %s |\n|---|---|---:|---:|---:|\n", _("Objectives"), _("Id"),
           _("Objective"), _("Met"), _("Late"), _("Not met"));
      for (guint i = 0; i < wc_metrics_get_n_objectives (m); i++)
        {
          const WcObjectiveMetrics *o = wc_metrics_get_objective (m, i);

          raw (c, "| ");
          md (c, o->objective->id);
          raw (c, " | ");
          md (c, text_of (c, o->objective->text));
          raw (c, " | %u | %u | %u |\n", o->actions[WC_ACTION_MET], o->actions[WC_ACTION_LATE], o->actions[WC_ACTION_NOT_MET]);
        }
      raw (c, "\n");
    }
  raw (c, "## %s\n\n| %s | %s | %s | %s | %s | %s | %s |\n|---|---:|---:|---:|---:|---:|---|\n",
       _("Teams"), _("Team"), _("Received"), _("Acknowledged"), _("Answered"),
       _("Median to acknowledge"), _("Median to answer"), _("Actions met / late / not met"));
  for (guint t = 0; t < wc_scenario_get_n_teams (c->scenario); t++)
    {
      const WcTeamMetrics *tm = wc_metrics_get_team (m, t);
      g_autofree char *a = duration (tm->to_acknowledge.median);
      g_autofree char *r = duration (tm->to_respond.median);

      raw (c, "| ");
      md (c, text_of (c, tm->team->name));
      raw (c, " | %u | %u | %u | %s | %s | %u / %u / %u |\n", tm->received, tm->acknowledged,
           tm->responded, a, r, tm->actions[WC_ACTION_MET], tm->actions[WC_ACTION_LATE], tm->actions[WC_ACTION_NOT_MET]);
    }
  raw (c, "\n## %s\n\n| %s | %s | %s | %s | %s | %s | %s |\n|---|---|---|---:|---:|---:|---|\n",
       _("Timeline"), _("Team"), _("Inject"), _("Title"), _("Reached"), _("Acknowledged"),
       _("First answer"), _("Expected actions"));
  for (guint i = 0; i < wc_metrics_get_n_rows (m); i++)
    {
      const WcTeamInjectMetrics *row = wc_metrics_get_row (m, i);
      g_autofree char *reached = wc_metrics_format_ms (row->delivered_ms >= 0 ? row->delivered_ms : row->fired_ms);
      g_autofree char *a = wc_metrics_format_ms (row->acknowledged_ms);
      g_autofree char *r = wc_metrics_format_ms (row->first_response_ms);

      raw (c, "| ");
      md (c, text_of (c, row->team->name));
      raw (c, " | ");
      md (c, row->inject->id);
      raw (c, " | ");
      md (c, text_of (c, row->inject->title));
      raw (c, " | %s | %s | %s | ", reached, a, r);
      for (guint k = 0; k < row->actions->len; k++)
        {
          const WcActionResult *ar = &g_array_index (row->actions, WcActionResult, k);

          raw (c, "%s%s: ", k ? "; " : "", wc_action_status_to_string (ar->status));
          md (c, text_of (c, ar->action->text));
        }
      raw (c, " |\n");
    }
  raw (c, "\n## %s\n\n", _("Notes and observations"));
  for (guint i = 0; i < wc_metrics_get_n_notes (m); i++)
    {
      const WcNote *note = wc_metrics_get_note (m, i);
      g_autofree char *t = wc_time_format (note->t_ms, FALSE);

      raw (c, "- %s (%s): ", t, _("controller"));
      md (c, note->text);
      raw (c, "\n");
    }
  for (guint i = 0; c->in->review && i < c->in->review->observations->len; i++)
    {
      const WcObservation *o = g_ptr_array_index (c->in->review->observations, i);
      g_autofree char *t = wc_metrics_format_ms (o->t_ms);

      raw (c, "- %s (%s): ", t, _("reviewer"));
      md (c, o->text);
      raw (c, "\n");
    }
  raw (c, "\n## %s\n\n", _("Improvement plan"));
  for (guint i = 0; c->in->review && i < c->in->review->improvements->len; i++)
    {
      const WcImprovement *item = g_ptr_array_index (c->in->review->improvements, i);

      raw (c, "- [ ] ");
      md (c, item->what);
      raw (c, " — ");
      md (c, item->owner ? item->owner : "—");
      raw (c, ", ");
      md (c, item->due ? item->due : "—");
      raw (c, "\n");
    }
  raw (c, "\n## %s\n\n| %s | %s | %s | %s | %s |\n|---:|---|---|---|---|\n", _("Chronology"),
       _("Exercise time"), _("Event"), _("Inject"), _("Team"), _("Details"));
  for (guint i = 0; i < wc_journal_get_n_records (wc_metrics_get_journal (m)); i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (wc_metrics_get_journal (m), i);
      g_autofree char *t = wc_time_format (r->t_ms, FALSE);

      raw (c, "| %s | ", t);
      md (c, r->type);
      raw (c, " | ");
      md (c, json_object_get_string_member_with_default (r->data, "inject", ""));
      raw (c, " | ");
      md (c, json_object_get_string_member_with_default (r->data, "team", ""));
      raw (c, " | ");
      md (c, json_object_get_string_member_with_default (r->data, "text", ""));
      raw (c, " |\n");
    }
  raw (c, "\n*TLP:%s*\n", wc_tlp_to_string (wc_scenario_get_tlp (c->scenario)));
}

/* CSV -------------------------------------------------------------------------------------------- */

static void
csv_cell (Ctx        *c,
          const char *text,
          gboolean    last)
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

static void
csv_ms (Ctx    *c,
        gint64  ms)
{
  if (ms >= 0)
    g_string_append_printf (c->out, "%.1f,", ms / 1000.0);
  else
    g_string_append_c (c->out, ',');
}

static void
write_csv (Ctx *c)
{
  WcMetrics *m = c->in->metrics;

  if (c->in->verify->verdict != WC_JOURNAL_SOUND)
    {
      g_autofree char *warning = g_strdup_printf ("%s %u: %s", _("This journal FAILED verification at line"),
                                                  c->in->verify->bad_line, c->in->verify->message);

      csv_cell (c, warning, TRUE);
    }
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
      csv_cell (c, text_of (c, row->team->name), FALSE);
      csv_cell (c, row->inject->id, FALSE);
      csv_cell (c, text_of (c, row->inject->title), FALSE);
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

void
wc_report_write (const WcReportInput *input,
                 WcReportFormat       format,
                 GString             *out)
{
  Ctx c = { input, wc_metrics_get_scenario (input->metrics), NULL, NULL, out };

  c.fallback = wc_scenario_get_default_language (c.scenario);
  c.lang = input->lang ? input->lang : c.fallback;
  switch (format)
    {
    case WC_REPORT_HTML: write_html (&c); break;
    case WC_REPORT_MARKDOWN: write_markdown (&c); break;
    case WC_REPORT_CSV: default: write_csv (&c); break;
    }
}
