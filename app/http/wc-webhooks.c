/* wc-webhooks.c: signed webhook deliveries, retried; a slow or dead endpoint delays only itself. */
#define G_LOG_DOMAIN "wc-webhooks"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "wc-json-views.h"
#include "wc-record.h"
#include "wc-webhooks.h"

struct _WcWebhooks {
  GObject       parent_instance;
  WcEngine     *engine;
  WcTokens     *tokens;
  SoupSession  *session;
  GCancellable *cancellable;
  guint         max_attempts;
  guint         first_retry_ms;
  GHashTable   *pending;  /* Delivery* set */
};

G_DEFINE_FINAL_TYPE (WcWebhooks, wc_webhooks, G_TYPE_OBJECT)

typedef struct {
  WcWebhooks *webhooks;
  char       *id;
  char       *team;
  char       *inject;
  char       *url;
  GBytes     *body;
  char       *signature;
  guint       attempt;
  guint       retry_id;
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *d = data;

  g_clear_handle_id (&d->retry_id, g_source_remove);
  g_free (d->id);
  g_free (d->team);
  g_free (d->inject);
  g_free (d->url);
  g_bytes_unref (d->body);
  g_free (d->signature);
  g_free (d);
}

char *
wc_webhooks_sign (const char *secret,
                  const char *body,
                  gsize       length)
{
  g_autofree char *hex = g_compute_hmac_for_data (G_CHECKSUM_SHA256, (const guchar *) secret,
                                                  strlen (secret), (const guchar *) body, length);

  return g_strconcat ("sha256=", hex, NULL);
}

static void send_attempt (Delivery *d);

static void
log_attempt (Delivery         *d,
             guint             status,
             const char       *error,
             WcWebhookOutcome  outcome)
{
  WcEngine *engine = d->webhooks->engine;
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(GError) log_error = NULL;

  json_object_set_string_member (data, "inject", d->inject);
  json_object_set_string_member (data, "team", d->team);
  json_object_set_string_member (data, "delivery", d->id);
  json_object_set_int_member (data, "attempt", d->attempt);
  json_object_set_int_member (data, "status", status);
  if (error)
    json_object_set_string_member (data, "error", error);
  json_object_set_string_member (data, "outcome", wc_webhook_outcome_to_string (outcome));
  if (!wc_engine_log (engine, WC_RECORD_WEBHOOK_ATTEMPT, data, &log_error))
    g_warning ("%s", log_error->message);
}

static gboolean
retry_cb (gpointer user_data)
{
  Delivery *d = user_data;

  d->retry_id = 0;
  send_attempt (d);
  return G_SOURCE_REMOVE;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Delivery *d = user_data;
  WcWebhooks *self;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               &error);
  guint status = reply && msg ? soup_message_get_status (msg) : 0;
  g_autofree char *problem = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = d->webhooks;
  if (status >= 200 && status < 300)
    {
      log_attempt (d, status, NULL, WC_WEBHOOK_DELIVERED);
      wc_engine_mark_delivered (self->engine, d->inject, d->team, "webhook", NULL);
      g_hash_table_remove (self->pending, d);
      return;
    }
  problem = error ? g_strdup (error->message) : g_strdup_printf ("HTTP %u", status);
  if (d->attempt >= self->max_attempts)
    {
      log_attempt (d, status, problem, WC_WEBHOOK_GAVE_UP);
      g_hash_table_remove (self->pending, d);
      return;
    }
  log_attempt (d, status, problem, WC_WEBHOOK_FAILED);
  /* 1×, 2×, 4×… the first delay */
  d->retry_id = g_timeout_add (self->first_retry_ms << MIN (d->attempt - 1, 16), retry_cb, d);
}

static void
send_attempt (Delivery *d)
{
  WcWebhooks *self = d->webhooks;
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", d->url);
  SoupMessageHeaders *headers;

  d->attempt++;
  if (msg == NULL)
    {
      log_attempt (d, 0, _("the webhook URL is not valid"), WC_WEBHOOK_GAVE_UP);
      g_hash_table_remove (self->pending, d);
      return;
    }
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "X-Whitecell-Signature", d->signature);
  soup_message_headers_replace (headers, "X-Whitecell-Delivery", d->id);
  soup_message_headers_replace (headers, "X-Whitecell-Event", "inject");
  soup_message_set_request_body_from_bytes (msg, "application/json", d->body);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, self->cancellable,
                                    on_sent, d);
}

