/* wc-import-cexf.c: a MISP Common Exercise Format (CEXF) exercise into a Whitecell scenario.
 *
 * CEXF describes an exercise as injects, a flow that starts them ("startex", or the resolution of
 * an earlier inject), payloads (an e-mail as a base64 file, a TCP connection) and evaluation rules
 * for a target tool. E-mails and files become messages with attachments, evaluation rules become
 * expected actions judged by a person, network payloads are skipped. CEXF has no teams: the
 * export (wc-export-cexf.c) keeps Whitecell's in "x-whitecell-…" members, read back here.
 */
#define G_LOG_DOMAIN "wc-import-cexf"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-import-formats-private.h"

typedef struct {
  const char       *path;
  WcImportReport   *report;
  WcFormatsStaging  staging;
  GHashTable       *payloads;    /* uuid → node */
  GHashTable       *flow;        /* inject uuid → flow node */
  GHashTable       *ids;         /* inject uuid → whitecell id */
  GHashTable       *used;
  GHashTable       *team_ids;    /* whitecell team ids */
} Cx;

static const char *
first_trigger (const WcJsonNode *flow)
{
  const WcJsonNode *seq = wc_formats_get_object (flow, "sequence");
  const WcJsonNode *t = seq ? wc_json_object_get (seq, "trigger") : wc_json_object_get (flow,
                                                                                        "trigger");

  if (t && t->type == WC_JSON_STRING)
    return t->v.string;
  if (t && t->type == WC_JSON_ARRAY && t->v.children.first &&
      t->v.children.first->type == WC_JSON_STRING)
    return t->v.children.first->v.string;
  return NULL;
}

/* "Event.info contains phishing, CEO": a rule as a person would read it. */
static void
describe_parameters (const WcJsonNode *p,
                     GString          *out,
                     guint             depth)
{
  if (p == NULL || depth > 8 || out->len > 2000)
    return;
  switch (p->type)
    {
    case WC_JSON_ARRAY:
      for (const WcJsonNode *c = p->v.children.first; c; c = c->next)
        describe_parameters (c, out, depth + 1);
      break;
    case WC_JSON_OBJECT:
      for (const WcJsonNode *c = p->v.children.first; c; c = c->next)
        {
          const char *cmp = wc_formats_get_string (c, "comparison");
          const WcJsonNode *values = wc_formats_get_array (c, "values");

          if (cmp == NULL)
            {
              describe_parameters (c, out, depth + 1);
              continue;
            }
          g_string_append_printf (out, "%s%s %s", out->len ? "; " : "", c->key, cmp);
          for (const WcJsonNode *v = values ? values->v.children.first : NULL; v; v = v->next)
            {
              const char *value = v->type == WC_JSON_STRING ? v->v.string
                                  : wc_formats_get_string (v, "value");

              if (v->type == WC_JSON_INTEGER)
                g_string_append_printf (out, "%s%" G_GINT64_FORMAT, v == values->v.children.first
                                        ? " " : ", ", v->v.integer);
              else if (value)
                g_string_append_printf (out, "%s%s", v == values->v.children.first ? " " : ", ",
                                        value);
            }
        }
      break;
    default:
      break;
    }
}

static JsonArray *
read_evaluation (Cx               *cx,
                 const WcJsonNode *inject,
                 const char       *source)
{
  const WcJsonNode *list = wc_formats_get_array (inject, "inject_evaluation");
  JsonArray *actions = json_array_new ();
  guint n = 0;

  for (const WcJsonNode *e = list ? list->v.children.first : NULL; e; e = e->next)
    {
      const char *result = wc_formats_get_string (e, "result");
      const char *wc_id = wc_formats_get_string (e, "x-whitecell-id");
      const char *judge = wc_formats_get_string (e, "x-whitecell-judge");
      g_autoptr(GString) text = g_string_new (result ? result : _("Evaluation"));
      g_autoptr(GString) rule = g_string_new (NULL);
      g_autofree char *id = NULL;
      JsonObject *a = json_object_new ();
      gint64 deadline;

      describe_parameters (wc_json_object_get (e, "parameters"), rule, 0);
      if (rule->len)
        g_string_append_printf (text, " (%s)", rule->str);
      id = wc_id ? g_strdup (wc_id) : g_strdup_printf ("a%u", n + 1);
      n++;
      json_object_set_string_member (a, "id", id);
      json_object_set_string_member (a, "text", text->str);
      if (wc_formats_get_int (e, "x-whitecell-deadline", &deadline) && deadline > 0 &&
          deadline < WC_SCENARIO_MAX_DURATION_MS / 1000)
        wc_formats_set_time (a, "deadline", deadline * 1000);
      json_object_set_string_member (a, "judge", judge ? judge : "manual");
      json_array_add_object_element (actions, a);
      wc_import_report_add (cx->report, WC_MAPPING_MAPPED, source,
                            _("evaluation \"%s\" → expected action %s, judged by a person"),
                            result ? result : "?", id);
    }
  return actions;
}

