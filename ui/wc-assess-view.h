/* wc-assess-view.h: the "to assess" queue: what waits for a person's judgement, with the rule's
 * proposal; picking a row shows its inject and team in the inject's detail. */
#pragma once

#include <gtk/gtk.h>

#include "wc-live.h"
#include "wc-live-assess.h"

G_BEGIN_DECLS

#define WC_TYPE_ASSESS_VIEW (wc_assess_view_get_type ())
G_DECLARE_FINAL_TYPE (WcAssessView, wc_assess_view, WC, ASSESS_VIEW, GtkWidget)

void        wc_assess_view_set_live (WcAssessView     *self,
                                     WcLive           *live);
/* The queue (WcLiveAssessItem), or NULL without an exercise. */
GListModel *wc_assess_view_get_model (WcAssessView    *self);
/* Selects the row at @position, as a click does. */
void        wc_assess_view_select   (WcAssessView     *self,
                                     guint             position);
/* Records @verdict for @item as the controller at this machine; a toast-less failure shows in
 * the view. */
gboolean    wc_assess_view_judge    (WcAssessView     *self,
                                     WcLiveAssessItem *item,
                                     WcVerdict         verdict);

/* Signal "item-selected" (const char *inject_id, const char *team_id). */

G_END_DECLS
