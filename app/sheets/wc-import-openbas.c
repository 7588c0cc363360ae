/* wc-import-openbas.c: an OpenBAS / OpenAEV scenario or simulation export (.json, or the .zip with
 * its documents) into a Whitecell scenario.
 *
 * One export_version (1) has covered years of field renames: "exercise_" before "scenario_",
 * audiences before teams, "inject_type" before the injector contract object, a parent id before
 * the "inject_depends_on" array of relationships. Each name is looked for in every spelling and the
 * report says which was found. Technical injects (implants, scanners, HTTP queries) are listed as
 * skipped: Whitecell plays the people's side of an exercise, not the machines'.
 */
#define G_LOG_DOMAIN "wc-import-openbas"

#include "config.h"

#include <glib/gi18n.h>
#include <gsf/gsf.h>
#include <string.h>

#include "wc-import-formats-private.h"

/* libgsf 1.14 declares no autoptr cleanups */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsfInput, g_object_unref)

#define ZIP_MAX_MEMBERS     10000
#define ZIP_MAX_TOTAL_BYTES ((gsize) 256 * 1024 * 1024)

typedef struct {
  const char     *path;
  WcImportReport *report;
  const char     *prefix;        /* "scenario_" or "exercise_" */
  const WcJsonNode *root;
  GsfInfile      *zip;           /* nullable */
  gsize           unpacked;      /* bytes taken out of the ZIP so far */
  WcFormatsStaging staging;
  GHashTable     *team_ids;      /* whitecell team ids in use */
  GHashTable     *teams;         /* OpenBAS team id → whitecell id */
  GHashTable     *team_names;    /* team name → whitecell id (exports repeat teams) */
  GHashTable     *inject_ids;    /* whitecell inject ids in use */
  GHashTable     *injects;       /* OpenBAS inject id → whitecell id (playable ones) */
  GHashTable     *seconds;       /* OpenBAS inject id → GINT_TO_POINTER-free gint64 * */
  GHashTable     *variables;     /* ${key} → value */
  GHashTable     *unknown_vars;  /* ${key} seen without a value */
  GHashTable     *documents;     /* document id → node */
  GHashTable     *articles;      /* article id → node */
  GHashTable     *channels;      /* channel id → node */
  GPtrArray      *subdocs;       /* WcJsonDocument of contents stored as strings */
  gboolean        has_sender;
} Ob;

static char *
pfx (Ob         *ob,
     const char *name)
{
  return g_strconcat (ob->prefix, name, NULL);
}

static const WcJsonNode *
top_array (Ob         *ob,
           const char *name,
           const char *old_name)
{
  g_autofree char *a = pfx (ob, name);
  g_autofree char *b = old_name ? pfx (ob, old_name) : NULL;
  const char *names[] = { a, b, NULL };
  const char *used = NULL;
  const WcJsonNode *n = wc_formats_get_any (ob->root, names, &used);

  if (n == NULL || n->type != WC_JSON_ARRAY)
    return NULL;
  if (used == b)
    wc_import_report_add (ob->report, WC_MAPPING_MAPPED, used,
                          _("read under its older name (now \"%s\")"), a);
  return n;
}

/* "${user.firstname}" and friends: substituted when the export defines them, listed otherwise. */
static char *
substitute (Ob         *ob,
            const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = text;

  while (*p)
    {
      const char *start = strstr (p, "${");
      const char *end = start ? strchr (start + 2, '}') : NULL;
      g_autofree char *key = NULL;
      const char *value;

      if (start == NULL || end == NULL || end - start > 128)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, start - p);
      key = g_strndup (start + 2, end - start - 2);
      value = g_hash_table_lookup (ob->variables, key);
      if (value)
        g_string_append (out, value);
      else
        {
          g_string_append_len (out, start, end + 1 - start);
          if (!g_hash_table_contains (ob->unknown_vars, key))
            {
              wc_import_report_add (ob->report, WC_MAPPING_WARNING, "${variables}",
                                    _("${%s} has no value in the export: left as it is"), key);
              g_hash_table_add (ob->unknown_vars, g_strdup (key));
            }
        }
      p = end + 1;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* -- the ZIP ------------------------------------------------------------------------------- */

static GBytes *
zip_read (Ob          *ob,
          GsfInput    *input,
          const char  *name,
          GError     **error)
{
  gsf_off_t size = gsf_input_size (input);
  g_autofree guint8 *data = NULL;

  if (size < 0 || (guint64) size > WC_IMPORT_MAX_MEMBER_BYTES ||
      ob->unpacked + (gsize) size > ZIP_MAX_TOTAL_BYTES)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_TOO_LARGE,
                   _("%s: the member \"%s\" is too large (%lld bytes)"),
                   ob->path, name, (long long) size);
      return NULL;
    }
  data = g_malloc (size + 1);
  if (size > 0 && gsf_input_read (input, size, data) == NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT,
                   _("%s: the member \"%s\" cannot be read (truncated or damaged ZIP)"),
                   ob->path, name);
      return NULL;
    }
  data[size] = '\0';
  ob->unpacked += size;
  return g_bytes_new_take (g_steal_pointer (&data), size);
}

