/* wc-action-judge.h: one expected action of an inject for one team, in the inject's detail: the
 * judgement that stands (a person's, or the rule's proposal), who judged it and when, the note,
 * and a control to judge it. */
#pragma once

#include <gtk/gtk.h>

#include "wc-engine.h"

G_BEGIN_DECLS

#define WC_TYPE_ACTION_JUDGE (wc_action_judge_get_type ())
G_DECLARE_FINAL_TYPE (WcActionJudge, wc_action_judge, WC, ACTION_JUDGE, GtkWidget)

/* @action belongs to the inject @inject_id of @engine. */
GtkWidget  *wc_action_judge_new         (WcEngine               *engine,
                                         const char             *inject_id,
                                         const char             *team_id,
                                         const WcExpectedAction *action);
/* Re-reads the judgement that stands (another evaluator may have changed it). */
void        wc_action_judge_update      (WcActionJudge *self);
const char *wc_action_judge_get_action_id (WcActionJudge *self);
/* What the control will record on "judge.assess" (the note may be NULL). */
void        wc_action_judge_set_choice  (WcActionJudge *self,
                                         WcVerdict      verdict,
                                         const char    *note);
/* What it shows, for tests: "Proposed: met · by the rule at T+00:22:00 · note", one line. */
char       *wc_action_judge_describe    (WcActionJudge *self);

G_END_DECLS
