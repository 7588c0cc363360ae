/* wc-scenario.c: the in-memory model of an exercise scenario. */
#define G_LOG_DOMAIN "wc-scenario"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "wc-scenario.h"

/* WcText ------------------------------------------------------------------------------------- */

/* A plain text is stored under the empty language. A text has one to four languages, so a
 * short array beats a hash table, and a 10,000-inject scenario has 30,000 texts. */
typedef struct {
  char *lang;
  char *value;
} TextItem;

struct _WcText {
  gatomicrefcount ref_count;
  guint           n_items;
  TextItem       *items;
};

WcText *
wc_text_new (void)
{
  WcText *text = g_new0 (WcText, 1);

  g_atomic_ref_count_init (&text->ref_count);
  return text;
}

WcText *
wc_text_new_plain (const char *value)
{
  WcText *text = wc_text_new ();

  wc_text_set (text, NULL, value);
  return text;
}

WcText *
wc_text_ref (WcText *text)
{
  g_atomic_ref_count_inc (&text->ref_count);
  return text;
}

void
wc_text_unref (WcText *text)
{
  if (text != NULL && g_atomic_ref_count_dec (&text->ref_count))
    {
      for (guint i = 0; i < text->n_items; i++)
        {
          g_free (text->items[i].lang);
          g_free (text->items[i].value);
        }
      g_free (text->items);
      g_free (text);
    }
}

static TextItem *
find_item (const WcText *text,
           const char   *lang)
{
  for (guint i = 0; i < text->n_items; i++)
    if (strcmp (text->items[i].lang, lang) == 0)
      return &text->items[i];
  return NULL;
}

void
wc_text_set (WcText     *text,
             const char *lang,
             const char *value)
{
  TextItem *item = find_item (text, lang ? lang : "");

  if (item == NULL)
    {
      text->items = g_renew (TextItem, text->items, text->n_items + 1);
      item = &text->items[text->n_items++];
      item->lang = g_strdup (lang ? lang : "");
      item->value = NULL;
    }
  g_free (item->value);
  item->value = g_strdup (value);
}

const char *
wc_text_get_exact (const WcText *text,
                   const char   *lang)
{
  TextItem *item;

  if (text == NULL)
    return NULL;
  item = find_item (text, lang ? lang : "");
  return item ? item->value : NULL;
}

const char *
wc_text_get (const WcText *text,
             const char   *lang,
             const char   *fallback_lang)
{
  const TextItem *best = NULL;
  TextItem *item;

  if (text == NULL)
    return NULL;
  if (lang && (item = find_item (text, lang)))
    return item->value;
  if (fallback_lang && (item = find_item (text, fallback_lang)))
    return item->value;
  if ((item = find_item (text, "")))
    return item->value;
  /* Any language, but the same one every time: the smallest code. */
  for (guint i = 0; i < text->n_items; i++)
    if (best == NULL || strcmp (text->items[i].lang, best->lang) < 0)
      best = &text->items[i];
  return best ? best->value : NULL;
}

