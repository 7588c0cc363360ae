/* wc-staff-row.c: one member of the exercise staff, with their personal link. */
#define G_LOG_DOMAIN "wc-staff-row"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-qr.h"
#include "wc-staff-row.h"

struct _WcStaffRow {
  AdwActionRow parent_instance;

  char        *id;
  char        *url;

  GtkWidget   *link_box;
  GtkWidget   *qr_button;
  GtkPicture  *qr_picture;
  GtkLabel    *url_label;
  GtkWidget   *no_link_label;
};

G_DEFINE_FINAL_TYPE (WcStaffRow, wc_staff_row, ADW_TYPE_ACTION_ROW)

GtkWidget *
wc_staff_row_new (const char *staff_id,
                  const char *name,
                  const char *role_label,
                  const char *url)
{
  WcStaffRow *self = g_object_new (WC_TYPE_STAFF_ROW, NULL);
  g_autofree char *qr = g_strdup_printf (_("Show the personal link of %s as a QR code"), name);

  self->id = g_strdup (staff_id);
  self->url = g_strdup (url);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), role_label);
  gtk_widget_set_visible (self->link_box, url != NULL);
  gtk_widget_set_visible (self->no_link_label, url == NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->qr_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  qr, -1);
  return GTK_WIDGET (self);
}

const char *wc_staff_row_get_id (WcStaffRow *self) { return self->id; }
const char *wc_staff_row_get_url (WcStaffRow *self) { return self->url; }

static void
copy_link (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  WcStaffRow *self = WC_STAFF_ROW (widget);

  if (self->url)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->url);
}

/* made when first shown: a dozen rows need no QR code until someone asks */
static void
on_qr_shown (WcStaffRow *self)
{
  g_autoptr(GdkTexture) texture = self->url ? wc_qr_texture_new (self->url, 6) : NULL;

  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (texture));
  gtk_label_set_label (self->url_label, self->url ? self->url : "");
}

static void
wc_staff_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_STAFF_ROW);
  G_OBJECT_CLASS (wc_staff_row_parent_class)->dispose (object);
}

static void
wc_staff_row_finalize (GObject *object)
{
  WcStaffRow *self = WC_STAFF_ROW (object);

  g_free (self->id);
  g_free (self->url);
  G_OBJECT_CLASS (wc_staff_row_parent_class)->finalize (object);
}

static void
wc_staff_row_class_init (WcStaffRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_staff_row_dispose;
  object_class->finalize = wc_staff_row_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-staff-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WcStaffRow, link_box);
  gtk_widget_class_bind_template_child (widget_class, WcStaffRow, qr_button);
  gtk_widget_class_bind_template_child (widget_class, WcStaffRow, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, WcStaffRow, url_label);
  gtk_widget_class_bind_template_child (widget_class, WcStaffRow, no_link_label);
  gtk_widget_class_bind_template_callback (widget_class, on_qr_shown);
  gtk_widget_class_install_action (widget_class, "staff-row.copy", NULL, copy_link);
}

static void
wc_staff_row_init (WcStaffRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
