/* wc-json-reader.c: a strict RFC 8259 parser into a compact tree, with positions.
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

/* Objects with more members than this get a hash table to find duplicates in; the ones in a
 * scenario have a dozen, and a linear scan beats hashing there. */
#define LINEAR_MEMBERS 16
#define BLOCK_SIZE (256 * 1024)

/* Everything a document holds lives in a few large blocks: parsing is allocation-bound, and a
 * 10,000-inject scenario has half a million values. */
typedef struct {
  GSList *blocks;
  char   *cursor;
  gsize   left;
} Arena;

struct _WcJsonDocument {
  Arena       arena;
  WcJsonNode *root;
  GArray     *duplicates;  /* WcJsonDuplicate */
};

typedef struct {
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

static gpointer
arena_alloc (Arena *arena,
             gsize  size)
{
  gpointer mem;

  size = (size + 7) & ~(gsize) 7;
  if (size > arena->left)
    {
      gsize block = MAX (BLOCK_SIZE, size);

      arena->cursor = g_malloc (block);
      arena->blocks = g_slist_prepend (arena->blocks, arena->cursor);
      arena->left = block;
    }
  mem = arena->cursor;
  arena->cursor += size;
  arena->left -= size;
  return mem;
}

static const char *
arena_strndup (Arena      *arena,
               const char *str,
               gsize       len)
{
  char *copy = arena_alloc (arena, len + 1);

  memcpy (copy, str, len);
  copy[len] = '\0';
  return copy;
}

static WcJsonNode *
new_node (Parser     *ps,
          WcJsonType  type,
          WcJsonPos   pos)
{
  WcJsonNode *node = arena_alloc (&ps->doc->arena, sizeof (WcJsonNode));

  memset (node, 0, sizeof *node);
  node->type = type;
  node->pos = node->key_pos = pos;
  return node;
}

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

/* Parses the string at ps->p (on the opening quote) into the arena. */
static const char *
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
              return NULL;
            }
          /* Most strings have no escape: copy them straight into the arena. */
          if (ps->buf->len == 0 && ps->p < ps->end && *ps->p == '"')
            {
              ps->p++;
              return arena_strndup (&ps->doc->arena, run, ps->p - 1 - run);
            }
          g_string_append_len (ps->buf, run, ps->p - run);
        }
      if (ps->p >= ps->end)
        break;
      if (*ps->p == '"')
        {
          ps->p++;
          return arena_strndup (&ps->doc->arena, ps->buf->str, ps->buf->len);
        }
      if ((guchar) *ps->p < 0x20)
        {
          if (*ps->p == '\n')
            fail_at (ps, ps->p, _("a string is not closed before the end of the line"));
          else
            fail_at (ps, ps->p, _("control character U+%04X must be escaped in a string"),
                     (guint) (guchar) *ps->p);
          return NULL;
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
                return NULL;
              }
            if (cp >= 0xD800 && cp <= 0xDBFF)
              {
                int lo = ps->end - ps->p >= 12 && ps->p[6] == '\\' && ps->p[7] == 'u'
                         ? hex4 (ps->p + 8) : -1;

                if (lo < 0xDC00 || lo > 0xDFFF)
                  {
                    fail_at (ps, ps->p, _("a UTF-16 high surrogate must be followed by a low one"));
                    return NULL;
                  }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                ps->p += 6;
              }
            else if (cp >= 0xDC00 && cp <= 0xDFFF)
              {
                fail_at (ps, ps->p, _("a lone UTF-16 low surrogate is not a character"));
                return NULL;
              }
            if (cp == 0)
              {
                fail_at (ps, ps->p, _("\\u0000 is not allowed in a text"));
                return NULL;
              }
            g_string_append_unichar (ps->buf, cp);
            ps->p += 6;
          }
          break;
        default:
          fail_at (ps, ps->p, _("unknown escape \\%c in a string"), g_ascii_isprint (ps->p[1]) ? ps->p[1] : '?');
          return NULL;
        }
    }
  fail_at (ps, start, _("a string is not closed before the end of the file"));
  return NULL;
}

static WcJsonNode *
parse_number (Parser    *ps,
              WcJsonPos  pos)
{
  const char *start = ps->p;
  WcJsonNode *node;
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
        {
          node = new_node (ps, WC_JSON_INTEGER, pos);
          node->v.integer = v;
          return node;
        }
    }
  node = new_node (ps, WC_JSON_DOUBLE, pos);
  node->v.real = g_ascii_strtod (tmp, NULL);
  return node;
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

static WcJsonNode *parse_value (Parser *ps);

static gboolean
has_member (WcJsonNode *object,
            GHashTable *index,
            const char *key)
{
  if (index)
    return g_hash_table_contains (index, key);
  for (WcJsonNode *m = object->v.children.first; m; m = m->next)
    if (strcmp (m->key, key) == 0)
      return TRUE;
  return FALSE;
}

