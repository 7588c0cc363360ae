/* wc-live.c: list models of the running exercise, kept up to date from the engine's records. */
#define G_LOG_DOMAIN "wc-live"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-live-assess.h"
#include "wc-live-private.h"
#include "wc-live-traffic.h"

/* WcLive */

typedef struct {
  gint64 due_ms;
  gint64 deadline_ms;   /* after the inject reached the team */
  char  *inject;
  char  *team;
} Deadline;

struct _WcLive {
  GObject     parent_instance;
  WcEngine   *engine;
  WcPresence *presence;
  GListStore *injects;
  GListStore *teams;
  GListStore *events;
  WcLiveAssess *to_assess;    /* made when first asked for */
  WcLiveTraffic *traffic;     /* made when first asked for */
  GHashTable *inject_by_id;   /* id → WcLiveInject (borrowed from the store) */
  GHashTable *team_by_id;
  GPtrArray  *by_due;         /* WcLiveInject, scheduled ones by due time: the next is found from a cursor */
  guint       next_cursor;
  WcLiveInject *next;
  GQueue     *deadlines;      /* Deadline, by due time */
  GHashTable *overdue;        /* "inject\nteam" of overdue answers */
  gulong      record_handler;
  gulong      presence_handler;
  gint64      last_seen_refreshed;  /* monotonic µs */
  GPtrArray  *new_events;           /* WcLiveEvent not yet in the list, oldest first */
  guint       flush_id;
  gboolean    from_journal;         /* events of the past being read: no idle, no signal */
  const char *all_teams;            /* translated once, not for each of 30,000 injects */
};

enum { SIGNAL_RESPONSE_RECEIVED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (WcLive, wc_live, G_TYPE_OBJECT)

static void
deadline_free (gpointer data)
{
  Deadline *d = data;

  g_free (d->inject);
  g_free (d->team);
  g_free (d);
}

static void
wc_live_dispose (GObject *object)
{
  WcLive *self = WC_LIVE (object);

  if (self->engine)
    g_clear_signal_handler (&self->record_handler, self->engine);
  if (self->presence)
    g_clear_signal_handler (&self->presence_handler, self->presence);
  g_clear_object (&self->to_assess);
  g_clear_object (&self->traffic);
  g_clear_object (&self->engine);
  g_clear_object (&self->presence);
  G_OBJECT_CLASS (wc_live_parent_class)->dispose (object);
}

static void
wc_live_finalize (GObject *object)
{
  WcLive *self = WC_LIVE (object);

  g_clear_object (&self->injects);
  g_clear_object (&self->teams);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_pointer (&self->new_events, g_ptr_array_unref);
  g_clear_object (&self->events);
  g_hash_table_unref (self->inject_by_id);
  g_hash_table_unref (self->team_by_id);
  g_ptr_array_unref (self->by_due);
  g_queue_free_full (self->deadlines, deadline_free);
  g_hash_table_unref (self->overdue);
  G_OBJECT_CLASS (wc_live_parent_class)->finalize (object);
}

static void
wc_live_class_init (WcLiveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_live_dispose;
  object_class->finalize = wc_live_finalize;
  signals[SIGNAL_RESPONSE_RECEIVED] =
    g_signal_new ("response-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, WC_TYPE_LIVE_EVENT);
}

static void
wc_live_init (WcLive *self)
{
  self->injects = g_list_store_new (WC_TYPE_LIVE_INJECT);
  self->all_teams = _("All teams");
  self->teams = g_list_store_new (WC_TYPE_LIVE_TEAM);
  self->events = g_list_store_new (WC_TYPE_LIVE_EVENT);
  self->new_events = g_ptr_array_new_with_free_func (g_object_unref);
  self->inject_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->team_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_due = g_ptr_array_new ();
  self->deadlines = g_queue_new ();
  self->overdue = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static const char *
team_name (WcLive     *self,
           const char *team_id)
{
  WcLiveTeam *team = g_hash_table_lookup (self->team_by_id, team_id);

  return team ? team->name : team_id;
}

static char *
time_of (const WcInject *inject,
         gint64          due)
{
  if (inject->trigger == WC_TRIGGER_MANUAL && due < 0)
    return g_strdup (_("manual"));
  if (due >= 0)
    return wc_time_format (due, TRUE);
  /* Translators: when an inject whose time depends on another fires: "after I-003" */
  return g_strdup_printf (_("after %s"), inject->trigger_inject);
}

/* Rows are synced from the engine's state, for an exercise resumed as for one just started.
 * The row goes into @batch when one is given (the list filled in one change), else into the
 * list at once. */
static WcLiveInject *
add_inject (WcLive         *self,
            const WcInject *inject,
            GPtrArray      *batch)
{
  WcScenario *scenario = wc_engine_get_scenario (self->engine);
  const char *lang = wc_scenario_get_default_language (scenario);
  g_autoptr(WcLiveInject) row = g_object_new (WC_TYPE_LIVE_INJECT, NULL);
  GString *recipients = g_string_new (NULL);

  row->id = g_strdup (inject->id);
  row->due_ms = wc_engine_get_inject_due (self->engine, inject->id);
  row->time = time_of (inject, row->due_ms);
  row->title = g_strdup (wc_text_get (inject->title, lang, NULL));
  row->channel = g_strdup (wc_channel_to_string (inject->channel));
  /* "all" is most injects of a large exercise: no set of a thousand team ids for each */
  if (!inject->to_all)
    {
      row->to = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint t = 0; t < inject->to->len; t++)
        g_hash_table_add (row->to, g_ptr_array_index (inject->to, t));
    }
  if (inject->trigger == WC_TRIGGER_NO_RESPONSE)
    /* Translators: the recipients of a contingency inject: "Who has not answered I-001" */
    g_string_append_printf (recipients, _("Who has not answered %s"), inject->trigger_inject);
  else if (inject->to_all)
    g_string_append (recipients, self->all_teams);
  else
    for (guint t = 0; t < inject->to->len; t++)
      {
        const WcTeam *team = wc_scenario_find_team (scenario, g_ptr_array_index (inject->to, t));

        g_string_append_printf (recipients, "%s%s", t ? ", " : "",
                                team ? wc_text_get (team->name, lang, NULL)
                                     : (char *) g_ptr_array_index (inject->to, t));
      }
  row->recipients = g_string_free (recipients, FALSE);
  wc_live_inject_sync (row, self->engine);
  if (batch)
    g_ptr_array_add (batch, g_object_ref (row));
  else
    g_list_store_append (self->injects, row);
  g_hash_table_insert (self->inject_by_id, row->id, row);
  return row;
}

static int
compare_due (gconstpointer a,
             gconstpointer b)
{
  const WcLiveInject *x = *(WcLiveInject **) a;
  const WcLiveInject *y = *(WcLiveInject **) b;

  return (x->due_ms > y->due_ms) - (x->due_ms < y->due_ms);
}

/* The scheduled injects by due time; the next one is the first still pending from the cursor
 * on, so that finding it is amortised O(1) as the exercise moves forward. */
static void
rebuild_schedule (WcLive *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->injects));

