/* wc-timeline.c: the timeline chart, drawn with cairo from the metrics (computed once from the
 * journal); only the cursor moves as the review plays. */
#define G_LOG_DOMAIN "wc-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wc-timeline.h"

#define LANE_HEIGHT   28
#define LABEL_WIDTH   170
#define AXIS_HEIGHT   22
#define MARGIN_RIGHT  16

typedef struct {
  const WcTeamInjectMetrics *row;
  double x_delivered, x_acknowledged, x_responded, y;
} Marker;

struct _WcTimeline {
  GtkWidget  parent_instance;
  WcMetrics *metrics;
  char      *team;
  gint64     t_ms;
  gint64     end_ms;
  GArray    *markers;   /* Marker, from the last layout */
};

enum { SIGNAL_MARKER_ACTIVATED, SIGNAL_TIME_PICKED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (WcTimeline, wc_timeline, GTK_TYPE_WIDGET)

static guint
n_lanes (WcTimeline *self)
{
  WcScenario *scenario = self->metrics ? wc_metrics_get_scenario (self->metrics) : NULL;

  if (scenario == NULL)
    return 0;
  return self->team ? 1 : wc_scenario_get_n_teams (scenario);
}

static double
x_of (WcTimeline *self,
      gint64      t_ms,
      int         width)
{
  double span = MAX (self->end_ms, 1);

  return LABEL_WIDTH + (width - LABEL_WIDTH - MARGIN_RIGHT) * (double) t_ms / span;
}

static void
measure (GtkWidget      *widget,
         GtkOrientation  orientation,
         int             for_size,
         int            *minimum,
         int            *natural,
         int            *minimum_baseline,
         int            *natural_baseline)
{
  WcTimeline *self = WC_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = LABEL_WIDTH + 200;
  else
    *minimum = *natural = AXIS_HEIGHT + LANE_HEIGHT * MAX (n_lanes (self), 1) + 4;
}

static void
set_color (cairo_t       *cr,
           const GdkRGBA *color,
           double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
snapshot (GtkWidget   *widget,
          GtkSnapshot *snap)
{
  WcTimeline *self = WC_TIMELINE (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  WcScenario *scenario = self->metrics ? wc_metrics_get_scenario (self->metrics) : NULL;
  const char *lang = scenario ? wc_scenario_get_default_language (scenario) : NULL;
  GdkRGBA fg, accent = { 0.21, 0.52, 0.89, 1 }, ok = { 0.15, 0.64, 0.41, 1 }, late = { 0.88, 0.11, 0.14, 1 };
  PangoLayout *layout;
  cairo_t *cr;
  guint lane = 0;

  g_array_set_size (self->markers, 0);
  if (scenario == NULL)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  cr = gtk_snapshot_append_cairo (snap, &GRAPHENE_RECT_INIT (0, 0, width, height));
  layout = gtk_widget_create_pango_layout (widget, NULL);

  /* the axis: an hour mark (or a quarter, for short exercises) */
  {
    gint64 step = self->end_ms > 3 * 3600000 ? 3600000 : self->end_ms > 3600000 ? 1800000 : 900000;

    for (gint64 t = 0; t <= self->end_ms; t += step)
      {
        double x = x_of (self, t, width);
        g_autofree char *label = wc_time_format (t, TRUE);

        set_color (cr, &fg, 0.12);
        cairo_rectangle (cr, x, AXIS_HEIGHT, 1, height - AXIS_HEIGHT);
        cairo_fill (cr);
        set_color (cr, &fg, 0.6);
        pango_layout_set_text (layout, label, -1);
        cairo_move_to (cr, x + 2, 2);
        pango_cairo_show_layout (cr, layout);
      }
  }

  for (guint t = 0; t < wc_scenario_get_n_teams (scenario); t++)
    {
      const WcTeam *team = wc_scenario_get_team (scenario, t);
      double y = AXIS_HEIGHT + lane * LANE_HEIGHT;

      if (self->team && g_strcmp0 (self->team, team->id) != 0)
        continue;
      if (lane % 2 == 0)
        {
          set_color (cr, &fg, 0.04);
          cairo_rectangle (cr, 0, y, width, LANE_HEIGHT);
          cairo_fill (cr);
        }
      set_color (cr, &fg, 0.85);
      pango_layout_set_text (layout, wc_text_get (team->name, lang, NULL), -1);
      pango_layout_set_width (layout, (LABEL_WIDTH - 8) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      cairo_move_to (cr, 6, y + 5);
      pango_cairo_show_layout (cr, layout);
      pango_layout_set_width (layout, -1);

      for (guint i = 0; i < wc_metrics_get_n_rows (self->metrics); i++)
        {
          const WcTeamInjectMetrics *row = wc_metrics_get_row (self->metrics, i);
          Marker m = { row, -1, -1, -1, y + LANE_HEIGHT / 2.0 };
          gboolean is_late = FALSE;

          /* reached: delivered, or at least sent (a team that never connected) */
          gint64 reached = row->delivered_ms >= 0 ? row->delivered_ms : row->fired_ms;

          if (row->team != team || reached < 0)
            continue;
          m.x_delivered = x_of (self, reached, width);
          /* delivered ▸ acknowledged ▸ answered, on one line */
          if (row->first_response_ms >= 0 || row->acknowledged_ms >= 0)
            {
              gint64 last = MAX (row->first_response_ms, row->acknowledged_ms);

              set_color (cr, &fg, 0.35);
              cairo_rectangle (cr, m.x_delivered, m.y - 0.75, x_of (self, last, width) - m.x_delivered, 1.5);
              cairo_fill (cr);
            }
          for (guint k = 0; row->actions && k < row->actions->len; k++)
            {
              const WcActionResult *a = &g_array_index (row->actions, WcActionResult, k);

              if (a->due_ms >= 0)
                {
                  /* the deadline: a tick */
                  set_color (cr, &fg, 0.45);
                  cairo_rectangle (cr, x_of (self, a->due_ms, width) - 0.5, m.y - 7, 1, 14);
                  cairo_fill (cr);
                }
              is_late |= a->status == WC_ACTION_LATE || a->status == WC_ACTION_MISSED;
            }
          set_color (cr, &accent, 1);
          cairo_move_to (cr, m.x_delivered - 4, m.y - 5);
          cairo_line_to (cr, m.x_delivered + 4, m.y);
          cairo_line_to (cr, m.x_delivered - 4, m.y + 5);
          cairo_close_path (cr);
          cairo_fill (cr);
          if (row->acknowledged_ms >= 0)
            {
              m.x_acknowledged = x_of (self, row->acknowledged_ms, width);
              set_color (cr, &ok, 1);
              cairo_arc (cr, m.x_acknowledged, m.y, 4, 0, 2 * G_PI);
              cairo_fill (cr);
            }
          if (row->first_response_ms >= 0)
            {
              m.x_responded = x_of (self, row->first_response_ms, width);
              set_color (cr, is_late ? &late : &ok, 1);
              cairo_rectangle (cr, m.x_responded - 4, m.y - 4, 8, 8);
              cairo_fill (cr);
            }
          if (is_late)
            {
              /* late or missed: a red mark above the lane */
              double x = m.x_responded >= 0 ? m.x_responded : m.x_delivered;

              set_color (cr, &late, 1);
              cairo_move_to (cr, x - 4, m.y - 12);
              cairo_line_to (cr, x + 4, m.y - 12);
              cairo_line_to (cr, x, m.y - 7);
              cairo_close_path (cr);
              cairo_fill (cr);
            }
          g_array_append_val (self->markers, m);
        }
      lane++;
    }

  /* the time being looked at */
  set_color (cr, &late, 0.9);
  cairo_rectangle (cr, x_of (self, self->t_ms, width) - 1, 0, 2, height);
  cairo_fill (cr);

  g_object_unref (layout);
  cairo_destroy (cr);
}

const WcTeamInjectMetrics *
wc_timeline_pick (WcTimeline *self,
                  double      x,
                  double      y)
{
  const WcTeamInjectMetrics *best = NULL;
  double best_d = 10;

  for (guint i = 0; i < self->markers->len; i++)
    {
      const Marker *m = &g_array_index (self->markers, Marker, i);
      double xs[] = { m->x_delivered, m->x_acknowledged, m->x_responded };

      if (fabs (y - m->y) > LANE_HEIGHT / 2.0)
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (xs); k++)
        if (xs[k] >= 0 && fabs (x - xs[k]) < best_d)
          {
            best_d = fabs (x - xs[k]);
            best = m->row;
          }
    }
  return best;
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            WcTimeline      *self)
{
  const WcTeamInjectMetrics *row = wc_timeline_pick (self, x, y);
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  if (row)
    g_signal_emit (self, signals[SIGNAL_MARKER_ACTIVATED], 0, row->inject->id, row->team->id);
  else if (x >= LABEL_WIDTH && self->end_ms > 0)
    {
      double fraction = (x - LABEL_WIDTH) / MAX (width - LABEL_WIDTH - MARGIN_RIGHT, 1);

      g_signal_emit (self, signals[SIGNAL_TIME_PICKED], 0,
                     (gint64) (CLAMP (fraction, 0, 1) * self->end_ms));
    }
}

void
wc_timeline_set_metrics (WcTimeline *self,
                         WcMetrics  *metrics)
{
  g_set_object (&self->metrics, metrics);
  self->end_ms = metrics ? MAX (wc_metrics_get_end_ms (metrics),
                                wc_scenario_get_duration_ms (wc_metrics_get_scenario (metrics))) : 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
wc_timeline_set_team (WcTimeline *self,
                      const char *team_id)
{
  g_free (self->team);
  self->team = team_id && *team_id ? g_strdup (team_id) : NULL;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
wc_timeline_set_time (WcTimeline *self,
                      gint64      t_ms)
{
  if (self->t_ms == t_ms)
    return;
  self->t_ms = t_ms;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
wc_timeline_get_n_markers (WcTimeline *self)
{
  return self->markers->len;
}

static void
wc_timeline_dispose (GObject *object)
{
  WcTimeline *self = WC_TIMELINE (object);

  g_clear_object (&self->metrics);
  G_OBJECT_CLASS (wc_timeline_parent_class)->dispose (object);
}

static void
wc_timeline_finalize (GObject *object)
{
  WcTimeline *self = WC_TIMELINE (object);

  g_free (self->team);
  g_array_unref (self->markers);
  G_OBJECT_CLASS (wc_timeline_parent_class)->finalize (object);
}

static void
wc_timeline_class_init (WcTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_timeline_dispose;
  object_class->finalize = wc_timeline_finalize;
  widget_class->measure = measure;
  widget_class->snapshot = snapshot;
  signals[SIGNAL_MARKER_ACTIVATED] =
    g_signal_new ("marker-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_TIME_PICKED] =
    g_signal_new ("time-picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wc_timeline_init (WcTimeline *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->markers = g_array_new (FALSE, FALSE, sizeof (Marker));
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Timeline: each team's injects delivered, acknowledged and answered"), -1);
}

GtkWidget *
wc_timeline_new (void)
{
  return g_object_new (WC_TYPE_TIMELINE, NULL);
}
