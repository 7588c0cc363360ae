/* wc-inject-team-row.h: one team's side of the selected inject: when it was delivered,
 * acknowledged and answered, the team's answers and decisions, and the judgement of each
 * expected action (WcActionJudge). */
#pragma once

#include <gtk/gtk.h>

#include "wc-engine.h"

G_BEGIN_DECLS

#define WC_TYPE_INJECT_TEAM_ROW (wc_inject_team_row_get_type ())
G_DECLARE_FINAL_TYPE (WcInjectTeamRow, wc_inject_team_row, WC, INJECT_TEAM_ROW, GtkListBoxRow)

/* The row reads the team's state from @engine now and at each wc_inject_team_row_update(). */
GtkWidget  *wc_inject_team_row_new        (WcEngine                *engine,
                                           const char              *inject_id,
                                           const char              *team_id,
                                           const char              *team_name);
/* Re-reads the team's state in place: what is typed in a judgement's note stays. */
void        wc_inject_team_row_update     (WcInjectTeamRow *self);
const char *wc_inject_team_row_get_team   (WcInjectTeamRow *self);
/* What the row shows, for tests: the times line and the answers, one per line. */
const char *wc_inject_team_row_get_times  (WcInjectTeamRow *self);
char       *wc_inject_team_row_describe_answers (WcInjectTeamRow *self);

G_END_DECLS
