/* wc-record.c: the record vocabulary's one table: names on disk and what each kind is about. */
#define G_LOG_DOMAIN "wc-engine"

#include "config.h"

#include <string.h>

#include "wc-record.h"

#define CLOCK WC_RECORD_FLAG_CLOCK
#define SCHEDULE WC_RECORD_FLAG_SCHEDULE
#define TEAM WC_RECORD_FLAG_TEAM
#define STATE WC_RECORD_FLAG_STATE
#define SEALED WC_RECORD_FLAG_SEALED
#define TRAFFIC WC_RECORD_FLAG_TRAFFIC

static const struct {
  const char    *name;
  WcRecordFlags  flags;
} vocabulary[WC_RECORD_N_TYPES] = {
  [WC_RECORD_UNKNOWN]             = { NULL, 0 },
  [WC_RECORD_EXERCISE_CREATED]    = { "exercise-created", 0 },
  [WC_RECORD_JOURNAL_REOPENED]    = { "journal-reopened", 0 },
  [WC_RECORD_NOTE]                = { "note", 0 },
  [WC_RECORD_CLOCK_STARTED]       = { "clock-started", CLOCK | STATE },
  [WC_RECORD_CLOCK_PAUSED]        = { "clock-paused", CLOCK | STATE },
  [WC_RECORD_CLOCK_RESUMED]       = { "clock-resumed", CLOCK | STATE },
  [WC_RECORD_CLOCK_JUMPED]        = { "clock-jumped", CLOCK | SCHEDULE | STATE },
  [WC_RECORD_SPEED_CHANGED]       = { "speed-changed", CLOCK | STATE },
  /* the journal's end, for now or for good: sealed, so that what comes before is authenticated */
  [WC_RECORD_PROCESS_STOPPED]     = { "process-stopped", CLOCK | STATE | SEALED },
  [WC_RECORD_EXERCISE_ENDED]      = { "exercise-ended", CLOCK | STATE | SEALED },
  /* Where the clock stood, so that a crash loses at most a few seconds of exercise time; teams
   * do not need it (no CLOCK flag): their pages run the clock from the last clock record. */
  [WC_RECORD_CHECKPOINT]          = { "checkpoint", SEALED },
  [WC_RECORD_ADHOC_CREATED]       = { "adhoc-created", SCHEDULE | STATE },
  [WC_RECORD_INJECT_FIRED]        = { "inject-fired", SCHEDULE | STATE },
  [WC_RECORD_INJECT_HELD]         = { "inject-held", SCHEDULE | STATE },
  [WC_RECORD_INJECT_RELEASED]     = { "inject-released", SCHEDULE | STATE },
  [WC_RECORD_INJECT_SKIPPED]      = { "inject-skipped", SCHEDULE | STATE },
  [WC_RECORD_INJECT_RESCHEDULED]  = { "inject-rescheduled", SCHEDULE | STATE },
  [WC_RECORD_INJECT_DELIVERED]    = { "inject-delivered", TEAM | STATE },
  [WC_RECORD_INJECT_ACKNOWLEDGED] = { "inject-acknowledged", TEAM | STATE },
  [WC_RECORD_RESPONSE]            = { "response", TEAM | STATE },
  [WC_RECORD_ACTION_MET]          = { "action-met", TEAM | STATE },
  [WC_RECORD_WEBHOOK_ATTEMPT]     = { "webhook-attempt", TEAM | STATE },
  [WC_RECORD_ACTION_ASSESSED]     = { "action-assessed", TEAM | STATE },
  [WC_RECORD_OBSERVATION]         = { "observation", 0 },
  [WC_RECORD_OBJECTIVE_RATED]     = { "objective-rated", 0 },
  [WC_RECORD_STAFF_ADDED]         = { "staff-added", STATE },
  [WC_RECORD_FEEDBACK]            = { "feedback", STATE },
  /* for the review only: teams' pages learn nothing from it (no TEAM flag) */
  [WC_RECORD_TEAM_PRESENCE]       = { "team-presence", STATE },
  /* the teams' traffic: not TEAM (that names one team's side of one inject) */
  [WC_RECORD_MESSAGE_SENT]         = { "message-sent", TRAFFIC | STATE },
  [WC_RECORD_NOTIFICATION_FILED]   = { "notification-filed", TRAFFIC | STATE },
  [WC_RECORD_WARNING_ISSUED]       = { "warning-issued", TRAFFIC | STATE },
  [WC_RECORD_SITREP_PUBLISHED]     = { "sitrep-published", TRAFFIC | STATE },
  [WC_RECORD_MESSAGE_ACKNOWLEDGED] = { "message-acknowledged", TRAFFIC | STATE },
};

