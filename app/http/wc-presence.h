/* wc-presence.h: which teams are connected, for the controller's team board: a team is connected
 * while one of its event streams is open. The server owns one (wc_server_get_presence) and feeds
 * it; readers need not know the server. */
#pragma once

#include <glib-object.h>

#include "wc-engine.h"
#include "wc-tokens.h"

G_BEGIN_DECLS

#define WC_TYPE_PRESENCE (wc_presence_get_type ())
G_DECLARE_FINAL_TYPE (WcPresence, wc_presence, WC, PRESENCE, GObject)

gboolean    wc_presence_is_team_connected  (WcPresence *self,
                                            const char *team_id);
/* Wall-clock time (g_get_real_time, µs) of the team's last request, 0 if never. */
gint64      wc_presence_get_team_last_seen (WcPresence *self,
                                            const char *team_id);
/* "http://host:port/t/TOKEN", the page a team opens; NULL for an unknown team. */
char       *wc_presence_get_join_url       (WcPresence *self,
                                            const char *team_id);
/* Signal "presence-changed" (const char *team_id): a team connected or went away. */

/* This machine's addresses that other machines on its networks can reach: IPv4 first, then IPv6,
 * without loopback and link-local ones (a phone cannot use those in a link). */
GStrv       wc_presence_list_lan_addresses (void);
/* Whether @url (a join link) names only this machine: 127.0.0.0/8, ::1, localhost. */
gboolean    wc_presence_url_is_local       (const char *url);

/* For the server, which feeds it. */
WcPresence *wc_presence_new                (WcTokens   *tokens);
/* Where teams reach the server, "http://127.0.0.1:8080". */
void        wc_presence_set_base_url       (WcPresence *self,
                                            const char *base_url);
/* Journals each team's presence transitions ("team-presence") into @engine's journal, so that a
 * review replays who was connected. A team that comes back within @grace_ms of dropping (a page
 * reconnecting after a network blip) records nothing, and a team records at most once per
 * @interval_ms; the state it settles in is always recorded, by a timer if need be. */
void        wc_presence_set_journal        (WcPresence *self,
                                            WcEngine   *engine,
                                            guint       interval_ms,
                                            guint       grace_ms);
/* A request from @team_id; @stream_delta +1 when one of its event streams opens, -1 when one
 * closes, 0 otherwise. */
void        wc_presence_touch              (WcPresence *self,
                                            const char *team_id,
                                            int         stream_delta);

G_END_DECLS