gboolean
wc_text_is_plain (const WcText *text)
{
  return text != NULL && text->n_items == 1 && text->items[0].lang[0] == '\0';
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

const char **
wc_text_get_languages (const WcText *text)
{
  const char **langs = g_new0 (const char *, text->n_items + 1);
  guint n = 0;

  for (guint i = 0; i < text->n_items; i++)
    if (text->items[i].lang[0] != '\0')
      langs[n++] = text->items[i].lang;
  qsort (langs, n, sizeof (char *), compare_strings);
  return langs;
}

/* Names ------------------------------------------------------------------------------------ */

static const char *const tlp_names[] = { "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED", NULL };
static const char *const team_kind_names[] = {
  "csirt", "sector-authority", "operator", "crisis-centre", "government", "press-office", "other",
  NULL
};
static const char *const channel_names[] = {
  "email", "phone", "news", "social", "artefact", "decision", "alert", "chat", NULL
};
static const char *const trigger_names[] = { "at", "after", "no-response", "manual", NULL };

gboolean
wc_name_lookup (const char *const *names,
                const char        *str,
                int               *out)
{
  if (str == NULL)
    return FALSE;
  for (int i = 0; names[i] != NULL; i++)
    if (strcmp (names[i], str) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
wc_tlp_to_string (WcTlp tlp)
{
  g_return_val_if_fail (tlp <= WC_TLP_RED, NULL);
  return tlp_names[tlp];
}

gboolean
wc_tlp_from_string (const char *str,
                    WcTlp      *tlp)
{
  int v;

  if (!wc_name_lookup (tlp_names, str, &v))
    return FALSE;
  *tlp = v;
  return TRUE;
}

const char *
wc_team_kind_to_string (WcTeamKind kind)
{
  g_return_val_if_fail (kind <= WC_TEAM_KIND_OTHER, NULL);
  return team_kind_names[kind];
}

gboolean
wc_team_kind_from_string (const char *str,
                          WcTeamKind *kind)
{
  int v;

  if (!wc_name_lookup (team_kind_names, str, &v))
    return FALSE;
  *kind = v;
  return TRUE;
}

const char *
wc_channel_to_string (WcChannel channel)
{
  g_return_val_if_fail (channel <= WC_CHANNEL_CHAT, NULL);
  return channel_names[channel];
}

gboolean
wc_channel_from_string (const char *str,
                        WcChannel  *channel)
{
  int v;

  if (!wc_name_lookup (channel_names, str, &v))
    return FALSE;
  *channel = v;
  return TRUE;
}

const char *
wc_trigger_kind_to_string (WcTriggerKind kind)
{
  g_return_val_if_fail (kind <= WC_TRIGGER_MANUAL, NULL);
  return trigger_names[kind];
}

const char *const *wc_tlp_names (void) { return tlp_names; }
const char *const *wc_team_kind_names (void) { return team_kind_names; }
const char *const *wc_channel_names (void) { return channel_names; }

/* Parts ------------------------------------------------------------------------------------ */

static void
objective_free (gpointer data)
{
  WcObjective *o = data;

  g_free (o->id);
  wc_text_unref (o->text);
  g_free (o);
}

static void
team_free (gpointer data)
{
  WcTeam *t = data;

  g_free (t->id);
  wc_text_unref (t->name);
  g_free (t->language);
  g_free (t->webhook);
  g_free (t->contact);
  g_free (t->sector);
  g_free (t);
}

static void
actor_free (gpointer data)
{
  WcActor *a = data;

  g_free (a->id);
  wc_text_unref (a->name);
  wc_text_unref (a->role);
  g_free (a);
}

static void
attachment_free (gpointer data)
{
  WcAttachment *a = data;

  g_free (a->file);
  g_free (a->media_type);
  wc_text_unref (a->title);
  g_free (a);
}

static void
expected_action_free (gpointer data)
{
  WcExpectedAction *e = data;

  g_free (e->id);
  wc_text_unref (e->text);
  g_free (e->objective);
  g_free (e->judge_option);
  g_free (e);
}

static void
decision_option_free (gpointer data)
{
  WcDecisionOption *o = data;

  g_free (o->id);
  wc_text_unref (o->text);
  g_free (o);
}

WcStaff *
wc_staff_new (void)
{
  return g_new0 (WcStaff, 1);
}

void
wc_staff_free (WcStaff *staff)
{
  if (staff == NULL)
    return;
  g_free (staff->id);
  g_free (staff->name);
  g_free (staff);
}

static const char *const staff_role_names[] = { "director", "controller", "evaluator", "observer", NULL };

const char *
wc_staff_role_to_string (WcStaffRole role)
{
  g_return_val_if_fail (role <= WC_STAFF_OBSERVER, NULL);
  return staff_role_names[role];
}

gboolean
wc_staff_role_from_string (const char  *name,
                           WcStaffRole *role)
{
  int v;

  if (!wc_name_lookup (staff_role_names, name, &v))
    return FALSE;
  *role = v;
  return TRUE;
}

char *
wc_judge_rule_to_string (WcJudgeRule  rule,
                         const char  *option)
{
  switch (rule)
    {
    case WC_JUDGE_ACKNOWLEDGE: return g_strdup ("acknowledge");
    case WC_JUDGE_ANSWER: return g_strdup ("answer");
    case WC_JUDGE_OPTION: return g_strconcat ("option:", option ? option : "", NULL);
    case WC_JUDGE_MANUAL:
    default: return g_strdup ("manual");
    }
}

WcInject *
wc_inject_new (void)
{
  WcInject *inject = g_new0 (WcInject, 1);

  inject->at_ms = -1;
  inject->trigger_delay_ms = 0;
  inject->to = g_ptr_array_new_with_free_func (g_free);
  inject->attachments = g_ptr_array_new_with_free_func (attachment_free);
  inject->expected_actions = g_ptr_array_new_with_free_func (expected_action_free);
  inject->options = g_ptr_array_new_with_free_func (decision_option_free);
  return inject;
}

void
wc_inject_free (WcInject *inject)
{
  if (inject == NULL)
    return;
  g_free (inject->id);
  g_free (inject->trigger_inject);
  wc_text_unref (inject->title);
  wc_text_unref (inject->body);
  g_free (inject->from);
  g_ptr_array_unref (inject->to);
  g_ptr_array_unref (inject->attachments);
  g_ptr_array_unref (inject->expected_actions);
  g_ptr_array_unref (inject->options);
  g_free (inject->notes);
  g_free (inject);
}

WcExpectedAction *
wc_expected_action_new (void)
{
  WcExpectedAction *e = g_new0 (WcExpectedAction, 1);

  e->deadline_ms = -1;
  return e;
}

WcDecisionOption *
wc_decision_option_new (void)
{
  return g_new0 (WcDecisionOption, 1);
}

WcAttachment *
wc_attachment_new (void)
{
  return g_new0 (WcAttachment, 1);
}

WcMatrixRule *
wc_matrix_rule_new (void)
{
  WcMatrixRule *rule = g_new0 (WcMatrixRule, 1);

  rule->to = g_ptr_array_new_with_free_func (g_free);
  return rule;
}

void
wc_matrix_rule_free (WcMatrixRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->from);
  g_ptr_array_unref (rule->to);
  g_free (rule);
}

WcCoordination *
wc_coordination_new (void)
{
  WcCoordination *c = g_new0 (WcCoordination, 1);

  for (guint i = 0; i < WC_N_STAGES; i++)
    c->deadlines[i] = -1;
  return c;
}

void
wc_coordination_free (WcCoordination *coordination)
{
  if (coordination == NULL)
    return;
  g_clear_pointer (&coordination->matrix, g_ptr_array_unref);
  g_clear_pointer (&coordination->authorities, g_ptr_array_unref);
  g_free (coordination);
}

/* WcScenario -------------------------------------------------------------------------------- */

struct _WcScenario {
  GObject     parent_instance;

  char       *path;
  char       *sha256;
  char       *id;
  WcText     *title;
  WcText     *description;
  WcTlp       tlp;
  GStrv       languages;
  char       *default_language;
  gint64      duration_ms;

  GPtrArray  *objectives;
  GPtrArray  *teams;
  GPtrArray  *actors;
  GPtrArray  *staff;
  GPtrArray  *injects;
  /* id → index + 1, so that references resolve in O(1) in scenarios of 10,000 injects */
  GHashTable *objective_index;
  GHashTable *team_index;
  GHashTable *actor_index;
  GHashTable *staff_index;
  GHashTable *inject_index;
  WcCoordination *coordination; /* nullable */
};

G_DEFINE_FINAL_TYPE (WcScenario, wc_scenario, G_TYPE_OBJECT)

static void
wc_scenario_finalize (GObject *object)
{
  WcScenario *self = WC_SCENARIO (object);

  g_free (self->path);
  g_free (self->sha256);
  g_free (self->id);
  wc_text_unref (self->title);
  wc_text_unref (self->description);
  g_strfreev (self->languages);
  g_free (self->default_language);
  g_hash_table_unref (self->objective_index);
  g_hash_table_unref (self->team_index);
  g_hash_table_unref (self->actor_index);
  g_hash_table_unref (self->staff_index);
  g_hash_table_unref (self->inject_index);
  g_ptr_array_unref (self->objectives);
  g_ptr_array_unref (self->teams);
  g_ptr_array_unref (self->actors);
  g_ptr_array_unref (self->staff);
  g_ptr_array_unref (self->injects);
  g_clear_pointer (&self->coordination, wc_coordination_free);

  G_OBJECT_CLASS (wc_scenario_parent_class)->finalize (object);
}

static void
wc_scenario_class_init (WcScenarioClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wc_scenario_finalize;
}

static void
wc_scenario_init (WcScenario *self)
{
  static const char *const default_languages[] = { "en", NULL };

  self->tlp = WC_TLP_AMBER;
  self->languages = g_strdupv ((char **) default_languages);
  self->default_language = g_strdup ("en");
  self->objectives = g_ptr_array_new_with_free_func (objective_free);
  self->teams = g_ptr_array_new_with_free_func (team_free);
  self->actors = g_ptr_array_new_with_free_func (actor_free);
  self->staff = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_staff_free);
  self->injects = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_inject_free);
  /* Keys are the ids inside the structs the arrays own. */
  self->objective_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->team_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->actor_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->staff_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->inject_index = g_hash_table_new (g_str_hash, g_str_equal);
}

