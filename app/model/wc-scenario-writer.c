/* wc-scenario-writer.c: a scenario model back to the version-1 JSON format. */
#define G_LOG_DOMAIN "wc-scenario-writer"

#include "config.h"

#include "wc-scenario-loader.h"

static void
add_text (JsonBuilder  *b,
          const char   *name,
          const WcText *text)
{
  g_autofree const char **langs = NULL;

  if (text == NULL)
    return;
  json_builder_set_member_name (b, name);
  if (wc_text_is_plain (text))
    {
      json_builder_add_string_value (b, wc_text_get_exact (text, NULL));
      return;
    }
  langs = wc_text_get_languages (text);
  json_builder_begin_object (b);
  for (guint i = 0; langs[i]; i++)
    {
      json_builder_set_member_name (b, langs[i]);
      json_builder_add_string_value (b, wc_text_get_exact (text, langs[i]));
    }
  json_builder_end_object (b);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       ms)
{
  g_autofree char *str = wc_time_format (ms, TRUE);

  add_string (b, name, str);
}

static void
add_inject (JsonBuilder    *b,
            WcScenario     *scenario,
            const WcInject *inject)
{
  json_builder_begin_object (b);
  add_string (b, "id", inject->id);
  switch (inject->trigger)
    {
    case WC_TRIGGER_AT:
      add_time (b, "at", inject->at_ms);
      break;
    case WC_TRIGGER_AFTER:
    case WC_TRIGGER_NO_RESPONSE:
      json_builder_set_member_name (b, "trigger");
      json_builder_begin_object (b);
      add_string (b, "type", wc_trigger_kind_to_string (inject->trigger));
      add_string (b, "inject", inject->trigger_inject);
      add_time (b, inject->trigger == WC_TRIGGER_AFTER ? "delay" : "within",
                inject->trigger_delay_ms);
      json_builder_end_object (b);
      break;
    case WC_TRIGGER_MANUAL:
    default:
      json_builder_set_member_name (b, "trigger");
      json_builder_begin_object (b);
      add_string (b, "type", "manual");
      json_builder_end_object (b);
      break;
    }
  add_string (b, "channel", wc_channel_to_string (inject->channel));
  add_string (b, "from", inject->from);
  json_builder_set_member_name (b, "to");
  if (inject->to_all)
    json_builder_add_string_value (b, "all");
  else
    {
      json_builder_begin_array (b);
      for (guint i = 0; i < inject->to->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (inject->to, i));
      json_builder_end_array (b);
    }
  if (inject->tlp != wc_scenario_get_tlp (scenario))
    add_string (b, "tlp", wc_tlp_to_string (inject->tlp));
  add_text (b, "title", inject->title);
  add_text (b, "body", inject->body);
  if (inject->attachments->len > 0)
    {
      json_builder_set_member_name (b, "attachments");
      json_builder_begin_array (b);
      for (guint i = 0; i < inject->attachments->len; i++)
        {
          const WcAttachment *a = g_ptr_array_index (inject->attachments, i);

          json_builder_begin_object (b);
          add_string (b, "file", a->file);
          add_string (b, "media_type", a->media_type);
          add_text (b, "title", a->title);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  if (inject->expected_actions->len > 0)
    {
      json_builder_set_member_name (b, "expected_actions");
      json_builder_begin_array (b);
      for (guint i = 0; i < inject->expected_actions->len; i++)
        {
          const WcExpectedAction *a = g_ptr_array_index (inject->expected_actions, i);

          json_builder_begin_object (b);
          add_string (b, "id", a->id);
          add_text (b, "text", a->text);
          if (a->deadline_ms >= 0)
            add_time (b, "deadline", a->deadline_ms);
          add_string (b, "objective", a->objective);
          if (a->judge != WC_JUDGE_MANUAL)
            {
              g_autofree char *judge = wc_judge_rule_to_string (a->judge, a->judge_option);

              add_string (b, "judge", judge);
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  if (inject->options->len > 0)
    {
      json_builder_set_member_name (b, "options");
      json_builder_begin_array (b);
      for (guint i = 0; i < inject->options->len; i++)
        {
          const WcDecisionOption *o = g_ptr_array_index (inject->options, i);

          json_builder_begin_object (b);
          add_string (b, "id", o->id);
          add_text (b, "text", o->text);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  add_string (b, "notes", inject->notes);
  if (inject->incident)
    {
      json_builder_set_member_name (b, "incident");
      json_builder_add_boolean_value (b, TRUE);
    }
  json_builder_end_object (b);
}

static void
add_selectors (JsonBuilder *b,
               const char  *name,
               GPtrArray   *selectors)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < selectors->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (selectors, i));
  json_builder_end_array (b);
}

static void
add_coordination (JsonBuilder          *b,
                  const WcCoordination *c)
{
  json_builder_set_member_name (b, "coordination");
  json_builder_begin_object (b);
  if (c->matrix)
    {
      json_builder_set_member_name (b, "matrix");
      json_builder_begin_array (b);
      for (guint i = 0; i < c->matrix->len; i++)
        {
          const WcMatrixRule *rule = g_ptr_array_index (c->matrix, i);

          json_builder_begin_object (b);
          add_string (b, "from", rule->from);
          add_selectors (b, "to", rule->to);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  if (c->authorities)
    add_selectors (b, "authorities", c->authorities);
  for (guint i = 0; i < WC_N_STAGES; i++)
    if (c->deadlines[i] >= 0)
      {
        json_builder_set_member_name (b, "deadlines");
        json_builder_begin_object (b);
        for (guint k = 0; k < WC_N_STAGES; k++)
          if (c->deadlines[k] >= 0)
            add_time (b, wc_notification_stage_to_string (k), c->deadlines[k]);
        json_builder_end_object (b);
        break;
      }
  json_builder_end_object (b);
}

JsonNode *
wc_scenario_to_json (WcScenario *scenario)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *const *langs = wc_scenario_get_languages (scenario);

  json_builder_begin_object (b);
  add_string (b, "format", "whitecell-scenario");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);

  json_builder_set_member_name (b, "exercise");
  json_builder_begin_object (b);
  add_string (b, "id", wc_scenario_get_id (scenario));
  add_text (b, "title", wc_scenario_get_title (scenario));
  add_text (b, "description", wc_scenario_get_description (scenario));
  if (wc_scenario_get_n_objectives (scenario) > 0)
    {
      json_builder_set_member_name (b, "objectives");
      json_builder_begin_array (b);
      for (guint i = 0; i < wc_scenario_get_n_objectives (scenario); i++)
        {
          const WcObjective *o = wc_scenario_get_objective (scenario, i);

          json_builder_begin_object (b);
          add_string (b, "id", o->id);
          add_text (b, "text", o->text);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  add_string (b, "tlp", wc_tlp_to_string (wc_scenario_get_tlp (scenario)));
  json_builder_set_member_name (b, "languages");
  json_builder_begin_array (b);
  for (guint i = 0; langs[i]; i++)
    json_builder_add_string_value (b, langs[i]);
  json_builder_end_array (b);
  add_string (b, "default_language", wc_scenario_get_default_language (scenario));
  add_time (b, "duration", wc_scenario_get_duration_ms (scenario));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "teams");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    {
      const WcTeam *t = wc_scenario_get_team (scenario, i);

      json_builder_begin_object (b);
      add_string (b, "id", t->id);
      add_text (b, "name", t->name);
      add_string (b, "kind", wc_team_kind_to_string (t->kind));
      add_string (b, "language", t->language);
      add_string (b, "webhook", t->webhook);
      add_string (b, "contact", t->contact);
      add_string (b, "sector", t->sector);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "actors");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_scenario_get_n_actors (scenario); i++)
    {
      const WcActor *a = wc_scenario_get_actor (scenario, i);

      json_builder_begin_object (b);
      add_string (b, "id", a->id);
      add_text (b, "name", a->name);
      add_text (b, "role", a->role);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (wc_scenario_get_n_staff (scenario) > 0)
    {
      json_builder_set_member_name (b, "staff");
      json_builder_begin_array (b);
      for (guint i = 0; i < wc_scenario_get_n_staff (scenario); i++)
        {
          const WcStaff *st = wc_scenario_get_staff (scenario, i);

          json_builder_begin_object (b);
          add_string (b, "id", st->id);
          add_string (b, "name", st->name);
          add_string (b, "role", wc_staff_role_to_string (st->role));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }

  json_builder_set_member_name (b, "injects");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_scenario_get_n_injects (scenario); i++)
    add_inject (b, scenario, wc_scenario_get_inject (scenario, i));
  json_builder_end_array (b);
  if (wc_scenario_get_coordination (scenario))
    add_coordination (b, wc_scenario_get_coordination (scenario));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

char *
wc_scenario_to_data (WcScenario *scenario,
                     gsize      *length)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = wc_scenario_to_json (scenario);

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, length);
}
