/* wc-replay.c: the exercise seen again, record by record, from its journal. */
#define G_LOG_DOMAIN "wc-replay"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "wc-replay.h"
#include "wc-scenario-loader.h"

struct _WcReplay {
  GObject               parent_instance;
  char                 *journal_path;
  char                 *scenario_note;
  WcJournal            *journal;
  WcScenario           *scenario;
  WcMetrics            *journal_metrics; /* the journal alone */
  WcMetrics            *metrics;         /* with the review's judgements over the journal's */
  WcReview             *review;
  WcJournalVerifyResult verify;
  WcEngine             *engine;   /* the replay, up to next_record */
  WcLive               *live;
  guint                 next_record;
  gint64                t_ms;
};

enum { PROP_0, PROP_LIVE, PROP_TIME, PROP_METRICS, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (WcReplay, wc_replay, G_TYPE_OBJECT)

static void
wc_replay_dispose (GObject *object)
{
  WcReplay *self = WC_REPLAY (object);

  g_clear_object (&self->live);
  g_clear_object (&self->engine);
  g_clear_object (&self->metrics);
  g_clear_object (&self->journal_metrics);
  g_clear_object (&self->journal);
  g_clear_object (&self->scenario);
  G_OBJECT_CLASS (wc_replay_parent_class)->dispose (object);
}

static void
wc_replay_finalize (GObject *object)
{
  WcReplay *self = WC_REPLAY (object);

  g_free (self->journal_path);
  g_free (self->scenario_note);
  g_clear_pointer (&self->review, wc_review_free);
  wc_journal_verify_result_clear (&self->verify);
  G_OBJECT_CLASS (wc_replay_parent_class)->finalize (object);
}

static void
wc_replay_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  WcReplay *self = WC_REPLAY (object);

