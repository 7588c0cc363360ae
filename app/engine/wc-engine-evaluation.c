/* wc-engine-evaluation.c: judging expected actions, observations, objective ratings, staff and
 * the teams' feedback — each a journal record, applied by wc-engine-apply.c. */
#define G_LOG_DOMAIN "wc-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-engine-private.h"

/* Names ----------------------------------------------------------------------------------------- */

static const char *const verdict_names[] = {
  "pending", "met", "late", "partial", "not-met", "na", NULL
};
static const char *const rating_names[] = {
  "performed", "some-challenges", "major-challenges", "unable", NULL
};
static const char *const observation_names[] = { "note", "strength", "improvement", NULL };

const char *
wc_verdict_to_string (WcVerdict verdict)
{
  g_return_val_if_fail (verdict <= WC_VERDICT_NA, NULL);
  return verdict_names[verdict];
}

gboolean
wc_verdict_from_string (const char *name,
                        WcVerdict  *verdict)
{
  int v;

  if (!wc_name_lookup (verdict_names, name, &v))
    return FALSE;
  *verdict = v;
  return TRUE;
}

const char *
wc_rating_to_string (WcRating rating)
{
  g_return_val_if_fail (rating <= WC_RATING_UNABLE, NULL);
  return rating_names[rating];
}

gboolean
wc_rating_from_string (const char *name,
                       WcRating   *rating)
{
  int v;

  if (!wc_name_lookup (rating_names, name, &v))
    return FALSE;
  *rating = v;
  return TRUE;
}

const char *
wc_observation_kind_to_string (WcObservationKind kind)
{
  g_return_val_if_fail (kind <= WC_OBSERVATION_IMPROVEMENT, NULL);
  return observation_names[kind];
}

gboolean
wc_observation_kind_from_string (const char        *name,
                                 WcObservationKind *kind)
{
  int v;

  if (!wc_name_lookup (observation_names, name, &v))
    return FALSE;
  *kind = v;
  return TRUE;
}

/* State ----------------------------------------------------------------------------------------- */

void
wc_engine_judgement_free (gpointer data)
{
  Judgement *j = data;

  g_free (j->action);
  g_free (j->by);
  g_free (j->note);
  g_free (j);
}

void
wc_engine_set_judgement (WcTeamInjectState *ts,
                         const char        *action,
                         WcVerdict          verdict,
                         gint64             t_ms,
                         const char        *by,
                         const char        *note)
{
  Judgement *j;

  for (guint i = 0; i < ts->judgements->len; i++)
    if (strcmp (((Judgement *) g_ptr_array_index (ts->judgements, i))->action, action) == 0)
      {
        g_ptr_array_remove_index (ts->judgements, i);
        break;
      }
  if (verdict == WC_VERDICT_PENDING)
    return;
  j = g_new0 (Judgement, 1);
  j->action = g_strdup (action);
  j->verdict = verdict;
  j->t_ms = t_ms;
  j->by = g_strdup (by);
  j->note = g_strdup (note);
  g_ptr_array_add (wc_engine_team_state_own (ts, &ts->judgements), j);
}

void
wc_engine_add_staff_member (WcEngine    *self,
                            const char  *id,
                            const char  *name,
                            WcStaffRole  role)
{
  WcStaff *staff;

  if (wc_engine_find_staff (self, id) != NULL)
    return;
  staff = wc_staff_new ();
  staff->id = g_strdup (id);
  staff->name = g_strdup (name);
  staff->role = role;
  g_ptr_array_add (self->staff, staff);
}

void
wc_engine_init_staff (WcEngine *self)
{
  for (guint i = 0; i < wc_scenario_get_n_staff (self->scenario); i++)
    {
      const WcStaff *s = wc_scenario_get_staff (self->scenario, i);

      wc_engine_add_staff_member (self, s->id, s->name, s->role);
    }
}

const WcStaff *
wc_engine_find_staff (WcEngine   *self,
                      const char *staff_id)
{
  for (guint i = 0; staff_id && i < self->staff->len; i++)
    if (strcmp (((WcStaff *) g_ptr_array_index (self->staff, i))->id, staff_id) == 0)
      return g_ptr_array_index (self->staff, i);
  return NULL;
}

GPtrArray *
wc_engine_get_staff (WcEngine *self)
{
  return self->staff;
}

