/* test-csv.c: the CSV reader takes what spreadsheets save, and the writer gives it back. */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

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

/* A cell a spreadsheet would run goes out behind a quote mark and comes back as it was; a text
 * that starts with "'" is left alone unless a formula follows it. */
static void
test_formula (void)
{
  const char *const row[] = { "=1+2", "+cmd|' /C calc'!A0", "-", "@SUM(A1)", "'=x", "''-y",
                              "'plain", "a=b", "T+00:10", "after A1 +00:10", "\tTab", "\r\nCR",
                              "=HYPERLINK(\"http://x\",\"y\")" };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcCsvTable) t = NULL;

  wc_csv_append_row (out, ',', row, G_N_ELEMENTS (row));
  g_assert_cmpstr (out->str, ==,
                   "'=1+2,'+cmd|' /C calc'!A0,'-,'@SUM(A1),''=x,'''-y,'plain,a=b,T+00:10,"
                   "after A1 +00:10,\"'\tTab\",\"'\r\nCR\","
                   "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
  t = parse (out->str, &diag);
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 0);
  g_assert_cmpuint (t->rows->len, ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (row); i++)
    g_assert_cmpstr (cell (t, 0, i), ==, row[i]);
}

static const WcDiagnostic *
only_error (WcDiagnostics *diag)
{
  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      g_autofree char *line = wc_diagnostic_format (wc_diagnostics_get_item (diag, i));

      g_test_message ("%s", line);
    }
  g_assert_cmpuint (wc_diagnostics_get_n_items (diag), ==, 1);
  g_assert_cmpint (wc_diagnostics_get_item (diag, 0)->severity, ==, WC_SEVERITY_ERROR);
  return wc_diagnostics_get_item (diag, 0);
}

/* A cell past the bound is cut (on a character's edge) and said once, on the line it starts. */
static void
test_long_cell (void)
{
  g_autoptr(GString) sheet = g_string_new ("a,b,c\nx,\"");
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcCsvTable) t = NULL;
  const WcDiagnostic *d;
  const char *long_cell;

  g_string_append (sheet, "first line\n");
  for (guint i = 0; i < WC_CSV_MAX_CELL_BYTES; i++)
    g_string_append (sheet, "é");
  g_string_append (sheet, "\",z\nnext,row,here\n");
  t = parse (sheet->str, &diag);
  d = only_error (diag);
  g_assert_cmpuint (d->line, ==, 2);
  g_assert_cmpuint (d->column, ==, 2);
  g_assert_cmpstr (d->path, ==, "row 2, column 2");
  g_assert_nonnull (strstr (d->message, "longer than 131072 bytes"));
  long_cell = cell (t, 1, 1);
  g_assert_true (g_str_has_prefix (long_cell, "first line\né"));
  g_assert_cmpuint (strlen (long_cell), <=, WC_CSV_MAX_CELL_BYTES);
  g_assert_cmpuint (strlen (long_cell), >=, WC_CSV_MAX_CELL_BYTES - 1);
  g_assert_true (g_utf8_validate (long_cell, -1, NULL));
  /* the rest of the sheet is read as usual */
  g_assert_cmpstr (cell (t, 1, 2), ==, "z");
  g_assert_cmpuint (t->rows->len, ==, 3);
  g_assert_cmpstr (cell (t, 2, 0), ==, "next");
  g_assert_cmpuint (row_line (t, 2), ==, 4);
}

static void
test_too_many_columns (void)
{
  g_autoptr(GString) sheet = g_string_new (NULL);
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcCsvTable) t = NULL;
  const WcDiagnostic *d;

  g_string_append (sheet, "a;b\n");
  for (guint i = 0; i < WC_CSV_MAX_COLUMNS + 50; i++)
    g_string_append_printf (sheet, "%sc%u", i ? ";" : "", i);
  g_string_append (sheet, "\nd;e\n");
  t = parse (sheet->str, &diag);
  d = only_error (diag);
  g_assert_cmpuint (d->line, ==, 2);
  g_assert_cmpuint (d->column, ==, WC_CSV_MAX_COLUMNS + 1);
  g_assert_nonnull (strstr (d->message, "more than 256 columns"));
  g_assert_cmpuint (((WcCsvRow *) g_ptr_array_index (t->rows, 1))->cells->len, ==,
                    WC_CSV_MAX_COLUMNS);
  g_assert_cmpstr (cell (t, 1, WC_CSV_MAX_COLUMNS - 1), ==, "c255");
  g_assert_cmpstr (cell (t, 2, 1), ==, "e");
}

