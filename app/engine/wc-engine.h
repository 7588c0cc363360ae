/* wc-engine.h: the exercise clock and scheduler; every change goes through the journal first. */
#pragma once

#include <json-glib/json-glib.h>

#include "wc-journal.h"
#include "wc-record.h"
#include "wc-scenario.h"

G_BEGIN_DECLS

#define WC_ENGINE_ERROR (wc_engine_error_quark ())
GQuark wc_engine_error_quark (void);

typedef enum {
  WC_ENGINE_ERROR_STATE = 1,    /* not allowed in the exercise's current state */
  WC_ENGINE_ERROR_NOT_FOUND,    /* no such inject, team or option */
  WC_ENGINE_ERROR_INVALID,      /* a value out of range */
  WC_ENGINE_ERROR_JOURNAL,      /* the journal could not be written: nothing changed */
  WC_ENGINE_ERROR_MISMATCH,     /* the journal is of another scenario */
  WC_ENGINE_ERROR_DENIED,       /* the scenario does not allow this team to do it */
  WC_ENGINE_ERROR_UNSUPPORTED,  /* a kind of file (or data) the exercise does not take */
  WC_ENGINE_ERROR_CONFLICT,     /* an Idempotency-Key the team already used for something else */
} WcEngineError;

typedef enum {
  WC_ENGINE_READY,
  WC_ENGINE_RUNNING,
  WC_ENGINE_PAUSED,
  WC_ENGINE_ENDED,
} WcEngineState;

typedef enum {
  WC_INJECT_PENDING,  /* waits for its time or its trigger */
  WC_INJECT_HELD,     /* the controller holds it back */
  WC_INJECT_SKIPPED,  /* will not fire */
  WC_INJECT_FIRED,    /* fired (for a contingency: to at least one team) */
} WcInjectStatus;

#define WC_ENGINE_MIN_SPEED 0.1
#define WC_ENGINE_MAX_SPEED 100.0

typedef struct {
  gint64      t_ms;
  const char *text;            /* nullable */
  const char *option;          /* nullable */
} WcResponse;

/* One team's side of one inject, as the engine's one applier of records (wc-engine-apply.c) keeps
 * it: the live models, the HTTP layer and the metrics all read it from here. Times are exercise
 * times in ms, -1 when not (yet). Answering counts as acknowledging. */
typedef struct {
  gint64      reached_ms;        /* when the inject was fired to this team */
  gint64      delivered_ms;
  gint64      acknowledged_ms;
  gint64      first_response_ms;
  guint       n_responses;
  const char *last_response;   /* text of the latest response with a text, nullable */
  const char *option;          /* the decision option chosen last, nullable */
  GPtrArray  *responses;       /* WcResponse, oldest first */
  GPtrArray  *actions_met;     /* expected-action ids (char *) */
  GArray     *actions_met_ms;  /* gint64, when each of actions_met was met */
  guint       webhook_failures; /* attempts that did not deliver */
  gboolean    webhook_gave_up;
  GPtrArray  *judgements;      /* a person's judgement of each action judged (read them with
                                * wc_engine_get_judgement()) */
} WcTeamInjectState;

/* One inject's recipients, counted by the same applier. */
typedef struct {
  guint n_teams;          /* teams it reached */
  guint n_acknowledged;
  guint n_responded;
} WcInjectCounts;

/* One team, across every inject that reached it. */
typedef struct {
  guint received;
  guint acknowledged;
  guint responded;
  guint webhook_failures;
} WcTeamCounts;

/* A judgement of one expected action for one team. */
typedef enum {
  WC_VERDICT_PENDING,    /* not assessed (yet): never counted as missed */
  WC_VERDICT_MET,
  WC_VERDICT_LATE,       /* met, after its deadline */
  WC_VERDICT_PARTIAL,
  WC_VERDICT_NOT_MET,
  WC_VERDICT_NA,         /* not applicable to this team */
} WcVerdict;

/* "pending", "met", "late", "partial", "not-met", "na" */
const char     *wc_verdict_to_string          (WcVerdict    verdict);
gboolean        wc_verdict_from_string        (const char  *name,
                                               WcVerdict   *verdict);

typedef struct {
  WcVerdict   verdict;
  gboolean    automatic;   /* proposed by the action's rule (no one judged it yet) */
  gint64      t_ms;        /* when judged, or when the rule saw it done; -1 when pending */
  const char *by;          /* staff id of who judged it, nullable */
  const char *note;        /* nullable */
} WcJudgement;

