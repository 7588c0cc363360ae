/* wc-scenario-coordination-loader.c: reading a scenario's "coordination" section — the
 * communication matrix, the authorities notifications go to, the reporting deadlines — with a
 * finding (file:line:col) for each selector that names no team, kind or sector. */
#define G_LOG_DOMAIN "wc-scenario-loader"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-scenario-loader-private.h"

static const char *const coordination_fields[] = { "matrix", "authorities", "deadlines", NULL };
static const char *const rule_fields[] = { "from", "to", NULL };

static gboolean
sector_exists (WcScenario *scenario,
               const char *sector)
{
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    if (g_strcmp0 (wc_scenario_get_team (scenario, i)->sector, sector) == 0)
      return TRUE;
  return FALSE;
}

/* A selector, checked: a team id, "kind:KIND", "sector:SECTOR" or "*"; NULL after a finding. */
static char *
load_selector (Loader     *L,
               WcJsonNode *node,
               const Path *path)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  const char *selector, *closest = NULL;
  g_autofree char *hint = NULL;

  if (!wc_loader_expect_type (L, node, path, WC_JSON_STRING, N_("a team id, \"kind:KIND\", "
                                                                  "\"sector:SECTOR\" or \"*\"")))
    return NULL;
  selector = WC_JSON_STR (node);
  if (strcmp (selector, "*") == 0 || wc_scenario_find_team (L->scenario, selector) != NULL)
    return g_strdup (selector);
  if (g_str_has_prefix (selector, "kind:"))
    {
      WcTeamKind kind;

      if (wc_team_kind_from_string (selector + 5, &kind))
        return g_strdup (selector);
      closest = wc_closest_word (selector + 5, wc_team_kind_names ());
      hint = closest ? g_strdup_printf (_("did you mean \"kind:%s\"?"), closest) : NULL;
      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (node), path, hint,
                        _("unknown team kind \"%s\""), selector + 5);
      return NULL;
    }
  if (g_str_has_prefix (selector, "sector:"))
    {
      if (sector_exists (L->scenario, selector + 7))
        return g_strdup (selector);
      for (guint i = 0; i < wc_scenario_get_n_teams (L->scenario); i++)
        if (wc_scenario_get_team (L->scenario, i)->sector)
          g_ptr_array_add (words, wc_scenario_get_team (L->scenario, i)->sector);
      g_ptr_array_add (words, NULL);
      closest = wc_closest_word (selector + 7, (const char *const *) words->pdata);
      hint = closest ? g_strdup_printf (_("did you mean \"sector:%s\"?"), closest) : NULL;
      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (node), path, hint,
                        _("no team is in sector \"%s\""), selector + 7);
      return NULL;
    }
  closest = wc_closest_word (selector, (const char *const *) L->team_ids->pdata);
  hint = closest ? g_strdup_printf (_("did you mean \"%s\"?"), closest)
                 : g_strdup (_("a team id, \"kind:KIND\", \"sector:SECTOR\" or \"*\""));
  wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (node), path, hint,
                    _("unknown team \"%s\""), selector);
  return NULL;
}

/* A list of selectors (a single one is a list of one); NULL after a finding. */
static GPtrArray *
load_selectors (Loader     *L,
                WcJsonNode *object,
                const char *name,
                const Path *path)
{
  WcJsonNode *node = wc_loader_get_member (L, object, name, path, TRUE);
  Path child = { path, name, 0 };
  g_autoptr(GPtrArray) selectors = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;

  if (node == NULL)
    return NULL;
  if (node->type == WC_JSON_STRING)
    {
      char *selector = load_selector (L, node, &child);

      if (selector == NULL)
        return NULL;
      g_ptr_array_add (selectors, selector);
      return g_steal_pointer (&selectors);
    }
  if (!wc_loader_expect_type (L, node, &child, WC_JSON_ARRAY, N_("a list of selectors")))
    return NULL;
  if (node->v.children.length == 0)
    {
      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (node), &child, NULL,
                        _("\"%s\" must not be empty"), name);
      return NULL;
    }
  for (WcJsonNode *el = node->v.children.first; el; el = el->next)
    {
      Path elem = { &child, NULL, el->index };
      char *selector = load_selector (L, el, &elem);

      if (selector)
        g_ptr_array_add (selectors, selector);
      ok = ok && selector != NULL;
    }
  return ok ? g_steal_pointer (&selectors) : NULL;
}

