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

enum {
  PROP_0,
  PROP_STATE,
  PROP_SPEED,
  PROP_JOURNAL_ERROR,
  N_PROPS
};

enum {
  RECORD,
  INJECT_FIRED,
  JOURNAL_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct {
  guint64       seq;
  WcRecordType  type;
  JsonObject   *data;
  gint64      t_ms;
} PendingRecord;

static void
pending_record_free (gpointer data)
{
  PendingRecord *p = data;

  json_object_unref (p->data);
  g_free (p);
}

typedef struct {
  WcDurableFunc  func;
  gpointer       user_data;
  GDestroyNotify destroy;
} DurableWaiter;

static void
durable_waiter_free (gpointer data)
{
  DurableWaiter *w = data;

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

static void
team_state_free (gpointer data)
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
  if (self->commit_idle_id)
    {
      g_clear_handle_id (&self->commit_idle_id, g_source_remove);
      wc_engine_commit (self, NULL);
    }
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
  g_free (self->actor);
  g_hash_table_unref (self->team_states);
  g_hash_table_unref (self->team_injects);
  g_hash_table_unref (self->team_counts);
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
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_JOURNAL_ERROR:
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

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, WC_ENGINE_READY, WC_ENGINE_ENDED, WC_ENGINE_READY,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, WC_ENGINE_MIN_SPEED, WC_ENGINE_MAX_SPEED, 1.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_JOURNAL_ERROR] =
    g_param_spec_string ("journal-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RECORD] =
    g_signal_new ("record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_UINT64, G_TYPE_INT, JSON_TYPE_OBJECT, G_TYPE_INT64);
  signals[INJECT_FIRED] =
    g_signal_new ("inject-fired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRV);
  signals[JOURNAL_ERROR] =
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
  self->team_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, team_state_free);
  self->team_injects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_ptr_array_unref);
  self->team_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->queue = g_sequence_new (queue_item_free);
  self->pending = g_ptr_array_new_with_free_func (pending_record_free);
  self->durable_waiters = g_ptr_array_new_with_free_func (durable_waiter_free);
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
  wc_engine_process (self);
  return G_SOURCE_REMOVE;
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
wc_engine_fired_data (InjectSlot *slot,
            GPtrArray  *teams,
            const char *cause,
            gint64      due_ms)
{
  JsonObject *data = json_object_new ();
  JsonArray *array = json_array_new ();

  json_object_set_string_member (data, "inject", slot->inject->id);
  for (guint i = 0; i < teams->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (teams, i));
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
          for (guint i = 0; i < slot->inject->to->len; i++)
            g_ptr_array_add (teams, g_strdup (g_ptr_array_index (slot->inject->to, i)));
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
      data = wc_engine_fired_data (slot, teams, cause_override ? cause_override : cause, due);
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

/* The journal could not take a record: say so, hold the clock where it stands (nothing that
 * happens now could be recorded), and try again every second. */
static void
journal_failed (WcEngine     *self,
                const GError *error)
{
  if (self->journal_error == NULL && self->state == WC_ENGINE_RUNNING && !self->replaying)
    {
      self->t_base = wc_engine_now_ms (self);
      self->mono_base = self->clock_func (self->clock_data);
      self->clock_held = TRUE;
    }
  if (g_strcmp0 (self->journal_error, error->message) != 0)
    {
      g_free (self->journal_error);
      self->journal_error = g_strdup (error->message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOURNAL_ERROR]);
    }
  if (!self->replaying)
    {
      g_clear_handle_id (&self->timer_id, g_source_remove);
      self->timer_id = g_timeout_add_seconds (1, timer_cb, self);
    }
}

static void
journal_recovered (WcEngine *self)
{
  self->clock_held = FALSE;
  g_clear_pointer (&self->journal_error, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOURNAL_ERROR]);
}

/* A record that goes through ends the outage: a pause where the clock was held, for the
 * controller to lift, or a checkpoint when the clock was not running. */
static void
retry_journal (WcEngine *self)
{
  g_autoptr(GError) error = NULL;
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "reason", "journal-error");
  if (!wc_engine_record_now (self, self->clock_held ? WC_RECORD_CLOCK_PAUSED : WC_RECORD_CHECKPOINT,
                             data, &error))
    g_signal_emit (self, signals[JOURNAL_ERROR], 0, error);
}

