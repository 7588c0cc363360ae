/* wc-listener.h: the server's own accept loop: it owns the listening socket and hands each
 * connection to libsoup, so that it can cap connections (in all and per client address), close
 * connections that send no request headers in time, and accept again after the process ran out of
 * file descriptors (libsoup's own listener stops for good on EMFILE). */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define WC_TYPE_LISTENER (wc_listener_get_type ())
G_DECLARE_FINAL_TYPE (WcListener, wc_listener, WC, LISTENER, GObject)

/* Accepts on @socket (bound and listening) for @soup, over TLS when @certificate is given. */
WcListener *wc_listener_new                 (SoupServer      *soup,
                                             GSocket         *socket,
                                             GTlsCertificate *certificate);
/* @max_connections 0: no cap; @header_timeout_seconds 0: none. */
void        wc_listener_set_limits          (WcListener      *self,
                                             guint            max_connections,
                                             guint            max_per_address,
                                             guint            header_timeout_seconds);
/* Stops accepting, closes the listening socket and every connection. */
void        wc_listener_close               (WcListener      *self);
guint       wc_listener_get_n_connections   (WcListener      *self);
/* Connections refused over a cap, and times the process had no file descriptor left to accept. */
guint       wc_listener_get_n_refused       (WcListener      *self);
guint       wc_listener_get_n_fd_exhausted  (WcListener      *self);

/* Marks @connection, made by this process to one of its own servers and about to connect
 * (a SoupMessage's G_SOCKET_CLIENT_CONNECTING network event), as the process's own: no
 * per-address cap counts it (the relay publisher's requests, docs/SCALING.md). Known by both of
 * its ends, so another process on the same address is capped as ever; forgotten once closed. */
void        wc_listener_add_own_connection  (GSocketConnection *connection);

/* Raises the soft limit of open files to the hard limit; returns the soft limit now. */
guint       wc_listener_raise_file_limit    (void);

G_END_DECLS
