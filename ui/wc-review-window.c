/* wc-review-window.c: the review window. The scrubber moves a WcReplay; the MSEL, the teams board
 * and the feed are the same widgets as in the controller's window, bound to the replay's models.
 * Reviewers judge expected actions again here: in the review file, never in the journal. */
#define G_LOG_DOMAIN "wc-review-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-application.h"
#include "wc-feed-view.h"
#include "wc-journal-details.h"
#include "wc-msel-view.h"
#include "wc-review-window.h"
#include "wc-team-card.h"
#include "wc-timeline.h"
#include "wc-traffic-lanes.h"
#include "wc-ui.h"

static const double speeds[] = { 1, 10, 30, 60, 100 };

struct _WcReviewWindow {
  AdwApplicationWindow parent_instance;

  WcReplay        *replay;
  GStrv            team_ids;     /* parallel to the team filter, "" first */
  guint            play_id;
  guint            seek_id;
  gint64           pending_t;
  gint64           play_started_us;
  gint64           play_started_t;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkLabel        *verify_label;
  GtkWidget       *play_button;
  GtkDropDown     *speed_dropdown;
  GtkScale        *scrubber;
  GtkAdjustment   *time_adjustment;
  GtkLabel        *time_label;
  GtkDropDown     *team_filter;
  WcTimeline      *timeline;
  WcTrafficLanes  *traffic_lanes;
  GtkStack        *side_stack;
  GtkPaned        *timeline_paned;
  GtkPaned        *side_paned;
  WcMselView      *msel_view;
  GtkGridView     *team_grid;
  WcFeedView      *feed_view;
  GtkListBox      *notes_list;
  GtkEntry        *reviewer_entry;
  GtkEntry        *note_entry;
  GtkLabel        *judgements_label;
  GtkListBox      *judgements_list;
  GtkCheckButton  *final_check;

  GSettings       *settings;     /* remembers the reviewer's name; nullable */
  char            *shown_inject; /* whose judgements are listed; nullable */
  char            *shown_team;   /* nullable: every team it reached */
  guint            refill_id;
};

G_DEFINE_FINAL_TYPE (WcReviewWindow, wc_review_window, ADW_TYPE_APPLICATION_WINDOW)

static void
toast (WcReviewWindow *self,
       const char     *message)
{
  wc_ui_toast (self->toast_overlay, message);
}

/* The timeline as tall as its lanes (a third of the window at most), the MSEL a little over half
 * the width; the side pane keeps what its tabs and two team cards need. */
static void
fit_panes (WcReviewWindow *self)
{
  int width, height, natural;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  gtk_widget_measure (GTK_WIDGET (self->timeline), GTK_ORIENTATION_VERTICAL, -1, NULL, &natural,
                      NULL, NULL);
  gtk_paned_set_position (self->timeline_paned, CLAMP (natural, 120, height / 3));
  gtk_paned_set_position (self->side_paned, width * 11 / 20);
}

/* The views follow the replay's models, which a backward seek makes anew. */
static void
bind_views (WcReviewWindow *self)
{
  WcLive *live = wc_replay_get_live (self->replay);
  GtkNoSelection *teams = gtk_no_selection_new (wc_ui_growing_model (g_object_ref (wc_live_get_teams (live)), 8));
  const char *selected = wc_msel_view_get_selected_id (self->msel_view);
  g_autofree char *keep = g_strdup (selected);

  wc_msel_view_set_live (self->msel_view, live);
  wc_feed_view_set_live (self->feed_view, live);
  gtk_grid_view_set_model (self->team_grid, GTK_SELECTION_MODEL (teams));
  g_object_unref (teams);
  if (keep)
    wc_msel_view_select (self->msel_view, keep);
}

static void
show_time (WcReviewWindow *self)
{
  gint64 t = wc_replay_get_time (self->replay);
  g_autofree char *now = wc_time_format (t, FALSE);
  g_autofree char *end = wc_time_format (wc_replay_get_end_ms (self->replay), FALSE);
  g_autofree char *label = g_strdup_printf ("%s / %s", now, end);

  gtk_label_set_label (self->time_label, label);
  wc_timeline_set_time (self->timeline, t);
  wc_traffic_lanes_set_time (self->traffic_lanes, t);
  if ((gint64) gtk_adjustment_get_value (self->time_adjustment) != t)
    gtk_adjustment_set_value (self->time_adjustment, t);
}

void
wc_review_window_seek (WcReviewWindow *self,
                       gint64          t_ms)
{
  g_autoptr(GError) error = NULL;
  WcLive *before = wc_replay_get_live (self->replay);

  g_clear_handle_id (&self->seek_id, g_source_remove);
  t_ms = CLAMP (t_ms, 0, wc_replay_get_end_ms (self->replay));
  if (!wc_replay_seek (self->replay, t_ms, &error))
    toast (self, error->message);
  if (wc_replay_get_live (self->replay) != before)
    bind_views (self);
  show_time (self);
}

