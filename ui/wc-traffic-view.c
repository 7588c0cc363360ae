/* wc-traffic-view.c: the conversations of the teams' traffic and the selected one's thread. The
 * rows are bound in the template to the live model's properties, so that an acknowledgement or a
 * reply changes the row in place. */
#define G_LOG_DOMAIN "wc-traffic-view"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-actor-reply-dialog.h"
#include "wc-traffic-view.h"

struct _WcTrafficView {
  GtkWidget           parent_instance;
  GtkStack           *stack;
  GtkListView        *conversation_list;
  GtkListView        *thread_list;
  GtkLabel           *thread_title;

  WcLive             *live;
  GtkSingleSelection *selection;      /* over the live model's conversations */
  GtkNoSelection     *thread;         /* over the selected conversation's messages */
  gulong              items_handler;
};

G_DEFINE_FINAL_TYPE (WcTrafficView, wc_traffic_view, GTK_TYPE_WIDGET)

static void
update_thread (WcTrafficView *self)
{
  WcLiveConversation *conversation = wc_traffic_view_get_selected (self);
  GListModel *model = self->selection ? G_LIST_MODEL (self->selection) : NULL;

  gtk_no_selection_set_model (self->thread,
                              conversation ? wc_live_conversation_get_messages (conversation) : NULL);
  gtk_label_set_text (self->thread_title, conversation ? wc_live_conversation_get_subject (conversation) : "");
  gtk_stack_set_visible_child_name (self->stack,
                                    model && g_list_model_get_n_items (model) ? "traffic" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "traffic.reply",
                                 self->live && wc_scenario_get_n_actors (
                                   wc_engine_get_scenario (wc_live_get_engine (self->live))) > 0);
}

void
wc_traffic_view_set_live (WcTrafficView *self,
                          WcLive        *live)
{
  if (self->selection && self->items_handler)
    g_clear_signal_handler (&self->items_handler, self->selection);
  g_clear_object (&self->selection);
  g_set_object (&self->live, live);
  if (live)
    {
      self->selection = gtk_single_selection_new (g_object_ref (wc_live_get_traffic (live)));
      /* the controller reads one conversation: a new one above does not take the thread away */
      gtk_single_selection_set_autoselect (self->selection, TRUE);
      g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (update_thread), self);
      self->items_handler = g_signal_connect_swapped (self->selection, "items-changed",
                                                      G_CALLBACK (update_thread), self);
    }
  gtk_list_view_set_model (self->conversation_list, GTK_SELECTION_MODEL (self->selection));
  update_thread (self);
}

GListModel *
wc_traffic_view_get_conversations (WcTrafficView *self)
{
  return self->selection ? G_LIST_MODEL (self->selection) : NULL;
}

void
wc_traffic_view_select (WcTrafficView *self,
                        guint          position)
{
  if (self->selection)
    gtk_single_selection_set_selected (self->selection, position);
}

WcLiveConversation *
wc_traffic_view_get_selected (WcTrafficView *self)
{
  return self->selection ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}

GListModel *
wc_traffic_view_get_thread (WcTrafficView *self)
{
  return G_LIST_MODEL (self->thread);
}

static void
reply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  WcTrafficView *self = WC_TRAFFIC_VIEW (widget);
  GtkWindow *dialog;

  if (self->live == NULL)
    return;
  dialog = GTK_WINDOW (wc_actor_reply_dialog_new (wc_live_get_engine (self->live),
                                                  wc_traffic_view_get_selected (self)));
  gtk_window_set_transient_for (dialog, GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_present (dialog);
}

static void
wc_traffic_view_dispose (GObject *object)
{
  WcTrafficView *self = WC_TRAFFIC_VIEW (object);

  if (self->selection && self->items_handler)
    g_clear_signal_handler (&self->items_handler, self->selection);
  if (self->selection)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_TRAFFIC_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->thread);
  g_clear_object (&self->live);
  G_OBJECT_CLASS (wc_traffic_view_parent_class)->dispose (object);
}

static void
wc_traffic_view_class_init (WcTrafficViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_traffic_view_dispose;
  /* the rows' templates name these types */
  g_type_ensure (WC_TYPE_LIVE_CONVERSATION);
  g_type_ensure (WC_TYPE_LIVE_MESSAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-traffic-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WcTrafficView, stack);
  gtk_widget_class_bind_template_child (widget_class, WcTrafficView, conversation_list);
  gtk_widget_class_bind_template_child (widget_class, WcTrafficView, thread_list);
  gtk_widget_class_bind_template_child (widget_class, WcTrafficView, thread_title);
  gtk_widget_class_install_action (widget_class, "traffic.reply", NULL, reply_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
wc_traffic_view_init (WcTrafficView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->thread = gtk_no_selection_new (NULL);
  gtk_list_view_set_model (self->thread_list, GTK_SELECTION_MODEL (self->thread));
  update_thread (self);
}
