/* wc-json-reader.c: a strict RFC 8259 parser building json-glib nodes, with their positions.
 *
 * json-glib's own parser forgets where a value came from once it is parsed, and a planner needs
 * "line 212, column 14" to find a mistake in a 3,000-line scenario.
 */
#define G_LOG_DOMAIN "wc-json-reader"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-json-reader.h"

#define MAX_DEPTH 128

G_DEFINE_QUARK (wc-json-reader-error-quark, wc_json_reader_error)

typedef struct {
  WcJsonPos value;
  WcJsonPos key;
} NodePos;

struct _WcJsonDocument {
  JsonNode   *root;
  GArray     *positions;   /* NodePos */
  GHashTable *by_node;     /* JsonNode* → index + 1 into positions */
  GHashTable *by_object;   /* JsonObject* → index + 1 */
  GArray     *duplicates;  /* WcJsonDuplicate */
};

typedef struct {
  const char     *data;
  const char     *p;
  const char     *end;
  guint           line;
  const char     *line_start;
  /* Columns are counted in characters; the count is carried forward so a long line costs
   * O(length) in all, not O(length) per value. */
  const char     *col_mark;
  guint           col_mark_chars;
  int             depth;
  GString        *buf;
  WcJsonDocument *doc;
  WcJsonPos       error_pos;
  GError         *error;
} Parser;

static WcJsonPos
pos_at (Parser     *ps,
        const char *at)
{
  WcJsonPos pos = { ps->line, 0 };

  if (ps->col_mark < ps->line_start || ps->col_mark > at)
    {
      ps->col_mark = ps->line_start;
      ps->col_mark_chars = 0;
    }
  for (const char *c = ps->col_mark; c < at; c++)
    if (((guchar) *c & 0xC0) != 0x80)
      ps->col_mark_chars++;
  ps->col_mark = at;
  pos.column = ps->col_mark_chars + 1;
  return pos;
}

