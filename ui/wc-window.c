/* wc-window.c: the controller's window. It is a view of one WcSession: the clock and controls in
 * the header bar, the MSEL, the teams board and the feed bound to the session's live models. */
#define G_LOG_DOMAIN "wc-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-adhoc-dialog.h"
#include "wc-feed-view.h"
#include "wc-findings-view.h"
#include "wc-msel-view.h"
#include "wc-review-window.h"
#include "wc-scenario-loader.h"
#include "wc-team-card.h"
#include "wc-ui.h"
#include "wc-window.h"

static const double speeds[] = { 1, 2, 5, 10, 20, 60, 100 };

struct _WcWindow {
  AdwApplicationWindow parent_instance;

  GSettings      *settings;
  WcSession      *session;
  guint           tick_id;
  guint           ticks;
  gulong          state_handler;
  gulong          speed_handler;
  gulong          response_handler;
  gulong          journal_error_handler;
  char           *clock_text;

  AdwToastOverlay *toast_overlay;
  GtkWidget       *clock_controls;
  GtkWidget       *start_button;
  GtkWidget       *pause_button;
  GtkWidget       *end_button;
  GtkDropDown     *speed_dropdown;
  GtkLabel        *clock_label;
  GtkLabel        *status_label;
  GtkStack        *stack;
  GtkListBox      *recent_list;
  WcFindingsView  *findings_view;
  WcMselView      *msel_view;
  GtkGridView     *team_grid;
  WcFeedView      *feed_view;
  GtkPaned        *main_paned;
};

G_DEFINE_FINAL_TYPE (WcWindow, wc_window, ADW_TYPE_APPLICATION_WINDOW)

static void
toast (WcWindow   *self,
       const char *message)
{
  wc_ui_toast (self->toast_overlay, message);
}

static WcEngine *
engine_of (WcWindow *self)
{
  return self->session ? wc_session_get_engine (self->session) : NULL;
}

