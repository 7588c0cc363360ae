/* wc-metrics-loop.c: the coordination loop's measures, from the traffic records alone (and the
 * replay engine's delivery times of the incident injects), so that a report says what the
 * journal proves. */
#define G_LOG_DOMAIN "wc-metrics"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-live-traffic.h"
#include "wc-metrics-loop.h"

struct _WcLoopMetrics {
  GObject     parent_instance;
  WcScenario *scenario;
  WcJournal  *journal;      /* the items point into its records */
  GArray     *operators;    /* WcLoopOperator */
  GArray     *acks;         /* WcLoopAck */
  GArray     *items;        /* WcLoopItem */
  GPtrArray  *senders;      /* char * (borrowed) */
  GHashTable *counts;       /* "from\x1fto" → count */
  GHashTable *informed;     /* team id set */
  GPtrArray  *uninformed;   /* const WcTeam * */
  GHashTable *lanes;        /* team id → its index + 1 */
};

G_DEFINE_FINAL_TYPE (WcLoopMetrics, wc_loop_metrics, G_TYPE_OBJECT)

static void
wc_loop_metrics_finalize (GObject *object)
{
  WcLoopMetrics *self = WC_LOOP_METRICS (object);

  g_array_unref (self->operators);
  g_array_unref (self->acks);
  g_array_unref (self->items);
  g_ptr_array_unref (self->senders);
  g_hash_table_unref (self->counts);
  g_hash_table_unref (self->informed);
  g_ptr_array_unref (self->uninformed);
  g_hash_table_unref (self->lanes);
  g_clear_object (&self->journal);
  g_clear_object (&self->scenario);
  G_OBJECT_CLASS (wc_loop_metrics_parent_class)->finalize (object);
}

static void
wc_loop_metrics_class_init (WcLoopMetricsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wc_loop_metrics_finalize;
}

static void
wc_loop_metrics_init (WcLoopMetrics *self)
{
  self->operators = g_array_new (FALSE, TRUE, sizeof (WcLoopOperator));
  self->acks = g_array_new (FALSE, TRUE, sizeof (WcLoopAck));
  self->items = g_array_new (FALSE, TRUE, sizeof (WcLoopItem));
  self->senders = g_ptr_array_new ();
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->informed = g_hash_table_new (g_str_hash, g_str_equal);
  self->uninformed = g_ptr_array_new ();
  self->lanes = g_hash_table_new (g_str_hash, g_str_equal);
}

static WcLoopItem *
find_item (WcLoopMetrics *self,
           const char    *id)
{
  for (guint i = self->items->len; id && i-- > 0;)
    {
      WcLoopItem *item = &g_array_index (self->items, WcLoopItem, i);

      if (g_strcmp0 (item->id, id) == 0)
        return item;
    }
  return NULL;
}

static void
count (WcLoopMetrics *self,
       const char    *from,
       const char    *to)
{
  g_autofree char *key = g_strconcat (from, "\x1f", to, NULL);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, key));

  g_hash_table_insert (self->counts, g_steal_pointer (&key), GUINT_TO_POINTER (n + 1));
}

static void
add_item (WcLoopMetrics         *self,
          const WcJournalRecord *r)
{
  WcLoopItem item = { r->seq, r->t_ms, wc_record_get_string (r->data, "message"), NULL };
  JsonNode *to = json_object_get_member (r->data, "to");

  item.kind = wc_record_get_string (r->data, "kind");
  item.from = wc_record_get_string (r->data, "from");
  if (item.from == NULL && (item.from = wc_record_get_string (r->data, "from_actor")) != NULL)
    item.from_actor = TRUE;
  item.to = to && JSON_NODE_HOLDS_ARRAY (to) ? json_node_get_array (to) : NULL;
  item.data = r->data;
  item.summary = wc_live_traffic_subject (self->scenario, r->data);
  if (item.id == NULL || item.kind == NULL)
    return;
  for (guint i = 0; item.to && i < json_array_get_length (item.to); i++)
    {
      const char *team = json_array_get_string_element (item.to, i);

      if (team == NULL)
        continue;
      count (self, item.from ? item.from : "", team);
      if (g_strcmp0 (item.kind, "warning") == 0 || g_strcmp0 (item.kind, "sitrep") == 0)
        g_hash_table_add (self->informed, (gpointer) team);
    }
  if (item.from && !item.from_actor &&
      (g_strcmp0 (item.kind, "warning") == 0 || g_strcmp0 (item.kind, "sitrep") == 0))
    g_hash_table_add (self->informed, (gpointer) item.from);
  g_array_append_val (self->items, item);
}

static void
add_acknowledgement (WcLoopMetrics         *self,
                     const WcJournalRecord *r)
{
  WcLoopItem *item = find_item (self, wc_record_get_string (r->data, "message"));
  const char *team = wc_record_get_team (r->data);

  if (item == NULL || team == NULL)
    return;
  item->n_acknowledged++;
  for (guint i = 0; i < self->acks->len; i++)
    {
      WcLoopAck *ack = &g_array_index (self->acks, WcLoopAck, i);

      if (g_strcmp0 (ack->warning, item->id) == 0 && g_strcmp0 (ack->team->id, team) == 0 &&
          ack->acknowledged_ms < 0)
        {
          ack->acknowledged_ms = r->t_ms;
          ack->to_acknowledge_ms = r->t_ms - ack->issued_ms;
        }
    }
}

