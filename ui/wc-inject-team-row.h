/* wc-inject-team-row.h: one team's side of the selected inject: when it was delivered,
 * acknowledged and answered, and the team's answers and decisions. */
#pragma once

#include <gtk/gtk.h>

#include "wc-engine.h"

G_BEGIN_DECLS

#define WC_TYPE_INJECT_TEAM_ROW (wc_inject_team_row_get_type ())
G_DECLARE_FINAL_TYPE (WcInjectTeamRow, wc_inject_team_row, WC, INJECT_TEAM_ROW, GtkListBoxRow)

/* @state: nullable (not sent to this team yet); read now, not kept. */
GtkWidget  *wc_inject_team_row_new        (const char              *team_name,
                                           const WcTeamInjectState *state);
/* What the row shows, for tests: the times line and the answers, one per line. */
const char *wc_inject_team_row_get_times  (WcInjectTeamRow *self);
char       *wc_inject_team_row_describe_answers (WcInjectTeamRow *self);

G_END_DECLS
