/* wc-export-cexf.c: a Whitecell scenario as a MISP Common Exercise Format (CEXF) exercise, for
 * the MISP exercise dashboard and other CEXF tools; wc_import_cexf() reads it back whole. */
#define G_LOG_DOMAIN "wc-export-cexf"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-cexf.h"
#include "wc-import.h"

/* CEXF wants UUIDs that stay fixed for the same exercise: made from the ids, not at random, so
 * that exporting twice gives the same file. */
static char *
stable_uuid (const char *scenario_id,
             const char *kind,
             const char *id)
{
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%s", scenario_id, kind, id);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  const char variant[] = "89ab";

  /* shaped as version 4, variant 1 */
  return g_strdup_printf ("%.8s-%.4s-4%.3s-%c%.3s-%.12s", hex, hex + 8, hex + 13,
                          variant[g_ascii_xdigit_value (hex[16]) & 3], hex + 17, hex + 20);
}

static const char *
text_of (WcScenario   *scenario,
         const WcText *text)
{
  const char *lang = wc_scenario_get_default_language (scenario);

  return text ? wc_text_get (text, lang, NULL) : "";
}

static void
add_exercise (JsonBuilder *b,
              WcScenario  *scenario)
{
  const char *id = wc_scenario_get_id (scenario);
  g_autofree char *uuid = stable_uuid (id, "exercise", id);
  g_autofree char *duration = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               wc_scenario_get_duration_ms (scenario) / 1000);
  const char *description = text_of (scenario, wc_scenario_get_description (scenario));

  json_builder_set_member_name (b, "exercise");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, description ? description : "");
  json_builder_set_member_name (b, "expanded");
  json_builder_add_string_value (b, description ? description : "");
  json_builder_set_member_name (b, "meta");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "author");
  json_builder_add_string_value (b, "Whitecell");
  json_builder_set_member_name (b, "x-whitecell-teams");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    {
      const WcTeam *team = wc_scenario_get_team (scenario, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, team->id);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, text_of (scenario, team->name));
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, wc_team_kind_to_string (team->kind));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, text_of (scenario, wc_scenario_get_title (scenario)));
  json_builder_set_member_name (b, "namespace");
  json_builder_add_string_value (b, "whitecell");
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "state:production");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "total_duration");
  json_builder_add_string_value (b, duration);
  json_builder_set_member_name (b, "uuid");
  json_builder_add_string_value (b, uuid);
  json_builder_set_member_name (b, "x-whitecell-id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, "1");
  json_builder_end_object (b);
}

static void
add_flow_step (JsonBuilder    *b,
               WcScenario     *scenario,
               const WcInject *inject)
{
  const char *sid = wc_scenario_get_id (scenario);
  g_autofree char *uuid = stable_uuid (sid, "inject", inject->id);
  const char *trigger = "startex";

  switch (inject->trigger)
    {
    case WC_TRIGGER_AFTER: trigger = "inject-resolution"; break;
    case WC_TRIGGER_NO_RESPONSE: trigger = "no-response"; break;
    case WC_TRIGGER_MANUAL: trigger = "manual"; break;
    case WC_TRIGGER_AT: default: break;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, inject->notes ? inject->notes : "");
  json_builder_set_member_name (b, "inject_uuid");
  json_builder_add_string_value (b, uuid);
  json_builder_set_member_name (b, "reporting_callback");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "requirements");
  json_builder_begin_object (b);
  if (inject->trigger == WC_TRIGGER_AFTER || inject->trigger == WC_TRIGGER_NO_RESPONSE)
    {
      g_autofree char *parent = stable_uuid (sid, "inject", inject->trigger_inject);

      json_builder_set_member_name (b, "inject_uuid");
      json_builder_add_string_value (b, parent);
      json_builder_set_member_name (b, "resolution_requirement");
      json_builder_add_string_value (b, inject->trigger == WC_TRIGGER_AFTER ? "completion"
                                                                            : "no-response");
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "sequence");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "completion_trigger");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "time_expiration");
  json_builder_add_string_value (b, "completion");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "followed_by");
  json_builder_begin_array (b);
  for (guint k = 0; k < wc_scenario_get_n_injects (scenario); k++)
    {
      const WcInject *child = wc_scenario_get_inject (scenario, k);

      if (g_strcmp0 (child->trigger_inject, inject->id) == 0 &&
          (child->trigger == WC_TRIGGER_AFTER || child->trigger == WC_TRIGGER_NO_RESPONSE))
        {
          g_autofree char *cuuid = stable_uuid (sid, "inject", child->id);

          json_builder_add_string_value (b, cuuid);
        }
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "trigger");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, trigger);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "timing");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "triggered_at");
  if (inject->trigger == WC_TRIGGER_AT)
    json_builder_add_int_value (b, inject->at_ms / 1000);
  else
    json_builder_add_null_value (b);
  if (inject->trigger == WC_TRIGGER_AFTER || inject->trigger == WC_TRIGGER_NO_RESPONSE)
    {
      json_builder_set_member_name (b, "delay");
      json_builder_add_int_value (b, inject->trigger_delay_ms / 1000);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_payload (JsonBuilder    *b,
             WcScenario     *scenario,
             const WcInject *inject)
{
  const char *sid = wc_scenario_get_id (scenario);
  g_autofree char *uuid = stable_uuid (sid, "payload", inject->id);
  const char *body = text_of (scenario, inject->body);
  g_autofree char *content = g_base64_encode ((const guchar *) body, strlen (body));
  g_autofree char *filename = g_strdup_printf ("%s.txt", inject->id);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, inject->id);
  json_builder_set_member_name (b, "parameters");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_add_string_value (b, content);
  json_builder_set_member_name (b, "content-type");
  json_builder_add_string_value (b, "base64");
  json_builder_set_member_name (b, "filename");
  json_builder_add_string_value (b, filename);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "file");
  json_builder_set_member_name (b, "uuid");
  json_builder_add_string_value (b, uuid);
  json_builder_set_member_name (b, "x-whitecell-body");
  json_builder_add_string_value (b, "text/plain");
  json_builder_end_object (b);
}

