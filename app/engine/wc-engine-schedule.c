/* wc-engine-schedule.c: the injects' slots and the queue of what is due next, by time. */
#define G_LOG_DOMAIN "wc-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-engine-private.h"

InjectSlot *
wc_engine_add_slot (WcEngine       *self,
                    const WcInject *inject)
{
  InjectSlot *slot = g_new0 (InjectSlot, 1);

  slot->inject = inject;
  slot->index = self->slots->len;
  slot->status = WC_INJECT_PENDING;
  slot->fired_ms = -1;
  slot->rescheduled_ms = -1;
  slot->teams = g_ptr_array_new ();
  slot->reached = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, wc_engine_team_state_free);
  slot->dependents = g_array_new (FALSE, FALSE, sizeof (guint));
  g_ptr_array_add (self->slots, slot);
  g_hash_table_insert (self->slot_index, inject->id, GUINT_TO_POINTER (slot->index + 1));
  return slot;
}

InjectSlot *
wc_engine_slot (WcEngine   *self,
                const char *inject_id)
{
  guint i = inject_id ? GPOINTER_TO_UINT (g_hash_table_lookup (self->slot_index, inject_id)) : 0;

  return i ? g_ptr_array_index (self->slots, i - 1) : NULL;
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const QueueItem *x = a, *y = b;

  if (x->due_ms != y->due_ms)
    return x->due_ms < y->due_ms ? -1 : 1;
  if (x->inject != y->inject)
    return x->inject < y->inject ? -1 : 1;
  return g_strcmp0 (x->team, y->team);
}

void
wc_engine_enqueue (WcEngine   *self,
                   InjectSlot *slot,
                   gint64      due_ms,
                   const char *team)
{
  QueueItem *item = g_new0 (QueueItem, 1);

  item->due_ms = due_ms;
  item->inject = slot->index;
  item->generation = slot->generation;
  item->team = g_strdup (team);
  g_sequence_insert_sorted (self->queue, item, compare_items, NULL);
}

gboolean
wc_engine_team_reached (InjectSlot *slot,
              const char *team)
{
  return g_hash_table_contains (slot->reached, team);
}

/* Puts what @slot is waiting for into the queue, from the state as it stands. */
void
wc_engine_schedule_slot (WcEngine   *self,
                         InjectSlot *slot)
{
  const WcInject *inject = slot->inject;
  InjectSlot *trigger;

  /* A contingency that reached some teams still waits for the others. */
  if (slot->status == WC_INJECT_HELD || slot->status == WC_INJECT_SKIPPED ||
      (slot->status == WC_INJECT_FIRED && inject->trigger != WC_TRIGGER_NO_RESPONSE))
    return;
  if (slot->rescheduled_ms >= 0)
    {
      wc_engine_enqueue (self, slot, slot->rescheduled_ms, NULL);
      return;
    }
  switch (inject->trigger)
    {
    case WC_TRIGGER_AT:
      wc_engine_enqueue (self, slot, inject->at_ms, NULL);
      break;
    case WC_TRIGGER_AFTER:
      trigger = wc_engine_slot (self, inject->trigger_inject);
      if (trigger && trigger->fired_ms >= 0)
        wc_engine_enqueue (self, slot, trigger->fired_ms + inject->trigger_delay_ms, NULL);
      break;
    case WC_TRIGGER_NO_RESPONSE:
      trigger = wc_engine_slot (self, inject->trigger_inject);
      if (trigger && trigger->fired_ms >= 0)
        for (guint i = 0; i < inject->to->len; i++)
          {
            const char *team = g_ptr_array_index (inject->to, i);

            if (wc_engine_team_reached (trigger, team) && !wc_engine_team_reached (slot, team))
              wc_engine_enqueue (self, slot, trigger->fired_ms + inject->trigger_delay_ms, team);
          }
      break;
    case WC_TRIGGER_MANUAL:
    default:
      break;
    }
}

/* After @slot fired to @teams: the injects that wait on it can now be placed in time. */
void
wc_engine_schedule_after_fire (WcEngine   *self,
                               InjectSlot *slot,
                               GPtrArray  *teams)
{
  for (guint i = 0; i < slot->dependents->len; i++)
    {
      InjectSlot *dep = g_ptr_array_index (self->slots, g_array_index (slot->dependents, guint, i));

      if (dep->status == WC_INJECT_HELD || dep->status == WC_INJECT_SKIPPED ||
          (dep->status == WC_INJECT_FIRED && dep->inject->trigger != WC_TRIGGER_NO_RESPONSE) ||
          dep->rescheduled_ms >= 0)
        continue;
      if (dep->inject->trigger == WC_TRIGGER_AFTER && slot->fired_ms >= 0 &&
          teams->len == slot->teams->len)  /* its first firing */
        wc_engine_enqueue (self, dep, slot->fired_ms + dep->inject->trigger_delay_ms, NULL);
      else if (dep->inject->trigger == WC_TRIGGER_NO_RESPONSE)
        for (guint k = 0; k < teams->len; k++)
          {
            const char *team = g_ptr_array_index (teams, k);

            if (g_ptr_array_find_with_equal_func (dep->inject->to, team, g_str_equal, NULL) &&
                !wc_engine_team_reached (dep, team))
              wc_engine_enqueue (self, dep, slot->fired_ms + dep->inject->trigger_delay_ms, team);
          }
    }
}

static gboolean
item_is_live (WcEngine  *self,
              QueueItem *item)
{
  InjectSlot *slot = g_ptr_array_index (self->slots, item->inject);

  if (item->generation != slot->generation || slot->status == WC_INJECT_HELD ||
      slot->status == WC_INJECT_SKIPPED)
    return FALSE;
  if (item->team == NULL)
    return slot->status == WC_INJECT_PENDING;
  return !wc_engine_team_reached (slot, item->team);
}

/* The first live item, dropping stale ones on the way. */
QueueItem *
wc_engine_queue_head (WcEngine *self)
{
  while (!g_sequence_is_empty (self->queue))
    {
      GSequenceIter *first = g_sequence_get_begin_iter (self->queue);
      QueueItem *item = g_sequence_get (first);

      if (item_is_live (self, item))
        return item;
      g_sequence_remove (first);
    }
  return NULL;
}

