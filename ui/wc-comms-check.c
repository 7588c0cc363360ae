/* wc-comms-check.c: the join links and the teams' readiness before Start. */
#define G_LOG_DOMAIN "wc-comms-check"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-comms-check.h"
#include "wc-invitations.h"
#include "wc-presence.h"

struct _WcCommsCheck {
  AdwWindow    parent_instance;

  WcSession   *session;
  GSettings   *settings;
  GStrv        addresses;     /* this machine's LAN addresses, as offered */
  gboolean     filling;       /* the controls are being set from the session: no apply */

  GtkLabel    *local_banner;
  GtkSwitch   *network_switch;
  AdwComboRow *address_row;
  AdwEntryRow *public_host_row;
  AdwActionRow *base_row;
  AdwPreferencesGroup *teams_group;
  GtkListBox  *team_list;
  GPtrArray   *rows;          /* the team rows, in the scenario's order (borrowed) */
  GPtrArray   *icons;         /* each row's readiness icon (borrowed) */
  GByteArray  *ready;         /* each row's team ready or not */
  GHashTable  *row_of;        /* WcLiveTeam → its row's index + 1 */
  guint        n_ready;
};

G_DEFINE_FINAL_TYPE (WcCommsCheck, wc_comms_check, ADW_TYPE_WINDOW)

/* One team's readiness, in words; TRUE when it is ready (page opened, webhook not failing). */
static gboolean
describe_team (WcCommsCheck  *self,
               WcLiveTeam    *team,
               char         **page_out,
               char         **webhook_out)
{
  g_autofree char *id = NULL, *last_seen = NULL;
  const WcTeam *scenario_team;
  gboolean connected = wc_live_team_get_connected (team);
  guint failures = wc_live_team_get_webhook_failures (team);
  gboolean opened;

  g_object_get (team, "id", &id, "last-seen", &last_seen, NULL);
  scenario_team = wc_scenario_find_team (wc_session_get_scenario (self->session), id);
  opened = connected || (last_seen && *last_seen);
  if (connected)
    *page_out = g_strdup (_("Page open now"));
  else if (opened)
    /* Translators: a team whose page is closed now: "Page opened, last seen 14:02:11" */
    *page_out = g_strdup_printf (_("Page opened, last seen %s"), last_seen);
  else
    *page_out = g_strdup (_("Page not opened yet"));
  if (failures > 0)
    *webhook_out = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "webhook failing (%u failure)",
                                                 "webhook failing (%u failures)", failures), failures);
  else if (scenario_team && scenario_team->webhook)
    *webhook_out = g_strdup (_("webhook configured"));
  else
    *webhook_out = g_strdup (_("no webhook"));
  return opened && failures == 0;
}

/* Row @i from @team's state. One team's change redraws its own row only: rebuilding every row
 * on each team's notify was quadratic (minutes with 5,000 teams joining). */
static void
show_team (WcCommsCheck *self,
           guint         i,
           WcLiveTeam   *team)
{
  g_autofree char *name = NULL, *page = NULL, *webhook = NULL, *subtitle = NULL;
  gboolean ready = describe_team (self, team, &page, &webhook);
  AdwActionRow *row = g_ptr_array_index (self->rows, i);
  GtkWidget *icon = g_ptr_array_index (self->icons, i);

  g_object_get (team, "name", &name, NULL);
  subtitle = g_strdup_printf ("%s · %s", page, webhook);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (row, subtitle);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), ready ? "emblem-ok-symbolic"
                                                        : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (icon, ready ? "warning" : "success");
  gtk_widget_add_css_class (icon, ready ? "success" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ready ? _("Ready") : _("Not ready"), -1);
  self->n_ready = self->n_ready - self->ready->data[i] + (ready ? 1 : 0);
  self->ready->data[i] = ready ? 1 : 0;
}

static void
show_summary (WcCommsCheck *self)
{
  guint n = self->rows->len;
  g_autofree char *summary =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u team has opened its page "
                                  "with no failing webhook",
                                  "%u of %u teams have opened their page with no "
                                  "failing webhook", n), self->n_ready, n);

  adw_preferences_group_set_description (self->teams_group, summary);
}

