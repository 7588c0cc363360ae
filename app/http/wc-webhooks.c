/* wc-webhooks.c: signed webhook deliveries, retried; a slow or dead endpoint delays only itself. */
#define G_LOG_DOMAIN "wc-webhooks"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "wc-json-views.h"
#include "wc-record.h"
#include "wc-webhooks.h"

/* A failed answer is read only this far, for the journal: a receiver is run by a participant,
 * and its body, however long, must not grow the controller. */
#define MAX_REPLY_BYTES  4096
#define MAX_ERROR_CHARS  200

struct _WcWebhooks {
  GObject       parent_instance;
  WcEngine     *engine;
  WcTokens     *tokens;
  SoupSession  *session;
  GCancellable *cancellable;
  guint         max_attempts;
  guint         first_retry_ms;
  guint         timeout_ms;
  GHashTable   *pending;  /* Delivery* set */
};

G_DEFINE_FINAL_TYPE (WcWebhooks, wc_webhooks, G_TYPE_OBJECT)

typedef struct _Attempt Attempt;

typedef struct {
  WcWebhooks *webhooks;
  char       *id;
  char       *team;
  char       *inject;
  char       *url;
  GBytes     *body;
  guint       attempt;
  guint       retry_id;
  Attempt    *current;  /* the attempt in flight, or NULL */
} Delivery;

/* One POST and its answer. Reference-counted: each callback in flight and the deadline hold one,
 * so that a delivery can go away (dispose) while libsoup still calls back. */
struct _Attempt {
  Delivery     *delivery;  /* NULL once the delivery is gone: callbacks then only clean up */
  GCancellable *cancellable;
  SoupMessage  *msg;
  GInputStream *stream;
  guint         deadline_id;
  gboolean      timed_out;
  guint         status;
  gsize         got;
  char          reply[MAX_REPLY_BYTES];
};

static void
on_stream_closed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  /* the rest of the body is skipped, not read: libsoup then drops the connection */
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
}

static void
close_stream (Attempt *a)
{
  if (a->stream == NULL)
    return;
  g_input_stream_close_async (a->stream, G_PRIORITY_DEFAULT, NULL, on_stream_closed, NULL);
  g_clear_object (&a->stream);
}

static void
attempt_clear (gpointer data)
{
  Attempt *a = data;

  close_stream (a);
  g_clear_object (&a->msg);
  g_clear_object (&a->cancellable);
}

static void
attempt_release (gpointer data)
{
  g_rc_box_release_full (data, attempt_clear);
}

/* The delivery no longer waits for @a: stop its timer and its I/O. */
static void
attempt_detach (Attempt *a)
{
  a->delivery = NULL;
  g_clear_handle_id (&a->deadline_id, g_source_remove);
  g_cancellable_cancel (a->cancellable);
}

static void
delivery_free (gpointer data)
{
  Delivery *d = data;

  g_clear_handle_id (&d->retry_id, g_source_remove);
  if (d->current)
    {
      attempt_detach (d->current);
      g_clear_pointer (&d->current, attempt_release);
    }
  g_free (d->id);
  g_free (d->team);
  g_free (d->inject);
  g_free (d->url);
  g_bytes_unref (d->body);
  g_free (d);
}

char *
wc_webhooks_sign (const char *secret,
                  gint64      timestamp,
                  const char *body,
                  gsize       length)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  g_autofree char *prefix = g_strdup_printf ("%" G_GINT64_FORMAT ".", timestamp);

  /* the time is signed with the body, so a captured delivery cannot be replayed later */
  g_hmac_update (hmac, (const guchar *) prefix, -1);
  g_hmac_update (hmac, (const guchar *) body, length);
  return g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
}

gboolean
wc_webhooks_verify (const char *secret,
                    const char *timestamp,
                    const char *signature,
                    const char *body,
                    gsize       length,
                    gint64      now,
                    guint       tolerance_seconds)
{
  g_autofree char *expected = NULL;
  guint64 sent_at;
  gsize n;
  guchar diff = 0;

  if (secret == NULL || signature == NULL || timestamp == NULL ||
      !g_ascii_string_to_unsigned (timestamp, 10, 0, G_MAXINT64, &sent_at, NULL))
    return FALSE;
  /* too old is a replay; too far ahead would let a capture be replayed later */
  if (ABS (now - (gint64) sent_at) > (gint64) tolerance_seconds)
    return FALSE;
  expected = wc_webhooks_sign (secret, (gint64) sent_at, body, length);
  n = strlen (expected);
  if (strlen (signature) != n)
    return FALSE;
  /* every byte compared, so that the time taken does not say how much of a guess was right */
  for (gsize i = 0; i < n; i++)
    diff |= (guchar) (expected[i] ^ signature[i]);
  return diff == 0;
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

/* The start of a failed answer, as one line of valid UTF-8 for the journal. */
static char *
reply_excerpt (Attempt *a)
{
  g_autofree char *valid = g_utf8_make_valid (a->reply, a->got);
  g_autoptr(GString) line = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p && n < MAX_ERROR_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_isspace (c))
        {
          if (line->len > 0 && line->str[line->len - 1] != ' ')
            g_string_append_c (line, ' ');
        }
      else
        g_string_append_unichar (line, c);
    }
  g_strchomp (line->str);
  return g_strdup (line->str);
}

