/* wc-msel.h: Master Scenario Events Lists as planners keep them, in spreadsheets: imported into a
 * scenario, and a scenario exported back to a sheet. */
#pragma once

#include <json-glib/json-glib.h>

#include "wc-diagnostics.h"
#include "wc-scenario.h"

G_BEGIN_DECLS

#define WC_MSEL_ERROR (wc_msel_error_quark ())
GQuark wc_msel_error_quark (void);

typedef enum {
  WC_MSEL_ERROR_INVALID = 1,  /* the findings hold at least one error */
  WC_MSEL_ERROR_IO,
} WcMselError;

typedef struct {
  const char *exercise_id;       /* nullable: from the file's name */
  const char *title;             /* nullable: from the file's name */
  const char *languages;         /* nullable, "en,fr": the plain columns' language first */
  const char *duration;          /* nullable "T+04:00": the last inject, rounded up, + 30 min */
  const char *tlp;               /* nullable: AMBER */
} WcMselImportOptions;

/* How the sheet's columns were understood: (heading, field) pairs, and the headings not used. */
typedef struct {
  GPtrArray *mapped;    /* char *: "Heading → field" */
  GPtrArray *ignored;   /* char *: headings */
} WcMselMapping;

void      wc_msel_mapping_clear (WcMselMapping *mapping);

/* Reads the sheet at @csv_path into a version-1 scenario document. Every problem goes to @diag
 * with its row and column; the document is checked by the scenario loader too. Returns NULL (and
 * @error) when there is any error. */
JsonNode *wc_msel_import        (const char                 *csv_path,
                                 const WcMselImportOptions  *options,
                                 WcDiagnostics              *diag,
                                 WcMselMapping              *mapping,
                                 GError                    **error);
/* The same from memory; attachments are looked for in @base_dir (nullable: not checked). */
JsonNode *wc_msel_import_data   (const char                 *data,
                                 gsize                       length,
                                 const char                 *name,
                                 const char                 *base_dir,
                                 const WcMselImportOptions  *options,
                                 WcDiagnostics              *diag,
                                 WcMselMapping              *mapping,
                                 GError                    **error);

/* One row per inject; texts per language when the exercise offers several. */
void      wc_msel_export        (WcScenario                 *scenario,
                                 char                        separator,
                                 gboolean                    bom,
                                 GString                    *out);

/* Copies the attachments of @scenario from @from_dir to the same relative paths under @to_dir
 * (nothing when both are one folder), so that a sheet or a scenario written elsewhere keeps
 * them beside it. */
gboolean  wc_msel_copy_attachments (WcScenario              *scenario,
                                    const char              *from_dir,
                                    const char              *to_dir,
                                    GError                 **error);

G_END_DECLS
