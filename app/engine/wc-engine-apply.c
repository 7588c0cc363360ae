/* wc-engine-apply.c: what each journal record does to the exercise's state.
 *
 * The same code runs live, right after a record is written, and when a journal is replayed after a
 * crash; the journal alone is enough to rebuild the exercise.
 */
#define G_LOG_DOMAIN "wc-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-engine-private.h"

static char *
team_state_key (const char *inject_id,
                const char *team_id)
{
  return g_strconcat (inject_id, "\x1f", team_id, NULL);
}

WcTeamInjectState *
wc_engine_team_state_lookup (WcEngine   *self,
                             const char *inject_id,
                             const char *team_id)
{
  g_autofree char *key = NULL;

  if (inject_id == NULL || team_id == NULL)
    return NULL;
  key = team_state_key (inject_id, team_id);
  return g_hash_table_lookup (self->team_states, key);
}

static gboolean
bad_record (GError    **error,
            const char *type,
            const char *what)
{
  g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_MISMATCH,
               _("a “%s” record names %s that this scenario does not have"), type, what);
  return FALSE;
}

static InjectSlot *
slot_of (WcEngine    *self,
         JsonObject  *data,
         const char  *type,
         GError     **error)
{
  const char *id = json_object_get_string_member_with_default (data, "inject", NULL);
  InjectSlot *slot = wc_engine_slot (self, id);

  if (slot == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("inject “%s”"), id ? id : "?");

      bad_record (error, type, what);
    }
  return slot;
}

static WcTeamInjectState *
team_state_of (WcEngine    *self,
               JsonObject  *data,
               const char  *type,
               GError     **error)
{
  const char *inject = json_object_get_string_member_with_default (data, "inject", NULL);
  const char *team = json_object_get_string_member_with_default (data, "team", NULL);
  WcTeamInjectState *ts = wc_engine_team_state_lookup (self, inject, team);

  if (ts == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("inject “%s” for team “%s”, which it never "
                                                 "reached,"), inject ? inject : "?",
                                               team ? team : "?");

      bad_record (error, type, what);
    }
  return ts;
}

static void
response_free (gpointer data)
{
  WcResponse *r = data;

  g_free ((char *) r->text);
  g_free ((char *) r->option);
  g_free (r);
}

static void
set_clock (WcEngine      *self,
           WcEngineState  state,
           gint64         t_ms)
{
  self->state = state;
  self->t_base = t_ms;
  if (!self->replaying)
    self->mono_base = self->clock_func (self->clock_data);
}

static gboolean
apply_fired (WcEngine    *self,
             JsonObject  *data,
             gint64       t_ms,
             GError     **error)
{
  InjectSlot *slot = slot_of (self, data, "inject-fired", error);
  JsonNode *teams_node = json_object_get_member (data, "teams");
  g_autoptr(GPtrArray) reached = g_ptr_array_new_with_free_func (g_free);
  JsonArray *teams;

  if (slot == NULL)
    return FALSE;
  if (teams_node == NULL || !JSON_NODE_HOLDS_ARRAY (teams_node))
    return bad_record (error, "inject-fired", _("no teams"));
  teams = json_node_get_array (teams_node);
  for (guint i = 0; i < json_array_get_length (teams); i++)
    {
      const char *team = json_array_get_string_element (teams, i);
      g_autofree char *key = NULL;
      WcTeamInjectState *ts;
      GPtrArray *list;

      if (team == NULL || wc_scenario_find_team (self->scenario, team) == NULL)
        return bad_record (error, "inject-fired", _("a team"));
      if (wc_engine_team_reached (slot, team))
        continue;
      key = team_state_key (slot->inject->id, team);
      ts = g_new0 (WcTeamInjectState, 1);
      ts->delivered_ms = ts->acknowledged_ms = ts->first_response_ms = -1;
      ts->actions_met = g_ptr_array_new_with_free_func (g_free);
      ts->responses = g_ptr_array_new_with_free_func (response_free);
      g_hash_table_insert (self->team_states, g_steal_pointer (&key), ts);
      if ((list = g_hash_table_lookup (self->team_injects, team)) == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (self->team_injects, g_strdup (team), list);
        }
      g_ptr_array_add (list, slot->inject->id);
      g_ptr_array_add (slot->teams, g_strdup (team));
      g_hash_table_add (slot->reached, g_ptr_array_index (slot->teams, slot->teams->len - 1));
      g_ptr_array_add (reached, g_strdup (team));
    }
  slot->status = WC_INJECT_FIRED;
  if (slot->fired_ms < 0)
    slot->fired_ms = t_ms;
  wc_engine_schedule_after_fire (self, slot, reached);
  return TRUE;
}

