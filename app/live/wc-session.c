/* wc-session.c: everything one running exercise needs, made and torn down together. */
#define G_LOG_DOMAIN "wc-session"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "wc-scenario-loader.h"
#include "wc-session.h"
#include "wc-webhooks.h"

struct _WcSession {
  GObject     parent_instance;
  WcScenario *scenario;
  WcEngine   *engine;
  WcTokens   *tokens;
  WcServer   *server;
  WcWebhooks *webhooks;
  WcLive     *live;
  char       *journal_path;
  char       *warning;
  gboolean    closed;
};

G_DEFINE_FINAL_TYPE (WcSession, wc_session, G_TYPE_OBJECT)

static void
wc_session_dispose (GObject *object)
{
  WcSession *self = WC_SESSION (object);

  wc_session_close (self);
  g_clear_object (&self->live);
  g_clear_object (&self->webhooks);
  g_clear_object (&self->server);
  g_clear_object (&self->engine);
  g_clear_object (&self->tokens);
  g_clear_object (&self->scenario);
  G_OBJECT_CLASS (wc_session_parent_class)->dispose (object);
}

static void
wc_session_finalize (GObject *object)
{
  WcSession *self = WC_SESSION (object);

  g_free (self->journal_path);
  g_free (self->warning);
  G_OBJECT_CLASS (wc_session_parent_class)->finalize (object);
}

static void
wc_session_class_init (WcSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_session_dispose;
  object_class->finalize = wc_session_finalize;
}

static void
wc_session_init (WcSession *self)
{
}

static gboolean
start_serving (WcSession               *self,
               gboolean                 resume,
               const WcSessionOptions  *options,
               GError                 **error)
{
  g_autofree char *tokens_path = wc_tokens_path_for_journal (self->journal_path);
  const char *host = options && options->host && *options->host ? options->host : "127.0.0.1";
  guint port = options ? options->port : 0;
  g_autoptr(GError) listen_error = NULL;

  /* a resumed exercise keeps its teams' links */
  if (resume && g_file_test (tokens_path, G_FILE_TEST_EXISTS))
    self->tokens = wc_tokens_load (tokens_path, self->scenario, error);
  else
    self->tokens = wc_tokens_generate (self->scenario, error);
  if (self->tokens == NULL || !wc_tokens_save (self->tokens, tokens_path, error))
    return FALSE;
  if (options && !options->serve)
    return TRUE;
  self->server = wc_server_new (self->engine, self->tokens);
  if (options && options->public_host && *options->public_host)
    wc_server_set_public_host (self->server, options->public_host);
  if (!wc_server_listen (self->server, host, port, options ? options->certificate : NULL, &listen_error))
    {
      if (options && options->exact_port)
        {
          g_propagate_error (error, g_steal_pointer (&listen_error));
          return FALSE;
        }
      if (port == 0 || !wc_server_listen (self->server, host, 0, options ? options->certificate : NULL, error))
        {
          if (port == 0)
            g_propagate_error (error, g_steal_pointer (&listen_error));
          return FALSE;
        }
      self->warning = g_strdup_printf (_("Port %u is in use (%s); teams are served on port %u "
                                         "instead"),
                                       port, listen_error->message, wc_server_get_port (self->server));
    }
  self->webhooks = wc_webhooks_new (self->server);
  return TRUE;
}

static WcSession *
finish (WcSession               *self,
        gboolean                 resume,
        const WcSessionOptions  *options,
        GError                 **error)
{
  if (!start_serving (self, resume, options, error))
    {
      g_object_unref (self);
      return NULL;
    }
  if (options == NULL || !options->headless)
    self->live = wc_live_new (self->engine, self->server);
  return self;
}

WcSession *
wc_session_new_for_engine (WcEngine                *engine,
                           const char              *journal_path,
                           gboolean                 resume,
                           const WcSessionOptions  *options,
                           GError                 **error)
{
  WcSession *self = g_object_new (WC_TYPE_SESSION, NULL);

  self->engine = g_object_ref (engine);
  self->scenario = g_object_ref (wc_engine_get_scenario (engine));
  self->journal_path = g_strdup (journal_path);
  return finish (self, resume, options, error);
}

WcSession *
wc_session_new (WcScenario              *scenario,
                const char              *journal_path,
                const WcSessionOptions  *options,
                GError                 **error)
{
  g_autoptr(WcSession) self = g_object_new (WC_TYPE_SESSION, NULL);
  g_autofree char *dir = g_path_get_dirname (journal_path);

  self->scenario = g_object_ref (scenario);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not make the folder %s: %s"), dir, g_strerror (saved));
      return NULL;
    }
  self->engine = wc_engine_new (self->scenario, journal_path, error);
  if (self->engine == NULL)
    return NULL;
  self->journal_path = g_strdup (journal_path);
  return finish (g_steal_pointer (&self), FALSE, options, error);
}

WcSession *
wc_session_resume (const char              *journal_path,
                   const WcSessionOptions  *options,
                   WcDiagnostics          **diag_out,
                   GError                 **error)
{
  g_autoptr(WcSession) self = g_object_new (WC_TYPE_SESSION, NULL);
  /* the engine reads the records; here, only which scenario they belong to */
  g_autoptr(JsonObject) header = wc_journal_read_header (journal_path, error);
  g_autofree char *scenario_path = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;

  if (header == NULL)
    return NULL;
  scenario_path = wc_journal_find_scenario (journal_path,
                                            json_object_get_string_member_with_default (header, "scenario_path", NULL));
  if (scenario_path == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("%s does not say which scenario was played"), journal_path);
      return NULL;
    }
  diag = wc_diagnostics_new (scenario_path);
  self->scenario = wc_scenario_load (scenario_path, diag, error);
  if (diag_out)
    *diag_out = g_steal_pointer (&diag);
  if (self->scenario == NULL)
    return NULL;
  self->engine = wc_engine_resume (self->scenario, journal_path, error);
  if (self->engine == NULL)
    return NULL;
  self->journal_path = g_strdup (journal_path);
  return finish (g_steal_pointer (&self), TRUE, options, error);
}

WcScenario *wc_session_get_scenario (WcSession *self) { return self->scenario; }
WcEngine *wc_session_get_engine (WcSession *self) { return self->engine; }
WcServer *wc_session_get_server (WcSession *self) { return self->server; }
WcTokens *wc_session_get_tokens (WcSession *self) { return self->tokens; }
WcLive *wc_session_get_live (WcSession *self) { return self->live; }
const char *wc_session_get_journal_path (WcSession *self) { return self->journal_path; }
const char *wc_session_get_warning (WcSession *self) { return self->warning; }

void
wc_session_close (WcSession *self)
{
  WcEngineState state;

  if (self->closed || self->engine == NULL)
    return;
  self->closed = TRUE;
  if (self->server)
    wc_server_disconnect (self->server);
  state = wc_engine_get_state (self->engine);
  /* a clean stop that a resume carries on from (a paused clock needs none) */
  if (state == WC_ENGINE_RUNNING)
    {
      g_autoptr(GError) error = NULL;

      if (!wc_engine_stop (self->engine, "window closed", &error))
        g_warning ("%s", error->message);
    }
}

char *
wc_session_default_journal_path (const char *folder,
                                 const char *exercise_id)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("%s-%s.jsonl", exercise_id, stamp);

  if (folder && *folder)
    return g_build_filename (folder, name, NULL);
  return g_build_filename (g_get_user_data_dir (), "whitecell", "exercises", name, NULL);
}
