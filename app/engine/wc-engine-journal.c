/* wc-engine-journal.c: the engine's side of its journal: records appended and applied, made
 * durable (at once or in groups) before anyone is told, undone when they could not be, the
 * journal's health, and checkpoints of the clock. */
#define G_LOG_DOMAIN "wc-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-engine-private.h"

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
      /* a record that fails while the clock is held is undone back to where it was held */
      wc_engine_save_durable_clock (self);
    }
  if (g_strcmp0 (self->journal_error, error->message) != 0)
    {
      g_free (self->journal_error);
      self->journal_error = g_strdup (error->message);
      g_object_notify_by_pspec (G_OBJECT (self), wc_engine_properties[WC_ENGINE_PROP_JOURNAL_ERROR]);
    }
  if (!self->replaying)
    wc_engine_retry_in_a_second (self);
}

static void
journal_recovered (WcEngine *self)
{
  g_clear_pointer (&self->journal_error, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), wc_engine_properties[WC_ENGINE_PROP_JOURNAL_ERROR]);
  /* Another record went through before the engine's own try (a team's answer, a webhook's
   * failure): the clock stays held, and the pause where it was held is recorded at once. Let go
   * of, the clock would have run on from where it was held as if the outage had been played. */
  if (self->clock_held && self->state == WC_ENGINE_RUNNING && !self->replaying)
    wc_engine_retry_soon (self);
}

/* A record that goes through ends the outage: a pause where the clock was held, for the
 * controller to lift, or a checkpoint when the clock was not running. */
void
wc_engine_retry_journal (WcEngine *self)
{
  g_autoptr(GError) error = NULL;
  JsonObject *data;

  /* a try on its way to the disk is told by its group's end */
  if (self->durable_batch != NULL || self->pending->len > 0)
    return;
  data = json_object_new ();
  json_object_set_string_member (data, "reason", "journal-error");
  if (!wc_engine_record_now (self, self->clock_held ? WC_RECORD_CLOCK_PAUSED : WC_RECORD_CHECKPOINT,
                             data, &error))
    g_signal_emit (self, wc_engine_signals[WC_ENGINE_SIGNAL_JOURNAL_ERROR], 0, error);
}

/* Undo ---------------------------------------------------------------------------------------- */