static gboolean
seek_cb (gpointer user_data)
{
  WcReviewWindow *self = user_data;

  self->seek_id = 0;
  wc_review_window_seek (self, self->pending_t);
  return G_SOURCE_REMOVE;
}

/* Dragging the scrubber: one seek per frame or so, not one per pixel. */
static void
on_scrubbed (WcReviewWindow *self)
{
  gint64 t = (gint64) gtk_adjustment_get_value (self->time_adjustment);

  if (t == wc_replay_get_time (self->replay))
    return;
  self->pending_t = t;
  if (self->seek_id == 0)
    self->seek_id = g_timeout_add (40, seek_cb, self);
}

static gboolean
play_cb (gpointer user_data)
{
  WcReviewWindow *self = user_data;
  guint i = gtk_drop_down_get_selected (self->speed_dropdown);
  double speed = i < G_N_ELEMENTS (speeds) ? speeds[i] : 60;
  gint64 t = self->play_started_t + (gint64) ((g_get_monotonic_time () - self->play_started_us) / 1000.0 * speed);

  if (t >= wc_replay_get_end_ms (self->replay))
    {
      wc_review_window_seek (self, wc_replay_get_end_ms (self->replay));
      self->play_id = 0;
      gtk_button_set_icon_name (GTK_BUTTON (self->play_button), "media-playback-start-symbolic");
      return G_SOURCE_REMOVE;
    }
  wc_review_window_seek (self, t);
  return G_SOURCE_CONTINUE;
}

static void
restart_play_clock (WcReviewWindow *self)
{
  self->play_started_us = g_get_monotonic_time ();
  self->play_started_t = wc_replay_get_time (self->replay);
}

static void
toggle_play_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WcReviewWindow *self = WC_REVIEW_WINDOW (widget);

  if (self->play_id)
    {
      g_clear_handle_id (&self->play_id, g_source_remove);
      gtk_button_set_icon_name (GTK_BUTTON (self->play_button), "media-playback-start-symbolic");
      return;
    }
  if (wc_replay_get_time (self->replay) >= wc_replay_get_end_ms (self->replay))
    wc_review_window_seek (self, 0);
  restart_play_clock (self);
  self->play_id = g_timeout_add (100, play_cb, self);
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button), "media-playback-pause-symbolic");
}

static void
on_team_filter (WcReviewWindow *self)
{
  guint i = gtk_drop_down_get_selected (self->team_filter);

  const char *team = i > 0 && i < g_strv_length (self->team_ids) ? self->team_ids[i] : NULL;

  wc_timeline_set_team (self->timeline, team);
  if (self->shown_inject)
    wc_review_window_show_judgements (self, self->shown_inject, team);
}

static void
on_marker (WcTimeline     *timeline,
           const char     *inject_id,
           const char     *team_id,
           WcReviewWindow *self)
{
  const WcTeamInjectMetrics *row = NULL;
  WcMetrics *metrics = wc_replay_get_metrics (self->replay);

  for (guint i = 0; i < wc_metrics_get_n_rows (metrics) && row == NULL; i++)
    {
      const WcTeamInjectMetrics *r = wc_metrics_get_row (metrics, i);

      if (g_strcmp0 (r->inject->id, inject_id) == 0 && g_strcmp0 (r->team->id, team_id) == 0)
        row = r;
    }
  /* show that moment: the inject delivered, answered if it was */
  if (row)
    wc_review_window_seek (self, MAX (row->first_response_ms, MAX (row->acknowledged_ms, row->delivered_ms)));
  wc_msel_view_select (self->msel_view, inject_id);
  wc_review_window_show_judgements (self, inject_id, team_id);
}

/* Judgements ------------------------------------------------------------------------------------ */

/* In the order of WcVerdict, which the dropdowns' positions are. */
static const char *const verdict_labels[] = {
  N_("Not assessed"), N_("Met"), N_("Late"), N_("Partial"), N_("Not met"), N_("Not applicable"), NULL
};

static WcVerdict
verdict_of_status (WcActionStatus status)
{
  static const WcVerdict verdicts[] = { WC_VERDICT_MET, WC_VERDICT_LATE, WC_VERDICT_PARTIAL,
                                        WC_VERDICT_NOT_MET, WC_VERDICT_NA, WC_VERDICT_PENDING };

  return verdicts[status];
}

static void fill_judgements (WcReviewWindow *self);

static gboolean
refill_cb (gpointer user_data)
{
  WcReviewWindow *self = user_data;

  self->refill_id = 0;
  fill_judgements (self);
  return G_SOURCE_REMOVE;
}

