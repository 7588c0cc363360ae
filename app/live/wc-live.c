/* wc-live.c: list models of the running exercise, kept up to date from the engine's records. */
#define G_LOG_DOMAIN "wc-live"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-live.h"

/* Setters that notify only on change. */
#define SET_STRING(obj, field, value, pspec)                              \
  G_STMT_START {                                                          \
    if (g_strcmp0 ((obj)->field, (value)) != 0)                           \
      {                                                                   \
        g_free ((obj)->field);                                            \
        (obj)->field = g_strdup (value);                                  \
        g_object_notify_by_pspec (G_OBJECT (obj), (pspec));               \
      }                                                                   \
  } G_STMT_END
#define SET_VALUE(obj, field, value, pspec)                               \
  G_STMT_START {                                                          \
    if ((obj)->field != (value))                                          \
      {                                                                   \
        (obj)->field = (value);                                           \
        g_object_notify_by_pspec (G_OBJECT (obj), (pspec));               \
      }                                                                   \
  } G_STMT_END

/* WcLiveInject */

struct _WcLiveInject {
  GObject     parent_instance;
  char       *id;
  char       *time;
  gint64      due_ms;
  char       *title;
  char       *channel;
  char       *recipients;
  char       *status;
  char       *status_label;
  guint       n_teams;
  guint       n_acknowledged;
  guint       n_responded;
  gboolean    is_next;
  char       *acknowledged;  /* "k/n" once fired */
  char       *answered;
  GHashTable *to;          /* team ids it is for */
  GHashTable *responders;  /* team ids that answered */
};

enum {
  INJECT_PROP_0,
  INJECT_PROP_ID, INJECT_PROP_TIME, INJECT_PROP_DUE_MS, INJECT_PROP_TITLE, INJECT_PROP_CHANNEL,
  INJECT_PROP_RECIPIENTS, INJECT_PROP_STATUS, INJECT_PROP_STATUS_LABEL, INJECT_PROP_N_TEAMS,
  INJECT_PROP_N_ACKNOWLEDGED, INJECT_PROP_N_RESPONDED, INJECT_PROP_IS_NEXT,
  INJECT_PROP_ACKNOWLEDGED, INJECT_PROP_ANSWERED,
  N_INJECT_PROPS
};
static GParamSpec *inject_props[N_INJECT_PROPS];

G_DEFINE_FINAL_TYPE (WcLiveInject, wc_live_inject, G_TYPE_OBJECT)

static void
wc_live_inject_finalize (GObject *object)
{
  WcLiveInject *self = WC_LIVE_INJECT (object);

  g_free (self->id);
  g_free (self->time);
  g_free (self->title);
  g_free (self->channel);
  g_free (self->recipients);
  g_free (self->status);
  g_free (self->status_label);
  g_free (self->acknowledged);
  g_free (self->answered);
  g_hash_table_unref (self->to);
  g_hash_table_unref (self->responders);
  G_OBJECT_CLASS (wc_live_inject_parent_class)->finalize (object);
}

