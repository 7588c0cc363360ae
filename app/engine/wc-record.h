/* wc-record.h: the record vocabulary: every kind of journal record, its name on disk, what it is
 * about, and typed access to its fields. A new kind of record is added here (and applied in
 * wc-engine-apply.c); every reader switches on WcRecordType instead of comparing strings. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  WC_RECORD_UNKNOWN = 0,
  /* The exercise */
  WC_RECORD_EXERCISE_CREATED,     /* exercise, teams, injects */
  WC_RECORD_JOURNAL_REOPENED,     /* recovered? backup, bytes_dropped */
  WC_RECORD_NOTE,                 /* text, author? */
  /* The clock */
  WC_RECORD_CLOCK_STARTED,
  WC_RECORD_CLOCK_PAUSED,
  WC_RECORD_CLOCK_RESUMED,
  WC_RECORD_CLOCK_JUMPED,         /* to */
  WC_RECORD_SPEED_CHANGED,        /* speed */
  WC_RECORD_PROCESS_STOPPED,      /* reason */
  WC_RECORD_EXERCISE_ENDED,       /* reason */
  WC_RECORD_CHECKPOINT,           /* (the exercise time, written while the clock runs) */
  /* The schedule */
  WC_RECORD_ADHOC_CREATED,        /* inject, title, body, channel, tlp, to? */
  WC_RECORD_INJECT_FIRED,         /* inject, teams, cause, due? */
  WC_RECORD_INJECT_HELD,          /* inject */
  WC_RECORD_INJECT_RELEASED,      /* inject */
  WC_RECORD_INJECT_SKIPPED,       /* inject */
  WC_RECORD_INJECT_RESCHEDULED,   /* inject, at */
  /* A team's side of an inject */
  WC_RECORD_INJECT_DELIVERED,     /* inject, team, via */
  WC_RECORD_INJECT_ACKNOWLEDGED,  /* inject, team */
  WC_RECORD_RESPONSE,             /* inject, team, text?, option?, key? */
  WC_RECORD_ACTION_MET,           /* inject, team, action */
  WC_RECORD_WEBHOOK_ATTEMPT,      /* inject, team, delivery, attempt, status, outcome, error? */
  /* Evaluation: who judged, observed or rated is in "by" (a staff id) when known */
  WC_RECORD_ACTION_ASSESSED,      /* inject, team, action, verdict, note? */
  WC_RECORD_OBSERVATION,          /* text, kind, team?, inject?, objective? */
  WC_RECORD_OBJECTIVE_RATED,      /* objective, target?, rating, rationale? */
  WC_RECORD_STAFF_ADDED,          /* staff, name, role (never a token) */
  /* The hot wash */
  WC_RECORD_FEEDBACK,             /* team, strengths?, improvements?, realism?, usefulness?, text? */
  /* Who follows the exercise */
  WC_RECORD_TEAM_PRESENCE,        /* team, connected (boolean) */
  /* The teams' own traffic (wc-traffic.h): each names a message ("message", "from", "to"); what
   * a team sent carries its Idempotency-Key as "key" when it gave one (docs/API.md) */
  WC_RECORD_MESSAGE_SENT,         /* message, kind, from | from_actor, to, subject, body, tlp, lang,
                                   * in_reply_to?, purpose?, attachment?, key? */
  WC_RECORD_NOTIFICATION_FILED,   /* message, kind, from, to, stage, lang, tlp, fields,
                                   * in_reply_to?, key? */
  WC_RECORD_WARNING_ISSUED,       /* message, kind, form, from | from_actor | by, to, selectors?,
                                   * tlp, severity, urgency, certainty, texts, asset?, indicators,
                                   * key? */
  WC_RECORD_SITREP_PUBLISHED,     /* message, kind, from, version, to, sections, lang, tlp, key? */
  WC_RECORD_MESSAGE_ACKNOWLEDGED, /* message, team */
  WC_RECORD_N_TYPES
} WcRecordType;

/* What a kind of record is about, for readers that treat a family alike. */
typedef enum {
  WC_RECORD_FLAG_CLOCK    = 1 << 0,  /* moves or changes the exercise clock or state */
  WC_RECORD_FLAG_SCHEDULE = 1 << 1,  /* changes an inject's status or planned time */
  WC_RECORD_FLAG_TEAM     = 1 << 2,  /* names one team's side of one inject ("inject", "team") */
  WC_RECORD_FLAG_STATE    = 1 << 3,  /* changes what the engine's applier keeps */
  WC_RECORD_FLAG_SEALED   = 1 << 4,  /* sealed with the exercise's key (wc_journal_append_sealed) */
  WC_RECORD_FLAG_TRAFFIC  = 1 << 5,  /* names a message of the teams' traffic ("message", "from",
                                      * "to"; an acknowledgement: "message", "team") */
} WcRecordFlags;

/* The outcome of a webhook attempt. */
typedef enum {
  WC_WEBHOOK_DELIVERED,
  WC_WEBHOOK_FAILED,     /* will be tried again */
  WC_WEBHOOK_GAVE_UP,
} WcWebhookOutcome;

/* WC_RECORD_UNKNOWN for a name that is not in the vocabulary (or NULL). */
WcRecordType      wc_record_type_from_string  (const char   *name);
/* The name on disk. */
const char       *wc_record_type_to_string    (WcRecordType  type);
WcRecordFlags     wc_record_type_get_flags    (WcRecordType  type);
gboolean          wc_record_type_has_flag     (WcRecordType  type,
                                               WcRecordFlags flag);

/* Typed fields. Strings are NULL and numbers are @fallback when the field is absent or of
 * another kind; the data is the record's own (borrowed). */
const char       *wc_record_get_inject        (JsonObject   *data);
const char       *wc_record_get_team          (JsonObject   *data);
const char       *wc_record_get_text          (JsonObject   *data);
const char       *wc_record_get_option        (JsonObject   *data);
const char       *wc_record_get_action        (JsonObject   *data);
const char       *wc_record_get_author        (JsonObject   *data);
const char       *wc_record_get_reason        (JsonObject   *data);
const char       *wc_record_get_cause         (JsonObject   *data);
const char       *wc_record_get_by            (JsonObject   *data);
/* The Idempotency-Key a team sent with what made a "response" or a record of its traffic. */
const char       *wc_record_get_key           (JsonObject   *data);
const char       *wc_record_get_string        (JsonObject   *data,
                                               const char   *field);
/* WC_RECORD_TEAM_PRESENCE's "connected"; @fallback when absent or not a boolean. */
gboolean          wc_record_get_boolean       (JsonObject   *data,
                                               const char   *field,
                                               gboolean      fallback);
/* WC_RECORD_INJECT_FIRED's "teams"; NULL when absent or not an array. */
JsonArray        *wc_record_get_teams         (JsonObject   *data);
gint64            wc_record_get_int           (JsonObject   *data,
                                               const char   *field,
                                               gint64        fallback);
double            wc_record_get_speed         (JsonObject   *data,
                                               double        fallback);
WcWebhookOutcome  wc_record_get_outcome       (JsonObject   *data);
const char       *wc_webhook_outcome_to_string (WcWebhookOutcome outcome);

G_END_DECLS