/* Not from inside a dropdown's own signal: the rows are made anew. */
static void
queue_refill (WcReviewWindow *self)
{
  if (self->refill_id == 0)
    self->refill_id = g_idle_add (refill_cb, self);
}

gboolean
wc_review_window_judge (WcReviewWindow  *self,
                        const char      *inject_id,
                        const char      *team_id,
                        const char      *action_id,
                        WcVerdict        verdict,
                        const char      *note,
                        GError         **error)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->reviewer_entry));

  return wc_replay_set_judgement (self->replay, inject_id, team_id, action_id, verdict, note, name,
                                  error);
}

static void
on_verdict_chosen (GtkDropDown    *dropdown,
                   GParamSpec     *pspec,
                   WcReviewWindow *self)
{
  GObject *row = g_object_get_data (G_OBJECT (dropdown), "row");
  g_autofree char *note = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry)));
  g_autoptr(GError) error = NULL;

  if (!wc_review_window_judge (self, g_object_get_data (row, "inject"), g_object_get_data (row, "team"),
                               g_object_get_data (row, "action"), gtk_drop_down_get_selected (dropdown),
                               note, &error))
    {
      toast (self, error->message);
      if (error->code == WC_ENGINE_ERROR_INVALID)
        gtk_widget_grab_focus (GTK_WIDGET (self->reviewer_entry));
      queue_refill (self);  /* back to what stands */
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  toast (self, _("Judgement recorded in the review file; the journal is unchanged"));
}

static void
add_judgement_row (WcReviewWindow            *self,
                   const WcTeamInjectMetrics *row,
                   const WcActionResult      *a)
{
  WcScenario *scenario = wc_replay_get_scenario (self->replay);
  const char *lang = wc_scenario_get_default_language (scenario);
  g_autofree char *by = wc_report_judged_by (wc_replay_get_metrics (self->replay), a);
  g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkWidget *widget = adw_action_row_new ();
  GtkWidget *dropdown;

  for (guint i = 0; verdict_labels[i]; i++)
    gtk_string_list_append (labels, _(verdict_labels[i]));
  g_strv_builder_add (parts, wc_text_get (row->team->name, lang, NULL));
  g_strv_builder_add (parts, wc_action_status_to_label (a->status));
  if (a->status != WC_ACTION_NOT_ASSESSED || a->reviewed)
    g_strv_builder_add (parts, by);
  if (a->note)
    g_strv_builder_add (parts, a->note);
  strv = g_strv_builder_end (parts);
  subtitle = g_strjoinv (" · ", strv);
  /* staff's and teams' words: never markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (widget), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), wc_text_get (a->action->text, lang, NULL));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (widget), 0);
  g_object_set_data_full (G_OBJECT (widget), "inject", g_strdup (row->inject->id), g_free);
  g_object_set_data_full (G_OBJECT (widget), "team", g_strdup (row->team->id), g_free);
  g_object_set_data_full (G_OBJECT (widget), "action", g_strdup (a->action->id), g_free);
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), verdict_of_status (a->status));
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Verdict"), -1);
  g_object_set_data (G_OBJECT (dropdown), "row", widget);
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_verdict_chosen), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (widget), dropdown);
  gtk_list_box_append (self->judgements_list, widget);
}

static void
fill_judgements (WcReviewWindow *self)
{
  WcMetrics *metrics = wc_replay_get_metrics (self->replay);
  GtkWidget *child;
  guint n = 0;

  g_clear_handle_id (&self->refill_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->judgements_list))))
    gtk_list_box_remove (self->judgements_list, child);
  if (self->shown_inject == NULL)
    {
      gtk_label_set_label (self->judgements_label,
                           _("Click an inject on the timeline to see its judgements and change them."));
      return;
    }
  for (guint i = 0; i < wc_metrics_get_n_rows (metrics); i++)
    {
      const WcTeamInjectMetrics *row = wc_metrics_get_row (metrics, i);

      if (g_strcmp0 (row->inject->id, self->shown_inject) != 0 ||
          (self->shown_team && g_strcmp0 (row->team->id, self->shown_team) != 0))
        continue;
      for (guint k = 0; k < row->actions->len; k++, n++)
        add_judgement_row (self, row, &g_array_index (row->actions, WcActionResult, k));
    }
  {
    /* Translators: "I-003 · 4 expected actions. A change is kept in the review file …" */
    g_autofree char *text = g_strdup_printf (ngettext ("%s · %u expected action. A change is kept in the "
                                                       "review file with your name; the journal is never changed.",
                                                       "%s · %u expected actions. A change is kept in the "
                                                       "review file with your name; the journal is never changed.",
                                                       n),
                                             self->shown_inject, n);

    gtk_label_set_label (self->judgements_label, text);
  }
}

