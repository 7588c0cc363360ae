/* wc-live-traffic.h: the teams' own traffic (issue 14) as the controller's window shows it: a list
 * model of conversations (a message and every reply to it, notification stages chained to the
 * first), each with the list of its messages and their acknowledgements, kept up to date from
 * each record alone (so that a replay and a resumed exercise show what was live). GTK-free. */
#pragma once

#include <gio/gio.h>

#include "wc-engine.h"

G_BEGIN_DECLS

#define WC_TYPE_LIVE_MESSAGE (wc_live_message_get_type ())
G_DECLARE_FINAL_TYPE (WcLiveMessage, wc_live_message, WC, LIVE_MESSAGE, GObject)

/* Properties: "id", "kind" ("message", "notification", "warning", "sitrep"), "t-ms", "time"
 * (T+HH:MM:SS), "from" (team or actor id, "" for the controllers), "from-name", "to-names",
 * "heading" (translated: "Sint-Elisabeth → National CSIRT · incident notification (early
 * warning)"), "subject", "body" (untrusted, several lines), "acknowledgements" (translated:
 * "Acknowledged by National CSIRT at T+00:13:10 · waiting for Elia"; changes as recipients
 * acknowledge). */
const char *wc_live_message_get_id               (WcLiveMessage *self);
const char *wc_live_message_get_kind             (WcLiveMessage *self);
const char *wc_live_message_get_from             (WcLiveMessage *self);
const char *wc_live_message_get_subject          (WcLiveMessage *self);
const char *wc_live_message_get_heading          (WcLiveMessage *self);
const char *wc_live_message_get_acknowledgements (WcLiveMessage *self);
/* Team ids it went to. */
GPtrArray  *wc_live_message_get_to               (WcLiveMessage *self);

#define WC_TYPE_LIVE_CONVERSATION (wc_live_conversation_get_type ())
G_DECLARE_FINAL_TYPE (WcLiveConversation, wc_live_conversation, WC, LIVE_CONVERSATION, GObject)

/* Properties: "id" (its first message's), "subject", "participants" ("Sint-Elisabeth, National
 * CSIRT"), "time" (of its last message), "n-messages", "summary" (translated: "3 messages ·
 * notification"). */
const char *wc_live_conversation_get_id       (WcLiveConversation *self);
const char *wc_live_conversation_get_subject  (WcLiveConversation *self);
/* WcLiveMessage, oldest first. */
GListModel *wc_live_conversation_get_messages (WcLiveConversation *self);
/* Every team that wrote or was written to in it, in order of appearance (team ids). */
GPtrArray  *wc_live_conversation_get_teams    (WcLiveConversation *self);

#define WC_TYPE_LIVE_TRAFFIC (wc_live_traffic_get_type ())
G_DECLARE_FINAL_TYPE (WcLiveTraffic, wc_live_traffic, WC, LIVE_TRAFFIC, GObject)

/* A GListModel of WcLiveConversation, the most recently active first; made from what @engine
 * holds (a resumed exercise's journal) and then kept up to date by its "record" signal. */
WcLiveTraffic      *wc_live_traffic_new            (WcEngine      *engine);
WcLiveConversation *wc_live_traffic_find           (WcLiveTraffic *self,
                                                    const char    *message_id);
/* Every message, oldest first. */
guint               wc_live_traffic_get_n_messages (WcLiveTraffic *self);

/* What one traffic record says, in one translated line for the feed ("Sint-Elisabeth → National
 * CSIRT: incident notification (early warning) “Ransomware on the HIS”"), or NULL when @type is
 * not traffic. Team and actor names from @scenario. */
char               *wc_live_traffic_describe       (WcScenario    *scenario,
                                                    WcRecordType   type,
                                                    JsonObject    *data);
/* The one line a traffic record is about: its subject, the warning's headline (in the scenario's
 * language, else any), the notification's "what", the sitrep's situation; "" if none. */
const char         *wc_live_traffic_subject        (WcScenario    *scenario,
                                                    JsonObject    *data);
/* The name of a sender: a team's or an actor's name in the scenario's language, the id when
 * unknown, "Controllers" for NULL. */
const char         *wc_live_traffic_sender_name    (WcScenario    *scenario,
                                                    const char    *id);

G_END_DECLS