/* The member at @target ("folder/name.pdf"), never outside the archive. */
static GBytes *
zip_member (Ob          *ob,
            const char  *target,
            GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (target, "/", 32);
  g_autoptr(GsfInput) input = NULL;

  for (guint i = 0; parts[i]; i++)
    if (strcmp (parts[i], "..") == 0 || parts[i][0] == '\0')
      return NULL;
  input = gsf_infile_child_by_aname (ob->zip, (const char **) parts);
  if (input == NULL || (GSF_IS_INFILE (input) && gsf_infile_num_children (GSF_INFILE (input)) > 0))
    return NULL;
  return zip_read (ob, input, target, error);
}

static WcJsonDocument *
open_zip (Ob          *ob,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GsfInput) file = gsf_input_stdio_new (ob->path, &local_error);
  int n;

  if (file == NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_IO, "%s: %s", ob->path,
                   local_error->message);
      return NULL;
    }
  ob->zip = gsf_infile_zip_new (file, &local_error);
  if (ob->zip == NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_CORRUPT,
                   _("%s: not a readable ZIP archive: %s"), ob->path,
                   local_error ? local_error->message : _("unknown error"));
      return NULL;
    }
  n = gsf_infile_num_children (ob->zip);
  if (n > ZIP_MAX_MEMBERS)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_TOO_LARGE,
                   _("%s: %d members in the archive, more than %d"), ob->path, n, ZIP_MAX_MEMBERS);
      return NULL;
    }
  /* the export is "<name>.json" at the top; documents sit beside it under their targets */
  for (int i = 0; i < n; i++)
    {
      const char *name = gsf_infile_name_by_index (ob->zip, i);
      g_autoptr(GsfInput) child = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gsize length;
      const char *data;

      if (name == NULL || !g_str_has_suffix (name, ".json"))
        continue;
      child = gsf_infile_child_by_index (ob->zip, i);
      bytes = zip_read (ob, child, name, error);
      if (bytes == NULL)
        return NULL;
      data = g_bytes_get_data (bytes, &length);
      wc_import_report_add (ob->report, WC_MAPPING_MAPPED, name, _("the export inside the ZIP"));
      return wc_formats_parse_json (data, length, name, error);
    }
  g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_UNKNOWN_FORMAT,
               _("%s: a ZIP archive without an OpenBAS export (.json) in it"), ob->path);
  return NULL;
}

/* -- teams --------------------------------------------------------------------------------- */

static JsonArray *
read_teams (Ob *ob)
{
  JsonArray *teams = json_array_new ();
  const WcJsonNode *list = top_array (ob, "teams", "audiences");

  for (const WcJsonNode *t = list ? list->v.children.first : NULL; t; t = t->next)
    {
      const char *id_names[] = { "team_id", "audience_id", NULL };
      const char *name_names[] = { "team_name", "audience_name", NULL };
      const WcJsonNode *idn = wc_formats_get_any (t, id_names, NULL);
      const WcJsonNode *namen = wc_formats_get_any (t, name_names, NULL);
      const char *oid = idn && idn->type == WC_JSON_STRING ? idn->v.string : NULL;
      const char *name = namen && namen->type == WC_JSON_STRING ? namen->v.string : NULL;
      const char *desc = wc_formats_get_string (t, "team_description");
      const WcJsonNode *users = wc_formats_get_array (t, "team_users");
      char *id;
      JsonObject *team;

      if (name == NULL || *name == '\0')
        {
          wc_import_report_add (ob->report, WC_MAPPING_DROPPED, "teams",
                                _("a team without a name (line %u)"), t->pos.line);
          continue;
        }
      if (oid && g_hash_table_contains (ob->teams, oid))
        continue;  /* exports list a team once per link to it */
      id = g_hash_table_lookup (ob->team_names, name);
      if (id)
        {
          if (oid)
            g_hash_table_insert (ob->teams, g_strdup (oid), g_strdup (id));
          wc_import_report_add (ob->report, WC_MAPPING_GUESSED, name,
                                _("listed twice: merged into team \"%s\""), id);
          continue;
        }
      id = wc_formats_make_id (name, "team", ob->team_ids);
      g_hash_table_insert (ob->team_names, g_strdup (name), g_strdup (id));
      if (oid)
        g_hash_table_insert (ob->teams, g_strdup (oid), g_strdup (id));
      team = json_object_new ();
      json_object_set_string_member (team, "id", id);
      json_object_set_string_member (team, "name", name);
      json_object_set_string_member (team, "kind", "other");
      if (desc && *desc)
        json_object_set_string_member (team, "contact", desc);
      json_array_add_object_element (teams, team);
      wc_import_report_add (ob->report, WC_MAPPING_MAPPED, name,
                            _("team \"%s\" (kind guessed: other)"), id);
      if (users && users->v.children.length > 0)
        wc_import_report_add (ob->report, WC_MAPPING_DROPPED, name,
                              _("%u player account(s): Whitecell gives each team a link instead"),
                              users->v.children.length);
      g_free (id);
    }
  return teams;
}

