/* wc-replay.h: an exercise looked back on, from its journal alone: the exercise as it stood at any
 * time (live models of a replay engine), the metrics, the reviewers' observations and
 * improvement items, and the after-action report. The journal is only read. */
#pragma once

#include "wc-diagnostics.h"
#include "wc-journal.h"
#include "wc-live.h"
#include "wc-metrics.h"
#include "wc-report.h"
#include "wc-review.h"

G_BEGIN_DECLS

#define WC_TYPE_REPLAY (wc_replay_get_type ())
G_DECLARE_FINAL_TYPE (WcReplay, wc_replay, WC, REPLAY, GObject)

/* Loads @journal_path and its scenario (as the journal names it, else beside the journal).
 * Findings about the scenario go to *@diag_out. A journal that fails verification still opens:
 * wc_replay_get_verify() says so. */
WcReplay   *wc_replay_open             (const char      *journal_path,
                                        WcDiagnostics  **diag_out,
                                        GError         **error);
/* The same in a worker thread: the files read and the replay's engine and live models made
 * there, so that the main thread only takes the result. */
void        wc_replay_new_async        (const char           *journal_path,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
WcReplay   *wc_replay_new_finish       (GAsyncResult         *result,
                                        WcDiagnostics       **diag_out,
                                        GError              **error);
const char *wc_replay_get_journal_path (WcReplay        *self);
WcScenario *wc_replay_get_scenario     (WcReplay        *self);
WcJournal  *wc_replay_get_journal      (WcReplay        *self);
/* The measures with the review file's judgements over the journal's ("metrics" property: made
 * anew when a judgement changes). */
WcMetrics  *wc_replay_get_metrics      (WcReplay        *self);
WcReview   *wc_replay_get_review       (WcReplay        *self);
const WcJournalVerifyResult *
            wc_replay_get_verify       (WcReplay        *self);
/* The exercise time of the journal's last record. */
gint64      wc_replay_get_end_ms       (WcReplay        *self);

/* Shows the exercise as it stood at @t_ms: forward, the records up to @t_ms are applied to the
 * present models; backward, the models are made anew (the "live" property then changes). */
gboolean    wc_replay_seek             (WcReplay        *self,
                                        gint64           t_ms,
                                        GError         **error);
gint64      wc_replay_get_time         (WcReplay        *self);
WcLive     *wc_replay_get_live         (WcReplay        *self);

gboolean    wc_replay_save_review      (WcReplay        *self,
                                        GError         **error);
/* A reviewer's judgement of an expected action for a team it reached, made after the exercise:
 * kept in the review file (saved at once) with @by, the reviewer's name, and when; never in the
 * journal. The metrics are made anew. */
gboolean    wc_replay_set_judgement    (WcReplay        *self,
                                        const char      *inject_id,
                                        const char      *team_id,
                                        const char      *action_id,
                                        WcVerdict        verdict,
                                        const char      *note,
                                        const char      *by,
                                        GError         **error);
/* After the review was changed by hand (wc_replay_get_review()): saves it and makes the metrics
 * anew. */
gboolean    wc_replay_refresh_review   (WcReplay        *self,
                                        GError         **error);
/* @lang: the report's language (its words, and the scenario's texts where given in it);
 * NULL: the process's language and the scenario's default. */
void        wc_replay_write_report     (WcReplay        *self,
                                        WcReportFormat   format,
                                        const char      *lang,
                                        GString         *out);

G_END_DECLS
