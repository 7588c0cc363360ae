/* wc-staff-dialog.c: the staff dialog. Staff are few (a dozen): the list is read again from the
 * engine when a member is added, here or over HTTP. */
#define G_LOG_DOMAIN "wc-staff-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-staff-dialog.h"
#include "wc-staff-row.h"

struct _WcStaffDialog {
  AdwWindow     parent_instance;

  WcSession    *session;
  gulong        record_handler;
  GPtrArray    *rows;

  GtkListBox   *staff_list;
  AdwEntryRow  *name_row;
  AdwComboRow  *role_row;
  GtkLabel     *error_label;
};

G_DEFINE_FINAL_TYPE (WcStaffDialog, wc_staff_dialog, ADW_TYPE_WINDOW)

/* The member's personal link, once the server has given them a token. */
static char *
staff_url (WcStaffDialog *self,
           const char    *staff_id)
{
  WcServer *server = wc_session_get_server (self->session);
  const char *token = wc_tokens_get_staff_token (wc_session_get_tokens (self->session), staff_id);
  g_autofree char *base = NULL;

  if (server == NULL || token == NULL)
    return NULL;
  base = wc_server_get_base_url (server);
  return g_strdup_printf ("%s/e/%s", base, token);
}

static void
fill (WcStaffDialog *self)
{
  GPtrArray *staff = wc_engine_get_staff (wc_session_get_engine (self->session));
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->staff_list))))
    gtk_list_box_remove (self->staff_list, child);
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; staff && i < staff->len; i++)
    {
      const WcStaff *s = g_ptr_array_index (staff, i);
      g_autofree char *url = staff_url (self, s->id);
      GtkWidget *row = wc_staff_row_new (s->id, s->name, wc_live_staff_role_label (s->role), url);

      gtk_list_box_append (self->staff_list, row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
on_record (WcEngine      *engine,
           guint64        seq,
           WcRecordType   type,
           JsonObject    *data,
           gint64         t_ms,
           WcStaffDialog *self)
{
  if (type == WC_RECORD_STAFF_ADDED)
    fill (self);
}

char *
wc_staff_dialog_make_id (WcEngine   *engine,
                         const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name ? name : "", NULL);
  GString *id = g_string_new (NULL);
  g_autofree char *base = NULL;
  char *candidate;

  for (const char *p = ascii; *p && id->len < 40; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (id, g_ascii_tolower (*p));
    else if (id->len > 0 && id->str[id->len - 1] != '-')
      g_string_append_c (id, '-');
  while (id->len > 0 && id->str[id->len - 1] == '-')
    g_string_truncate (id, id->len - 1);
  if (id->len == 0)
    g_string_append (id, "staff");
  base = g_string_free (id, FALSE);
  candidate = g_strdup (base);
  for (guint n = 2; wc_engine_find_staff (engine, candidate) ||
                    wc_scenario_find_team (wc_engine_get_scenario (engine), candidate); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s-%u", base, n);
    }
  return candidate;
}

gboolean
wc_staff_dialog_add (WcStaffDialog *self,
                     const char    *name,
                     WcStaffRole    role)
{
  WcEngine *engine = wc_session_get_engine (self->session);
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));
  g_autofree char *id = wc_staff_dialog_make_id (engine, trimmed);
  g_autoptr(GError) error = NULL;

  /* added by the controller at this machine */
  wc_engine_set_actor (engine, NULL);
  if (!wc_engine_add_staff (engine, id, trimmed, role, &error))
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return FALSE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  return TRUE;
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  WcStaffDialog *self = WC_STAFF_DIALOG (widget);
  guint role = adw_combo_row_get_selected (self->role_row);

  wc_staff_dialog_add (self, gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                       role <= WC_STAFF_OBSERVER ? (WcStaffRole) role : WC_STAFF_OBSERVER);
}

static void
update_add (WcStaffDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "staff.add", *name != '\0');
}

static void
on_name_activated (WcStaffDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "staff.add", NULL);
}

WcStaffDialog *
wc_staff_dialog_new (GtkWindow *parent,
                     WcSession *session)
{
  WcStaffDialog *self = g_object_new (WC_TYPE_STAFF_DIALOG, "transient-for", parent, NULL);

  self->session = g_object_ref (session);
  self->record_handler = g_signal_connect (wc_session_get_engine (session), "record",
                                           G_CALLBACK (on_record), self);
  fill (self);
  return self;
}

GPtrArray *
wc_staff_dialog_get_rows (WcStaffDialog *self)
{
  return self->rows;
}

static void
wc_staff_dialog_dispose (GObject *object)
{
  WcStaffDialog *self = WC_STAFF_DIALOG (object);

  if (self->session)
    g_clear_signal_handler (&self->record_handler, wc_session_get_engine (self->session));
  g_clear_object (&self->session);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_STAFF_DIALOG);
  G_OBJECT_CLASS (wc_staff_dialog_parent_class)->dispose (object);
}

static void
wc_staff_dialog_class_init (WcStaffDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_staff_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-staff-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WcStaffDialog, staff_list);
  gtk_widget_class_bind_template_child (widget_class, WcStaffDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, WcStaffDialog, role_row);
  gtk_widget_class_bind_template_child (widget_class, WcStaffDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, update_add);
  gtk_widget_class_bind_template_callback (widget_class, on_name_activated);
  gtk_widget_class_install_action (widget_class, "staff.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wc_staff_dialog_init (WcStaffDialog *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  update_add (self);
}