static void
fill_teams (WcCommsCheck *self)
{
  WcLive *live = wc_session_get_live (self->session);
  GListModel *teams = live ? wc_live_get_teams (live) : NULL;
  guint n = teams ? g_list_model_get_n_items (teams) : 0;

  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->team_list, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->icons, 0);
  g_byte_array_set_size (self->ready, 0);
  g_hash_table_remove_all (self->row_of);
  self->n_ready = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WcLiveTeam) team = g_list_model_get_item (teams, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new ();
      guint8 not_ready = 0;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->team_list, row);
      g_ptr_array_add (self->rows, row);
      g_ptr_array_add (self->icons, icon);
      g_byte_array_append (self->ready, &not_ready, 1);
      g_hash_table_insert (self->row_of, team, GUINT_TO_POINTER (i + 1));
      show_team (self, i, team);
    }
  show_summary (self);
}

static void
on_team_notify (WcLiveTeam   *team,
                GParamSpec   *pspec,
                WcCommsCheck *self)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (self->row_of, team));

  /* a team's notify may come after the template is gone */
  if (self->team_list == NULL || i == 0)
    return;
  show_team (self, i - 1, team);
  show_summary (self);
}

/* The controls and the banner, from where the session serves now. */
static void
show_serving (WcCommsCheck *self)
{
  WcServer *server = wc_session_get_server (self->session);
  const char *listen = wc_session_get_listen_host (self->session);
  g_autofree char *base = server ? wc_server_get_base_url (server) : NULL;
  gboolean network = listen && !g_str_has_prefix (listen, "127.") && g_strcmp0 (listen, "::1") != 0;

  self->filling = TRUE;
  gtk_switch_set_active (self->network_switch, network);
  gtk_widget_set_sensitive (GTK_WIDGET (self->address_row), network && self->addresses[0] != NULL);
  self->filling = FALSE;
  adw_action_row_set_subtitle (self->base_row, base ? base : _("Teams are not served"));
  gtk_widget_set_visible (GTK_WIDGET (self->local_banner), base && wc_presence_url_is_local (base));
}

gboolean
wc_comms_check_apply (WcCommsCheck *self,
                      gboolean      network,
                      guint         address_index,
                      const char   *public_host)
{
  g_autoptr(GError) error = NULL;
  const char *host = network ? "0.0.0.0" : "127.0.0.1";
  const char *link_host = NULL;
  gboolean ok;

  if (public_host && *public_host)
    link_host = public_host;
  else if (network && address_index < g_strv_length (self->addresses))
    link_host = self->addresses[address_index];
  if (self->settings && network)
    {
      g_autofree char *address = g_settings_get_string (self->settings, "listen-address");

      if (*address && g_strcmp0 (address, "127.0.0.1") != 0)
        host = address;
    }
  ok = wc_session_set_join_host (self->session, host, link_host, &error);
  if (ok && self->settings)
    {
      /* the next exercise starts where this one serves */
      g_settings_set_boolean (self->settings, "accept-network", network);
      g_settings_set_string (self->settings, "public-host", public_host ? public_host : "");
    }
  show_serving (self);
  /* the links stay as they were: say why where the controller looks */
  if (!ok)
    adw_action_row_set_subtitle (self->base_row, error->message);
  return ok;
}

static void
on_controls_changed (WcCommsCheck *self)
{
  if (self->filling)
    return;
  wc_comms_check_apply (self, gtk_switch_get_active (self->network_switch),
                        adw_combo_row_get_selected (self->address_row),
                        gtk_editable_get_text (GTK_EDITABLE (self->public_host_row)));
}

static void
on_print (WcCommsCheck *self)
{
  g_autoptr(GtkPrintOperation) operation = wc_invitations_new (self->session);
  g_autoptr(GError) error = NULL;

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, GTK_WINDOW (self),
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    g_warning ("Could not print the invitations: %s", error->message);
}

static void
wc_comms_check_dispose (GObject *object)
{
  WcCommsCheck *self = WC_COMMS_CHECK (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_COMMS_CHECK);
  self->team_list = NULL;
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (wc_comms_check_parent_class)->dispose (object);
}