/* What can be done follows the exercise's state. */
static void
update_actions (WcWindow *self)
{
  WcEngine *engine = engine_of (self);
  WcEngineState state = engine ? wc_engine_get_state (engine) : WC_ENGINE_ENDED;
  gboolean live = engine && (state == WC_ENGINE_RUNNING || state == WC_ENGINE_PAUSED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", engine && state == WC_ENGINE_READY);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-pause", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.end", engine && state != WC_ENGINE_ENDED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.note", engine != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.adhoc", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.fire", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.skip", engine && state != WC_ENGINE_ENDED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.hold", engine && state != WC_ENGINE_ENDED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.release", engine && state != WC_ENGINE_ENDED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reschedule", engine && state != WC_ENGINE_ENDED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.find", engine != NULL);
  gtk_widget_set_visible (self->clock_controls, engine != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->clock_label), engine != NULL);
  if (engine == NULL)
    gtk_label_set_label (self->status_label, _("Whitecell"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), engine ? "title" : "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), engine ? "dim-label" : "title");
  gtk_widget_set_visible (self->start_button, engine && state == WC_ENGINE_READY);
  gtk_widget_set_visible (self->pause_button, live);
  gtk_button_set_icon_name (GTK_BUTTON (self->pause_button),
                            state == WC_ENGINE_PAUSED ? "media-playback-start-symbolic"
                                                      : "media-playback-pause-symbolic");
  gtk_widget_set_tooltip_text (self->pause_button, state == WC_ENGINE_PAUSED
                                                     ? _("Resume the clock (Space)")
                                                     : _("Pause the clock (Space)"));
  gtk_widget_set_visible (self->end_button, engine && state != WC_ENGINE_ENDED);
}

static const char *
state_label (WcEngineState state)
{
  switch (state)
    {
    case WC_ENGINE_READY: return _("Ready to start");
    case WC_ENGINE_RUNNING: return _("Running");
    case WC_ENGINE_PAUSED: return _("Paused");
    case WC_ENGINE_ENDED:
    default: return _("Ended");
    }
}

void
wc_window_tick (WcWindow *self)
{
  WcEngine *engine = engine_of (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *wall = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *status = NULL;
  g_autofree char *clock = NULL;

  if (engine == NULL)
    return;
  clock = wc_time_format (wc_engine_get_time (engine), FALSE);
  if (g_strcmp0 (clock, self->clock_text) != 0)
    {
      g_free (self->clock_text);
      self->clock_text = g_steal_pointer (&clock);
      gtk_label_set_label (self->clock_label, self->clock_text);
    }
  /* TRANSLATORS: under the exercise clock: "Running · 20× · 14:02:11" */
  status = g_strdup_printf (_("%s · %g× · %s"), state_label (wc_engine_get_state (engine)),
                            wc_engine_get_speed (engine), wall);
  gtk_label_set_label (self->status_label, status);
  wc_live_tick (wc_session_get_live (self->session));
}

static gboolean
tick_cb (gpointer user_data)
{
  wc_window_tick (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_state_changed (WcWindow *self)
{
  WcEngine *engine = engine_of (self);

  update_actions (self);
  wc_window_tick (self);
  gtk_widget_remove_css_class (GTK_WIDGET (self->clock_label), "paused");
  gtk_widget_remove_css_class (GTK_WIDGET (self->clock_label), "ended");
  if (engine && wc_engine_get_state (engine) == WC_ENGINE_PAUSED)
    gtk_widget_add_css_class (GTK_WIDGET (self->clock_label), "paused");
  if (engine && wc_engine_get_state (engine) == WC_ENGINE_ENDED)
    gtk_widget_add_css_class (GTK_WIDGET (self->clock_label), "ended");
}

static void
on_speed_changed (WcWindow *self)
{
  double speed = wc_engine_get_speed (engine_of (self));

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (speeds[i] == speed && gtk_drop_down_get_selected (self->speed_dropdown) != i)
      gtk_drop_down_set_selected (self->speed_dropdown, i);
  wc_window_tick (self);
}

static void
on_speed_selected (WcWindow *self)
{
  guint i = gtk_drop_down_get_selected (self->speed_dropdown);
  g_autoptr(GError) error = NULL;
  WcEngine *engine = engine_of (self);

  if (engine == NULL || i >= G_N_ELEMENTS (speeds) || wc_engine_get_speed (engine) == speeds[i])
    return;
  if (!wc_engine_set_speed (engine, speeds[i], &error))
    toast (self, error->message);
}

static void
on_response_received (WcLive      *live,
                      WcLiveEvent *event,
                      WcWindow    *self)
{
  g_autoptr(GNotification) notification = NULL;
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  const char *text = wc_live_event_get_text (event);

  /* the controller is looking elsewhere: tell the desktop */
  if (gtk_window_is_active (GTK_WINDOW (self)) || app == NULL)
    return;
  notification = g_notification_new (wc_live_event_get_summary (event));
  if (text)
    g_notification_set_body (notification, text);
  g_notification_set_default_action (notification, "app.activate");
  g_application_send_notification (app, "response", notification);
}

static void
on_journal_error (WcEngine     *engine,
                  const GError *error,
                  WcWindow     *self)
{
  g_autofree char *message = g_strdup_printf (_("The journal could not be written: %s"), error->message);

  toast (self, message);
}

static void
close_session (WcWindow *self)
{
  WcEngine *engine = engine_of (self);

  if (self->session == NULL)
    return;
  g_clear_signal_handler (&self->state_handler, engine);
  g_clear_signal_handler (&self->speed_handler, engine);
  g_clear_signal_handler (&self->journal_error_handler, engine);
  g_clear_signal_handler (&self->response_handler, wc_session_get_live (self->session));
  g_clear_handle_id (&self->tick_id, g_source_remove);
  wc_msel_view_set_live (self->msel_view, NULL);
  wc_feed_view_set_live (self->feed_view, NULL);
  gtk_grid_view_set_model (self->team_grid, NULL);
  wc_session_close (self->session);
  g_clear_object (&self->session);
}

static void
remember_recent (WcWindow   *self,
                 const char *path)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-scenarios");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;
  guint n = 1;

  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] && n < 8; i++)
    if (g_strcmp0 (old[i], path) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-scenarios", (const char *const *) recent);
}

static void
show_session (WcWindow  *self,
              WcSession *session)
{
  WcEngine *engine = wc_session_get_engine (session);
  WcLive *live = wc_session_get_live (session);
  g_autoptr(GtkNoSelection) teams = NULL;
  const char *lang = wc_scenario_get_default_language (wc_session_get_scenario (session));

  close_session (self);
  self->session = session;
  gtk_window_set_title (GTK_WINDOW (self),
                        wc_text_get (wc_scenario_get_title (wc_session_get_scenario (session)), lang, NULL));
  wc_msel_view_set_live (self->msel_view, live);
  wc_feed_view_set_live (self->feed_view, live);
  teams = gtk_no_selection_new (g_object_ref (wc_live_get_teams (live)));
  gtk_grid_view_set_model (self->team_grid, GTK_SELECTION_MODEL (teams));
  self->state_handler = g_signal_connect_swapped (engine, "notify::state", G_CALLBACK (on_state_changed), self);
  self->speed_handler = g_signal_connect_swapped (engine, "notify::speed", G_CALLBACK (on_speed_changed), self);
  self->journal_error_handler = g_signal_connect (engine, "journal-error", G_CALLBACK (on_journal_error), self);
  self->response_handler = g_signal_connect (live, "response-received", G_CALLBACK (on_response_received), self);
  self->tick_id = g_timeout_add (250, tick_cb, self);
  gtk_stack_set_visible_child_name (self->stack, "exercise");
  on_speed_changed (self);
  on_state_changed (self);
  if (wc_session_get_warning (session))
    toast (self, wc_session_get_warning (session));
  if (wc_engine_get_recovery_note (engine))
    toast (self, wc_engine_get_recovery_note (engine));
}

static WcSessionOptions
session_options (WcWindow  *self,
                 char     **host_out,
                 char     **public_host_out)
{
  WcSessionOptions options = { 0 };
  g_autofree char *address = g_settings_get_string (self->settings, "listen-address");
  gboolean network = g_settings_get_boolean (self->settings, "accept-network");

  /* loopback only unless the controller chose to accept teams from the network */
  *host_out = g_strdup (network ? (*address ? address : "0.0.0.0") : "127.0.0.1");
  options.host = *host_out;
  options.port = g_settings_get_uint (self->settings, "listen-port");
  *public_host_out = g_settings_get_string (self->settings, "public-host");
  options.public_host = *public_host_out;
  options.serve = TRUE;
  return options;
}

gboolean
wc_window_open_scenario (WcWindow   *self,
                         const char *scenario_path,
                         const char *journal_path)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (scenario_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *folder = g_settings_get_string (self->settings, "journal-folder");
  g_autofree char *journal = NULL;
  g_autofree char *public_host = NULL;
  WcSessionOptions options = session_options (self, &host, &public_host);
  g_autoptr(WcScenario) scenario = NULL;
  WcSession *session;

  /* a broken scenario only shows its findings */
  scenario = wc_scenario_load (scenario_path, diag, NULL);
  if (scenario == NULL)
    {
      wc_findings_view_set_findings (self->findings_view, scenario_path, diag);
      close_session (self);
      gtk_window_set_title (GTK_WINDOW (self), _("Whitecell"));
      gtk_stack_set_visible_child_name (self->stack, "findings");
      update_actions (self);
      return FALSE;
    }
  journal = journal_path ? g_strdup (journal_path)
                         : wc_session_default_journal_path (folder, wc_scenario_get_id (scenario));
  session = wc_session_new (scenario, journal, &options, &error);
  if (session == NULL)
    {
      toast (self, error->message);
      return FALSE;
    }
  remember_recent (self, scenario_path);
  show_session (self, session);
  if (wc_diagnostics_get_n_items (diag) > 0)
    toast (self, _("The scenario has warnings; see them with whitecellctl validate"));
  {
    double speed = g_settings_get_double (self->settings, "default-speed");

    if (speed != 1.0)
      wc_engine_set_speed (wc_session_get_engine (session), speed, NULL);
  }
  return TRUE;
}

gboolean
wc_window_resume_journal (WcWindow   *self,
                          const char *journal_path)
{
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *public_host = NULL;
  WcSessionOptions options = session_options (self, &host, &public_host);
  WcSession *session;

  session = wc_session_resume (journal_path, &options, &diag, &error);
  if (session == NULL)
    {
      if (diag && wc_diagnostics_has_errors (diag))
        {
          wc_findings_view_set_findings (self->findings_view, wc_diagnostics_get_file (diag), diag);
          gtk_stack_set_visible_child_name (self->stack, "findings");
        }
      toast (self, error->message);
      return FALSE;
    }
  show_session (self, session);
  toast (self, _("Exercise resumed from its journal; the clock is paused"));
  return TRUE;
}

/* A read-only review of an exercise, in a window of its own. */
GtkWindow *
wc_window_review_journal (WcWindow   *self,
                          const char *journal_path)
{
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcReplay) replay = wc_replay_open (journal_path, &diag, &error);
  WcReviewWindow *review;

  if (replay == NULL)
    {
      toast (self, error->message);
      return NULL;
    }
  review = wc_review_window_new (gtk_window_get_application (GTK_WINDOW (self)), replay);
  gtk_window_present (GTK_WINDOW (review));
  return GTK_WINDOW (review);
}

/* An exercise that ended is reviewed; one that did not is resumed. */
static gboolean
journal_ended (const char *path)
{
  g_autoptr(WcJournal) journal = wc_journal_load (path, NULL);

  for (guint i = journal ? wc_journal_get_n_records (journal) : 0; i > 0; i--)
    if (g_strcmp0 (wc_journal_get_record (journal, i - 1)->type, "exercise-ended") == 0)
      return TRUE;
  return FALSE;
}

void
wc_window_open_file (WcWindow *self,
                     GFile    *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    {
      toast (self, _("Only local files can be opened"));
      return;
    }
  if (g_str_has_suffix (path, ".jsonl") && journal_ended (path))
    wc_window_review_journal (self, path);
  else if (g_str_has_suffix (path, ".jsonl"))
    wc_window_resume_journal (self, path);
  else
    wc_window_open_scenario (self, path, NULL);
}

/* A running exercise is never replaced: another one opens in a window of its own. */
static WcWindow *
target_window (WcWindow *self)
{
  WcWindow *other;

  if (self->session == NULL)
    return self;
  other = wc_window_new (gtk_window_get_application (GTK_WINDOW (self)), self->settings);
  gtk_window_present (GTK_WINDOW (other));
  return other;
}

static void
on_file_chosen (GtkNativeDialog *dialog,
                int              response,
                WcWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path && g_object_get_data (G_OBJECT (dialog), "review"))
        wc_window_review_journal (self, path);
      else if (path && g_str_has_suffix (path, ".jsonl"))
        wc_window_resume_journal (target_window (self), path);
      else
        wc_window_open_file (target_window (self), file);
    }
  g_object_unref (dialog);
}

