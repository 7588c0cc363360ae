/* wc-sse.c: Server-Sent Events: each team's stream of injects and state changes, and the
 * controller's stream of every record. Event ids are journal sequence numbers, so a client that
 * reconnects with Last-Event-ID misses nothing.
 *
 * Once libsoup has written a stream's response headers, the connection is taken from it
 * (soup_server_message_steal_connection()) and events are written to the socket here, as chunks,
 * without waiting: libsoup keeps a source for every paused response that each main-loop turn
 * prepares and checks, so five thousand held streams made every request of every team pay for
 * them, and each event cost an idle source, a turn and a pause per stream. A client that went is
 * found when a write fails, or by one poll() over all the streams each second. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <poll.h>
#include <string.h>

#include "wc-http.h"
#include "wc-json-views.h"
#include "wc-record.h"
#include "wc-sse.h"
#include "wc-traffic-views.h"

/* One open event stream: a team's (team != NULL) or the controller's. */
typedef struct {
  WcSse                 *sse;
  SoupServerMessage     *msg;      /* until its headers are written and the connection is ours */
  GSocket               *socket;
  GIOStream             *io;       /* the connection, once ours */
  GPollableOutputStream *out;
  GByteArray            *pending;  /* chunks the socket did not take yet, from pending_off */
  gsize                  pending_off;
  GSource               *out_source;
  char                  *team;
  char                  *lang;
  gboolean               closed;     /* nothing more is written; unlinked soon */
  gboolean               finishing;  /* closed once what is pending is written */
  /* Replaying the journal after Last-Event-ID, a slice per main-loop turn: live records wait
   * in the journal until the replay reaches them. */
  gboolean               replaying;
  guint                  replay_next;  /* index of the next record to replay */
  guint                  replay_id;
} WcStream;

struct _WcSse {
  GObject     parent_instance;

  WcEngine   *engine;
  WcPresence *presence;
  gsize       max_backlog;
  guint       max_streams_per_team;
  guint       list_responses;
  gsize       list_response_bytes;

  GHashTable *streams;          /* WcStream* (owned) */
  GHashTable *opening;          /* SoupServerMessage* → its WcStream, until the headers are out */
  /* the same streams by whom they serve, so that a record reaches only its teams' streams */
  GHashTable *team_streams;     /* team id → GPtrArray of WcStream* */
  GPtrArray  *control_streams;
  /* closed streams, unlinked after the turn (a fan-out may be walking their list) */
  GPtrArray  *closed;
  guint       unlink_id;
  guint       sweep_id;
  guint       resweep_id;
  /* "delivered" records wait until the events are on their way: inject id, team id pairs */
  GPtrArray  *pending_deliveries;
  guint       deliveries_idle_id;
};

G_DEFINE_FINAL_TYPE (WcSse, wc_sse, G_TYPE_OBJECT)

/* The reconnection delay each stream asks of its client */
#define WC_SSE_RETRY_MIN_MS 250
#define WC_SSE_RETRY_MAX_MS 1750

static void on_wrote_headers (SoupServerMessage *msg, WcStream *stream);

/* Lets go of the socket and of everything that could still call back. */
static void
stream_release (WcStream *stream)
{
  if (stream->out_source)
    {
      g_source_destroy (stream->out_source);
      g_clear_pointer (&stream->out_source, g_source_unref);
    }
  g_clear_handle_id (&stream->replay_id, g_source_remove);
  if (stream->msg)
    {
      g_signal_handlers_disconnect_by_func (stream->msg, on_wrote_headers, stream);
      g_clear_object (&stream->msg);
    }
  if (stream->io)
    {
      /* the socket first: closing a TLS stream would otherwise try to say goodbye to a client
       * that may be gone */
      if (stream->socket)
        g_socket_close (stream->socket, NULL);
      else
        g_io_stream_close (stream->io, NULL, NULL);
      g_clear_object (&stream->io);
      stream->out = NULL;
    }
}

static void
stream_free (gpointer data)
{
  WcStream *stream = data;

  stream_release (stream);
  g_clear_object (&stream->socket);
  g_byte_array_unref (stream->pending);
  g_free (stream->team);
  g_free (stream->lang);
  g_free (stream);
}

static void
wc_sse_dispose (GObject *object)
{
  WcSse *self = WC_SSE (object);
  GHashTableIter iter;
  gpointer key;

  g_clear_handle_id (&self->deliveries_idle_id, g_source_remove);
  g_clear_handle_id (&self->unlink_id, g_source_remove);
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_handle_id (&self->resweep_id, g_source_remove);
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    stream_release (key);
  G_OBJECT_CLASS (wc_sse_parent_class)->dispose (object);
}

