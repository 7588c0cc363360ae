/* wc-scenario-injects.c: reading one inject of a scenario: its trigger, attachments, decision
 * options and expected actions (with how each can be judged), with a finding for each problem. */
#define G_LOG_DOMAIN "wc-scenario-loader"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "wc-scenario-loader-private.h"
#include "wc-untrusted.h"

static const char *const inject_fields[] = {
  "id", "at", "trigger", "title", "body", "channel", "from", "to", "tlp", "attachments",
  "expected_actions", "options", "notes", "incident", NULL
};
static const char *const trigger_fields[] = { "type", "inject", "delay", "within", NULL };
static const char *const attachment_fields[] = { "file", "media_type", "title", NULL };
static const char *const action_fields[] = { "id", "text", "deadline", "objective", "judge", NULL };
static const char *const option_fields[] = { "id", "text", NULL };
static const char *const trigger_types[] = { "after", "no-response", "manual", NULL };

/* "manual", "acknowledge", "answer" or "option:ID", ID one of the inject's options. */
static gboolean
get_judge_rule (Loader           *L,
                WcJsonNode       *a,
                const Path       *elem,
                const WcInject   *inject,
                WcExpectedAction *action)
{
  const char *judge = wc_loader_get_string (L, a, "judge", elem, FALSE);
  Path jp = { elem, "judge", 0 };

  action->judge = WC_JUDGE_MANUAL;
  if (judge == NULL || strcmp (judge, "manual") == 0)
    return TRUE;
  if (strcmp (judge, "acknowledge") == 0)
    action->judge = WC_JUDGE_ACKNOWLEDGE;
  else if (strcmp (judge, "answer") == 0)
    action->judge = WC_JUDGE_ANSWER;
  else if (g_str_has_prefix (judge, "option:"))
    {
      const char *option = judge + strlen ("option:");
      gboolean known = FALSE;

      for (guint i = 0; i < inject->options->len && !known; i++)
        known = strcmp (((WcDecisionOption *) g_ptr_array_index (inject->options, i))->id,
                        option) == 0;
      if (!known)
        {
          wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (a, "judge")), &jp,
                            _("name one of the inject's options"),
                            _("\"%s\" is not an option of this inject"), option);
          return FALSE;
        }
      action->judge = WC_JUDGE_OPTION;
      action->judge_option = g_strdup (option);
    }
  else
    {
      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (a, "judge")), &jp,
                        _("manual, acknowledge, answer or option:ID"),
                        _("unknown way to judge \"%s\""), judge);
      return FALSE;
    }
  return TRUE;
}

/* The file is served to participants as it is on disk when the inject fires: only a regular file
 * of a bounded size, inside the scenario's folder, reached through no symbolic link. */
static gboolean
check_attachment_file (Loader     *L,
                       const char *file,
                       WcJsonPos   pos,
                       const Path *file_path)
{
  g_autoptr(GError) error = NULL;

  if (wc_untrusted_check_in_folder (L->base_dir, file, WC_SCENARIO_MAX_ATTACHMENT_SIZE, &error))
    return TRUE;
  if (g_error_matches (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_NOT_FOUND))
    wc_loader_report (L, WC_SEVERITY_ERROR, pos, file_path, NULL,
                      _("attachment file \"%s\" does not exist"), file);
  else if (g_error_matches (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_LINK))
    wc_loader_report (L, WC_SEVERITY_ERROR, pos, file_path,
                      _("copy the file itself into the scenario's folder"),
                      _("attachment: %s; a symbolic link is never followed"), error->message);
  else if (g_error_matches (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_OUTSIDE))
    wc_loader_report (L, WC_SEVERITY_ERROR, pos, file_path, NULL,
                      _("attachment \"%s\" must be a path inside the scenario's folder (%s)"),
                      file, error->message);
  else if (g_error_matches (error, WC_UNTRUSTED_ERROR, WC_UNTRUSTED_ERROR_TOO_LARGE))
    wc_loader_report (L, WC_SEVERITY_ERROR, pos, file_path,
                      _("share a large file by other means and attach a note saying where"),
                      _("attachment: %s, the most an attachment may be"), error->message);
  else
    wc_loader_report (L, WC_SEVERITY_ERROR, pos, file_path, NULL, _("attachment: %s"),
                      error->message);
  return FALSE;
}

