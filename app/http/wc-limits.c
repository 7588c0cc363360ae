/* wc-limits.c: the HTTP layer's default limits and the per-token budgets of requests and bytes. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include "wc-http.h"
#include "wc-limits.h"

/* 1,024, or WC_MAX_CONNECTIONS_PER_ADDRESS: a venue with more teams behind one address, and
 * tests that reach the cap with a few connections (test-relay). */
static guint
per_address_default (void)
{
  const char *text = g_getenv ("WC_MAX_CONNECTIONS_PER_ADDRESS");
  guint64 value = 1024;

  if (text && !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT, &value, NULL))
    {
      g_message ("WC_MAX_CONNECTIONS_PER_ADDRESS=%s is not a number from 1: 1024 it is", text);
      value = 1024;
    }
  return (guint) value;
}

void
wc_limits_get_default (WcServerLimits *limits)
{
  /* An answer is a few paragraphs; 128 KiB leaves room for a pasted log. */
  limits->max_body = 128 * 1024;
  limits->rate_per_second = 20;
  limits->rate_burst = 60;
  /* Typing teams write a few KiB a minute; a script pasting megabytes is slowed to this. */
  limits->bytes_per_second = 32 * 1024;
  limits->bytes_burst = 512 * 1024;
  limits->max_stream_backlog = 1024 * 1024;
  limits->keepalive_seconds = 10;
  limits->listen_backlog = 4096;
  limits->max_connections = 0;
  /* Many teams may sit behind one address translation at a venue. */
  limits->max_connections_per_address = per_address_default ();
  limits->header_timeout_seconds = 15;
  limits->reply_timeout_seconds = WC_HTTP_REPLY_TIMEOUT_S;
  /* A few browser tabs and a tool. */
  limits->max_streams_per_team = 16;
  limits->max_answers_per_inject = 50;
  limits->max_answer_bytes_per_team = 4 * 1024 * 1024;
  limits->list_responses = 10;
  limits->list_response_bytes = 256 * 1024;
  limits->max_page_responses = 50;
  limits->max_downloads = 16;
  /* an attachment of at most 10 MiB (WC_TRAFFIC_MAX_ATTACHMENT) and the message's fields */
  limits->max_upload = 10 * 1024 * 1024 + 128 * 1024;
  limits->max_upload_bytes_per_team = 200 * 1024 * 1024;
}

typedef struct {
  double requests;
  double bytes;
  gint64 updated_us;
} Bucket;

struct _WcBudgets {
  GHashTable *buckets;  /* token → Bucket */
};

WcBudgets *
wc_budgets_new (void)
{
  WcBudgets *budgets = g_new0 (WcBudgets, 1);

  budgets->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return budgets;
}

void
wc_budgets_free (WcBudgets *budgets)
{
  g_hash_table_unref (budgets->buckets);
  g_free (budgets);
}

/* @token's bucket, refilled for the time since it was last used. */
static Bucket *
refill (WcBudgets            *budgets,
        const WcServerLimits *limits,
        const char           *token)
{
  Bucket *bucket = g_hash_table_lookup (budgets->buckets, token);
  gint64 now = g_get_monotonic_time ();
  double seconds;

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->requests = limits->rate_burst;
      bucket->bytes = limits->bytes_burst;
      bucket->updated_us = now;
      g_hash_table_insert (budgets->buckets, g_strdup (token), bucket);
    }
  seconds = (now - bucket->updated_us) / 1e6;
  bucket->requests = MIN (limits->rate_burst, bucket->requests + seconds * limits->rate_per_second);
  bucket->bytes = MIN (limits->bytes_burst, bucket->bytes + seconds * limits->bytes_per_second);
  bucket->updated_us = now;
  return bucket;
}

gboolean
wc_budgets_take_request (WcBudgets            *budgets,
                         const WcServerLimits *limits,
                         const char           *token)
{
  Bucket *bucket = refill (budgets, limits, token);

  if (bucket->requests < 1)
    return FALSE;
  bucket->requests -= 1;
  return TRUE;
}

gboolean
wc_budgets_take_bytes (WcBudgets            *budgets,
                       const WcServerLimits *limits,
                       const char           *token,
                       gsize                 bytes)
{
  Bucket *bucket = refill (budgets, limits, token);

  if (bucket->bytes < (double) bytes)
    return FALSE;
  bucket->bytes -= bytes;
  return TRUE;
}
