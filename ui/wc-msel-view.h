/* wc-msel-view.h: the MSEL as a sortable, filterable column view, and the selected inject's
 * detail. "selected-changed" says the selected inject is another one, or that its status
 * changed. */
#pragma once

#include <gtk/gtk.h>

#include "wc-live.h"

G_BEGIN_DECLS

#define WC_TYPE_MSEL_VIEW (wc_msel_view_get_type ())
G_DECLARE_FINAL_TYPE (WcMselView, wc_msel_view, WC, MSEL_VIEW, GtkWidget)

void        wc_msel_view_set_live        (WcMselView *self,
                                          WcLive     *live);
const char *wc_msel_view_get_selected_id (WcMselView *self);
WcLiveInject *wc_msel_view_get_selected  (WcMselView *self);
/* The divider between the list and the selected inject's detail (the window remembers it). */
GtkPaned   *wc_msel_view_get_paned       (WcMselView *self);
gboolean    wc_msel_view_select          (WcMselView *self,
                                          const char *inject_id);
/* Selects @inject_id with its detail showing @team_id's side alone (NULL: every team's). */
void        wc_msel_view_select_for_team (WcMselView *self,
                                          const char *inject_id,
                                          const char *team_id);
void        wc_msel_view_focus_search    (WcMselView *self);
void        wc_msel_view_set_filter_text (WcMselView *self,
                                          const char *text);
/* The rows shown now, after filtering and sorting. Many rows are filtered and sorted a chunk
 * per main-loop turn: the list is complete once wc_msel_view_is_settled(). */
GListModel *wc_msel_view_get_visible     (WcMselView *self);
gboolean    wc_msel_view_is_settled      (WcMselView *self);

G_END_DECLS
