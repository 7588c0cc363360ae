/* wc-window-journal.c: the controller's window and its journal: a bar that says loudly when the
 * journal cannot be written (the exercise is then held: nothing counts until it can), and the
 * journal's fingerprint (path, records, head hash) to compare with `whitecellctl verify`. */
#define G_LOG_DOMAIN "wc-window"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-journal-details.h"
#include "wc-window-private.h"

#define JOURNAL_NOTIFICATION "journal-error"

void
wc_window_show_journal_error (WcWindow *self)
{
  WcEngine *engine = wc_window_get_engine (self);
  const char *error = engine ? wc_engine_get_journal_error (engine) : NULL;
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  gboolean was_shown = gtk_revealer_get_reveal_child (self->journal_error_revealer);

  if (error)
    {
      /* the reason names a file: text, not markup */
      g_autofree char *reason = g_markup_escape_text (error, -1);
      /* Translators: the bar over the window while no record can be written; %s: why */
      g_autofree char *text = g_strdup_printf (_("<b>The exercise journal cannot be written.</b> The "
                                                 "clock is held until it can; answers are refused "
                                                 "meanwhile. Once records go through again, the "
                                                 "exercise is paused there.\n<small>%s</small>"),
                                               reason);

      gtk_label_set_markup (self->journal_error_label, text);
      /* the controller is looking elsewhere: tell the desktop, once per failure */
      if (!was_shown && app && !gtk_window_is_active (GTK_WINDOW (self)))
        {
          g_autoptr(GNotification) notification =
            g_notification_new (_("The exercise journal cannot be written"));

          g_notification_set_body (notification, error);
          g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
          g_notification_set_default_action (notification, "app.activate");
          g_application_send_notification (app, JOURNAL_NOTIFICATION, notification);
        }
    }
  else if (was_shown && app)
    g_application_withdraw_notification (app, JOURNAL_NOTIFICATION);
  gtk_revealer_set_reveal_child (self->journal_error_revealer, error != NULL);
}

const char *
wc_window_get_journal_error_shown (WcWindow *self)
{
  if (!gtk_revealer_get_reveal_child (self->journal_error_revealer))
    return NULL;
  return gtk_label_get_text (self->journal_error_label);
}

static void
journal_details_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);
  WcEngine *engine = wc_window_get_engine (self);
  WcJournal *journal = engine ? wc_engine_get_journal (engine) : NULL;
  AdwMessageDialog *dialog;

  if (journal == NULL)
    return;
  dialog = wc_journal_details_dialog (GTK_WINDOW (self), wc_journal_get_path (journal),
                                      wc_journal_get_n_records (journal),
                                      wc_journal_get_head_hash (journal));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
wc_window_class_add_journal_actions (GtkWidgetClass *widget_class)
{
  g_type_ensure (WC_TYPE_JOURNAL_DETAILS);
  gtk_widget_class_install_action (widget_class, "win.journal-details", NULL,
                                   journal_details_action);
}
