/* wc-action-judge.c: judging one expected action for one team, from the inject's detail. */
#define G_LOG_DOMAIN "wc-action-judge"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-action-judge.h"
#include "wc-live.h"

struct _WcActionJudge {
  GtkWidget    parent_instance;

  WcEngine    *engine;
  char        *inject_id;
  char        *team_id;
  char        *action_id;
  WcVerdict    shown;        /* the standing verdict last shown */

  GtkWidget   *box;
  GtkLabel    *action_label;
  GtkLabel    *verdict_label;
  GtkLabel    *meta_label;
  GtkLabel    *note_label;
  GtkDropDown *verdict_dropdown;
  GtkEntry    *note_entry;
  GtkLabel    *error_label;
};

G_DEFINE_FINAL_TYPE (WcActionJudge, wc_action_judge, GTK_TYPE_WIDGET)

/* The drop-down's items, in the order of wc-action-judge.ui */
static const WcVerdict verdicts[] = {
  WC_VERDICT_MET, WC_VERDICT_LATE, WC_VERDICT_PARTIAL, WC_VERDICT_NOT_MET, WC_VERDICT_NA,
  WC_VERDICT_PENDING,
};

static const WcExpectedAction *
find_action (WcActionJudge *self)
{
  const WcInject *inject = wc_engine_find_inject (self->engine, self->inject_id);

  for (guint i = 0; inject && i < inject->expected_actions->len; i++)
    {
      const WcExpectedAction *a = g_ptr_array_index (inject->expected_actions, i);

      if (g_strcmp0 (a->id, self->action_id) == 0)
        return a;
    }
  return NULL;
}

static void
select_verdict (WcActionJudge *self,
                WcVerdict      verdict)
{
  for (guint i = 0; i < G_N_ELEMENTS (verdicts); i++)
    if (verdicts[i] == verdict)
      gtk_drop_down_set_selected (self->verdict_dropdown, i);
}

void
wc_action_judge_update (WcActionJudge *self)
{
  const WcExpectedAction *action = find_action (self);
  static const char *const classes[] = {
    "verdict-pending", "verdict-met", "verdict-late", "verdict-partial", "verdict-not-met",
    "verdict-na",
  };
  g_autofree char *when = NULL;
  g_autofree char *meta = NULL;
  WcJudgement j;

  if (action == NULL)
    return;
  wc_engine_get_judgement (self->engine, self->inject_id, self->team_id, action, &j);
  if (j.t_ms >= 0)
    when = wc_time_format (j.t_ms, FALSE);
  if (j.verdict == WC_VERDICT_PENDING)
    gtk_label_set_label (self->verdict_label, _("Not judged"));
  else if (j.automatic)
    gtk_label_set_label (self->verdict_label, wc_live_verdict_proposed_label (j.verdict));
  else
    gtk_label_set_label (self->verdict_label, wc_live_verdict_label (j.verdict));
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_label), classes[j.verdict]);
  if (j.automatic)
    /* Translators: a rule's proposal: "by the rule, from what the team did at T+00:22:00" */
    meta = g_strdup_printf (_("by the rule, from what the team did at %s; confirm or change it"),
                            when);
  else if (j.verdict != WC_VERDICT_PENDING)
    /* Translators: who judged and when: "by Nathalie Dumont at T+00:40:00" */
    meta = g_strdup_printf (_("by %s at %s"), wc_live_staff_name (self->engine, j.by), when);
  gtk_label_set_label (self->meta_label, meta ? meta : "");
  gtk_widget_set_visible (GTK_WIDGET (self->meta_label), meta != NULL);
  gtk_label_set_label (self->note_label, j.note ? j.note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), j.note != NULL);
  /* a new standing verdict (another evaluator's) becomes the choice; the note typed stays */
  if (j.verdict != self->shown)
    select_verdict (self, j.verdict == WC_VERDICT_PENDING ? WC_VERDICT_MET : j.verdict);
  self->shown = j.verdict;
}