WcInject *
wc_engine_adhoc_inject_from_record (WcScenario *scenario,
                                    JsonObject *data)
{
  const char *id = json_object_get_string_member_with_default (data, "inject", NULL);
  JsonNode *to = json_object_get_member (data, "to");
  WcInject *inject;
  WcChannel channel = WC_CHANNEL_EMAIL;
  WcTlp tlp = wc_scenario_get_tlp (scenario);

  if (id == NULL || to == NULL)
    return NULL;
  inject = wc_inject_new ();
  inject->id = g_strdup (id);
  inject->trigger = WC_TRIGGER_MANUAL;
  inject->title = wc_text_new_plain (json_object_get_string_member_with_default (data, "title", ""));
  inject->body = wc_text_new_plain (json_object_get_string_member_with_default (data, "body", ""));
  wc_channel_from_string (json_object_get_string_member_with_default (data, "channel", NULL),
                          &channel);
  inject->channel = channel;
  wc_tlp_from_string (json_object_get_string_member_with_default (data, "tlp", NULL), &tlp);
  inject->tlp = tlp;
  if (JSON_NODE_HOLDS_ARRAY (to))
    {
      JsonArray *array = json_node_get_array (to);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (json_array_get_string_element (array, i))
          g_ptr_array_add (inject->to, g_strdup (json_array_get_string_element (array, i)));
    }
  else
    {
      inject->to_all = TRUE;
      for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
        g_ptr_array_add (inject->to, g_strdup (wc_scenario_get_team (scenario, i)->id));
    }
  return inject;
}

static gboolean
apply_adhoc (WcEngine    *self,
             JsonObject  *data,
             GError     **error)
{
  const char *id = json_object_get_string_member_with_default (data, "inject", NULL);
  WcInject *inject;

  if (id == NULL || wc_engine_slot (self, id) != NULL ||
      (inject = wc_engine_adhoc_inject_from_record (self->scenario, data)) == NULL)
    return bad_record (error, "adhoc-created", _("an inject id already in use"));
  wc_engine_add_adhoc_slot (self, inject);
  return TRUE;
}

static gboolean
apply_response (WcEngine    *self,
                JsonObject  *data,
                gint64       t_ms,
                GError     **error)
{
  WcTeamInjectState *ts = team_state_of (self, data, "response", error);
  const char *text = json_object_get_string_member_with_default (data, "text", NULL);
  const char *option = json_object_get_string_member_with_default (data, "option", NULL);
  WcResponse *response;

  if (ts == NULL)
    return FALSE;
  if (ts->first_response_ms < 0)
    ts->first_response_ms = t_ms;
  response = g_new0 (WcResponse, 1);
  response->t_ms = t_ms;
  response->text = g_strdup (text);
  response->option = g_strdup (option);
  g_ptr_array_add (ts->responses, response);
  ts->n_responses = ts->responses->len;
  if (text)
    ts->last_response = response->text;
  if (option)
    ts->option = response->option;
  /* Answering is acknowledging. */
  if (ts->acknowledged_ms < 0)
    ts->acknowledged_ms = t_ms;
  return TRUE;
}

