/* wc-feed-view.c: the live feed, a list view over the live model's events (newest first). */
#define G_LOG_DOMAIN "wc-feed-view"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-feed-row.h"
#include "wc-feed-view.h"

struct _WcFeedView {
  GtkWidget    parent_instance;
  GtkWidget   *box;
  GtkListView *list_view;
};

G_DEFINE_FINAL_TYPE (WcFeedView, wc_feed_view, GTK_TYPE_WIDGET)

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  gtk_list_item_set_child (item, wc_feed_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  wc_feed_row_set_event (WC_FEED_ROW (gtk_list_item_get_child (item)), gtk_list_item_get_item (item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  wc_feed_row_set_event (WC_FEED_ROW (gtk_list_item_get_child (item)), NULL);
}

void
wc_feed_view_set_live (WcFeedView *self,
                       WcLive     *live)
{
  GtkNoSelection *selection = gtk_no_selection_new (live ? g_object_ref (wc_live_get_events (live)) : NULL);

  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
}

GListModel *
wc_feed_view_get_model (WcFeedView *self)
{
  return G_LIST_MODEL (gtk_list_view_get_model (self->list_view));
}

static void
wc_feed_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_FEED_VIEW);
  G_OBJECT_CLASS (wc_feed_view_parent_class)->dispose (object);
}

static void
wc_feed_view_class_init (WcFeedViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_feed_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-feed-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WcFeedView, box);
  gtk_widget_class_bind_template_child (widget_class, WcFeedView, list_view);
}

static void
wc_feed_view_init (WcFeedView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
}
