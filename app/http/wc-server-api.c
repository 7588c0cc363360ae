/* wc-server-api.c: the teams' API: who am I, my injects, acknowledge, respond, attachments, events.
 * A team only ever sees what reached it; anything else is 404, so that existence is not told. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-server-private.h"

static void
add_ms_or_null (JsonBuilder *b,
                const char  *name,
                gint64       ms)
{
  json_builder_set_member_name (b, name);
  if (ms >= 0)
    json_builder_add_int_value (b, ms);
  else
    json_builder_add_null_value (b);
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
build_team_state (JsonBuilder             *b,
                  const WcTeamInjectState *ts)
{
  json_builder_begin_object (b);
  add_ms_or_null (b, "delivered_ms", ts->delivered_ms);
  add_ms_or_null (b, "acknowledged_ms", ts->acknowledged_ms);
  json_builder_set_member_name (b, "responses");
  json_builder_begin_array (b);
  for (guint i = 0; i < ts->responses->len; i++)
    {
      const WcResponse *r = g_ptr_array_index (ts->responses, i);

      json_builder_begin_object (b);
      add_string_or_null (b, "text", r->text);
      add_string_or_null (b, "option", r->option);
      json_builder_set_member_name (b, "t_ms");
      json_builder_add_int_value (b, r->t_ms);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

JsonNode *
wc_server_team_state_json (WcServer   *self,
                           const char *inject_id,
                           const char *team)
{
  const WcTeamInjectState *ts = wc_engine_get_team_state (self->engine, inject_id, team);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (ts != NULL, NULL);
  build_team_state (b, ts);
  return json_builder_get_root (b);
}

JsonNode *
wc_server_inject_json (WcServer   *self,
                       const char *inject_id,
                       const char *team,
                       const char *lang)
{
  WcScenario *scenario = wc_engine_get_scenario (self->engine);
  const char *fallback = wc_scenario_get_default_language (scenario);
  const WcInject *inject = wc_engine_find_inject (self->engine, inject_id);
  const WcTeamInjectState *ts = wc_engine_get_team_state (self->engine, inject_id, team);
  const WcActor *actor = inject ? wc_scenario_find_actor (scenario, inject->from) : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (inject != NULL && ts != NULL, NULL);
  json_builder_begin_object (b);
  add_string_or_null (b, "id", inject->id);
  add_string_or_null (b, "channel", wc_channel_to_string (inject->channel));
  add_string_or_null (b, "sender", actor ? wc_text_get (actor->name, lang, fallback) : NULL);
  add_ms_or_null (b, "fired_ms", wc_engine_get_inject_fired_at (self->engine, inject_id));
  add_string_or_null (b, "tlp", wc_tlp_to_string (inject->tlp));
  add_string_or_null (b, "title", wc_text_get (inject->title, lang, fallback));
  add_string_or_null (b, "body", wc_text_get (inject->body, lang, fallback));
  json_builder_set_member_name (b, "attachments");
  json_builder_begin_array (b);
  for (guint i = 0; i < inject->attachments->len; i++)
    {
      const WcAttachment *a = g_ptr_array_index (inject->attachments, i);
      g_autofree char *name = g_path_get_basename (a->file);
      g_autofree char *escaped_id = g_uri_escape_string (inject->id, NULL, TRUE);
      g_autofree char *url = g_strdup_printf ("/api/v1/injects/%s/attachments/%u", escaped_id, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, i);
      add_string_or_null (b, "name", name);
      add_string_or_null (b, "media_type", a->media_type);
      add_string_or_null (b, "title", a->title ? wc_text_get (a->title, lang, fallback) : NULL);
      add_string_or_null (b, "url", url);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "options");
  json_builder_begin_array (b);
  for (guint i = 0; i < inject->options->len; i++)
    {
      const WcDecisionOption *o = g_ptr_array_index (inject->options, i);

      json_builder_begin_object (b);
      add_string_or_null (b, "id", o->id);
      add_string_or_null (b, "text", wc_text_get (o->text, lang, fallback));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "state");
  build_team_state (b, ts);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
wc_server_exercise_json (WcServer *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string_or_null (b, "state", wc_engine_state_to_string (wc_engine_get_state (self->engine)));
  json_builder_set_member_name (b, "time_ms");
  json_builder_add_int_value (b, wc_engine_get_time (self->engine));
  json_builder_set_member_name (b, "speed");
  json_builder_add_double_value (b, wc_engine_get_speed (self->engine));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
require_method (SoupServerMessage *msg,
                const char        *method)
{
  if (strcmp (soup_server_message_get_method (msg), method) == 0 ||
      (strcmp (method, "GET") == 0 && strcmp (soup_server_message_get_method (msg), "HEAD") == 0))
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", method);
  wc_server_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Use %s here"), method);
  return FALSE;
}

static void
handle_me (WcServer          *self,
           SoupServerMessage *msg,
           const char        *team_id,
           const char        *lang)
{
  WcScenario *scenario = wc_engine_get_scenario (self->engine);
  const char *fallback = wc_scenario_get_default_language (scenario);
  const WcTeam *team = wc_scenario_find_team (scenario, team_id);
  const char *const *langs = wc_scenario_get_languages (scenario);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "team");
  json_builder_begin_object (b);
  add_string_or_null (b, "id", team->id);
  add_string_or_null (b, "name", wc_text_get (team->name, lang, fallback));
  add_string_or_null (b, "kind", wc_team_kind_to_string (team->kind));
  add_string_or_null (b, "language", team->language);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "exercise");
  json_builder_begin_object (b);
  add_string_or_null (b, "id", wc_scenario_get_id (scenario));
  add_string_or_null (b, "title", wc_text_get (wc_scenario_get_title (scenario), lang, fallback));
  add_string_or_null (b, "tlp", wc_tlp_to_string (wc_scenario_get_tlp (scenario)));
  json_builder_set_member_name (b, "languages");
  json_builder_begin_array (b);
  for (guint i = 0; langs[i]; i++)
    json_builder_add_string_value (b, langs[i]);
  json_builder_end_array (b);
  add_string_or_null (b, "default_language", fallback);
  add_string_or_null (b, "language", lang);
  add_string_or_null (b, "state", wc_engine_state_to_string (wc_engine_get_state (self->engine)));
  json_builder_set_member_name (b, "time_ms");
  json_builder_add_int_value (b, wc_engine_get_time (self->engine));
  json_builder_set_member_name (b, "speed");
  json_builder_add_double_value (b, wc_engine_get_speed (self->engine));
  json_builder_end_object (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  wc_server_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
handle_list (WcServer          *self,
             SoupServerMessage *msg,
             const char        *team,
             const char        *lang)
{
  GPtrArray *ids = wc_engine_get_team_injects (self->engine, team);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; ids && i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);

      /* Listed is delivered: the team's tool has it now. */
      wc_engine_mark_delivered (self->engine, id, team, "api", NULL);
      json_array_add_element (array, wc_server_inject_json (self, id, team, lang));
    }
  json_object_set_array_member (root, "injects", g_steal_pointer (&array));
  json_node_set_object (node, root);
  wc_server_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
