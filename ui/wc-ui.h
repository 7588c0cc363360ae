/* wc-ui.h: what the app's windows share: toasts that show text as text, questions with Cancel
 * and one answer, and list models that views take in a few rows at a time. */
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

/* @model (taken) as a view should take it in when it has many rows that are costly to make (a
 * card per team): a few rows at first, then @step more each main-loop turn that has nothing more
 * urgent to do, so that the window keeps drawing and answering while the view fills. Once all
 * are shown, or a few hundred (more than a GTK 4.8 view builds rows for), the whole model shows
 * and rows added later show at once. */
GListModel       *wc_ui_growing_model (GListModel            *model,
                                       guint                  step);

G_END_DECLS