static void
load_attachments (Loader     *L,
                  WcJsonNode *o,
                  const Path *path,
                  WcInject   *inject)
{
  WcJsonNode *array = wc_loader_get_array (L, o, "attachments", path, FALSE);
  Path apath = { path, "attachments", 0 };

  if (array == NULL)
    return;
  for (WcJsonNode *el = array->v.children.first; el; el = el->next)
    {
      Path elem = { &apath, NULL, el->index };
      Path file_path = { &elem, "file", 0 };
      WcJsonNode *a = wc_loader_as_object (L, el, &elem);
      const char *file, *media_type;
      g_autoptr(WcText) title = NULL;
      WcAttachment *attachment;
      WcJsonPos pos;

      if (a == NULL)
        continue;
      wc_loader_check_members (L, a, &elem, attachment_fields);
      file = wc_loader_get_string (L, a, "file", &elem, TRUE);
      media_type = wc_loader_get_string (L, a, "media_type", &elem, TRUE);
      title = wc_loader_get_text (L, a, "title", &elem, FALSE);
      if (file == NULL || media_type == NULL)
        continue;
      pos = node_pos (wc_json_object_get (a, "file"));
      /* Attachments are served to participants: a scenario must not reach outside its folder. */
      if (g_path_is_absolute (file) || strcmp (file, "..") == 0 || g_str_has_prefix (file, "../") ||
          strstr (file, "/../") != NULL || g_str_has_suffix (file, "/..") || strchr (file, '\\'))
        {
          wc_loader_report (L, WC_SEVERITY_ERROR, pos, &file_path, NULL,
                  _("attachment \"%s\" must be a path inside the scenario's folder"), file);
          continue;
        }
      if (L->base_dir && !check_attachment_file (L, file, pos, &file_path))
        continue;
      if (strchr (media_type, '/') == NULL || strchr (media_type, ' ') != NULL)
        {
          Path mt = { &elem, "media_type", 0 };

          wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (a, "media_type")), &mt,
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
              WcJsonNode *o,
              const Path *path,
              WcInject   *inject)
{
  WcJsonNode *array = wc_loader_get_array (L, o, "expected_actions", path, FALSE);
  Path apath = { path, "expected_actions", 0 };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (array == NULL)
    return;
  for (WcJsonNode *el = array->v.children.first; el; el = el->next)
    {
      Path elem = { &apath, NULL, el->index };
      WcJsonNode *a = wc_loader_as_object (L, el, &elem);
      const char *id = NULL, *objective;
      g_autoptr(WcText) text = NULL;
      gint64 deadline = -1;
      WcExpectedAction *action;

      if (a == NULL)
        continue;
      wc_loader_check_members (L, a, &elem, action_fields);
      if ((wc_json_object_get (a, "id") != NULL) &&
          (id = wc_loader_get_id (L, a, &elem, seen, _("expected action"))) == NULL)
        continue;
      text = wc_loader_get_text (L, a, "text", &elem, TRUE);
      if ((wc_json_object_get (a, "deadline") != NULL) &&
          !wc_loader_get_time (L, a, "deadline", &elem, FALSE, &deadline))
        continue;
      objective = wc_loader_get_string (L, a, "objective", &elem, FALSE);
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
          wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (a, "objective")), &op,
                  hint, _("unknown objective \"%s\""), objective);
          continue;
        }
      if (text == NULL)
        continue;
      action = wc_expected_action_new ();
      if (!get_judge_rule (L, a, &elem, inject, action))
        {
          g_free (action);
          continue;
        }
      action->id = id ? g_strdup (id) : g_strdup_printf ("a%u", el->index + 1);
      action->text = g_steal_pointer (&text);
      action->deadline_ms = deadline;
      action->objective = g_strdup (objective);
      g_ptr_array_add (inject->expected_actions, action);
    }
}