/* An Exercise Evaluation Guide's rating of an objective (or one of its capability targets). */
typedef enum {
  WC_RATING_PERFORMED,         /* performed without challenges */
  WC_RATING_SOME_CHALLENGES,
  WC_RATING_MAJOR_CHALLENGES,
  WC_RATING_UNABLE,            /* unable to be performed */
} WcRating;

const char     *wc_rating_to_string           (WcRating     rating);
gboolean        wc_rating_from_string         (const char  *name,
                                               WcRating    *rating);

/* What an observation says of the team, inject or objective it is about. */
typedef enum {
  WC_OBSERVATION_NOTE,
  WC_OBSERVATION_STRENGTH,
  WC_OBSERVATION_IMPROVEMENT,  /* an area for improvement */
} WcObservationKind;

const char     *wc_observation_kind_to_string (WcObservationKind kind);
gboolean        wc_observation_kind_from_string (const char        *name,
                                                 WcObservationKind *kind);

/* A team's feedback in the hot wash; ratings from 1 to 5, 0 when not given. */
typedef struct {
  const char *strengths;
  const char *improvements;
  guint       realism;
  guint       usefulness;
  const char *text;
} WcFeedback;

/* Returns monotonic microseconds; tests pass a fake one. */
typedef gint64 (*WcClockFunc) (gpointer user_data);

#define WC_TYPE_ENGINE (wc_engine_get_type ())
G_DECLARE_FINAL_TYPE (WcEngine, wc_engine, WC, ENGINE, GObject)

/* A new exercise: creates the journal at @journal_path (which must not exist). */
WcEngine       *wc_engine_new                 (WcScenario  *scenario,
                                               const char  *journal_path,
                                               GError     **error);
/* An exercise carried on from its journal: the state is rebuilt record by record, and the clock,
 * if it had started, stands paused at the last exercise time the journal knew. */
WcEngine       *wc_engine_resume              (WcScenario   *scenario,
                                               const char   *journal_path,
                                               GError      **error);
/* The same two with the journal opened by the caller (the window does its file work in a worker
 * thread). wc_engine_new_for_journal() takes a journal just created and belongs on the main
 * context's thread; wc_engine_resume_journal() replays a journal opened with wc_journal_open()
 * (@recovery: what that repaired, nullable) and adds no main-context source, so it may run in a
 * worker thread. */
WcEngine       *wc_engine_new_for_journal     (WcScenario               *scenario,
                                               WcJournal                *journal,
                                               GError                  **error);
WcEngine       *wc_engine_resume_journal      (WcScenario               *scenario,
                                               WcJournal                *journal,
                                               const WcJournalRecovery  *recovery,
                                               GError                  **error);

/* A read-only engine for reviews: no journal, no clock; records of a journal are applied one by
 * one with wc_engine_replay_record(), each announced by the "record" signal as it was live, so
 * that the exercise can be seen as it stood at any time. Actions on it fail. */
WcEngine       *wc_engine_new_replay          (WcScenario              *scenario);
gboolean        wc_engine_replay_record       (WcEngine                *self,
                                               const WcJournalRecord   *record,
                                               GError                 **error);
/* The replay's clock: between records, the time being looked at. */
void            wc_engine_replay_set_time     (WcEngine                *self,
                                               gint64                   t_ms);
/* For a relay: @journal (a mirror, see wc_journal_new_mirror()) is what wc_engine_get_journal()
 * returns; the caller adds its records there before replaying each. Before the first record. */
void            wc_engine_replay_set_journal  (WcEngine                *self,
                                               WcJournal               *journal);

WcScenario     *wc_engine_get_scenario        (WcEngine *self);
WcJournal      *wc_engine_get_journal         (WcEngine *self);
WcEngineState   wc_engine_get_state           (WcEngine *self);
const char     *wc_engine_state_to_string     (WcEngineState state);
double          wc_engine_get_speed           (WcEngine *self);
/* The exercise time now, in ms. */
gint64          wc_engine_get_time            (WcEngine *self);
/* Why the journal cannot be written now, or NULL when it can ("journal-error" property). While
 * it cannot, the clock stands still and the engine tries again every second; once a record goes
 * through, the exercise is paused there (a "clock-paused" record with reason "journal-error"). */
const char     *wc_engine_get_journal_error   (WcEngine *self);
/* What wc_engine_resume() repaired, if anything (see WcJournalRecovery); nullable. */
const char     *wc_engine_get_recovery_note   (WcEngine *self);

