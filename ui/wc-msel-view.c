/* wc-msel-view.c: the MSEL view. The rows are the live model's WcLiveInject objects; cells follow
 * their properties, so a change redraws one cell, never the list. */
#define G_LOG_DOMAIN "wc-msel-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-inject-detail.h"
#include "wc-msel-view.h"
#include "wc-ui.h"

struct _WcMselView {
  GtkWidget           parent_instance;

  WcLive             *live;
  GtkFilterListModel *filtered;
  GtkSortListModel   *sorted;
  GtkSingleSelection *selection;
  GtkCustomFilter    *filter;
  GtkSorter          *time_sorter;   /* borrowed from its column */
  GtkStringList      *team_ids;      /* parallel to the team filter's names, "" first */
  guint               detail_id;     /* a coalesced refresh of the detail */
  char               *to_select;     /* an inject to select once the rows are all in */
  guint               select_id;     /* ... from an idle, once they are */
  GtkWidget          *context_menu;

  GtkWidget          *box;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *team_filter;
  GtkDropDown        *channel_filter;
  GtkDropDown        *status_filter;
  GtkColumnView      *column_view;
  GtkPaned           *paned;
  WcInjectDetail     *detail;
  GMenuModel         *inject_menu;
};

G_DEFINE_FINAL_TYPE (WcMselView, wc_msel_view, GTK_TYPE_WIDGET)

enum { SIGNAL_SELECTED_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Above this many injects, the list is filtered and sorted a chunk at a time. */
#define INCREMENTAL_ROWS 1024
/* rows of such a list shown at first, and added each frame after */
#define FIRST_ROWS 32

static const char *const channels[] = { "", "email", "phone", "news", "social", "artefact", "decision",
                                         "alert", "chat", NULL };
static const char *const statuses[] = { "", "pending", "fired", "held", "skipped", NULL };

/* Cells: a label showing one property of the row, kept up to date while bound. */

typedef struct {
  const char *property;
  gboolean    numeric;   /* tabular figures */
  gboolean    wrap;
  int         min_chars; /* the least it shows, in characters */
  int         max_chars; /* of an ellipsized cell's natural width; 0: the whole text */
} Column;

static void
update_cell (GtkLabel     *label,
             WcLiveInject *row)
{
  const char *property = g_object_get_data (G_OBJECT (label), "property");
  g_autofree char *value = NULL;
  const char *status = wc_live_inject_get_status (row);
  static const char *const classes[] = { "next-inject", "inject-fired", "inject-held", "inject-skipped", NULL };

  g_object_get (row, property, &value, NULL);
  gtk_label_set_label (label, value ? value : "");
  for (guint i = 0; classes[i]; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), classes[i]);
  if (wc_live_inject_get_is_next (row))
    gtk_widget_add_css_class (GTK_WIDGET (label), "next-inject");
  else if (g_strcmp0 (status, "fired") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (label), "inject-fired");
  else if (g_strcmp0 (status, "held") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (label), "inject-held");
  else if (g_strcmp0 (status, "skipped") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (label), "inject-skipped");
}

static void
on_row_notify (WcLiveInject *row,
               GParamSpec   *pspec,
               GtkLabel     *label)
{
  update_cell (label, row);
}

static void
on_cell_pressed (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkListItem     *item)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  WcMselView *self = WC_MSEL_VIEW (gtk_widget_get_ancestor (cell, WC_TYPE_MSEL_VIEW));
  double vx, vy;

  if (self == NULL)
    return;
  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (item));
  if (gtk_widget_translate_coordinates (cell, GTK_WIDGET (self), x, y, &vx, &vy))
    {
      GdkRectangle rect = { (int) vx, (int) vy, 1, 1 };

      gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &rect);
    }
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* A cut title or list of teams can still be read whole, in a tooltip asked for when the pointer
 * rests on it: a tooltip text set on each cell as it was bound asked the X server where the
 * pointer was, a round trip per cell (two thousand when a long list first filled: 0.2 s). */
