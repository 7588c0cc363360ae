/* wc-server-private.h: what the server's files (routing, team API, control API, event streams)
 * share. */
#pragma once

#include <libsoup/soup.h>

#include "wc-server.h"

G_BEGIN_DECLS

typedef struct {
  double tokens;
  gint64 updated_us;
} RateBucket;

typedef struct {
  guint  n_streams;
  gint64 last_seen;  /* g_get_real_time () */
} Presence;

/* One open event stream: a team's (team != NULL) or the controller's. */
typedef struct {
  WcServer          *server;
  SoupServerMessage *msg;
  char              *team;
  char              *lang;
  gsize              queued;  /* bytes handed to libsoup but not yet written */
  gboolean           closed;
} WcStream;

struct _WcServer {
  GObject         parent_instance;

  WcEngine       *engine;
  WcTokens       *tokens;
  SoupServer     *soup;
  WcServerLimits  limits;
  char           *public_host;
  char           *listen_host;
  guint           port;
  gboolean        tls;

  GHashTable     *buckets;      /* token → RateBucket */
  GHashTable     *presence;     /* team id → Presence */
  GHashTable     *streams;      /* SoupServerMessage* → WcStream (owned) */
  /* the same streams by whom they serve, so that a record reaches only its teams' streams */
  GHashTable     *team_streams; /* team id → GPtrArray of WcStream* */
  GPtrArray      *control_streams;
  /* "delivered" records wait until the events are on their way: inject id, team id pairs */
  GPtrArray      *pending_deliveries;
  guint           deliveries_idle_id;
  GHashTable     *live_msgs;    /* SoupServerMessage* still in flight (paused) */
  guint           keepalive_id;
};

/* Replies. */
void     wc_server_reply_json   (SoupServerMessage *msg,
                                 guint              status,
                                 JsonNode          *node);
void     wc_server_reply_error  (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *format,
                                 ...) G_GNUC_PRINTF (3, 4);
/* The HTTP status for an engine error: 409 state, 404 not found, 400 invalid, 503 journal. */
void     wc_server_reply_engine_error (SoupServerMessage *msg,
                                       const GError      *error);
/* Answers once every record so far is durable (the engine's group commit): @node is sent with
 * @status then, or 503 if the journal could not be written. Takes @node. */
void     wc_server_reply_when_durable (WcServer          *self,
                                       SoupServerMessage *msg,
                                       guint              status,
                                       JsonNode          *node);
/* The request body as a JSON object, or NULL after replying 400/415. */
JsonObject *wc_server_read_json_body (SoupServerMessage *msg);

/* The language to show texts in: ?lang= if offered, else the team's, else the default. */
const char *wc_server_pick_language (WcServer   *self,
                                     GHashTable *query,
                                     const char *team_id);

/* Team API (wc-server-api.c) and control API (wc-server-control.c): return FALSE when the path
 * is not theirs. @rest is the path after "/api/v1/" split on '/'. */
gboolean wc_server_handle_team    (WcServer          *self,
                                   SoupServerMessage *msg,
                                   const char        *team,
                                   char             **rest,
                                   GHashTable        *query);
gboolean wc_server_handle_control (WcServer          *self,
                                   SoupServerMessage *msg,
                                   char             **rest,
                                   GHashTable        *query);
/* A team's view of an inject, in @lang. */
JsonNode *wc_server_inject_json   (WcServer          *self,
                                   const char        *inject_id,
                                   const char        *team,
                                   const char        *lang);
JsonNode *wc_server_team_state_json (WcServer        *self,
                                     const char      *inject_id,
                                     const char      *team);
JsonNode *wc_server_exercise_json (WcServer          *self);

/* Event streams (wc-sse.c). */
void     wc_server_open_stream    (WcServer          *self,
                                   SoupServerMessage *msg,
                                   const char        *team,
                                   const char        *lang,
                                   guint64            last_event_id);
void     wc_server_streams_on_record (WcServer       *self,
                                      guint64         seq,
                                      WcRecordType    type,
                                      JsonObject     *data,
                                      gint64          t_ms);
void     wc_server_streams_keepalive (WcServer       *self);
void     wc_server_close_streams  (WcServer          *self);
/* Records, soon, that @inject reached @team through @via. */
void     wc_server_note_delivered (WcServer          *self,
                                   const char        *inject,
                                   const char        *team);
void     wc_server_touch_team     (WcServer          *self,
                                   const char        *team,
                                   int                stream_delta);

G_END_DECLS