void
wc_review_window_show_judgements (WcReviewWindow *self,
                                  const char     *inject_id,
                                  const char     *team_id)
{
  g_free (self->shown_inject);
  g_free (self->shown_team);
  self->shown_inject = g_strdup (inject_id);
  self->shown_team = team_id && *team_id ? g_strdup (team_id) : NULL;
  fill_judgements (self);
}

void
wc_review_window_set_reviewer (WcReviewWindow *self,
                               const char     *name)
{
  gtk_editable_set_text (GTK_EDITABLE (self->reviewer_entry), name);
}

GtkWidget *
wc_review_window_get_judgements_list (WcReviewWindow *self)
{
  return GTK_WIDGET (self->judgements_list);
}

/* A judgement changed: the chart and the list show the review's measures. */
static void
on_metrics_changed (WcReviewWindow *self)
{
  wc_timeline_set_metrics (self->timeline, wc_replay_get_metrics (self->replay));
  wc_traffic_lanes_set_metrics (self->traffic_lanes, wc_replay_get_metrics (self->replay));
  queue_refill (self);
}

static void
on_final_toggled (WcReviewWindow *self)
{
  WcReview *review = wc_replay_get_review (self->replay);
  WcReviewStatus status = gtk_check_button_get_active (self->final_check) ? WC_REVIEW_FINAL : WC_REVIEW_DRAFT;
  g_autoptr(GError) error = NULL;

  if (review->status == status)
    return;
  review->status = status;
  if (!wc_replay_save_review (self->replay, &error))
    toast (self, error->message);
}

/* The reviewer's name is remembered from one review to the next, where the settings know it. */
static GSettings *
reviewer_settings (GtkApplication *application)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (application && WC_IS_APPLICATION (application))
    return g_object_ref (wc_application_get_settings (WC_APPLICATION (application)));
  schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  if (schema == NULL || !g_settings_schema_has_key (schema, "reviewer-name"))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static void
on_time_picked (WcTimeline     *timeline,
                gint64          t_ms,
                WcReviewWindow *self)
{
  wc_review_window_seek (self, t_ms);
}

/* Review notes */

static void
add_note_row (WcReviewWindow *self,
              const char     *title,
              const char     *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* reviewers' text: never markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_append (self->notes_list, row);
}

static void
fill_notes (WcReviewWindow *self)
{
  WcReview *review = wc_replay_get_review (self->replay);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->notes_list))))
    gtk_list_box_remove (self->notes_list, child);
  for (guint i = 0; i < review->observations->len; i++)
    {
      const WcObservation *o = g_ptr_array_index (review->observations, i);
      g_autofree char *when = o->t_ms >= 0 ? wc_time_format (o->t_ms, FALSE) : g_strdup (_("whole exercise"));
      /* Translators: under an observation: "Observation · T+00:31:00 · aquaflow" */
      g_autofree char *subtitle = g_strdup_printf (_("Observation · %s%s%s"), when, o->team ? " · " : "",
                                                   o->team ? o->team : "");

      add_note_row (self, o->text, subtitle);
    }
  for (guint i = 0; i < review->improvements->len; i++)
    {
      const WcImprovement *m = g_ptr_array_index (review->improvements, i);
      /* Translators: under an improvement item: "Improvement · owner: CISO · due 2027-03-01" */
      g_autofree char *subtitle = g_strdup_printf (_("Improvement · owner: %s · due %s"),
                                                   m->owner ? m->owner : _("unassigned"),
                                                   m->due ? m->due : _("no date"));

      add_note_row (self, m->what, subtitle);
    }
}

gboolean
wc_review_window_add_observation (WcReviewWindow  *self,
                                  const char      *text,
                                  GError         **error)
{
  guint i = gtk_drop_down_get_selected (self->team_filter);
  const char *team = i > 0 && i < g_strv_length (self->team_ids) ? self->team_ids[i] : NULL;

  wc_review_add_observation (wc_replay_get_review (self->replay), wc_replay_get_time (self->replay), team, text);
  fill_notes (self);
  return wc_replay_save_review (self->replay, error);
}

gboolean
wc_review_window_add_improvement (WcReviewWindow  *self,
                                  const char      *what,
                                  const char      *owner,
                                  const char      *due,
                                  GError         **error)
{
  return wc_review_window_add_improvement_for (self, what, owner, due, NULL, 0, error);
}

gboolean
wc_review_window_add_improvement_for (WcReviewWindow  *self,
                                      const char      *what,
                                      const char      *owner,
                                      const char      *due,
                                      const char      *objective,
                                      guint64          observation,
                                      GError         **error)
{
  WcImprovement *item = wc_review_add_improvement (wc_replay_get_review (self->replay), what,
                                                   owner && *owner ? owner : NULL,
                                                   due && *due ? due : NULL);

  item->objective = g_strdup (objective);
  item->observation = observation;
  fill_notes (self);
  return wc_replay_save_review (self->replay, error);
}

