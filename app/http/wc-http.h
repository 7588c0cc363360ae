/* wc-http.h: what every handler of the HTTP layer answers with: JSON replies, errors, replies held
 * until the journal has the records they report, and JSON request bodies. No server state. */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "wc-engine.h"

G_BEGIN_DECLS

void        wc_http_reply_json          (SoupServerMessage *msg,
                                         guint              status,
                                         JsonNode          *node);
void        wc_http_reply_error         (SoupServerMessage *msg,
                                         guint              status,
                                         const char        *format,
                                         ...) G_GNUC_PRINTF (3, 4);
/* The HTTP status for an engine error: 409 state, 404 not found, 400 invalid, 503 journal. */
void        wc_http_reply_engine_error  (SoupServerMessage *msg,
                                         const GError      *error);
/* Answers once every record so far is durable (the engine's group commit): @node is sent with
 * @status then, or 503 if the journal could not be written; nothing if the client has gone.
 * Takes @node. */
void        wc_http_reply_when_durable  (WcEngine          *engine,
                                         SoupServerMessage *msg,
                                         guint              status,
                                         JsonNode          *node);
/* TRUE if the request's method is @method (GET also allows HEAD); else replies 405. */
gboolean    wc_http_require_method      (SoupServerMessage *msg,
                                         const char        *method);
/* The request body as a JSON object, or NULL after replying 400/415. */
JsonObject *wc_http_read_json_body      (SoupServerMessage *msg);

G_END_DECLS