WcScenario *
wc_scenario_new (void)
{
  return g_object_new (WC_TYPE_SCENARIO, NULL);
}

const char *wc_scenario_get_path (WcScenario *self) { return self->path; }
const WcCoordination *wc_scenario_get_coordination (WcScenario *self) { return self->coordination; }

void
wc_scenario_set_coordination (WcScenario     *self,
                              WcCoordination *coordination)
{
  if (self->coordination == coordination)
    return;
  g_clear_pointer (&self->coordination, wc_coordination_free);
  self->coordination = coordination;
}
const char *wc_scenario_get_sha256 (WcScenario *self) { return self->sha256; }
const char *wc_scenario_get_id (WcScenario *self) { return self->id; }
const WcText *wc_scenario_get_title (WcScenario *self) { return self->title; }
const WcText *wc_scenario_get_description (WcScenario *self) { return self->description; }
WcTlp wc_scenario_get_tlp (WcScenario *self) { return self->tlp; }
gint64 wc_scenario_get_duration_ms (WcScenario *self) { return self->duration_ms; }

const char *const *
wc_scenario_get_languages (WcScenario *self)
{
  return (const char *const *) self->languages;
}

const char *
wc_scenario_get_default_language (WcScenario *self)
{
  return self->default_language;
}

static gpointer
find_in (GPtrArray  *array,
         GHashTable *index,
         const char *id)
{
  guint i = id ? GPOINTER_TO_UINT (g_hash_table_lookup (index, id)) : 0;

  return i ? g_ptr_array_index (array, i - 1) : NULL;
}

