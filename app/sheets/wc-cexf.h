/* wc-cexf.h: a Whitecell scenario written as a MISP Common Exercise Format (CEXF) exercise. */
#pragma once

#include <json-glib/json-glib.h>

#include "wc-scenario.h"

G_BEGIN_DECLS

/* The exercise as CEXF: each inject an "email_to_participants" (or "x-whitecell-<channel>") with
 * its body as a text payload, its time or trigger in the inject_flow, its expected actions as
 * evaluations; what CEXF has no word for (teams, recipients, options, deadlines, judge rules)
 * in "x-whitecell-…" members that wc_import_cexf() reads back. */
JsonNode *wc_export_cexf_to_json (WcScenario  *scenario);
gboolean  wc_export_cexf         (WcScenario  *scenario,
                                  const char  *path,
                                  GError     **error);

G_END_DECLS
