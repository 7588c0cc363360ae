/* wc-actor-reply-dialog.c: the controller plays one of the scenario's actors in the teams'
 * traffic: actor, recipients, subject, body → wc_engine_send_as_actor(). */
#define G_LOG_DOMAIN "wc-actor-reply-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-actor-reply-dialog.h"

struct _WcActorReplyDialog {
  AdwWindow            parent_instance;
  AdwComboRow         *actor_row;
  AdwEntryRow         *subject_row;
  GtkTextView         *body_view;
  AdwPreferencesGroup *teams_group;
  GtkWidget           *send_button;

  WcEngine            *engine;
  char                *in_reply_to;  /* the conversation's last message, nullable */
  GPtrArray           *team_checks;  /* GtkCheckButton, "team" data: the team id */
};

G_DEFINE_FINAL_TYPE (WcActorReplyDialog, wc_actor_reply_dialog, ADW_TYPE_WINDOW)

static char *
body_text (WcActorReplyDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

GPtrArray *
wc_actor_reply_dialog_get_recipients (WcActorReplyDialog *self)
{
  GPtrArray *teams = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < self->team_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->team_checks, i);

      if (gtk_check_button_get_active (check))
        g_ptr_array_add (teams, g_strdup (g_object_get_data (G_OBJECT (check), "team")));
    }
  return teams;
}

static void
update_sensitivity (WcActorReplyDialog *self)
{
  g_autofree char *body = body_text (self);
  g_autoptr(GPtrArray) teams = wc_actor_reply_dialog_get_recipients (self);
  const char *subject = gtk_editable_get_text (GTK_EDITABLE (self->subject_row));

  gtk_widget_set_sensitive (self->send_button,
                            adw_combo_row_get_selected (self->actor_row) != GTK_INVALID_LIST_POSITION &&
                            *subject && *g_strstrip (body) && teams->len > 0);
}

char *
wc_actor_reply_dialog_send (WcActorReplyDialog  *self,
                            GError             **error)
{
  WcScenario *scenario = wc_engine_get_scenario (self->engine);
  guint actor = adw_combo_row_get_selected (self->actor_row);
  g_autoptr(GPtrArray) teams = wc_actor_reply_dialog_get_recipients (self);
  g_autoptr(JsonObject) data = json_object_new ();
  g_autofree char *body = body_text (self);
  JsonArray *to = json_array_new ();

  if (actor == GTK_INVALID_LIST_POSITION || actor >= wc_scenario_get_n_actors (scenario))
    {
      g_set_error_literal (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                           _("Choose the actor the message comes from."));
      json_array_unref (to);
      return NULL;
    }
  for (guint i = 0; i < teams->len; i++)
    json_array_add_string_element (to, g_ptr_array_index (teams, i));
  json_object_set_array_member (data, "to", to);
  json_object_set_string_member (data, "subject", gtk_editable_get_text (GTK_EDITABLE (self->subject_row)));
  json_object_set_string_member (data, "body", body);
  json_object_set_string_member (data, "tlp", wc_tlp_to_string (wc_scenario_get_tlp (scenario)));
  json_object_set_string_member (data, "lang", wc_scenario_get_default_language (scenario));
  if (self->in_reply_to)
    json_object_set_string_member (data, "in_reply_to", self->in_reply_to);
  return wc_engine_send_as_actor (self->engine, wc_scenario_get_actor (scenario, actor)->id, data,
                                  error);
}

static void
on_send (WcActorReplyDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = wc_actor_reply_dialog_send (self, &error);

  if (id == NULL)
    {
      AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
        adw_message_dialog_new (GTK_WINDOW (self), _("The Message Was Not Sent"), error->message));

      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

gboolean
wc_actor_reply_dialog_set_actor (WcActorReplyDialog *self,
                                 const char         *actor_id)
{
  WcScenario *scenario = wc_engine_get_scenario (self->engine);

  for (guint i = 0; i < wc_scenario_get_n_actors (scenario); i++)
    if (g_strcmp0 (wc_scenario_get_actor (scenario, i)->id, actor_id) == 0)
      {
        adw_combo_row_set_selected (self->actor_row, i);
        update_sensitivity (self);
        return TRUE;
      }
  return FALSE;
}

void
wc_actor_reply_dialog_set_body (WcActorReplyDialog *self,
                                const char         *body)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), body, -1);
}

