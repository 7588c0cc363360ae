/* wc-team-card.h: one team on the teams board: presence, what it owes, its join link. */
#pragma once

#include <gtk/gtk.h>

#include "wc-live.h"

G_BEGIN_DECLS

#define WC_TYPE_TEAM_CARD (wc_team_card_get_type ())
G_DECLARE_FINAL_TYPE (WcTeamCard, wc_team_card, WC, TEAM_CARD, GtkWidget)

void        wc_team_card_set_team   (WcTeamCard *self,
                                     WcLiveTeam *team);
WcLiveTeam *wc_team_card_get_team   (WcTeamCard *self);
/* The texts shown, one per line (tests). */
char       *wc_team_card_describe   (WcTeamCard *self);

G_END_DECLS
