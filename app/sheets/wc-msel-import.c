/* wc-msel-import.c: an MSEL spreadsheet into a version-1 scenario document, with findings.
 *
 * Planners' sheets differ in their headings ("Event #", "Scenario Time", "Mode", "Expected Player
 * Action"…), in their languages and in their locale's separator. Every problem names its row and
 * column; what only the scenario loader can tell is placed on the sheet too.
 */
#define G_LOG_DOMAIN "wc-msel"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-msel-private.h"
#include "wc-scenario-loader.h"

G_DEFINE_QUARK (wc-msel-error-quark, wc_msel_error)

void
wc_msel_mapping_clear (WcMselMapping *mapping)
{
  g_clear_pointer (&mapping->mapped, g_ptr_array_unref);
  g_clear_pointer (&mapping->ignored, g_ptr_array_unref);
}

#define TIME_UNKNOWN (-2)
#define TIME_NEVER   (-1)  /* manual, or after an inject that never comes */

/* When @o comes, its trigger's delay after @base, the time of the inject it follows. */
static gint64
time_after (JsonObject *o,
            gint64      base)
{
  JsonObject *trigger = json_object_get_object_member (o, "trigger");
  const char *d = json_object_get_string_member_with_default (
    trigger, "delay", json_object_get_string_member_with_default (trigger, "within", "0"));
  gint64 delay;

  if (base < 0 || !wc_msel_parse_time (d, &delay))
    return TIME_NEVER;
  return base + delay;
}

/* The time every inject is expected at, following after / no-response chains: each chain is
 * walked once (a sheet of 10,000 injects each after the next must not take n² steps). */
static gint64
latest_time (JsonArray *injects)
{
  guint n = json_array_get_length (injects);
  g_autoptr(GHashTable) first = g_hash_table_new (g_str_hash, g_str_equal);  /* id → index + 1 */
  g_autofree gint64 *at = g_new (gint64, n);
  g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 latest = 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_array_get_object_element (injects, i);
      const char *id = json_object_get_string_member (o, "id");

      at[i] = TIME_UNKNOWN;
      if (!g_hash_table_contains (first, id))
        g_hash_table_insert (first, (gpointer) id, GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < n; i++)
    {
      guint k = i;
      gint64 ms;

      /* back along the triggers to an inject whose time is known, or has a time of its own */
      while (at[k] == TIME_UNKNOWN)
        {
          JsonObject *o = json_array_get_object_element (injects, k);
          JsonObject *trigger = json_object_has_member (o, "trigger")
                                  ? json_object_get_object_member (o, "trigger") : NULL;
          gpointer base = NULL;

          if (json_object_has_member (o, "at"))
            {
              if (!wc_time_parse (json_object_get_string_member (o, "at"), &at[k]))
                at[k] = TIME_NEVER;
              break;
            }
          /* never, unless the walk comes back with a time: a cycle stops here */
          at[k] = TIME_NEVER;
          if (trigger && json_object_has_member (trigger, "inject"))
            base = g_hash_table_lookup (first, json_object_get_string_member (trigger, "inject"));
          if (base == NULL)
            break;
          g_array_append_val (chain, k);
          k = GPOINTER_TO_UINT (base) - 1;
        }
      /* and forward again, each its delay after the one it follows */
      ms = at[k];
      for (guint c = chain->len; c > 0; c--)
        {
          guint j = g_array_index (chain, guint, c - 1);

          ms = at[j] = time_after (json_array_get_object_element (injects, j), ms);
        }
      g_array_set_size (chain, 0);
      latest = MAX (latest, ms);
    }
  return latest;
}

static JsonArray *
parties_array (GPtrArray  *parties,
               gboolean    teams,
               const char *language)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < parties->len; i++)
    {
      Party *p = g_ptr_array_index (parties, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "id", p->id);
      json_object_set_string_member (o, "name", p->name);
      if (teams)
        {
          json_object_set_string_member (o, "kind", wc_msel_guess_kind (p->name));
          json_object_set_string_member (o, "language", language);
        }
      json_array_add_object_element (array, o);
    }
  return array;
}