JsonObject *
wc_engine_get_feedback (WcEngine   *self,
                        const char *team_id)
{
  return team_id ? g_hash_table_lookup (self->feedback, team_id) : NULL;
}

/* Judgements ------------------------------------------------------------------------------------ */

/* When the team did what the rule looks for, or -1. */
static gint64
rule_time (const WcTeamInjectState *ts,
           const WcExpectedAction  *action)
{
  switch (action->judge)
    {
    case WC_JUDGE_ACKNOWLEDGE:
      return ts->acknowledged_ms;
    case WC_JUDGE_ANSWER:
      return ts->first_response_ms;
    case WC_JUDGE_OPTION:
      for (guint i = 0; i < ts->responses->len; i++)
        {
          const WcResponse *r = g_ptr_array_index (ts->responses, i);

          if (g_strcmp0 (r->option, action->judge_option) == 0)
            return r->t_ms;
        }
      return -1;
    case WC_JUDGE_MANUAL:
    default:
      return -1;
    }
}

void
wc_engine_get_judgement (WcEngine               *self,
                         const char             *inject_id,
                         const char             *team_id,
                         const WcExpectedAction *action,
                         WcJudgement            *judgement)
{
  const WcTeamInjectState *ts = wc_engine_get_team_state (self, inject_id, team_id);
  gint64 done, due;

  *judgement = (WcJudgement) { WC_VERDICT_PENDING, FALSE, -1, NULL, NULL };
  if (ts == NULL)
    return;
  for (guint i = 0; i < ts->judgements->len; i++)
    {
      const Judgement *j = g_ptr_array_index (ts->judgements, i);

      if (strcmp (j->action, action->id) == 0)
        {
          *judgement = (WcJudgement) { j->verdict, FALSE, j->t_ms, j->by, j->note };
          return;
        }
    }
  if ((done = rule_time (ts, action)) < 0)
    return;
  /* the deadline decides "met" or "met late", counted from delivery (or firing) */
  due = action->deadline_ms < 0 ? -1
        : (ts->delivered_ms >= 0 ? ts->delivered_ms : ts->reached_ms) + action->deadline_ms;
  judgement->verdict = due < 0 || done <= due ? WC_VERDICT_MET : WC_VERDICT_LATE;
  judgement->automatic = TRUE;
  judgement->t_ms = done;
}

GArray *
wc_engine_list_to_assess (WcEngine *self)
{
  GArray *items = g_array_new (FALSE, FALSE, sizeof (WcAssessItem));

  for (guint i = 0; i < self->slots->len; i++)
    {
      InjectSlot *slot = g_ptr_array_index (self->slots, i);

      for (guint t = 0; t < slot->teams->len; t++)
        for (guint a = 0; a < slot->inject->expected_actions->len; a++)
          {
            WcAssessItem item = { slot->inject, g_ptr_array_index (slot->teams, t),
                                  g_ptr_array_index (slot->inject->expected_actions, a) };

            wc_engine_get_judgement (self, slot->inject->id, item.team, item.action,
                                     &item.proposal);
            if (item.proposal.verdict == WC_VERDICT_PENDING || item.proposal.automatic)
              g_array_append_val (items, item);
          }
    }
  return items;
}

/* Actions --------------------------------------------------------------------------------------- */

void
wc_engine_set_actor (WcEngine   *self,
                     const char *staff_id)
{
  if (g_strcmp0 (self->actor, staff_id) == 0)
    return;
  g_free (self->actor);
  self->actor = g_strdup (staff_id);
}

const char *
wc_engine_get_actor (WcEngine *self)
{
  return self->actor;
}

static gboolean
check_text (const char  *text,
            gboolean     required,
            const char  *what,
            GError     **error)
{
  if (text == NULL || *text == '\0')
    {
      if (!required)
        return TRUE;
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID, _("%s is empty"), what);
      return FALSE;
    }
  if (strlen (text) > WC_ENGINE_MAX_RESPONSE || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                   _("%s is not UTF-8 text of at most %d KiB"), what, WC_ENGINE_MAX_RESPONSE / 1024);
      return FALSE;
    }
  return TRUE;
}

static gboolean
not_before_start (WcEngine  *self,
                  GError   **error)
{
  if (self->state != WC_ENGINE_READY)
    return TRUE;
  g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE,
               _("The exercise has not started: there is nothing to judge yet"));
  return FALSE;
}