static GHashTable *
names (void)
{
  static GHashTable *table;

  if (g_once_init_enter (&table))
    {
      GHashTable *t = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 1; i < WC_RECORD_N_TYPES; i++)
        g_hash_table_insert (t, (gpointer) vocabulary[i].name, GUINT_TO_POINTER (i));
      g_once_init_leave (&table, t);
    }
  return table;
}

WcRecordType
wc_record_type_from_string (const char *name)
{
  if (name == NULL)
    return WC_RECORD_UNKNOWN;
  return GPOINTER_TO_UINT (g_hash_table_lookup (names (), name));
}

const char *
wc_record_type_to_string (WcRecordType type)
{
  g_return_val_if_fail (type > WC_RECORD_UNKNOWN && type < WC_RECORD_N_TYPES, "unknown");
  return vocabulary[type].name;
}

WcRecordFlags
wc_record_type_get_flags (WcRecordType type)
{
  return type < WC_RECORD_N_TYPES ? vocabulary[type].flags : 0;
}

gboolean
wc_record_type_has_flag (WcRecordType  type,
                         WcRecordFlags flag)
{
  return (wc_record_type_get_flags (type) & flag) != 0;
}

/* @field's value when it is of @type, or NULL. */
static JsonNode *
value_field (JsonObject *data,
             const char *field,
             GType       type)
{
  JsonNode *node = data ? json_object_get_member (data, field) : NULL;

  return node && json_node_get_value_type (node) == type ? node : NULL;
}

static const char *
string_field (JsonObject *data,
              const char *field)
{
  JsonNode *node = value_field (data, field, G_TYPE_STRING);

  return node ? json_node_get_string (node) : NULL;
}

const char *wc_record_get_inject (JsonObject *data) { return string_field (data, "inject"); }
const char *wc_record_get_team (JsonObject *data) { return string_field (data, "team"); }
const char *wc_record_get_text (JsonObject *data) { return string_field (data, "text"); }
const char *wc_record_get_option (JsonObject *data) { return string_field (data, "option"); }
const char *wc_record_get_action (JsonObject *data) { return string_field (data, "action"); }
const char *wc_record_get_author (JsonObject *data) { return string_field (data, "author"); }
const char *wc_record_get_reason (JsonObject *data) { return string_field (data, "reason"); }
const char *wc_record_get_cause (JsonObject *data) { return string_field (data, "cause"); }
const char *wc_record_get_by (JsonObject *data) { return string_field (data, "by"); }
const char *wc_record_get_key (JsonObject *data) { return string_field (data, "key"); }
const char *wc_record_get_string (JsonObject *data, const char *field) { return string_field (data, field); }

JsonArray *
wc_record_get_teams (JsonObject *data)
{
  JsonNode *node = data ? json_object_get_member (data, "teams") : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gint64
wc_record_get_int (JsonObject *data,
                   const char *field,
                   gint64      fallback)
{
  JsonNode *node = value_field (data, field, G_TYPE_INT64);

  return node ? json_node_get_int (node) : fallback;
}

gboolean
wc_record_get_boolean (JsonObject *data,
                       const char *field,
                       gboolean    fallback)
{
  JsonNode *node = value_field (data, field, G_TYPE_BOOLEAN);

  return node ? json_node_get_boolean (node) : fallback;
}

double
wc_record_get_speed (JsonObject *data,
                     double      fallback)
{
  JsonNode *node = data ? json_object_get_member (data, "speed") : NULL;
  GType type = node ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return fallback;
  return json_node_get_double (node);
}

static const char *const outcomes[] = { "delivered", "failed", "gave-up" };

WcWebhookOutcome
wc_record_get_outcome (JsonObject *data)
{
  const char *outcome = string_field (data, "outcome");

  for (guint i = 0; outcome && i < G_N_ELEMENTS (outcomes); i++)
    if (strcmp (outcome, outcomes[i]) == 0)
      return i;
  /* An attempt of unknown outcome did not deliver. */
  return WC_WEBHOOK_FAILED;
}

const char *
wc_webhook_outcome_to_string (WcWebhookOutcome outcome)
{
  g_return_val_if_fail (outcome < G_N_ELEMENTS (outcomes), "failed");
  return outcomes[outcome];
}
