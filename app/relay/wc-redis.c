/* wc-redis.c: the relays' link to Redis: URL, commands, and workers that reconnect. */
#define G_LOG_DOMAIN "wc-relay"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-redis.h"

G_DEFINE_QUARK (wc-redis-error-quark, wc_redis_error)

gboolean
wc_redis_url_parse (const char  *url,
                    WcRedisUrl  *out,
                    GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD |
                                       G_URI_FLAGS_ENCODED_PATH, NULL);
  const char *path;
  guint64 db = 0;

  memset (out, 0, sizeof *out);
  if (uri && g_strcmp0 (g_uri_get_scheme (uri), "rediss") == 0)
    {
      g_set_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_URL,
                   _("%s: this build's Redis client has no TLS: reach Redis over a private "
                     "network or a tunnel (stunnel, spiped, WireGuard) and give redis://"), url);
      return FALSE;
    }
  path = uri ? g_uri_get_path (uri) : NULL;
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "redis") != 0 ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (path && *path && strcmp (path, "/") != 0 &&
       !g_ascii_string_to_unsigned (path + 1, 10, 0, 15, &db, NULL)))
    {
      g_set_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_URL,
                   _("“%s” is not a Redis URL like redis://:PASSWORD@HOST:6379/0"), url);
      return FALSE;
    }
  out->host = g_strdup (g_uri_get_host (uri));
  out->port = g_uri_get_port (uri) > 0 ? (guint) g_uri_get_port (uri) : 6379;
  out->db = (guint) db;
  /* redis://:PASSWORD@HOST: the password is all of the user info after the colon */
  if (g_uri_get_password (uri) && *g_uri_get_password (uri))
    out->password = g_strdup (g_uri_get_password (uri));
  else if (g_uri_get_user (uri) && *g_uri_get_user (uri))
    out->password = g_strdup (g_uri_get_user (uri));
  return TRUE;
}

void
wc_redis_url_clear (WcRedisUrl *url)
{
  g_clear_pointer (&url->host, g_free);
  if (url->password)
    explicit_bzero (url->password, strlen (url->password));
  g_clear_pointer (&url->password, g_free);
}

redisReply *
wc_redis_command (redisContext  *c,
                  guint          argc,
                  const char   **argv,
                  const gsize   *lengths,
                  GError       **error)
{
  g_autofree size_t *lens = g_new (size_t, argc);
  redisReply *reply;

  for (guint i = 0; i < argc; i++)
    lens[i] = lengths ? lengths[i] : strlen (argv[i]);
  reply = redisCommandArgv (c, (int) argc, argv, lens);
  if (reply == NULL)
    {
      g_set_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_CONNECT, _("Redis: %s"),
                   c->errstr[0] ? c->errstr : _("the connection was lost"));
      return NULL;
    }
  if (reply->type == REDIS_REPLY_ERROR)
    {
      g_set_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_REPLY, _("Redis: %s: %s"), argv[0],
                   reply->str);
      freeReplyObject (reply);
      return NULL;
    }
  return reply;
}

redisContext *
wc_redis_connect (const WcRedisUrl  *url,
                  GError           **error)
{
  struct timeval timeout = { 5, 0 };
  g_autoptr(redisContext) c = redisConnectWithTimeout (url->host, (int) url->port, timeout);
  g_autoptr(redisReply) reply = NULL;
  g_autofree char *db = g_strdup_printf ("%u", url->db);

  if (c == NULL || c->err)
    {
      g_set_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_CONNECT,
                   _("Cannot reach Redis at %s:%u: %s"), url->host, url->port,
                   c ? c->errstr : g_strerror (ENOMEM));
      return NULL;
    }
  /* a link that stops answering is dropped and made anew, not waited on for ever */
  timeout.tv_sec = 10;
  redisSetTimeout (c, timeout);
  if (url->password &&
      (reply = wc_redis_command (c, 2, (const char *[]) { "AUTH", url->password }, NULL,
                                 error)) == NULL)
    return NULL;
  g_clear_pointer (&reply, freeReplyObject);
  if (url->db != 0 &&
      (reply = wc_redis_command (c, 2, (const char *[]) { "SELECT", db }, NULL, error)) == NULL)
    return NULL;
  return g_steal_pointer (&c);
}

char *
wc_redis_key (const char *exercise,
              const char *what)
{
  return g_strdup_printf ("wc:%s:%s", exercise, what);
}

const char *
wc_redis_field (redisReply *fields,
                const char *name,
                gsize      *length)
{
  for (size_t i = 0; fields && fields->type == REDIS_REPLY_ARRAY && i + 1 < fields->elements;
       i += 2)
    {
      redisReply *key = fields->element[i], *value = fields->element[i + 1];

      if (key->type == REDIS_REPLY_STRING && value->type == REDIS_REPLY_STRING &&
          strcmp (key->str, name) == 0)
        {
          if (length)
            *length = value->len;
          return value->str;
        }
    }
  return NULL;
}

/* Workers ------------------------------------------------------------------------------------- */

struct _WcRedisWorker {
  WcRedisUrl       url;
  char            *name;
  WcRedisStepFunc  step;
  gpointer         user_data;
  GThread         *thread;
  gint             stopping;
};

gboolean
wc_redis_worker_is_stopping (WcRedisWorker *self)
{
  return g_atomic_int_get (&self->stopping);
}

/* Sleeps @ms unless asked to stop meanwhile. */
static void
nap (WcRedisWorker *self,
     guint          ms)
{
  for (guint slept = 0; slept < ms && !wc_redis_worker_is_stopping (self); slept += 50)
    g_usleep (50 * 1000);
}

static gpointer
worker_thread (gpointer data)
{
  WcRedisWorker *self = data;
  guint backoff_ms = 100;

  while (!wc_redis_worker_is_stopping (self))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(redisContext) c = wc_redis_connect (&self->url, &error);

      while (c && !wc_redis_worker_is_stopping (self))
        {
          if (!self->step (c, self->user_data, &error))
            break;
          backoff_ms = 100;
        }
      if (error && !wc_redis_worker_is_stopping (self))
        {
          /* a message, not a warning: Redis going away is expected, and it comes back */
          g_message ("%s: %s; trying again in %.1f s", self->name, error->message,
                     backoff_ms / 1000.0);
          nap (self, backoff_ms);
          backoff_ms = MIN (backoff_ms * 2, 5000);
        }
    }
  return NULL;
}

WcRedisWorker *
wc_redis_worker_start (const WcRedisUrl *url,
                       const char       *name,
                       WcRedisStepFunc   step,
                       gpointer          user_data)
{
  WcRedisWorker *self = g_new0 (WcRedisWorker, 1);

  self->url.host = g_strdup (url->host);
  self->url.port = url->port;
  self->url.password = g_strdup (url->password);
  self->url.db = url->db;
  self->name = g_strdup (name);
  self->step = step;
  self->user_data = user_data;
  self->thread = g_thread_new (name, worker_thread, self);
  return self;
}

void
wc_redis_worker_stop (WcRedisWorker *self)
{
  if (self == NULL)
    return;
  g_atomic_int_set (&self->stopping, TRUE);
  g_thread_join (self->thread);
  wc_redis_url_clear (&self->url);
  g_free (self->name);
  g_free (self);
}
