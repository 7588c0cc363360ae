/* wc-server.h: the embedded HTTP server: the teams' page and API, their event streams, and the
 * control API. It only calls the engine and listens to it. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "wc-engine.h"
#include "wc-limits.h"
#include "wc-presence.h"
#include "wc-tokens.h"

G_BEGIN_DECLS

#define WC_SERVER_ERROR (wc_server_error_quark ())
GQuark wc_server_error_quark (void);

typedef enum {
  WC_SERVER_ERROR_LISTEN = 1,
  WC_SERVER_ERROR_TLS,
} WcServerError;

#define WC_TYPE_SERVER (wc_server_get_type ())
G_DECLARE_FINAL_TYPE (WcServer, wc_server, WC, SERVER, GObject)

WcServer   *wc_server_new              (WcEngine              *engine,
                                        WcTokens              *tokens);
void        wc_server_get_default_limits (WcServerLimits      *limits);
void        wc_server_set_limits       (WcServer              *self,
                                        const WcServerLimits  *limits);
/* Listens on @host:@port (port 0: any free one), over TLS when @certificate is given. */
gboolean    wc_server_listen           (WcServer              *self,
                                        const char            *host,
                                        guint                  port,
                                        GTlsCertificate       *certificate,
                                        GError               **error);
/* Stops listening and closes every connection; the server also does so by itself as soon as the
 * engine records "process-stopped". */
void        wc_server_disconnect       (WcServer              *self);
/* Stops listening and listens on @host instead, on the same port (before the exercise starts). */
gboolean    wc_server_relisten         (WcServer              *self,
                                        const char            *host,
                                        GError               **error);
/* "http://127.0.0.1:8080" as teams should reach it; @public_host replaces a wildcard address,
 * else the machine's first LAN address does. */
char       *wc_server_get_base_url     (WcServer              *self);
void        wc_server_set_public_host  (WcServer              *self,
                                        const char            *host);
/* As wc_presence_get_join_url(). */
char       *wc_server_get_join_url     (WcServer              *self,
                                        const char            *team_id);
guint       wc_server_get_port         (WcServer              *self);
/* A relay's (app/relay/): asked of every request but /healthz once its size is known to be within
 * the limits, before it is handled; TRUE when @func took it (it paused @msg and will answer). */
typedef gboolean (*WcServerForwardFunc) (WcServer          *server,
                                         SoupServerMessage *msg,
                                         const char        *path,
                                         GHashTable        *query,
                                         gpointer           user_data);
void        wc_server_set_forward_func (WcServer              *self,
                                        WcServerForwardFunc    func,
                                        gpointer               user_data);
/* The hot wash is over: from now on teams get 410 Gone (their pages and API), and their event
 * streams end; the staff are still served. */
void        wc_server_close_teams      (WcServer              *self);
gboolean    wc_server_get_teams_closed (WcServer              *self);

/* Presence, for the controller's team board; the server owns it and keeps it up to date. */
WcPresence *wc_server_get_presence     (WcServer              *self);
/* Deprecated: as wc_presence_is_team_connected() and wc_presence_get_team_last_seen(), and the
 * server's own signal "presence-changed" (const char *team_id) repeats the presence's. They stay
 * until every reader asks wc_server_get_presence(). */
gboolean    wc_server_is_team_connected (WcServer             *self,
                                         const char           *team_id);
gint64      wc_server_get_team_last_seen (WcServer            *self,
                                          const char          *team_id);
guint       wc_server_get_n_streams    (WcServer              *self);
/* Open connections, and those refused over a cap or for want of a file descriptor. */
guint       wc_server_get_n_connections (WcServer             *self);
guint       wc_server_get_n_refused    (WcServer              *self);
guint       wc_server_get_n_fd_exhausted (WcServer            *self);

G_END_DECLS
