/* wc-session.h: one exercise being run: its scenario, engine and journal, the teams' secrets, the
 * HTTP server and webhooks, and the live models the controller's window shows. */
#pragma once

#include "wc-diagnostics.h"
#include "wc-engine.h"
#include "wc-live.h"
#include "wc-server.h"
#include "wc-tokens.h"

G_BEGIN_DECLS

typedef struct {
  const char      *host;          /* nullable: 127.0.0.1 */
  guint            port;          /* 0: any free port */
  const char      *public_host;   /* nullable: for join links */
  gboolean         serve;         /* FALSE: no HTTP server at all */
  GTlsCertificate *certificate;   /* nullable: HTTPS */
  gboolean         exact_port;    /* fail when the port is taken, rather than take another */
  gboolean         headless;      /* no live models (nobody looks at them) */
  gint64           hot_wash_ms;   /* how long teams are still served once the exercise has
                                   * ended (read-only, but for their feedback): 0 the default
                                   * (WC_SESSION_DEFAULT_HOT_WASH_MS), negative none */
} WcSessionOptions;

#define WC_SESSION_DEFAULT_HOT_WASH_MS (G_GINT64_CONSTANT (24) * 60 * 60 * 1000)

#define WC_TYPE_SESSION (wc_session_get_type ())
G_DECLARE_FINAL_TYPE (WcSession, wc_session, WC, SESSION, GObject)

/* A new exercise of @scenario (loaded and found valid by the caller), journaled at @journal_path
 * (which must not exist; its folder is made). When the port is taken, another one is used and
 * wc_session_get_warning() says so. */
WcSession  *wc_session_new            (WcScenario              *scenario,
                                       const char              *journal_path,
                                       const WcSessionOptions  *options,
                                       GError                 **error);
/* Serves the exercise @engine plays, journaled at @journal_path: the teams' secrets (kept from an
 * earlier run when @resume), the HTTP server and webhooks (whitecellctl run makes its own engine). */
WcSession  *wc_session_new_for_engine (WcEngine                *engine,
                                       const char              *journal_path,
                                       gboolean                 resume,
                                       const WcSessionOptions  *options,
                                       GError                 **error);
/* An exercise carried on from its journal; the scenario is the one the journal names (looked
 * for as written, then beside the journal), and must be unchanged. */
WcSession  *wc_session_resume         (const char              *journal_path,
                                       const WcSessionOptions  *options,
                                       WcDiagnostics          **diag_out,
                                       GError                 **error);

/* wc_session_new() and wc_session_resume() with their file work (making the journal and its sync;
 * loading the scenario, reading and replaying the journal; the teams' secrets) in a worker thread.
 * The engine's timers, the server's sockets and the webhooks are made on the calling thread,
 * which must be that of the main context. @options is copied. */
void        wc_session_new_async      (WcScenario              *scenario,
                                       const char              *journal_path,
                                       const WcSessionOptions  *options,
                                       GCancellable            *cancellable,
                                       GAsyncReadyCallback      callback,
                                       gpointer                 user_data);
WcSession  *wc_session_new_finish     (GAsyncResult            *result,
                                       GError                 **error);
void        wc_session_resume_async   (const char              *journal_path,
                                       const WcSessionOptions  *options,
                                       GCancellable            *cancellable,
                                       GAsyncReadyCallback      callback,
                                       gpointer                 user_data);
/* *@diag_out: the findings about the journal's scenario, when it was read (else NULL). */
WcSession  *wc_session_resume_finish  (GAsyncResult            *result,
                                       WcDiagnostics          **diag_out,
                                       GError                 **error);

WcScenario *wc_session_get_scenario   (WcSession *self);
WcEngine   *wc_session_get_engine     (WcSession *self);
WcServer   *wc_session_get_server     (WcSession *self);   /* nullable */
WcTokens   *wc_session_get_tokens     (WcSession *self);
WcLive     *wc_session_get_live       (WcSession *self);   /* NULL when headless */
const char *wc_session_get_journal_path (WcSession *self);
const char *wc_session_get_warning    (WcSession *self);   /* nullable */
/* The hot wash: it starts when the exercise ends (or when the session is made, for an exercise
 * that had ended) and lasts the options' hot_wash_ms; then the server stops serving the teams
 * (wc_server_close_teams()) and the session emits "hot-wash-ended". Its length in ms (0: none). */
gint64      wc_session_get_hot_wash_ms (WcSession *self);
/* Whether it is over (or there is none and the exercise has ended). */
gboolean    wc_session_get_hot_wash_over (WcSession *self);
/* Where teams join: the server listens on @host (an IP address; NULL: 127.0.0.1) from now on, and
 * the join links name @public_host (NULL or "": the listen address, or for a wildcard one the
 * first LAN address). For the exercise being prepared: the links on the board follow. Fails
 * when nothing is served or the address cannot be listened on (the old one is then kept). */
gboolean    wc_session_set_join_host  (WcSession   *self,
                                       const char  *host,
                                       const char  *public_host,
                                       GError     **error);
/* The address the server listens on ("127.0.0.1", "0.0.0.0"…); NULL when nothing is served. */
const char *wc_session_get_listen_host (WcSession *self);
/* Stops serving; the engine stops its clock as a clean stop if the exercise is still running. */
void        wc_session_close          (WcSession *self);

/* Where a new exercise's journal goes by default: @folder (or the user data dir's
 * whitecell/exercises), named after the exercise and the time. */
char       *wc_session_default_journal_path (const char *folder,
                                             const char *exercise_id);

G_END_DECLS
