/* wc-assess-view.c: the "to assess" queue, a list view over the live model's WcLiveAssess. */
#define G_LOG_DOMAIN "wc-assess-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "wc-assess-row.h"
#include "wc-assess-view.h"

struct _WcAssessView {
  GtkWidget           parent_instance;

  WcLive             *live;
  GtkSingleSelection *selection;

  GtkWidget          *box;
  GtkLabel           *error_label;
  GtkStack           *stack;
  GtkListView        *list_view;
};

enum { SIGNAL_ITEM_SELECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (WcAssessView, wc_assess_view, GTK_TYPE_WIDGET)

static void
on_items_changed (WcAssessView *self)
{
  GListModel *model = G_LIST_MODEL (self->selection);

  gtk_stack_set_visible_child_name (self->stack, g_list_model_get_n_items (model) ? "list" : "empty");
}

static void
on_selected (WcAssessView *self)
{
  WcLiveAssessItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (item)
    g_signal_emit (self, signals[SIGNAL_ITEM_SELECTED], 0, wc_live_assess_item_get_inject (item),
                   wc_live_assess_item_get_team (item));
}

/* The list is given its rows when the page is first shown: behind another page, an inject to
 * 5,000 teams had it build its first 200 rows (each a template) in one main-loop turn, 130 ms
 * while the controller was looking at the MSEL. The queue's length shows on the page's badge
 * from the model itself. */
static void
on_map (WcAssessView *self)
{
  if (gtk_list_view_get_model (self->list_view) == NULL)
    gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

void
wc_assess_view_set_live (WcAssessView *self,
                         WcLive       *live)
{
  g_set_object (&self->live, live);
  gtk_single_selection_set_model (self->selection, live ? wc_live_get_to_assess (live) : NULL);
  on_items_changed (self);
}

GListModel *
wc_assess_view_get_model (WcAssessView *self)
{
  return self->live ? wc_live_get_to_assess (self->live) : NULL;
}

void
wc_assess_view_select (WcAssessView *self,
                       guint         position)
{
  gtk_single_selection_set_selected (self->selection, position);
}

gboolean
wc_assess_view_judge (WcAssessView     *self,
                      WcLiveAssessItem *item,
                      WcVerdict         verdict)
{
  WcEngine *engine = self->live ? wc_live_get_engine (self->live) : NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (engine != NULL, FALSE);
  /* the controller at this machine: not whoever the server last acted for */
  wc_engine_set_actor (engine, NULL);
  if (!wc_engine_assess (engine, wc_live_assess_item_get_inject (item),
                         wc_live_assess_item_get_team (item), wc_live_assess_item_get_action (item),
                         verdict, NULL, &error))
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return FALSE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  return TRUE;
}

static void
wc_assess_view_dispose (GObject *object)
{
  WcAssessView *self = WC_ASSESS_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_ASSESS_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->live);
  G_OBJECT_CLASS (wc_assess_view_parent_class)->dispose (object);
}

static void
wc_assess_view_class_init (WcAssessViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_assess_view_dispose;
  signals[SIGNAL_ITEM_SELECTED] =
    g_signal_new ("item-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  g_type_ensure (WC_TYPE_ASSESS_ROW);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-assess-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WcAssessView, box);
  gtk_widget_class_bind_template_child (widget_class, WcAssessView, error_label);
  gtk_widget_class_bind_template_child (widget_class, WcAssessView, stack);
  gtk_widget_class_bind_template_child (widget_class, WcAssessView, list_view);
}

static void
wc_assess_view_init (WcAssessView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (on_selected), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  on_items_changed (self);
}
