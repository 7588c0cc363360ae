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

#define GROWING_ALL_AFTER 256

typedef struct {
  GWeakRef slice;
  guint    step;
} Growing;

static void
growing_free (gpointer data)
{
  Growing *growing = data;

  g_weak_ref_clear (&growing->slice);
  g_free (growing);
}

static gboolean
grow_cb (gpointer user_data)
{
  Growing *growing = user_data;
  g_autoptr(GtkSliceListModel) slice = g_weak_ref_get (&growing->slice);
  GListModel *model;
  guint size;

  if (slice == NULL)
    return G_SOURCE_REMOVE;
  model = gtk_slice_list_model_get_model (slice);
  size = gtk_slice_list_model_get_size (slice);
  /* past a few hundred items a list view of GTK 4.8 builds no more widgets (about 200 rows, a
   * grid 30 rows of cards): growing further only prolongs the source */
  if (model == NULL || size >= g_list_model_get_n_items (model) || size >= GROWING_ALL_AFTER)
    {
      /* all shown: from now on the slice is the whole model, whatever joins it */
      gtk_slice_list_model_set_size (slice, G_MAXUINT);
      return G_SOURCE_REMOVE;
    }
  gtk_slice_list_model_set_size (slice, size + growing->step);
  return G_SOURCE_CONTINUE;
}

GListModel *
wc_ui_growing_model (GListModel *model,
                     guint       step)
{
  GtkSliceListModel *slice = gtk_slice_list_model_new (model, 0, step);
  Growing *growing = g_new0 (Growing, 1);

  g_weak_ref_init (&growing->slice, slice);
  growing->step = step;
  /* below drawing's priority: every step is drawn before the next is made */
  g_idle_add_full (G_PRIORITY_LOW, grow_cb, growing, growing_free);
  return G_LIST_MODEL (slice);
}
