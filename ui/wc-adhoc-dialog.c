/* wc-adhoc-dialog.c: the ad-hoc inject composer. */
#define G_LOG_DOMAIN "wc-adhoc-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-adhoc-dialog.h"

#define N_ACTIONS 3

/* The inject in one more of the exercise's languages. */
typedef struct {
  char        *lang;
  AdwEntryRow *title_row;
  GtkTextView *body_view;
} Translation;

struct _WcAdhocDialog {
  AdwWindow    parent_instance;
  WcEngine    *engine;
  GPtrArray   *team_checks;   /* GtkCheckButton, with "team" data */
  GtkWidget   *all_check;
  GArray      *translations;  /* Translation: the languages after the exercise's first */

  GtkWidget   *send_button;
  AdwEntryRow *title_row;
  AdwComboRow *channel_row;
  AdwComboRow *tlp_row;
  AdwComboRow *from_row;
  GtkTextView *body_view;
  AdwPreferencesPage  *page;
  AdwPreferencesGroup *message_group;
  AdwPreferencesGroup *teams_group;
  AdwPreferencesGroup *actions_group;
  AdwPreferencesGroup *attachments_group;
  GtkWidget   *attach_button;
  AdwEntryRow *action_rows[N_ACTIONS];
  GtkEntry    *deadline_entries[N_ACTIONS];
  GPtrArray   *files;         /* char *: paths chosen, copied only when sent */
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (WcAdhocDialog, wc_adhoc_dialog, ADW_TYPE_WINDOW)

static char *
view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static char *
body_text (WcAdhocDialog *self)
{
  return view_text (self->body_view);
}

static void
translation_clear (gpointer data)
{
  g_free (((Translation *) data)->lang);
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

/* The expected actions written, into @into (WcExpectedAction); FALSE with @error when a deadline
 * is not a time. */
static gboolean
read_actions (WcAdhocDialog  *self,
              GPtrArray      *into,
              GError        **error)
{
  for (guint i = 0; i < N_ACTIONS; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (
        GTK_EDITABLE (self->action_rows[i]))));
      g_autofree char *deadline = g_strstrip (g_strdup (gtk_editable_get_text (
        GTK_EDITABLE (self->deadline_entries[i]))));
      WcExpectedAction *action;
      gint64 ms = -1;

      if (*text == '\0')
        continue;
      if (*deadline && !wc_time_parse (deadline, &ms))
        {
          g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                       _("The deadline of action %u, “%s”, is not a time such as 00:30"), i + 1,
                       deadline);
          return FALSE;
        }
      action = wc_expected_action_new ();
      action->text = wc_text_new_plain (text);
      action->deadline_ms = ms;
      g_ptr_array_add (into, action);
    }
  return TRUE;
}

/* Copies the chosen files beside the journal, into @into (WcAttachment). Bounded file work on
 * the GTK thread: at most WC_ADHOC_ATTACHMENT_MAX per file. */
