/* wc-server-control.c: the control API, for controllers' own tools and a headless exercise: the
 * state, the clock, firing and composing injects, notes, and every record as it happens. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-server-private.h"

static const char *const status_names[] = { "pending", "held", "skipped", "fired" };

static JsonNode *
state_json (WcServer *self)
{
  WcScenario *scenario = wc_engine_get_scenario (self->engine);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "exercise");
  json_builder_add_value (b, wc_server_exercise_json (self));
  json_builder_set_member_name (b, "injects");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_engine_get_n_injects (self->engine); i++)
    {
      const WcInject *inject = wc_engine_get_inject (self->engine, i);
      GPtrArray *teams = wc_engine_get_inject_teams (self->engine, inject->id);
      guint acked = 0, responded = 0;
      gint64 due = wc_engine_get_inject_due (self->engine, inject->id);
      gint64 fired = wc_engine_get_inject_fired_at (self->engine, inject->id);

      for (guint k = 0; k < teams->len; k++)
        {
          const WcTeamInjectState *ts = wc_engine_get_team_state (self->engine, inject->id,
                                                                  g_ptr_array_index (teams, k));

          acked += ts->acknowledged_ms >= 0;
          responded += ts->n_responses > 0;
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, inject->id);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, status_names[wc_engine_get_inject_status (self->engine,
                                                                                inject->id)]);
      json_builder_set_member_name (b, "due_ms");
      if (due >= 0)
        json_builder_add_int_value (b, due);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "fired_ms");
      if (fired >= 0)
        json_builder_add_int_value (b, fired);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "teams");
      json_builder_add_int_value (b, teams->len);
      json_builder_set_member_name (b, "acknowledged");
      json_builder_add_int_value (b, acked);
      json_builder_set_member_name (b, "responded");
      json_builder_add_int_value (b, responded);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "teams");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    {
      const WcTeam *team = wc_scenario_get_team (scenario, i);
      gint64 seen = wc_server_get_team_last_seen (self, team->id);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, team->id);
      json_builder_set_member_name (b, "connected");
      json_builder_add_boolean_value (b, wc_server_is_team_connected (self, team->id));
      json_builder_set_member_name (b, "last_seen");
      if (seen > 0)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (seen / G_USEC_PER_SEC);
          g_autofree char *iso = g_date_time_format_iso8601 (dt);

          json_builder_add_string_value (b, iso);
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
reply_state_when_durable (WcServer          *self,
                          SoupServerMessage *msg,
                          guint              status)
{
  wc_server_reply_when_durable (self, msg, status, wc_server_exercise_json (self));
}

static gboolean
require_post (SoupServerMessage *msg)
{
  if (strcmp (soup_server_message_get_method (msg), "POST") == 0)
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
  wc_server_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Use POST here"));
  return FALSE;
}

static void
handle_clock (WcServer          *self,
              SoupServerMessage *msg,
              const char        *action)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (strcmp (action, "start") == 0)
    ok = wc_engine_start (self->engine, &error);
  else if (strcmp (action, "pause") == 0)
    ok = wc_engine_pause (self->engine, &error);
  else if (strcmp (action, "resume") == 0)
    ok = wc_engine_resume_clock (self->engine, &error);
  else
    ok = wc_engine_end (self->engine, "controller", &error);
  if (!ok)
    wc_server_reply_engine_error (msg, error);
  else
    reply_state_when_durable (self, msg, SOUP_STATUS_OK);
}

static void
handle_speed (WcServer          *self,
              SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = wc_server_read_json_body (msg);
  g_autoptr(GError) error = NULL;
  JsonNode *speed;

  if (body == NULL)
    return;
  speed = json_object_get_member (body, "speed");
  if (speed == NULL || !JSON_NODE_HOLDS_VALUE (speed) ||
      (json_node_get_value_type (speed) != G_TYPE_DOUBLE &&
       json_node_get_value_type (speed) != G_TYPE_INT64))
    {
      wc_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                             _("“speed” must be a number from 0.1 to 100"));
      return;
    }
  if (!wc_engine_set_speed (self->engine, json_node_get_double (speed), &error))
    wc_server_reply_engine_error (msg, error);
  else
    reply_state_when_durable (self, msg, SOUP_STATUS_OK);
}

static void
handle_fire (WcServer          *self,
             SoupServerMessage *msg,
             const char        *inject_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = json_object_new ();
  JsonNode *node;

  if (!wc_engine_fire_inject (self->engine, inject_id, &error))
    {
      wc_server_reply_engine_error (msg, error);
      return;
    }
  json_object_set_string_member (reply, "inject", inject_id);
  json_object_set_string_member (reply, "status", "fired");
  node = json_node_init_object (json_node_alloc (), reply);
  wc_server_reply_when_durable (self, msg, SOUP_STATUS_OK, node);
}

static const char *
string_member (JsonObject *body,
               const char *name,
               gboolean   *bad)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *bad = TRUE;
      return NULL;
    }
  return json_node_get_string (node);
}

static void
handle_adhoc (WcServer          *self,
              SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = wc_server_read_json_body (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) to = g_ptr_array_new_null_terminated (0, NULL, TRUE);
  g_autoptr(JsonObject) reply = json_object_new ();
  g_autofree char *id = NULL;
  const char *title, *text, *channel_name, *tlp_name;
  WcChannel channel = WC_CHANNEL_EMAIL;
  WcTlp tlp;
  JsonNode *to_node;
  gboolean bad = FALSE, all = FALSE;

  if (body == NULL)
    return;
  title = string_member (body, "title", &bad);
  text = string_member (body, "body", &bad);
  channel_name = string_member (body, "channel", &bad);
  tlp_name = string_member (body, "tlp", &bad);
  tlp = wc_scenario_get_tlp (wc_engine_get_scenario (self->engine));
  to_node = json_object_get_member (body, "to");
  if (to_node && JSON_NODE_HOLDS_VALUE (to_node) &&
      g_strcmp0 (json_node_get_string (to_node), "all") == 0)
    all = TRUE;
  else if (to_node && JSON_NODE_HOLDS_ARRAY (to_node))
    {
      JsonArray *array = json_node_get_array (to_node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
            bad = TRUE;
          else
            g_ptr_array_add (to, (gpointer) json_node_get_string (e));
        }
    }
  else
    bad = TRUE;
  if (bad || (channel_name && !wc_channel_from_string (channel_name, &channel)) ||
      (tlp_name && !wc_tlp_from_string (tlp_name, &tlp)))
    {
      wc_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                             _("Send {\"title\": TEXT, \"body\": TEXT, \"to\": \"all\" or [TEAM…], "
                               "\"channel\": CHANNEL, \"tlp\": TLP}"));
      return;
    }
  id = wc_engine_send_adhoc (self->engine, title, text, channel,
                             all ? NULL : (const char *const *) to->pdata, tlp, &error);
  if (id == NULL)
    {
      wc_server_reply_engine_error (msg, error);
      return;
    }
  json_object_set_string_member (reply, "id", id);
  wc_server_reply_when_durable (self, msg, SOUP_STATUS_CREATED,
                                json_node_init_object (json_node_alloc (), reply));
}

static void
handle_note (WcServer          *self,
             SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = wc_server_read_json_body (msg);
  g_autoptr(GError) error = NULL;
  gboolean bad = FALSE;
  const char *text;

  if (body == NULL)
    return;
  text = string_member (body, "text", &bad);
  if (bad || !wc_engine_add_note (self->engine, text, &error))
    {
      if (error)
        wc_server_reply_engine_error (msg, error);
      else
        wc_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("Send {\"text\": TEXT}"));
      return;
    }
  reply_state_when_durable (self, msg, SOUP_STATUS_CREATED);
}

gboolean
wc_server_handle_control (WcServer          *self,
                          SoupServerMessage *msg,
                          char             **rest,
                          GHashTable        *query)
{
  guint n = g_strv_length (rest);
  const char *method = soup_server_message_get_method (msg);

  if (n == 1 && strcmp (rest[0], "state") == 0)
    {
      g_autoptr(JsonNode) node = NULL;

      if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0)
        {
          wc_server_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Use GET here"));
          return TRUE;
        }
      node = state_json (self);
      wc_server_reply_json (msg, SOUP_STATUS_OK, node);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "events") == 0)
    {
      const char *last = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                       "Last-Event-ID");
      guint64 last_id = 0;

      if (strcmp (method, "GET") != 0)
        wc_server_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Use GET here"));
      else
        {
          if (last)
            g_ascii_string_to_unsigned (last, 10, 0, G_MAXUINT64, &last_id, NULL);
          wc_server_open_stream (self, msg, NULL, NULL, last_id);
        }
      return TRUE;
    }
  if (n == 1 && (strcmp (rest[0], "start") == 0 || strcmp (rest[0], "pause") == 0 ||
                 strcmp (rest[0], "resume") == 0 || strcmp (rest[0], "end") == 0))
    {
      if (require_post (msg))
        handle_clock (self, msg, rest[0]);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "speed") == 0)
    {
      if (require_post (msg))
        handle_speed (self, msg);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "notes") == 0)
    {
      if (require_post (msg))
        handle_note (self, msg);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "injects") == 0)
    {
      if (require_post (msg))
        handle_adhoc (self, msg);
      return TRUE;
    }
  if (n == 3 && strcmp (rest[0], "injects") == 0 && strcmp (rest[2], "fire") == 0)
    {
      if (require_post (msg))
        handle_fire (self, msg, rest[1]);
      return TRUE;
    }
  return FALSE;
}
