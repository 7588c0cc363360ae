/* test-util.c: helpers shared by the GTest suites. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-util.h"
#include "wc-engine.h"
#include "wc-scenario-loader.h"

void
wc_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (g_file_test (dir, G_FILE_TEST_IS_SYMLINK) || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_unlink (dir);
      return;
    }
  d = g_dir_open (dir, 0, NULL);
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      wc_test_remove_dir (path);
    }
  g_rmdir (dir);
}

WcScenario *
wc_test_load_scenario (const char *dir,
                       const char *name,
                       const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (name);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  WcScenario *scenario;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  scenario = wc_scenario_load (path, diag, &error);
  g_assert_no_error (error);
  return scenario;
}

typedef struct {
  gboolean done;
  guint    status;
  GBytes  *body;
  char    *type;
} Reply;

static void
on_reply (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Reply *r = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  r->status = soup_message_get_status (msg);
  r->type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                             NULL));
  r->done = TRUE;
}

guint
wc_test_http_send (SoupSession  *session,
                   const char   *method,
                   const char   *url,
                   const char   *token,
                   const char   *content_type,
                   GBytes       *body,
                   GBytes      **out,
                   char        **type)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Reply r = { 0 };

  g_assert_nonnull (msg);
  if (token)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_reply, &r);
  WC_TEST_WAIT_UNTIL (r.done, 20, TRUE);
  if (out)
    *out = g_steal_pointer (&r.body);
  if (type)
    *type = g_steal_pointer (&r.type);
  g_clear_pointer (&r.body, g_bytes_unref);
  g_free (r.type);
  return r.status;
}

guint
wc_test_http_json (SoupSession  *session,
                   const char   *method,
                   const char   *url,
                   const char   *token,
                   const char   *json,
                   JsonObject  **reply)
{
  g_autoptr(GBytes) body = json ? g_bytes_new (json, strlen (json)) : NULL;
  g_autoptr(GBytes) out = NULL;
  guint status = wc_test_http_send (session, method, url, token, "application/json", body, &out,
                                    NULL);

  if (reply)
    {
      g_autoptr(JsonNode) node = wc_test_parse_json (out);

      *reply = node && JSON_NODE_HOLDS_OBJECT (node) ? json_object_ref (json_node_get_object (node))
                                                     : NULL;
    }
  return status;
}

JsonNode *
wc_test_parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &size) : NULL;

  if (size > 0 && json_parser_load_from_data (parser, data, size, NULL))
    return json_node_ref (json_parser_get_root (parser));
  return NULL;
}

SoupServer *
wc_test_receiver_new (SoupServerCallback   callback,
                      gpointer             user_data,
                      char               **url)
{
  g_autoptr(GError) error = NULL;
  SoupServer *server = soup_server_new (NULL, NULL);
  GSList *uris;

  soup_server_add_handler (server, NULL, callback, user_data, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  *url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return server;
}

static void read_line (WcTestStream *s);

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  WcTestStream *s = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, NULL, NULL);

  if (line == NULL)
    {
      s->open = FALSE;
      return;
    }
  if (g_str_has_prefix (line, "id: "))
    {
      g_free (s->pending.id);
      s->pending.id = g_strdup (line + 4);
    }
  else if (g_str_has_prefix (line, "event: "))
    {
      g_free (s->pending.event);
      s->pending.event = g_strdup (line + 7);
    }
  else if (g_str_has_prefix (line, "data: "))
    {
      g_free (s->pending.data);
      s->pending.data = g_strdup (line + 6);
    }
  else if (*line == '\0' && s->pending.event)
    {
      WcTestEvent *e = g_new0 (WcTestEvent, 1);

      /* the id stays for the events after (as a browser's Last-Event-ID does) */
      e->id = g_strdup (s->pending.id);
      e->event = g_steal_pointer (&s->pending.event);
      e->data = g_steal_pointer (&s->pending.data);
      g_ptr_array_add (s->events, e);
    }
  read_line (s);
}

static void
read_line (WcTestStream *s)
{
  g_data_input_stream_read_line_async (s->data, G_PRIORITY_DEFAULT, s->cancellable, on_line, s);
}