  g_ptr_array_set_size (self->by_due, 0);
  for (guint i = 0; i < n; i++)
    {
      WcLiveInject *row = g_list_model_get_item (G_LIST_MODEL (self->injects), i);

      row->due_ms = wc_engine_get_inject_due (self->engine, row->id);
      if (row->due_ms >= 0)
        g_ptr_array_add (self->by_due, row);
      g_object_unref (row);
    }
  g_ptr_array_sort (self->by_due, compare_due);
  self->next_cursor = 0;
}

static void
update_next (WcLive *self)
{
  WcLiveInject *next = NULL;

  /* after the end nothing is next */
  while (wc_engine_get_state (self->engine) != WC_ENGINE_ENDED &&
         self->next_cursor < self->by_due->len)
    {
      WcLiveInject *row = g_ptr_array_index (self->by_due, self->next_cursor);

      if (strcmp (row->status, "pending") == 0)
        {
          next = row;
          break;
        }
      self->next_cursor++;
    }
  if (next == self->next)
    return;
  if (self->next)
    {
      SET_VALUE (self->next, is_next, FALSE, inject_props[INJECT_PROP_IS_NEXT]);
      wc_live_inject_sync (self->next, self->engine);
    }
  self->next = next;
  if (next)
    {
      SET_VALUE (next, is_next, TRUE, inject_props[INJECT_PROP_IS_NEXT]);
      wc_live_inject_sync (next, self->engine);
    }
}

static void
flush_new_events (WcLive *self)
{
  guint n = self->new_events->len;
  g_autofree gpointer *items = NULL;

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (n == 0)
    return;
  /* newest first */
  items = g_new (gpointer, n);
  for (guint i = 0; i < n; i++)
    items[i] = g_ptr_array_index (self->new_events, n - 1 - i);
  g_list_store_splice (self->events, 0, 0, items, n);
  g_ptr_array_set_size (self->new_events, 0);
}

static gboolean
flush_events (gpointer user_data)
{
  WcLive *self = user_data;

  self->flush_id = 0;
  flush_new_events (self);
  return G_SOURCE_REMOVE;
}

