/* gui-test.c: helpers of the GUI tests. */
#include "config.h"

#include "gui-test.h"

void
gui_test_iterate (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

WcTeamCard *
gui_test_find_card (GtkWidget  *widget,
                    const char *team_id)
{
  if (WC_IS_TEAM_CARD (widget) && wc_team_card_get_team (WC_TEAM_CARD (widget)) &&
      g_strcmp0 (wc_live_team_get_id (wc_team_card_get_team (WC_TEAM_CARD (widget))), team_id) == 0)
    return WC_TEAM_CARD (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      WcTeamCard *card = gui_test_find_card (child, team_id);

      if (card)
        return card;
    }
  return NULL;
}

static void
find_all (GtkWidget *widget,
          GType      type,
          GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    find_all (child, type, found);
}

GPtrArray *
gui_test_find_all (GtkWidget *widget,
                   GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  find_all (widget, type, found);
  return found;
}

GdkTexture *
gui_test_render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  /* a window between two frames (a busy machine, a revealer sliding) may have nothing to show
   * yet: let it draw and try again, rather than fail a test over its picture */
  for (guint tries = 0; node == NULL && tries < 50; tries++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      if (tries > 0)
        gtk_test_widget_wait_for_draw (widget);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  if (node == NULL)
    {
      guchar pixel[4] = { 0 };
      g_autoptr(GBytes) bytes = g_bytes_new (pixel, sizeof pixel);

      g_test_message ("the widget had nothing to draw: an empty picture is saved");
      return gdk_memory_texture_new (1, 1, GDK_MEMORY_DEFAULT, bytes, 4);
    }
  /* a widget inside a window is drawn by its window's renderer */
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

void
gui_test_save_texture (GdkTexture *texture,
                       const char *name)
{
  const char *dir = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *path = g_build_filename (dir ? dir : ".", name, NULL);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  g_object_unref (texture);
}

void
gui_test_save_screenshot (GtkWidget  *widget,
                          const char *name)
{
  gui_test_save_texture (gui_test_render (widget), name);
}