static void
wc_sse_finalize (GObject *object)
{
  WcSse *self = WC_SSE (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->presence);
  g_ptr_array_unref (self->pending_deliveries);
  g_ptr_array_unref (self->closed);
  g_hash_table_unref (self->team_streams);
  g_ptr_array_unref (self->control_streams);
  g_hash_table_unref (self->opening);
  g_hash_table_unref (self->streams);
  G_OBJECT_CLASS (wc_sse_parent_class)->finalize (object);
}

static void
wc_sse_class_init (WcSseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_sse_dispose;
  object_class->finalize = wc_sse_finalize;
}

static void
wc_sse_init (WcSse *self)
{
  self->max_backlog = 1024 * 1024;
  self->max_streams_per_team = G_MAXUINT;
  self->list_responses = G_MAXUINT;
  self->list_response_bytes = G_MAXSIZE;
  self->streams = g_hash_table_new_full (NULL, NULL, stream_free, NULL);
  self->opening = g_hash_table_new (NULL, NULL);
  self->team_streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_ptr_array_unref);
  self->control_streams = g_ptr_array_new ();
  self->closed = g_ptr_array_new ();
  self->pending_deliveries = g_ptr_array_new_with_free_func (g_free);
}

void
wc_sse_set_max_backlog (WcSse *self,
                        gsize  max_backlog)
{
  self->max_backlog = max_backlog;
}

void
wc_sse_set_max_streams_per_team (WcSse *self,
                                 guint  max_streams)
{
  self->max_streams_per_team = max_streams;
}

void
wc_sse_set_list_limits (WcSse *self,
                        guint  max_responses,
                        gsize  max_response_bytes)
{
  self->list_responses = max_responses;
  self->list_response_bytes = max_response_bytes;
}

guint
wc_sse_get_n_streams (WcSse *self)
{
  return g_hash_table_size (self->streams) - self->closed->len;
}

/* Deliveries ---------------------------------------------------------------------------------- */

static gboolean
flush_deliveries (gpointer user_data)
{
  WcSse *self = user_data;
  g_autoptr(GPtrArray) pending = g_steal_pointer (&self->pending_deliveries);

  self->deliveries_idle_id = 0;
  self->pending_deliveries = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i + 1 < pending->len; i += 2)
    wc_engine_mark_delivered (self->engine, g_ptr_array_index (pending, i),
                              g_ptr_array_index (pending, i + 1), "sse", NULL);
  return G_SOURCE_REMOVE;
}

/* Records, soon, that @inject reached @team through its event stream. */
static void
note_delivered (WcSse      *self,
                const char *inject,
                const char *team)
{
  g_ptr_array_add (self->pending_deliveries, g_strdup (inject));
  g_ptr_array_add (self->pending_deliveries, g_strdup (team));
  /* After the events themselves have been written to a thousand sockets. */
  if (self->deliveries_idle_id == 0)
    self->deliveries_idle_id = g_idle_add_full (G_PRIORITY_LOW, flush_deliveries, self, NULL);
}

/* Writing ------------------------------------------------------------------------------------- */

