/* wc-timeline.h: the exercise drawn as one swimlane per team: each inject delivered ▸
 * acknowledged ▸ answered, its deadline and late marks, the judgements of its expected actions,
 * the staff's observations and the team's feedback, and the time being looked at. */
#pragma once

#include <gtk/gtk.h>

#include "wc-metrics.h"

G_BEGIN_DECLS

#define WC_TYPE_TIMELINE (wc_timeline_get_type ())
G_DECLARE_FINAL_TYPE (WcTimeline, wc_timeline, WC, TIMELINE, GtkWidget)

GtkWidget *wc_timeline_new            (void);
void       wc_timeline_set_metrics    (WcTimeline *self,
                                       WcMetrics  *metrics);
/* NULL: every team. */
void       wc_timeline_set_team       (WcTimeline *self,
                                       const char *team_id);
void       wc_timeline_set_time       (WcTimeline *self,
                                       gint64      t_ms);
guint      wc_timeline_get_n_markers  (WcTimeline *self);
/* Where the axis ends: the exercise's actual end once it has ended. */
gint64     wc_timeline_get_end_ms     (WcTimeline *self);

typedef enum {
  WC_TIMELINE_JUDGEMENT,    /* ◆ above the lane, coloured by verdict; ringed when made in review */
  WC_TIMELINE_OBSERVATION,  /* ▲ below the lane (on the axis when about no team) */
  WC_TIMELINE_FEEDBACK,     /* ○ in the lane, when the team gave it */
  WC_TIMELINE_N_EVENTS
} WcTimelineEvent;

/* How many of @kind the chart shows now (once drawn). */
guint      wc_timeline_get_n_events   (WcTimeline      *self,
                                       WcTimelineEvent  kind);
/* What a click at (@x, @y) would pick: the row of metrics there, or NULL. */
const WcTeamInjectMetrics *
           wc_timeline_pick           (WcTimeline *self,
                                       double      x,
                                       double      y);

/* Signals: "marker-activated" (const char *inject_id, const char *team_id) on a click;
 * "time-picked" (gint64 t_ms) on a click elsewhere in the chart. */

G_END_DECLS
