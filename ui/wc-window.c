/* wc-window.c: the controller's window. It is a view of one WcSession: the clock and controls in
 * the header bar, the MSEL, the teams board and the feed bound to the session's live models. This
 * file makes the window and keeps it in step with the exercise; wc-window-actions.c has what the
 * controller does, wc-window-open.c how files are opened. */
#define G_LOG_DOMAIN "wc-window"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-presence.h"
#include "wc-team-card.h"
#include "wc-ui.h"
#include "wc-window-private.h"

static const double speeds[] = { 1, 2, 5, 10, 20, 60, 100 };

G_DEFINE_FINAL_TYPE (WcWindow, wc_window, ADW_TYPE_APPLICATION_WINDOW)

void
wc_window_toast (WcWindow   *self,
                 const char *message)
{
  wc_ui_toast (self->toast_overlay, message);
}

WcEngine *
wc_window_get_engine (WcWindow *self)
{
  return self->session ? wc_session_get_engine (self->session) : NULL;
}

/* What can be done follows the exercise's state. */
void
wc_window_update_actions (WcWindow *self)
{
  WcEngine *engine = wc_window_get_engine (self);
  WcEngineState state = engine ? wc_engine_get_state (engine) : WC_ENGINE_ENDED;
  gboolean live = engine && (state == WC_ENGINE_RUNNING || state == WC_ENGINE_PAUSED);
  gboolean open = engine && state != WC_ENGINE_ENDED;
  WcLiveInject *row = wc_msel_view_get_selected (self->msel_view);
  const char *status = row ? wc_live_inject_get_status (row) : "";
  /* what the selected inject can still become: only a held one is released */
  gboolean pending = g_strcmp0 (status, "pending") == 0;
  gboolean held = g_strcmp0 (status, "held") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", engine && state == WC_ENGINE_READY);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-pause", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.end", engine && state != WC_ENGINE_ENDED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.note", engine != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.adhoc", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.fire", live && (pending || held));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.skip", open && (pending || held));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.hold", open && pending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.release", open && held);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reschedule", open && (pending || held));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.review",
                                 engine && state == WC_ENGINE_ENDED);
  gtk_widget_set_visible (self->review_button, engine && state == WC_ENGINE_ENDED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.find", engine != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.journal-details", engine != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.staff", engine != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.to-assess", engine != NULL);
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
  WcEngine *engine = wc_window_get_engine (self);
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
  /* Translators: under the exercise clock: "Running · 20× · 14:02:11" */
  status = g_strdup_printf (_("%s · %g× · %s"), state_label (wc_engine_get_state (engine)),
                            wc_engine_get_speed (engine), wall);
  gtk_label_set_label (self->status_label, status);
  /* What can be done follows what is shown: a state is shown once the engine took it, before its
   * record is on disk (a slow disk would otherwise leave Space and Pause dead meanwhile). */
  if ((int) wc_engine_get_state (engine) != self->actions_state)
    {
      self->actions_state = wc_engine_get_state (engine);
      wc_window_update_actions (self);
    }
  wc_live_tick (wc_session_get_live (self->session));
  /* cards join the board a few at a time */
  wc_window_fit_teams (self);
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
  WcEngine *engine = wc_window_get_engine (self);

  wc_window_update_actions (self);
  wc_window_tick (self);
  gtk_widget_remove_css_class (GTK_WIDGET (self->clock_label), "paused");
  gtk_widget_remove_css_class (GTK_WIDGET (self->clock_label), "ended");
  if (engine && wc_engine_get_state (engine) == WC_ENGINE_PAUSED)
    gtk_widget_add_css_class (GTK_WIDGET (self->clock_label), "paused");
  if (engine && wc_engine_get_state (engine) == WC_ENGINE_ENDED)
    gtk_widget_add_css_class (GTK_WIDGET (self->clock_label), "ended");
  /* just ended, here or from elsewhere: the review is the next step */
  if (engine && wc_engine_get_state (engine) == WC_ENGINE_ENDED &&
      self->shown_state != WC_ENGINE_ENDED)
    {
      AdwToast *toast = adw_toast_new (_("The exercise has ended"));

      adw_toast_set_button_label (toast, _("_Review"));
      adw_toast_set_action_name (toast, "win.review");
      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  if (engine)
    self->shown_state = wc_engine_get_state (engine);
}