/* The attempt is over, with @status (0: no answer) and @problem (NULL: delivered). */
static void
finish_attempt (Attempt    *a,
                const char *problem)
{
  Delivery *d = a->delivery;
  WcWebhooks *self = d->webhooks;
  guint status = a->status;

  g_clear_handle_id (&a->deadline_id, g_source_remove);
  close_stream (a);
  a->delivery = NULL;
  d->current = NULL;
  attempt_release (a);
  if (problem == NULL)
    {
      log_attempt (d, status, NULL, WC_WEBHOOK_DELIVERED);
      wc_engine_mark_delivered (self->engine, d->inject, d->team, "webhook", NULL);
      g_hash_table_remove (self->pending, d);
      return;
    }
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
finish_with_reply (Attempt *a)
{
  g_autofree char *excerpt = reply_excerpt (a);
  g_autofree char *problem = NULL;

  if (a->timed_out && a->status == 0)
    problem = g_strdup_printf (_("no answer within %u s"), a->delivery->webhooks->timeout_ms / 1000);
  else if (*excerpt)
    problem = g_strdup_printf ("HTTP %u: %s", a->status, excerpt);
  else
    problem = g_strdup_printf ("HTTP %u", a->status);
  finish_attempt (a, problem);
}

static void read_reply (Attempt *a);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Attempt *a = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (a->delivery)
    {
      if (n > 0)
        a->got += n;
      /* an error here only ends the excerpt: the status already says how the attempt went */
      if (n > 0 && a->got < sizeof a->reply)
        read_reply (a);
      else
        finish_with_reply (a);
    }
  attempt_release (a);
}

static void
read_reply (Attempt *a)
{
  g_input_stream_read_async (a->stream, a->reply + a->got, sizeof a->reply - a->got,
                             G_PRIORITY_DEFAULT, a->cancellable, on_read,
                             g_rc_box_acquire (a));
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Attempt *a = user_data;
  g_autoptr(GError) error = NULL;

  a->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (a->delivery == NULL)
    ;
  else if (a->stream == NULL)
    {
      g_autofree char *problem = a->timed_out
        ? g_strdup_printf (_("no answer within %u s"), a->delivery->webhooks->timeout_ms / 1000)
        : g_strdup (error->message);

      finish_attempt (a, problem);
    }
  else
    {
      a->status = soup_message_get_status (a->msg);
      /* a 2xx is all a delivery needs: its body is not read at all */
      if (a->status >= 200 && a->status < 300)
        finish_attempt (a, NULL);
      else
        read_reply (a);
    }
  attempt_release (a);
}

static gboolean
on_deadline (gpointer user_data)
{
  Attempt *a = user_data;

  /* libsoup's own timeout is per read: a receiver trickling bytes would never trip it */
  a->deadline_id = 0;
  a->timed_out = TRUE;
  g_cancellable_cancel (a->cancellable);
  return G_SOURCE_REMOVE;
}

static void
send_attempt (Delivery *d)
{
  WcWebhooks *self = d->webhooks;
  const char *secret = wc_tokens_get_webhook_secret (self->tokens, d->team);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", d->url);
  g_autofree char *signature = NULL;
  g_autofree char *timestamp = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  SoupMessageHeaders *headers;
  Attempt *a;

  d->attempt++;
  if (msg == NULL || secret == NULL)
    {
      log_attempt (d, 0, msg ? _("the team has no webhook secret")
                             : _("the webhook URL is not valid"), WC_WEBHOOK_GAVE_UP);
      g_hash_table_remove (self->pending, d);
      return;
    }
  /* signed at each attempt, so that a retry carries a fresh time */
  signature = wc_webhooks_sign (secret, now, g_bytes_get_data (d->body, NULL),
                                g_bytes_get_size (d->body));
  timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, now);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "X-Whitecell-Signature", signature);
  soup_message_headers_replace (headers, "X-Whitecell-Timestamp", timestamp);
  soup_message_headers_replace (headers, "X-Whitecell-Delivery", d->id);
  soup_message_headers_replace (headers, "X-Whitecell-Event", "inject");
  soup_message_set_request_body_from_bytes (msg, "application/json", d->body);
  /* a receiver must not send the controller elsewhere on its network */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  a = g_rc_box_new0 (Attempt);
  a->delivery = d;
  a->msg = g_object_ref (msg);
  a->cancellable = g_cancellable_new ();
  d->current = a;
  a->deadline_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->timeout_ms, on_deadline,
                                       g_rc_box_acquire (a), attempt_release);
  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, a->cancellable, on_sent,
                           g_rc_box_acquire (a));
}

static void
on_inject_fired (WcEngine    *engine,
                 const char  *inject_id,
                 GStrv        teams,
                 WcWebhooks  *self)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *default_lang = wc_scenario_get_default_language (scenario);

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
      /* so that a receiving tool never takes it for a real incident */
      json_builder_set_member_name (b, "marking");
      json_builder_add_string_value (b, wc_exercise_marking (team->language ? team->language
                                                             : default_lang));
      json_builder_set_member_name (b, "inject");
      json_builder_add_value (b, wc_json_views_inject (engine, inject_id, teams[i],
                                                       team->language));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      gen = json_generator_new ();
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, &length);
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
  self->timeout_ms = 10 * 1000;
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
  self->timeout_ms = MAX (1, timeout_seconds) * 1000;
  g_object_set (self->session, "timeout", timeout_seconds, NULL);
}

guint
wc_webhooks_get_n_pending (WcWebhooks *self)
{
  return g_hash_table_size (self->pending);
}
