/* wc-inject-detail.h: one inject in full: its text in each language, attachments, expected
 * actions, and per team when it was delivered, acknowledged and answered, and how each expected
 * action is judged. */
#pragma once

#include <gtk/gtk.h>

#include "wc-engine.h"

G_BEGIN_DECLS

#define WC_TYPE_INJECT_DETAIL (wc_inject_detail_get_type ())
G_DECLARE_FINAL_TYPE (WcInjectDetail, wc_inject_detail, WC, INJECT_DETAIL, GtkWidget)

/* @inject_id NULL: nothing selected. */
void wc_inject_detail_show (WcInjectDetail *self,
                            WcEngine       *engine,
                            const char     *inject_id);
/* Shows only @team_id's side of the injects that reach it (NULL: every team's). */
void        wc_inject_detail_set_team (WcInjectDetail *self,
                                       const char     *team_id);
const char *wc_inject_detail_get_team (WcInjectDetail *self);

G_END_DECLS
