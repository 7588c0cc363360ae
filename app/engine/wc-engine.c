/* wc-engine.c: the exercise clock, the scheduler, and the controller's and teams' actions.
 *
 * Every change is a journal record: an action builds a record, wc_engine_append() writes it and
 * applies it (wc-engine-apply.c), and wc_engine_commit() syncs the journal before anyone is told.
 * Replaying the same records rebuilds the same state after a crash.
 */
#define G_LOG_DOMAIN "wc-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "wc-engine-private.h"

G_DEFINE_QUARK (wc-engine-error-quark, wc_engine_error)

G_DEFINE_FINAL_TYPE (WcEngine, wc_engine, G_TYPE_OBJECT)

GParamSpec *wc_engine_properties[WC_ENGINE_N_PROPS];
guint wc_engine_signals[WC_ENGINE_N_SIGNALS];

void
wc_engine_pending_record_free (gpointer data)
{
  PendingRecord *p = data;

  json_object_unref (p->data);
  g_free (p);
}

void
wc_engine_durable_waiter_free (gpointer data)
{
  DurableWaiter *w = data;

  /* NULL: already told and freed (announce_batch_until()) */
  if (w == NULL)
    return;
  if (w->destroy)
    w->destroy (w->user_data);
  g_free (w);
}

static void
slot_free (gpointer data)
{
  InjectSlot *slot = data;

  g_hash_table_unref (slot->reached);
  g_ptr_array_unref (slot->teams);
  g_array_unref (slot->dependents);
  g_free (slot);
}

static void
queue_item_free (gpointer data)
{
  QueueItem *item = data;

  g_free (item->team);
  g_free (item);
}

void
wc_engine_team_state_free (gpointer data)
{
  WcTeamInjectState *s = data;

  g_ptr_array_unref (s->responses);
  g_ptr_array_unref (s->actions_met);
  g_array_unref (s->actions_met_ms);
  g_ptr_array_unref (s->judgements);
  g_free (s);
}

static gint64
default_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static void
wc_engine_dispose (GObject *object)
{
  WcEngine *self = WC_ENGINE (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->checkpoint_id, g_source_remove);
  /* What was appended is made durable and told; telling it may set the clock's timers again
   * (a resume announced) and what they did is told in turn, then nothing is left to call back. */
  for (guint i = 0; i < 2 && (self->commit_idle_id || self->durable_batch || self->announce_id ||
                              (self->pending && self->pending->len > 0)); i++)
    {
      g_clear_handle_id (&self->commit_idle_id, g_source_remove);
      wc_engine_commit (self, NULL);
      g_clear_handle_id (&self->timer_id, g_source_remove);
      g_clear_handle_id (&self->checkpoint_id, g_source_remove);
    }
  g_clear_handle_id (&self->commit_idle_id, g_source_remove);
  g_clear_handle_id (&self->announce_id, g_source_remove);
  G_OBJECT_CLASS (wc_engine_parent_class)->dispose (object);
}

static void
wc_engine_finalize (GObject *object)
{
  WcEngine *self = WC_ENGINE (object);

  g_clear_object (&self->scenario);
  g_clear_object (&self->journal);
  g_free (self->recovery_note);
  g_free (self->journal_error);
  g_ptr_array_unref (self->slots);
  g_hash_table_unref (self->slot_index);
  g_ptr_array_unref (self->adhoc);
  g_ptr_array_unref (self->retired);
  g_ptr_array_unref (self->staff);
  g_hash_table_unref (self->feedback);
  g_hash_table_unref (self->presence);
  wc_engine_free_traffic (self);
  wc_engine_free_keys (self);
  g_free (self->actor);
  g_free (self->request);
  g_hash_table_unref (self->team_injects);
  g_hash_table_unref (self->team_counts);
  g_hash_table_unref (self->team_nodes);
  g_sequence_free (self->queue);
  g_ptr_array_unref (self->pending);
  g_ptr_array_unref (self->durable_waiters);

  G_OBJECT_CLASS (wc_engine_parent_class)->finalize (object);
}