/* For tests: a fake monotonic clock. After moving it, call wc_engine_process(). */
void            wc_engine_set_clock_func      (WcEngine    *self,
                                               WcClockFunc  func,
                                               gpointer     user_data);
/* Fires everything due now; the engine's timer calls it, tests call it after moving the clock. */
void            wc_engine_process             (WcEngine *self);

/* Group commit, for a server answering many requests: actions append their records and return at
 * once, and one sync at the end of the main-loop turn makes them all durable before any is
 * announced. Whoever must not answer before a record is durable (an HTTP reply) waits for
 * wc_engine_when_durable(). Off by default: each action is then synced before it returns. */
typedef void (*WcDurableFunc) (WcEngine *engine, const GError *error, gpointer user_data);

void            wc_engine_set_group_commit    (WcEngine *self, gboolean group_commit);
/* Calls @func once every record appended so far is on disk (at once if they all are), with the
 * error if the sync failed. */
void            wc_engine_when_durable        (WcEngine       *self,
                                               WcDurableFunc   func,
                                               gpointer        user_data,
                                               GDestroyNotify  destroy);
/* Records where the clock stands now (a "checkpoint"), so that after a crash the exercise
 * resumes from there. While the clock runs the engine does it by itself every 10 s of wall time,
 * or more often at speed (at least every minute of exercise time). */
gboolean        wc_engine_checkpoint          (WcEngine *self, GError **error);

/* Appends a record that changes no state (a webhook attempt): announced like any other. */
gboolean        wc_engine_log                 (WcEngine     *self,
                                               WcRecordType  type,
                                               JsonObject  *data,
                                               GError     **error);

/* Controller actions. Each is written to the journal and synced before it takes effect; on a
 * journal error nothing changes and @error says why. */
gboolean        wc_engine_start               (WcEngine *self, GError **error);
gboolean        wc_engine_pause               (WcEngine *self, GError **error);
gboolean        wc_engine_resume_clock        (WcEngine *self, GError **error);
gboolean        wc_engine_end                 (WcEngine *self, const char *reason, GError **error);
/* Records a clean stop of the process (SIGINT/SIGTERM): the clock is paused, and a later
 * wc_engine_resume() carries on from there. */
gboolean        wc_engine_stop                (WcEngine *self, const char *reason, GError **error);
gboolean        wc_engine_set_speed           (WcEngine *self, double speed, GError **error);
/* Moves the clock forward to @t_ms. Injects passed over fire in order, or are skipped. */
gboolean        wc_engine_jump                (WcEngine  *self,
                                               gint64     t_ms,
                                               gboolean   skip_passed,
                                               GError   **error);

gboolean        wc_engine_fire_inject         (WcEngine *self, const char *inject_id, GError **error);
gboolean        wc_engine_hold_inject         (WcEngine *self, const char *inject_id, GError **error);
gboolean        wc_engine_release_inject      (WcEngine *self, const char *inject_id, GError **error);
gboolean        wc_engine_skip_inject         (WcEngine *self, const char *inject_id, GError **error);
gboolean        wc_engine_reschedule_inject   (WcEngine   *self,
                                               const char *inject_id,
                                               gint64      at_ms,
                                               GError    **error);
/* Composes and fires an inject on the spot; @to NULL means every team. Returns its new id. */
char           *wc_engine_send_adhoc          (WcEngine           *self,
                                               const char         *title,
                                               const char         *body,
                                               WcChannel           channel,
                                               const char *const  *to,
                                               WcTlp               tlp,
                                               GError            **error);
/* The same with its title and body in each of the exercise's languages (or language-neutral),
 * a sender (the id of one of the scenario's actors, or NULL), expected actions
 * (WcExpectedAction: text and deadline_ms; judged by a person) and attachments (WcAttachment
 * from wc_engine_store_adhoc_attachment()); both arrays nullable. */
char           *wc_engine_send_adhoc_full     (WcEngine           *self,
                                               const WcText       *title,
                                               const WcText       *body,
                                               const char         *from,
                                               WcChannel           channel,
                                               const char *const  *to,
                                               WcTlp               tlp,
                                               GPtrArray          *actions,
                                               GPtrArray          *attachments,
                                               GError            **error);
