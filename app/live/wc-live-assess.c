/* wc-live-assess.c: the "to assess" queue. Rows are kept in a GSequence ordered by (firing order
 * of the inject, team, action), with a hash from (inject, team, action) to the row, so that a
 * record finds, adds or removes its rows in O(log n): a thousand teams and ten thousand injects
 * never rebuild the list. The GObject a view sees is made when it asks, and kept (weakly) while
 * the view holds it, so that a new proposal notifies it in place. */
#define G_LOG_DOMAIN "wc-live"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-live.h"
#include "wc-live-assess.h"

/* WcLiveAssessItem */

struct _WcLiveAssessItem {
  GObject    parent_instance;
  char      *inject;
  char      *inject_title;
  char      *team;
  char      *team_name;
  char      *action;
  char      *action_text;
  char      *objective;
  WcVerdict  proposal;
};

enum {
  ITEM_PROP_0, ITEM_PROP_INJECT, ITEM_PROP_INJECT_TITLE, ITEM_PROP_TEAM, ITEM_PROP_TEAM_NAME,
  ITEM_PROP_ACTION, ITEM_PROP_ACTION_TEXT, ITEM_PROP_OBJECTIVE, ITEM_PROP_PROPOSAL,
  ITEM_PROP_PROPOSAL_LABEL, ITEM_PROP_HEADING, N_ITEM_PROPS
};
static GParamSpec *item_props[N_ITEM_PROPS];

G_DEFINE_FINAL_TYPE (WcLiveAssessItem, wc_live_assess_item, G_TYPE_OBJECT)

static void
wc_live_assess_item_finalize (GObject *object)
{
  WcLiveAssessItem *self = WC_LIVE_ASSESS_ITEM (object);

  g_free (self->inject);
  g_free (self->inject_title);
  g_free (self->team);
  g_free (self->team_name);
  g_free (self->action);
  g_free (self->action_text);
  g_free (self->objective);
  G_OBJECT_CLASS (wc_live_assess_item_parent_class)->finalize (object);
}

const char *
wc_live_assess_item_get_proposal_label (WcLiveAssessItem *self)
{
  if (self->proposal == WC_VERDICT_PENDING)
    return _("Waits for a judgement");
  /* Translators: what an action's rule proposes, for a person to confirm: "Proposed: met late" */
  return wc_live_verdict_proposed_label (self->proposal);
}

static void
wc_live_assess_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  WcLiveAssessItem *self = WC_LIVE_ASSESS_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_INJECT: g_value_set_string (value, self->inject); break;
    case ITEM_PROP_INJECT_TITLE: g_value_set_string (value, self->inject_title); break;
    case ITEM_PROP_TEAM: g_value_set_string (value, self->team); break;
    case ITEM_PROP_TEAM_NAME: g_value_set_string (value, self->team_name); break;
    case ITEM_PROP_ACTION: g_value_set_string (value, self->action); break;
    case ITEM_PROP_ACTION_TEXT: g_value_set_string (value, self->action_text); break;
    case ITEM_PROP_OBJECTIVE: g_value_set_string (value, self->objective); break;
    case ITEM_PROP_PROPOSAL: g_value_set_string (value, wc_verdict_to_string (self->proposal)); break;
    case ITEM_PROP_PROPOSAL_LABEL:
      g_value_set_string (value, wc_live_assess_item_get_proposal_label (self));
      break;
    case ITEM_PROP_HEADING:
      /* Translators: a row of the "to assess" queue: "I-003 · National CSIRT" */
      g_value_take_string (value, g_strdup_printf (_("%s · %s"), self->inject, self->team_name));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_live_assess_item_class_init (WcLiveAssessItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = wc_live_assess_item_finalize;
  object_class->get_property = wc_live_assess_item_get_property;
  item_props[ITEM_PROP_INJECT] = g_param_spec_string ("inject", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_INJECT_TITLE] = g_param_spec_string ("inject-title", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_TEAM] = g_param_spec_string ("team", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_TEAM_NAME] = g_param_spec_string ("team-name", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_ACTION] = g_param_spec_string ("action", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_ACTION_TEXT] = g_param_spec_string ("action-text", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_OBJECTIVE] = g_param_spec_string ("objective", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_PROPOSAL] = g_param_spec_string ("proposal", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_PROPOSAL_LABEL] = g_param_spec_string ("proposal-label", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_HEADING] = g_param_spec_string ("heading", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_props);
}

