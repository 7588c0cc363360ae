/* wc-scenario-loader.c: reads a version-1 scenario, checks it, and reports every problem at once. */
#define G_LOG_DOMAIN "wc-scenario-loader"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "wc-scenario-loader-private.h"
#include "wc-untrusted.h"

G_DEFINE_QUARK (wc-scenario-error-quark, wc_scenario_error)

static const char *const top_fields[] = {
  "format", "version", "exercise", "teams", "actors", "staff", "injects", "coordination", NULL
};
static const char *const exercise_fields[] = {
  "id", "title", "description", "objectives", "tlp", "languages", "default_language",
  "duration", NULL
};
static const char *const objective_fields[] = { "id", "text", NULL };
static const char *const team_fields[] = {
  "id", "name", "kind", "language", "webhook", "contact", "sector", NULL
};
static const char *const actor_fields[] = { "id", "name", "role", NULL };
static const char *const staff_fields[] = { "id", "name", "role", NULL };

/* Sections ------------------------------------------------------------------------------------ */

static void
load_exercise (Loader     *L,
               WcJsonNode *exercise,
               const Path *path)
{
  WcJsonNode *languages, *objectives;
  const char *id, *default_language;
  g_autoptr(WcText) title = NULL;
  g_autoptr(WcText) description = NULL;
  int tlp;
  gint64 duration;
  Path lang_path = { path, "languages", 0 };
  g_autoptr(GPtrArray) langs = g_ptr_array_new_with_free_func (g_free);

  wc_loader_check_members (L, exercise, path, exercise_fields);

  /* Languages first: every text below is checked against them. */
  languages = wc_loader_get_array (L, exercise, "languages", path, FALSE);
  if (languages)
    for (WcJsonNode *el = languages->v.children.first; el; el = el->next)
      {
        WcJsonNode *node = el;
        Path elem = { &lang_path, NULL, el->index };
        const char *code;

        if (!wc_loader_expect_type (L, node, &elem, WC_JSON_STRING, N_("a language code")))
          continue;
        code = WC_JSON_STR (node);
        if (!wc_loader_is_language_code (code))
          wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (node), &elem, _("e.g. \"nl\", \"fr\", \"en\""),
                  _("\"%s\" is not a language code"), code);
        else if (g_ptr_array_find_with_equal_func (langs, code, g_str_equal, NULL))
          wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (node), &elem, NULL,
                  _("language \"%s\" is listed twice"), code);
        else
          g_ptr_array_add (langs, g_strdup (code));
      }
  if (langs->len == 0)
    {
      if (languages)
        wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (exercise, "languages")),
                &lang_path, NULL, _("the exercise must offer at least one language"));
      g_ptr_array_add (langs, g_strdup ("en"));
    }
  g_ptr_array_add (langs, NULL);
  g_strfreev (L->languages);
  L->languages = (GStrv) g_ptr_array_steal (langs, NULL);

  default_language = wc_loader_get_string (L, exercise, "default_language", path, FALSE);
  if (default_language && !g_strv_contains ((const char *const *) L->languages, default_language))
    {
      Path child = { path, "default_language", 0 };

      wc_loader_report (L, WC_SEVERITY_ERROR,
              node_pos (wc_json_object_get (exercise, "default_language")), &child, NULL,
              _("default language \"%s\" is not among the exercise's languages"), default_language);
      default_language = NULL;
    }
  wc_scenario_set_languages (L->scenario, (const char *const *) L->languages, default_language);

  if ((id = wc_loader_get_id (L, exercise, path, NULL, _("exercise"))))
    wc_scenario_set_id (L->scenario, id);
  if ((title = wc_loader_get_text (L, exercise, "title", path, TRUE)))
    wc_scenario_set_title (L->scenario, title);
  if ((description = wc_loader_get_text (L, exercise, "description", path, FALSE)))
    wc_scenario_set_description (L->scenario, description);
  if (wc_loader_get_enum (L, exercise, "tlp", path, TRUE, wc_tlp_names (), &tlp))
    wc_scenario_set_tlp (L->scenario, tlp);
  if (wc_loader_get_time (L, exercise, "duration", path, TRUE, &duration))
    {
      Path child = { path, "duration", 0 };
      WcJsonPos pos = node_pos (wc_json_object_get (exercise, "duration"));

      if (duration <= 0)
        wc_loader_report (L, WC_SEVERITY_ERROR, pos, &child, NULL, _("the duration must be longer than zero"));
      else if (duration > WC_SCENARIO_MAX_DURATION_MS)
        wc_loader_report (L, WC_SEVERITY_ERROR, pos, &child, NULL,
                _("a duration over 14 days is not an exercise"));
      else
        wc_scenario_set_duration_ms (L->scenario, duration);
    }

  objectives = wc_loader_get_array (L, exercise, "objectives", path, FALSE);
  if (objectives)
    {
      Path obj_path = { path, "objectives", 0 };

      for (WcJsonNode *el = objectives->v.children.first; el; el = el->next)
        {
          Path elem = { &obj_path, NULL, el->index };
          WcJsonNode *o = wc_loader_as_object (L, el, &elem);
          const char *oid;
          WcText *text;
          WcObjective *objective;

          if (o == NULL)
            continue;
          wc_loader_check_members (L, o, &elem, objective_fields);
          oid = wc_loader_get_id (L, o, &elem, L->seen_objectives, _("objective"));
          text = wc_loader_get_text (L, o, "text", &elem, TRUE);
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
           WcJsonNode *o,
           const Path *path)
{
  const char *id, *language, *webhook, *contact, *sector;
  g_autoptr(WcText) name = NULL;
  int kind = WC_TEAM_KIND_OTHER;
  WcTeam *team;

  wc_loader_check_members (L, o, path, team_fields);
  id = wc_loader_get_id (L, o, path, L->seen_teams, _("team"));
  name = wc_loader_get_text (L, o, "name", path, TRUE);
  wc_loader_get_enum (L, o, "kind", path, TRUE, wc_team_kind_names (), &kind);
  language = wc_loader_get_string (L, o, "language", path, FALSE);
  if (language && !g_strv_contains ((const char *const *) L->languages, language))
    {
      Path child = { path, "language", 0 };
      g_autofree char *offered = g_strjoinv (", ", L->languages);

      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (o, "language")), &child,
              NULL, _("language \"%s\" is not offered by the exercise (it offers %s)"),
              language, offered);
      language = NULL;
    }
  webhook = wc_loader_get_string (L, o, "webhook", path, FALSE);
  if (webhook)
    {
      g_autoptr(GUri) uri = g_uri_parse (webhook, G_URI_FLAGS_NONE, NULL);
      Path child = { path, "webhook", 0 };

      if (uri == NULL ||
          (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
           g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
          g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
        {
          wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (o, "webhook")), &child,
                  NULL, _("\"%s\" is not an http:// or https:// URL"), webhook);
          webhook = NULL;
        }
    }
  contact = wc_loader_get_string (L, o, "contact", path, FALSE);
  sector = wc_loader_get_string (L, o, "sector", path, FALSE);
  if (sector && !wc_scenario_is_valid_id (sector))
    {
      Path child = { path, "sector", 0 };

      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (o, "sector")), &child,
                        _("a sector is a word such as \"energy\" or \"health\""),
                        _("\"%s\" is not a sector id (letters, digits, \"-\", \"_\" and \".\")"),
                        sector);
      sector = NULL;
    }
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
  team->sector = g_strdup (sector);
  wc_scenario_add_team (L->scenario, team);
  g_ptr_array_add (L->team_ids, team->id);
}