static void
add_event (WcLive          *self,
           WcLiveEventKind  kind,
           gint64           t_ms,
           const char      *team_id,
           const char      *inject,
           const char      *text,
           const char      *by,
           char            *summary)  /* transfer full */
{
  WcLiveEvent *event = g_object_new (WC_TYPE_LIVE_EVENT, NULL);

  event->kind = kind;
  event->t_ms = t_ms;
  event->time = wc_time_format (t_ms, FALSE);
  event->team = g_strdup (team_id ? team_name (self, team_id) : NULL);
  event->inject = g_strdup (inject);
  event->text = g_strdup (text);
  event->by = g_strdup (by);
  event->summary = summary;
  /* A thousand teams answering at once: into the list in one go, not a thousand (every insertion
   * at the top would move every row a list view shows). */
  g_ptr_array_add (self->new_events, event);
  /* the past, read from the journal (maybe in a worker thread): spliced in once by the reader,
   * and nobody is told of answers given before a crash as if they had just come */
  if (self->from_journal)
    return;
  if (self->flush_id == 0)
    self->flush_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, flush_events, self, NULL);
  if (kind == WC_LIVE_EVENT_RESPONSE || kind == WC_LIVE_EVENT_DECISION)
    g_signal_emit (self, signals[SIGNAL_RESPONSE_RECEIVED], 0, event);
}

static void
queue_deadline (WcLive   *self,
                Deadline *d)
{
  GList *l;

  /* most arrive in order: look from the tail */
  for (l = self->deadlines->tail; l && ((Deadline *) l->data)->due_ms > d->due_ms; l = l->prev)
    ;
  if (l)
    g_queue_insert_after (self->deadlines, l, d);
  else
    g_queue_push_head (self->deadlines, d);
}

static void
schedule_deadlines (WcLive     *self,
                    const char *inject_id,
                    const char *team_id,
                    gint64      fired_ms)
{
  const WcInject *inject = wc_engine_find_inject (self->engine, inject_id);

  for (guint i = 0; inject && i < inject->expected_actions->len; i++)
    {
      const WcExpectedAction *action = g_ptr_array_index (inject->expected_actions, i);
      Deadline *d;

      if (action->deadline_ms < 0)
        continue;
      d = g_new0 (Deadline, 1);
      d->due_ms = fired_ms + action->deadline_ms;
      d->deadline_ms = action->deadline_ms;
      d->inject = g_strdup (inject_id);
      d->team = g_strdup (team_id);
      queue_deadline (self, d);
      /* one deadline per inject and team is enough to call it overdue */
      break;
    }
}

static void
set_overdue (WcLive     *self,
             const char *inject_id,
             const char *team_id,
             gboolean    overdue)
{
  g_autofree char *key = g_strconcat (inject_id, "\n", team_id, NULL);
  WcLiveTeam *team = g_hash_table_lookup (self->team_by_id, team_id);

  if (team == NULL)
    return;
  if (overdue && !g_hash_table_contains (self->overdue, key))
    {
      g_hash_table_add (self->overdue, g_steal_pointer (&key));
      SET_VALUE (team, overdue, team->overdue + 1, team_props[TEAM_PROP_OVERDUE]);
    }
  else if (!overdue && g_hash_table_remove (self->overdue, key))
    SET_VALUE (team, overdue, team->overdue - 1, team_props[TEAM_PROP_OVERDUE]);
}

static void
on_fired (WcLive       *self,
          WcLiveInject *row,
          JsonObject   *data,
          gint64        t_ms)
{
  JsonArray *teams = wc_record_get_teams (data);

  for (guint i = 0; teams && i < json_array_get_length (teams); i++)
    {
      const char *team_id = json_array_get_string_element (teams, i);
      WcLiveTeam *team = g_hash_table_lookup (self->team_by_id, team_id);

      if (team)
        wc_live_team_sync (team, self->engine);
      schedule_deadlines (self, row->id, team_id, t_ms);
    }
}

