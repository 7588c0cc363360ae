/* wc-json-views.c: the JSON views of an exercise that the team API, the event streams, the control
 * API and the webhooks share; built from the engine only, so that none of them needs another. */
#define G_LOG_DOMAIN "wc-json-views"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-json-views.h"

static const char *const status_names[] = { "pending", "held", "skipped", "fired" };

static void
add_ms_or_null (JsonBuilder *b,
                const char  *name,
                gint64       ms)
{
  json_builder_set_member_name (b, name);
  if (ms >= 0)
    json_builder_add_int_value (b, ms);
  else
    json_builder_add_null_value (b);
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
build_response (JsonBuilder      *b,
                const WcResponse *r)
{
  json_builder_begin_object (b);
  add_string_or_null (b, "text", r->text);
  add_string_or_null (b, "option", r->option);
  json_builder_set_member_name (b, "t_ms");
  json_builder_add_int_value (b, r->t_ms);
  json_builder_end_object (b);
}

/* The team's side of an inject with its latest answers only, at most @max_n of them and
 * @max_bytes of text: a team that answered a hundred times would otherwise make every list and
 * event as large as all its answers. "responses_total" tells how many there are. */
static void
build_team_state (JsonBuilder             *b,
                  const WcTeamInjectState *ts,
                  guint                    max_n,
                  gsize                    max_bytes)
{
  guint first = ts->responses->len;
  gsize bytes = 0;

  while (first > 0 && ts->responses->len - first < max_n)
    {
      const WcResponse *r = g_ptr_array_index (ts->responses, first - 1);
      gsize size = (r->text ? strlen (r->text) : 0) + (r->option ? strlen (r->option) : 0);

      if (bytes + size > max_bytes)
        break;
      bytes += size;
      first--;
    }
  json_builder_begin_object (b);
  add_ms_or_null (b, "delivered_ms", ts->delivered_ms);
  add_ms_or_null (b, "acknowledged_ms", ts->acknowledged_ms);
  json_builder_set_member_name (b, "responses");
  json_builder_begin_array (b);
  for (guint i = first; i < ts->responses->len; i++)
    build_response (b, g_ptr_array_index (ts->responses, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "responses_total");
  json_builder_add_int_value (b, ts->responses->len);
  json_builder_end_object (b);
}

/* The members of the exercise's object that change with the clock. */
static void
build_clock (JsonBuilder *b,
             WcEngine    *engine)
{
  add_string_or_null (b, "state", wc_engine_state_to_string (wc_engine_get_state (engine)));
  json_builder_set_member_name (b, "time_ms");
  json_builder_add_int_value (b, wc_engine_get_time (engine));
  json_builder_set_member_name (b, "speed");
  json_builder_add_double_value (b, wc_engine_get_speed (engine));
}

JsonNode *
wc_json_views_response (const WcResponse *response)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  build_response (b, response);
  return json_builder_get_root (b);
}

JsonNode *
wc_json_views_team_state (WcEngine   *engine,
                          const char *inject_id,
                          const char *team)
{
  const WcTeamInjectState *ts = wc_engine_get_team_state (engine, inject_id, team);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (ts != NULL, NULL);
  build_team_state (b, ts, G_MAXUINT, G_MAXSIZE);
  return json_builder_get_root (b);
}

JsonNode *
wc_json_views_responses_page (WcEngine   *engine,
                              const char *inject_id,
                              const char *team,
                              guint       offset,
                              guint       limit)
{
  const WcTeamInjectState *ts = wc_engine_get_team_state (engine, inject_id, team);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (ts != NULL, NULL);
  json_builder_begin_object (b);
  add_string_or_null (b, "inject", inject_id);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, ts->responses->len);
  json_builder_set_member_name (b, "offset");
  json_builder_add_int_value (b, offset);
  json_builder_set_member_name (b, "responses");
  json_builder_begin_array (b);
  for (guint i = offset; i < ts->responses->len && i - offset < limit; i++)
    build_response (b, g_ptr_array_index (ts->responses, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
wc_json_views_inject (WcEngine   *engine,
                      const char *inject_id,
                      const char *team,
                      const char *lang)
{
  return wc_json_views_inject_latest (engine, inject_id, team, lang, G_MAXUINT, G_MAXSIZE);
}

JsonNode *
wc_json_views_inject_latest (WcEngine   *engine,
                             const char *inject_id,
                             const char *team,
                             const char *lang,
                             guint       max_responses,
                             gsize       max_response_bytes)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *fallback = wc_scenario_get_default_language (scenario);
  const WcInject *inject = wc_engine_find_inject (engine, inject_id);
  const WcTeamInjectState *ts = wc_engine_get_team_state (engine, inject_id, team);
  const WcActor *actor = inject ? wc_scenario_find_actor (scenario, inject->from) : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (inject != NULL && ts != NULL, NULL);
  json_builder_begin_object (b);
  add_string_or_null (b, "id", inject->id);
  add_string_or_null (b, "channel", wc_channel_to_string (inject->channel));
  add_string_or_null (b, "sender", actor ? wc_text_get (actor->name, lang, fallback) : NULL);
  add_ms_or_null (b, "fired_ms", wc_engine_get_inject_fired_at (engine, inject_id));
  add_string_or_null (b, "tlp", wc_tlp_to_string (inject->tlp));
  add_string_or_null (b, "title", wc_text_get (inject->title, lang, fallback));
  add_string_or_null (b, "body", wc_text_get (inject->body, lang, fallback));
  if (inject->incident)
    {
      /* its delivery starts the team's NIS2 reporting clock, which the page counts down */
      json_builder_set_member_name (b, "incident");
      json_builder_add_boolean_value (b, TRUE);
    }
  json_builder_set_member_name (b, "attachments");
  json_builder_begin_array (b);
  for (guint i = 0; i < inject->attachments->len; i++)
    {
      const WcAttachment *a = g_ptr_array_index (inject->attachments, i);
      g_autofree char *name = g_path_get_basename (a->file);
      g_autofree char *escaped_id = g_uri_escape_string (inject->id, NULL, TRUE);
      g_autofree char *url = g_strdup_printf ("/api/v1/injects/%s/attachments/%u", escaped_id, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, i);
      add_string_or_null (b, "name", name);
      add_string_or_null (b, "media_type", a->media_type);
      add_string_or_null (b, "title", a->title ? wc_text_get (a->title, lang, fallback) : NULL);
      add_string_or_null (b, "url", url);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "options");
  json_builder_begin_array (b);
  for (guint i = 0; i < inject->options->len; i++)
    {
      const WcDecisionOption *o = g_ptr_array_index (inject->options, i);

      json_builder_begin_object (b);
      add_string_or_null (b, "id", o->id);
      add_string_or_null (b, "text", wc_text_get (o->text, lang, fallback));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "state");
  build_team_state (b, ts, max_responses, max_response_bytes);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
wc_json_views_exercise (WcEngine *engine)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  build_clock (b, engine);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
wc_json_views_me (WcEngine   *engine,
                  const char *team_id,
                  const char *lang)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *fallback = wc_scenario_get_default_language (scenario);
  const WcTeam *team = wc_scenario_find_team (scenario, team_id);
  const char *const *langs = wc_scenario_get_languages (scenario);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (team != NULL, NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "team");
  json_builder_begin_object (b);
  add_string_or_null (b, "id", team->id);
  add_string_or_null (b, "name", wc_text_get (team->name, lang, fallback));
  add_string_or_null (b, "kind", wc_team_kind_to_string (team->kind));
  add_string_or_null (b, "language", team->language);
  add_string_or_null (b, "sector", team->sector);
  json_builder_end_object (b);
  /* beside the TLP on every page: the marking in the team's own language */
  add_string_or_null (b, "marking",
                      wc_exercise_marking (team->language ? team->language : fallback));
  add_string_or_null (b, "kind", wc_team_kind_to_string (team->kind));
  add_string_or_null (b, "sector", team->sector);
  json_builder_set_member_name (b, "exercise");
  json_builder_begin_object (b);
  add_string_or_null (b, "id", wc_scenario_get_id (scenario));
  add_string_or_null (b, "title", wc_text_get (wc_scenario_get_title (scenario), lang, fallback));
  add_string_or_null (b, "tlp", wc_tlp_to_string (wc_scenario_get_tlp (scenario)));
  json_builder_set_member_name (b, "languages");
  json_builder_begin_array (b);
  for (guint i = 0; langs[i]; i++)
    json_builder_add_string_value (b, langs[i]);
  json_builder_end_array (b);
  add_string_or_null (b, "default_language", fallback);
  add_string_or_null (b, "language", lang);
  build_clock (b, engine);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Each team an inject reached, with what it did: what evaluators look at before judging. */
static void
build_recipients (JsonBuilder *b,
                  WcEngine    *engine,
                  const char  *inject_id)
{
  GPtrArray *teams = wc_engine_get_inject_teams (engine, inject_id);

  json_builder_set_member_name (b, "recipients");
  json_builder_begin_array (b);
  for (guint i = 0; teams && i < teams->len; i++)
    {
      const char *team = g_ptr_array_index (teams, i);
      const WcTeamInjectState *ts = wc_engine_get_team_state (engine, inject_id, team);

      json_builder_begin_object (b);
      add_string_or_null (b, "team", team);
      add_ms_or_null (b, "delivered_ms", ts->delivered_ms);
      add_ms_or_null (b, "acknowledged_ms", ts->acknowledged_ms);
      add_ms_or_null (b, "first_response_ms", ts->first_response_ms);
      json_builder_set_member_name (b, "responses_total");
      json_builder_add_int_value (b, ts->responses->len);
      add_string_or_null (b, "option", ts->option);
      add_string_or_null (b, "last_response", ts->last_response);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

JsonNode *
wc_json_views_control_state (WcEngine   *engine,
                             WcPresence *presence)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *lang = wc_scenario_get_default_language (scenario);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "exercise");
  json_builder_add_value (b, wc_json_views_exercise (engine));
  json_builder_set_member_name (b, "injects");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_engine_get_n_injects (engine); i++)
    {
      const WcInject *inject = wc_engine_get_inject (engine, i);
      WcInjectCounts counts;

      /* The applier's counts: the same figures as the controller's window and the reports. */
      wc_engine_get_inject_counts (engine, inject->id, &counts);
      json_builder_begin_object (b);
      add_string_or_null (b, "id", inject->id);
      add_string_or_null (b, "status",
                          status_names[wc_engine_get_inject_status (engine, inject->id)]);
      add_ms_or_null (b, "due_ms", wc_engine_get_inject_due (engine, inject->id));
      add_ms_or_null (b, "fired_ms", wc_engine_get_inject_fired_at (engine, inject->id));
      add_string_or_null (b, "title", wc_text_get (inject->title, lang, lang));
      add_string_or_null (b, "channel", wc_channel_to_string (inject->channel));
      build_recipients (b, engine, inject->id);
      json_builder_set_member_name (b, "teams");
      json_builder_add_int_value (b, counts.n_teams);
      json_builder_set_member_name (b, "acknowledged");
      json_builder_add_int_value (b, counts.n_acknowledged);
      json_builder_set_member_name (b, "responded");
      json_builder_add_int_value (b, counts.n_responded);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "teams");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    {
      const WcTeam *team = wc_scenario_get_team (scenario, i);
      gint64 seen = wc_presence_get_team_last_seen (presence, team->id);

      json_builder_begin_object (b);
      add_string_or_null (b, "id", team->id);
      json_builder_set_member_name (b, "connected");
      json_builder_add_boolean_value (b, wc_presence_is_team_connected (presence, team->id));
      json_builder_set_member_name (b, "last_seen");
      if (seen > 0)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (seen / G_USEC_PER_SEC);
          g_autofree char *iso = g_date_time_format_iso8601 (dt);

          json_builder_add_string_value (b, iso);
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
wc_json_views_record (guint64     seq,
                      const char *type,
                      JsonObject *data,
                      gint64      t_ms)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, seq);
  add_string_or_null (b, "type", type);
  json_builder_set_member_name (b, "t_ms");
  json_builder_add_int_value (b, t_ms);
  json_builder_set_member_name (b, "data");
  json_builder_add_value (b, json_node_init_object (json_node_alloc (), data));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Evaluation ------------------------------------------------------------------------------------ */

JsonNode *
wc_json_views_staff_me (WcEngine      *engine,
                        const WcStaff *staff)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *lang = wc_scenario_get_default_language (scenario);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "staff");
  json_builder_begin_object (b);
  add_string_or_null (b, "id", staff->id);
  add_string_or_null (b, "name", staff->name);
  add_string_or_null (b, "role", wc_staff_role_to_string (staff->role));
  json_builder_end_object (b);
  json_builder_set_member_name (b, "exercise");
  json_builder_begin_object (b);
  add_string_or_null (b, "id", wc_scenario_get_id (scenario));
  add_string_or_null (b, "title", wc_text_get (wc_scenario_get_title (scenario), lang, lang));
  add_string_or_null (b, "tlp", wc_tlp_to_string (wc_scenario_get_tlp (scenario)));
  build_clock (b, engine);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
build_judgement (JsonBuilder       *b,
                 const WcJudgement *j)
{
  add_string_or_null (b, "verdict", wc_verdict_to_string (j->verdict));
  json_builder_set_member_name (b, "automatic");
  json_builder_add_boolean_value (b, j->automatic);
  add_ms_or_null (b, "t_ms", j->t_ms);
}

static void
build_assessment (JsonBuilder            *b,
                  WcEngine               *engine,
                  const char             *inject_id,
                  const char             *team,
                  const WcExpectedAction *action)
{
  WcJudgement j;

  wc_engine_get_judgement (engine, inject_id, team, action, &j);
  json_builder_begin_object (b);
  add_string_or_null (b, "inject", inject_id);
  add_string_or_null (b, "team", team);
  add_string_or_null (b, "action", action->id);
  build_judgement (b, &j);
  add_string_or_null (b, "by", j.by);
  add_string_or_null (b, "note", j.note);
  json_builder_end_object (b);
}

JsonNode *
wc_json_views_assessment (WcEngine               *engine,
                          const char             *inject_id,
                          const char             *team,
                          const WcExpectedAction *action)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  build_assessment (b, engine, inject_id, team, action);
  return json_builder_get_root (b);
}

JsonNode *
wc_json_views_assessments (WcEngine   *engine,
                           const char *inject_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_engine_get_n_injects (engine); i++)
    {
      const WcInject *inject = wc_engine_get_inject (engine, i);
      GPtrArray *teams = wc_engine_get_inject_teams (engine, inject->id);

      if (inject_id && strcmp (inject->id, inject_id) != 0)
        continue;
      for (guint t = 0; teams && t < teams->len; t++)
        for (guint a = 0; a < inject->expected_actions->len; a++)
          build_assessment (b, engine, inject->id, g_ptr_array_index (teams, t),
                            g_ptr_array_index (inject->expected_actions, a));
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
wc_json_views_to_assess (WcEngine *engine)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *lang = wc_scenario_get_default_language (scenario);
  g_autoptr(GArray) items = wc_engine_list_to_assess (engine);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < items->len; i++)
    {
      const WcAssessItem *item = &g_array_index (items, WcAssessItem, i);
      const WcTeam *team = wc_scenario_find_team (scenario, item->team);
      const WcTeamInjectState *ts = wc_engine_get_team_state (engine, item->inject->id,
                                                              item->team);
      gint64 from = ts->delivered_ms >= 0 ? ts->delivered_ms : ts->reached_ms;

      json_builder_begin_object (b);
      add_string_or_null (b, "inject", item->inject->id);
      add_string_or_null (b, "inject_title", wc_text_get (item->inject->title, lang, lang));
      add_string_or_null (b, "team", item->team);
      add_string_or_null (b, "team_name", team ? wc_text_get (team->name, lang, lang) : NULL);
      add_string_or_null (b, "action", item->action->id);
      add_string_or_null (b, "action_text", wc_text_get (item->action->text, lang, lang));
      add_string_or_null (b, "objective", item->action->objective);
      add_ms_or_null (b, "due_ms", item->action->deadline_ms >= 0 && from >= 0
                                   ? from + item->action->deadline_ms : -1);
      json_builder_set_member_name (b, "proposal");
      if (item->proposal.verdict == WC_VERDICT_PENDING)
        json_builder_add_null_value (b);
      else
        {
          json_builder_begin_object (b);
          build_judgement (b, &item->proposal);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* The ratings are in the journal only (the engine keeps no state of them): its durable
 * "objective-rated" records, oldest first. */
static void
build_ratings (JsonBuilder *b,
               WcJournal   *journal,
               const char  *objective_id)
{
  guint n = wc_journal_get_n_synced (journal);

  json_builder_set_member_name (b, "ratings");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i);

      if (wc_record_type_from_string (r->type) != WC_RECORD_OBJECTIVE_RATED ||
          g_strcmp0 (wc_record_get_string (r->data, "objective"), objective_id) != 0)
        continue;
      json_builder_begin_object (b);
      add_string_or_null (b, "target", wc_record_get_string (r->data, "target"));
      add_string_or_null (b, "rating", wc_record_get_string (r->data, "rating"));
      add_string_or_null (b, "rationale", wc_record_get_string (r->data, "rationale"));
      add_string_or_null (b, "by", wc_record_get_by (r->data));
      json_builder_set_member_name (b, "t_ms");
      json_builder_add_int_value (b, r->t_ms);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

JsonNode *
wc_json_views_objectives (WcEngine *engine)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *lang = wc_scenario_get_default_language (scenario);
  WcJournal *journal = wc_engine_get_journal (engine);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_scenario_get_n_objectives (scenario); i++)
    {
      const WcObjective *o = wc_scenario_get_objective (scenario, i);

      json_builder_begin_object (b);
      add_string_or_null (b, "id", o->id);
      add_string_or_null (b, "text", wc_text_get (o->text, lang, lang));
      if (journal)
        build_ratings (b, journal, o->id);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
wc_json_views_observations (WcEngine *engine,
                            guint     limit)
{
  WcJournal *journal = wc_engine_get_journal (engine);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint n = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  /* observations change no state of the engine's: they are read back from the journal */
  for (guint i = journal ? wc_journal_get_n_records (journal) : 0; i > 0 && n < limit; i--)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i - 1);
      const char *by = wc_record_get_by (r->data);
      const WcStaff *staff = wc_engine_find_staff (engine, by);

      if (wc_record_type_from_string (r->type) != WC_RECORD_OBSERVATION)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "t_ms");
      json_builder_add_int_value (b, r->t_ms);
      add_string_or_null (b, "text", wc_record_get_text (r->data));
      add_string_or_null (b, "kind", wc_record_get_string (r->data, "kind"));
      add_string_or_null (b, "team", wc_record_get_team (r->data));
      add_string_or_null (b, "inject", wc_record_get_inject (r->data));
      add_string_or_null (b, "objective", wc_record_get_string (r->data, "objective"));
      add_string_or_null (b, "by", by);
      add_string_or_null (b, "by_name", staff ? staff->name : NULL);
      json_builder_end_object (b);
      n++;
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
wc_json_views_feedback (WcEngine   *engine,
                        const char *team,
                        gboolean    open)
{
  JsonObject *feedback = wc_engine_get_feedback (engine, team);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "feedback");
  if (feedback)
    {
      /* the record's data, less what only the journal needs */
      JsonObject *copy = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, feedback);
      while (json_object_iter_next (&iter, &name, &value))
        if (strcmp (name, "team") != 0 && strcmp (name, "seal") != 0)
          json_object_set_member (copy, name, json_node_copy (value));
      json_builder_add_value (b, json_node_init_object (json_node_alloc (), copy));
      json_object_unref (copy);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "open");
  json_builder_add_boolean_value (b, open);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
