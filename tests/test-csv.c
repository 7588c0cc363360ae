/* test-csv.c: the CSV reader takes what spreadsheets save, and the writer gives it back. */
#include "config.h"

#include <string.h>

#include "wc-csv.h"

static WcCsvTable *
parse (const char     *data,
       WcDiagnostics **diag_out)
{
  WcDiagnostics *diag = wc_diagnostics_new ("sheet.csv");
  WcCsvTable *table = wc_csv_parse (data, strlen (data), diag);

  if (diag_out)
    *diag_out = diag;
  else
    wc_diagnostics_unref (diag);
  return table;
}

static const char *
cell (WcCsvTable *table,
      guint       row,
      guint       column)
{
  WcCsvRow *r = g_ptr_array_index (table->rows, row);

  g_assert_cmpuint (column, <, r->cells->len);
  return g_ptr_array_index (r->cells, column);
}

static guint
row_line (WcCsvTable *table,
          guint       row)
{
  return ((WcCsvRow *) g_ptr_array_index (table->rows, row))->line;
}

static void
test_quoting (void)
{
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcCsvTable) t = parse ("a,b,c\n"
                                   "\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
                                   ",,\n"
                                   "last,\"\",end", &diag);

  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
  g_assert_cmpint (t->separator, ==, ',');
  g_assert_cmpuint (t->rows->len, ==, 4);
  g_assert_cmpstr (cell (t, 1, 0), ==, "x, y");
  g_assert_cmpstr (cell (t, 1, 1), ==, "say \"hi\"");
  g_assert_cmpstr (cell (t, 1, 2), ==, "two\nlines");
  g_assert_cmpstr (cell (t, 2, 0), ==, "");
  g_assert_cmpuint (((WcCsvRow *) g_ptr_array_index (t->rows, 2))->cells->len, ==, 3);
  /* the row after the embedded newline starts two lines further */
  g_assert_cmpuint (row_line (t, 2), ==, 4);
  g_assert_cmpuint (row_line (t, 3), ==, 5);
  g_assert_cmpstr (cell (t, 3, 1), ==, "");
  g_assert_cmpstr (cell (t, 3, 2), ==, "end");
}

static void
test_bom_crlf_semicolon (void)
{
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcCsvTable) t = parse ("\xEF\xBB\xBFTijd;Onderwerp;Bericht\r\n"
                                   "T+00:05;Verdachte mail;\"Eerste regel\r\ntweede; met puntkomma\"\r\n"
                                   "\r\n"
                                   "00:30;Pers, radio;Klopt het?\r\n", &diag);

  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
  g_assert_true (t->had_bom);
  g_assert_cmpint (t->separator, ==, ';');
  /* the blank line is no row */
  g_assert_cmpuint (t->rows->len, ==, 3);
  g_assert_cmpstr (cell (t, 0, 0), ==, "Tijd");
  g_assert_cmpstr (cell (t, 1, 2), ==, "Eerste regel\r\ntweede; met puntkomma");
  g_assert_cmpstr (cell (t, 2, 1), ==, "Pers, radio");
  g_assert_cmpuint (row_line (t, 2), ==, 5);
}

static void
test_tab (void)
{
  g_autoptr(WcCsvTable) t = parse ("Time\tSubject, long\n00:10\tA, b\n", NULL);

  g_assert_cmpint (t->separator, ==, '\t');
  g_assert_cmpstr (cell (t, 0, 1), ==, "Subject, long");
  g_assert_cmpstr (cell (t, 1, 1), ==, "A, b");
}

static void
test_windows_1252 (void)
{
  /* "Expéditeur;Réunion" as Excel saves it in a French Windows */
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcCsvTable) t = parse ("Exp\xE9" "diteur;R\xE9" "union\r\nCERT;Caf\xE9\r\n", &diag);

  g_assert_true (t->was_converted);
  g_assert_cmpstr (cell (t, 0, 0), ==, "Expéditeur");
  g_assert_cmpstr (cell (t, 1, 1), ==, "Café");
  g_assert_cmpuint (wc_diagnostics_count (diag, WC_SEVERITY_WARNING), ==, 1);
  g_assert_nonnull (strstr (wc_diagnostics_get_item (diag, 0)->message, "Windows-1252"));
}

static void
test_bad_rows (void)
{
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcCsvTable) t = parse ("a,b\n"
                                   "x\"y,ok\n"
                                   "\"closed\"tail,ok\n"
                                   "\"never closed,ok\nmore\n", &diag);
  const WcDiagnostic *d;

  /* everything is still read: nothing is lost */
  g_assert_nonnull (t);
  g_assert_cmpstr (cell (t, 1, 0), ==, "x\"y");
  g_assert_cmpstr (cell (t, 2, 0), ==, "closedtail");
  g_assert_cmpuint (wc_diagnostics_count (diag, WC_SEVERITY_WARNING), ==, 2);
  g_assert_cmpuint (wc_diagnostics_count (diag, WC_SEVERITY_ERROR), ==, 1);
  d = wc_diagnostics_get_item (diag, 0);
  g_assert_cmpuint (d->line, ==, 2);
  g_assert_nonnull (strstr (d->message, "quote inside an unquoted cell"));
  d = wc_diagnostics_get_item (diag, 1);
  g_assert_cmpuint (d->line, ==, 3);
  g_assert_nonnull (strstr (d->message, "after a closing quote"));
  d = wc_diagnostics_get_item (diag, 2);
  g_assert_cmpint (d->severity, ==, WC_SEVERITY_ERROR);
  g_assert_cmpuint (d->line, ==, 4);
  g_assert_nonnull (strstr (d->message, "never closed"));
}

static void
test_not_text (void)
{
  static const char binary[] = "\x81\x8D\x8F\x90\x9D";
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("sheet.csv");
  WcCsvTable *t = wc_csv_parse (binary, sizeof binary - 1, diag);

  g_assert_null (t);
  g_assert_true (wc_diagnostics_has_errors (diag));
}

static void
test_write_read_back (void)
{
  const char *const row[] = { "plain", "with, comma", "with \"quotes\"", "two\nlines", " padded", "",
                              "é ü ✓" };
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint s = 0; s < 3; s++)
    {
      char sep = ",;\t"[s];
      g_autoptr(WcCsvTable) t = NULL;

      g_string_truncate (out, 0);
      wc_csv_append_row (out, sep, row, G_N_ELEMENTS (row));
      wc_csv_append_row (out, sep, row, G_N_ELEMENTS (row));
      g_assert_true (g_str_has_suffix (out->str, "\r\n"));
      t = parse (out->str, NULL);
      g_assert_cmpint (t->separator, ==, sep);
      g_assert_cmpuint (t->rows->len, ==, 2);
      for (guint i = 0; i < G_N_ELEMENTS (row); i++)
        g_assert_cmpstr (cell (t, 1, i), ==, row[i]);
    }
  g_string_truncate (out, 0);
  wc_csv_append_row (out, ',', (const char *const[]) { "a", "b" }, 2);
  g_assert_cmpstr (out->str, ==, "a,b\r\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/csv/quoting", test_quoting);
  g_test_add_func ("/csv/bom-crlf-semicolon", test_bom_crlf_semicolon);
  g_test_add_func ("/csv/tab", test_tab);
  g_test_add_func ("/csv/windows-1252", test_windows_1252);
  g_test_add_func ("/csv/bad-rows", test_bad_rows);
  g_test_add_func ("/csv/not-text", test_not_text);
  g_test_add_func ("/csv/write-read-back", test_write_read_back);
  return g_test_run ();
}
