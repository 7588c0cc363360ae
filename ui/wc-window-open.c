/* wc-window-open.c: how the window opens files: a scenario for a new exercise, a journal to
 * resume or to review, the recent scenarios. The reading, parsing and syncing run in worker
 * threads (the core's _async functions); the window shows it is busy meanwhile and stays
 * responsive. Every open carries the window's cancellable: a window closed mid-open drops what
 * the open made and is not touched again. */
#define G_LOG_DOMAIN "wc-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wc-import-dialog.h"
#include "wc-import.h"
#include "wc-record.h"
#include "wc-review-window.h"
#include "wc-scenario-loader.h"
#include "wc-window-private.h"

/* Busy while a file opens ------------------------------------------------------------------ */

/* @replacing: the file opens in this window; without an exercise, its page says so. */
static void
opening_begin (WcWindow   *self,
               const char *path,
               gboolean    replacing)
{
  g_autofree char *name = g_path_get_basename (path);

  /* a still sign, not a spinner: an animation redraws every frame, and where drawing is done
   * in software (2 cores, Xvfb) that took a core from the worker and made opens 2–3× slower */
  if (self->n_opening++ == 0)
    gtk_widget_set_visible (self->opening_icon, TRUE);
  if (replacing && self->session == NULL)
    {
      /* a file name, not markup: the status page's description is markup */
      g_autofree char *escaped = g_markup_escape_text (name, -1);

      adw_status_page_set_description (self->opening_page, escaped);
      gtk_stack_set_visible_child_name (self->stack, "opening");
    }
}

static void
opening_end (WcWindow *self)
{
  g_return_if_fail (self->n_opening > 0);
  if (--self->n_opening == 0)
    gtk_widget_set_visible (self->opening_icon, FALSE);
  if (self->session == NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "opening") == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* Every open's state. The open holds the window weakly: closing the window mid-open disposes it
 * (which cancels the window's cancellable), and the open then ends without touching it. */
typedef struct {
  GWeakRef       window;
  char          *path;           /* the scenario or journal opened */
  char          *journal_path;   /* a new exercise's journal; nullable: the default place */
  WcDiagnostics *diag;
  WcImportReport *report;        /* a planner's sheet or another tool's file: what was understood */
} OpenJob;

static void
open_job_free (gpointer data)
{
  OpenJob *job = data;

  g_weak_ref_clear (&job->window);
  g_free (job->path);
  g_free (job->journal_path);
  g_clear_pointer (&job->diag, wc_diagnostics_unref);
  g_clear_pointer (&job->report, wc_import_report_free);
  g_free (job);
}

static GTask *
open_job_new (WcWindow            *self,
              const char          *path,
              gpointer             source_tag,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  OpenJob *job = g_new0 (OpenJob, 1);

  g_weak_ref_init (&job->window, self);
  job->path = g_strdup (path);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, open_job_free);
  return task;
}

/* A step of an open came back: the window, or NULL when it has gone in the meantime (the task
 * is then finished as cancelled). */
static WcWindow *
window_of (GTask *task)
{
  OpenJob *job = g_task_get_task_data (task);
  WcWindow *self = g_weak_ref_get (&job->window);

  if (self && !g_cancellable_is_cancelled (self->cancellable))
    return self;
  g_clear_object (&self);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The window was closed"));
  return NULL;
}

/* Ends an open that failed with @error: shown as a toast, and returned. */
static void
open_failed (WcWindow *self,
             GTask    *task,
             GError   *error)
{
  wc_window_toast (self, error->message);
  opening_end (self);
  g_task_return_error (task, error);
}

static void
show_findings (WcWindow      *self,
               const char    *path,
               WcDiagnostics *diag)
{
  wc_findings_view_set_findings (self->findings_view, path, diag);
  wc_window_close_session (self);
  gtk_window_set_title (GTK_WINDOW (self), _("Whitecell"));
  gtk_stack_set_visible_child_name (self->stack, "findings");
  wc_window_update_actions (self);
}

static WcSessionOptions
session_options (WcWindow  *self,
                 char     **host_out,
                 char     **public_host_out)
{
  WcSessionOptions options = { 0 };
  g_autofree char *address = g_settings_get_string (self->settings, "listen-address");
  gboolean network = g_settings_get_boolean (self->settings, "accept-network");

  /* loopback only unless the controller chose to accept teams from the network */
  *host_out = g_strdup (network ? (*address ? address : "0.0.0.0") : "127.0.0.1");
  options.host = *host_out;
  options.port = g_settings_get_uint (self->settings, "listen-port");
  *public_host_out = g_settings_get_string (self->settings, "public-host");
  options.public_host = *public_host_out;
  options.serve = TRUE;
  return options;
}

static void
remember_recent (WcWindow   *self,
                 const char *path)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-scenarios");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;
  guint n = 1;

  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] && n < 8; i++)
    if (g_strcmp0 (old[i], path) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-scenarios", (const char *const *) recent);
}

