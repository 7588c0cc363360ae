/* wc-attachment.c: attachments as downloads, streamed from the scenario's folder. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wc-attachment.h"
#include "wc-http.h"

#define CHUNK_SIZE (64 * 1024)
/* read ahead of what the client has taken, so that a slow client holds little memory */
#define MAX_QUEUED (4 * CHUNK_SIZE)

typedef struct {
  SoupServerMessage *msg;
  GInputStream      *in;
  GCancellable      *cancellable;
  guint             *n_active;
  gsize              queued;
  gboolean           reading;
  gboolean           eof;
} Download;

static void
download_free (Download *d)
{
  (*d->n_active)--;
  g_rc_box_release (d->n_active);
  g_cancellable_cancel (d->cancellable);
  g_object_unref (d->cancellable);
  g_object_unref (d->in);
  g_object_unref (d->msg);
  g_free (d);
}

static void read_next (Download *d);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Download *d = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);
  SoupMessageBody *body;

  /* The client went: "finished" freed nothing yet, as the read held the download. */
  if (g_cancellable_is_cancelled (d->cancellable))
    {
      download_free (d);
      return;
    }
  d->reading = FALSE;
  body = soup_server_message_get_response_body (d->msg);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      /* A read error after the headers went out can only end the connection short of its
       * Content-Length, which the client sees as a failed download. */
      if (error)
        g_debug ("attachment: %s", error->message);
      d->eof = TRUE;
      soup_message_body_complete (body);
    }
  else
    {
      d->queued += g_bytes_get_size (bytes);
      soup_message_body_append_bytes (body, bytes);
    }
  soup_server_message_unpause (d->msg);
  read_next (d);
}

static void
read_next (Download *d)
{
  if (d->reading || d->eof || d->queued >= MAX_QUEUED)
    return;
  d->reading = TRUE;
  g_input_stream_read_bytes_async (d->in, CHUNK_SIZE, G_PRIORITY_DEFAULT, d->cancellable, on_read,
                                   d);
}

static void
on_wrote_body_data (SoupServerMessage *msg,
                    guint              size,
                    Download          *d)
{
  d->queued = size > d->queued ? 0 : d->queued - size;
  read_next (d);
}

static void
on_finished (SoupServerMessage *msg,
             Download          *d)
{
  g_signal_handlers_disconnect_by_data (msg, d);
  g_cancellable_cancel (d->cancellable);
  if (!d->reading)
    download_free (d);
}

/* @fd's file, if it is a regular file inside @folder (both without links). */
static gboolean
is_inside (int         fd,
           const char *folder)
{
  g_autofree char *proc = g_strdup_printf ("/proc/self/fd/%d", fd);
  g_autofree char *real = g_file_read_link (proc, NULL);
  g_autofree char *real_folder = realpath (folder, NULL);
  struct stat st;

  if (real == NULL || real_folder == NULL || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    return FALSE;
  return g_str_has_prefix (real, real_folder) && real[strlen (real_folder)] == '/';
}

void
wc_attachment_send (SoupServerMessage *msg,
                    const char        *folder,
                    const char        *file,
                    const char        *media_type,
                    guint             *n_active,
                    guint              max_active)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *path = g_build_filename (folder, file, NULL);
  g_autofree char *name = g_path_get_basename (file);
  g_autofree char *disposition = NULL;
  Download *d;
  struct stat st;
  int fd;

  if (*n_active >= max_active)
    {
      soup_message_headers_replace (headers, "Retry-After", "2");
      wc_http_reply_limit (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "downloads",
                           _("Too many downloads at once; try again in a moment"));
      return;
    }
  /* O_NOFOLLOW refuses a link as the file itself; the check of where the opened file really is
   * refuses a folder on its way that is a link out of the scenario's folder. */
  fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0 || !is_inside (fd, folder) || fstat (fd, &st) != 0)
    {
      if (fd >= 0)
        close (fd);
      wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND,
                           _("The attachment's file is gone from the controller's machine"));
      return;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  disposition = g_strdup_printf ("attachment; filename=\"%s\"", name);
  soup_message_headers_replace (headers, "Content-Disposition", disposition);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Content-Security-Policy", "sandbox");
  soup_message_headers_set_content_type (headers, media_type, NULL);
  soup_message_headers_set_content_length (headers, st.st_size);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (strcmp (soup_server_message_get_method (msg), "HEAD") == 0)
    {
      close (fd);
      return;
    }
  /* Written chunks are not kept: the whole file never sits in memory. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  d = g_new0 (Download, 1);
  d->msg = g_object_ref (msg);
  d->in = g_unix_input_stream_new (fd, TRUE);
  d->cancellable = g_cancellable_new ();
  d->n_active = g_rc_box_acquire (n_active);
  (*n_active)++;
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), d);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), d);
  soup_server_message_pause (msg);
  read_next (d);
}