static char *
node_to_line (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  /* Not pretty: one line, as SSE's data field wants (newlines in strings are escaped). */
  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

static void resume_replay (WcStream *stream);
static void stream_flush (WcStream *stream);

/* Streams closed or unlinked in one main-loop turn at most: five thousand pages gone at once (a
 * venue's network cut) are let go of over some turns rather than in one that stalls for 0.2 s. */
#define WC_SSE_CLOSES_PER_TURN 256

/* Takes closed streams out of every list once the current fan-out is over. */
static gboolean
unlink_closed (gpointer user_data)
{
  WcSse *self = user_data;
  guint n = MIN (self->closed->len, WC_SSE_CLOSES_PER_TURN);

  for (guint i = 0; i < n; i++)
    {
      WcStream *stream = g_ptr_array_index (self->closed, i);
      GPtrArray *list = stream->team ? g_hash_table_lookup (self->team_streams, stream->team)
                                     : self->control_streams;

      if (list)
        g_ptr_array_remove_fast (list, stream);
      if (stream->team)
        wc_presence_touch (self->presence, stream->team, -1);
      g_hash_table_remove (self->streams, stream);
    }
  g_ptr_array_remove_range (self->closed, 0, n);
  if (self->closed->len > 0)
    return G_SOURCE_CONTINUE;
  self->unlink_id = 0;
  return G_SOURCE_REMOVE;
}

/* Ends @stream: nothing more is written to it, its socket is closed (or, before the headers were
 * written, libsoup is left to end the request), and it leaves the lists after this turn. */
static void
stream_close (WcStream *stream)
{
  WcSse *self = stream->sse;

  if (stream->closed)
    return;
  stream->closed = TRUE;
  if (stream->msg)
    {
      g_hash_table_remove (self->opening, stream->msg);
      if (stream->socket)
        g_socket_shutdown (stream->socket, TRUE, TRUE, NULL);
    }
  stream_release (stream);
  g_ptr_array_add (self->closed, stream);
  if (self->unlink_id == 0)
    self->unlink_id = g_idle_add (unlink_closed, self);
}

static gsize
stream_backlog (WcStream *stream)
{
  return stream->pending->len - stream->pending_off;
}

static void
stream_append (WcStream   *stream,
               const void *data,
               gsize       length)
{
  g_byte_array_append (stream->pending, data, length);
}

static gboolean
on_writable (GObject  *pollable,
             gpointer  user_data)
{
  WcStream *stream = user_data;

  g_clear_pointer (&stream->out_source, g_source_unref);
  stream_flush (stream);
  return G_SOURCE_REMOVE;
}

/* Writes what is pending as far as the socket takes it now, and waits for it to take the rest. */
static void
stream_flush (WcStream *stream)
{
  if (stream->closed || stream->out == NULL || stream->out_source)
    return;
  while (stream_backlog (stream) > 0)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (stream->out,
                                                             stream->pending->data +
                                                             stream->pending_off,
                                                             stream_backlog (stream), NULL,
                                                             &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          /* what was written goes, so that a client reading slowly but never catching up does
           * not grow the buffer beyond the backlog it is allowed */
          if (stream->pending_off > stream->pending->len / 2)
            {
              g_byte_array_remove_range (stream->pending, 0, stream->pending_off);
              stream->pending_off = 0;
            }
          stream->out_source = g_pollable_output_stream_create_source (stream->out, NULL);
          g_source_set_callback (stream->out_source, G_SOURCE_FUNC (on_writable), stream, NULL);
          g_source_attach (stream->out_source, NULL);
          return;
        }
      if (n < 0)
        {
          g_debug ("an event stream's client went: %s", error->message);
          stream_close (stream);
          return;
        }
      stream->pending_off += n;
    }
  g_byte_array_set_size (stream->pending, 0);
  stream->pending_off = 0;
  if (stream->finishing)
    stream_close (stream);
  else if (stream->replaying && stream->replay_id == 0)
    resume_replay (stream);
}

/* One chunk of the response: written at once when nothing is waiting before it (the usual case:
 * one system call per stream and event), queued otherwise. */
static void
stream_write (WcStream   *stream,
              const char *text,
              gsize       length)
{
  char head[2 * sizeof (gsize) + 3];
  int head_len;

  if (stream->closed || stream->finishing || length == 0)
    return;
  /* A client that stops reading is dropped, not buffered for forever. */
  if (stream_backlog (stream) + length > stream->sse->max_backlog)
    {
      g_debug ("dropping an event stream that stopped reading (%" G_GSIZE_FORMAT " bytes queued)",
               stream_backlog (stream));
      stream_close (stream);
      return;
    }
  head_len = g_snprintf (head, sizeof head, "%" G_GSIZE_MODIFIER "x\r\n", length);
  if (stream->out && stream_backlog (stream) == 0 && stream->out_source == NULL)
    {
      GOutputVector vectors[3] = { { head, head_len }, { text, length }, { "\r\n", 2 } };
      g_autoptr(GError) error = NULL;
      gsize written = 0;
      GPollableReturn ret = g_pollable_output_stream_writev_nonblocking (stream->out, vectors, 3,
                                                                         &written, NULL, &error);

      if (ret == G_POLLABLE_RETURN_FAILED)
        {
          g_debug ("an event stream's client went: %s", error->message);
          stream_close (stream);
          return;
        }
      if (ret == G_POLLABLE_RETURN_OK && written == head_len + length + 2)
        return;
      /* what the socket did not take, in order */
      for (guint i = 0; i < 3; i++)
        {
          gsize skip = MIN (written, vectors[i].size);

          written -= skip;
          stream_append (stream, (const char *) vectors[i].buffer + skip,
                         vectors[i].size - skip);
        }
      stream_flush (stream);
      return;
    }
  stream_append (stream, head, head_len);
  stream_append (stream, text, length);
  stream_append (stream, "\r\n", 2);
}