static GtkFileChooserNative *
choose_file (WcWindow   *self,
             const char *title,
             gboolean    journal)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               _("_Open"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, journal ? _("Exercise journals") : _("Scenarios"));
  gtk_file_filter_add_pattern (filter, journal ? "*.jsonl" : "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  return chooser;
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  choose_file (WC_WINDOW (widget), _("Open Scenario"), FALSE);
}

static void
resume_journal_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  choose_file (WC_WINDOW (widget), _("Resume Exercise From Journal"), TRUE);
}

static void
review_journal_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GtkFileChooserNative *chooser = choose_file (WC_WINDOW (widget), _("Review Exercise From Journal"), TRUE);

  g_object_set_data (G_OBJECT (chooser), "review", GINT_TO_POINTER (1));
}

static AdwMessageDialog *
ask (WcWindow              *self,
     const char            *heading,
     const char            *body,
     const char            *response,
     const char            *label,
     AdwResponseAppearance  appearance,
     GCallback              callback)
{
  return wc_ui_ask (GTK_WINDOW (self), heading, body, response, label, appearance, callback, self);
}

static void
run_engine (WcWindow *self,
            gboolean (*func) (WcEngine *, GError **))
{
  g_autoptr(GError) error = NULL;

  if (engine_of (self) && !func (engine_of (self), &error))
    toast (self, error->message);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  run_engine (WC_WINDOW (widget), wc_engine_start);
}

