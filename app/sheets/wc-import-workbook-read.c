/* wc-import-workbook-read.c: one sheet of an XLSX or ODS workbook as a table of text cells, through
 * libgsf (the ZIP container) and libxml2's xmlReader (the XML, streamed).
 *
 * A workbook is untrusted input: members, rows, columns and the shared-strings table are bounded
 * (WC_IMPORT_MAX_*), the network and DTDs are never touched and a document that declares one is
 * refused (OOXML and ODF never do: a DOCTYPE there is an entity bomb), and a truncated archive is
 * said to be one. Cells read as the spreadsheet shows them: shared strings, inline and rich text,
 * dates and times stored as serial numbers (XLSX) or ISO values (ODS) turned back into
 * "YYYY-MM-DD", "HH:MM" or both; merged cells repeat their value into every cell they cover.
 */
#define G_LOG_DOMAIN "wc-import"

#include "config.h"

#include <glib/gi18n.h>
#include <gsf/gsf.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wc-import-private.h"
#include "wc-import-workbook-private.h"


static void
grid_row_free (gpointer data)
{
  if (data)
    g_ptr_array_unref (data);
}

gboolean
wc_workbook_too_large (Grid       *g,
                       const char *what,
                       guint       limit)
{
  g_set_error (g->error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_TOO_LARGE,
               _("%s: the sheet has more than %u %s: refused"), g->name, limit, what);
  return FALSE;
}

/* Puts @value (taken) at @row, @col; FALSE (and the error) past a bound. */
gboolean
wc_workbook_grid_set (Grid  *g,
                      guint  row,
                      guint  col,
                      char  *value)
{
  GPtrArray *r;

  if (row >= WC_IMPORT_MAX_ROWS)
    {
      g_free (value);
      return wc_workbook_too_large (g, _("rows"), WC_IMPORT_MAX_ROWS);
    }
  if (col >= WC_IMPORT_MAX_COLUMNS)
    {
      g_free (value);
      return wc_workbook_too_large (g, _("columns"), WC_IMPORT_MAX_COLUMNS);
    }
  if (++g->n_cells > WC_IMPORT_MAX_CELLS)
    {
      g_free (value);
      return wc_workbook_too_large (g, _("cells"), WC_IMPORT_MAX_CELLS);
    }
  if (row >= g->rows->len)
    g_ptr_array_set_size (g->rows, row + 1);
  r = g_ptr_array_index (g->rows, row);
  if (r == NULL)
    {
      r = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_index (g->rows, row) = r;
    }
  if (col >= r->len)
    g_ptr_array_set_size (r, col + 1);
  g_free (g_ptr_array_index (r, col));
  g_ptr_array_index (r, col) = value;
  return TRUE;
}

static const char *
grid_get (Grid  *g,
          guint  row,
          guint  col)
{
  GPtrArray *r = row < g->rows->len ? g_ptr_array_index (g->rows, row) : NULL;

  return r && col < r->len ? g_ptr_array_index (r, col) : NULL;
}

void
wc_import_row_free (gpointer data)
{
  WcCsvRow *row = data;

  g_ptr_array_unref (row->cells);
  g_free (row);
}

/* The grid as the CSV reader's table: every row as long as the widest, empty rows kept (their
 * numbers are the sheet's). */
static WcCsvTable *
grid_to_table (Grid *g)
{
  WcCsvTable *table = g_new0 (WcCsvTable, 1);
  guint width = 0;

  table->separator = ',';
  table->rows = g_ptr_array_new_with_free_func (wc_import_row_free);
  for (guint i = 0; i < g->rows->len; i++)
    {
      GPtrArray *r = g_ptr_array_index (g->rows, i);

      for (guint c = r ? r->len : 0; c > width; c--)
        if (g_ptr_array_index (r, c - 1) != NULL && *(char *) g_ptr_array_index (r, c - 1))
          {
            width = c;
            break;
          }
    }
  for (guint i = 0; i < g->rows->len; i++)
    {
      WcCsvRow *row = g_new0 (WcCsvRow, 1);

      row->cells = g_ptr_array_new_with_free_func (g_free);
      row->line = row->number = i + 1;
      for (guint c = 0; c < width; c++)
        g_ptr_array_add (row->cells, g_strdup (grid_get (g, i, c) ? grid_get (g, i, c) : ""));
      g_ptr_array_add (table->rows, row);
    }
  return table;
}

