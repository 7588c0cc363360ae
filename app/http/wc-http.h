/* wc-http.h: what every handler of the HTTP layer answers with: JSON replies, errors, replies held
 * until the journal has the records they report, and JSON request bodies. No server state. */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "wc-engine.h"

G_BEGIN_DECLS

/* libsoup 3.2 has no name for it */
#define WC_STATUS_TOO_MANY_REQUESTS 429

void        wc_http_reply_json          (SoupServerMessage *msg,
                                         guint              status,
                                         JsonNode          *node);
void        wc_http_reply_error         (SoupServerMessage *msg,
                                         guint              status,
                                         const char        *format,
                                         ...) G_GNUC_PRINTF (3, 4);
/* An error that a limit refused: {"error": MESSAGE, "limit": @limit}, so that a tool can tell
 * which one it met (the names are in docs/API.md). */
void        wc_http_reply_limit         (SoupServerMessage *msg,
                                         guint              status,
                                         const char        *limit,
                                         const char        *format,
                                         ...) G_GNUC_PRINTF (4, 5);
/* The HTTP status for an engine error: 409 state or a key used for something else, 404 not
 * found, 400 invalid, 403 denied, 415 unsupported, 503 journal. */
void        wc_http_reply_engine_error  (SoupServerMessage *msg,
                                         const GError      *error);
/* Seconds a client has to read a reply written on a connection taken from libsoup, unless the
 * server set another for its request (wc_http_set_reply_timeout(), from its limits). */
#define WC_HTTP_REPLY_TIMEOUT_S 30

/* Answers once every record so far is durable (the engine's group commit): @node is sent with
 * @status then, or 503 if the journal could not be written; nothing if the client has gone.
 * Takes @node. The connection is taken from libsoup meanwhile (and closed after the reply). */
void        wc_http_reply_when_durable  (WcEngine          *engine,
                                         SoupServerMessage *msg,
                                         guint              status,
                                         JsonNode          *node);
/* Takes @msg's connection from libsoup while its reply waits (for a record to be durable, for the
 * controller behind a relay), to be written by wc_http_write_taken(): a paused message costs
 * libsoup a source that every main-loop turn prepares and checks, and its unpausing a turn of its
 * own, which halved the acknowledgements one main loop serves (bench-http). NULL where the
 * connection cannot be taken (HTTP/2, or libsoup has let go of it): pause @msg instead. Each
 * HTTP/1 connection here carries one request (the server closes it after its reply). */
GIOStream  *wc_http_take_connection     (SoupServerMessage *msg);
/* Writes the response @msg holds (status, headers, body) on @io, taken by
 * wc_http_take_connection(), without waiting for the client (which has WC_HTTP_REPLY_TIMEOUT_S
 * to read it), then closes it. Takes @io. */
void        wc_http_write_taken         (SoupServerMessage *msg,
                                         GIOStream         *io);
/* TRUE if the request's method is @method (GET also allows HEAD); else replies 405. */
gboolean    wc_http_require_method      (SoupServerMessage *msg,
                                         const char        *method);
/* The socket of @msg's connection: libsoup 3.2 tells none for connections the server accepted
 * itself (wc-listener.c), which records it here. */
GSocket    *wc_http_get_socket          (SoupServerMessage *msg);
/* The seconds a client has to read @msg's reply once it is written on a taken connection. */
void        wc_http_set_reply_timeout   (SoupServerMessage *msg,
                                         guint              seconds);
void        wc_http_set_socket          (SoupServerMessage *msg,
                                         GSocket           *socket);
/* The request body as a JSON object, or NULL after replying 400/415: strict JSON only (no
 * comments, no single quotes, no \u0000, nested at most 128 deep), checked before json-glib,
 * which has no depth limit, sees it. */
JsonObject *wc_http_read_json_body      (SoupServerMessage *msg);
/* The request's Idempotency-Key header in *@key (NULL when there is none); FALSE after replying
 * 400 to one that is not 1 to 64 of [A-Za-z0-9._-]. */
gboolean    wc_http_get_idempotency_key (SoupServerMessage  *msg,
                                         const char        **key);
/* The string member @name of a request body; NULL when absent or null, and also when it is not
 * a string, which then sets *@bad. */
const char *wc_http_get_string          (JsonObject        *body,
                                         const char        *name,
                                         gboolean          *bad);

G_END_DECLS