G_GNUC_PRINTF (3, 4) static void
fail_at (Parser     *ps,
         const char *at,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  if (ps->error != NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  ps->error_pos = pos_at (ps, at);
  ps->error = g_error_new_literal (WC_JSON_READER_ERROR, WC_JSON_READER_ERROR_SYNTAX, message);
}

static void
skip_ws (Parser *ps)
{
  while (ps->p < ps->end)
    {
      char c = *ps->p;

      if (c == '\n')
        {
          ps->line++;
          ps->line_start = ps->p + 1;
        }
      else if (c != ' ' && c != '\t' && c != '\r')
        return;
      ps->p++;
    }
}

static void
record (Parser     *ps,
        JsonNode   *node,
        WcJsonPos   value,
        WcJsonPos   key)
{
  NodePos np = { value, key };

  g_array_append_val (ps->doc->positions, np);
  g_hash_table_insert (ps->doc->by_node, node, GUINT_TO_POINTER (ps->doc->positions->len));
  if (JSON_NODE_HOLDS_OBJECT (node))
    g_hash_table_insert (ps->doc->by_object, json_node_get_object (node),
                         GUINT_TO_POINTER (ps->doc->positions->len));
}

static JsonNode *parse_value (Parser *ps, WcJsonPos key_pos, gboolean has_key);

static int
hex4 (const char *s)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (s[i]);

      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* Parses the string at ps->p (on the opening quote) into ps->buf. */
static gboolean
parse_string (Parser *ps)
{
  const char *start = ps->p;

  g_string_truncate (ps->buf, 0);
  ps->p++;
  while (ps->p < ps->end)
    {
      const char *run = ps->p;

      /* Copy plain runs in one go: most of a scenario is ordinary text. */
      while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' && (guchar) *ps->p >= 0x20)
        ps->p++;
      if (ps->p > run)
        {
          if (!g_utf8_validate (run, ps->p - run, NULL))
            {
              const char *bad = NULL;

              g_utf8_validate (run, ps->p - run, &bad);
              fail_at (ps, bad, _("invalid UTF-8 in a string"));
              ps->error->code = WC_JSON_READER_ERROR_ENCODING;
              return FALSE;
            }
          g_string_append_len (ps->buf, run, ps->p - run);
        }
      if (ps->p >= ps->end)
        break;
      if (*ps->p == '"')
        {
          ps->p++;
          return TRUE;
        }
      if ((guchar) *ps->p < 0x20)
        {
          if (*ps->p == '\n')
            fail_at (ps, ps->p, _("a string is not closed before the end of the line"));
          else
            fail_at (ps, ps->p, _("control character U+%04X must be escaped in a string"),
                     (guint) (guchar) *ps->p);
          return FALSE;
        }
      /* a backslash */
      if (ps->p + 1 >= ps->end)
        break;
      switch (ps->p[1])
        {
        case '"': g_string_append_c (ps->buf, '"'); ps->p += 2; break;
        case '\\': g_string_append_c (ps->buf, '\\'); ps->p += 2; break;
        case '/': g_string_append_c (ps->buf, '/'); ps->p += 2; break;
        case 'b': g_string_append_c (ps->buf, '\b'); ps->p += 2; break;
        case 'f': g_string_append_c (ps->buf, '\f'); ps->p += 2; break;
        case 'n': g_string_append_c (ps->buf, '\n'); ps->p += 2; break;
        case 'r': g_string_append_c (ps->buf, '\r'); ps->p += 2; break;
        case 't': g_string_append_c (ps->buf, '\t'); ps->p += 2; break;
        case 'u':
          {
            int cp = ps->end - ps->p >= 6 ? hex4 (ps->p + 2) : -1;

            if (cp < 0)
              {
                fail_at (ps, ps->p, _("\\u must be followed by four hexadecimal digits"));
                return FALSE;
              }
            if (cp >= 0xD800 && cp <= 0xDBFF)
              {
                int lo = ps->end - ps->p >= 12 && ps->p[6] == '\\' && ps->p[7] == 'u'
                         ? hex4 (ps->p + 8) : -1;

                if (lo < 0xDC00 || lo > 0xDFFF)
                  {
                    fail_at (ps, ps->p, _("a UTF-16 high surrogate must be followed by a low one"));
                    return FALSE;
                  }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                ps->p += 6;
              }
            else if (cp >= 0xDC00 && cp <= 0xDFFF)
              {
                fail_at (ps, ps->p, _("a lone UTF-16 low surrogate is not a character"));
                return FALSE;
              }
            if (cp == 0)
              {
                fail_at (ps, ps->p, _("\\u0000 is not allowed in a text"));
                return FALSE;
              }
            g_string_append_unichar (ps->buf, cp);
            ps->p += 6;
          }
          break;
        default:
          fail_at (ps, ps->p, _("unknown escape \\%c in a string"), g_ascii_isprint (ps->p[1]) ? ps->p[1] : '?');
          return FALSE;
        }
    }
  fail_at (ps, start, _("a string is not closed before the end of the file"));
  return FALSE;
}

static JsonNode *
parse_number (Parser *ps)
{
  const char *start = ps->p;
  gboolean is_int = TRUE;
  char tmp[64];
  gsize len;

  if (*ps->p == '-')
    ps->p++;
  if (ps->p < ps->end && *ps->p == '0')
    ps->p++;
  else if (ps->p < ps->end && g_ascii_isdigit (*ps->p))
    while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
      ps->p++;
  else
    {
      fail_at (ps, start, _("a number must start with a digit"));
      return NULL;
    }
  if (ps->p < ps->end && *ps->p == '.')
    {
      is_int = FALSE;
      ps->p++;
      if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
        {
          fail_at (ps, ps->p, _("a digit must follow the decimal point"));
          return NULL;
        }
      while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
        ps->p++;
    }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E'))
    {
      is_int = FALSE;
      ps->p++;
      if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
        ps->p++;
      if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
        {
          fail_at (ps, ps->p, _("a digit must follow the exponent"));
          return NULL;
        }
      while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
        ps->p++;
    }
  len = ps->p - start;
  if (len >= sizeof tmp)
    {
      fail_at (ps, start, _("a number is too long"));
      return NULL;
    }
  memcpy (tmp, start, len);
  tmp[len] = '\0';
  if (is_int)
    {
      gint64 v;

      if (g_ascii_string_to_signed (tmp, 10, G_MININT64, G_MAXINT64, &v, NULL))
        return json_node_init_int (json_node_alloc (), v);
    }
  return json_node_init_double (json_node_alloc (), g_ascii_strtod (tmp, NULL));
}

static gboolean
match_word (Parser     *ps,
            const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (ps->end - ps->p) >= n && memcmp (ps->p, word, n) == 0)
    {
      ps->p += n;
      return TRUE;
    }
  return FALSE;
}

