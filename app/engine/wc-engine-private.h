/* wc-engine-private.h: the engine's state, shared by its clock/scheduler and its record appliers. */
#pragma once

#include "wc-engine.h"

G_BEGIN_DECLS

/* The longest text a team or a member of the staff may write at once (an answer, a note…). */
#define WC_ENGINE_MAX_RESPONSE (64 * 1024)

typedef struct {
  const WcInject *inject;
  guint           index;
  WcInjectStatus  status;
  gint64          fired_ms;       /* first firing, -1 before */
  gint64          rescheduled_ms; /* -1 unless the controller moved it */
  guint           generation;     /* queue items of older generations are stale */
  GPtrArray      *teams;          /* team ids it reached, in order (char *, the scenario's) */
  /* the same → WcTeamInjectState: one table per inject rather than one "inject\x1fteam" table for
   * the exercise, which at 5,000 teams grew to millions of keys and stalled the loop as it grew */
  GHashTable     *reached;
  GArray         *dependents;     /* indices of injects whose trigger names this one */
  WcInjectCounts  counts;
} InjectSlot;

/* A team's event stream as the journal last said: a review shows who was connected when. */
typedef struct {
  gboolean connected;
  gint64   since_ms;
} TeamPresence;

/* Something due: an inject (team NULL), or a contingency for one team. */
typedef struct {
  gint64  due_ms;
  guint   inject;
  guint   generation;
  char   *team;
} QueueItem;

struct _WcEngine {
  GObject        parent_instance;

  WcScenario    *scenario;
  WcJournal     *journal;
  char          *recovery_note;

  WcEngineState  state;
  double         speed;
  /* The clock: T = t_base + (now - mono_base) × speed while running, t_base otherwise. */
  gint64         t_base;
  gint64         mono_base;
  WcClockFunc    clock_func;
  gpointer       clock_data;

  GPtrArray     *slots;           /* InjectSlot, scenario's injects then ad-hoc ones */
  GHashTable    *slot_index;      /* inject id → index + 1 */
  GPtrArray     *adhoc;           /* WcInject owned by the engine */
  GHashTable    *team_injects;    /* team id → GPtrArray of inject ids, firing order */
  GHashTable    *team_counts;     /* team id → WcTeamCounts */
  /* team id → its sealed string node, shared by every "inject-fired" record's "teams": the
   * journal keeps its records, and an inject to 5,000 teams is otherwise 5,000 nodes each */
  GHashTable    *team_nodes;
  GSequence     *queue;           /* QueueItem by (due, inject, team) */
  guint          timer_id;
  guint          checkpoint_id;   /* writes where the clock stands while it runs */
  /* Set while the journal cannot be written: the clock stands still (it cannot be recorded)
   * until a record goes through again, which is then a pause for the controller to lift. */
  char          *journal_error;
  gboolean       clock_held;
  /* The clock as it stood when the journal was last made durable: what an undo goes back to. */
  struct {
    WcEngineState state;
    double        speed;
    gint64        t_base;
    gint64        mono_base;
  } durable_clock;
  /* Evaluation */
  char          *actor;           /* staff id of who acts now (wc_engine_set_actor), nullable */
  char          *request;         /* a relay's request id now (wc_engine_set_request), nullable */
  GPtrArray     *staff;           /* WcStaff: the scenario's, then those added */
  GHashTable    *feedback;        /* team id → JsonObject of its "feedback" record */
  GHashTable    *presence;        /* team id → TeamPresence, as the "team-presence" records say */
  GPtrArray     *retired;         /* WcInject of ad-hoc injects undone, still pointed at maybe */
  gboolean       replaying;
  /* The teams' traffic (wc-engine-traffic.c), rebuilt from the journal like the rest */
  GPtrArray     *traffic;         /* WcTrafficItem, in journal order */
  GHashTable    *traffic_index;   /* message id → WcTrafficItem */
  GHashTable    *team_traffic;    /* team id → GPtrArray of WcTrafficItem it sent or received */
  GHashTable    *traffic_sent;    /* team id → count of items it sent (GUINT_TO_POINTER) */
  guint          traffic_next;    /* n of the next id "M-n" */
  guint64        applying_seq;    /* sequence number of the record being applied */
  /* team id → GHashTable of its Idempotency-Keys → the record each made (wc-engine-keys.c),
   * rebuilt from the journal's "key" members like the rest: one entry per record at most */
  GHashTable    *keys;