/* The action named by its id or by its position in the inject, from 1. */
static const WcExpectedAction *
find_action (const WcInject *inject,
             const char     *action_id)
{
  guint64 position;

  for (guint i = 0; action_id && i < inject->expected_actions->len; i++)
    {
      const WcExpectedAction *a = g_ptr_array_index (inject->expected_actions, i);

      if (strcmp (a->id, action_id) == 0)
        return a;
    }
  if (action_id && g_ascii_string_to_unsigned (action_id, 10, 1, inject->expected_actions->len,
                                               &position, NULL))
    return g_ptr_array_index (inject->expected_actions, position - 1);
  return NULL;
}

gboolean
wc_engine_assess (WcEngine    *self,
                  const char  *inject_id,
                  const char  *team_id,
                  const char  *action_id,
                  WcVerdict    verdict,
                  const char  *note,
                  GError     **error)
{
  const WcInject *inject = wc_engine_find_inject (self, inject_id);
  const WcExpectedAction *action;
  JsonObject *data;

  if (!not_before_start (self, error))
    return FALSE;
  if (inject == NULL)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND, _("There is no inject “%s”"),
                   inject_id ? inject_id : "");
      return FALSE;
    }
  if ((action = find_action (inject, action_id)) == NULL)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND,
                   _("Inject “%s” has no expected action “%s”"), inject_id,
                   action_id ? action_id : "");
      return FALSE;
    }
  if (wc_engine_get_team_state (self, inject_id, team_id) == NULL)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND,
                   _("Inject “%s” has not reached team “%s”"), inject_id,
                   team_id ? team_id : "");
      return FALSE;
    }
  if (verdict > WC_VERDICT_NA || !check_text (note, FALSE, _("The note"), error))
    {
      if (verdict > WC_VERDICT_NA)
        g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID, _("Not a judgement"));
      return FALSE;
    }
  data = json_object_new ();
  json_object_set_string_member (data, "inject", inject_id);
  json_object_set_string_member (data, "team", team_id);
  json_object_set_string_member (data, "action", action->id);
  json_object_set_string_member (data, "verdict", wc_verdict_to_string (verdict));
  if (note && *note)
    json_object_set_string_member (data, "note", note);
  return wc_engine_record_now (self, WC_RECORD_ACTION_ASSESSED, data, error);
}

gboolean
wc_engine_observe (WcEngine          *self,
                   const char        *text,
                   WcObservationKind  kind,
                   const char        *team_id,
                   const char        *inject_id,
                   const char        *objective_id,
                   GError           **error)
{
  return wc_engine_observe_with_key (self, text, kind, team_id, inject_id, objective_id, NULL,
                                     NULL, error);
}

gboolean
wc_engine_observe_with_key (WcEngine          *self,
                            const char        *text,
                            WcObservationKind  kind,
                            const char        *team_id,
                            const char        *inject_id,
                            const char        *objective_id,
                            const char        *key,
                            guint64           *seq,
                            GError           **error)
{
  g_autoptr(JsonObject) data = NULL;
  g_autofree char *owner = NULL;
  JsonObject *earlier = NULL;
  guint earlier_seq = 0;

  if (!check_text (text, TRUE, _("The observation"), error))
    return FALSE;
  if ((team_id && wc_scenario_find_team (self->scenario, team_id) == NULL) ||
      (inject_id && wc_engine_find_inject (self, inject_id) == NULL) ||
      (objective_id && wc_scenario_find_objective (self->scenario, objective_id) == NULL))
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND,
                   _("The observation is about a team, inject or objective that the exercise "
                     "does not have"));
      return FALSE;
    }
  data = json_object_new ();
  json_object_set_string_member (data, "text", text);
  json_object_set_string_member (data, "kind", wc_observation_kind_to_string (kind));
  if (team_id)
    json_object_set_string_member (data, "team", team_id);
  if (inject_id)
    json_object_set_string_member (data, "inject", inject_id);
  if (objective_id)
    json_object_set_string_member (data, "objective", objective_id);
  /* the same observation sent again by the same person (the reply lost): the first one */
  owner = wc_engine_staff_key_owner (self->actor);
  if (key && !wc_engine_claim_key (self, owner, key, WC_RECORD_OBSERVATION, data, &earlier,
                                   &earlier_seq, error))
    return FALSE;
  if (earlier == NULL &&
      !wc_engine_record_now (self, WC_RECORD_OBSERVATION, g_steal_pointer (&data), error))
    return FALSE;
  if (seq)
    *seq = earlier ? earlier_seq : wc_journal_get_n_records (self->journal);
  return TRUE;
}

