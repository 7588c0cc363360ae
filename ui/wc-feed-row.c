/* wc-feed-row.c: one row of the live feed, bound to a WcLiveEvent. */
#define G_LOG_DOMAIN "wc-feed-row"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-feed-row.h"

struct _WcFeedRow {
  GtkWidget    parent_instance;

  WcLiveEvent *event;

  GtkWidget   *box;
  GtkImage    *icon;
  GtkLabel    *summary_label;
  GtkLabel    *time_label;
  GtkLabel    *text_label;
};

enum { PROP_0, PROP_EVENT, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (WcFeedRow, wc_feed_row, GTK_TYPE_WIDGET)

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
    case WC_LIVE_EVENT_JUDGEMENT: return "object-select-symbolic";
    case WC_LIVE_EVENT_OBSERVATION: return "edit-find-symbolic";
    case WC_LIVE_EVENT_RATING: return "starred-symbolic";
    case WC_LIVE_EVENT_STAFF: return "avatar-default-symbolic";
    case WC_LIVE_EVENT_FEEDBACK: return "mail-unread-symbolic";
    case WC_LIVE_EVENT_CONTROL: return "emblem-system-symbolic";
    case WC_LIVE_EVENT_TRAFFIC: return "mail-send-symbolic";
    case WC_LIVE_EVENT_CLOCK:
    default: return "preferences-system-time-symbolic";
    }
}

void
wc_feed_row_set_event (WcFeedRow   *self,
                       WcLiveEvent *event)
{
  g_autofree char *time = NULL;
  const char *text;

  g_return_if_fail (WC_IS_FEED_ROW (self));
  if (!g_set_object (&self->event, event))
    return;
  if (event)
    {
      text = wc_live_event_get_text (event);
      g_object_get (event, "time", &time, NULL);
      gtk_image_set_from_icon_name (self->icon, icon_of (wc_live_event_get_kind (event)));
      gtk_label_set_label (self->summary_label, wc_live_event_get_summary (event));
      gtk_label_set_label (self->time_label, time);
      gtk_label_set_label (self->text_label, text ? text : "");
      gtk_widget_set_visible (GTK_WIDGET (self->text_label), text && *text);
      if (wc_live_event_get_kind (event) == WC_LIVE_EVENT_DELIVERY_FAILED)
        gtk_widget_add_css_class (GTK_WIDGET (self), "warning");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), "warning");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT]);
}

WcLiveEvent *wc_feed_row_get_event (WcFeedRow *self) { return self->event; }
const char *wc_feed_row_get_summary (WcFeedRow *self) { return gtk_label_get_label (self->summary_label); }
const char *wc_feed_row_get_text (WcFeedRow *self) { return gtk_label_get_label (self->text_label); }

GtkWidget *
wc_feed_row_new (void)
{
  return g_object_new (WC_TYPE_FEED_ROW, NULL);
}

static void
wc_feed_row_dispose (GObject *object)
{
  WcFeedRow *self = WC_FEED_ROW (object);

  g_clear_object (&self->event);
  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_FEED_ROW);
  G_OBJECT_CLASS (wc_feed_row_parent_class)->dispose (object);
}

static void
wc_feed_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_EVENT:
      g_value_set_object (value, WC_FEED_ROW (object)->event);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_feed_row_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_EVENT:
      wc_feed_row_set_event (WC_FEED_ROW (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_feed_row_class_init (WcFeedRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_feed_row_dispose;
  object_class->get_property = wc_feed_row_get_property;
  object_class->set_property = wc_feed_row_set_property;
  properties[PROP_EVENT] =
    g_param_spec_object ("event", NULL, NULL, WC_TYPE_LIVE_EVENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-feed-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WcFeedRow, box);
  gtk_widget_class_bind_template_child (widget_class, WcFeedRow, icon);
  gtk_widget_class_bind_template_child (widget_class, WcFeedRow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, WcFeedRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, WcFeedRow, text_label);
}

static void
wc_feed_row_init (WcFeedRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
