/* wc-server-control.c: the control API, for controllers' own tools and a headless exercise: the
 * state, the clock, firing and composing injects, notes, and every record as it happens; and who
 * of the staff may do what. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-http.h"
#include "wc-json-views.h"
#include "wc-server-control.h"

static void
reply_state_when_durable (WcEngine          *engine,
                          SoupServerMessage *msg,
                          guint              status)
{
  wc_http_reply_when_durable (engine, msg, status, wc_json_views_exercise (engine));
}

static void
handle_clock (WcEngine          *engine,
              SoupServerMessage *msg,
              const char        *action)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (strcmp (action, "start") == 0)
    ok = wc_engine_start (engine, &error);
  else if (strcmp (action, "pause") == 0)
    ok = wc_engine_pause (engine, &error);
  else if (strcmp (action, "resume") == 0)
    ok = wc_engine_resume_clock (engine, &error);
  else
    ok = wc_engine_end (engine, "controller", &error);
  if (!ok)
    wc_http_reply_engine_error (msg, error);
  else
    reply_state_when_durable (engine, msg, SOUP_STATUS_OK);
}

static void
handle_speed (WcEngine          *engine,
              SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = wc_http_read_json_body (msg);
  g_autoptr(GError) error = NULL;
  JsonNode *speed;

  if (body == NULL)
    return;
  speed = json_object_get_member (body, "speed");
  if (speed == NULL || !JSON_NODE_HOLDS_VALUE (speed) ||
      (json_node_get_value_type (speed) != G_TYPE_DOUBLE &&
       json_node_get_value_type (speed) != G_TYPE_INT64))
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                           _("“speed” must be a number from 0.1 to 100"));
      return;
    }
  if (!wc_engine_set_speed (engine, json_node_get_double (speed), &error))
    wc_http_reply_engine_error (msg, error);
  else
    reply_state_when_durable (engine, msg, SOUP_STATUS_OK);
}

static void
handle_fire (WcEngine          *engine,
             SoupServerMessage *msg,
             const char        *inject_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = json_object_new ();
  JsonNode *node;

  if (!wc_engine_fire_inject (engine, inject_id, &error))
    {
      wc_http_reply_engine_error (msg, error);
      return;
    }
  json_object_set_string_member (reply, "inject", inject_id);
  json_object_set_string_member (reply, "status", "fired");
  node = json_node_init_object (json_node_alloc (), reply);
  wc_http_reply_when_durable (engine, msg, SOUP_STATUS_OK, node);
}

static void
handle_adhoc (WcEngine          *engine,
              SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = wc_http_read_json_body (msg);
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
  title = wc_http_get_string (body, "title", &bad);
  text = wc_http_get_string (body, "body", &bad);
  channel_name = wc_http_get_string (body, "channel", &bad);
  tlp_name = wc_http_get_string (body, "tlp", &bad);
  tlp = wc_scenario_get_tlp (wc_engine_get_scenario (engine));
  to_node = json_object_get_member (body, "to");
  if (to_node && JSON_NODE_HOLDS_VALUE (to_node) &&
      g_strcmp0 (json_node_get_string (to_node), "all") == 0)
    all = TRUE;
  /* an empty list is no team, not every team (the engine reads no list as all) */
  else if (to_node && JSON_NODE_HOLDS_ARRAY (to_node) &&
           json_array_get_length (json_node_get_array (to_node)) > 0)
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
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                           _("Send {\"title\": TEXT, \"body\": TEXT, \"to\": \"all\" or [TEAM…], "
                             "\"channel\": CHANNEL, \"tlp\": TLP}"));
      return;
    }
  id = wc_engine_send_adhoc (engine, title, text, channel,
                             all ? NULL : (const char *const *) to->pdata, tlp, &error);
  if (id == NULL)
    {
      wc_http_reply_engine_error (msg, error);
      return;
    }
  json_object_set_string_member (reply, "id", id);
  wc_http_reply_when_durable (engine, msg, SOUP_STATUS_CREATED,
                              json_node_init_object (json_node_alloc (), reply));
}

static void
handle_note (WcEngine          *engine,
             SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = wc_http_read_json_body (msg);
  g_autoptr(GError) error = NULL;
  gboolean bad = FALSE;
  const char *text;

  if (body == NULL)
    return;
  text = wc_http_get_string (body, "text", &bad);
  if (bad || !wc_engine_add_note (engine, text, &error))
    {
      if (error)
        wc_http_reply_engine_error (msg, error);
      else
        wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("Send {\"text\": TEXT}"));
      return;
    }
  reply_state_when_durable (engine, msg, SOUP_STATUS_CREATED);
}

