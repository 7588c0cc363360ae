/* wc-live-traffic.c: the teams' traffic as conversations for the controller's window, and the
 * feed's line for each traffic record. Made from the records alone. */
#define G_LOG_DOMAIN "wc-live"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-live-private.h"
#include "wc-live-traffic.h"

/* Helpers on a record's data ------------------------------------------------------------------ */

static JsonObject *
object_member (JsonObject *data,
               const char *name)
{
  JsonNode *node = data ? json_object_get_member (data, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *data,
              const char *name)
{
  JsonNode *node = data ? json_object_get_member (data, name) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* A warning's texts in the scenario's language, else in the first the CSIRT wrote. */
static JsonObject *
warning_text (WcScenario *scenario,
              JsonObject *data)
{
  JsonObject *texts = object_member (data, "texts");
  JsonObject *text = object_member (texts, wc_scenario_get_default_language (scenario));
  g_autoptr(GList) langs = NULL;

  if (text == NULL && texts && (langs = json_object_get_members (texts)) != NULL)
    text = object_member (texts, langs->data);
  return text;
}

const char *
wc_live_traffic_subject (WcScenario *scenario,
                         JsonObject *data)
{
  const char *s;

  if ((s = wc_record_get_string (data, "subject")) != NULL ||
      (s = wc_record_get_string (warning_text (scenario, data), "headline")) != NULL ||
      (s = wc_record_get_string (object_member (data, "fields"), "what")) != NULL ||
      (s = wc_record_get_string (object_member (data, "sections"), "situation")) != NULL)
    return s;
  return "";
}

const char *
wc_live_traffic_sender_name (WcScenario *scenario,
                             const char *id)
{
  const char *lang = wc_scenario_get_default_language (scenario);
  const WcTeam *team;
  const WcActor *actor;

  if (id == NULL || *id == '\0')
    /* TRANSLATORS: who sent a warning the controllers issued as an inject */
    return _("Controllers");
  if ((team = wc_scenario_find_team (scenario, id)) != NULL)
    return wc_text_get (team->name, lang, NULL);
  if ((actor = wc_scenario_find_actor (scenario, id)) != NULL)
    return wc_text_get (actor->name, lang, NULL);
  return id;
}

static const char *
sender_of (JsonObject *data)
{
  const char *from = wc_record_get_string (data, "from");

  return from ? from : wc_record_get_string (data, "from_actor");
}

/* "National CSIRT, Elia, Fluxys and 4 others" */
static char *
recipient_names (WcScenario *scenario,
                 JsonArray  *to)
{
  guint n = to ? json_array_get_length (to) : 0;
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < MIN (n, 3); i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "",
                            wc_live_traffic_sender_name (scenario,
                                                         json_array_get_string_element (to, i)));
  if (n > 3)
    /* TRANSLATORS: recipients of a message: "National CSIRT, Elia, Fluxys and 4 others" */
    return g_strdup_printf (ngettext ("%s and %u other", "%s and %u others", n - 3), names->str,
                            n - 3);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static const char *
stage_label (const char *stage)
{
  WcNotificationStage s;

  if (!wc_notification_stage_from_string (stage, &s))
    return stage ? stage : "";
  switch (s)
    {
    case WC_STAGE_EARLY_WARNING: return _("early warning");
    case WC_STAGE_NOTIFICATION: return _("incident notification");
    case WC_STAGE_FINAL_REPORT:
    default: return _("final report");
    }
}

/* What kind of item it is, in a few words: "reply", "Spear Warning", "situation report 2". */
static char *
kind_label (JsonObject *data)
{
  const char *kind = wc_record_get_string (data, "kind");

  if (g_strcmp0 (kind, "notification") == 0)
    /* TRANSLATORS: "incident notification (early warning)" */
    return g_strdup_printf (_("incident notification (%s)"),
                            stage_label (wc_record_get_string (data, "stage")));
  if (g_strcmp0 (kind, "warning") == 0)
    return g_strdup (g_strcmp0 (wc_record_get_string (data, "form"), "ews") == 0
                     ? _("EWS bulletin") : _("Spear Warning"));
  if (g_strcmp0 (kind, "sitrep") == 0)
    /* TRANSLATORS: "situation report 2": its version */
    return g_strdup_printf (_("situation report %d"), (int) wc_record_get_int (data, "version", 1));
  if (g_strcmp0 (wc_record_get_string (data, "purpose"), "more-information") == 0)
    return g_strdup (_("request for more information"));
  if (wc_record_get_string (data, "in_reply_to"))
    return g_strdup (_("reply"));
  return g_strdup (_("message"));
}

char *
wc_live_traffic_describe (WcScenario   *scenario,
                          WcRecordType  type,
                          JsonObject   *data)
{
  g_autofree char *to = NULL;
  g_autofree char *kind = NULL;
  const char *subject;

  if (type == WC_RECORD_MESSAGE_ACKNOWLEDGED)
    /* TRANSLATORS: "National CSIRT acknowledged M-3" */
    return g_strdup_printf (_("%s acknowledged %s"),
                            wc_live_traffic_sender_name (scenario, wc_record_get_team (data)),
                            wc_record_get_string (data, "message"));
  if (!wc_record_type_has_flag (type, WC_RECORD_FLAG_TRAFFIC))
    return NULL;
  to = recipient_names (scenario, array_member (data, "to"));
  kind = kind_label (data);
  subject = wc_live_traffic_subject (scenario, data);
  if (*subject == '\0')
    /* TRANSLATORS: a line of the feed: "Crisis centre → All: situation report 2 (M-7)" */
    return g_strdup_printf (_("%s → %s: %s (%s)"), wc_live_traffic_sender_name (scenario, sender_of (data)),
                            to, kind, wc_record_get_string (data, "message"));
  /* TRANSLATORS: a line of the feed: "Sint-Elisabeth → National CSIRT: incident notification
   * (early warning) “Ransomware on the HIS” (M-3)" */
  return g_strdup_printf (_("%s → %s: %s “%s” (%s)"), wc_live_traffic_sender_name (scenario, sender_of (data)),
                          to, kind, subject, wc_record_get_string (data, "message"));
}

/* A member's value as text: strings as they are, numbers and booleans in words. */
static char *
value_text (JsonObject *object,
            const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return g_strdup (json_node_get_string (node));
    case G_TYPE_BOOLEAN: return g_strdup (json_node_get_boolean (node) ? _("yes") : _("no"));
    case G_TYPE_INT64: return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    default: return NULL;
    }
}

static void
add_line (GString    *out,
          const char *label,  /* nullable: the value alone */
          char       *value)  /* transfer full, nullable */
{
  if (value == NULL || *value == '\0')
    {
      g_free (value);
      return;
    }
  if (out->len)
    g_string_append_c (out, '\n');
  if (label)
    /* TRANSLATORS: a field of a notification, warning or situation report: "Severity: high" */
    g_string_append_printf (out, _("%s: %s"), label, value);
  else
    g_string_append (out, value);
  g_free (value);
}

/* The whole item as text, for the thread. */
static char *
body_of (WcScenario *scenario,
         JsonObject *data)
{
  const char *kind = wc_record_get_string (data, "kind");
  g_autoptr(GString) out = g_string_new (NULL);
  JsonObject *o;
  JsonArray *indicators;

  if (g_strcmp0 (kind, "notification") == 0 && (o = object_member (data, "fields")))
    {
      add_line (out, _("What happened"), value_text (o, "what"));
      add_line (out, _("Detected at"), value_text (o, "detected_at"));
      add_line (out, _("Suspected malicious"), value_text (o, "malicious"));
      add_line (out, _("Cross-border impact"), value_text (o, "cross_border"));
      add_line (out, _("Services affected"), value_text (o, "services"));
      add_line (out, _("Users affected"), value_text (o, "users_affected"));
      add_line (out, _("Severity"), value_text (o, "severity"));
      add_line (out, _("Indicators of compromise"), value_text (o, "iocs"));
      add_line (out, _("Measures taken"), value_text (o, "measures"));
      add_line (out, _("Contact"), value_text (o, "contact"));
    }
  else if (g_strcmp0 (kind, "warning") == 0)
    {
      o = warning_text (scenario, data);
      add_line (out, NULL, value_text (o, "description"));
      add_line (out, _("Advice"), value_text (o, "instruction"));
      add_line (out, _("Affected asset"), value_text (data, "asset"));
      indicators = array_member (data, "indicators");
      for (guint i = 0; indicators && i < json_array_get_length (indicators); i++)
        {
          JsonObject *ind = json_array_get_object_element (indicators, i);

          /* TRANSLATORS: an indicator of a warning: "Indicator: domain evil.example" */
          add_line (out, _("Indicator"),
                    g_strdup_printf ("%s %s", ind ? json_object_get_string_member_with_default (ind, "type", "") : "",
                                     ind ? json_object_get_string_member_with_default (ind, "value", "") : ""));
        }
    }
  else if (g_strcmp0 (kind, "sitrep") == 0 && (o = object_member (data, "sections")))
    {
      add_line (out, _("Situation"), value_text (o, "situation"));
      add_line (out, _("Decisions"), value_text (o, "decisions"));
      add_line (out, _("Actions"), value_text (o, "actions"));
      add_line (out, _("Next meeting"), value_text (o, "next_meeting"));
      add_line (out, _("Public line"), value_text (o, "public_line"));
    }
  else
    add_line (out, NULL, value_text (data, "body"));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* WcLiveMessage ------------------------------------------------------------------------------- */

typedef struct {
  char   *team;
  gint64  t_ms;  /* -1: waiting */
} Recipient;

struct _WcLiveMessage {
  GObject     parent_instance;
  char       *id;
  char       *kind;
  gint64      t_ms;
  char       *time;
  char       *from;
  char       *from_name;
  char       *to_names;
  char       *heading;
  char       *subject;
  char       *body;
  char       *acknowledgements;
  GPtrArray  *to;          /* team ids */
  GArray     *recipients;  /* Recipient */
};

enum {
  MSG_PROP_0, MSG_PROP_ID, MSG_PROP_KIND, MSG_PROP_T_MS, MSG_PROP_TIME, MSG_PROP_FROM,
  MSG_PROP_FROM_NAME, MSG_PROP_TO_NAMES, MSG_PROP_HEADING, MSG_PROP_SUBJECT, MSG_PROP_BODY,
  MSG_PROP_ACKNOWLEDGEMENTS, N_MSG_PROPS
};
static GParamSpec *msg_props[N_MSG_PROPS];

G_DEFINE_FINAL_TYPE (WcLiveMessage, wc_live_message, G_TYPE_OBJECT)

static void
recipient_clear (gpointer data)
{
  g_free (((Recipient *) data)->team);
}

static void
wc_live_message_finalize (GObject *object)
{
  WcLiveMessage *self = WC_LIVE_MESSAGE (object);

  g_free (self->id);
  g_free (self->kind);
  g_free (self->time);
  g_free (self->from);
  g_free (self->from_name);
  g_free (self->to_names);
  g_free (self->heading);
  g_free (self->subject);
  g_free (self->body);
  g_free (self->acknowledgements);
  g_ptr_array_unref (self->to);
  g_array_unref (self->recipients);
  G_OBJECT_CLASS (wc_live_message_parent_class)->finalize (object);
}

static void
wc_live_message_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  WcLiveMessage *self = WC_LIVE_MESSAGE (object);

  switch (prop_id)
    {
    case MSG_PROP_ID: g_value_set_string (value, self->id); break;
    case MSG_PROP_KIND: g_value_set_string (value, self->kind); break;
    case MSG_PROP_T_MS: g_value_set_int64 (value, self->t_ms); break;
    case MSG_PROP_TIME: g_value_set_string (value, self->time); break;
    case MSG_PROP_FROM: g_value_set_string (value, self->from); break;
    case MSG_PROP_FROM_NAME: g_value_set_string (value, self->from_name); break;
    case MSG_PROP_TO_NAMES: g_value_set_string (value, self->to_names); break;
    case MSG_PROP_HEADING: g_value_set_string (value, self->heading); break;
    case MSG_PROP_SUBJECT: g_value_set_string (value, self->subject); break;
    case MSG_PROP_BODY: g_value_set_string (value, self->body); break;
    case MSG_PROP_ACKNOWLEDGEMENTS: g_value_set_string (value, self->acknowledgements); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_live_message_class_init (WcLiveMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  static const char *const names[N_MSG_PROPS] = {
    NULL, "id", "kind", NULL, "time", "from", "from-name", "to-names", "heading", "subject",
    "body", "acknowledgements",
  };

  object_class->finalize = wc_live_message_finalize;
  object_class->get_property = wc_live_message_get_property;
  for (guint i = 1; i < N_MSG_PROPS; i++)
    if (names[i])
      msg_props[i] = g_param_spec_string (names[i], NULL, NULL, NULL, flags);
  msg_props[MSG_PROP_T_MS] = g_param_spec_int64 ("t-ms", NULL, NULL, -1, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_MSG_PROPS, msg_props);
}

static void
wc_live_message_init (WcLiveMessage *self)
{
  self->to = g_ptr_array_new_with_free_func (g_free);
  self->recipients = g_array_new (FALSE, TRUE, sizeof (Recipient));
  g_array_set_clear_func (self->recipients, recipient_clear);
}

const char *wc_live_message_get_id (WcLiveMessage *self) { return self->id; }
const char *wc_live_message_get_kind (WcLiveMessage *self) { return self->kind; }
const char *wc_live_message_get_from (WcLiveMessage *self) { return self->from; }
const char *wc_live_message_get_subject (WcLiveMessage *self) { return self->subject; }
const char *wc_live_message_get_heading (WcLiveMessage *self) { return self->heading; }
const char *wc_live_message_get_acknowledgements (WcLiveMessage *self) { return self->acknowledgements; }
GPtrArray *wc_live_message_get_to (WcLiveMessage *self) { return self->to; }

static void
message_sync_acknowledgements (WcLiveMessage *self,
                               WcScenario    *scenario)
{
  g_autoptr(GString) done = g_string_new (NULL);
  g_autoptr(GString) waiting = g_string_new (NULL);
  g_autofree char *text = NULL;

  for (guint i = 0; i < self->recipients->len; i++)
    {
      const Recipient *r = &g_array_index (self->recipients, Recipient, i);
      const char *name = wc_live_traffic_sender_name (scenario, r->team);

      if (r->t_ms >= 0)
        {
          g_autofree char *t = wc_time_format (r->t_ms, FALSE);

          g_autofree char *one = NULL;

          /* TRANSLATORS: who acknowledged and when: "National CSIRT at T+00:13:10" */
          one = g_strdup_printf (_("%s at %s"), name, t);
          g_string_append_printf (done, "%s%s", done->len ? ", " : "", one);
        }
      else
        g_string_append_printf (waiting, "%s%s", waiting->len ? ", " : "", name);
    }
  if (done->len && waiting->len)
    /* TRANSLATORS: "Acknowledged by National CSIRT at T+00:13:10 · waiting for Elia" */
    text = g_strdup_printf (_("Acknowledged by %s · waiting for %s"), done->str, waiting->str);
  else if (done->len)
    text = g_strdup_printf (_("Acknowledged by %s"), done->str);
  else if (waiting->len)
    text = g_strdup_printf (_("Not acknowledged yet: waiting for %s"), waiting->str);
  if (g_strcmp0 (text, self->acknowledgements) != 0)
    {
      g_free (self->acknowledgements);
      self->acknowledgements = g_steal_pointer (&text);
      g_object_notify_by_pspec (G_OBJECT (self), msg_props[MSG_PROP_ACKNOWLEDGEMENTS]);
    }
}

static WcLiveMessage *
message_new (WcScenario *scenario,
             JsonObject *data,
             gint64      t_ms)
{
  WcLiveMessage *self = g_object_new (WC_TYPE_LIVE_MESSAGE, NULL);
  JsonArray *to = array_member (data, "to");
  g_autofree char *kind = kind_label (data);

  self->id = g_strdup (wc_record_get_string (data, "message"));
  self->kind = g_strdup (wc_record_get_string (data, "kind"));
  self->t_ms = t_ms;
  self->time = wc_time_format (t_ms, FALSE);
  self->from = g_strdup (sender_of (data) ? sender_of (data) : "");
  self->from_name = g_strdup (wc_live_traffic_sender_name (scenario, self->from));
  self->to_names = recipient_names (scenario, to);
  /* TRANSLATORS: the heading of a message in a thread: "Sint-Elisabeth → National CSIRT ·
   * incident notification (early warning)" */
  self->heading = g_strdup_printf (_("%s → %s · %s"), self->from_name, self->to_names, kind);
  self->subject = g_strdup (wc_live_traffic_subject (scenario, data));
  self->body = body_of (scenario, data);
  for (guint i = 0; to && i < json_array_get_length (to); i++)
    {
      Recipient r = { g_strdup (json_array_get_string_element (to, i)), -1 };

      if (r.team == NULL)
        continue;
      g_ptr_array_add (self->to, g_strdup (r.team));
      g_array_append_val (self->recipients, r);
    }
  message_sync_acknowledgements (self, scenario);
  return self;
}

/* WcLiveConversation -------------------------------------------------------------------------- */

struct _WcLiveConversation {
  GObject     parent_instance;
  char       *id;
  char       *subject;
  char       *participants;
  char       *time;
  char       *summary;
  guint       n_messages;
  GListStore *messages;
  GPtrArray  *teams;
};

enum {
  CONV_PROP_0, CONV_PROP_ID, CONV_PROP_SUBJECT, CONV_PROP_PARTICIPANTS, CONV_PROP_TIME,
  CONV_PROP_SUMMARY, CONV_PROP_N_MESSAGES, N_CONV_PROPS
};
static GParamSpec *conv_props[N_CONV_PROPS];

G_DEFINE_FINAL_TYPE (WcLiveConversation, wc_live_conversation, G_TYPE_OBJECT)

static void
wc_live_conversation_finalize (GObject *object)
{
  WcLiveConversation *self = WC_LIVE_CONVERSATION (object);

  g_free (self->id);
  g_free (self->subject);
  g_free (self->participants);
  g_free (self->time);
  g_free (self->summary);
  g_object_unref (self->messages);
  g_ptr_array_unref (self->teams);
  G_OBJECT_CLASS (wc_live_conversation_parent_class)->finalize (object);
}

static void
wc_live_conversation_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  WcLiveConversation *self = WC_LIVE_CONVERSATION (object);

  switch (prop_id)
    {
    case CONV_PROP_ID: g_value_set_string (value, self->id); break;
    case CONV_PROP_SUBJECT: g_value_set_string (value, self->subject); break;
    case CONV_PROP_PARTICIPANTS: g_value_set_string (value, self->participants); break;
    case CONV_PROP_TIME: g_value_set_string (value, self->time); break;
    case CONV_PROP_SUMMARY: g_value_set_string (value, self->summary); break;
    case CONV_PROP_N_MESSAGES: g_value_set_uint (value, self->n_messages); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_live_conversation_class_init (WcLiveConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = wc_live_conversation_finalize;
  object_class->get_property = wc_live_conversation_get_property;
  conv_props[CONV_PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  conv_props[CONV_PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, flags);
  conv_props[CONV_PROP_PARTICIPANTS] = g_param_spec_string ("participants", NULL, NULL, NULL, flags);
  conv_props[CONV_PROP_TIME] = g_param_spec_string ("time", NULL, NULL, NULL, flags);
  conv_props[CONV_PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  conv_props[CONV_PROP_N_MESSAGES] = g_param_spec_uint ("n-messages", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_CONV_PROPS, conv_props);
}

static void
wc_live_conversation_init (WcLiveConversation *self)
{
  self->messages = g_list_store_new (WC_TYPE_LIVE_MESSAGE);
  self->teams = g_ptr_array_new_with_free_func (g_free);
}

const char *wc_live_conversation_get_id (WcLiveConversation *self) { return self->id; }
const char *wc_live_conversation_get_subject (WcLiveConversation *self) { return self->subject; }
GListModel *wc_live_conversation_get_messages (WcLiveConversation *self) { return G_LIST_MODEL (self->messages); }
GPtrArray *wc_live_conversation_get_teams (WcLiveConversation *self) { return self->teams; }

static void
add_team (WcLiveConversation *self,
          const char         *team)
{
  for (guint i = 0; i < self->teams->len; i++)
    if (strcmp (g_ptr_array_index (self->teams, i), team) == 0)
      return;
  g_ptr_array_add (self->teams, g_strdup (team));
}

static void
conversation_add (WcLiveConversation *self,
                  WcScenario         *scenario,
                  WcLiveMessage      *message)
{
  g_autoptr(GString) participants = g_string_new (NULL);
  g_autofree char *kind = NULL;

  g_list_store_append (self->messages, message);
  self->n_messages++;
  if (self->id == NULL)
    {
      self->id = g_strdup (message->id);
      self->subject = g_strdup (*message->subject ? message->subject : message->heading);
    }
  if (*message->from && wc_scenario_find_team (scenario, message->from))
    add_team (self, message->from);
  for (guint i = 0; i < message->to->len; i++)
    add_team (self, g_ptr_array_index (message->to, i));
  for (guint i = 0; i < self->teams->len; i++)
    g_string_append_printf (participants, "%s%s", i ? ", " : "",
                            wc_live_traffic_sender_name (scenario, g_ptr_array_index (self->teams, i)));
  g_free (self->participants);
  self->participants = g_string_free (g_steal_pointer (&participants), FALSE);
  g_free (self->time);
  self->time = g_strdup (message->time);
  g_free (self->summary);
  /* TRANSLATORS: a conversation's count of messages and when the last came: "3 messages ·
   * last at T+00:40:00" */
  self->summary = g_strdup_printf (ngettext ("%u message · last at %s", "%u messages · last at %s",
                                             self->n_messages), self->n_messages, self->time);
  for (guint p = CONV_PROP_ID; p < N_CONV_PROPS; p++)
    g_object_notify_by_pspec (G_OBJECT (self), conv_props[p]);
}

/* WcLiveTraffic ------------------------------------------------------------------------------- */

struct _WcLiveTraffic {
  GObject     parent_instance;
  WcEngine   *engine;
  GListStore *conversations;
  GHashTable *messages;       /* id → WcLiveMessage (borrowed from its conversation) */
  GHashTable *conversation_of;/* message id → WcLiveConversation (borrowed) */
  gulong      record_handler;
};

static void wc_live_traffic_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WcLiveTraffic, wc_live_traffic, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, wc_live_traffic_list_model_init))

static GType
wc_live_traffic_get_item_type (GListModel *model)
{
  return WC_TYPE_LIVE_CONVERSATION;
}

static guint
wc_live_traffic_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (WC_LIVE_TRAFFIC (model)->conversations));
}

static gpointer
wc_live_traffic_get_item (GListModel *model,
                          guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (WC_LIVE_TRAFFIC (model)->conversations), position);
}

static void
wc_live_traffic_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = wc_live_traffic_get_item_type;
  iface->get_n_items = wc_live_traffic_get_n_items;
  iface->get_item = wc_live_traffic_get_item;
}

