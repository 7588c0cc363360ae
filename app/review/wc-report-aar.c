/* wc-report-aar.c: the after-action sections that HTML and Markdown share, written once through
 * the format's WcReportMarkup: the overview, the objectives with their ratings and evidence,
 * strengths and areas for improvement, the participants' feedback, the observations and the
 * improvement plan. */
#define G_LOG_DOMAIN "wc-report"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-report-private.h"

#define M(c) ((c)->markup)

static void
row (WcReportCtx *c,
     const char  *first,
     ...) G_GNUC_NULL_TERMINATED;

/* One table row of plain (untrusted) cells. */
static void
row (WcReportCtx *c,
     const char  *first,
     ...)
{
  va_list args;

  va_start (args, first);
  for (const char *cell = first; cell; cell = va_arg (args, const char *))
    M (c)->cell (c, NULL, cell);
  va_end (args);
  M (c)->row_end (c);
}

static char *
when (gint64 t_ms)
{
  return t_ms >= 0 ? wc_time_format (t_ms, FALSE) : g_strdup (_("whole exercise"));
}

/* "text — Eve Evaluator (evaluator), T+00:12:00" */
static char *
observation_line (WcReportCtx              *c,
                  const WcStaffObservation *o)
{
  g_autofree char *by = wc_report_staff (c->metrics, o->by);
  g_autofree char *t = when (o->t_ms);

  return g_strdup_printf ("%s — %s, %s", o->text, by, t);
}

void
wc_report_aar_overview (WcReportCtx *c)
{
  WcMetrics *m = c->metrics;
  GPtrArray *staff = wc_metrics_get_staff (m);
  g_autoptr(GString) teams = g_string_new (NULL);
  g_autoptr(GString) people = g_string_new (NULL);
  g_autofree char *end = wc_time_format (wc_metrics_get_end_ms (m), FALSE);
  g_autofree char *dates = NULL;
  g_autofree char *created = NULL;
  g_autofree char *tlp = g_strdup_printf ("TLP:%s · %s", wc_tlp_to_string (wc_scenario_get_tlp (c->scenario)),
                                          wc_exercise_marking (c->lang));
  const char *headers[] = { _("Item"), _("Details"), NULL };
  WcReviewStatus status = c->in->review ? c->in->review->status : WC_REVIEW_DRAFT;

  for (guint t = 0; t < wc_scenario_get_n_teams (c->scenario); t++)
    g_string_append_printf (teams, "%s%s", t ? ", " : "",
                            wc_report_text (c, wc_scenario_get_team (c->scenario, t)->name));
  for (guint i = 0; staff && i < staff->len; i++)
    {
      const WcStaff *s = g_ptr_array_index (staff, i);

      g_string_append_printf (people, "%s%s (%s)", i ? ", " : "", s->name, wc_report_role_label (s->role));
    }
  created = wc_report_date (wc_journal_get_created_at (wc_metrics_get_journal (m)));
  /* Translators: "journal created 12 January 2027, 08:00 UTC; played up to T+02:00:00 (ended)" */
  dates = g_strdup_printf (wc_metrics_get_ended (m) ? _("journal created %s; played up to %s (ended)")
                                                    : _("journal created %s; played up to %s (not ended)"),
                           created, end);
  M (c)->heading (c, 2, _("Exercise overview"));
  M (c)->table (c, headers, NULL);
  row (c, _("Exercise"), wc_report_text (c, wc_scenario_get_title (c->scenario)), NULL);
  row (c, _("Identifier"), wc_scenario_get_id (c->scenario), NULL);
  row (c, _("Dates"), dates, NULL);
  row (c, _("Classification"), tlp, NULL);
  row (c, _("Participants"), teams->str, NULL);
  row (c, _("Exercise staff"), people->len ? people->str : _("none recorded"), NULL);
  row (c, _("Report status"), status == WC_REVIEW_FINAL ? _("Final") : _("Draft"), NULL);
  M (c)->table_end (c);
}