/* The largest file an ad-hoc inject may carry. */
#define WC_ADHOC_ATTACHMENT_MAX ((gsize) 50 * 1024 * 1024)
/* Copies @source (a regular file of at most WC_ADHOC_ATTACHMENT_MAX) into JOURNAL.attachments/,
 * under the id the next ad-hoc inject will get, before it is sent: blocking file work, at most
 * WC_ADHOC_ATTACHMENT_MAX. Returns the attachment to pass to wc_engine_send_adhoc_full(). */
WcAttachment   *wc_engine_store_adhoc_attachment (WcEngine    *self,
                                                  const char  *source,
                                                  const char  *media_type,
                                                  GError     **error);
/* The folder @inject_id's attachment files are relative to: beside the journal for an ad-hoc
 * inject, the scenario's folder otherwise; NULL when there is none. */
char           *wc_engine_get_attachment_folder (WcEngine   *self,
                                                 const char *inject_id);
gboolean        wc_engine_add_note            (WcEngine   *self,
                                               const char *text,
                                               GError    **error);

/* The teams' side (the HTTP layer calls these). */
gboolean        wc_engine_mark_delivered      (WcEngine   *self,
                                               const char *inject_id,
                                               const char *team_id,
                                               const char *via,
                                               GError    **error);
gboolean        wc_engine_acknowledge         (WcEngine   *self,
                                               const char *inject_id,
                                               const char *team_id,
                                               GError    **error);
gboolean        wc_engine_respond             (WcEngine   *self,
                                               const char *inject_id,
                                               const char *team_id,
                                               const char *text,
                                               const char *option,
                                               GError    **error);
/* wc_engine_respond() with the team's Idempotency-Key (docs/API.md; NULL: none), which the
 * record keeps: when @team_id already answered with @key, the same answer again records nothing
 * and *@made is the earlier one; another answer (or a key used for a message) is
 * WC_ENGINE_ERROR_CONFLICT. *@made (nullable): the answer, the engine's. */
gboolean        wc_engine_respond_with_key    (WcEngine          *self,
                                               const char        *inject_id,
                                               const char        *team_id,
                                               const char        *text,
                                               const char        *option,
                                               const char        *key,
                                               const WcResponse **made,
                                               GError           **error);
/* An Idempotency-Key is 1 to 64 of [A-Za-z0-9._-]. */
gboolean        wc_engine_key_is_valid        (const char *key);
/* Whether @team_id has made a record with Idempotency-Key @key: a retry, which the limits on
 * how much a team may send let through since it adds nothing. Keys are each team's own. */
gboolean        wc_engine_has_key             (WcEngine   *self,
                                               const char *team_id,
                                               const char *key);
gboolean        wc_engine_mark_action_met     (WcEngine   *self,
                                               const char *inject_id,
                                               const char *team_id,
                                               const char *action_id,
                                               GError    **error);

/* Evaluation (wc-engine-evaluation.c). Staff actions carry who did them: the caller says who
 * with wc_engine_set_actor() (a staff id, or NULL for the controller at this machine) for the
 * calls that follow. */
void            wc_engine_set_actor           (WcEngine   *self,
                                               const char *staff_id);
const char     *wc_engine_get_actor           (WcEngine   *self);
/* A relay's request id (docs/SCALING.md) that the records appended until it is set to NULL
 * carry as "request", so that a controller restarted knows which commands it already ran. */
void            wc_engine_set_request         (WcEngine   *self,
                                               const char *request_id);
/* Judges @action_id (its id, or its position in the inject from "1") of @inject_id for
 * @team_id, which it must have reached. WC_VERDICT_PENDING withdraws a judgement. */
gboolean        wc_engine_assess              (WcEngine    *self,
                                               const char  *inject_id,
                                               const char  *team_id,
                                               const char  *action_id,
                                               WcVerdict    verdict,
                                               const char  *note,
                                               GError     **error);
/* The judgement that stands: a person's if any, else the rule's proposal, else pending. */
void            wc_engine_get_judgement       (WcEngine         *self,
                                               const char       *inject_id,
                                               const char       *team_id,
                                               const WcExpectedAction *action,
                                               WcJudgement      *judgement);
/* What waits for a person's judgement: (inject, team, action) of every team reached, as
 * WcAssessItem, in firing order. */
typedef struct {
  const WcInject         *inject;
  const char             *team;
  const WcExpectedAction *action;
  WcJudgement             proposal;   /* the rule's, or pending */
} WcAssessItem;
GArray         *wc_engine_list_to_assess      (WcEngine *self);
gboolean        wc_engine_observe             (WcEngine          *self,
                                               const char        *text,
                                               WcObservationKind  kind,
                                               const char        *team_id,
                                               const char        *inject_id,
                                               const char        *objective_id,
                                               GError           **error);
