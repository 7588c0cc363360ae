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
/* Opening files: the reading, parsing and syncing run in worker threads; the window shows it is
 * busy meanwhile. An open does not keep the window alive: closing it mid-open ends the open
 * (G_IO_ERROR_CANCELLED) and drops what it made; hence the _finish functions take no window.
 *
 * A scenario (.json) opens a new exercise; a journal (.jsonl) resumes one, or opens it for review
 * when the exercise ended. In the background: the window shows it is busy. */
void        wc_window_open_file        (WcWindow       *self,
                                        GFile          *file);
/* A new exercise of @scenario_path, journaled at @journal_path (NULL: the default place). The
 * files are read and written in worker threads. Fails (FALSE from the finish) when the scenario
 * has errors (the findings page shows them) or the exercise could not start (a toast says why). */
void        wc_window_open_scenario_async   (WcWindow            *self,
                                             const char          *scenario_path,
                                             const char          *journal_path,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean    wc_window_open_scenario_finish  (GAsyncResult        *result,
                                             GError             **error);
/* The same, waiting for it on the main loop (tests and benchmarks). */
gboolean    wc_window_open_scenario    (WcWindow       *self,
                                        const char     *scenario_path,
                                        const char     *journal_path);
/* The exercise of @journal_path carried on in this window, its clock paused. */
void        wc_window_resume_journal_async  (WcWindow            *self,
                                             const char          *journal_path,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean    wc_window_resume_journal_finish (GAsyncResult        *result,
                                             GError             **error);
/* Opens the exercise of @journal_path for review, read-only, in a window of its own; the finish
 * returns that window (owned by GTK, like any toplevel). */
void        wc_window_review_journal_async  (WcWindow            *self,
                                             const char          *journal_path,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GtkWindow  *wc_window_review_journal_finish (GAsyncResult        *result,
                                             GError             **error);
/* TRUE while a file is being opened for this window. */
gboolean    wc_window_is_opening       (WcWindow       *self);
WcSession  *wc_window_get_session      (WcWindow       *self);
/* "exercise", "findings", "opening" or "empty" */
const char *wc_window_get_page         (WcWindow       *self);
const char *wc_window_get_clock_text   (WcWindow       *self);
/* Redraws the clock and re-reads what changes with time (the window's tick). */
void        wc_window_tick             (WcWindow       *self);
GtkWidget  *wc_window_get_msel_view    (WcWindow       *self);
GtkWidget  *wc_window_get_feed_view    (WcWindow       *self);
/* The "to assess" queue (WcAssessView), and which of it and the feed shows: "feed", "assess". */
GtkWidget  *wc_window_get_assess_view  (WcWindow       *self);
/* The teams' traffic (WcTrafficView), a page beside the feed. */
GtkWidget  *wc_window_get_traffic_view (WcWindow       *self);
const char *wc_window_get_side_page    (WcWindow       *self);
GtkWidget  *wc_window_get_findings_view (WcWindow      *self);
GtkWidget  *wc_window_get_team_grid    (WcWindow       *self);
GtkWidget  *wc_window_get_status_label (WcWindow       *self);
/* The bar over the exercise: its title and TLP marking ("TLP:AMBER"); the button that opens its
 * review once it ended. */
const char *wc_window_get_exercise_title (WcWindow     *self);
const char *wc_window_get_tlp_text     (WcWindow       *self);
GtkWidget  *wc_window_get_review_button (WcWindow      *self);
/* What the journal's error bar says, or NULL while it is hidden. */
const char *wc_window_get_journal_error_shown (WcWindow  *self);

G_END_DECLS
