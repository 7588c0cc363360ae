/* wc-server-control.h: the control API, under /api/v1/control/ once the server has checked the
 * controller's token. */
#pragma once

#include <libsoup/soup.h>

#include "wc-engine.h"
#include "wc-presence.h"
#include "wc-sse.h"

G_BEGIN_DECLS

/* Answers @msg; FALSE when the path is not the control API's. @rest is the path after
 * "/api/v1/control/" split on '/'. The state shows @presence; the event stream opens on @sse. */
gboolean wc_server_control_handle (WcEngine          *engine,
                                   WcSse             *sse,
                                   WcPresence        *presence,
                                   SoupServerMessage *msg,
                                   char             **rest,
                                   GHashTable        *query);

G_END_DECLS