static void
add_inject (JsonBuilder    *b,
            WcScenario     *scenario,
            const WcInject *inject)
{
  const char *sid = wc_scenario_get_id (scenario);
  g_autofree char *uuid = stable_uuid (sid, "inject", inject->id);
  g_autofree char *payload = stable_uuid (sid, "payload", inject->id);
  g_autofree char *action = NULL;

  if (inject->channel == WC_CHANNEL_EMAIL)
    action = g_strdup ("email_to_participants");
  else
    action = g_strconcat ("x-whitecell-", wc_channel_to_string (inject->channel), NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "action");
  json_builder_add_string_value (b, action);
  json_builder_set_member_name (b, "action_payload_resource_uuid");
  json_builder_add_string_value (b, payload);
  json_builder_set_member_name (b, "inject_evaluation");
  json_builder_begin_array (b);
  for (guint k = 0; k < inject->expected_actions->len; k++)
    {
      const WcExpectedAction *a = g_ptr_array_index (inject->expected_actions, k);
      g_autofree char *judge = wc_judge_rule_to_string (a->judge, a->judge_option);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "parameters");
      json_builder_begin_array (b);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "result");
      json_builder_add_string_value (b, text_of (scenario, a->text));
      json_builder_set_member_name (b, "score_range");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, 0);
      json_builder_add_int_value (b, 10);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "x-whitecell-id");
      json_builder_add_string_value (b, a->id);
      json_builder_set_member_name (b, "x-whitecell-judge");
      json_builder_add_string_value (b, judge);
      if (a->deadline_ms >= 0)
        {
          json_builder_set_member_name (b, "x-whitecell-deadline");
          json_builder_add_int_value (b, a->deadline_ms / 1000);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, text_of (scenario, inject->title));
  json_builder_set_member_name (b, "target_tool");
  json_builder_add_string_value (b, "Whitecell");
  json_builder_set_member_name (b, "uuid");
  json_builder_add_string_value (b, uuid);
  json_builder_set_member_name (b, "x-whitecell-id");
  json_builder_add_string_value (b, inject->id);
  if (!inject->to_all)
    {
      json_builder_set_member_name (b, "x-whitecell-to");
      json_builder_begin_array (b);
      for (guint k = 0; k < inject->to->len; k++)
        json_builder_add_string_value (b, g_ptr_array_index (inject->to, k));
      json_builder_end_array (b);
    }
  if (inject->options->len > 0)
    {
      json_builder_set_member_name (b, "x-whitecell-options");
      json_builder_begin_array (b);
      for (guint k = 0; k < inject->options->len; k++)
        {
          const WcDecisionOption *o = g_ptr_array_index (inject->options, k);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, o->id);
          json_builder_set_member_name (b, "text");
          json_builder_add_string_value (b, text_of (scenario, o->text));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

JsonNode *
wc_export_cexf_to_json (WcScenario *scenario)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint n = wc_scenario_get_n_injects (scenario);

  json_builder_begin_object (b);
  add_exercise (b, scenario);
  json_builder_set_member_name (b, "inject_flow");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    add_flow_step (b, scenario, wc_scenario_get_inject (scenario, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "inject_payloads");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    add_payload (b, scenario, wc_scenario_get_inject (scenario, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "injects");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    add_inject (b, scenario, wc_scenario_get_inject (scenario, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
wc_export_cexf (WcScenario  *scenario,
                const char  *path,
                GError     **error)
{
  g_autoptr(JsonNode) root = wc_export_cexf_to_json (scenario);
  g_autofree char *data = json_to_string (root, TRUE);
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents (path, data, -1, &local_error))
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_IO, _("%s: cannot write: %s"), path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}