static WcJsonNode *
parse_object (Parser    *ps,
              WcJsonPos  pos)
{
  WcJsonNode *node = new_node (ps, WC_JSON_OBJECT, pos);
  WcJsonNode **tail = &node->v.children.first;
  g_autoptr(GHashTable) index = NULL;

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
      const char *key;
      WcJsonNode *member;

      skip_ws (ps);
      if (ps->p >= ps->end)
        {
          fail_at (ps, ps->p, _("the file ends inside an object"));
          return NULL;
        }
      if (*ps->p != '"')
        {
          if (*ps->p == '}')
            fail_at (ps, ps->p, _("a comma must not come before '}'"));
          else
            fail_at (ps, ps->p, _("expected a member name in double quotes"));
          return NULL;
        }
      key_pos = pos_at (ps, ps->p);
      if ((key = parse_string (ps)) == NULL)
        return NULL;
      skip_ws (ps);
      if (ps->p >= ps->end || *ps->p != ':')
        {
          fail_at (ps, ps->p, _("expected ':' after the member name \"%s\""), key);
          return NULL;
        }
      ps->p++;
      if ((member = parse_value (ps)) == NULL)
        return NULL;
      member->key = key;
      member->key_pos = key_pos;
      if (has_member (node, index, key))
        {
          WcJsonDuplicate dup = { key_pos, key };

          g_array_append_val (ps->doc->duplicates, dup);
        }
      else
        {
          member->index = node->v.children.length++;
          *tail = member;
          tail = &member->next;
          if (index)
            g_hash_table_add (index, (gpointer) key);
          else if (node->v.children.length > LINEAR_MEMBERS)
            {
              index = g_hash_table_new (g_str_hash, g_str_equal);
              for (WcJsonNode *m = node->v.children.first; m; m = m->next)
                g_hash_table_add (index, (gpointer) m->key);
            }
        }
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
      return NULL;
    }
}

static WcJsonNode *
parse_array (Parser    *ps,
             WcJsonPos  pos)
{
  WcJsonNode *node = new_node (ps, WC_JSON_ARRAY, pos);
  WcJsonNode **tail = &node->v.children.first;

  ps->p++;
  skip_ws (ps);
  if (ps->p < ps->end && *ps->p == ']')
    {
      ps->p++;
      return node;
    }
  for (;;)
    {
      WcJsonNode *element;

      skip_ws (ps);
      if (ps->p < ps->end && *ps->p == ']')
        {
          fail_at (ps, ps->p, _("a comma must not come before ']'"));
          return NULL;
        }
      if ((element = parse_value (ps)) == NULL)
        return NULL;
      element->index = node->v.children.length++;
      *tail = element;
      tail = &element->next;
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
      return NULL;
    }
}

static WcJsonNode *
parse_value (Parser *ps)
{
  WcJsonPos pos;
  WcJsonNode *node = NULL;
  const char *str;

  skip_ws (ps);
  if (ps->p >= ps->end)
    {
      fail_at (ps, ps->p, _("the file ends where a value was expected"));
      return NULL;
    }
  pos = pos_at (ps, ps->p);
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
      node = *ps->p == '{' ? parse_object (ps, pos) : parse_array (ps, pos);
      ps->depth--;
      return node;
    case '"':
      if ((str = parse_string (ps)) == NULL)
        return NULL;
      node = new_node (ps, WC_JSON_STRING, pos);
      node->v.string = str;
      return node;
    case 't':
    case 'f':
      {
        gboolean value = *ps->p == 't';

        if (match_word (ps, value ? "true" : "false"))
          {
            node = new_node (ps, WC_JSON_BOOLEAN, pos);
            node->v.boolean = value;
            return node;
          }
      }
      break;
    case 'n':
      if (match_word (ps, "null"))
        return new_node (ps, WC_JSON_NULL, pos);
      break;
    default:
      if (*ps->p == '-' || g_ascii_isdigit (*ps->p))
        return parse_number (ps, pos);
      break;
    }
  if (*ps->p == '\'')
    fail_at (ps, ps->p, _("strings must be in double quotes"));
  else if (*ps->p == '/')
    fail_at (ps, ps->p, _("comments are not allowed in JSON"));
  else
    fail_at (ps, ps->p, _("expected a value (a string, number, object, array, true, false or null)"));
  return NULL;
}

WcJsonDocument *
wc_json_document_parse (const char  *data,
                        gsize        length,
                        WcJsonPos   *error_pos,
                        GError     **error)
{
  Parser ps = { 0 };
  WcJsonDocument *doc = g_new0 (WcJsonDocument, 1);
  const char *nul;

  doc->duplicates = g_array_new (FALSE, FALSE, sizeof (WcJsonDuplicate));
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  ps.p = ps.line_start = ps.col_mark = data;
  ps.end = data + length;
  ps.line = 1;
  ps.buf = g_string_sized_new (256);
  ps.doc = doc;

  if ((nul = memchr (data, '\0', length)) != NULL)
    fail_at (&ps, nul, _("the file holds a NUL byte: it is not a text file"));
  else if ((doc->root = parse_value (&ps)) != NULL)
    {
      skip_ws (&ps);
      if (ps.p < ps.end)
        fail_at (&ps, ps.p, _("unexpected text after the end of the document"));
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
  g_slist_free_full (doc->arena.blocks, g_free);
  g_array_unref (doc->duplicates);
  g_free (doc);
}

WcJsonNode *
wc_json_document_get_root (WcJsonDocument *doc)
{
  return doc->root;
}

GArray *
wc_json_document_get_duplicates (WcJsonDocument *doc)
{
  return doc->duplicates;
}

WcJsonNode *
wc_json_object_get (const WcJsonNode *object,
                    const char       *name)
{
  if (object == NULL || object->type != WC_JSON_OBJECT)
    return NULL;
  for (WcJsonNode *m = object->v.children.first; m; m = m->next)
    if (strcmp (m->key, name) == 0)
      return m;
  return NULL;
}

const char *
wc_json_type_name (WcJsonType type)
{
  switch (type)
    {
    case WC_JSON_OBJECT: return _("an object");
    case WC_JSON_ARRAY: return _("an array");
    case WC_JSON_NULL: return _("null");
    case WC_JSON_STRING: return _("a string");
    case WC_JSON_BOOLEAN: return _("a boolean");
    case WC_JSON_INTEGER:
    case WC_JSON_DOUBLE:
    default: return _("a number");
    }
}
