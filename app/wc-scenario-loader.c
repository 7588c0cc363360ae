/* wc-scenario-loader.c: reads a version-1 scenario, checks it, and reports every problem at once. */
#define G_LOG_DOMAIN "wc-scenario-loader"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wc-json-reader.h"
#include "wc-scenario-loader.h"

G_DEFINE_QUARK (wc-scenario-error-quark, wc_scenario_error)

/* A JSON path kept on the stack while descending; turned into text only for a finding. */
typedef struct _Path Path;
struct _Path {
  const Path *parent;
  const char *key;    /* member name, or NULL for an array element */
  guint       index;
};

typedef struct {
  WcDiagnostics  *diag;
  WcJsonDocument *doc;
  WcScenario     *scenario;
  char           *base_dir;
  GStrv           languages;
  /* id → first position, for "duplicate id" findings that point back to the first one */
  GHashTable     *seen_objectives;
  GHashTable     *seen_teams;
  GHashTable     *seen_actors;
  GHashTable     *seen_injects;
  GPtrArray      *inject_objects;  /* JsonObject per inject, in scenario order (nullable) */
  GPtrArray      *team_ids;        /* for "all" */
} Loader;

static const char *const top_fields[] = {
  "format", "version", "exercise", "teams", "actors", "injects", NULL
};
static const char *const exercise_fields[] = {
  "id", "title", "description", "objectives", "tlp", "languages", "default_language",
  "duration", NULL
};
static const char *const objective_fields[] = { "id", "text", NULL };
static const char *const team_fields[] = {
  "id", "name", "kind", "language", "webhook", "contact", NULL
};
static const char *const actor_fields[] = { "id", "name", "role", NULL };
static const char *const inject_fields[] = {
  "id", "at", "trigger", "title", "body", "channel", "from", "to", "tlp", "attachments",
  "expected_actions", "options", "notes", NULL
};
static const char *const trigger_fields[] = { "type", "inject", "delay", "within", NULL };
static const char *const attachment_fields[] = { "file", "media_type", "title", NULL };
static const char *const action_fields[] = { "id", "text", "deadline", "objective", NULL };
static const char *const option_fields[] = { "id", "text", NULL };
static const char *const trigger_types[] = { "after", "no-response", "manual", NULL };

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

G_GNUC_PRINTF (6, 7) static void
report (Loader     *L,
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

static WcJsonPos
node_pos (Loader   *L,
          JsonNode *node)
{
  WcJsonPos pos = { 0, 0 };

  if (node)
    wc_json_document_get_pos (L->doc, node, &pos, NULL);
  return pos;
}

static WcJsonPos
key_pos (Loader   *L,
         JsonNode *node)
{
  WcJsonPos pos = { 0, 0 };

  if (node)
    wc_json_document_get_pos (L->doc, node, NULL, &pos);
  return pos;
}

static WcJsonPos
object_pos (Loader     *L,
            JsonObject *object)
{
  WcJsonPos pos = { 0, 0 };

  if (object)
    wc_json_document_get_object_pos (L->doc, object, &pos);
  return pos;
}

static const char *
node_type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT: return _("an object");
    case JSON_NODE_ARRAY: return _("an array");
    case JSON_NODE_NULL: return _("null");
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING: return _("a string");
        case G_TYPE_BOOLEAN: return _("a boolean");
        default: return _("a number");
        }
    }
}

static void
check_members (Loader            *L,
               JsonObject        *object,
               const Path        *path,
               const char *const *known)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      const char *closest;
      g_autofree char *hint = NULL;
      Path child = { path, name, 0 };

      if (g_strv_contains (known, name) || g_str_has_prefix (name, "x-"))
        continue;
      closest = wc_closest_word (name, known);
      if (closest)
        hint = g_strdup_printf (_("did you mean \"%s\"?"), closest);
      report (L, WC_SEVERITY_WARNING, key_pos (L, member), &child, hint,
              _("unknown field \"%s\" is ignored"), name);
    }
}

/* Typed getters: each reports a wrong type or a missing required member, and returns NULL. */

static JsonNode *
get_member (Loader     *L,
            JsonObject *object,
            const char *name,
            const Path *path,
            gboolean    required)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL && required)
    {
      Path child = { path, name, 0 };

      report (L, WC_SEVERITY_ERROR, object_pos (L, object), &child, NULL,
              _("required field \"%s\" is missing"), name);
    }
  return node;
}

static gboolean
expect_type (Loader       *L,
             JsonNode     *node,
             const Path   *path,
             JsonNodeType  type,
             GType         value_type,
             const char   *expected)
{
  if (json_node_get_node_type (node) == type &&
      (type != JSON_NODE_VALUE || json_node_get_value_type (node) == value_type))
    return TRUE;
  report (L, WC_SEVERITY_ERROR, node_pos (L, node), path, NULL,
          _("expected %s, found %s"), expected, node_type_name (node));
  return FALSE;
}

static const char *
get_string (Loader     *L,
            JsonObject *object,
            const char *name,
            const Path *path,
            gboolean    required)
{
  Path child = { path, name, 0 };
  JsonNode *node = get_member (L, object, name, path, required);
  const char *value;

  if (node == NULL || !expect_type (L, node, &child, JSON_NODE_VALUE, G_TYPE_STRING, _("a string")))
    return NULL;
  value = json_node_get_string (node);
  if (*value == '\0' && required)
    {
      report (L, WC_SEVERITY_ERROR, node_pos (L, node), &child, NULL,
              _("\"%s\" must not be empty"), name);
      return NULL;
    }
  if (strlen (value) > WC_SCENARIO_MAX_TEXT)
    {
      report (L, WC_SEVERITY_ERROR, node_pos (L, node), &child, NULL,
              _("\"%s\" is longer than %d bytes"), name, WC_SCENARIO_MAX_TEXT);
      return NULL;
    }
  return value;
}

