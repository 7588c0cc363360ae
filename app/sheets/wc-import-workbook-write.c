/* wc-import-workbook-write.c: named sheets of text cells into an XLSX or ODS workbook through libgsf's
 * GsfOutfileZip: the smallest packages LibreOffice, Excel and Gnumeric open as they are.
 *
 * Every cell is a string (never a formula), and one that a spreadsheet would take for a formula
 * when retyped or exported to CSV gets the same quote mark in front as in CSV; the reader takes it
 * away again.
 */
#define G_LOG_DOMAIN "wc-import"

#include "config.h"

#include <glib/gi18n.h>
#include <gsf/gsf.h>
#include <string.h>

#include "wc-import-private.h"

/* @text escaped for XML, characters XML 1.0 cannot hold dropped, a formula's lead neutralised. */
static void
append_cell_text (GString    *out,
                  const char *text)
{
  if (strchr ("=+-@\t\r", text[0]) != NULL && text[0] != '\0')
    g_string_append_c (out, '\'');
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '<')
        g_string_append (out, "&lt;");
      else if (c == '>')
        g_string_append (out, "&gt;");
      else if (c == '&')
        g_string_append (out, "&amp;");
      else if (c == '"')
        g_string_append (out, "&quot;");
      else if (c == '\r')
        g_string_append (out, "&#13;");
      else if (c < 0x20 && c != '\t' && c != '\n')
        continue;
      else
        g_string_append_unichar (out, c);
    }
}

static gboolean
put (GsfOutfile  *zip,
     const char  *path,
     GString     *content,
     gboolean     stored,
     GError     **error)
{
  g_autoptr(GsfOutput) out = NULL;

  /* GsfOutfileZip stores a member's name as given: "xl/workbook.xml" needs no folder entry, and
   * writing the members one by one keeps a single "xl/" out of the central directory twice */
  if (stored)
    out = gsf_outfile_new_child_full (zip, path, FALSE, "compression-level", GSF_ZIP_STORED, NULL);
  else
    out = gsf_outfile_new_child (zip, path, FALSE);
  if (out == NULL || !gsf_output_write (out, content->len, (const guint8 *) content->str) ||
      !gsf_output_close (out))
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_IO, _("cannot write “%s” into the workbook"), path);
      return FALSE;
    }
  return TRUE;
}

static void
column_name (GString *out,
             guint    col)
{
  char buf[8];
  int n = 0;

  col++;
  while (col > 0 && n < 7)
    {
      buf[n++] = 'A' + (col - 1) % 26;
      col = (col - 1) / 26;
    }
  while (n > 0)
    g_string_append_c (out, buf[--n]);
}

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"