static void
toggle_pause_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);
  WcEngine *engine = engine_of (self);

  if (engine == NULL)
    return;
  run_engine (self, wc_engine_get_state (engine) == WC_ENGINE_PAUSED ? wc_engine_resume_clock
                                                                    : wc_engine_pause);
}

static void
on_end_response (AdwMessageDialog *dialog,
                 const char       *response,
                 WcWindow         *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "end") == 0 && engine_of (self) &&
      !wc_engine_end (engine_of (self), "ended by the controller", &error))
    toast (self, error->message);
}

static void
end_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);
  AdwMessageDialog *dialog =
    ask (self, _("End the Exercise?"),
         _("Teams can no longer acknowledge or answer, and no more injects fire. The journal "
           "keeps everything for the review."),
         "end", _("_End Exercise"), ADW_RESPONSE_DESTRUCTIVE, G_CALLBACK (on_end_response));

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_note_response (AdwMessageDialog *dialog,
                  const char       *response,
                  WcWindow         *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (entry);

  if (g_strcmp0 (response, "add") == 0 && engine_of (self) && *text &&
      !wc_engine_add_note (engine_of (self), text, &error))
    toast (self, error->message);
}

static void
note_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);
  AdwMessageDialog *dialog =
    ask (self, _("Controller Note"), _("Written in the journal at the current exercise time, for the review."),
         "add", _("_Add Note"), ADW_RESPONSE_SUGGESTED, G_CALLBACK (on_note_response));
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Note"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
adhoc_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);
  GtkWindow *dialog;

  if (self->session == NULL)
    return;
  dialog = GTK_WINDOW (wc_adhoc_dialog_new (wc_session_get_engine (self->session)));
  gtk_window_set_transient_for (dialog, GTK_WINDOW (self));
  gtk_window_present (dialog);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  wc_msel_view_focus_search (WC_WINDOW (widget)->msel_view);
}