/* ---- the container ---- */

/* The member @path ("xl/workbook.xml") of @zip, read whole; NULL and the error when absent (with
 * @required), too large or cut short. */
GBytes *
wc_workbook_read_member (GsfInfile   *zip,
                         const char  *name,
                         const char  *path,
                         gboolean     required,
                         GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(GsfInput) member = gsf_infile_child_by_aname (zip, (const char **) parts);
  gsf_off_t size;
  const guint8 *data;

  if (member == NULL)
    {
      if (required)
        g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT,
                     _("%s: the workbook has no “%s”: not a spreadsheet, or a damaged one"), name, path);
      return NULL;
    }
  size = gsf_input_size (member);
  if (size < 0 || (guint64) size > WC_IMPORT_MAX_MEMBER_BYTES)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_TOO_LARGE,
                   _("%s: “%s” unpacks to more than %u MiB: refused"), name, path,
                   (guint) (WC_IMPORT_MAX_MEMBER_BYTES / (1024 * 1024)));
      return NULL;
    }
  data = size > 0 ? gsf_input_read (member, size, NULL) : (const guint8 *) "";
  if (data == NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT,
                   _("%s: “%s” cannot be unpacked: the file is truncated or damaged"), name, path);
      return NULL;
    }
  return g_bytes_new (data, size);
}

/* ---- XML, safely ---- */


static void
xml_error_cb (void                    *arg,
              const char              *msg,
              xmlParserSeverities      severity,
              xmlTextReaderLocatorPtr  locator)
{
  Xml *x = arg;

  if (severity != XML_PARSER_SEVERITY_ERROR && severity != XML_PARSER_SEVERITY_VALIDITY_ERROR)
    return;
  if (!x->failed)
    {
      g_autofree char *text = g_strstrip (g_strdup (msg));

      g_set_error (x->error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT,
                   _("%s: “%s”, line %d: %s"), x->name, x->member,
                   xmlTextReaderLocatorLineNumber (locator), text);
    }
  x->failed = TRUE;
}

gboolean
wc_workbook_xml_open (Xml         *x,
                      GBytes      *bytes,
                      const char  *name,
                      const char  *member,
                      GError     **error)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  *x = (Xml) { NULL, name, member, error, FALSE };
  /* no entity expansion (no XML_PARSE_NOENT), no DTD loading, no network; huge text nodes are
   * refused by libxml2 itself without XML_PARSE_HUGE */
  x->reader = xmlReaderForMemory (data, (int) MIN (size, G_MAXINT), NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
  if (x->reader == NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT,
                   _("%s: “%s” is not XML"), name, member);
      return FALSE;
    }
  xmlTextReaderSetErrorHandler (x->reader, xml_error_cb, x);
  return TRUE;
}

void
wc_workbook_xml_close (Xml *x)
{
  g_clear_pointer (&x->reader, xmlFreeTextReader);
}

/* The next node: 1, 0 at the end, -1 on an error (set). */
int
wc_workbook_xml_next (Xml *x)
{
  int ret = xmlTextReaderRead (x->reader);

  if (ret == 1 && xmlTextReaderNodeType (x->reader) == XML_READER_TYPE_DOCUMENT_TYPE)
    {
      if (!x->failed)
        g_set_error (x->error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT,
                     _("%s: “%s” declares a DTD, which no spreadsheet does: refused (an XML entity bomb?)"),
                     x->name, x->member);
      x->failed = TRUE;
      return -1;
    }
  if (ret == 1 && xmlTextReaderNodeType (x->reader) == XML_READER_TYPE_ENTITY_REFERENCE)
    {
      if (!x->failed)
        g_set_error (x->error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT,
                     _("%s: “%s” uses an XML entity, which no spreadsheet does: refused"),
                     x->name, x->member);
      x->failed = TRUE;
      return -1;
    }
  if (ret < 0 && !x->failed)
    {
      g_set_error (x->error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT,
                   _("%s: “%s” is not well-formed XML"), x->name, x->member);
      x->failed = TRUE;
    }
  return x->failed ? -1 : ret;
}