static void
wc_live_assess_item_init (WcLiveAssessItem *self)
{
}

const char *wc_live_assess_item_get_inject (WcLiveAssessItem *self) { return self->inject; }
const char *wc_live_assess_item_get_team (WcLiveAssessItem *self) { return self->team; }
const char *wc_live_assess_item_get_action (WcLiveAssessItem *self) { return self->action; }
WcVerdict wc_live_assess_item_get_proposal (WcLiveAssessItem *self) { return self->proposal; }

/* WcLiveAssess */

typedef struct {
  const WcInject   *inject;       /* the engine's */
  const WcTeam     *team;         /* the scenario's */
  guint             action;       /* index in the inject's expected actions */
  guint             inject_ord;   /* firing order */
  guint             team_ord;     /* the scenario's order */
  WcVerdict         proposal;
  GSequenceIter    *iter;
  WcLiveAssessItem *item;         /* weak: while a view holds it */
} Entry;

struct _WcLiveAssess {
  GObject     parent_instance;
  WcEngine   *engine;
  GSequence  *entries;       /* Entry, owned */
  GHashTable *by_key;        /* Entry → Entry (borrowed) */
  GHashTable *inject_ord;    /* inject id → firing order + 1 */
  GHashTable *team_ord;      /* team id → scenario position + 1 */
  guint       next_ord;
  gulong      record_handler;
};

enum { PROP_0, PROP_N_ITEMS, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WcLiveAssess, wc_live_assess, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_init))

static guint
entry_hash (gconstpointer data)
{
  const Entry *e = data;

  return g_direct_hash (e->inject) ^ (g_direct_hash (e->team) * 31) ^ (e->action * 7919);
}

static gboolean
entry_equal (gconstpointer a,
             gconstpointer b)
{
  const Entry *x = a, *y = b;

  return x->inject == y->inject && x->team == y->team && x->action == y->action;
}

static int
entry_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const Entry *x = a, *y = b;

  if (x->inject_ord != y->inject_ord)
    return x->inject_ord < y->inject_ord ? -1 : 1;
  if (x->team_ord != y->team_ord)
    return x->team_ord < y->team_ord ? -1 : 1;
  return (x->action > y->action) - (x->action < y->action);
}

static void
entry_free (gpointer data)
{
  Entry *e = data;

  if (e->item)
    g_object_remove_weak_pointer (G_OBJECT (e->item), (gpointer *) &e->item);
  g_free (e);
}

static GType
get_item_type (GListModel *model)
{
  return WC_TYPE_LIVE_ASSESS_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return g_sequence_get_length (WC_LIVE_ASSESS (model)->entries);
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  WcLiveAssess *self = WC_LIVE_ASSESS (model);
  GSequenceIter *iter = g_sequence_get_iter_at_pos (self->entries, position);
  WcScenario *scenario = wc_engine_get_scenario (self->engine);
  const char *lang = wc_scenario_get_default_language (scenario);
  const WcExpectedAction *action;
  WcLiveAssessItem *item;
  Entry *e;

  if (g_sequence_iter_is_end (iter))
    return NULL;
  e = g_sequence_get (iter);
  if (e->item)
    return g_object_ref (e->item);
  action = g_ptr_array_index (e->inject->expected_actions, e->action);
  item = g_object_new (WC_TYPE_LIVE_ASSESS_ITEM, NULL);
  item->inject = g_strdup (e->inject->id);
  item->inject_title = g_strdup (wc_text_get (e->inject->title, lang, NULL));
  item->team = g_strdup (e->team->id);
  item->team_name = g_strdup (wc_text_get (e->team->name, lang, NULL));
  item->action = g_strdup (action->id);
  item->action_text = g_strdup (wc_text_get (action->text, lang, NULL));
  item->objective = g_strdup (action->objective);
  item->proposal = e->proposal;
  e->item = item;
  g_object_add_weak_pointer (G_OBJECT (item), (gpointer *) &e->item);
  return item;
}