/* What an improvement item may answer: nothing in particular, an objective, or an area for
 * improvement that the staff observed. Returns the labels; @keys gets "", "o:ID" or "s:SEQ". */
static GtkStringList *
improvement_targets (WcReviewWindow *self,
                     GPtrArray      *keys)
{
  WcMetrics *metrics = wc_replay_get_metrics (self->replay);
  WcScenario *scenario = wc_metrics_get_scenario (metrics);
  const char *lang = wc_scenario_get_default_language (scenario);
  GtkStringList *labels = gtk_string_list_new (NULL);

  gtk_string_list_append (labels, _("Answers no area in particular"));
  g_ptr_array_add (keys, g_strdup (""));
  for (guint i = 0; i < wc_metrics_get_n_observations (metrics); i++)
    {
      const WcStaffObservation *o = wc_metrics_get_observation (metrics, i);
      g_autofree char *label = NULL;
      g_autofree char *shortened = NULL;

      if (o->kind != WC_OBSERVATION_IMPROVEMENT)
        continue;
      if (g_utf8_strlen (o->text, -1) > 60)
        {
          g_autofree char *start = g_utf8_substring (o->text, 0, 59);

          shortened = g_strconcat (start, "…", NULL);
        }
      else
        shortened = g_strdup (o->text);
      /* Translators: a choice for an improvement item: "Area for improvement: Slow escalation" */
      label = g_strdup_printf (_("Area for improvement: %s"), shortened);
      gtk_string_list_append (labels, label);
      g_ptr_array_add (keys, g_strdup_printf ("s:%" G_GUINT64_FORMAT, o->seq));
    }
  for (guint i = 0; i < wc_scenario_get_n_objectives (scenario); i++)
    {
      const WcObjective *o = wc_scenario_get_objective (scenario, i);
      /* Translators: a choice for an improvement item: "Objective O1: Decide in time" */
      g_autofree char *label = g_strdup_printf (_("Objective %s: %s"), o->id,
                                                wc_text_get (o->text, lang, NULL));

      gtk_string_list_append (labels, label);
      g_ptr_array_add (keys, g_strdup_printf ("o:%s", o->id));
    }
  return labels;
}

static GtkWidget *
entry_for (GtkWidget  *box,
           const char *label)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_box_append (GTK_BOX (box), entry);
  return entry;
}

static void
on_note_response (AdwMessageDialog *dialog,
                  const char       *response,
                  WcReviewWindow   *self)
{
  GtkWidget *box = adw_message_dialog_get_extra_child (dialog);
  GtkWidget *first = gtk_widget_get_first_child (box);
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (g_strcmp0 (response, "add") != 0 || *gtk_editable_get_text (GTK_EDITABLE (first)) == '\0')
    return;
  if (g_object_get_data (G_OBJECT (dialog), "improvement"))
    {
      GtkWidget *owner = gtk_widget_get_next_sibling (first);
      GtkWidget *due = gtk_widget_get_next_sibling (owner);
      const char *due_text = gtk_editable_get_text (GTK_EDITABLE (due));
      g_autoptr(GDateTime) date = NULL;

      if (*due_text)
        {
          g_autofree char *iso = g_strconcat (due_text, "T00:00:00Z", NULL);

          date = g_date_time_new_from_iso8601 (iso, NULL);
          if (date == NULL)
            {
              toast (self, _("Write the due date as YYYY-MM-DD"));
              return;
            }
        }
      {
        GtkWidget *answers = gtk_widget_get_next_sibling (due);
        GPtrArray *keys = g_object_get_data (G_OBJECT (dialog), "answers");
        guint chosen = gtk_drop_down_get_selected (GTK_DROP_DOWN (answers));
        const char *key = chosen < keys->len ? g_ptr_array_index (keys, chosen) : "";
        g_autofree char *objective = g_str_has_prefix (key, "o:") ? g_strdup (key + 2) : NULL;
        guint64 observation = g_str_has_prefix (key, "s:") ? g_ascii_strtoull (key + 2, NULL, 10) : 0;

        ok = wc_review_window_add_improvement_for (self,
                                                   gtk_editable_get_text (GTK_EDITABLE (first)),
                                                   gtk_editable_get_text (GTK_EDITABLE (owner)),
                                                   due_text, objective, observation, &error);
      }
    }
  else
    ok = wc_review_window_add_observation (self, gtk_editable_get_text (GTK_EDITABLE (first)), &error);
  if (!ok)
    toast (self, error->message);
}