/* Fire, skip, hold, release the selected inject. */
static void
inject_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);
  WcEngine *engine = engine_of (self);
  const char *id = wc_msel_view_get_selected_id (self->msel_view);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (engine == NULL || id == NULL)
    return;
  if (g_str_equal (action_name, "win.fire"))
    ok = wc_engine_fire_inject (engine, id, &error);
  else if (g_str_equal (action_name, "win.skip"))
    ok = wc_engine_skip_inject (engine, id, &error);
  else if (g_str_equal (action_name, "win.hold"))
    ok = wc_engine_hold_inject (engine, id, &error);
  else
    ok = wc_engine_release_inject (engine, id, &error);
  if (!ok)
    toast (self, error->message);
}

static void
on_reschedule_response (AdwMessageDialog *dialog,
                        const char       *response,
                        WcWindow         *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  const char *id = g_object_get_data (G_OBJECT (dialog), "inject");
  g_autoptr(GError) error = NULL;
  gint64 ms;

  if (g_strcmp0 (response, "reschedule") != 0 || engine_of (self) == NULL)
    return;
  if (!wc_time_parse (gtk_editable_get_text (entry), &ms))
    {
      toast (self, _("Write the new time as T+HH:MM"));
      return;
    }
  if (!wc_engine_reschedule_inject (engine_of (self), id, ms, &error))
    toast (self, error->message);
}

