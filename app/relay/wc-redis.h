/* wc-redis.h: the relays' link to Redis (hiredis, synchronous, one connection per worker
 * thread): its URL, its key names, commands, and a worker that reconnects by itself. */
#pragma once

#include <gio/gio.h>
#include <hiredis/hiredis.h>

G_BEGIN_DECLS

#define WC_REDIS_ERROR (wc_redis_error_quark ())
GQuark wc_redis_error_quark (void);

typedef enum {
  WC_REDIS_ERROR_URL = 1,    /* not a redis://[:PASSWORD@]HOST[:PORT][/DB] URL */
  WC_REDIS_ERROR_CONNECT,    /* Redis cannot be reached, or refused the password */
  WC_REDIS_ERROR_REPLY,      /* Redis answered with an error */
  WC_REDIS_ERROR_DATA,       /* what is in Redis is not what a controller publishes */
} WcRedisError;

typedef struct {
  char  *host;
  guint  port;
  char  *password;  /* nullable */
  guint  db;
} WcRedisUrl;

gboolean     wc_redis_url_parse   (const char        *url,
                                   WcRedisUrl        *out,
                                   GError           **error);
void         wc_redis_url_clear   (WcRedisUrl        *url);
/* Connects (5 s at most), authenticates and selects the database. */
redisContext *wc_redis_connect    (const WcRedisUrl  *url,
                                   GError           **error);
/* One command of @argc arguments (binary-safe with @lengths, else NUL-terminated); the reply,
 * or NULL with @error when the link failed or Redis answered an error. */
redisReply  *wc_redis_command     (redisContext      *c,
                                   guint              argc,
                                   const char       **argv,
                                   const gsize       *lengths,
                                   GError           **error);
/* "wc:EXERCISE:WHAT" */
char        *wc_redis_key         (const char        *exercise,
                                   const char        *what);
/* The string in the field @name of a stream entry's fields (an array of name, value), or NULL;
 * its length in @length. */
const char  *wc_redis_field       (redisReply        *fields,
                                   const char        *name,
                                   gsize             *length);

/* A thread that calls @step again and again with its own connection: FALSE (with an error) when
 * the link failed, and it reconnects, waiting longer each time up to 5 s. @step must return within
 * a second or so (BLOCK 1000) so that the worker stops promptly. */
typedef gboolean (*WcRedisStepFunc) (redisContext  *c,
                                     gpointer       user_data,
                                     GError       **error);

typedef struct _WcRedisWorker WcRedisWorker;

WcRedisWorker *wc_redis_worker_start (const WcRedisUrl *url,
                                      const char       *name,
                                      WcRedisStepFunc   step,
                                      gpointer          user_data);
gboolean     wc_redis_worker_is_stopping (WcRedisWorker *self);
/* Stops it and waits for it; NULL is fine. */
void         wc_redis_worker_stop (WcRedisWorker     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (redisReply, freeReplyObject)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (redisContext, redisFree)

G_END_DECLS