gboolean
wc_workbook_is_element (Xml        *x,
                        const char *local)
{
  return xmlTextReaderNodeType (x->reader) == XML_READER_TYPE_ELEMENT &&
         strcmp ((const char *) xmlTextReaderConstLocalName (x->reader), local) == 0;
}

gboolean
wc_workbook_is_end (Xml        *x,
                    const char *local)
{
  int type = xmlTextReaderNodeType (x->reader);

  return (type == XML_READER_TYPE_END_ELEMENT ||
          (type == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement (x->reader))) &&
         strcmp ((const char *) xmlTextReaderConstLocalName (x->reader), local) == 0;
}

char *
wc_workbook_attr (Xml        *x,
                  const char *name)
{
  xmlChar *v = xmlTextReaderGetAttribute (x->reader, (const xmlChar *) name);
  char *copy = v ? g_strdup ((const char *) v) : NULL;

  xmlFree (v);
  return copy;
}

const char *
wc_workbook_text_value (Xml *x)
{
  int type = xmlTextReaderNodeType (x->reader);

  if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
      type == XML_READER_TYPE_CDATA || type == XML_READER_TYPE_WHITESPACE)
    return (const char *) xmlTextReaderConstValue (x->reader);
  return NULL;
}

/* ---- XLSX ---- */

/* "AB12" → column 27, row 11 (both 0-based); FALSE when it is not a reference. */
static gboolean
parse_ref (const char *ref,
           guint      *col,
           guint      *row)
{
  guint64 c = 0, r = 0;
  const char *p = ref;

  while (g_ascii_isalpha (*p) && c < 100000)
    c = c * 26 + (g_ascii_toupper (*p++) - 'A' + 1);
  if (c == 0 || !g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p) && r < 100000000)
    r = r * 10 + (*p++ - '0');
  if (r == 0 || *p != '\0')
    return FALSE;
  *col = (guint) MIN (c - 1, G_MAXUINT);
  *row = (guint) MIN (r - 1, G_MAXUINT);
  return TRUE;
}

/* Whether the built-in or custom number format @id shows a date or a time (and which). */
typedef enum { NUM_PLAIN, NUM_DATE, NUM_TIME, NUM_DATETIME } NumKind;

static NumKind
format_code_kind (const char *code)
{
  gboolean date = FALSE, time = FALSE, quoted = FALSE;

  for (const char *p = code; *p; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == '[' && !quoted)
        {
          /* [h]:mm elapsed time; [Red], [$-409] are not */
          if (g_ascii_tolower (p[1]) == 'h' || g_ascii_tolower (p[1]) == 'm' || g_ascii_tolower (p[1]) == 's')
            time = TRUE;
          while (*p && *p != ']')
            p++;
          if (*p == '\0')
            break;
        }
      else if (!quoted && *p == '\\' && p[1])
        p++;
      else if (!quoted)
        {
          char c = g_ascii_tolower (*p);

          date |= c == 'd' || c == 'y';
          time |= c == 'h' || c == 's';
        }
    }
  return date && time ? NUM_DATETIME : date ? NUM_DATE : time ? NUM_TIME : NUM_PLAIN;
}

static NumKind
builtin_kind (guint id)
{
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 50 && id <= 58))
    return NUM_DATE;
  if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47))
    return NUM_TIME;
  if (id == 22)
    return NUM_DATETIME;
  return NUM_PLAIN;
}

