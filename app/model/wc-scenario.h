/* wc-scenario.h: the in-memory model of an exercise scenario (format version 1). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Limits that guard against absurd input; the loader reports anything beyond them. */
#define WC_SCENARIO_MAX_FILE_SIZE    (64 * 1024 * 1024)
#define WC_SCENARIO_MAX_ATTACHMENT_SIZE (50 * 1024 * 1024)
#define WC_SCENARIO_MAX_INJECTS      100000
#define WC_SCENARIO_MAX_TEAMS        20000
#define WC_SCENARIO_MAX_TEXT         (1024 * 1024)
#define WC_SCENARIO_MAX_DURATION_MS  ((gint64) 14 * 24 * 3600 * 1000)

typedef enum {
  WC_TLP_CLEAR,
  WC_TLP_GREEN,
  WC_TLP_AMBER,
  WC_TLP_AMBER_STRICT,
  WC_TLP_RED,
} WcTlp;

typedef enum {
  WC_TEAM_KIND_CSIRT,
  WC_TEAM_KIND_SECTOR_AUTHORITY,
  WC_TEAM_KIND_OPERATOR,
  WC_TEAM_KIND_CRISIS_CENTRE,
  WC_TEAM_KIND_GOVERNMENT,
  WC_TEAM_KIND_PRESS_OFFICE,
  WC_TEAM_KIND_OTHER,
} WcTeamKind;

typedef enum {
  WC_CHANNEL_EMAIL,
  WC_CHANNEL_PHONE,
  WC_CHANNEL_NEWS,
  WC_CHANNEL_SOCIAL,
  WC_CHANNEL_ARTEFACT,
  WC_CHANNEL_DECISION,
  WC_CHANNEL_ALERT,
  WC_CHANNEL_CHAT,
} WcChannel;

typedef enum {
  WC_TRIGGER_AT,           /* fires at inject->at */
  WC_TRIGGER_AFTER,        /* fires trigger_delay_ms after trigger_inject fired */
  WC_TRIGGER_NO_RESPONSE,  /* contingency: for each recipient of trigger_inject that has not
                            * responded within trigger_delay_ms of its delivery */
  WC_TRIGGER_MANUAL,       /* only when a controller fires it */
} WcTriggerKind;

/* A text that is either language-neutral or given once per language. */
typedef struct _WcText WcText;

WcText      *wc_text_new            (void);
WcText      *wc_text_new_plain      (const char *text);
WcText      *wc_text_ref            (WcText     *text);
void         wc_text_unref          (WcText     *text);
void         wc_text_set            (WcText     *text,
                                     const char *lang,
                                     const char *value);
/* Returns the text in @lang, else in @fallback_lang, else the plain text, else any. */
const char  *wc_text_get            (const WcText *text,
                                     const char   *lang,
                                     const char   *fallback_lang);
const char  *wc_text_get_exact      (const WcText *text,
                                     const char   *lang);
gboolean     wc_text_is_plain       (const WcText *text);
/* Languages present, sorted; NULL-terminated, free with g_free (strings are borrowed). */
const char **wc_text_get_languages  (const WcText *text);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcText, wc_text_unref)

typedef struct {
  char   *id;
  WcText *text;
} WcObjective;

typedef struct {
  char      *id;
  WcText    *name;
  WcTeamKind kind;
  char      *language;     /* preferred language, one of the exercise's */
  char      *webhook;      /* nullable */
  char      *contact;      /* nullable, free text */
  char      *sector;       /* nullable: "energy", "health"… (a free id) */
} WcTeam;

typedef struct {
  char   *id;
  WcText *name;
  WcText *role;            /* nullable */
} WcActor;

typedef struct {
  char   *file;            /* relative to the scenario's folder */
  char   *media_type;
  WcText *title;           /* nullable */
} WcAttachment;

/* How an expected action can be judged without a person: a proposal that staff may overrule. */
typedef enum {
  WC_JUDGE_MANUAL,         /* a person judges it */
  WC_JUDGE_ACKNOWLEDGE,    /* met when the team acknowledges the inject */
  WC_JUDGE_ANSWER,         /* met when the team answers it */
  WC_JUDGE_OPTION,         /* met when the team chooses the option judge_option */
} WcJudgeRule;

typedef struct {
  char        *id;         /* unique within the inject; generated ("a1", "a2"…) when absent */
  WcText      *text;
  gint64       deadline_ms;/* after delivery; -1 when none */
  char        *objective;  /* objective id, nullable */
  WcJudgeRule  judge;
  char        *judge_option; /* for WC_JUDGE_OPTION */
} WcExpectedAction;

/* Exercise staff: who runs, judges and watches the exercise. */
typedef enum {
  WC_STAFF_DIRECTOR,       /* everything */
  WC_STAFF_CONTROLLER,     /* runs the clock and the injects */
  WC_STAFF_EVALUATOR,      /* judges and observes; cannot change the exercise */
  WC_STAFF_OBSERVER,       /* reads only */
} WcStaffRole;

typedef struct {
  char        *id;
  char        *name;
  WcStaffRole  role;
} WcStaff;

