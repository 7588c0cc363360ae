/* wc-live.h: the exercise as the controller's window shows it: list models of injects, teams and
 * events that follow the engine record by record (no widget keeps exercise state of its own).
 * GTK-free; the GTK app binds its views to these models. */
#pragma once

#include <gio/gio.h>

#include "wc-engine.h"
#include "wc-presence.h"

G_BEGIN_DECLS

#define WC_TYPE_LIVE_INJECT (wc_live_inject_get_type ())
G_DECLARE_FINAL_TYPE (WcLiveInject, wc_live_inject, WC, LIVE_INJECT, GObject)

/* Properties: "id", "time" (T+01:30, "after I-003", "manual"), "due-ms" (gint64, -1 unknown),
 * "title", "channel" (its name in the format), "recipients", "status" (pending, held, skipped,
 * fired), "status-label" (translated: Pending, Next, Held, Skipped, Fired), "acknowledged" and
 * "answered" ("3/5": by how many of the teams it reached, once fired), "n-teams",
 * "n-acknowledged", "n-responded", "is-next". */
const char *wc_live_inject_get_id          (WcLiveInject *self);
const char *wc_live_inject_get_status      (WcLiveInject *self);
const char *wc_live_inject_get_status_label (WcLiveInject *self);
const char *wc_live_inject_get_acknowledged (WcLiveInject *self);
const char *wc_live_inject_get_answered    (WcLiveInject *self);
guint       wc_live_inject_get_n_acknowledged (WcLiveInject *self);
guint       wc_live_inject_get_n_responded (WcLiveInject *self);
guint       wc_live_inject_get_n_teams     (WcLiveInject *self);
gint64      wc_live_inject_get_due_ms      (WcLiveInject *self);
gboolean    wc_live_inject_get_is_next     (WcLiveInject *self);
/* Whether @team_id is among its recipients (for filtering by team). */
gboolean    wc_live_inject_has_team        (WcLiveInject *self,
                                            const char   *team_id);

#define WC_TYPE_LIVE_TEAM (wc_live_team_get_type ())
G_DECLARE_FINAL_TYPE (WcLiveTeam, wc_live_team, WC, LIVE_TEAM, GObject)

/* Properties: "id", "name", "kind" (translated), "language", "connected", "last-seen" (local
 * wall-clock "HH:MM:SS", "" if never), "pending-acks", "overdue", "webhook-failures",
 * "join-url". */
const char *wc_live_team_get_id            (WcLiveTeam *self);
gboolean    wc_live_team_get_connected     (WcLiveTeam *self);
guint       wc_live_team_get_pending_acks  (WcLiveTeam *self);
guint       wc_live_team_get_overdue       (WcLiveTeam *self);
guint       wc_live_team_get_webhook_failures (WcLiveTeam *self);
const char *wc_live_team_get_join_url      (WcLiveTeam *self);

typedef enum {
  WC_LIVE_EVENT_ACKNOWLEDGED,
  WC_LIVE_EVENT_RESPONSE,
  WC_LIVE_EVENT_DECISION,
  WC_LIVE_EVENT_DELIVERY_FAILED,
  WC_LIVE_EVENT_NOTE,
  WC_LIVE_EVENT_CLOCK,
  WC_LIVE_EVENT_JUDGEMENT,      /* an expected action judged (or a judgement withdrawn) */
  WC_LIVE_EVENT_OBSERVATION,
  WC_LIVE_EVENT_RATING,         /* an objective rated */
  WC_LIVE_EVENT_STAFF,          /* a member of the staff added */
  WC_LIVE_EVENT_FEEDBACK,       /* a team's feedback in the hot wash */
  WC_LIVE_EVENT_CONTROL,        /* the controller's hand: hold, release, skip, fire, ad-hoc,
                                 * reschedule, jump, speed */
  WC_LIVE_EVENT_TRAFFIC,        /* the teams' own traffic: a message, notification, warning or
                                 * situation report sent, or acknowledged (wc-live-traffic.h) */
} WcLiveEventKind;

#define WC_TYPE_LIVE_EVENT (wc_live_event_get_type ())
G_DECLARE_FINAL_TYPE (WcLiveEvent, wc_live_event, WC, LIVE_EVENT, GObject)

/* Properties (fixed once made): "kind" (int), "time" (T+HH:MM:SS), "t-ms", "team" (its name),
 * "inject", "summary" (one translated line: "National CSIRT acknowledged I-003"), "text"
 * (the response or note, verbatim; untrusted), "by" (who did it, for evaluation, notes and the
 * controller's actions: a staff member's name (untrusted), or "Controller" for the controller at
 * this machine; NULL for what teams and the schedule do).
 *
 * Events are made from records alone, so that the feed of an exercise resumed from its journal
 * is the one its controller saw before. */
WcLiveEventKind wc_live_event_get_kind     (WcLiveEvent *self);
const char *wc_live_event_get_summary      (WcLiveEvent *self);
const char *wc_live_event_get_text         (WcLiveEvent *self);
const char *wc_live_event_get_inject       (WcLiveEvent *self);
const char *wc_live_event_get_by           (WcLiveEvent *self);

/* Translated names, for every view of the evaluation: "met late", "Proposed: met late",
 * "evaluator". */
const char *wc_live_verdict_label          (WcVerdict    verdict);
const char *wc_live_verdict_proposed_label (WcVerdict    verdict);
const char *wc_live_staff_role_label       (WcStaffRole  role);
/* Who a record's "by" (a staff id, nullable) is: the member's name, the id of one unknown, or
 * "Controller" for the controller at this machine. */
const char *wc_live_staff_name             (WcEngine    *engine,
                                            const char  *by);

#define WC_TYPE_LIVE (wc_live_get_type ())
G_DECLARE_FINAL_TYPE (WcLive, wc_live, WC, LIVE, GObject)

/* @presence is nullable (no HTTP server: no presence, no join links). */
WcLive       *wc_live_new               (WcEngine   *engine,
                                         WcPresence *presence);
/* The presence of teams, when the models were made before the server (in a worker thread). */
void          wc_live_set_presence      (WcLive     *self,
                                         WcPresence *presence);
WcEngine     *wc_live_get_engine        (WcLive     *self);
/* WcLiveInject in scenario order (ad-hoc ones appended). */
GListModel   *wc_live_get_injects       (WcLive     *self);
/* WcLiveTeam in scenario order. */
GListModel   *wc_live_get_teams         (WcLive     *self);
/* WcLiveEvent, newest first. Events join the list once per main-loop turn (at once when this is
 * called), so that a burst of answers is one change of the list. For an engine resumed from its
 * journal, the list starts with what the journal holds ("response-received" is not emitted for
 * those). */
GListModel   *wc_live_get_events        (WcLive     *self);
/* WcLiveConversation (wc-live-traffic.h): the teams' traffic, the most recently active
 * conversation first; made when first asked for. */
GListModel   *wc_live_get_traffic       (WcLive     *self);
/* WcLiveAssessItem (wc-live-assess.h): what waits for a person's judgement; made when first
 * asked for. */
GListModel   *wc_live_get_to_assess     (WcLive     *self);
WcLiveInject *wc_live_find_inject       (WcLive     *self,
                                         const char *inject_id);
WcLiveTeam   *wc_live_find_team         (WcLive     *self,
                                         const char *team_id);
/* Re-reads what changes with time alone (next inject, overdue actions, last seen). The window
 * calls it with its clock tick; tests call it after moving a fake clock. */
void          wc_live_tick              (WcLive     *self);

/* Signal "response-received" (WcLiveEvent *): a team answered; the window may notify. */

G_END_DECLS