/* A new exercise --------------------------------------------------------------------------- */

static void
on_session_made (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WcSession) session = wc_session_new_finish (result, &error);
  g_autoptr(WcWindow) self = window_of (task);
  double speed;

  if (self == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (session == NULL)
    {
      open_failed (self, task, error);
      return;
    }
  remember_recent (self, job->path);
  wc_window_show_session (self, g_object_ref (session));
  opening_end (self);
  if (wc_diagnostics_get_n_items (job->diag) > 0)
    wc_window_toast (self, _("The scenario has warnings; see them with whitecellctl validate"));
  speed = g_settings_get_double (self->settings, "default-speed");
  if (speed != 1.0)
    wc_engine_set_speed (wc_session_get_engine (session), speed, NULL);
  /* before Start the controllers choose how teams reach them; a resumed exercise already has */
  if (wc_session_get_server (session) &&
      g_settings_get_boolean (self->settings, "show-joining-on-create"))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.comms-check", NULL);
  g_task_return_boolean (task, TRUE);
}

/* A new exercise from @scenario: its session made, then on_session_made. @task is taken. */
static void
create_session (WcWindow   *self,
                GTask      *task,
                WcScenario *scenario)
{
  OpenJob *job = g_task_get_task_data (task);
  g_autofree char *folder = g_settings_get_string (self->settings, "journal-folder");
  g_autofree char *journal = NULL;
  g_autofree char *host = NULL;
  g_autofree char *public_host = NULL;
  WcSessionOptions options;

  if (job->diag == NULL)
    job->diag = wc_diagnostics_new (job->path);
  journal = job->journal_path
              ? g_strdup (job->journal_path)
              : wc_session_default_journal_path (folder, wc_scenario_get_id (scenario));
  options = session_options (self, &host, &public_host);
  wc_session_new_async (scenario, journal, &options, self->cancellable, on_session_made, task);
}

static void
on_scenario_loaded (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  OpenJob *job = g_task_get_task_data (task);
  g_autoptr(WcScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcWindow) self = NULL;

  scenario = wc_scenario_load_finish (result, &job->diag, &error);
  if ((self = window_of (task)) == NULL)
    {
      g_object_unref (task);
      return;
    }
  /* a broken scenario only shows its findings */
  if (scenario == NULL)
    {
      show_findings (self, job->path, job->diag);
      opening_end (self);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  create_session (self, task, scenario);
}

/* Another format than Whitecell's: imported in a worker thread, its mapping report shown, and
 * the exercise made only when the controller says Create. */
static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  OpenJob *job = task_data;
  GError *error = NULL;
  WcScenario *scenario;

  /* Whitecell's own scenarios take the loader's way, with its findings page */
  if (wc_import_guess_format (job->path, NULL) == WC_IMPORT_WHITECELL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  scenario = wc_import_file (job->path, NULL, job->report, &error);
  if (scenario == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, scenario, g_object_unref);
}

/* The imported scenario written beside its journal, with its attachments: the importer's own
 * folder (an OpenBAS .zip's documents, CEXF payloads) goes with the scenario, and a journal
 * must name a scenario it can be resumed and reviewed from. */
static void
write_thread (GTask        *write,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GTask *task = task_data;
  WcScenario *scenario = g_object_get_data (G_OBJECT (task), "imported");
  const char *path = g_object_get_data (G_OBJECT (write), "path");
  g_autofree char *dir = g_path_get_dirname (path);
  GError *error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (write, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", dir,
                               g_strerror (saved));
    }
  else if (!wc_import_write_scenario (scenario, path, &error))
    g_task_return_error (write, error);
  else
    g_task_return_boolean (write, TRUE);
}

