/* wc-export-sheet.c: a scenario as a spreadsheet (CSV, XLSX, ODS) that imports back to the same
 * scenario from any folder: the MSEL columns, the kept x- fields, the exercise's and the teams'
 * settings on sheets of their own, and the attachments copied beside it. */
#define G_LOG_DOMAIN "wc-import"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-import-private.h"
#include "wc-msel.h"

static void
add_row (WcCsvTable        *table,
         const char *const *cells,
         guint              n)
{
  WcCsvRow *row = g_new0 (WcCsvRow, 1);

  row->cells = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (row->cells, g_strdup (cells[i] ? cells[i] : ""));
  row->line = row->number = table->rows->len + 1;
  g_ptr_array_add (table->rows, row);
}

static WcCsvTable *
table_new (void)
{
  WcCsvTable *table = g_new0 (WcCsvTable, 1);

  table->separator = ',';
  table->rows = g_ptr_array_new_with_free_func (wc_import_row_free);
  return table;
}

static char *
text_of (const WcText *text,
         const char   *lang)
{
  return g_strdup (text ? wc_text_get (text, lang, NULL) : "");
}

static WcCsvTable *
exercise_table (WcScenario *scenario)
{
  WcCsvTable *t = table_new ();
  const char *lang = wc_scenario_get_default_language (scenario);
  g_autofree char *languages = g_strjoinv (",", (char **) wc_scenario_get_languages (scenario));
  g_autofree char *title = text_of (wc_scenario_get_title (scenario), lang);
  g_autofree char *description = text_of (wc_scenario_get_description (scenario), lang);
  g_autofree char *duration = wc_time_format (wc_scenario_get_duration_ms (scenario), TRUE);
  const char *head[] = { "Setting", "Value" };

  add_row (t, head, 2);
  {
    const char *rows[][2] = {
      { "id", wc_scenario_get_id (scenario) }, { "title", title },
      { "tlp", wc_tlp_to_string (wc_scenario_get_tlp (scenario)) },
      { "languages", languages }, { "default_language", lang }, { "duration", duration },
      { "description", description },
    };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      add_row (t, rows[i], 2);
  }
  for (guint i = 0; i < wc_scenario_get_n_objectives (scenario); i++)
    {
      const WcObjective *o = wc_scenario_get_objective (scenario, i);
      g_autofree char *key = g_strdup_printf ("objective %s", o->id);
      g_autofree char *text = text_of (o->text, lang);
      const char *row[] = { key, text };

      add_row (t, row, 2);
    }
  return t;
}

static WcCsvTable *
teams_table (WcScenario *scenario)
{
  WcCsvTable *t = table_new ();
  const char *head[] = { "id", "kind", "language", "sector", "contact" };

  add_row (t, head, G_N_ELEMENTS (head));
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    {
      const WcTeam *team = wc_scenario_get_team (scenario, i);
      const char *row[] = { team->id, wc_team_kind_to_string (team->kind), team->language,
                            team->sector, team->contact };

      add_row (t, row, G_N_ELEMENTS (row));
    }
  return t;
}

/* The MSEL sheet (through the CSV exporter, so that both write one layout) with the x- columns. */
static WcCsvTable *
injects_table (WcScenario *scenario)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("export");
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  WcCsvTable *table;

  wc_msel_export (scenario, ',', FALSE, csv);
  table = wc_csv_parse (csv->str, csv->len, diag);
  for (guint i = 0; i < wc_scenario_get_n_injects (scenario); i++)
    {
      JsonObject *x = wc_import_get_extras (scenario, wc_scenario_get_inject (scenario, i)->id);
      g_autoptr(GList) members = x ? json_object_get_members (x) : NULL;

      for (GList *l = members; l; l = l->next)
        if (!g_ptr_array_find_with_equal_func (keys, l->data, g_str_equal, NULL))
          g_ptr_array_add (keys, g_strdup (l->data));
    }
  for (guint r = 0; r < table->rows->len; r++)
    {
      WcCsvRow *row = g_ptr_array_index (table->rows, r);
      JsonObject *x = r > 0 ? wc_import_get_extras (scenario, wc_scenario_get_inject (scenario, r - 1)->id) : NULL;

      for (guint k = 0; k < keys->len; k++)
        {
          const char *key = g_ptr_array_index (keys, k);

          g_ptr_array_add (row->cells, g_strdup (r == 0 ? key + strlen ("x-")
                                                 : x ? json_object_get_string_member_with_default (x, key, "")
                                                     : ""));
        }
    }
  return table;
}

WcImportFormat
wc_export_format_for_path (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".csv"))
    return WC_IMPORT_CSV;
  if (g_str_has_suffix (lower, ".xlsx"))
    return WC_IMPORT_XLSX;
  if (g_str_has_suffix (lower, ".ods"))
    return WC_IMPORT_ODS;
  return WC_IMPORT_UNKNOWN;
}

static gboolean
write_csv (const char  *path,
           WcCsvTable  *table,
           GError     **error)
{
  g_autoptr(GString) out = g_string_new ("\xEF\xBB\xBF");

  /* with a BOM: Excel then reads UTF-8 in every locale */
  for (guint r = 0; r < table->rows->len; r++)
    {
      WcCsvRow *row = g_ptr_array_index (table->rows, r);

      wc_csv_append_row (out, ',', (const char *const *) row->cells->pdata, row->cells->len);
    }
  return g_file_set_contents (path, out->str, out->len, error);
}

gboolean
wc_export_sheet (WcScenario      *scenario,
                 const char      *path,
                 WcImportFormat   format,
                 GError         **error)
{
  g_autoptr(WcCsvTable) injects = injects_table (scenario);
  g_autoptr(WcCsvTable) exercise = exercise_table (scenario);
  g_autoptr(WcCsvTable) teams = teams_table (scenario);
  g_autofree char *to_dir = g_path_get_dirname (path);
  g_autofree char *from_dir = wc_scenario_get_path (scenario)
                                ? g_path_get_dirname (wc_scenario_get_path (scenario)) : NULL;

  if (format == WC_IMPORT_CSV)
    {
      g_autofree char *stem = g_strndup (path, g_str_has_suffix (path, ".csv") ? strlen (path) - 4 : strlen (path));
      g_autofree char *ex_path = g_strconcat (stem, "-exercise.csv", NULL);
      g_autofree char *teams_path = g_strconcat (stem, "-teams.csv", NULL);

      if (!write_csv (path, injects, error) || !write_csv (ex_path, exercise, error) ||
          !write_csv (teams_path, teams, error))
        return FALSE;
    }
  else if (format == WC_IMPORT_XLSX || format == WC_IMPORT_ODS)
    {
      const WcWorkbookSheet sheets[] = {
        { "Injects", injects }, { "Exercise", exercise }, { "Teams", teams },
      };

      if (!wc_workbook_write (path, format, sheets, G_N_ELEMENTS (sheets), error))
        return FALSE;
    }
  else
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_UNSUPPORTED,
                   _("%s: a sheet is written as .csv, .xlsx or .ods"), path);
      return FALSE;
    }
  return from_dir == NULL || wc_msel_copy_attachments (scenario, from_dir, to_dir, error);
}
