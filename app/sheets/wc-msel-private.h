/* wc-msel-private.h: what the MSEL importer's and exporter's files share: the fields a column
 * can hold, the state of one import, and the sheet's vocabulary (wc-msel-columns.c). */
#pragma once

#include "wc-csv.h"
#include "wc-msel.h"

G_BEGIN_DECLS

typedef enum {
  F_NONE = -1,
  F_ID, F_TIME, F_TRIGGER, F_FROM, F_TO, F_CHANNEL, F_TLP, F_TITLE, F_BODY, F_ACTIONS,
  F_DEADLINE, F_OBJECTIVE, F_OPTIONS, F_ATTACHMENTS, F_NOTES, F_JUDGE,
  N_FIELDS
} Field;

typedef struct {
  Field  field;
  char  *lang;     /* NULL: the plain language */
  char  *heading;
} Column;

typedef struct {
  char *id;
  char *name;
} Party;

typedef struct {
  WcDiagnostics *diag;
  GPtrArray     *columns;      /* Column, one per header cell */
  GPtrArray     *langs;        /* char *, the plain language first */
  GPtrArray     *teams;        /* Party */
  GPtrArray     *actors;       /* Party */
  GPtrArray     *objectives;   /* Party: id, text */
  GHashTable    *inject_rows;  /* inject id → row line */
  GPtrArray     *rows;         /* WcCsvRow per inject, in order (borrowed) */
  gint64         last_ms;
} Import;

/* wc-msel-import.c: a table already read (CSV, or a workbook's sheet); its cells are trimmed */
JsonNode   *wc_msel_import_table     (WcCsvTable                 *table,
                                      const char                 *name,
                                      const char                 *base_dir,
                                      const WcMselImportOptions  *options,
                                      WcDiagnostics              *diag,
                                      WcMselMapping              *mapping,
                                      GError                    **error);
/* The field a heading names ("Scenario Time" → F_TIME), its language in *@lang (nullable). */
Field       wc_msel_heading_field    (const char                 *heading,
                                      char                      **lang);

/* wc-msel-columns.c: headings, words and times as planners write them (en, nl, fr) */
extern const char *const wc_msel_field_names[N_FIELDS];

void        wc_msel_column_free      (gpointer        data);
char       *wc_msel_slugify          (const char     *text);
void        wc_msel_map_columns      (Import         *im,
                                      WcCsvRow       *header,
                                      WcMselMapping  *mapping);
guint       wc_msel_column_of_member (Import         *im,
                                      const char     *member);
const char *wc_msel_cell_of          (Import         *im,
                                      WcCsvRow       *row,
                                      Field           field,
                                      const char     *lang,
                                      guint          *column);
const char *wc_msel_main_cell        (Import         *im,
                                      WcCsvRow       *row,
                                      Field           field,
                                      guint          *column);
void        wc_msel_row_problem      (Import         *im,
                                      WcSeverity      severity,
                                      WcCsvRow       *row,
                                      guint           column,
                                      const char     *hint,
                                      const char     *format,
                                      ...) G_GNUC_PRINTF (6, 7);
gboolean    wc_msel_parse_time       (const char     *cell,
                                      gint64         *ms);
gboolean    wc_msel_is_everyone      (const char     *word);
JsonNode   *wc_msel_trigger_node     (const char     *cell);
char       *wc_msel_judge_rule       (const char     *cell);
gboolean    wc_msel_channel_of       (const char     *cell,
                                      WcChannel      *channel);
const char *wc_msel_guess_kind       (const char     *name);

/* wc-msel-rows.c: one row of the sheet into one inject */
void        wc_msel_party_free       (gpointer        data);
JsonObject *wc_msel_inject_of_row    (Import         *im,
                                      WcCsvRow       *row,
                                      guint           index);

G_END_DECLS