static void
on_inject_fired (WcEngine    *engine,
                 const char  *inject_id,
                 GStrv        teams,
                 WcWebhooks  *self)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);

  for (guint i = 0; teams[i]; i++)
    {
      const WcTeam *team = wc_scenario_find_team (scenario, teams[i]);
      const char *secret = wc_tokens_get_webhook_secret (self->tokens, teams[i]);
      g_autoptr(JsonBuilder) b = NULL;
      g_autoptr(JsonGenerator) gen = NULL;
      g_autoptr(JsonNode) root = NULL;
      Delivery *d;
      char *text;
      gsize length;

      if (team == NULL || team->webhook == NULL || secret == NULL)
        continue;
      d = g_new0 (Delivery, 1);
      d->webhooks = self;
      d->id = g_uuid_string_random ();
      d->team = g_strdup (teams[i]);
      d->inject = g_strdup (inject_id);
      d->url = g_strdup (team->webhook);
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, "inject");
      json_builder_set_member_name (b, "delivery");
      json_builder_add_string_value (b, d->id);
      json_builder_set_member_name (b, "exercise");
      json_builder_add_string_value (b, wc_scenario_get_id (scenario));
      json_builder_set_member_name (b, "team");
      json_builder_add_string_value (b, d->team);
      json_builder_set_member_name (b, "inject");
      json_builder_add_value (b, wc_json_views_inject (engine, inject_id, teams[i],
                                                       team->language));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      gen = json_generator_new ();
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, &length);
      d->signature = wc_webhooks_sign (secret, text, length);
      d->body = g_bytes_new_take (text, length);
      g_hash_table_add (self->pending, d);
      send_attempt (d);
    }
}

static void
wc_webhooks_dispose (GObject *object)
{
  WcWebhooks *self = WC_WEBHOOKS (object);

  g_cancellable_cancel (self->cancellable);
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_hash_table_remove_all (self->pending);
  G_OBJECT_CLASS (wc_webhooks_parent_class)->dispose (object);
}

static void
wc_webhooks_finalize (GObject *object)
{
  WcWebhooks *self = WC_WEBHOOKS (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  g_clear_object (&self->tokens);
  g_hash_table_unref (self->pending);
  G_OBJECT_CLASS (wc_webhooks_parent_class)->finalize (object);
}

static void
wc_webhooks_class_init (WcWebhooksClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wc_webhooks_dispose;
  G_OBJECT_CLASS (klass)->finalize = wc_webhooks_finalize;
}

static void
wc_webhooks_init (WcWebhooks *self)
{
  self->max_attempts = 6;
  self->first_retry_ms = 2000;
  self->cancellable = g_cancellable_new ();
  self->pending = g_hash_table_new_full (NULL, NULL, delivery_free, NULL);
  /* Many teams' endpoints at once, each limited on its own: one dead host never queues the
   * others behind it. */
  self->session = soup_session_new_with_options ("max-conns", 512, "max-conns-per-host", 4,
                                                 "timeout", 10, "user-agent",
                                                 "Whitecell/" PACKAGE_VERSION, NULL);
}

WcWebhooks *
wc_webhooks_new (WcEngine *engine,
                 WcTokens *tokens)
{
  WcWebhooks *self = g_object_new (WC_TYPE_WEBHOOKS, NULL);

  self->engine = g_object_ref (engine);
  self->tokens = g_object_ref (tokens);
  g_signal_connect (engine, "inject-fired", G_CALLBACK (on_inject_fired), self);
  return self;
}

void
wc_webhooks_set_policy (WcWebhooks *self,
                        guint       max_attempts,
                        guint       first_retry_ms,
                        guint       timeout_seconds)
{
  self->max_attempts = MAX (1, max_attempts);
  self->first_retry_ms = first_retry_ms;
  g_object_set (self->session, "timeout", timeout_seconds, NULL);
}

guint
wc_webhooks_get_n_pending (WcWebhooks *self)
{
  return g_hash_table_size (self->pending);
}
