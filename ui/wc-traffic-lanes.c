/* wc-traffic-lanes.c: the traffic swimlanes, drawn with cairo from the metrics' coordination
 * loop. Few arrows (an exercise's traffic is hundreds of items, not the timeline's tens of
 * thousands of markers): they are drawn in each frame. */
#define G_LOG_DOMAIN "wc-traffic-lanes"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wc-traffic-lanes.h"

#define LANE_HEIGHT  30
#define LABEL_WIDTH  170
#define AXIS_HEIGHT  24
#define MARGIN_RIGHT 16

struct _WcTrafficLanes {
  GtkWidget  parent_instance;
  WcMetrics *metrics;
  GArray    *arrows;   /* WcTrafficArrow */
  gint64     t_ms;
  gint64     end_ms;
};

G_DEFINE_FINAL_TYPE (WcTrafficLanes, wc_traffic_lanes, GTK_TYPE_WIDGET)

/* By kind, as the report's timeline colours them. */
static const struct {
  const char *kind;
  double      r, g, b;
} colours[] = {
  { "message", 0x81 / 255., 0x3d / 255., 0x9c / 255. },
  { "notification", 0xc6 / 255., 0x46 / 255., 0x00 / 255. },
  { "warning", 0xc0 / 255., 0x1c / 255., 0x28 / 255. },
  { "sitrep", 0x26 / 255., 0xa2 / 255., 0x69 / 255. },
};

static guint
n_lanes (WcTrafficLanes *self)
{
  return self->metrics ? wc_scenario_get_n_teams (wc_metrics_get_scenario (self->metrics)) : 0;
}

static double
x_of (WcTrafficLanes *self,
      int             width,
      gint64          t_ms)
{
  double span = MAX (width - LABEL_WIDTH - MARGIN_RIGHT, 1);

  return LABEL_WIDTH + span * (double) t_ms / (double) MAX (self->end_ms, 1);
}

static double
y_of (int lane)
{
  return lane < 0 ? AXIS_HEIGHT - 6 : AXIS_HEIGHT + LANE_HEIGHT * lane + LANE_HEIGHT / 2.0;
}

static void
draw_text (cairo_t    *cr,
           GtkWidget  *widget,
           const char *text,
           double      x,
           double      y,
           double      max_width)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int w, h;

  pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_arrow (cairo_t *cr,
            double   x,
            double   y1,
            double   y2)
{
  double dir = y2 > y1 ? 1 : -1;
  double tip = y2 - dir * 3;

  cairo_move_to (cr, x, y1);
  cairo_line_to (cr, x, tip);
  cairo_stroke (cr);
  cairo_move_to (cr, x, tip);
  cairo_line_to (cr, x - 4, tip - dir * 7);
  cairo_line_to (cr, x + 4, tip - dir * 7);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
wc_traffic_lanes_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  WcTrafficLanes *self = WC_TRAFFIC_LANES (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;
  GdkRGBA fg;
  WcScenario *scenario;
  const char *lang;
  gint64 step;

  if (self->metrics == NULL || width <= LABEL_WIDTH)
    return;
  scenario = wc_metrics_get_scenario (self->metrics);
  lang = wc_scenario_get_default_language (scenario);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 1);
  /* the time axis: ticks of 5, 15, 30 or 60 minutes, at most about eight of them */
  step = self->end_ms <= 40 * 60000 ? 5 * 60000 : self->end_ms <= 2 * 3600000 ? 15 * 60000
         : self->end_ms <= 4 * 3600000 ? 30 * 60000 : 3600000;
  for (gint64 t = 0; t <= self->end_ms; t += step)
    {
      g_autofree char *label = wc_time_format (t, TRUE);
      double x = round (x_of (self, width, t)) + 0.5;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.12);
      cairo_move_to (cr, x, AXIS_HEIGHT);
      cairo_line_to (cr, x, height);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
      draw_text (cr, widget, label, x + 2, AXIS_HEIGHT / 2.0 - 2, 80);
    }
  /* the lanes */
  for (guint i = 0; i < n_lanes (self); i++)
    {
      const WcTeam *team = wc_scenario_get_team (scenario, i);
      double y = round (y_of (i)) + 0.5;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.3);
      cairo_move_to (cr, LABEL_WIDTH, y);
      cairo_line_to (cr, width - MARGIN_RIGHT, y);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.9);
      draw_text (cr, widget, wc_text_get (team->name, lang, NULL), 8, y, LABEL_WIDTH - 16);
    }
  /* the arrows; what comes after the cursor is faint */
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < self->arrows->len; i++)
    {
      const WcTrafficArrow *a = &g_array_index (self->arrows, WcTrafficArrow, i);
      double x = round (x_of (self, width, a->t_ms)) + 0.5;
      guint k = 0;

      while (k < G_N_ELEMENTS (colours) - 1 && g_strcmp0 (colours[k].kind, a->item->kind) != 0)
        k++;
      cairo_set_source_rgba (cr, colours[k].r, colours[k].g, colours[k].b, a->t_ms <= self->t_ms ? 1.0 : 0.2);
      draw_arrow (cr, x, y_of (a->from_lane), y_of (a->to_lane));
      if (a->from_lane >= 0)
        {
          cairo_arc (cr, x, y_of (a->from_lane), 3, 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }
  /* the review's time cursor */
  {
    double x = round (x_of (self, width, self->t_ms)) + 0.5;

    cairo_set_source_rgba (cr, 0.11, 0.44, 0.85, 1);
    cairo_set_line_width (cr, 2);
    cairo_move_to (cr, x, AXIS_HEIGHT - 4);
    cairo_line_to (cr, x, height);
    cairo_stroke (cr);
  }
  cairo_destroy (cr);
}

static void
wc_traffic_lanes_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  WcTrafficLanes *self = WC_TRAFFIC_LANES (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = LABEL_WIDTH + 200;
      *natural = LABEL_WIDTH + 600;
    }
  else
    *minimum = *natural = AXIS_HEIGHT + LANE_HEIGHT * n_lanes (self) + 8;
}