static void
reschedule_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);
  const char *id = wc_msel_view_get_selected_id (self->msel_view);
  g_autofree char *body = NULL;
  g_autofree char *now = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (id == NULL || engine_of (self) == NULL)
    return;
  body = g_strdup_printf (_("When should %s fire? Exercise time, as T+HH:MM."), id);
  dialog = ask (self, _("Reschedule Inject"), body, "reschedule", _("_Reschedule"),
                ADW_RESPONSE_SUGGESTED, G_CALLBACK (on_reschedule_response));
  entry = gtk_entry_new ();
  now = wc_time_format (wc_engine_get_time (engine_of (self)), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), now);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("New time"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  g_object_set_data_full (G_OBJECT (dialog), "inject", g_strdup (id), g_free);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
recent_activated (GtkButton *button,
                  WcWindow  *self)
{
  wc_window_open_scenario (target_window (self), g_object_get_data (G_OBJECT (button), "path"), NULL);
}

static void
fill_recent (WcWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-scenarios");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))))
    gtk_list_box_remove (self->recent_list, child);
  for (guint i = 0; recent[i]; i++)
    {
      g_autofree char *base = g_path_get_basename (recent[i]);
      g_autofree char *dir = g_path_get_dirname (recent[i]);
      g_autofree char *name = g_path_get_basename (dir);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("go-next-symbolic");

      if (!g_file_test (recent[i], G_FILE_TEST_IS_REGULAR))
        continue;
      /* file names are not markup */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), strcmp (base, "scenario.json") == 0 ? name : base);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), recent[i]);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Open"), -1);
      g_object_set_data_full (G_OBJECT (button), "path", g_strdup (recent[i]), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (recent_activated), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->recent_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recent_list),
                          gtk_widget_get_first_child (GTK_WIDGET (self->recent_list)) != NULL);
}

static void
save_window_state (WcWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_set_int (self->settings, "paned-position", gtk_paned_get_position (self->main_paned));
}