static void
stream_event (WcStream   *stream,
              guint64     id,
              const char *event,
              JsonNode   *data)
{
  g_autofree char *line = node_to_line (data);
  g_autofree char *text = g_strdup_printf ("id: %" G_GUINT64_FORMAT "\nevent: %s\ndata: %s\n\n",
                                           id, event, line);

  /* An event the stream could never hold would drop it at once, and the client, reconnecting,
   * would meet it again: it is told to fetch what changed through the API instead. */
  if (strlen (text) > stream->sse->max_backlog / 2)
    {
      g_free (text);
      text = g_strdup_printf ("id: %" G_GUINT64_FORMAT "\nevent: resync\ndata: {}\n\n", id);
    }
  stream_write (stream, text, strlen (text));
}

/* What a team's stream hears of a record. Deliveries are not sent back: the team knows what it
 * received, and after an inject to a thousand teams that would be a thousand more events. */
typedef enum {
  TEAM_EVENT_NONE,
  TEAM_EVENT_INJECT,    /* the inject reached the team */
  TEAM_EVENT_STATE,     /* its acknowledgement or answer, perhaps from another tab or its tools */
  TEAM_EVENT_EXERCISE,  /* the exercise's state or clock changed */
  TEAM_EVENT_TRAFFIC,   /* an item of traffic the team sent or received */
  TEAM_EVENT_TRAFFIC_ACK, /* a recipient acknowledged an item the team sent */
} TeamEvent;

static TeamEvent
team_event_for (WcRecordType type)
{
  switch (type)
    {
    case WC_RECORD_INJECT_FIRED:
      return TEAM_EVENT_INJECT;
    case WC_RECORD_INJECT_ACKNOWLEDGED:
    case WC_RECORD_RESPONSE:
      return TEAM_EVENT_STATE;
    case WC_RECORD_JOURNAL_REOPENED:
      return TEAM_EVENT_EXERCISE;
    case WC_RECORD_MESSAGE_ACKNOWLEDGED:
      return TEAM_EVENT_TRAFFIC_ACK;
    default:
      if (wc_record_type_has_flag (type, WC_RECORD_FLAG_TRAFFIC))
        return TEAM_EVENT_TRAFFIC;
      return wc_record_type_has_flag (type, WC_RECORD_FLAG_CLOCK) ? TEAM_EVENT_EXERCISE
                                                                  : TEAM_EVENT_NONE;
    }
}

/* The "inject" event for a team that has done nothing with it yet is the same for every team
 * reading that language: built once per language when an inject fires to a thousand teams. */
static const char *
fresh_inject_event (WcStream   *stream,
                    GHashTable *cache,
                    guint64     seq,
                    const char *inject)
{
  const char *text = g_hash_table_lookup (cache, stream->lang);

  if (text == NULL)
    {
      g_autoptr(JsonNode) node = wc_json_views_inject_latest (stream->sse->engine, inject,
                                                              stream->team, stream->lang,
                                                              stream->sse->list_responses,
                                                              stream->sse->list_response_bytes);
      g_autofree char *line = node_to_line (node);
      char *event = g_strdup_printf ("id: %" G_GUINT64_FORMAT "\nevent: inject\ndata: %s\n\n", seq,
                                     line);

      g_hash_table_insert (cache, g_strdup (stream->lang), event);
      text = event;
    }
  return text;
}

static gboolean
teams_include (JsonArray  *teams,
               const char *team)
{
  for (guint i = 0; teams && i < json_array_get_length (teams); i++)
    if (g_strcmp0 (json_array_get_string_element (teams, i), team) == 0)
      return TRUE;
  return FALSE;
}

/* The "message" event of an item: the same for every recipient reading one language (a
 * recipient sees only its own acknowledgement, and a fresh item has none), the sender's its own;
 * built once per language and side when a bulletin goes to two hundred teams. */
static const char *
traffic_event (WcStream            *stream,
               GHashTable          *cache,
               guint64              seq,
               const WcTrafficItem *item)
{
  gboolean sender = g_strcmp0 (item->from, stream->team) == 0;
  g_autofree char *key = g_strconcat (sender ? "s:" : "r:", stream->lang, NULL);
  const char *text = g_hash_table_lookup (cache, key);

  if (text == NULL)
    {
      g_autoptr(JsonNode) node = wc_traffic_views_item (stream->sse->engine, item, stream->team,
                                                        stream->lang);
      g_autofree char *line = node_to_line (node);
      char *event = g_strdup_printf ("id: %" G_GUINT64_FORMAT "\nevent: message\ndata: %s\n\n",
                                     seq, line);

      g_hash_table_insert (cache, g_steal_pointer (&key), event);
      text = event;
    }
  return text;
}

