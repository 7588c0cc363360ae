/* wc-sse.c: Server-Sent Events: each team's stream of injects and state changes, and the
 * controller's stream of every record. Event ids are journal sequence numbers, so a client that
 * reconnects with Last-Event-ID misses nothing. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <string.h>

#include "wc-server-private.h"

static char *
node_to_line (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  /* Not pretty: one line, as SSE's data field wants (newlines in strings are escaped). */
  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

static void
stream_write (WcStream   *stream,
              const char *text,
              gsize       length)
{
  SoupMessageBody *body;

  if (stream->closed)
    return;
  /* A client that stops reading is dropped, not buffered for forever. */
  if (stream->queued + length > stream->server->limits.max_stream_backlog)
    {
      GSocket *socket = soup_server_message_get_socket (stream->msg);

      g_debug ("dropping an event stream that stopped reading (%" G_GSIZE_FORMAT " bytes queued)",
               stream->queued);
      stream->closed = TRUE;
      if (socket)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
      return;
    }
  body = soup_server_message_get_response_body (stream->msg);
  soup_message_body_append (body, SOUP_MEMORY_COPY, text, length);
  stream->queued += length;
  soup_server_message_unpause (stream->msg);
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

  stream_write (stream, text, strlen (text));
}

static void
on_wrote_body_data (SoupServerMessage *msg,
                    guint              size,
                    WcStream          *stream)
{
  stream->queued = size > stream->queued ? 0 : stream->queued - size;
}

static JsonNode *
record_json (guint64     seq,
             WcRecordType type,
             JsonObject *data,
             gint64      t_ms)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, seq);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, wc_record_type_to_string (type));
  json_builder_set_member_name (b, "t_ms");
  json_builder_add_int_value (b, t_ms);
  json_builder_set_member_name (b, "data");
  json_builder_add_value (b, json_node_init_object (json_node_alloc (), data));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
is_clock_record (WcRecordType type)
{
  return wc_record_type_has_flag (type, WC_RECORD_FLAG_CLOCK) ||
         type == WC_RECORD_JOURNAL_REOPENED;
}

/* What a team's page shows changing: its acknowledgements and answers (made from another tab or
 * its own tools). Deliveries are not sent back: the team knows what it received, and after an
 * inject to a thousand teams that would be a thousand more events. */
static gboolean
is_team_state_record (WcRecordType type)
{
  return type == WC_RECORD_INJECT_ACKNOWLEDGED || type == WC_RECORD_RESPONSE;
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
      g_autoptr(JsonNode) node = wc_server_inject_json (stream->server, inject, stream->team,
                                                        stream->lang);
      g_autofree char *line = node_to_line (node);
      char *event = g_strdup_printf ("id: %" G_GUINT64_FORMAT "\nevent: inject\ndata: %s\n\n", seq,
                                     line);

      g_hash_table_insert (cache, g_strdup (stream->lang), event);
      text = event;
    }
  return text;
}

/* What one record means for one stream. @live: it just happened (not a replay). @cache: events
 * shared by the streams of one record (nullable). */
static void
stream_record (WcStream   *stream,
               guint64     seq,
               WcRecordType type,
               JsonObject *data,
               gint64      t_ms,
               gboolean    live,
               GHashTable *cache)
{
  WcServer *self = stream->server;
  const char *inject = json_object_get_string_member_with_default (data, "inject", NULL);

  if (stream->team == NULL)
    {
      g_autoptr(JsonNode) node = record_json (seq, type, data, t_ms);

      stream_event (stream, seq, "record", node);
      return;
    }
  if (type == WC_RECORD_INJECT_FIRED)
    {
      JsonArray *teams = json_object_get_array_member (data, "teams");
      g_autoptr(JsonNode) node = NULL;
      /* live, the caller found this stream by its team among the record's: no need to look again
       * (which, for an inject to a thousand teams, would be a million comparisons) */
      gboolean ours = cache != NULL;

      for (guint i = 0; i < json_array_get_length (teams) && !ours; i++)
        ours = strcmp (json_array_get_string_element (teams, i), stream->team) == 0;
      if (!ours)
        return;
      /* Live, the inject has just reached the team, which has done nothing with it yet. */
      if (cache)
        {
          const char *text = fresh_inject_event (stream, cache, seq, inject);

          stream_write (stream, text, strlen (text));
        }
      else
        {
          node = wc_server_inject_json (self, inject, stream->team, stream->lang);
          stream_event (stream, seq, "inject", node);
        }
      if (live)
        wc_server_note_delivered (self, inject, stream->team);
    }
  else if (is_team_state_record (type) &&
           g_strcmp0 (json_object_get_string_member_with_default (data, "team", NULL),
                      stream->team) == 0)
    {
      g_autoptr(JsonObject) event = json_object_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_string_member (event, "inject", inject);
      json_object_set_member (event, "state", wc_server_team_state_json (self, inject, stream->team));
      json_node_set_object (node, event);
      stream_event (stream, seq, "state", node);
    }
  else if (is_clock_record (type))
    {
      g_autoptr(JsonNode) node = wc_server_exercise_json (self);

      stream_event (stream, seq, "exercise", node);
    }
}

