/* wc-staff-dialog.h: the exercise staff: the scenario's and those added, with their role and
 * personal link; adding a member. */
#pragma once

#include <adwaita.h>

#include "wc-session.h"

G_BEGIN_DECLS

#define WC_TYPE_STAFF_DIALOG (wc_staff_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WcStaffDialog, wc_staff_dialog, WC, STAFF_DIALOG, AdwWindow)

/* Modal over @parent; follows @session's staff while open. */
WcStaffDialog *wc_staff_dialog_new     (GtkWindow     *parent,
                                        WcSession     *session);
/* Adds a member as the "Add" button does: the id is made from the name. */
gboolean       wc_staff_dialog_add     (WcStaffDialog *self,
                                        const char    *name,
                                        WcStaffRole    role);
/* The rows shown (WcStaffRow), for tests; borrowed. */
GPtrArray     *wc_staff_dialog_get_rows (WcStaffDialog *self);
/* An id for a new member named @name: its letters and digits in lower case, joined by "-",
 * made unique among @engine's staff and teams. */
char          *wc_staff_dialog_make_id (WcEngine      *engine,
                                        const char    *name);

G_END_DECLS
