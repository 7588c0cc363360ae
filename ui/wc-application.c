/* wc-application.c: the application object: one window per exercise, app-wide actions. */
#define G_LOG_DOMAIN "wc-app"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-application.h"
#include "wc-preferences.h"
#include "wc-window.h"

struct _WcApplication {
  AdwApplication parent_instance;
  GSettings     *settings;
};

G_DEFINE_FINAL_TYPE (WcApplication, wc_application, ADW_TYPE_APPLICATION)

static WcWindow *
new_window (WcApplication *self)
{
  WcWindow *window = wc_window_new (GTK_APPLICATION (self), self->settings);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
wc_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window)
    gtk_window_present (window);
  else
    new_window (WC_APPLICATION (app));
}

/* `whitecell FILE`: a scenario opens a new exercise, a journal (.jsonl) resumes one. */
static void
wc_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (app));
      WcWindow *window = active && !wc_window_has_exercise (WC_WINDOW (active))
                           ? WC_WINDOW (active) : new_window (WC_APPLICATION (app));

      wc_window_open_file (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* each window asks before it ends a running exercise */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  WcApplication *self = user_data;
  GtkWindow *preferences = GTK_WINDOW (wc_preferences_new (self->settings));

  gtk_window_set_transient_for (preferences, gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (preferences);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  WcApplication *self = user_data;
  const char *developers[] = { "Whitecell developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", _("Whitecell"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("Whitecell developers"),
                         "developers", developers,
                         "comments", _("Exercise control for national cyber-crisis exercises"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
wc_application_startup (GApplication *app)
{
  WcApplication *self = WC_APPLICATION (app);
  static const GActionEntry entries[] = {
    { "quit", quit_activated },
    { "preferences", preferences_activated },
    { "about", about_activated },
  };
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.resume-journal", { "<Control><Shift>o", NULL } },
    { "win.review-journal", { "<Control>r", NULL } },
    { "win.adhoc", { "<Control><Shift>n", NULL } },
    { "win.note", { "<Control>n", NULL } },
    { "win.find", { "<Control>f", NULL } },
    { "win.fire", { "<Control>Return", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (wc_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);
  (void) self;
}

static void
wc_application_dispose (GObject *object)
{
  WcApplication *self = WC_APPLICATION (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (wc_application_parent_class)->dispose (object);
}

static void
wc_application_class_init (WcApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = wc_application_dispose;
  app_class->activate = wc_application_activate;
  app_class->open = wc_application_open;
  app_class->startup = wc_application_startup;
}

/* Installed, the schema is found where GLib looks; run from the build folder, it is beside it. */
GSettings *
wc_application_open_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  g_autoptr(GSettingsSchemaSource) build_source = NULL;

  if (schema == NULL)
    {
      build_source = g_settings_schema_source_new_from_directory (WC_BUILD_SCHEMA_DIR, source, FALSE, NULL);
      if (build_source)
        schema = g_settings_schema_source_lookup (build_source, APP_ID, FALSE);
    }
  if (schema == NULL)
    g_error ("The GSettings schema %s is not installed (run “meson install”, or set GSETTINGS_SCHEMA_DIR)", APP_ID);
  return g_settings_new_full (schema, NULL, NULL);
}

static void
wc_application_init (WcApplication *self)
{
  self->settings = wc_application_open_settings ();
}

WcApplication *
wc_application_new (void)
{
  return g_object_new (WC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/be/whitecell/Whitecell",
                       NULL);
}

GSettings *
wc_application_get_settings (WcApplication *self)
{
  return self->settings;
}
