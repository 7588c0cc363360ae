/* wc-comms-check.c: the join links and the teams' readiness before Start. */
#define G_LOG_DOMAIN "wc-comms-check"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-comms-check.h"
#include "wc-invitations.h"
#include "wc-presence.h"
#include "wc-ui.h"

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
  GtkListView *team_list;
  GListModel  *teams;         /* the live teams, in the scenario's order; followed while open */
  GByteArray  *ready;         /* each team ready or not, for the count */
  GHashTable  *index_of;      /* WcLiveTeam → its index in @teams + 1 */
  guint        n_ready;
};

G_DEFINE_FINAL_TYPE (WcCommsCheck, wc_comms_check, ADW_TYPE_WINDOW)

/* Whether @team opened its page (now or before), and whether it is ready: opened, with no
 * failing webhook. Cheap: the count of ready teams is kept from it, for every team. */
static gboolean
team_is_ready (WcLiveTeam *team,
               gboolean   *opened_out,
               char      **last_seen_out)
{
  g_autofree char *last_seen = NULL;
  gboolean opened;

  g_object_get (team, "last-seen", &last_seen, NULL);
  opened = wc_live_team_get_connected (team) || (last_seen && *last_seen);
  if (opened_out)
    *opened_out = opened;
  if (last_seen_out)
    *last_seen_out = g_steal_pointer (&last_seen);
  return opened && wc_live_team_get_webhook_failures (team) == 0;
}

/* One team's readiness, in words ("page · webhook"); TRUE when it is ready. */
static gboolean
describe_team (WcCommsCheck  *self,
               WcLiveTeam    *team,
               char         **status_out)
{
  g_autofree char *last_seen = NULL, *page = NULL, *webhook = NULL;
  const WcTeam *scenario_team = wc_scenario_find_team (wc_session_get_scenario (self->session),
                                                       wc_live_team_get_id (team));
  guint failures = wc_live_team_get_webhook_failures (team);
  gboolean opened;
  gboolean ready = team_is_ready (team, &opened, &last_seen);

  if (wc_live_team_get_connected (team))
    page = g_strdup (_("Page open now"));
  else if (opened)
    /* Translators: a team whose page is closed now: "Page opened, last seen 14:02:11" */
    page = g_strdup_printf (_("Page opened, last seen %s"), last_seen);
  else
    page = g_strdup (_("Page not opened yet"));
  if (failures > 0)
    webhook = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "webhook failing (%u failure)",
                                            "webhook failing (%u failures)", failures), failures);
  else if (scenario_team && scenario_team->webhook)
    webhook = g_strdup (_("webhook configured"));
  else
    webhook = g_strdup (_("no webhook"));
  *status_out = g_strdup_printf ("%s · %s", page, webhook);
  return ready;
}

/* @item's row from its team's state. */
static void
show_row (WcCommsCheck *self,
          GtkListItem  *item)
{
  WcLiveTeam *team = gtk_list_item_get_item (item);
  GtkWidget *icon = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *title = gtk_widget_get_first_child (gtk_widget_get_next_sibling (icon));
  g_autofree char *name = NULL, *status = NULL;
  gboolean ready;

  if (team == NULL)
    return;
  ready = describe_team (self, team, &status);
  g_object_get (team, "name", &name, NULL);
  gtk_label_set_text (GTK_LABEL (title), name);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_next_sibling (title)), status);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), ready ? "emblem-ok-symbolic"
                                                        : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (icon, ready ? "warning" : "success");
  gtk_widget_add_css_class (icon, ready ? "success" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ready ? _("Ready") : _("Not ready"), -1);
}

static void
on_row_team_notify (GtkListItem *item)
{
  GtkWidget *self = gtk_widget_get_ancestor (gtk_list_item_get_child (item), WC_TYPE_COMMS_CHECK);

  /* a team's notify may come while the row is out of the window */
  if (self != NULL)
    show_row (WC_COMMS_CHECK (self), item);
}

/* The list builds rows for the teams in view only (5,000 rows built, measured and drawn at
 * once took seconds before the first frame): a row is an icon, the team's name and its status,
 * as an AdwActionRow showed them. */