gboolean
wc_engine_rate_objective (WcEngine    *self,
                          const char  *objective_id,
                          const char  *target,
                          WcRating     rating,
                          const char  *rationale,
                          GError     **error)
{
  JsonObject *data;

  if (wc_scenario_find_objective (self->scenario, objective_id) == NULL)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND,
                   _("There is no objective “%s”"), objective_id ? objective_id : "");
      return FALSE;
    }
  if (rating > WC_RATING_UNABLE || !check_text (target, FALSE, _("The capability target"), error) ||
      !check_text (rationale, FALSE, _("The rationale"), error))
    {
      if (rating > WC_RATING_UNABLE)
        g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID, _("Not a rating"));
      return FALSE;
    }
  data = json_object_new ();
  json_object_set_string_member (data, "objective", objective_id);
  if (target && *target)
    json_object_set_string_member (data, "target", target);
  json_object_set_string_member (data, "rating", wc_rating_to_string (rating));
  if (rationale && *rationale)
    json_object_set_string_member (data, "rationale", rationale);
  return wc_engine_record_now (self, WC_RECORD_OBJECTIVE_RATED, data, error);
}

gboolean
wc_engine_give_feedback (WcEngine          *self,
                         const char        *team_id,
                         const WcFeedback  *feedback,
                         GError           **error)
{
  JsonObject *data;

  if (wc_scenario_find_team (self->scenario, team_id) == NULL)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND, _("There is no team “%s”"),
                   team_id ? team_id : "");
      return FALSE;
    }
  if (self->state != WC_ENGINE_ENDED)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE,
                   _("Feedback is given once the exercise has ended (the hot wash)"));
      return FALSE;
    }
  if (feedback->realism > 5 || feedback->usefulness > 5)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                   _("Ratings go from 1 to 5"));
      return FALSE;
    }
  if (!check_text (feedback->strengths, FALSE, _("Strengths"), error) ||
      !check_text (feedback->improvements, FALSE, _("Areas for improvement"), error) ||
      !check_text (feedback->text, FALSE, _("The comment"), error))
    return FALSE;
  data = json_object_new ();
  json_object_set_string_member (data, "team", team_id);
  if (feedback->strengths && *feedback->strengths)
    json_object_set_string_member (data, "strengths", feedback->strengths);
  if (feedback->improvements && *feedback->improvements)
    json_object_set_string_member (data, "improvements", feedback->improvements);
  if (feedback->realism)
    json_object_set_int_member (data, "realism", feedback->realism);
  if (feedback->usefulness)
    json_object_set_int_member (data, "usefulness", feedback->usefulness);
  if (feedback->text && *feedback->text)
    json_object_set_string_member (data, "text", feedback->text);
  return wc_engine_record_now (self, WC_RECORD_FEEDBACK, data, error);
}

gboolean
wc_engine_add_staff (WcEngine     *self,
                     const char   *staff_id,
                     const char   *name,
                     WcStaffRole   role,
                     GError      **error)
{
  JsonObject *data;

  if (staff_id == NULL || *staff_id == '\0' || strlen (staff_id) > 64 ||
      !g_str_is_ascii (staff_id) || strpbrk (staff_id, " /\\\"'<>&") != NULL)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                   _("A staff id is a short word of letters, digits, “-” and “_”"));
      return FALSE;
    }
  if (wc_engine_find_staff (self, staff_id) != NULL ||
      wc_scenario_find_team (self->scenario, staff_id) != NULL)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                   _("“%s” is already someone's id"), staff_id);
      return FALSE;
    }
  if (!check_text (name, TRUE, _("The name"), error) || role > WC_STAFF_OBSERVER)
    return FALSE;
  data = json_object_new ();
  json_object_set_string_member (data, "staff", staff_id);
  json_object_set_string_member (data, "name", name);
  json_object_set_string_member (data, "role", wc_staff_role_to_string (role));
  return wc_engine_record_now (self, WC_RECORD_STAFF_ADDED, data, error);
}
