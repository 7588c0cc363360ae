/* wc-engine-queries.c: what the engine's state says about injects and teams (read-only). */
#define G_LOG_DOMAIN "wc-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-engine-private.h"

guint
wc_engine_get_n_injects (WcEngine *self)
{
  return self->slots->len;
}

const WcInject *
wc_engine_get_inject (WcEngine *self,
                      guint     i)
{
  g_return_val_if_fail (i < self->slots->len, NULL);
  return ((InjectSlot *) g_ptr_array_index (self->slots, i))->inject;
}

const WcInject *
wc_engine_find_inject (WcEngine   *self,
                       const char *inject_id)
{
  InjectSlot *slot = wc_engine_slot (self, inject_id);

  return slot ? slot->inject : NULL;
}

WcInjectStatus
wc_engine_get_inject_status (WcEngine   *self,
                             const char *inject_id)
{
  InjectSlot *slot = wc_engine_slot (self, inject_id);

  g_return_val_if_fail (slot != NULL, WC_INJECT_PENDING);
  return slot->status;
}

gint64
wc_engine_get_inject_fired_at (WcEngine   *self,
                               const char *inject_id)
{
  InjectSlot *slot = wc_engine_slot (self, inject_id);

  return slot ? slot->fired_ms : -1;
}

gint64
wc_engine_get_inject_due (WcEngine   *self,
                          const char *inject_id)
{
  InjectSlot *slot = wc_engine_slot (self, inject_id);
  InjectSlot *trigger;

  if (slot == NULL || slot->status == WC_INJECT_SKIPPED)
    return -1;
  if (slot->rescheduled_ms >= 0)
    return slot->rescheduled_ms;
  switch (slot->inject->trigger)
    {
    case WC_TRIGGER_AT:
      return slot->inject->at_ms;
    case WC_TRIGGER_AFTER:
    case WC_TRIGGER_NO_RESPONSE:
      trigger = wc_engine_slot (self, slot->inject->trigger_inject);
      return trigger && trigger->fired_ms >= 0
             ? trigger->fired_ms + slot->inject->trigger_delay_ms
             : slot->inject->at_ms;
    case WC_TRIGGER_MANUAL:
    default:
      return -1;
    }
}

GPtrArray *
wc_engine_get_inject_teams (WcEngine   *self,
                            const char *inject_id)
{
  InjectSlot *slot = wc_engine_slot (self, inject_id);

  return slot ? slot->teams : NULL;
}

const WcTeamInjectState *
wc_engine_get_team_state (WcEngine   *self,
                          const char *inject_id,
                          const char *team_id)
{
  return wc_engine_team_state_lookup (self, inject_id, team_id);
}

void
wc_engine_get_inject_counts (WcEngine       *self,
                             const char     *inject_id,
                             WcInjectCounts *counts)
{
  InjectSlot *slot = wc_engine_slot (self, inject_id);

  *counts = slot ? slot->counts : (WcInjectCounts) { 0 };
}

void
wc_engine_get_team_counts (WcEngine     *self,
                           const char   *team_id,
                           WcTeamCounts *counts)
{
  WcTeamCounts *found = team_id ? g_hash_table_lookup (self->team_counts, team_id) : NULL;

  *counts = found ? *found : (WcTeamCounts) { 0 };
}

GPtrArray *
wc_engine_get_team_injects (WcEngine   *self,
                            const char *team_id)
{
  return g_hash_table_lookup (self->team_injects, team_id);
}


gboolean
wc_engine_get_team_presence (WcEngine   *self,
                             const char *team_id,
                             gint64     *since_ms)
{
  TeamPresence *p;

  g_return_val_if_fail (WC_IS_ENGINE (self), FALSE);

  p = team_id ? g_hash_table_lookup (self->presence, team_id) : NULL;
  if (since_ms)
    *since_ms = p ? p->since_ms : -1;
  return p && p->connected;
}
