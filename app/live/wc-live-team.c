/* wc-live-team.c: one card of the teams board: a team as the controller sees it. */
#define G_LOG_DOMAIN "wc-live"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-live-private.h"

GParamSpec *team_props[N_TEAM_PROPS];




G_DEFINE_FINAL_TYPE (WcLiveTeam, wc_live_team, G_TYPE_OBJECT)

static void
wc_live_team_finalize (GObject *object)
{
  WcLiveTeam *self = WC_LIVE_TEAM (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->kind);
  g_free (self->language);
  g_free (self->last_seen);
  g_free (self->join_url);
  G_OBJECT_CLASS (wc_live_team_parent_class)->finalize (object);
}

static void
wc_live_team_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  WcLiveTeam *self = WC_LIVE_TEAM (object);

  switch (prop_id)
    {
    case TEAM_PROP_ID: g_value_set_string (value, self->id); break;
    case TEAM_PROP_NAME: g_value_set_string (value, self->name); break;
    case TEAM_PROP_KIND: g_value_set_string (value, self->kind); break;
    case TEAM_PROP_LANGUAGE: g_value_set_string (value, self->language); break;
    case TEAM_PROP_CONNECTED: g_value_set_boolean (value, self->connected); break;
    case TEAM_PROP_LAST_SEEN: g_value_set_string (value, self->last_seen); break;
    case TEAM_PROP_PENDING_ACKS: g_value_set_uint (value, self->pending_acks); break;
    case TEAM_PROP_OVERDUE: g_value_set_uint (value, self->overdue); break;
    case TEAM_PROP_WEBHOOK_FAILURES: g_value_set_uint (value, self->webhook_failures); break;
    case TEAM_PROP_JOIN_URL: g_value_set_string (value, self->join_url); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_live_team_class_init (WcLiveTeamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = wc_live_team_finalize;
  object_class->get_property = wc_live_team_get_property;
  team_props[TEAM_PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  team_props[TEAM_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  team_props[TEAM_PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  team_props[TEAM_PROP_LANGUAGE] = g_param_spec_string ("language", NULL, NULL, NULL, flags);
  team_props[TEAM_PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, flags);
  team_props[TEAM_PROP_LAST_SEEN] = g_param_spec_string ("last-seen", NULL, NULL, NULL, flags);
  team_props[TEAM_PROP_PENDING_ACKS] = g_param_spec_uint ("pending-acks", NULL, NULL, 0, G_MAXUINT, 0, flags);
  team_props[TEAM_PROP_OVERDUE] = g_param_spec_uint ("overdue", NULL, NULL, 0, G_MAXUINT, 0, flags);
  team_props[TEAM_PROP_WEBHOOK_FAILURES] = g_param_spec_uint ("webhook-failures", NULL, NULL, 0, G_MAXUINT, 0, flags);
  team_props[TEAM_PROP_JOIN_URL] = g_param_spec_string ("join-url", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_TEAM_PROPS, team_props);
}

static void
wc_live_team_init (WcLiveTeam *self)
{
}

const char *wc_live_team_get_id (WcLiveTeam *self) { return self->id; }
gboolean wc_live_team_get_connected (WcLiveTeam *self) { return self->connected; }
guint wc_live_team_get_pending_acks (WcLiveTeam *self) { return self->pending_acks; }
guint wc_live_team_get_overdue (WcLiveTeam *self) { return self->overdue; }
guint wc_live_team_get_webhook_failures (WcLiveTeam *self) { return self->webhook_failures; }
const char *wc_live_team_get_join_url (WcLiveTeam *self) { return self->join_url; }


void
wc_live_team_sync (WcLiveTeam *self,
                   WcEngine   *engine)
{
  WcTeamCounts counts;

  wc_engine_get_team_counts (engine, self->id, &counts);
  SET_VALUE (self, pending_acks, counts.received - counts.acknowledged,
             team_props[TEAM_PROP_PENDING_ACKS]);
  SET_VALUE (self, webhook_failures, counts.webhook_failures,
             team_props[TEAM_PROP_WEBHOOK_FAILURES]);
}