/* -- injects ------------------------------------------------------------------------------- */

/* The injector's type ("openbas_email"), wherever this version put it. */
static const char *
inject_type (const WcJsonNode *inject,
             gboolean         *needs_executor)
{
  const WcJsonNode *contract = wc_json_object_get (inject, "inject_injector_contract");
  const char *type = NULL;

  *needs_executor = FALSE;
  if (contract && contract->type == WC_JSON_OBJECT)
    {
      const WcJsonNode *conv = wc_formats_get_object (contract, "convertedContent");
      const WcJsonNode *needs = wc_json_object_get (contract, "injector_contract_needs_executor");

      type = wc_formats_get_string (contract, "injector_contract_injector_type");
      if (type == NULL)
        type = wc_formats_get_string (wc_formats_get_object (conv, "config"), "type");
      *needs_executor = needs && needs->type == WC_JSON_BOOLEAN && needs->v.boolean;
    }
  if (type == NULL)
    type = wc_formats_get_string (inject, "inject_type");  /* before the contract object */
  return type;
}

static gboolean
map_channel (const char  *type,
             const char **channel)
{
  static const struct { const char *word, *channel; } map[] = {
    { "email", "email" }, { "mail", "email" }, { "sms", "phone" }, { "channel", "news" },
    { "media", "news" }, { "mastodon", "social" }, { "twitter", "social" }, { "manual", "alert" },
    { "mattermost", "chat" }, { "slack", "chat" }, { "teams", "chat" },
  };

  for (guint i = 0; type && i < G_N_ELEMENTS (map); i++)
    if (strstr (type, map[i].word))
      {
        *channel = map[i].channel;
        return TRUE;
      }
  return FALSE;
}

static const WcJsonNode *
inject_content (Ob               *ob,
                const WcJsonNode *inject)
{
  const WcJsonNode *c = wc_json_object_get (inject, "inject_content");
  WcJsonDocument *sub;

  if (c && c->type == WC_JSON_OBJECT)
    return c;
  if (c == NULL || c->type != WC_JSON_STRING)
    return NULL;
  /* early exports kept the content as a JSON string */
  sub = wc_json_document_parse (c->v.string, strlen (c->v.string), NULL, NULL);
  if (sub == NULL)
    return NULL;
  g_ptr_array_add (ob->subdocs, sub);
  return wc_json_document_get_root (sub);
}

static char *
text_of (Ob         *ob,
         const char *html)
{
  g_autofree char *text = wc_formats_html_to_text (html);

  return substitute (ob, text);
}