static void
wc_engine_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  WcEngine *self = WC_ENGINE (object);

  switch (prop_id)
    {
    case WC_ENGINE_PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case WC_ENGINE_PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case WC_ENGINE_PROP_JOURNAL_ERROR:
      g_value_set_string (value, self->journal_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_engine_class_init (WcEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_engine_dispose;
  object_class->finalize = wc_engine_finalize;
  object_class->get_property = wc_engine_get_property;

  wc_engine_properties[WC_ENGINE_PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, WC_ENGINE_READY, WC_ENGINE_ENDED, WC_ENGINE_READY,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  wc_engine_properties[WC_ENGINE_PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, WC_ENGINE_MIN_SPEED, WC_ENGINE_MAX_SPEED, 1.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  wc_engine_properties[WC_ENGINE_PROP_JOURNAL_ERROR] =
    g_param_spec_string ("journal-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, WC_ENGINE_N_PROPS, wc_engine_properties);

  wc_engine_signals[WC_ENGINE_SIGNAL_RECORD] =
    g_signal_new ("record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_UINT64, G_TYPE_INT, JSON_TYPE_OBJECT, G_TYPE_INT64);
  wc_engine_signals[WC_ENGINE_SIGNAL_INJECT_FIRED] =
    g_signal_new ("inject-fired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRV);
  wc_engine_signals[WC_ENGINE_SIGNAL_JOURNAL_ERROR] =
    g_signal_new ("journal-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
wc_engine_init (WcEngine *self)
{
  self->state = WC_ENGINE_READY;
  self->speed = 1.0;
  self->durable_clock.state = WC_ENGINE_READY;
  self->durable_clock.speed = 1.0;
  self->clock_func = default_clock;
  self->slots = g_ptr_array_new_with_free_func (slot_free);
  self->slot_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->adhoc = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_inject_free);
  self->retired = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_inject_free);
  self->staff = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_staff_free);
  self->feedback = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) json_object_unref);
  self->presence = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  wc_engine_init_traffic (self);
  wc_engine_init_keys (self);
  self->team_injects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_ptr_array_unref);
  self->team_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->team_nodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) json_node_unref);
  self->queue = g_sequence_new (queue_item_free);
  self->pending = g_ptr_array_new_with_free_func (wc_engine_pending_record_free);
  self->durable_waiters = g_ptr_array_new_with_free_func (wc_engine_durable_waiter_free);
}

/* The clock ------------------------------------------------------------------------------------ */

gint64
wc_engine_now_ms (WcEngine *self)
{
  gint64 elapsed_us;

  if (self->state != WC_ENGINE_RUNNING || self->replaying || self->clock_held)
    return self->t_base;
  elapsed_us = self->clock_func (self->clock_data) - self->mono_base;
  return self->t_base + (gint64) (elapsed_us * self->speed / 1000.0);
}

static gboolean
timer_cb (gpointer user_data)
{
  WcEngine *self = user_data;

  self->timer_id = 0;
  /* with group commit (a server), what the clock fires is synced on the journal's thread like
   * the teams' requests, and announced once durable: the main loop does not wait for the disk */
  wc_engine_process_soon (self);
  return G_SOURCE_REMOVE;
}

void
wc_engine_retry_in_a_second (WcEngine *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->timer_id = g_timeout_add_seconds (1, timer_cb, self);
}

void
wc_engine_retry_soon (WcEngine *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->timer_id = g_timeout_add_full (G_PRIORITY_HIGH, 0, timer_cb, self, NULL);
}

void
wc_engine_reschedule_timer (WcEngine *self)
{
  QueueItem *head;
  gint64 due_us, now_us, delay_ms;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->state != WC_ENGINE_RUNNING || self->replaying || self->clock_func != default_clock)
    return;
  if ((head = wc_engine_queue_head (self)) == NULL)
    return;
  /* Monotonic time at which the clock reaches the item's T. */
  due_us = self->mono_base + (gint64) ((head->due_ms - self->t_base) * 1000.0 / self->speed);
  now_us = g_get_monotonic_time ();
  /* The main loop polls in whole milliseconds and rounds down; waking a hair early is fine,
   * process() then sleeps again for the rest, so the lateness stays under a millisecond. */
  delay_ms = due_us > now_us ? (due_us - now_us + 999) / 1000 : 0;
  self->timer_id = g_timeout_add_full (G_PRIORITY_HIGH, (guint) MIN (delay_ms, G_MAXUINT),
                                       timer_cb, self, NULL);
}

JsonObject *
wc_engine_fired_data (WcEngine   *self,
                      InjectSlot *slot,
                      GPtrArray  *teams,
                      const char *cause,
                      gint64      due_ms)
{
  JsonObject *data = json_object_new ();
  JsonArray *array = json_array_sized_new (teams->len);

  json_object_set_string_member (data, "inject", slot->inject->id);
  for (guint i = 0; i < teams->len; i++)
    {
      const char *team = g_ptr_array_index (teams, i);
      JsonNode *node = g_hash_table_lookup (self->team_nodes, team);

      if (node == NULL)
        {
          node = json_node_init_string (json_node_alloc (), team);
          json_node_seal (node);
          g_hash_table_insert (self->team_nodes, g_strdup (team), node);
        }
      json_array_add_element (array, json_node_ref (node));
    }
  json_object_set_array_member (data, "teams", array);
  json_object_set_string_member (data, "cause", cause);
  if (due_ms >= 0)
    json_object_set_int_member (data, "due", due_ms);
  return data;
}

