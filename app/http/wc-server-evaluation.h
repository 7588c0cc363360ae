/* wc-server-evaluation.h: the staff's evaluation API under /api/v1/control/: who am I, what waits
 * for a judgement, judgements, observations, objective ratings, and adding staff. */
#pragma once

#include <libsoup/soup.h>

#include "wc-engine.h"
#include "wc-tokens.h"

G_BEGIN_DECLS

/* Answers @msg for @caller; FALSE when the path is not the evaluation API's. @rest is the path
 * after "/api/v1/control/" split on '/'. New staff get a token in @tokens and a link under
 * @base_url. */
gboolean wc_server_evaluation_handle (WcEngine          *engine,
                                      WcTokens          *tokens,
                                      const char        *base_url,
                                      const WcStaff     *caller,
                                      SoupServerMessage *msg,
                                      char             **rest,
                                      GHashTable        *query);

G_END_DECLS