static JsonNode *
parse_object (Parser *ps)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  ps->p++;
  skip_ws (ps);
  if (ps->p < ps->end && *ps->p == '}')
    {
      ps->p++;
      return node;
    }
  for (;;)
    {
      WcJsonPos key_pos;
      g_autofree char *key = NULL;
      JsonNode *member;

      skip_ws (ps);
      if (ps->p >= ps->end)
        {
          fail_at (ps, ps->p, _("the file ends inside an object"));
          goto fail;
        }
      if (*ps->p != '"')
        {
          if (*ps->p == '}')
            fail_at (ps, ps->p, _("a comma must not come before '}'"));
          else
            fail_at (ps, ps->p, _("expected a member name in double quotes"));
          goto fail;
        }
      key_pos = pos_at (ps, ps->p);
      if (!parse_string (ps))
        goto fail;
      key = g_strdup (ps->buf->str);
      skip_ws (ps);
      if (ps->p >= ps->end || *ps->p != ':')
        {
          fail_at (ps, ps->p, _("expected ':' after the member name \"%s\""), key);
          goto fail;
        }
      ps->p++;
      skip_ws (ps);
      member = parse_value (ps, key_pos, TRUE);
      if (member == NULL)
        goto fail;
      if (json_object_has_member (object, key))
        {
          WcJsonDuplicate dup = { key_pos, g_strdup (key), object };

          g_array_append_val (ps->doc->duplicates, dup);
          json_node_unref (member);
        }
      else
        json_object_set_member (object, key, member);
      skip_ws (ps);
      if (ps->p < ps->end && *ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (ps->p < ps->end && *ps->p == '}')
        {
          ps->p++;
          return node;
        }
      if (ps->p >= ps->end)
        fail_at (ps, ps->p, _("the file ends inside an object"));
      else
        fail_at (ps, ps->p, _("expected ',' or '}' after the member \"%s\""), key);
      goto fail;
    }
fail:
  json_node_unref (node);
  return NULL;
}

static JsonNode *
parse_array (Parser *ps)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_init_array (json_node_alloc (), array);
  WcJsonPos none = { 0, 0 };

  json_array_unref (array);
  ps->p++;
  skip_ws (ps);
  if (ps->p < ps->end && *ps->p == ']')
    {
      ps->p++;
      return node;
    }
  for (;;)
    {
      JsonNode *element;

      skip_ws (ps);
      if (ps->p < ps->end && *ps->p == ']')
        {
          fail_at (ps, ps->p, _("a comma must not come before ']'"));
          goto fail;
        }
      element = parse_value (ps, none, FALSE);
      if (element == NULL)
        goto fail;
      json_array_add_element (array, element);
      skip_ws (ps);
      if (ps->p < ps->end && *ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (ps->p < ps->end && *ps->p == ']')
        {
          ps->p++;
          return node;
        }
      if (ps->p >= ps->end)
        fail_at (ps, ps->p, _("the file ends inside an array"));
      else
        fail_at (ps, ps->p, _("expected ',' or ']' in an array"));
      goto fail;
    }
fail:
  json_node_unref (node);
  return NULL;
}

