/* wc-assess-row.h: one row of the "to assess" queue: the inject and team, the expected action,
 * the rule's proposal, and a button to confirm the proposal. */
#pragma once

#include <gtk/gtk.h>

#include "wc-live-assess.h"

G_BEGIN_DECLS

#define WC_TYPE_ASSESS_ROW (wc_assess_row_get_type ())
G_DECLARE_FINAL_TYPE (WcAssessRow, wc_assess_row, WC, ASSESS_ROW, GtkWidget)

/* Property "item" (WcLiveAssessItem, nullable). Its "assess.confirm" action asks the
 * WcAssessView it is in to record the proposal as the judgement. */
void              wc_assess_row_set_item (WcAssessRow      *self,
                                          WcLiveAssessItem *item);
WcLiveAssessItem *wc_assess_row_get_item (WcAssessRow      *self);

G_END_DECLS