/* Checks the document with the scenario loader; its findings are placed on the sheet's rows. */
static void
validate_document (Import     *im,
                   JsonNode   *document,
                   const char *base_dir)
{
  g_autoptr(WcDiagnostics) found = wc_diagnostics_new ("scenario");
  g_autoptr(GRegex) inject_path = g_regex_new ("^\\$\\.injects\\[([0-9]+)\\](?:\\.([a-z_]+))?", 0, 0, NULL);
  g_autoptr(WcScenario) scenario = NULL;
  g_autofree char *data = json_to_string (document, TRUE);

  scenario = wc_scenario_load_data (data, strlen (data), base_dir, found, NULL);
  for (guint i = 0; i < wc_diagnostics_get_n_items (found); i++)
    {
      const WcDiagnostic *d = wc_diagnostics_get_item (found, i);
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *k = NULL;
      g_autofree char *member = NULL;
      guint index;
      WcCsvRow *row;

      if (d->path == NULL || !g_regex_match (inject_path, d->path, 0, &match))
        {
          wc_diagnostics_add (im->diag, d->severity, 0, 0, d->path, d->hint, "%s", d->message);
          continue;
        }
      k = g_match_info_fetch (match, 1);
      member = g_match_info_fetch (match, 2);
      index = (guint) g_ascii_strtoull (k, NULL, 10);
      if (index >= im->rows->len)
        continue;
      row = g_ptr_array_index (im->rows, index);
      wc_msel_row_problem (im, d->severity, row, wc_msel_column_of_member (im, member), d->hint, "%s", d->message);
    }
}

JsonNode *
wc_msel_import_data (const char                 *data,
                     gsize                       length,
                     const char                 *name,
                     const char                 *base_dir,
                     const WcMselImportOptions  *options,
                     WcDiagnostics              *diag,
                     WcMselMapping              *mapping,
                     GError                    **error)
{
  g_autoptr(WcCsvTable) table = NULL;
  guint errors_before = wc_diagnostics_count (diag, WC_SEVERITY_ERROR);
  JsonNode *document;

  table = wc_csv_parse (data, length, diag);
  if (table == NULL)
    {
      mapping->mapped = g_ptr_array_new_with_free_func (g_free);
      mapping->ignored = g_ptr_array_new_with_free_func (g_free);
      if (wc_diagnostics_count (diag, WC_SEVERITY_ERROR) == errors_before)
        wc_diagnostics_add (diag, WC_SEVERITY_ERROR, 0, 0, NULL, NULL, _("the sheet is empty"));
      g_set_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_INVALID, _("%s: the sheet cannot be read"), name);
      return NULL;
    }
  document = wc_msel_import_table (table, name, base_dir, options, diag, mapping, error);
  /* the reader's own errors (an over-long cell, too many columns) fail the sheet too */
  if (document != NULL && wc_diagnostics_count (diag, WC_SEVERITY_ERROR) > errors_before)
    {
      guint n = wc_diagnostics_count (diag, WC_SEVERITY_ERROR) - errors_before;

      g_set_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "%s: %u error", "%s: %u errors", n), name, n);
      g_clear_pointer (&document, json_node_unref);
    }
  return document;
}

