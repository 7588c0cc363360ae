/* wc-session.c: everything one running exercise needs, made and torn down together. */
#define G_LOG_DOMAIN "wc-session"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "wc-live-private.h"
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
  char       *listen_host;     /* where the server listens; NULL when nothing is served */
  gboolean    closed;
  gint64      hot_wash_ms;     /* 0: none */
  guint       hot_wash_id;     /* the hot wash's timer, while it runs */
  gboolean    hot_wash_over;
};

G_DEFINE_FINAL_TYPE (WcSession, wc_session, G_TYPE_OBJECT)

enum {
  HOT_WASH_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
wc_session_dispose (GObject *object)
{
  WcSession *self = WC_SESSION (object);

  wc_session_close (self);
  g_clear_handle_id (&self->hot_wash_id, g_source_remove);
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
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
  g_free (self->listen_host);
  G_OBJECT_CLASS (wc_session_parent_class)->finalize (object);
}

static void
wc_session_class_init (WcSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_session_dispose;
  object_class->finalize = wc_session_finalize;

  signals[HOT_WASH_ENDED] =
    g_signal_new ("hot-wash-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
wc_session_init (WcSession *self)
{
}

/* The teams' secrets beside the journal: file work, done in the worker thread when opened
 * asynchronously. A resumed exercise keeps its teams' links. */
static WcTokens *
prepare_tokens (WcScenario  *scenario,
                const char  *journal_path,
                gboolean     resume,
                GError     **error)
{
  g_autofree char *tokens_path = wc_tokens_path_for_journal (journal_path);
  g_autoptr(WcTokens) tokens = NULL;

  if (resume && g_file_test (tokens_path, G_FILE_TEST_EXISTS))
    tokens = wc_tokens_load (tokens_path, scenario, error);
  else
    tokens = wc_tokens_generate (scenario, error);
  if (tokens == NULL || !wc_tokens_save (tokens, tokens_path, error))
    return NULL;
  return g_steal_pointer (&tokens);
}

/* The server's sockets and the webhooks' session attach to the main context: made on its thread. */
static gboolean
start_serving (WcSession               *self,
               const WcSessionOptions  *options,
               GError                 **error)
{
  const char *host = options && options->host && *options->host ? options->host : "127.0.0.1";
  guint port = options ? options->port : 0;
  g_autoptr(GError) listen_error = NULL;

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
  self->listen_host = g_strdup (host);
  self->webhooks = wc_webhooks_new (self->engine, self->tokens);
  return TRUE;
}

static void
end_hot_wash (WcSession *self)
{
  g_clear_handle_id (&self->hot_wash_id, g_source_remove);
  if (self->hot_wash_over)
    return;
  self->hot_wash_over = TRUE;
  if (self->server)
    wc_server_close_teams (self->server);
  g_signal_emit (self, signals[HOT_WASH_ENDED], 0);
}

static gboolean
hot_wash_timeout_cb (gpointer user_data)
{
  WcSession *self = user_data;

  self->hot_wash_id = 0;
  end_hot_wash (self);
  return G_SOURCE_REMOVE;
}

/* The teams keep their pages for a while after the end, to read and give feedback. */
static void
start_hot_wash (WcSession *self)
{
  if (self->hot_wash_id != 0 || self->hot_wash_over)
    return;
  if (self->hot_wash_ms <= 0)
    end_hot_wash (self);
  else
    self->hot_wash_id = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                            (guint) MIN (self->hot_wash_ms, G_MAXUINT),
                                            hot_wash_timeout_cb, self, NULL);
}

static void
on_engine_record (WcEngine     *engine,
                  guint64       seq,
                  WcRecordType  type,
                  JsonObject   *data,
                  gint64        t_ms,
                  WcSession    *self)
{
  if (type == WC_RECORD_EXERCISE_ENDED)
    start_hot_wash (self);
}

/* Takes @engine and @tokens; the main-thread half of every way to make a session. */
static WcSession *
finish_with_live (WcEngine                *engine,
                  WcTokens                *tokens,
                  WcLive                  *live,
                  const char              *journal_path,
                  const WcSessionOptions  *options,
                  GError                 **error);

static WcSession *
finish (WcEngine                *engine,
        WcTokens                *tokens,
        const char              *journal_path,
        const WcSessionOptions  *options,
        GError                 **error)
{
  return finish_with_live (engine, tokens, NULL, journal_path, options, error);
}

/* Takes @engine, @tokens and @live (nullable: made here unless headless). */
static WcSession *
finish_with_live (WcEngine                *engine,
                  WcTokens                *tokens,
                  WcLive                  *live,
                  const char              *journal_path,
                  const WcSessionOptions  *options,
                  GError                 **error)
{
  g_autoptr(WcSession) self = g_object_new (WC_TYPE_SESSION, NULL);

  self->engine = engine;
  self->tokens = tokens;
  self->scenario = g_object_ref (wc_engine_get_scenario (engine));
  self->journal_path = g_strdup (journal_path);
  /* the key that seals the journal's checkpoints and its end is kept with the other secrets */
  {
    g_autoptr(GBytes) key = wc_tokens_get_journal_key (tokens);

    wc_journal_set_key (wc_engine_get_journal (engine), key);
  }
  self->live = live;
  /* the staff's links too, those the director adds while it runs among them */
  {
    g_autofree char *tokens_path = wc_tokens_path_for_journal (journal_path);

    if (!wc_tokens_follow_staff (tokens, engine, tokens_path, error))
      return NULL;
  }
  if (!start_serving (self, options, error))
    return NULL;
  self->hot_wash_ms = options == NULL || options->hot_wash_ms == 0 ? WC_SESSION_DEFAULT_HOT_WASH_MS
                      : MAX (options->hot_wash_ms, 0);
  g_signal_connect (engine, "record", G_CALLBACK (on_engine_record), self);
  /* an exercise resumed after its end: its hot wash counts from now */
  if (wc_engine_get_state (engine) == WC_ENGINE_ENDED)
    start_hot_wash (self);
  if (self->live && self->server)
    wc_live_set_presence (self->live, wc_server_get_presence (self->server));
  else if (self->live == NULL && (options == NULL || !options->headless))
    self->live = wc_live_new (self->engine, self->server ? wc_server_get_presence (self->server)
                                                         : NULL);
  return g_steal_pointer (&self);
}

WcSession *
wc_session_new_for_engine (WcEngine                *engine,
                           const char              *journal_path,
                           gboolean                 resume,
                           const WcSessionOptions  *options,
                           GError                 **error)
{
  WcTokens *tokens = prepare_tokens (wc_engine_get_scenario (engine), journal_path, resume, error);

  return tokens ? finish (g_object_ref (engine), tokens, journal_path, options, error) : NULL;
}

static gboolean
make_journal_folder (const char  *journal_path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (journal_path);
  int saved;

  if (g_mkdir_with_parents (dir, 0700) == 0)
    return TRUE;
  saved = errno;
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
               _("Could not make the folder %s: %s"), dir, g_strerror (saved));
  return FALSE;
}

WcSession *
wc_session_new (WcScenario              *scenario,
                const char              *journal_path,
                const WcSessionOptions  *options,
                GError                 **error)
{
  g_autoptr(WcEngine) engine = NULL;

  if (!make_journal_folder (journal_path, error) ||
      (engine = wc_engine_new (scenario, journal_path, error)) == NULL)
    return NULL;
  return wc_session_new_for_engine (engine, journal_path, FALSE, options, error);
}

/* The scenario a journal was played with, loaded; findings in *@diag_out. */
static WcScenario *
load_journal_scenario (const char      *journal_path,
                       WcDiagnostics  **diag_out,
                       GError         **error)
{
  /* the engine reads the records; here, only which scenario they belong to */
  g_autoptr(JsonObject) header = wc_journal_read_header (journal_path, error);
  g_autofree char *scenario_path = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;
  WcScenario *scenario;

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
  scenario = wc_scenario_load (scenario_path, diag, error);
  if (diag_out)
    *diag_out = g_steal_pointer (&diag);
  return scenario;
}

WcSession *
wc_session_resume (const char              *journal_path,
                   const WcSessionOptions  *options,
                   WcDiagnostics          **diag_out,
                   GError                 **error)
{
  g_autoptr(WcScenario) scenario = load_journal_scenario (journal_path, diag_out, error);
  g_autoptr(WcEngine) engine = NULL;

  if (scenario == NULL || (engine = wc_engine_resume (scenario, journal_path, error)) == NULL)
    return NULL;
  return wc_session_new_for_engine (engine, journal_path, TRUE, options, error);
}

/* Asynchronously: the file work in a worker thread, then the rest on the main context --------- */

typedef struct {
  /* in */
  WcScenario       *scenario;      /* new: given; resume: loaded in the thread */
  char             *journal_path;
  gboolean          resume;
  WcSessionOptions  options;
  char             *host;
  char             *public_host;
  /* made in the thread */
  WcDiagnostics    *diag;
  WcJournal        *journal;       /* new: the journal just created */
  WcEngine         *engine;        /* new: made on the journal; resume: the journal replayed */
  WcTokens         *tokens;
  WcLive           *live;          /* the window's models, built here off the main loop */
} SessionJob;

static void
session_job_free (gpointer data)
{
  SessionJob *job = data;

  g_clear_object (&job->scenario);
  g_free (job->journal_path);
  g_clear_object (&job->options.certificate);
  g_free (job->host);
  g_free (job->public_host);
  g_clear_pointer (&job->diag, wc_diagnostics_unref);
  g_clear_object (&job->journal);
  g_clear_object (&job->engine);
  g_clear_object (&job->tokens);
  g_clear_object (&job->live);
  g_free (job);
}

static SessionJob *
session_job_new (WcScenario              *scenario,
                 const char              *journal_path,
                 gboolean                 resume,
                 const WcSessionOptions  *options)
{
  SessionJob *job = g_new0 (SessionJob, 1);

  job->scenario = scenario ? g_object_ref (scenario) : NULL;
  job->journal_path = g_strdup (journal_path);
  job->resume = resume;
  if (options)
    {
      /* the caller's strings need not outlive the call */
      job->options = *options;
      job->host = g_strdup (options->host);
      job->public_host = g_strdup (options->public_host);
      job->options.host = job->host;
      job->options.public_host = job->public_host;
      if (options->certificate)
        g_object_ref (options->certificate);
    }
  else
    job->options.serve = TRUE;
  return job;
}

/* An exercise's tokens (5,000 teams' secrets written and synced, or read back) are made on a
 * thread of their own while its engine and models are built or replayed: all only read the
 * scenario. */
typedef struct {
  WcScenario *scenario;
  const char *journal_path;
  gboolean    resume;
  GError     *error;
} TokensJob;

static gpointer
tokens_thread (gpointer data)
{
  TokensJob *t = data;

  return prepare_tokens (t->scenario, t->journal_path, t->resume, &t->error);
}

/* A new exercise's engine on a journal made for it, or one carried on from its journal. */
static gboolean
make_engine (SessionJob  *job,
             GError     **error)
{
  WcJournalRecovery recovery = { 0 };
  g_autoptr(WcJournal) journal = NULL;

  if (!job->resume)
    {
      job->journal = wc_journal_create (job->journal_path, wc_scenario_get_id (job->scenario),
                                        wc_scenario_get_path (job->scenario),
                                        wc_scenario_get_sha256 (job->scenario), NULL, error);
      /* a new engine's clock stands still: nothing here adds a timer to a main context */
      return job->journal != NULL &&
             (job->engine = wc_engine_new_for_journal (job->scenario, job->journal, error)) != NULL;
    }
  journal = wc_journal_open (job->journal_path, &recovery, error);
  job->engine = journal ? wc_engine_resume_journal (job->scenario, journal, &recovery, error) : NULL;
  wc_journal_recovery_clear (&recovery);
  return job->engine != NULL;
}

static gboolean
session_job_run (SessionJob  *job,
                 GError     **error)
{
  TokensJob tokens_job = { NULL, job->journal_path, job->resume, NULL };
  GThread *tokens_maker;
  gboolean ok;

  if (job->resume)
    job->scenario = load_journal_scenario (job->journal_path, &job->diag, error);
  else if (!make_journal_folder (job->journal_path, error))
    return FALSE;
  if (job->scenario == NULL)
    return FALSE;
  tokens_job.scenario = job->scenario;
  tokens_maker = g_thread_try_new ("wc-tokens", tokens_thread, &tokens_job, NULL);
  ok = make_engine (job, error);
  /* the models of 10,000 injects take tens of milliseconds: not on the main loop. They connect
   * only signals; the server's presence joins them on the main thread. */
  if (ok && !job->options.headless)
    job->live = wc_live_new (job->engine, NULL);
  job->tokens = tokens_maker ? g_thread_join (tokens_maker) : tokens_thread (&tokens_job);
  if (!ok)
    {
      g_clear_error (&tokens_job.error);
      return FALSE;
    }
  if (job->tokens == NULL)
    {
      g_propagate_error (error, tokens_job.error);
      return FALSE;
    }
  return TRUE;
}

static void
session_job_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (session_job_run (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
session_job_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SessionJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  WcEngine *engine;
  WcSession *session;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  engine = g_steal_pointer (&job->engine);
  session = finish_with_live (engine, g_steal_pointer (&job->tokens), g_steal_pointer (&job->live),
                              job->journal_path, &job->options, &error);
  if (session == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, session, g_object_unref);
}

static void
session_job_start (SessionJob          *job,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GTask) worker = g_task_new (NULL, cancellable, session_job_done, task);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, session_job_free);
  g_task_set_task_data (worker, job, NULL);
  g_task_run_in_thread (worker, session_job_thread);
}

