/* wc-staff-row.h: one member of the exercise staff in the staff dialog: name, role, and their
 * personal link (copy it, or show it as a QR code) once the server has given them a token. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WC_TYPE_STAFF_ROW (wc_staff_row_get_type ())
G_DECLARE_FINAL_TYPE (WcStaffRow, wc_staff_row, WC, STAFF_ROW, AdwActionRow)

/* @name is the member's own (untrusted: never markup); @url nullable (no token or no server). */
GtkWidget  *wc_staff_row_new      (const char *staff_id,
                                   const char *name,
                                   const char *role_label,
                                   const char *url);
const char *wc_staff_row_get_id   (WcStaffRow *self);
const char *wc_staff_row_get_url  (WcStaffRow *self);

G_END_DECLS