static gboolean
store_files (WcAdhocDialog  *self,
             GPtrArray      *into,
             GError        **error)
{
  for (guint i = 0; i < self->files->len; i++)
    {
      const char *path = g_ptr_array_index (self->files, i);
      g_autofree char *type = g_content_type_guess (path, NULL, 0, NULL);
      g_autofree char *mime = g_content_type_get_mime_type (type);
      WcAttachment *a = wc_engine_store_adhoc_attachment (self->engine, path, mime, error);

      if (a == NULL)
        return FALSE;
      g_ptr_array_add (into, a);
    }
  return TRUE;
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
  WcScenario *scenario = wc_engine_get_scenario (self->engine);
  guint sender = adw_combo_row_get_selected (self->from_row);
  const char *from = NULL;
  g_autoptr(WcText) title = NULL;
  g_autoptr(WcText) message = NULL;
  gboolean translated = FALSE;
  /* a scratch inject: its arrays know how to free actions and attachments */
  WcInject *extras = wc_inject_new ();
  char *id = NULL;

  /* in one language only, it is the same text for every team: language-neutral */
  for (guint i = 0; i < self->translations->len; i++)
    {
      Translation *tr = &g_array_index (self->translations, Translation, i);
      g_autofree char *tr_body = view_text (tr->body_view);

      translated |= *gtk_editable_get_text (GTK_EDITABLE (tr->title_row)) || *tr_body;
    }
  title = wc_text_new ();
  message = wc_text_new ();
  /* language-neutral (NULL) unless it is written in more than one */
  wc_text_set (title, translated ? wc_scenario_get_default_language (scenario) : NULL,
               gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  wc_text_set (message, translated ? wc_scenario_get_default_language (scenario) : NULL, body);
  if (translated)
    {
      /* a language left empty reads the first one's text */
      for (guint i = 0; i < self->translations->len; i++)
        {
          Translation *tr = &g_array_index (self->translations, Translation, i);
          g_autofree char *tr_body = view_text (tr->body_view);

          if (*gtk_editable_get_text (GTK_EDITABLE (tr->title_row)))
            wc_text_set (title, tr->lang, gtk_editable_get_text (GTK_EDITABLE (tr->title_row)));
          if (*tr_body)
            wc_text_set (message, tr->lang, tr_body);
        }
    }
  /* the first choice is "nobody in particular" */
  if (sender > 0 && sender != GTK_INVALID_LIST_POSITION &&
      sender <= wc_scenario_get_n_actors (scenario))
    from = wc_scenario_get_actor (scenario, sender - 1)->id;

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
  /* the files last: nothing is copied for an inject that a mistyped deadline stops */
  if (read_actions (self, extras->expected_actions, error) &&
      store_files (self, extras->attachments, error))
    /* no list: every team */
    id = wc_engine_send_adhoc_full (self->engine, title, message, from, channel,
                                    all ? NULL : (const char *const *) to->pdata, tlp,
                                    extras->expected_actions, extras->attachments, error);
  wc_inject_free (extras);
  return id;
}

static void
on_remove_file (GtkButton     *button,
                WcAdhocDialog *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "row");
  const char *path = g_object_get_data (G_OBJECT (row), "path");
  guint index;

  if (g_ptr_array_find_with_equal_func (self->files, path, g_str_equal, &index))
    g_ptr_array_remove_index (self->files, index);
  adw_preferences_group_remove (self->attachments_group, row);
}

void
wc_adhoc_dialog_add_file (WcAdhocDialog *self,
                          const char    *path)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *name = g_path_get_basename (path);

  g_ptr_array_add (self->files, g_strdup (path));
  /* a file's name is text, not markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  g_object_set_data_full (G_OBJECT (row), "path", g_strdup (path), g_free);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data (G_OBJECT (remove), "row", row);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_file), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  adw_preferences_group_add (self->attachments_group, row);
}

guint
wc_adhoc_dialog_get_n_files (WcAdhocDialog *self)
{
  return self->files->len;
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     WcAdhocDialog   *self)
{
  g_autoptr(GListModel) files = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          g_autofree char *path = g_file_get_path (file);

          /* only local files: they are copied by path when sent */
          if (path)
            wc_adhoc_dialog_add_file (self, path);
        }
    }
  g_clear_object (&self->chooser);
}

static void
on_attach (WcAdhocDialog *self)
{
  if (self->chooser)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Attach Files"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
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
  g_clear_pointer (&self->translations, g_array_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  if (self->chooser)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
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
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, from_row);
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, page);
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, message_group);
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, body_view);
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, teams_group);
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, actions_group);
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, attachments_group);
  gtk_widget_class_bind_template_child (widget_class, WcAdhocDialog, attach_button);
  for (guint i = 0; i < N_ACTIONS; i++)
    {
      g_autofree char *row = g_strdup_printf ("action_row_%u", i + 1);
      g_autofree char *entry = g_strdup_printf ("deadline_entry_%u", i + 1);

      /* the template keeps its own copy of each name */
      gtk_widget_class_bind_template_child_full (widget_class, row, FALSE,
                                                 G_STRUCT_OFFSET (WcAdhocDialog, action_rows)
                                                 + i * sizeof (gpointer));
      gtk_widget_class_bind_template_child_full (widget_class, entry, FALSE,
                                                 G_STRUCT_OFFSET (WcAdhocDialog, deadline_entries)
                                                 + i * sizeof (gpointer));
    }
  gtk_widget_class_bind_template_callback (widget_class, on_attach);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wc_adhoc_dialog_init (WcAdhocDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->team_checks = g_ptr_array_new ();
  self->translations = g_array_new (FALSE, TRUE, sizeof (Translation));
  self->files = g_ptr_array_new_with_free_func (g_free);
  g_array_set_clear_func (self->translations, translation_clear);
}