static void
load_actor (Loader     *L,
            WcJsonNode *o,
            const Path *path)
{
  const char *id;
  g_autoptr(WcText) name = NULL;
  g_autoptr(WcText) role = NULL;
  WcActor *actor;

  wc_loader_check_members (L, o, path, actor_fields);
  id = wc_loader_get_id (L, o, path, L->seen_actors, _("actor"));
  name = wc_loader_get_text (L, o, "name", path, TRUE);
  role = wc_loader_get_text (L, o, "role", path, FALSE);
  if (id == NULL)
    return;
  actor = g_new0 (WcActor, 1);
  actor->id = g_strdup (id);
  actor->name = name ? g_steal_pointer (&name) : wc_text_new_plain (id);
  actor->role = g_steal_pointer (&role);
  wc_scenario_add_actor (L->scenario, actor);
}

static void
load_staff (Loader     *L,
            WcJsonNode *o,
            const Path *path)
{
  const char *id, *name, *role_name;
  WcStaffRole role = WC_STAFF_OBSERVER;
  WcStaff *staff;

  wc_loader_check_members (L, o, path, staff_fields);
  id = wc_loader_get_id (L, o, path, L->seen_staff, _("staff member"));
  name = wc_loader_get_string (L, o, "name", path, TRUE);
  role_name = wc_loader_get_string (L, o, "role", path, TRUE);
  if (role_name && !wc_staff_role_from_string (role_name, &role))
    {
      Path rp = { path, "role", 0 };

      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (o, "role")), &rp,
                        _("one of director, controller, evaluator, observer"),
                        _("unknown role \"%s\""), role_name);
      return;
    }
  if (id == NULL || name == NULL || role_name == NULL)
    return;
  staff = wc_staff_new ();
  staff->id = g_strdup (id);
  staff->name = g_strdup (name);
  staff->role = role;
  wc_scenario_add_staff (L->scenario, staff);
}

