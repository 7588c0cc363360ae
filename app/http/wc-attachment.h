/* wc-attachment.h: sends a file of the scenario's folder as a download, read in chunks off the
 * main loop, never a file that is, or is reached through, a link leading out of the folder. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Replies to @msg with @folder/@file (a path relative to @folder) as @media_type: 404 if it is
 * not a regular file inside @folder, 503 when @n_active downloads are already under way (at most
 * @max_active); @n_active (a g_rc_box, as a download may outlive its server) counts this one
 * until it is over. */
void wc_attachment_send (SoupServerMessage *msg,
                         const char        *folder,
                         const char        *file,
                         const char        *media_type,
                         guint             *n_active,
                         guint              max_active);

G_END_DECLS
