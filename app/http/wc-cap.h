/* wc-cap.h: a warning of the teams' traffic as an OASIS Common Alerting Protocol 1.2 document,
 * marked as an exercise everywhere a reader or a machine could look. */
#pragma once

#include <glib.h>

#include "wc-engine.h"

G_BEGIN_DECLS

#define WC_CAP_ERROR (wc_cap_error_quark ())
GQuark wc_cap_error_quark (void);

typedef enum {
  WC_CAP_ERROR_NOT_A_WARNING = 1,
  WC_CAP_ERROR_WRITE,
} WcCapError;

/* The media type of the documents wc_cap_write_warning() makes. */
#define WC_CAP_MEDIA_TYPE "application/cap+xml"

/* The MISP taxonomy tags every indicator of a warning carries besides its TLP tag: the exercise
 * taxonomy's "generic" predicate (information that is part of an exercise without a MISP name
 * of its own) and misp:ids="false", so that no IDS export turns an exercise's indicators into
 * real detections. */
#define WC_CAP_MISP_EXERCISE_TAG "exercise:generic"
#define WC_CAP_MISP_IDS_TAG      "misp:ids=\"false\""

/* The CAP 1.2 document of @item (a warning): status Exercise, msgType Alert, scope Restricted
 * with the TLP as restriction, one <info> per language of its texts, sent at the exercise's
 * start plus the item's exercise time (wall clock, with the local offset). */
GBytes *wc_cap_write_warning (WcEngine            *engine,
                              const WcTrafficItem *item,
                              GError             **error);

G_END_DECLS