static JsonArray *
get_array (Loader     *L,
           JsonObject *object,
           const char *name,
           const Path *path,
           gboolean    required)
{
  Path child = { path, name, 0 };
  JsonNode *node = get_member (L, object, name, path, required);

  if (node == NULL || !expect_type (L, node, &child, JSON_NODE_ARRAY, G_TYPE_INVALID, _("an array")))
    return NULL;
  return json_node_get_array (node);
}

static JsonObject *
as_object (Loader     *L,
           JsonNode   *node,
           const Path *path)
{
  if (!expect_type (L, node, path, JSON_NODE_OBJECT, G_TYPE_INVALID, _("an object")))
    return NULL;
  return json_node_get_object (node);
}

static gboolean
is_valid_id (const char *id)
{
  gsize n = strlen (id);

  if (n == 0 || n > 64)
    return FALSE;
  for (const char *c = id; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '_' && *c != '-' && *c != '.')
      return FALSE;
  return TRUE;
}

static const char *
get_id (Loader     *L,
        JsonObject *object,
        const Path *path,
        GHashTable *seen,
        const char *kind)
{
  const char *id = get_string (L, object, "id", path, TRUE);
  Path child = { path, "id", 0 };
  JsonNode *node = json_object_get_member (object, "id");
  WcJsonPos pos;
  gpointer first;

  if (id == NULL)
    return NULL;
  pos = node_pos (L, node);
  if (!is_valid_id (id))
    {
      report (L, WC_SEVERITY_ERROR, pos, &child, NULL,
              _("%s id \"%s\" must be 1 to 64 letters, digits, '_', '-' or '.'"), kind, id);
      return NULL;
    }
  if (seen && g_hash_table_lookup_extended (seen, id, NULL, &first))
    {
      report (L, WC_SEVERITY_ERROR, pos, &child, NULL,
              _("duplicate %s id \"%s\" (first used on line %u)"), kind, id,
              GPOINTER_TO_UINT (first));
      return NULL;
    }
  if (seen)
    g_hash_table_insert (seen, g_strdup (id), GUINT_TO_POINTER (pos.line));
  return id;
}

static gboolean
get_time (Loader     *L,
          JsonObject *object,
          const char *name,
          const Path *path,
          gboolean    required,
          gint64     *out_ms)
{
  const char *str = get_string (L, object, name, path, required);
  Path child = { path, name, 0 };

  if (str == NULL)
    return FALSE;
  if (!wc_time_parse (str, out_ms))
    {
      report (L, WC_SEVERITY_ERROR, node_pos (L, json_object_get_member (object, name)), &child,
              _("write times as \"T+HH:MM\" or \"T+HH:MM:SS\", e.g. \"T+01:30\""),
              _("\"%s\" is not a valid time"), str);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_language_code (const char *code)
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
static WcText *
get_text (Loader     *L,
          JsonObject *object,
          const char *name,
          const Path *path,
          gboolean    required)
{
  Path child = { path, name, 0 };
  JsonNode *node = get_member (L, object, name, path, required);
  g_autoptr(WcText) text = NULL;
  JsonObjectIter iter;
  const char *lang;
  JsonNode *value;
  gboolean ok = TRUE;

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *str = get_string (L, object, name, path, required);

      return str ? wc_text_new_plain (str) : NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      report (L, WC_SEVERITY_ERROR, node_pos (L, node), &child, NULL,
              _("expected a string or an object of texts per language, found %s"),
              node_type_name (node));
      return NULL;
    }
  text = wc_text_new ();
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &lang, &value))
    {
      Path lang_path = { &child, lang, 0 };

      if (!g_strv_contains ((const char *const *) L->languages, lang))
        {
          g_autofree char *offered = g_strjoinv (", ", L->languages);

          report (L, WC_SEVERITY_ERROR, key_pos (L, value), &lang_path, NULL,
                  _("language \"%s\" is not offered by the exercise (it offers %s)"), lang, offered);
          ok = FALSE;
          continue;
        }
      if (!expect_type (L, value, &lang_path, JSON_NODE_VALUE, G_TYPE_STRING, _("a string")))
        {
          ok = FALSE;
          continue;
        }
      if (*json_node_get_string (value) == '\0')
        {
          report (L, WC_SEVERITY_ERROR, node_pos (L, value), &lang_path, NULL,
                  _("the \"%s\" text must not be empty"), lang);
          ok = FALSE;
          continue;
        }
      if (strlen (json_node_get_string (value)) > WC_SCENARIO_MAX_TEXT)
        {
          report (L, WC_SEVERITY_ERROR, node_pos (L, value), &lang_path, NULL,
                  _("the \"%s\" text is longer than %d bytes"), lang, WC_SCENARIO_MAX_TEXT);
          ok = FALSE;
          continue;
        }
      wc_text_set (text, lang, json_node_get_string (value));
    }
  for (guint i = 0; L->languages[i]; i++)
    if (wc_text_get_exact (text, L->languages[i]) == NULL &&
        !json_object_has_member (json_node_get_object (node), L->languages[i]))
      {
        report (L, WC_SEVERITY_ERROR, node_pos (L, node), &child, NULL,
                _("the text in \"%s\" is missing (the exercise offers it)"), L->languages[i]);
        ok = FALSE;
      }
  return ok ? g_steal_pointer (&text) : NULL;
}

static gboolean
get_enum (Loader            *L,
          JsonObject        *object,
          const char        *name,
          const Path        *path,
          gboolean           required,
          const char *const *names,
          int               *out)
{
  const char *str = get_string (L, object, name, path, required);
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
  report (L, WC_SEVERITY_ERROR, node_pos (L, json_object_get_member (object, name)), &child, hint,
          _("unknown %s \"%s\""), name, str);
  return FALSE;
}

/* Sections ------------------------------------------------------------------------------------ */

