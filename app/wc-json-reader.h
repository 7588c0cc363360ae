/* wc-json-reader.h: a strict JSON parser that remembers where each value stood in the file. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WC_JSON_READER_ERROR (wc_json_reader_error_quark ())
GQuark wc_json_reader_error_quark (void);

typedef enum {
  WC_JSON_READER_ERROR_SYNTAX = 1,
  WC_JSON_READER_ERROR_ENCODING,
  WC_JSON_READER_ERROR_TOO_DEEP,
} WcJsonReaderError;

typedef struct {
  guint line;    /* 1-based */
  guint column;  /* 1-based, in characters */
} WcJsonPos;

typedef struct {
  WcJsonPos pos;
  char     *key;
  JsonObject *object;  /* the object holding the duplicate (borrowed) */
} WcJsonDuplicate;

typedef struct _WcJsonDocument WcJsonDocument;

/* Parses @data (UTF-8, an optional BOM is skipped). On failure returns NULL, sets @error and,
 * when given, @error_pos to where the problem is. A member given twice keeps its first value
 * and is listed by wc_json_document_get_duplicates(). */
WcJsonDocument *wc_json_document_parse          (const char  *data,
                                                 gsize        length,
                                                 WcJsonPos   *error_pos,
                                                 GError     **error);
void            wc_json_document_free           (WcJsonDocument *doc);
JsonNode       *wc_json_document_get_root       (WcJsonDocument *doc);
/* Where @node's value starts; for an object member, @key_pos (nullable) is where its name
 * starts (else the value's position). Returns FALSE for a node not from this document. */
gboolean        wc_json_document_get_pos        (WcJsonDocument *doc,
                                                 JsonNode       *node,
                                                 WcJsonPos      *value_pos,
                                                 WcJsonPos      *key_pos);
/* The position of an object's opening brace (objects are found through the node that holds
 * them). */
gboolean        wc_json_document_get_object_pos (WcJsonDocument *doc,
                                                 JsonObject     *object,
                                                 WcJsonPos      *pos);
GArray         *wc_json_document_get_duplicates (WcJsonDocument *doc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcJsonDocument, wc_json_document_free)

G_END_DECLS
