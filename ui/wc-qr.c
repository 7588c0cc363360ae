/* wc-qr.c: QR codes with libqrencode, drawn as black modules on white with a quiet zone. */
#include "config.h"

#include <qrencode.h>
#include <string.h>

#include "wc-qr.h"

GdkTexture *
wc_qr_texture_new (const char *text,
                   guint       module_px)
{
  QRcode *code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  g_autoptr(GBytes) bytes = NULL;
  guint quiet = 4, size, stride;
  guchar *pixels;

  if (code == NULL)
    return NULL;
  size = (code->width + 2 * quiet) * module_px;
  stride = size * 3;
  pixels = g_malloc (stride * size);
  memset (pixels, 0xff, stride * size);
  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      if (code->data[y * code->width + x] & 1)
        for (guint dy = 0; dy < module_px; dy++)
          memset (pixels + ((y + quiet) * module_px + dy) * stride + (x + quiet) * module_px * 3, 0,
                  module_px * 3);
  QRcode_free (code);
  bytes = g_bytes_new_take (pixels, stride * size);
  return gdk_memory_texture_new (size, size, GDK_MEMORY_R8G8B8, bytes, stride);
}
