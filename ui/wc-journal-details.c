/* wc-journal-details.c: the journal's path, record count and head hash, for comparing with
 * `whitecellctl verify`. */
#define G_LOG_DOMAIN "wc-journal-details"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-journal-details.h"

struct _WcJournalDetails {
  GtkWidget     parent_instance;
  char         *head_hash;
  char         *shown_hash;

  GtkWidget    *group;
  AdwActionRow *path_row;
  AdwActionRow *records_row;
  AdwActionRow *hash_row;
};

G_DEFINE_FINAL_TYPE (WcJournalDetails, wc_journal_details, GTK_TYPE_WIDGET)

static void
copy_hash_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WcJournalDetails *self = WC_JOURNAL_DETAILS (widget);

  if (self->head_hash)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->head_hash);
}

void
wc_journal_details_set (WcJournalDetails *self,
                        const char       *path,
                        guint64           n_records,
                        const char       *head_hash)
{
  g_autofree char *count = g_strdup_printf ("%'" G_GUINT64_FORMAT, n_records);

  g_free (self->head_hash);
  g_free (self->shown_hash);
  self->head_hash = g_strdup (head_hash);
  /* enough of both ends to compare by eye; the copy button gives all of it */
  if (head_hash && strlen (head_hash) > 20)
    self->shown_hash = g_strdup_printf ("%.12s…%s", head_hash, head_hash + strlen (head_hash) - 8);
  else
    self->shown_hash = g_strdup (head_hash ? head_hash : "—");
  adw_action_row_set_subtitle (self->path_row, path ? path : "—");
  adw_action_row_set_subtitle (self->records_row, count);
  adw_action_row_set_subtitle (self->hash_row, self->shown_hash);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hash_row), head_hash);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.copy-hash", head_hash != NULL);
}

const char *wc_journal_details_get_head_hash (WcJournalDetails *self) { return self->head_hash; }
const char *wc_journal_details_get_shown_hash (WcJournalDetails *self) { return self->shown_hash; }

static void
wc_journal_details_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_JOURNAL_DETAILS);
  G_OBJECT_CLASS (wc_journal_details_parent_class)->dispose (object);
}

static void
wc_journal_details_finalize (GObject *object)
{
  WcJournalDetails *self = WC_JOURNAL_DETAILS (object);

  g_free (self->head_hash);
  g_free (self->shown_hash);
  G_OBJECT_CLASS (wc_journal_details_parent_class)->finalize (object);
}

static void
wc_journal_details_class_init (WcJournalDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_journal_details_dispose;
  object_class->finalize = wc_journal_details_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/be/whitecell/Whitecell/wc-journal-details.ui");
  gtk_widget_class_bind_template_child (widget_class, WcJournalDetails, group);
  gtk_widget_class_bind_template_child (widget_class, WcJournalDetails, path_row);
  gtk_widget_class_bind_template_child (widget_class, WcJournalDetails, records_row);
  gtk_widget_class_bind_template_child (widget_class, WcJournalDetails, hash_row);
  gtk_widget_class_install_action (widget_class, "details.copy-hash", NULL, copy_hash_action);
}

static void
wc_journal_details_init (WcJournalDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
wc_journal_details_new (void)
{
  return g_object_new (WC_TYPE_JOURNAL_DETAILS, NULL);
}

AdwMessageDialog *
wc_journal_details_dialog (GtkWindow  *parent,
                           const char *path,
                           guint64     n_records,
                           const char *head_hash)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent,
                                                                         _("Exercise Journal"),
                                                                         NULL));
  GtkWidget *details = wc_journal_details_new ();

  wc_journal_details_set (WC_JOURNAL_DETAILS (details), path, n_records, head_hash);
  adw_message_dialog_set_extra_child (dialog, details);
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  return dialog;
}