/* A payload: a file becomes an attachment, and a text (an e-mail) the body as well. */
static void
read_payload (Cx               *cx,
              const WcJsonNode *payload,
              JsonObject       *out,
              GString          *body,
              const char       *source)
{
  const char *type = wc_formats_get_string (payload, "type");
  const WcJsonNode *params = wc_formats_get_object (payload, "parameters");
  const char *content = wc_formats_get_string (params, "content");
  const char *encoding = wc_formats_get_string (params, "content-type");
  const char *filename = wc_formats_get_string (params, "filename");
  g_autofree guchar *data = NULL;
  g_autofree char *file = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  JsonArray *attachments;
  JsonObject *a;

  if (g_strcmp0 (type, "file") != 0 || content == NULL)
    {
      wc_import_report_add (cx->report, WC_MAPPING_SKIPPED, source,
                            _("payload of type \"%s\" is for machines, not people"),
                            type ? type : "?");
      return;
    }
  if (encoding && g_ascii_strcasecmp (encoding, "base64") == 0)
    data = g_base64_decode (content, &length);
  else
    {
      data = (guchar *) g_strdup (content);
      length = strlen (content);
    }
  if (filename == NULL)
    filename = "payload.bin";
  if (length <= WC_SCENARIO_MAX_TEXT && g_utf8_validate ((const char *) data, length, NULL) &&
      memchr (data, '\0', length) == NULL)
    {
      g_string_append_len (body, (const char *) data, length);
      wc_import_report_add (cx->report, WC_MAPPING_MAPPED, source,
                            _("payload \"%s\" (text) → the body"), filename);
      /* the Whitecell export's own body file is only that */
      if (wc_formats_get_string (payload, "x-whitecell-body"))
        return;
    }
  file = wc_formats_staging_write (&cx->staging, filename, data, length, &error);
  if (file == NULL)
    {
      wc_import_report_add (cx->report, WC_MAPPING_WARNING, source,
                            _("payload \"%s\" cannot be unpacked: %s"), filename, error->message);
      return;
    }
  attachments = json_array_new ();
  a = json_object_new ();
  json_object_set_string_member (a, "file", file);
  json_object_set_string_member (a, "media_type", wc_formats_media_type (filename));
  json_object_set_string_member (a, "title", filename);
  json_array_add_object_element (attachments, a);
  json_object_set_array_member (out, "attachments", attachments);
  wc_import_report_add (cx->report, WC_MAPPING_MAPPED, source, _("payload \"%s\" → attachment %s"),
                        filename, file);
}

static gboolean
channel_of (const char  *action,
            const char **channel)
{
  WcChannel c;

  if (g_strcmp0 (action, "email_to_participants") == 0)
    {
      *channel = "email";
      return TRUE;
    }
  if (action && g_str_has_prefix (action, "x-whitecell-") &&
      wc_channel_from_string (action + strlen ("x-whitecell-"), &c))
    {
      *channel = wc_channel_to_string (c);
      return TRUE;
    }
  return FALSE;
}

