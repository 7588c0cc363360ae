/* wc-metrics.c: the review's measures, from the journal's records: they are replayed through the
 * engine's one applier (a replay engine), and the measures read the state it keeps; the
 * evaluation's records that keep no state (observations, ratings) are collected as they pass. */
#define G_LOG_DOMAIN "wc-metrics"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "wc-engine.h"
#include "wc-metrics.h"

struct _WcMetrics {
  GObject        parent_instance;
  WcScenario    *scenario;
  WcJournal     *journal;
  WcEngine      *engine;     /* the journal replayed: the state every measure reads */
  gint64         end_ms;
  gboolean       ended;
  GPtrArray     *rows;       /* WcTeamInjectMetrics */
  GHashTable    *row_index;  /* "inject\x1fteam" → row */
  WcTeamMetrics *teams;      /* n_teams + 1 (overall) */
  GArray        *objectives; /* WcObjectiveMetrics */
  GArray        *notes;      /* WcNote */
  GArray        *observations; /* WcStaffObservation */
  GArray        *ratings;    /* WcObjectiveRating */
  GArray        *feedback;   /* WcTeamFeedback */
  GStringChunk  *strings;    /* the review's texts that results point at */
  WcLoopMetrics *loop;       /* the coordination loop: judgements change nothing of it */
};

G_DEFINE_FINAL_TYPE (WcMetrics, wc_metrics, G_TYPE_OBJECT)

static void
row_free (gpointer data)
{
  WcTeamInjectMetrics *row = data;

  g_array_unref (row->actions);
  g_free (row);
}

static void
wc_metrics_finalize (GObject *object)
{
  WcMetrics *self = WC_METRICS (object);

  g_hash_table_unref (self->row_index);
  g_ptr_array_unref (self->rows);
  g_free (self->teams);
  g_array_unref (self->objectives);
  g_array_unref (self->notes);
  g_array_unref (self->observations);
  g_array_unref (self->ratings);
  g_array_unref (self->feedback);
  g_string_chunk_free (self->strings);
  g_clear_object (&self->loop);
  g_clear_object (&self->engine);
  g_clear_object (&self->journal);
  g_clear_object (&self->scenario);
  G_OBJECT_CLASS (wc_metrics_parent_class)->finalize (object);
}

static void
wc_metrics_class_init (WcMetricsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wc_metrics_finalize;
}

static void
wc_metrics_init (WcMetrics *self)
{
  self->rows = g_ptr_array_new_with_free_func (row_free);
  self->row_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->objectives = g_array_new (FALSE, TRUE, sizeof (WcObjectiveMetrics));
  self->notes = g_array_new (FALSE, TRUE, sizeof (WcNote));
  self->observations = g_array_new (FALSE, TRUE, sizeof (WcStaffObservation));
  self->ratings = g_array_new (FALSE, TRUE, sizeof (WcObjectiveRating));
  self->feedback = g_array_new (FALSE, TRUE, sizeof (WcTeamFeedback));
  self->strings = g_string_chunk_new (256);
}

static void
add_row (WcMetrics      *self,
         const WcInject *inject,
         const WcTeam   *team)
{
  g_autofree char *key = g_strconcat (inject->id, "\x1f", team->id, NULL);
  WcTeamInjectMetrics *row;

  if (g_hash_table_contains (self->row_index, key))
    return;
  row = g_new0 (WcTeamInjectMetrics, 1);
  row->inject = inject;
  row->team = team;
  row->actions = g_array_new (FALSE, TRUE, sizeof (WcActionResult));
  g_ptr_array_add (self->rows, row);
  g_hash_table_insert (self->row_index, g_steal_pointer (&key), row);
}

/* Rows in firing order: a row for each team an inject reaches, when it reaches it. */
static void
add_rows (WcMetrics  *self,
          JsonObject *data)
{
  const char *inject_id = wc_record_get_inject (data);
  const WcInject *inject = wc_engine_find_inject (self->engine, inject_id);
  JsonArray *teams = wc_record_get_teams (data);

  for (guint i = 0; inject && teams && i < json_array_get_length (teams); i++)
    {
      const WcTeam *team = wc_scenario_find_team (self->scenario,
                                                  json_array_get_string_element (teams, i));

      if (team)
        add_row (self, inject, team);
    }
}

