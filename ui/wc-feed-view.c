/* wc-feed-view.c: the live feed, a list view over the live model's events (newest first). It
 * follows the newest entry while the controller is at the top; once they scroll down to read,
 * it stays where they are and counts what arrived above ("3 new"), one click from the top. */
#define G_LOG_DOMAIN "wc-feed-view"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-feed-row.h"
#include "wc-feed-view.h"

struct _WcFeedView {
  GtkWidget          parent_instance;
  GtkWidget         *overlay;
  GtkScrolledWindow *scrolled_window;
  GtkListView       *list_view;
  GtkWidget         *new_button;
  GtkLabel          *new_label;

  GListModel        *model;           /* the list view's, watched for entries at the top */
  gulong             items_changed_handler;
  gboolean           following;       /* at the top: new entries are shown as they come */
  guint              n_new;           /* entries above, not yet seen */
};

/* How far from the top (in pixels) still counts as at the top: a wheel's nudge does not stop
 * the feed from following. */
#define TOP_SLACK 4.0

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

static void
set_n_new (WcFeedView *self,
           guint       n_new)
{
  g_autofree char *label = NULL;

  self->n_new = n_new;
  gtk_widget_set_visible (self->new_button, n_new > 0);
  if (n_new == 0)
    return;
  /* Translators: on a button above the feed: entries that arrived while the controller read
   * further down */
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new", "%u new", n_new), n_new);
  gtk_label_set_label (self->new_label, label);
}

static void
scroll_to_newest (WcFeedView *self)
{
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);

  self->following = TRUE;
  set_n_new (self, 0);
  if (self->model == NULL || g_list_model_get_n_items (self->model) == 0)
    return;
  /* the list view keeps the row that was at the top in place when rows are inserted above it:
   * its anchor is moved to the first row, then the adjustment follows at the next layout */
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment));
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  WcFeedView *self)
{
  /* the live model only ever adds at the top; anything else (a replay seeking) starts over */
  if (position != 0 || removed > 0)
    {
      scroll_to_newest (self);
      return;
    }
  if (added == 0)
    return;
  if (self->following)
    scroll_to_newest (self);
  else
    set_n_new (self, self->n_new + added);
}

static void
on_value_changed (GtkAdjustment *vadjustment,
                  WcFeedView    *self)
{
  gboolean at_top = gtk_adjustment_get_value (vadjustment) <=
                    gtk_adjustment_get_lower (vadjustment) + TOP_SLACK;

  if (at_top)
    {
      self->following = TRUE;
      set_n_new (self, 0);
    }
  else
    self->following = FALSE;
}

static void
jump_to_newest (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  scroll_to_newest (WC_FEED_VIEW (widget));
}

void
wc_feed_view_set_live (WcFeedView *self,
                       WcLive     *live)
{
  GtkNoSelection *selection = gtk_no_selection_new (live ? g_object_ref (wc_live_get_events (live)) : NULL);

  if (self->model)
    g_clear_signal_handler (&self->items_changed_handler, self->model);
  g_set_object (&self->model, G_LIST_MODEL (selection));
  /* after the list view's own handler, so that its rows are in place when it is told to scroll */
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  self->items_changed_handler = g_signal_connect (selection, "items-changed",
                                                  G_CALLBACK (on_items_changed), self);
  g_object_unref (selection);
  scroll_to_newest (self);
}

GListModel *
wc_feed_view_get_model (WcFeedView *self)
{
  return G_LIST_MODEL (gtk_list_view_get_model (self->list_view));
}

guint
wc_feed_view_get_n_new (WcFeedView *self)
{
  g_return_val_if_fail (WC_IS_FEED_VIEW (self), 0);
  return self->n_new;
}

gboolean
wc_feed_view_get_following (WcFeedView *self)
{
  g_return_val_if_fail (WC_IS_FEED_VIEW (self), FALSE);
  return self->following;
}

static void
wc_feed_view_dispose (GObject *object)
{
  WcFeedView *self = WC_FEED_VIEW (object);

  if (self->model)
    g_clear_signal_handler (&self->items_changed_handler, self->model);
  g_clear_object (&self->model);
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
  gtk_widget_class_bind_template_child (widget_class, WcFeedView, overlay);
  gtk_widget_class_bind_template_child (widget_class, WcFeedView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, WcFeedView, list_view);
  gtk_widget_class_bind_template_child (widget_class, WcFeedView, new_button);
  gtk_widget_class_bind_template_child (widget_class, WcFeedView, new_label);
  gtk_widget_class_install_action (widget_class, "feed.jump-to-newest", NULL, jump_to_newest);
}

static void
wc_feed_view_init (WcFeedView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->following = TRUE;
  g_signal_connect (gtk_scrolled_window_get_vadjustment (self->scrolled_window), "value-changed",
                    G_CALLBACK (on_value_changed), self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
}