static void
set_timing (Cx               *cx,
            const WcJsonNode *flow,
            JsonObject       *out,
            const char       *source,
            gint64           *at_ms)
{
  const char *trigger = flow ? first_trigger (flow) : NULL;
  const WcJsonNode *req = wc_formats_get_object (flow, "requirements");
  const char *parent = wc_formats_get_string (req, "inject_uuid");
  const char *parent_id = parent ? g_hash_table_lookup (cx->ids, parent) : NULL;
  const WcJsonNode *timing = wc_formats_get_object (flow, "timing");
  gint64 secs = 0, delay = 0;

  if (!wc_formats_get_int (timing, "triggered_at", &secs) || secs < 0 ||
      secs > WC_SCENARIO_MAX_DURATION_MS / 1000)
    secs = 0;
  if (!wc_formats_get_int (timing, "delay", &delay) || delay < 0 ||
      delay > WC_SCENARIO_MAX_DURATION_MS / 1000)
    delay = 0;
  *at_ms = secs * 1000;
  if (g_strcmp0 (trigger, "manual") == 0)
    {
      JsonObject *t = json_object_new ();

      json_object_set_string_member (t, "type", "manual");
      json_object_set_object_member (out, "trigger", t);
      wc_import_report_add (cx->report, WC_MAPPING_MAPPED, source, _("trigger manual"));
      return;
    }
  if (trigger && parent_id && (strcmp (trigger, "inject-resolution") == 0 ||
                               strcmp (trigger, "no-response") == 0))
    {
      JsonObject *t = json_object_new ();
      gboolean contingency = strcmp (trigger, "no-response") == 0;

      json_object_set_string_member (t, "type", contingency ? "no-response" : "after");
      json_object_set_string_member (t, "inject", parent_id);
      wc_formats_set_time (t, contingency ? "within" : "delay", delay * 1000);
      json_object_set_object_member (out, "trigger", t);
      *at_ms = -1;
      wc_import_report_add (cx->report, WC_MAPPING_MAPPED, source,
                            _("trigger %s → after inject %s (the resolution is judged by a "
                              "person; the inject follows it)"), trigger, parent_id);
      return;
    }
  if (trigger == NULL || strcmp (trigger, "startex") != 0)
    wc_import_report_add (cx->report, WC_MAPPING_GUESSED, source,
                          _("trigger \"%s\" not understood: at T+%llds"),
                          trigger ? trigger : _("none"), (long long) secs);
  wc_formats_set_time (out, "at", *at_ms);
}

static JsonArray *
read_teams (Cx               *cx,
            const WcJsonNode *exercise)
{
  const WcJsonNode *meta = wc_formats_get_object (exercise, "meta");
  const WcJsonNode *list = wc_formats_get_array (meta, "x-whitecell-teams");
  JsonArray *teams = json_array_new ();

  for (const WcJsonNode *t = list ? list->v.children.first : NULL; t; t = t->next)
    {
      const char *id = wc_formats_get_string (t, "id");
      const char *name = wc_formats_get_string (t, "name");
      const char *kind = wc_formats_get_string (t, "kind");
      WcTeamKind k;
      JsonObject *team;

      if (id == NULL || name == NULL || g_hash_table_contains (cx->team_ids, id))
        continue;
      team = json_object_new ();
      json_object_set_string_member (team, "id", id);
      json_object_set_string_member (team, "name", name);
      json_object_set_string_member (team, "kind",
                                     kind && wc_team_kind_from_string (kind, &k) ? kind : "other");
      json_array_add_object_element (teams, team);
      g_hash_table_add (cx->team_ids, g_strdup (id));
      wc_import_report_add (cx->report, WC_MAPPING_MAPPED, "x-whitecell-teams", _("team %s"), id);
    }
  if (json_array_get_length (teams) == 0)
    wc_formats_add_default_team (teams, cx->team_ids, cx->report, "exercise",
                                 _("CEXF names no teams: one team \"Players\""));
  return teams;
}

static void
set_recipients (Cx               *cx,
                const WcJsonNode *inject,
                JsonObject       *out)
{
  const WcJsonNode *to = wc_json_object_get (inject, "x-whitecell-to");
  JsonArray *list = json_array_new ();

  for (const WcJsonNode *t = to && to->type == WC_JSON_ARRAY ? to->v.children.first : NULL; t;
       t = t->next)
    if (t->type == WC_JSON_STRING && g_hash_table_contains (cx->team_ids, t->v.string))
      json_array_add_string_element (list, t->v.string);
  if (json_array_get_length (list) == 0)
    {
      json_array_unref (list);
      json_object_set_string_member (out, "to", "all");
      return;
    }
  json_object_set_array_member (out, "to", list);
}

static void
set_options (const WcJsonNode *inject,
             JsonObject       *out,
             const char      **channel)
{
  const WcJsonNode *list = wc_formats_get_array (inject, "x-whitecell-options");
  JsonArray *options = json_array_new ();

  for (const WcJsonNode *o = list ? list->v.children.first : NULL; o; o = o->next)
    {
      const char *id = wc_formats_get_string (o, "id");
      const char *text = wc_formats_get_string (o, "text");
      JsonObject *opt;

      if (id == NULL || text == NULL)
        continue;
      opt = json_object_new ();
      json_object_set_string_member (opt, "id", id);
      json_object_set_string_member (opt, "text", text);
      json_array_add_object_element (options, opt);
    }
  if (json_array_get_length (options) >= 2 && strcmp (*channel, "decision") == 0)
    json_object_set_array_member (out, "options", options);
  else
    {
      json_array_unref (options);
      if (strcmp (*channel, "decision") == 0)
        *channel = "email";
    }
}

