/* wc-window.h: the controller's window: one exercise, its clock, MSEL, teams and live feed. */
#pragma once

#include <adwaita.h>

#include "wc-session.h"

G_BEGIN_DECLS

#define WC_TYPE_WINDOW (wc_window_get_type ())
G_DECLARE_FINAL_TYPE (WcWindow, wc_window, WC, WINDOW, AdwApplicationWindow)

WcWindow   *wc_window_new              (GtkApplication *application,
                                        GSettings      *settings);
gboolean    wc_window_has_exercise     (WcWindow       *self);
/* A scenario (.json) opens a new exercise; a journal (.jsonl) resumes one. */
void        wc_window_open_file        (WcWindow       *self,
                                        GFile          *file);
/* The same with the journal's place given (tests; NULL: the default place). Returns FALSE when
 * the scenario has errors (the findings page shows them) or the exercise could not start. */
gboolean    wc_window_open_scenario    (WcWindow       *self,
                                        const char     *scenario_path,
                                        const char     *journal_path);
gboolean    wc_window_resume_journal   (WcWindow       *self,
                                        const char     *journal_path);
/* Opens the exercise of @journal_path for review, read-only, in a window of its own. */
GtkWindow  *wc_window_review_journal   (WcWindow       *self,
                                        const char     *journal_path);
WcSession  *wc_window_get_session      (WcWindow       *self);
/* "exercise", "findings" or "empty" */
const char *wc_window_get_page         (WcWindow       *self);
const char *wc_window_get_clock_text   (WcWindow       *self);
/* Redraws the clock and re-reads what changes with time (the window's tick). */
void        wc_window_tick             (WcWindow       *self);
GtkWidget  *wc_window_get_msel_view    (WcWindow       *self);
GtkWidget  *wc_window_get_feed_view    (WcWindow       *self);
GtkWidget  *wc_window_get_findings_view (WcWindow      *self);
GtkWidget  *wc_window_get_team_grid    (WcWindow       *self);

G_END_DECLS
