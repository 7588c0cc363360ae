/* wc-feed-row.h: one row of the live feed: what happened (a WcLiveEvent), when, and the words. */
#pragma once

#include <gtk/gtk.h>

#include "wc-live.h"

G_BEGIN_DECLS

#define WC_TYPE_FEED_ROW (wc_feed_row_get_type ())
G_DECLARE_FINAL_TYPE (WcFeedRow, wc_feed_row, WC, FEED_ROW, GtkWidget)

GtkWidget   *wc_feed_row_new        (void);
WcLiveEvent *wc_feed_row_get_event  (WcFeedRow   *self);
/* @event: nullable (a recycled row, unbound) */
void         wc_feed_row_set_event  (WcFeedRow   *self,
                                     WcLiveEvent *event);
/* What the row shows, for tests: the summary and the participant's words ("" when none). */
const char  *wc_feed_row_get_summary (WcFeedRow  *self);
const char  *wc_feed_row_get_text    (WcFeedRow  *self);

G_END_DECLS