typedef struct {
  char   *id;
  WcText *text;
} WcDecisionOption;

typedef struct {
  char          *id;
  gint64         at_ms;            /* planned time from start; for WC_TRIGGER_AFTER and
                                    * WC_TRIGGER_NO_RESPONSE the time derived from the chain
                                    * (-1 when it hangs off a manual inject) */
  WcTriggerKind  trigger;
  char          *trigger_inject;   /* for AFTER / NO_RESPONSE */
  gint64         trigger_delay_ms; /* for AFTER / NO_RESPONSE */
  WcText        *title;
  WcText        *body;
  WcChannel      channel;
  char          *from;             /* actor id, nullable */
  gboolean       to_all;
  GPtrArray     *to;               /* team ids (char *); all team ids when to_all */
  WcTlp          tlp;
  GPtrArray     *attachments;      /* WcAttachment */
  GPtrArray     *expected_actions; /* WcExpectedAction */
  GPtrArray     *options;          /* WcDecisionOption */
  char          *notes;            /* controller-only notes, nullable */
  gboolean       incident;         /* tells an operator of its incident: its delivery starts the
                                    * team's NIS2 reporting clock */
} WcInject;

/* The three NIS2 reporting stages of an incident notification. */
typedef enum {
  WC_STAGE_EARLY_WARNING,
  WC_STAGE_NOTIFICATION,
  WC_STAGE_FINAL_REPORT,
} WcNotificationStage;

#define WC_N_STAGES 3

/* One line of the communication matrix: teams @from selects may write to teams @to selects.
 * Selectors: a team id, "kind:KIND", "sector:SECTOR", "*". */
typedef struct {
  char      *from;
  GPtrArray *to;             /* selectors (char *) */
} WcMatrixRule;

/* The scenario's "coordination" section, as written (selectors unresolved). */
typedef struct {
  GPtrArray *matrix;         /* WcMatrixRule; NULL: the default (everyone to csirt and
                              * crisis-centre teams, those to everyone) */
  GPtrArray *authorities;    /* selectors; NULL: every csirt and sector-authority team */
  gint64     deadlines[WC_N_STAGES]; /* by WcNotificationStage; -1 when not measured */
} WcCoordination;

#define WC_TYPE_SCENARIO (wc_scenario_get_type ())
G_DECLARE_FINAL_TYPE (WcScenario, wc_scenario, WC, SCENARIO, GObject)

WcScenario        *wc_scenario_new                 (void);

const char        *wc_scenario_get_path            (WcScenario *self);
const char        *wc_scenario_get_sha256          (WcScenario *self);
const char        *wc_scenario_get_id              (WcScenario *self);
const WcText      *wc_scenario_get_title           (WcScenario *self);
const WcText      *wc_scenario_get_description     (WcScenario *self);
WcTlp              wc_scenario_get_tlp             (WcScenario *self);
const char *const *wc_scenario_get_languages       (WcScenario *self);
const char        *wc_scenario_get_default_language (WcScenario *self);
gint64             wc_scenario_get_duration_ms     (WcScenario *self);

guint              wc_scenario_get_n_objectives    (WcScenario *self);
const WcObjective *wc_scenario_get_objective       (WcScenario *self, guint i);
const WcObjective *wc_scenario_find_objective      (WcScenario *self, const char *id);

guint              wc_scenario_get_n_teams         (WcScenario *self);
const WcTeam      *wc_scenario_get_team            (WcScenario *self, guint i);
const WcTeam      *wc_scenario_find_team           (WcScenario *self, const char *id);

/* Exercise staff named in the scenario (more may be added when the exercise is made). */
guint              wc_scenario_get_n_staff         (WcScenario *self);
const WcStaff     *wc_scenario_get_staff           (WcScenario *self, guint i);
const WcStaff     *wc_scenario_find_staff          (WcScenario *self, const char *id);

guint              wc_scenario_get_n_actors        (WcScenario *self);
const WcActor     *wc_scenario_get_actor           (WcScenario *self, guint i);
const WcActor     *wc_scenario_find_actor          (WcScenario *self, const char *id);

/* Injects in file order. */
guint              wc_scenario_get_n_injects       (WcScenario *self);
const WcInject    *wc_scenario_get_inject          (WcScenario *self, guint i);
const WcInject    *wc_scenario_find_inject         (WcScenario *self, const char *id);
int                wc_scenario_get_inject_index    (WcScenario *self, const char *id);

/* Coordination (issue 14). The section as written, or NULL when the scenario has none. */
const WcCoordination *wc_scenario_get_coordination (WcScenario *self);
/* Whether @from_team may write to @to_team by the matrix (or its default); FALSE for unknown
 * teams and for a team writing to itself. */
gboolean           wc_scenario_may_write           (WcScenario *self,
                                                    const char *from_team,
                                                    const char *to_team);
/* Whether notifications may be filed to @team. */
gboolean           wc_scenario_is_authority        (WcScenario *self,
                                                    const char *team);