void
wc_traffic_lanes_set_metrics (WcTrafficLanes *self,
                              WcMetrics      *metrics)
{
  WcLoopMetrics *loop;

  g_set_object (&self->metrics, metrics);
  g_array_set_size (self->arrows, 0);
  self->end_ms = metrics ? MAX (wc_metrics_get_end_ms (metrics), 60000) : 60000;
  loop = metrics ? wc_metrics_get_loop (metrics) : NULL;
  for (guint i = 0; loop && i < wc_loop_metrics_get_n_items (loop); i++)
    {
      const WcLoopItem *item = wc_loop_metrics_get_item (loop, i);
      int from = item->from_actor ? -1 : wc_loop_metrics_get_lane (loop, item->from);

      for (guint r = 0; item->to && r < json_array_get_length (item->to); r++)
        {
          WcTrafficArrow a = { item, from, -1, item->t_ms };

          a.to_lane = wc_loop_metrics_get_lane (loop, json_array_get_string_element (item->to, r));
          if (a.to_lane >= 0 && a.to_lane != a.from_lane)
            g_array_append_val (self->arrows, a);
        }
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
wc_traffic_lanes_set_time (WcTrafficLanes *self,
                           gint64          t_ms)
{
  if (self->t_ms == t_ms)
    return;
  self->t_ms = t_ms;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gint64 wc_traffic_lanes_get_time (WcTrafficLanes *self) { return self->t_ms; }
guint wc_traffic_lanes_get_n_arrows (WcTrafficLanes *self) { return self->arrows->len; }

const WcTrafficArrow *
wc_traffic_lanes_get_arrow (WcTrafficLanes *self,
                            guint           i)
{
  g_return_val_if_fail (i < self->arrows->len, NULL);
  return &g_array_index (self->arrows, WcTrafficArrow, i);
}

guint
wc_traffic_lanes_get_n_shown (WcTrafficLanes *self)
{
  guint n = 0;

  for (guint i = 0; i < self->arrows->len; i++)
    n += g_array_index (self->arrows, WcTrafficArrow, i).t_ms <= self->t_ms;
  return n;
}

static void
wc_traffic_lanes_dispose (GObject *object)
{
  WcTrafficLanes *self = WC_TRAFFIC_LANES (object);

  g_clear_object (&self->metrics);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_TRAFFIC_LANES);
  G_OBJECT_CLASS (wc_traffic_lanes_parent_class)->dispose (object);
}

static void
wc_traffic_lanes_finalize (GObject *object)
{
  g_array_unref (WC_TRAFFIC_LANES (object)->arrows);
  G_OBJECT_CLASS (wc_traffic_lanes_parent_class)->finalize (object);
}

static void
wc_traffic_lanes_class_init (WcTrafficLanesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_traffic_lanes_dispose;
  object_class->finalize = wc_traffic_lanes_finalize;
  widget_class->snapshot = wc_traffic_lanes_snapshot;
  widget_class->measure = wc_traffic_lanes_measure;
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-traffic-lanes.ui");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wc_traffic_lanes_init (WcTrafficLanes *self)
{
  self->arrows = g_array_new (FALSE, TRUE, sizeof (WcTrafficArrow));
  self->end_ms = 60000;
  gtk_widget_init_template (GTK_WIDGET (self));
}
