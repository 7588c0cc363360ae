/* wc-import.h: planners' material in any of the formats Whitecell reads (CSV, XLSX, ODS, OpenBAS /
 * OpenAEV, T3SF, MISP CEXF, its own JSON) into a scenario, with a mapping report that says what
 * each source column or field became. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wc-scenario.h"

G_BEGIN_DECLS

#define WC_IMPORT_ERROR (wc_import_error_quark ())
GQuark wc_import_error_quark (void);

typedef enum {
  WC_IMPORT_ERROR_UNKNOWN_FORMAT = 1, /* none of the formats Whitecell reads */
  WC_IMPORT_ERROR_IO,
  WC_IMPORT_ERROR_TOO_LARGE,          /* a ZIP member, a sheet or a string table over its bound */
  WC_IMPORT_ERROR_CORRUPT,            /* a truncated or damaged ZIP, malformed XML */
  WC_IMPORT_ERROR_INVALID,            /* read, but not a playable scenario */
  WC_IMPORT_ERROR_UNSUPPORTED,        /* a format whose importer is not built */
  WC_IMPORT_ERROR_NO_SHEET,           /* --sheet names no sheet of the workbook */
} WcImportError;

/* Bounds on untrusted workbooks: a national exercise's MSEL is a few hundred rows. */
#define WC_IMPORT_MAX_MEMBER_BYTES   ((gsize) 64 * 1024 * 1024)  /* one unpacked ZIP member */
#define WC_IMPORT_MAX_ROWS           100000
#define WC_IMPORT_MAX_COLUMNS        1000
#define WC_IMPORT_MAX_SHARED_STRINGS 200000
#define WC_IMPORT_MAX_CELLS          ((gsize) 4 * 1000 * 1000)

typedef enum {
  WC_MAPPING_MAPPED,
  WC_MAPPING_GUESSED,
  WC_MAPPING_KEPT,      /* verbatim as an x- field */
  WC_MAPPING_DROPPED,
  WC_MAPPING_SKIPPED,
  WC_MAPPING_WARNING,
} WcMappingKind;

/* The mapping report: what each source column or field became, in the order decided. */
typedef struct _WcImportReport WcImportReport;

WcImportReport *wc_import_report_new          (const char     *path,
                                               const char     *format_name);
void            wc_import_report_free         (WcImportReport *r);
void            wc_import_report_set_format   (WcImportReport *r,
                                               const char     *format_name);
const char     *wc_import_report_get_format   (WcImportReport *r);
const char     *wc_import_report_get_path     (WcImportReport *r);
void            wc_import_report_add          (WcImportReport *r,
                                               WcMappingKind   kind,
                                               const char     *source,
                                               const char     *format,
                                               ...) G_GNUC_PRINTF (4, 5);
guint           wc_import_report_get_n_items  (WcImportReport *r);
WcMappingKind   wc_import_report_get_kind     (WcImportReport *r,
                                               guint           i);
const char     *wc_import_report_get_source   (WcImportReport *r,
                                               guint           i);
const char     *wc_import_report_get_text     (WcImportReport *r,
                                               guint           i);
/* How many items of @kind the report holds. */
guint           wc_import_report_count        (WcImportReport *r,
                                               WcMappingKind   kind);
/* The --explain output, translated: one line per item, grouped by kind. */
char           *wc_import_report_to_text      (WcImportReport *r);
const char     *wc_mapping_kind_to_string     (WcMappingKind   kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcImportReport, wc_import_report_free)

typedef enum {
  WC_IMPORT_CSV,
  WC_IMPORT_XLSX,
  WC_IMPORT_ODS,
  WC_IMPORT_OPENBAS,
  WC_IMPORT_T3SF,
  WC_IMPORT_CEXF,
  WC_IMPORT_WHITECELL,
  WC_IMPORT_UNKNOWN,
} WcImportFormat;

/* Guessed from the content (magic bytes, ZIP member names, JSON shape), not only the extension.
 * @head is the file's first bytes (any length; 64 KiB is plenty), nullable: then read from @path. */
WcImportFormat  wc_import_guess_format        (const char     *path,
                                               GBytes         *head);
const char     *wc_import_format_to_string    (WcImportFormat  format);

typedef struct {
  const char *sheet;   /* nullable: the first sheet */
  const char *team;    /* nullable: the one team when the sheet names none ("Players") */
  const char *start;   /* nullable: "2024-03-12 09:00" or "09:00", the exercise's start for
                        * sheets timed by day and clock time */
  const char *columns; /* nullable: "B=title,C=time,4=to": the sheet's columns (letters or
                        * 1-based numbers) named by field, for a sheet without a header row;
                        * every row is then an inject */
} WcImportOptions;

/* Reads @path in whatever format it is in; every decision goes into @report (nullable). The
 * scenario is validated; NULL with @error when it cannot be made. */
WcScenario     *wc_import_file                (const char             *path,
                                               const WcImportOptions  *options,
                                               WcImportReport         *report,
                                               GError                **error);

/* Columns and fields the scenario format has no place for, kept verbatim ("x-…" → string) so that
 * an export writes them back: per inject id, and for the exercise ("" key). NULL when none. */
JsonObject     *wc_import_get_extras          (WcScenario     *scenario,
                                               const char     *inject_id);
void            wc_import_set_extras          (WcScenario     *scenario,
                                               const char     *inject_id,
                                               JsonObject     *extras);
/* The scenario as a version-1 document, with the kept x- fields on their injects. */
JsonNode       *wc_import_scenario_to_json    (WcScenario     *scenario);
/* Writes the imported @scenario at @path (a version-1 document) and copies its attachments beside
 * it from where the importer left them (an OpenBAS .zip or CEXF payloads are unpacked into a
 * temporary folder that goes with the scenario); @scenario then stands for @path: its path and
 * SHA-256 are the written file's, so that a journal started from it finds it again. */
gboolean        wc_import_write_scenario      (WcScenario     *scenario,
                                               const char     *path,
                                               GError        **error);

/* Writes @scenario as a sheet (CSV, XLSX or ODS by @format) at @path: one row per inject, its kept
 * x- fields as columns, the exercise and its teams on sheets "Exercise" and "Teams" (beside a CSV:
 * NAME-exercise.csv, NAME-teams.csv); the attachments are copied from the scenario's folder so
 * that the sheet imports again from @path's folder with nothing lost. */
gboolean        wc_export_sheet               (WcScenario     *scenario,
                                               const char     *path,
                                               WcImportFormat  format,
                                               GError        **error);
/* CSV, XLSX or ODS by @path's extension; WC_IMPORT_UNKNOWN otherwise. */
WcImportFormat  wc_export_format_for_path     (const char     *path);

/* Implemented by the formats engineer, each in app/sheets/wc-import-<name>.c: */
WcScenario     *wc_import_openbas             (const char     *path,
                                               WcImportReport *report,
                                               GError        **error);
WcScenario     *wc_import_t3sf                (const char     *path,
                                               WcImportReport *report,
                                               GError        **error);
WcScenario     *wc_import_cexf                (const char     *path,
                                               WcImportReport *report,
                                               GError        **error);

G_END_DECLS