static void
on_import_written (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autoptr(WcWindow) self = window_of (task);

  if (self == NULL)
    {
      g_object_unref (task);
      return;
    }
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      open_failed (self, task, error);
      g_object_unref (task);
      return;
    }
  create_session (self, task, g_object_get_data (G_OBJECT (task), "imported"));
}

/* The imported scenario's place: a folder named after the journal, beside it. */
static char *
imported_scenario_path (WcWindow   *self,
                        OpenJob    *job,
                        WcScenario *scenario)
{
  g_autofree char *stem = NULL;

  if (job->journal_path == NULL)
    {
      g_autofree char *folder = g_settings_get_string (self->settings, "journal-folder");

      job->journal_path = wc_session_default_journal_path (folder, wc_scenario_get_id (scenario));
    }
  stem = g_str_has_suffix (job->journal_path, ".jsonl")
           ? g_strndup (job->journal_path, strlen (job->journal_path) - strlen (".jsonl"))
           : g_strdup (job->journal_path);
  return g_strdup_printf ("%s-scenario" G_DIR_SEPARATOR_S "scenario.json", stem);
}

static void
on_import_response (WcImportDialog *dialog,
                    gboolean        create,
                    GTask          *task)
{
  g_autoptr(WcWindow) self = window_of (task);
  WcScenario *scenario = g_object_get_data (G_OBJECT (task), "imported");
  GTask *write;

  if (self == NULL)
    {
      g_object_unref (task);
      return;
    }
  if (!create)
    {
      opening_end (self);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The import was cancelled"));
      g_object_unref (task);
      return;
    }
  write = g_task_new (NULL, self->cancellable, on_import_written, task);
  g_object_set_data_full (G_OBJECT (write), "path",
                          imported_scenario_path (self, g_task_get_task_data (task), scenario),
                          g_free);
  g_task_set_task_data (write, task, NULL);
  g_task_run_in_thread (write, write_thread);
  g_object_unref (write);
}

static void
on_imported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  OpenJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WcScenario) scenario = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(WcWindow) self = window_of (task);
  WcImportDialog *dialog;

  if (self == NULL)
    {
      g_clear_error (&error);
      g_object_unref (task);
      return;
    }
  if (error != NULL)
    {
      open_failed (self, task, error);
      g_object_unref (task);
      return;
    }
  if (scenario == NULL)
    {
      wc_scenario_load_async (job->path, self->cancellable, on_scenario_loaded, task);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "imported", g_steal_pointer (&scenario), g_object_unref);
  dialog = wc_import_dialog_new (GTK_WINDOW (self), job->report);
  g_signal_connect (dialog, "response", G_CALLBACK (on_import_response), task);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
wc_window_open_scenario_async (WcWindow            *self,
                               const char          *scenario_path,
                               const char          *journal_path,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = open_job_new (self, scenario_path, wc_window_open_scenario_async, callback,
                              user_data);
  OpenJob *job = g_task_get_task_data (task);

  job->journal_path = g_strdup (journal_path);
  opening_begin (self, scenario_path, TRUE);
  /* a Whitecell scenario, a planner's sheet or another tool's export: only a look at the content
   * tells, and that look (a JSON parse) is made off the main thread too */
  {
    GTask *import = g_task_new (NULL, self->cancellable, on_imported, task);

    job->report = wc_import_report_new (scenario_path, NULL);
    g_task_set_task_data (import, job, NULL);
    g_task_run_in_thread (import, import_thread);
    g_object_unref (import);
  }
}