/* The senders: nobody in particular, or one of the scenario's actors. */
static void
fill_senders (WcAdhocDialog *self,
              WcScenario    *scenario,
              const char    *lang)
{
  GtkStringList *names = gtk_string_list_new (NULL);

  gtk_string_list_append (names, _("Exercise control"));
  for (guint i = 0; i < wc_scenario_get_n_actors (scenario); i++)
    gtk_string_list_append (names,
                            wc_text_get (wc_scenario_get_actor (scenario, i)->name, lang, NULL));
  adw_combo_row_set_model (self->from_row, G_LIST_MODEL (names));
  g_object_unref (names);
}

/* A title and a message for each further language of the exercise: its teams read their own. */
static void
add_translations (WcAdhocDialog *self,
                  WcScenario    *scenario)
{
  const char *const *langs = wc_scenario_get_languages (scenario);
  const char *first = wc_scenario_get_default_language (scenario);
  AdwPreferencesGroup *group;
  g_autofree char *heading = NULL;

  if (langs == NULL || langs[0] == NULL || langs[1] == NULL)
    return;
  /* Translators: the message's group in the exercise's first language: "Message (en)" */
  heading = g_strdup_printf (_("Message (%s)"), first);
  adw_preferences_group_set_title (self->message_group, heading);
  for (guint i = 0; langs[i]; i++)
    {
      Translation tr = { NULL, NULL, NULL };
      GtkWidget *frame = gtk_frame_new (NULL);
      g_autofree char *title = NULL;

      if (g_strcmp0 (langs[i], first) == 0)
        continue;
      tr.lang = g_strdup (langs[i]);
      tr.title_row = ADW_ENTRY_ROW (adw_entry_row_new ());
      tr.body_view = GTK_TEXT_VIEW (gtk_text_view_new ());
      /* Translators: "In nl (optional)": a language left empty reads the first one's text */
      title = g_strdup_printf (_("In %s (optional)"), langs[i]);
      group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_title (group, title);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (tr.title_row), _("Title"));
      gtk_text_view_set_wrap_mode (tr.body_view, GTK_WRAP_WORD_CHAR);
      gtk_widget_set_size_request (GTK_WIDGET (tr.body_view), -1, 100);
      gtk_widget_set_margin_top (GTK_WIDGET (frame), 6);
      g_object_set (tr.body_view, "top-margin", 8, "bottom-margin", 8, "left-margin", 8,
                    "right-margin", 8, NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (tr.body_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      title, -1);
      gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (tr.body_view));
      adw_preferences_group_add (group, GTK_WIDGET (tr.title_row));
      adw_preferences_group_add (group, frame);
      /* right after the first language's message, before the actions and recipients */
      {
        AdwPreferencesGroup *after[] = { self->actions_group, self->attachments_group,
                                         self->teams_group };

        for (guint k = 0; k < G_N_ELEMENTS (after); k++)
          {
            g_object_ref (after[k]);
            adw_preferences_page_remove (self->page, after[k]);
          }
        adw_preferences_page_add (self->page, group);
        for (guint k = 0; k < G_N_ELEMENTS (after); k++)
          {
            adw_preferences_page_add (self->page, after[k]);
            g_object_unref (after[k]);
          }
      }
      g_array_append_val (self->translations, tr);
    }
}

WcAdhocDialog *
wc_adhoc_dialog_new (WcEngine *engine)
{
  WcAdhocDialog *self = g_object_new (WC_TYPE_ADHOC_DIALOG, NULL);
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *lang = wc_scenario_get_default_language (scenario);
  const char *channel_labels[] = { _("Email"), _("Phone"), _("News"), _("Social media"),
                                   _("Technical artefact"), _("Decision"), _("Alert"),
                                   _("Chat message"), NULL };
  GtkWidget *row;

  self->engine = g_object_ref (engine);
  adw_combo_row_set_model (self->channel_row, G_LIST_MODEL (gtk_string_list_new (channel_labels)));
  g_object_unref (adw_combo_row_get_model (self->channel_row));
  adw_combo_row_set_model (self->tlp_row, G_LIST_MODEL (gtk_string_list_new (wc_tlp_names ())));
  g_object_unref (adw_combo_row_get_model (self->tlp_row));
  adw_combo_row_set_selected (self->tlp_row, wc_scenario_get_tlp (scenario));
  fill_senders (self, scenario, lang);
  add_translations (self, scenario);

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