static void
wc_live_traffic_dispose (GObject *object)
{
  WcLiveTraffic *self = WC_LIVE_TRAFFIC (object);

  if (self->engine)
    g_clear_signal_handler (&self->record_handler, self->engine);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (wc_live_traffic_parent_class)->dispose (object);
}

static void
wc_live_traffic_finalize (GObject *object)
{
  WcLiveTraffic *self = WC_LIVE_TRAFFIC (object);

  g_hash_table_unref (self->messages);
  g_hash_table_unref (self->conversation_of);
  g_object_unref (self->conversations);
  G_OBJECT_CLASS (wc_live_traffic_parent_class)->finalize (object);
}

static void
wc_live_traffic_class_init (WcLiveTrafficClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_live_traffic_dispose;
  object_class->finalize = wc_live_traffic_finalize;
}

static void
on_items_changed (GListModel    *store,
                  guint          position,
                  guint          removed,
                  guint          added,
                  WcLiveTraffic *self)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
wc_live_traffic_init (WcLiveTraffic *self)
{
  self->conversations = g_list_store_new (WC_TYPE_LIVE_CONVERSATION);
  self->messages = g_hash_table_new (g_str_hash, g_str_equal);
  self->conversation_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect (self->conversations, "items-changed", G_CALLBACK (on_items_changed), self);
}

