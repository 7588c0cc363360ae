/* wc-scenario-fields.c: the loader's typed getters: each value checked, each problem placed. */
#define G_LOG_DOMAIN "wc-scenario-loader"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-scenario-loader-private.h"

/* Places and findings ------------------------------------------------------------------------ */

static void
path_append (GString    *s,
             const Path *path)
{
  if (path == NULL)
    {
      g_string_append_c (s, '$');
      return;
    }
  path_append (s, path->parent);
  if (path->key)
    g_string_append_printf (s, ".%s", path->key);
  else
    g_string_append_printf (s, "[%u]", path->index);
}

static char *
path_to_string (const Path *path)
{
  GString *s = g_string_new (NULL);

  path_append (s, path);
  return g_string_free (s, FALSE);
}

void
wc_loader_report (Loader     *L,
        WcSeverity  severity,
        WcJsonPos   pos,
        const Path *path,
        const char *hint,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  g_autofree char *where = path_to_string (path);
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  wc_diagnostics_add (L->diag, severity, pos.line, pos.column, where, hint, "%s", message);
}

void
wc_loader_check_members (Loader            *L,
               WcJsonNode        *object,
               const Path        *path,
               const char *const *known)
{
    for (WcJsonNode *member = object->v.children.first; member; member = member->next)
    {
      const char *name = member->key;
      const char *closest;
      g_autofree char *hint = NULL;
      Path child = { path, name, 0 };

      if (g_strv_contains (known, name) || g_str_has_prefix (name, "x-"))
        continue;
      closest = wc_closest_word (name, known);
      if (closest)
        hint = g_strdup_printf (_("did you mean \"%s\"?"), closest);
      wc_loader_report (L, WC_SEVERITY_WARNING, key_pos (member), &child, hint,
              _("unknown field \"%s\" is ignored"), name);
    }
}

/* Typed getters: each reports a wrong type or a missing required member, and returns NULL. */

WcJsonNode *
wc_loader_get_member (Loader     *L,
            WcJsonNode *object,
            const char *name,
            const Path *path,
            gboolean    required)
{
  WcJsonNode *node = wc_json_object_get (object, name);

  if (node == NULL && required)
    {
      Path child = { path, name, 0 };

      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (object), &child, NULL,
              _("required field \"%s\" is missing"), name);
    }
  return node;
}

gboolean
wc_loader_expect_type (Loader     *L,
             WcJsonNode *node,
             const Path *path,
             WcJsonType  type,
             const char *expected)
{
  if (node->type == type)
    return TRUE;
  wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (node), path, NULL,
          _("expected %s, found %s"), _(expected), wc_json_type_name (node->type));
  return FALSE;
}

const char *
wc_loader_get_string (Loader     *L,
            WcJsonNode *object,
            const char *name,
            const Path *path,
            gboolean    required)
{
  Path child = { path, name, 0 };
  WcJsonNode *node = wc_loader_get_member (L, object, name, path, required);
  const char *value;

  if (node == NULL || !wc_loader_expect_type (L, node, &child, WC_JSON_STRING, N_("a string")))
    return NULL;
  value = WC_JSON_STR (node);
  if (*value == '\0' && required)
    {
      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (node), &child, NULL,
              _("\"%s\" must not be empty"), name);
      return NULL;
    }
  if (strlen (value) > WC_SCENARIO_MAX_TEXT)
    {
      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (node), &child, NULL,
              _("\"%s\" is longer than %d bytes"), name, WC_SCENARIO_MAX_TEXT);
      return NULL;
    }
  return value;
}

WcJsonNode *
wc_loader_get_array (Loader     *L,
           WcJsonNode *object,
           const char *name,
           const Path *path,
           gboolean    required)
{
  Path child = { path, name, 0 };
  WcJsonNode *node = wc_loader_get_member (L, object, name, path, required);

  if (node == NULL || !wc_loader_expect_type (L, node, &child, WC_JSON_ARRAY, N_("an array")))
    return NULL;
  return node;
}

WcJsonNode *
wc_loader_as_object (Loader     *L,
           WcJsonNode   *node,
           const Path *path)
{
  if (!wc_loader_expect_type (L, node, path, WC_JSON_OBJECT, N_("an object")))
    return NULL;
  return node;
}

const char *
wc_loader_get_id (Loader     *L,
        WcJsonNode *object,
        const Path *path,
        GHashTable *seen,
        const char *kind)
{
  const char *id = wc_loader_get_string (L, object, "id", path, TRUE);
  Path child = { path, "id", 0 };
  WcJsonNode *node = wc_json_object_get (object, "id");
  WcJsonPos pos;
  gpointer first;

  if (id == NULL)
    return NULL;
  pos = node_pos (node);
  if (!wc_scenario_is_valid_id (id))
    {
      wc_loader_report (L, WC_SEVERITY_ERROR, pos, &child, NULL,
              _("%s id \"%s\" must be 1 to 64 letters, digits, '_', '-' or '.'"), kind, id);
      return NULL;
    }
  if (seen && g_hash_table_lookup_extended (seen, id, NULL, &first))
    {
      wc_loader_report (L, WC_SEVERITY_ERROR, pos, &child, NULL,
              _("duplicate %s id \"%s\" (first used on line %u)"), kind, id,
              GPOINTER_TO_UINT (first));
      return NULL;
    }
  if (seen)
    g_hash_table_insert (seen, g_strdup (id), GUINT_TO_POINTER (pos.line));
  return id;
}