/* Fires everything due at or before @t_ms, in order. Firing can make more things due (an
 * "after" with no delay), so it loops until the head of the queue is in the future. */
gboolean
wc_engine_fire_due (WcEngine    *self,
          gint64       t_ms,
          const char  *cause_override,
          GError     **error)
{
  QueueItem *head;

  while ((head = wc_engine_queue_head (self)) != NULL && head->due_ms <= t_ms)
    {
      InjectSlot *slot = g_ptr_array_index (self->slots, head->inject);
      g_autoptr(GPtrArray) teams = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(JsonObject) data = NULL;
      gint64 due = head->due_ms;
      gboolean head_team = head->team != NULL;
      const char *cause;

      if (!head_team)
        {
          /* the scenario's ids, which outlive the record: 5,000 copies for an inject to all */
          g_ptr_array_set_free_func (teams, NULL);
          for (guint i = 0; i < slot->inject->to->len; i++)
            g_ptr_array_add (teams, g_ptr_array_index (slot->inject->to, i));
          g_sequence_remove (g_sequence_get_begin_iter (self->queue));
          cause = slot->inject->trigger == WC_TRIGGER_AFTER ? "trigger" : "schedule";
        }
      else
        {
          InjectSlot *watched = wc_engine_slot (self, slot->inject->trigger_inject);

          /* A contingency: gather every team due now, and only those that never answered. */
          while ((head = wc_engine_queue_head (self)) != NULL && head->due_ms == due &&
                 head->inject == slot->index && head->team != NULL)
            {
              WcTeamInjectState *ts = wc_engine_team_state_lookup (self, watched->inject->id,
                                                                   head->team);

              if (ts == NULL || ts->n_responses == 0)
                g_ptr_array_add (teams, g_strdup (head->team));
              g_sequence_remove (g_sequence_get_begin_iter (self->queue));
            }
          cause = "contingency";
        }
      if (teams->len == 0)
        continue;
      data = wc_engine_fired_data (self, slot, teams, cause_override ? cause_override : cause, due);
      if (!wc_engine_append (self, WC_RECORD_INJECT_FIRED, data, error))
        {
          /* Not written (the disk is full): it is still due, and fires once it can be. */
          for (guint i = 0; i < (head_team ? teams->len : 1); i++)
            wc_engine_enqueue (self, slot, due, head_team ? g_ptr_array_index (teams, i) : NULL);
          return FALSE;
        }
    }
  return TRUE;
}

/* @soon: with group commit, what fires joins the next group rather than wait for the disk */
static void
process (WcEngine *self,
         gboolean  soon)
{
  g_autoptr(GError) error = NULL;

  /* an outage, or its end before the pause where the clock was held is recorded */
  if (self->journal_error != NULL || (self->clock_held && self->state == WC_ENGINE_RUNNING))
    {
      wc_engine_retry_journal (self);
      if (self->journal_error != NULL)
        return;
      if (self->clock_held && self->state == WC_ENGINE_RUNNING)
        {
          /* another group on its way to the disk: tried again after it */
          wc_engine_retry_in_a_second (self);
          return;
        }
    }
  if (self->state == WC_ENGINE_RUNNING &&
      (!wc_engine_fire_due (self, wc_engine_now_ms (self), NULL, &error) ||
       !(soon ? wc_engine_commit_soon (self, &error) : wc_engine_commit (self, &error))))
    {
      /* The disk is full or gone: nothing was announced that is not on it. Tell the
       * controller; the exercise goes on once it can be recorded. */
      g_signal_emit (self, wc_engine_signals[WC_ENGINE_SIGNAL_JOURNAL_ERROR], 0, error);
      return;
    }
  wc_engine_reschedule_timer (self);
}

void
wc_engine_process (WcEngine *self)
{
  process (self, FALSE);
}

void
wc_engine_process_soon (WcEngine *self)
{
  process (self, TRUE);
}

/* Construction and replay ----------------------------------------------------------------------- */

