/* wc-metrics.h: what reviewers measure, computed from the journal alone (and its scenario): who
 * knew what when, how fast each team acknowledged and answered, which expected actions were met,
 * late or missed, and who judged them; the staff's observations and objective ratings, the
 * teams' feedback. A review file's judgements may then replace the journal's
 * (wc_metrics_review()). */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "wc-engine.h"
#include "wc-journal.h"
#include "wc-metrics-loop.h"
#include "wc-review.h"
#include "wc-scenario.h"

G_BEGIN_DECLS

/* An expected action as judged: by a person, or by the action's rule (a proposal nobody
 * overruled); one that nobody judged is "not assessed", never "missed". */
typedef enum {
  WC_ACTION_MET,
  WC_ACTION_LATE,           /* met after its deadline */
  WC_ACTION_PARTIAL,
  WC_ACTION_NOT_MET,
  WC_ACTION_NA,             /* not applicable to this team */
  WC_ACTION_NOT_ASSESSED,
  WC_ACTION_N_STATUSES
} WcActionStatus;

typedef struct {
  const WcExpectedAction *action;
  WcActionStatus          status;
  gint64                  due_ms;     /* -1 when it has no deadline */
  gint64                  met_ms;     /* when judged, or when the rule saw it done; -1 */
  gboolean                automatic;  /* the rule's proposal */
  const char             *by;         /* staff id of who judged it (the reviewer's name when
                                       * reviewed), nullable */
  const char             *note;       /* nullable */
  gboolean                reviewed;   /* judged in the review file, over the journal */
  const char             *reviewed_at;    /* when, RFC 3339, if reviewed */
  WcActionStatus          journal_status; /* what the journal alone says */
  gboolean                journal_automatic;
} WcActionResult;

/* One team's side of one inject. Times are exercise ms, -1 for never; durations are ms. */
typedef struct {
  const WcInject *inject;
  const WcTeam   *team;
  gint64          fired_ms;
  gint64          delivered_ms;
  gint64          acknowledged_ms;
  gint64          first_response_ms;
  gint64          to_deliver_ms;
  gint64          to_acknowledge_ms;
  gint64          to_respond_ms;
  guint           n_responses;
  const char     *option;            /* the decision taken, nullable */
  GArray         *actions;           /* WcActionResult */
  guint           webhook_failures;  /* failed attempts */
  gboolean        webhook_gave_up;
} WcTeamInjectMetrics;

typedef struct {
  guint  n;
  gint64 median;  /* -1 when there is none */
  gint64 worst;
} WcDurationStats;

typedef struct {
  const WcTeam   *team;
  guint           received;
  guint           acknowledged;
  guint           responded;
  WcDurationStats to_acknowledge;
  WcDurationStats to_respond;
  guint           actions[WC_ACTION_N_STATUSES];  /* by WcActionStatus */
  guint           webhook_failures;
} WcTeamMetrics;

typedef struct {
  const WcObjective *objective;
  guint              actions[WC_ACTION_N_STATUSES];  /* its expected actions, by status */
} WcObjectiveMetrics;

typedef struct {
  gint64      t_ms;
  const char *time;     /* wall clock, RFC 3339 */
  const char *text;
  const char *author;   /* nullable */
} WcNote;

/* A staff member's observation ("observation" record). */
typedef struct {
  guint64            seq;        /* the record's: an improvement item names it */
  gint64             t_ms;
  const char        *time;
  WcObservationKind  kind;
  const char        *text;
  const char        *team;       /* nullable */
  const char        *inject;     /* nullable */
  const char        *objective;  /* nullable */
  const char        *by;         /* staff id, nullable: the controller at the machine */
} WcStaffObservation;

/* An Exercise Evaluation Guide rating ("objective-rated" record), in the journal's order. */
typedef struct {
  guint64     seq;
  gint64      t_ms;
  const char *time;
  const char *objective;
  const char *target;     /* nullable: the objective as a whole */
  WcRating    rating;
  const char *rationale;  /* nullable */
  const char *by;         /* nullable */
  gboolean    latest;     /* the one that stands for its objective and target */
} WcObjectiveRating;