static void
load_exercise (Loader     *L,
               JsonObject *exercise,
               const Path *path)
{
  JsonArray *languages, *objectives;
  const char *id, *default_language;
  g_autoptr(WcText) title = NULL;
  g_autoptr(WcText) description = NULL;
  int tlp;
  gint64 duration;
  Path lang_path = { path, "languages", 0 };
  g_autoptr(GPtrArray) langs = g_ptr_array_new_with_free_func (g_free);

  check_members (L, exercise, path, exercise_fields);

  /* Languages first: every text below is checked against them. */
  languages = get_array (L, exercise, "languages", path, FALSE);
  if (languages)
    for (guint i = 0; i < json_array_get_length (languages); i++)
      {
        JsonNode *node = json_array_get_element (languages, i);
        Path elem = { &lang_path, NULL, i };
        const char *code;

        if (!expect_type (L, node, &elem, JSON_NODE_VALUE, G_TYPE_STRING, _("a language code")))
          continue;
        code = json_node_get_string (node);
        if (!is_language_code (code))
          report (L, WC_SEVERITY_ERROR, node_pos (L, node), &elem, _("e.g. \"nl\", \"fr\", \"en\""),
                  _("\"%s\" is not a language code"), code);
        else if (g_ptr_array_find_with_equal_func (langs, code, g_str_equal, NULL))
          report (L, WC_SEVERITY_ERROR, node_pos (L, node), &elem, NULL,
                  _("language \"%s\" is listed twice"), code);
        else
          g_ptr_array_add (langs, g_strdup (code));
      }
  if (langs->len == 0)
    {
      if (languages)
        report (L, WC_SEVERITY_ERROR, node_pos (L, json_object_get_member (exercise, "languages")),
                &lang_path, NULL, _("the exercise must offer at least one language"));
      g_ptr_array_add (langs, g_strdup ("en"));
    }
  g_ptr_array_add (langs, NULL);
  g_strfreev (L->languages);
  L->languages = (GStrv) g_ptr_array_steal (langs, NULL);

  default_language = get_string (L, exercise, "default_language", path, FALSE);
  if (default_language && !g_strv_contains ((const char *const *) L->languages, default_language))
    {
      Path child = { path, "default_language", 0 };

      report (L, WC_SEVERITY_ERROR,
              node_pos (L, json_object_get_member (exercise, "default_language")), &child, NULL,
              _("default language \"%s\" is not among the exercise's languages"), default_language);
      default_language = NULL;
    }
  wc_scenario_set_languages (L->scenario, (const char *const *) L->languages, default_language);

  if ((id = get_id (L, exercise, path, NULL, _("exercise"))))
    wc_scenario_set_id (L->scenario, id);
  if ((title = get_text (L, exercise, "title", path, TRUE)))
    wc_scenario_set_title (L->scenario, title);
  if ((description = get_text (L, exercise, "description", path, FALSE)))
    wc_scenario_set_description (L->scenario, description);
  if (get_enum (L, exercise, "tlp", path, TRUE, wc_tlp_names (), &tlp))
    wc_scenario_set_tlp (L->scenario, tlp);
  if (get_time (L, exercise, "duration", path, TRUE, &duration))
    {
      Path child = { path, "duration", 0 };
      WcJsonPos pos = node_pos (L, json_object_get_member (exercise, "duration"));

      if (duration <= 0)
        report (L, WC_SEVERITY_ERROR, pos, &child, NULL, _("the duration must be longer than zero"));
      else if (duration > WC_SCENARIO_MAX_DURATION_MS)
        report (L, WC_SEVERITY_ERROR, pos, &child, NULL,
                _("a duration over 14 days is not an exercise"));
      else
        wc_scenario_set_duration_ms (L->scenario, duration);
    }

  objectives = get_array (L, exercise, "objectives", path, FALSE);
  if (objectives)
    {
      Path obj_path = { path, "objectives", 0 };

      for (guint i = 0; i < json_array_get_length (objectives); i++)
        {
          Path elem = { &obj_path, NULL, i };
          JsonObject *o = as_object (L, json_array_get_element (objectives, i), &elem);
          const char *oid;
          WcText *text;
          WcObjective *objective;

          if (o == NULL)
            continue;
          check_members (L, o, &elem, objective_fields);
          oid = get_id (L, o, &elem, L->seen_objectives, _("objective"));
          text = get_text (L, o, "text", &elem, TRUE);
          if (oid == NULL)
            {
              wc_text_unref (text);
              continue;
            }
          objective = g_new0 (WcObjective, 1);
          objective->id = g_strdup (oid);
          objective->text = text ? text : wc_text_new_plain (oid);
          wc_scenario_add_objective (L->scenario, objective);
        }
    }
}