static void
objective_ratings (WcReportCtx       *c,
                   const WcObjective *objective)
{
  WcMetrics *m = c->metrics;
  const char *headers[] = { _("Target"), _("Rating"), _("Rationale"), _("Rated by"), _("When"), NULL };
  guint n_latest = 0;

  for (guint i = 0; i < wc_metrics_get_n_ratings (m); i++)
    {
      const WcObjectiveRating *r = wc_metrics_get_rating (m, i);
      g_autofree char *by = NULL;
      g_autofree char *t = NULL;

      if (!r->latest || g_strcmp0 (r->objective, objective->id) != 0)
        continue;
      if (n_latest++ == 0)
        M (c)->table (c, headers, NULL);
      by = wc_report_staff (c->metrics, r->by);
      t = wc_time_format (r->t_ms, FALSE);
      row (c, r->target ? r->target : _("the objective"), wc_report_rating_label (r->rating),
           r->rationale ? r->rationale : "—", by, t, NULL);
    }
  if (n_latest == 0)
    {
      M (c)->paragraph (c, _("Rating: not rated (no Exercise Evaluation Guide rating was recorded)."));
      return;
    }
  M (c)->table_end (c);
  /* ratings changed during the exercise: their history, as evidence of how the view moved */
  for (guint i = 0; i < wc_metrics_get_n_ratings (m); i++)
    {
      const WcObjectiveRating *r = wc_metrics_get_rating (m, i);
      g_autofree char *by = NULL;
      g_autofree char *t = NULL;
      g_autofree char *line = NULL;

      if (r->latest || g_strcmp0 (r->objective, objective->id) != 0)
        continue;
      by = wc_report_staff (c->metrics, r->by);
      t = wc_time_format (r->t_ms, FALSE);
      line = g_strdup_printf ("%s%s%s — %s, %s, %s", r->target ? r->target : "", r->target ? ": " : "",
                              wc_report_rating_label (r->rating), r->rationale ? r->rationale : "—", by, t);
      M (c)->item (c, _("Earlier rating:"), line);
    }
  M (c)->list_end (c);
}

static void
objective_evidence (WcReportCtx       *c,
                    const WcObjective *objective)
{
  WcMetrics *m = c->metrics;
  const char *headers[] = { _("Inject"), _("Team"), _("Expected action"), _("Verdict"),
                            _("Judged by"), _("Note"), NULL };
  gboolean any = FALSE;

  for (guint i = 0; i < wc_metrics_get_n_rows (m); i++)
    {
      const WcTeamInjectMetrics *r = wc_metrics_get_row (m, i);

      for (guint k = 0; k < r->actions->len; k++)
        {
          const WcActionResult *a = &g_array_index (r->actions, WcActionResult, k);
          g_autofree char *by = NULL;

          if (g_strcmp0 (a->action->objective, objective->id) != 0)
            continue;
          if (!any)
            {
              M (c)->heading (c, 4, _("Evidence: expected actions"));
              M (c)->table (c, headers, NULL);
            }
          any = TRUE;
          by = wc_report_judged_by (c->metrics, a);
          M (c)->cell (c, NULL, r->inject->id);
          M (c)->cell (c, NULL, wc_report_text (c, r->team->name));
          M (c)->cell (c, NULL, wc_report_text (c, a->action->text));
          M (c)->cell (c, wc_action_status_to_string (a->status), wc_action_status_to_label (a->status));
          M (c)->cell (c, NULL, by);
          M (c)->cell (c, NULL, a->note ? a->note : "");
          M (c)->row_end (c);
        }
    }
  if (any)
    M (c)->table_end (c);
}

