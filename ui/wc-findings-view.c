/* wc-findings-view.c: the findings panel shown instead of an exercise when a scenario has errors. */
#define G_LOG_DOMAIN "wc-findings-view"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-findings-view.h"

struct _WcFindingsView {
  GtkWidget   parent_instance;
  char       *path;
  GString    *lines;

  GtkWidget  *scroller;
  GtkLabel   *heading;
  GtkLabel   *summary;
  GtkListBox *list;
  GtkWidget  *retry_button;
};

enum { SIGNAL_RETRY, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (WcFindingsView, wc_findings_view, GTK_TYPE_WIDGET)

static GtkWidget *
finding_row (const WcDiagnostic *d)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name (d->severity == WC_SEVERITY_ERROR ? "dialog-error-symbolic"
                                                                                   : "dialog-warning-symbolic");
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *place = g_strdup_printf ("%s:%u:%u%s%s", d->file, d->line, d->column,
                                            d->path ? " · " : "", d->path ? d->path : "");
  GtkWidget *place_label = gtk_label_new (place);
  GtkWidget *message = gtk_label_new (d->message);

  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 12);
  gtk_widget_set_margin_top (row, 8);
  gtk_widget_set_margin_bottom (row, 8);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, d->severity == WC_SEVERITY_ERROR ? "error" : "warning");
  gtk_label_set_xalign (GTK_LABEL (place_label), 0);
  gtk_label_set_selectable (GTK_LABEL (place_label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (place_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (place_label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (place_label, "monospace");
  gtk_widget_add_css_class (place_label, "caption");
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_selectable (GTK_LABEL (message), TRUE);
  gtk_box_append (GTK_BOX (texts), place_label);
  gtk_box_append (GTK_BOX (texts), message);
  if (d->hint)
    {
      GtkWidget *hint = gtk_label_new (d->hint);

      gtk_label_set_xalign (GTK_LABEL (hint), 0);
      gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
      gtk_widget_add_css_class (hint, "dim-label");
      gtk_box_append (GTK_BOX (texts), hint);
    }
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), texts);
  return row;
}

void
wc_findings_view_set_findings (WcFindingsView *self,
                               const char     *path,
                               WcDiagnostics  *diag)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *heading = g_strdup_printf (_("“%s” Cannot Be Played"), base);
  guint errors = wc_diagnostics_count (diag, WC_SEVERITY_ERROR);
  guint warnings = wc_diagnostics_count (diag, WC_SEVERITY_WARNING);
  g_autofree char *e = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u error", "%u errors", errors), errors);
  g_autofree char *w = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", warnings), warnings);
  /* Translators: "3 errors and 1 warning in /path/scenario.json. Fix them and check again." */
  g_autofree char *summary = g_strdup_printf (_("%s and %s in %s. Fix them in the file and check again."),
                                              e, w, path);
  GtkWidget *child;

  g_free (self->path);
  self->path = g_strdup (path);
  g_string_truncate (self->lines, 0);
  gtk_label_set_label (self->heading, heading);
  gtk_label_set_label (self->summary, summary);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);
  wc_diagnostics_sort (diag);
  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      const WcDiagnostic *d = wc_diagnostics_get_item (diag, i);
      g_autofree char *line = wc_diagnostic_format (d);

      g_string_append_printf (self->lines, "%s\n", line);
      gtk_list_box_append (self->list, finding_row (d));
    }
}

char *
wc_findings_view_describe (WcFindingsView *self)
{
  return g_strdup (self->lines->str);
}

static void
on_retry (WcFindingsView *self)
{
  if (self->path)
    g_signal_emit (self, signals[SIGNAL_RETRY], 0, self->path);
}

static void
wc_findings_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_FINDINGS_VIEW);
  G_OBJECT_CLASS (wc_findings_view_parent_class)->dispose (object);
}

static void
wc_findings_view_finalize (GObject *object)
{
  WcFindingsView *self = WC_FINDINGS_VIEW (object);

  g_free (self->path);
  g_string_free (self->lines, TRUE);
  G_OBJECT_CLASS (wc_findings_view_parent_class)->finalize (object);
}

static void
wc_findings_view_class_init (WcFindingsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_findings_view_dispose;
  object_class->finalize = wc_findings_view_finalize;
  signals[SIGNAL_RETRY] = g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-findings-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WcFindingsView, scroller);
  gtk_widget_class_bind_template_child (widget_class, WcFindingsView, heading);
  gtk_widget_class_bind_template_child (widget_class, WcFindingsView, summary);
  gtk_widget_class_bind_template_child (widget_class, WcFindingsView, list);
  gtk_widget_class_bind_template_child (widget_class, WcFindingsView, retry_button);
}

static void
wc_findings_view_init (WcFindingsView *self)
{
  self->lines = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->retry_button, "clicked", G_CALLBACK (on_retry), self);
}