/* A team's feedback in the hot wash, the last it gave. */
typedef struct {
  const WcTeam *team;
  gint64        t_ms;
  const char   *strengths;     /* nullable */
  const char   *improvements;  /* nullable */
  const char   *text;          /* nullable */
  guint         realism;       /* 1–5, 0 when not given */
  guint         usefulness;
} WcTeamFeedback;

#define WC_TYPE_METRICS (wc_metrics_get_type ())
G_DECLARE_FINAL_TYPE (WcMetrics, wc_metrics, WC, METRICS, GObject)

/* Computes everything from @journal's records, against @scenario (the one it was played from). */
WcMetrics                 *wc_metrics_new                 (WcScenario *scenario,
                                                           WcJournal  *journal);
/* The same measures with @review's judgements over the journal's (@review may be NULL): a new
 * object that shares @self's replay, without reading the journal again. */
WcMetrics                 *wc_metrics_review              (WcMetrics      *self,
                                                           const WcReview *review);

WcScenario                *wc_metrics_get_scenario        (WcMetrics *self);
WcJournal                 *wc_metrics_get_journal         (WcMetrics *self);
/* The coordination loop's measures (issue 14), the same with or without a review. */
WcLoopMetrics             *wc_metrics_get_loop            (WcMetrics *self);
/* The exercise time the journal reaches, and whether it ended. */
gint64                     wc_metrics_get_end_ms          (WcMetrics *self);
gboolean                   wc_metrics_get_ended           (WcMetrics *self);

/* Rows, by firing order then team order. */
guint                      wc_metrics_get_n_rows          (WcMetrics *self);
const WcTeamInjectMetrics *wc_metrics_get_row             (WcMetrics *self, guint i);

/* One per scenario team, in the scenario's order; the last one (index n_teams) is overall. */
const WcTeamMetrics       *wc_metrics_get_team            (WcMetrics *self, guint i);
const WcTeamMetrics       *wc_metrics_get_overall         (WcMetrics *self);

guint                      wc_metrics_get_n_objectives    (WcMetrics *self);
const WcObjectiveMetrics  *wc_metrics_get_objective       (WcMetrics *self, guint i);

guint                      wc_metrics_get_n_notes         (WcMetrics *self);
const WcNote              *wc_metrics_get_note            (WcMetrics *self, guint i);

guint                      wc_metrics_get_n_observations  (WcMetrics *self);
const WcStaffObservation  *wc_metrics_get_observation     (WcMetrics *self, guint i);
/* Ratings in the journal's order, history included (see WcObjectiveRating.latest). */
guint                      wc_metrics_get_n_ratings       (WcMetrics *self);
const WcObjectiveRating   *wc_metrics_get_rating          (WcMetrics *self, guint i);
/* The teams that gave feedback, in the scenario's order. */
guint                      wc_metrics_get_n_feedback      (WcMetrics *self);
const WcTeamFeedback      *wc_metrics_get_feedback        (WcMetrics *self, guint i);
/* The scenario's staff and those added during the exercise (WcStaff; never a token). */
GPtrArray                 *wc_metrics_get_staff           (WcMetrics *self);
/* Who a "by" names, for reports: the staff member's name, the id itself when unknown, or
 * "controller" for NULL (the controller at the machine). */
const char                *wc_metrics_get_staff_name      (WcMetrics  *self,
                                                           const char *staff_id);

WcActionStatus             wc_action_status_from_verdict  (WcVerdict      verdict);
const char                *wc_action_status_to_string     (WcActionStatus status);
/* Translated, for people: "met", "not met", "not assessed"… */
const char                *wc_action_status_to_label      (WcActionStatus status);

/* The "T+HH:MM:SS" of a duration or time, or "—" for -1; for reports. */
char                      *wc_metrics_format_ms           (gint64 ms);

G_END_DECLS
