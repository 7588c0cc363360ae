/* wc-server-control.h: the control API, under /api/v1/control/ once the server has found which
 * member of the staff is asking (the controller token is a director, "controller"); and the
 * staff roles: who may do what. */
#pragma once

#include <libsoup/soup.h>

#include "wc-engine.h"
#include "wc-presence.h"
#include "wc-sse.h"

G_BEGIN_DECLS

/* What a request of the staff asks to do (the roles' table in docs/API.md). */
typedef enum {
  WC_STAFF_CAN_READ,     /* the state and the event stream: every role */
  WC_STAFF_CAN_RUN,      /* the clock, injects, notes, ad-hoc injects: director, controller */
  WC_STAFF_CAN_JUDGE,    /* judge, observe, rate: director, evaluator */
  WC_STAFF_CAN_MANAGE,   /* add staff: director */
} WcStaffPermission;

/* Whether @caller's role allows @permission; if not, replies 403 {"error", "role"}. */
gboolean wc_server_control_allow  (SoupServerMessage *msg,
                                   const WcStaff     *caller,
                                   WcStaffPermission  permission);
/* Answers @msg for @caller; FALSE when the path is not the control API's. @rest is the path after
 * "/api/v1/control/" split on '/'. The state shows @presence; the event stream opens on @sse. */
gboolean wc_server_control_handle (WcEngine          *engine,
                                   WcSse             *sse,
                                   WcPresence        *presence,
                                   const WcStaff     *caller,
                                   SoupServerMessage *msg,
                                   char             **rest,
                                   GHashTable        *query);

G_END_DECLS
