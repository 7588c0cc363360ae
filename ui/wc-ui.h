/* wc-ui.h: what the app's windows share: toasts that show text as text, and questions with
 * Cancel and one answer. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* @message is plain text (file names, errors, teams' words): never read as markup. */
void              wc_ui_toast (AdwToastOverlay       *overlay,
                               const char            *message);
/* A dialog over @parent with Cancel and @response; a destructive answer is not the default.
 * @callback is connected to "response" with @user_data; the caller presents it. */
AdwMessageDialog *wc_ui_ask   (GtkWindow             *parent,
                               const char            *heading,
                               const char            *body,
                               const char            *response,
                               const char            *label,
                               AdwResponseAppearance  appearance,
                               GCallback              callback,
                               gpointer               user_data);

G_END_DECLS
