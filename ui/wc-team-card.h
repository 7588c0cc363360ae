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
/* @url with a break opportunity (a zero-width space) after each "/", for a label that wraps
 * by words: a link then breaks between its parts, never inside the team's token. For display
 * only: copy the link itself. */
char       *wc_team_card_breakable_url (const char *url);
/* The texts shown, one per line (tests). */
char       *wc_team_card_describe   (WcTeamCard *self);

G_END_DECLS