void
wc_engine_save_durable_clock (WcEngine *self)
{
  self->durable_clock.state = self->state;
  self->durable_clock.speed = self->speed;
  self->durable_clock.t_base = self->t_base;
  self->durable_clock.mono_base = self->mono_base;
}

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
  g_hash_table_remove_all (self->team_injects);
  g_hash_table_remove_all (self->team_counts);
  g_hash_table_remove_all (self->feedback);
  g_hash_table_remove_all (self->presence);
  wc_engine_clear_traffic (self);
  wc_engine_clear_keys (self);
  g_ptr_array_set_size (self->staff, 0);
  g_sequence_remove_range (g_sequence_get_begin_iter (self->queue),
                           g_sequence_get_end_iter (self->queue));
  wc_engine_build_slots (self);
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
  struct { WcEngineState state; double speed; gint64 t_base, mono_base; } before = {
    self->state, self->speed, self->t_base, self->mono_base
  };
  PendingRecord *p;
  guint64 seq;

  /* a replay (a review's, a relay's) only looks: its journal, if any, is another's */
  if (self->replaying)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE,
                   _("A replay of the exercise records nothing"));
      return FALSE;
    }
  /* who did it, when a member of the staff acts through the API */
  if (self->actor != NULL && !json_object_has_member (data, "by") &&
      !wc_record_type_has_flag (type, WC_RECORD_FLAG_SEALED))
    json_object_set_string_member (data, "by", self->actor);
  /* the relay request it answers: a command run again after a restart is known by it */
  if (self->request != NULL && !json_object_has_member (data, "request") &&
      !wc_record_type_has_flag (type, WC_RECORD_FLAG_SEALED))
    json_object_set_string_member (data, "request", self->request);
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
  self->applying_seq = seq;
  if (!wc_engine_apply_record (self, type, data, t_ms, error))
    {
      /* A record that cannot be applied is not left in the journal either; the clock stays as
       * it was before it (records before it may be on their way to the disk still). */
      undo_records (self, (guint) (seq - 1), error);
      self->state = before.state;
      self->speed = before.speed;
      self->t_base = before.t_base;
      self->mono_base = before.mono_base;
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

void
wc_engine_set_request (WcEngine   *self,
                       const char *request_id)
{
  g_free (self->request);
  self->request = g_strdup (request_id);
}

static void schedule_commit (WcEngine *self);

/* A group of records made durable together on the journal's writer thread, with the replies
 * and announcements that wait for it, and the clock as it stood once they were applied. */
typedef struct {
  WcEngine      *engine;   /* NULL once wc_engine_commit() has finished it */
  GPtrArray     *pending;  /* PendingRecord */
  GPtrArray     *waiters;  /* DurableWaiter */
  guint          n_announced;  /* records, then waiters, announced so far */
  WcEngineState  state;
  double         speed;
  gint64         t_base;
  gint64         mono_base;
} Batch;

/* What was appended so far and who waits for it, taken from the engine as one group. */
static Batch *
batch_take (WcEngine *self)
{
  Batch *b = g_new0 (Batch, 1);

  b->pending = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func (wc_engine_pending_record_free);
  b->waiters = g_steal_pointer (&self->durable_waiters);
  self->durable_waiters = g_ptr_array_new_with_free_func (wc_engine_durable_waiter_free);
  b->state = self->state;
  b->speed = self->speed;
  b->t_base = self->t_base;
  b->mono_base = self->mono_base;
  return b;
}

static void
batch_free (Batch *b)
{
  g_ptr_array_unref (b->pending);
  g_ptr_array_unref (b->waiters);
  g_free (b);
}

static void
tell_waiters (WcEngine     *self,
              GPtrArray    *waiters,
              const GError *error)
{
  for (guint i = 0; i < waiters->len; i++)
    {
      DurableWaiter *w = g_ptr_array_index (waiters, i);

      if (w != NULL)
        w->func (self, error, w->user_data);
    }
}

/* A few milliseconds of announcements a main-loop turn, and a few hundred: a group of five
 * thousand answers told at once (each an HTTP reply that libsoup then writes and closes in the
 * next turn, and a row in the controller's window) would stall the server and the window for the
 * whole of it. */
#define ANNOUNCE_SLICE_US  4000
#define ANNOUNCE_SLICE_MAX 256

static void
announce_record (WcEngine      *self,
                 PendingRecord *p)
{
  g_signal_emit (self, wc_engine_signals[WC_ENGINE_SIGNAL_RECORD], 0, p->seq, p->type, p->data, p->t_ms);
  if (p->type == WC_RECORD_INJECT_FIRED)
    {
      JsonArray *teams = json_object_get_array_member (p->data, "teams");
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;

      for (guint k = 0; k < json_array_get_length (teams); k++)
        g_strv_builder_add (builder, json_array_get_string_element (teams, k));
      strv = g_strv_builder_end (builder);
      g_signal_emit (self, wc_engine_signals[WC_ENGINE_SIGNAL_INJECT_FIRED], 0,
                     json_object_get_string_member (p->data, "inject"), strv);
    }
}

/* The group's records are durable: the clock as it then stood is what an undo goes back to, and
 * everyone is told, in the journal's order: its records, then those who waited for them. Until
 * @deadline (monotonic µs; 0: all of it): FALSE if some is left for the next turn. */
static gboolean
announce_batch_until (WcEngine *self,
                      Batch    *b,
                      gint64    deadline,
                      guint    *told)
{
  guint n = b->pending->len + b->waiters->len;

  if (b->n_announced == 0)
    {
      if (b->pending->len > 0 && self->journal_error != NULL)
        journal_recovered (self);
      /* the pause where the clock was held is durable: held no more */
      if (b->pending->len > 0 && self->clock_held && b->state != WC_ENGINE_RUNNING)
        self->clock_held = FALSE;
      self->durable_clock.state = b->state;
      self->durable_clock.speed = b->speed;
      self->durable_clock.t_base = b->t_base;
      self->durable_clock.mono_base = b->mono_base;
    }
  /* Handlers may act on the engine again: their records make a group of their own. */
  g_object_ref (self);
  while (b->n_announced < n)
    {
      guint i = b->n_announced++;

      if (i < b->pending->len)
        announce_record (self, g_ptr_array_index (b->pending, i));
      else
        {
          DurableWaiter *w = g_steal_pointer (&b->waiters->pdata[i - b->pending->len]);

          /* and let go of at once, in this slice: a reply's message freed with the whole group
           * (5,000 of them) took a third of a second in one turn */
          w->func (self, NULL, w->user_data);
          wc_engine_durable_waiter_free (w);
        }
      if (deadline != 0 && ++*told >= ANNOUNCE_SLICE_MAX)
        break;
      if (deadline != 0 && i % 8 == 7 && g_get_monotonic_time () > deadline)
        break;
    }
  g_object_unref (self);
  return b->n_announced == n;
}

static void
announce_batch (WcEngine *self,
                Batch    *b)
{
  guint told = 0;

  announce_batch_until (self, b, 0, &told);
}

/* Announces every durable group still waiting for its turn, now. */
static void
announce_queued (WcEngine *self)
{
  Batch *b;

  /* announce_step(), if it is to come, finds nothing left */
  while ((b = g_queue_pop_head (&self->announcing)) != NULL)
    {
      announce_batch (self, b);
      batch_free (b);
    }
}

static gboolean
announce_step (gpointer user_data)
{
  WcEngine *self = user_data;
  gint64 deadline = g_get_monotonic_time () + ANNOUNCE_SLICE_US;
  guint told = 0;
  Batch *b;

  /* taken off the queue while it is told: a handler that commits (and so tells what is queued)
   * must not find it there half told */
  while ((b = g_queue_pop_head (&self->announcing)) != NULL)
    {
      if (!announce_batch_until (self, b, deadline, &told))
        {
          g_queue_push_head (&self->announcing, b);
          return G_SOURCE_CONTINUE;
        }
      batch_free (b);
      if (g_get_monotonic_time () > deadline || told >= ANNOUNCE_SLICE_MAX)
        break;
    }
  if (g_queue_is_empty (&self->announcing))
    {
      self->announce_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* @b is durable: announced after the groups before it, from the main loop. */
static void
queue_announcement (WcEngine *self,
                    Batch    *b)
{
  g_queue_push_tail (&self->announcing, b);
  if (self->announce_id == 0)
    self->announce_id = g_idle_add_full (G_PRIORITY_DEFAULT, announce_step, self, NULL);
}

/* Nothing that was not made durable took effect: the records of @b and every one appended since
 * are undone, and whoever waits for them gets an error for actions that indeed did not happen. */
static GError *
fail_batch (WcEngine     *self,
            Batch        *b,
            const GError *error)
{
  Batch *later = batch_take (self);
  GError *sync_error = g_error_new (WC_ENGINE_ERROR, WC_ENGINE_ERROR_JOURNAL,
                                    _("The exercise journal could not be saved to disk: %s"),
                                    error->message);

  undo_records (self, wc_journal_get_n_synced (self->journal), &sync_error);
  journal_failed (self, sync_error);
  if (b != NULL)
    tell_waiters (self, b->waiters, sync_error);
  tell_waiters (self, later->waiters, sync_error);
  batch_free (later);
  return sync_error;
}

/* Makes every record appended so far durable before returning, the group under way on the
 * journal's thread included, then tells everyone in order. */
gboolean
wc_engine_commit (WcEngine  *self,
                  GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  Batch *flying = NULL;
  Batch *b;

  g_clear_handle_id (&self->commit_idle_id, g_source_remove);
  /* what is durable already is told first, in order */
  announce_queued (self);
  if (self->durable_batch != NULL)
    {
      Batch *in_flight = g_steal_pointer (&self->durable_batch);

      /* its callback, when it comes, finds it finished */
      flying = g_memdup2 (in_flight, sizeof *in_flight);
      in_flight->engine = NULL;
      in_flight->pending = g_ptr_array_new ();
      in_flight->waiters = g_ptr_array_new ();
    }
  b = batch_take (self);
  if ((b->pending->len > 0 || flying != NULL) && !wc_journal_sync (self->journal, &local_error))
    {
      GError *sync_error;

      /* the group under way may have been made durable before the failure */
      if (flying != NULL && (flying->pending->len == 0 ||
                             ((PendingRecord *) g_ptr_array_index (flying->pending,
                                                                   flying->pending->len - 1))->seq
                             <= wc_journal_get_n_synced (self->journal)))
        {
          announce_batch (self, flying);
          g_clear_pointer (&flying, batch_free);
        }
      sync_error = fail_batch (self, flying, local_error);
      tell_waiters (self, b->waiters, sync_error);
      g_clear_pointer (&flying, batch_free);
      batch_free (b);
      g_propagate_error (error, sync_error);
      return FALSE;
    }
  if (flying != NULL)
    {
      announce_batch (self, flying);
      batch_free (flying);
    }
  announce_batch (self, b);
  batch_free (b);
  return TRUE;
}

static void
batch_synced_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Batch *b = user_data;
  g_autoptr(WcEngine) self = b->engine ? g_object_ref (b->engine) : NULL;
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    {
      batch_free (b);
      return;
    }
  self->durable_batch = NULL;
  if (wc_journal_sync_finish (self->journal, result, &error))
    queue_announcement (self, b);
  else
    {
      g_autoptr(GError) sync_error = NULL;

      /* the groups before it are durable: told before anyone hears of the failure */
      announce_queued (self);
      sync_error = fail_batch (self, b, error);
      g_signal_emit (self, wc_engine_signals[WC_ENGINE_SIGNAL_JOURNAL_ERROR], 0, sync_error);
      batch_free (b);
    }
  /* what was appended while the disk worked: the next group */
  if (self->pending->len > 0 || self->durable_waiters->len > 0)
    schedule_commit (self);
}

/* The group commit: what this main-loop turn appended is handed to the journal's writer thread
 * as one group; the main loop goes on while the disk works, and the group's replies and
 * announcements wait for it. One group at a time: what comes meanwhile makes the next. */
static gboolean
commit_idle_cb (gpointer user_data)
{
  WcEngine *self = user_data;
  Batch *b;

  self->commit_idle_id = 0;
  if (self->durable_batch != NULL)
    return G_SOURCE_REMOVE;
  b = batch_take (self);
  if (b->pending->len == 0)
    {
      /* nothing more to make durable: those waiting are told after what is being told */
      queue_announcement (self, b);
      return G_SOURCE_REMOVE;
    }
  b->engine = self;
  self->durable_batch = b;
  wc_journal_sync_async (self->journal, NULL, batch_synced_cb, b);
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

gboolean
wc_engine_commit_soon (WcEngine  *self,
                       GError   **error)
{
  if (!self->group_commit)
    return wc_engine_commit (self, error);
  if (self->pending->len > 0 || self->durable_waiters->len > 0)
    schedule_commit (self);
  return TRUE;
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
    g_signal_emit (self, wc_engine_signals[WC_ENGINE_SIGNAL_JOURNAL_ERROR], 0, error);
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
    g_object_notify_by_pspec (G_OBJECT (self), wc_engine_properties[WC_ENGINE_PROP_STATE]);
  if (changes->speed_changed)
    g_object_notify_by_pspec (G_OBJECT (self), wc_engine_properties[WC_ENGINE_PROP_SPEED]);
  /* Anything now due (a resume after a long pause) fires at once, in order. */
  wc_engine_process_soon (self);
}

static gboolean
finish_action (WcEngine      *self,
               WcEngineState  old_state,
               double         old_speed,
               gboolean       group,
               GError       **error)
{
  Changes *changes = g_new0 (Changes, 1);

  changes->state_changed = old_state != self->state;
  changes->speed_changed = old_speed != self->speed;
  if (group)
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

/* Makes an action's records durable, then tells everyone: at once, or with group commit once
 * the journal's thread has synced them. */
gboolean
wc_engine_finish_action (WcEngine      *self,
                         WcEngineState  old_state,
                         double         old_speed,
                         GError       **error)
{
  return finish_action (self, old_state, old_speed, self->group_commit, error);
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
  /* The last word of a process or of an exercise is durable, and told, before the call returns,
   * group commit or not: what follows is often the process's exit, and nothing may be taken
   * after it. */
  return finish_action (self, old_state, old_speed,
                        self->group_commit && type != WC_RECORD_PROCESS_STOPPED &&
                        type != WC_RECORD_EXERCISE_ENDED, error);
}