static void
on_speed_changed (WcWindow *self)
{
  double speed = wc_engine_get_speed (wc_window_get_engine (self));

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
  WcEngine *engine = wc_window_get_engine (self);

  if (engine == NULL || i >= G_N_ELEMENTS (speeds) || wc_engine_get_speed (engine) == speeds[i])
    return;
  if (!wc_engine_set_speed (engine, speeds[i], &error))
    wc_window_toast (self, error->message);
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

void
wc_window_update_join_banner (WcWindow *self)
{
  GListModel *teams = self->session ? wc_live_get_teams (wc_session_get_live (self->session)) : NULL;
  gboolean local = FALSE;

  for (guint i = 0; teams && i < g_list_model_get_n_items (teams) && !local; i++)
    {
      g_autoptr(WcLiveTeam) team = g_list_model_get_item (teams, i);

      local = wc_presence_url_is_local (wc_live_team_get_join_url (team));
    }
  gtk_revealer_set_reveal_child (self->join_banner, local);
  /* hidden, it is not read out nor reached with Tab */
  gtk_widget_set_visible (GTK_WIDGET (self->join_banner), local);
}

/* The links move when the controller lets teams join from the network. */
static void
follow_join_urls (WcWindow *self,
                  WcLive   *live)
{
  GListModel *teams = wc_live_get_teams (live);

  for (guint i = 0; i < g_list_model_get_n_items (teams); i++)
    {
      g_autoptr(WcLiveTeam) team = g_list_model_get_item (teams, i);

      /* the teams go with their session: no handler to undo when it closes */
      g_signal_connect_object (team, "notify::join-url", G_CALLBACK (wc_window_update_join_banner),
                               self, G_CONNECT_SWAPPED);
    }
}

void
wc_window_close_session (WcWindow *self)
{
  WcEngine *engine = wc_window_get_engine (self);

  if (self->session == NULL)
    return;
  g_clear_signal_handler (&self->state_handler, engine);
  g_clear_signal_handler (&self->speed_handler, engine);
  g_clear_signal_handler (&self->journal_error_handler, engine);
  g_clear_signal_handler (&self->response_handler, wc_session_get_live (self->session));
  g_clear_handle_id (&self->tick_id, g_source_remove);
  wc_msel_view_set_live (self->msel_view, NULL);
  wc_feed_view_set_live (self->feed_view, NULL);
  g_clear_pointer (&self->assess_count, g_binding_unbind);
  adw_view_stack_page_set_badge_number (self->assess_page, 0);
  wc_assess_view_set_live (self->assess_view, NULL);
  wc_traffic_view_set_live (self->traffic_view, NULL);
  gtk_grid_view_set_model (self->team_grid, NULL);
  wc_session_close (self->session);
  g_clear_object (&self->session);
  wc_window_show_journal_error (self);
  wc_window_update_join_banner (self);
}

void
wc_window_show_session (WcWindow  *self,
                        WcSession *session)
{
  WcEngine *engine = wc_session_get_engine (session);
  WcLive *live = wc_session_get_live (session);
  g_autoptr(GtkNoSelection) teams = NULL;
  const char *lang = wc_scenario_get_default_language (wc_session_get_scenario (session));

  WcScenario *scenario = wc_session_get_scenario (session);
  const char *title = wc_text_get (wc_scenario_get_title (scenario), lang, NULL);
  WcTlp tlp_level = wc_scenario_get_tlp (scenario);
  g_autofree char *tlp = g_strconcat ("TLP:", wc_tlp_to_string (tlp_level), NULL);
  /* in the order of WcTlp */
  static const char *const tlp_classes[] = {
    "tlp-clear", "tlp-green", "tlp-amber", "tlp-amber-strict", "tlp-red"
  };

  wc_window_close_session (self);
  self->session = session;
  self->shown_state = wc_engine_get_state (engine);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_label (self->exercise_title, title);
  gtk_label_set_label (self->tlp_label, tlp);
  for (guint i = 0; i < G_N_ELEMENTS (tlp_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->tlp_label), tlp_classes[i]);
  if ((guint) tlp_level < G_N_ELEMENTS (tlp_classes))
    gtk_widget_add_css_class (GTK_WIDGET (self->tlp_label), tlp_classes[tlp_level]);
  wc_msel_view_set_live (self->msel_view, live);
  wc_feed_view_set_live (self->feed_view, live);
  wc_assess_view_set_live (self->assess_view, live);
  wc_traffic_view_set_live (self->traffic_view, live);
  /* the queue's length as the page's badge */
  self->assess_count = g_object_bind_property (wc_live_get_to_assess (live), "n-items",
                                               self->assess_page, "badge-number",
                                               G_BINDING_SYNC_CREATE);
  teams = gtk_no_selection_new (wc_ui_growing_model (g_object_ref (wc_live_get_teams (live)), 8));
  gtk_grid_view_set_model (self->team_grid, GTK_SELECTION_MODEL (teams));
  self->state_handler = g_signal_connect_swapped (engine, "notify::state", G_CALLBACK (on_state_changed), self);
  self->speed_handler = g_signal_connect_swapped (engine, "notify::speed", G_CALLBACK (on_speed_changed), self);
  self->journal_error_handler = g_signal_connect_swapped (engine, "notify::journal-error",
                                                          G_CALLBACK (wc_window_show_journal_error), self);
  self->response_handler = g_signal_connect (live, "response-received", G_CALLBACK (on_response_received), self);
  self->tick_id = g_timeout_add (250, tick_cb, self);
  follow_join_urls (self, live);
  wc_window_update_join_banner (self);
  gtk_stack_set_visible_child_name (self->stack, "exercise");
  on_speed_changed (self);
  on_state_changed (self);
  wc_window_show_journal_error (self);
  if (wc_session_get_warning (session))
    wc_window_toast (self, wc_session_get_warning (session));
  if (wc_engine_get_recovery_note (engine))
    wc_window_toast (self, wc_engine_get_recovery_note (engine));
}

static void
save_window_state (WcWindow *self)
{
  int width, height;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_set_double (self->settings, "msel-fraction", CLAMP (self->msel_fraction, 0.2, 0.85));
  g_settings_set_double (self->settings, "detail-fraction",
                         CLAMP (self->detail_fraction, 0.15, 0.9));
  /* -1 while the board follows its teams: the controller never dragged it */
  g_settings_set_int (self->settings, "teams-height",
                      self->teams_dragged ? gtk_paned_get_position (self->side_paned) : -1);
}

static void
on_close_response (AdwMessageDialog *dialog,
                   const char       *response,
                   WcWindow         *self)
{
  if (g_strcmp0 (response, "stop") != 0)
    return;
  wc_window_close_session (self);
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
wc_window_close_request (GtkWindow *window)
{
  WcWindow *self = WC_WINDOW (window);
  WcEngine *engine = wc_window_get_engine (self);
  AdwMessageDialog *dialog;

  save_window_state (self);
  if (engine == NULL || wc_engine_get_state (engine) == WC_ENGINE_READY ||
      wc_engine_get_state (engine) == WC_ENGINE_ENDED)
    {
      wc_window_close_session (self);
      return GTK_WINDOW_CLASS (wc_window_parent_class)->close_request (window);
    }
  dialog = wc_ui_ask (GTK_WINDOW (self), _("Stop the Exercise?"),
                     _("The clock stops and teams are no longer served. Everything is in the "
                       "journal: resume the exercise from it later."),
                     "stop", _("_Stop and Close"), ADW_RESPONSE_DESTRUCTIVE,
                     G_CALLBACK (on_close_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
wc_window_dispose (GObject *object)
{
  WcWindow *self = WC_WINDOW (object);

  /* an open in flight finishes in its thread, then drops what it made */
  g_cancellable_cancel (self->cancellable);
  wc_window_close_session (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_WINDOW);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (wc_window_parent_class)->dispose (object);
}

static void
wc_window_finalize (GObject *object)
{
  g_free (WC_WINDOW (object)->clock_text);
  g_clear_object (&WC_WINDOW (object)->cancellable);
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
  g_type_ensure (WC_TYPE_ASSESS_VIEW);
  g_type_ensure (WC_TYPE_TRAFFIC_VIEW);
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
  gtk_widget_class_bind_template_child (widget_class, WcWindow, opening_icon);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, opening_page);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, findings_view);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, msel_view);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, team_grid);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, feed_view);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, assess_page);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, assess_view);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, traffic_view);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, main_paned);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, side_paned);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, exercise_title);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, tlp_label);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, review_button);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, journal_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, journal_error_label);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, join_banner);

  wc_window_class_add_actions (widget_class);
  wc_window_class_add_journal_actions (widget_class);
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