/* The staff's observations about an objective or a team, by kind: strengths first. */
static gboolean
observations_about (WcReportCtx *c,
                    const char  *objective,
                    const char  *team)
{
  static const WcObservationKind order[] = { WC_OBSERVATION_STRENGTH, WC_OBSERVATION_IMPROVEMENT,
                                             WC_OBSERVATION_NOTE };
  const char *labels[] = { _("Strength:"), _("Area for improvement:"), _("Note:") };
  gboolean any = FALSE;

  for (guint k = 0; k < G_N_ELEMENTS (order); k++)
    for (guint i = 0; i < wc_metrics_get_n_observations (c->metrics); i++)
      {
        const WcStaffObservation *o = wc_metrics_get_observation (c->metrics, i);
        g_autofree char *line = NULL;

        if (o->kind != order[k] || (objective && g_strcmp0 (o->objective, objective) != 0) ||
            (team && g_strcmp0 (o->team, team) != 0))
          continue;
        line = observation_line (c, o);
        M (c)->item (c, labels[k], line);
        any = TRUE;
      }
  if (any)
    M (c)->list_end (c);
  return any;
}

void
wc_report_aar_objectives (WcReportCtx *c)
{
  WcMetrics *m = c->metrics;

  if (wc_metrics_get_n_objectives (m) == 0)
    return;
  M (c)->heading (c, 2, _("Analysis of objectives"));
  for (guint i = 0; i < wc_metrics_get_n_objectives (m); i++)
    {
      const WcObjectiveMetrics *o = wc_metrics_get_objective (m, i);
      const guint *n = o->actions;
      g_autofree char *title = g_strdup_printf ("%s — %s", o->objective->id,
                                                wc_report_text (c, o->objective->text));
      g_autofree char *counts = NULL;

      /* Translators: the expected actions of an objective, by status */
      counts = g_strdup_printf (_("Expected actions: %s — %u met, %u late, %u partial, %u not met, "
                                  "%u not applicable; %u not assessed."),
                                wc_report_objective_label (o), n[WC_ACTION_MET], n[WC_ACTION_LATE],
                                n[WC_ACTION_PARTIAL], n[WC_ACTION_NOT_MET], n[WC_ACTION_NA],
                                n[WC_ACTION_NOT_ASSESSED]);
      M (c)->heading (c, 3, title);
      objective_ratings (c, o->objective);
      M (c)->paragraph (c, counts);
      objective_evidence (c, o->objective);
      M (c)->heading (c, 4, _("Strengths and areas for improvement"));
      if (!observations_about (c, o->objective->id, NULL))
        M (c)->paragraph (c, _("No observation was recorded about this objective."));
    }
}

void
wc_report_aar_team_findings (WcReportCtx  *c,
                             const WcTeam *team)
{
  observations_about (c, NULL, team->id);
}

