/* wc-import-formats.c: what the importers of other tools' scenarios share (see the private header).
 */
#define G_LOG_DOMAIN "wc-import-formats"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libxml/HTMLparser.h>
#include <string.h>

#include "wc-import-formats-private.h"
#include "wc-scenario-loader.h"
#include "wc-untrusted.h"

/* HTML nesting deeper than this is not a mail body: the rest is read flat. */
#define HTML_MAX_DEPTH 64

WcJsonDocument *
wc_formats_parse_json (const char  *data,
                       gsize        length,
                       const char  *name,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  WcJsonPos pos = { 0, 0 };
  WcJsonDocument *doc = wc_json_document_parse (data, length, &pos, &local_error);

  if (doc == NULL)
    g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT, "%s:%u:%u: %s", name, pos.line,
                 pos.column, local_error->message);
  return doc;
}

WcJsonDocument *
wc_formats_read_json (const char  *path,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *name = g_filename_display_name (path);
  gsize length = 0;

  data = wc_untrusted_read_file (path, WC_FORMATS_MAX_JSON_BYTES, &length, &local_error);
  if (data == NULL)
    {
      gboolean large = g_error_matches (local_error, WC_UNTRUSTED_ERROR,
                                        WC_UNTRUSTED_ERROR_TOO_LARGE);

      g_set_error (error, WC_IMPORT_ERROR,
                   large ? WC_IMPORT_ERROR_TOO_LARGE : WC_IMPORT_ERROR_IO, "%s",
                   local_error->message);
      return NULL;
    }
  return wc_formats_parse_json (data, length, name, error);
}

const char *
wc_formats_get_string (const WcJsonNode *object,
                       const char       *name)
{
  const WcJsonNode *n = object && object->type == WC_JSON_OBJECT
                        ? wc_json_object_get (object, name) : NULL;

  return n && n->type == WC_JSON_STRING ? n->v.string : NULL;
}

gboolean
wc_formats_get_int (const WcJsonNode *object,
                    const char       *name,
                    gint64           *out)
{
  const WcJsonNode *n = object && object->type == WC_JSON_OBJECT
                        ? wc_json_object_get (object, name) : NULL;
  char *end = NULL;
  gint64 v;

  if (n == NULL)
    return FALSE;
  switch (n->type)
    {
    case WC_JSON_INTEGER:
      *out = n->v.integer;
      return TRUE;
    case WC_JSON_DOUBLE:
      if (!(n->v.real > -1e15 && n->v.real < 1e15))
        return FALSE;
      *out = (gint64) n->v.real;
      return TRUE;
    case WC_JSON_STRING:
      /* CEXF writes its seconds as strings ("7200") */
      errno = 0;
      v = g_ascii_strtoll (n->v.string, &end, 10);
      if (errno != 0 || end == n->v.string || *end != '\0')
        return FALSE;
      *out = v;
      return TRUE;
    default:
      return FALSE;
    }
}

const WcJsonNode *
wc_formats_get_array (const WcJsonNode *object,
                      const char       *name)
{
  const WcJsonNode *n = object && object->type == WC_JSON_OBJECT
                        ? wc_json_object_get (object, name) : NULL;

  return n && n->type == WC_JSON_ARRAY ? n : NULL;
}

const WcJsonNode *
wc_formats_get_object (const WcJsonNode *object,
                       const char       *name)
{
  const WcJsonNode *n = object && object->type == WC_JSON_OBJECT
                        ? wc_json_object_get (object, name) : NULL;

  return n && n->type == WC_JSON_OBJECT ? n : NULL;
}

const WcJsonNode *
wc_formats_get_any (const WcJsonNode  *object,
                    const char *const *names,
                    const char       **used)
{
  if (object == NULL || object->type != WC_JSON_OBJECT)
    return NULL;
  for (guint i = 0; names[i]; i++)
    {
      const WcJsonNode *n = wc_json_object_get (object, names[i]);

      if (n != NULL && n->type != WC_JSON_NULL)
        {
          if (used)
            *used = names[i];
          return n;
        }
    }
  return NULL;
}