static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           WcCommsCheck             *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);
  GSignalGroup *signals = g_signal_group_new (WC_TYPE_LIVE_TEAM);

  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (labels, 6);
  gtk_widget_set_margin_bottom (labels, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (subtitle), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (subtitle, "subtitle");
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, box);
  /* a team's change redraws its own row only, and only while the row shows that team */
  g_signal_group_connect_swapped (signals, "notify", G_CALLBACK (on_row_team_notify), item);
  g_object_set_data_full (G_OBJECT (item), "wc-team-signals", signals, g_object_unref);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          WcCommsCheck             *self)
{
  g_signal_group_set_target (g_object_get_data (G_OBJECT (item), "wc-team-signals"),
                             gtk_list_item_get_item (item));
  show_row (self, item);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            WcCommsCheck             *self)
{
  g_signal_group_set_target (g_object_get_data (G_OBJECT (item), "wc-team-signals"), NULL);
}

static void
show_summary (WcCommsCheck *self)
{
  guint n = self->ready->len;
  g_autofree char *summary =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u team has opened its page "
                                  "with no failing webhook",
                                  "%u of %u teams have opened their page with no "
                                  "failing webhook", n), self->n_ready, n);

  adw_preferences_group_set_description (self->teams_group, summary);
}

/* Team @i's readiness, in the count. */
static void
count_team (WcCommsCheck *self,
            guint         i,
            WcLiveTeam   *team)
{
  guint8 ready = team_is_ready (team, NULL, NULL) ? 1 : 0;

  self->n_ready = self->n_ready - self->ready->data[i] + ready;
  self->ready->data[i] = ready;
}

/* The count follows every team; the rows follow their own (above). */
static void
on_team_notify (WcLiveTeam   *team,
                GParamSpec   *pspec,
                WcCommsCheck *self)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (self->index_of, team));

  if (i == 0)
    return;
  count_team (self, i - 1, team);
  show_summary (self);
}

/* Follows @teams: each team's readiness counted and watched, the list over them. */
static void
follow_teams (WcCommsCheck *self,
              GListModel   *teams)
{
  guint n = teams ? g_list_model_get_n_items (teams) : 0;
  g_autoptr(GtkNoSelection) selection = NULL;

  self->teams = teams ? g_object_ref (teams) : NULL;
  g_byte_array_set_size (self->ready, n);
  memset (self->ready->data, 0, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WcLiveTeam) team = g_list_model_get_item (teams, i);

      g_hash_table_insert (self->index_of, team, GUINT_TO_POINTER (i + 1));
      /* disconnected in dispose: 5,000 closures watching the window cost more */
      g_signal_connect (team, "notify", G_CALLBACK (on_team_notify), self);
      count_team (self, i, team);
    }
  show_summary (self);
  /* a first screenful of rows, then more a step per frame: the 200 rows GTK 4.8 builds at once,
   * each measured with wrapping labels, took 150 ms before the dialog showed at 5,000 teams */
  selection = gtk_no_selection_new (teams ? wc_ui_growing_model (g_object_ref (teams), 16) : NULL);
  gtk_list_view_set_model (self->team_list, GTK_SELECTION_MODEL (selection));
}

static void
unfollow_teams (WcCommsCheck *self)
{
  if (self->teams == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (self->teams); i++)
    {
      g_autoptr(WcLiveTeam) team = g_list_model_get_item (self->teams, i);

      g_signal_handlers_disconnect_by_func (team, on_team_notify, self);
    }
  g_clear_object (&self->teams);
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

  unfollow_teams (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_COMMS_CHECK);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (wc_comms_check_parent_class)->dispose (object);
}

static void
wc_comms_check_finalize (GObject *object)
{
  WcCommsCheck *self = WC_COMMS_CHECK (object);

  g_strfreev (self->addresses);
  g_byte_array_unref (self->ready);
  g_hash_table_unref (self->index_of);
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
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->ready = g_byte_array_new ();
  self->index_of = g_hash_table_new (NULL, NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->team_list, factory);
  g_object_unref (factory);
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
  gtk_widget_set_sensitive (GTK_WIDGET (self->network_switch), server != NULL);
  show_serving (self);
  follow_teams (self, live ? wc_live_get_teams (live) : NULL);
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
  guint n = self->teams ? g_list_model_get_n_items (self->teams) : 0;

  /* from the teams, as each row shows them: most rows are not built */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WcLiveTeam) team = g_list_model_get_item (self->teams, i);
      g_autofree char *name = NULL, *status = NULL;

      g_object_get (team, "name", &name, NULL);
      describe_team (self, team, &status);
      g_string_append_printf (out, "%s: %s\n", name, status);
    }
  return g_string_free (out, FALSE);
}

gboolean
wc_comms_check_get_local_warning (WcCommsCheck *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->local_banner));
}
