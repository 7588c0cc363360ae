/* wc-csv.c: reading and writing CSV as spreadsheets do. */
#define G_LOG_DOMAIN "wc-csv"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-csv.h"

static void
row_free (gpointer data)
{
  WcCsvRow *row = data;

  g_ptr_array_unref (row->cells);
  g_free (row);
}

void
wc_csv_table_free (WcCsvTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->rows);
  g_free (table);
}

/* The separator is the one of ',' ';' TAB that the header line uses most, outside quotes: a
 * spreadsheet in a Dutch or French locale saves ';'. */
static char
detect_separator (const char *p,
                  const char *end)
{
  guint commas = 0, semicolons = 0, tabs = 0;
  gboolean quoted = FALSE;

  for (; p < end; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (!quoted && (*p == '\n' || *p == '\r'))
        break;
      else if (!quoted && *p == ',')
        commas++;
      else if (!quoted && *p == ';')
        semicolons++;
      else if (!quoted && *p == '\t')
        tabs++;
    }
  if (tabs > 0 && tabs >= commas && tabs >= semicolons)
    return '\t';
  return semicolons > commas ? ';' : ',';
}

WcCsvTable *
wc_csv_parse (const char    *data,
              gsize          length,
              WcDiagnostics *diag)
{
  g_autofree char *converted = NULL;
  WcCsvTable *table = g_new0 (WcCsvTable, 1);
  GString *cell = g_string_new (NULL);
  WcCsvRow *row = NULL;
  const char *p, *end;
  guint line = 1, quote_line = 0;
  gboolean quoted = FALSE, after_quote = FALSE, cell_started = FALSE;

  table->rows = g_ptr_array_new_with_free_func (row_free);
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      table->had_bom = TRUE;
      data += 3;
      length -= 3;
    }
  if (!g_utf8_validate (data, length, NULL))
    {
      /* Excel on Windows saves "CSV" in the ANSI code page unless told otherwise. */
      converted = g_convert (data, length, "UTF-8", "WINDOWS-1252", NULL, &length, NULL);
      if (converted == NULL)
        {
          wc_diagnostics_add (diag, WC_SEVERITY_ERROR, 0, 0, NULL,
                              _("save the sheet as “CSV UTF-8”"),
                              _("the file is neither UTF-8 nor Windows-1252 text"));
          g_string_free (cell, TRUE);
          wc_csv_table_free (table);
          return NULL;
        }
      wc_diagnostics_add (diag, WC_SEVERITY_WARNING, 0, 0, NULL,
                          _("save the sheet as “CSV UTF-8” to be sure of accents"),
                          _("the file is not UTF-8; it was read as Windows-1252"));
      table->was_converted = TRUE;
      data = converted;
    }
  p = data;
  end = data + length;
  table->separator = detect_separator (p, end);

#define NEW_ROW_IF_NEEDED()                                        \
  G_STMT_START {                                                   \
    if (row == NULL)                                               \
      {                                                            \
        row = g_new0 (WcCsvRow, 1);                                \
        row->cells = g_ptr_array_new_with_free_func (g_free);      \
        row->line = line;                                          \
      }                                                            \
  } G_STMT_END
#define END_CELL()                                                 \
  G_STMT_START {                                                   \
    NEW_ROW_IF_NEEDED ();                                          \
    g_ptr_array_add (row->cells, g_strdup (cell->str));            \
    g_string_truncate (cell, 0);                                   \
    after_quote = FALSE;                                           \
    cell_started = FALSE;                                          \
  } G_STMT_END

  for (; p < end; p++)
    {
      char c = *p;

      if (quoted)
        {
          if (c == '"' && p + 1 < end && p[1] == '"')
            {
              g_string_append_c (cell, '"');
              p++;
            }
          else if (c == '"')
            {
              quoted = FALSE;
              after_quote = TRUE;
            }
          else
            {
              if (c == '\n' || (c == '\r' && !(p + 1 < end && p[1] == '\n')))
                line++;
              g_string_append_c (cell, c);
            }
          continue;
        }
      if (c == table->separator)
        {
          END_CELL ();
          continue;
        }
      if (c == '\r' || c == '\n')
        {
          if (c == '\r' && p + 1 < end && p[1] == '\n')
            p++;
          /* a blank line ends nothing and starts nothing */
          if (row != NULL || cell_started || cell->len > 0)
            {
              END_CELL ();
              row->number = table->rows->len + 1;
              g_ptr_array_add (table->rows, row);
              row = NULL;
            }
          line++;
          continue;
        }
      if (c == '"' && !cell_started)
        {
          quoted = TRUE;
          cell_started = TRUE;
          quote_line = line;
          continue;
        }
      if (c == '"' || after_quote)
        {
          g_autofree char *place = g_strdup_printf (_("row %u"), table->rows->len + 1);

          wc_diagnostics_add (diag, WC_SEVERITY_WARNING, line, 0, place, NULL,
                              after_quote ? _("text after a closing quote is kept as it is")
                                          : _("a quote inside an unquoted cell is kept as it is"));
          after_quote = FALSE;
        }
      cell_started = TRUE;
      g_string_append_c (cell, c);
    }
  if (quoted)
    wc_diagnostics_add (diag, WC_SEVERITY_ERROR, quote_line, 0, NULL,
                        _("close the quote, or double a quote that is part of the text (\"\")"),
                        _("a quoted cell opened here is never closed"));
  if (row != NULL || cell_started || cell->len > 0)
    {
      END_CELL ();
      row->number = table->rows->len + 1;
              g_ptr_array_add (table->rows, row);
    }
#undef END_CELL
#undef NEW_ROW_IF_NEEDED
  g_string_free (cell, TRUE);
  return table;
}

static gboolean
needs_quotes (const char *cell,
              char        separator)
{
  gsize n = strlen (cell);

  return strchr (cell, separator) || strchr (cell, '"') || strchr (cell, '\n') ||
         strchr (cell, '\r') || (n > 0 && (g_ascii_isspace (cell[0]) || g_ascii_isspace (cell[n - 1])));
}

void
wc_csv_append_row (GString            *out,
                   char                separator,
                   const char *const  *cells,
                   guint               n_cells)
{
  for (guint i = 0; i < n_cells; i++)
    {
      const char *cell = cells[i] ? cells[i] : "";

      if (i > 0)
        g_string_append_c (out, separator);
      if (!needs_quotes (cell, separator))
        {
          g_string_append (out, cell);
          continue;
        }
      g_string_append_c (out, '"');
      for (const char *c = cell; *c; c++)
        {
          if (*c == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *c);
        }
      g_string_append_c (out, '"');
    }
  g_string_append (out, "\r\n");
}