void
wc_engine_process (WcEngine *self)
{
  g_autoptr(GError) error = NULL;

  if (self->journal_error != NULL)
    {
      retry_journal (self);
      if (self->journal_error != NULL)
        return;
    }
  if (self->state == WC_ENGINE_RUNNING &&
      (!wc_engine_fire_due (self, wc_engine_now_ms (self), NULL, &error) ||
       !wc_engine_commit (self, &error)))
    {
      /* The disk is full or gone: nothing was announced that is not on it. Tell the
       * controller; the exercise goes on once it can be recorded. */
      g_signal_emit (self, signals[JOURNAL_ERROR], 0, error);
      return;
    }
  wc_engine_reschedule_timer (self);
}

/* Undo ---------------------------------------------------------------------------------------- */

static void
save_durable_clock (WcEngine *self)
{
  self->durable_clock.state = self->state;
  self->durable_clock.speed = self->speed;
  self->durable_clock.t_base = self->t_base;
  self->durable_clock.mono_base = self->mono_base;
}

static void build_slots (WcEngine *self);

/* The state rebuilt from the journal's records alone, as a resume does, with the clock as it was
 * when they were made durable. */
static void
rebuild_state (WcEngine *self)
{
  g_autoptr(GPtrArray) adhoc = g_steal_pointer (&self->adhoc);

  /* an undone ad-hoc inject may still be pointed at by whoever looked it up: kept till the end */
  self->adhoc = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_inject_free);
  for (guint i = 0; i < adhoc->len; i++)
    g_ptr_array_add (self->retired, g_steal_pointer (&adhoc->pdata[i]));
  g_ptr_array_set_free_func (adhoc, NULL);
  g_ptr_array_set_size (self->slots, 0);
  g_hash_table_remove_all (self->slot_index);
  g_hash_table_remove_all (self->team_states);
  g_hash_table_remove_all (self->team_injects);
  g_hash_table_remove_all (self->team_counts);
  g_hash_table_remove_all (self->feedback);
  g_ptr_array_set_size (self->staff, 0);
  g_sequence_remove_range (g_sequence_get_begin_iter (self->queue),
                           g_sequence_get_end_iter (self->queue));
  build_slots (self);
  wc_engine_init_staff (self);
  self->replaying = TRUE;
  for (guint i = 0; i < wc_journal_get_n_records (self->journal); i++)
    /* these were applied once already: they apply again */
    wc_engine_apply_journal_record (self, wc_journal_get_record (self->journal, i), NULL);
  self->replaying = FALSE;
  self->state = self->durable_clock.state;
  self->speed = self->durable_clock.speed;
  self->t_base = self->durable_clock.t_base;
  self->mono_base = self->durable_clock.mono_base;
}

/* What was written but could not be made durable is undone, in the journal and in the state, so
 * that a failed action changed nothing ("on a journal error nothing changes"). @keep: the
 * records to keep (at least every durable one). */
static void
undo_records (WcEngine *self,
              guint     keep,
              GError  **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!wc_journal_rollback_to (self->journal, keep, &local_error))
    {
      /* The file could not be cut back: what is on it is unknown, and nothing more is written
       * to it (the journal refuses) until the exercise is resumed from it. */
      g_prefix_error (&local_error, _("The exercise journal could not be cut back to its last "
                                      "durable record: "));
      if (error && *error)
        g_prefix_error (error, "%s; ", local_error->message);
    }
  g_ptr_array_set_size (self->pending, 0);
  rebuild_state (self);
}

/* Records ------------------------------------------------------------------------------------- */

gboolean
wc_engine_append (WcEngine      *self,
                  WcRecordType   type,
                  JsonObject  *data,
                  GError     **error)
{
  gint64 t_ms = wc_engine_now_ms (self);
  g_autoptr(GError) local_error = NULL;
  PendingRecord *p;
  guint64 seq;

  /* who did it, when a member of the staff acts through the API */
  if (self->actor != NULL && !json_object_has_member (data, "by") &&
      !wc_record_type_has_flag (type, WC_RECORD_FLAG_SEALED))
    json_object_set_string_member (data, "by", self->actor);
  if (wc_record_type_has_flag (type, WC_RECORD_FLAG_SEALED))
    seq = wc_journal_append_sealed (self->journal, t_ms, wc_record_type_to_string (type), data,
                                    &local_error);
  else
    seq = wc_journal_append (self->journal, t_ms, wc_record_type_to_string (type), data,
                             &local_error);
  if (seq == 0)
    {
      g_autoptr(GError) append_error =
        g_error_new (WC_ENGINE_ERROR, WC_ENGINE_ERROR_JOURNAL,
                     _("The exercise journal could not be written: %s"), local_error->message);

      journal_failed (self, append_error);
      g_propagate_error (error, g_steal_pointer (&append_error));
      return FALSE;
    }
  if (!wc_engine_apply_record (self, type, data, t_ms, error))
    {
      /* A record that cannot be applied is not left in the journal either. */
      undo_records (self, (guint) (seq - 1), error);
      return FALSE;
    }
  p = g_new0 (PendingRecord, 1);
  p->seq = seq;
  p->type = type;
  p->data = json_object_ref (data);
  p->t_ms = t_ms;
  g_ptr_array_add (self->pending, p);
  return TRUE;
}

