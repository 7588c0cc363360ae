/* wc-sse.h: the event streams (Server-Sent Events): each team's injects and state changes, and the
 * controller's every record. Event ids are journal sequence numbers, so a client that reconnects
 * with Last-Event-ID misses nothing. Listens to the engine; knows nothing of routes or tokens. */
#pragma once

#include <libsoup/soup.h>

#include "wc-engine.h"
#include "wc-presence.h"

G_BEGIN_DECLS

#define WC_TYPE_SSE (wc_sse_get_type ())
G_DECLARE_FINAL_TYPE (WcSse, wc_sse, WC, SSE, GObject)

/* @presence learns when a team's streams open and close. */
WcSse      *wc_sse_new             (WcEngine          *engine,
                                    WcPresence        *presence);
/* Bytes queued for one stream before it is dropped as a client that stopped reading. */
void        wc_sse_set_max_backlog (WcSse             *self,
                                    gsize              max_backlog);
/* Event streams one team may have open at once (429 beyond). */
void        wc_sse_set_max_streams_per_team (WcSse    *self,
                                             guint     max_streams);
/* The latest answers an "inject" event carries (see wc_json_views_inject_latest()). */
void        wc_sse_set_list_limits (WcSse             *self,
                                    guint              max_responses,
                                    gsize              max_response_bytes);
/* Turns @msg into an event stream: @team's (with its texts in @lang), or the controller's when
 * @team is NULL. Replays the journal after @last_event_id (a slice per main-loop turn, paced by
 * how fast the client reads), or starts with the exercise's state. A team's stream carries
 * "inject", "acknowledged", "response" (the new answer only), "exercise", and "resync" where an
 * event would be too large for the stream. */
void        wc_sse_open            (WcSse             *self,
                                    SoupServerMessage *msg,
                                    const char        *team,
                                    const char        *lang,
                                    guint64            last_event_id);
/* @msg's request is over (finished or aborted); nothing if it was not a stream. */
void        wc_sse_forget          (WcSse             *self,
                                    SoupServerMessage *msg);
/* ": ping" on every stream, so that proxies keep idle ones open. */
void        wc_sse_keepalive       (WcSse             *self);
/* Records the deliveries still waiting, and ends every stream. */
void        wc_sse_close_all       (WcSse             *self);
guint       wc_sse_get_n_streams   (WcSse             *self);

G_END_DECLS
