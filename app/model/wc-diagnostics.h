/* wc-diagnostics.h: findings about an input file (scenario, MSEL sheet), each with its place. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  WC_SEVERITY_WARNING,
  WC_SEVERITY_ERROR,
} WcSeverity;

typedef struct {
  WcSeverity severity;
  char      *file;      /* as given by the caller */
  guint      line;      /* 1-based; 0 when the finding is about the whole file */
  guint      column;    /* 1-based, in characters; 0 when unknown */
  char      *path;      /* JSON path ("$.injects[3].at") or a sheet place ("row 12, column \"To\""); nullable */
  char      *message;
  char      *hint;      /* nullable ("did you mean \"title\"?") */
} WcDiagnostic;

typedef struct _WcDiagnostics WcDiagnostics;

WcDiagnostics      *wc_diagnostics_new          (const char *file);
WcDiagnostics      *wc_diagnostics_ref          (WcDiagnostics *self);
void                wc_diagnostics_unref        (WcDiagnostics *self);
const char         *wc_diagnostics_get_file     (WcDiagnostics *self);

void                wc_diagnostics_add          (WcDiagnostics *self,
                                                 WcSeverity     severity,
                                                 guint          line,
                                                 guint          column,
                                                 const char    *path,
                                                 const char    *hint,
                                                 const char    *format,
                                                 ...) G_GNUC_PRINTF (7, 8);

guint               wc_diagnostics_get_n_items  (WcDiagnostics *self);
const WcDiagnostic *wc_diagnostics_get_item     (WcDiagnostics *self, guint i);
guint               wc_diagnostics_count        (WcDiagnostics *self, WcSeverity severity);
gboolean            wc_diagnostics_has_errors   (WcDiagnostics *self);
/* Sorts by line, then column (stable), so that reports read top to bottom. */
void                wc_diagnostics_sort         (WcDiagnostics *self);

/* "FILE:LINE:COL: error: MESSAGE [at PATH] (HINT)", one per line. */
char               *wc_diagnostic_format        (const WcDiagnostic *d);
/* The findings as a JSON array of objects {severity, file, line, column, path, message, hint}. */
JsonNode           *wc_diagnostics_to_json      (WcDiagnostics *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcDiagnostics, wc_diagnostics_unref)

/* Edit distance, for "did you mean" hints. */
guint               wc_levenshtein              (const char *a, const char *b);
/* The candidate closest to @word if close enough to be a plausible typo, else NULL. */
const char         *wc_closest_word             (const char        *word,
                                                 const char *const *candidates);

G_END_DECLS
