/* wc-report-markdown.c: the after-action report in Markdown, with the HTML report's content but
 * the chart. Every text that is not the report's own goes through md(): one line, with the
 * characters Markdown would read as markup escaped. */
#define G_LOG_DOMAIN "wc-report"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-report-private.h"
#include "wc-untrusted.h"

#define raw wc_report_printf

static void
md (WcReportCtx *c,
    const char  *text)
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
md_heading (WcReportCtx *c,
            int          level,
            const char  *text)
{
  raw (c, "%.*s ", level, "######");
  md (c, text);
  raw (c, "\n\n");
}

static void
md_paragraph (WcReportCtx *c,
              const char  *text)
{
  md (c, text);
  raw (c, "\n\n");
}

static void
md_table (WcReportCtx       *c,
          const char *const *headers,
          const char *const *classes)
{
  for (guint i = 0; headers[i]; i++)
    {
      raw (c, "| ");
      md (c, headers[i]);
      raw (c, " ");
    }
  raw (c, "|\n");
  for (guint i = 0; headers[i]; i++)
    raw (c, classes && g_strcmp0 (classes[i], "n") == 0 ? "|---:" : "|---");
  raw (c, "|\n");
}

static void
md_cell (WcReportCtx *c,
         const char  *cls,
         const char  *text)
{
  raw (c, "| ");
  md (c, text);
  raw (c, " ");
}

static void
md_row_end (WcReportCtx *c)
{
  raw (c, "|\n");
}

static void
md_table_end (WcReportCtx *c)
{
  raw (c, "\n");
}

static void
md_item (WcReportCtx *c,
         const char  *label,
         const char  *text)
{
  c->list_open = TRUE;
  raw (c, "- ");
  if (label)
    {
      raw (c, "**");
      md (c, label);
      raw (c, "** ");
    }
  md (c, text);
  raw (c, "\n");
}

static void
md_list_end (WcReportCtx *c)
{
  if (c->list_open)
    raw (c, "\n");
  c->list_open = FALSE;
}

static const WcReportMarkup md_markup = {
  md_heading, md_paragraph, md_table, md_cell, md_row_end, md_table_end, md_item, md_list_end,
};

static void
md_summary (WcReportCtx *c)
{
  const WcTeamMetrics *all = wc_metrics_get_overall (c->metrics);
  const guint *n = all->actions;
  g_autofree char *ack = wc_report_duration (all->to_acknowledge.median);
  g_autofree char *resp = wc_report_duration (all->to_respond.median);

  raw (c, "## %s\n\n", _("Summary"));
  raw (c, "- %s: %u\n- %s: %u\n- %s: %u (%s %s)\n- %s: %u (%s %s)\n", _("Teams"),
       wc_scenario_get_n_teams (c->scenario), _("Injects received (team × inject)"), all->received,
       _("Acknowledged"), all->acknowledged, _("median"), ack, _("Answered"), all->responded,
       _("median"), resp);
  raw (c, "- %s: %u %s, %u %s, %u %s, %u %s, %u %s\n- %s: %u\n\n", _("Expected actions"),
       n[WC_ACTION_MET], _("met"), n[WC_ACTION_LATE], _("late"), n[WC_ACTION_PARTIAL], _("partial"),
       n[WC_ACTION_NOT_MET], _("not met"), n[WC_ACTION_NA], _("not applicable"), _("Not assessed"),
       n[WC_ACTION_NOT_ASSESSED]);
}

static void
md_teams (WcReportCtx *c)
{
  WcMetrics *m = c->metrics;
  const char *headers[] = { _("Team"), _("Received"), _("Acknowledged"), _("Answered"),
                            _("Median to acknowledge"), _("Median to answer"),
                            _("Actions met / late / partial / not met · not assessed"), NULL };
  const char *classes[] = { NULL, "n", "n", "n", "n", "n", NULL, NULL };

  md_heading (c, 2, _("Teams"));
  md_table (c, headers, classes);
  for (guint t = 0; t < wc_scenario_get_n_teams (c->scenario); t++)
    {
      const WcTeamMetrics *tm = wc_metrics_get_team (m, t);
      g_autofree char *a = wc_report_duration (tm->to_acknowledge.median);
      g_autofree char *r = wc_report_duration (tm->to_respond.median);

      raw (c, "| ");
      md (c, wc_report_text (c, tm->team->name));
      raw (c, " | %u | %u | %u | %s | %s | %u / %u / %u / %u · %u |\n", tm->received,
           tm->acknowledged, tm->responded, a, r, tm->actions[WC_ACTION_MET],
           tm->actions[WC_ACTION_LATE], tm->actions[WC_ACTION_PARTIAL],
           tm->actions[WC_ACTION_NOT_MET], tm->actions[WC_ACTION_NOT_ASSESSED]);
    }
  raw (c, "\n");
  for (guint t = 0; t < wc_scenario_get_n_teams (c->scenario); t++)
    {
      const WcTeam *team = wc_scenario_get_team (c->scenario, t);

      md_heading (c, 3, wc_report_text (c, team->name));
      wc_report_aar_team_findings (c, team);
    }
}

