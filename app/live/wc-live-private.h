/* wc-live-private.h: the live models' rows, shared by the files of WcLive (wc-live.c) and its
 * row types (wc-live-inject.c, wc-live-team.c, wc-live-event.c). Rows hold what a view shows; the
 * exercise's state itself is the engine's (its one applier of records), which rows are synced from. */
#pragma once

#include "wc-live.h"

G_BEGIN_DECLS

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
  GHashTable *to;          /* team ids it is for; NULL when it is for every team */
};

enum {
  INJECT_PROP_0,
  INJECT_PROP_ID, INJECT_PROP_TIME, INJECT_PROP_DUE_MS, INJECT_PROP_TITLE, INJECT_PROP_CHANNEL,
  INJECT_PROP_RECIPIENTS, INJECT_PROP_STATUS, INJECT_PROP_STATUS_LABEL, INJECT_PROP_N_TEAMS,
  INJECT_PROP_N_ACKNOWLEDGED, INJECT_PROP_N_RESPONDED, INJECT_PROP_IS_NEXT,
  INJECT_PROP_ACKNOWLEDGED, INJECT_PROP_ANSWERED,
  N_INJECT_PROPS
};
extern GParamSpec *inject_props[N_INJECT_PROPS];

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
extern GParamSpec *team_props[N_TEAM_PROPS];

struct _WcLiveEvent {
  GObject         parent_instance;
  WcLiveEventKind kind;
  gint64          t_ms;
  char           *time;
  char           *team;
  char           *inject;
  char           *summary;
  char           *text;
  char           *by;
};

enum {
  EVENT_PROP_0,
  EVENT_PROP_KIND, EVENT_PROP_T_MS, EVENT_PROP_TIME, EVENT_PROP_TEAM, EVENT_PROP_INJECT,
  EVENT_PROP_SUMMARY, EVENT_PROP_TEXT, EVENT_PROP_BY,
  N_EVENT_PROPS
};
extern GParamSpec *event_props[N_EVENT_PROPS];

/* Reads the inject's counts ("k/n" acknowledged and answered) and status from the engine. */
void wc_live_inject_sync    (WcLiveInject *row,
                             WcEngine     *engine);
/* Reads the team's pending acknowledgements and webhook failures from the engine. */
void wc_live_team_sync      (WcLiveTeam   *team,
                             WcEngine     *engine);

typedef void (*WcLiveRecordFunc) (gpointer      model,
                                  WcRecordType  type,
                                  JsonObject   *data,
                                  gint64        t_ms);
/* Hands @func each record of @engine's journal that is durable now (the past of an exercise
 * carried on, or a replay's): the records after them are announced by the engine's "record"
 * signal, so that a model connected to it right after sees each record once. */
void wc_live_read_past      (WcEngine         *engine,
                             WcLiveRecordFunc  func,
                             gpointer          model);

G_END_DECLS
