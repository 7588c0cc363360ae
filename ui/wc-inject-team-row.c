/* wc-inject-team-row.c: one team's side of an inject, in the inject's detail. */
#define G_LOG_DOMAIN "wc-inject-team-row"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-inject-team-row.h"

struct _WcInjectTeamRow {
  GtkListBoxRow parent_instance;

  GtkLabel     *name_label;
  GtkLabel     *times_label;
  GtkBox       *answers_box;
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

GtkWidget *
wc_inject_team_row_new (const char              *team_name,
                        const WcTeamInjectState *state)
{
  WcInjectTeamRow *self = g_object_new (WC_TYPE_INJECT_TEAM_ROW, NULL);
  g_autofree char *delivered = time_or_dash (state ? state->delivered_ms : -1);
  g_autofree char *acked = time_or_dash (state ? state->acknowledged_ms : -1);
  g_autofree char *answered = time_or_dash (state ? state->first_response_ms : -1);
  /* TRANSLATORS: per team: when an inject reached it, was acknowledged, first answered */
  g_autofree char *times = state ? g_strdup_printf (_("Delivered %s · acknowledged %s · answered %s"),
                                                    delivered, acked, answered)
                                 : g_strdup (_("Not sent to this team yet"));

  gtk_label_set_label (self->name_label, team_name);
  gtk_label_set_label (self->times_label, times);
  for (guint i = 0; state && i < state->responses->len; i++)
    add_answer (self, g_ptr_array_index (state->responses, i));
  gtk_widget_set_visible (GTK_WIDGET (self->answers_box), state && state->responses->len > 0);
  return GTK_WIDGET (self);
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
  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_INJECT_TEAM_ROW);
  G_OBJECT_CLASS (wc_inject_team_row_parent_class)->dispose (object);
}

static void
wc_inject_team_row_class_init (WcInjectTeamRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_inject_team_row_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/be/whitecell/Whitecell/wc-inject-team-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WcInjectTeamRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, WcInjectTeamRow, times_label);
  gtk_widget_class_bind_template_child (widget_class, WcInjectTeamRow, answers_box);
}

static void
wc_inject_team_row_init (WcInjectTeamRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