static void
add_observation (WcMetrics             *self,
                 const WcJournalRecord *r)
{
  WcStaffObservation o = { r->seq, r->t_ms, r->time, WC_OBSERVATION_NOTE, NULL, NULL, NULL, NULL, NULL };

  if (!wc_observation_kind_from_string (wc_record_get_string (r->data, "kind"), &o.kind))
    o.kind = WC_OBSERVATION_NOTE;
  o.text = wc_record_get_text (r->data);
  o.team = wc_record_get_team (r->data);
  o.inject = wc_record_get_inject (r->data);
  o.objective = wc_record_get_string (r->data, "objective");
  o.by = wc_record_get_by (r->data);
  if (o.text)
    g_array_append_val (self->observations, o);
}

/* The latest rating of an objective and target replaces those before it, which stay as its
 * history. */
static void
add_rating (WcMetrics             *self,
            const WcJournalRecord *r)
{
  WcObjectiveRating rating = { r->seq, r->t_ms, r->time, NULL, NULL, 0, NULL, NULL, TRUE };

  rating.objective = wc_record_get_string (r->data, "objective");
  if (rating.objective == NULL ||
      !wc_rating_from_string (wc_record_get_string (r->data, "rating"), &rating.rating))
    return;
  rating.target = wc_record_get_string (r->data, "target");
  rating.rationale = wc_record_get_string (r->data, "rationale");
  rating.by = wc_record_get_by (r->data);
  for (guint i = 0; i < self->ratings->len; i++)
    {
      WcObjectiveRating *before = &g_array_index (self->ratings, WcObjectiveRating, i);

      if (g_strcmp0 (before->objective, rating.objective) == 0 &&
          g_strcmp0 (before->target, rating.target) == 0)
        before->latest = FALSE;
    }
  g_array_append_val (self->ratings, rating);
}

/* A second feedback from a team replaces the first, as the engine has it. */
static void
add_feedback (WcMetrics             *self,
              GHashTable            *latest,
              const WcJournalRecord *r)
{
  const WcTeam *team = wc_scenario_find_team (self->scenario, wc_record_get_team (r->data));

  if (team)
    g_hash_table_replace (latest, (gpointer) team, (gpointer) r);
}

static void
collect_feedback (WcMetrics  *self,
                  GHashTable *latest)
{
  for (guint t = 0; t < wc_scenario_get_n_teams (self->scenario); t++)
    {
      const WcTeam *team = wc_scenario_get_team (self->scenario, t);
      const WcJournalRecord *r = g_hash_table_lookup (latest, team);
      WcTeamFeedback f = { team, -1, NULL, NULL, NULL, 0, 0 };

      if (r == NULL)
        continue;
      f.t_ms = r->t_ms;
      f.strengths = wc_record_get_string (r->data, "strengths");
      f.improvements = wc_record_get_string (r->data, "improvements");
      f.text = wc_record_get_text (r->data);
      f.realism = CLAMP (wc_record_get_int (r->data, "realism", 0), 0, 5);
      f.usefulness = CLAMP (wc_record_get_int (r->data, "usefulness", 0), 0, 5);
      g_array_append_val (self->feedback, f);
    }
}

static void
read_records (WcMetrics *self)
{
  g_autoptr(GHashTable) feedback = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) traffic = g_ptr_array_new ();

  for (guint i = 0; i < wc_journal_get_n_records (self->journal); i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (self->journal, i);
      g_autoptr(GError) error = NULL;

      /* A journal that fails verification is still measured, as far as it can be applied: a
       * record the applier refuses changes nothing. */
      if (!wc_engine_replay_record (self->engine, r, &error))
        {
          g_debug ("%s: %s", wc_journal_get_path (self->journal), error->message);
          continue;
        }
      self->end_ms = MAX (self->end_ms, r->t_ms);
      if (wc_record_type_has_flag (wc_record_type_from_string (r->type), WC_RECORD_FLAG_TRAFFIC))
        g_ptr_array_add (traffic, (gpointer) r);
      switch (wc_record_type_from_string (r->type))
        {
        case WC_RECORD_INJECT_FIRED:
          add_rows (self, r->data);
          break;
        case WC_RECORD_NOTE:
          {
            const char *text = wc_record_get_text (r->data);
            WcNote note = { r->t_ms, r->time, text ? text : "", wc_record_get_author (r->data) };

            g_array_append_val (self->notes, note);
          }
          break;
        case WC_RECORD_OBSERVATION:
          add_observation (self, r);
          break;
        case WC_RECORD_OBJECTIVE_RATED:
          add_rating (self, r);
          break;
        case WC_RECORD_FEEDBACK:
          add_feedback (self, feedback, r);
          break;
        default:
          break;
        }
    }
  collect_feedback (self, feedback);
  self->loop = wc_loop_metrics_new (self->scenario, self->journal, self->engine, traffic);
  self->ended = wc_engine_get_state (self->engine) == WC_ENGINE_ENDED;
}

