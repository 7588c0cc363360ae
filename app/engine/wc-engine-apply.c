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

WcTeamInjectState *
wc_engine_team_state_lookup (WcEngine   *self,
                             const char *inject_id,
                             const char *team_id)
{
  InjectSlot *slot = wc_engine_slot (self, inject_id);

  return slot && team_id ? g_hash_table_lookup (slot->reached, team_id) : NULL;
}

static void response_free (gpointer data);

/* Never written to: a state's container is replaced by its own before the first element. */
static GPtrArray *empty_ptr_array;
static GArray *empty_times;

static WcTeamInjectState *
team_state_new (gint64 reached_ms)
{
  WcTeamInjectState *ts = g_new0 (WcTeamInjectState, 1);

  if (g_once_init_enter (&empty_times))
    {
      empty_ptr_array = g_ptr_array_new ();
      g_once_init_leave (&empty_times, g_array_new (FALSE, FALSE, sizeof (gint64)));
    }
  ts->reached_ms = reached_ms;
  ts->delivered_ms = ts->acknowledged_ms = ts->first_response_ms = -1;
  ts->actions_met = g_ptr_array_ref (empty_ptr_array);
  ts->actions_met_ms = g_array_ref (empty_times);
  ts->judgements = g_ptr_array_ref (empty_ptr_array);
  ts->responses = g_ptr_array_ref (empty_ptr_array);
  return ts;
}

GPtrArray *
wc_engine_team_state_own (WcTeamInjectState  *ts,
                          GPtrArray         **array)
{
  if (*array == empty_ptr_array)
    {
      GDestroyNotify free_func = array == &ts->responses ? response_free
                                 : array == &ts->judgements ? wc_engine_judgement_free : g_free;

      g_ptr_array_unref (*array);
      *array = g_ptr_array_new_with_free_func (free_func);
    }
  return *array;
}

GArray *
wc_engine_team_state_own_times (WcTeamInjectState *ts)
{
  if (ts->actions_met_ms == empty_times)
    {
      g_array_unref (ts->actions_met_ms);
      ts->actions_met_ms = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  return ts->actions_met_ms;
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
  const char *id = wc_record_get_inject (data);
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
  const char *inject = wc_record_get_inject (data);
  const char *team = wc_record_get_team (data);
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
  /* a clock started or resumed runs from here: no longer held where an outage stopped it */
  if (state == WC_ENGINE_RUNNING && self->state != WC_ENGINE_RUNNING)
    self->clock_held = FALSE;
  self->state = state;
  self->t_base = t_ms;
  if (!self->replaying)
    self->mono_base = self->clock_func (self->clock_data);
}

static WcTeamCounts *
team_counts (WcEngine   *self,
             const char *team_id)
{
  WcTeamCounts *counts = g_hash_table_lookup (self->team_counts, team_id);

  if (counts == NULL)
    {
      counts = g_new0 (WcTeamCounts, 1);
      g_hash_table_insert (self->team_counts, g_strdup (team_id), counts);
    }
  return counts;
}

static gboolean
apply_fired (WcEngine    *self,
             JsonObject  *data,
             gint64       t_ms,
             GError     **error)
{
  InjectSlot *slot = slot_of (self, data, "inject-fired", error);
  JsonArray *teams = wc_record_get_teams (data);
  g_autoptr(GPtrArray) reached = g_ptr_array_new ();

  if (slot == NULL)
    return FALSE;
  if (teams == NULL)
    return bad_record (error, "inject-fired", _("no teams"));
  for (guint i = 0; i < json_array_get_length (teams); i++)
    {
      const char *name = json_array_get_string_element (teams, i);
      const WcTeam *team = name ? wc_scenario_find_team (self->scenario, name) : NULL;
      GPtrArray *list;

      if (team == NULL)
        return bad_record (error, "inject-fired", _("a team"));
      if (wc_engine_team_reached (slot, team->id))
        continue;
      /* the scenario's own id, which lives as long as the engine: no copy per team and inject */
      g_hash_table_insert (slot->reached, (char *) team->id, team_state_new (t_ms));
      if ((list = g_hash_table_lookup (self->team_injects, team->id)) == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (self->team_injects, g_strdup (team->id), list);
        }
      g_ptr_array_add (list, slot->inject->id);
      g_ptr_array_add (slot->teams, (char *) team->id);
      g_ptr_array_add (reached, (char *) team->id);
      slot->counts.n_teams++;
      team_counts (self, team->id)->received++;
    }
  slot->status = WC_INJECT_FIRED;
  if (slot->fired_ms < 0)
    slot->fired_ms = t_ms;
  wc_engine_schedule_after_fire (self, slot, reached);
  return TRUE;
}

/* A text of a record: a string, or an object by language. */
static WcText *
text_from_record (JsonObject *data,
                  const char *member)
{
  JsonNode *node = json_object_get_member (data, member);
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  WcText *text;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return wc_text_new_plain (json_object_get_string_member_with_default (data, member, ""));
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  text = wc_text_new ();
  for (GList *m = members; m; m = m->next)
    if (JSON_NODE_HOLDS_VALUE (json_object_get_member (object, m->data)))
      wc_text_set (text, m->data, json_object_get_string_member_with_default (object, m->data, ""));
  return text;
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
  inject->title = text_from_record (data, "title");
  inject->body = text_from_record (data, "body");
  inject->from = g_strdup (json_object_get_string_member_with_default (data, "from", NULL));
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
  if (json_object_has_member (data, "actions") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (data, "actions")))
    {
      JsonArray *array = json_object_get_array_member (data, "actions");

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          WcExpectedAction *action;

          if (object == NULL)
            continue;
          action = wc_expected_action_new ();
          action->id = g_strdup_printf ("a%u", inject->expected_actions->len + 1);
          action->text = text_from_record (object, "text");
          action->deadline_ms = json_object_get_int_member_with_default (object, "deadline", -1);
          action->judge = WC_JUDGE_MANUAL;
          g_ptr_array_add (inject->expected_actions, action);
        }
    }
  if (json_object_has_member (data, "attachments") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (data, "attachments")))
    {
      JsonArray *array = json_object_get_array_member (data, "attachments");

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *file;
          WcAttachment *a;

          /* only files beside the journal: an ad-hoc inject has no scenario folder of its own */
          if (object == NULL ||
              (file = json_object_get_string_member_with_default (object, "file", NULL)) == NULL ||
              g_strcmp0 (json_object_get_string_member_with_default (object, "base", NULL),
                         "journal") != 0)
            continue;
          a = wc_attachment_new ();
          a->file = g_strdup (file);
          a->media_type = g_strdup (json_object_get_string_member_with_default (
            object, "media_type", "application/octet-stream"));
          if (json_object_has_member (object, "title"))
            a->title = text_from_record (object, "title");
          g_ptr_array_add (inject->attachments, a);
        }
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

