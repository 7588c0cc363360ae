/* wc-server-api.h: the teams' API, under /api/v1/ once the server has found whose token it is. */
#pragma once

#include <libsoup/soup.h>

#include "wc-engine.h"
#include "wc-limits.h"
#include "wc-sse.h"

G_BEGIN_DECLS

/* The language to show @team_id texts in: ?lang= if the exercise offers it, else the team's,
 * else the exercise's default. */
const char *wc_server_api_pick_language (WcEngine   *engine,
                                         GHashTable *query,
                                         const char *team_id);

/* Answers @msg for @team; FALSE when the path is not the team API's. @rest is the path after
 * "/api/v1/" split on '/'. Event streams are opened on @sse. @n_downloads counts the attachments
 * being sent, against @limits->max_downloads. */
gboolean wc_server_api_handle (WcEngine             *engine,
                               WcSse                *sse,
                               const WcServerLimits *limits,
                               guint                *n_downloads,
                               SoupServerMessage    *msg,
                               const char        *team,
                               char             **rest,
                               GHashTable        *query);

G_END_DECLS
