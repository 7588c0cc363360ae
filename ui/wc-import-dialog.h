/* wc-import-dialog.h: what an import understood of a planner's file (its mapping report), shown
 * before the exercise is made from it: Cancel, or Create. */
#pragma once

#include <adwaita.h>

#include "wc-import.h"

G_BEGIN_DECLS

#define WC_TYPE_IMPORT_DIALOG (wc_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WcImportDialog, wc_import_dialog, WC, IMPORT_DIALOG, AdwWindow)

/* Modal over @parent. Emits "response" once, TRUE for Create (closing the window is Cancel). */
WcImportDialog *wc_import_dialog_new      (GtkWindow      *parent,
                                           WcImportReport *report);
/* The report's text as shown, for tests. */
const char     *wc_import_dialog_get_text (WcImportDialog *self);

G_END_DECLS