static void
list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static guint
inject_ord (WcLiveAssess   *self,
            const WcInject *inject)
{
  guint ord = GPOINTER_TO_UINT (g_hash_table_lookup (self->inject_ord, inject->id));

  if (ord == 0)
    {
      ord = ++self->next_ord;
      g_hash_table_insert (self->inject_ord, inject->id, GUINT_TO_POINTER (ord));
    }
  return ord;
}

static void
items_changed (WcLiveAssess *self,
               guint         position,
               guint         removed,
               guint         added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Whether (inject, team, action) waits for a person, and what the rule proposes. */
static gboolean
waits (WcLiveAssess   *self,
       const WcInject *inject,
       const WcTeam   *team,
       guint           action,
       WcVerdict      *proposal)
{
  WcJudgement j;

  if (wc_engine_get_team_state (self->engine, inject->id, team->id) == NULL)
    return FALSE;
  wc_engine_get_judgement (self->engine, inject->id, team->id,
                           g_ptr_array_index (inject->expected_actions, action), &j);
  *proposal = j.verdict;
  return j.verdict == WC_VERDICT_PENDING || j.automatic;
}

static Entry *
new_entry (WcLiveAssess   *self,
           const WcInject *inject,
           const WcTeam   *team,
           guint           action,
           WcVerdict       proposal)
{
  Entry *e = g_new0 (Entry, 1);

  e->inject = inject;
  e->team = team;
  e->action = action;
  e->inject_ord = inject_ord (self, inject);
  e->team_ord = GPOINTER_TO_UINT (g_hash_table_lookup (self->team_ord, team->id));
  e->proposal = proposal;
  return e;
}

/* Brings the rows of @team for @inject in line with the engine: @action one of them, or -1 for
 * every action. New rows of a contingency's late recipients, or of a judgement withdrawn, go in
 * their place; a block of new rows side by side (an inject fired to every team) is one change. */
static void
refresh (WcLiveAssess   *self,
         const WcInject *inject,
         const WcTeam   *team,
         int             action)
{
  guint first = action < 0 ? 0 : (guint) action;
  guint last = action < 0 ? inject->expected_actions->len : (guint) action + 1;
  g_autoptr(GPtrArray) added = g_ptr_array_new ();

  for (guint a = first; a < last && a < inject->expected_actions->len; a++)
    {
      Entry key = { inject, team, a };
      Entry *e = g_hash_table_lookup (self->by_key, &key);
      WcVerdict proposal = WC_VERDICT_PENDING;
      gboolean waiting = waits (self, inject, team, a, &proposal);

      if (waiting && e == NULL)
        g_ptr_array_add (added, new_entry (self, inject, team, a, proposal));
      else if (waiting && e->proposal != proposal)
        {
          e->proposal = proposal;
          if (e->item)
            {
              e->item->proposal = proposal;
              g_object_notify_by_pspec (G_OBJECT (e->item), item_props[ITEM_PROP_PROPOSAL]);
              g_object_notify_by_pspec (G_OBJECT (e->item), item_props[ITEM_PROP_PROPOSAL_LABEL]);
            }
        }
      else if (!waiting && e != NULL)
        {
          guint position = g_sequence_iter_get_position (e->iter);

          g_hash_table_remove (self->by_key, e);
          g_sequence_remove (e->iter);
          items_changed (self, position, 1, 0);
        }
    }
  for (guint i = 0; i < added->len; i++)
    {
      Entry *e = g_ptr_array_index (added, i);

      e->iter = g_sequence_insert_sorted (self->entries, e, entry_compare, NULL);
      g_hash_table_add (self->by_key, e);
      items_changed (self, g_sequence_iter_get_position (e->iter), 0, 1);
    }
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return entry_compare (*(Entry **) a, *(Entry **) b, NULL);
}

/* An inject fired to @teams: their rows, in one change when they sit side by side. */
static void
on_fired (WcLiveAssess   *self,
          const WcInject *inject,
          JsonArray      *teams)
{
  WcScenario *scenario = wc_engine_get_scenario (self->engine);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  GSequenceIter *before, *after;

  if (inject->expected_actions->len == 0)
    return;
  for (guint i = 0; teams && i < json_array_get_length (teams); i++)
    {
      const WcTeam *team = wc_scenario_find_team (scenario, json_array_get_string_element (teams, i));

      for (guint a = 0; team && a < inject->expected_actions->len; a++)
        {
          Entry key = { inject, team, a };
          WcVerdict proposal;

          if (!g_hash_table_contains (self->by_key, &key) && waits (self, inject, team, a, &proposal))
            g_ptr_array_add (added, new_entry (self, inject, team, a, proposal));
        }
    }
  if (added->len == 0)
    return;
  g_ptr_array_sort_with_data (added, compare_entries, NULL);
  before = g_sequence_search (self->entries, added->pdata[0], entry_compare, NULL);
  after = g_sequence_search (self->entries, added->pdata[added->len - 1], entry_compare, NULL);
  if (before != after)
    {
      /* rare: among rows already there (a contingency fired again) */
      for (guint i = 0; i < added->len; i++)
        {
          Entry *e = g_ptr_array_index (added, i);

          e->iter = g_sequence_insert_sorted (self->entries, e, entry_compare, NULL);
          g_hash_table_add (self->by_key, e);
          items_changed (self, g_sequence_iter_get_position (e->iter), 0, 1);
        }
      return;
    }
  for (guint i = 0; i < added->len; i++)
    {
      Entry *e = g_ptr_array_index (added, i);

      e->iter = g_sequence_insert_before (after, e);
      g_hash_table_add (self->by_key, e);
    }
  items_changed (self, g_sequence_iter_get_position (((Entry *) added->pdata[0])->iter), 0,
                 added->len);
}

static int
action_index (const WcInject *inject,
              const char     *action_id)
{
  for (guint a = 0; action_id && a < inject->expected_actions->len; a++)
    if (strcmp (((WcExpectedAction *) g_ptr_array_index (inject->expected_actions, a))->id,
                action_id) == 0)
      return a;
  return -1;
}

static void
on_record (WcEngine     *engine,
           guint64       seq,
           WcRecordType  type,
           JsonObject   *data,
           gint64        t_ms,
           WcLiveAssess *self)
{
  const char *inject_id = wc_record_get_inject (data);
  const WcInject *inject = inject_id ? wc_engine_find_inject (engine, inject_id) : NULL;
  const WcTeam *team;
  int action = -1;

  if (inject == NULL)
    return;
  if (type == WC_RECORD_INJECT_FIRED)
    {
      on_fired (self, inject, wc_record_get_teams (data));
      return;
    }
  if (!wc_record_type_has_flag (type, WC_RECORD_FLAG_TEAM) ||
      (team = wc_scenario_find_team (wc_engine_get_scenario (engine),
                                     wc_record_get_team (data))) == NULL)
    return;
  /* a judgement is of one action; what a team does may change any of its proposals */
  if (type == WC_RECORD_ACTION_ASSESSED || type == WC_RECORD_ACTION_MET)
    if ((action = action_index (inject, wc_record_get_action (data))) < 0)
      return;
  refresh (self, inject, team, action);
}

static void
wc_live_assess_dispose (GObject *object)
{
  WcLiveAssess *self = WC_LIVE_ASSESS (object);

  if (self->engine)
    g_clear_signal_handler (&self->record_handler, self->engine);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (wc_live_assess_parent_class)->dispose (object);
}

static void
wc_live_assess_finalize (GObject *object)
{
  WcLiveAssess *self = WC_LIVE_ASSESS (object);

  g_hash_table_unref (self->by_key);
  g_sequence_free (self->entries);
  g_hash_table_unref (self->inject_ord);
  g_hash_table_unref (self->team_ord);
  G_OBJECT_CLASS (wc_live_assess_parent_class)->finalize (object);
}

static void
wc_live_assess_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_N_ITEMS: g_value_set_uint (value, get_n_items (G_LIST_MODEL (object))); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_live_assess_class_init (WcLiveAssessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_live_assess_dispose;
  object_class->finalize = wc_live_assess_finalize;
  object_class->get_property = wc_live_assess_get_property;
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wc_live_assess_init (WcLiveAssess *self)
{
  self->entries = g_sequence_new (entry_free);
  self->by_key = g_hash_table_new (entry_hash, entry_equal);
  self->inject_ord = g_hash_table_new (g_str_hash, g_str_equal);
  self->team_ord = g_hash_table_new (g_str_hash, g_str_equal);
}

typedef struct {
  gint64          fired_ms;
  guint           index;
  const WcInject *inject;
} Fired;

static int
compare_fired (gconstpointer a,
               gconstpointer b)
{
  const Fired *x = a, *y = b;

  if (x->fired_ms != y->fired_ms)
    return x->fired_ms < y->fired_ms ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

WcLiveAssess *
wc_live_assess_new (WcEngine *engine)
{
  WcLiveAssess *self = g_object_new (WC_TYPE_LIVE_ASSESS, NULL);
  WcScenario *scenario = wc_engine_get_scenario (engine);
  g_autoptr(GArray) fired = g_array_new (FALSE, FALSE, sizeof (Fired));
  g_autoptr(GArray) items = NULL;

  self->engine = g_object_ref (engine);
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    g_hash_table_insert (self->team_ord, wc_scenario_get_team (scenario, i)->id,
                         GUINT_TO_POINTER (i + 1));
  /* a resumed exercise: the injects fired so far, in the order they fired */
  for (guint i = 0; i < wc_engine_get_n_injects (engine); i++)
    {
      const WcInject *inject = wc_engine_get_inject (engine, i);
      Fired f = { wc_engine_get_inject_fired_at (engine, inject->id), i, inject };

      if (f.fired_ms >= 0)
        g_array_append_val (fired, f);
    }
  g_array_sort (fired, compare_fired);
  for (guint i = 0; i < fired->len; i++)
    inject_ord (self, g_array_index (fired, Fired, i).inject);

  items = wc_engine_list_to_assess (engine);
  for (guint i = 0; i < items->len; i++)
    {
      const WcAssessItem *item = &g_array_index (items, WcAssessItem, i);
      const WcTeam *team = wc_scenario_find_team (scenario, item->team);
      int action = action_index (item->inject, item->action->id);
      Entry *e;

      if (team == NULL || action < 0)
        continue;
      e = new_entry (self, item->inject, team, action, item->proposal.verdict);
      e->iter = g_sequence_append (self->entries, e);
      g_hash_table_add (self->by_key, e);
    }
  g_sequence_sort (self->entries, entry_compare, NULL);
  self->record_handler = g_signal_connect (engine, "record", G_CALLBACK (on_record), self);
  return self;
}

int
wc_live_assess_find (WcLiveAssess *self,
                     const char   *inject_id,
                     const char   *team_id,
                     const char   *action_id)
{
  const WcInject *inject = wc_engine_find_inject (self->engine, inject_id);
  Entry key = { inject, NULL, 0 };
  Entry *e;
  int action;

  if (inject == NULL || (action = action_index (inject, action_id)) < 0 ||
      (key.team = wc_scenario_find_team (wc_engine_get_scenario (self->engine), team_id)) == NULL)
    return -1;
  key.action = action;
  e = g_hash_table_lookup (self->by_key, &key);
  return e ? (int) g_sequence_iter_get_position (e->iter) : -1;
}
