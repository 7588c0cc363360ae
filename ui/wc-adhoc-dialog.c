/* wc-adhoc-dialog.c: the ad-hoc inject composer. */
#define G_LOG_DOMAIN "wc-adhoc-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-adhoc-dialog.h"

struct _WcAdhocDialog {
  AdwWindow    parent_instance;
  WcEngine    *engine;
  GPtrArray   *team_checks;   /* GtkCheckButton, with "team" data */
  GtkWidget   *all_check;

  GtkWidget   *send_button;
  AdwEntryRow *title_row;
  AdwComboRow *channel_row;
  AdwComboRow *tlp_row;
  GtkTextView *body_view;
  AdwPreferencesGroup *teams_group;
};

G_DEFINE_FINAL_TYPE (WcAdhocDialog, wc_adhoc_dialog, ADW_TYPE_WINDOW)

static char *
body_text (WcAdhocDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
any_team (WcAdhocDialog *self)
{
  if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->all_check)))
    return TRUE;
  for (guint i = 0; i < self->team_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->team_checks, i)))
      return TRUE;
  return FALSE;
}

static void
update_sensitivity (WcAdhocDialog *self)
{
  g_autofree char *body = body_text (self);
  const char *title = gtk_editable_get_text (GTK_EDITABLE (self->title_row));

  for (guint i = 0; i < self->team_checks->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->team_checks, i),
                              !gtk_check_button_get_active (GTK_CHECK_BUTTON (self->all_check)));
  gtk_widget_set_sensitive (self->send_button, *title && *g_strstrip (body) && any_team (self));
}

char *
wc_adhoc_dialog_send (WcAdhocDialog  *self,
                      GError        **error)
{
  g_autofree char *body = body_text (self);
  g_autoptr(GPtrArray) to = g_ptr_array_new ();
  const char *const *channels = wc_channel_names ();
  const char *const *tlps = wc_tlp_names ();
  WcChannel channel = WC_CHANNEL_EMAIL;
  WcTlp tlp = WC_TLP_AMBER;
  guint c = adw_combo_row_get_selected (self->channel_row);
  guint t = adw_combo_row_get_selected (self->tlp_row);
  gboolean all = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->all_check));

  if (c < g_strv_length ((char **) channels))
    wc_channel_from_string (channels[c], &channel);
  if (t < g_strv_length ((char **) tlps))
    wc_tlp_from_string (tlps[t], &tlp);
  for (guint i = 0; !all && i < self->team_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->team_checks, i);

      if (gtk_check_button_get_active (check))
        g_ptr_array_add (to, g_object_get_data (G_OBJECT (check), "team"));
    }
  g_ptr_array_add (to, NULL);
  /* no list: every team */
  return wc_engine_send_adhoc (self->engine, gtk_editable_get_text (GTK_EDITABLE (self->title_row)),
                               body, channel, all ? NULL : (const char *const *) to->pdata, tlp, error);
}

static void
on_send (WcAdhocDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = wc_adhoc_dialog_send (self, &error);

  if (id == NULL)
    {
      AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
        adw_message_dialog_new (GTK_WINDOW (self), _("The Inject Was Not Sent"), error->message));

      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
wc_adhoc_dialog_dispose (GObject *object)
{
  WcAdhocDialog *self = WC_ADHOC_DIALOG (object);

  g_clear_object (&self->engine);
  g_clear_pointer (&self->team_checks, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_ADHOC_DIALOG);
  G_OBJECT_CLASS (wc_adhoc_dialog_parent_class)->dispose (object);
}

static void
wc_adhoc_dialog_class_init (WcAdhocDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_adhoc_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-adhoc-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, send_button);
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, channel_row);
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, tlp_row);
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, body_view);
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, teams_group);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wc_adhoc_dialog_init (WcAdhocDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->team_checks = g_ptr_array_new ();
}

WcAdhocDialog *
wc_adhoc_dialog_new (WcEngine *engine)
{
  WcAdhocDialog *self = g_object_new (WC_TYPE_ADHOC_DIALOG, NULL);
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *lang = wc_scenario_get_default_language (scenario);
  const char *channel_labels[] = { _("Email"), _("Phone"), _("News"), _("Social media"),
                                   _("Technical artefact"), _("Decision"), _("Alert"), NULL };
  GtkWidget *row;

  self->engine = g_object_ref (engine);
  adw_combo_row_set_model (self->channel_row, G_LIST_MODEL (gtk_string_list_new (channel_labels)));
  g_object_unref (adw_combo_row_get_model (self->channel_row));
  adw_combo_row_set_model (self->tlp_row, G_LIST_MODEL (gtk_string_list_new (wc_tlp_names ())));
  g_object_unref (adw_combo_row_get_model (self->tlp_row));
  adw_combo_row_set_selected (self->tlp_row, wc_scenario_get_tlp (scenario));

  self->all_check = gtk_check_button_new ();
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("All teams"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), self->all_check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->all_check);
  adw_preferences_group_add (self->teams_group, row);
  g_signal_connect_swapped (self->all_check, "toggled", G_CALLBACK (update_sensitivity), self);
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    {
      const WcTeam *team = wc_scenario_get_team (scenario, i);
      GtkWidget *check = gtk_check_button_new ();

      row = adw_action_row_new ();
      /* a team's name is text, not markup */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), wc_text_get (team->name, lang, NULL));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_object_set_data_full (G_OBJECT (check), "team", g_strdup (team->id), g_free);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_sensitivity), self);
      g_ptr_array_add (self->team_checks, check);
      adw_preferences_group_add (self->teams_group, row);
    }
  g_signal_connect_swapped (self->title_row, "changed", G_CALLBACK (update_sensitivity), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->body_view), "changed",
                            G_CALLBACK (update_sensitivity), self);
  g_signal_connect_swapped (self->send_button, "clicked", G_CALLBACK (on_send), self);
  return self;
}
