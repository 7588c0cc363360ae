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
#include <locale.h>
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

/* Numbers, durations and dates are written in the conventions of the language the report's words
 * are in, through the catalogue rather than LC_NUMERIC/LC_TIME: `report --lang fr` must write
 * "3,5" and "12 janvier 2027" under any process locale, and the locale's own separator would
 * also reach the numbers that files need with a point (CSV, JSON, SVG). */
char *
wc_report_duration (gint64 ms)
{
  gint64 s = ms / 1000;

  if (ms < 0)
    return g_strdup ("—");
  if (s < 3600)
    /* Translators: a duration under an hour, "4 min 05 s" */
    return g_strdup_printf (_("%lld min %02lld s"), (long long) (s / 60), (long long) (s % 60));
  /* Translators: a duration in hours and minutes, "1 h 12 min" */
  return g_strdup_printf (_("%lld h %02lld min"), (long long) (s / 3600), (long long) ((s / 60) % 60));
}

char *
wc_report_percent (guint part,
                   guint whole)
{
  if (whole == 0)
    return g_strdup ("—");
  /* Translators: a percentage, "75%"; write it as your language does ("75 %") */
  return g_strdup_printf (C_("percent", "%u%%"), (part * 100 + whole / 2) / whole);
}

char *
wc_report_decimal (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  /* Translators: the decimal separator of numbers such as "3.5" */
  const char *separator = C_("decimal separator", ".");
  char *point;

  g_ascii_formatd (buffer, sizeof buffer, "%.1f", value);
  point = strchr (buffer, '.');
  if (point == NULL || strcmp (separator, ".") == 0)
    return g_strdup (buffer);
  *point = '\0';
  return g_strconcat (buffer, separator, point + 1, NULL);
}

char *
wc_report_date (const char *iso8601)
{
  const char *months[] = {
    NC_("month", "January"), NC_("month", "February"), NC_("month", "March"),
    NC_("month", "April"), NC_("month", "May"), NC_("month", "June"), NC_("month", "July"),
    NC_("month", "August"), NC_("month", "September"), NC_("month", "October"),
    NC_("month", "November"), NC_("month", "December"),
  };
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) parsed = iso8601 ? g_date_time_new_from_iso8601 (iso8601, NULL) : NULL;

  if (parsed == NULL)
    return g_strdup (iso8601 ? iso8601 : "—");
  utc = g_date_time_to_utc (parsed);
  /* Translators: a date and time in UTC: day, month's name, year, hour, minute, as in
   * "12 January 2027, 08:00 UTC"; reorder with %1$u, %2$s… if your language needs to */
  return g_strdup_printf (_("%u %s %u, %02u:%02u UTC"), (guint) g_date_time_get_day_of_month (utc),
                          g_dpgettext2 (GETTEXT_PACKAGE, "month",
                                        months[g_date_time_get_month (utc) - 1]),
                          (guint) g_date_time_get_year (utc), (guint) g_date_time_get_hour (utc),
                          (guint) g_date_time_get_minute (utc));
}

/* The report's own words in @lang whatever the process's locale, for the time it is written.
 * gettext reads LANGUAGE on every lookup, once its cache is invalidated (_nl_msg_cat_cntr), but
 * ignores it under the "C" locale: this thread reads its messages under C.UTF-8 meanwhile
 * (uselocale: the other threads keep theirs). LANGUAGE itself is process-wide: a report is
 * written at the command line's or the app's request, never concurrently with another. */
#ifdef __GLIBC__
extern int _nl_msg_cat_cntr;
#endif

typedef struct {
  gboolean  active;
  char     *saved_language;
  locale_t  locale;
  locale_t  previous;
} ReportWords;

static void
report_words_begin (ReportWords *w,
                    const char  *lang)
{
  locale_t base;

  memset (w, 0, sizeof *w);
  if (lang == NULL || *lang == '\0')
    return;
  w->active = TRUE;
  w->saved_language = g_strdup (g_getenv ("LANGUAGE"));
  g_setenv ("LANGUAGE", lang, TRUE);
  base = duplocale (uselocale ((locale_t) 0));
  if (base != (locale_t) 0)
    {
      w->locale = newlocale (LC_MESSAGES_MASK, "C.UTF-8", base);
      if (w->locale == (locale_t) 0)
        freelocale (base);
      else
        w->previous = uselocale (w->locale);
    }
#ifdef __GLIBC__
  ++_nl_msg_cat_cntr;
#endif
}

static void
report_words_end (ReportWords *w)
{
  if (!w->active)
    return;
  if (w->saved_language)
    g_setenv ("LANGUAGE", w->saved_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  if (w->locale != (locale_t) 0)
    {
      uselocale (w->previous);
      freelocale (w->locale);
    }
  g_free (w->saved_language);
#ifdef __GLIBC__
  ++_nl_msg_cat_cntr;
#endif
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
                              ? _("Sealed with the exercise's key through record %llu of %llu "
                                  "(seals checked).")
                              : _("Sealed through record %llu of %llu (seals not checked: no key "
                                  "given)."),
                              (unsigned long long) v->last_sealed_seq,
                              (unsigned long long) v->n_records);
  /* Translators: "Journal: 1234 records, head hash 3f9a…. Sealed …" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Journal: %llu record, head hash %s. %s",
                                       "Journal: %llu records, head hash %s. %s",
                                       v->n_records),
                          (unsigned long long) v->n_records, v->head_hash ? v->head_hash : "—",
                          sealed);
}

char *
wc_report_integrity (const WcJournalVerifyResult *v)
{
  if (v->verdict == WC_JOURNAL_SOUND)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Journal verified: every link of its hash chain is sound, "
                                         "%llu record.",
                                         "Journal verified: every link of its hash chain is sound, "
                                         "%llu records.", v->n_records),
                            (unsigned long long) v->n_records);
  /* Translators: the last %s is the verifier's message, e.g. "the hash does not match" */
  return g_strdup_printf (_("This journal FAILED verification at line %u: %s"), v->bad_line,
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
      /* Translators: "reviewer Ann Lee, in review 2027-01-03 (the journal: met, by rule)"; the
       * third %s is a verdict: met, not met… */
      return g_strdup_printf (a->journal_automatic
                              ? _("reviewer %s, in review %s (the journal: %s, by rule)")
                              : _("reviewer %s, in review %s (the journal: %s)"), a->by, day,
                              wc_action_status_to_label (a->journal_status));
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
  ReportWords words;

  /* the reviewers' judgements stand over the journal's, in every format */
  if (input->review && input->review->judgements->len > 0)
    c.metrics = reviewed = wc_metrics_review (input->metrics, input->review);
  c.fallback = wc_scenario_get_default_language (c.scenario);
  c.lang = input->lang ? input->lang : c.fallback;
  report_words_begin (&words, input->lang);
  switch (format)
    {
    case WC_REPORT_HTML: wc_report_write_html (&c); break;
    case WC_REPORT_MARKDOWN: wc_report_write_markdown (&c); break;
    case WC_REPORT_JSON: wc_report_write_json (&c); break;
    case WC_REPORT_CSV: default: wc_report_write_csv (&c); break;
    }
  report_words_end (&words);
}