gboolean
wc_loader_get_time (Loader     *L,
          WcJsonNode *object,
          const char *name,
          const Path *path,
          gboolean    required,
          gint64     *out_ms)
{
  const char *str = wc_loader_get_string (L, object, name, path, required);
  Path child = { path, name, 0 };

  if (str == NULL)
    return FALSE;
  if (!wc_time_parse (str, out_ms))
    {
      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (object, name)), &child,
              _("write times as \"T+HH:MM\" or \"T+HH:MM:SS\", e.g. \"T+01:30\""),
              _("\"%s\" is not a valid time"), str);
      return FALSE;
    }
  return TRUE;
}

gboolean
wc_loader_is_language_code (const char *code)
{
  gsize n = strlen (code);

  if (n < 2 || n > 8)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!(g_ascii_islower (code[i]) || (i >= 2 && (code[i] == '-' || g_ascii_isalnum (code[i])))))
      return FALSE;
  return TRUE;
}

/* A text is a plain string or one string per offered language; every offered language must be
 * there, so that no team gets a message in a language it did not ask for. */
WcText *
wc_loader_get_text (Loader     *L,
          WcJsonNode *object,
          const char *name,
          const Path *path,
          gboolean    required)
{
  Path child = { path, name, 0 };
  WcJsonNode *node = wc_loader_get_member (L, object, name, path, required);
  g_autoptr(WcText) text = NULL;
  gboolean ok = TRUE;

  if (node == NULL)
    return NULL;
  if (node->type == WC_JSON_STRING)
    {
      const char *str = wc_loader_get_string (L, object, name, path, required);

      return str ? wc_text_new_plain (str) : NULL;
    }
  if (node->type != WC_JSON_OBJECT)
    {
      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (node), &child, NULL,
              _("expected a string or an object of texts per language, found %s"),
              wc_json_type_name (node->type));
      return NULL;
    }
  text = wc_text_new ();
  for (WcJsonNode *value = node->v.children.first; value; value = value->next)
    {
      const char *lang = value->key;
      Path lang_path = { &child, lang, 0 };

      if (!g_strv_contains ((const char *const *) L->languages, lang))
        {
          g_autofree char *offered = g_strjoinv (", ", L->languages);

          wc_loader_report (L, WC_SEVERITY_ERROR, key_pos (value), &lang_path, NULL,
                  _("language \"%s\" is not offered by the exercise (it offers %s)"), lang, offered);
          ok = FALSE;
          continue;
        }
      if (!wc_loader_expect_type (L, value, &lang_path, WC_JSON_STRING, N_("a string")))
        {
          ok = FALSE;
          continue;
        }
      if (*WC_JSON_STR (value) == '\0')
        {
          wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (value), &lang_path, NULL,
                  _("the \"%s\" text must not be empty"), lang);
          ok = FALSE;
          continue;
        }
      if (strlen (WC_JSON_STR (value)) > WC_SCENARIO_MAX_TEXT)
        {
          wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (value), &lang_path, NULL,
                  _("the \"%s\" text is longer than %d bytes"), lang, WC_SCENARIO_MAX_TEXT);
          ok = FALSE;
          continue;
        }
      wc_text_set (text, lang, WC_JSON_STR (value));
    }
  for (guint i = 0; L->languages[i]; i++)
    if (wc_text_get_exact (text, L->languages[i]) == NULL &&
        !(wc_json_object_get (node, L->languages[i]) != NULL))
      {
        wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (node), &child, NULL,
                _("the text in \"%s\" is missing (the exercise offers it)"), L->languages[i]);
        ok = FALSE;
      }
  return ok ? g_steal_pointer (&text) : NULL;
}

gboolean
wc_loader_get_enum (Loader            *L,
          WcJsonNode        *object,
          const char        *name,
          const Path        *path,
          gboolean           required,
          const char *const *names,
          int               *out)
{
  const char *str = wc_loader_get_string (L, object, name, path, required);
  Path child = { path, name, 0 };
  g_autofree char *hint = NULL;
  g_autofree char *all = NULL;
  const char *closest;

  if (str == NULL)
    return FALSE;
  for (int i = 0; names[i]; i++)
    if (strcmp (names[i], str) == 0)
      {
        *out = i;
        return TRUE;
      }
  closest = wc_closest_word (str, names);
  all = g_strjoinv (", ", (char **) names);
  if (closest)
    hint = g_strdup_printf (_("did you mean \"%s\"?"), closest);
  else
    hint = g_strdup_printf (_("one of %s"), all);
  wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (object, name)), &child, hint,
          _("unknown %s \"%s\""), name, str);
  return FALSE;
}