static void
apply_response (WcEngine          *self,
                WcTeamInjectState *ts,
                JsonObject        *data,
                gint64             t_ms)
{
  const char *text = wc_record_get_text (data);
  const char *option = wc_record_get_option (data);
  WcResponse *response;

  if (ts->first_response_ms < 0)
    ts->first_response_ms = t_ms;
  response = g_new0 (WcResponse, 1);
  response->t_ms = t_ms;
  response->text = g_strdup (text);
  response->option = g_strdup (option);
  g_ptr_array_add (wc_engine_team_state_own (ts, &ts->responses), response);
  ts->n_responses = ts->responses->len;
  if (text)
    ts->last_response = response->text;
  if (option)
    ts->option = response->option;
}

/* The first acknowledgement (or answer, which is one) of a team's inject. */
static void
set_acknowledged (WcEngine           *self,
                  InjectSlot         *slot,
                  const char         *team_id,
                  WcTeamInjectState  *ts,
                  gint64              t_ms)
{
  if (ts->acknowledged_ms >= 0)
    return;
  ts->acknowledged_ms = t_ms;
  slot->counts.n_acknowledged++;
  team_counts (self, team_id)->acknowledged++;
}

/* An action marked met the old way (before judgements): met, or late after its deadline. */
static void
apply_action_met (InjectSlot        *slot,
                  WcTeamInjectState *ts,
                  const char        *action_id,
                  JsonObject        *data,
                  gint64             t_ms)
{
  for (guint i = 0; i < slot->inject->expected_actions->len; i++)
    {
      const WcExpectedAction *a = g_ptr_array_index (slot->inject->expected_actions, i);
      gint64 due;

      if (strcmp (a->id, action_id) != 0)
        continue;
      due = a->deadline_ms < 0 ? -1
            : (ts->delivered_ms >= 0 ? ts->delivered_ms : ts->reached_ms) + a->deadline_ms;
      wc_engine_set_judgement (ts, action_id,
                               due < 0 || t_ms <= due ? WC_VERDICT_MET : WC_VERDICT_LATE, t_ms,
                               wc_record_get_by (data), NULL);
    }
}