/* Every recipient of every warning waits for its acknowledgement from the warning's time. */
static void
add_warning_recipients (WcLoopMetrics    *self,
                        const WcLoopItem *item)
{
  for (guint i = 0; item->to && i < json_array_get_length (item->to); i++)
    {
      const WcTeam *team = wc_scenario_find_team (self->scenario,
                                                  json_array_get_string_element (item->to, i));
      WcLoopAck ack = { item->id, wc_record_get_string (item->data, "form"), item->t_ms, team, -1, -1 };

      if (team)
        g_array_append_val (self->acks, ack);
    }
}

/* The operators, in the scenario's order: each team an incident inject reached. */
static void
find_operators (WcLoopMetrics *self,
                WcEngine      *engine)
{
  for (guint t = 0; t < wc_scenario_get_n_teams (self->scenario); t++)
    {
      const WcTeam *team = wc_scenario_get_team (self->scenario, t);
      WcLoopOperator op = { team, NULL, -1 };

      for (guint i = 0; i < wc_scenario_get_n_injects (self->scenario); i++)
        {
          const WcInject *inject = wc_scenario_get_inject (self->scenario, i);
          const WcTeamInjectState *ts;
          gint64 start;

          if (!inject->incident ||
              (ts = wc_engine_get_team_state (engine, inject->id, team->id)) == NULL ||
              ts->reached_ms < 0)
            continue;
          start = ts->delivered_ms >= 0 ? ts->delivered_ms : ts->reached_ms;
          if (op.inject == NULL || start < op.incident_ms)
            {
              op.inject = inject;
              op.incident_ms = start;
            }
        }
      if (op.inject == NULL)
        continue;
      op.notified_ms = -1;
      op.warned_ms = -1;
      op.to_warn_ms = -1;
      for (guint s = 0; s < WC_N_STAGES; s++)
        {
          op.stages[s].filed_ms = -1;
          op.stages[s].elapsed_ms = -1;
          op.stages[s].deadline_ms = wc_scenario_get_deadline_ms (self->scenario, s);
        }
      g_array_append_val (self->operators, op);
    }
}

static void
measure_operator (WcLoopMetrics  *self,
                  WcLoopOperator *op)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      const WcLoopItem *item = &g_array_index (self->items, WcLoopItem, i);
      WcNotificationStage stage;

      if (g_strcmp0 (item->kind, "notification") != 0 || item->from_actor ||
          g_strcmp0 (item->from, op->team->id) != 0 ||
          !wc_notification_stage_from_string (wc_record_get_string (item->data, "stage"), &stage) ||
          op->stages[stage].filed_ms >= 0)
        continue;
      op->stages[stage].message = item->id;
      op->stages[stage].to = item->to && json_array_get_length (item->to)
        ? json_array_get_string_element (item->to, 0) : NULL;
      op->stages[stage].filed_ms = item->t_ms;
      op->stages[stage].elapsed_ms = MAX (item->t_ms - op->incident_ms, 0);
      if (op->notified_ms < 0)
        op->notified_ms = item->t_ms;
    }
  for (guint s = 0; s < WC_N_STAGES; s++)
    {
      WcLoopStage *st = &op->stages[s];

      if (st->deadline_ms < 0)
        st->status = st->filed_ms >= 0 ? WC_LOOP_FILED : WC_LOOP_NOT_FILED;
      else if (st->filed_ms < 0)
        st->status = WC_LOOP_MISSING;
      else
        st->status = st->elapsed_ms <= st->deadline_ms ? WC_LOOP_MET : WC_LOOP_LATE;
    }
  /* the CSIRT's answer to the loop: its first warning once the operator had notified */
  for (guint i = 0; op->notified_ms >= 0 && i < self->items->len; i++)
    {
      const WcLoopItem *item = &g_array_index (self->items, WcLoopItem, i);
      const WcTeam *from;

      if (g_strcmp0 (item->kind, "warning") != 0 || item->from_actor || item->t_ms < op->notified_ms ||
          item->from == NULL || (from = wc_scenario_find_team (self->scenario, item->from)) == NULL ||
          from->kind != WC_TEAM_KIND_CSIRT)
        continue;
      op->warning = item->id;
      op->warned_by = from;
      op->warned_ms = item->t_ms;
      op->to_warn_ms = item->t_ms - op->notified_ms;
      break;
    }
}

static void
add_sender (WcLoopMetrics *self,
            const char    *id)
{
  for (guint i = 0; i < self->senders->len; i++)
    if (strcmp (g_ptr_array_index (self->senders, i), id) == 0)
      return;
  g_ptr_array_add (self->senders, (gpointer) id);
}

