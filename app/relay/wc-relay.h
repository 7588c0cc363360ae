/* wc-relay.h: a relay (`whitecellctl relay`): serves the teams' pages, REST and event streams as
 * the controller's own server does, from the exercise's records in Redis, and sends on to the
 * controller, through Redis, whatever would change the exercise. See docs/SCALING.md. */
#pragma once

#include <gio/gio.h>

#include "wc-server.h"

G_BEGIN_DECLS

#define WC_TYPE_RELAY (wc_relay_get_type ())
G_DECLARE_FINAL_TYPE (WcRelay, wc_relay, WC, RELAY, GObject)

/* Reads the exercise @exercise (NULL: the only one the Redis at @redis_url holds) as its
 * controller published it: scenario, tokens, the journal's header. */
WcRelay    *wc_relay_new             (const char       *redis_url,
                                      const char       *exercise,
                                      GError          **error);
/* Listens, and follows the records (until it has caught up with them, requests get 503 and a
 * Retry-After). */
gboolean    wc_relay_start           (WcRelay          *self,
                                      const char       *host,
                                      guint             port,
                                      GTlsCertificate  *certificate,
                                      GError          **error);
/* Stops following and serving; what waited for the controller gets 503. */
void        wc_relay_close           (WcRelay          *self);

WcServer   *wc_relay_get_server      (WcRelay          *self);
WcEngine   *wc_relay_get_engine      (WcRelay          *self);
const char *wc_relay_get_exercise    (WcRelay          *self);
/* The last record applied, and whether it was the last in Redis when the relay started. */
guint64     wc_relay_get_seq         (WcRelay          *self);
gboolean    wc_relay_get_caught_up   (WcRelay          *self);
/* Why the relay stopped following (the records broke the chain), or NULL. */
const char *wc_relay_get_error       (WcRelay          *self);

/* Seconds a request forwarded to the controller waits for its answer before a 504: by default,
 * and at most (a team's page, or the load balancer before the relay, gives up long before). */
#define WC_RELAY_REPLY_TIMEOUT_S     30
#define WC_RELAY_REPLY_TIMEOUT_MAX_S 600

/* The "reply-timeout" property: requests forwarded from now on wait @seconds (1 to
 * WC_RELAY_REPLY_TIMEOUT_MAX_S); those waiting keep theirs. */
void        wc_relay_set_reply_timeout (WcRelay    *self,
                                        guint       seconds);
guint       wc_relay_get_reply_timeout (WcRelay    *self);

G_END_DECLS
