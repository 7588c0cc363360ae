/* wc-server-traffic.h: the teams' traffic over HTTP: messages, incident notifications, warnings
 * (and their CAP documents), situation reports, for the teams and for the staff. */
#pragma once

#include <libsoup/soup.h>

#include "wc-engine.h"
#include "wc-limits.h"

G_BEGIN_DECLS

/* Whether @rest (the path after "/api/v1/") is a message posted with an attachment, which may be
 * larger than other bodies: up to @limits->max_upload. */
gboolean wc_server_traffic_is_upload    (SoupServerMessage    *msg,
                                         char                **rest);
/* Answers @msg for @team (texts in @lang); FALSE when the path is not the traffic API's. Lists
 * take ?kind= (message, notification, warning, sitrep).
 * @n_downloads counts the attachments being sent, against @limits->max_downloads. */
gboolean wc_server_traffic_handle       (WcEngine             *engine,
                                         const WcServerLimits *limits,
                                         guint                *n_downloads,
                                         SoupServerMessage    *msg,
                                         const char           *team,
                                         const char           *lang,
                                         char                **rest,
                                         GHashTable           *query);
/* Answers @msg for @caller under /api/v1/control/; FALSE when the path is not the traffic's. */
gboolean wc_server_traffic_control_handle (WcEngine           *engine,
                                           const WcStaff      *caller,
                                           SoupServerMessage  *msg,
                                           char              **rest,
                                           GHashTable         *query);

G_END_DECLS