gboolean
wc_server_control_allow (SoupServerMessage *msg,
                         const WcStaff     *caller,
                         WcStaffPermission  permission)
{
  /* the roles' table of docs/API.md, a row per role */
  static const guint allowed[] = {
    [WC_STAFF_DIRECTOR] = 1 << WC_STAFF_CAN_READ | 1 << WC_STAFF_CAN_RUN | 1 << WC_STAFF_CAN_JUDGE |
                          1 << WC_STAFF_CAN_MANAGE,
    [WC_STAFF_CONTROLLER] = 1 << WC_STAFF_CAN_READ | 1 << WC_STAFF_CAN_RUN,
    [WC_STAFF_EVALUATOR] = 1 << WC_STAFF_CAN_READ | 1 << WC_STAFF_CAN_JUDGE,
    [WC_STAFF_OBSERVER] = 1 << WC_STAFF_CAN_READ,
  };
  static const char *const what[] = {
    [WC_STAFF_CAN_READ] = N_("read the exercise"),
    [WC_STAFF_CAN_RUN] = N_("run the clock, injects and notes"),
    [WC_STAFF_CAN_JUDGE] = N_("judge, observe or rate"),
    [WC_STAFF_CAN_MANAGE] = N_("add staff"),
  };
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (caller->role <= WC_STAFF_OBSERVER, FALSE);
  if (allowed[caller->role] & 1 << permission)
    return TRUE;
  message = g_strdup_printf (_("The role “%s” may not %s"),
                             wc_staff_role_to_string (caller->role), _(what[permission]));
  reply = json_object_new ();
  json_object_set_string_member (reply, "error", message);
  json_object_set_string_member (reply, "role", wc_staff_role_to_string (caller->role));
  node = json_node_init_object (json_node_alloc (), reply);
  wc_http_reply_json (msg, SOUP_STATUS_FORBIDDEN, node);
  return FALSE;
}

/* The method, then the role: TRUE when @msg may go on; else it has been answered. */
static gboolean
require (SoupServerMessage *msg,
         const char        *method,
         const WcStaff     *caller,
         WcStaffPermission  permission)
{
  return wc_http_require_method (msg, method) && wc_server_control_allow (msg, caller, permission);
}

gboolean
wc_server_control_handle (WcEngine          *engine,
                          WcSse             *sse,
                          WcPresence        *presence,
                          const WcStaff     *caller,
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
          wc_http_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Use GET here"));
          return TRUE;
        }
      node = wc_json_views_control_state (engine, presence);
      wc_http_reply_json (msg, SOUP_STATUS_OK, node);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "events") == 0)
    {
      const char *last = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                       "Last-Event-ID");
      guint64 last_id = 0;

      if (strcmp (method, "GET") != 0)
        wc_http_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Use GET here"));
      else
        {
          if (last)
            g_ascii_string_to_unsigned (last, 10, 0, G_MAXUINT64, &last_id, NULL);
          wc_sse_open (sse, msg, NULL, NULL, last_id);
        }
      return TRUE;
    }
  if (n == 1 && (strcmp (rest[0], "start") == 0 || strcmp (rest[0], "pause") == 0 ||
                 strcmp (rest[0], "resume") == 0 || strcmp (rest[0], "end") == 0))
    {
      if (require (msg, "POST", caller, WC_STAFF_CAN_RUN))
        handle_clock (engine, msg, rest[0]);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "speed") == 0)
    {
      if (require (msg, "POST", caller, WC_STAFF_CAN_RUN))
        handle_speed (engine, msg);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "notes") == 0)
    {
      if (require (msg, "POST", caller, WC_STAFF_CAN_RUN))
        handle_note (engine, msg);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "injects") == 0)
    {
      if (require (msg, "POST", caller, WC_STAFF_CAN_RUN))
        handle_adhoc (engine, msg);
      return TRUE;
    }
  if (n == 3 && strcmp (rest[0], "injects") == 0 && strcmp (rest[2], "fire") == 0)
    {
      if (require (msg, "POST", caller, WC_STAFF_CAN_RUN))
        handle_fire (engine, msg, rest[1]);
      return TRUE;
    }
  return FALSE;
}