WcLoopMetrics *
wc_loop_metrics_new (WcScenario *scenario,
                     WcJournal  *journal,
                     WcEngine   *engine,
                     GPtrArray  *records)
{
  WcLoopMetrics *self = g_object_new (WC_TYPE_LOOP_METRICS, NULL);
  gboolean by_controllers = FALSE;

  self->scenario = g_object_ref (scenario);
  self->journal = g_object_ref (journal);
  for (guint i = 0; i < records->len; i++)
    {
      const WcJournalRecord *r = g_ptr_array_index (records, i);

      if (wc_record_type_from_string (r->type) == WC_RECORD_MESSAGE_ACKNOWLEDGED)
        add_acknowledgement (self, r);
      else
        {
          guint n = self->items->len;

          add_item (self, r);
          if (self->items->len > n &&
              g_strcmp0 (g_array_index (self->items, WcLoopItem, n).kind, "warning") == 0)
            add_warning_recipients (self, &g_array_index (self->items, WcLoopItem, n));
        }
    }
  find_operators (self, engine);
  for (guint i = 0; i < self->operators->len; i++)
    measure_operator (self, &g_array_index (self->operators, WcLoopOperator, i));
  for (guint t = 0; t < wc_scenario_get_n_teams (scenario); t++)
    {
      const WcTeam *team = wc_scenario_get_team (scenario, t);

      add_sender (self, team->id);
      g_hash_table_insert (self->lanes, team->id, GUINT_TO_POINTER (t + 1));
      if (!g_hash_table_contains (self->informed, team->id))
        g_ptr_array_add (self->uninformed, (gpointer) team);
    }
  for (guint i = 0; i < self->items->len; i++)
    {
      const WcLoopItem *item = &g_array_index (self->items, WcLoopItem, i);

      if (item->from_actor)
        add_sender (self, item->from);
      by_controllers |= item->from == NULL;
    }
  if (by_controllers)
    add_sender (self, "");
  return self;
}

guint wc_loop_metrics_get_n_operators (WcLoopMetrics *self) { return self->operators->len; }
guint wc_loop_metrics_get_n_acks (WcLoopMetrics *self) { return self->acks->len; }
guint wc_loop_metrics_get_n_items (WcLoopMetrics *self) { return self->items->len; }
guint wc_loop_metrics_get_n_senders (WcLoopMetrics *self) { return self->senders->len; }
GPtrArray *wc_loop_metrics_get_uninformed (WcLoopMetrics *self) { return self->uninformed; }

const WcLoopOperator *
wc_loop_metrics_get_operator (WcLoopMetrics *self,
                              guint          i)
{
  g_return_val_if_fail (i < self->operators->len, NULL);
  return &g_array_index (self->operators, WcLoopOperator, i);
}

const WcLoopAck *
wc_loop_metrics_get_ack (WcLoopMetrics *self,
                         guint          i)
{
  g_return_val_if_fail (i < self->acks->len, NULL);
  return &g_array_index (self->acks, WcLoopAck, i);
}

const WcLoopItem *
wc_loop_metrics_get_item (WcLoopMetrics *self,
                          guint          i)
{
  g_return_val_if_fail (i < self->items->len, NULL);
  return &g_array_index (self->items, WcLoopItem, i);
}

const char *
wc_loop_metrics_get_sender (WcLoopMetrics *self,
                            guint          i)
{
  g_return_val_if_fail (i < self->senders->len, NULL);
  return g_ptr_array_index (self->senders, i);
}

guint
wc_loop_metrics_count (WcLoopMetrics *self,
                       const char    *from,
                       const char    *to)
{
  g_autofree char *key = g_strconcat (from ? from : "", "\x1f", to, NULL);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, key));
}

void
wc_loop_metrics_foreach_count (WcLoopMetrics   *self,
                               WcLoopCountFunc  func,
                               gpointer         user_data)
{
  for (guint i = 0; i < self->senders->len; i++)
    for (guint t = 0; t < wc_scenario_get_n_teams (self->scenario); t++)
      {
        const char *from = g_ptr_array_index (self->senders, i);
        const char *to = wc_scenario_get_team (self->scenario, t)->id;
        guint n = wc_loop_metrics_count (self, from, to);

        if (n > 0)
          func (from, to, n, user_data);
      }
}

int
wc_loop_metrics_get_lane (WcLoopMetrics *self,
                          const char    *team_id)
{
  return team_id ? (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->lanes, team_id)) - 1 : -1;
}

const char *
wc_loop_status_to_string (WcLoopStatus status)
{
  static const char *const names[] = { "met", "late", "missing", "filed", "not-filed" };

  return names[status];
}

const char *
wc_loop_status_to_label (WcLoopStatus status)
{
  switch (status)
    {
    case WC_LOOP_MET: return _("met");
    case WC_LOOP_LATE: return _("late");
    case WC_LOOP_MISSING: return _("missing");
    case WC_LOOP_FILED: return _("filed");
    case WC_LOOP_NOT_FILED:
    default: return _("not filed");
    }
}