static gboolean
apply_team_record (WcEngine      *self,
                   WcRecordType   type,
                   JsonObject    *data,
                   gint64         t_ms,
                   GError       **error)
{
  const char *type_name = wc_record_type_to_string (type);
  WcTeamInjectState *ts = team_state_of (self, data, type_name, error);
  const char *team_id = wc_record_get_team (data);
  InjectSlot *slot;
  const char *action;

  if (ts == NULL)
    return FALSE;
  slot = wc_engine_slot (self, wc_record_get_inject (data));
  switch (type)
    {
    case WC_RECORD_INJECT_DELIVERED:
      if (ts->delivered_ms < 0)
        ts->delivered_ms = t_ms;
      break;
    case WC_RECORD_INJECT_ACKNOWLEDGED:
      set_acknowledged (self, slot, team_id, ts, t_ms);
      break;
    case WC_RECORD_RESPONSE:
      apply_response (self, ts, data, t_ms);
      wc_engine_remember_key (self, team_id, type, data, ts->responses->len - 1);
      if (ts->n_responses == 1)
        {
          slot->counts.n_responded++;
          team_counts (self, team_id)->responded++;
        }
      /* Answering is acknowledging. */
      set_acknowledged (self, slot, team_id, ts, t_ms);
      break;
    case WC_RECORD_ACTION_MET:
      action = wc_record_get_action (data);
      if (action && !g_ptr_array_find_with_equal_func (ts->actions_met, action, g_str_equal, NULL))
        {
          g_ptr_array_add (wc_engine_team_state_own (ts, &ts->actions_met), g_strdup (action));
          g_array_append_val (wc_engine_team_state_own_times (ts), t_ms);
          apply_action_met (slot, ts, action, data, t_ms);
        }
      break;
    case WC_RECORD_ACTION_ASSESSED:
      {
        WcVerdict verdict;

        action = wc_record_get_action (data);
        if (action == NULL ||
            !wc_verdict_from_string (wc_record_get_string (data, "verdict"), &verdict))
          return bad_record (error, type_name, _("no action or no verdict"));
        wc_engine_set_judgement (ts, action, verdict, t_ms, wc_record_get_by (data),
                                 wc_record_get_string (data, "note"));
      }
      break;
    case WC_RECORD_WEBHOOK_ATTEMPT:
      switch (wc_record_get_outcome (data))
        {
        case WC_WEBHOOK_DELIVERED:
          break;
        case WC_WEBHOOK_GAVE_UP:
          ts->webhook_gave_up = TRUE;
          G_GNUC_FALLTHROUGH;
        case WC_WEBHOOK_FAILED:
          ts->webhook_failures++;
          team_counts (self, team_id)->webhook_failures++;
          break;
        }
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

gboolean
wc_engine_apply_record (WcEngine      *self,
                        WcRecordType   type,
                        JsonObject    *data,
                        gint64         t_ms,
                        GError       **error)
{
  const char *type_name = wc_record_type_to_string (type);
  InjectSlot *slot = NULL;

  switch (type)
    {
    case WC_RECORD_INJECT_HELD:
    case WC_RECORD_INJECT_RELEASED:
    case WC_RECORD_INJECT_SKIPPED:
    case WC_RECORD_INJECT_RESCHEDULED:
      if ((slot = slot_of (self, data, type_name, error)) == NULL)
        return FALSE;
      slot->generation++;
      break;
    case WC_RECORD_PROCESS_STOPPED:
    case WC_RECORD_JOURNAL_REOPENED:
      /* the process stopped (or had crashed): every event stream went with it */
      {
        GHashTableIter iter;
        TeamPresence *p;

        g_hash_table_iter_init (&iter, self->presence);
        while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &p))
          if (p->connected)
            {
              p->connected = FALSE;
              p->since_ms = t_ms;
            }
      }
      break;
    default:
      break;
    }

  /* No default: the compiler names this switch when the vocabulary gains a type. */
  switch (type)
    {
    case WC_RECORD_INJECT_DELIVERED:
    case WC_RECORD_INJECT_ACKNOWLEDGED:
    case WC_RECORD_RESPONSE:
    case WC_RECORD_ACTION_MET:
    case WC_RECORD_WEBHOOK_ATTEMPT:
    case WC_RECORD_ACTION_ASSESSED:
      return apply_team_record (self, type, data, t_ms, error);
    case WC_RECORD_STAFF_ADDED:
      {
        const char *id = wc_record_get_string (data, "staff");
        const char *name = wc_record_get_string (data, "name");
        WcStaffRole role;

        if (id == NULL || name == NULL ||
            !wc_staff_role_from_string (wc_record_get_string (data, "role"), &role))
          return bad_record (error, type_name, _("no staff id, name or role"));
        wc_engine_add_staff_member (self, id, name, role);
      }
      break;
    case WC_RECORD_FEEDBACK:
      if (wc_scenario_find_team (self->scenario, wc_record_get_team (data)) == NULL)
        return bad_record (error, type_name, _("a team"));
      g_hash_table_replace (self->feedback, g_strdup (wc_record_get_team (data)),
                            json_object_ref (data));
      break;
    case WC_RECORD_TEAM_PRESENCE:
      {
        const char *team = wc_record_get_team (data);
        TeamPresence *p;

        if (wc_scenario_find_team (self->scenario, team) == NULL)
          return bad_record (error, type_name, _("a team"));
        p = g_hash_table_lookup (self->presence, team);
        if (p == NULL)
          {
            p = g_new0 (TeamPresence, 1);
            g_hash_table_insert (self->presence, g_strdup (team), p);
          }
        p->connected = wc_record_get_boolean (data, "connected", FALSE);
        p->since_ms = t_ms;
      }
      break;
    case WC_RECORD_OBSERVATION:
      /* kept in the journal for the reports; the engine keeps only its observer's key */
      if (wc_record_get_key (data))
        {
          g_autofree char *owner = wc_engine_staff_key_owner (wc_record_get_by (data));

          wc_engine_remember_key (self, owner, type, data, (guint) self->applying_seq);
        }
      break;
    case WC_RECORD_OBJECTIVE_RATED:
      /* kept in the journal for the reports; no state of the engine's */
      break;
    case WC_RECORD_MESSAGE_SENT:
    case WC_RECORD_NOTIFICATION_FILED:
    case WC_RECORD_WARNING_ISSUED:
    case WC_RECORD_SITREP_PUBLISHED:
    case WC_RECORD_MESSAGE_ACKNOWLEDGED:
      return wc_engine_apply_traffic (self, type, data, t_ms, error);
    case WC_RECORD_INJECT_FIRED:
      return apply_fired (self, data, t_ms, error);
    case WC_RECORD_ADHOC_CREATED:
      return apply_adhoc (self, data, error);
    case WC_RECORD_CLOCK_STARTED:
    case WC_RECORD_CLOCK_RESUMED:
      set_clock (self, WC_ENGINE_RUNNING, t_ms);
      break;
    case WC_RECORD_CLOCK_PAUSED:
    case WC_RECORD_PROCESS_STOPPED:
      set_clock (self, self->state == WC_ENGINE_READY ? WC_ENGINE_READY : WC_ENGINE_PAUSED, t_ms);
      break;
    case WC_RECORD_EXERCISE_ENDED:
      set_clock (self, WC_ENGINE_ENDED, t_ms);
      break;
    case WC_RECORD_SPEED_CHANGED:
      set_clock (self, self->state, t_ms);
      self->speed = CLAMP (wc_record_get_speed (data, self->speed), WC_ENGINE_MIN_SPEED,
                           WC_ENGINE_MAX_SPEED);
      break;
    case WC_RECORD_CLOCK_JUMPED:
      set_clock (self, self->state, wc_record_get_int (data, "to", t_ms));
      break;
    case WC_RECORD_INJECT_HELD:
      slot->status = WC_INJECT_HELD;
      break;
    case WC_RECORD_INJECT_RELEASED:
      slot->status = slot->teams->len > 0 ? WC_INJECT_FIRED : WC_INJECT_PENDING;
      wc_engine_schedule_slot (self, slot);
      break;
    case WC_RECORD_INJECT_SKIPPED:
      slot->status = WC_INJECT_SKIPPED;
      break;
    case WC_RECORD_INJECT_RESCHEDULED:
      slot->rescheduled_ms = wc_record_get_int (data, "at", 0);
      wc_engine_schedule_slot (self, slot);
      break;
    case WC_RECORD_EXERCISE_CREATED:
    case WC_RECORD_JOURNAL_REOPENED:
    case WC_RECORD_CHECKPOINT:
    case WC_RECORD_NOTE:
      /* kept in the journal; no state of the engine's */
      break;
    case WC_RECORD_UNKNOWN:
    case WC_RECORD_N_TYPES:
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_MISMATCH,
                   _("a record of an unknown type"));
      return FALSE;
    }
  return TRUE;
}

gboolean
wc_engine_apply_journal_record (WcEngine               *self,
                                const WcJournalRecord  *record,
                                GError                **error)
{
  WcRecordType type = wc_record_type_from_string (record->type);
  g_autoptr(GError) local_error = NULL;

  if (type == WC_RECORD_UNKNOWN)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_MISMATCH,
                   /* Translators: "line 57 (record 56): unknown record type “foo”" */
                   _("line %llu (record %llu): unknown record type “%s”"),
                   (unsigned long long) record->seq + 1, (unsigned long long) record->seq,
                   record->type);
      return FALSE;
    }
  self->applying_seq = record->seq;
  if (!wc_engine_apply_record (self, type, record->data, record->t_ms, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("line %llu (record %llu): %s"),
                   (unsigned long long) record->seq + 1, (unsigned long long) record->seq,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}