/* What a traffic record means for a team's stream: the item to its sender and recipients, an
 * acknowledgement to the item's sender and to the team that acknowledged (its other tabs). */
static void
stream_traffic (WcStream     *stream,
                guint64       seq,
                WcRecordType  type,
                JsonObject   *data,
                GHashTable   *cache)
{
  WcEngine *engine = stream->sse->engine;
  const WcTrafficItem *item = wc_engine_find_message (engine,
                                                      wc_record_get_string (data, "message"));
  g_autoptr(JsonNode) node = NULL;

  if (item == NULL)
    return;
  if (type == WC_RECORD_MESSAGE_ACKNOWLEDGED)
    {
      const char *team = wc_record_get_team (data);
      gint64 *ms = team ? g_hash_table_lookup (item->acknowledged, team) : NULL;
      JsonObject *event;

      if (g_strcmp0 (stream->team, item->from) != 0 && g_strcmp0 (stream->team, team) != 0)
        return;
      event = json_object_new ();
      json_object_set_string_member (event, "message", item->id);
      json_object_set_string_member (event, "team", team);
      if (ms)
        json_object_set_int_member (event, "acknowledged_ms", *ms);
      else
        json_object_set_null_member (event, "acknowledged_ms");
      node = json_node_init_object (json_node_alloc (), event);
      json_object_unref (event);
      stream_event (stream, seq, "message-ack", node);
      return;
    }
  /* live, the caller found this stream among the item's teams already */
  if (cache)
    {
      const char *text = traffic_event (stream, cache, seq, item);

      stream_write (stream, text, strlen (text));
    }
  else if (wc_traffic_views_visible (item, stream->team))
    {
      node = wc_traffic_views_item (engine, item, stream->team, stream->lang);
      stream_event (stream, seq, "message", node);
    }
}

/* What one record means for one stream. @type_name: the record's name on disk, for the
 * controller. @live: it just happened (not a replay). @cache: events shared by the streams of one
 * record (nullable). */
static void
stream_record (WcStream     *stream,
               guint64       seq,
               WcRecordType  type,
               const char   *type_name,
               JsonObject   *data,
               gint64        t_ms,
               gboolean      live,
               GHashTable   *cache)
{
  WcEngine *engine = stream->sse->engine;
  const char *inject = wc_record_get_inject (data);
  g_autoptr(JsonNode) node = NULL;

  if (stream->team == NULL)
    {
      node = wc_json_views_record (seq, type_name, data, t_ms);
      stream_event (stream, seq, "record", node);
      return;
    }
  switch (team_event_for (type))
    {
    case TEAM_EVENT_INJECT:
      /* live, the caller found this stream by its team among the record's: no need to look again
       * (which, for an inject to a thousand teams, would be a million comparisons) */
      if (cache == NULL && !teams_include (wc_record_get_teams (data), stream->team))
        return;
      /* Live, the inject has just reached the team, which has done nothing with it yet. */
      if (cache)
        {
          const char *text = fresh_inject_event (stream, cache, seq, inject);

          stream_write (stream, text, strlen (text));
        }
      else
        {
          node = wc_json_views_inject_latest (engine, inject, stream->team, stream->lang,
                                              stream->sse->list_responses,
                                              stream->sse->list_response_bytes);
          stream_event (stream, seq, "inject", node);
        }
      if (live)
        note_delivered (stream->sse, inject, stream->team);
      break;

    case TEAM_EVENT_STATE:
      /* What changed, not the team's whole side of the inject: rebuilding that with all its
       * answers for each answer made a replay quadratic in them. */
      if (g_strcmp0 (wc_record_get_team (data), stream->team) == 0)
        {
          const WcTeamInjectState *ts = wc_engine_get_team_state (engine, inject, stream->team);
          g_autoptr(JsonObject) event = json_object_new ();

          json_object_set_string_member (event, "inject", inject);
          json_object_set_int_member (event, "acknowledged_ms", ts ? ts->acknowledged_ms : t_ms);
          if (type == WC_RECORD_RESPONSE)
            {
              JsonObject *response = json_object_new ();

              json_object_set_string_member (response, "text", wc_record_get_text (data));
              json_object_set_string_member (response, "option", wc_record_get_option (data));
              json_object_set_int_member (response, "t_ms", t_ms);
              json_object_set_object_member (event, "response", response);
            }
          node = json_node_init_object (json_node_alloc (), event);
          stream_event (stream, seq, type == WC_RECORD_RESPONSE ? "response" : "acknowledged",
                        node);
        }
      break;

    case TEAM_EVENT_EXERCISE:
      node = wc_json_views_exercise (engine);
      stream_event (stream, seq, "exercise", node);
      break;

    case TEAM_EVENT_TRAFFIC:
    case TEAM_EVENT_TRAFFIC_ACK:
      stream_traffic (stream, seq, type, data, cache);
      break;

    case TEAM_EVENT_NONE:
    default:
      break;
    }
}

