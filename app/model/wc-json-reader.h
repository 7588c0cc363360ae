/* wc-json-reader.h: a strict JSON parser into a compact tree that remembers where each value
 * stood in the file. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WC_JSON_READER_ERROR (wc_json_reader_error_quark ())
GQuark wc_json_reader_error_quark (void);

typedef enum {
  WC_JSON_READER_ERROR_SYNTAX = 1,
  WC_JSON_READER_ERROR_ENCODING,
  WC_JSON_READER_ERROR_TOO_DEEP,
} WcJsonReaderError;

typedef enum {
  WC_JSON_NULL,
  WC_JSON_BOOLEAN,
  WC_JSON_INTEGER,
  WC_JSON_DOUBLE,
  WC_JSON_STRING,
  WC_JSON_ARRAY,
  WC_JSON_OBJECT,
} WcJsonType;

typedef struct {
  guint line;    /* 1-based */
  guint column;  /* 1-based, in characters */
} WcJsonPos;

/* Nodes live in the document's arena and die with it; members and elements are chained by
 * `next`, in file order. */
typedef struct _WcJsonNode WcJsonNode;
struct _WcJsonNode {
  WcJsonType  type;
  WcJsonPos   pos;        /* where the value starts */
  WcJsonPos   key_pos;    /* where the member's name starts (the value's position outside objects) */
  const char *key;        /* the member's name, NULL outside objects */
  guint       index;      /* the position among its siblings, from 0 */
  WcJsonNode *next;
  union {
    gboolean    boolean;
    gint64      integer;
    double      real;
    const char *string;   /* NUL-terminated, valid UTF-8, no NUL inside */
    struct {
      WcJsonNode *first;
      guint       length;
    } children;
  } v;
};

typedef struct {
  WcJsonPos   pos;
  const char *key;
} WcJsonDuplicate;

typedef struct _WcJsonDocument WcJsonDocument;

/* Parses @data (UTF-8, an optional BOM is skipped). On failure returns NULL, sets @error and,
 * when given, @error_pos to where the problem is. A member given twice keeps its first value and
 * is listed by wc_json_document_get_duplicates(). */
WcJsonDocument *wc_json_document_parse          (const char  *data,
                                                 gsize        length,
                                                 WcJsonPos   *error_pos,
                                                 GError     **error);
void            wc_json_document_free           (WcJsonDocument *doc);
WcJsonNode     *wc_json_document_get_root       (WcJsonDocument *doc);
/* WcJsonDuplicate, in file order */
GArray         *wc_json_document_get_duplicates (WcJsonDocument *doc);

/* The member @name of an object node, or NULL. */
WcJsonNode     *wc_json_object_get              (const WcJsonNode *object,
                                                 const char       *name);
const char     *wc_json_type_name               (WcJsonType        type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcJsonDocument, wc_json_document_free)

G_END_DECLS
