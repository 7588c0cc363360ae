/* wc-traffic-lanes.h: the teams' traffic replayed as arrows between swimlanes: one lane per team,
 * exercise time across, an arrow from the sender's lane to each recipient's at the time it was
 * sent (from the time axis when the controllers sent it); what lies after the review's time
 * cursor is drawn faint. */
#pragma once

#include <gtk/gtk.h>

#include "wc-metrics.h"

G_BEGIN_DECLS

#define WC_TYPE_TRAFFIC_LANES (wc_traffic_lanes_get_type ())
G_DECLARE_FINAL_TYPE (WcTrafficLanes, wc_traffic_lanes, WC, TRAFFIC_LANES, GtkWidget)

typedef struct {
  const WcLoopItem *item;
  int               from_lane;  /* -1: the controllers (the time axis) */
  int               to_lane;
  gint64            t_ms;
} WcTrafficArrow;

void                  wc_traffic_lanes_set_metrics  (WcTrafficLanes *self,
                                                     WcMetrics      *metrics);
void                  wc_traffic_lanes_set_time     (WcTrafficLanes *self,
                                                     gint64          t_ms);
gint64                wc_traffic_lanes_get_time     (WcTrafficLanes *self);
/* The arrows drawn, in the order of the traffic (one per item and recipient). */
guint                 wc_traffic_lanes_get_n_arrows (WcTrafficLanes *self);
const WcTrafficArrow *wc_traffic_lanes_get_arrow    (WcTrafficLanes *self,
                                                     guint           i);
/* Arrows at or before the time cursor. */
guint                 wc_traffic_lanes_get_n_shown  (WcTrafficLanes *self);

G_END_DECLS