/* The number formats of xl/styles.xml's cellXfs, by style index. */
static GArray *
read_styles (GsfInfile   *zip,
             const char  *name,
             GError     **error)
{
  g_autoptr(GBytes) bytes = wc_workbook_read_member (zip, name, "xl/styles.xml", FALSE, error);
  g_autoptr(GHashTable) custom = g_hash_table_new (g_direct_hash, g_direct_equal);
  GArray *kinds = g_array_new (FALSE, TRUE, sizeof (guint8));
  gboolean in_xfs = FALSE;
  Xml x;

  if (bytes == NULL || !wc_workbook_xml_open (&x, bytes, name, "xl/styles.xml", error))
    return kinds;
  while (wc_workbook_xml_next (&x) == 1)
    {
      if (wc_workbook_is_element (&x, "numFmt"))
        {
          g_autofree char *id = wc_workbook_attr (&x, "numFmtId");
          g_autofree char *code = wc_workbook_attr (&x, "formatCode");

          if (id && code)
            g_hash_table_insert (custom, GUINT_TO_POINTER (atoi (id)),
                                 GUINT_TO_POINTER (format_code_kind (code)));
        }
      else if (wc_workbook_is_element (&x, "cellXfs"))
        in_xfs = !xmlTextReaderIsEmptyElement (x.reader);
      else if (wc_workbook_is_end (&x, "cellXfs"))
        in_xfs = FALSE;
      else if (in_xfs && wc_workbook_is_element (&x, "xf") && kinds->len < 65536)
        {
          g_autofree char *id = wc_workbook_attr (&x, "numFmtId");
          guint n = id ? (guint) atoi (id) : 0;
          guint8 kind = g_hash_table_contains (custom, GUINT_TO_POINTER (n))
                          ? GPOINTER_TO_UINT (g_hash_table_lookup (custom, GUINT_TO_POINTER (n)))
                          : builtin_kind (n);

          g_array_append_val (kinds, kind);
        }
    }
  wc_workbook_xml_close (&x);
  /* a style sheet that does not read only costs the dates their format */
  g_clear_error (error);
  return kinds;
}

/* xl/sharedStrings.xml: each <si>'s text, rich runs joined (phonetic runs left out). */
static GPtrArray *
read_shared_strings (GsfInfile   *zip,
                     const char  *name,
                     GError     **error)
{
  g_autoptr(GBytes) bytes = wc_workbook_read_member (zip, name, "xl/sharedStrings.xml", FALSE, error);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) current = NULL;
  gboolean in_t = FALSE, in_rph = FALSE;
  gsize total = 0;
  Xml x;

  if (bytes == NULL)
    return error && *error ? NULL : g_steal_pointer (&strings);
  if (!wc_workbook_xml_open (&x, bytes, name, "xl/sharedStrings.xml", error))
    return NULL;
  while (wc_workbook_xml_next (&x) == 1)
    {
      const char *text;

      if (wc_workbook_is_element (&x, "si"))
        {
          if (strings->len >= WC_IMPORT_MAX_SHARED_STRINGS)
            {
              g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_TOO_LARGE,
                           _("%s: the shared-strings table holds more than %u strings: refused"),
                           name, WC_IMPORT_MAX_SHARED_STRINGS);
              wc_workbook_xml_close (&x);
              return NULL;
            }
          current = g_string_new (NULL);
          if (xmlTextReaderIsEmptyElement (x.reader))
            g_ptr_array_add (strings, g_string_free (g_steal_pointer (&current), FALSE));
        }
      else if (wc_workbook_is_end (&x, "si") && current)
        {
          total += current->len;
          g_ptr_array_add (strings, g_string_free (g_steal_pointer (&current), FALSE));
        }
      else if (wc_workbook_is_element (&x, "rPh"))
        in_rph = !xmlTextReaderIsEmptyElement (x.reader);
      else if (wc_workbook_is_end (&x, "rPh"))
        in_rph = FALSE;
      else if (wc_workbook_is_element (&x, "t"))
        in_t = !xmlTextReaderIsEmptyElement (x.reader);
      else if (wc_workbook_is_end (&x, "t"))
        in_t = FALSE;
      else if (in_t && !in_rph && current && (text = wc_workbook_text_value (&x)) != NULL)
        g_string_append (current, text);
    }
  wc_workbook_xml_close (&x);
  if (error && *error)
    return NULL;
  return g_steal_pointer (&strings);
}