void
wc_engine_build_slots (WcEngine *self)
{
  guint n = wc_scenario_get_n_injects (self->scenario);

  for (guint i = 0; i < n; i++)
    wc_engine_add_slot (self, wc_scenario_get_inject (self->scenario, i));
  for (guint i = 0; i < n; i++)
    {
      const WcInject *inject = wc_scenario_get_inject (self->scenario, i);
      InjectSlot *trigger;

      if ((inject->trigger == WC_TRIGGER_AFTER || inject->trigger == WC_TRIGGER_NO_RESPONSE) &&
          (trigger = wc_engine_slot (self, inject->trigger_inject)) != NULL)
        g_array_append_val (trigger->dependents, i);
    }
  for (guint i = 0; i < n; i++)
    wc_engine_schedule_slot (self, g_ptr_array_index (self->slots, i));
}

/* Ad-hoc injects join the slots as the records that create them are applied. */
void
wc_engine_add_adhoc_slot (WcEngine *self,
                          WcInject *inject)
{
  g_ptr_array_add (self->adhoc, inject);
  wc_engine_add_slot (self, inject);
}

static gboolean
check_scenario (WcScenario  *scenario,
                const char  *journal_path,
                const char  *sha,
                GError     **error)
{
  if (g_strcmp0 (sha, wc_scenario_get_sha256 (scenario)) == 0)
    return TRUE;
  g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_MISMATCH,
               _("%s was written for another scenario (or another version of %s): its "
                 "scenario's SHA-256 is %s"), journal_path, wc_scenario_get_path (scenario),
               sha ? sha : "?");
  return FALSE;
}

static WcEngine *
engine_new (WcScenario *scenario)
{
  WcEngine *self = g_object_new (WC_TYPE_ENGINE, NULL);

  self->scenario = g_object_ref (scenario);
  wc_engine_build_slots (self);
  wc_engine_init_staff (self);
  return self;
}

WcEngine *
wc_engine_new (WcScenario  *scenario,
               const char  *journal_path,
               GError     **error)
{
  g_autoptr(WcJournal) journal = wc_journal_create (journal_path, wc_scenario_get_id (scenario),
                                                    wc_scenario_get_path (scenario),
                                                    wc_scenario_get_sha256 (scenario), NULL, error);

  return journal ? wc_engine_new_for_journal (scenario, journal, error) : NULL;
}

/* The journal is made by the caller (in a worker thread, so that its sync does not stall the
 * window); the engine and its timers are made here, on the thread of the main context. */
WcEngine *
wc_engine_new_for_journal (WcScenario  *scenario,
                           WcJournal   *journal,
                           GError     **error)
{
  g_autoptr(WcEngine) self = engine_new (scenario);
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(JsonArray) teams = json_array_new ();

  self->journal = g_object_ref (journal);
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    json_array_add_string_element (teams, wc_scenario_get_team (scenario, i)->id);
  json_object_set_string_member (data, "exercise", wc_scenario_get_id (scenario));
  json_object_set_array_member (data, "teams", g_steal_pointer (&teams));
  json_object_set_int_member (data, "injects", wc_scenario_get_n_injects (scenario));
  if (!wc_engine_record_now (self, WC_RECORD_EXERCISE_CREATED, g_steal_pointer (&data), error))
    return NULL;
  return g_steal_pointer (&self);
}

WcEngine *
wc_engine_resume (WcScenario  *scenario,
                  const char  *journal_path,
                  GError     **error)
{
  WcJournalRecovery recovery = { 0 };
  g_autoptr(JsonObject) header = wc_journal_read_header (journal_path, error);
  g_autoptr(WcJournal) journal = NULL;
  WcEngine *self;

  /* Refuse a journal of another scenario before opening it: opening repairs a torn tail, and a
   * journal that is refused must stay as it was. */
  if (header == NULL ||
      !check_scenario (scenario, journal_path,
                       json_object_get_string_member_with_default (header, "scenario_sha256",
                                                                   NULL), error))
    return NULL;
  journal = wc_journal_open (journal_path, &recovery, error);
  self = journal ? wc_engine_resume_journal (scenario, journal, &recovery, error) : NULL;
  wc_journal_recovery_clear (&recovery);
  return self;
}

/* Replays @journal (opened by the caller) into a new engine. Safe in a worker thread, which is
 * where the window calls it for a long journal: a resumed clock never stands running, so nothing
 * here adds a timer or an idle to a main context; those come when the clock starts. */
