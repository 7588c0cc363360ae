/* wc-inject-team-row.c: one team's side of an inject, in the inject's detail. */
#define G_LOG_DOMAIN "wc-inject-team-row"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-action-judge.h"
#include "wc-inject-team-row.h"

struct _WcInjectTeamRow {
  GtkListBoxRow parent_instance;

  WcEngine     *engine;
  char         *inject_id;
  char         *team_id;
  guint         n_answers;    /* shown so far */

  GtkLabel     *name_label;
  GtkLabel     *times_label;
  GtkBox       *answers_box;
  GtkBox       *actions_box;
};

G_DEFINE_FINAL_TYPE (WcInjectTeamRow, wc_inject_team_row, GTK_TYPE_LIST_BOX_ROW)

static char *
time_or_dash (gint64 ms)
{
  return ms >= 0 ? wc_time_format (ms, FALSE) : g_strdup ("—");
}

static void
add_answer (WcInjectTeamRow  *self,
            const WcResponse *r)
{
  g_autofree char *when = wc_time_format (r->t_ms, FALSE);
  g_autofree char *line = NULL;
  GtkWidget *label;

  if (r->option && r->text)
    line = g_strdup_printf (_("%s — chose “%s”: %s"), when, r->option, r->text);
  else if (r->option)
    line = g_strdup_printf (_("%s — chose “%s”"), when, r->option);
  else
    line = g_strdup_printf ("%s — %s", when, r->text ? r->text : "");
  /* participants' text: a plain label (no markup), wrapped and selectable */
  label = gtk_label_new (line);
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "response");
  gtk_box_append (self->answers_box, label);
}

void
wc_inject_team_row_update (WcInjectTeamRow *self)
{
  const WcTeamInjectState *state = wc_engine_get_team_state (self->engine, self->inject_id,
                                                              self->team_id);
  const WcInject *inject = wc_engine_find_inject (self->engine, self->inject_id);
  g_autofree char *delivered = time_or_dash (state ? state->delivered_ms : -1);
  g_autofree char *acked = time_or_dash (state ? state->acknowledged_ms : -1);
  g_autofree char *answered = time_or_dash (state ? state->first_response_ms : -1);
  /* Translators: per team: when an inject reached it, was acknowledged, first answered */
  g_autofree char *times = state ? g_strdup_printf (_("Delivered %s · acknowledged %s · answered %s"),
                                                    delivered, acked, answered)
                                 : g_strdup (_("Not sent to this team yet"));
  GtkWidget *child;

  gtk_label_set_label (self->times_label, times);
  /* answers only ever add up */
  for (; state && self->n_answers < state->responses->len; self->n_answers++)
    add_answer (self, g_ptr_array_index (state->responses, self->n_answers));
  gtk_widget_set_visible (GTK_WIDGET (self->answers_box), self->n_answers > 0);
  /* judging needs the inject to have reached the team */
  if (state && inject && gtk_widget_get_first_child (GTK_WIDGET (self->actions_box)) == NULL)
    for (guint i = 0; i < inject->expected_actions->len; i++)
      gtk_box_append (self->actions_box,
                      wc_action_judge_new (self->engine, self->inject_id, self->team_id,
                                           g_ptr_array_index (inject->expected_actions, i)));
  else
    for (child = gtk_widget_get_first_child (GTK_WIDGET (self->actions_box)); child;
         child = gtk_widget_get_next_sibling (child))
      wc_action_judge_update (WC_ACTION_JUDGE (child));
  gtk_widget_set_visible (GTK_WIDGET (self->actions_box),
                          gtk_widget_get_first_child (GTK_WIDGET (self->actions_box)) != NULL);
}

GtkWidget *
wc_inject_team_row_new (WcEngine   *engine,
                        const char *inject_id,
                        const char *team_id,
                        const char *team_name)
{
  WcInjectTeamRow *self = g_object_new (WC_TYPE_INJECT_TEAM_ROW, NULL);

  self->engine = g_object_ref (engine);
  self->inject_id = g_strdup (inject_id);
  self->team_id = g_strdup (team_id);
  gtk_label_set_label (self->name_label, team_name);
  wc_inject_team_row_update (self);
  return GTK_WIDGET (self);
}

const char *
wc_inject_team_row_get_team (WcInjectTeamRow *self)
{
  return self->team_id;
}

const char *
wc_inject_team_row_get_times (WcInjectTeamRow *self)
{
  return gtk_label_get_label (self->times_label);
}

char *
wc_inject_team_row_describe_answers (WcInjectTeamRow *self)
{
  GString *out = g_string_new (NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->answers_box)); child;
       child = gtk_widget_get_next_sibling (child))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (child)));
  return g_string_free (out, FALSE);
}

static void
wc_inject_team_row_dispose (GObject *object)
{
  WcInjectTeamRow *self = WC_INJECT_TEAM_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_INJECT_TEAM_ROW);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (wc_inject_team_row_parent_class)->dispose (object);
}

static void
wc_inject_team_row_finalize (GObject *object)
{
  WcInjectTeamRow *self = WC_INJECT_TEAM_ROW (object);

  g_free (self->inject_id);
  g_free (self->team_id);
  G_OBJECT_CLASS (wc_inject_team_row_parent_class)->finalize (object);
}

static void
wc_inject_team_row_class_init (WcInjectTeamRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_inject_team_row_dispose;
  object_class->finalize = wc_inject_team_row_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/be/whitecell/Whitecell/wc-inject-team-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WcInjectTeamRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, WcInjectTeamRow, times_label);
  gtk_widget_class_bind_template_child (widget_class, WcInjectTeamRow, answers_box);
  gtk_widget_class_bind_template_child (widget_class, WcInjectTeamRow, actions_box);
}

static void
wc_inject_team_row_init (WcInjectTeamRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
