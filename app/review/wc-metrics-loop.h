/* wc-metrics-loop.h: the national coordination loop measured from the journal (issue 14): per
 * operator, its incident inject → its first notification of each NIS2 stage against the
 * scenario's deadlines, its first notification → the first warning a CSIRT issued afterwards;
 * each warning → each recipient's acknowledgement; who wrote to whom (counts); which teams were
 * never informed. Made by WcMetrics (wc_metrics_get_loop()) from the traffic records the
 * applier accepted. */
#pragma once

#include <glib-object.h>

#include "wc-engine.h"
#include "wc-journal.h"
#include "wc-scenario.h"

G_BEGIN_DECLS

/* A stage's notification against its deadline. */
typedef enum {
  WC_LOOP_MET,          /* filed within the deadline */
  WC_LOOP_LATE,         /* filed after it */
  WC_LOOP_MISSING,      /* never filed */
  WC_LOOP_FILED,        /* filed; the scenario sets no deadline for the stage */
  WC_LOOP_NOT_FILED,    /* never filed; no deadline either */
} WcLoopStatus;

typedef struct {
  const char   *message;      /* the stage's first notification, nullable */
  const char   *to;           /* the authority it went to, nullable */
  gint64        filed_ms;     /* -1: never */
  gint64        elapsed_ms;   /* from the incident's start; -1 */
  gint64        deadline_ms;  /* the scenario's, -1 none */
  WcLoopStatus  status;
} WcLoopStage;

/* An operator told of its incident (an inject with "incident": true reached it). */
typedef struct {
  const WcTeam   *team;
  const WcInject *inject;        /* the first incident inject that reached it */
  gint64          incident_ms;   /* when it was delivered (or reached, never delivered) */
  WcLoopStage     stages[WC_N_STAGES];  /* by WcNotificationStage */
  gint64          notified_ms;   /* its first notification of any stage, -1 */
  const char     *warning;       /* the first warning a CSIRT issued after it, nullable */
  const WcTeam   *warned_by;     /* that CSIRT */
  gint64          warned_ms;     /* -1 */
  gint64          to_warn_ms;    /* notified → warned, -1 */
} WcLoopOperator;

/* One recipient of one warning. */
typedef struct {
  const char   *warning;        /* its id */
  const char   *form;           /* "spear", "ews", nullable */
  gint64        issued_ms;
  const WcTeam *team;
  gint64        acknowledged_ms;  /* -1: never */
  gint64        to_acknowledge_ms;
} WcLoopAck;

/* One item of traffic, as the report lists it. */
typedef struct {
  guint64        seq;
  gint64         t_ms;
  const char    *id;
  const char    *kind;       /* "message", "notification", "warning", "sitrep" */
  const char    *from;       /* a team id, an actor id (from_actor), or NULL: the controllers */
  gboolean       from_actor;
  JsonArray     *to;         /* team ids */
  JsonObject    *data;       /* the record's data (the journal's) */
  const char    *summary;    /* subject, headline, stage or version: one line, untrusted */
  guint          n_acknowledged;
} WcLoopItem;

#define WC_TYPE_LOOP_METRICS (wc_loop_metrics_get_type ())
G_DECLARE_FINAL_TYPE (WcLoopMetrics, wc_loop_metrics, WC, LOOP_METRICS, GObject)

/* @records: the journal's traffic records (WcJournalRecord *, borrowed from @journal) that
 * @engine (the journal replayed) accepted, in order. */
WcLoopMetrics        *wc_loop_metrics_new             (WcScenario *scenario,
                                                       WcJournal  *journal,
                                                       WcEngine   *engine,
                                                       GPtrArray  *records);

guint                 wc_loop_metrics_get_n_operators (WcLoopMetrics *self);
const WcLoopOperator *wc_loop_metrics_get_operator    (WcLoopMetrics *self, guint i);
guint                 wc_loop_metrics_get_n_acks      (WcLoopMetrics *self);
const WcLoopAck      *wc_loop_metrics_get_ack         (WcLoopMetrics *self, guint i);
guint                 wc_loop_metrics_get_n_items     (WcLoopMetrics *self);
const WcLoopItem     *wc_loop_metrics_get_item        (WcLoopMetrics *self, guint i);

/* Senders of the matrix: every team in the scenario's order, then the actors controllers
 * played and "" for the controllers themselves, when they wrote anything. */
guint                 wc_loop_metrics_get_n_senders   (WcLoopMetrics *self);
const char           *wc_loop_metrics_get_sender      (WcLoopMetrics *self, guint i);
/* Items @from (a sender as above) addressed to @to (a team id). */
guint                 wc_loop_metrics_count           (WcLoopMetrics *self,
                                                       const char    *from,
                                                       const char    *to);
/* The matrix's cells that are not zero, for @func: senders in order, then for each the teams in
 * the scenario's order. */
typedef void (*WcLoopCountFunc) (const char *from,
                                 const char *to,
                                 guint       count,
                                 gpointer    user_data);
void                  wc_loop_metrics_foreach_count   (WcLoopMetrics   *self,
                                                       WcLoopCountFunc  func,
                                                       gpointer         user_data);
/* @team_id's place in the scenario's order of teams (its swimlane), -1 when not a team. */
int                   wc_loop_metrics_get_lane        (WcLoopMetrics *self,
                                                       const char    *team_id);
/* The teams (WcTeam *, scenario order) that neither received nor issued a warning or a
 * situation report: nobody told them anything of the crisis. */
GPtrArray            *wc_loop_metrics_get_uninformed  (WcLoopMetrics *self);

const char           *wc_loop_status_to_string        (WcLoopStatus status);
/* Translated: "met", "late", "missing", "filed", "not filed". */
const char           *wc_loop_status_to_label         (WcLoopStatus status);

G_END_DECLS