static WcScenario *
convert (Cx               *cx,
         const WcJsonNode *root,
         GError          **error)
{
  const WcJsonNode *exercise = wc_formats_get_object (root, "exercise");
  const WcJsonNode *injects = wc_formats_get_array (root, "injects");
  const WcJsonNode *flow = wc_formats_get_array (root, "inject_flow");
  const WcJsonNode *payloads = wc_formats_get_array (root, "inject_payloads");
  const char *name = wc_formats_get_string (exercise, "name");
  const char *desc = wc_formats_get_string (exercise, "description");
  const char *expanded = wc_formats_get_string (exercise, "expanded");
  const char *uuid = wc_formats_get_string (exercise, "x-whitecell-id")
                     ? wc_formats_get_string (exercise, "x-whitecell-id")
                     : wc_formats_get_string (exercise, "uuid");
  g_autoptr(GHashTable) ex_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *ex_id = wc_formats_make_id (uuid ? uuid : name, "cexf", ex_ids);
  g_autofree char *description = NULL;
  JsonArray *out_injects = json_array_new ();
  g_autoptr(JsonArray) teams = read_teams (cx, exercise);  /* recipients are checked against them */
  JsonObject *doc;
  gint64 latest = 0, total = 0;

  for (const WcJsonNode *p = payloads ? payloads->v.children.first : NULL; p; p = p->next)
    if (wc_formats_get_string (p, "uuid"))
      g_hash_table_insert (cx->payloads, (gpointer) wc_formats_get_string (p, "uuid"), (gpointer) p);
  for (const WcJsonNode *f = flow ? flow->v.children.first : NULL; f; f = f->next)
    if (wc_formats_get_string (f, "inject_uuid"))
      g_hash_table_insert (cx->flow, (gpointer) wc_formats_get_string (f, "inject_uuid"),
                           (gpointer) f);

  /* ids first: a flow may name an inject that comes later in the file */
  for (const WcJsonNode *i = injects ? injects->v.children.first : NULL; i; i = i->next)
    {
      const char *iuuid = wc_formats_get_string (i, "uuid");
      const char *iname = wc_formats_get_string (i, "name");
      const char *channel;
      g_autofree char *source = g_strdup_printf ("inject \"%s\"", iname ? iname : "?");

      if (iuuid == NULL || g_hash_table_contains (cx->ids, iuuid))
        {
          wc_import_report_add (cx->report, WC_MAPPING_DROPPED, source,
                                _("no uuid, or one given twice (line %u)"), i->pos.line);
          continue;
        }
      if (!channel_of (wc_formats_get_string (i, "action"), &channel))
        {
          wc_import_report_add (cx->report, WC_MAPPING_SKIPPED, source,
                                _("action \"%s\" (%s) is for machines, not people"),
                                wc_formats_get_string (i, "action") ? wc_formats_get_string (i, "action") : "?",
                                wc_formats_get_string (i, "target_tool") ? wc_formats_get_string (i, "target_tool") : "?");
          continue;
        }
      g_hash_table_insert (cx->ids, (gpointer) iuuid,
                           wc_formats_make_id (wc_formats_get_string (i, "x-whitecell-id")
                                               ? wc_formats_get_string (i, "x-whitecell-id")
                                               : iuuid, "inject", cx->used));
    }
  if (g_hash_table_size (cx->ids) == 0)
    {
      json_array_unref (out_injects);
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID,
                   _("%s: no inject Whitecell can play (see the report for why each was "
                     "skipped)"), cx->path);
      return NULL;
    }

  for (const WcJsonNode *i = injects->v.children.first; i; i = i->next)
    {
      const char *iuuid = wc_formats_get_string (i, "uuid");
      const char *id = iuuid ? g_hash_table_lookup (cx->ids, iuuid) : NULL;
      const char *iname = wc_formats_get_string (i, "name");
      const char *payload_id = wc_formats_get_string (i, "action_payload_resource_uuid");
      const WcJsonNode *payload = payload_id ? g_hash_table_lookup (cx->payloads, payload_id) : NULL;
      const WcJsonNode *f = g_hash_table_lookup (cx->flow, iuuid ? iuuid : "");
      const char *fdesc = wc_formats_get_string (f, "description");
      const char *channel = "email";
      g_autofree char *source = g_strdup_printf ("inject \"%s\"", iname ? iname : "?");
      g_autoptr(GString) body = g_string_new (NULL);
      JsonObject *out;
      JsonArray *actions;
      gint64 at_ms;

      if (id == NULL)
        continue;
      channel_of (wc_formats_get_string (i, "action"), &channel);
      out = json_object_new ();
      json_object_set_string_member (out, "id", id);
      if (f == NULL)
        wc_import_report_add (cx->report, WC_MAPPING_GUESSED, source,
                              _("not in the inject_flow: at the start"));
      set_timing (cx, f, out, source, &at_ms);
      latest = MAX (latest, at_ms);
      set_recipients (cx, i, out);
      json_object_set_string_member (out, "title", iname ? iname : id);
      if (payload)
        read_payload (cx, payload, out, body, source);
      else if (payload_id)
        wc_import_report_add (cx->report, WC_MAPPING_WARNING, source,
                              _("payload %s is not in inject_payloads"), payload_id);
      if (body->len == 0)
        g_string_assign (body, fdesc ? fdesc : iname ? iname : id);
      else if (fdesc)
        json_object_set_string_member (out, "notes", fdesc);
      json_object_set_string_member (out, "body", body->str);
      set_options (i, out, &channel);
      json_object_set_string_member (out, "channel", channel);
      actions = read_evaluation (cx, i, source);
      if (json_array_get_length (actions) > 0)
        json_object_set_array_member (out, "expected_actions", actions);
      else
        json_array_unref (actions);
      if (wc_formats_get_string (i, "target_tool"))
        wc_import_report_add (cx->report, WC_MAPPING_DROPPED, source,
                              _("target_tool \"%s\": evaluations are judged by a person"),
                              wc_formats_get_string (i, "target_tool"));
      json_array_add_object_element (out_injects, out);
    }

  if (name == NULL || *name == '\0')
    name = "CEXF exercise";
  description = expanded && desc ? g_strdup_printf ("%s\n\n%s", desc, expanded)
                                 : g_strdup (desc ? desc : expanded);
  if (wc_formats_get_int (exercise, "total_duration", &total) && total > 0 &&
      total * 1000 <= WC_SCENARIO_MAX_DURATION_MS && total * 1000 > latest)
    wc_import_report_add (cx->report, WC_MAPPING_MAPPED, "total_duration", _("duration"));
  else
    {
      total = wc_formats_duration_for (latest) / 1000;
      wc_import_report_add (cx->report, WC_MAPPING_GUESSED, "total_duration",
                            _("absent or too short: from the last inject"));
    }
  wc_import_report_add (cx->report, WC_MAPPING_DROPPED, "tags / namespace / version / valid_until",
                        _("exercise metadata with no place in a scenario"));
  doc = wc_formats_new_document (ex_id, name, description, total * 1000);
  json_object_set_array_member (doc, "teams", g_steal_pointer (&teams));
  json_object_set_array_member (doc, "injects", out_injects);
  return wc_formats_finish (doc, cx->path, &cx->staging, cx->report, error);
}