gboolean
wc_engine_apply_record (WcEngine    *self,
                        const char  *type,
                        JsonObject  *data,
                        gint64       t_ms,
                        GError     **error)
{
  InjectSlot *slot;
  WcTeamInjectState *ts;

  if (strcmp (type, "inject-fired") == 0)
    return apply_fired (self, data, t_ms, error);
  if (strcmp (type, "clock-started") == 0 || strcmp (type, "clock-resumed") == 0)
    set_clock (self, WC_ENGINE_RUNNING, t_ms);
  else if (strcmp (type, "clock-paused") == 0 || strcmp (type, "process-stopped") == 0)
    set_clock (self, self->state == WC_ENGINE_READY ? WC_ENGINE_READY : WC_ENGINE_PAUSED, t_ms);
  else if (strcmp (type, "exercise-ended") == 0)
    set_clock (self, WC_ENGINE_ENDED, t_ms);
  else if (strcmp (type, "speed-changed") == 0)
    {
      double speed = json_object_get_double_member_with_default (data, "speed", self->speed);

      set_clock (self, self->state, t_ms);
      self->speed = CLAMP (speed, WC_ENGINE_MIN_SPEED, WC_ENGINE_MAX_SPEED);
    }
  else if (strcmp (type, "clock-jumped") == 0)
    set_clock (self, self->state,
               json_object_get_int_member_with_default (data, "to", t_ms));
  else if (strcmp (type, "inject-held") == 0)
    {
      if ((slot = slot_of (self, data, type, error)) == NULL)
        return FALSE;
      slot->status = WC_INJECT_HELD;
      slot->generation++;
    }
  else if (strcmp (type, "inject-released") == 0)
    {
      if ((slot = slot_of (self, data, type, error)) == NULL)
        return FALSE;
      slot->status = slot->teams->len > 0 ? WC_INJECT_FIRED : WC_INJECT_PENDING;
      slot->generation++;
      wc_engine_schedule_slot (self, slot);
    }
  else if (strcmp (type, "inject-skipped") == 0)
    {
      if ((slot = slot_of (self, data, type, error)) == NULL)
        return FALSE;
      slot->status = WC_INJECT_SKIPPED;
      slot->generation++;
    }
  else if (strcmp (type, "inject-rescheduled") == 0)
    {
      if ((slot = slot_of (self, data, type, error)) == NULL)
        return FALSE;
      slot->rescheduled_ms = json_object_get_int_member_with_default (data, "at", 0);
      slot->generation++;
      wc_engine_schedule_slot (self, slot);
    }
  else if (strcmp (type, "adhoc-created") == 0)
    return apply_adhoc (self, data, error);
  else if (strcmp (type, "inject-delivered") == 0)
    {
      if ((ts = team_state_of (self, data, type, error)) == NULL)
        return FALSE;
      if (ts->delivered_ms < 0)
        ts->delivered_ms = t_ms;
    }
  else if (strcmp (type, "inject-acknowledged") == 0)
    {
      if ((ts = team_state_of (self, data, type, error)) == NULL)
        return FALSE;
      if (ts->acknowledged_ms < 0)
        ts->acknowledged_ms = t_ms;
    }
  else if (strcmp (type, "response") == 0)
    return apply_response (self, data, t_ms, error);
  else if (strcmp (type, "action-met") == 0)
    {
      const char *action = json_object_get_string_member_with_default (data, "action", NULL);

      if ((ts = team_state_of (self, data, type, error)) == NULL)
        return FALSE;
      if (action && !g_ptr_array_find_with_equal_func (ts->actions_met, action, g_str_equal, NULL))
        g_ptr_array_add (ts->actions_met, g_strdup (action));
    }
  /* Records that change no state ("note", "exercise-created", "journal-reopened", webhook
   * attempts…) and records of types a newer Whitecell may write are kept but not applied. */
  return TRUE;
}
