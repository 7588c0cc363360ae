/* wc-relay-publisher.h: the controller's side of the relays: what its journal records, and the
 * scenario and tokens a relay needs, published to Redis; what teams send through relays, taken
 * from Redis and answered by the controller's own server. */
#pragma once

#include <gio/gio.h>

#include "wc-engine.h"
#include "wc-presence.h"

G_BEGIN_DECLS

#define WC_TYPE_RELAY_PUBLISHER (wc_relay_publisher_get_type ())
G_DECLARE_FINAL_TYPE (WcRelayPublisher, wc_relay_publisher, WC, RELAY_PUBLISHER, GObject)

/* Publishes @engine's exercise to the Redis at @redis_url (redis://[:PASSWORD@]HOST[:PORT][/DB]):
 * the journal's header, the scenario file, the teams' and staff's tokens (from @tokens_path,
 * without the journal's key), then each record once durable; and answers each command relays
 * put in Redis by making the request to @server_url (the controller's own server, on loopback),
 * so every rule of that server applies unchanged. Fails when Redis cannot be reached now. */
WcRelayPublisher *wc_relay_publisher_new   (WcEngine    *engine,
                                            const char  *tokens_path,
                                            const char  *redis_url,
                                            const char  *server_url,
                                            GError     **error);
/* Publishes what is durable still, then stops its threads. */
void              wc_relay_publisher_close (WcRelayPublisher *self);
/* The controller's server's presence: each team a relay reports connected counts there as a
 * stream of its own (the board, the API and the journal's "team-presence" records see it), until
 * the relay reports it gone or stops beating (docs/SCALING.md). NULL: relays' teams count nowhere. */
void              wc_relay_publisher_set_presence   (WcRelayPublisher *self,
                                                     WcPresence       *presence);
/* Commands answered so far. */
guint64           wc_relay_publisher_get_n_commands (WcRelayPublisher *self);

G_END_DECLS