static gboolean
on_cell_query_tooltip (GtkWidget  *label,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip)
{
  const char *text = gtk_label_get_label (GTK_LABEL (label));

  if (text == NULL || *text == '\0' ||
      !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))))
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            const Column             *column)
{
  GtkWidget *label = gtk_label_new (NULL);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (column->wrap)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (on_cell_query_tooltip), NULL);
    }
  /* A long cell's natural width would claim the row: the columns share what is left over by
   * their natural widths, so a long recipients list took the title's room. Capped, the extra
   * space goes to the expanding title column. */
  if (column->max_chars > 0)
    gtk_label_set_max_width_chars (GTK_LABEL (label), column->max_chars);
  /* the title is what the controller reads: never a stub of it */
  if (column->min_chars > 0)
    gtk_label_set_width_chars (GTK_LABEL (label), column->min_chars);
  if (column->numeric)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "property", (gpointer) column->property);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_cell_pressed), item);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           const Column             *column)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  WcLiveInject *row = gtk_list_item_get_item (item);
  g_autofree char *detailed = g_strconcat ("notify::", column->property, NULL);

  update_cell (GTK_LABEL (label), row);
  /* only what this cell shows: its property, and the status that colours it */
  g_signal_connect_object (row, detailed, G_CALLBACK (on_row_notify), label, 0);
  if (g_strcmp0 (column->property, "status") != 0)
    g_signal_connect_object (row, "notify::status", G_CALLBACK (on_row_notify), label, 0);
  g_signal_connect_object (row, "notify::is-next", G_CALLBACK (on_row_notify), label, 0);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             const Column             *column)
{
  WcLiveInject *row = gtk_list_item_get_item (item);

  g_signal_handlers_disconnect_by_func (row, on_row_notify, gtk_list_item_get_child (item));
}

static void
add_column (WcMselView   *self,
            const char   *title,
            const Column *column,
            GtkSorter    *sorter,   /* transfer full, nullable */
            gboolean      expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) column);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) column);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), (gpointer) column);
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_column_set_resizable (col, TRUE);
  if (sorter)
    {
      gtk_column_view_column_set_sorter (col, sorter);
      g_object_unref (sorter);
    }
  gtk_column_view_append_column (self->column_view, col);
  g_object_unref (col);
}

/* Sorting by time: when the inject is due (what the Time column shows); one without a due time
 * (ad-hoc, manual, skipped) where it fired, or where it was planned, else at the end. */
static gint64
time_key (WcMselView   *self,
          WcLiveInject *row)
{
  WcEngine *engine = self->live ? wc_live_get_engine (self->live) : NULL;
  const WcInject *inject;
  gint64 fired;

  if (wc_live_inject_get_due_ms (row) >= 0 || engine == NULL)
    return wc_live_inject_get_due_ms (row) >= 0 ? wc_live_inject_get_due_ms (row) : G_MAXINT64;
  if ((fired = wc_engine_get_inject_fired_at (engine, wc_live_inject_get_id (row))) >= 0)
    return fired;
  inject = wc_engine_find_inject (engine, wc_live_inject_get_id (row));
  if (inject && inject->trigger != WC_TRIGGER_MANUAL && inject->at_ms >= 0)
    return inject->at_ms;
  return G_MAXINT64;
}

static int
compare_time (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  gint64 x = time_key (user_data, (WcLiveInject *) a);
  gint64 y = time_key (user_data, (WcLiveInject *) b);

  if (x != y)
    return x < y ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  /* the same minute: the scenario's order */
  return gtk_ordering_from_cmpfunc (g_strcmp0 (wc_live_inject_get_id ((WcLiveInject *) a),
                                               wc_live_inject_get_id ((WcLiveInject *) b)));
}

