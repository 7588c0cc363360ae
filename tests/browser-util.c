/* browser-util.c: headless Chromium over the DevTools protocol on a pipe, for the browser tests. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <string.h>
#include <unistd.h>

#include "browser-util.h"
#include "test-util.h"

struct _WcBrowser {
  GSubprocess *chromium;
  int          to_chromium;
  int          from_chromium;
  guint        watch;
  GString     *incoming;
  GHashTable  *replies;     /* id → JsonNode (the message) */
  gint         next_id;
  char        *session;
  char        *profile;
  gboolean     chromium_gone;
};

char *
wc_browser_find (void)
{
  const char *env = g_getenv ("WC_CHROMIUM");
  static const char *const names[] = { "chromium", "chromium-browser", "google-chrome", NULL };

  if (env && *env)
    return g_strdup (env);
  for (guint i = 0; names[i]; i++)
    {
      char *path = g_find_program_in_path (names[i]);

      if (path)
        return path;
    }
  return NULL;
}

static void
skip_test (void)
{
  g_test_skip ("Debian's chromium is not installed (apt-get install chromium)");
}

gboolean
wc_browser_available (const char *path)
{
  g_autofree char *chromium = wc_browser_find ();

  if (chromium == NULL)
    g_test_add_func (path, skip_test);
  return chromium != NULL;
}

static gboolean
on_chromium_output (int          fd,
                    GIOCondition condition,
                    gpointer     user_data)
{
  WcBrowser *self = user_data;
  char buffer[65536];
  ssize_t n;
  char *nul;

  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (self->incoming, buffer, n);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
    {
      self->chromium_gone = TRUE;
      self->watch = 0;
      return G_SOURCE_REMOVE;
    }
  while ((nul = memchr (self->incoming->str, '\0', self->incoming->len)) != NULL)
    {
      gsize length = nul - self->incoming->str;
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, self->incoming->str, length, NULL))
        {
          JsonObject *message = json_node_get_object (json_parser_get_root (parser));

          /* replies carry their command's id; events (no id) are not needed here */
          if (json_object_has_member (message, "id"))
            g_hash_table_insert (self->replies,
                                 GINT_TO_POINTER ((gint) json_object_get_int_member (message, "id")),
                                 json_node_copy (json_parser_get_root (parser)));
        }
      g_string_erase (self->incoming, 0, length + 1);
    }
  return G_SOURCE_CONTINUE;
}

