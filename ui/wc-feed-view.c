/* wc-feed-view.c: the live feed, a list view over the live model's events (newest first). */
#define G_LOG_DOMAIN "wc-feed-view"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-feed-view.h"

struct _WcFeedView {
  GtkWidget    parent_instance;
  GtkWidget   *box;
  GtkListView *list_view;
};

G_DEFINE_FINAL_TYPE (WcFeedView, wc_feed_view, GTK_TYPE_WIDGET)

static const char *
icon_of (WcLiveEventKind kind)
{
  switch (kind)
    {
    case WC_LIVE_EVENT_ACKNOWLEDGED: return "object-select-symbolic";
    case WC_LIVE_EVENT_RESPONSE: return "mail-reply-sender-symbolic";
    case WC_LIVE_EVENT_DECISION: return "emblem-default-symbolic";
    case WC_LIVE_EVENT_DELIVERY_FAILED: return "dialog-warning-symbolic";
    case WC_LIVE_EVENT_NOTE: return "document-edit-symbolic";
    case WC_LIVE_EVENT_CLOCK:
    default: return "preferences-system-time-symbolic";
    }
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *summary = gtk_label_new (NULL);
  GtkWidget *time = gtk_label_new (NULL);
  GtkWidget *text = gtk_label_new (NULL);

  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 12);
  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (summary, TRUE);
  gtk_widget_add_css_class (summary, "heading");
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "numeric");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (text), 4);
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_box_append (GTK_BOX (header), summary);
  gtk_box_append (GTK_BOX (header), time);
  gtk_box_append (GTK_BOX (texts), header);
  gtk_box_append (GTK_BOX (texts), text);
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), texts);
  g_object_set_data (G_OBJECT (row), "icon", icon);
  g_object_set_data (G_OBJECT (row), "summary", summary);
  g_object_set_data (G_OBJECT (row), "time", time);
  g_object_set_data (G_OBJECT (row), "text", text);
  gtk_list_item_set_child (item, row);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  GtkWidget *row = gtk_list_item_get_child (item);
  WcLiveEvent *event = gtk_list_item_get_item (item);
  g_autofree char *time = NULL;
  const char *text = wc_live_event_get_text (event);

  g_object_get (event, "time", &time, NULL);
  gtk_image_set_from_icon_name (g_object_get_data (G_OBJECT (row), "icon"),
                                icon_of (wc_live_event_get_kind (event)));
  gtk_label_set_label (g_object_get_data (G_OBJECT (row), "summary"), wc_live_event_get_summary (event));
  gtk_label_set_label (g_object_get_data (G_OBJECT (row), "time"), time);
  /* participants' words, verbatim and never as markup */
  gtk_label_set_label (g_object_get_data (G_OBJECT (row), "text"), text ? text : "");
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "text"), text && *text);
  if (wc_live_event_get_kind (event) == WC_LIVE_EVENT_DELIVERY_FAILED)
    gtk_widget_add_css_class (row, "warning");
  else
    gtk_widget_remove_css_class (row, "warning");
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
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
}
