/* wc-adhoc-dialog.h: compose an inject that is not in the scenario and send it now. */
#pragma once

#include <adwaita.h>

#include "wc-engine.h"

G_BEGIN_DECLS

#define WC_TYPE_ADHOC_DIALOG (wc_adhoc_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WcAdhocDialog, wc_adhoc_dialog, WC, ADHOC_DIALOG, AdwWindow)

WcAdhocDialog *wc_adhoc_dialog_new  (WcEngine      *engine);
/* For tests: fill in and send as the controller would. Returns the new inject's id, or NULL. */
char          *wc_adhoc_dialog_send (WcAdhocDialog  *self,
                                     GError        **error);

G_END_DECLS