/* One slice of a replay: a few records, fewer once the client is behind in reading. */
static gboolean
replay_step (gpointer user_data)
{
  WcStream *stream = user_data;
  WcJournal *journal = wc_engine_get_journal (stream->sse->engine);
  gint64 deadline = g_get_monotonic_time () + 2000;
  guint n = wc_journal_get_n_records (journal);

  for (guint k = 0; stream->replay_next < n; k++)
    {
      const WcJournalRecord *r;

      if (stream->closed)
        break;
      if (stream_backlog (stream) >= stream->sse->max_backlog / 2)
        {
          /* stream_flush() resumes once the socket has taken it all */
          stream->replay_id = 0;
          return G_SOURCE_REMOVE;
        }
      if (k % 16 == 15 && g_get_monotonic_time () > deadline)
        return G_SOURCE_CONTINUE;
      r = wc_journal_get_record (journal, stream->replay_next++);
      stream_record (stream, r->seq, wc_record_type_from_string (r->type), r->type, r->data,
                     r->t_ms, FALSE, NULL);
    }
  stream->replaying = FALSE;
  stream->replay_id = 0;
  return G_SOURCE_REMOVE;
}

static void
resume_replay (WcStream *stream)
{
  if (stream->replay_id == 0 && !stream->closed)
    stream->replay_id = g_idle_add (replay_step, stream);
}

/* The headers are on their way: from now on the connection is the stream's. */
static void
on_wrote_headers (SoupServerMessage *msg,
                  WcStream          *stream)
{
  g_autoptr(SoupServerMessage) held = g_steal_pointer (&stream->msg);
  GIOStream *io;
  GOutputStream *out;

  g_signal_handlers_disconnect_by_func (msg, on_wrote_headers, stream);
  g_hash_table_remove (stream->sse->opening, msg);
  stream->io = io = soup_server_message_steal_connection (msg);
  out = io ? g_io_stream_get_output_stream (io) : NULL;
  if (out == NULL || !G_IS_POLLABLE_OUTPUT_STREAM (out) ||
      !g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (out)))
    {
      g_warning ("An event stream's connection cannot be written to without waiting");
      stream_close (stream);
      return;
    }
  stream->out = G_POLLABLE_OUTPUT_STREAM (out);
  if (stream->socket == NULL && G_IS_SOCKET_CONNECTION (io))
    stream->socket = g_object_ref (g_socket_connection_get_socket (G_SOCKET_CONNECTION (io)));
  stream_flush (stream);
}

/* Clients that closed their end: an event stream's client sends nothing after its request, so
 * a readable socket is one at its end (or one that breaks the protocol). One poll() a second over
 * all the streams, rather than a source per stream that every main-loop turn would check. */
static gboolean resweep_streams (gpointer user_data);

static gboolean
sweep_streams (gpointer user_data)
{
  WcSse *self = user_data;
  g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (struct pollfd));
  g_autoptr(GPtrArray) polled = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;
  guint n_closed = 0;

  /* (from resweep_streams() too: removing the source being dispatched is allowed) */
  g_clear_handle_id (&self->resweep_id, g_source_remove);
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      WcStream *stream = key;
      struct pollfd pfd = { 0, POLLIN, 0 };

      if (stream->closed || stream->io == NULL || stream->socket == NULL)
        continue;
      pfd.fd = g_socket_get_fd (stream->socket);
      g_array_append_val (fds, pfd);
      g_ptr_array_add (polled, stream);
    }
  if (fds->len > 0 && poll ((struct pollfd *) fds->data, fds->len, 0) > 0)
    for (guint i = 0; i < fds->len && n_closed < WC_SSE_CLOSES_PER_TURN; i++)
      if (g_array_index (fds, struct pollfd, i).revents != 0)
        {
          stream_close (g_ptr_array_index (polled, i));
          n_closed++;
        }
  /* more gone than a turn lets go of: the rest at the next turn, not the next second */
  if (n_closed == WC_SSE_CLOSES_PER_TURN)
    self->resweep_id = g_idle_add (resweep_streams, self);
  return G_SOURCE_CONTINUE;
}