static void
ask_note (WcReviewWindow *self,
          gboolean        improvement)
{
  g_autofree char *now = wc_time_format (wc_replay_get_time (self->replay), FALSE);
  g_autofree char *body = improvement
    ? g_strdup (_("What must improve, who takes it on, and by when. Saved beside the journal, which stays untouched."))
    : g_strdup_printf (_("About the exercise at %s (and the team shown, if one is). Saved beside the journal, which stays untouched."), now);
  AdwMessageDialog *dialog = wc_ui_ask (GTK_WINDOW (self), improvement ? _("Improvement Item") : _("Observation"),
                                        body, "add", _("_Add"), ADW_RESPONSE_SUGGESTED,
                                        G_CALLBACK (on_note_response), self);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  entry_for (box, improvement ? _("What") : _("Observation"));
  if (improvement)
    {
      GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GtkStringList) labels = NULL;
      GtkWidget *answers;

      entry_for (box, _("Owner"));
      entry_for (box, _("Due date (YYYY-MM-DD)"));
      /* the improvement plan ties each item to the area for improvement it answers */
      labels = improvement_targets (self, keys);
      answers = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (labels)), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (answers), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("What it answers"), -1);
      gtk_box_append (GTK_BOX (box), answers);
      g_object_set_data_full (G_OBJECT (dialog), "answers", keys,
                              (GDestroyNotify) g_ptr_array_unref);
      g_object_set_data (G_OBJECT (dialog), "improvement", GINT_TO_POINTER (1));
    }
  adw_message_dialog_set_extra_child (dialog, box);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_observation_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ask_note (WC_REVIEW_WINDOW (widget), FALSE);
}

static void
add_improvement_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ask_note (WC_REVIEW_WINDOW (widget), TRUE);
}

/* Export */

gboolean
wc_review_window_export (WcReviewWindow  *self,
                         const char      *format_name,
                         const char      *lang,
                         const char      *path,
                         GError         **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  WcReportFormat format;

  if (!wc_report_format_from_string (format_name, &format))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("No report format “%s”"), format_name);
      return FALSE;
    }
  wc_replay_write_report (self->replay, format, lang, out);
  /* a report quotes what the teams wrote: as private as the journal (0600, never wider) */
  return g_file_set_contents_full (path, out->str, out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

static void
on_export_chosen (GtkNativeDialog *chooser,
                  int              response,
                  WcReviewWindow  *self)
{
  const char *format = g_object_get_data (G_OBJECT (chooser), "format");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      const char *lang = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "lang");
      g_autoptr(GError) error = NULL;

      if (!wc_review_window_export (self, format, lang, path, &error))
        toast (self, error->message);
      else
        {
          g_autofree char *done = g_strdup_printf (_("Report written to %s"), path);

          toast (self, done);
        }
    }
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WcReviewWindow *self = WC_REVIEW_WINDOW (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Export Report"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                                               _("_Export"), _("_Cancel"));
  g_autofree char *base = g_path_get_basename (wc_replay_get_journal_path (self->replay));
  g_autofree char *name = NULL;

  if (g_str_has_suffix (base, ".jsonl"))
    base[strlen (base) - 6] = '\0';
  name = g_strdup_printf ("%s-report.%s", base, format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  /* beside the journal, in the exercise's folder, where the review file already is */
  if (wc_replay_get_journal_path (self->replay))
    {
      g_autofree char *dir = g_path_get_dirname (wc_replay_get_journal_path (self->replay));
      g_autoptr(GFile) folder = g_file_new_for_path (dir);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  /* the report in the language of those who read it: the crisis centre's may not be the
   * controllers' own */
  {
    static const char *const langs[] = { "en", "nl", "fr", NULL };
    const char *labels[] = { "English", "Nederlands", "Français", NULL };
    const char *mine = "en";

    for (const char *const *names = g_get_language_names (); *names && *names; names++)
      if (g_str_has_prefix (*names, "nl") || g_str_has_prefix (*names, "fr") ||
          g_str_has_prefix (*names, "en"))
        {
          mine = g_str_has_prefix (*names, "nl") ? "nl" : g_str_has_prefix (*names, "fr") ? "fr" : "en";
          break;
        }
    /* Translators: the language the exported report is written in */
    gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "lang", _("Report language"),
                                 (const char **) langs, labels);
    gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "lang", mine);
  }
  g_object_set_data_full (G_OBJECT (chooser), "format", g_strdup (format), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Printing (and PDF, from the print dialog): the Markdown report, paginated, with the TLP
 * marking on every page. */
typedef struct {
  char      *text;
  char      *marking;
  GPtrArray *pages;   /* PangoLayout per page */
} PrintJob;

static void
print_job_free (gpointer data)
{
  PrintJob *job = data;

  g_free (job->text);
  g_free (job->marking);
  g_clear_pointer (&job->pages, g_ptr_array_unref);
  g_free (job);
}

static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                PrintJob          *job)
{
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context) - 40;
  g_auto(GStrv) lines = g_strsplit (job->text, "\n", -1);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 9");
  GString *page = g_string_new (NULL);
  double used = 0;

  job->pages = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; lines[i]; i++)
    {
      PangoLayout *measure = gtk_print_context_create_pango_layout (context);
      int h;

      pango_layout_set_font_description (measure, font);
      pango_layout_set_width (measure, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (measure, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_text (measure, *lines[i] ? lines[i] : " ", -1);
      pango_layout_get_size (measure, NULL, &h);
      g_object_unref (measure);
      if (used + h / (double) PANGO_SCALE > height && page->len > 0)
        {
          PangoLayout *layout = gtk_print_context_create_pango_layout (context);

          pango_layout_set_font_description (layout, font);
          pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
          pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
          pango_layout_set_text (layout, page->str, -1);
          g_ptr_array_add (job->pages, layout);
          g_string_truncate (page, 0);
          used = 0;
        }
      g_string_append_printf (page, "%s\n", lines[i]);
      used += h / (double) PANGO_SCALE;
    }
  if (page->len > 0)
    {
      PangoLayout *layout = gtk_print_context_create_pango_layout (context);

      pango_layout_set_font_description (layout, font);
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_text (layout, page->str, -1);
      g_ptr_array_add (job->pages, layout);
    }
  g_string_free (page, TRUE);
  pango_font_description_free (font);
  gtk_print_operation_set_n_pages (operation, MAX (job->pages->len, 1));
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PrintJob          *job)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  PangoLayout *header = gtk_print_context_create_pango_layout (context);

  /* the marking, on every page */
  pango_layout_set_text (header, job->marking, -1);
  cairo_move_to (cr, 0, 0);
  pango_cairo_show_layout (cr, header);
  g_object_unref (header);
  if ((guint) page_nr < job->pages->len)
    {
      cairo_move_to (cr, 0, 30);
      pango_cairo_show_layout (cr, g_ptr_array_index (job->pages, page_nr));
    }
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  WcReviewWindow *self = WC_REVIEW_WINDOW (widget);
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  PrintJob *job = g_new0 (PrintJob, 1);
  WcScenario *scenario = wc_replay_get_scenario (self->replay);

  wc_replay_write_report (self->replay, WC_REPORT_MARKDOWN, NULL, out);
  job->text = g_string_free (g_steal_pointer (&out), FALSE);
  job->marking = g_strdup_printf ("TLP:%s — %s", wc_tlp_to_string (wc_scenario_get_tlp (scenario)),
                                  wc_scenario_get_id (scenario));
  g_object_set_data_full (G_OBJECT (operation), "job", job, print_job_free);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), job);
  gtk_print_operation_set_job_name (operation, wc_scenario_get_id (scenario));
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, GTK_WINDOW (self),
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    toast (self, error->message);
}

