/* wc-import-workbook-private.h: what the workbook reader's files share (wc-import-workbook-read.c:
 * the container, the XML reader made safe, XLSX; wc-import-workbook-ods.c: ODS): the grid the
 * cells are read into and the bounded, DTD-refusing xmlReader over a ZIP member. */
#pragma once

#include <libxml/xmlreader.h>

#include "wc-import-private.h"

G_BEGIN_DECLS

/* The cells read so far, bounded by WC_IMPORT_MAX_ROWS / _COLUMNS / _CELLS. */
typedef struct {
  const char *name;       /* for messages */
  GPtrArray  *rows;       /* GPtrArray of char * (NULL: empty), by row index */
  guint       n_cells;
  GError    **error;
} Grid;

/* A ZIP member's XML, streamed; the first error is kept in *error. */
typedef struct {
  xmlTextReaderPtr  reader;
  const char       *name;
  const char       *member;
  GError          **error;
  gboolean          failed;
} Xml;

/* FALSE with the error set: the sheet has more than @limit @what. */
gboolean    wc_workbook_too_large   (Grid        *g,
                                     const char  *what,
                                     guint        limit);
/* Takes @value; FALSE (the error set) past a bound. */
gboolean    wc_workbook_grid_set    (Grid        *g,
                                     guint        row,
                                     guint        col,
                                     char        *value);
/* The member @path ("xl/workbook.xml") of @zip, read whole; NULL and the error when absent (with
 * @required), too large or cut short. */
GBytes     *wc_workbook_read_member (GsfInfile   *zip,
                                     const char  *name,
                                     const char  *path,
                                     gboolean     required,
                                     GError     **error);
gboolean    wc_workbook_xml_open    (Xml         *x,
                                     GBytes      *bytes,
                                     const char  *name,
                                     const char  *member,
                                     GError     **error);
void        wc_workbook_xml_close   (Xml         *x);
/* The next node: 1, 0 at the end, -1 on an error (set). */
int         wc_workbook_xml_next    (Xml         *x);
gboolean    wc_workbook_is_element  (Xml         *x,
                                     const char  *local);
gboolean    wc_workbook_is_end      (Xml         *x,
                                     const char  *local);
char       *wc_workbook_attr        (Xml         *x,
                                     const char  *name);
const char *wc_workbook_text_value  (Xml         *x);

/* wc-import-workbook-ods.c: the sheet @wanted (nullable: the first) of an ODS into @g, the names
 * of its sheets into @sheets, its merged ranges into @merges (c0, r0, c1, r1 each). */
gboolean    wc_workbook_read_ods    (GsfInfile   *zip,
                                     Grid        *g,
                                     const char  *wanted,
                                     GPtrArray   *sheets,
                                     GArray      *merges);

G_END_DECLS