/* A row's times, as the applier keeps them. */
static void
read_state (WcMetrics           *self,
            WcTeamInjectMetrics *row)
{
  const WcTeamInjectState *ts = wc_engine_get_team_state (self->engine, row->inject->id,
                                                          row->team->id);

  row->fired_ms = ts->reached_ms;
  row->delivered_ms = ts->delivered_ms;
  row->acknowledged_ms = ts->acknowledged_ms;
  row->first_response_ms = ts->first_response_ms;
  row->n_responses = ts->n_responses;
  row->option = ts->option;
  row->webhook_failures = ts->webhook_failures;
  row->webhook_gave_up = ts->webhook_gave_up;
}

WcActionStatus
wc_action_status_from_verdict (WcVerdict verdict)
{
  switch (verdict)
    {
    case WC_VERDICT_MET: return WC_ACTION_MET;
    case WC_VERDICT_LATE: return WC_ACTION_LATE;
    case WC_VERDICT_PARTIAL: return WC_ACTION_PARTIAL;
    case WC_VERDICT_NOT_MET: return WC_ACTION_NOT_MET;
    case WC_VERDICT_NA: return WC_ACTION_NA;
    case WC_VERDICT_PENDING:
    default: return WC_ACTION_NOT_ASSESSED;
    }
}

/* Each expected action as the engine's applier judges it: a person's judgement, else its rule's
 * proposal, else not assessed; and over all that, a reviewer's judgement from the review file. */
static void
judge_actions (WcMetrics           *self,
               WcTeamInjectMetrics *row,
               const WcReview      *review)
{
  gint64 reached = row->delivered_ms >= 0 ? row->delivered_ms : row->fired_ms;

  for (guint i = 0; i < row->inject->expected_actions->len; i++)
    {
      const WcExpectedAction *action = g_ptr_array_index (row->inject->expected_actions, i);
      WcActionResult result = { action, WC_ACTION_NOT_ASSESSED, -1, -1, FALSE, NULL, NULL };
      const WcReviewJudgement *reviewed;
      WcJudgement j;

      if (action->deadline_ms >= 0)
        result.due_ms = reached + action->deadline_ms;
      wc_engine_get_judgement (self->engine, row->inject->id, row->team->id, action, &j);
      result.status = result.journal_status = wc_action_status_from_verdict (j.verdict);
      result.met_ms = j.t_ms;
      result.automatic = result.journal_automatic = j.automatic;
      result.by = j.by;
      result.note = j.note;
      reviewed = wc_review_find_judgement (review, row->inject->id, row->team->id, action->id);
      if (reviewed)
        {
          result.status = wc_action_status_from_verdict (reviewed->verdict);
          result.automatic = FALSE;
          result.reviewed = TRUE;
          result.by = g_string_chunk_insert_const (self->strings, reviewed->by);
          result.note = reviewed->note ? g_string_chunk_insert_const (self->strings, reviewed->note) : NULL;
          result.reviewed_at = g_string_chunk_insert_const (self->strings, reviewed->at);
        }
      g_array_append_val (row->actions, result);
    }
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static WcDurationStats
stats_of (GArray *values)
{
  WcDurationStats stats = { values->len, -1, -1 };

  if (values->len == 0)
    return stats;
  g_array_sort (values, compare_gint64);
  /* the lower median: a time that really happened */
  stats.median = g_array_index (values, gint64, (values->len - 1) / 2);
  stats.worst = g_array_index (values, gint64, values->len - 1);
  return stats;
}

static void
summarise (WcMetrics     *self,
           WcTeamMetrics *m,
           const WcTeam  *team)  /* NULL: every team */
{
  g_autoptr(GArray) ack = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) respond = g_array_new (FALSE, FALSE, sizeof (gint64));

  m->team = team;
  for (guint i = 0; i < self->rows->len; i++)
    {
      WcTeamInjectMetrics *row = g_ptr_array_index (self->rows, i);

      if (team && row->team != team)
        continue;
      m->received++;
      m->acknowledged += row->acknowledged_ms >= 0;
      m->responded += row->n_responses > 0;
      m->webhook_failures += row->webhook_failures;
      if (row->to_acknowledge_ms >= 0)
        g_array_append_val (ack, row->to_acknowledge_ms);
      if (row->to_respond_ms >= 0)
        g_array_append_val (respond, row->to_respond_ms);
      for (guint k = 0; k < row->actions->len; k++)
        m->actions[g_array_index (row->actions, WcActionResult, k).status]++;
    }
  m->to_acknowledge = stats_of (ack);
  m->to_respond = stats_of (respond);
}

