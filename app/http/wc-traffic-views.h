/* wc-traffic-views.h: the JSON that the HTTP layer shows of the teams' traffic (messages,
 * notifications, warnings, situation reports): an item as one team sees it or as the staff see
 * it, and who a team may reach. Read-only views of the engine, shared by the team API, the
 * control API and the event streams. */
#pragma once

#include <json-glib/json-glib.h>

#include "wc-engine.h"

G_BEGIN_DECLS

/* Whether @team sent @item or is one of its recipients: what it may see. */
gboolean    wc_traffic_views_visible  (const WcTrafficItem *item,
                                       const char          *team);
/* The name of @item's sending team or actor in @lang; NULL for the controllers themselves. */
const char *wc_traffic_views_sender_name (WcScenario          *scenario,
                                          const WcTrafficItem *item,
                                          const char          *lang);
/* An item as @team sees it (@team NULL: as the staff see it, with every recipient's
 * acknowledgement), names and the exercise marking in @lang: {"id", "kind", "from", "from_name",
 * "from_actor"?, "to", "t_ms", "acknowledged_ms" (@team's, or null), "replies" (those @team may
 * see), "marking", ...the record's fields}. The sender and the staff also get "acknowledged"
 * {team: ms}. */
JsonNode   *wc_traffic_views_item     (WcEngine            *engine,
                                       const WcTrafficItem *item,
                                       const char          *team,
                                       const char          *lang);
/* {"items": [...]}: @team's traffic (every item when @team is NULL) of @kind (-1: every kind),
 * oldest first. */
JsonNode   *wc_traffic_views_list     (WcEngine            *engine,
                                       const char          *team,
                                       int                  kind,
                                       const char          *lang);
/* {"latest": ITEM | null, "history": [ITEM...]}: the situation reports @team received or
 * published, oldest first in the history. */
JsonNode   *wc_traffic_views_sitrep   (WcEngine            *engine,
                                       const char          *team,
                                       const char          *lang);
/* Whom @team may write to and what it may send: {"may_write", "authorities", "can_warn",
 * "can_sitrep", "deadlines"}. */
JsonNode   *wc_traffic_views_contacts (WcEngine            *engine,
                                       const char          *team,
                                       const char          *lang);

G_END_DECLS
