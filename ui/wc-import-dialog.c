/* wc-import-dialog.c: the mapping report of an import, shown before the exercise is created, so
 * that a planner sees what was guessed, kept and dropped of their sheet before running it. */
#define G_LOG_DOMAIN "wc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-import-dialog.h"

struct _WcImportDialog
{
  AdwWindow    parent_instance;

  GtkLabel    *summary_label;
  GtkTextView *report_view;
  GtkButton   *create_button;

  char        *text;
  gboolean     responded;
};

G_DEFINE_FINAL_TYPE (WcImportDialog, wc_import_dialog, ADW_TYPE_WINDOW)

enum {
  RESPONSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
respond (WcImportDialog *self,
         gboolean        create)
{
  if (self->responded)
    return;
  self->responded = TRUE;
  g_signal_emit (self, signals[RESPONSE], 0, create);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  respond (WC_IMPORT_DIALOG (widget), TRUE);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  respond (WC_IMPORT_DIALOG (widget), FALSE);
}

/* closing the window is a Cancel */
static gboolean
wc_import_dialog_close_request (GtkWindow *window)
{
  WcImportDialog *self = WC_IMPORT_DIALOG (window);

  if (!self->responded)
    {
      self->responded = TRUE;
      g_signal_emit (self, signals[RESPONSE], 0, FALSE);
    }
  return GTK_WINDOW_CLASS (wc_import_dialog_parent_class)->close_request (window);
}

static void
wc_import_dialog_finalize (GObject *object)
{
  WcImportDialog *self = WC_IMPORT_DIALOG (object);

  g_free (self->text);
  G_OBJECT_CLASS (wc_import_dialog_parent_class)->finalize (object);
}

static void
wc_import_dialog_class_init (WcImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->finalize = wc_import_dialog_finalize;
  window_class->close_request = wc_import_dialog_close_request;
  signals[RESPONSE] = g_signal_new ("response", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WcImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, WcImportDialog, report_view);
  gtk_widget_class_bind_template_child (widget_class, WcImportDialog, create_button);
  gtk_widget_class_install_action (widget_class, "import.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
wc_import_dialog_init (WcImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

WcImportDialog *
wc_import_dialog_new (GtkWindow      *parent,
                      WcImportReport *report)
{
  WcImportDialog *self = g_object_new (WC_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  g_autofree char *basename = g_path_get_basename (wc_import_report_get_path (report));
  g_autofree char *summary = NULL;
  g_autofree char *guesses = NULL;
  g_autofree char *cautions = NULL;
  guint guessed = wc_import_report_count (report, WC_MAPPING_GUESSED);
  guint warnings = wc_import_report_count (report, WC_MAPPING_WARNING);

  self->text = wc_import_report_to_text (report);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->report_view), self->text, -1);
  /* the counts said, not "several": a sheet read back from an export has nothing to check */
  guesses = guessed == 0 ? g_strdup (_("nothing guessed"))
                         : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u guess", "%u guesses",
                                                         guessed), guessed);
  cautions = warnings == 0 ? g_strdup (_("no warnings"))
                           : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning",
                                                           "%u warnings", warnings), warnings);
  /* Translators: "msel.xlsx was read as XLSX: 3 guesses, 1 warning. Check the report before
   * creating the exercise." */
  summary = g_strdup_printf (_("%s was read as %s: %s, %s. Check the report before creating the "
                               "exercise."),
                             basename, wc_import_report_get_format (report), guesses, cautions);
  gtk_label_set_text (self->summary_label, summary);
  gtk_window_set_title (GTK_WINDOW (self), basename);
  return self;
}

const char *
wc_import_dialog_get_text (WcImportDialog *self)
{
  g_return_val_if_fail (WC_IS_IMPORT_DIALOG (self), NULL);
  return self->text;
}