static void
load_array_section (Loader      *L,
                    WcJsonNode  *root,
                    const char  *name,
                    gboolean     required,
                    guint        max,
                    void       (*load_one) (Loader *, WcJsonNode *, const Path *))
{
  Path path = { NULL, name, 0 };
  WcJsonNode *array = wc_loader_get_array (L, root, name, NULL, required);
  guint n;

  if (array == NULL)
    return;
  n = array->v.children.length;
  if (n == 0 && required)
    {
      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (root, name)), &path, NULL,
              _("\"%s\" must not be empty"), name);
      return;
    }
  if (n > max)
    {
      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (root, name)), &path, NULL,
              _("%u %s is more than the %u Whitecell accepts"), n, name, max);
      return;
    }
  for (WcJsonNode *el = array->v.children.first; el; el = el->next)
    {
      Path elem = { &path, NULL, el->index };
      WcJsonNode *o = wc_loader_as_object (L, el, &elem);

      if (o)
        load_one (L, o, &elem);
      else if (load_one == wc_loader_load_inject)
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
  WcJsonNode *root;
  WcJsonNode *top, *exercise;
  const char *format;
  WcJsonNode *version;
  WcScenario *result = NULL;
  guint n_errors;

  if (length > WC_SCENARIO_MAX_FILE_SIZE)
    {
      wc_diagnostics_add (diagnostics, WC_SEVERITY_ERROR, 0, 0, NULL, NULL,
                          _("the file is %zu MiB; a scenario is at most %d MiB"),
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
  L.seen_staff = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  L.seen_injects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  L.inject_objects = g_ptr_array_new ();
  /* NULL-terminated, for "did you mean" hints */
  L.team_ids = g_ptr_array_new_null_terminated (0, NULL, TRUE);

  report_duplicate_members (&L);
  root = wc_json_document_get_root (L.doc);
  if (root->type != WC_JSON_OBJECT)
    {
      wc_loader_report (&L, WC_SEVERITY_ERROR, node_pos (root), NULL, NULL,
              _("a scenario is a JSON object, found %s"), wc_json_type_name (root->type));
      goto out;
    }
  top = root;
  wc_loader_check_members (&L, top, NULL, top_fields);
  format = wc_loader_get_string (&L, top, "format", NULL, TRUE);
  if (format && strcmp (format, "whitecell-scenario") != 0)
    {
      Path p = { NULL, "format", 0 };

      wc_loader_report (&L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (top, "format")), &p,
              NULL, _("\"%s\" is not a Whitecell scenario (expected \"whitecell-scenario\")"),
              format);
      goto out;
    }
  version = wc_loader_get_member (&L, top, "version", NULL, TRUE);
  if (version)
    {
      Path p = { NULL, "version", 0 };

      if (version->type != WC_JSON_INTEGER)
        wc_loader_report (&L, WC_SEVERITY_ERROR, node_pos (version), &p, NULL,
                _("expected the number 1, found %s"), wc_json_type_name (version->type));
      else if (version->v.integer != 1)
        {
          wc_loader_report (&L, WC_SEVERITY_ERROR, node_pos (version), &p, NULL,
                  _("format version %" PRId64 " is not one this Whitecell reads "
                    "(it reads version 1)"), version->v.integer);
          goto out;
        }
    }

  exercise = NULL;
  if (wc_loader_get_member (&L, top, "exercise", NULL, TRUE))
    {
      Path p = { NULL, "exercise", 0 };

      exercise = wc_loader_as_object (&L, wc_json_object_get (top, "exercise"), &p);
      if (exercise)
        load_exercise (&L, exercise, &p);
    }
  load_array_section (&L, top, "teams", TRUE, WC_SCENARIO_MAX_TEAMS, load_team);
  load_array_section (&L, top, "actors", FALSE, WC_SCENARIO_MAX_TEAMS, load_actor);
  load_array_section (&L, top, "staff", FALSE, WC_SCENARIO_MAX_TEAMS, load_staff);
  load_array_section (&L, top, "injects", TRUE, WC_SCENARIO_MAX_INJECTS, wc_loader_load_inject);
  wc_loader_resolve_triggers (&L);
  wc_loader_check_times (&L);
  wc_loader_load_coordination (&L, top);

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
  g_clear_pointer (&L.seen_staff, g_hash_table_unref);
  g_clear_pointer (&L.seen_injects, g_hash_table_unref);
  g_clear_pointer (&L.inject_objects, g_ptr_array_unref);
  g_clear_pointer (&L.team_ids, g_ptr_array_unref);
  return result;
}

/* A file of a national exercise's size (30,000 injects, tens of MiB) takes a tenth of a second
 * to hash: beyond this size the hash is made on a thread of its own, beside the parse. */
#define PARALLEL_SHA256_BYTES (1024 * 1024)

typedef struct {
  const char *data;
  gsize       length;
} HashJob;

static gpointer
hash_thread (gpointer user_data)
{
  HashJob *job = user_data;

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) job->data, job->length);
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
  gsize length;
  WcScenario *scenario;
  HashJob hash_job;
  GThread *hasher = NULL;

  /* whatever the path is (a FIFO, /dev/zero, a file still growing), at most the bound is read */
  data = wc_untrusted_read_file (path, WC_SCENARIO_MAX_FILE_SIZE, &length, &local_error);
  if (data == NULL)
    {
      gboolean io = g_error_matches (local_error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_IO) ||
                    g_error_matches (local_error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_NOT_FOUND);

      if (g_error_matches (local_error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_TOO_LARGE))
        wc_diagnostics_add (diagnostics, WC_SEVERITY_ERROR, 0, 0, NULL, NULL,
                            _("%s, the most a scenario may be"), local_error->message);
      else
        wc_diagnostics_add (diagnostics, WC_SEVERITY_ERROR, 0, 0, NULL, NULL, "%s",
                            local_error->message);
      g_set_error (error, WC_SCENARIO_ERROR, io ? WC_SCENARIO_ERROR_IO : WC_SCENARIO_ERROR_INVALID,
                   "%s", local_error->message);
      return NULL;
    }
  base_dir = g_path_get_dirname (path);
  hash_job.data = data;
  hash_job.length = length;
  if (length >= PARALLEL_SHA256_BYTES)
    hasher = g_thread_try_new ("wc-scenario-hash", hash_thread, &hash_job, NULL);
  scenario = wc_scenario_load_data (data, length, base_dir, diagnostics, error);
  /* joined before @data goes, whatever the load's outcome */
  sha256 = hasher ? g_thread_join (hasher) : NULL;
  if (scenario == NULL)
    return NULL;
  if (sha256 == NULL)
    sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
  wc_scenario_set_path (scenario, path);
  wc_scenario_set_sha256 (scenario, sha256);
  return scenario;
}

