/* wc-report-json.c: the report as one JSON document for other tools, its shape documented in
 * docs/REPORT.md ("format": "whitecell-report", "version": 1). Texts are JSON strings, with the
 * invisible characters shown as in every other format ("[U+202E]"); times are exercise
 * milliseconds, -1 for never; staff are named by id and name, never by token. */
#define G_LOG_DOMAIN "wc-report"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-report-private.h"
#include "wc-untrusted.h"

static void
str (JsonBuilder *b,
     const char  *name,
     const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value == NULL)
    json_builder_add_null_value (b);
  else
    {
      g_autofree char *shown = wc_untrusted_show_invisible (value);

      json_builder_add_string_value (b, shown);
    }
}

static void
num (JsonBuilder *b,
     const char  *name,
     gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
flag (JsonBuilder *b,
      const char  *name,
      gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

/* {"id", "name"} of who did something; "controller" for the controller at the machine. */
static void
staff_ref (WcReportCtx *c,
           JsonBuilder *b,
           const char  *name,
           const char  *staff_id)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  str (b, "id", staff_id ? staff_id : "controller");
  str (b, "name", wc_metrics_get_staff_name (c->metrics, staff_id));
  json_builder_end_object (b);
}

static void
counts (JsonBuilder *b,
        const guint *actions)
{
  json_builder_set_member_name (b, "actions");
  json_builder_begin_object (b);
  for (guint s = 0; s < WC_ACTION_N_STATUSES; s++)
    num (b, wc_action_status_to_string (s), actions[s]);
  json_builder_end_object (b);
}

static void
overview (WcReportCtx *c,
          JsonBuilder *b)
{
  const WcJournalVerifyResult *v = c->in->verify;
  g_autofree char *integrity = wc_report_integrity (v);
  g_autofree char *fingerprint = wc_report_fingerprint (v);
  GPtrArray *staff = wc_metrics_get_staff (c->metrics);

  json_builder_set_member_name (b, "exercise");
  json_builder_begin_object (b);
  str (b, "id", wc_scenario_get_id (c->scenario));
  str (b, "title", wc_report_text (c, wc_scenario_get_title (c->scenario)));
  str (b, "description", wc_scenario_get_description (c->scenario)
                         ? wc_report_text (c, wc_scenario_get_description (c->scenario)) : NULL);
  str (b, "tlp", wc_tlp_to_string (wc_scenario_get_tlp (c->scenario)));
  str (b, "marking", wc_exercise_marking (c->lang));
  str (b, "journal_created", wc_journal_get_created_at (wc_metrics_get_journal (c->metrics)));
  num (b, "end_ms", wc_metrics_get_end_ms (c->metrics));
  flag (b, "ended", wc_metrics_get_ended (c->metrics));
  str (b, "scenario_note", c->in->scenario_note);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "journal");
  json_builder_begin_object (b);
  flag (b, "sound", v->verdict == WC_JOURNAL_SOUND);
  num (b, "records", v->n_records);
  str (b, "head_hash", v->head_hash);
  num (b, "last_sealed_seq", v->last_sealed_seq);
  flag (b, "seals_checked", v->seals_checked);
  if (v->verdict != WC_JOURNAL_SOUND)
    num (b, "bad_line", v->bad_line);
  str (b, "integrity", integrity);
  str (b, "fingerprint", fingerprint);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "staff");
  json_builder_begin_array (b);
  for (guint i = 0; staff && i < staff->len; i++)
    {
      const WcStaff *s = g_ptr_array_index (staff, i);

      json_builder_begin_object (b);
      str (b, "id", s->id);
      str (b, "name", s->name);
      str (b, "role", wc_staff_role_to_string (s->role));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
action_result (WcReportCtx               *c,
               JsonBuilder               *b,
               const WcTeamInjectMetrics *row,
               const WcActionResult      *a)
{
  json_builder_begin_object (b);
  str (b, "inject", row->inject->id);
  str (b, "team", row->team->id);
  str (b, "action", a->action->id);
  str (b, "text", wc_report_text (c, a->action->text));
  str (b, "objective", a->action->objective);
  str (b, "status", wc_action_status_to_string (a->status));
  str (b, "how", a->reviewed ? "review" : a->status == WC_ACTION_NOT_ASSESSED ? NULL
                 : a->automatic ? "rule" : "staff");
  if (a->reviewed)
    {
      json_builder_set_member_name (b, "by");
      json_builder_begin_object (b);
      str (b, "id", NULL);
      str (b, "name", a->by);
      json_builder_end_object (b);
    }
  else if (a->status != WC_ACTION_NOT_ASSESSED && !a->automatic)
    staff_ref (c, b, "by", a->by);
  else
    str (b, "by", NULL);
  str (b, "reviewed_at", a->reviewed_at);
  str (b, "journal_status", wc_action_status_to_string (a->journal_status));
  num (b, "due_ms", a->due_ms);
  num (b, "t_ms", a->reviewed ? -1 : a->met_ms);
  str (b, "note", a->note);
  json_builder_end_object (b);
}

static void
observation (WcReportCtx              *c,
             JsonBuilder              *b,
             const WcStaffObservation *o)
{
  json_builder_begin_object (b);
  num (b, "seq", o->seq);
  num (b, "t_ms", o->t_ms);
  str (b, "time", o->time);
  str (b, "kind", wc_observation_kind_to_string (o->kind));
  str (b, "text", o->text);
  str (b, "team", o->team);
  str (b, "inject", o->inject);
  str (b, "objective", o->objective);
  staff_ref (c, b, "by", o->by);
  json_builder_end_object (b);
}

static void
observations_of (WcReportCtx *c,
                 JsonBuilder *b,
                 const char  *objective,
                 const char  *team)
{
  static const char *const names[] = { "notes", "strengths", "improvements" };

  for (WcObservationKind kind = WC_OBSERVATION_NOTE; kind <= WC_OBSERVATION_IMPROVEMENT; kind++)
    {
      json_builder_set_member_name (b, names[kind]);
      json_builder_begin_array (b);
      for (guint i = 0; i < wc_metrics_get_n_observations (c->metrics); i++)
        {
          const WcStaffObservation *o = wc_metrics_get_observation (c->metrics, i);

          if (o->kind == kind && (objective == NULL || g_strcmp0 (o->objective, objective) == 0) &&
              (team == NULL || g_strcmp0 (o->team, team) == 0))
            observation (c, b, o);
        }
      json_builder_end_array (b);
    }
}

static void
objectives (WcReportCtx *c,
            JsonBuilder *b)
{
  WcMetrics *m = c->metrics;

  json_builder_set_member_name (b, "objectives");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_metrics_get_n_objectives (m); i++)
    {
      const WcObjectiveMetrics *o = wc_metrics_get_objective (m, i);

      json_builder_begin_object (b);
      str (b, "id", o->objective->id);
      str (b, "text", wc_report_text (c, o->objective->text));
      counts (b, o->actions);
      json_builder_set_member_name (b, "ratings");
      json_builder_begin_array (b);
      for (guint k = 0; k < wc_metrics_get_n_ratings (m); k++)
        {
          const WcObjectiveRating *r = wc_metrics_get_rating (m, k);

          if (g_strcmp0 (r->objective, o->objective->id) != 0)
            continue;
          json_builder_begin_object (b);
          str (b, "target", r->target);
          str (b, "rating", wc_rating_to_string (r->rating));
          str (b, "rationale", r->rationale);
          staff_ref (c, b, "by", r->by);
          num (b, "t_ms", r->t_ms);
          flag (b, "latest", r->latest);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "evidence");
      json_builder_begin_array (b);
      for (guint r = 0; r < wc_metrics_get_n_rows (m); r++)
        {
          const WcTeamInjectMetrics *row = wc_metrics_get_row (m, r);

          for (guint k = 0; k < row->actions->len; k++)
            {
              const WcActionResult *a = &g_array_index (row->actions, WcActionResult, k);

              if (g_strcmp0 (a->action->objective, o->objective->id) == 0)
                action_result (c, b, row, a);
            }
        }
      json_builder_end_array (b);
      observations_of (c, b, o->objective->id, NULL);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
teams (WcReportCtx *c,
       JsonBuilder *b)
{
  WcMetrics *m = c->metrics;

  json_builder_set_member_name (b, "teams");
  json_builder_begin_array (b);
  for (guint t = 0; t < wc_scenario_get_n_teams (c->scenario); t++)
    {
      const WcTeamMetrics *tm = wc_metrics_get_team (m, t);

      json_builder_begin_object (b);
      str (b, "id", tm->team->id);
      str (b, "name", wc_report_text (c, tm->team->name));
      num (b, "received", tm->received);
      num (b, "acknowledged", tm->acknowledged);
      num (b, "responded", tm->responded);
      num (b, "to_acknowledge_median_ms", tm->to_acknowledge.median);
      num (b, "to_respond_median_ms", tm->to_respond.median);
      num (b, "webhook_failures", tm->webhook_failures);
      counts (b, tm->actions);
      observations_of (c, b, NULL, tm->team->id);
      json_builder_set_member_name (b, "injects");
      json_builder_begin_array (b);
      for (guint i = 0; i < wc_metrics_get_n_rows (m); i++)
        {
          const WcTeamInjectMetrics *row = wc_metrics_get_row (m, i);

          if (row->team != tm->team)
            continue;
          json_builder_begin_object (b);
          str (b, "inject", row->inject->id);
          str (b, "title", wc_report_text (c, row->inject->title));
          num (b, "fired_ms", row->fired_ms);
          num (b, "delivered_ms", row->delivered_ms);
          num (b, "acknowledged_ms", row->acknowledged_ms);
          num (b, "first_response_ms", row->first_response_ms);
          num (b, "responses", row->n_responses);
          str (b, "option", row->option);
          json_builder_set_member_name (b, "actions");
          json_builder_begin_array (b);
          for (guint k = 0; k < row->actions->len; k++)
            action_result (c, b, row, &g_array_index (row->actions, WcActionResult, k));
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
feedback (WcReportCtx *c,
          JsonBuilder *b)
{
  WcMetrics *m = c->metrics;
  double realism, usefulness;

  wc_report_feedback_averages (m, &realism, &usefulness);
  json_builder_set_member_name (b, "feedback");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "realism_average");
  realism < 0 ? json_builder_add_null_value (b) : json_builder_add_double_value (b, realism);
  json_builder_set_member_name (b, "usefulness_average");
  usefulness < 0 ? json_builder_add_null_value (b) : json_builder_add_double_value (b, usefulness);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_metrics_get_n_feedback (m); i++)
    {
      const WcTeamFeedback *f = wc_metrics_get_feedback (m, i);

      json_builder_begin_object (b);
      str (b, "team", f->team->id);
      str (b, "team_name", wc_report_text (c, f->team->name));
      num (b, "t_ms", f->t_ms);
      num (b, "realism", f->realism);
      num (b, "usefulness", f->usefulness);
      str (b, "strengths", f->strengths);
      str (b, "improvements", f->improvements);
      str (b, "text", f->text);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
review (WcReportCtx *c,
        JsonBuilder *b)
{
  const WcReview *r = c->in->review;
  WcMetrics *m = c->metrics;

  json_builder_set_member_name (b, "observations");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_metrics_get_n_observations (m); i++)
    observation (c, b, wc_metrics_get_observation (m, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "notes");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_metrics_get_n_notes (m); i++)
    {
      const WcNote *note = wc_metrics_get_note (m, i);

      json_builder_begin_object (b);
      num (b, "t_ms", note->t_ms);
      str (b, "text", note->text);
      str (b, "author", note->author);
      json_builder_end_object (b);
    }
  for (guint i = 0; r && i < r->observations->len; i++)
    {
      const WcObservation *o = g_ptr_array_index (r->observations, i);

      json_builder_begin_object (b);
      num (b, "t_ms", o->t_ms);
      str (b, "text", o->text);
      str (b, "author", "reviewer");
      str (b, "team", o->team);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "improvement_plan");
  json_builder_begin_array (b);
  for (guint i = 0; r && i < r->improvements->len; i++)
    {
      const WcImprovement *item = g_ptr_array_index (r->improvements, i);

      json_builder_begin_object (b);
      str (b, "what", item->what);
      str (b, "owner", item->owner);
      str (b, "due", item->due);
      str (b, "objective", item->objective);
      json_builder_set_member_name (b, "observation");
      item->observation ? json_builder_add_int_value (b, item->observation) : json_builder_add_null_value (b);
      str (b, "area", wc_report_area_of (c, item));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
json_loop_count (const char *from,
                 const char *to,
                 guint       count,
                 gpointer    user_data)
{
  JsonBuilder *b = user_data;

  json_builder_begin_object (b);
  str (b, "from", *from ? from : NULL);
  str (b, "to", to);
  num (b, "count", count);
  json_builder_end_object (b);
}

/* The coordination loop: "loop": {"operators": [...], "acknowledgements": [...],
 * "matrix": [{"from", "to", "count"}], "uninformed": [team ids], "traffic": [...]}. */
static void
loop_json (WcReportCtx *c,
           JsonBuilder *b)
{
  WcLoopMetrics *loop = wc_metrics_get_loop (c->metrics);
  GPtrArray *uninformed = wc_loop_metrics_get_uninformed (loop);

  json_builder_set_member_name (b, "loop");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "operators");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_loop_metrics_get_n_operators (loop); i++)
    {
      const WcLoopOperator *op = wc_loop_metrics_get_operator (loop, i);

      json_builder_begin_object (b);
      str (b, "team", op->team->id);
      str (b, "incident_inject", op->inject->id);
      num (b, "incident_ms", op->incident_ms);
      json_builder_set_member_name (b, "stages");
      json_builder_begin_object (b);
      for (guint s = 0; s < WC_N_STAGES; s++)
        {
          const WcLoopStage *st = &op->stages[s];

          json_builder_set_member_name (b, wc_notification_stage_to_string (s));
          json_builder_begin_object (b);
          str (b, "message", st->message);
          str (b, "to", st->to);
          num (b, "filed_ms", st->filed_ms);
          num (b, "elapsed_ms", st->elapsed_ms);
          num (b, "deadline_ms", st->deadline_ms);
          str (b, "status", wc_loop_status_to_string (st->status));
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      num (b, "notified_ms", op->notified_ms);
      str (b, "warning", op->warning);
      str (b, "warned_by", op->warned_by ? op->warned_by->id : NULL);
      num (b, "warned_ms", op->warned_ms);
      num (b, "to_warn_ms", op->to_warn_ms);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "acknowledgements");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_loop_metrics_get_n_acks (loop); i++)
    {
      const WcLoopAck *a = wc_loop_metrics_get_ack (loop, i);

      json_builder_begin_object (b);
      str (b, "warning", a->warning);
      str (b, "form", a->form);
      num (b, "issued_ms", a->issued_ms);
      str (b, "team", a->team->id);
      num (b, "acknowledged_ms", a->acknowledged_ms);
      num (b, "to_acknowledge_ms", a->to_acknowledge_ms);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "matrix");
  json_builder_begin_array (b);
  wc_loop_metrics_foreach_count (loop, json_loop_count, b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "uninformed");
  json_builder_begin_array (b);
  for (guint i = 0; i < uninformed->len; i++)
    json_builder_add_string_value (b, ((const WcTeam *) g_ptr_array_index (uninformed, i))->id);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "traffic");
  json_builder_begin_array (b);
  for (guint i = 0; i < wc_loop_metrics_get_n_items (loop); i++)
    {
      const WcLoopItem *item = wc_loop_metrics_get_item (loop, i);

      json_builder_begin_object (b);
      str (b, "id", item->id);
      str (b, "kind", item->kind);
      num (b, "t_ms", item->t_ms);
      str (b, item->from_actor ? "from_actor" : "from", item->from);
      json_builder_set_member_name (b, "to");
      json_builder_begin_array (b);
      for (guint k = 0; item->to && k < json_array_get_length (item->to); k++)
        json_builder_add_string_value (b, json_array_get_string_element (item->to, k));
      json_builder_end_array (b);
      str (b, "about", item->summary);
      num (b, "acknowledged", item->n_acknowledged);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

void
wc_report_write_json (WcReportCtx *c)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const WcTeamMetrics *all = wc_metrics_get_overall (c->metrics);

  json_builder_begin_object (b);
  str (b, "format", "whitecell-report");
  num (b, "version", 1);
  str (b, "status", wc_review_status_to_string (c->in->review ? c->in->review->status : WC_REVIEW_DRAFT));
  str (b, "lang", c->lang);
  overview (c, b);
  json_builder_set_member_name (b, "summary");
  json_builder_begin_object (b);
  num (b, "teams", wc_scenario_get_n_teams (c->scenario));
  num (b, "received", all->received);
  num (b, "acknowledged", all->acknowledged);
  num (b, "responded", all->responded);
  num (b, "to_acknowledge_median_ms", all->to_acknowledge.median);
  num (b, "to_respond_median_ms", all->to_respond.median);
  num (b, "webhook_failures", all->webhook_failures);
  counts (b, all->actions);
  json_builder_end_object (b);
  objectives (c, b);
  teams (c, b);
  feedback (c, b);
  review (c, b);
  loop_json (c, b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  g_string_append (c->out, text);
  g_string_append_c (c->out, '\n');
}