void
wc_report_aar_feedback (WcReportCtx *c)
{
  WcMetrics *m = c->metrics;
  const char *headers[] = { _("Team"), _("Realism"), _("Usefulness"), _("Strengths"),
                            _("Improvements"), _("Comments"), NULL };
  const char *classes[] = { NULL, "n", "n", NULL, NULL, NULL, NULL };
  double realism, usefulness;
  g_autofree char *summary = NULL;
  g_autofree char *r_text = NULL;
  g_autofree char *u_text = NULL;

  M (c)->heading (c, 2, _("Participants' feedback"));
  if (wc_metrics_get_n_feedback (m) == 0)
    {
      M (c)->paragraph (c, _("No team gave feedback."));
      return;
    }
  wc_report_feedback_averages (m, &realism, &usefulness);
  r_text = realism < 0 ? g_strdup ("—") : wc_report_decimal (realism);
  u_text = usefulness < 0 ? g_strdup ("—") : wc_report_decimal (usefulness);
  /* Translators: "2 of 3 teams gave feedback. Average realism: 4.0 / 5; usefulness: 4.5 / 5."
   * (the plural follows the number of teams, the second %u) */
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u of %u team gave feedback. Average realism: %s / 5; "
                                          "usefulness: %s / 5.",
                                          "%u of %u teams gave feedback. Average realism: %s / 5; "
                                          "usefulness: %s / 5.", wc_scenario_get_n_teams (c->scenario)),
                             wc_metrics_get_n_feedback (m), wc_scenario_get_n_teams (c->scenario),
                             r_text, u_text);
  M (c)->paragraph (c, summary);
  M (c)->table (c, headers, classes);
  for (guint i = 0; i < wc_metrics_get_n_feedback (m); i++)
    {
      const WcTeamFeedback *f = wc_metrics_get_feedback (m, i);
      g_autofree char *r = f->realism ? g_strdup_printf ("%u", f->realism) : g_strdup ("—");
      g_autofree char *u = f->usefulness ? g_strdup_printf ("%u", f->usefulness) : g_strdup ("—");

      M (c)->cell (c, NULL, wc_report_text (c, f->team->name));
      M (c)->cell (c, "n", r);
      M (c)->cell (c, "n", u);
      M (c)->cell (c, NULL, f->strengths ? f->strengths : "");
      M (c)->cell (c, NULL, f->improvements ? f->improvements : "");
      M (c)->cell (c, NULL, f->text ? f->text : "");
      M (c)->row_end (c);
    }
  M (c)->table_end (c);
}

void
wc_report_aar_observations (WcReportCtx *c)
{
  WcMetrics *m = c->metrics;
  const WcReview *review = c->in->review;
  const char *headers[] = { _("Exercise time"), _("Kind"), _("By"), _("About"), _("Text"), NULL };
  const char *classes[] = { "n", NULL, NULL, NULL, NULL, NULL };

  M (c)->heading (c, 2, _("Notes and observations"));
  if (wc_metrics_get_n_notes (m) + wc_metrics_get_n_observations (m) == 0 &&
      (review == NULL || review->observations->len == 0))
    {
      M (c)->paragraph (c, _("None were recorded."));
      return;
    }
  M (c)->table (c, headers, classes);
  for (guint i = 0; i < wc_metrics_get_n_notes (m); i++)
    {
      const WcNote *note = wc_metrics_get_note (m, i);
      g_autofree char *t = wc_time_format (note->t_ms, FALSE);

      M (c)->cell (c, "n", t);
      row (c, _("note"), note->author ? note->author : _("controller"), "", note->text, NULL);
    }
  for (guint i = 0; i < wc_metrics_get_n_observations (m); i++)
    {
      const WcStaffObservation *o = wc_metrics_get_observation (m, i);
      g_autofree char *t = wc_time_format (o->t_ms, FALSE);
      g_autofree char *by = wc_report_staff (c->metrics, o->by);
      g_autofree char *about = g_strjoin (" ", o->objective ? o->objective : "",
                                          o->inject ? o->inject : "",
                                          o->team ? wc_report_team_name (c, o->team) : "", NULL);

      M (c)->cell (c, "n", t);
      row (c, wc_report_kind_label (o->kind), by, g_strstrip (about), o->text, NULL);
    }
  for (guint i = 0; review && i < review->observations->len; i++)
    {
      const WcObservation *o = g_ptr_array_index (review->observations, i);
      g_autofree char *t = when (o->t_ms);

      M (c)->cell (c, "n", t);
      row (c, _("review"), _("reviewer"), o->team ? wc_report_team_name (c, o->team) : "", o->text, NULL);
    }
  M (c)->table_end (c);
}