gboolean
wc_engine_commit (WcEngine  *self,
                  GError   **error)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) local_error = NULL;

  g_autoptr(GPtrArray) waiters = NULL;

  g_clear_handle_id (&self->commit_idle_id, g_source_remove);
  waiters = g_steal_pointer (&self->durable_waiters);
  self->durable_waiters = g_ptr_array_new_with_free_func (durable_waiter_free);
  if (self->pending->len > 0 && !wc_journal_sync (self->journal, &local_error))
    {
      g_autoptr(GError) sync_error =
        g_error_new (WC_ENGINE_ERROR, WC_ENGINE_ERROR_JOURNAL,
                     _("The exercise journal could not be saved to disk: %s"),
                     local_error->message);

      /* Nothing that was not made durable took effect: the waiting replies get an error for
       * actions that indeed did not happen. */
      undo_records (self, wc_journal_get_n_synced (self->journal), &sync_error);
      journal_failed (self, sync_error);
      for (guint i = 0; i < waiters->len; i++)
        {
          DurableWaiter *w = g_ptr_array_index (waiters, i);

          w->func (self, sync_error, w->user_data);
        }
      g_propagate_error (error, g_steal_pointer (&sync_error));
      return FALSE;
    }
  if (self->pending->len > 0 && self->journal_error != NULL)
    journal_recovered (self);
  save_durable_clock (self);
  if (self->pending->len == 0)
    {
      for (guint i = 0; i < waiters->len; i++)
        {
          DurableWaiter *w = g_ptr_array_index (waiters, i);

          w->func (self, NULL, w->user_data);
        }
      return TRUE;
    }
  /* Handlers may act on the engine again: announce a batch of our own. */
  pending = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func (pending_record_free);
  g_object_ref (self);
  for (guint i = 0; i < pending->len; i++)
    {
      PendingRecord *p = g_ptr_array_index (pending, i);

      g_signal_emit (self, signals[RECORD], 0, p->seq, p->type, p->data, p->t_ms);
      if (p->type == WC_RECORD_INJECT_FIRED)
        {
          JsonArray *teams = json_object_get_array_member (p->data, "teams");
          g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
          g_auto(GStrv) strv = NULL;

          for (guint k = 0; k < json_array_get_length (teams); k++)
            g_strv_builder_add (b, json_array_get_string_element (teams, k));
          strv = g_strv_builder_end (b);
          g_signal_emit (self, signals[INJECT_FIRED], 0,
                         json_object_get_string_member (p->data, "inject"), strv);
        }
    }
  for (guint i = 0; i < waiters->len; i++)
    {
      DurableWaiter *w = g_ptr_array_index (waiters, i);

      w->func (self, NULL, w->user_data);
    }
  g_object_unref (self);
  return TRUE;
}

static gboolean
commit_idle_cb (gpointer user_data)
{
  WcEngine *self = user_data;
  g_autoptr(GError) error = NULL;

  self->commit_idle_id = 0;
  if (!wc_engine_commit (self, &error))
    g_signal_emit (self, signals[JOURNAL_ERROR], 0, error);
  return G_SOURCE_REMOVE;
}

static void
schedule_commit (WcEngine *self)
{
  /* At idle priority: every request that arrived in this main-loop turn appends first, then
   * one sync covers them all. */
  if (self->commit_idle_id == 0)
    self->commit_idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, commit_idle_cb, self, NULL);
}

void
wc_engine_set_group_commit (WcEngine *self,
                            gboolean  group_commit)
{
  self->group_commit = group_commit;
}