/* A row of the queue: its inject in the detail, showing its team alone. */
static void
on_assess_item_selected (WcWindow   *self,
                         const char *inject_id,
                         const char *team_id)
{
  wc_msel_view_select_for_team (self->msel_view, inject_id, team_id);
}

static void
on_findings_retry (WcWindow   *self,
                   const char *path)
{
  wc_window_open_scenario_async (self, path, NULL, NULL, NULL);
}

/* A pane keeps its share of the window as the window is resized (a position in pixels would
 * leave the MSEL 820 px wide on a wall screen); dragging the divider changes the share. */
static int
pane_size (GtkPaned *paned)
{
  return gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)) == GTK_ORIENTATION_HORIZONTAL
           ? gtk_widget_get_width (GTK_WIDGET (paned)) : gtk_widget_get_height (GTK_WIDGET (paned));
}

/* Moves the divider, not taken for the controller's drag. */
static void
place_pane (GtkPaned *paned,
            int       position)
{
  g_object_set_data (G_OBJECT (paned), "wc-size", GINT_TO_POINTER (pane_size (paned)));
  if (position == gtk_paned_get_position (paned))
    return;
  g_object_set_data (G_OBJECT (paned), "wc-placing", GINT_TO_POINTER (1));
  gtk_paned_set_position (paned, position);
  g_object_set_data (G_OBJECT (paned), "wc-placing", NULL);
}

