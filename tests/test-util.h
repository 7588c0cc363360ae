/* test-util.h: helpers shared by the GTest suites. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Iterates the default main context until @cond holds, @seconds at most, then asserts it. A
 * test that polls sockets the context does not watch (in @cond) passes FALSE for @may_block. */
#define WC_TEST_WAIT_UNTIL(cond, seconds, may_block)                                      \
  G_STMT_START {                                                                          \
    gint64 _deadline = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC;              \
    while (!(cond) && g_get_monotonic_time () < _deadline)                                \
      g_main_context_iteration (NULL, (may_block));                                       \
    g_assert_true (cond);                                                                 \
  } G_STMT_END

/* Removes a test's temporary folder @dir and all below it (links are removed, not followed). */
void wc_test_remove_dir (const char *dir);

/* Writes @text to @dir/@name and loads it as a scenario, asserting that it loads. */
typedef struct _WcScenario WcScenario;
WcScenario *wc_test_load_scenario (const char *dir,
                                   const char *name,
                                   const char *text);

/* HTTP clients of a test's server --------------------------------------------------------- */

/* @method @url with @token as a bearer (nullable) and @body of @content_type (nullable), waited
 * for in the default main context; the status, the reply's bytes in @out and its type in @type
 * (both nullable). */
guint wc_test_http_send (SoupSession  *session,
                         const char   *method,
                         const char   *url,
                         const char   *token,
                         const char   *content_type,
                         GBytes       *body,
                         GBytes      **out,
                         char        **type);
/* The same with a JSON body @json (nullable); the reply's object in @reply (nullable; NULL when
 * the reply is not one). */
guint wc_test_http_json (SoupSession  *session,
                         const char   *method,
                         const char   *url,
                         const char   *token,
                         const char   *json,
                         JsonObject  **reply);
/* @bytes (nullable) parsed as JSON, or NULL when they are empty or not JSON. */
JsonNode *wc_test_parse_json (GBytes *bytes);

/* A server on 127.0.0.1, any free port, that hands every request to @callback (a webhook
 * receiver, say); its URL in @url. */
SoupServer *wc_test_receiver_new (SoupServerCallback   callback,
                                  gpointer             user_data,
                                  char               **url);

/* An event stream (text/event-stream) read line by line as the main context runs. */
typedef struct {
  char *id;     /* the last id seen, as a browser keeps it (nullable) */
  char *event;
  char *data;   /* the last "data:" line (nullable) */
} WcTestEvent;

typedef struct {
  GInputStream     *stream;
  GDataInputStream *data;
  GCancellable     *cancellable;
  GPtrArray        *events;   /* WcTestEvent */
  WcTestEvent       pending;
  gboolean          open;
} WcTestStream;

/* GETs @url with @last_id as Last-Event-ID (nullable) and waits for the first event. */
WcTestStream *wc_test_stream_open  (SoupSession  *session,
                                    const char   *url,
                                    const char   *last_id);
void          wc_test_stream_close (WcTestStream *s);
/* How many events named @event (NULL: any) the stream has whose data holds @needle (NULL: any). */
guint         wc_test_stream_count (WcTestStream *s,
                                    const char   *event,
                                    const char   *needle);

/* A clock for wc_engine_set_clock_func() that a test moves: @now_us points to its time (gint64). */
gint64 wc_test_fake_clock (gpointer now_us);

/* Appends a record of @type whose data is the JSON object @json, asserting that it is written. */
typedef struct _WcJournal WcJournal;
void wc_test_append (WcJournal  *journal,
                     gint64      t_ms,
                     const char *type,
                     const char *json);

/* Plays @scenario headless on a fake clock past its planned end (manual injects fired by hand)
 * and asserts that every inject fired; the journal goes to a temporary folder, removed after. */
void wc_test_play_to_end (WcScenario *scenario);

G_END_DECLS