static JsonArray *
read_expectations (Ob               *ob,
                   const WcJsonNode *content,
                   const char       *source)
{
  const WcJsonNode *list = wc_formats_get_array (content, "expectations");
  JsonArray *actions = json_array_new ();
  guint n = 0;

  for (const WcJsonNode *e = list ? list->v.children.first : NULL; e; e = e->next)
    {
      const char *type = wc_formats_get_string (e, "expectation_type");
      const char *name = wc_formats_get_string (e, "expectation_name");
      const char *desc = wc_formats_get_string (e, "expectation_description");
      JsonObject *a;
      gint64 secs;
      const char *judge = "manual";

      if (name == NULL || *name == '\0')
        name = type ? type : _("Expected action");
      if (type && (strcmp (type, "PREVENTION") == 0 || strcmp (type, "DETECTION") == 0 ||
                   strcmp (type, "VULNERABILITY") == 0))
        {
          wc_import_report_add (ob->report, WC_MAPPING_SKIPPED, source,
                                _("expectation \"%s\" (%s) is for security tools, not people"),
                                name, type);
          continue;
        }
      a = json_object_new ();
      {
        g_autofree char *id = g_strdup_printf ("a%u", ++n);
        g_autofree char *text = desc && *desc ? g_strdup_printf ("%s: %s", name, desc)
                                              : g_strdup (name);
        g_autofree char *sub = text_of (ob, text);

        json_object_set_string_member (a, "id", id);
        json_object_set_string_member (a, "text", sub);
      }
      if (wc_formats_get_int (e, "expectation_expiration_time", &secs) && secs > 0 &&
          secs < WC_SCENARIO_MAX_DURATION_MS / 1000)
        wc_formats_set_time (a, "deadline", secs * 1000);
      /* a text or a document to send back is an answer; an article to read, an acknowledgement */
      if (type && (strcmp (type, "TEXT") == 0 || strcmp (type, "DOCUMENT") == 0))
        judge = "answer";
      else if (type && strcmp (type, "ARTICLE") == 0)
        judge = "acknowledge";
      if (strcmp (judge, "manual") != 0 && !json_object_has_member (a, "deadline"))
        judge = "manual";  /* a rule needs a deadline to judge "met" against */
      json_object_set_string_member (a, "judge", judge);
      json_array_add_object_element (actions, a);
      wc_import_report_add (ob->report, WC_MAPPING_MAPPED, source,
                            _("expectation \"%s\" (%s) → expected action judged %s"), name,
                            type ? type : "?", judge);
    }
  return actions;
}

static void
add_articles (Ob               *ob,
              const WcJsonNode *content,
              GString          *body,
              const char       *source,
              const char      **channel)
{
  const WcJsonNode *list = wc_formats_get_array (content, "articles");

  for (const WcJsonNode *a = list ? list->v.children.first : NULL; a; a = a->next)
    {
      const WcJsonNode *article = a->type == WC_JSON_STRING
                                  ? g_hash_table_lookup (ob->articles, a->v.string) : NULL;
      const char *name = wc_formats_get_string (article, "article_name");
      const char *author = wc_formats_get_string (article, "article_author");
      const char *chan = wc_formats_get_string (article, "article_channel");
      const WcJsonNode *channel_node = chan ? g_hash_table_lookup (ob->channels, chan) : NULL;
      const char *ctype = wc_formats_get_string (channel_node, "channel_type");
      g_autofree char *text = text_of (ob, wc_formats_get_string (article, "article_content"));

      if (article == NULL)
        {
          wc_import_report_add (ob->report, WC_MAPPING_WARNING, source,
                                _("an article not in the export: left out"));
          continue;
        }
      if (ctype && strcmp (ctype, "microblogging") == 0)
        *channel = "social";
      if (body->len)
        g_string_append (body, "\n\n");
      g_string_append_printf (body, "%s%s%s\n\n%s", name ? name : "", author ? " — " : "",
                              author ? author : "", text);
      wc_import_report_add (ob->report, WC_MAPPING_MAPPED, source,
                            _("article \"%s\" → the body"), name ? name : "?");
    }
}

static void
add_documents (Ob               *ob,
               const WcJsonNode *inject,
               JsonObject       *out,
               GString          *notes,
               const char       *source)
{
  const WcJsonNode *list = wc_formats_get_array (inject, "inject_documents");
  JsonArray *attachments = json_array_new ();

  for (const WcJsonNode *d = list ? list->v.children.first : NULL; d; d = d->next)
    {
      const char *doc_id = d->type == WC_JSON_STRING ? d->v.string
                           : wc_formats_get_string (d, "document_id");
      const WcJsonNode *doc = doc_id ? g_hash_table_lookup (ob->documents, doc_id) : NULL;
      const char *name = wc_formats_get_string (doc, "document_name");
      const char *target = wc_formats_get_string (doc, "document_target");
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *file = NULL;
      JsonObject *a;

      if (name == NULL)
        name = target ? target : doc_id ? doc_id : "?";
      if (ob->zip && target)
        bytes = zip_member (ob, target, &error);
      if (bytes == NULL)
        {
          /* the JSON alone carries no files: say which were meant */
          if (notes->len)
            g_string_append_c (notes, '\n');
          g_string_append_printf (notes, _("Document not imported: %s"), name);
          if (error)
            wc_import_report_add (ob->report, WC_MAPPING_WARNING, source,
                                  _("document \"%s\" is not in the export (%s): named in the notes"),
                                  name, error->message);
          else
            wc_import_report_add (ob->report, WC_MAPPING_WARNING, source,
                                  _("document \"%s\" is not in the export: named in the notes"),
                                  name);
          continue;
        }
      file = wc_formats_staging_write (&ob->staging, name, g_bytes_get_data (bytes, NULL),
                                       g_bytes_get_size (bytes), &error);
      if (file == NULL)
        {
          wc_import_report_add (ob->report, WC_MAPPING_WARNING, source,
                                _("document \"%s\" cannot be unpacked: %s"), name, error->message);
          continue;
        }
      a = json_object_new ();
      json_object_set_string_member (a, "file", file);
      json_object_set_string_member (a, "media_type", wc_formats_media_type (name));
      json_object_set_string_member (a, "title", name);
      json_array_add_object_element (attachments, a);
      wc_import_report_add (ob->report, WC_MAPPING_MAPPED, source,
                            _("document \"%s\" → attachment %s"), name, file);
    }
  if (json_array_get_length (attachments) > 0)
    json_object_set_array_member (out, "attachments", attachments);
  else
    json_array_unref (attachments);
}