static void
on_assessed (WcLive       *self,
             JsonObject   *data,
             gint64        t_ms,
             WcLiveInject *row,
             WcLiveTeam   *team)
{
  const char *by = wc_live_staff_name (self->engine, wc_record_get_by (data));
  const char *lang = wc_scenario_get_default_language (wc_engine_get_scenario (self->engine));
  const WcInject *inject = wc_engine_find_inject (self->engine, row->id);
  const char *action_id = wc_record_get_action (data);
  const char *action = action_id;
  WcVerdict verdict = WC_VERDICT_PENDING;
  char *summary;

  for (guint i = 0; inject && i < inject->expected_actions->len; i++)
    {
      const WcExpectedAction *a = g_ptr_array_index (inject->expected_actions, i);

      if (g_strcmp0 (a->id, action_id) == 0)
        action = wc_text_get (a->text, lang, NULL);
    }
  wc_verdict_from_string (wc_record_get_string (data, "verdict"), &verdict);
  if (verdict == WC_VERDICT_PENDING)
    /* Translators: "Nathalie Dumont withdrew the judgement of “Notify the CSIRT” (I-001) for
     * Sint-Elisabeth" */
    summary = g_strdup_printf (_("%s withdrew the judgement of “%s” (%s) for %s"), by, action,
                               row->id, team->name);
  else
    /* Translators: "Nathalie Dumont judged “Notify the CSIRT” (I-001) for Sint-Elisabeth: met
     * late" */
    summary = g_strdup_printf (_("%s judged “%s” (%s) for %s: %s"), by, action, row->id,
                               team->name, wc_live_verdict_label (verdict));
  add_event (self, WC_LIVE_EVENT_JUDGEMENT, t_ms, team->id, row->id,
             wc_record_get_string (data, "note"), by, summary);
}

/* A team's side of an inject, as the feed tells it. */
static void
team_record_event (WcLive       *self,
                   WcRecordType  type,
                   JsonObject   *data,
                   gint64        t_ms,
                   WcLiveInject *row,
                   WcLiveTeam   *team)
{
  const char *text = wc_record_get_text (data);
  const char *option = wc_record_get_option (data);

  switch (type)
    {
    case WC_RECORD_INJECT_ACKNOWLEDGED:
      add_event (self, WC_LIVE_EVENT_ACKNOWLEDGED, t_ms, team->id, row->id, NULL, NULL,
                 /* Translators: "National CSIRT acknowledged I-003" */
                 g_strdup_printf (_("%s acknowledged %s"), team->name, row->id));
      break;
    case WC_RECORD_RESPONSE:
      if (option)
        add_event (self, WC_LIVE_EVENT_DECISION, t_ms, team->id, row->id, text, NULL,
                   /* Translators: "National CSIRT chose “wait” on I-011" */
                   g_strdup_printf (_("%s chose “%s” on %s"), team->name, option, row->id));
      else
        add_event (self, WC_LIVE_EVENT_RESPONSE, t_ms, team->id, row->id, text, NULL,
                   g_strdup_printf (_("%s answered %s"), team->name, row->id));
      break;
    case WC_RECORD_ACTION_ASSESSED:
      on_assessed (self, data, t_ms, row, team);
      break;
    case WC_RECORD_WEBHOOK_ATTEMPT:
      if (wc_record_get_outcome (data) == WC_WEBHOOK_GAVE_UP)
        add_event (self, WC_LIVE_EVENT_DELIVERY_FAILED, t_ms, team->id, row->id,
                   json_object_get_string_member_with_default (data, "error", NULL), NULL,
                   g_strdup_printf (_("Webhook delivery of %s to %s failed"), row->id,
                                    team->name));
      break;
    default:
      break;
    }
}

/* The controller's hand on the schedule and the clock, with who did it: a member of the staff
 * over the API ("by"), or the controller at this machine. */