  /* Records written but not yet synced and announced: the group commit. */
  GPtrArray     *pending;         /* PendingRecord */
  gboolean       group_commit;
  guint          commit_idle_id;
  GPtrArray     *durable_waiters; /* DurableWaiter */
  gpointer       durable_batch;   /* the group being synced on the journal's thread, or NULL */
  /* Durable groups being announced, a slice per main-loop turn, in the journal's order. */
  GQueue         announcing;      /* of Batch */
  guint          announce_id;
};

/* The engine's clock, in exercise ms. */
gint64   wc_engine_now_ms          (WcEngine *self);

/* Applies one record to the state; used live (after the append) and when replaying a journal,
 * so that the journal alone rebuilds the exercise. Returns FALSE for a record it cannot apply
 * (a journal of another scenario). */
gboolean wc_engine_apply_record    (WcEngine     *self,
                                    WcRecordType  type,
                                    JsonObject  *data,
                                    gint64       t_ms,
                                    GError     **error);

/* The same for a record read from a journal: a type that is not in the vocabulary, or a record
 * that cannot be applied, is an error that names the record's line. */
gboolean wc_engine_apply_journal_record (WcEngine               *self,
                                         const WcJournalRecord  *record,
                                         GError                **error);

/* Appends a record, applies it, and queues its announcement until wc_engine_commit(). */
gboolean wc_engine_append          (WcEngine     *self,
                                    WcRecordType  type,
                                    JsonObject  *data,
                                    GError     **error);
/* wc_engine_commit(), or with group commit, the group's sync on the journal's thread asked for
 * (a failure is then told by the "journal-error" signal). */
gboolean wc_engine_commit_soon     (WcEngine    *self,
                                    GError     **error);
/* wc_engine_process() with wc_engine_commit_soon(): for an action's announcement, which must not
 * wait for the disk again. */
void     wc_engine_process_soon    (WcEngine    *self);
/* Syncs the journal, then emits the queued records' signals. */
gboolean wc_engine_commit          (WcEngine    *self,
                                    GError     **error);

InjectSlot *wc_engine_slot         (WcEngine *self, const char *inject_id);
InjectSlot *wc_engine_add_slot     (WcEngine *self, const WcInject *inject);
void     wc_engine_schedule_slot   (WcEngine *self, InjectSlot *slot);
void     wc_engine_schedule_after_fire (WcEngine *self, InjectSlot *slot, GPtrArray *teams);
void     wc_engine_reschedule_timer (WcEngine *self);
WcTeamInjectState *
         wc_engine_team_state_lookup (WcEngine *self, const char *inject_id, const char *team_id);

QueueItem  *wc_engine_queue_head   (WcEngine *self);
/* Puts @slot (for @team, a contingency; or NULL) into the queue at @due_ms. */
void        wc_engine_enqueue      (WcEngine *self, InjectSlot *slot, gint64 due_ms,
                                    const char *team);
gboolean    wc_engine_team_reached (InjectSlot *slot, const char *team);
JsonObject *wc_engine_fired_data   (WcEngine *self, InjectSlot *slot, GPtrArray *teams,
                                    const char *cause, gint64 due_ms);
/* Fires everything due at or before @t_ms, in order (not yet synced). */
gboolean    wc_engine_fire_due     (WcEngine *self, gint64 t_ms, const char *cause_override,
                                    GError **error);
/* Writes one record (taking @data) and makes it durable; then tells everyone. */
gboolean    wc_engine_record_now   (WcEngine *self, WcRecordType type, JsonObject *data,
                                    GError **error);
/* Makes the records appended so far durable, then tells everyone. */
gboolean    wc_engine_finish_action (WcEngine *self, WcEngineState old_state, double old_speed,
                                     GError **error);
void        wc_engine_add_adhoc_slot (WcEngine *self, WcInject *inject);
/* Writes @data to a new file @name in @dir (never over one, never through a link), 0600; a name
 * already taken gets a number in front. Returns the name used. */
char       *wc_engine_write_new_file (const char *dir, const char *name, const char *data,
                                      gsize length, GError **error);

/* The engine's properties and signals, shared by its files. */
enum {
  WC_ENGINE_PROP_0,
  WC_ENGINE_PROP_STATE,
  WC_ENGINE_PROP_SPEED,
  WC_ENGINE_PROP_JOURNAL_ERROR,
  WC_ENGINE_N_PROPS
};

