/* wc-import-workbook-ods.c: one sheet of an ODS workbook (content.xml, streamed) into the grid:
 * covered and spanned cells, repeated rows and columns (bounded: a million repeated empty rows
 * cost nothing), typed dates and times as the spreadsheet shows them. */
#define G_LOG_DOMAIN "wc-import"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wc-import-workbook-private.h"

static gboolean
ods_spans (Xml   *x,
           guint *cols,
           guint *rows,
           guint *repeat)
{
  g_autofree char *c = wc_workbook_attr (x, "table:number-columns-spanned");
  g_autofree char *r = wc_workbook_attr (x, "table:number-rows-spanned");
  g_autofree char *rep = wc_workbook_attr (x, "table:number-columns-repeated");

  *cols = c ? (guint) CLAMP (atoi (c), 1, WC_IMPORT_MAX_COLUMNS) : 1;
  *rows = r ? (guint) CLAMP (atoi (r), 1, WC_IMPORT_MAX_ROWS) : 1;
  *repeat = rep ? (guint) CLAMP (atoll (rep), 1, G_MAXINT) : 1;
  return TRUE;
}

/* "PT09H30M00S" → "09:30"; "2024-03-12T09:00:00" → "2024-03-12 09:00". */
static char *
ods_typed_value (Xml *x)
{
  g_autofree char *type = wc_workbook_attr (x, "office:value-type");

  if (g_strcmp0 (type, "time") == 0)
    {
      g_autofree char *v = wc_workbook_attr (x, "office:time-value");
      int h = 0, m = 0;

      if (v && sscanf (v, "PT%dH%dM", &h, &m) == 2)
        return g_strdup_printf ("%02d:%02d", h, m);
    }
  else if (g_strcmp0 (type, "date") == 0)
    {
      g_autofree char *v = wc_workbook_attr (x, "office:date-value");

      if (v && strlen (v) >= 16 && v[10] == 'T')
        return g_strdup_printf ("%.10s %.5s", v, v + 11);
      if (v)
        return g_strndup (v, 10);
    }
  return NULL;
}

