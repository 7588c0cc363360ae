/* wc-live-assess.h: what waits for a person's judgement, as a list model that follows the engine
 * record by record: each expected action of each inject for each team it reached, while no one
 * has judged it (the rule's proposal, if any, is shown for a person to confirm). GTK-free. */
#pragma once

#include <gio/gio.h>

#include "wc-engine.h"

G_BEGIN_DECLS

#define WC_TYPE_LIVE_ASSESS_ITEM (wc_live_assess_item_get_type ())
G_DECLARE_FINAL_TYPE (WcLiveAssessItem, wc_live_assess_item, WC, LIVE_ASSESS_ITEM, GObject)

/* Properties: "inject", "inject-title", "team", "team-name", "action", "action-text",
 * "objective" (nullable), "proposal" (a verdict's name: "pending" when the rule proposes
 * nothing), "proposal-label" (translated: "Proposed: met late", "Waits for a judgement"),
 * "heading" ("I-003 · National CSIRT"). "proposal" and "proposal-label" change as teams act. */
const char *wc_live_assess_item_get_inject   (WcLiveAssessItem *self);
const char *wc_live_assess_item_get_team     (WcLiveAssessItem *self);
const char *wc_live_assess_item_get_action   (WcLiveAssessItem *self);
WcVerdict   wc_live_assess_item_get_proposal (WcLiveAssessItem *self);
const char *wc_live_assess_item_get_proposal_label (WcLiveAssessItem *self);

#define WC_TYPE_LIVE_ASSESS (wc_live_assess_get_type ())
G_DECLARE_FINAL_TYPE (WcLiveAssess, wc_live_assess, WC, LIVE_ASSESS, GObject)

/* A GListModel of WcLiveAssessItem in firing order (then the scenario's order of teams and the
 * inject's order of actions), made from wc_engine_list_to_assess() and then kept up to date from
 * each record alone: a record changes the rows it is about, never the whole list. Property
 * "n-items" follows the list's length (for a count badge). */
WcLiveAssess *wc_live_assess_new   (WcEngine     *engine);
/* The row of (@inject_id, @team_id, @action_id) while it waits, else -1. */
int           wc_live_assess_find  (WcLiveAssess *self,
                                    const char   *inject_id,
                                    const char   *team_id,
                                    const char   *action_id);

G_END_DECLS
