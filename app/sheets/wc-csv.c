/* wc-csv.c: reading and writing CSV as spreadsheets do. */
#define G_LOG_DOMAIN "wc-csv"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-csv.h"
#include "wc-untrusted.h"

G_DEFINE_QUARK (wc-csv-error-quark, wc_csv_error)

static void
row_free (gpointer data)
{
  WcCsvRow *row = data;

  g_ptr_array_unref (row->cells);
  g_free (row);
}

char *
wc_csv_read_file (const char  *path,
                  gsize       *length,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *data = wc_untrusted_read_file (path, WC_CSV_MAX_BYTES, length, &local_error);

  if (data)
    return data;
  if (g_error_matches (local_error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_NOT_REGULAR))
    g_set_error (error, WC_CSV_ERROR, WC_CSV_ERROR_NOT_REGULAR,
                 _("%s: save the sheet as a CSV file and import that"), local_error->message);
  else if (g_error_matches (local_error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_TOO_LARGE))
    g_set_error (error, WC_CSV_ERROR, WC_CSV_ERROR_TOO_LARGE,
                 _("%s: an MSEL sheet is far smaller"), local_error->message);
  else
    g_set_error_literal (error, WC_CSV_ERROR, WC_CSV_ERROR_IO, local_error->message);
  return NULL;
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

/* A bound of the sheet's was passed: an error, at the row and column where it happened. */
G_GNUC_PRINTF (6, 7) static void
bound_problem (WcDiagnostics *diag,
               guint          line,
               guint          row,
               guint          column,
               const char    *hint,
               const char    *format,
               ...)
{
  g_autofree char *message = NULL;
  g_autofree char *place = column > 0 ? g_strdup_printf (_("row %u, column %u"), row, column)
                                       : g_strdup_printf (_("row %u"), row);
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  wc_diagnostics_add (diag, WC_SEVERITY_ERROR, line, column, place, hint, "%s", message);
}

WcCsvTable *
wc_csv_parse (const char    *data,
              gsize          length,
              WcDiagnostics *diag)
{
  g_autofree char *converted = NULL;
  WcCsvTable *table;
  GString *cell;
  WcCsvRow *row = NULL;
  const char *p, *end;
  guint line = 1, quote_line = 0, cell_line = 1;
  gboolean quoted = FALSE, after_quote = FALSE, cell_started = FALSE;
  gboolean cell_cut = FALSE, row_cut = FALSE;

  if (length > WC_CSV_MAX_BYTES)
    {
      wc_diagnostics_add (diag, WC_SEVERITY_ERROR, 0, 0, NULL, NULL,
                          _("the sheet is larger than %d MiB: an MSEL sheet is far smaller"),
                          WC_CSV_MAX_BYTES / (1024 * 1024));
      return NULL;
    }
  table = g_new0 (WcCsvTable, 1);
  cell = g_string_new (NULL);
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
  /* past a bound, the rest of the cell or row is dropped (and said once), not kept in memory */
#define APPEND(ch)                                                                    \
  G_STMT_START {                                                                      \
    if (cell->len < WC_CSV_MAX_CELL_BYTES)                                            \
      g_string_append_c (cell, (ch));                                                 \
    else if (!cell_cut)                                                               \
      {                                                                               \
        cell_cut = TRUE;                                                              \
        bound_problem (diag, cell_line, table->rows->len + 1,                         \
                       (row ? row->cells->len : 0) + 1,                               \
                       _("shorten the text, or give it as an attachment"),            \
                       _("a cell is longer than %u bytes: the rest of it is not read"), \
                       WC_CSV_MAX_CELL_BYTES);                                        \
      }                                                                               \
  } G_STMT_END
#define END_CELL()                                                                    \
  G_STMT_START {                                                                      \
    NEW_ROW_IF_NEEDED ();                                                             \
    if (row->cells->len < WC_CSV_MAX_COLUMNS)                                         \
      {                                                                               \
        const char *end_valid;                                                        \
                                                                                      \
        /* a cell cut short may end inside a character */                            \
        if (cell_cut && !g_utf8_validate (cell->str, cell->len, &end_valid))          \
          g_string_truncate (cell, end_valid - cell->str);                            \
        g_ptr_array_add (row->cells,                                                  \
                         g_strdup (cell->str[0] == '\'' &&                            \
                                   wc_untrusted_is_formula (cell->str)                \
                                     ? cell->str + 1 : cell->str));                   \
      }                                                                               \
    else if (!row_cut)                                                                \
      {                                                                               \
        row_cut = TRUE;                                                               \
        bound_problem (diag, cell_line, table->rows->len + 1, WC_CSV_MAX_COLUMNS + 1, \
                       _("delete the unused columns on the right of the sheet"),      \
                       _("more than %u columns: the cells from here on are not read"), \
                       WC_CSV_MAX_COLUMNS);                                           \
      }                                                                               \
    g_string_truncate (cell, 0);                                                      \
    after_quote = FALSE;                                                              \
    cell_started = FALSE;                                                             \
    cell_cut = FALSE;                                                                 \
  } G_STMT_END
#define END_ROW()                                                                     \
  G_STMT_START {                                                                      \
    END_CELL ();                                                                      \
    if (table->rows->len == WC_CSV_MAX_ROWS)                                          \
      {                                                                               \
        bound_problem (diag, row->line, table->rows->len + 1, 0,                      \
                       _("split the exercise into several sheets"),                   \
                       _("more than %u rows: the rest of the sheet is not read"),     \
                       WC_CSV_MAX_ROWS);                                              \
        row_free (row);                                                               \
        goto done;                                                                    \
      }                                                                               \
    row->number = table->rows->len + 1;                                               \
    g_ptr_array_add (table->rows, row);                                               \
    row = NULL;                                                                       \
    row_cut = FALSE;                                                                  \
  } G_STMT_END

  for (; p < end; p++)
    {
      char c = *p;

      if (!cell_started)
        cell_line = line;
      if (quoted)
        {
          if (c == '"' && p + 1 < end && p[1] == '"')
            {
              APPEND ('"');
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
              APPEND (c);
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
            END_ROW ();
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
      APPEND (c);
    }
  if (quoted)
    wc_diagnostics_add (diag, WC_SEVERITY_ERROR, quote_line, 0, NULL,
                        _("close the quote, or double a quote that is part of the text (\"\")"),
                        _("a quoted cell opened here is never closed"));
  if (row != NULL || cell_started || cell->len > 0)
    END_ROW ();
done:
#undef END_ROW
#undef END_CELL
#undef APPEND
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
      gboolean quote = needs_quotes (cell, separator);

      if (i > 0)
        g_string_append_c (out, separator);
      if (quote)
        g_string_append_c (out, '"');
      if (wc_untrusted_is_formula (cell))
        g_string_append_c (out, '\'');
      if (!quote)
        {
          g_string_append (out, cell);
          continue;
        }
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
