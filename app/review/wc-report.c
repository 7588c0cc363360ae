/* wc-report.c: the after-action report / improvement plan: what its writers share — the context,
 * the labels, the journal's integrity line — and the choice of writer.
 *
 * Everything a team or a staff member wrote is untrusted: it is escaped for HTML (and for
 * Markdown) every time, and CSV cells are quoted, with a quote mark before what a spreadsheet
 * would run as a formula. In every format, bidi controls and zero-width characters are shown
 * ("[U+202E]"): they could otherwise make a text read differently from what it is.
 */
#define G_LOG_DOMAIN "wc-report"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-report-private.h"

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
  else if (g_strcmp0 (name, "json") == 0)
    *format = WC_REPORT_JSON;
  else
    return FALSE;
  return TRUE;
}

void
wc_report_printf (WcReportCtx *c,
                  const char  *format,
                  ...)
{
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (c->out, format, args);
  va_end (args);
}

const char *
wc_report_text (WcReportCtx  *c,
                const WcText *text)
{
  const char *s = wc_text_get (text, c->lang, c->fallback);

  return s ? s : "";
}

char *
wc_report_duration (gint64 ms)
{
  gint64 s = ms / 1000;

  if (ms < 0)
    return g_strdup ("—");
  if (s < 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT " min %02" G_GINT64_FORMAT " s", s / 60, s % 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT " h %02" G_GINT64_FORMAT " min", s / 3600,
                          (s / 60) % 60);
}

char *
wc_report_percent (guint part,
                   guint whole)
{
  if (whole == 0)
    return g_strdup ("—");
  return g_strdup_printf ("%u %%", (part * 100 + whole / 2) / whole);
}

char *
wc_report_fingerprint (const WcJournalVerifyResult *v)
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

char *
wc_report_integrity (const WcJournalVerifyResult *v)
{
  if (v->verdict == WC_JOURNAL_SOUND)
    return g_strdup_printf ("%s %" G_GUINT64_FORMAT " %s",
                            _("Journal verified: every link of its hash chain is sound,"),
                            v->n_records, _("records."));
  return g_strdup_printf ("%s %u: %s", _("This journal FAILED verification at line"), v->bad_line,
                          v->message);
}

const char *
wc_report_rating_label (WcRating rating)
{
  switch (rating)
    {
    case WC_RATING_PERFORMED: return _("Performed without challenges");
    case WC_RATING_SOME_CHALLENGES: return _("Performed with some challenges");
    case WC_RATING_MAJOR_CHALLENGES: return _("Performed with major challenges");
    case WC_RATING_UNABLE:
    default: return _("Unable to be performed");
    }
}

const char *
wc_report_kind_label (WcObservationKind kind)
{
  switch (kind)
    {
    case WC_OBSERVATION_STRENGTH: return _("strength");
    case WC_OBSERVATION_IMPROVEMENT: return _("area for improvement");
    case WC_OBSERVATION_NOTE:
    default: return _("note");
    }
}

const char *
wc_report_role_label (WcStaffRole role)
{
  switch (role)
    {
    case WC_STAFF_DIRECTOR: return _("director");
    case WC_STAFF_CONTROLLER: return _("controller");
    case WC_STAFF_EVALUATOR: return _("evaluator");
    case WC_STAFF_OBSERVER:
    default: return _("observer");
    }
}

const char *
wc_report_objective_label (const WcObjectiveMetrics *o)
{
  const guint *n = o->actions;
  guint judged = n[WC_ACTION_MET] + n[WC_ACTION_LATE] + n[WC_ACTION_PARTIAL] + n[WC_ACTION_NOT_MET];
  guint done = n[WC_ACTION_MET] + n[WC_ACTION_LATE];

  if (judged == 0)
    return n[WC_ACTION_NOT_ASSESSED] > 0 ? _("not assessed") : _("not measured");
  if (n[WC_ACTION_MET] == judged)
    return _("met");
  if (done == judged)
    return _("met, partly late");
  if (done + n[WC_ACTION_PARTIAL] > 0)
    return _("partly met");
  return _("not met");
}