WcEngine *
wc_engine_resume_journal (WcScenario               *scenario,
                          WcJournal                *journal,
                          const WcJournalRecovery  *recovery,
                          GError                  **error)
{
  g_autoptr(WcEngine) self = engine_new (scenario);
  g_autoptr(JsonObject) data = json_object_new ();
  const char *journal_path = wc_journal_get_path (journal);
  gint64 last_t = 0;
  WcEngineState before;

  self->journal = g_object_ref (journal);
  if (!check_scenario (scenario, journal_path, wc_journal_get_scenario_sha256 (journal), error))
    return NULL;
  if (recovery && recovery->backup_path)
    self->recovery_note =
      g_strdup_printf (_("The journal's last record was cut short (the machine stopped while "
                         "writing it): %zu bytes at line %u were set aside; the "
                         "whole file as it was is kept in %s."),
                       recovery->bytes_dropped, recovery->line, recovery->backup_path);

  self->replaying = TRUE;
  for (guint i = 0; i < wc_journal_get_n_records (self->journal); i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (self->journal, i);

      if (!wc_engine_apply_journal_record (self, r, error))
        {
          g_prefix_error (error, "%s: ", journal_path);
          return NULL;
        }
      last_t = MAX (last_t, r->t_ms);
    }
  self->replaying = FALSE;

  /* A crash leaves the clock "running" in the journal: it stands paused at the last time
   * anything was recorded; the controller decides when to go on. */
  before = self->state;
  if (self->state == WC_ENGINE_RUNNING)
    self->state = WC_ENGINE_PAUSED;
  self->t_base = last_t;
  self->mono_base = self->clock_func (self->clock_data);

  /* An exercise that ended is looked at, not carried on: its journal stays as it ended. */
  if (self->state == WC_ENGINE_ENDED)
    {
      wc_engine_save_durable_clock (self);
      return g_steal_pointer (&self);
    }
  json_object_set_string_member (data, "state_before", wc_engine_state_to_string (before));
  json_object_set_boolean_member (data, "recovered", self->recovery_note != NULL);
  if (!wc_engine_record_now (self, WC_RECORD_JOURNAL_REOPENED, g_steal_pointer (&data), error))
    return NULL;
  return g_steal_pointer (&self);
}

/* Accessors ----------------------------------------------------------------------------------- */

WcScenario *wc_engine_get_scenario (WcEngine *self) { return self->scenario; }
WcJournal *wc_engine_get_journal (WcEngine *self) { return self->journal; }
WcEngineState wc_engine_get_state (WcEngine *self) { return self->state; }
double wc_engine_get_speed (WcEngine *self) { return self->speed; }
gint64 wc_engine_get_time (WcEngine *self) { return wc_engine_now_ms (self); }

WcEngine *
wc_engine_new_replay (WcScenario *scenario)
{
  WcEngine *self = engine_new (scenario);

  /* for good: a replay neither runs a clock nor writes a journal */
  self->replaying = TRUE;
  return self;
}

gboolean
wc_engine_replay_record (WcEngine               *self,
                         const WcJournalRecord  *record,
                         GError                **error)
{
  g_return_val_if_fail (self->replaying, FALSE);
  if (!wc_engine_apply_journal_record (self, record, error))
    return FALSE;
  self->t_base = MAX (self->t_base, record->t_ms);
  g_signal_emit (self, wc_engine_signals[WC_ENGINE_SIGNAL_RECORD], 0, record->seq,
                 wc_record_type_from_string (record->type), record->data, record->t_ms);
  return TRUE;
}

void
wc_engine_replay_set_time (WcEngine *self,
                           gint64    t_ms)
{
  g_return_if_fail (self->replaying);
  self->t_base = t_ms;
}

/* A relay's replay holds the journal it mirrors (read, never written: actions fail all the same),
 * so that event streams resumed after Last-Event-ID read it as on the controller. */
void
wc_engine_replay_set_journal (WcEngine  *self,
                              WcJournal *journal)
{
  g_return_if_fail (self->replaying && self->state == WC_ENGINE_READY);
  g_set_object (&self->journal, journal);
}
const char *wc_engine_get_recovery_note (WcEngine *self) { return self->recovery_note; }
const char *wc_engine_get_journal_error (WcEngine *self) { return self->journal_error; }

const char *
wc_engine_state_to_string (WcEngineState state)
{
  static const char *const names[] = { "ready", "running", "paused", "ended" };

  g_return_val_if_fail (state <= WC_ENGINE_ENDED, NULL);
  return names[state];
}

void
wc_engine_set_clock_func (WcEngine    *self,
                          WcClockFunc  func,
                          gpointer     user_data)
{
  gint64 t = wc_engine_now_ms (self);

  self->clock_func = func ? func : default_clock;
  self->clock_data = user_data;
  self->t_base = t;
  self->mono_base = self->clock_func (self->clock_data);
  wc_engine_save_durable_clock (self);
  wc_engine_reschedule_timer (self);
}