static void
assess (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  WcActionJudge *self = WC_ACTION_JUDGE (widget);
  guint i = gtk_drop_down_get_selected (self->verdict_dropdown);
  const char *note = gtk_editable_get_text (GTK_EDITABLE (self->note_entry));
  g_autoptr(GError) error = NULL;

  if (i >= G_N_ELEMENTS (verdicts))
    return;
  /* the controller at this machine: not whoever the server last acted for */
  wc_engine_set_actor (self->engine, NULL);
  if (!wc_engine_assess (self->engine, self->inject_id, self->team_id, self->action_id,
                         verdicts[i], note, &error))
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  wc_action_judge_update (self);
}

static void
on_note_activate (WcActionJudge *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "judge.assess", NULL);
}

GtkWidget *
wc_action_judge_new (WcEngine               *engine,
                     const char             *inject_id,
                     const char             *team_id,
                     const WcExpectedAction *action)
{
  WcActionJudge *self = g_object_new (WC_TYPE_ACTION_JUDGE, NULL);
  const char *lang = wc_scenario_get_default_language (wc_engine_get_scenario (engine));
  g_autofree char *accessible = NULL;

  self->engine = g_object_ref (engine);
  self->inject_id = g_strdup (inject_id);
  self->team_id = g_strdup (team_id);
  self->action_id = g_strdup (action->id);
  gtk_label_set_label (self->action_label, wc_text_get (action->text, lang, NULL));
  accessible = g_strdup_printf (_("Judgement of “%s”"), wc_text_get (action->text, lang, NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdict_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  wc_action_judge_update (self);
  return GTK_WIDGET (self);
}

const char *
wc_action_judge_get_action_id (WcActionJudge *self)
{
  return self->action_id;
}

void
wc_action_judge_set_choice (WcActionJudge *self,
                            WcVerdict      verdict,
                            const char    *note)
{
  select_verdict (self, verdict);
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), note ? note : "");
}

char *
wc_action_judge_describe (WcActionJudge *self)
{
  GString *out = g_string_new (gtk_label_get_label (self->verdict_label));

  if (gtk_widget_get_visible (GTK_WIDGET (self->meta_label)))
    g_string_append_printf (out, " · %s", gtk_label_get_label (self->meta_label));
  if (gtk_widget_get_visible (GTK_WIDGET (self->note_label)))
    g_string_append_printf (out, " · %s", gtk_label_get_label (self->note_label));
  return g_string_free (out, FALSE);
}

static void
wc_action_judge_dispose (GObject *object)
{
  WcActionJudge *self = WC_ACTION_JUDGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_ACTION_JUDGE);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (wc_action_judge_parent_class)->dispose (object);
}

static void
wc_action_judge_finalize (GObject *object)
{
  WcActionJudge *self = WC_ACTION_JUDGE (object);

  g_free (self->inject_id);
  g_free (self->team_id);
  g_free (self->action_id);
  G_OBJECT_CLASS (wc_action_judge_parent_class)->finalize (object);
}

static void
wc_action_judge_class_init (WcActionJudgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_action_judge_dispose;
  object_class->finalize = wc_action_judge_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/be/whitecell/Whitecell/wc-action-judge.ui");
  gtk_widget_class_bind_template_child (widget_class, WcActionJudge, box);
  gtk_widget_class_bind_template_child (widget_class, WcActionJudge, action_label);
  gtk_widget_class_bind_template_child (widget_class, WcActionJudge, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, WcActionJudge, meta_label);
  gtk_widget_class_bind_template_child (widget_class, WcActionJudge, note_label);
  gtk_widget_class_bind_template_child (widget_class, WcActionJudge, verdict_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WcActionJudge, note_entry);
  gtk_widget_class_bind_template_child (widget_class, WcActionJudge, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_note_activate);
  gtk_widget_class_install_action (widget_class, "judge.assess", NULL, assess);
}

static void
wc_action_judge_init (WcActionJudge *self)
{
  self->shown = (WcVerdict) -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}