static void
wc_live_inject_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  WcLiveInject *self = WC_LIVE_INJECT (object);

  switch (prop_id)
    {
    case INJECT_PROP_ID: g_value_set_string (value, self->id); break;
    case INJECT_PROP_TIME: g_value_set_string (value, self->time); break;
    case INJECT_PROP_DUE_MS: g_value_set_int64 (value, self->due_ms); break;
    case INJECT_PROP_TITLE: g_value_set_string (value, self->title); break;
    case INJECT_PROP_CHANNEL: g_value_set_string (value, self->channel); break;
    case INJECT_PROP_RECIPIENTS: g_value_set_string (value, self->recipients); break;
    case INJECT_PROP_STATUS: g_value_set_string (value, self->status); break;
    case INJECT_PROP_STATUS_LABEL: g_value_set_string (value, self->status_label); break;
    case INJECT_PROP_N_TEAMS: g_value_set_uint (value, self->n_teams); break;
    case INJECT_PROP_N_ACKNOWLEDGED: g_value_set_uint (value, self->n_acknowledged); break;
    case INJECT_PROP_N_RESPONDED: g_value_set_uint (value, self->n_responded); break;
    case INJECT_PROP_IS_NEXT: g_value_set_boolean (value, self->is_next); break;
    case INJECT_PROP_ACKNOWLEDGED: g_value_set_string (value, self->acknowledged); break;
    case INJECT_PROP_ANSWERED: g_value_set_string (value, self->answered); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_live_inject_class_init (WcLiveInjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = wc_live_inject_finalize;
  object_class->get_property = wc_live_inject_get_property;
  inject_props[INJECT_PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_TIME] = g_param_spec_string ("time", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_DUE_MS] = g_param_spec_int64 ("due-ms", NULL, NULL, -1, G_MAXINT64, -1, flags);
  inject_props[INJECT_PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_CHANNEL] = g_param_spec_string ("channel", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_RECIPIENTS] = g_param_spec_string ("recipients", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_STATUS_LABEL] = g_param_spec_string ("status-label", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_N_TEAMS] = g_param_spec_uint ("n-teams", NULL, NULL, 0, G_MAXUINT, 0, flags);
  inject_props[INJECT_PROP_N_ACKNOWLEDGED] = g_param_spec_uint ("n-acknowledged", NULL, NULL, 0, G_MAXUINT, 0, flags);
  inject_props[INJECT_PROP_N_RESPONDED] = g_param_spec_uint ("n-responded", NULL, NULL, 0, G_MAXUINT, 0, flags);
  inject_props[INJECT_PROP_IS_NEXT] = g_param_spec_boolean ("is-next", NULL, NULL, FALSE, flags);
  inject_props[INJECT_PROP_ACKNOWLEDGED] = g_param_spec_string ("acknowledged", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_ANSWERED] = g_param_spec_string ("answered", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_INJECT_PROPS, inject_props);
}

static void
wc_live_inject_init (WcLiveInject *self)
{
  self->due_ms = -1;
  self->to = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->responders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

const char *wc_live_inject_get_id (WcLiveInject *self) { return self->id; }
const char *wc_live_inject_get_status (WcLiveInject *self) { return self->status; }
const char *wc_live_inject_get_status_label (WcLiveInject *self) { return self->status_label; }
const char *wc_live_inject_get_acknowledged (WcLiveInject *self) { return self->acknowledged; }
const char *wc_live_inject_get_answered (WcLiveInject *self) { return self->answered; }
guint wc_live_inject_get_n_acknowledged (WcLiveInject *self) { return self->n_acknowledged; }
guint wc_live_inject_get_n_responded (WcLiveInject *self) { return self->n_responded; }
guint wc_live_inject_get_n_teams (WcLiveInject *self) { return self->n_teams; }
gint64 wc_live_inject_get_due_ms (WcLiveInject *self) { return self->due_ms; }
gboolean wc_live_inject_get_is_next (WcLiveInject *self) { return self->is_next; }

gboolean
wc_live_inject_has_team (WcLiveInject *self,
                         const char   *team_id)
{
  return g_hash_table_contains (self->to, team_id);
}

/* WcLiveTeam */

struct _WcLiveTeam {
  GObject   parent_instance;
  char     *id;
  char     *name;
  char     *kind;
  char     *language;
  gboolean  connected;
  char     *last_seen;
  guint     pending_acks;
  guint     overdue;
  guint     webhook_failures;
  char     *join_url;
};

enum {
  TEAM_PROP_0,
  TEAM_PROP_ID, TEAM_PROP_NAME, TEAM_PROP_KIND, TEAM_PROP_LANGUAGE, TEAM_PROP_CONNECTED,
  TEAM_PROP_LAST_SEEN, TEAM_PROP_PENDING_ACKS, TEAM_PROP_OVERDUE, TEAM_PROP_WEBHOOK_FAILURES,
  TEAM_PROP_JOIN_URL,
  N_TEAM_PROPS
};
static GParamSpec *team_props[N_TEAM_PROPS];

G_DEFINE_FINAL_TYPE (WcLiveTeam, wc_live_team, G_TYPE_OBJECT)

static void
wc_live_team_finalize (GObject *object)
{
  WcLiveTeam *self = WC_LIVE_TEAM (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->kind);
  g_free (self->language);
  g_free (self->last_seen);
  g_free (self->join_url);
  G_OBJECT_CLASS (wc_live_team_parent_class)->finalize (object);
}

static void
wc_live_team_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  WcLiveTeam *self = WC_LIVE_TEAM (object);

  switch (prop_id)
    {
    case TEAM_PROP_ID: g_value_set_string (value, self->id); break;
    case TEAM_PROP_NAME: g_value_set_string (value, self->name); break;
    case TEAM_PROP_KIND: g_value_set_string (value, self->kind); break;
    case TEAM_PROP_LANGUAGE: g_value_set_string (value, self->language); break;
    case TEAM_PROP_CONNECTED: g_value_set_boolean (value, self->connected); break;
    case TEAM_PROP_LAST_SEEN: g_value_set_string (value, self->last_seen); break;
    case TEAM_PROP_PENDING_ACKS: g_value_set_uint (value, self->pending_acks); break;
    case TEAM_PROP_OVERDUE: g_value_set_uint (value, self->overdue); break;
    case TEAM_PROP_WEBHOOK_FAILURES: g_value_set_uint (value, self->webhook_failures); break;
    case TEAM_PROP_JOIN_URL: g_value_set_string (value, self->join_url); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_live_team_class_init (WcLiveTeamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = wc_live_team_finalize;
  object_class->get_property = wc_live_team_get_property;
  team_props[TEAM_PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  team_props[TEAM_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  team_props[TEAM_PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  team_props[TEAM_PROP_LANGUAGE] = g_param_spec_string ("language", NULL, NULL, NULL, flags);
  team_props[TEAM_PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, flags);
  team_props[TEAM_PROP_LAST_SEEN] = g_param_spec_string ("last-seen", NULL, NULL, NULL, flags);
  team_props[TEAM_PROP_PENDING_ACKS] = g_param_spec_uint ("pending-acks", NULL, NULL, 0, G_MAXUINT, 0, flags);
  team_props[TEAM_PROP_OVERDUE] = g_param_spec_uint ("overdue", NULL, NULL, 0, G_MAXUINT, 0, flags);
  team_props[TEAM_PROP_WEBHOOK_FAILURES] = g_param_spec_uint ("webhook-failures", NULL, NULL, 0, G_MAXUINT, 0, flags);
  team_props[TEAM_PROP_JOIN_URL] = g_param_spec_string ("join-url", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_TEAM_PROPS, team_props);
}

static void
wc_live_team_init (WcLiveTeam *self)
{
}

const char *wc_live_team_get_id (WcLiveTeam *self) { return self->id; }
gboolean wc_live_team_get_connected (WcLiveTeam *self) { return self->connected; }
guint wc_live_team_get_pending_acks (WcLiveTeam *self) { return self->pending_acks; }
guint wc_live_team_get_overdue (WcLiveTeam *self) { return self->overdue; }
guint wc_live_team_get_webhook_failures (WcLiveTeam *self) { return self->webhook_failures; }
const char *wc_live_team_get_join_url (WcLiveTeam *self) { return self->join_url; }

/* WcLiveEvent */

struct _WcLiveEvent {
  GObject         parent_instance;
  WcLiveEventKind kind;
  gint64          t_ms;
  char           *time;
  char           *team;
  char           *inject;
  char           *summary;
  char           *text;
};

enum {
  EVENT_PROP_0,
  EVENT_PROP_KIND, EVENT_PROP_T_MS, EVENT_PROP_TIME, EVENT_PROP_TEAM, EVENT_PROP_INJECT,
  EVENT_PROP_SUMMARY, EVENT_PROP_TEXT,
  N_EVENT_PROPS
};
static GParamSpec *event_props[N_EVENT_PROPS];

G_DEFINE_FINAL_TYPE (WcLiveEvent, wc_live_event, G_TYPE_OBJECT)

static void
wc_live_event_finalize (GObject *object)
{
  WcLiveEvent *self = WC_LIVE_EVENT (object);

  g_free (self->time);
  g_free (self->team);
  g_free (self->inject);
  g_free (self->summary);
  g_free (self->text);
  G_OBJECT_CLASS (wc_live_event_parent_class)->finalize (object);
}

static void
wc_live_event_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  WcLiveEvent *self = WC_LIVE_EVENT (object);

  switch (prop_id)
    {
    case EVENT_PROP_KIND: g_value_set_int (value, self->kind); break;
    case EVENT_PROP_T_MS: g_value_set_int64 (value, self->t_ms); break;
    case EVENT_PROP_TIME: g_value_set_string (value, self->time); break;
    case EVENT_PROP_TEAM: g_value_set_string (value, self->team); break;
    case EVENT_PROP_INJECT: g_value_set_string (value, self->inject); break;
    case EVENT_PROP_SUMMARY: g_value_set_string (value, self->summary); break;
    case EVENT_PROP_TEXT: g_value_set_string (value, self->text); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_live_event_class_init (WcLiveEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wc_live_event_finalize;
  object_class->get_property = wc_live_event_get_property;
  event_props[EVENT_PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, 0, G_MAXINT, 0, flags);
  event_props[EVENT_PROP_T_MS] = g_param_spec_int64 ("t-ms", NULL, NULL, 0, G_MAXINT64, 0, flags);
  event_props[EVENT_PROP_TIME] = g_param_spec_string ("time", NULL, NULL, NULL, flags);
  event_props[EVENT_PROP_TEAM] = g_param_spec_string ("team", NULL, NULL, NULL, flags);
  event_props[EVENT_PROP_INJECT] = g_param_spec_string ("inject", NULL, NULL, NULL, flags);
  event_props[EVENT_PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  event_props[EVENT_PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_EVENT_PROPS, event_props);
}

static void
wc_live_event_init (WcLiveEvent *self)
{
}

WcLiveEventKind wc_live_event_get_kind (WcLiveEvent *self) { return self->kind; }
const char *wc_live_event_get_summary (WcLiveEvent *self) { return self->summary; }
const char *wc_live_event_get_text (WcLiveEvent *self) { return self->text; }
const char *wc_live_event_get_inject (WcLiveEvent *self) { return self->inject; }

/* WcLive */

typedef struct {
  gint64 due_ms;
  gint64 deadline_ms;   /* after the inject reached the team */
  char  *inject;
  char  *team;
} Deadline;

struct _WcLive {
  GObject     parent_instance;
  WcEngine   *engine;
  WcServer   *server;
  GListStore *injects;
  GListStore *teams;
  GListStore *events;
  GHashTable *inject_by_id;   /* id → WcLiveInject (borrowed from the store) */
  GHashTable *team_by_id;
  GPtrArray  *by_due;         /* WcLiveInject, scheduled ones by due time: the next is found from a cursor */
  guint       next_cursor;
  WcLiveInject *next;
  GQueue     *deadlines;      /* Deadline, by due time */
  GHashTable *overdue;        /* "inject\nteam" of overdue answers */
  gulong      record_handler;
  gulong      presence_handler;
  gint64      last_seen_refreshed;  /* monotonic µs */
  GPtrArray  *new_events;           /* WcLiveEvent not yet in the list, oldest first */
  guint       flush_id;
};

enum { SIGNAL_RESPONSE_RECEIVED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (WcLive, wc_live, G_TYPE_OBJECT)

static void
deadline_free (gpointer data)
{
  Deadline *d = data;

  g_free (d->inject);
  g_free (d->team);
  g_free (d);
}

static void
wc_live_dispose (GObject *object)
{
  WcLive *self = WC_LIVE (object);

  if (self->engine)
    g_clear_signal_handler (&self->record_handler, self->engine);
  if (self->server)
    g_clear_signal_handler (&self->presence_handler, self->server);
  g_clear_object (&self->engine);
  g_clear_object (&self->server);
  G_OBJECT_CLASS (wc_live_parent_class)->dispose (object);
}

static void
wc_live_finalize (GObject *object)
{
  WcLive *self = WC_LIVE (object);

  g_clear_object (&self->injects);
  g_clear_object (&self->teams);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_pointer (&self->new_events, g_ptr_array_unref);
  g_clear_object (&self->events);
  g_hash_table_unref (self->inject_by_id);
  g_hash_table_unref (self->team_by_id);
  g_ptr_array_unref (self->by_due);
  g_queue_free_full (self->deadlines, deadline_free);
  g_hash_table_unref (self->overdue);
  G_OBJECT_CLASS (wc_live_parent_class)->finalize (object);
}

static void
wc_live_class_init (WcLiveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_live_dispose;
  object_class->finalize = wc_live_finalize;
  signals[SIGNAL_RESPONSE_RECEIVED] =
    g_signal_new ("response-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, WC_TYPE_LIVE_EVENT);
}

static void
wc_live_init (WcLive *self)
{
  self->injects = g_list_store_new (WC_TYPE_LIVE_INJECT);
  self->teams = g_list_store_new (WC_TYPE_LIVE_TEAM);
  self->events = g_list_store_new (WC_TYPE_LIVE_EVENT);
  self->new_events = g_ptr_array_new_with_free_func (g_object_unref);
  self->inject_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->team_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_due = g_ptr_array_new ();
  self->deadlines = g_queue_new ();
  self->overdue = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static const char *
team_name (WcLive     *self,
           const char *team_id)
{
  WcLiveTeam *team = g_hash_table_lookup (self->team_by_id, team_id);

  return team ? team->name : team_id;
}

static const char *
status_name (WcInjectStatus status)
{
  switch (status)
    {
    case WC_INJECT_HELD: return "held";
    case WC_INJECT_SKIPPED: return "skipped";
    case WC_INJECT_FIRED: return "fired";
    case WC_INJECT_PENDING:
    default: return "pending";
    }
}

static void
update_status (WcLive       *self,
               WcLiveInject *row)
{
  WcInjectStatus status = wc_engine_get_inject_status (self->engine, row->id);
  g_autofree char *label = NULL;

  SET_STRING (row, status, status_name (status), inject_props[INJECT_PROP_STATUS]);
  switch (status)
    {
    case WC_INJECT_HELD:
      label = g_strdup (_("Held"));
      break;
    case WC_INJECT_SKIPPED:
      label = g_strdup (_("Skipped"));
      break;
    case WC_INJECT_FIRED:
      label = g_strdup (_("Fired"));
      break;
    case WC_INJECT_PENDING:
    default:
      label = g_strdup (row->is_next ? _("Next") : _("Pending"));
      break;
    }
  SET_STRING (row, status_label, label, inject_props[INJECT_PROP_STATUS_LABEL]);
  /* by how many of the teams it reached: "3/5" */
  {
    g_autofree char *acked = status == WC_INJECT_FIRED ? g_strdup_printf ("%u/%u", row->n_acknowledged, row->n_teams) : NULL;
    g_autofree char *answered = status == WC_INJECT_FIRED ? g_strdup_printf ("%u/%u", row->n_responded, row->n_teams) : NULL;

    SET_STRING (row, acknowledged, acked ? acked : "", inject_props[INJECT_PROP_ACKNOWLEDGED]);
    SET_STRING (row, answered, answered ? answered : "", inject_props[INJECT_PROP_ANSWERED]);
  }
}

static char *
time_of (WcEngine       *engine,
         const WcInject *inject)
{
  gint64 due = wc_engine_get_inject_due (engine, inject->id);

  if (inject->trigger == WC_TRIGGER_MANUAL && due < 0)
    return g_strdup (_("manual"));
  if (due >= 0)
    return wc_time_format (due, TRUE);
  /* TRANSLATORS: when an inject whose time depends on another fires: "after I-003" */
  return g_strdup_printf (_("after %s"), inject->trigger_inject);
}

/* @from_state: an exercise resumed, whose counts are read from the engine; otherwise (an inject
 * added as it happens) the records that follow bring them. */
static WcLiveInject *
add_inject (WcLive         *self,
            const WcInject *inject,
            gboolean        from_state)
{
  WcScenario *scenario = wc_engine_get_scenario (self->engine);
  const char *lang = wc_scenario_get_default_language (scenario);
  g_autoptr(WcLiveInject) row = g_object_new (WC_TYPE_LIVE_INJECT, NULL);
  GString *recipients = g_string_new (NULL);

  row->id = g_strdup (inject->id);
  row->time = time_of (self->engine, inject);
  row->due_ms = wc_engine_get_inject_due (self->engine, inject->id);
  row->title = g_strdup (wc_text_get (inject->title, lang, NULL));
  row->channel = g_strdup (wc_channel_to_string (inject->channel));
  for (guint t = 0; t < inject->to->len; t++)
    g_hash_table_add (row->to, g_strdup (g_ptr_array_index (inject->to, t)));
  if (inject->trigger == WC_TRIGGER_NO_RESPONSE)
    /* TRANSLATORS: the recipients of a contingency inject: "Who has not answered I-001" */
    g_string_append_printf (recipients, _("Who has not answered %s"), inject->trigger_inject);
  else if (inject->to_all)
    g_string_append (recipients, _("All teams"));
  else
    for (guint t = 0; t < inject->to->len; t++)
      {
        const WcTeam *team = wc_scenario_find_team (scenario, g_ptr_array_index (inject->to, t));

        g_string_append_printf (recipients, "%s%s", t ? ", " : "",
                                team ? wc_text_get (team->name, lang, NULL)
                                     : (char *) g_ptr_array_index (inject->to, t));
      }
  row->recipients = g_string_free (recipients, FALSE);
  /* an exercise resumed from its journal: counts as they stand */
  if (from_state)
  {
    GPtrArray *reached = wc_engine_get_inject_teams (self->engine, inject->id);

    row->n_teams = reached ? reached->len : 0;
    for (guint t = 0; reached && t < reached->len; t++)
      {
        const WcTeamInjectState *ts = wc_engine_get_team_state (self->engine, inject->id,
                                                                g_ptr_array_index (reached, t));

        if (ts && ts->acknowledged_ms >= 0)
          row->n_acknowledged++;
        if (ts && ts->n_responses > 0)
          g_hash_table_add (row->responders, g_strdup (g_ptr_array_index (reached, t)));
      }
    row->n_responded = g_hash_table_size (row->responders);
  }
  row->status = g_strdup (status_name (wc_engine_get_inject_status (self->engine, inject->id)));
  g_list_store_append (self->injects, row);
  g_hash_table_insert (self->inject_by_id, row->id, row);
  update_status (self, row);
  return row;
}

static int
compare_due (gconstpointer a,
             gconstpointer b)
{
  const WcLiveInject *x = *(WcLiveInject **) a;
  const WcLiveInject *y = *(WcLiveInject **) b;

  return (x->due_ms > y->due_ms) - (x->due_ms < y->due_ms);
}

/* The scheduled injects by due time; the next one is the first still pending from the cursor
 * on, so that finding it is amortised O(1) as the exercise moves forward. */
static void
rebuild_schedule (WcLive *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->injects));

  g_ptr_array_set_size (self->by_due, 0);
  for (guint i = 0; i < n; i++)
    {
      WcLiveInject *row = g_list_model_get_item (G_LIST_MODEL (self->injects), i);

      row->due_ms = wc_engine_get_inject_due (self->engine, row->id);
      if (row->due_ms >= 0)
        g_ptr_array_add (self->by_due, row);
      g_object_unref (row);
    }
  g_ptr_array_sort (self->by_due, compare_due);
  self->next_cursor = 0;
}

static void
update_next (WcLive *self)
{
  WcLiveInject *next = NULL;

  while (self->next_cursor < self->by_due->len)
    {
      WcLiveInject *row = g_ptr_array_index (self->by_due, self->next_cursor);

      if (strcmp (row->status, "pending") == 0)
        {
          next = row;
          break;
        }
      self->next_cursor++;
    }
  if (next == self->next)
    return;
  if (self->next)
    {
      SET_VALUE (self->next, is_next, FALSE, inject_props[INJECT_PROP_IS_NEXT]);
      update_status (self, self->next);
    }
  self->next = next;
  if (next)
    {
      SET_VALUE (next, is_next, TRUE, inject_props[INJECT_PROP_IS_NEXT]);
      update_status (self, next);
    }
}

static void
flush_new_events (WcLive *self)
{
  guint n = self->new_events->len;
  g_autofree gpointer *items = NULL;

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (n == 0)
    return;
  /* newest first */
  items = g_new (gpointer, n);
  for (guint i = 0; i < n; i++)
    items[i] = g_ptr_array_index (self->new_events, n - 1 - i);
  g_list_store_splice (self->events, 0, 0, items, n);
  g_ptr_array_set_size (self->new_events, 0);
}

static gboolean
flush_events (gpointer user_data)
{
  WcLive *self = user_data;

  self->flush_id = 0;
  flush_new_events (self);
  return G_SOURCE_REMOVE;
}

static void
add_event (WcLive          *self,
           WcLiveEventKind  kind,
           gint64           t_ms,
           const char      *team_id,
           const char      *inject,
           const char      *text,
           char            *summary)  /* transfer full */
{
  WcLiveEvent *event = g_object_new (WC_TYPE_LIVE_EVENT, NULL);

  event->kind = kind;
  event->t_ms = t_ms;
  event->time = wc_time_format (t_ms, FALSE);
  event->team = g_strdup (team_id ? team_name (self, team_id) : NULL);
  event->inject = g_strdup (inject);
  event->text = g_strdup (text);
  event->summary = summary;
  /* A thousand teams answering at once: into the list in one go, not a thousand (every insertion
   * at the top would move every row a list view shows). */
  g_ptr_array_add (self->new_events, g_object_ref (event));
  if (self->flush_id == 0)
    self->flush_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, flush_events, self, NULL);
  if (kind == WC_LIVE_EVENT_RESPONSE || kind == WC_LIVE_EVENT_DECISION)
    g_signal_emit (self, signals[SIGNAL_RESPONSE_RECEIVED], 0, event);
  g_object_unref (event);
}

static void
queue_deadline (WcLive   *self,
                Deadline *d)
{
  GList *l;

  /* most arrive in order: look from the tail */
  for (l = self->deadlines->tail; l && ((Deadline *) l->data)->due_ms > d->due_ms; l = l->prev)
    ;
  if (l)
    g_queue_insert_after (self->deadlines, l, d);
  else
    g_queue_push_head (self->deadlines, d);
}

static void
schedule_deadlines (WcLive     *self,
                    const char *inject_id,
                    const char *team_id,
                    gint64      fired_ms)
{
  const WcInject *inject = wc_engine_find_inject (self->engine, inject_id);

  for (guint i = 0; inject && i < inject->expected_actions->len; i++)
    {
      const WcExpectedAction *action = g_ptr_array_index (inject->expected_actions, i);
      Deadline *d;

      if (action->deadline_ms < 0)
        continue;
      d = g_new0 (Deadline, 1);
      d->due_ms = fired_ms + action->deadline_ms;
      d->deadline_ms = action->deadline_ms;
      d->inject = g_strdup (inject_id);
      d->team = g_strdup (team_id);
      queue_deadline (self, d);
      /* one deadline per inject and team is enough to call it overdue */
      break;
    }
}

static void
set_overdue (WcLive     *self,
             const char *inject_id,
             const char *team_id,
             gboolean    overdue)
{
  g_autofree char *key = g_strconcat (inject_id, "\n", team_id, NULL);
  WcLiveTeam *team = g_hash_table_lookup (self->team_by_id, team_id);

  if (team == NULL)
    return;
  if (overdue && !g_hash_table_contains (self->overdue, key))
    {
      g_hash_table_add (self->overdue, g_steal_pointer (&key));
      SET_VALUE (team, overdue, team->overdue + 1, team_props[TEAM_PROP_OVERDUE]);
    }
  else if (!overdue && g_hash_table_remove (self->overdue, key))
    SET_VALUE (team, overdue, team->overdue - 1, team_props[TEAM_PROP_OVERDUE]);
}

static void
on_fired (WcLive     *self,
          JsonObject *data,
          gint64      t_ms)
{
  const char *inject_id = json_object_get_string_member_with_default (data, "inject", NULL);
  WcLiveInject *row = inject_id ? g_hash_table_lookup (self->inject_by_id, inject_id) : NULL;
  JsonArray *teams = json_object_has_member (data, "teams") ? json_object_get_array_member (data, "teams") : NULL;

  if (row == NULL || teams == NULL)
    return;
  SET_VALUE (row, n_teams, row->n_teams + json_array_get_length (teams), inject_props[INJECT_PROP_N_TEAMS]);
  for (guint i = 0; i < json_array_get_length (teams); i++)
    {
      const char *team_id = json_array_get_string_element (teams, i);
      WcLiveTeam *team = g_hash_table_lookup (self->team_by_id, team_id);

      if (team)
        SET_VALUE (team, pending_acks, team->pending_acks + 1, team_props[TEAM_PROP_PENDING_ACKS]);
      schedule_deadlines (self, inject_id, team_id, t_ms);
    }
  update_status (self, row);
}

static void
on_record (WcEngine   *engine,
           guint64     seq,
           const char *type,
           JsonObject *data,
           gint64      t_ms,
           WcLive     *self)
{
  const char *inject_id = data ? json_object_get_string_member_with_default (data, "inject", NULL) : NULL;
  const char *team_id = data ? json_object_get_string_member_with_default (data, "team", NULL) : NULL;
  WcLiveInject *row = inject_id ? g_hash_table_lookup (self->inject_by_id, inject_id) : NULL;
  WcLiveTeam *team = team_id ? g_hash_table_lookup (self->team_by_id, team_id) : NULL;

  if (strcmp (type, "adhoc-created") == 0)
    {
      const WcInject *inject = wc_engine_find_inject (self->engine, json_object_get_string_member_with_default (data, "id", inject_id));

      if (inject && !g_hash_table_contains (self->inject_by_id, inject->id))
        add_inject (self, inject, FALSE);
    }
  else if (strcmp (type, "inject-fired") == 0)
    on_fired (self, data, t_ms);
  else if (strcmp (type, "inject-acknowledged") == 0 && row && team)
    {
      SET_VALUE (row, n_acknowledged, row->n_acknowledged + 1, inject_props[INJECT_PROP_N_ACKNOWLEDGED]);
      if (team->pending_acks > 0)
        SET_VALUE (team, pending_acks, team->pending_acks - 1, team_props[TEAM_PROP_PENDING_ACKS]);
      update_status (self, row);
      add_event (self, WC_LIVE_EVENT_ACKNOWLEDGED, t_ms, team_id, inject_id, NULL,
                 /* TRANSLATORS: "National CSIRT acknowledged I-003" */
                 g_strdup_printf (_("%s acknowledged %s"), team->name, inject_id));
    }
  else if (strcmp (type, "response") == 0 && row && team)
    {
      const char *text = json_object_get_string_member_with_default (data, "text", NULL);
      const char *option = json_object_get_string_member_with_default (data, "option", NULL);

      if (!g_hash_table_contains (row->responders, team_id))
        {
          g_hash_table_add (row->responders, g_strdup (team_id));
          SET_VALUE (row, n_responded, row->n_responded + 1, inject_props[INJECT_PROP_N_RESPONDED]);
          update_status (self, row);
        }
      set_overdue (self, inject_id, team_id, FALSE);
      if (option)
        add_event (self, WC_LIVE_EVENT_DECISION, t_ms, team_id, inject_id, text,
                   /* TRANSLATORS: "National CSIRT chose “wait” on I-011" */
                   g_strdup_printf (_("%s chose “%s” on %s"), team->name, option, inject_id));
      else
        add_event (self, WC_LIVE_EVENT_RESPONSE, t_ms, team_id, inject_id, text,
                   g_strdup_printf (_("%s answered %s"), team->name, inject_id));
    }
  else if (strcmp (type, "webhook-attempt") == 0 && team)
    {
      const char *outcome = json_object_get_string_member_with_default (data, "outcome", "");

      if (strcmp (outcome, "delivered") != 0)
        SET_VALUE (team, webhook_failures, team->webhook_failures + 1, team_props[TEAM_PROP_WEBHOOK_FAILURES]);
      if (strcmp (outcome, "gave-up") == 0)
        add_event (self, WC_LIVE_EVENT_DELIVERY_FAILED, t_ms, team_id, inject_id,
                   json_object_get_string_member_with_default (data, "error", NULL),
                   g_strdup_printf (_("Webhook delivery of %s to %s failed"), inject_id, team->name));
    }
  else if (strcmp (type, "note") == 0)
    add_event (self, WC_LIVE_EVENT_NOTE, t_ms, NULL, NULL,
               json_object_get_string_member_with_default (data, "text", NULL),
               g_strdup (_("Controller note")));
  else if (strcmp (type, "clock-started") == 0 || strcmp (type, "clock-paused") == 0 ||
           strcmp (type, "clock-resumed") == 0 || strcmp (type, "exercise-ended") == 0)
    {
      const char *summary = strcmp (type, "clock-started") == 0 ? _("Exercise started")
                            : strcmp (type, "clock-paused") == 0 ? _("Clock paused")
                            : strcmp (type, "clock-resumed") == 0 ? _("Clock resumed")
                                                                  : _("Exercise ended");

      add_event (self, WC_LIVE_EVENT_CLOCK, t_ms, NULL, NULL, NULL, g_strdup (summary));
    }

  if (row && (strcmp (type, "inject-held") == 0 || strcmp (type, "inject-released") == 0 ||
              strcmp (type, "inject-skipped") == 0))
    update_status (self, row);
  if (strcmp (type, "inject-rescheduled") == 0 || strcmp (type, "clock-jumped") == 0 ||
      strcmp (type, "inject-released") == 0 || strcmp (type, "adhoc-created") == 0)
    {
      /* rare: the schedule is read again */
      if (row)
        {
          g_autofree char *time = time_of (self->engine, wc_engine_find_inject (self->engine, row->id));

          SET_STRING (row, time, time, inject_props[INJECT_PROP_TIME]);
        }
      rebuild_schedule (self);
    }
  if (strcmp (type, "inject-fired") == 0 || strcmp (type, "inject-held") == 0 ||
      strcmp (type, "inject-skipped") == 0 || strcmp (type, "inject-released") == 0 ||
      strcmp (type, "inject-rescheduled") == 0 || strcmp (type, "clock-jumped") == 0 ||
      strcmp (type, "adhoc-created") == 0)
    update_next (self);
}

static void
update_last_seen (WcLive     *self,
                  WcLiveTeam *team)
{
  gint64 seen = self->server ? wc_server_get_team_last_seen (self->server, team->id) : 0;
  g_autofree char *text = NULL;

  if (seen > 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (seen / G_USEC_PER_SEC);

      text = g_date_time_format (dt, "%H:%M:%S");
    }
  SET_STRING (team, last_seen, text ? text : "", team_props[TEAM_PROP_LAST_SEEN]);
}

static void
on_presence_changed (WcServer   *server,
                     const char *team_id,
                     WcLive     *self)
{
  WcLiveTeam *team = g_hash_table_lookup (self->team_by_id, team_id);

  if (team == NULL)
    return;
  SET_VALUE (team, connected, wc_server_is_team_connected (server, team_id),
             team_props[TEAM_PROP_CONNECTED]);
  update_last_seen (self, team);
}

void
wc_live_tick (WcLive *self)
{
  gint64 now = wc_engine_get_time (self->engine);
  guint n;

  /* answers now overdue */
  while (!g_queue_is_empty (self->deadlines) && ((Deadline *) g_queue_peek_head (self->deadlines))->due_ms <= now)
    {
      Deadline *d = g_queue_pop_head (self->deadlines);
      const WcTeamInjectState *ts = wc_engine_get_team_state (self->engine, d->inject, d->team);

      /* as the report counts it: from delivery, when the team's page or tool got it later */
      if (ts && ts->delivered_ms >= 0 && ts->delivered_ms + d->deadline_ms > d->due_ms)
        {
          d->due_ms = ts->delivered_ms + d->deadline_ms;
          if (d->due_ms > now)
            {
              queue_deadline (self, d);
              continue;
            }
        }
      if (ts && ts->n_responses == 0)
        set_overdue (self, d->inject, d->team, TRUE);
      deadline_free (d);
    }
  /* "last seen" shows seconds: once a second is enough, however often the window ticks */
  if (g_get_monotonic_time () - self->last_seen_refreshed < G_USEC_PER_SEC)
    return;
  self->last_seen_refreshed = g_get_monotonic_time ();
  n = g_list_model_get_n_items (G_LIST_MODEL (self->teams));
  for (guint i = 0; self->server && i < n; i++)
    {
      g_autoptr(WcLiveTeam) team = g_list_model_get_item (G_LIST_MODEL (self->teams), i);

      update_last_seen (self, team);
    }
}

WcLive *
wc_live_new (WcEngine *engine,
             WcServer *server)
{
  WcLive *self = g_object_new (WC_TYPE_LIVE, NULL);
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *lang = wc_scenario_get_default_language (scenario);

  self->engine = g_object_ref (engine);
  self->server = server ? g_object_ref (server) : NULL;
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    {
      const WcTeam *t = wc_scenario_get_team (scenario, i);
      g_autoptr(WcLiveTeam) team = g_object_new (WC_TYPE_LIVE_TEAM, NULL);
      static const char *const kinds[] = {
        N_("National CSIRT"), N_("Sector authority"), N_("Operator"), N_("Crisis centre"),
        N_("Government"), N_("Press office"), N_("Other"),
      };

      team->id = g_strdup (t->id);
      team->name = g_strdup (wc_text_get (t->name, lang, NULL));
      team->kind = g_strdup (_(kinds[MIN ((guint) t->kind, G_N_ELEMENTS (kinds) - 1)]));
      team->language = g_strdup (t->language);
      team->join_url = server ? wc_server_get_join_url (server, t->id) : NULL;
      team->connected = server ? wc_server_is_team_connected (server, t->id) : FALSE;
      g_list_store_append (self->teams, team);
      g_hash_table_insert (self->team_by_id, team->id, team);
    }
  for (guint i = 0; i < wc_engine_get_n_injects (engine); i++)
    add_inject (self, wc_engine_get_inject (engine, i), TRUE);
  /* a resumed exercise: what teams still owe */
  for (guint i = 0; i < wc_engine_get_n_injects (engine); i++)
    {
      const WcInject *inject = wc_engine_get_inject (engine, i);
      GPtrArray *reached = wc_engine_get_inject_teams (engine, inject->id);

      for (guint t = 0; reached && t < reached->len; t++)
        {
          const WcTeamInjectState *ts = wc_engine_get_team_state (engine, inject->id, g_ptr_array_index (reached, t));
          WcLiveTeam *team = g_hash_table_lookup (self->team_by_id, g_ptr_array_index (reached, t));

          if (team && ts && ts->acknowledged_ms < 0)
            team->pending_acks++;
          if (ts && ts->n_responses == 0)
            schedule_deadlines (self, inject->id, g_ptr_array_index (reached, t),
                                ts->delivered_ms >= 0 ? ts->delivered_ms
                                                      : wc_engine_get_inject_fired_at (engine, inject->id));
        }
    }
  rebuild_schedule (self);
  update_next (self);
  self->record_handler = g_signal_connect (engine, "record", G_CALLBACK (on_record), self);
  if (server)
    self->presence_handler = g_signal_connect (server, "presence-changed", G_CALLBACK (on_presence_changed), self);
  return self;
}

WcEngine *wc_live_get_engine (WcLive *self) { return self->engine; }
GListModel *wc_live_get_injects (WcLive *self) { return G_LIST_MODEL (self->injects); }
GListModel *wc_live_get_teams (WcLive *self) { return G_LIST_MODEL (self->teams); }
GListModel *
wc_live_get_events (WcLive *self)
{
  /* whoever asks sees every event so far */
  flush_new_events (self);
  return G_LIST_MODEL (self->events);
}

WcLiveInject *
wc_live_find_inject (WcLive     *self,
                     const char *inject_id)
{
  return g_hash_table_lookup (self->inject_by_id, inject_id);
}

WcLiveTeam *
wc_live_find_team (WcLive     *self,
                   const char *team_id)
{
  return g_hash_table_lookup (self->team_by_id, team_id);
}