static GPtrArray *
load_matrix (Loader     *L,
             WcJsonNode *array,
             const Path *path)
{
  g_autoptr(GPtrArray) matrix = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                wc_matrix_rule_free);

  if (!wc_loader_expect_type (L, array, path, WC_JSON_ARRAY, N_("a list of {\"from\", \"to\"}")))
    return NULL;
  for (WcJsonNode *el = array->v.children.first; el; el = el->next)
    {
      Path elem = { path, NULL, el->index };
      Path from_path = { &elem, "from", 0 };
      WcJsonNode *o = wc_loader_as_object (L, el, &elem);
      WcJsonNode *from;
      g_autoptr(GPtrArray) to = NULL;
      g_autofree char *from_selector = NULL;
      WcMatrixRule *rule;

      if (o == NULL)
        continue;
      wc_loader_check_members (L, o, &elem, rule_fields);
      if ((from = wc_loader_get_member (L, o, "from", &elem, TRUE)) != NULL)
        from_selector = load_selector (L, from, &from_path);
      to = load_selectors (L, o, "to", &elem);
      if (from_selector == NULL || to == NULL)
        continue;
      rule = wc_matrix_rule_new ();
      rule->from = g_steal_pointer (&from_selector);
      g_ptr_array_extend_and_steal (rule->to, g_steal_pointer (&to));
      g_ptr_array_add (matrix, rule);
    }
  return g_steal_pointer (&matrix);
}

static void
load_deadlines (Loader         *L,
                WcJsonNode     *object,
                const Path     *path,
                WcCoordination *c)
{
  for (WcJsonNode *m = object->v.children.first; m; m = m->next)
    {
      Path child = { path, m->key, 0 };
      WcNotificationStage stage;
      gint64 ms;

      if (!wc_notification_stage_from_string (m->key, &stage))
        {
          static const char *const stages[] = {
            "early-warning", "notification", "final-report", NULL
          };
          const char *closest = wc_closest_word (m->key, stages);
          g_autofree char *hint = closest ? g_strdup_printf (_("did you mean \"%s\"?"), closest)
                                          : g_strdup (_("early-warning, notification or "
                                                        "final-report"));

          wc_loader_report (L, WC_SEVERITY_ERROR, key_pos (m), &child, hint,
                            _("unknown reporting stage \"%s\""), m->key);
          continue;
        }
      if (!wc_loader_get_time (L, object, m->key, path, TRUE, &ms))
        continue;
      if (ms <= 0)
        {
          wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (m), &child, NULL,
                            _("a reporting deadline is a duration longer than zero"));
          continue;
        }
      c->deadlines[stage] = ms;
    }
}

void
wc_loader_load_coordination (Loader     *L,
                             WcJsonNode *top)
{
  Path path = { NULL, "coordination", 0 };
  WcJsonNode *node = wc_json_object_get (top, "coordination");
  WcCoordination *c;
  WcJsonNode *o, *member;

  if (node == NULL || (o = wc_loader_as_object (L, node, &path)) == NULL)
    return;
  wc_loader_check_members (L, o, &path, coordination_fields);
  c = wc_coordination_new ();
  if ((member = wc_json_object_get (o, "matrix")) != NULL)
    {
      Path child = { &path, "matrix", 0 };

      c->matrix = load_matrix (L, member, &child);
    }
  if (wc_json_object_get (o, "authorities") != NULL)
    c->authorities = load_selectors (L, o, "authorities", &path);
  if ((member = wc_json_object_get (o, "deadlines")) != NULL)
    {
      Path child = { &path, "deadlines", 0 };

      if (wc_loader_as_object (L, member, &child))
        load_deadlines (L, member, &child, c);
    }
  wc_scenario_set_coordination (L->scenario, c);
}