/* What the journal itself points at, for the reviewers to turn into items. */
static void
journal_findings (WcReportCtx *c)
{
  WcMetrics *m = c->metrics;

  M (c)->heading (c, 3, _("Findings from the journal"));
  for (guint t = 0; t < wc_scenario_get_n_teams (c->scenario); t++)
    {
      const WcTeamMetrics *tm = wc_metrics_get_team (m, t);
      g_autofree char *name = g_strdup_printf ("%s:", wc_report_text (c, tm->team->name));
      g_autofree char *line = NULL;

      if (tm->received > tm->acknowledged)
        {
          guint n = tm->received - tm->acknowledged;

          line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u inject never acknowledged",
                                               "%u injects never acknowledged", n), n);
          M (c)->item (c, name, line);
          g_clear_pointer (&line, g_free);
        }
      if (tm->actions[WC_ACTION_NOT_MET] + tm->actions[WC_ACTION_LATE] + tm->actions[WC_ACTION_PARTIAL] > 0)
        {
          /* Translators: "2 expected actions not met, 1 late, 0 partial" (the plural follows the
           * first number) */
          line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%u expected action not met, %u late, %u partial",
                                               "%u expected actions not met, %u late, %u partial",
                                               tm->actions[WC_ACTION_NOT_MET]),
                                  tm->actions[WC_ACTION_NOT_MET], tm->actions[WC_ACTION_LATE],
                                  tm->actions[WC_ACTION_PARTIAL]);
          M (c)->item (c, name, line);
          g_clear_pointer (&line, g_free);
        }
      if (tm->actions[WC_ACTION_NOT_ASSESSED] > 0)
        {
          line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u expected action not assessed",
                                               "%u expected actions not assessed",
                                               tm->actions[WC_ACTION_NOT_ASSESSED]),
                                  tm->actions[WC_ACTION_NOT_ASSESSED]);
          M (c)->item (c, name, line);
          g_clear_pointer (&line, g_free);
        }
      if (tm->webhook_failures > 0)
        {
          line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u failed webhook delivery",
                                               "%u failed webhook deliveries", tm->webhook_failures),
                                  tm->webhook_failures);
          M (c)->item (c, name, line);
        }
    }
  M (c)->list_end (c);
}

static gboolean
in_plan (const WcReview           *review,
         const WcStaffObservation *o)
{
  for (guint i = 0; review && i < review->improvements->len; i++)
    if (((const WcImprovement *) g_ptr_array_index (review->improvements, i))->observation == o->seq)
      return TRUE;
  return FALSE;
}

void
wc_report_aar_plan (WcReportCtx *c)
{
  const WcReview *review = c->in->review;
  const char *headers[] = { _("Area for improvement"), _("Corrective action"), _("Owner"), _("Due"), NULL };
  gboolean open_areas = FALSE;

  M (c)->heading (c, 2, _("Improvement plan"));
  if (review && review->improvements->len > 0)
    {
      M (c)->table (c, headers, NULL);
      for (guint i = 0; i < review->improvements->len; i++)
        {
          const WcImprovement *item = g_ptr_array_index (review->improvements, i);
          const char *area = wc_report_area_of (c, item);

          row (c, area ? area : _("(not tied to an area)"), item->what, item->owner ? item->owner : "—",
               item->due ? item->due : "—", NULL);
        }
      M (c)->table_end (c);
    }
  else
    M (c)->paragraph (c, _("No corrective action has been planned yet."));
  /* areas the staff named that no item answers yet: the plan is not done while any is left */
  for (guint i = 0; i < wc_metrics_get_n_observations (c->metrics); i++)
    {
      const WcStaffObservation *o = wc_metrics_get_observation (c->metrics, i);
      g_autofree char *line = NULL;
      g_autofree char *label = NULL;

      if (o->kind != WC_OBSERVATION_IMPROVEMENT || in_plan (review, o))
        continue;
      if (!open_areas)
        M (c)->heading (c, 3, _("Areas for improvement without a corrective action"));
      open_areas = TRUE;
      line = observation_line (c, o);
      label = g_strdup_printf ("#%" G_GUINT64_FORMAT, o->seq);
      M (c)->item (c, label, line);
    }
  if (open_areas)
    M (c)->list_end (c);
  journal_findings (c);
}