WcReplay *wc_review_window_get_replay (WcReviewWindow *self) { return self->replay; }
GtkWidget *wc_review_window_get_team_grid (WcReviewWindow *self) { return GTK_WIDGET (self->team_grid); }
GtkWidget *wc_review_window_get_scrubber (WcReviewWindow *self) { return GTK_WIDGET (self->scrubber); }
GtkWidget *wc_review_window_get_timeline (WcReviewWindow *self) { return GTK_WIDGET (self->timeline); }
GtkWidget *wc_review_window_get_traffic_lanes (WcReviewWindow *self) { return GTK_WIDGET (self->traffic_lanes); }

void
wc_review_window_show_page (WcReviewWindow *self,
                            const char     *name)
{
  gtk_stack_set_visible_child_name (self->side_stack, name);
}
GtkWidget *wc_review_window_get_msel_view (WcReviewWindow *self) { return GTK_WIDGET (self->msel_view); }

/* The journal as verified when it was opened: what `whitecellctl verify` prints for it. */
static void
journal_details_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WcReviewWindow *self = WC_REVIEW_WINDOW (widget);
  const WcJournalVerifyResult *verify = wc_replay_get_verify (self->replay);

  gtk_window_present (GTK_WINDOW (wc_journal_details_dialog (GTK_WINDOW (self),
                                                             wc_replay_get_journal_path (self->replay),
                                                             verify->n_records, verify->head_hash)));
}

static void
wc_review_window_dispose (GObject *object)
{
  WcReviewWindow *self = WC_REVIEW_WINDOW (object);

  g_clear_handle_id (&self->play_id, g_source_remove);
  g_clear_handle_id (&self->seek_id, g_source_remove);
  g_clear_handle_id (&self->refill_id, g_source_remove);
  if (self->replay)
    g_signal_handlers_disconnect_by_data (self->replay, self);
  if (self->msel_view)
    wc_msel_view_set_live (self->msel_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_REVIEW_WINDOW);
  g_clear_object (&self->replay);
  g_clear_pointer (&self->team_ids, g_strfreev);
  g_clear_pointer (&self->shown_inject, g_free);
  g_clear_pointer (&self->shown_team, g_free);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (wc_review_window_parent_class)->dispose (object);
}