static gboolean
resweep_streams (gpointer user_data)
{
  sweep_streams (user_data);
  return G_SOURCE_REMOVE;
}

void
wc_sse_open (WcSse             *self,
             SoupServerMessage *msg,
             const char        *team,
             const char        *lang,
             guint64            last_event_id)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  WcJournal *journal = wc_engine_get_journal (self->engine);
  guint n = wc_journal_get_n_records (journal);
  GPtrArray *list = team ? g_hash_table_lookup (self->team_streams, team) : NULL;
  g_autoptr(JsonNode) snapshot = NULL;
  guint64 last_seq = n > 0 ? wc_journal_get_record (journal, n - 1)->seq : 0;
  WcStream *stream;

  /* the headers alone: there is no stream to take over */
  if (strcmp (soup_server_message_get_method (msg), "HEAD") == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
      soup_message_headers_replace (headers, "Cache-Control", "no-store");
      return;
    }
  if (list && list->len >= self->max_streams_per_team)
    {
      soup_message_headers_replace (headers, "Retry-After", "10");
      wc_http_reply_limit (msg, WC_STATUS_TOO_MANY_REQUESTS, "streams-per-team",
                           "This team has %u event streams open already", list->len);
      return;
    }
  stream = g_new0 (WcStream, 1);
  stream->sse = self;
  stream->msg = g_object_ref (msg);
  stream->socket = wc_http_get_socket (msg) ? g_object_ref (wc_http_get_socket (msg)) : NULL;
  stream->pending = g_byte_array_new ();
  stream->team = g_strdup (team);
  stream->lang = g_strdup (lang);
  g_hash_table_add (self->streams, stream);
  g_hash_table_insert (self->opening, msg, stream);
  if (team)
    {
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (self->team_streams, g_strdup (team), list);
        }
      g_ptr_array_add (list, stream);
      wc_presence_touch (self->presence, team, +1);
    }
  else
    g_ptr_array_add (self->control_streams, stream);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Accel-Buffering", "no");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  /* the events are written here once libsoup has written the headers */
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers), stream);

  {
    /* Jittered: after a restart of the controller, thousands of pages reconnect spread over a
     * second rather than all in the same instant (the listen backlog holds the rest). */
    g_autofree char *retry = g_strdup_printf ("retry: %d\n\n",
                                              g_random_int_range (WC_SSE_RETRY_MIN_MS,
                                                                  WC_SSE_RETRY_MAX_MS + 1));

    stream_write (stream, retry, strlen (retry));
  }
  if (last_event_id > 0)
    {
      /* Everything this client missed, from the journal, in order, a slice per main-loop turn
       * so that the server goes on answering meanwhile. Records are numbered from 1 without
       * gaps, so the first to send is at index last_event_id. */
      stream->replaying = TRUE;
      stream->replay_next = (guint) MIN (last_event_id, (guint64) n);
      resume_replay (stream);
    }
  else
    {
      snapshot = wc_json_views_exercise (self->engine);
      stream_event (stream, last_seq, "exercise", snapshot);
    }
}

void
wc_sse_forget (WcSse             *self,
               SoupServerMessage *msg)
{
  WcStream *stream = g_hash_table_lookup (self->opening, msg);

  /* a stream whose request ended before its headers were written (once they are, the connection
   * is the stream's and libsoup says nothing more of it) */
  if (stream)
    stream_close (stream);
}

static void
streams_record (GPtrArray    *list,
                guint64       seq,
                WcRecordType  type,
                JsonObject   *data,
                gint64        t_ms,
                GHashTable   *cache)
{
  const char *type_name = wc_record_type_to_string (type);

  for (guint i = 0; list && i < list->len; i++)
    {
      WcStream *stream = g_ptr_array_index (list, i);

      /* its replay reaches this record in the journal */
      if (!stream->replaying)
        stream_record (stream, seq, type, type_name, data, t_ms, TRUE, cache);
    }
}

