/* wc-findings-view.h: what is wrong with a scenario, each problem with its file, line and field. */
#pragma once

#include <gtk/gtk.h>

#include "wc-diagnostics.h"

G_BEGIN_DECLS

#define WC_TYPE_FINDINGS_VIEW (wc_findings_view_get_type ())
G_DECLARE_FINAL_TYPE (WcFindingsView, wc_findings_view, WC, FINDINGS_VIEW, GtkWidget)

void  wc_findings_view_set_findings (WcFindingsView *self,
                                     const char     *path,
                                     WcDiagnostics  *diag);
/* The findings shown, one "FILE:LINE:COL: error: MESSAGE" line each (tests). */
char *wc_findings_view_describe     (WcFindingsView *self);

/* Signal "retry" (const char *path): the controller asks for the file to be checked again. */

G_END_DECLS