static void
load_team (Loader     *L,
           JsonObject *o,
           const Path *path)
{
  const char *id, *language, *webhook, *contact;
  g_autoptr(WcText) name = NULL;
  int kind = WC_TEAM_KIND_OTHER;
  WcTeam *team;

  check_members (L, o, path, team_fields);
  id = get_id (L, o, path, L->seen_teams, _("team"));
  name = get_text (L, o, "name", path, TRUE);
  get_enum (L, o, "kind", path, TRUE, wc_team_kind_names (), &kind);
  language = get_string (L, o, "language", path, FALSE);
  if (language && !g_strv_contains ((const char *const *) L->languages, language))
    {
      Path child = { path, "language", 0 };
      g_autofree char *offered = g_strjoinv (", ", L->languages);

      report (L, WC_SEVERITY_ERROR, node_pos (L, json_object_get_member (o, "language")), &child,
              NULL, _("language \"%s\" is not offered by the exercise (it offers %s)"),
              language, offered);
      language = NULL;
    }
  webhook = get_string (L, o, "webhook", path, FALSE);
  if (webhook)
    {
      g_autoptr(GUri) uri = g_uri_parse (webhook, G_URI_FLAGS_NONE, NULL);
      Path child = { path, "webhook", 0 };

      if (uri == NULL ||
          (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
           g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
          g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
        {
          report (L, WC_SEVERITY_ERROR, node_pos (L, json_object_get_member (o, "webhook")), &child,
                  NULL, _("\"%s\" is not an http:// or https:// URL"), webhook);
          webhook = NULL;
        }
    }
  contact = get_string (L, o, "contact", path, FALSE);
  /* A team with a sound id is kept even if its other fields are wrong, so that the injects
   * that name it are not reported as well. */
  if (id == NULL)
    return;
  team = g_new0 (WcTeam, 1);
  team->id = g_strdup (id);
  team->name = name ? g_steal_pointer (&name) : wc_text_new_plain (id);
  team->kind = kind;
  team->language = g_strdup (language ? language
                                      : wc_scenario_get_default_language (L->scenario));
  team->webhook = g_strdup (webhook);
  team->contact = g_strdup (contact);
  wc_scenario_add_team (L->scenario, team);
  g_ptr_array_add (L->team_ids, team->id);
}

static void
load_actor (Loader     *L,
            JsonObject *o,
            const Path *path)
{
  const char *id;
  g_autoptr(WcText) name = NULL;
  g_autoptr(WcText) role = NULL;
  WcActor *actor;

  check_members (L, o, path, actor_fields);
  id = get_id (L, o, path, L->seen_actors, _("actor"));
  name = get_text (L, o, "name", path, TRUE);
  role = get_text (L, o, "role", path, FALSE);
  if (id == NULL)
    return;
  actor = g_new0 (WcActor, 1);
  actor->id = g_strdup (id);
  actor->name = name ? g_steal_pointer (&name) : wc_text_new_plain (id);
  actor->role = g_steal_pointer (&role);
  wc_scenario_add_actor (L->scenario, actor);
}

static void
load_attachments (Loader     *L,
                  JsonObject *o,
                  const Path *path,
                  WcInject   *inject)
{
  JsonArray *array = get_array (L, o, "attachments", path, FALSE);
  Path apath = { path, "attachments", 0 };

  if (array == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      Path elem = { &apath, NULL, i };
      Path file_path = { &elem, "file", 0 };
      JsonObject *a = as_object (L, json_array_get_element (array, i), &elem);
      const char *file, *media_type;
      g_autoptr(WcText) title = NULL;
      WcAttachment *attachment;
      WcJsonPos pos;

      if (a == NULL)
        continue;
      check_members (L, a, &elem, attachment_fields);
      file = get_string (L, a, "file", &elem, TRUE);
      media_type = get_string (L, a, "media_type", &elem, TRUE);
      title = get_text (L, a, "title", &elem, FALSE);
      if (file == NULL || media_type == NULL)
        continue;
      pos = node_pos (L, json_object_get_member (a, "file"));
      /* Attachments are served to participants: a scenario must not reach outside its folder. */
      if (g_path_is_absolute (file) || strcmp (file, "..") == 0 || g_str_has_prefix (file, "../") ||
          strstr (file, "/../") != NULL || g_str_has_suffix (file, "/..") || strchr (file, '\\'))
        {
          report (L, WC_SEVERITY_ERROR, pos, &file_path, NULL,
                  _("attachment \"%s\" must be a path inside the scenario's folder"), file);
          continue;
        }
      if (L->base_dir)
        {
          g_autofree char *full = g_build_filename (L->base_dir, file, NULL);

          if (!g_file_test (full, G_FILE_TEST_IS_REGULAR))
            {
              report (L, WC_SEVERITY_ERROR, pos, &file_path, NULL,
                      _("attachment file \"%s\" does not exist"), file);
              continue;
            }
        }
      if (strchr (media_type, '/') == NULL || strchr (media_type, ' ') != NULL)
        {
          Path mt = { &elem, "media_type", 0 };

          report (L, WC_SEVERITY_ERROR, node_pos (L, json_object_get_member (a, "media_type")), &mt,
                  _("e.g. \"application/pdf\" or \"text/plain\""),
                  _("\"%s\" is not a media type"), media_type);
          continue;
        }
      attachment = wc_attachment_new ();
      attachment->file = g_strdup (file);
      attachment->media_type = g_strdup (media_type);
      attachment->title = g_steal_pointer (&title);
      g_ptr_array_add (inject->attachments, attachment);
    }
}

static void
load_actions (Loader     *L,
              JsonObject *o,
              const Path *path,
              WcInject   *inject)
{
  JsonArray *array = get_array (L, o, "expected_actions", path, FALSE);
  Path apath = { path, "expected_actions", 0 };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (array == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      Path elem = { &apath, NULL, i };
      JsonObject *a = as_object (L, json_array_get_element (array, i), &elem);
      const char *id = NULL, *objective;
      g_autoptr(WcText) text = NULL;
      gint64 deadline = -1;
      WcExpectedAction *action;

      if (a == NULL)
        continue;
      check_members (L, a, &elem, action_fields);
      if (json_object_has_member (a, "id") &&
          (id = get_id (L, a, &elem, seen, _("expected action"))) == NULL)
        continue;
      text = get_text (L, a, "text", &elem, TRUE);
      if (json_object_has_member (a, "deadline") &&
          !get_time (L, a, "deadline", &elem, FALSE, &deadline))
        continue;
      objective = get_string (L, a, "objective", &elem, FALSE);
      if (objective && wc_scenario_find_objective (L->scenario, objective) == NULL)
        {
          Path op = { &elem, "objective", 0 };
          g_autofree char *hint = NULL;
          g_autoptr(GPtrArray) ids = g_ptr_array_new ();
          const char *closest;

          for (guint k = 0; k < wc_scenario_get_n_objectives (L->scenario); k++)
            g_ptr_array_add (ids, wc_scenario_get_objective (L->scenario, k)->id);
          g_ptr_array_add (ids, NULL);
          closest = wc_closest_word (objective, (const char *const *) ids->pdata);
          if (closest)
            hint = g_strdup_printf (_("did you mean \"%s\"?"), closest);
          report (L, WC_SEVERITY_ERROR, node_pos (L, json_object_get_member (a, "objective")), &op,
                  hint, _("unknown objective \"%s\""), objective);
          continue;
        }
      if (text == NULL)
        continue;
      action = wc_expected_action_new ();
      action->id = id ? g_strdup (id) : g_strdup_printf ("a%u", i + 1);
      action->text = g_steal_pointer (&text);
      action->deadline_ms = deadline;
      action->objective = g_strdup (objective);
      g_ptr_array_add (inject->expected_actions, action);
    }
}

static void
load_options (Loader     *L,
              JsonObject *o,
              const Path *path,
              WcInject   *inject)
{
  JsonArray *array = get_array (L, o, "options", path, FALSE);
  Path opath = { path, "options", 0 };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (array == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      Path elem = { &opath, NULL, i };
      JsonObject *a = as_object (L, json_array_get_element (array, i), &elem);
      const char *id;
      g_autoptr(WcText) text = NULL;
      WcDecisionOption *option;

      if (a == NULL)
        continue;
      check_members (L, a, &elem, option_fields);
      id = get_id (L, a, &elem, seen, _("option"));
      text = get_text (L, a, "text", &elem, TRUE);
      if (id == NULL || text == NULL)
        continue;
      option = wc_decision_option_new ();
      option->id = g_strdup (id);
      option->text = g_steal_pointer (&text);
      g_ptr_array_add (inject->options, option);
    }
}

static void
load_trigger (Loader     *L,
              JsonObject *o,
              const Path *path,
              WcInject   *inject)
{
  Path tpath = { path, "trigger", 0 };
  JsonNode *node = json_object_get_member (o, "trigger");
  JsonObject *t;
  int type;
  const char *ref;

  if (node == NULL)
    {
      inject->trigger = WC_TRIGGER_AT;
      get_time (L, o, "at", path, TRUE, &inject->at_ms);
      return;
    }
  if ((t = as_object (L, node, &tpath)) == NULL)
    return;
  check_members (L, t, &tpath, trigger_fields);
  if (json_object_has_member (o, "at"))
    {
      Path at = { path, "at", 0 };

      report (L, WC_SEVERITY_ERROR, key_pos (L, json_object_get_member (o, "at")), &at, NULL,
              _("an inject with a trigger has no \"at\": its time follows from the trigger"));
    }
  if (!get_enum (L, t, "type", &tpath, TRUE, trigger_types, &type))
    return;
  switch (type)
    {
    case 0:
      inject->trigger = WC_TRIGGER_AFTER;
      ref = get_string (L, t, "inject", &tpath, TRUE);
      get_time (L, t, "delay", &tpath, TRUE, &inject->trigger_delay_ms);
      inject->trigger_inject = g_strdup (ref);
      break;
    case 1:
      inject->trigger = WC_TRIGGER_NO_RESPONSE;
      ref = get_string (L, t, "inject", &tpath, TRUE);
      get_time (L, t, "within", &tpath, TRUE, &inject->trigger_delay_ms);
      inject->trigger_inject = g_strdup (ref);
      break;
    default:
      inject->trigger = WC_TRIGGER_MANUAL;
      break;
    }
}

static void
load_inject (Loader     *L,
             JsonObject *o,
             const Path *path)
{
  WcInject *inject = wc_inject_new ();
  const char *id, *from, *notes;
  int channel = WC_CHANNEL_EMAIL, tlp = wc_scenario_get_tlp (L->scenario);
  JsonNode *to, *options;
  Path to_path = { path, "to", 0 };

  check_members (L, o, path, inject_fields);
  id = get_id (L, o, path, L->seen_injects, _("inject"));
  inject->id = g_strdup (id);
  load_trigger (L, o, path, inject);
  inject->title = get_text (L, o, "title", path, TRUE);
  inject->body = get_text (L, o, "body", path, TRUE);
  get_enum (L, o, "channel", path, TRUE, wc_channel_names (), &channel);
  inject->channel = channel;
  if (json_object_has_member (o, "tlp"))
    get_enum (L, o, "tlp", path, FALSE, wc_tlp_names (), &tlp);
  inject->tlp = tlp;

  from = get_string (L, o, "from", path, FALSE);
  if (from && wc_scenario_find_actor (L->scenario, from) == NULL)
    {
      Path fp = { path, "from", 0 };
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();
      g_autofree char *hint = NULL;
      const char *closest;

      for (guint k = 0; k < wc_scenario_get_n_actors (L->scenario); k++)
        g_ptr_array_add (ids, wc_scenario_get_actor (L->scenario, k)->id);
      g_ptr_array_add (ids, NULL);
      closest = wc_closest_word (from, (const char *const *) ids->pdata);
      if (closest)
        hint = g_strdup_printf (_("did you mean \"%s\"?"), closest);
      report (L, WC_SEVERITY_ERROR, node_pos (L, json_object_get_member (o, "from")), &fp, hint,
              _("unknown actor \"%s\""), from);
    }
  else
    inject->from = g_strdup (from);

  to = get_member (L, o, "to", path, TRUE);
  if (to && JSON_NODE_HOLDS_VALUE (to) && json_node_get_value_type (to) == G_TYPE_STRING &&
      strcmp (json_node_get_string (to), "all") == 0)
    {
      inject->to_all = TRUE;
      for (guint k = 0; k < L->team_ids->len; k++)
        g_ptr_array_add (inject->to, g_strdup (g_ptr_array_index (L->team_ids, k)));
    }
  else if (to && JSON_NODE_HOLDS_ARRAY (to))
    {
      JsonArray *array = json_node_get_array (to);

      if (json_array_get_length (array) == 0)
        report (L, WC_SEVERITY_ERROR, node_pos (L, to), &to_path, _("use \"all\" for every team"),
                _("an inject must go to at least one team"));
      for (guint k = 0; k < json_array_get_length (array); k++)
        {
          JsonNode *elem = json_array_get_element (array, k);
          Path ep = { &to_path, NULL, k };
          const char *team;

          if (!expect_type (L, elem, &ep, JSON_NODE_VALUE, G_TYPE_STRING, _("a team id")))
            continue;
          team = json_node_get_string (elem);
          if (wc_scenario_find_team (L->scenario, team) == NULL)
            {
              const char *closest = wc_closest_word (team, (const char *const *) L->team_ids->pdata);
              g_autofree char *hint = closest ? g_strdup_printf (_("did you mean \"%s\"?"), closest)
                                              : NULL;

              report (L, WC_SEVERITY_ERROR, node_pos (L, elem), &ep, hint,
                      _("unknown team \"%s\""), team);
            }
          else if (g_ptr_array_find_with_equal_func (inject->to, team, g_str_equal, NULL))
            report (L, WC_SEVERITY_WARNING, node_pos (L, elem), &ep, NULL,
                    _("team \"%s\" is listed twice"), team);
          else
            g_ptr_array_add (inject->to, g_strdup (team));
        }
    }
  else if (to)
    report (L, WC_SEVERITY_ERROR, node_pos (L, to), &to_path, NULL,
            _("expected \"all\" or an array of team ids, found %s"), node_type_name (to));

  load_attachments (L, o, path, inject);
  load_actions (L, o, path, inject);
  load_options (L, o, path, inject);
  options = json_object_get_member (o, "options");
  if (inject->channel == WC_CHANNEL_DECISION && options == NULL)
    report (L, WC_SEVERITY_ERROR, object_pos (L, o), path, NULL,
            _("a decision inject needs \"options\", at least two"));
  else if (inject->channel == WC_CHANNEL_DECISION && JSON_NODE_HOLDS_ARRAY (options) &&
           json_array_get_length (json_node_get_array (options)) < 2)
    {
      Path op = { path, "options", 0 };

      report (L, WC_SEVERITY_ERROR, node_pos (L, options), &op, NULL,
              _("a decision needs at least two options"));
    }
  else if (inject->channel != WC_CHANNEL_DECISION && options != NULL)
    {
      Path op = { path, "options", 0 };

      report (L, WC_SEVERITY_ERROR, key_pos (L, options), &op, NULL,
              _("only a \"decision\" inject offers options"));
    }
  notes = get_string (L, o, "notes", path, FALSE);
  inject->notes = g_strdup (notes);

  wc_scenario_add_inject (L->scenario, inject);
  g_ptr_array_add (L->inject_objects, o);
}

static WcJsonPos
trigger_member_pos (Loader     *L,
                    JsonObject *o,
                    const char *member)
{
  JsonNode *t = json_object_get_member (o, "trigger");

  if (t && JSON_NODE_HOLDS_OBJECT (t) && json_object_has_member (json_node_get_object (t), member))
    return node_pos (L, json_object_get_member (json_node_get_object (t), member));
  return object_pos (L, o);
}

/* Triggers point at other injects, possibly later in the file: resolved once all are read. */
static void
resolve_triggers (Loader *L)
{
  guint n = wc_scenario_get_n_injects (L->scenario);
  g_autofree guint8 *state = g_new0 (guint8, n);  /* 0 new, 1 on the current chain, 2 done */
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n; i++)
    {
      const WcInject *inject = wc_scenario_get_inject (L->scenario, i);

      if (inject->id)
        g_ptr_array_add (ids, inject->id);
    }
  g_ptr_array_add (ids, NULL);

  /* References first: an unknown one turns the inject into a manual one, so nothing below
   * follows a dangling id. */
  for (guint i = 0; i < n; i++)
    {
      WcInject *inject = (WcInject *) wc_scenario_get_inject (L->scenario, i);
      JsonObject *o = g_ptr_array_index (L->inject_objects, i);
      Path ipath = { NULL, "injects", 0 };
      Path elem = { &ipath, NULL, 0 };
      Path tpath = { &elem, "trigger", 0 };
      Path rpath = { &tpath, "inject", 0 };
      const WcInject *ref;

      if (inject->trigger != WC_TRIGGER_AFTER && inject->trigger != WC_TRIGGER_NO_RESPONSE)
        continue;
      elem.index = i;
      if (inject->trigger_inject == NULL)
        {
          inject->trigger = WC_TRIGGER_MANUAL;
          continue;
        }
      ref = wc_scenario_find_inject (L->scenario, inject->trigger_inject);
      if (ref == NULL)
        {
          const char *closest = wc_closest_word (inject->trigger_inject,
                                                 (const char *const *) ids->pdata);
          g_autofree char *hint = closest ? g_strdup_printf (_("did you mean \"%s\"?"), closest)
                                          : NULL;

          report (L, WC_SEVERITY_ERROR, trigger_member_pos (L, o, "inject"), &rpath, hint,
                  _("the trigger refers to unknown inject \"%s\""), inject->trigger_inject);
          inject->trigger = WC_TRIGGER_MANUAL;
          continue;
        }
      if (inject->trigger == WC_TRIGGER_NO_RESPONSE)
        {
          /* A contingency goes to the teams that did not answer the inject it watches. */
          if (inject->to_all)
            {
              g_ptr_array_set_size (inject->to, 0);
              for (guint k = 0; k < ref->to->len; k++)
                g_ptr_array_add (inject->to, g_strdup (g_ptr_array_index (ref->to, k)));
            }
          else
            for (guint k = 0; k < inject->to->len; k++)
              {
                const char *team = g_ptr_array_index (inject->to, k);

                if (!g_ptr_array_find_with_equal_func (ref->to, team, g_str_equal, NULL))
                  {
                    Path to = { &elem, "to", 0 };

                    report (L, WC_SEVERITY_ERROR, node_pos (L, json_object_get_member (o, "to")),
                            &to, NULL,
                            _("team \"%s\" does not receive inject \"%s\", so it cannot fail "
                              "to respond to it"), team, ref->id);
                  }
              }
        }
    }

  for (guint i = 0; i < n; i++)
    {
      guint cur = i;

      if (state[i] == 2)
        continue;
      g_array_set_size (chain, 0);
      /* Walk up the chain of triggers to an inject with a known time, or to a cycle. */
      for (;;)
        {
          const WcInject *inject = wc_scenario_get_inject (L->scenario, cur);
          int ref;

          if (state[cur] == 2)
            break;
          if (state[cur] == 1)
            {
              GString *names = g_string_new (NULL);
              Path ipath = { NULL, "injects", 0 };
              Path elem = { &ipath, NULL, cur };
              Path tpath = { &elem, "trigger", 0 };
              gboolean in_cycle = FALSE;

              for (guint k = 0; k < chain->len; k++)
                {
                  guint c = g_array_index (chain, guint, k);

                  in_cycle = in_cycle || c == cur;
                  if (in_cycle)
                    g_string_append_printf (names, "%s → ",
                                            wc_scenario_get_inject (L->scenario, c)->id);
                }
              g_string_append (names, inject->id);
              report (L, WC_SEVERITY_ERROR,
                      trigger_member_pos (L, g_ptr_array_index (L->inject_objects, cur), "inject"),
                      &tpath, NULL, _("triggers form a cycle: %s"), names->str);
              g_string_free (names, TRUE);
              /* Break the cycle so that the times below stay defined. */
              ((WcInject *) inject)->trigger = WC_TRIGGER_MANUAL;
              ((WcInject *) inject)->at_ms = -1;
              state[cur] = 2;
              break;
            }
          state[cur] = 1;
          g_array_append_val (chain, cur);
          if (inject->trigger != WC_TRIGGER_AFTER && inject->trigger != WC_TRIGGER_NO_RESPONSE)
            break;
          ref = wc_scenario_get_inject_index (L->scenario, inject->trigger_inject);
          cur = (guint) ref;
        }
      /* Unwind: each inject's time is its trigger's time plus the delay. */
      for (guint k = chain->len; k > 0; k--)
        {
          guint c = g_array_index (chain, guint, k - 1);
          WcInject *inject = (WcInject *) wc_scenario_get_inject (L->scenario, c);

          if (inject->trigger == WC_TRIGGER_AFTER || inject->trigger == WC_TRIGGER_NO_RESPONSE)
            {
              const WcInject *ref = wc_scenario_find_inject (L->scenario, inject->trigger_inject);

              inject->at_ms = ref->at_ms < 0 ? -1 : ref->at_ms + inject->trigger_delay_ms;
            }
          else if (inject->trigger == WC_TRIGGER_MANUAL)
            inject->at_ms = -1;
          state[c] = 2;
        }
    }
}

static void
check_times (Loader *L)
{
  gint64 duration = wc_scenario_get_duration_ms (L->scenario);

  if (duration <= 0)
    return;
  for (guint i = 0; i < wc_scenario_get_n_injects (L->scenario); i++)
    {
      const WcInject *inject = wc_scenario_get_inject (L->scenario, i);
      JsonObject *o = g_ptr_array_index (L->inject_objects, i);
      Path ipath = { NULL, "injects", 0 };
      Path elem = { &ipath, NULL, i };
      g_autofree char *at = NULL;
      g_autofree char *end = NULL;

      if (inject->at_ms <= duration)
        continue;
      at = wc_time_format (inject->at_ms, TRUE);
      end = wc_time_format (duration, TRUE);
      if (inject->trigger == WC_TRIGGER_AT)
        {
          Path at_path = { &elem, "at", 0 };

          report (L, WC_SEVERITY_ERROR, node_pos (L, json_object_get_member (o, "at")), &at_path,
                  NULL, _("inject fires at %s, after the end of the exercise (%s)"), at, end);
        }
      else
        {
          Path tpath = { &elem, "trigger", 0 };

          report (L, WC_SEVERITY_WARNING, trigger_member_pos (L, o, "inject"), &tpath, NULL,
                  _("through its trigger, the inject is planned at %s, after the end of the "
                    "exercise (%s)"), at, end);
        }
    }
}

static void
load_array_section (Loader      *L,
                    JsonObject  *root,
                    const char  *name,
                    gboolean     required,
                    guint        max,
                    void       (*load_one) (Loader *, JsonObject *, const Path *))
{
  Path path = { NULL, name, 0 };
  JsonArray *array = get_array (L, root, name, NULL, required);
  guint n;

  if (array == NULL)
    return;
  n = json_array_get_length (array);
  if (n == 0 && required)
    {
      report (L, WC_SEVERITY_ERROR, node_pos (L, json_object_get_member (root, name)), &path, NULL,
              _("\"%s\" must not be empty"), name);
      return;
    }
  if (n > max)
    {
      report (L, WC_SEVERITY_ERROR, node_pos (L, json_object_get_member (root, name)), &path, NULL,
              _("%u %s is more than the %u Whitecell accepts"), n, name, max);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      Path elem = { &path, NULL, i };
      JsonObject *o = as_object (L, json_array_get_element (array, i), &elem);

      if (o)
        load_one (L, o, &elem);
      else if (load_one == load_inject)
        {
          /* Keep injects aligned with their array index, so findings name the right one. */
          WcInject *placeholder = wc_inject_new ();

          placeholder->trigger = WC_TRIGGER_MANUAL;
          wc_scenario_add_inject (L->scenario, placeholder);
          g_ptr_array_add (L->inject_objects, NULL);
        }
    }
}

static void
report_duplicate_members (Loader *L)
{
  GArray *dups = wc_json_document_get_duplicates (L->doc);

  for (guint i = 0; i < dups->len; i++)
    {
      const WcJsonDuplicate *d = &g_array_index (dups, WcJsonDuplicate, i);

      wc_diagnostics_add (L->diag, WC_SEVERITY_ERROR, d->pos.line, d->pos.column, NULL, NULL,
                          _("field \"%s\" is given twice in the same object; only the first "
                            "is used"), d->key);
    }
}

WcScenario *
wc_scenario_load_data (const char     *data,
                       gsize           length,
                       const char     *base_dir,
                       WcDiagnostics  *diagnostics,
                       GError        **error)
{
  Loader L = { 0 };
  g_autoptr(GError) local_error = NULL;
  WcJsonPos error_pos = { 0, 0 };
  JsonNode *root;
  JsonObject *top, *exercise;
  const char *format;
  JsonNode *version;
  WcScenario *result = NULL;
  guint n_errors;

  if (length > WC_SCENARIO_MAX_FILE_SIZE)
    {
      wc_diagnostics_add (diagnostics, WC_SEVERITY_ERROR, 0, 0, NULL, NULL,
                          _("the file is %" G_GSIZE_FORMAT " MiB; a scenario is at most %d MiB"),
                          length / (1024 * 1024), WC_SCENARIO_MAX_FILE_SIZE / (1024 * 1024));
      goto out;
    }
  L.doc = wc_json_document_parse (data, length, &error_pos, &local_error);
  if (L.doc == NULL)
    {
      wc_diagnostics_add (diagnostics, WC_SEVERITY_ERROR, error_pos.line, error_pos.column, NULL,
                          NULL, "%s", local_error->message);
      goto out;
    }
  L.diag = diagnostics;
  L.scenario = wc_scenario_new ();
  L.base_dir = g_strdup (base_dir);
  L.languages = g_new0 (char *, 2);
  L.languages[0] = g_strdup ("en");
  L.seen_objectives = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  L.seen_teams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  L.seen_actors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  L.seen_injects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  L.inject_objects = g_ptr_array_new ();
  /* NULL-terminated, for "did you mean" hints */
  L.team_ids = g_ptr_array_new_null_terminated (0, NULL, TRUE);

  report_duplicate_members (&L);
  root = wc_json_document_get_root (L.doc);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      report (&L, WC_SEVERITY_ERROR, node_pos (&L, root), NULL, NULL,
              _("a scenario is a JSON object, found %s"), node_type_name (root));
      goto out;
    }
  top = json_node_get_object (root);
  check_members (&L, top, NULL, top_fields);
  format = get_string (&L, top, "format", NULL, TRUE);
  if (format && strcmp (format, "whitecell-scenario") != 0)
    {
      Path p = { NULL, "format", 0 };

      report (&L, WC_SEVERITY_ERROR, node_pos (&L, json_object_get_member (top, "format")), &p,
              NULL, _("\"%s\" is not a Whitecell scenario (expected \"whitecell-scenario\")"),
              format);
      goto out;
    }
  version = get_member (&L, top, "version", NULL, TRUE);
  if (version)
    {
      Path p = { NULL, "version", 0 };

      if (!JSON_NODE_HOLDS_VALUE (version) || json_node_get_value_type (version) != G_TYPE_INT64)
        report (&L, WC_SEVERITY_ERROR, node_pos (&L, version), &p, NULL,
                _("expected the number 1, found %s"), node_type_name (version));
      else if (json_node_get_int (version) != 1)
        {
          report (&L, WC_SEVERITY_ERROR, node_pos (&L, version), &p, NULL,
                  _("format version %" G_GINT64_FORMAT " is not one this Whitecell reads "
                    "(it reads version 1)"), json_node_get_int (version));
          goto out;
        }
    }

  exercise = NULL;
  if (get_member (&L, top, "exercise", NULL, TRUE))
    {
      Path p = { NULL, "exercise", 0 };

      exercise = as_object (&L, json_object_get_member (top, "exercise"), &p);
      if (exercise)
        load_exercise (&L, exercise, &p);
    }
  load_array_section (&L, top, "teams", TRUE, WC_SCENARIO_MAX_TEAMS, load_team);
  load_array_section (&L, top, "actors", FALSE, WC_SCENARIO_MAX_TEAMS, load_actor);
  load_array_section (&L, top, "injects", TRUE, WC_SCENARIO_MAX_INJECTS, load_inject);
  resolve_triggers (&L);
  check_times (&L);

out:
  wc_diagnostics_sort (diagnostics);
  n_errors = wc_diagnostics_count (diagnostics, WC_SEVERITY_ERROR);
  if (n_errors > 0)
    g_set_error (error, WC_SCENARIO_ERROR, WC_SCENARIO_ERROR_INVALID,
                 g_dngettext (GETTEXT_PACKAGE, "%s: %u problem found", "%s: %u problems found",
                              n_errors),
                 wc_diagnostics_get_file (diagnostics), n_errors);
  else
    result = g_steal_pointer (&L.scenario);
  g_clear_object (&L.scenario);
  g_clear_pointer (&L.doc, wc_json_document_free);
  g_free (L.base_dir);
  g_strfreev (L.languages);
  g_clear_pointer (&L.seen_objectives, g_hash_table_unref);
  g_clear_pointer (&L.seen_teams, g_hash_table_unref);
  g_clear_pointer (&L.seen_actors, g_hash_table_unref);
  g_clear_pointer (&L.seen_injects, g_hash_table_unref);
  g_clear_pointer (&L.inject_objects, g_ptr_array_unref);
  g_clear_pointer (&L.team_ids, g_ptr_array_unref);
  return result;
}

