/* wc-webhooks.h: each inject also POSTed, signed, to the teams that gave a webhook URL; retried
 * with exponential backoff; every attempt and its outcome in the journal. */
#pragma once

#include "wc-engine.h"
#include "wc-tokens.h"

G_BEGIN_DECLS

#define WC_TYPE_WEBHOOKS (wc_webhooks_get_type ())
G_DECLARE_FINAL_TYPE (WcWebhooks, wc_webhooks, WC, WEBHOOKS, GObject)

/* Posts each inject that @engine fires to the teams with a webhook, signed with their secret in
 * @tokens. */
WcWebhooks *wc_webhooks_new        (WcEngine   *engine,
                                    WcTokens   *tokens);
/* Defaults: 6 attempts, 2 s before the first retry (then 4, 8, 16, 32), 10 s per attempt (the
 * whole attempt: connecting, sending, and the answer's headers and first 4 KiB). */
void        wc_webhooks_set_policy (WcWebhooks *self,
                                    guint       max_attempts,
                                    guint       first_retry_ms,
                                    guint       timeout_seconds);
/* Deliveries started and not yet done (delivered or given up). */
guint       wc_webhooks_get_n_pending (WcWebhooks *self);

/* The signature header's value for @body sent at @timestamp (Unix seconds, also sent as
 * X-Whitecell-Timestamp): "sha256=" and the hex HMAC-SHA256, keyed with @secret, of
 * "<timestamp>.<body>". */
char       *wc_webhooks_sign       (const char *secret,
                                    gint64      timestamp,
                                    const char *body,
                                    gsize       length);
/* What docs/API.md tells a receiver to check, for receivers written in C (and the tests): the
 * X-Whitecell-Timestamp value @timestamp is within @tolerance_seconds of @now (Unix seconds), and
 * the X-Whitecell-Signature value @signature is that of @body at that time (compared in constant
 * time). NULL headers fail. */
gboolean    wc_webhooks_verify     (const char *secret,
                                    const char *timestamp,
                                    const char *signature,
                                    const char *body,
                                    gsize       length,
                                    gint64      now,
                                    guint       tolerance_seconds);

G_END_DECLS
