/* wc-preferences.c: preferences, each row bound to its GSettings key. */
#define G_LOG_DOMAIN "wc-preferences"

#include "config.h"

#include "wc-preferences.h"

struct _WcPreferences {
  AdwPreferencesWindow parent_instance;

  GtkWidget *network_switch;
  GtkWidget *address_row;
  GtkWidget *port_spin;
  GtkWidget *public_host_row;
  GtkWidget *speed_spin;
  GtkWidget *journal_folder_row;
  GtkWidget *language_row;
};

/* The language row's items, in the order of the .ui's list; "" follows the desktop. */
static const char *const languages[] = { "", "en", "nl", "fr" };

static gboolean
language_to_row (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const char *code = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_strcmp0 (code, languages[i]) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
row_to_language (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return i < G_N_ELEMENTS (languages) ? g_variant_new_string (languages[i]) : NULL;
}

G_DEFINE_FINAL_TYPE (WcPreferences, wc_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static void
wc_preferences_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_PREFERENCES);
  G_OBJECT_CLASS (wc_preferences_parent_class)->dispose (object);
}

static void
wc_preferences_class_init (WcPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_preferences_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, WcPreferences, network_switch);
  gtk_widget_class_bind_template_child (widget_class, WcPreferences, address_row);
  gtk_widget_class_bind_template_child (widget_class, WcPreferences, port_spin);
  gtk_widget_class_bind_template_child (widget_class, WcPreferences, public_host_row);
  gtk_widget_class_bind_template_child (widget_class, WcPreferences, speed_spin);
  gtk_widget_class_bind_template_child (widget_class, WcPreferences, journal_folder_row);
  gtk_widget_class_bind_template_child (widget_class, WcPreferences, language_row);
}

static void
wc_preferences_init (WcPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

WcPreferences *
wc_preferences_new (GSettings *settings)
{
  WcPreferences *self = g_object_new (WC_TYPE_PREFERENCES, NULL);

  g_settings_bind (settings, "accept-network", self->network_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "listen-address", self->address_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "accept-network", self->address_row, "sensitive", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "listen-port", self->port_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "public-host", self->public_host_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "default-speed", self->speed_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "journal-folder", self->journal_folder_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "language", self->language_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, language_to_row, row_to_language, NULL, NULL);
  return self;
}