WcScenario *
wc_scenario_load (const char     *path,
                  WcDiagnostics  *diagnostics,
                  GError        **error)
{
  g_autofree char *data = NULL;
  g_autofree char *base_dir = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  gsize length;
  WcScenario *scenario;

  if (g_stat (path, &st) == 0 && st.st_size > WC_SCENARIO_MAX_FILE_SIZE)
    {
      wc_diagnostics_add (diagnostics, WC_SEVERITY_ERROR, 0, 0, NULL, NULL,
                          _("the file is %" G_GINT64_FORMAT " MiB; a scenario is at most %d MiB"),
                          (gint64) st.st_size / (1024 * 1024),
                          WC_SCENARIO_MAX_FILE_SIZE / (1024 * 1024));
      g_set_error (error, WC_SCENARIO_ERROR, WC_SCENARIO_ERROR_INVALID,
                   _("%s: the file is too large"), wc_diagnostics_get_file (diagnostics));
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      wc_diagnostics_add (diagnostics, WC_SEVERITY_ERROR, 0, 0, NULL, NULL, "%s",
                          local_error->message);
      g_set_error (error, WC_SCENARIO_ERROR, WC_SCENARIO_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  base_dir = g_path_get_dirname (path);
  scenario = wc_scenario_load_data (data, length, base_dir, diagnostics, error);
  if (scenario == NULL)
    return NULL;
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
  wc_scenario_set_path (scenario, path);
  wc_scenario_set_sha256 (scenario, sha256);
  return scenario;
}