char *
wc_formats_make_id (const char *raw,
                    const char *fallback,
                    GHashTable *used)
{
  g_autoptr(GString) s = g_string_new (NULL);
  char *id;

  for (const char *p = raw ? raw : ""; *p && s->len < 56; p++)
    {
      char c = *p;

      if (g_ascii_isalnum (c) || c == '_' || c == '-' || c == '.')
        g_string_append_c (s, c);
      else if (s->len > 0 && s->str[s->len - 1] != '-')
        g_string_append_c (s, '-');
    }
  while (s->len > 0 && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  if (s->len == 0)
    g_string_assign (s, fallback);
  id = g_strdup (s->str);
  for (guint n = 2; g_hash_table_contains (used, id); n++)
    {
      g_free (id);
      id = g_strdup_printf ("%s-%u", s->str, n);
    }
  g_hash_table_add (used, g_strdup (id));
  return id;
}

/* -- HTML ---------------------------------------------------------------------------------- */

static gboolean
is_block (const char *name)
{
  static const char *const blocks[] = { "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2",
                                        "h3", "h4", "h5", "h6", "blockquote", "pre", "section",
                                        "article", "header", "footer", NULL };

  return g_strv_contains (blocks, name);
}

static void
ensure_newline (GString *out,
                guint    n)
{
  guint have = 0;

  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    return;
  for (gsize i = out->len; i > 0 && out->str[i - 1] == '\n'; i--)
    have++;
  for (; have < n; have++)
    g_string_append_c (out, '\n');
}

static void
append_text (GString    *out,
             const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '\n')
            g_string_append_c (out, ' ');
        }
      else
        g_string_append_c (out, *p);
    }
}

static void
walk_html (xmlNode *node,
           GString *out,
           guint    depth)
{
  for (; node; node = node->next)
    {
      const char *name = (const char *) node->name;

      if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
        {
          append_text (out, (const char *) node->content);
          continue;
        }
      if (node->type != XML_ELEMENT_NODE)
        continue;
      if (g_ascii_strcasecmp (name, "script") == 0 || g_ascii_strcasecmp (name, "style") == 0 ||
          g_ascii_strcasecmp (name, "head") == 0)
        continue;
      if (g_ascii_strcasecmp (name, "br") == 0)
        {
          ensure_newline (out, 1);
          continue;
        }
      if (is_block (name))
        ensure_newline (out, g_ascii_strcasecmp (name, "li") == 0 ? 1 : 2);
      if (g_ascii_strcasecmp (name, "li") == 0)
        g_string_append (out, "- ");
      if (depth < HTML_MAX_DEPTH)
        {
          gsize before = out->len;

          walk_html (node->children, out, depth + 1);
          if (g_ascii_strcasecmp (name, "a") == 0)
            {
              g_autofree char *href = (char *) xmlGetProp (node, (const xmlChar *) "href");

              /* the link is the point of many injects ("the leaked file is here"): keep it */
              if (href && *href && strstr (out->str + before, href) == NULL)
                g_string_append_printf (out, " <%s>", href);
            }
        }
      if (is_block (name))
        ensure_newline (out, g_ascii_strcasecmp (name, "li") == 0 ? 1 : 2);
    }
}

char *
wc_formats_html_to_text (const char *html)
{
  g_autoptr(GString) out = g_string_new (NULL);
  htmlDocPtr doc;
  gsize len;

  if (html == NULL)
    return g_strdup ("");
  if (strchr (html, '<') == NULL && strchr (html, '&') == NULL)
    return g_strstrip (g_strdup (html));
  len = strlen (html);
  if (len > WC_SCENARIO_MAX_TEXT * 4)
    len = WC_SCENARIO_MAX_TEXT * 4;
  doc = htmlReadMemory (html, (int) len, NULL, "UTF-8",
                        HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                        HTML_PARSE_RECOVER | HTML_PARSE_NOBLANKS | HTML_PARSE_NOIMPLIED);
  if (doc == NULL)
    return g_strstrip (g_strdup (html));
  walk_html (xmlDocGetRootElement (doc) ? doc->children : NULL, out, 0);
  xmlFreeDoc (doc);
  ensure_newline (out, 0);
  if (!g_utf8_validate (out->str, out->len, NULL))
    return g_utf8_make_valid (out->str, out->len);
  return g_strstrip (g_strdup (out->str));
}

/* -- staging ------------------------------------------------------------------------------- */

const char *
wc_formats_staging_dir (WcFormatsStaging  *staging,
                        GError           **error)
{
  if (staging->dir == NULL)
    staging->dir = g_dir_make_tmp ("whitecell-import-XXXXXX", error);
  return staging->dir;
}