gboolean
wc_window_open_scenario_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wc_window_open_scenario_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_opened_sync (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gboolean
wc_window_open_scenario (WcWindow   *self,
                         const char *scenario_path,
                         const char *journal_path)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_window_open_scenario_async (self, scenario_path, journal_path, on_opened_sync, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wc_window_open_scenario_finish (result, NULL);
}

/* An exercise carried on from its journal --------------------------------------------------- */

static void
on_session_resumed (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(WcDiagnostics) diag = NULL;
  GError *error = NULL;
  g_autoptr(WcSession) session = wc_session_resume_finish (result, &diag, &error);
  g_autoptr(WcWindow) self = window_of (task);

  if (self == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (session == NULL)
    {
      if (diag && wc_diagnostics_has_errors (diag))
        show_findings (self, wc_diagnostics_get_file (diag), diag);
      open_failed (self, task, error);
      return;
    }
  wc_window_show_session (self, g_object_ref (session));
  opening_end (self);
  wc_window_toast (self, _("Exercise resumed from its journal; the clock is paused"));
  g_task_return_boolean (task, TRUE);
}

void
wc_window_resume_journal_async (WcWindow            *self,
                                const char          *journal_path,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = open_job_new (self, journal_path, wc_window_resume_journal_async, callback,
                              user_data);
  g_autofree char *host = NULL;
  g_autofree char *public_host = NULL;
  WcSessionOptions options = session_options (self, &host, &public_host);

  opening_begin (self, journal_path, TRUE);
  wc_session_resume_async (journal_path, &options, self->cancellable, on_session_resumed, task);
}

gboolean
wc_window_resume_journal_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wc_window_resume_journal_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* A review, in a window of its own ----------------------------------------------------------- */

static void
on_replay_opened (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(WcReplay) replay = wc_replay_new_finish (result, NULL, &error);
  g_autoptr(WcWindow) self = window_of (task);
  WcReviewWindow *review;

  if (self == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (replay == NULL)
    {
      open_failed (self, task, error);
      return;
    }
  review = wc_review_window_new (gtk_window_get_application (GTK_WINDOW (self)), replay);
  gtk_window_present (GTK_WINDOW (review));
  opening_end (self);
  g_task_return_pointer (task, review, NULL);
}

void
wc_window_review_journal_async (WcWindow            *self,
                                const char          *journal_path,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = open_job_new (self, journal_path, wc_window_review_journal_async, callback,
                              user_data);

  opening_begin (self, journal_path, FALSE);
  wc_replay_new_async (journal_path, self->cancellable, on_replay_opened, task);
}

GtkWindow *
wc_window_review_journal_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wc_window_review_journal_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Any file: a scenario, or a journal (reviewed when the exercise ended, else resumed) -------- */

/* Reads only the journal's last record, from the end of the file. */
static void
ended_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  OpenJob *job = task_data;
  g_autoptr(WcJournalRecord) last = wc_journal_read_last_record (job->path, NULL);

  g_task_return_boolean (task, last != NULL &&
                               wc_record_type_from_string (last->type) == WC_RECORD_EXERCISE_ENDED);
}

static void
on_ended_known (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  OpenJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(WcWindow) self = g_weak_ref_get (&job->window);
  g_autoptr(GError) error = NULL;
  gboolean ended = g_task_propagate_boolean (G_TASK (result), &error);

  if (self == NULL || error)
    return;
  if (ended)
    wc_window_review_journal_async (self, job->path, NULL, NULL);
  else
    wc_window_resume_journal_async (self, job->path, NULL, NULL);
  /* after the next open began: the window stays busy throughout */
  opening_end (self);
}

void
wc_window_open_file (WcWindow *self,
                     GFile    *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GTask) task = NULL;

  if (path == NULL)
    {
      wc_window_toast (self, _("Only local files can be opened"));
      return;
    }
  if (!g_str_has_suffix (path, ".jsonl"))
    {
      wc_window_open_scenario_async (self, path, NULL, NULL, NULL);
      return;
    }
  task = open_job_new (self, path, wc_window_open_file, on_ended_known, NULL);
  opening_begin (self, path, TRUE);
  g_task_run_in_thread (task, ended_thread);
}

/* Choosing a file -------------------------------------------------------------------------- */

/* A running exercise is never replaced: another one opens in a window of its own. */
static WcWindow *
target_window (WcWindow *self)
{
  WcWindow *other;

  if (self->session == NULL && self->n_opening == 0)
    return self;
  other = wc_window_new (gtk_window_get_application (GTK_WINDOW (self)), self->settings);
  gtk_window_present (GTK_WINDOW (other));
  return other;
}

static void
on_file_chosen (GtkNativeDialog *dialog,
                int              response,
                WcWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path && g_object_get_data (G_OBJECT (dialog), "review"))
        wc_window_review_journal_async (self, path, NULL, NULL);
      else if (path && g_str_has_suffix (path, ".jsonl"))
        wc_window_resume_journal_async (target_window (self), path, NULL, NULL);
      else
        wc_window_open_file (target_window (self), file);
    }
  g_object_unref (dialog);
}