/* Filtering: text, team, channel and status, all at once. */
static gboolean
filter_row (gpointer item,
            gpointer user_data)
{
  WcMselView *self = user_data;
  WcLiveInject *row = item;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint team = gtk_drop_down_get_selected (self->team_filter);
  guint channel = gtk_drop_down_get_selected (self->channel_filter);
  guint status = gtk_drop_down_get_selected (self->status_filter);

  if (team > 0 && team != GTK_INVALID_LIST_POSITION &&
      !wc_live_inject_has_team (row, gtk_string_list_get_string (self->team_ids, team)))
    return FALSE;
  if (channel > 0 && channel < g_strv_length ((char **) channels))
    {
      g_autofree char *value = NULL;

      g_object_get (row, "channel", &value, NULL);
      if (g_strcmp0 (value, channels[channel]) != 0)
        return FALSE;
    }
  if (status > 0 && status < g_strv_length ((char **) statuses) &&
      g_strcmp0 (wc_live_inject_get_status (row), statuses[status]) != 0)
    return FALSE;
  if (text && *text)
    {
      g_autofree char *title = NULL;
      g_autofree char *haystack = NULL;
      g_autofree char *needle = g_utf8_casefold (text, -1);

      g_object_get (row, "title", &title, NULL);
      haystack = g_utf8_casefold (title ? title : "", -1);
      if (strstr (haystack, needle) == NULL &&
          g_strrstr (wc_live_inject_get_id (row), text) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
rows_settled (WcMselView *self)
{
  return gtk_filter_list_model_get_pending (self->filtered) == 0 &&
         gtk_sort_list_model_get_pending (self->sorted) == 0 &&
         g_list_model_get_n_items (G_LIST_MODEL (self->selection)) ==
           g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
}

static gboolean
select_later_cb (gpointer user_data)
{
  WcMselView *self = user_data;
  g_autofree char *id = g_steal_pointer (&self->to_select);

  self->select_id = 0;
  if (id)
    wc_msel_view_select (self, id);
  return G_SOURCE_REMOVE;
}

/* Selected from an idle: selecting while the selection model tells of its own change (the last
 * rows shown) crashed GTK 4.8's column view. */
static void
on_rows_changed (WcMselView *self)
{
  if (self->to_select == NULL || !rows_settled (self) || self->select_id != 0)
    return;
  self->select_id = g_idle_add (select_later_cb, self);
}

static void
refilter (WcMselView *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_selection_changed (WcMselView *self)
{
  WcLiveInject *row = gtk_single_selection_get_selected_item (self->selection);

  g_signal_emit (self, signals[SIGNAL_SELECTED_CHANGED], 0);
  wc_inject_detail_show (self->detail, self->live ? wc_live_get_engine (self->live) : NULL,
                         row ? wc_live_inject_get_id (row) : NULL);
}

static gboolean
refresh_detail (gpointer user_data)
{
  WcMselView *self = user_data;

  self->detail_id = 0;
  on_selection_changed (self);
  return G_SOURCE_REMOVE;
}

/* Injects keep their place in the list; a change to one shows in its cells, and in the detail
 * when it is the selected one. */
static void
on_record (WcEngine     *engine,
           guint64       seq,
           WcRecordType  type,
           JsonObject   *data,
           gint64        t_ms,
           WcMselView   *self)
{
  const char *selected = wc_msel_view_get_selected_id (self);
  const char *inject = wc_record_get_inject (data);

  /* a thousand teams acknowledging at once: one refresh of the detail, not a thousand */
  if (selected && g_strcmp0 (selected, inject) == 0 && self->detail_id == 0)
    self->detail_id = g_timeout_add (200, refresh_detail, self);
  /* what can be done with the selected inject follows its status */
  if (selected && g_strcmp0 (selected, inject) == 0)
    g_signal_emit (self, signals[SIGNAL_SELECTED_CHANGED], 0);
  /* a status filter must see statuses change */
  if (gtk_drop_down_get_selected (self->status_filter) > 0 && inject)
    refilter (self);
  /* rare: an inject's time moved, or one without a due time fired */
  if (type == WC_RECORD_INJECT_RESCHEDULED || type == WC_RECORD_INJECT_RELEASED ||
      type == WC_RECORD_CLOCK_JUMPED || type == WC_RECORD_ADHOC_CREATED ||
      (type == WC_RECORD_INJECT_FIRED && inject && self->live &&
       wc_live_find_inject (self->live, inject) &&
       wc_live_inject_get_due_ms (wc_live_find_inject (self->live, inject)) < 0))
    gtk_sorter_changed (self->time_sorter, GTK_SORTER_CHANGE_DIFFERENT);
}

void
wc_msel_view_set_live (WcMselView *self,
                       WcLive     *live)
{
  const char *none[] = { NULL };
  gboolean incremental;

  if (self->live)
    g_signal_handlers_disconnect_by_func (wc_live_get_engine (self->live), on_record, self);
  /* the old rows leave the views first, while their models still stand as they were: changing
   * the incremental mode of a sort in progress and the model at once crashes GTK 4.8 */
  gtk_filter_list_model_set_model (self->filtered, NULL);
  g_set_object (&self->live, live);
  /* Ten thousand injects are filtered and sorted a chunk (512 rows) per main-loop turn, not in
   * one stall; fewer than a chunk or two are done at once, the list whole as soon as it shows. */
  incremental = live && g_list_model_get_n_items (wc_live_get_injects (live)) > INCREMENTAL_ROWS;
  gtk_filter_list_model_set_incremental (self->filtered, incremental);
  gtk_sort_list_model_set_incremental (self->sorted, incremental);
  if (live)
    gtk_filter_list_model_set_model (self->filtered, wc_live_get_injects (live));
  /* and shown a screenful at first, then more each frame: the first chunk had the column view
   * build 200 rows of nine cells in one turn (0.1 s at 30,000 injects) */
  {
    GListModel *sorted = G_LIST_MODEL (self->sorted);
    g_autoptr(GListModel) shown = NULL;

    shown = incremental ? wc_ui_growing_model (g_object_ref (sorted), FIRST_ROWS)
                        : g_object_ref (sorted);
    gtk_single_selection_set_model (self->selection, shown);
  }
  gtk_string_list_splice (self->team_ids, 0, g_list_model_get_n_items (G_LIST_MODEL (self->team_ids)), none);
  {
    GtkStringList *names = gtk_string_list_new (NULL);
    GListModel *teams = live ? wc_live_get_teams (live) : NULL;

    gtk_string_list_append (names, _("All teams"));
    gtk_string_list_append (self->team_ids, "");
    for (guint i = 0; teams && i < g_list_model_get_n_items (teams); i++)
      {
        g_autoptr(WcLiveTeam) team = g_list_model_get_item (teams, i);
        g_autofree char *name = NULL;

        g_object_get (team, "name", &name, NULL);
        gtk_string_list_append (names, name);
        gtk_string_list_append (self->team_ids, wc_live_team_get_id (team));
      }
    gtk_drop_down_set_model (self->team_filter, G_LIST_MODEL (names));
    g_object_unref (names);
  }
  if (live)
    g_signal_connect (wc_live_get_engine (live), "record", G_CALLBACK (on_record), self);
  on_selection_changed (self);
}

void
wc_msel_view_select_for_team (WcMselView *self,
                              const char *inject_id,
                              const char *team_id)
{
  wc_inject_detail_set_team (self->detail, team_id);
  wc_msel_view_select (self, inject_id);
}

WcLiveInject *
wc_msel_view_get_selected (WcMselView *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

GtkPaned *
wc_msel_view_get_paned (WcMselView *self)
{
  return self->paned;
}

const char *
wc_msel_view_get_selected_id (WcMselView *self)
{
  WcLiveInject *row = gtk_single_selection_get_selected_item (self->selection);

  return row ? wc_live_inject_get_id (row) : NULL;
}

gboolean
wc_msel_view_select (WcMselView *self,
                     const char *inject_id)
{
  GListModel *model = G_LIST_MODEL (self->selection);

  g_clear_pointer (&self->to_select, g_free);
  /* rows still being filtered in: selected once they are */
  if (!rows_settled (self) && self->live && wc_live_find_inject (self->live, inject_id))
    {
      self->to_select = g_strdup (inject_id);
      return TRUE;
    }

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(WcLiveInject) row = g_list_model_get_item (model, i);

      if (g_strcmp0 (wc_live_inject_get_id (row), inject_id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

void
wc_msel_view_focus_search (WcMselView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
wc_msel_view_set_filter_text (WcMselView *self,
                              const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  refilter (self);
}

GListModel *
wc_msel_view_get_visible (WcMselView *self)
{
  return G_LIST_MODEL (self->selection);
}

/* every row in, and an inject asked for while they came in selected */
gboolean
wc_msel_view_is_settled (WcMselView *self)
{
  return rows_settled (self) && self->to_select == NULL;
}

static void
wc_msel_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  gtk_widget_measure (WC_MSEL_VIEW (widget)->box, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
wc_msel_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  WcMselView *self = WC_MSEL_VIEW (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
  /* the context menu is a popover of this widget's */
  gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
wc_msel_view_dispose (GObject *object)
{
  WcMselView *self = WC_MSEL_VIEW (object);

  if (self->live)
    g_signal_handlers_disconnect_by_func (wc_live_get_engine (self->live), on_record, self);
  g_clear_object (&self->live);
  g_clear_handle_id (&self->detail_id, g_source_remove);
  g_clear_handle_id (&self->select_id, g_source_remove);
  g_clear_pointer (&self->to_select, g_free);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_MSEL_VIEW);
  g_clear_object (&self->sorted);
  g_clear_object (&self->team_ids);
  G_OBJECT_CLASS (wc_msel_view_parent_class)->dispose (object);
}

static void
wc_msel_view_class_init (WcMselViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_msel_view_dispose;
  widget_class->measure = wc_msel_view_measure;
  widget_class->size_allocate = wc_msel_view_size_allocate;
  g_type_ensure (WC_TYPE_INJECT_DETAIL);
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-msel-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WcMselView, box);
  gtk_widget_class_bind_template_child (widget_class, WcMselView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WcMselView, team_filter);
  gtk_widget_class_bind_template_child (widget_class, WcMselView, channel_filter);
  gtk_widget_class_bind_template_child (widget_class, WcMselView, status_filter);
  gtk_widget_class_bind_template_child (widget_class, WcMselView, column_view);
  gtk_widget_class_bind_template_child (widget_class, WcMselView, paned);
  gtk_widget_class_bind_template_child (widget_class, WcMselView, detail);
  gtk_widget_class_bind_template_child (widget_class, WcMselView, inject_menu);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  /* the selected inject is another one, or its status changed */
  signals[SIGNAL_SELECTED_CHANGED] = g_signal_new ("selected-changed", G_TYPE_FROM_CLASS (klass),
                                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                   G_TYPE_NONE, 0);
}

static void
wc_msel_view_init (WcMselView *self)
{
  static const Column time_col = { "time", TRUE, FALSE, 0, 0 };
  static const Column id_col = { "id", TRUE, FALSE, 0, 0 };
  static const Column title_col = { "title", FALSE, TRUE, 30, 0 };
  static const Column channel_col = { "channel", FALSE, FALSE, 0, 0 };
  static const Column to_col = { "recipients", FALSE, TRUE, 0, 16 };
  static const Column status_col = { "status-label", FALSE, FALSE, 0, 0 };
  static const Column acked_col = { "acknowledged", TRUE, FALSE, 0, 0 };
  static const Column answered_col = { "answered", TRUE, FALSE, 0, 0 };
  const char *channel_names[] = { _("All channels"), _("Email"), _("Phone"), _("News"), _("Social media"),
                                  _("Artefact"), _("Decision"), _("Alert"), _("Chat"), NULL };
  const char *status_names[] = { _("Any status"), _("Pending"), _("Fired"), _("Held"), _("Skipped"), NULL };
  g_autoptr(GtkColumnViewColumn) time_column = NULL;
  GtkSorter *sorter;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->team_ids = gtk_string_list_new (NULL);
  self->context_menu = gtk_popover_menu_new_from_model (self->inject_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));

  self->filter = gtk_custom_filter_new (filter_row, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (self->filtered),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  /* the view's own reference: the selection shows it, or a growing slice of it */
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  g_signal_connect_swapped (self->selection, "items-changed", G_CALLBACK (on_rows_changed), self);
  g_signal_connect_swapped (self->filtered, "notify::pending", G_CALLBACK (on_rows_changed), self);
  g_signal_connect_swapped (self->sorted, "notify::pending", G_CALLBACK (on_rows_changed), self);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_object_unref (self->selection);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (on_selection_changed), self);

  self->time_sorter = GTK_SORTER (gtk_custom_sorter_new (compare_time, self, NULL));
  add_column (self, _("Time"), &time_col, self->time_sorter, FALSE);
  sorter = GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (WC_TYPE_LIVE_INJECT, NULL, "id")));
  add_column (self, _("ID"), &id_col, sorter, FALSE);
  sorter = GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (WC_TYPE_LIVE_INJECT, NULL, "title")));
  add_column (self, _("Title"), &title_col, sorter, TRUE);
  sorter = GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (WC_TYPE_LIVE_INJECT, NULL, "channel")));
  add_column (self, _("Channel"), &channel_col, sorter, FALSE);
  add_column (self, _("Recipients"), &to_col, NULL, FALSE);
  sorter = GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (WC_TYPE_LIVE_INJECT, NULL, "status-label")));
  add_column (self, _("Status"), &status_col, sorter, FALSE);
  sorter = GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (WC_TYPE_LIVE_INJECT, NULL, "n-acknowledged")));
  /* Translators: column header, short: acknowledged by k of n teams */
  add_column (self, C_("column", "Ack."), &acked_col, sorter, FALSE);
  sorter = GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (WC_TYPE_LIVE_INJECT, NULL, "n-responded")));
  add_column (self, C_("column", "Answered"), &answered_col, sorter, FALSE);

  /* in time order from the start, not in the file's order of ids */
  time_column = g_list_model_get_item (gtk_column_view_get_columns (self->column_view), 0);
  gtk_column_view_sort_by_column (self->column_view, time_column, GTK_SORT_ASCENDING);
  gtk_drop_down_set_model (self->channel_filter, G_LIST_MODEL (gtk_string_list_new (channel_names)));
  g_object_unref (gtk_drop_down_get_model (self->channel_filter));
  gtk_drop_down_set_model (self->status_filter, G_LIST_MODEL (gtk_string_list_new (status_names)));
  g_object_unref (gtk_drop_down_get_model (self->status_filter));
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (refilter), self);
  g_signal_connect_swapped (self->team_filter, "notify::selected", G_CALLBACK (refilter), self);
  g_signal_connect_swapped (self->channel_filter, "notify::selected", G_CALLBACK (refilter), self);
  g_signal_connect_swapped (self->status_filter, "notify::selected", G_CALLBACK (refilter), self);
}
