/* wc-scenario-coordination.c: the scenario's coordination section (issue 14): who may write to
 * whom, who takes incident notifications, the reporting deadlines, and the exercise marking. */
#define G_LOG_DOMAIN "wc-model"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-scenario.h"

static const char *const stage_names[] = { "early-warning", "notification", "final-report", NULL };

const char *
wc_notification_stage_to_string (WcNotificationStage stage)
{
  g_return_val_if_fail (stage <= WC_STAGE_FINAL_REPORT, NULL);
  return stage_names[stage];
}

gboolean
wc_notification_stage_from_string (const char          *name,
                                   WcNotificationStage *stage)
{
  int v;

  if (!wc_name_lookup (stage_names, name, &v))
    return FALSE;
  *stage = v;
  return TRUE;
}

const char *
wc_exercise_marking (const char *lang)
{
  /* by the language's primary subtag: "nl-BE" and "nl_BE" are Dutch */
  gsize n = lang ? strcspn (lang, "-_") : 0;

  if (n == 2 && g_ascii_strncasecmp (lang, "nl", 2) == 0)
    return "OEFENING";
  if (n == 2 && g_ascii_strncasecmp (lang, "fr", 2) == 0)
    return "EXERCICE";
  if (n == 2 && g_ascii_strncasecmp (lang, "de", 2) == 0)
    return "ÜBUNG";
  return "EXERCISE";
}

/* Selectors ------------------------------------------------------------------------------------- */

static gboolean
team_matches (const WcTeam *team,
              const char   *selector)
{
  WcTeamKind kind;

  if (strcmp (selector, "*") == 0)
    return TRUE;
  if (g_str_has_prefix (selector, "kind:"))
    return wc_team_kind_from_string (selector + 5, &kind) && team->kind == kind;
  if (g_str_has_prefix (selector, "sector:"))
    return team->sector != NULL && strcmp (team->sector, selector + 7) == 0;
  return strcmp (team->id, selector) == 0;
}

gboolean
wc_scenario_team_matches (WcScenario *self,
                          const char *team_id,
                          const char *selector)
{
  const WcTeam *team = wc_scenario_find_team (self, team_id);

  return team != NULL && selector != NULL && team_matches (team, selector);
}

GPtrArray *
wc_scenario_select_teams (WcScenario *self,
                          const char *selector)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  WcTeamKind kind;

  if (selector == NULL || *selector == '\0')
    return NULL;
  if (g_str_has_prefix (selector, "kind:") && !wc_team_kind_from_string (selector + 5, &kind))
    return NULL;
  for (guint i = 0; i < wc_scenario_get_n_teams (self); i++)
    {
      const WcTeam *team = wc_scenario_get_team (self, i);

      if (team_matches (team, selector))
        g_ptr_array_add (ids, team->id);
    }
  /* a team id or a sector that no team has is a mistake, not an empty list; a kind is a word of
   * the format, and a scenario may have no team of it */
  if (ids->len == 0 && !g_str_has_prefix (selector, "kind:"))
    return NULL;
  return g_steal_pointer (&ids);
}

static gboolean
any_matches (const WcTeam *team,
             GPtrArray    *selectors)
{
  for (guint i = 0; i < selectors->len; i++)
    if (team_matches (team, g_ptr_array_index (selectors, i)))
      return TRUE;
  return FALSE;
}

static gboolean
is_hub (const WcTeam *team)
{
  return team->kind == WC_TEAM_KIND_CSIRT || team->kind == WC_TEAM_KIND_CRISIS_CENTRE;
}

gboolean
wc_scenario_may_write (WcScenario *self,
                       const char *from_team,
                       const char *to_team)
{
  const WcCoordination *c = wc_scenario_get_coordination (self);
  const WcTeam *from = wc_scenario_find_team (self, from_team);
  const WcTeam *to = wc_scenario_find_team (self, to_team);

  if (from == NULL || to == NULL || from == to)
    return FALSE;
  if (c == NULL || c->matrix == NULL)
    return is_hub (from) || is_hub (to);
  for (guint i = 0; i < c->matrix->len; i++)
    {
      const WcMatrixRule *rule = g_ptr_array_index (c->matrix, i);

      if (team_matches (from, rule->from) && any_matches (to, rule->to))
        return TRUE;
    }
  return FALSE;
}

gboolean
wc_scenario_is_authority (WcScenario *self,
                          const char *team_id)
{
  const WcCoordination *c = wc_scenario_get_coordination (self);
  const WcTeam *team = wc_scenario_find_team (self, team_id);

  if (team == NULL)
    return FALSE;
  if (c == NULL || c->authorities == NULL)
    return team->kind == WC_TEAM_KIND_CSIRT || team->kind == WC_TEAM_KIND_SECTOR_AUTHORITY;
  return any_matches (team, c->authorities);
}

gint64
wc_scenario_get_deadline_ms (WcScenario          *self,
                             WcNotificationStage  stage)
{
  const WcCoordination *c = wc_scenario_get_coordination (self);

  g_return_val_if_fail (stage <= WC_STAGE_FINAL_REPORT, -1);
  return c ? c->deadlines[stage] : -1;
}
