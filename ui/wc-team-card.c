/* wc-team-card.c: a team's card, following its WcLiveTeam. */
#define G_LOG_DOMAIN "wc-team-card"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-presence.h"
#include "wc-qr.h"
#include "wc-team-card.h"

struct _WcTeamCard {
  GtkWidget   parent_instance;

  WcLiveTeam *team;
  gulong      notify_handler;

  GtkWidget  *card;
  GtkImage   *presence_icon;
  GtkLabel   *name_label;
  GtkLabel   *kind_label;
  GtkLabel   *presence_label;
  GtkLabel   *pending_label;
  GtkLabel   *overdue_label;
  GtkLabel   *webhook_label;
  GtkLabel   *local_label;
  GtkWidget  *link_box;
  GtkWidget  *copy_button;
  GtkWidget  *qr_button;
  GtkPicture *qr_picture;
  GtkLabel   *url_label;
};

enum { PROP_0, PROP_TEAM, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (WcTeamCard, wc_team_card, GTK_TYPE_WIDGET)

static void
update (WcTeamCard *self)
{
  g_autofree char *name = NULL, *kind = NULL, *language = NULL, *last_seen = NULL;
  g_autofree char *kind_text = NULL, *presence = NULL, *pending = NULL, *overdue = NULL;
  g_autofree char *webhook = NULL;
  gboolean connected;
  guint n_pending, n_overdue, n_failures;

  if (self->team == NULL)
    return;
  g_object_get (self->team, "name", &name, "kind", &kind, "language", &language,
                "last-seen", &last_seen, NULL);
  connected = wc_live_team_get_connected (self->team);
  n_pending = wc_live_team_get_pending_acks (self->team);
  n_overdue = wc_live_team_get_overdue (self->team);
  n_failures = wc_live_team_get_webhook_failures (self->team);

  gtk_label_set_label (self->name_label, name);
  kind_text = language ? g_strdup_printf ("%s · %s", kind, language) : g_strdup (kind);
  gtk_label_set_label (self->kind_label, kind_text);
  gtk_image_set_from_icon_name (self->presence_icon, connected ? "network-idle-symbolic"
                                                               : "network-offline-symbolic");
  if (connected)
    presence = g_strdup (_("Connected"));
  else if (last_seen && *last_seen)
    /* Translators: a team that is not connected now: "Last seen 14:02:11" */
    presence = g_strdup_printf (_("Last seen %s"), last_seen);
  else
    presence = g_strdup (_("Never connected"));
  gtk_label_set_label (self->presence_label, presence);
  if (connected)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->presence_label), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->presence_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->presence_label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->presence_label), "dim-label");
    }
  pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u inject to acknowledge",
                                          "%u injects to acknowledge", n_pending), n_pending);
  gtk_label_set_label (self->pending_label, pending);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_label), n_pending > 0);
  overdue = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u answer overdue",
                                          "%u answers overdue", n_overdue), n_overdue);
  gtk_label_set_label (self->overdue_label, overdue);
  gtk_widget_set_visible (GTK_WIDGET (self->overdue_label), n_overdue > 0);
  if (n_overdue > 0)
    gtk_widget_add_css_class (self->card, "overdue");
  else
    gtk_widget_remove_css_class (self->card, "overdue");
  webhook = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u webhook failure",
                                          "%u webhook failures", n_failures), n_failures);
  gtk_label_set_label (self->webhook_label, webhook);
  gtk_widget_set_visible (GTK_WIDGET (self->webhook_label), n_failures > 0);
  gtk_widget_set_visible (self->link_box, wc_live_team_get_join_url (self->team) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->local_label),
                          wc_presence_url_is_local (wc_live_team_get_join_url (self->team)));
  {
    g_autofree char *copy = g_strdup_printf (_("Copy the join link of %s"), name);
    g_autofree char *qr = g_strdup_printf (_("Show the join link of %s as a QR code"), name);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button), GTK_ACCESSIBLE_PROPERTY_LABEL, copy, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->qr_button), GTK_ACCESSIBLE_PROPERTY_LABEL, qr, -1);
  }
}

static void
on_copy (WcTeamCard *self)
{
  const char *url = self->team ? wc_live_team_get_join_url (self->team) : NULL;

  if (url)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), url);
}

static void
on_qr_shown (WcTeamCard *self)
{
  const char *url = self->team ? wc_live_team_get_join_url (self->team) : NULL;
  g_autoptr(GdkTexture) texture = url ? wc_qr_texture_new (url, 6) : NULL;
  g_autofree char *shown = url ? wc_team_card_breakable_url (url) : NULL;

  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (texture));
  gtk_label_set_label (self->url_label, shown ? shown : "");
}

char *
wc_team_card_breakable_url (const char *url)
{
  GString *out = g_string_sized_new (strlen (url) + 16);
  const char *scheme_end = strstr (url, "://");

  for (const char *p = url; *p; p++)
    {
      g_string_append_c (out, *p);
      /* not inside "://", where a break would read as two links */
      if (*p == '/' && (scheme_end == NULL || p > scheme_end + 2) && p[1] != '\0')
        g_string_append (out, "\xe2\x80\x8b");  /* U+200B ZERO WIDTH SPACE */
    }
  return g_string_free (out, FALSE);
}

void
wc_team_card_set_team (WcTeamCard *self,
                       WcLiveTeam *team)
{
  if (self->team == team)
    return;
  if (self->team)
    g_clear_signal_handler (&self->notify_handler, self->team);
  g_set_object (&self->team, team);
  if (team)
    self->notify_handler = g_signal_connect_swapped (team, "notify", G_CALLBACK (update), self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEAM]);
}

WcLiveTeam *
wc_team_card_get_team (WcTeamCard *self)
{
  return self->team;
}

char *
wc_team_card_describe (WcTeamCard *self)
{
  GtkLabel *labels[] = { self->name_label, self->kind_label, self->presence_label,
                         self->pending_label, self->overdue_label, self->webhook_label,
                         self->local_label };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (gtk_widget_get_visible (GTK_WIDGET (labels[i])))
      g_string_append_printf (out, "%s\n", gtk_label_get_label (labels[i]));
  return g_string_free (out, FALSE);
}

static void
wc_team_card_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_TEAM:
      g_value_set_object (value, WC_TEAM_CARD (object)->team);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_team_card_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_TEAM:
      wc_team_card_set_team (WC_TEAM_CARD (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_team_card_dispose (GObject *object)
{
  WcTeamCard *self = WC_TEAM_CARD (object);

  if (self->team)
    g_clear_signal_handler (&self->notify_handler, self->team);
  g_clear_object (&self->team);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_TEAM_CARD);
  G_OBJECT_CLASS (wc_team_card_parent_class)->dispose (object);
}

static void
wc_team_card_class_init (WcTeamCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_team_card_dispose;
  object_class->get_property = wc_team_card_get_property;
  object_class->set_property = wc_team_card_set_property;
  properties[PROP_TEAM] = g_param_spec_object ("team", NULL, NULL, WC_TYPE_LIVE_TEAM,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                               G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/be/whitecell/Whitecell/wc-team-card.ui");
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, card);
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, presence_icon);
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, name_label);
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, kind_label);
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, presence_label);
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, pending_label);
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, overdue_label);
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, webhook_label);
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, local_label);
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, link_box);
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, copy_button);
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, qr_button);
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, WcTeamCard, url_label);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
wc_team_card_init (WcTeamCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->copy_button, "clicked", G_CALLBACK (on_copy), self);
  g_signal_connect_swapped (gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->qr_button)), "show",
                            G_CALLBACK (on_qr_shown), self);
}