enum {
  WC_ENGINE_SIGNAL_RECORD,
  WC_ENGINE_SIGNAL_INJECT_FIRED,
  WC_ENGINE_SIGNAL_JOURNAL_ERROR,
  WC_ENGINE_N_SIGNALS
};

extern GParamSpec *wc_engine_properties[WC_ENGINE_N_PROPS];
extern guint wc_engine_signals[WC_ENGINE_N_SIGNALS];

/* A record written, not yet durable and announced (the group commit). */
typedef struct {
  guint64       seq;
  WcRecordType  type;
  JsonObject   *data;
  gint64        t_ms;
} PendingRecord;

typedef struct {
  WcDurableFunc  func;
  gpointer       user_data;
  GDestroyNotify destroy;
} DurableWaiter;

void     wc_engine_pending_record_free (gpointer data);
void     wc_engine_team_state_free (gpointer data);
/* @ts's containers, its own from now on (they start as shared empty ones: most teams never
 * answer most injects, and an inject to 5,000 teams made 20,000 empty arrays) */
GPtrArray *wc_engine_team_state_own (WcTeamInjectState *ts, GPtrArray **array);
GArray  *wc_engine_team_state_own_times (WcTeamInjectState *ts);
void     wc_engine_durable_waiter_free (gpointer data);
void     wc_engine_build_slots     (WcEngine *self);
/* The clock as it stands, as the state an undo goes back to. */
void     wc_engine_save_durable_clock (WcEngine *self);
/* While the journal cannot be written: a record that goes through ends the outage. */
void     wc_engine_retry_journal   (WcEngine *self);
void     wc_engine_retry_in_a_second (WcEngine *self);
void     wc_engine_retry_soon      (WcEngine *self);

/* A person's judgement of one expected action (WcTeamInjectState's judgements). */
typedef struct {
  char      *action;
  WcVerdict  verdict;
  gint64     t_ms;
  char      *by;
  char      *note;
} Judgement;

void     wc_engine_judgement_free  (gpointer data);
/* Records a person's judgement in @ts (NULL @verdict PENDING: withdrawn). */
void     wc_engine_set_judgement   (WcTeamInjectState *ts, const char *action, WcVerdict verdict,
                                    gint64 t_ms, const char *by, const char *note);
/* The state of the engine's own (the scenario's staff copied, and staff added). */
void     wc_engine_init_staff      (WcEngine *self);
void     wc_engine_add_staff_member (WcEngine *self, const char *id, const char *name,
                                     WcStaffRole role);

/* The traffic table (wc-engine-traffic.c): made empty, freed, and a traffic record applied. */
void     wc_engine_init_traffic    (WcEngine *self);
void     wc_engine_clear_traffic   (WcEngine *self);
void     wc_engine_free_traffic    (WcEngine *self);
gboolean wc_engine_apply_traffic   (WcEngine *self, WcRecordType type, JsonObject *data,
                                    gint64 t_ms, GError **error);

/* The teams' Idempotency-Keys (wc-engine-keys.c). */
void     wc_engine_init_keys       (WcEngine *self);
void     wc_engine_clear_keys      (WcEngine *self);
void     wc_engine_free_keys       (WcEngine *self);
/* The applier's: @team made a record of @type with @data, which may carry a "key"; @index, a
 * response's place among the team's answers to its inject. The first record with a key keeps
 * it. */
void     wc_engine_remember_key    (WcEngine *self, const char *team, WcRecordType type,
                                    JsonObject *data, guint index);
/* Once the exercise has ended, whether @owner's request with Idempotency-Key @key is the retry
 * of one the exercise took while it ran (its reply lost on the way): answered as then, nothing
 * recorded. */
gboolean wc_engine_is_retry_after_end (WcEngine *self, const char *owner, const char *key);
/* Whose keys a member of the staff's are (@staff_id, or NULL for the controller at this machine):
 * never a team's, as no id has a ":". */
char    *wc_engine_staff_key_owner (const char *staff_id);
/* Before @team records @record of @type with @key: a new key is set in @record (*@earlier
 * NULL); a key that made the same record (all but its id, time, version and who relayed it)
 * gives that record's data in *@earlier and *@index; a key that made anything else is
 * WC_ENGINE_ERROR_CONFLICT. */
gboolean wc_engine_claim_key       (WcEngine *self, const char *team, const char *key,
                                    WcRecordType type, JsonObject *record, JsonObject **earlier,
                                    guint *index, GError **error);

G_END_DECLS