static void
add_recipients (Ob               *ob,
                const WcJsonNode *inject,
                JsonObject       *out,
                const char       *source)
{
  const char *all_names[] = { "inject_all_teams", "inject_all_audiences", NULL };
  const char *list_names[] = { "inject_teams", "inject_audiences", NULL };
  const WcJsonNode *all = wc_formats_get_any (inject, all_names, NULL);
  const WcJsonNode *list = wc_formats_get_any (inject, list_names, NULL);
  JsonArray *to = json_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (const WcJsonNode *t = list && list->type == WC_JSON_ARRAY ? list->v.children.first : NULL;
       t; t = t->next)
    {
      const char *oid = t->type == WC_JSON_STRING ? t->v.string : wc_formats_get_string (t, "team_id");
      const char *id = oid ? g_hash_table_lookup (ob->teams, oid) : NULL;

      if (id == NULL)
        wc_import_report_add (ob->report, WC_MAPPING_WARNING, source,
                              _("a team not in the export (%s): left out"), oid ? oid : "?");
      else if (g_hash_table_add (seen, (gpointer) id))
        json_array_add_string_element (to, id);
    }
  if ((all && all->type == WC_JSON_BOOLEAN && all->v.boolean) || json_array_get_length (to) == 0)
    {
      if (!(all && all->type == WC_JSON_BOOLEAN && all->v.boolean))
        wc_import_report_add (ob->report, WC_MAPPING_GUESSED, source,
                              _("no team named: sent to all teams"));
      json_array_unref (to);
      json_object_set_string_member (out, "to", "all");
      return;
    }
  json_object_set_array_member (out, "to", to);
}

/* The parent an inject waits for: a string (early), or the first relationship (later). */
static const char *
depends_on (const WcJsonNode *inject)
{
  const char *names[] = { "inject_depends_on", "inject_depends_from_another", NULL };
  const WcJsonNode *d = wc_formats_get_any (inject, names, NULL);

  if (d == NULL)
    return NULL;
  if (d->type == WC_JSON_STRING)
    return d->v.string;
  if (d->type == WC_JSON_ARRAY && d->v.children.first)
    {
      const WcJsonNode *first = d->v.children.first;
      const WcJsonNode *rel = wc_formats_get_object (first, "dependency_relationship");

      if (first->type == WC_JSON_STRING)
        return first->v.string;
      return wc_formats_get_string (rel, "inject_parent_id");
    }
  return NULL;
}

static gint64
inject_seconds (const WcJsonNode *inject)
{
  gint64 secs = 0;

  if (!wc_formats_get_int (inject, "inject_depends_duration", &secs) || secs < 0 ||
      secs > WC_SCENARIO_MAX_DURATION_MS / 1000)
    return -1;
  return secs;
}

/* First pass: which injects Whitecell plays, under which ids. */
static void
select_injects (Ob               *ob,
                const WcJsonNode *list)
{
  for (const WcJsonNode *i = list ? list->v.children.first : NULL; i; i = i->next)
    {
      const char *oid = wc_formats_get_string (i, "inject_id");
      const char *title = wc_formats_get_string (i, "inject_title");
      const WcJsonNode *enabled = wc_json_object_get (i, "inject_enabled");
      gboolean needs_executor;
      const char *type = inject_type (i, &needs_executor);
      const char *channel = NULL;
      g_autofree char *source = g_strdup_printf ("inject \"%s\"", title ? title : oid ? oid : "?");

      if (oid == NULL)
        {
          wc_import_report_add (ob->report, WC_MAPPING_DROPPED, source,
                                _("no inject_id (line %u)"), i->pos.line);
          continue;
        }
      if (enabled && enabled->type == WC_JSON_BOOLEAN && !enabled->v.boolean)
        {
          wc_import_report_add (ob->report, WC_MAPPING_SKIPPED, source, _("disabled in OpenBAS"));
          continue;
        }
      if (needs_executor || !map_channel (type, &channel))
        {
          wc_import_report_add (ob->report, WC_MAPPING_SKIPPED, source,
                                _("a technical inject (%s) that Whitecell cannot play"),
                                type ? type : _("no injector type"));
          continue;
        }
      if (inject_seconds (i) < 0)
        {
          wc_import_report_add (ob->report, WC_MAPPING_DROPPED, source,
                                _("inject_depends_duration missing or out of range"));
          continue;
        }
      g_hash_table_insert (ob->injects, g_strdup (oid),
                           wc_formats_make_id (oid, "inject", ob->inject_ids));
    }
}

