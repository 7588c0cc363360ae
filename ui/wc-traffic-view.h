/* wc-traffic-view.h: the teams' own traffic in the control room: the conversations, the most
 * recently active first, and the selected one's thread with each message's acknowledgements;
 * the controller can answer in it as one of the scenario's actors. */
#pragma once

#include <gtk/gtk.h>

#include "wc-live.h"
#include "wc-live-traffic.h"

G_BEGIN_DECLS

#define WC_TYPE_TRAFFIC_VIEW (wc_traffic_view_get_type ())
G_DECLARE_FINAL_TYPE (WcTrafficView, wc_traffic_view, WC, TRAFFIC_VIEW, GtkWidget)

void                wc_traffic_view_set_live          (WcTrafficView *self,
                                                       WcLive        *live);
/* WcLiveConversation, as listed. */
GListModel         *wc_traffic_view_get_conversations (WcTrafficView *self);
void                wc_traffic_view_select            (WcTrafficView *self,
                                                       guint          position);
WcLiveConversation *wc_traffic_view_get_selected      (WcTrafficView *self);
/* The selected conversation's messages (WcLiveMessage), as the thread shows them. */
GListModel         *wc_traffic_view_get_thread        (WcTrafficView *self);

G_END_DECLS