static void
wc_actor_reply_dialog_dispose (GObject *object)
{
  WcActorReplyDialog *self = WC_ACTOR_REPLY_DIALOG (object);

  g_clear_object (&self->engine);
  g_clear_pointer (&self->in_reply_to, g_free);
  g_clear_pointer (&self->team_checks, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_ACTOR_REPLY_DIALOG);
  G_OBJECT_CLASS (wc_actor_reply_dialog_parent_class)->dispose (object);
}

static void
wc_actor_reply_dialog_class_init (WcActorReplyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_actor_reply_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/be/whitecell/Whitecell/wc-actor-reply-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WcActorReplyDialog, actor_row);
  gtk_widget_class_bind_template_child (widget_class, WcActorReplyDialog, subject_row);
  gtk_widget_class_bind_template_child (widget_class, WcActorReplyDialog, body_view);
  gtk_widget_class_bind_template_child (widget_class, WcActorReplyDialog, teams_group);
  gtk_widget_class_bind_template_child (widget_class, WcActorReplyDialog, send_button);
  gtk_widget_class_bind_template_callback (widget_class, on_send);
  gtk_widget_class_bind_template_callback (widget_class, update_sensitivity);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wc_actor_reply_dialog_init (WcActorReplyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->team_checks = g_ptr_array_new ();
}

static gboolean
in_conversation (WcLiveConversation *conversation,
                 const char         *team_id)
{
  GPtrArray *teams = conversation ? wc_live_conversation_get_teams (conversation) : NULL;

  for (guint i = 0; teams && i < teams->len; i++)
    if (g_strcmp0 (g_ptr_array_index (teams, i), team_id) == 0)
      return TRUE;
  return FALSE;
}

WcActorReplyDialog *
wc_actor_reply_dialog_new (WcEngine           *engine,
                           WcLiveConversation *conversation)
{
  WcActorReplyDialog *self = g_object_new (WC_TYPE_ACTOR_REPLY_DIALOG, NULL);
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *lang = wc_scenario_get_default_language (scenario);
  g_autoptr(GtkStringList) actors = gtk_string_list_new (NULL);

  self->engine = g_object_ref (engine);
  for (guint i = 0; i < wc_scenario_get_n_actors (scenario); i++)
    gtk_string_list_append (actors, wc_text_get (wc_scenario_get_actor (scenario, i)->name, lang, NULL));
  adw_combo_row_set_model (self->actor_row, G_LIST_MODEL (actors));
  g_signal_connect_swapped (self->actor_row, "notify::selected", G_CALLBACK (update_sensitivity), self);
  if (conversation)
    {
      GListModel *messages = wc_live_conversation_get_messages (conversation);
      guint n = g_list_model_get_n_items (messages);
      g_autoptr(WcLiveMessage) last = n ? g_list_model_get_item (messages, n - 1) : NULL;
      g_autofree char *subject = NULL;

      self->in_reply_to = last ? g_strdup (wc_live_message_get_id (last)) : NULL;
      /* TRANSLATORS: the subject of a reply: "Re: Ransomware on the HIS" */
      subject = g_strdup_printf (_("Re: %s"), wc_live_conversation_get_subject (conversation));
      gtk_editable_set_text (GTK_EDITABLE (self->subject_row), subject);
    }
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    {
      const WcTeam *team = wc_scenario_get_team (scenario, i);
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *row = adw_action_row_new ();

      /* a team's name is text, not markup */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), wc_text_get (team->name, lang, NULL));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_object_set_data_full (G_OBJECT (check), "team", g_strdup (team->id), g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), in_conversation (conversation, team->id));
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_sensitivity), self);
      g_ptr_array_add (self->team_checks, check);
      adw_preferences_group_add (self->teams_group, row);
    }
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->body_view), "changed",
                            G_CALLBACK (update_sensitivity), self);
  update_sensitivity (self);
  return self;
}