static void
control_event (WcLive       *self,
               WcRecordType  type,
               JsonObject   *data,
               gint64        t_ms,
               WcLiveInject *row)
{
  const char *by = wc_live_staff_name (self->engine, wc_record_get_by (data));
  const char *inject_id = wc_record_get_inject (data);
  const char *text = NULL;
  g_autofree char *at = NULL;
  char *summary;

  switch (type)
    {
    case WC_RECORD_INJECT_HELD:
      /* Translators: "Controller held I-004"; the first %s is who */
      summary = g_strdup_printf (_("%s held %s"), by, inject_id);
      break;
    case WC_RECORD_INJECT_RELEASED:
      summary = g_strdup_printf (_("%s released %s"), by, inject_id);
      break;
    case WC_RECORD_INJECT_SKIPPED:
      summary = g_strcmp0 (wc_record_get_cause (data), "jump") == 0
        /* Translators: "Controller skipped I-004 (passed over by a jump of the clock)" */
        ? g_strdup_printf (_("%s skipped %s (passed over by a jump of the clock)"), by, inject_id)
        : g_strdup_printf (_("%s skipped %s"), by, inject_id);
      break;
    case WC_RECORD_INJECT_FIRED:
      /* the schedule's own firing is nobody's doing; an ad-hoc inject's is told as its sending */
      if (g_strcmp0 (wc_record_get_cause (data), "manual") != 0 || inject_id == NULL ||
          wc_scenario_find_inject (wc_engine_get_scenario (self->engine), inject_id) == NULL)
        return;
      summary = g_strdup_printf (_("%s fired %s"), by, inject_id);
      break;
    case WC_RECORD_ADHOC_CREATED:
      text = wc_record_get_string (data, "title");
      /* Translators: "Controller sent the ad-hoc inject adhoc-1 to All teams" */
      summary = g_strdup_printf (_("%s sent the ad-hoc inject %s to %s"), by, inject_id,
                                 row ? row->recipients : "");
      break;
    case WC_RECORD_INJECT_RESCHEDULED:
      at = wc_time_format (wc_record_get_int (data, "at", 0), FALSE);
      /* Translators: "Controller moved I-003 to T+01:10:00" */
      summary = g_strdup_printf (_("%s moved %s to %s"), by, inject_id, at);
      break;
    case WC_RECORD_CLOCK_JUMPED:
      at = wc_time_format (wc_record_get_int (data, "to", 0), FALSE);
      /* Translators: "Controller moved the clock forward to T+02:00:00" */
      summary = g_strdup_printf (_("%s moved the clock forward to %s"), by, at);
      break;
    case WC_RECORD_SPEED_CHANGED:
      /* Translators: "Controller set the clock's speed to 2×" */
      summary = g_strdup_printf (_("%s set the clock's speed to %g×"), by,
                                 wc_record_get_speed (data, 1.0));
      break;
    default:
      return;
    }
  add_event (self, WC_LIVE_EVENT_CONTROL, t_ms, NULL, inject_id, text, by, summary);
}

static const char *
clock_summary (WcRecordType type)
{
  switch (type)
    {
    case WC_RECORD_CLOCK_STARTED: return _("Exercise started");
    case WC_RECORD_CLOCK_PAUSED: return _("Clock paused");
    case WC_RECORD_CLOCK_RESUMED: return _("Clock resumed");
    case WC_RECORD_EXERCISE_ENDED: return _("Exercise ended");
    case WC_RECORD_PROCESS_STOPPED: return _("Whitecell stopped; the clock stands paused");
    case WC_RECORD_JOURNAL_REOPENED: return _("Exercise reopened from its journal");
    default: return NULL;
    }
}

static const char *
rating_label (const char *name)
{
  WcRating rating;

  if (!wc_rating_from_string (name, &rating))
    return name;
  switch (rating)
    {
    case WC_RATING_PERFORMED: return _("performed without challenges");
    case WC_RATING_SOME_CHALLENGES: return _("performed with some challenges");
    case WC_RATING_MAJOR_CHALLENGES: return _("performed with major challenges");
    case WC_RATING_UNABLE:
    default: return _("unable to be performed");
    }
}

/* Evaluation records that are not about one team's side of one inject. */
static void
on_evaluation_record (WcLive       *self,
                      WcRecordType  type,
                      JsonObject   *data,
                      gint64        t_ms)
{
  const char *by = wc_live_staff_name (self->engine, wc_record_get_by (data));
  const char *team_id = wc_record_get_team (data);
  WcObservationKind kind = WC_OBSERVATION_NOTE;
  WcStaffRole role = WC_STAFF_OBSERVER;
  const char *text;

  switch (type)
    {
    case WC_RECORD_OBSERVATION:
      wc_observation_kind_from_string (wc_record_get_string (data, "kind"), &kind);
      add_event (self, WC_LIVE_EVENT_OBSERVATION, t_ms, team_id, wc_record_get_inject (data),
                 wc_record_get_text (data), by,
                 g_strdup_printf (kind == WC_OBSERVATION_STRENGTH ? _("%s noted a strength")
                                  : kind == WC_OBSERVATION_IMPROVEMENT
                                  ? _("%s noted an area for improvement")
                                  : _("%s made an observation"), by));
      break;
    case WC_RECORD_OBJECTIVE_RATED:
      add_event (self, WC_LIVE_EVENT_RATING, t_ms, NULL, NULL,
                 wc_record_get_string (data, "rationale"), by,
                 /* Translators: "Pieter Claes rated objective O1: performed with some challenges" */
                 g_strdup_printf (_("%s rated objective %s: %s"), by,
                                  wc_record_get_string (data, "objective"),
                                  rating_label (wc_record_get_string (data, "rating"))));
      break;
    case WC_RECORD_STAFF_ADDED:
      wc_staff_role_from_string (wc_record_get_string (data, "role"), &role);
      add_event (self, WC_LIVE_EVENT_STAFF, t_ms, NULL, NULL, NULL, by,
                 /* Translators: "Jan Peeters joined the staff as Evaluator" */
                 g_strdup_printf (_("%s joined the staff as %s"),
                                  wc_record_get_string (data, "name"),
                                  wc_live_staff_role_label (role)));
      break;
    case WC_RECORD_FEEDBACK:
      text = wc_record_get_text (data);
      add_event (self, WC_LIVE_EVENT_FEEDBACK, t_ms, team_id, NULL,
                 text ? text : wc_record_get_string (data, "strengths"), NULL,
                 g_strdup_printf (_("%s gave feedback"), team_name (self, team_id)));
      break;
    default:
      break;
    }
}

