/* wc-assess-row.c: one row of the "to assess" queue, bound to a WcLiveAssessItem. */
#define G_LOG_DOMAIN "wc-assess-row"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-assess-row.h"
#include "wc-assess-view.h"

struct _WcAssessRow {
  GtkWidget         parent_instance;

  WcLiveAssessItem *item;
  gulong            proposal_handler;

  GtkWidget        *box;
  GtkWidget        *confirm_button;
};

enum { PROP_0, PROP_ITEM, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (WcAssessRow, wc_assess_row, GTK_TYPE_WIDGET)

/* only a proposal can be confirmed */
static void
update_confirm (WcAssessRow *self)
{
  gboolean proposed = self->item && wc_live_assess_item_get_proposal (self->item) != WC_VERDICT_PENDING;

  gtk_widget_set_visible (self->confirm_button, proposed);
}

void
wc_assess_row_set_item (WcAssessRow      *self,
                        WcLiveAssessItem *item)
{
  if (self->item == item)
    return;
  if (self->item)
    g_clear_signal_handler (&self->proposal_handler, self->item);
  g_set_object (&self->item, item);
  if (item)
    self->proposal_handler = g_signal_connect_swapped (item, "notify::proposal",
                                                       G_CALLBACK (update_confirm), self);
  update_confirm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

WcLiveAssessItem *
wc_assess_row_get_item (WcAssessRow *self)
{
  return self->item;
}

static void
confirm (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  WcAssessRow *self = WC_ASSESS_ROW (widget);
  GtkWidget *view = gtk_widget_get_ancestor (widget, WC_TYPE_ASSESS_VIEW);

  if (self->item && view)
    wc_assess_view_judge (WC_ASSESS_VIEW (view), self->item,
                          wc_live_assess_item_get_proposal (self->item));
}

static void
wc_assess_row_dispose (GObject *object)
{
  wc_assess_row_set_item (WC_ASSESS_ROW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_ASSESS_ROW);
  G_OBJECT_CLASS (wc_assess_row_parent_class)->dispose (object);
}

static void
wc_assess_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ITEM: g_value_set_object (value, WC_ASSESS_ROW (object)->item); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_assess_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_ITEM: wc_assess_row_set_item (WC_ASSESS_ROW (object), g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_assess_row_class_init (WcAssessRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_assess_row_dispose;
  object_class->get_property = wc_assess_row_get_property;
  object_class->set_property = wc_assess_row_set_property;
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, WC_TYPE_LIVE_ASSESS_ITEM,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (WC_TYPE_LIVE_ASSESS_ITEM);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-assess-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WcAssessRow, box);
  gtk_widget_class_bind_template_child (widget_class, WcAssessRow, confirm_button);
  gtk_widget_class_install_action (widget_class, "assess.confirm", NULL, confirm);
}

static void
wc_assess_row_init (WcAssessRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