void
wc_session_new_async (WcScenario              *scenario,
                      const char              *journal_path,
                      const WcSessionOptions  *options,
                      GCancellable            *cancellable,
                      GAsyncReadyCallback      callback,
                      gpointer                 user_data)
{
  session_job_start (session_job_new (scenario, journal_path, FALSE, options),
                     wc_session_new_async, cancellable, callback, user_data);
}

WcSession *
wc_session_new_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wc_session_new_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
wc_session_resume_async (const char              *journal_path,
                         const WcSessionOptions  *options,
                         GCancellable            *cancellable,
                         GAsyncReadyCallback      callback,
                         gpointer                 user_data)
{
  session_job_start (session_job_new (NULL, journal_path, TRUE, options),
                     wc_session_resume_async, cancellable, callback, user_data);
}

WcSession *
wc_session_resume_finish (GAsyncResult   *result,
                          WcDiagnostics **diag_out,
                          GError        **error)
{
  SessionJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wc_session_resume_async, NULL);
  job = g_task_get_task_data (G_TASK (result));
  if (diag_out)
    *diag_out = job->diag ? wc_diagnostics_ref (job->diag) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

WcScenario *wc_session_get_scenario (WcSession *self) { return self->scenario; }
WcEngine *wc_session_get_engine (WcSession *self) { return self->engine; }
WcServer *wc_session_get_server (WcSession *self) { return self->server; }
WcTokens *wc_session_get_tokens (WcSession *self) { return self->tokens; }
WcLive *wc_session_get_live (WcSession *self) { return self->live; }
const char *wc_session_get_journal_path (WcSession *self) { return self->journal_path; }
const char *wc_session_get_warning (WcSession *self) { return self->warning; }
gint64 wc_session_get_hot_wash_ms (WcSession *self) { return self->hot_wash_ms; }
gboolean wc_session_get_hot_wash_over (WcSession *self) { return self->hot_wash_over; }