static void
traffic_record (WcLiveTraffic *self,
                WcRecordType   type,
                JsonObject    *data,
                gint64         t_ms)
{
  WcScenario *scenario = wc_engine_get_scenario (self->engine);
  const char *id = wc_record_get_string (data, "message");
  g_autoptr(WcLiveMessage) message = NULL;
  g_autoptr(WcLiveConversation) conversation = NULL;
  WcLiveConversation *parent;
  const char *in_reply_to;
  guint position;

  if (id == NULL || !wc_record_type_has_flag (type, WC_RECORD_FLAG_TRAFFIC))
    return;
  if (type == WC_RECORD_MESSAGE_ACKNOWLEDGED)
    {
      WcLiveMessage *acked = g_hash_table_lookup (self->messages, id);
      const char *team = wc_record_get_team (data);

      for (guint i = 0; acked && i < acked->recipients->len; i++)
        {
          Recipient *r = &g_array_index (acked->recipients, Recipient, i);

          if (g_strcmp0 (r->team, team) == 0 && r->t_ms < 0)
            r->t_ms = t_ms;
        }
      if (acked)
        message_sync_acknowledgements (acked, scenario);
      return;
    }
  if (g_hash_table_contains (self->messages, id))
    return;
  message = message_new (scenario, data, t_ms);
  in_reply_to = wc_record_get_string (data, "in_reply_to");
  parent = in_reply_to ? g_hash_table_lookup (self->conversation_of, in_reply_to) : NULL;
  conversation = parent ? g_object_ref (parent) : g_object_new (WC_TYPE_LIVE_CONVERSATION, NULL);
  conversation_add (conversation, scenario, message);
  g_hash_table_insert (self->messages, message->id, message);
  g_hash_table_insert (self->conversation_of, message->id, conversation);
  /* the most recently active first */
  if (parent && g_list_store_find (self->conversations, parent, &position))
    {
      if (position == 0)
        return;
      g_list_store_remove (self->conversations, position);
    }
  g_list_store_insert (self->conversations, 0, conversation);
}

static void
on_record (WcEngine      *engine,
           guint64        seq,
           WcRecordType   type,
           JsonObject    *data,
           gint64         t_ms,
           WcLiveTraffic *self)
{
  traffic_record (self, type, data, t_ms);
}

WcLiveTraffic *
wc_live_traffic_new (WcEngine *engine)
{
  WcLiveTraffic *self = g_object_new (WC_TYPE_LIVE_TRAFFIC, NULL);

  self->engine = g_object_ref (engine);
  wc_live_read_past (engine, (WcLiveRecordFunc) traffic_record, self);
  self->record_handler = g_signal_connect (engine, "record", G_CALLBACK (on_record), self);
  return self;
}

WcLiveConversation *
wc_live_traffic_find (WcLiveTraffic *self,
                      const char    *message_id)
{
  return g_hash_table_lookup (self->conversation_of, message_id);
}

guint
wc_live_traffic_get_n_messages (WcLiveTraffic *self)
{
  return g_hash_table_size (self->messages);
}
