/* wc-actor-reply-dialog.h: a controller writes to teams as one of the scenario's actors (a
 * simulated supplier, a foreign CERT, a journalist…), usually in reply to a conversation. */
#pragma once

#include <adwaita.h>

#include "wc-engine.h"
#include "wc-live-traffic.h"

G_BEGIN_DECLS

#define WC_TYPE_ACTOR_REPLY_DIALOG (wc_actor_reply_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WcActorReplyDialog, wc_actor_reply_dialog, WC, ACTOR_REPLY_DIALOG, AdwWindow)

/* @conversation (nullable): the reply goes in it, to its teams, after its last message. */
WcActorReplyDialog *wc_actor_reply_dialog_new       (WcEngine           *engine,
                                                     WcLiveConversation *conversation);
/* For tests: choose as the controller would. */
gboolean            wc_actor_reply_dialog_set_actor (WcActorReplyDialog *self,
                                                     const char         *actor_id);
void                wc_actor_reply_dialog_set_body  (WcActorReplyDialog *self,
                                                     const char         *body);
/* The teams ticked as recipients (team ids, a new array). */
GPtrArray          *wc_actor_reply_dialog_get_recipients (WcActorReplyDialog *self);
/* Sends it (wc_engine_send_as_actor); the new message's id, or NULL with @error. */
char               *wc_actor_reply_dialog_send      (WcActorReplyDialog  *self,
                                                     GError             **error);

G_END_DECLS