handle_ack (WcServer          *self,
            SoupServerMessage *msg,
            const char        *team,
            const char        *inject_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = json_object_new ();
  JsonNode *node;

  if (!wc_engine_acknowledge (self->engine, inject_id, team, &error))
    {
      wc_server_reply_engine_error (msg, error);
      return;
    }
  json_object_set_string_member (reply, "inject", inject_id);
  json_object_set_int_member (reply, "acknowledged_ms",
                              wc_engine_get_team_state (self->engine, inject_id, team)->acknowledged_ms);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, reply);
  wc_server_reply_when_durable (self, msg, SOUP_STATUS_OK, node);
}

static void
handle_respond (WcServer          *self,
                SoupServerMessage *msg,
                const char        *team,
                const char        *inject_id)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = json_object_new ();
  JsonObject *response;
  const WcTeamInjectState *ts;
  const WcResponse *last;
  const char *text = NULL, *option = NULL;
  JsonNode *member, *node;

  /* Unknown injects are 404 before the body is even looked at. */
  if (wc_engine_get_team_state (self->engine, inject_id, team) == NULL)
    {
      wc_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such inject"));
      return;
    }
  if ((body = wc_server_read_json_body (msg)) == NULL)
    return;
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "text" : "option";

      member = json_object_get_member (body, name);
      if (member == NULL || JSON_NODE_HOLDS_NULL (member))
        continue;
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        {
          wc_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("“%s” must be a string"), name);
          return;
        }
      if (i == 0)
        text = json_node_get_string (member);
      else
        option = json_node_get_string (member);
    }
  if (!wc_engine_respond (self->engine, inject_id, team, text, option, &error))
    {
      wc_server_reply_engine_error (msg, error);
      return;
    }
  ts = wc_engine_get_team_state (self->engine, inject_id, team);
  last = g_ptr_array_index (ts->responses, ts->responses->len - 1);
  response = json_object_new ();
  if (last->text)
    json_object_set_string_member (response, "text", last->text);
  else
    json_object_set_null_member (response, "text");
  if (last->option)
    json_object_set_string_member (response, "option", last->option);
  else
    json_object_set_null_member (response, "option");
  json_object_set_int_member (response, "t_ms", last->t_ms);
  json_object_set_string_member (reply, "inject", inject_id);
  json_object_set_object_member (reply, "response", response);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, reply);
  wc_server_reply_when_durable (self, msg, SOUP_STATUS_CREATED, node);
}

