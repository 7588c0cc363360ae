/* wc-timeline.c: the timeline chart, drawn with cairo from the metrics (computed once from the
 * journal, and again when a reviewer changes a judgement): its markers in a worker thread, once
 * per size; only the cursor moves as the review plays. */
#define G_LOG_DOMAIN "wc-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wc-timeline.h"

#define LANE_HEIGHT   28
#define LABEL_WIDTH   170
#define AXIS_HEIGHT   22
#define MARGIN_RIGHT  16
#define LEGEND_HEIGHT 24

typedef struct {
  const WcTeamInjectMetrics *row;
  double x_delivered, x_acknowledged, x_responded, y;
} Marker;

/* The chart as drawn for one size and team filter: the markers, drawn in a worker thread into
 * an image (tens of thousands of them for a long exercise: too long for one frame), and the
 * axis and lane labels. Only the cursor is drawn anew as the review plays. */
typedef struct {
  int         width, height, scale;
  char       *team;       /* nullable: every team */
  GdkTexture *markers_image;
  GArray     *markers;    /* Marker */
  guint       n_events[WC_TIMELINE_N_EVENTS];
} Layer;

struct _WcTimeline {
  GtkWidget     parent_instance;
  WcMetrics    *metrics;
  char         *team;
  gint64        t_ms;
  gint64        end_ms;
  Layer        *layer;      /* the last one made; nullable */
  GskRenderNode *labels;    /* axis and lanes, for the layer's size */
  GCancellable *drawing;    /* the layer being made, if any */
  Layer        *wanted;     /* what it is made for */
};

