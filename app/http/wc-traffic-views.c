/* wc-traffic-views.c: the teams' traffic as JSON, for one team or for the staff; built from the
 * engine only. A team is shown nothing of an item it neither sent nor received, not even that a
 * reply to something it saw exists. */
#define G_LOG_DOMAIN "wc-json-views"

#include "config.h"

#include <string.h>

#include "wc-traffic-views.h"

gboolean
wc_traffic_views_visible (const WcTrafficItem *item,
                          const char          *team)
{
  if (item == NULL || team == NULL)
    return FALSE;
  if (g_strcmp0 (item->from, team) == 0)
    return TRUE;
  for (guint i = 0; item->to && i < item->to->len; i++)
    if (strcmp (g_ptr_array_index (item->to, i), team) == 0)
      return TRUE;
  return FALSE;
}

const char *
wc_traffic_views_sender_name (WcScenario          *scenario,
                              const WcTrafficItem *item,
                              const char          *lang)
{
  const char *fallback = wc_scenario_get_default_language (scenario);
  const WcTeam *team = item->from ? wc_scenario_find_team (scenario, item->from) : NULL;
  const WcActor *actor = item->from_actor ? wc_scenario_find_actor (scenario, item->from_actor)
                                          : NULL;

  if (team)
    return wc_text_get (team->name, lang, fallback);
  if (actor)
    return wc_text_get (actor->name, lang, fallback);
  return NULL;
}

static void
set_string_or_null (JsonObject *object,
                    const char *name,
                    const char *value)
{
  if (value)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static JsonArray *
string_array (GPtrArray *strings)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strings && i < strings->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (strings, i));
  return array;
}

JsonNode *
wc_traffic_views_item (WcEngine            *engine,
                       const WcTrafficItem *item,
                       const char          *team,
                       const char          *lang)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  JsonObject *object = json_object_new ();
  JsonArray *replies = json_array_new ();
  gint64 *acked = team ? g_hash_table_lookup (item->acknowledged, team) : NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  /* The record's own fields first, so that the view's names below win. Who of the staff
   * issued a warning is the staff's business only, and a sender's Idempotency-Key its own. */
  json_object_iter_init (&iter, item->data);
  while (json_object_iter_next (&iter, &name, &value))
    if (strcmp (name, "message") != 0 && strcmp (name, "seal") != 0 &&
        (team == NULL || (strcmp (name, "by") != 0 && strcmp (name, "key") != 0)))
      json_object_set_member (object, name, json_node_copy (value));

  json_object_set_string_member (object, "id", item->id);
  json_object_set_string_member (object, "kind", wc_traffic_kind_to_string (item->kind));
  set_string_or_null (object, "from", item->from);
  set_string_or_null (object, "from_name", wc_traffic_views_sender_name (scenario, item, lang));
  if (item->from_actor)
    json_object_set_string_member (object, "from_actor", item->from_actor);
  json_object_set_array_member (object, "to", string_array (item->to));
  json_object_set_int_member (object, "t_ms", item->t_ms);
  if (acked)
    json_object_set_int_member (object, "acknowledged_ms", *acked);
  else
    json_object_set_null_member (object, "acknowledged_ms");
  /* the sender sees who has read it, as the staff do; a recipient sees only its own */
  if (team == NULL || g_strcmp0 (item->from, team) == 0)
    {
      JsonObject *all = json_object_new ();
      GHashTableIter hiter;
      gpointer key, ms;

      g_hash_table_iter_init (&hiter, item->acknowledged);
      while (g_hash_table_iter_next (&hiter, &key, &ms))
        json_object_set_int_member (all, key, *(gint64 *) ms);
      json_object_set_object_member (object, "acknowledged", all);
    }
  for (guint i = 0; item->replies && i < item->replies->len; i++)
    {
      const char *id = g_ptr_array_index (item->replies, i);

      if (team == NULL || wc_traffic_views_visible (wc_engine_find_message (engine, id), team))
        json_array_add_string_element (replies, id);
    }
  json_object_set_array_member (object, "replies", replies);
  json_object_set_string_member (object, "marking", wc_exercise_marking (lang));
  if (json_object_has_member (item->data, "attachment"))
    {
      g_autofree char *url = g_strdup_printf ("/api/v1/messages/%s/attachment", item->id);

      json_object_set_string_member (object, "attachment_url", url);
    }
  if (item->kind == WC_TRAFFIC_WARNING)
    {
      g_autofree char *url = g_strdup_printf ("/api/v1/warnings/%s.cap", item->id);

      json_object_set_string_member (object, "cap_url", url);
    }
  return json_node_init_object (json_node_alloc (), object);
}