static JsonObject *
read_inject (Ob               *ob,
             const WcJsonNode *i)
{
  const char *oid = wc_formats_get_string (i, "inject_id");
  const char *id = g_hash_table_lookup (ob->injects, oid);
  const char *title = wc_formats_get_string (i, "inject_title");
  const char *desc = wc_formats_get_string (i, "inject_description");
  const WcJsonNode *content = inject_content (ob, i);
  const char *subject = wc_formats_get_string (content, "subject");
  const char *body_names[] = { "body", "message", "content", "status", NULL };
  const WcJsonNode *body_node = wc_formats_get_any (content, body_names, NULL);
  const char *parent = depends_on (i);
  const char *parent_id = parent ? g_hash_table_lookup (ob->injects, parent) : NULL;
  gboolean needs_executor;
  const char *channel = "email";
  g_autofree char *source = g_strdup_printf ("inject \"%s\"", title ? title : oid);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autofree char *title_text = NULL;
  JsonObject *out = json_object_new ();
  JsonArray *actions;
  gint64 secs = inject_seconds (i);

  map_channel (inject_type (i, &needs_executor), &channel);
  json_object_set_string_member (out, "id", id);
  if (parent_id)
    {
      gint64 *ps = g_hash_table_lookup (ob->seconds, parent);
      gint64 parent_secs = ps ? *ps : 0;
      JsonObject *trigger = json_object_new ();

      json_object_set_string_member (trigger, "type", "after");
      json_object_set_string_member (trigger, "inject", parent_id);
      /* OpenBAS counts every inject's time from the start; the condition is the parent's */
      wc_formats_set_time (trigger, "delay", MAX (secs - parent_secs, 0) * 1000);
      json_object_set_object_member (out, "trigger", trigger);
      wc_import_report_add (ob->report, WC_MAPPING_MAPPED, source,
                            _("depends on \"%s\" → trigger after it (condition kept as timing only)"),
                            parent_id);
    }
  else
    {
      if (parent)
        wc_import_report_add (ob->report, WC_MAPPING_GUESSED, source,
                              _("depends on an inject not imported: fires at its own time"));
      wc_formats_set_time (out, "at", secs * 1000);
    }
  json_object_set_string_member (out, "channel", channel);
  if (strcmp (channel, "email") == 0 && ob->has_sender)
    json_object_set_string_member (out, "from", "sender");
  add_recipients (ob, i, out, source);

  title_text = substitute (ob, subject && *subject ? subject : title ? title : oid);
  json_object_set_string_member (out, "title", title_text);
  if (body_node && body_node->type == WC_JSON_STRING)
    {
      g_autofree char *text = text_of (ob, body_node->v.string);

      g_string_append (body, text);
    }
  add_articles (ob, content, body, source, &channel);
  json_object_set_string_member (out, "channel", channel);
  if (body->len == 0 && desc && *desc)
    {
      g_autofree char *text = text_of (ob, desc);

      g_string_append (body, text);
      wc_import_report_add (ob->report, WC_MAPPING_GUESSED, source,
                            _("no message body: the description is the body"));
    }
  else if (desc && *desc)
    {
      g_string_append (notes, desc);
      wc_import_report_add (ob->report, WC_MAPPING_MAPPED, source,
                            _("description → controller notes"));
    }
  if (body->len == 0)
    g_string_assign (body, title_text);
  json_object_set_string_member (out, "body", body->str);

  add_documents (ob, i, out, notes, source);
  actions = read_expectations (ob, content, source);
  if (json_array_get_length (actions) > 0)
    json_object_set_array_member (out, "expected_actions", actions);
  else
    json_array_unref (actions);
  if (notes->len > 0)
    json_object_set_string_member (out, "notes", notes->str);
  wc_import_report_add (ob->report, WC_MAPPING_MAPPED, source, _("inject %s (%s)"), id, channel);
  return out;
}

