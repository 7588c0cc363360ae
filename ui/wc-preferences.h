/* wc-preferences.h: the preferences window, bound to GSettings. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WC_TYPE_PREFERENCES (wc_preferences_get_type ())
G_DECLARE_FINAL_TYPE (WcPreferences, wc_preferences, WC, PREFERENCES, AdwPreferencesWindow)

WcPreferences *wc_preferences_new (GSettings *settings);

G_END_DECLS