WcScenario *
wc_import_cexf (const char      *path,
                WcImportReport  *report,
                GError         **error)
{
  g_autoptr(WcJsonDocument) jdoc = wc_formats_read_json (path, error);
  const WcJsonNode *root;
  Cx cx = { path, report, { NULL }, NULL, NULL, NULL, NULL, NULL };
  WcScenario *scenario;

  if (jdoc == NULL)
    return NULL;
  root = wc_json_document_get_root (jdoc);
  if (wc_formats_get_object (root, "exercise") == NULL ||
      wc_formats_get_array (root, "injects") == NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_UNKNOWN_FORMAT,
                   _("%s: not a CEXF exercise (no \"exercise\" object and \"injects\" array)"),
                   path);
      return NULL;
    }
  wc_import_report_add (report, WC_MAPPING_MAPPED, "exercise", _("a MISP CEXF exercise"));
  cx.payloads = g_hash_table_new (g_str_hash, g_str_equal);
  cx.flow = g_hash_table_new (g_str_hash, g_str_equal);
  cx.ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  cx.used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  cx.team_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scenario = convert (&cx, root, error);
  wc_formats_staging_clear (&cx.staging);
  g_hash_table_unref (cx.payloads);
  g_hash_table_unref (cx.flow);
  g_hash_table_unref (cx.ids);
  g_hash_table_unref (cx.used);
  g_hash_table_unref (cx.team_ids);
  return scenario;
}