/* The member path of sheet @wanted (or the first) from workbook.xml and its relationships. */
static char *
xlsx_sheet_path (GsfInfile   *zip,
                 const char  *name,
                 const char  *wanted,
                 GPtrArray  **sheets,
                 GError     **error)
{
  g_autoptr(GBytes) wb = wc_workbook_read_member (zip, name, "xl/workbook.xml", TRUE, error);
  g_autoptr(GBytes) rels = NULL;
  g_autofree char *rid = NULL;
  g_autofree char *target = NULL;
  guint index = 0, found = 0;
  Xml x;

  if (wb == NULL || !wc_workbook_xml_open (&x, wb, name, "xl/workbook.xml", error))
    return NULL;
  while (wc_workbook_xml_next (&x) == 1)
    if (wc_workbook_is_element (&x, "sheet"))
      {
        g_autofree char *sheet_name = wc_workbook_attr (&x, "name");

        index++;
        if (sheets && sheet_name)
          g_ptr_array_add (*sheets, g_strdup (sheet_name));
        if (rid == NULL && (wanted == NULL || g_strcmp0 (sheet_name, wanted) == 0))
          {
            rid = wc_workbook_attr (&x, "r:id");
            found = index;
          }
      }
  wc_workbook_xml_close (&x);
  if (error && *error)
    return NULL;
  if (found == 0)
    {
      g_set_error (error, WC_IMPORT_ERROR, wanted ? WC_IMPORT_ERROR_NO_SHEET : WC_IMPORT_ERROR_CORRUPT,
                   wanted ? _("%s: the workbook has no sheet named “%s”") : _("%s: the workbook has no sheet"),
                   name, wanted);
      return NULL;
    }
  rels = wc_workbook_read_member (zip, name, "xl/_rels/workbook.xml.rels", FALSE, NULL);
  if (rels && rid && wc_workbook_xml_open (&x, rels, name, "xl/_rels/workbook.xml.rels", NULL))
    {
      while (target == NULL && wc_workbook_xml_next (&x) == 1)
        if (wc_workbook_is_element (&x, "Relationship"))
          {
            g_autofree char *id = wc_workbook_attr (&x, "Id");

            if (g_strcmp0 (id, rid) == 0)
              target = wc_workbook_attr (&x, "Target");
          }
      wc_workbook_xml_close (&x);
    }
  if (target == NULL)
    return g_strdup_printf ("xl/worksheets/sheet%u.xml", found);
  /* relative to xl/, or absolute from the archive's root; never out of it */
  if (strstr (target, "..") != NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT,
                   _("%s: the sheet's part “%s” is outside the workbook"), name, target);
      return NULL;
    }
  return target[0] == '/' ? g_strdup (target + 1) : g_strconcat ("xl/", target, NULL);
}

/* A spreadsheet serial number (days since 1899-12-30) as the cell shows it. */
static char *
serial_text (double  serial,
             NumKind kind)
{
  gint64 seconds = (gint64) llround (serial * 86400.0);
  gint64 days = seconds / 86400, rest = seconds % 86400;
  g_autoptr(GDateTime) epoch = g_date_time_new_utc (1899, 12, 30, 0, 0, 0);
  g_autoptr(GDateTime) date = NULL;

  if (serial < 0 || serial > 2958465 || epoch == NULL)
    return g_strdup_printf ("%g", serial);
  if (kind == NUM_TIME || (kind == NUM_DATETIME && days == 0))
    return g_strdup_printf ("%02d:%02d", (int) (seconds / 3600), (int) (seconds / 60 % 60));
  date = g_date_time_add_seconds (epoch, (double) days * 86400 + rest);
  return g_date_time_format (date, kind == NUM_DATE && rest == 0 ? "%Y-%m-%d" : "%Y-%m-%d %H:%M");
}

/* A number as its cell shows it: integers without a point, others as short as they go. */
static char *
number_text (const char *v)
{
  char *end;
  double d = g_ascii_strtod (v, &end);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (*v == '\0' || *end != '\0')
    return g_strdup (v);
  if (d == floor (d) && fabs (d) < 1e15)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) d);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.10g", d));
}