/* Loading off the caller's thread ------------------------------------------------------------- */

typedef struct {
  char          *path;
  WcDiagnostics *diagnostics;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *d = data;

  g_free (d->path);
  wc_diagnostics_unref (d->diagnostics);
  g_free (d);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *d = task_data;
  GError *error = NULL;
  WcScenario *scenario;

  if (g_task_return_error_if_cancelled (task))
    return;
  scenario = wc_scenario_load (d->path, d->diagnostics, &error);
  if (scenario == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, scenario, g_object_unref);
}

void
wc_scenario_load_async (const char          *path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadData *d = g_new0 (LoadData, 1);

  d->path = g_strdup (path);
  d->diagnostics = wc_diagnostics_new (path);
  g_task_set_source_tag (task, wc_scenario_load_async);
  g_task_set_task_data (task, d, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

WcScenario *
wc_scenario_load_finish (GAsyncResult   *result,
                         WcDiagnostics **diagnostics_out,
                         GError        **error)
{
  LoadData *d;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wc_scenario_load_async, NULL);

  /* the findings come back whether the scenario loaded or not: they say why not */
  d = g_task_get_task_data (G_TASK (result));
  if (diagnostics_out)
    *diagnostics_out = wc_diagnostics_ref (d->diagnostics);
  return g_task_propagate_pointer (G_TASK (result), error);
}