JsonObject *
wc_browser_cdp (WcBrowser  *self,
                const char *method,
                JsonObject *params)
{
  g_autoptr(JsonObject) command = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  gint id = ++self->next_id;
  gint64 deadline = g_get_monotonic_time () + WC_BROWSER_TIMEOUT_S * G_USEC_PER_SEC;
  JsonNode *reply;
  JsonObject *message;
  gsize written = 0, length;

  json_object_set_int_member (command, "id", id);
  json_object_set_string_member (command, "method", method);
  json_object_set_object_member (command, "params", params ? params : json_object_new ());
  if (self->session)
    json_object_set_string_member (command, "sessionId", self->session);
  json_node_set_object (node, command);
  text = json_to_string (node, FALSE);
  length = strlen (text) + 1;  /* with its NUL */
  while (written < length)
    {
      ssize_t n = write (self->to_chromium, text + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      written += n;
    }
  while (!g_hash_table_contains (self->replies, GINT_TO_POINTER (id)) && !self->chromium_gone &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  reply = g_hash_table_lookup (self->replies, GINT_TO_POINTER (id));
  if (reply == NULL)
    g_error ("Chromium did not answer %s", method);
  message = json_node_get_object (reply);
  if (json_object_has_member (message, "error"))
    g_error ("%s failed: %s", method,
             json_object_get_string_member (json_object_get_object_member (message, "error"), "message"));
  return json_object_get_object_member (message, "result");
}

void
wc_browser_navigate (WcBrowser  *self,
                     const char *url)
{
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "url", url);
  wc_browser_cdp (self, "Page.navigate", params);
}

char *
wc_browser_evaluate (WcBrowser  *self,
                     const char *expression)
{
  JsonObject *params = json_object_new ();
  JsonObject *result, *value;
  JsonNode *v;

  json_object_set_string_member (params, "expression", expression);
  json_object_set_boolean_member (params, "returnByValue", TRUE);
  json_object_set_boolean_member (params, "awaitPromise", TRUE);
  result = wc_browser_cdp (self, "Runtime.evaluate", params);
  if (json_object_has_member (result, "exceptionDetails"))
    g_error ("%s threw: %s", expression,
             json_object_get_string_member_with_default (
               json_object_get_object_member (result, "exceptionDetails"), "text", "?"));
  value = json_object_get_object_member (result, "result");
  v = json_object_get_member (value, "value");
  if (v == NULL || JSON_NODE_HOLDS_NULL (v))
    return g_strdup ("");
  if (json_node_get_value_type (v) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (v));
  return json_to_string (v, FALSE);
}

void
wc_browser_run (WcBrowser  *self,
                const char *expression)
{
  g_free (wc_browser_evaluate (self, expression));
}

void
wc_browser_wait_for (WcBrowser  *self,
                     const char *expression,
                     const char *expected)
{
  gint64 deadline = g_get_monotonic_time () + WC_BROWSER_TIMEOUT_S * G_USEC_PER_SEC;
  g_autofree char *value = NULL;
  /* an element not there yet is not a failure, only not yet */
  g_autofree char *guarded = g_strdup_printf ("(async () => { try { return await (%s); } "
                                              "catch (e) { return 'exception: ' + e.message; } })()",
                                              expression);

  for (;;)
    {
      g_free (value);
      value = wc_browser_evaluate (self, guarded);
      if (g_strcmp0 (value, expected) == 0 || g_get_monotonic_time () > deadline)
        break;
      /* let the server and the page work for a moment */
      {
        gint64 pause = g_get_monotonic_time () + 100 * 1000;

        while (g_get_monotonic_time () < pause)
          g_main_context_iteration (NULL, FALSE);
        g_usleep (5000);
      }
    }
  g_test_message ("%s → %s", expression, value);
  g_assert_cmpstr (value, ==, expected);
}

void
wc_browser_wait_until (gboolean (*done) (gpointer data),
                       gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + WC_BROWSER_TIMEOUT_S * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done (data));
}

void
wc_browser_screenshot (WcBrowser  *self,
                       const char *name)
{
  JsonObject *params = json_object_new ();
  JsonObject *result;
  g_autofree guchar *png = NULL;
  const char *dir = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *path = g_build_filename (dir ? dir : ".", name, NULL);
  gsize length;

  json_object_set_string_member (params, "format", "png");
  result = wc_browser_cdp (self, "Page.captureScreenshot", params);
  png = g_base64_decode (json_object_get_string_member (result, "data"), &length);
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_file_set_contents (path, (char *) png, length, NULL));
  g_test_message ("screenshot: %s", path);
}

void
wc_browser_set_viewport (WcBrowser *self,
                         int        width,
                         int        height,
                         gboolean   mobile)
{
  JsonObject *params = json_object_new ();

  json_object_set_int_member (params, "width", width);
  json_object_set_int_member (params, "height", height);
  json_object_set_double_member (params, "deviceScaleFactor", 1);
  json_object_set_boolean_member (params, "mobile", mobile);
  wc_browser_cdp (self, "Emulation.setDeviceMetricsOverride", params);
}

void
wc_browser_set_dark (WcBrowser *self,
                     gboolean   dark)
{
  JsonObject *params = json_object_new ();
  JsonObject *feature = json_object_new ();
  JsonArray *features = json_array_new ();

  json_object_set_string_member (feature, "name", "prefers-color-scheme");
  json_object_set_string_member (feature, "value", dark ? "dark" : "light");
  json_array_add_object_element (features, feature);
  json_object_set_array_member (params, "features", features);
  wc_browser_cdp (self, "Emulation.setEmulatedMedia", params);
}