gboolean
wc_session_set_join_host (WcSession   *self,
                          const char  *host,
                          const char  *public_host,
                          GError     **error)
{
  GListModel *teams;

  g_return_val_if_fail (WC_IS_SESSION (self), FALSE);

  if (host == NULL || *host == '\0')
    host = "127.0.0.1";
  if (self->server == NULL || self->closed)
    {
      g_set_error (error, WC_SERVER_ERROR, WC_SERVER_ERROR_LISTEN,
                   _("This exercise does not serve teams"));
      return FALSE;
    }
  if (g_strcmp0 (host, self->listen_host) != 0)
    {
      g_autoptr(GError) local_error = NULL;

      if (!wc_server_relisten (self->server, host, &local_error))
        {
          /* the teams keep the links they had */
          if (!wc_server_relisten (self->server, self->listen_host, NULL))
            g_warning ("Could not listen again on %s", self->listen_host);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_free (self->listen_host);
      self->listen_host = g_strdup (host);
    }
  wc_server_set_public_host (self->server, public_host && *public_host ? public_host : NULL);
  if (self->live == NULL)
    return TRUE;
  teams = wc_live_get_teams (self->live);
  for (guint i = 0; i < g_list_model_get_n_items (teams); i++)
    {
      g_autoptr(WcLiveTeam) team = g_list_model_get_item (teams, i);
      g_autofree char *url = wc_server_get_join_url (self->server, team->id);

      SET_STRING (team, join_url, url, team_props[TEAM_PROP_JOIN_URL]);
    }
  return TRUE;
}

const char *
wc_session_get_listen_host (WcSession *self)
{
  return self->server ? self->listen_host : NULL;
}

void
wc_session_close (WcSession *self)
{
  WcEngineState state;

  if (self->closed || self->engine == NULL)
    return;
  self->closed = TRUE;
  g_clear_handle_id (&self->hot_wash_id, g_source_remove);
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