char *
wc_formats_staging_write (WcFormatsStaging  *staging,
                          const char        *name,
                          const void        *data,
                          gsize              length,
                          GError           **error)
{
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *base = g_path_get_basename (name ? name : "file");
  g_autofree char *safe = NULL;
  g_autofree char *path = NULL;
  const char *dir = wc_formats_staging_dir (staging, error);
  g_autoptr(GDir) d = NULL;
  const char *entry;

  if (dir == NULL)
    return NULL;
  /* names already written stay taken, so two documents called "report.pdf" both survive */
  d = g_dir_open (dir, 0, NULL);
  while (d && (entry = g_dir_read_name (d)))
    g_hash_table_add (used, g_strdup (entry));
  safe = wc_formats_make_id (base, "file", used);
  path = g_build_filename (dir, safe, NULL);
  if (!g_file_set_contents (path, data, length, error))
    return NULL;
  return g_steal_pointer (&safe);
}

static void
remove_staging (gpointer  data,
                GObject  *where_the_object_was)
{
  char *dir = data;
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (dir);
}

void
wc_formats_staging_clear (WcFormatsStaging *staging)
{
  if (staging->dir)
    remove_staging (g_steal_pointer (&staging->dir), NULL);
}

const char *
wc_formats_media_type (const char *file_name)
{
  static const struct { const char *ext, *type; } types[] = {
    { ".pdf", "application/pdf" }, { ".png", "image/png" }, { ".jpg", "image/jpeg" },
    { ".jpeg", "image/jpeg" }, { ".gif", "image/gif" }, { ".txt", "text/plain" },
    { ".eml", "message/rfc822" }, { ".csv", "text/csv" }, { ".html", "text/html" },
    { ".json", "application/json" }, { ".zip", "application/zip" },
    { ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
    { ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
    { ".mp4", "video/mp4" }, { ".mp3", "audio/mpeg" },
  };
  g_autofree char *lower = g_ascii_strdown (file_name ? file_name : "", -1);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_has_suffix (lower, types[i].ext))
      return types[i].type;
  return "application/octet-stream";
}

gint64
wc_formats_duration_for (gint64 latest_ms)
{
  const gint64 quarter = 15 * 60 * 1000;

  return (MAX (latest_ms, 0) + quarter - 1) / quarter * quarter + 2 * quarter;
}

void
wc_formats_add_default_team (JsonArray      *teams,
                             GHashTable     *team_ids,
                             WcImportReport *report,
                             const char     *source,
                             const char     *why)
{
  JsonObject *team = json_object_new ();

  json_object_set_string_member (team, "id", "players");
  json_object_set_string_member (team, "name", "Players");
  json_object_set_string_member (team, "kind", "other");
  json_array_add_object_element (teams, team);
  g_hash_table_add (team_ids, g_strdup ("players"));
  wc_import_report_add (report, WC_MAPPING_GUESSED, source, "%s", why);
}

JsonObject *
wc_formats_new_document (const char *exercise_id,
                         const char *title,
                         const char *description,
                         gint64      duration_ms)
{
  JsonObject *doc = json_object_new ();
  JsonObject *ex = json_object_new ();

  json_object_set_string_member (doc, "format", "whitecell-scenario");
  json_object_set_int_member (doc, "version", 1);
  json_object_set_string_member (ex, "id", exercise_id);
  json_object_set_string_member (ex, "title", title);
  if (description && *description)
    json_object_set_string_member (ex, "description", description);
  json_object_set_string_member (ex, "tlp", "AMBER");
  wc_formats_set_time (ex, "duration", duration_ms);
  json_object_set_object_member (doc, "exercise", ex);
  return doc;
}

void
wc_formats_set_time (JsonObject *object,
                     const char *member,
                     gint64      ms)
{
  g_autofree char *str = wc_time_format (ms, TRUE);

  json_object_set_string_member (object, member, str);
}

WcScenario *
wc_formats_finish (JsonObject        *doc,
                   const char        *path,
                   WcFormatsStaging  *staging,
                   WcImportReport    *report,
                   GError           **error)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), doc);
  g_autofree char *name = g_filename_display_name (path);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (name);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = json_to_string (root, TRUE);
  WcScenario *scenario;

  scenario = wc_scenario_load_data (data, strlen (data), staging->dir, diag, &local_error);
  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      const WcDiagnostic *d = wc_diagnostics_get_item (diag, i);

      wc_import_report_add (report, WC_MAPPING_WARNING, d->path ? d->path : "", "%s", d->message);
    }
  if (scenario == NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID,
                   _("%s: the scenario made from it is not valid: %s"), name, local_error->message);
      wc_formats_staging_clear (staging);
      return NULL;
    }
  if (staging->dir)
    {
      g_autofree char *inside = g_build_filename (staging->dir, "scenario.json", NULL);

      wc_scenario_set_path (scenario, inside);
      g_object_weak_ref (G_OBJECT (scenario), remove_staging, g_steal_pointer (&staging->dir));
    }
  else
    wc_scenario_set_path (scenario, path);
  return scenario;
}