static void
wc_comms_check_finalize (GObject *object)
{
  WcCommsCheck *self = WC_COMMS_CHECK (object);

  g_strfreev (self->addresses);
  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->icons);
  g_byte_array_unref (self->ready);
  g_hash_table_unref (self->row_of);
  G_OBJECT_CLASS (wc_comms_check_parent_class)->finalize (object);
}

static void
wc_comms_check_class_init (WcCommsCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_comms_check_dispose;
  object_class->finalize = wc_comms_check_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-comms-check.ui");
  gtk_widget_class_bind_template_child (widget_class, WcCommsCheck, local_banner);
  gtk_widget_class_bind_template_child (widget_class, WcCommsCheck, network_switch);
  gtk_widget_class_bind_template_child (widget_class, WcCommsCheck, address_row);
  gtk_widget_class_bind_template_child (widget_class, WcCommsCheck, public_host_row);
  gtk_widget_class_bind_template_child (widget_class, WcCommsCheck, base_row);
  gtk_widget_class_bind_template_child (widget_class, WcCommsCheck, teams_group);
  gtk_widget_class_bind_template_child (widget_class, WcCommsCheck, team_list);
  gtk_widget_class_bind_template_callback (widget_class, on_controls_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_print);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wc_comms_check_init (WcCommsCheck *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->icons = g_ptr_array_new ();
  self->ready = g_byte_array_new ();
  self->row_of = g_hash_table_new (NULL, NULL);
}

WcCommsCheck *
wc_comms_check_new (GtkWindow *parent,
                    WcSession *session,
                    GSettings *settings)
{
  /* it follows one exercise of @parent: it goes with it */
  WcCommsCheck *self = g_object_new (WC_TYPE_COMMS_CHECK, "transient-for", parent,
                                     "destroy-with-parent", TRUE, NULL);
  WcServer *server = wc_session_get_server (session);
  WcLive *live = wc_session_get_live (session);
  g_autoptr(GtkStringList) addresses = NULL;
  g_autofree char *base = server ? wc_server_get_base_url (server) : NULL;
  g_autoptr(GUri) uri = base ? g_uri_parse (base, G_URI_FLAGS_NONE, NULL) : NULL;

  self->session = g_object_ref (session);
  self->settings = settings ? g_object_ref (settings) : NULL;
  self->addresses = wc_presence_list_lan_addresses ();
  addresses = gtk_string_list_new ((const char *const *) self->addresses);
  self->filling = TRUE;
  adw_combo_row_set_model (self->address_row, G_LIST_MODEL (addresses));
  /* the address the links name now, when it is one of them */
  for (guint i = 0; uri && self->addresses[i]; i++)
    if (g_strcmp0 (self->addresses[i], g_uri_get_host (uri)) == 0)
      adw_combo_row_set_selected (self->address_row, i);
  if (settings)
    {
      g_autofree char *public_host = g_settings_get_string (settings, "public-host");

      gtk_editable_set_text (GTK_EDITABLE (self->public_host_row), public_host);
    }
  self->filling = FALSE;
  g_signal_connect_swapped (self->network_switch, "notify::active",
                            G_CALLBACK (on_controls_changed), self);
  g_signal_connect_swapped (self->address_row, "notify::selected",
                            G_CALLBACK (on_controls_changed), self);
  if (live)
    {
      GListModel *teams = wc_live_get_teams (live);

      for (guint i = 0; i < g_list_model_get_n_items (teams); i++)
        {
          g_autoptr(WcLiveTeam) team = g_list_model_get_item (teams, i);

          g_signal_connect_object (team, "notify", G_CALLBACK (on_team_notify), self, 0);
        }
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->network_switch), server != NULL);
  show_serving (self);
  fill_teams (self);
  return self;
}

GStrv
wc_comms_check_get_addresses (WcCommsCheck *self)
{
  return g_strdupv (self->addresses);
}

char *
wc_comms_check_describe (WcCommsCheck *self)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      AdwActionRow *row = g_ptr_array_index (self->rows, i);

      g_string_append_printf (out, "%s: %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (row));
    }
  return g_string_free (out, FALSE);
}

gboolean
wc_comms_check_get_local_warning (WcCommsCheck *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->local_banner));
}