void
wc_server_open_stream (WcServer          *self,
                       SoupServerMessage *msg,
                       const char        *team,
                       const char        *lang,
                       guint64            last_event_id)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  WcJournal *journal = wc_engine_get_journal (self->engine);
  guint n = wc_journal_get_n_records (journal);
  WcStream *stream = g_new0 (WcStream, 1);
  g_autoptr(JsonNode) snapshot = NULL;
  guint64 last_seq = n > 0 ? wc_journal_get_record (journal, n - 1)->seq : 0;

  stream->server = self;
  stream->msg = msg;
  stream->team = g_strdup (team);
  stream->lang = g_strdup (lang);
  g_hash_table_insert (self->streams, msg, stream);
  if (team)
    {
      GPtrArray *list = g_hash_table_lookup (self->team_streams, team);

      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (self->team_streams, g_strdup (team), list);
        }
      g_ptr_array_add (list, stream);
      wc_server_touch_team (self, team, +1);
    }
  else
    g_ptr_array_add (self->control_streams, stream);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Accel-Buffering", "no");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  /* Written events are not kept: a stream lives for hours. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), stream);

  stream_write (stream, "retry: 2000\n\n", strlen ("retry: 2000\n\n"));
  if (last_event_id > 0)
    {
      /* Everything this client missed, from the journal, in order. Records are numbered from 1
       * without gaps, so the first to send is at index last_event_id. */
      for (guint i = (guint) MIN (last_event_id, (guint64) n); i < n; i++)
        {
          const WcJournalRecord *r = wc_journal_get_record (journal, i);

          if (r->seq > last_event_id)
            stream_record (stream, r->seq, wc_record_type_from_string (r->type), r->data, r->t_ms, FALSE, NULL);
        }
    }
  else
    {
      snapshot = wc_server_exercise_json (self);
      stream_event (stream, last_seq, "exercise", snapshot);
    }
  /* libsoup pauses the response by itself whenever it has written every chunk; each event then
   * appends a chunk and unpauses it. */
}

void
wc_server_streams_on_record (WcServer   *self,
                             guint64     seq,
                             WcRecordType type,
                             JsonObject *data,
                             gint64      t_ms)
{
  g_autoptr(GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *team = json_object_get_string_member_with_default (data, "team", NULL);
  GPtrArray *list;

  for (guint i = 0; i < self->control_streams->len; i++)
    stream_record (g_ptr_array_index (self->control_streams, i), seq, type, data, t_ms, TRUE, NULL);
  if (type == WC_RECORD_INJECT_FIRED)
    {
      JsonArray *teams = json_object_get_array_member (data, "teams");

      for (guint k = 0; k < json_array_get_length (teams); k++)
        if ((list = g_hash_table_lookup (self->team_streams, json_array_get_string_element (teams, k))))
          for (guint i = 0; i < list->len; i++)
            stream_record (g_ptr_array_index (list, i), seq, type, data, t_ms, TRUE, cache);
    }
  else if (is_team_state_record (type) && team != NULL)
    {
      if ((list = g_hash_table_lookup (self->team_streams, team)))
        for (guint i = 0; i < list->len; i++)
          stream_record (g_ptr_array_index (list, i), seq, type, data, t_ms, TRUE, NULL);
    }
  else if (is_clock_record (type))
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->team_streams);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        for (guint i = 0; i < ((GPtrArray *) value)->len; i++)
          stream_record (g_ptr_array_index ((GPtrArray *) value, i), seq, type, data, t_ms, TRUE,
                         NULL);
    }
}

void
wc_server_streams_keepalive (WcServer *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    stream_write (value, ": ping\n\n", strlen (": ping\n\n"));
}

void
wc_server_close_streams (WcServer *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      WcStream *stream = value;

      if (stream->closed)
        continue;
      stream->closed = TRUE;
      soup_message_body_complete (soup_server_message_get_response_body (stream->msg));
      soup_server_message_unpause (stream->msg);
    }
}