WcBrowser *
wc_browser_new (const char *chromium,
                const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *profile_arg = NULL;
  WcBrowser *self = g_new0 (WcBrowser, 1);
  int in_pipe[2], out_pipe[2];
  JsonObject *params, *result;

  self->profile = g_build_filename (dir, "chromium-profile", NULL);
  profile_arg = g_strconcat ("--user-data-dir=", self->profile, NULL);

  self->replies = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) json_node_unref);
  self->incoming = g_string_new (NULL);

  /* Chromium reads commands on fd 3 and writes on fd 4 */
  g_assert_true (g_unix_open_pipe (in_pipe, FD_CLOEXEC, NULL));
  g_assert_true (g_unix_open_pipe (out_pipe, FD_CLOEXEC, NULL));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_take_fd (launcher, in_pipe[0], 3);
  g_subprocess_launcher_take_fd (launcher, out_pipe[1], 4);
  self->chromium = g_subprocess_launcher_spawn (launcher, &error, chromium, "--headless",
                                                "--no-sandbox", "--disable-gpu",
                                                "--disable-dev-shm-usage", "--no-first-run",
                                                "--no-default-browser-check",
                                                "--disable-extensions",
                                                "--remote-debugging-pipe", "--lang=en-GB",
                                                profile_arg, "about:blank", NULL);
  g_assert_no_error (error);
  self->to_chromium = in_pipe[1];
  self->from_chromium = out_pipe[0];
  g_assert_true (g_unix_set_fd_nonblocking (self->from_chromium, TRUE, NULL));
  self->watch = g_unix_fd_add (self->from_chromium, G_IO_IN | G_IO_HUP | G_IO_ERR,
                               on_chromium_output, self);

  /* a page of our own, and a session to talk to it */
  params = json_object_new ();
  json_object_set_string_member (params, "url", "about:blank");
  result = wc_browser_cdp (self, "Target.createTarget", params);
  params = json_object_new ();
  json_object_set_string_member (params, "targetId", json_object_get_string_member (result, "targetId"));
  json_object_set_boolean_member (params, "flatten", TRUE);
  result = wc_browser_cdp (self, "Target.attachToTarget", params);
  self->session = g_strdup (json_object_get_string_member (result, "sessionId"));
  wc_browser_cdp (self, "Page.enable", NULL);
  wc_browser_cdp (self, "Runtime.enable", NULL);
  wc_browser_set_viewport (self, 1000, 1200, FALSE);
  return self;
}

void
wc_browser_free (WcBrowser *self)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  static const char close_command[] = "{\"id\": 0, \"method\": \"Browser.close\"}";

  /* Asked to close, Chromium ends its helper processes too, which stop writing in the profile
   * before the test removes it; its end of the pipe closing says it is done. */
  if (!self->chromium_gone &&
      write (self->to_chromium, close_command, sizeof close_command) == sizeof close_command)
    while (!self->chromium_gone && g_get_monotonic_time () < deadline)
      {
        /* not blocking: a Chromium that never closes the pipe must not hang the test */
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (10000);
      }
  if (self->watch)
    g_source_remove (self->watch);
  close (self->to_chromium);
  close (self->from_chromium);
  g_subprocess_force_exit (self->chromium);
  g_subprocess_wait (self->chromium, NULL, NULL);
  g_object_unref (self->chromium);
  /* Chromium's profile is a tree of its own */
  {
    const char *argv[] = { "rm", "-rf", self->profile, NULL };
    gint status = -1;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                                 NULL, &status, NULL));
    g_assert_cmpint (status, ==, 0);
  }
  g_free (self->profile);
  g_hash_table_unref (self->replies);
  g_string_free (self->incoming, TRUE);
  g_free (self->session);
  g_free (self);
}

void
wc_browser_exercise_open (WcBrowserExercise *x,
                          char              *dir,
                          WcScenario        *scenario)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *chromium = wc_browser_find ();

  x->dir = dir;
  x->scenario = scenario;
  x->journal = g_build_filename (dir, "journal.jsonl", NULL);
  x->engine = wc_engine_new (scenario, x->journal, &error);
  g_assert_no_error (error);
  x->tokens = wc_tokens_generate (scenario, &error);
  g_assert_no_error (error);
  x->server = wc_server_new (x->engine, x->tokens);
  g_assert_true (wc_server_listen (x->server, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  x->browser = wc_browser_new (chromium, dir);
}

void
wc_browser_exercise_close (WcBrowserExercise *x)
{
  wc_browser_free (x->browser);
  wc_server_disconnect (x->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (x->server);
  g_assert_finalize_object (x->engine);
  g_object_unref (x->tokens);
  g_object_unref (x->scenario);
  wc_test_remove_dir (x->dir);
  g_free (x->dir);
  g_free (x->journal);
}