/* The controller moved the divider: not a move of ours, nor GTK's while the pane is resized. */
static gboolean
pane_dragged (GtkPaned *paned)
{
  int max = 0;

  g_object_get (paned, "max-position", &max, NULL);
  return !g_object_get_data (G_OBJECT (paned), "wc-placing") && pane_size (paned) > 0 &&
         GPOINTER_TO_INT (g_object_get_data (G_OBJECT (paned), "wc-size")) == pane_size (paned) &&
         gtk_paned_get_position (paned) < max;
}

static void
on_pane_position (GtkPaned   *paned,
                  GParamSpec *pspec,
                  double     *fraction)
{
  if (pane_dragged (paned))
    *fraction = (double) gtk_paned_get_position (paned) / pane_size (paned);
}

static void
on_pane_resized (GtkPaned   *paned,
                 GParamSpec *pspec,
                 double     *fraction)
{
  if (pane_size (paned) > 0)
    place_pane (paned, (int) (*fraction * pane_size (paned) + 0.5));
}

static void
keep_fraction (GtkPaned *paned,
               double   *fraction)
{
  g_signal_connect (paned, "notify::position", G_CALLBACK (on_pane_position), fraction);
  /* "max-position" follows the pane's size: it changes as the pane is resized */
  g_signal_connect (paned, "notify::max-position", G_CALLBACK (on_pane_resized), fraction);
}

/* The teams board is as tall as its cards, up to three quarters of the column, until the controller
 * drags its divider (GtkPaned would give it its minimum height, and scroll the rest away). */
