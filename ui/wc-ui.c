/* wc-ui.c: helpers the app's windows share. */
#include "config.h"

#include <glib/gi18n.h>

#include "wc-ui.h"

void
wc_ui_toast (AdwToastOverlay *overlay,
             const char      *message)
{
  /* a toast's title is markup in libadwaita 1.2 */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (overlay, toast);
}

AdwMessageDialog *
wc_ui_ask (GtkWindow             *parent,
           const char            *heading,
           const char            *body,
           const char            *response,
           const char            *label,
           AdwResponseAppearance  appearance,
           GCallback              callback,
           gpointer               user_data)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, appearance);
  adw_message_dialog_set_default_response (dialog, appearance == ADW_RESPONSE_DESTRUCTIVE ? "cancel" : response);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", callback, user_data);
  return dialog;
}