void
wc_engine_when_durable (WcEngine       *self,
                        WcDurableFunc   func,
                        gpointer        user_data,
                        GDestroyNotify  destroy)
{
  DurableWaiter *w = g_new0 (DurableWaiter, 1);

  w->func = func;
  w->user_data = user_data;
  w->destroy = destroy;
  g_ptr_array_add (self->durable_waiters, w);
  schedule_commit (self);
}

gboolean
wc_engine_log (WcEngine      *self,
               WcRecordType   type,
               JsonObject  *data,
               GError     **error)
{
  return wc_engine_record_now (self, type, json_object_ref (data), error);
}

/* Makes an action's records durable, then tells everyone. */
typedef struct {
  gboolean state_changed;
  gboolean speed_changed;
} Changes;

gboolean
wc_engine_checkpoint (WcEngine  *self,
                      GError   **error)
{
  g_return_val_if_fail (self->journal != NULL, FALSE);
  return wc_engine_record_now (self, WC_RECORD_CHECKPOINT, NULL, error);
}

static gboolean
checkpoint_cb (gpointer user_data)
{
  WcEngine *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wc_engine_checkpoint (self, &error))
    g_signal_emit (self, signals[JOURNAL_ERROR], 0, error);
  return G_SOURCE_CONTINUE;
}

/* Checkpoints while the clock runs: every 10 s of wall time, at least every minute of exercise
 * time at speed, never more than once a second. */
static void
update_checkpoints (WcEngine *self)
{
  guint interval_ms = (guint) CLAMP (60000.0 / self->speed, 1000.0, 10000.0);

  g_clear_handle_id (&self->checkpoint_id, g_source_remove);
  if (self->state == WC_ENGINE_RUNNING && self->journal != NULL && !self->replaying)
    self->checkpoint_id = g_timeout_add_full (G_PRIORITY_LOW, interval_ms, checkpoint_cb, self,
                                              NULL);
}

static void
announce_changes (WcEngine     *self,
                  const GError *error,
                  gpointer      user_data)
{
  Changes *changes = user_data;

  if (error != NULL)
    return;
  if (changes->state_changed || changes->speed_changed)
    update_checkpoints (self);
  if (changes->state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (changes->speed_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
  /* Anything now due (a resume after a long pause) fires at once, in order. */
  wc_engine_process (self);
}

/* Makes an action's records durable, then tells everyone: at once, or with group commit at the
 * end of this main-loop turn. */
gboolean
wc_engine_finish_action (WcEngine      *self,
                         WcEngineState  old_state,
                         double         old_speed,
                         GError       **error)
{
  Changes *changes = g_new0 (Changes, 1);

  changes->state_changed = old_state != self->state;
  changes->speed_changed = old_speed != self->speed;
  if (self->group_commit)
    {
      wc_engine_when_durable (self, announce_changes, changes, g_free);
      return TRUE;
    }
  if (!wc_engine_commit (self, error))
    {
      g_free (changes);
      return FALSE;
    }
  announce_changes (self, NULL, changes);
  g_free (changes);
  return TRUE;
}

/* Writes one record and makes it durable before returning: a controller's action. */
gboolean
wc_engine_record_now (WcEngine      *self,
                      WcRecordType   type,
            JsonObject  *data,
            GError     **error)
{
  g_autoptr(JsonObject) owned = data ? data : json_object_new ();
  WcEngineState old_state = self->state;
  double old_speed = self->speed;

  if (!wc_engine_append (self, type, owned, error))
    return FALSE;
  return wc_engine_finish_action (self, old_state, old_speed, error);
}

/* Construction and replay ----------------------------------------------------------------------- */

static void
build_slots (WcEngine *self)
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
  build_slots (self);
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
      save_durable_clock (self);
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
  g_return_val_if_fail (self->replaying && self->journal == NULL, FALSE);
  if (!wc_engine_apply_journal_record (self, record, error))
    return FALSE;
  self->t_base = MAX (self->t_base, record->t_ms);
  g_signal_emit (self, signals[RECORD], 0, record->seq,
                 wc_record_type_from_string (record->type), record->data, record->t_ms);
  return TRUE;
}

void
wc_engine_replay_set_time (WcEngine *self,
                           gint64    t_ms)
{
  g_return_if_fail (self->replaying && self->journal == NULL);
  self->t_base = t_ms;
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
  save_durable_clock (self);
  wc_engine_reschedule_timer (self);
}
