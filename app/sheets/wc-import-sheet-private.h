/* wc-import-sheet-private.h: what the tolerant sheet import's files share: the sheet as read
 * (its columns understood, its data rows), and the steps split out of wc-import-sheet.c: the
 * times (wc-import-times.c) and the companion sheets and files (wc-import-companions.c). */
#pragma once

#include "wc-import-private.h"
#include "wc-msel-private.h"

G_BEGIN_DECLS

/* Fields of this import beyond the MSEL's: a day column, and the clock time beside it. */
#define F_DAY ((Field) (N_FIELDS + 1))

typedef struct {
  Field  field;
  char  *lang;
  char  *heading;     /* as written */
  char  *key;         /* x-… for a column kept verbatim */
  gboolean guessed;
  gboolean clock;     /* the time column holds clock times */
} SrcColumn;

/* A sheet as read: its columns understood and its data rows (below the header). */
typedef struct {
  const char     *path;
  char           *base_dir;
  WcImportReport *report;
  GPtrArray      *cols;      /* SrcColumn */
  GPtrArray      *rows;      /* GPtrArray of char * per data row, source columns */
  GArray         *numbers;   /* the rows' numbers in the sheet */
} Sheet;

static inline const char *
wc_sheet_cell (Sheet *s,
               guint  r,
               guint  c)
{
  GPtrArray *row = g_ptr_array_index (s->rows, r);

  return c < row->len ? g_ptr_array_index (row, c) : "";
}

/* The column read as @field (not one kept verbatim), or -1. */
static inline gint
wc_sheet_column_of (Sheet *s,
                    Field  field)
{
  for (guint c = 0; c < s->cols->len; c++)
    {
      SrcColumn *col = g_ptr_array_index (s->cols, c);

      if (col->field == field && col->key == NULL)
        return (gint) c;
    }
  return -1;
}

static inline const char *
wc_sheet_row_cell (WcCsvRow *row,
                   guint     c)
{
  return c < row->cells->len ? g_ptr_array_index (row->cells, c) : "";
}

/* wc-import-times.c: the time of every row in ms from the start, or a trigger kept as written;
 * NULL when a row's time cannot be read (the error set). */
GPtrArray  *wc_sheet_resolve_times    (Sheet                  *s,
                                       const WcImportOptions  *options,
                                       GError                **error);

/* wc-import-companions.c: a CSV file's table (UTF-16 refused with a word on how to save it); a
 * workbook's cells that the writer neutralised ("'=…") back as they were; the sheet "Exercise" or
 * "Teams" that an export writes beside the injects (NAME-exercise.csv beside a CSV), NULL when
 * there is none; their values applied to the scenario's document. */
WcCsvTable *wc_sheet_read_csv         (const char             *path,
                                       WcDiagnostics          *diag,
                                       GError                **error);
void        wc_sheet_unneutralise     (WcCsvTable             *table);
WcCsvTable *wc_sheet_read_companion   (const char             *path,
                                       WcImportFormat          format,
                                       const char             *name);
void        wc_sheet_apply_companions (JsonObject             *root,
                                       WcCsvTable             *exercise,
                                       WcCsvTable             *teams,
                                       WcImportReport         *report);

G_END_DECLS