/* The same from a table already read (a CSV, or a workbook's sheet). */
JsonNode *
wc_msel_import_table (WcCsvTable                 *table,
                      const char                 *name,
                      const char                 *base_dir,
                      const WcMselImportOptions  *options,
                      WcDiagnostics              *diag,
                      WcMselMapping              *mapping,
                      GError                    **error)
{
  const WcMselImportOptions defaults = { 0 };
  g_auto(GStrv) option_langs = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *tlp = NULL;
  JsonObject *root, *exercise;
  JsonArray *injects, *languages, *objectives;
  gboolean plain_texts = FALSE;
  guint errors_before = wc_diagnostics_count (diag, WC_SEVERITY_ERROR);
  Import im = { 0 };
  JsonNode *document;

  if (options == NULL)
    options = &defaults;
  mapping->mapped = g_ptr_array_new_with_free_func (g_free);
  mapping->ignored = g_ptr_array_new_with_free_func (g_free);

  if (table->rows->len == 0)
    {
      if (wc_diagnostics_count (diag, WC_SEVERITY_ERROR) == errors_before)
        wc_diagnostics_add (diag, WC_SEVERITY_ERROR, 0, 0, NULL, NULL, _("the sheet is empty"));
      g_set_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_INVALID,
                   table == NULL ? _("%s: the sheet cannot be read") : _("%s: the sheet is empty"),
                   name);
      return NULL;
    }

  im.diag = diag;
  im.columns = g_ptr_array_new_with_free_func (wc_msel_column_free);
  im.langs = g_ptr_array_new_with_free_func (g_free);
  im.teams = g_ptr_array_new_with_free_func (wc_msel_party_free);
  im.actors = g_ptr_array_new_with_free_func (wc_msel_party_free);
  im.objectives = g_ptr_array_new_with_free_func (wc_msel_party_free);
  im.inject_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.rows = g_ptr_array_new ();

  option_langs = g_strsplit (options->languages ? options->languages : "en", ",", -1);
  for (guint i = 0; option_langs[i]; i++)
    {
      g_strstrip (option_langs[i]);
      if (*option_langs[i] && !g_ptr_array_find_with_equal_func (im.langs, option_langs[i], g_str_equal, NULL))
        g_ptr_array_add (im.langs, g_strdup (option_langs[i]));
    }
  if (im.langs->len == 0)
    g_ptr_array_add (im.langs, g_strdup ("en"));
  wc_msel_map_columns (&im, g_ptr_array_index (table->rows, 0), mapping);
  for (guint i = 0; i < im.columns->len; i++)
    {
      Column *col = g_ptr_array_index (im.columns, i);

      plain_texts |= col->lang == NULL && (col->field == F_TITLE || col->field == F_BODY);
    }
  /* Only "Subject (nl)", "Subject (fr)"…: the languages of the columns, in their order */
  if (!plain_texts && options->languages == NULL && im.langs->len > 1)
    {
      g_ptr_array_set_size (im.langs, 0);
      for (guint i = 0; i < im.columns->len; i++)
        {
          Column *col = g_ptr_array_index (im.columns, i);

          if (col->lang && !g_ptr_array_find_with_equal_func (im.langs, col->lang, g_str_equal, NULL))
            g_ptr_array_add (im.langs, g_strdup (col->lang));
        }
    }
  {
    gboolean has_title = FALSE;

    for (guint i = 0; i < im.columns->len; i++)
      has_title |= ((Column *) g_ptr_array_index (im.columns, i))->field == F_TITLE;
    if (!has_title)
      wc_diagnostics_add (diag, WC_SEVERITY_ERROR, 1, 0, NULL,
                          _("name a column “Subject”, “Title” or “Event”"),
                          _("no column holds the injects' subjects"));
  }

  injects = json_array_new ();
  for (guint r = 1; r < table->rows->len; r++)
    {
      WcCsvRow *row = g_ptr_array_index (table->rows, r);
      gboolean empty = TRUE;

      for (guint c = 0; c < row->cells->len; c++)
        {
          char *value = g_ptr_array_index (row->cells, c);
          char *w = value;

          /* a spreadsheet's line breaks inside a cell are CRLF: the scenario's are LF */
          for (const char *q = value; *q; q++)
            if (!(q[0] == '\r' && q[1] == '\n'))
              *w++ = *q == '\r' ? '\n' : *q;
          *w = '\0';
          empty &= *g_strstrip (value) == '\0';
        }
      if (empty)
        continue;
      if (row->cells->len > im.columns->len)
        wc_msel_row_problem (&im, WC_SEVERITY_WARNING, row, 0, NULL,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "%u cells, but the header has %u column: the rest are "
                                          "ignored",
                                          "%u cells, but the header has %u columns: the rest are "
                                          "ignored", im.columns->len),
                             row->cells->len, im.columns->len);
      g_ptr_array_add (im.rows, row);
      json_array_add_object_element (injects, wc_msel_inject_of_row (&im, row, json_array_get_length (injects)));
    }
  if (json_array_get_length (injects) == 0)
    wc_diagnostics_add (diag, WC_SEVERITY_ERROR, 0, 0, NULL, NULL, _("the sheet holds no injects"));
  if (im.teams->len == 0 && json_array_get_length (injects) > 0)
    wc_diagnostics_add (diag, WC_SEVERITY_ERROR, 0, 0, NULL,
                        _("name the teams in the recipients column"),
                        _("no team is named anywhere in the sheet"));

  /* The exercise */
  stem = g_path_get_basename (name);
  if (strrchr (stem, '.'))
    *strrchr (stem, '.') = '\0';
  exercise = json_object_new ();
  {
    g_autofree char *slug = wc_msel_slugify (stem);

    json_object_set_string_member (exercise, "id",
                                   options->exercise_id ? options->exercise_id : *slug ? slug : "msel");
  }
  json_object_set_string_member (exercise, "title", options->title ? options->title : stem);
  objectives = json_array_new ();
  for (guint i = 0; i < im.objectives->len; i++)
    {
      Party *p = g_ptr_array_index (im.objectives, i);
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "id", p->id);
      json_object_set_string_member (obj, "text", p->name);
      json_array_add_object_element (objectives, obj);
    }
  if (json_array_get_length (objectives) > 0)
    json_object_set_array_member (exercise, "objectives", objectives);
  else
    json_array_unref (objectives);
  tlp = g_ascii_strup (options->tlp ? options->tlp : "AMBER", -1);
  json_object_set_string_member (exercise, "tlp", tlp);
  languages = json_array_new ();
  for (guint i = 0; i < im.langs->len; i++)
    json_array_add_string_element (languages, g_ptr_array_index (im.langs, i));
  json_object_set_array_member (exercise, "languages", languages);
  json_object_set_string_member (exercise, "default_language", g_ptr_array_index (im.langs, 0));
  if (options->duration)
    duration = g_strdup (options->duration);
  else
    {
      /* the last inject, rounded up to the half hour, and half an hour to answer it */
      gint64 half_hour = 30 * 60000, last = latest_time (injects);

      duration = wc_time_format ((last + half_hour - 1) / half_hour * half_hour + half_hour, TRUE);
    }
  json_object_set_string_member (exercise, "duration", duration);

  root = json_object_new ();
  json_object_set_string_member (root, "format", "whitecell-scenario");
  json_object_set_int_member (root, "version", 1);
  json_object_set_object_member (root, "exercise", exercise);
  json_object_set_array_member (root, "teams", parties_array (im.teams, TRUE, g_ptr_array_index (im.langs, 0)));
  if (im.actors->len > 0)
    json_object_set_array_member (root, "actors", parties_array (im.actors, FALSE, NULL));
  json_object_set_array_member (root, "injects", injects);
  document = json_node_init_object (json_node_alloc (), root);
  json_object_unref (root);

  /* The loader only speaks once the sheet itself reads well: no finding twice. */
  if (wc_diagnostics_count (diag, WC_SEVERITY_ERROR) == errors_before)
    validate_document (&im, document, base_dir);

  g_ptr_array_unref (im.columns);
  g_ptr_array_unref (im.langs);
  g_ptr_array_unref (im.teams);
  g_ptr_array_unref (im.actors);
  g_ptr_array_unref (im.objectives);
  g_hash_table_unref (im.inject_rows);
  g_ptr_array_unref (im.rows);

  wc_diagnostics_sort (diag);
  if (wc_diagnostics_count (diag, WC_SEVERITY_ERROR) > errors_before)
    {
      guint n = wc_diagnostics_count (diag, WC_SEVERITY_ERROR) - errors_before;

      g_set_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "%s: %u error", "%s: %u errors", n), name, n);
      json_node_unref (document);
      return NULL;
    }
  return document;
}

JsonNode *
wc_msel_import (const char                 *csv_path,
                const WcMselImportOptions  *options,
                WcDiagnostics              *diag,
                WcMselMapping              *mapping,
                GError                    **error)
{
  g_autofree char *data = NULL;
  g_autofree char *base_dir = g_path_get_dirname (csv_path);
  g_autoptr(GError) io_error = NULL;
  gsize length;

  /* the sheet is untrusted: a regular file, and a bounded one */
  data = wc_csv_read_file (csv_path, &length, &io_error);
  if (data == NULL)
    {
      wc_diagnostics_add (diag, WC_SEVERITY_ERROR, 0, 0, NULL, NULL, "%s", io_error->message);
      g_set_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_IO, "%s", io_error->message);
      mapping->mapped = g_ptr_array_new_with_free_func (g_free);
      mapping->ignored = g_ptr_array_new_with_free_func (g_free);
      return NULL;
    }
  return wc_msel_import_data (data, length, csv_path, base_dir, options, diag, mapping, error);
}