static void
test_too_many_rows (void)
{
  g_autoptr(GString) sheet = g_string_new ("a,b\n");
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcCsvTable) t = NULL;
  const WcDiagnostic *d;

  for (guint i = 1; i < WC_CSV_MAX_ROWS + 500; i++)
    g_string_append_printf (sheet, "%u,\"x\"\n", i);
  t = parse (sheet->str, &diag);
  d = only_error (diag);
  g_assert_cmpuint (d->line, ==, WC_CSV_MAX_ROWS + 1);
  g_assert_cmpstr (d->path, ==, "row 10001");
  g_assert_nonnull (strstr (d->message, "more than 10000 rows"));
  g_assert_cmpuint (t->rows->len, ==, WC_CSV_MAX_ROWS);
  g_assert_cmpstr (cell (t, WC_CSV_MAX_ROWS - 1, 0), ==, "9999");
}

static void
test_too_large (void)
{
  gsize length = WC_CSV_MAX_BYTES + 1;
  g_autofree char *data = g_malloc0 (length);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new ("sheet.csv");

  g_assert_null (wc_csv_parse (data, length, diag));
  g_assert_nonnull (strstr (only_error (diag)->message, "larger than 16 MiB"));
}

/* Only a regular file is read, and only so much of it; a device or a FIFO is refused before a
 * byte is read (/dev/zero never ends, a FIFO without a writer never answers). */
static void
test_read_file (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-csv-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (tmp, "fifo.csv", NULL);
  g_autofree char *small = g_build_filename (tmp, "small.csv", NULL);
  g_autofree char *large = g_build_filename (tmp, "large.csv", NULL);
  g_autofree char *exact = g_build_filename (tmp, "exact.csv", NULL);
  const char *refused[] = { "/dev/zero", fifo, tmp };
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  int fd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      gint64 start = g_get_monotonic_time ();

      g_assert_null (wc_csv_read_file (refused[i], &length, &error));
      g_assert_error (error, WC_CSV_ERROR, WC_CSV_ERROR_NOT_REGULAR);
      g_assert_nonnull (strstr (error->message, refused[i]));
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
      g_clear_error (&error);
    }

  g_assert_true (g_file_set_contents (small, "a,b\r\n1,2\r\n", -1, NULL));
  data = wc_csv_read_file (small, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (data, ==, "a,b\r\n1,2\r\n");
  g_assert_cmpuint (length, ==, 10);
  g_clear_pointer (&data, g_free);

  /* sparse files: what is read counts, to one byte past the bound, whatever stat says */
  fd = g_open (exact, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (ftruncate (fd, WC_CSV_MAX_BYTES), ==, 0);
  g_close (fd, NULL);
  data = wc_csv_read_file (exact, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, WC_CSV_MAX_BYTES);
  g_clear_pointer (&data, g_free);
  fd = g_open (large, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (ftruncate (fd, WC_CSV_MAX_BYTES + 1), ==, 0);
  g_close (fd, NULL);
  g_assert_null (wc_csv_read_file (large, &length, &error));
  g_assert_error (error, WC_CSV_ERROR, WC_CSV_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, large));
  g_clear_error (&error);

  g_unlink (small);
  g_assert_null (wc_csv_read_file (small, &length, &error));
  g_assert_error (error, WC_CSV_ERROR, WC_CSV_ERROR_IO);
  g_assert_nonnull (strstr (error->message, small));

  g_unlink (fifo);
  g_unlink (large);
  g_unlink (exact);
  g_rmdir (tmp);
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
  g_test_add_func ("/whitecell/csv/formula", test_formula);
  g_test_add_func ("/whitecell/csv/bounds/long-cell", test_long_cell);
  g_test_add_func ("/whitecell/csv/bounds/too-many-columns", test_too_many_columns);
  g_test_add_func ("/whitecell/csv/bounds/too-many-rows", test_too_many_rows);
  g_test_add_func ("/whitecell/csv/bounds/too-large", test_too_large);
  g_test_add_func ("/whitecell/csv/read-file", test_read_file);
  return g_test_run ();
}
