/* wc-inject-detail.c: the selected inject's detail, rebuilt when it or its teams change. */
#define G_LOG_DOMAIN "wc-inject-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-inject-detail.h"
#include "wc-inject-team-row.h"

struct _WcInjectDetail {
  GtkWidget   parent_instance;

  WcEngine   *engine;
  char       *inject_id;
  char       *team_id;      /* the one team shown, or NULL for all */

  GtkWidget  *scroller;
  GtkWidget  *placeholder;
  GtkLabel   *title_label;
  GtkLabel   *meta_label;
  GtkBox     *body_box;
  GtkLabel   *extras_label;
  GtkListBox *teams_list;
  GtkWidget  *focus_box;
  GtkLabel   *focus_label;
};

G_DEFINE_FINAL_TYPE (WcInjectDetail, wc_inject_detail, GTK_TYPE_WIDGET)

static gboolean
reaches (const WcInject *inject,
         const char     *team_id)
{
  for (guint i = 0; team_id && i < inject->to->len; i++)
    if (g_strcmp0 (g_ptr_array_index (inject->to, i), team_id) == 0)
      return TRUE;
  return FALSE;
}

static void
rebuild (WcInjectDetail *self)
{
  WcEngine *engine = self->engine;
  const char *inject_id = self->inject_id;
  const WcInject *inject = engine && inject_id ? wc_engine_find_inject (engine, inject_id) : NULL;
  WcScenario *scenario = engine ? wc_engine_get_scenario (engine) : NULL;
  const char *lang = scenario ? wc_scenario_get_default_language (scenario) : NULL;
  const char *const *langs = scenario ? wc_scenario_get_languages (scenario) : NULL;
  GtkWidget *child;
  GString *extras;
  g_autofree char *due = NULL;
  g_autofree char *meta = NULL;
  const WcActor *actor;

  gtk_widget_set_visible (self->placeholder, inject == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), inject != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->meta_label), inject != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->body_box), inject != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->extras_label), inject != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->teams_list), inject != NULL);
  gtk_widget_set_visible (self->focus_box, FALSE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->body_box))))
    gtk_box_remove (self->body_box, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->teams_list))))
    gtk_list_box_remove (self->teams_list, child);
  if (inject == NULL)
    return;

  gtk_label_set_label (self->title_label, wc_text_get (inject->title, lang, NULL));
  due = wc_engine_get_inject_due (engine, inject->id) >= 0
          ? wc_time_format (wc_engine_get_inject_due (engine, inject->id), FALSE)
          : g_strdup (_("manual or triggered"));
  actor = inject->from ? wc_scenario_find_actor (scenario, inject->from) : NULL;
  /* Translators: "I-003 · T+00:45:00 · email · from Journalist · TLP:AMBER" */
  meta = g_strdup_printf (_("%s · %s · %s · from %s · TLP:%s"), inject->id, due,
                          wc_channel_to_string (inject->channel),
                          actor ? wc_text_get (actor->name, lang, NULL) : _("no sender"),
                          wc_tlp_to_string (inject->tlp));
  gtk_label_set_label (self->meta_label, meta);
  /* the body in every language the exercise offers, one under the other */
  for (guint i = 0; langs && langs[i]; i++)
    {
      GtkWidget *body = gtk_label_new (wc_text_get (inject->body, langs[i], NULL));

      if (langs[1])
        {
          g_autofree char *name = g_ascii_strup (langs[i], -1);
          GtkWidget *tag = gtk_label_new (name);

          gtk_label_set_xalign (GTK_LABEL (tag), 0);
          gtk_widget_add_css_class (tag, "caption-heading");
          gtk_widget_add_css_class (tag, "dim-label");
          gtk_box_append (self->body_box, tag);
        }
      gtk_label_set_wrap (GTK_LABEL (body), TRUE);
      gtk_label_set_xalign (GTK_LABEL (body), 0);
      gtk_label_set_selectable (GTK_LABEL (body), TRUE);
      gtk_box_append (self->body_box, body);
      /* a plain text is the same in every language: once is enough */
      if (wc_text_is_plain (inject->body))
        break;
    }

  extras = g_string_new (NULL);
  for (guint i = 0; i < inject->attachments->len; i++)
    {
      const WcAttachment *a = g_ptr_array_index (inject->attachments, i);

      g_string_append_printf (extras, "%s%s (%s)\n", i == 0 ? _("Attachments: ") : "  ", a->file, a->media_type);
    }
  for (guint i = 0; i < inject->expected_actions->len; i++)
    {
      const WcExpectedAction *a = g_ptr_array_index (inject->expected_actions, i);
      g_autofree char *deadline = a->deadline_ms >= 0 ? wc_time_format (a->deadline_ms, TRUE) : NULL;

      if (i == 0)
        g_string_append (extras, _("Expected actions:\n"));
      g_string_append_printf (extras, "  • %s", wc_text_get (a->text, lang, NULL));
      if (deadline)
        /* Translators: an expected action's deadline after delivery: "within 00:30" */
        g_string_append_printf (extras, _(" — within %s"), deadline + 2);
      if (a->objective)
        g_string_append_printf (extras, " (%s)", a->objective);
      g_string_append_c (extras, '\n');
    }
  for (guint i = 0; i < inject->options->len; i++)
    {
      const WcDecisionOption *o = g_ptr_array_index (inject->options, i);

      g_string_append_printf (extras, "%s%s: %s\n", i == 0 ? _("Options: ") : "  ", o->id,
                              wc_text_get (o->text, lang, NULL));
    }
  if (inject->notes)
    g_string_append_printf (extras, _("Controller notes: %s\n"), inject->notes);
  if (extras->len > 0)
    g_string_truncate (extras, extras->len - 1);
  gtk_label_set_label (self->extras_label, extras->str);
  gtk_widget_set_visible (GTK_WIDGET (self->extras_label), extras->len > 0);
  g_string_free (extras, TRUE);

  /* one team (picked from the "to assess" queue): its row alone, not a thousand */
  if (reaches (inject, self->team_id))
    {
      const WcTeam *team = wc_scenario_find_team (scenario, self->team_id);
      g_autofree char *focus = NULL;

      /* Translators: above the one team shown in an inject's detail */
      focus = g_strdup_printf (_("Only %s is shown"), wc_text_get (team->name, lang, NULL));
      gtk_label_set_label (self->focus_label, focus);
      gtk_widget_set_visible (self->focus_box, TRUE);
      gtk_list_box_append (self->teams_list,
                           wc_inject_team_row_new (engine, inject->id, team->id,
                                                   wc_text_get (team->name, lang, NULL)));
      return;
    }
  for (guint i = 0; i < inject->to->len; i++)
    {
      const WcTeam *team = wc_scenario_find_team (scenario, g_ptr_array_index (inject->to, i));

      if (team)
        gtk_list_box_append (self->teams_list,
                             wc_inject_team_row_new (engine, inject->id, team->id,
                                                     wc_text_get (team->name, lang, NULL)));
    }
}