/* What a record adds to the feed, from the engine's "record" signal as from the journal of a
 * resumed exercise: the record alone says it (the rows' state is synced apart). */
static void
record_event (WcLive       *self,
              WcRecordType  type,
              JsonObject   *data,
              gint64        t_ms)
{
  const char *inject_id = wc_record_get_inject (data);
  const char *team_id = wc_record_get_team (data);
  WcLiveInject *row = inject_id ? g_hash_table_lookup (self->inject_by_id, inject_id) : NULL;
  WcLiveTeam *team = team_id ? g_hash_table_lookup (self->team_by_id, team_id) : NULL;
  const char *by = wc_record_get_by (data);

  if (wc_record_type_has_flag (type, WC_RECORD_FLAG_TEAM) && row && team)
    team_record_event (self, type, data, t_ms, row, team);
  else if (type == WC_RECORD_NOTE)
    add_event (self, WC_LIVE_EVENT_NOTE, t_ms, NULL, NULL, wc_record_get_text (data),
               wc_live_staff_name (self->engine, by),
               /* Translators: "Controller wrote a note", "Jan Peeters wrote a note" */
               g_strdup_printf (_("%s wrote a note"), wc_live_staff_name (self->engine, by)));
  else if (type == WC_RECORD_OBSERVATION || type == WC_RECORD_OBJECTIVE_RATED ||
           type == WC_RECORD_STAFF_ADDED || (type == WC_RECORD_FEEDBACK && team_id))
    on_evaluation_record (self, type, data, t_ms);
  else if (wc_record_type_has_flag (type, WC_RECORD_FLAG_TRAFFIC))
    {
      const char *from = json_object_get_string_member_with_default (data, "from", NULL);

      /* the sender's lane, or the acknowledging team's; an actor's words are no team's */
      add_event (self, WC_LIVE_EVENT_TRAFFIC, t_ms, from ? from : team_id, NULL,
                 wc_record_get_string (data, "body"), NULL,
                 wc_live_traffic_describe (wc_engine_get_scenario (self->engine), type, data));
    }
  else if (clock_summary (type))
    /* a pause may be the engine's own (a journal error): "by" only when the record names one */
    add_event (self, WC_LIVE_EVENT_CLOCK, t_ms, NULL, NULL, NULL,
               by ? wc_live_staff_name (self->engine, by) : NULL, g_strdup (clock_summary (type)));
  else
    control_event (self, type, data, t_ms, row);
}

