/* test-import-gui.c: a planner's workbook opened in the controller's window: the mapping report
 * is shown before anything is made; Cancel makes nothing; Create makes the exercise, its scenario
 * written beside the journal with its attachments. Screenshots are left in the build directory
 * (whitecell-import-*.png). */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gui-test.h"
#include "test-util.h"
#include "wc-import-dialog.h"
#include "wc-import.h"
#include "wc-scenario-loader.h"
#include "wc-window.h"

/* The import dialog on screen, or NULL. */
static WcImportDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (WC_IS_IMPORT_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return WC_IMPORT_DIALOG (window);
    }
  return NULL;
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Opens @path in @window, checks that its import dialog's report holds each of @says and that its
 * summary is @summary, and answers it with @action; the open's result. */
static gboolean
open_and_answer (WcWindow          *window,
                 const char        *path,
                 const char *const *says,
                 const char        *summary,
                 const char        *action,
                 const char        *screenshot,
                 GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  WcImportDialog *dialog;
  const char *text;

  wc_window_open_scenario_async (window, path, NULL, on_done, &result);
  WAIT_UNTIL (find_dialog () != NULL || result != NULL);
  g_assert_null (result);
  dialog = find_dialog ();
  /* nothing is made before the controller has seen the report */
  g_assert_false (wc_window_has_exercise (window));
  text = wc_import_dialog_get_text (dialog);
  g_test_message ("%s", text);
  for (guint i = 0; says[i]; i++)
    g_assert_nonnull (strstr (text, says[i]));
  /* the summary counts: a sheet written by Whitecell's own export leaves nothing to guess */
  {
    g_autoptr(GPtrArray) labels = gui_test_find_all (GTK_WIDGET (dialog), GTK_TYPE_LABEL);
    gboolean said = FALSE;

    for (guint i = 0; i < labels->len; i++)
      said |= strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), summary) != NULL;
    g_assert_true (said);
  }
  if (screenshot)
    {
      gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
      gui_test_iterate (300);
      gui_test_save_screenshot (GTK_WIDGET (dialog), screenshot);
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), action, NULL));
  WAIT_UNTIL (result != NULL);
  g_assert_null (find_dialog ());
  return wc_window_open_scenario_finish (result, error);
}

/* The folder @journals holds one journal and one folder beside it: that folder's path. */
static char *
scenario_folder (const char *journals)
{
  g_autoptr(GDir) dir = g_dir_open (journals, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_suffix (name, "-scenario"))
      {
        g_assert_null (found);
        found = g_build_filename (journals, name, NULL);
      }
  g_assert_nonnull (found);
  return found;
}

static void
test_import_dialog (void)
{
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "fixtures", "sheets",
                                                "tabletop-tplus.csv", NULL);
  g_autofree char *grid = g_test_build_filename (G_TEST_DIST, "fixtures", "sheets",
                                                 "grid-day-clock.xlsx", NULL);
  static const char *const exported_says[] = { "read as XLSX", "Subject → title",
                                               "x-facilitator-owner", NULL };
  /* the app has no sheet chooser: a cover page is passed over, the guess said */
  static const char *const grid_says[] = { "read as XLSX",
                                           "the first sheet, “Cover”, has no header row",
                                           "Day → the day", NULL };
  const char *exported = "was read as XLSX: nothing guessed, no warnings.";
  g_autofree char *tmp = g_dir_make_tmp ("whitecell-import-gui-XXXXXX", NULL);
  g_autofree char *xlsx = g_build_filename (tmp, "tabletop.xlsx", NULL);
  g_autofree char *journals = g_build_filename (tmp, "journals", NULL);
  g_autofree char *folder = NULL;
  g_autofree char *written = NULL;
  g_autofree char *note = NULL;
  g_autoptr(WcScenario) sheet = NULL;
  g_autoptr(WcScenario) loaded = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  WcWindow *window;

  /* the sheet found in the wild, as the workbook a planner would keep it in */
  sheet = wc_import_file (csv, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wc_export_sheet (sheet, xlsx, WC_IMPORT_XLSX, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wc_import_guess_format (xlsx, NULL), ==, WC_IMPORT_XLSX);

  g_settings_set_uint (settings, "listen-port", 0);
  g_settings_set_strv (settings, "recent-scenarios", NULL);
  g_settings_set_boolean (settings, "show-joining-on-create", FALSE);
  g_settings_set_string (settings, "journal-folder", journals);
  window = wc_window_new (NULL, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));

  /* a workbook whose first sheet is a cover page opens too */
  g_assert_false (open_and_answer (window, grid, grid_says,
                                   "grid-day-clock.xlsx was read as XLSX: 7 guesses, no warnings.",
                                   "import.cancel", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Cancel: no exercise, no journal, nothing written */
  g_assert_false (open_and_answer (window, xlsx, exported_says, exported, "import.cancel",
                                   "whitecell-import-dialog.png", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (wc_window_has_exercise (window));
  g_assert_false (g_file_test (journals, G_FILE_TEST_EXISTS));

  /* Create: the exercise, from a scenario written beside its journal with its attachment */
  g_assert_true (open_and_answer (window, xlsx, exported_says, exported, "import.create", NULL,
                                  &error));
  g_assert_no_error (error);
  g_assert_true (wc_window_has_exercise (window));
  g_assert_cmpuint (wc_scenario_get_n_injects (wc_session_get_scenario (wc_window_get_session (window))),
                    ==, 4);
  folder = scenario_folder (journals);
  written = g_build_filename (folder, "scenario.json", NULL);
  note = g_build_filename (folder, "ransom-note.txt", NULL);
  g_assert_true (g_file_test (note, G_FILE_TEST_IS_REGULAR));
  diag = wc_diagnostics_new (written);
  loaded = wc_scenario_load (written, diag, &error);
  g_assert_no_error (error);
  g_assert_false (wc_diagnostics_has_errors (diag));
  g_assert_cmpstr (wc_scenario_get_path (wc_session_get_scenario (wc_window_get_session (window))),
                   ==, written);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gui_test_iterate (500);
  gui_test_save_screenshot (GTK_WIDGET (window), "whitecell-import-created.png");

  gtk_window_destroy (GTK_WINDOW (window));
  gui_test_iterate (50);
  g_settings_reset (settings, "journal-folder");
  wc_test_remove_dir (folder);
  wc_test_remove_dir (journals);
  wc_test_remove_dir (tmp);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/whitecell/import-gui/dialog", test_import_dialog);
  return g_test_run ();
}
