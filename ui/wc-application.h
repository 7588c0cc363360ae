/* wc-application.h: the whitecell application: windows, app-wide actions and settings. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WC_TYPE_APPLICATION (wc_application_get_type ())
G_DECLARE_FINAL_TYPE (WcApplication, wc_application, WC, APPLICATION, AdwApplication)

WcApplication *wc_application_new          (void);
GSettings     *wc_application_get_settings (WcApplication *self);
/* The app's settings, from the installed schema or, run from the build folder, the build's. */
GSettings     *wc_application_open_settings (void);

G_END_DECLS
