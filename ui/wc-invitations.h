/* wc-invitations.h: what controllers hand out before an exercise: one printed page per team with
 * its name, join link and QR code, the exercise marking, the TLP and how to join. */
#pragma once

#include <gtk/gtk.h>

#include "wc-session.h"

G_BEGIN_DECLS

/* A print operation of @session's invitations, one page per team, with the links as they are
 * now; run it to print, or to export a PDF (GTK_PRINT_OPERATION_ACTION_EXPORT). */
GtkPrintOperation *wc_invitations_new         (WcSession  *session);
/* The marking a team reads on its invitation, in @language: "EXERCISE", "OEFENING",
 * "EXERCICE" (English for any other language). */
const char        *wc_invitations_marking     (const char *language);

G_END_DECLS