static void
load_options (Loader     *L,
              WcJsonNode *o,
              const Path *path,
              WcInject   *inject)
{
  WcJsonNode *array = wc_loader_get_array (L, o, "options", path, FALSE);
  Path opath = { path, "options", 0 };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (array == NULL)
    return;
  for (WcJsonNode *el = array->v.children.first; el; el = el->next)
    {
      Path elem = { &opath, NULL, el->index };
      WcJsonNode *a = wc_loader_as_object (L, el, &elem);
      const char *id;
      g_autoptr(WcText) text = NULL;
      WcDecisionOption *option;

      if (a == NULL)
        continue;
      wc_loader_check_members (L, a, &elem, option_fields);
      id = wc_loader_get_id (L, a, &elem, seen, _("option"));
      text = wc_loader_get_text (L, a, "text", &elem, TRUE);
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
              WcJsonNode *o,
              const Path *path,
              WcInject   *inject)
{
  Path tpath = { path, "trigger", 0 };
  WcJsonNode *node = wc_json_object_get (o, "trigger");
  WcJsonNode *t;
  int type;
  const char *ref;

  if (node == NULL)
    {
      inject->trigger = WC_TRIGGER_AT;
      wc_loader_get_time (L, o, "at", path, TRUE, &inject->at_ms);
      return;
    }
  if ((t = wc_loader_as_object (L, node, &tpath)) == NULL)
    return;
  wc_loader_check_members (L, t, &tpath, trigger_fields);
  if ((wc_json_object_get (o, "at") != NULL))
    {
      Path at = { path, "at", 0 };

      wc_loader_report (L, WC_SEVERITY_ERROR, key_pos (wc_json_object_get (o, "at")), &at, NULL,
              _("an inject with a trigger has no \"at\": its time follows from the trigger"));
    }
  if (!wc_loader_get_enum (L, t, "type", &tpath, TRUE, trigger_types, &type))
    return;
  switch (type)
    {
    case 0:
      inject->trigger = WC_TRIGGER_AFTER;
      ref = wc_loader_get_string (L, t, "inject", &tpath, TRUE);
      wc_loader_get_time (L, t, "delay", &tpath, TRUE, &inject->trigger_delay_ms);
      inject->trigger_inject = g_strdup (ref);
      break;
    case 1:
      inject->trigger = WC_TRIGGER_NO_RESPONSE;
      ref = wc_loader_get_string (L, t, "inject", &tpath, TRUE);
      wc_loader_get_time (L, t, "within", &tpath, TRUE, &inject->trigger_delay_ms);
      inject->trigger_inject = g_strdup (ref);
      break;
    default:
      inject->trigger = WC_TRIGGER_MANUAL;
      break;
    }
}

void
wc_loader_load_inject (Loader     *L,
             WcJsonNode *o,
             const Path *path)
{
  WcInject *inject = wc_inject_new ();
  const char *id, *from, *notes;
  int channel = WC_CHANNEL_EMAIL, tlp = wc_scenario_get_tlp (L->scenario);
  WcJsonNode *to, *options, *incident;
  Path to_path = { path, "to", 0 };
  Path incident_path = { path, "incident", 0 };

  wc_loader_check_members (L, o, path, inject_fields);
  id = wc_loader_get_id (L, o, path, L->seen_injects, _("inject"));
  inject->id = g_strdup (id);
  load_trigger (L, o, path, inject);
  inject->title = wc_loader_get_text (L, o, "title", path, TRUE);
  inject->body = wc_loader_get_text (L, o, "body", path, TRUE);
  wc_loader_get_enum (L, o, "channel", path, TRUE, wc_channel_names (), &channel);
  inject->channel = channel;
  if ((wc_json_object_get (o, "tlp") != NULL))
    wc_loader_get_enum (L, o, "tlp", path, FALSE, wc_tlp_names (), &tlp);
  inject->tlp = tlp;

  from = wc_loader_get_string (L, o, "from", path, FALSE);
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
      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (o, "from")), &fp, hint,
              _("unknown actor \"%s\""), from);
    }
  else
    inject->from = g_strdup (from);

  to = wc_loader_get_member (L, o, "to", path, TRUE);
  if (to && to->type == WC_JSON_STRING &&
      strcmp (WC_JSON_STR (to), "all") == 0)
    {
      inject->to_all = TRUE;
      /* The teams' own ids, not copies: 5,000 copies for each of a national exercise's injects
       * to all held most of its memory. A contingency's "all" is its inject's recipients, filled
       * in once every inject is read (wc_loader_resolve_triggers). */
      g_ptr_array_set_free_func (inject->to, NULL);
      for (guint k = 0; inject->trigger != WC_TRIGGER_NO_RESPONSE && k < L->team_ids->len; k++)
        g_ptr_array_add (inject->to, g_ptr_array_index (L->team_ids, k));
    }
  else if (to && to->type == WC_JSON_ARRAY)
    {
      WcJsonNode *array = to;

      if (array->v.children.length == 0)
        wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (to), &to_path, _("use \"all\" for every team"),
                _("an inject must go to at least one team"));
      for (WcJsonNode *el = array->v.children.first; el; el = el->next)
        {
          WcJsonNode *elem = el;
          Path ep = { &to_path, NULL, el->index };
          const char *team;

          if (!wc_loader_expect_type (L, elem, &ep, WC_JSON_STRING, N_("a team id")))
            continue;
          team = WC_JSON_STR (elem);
          if (wc_scenario_find_team (L->scenario, team) == NULL)
            {
              const char *closest = wc_closest_word (team, (const char *const *) L->team_ids->pdata);
              g_autofree char *hint = closest ? g_strdup_printf (_("did you mean \"%s\"?"), closest)
                                              : NULL;

              wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (elem), &ep, hint,
                      _("unknown team \"%s\""), team);
            }
          else if (g_ptr_array_find_with_equal_func (inject->to, team, g_str_equal, NULL))
            wc_loader_report (L, WC_SEVERITY_WARNING, node_pos (elem), &ep, NULL,
                    _("team \"%s\" is listed twice"), team);
          else
            g_ptr_array_add (inject->to, g_strdup (team));
        }
    }
  else if (to)
    wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (to), &to_path, NULL,
            _("expected \"all\" or an array of team ids, found %s"), wc_json_type_name (to->type));

  load_attachments (L, o, path, inject);
  /* options first: an expected action may be judged by the option chosen */
  load_options (L, o, path, inject);
  load_actions (L, o, path, inject);
  options = wc_json_object_get (o, "options");
  if (inject->channel == WC_CHANNEL_DECISION && options == NULL)
    wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (o), path, NULL,
            _("a decision inject needs \"options\", at least two"));
  else if (inject->channel == WC_CHANNEL_DECISION && options->type == WC_JSON_ARRAY &&
           options->v.children.length < 2)
    {
      Path op = { path, "options", 0 };

      wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (options), &op, NULL,
              _("a decision needs at least two options"));
    }
  else if (inject->channel != WC_CHANNEL_DECISION && options != NULL)
    {
      Path op = { path, "options", 0 };

      wc_loader_report (L, WC_SEVERITY_ERROR, key_pos (options), &op, NULL,
              _("only a \"decision\" inject offers options"));
    }
  notes = wc_loader_get_string (L, o, "notes", path, FALSE);
  inject->notes = g_strdup (notes);
  if ((incident = wc_loader_get_member (L, o, "incident", path, FALSE)) != NULL &&
      wc_loader_expect_type (L, incident, &incident_path, WC_JSON_BOOLEAN, N_("true or false")))
    inject->incident = incident->v.boolean;

  wc_scenario_add_inject (L->scenario, inject);
  g_ptr_array_add (L->inject_objects, o);
}

