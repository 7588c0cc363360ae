/* wc-import-companions.c: what an export writes beside the injects and reads back: the sheets
 * "Exercise" and "Teams" of a workbook (NAME-exercise.csv, NAME-teams.csv beside a CSV), and the
 * CSV file and the neutralised cells themselves, read for the tolerant sheet import. */
#define G_LOG_DOMAIN "wc-import"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-import-sheet-private.h"
#include "wc-scenario-loader.h"

/* The table of a CSV file: UTF-16 is refused with a word on how to save it. */
WcCsvTable *
wc_sheet_read_csv (const char     *path,
                   WcDiagnostics  *diag,
                   GError        **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *data = NULL;
  gsize length;

  data = wc_csv_read_file (path, &length, &local);
  if (data == NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_IO, "%s", local->message);
      return NULL;
    }
  if (length >= 2 && (((guchar) data[0] == 0xff && (guchar) data[1] == 0xfe) ||
                      ((guchar) data[0] == 0xfe && (guchar) data[1] == 0xff) ||
                      memchr (data, '\0', length) != NULL))
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID,
                   _("%s: the sheet is in UTF-16, which Whitecell does not read: save it as "
                     "“CSV UTF-8” (or as XLSX / ODS)"), path);
      return NULL;
    }
  return wc_csv_parse (data, length, diag);
}

/* The cells the writer neutralised ("'=…") back as they were: only a workbook's cells, the CSV
 * reader does it for CSV. */
void
wc_sheet_unneutralise (WcCsvTable *table)
{
  for (guint r = 0; r < table->rows->len; r++)
    {
      WcCsvRow *row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < row->cells->len; c++)
        {
          char *v = g_ptr_array_index (row->cells, c);

          if (v[0] == '\'' && v[1] != '\0' && strchr ("=+-@\t\r", v[1]) != NULL)
            memmove (v, v + 1, strlen (v));
        }
    }
}

/* The exercise and its teams as an export wrote them: sheets "Exercise" and "Teams" of a workbook,
 * or NAME-exercise.csv and NAME-teams.csv beside a CSV. Each table: key/value, and a header. */
WcCsvTable *
wc_sheet_read_companion (const char     *path,
                         WcImportFormat  format,
                         const char     *what)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);

  if (format == WC_IMPORT_CSV)
    {
      g_autofree char *stem = g_strndup (path, strrchr (path, '.') && strrchr (path, '.') > strrchr (path, '/')
                                                 ? (gsize) (strrchr (path, '.') - path) : strlen (path));
      g_autofree char *lower = g_ascii_strdown (what, -1);
      g_autofree char *companion = g_strdup_printf ("%s-%s.csv", stem, lower);

      if (!g_file_test (companion, G_FILE_TEST_IS_REGULAR))
        return NULL;
      return wc_sheet_read_csv (companion, diag, NULL);
    }
  else
    {
      WcCsvTable *table = wc_workbook_read (path, format, what, NULL, NULL);

      if (table)
        wc_sheet_unneutralise (table);
      return table;
    }
}

/* What the MSEL cannot hold, from the companion tables, onto the document: exercise id, title,
 * TLP, languages, duration, objectives; the teams' kinds, languages, sectors and contacts. */
void
wc_sheet_apply_companions (JsonObject     *root,
                           WcCsvTable     *exercise,
                           WcCsvTable     *teams,
                           WcImportReport *report)
{
  JsonObject *ex = json_object_get_object_member (root, "exercise");
  JsonArray *team_array = json_object_get_array_member (root, "teams");

  for (guint r = 1; exercise && r < exercise->rows->len; r++)
    {
      WcCsvRow *row = g_ptr_array_index (exercise->rows, r);
      const char *key = wc_sheet_row_cell (row, 0), *value = wc_sheet_row_cell (row, 1);

      if (*value == '\0')
        continue;
      if (g_str_equal (key, "languages"))
        {
          g_auto(GStrv) langs = g_strsplit (value, ",", -1);
          JsonArray *a = json_array_new ();

          for (guint i = 0; langs[i]; i++)
            json_array_add_string_element (a, g_strstrip (langs[i]));
          json_object_set_array_member (ex, "languages", a);
        }
      else if (g_str_has_prefix (key, "objective "))
        {
          JsonArray *a = json_object_has_member (ex, "objectives")
                           ? json_object_get_array_member (ex, "objectives") : NULL;
          JsonObject *o = json_object_new ();

          if (a == NULL)
            {
              a = json_array_new ();
              json_object_set_array_member (ex, "objectives", a);
            }
          json_object_set_string_member (o, "id", key + strlen ("objective "));
          json_object_set_string_member (o, "text", value);
          json_array_add_object_element (a, o);
        }
      else if (g_str_equal (key, "id") || g_str_equal (key, "title") || g_str_equal (key, "tlp") ||
               g_str_equal (key, "duration") || g_str_equal (key, "default_language") ||
               g_str_equal (key, "description"))
        json_object_set_string_member (ex, key, value);
      else
        continue;
      wc_import_report_add (report, WC_MAPPING_MAPPED, "Exercise", _("%s of the exercise"), key);
    }
  for (guint r = 1; teams && r < teams->rows->len; r++)
    {
      WcCsvRow *row = g_ptr_array_index (teams->rows, r);
      WcCsvRow *header = g_ptr_array_index (teams->rows, 0);

      for (guint t = 0; t < json_array_get_length (team_array); t++)
        {
          JsonObject *o = json_array_get_object_element (team_array, t);

          if (g_strcmp0 (json_object_get_string_member (o, "id"), wc_sheet_row_cell (row, 0)) != 0)
            continue;
          for (guint c = 1; c < header->cells->len; c++)
            if (*wc_sheet_row_cell (row, c))
              json_object_set_string_member (o, wc_sheet_row_cell (header, c), wc_sheet_row_cell (row, c));
          wc_import_report_add (report, WC_MAPPING_MAPPED, "Teams", _("team “%s”: kind, language, sector"),
                                wc_sheet_row_cell (row, 0));
        }
    }
}
