/* wc-qr.h: a QR code of a text as a texture, for a join link on a projector. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* NULL when @text does not fit in a QR code. */
GdkTexture *wc_qr_texture_new (const char *text,
                               guint       module_px);

G_END_DECLS
