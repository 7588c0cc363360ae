/* wc-traffic.h: the teams' own traffic (messages, incident notifications, warnings, situation
 * reports), kept by the engine's applier in one table keyed by message id ("M-1", "M-2"…). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* wc-engine.h includes this header: WcEngine is declared there too (no include cycle). */
typedef struct _WcEngine WcEngine;

typedef enum {
  WC_TRAFFIC_MESSAGE,       /* a free message, a reply, a request for more information */
  WC_TRAFFIC_NOTIFICATION,  /* an incident notification at one NIS2 stage */
  WC_TRAFFIC_WARNING,       /* a Spear Warning or an Early Warning System bulletin */
  WC_TRAFFIC_SITREP,        /* a published version of the crisis centre's situation report */
} WcTrafficKind;

/* WcNotificationStage (WC_STAGE_EARLY_WARNING, WC_STAGE_NOTIFICATION, WC_STAGE_FINAL_REPORT)
 * and its names are the scenario model's (wc-scenario.h), which gives the stages' deadlines. */

/* "message", "notification", "warning", "sitrep" */
const char *wc_traffic_kind_to_string          (WcTrafficKind         kind);
gboolean    wc_traffic_kind_from_string        (const char           *name,
                                                WcTrafficKind        *kind);

/* One item of traffic as the applier keeps it (all borrowed from the engine). */
typedef struct {
  const char    *id;
  WcTrafficKind  kind;
  const char    *from;        /* team id, or NULL */
  const char    *from_actor;  /* actor id when controllers played it, or NULL */
  GPtrArray     *to;          /* team ids */
  gint64         t_ms;
  guint64        seq;         /* the record's sequence number */
  JsonObject    *data;        /* the record's data (borrowed): everything else */
  GHashTable    *acknowledged;/* team id -> gint64* ms */
  GPtrArray     *replies;     /* ids of messages in reply to it, oldest first */
} WcTrafficItem;

/* Limits (WC_ENGINE_ERROR_INVALID beyond them). */
#define WC_TRAFFIC_MAX_SUBJECT        300               /* characters */
#define WC_TRAFFIC_MAX_BODY           (64 * 1024)       /* bytes */
#define WC_TRAFFIC_MAX_RECIPIENTS     200
#define WC_TRAFFIC_MAX_INDICATORS     50
#define WC_TRAFFIC_MAX_PER_TEAM       2000              /* items a team may send in an exercise */
#define WC_TRAFFIC_MAX_ATTACHMENT     ((gsize) 10 * 1024 * 1024)
#define WC_TRAFFIC_MAX_ATTACHMENT_NAME 128              /* bytes */

/* Each validates (WC_ENGINE_ERROR_INVALID with a message naming the field; NOT_FOUND for unknown
 * teams, actors or in_reply_to; STATE before the clock starts or after the exercise ended;
 * DENIED when the scenario's matrix or roles forbid it; nothing is journaled then), journals,
 * and returns the new id. @data is the record's fields minus message/kind/from/t_ms, which the
 * engine adds; it is not taken. */
char       *wc_engine_send_message         (WcEngine    *self,
                                            const char  *from_team,
                                            JsonObject  *data,
                                            GError     **error);
/* A controller playing one of the scenario's actors (no matrix: controllers reach everyone). */
char       *wc_engine_send_as_actor        (WcEngine    *self,
                                            const char  *actor_id,
                                            JsonObject  *data,
                                            GError     **error);
/* To one authority (data.to: one team id; absent when the scenario names exactly one). */
char       *wc_engine_file_notification    (WcEngine    *self,
                                            const char  *from_team,
                                            JsonObject  *data,
                                            GError     **error);
/* @from_team NULL: the controllers issue it as an inject. data.to and/or data.selectors
 * ("kind:…", "sector:…", team ids, "*"): the engine resolves selectors and stores both. */
char       *wc_engine_issue_warning        (WcEngine    *self,
                                            const char  *from_team,
                                            JsonObject  *data,
                                            GError     **error);
/* data.to absent: every other team. */
char       *wc_engine_publish_sitrep       (WcEngine    *self,
                                            const char  *from_team,
                                            JsonObject  *data,
                                            GError     **error);
/* What a team sends, of any @kind (the four above), with its Idempotency-Key (docs/API.md;
 * NULL: none), which the record keeps: when @from_team already sent the same with @key, nothing
 * is recorded and the earlier item's id is returned; anything else sent with it is
 * WC_ENGINE_ERROR_CONFLICT. */
char       *wc_engine_send_traffic         (WcEngine      *self,
                                            WcTrafficKind  kind,
                                            const char    *from_team,
                                            JsonObject    *data,
                                            const char    *key,
                                            GError       **error);
/* Only a recipient acknowledges; a second time changes nothing. */
gboolean    wc_engine_acknowledge_message  (WcEngine    *self,
                                            const char  *message_id,
                                            const char  *team_id,
                                            GError     **error);
/* Stores an upload beside the journal (JOURNAL.attachments/M-n/NAME, n the id the next message
 * will get) and returns {file, media_type, size, name} for data.attachment. At most
 * WC_TRAFFIC_MAX_ATTACHMENT (INVALID); types: pdf, png, jpeg, txt, csv, json, zip, eml
 * (UNSUPPORTED otherwise). Blocking file work. @from_team and its Idempotency-Key @key (both
 * may be NULL): once the exercise has ended, only the retry of a message the team sent with that
 * key is stored (to be compared with the first, then discarded). */
JsonObject *wc_engine_store_message_attachment (WcEngine    *self,
                                                const char  *from_team,
                                                const char  *key,
                                                const char  *name,
                                                const char  *media_type,
                                                GBytes      *bytes,
                                                GError     **error);

const WcTrafficItem *wc_engine_find_message (WcEngine *self, const char *id);
/* All traffic, in order (WcTrafficItem *); the engine's own array. */
GPtrArray  *wc_engine_get_messages         (WcEngine    *self);
/* Sent or received by @team, in order (WcTrafficItem *, borrowed); a new array. */
GPtrArray  *wc_engine_get_team_messages    (WcEngine    *self,
                                            const char  *team);

G_END_DECLS
