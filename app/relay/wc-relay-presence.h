/* wc-relay-presence.h: on the controller, the teams each relay reports connected, fed to the
 * controller's server's WcPresence so that its board, its API and the journal's "team-presence"
 * records show a team on a relay as one connected to it directly. See docs/SCALING.md. */
#pragma once

#include <glib-object.h>

#include "wc-presence.h"
#include "wc-scenario.h"

G_BEGIN_DECLS

#define WC_TYPE_RELAY_PRESENCE (wc_relay_presence_get_type ())
G_DECLARE_FINAL_TYPE (WcRelayPresence, wc_relay_presence, WC, RELAY_PRESENCE, GObject)

/* Teams of @scenario only; relays silent too long are dropped by a timer on the thread-default
 * main context. */
WcRelayPresence *wc_relay_presence_new           (WcScenario      *scenario);
/* Where the relays' teams count (a stream each, however many relays report a team); NULL stops
 * it. What the previous one was told is taken back from it first. */
void             wc_relay_presence_set_presence  (WcRelayPresence *self,
                                                  WcPresence      *presence);

/* What relay @relay_id said. Each returns FALSE when it was ignored: an id that is not a relay's
 * (1 to 64 letters, digits, '-' or '_'), a team the scenario lacks, a relay beyond
 * WC_RELAY_MAX_RELAYS, a change before the relay's whole list. */
gboolean         wc_relay_presence_change        (WcRelayPresence *self,
                                                  const char      *relay_id,
                                                  const char      *team_id,
                                                  gboolean         connected);
/* @teams: every team connected on the relay, one a line (unknown ones passed over). */
gboolean         wc_relay_presence_sync          (WcRelayPresence *self,
                                                  const char      *relay_id,
                                                  const char      *teams);
/* The relay is alive and beats every @every_ms (kept within 100 ms to 60 s). */
gboolean         wc_relay_presence_heartbeat     (WcRelayPresence *self,
                                                  const char      *relay_id,
                                                  guint            every_ms);
/* Whether the relay's whole list should be asked for now: it is known but its list is not (the
 * controller restarted, or dropped it), and it was not asked within its heartbeat; if so, it
 * counts as asked. */
gboolean         wc_relay_presence_wants_sync    (WcRelayPresence *self,
                                                  const char      *relay_id);
/* Drops the teams of relays not heard from for WC_RELAY_HEARTBEATS_MISSED heartbeats (the
 * timer's doing; for tests). */
void             wc_relay_presence_expire        (WcRelayPresence *self);
guint            wc_relay_presence_get_n_relays  (WcRelayPresence *self);
/* Relays that report @team_id connected. */
guint            wc_relay_presence_count_team    (WcRelayPresence *self,
                                                  const char      *team_id);

G_END_DECLS