  switch (prop_id)
    {
    case PROP_LIVE:
      g_value_set_object (value, self->live);
      break;
    case PROP_TIME:
      g_value_set_int64 (value, self->t_ms);
      break;
    case PROP_METRICS:
      g_value_set_object (value, self->metrics);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_replay_class_init (WcReplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_replay_dispose;
  object_class->finalize = wc_replay_finalize;
  object_class->get_property = wc_replay_get_property;
  properties[PROP_LIVE] = g_param_spec_object ("live", NULL, NULL, WC_TYPE_LIVE,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TIME] = g_param_spec_int64 ("time", NULL, NULL, 0, G_MAXINT64, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_METRICS] = g_param_spec_object ("metrics", NULL, NULL, WC_TYPE_METRICS,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wc_replay_init (WcReplay *self)
{
}

static void
restart (WcReplay *self)
{
  g_clear_object (&self->live);
  g_clear_object (&self->engine);
  self->engine = wc_engine_new_replay (self->scenario);
  self->live = wc_live_new (self->engine, NULL);
  self->next_record = 0;
  self->t_ms = 0;
}

/* Everything read from files: safe in a worker thread. */
static gboolean
read_files (WcReplay        *self,
            WcDiagnostics  **diag_out,
            GError         **error)
{
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autofree char *scenario_path = NULL;
  g_autofree char *review_path = wc_review_path_for_journal (self->journal_path);

  self->journal = wc_journal_load (self->journal_path, error);
  if (self->journal == NULL || !wc_journal_verify_file (self->journal_path, &self->verify, error))
    return FALSE;
  scenario_path = wc_journal_find_scenario (self->journal_path, wc_journal_get_scenario_path (self->journal));
  if (scenario_path == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("%s does not say which scenario was played"), self->journal_path);
      return FALSE;
    }
  diag = wc_diagnostics_new (scenario_path);
  self->scenario = wc_scenario_load (scenario_path, diag, error);
  if (diag_out)
    *diag_out = g_steal_pointer (&diag);
  if (self->scenario == NULL)
    return FALSE;
  if (g_strcmp0 (wc_scenario_get_sha256 (self->scenario), wc_journal_get_scenario_sha256 (self->journal)) != 0)
    self->scenario_note = g_strdup_printf (_("The scenario %s has changed since this exercise was played: "
                                             "texts may not be those the teams saw."), scenario_path);
  self->review = wc_review_load (review_path, error);
  if (self->review == NULL)
    return FALSE;
  self->journal_metrics = wc_metrics_new (self->scenario, self->journal);
  self->metrics = wc_metrics_review (self->journal_metrics, self->review);
  return TRUE;
}

WcReplay *
wc_replay_open (const char      *journal_path,
                WcDiagnostics  **diag_out,
                GError         **error)
{
  g_autoptr(WcReplay) self = g_object_new (WC_TYPE_REPLAY, NULL);

  self->journal_path = g_strdup (journal_path);
  if (!read_files (self, diag_out, error))
    return NULL;
  restart (self);
  return g_steal_pointer (&self);
}

typedef struct {
  WcReplay      *replay;
  WcDiagnostics *diag;
} OpenJob;

static void
open_job_free (gpointer data)
{
  OpenJob *job = data;

  g_clear_object (&job->replay);
  g_clear_pointer (&job->diag, wc_diagnostics_unref);
  g_free (job);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenJob *job = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!read_files (job->replay, &job->diag, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The replay engine and its live models, 10,000 rows for as many injects, are made here too:
   * they attach no source to a main context (their idles start with the first record, which only
   * a seek on the main thread applies) and only connect signals among themselves, so the main
   * thread gets them whole and ready. */
  restart (job->replay);
  g_task_return_boolean (task, TRUE);
}

void
wc_replay_new_async (const char          *journal_path,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  OpenJob *job = g_new0 (OpenJob, 1);

  job->replay = g_object_new (WC_TYPE_REPLAY, NULL);
  job->replay->journal_path = g_strdup (journal_path);
  g_task_set_source_tag (task, wc_replay_new_async);
  g_task_set_task_data (task, job, open_job_free);
  g_task_run_in_thread (task, open_thread);
}

WcReplay *
wc_replay_new_finish (GAsyncResult   *result,
                      WcDiagnostics **diag_out,
                      GError        **error)
{
  OpenJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wc_replay_new_async, NULL);
  job = g_task_get_task_data (G_TASK (result));
  if (diag_out)
    *diag_out = job->diag ? wc_diagnostics_ref (job->diag) : NULL;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_steal_pointer (&job->replay);
}

gboolean
wc_replay_seek (WcReplay  *self,
                gint64     t_ms,
                GError   **error)
{
  guint n = wc_journal_get_n_records (self->journal);
  gboolean restarted = FALSE;

  if (t_ms < self->t_ms)
    {
      restart (self);
      restarted = TRUE;
    }
  while (self->next_record < n)
    {
      const WcJournalRecord *r = wc_journal_get_record (self->journal, self->next_record);

      if (r->t_ms > t_ms)
        break;
      if (!wc_engine_replay_record (self->engine, r, error))
        {
          g_prefix_error (error, _("%s, record %" PRIu64 ": "), self->journal_path, r->seq);
          return FALSE;
        }
      self->next_record++;
    }
  wc_engine_replay_set_time (self->engine, t_ms);
  self->t_ms = t_ms;
  /* answers overdue at t_ms */
  wc_live_tick (self->live);
  if (restarted)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME]);
  return TRUE;
}

const char *wc_replay_get_journal_path (WcReplay *self) { return self->journal_path; }
WcScenario *wc_replay_get_scenario (WcReplay *self) { return self->scenario; }
WcJournal *wc_replay_get_journal (WcReplay *self) { return self->journal; }
WcMetrics *wc_replay_get_metrics (WcReplay *self) { return self->metrics; }
WcReview *wc_replay_get_review (WcReplay *self) { return self->review; }
const WcJournalVerifyResult *wc_replay_get_verify (WcReplay *self) { return &self->verify; }
gint64 wc_replay_get_time (WcReplay *self) { return self->t_ms; }
WcLive *wc_replay_get_live (WcReplay *self) { return self->live; }

gint64
wc_replay_get_end_ms (WcReplay *self)
{
  guint n = wc_journal_get_n_records (self->journal);

  return n > 0 ? wc_journal_get_record (self->journal, n - 1)->t_ms : 0;
}

gboolean
wc_replay_save_review (WcReplay  *self,
                       GError   **error)
{
  g_autofree char *path = wc_review_path_for_journal (self->journal_path);

  return wc_review_save (self->review, path, error);
}

static const WcExpectedAction *
find_action (const WcInject *inject,
             const char     *action_id)
{
  for (guint i = 0; i < inject->expected_actions->len; i++)
    {
      const WcExpectedAction *action = g_ptr_array_index (inject->expected_actions, i);

      if (g_strcmp0 (action->id, action_id) == 0)
        return action;
    }
  return NULL;
}

gboolean
wc_replay_set_judgement (WcReplay    *self,
                         const char  *inject_id,
                         const char  *team_id,
                         const char  *action_id,
                         WcVerdict    verdict,
                         const char  *note,
                         const char  *by,
                         GError     **error)
{
  g_autofree char *name = g_strstrip (g_strdup (by ? by : ""));
  const WcInject *inject = NULL;
  gboolean reached = FALSE;

  for (guint i = 0; i < wc_metrics_get_n_rows (self->metrics) && !reached; i++)
    {
      const WcTeamInjectMetrics *row = wc_metrics_get_row (self->metrics, i);

      if (g_strcmp0 (row->inject->id, inject_id) == 0)
        {
          inject = row->inject;
          reached = g_strcmp0 (row->team->id, team_id) == 0;
        }
    }
  if (!reached || find_action (inject, action_id) == NULL)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND,
                   _("No expected action “%s” of inject “%s” reached team “%s”"), action_id,
                   inject_id, team_id);
      return FALSE;
    }
  if (*name == '\0')
    {
      g_set_error_literal (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                           _("A judgement made in review says who made it: give the reviewer's name"));
      return FALSE;
    }
  wc_review_set_judgement (self->review, inject_id, team_id, action_id, verdict, note, name, NULL);
  return wc_replay_refresh_review (self, error);
}

gboolean
wc_replay_refresh_review (WcReplay  *self,
                          GError   **error)
{
  gboolean saved = wc_replay_save_review (self, error);

  /* the measures follow the review even when the file could not be written: the window shows
   * what the reviewer did, and says that it is not saved */
  g_clear_object (&self->metrics);
  self->metrics = wc_metrics_review (self->journal_metrics, self->review);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METRICS]);
  return saved;
}

void
wc_replay_write_report (WcReplay       *self,
                        WcReportFormat  format,
                        const char     *lang,
                        GString        *out)
{
  WcReportInput input = { 0 };

  input.lang = lang;
  input.metrics = self->journal_metrics;
  input.verify = &self->verify;
  input.review = self->review;
  input.scenario_note = self->scenario_note;
  wc_report_write (&input, format, out);
}