static void
index_by (GHashTable       *table,
          const WcJsonNode *list,
          const char       *id_member)
{
  for (const WcJsonNode *n = list ? list->v.children.first : NULL; n; n = n->next)
    {
      const char *id = wc_formats_get_string (n, id_member);

      if (id)
        g_hash_table_insert (table, (gpointer) id, (gpointer) n);
    }
}

static void
report_dropped_lists (Ob *ob)
{
  static const char *const lists[] = { "users", "organizations", "tags", "challenges",
                                       "lessons_categories", "lessons_questions", NULL };

  for (guint k = 0; lists[k]; k++)
    {
      const WcJsonNode *l = top_array (ob, lists[k], NULL);

      if (l && l->v.children.length > 0)
        wc_import_report_add (ob->report, WC_MAPPING_DROPPED, lists[k],
                              _("%u item(s): no place for them in a Whitecell scenario"),
                              l->v.children.length);
    }
}

static WcScenario *
convert (Ob      *ob,
         GError **error)
{
  g_autofree char *info_name = pfx (ob, "information");
  const WcJsonNode *info = wc_formats_get_object (ob->root, info_name);
  g_autofree char *n_name = pfx (ob, "name");
  g_autofree char *n_desc = pfx (ob, "description");
  g_autofree char *n_sub = pfx (ob, "subtitle");
  g_autofree char *n_from = pfx (ob, "mail_from");
  const char *name = wc_formats_get_string (info, n_name);
  const char *desc = wc_formats_get_string (info, n_desc);
  const char *subtitle = wc_formats_get_string (info, n_sub);
  const char *from = wc_formats_get_string (info, n_from);
  const WcJsonNode *list = top_array (ob, "injects", NULL);
  const WcJsonNode *vars = top_array (ob, "variables", NULL);
  g_autoptr(GHashTable) ex_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *ex_id = NULL;
  g_autofree char *description = NULL;
  JsonObject *doc;
  JsonArray *teams, *injects;
  gint64 latest = 0, version = 0;

  if (!wc_formats_get_int (ob->root, "export_version", &version))
    wc_import_report_add (ob->report, WC_MAPPING_GUESSED, "export_version",
                          _("absent: read as the earliest exports"));
  else
    wc_import_report_add (ob->report, version == 1 ? WC_MAPPING_MAPPED : WC_MAPPING_WARNING,
                          "export_version", _("%lld (Whitecell knows version 1)"),
                          (long long) version);
  for (const WcJsonNode *v = vars ? vars->v.children.first : NULL; v; v = v->next)
    {
      const char *key = wc_formats_get_string (v, "variable_key");
      const char *value = wc_formats_get_string (v, "variable_value");

      if (key && value)
        {
          g_hash_table_insert (ob->variables, (gpointer) key, (gpointer) value);
          wc_import_report_add (ob->report, WC_MAPPING_MAPPED, "${variables}",
                                _("${%s} substituted by \"%s\""), key, value);
        }
    }
  index_by (ob->documents, top_array (ob, "documents", NULL), "document_id");
  index_by (ob->articles, top_array (ob, "articles", NULL), "article_id");
  index_by (ob->channels, top_array (ob, "channels", NULL), "channel_id");

  if (name == NULL || *name == '\0')
    {
      wc_import_report_add (ob->report, WC_MAPPING_GUESSED, info_name, _("no name: \"OpenBAS\""));
      name = "OpenBAS";
    }
  ex_id = wc_formats_make_id (name, "openbas", ex_ids);
  {
    g_autofree char *d = desc ? text_of (ob, desc) : NULL;

    description = subtitle && *subtitle ? g_strdup_printf ("%s%s%s", subtitle, d && *d ? "\n\n" : "",
                                                           d ? d : "")
                                        : g_strdup (d);
  }
  wc_import_report_add (ob->report, WC_MAPPING_MAPPED, n_name, _("exercise title"));
  wc_import_report_add (ob->report, WC_MAPPING_GUESSED, "tlp",
                        _("OpenBAS has no TLP: AMBER, change it before sharing"));

  teams = read_teams (ob);
  if (json_array_get_length (teams) == 0)
    wc_formats_add_default_team (teams, ob->team_ids, ob->report, "teams",
                                 _("none in the export: one team \"Players\""));

  for (const WcJsonNode *i = list ? list->v.children.first : NULL; i; i = i->next)
    {
      const char *oid = wc_formats_get_string (i, "inject_id");
      gint64 secs = inject_seconds (i);

      if (oid && secs >= 0)
        g_hash_table_insert (ob->seconds, (gpointer) oid, g_memdup2 (&secs, sizeof secs));
    }
  select_injects (ob, list);
  if (g_hash_table_size (ob->injects) == 0)
    {
      json_array_unref (teams);
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID,
                   _("%s: no inject Whitecell can play (%u in the export; see the report for "
                     "why each was skipped)"), ob->path, list ? list->v.children.length : 0);
      return NULL;
    }

  injects = json_array_new ();
  for (const WcJsonNode *i = list->v.children.first; i; i = i->next)
    {
      const char *oid = wc_formats_get_string (i, "inject_id");

      if (oid && g_hash_table_contains (ob->injects, oid))
        {
          json_array_add_object_element (injects, read_inject (ob, i));
          latest = MAX (latest, inject_seconds (i) * 1000);
        }
    }

  doc = wc_formats_new_document (ex_id, name, description, wc_formats_duration_for (latest));
  json_object_set_array_member (doc, "teams", teams);
  if (ob->has_sender)
    {
      JsonArray *actors = json_array_new ();
      JsonObject *a = json_object_new ();

      json_object_set_string_member (a, "id", "sender");
      json_object_set_string_member (a, "name", from);
      json_array_add_object_element (actors, a);
      json_object_set_array_member (doc, "actors", actors);
      wc_import_report_add (ob->report, WC_MAPPING_MAPPED, n_from,
                            _("actor \"sender\", the sender of the e-mails"));
    }
  json_object_set_array_member (doc, "injects", injects);
  report_dropped_lists (ob);
  return wc_formats_finish (doc, ob->path, &ob->staging, ob->report, error);
}