static void
on_close_response (AdwMessageDialog *dialog,
                   const char       *response,
                   WcWindow         *self)
{
  if (g_strcmp0 (response, "stop") != 0)
    return;
  close_session (self);
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
wc_window_close_request (GtkWindow *window)
{
  WcWindow *self = WC_WINDOW (window);
  WcEngine *engine = engine_of (self);
  AdwMessageDialog *dialog;

  save_window_state (self);
  if (engine == NULL || wc_engine_get_state (engine) == WC_ENGINE_READY ||
      wc_engine_get_state (engine) == WC_ENGINE_ENDED)
    {
      close_session (self);
      return GTK_WINDOW_CLASS (wc_window_parent_class)->close_request (window);
    }
  dialog = ask (self, _("Stop the Exercise?"),
                _("The clock stops and teams are no longer served. Everything is in the journal: "
                  "resume the exercise from it later."),
                "stop", _("_Stop and Close"), ADW_RESPONSE_DESTRUCTIVE, G_CALLBACK (on_close_response));
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
wc_window_dispose (GObject *object)
{
  WcWindow *self = WC_WINDOW (object);

  close_session (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_WINDOW);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (wc_window_parent_class)->dispose (object);
}

static void
wc_window_finalize (GObject *object)
{
  g_free (WC_WINDOW (object)->clock_text);
  G_OBJECT_CLASS (wc_window_parent_class)->finalize (object);
}

static void
wc_window_class_init (WcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = wc_window_dispose;
  object_class->finalize = wc_window_finalize;
  window_class->close_request = wc_window_close_request;

  g_type_ensure (WC_TYPE_MSEL_VIEW);
  g_type_ensure (WC_TYPE_FEED_VIEW);
  g_type_ensure (WC_TYPE_FINDINGS_VIEW);
  g_type_ensure (WC_TYPE_TEAM_CARD);
  g_type_ensure (WC_TYPE_LIVE_TEAM);
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WcWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, clock_controls);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, end_button);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, clock_label);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, findings_view);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, msel_view);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, team_grid);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, feed_view);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, main_paned);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.resume-journal", NULL, resume_journal_action);
  gtk_widget_class_install_action (widget_class, "win.review-journal", NULL, review_journal_action);
  gtk_widget_class_install_action (widget_class, "win.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-pause", NULL, toggle_pause_action);
  gtk_widget_class_install_action (widget_class, "win.end", NULL, end_action);
  gtk_widget_class_install_action (widget_class, "win.note", NULL, note_action);
  gtk_widget_class_install_action (widget_class, "win.adhoc", NULL, adhoc_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.fire", NULL, inject_action);
  gtk_widget_class_install_action (widget_class, "win.skip", NULL, inject_action);
  gtk_widget_class_install_action (widget_class, "win.hold", NULL, inject_action);
  gtk_widget_class_install_action (widget_class, "win.release", NULL, inject_action);
  gtk_widget_class_install_action (widget_class, "win.reschedule", NULL, reschedule_action);
  /* Space pauses and resumes, but only once the focused widget has had the key: typed in the
   * filter, it is a space (an application accelerator would take it first) */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "win.toggle-pause", NULL);
}

static void
on_findings_retry (WcWindow   *self,
                   const char *path)
{
  g_autofree char *copy = g_strdup (path);

  wc_window_open_scenario (self, copy, NULL);
}

/* The window's styles, also when it is made without the application (tests). */
static void
load_styles (void)
{
  static gboolean loaded;
  GtkCssProvider *provider;

  if (loaded || gdk_display_get_default () == NULL)
    return;
  loaded = TRUE;
  /* the app's own icons, also without the application */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/be/whitecell/Whitecell/icons");
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/be/whitecell/Whitecell/wc-window.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (provider);
}

static void
wc_window_init (WcWindow *self)
{
  load_styles ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->findings_view, "retry", G_CALLBACK (on_findings_retry), self);
  g_signal_connect_swapped (self->speed_dropdown, "notify::selected", G_CALLBACK (on_speed_selected), self);
  update_actions (self);
}

WcWindow *
wc_window_new (GtkApplication *application,
               GSettings      *settings)
{
  WcWindow *self = g_object_new (WC_TYPE_WINDOW, "application", application, NULL);

  self->settings = g_object_ref (settings);
  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  gtk_paned_set_position (self->main_paned, g_settings_get_int (settings, "paned-position"));
  fill_recent (self);
  return self;
}

gboolean wc_window_has_exercise (WcWindow *self) { return self->session != NULL; }
WcSession *wc_window_get_session (WcWindow *self) { return self->session; }
const char *wc_window_get_page (WcWindow *self) { return gtk_stack_get_visible_child_name (self->stack); }
const char *wc_window_get_clock_text (WcWindow *self) { return gtk_label_get_label (self->clock_label); }
GtkWidget *wc_window_get_msel_view (WcWindow *self) { return GTK_WIDGET (self->msel_view); }
GtkWidget *wc_window_get_feed_view (WcWindow *self) { return GTK_WIDGET (self->feed_view); }
GtkWidget *wc_window_get_findings_view (WcWindow *self) { return GTK_WIDGET (self->findings_view); }
GtkWidget *wc_window_get_team_grid (WcWindow *self) { return GTK_WIDGET (self->team_grid); }