static void
on_record (WcEngine     *engine,
           guint64       seq,
           WcRecordType  type,
           JsonObject   *data,
           gint64        t_ms,
           WcLive       *self)
{
  const char *inject_id = wc_record_get_inject (data);
  const char *team_id = wc_record_get_team (data);
  WcLiveInject *row = inject_id ? g_hash_table_lookup (self->inject_by_id, inject_id) : NULL;
  WcLiveTeam *team = team_id ? g_hash_table_lookup (self->team_by_id, team_id) : NULL;
  const WcInject *inject;

  if (type == WC_RECORD_ADHOC_CREATED && row == NULL &&
      (inject = wc_engine_find_inject (self->engine, inject_id)) != NULL)
    row = add_inject (self, inject, NULL);
  if (row)
    wc_live_inject_sync (row, self->engine);
  if (type == WC_RECORD_INJECT_FIRED && row)
    on_fired (self, row, data, t_ms);
  else if (wc_record_type_has_flag (type, WC_RECORD_FLAG_TEAM) && row && team)
    {
      wc_live_team_sync (team, self->engine);
      if (type == WC_RECORD_RESPONSE)
        set_overdue (self, row->id, team->id, FALSE);
    }
  else if (type == WC_RECORD_TEAM_PRESENCE && team && self->presence == NULL)
    /* a replay: who was connected is what the journal said then (live, WcPresence says it) */
    SET_VALUE (team, connected, wc_engine_get_team_presence (engine, team->id, NULL),
               team_props[TEAM_PROP_CONNECTED]);
  else if ((type == WC_RECORD_PROCESS_STOPPED || type == WC_RECORD_JOURNAL_REOPENED) &&
           self->presence == NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->teams));

      /* a stop takes every event stream with it: the engine's applier says so, the rows read it */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(WcLiveTeam) t = g_list_model_get_item (G_LIST_MODEL (self->teams), i);

          SET_VALUE (t, connected, wc_engine_get_team_presence (engine, t->id, NULL),
                     team_props[TEAM_PROP_CONNECTED]);
        }
    }

  record_event (self, type, data, t_ms);

  if (type == WC_RECORD_INJECT_RESCHEDULED || type == WC_RECORD_CLOCK_JUMPED ||
      type == WC_RECORD_INJECT_RELEASED || type == WC_RECORD_ADHOC_CREATED)
    {
      /* rare: the schedule is read again */
      if (row)
        {
          g_autofree char *time = time_of (wc_engine_find_inject (self->engine, row->id),
                                           wc_engine_get_inject_due (self->engine, row->id));

          SET_STRING (row, time, time, inject_props[INJECT_PROP_TIME]);
        }
      rebuild_schedule (self);
    }
  if (wc_record_type_has_flag (type, WC_RECORD_FLAG_SCHEDULE) || type == WC_RECORD_EXERCISE_ENDED)
    update_next (self);
}

/* The feed of an exercise carried on from its journal (after a crash or a stop): what was done
 * before, as it was told then. Rows need no replay: they are synced from the engine's state. */
static void
add_past_events (WcLive *self)
{
  self->from_journal = TRUE;
  wc_live_read_past (self->engine, (WcLiveRecordFunc) record_event, self);
  self->from_journal = FALSE;
  flush_new_events (self);
}

static void
update_last_seen (WcLive     *self,
                  WcLiveTeam *team)
{
  gint64 seen = self->presence ? wc_presence_get_team_last_seen (self->presence, team->id) : 0;
  g_autofree char *text = NULL;

  if (seen > 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (seen / G_USEC_PER_SEC);

      text = g_date_time_format (dt, "%H:%M:%S");
    }
  SET_STRING (team, last_seen, text ? text : "", team_props[TEAM_PROP_LAST_SEEN]);
}

static void
on_presence_changed (WcPresence *presence,
                     const char *team_id,
                     WcLive     *self)
{
  WcLiveTeam *team = g_hash_table_lookup (self->team_by_id, team_id);

  if (team == NULL)
    return;
  SET_VALUE (team, connected, wc_presence_is_team_connected (presence, team_id),
             team_props[TEAM_PROP_CONNECTED]);
  update_last_seen (self, team);
}

void
wc_live_tick (WcLive *self)
{
  gint64 now = wc_engine_get_time (self->engine);
  guint n;

  /* answers now overdue */
  while (!g_queue_is_empty (self->deadlines) && ((Deadline *) g_queue_peek_head (self->deadlines))->due_ms <= now)
    {
      Deadline *d = g_queue_pop_head (self->deadlines);
      const WcTeamInjectState *ts = wc_engine_get_team_state (self->engine, d->inject, d->team);

      /* as the report counts it: from delivery, when the team's page or tool got it later */
      if (ts && ts->delivered_ms >= 0 && ts->delivered_ms + d->deadline_ms > d->due_ms)
        {
          d->due_ms = ts->delivered_ms + d->deadline_ms;
          if (d->due_ms > now)
            {
              queue_deadline (self, d);
              continue;
            }
        }
      if (ts && ts->n_responses == 0)
        set_overdue (self, d->inject, d->team, TRUE);
      deadline_free (d);
    }
  /* "last seen" shows seconds: once a second is enough, however often the window ticks */
  if (g_get_monotonic_time () - self->last_seen_refreshed < G_USEC_PER_SEC)
    return;
  self->last_seen_refreshed = g_get_monotonic_time ();
  n = g_list_model_get_n_items (G_LIST_MODEL (self->teams));
  for (guint i = 0; self->presence && i < n; i++)
    {
      g_autoptr(WcLiveTeam) team = g_list_model_get_item (G_LIST_MODEL (self->teams), i);

      update_last_seen (self, team);
    }
}

