/* wc-scenario-loader.h: reads a scenario file, checks everything, reports every problem at once. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wc-diagnostics.h"
#include "wc-scenario.h"

G_BEGIN_DECLS

#define WC_SCENARIO_ERROR (wc_scenario_error_quark ())
GQuark wc_scenario_error_quark (void);

typedef enum {
  WC_SCENARIO_ERROR_INVALID = 1,  /* the findings hold at least one error */
  WC_SCENARIO_ERROR_IO,
} WcScenarioError;

/* Loads and validates @path. Findings (warnings and errors) are appended to @diagnostics, which
 * must have been created for @path's display name. Returns the scenario only when there is no
 * error; @error then says how many problems were found. */
WcScenario *wc_scenario_load          (const char     *path,
                                       WcDiagnostics  *diagnostics,
                                       GError        **error);

/* The same in a worker thread: the file is read and checked off the caller's main loop.
 * *@diagnostics_out gets the findings (made for @path) whether or not the scenario loaded. */
void        wc_scenario_load_async    (const char           *path,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
WcScenario *wc_scenario_load_finish   (GAsyncResult         *result,
                                       WcDiagnostics       **diagnostics_out,
                                       GError              **error);

/* The same from memory; @base_dir is where attachments are looked for (NULL: not checked). */
WcScenario *wc_scenario_load_data     (const char     *data,
                                       gsize           length,
                                       const char     *base_dir,
                                       WcDiagnostics  *diagnostics,
                                       GError        **error);

/* Serialises @scenario in the version-1 format (pretty-printed JSON). */
JsonNode   *wc_scenario_to_json       (WcScenario     *scenario);
char       *wc_scenario_to_data       (WcScenario     *scenario,
                                       gsize          *length);

G_END_DECLS
