/* wc-relay-private.h: what the controller's and the relay's sides share: commands for Redis
 * queued to a writer thread and sent pipelined. */
#pragma once

#include "wc-redis.h"

G_BEGIN_DECLS

/* One command for Redis, its arguments as bytes. */
typedef struct {
  GPtrArray *args;  /* GBytes */
} WcRelayOut;

/* The arguments: strings up to a NULL. */
WcRelayOut *wc_relay_out_new       (const char  *first,
                                    ...) G_GNUC_NULL_TERMINATED;
/* One more argument, binary; NULL adds an empty one. */
void        wc_relay_out_add_bytes (WcRelayOut  *out,
                                    GBytes      *bytes);
void        wc_relay_out_free      (gpointer     out);
/* Moves what @queue holds into @batch (512 at most), waiting up to 200 ms for a first one when
 * @batch is empty; @mark (nullable), a wake-up rather than a command, is dropped: TRUE if seen. */
gboolean    wc_relay_out_take      (GAsyncQueue  *queue,
                                    GPtrArray    *batch,
                                    gpointer      mark);
/* Sends @batch (WcRelayOut) pipelined; FALSE only when the link failed (an error Redis answers
 * is a warning: sending it again would not help). */
gboolean    wc_relay_out_send      (redisContext *c,
                                    GPtrArray    *batch,
                                    GError      **error);

/* The commands' stream fields a relay writes: "kind" is "http" (with "id", "reply", "method",
 * "path", "auth", "type", "lang", "body"), "delivered" (with "inject", "team", "via"), or, for
 * the teams it serves (each with "relay", its id): "presence" (with "team", "connected" "1" or
 * "0": a change), "presence-sync" (with "teams": every team connected on it now, one a line; sent
 * as it starts, and when the controller asks) and "heartbeat" (with "every", its interval in ms).
 * The controller asks for a "presence-sync" with an entry "kind" "sync" in the relay's replies. */

/* A relay's heartbeat, in ms (WC_RELAY_HEARTBEAT_MS changes it, for tests: 100 to 60,000). */
#define WC_RELAY_HEARTBEAT_MS      5000
/* Heartbeats the controller may miss before it drops a relay's teams (killed, cut off). */
#define WC_RELAY_HEARTBEATS_MISSED 3
/* Relays whose teams the controller keeps at once; another's reports are ignored. */
#define WC_RELAY_MAX_RELAYS        64

G_END_DECLS
