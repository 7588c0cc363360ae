/* wc-review.h: what reviewers add after the exercise, kept in a file beside the journal
 * ("JOURNAL.review.json") so that the journal itself stays untouched: their observations, the
 * improvement plan's items (each tied to an area for improvement), judgements that replace the
 * journal's, and whether the report is a draft or final. */
#pragma once

#include <glib.h>

#include "wc-engine.h"

G_BEGIN_DECLS

typedef struct {
  gint64  t_ms;    /* the exercise time it is about, -1 for the whole exercise */
  char   *team;    /* nullable */
  char   *text;
} WcObservation;

typedef struct {
  char    *what;
  char    *owner;       /* nullable */
  char    *due;         /* a date, YYYY-MM-DD, nullable */
  char    *objective;   /* the objective whose area for improvement it answers, nullable */
  guint64  observation; /* the journal's "observation" record it answers (its seq), 0: none */
} WcImprovement;

/* A reviewer's judgement of one expected action for one team, made after the exercise: the
 * report uses it over the journal's and says so. */
typedef struct {
  char      *inject;
  char      *team;
  char      *action;    /* the expected action's id */
  WcVerdict  verdict;   /* WC_VERDICT_PENDING: "not assessed" */
  char      *note;      /* nullable */
  char      *by;        /* the reviewer's name, as typed */
  char      *at;        /* when, RFC 3339 UTC */
} WcReviewJudgement;

typedef enum {
  WC_REVIEW_DRAFT,
  WC_REVIEW_FINAL,
} WcReviewStatus;

typedef struct {
  GPtrArray      *observations;  /* WcObservation */
  GPtrArray      *improvements;  /* WcImprovement */
  GPtrArray      *judgements;    /* WcReviewJudgement, one per inject × team × action */
  WcReviewStatus  status;
} WcReview;

WcReview *wc_review_new              (void);
void      wc_review_free             (WcReview    *review);
/* A missing file is an empty review; a broken one is an error naming the file and the field. */
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
/* Returns the item, to tie it to an objective or an observation. */
WcImprovement *
          wc_review_add_improvement  (WcReview    *review,
                                      const char  *what,
                                      const char  *owner,
                                      const char  *due);
/* Sets (or replaces) the reviewer's judgement of @action of @inject for @team; @at NULL: now. */
const WcReviewJudgement *
          wc_review_set_judgement    (WcReview    *review,
                                      const char  *inject,
                                      const char  *team,
                                      const char  *action,
                                      WcVerdict    verdict,
                                      const char  *note,
                                      const char  *by,
                                      const char  *at);
/* Gives the judgement back to the journal. */
gboolean  wc_review_clear_judgement  (WcReview    *review,
                                      const char  *inject,
                                      const char  *team,
                                      const char  *action);
const WcReviewJudgement *
          wc_review_find_judgement   (const WcReview *review,
                                      const char     *inject,
                                      const char     *team,
                                      const char     *action);
/* "draft", "final" */
const char *wc_review_status_to_string (WcReviewStatus status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcReview, wc_review_free)

G_END_DECLS