static gboolean
is_zip (const char *path)
{
  g_autoptr(GFile) f = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (f, NULL, NULL);
  guint8 magic[4] = { 0 };

  return in && g_input_stream_read (G_INPUT_STREAM (in), magic, 4, NULL, NULL) == 4 &&
         memcmp (magic, "PK\003\004", 4) == 0;
}

WcScenario *
wc_import_openbas (const char      *path,
                   WcImportReport  *report,
                   GError         **error)
{
  g_autoptr(WcJsonDocument) jdoc = NULL;
  Ob ob = { 0 };
  WcScenario *scenario = NULL;

  ob.path = path;
  ob.report = report;
  jdoc = is_zip (path) ? open_zip (&ob, error) : wc_formats_read_json (path, error);
  if (jdoc == NULL)
    {
      g_clear_object (&ob.zip);
      return NULL;
    }
  ob.root = wc_json_document_get_root (jdoc);
  if (wc_formats_get_object (ob.root, "scenario_information"))
    ob.prefix = "scenario_";
  else if (wc_formats_get_object (ob.root, "exercise_information"))
    ob.prefix = "exercise_";
  if (ob.prefix == NULL)
    {
      g_clear_object (&ob.zip);
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_UNKNOWN_FORMAT,
                   _("%s: not an OpenBAS export (no scenario_information or "
                     "exercise_information)"), path);
      return NULL;
    }
  wc_import_report_add (report, WC_MAPPING_MAPPED, ob.prefix[0] == 's' ? "scenario_information"
                                                                       : "exercise_information",
                        ob.prefix[0] == 's' ? _("an OpenBAS scenario export")
                                            : _("an OpenBAS simulation (exercise) export"));
  ob.team_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ob.teams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ob.team_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ob.inject_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ob.injects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ob.seconds = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  ob.variables = g_hash_table_new (g_str_hash, g_str_equal);
  ob.unknown_vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ob.documents = g_hash_table_new (g_str_hash, g_str_equal);
  ob.articles = g_hash_table_new (g_str_hash, g_str_equal);
  ob.channels = g_hash_table_new (g_str_hash, g_str_equal);
  ob.subdocs = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_json_document_free);
  {
    g_autofree char *n_from = pfx (&ob, "mail_from");
    g_autofree char *info_name = pfx (&ob, "information");
    const char *from = wc_formats_get_string (wc_formats_get_object (ob.root, info_name), n_from);

    ob.has_sender = from && *from;
  }

  scenario = convert (&ob, error);

  wc_formats_staging_clear (&ob.staging);
  g_clear_object (&ob.zip);
  g_hash_table_unref (ob.team_ids);
  g_hash_table_unref (ob.teams);
  g_hash_table_unref (ob.team_names);
  g_hash_table_unref (ob.inject_ids);
  g_hash_table_unref (ob.injects);
  g_hash_table_unref (ob.seconds);
  g_hash_table_unref (ob.variables);
  g_hash_table_unref (ob.unknown_vars);
  g_hash_table_unref (ob.documents);
  g_hash_table_unref (ob.articles);
  g_hash_table_unref (ob.channels);
  g_ptr_array_unref (ob.subdocs);
  return scenario;
}