void
wc_window_fit_teams (WcWindow *self)
{
  GtkWidget *board = gtk_paned_get_start_child (self->side_paned);
  int height = pane_size (self->side_paned);
  int width = gtk_widget_get_width (GTK_WIDGET (self->side_paned));
  int natural = 0;

  if (self->teams_dragged || height <= 0 || width <= 0)
    return;
  gtk_widget_measure (board, GTK_ORIENTATION_VERTICAL, width, NULL, &natural, NULL, NULL);
  place_pane (self->side_paned, MIN (natural, height * 3 / 4));
}

static void
on_teams_position (WcWindow *self)
{
  if (pane_dragged (self->side_paned))
    self->teams_dragged = TRUE;
}

static void
wc_window_init (WcWindow *self)
{
  load_styles ();
  self->cancellable = g_cancellable_new ();
  self->actions_state = -1;
  self->msel_fraction = 0.6;
  self->detail_fraction = 0.6;
  gtk_widget_init_template (GTK_WIDGET (self));
  keep_fraction (self->main_paned, &self->msel_fraction);
  keep_fraction (wc_msel_view_get_paned (self->msel_view), &self->detail_fraction);
  g_signal_connect_swapped (self->side_paned, "notify::position", G_CALLBACK (on_teams_position),
                            self);
  g_signal_connect_swapped (self->side_paned, "notify::max-position",
                            G_CALLBACK (wc_window_fit_teams), self);
  g_signal_connect_swapped (self->msel_view, "selected-changed",
                            G_CALLBACK (wc_window_update_actions), self);
  wc_window_add_space_key (self);
  g_signal_connect_swapped (self->findings_view, "retry", G_CALLBACK (on_findings_retry), self);
  g_signal_connect_swapped (self->speed_dropdown, "notify::selected", G_CALLBACK (on_speed_selected), self);
  g_signal_connect_swapped (self->assess_view, "item-selected", G_CALLBACK (on_assess_item_selected),
                            self);
  wc_window_update_actions (self);
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
  self->msel_fraction = g_settings_get_double (settings, "msel-fraction");
  self->detail_fraction = g_settings_get_double (settings, "detail-fraction");
  if (g_settings_get_int (settings, "teams-height") >= 0)
    {
      self->teams_dragged = TRUE;
      gtk_paned_set_position (self->side_paned, g_settings_get_int (settings, "teams-height"));
    }
  wc_window_fill_recent (self);
  return self;
}

gboolean wc_window_has_exercise (WcWindow *self) { return self->session != NULL; }
gboolean wc_window_is_opening (WcWindow *self) { return self->n_opening > 0; }
WcSession *wc_window_get_session (WcWindow *self) { return self->session; }
const char *wc_window_get_page (WcWindow *self) { return gtk_stack_get_visible_child_name (self->stack); }
const char *wc_window_get_clock_text (WcWindow *self) { return gtk_label_get_label (self->clock_label); }
GtkWidget *wc_window_get_msel_view (WcWindow *self) { return GTK_WIDGET (self->msel_view); }
GtkWidget *wc_window_get_feed_view (WcWindow *self) { return GTK_WIDGET (self->feed_view); }
GtkWidget *wc_window_get_assess_view (WcWindow *self) { return GTK_WIDGET (self->assess_view); }
GtkWidget *wc_window_get_traffic_view (WcWindow *self) { return GTK_WIDGET (self->traffic_view); }
const char *
wc_window_get_side_page (WcWindow *self)
{
  return adw_view_stack_get_visible_child_name (self->side_stack);
}
GtkWidget *wc_window_get_findings_view (WcWindow *self) { return GTK_WIDGET (self->findings_view); }
GtkWidget *wc_window_get_team_grid (WcWindow *self) { return GTK_WIDGET (self->team_grid); }
GtkWidget *wc_window_get_status_label (WcWindow *self) { return GTK_WIDGET (self->status_label); }
const char *
wc_window_get_exercise_title (WcWindow *self)
{
  return gtk_label_get_label (self->exercise_title);
}
const char *wc_window_get_tlp_text (WcWindow *self)
{  return gtk_label_get_label (self->tlp_label);
}
GtkWidget *wc_window_get_review_button (WcWindow *self) { return self->review_button; }