static void
md_timeline (WcReportCtx *c)
{
  WcMetrics *m = c->metrics;
  const char *headers[] = { _("Team"), _("Inject"), _("Title"), _("Reached"), _("Acknowledged"),
                            _("First answer"), _("Expected actions"), NULL };
  const char *classes[] = { NULL, NULL, NULL, "n", "n", "n", NULL, NULL };

  md_heading (c, 2, _("Timeline"));
  md_table (c, headers, classes);
  for (guint i = 0; i < wc_metrics_get_n_rows (m); i++)
    {
      const WcTeamInjectMetrics *row = wc_metrics_get_row (m, i);
      g_autofree char *reached = wc_metrics_format_ms (row->delivered_ms >= 0 ? row->delivered_ms : row->fired_ms);
      g_autofree char *a = wc_metrics_format_ms (row->acknowledged_ms);
      g_autofree char *r = wc_metrics_format_ms (row->first_response_ms);

      raw (c, "| ");
      md (c, wc_report_text (c, row->team->name));
      raw (c, " | ");
      md (c, row->inject->id);
      raw (c, " | ");
      md (c, wc_report_text (c, row->inject->title));
      raw (c, " | %s | %s | %s | ", reached, a, r);
      for (guint k = 0; k < row->actions->len; k++)
        {
          const WcActionResult *ar = &g_array_index (row->actions, WcActionResult, k);
          g_autofree char *by = wc_report_judged_by (c->metrics, ar);

          raw (c, "%s%s: ", k ? "; " : "", wc_action_status_to_label (ar->status));
          md (c, wc_report_text (c, ar->action->text));
          if (ar->status != WC_ACTION_NOT_ASSESSED || ar->reviewed)
            {
              raw (c, " (");
              md (c, by);
              raw (c, ")");
            }
        }
      raw (c, " |\n");
    }
  raw (c, "\n");
}

static void
md_chronology (WcReportCtx *c)
{
  WcJournal *journal = wc_metrics_get_journal (c->metrics);
  const char *headers[] = { _("Exercise time"), _("Event"), _("Inject"), _("Team"), _("Details"), NULL };
  const char *classes[] = { "n", NULL, NULL, NULL, NULL, NULL };

  md_heading (c, 2, _("Chronology"));
  md_table (c, headers, classes);
  for (guint i = 0; i < wc_journal_get_n_records (journal); i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i);
      g_autofree char *t = wc_time_format (r->t_ms, FALSE);

      md_cell (c, NULL, t);
      md_cell (c, NULL, r->type);
      md_cell (c, NULL, json_object_get_string_member_with_default (r->data, "inject", ""));
      md_cell (c, NULL, json_object_get_string_member_with_default (r->data, "team", ""));
      md_cell (c, NULL, json_object_get_string_member_with_default (r->data, "text", ""));
      md_row_end (c);
    }
}

void
wc_report_write_markdown (WcReportCtx *c)
{
  const WcJournalVerifyResult *v = c->in->verify;
  g_autofree char *integrity = wc_report_integrity (v);
  gboolean final = c->in->review && c->in->review->status == WC_REVIEW_FINAL;

  c->markup = &md_markup;
  raw (c, "**TLP:%s** · **%s** · **%s**\n\n# %s: ", wc_tlp_to_string (wc_scenario_get_tlp (c->scenario)),
       wc_exercise_marking (c->lang),
       final ? _("FINAL") : _("DRAFT"), _("After-action report"));
  md (c, wc_report_text (c, wc_scenario_get_title (c->scenario)));
  raw (c, "\n\n> ");
  if (v->verdict == WC_JOURNAL_SOUND)
    {
      g_autofree char *print = wc_report_fingerprint (v);

      md (c, integrity);
      raw (c, "\n>\n> ");
      md (c, print);
      raw (c, "\n\n");
    }
  else
    {
      raw (c, "**");
      md (c, integrity);
      raw (c, ".** %s\n\n", _("What follows cannot be relied on as evidence."));
    }
  if (c->in->scenario_note)
    {
      raw (c, "> **");
      md (c, c->in->scenario_note);
      raw (c, "**\n\n");
    }
  wc_report_aar_overview (c);
  md_summary (c);
  wc_report_aar_objectives (c);
  md_teams (c);
  md_timeline (c);
  wc_report_aar_loop (c);
  wc_report_aar_feedback (c);
  wc_report_aar_observations (c);
  wc_report_aar_plan (c);
  md_chronology (c);
  raw (c, "\n*TLP:%s · %s*\n", wc_tlp_to_string (wc_scenario_get_tlp (c->scenario)),
       wc_exercise_marking (c->lang));
}