static JsonNode *
parse_value (Parser    *ps,
             WcJsonPos  key_pos,
             gboolean   has_key)
{
  WcJsonPos value_pos;
  JsonNode *node = NULL;

  skip_ws (ps);
  if (ps->p >= ps->end)
    {
      fail_at (ps, ps->p, _("the file ends where a value was expected"));
      return NULL;
    }
  value_pos = pos_at (ps, ps->p);
  switch (*ps->p)
    {
    case '{':
    case '[':
      if (++ps->depth > MAX_DEPTH)
        {
          fail_at (ps, ps->p, _("values are nested more than %d deep"), MAX_DEPTH);
          ps->error->code = WC_JSON_READER_ERROR_TOO_DEEP;
          return NULL;
        }
      node = *ps->p == '{' ? parse_object (ps) : parse_array (ps);
      ps->depth--;
      break;
    case '"':
      if (parse_string (ps))
        node = json_node_init_string (json_node_alloc (), ps->buf->str);
      break;
    case 't':
      if (match_word (ps, "true"))
        node = json_node_init_boolean (json_node_alloc (), TRUE);
      break;
    case 'f':
      if (match_word (ps, "false"))
        node = json_node_init_boolean (json_node_alloc (), FALSE);
      break;
    case 'n':
      if (match_word (ps, "null"))
        node = json_node_init_null (json_node_alloc ());
      break;
    default:
      if (*ps->p == '-' || g_ascii_isdigit (*ps->p))
        node = parse_number (ps);
      break;
    }
  if (node == NULL)
    {
      if (*ps->p == '\'')
        fail_at (ps, ps->p, _("strings must be in double quotes"));
      else if (*ps->p == '/' )
        fail_at (ps, ps->p, _("comments are not allowed in JSON"));
      else
        fail_at (ps, ps->p, _("expected a value (a string, number, object, array, true, false or null)"));
      return NULL;
    }
  record (ps, node, value_pos, has_key ? key_pos : value_pos);
  return node;
}

WcJsonDocument *
wc_json_document_parse (const char  *data,
                        gsize        length,
                        WcJsonPos   *error_pos,
                        GError     **error)
{
  Parser ps = { 0 };
  WcJsonPos none = { 0, 0 };
  WcJsonDocument *doc = g_new0 (WcJsonDocument, 1);

  doc->positions = g_array_new (FALSE, FALSE, sizeof (NodePos));
  doc->by_node = g_hash_table_new (NULL, NULL);
  doc->by_object = g_hash_table_new (NULL, NULL);
  doc->duplicates = g_array_new (FALSE, FALSE, sizeof (WcJsonDuplicate));

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  ps.data = ps.p = ps.line_start = ps.col_mark = data;
  ps.end = data + length;
  ps.line = 1;
  ps.buf = g_string_sized_new (256);
  ps.doc = doc;

  if (memchr (data, '\0', length) != NULL)
    fail_at (&ps, memchr (data, '\0', length), _("the file holds a NUL byte: it is not a text file"));
  else
    {
      doc->root = parse_value (&ps, none, FALSE);
      if (doc->root != NULL)
        {
          skip_ws (&ps);
          if (ps.p < ps.end)
            fail_at (&ps, ps.p, _("unexpected text after the end of the document"));
        }
    }
  g_string_free (ps.buf, TRUE);
  if (ps.error != NULL)
    {
      if (error_pos)
        *error_pos = ps.error_pos;
      g_propagate_error (error, ps.error);
      wc_json_document_free (doc);
      return NULL;
    }
  return doc;
}

void
wc_json_document_free (WcJsonDocument *doc)
{
  if (doc == NULL)
    return;
  for (guint i = 0; i < doc->duplicates->len; i++)
    g_free (g_array_index (doc->duplicates, WcJsonDuplicate, i).key);
  g_array_unref (doc->duplicates);
  g_clear_pointer (&doc->root, json_node_unref);
  g_hash_table_unref (doc->by_node);
  g_hash_table_unref (doc->by_object);
  g_array_unref (doc->positions);
  g_free (doc);
}

JsonNode *
wc_json_document_get_root (WcJsonDocument *doc)
{
  return doc->root;
}

gboolean
wc_json_document_get_pos (WcJsonDocument *doc,
                          JsonNode       *node,
                          WcJsonPos      *value_pos,
                          WcJsonPos      *key_pos)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (doc->by_node, node));
  const NodePos *np;

  if (index == 0)
    return FALSE;
  np = &g_array_index (doc->positions, NodePos, index - 1);
  if (value_pos)
    *value_pos = np->value;
  if (key_pos)
    *key_pos = np->key;
  return TRUE;
}

gboolean
wc_json_document_get_object_pos (WcJsonDocument *doc,
                                 JsonObject     *object,
                                 WcJsonPos      *pos)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (doc->by_object, object));

  if (index == 0)
    return FALSE;
  *pos = g_array_index (doc->positions, NodePos, index - 1).value;
  return TRUE;
}

GArray *
wc_json_document_get_duplicates (WcJsonDocument *doc)
{
  return doc->duplicates;
}