void
wc_inject_detail_show (WcInjectDetail *self,
                       WcEngine       *engine,
                       const char     *inject_id)
{
  /* the same inject again (a team acted, someone judged): its rows change in place, so that a
   * note being typed is not lost */
  if (engine && engine == self->engine && inject_id && g_strcmp0 (inject_id, self->inject_id) == 0)
    {
      for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->teams_list)); row;
           row = gtk_widget_get_next_sibling (row))
        if (WC_IS_INJECT_TEAM_ROW (row))
          wc_inject_team_row_update (WC_INJECT_TEAM_ROW (row));
      return;
    }
  g_set_object (&self->engine, engine);
  g_free (self->inject_id);
  self->inject_id = g_strdup (inject_id);
  rebuild (self);
}

void
wc_inject_detail_set_team (WcInjectDetail *self,
                           const char     *team_id)
{
  if (g_strcmp0 (team_id, self->team_id) == 0)
    return;
  g_free (self->team_id);
  self->team_id = g_strdup (team_id);
  rebuild (self);
}

const char *
wc_inject_detail_get_team (WcInjectDetail *self)
{
  return self->team_id;
}

static void
show_all_teams (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  wc_inject_detail_set_team (WC_INJECT_DETAIL (widget), NULL);
}

static void
wc_inject_detail_dispose (GObject *object)
{
  WcInjectDetail *self = WC_INJECT_DETAIL (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_INJECT_DETAIL);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->inject_id, g_free);
  g_clear_pointer (&self->team_id, g_free);
  G_OBJECT_CLASS (wc_inject_detail_parent_class)->dispose (object);
}

static void
wc_inject_detail_class_init (WcInjectDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_inject_detail_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-inject-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, WcInjectDetail, scroller);
  gtk_widget_class_bind_template_child (widget_class, WcInjectDetail, placeholder);
  gtk_widget_class_bind_template_child (widget_class, WcInjectDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, WcInjectDetail, meta_label);
  gtk_widget_class_bind_template_child (widget_class, WcInjectDetail, body_box);
  gtk_widget_class_bind_template_child (widget_class, WcInjectDetail, extras_label);
  gtk_widget_class_bind_template_child (widget_class, WcInjectDetail, teams_list);
  gtk_widget_class_bind_template_child (widget_class, WcInjectDetail, focus_box);
  gtk_widget_class_bind_template_child (widget_class, WcInjectDetail, focus_label);
  gtk_widget_class_install_action (widget_class, "detail.all-teams", NULL, show_all_teams);
}

static void
wc_inject_detail_init (WcInjectDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rebuild (self);
}
