/* wc-comms-check.h: before Start, where teams join and who is ready: the address in the join
 * links (this machine's LAN addresses, or a public host name), whether teams are accepted from
 * the network, and for each team whether it opened its page and whether its webhook works;
 * the invitations are printed from here. */
#pragma once

#include <adwaita.h>

#include "wc-session.h"

G_BEGIN_DECLS

#define WC_TYPE_COMMS_CHECK (wc_comms_check_get_type ())
G_DECLARE_FINAL_TYPE (WcCommsCheck, wc_comms_check, WC, COMMS_CHECK, AdwWindow)

/* Modal over @parent; follows @session's teams while open. @settings (nullable) remembers
 * "accept-network" and "public-host" for the next exercise. */
WcCommsCheck *wc_comms_check_new         (GtkWindow    *parent,
                                          WcSession    *session,
                                          GSettings    *settings);
/* As the controls do: teams from the network or only this machine; the links name the
 * @address_index-th LAN address (when from the network), or @public_host when not empty. */
gboolean      wc_comms_check_apply       (WcCommsCheck *self,
                                          gboolean      network,
                                          guint         address_index,
                                          const char   *public_host);
/* For tests: the LAN addresses offered, each team's line ("name: status") one per line, and
 * whether the banner says that links reach only this machine. */
GStrv         wc_comms_check_get_addresses (WcCommsCheck *self);
char         *wc_comms_check_describe    (WcCommsCheck *self);
gboolean      wc_comms_check_get_local_warning (WcCommsCheck *self);

G_END_DECLS
