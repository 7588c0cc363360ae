/* wc-feed-view.h: what teams and controllers do, newest first. */
#pragma once

#include <gtk/gtk.h>

#include "wc-live.h"

G_BEGIN_DECLS

#define WC_TYPE_FEED_VIEW (wc_feed_view_get_type ())
G_DECLARE_FINAL_TYPE (WcFeedView, wc_feed_view, WC, FEED_VIEW, GtkWidget)

void        wc_feed_view_set_live   (WcFeedView *self,
                                     WcLive     *live);
GListModel *wc_feed_view_get_model  (WcFeedView *self);
/* Entries that arrived above while the controller read further down (the "N new" button). */
guint       wc_feed_view_get_n_new  (WcFeedView *self);
/* Whether the view is at the top, showing each new entry as it comes. */
gboolean    wc_feed_view_get_following (WcFeedView *self);

G_END_DECLS
