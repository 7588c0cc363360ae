/* wc-review.h: reviewers' observations and improvement items, kept in a file beside the journal
 * ("JOURNAL.review.json") so that the journal itself stays untouched. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gint64  t_ms;    /* the exercise time it is about, -1 for the whole exercise */
  char   *team;    /* nullable */
  char   *text;
} WcObservation;

typedef struct {
  char *what;
  char *owner;     /* nullable */
  char *due;       /* a date, YYYY-MM-DD, nullable */
} WcImprovement;

typedef struct {
  GPtrArray *observations;  /* WcObservation */
  GPtrArray *improvements;  /* WcImprovement */
} WcReview;

WcReview *wc_review_new              (void);
void      wc_review_free             (WcReview    *review);
/* A missing file is an empty review; a broken one is an error naming the file. */
WcReview *wc_review_load             (const char  *path,
                                      GError     **error);
gboolean  wc_review_save             (WcReview    *review,
                                      const char  *path,
                                      GError     **error);
char     *wc_review_path_for_journal (const char  *journal_path);
void      wc_review_add_observation  (WcReview    *review,
                                      gint64       t_ms,
                                      const char  *team,
                                      const char  *text);
void      wc_review_add_improvement  (WcReview    *review,
                                      const char  *what,
                                      const char  *owner,
                                      const char  *due);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcReview, wc_review_free)

G_END_DECLS