static void
on_engine_record (WcEngine     *engine,
                  guint64       seq,
                  WcRecordType  type,
                  JsonObject   *data,
                  gint64        t_ms,
                  WcSse        *self)
{
  streams_record (self->control_streams, seq, type, data, t_ms, NULL);
  switch (team_event_for (type))
    {
    case TEAM_EVENT_INJECT:
      {
        g_autoptr(GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             g_free);
        JsonArray *teams = wc_record_get_teams (data);

        for (guint k = 0; teams && k < json_array_get_length (teams); k++)
          streams_record (g_hash_table_lookup (self->team_streams,
                                               json_array_get_string_element (teams, k)),
                          seq, type, data, t_ms, cache);
      }
      break;

    case TEAM_EVENT_STATE:
      if (wc_record_get_team (data) != NULL)
        streams_record (g_hash_table_lookup (self->team_streams, wc_record_get_team (data)),
                        seq, type, data, t_ms, NULL);
      break;

    case TEAM_EVENT_EXERCISE:
      {
        GHashTableIter iter;
        gpointer value;

        g_hash_table_iter_init (&iter, self->team_streams);
        while (g_hash_table_iter_next (&iter, NULL, &value))
          streams_record (value, seq, type, data, t_ms, NULL);
      }
      break;

    case TEAM_EVENT_TRAFFIC:
      {
        /* the sender and each recipient: work in proportion to the item's teams, not to all */
        const WcTrafficItem *item = wc_engine_find_message (engine,
                                                            wc_record_get_string (data, "message"));
        g_autoptr(GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             g_free);

        if (item == NULL)
          break;
        if (item->from)
          streams_record (g_hash_table_lookup (self->team_streams, item->from), seq, type, data,
                          t_ms, cache);
        for (guint k = 0; item->to && k < item->to->len; k++)
          if (g_strcmp0 (g_ptr_array_index (item->to, k), item->from) != 0)
            streams_record (g_hash_table_lookup (self->team_streams,
                                                 g_ptr_array_index (item->to, k)),
                            seq, type, data, t_ms, cache);
      }
      break;

    case TEAM_EVENT_TRAFFIC_ACK:
      {
        const WcTrafficItem *item = wc_engine_find_message (engine,
                                                            wc_record_get_string (data, "message"));
        const char *team = wc_record_get_team (data);

        if (item && item->from && g_strcmp0 (item->from, team) != 0)
          streams_record (g_hash_table_lookup (self->team_streams, item->from), seq, type, data,
                          t_ms, NULL);
        if (team)
          streams_record (g_hash_table_lookup (self->team_streams, team), seq, type, data, t_ms,
                          NULL);
      }
      break;

    case TEAM_EVENT_NONE:
    default:
      break;
    }
}

/* At most a presence record per team each 5 s; a page back within 3 s (a network blip) records
 * nothing. */
#define WC_SSE_PRESENCE_INTERVAL_MS 5000
#define WC_SSE_PRESENCE_GRACE_MS    3000

WcSse *
wc_sse_new (WcEngine   *engine,
            WcPresence *presence)
{
  WcSse *self = g_object_new (WC_TYPE_SSE, NULL);

  self->engine = g_object_ref (engine);
  self->presence = g_object_ref (presence);
  /* where streams open and close is where presence changes: the review replays it */
  wc_presence_set_journal (presence, engine, WC_SSE_PRESENCE_INTERVAL_MS, WC_SSE_PRESENCE_GRACE_MS);
  g_signal_connect (engine, "record", G_CALLBACK (on_engine_record), self);
  self->sweep_id = g_timeout_add_seconds (1, sweep_streams, self);
  return self;
}

void
wc_sse_keepalive (WcSse *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    stream_write (key, ": ping\n\n", strlen (": ping\n\n"));
}

void
wc_sse_close_all (WcSse *self)
{
  GHashTableIter iter;
  gpointer key;

  if (self->deliveries_idle_id)
    {
      g_clear_handle_id (&self->deliveries_idle_id, g_source_remove);
      flush_deliveries (self);
    }
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      WcStream *stream = key;

      if (stream->closed || stream->finishing)
        continue;
      if (stream->msg)
        {
          /* its headers are not out yet: libsoup ends the response, empty */
          SoupServerMessage *msg = stream->msg;

          g_signal_handlers_disconnect_by_func (msg, on_wrote_headers, stream);
          stream->finishing = TRUE;
          soup_message_body_complete (soup_server_message_get_response_body (msg));
          soup_server_message_unpause (msg);
          continue;
        }
      /* the last chunk, after what the client has not read yet; then the connection closes */
      stream_append (stream, "0\r\n\r\n", 5);
      stream->finishing = TRUE;
      stream_flush (stream);
    }
}