/* The same with the observer's Idempotency-Key @key (nullable): sent again by the same person
 * with the same content, nothing is recorded; *@seq (nullable) is the sequence number of the
 * record made, or made the first time. The key with another observation is
 * WC_ENGINE_ERROR_CONFLICT. Each member of the staff has keys of their own. */
gboolean        wc_engine_observe_with_key    (WcEngine          *self,
                                               const char        *text,
                                               WcObservationKind  kind,
                                               const char        *team_id,
                                               const char        *inject_id,
                                               const char        *objective_id,
                                               const char        *key,
                                               guint64           *seq,
                                               GError           **error);
gboolean        wc_engine_rate_objective      (WcEngine    *self,
                                               const char  *objective_id,
                                               const char  *target,
                                               WcRating     rating,
                                               const char  *rationale,
                                               GError     **error);
/* A team's feedback, once the exercise has ended (the hot wash); a second one replaces it. */
gboolean        wc_engine_give_feedback       (WcEngine          *self,
                                               const char        *team_id,
                                               const WcFeedback  *feedback,
                                               GError           **error);
/* The team's feedback as it stands (a record's data, borrowed), or NULL. */
JsonObject     *wc_engine_get_feedback        (WcEngine   *self,
                                               const char *team_id);
/* Staff added while the exercise is prepared or runs (the scenario names others). */
gboolean        wc_engine_add_staff           (WcEngine    *self,
                                               const char  *staff_id,
                                               const char  *name,
                                               WcStaffRole  role,
                                               GError     **error);
/* The scenario's staff and those added, in that order. */
const WcStaff  *wc_engine_find_staff          (WcEngine   *self,
                                               const char *staff_id);
GPtrArray      *wc_engine_get_staff           (WcEngine   *self);

/* Queries. Injects include the ad-hoc ones, after the scenario's. */
guint           wc_engine_get_n_injects       (WcEngine *self);
const WcInject *wc_engine_get_inject          (WcEngine *self, guint i);
const WcInject *wc_engine_find_inject         (WcEngine *self, const char *inject_id);
WcInjectStatus  wc_engine_get_inject_status   (WcEngine *self, const char *inject_id);
/* When it fired (first time for a contingency), else -1; its planned time, else -1. */
gint64          wc_engine_get_inject_fired_at (WcEngine *self, const char *inject_id);
gint64          wc_engine_get_inject_due      (WcEngine *self, const char *inject_id);
/* The teams it has reached so far (the engine's own array, nullable). */
GPtrArray      *wc_engine_get_inject_teams    (WcEngine *self, const char *inject_id);
/* NULL when @inject_id has not reached @team_id. */
const WcTeamInjectState *
                wc_engine_get_team_state      (WcEngine   *self,
                                               const char *inject_id,
                                               const char *team_id);
/* Counts kept by the applier; zeros for an unknown inject or team. */
void            wc_engine_get_inject_counts   (WcEngine       *self,
                                               const char     *inject_id,
                                               WcInjectCounts *counts);
void            wc_engine_get_team_counts     (WcEngine       *self,
                                               const char     *team_id,
                                               WcTeamCounts   *counts);
/* Injects fired to @team_id, in firing order (const char * ids; the engine's own array). */
GPtrArray      *wc_engine_get_team_injects    (WcEngine *self, const char *team_id);
/* Whether the journal last said @team_id had an event stream open ("team-presence"), and since
 * when (exercise ms, -1 when it never said); what a review replays, not the live truth. */
gboolean        wc_engine_get_team_presence   (WcEngine   *self,
                                               const char *team_id,
                                               gint64     *since_ms);

/* The inject an "adhoc-created" record describes (for replays and reviews); NULL if it is not
 * one. Free with wc_inject_free(). */
WcInject       *wc_engine_adhoc_inject_from_record (WcScenario *scenario,
                                                    JsonObject *data);

/* Signals:
 *   "record" (guint64 seq, WcRecordType type (as int), JsonObject *data, gint64 t_ms): after each
 *     record is durable and applied: the UI's feed, the HTTP layer's events.
 *   "inject-fired" (const char *inject_id, GStrv teams)
 *   "journal-error" (GError *): a record could not be written or synced
 *   notify::state, notify::speed, notify::journal-error
 */

G_END_DECLS

/* The teams' traffic (issue 14): declared after WcEngine. */
#include "wc-traffic.h"
