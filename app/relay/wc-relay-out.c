/* wc-relay-out.c: commands for Redis queued to a writer thread, sent pipelined. */
#define G_LOG_DOMAIN "wc-relay"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-relay-private.h"

WcRelayOut *
wc_relay_out_new (const char *first,
                  ...)
{
  WcRelayOut *out = g_new0 (WcRelayOut, 1);
  va_list args;

  out->args = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  va_start (args, first);
  for (const char *arg = first; arg; arg = va_arg (args, const char *))
    g_ptr_array_add (out->args, g_bytes_new (arg, strlen (arg)));
  va_end (args);
  return out;
}

void
wc_relay_out_add_bytes (WcRelayOut *out,
                        GBytes     *bytes)
{
  g_ptr_array_add (out->args, bytes ? g_bytes_ref (bytes) : g_bytes_new (NULL, 0));
}

void
wc_relay_out_free (gpointer data)
{
  WcRelayOut *out = data;

  g_ptr_array_unref (out->args);
  g_free (out);
}

gboolean
wc_relay_out_send (redisContext  *c,
                   GPtrArray     *batch,
                   GError       **error)
{
  for (guint i = 0; i < batch->len; i++)
    {
      WcRelayOut *out = g_ptr_array_index (batch, i);
      g_autofree const char **argv = g_new (const char *, out->args->len);
      g_autofree size_t *lens = g_new (size_t, out->args->len);

      for (guint k = 0; k < out->args->len; k++)
        {
          gsize size;

          argv[k] = g_bytes_get_data (g_ptr_array_index (out->args, k), &size);
          argv[k] = argv[k] ? argv[k] : "";
          lens[k] = size;
        }
      if (redisAppendCommandArgv (c, (int) out->args->len, argv, lens) != REDIS_OK)
        {
          g_set_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_CONNECT, _("Redis: %s"), c->errstr);
          return FALSE;
        }
    }
  for (guint i = 0; i < batch->len; i++)
    {
      redisReply *reply = NULL;

      if (redisGetReply (c, (void **) &reply) != REDIS_OK || reply == NULL)
        {
          g_set_error (error, WC_REDIS_ERROR, WC_REDIS_ERROR_CONNECT, _("Redis: %s"),
                       c->errstr[0] ? c->errstr : _("the connection was lost"));
          return FALSE;
        }
      if (reply->type == REDIS_REPLY_ERROR)
        g_warning ("Redis refused a command: %s", reply->str);
      freeReplyObject (reply);
    }
  g_ptr_array_set_size (batch, 0);
  return TRUE;
}

gboolean
wc_relay_out_take (GAsyncQueue *queue,
                   GPtrArray   *batch,
                   gpointer     mark)
{
  gpointer item = batch->len ? NULL : g_async_queue_timeout_pop (queue, 200 * 1000);
  gboolean marked = FALSE;

  for (; item || (batch->len < 512 && (item = g_async_queue_try_pop (queue))); item = NULL)
    {
      if (item != NULL && item == mark)
        marked = TRUE;
      else
        g_ptr_array_add (batch, item);
    }
  return marked;
}