static gboolean
read_xlsx_sheet (GsfInfile   *zip,
                 Grid        *g,
                 const char  *member,
                 GPtrArray   *shared,
                 GArray      *styles,
                 GArray      *merges)
{
  g_autoptr(GBytes) bytes = wc_workbook_read_member (zip, g->name, member, TRUE, g->error);
  g_autoptr(GString) value = g_string_new (NULL);
  g_autofree char *type = NULL;
  guint row = 0, col = 0, style = 0, next_row = 0, next_col = 0;
  gboolean in_c = FALSE, in_v = FALSE, in_t = FALSE;
  Xml x;

  if (bytes == NULL || !wc_workbook_xml_open (&x, bytes, g->name, member, g->error))
    return FALSE;
  while (wc_workbook_xml_next (&x) == 1)
    {
      const char *text;

      if (wc_workbook_is_element (&x, "row"))
        {
          g_autofree char *r = wc_workbook_attr (&x, "r");
          guint64 n;

          row = r && g_ascii_string_to_unsigned (r, 10, 1, G_MAXUINT32, &n, NULL) ? (guint) n - 1 : next_row;
          next_row = row + 1;
          next_col = 0;
          if (row >= WC_IMPORT_MAX_ROWS)
            {
              wc_workbook_xml_close (&x);
              return wc_workbook_too_large (g, _("rows"), WC_IMPORT_MAX_ROWS);
            }
        }
      else if (wc_workbook_is_element (&x, "c"))
        {
          g_autofree char *r = wc_workbook_attr (&x, "r");
          g_autofree char *s = wc_workbook_attr (&x, "s");
          guint ref_row;

          if (r == NULL || !parse_ref (r, &col, &ref_row))
            col = next_col;
          next_col = col + 1;
          g_free (type);
          type = wc_workbook_attr (&x, "t");
          style = s ? (guint) atoi (s) : 0;
          g_string_truncate (value, 0);
          in_c = !xmlTextReaderIsEmptyElement (x.reader);
        }
      else if (in_c && wc_workbook_is_element (&x, "v"))
        in_v = !xmlTextReaderIsEmptyElement (x.reader);
      else if (in_c && wc_workbook_is_element (&x, "t"))
        in_t = !xmlTextReaderIsEmptyElement (x.reader);
      else if (wc_workbook_is_end (&x, "v"))
        in_v = FALSE;
      else if (wc_workbook_is_end (&x, "t"))
        in_t = FALSE;
      else if ((in_v || in_t) && (text = wc_workbook_text_value (&x)) != NULL)
        {
          if (value->len + strlen (text) > WC_CSV_MAX_CELL_BYTES)
            {
              wc_workbook_xml_close (&x);
              g_set_error (g->error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_TOO_LARGE,
                           _("%s: a cell of row %u holds more than %u bytes: refused"), g->name,
                           row + 1, WC_CSV_MAX_CELL_BYTES);
              return FALSE;
            }
          g_string_append (value, text);
        }
      else if (wc_workbook_is_end (&x, "c") && in_c)
        {
          char *cell;

          in_c = in_v = in_t = FALSE;
          if (g_strcmp0 (type, "s") == 0)
            {
              guint64 k;

              if (!g_ascii_string_to_unsigned (value->str, 10, 0, G_MAXUINT32, &k, NULL) || k >= shared->len)
                {
                  wc_workbook_xml_close (&x);
                  g_set_error (g->error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT,
                               _("%s: row %u, column %u names shared string “%s”, which does not exist"),
                               g->name, row + 1, col + 1, value->str);
                  return FALSE;
                }
              cell = g_strdup (g_ptr_array_index (shared, k));
            }
          else if (g_strcmp0 (type, "b") == 0)
            cell = g_strdup (strcmp (value->str, "1") == 0 ? "TRUE" : "FALSE");
          else if (type == NULL || strcmp (type, "n") == 0)
            {
              NumKind kind = style < styles->len ? g_array_index (styles, guint8, style) : NUM_PLAIN;

              cell = kind != NUM_PLAIN && *value->str
                       ? serial_text (g_ascii_strtod (value->str, NULL), kind)
                       : number_text (value->str);
            }
          else
            cell = g_strdup (value->str);
          if (!wc_workbook_grid_set (g, row, col, cell))
            {
              wc_workbook_xml_close (&x);
              return FALSE;
            }
        }
      else if (wc_workbook_is_element (&x, "mergeCell"))
        {
          g_autofree char *ref = wc_workbook_attr (&x, "ref");
          g_auto(GStrv) ends = ref ? g_strsplit (ref, ":", 2) : NULL;
          guint c[4];

          if (ends && ends[0] && ends[1] && parse_ref (ends[0], &c[0], &c[1]) &&
              parse_ref (ends[1], &c[2], &c[3]))
            g_array_append_vals (merges, c, 4);
        }
    }
  wc_workbook_xml_close (&x);
  return !(g->error && *g->error);
}