WcLive *
wc_live_new (WcEngine   *engine,
             WcPresence *presence)
{
  WcLive *self = g_object_new (WC_TYPE_LIVE, NULL);
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *lang = wc_scenario_get_default_language (scenario);
  /* 5,000 teams and 30,000 injects go into their lists in one change each: one by one, each
   * append was a signal */
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

  self->engine = g_object_ref (engine);
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    {
      const WcTeam *t = wc_scenario_get_team (scenario, i);
      g_autoptr(WcLiveTeam) team = g_object_new (WC_TYPE_LIVE_TEAM, NULL);
      static const char *const kinds[] = {
        N_("National CSIRT"), N_("Sector authority"), N_("Operator"), N_("Crisis centre"),
        N_("Government"), N_("Press office"), N_("Other"),
      };

      team->id = g_strdup (t->id);
      team->name = g_strdup (wc_text_get (t->name, lang, NULL));
      team->kind = g_strdup (_(kinds[MIN ((guint) t->kind, G_N_ELEMENTS (kinds) - 1)]));
      team->language = g_strdup (t->language);
      wc_live_team_sync (team, engine);
      /* until a WcPresence says otherwise (live), as the journal had it (a replay) */
      team->connected = wc_engine_get_team_presence (engine, t->id, NULL);
      g_ptr_array_add (batch, g_object_ref (team));
      g_hash_table_insert (self->team_by_id, team->id, team);
    }
  g_list_store_splice (self->teams, 0, 0, batch->pdata, batch->len);
  g_ptr_array_set_size (batch, 0);
  for (guint i = 0; i < wc_engine_get_n_injects (engine); i++)
    add_inject (self, wc_engine_get_inject (engine, i), batch);
  g_list_store_splice (self->injects, 0, 0, batch->pdata, batch->len);
  /* a resumed exercise: what teams still owe */
  for (guint i = 0; i < wc_engine_get_n_injects (engine); i++)
    {
      const WcInject *inject = wc_engine_get_inject (engine, i);
      GPtrArray *reached = wc_engine_get_inject_teams (engine, inject->id);

      for (guint t = 0; reached && t < reached->len; t++)
        {
          const WcTeamInjectState *ts = wc_engine_get_team_state (engine, inject->id, g_ptr_array_index (reached, t));

          if (ts && ts->n_responses == 0)
            schedule_deadlines (self, inject->id, g_ptr_array_index (reached, t),
                                ts->delivered_ms >= 0 ? ts->delivered_ms
                                                      : wc_engine_get_inject_fired_at (engine, inject->id));
        }
    }
  rebuild_schedule (self);
  update_next (self);
  add_past_events (self);
  self->record_handler = g_signal_connect (engine, "record", G_CALLBACK (on_record), self);
  if (presence)
    wc_live_set_presence (self, presence);
  return self;
}

void
wc_live_set_presence (WcLive     *self,
                      WcPresence *presence)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->teams));

  g_return_if_fail (self->presence == NULL);
  self->presence = g_object_ref (presence);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WcLiveTeam) team = g_list_model_get_item (G_LIST_MODEL (self->teams), i);
      g_autofree char *url = wc_presence_get_join_url (presence, team->id);

      SET_STRING (team, join_url, url, team_props[TEAM_PROP_JOIN_URL]);
      SET_VALUE (team, connected, wc_presence_is_team_connected (presence, team->id),
                 team_props[TEAM_PROP_CONNECTED]);
    }
  self->presence_handler = g_signal_connect (presence, "presence-changed",
                                             G_CALLBACK (on_presence_changed), self);
}

WcEngine *wc_live_get_engine (WcLive *self) { return self->engine; }
GListModel *wc_live_get_injects (WcLive *self) { return G_LIST_MODEL (self->injects); }
GListModel *wc_live_get_teams (WcLive *self) { return G_LIST_MODEL (self->teams); }
GListModel *
wc_live_get_events (WcLive *self)
{
  /* whoever asks sees every event so far */
  flush_new_events (self);
  return G_LIST_MODEL (self->events);
}

GListModel *
wc_live_get_traffic (WcLive *self)
{
  if (self->traffic == NULL && self->engine)
    self->traffic = wc_live_traffic_new (self->engine);
  return G_LIST_MODEL (self->traffic);
}

GListModel *
wc_live_get_to_assess (WcLive *self)
{
  if (self->to_assess == NULL && self->engine)
    self->to_assess = wc_live_assess_new (self->engine);
  return G_LIST_MODEL (self->to_assess);
}

WcLiveInject *
wc_live_find_inject (WcLive     *self,
                     const char *inject_id)
{
  return g_hash_table_lookup (self->inject_by_id, inject_id);
}

WcLiveTeam *
wc_live_find_team (WcLive     *self,
                   const char *team_id)
{
  return g_hash_table_lookup (self->team_by_id, team_id);
}
