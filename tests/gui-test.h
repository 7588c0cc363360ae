/* gui-test.h: what the GUI tests share: waiting on the main loop, finding a team's card, and
 * saving a screenshot of a window as a test artefact. */
#pragma once

#include <gtk/gtk.h>

#include "wc-team-card.h"

G_BEGIN_DECLS

/* Runs the main loop until @cond holds, for at most 20 seconds. */
#define WAIT_UNTIL(cond)                                                                  \
  G_STMT_START {                                                                          \
    gint64 _deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;                     \
    while (!(cond) && g_get_monotonic_time () < _deadline)                                \
      g_main_context_iteration (NULL, FALSE);                                             \
    g_assert_true (cond);                                                                 \
  } G_STMT_END

/* Runs the main loop for @ms milliseconds. */
void        gui_test_iterate        (guint       ms);
/* The card of @team_id under @widget, or NULL. */
WcTeamCard *gui_test_find_card      (GtkWidget  *widget,
                                     const char *team_id);
/* Every widget of @type under @widget (itself included), in tree order; borrowed pointers. */
GPtrArray  *gui_test_find_all       (GtkWidget  *widget,
                                     GType       type);
/* Saves @widget (a window, or a widget in one) as G_TEST_BUILDDIR/@name. */
void        gui_test_save_screenshot (GtkWidget  *widget,
                                      const char *name);
/* The same in two steps, for a moment when no file can be written: @widget as drawn now, and
 * that image saved later (takes @texture). */
GdkTexture *gui_test_render          (GtkWidget  *widget);
void        gui_test_save_texture    (GdkTexture *texture,
                                      const char *name);

G_END_DECLS