guint wc_scenario_get_n_objectives (WcScenario *self) { return self->objectives->len; }
guint wc_scenario_get_n_teams (WcScenario *self) { return self->teams->len; }
guint wc_scenario_get_n_actors (WcScenario *self) { return self->actors->len; }
guint wc_scenario_get_n_staff (WcScenario *self) { return self->staff->len; }

const WcStaff *
wc_scenario_get_staff (WcScenario *self, guint i)
{
  g_return_val_if_fail (i < self->staff->len, NULL);
  return g_ptr_array_index (self->staff, i);
}

const WcStaff *
wc_scenario_find_staff (WcScenario *self, const char *id)
{
  return find_in (self->staff, self->staff_index, id);
}
guint wc_scenario_get_n_injects (WcScenario *self) { return self->injects->len; }

const WcObjective *
wc_scenario_get_objective (WcScenario *self, guint i)
{
  g_return_val_if_fail (i < self->objectives->len, NULL);
  return g_ptr_array_index (self->objectives, i);
}

const WcTeam *
wc_scenario_get_team (WcScenario *self, guint i)
{
  g_return_val_if_fail (i < self->teams->len, NULL);
  return g_ptr_array_index (self->teams, i);
}

const WcActor *
wc_scenario_get_actor (WcScenario *self, guint i)
{
  g_return_val_if_fail (i < self->actors->len, NULL);
  return g_ptr_array_index (self->actors, i);
}