/* Everything read from the replayed state, once the rows are known. */
static void
measure (WcMetrics      *self,
         const WcReview *review)
{
  WcScenario *scenario = self->scenario;
  guint n_teams = wc_scenario_get_n_teams (scenario);

  for (guint i = 0; i < self->rows->len; i++)
    {
      WcTeamInjectMetrics *row = g_ptr_array_index (self->rows, i);
      gint64 reached;

      read_state (self, row);
      reached = row->delivered_ms >= 0 ? row->delivered_ms : row->fired_ms;

      row->to_deliver_ms = row->delivered_ms >= 0 ? row->delivered_ms - row->fired_ms : -1;
      row->to_acknowledge_ms = row->acknowledged_ms >= 0 ? MAX (0, row->acknowledged_ms - reached) : -1;
      row->to_respond_ms = row->first_response_ms >= 0 ? MAX (0, row->first_response_ms - reached) : -1;
      judge_actions (self, row, review);
    }
  self->teams = g_new0 (WcTeamMetrics, n_teams + 1);
  for (guint t = 0; t < n_teams; t++)
    summarise (self, &self->teams[t], wc_scenario_get_team (scenario, t));
  summarise (self, &self->teams[n_teams], NULL);

  for (guint o = 0; o < wc_scenario_get_n_objectives (scenario); o++)
    {
      WcObjectiveMetrics om = { wc_scenario_get_objective (scenario, o), { 0 } };

      for (guint i = 0; i < self->rows->len; i++)
        {
          WcTeamInjectMetrics *row = g_ptr_array_index (self->rows, i);

          for (guint k = 0; k < row->actions->len; k++)
            {
              WcActionResult *a = &g_array_index (row->actions, WcActionResult, k);

              if (g_strcmp0 (a->action->objective, om.objective->id) != 0)
                continue;
              om.actions[a->status]++;
            }
        }
      g_array_append_val (self->objectives, om);
    }
}

WcMetrics *
wc_metrics_new (WcScenario *scenario,
                WcJournal  *journal)
{
  WcMetrics *self = g_object_new (WC_TYPE_METRICS, NULL);

  self->scenario = g_object_ref (scenario);
  self->journal = g_object_ref (journal);
  self->engine = wc_engine_new_replay (scenario);
  read_records (self);
  measure (self, NULL);
  return self;
}

/* The replay engine is only read once the journal is through it: the two share it. What was
 * collected from the records points into the journal, which both hold. */
WcMetrics *
wc_metrics_review (WcMetrics      *base,
                   const WcReview *review)
{
  WcMetrics *self = g_object_new (WC_TYPE_METRICS, NULL);

  self->scenario = g_object_ref (base->scenario);
  self->journal = g_object_ref (base->journal);
  self->engine = g_object_ref (base->engine);
  self->end_ms = base->end_ms;
  self->ended = base->ended;
  self->loop = g_object_ref (base->loop);
  for (guint i = 0; i < base->rows->len; i++)
    {
      const WcTeamInjectMetrics *row = g_ptr_array_index (base->rows, i);

      add_row (self, row->inject, row->team);
    }
  g_array_append_vals (self->notes, base->notes->data, base->notes->len);
  g_array_append_vals (self->observations, base->observations->data, base->observations->len);
  g_array_append_vals (self->ratings, base->ratings->data, base->ratings->len);
  g_array_append_vals (self->feedback, base->feedback->data, base->feedback->len);
  measure (self, review);
  return self;
}