static void
wc_review_window_class_init (WcReviewWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_review_window_dispose;
  g_type_ensure (WC_TYPE_TIMELINE);
  g_type_ensure (WC_TYPE_TRAFFIC_LANES);
  g_type_ensure (WC_TYPE_MSEL_VIEW);
  g_type_ensure (WC_TYPE_FEED_VIEW);
  g_type_ensure (WC_TYPE_TEAM_CARD);
  g_type_ensure (WC_TYPE_LIVE_TEAM);
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-review-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, verify_label);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, scrubber);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, time_adjustment);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, time_label);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, team_filter);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, traffic_lanes);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, timeline_paned);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, side_paned);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, msel_view);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, team_grid);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, feed_view);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, notes_list);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, reviewer_entry);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, note_entry);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, judgements_label);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, judgements_list);
  gtk_widget_class_bind_template_child (widget_class, WcReviewWindow, final_check);
  gtk_widget_class_install_action (widget_class, "win.toggle-play", NULL, toggle_play_action);
  gtk_widget_class_install_action (widget_class, "win.add-observation", NULL, add_observation_action);
  gtk_widget_class_install_action (widget_class, "win.add-improvement", NULL, add_improvement_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "win.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "win.journal-details", NULL, journal_details_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "win.toggle-play", NULL);
}

static void
wc_review_window_init (WcReviewWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

WcReviewWindow *
wc_review_window_new (GtkApplication *application,
                      WcReplay       *replay)
{
  WcReviewWindow *self = g_object_new (WC_TYPE_REVIEW_WINDOW, "application", application, NULL);
  WcScenario *scenario = wc_replay_get_scenario (replay);
  const char *lang = wc_scenario_get_default_language (scenario);
  const WcJournalVerifyResult *verify = wc_replay_get_verify (replay);
  g_autofree char *title = g_strdup_printf (_("Review: %s"), wc_text_get (wc_scenario_get_title (scenario), lang, NULL));
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  GtkStringList *names = gtk_string_list_new (NULL);

  self->replay = g_object_ref (replay);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, verify->verdict == WC_JOURNAL_SOUND
                                                       ? _("Read-only · journal verified")
                                                       : _("Read-only · journal FAILED verification"));
  if (verify->verdict != WC_JOURNAL_SOUND)
    {
      g_autofree char *text = g_strdup_printf (_("This journal failed verification at line %u: %s. "
                                                 "What it shows after that line may have been edited."),
                                               verify->bad_line, verify->message);

      gtk_label_set_label (self->verify_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->verify_label), TRUE);
    }
  gtk_string_list_append (names, _("All teams"));
  g_strv_builder_add (ids, "");
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    {
      const WcTeam *team = wc_scenario_get_team (scenario, i);

      gtk_string_list_append (names, wc_text_get (team->name, lang, NULL));
      g_strv_builder_add (ids, team->id);
    }
  self->team_ids = g_strv_builder_end (ids);
  gtk_drop_down_set_model (self->team_filter, G_LIST_MODEL (names));
  g_object_unref (names);

  wc_timeline_set_metrics (self->timeline, wc_replay_get_metrics (replay));
  wc_traffic_lanes_set_metrics (self->traffic_lanes, wc_replay_get_metrics (replay));
  fit_panes (self);
  gtk_adjustment_set_upper (self->time_adjustment, MAX (wc_replay_get_end_ms (replay), 1));
  bind_views (self);
  fill_notes (self);
  fill_judgements (self);
  show_time (self);
  gtk_check_button_set_active (self->final_check, wc_replay_get_review (replay)->status == WC_REVIEW_FINAL);
  self->settings = reviewer_settings (application);
  if (self->settings)
    g_settings_bind (self->settings, "reviewer-name", self->reviewer_entry, "text", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_swapped (replay, "notify::metrics", G_CALLBACK (on_metrics_changed), self);
  g_signal_connect_swapped (self->final_check, "toggled", G_CALLBACK (on_final_toggled), self);
  g_signal_connect_swapped (self->time_adjustment, "value-changed", G_CALLBACK (on_scrubbed), self);
  g_signal_connect_swapped (self->team_filter, "notify::selected", G_CALLBACK (on_team_filter), self);
  g_signal_connect_swapped (self->speed_dropdown, "notify::selected", G_CALLBACK (restart_play_clock), self);
  g_signal_connect (self->timeline, "marker-activated", G_CALLBACK (on_marker), self);
  g_signal_connect (self->timeline, "time-picked", G_CALLBACK (on_time_picked), self);
  return self;
}