static void
on_stream (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  WcTestStream *s = user_data;

  s->stream = soup_session_send_finish (SOUP_SESSION (source), result, NULL);
  g_assert_nonnull (s->stream);
  s->data = g_data_input_stream_new (s->stream);
  s->open = TRUE;
  read_line (s);
}

static void
event_clear (WcTestEvent *e)
{
  g_clear_pointer (&e->id, g_free);
  g_clear_pointer (&e->event, g_free);
  g_clear_pointer (&e->data, g_free);
}

static void
event_free (gpointer e)
{
  event_clear (e);
  g_free (e);
}

WcTestStream *
wc_test_stream_open (SoupSession *session,
                     const char  *url,
                     const char  *last_id)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  WcTestStream *s = g_new0 (WcTestStream, 1);

  s->events = g_ptr_array_new_with_free_func (event_free);
  s->cancellable = g_cancellable_new ();
  if (last_id)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Last-Event-ID", last_id);
  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, s->cancellable, on_stream, s);
  WC_TEST_WAIT_UNTIL (s->open && s->events->len >= 1, 20, TRUE);
  return s;
}

void
wc_test_stream_close (WcTestStream *s)
{
  g_cancellable_cancel (s->cancellable);
  if (s->stream)
    g_input_stream_close (s->stream, NULL, NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&s->data);
  g_clear_object (&s->stream);
  g_clear_object (&s->cancellable);
  g_ptr_array_unref (s->events);
  event_clear (&s->pending);
  g_free (s);
}

guint
wc_test_stream_count (WcTestStream *s,
                      const char   *event,
                      const char   *needle)
{
  guint n = 0;

  for (guint i = 0; i < s->events->len; i++)
    {
      const WcTestEvent *e = g_ptr_array_index (s->events, i);

      n += (event == NULL || g_strcmp0 (e->event, event) == 0) &&
           (needle == NULL || (e->data && strstr (e->data, needle) != NULL));
    }
  return n;
}

gint64
wc_test_fake_clock (gpointer now_us)
{
  return *(gint64 *) now_us;
}

void
wc_test_append (WcJournal  *journal,
                gint64      t_ms,
                const char *type,
                const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_cmpuint (wc_journal_append (journal, t_ms, type,
                                       json_node_get_object (json_parser_get_root (parser)), &error),
                    >, 0);
}

void
wc_test_play_to_end (WcScenario *s)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("whitecell-play-XXXXXX", &error);
  g_autofree char *journal = g_build_filename (dir, "journal.jsonl", NULL);
  gint64 now_us = 1000000, end_us;
  WcEngine *engine;

  g_assert_no_error (error);
  wc_scenario_set_sha256 (s, "0000000000000000000000000000000000000000000000000000000000000000");
  engine = wc_engine_new (s, journal, &error);
  g_assert_no_error (error);
  wc_engine_set_clock_func (engine, wc_test_fake_clock, &now_us);
  g_assert_true (wc_engine_start (engine, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < wc_scenario_get_n_injects (s); i++)
    if (wc_scenario_get_inject (s, i)->trigger == WC_TRIGGER_MANUAL)
      g_assert_true (wc_engine_fire_inject (engine, wc_scenario_get_inject (s, i)->id, &error));
  end_us = now_us + (wc_scenario_get_duration_ms (s) + 60000) * 1000;
  while (now_us < end_us)
    {
      now_us += 10 * 1000 * 1000;
      wc_engine_process (engine);
    }
  for (guint i = 0; i < wc_scenario_get_n_injects (s); i++)
    {
      const WcInject *inject = wc_scenario_get_inject (s, i);

      g_test_message ("%s: %d", inject->id, wc_engine_get_inject_status (engine, inject->id));
      g_assert_cmpint (wc_engine_get_inject_status (engine, inject->id), ==, WC_INJECT_FIRED);
    }
  if (wc_engine_get_state (engine) != WC_ENGINE_ENDED)
    g_assert_true (wc_engine_end (engine, "test", &error));
  g_assert_no_error (error);
  g_assert_finalize_object (engine);
  wc_test_remove_dir (dir);
}