static void
handle_attachment (WcServer          *self,
                   SoupServerMessage *msg,
                   const char        *team,
                   const char        *inject_id,
                   const char        *index_str)
{
  const WcInject *inject = wc_engine_find_inject (self->engine, inject_id);
  WcScenario *scenario = wc_engine_get_scenario (self->engine);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *disposition = NULL;
  g_autofree char *data = NULL;
  const WcAttachment *a;
  guint64 index;
  gsize length;

  if (wc_engine_get_team_state (self->engine, inject_id, team) == NULL ||
      !g_ascii_string_to_unsigned (index_str, 10, 0, G_MAXUINT, &index, NULL) ||
      index >= inject->attachments->len || wc_scenario_get_path (scenario) == NULL)
    {
      wc_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such attachment"));
      return;
    }
  a = g_ptr_array_index (inject->attachments, index);
  dir = g_path_get_dirname (wc_scenario_get_path (scenario));
  path = g_build_filename (dir, a->file, NULL);
  if (!g_file_get_contents (path, &data, &length, NULL))
    {
      wc_server_reply_error (msg, SOUP_STATUS_NOT_FOUND,
                             _("The attachment's file is gone from the controller's machine"));
      return;
    }
  name = g_path_get_basename (a->file);
  disposition = g_strdup_printf ("attachment; filename=\"%s\"", name);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Disposition", disposition);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Security-Policy", "sandbox");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, a->media_type, SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&data), length);
}

gboolean
wc_server_handle_team (WcServer          *self,
                       SoupServerMessage *msg,
                       const char        *team,
                       char             **rest,
                       GHashTable        *query)
{
  guint n = g_strv_length (rest);
  const char *lang = wc_server_pick_language (self, query, team);

  if (n == 1 && strcmp (rest[0], "me") == 0)
    {
      if (require_method (msg, "GET"))
        handle_me (self, msg, team, lang);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "injects") == 0)
    {
      if (require_method (msg, "GET"))
        handle_list (self, msg, team, lang);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "events") == 0)
    {
      const char *last = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                       "Last-Event-ID");
      guint64 last_id = 0;

      if (last == NULL && query)
        last = g_hash_table_lookup (query, "last_event_id");
      if (last && !g_ascii_string_to_unsigned (last, 10, 0, G_MAXUINT64, &last_id, NULL))
        last_id = 0;
      if (require_method (msg, "GET"))
        wc_server_open_stream (self, msg, team, lang, last_id);
      return TRUE;
    }
  if (n == 3 && strcmp (rest[0], "injects") == 0 && strcmp (rest[2], "ack") == 0)
    {
      if (require_method (msg, "POST"))
        handle_ack (self, msg, team, rest[1]);
      return TRUE;
    }
  if (n == 3 && strcmp (rest[0], "injects") == 0 && strcmp (rest[2], "responses") == 0)
    {
      if (require_method (msg, "POST"))
        handle_respond (self, msg, team, rest[1]);
      return TRUE;
    }
  if (n == 4 && strcmp (rest[0], "injects") == 0 && strcmp (rest[2], "attachments") == 0)
    {
      if (require_method (msg, "GET"))
        handle_attachment (self, msg, team, rest[1], rest[3]);
      return TRUE;
    }
  return FALSE;
}