/* Every cell a merge covers takes the value of its top-left cell, so that a date written once
 * over three rows dates all three. */
static gboolean
apply_merges (Grid   *g,
              GArray *merges)
{
  for (guint i = 0; i + 3 < merges->len; i += 4)
    {
      guint c0 = g_array_index (merges, guint, i), r0 = g_array_index (merges, guint, i + 1);
      guint c1 = g_array_index (merges, guint, i + 2), r1 = g_array_index (merges, guint, i + 3);
      const char *v = grid_get (g, r0, c0);
      g_autofree char *copy = v ? g_strdup (v) : NULL;

      if (copy == NULL || r1 < r0 || c1 < c0 || r1 >= WC_IMPORT_MAX_ROWS || c1 >= WC_IMPORT_MAX_COLUMNS)
        continue;
      for (guint r = r0; r <= r1; r++)
        for (guint c = c0; c <= c1; c++)
          if ((r != r0 || c != c0) && !wc_workbook_grid_set (g, r, c, g_strdup (copy)))
            return FALSE;
    }
  return TRUE;
}

WcCsvTable *
wc_workbook_read_input (GsfInput        *input,
                        const char      *name,
                        WcImportFormat   format,
                        const char      *sheet,
                        GPtrArray      **sheets,
                        GError         **error)
{
  g_autoptr(GError) zip_error = NULL;
  g_autoptr(GsfInfile) zip = gsf_infile_zip_new (input, &zip_error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (grid_row_free);
  g_autoptr(GArray) merges = g_array_new (FALSE, FALSE, sizeof (guint));
  Grid g = { name, rows, 0, error };
  gboolean ok;

  if (zip == NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT,
                   _("%s: not a complete ZIP archive (truncated or damaged): %s"), name,
                   zip_error ? zip_error->message : _("unknown error"));
      return NULL;
    }
  if (format == WC_IMPORT_ODS)
    ok = wc_workbook_read_ods (zip, &g, sheet, names, merges);
  else
    {
      g_autoptr(GPtrArray) shared = NULL;
      g_autoptr(GArray) styles = NULL;
      g_autofree char *member = xlsx_sheet_path (zip, name, sheet, &names, error);

      if (member == NULL)
        return NULL;
      shared = read_shared_strings (zip, name, error);
      if (shared == NULL)
        return NULL;
      styles = read_styles (zip, name, NULL);
      ok = read_xlsx_sheet (zip, &g, member, shared, styles, merges);
    }
  if (!ok || !apply_merges (&g, merges))
    return NULL;
  if (sheets)
    *sheets = g_steal_pointer (&names);
  return grid_to_table (&g);
}

WcCsvTable *
wc_workbook_read (const char      *path,
                  WcImportFormat   format,
                  const char      *sheet,
                  GPtrArray      **sheets,
                  GError         **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GsfInput) input = gsf_input_stdio_new (path, &local);

  if (input == NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_IO, "%s: %s", path, local->message);
      return NULL;
    }
  return wc_workbook_read_input (input, path, format, sheet, sheets, error);
}