static gboolean
write_xlsx (GsfOutfile             *zip,
            const WcWorkbookSheet  *sheets,
            guint                   n_sheets,
            GError                **error)
{
  g_autoptr(GString) s = g_string_new (XML_HEAD);

  g_string_append (s, "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                      "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                      "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                      "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>");
  for (guint i = 0; i < n_sheets; i++)
    g_string_append_printf (s, "<Override PartName=\"/xl/worksheets/sheet%u.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>", i + 1);
  g_string_append (s, "</Types>");
  if (!put (zip, "[Content_Types].xml", s, FALSE, error))
    return FALSE;

  g_string_assign (s, XML_HEAD "<Relationships xmlns=\"" NS_PKG_REL "\"><Relationship Id=\"rId1\" "
                      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
                      "Target=\"xl/workbook.xml\"/></Relationships>");
  if (!put (zip, "_rels/.rels", s, FALSE, error))
    return FALSE;

  g_string_assign (s, XML_HEAD "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>");
  for (guint i = 0; i < n_sheets; i++)
    {
      g_autofree char *name = g_markup_escape_text (sheets[i].name, -1);

      g_string_append_printf (s, "<sheet name=\"%s\" sheetId=\"%u\" r:id=\"rId%u\"/>", name, i + 1, i + 1);
    }
  g_string_append (s, "</sheets></workbook>");
  if (!put (zip, "xl/workbook.xml", s, FALSE, error))
    return FALSE;

  g_string_assign (s, XML_HEAD "<Relationships xmlns=\"" NS_PKG_REL "\">");
  for (guint i = 0; i < n_sheets; i++)
    g_string_append_printf (s, "<Relationship Id=\"rId%u\" Type=\"" NS_REL "/worksheet\" "
                               "Target=\"worksheets/sheet%u.xml\"/>", i + 1, i + 1);
  g_string_append_printf (s, "<Relationship Id=\"rId%u\" Type=\"" NS_REL "/styles\" Target=\"styles.xml\"/>",
                          n_sheets + 1);
  g_string_append (s, "</Relationships>");
  if (!put (zip, "xl/_rels/workbook.xml.rels", s, FALSE, error))
    return FALSE;

  /* style 1 wraps text: a body of several lines shows as such */
  g_string_assign (s, XML_HEAD "<styleSheet xmlns=\"" NS_MAIN "\">"
                      "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>"
                      "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
                      "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
                      "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
                      "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
                      "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
                      "<cellXfs count=\"3\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
                      "<xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyAlignment=\"1\"><alignment wrapText=\"1\" vertical=\"top\"/></xf>"
                      "<xf numFmtId=\"49\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyNumberFormat=\"1\"/></cellXfs>"
                      "</styleSheet>");
  if (!put (zip, "xl/styles.xml", s, FALSE, error))
    return FALSE;

  for (guint i = 0; i < n_sheets; i++)
    {
      GPtrArray *rows = sheets[i].table->rows;
      g_autofree char *path = g_strdup_printf ("xl/worksheets/sheet%u.xml", i + 1);

      g_string_assign (s, XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>");
      for (guint r = 0; r < rows->len; r++)
        {
          WcCsvRow *row = g_ptr_array_index (rows, r);

          g_string_append_printf (s, "<row r=\"%u\">", r + 1);
          for (guint c = 0; c < row->cells->len; c++)
            {
              const char *text = g_ptr_array_index (row->cells, c);

              if (text == NULL || *text == '\0')
                continue;
              g_string_append (s, "<c r=\"");
              column_name (s, c);
              g_string_append_printf (s, "%u\" s=\"%d\" t=\"inlineStr\"><is><t xml:space=\"preserve\">",
                                      r + 1, r == 0 ? 2 : 1);
              append_cell_text (s, text);
              g_string_append (s, "</t></is></c>");
            }
          g_string_append (s, "</row>");
        }
      g_string_append (s, "</sheetData></worksheet>");
      if (!put (zip, path, s, FALSE, error))
        return FALSE;
    }
  return TRUE;
}

#define ODS_MIME "application/vnd.oasis.opendocument.spreadsheet"

static gboolean
write_ods (GsfOutfile             *zip,
           const WcWorkbookSheet  *sheets,
           guint                   n_sheets,
           GError                **error)
{
  g_autoptr(GString) s = g_string_new (ODS_MIME);

  /* the mimetype first and stored, as ODF asks, so that its magic can be read at offset 38 */
  if (!put (zip, "mimetype", s, TRUE, error))
    return FALSE;
  g_string_assign (s, XML_HEAD "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">"
                      "<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.2\" manifest:media-type=\"" ODS_MIME "\"/>"
                      "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
                      "</manifest:manifest>");
  if (!put (zip, "META-INF/manifest.xml", s, FALSE, error))
    return FALSE;
  g_string_assign (s, XML_HEAD "<office:document-content "
                      "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
                      "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
                      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">"
                      "<office:body><office:spreadsheet>");
  for (guint i = 0; i < n_sheets; i++)
    {
      GPtrArray *rows = sheets[i].table->rows;
      g_autofree char *name = g_markup_escape_text (sheets[i].name, -1);

      g_string_append_printf (s, "<table:table table:name=\"%s\">", name);
      for (guint r = 0; r < rows->len; r++)
        {
          WcCsvRow *row = g_ptr_array_index (rows, r);

          g_string_append (s, "<table:table-row>");
          for (guint c = 0; c < row->cells->len; c++)
            {
              const char *text = g_ptr_array_index (row->cells, c);
              g_auto(GStrv) lines = NULL;

              if (text == NULL || *text == '\0')
                {
                  g_string_append (s, "<table:table-cell/>");
                  continue;
                }
              /* one paragraph a line: that is how ODF holds a cell's line breaks */
              lines = g_strsplit (text, "\n", -1);
              g_string_append (s, "<table:table-cell office:value-type=\"string\">");
              for (guint k = 0; lines[k]; k++)
                {
                  g_autoptr(GString) t = g_string_new (NULL);

                  append_cell_text (t, lines[k]);
                  /* only the cell's first line may be taken for a formula */
                  if (k > 0 && lines[k][0] && strchr ("=+-@\t\r", lines[k][0]))
                    g_string_erase (t, 0, 1);
                  g_string_append_printf (s, "<text:p>%s</text:p>", t->str);
                }
              g_string_append (s, "</table:table-cell>");
            }
          g_string_append (s, "</table:table-row>");
        }
      g_string_append (s, "</table:table>");
    }
  g_string_append (s, "</office:spreadsheet></office:body></office:document-content>");
  return put (zip, "content.xml", s, FALSE, error);
}

gboolean
wc_workbook_write (const char             *path,
                   WcImportFormat          format,
                   const WcWorkbookSheet  *sheets,
                   guint                   n_sheets,
                   GError                **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GsfOutput) sink = gsf_output_stdio_new (path, &local);
  g_autoptr(GsfOutfile) zip = NULL;
  gboolean ok;

  g_return_val_if_fail (format == WC_IMPORT_XLSX || format == WC_IMPORT_ODS, FALSE);
  if (sink == NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_IO, "%s: %s", path, local->message);
      return FALSE;
    }
  zip = gsf_outfile_zip_new (sink, &local);
  if (zip == NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_IO, "%s: %s", path, local->message);
      return FALSE;
    }
  ok = format == WC_IMPORT_XLSX ? write_xlsx (zip, sheets, n_sheets, error)
                                : write_ods (zip, sheets, n_sheets, error);
  if (!gsf_output_close (GSF_OUTPUT (zip)) && ok)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_IO, _("%s: cannot be written"), path);
      ok = FALSE;
    }
  gsf_output_close (sink);
  return ok;
}