/* The reporting deadline of @stage (exercise ms from the incident inject's delivery), -1 none. */
gint64             wc_scenario_get_deadline_ms     (WcScenario          *self,
                                                    WcNotificationStage  stage);
/* The ids of the teams @selector names, in scenario order (a new array of borrowed strings);
 * NULL when the selector is malformed or names a team or kind that does not exist. */
GPtrArray         *wc_scenario_select_teams        (WcScenario *self,
                                                    const char *selector);
/* Whether @team_id matches @selector. */
gboolean           wc_scenario_team_matches        (WcScenario *self,
                                                    const char *team_id,
                                                    const char *selector);
/* An id as a scenario's are written, and as teams' Idempotency-Keys are: 1 to 64 letters,
 * digits, "_", "-" or ".". */
gboolean           wc_scenario_is_valid_id         (const char *id);
/* The exercise marking in @lang: "OEFENING", "EXERCICE", "ÜBUNG", else "EXERCISE". */
const char        *wc_exercise_marking             (const char *lang);
/* "early-warning", "notification", "final-report" */
const char        *wc_notification_stage_to_string (WcNotificationStage  stage);
gboolean           wc_notification_stage_from_string (const char          *name,
                                                      WcNotificationStage *stage);

/* Setters for the loader and importers (the model is immutable once handed out). */
void               wc_scenario_set_path            (WcScenario *self, const char *path);
void               wc_scenario_set_sha256          (WcScenario *self, const char *sha256);
void               wc_scenario_set_id              (WcScenario *self, const char *id);
void               wc_scenario_set_title           (WcScenario *self, WcText *title);
void               wc_scenario_set_description     (WcScenario *self, WcText *description);
void               wc_scenario_set_tlp             (WcScenario *self, WcTlp tlp);
void               wc_scenario_set_languages       (WcScenario *self,
                                                    const char *const *languages,
                                                    const char *default_language);
void               wc_scenario_set_duration_ms     (WcScenario *self, gint64 duration_ms);
/* The add functions take ownership of the struct (allocated with g_new0 and its fields with
 * g_strdup / wc_text_new*). */
void               wc_scenario_add_objective       (WcScenario *self, WcObjective *objective);
void               wc_scenario_add_team            (WcScenario *self, WcTeam *team);
void               wc_scenario_add_actor           (WcScenario *self, WcActor *actor);
void               wc_scenario_add_staff           (WcScenario *self, WcStaff *staff);
void               wc_scenario_add_inject          (WcScenario *self, WcInject *inject);
/* Takes @coordination (from wc_coordination_new()). */
void               wc_scenario_set_coordination    (WcScenario *self, WcCoordination *coordination);
WcCoordination    *wc_coordination_new             (void);
void               wc_coordination_free            (WcCoordination *coordination);
WcMatrixRule      *wc_matrix_rule_new              (void);
void               wc_matrix_rule_free             (WcMatrixRule *rule);

WcInject          *wc_inject_new                   (void);
void               wc_inject_free                  (WcInject *inject);
WcExpectedAction  *wc_expected_action_new          (void);
WcDecisionOption  *wc_decision_option_new          (void);
WcStaff           *wc_staff_new                    (void);
void               wc_staff_free                   (WcStaff *staff);
WcAttachment      *wc_attachment_new               (void);

/* The index of @str in the NULL-terminated @names (the format's words for an enum), or FALSE. */
gboolean           wc_name_lookup                  (const char *const *names,
                                                    const char        *str,
                                                    int               *out);
/* Names used in the file format, and back. Return FALSE / NULL when unknown. */
const char        *wc_staff_role_to_string         (WcStaffRole role);
gboolean           wc_staff_role_from_string       (const char *name, WcStaffRole *role);
/* "manual", "acknowledge", "answer", "option:ID" (@option for the last; nullable otherwise) */
char              *wc_judge_rule_to_string         (WcJudgeRule rule, const char *option);
const char        *wc_tlp_to_string                (WcTlp tlp);
gboolean           wc_tlp_from_string              (const char *str, WcTlp *tlp);
const char        *wc_team_kind_to_string          (WcTeamKind kind);
gboolean           wc_team_kind_from_string        (const char *str, WcTeamKind *kind);
const char        *wc_channel_to_string            (WcChannel channel);
gboolean           wc_channel_from_string          (const char *str, WcChannel *channel);
const char        *wc_trigger_kind_to_string       (WcTriggerKind kind);
/* NULL-terminated lists of the names, for hints and docs. */
const char *const *wc_tlp_names                    (void);
const char *const *wc_team_kind_names              (void);
const char *const *wc_channel_names                (void);

/* Times: "T+HH:MM", "T+HH:MM:SS", "HH:MM[:SS]"; minutes allowed up to 9999 ("T+90:00" is fine).
 * Returns FALSE on anything else or on a negative time. */
gboolean           wc_time_parse                   (const char *str, gint64 *out_ms);
/* "T+HH:MM:SS" (seconds always shown); "T+HH:MM" with @short_form when seconds are zero. */
char              *wc_time_format                  (gint64 ms, gboolean short_form);

G_END_DECLS