void
wc_window_choose_file (WcWindow *self,
                       gboolean  journal,
                       gboolean  review)
{
  const char *title = review    ? _("Review Exercise From Journal")
                      : journal ? _("Resume Exercise From Journal")
                                : _("Open Scenario");
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               _("_Open"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, journal ? _("Exercise journals") : _("Scenarios"));
  gtk_file_filter_add_pattern (filter, journal ? "*.jsonl" : "*.json");
  if (!journal)
    {
      /* planners' sheets and other tools' exports are imported, their mapping shown first */
      gtk_file_filter_add_pattern (filter, "*.csv");
      gtk_file_filter_add_pattern (filter, "*.xlsx");
      gtk_file_filter_add_pattern (filter, "*.ods");
      gtk_file_filter_add_pattern (filter, "*.zip");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (journal)
    {
      /* journals are where new exercises put them: start there */
      g_autofree char *setting = g_settings_get_string (self->settings, "journal-folder");
      g_autofree char *any = wc_session_default_journal_path (setting, "x");
      g_autofree char *dir = g_path_get_dirname (any);
      g_autoptr(GFile) folder = g_file_new_for_path (dir);

      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  if (review)
    g_object_set_data (G_OBJECT (chooser), "review", GINT_TO_POINTER (1));
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The recent scenarios, on the empty page ----------------------------------------------------- */

static void
recent_activated (GtkButton *button,
                  WcWindow  *self)
{
  wc_window_open_scenario_async (target_window (self), g_object_get_data (G_OBJECT (button), "path"),
                                 NULL, NULL, NULL);
}

void
wc_window_fill_recent (WcWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-scenarios");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))))
    gtk_list_box_remove (self->recent_list, child);
  for (guint i = 0; recent[i]; i++)
    {
      g_autofree char *base = g_path_get_basename (recent[i]);
      g_autofree char *dir = g_path_get_dirname (recent[i]);
      g_autofree char *name = g_path_get_basename (dir);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("go-next-symbolic");

      /* a recent file that has gone since is not offered (one stat per entry, at most eight) */
      if (!g_file_test (recent[i], G_FILE_TEST_IS_REGULAR))
        continue;
      /* file names are not markup */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), strcmp (base, "scenario.json") == 0 ? name : base);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), recent[i]);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Open"), -1);
      g_object_set_data_full (G_OBJECT (button), "path", g_strdup (recent[i]), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (recent_activated), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->recent_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recent_list),
                          gtk_widget_get_first_child (GTK_WIDGET (self->recent_list)) != NULL);
}