const WcInject *
wc_scenario_get_inject (WcScenario *self, guint i)
{
  g_return_val_if_fail (i < self->injects->len, NULL);
  return g_ptr_array_index (self->injects, i);
}

const WcObjective *
wc_scenario_find_objective (WcScenario *self, const char *id)
{
  return find_in (self->objectives, self->objective_index, id);
}

gboolean
wc_scenario_is_valid_id (const char *id)
{
  gsize n = id ? strlen (id) : 0;

  if (n == 0 || n > 64)
    return FALSE;
  for (const char *c = id; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '_' && *c != '-' && *c != '.')
      return FALSE;
  return TRUE;
}

const WcTeam *
wc_scenario_find_team (WcScenario *self, const char *id)
{
  return find_in (self->teams, self->team_index, id);
}

const WcActor *
wc_scenario_find_actor (WcScenario *self, const char *id)
{
  return find_in (self->actors, self->actor_index, id);
}

const WcInject *
wc_scenario_find_inject (WcScenario *self, const char *id)
{
  return find_in (self->injects, self->inject_index, id);
}

int
wc_scenario_get_inject_index (WcScenario *self,
                              const char *id)
{
  guint i = id ? GPOINTER_TO_UINT (g_hash_table_lookup (self->inject_index, id)) : 0;

  return (int) i - 1;
}

static void
replace_str (char       **field,
             const char  *value)
{
  char *old = *field;

  *field = g_strdup (value);
  g_free (old);
}

void wc_scenario_set_path (WcScenario *self, const char *path) { replace_str (&self->path, path); }
void wc_scenario_set_sha256 (WcScenario *self, const char *sha) { replace_str (&self->sha256, sha); }
void wc_scenario_set_id (WcScenario *self, const char *id) { replace_str (&self->id, id); }
void wc_scenario_set_tlp (WcScenario *self, WcTlp tlp) { self->tlp = tlp; }
void wc_scenario_set_duration_ms (WcScenario *self, gint64 ms) { self->duration_ms = ms; }

void
wc_scenario_set_title (WcScenario *self,
                       WcText     *title)
{
  WcText *old = self->title;

  self->title = title ? wc_text_ref (title) : NULL;
  wc_text_unref (old);
}

void
wc_scenario_set_description (WcScenario *self,
                             WcText     *description)
{
  WcText *old = self->description;

  self->description = description ? wc_text_ref (description) : NULL;
  wc_text_unref (old);
}

void
wc_scenario_set_languages (WcScenario        *self,
                           const char *const *languages,
                           const char        *default_language)
{
  g_strfreev (self->languages);
  self->languages = g_strdupv ((char **) languages);
  replace_str (&self->default_language,
               default_language ? default_language : (languages && languages[0] ? languages[0] : "en"));
}

static void
add_indexed (GPtrArray  *array,
             GHashTable *index,
             const char *id,
             gpointer    item)
{
  g_ptr_array_add (array, item);
  /* The first of two equal ids wins, as the loader reports the second as a duplicate. */
  if (id != NULL && !g_hash_table_contains (index, id))
    g_hash_table_insert (index, (gpointer) id, GUINT_TO_POINTER (array->len));
}

void
wc_scenario_add_objective (WcScenario *self, WcObjective *objective)
{
  add_indexed (self->objectives, self->objective_index, objective->id, objective);
}

void
wc_scenario_add_team (WcScenario *self, WcTeam *team)
{
  add_indexed (self->teams, self->team_index, team->id, team);
}

void
wc_scenario_add_actor (WcScenario *self, WcActor *actor)
{
  add_indexed (self->actors, self->actor_index, actor->id, actor);
}

void
wc_scenario_add_staff (WcScenario *self, WcStaff *staff)
{
  add_indexed (self->staff, self->staff_index, staff->id, staff);
}

void
wc_scenario_add_inject (WcScenario *self, WcInject *inject)
{
  add_indexed (self->injects, self->inject_index, inject->id, inject);
}