char *
wc_report_staff (WcMetrics  *metrics,
                 const char *staff_id)
{
  GPtrArray *staff = wc_metrics_get_staff (metrics);

  for (guint i = 0; staff && i < staff->len; i++)
    {
      const WcStaff *s = g_ptr_array_index (staff, i);

      if (g_strcmp0 (s->id, staff_id) == 0)
        return g_strdup_printf ("%s (%s)", s->name, wc_report_role_label (s->role));
    }
  return g_strdup (wc_metrics_get_staff_name (metrics, staff_id));
}

char *
wc_report_judged_by (WcMetrics            *metrics,
                     const WcActionResult *a)
{
  g_autofree char *day = NULL;

  if (a->reviewed)
    {
      day = g_strndup (a->reviewed_at ? a->reviewed_at : "", 10);
      /* TRANSLATORS: "reviewer Ann Lee, in review 2027-01-03 (the journal: met, rule)" */
      return g_strdup_printf (_("reviewer %s, in review %s (the journal: %s%s)"), a->by, day,
                              wc_action_status_to_label (a->journal_status),
                              a->journal_automatic ? _(", rule") : "");
    }
  if (a->status == WC_ACTION_NOT_ASSESSED)
    return g_strdup ("—");
  if (a->automatic)
    return g_strdup (_("rule (automatic)"));
  return wc_report_staff (metrics, a->by);
}

const char *
wc_report_team_name (WcReportCtx *c,
                     const char  *team_id)
{
  const WcTeam *team = team_id ? wc_scenario_find_team (c->scenario, team_id) : NULL;

  return team ? wc_report_text (c, team->name) : team_id;
}

const char *
wc_report_area_of (WcReportCtx         *c,
                   const WcImprovement *item)
{
  for (guint i = 0; item->observation > 0 && i < wc_metrics_get_n_observations (c->metrics); i++)
    {
      const WcStaffObservation *o = wc_metrics_get_observation (c->metrics, i);

      if (o->seq == item->observation)
        return o->text;
    }
  if (item->objective)
    {
      const WcObjective *objective = wc_scenario_find_objective (c->scenario, item->objective);

      return objective ? wc_report_text (c, objective->text) : item->objective;
    }
  return NULL;
}

void
wc_report_feedback_averages (WcMetrics *metrics,
                             double    *realism,
                             double    *usefulness)
{
  guint sum[2] = { 0 }, n[2] = { 0 };

  for (guint i = 0; i < wc_metrics_get_n_feedback (metrics); i++)
    {
      const WcTeamFeedback *f = wc_metrics_get_feedback (metrics, i);

      sum[0] += f->realism;
      n[0] += f->realism > 0;
      sum[1] += f->usefulness;
      n[1] += f->usefulness > 0;
    }
  *realism = n[0] ? (double) sum[0] / n[0] : -1;
  *usefulness = n[1] ? (double) sum[1] / n[1] : -1;
}

void
wc_report_write (const WcReportInput *input,
                 WcReportFormat       format,
                 GString             *out)
{
  g_autoptr(WcMetrics) reviewed = NULL;
  WcReportCtx c = { input, input->metrics, wc_metrics_get_scenario (input->metrics), NULL, NULL,
                    out, NULL, FALSE, FALSE };

  /* the reviewers' judgements stand over the journal's, in every format */
  if (input->review && input->review->judgements->len > 0)
    c.metrics = reviewed = wc_metrics_review (input->metrics, input->review);
  c.fallback = wc_scenario_get_default_language (c.scenario);
  c.lang = input->lang ? input->lang : c.fallback;
  switch (format)
    {
    case WC_REPORT_HTML: wc_report_write_html (&c); break;
    case WC_REPORT_MARKDOWN: wc_report_write_markdown (&c); break;
    case WC_REPORT_JSON: wc_report_write_json (&c); break;
    case WC_REPORT_CSV: default: wc_report_write_csv (&c); break;
    }
}