WcScenario *wc_metrics_get_scenario (WcMetrics *self) { return self->scenario; }
WcJournal *wc_metrics_get_journal (WcMetrics *self) { return self->journal; }
WcLoopMetrics *wc_metrics_get_loop (WcMetrics *self) { return self->loop; }
gint64 wc_metrics_get_end_ms (WcMetrics *self) { return self->end_ms; }
gboolean wc_metrics_get_ended (WcMetrics *self) { return self->ended; }
guint wc_metrics_get_n_rows (WcMetrics *self) { return self->rows->len; }
guint wc_metrics_get_n_objectives (WcMetrics *self) { return self->objectives->len; }
guint wc_metrics_get_n_notes (WcMetrics *self) { return self->notes->len; }
guint wc_metrics_get_n_observations (WcMetrics *self) { return self->observations->len; }
guint wc_metrics_get_n_ratings (WcMetrics *self) { return self->ratings->len; }
guint wc_metrics_get_n_feedback (WcMetrics *self) { return self->feedback->len; }
GPtrArray *wc_metrics_get_staff (WcMetrics *self) { return wc_engine_get_staff (self->engine); }

const WcStaffObservation *
wc_metrics_get_observation (WcMetrics *self,
                            guint      i)
{
  g_return_val_if_fail (i < self->observations->len, NULL);
  return &g_array_index (self->observations, WcStaffObservation, i);
}

const WcObjectiveRating *
wc_metrics_get_rating (WcMetrics *self,
                       guint      i)
{
  g_return_val_if_fail (i < self->ratings->len, NULL);
  return &g_array_index (self->ratings, WcObjectiveRating, i);
}

const WcTeamFeedback *
wc_metrics_get_feedback (WcMetrics *self,
                         guint      i)
{
  g_return_val_if_fail (i < self->feedback->len, NULL);
  return &g_array_index (self->feedback, WcTeamFeedback, i);
}

const char *
wc_metrics_get_staff_name (WcMetrics  *self,
                           const char *staff_id)
{
  const WcStaff *staff;

  if (staff_id == NULL)
    return "controller";
  staff = wc_engine_find_staff (self->engine, staff_id);
  return staff ? staff->name : staff_id;
}

const WcTeamInjectMetrics *
wc_metrics_get_row (WcMetrics *self,
                    guint      i)
{
  g_return_val_if_fail (i < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, i);
}

const WcTeamMetrics *
wc_metrics_get_team (WcMetrics *self,
                     guint      i)
{
  g_return_val_if_fail (i <= wc_scenario_get_n_teams (self->scenario), NULL);
  return &self->teams[i];
}

const WcTeamMetrics *
wc_metrics_get_overall (WcMetrics *self)
{
  return &self->teams[wc_scenario_get_n_teams (self->scenario)];
}

const WcObjectiveMetrics *
wc_metrics_get_objective (WcMetrics *self,
                          guint      i)
{
  g_return_val_if_fail (i < self->objectives->len, NULL);
  return &g_array_index (self->objectives, WcObjectiveMetrics, i);
}

const WcNote *
wc_metrics_get_note (WcMetrics *self,
                     guint      i)
{
  g_return_val_if_fail (i < self->notes->len, NULL);
  return &g_array_index (self->notes, WcNote, i);
}

const char *
wc_action_status_to_string (WcActionStatus status)
{
  static const char *const names[] = { "met", "late", "partial", "not-met", "na",
                                       "not-assessed" };

  g_return_val_if_fail (status < WC_ACTION_N_STATUSES, NULL);
  return names[status];
}

const char *
wc_action_status_to_label (WcActionStatus status)
{
  switch (status)
    {
    case WC_ACTION_MET: return _("met");
    case WC_ACTION_LATE: return _("late");
    case WC_ACTION_PARTIAL: return _("partial");
    case WC_ACTION_NOT_MET: return _("not met");
    case WC_ACTION_NA: return _("not applicable");
    case WC_ACTION_NOT_ASSESSED:
    case WC_ACTION_N_STATUSES:
    default: return _("not assessed");
    }
}

char *
wc_metrics_format_ms (gint64 ms)
{
  if (ms < 0)
    return g_strdup ("—");
  return wc_time_format (ms, FALSE);
}