gboolean
wc_workbook_read_ods (GsfInfile   *zip,
                      Grid        *g,
                      const char  *wanted,
                      GPtrArray   *sheets,
                      GArray      *merges)
{
  g_autoptr(GBytes) bytes = wc_workbook_read_member (zip, g->name, "content.xml", TRUE, g->error);
  g_autoptr(GString) value = g_string_new (NULL);
  g_autofree char *typed = NULL;
  guint row = 0, col = 0, row_repeat = 1, span_c = 1, span_r = 1, col_repeat = 1;
  int depth_p = 0, table_index = -1, chosen = -1;
  gboolean in_cell = FALSE, row_has = FALSE;
  Xml x;

  if (bytes == NULL || !wc_workbook_xml_open (&x, bytes, g->name, "content.xml", g->error))
    return FALSE;
  while (wc_workbook_xml_next (&x) == 1)
    {
      const char *text;

      if (wc_workbook_is_element (&x, "table") && xmlTextReaderConstNamespaceUri (x.reader) &&
          g_str_has_suffix ((const char *) xmlTextReaderConstNamespaceUri (x.reader), ":table:1.0"))
        {
          g_autofree char *name = wc_workbook_attr (&x, "table:name");

          table_index++;
          g_ptr_array_add (sheets, g_strdup (name ? name : ""));
          if (chosen < 0 && (wanted == NULL || g_strcmp0 (name, wanted) == 0))
            chosen = table_index;
          row = 0;
        }
      if (table_index != chosen || chosen < 0)
        continue;
      if (wc_workbook_is_element (&x, "table-row"))
        {
          g_autofree char *rep = wc_workbook_attr (&x, "table:number-rows-repeated");

          row_repeat = rep ? (guint) CLAMP (atoll (rep), 1, G_MAXINT) : 1;
          col = 0;
          row_has = FALSE;
        }
      else if (wc_workbook_is_end (&x, "table-row"))
        {
          /* repeated empty rows (a sheet's million blank rows at its end) take no room */
          if (row_has && row_repeat > 1)
            for (guint k = 1; k < row_repeat; k++)
              {
                GPtrArray *src = g_ptr_array_index (g->rows, row);

                for (guint c = 0; src && c < src->len; c++)
                  if (g_ptr_array_index (src, c) &&
                      !wc_workbook_grid_set (g, row + k, c, g_strdup (g_ptr_array_index (src, c))))
                    goto fail;
              }
          row = (guint) MIN ((guint64) row + row_repeat, WC_IMPORT_MAX_ROWS + 1);
        }
      else if (wc_workbook_is_element (&x, "table-cell") || wc_workbook_is_element (&x, "covered-table-cell"))
        {
          ods_spans (&x, &span_c, &span_r, &col_repeat);
          g_clear_pointer (&typed, g_free);
          typed = ods_typed_value (&x);
          g_string_truncate (value, 0);
          depth_p = 0;
          in_cell = TRUE;
          if (wc_workbook_is_element (&x, "covered-table-cell"))
            span_c = span_r = 1;
          if (xmlTextReaderIsEmptyElement (x.reader))
            goto cell_end;
        }
      else if (in_cell && wc_workbook_is_element (&x, "p"))
        {
          if (depth_p++ > 0 || value->len > 0)
            g_string_append_c (value, '\n');
          if (xmlTextReaderIsEmptyElement (x.reader))
            depth_p--;
        }
      else if (in_cell && wc_workbook_is_element (&x, "s"))
        {
          g_autofree char *c = wc_workbook_attr (&x, "text:c");

          for (int k = c ? CLAMP (atoi (c), 1, 1000) : 1; k > 0; k--)
            g_string_append_c (value, ' ');
        }
      else if (in_cell && (wc_workbook_is_element (&x, "line-break") || wc_workbook_is_element (&x, "tab")))
        g_string_append_c (value, wc_workbook_is_element (&x, "tab") ? '\t' : '\n');
      else if (in_cell && wc_workbook_is_element (&x, "annotation"))
        {
          /* a comment on the cell is not its value */
          int depth = xmlTextReaderDepth (x.reader);

          if (!xmlTextReaderIsEmptyElement (x.reader))
            while (wc_workbook_xml_next (&x) == 1 && !(wc_workbook_is_end (&x, "annotation") && xmlTextReaderDepth (x.reader) == depth))
              ;
        }
      else if (in_cell && wc_workbook_is_end (&x, "p"))
        depth_p--;
      else if (in_cell && depth_p > 0 && (text = wc_workbook_text_value (&x)) != NULL)
        {
          if (value->len + strlen (text) > WC_CSV_MAX_CELL_BYTES)
            {
              g_set_error (g->error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_TOO_LARGE,
                           _("%s: a cell of row %u holds more than %u bytes: refused"), g->name,
                           row + 1, WC_CSV_MAX_CELL_BYTES);
              goto fail;
            }
          g_string_append (value, text);
        }
      else if (wc_workbook_is_end (&x, "table-cell") || wc_workbook_is_end (&x, "covered-table-cell"))
        {
cell_end:
          in_cell = FALSE;
          if (value->len > 0 || typed)
            {
              const char *v = typed ? typed : value->str;

              if (row >= WC_IMPORT_MAX_ROWS)
                {
                  wc_workbook_too_large (g, _("rows"), WC_IMPORT_MAX_ROWS);
                  goto fail;
                }
              for (guint k = 0; k < col_repeat; k++)
                if (!wc_workbook_grid_set (g, row, col + k, g_strdup (v)))
                  goto fail;
              row_has = TRUE;
              if (span_c > 1 || span_r > 1)
                {
                  guint c[4] = { col, row, col + span_c - 1, row + span_r - 1 };

                  g_array_append_vals (merges, c, 4);
                }
            }
          /* empty repeated cells (to the sheet's 1024th column) take no room either */
          col = (guint) MIN ((guint64) col + col_repeat, WC_IMPORT_MAX_COLUMNS + 1);
        }
    }
  wc_workbook_xml_close (&x);
  if (g->error && *g->error)
    return FALSE;
  if (chosen < 0)
    {
      g_set_error (g->error, WC_IMPORT_ERROR, wanted ? WC_IMPORT_ERROR_NO_SHEET : WC_IMPORT_ERROR_CORRUPT,
                   wanted ? _("%s: the workbook has no sheet named “%s”") : _("%s: the workbook has no sheet"),
                   g->name, wanted);
      return FALSE;
    }
  return TRUE;

fail:
  wc_workbook_xml_close (&x);
  return FALSE;
}