enum { SIGNAL_MARKER_ACTIVATED, SIGNAL_TIME_PICKED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (WcTimeline, wc_timeline, GTK_TYPE_WIDGET)

static void
layer_free (Layer *layer)
{
  g_free (layer->team);
  g_clear_object (&layer->markers_image);
  g_clear_pointer (&layer->markers, g_array_unref);
  g_free (layer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Layer, layer_free)

static gboolean
layer_is_for (const Layer *layer,
              int          width,
              int          height,
              int          scale,
              const char  *team)
{
  return layer && layer->width == width && layer->height == height && layer->scale == scale &&
         g_strcmp0 (layer->team, team) == 0;
}

static guint
n_lanes (WcTimeline *self)
{
  WcScenario *scenario = self->metrics ? wc_metrics_get_scenario (self->metrics) : NULL;

  if (scenario == NULL)
    return 0;
  return self->team ? 1 : wc_scenario_get_n_teams (scenario);
}

static double
x_of (gint64 end_ms,
      gint64 t_ms,
      int    width)
{
  double span = MAX (end_ms, 1);

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
    *minimum = *natural = AXIS_HEIGHT + LANE_HEIGHT * MAX (n_lanes (self), 1) + 4 + LEGEND_HEIGHT;
}

static void
set_color (cairo_t       *cr,
           const GdkRGBA *color,
           double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static const GdkRGBA accent = { 0.21, 0.52, 0.89, 1 };
static const GdkRGBA ok = { 0.15, 0.64, 0.41, 1 };
static const GdkRGBA late = { 0.88, 0.11, 0.14, 1 };
static const GdkRGBA amber = { 0.90, 0.65, 0.04, 1 };
static const GdkRGBA grey = { 0.55, 0.55, 0.55, 1 };

/* A verdict's colour: the same as the report's. */
static const GdkRGBA *
status_color (WcActionStatus status)
{
  switch (status)
    {
    case WC_ACTION_MET: return &ok;
    case WC_ACTION_LATE:
    case WC_ACTION_PARTIAL: return &amber;
    case WC_ACTION_NOT_MET: return &late;
    case WC_ACTION_NA:
    case WC_ACTION_NOT_ASSESSED:
    default: return &grey;
    }
}

/* The markers' shapes, centred on (@x, @y): shared by the chart and its legend. */
static void
shape_delivered (cairo_t *cr, double x, double y)
{
  cairo_move_to (cr, x - 4, y - 5);
  cairo_line_to (cr, x + 4, y);
  cairo_line_to (cr, x - 4, y + 5);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
shape_acknowledged (cairo_t *cr, double x, double y)
{
  cairo_arc (cr, x, y, 4, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
shape_answered (cairo_t *cr, double x, double y)
{
  cairo_rectangle (cr, x - 4, y - 4, 8, 8);
  cairo_fill (cr);
}

static void
shape_deadline (cairo_t *cr, double x, double y)
{
  cairo_rectangle (cr, x - 0.5, y - 7, 1, 14);
  cairo_fill (cr);
}

static void
shape_judgement (cairo_t *cr, double x, double y)
{
  cairo_move_to (cr, x, y - 3.5);
  cairo_line_to (cr, x + 3.5, y);
  cairo_line_to (cr, x, y + 3.5);
  cairo_line_to (cr, x - 3.5, y);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
shape_late (cairo_t *cr, double x, double y)
{
  cairo_move_to (cr, x - 4, y - 2.5);
  cairo_line_to (cr, x + 4, y - 2.5);
  cairo_line_to (cr, x, y + 2.5);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
shape_observation (cairo_t *cr, double x, double y)
{
  cairo_move_to (cr, x, y - 3);
  cairo_line_to (cr, x + 4, y + 3);
  cairo_line_to (cr, x - 4, y + 3);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
shape_feedback (cairo_t *cr, double x, double y)
{
  cairo_set_line_width (cr, 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x, y, 4.5, 0, 2 * G_PI);
  cairo_stroke (cr);
}

static void
shape_cursor (cairo_t *cr, double x, double y)
{
  cairo_rectangle (cr, x - 1, y - 8, 2, 16);
  cairo_fill (cr);
}

/* Making the markers' image, in a worker thread ------------------------------------------- */

typedef struct {
  WcMetrics *metrics;   /* only read: the metrics are fixed once computed */
  gint64     end_ms;
  GdkRGBA    fg;
  Layer     *layer;     /* its size and team in; its markers out */
  cairo_surface_t *surface;
} DrawJob;

static void
draw_job_free (gpointer data)
{
  DrawJob *job = data;

  g_clear_object (&job->metrics);
  g_clear_pointer (&job->layer, layer_free);
  g_clear_pointer (&job->surface, cairo_surface_destroy);
  g_free (job);
}

static void
draw_row (DrawJob                   *job,
          cairo_t                   *cr,
          const WcTeamInjectMetrics *row,
          double                     y)
{
  int width = job->layer->width;
  Marker m = { row, -1, -1, -1, y + LANE_HEIGHT / 2.0 };
  gboolean is_late = FALSE;
  /* reached: delivered, or at least sent (a team that never connected) */
  gint64 reached = row->delivered_ms >= 0 ? row->delivered_ms : row->fired_ms;

  if (reached < 0)
    return;
  m.x_delivered = x_of (job->end_ms, reached, width);
  /* delivered ▸ acknowledged ▸ answered, on one line */
  if (row->first_response_ms >= 0 || row->acknowledged_ms >= 0)
    {
      gint64 last = MAX (row->first_response_ms, row->acknowledged_ms);

      set_color (cr, &job->fg, 0.35);
      cairo_rectangle (cr, m.x_delivered, m.y - 0.75, x_of (job->end_ms, last, width) - m.x_delivered, 1.5);
      cairo_fill (cr);
    }
  for (guint k = 0; row->actions && k < row->actions->len; k++)
    {
      const WcActionResult *a = &g_array_index (row->actions, WcActionResult, k);

      if (a->due_ms >= 0)
        {
          /* the deadline: a tick */
          set_color (cr, &job->fg, 0.45);
          shape_deadline (cr, x_of (job->end_ms, a->due_ms, width), m.y);
        }
      is_late |= a->status == WC_ACTION_LATE || a->status == WC_ACTION_NOT_MET;
    }
  set_color (cr, &accent, 1);
  shape_delivered (cr, m.x_delivered, m.y);
  if (row->acknowledged_ms >= 0)
    {
      m.x_acknowledged = x_of (job->end_ms, row->acknowledged_ms, width);
      set_color (cr, &ok, 1);
      shape_acknowledged (cr, m.x_acknowledged, m.y);
    }
  if (row->first_response_ms >= 0)
    {
      m.x_responded = x_of (job->end_ms, row->first_response_ms, width);
      set_color (cr, is_late ? &late : &ok, 1);
      shape_answered (cr, m.x_responded, m.y);
    }
  /* each judgement, where it was made (a review's, after the exercise, at the inject): a
   * diamond above the lane */
  for (guint k = 0; row->actions && k < row->actions->len; k++)
    {
      const WcActionResult *a = &g_array_index (row->actions, WcActionResult, k);
      double x = a->met_ms >= 0 && !a->reviewed ? x_of (job->end_ms, a->met_ms, width) : m.x_delivered;

      if (a->status == WC_ACTION_NOT_ASSESSED && !a->reviewed)
        continue;
      set_color (cr, status_color (a->status), 1);
      shape_judgement (cr, x, m.y - 9.5);
      if (a->reviewed)
        {
          set_color (cr, &job->fg, 0.8);
          cairo_set_line_width (cr, 1);
          cairo_arc (cr, x, m.y - 9.5, 5.5, 0, 2 * G_PI);
          cairo_stroke (cr);
        }
      job->layer->n_events[WC_TIMELINE_JUDGEMENT]++;
    }
  if (is_late)
    {
      /* late or missed: a red mark above the lane */
      double x = m.x_responded >= 0 ? m.x_responded : m.x_delivered;

      set_color (cr, &late, 1);
      shape_late (cr, x, m.y - 9.5);
    }
  g_array_append_val (job->layer->markers, m);
}

/* The staff's observations (▲ below the team's lane, or on the axis when about no team) and the
 * teams' feedback (○ in the lane). */
static void
draw_events (DrawJob    *job,
             cairo_t    *cr,
             GHashTable *lanes)
{
  WcScenario *scenario = wc_metrics_get_scenario (job->metrics);
  Layer *layer = job->layer;

  for (guint i = 0; i < wc_metrics_get_n_observations (job->metrics); i++)
    {
      const WcStaffObservation *o = wc_metrics_get_observation (job->metrics, i);
      const WcTeam *team = o->team ? wc_scenario_find_team (scenario, o->team) : NULL;
      guint lane = team ? GPOINTER_TO_UINT (g_hash_table_lookup (lanes, team)) : 0;
      double x = x_of (job->end_ms, o->t_ms, layer->width);
      double y = lane > 0 ? AXIS_HEIGHT + (lane - 1) * LANE_HEIGHT + LANE_HEIGHT / 2.0 + 7
                          : AXIS_HEIGHT - 7;

      if (team && lane == 0)
        continue;  /* another team's, filtered out */
      set_color (cr, o->kind == WC_OBSERVATION_STRENGTH ? &ok
                     : o->kind == WC_OBSERVATION_IMPROVEMENT ? &late : &grey, 1);
      shape_observation (cr, x, y + 3);
      layer->n_events[WC_TIMELINE_OBSERVATION]++;
    }
  for (guint i = 0; i < wc_metrics_get_n_feedback (job->metrics); i++)
    {
      const WcTeamFeedback *f = wc_metrics_get_feedback (job->metrics, i);
      guint lane = GPOINTER_TO_UINT (g_hash_table_lookup (lanes, f->team));
      double x = x_of (job->end_ms, MIN (f->t_ms, job->end_ms), layer->width);

      if (lane == 0)
        continue;
      set_color (cr, &accent, 1);
      shape_feedback (cr, x - 6, AXIS_HEIGHT + (lane - 1) * LANE_HEIGHT + LANE_HEIGHT / 2.0);
      layer->n_events[WC_TIMELINE_FEEDBACK]++;
    }
}

static void
draw_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DrawJob *job = task_data;
  Layer *layer = job->layer;
  WcScenario *scenario = wc_metrics_get_scenario (job->metrics);
  guint n_teams = wc_scenario_get_n_teams (scenario);
  guint n_rows = wc_metrics_get_n_rows (job->metrics);
  g_autoptr(GHashTable) lanes = g_hash_table_new (NULL, NULL);
  guint lane = 0;
  cairo_t *cr;

  /* each team's lane, so that the rows are gone through once, not once per team */
  for (guint t = 0; t < n_teams; t++)
    {
      const WcTeam *team = wc_scenario_get_team (scenario, t);

      if (layer->team && g_strcmp0 (layer->team, team->id) != 0)
        continue;
      g_hash_table_insert (lanes, (gpointer) team, GUINT_TO_POINTER (++lane));
    }
  job->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, layer->width * layer->scale,
                                             layer->height * layer->scale);
  cairo_surface_set_device_scale (job->surface, layer->scale, layer->scale);
  cr = cairo_create (job->surface);
  for (guint i = 0; i < n_rows && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const WcTeamInjectMetrics *row = wc_metrics_get_row (job->metrics, i);
      guint in_lane = GPOINTER_TO_UINT (g_hash_table_lookup (lanes, row->team));

      if (in_lane > 0)
        draw_row (job, cr, row, AXIS_HEIGHT + (in_lane - 1) * LANE_HEIGHT);
    }
  draw_events (job, cr, lanes);
  cairo_destroy (cr);
  cairo_surface_flush (job->surface);
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

static void
on_drawn (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  DrawJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(WcTimeline) self = user_data;
  g_autoptr(GBytes) pixels = NULL;
  cairo_surface_t *surface = job->surface;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;
  pixels = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                       cairo_image_surface_get_stride (surface) *
                                       cairo_image_surface_get_height (surface),
                                       (GDestroyNotify) cairo_surface_destroy,
                                       cairo_surface_reference (surface));
  job->layer->markers_image =
    gdk_memory_texture_new (cairo_image_surface_get_width (surface),
                            cairo_image_surface_get_height (surface),
                            GDK_MEMORY_DEFAULT, pixels, cairo_image_surface_get_stride (surface));
  g_clear_object (&self->drawing);
  g_clear_pointer (&self->wanted, layer_free);
  g_clear_pointer (&self->layer, layer_free);
  self->layer = g_steal_pointer (&job->layer);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
start_drawing (WcTimeline *self,
               int         width,
               int         height,
               int         scale)
{
  g_autoptr(GTask) task = NULL;
  DrawJob *job;

  if (layer_is_for (self->wanted, width, height, scale, self->team))
    return;
  if (self->drawing)
    g_cancellable_cancel (self->drawing);
  g_clear_object (&self->drawing);
  g_clear_pointer (&self->wanted, layer_free);
  self->drawing = g_cancellable_new ();
  self->wanted = g_new0 (Layer, 1);
  self->wanted->width = width;
  self->wanted->height = height;
  self->wanted->scale = scale;
  self->wanted->team = g_strdup (self->team);
  job = g_new0 (DrawJob, 1);
  job->metrics = g_object_ref (self->metrics);
  job->end_ms = self->end_ms;
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &job->fg);
  job->layer = g_new0 (Layer, 1);
  *job->layer = *self->wanted;
  job->layer->team = g_strdup (self->team);
  job->layer->markers = g_array_new (FALSE, FALSE, sizeof (Marker));
  task = g_task_new (NULL, self->drawing, on_drawn, g_object_ref (self));
  g_task_set_task_data (task, job, draw_job_free);
  g_task_run_in_thread (task, draw_thread);
}

/* What each mark means, in the chart's own shapes and colours, on one line under the lanes (it
 * wraps onto no second line: a narrow chart shows the first entries). */
static const struct {
  const char    *label;
  void         (*shape) (cairo_t *cr, double x, double y);
  const GdkRGBA *color;   /* NULL: the text's colour */
} legend[] = {
  { N_("delivered"), shape_delivered, &accent },
  { N_("acknowledged"), shape_acknowledged, &ok },
  { N_("answered"), shape_answered, &ok },
  { N_("late or missed"), shape_late, &late },
  { N_("deadline"), shape_deadline, NULL },
  { N_("judgement"), shape_judgement, &amber },
  { N_("observation"), shape_observation, &grey },
  { N_("feedback"), shape_feedback, &accent },
  { N_("time shown"), shape_cursor, &late },
};

static void
draw_legend (cairo_t       *cr,
             PangoLayout   *layout,
             const GdkRGBA *fg,
             double         top,
             int            width)
{
  double x = 8, y = top + LEGEND_HEIGHT / 2.0;

  for (guint i = 0; i < G_N_ELEMENTS (legend); i++)
    {
      int w, h;

      pango_layout_set_text (layout, _(legend[i].label), -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      if (x + 14 + w > width)
        break;
      set_color (cr, legend[i].color ? legend[i].color : fg, legend[i].color ? 1 : 0.6);
      /* the text left a current point: a shape starts a path of its own */
      cairo_new_path (cr);
      legend[i].shape (cr, x + 4, y);
      set_color (cr, fg, 0.75);
      cairo_move_to (cr, x + 12, y - h / 2.0);
      pango_cairo_show_layout (cr, layout);
      x += 12 + w + 16;
    }
}

/* The axis and the lanes' names: a few hundred glyphs, on the main thread (Pango's layouts
 * belong to the widget's context). */
static GskRenderNode *
make_labels (WcTimeline *self,
             int         width,
             int         height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  WcScenario *scenario = wc_metrics_get_scenario (self->metrics);
  const char *lang = wc_scenario_get_default_language (scenario);
  g_autoptr(GtkSnapshot) snap = gtk_snapshot_new ();
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  gint64 step = self->end_ms > 3 * 3600000 ? 3600000 : self->end_ms > 3600000 ? 1800000 : 900000;
  GdkRGBA fg;
  guint lane = 0;
  int label_width;
  cairo_t *cr;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  cr = gtk_snapshot_append_cairo (snap, &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* the axis: an hour mark (or a quarter, for short exercises) */
  for (gint64 t = 0; t <= self->end_ms; t += step)
    {
      double x = x_of (self->end_ms, t, width);
      g_autofree char *label = wc_time_format (t, TRUE);

      set_color (cr, &fg, 0.12);
      cairo_rectangle (cr, x, AXIS_HEIGHT, 1, height - AXIS_HEIGHT);
      cairo_fill (cr);
      set_color (cr, &fg, 0.6);
      pango_layout_set_text (layout, label, -1);
      pango_layout_get_pixel_size (layout, &label_width, NULL);
      if (x + 2 + label_width <= width)
        {
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
      lane++;
    }
  draw_legend (cr, layout, &fg, AXIS_HEIGHT + LANE_HEIGHT * MAX (lane, 1) + 4, width);
  cairo_destroy (cr);
  g_object_unref (layout);
  return gtk_snapshot_free_to_node (g_steal_pointer (&snap));
}

static void
snapshot (GtkWidget   *widget,
          GtkSnapshot *snap)
{
  WcTimeline *self = WC_TIMELINE (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  const Layer *layer = self->layer;

  if (self->metrics == NULL || width <= 0 || height <= 0)
    return;
  if (!layer_is_for (layer, width, height, scale, self->team))
    {
      start_drawing (self, width, height, scale);
      g_clear_pointer (&self->labels, gsk_render_node_unref);
    }
  if (self->labels == NULL)
    self->labels = make_labels (self, width, height);
  gtk_snapshot_append_node (snap, self->labels);
  /* the markers as last drawn, stretched meanwhile if the size has changed */
  if (layer && g_strcmp0 (layer->team, self->team) == 0)
    gtk_snapshot_append_texture (snap, layer->markers_image,
                                 &GRAPHENE_RECT_INIT (0, 0, width, MIN (height, layer->height)));
  /* the time being looked at */
  {
    GdkRGBA cursor = late;

    cursor.alpha = 0.9;
    gtk_snapshot_append_color (snap, &cursor,
                               &GRAPHENE_RECT_INIT (x_of (self->end_ms, self->t_ms, width) - 1, 0, 2, height));
  }
}

const WcTeamInjectMetrics *
wc_timeline_pick (WcTimeline *self,
                  double      x,
                  double      y)
{
  const WcTeamInjectMetrics *best = NULL;
  double best_d = 10;

  for (guint i = 0; self->layer && i < self->layer->markers->len; i++)
    {
      const Marker *m = &g_array_index (self->layer->markers, Marker, i);
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

static void
forget_layers (WcTimeline *self)
{
  if (self->drawing)
    g_cancellable_cancel (self->drawing);
  g_clear_object (&self->drawing);
  g_clear_pointer (&self->wanted, layer_free);
  g_clear_pointer (&self->layer, layer_free);
  g_clear_pointer (&self->labels, gsk_render_node_unref);
}

void
wc_timeline_set_metrics (WcTimeline *self,
                         WcMetrics  *metrics)
{
  g_set_object (&self->metrics, metrics);
  forget_layers (self);
  /* to the actual end: the planned duration only says how long an unfinished exercise may run */
  if (metrics == NULL)
    self->end_ms = 0;
  else if (wc_metrics_get_ended (metrics))
    self->end_ms = wc_metrics_get_end_ms (metrics);
  else
    self->end_ms = MAX (wc_metrics_get_end_ms (metrics),
                        wc_scenario_get_duration_ms (wc_metrics_get_scenario (metrics)));
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
wc_timeline_set_team (WcTimeline *self,
                      const char *team_id)
{
  g_free (self->team);
  self->team = team_id && *team_id ? g_strdup (team_id) : NULL;
  g_clear_pointer (&self->labels, gsk_render_node_unref);
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

gint64
wc_timeline_get_end_ms (WcTimeline *self)
{
  return self->end_ms;
}

guint
wc_timeline_get_n_markers (WcTimeline *self)
{
  return self->layer ? self->layer->markers->len : 0;
}

guint
wc_timeline_get_n_events (WcTimeline      *self,
                          WcTimelineEvent  kind)
{
  g_return_val_if_fail (kind < WC_TIMELINE_N_EVENTS, 0);
  return self->layer ? self->layer->n_events[kind] : 0;
}

static void
wc_timeline_dispose (GObject *object)
{
  WcTimeline *self = WC_TIMELINE (object);

  forget_layers (self);
  g_clear_object (&self->metrics);
  G_OBJECT_CLASS (wc_timeline_parent_class)->dispose (object);
}

static void
wc_timeline_finalize (GObject *object)
{
  WcTimeline *self = WC_TIMELINE (object);

  g_free (self->team);
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

  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Timeline: each team's injects delivered, acknowledged and "
                                    "answered, the judgements, observations and feedback"), -1);
}

GtkWidget *
wc_timeline_new (void)
{
  return g_object_new (WC_TYPE_TIMELINE, NULL);
}
