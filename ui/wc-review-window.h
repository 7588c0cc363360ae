/* wc-review-window.h: an exercise reviewed from its journal, which stays read-only: the timeline
 * with a scrubber, the exercise as it stood at any time, the judgements of the inject shown
 * (changed in the review file), reviewers' notes, and the report. */
#pragma once

#include <adwaita.h>

#include "wc-replay.h"

G_BEGIN_DECLS

#define WC_TYPE_REVIEW_WINDOW (wc_review_window_get_type ())
G_DECLARE_FINAL_TYPE (WcReviewWindow, wc_review_window, WC, REVIEW_WINDOW, AdwApplicationWindow)

WcReviewWindow *wc_review_window_new          (GtkApplication *application,
                                               WcReplay       *replay);
WcReplay       *wc_review_window_get_replay   (WcReviewWindow *self);
/* Shows the exercise at @t_ms, as moving the scrubber does. */
void            wc_review_window_seek         (WcReviewWindow *self,
                                               gint64          t_ms);
/* Observations and improvement items, saved beside the journal at once. */
gboolean        wc_review_window_add_observation (WcReviewWindow *self,
                                                  const char     *text,
                                                  GError        **error);
gboolean        wc_review_window_add_improvement (WcReviewWindow *self,
                                                  const char     *what,
                                                  const char     *owner,
                                                  const char     *due,
                                                  GError        **error);
/* The same, tied to the objective (@objective) or the staff's observation of an area for
 * improvement (@observation, its record's seq) that the item answers. */
gboolean        wc_review_window_add_improvement_for (WcReviewWindow  *self,
                                                      const char      *what,
                                                      const char      *owner,
                                                      const char      *due,
                                                      const char      *objective,
                                                      guint64          observation,
                                                      GError         **error);
/* Lists the judgements of @inject_id for @team_id (NULL: every team it reached), as clicking its
 * marker on the timeline does. */
void            wc_review_window_show_judgements (WcReviewWindow *self,
                                                  const char     *inject_id,
                                                  const char     *team_id);
/* The name recorded with each judgement changed here (the window's name field). */
void            wc_review_window_set_reviewer (WcReviewWindow *self,
                                               const char     *name);
/* As choosing a verdict in the list does: in the review file, with the name and the time. */
gboolean        wc_review_window_judge        (WcReviewWindow *self,
                                               const char     *inject_id,
                                               const char     *team_id,
                                               const char     *action_id,
                                               WcVerdict       verdict,
                                               const char     *note,
                                               GError        **error);
GtkWidget      *wc_review_window_get_judgements_list (WcReviewWindow *self);
/* @lang: "en", "nl", "fr" (NULL: the app's language); see wc_replay_write_report() */
gboolean        wc_review_window_export       (WcReviewWindow *self,
                                               const char     *format,
                                               const char     *lang,
                                               const char     *path,
                                               GError        **error);
GtkWidget      *wc_review_window_get_scrubber (WcReviewWindow *self);
GtkWidget      *wc_review_window_get_team_grid (WcReviewWindow *self);
GtkWidget      *wc_review_window_get_timeline (WcReviewWindow *self);
/* The teams' traffic as arrows between swimlanes (WcTrafficLanes), a page of the side stack. */
GtkWidget      *wc_review_window_get_traffic_lanes (WcReviewWindow *self);
/* Shows a page of the side stack: "teams", "feed", "traffic", "judgements", "notes". */
void            wc_review_window_show_page    (WcReviewWindow *self,
                                               const char     *name);
GtkWidget      *wc_review_window_get_msel_view (WcReviewWindow *self);

G_END_DECLS
