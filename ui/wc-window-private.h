/* wc-window-private.h: what the files of the controller's window share: its struct, and the few
 * functions one part calls in another (state in wc-window.c, actions in wc-window-actions.c,
 * opening files in wc-window-open.c). */
#pragma once

#include "wc-assess-view.h"
#include "wc-feed-view.h"
#include "wc-findings-view.h"
#include "wc-msel-view.h"
#include "wc-traffic-view.h"
#include "wc-window.h"

G_BEGIN_DECLS

struct _WcWindow {
  AdwApplicationWindow parent_instance;

  GSettings      *settings;
  WcSession      *session;
  /* cancelled when the window goes: an open in flight then ends without touching it */
  GCancellable   *cancellable;
  guint           n_opening;
  guint           tick_id;
  gulong          state_handler;
  gulong          speed_handler;
  gulong          response_handler;
  gulong          journal_error_handler;
  char           *clock_text;
  int             actions_state; /* the WcEngineState the actions follow, -1 before any */

  AdwToastOverlay *toast_overlay;
  GtkWidget       *clock_controls;
  GtkWidget       *start_button;
  GtkWidget       *pause_button;
  GtkWidget       *end_button;
  GtkDropDown     *speed_dropdown;
  GtkLabel        *clock_label;
  GtkLabel        *status_label;
  GtkWidget       *opening_icon;
  GtkStack        *stack;
  GtkListBox      *recent_list;
  AdwStatusPage   *opening_page;
  WcFindingsView  *findings_view;
  WcMselView      *msel_view;
  GtkGridView     *team_grid;
  WcFeedView      *feed_view;
  AdwViewStack    *side_stack;
  AdwViewStackPage *assess_page;
  WcAssessView    *assess_view;
  WcTrafficView   *traffic_view;
  GBinding        *assess_count;
  GtkPaned        *main_paned;
  GtkPaned        *side_paned;
  GtkLabel        *exercise_title;
  GtkLabel        *tlp_label;
  GtkWidget       *review_button;
  /* the panes' shares of the window, kept as it is resized, as the controller drags them */
  double           msel_fraction;
  double           detail_fraction;
  gboolean         teams_dragged;  /* else the board follows its teams' height */
  WcEngineState    shown_state;   /* the state the window last showed: "ended" says so once */
  GtkRevealer     *journal_error_revealer;
  GtkLabel        *journal_error_label;
  /* over the board while the join links open only on this computer */
  GtkRevealer     *join_banner;
};

/* wc-window.c */
void      wc_window_toast              (WcWindow   *self,
                                        const char *message);
WcEngine *wc_window_get_engine         (WcWindow   *self);
void      wc_window_update_actions     (WcWindow   *self);
/* Shows @session (taken) in place of the exercise shown so far. */
void      wc_window_show_session       (WcWindow   *self,
                                        WcSession  *session);
void      wc_window_close_session      (WcWindow   *self);
/* Gives the teams board the height of its cards, unless the controller set it. */
void      wc_window_fit_teams          (WcWindow   *self);
/* Shows the board's banner while the join links reach only this computer. */
void      wc_window_update_join_banner (WcWindow   *self);

/* wc-window-journal.c */
/* Shows the journal's error bar as the engine's "journal-error" says (hidden without one). */
void      wc_window_show_journal_error (WcWindow   *self);
void      wc_window_class_add_journal_actions (GtkWidgetClass *widget_class);

/* wc-window-actions.c */
void      wc_window_class_add_actions  (GtkWidgetClass *widget_class);
/* Space pauses and resumes from anywhere in the window but a text entry. */
void      wc_window_add_space_key      (WcWindow   *self);

/* wc-window-open.c */
void      wc_window_fill_recent        (WcWindow   *self);
/* Asks for a scenario, or a journal to resume or (@review) to review. */
void      wc_window_choose_file        (WcWindow   *self,
                                        gboolean    journal,
                                        gboolean    review);

G_END_DECLS
