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

/* A file to copy beside the journal when the inject is sent (the chooser's choice, or a test's). */
void           wc_adhoc_dialog_add_file    (WcAdhocDialog *self,
                                            const char    *path);
guint          wc_adhoc_dialog_get_n_files (WcAdhocDialog *self);

G_END_DECLS