/* @team's items (all when NULL), in order: the engine's own array or a new one. */
static GPtrArray *
items_of (WcEngine   *engine,
          const char *team)
{
  return team ? wc_engine_get_team_messages (engine, team)
              : g_ptr_array_ref (wc_engine_get_messages (engine));
}

JsonNode *
wc_traffic_views_list (WcEngine   *engine,
                       const char *team,
                       int         kind,
                       const char *lang)
{
  g_autoptr(GPtrArray) items = items_of (engine, team);
  JsonObject *root = json_object_new ();
  JsonArray *array = json_array_new ();

  for (guint i = 0; items && i < items->len; i++)
    {
      const WcTrafficItem *item = g_ptr_array_index (items, i);

      if (kind < 0 || (int) item->kind == kind)
        json_array_add_element (array, wc_traffic_views_item (engine, item, team, lang));
    }
  json_object_set_array_member (root, "items", array);
  return json_node_init_object (json_node_alloc (), root);
}

JsonNode *
wc_traffic_views_sitrep (WcEngine   *engine,
                         const char *team,
                         const char *lang)
{
  g_autoptr(GPtrArray) items = items_of (engine, team);
  JsonObject *root = json_object_new ();
  JsonArray *history = json_array_new ();
  const WcTrafficItem *latest = NULL;

  for (guint i = 0; items && i < items->len; i++)
    {
      const WcTrafficItem *item = g_ptr_array_index (items, i);

      if (item->kind != WC_TRAFFIC_SITREP)
        continue;
      json_array_add_element (history, wc_traffic_views_item (engine, item, team, lang));
      latest = item;
    }
  if (latest)
    json_object_set_member (root, "latest", wc_traffic_views_item (engine, latest, team, lang));
  else
    json_object_set_null_member (root, "latest");
  json_object_set_array_member (root, "history", history);
  return json_node_init_object (json_node_alloc (), root);
}

static JsonObject *
team_contact (const WcTeam *team,
              const char   *lang,
              const char   *fallback)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", team->id);
  set_string_or_null (object, "name", wc_text_get (team->name, lang, fallback));
  json_object_set_string_member (object, "kind", wc_team_kind_to_string (team->kind));
  set_string_or_null (object, "sector", team->sector);
  return object;
}

JsonNode *
wc_traffic_views_contacts (WcEngine   *engine,
                           const char *team_id,
                           const char *lang)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *fallback = wc_scenario_get_default_language (scenario);
  const WcTeam *self = wc_scenario_find_team (scenario, team_id);
  JsonObject *root = json_object_new ();
  JsonArray *may_write = json_array_new ();
  JsonArray *authorities = json_array_new ();
  JsonObject *deadlines = json_object_new ();

  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    {
      const WcTeam *team = wc_scenario_get_team (scenario, i);

      if (wc_scenario_may_write (scenario, team_id, team->id))
        json_array_add_object_element (may_write, team_contact (team, lang, fallback));
      if (strcmp (team->id, team_id) != 0 && wc_scenario_is_authority (scenario, team->id))
        json_array_add_object_element (authorities, team_contact (team, lang, fallback));
    }
  for (guint s = 0; s < WC_N_STAGES; s++)
    {
      gint64 ms = wc_scenario_get_deadline_ms (scenario, s);

      if (ms >= 0)
        json_object_set_int_member (deadlines, wc_notification_stage_to_string (s), ms);
      else
        json_object_set_null_member (deadlines, wc_notification_stage_to_string (s));
    }
  json_object_set_array_member (root, "may_write", may_write);
  json_object_set_array_member (root, "authorities", authorities);
  /* the engine's rules (wc-traffic.h): warnings from CSIRTs, situation reports from the
   * crisis centre */
  json_object_set_boolean_member (root, "can_warn", self && self->kind == WC_TEAM_KIND_CSIRT);
  json_object_set_boolean_member (root, "can_sitrep",
                                  self && self->kind == WC_TEAM_KIND_CRISIS_CENTRE);
  json_object_set_object_member (root, "deadlines", deadlines);
  return json_node_init_object (json_node_alloc (), root);
}
