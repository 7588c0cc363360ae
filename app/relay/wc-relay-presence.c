/* wc-relay-presence.c: on the controller, the teams each relay reports connected. */
#define G_LOG_DOMAIN "wc-relay"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-relay-presence.h"
#include "wc-relay-private.h"

/* One relay as its messages describe it. */
typedef struct {
  char       *id;
  GHashTable *teams;     /* the scenario's own team id strings: one entry per team at most */
  gint64      heard_at;  /* g_get_monotonic_time () of its last message */
  gint64      every_us;  /* its heartbeat */
  gint64      asked_at;  /* its whole list last asked for, 0 never */
  gboolean    synced;    /* its whole list came: its changes apply on it */
} Relay;

struct _WcRelayPresence {
  GObject     parent_instance;

  WcScenario *scenario;
  WcPresence *presence;  /* nullable */
  GHashTable *relays;    /* id → Relay */
  GSource    *timer;     /* while there are relays */
  gboolean    warned;    /* too many relays, said once */
};

G_DEFINE_FINAL_TYPE (WcRelayPresence, wc_relay_presence, G_TYPE_OBJECT)

/* How often silent relays are looked for: a fraction of the shortest heartbeat allowed. */
#define EXPIRE_CHECK_MS 100

static void
relay_free (gpointer data)
{
  Relay *relay = data;

  g_hash_table_unref (relay->teams);
  g_free (relay->id);
  g_free (relay);
}

static void
stop_timer (WcRelayPresence *self)
{
  if (self->timer == NULL)
    return;
  g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
}

static void
wc_relay_presence_dispose (GObject *object)
{
  WcRelayPresence *self = WC_RELAY_PRESENCE (object);

  /* a presence that outlives us must not keep our teams connected for ever */
  wc_relay_presence_set_presence (self, NULL);
  stop_timer (self);
  G_OBJECT_CLASS (wc_relay_presence_parent_class)->dispose (object);
}

static void
wc_relay_presence_finalize (GObject *object)
{
  WcRelayPresence *self = WC_RELAY_PRESENCE (object);

  g_hash_table_unref (self->relays);
  g_clear_object (&self->scenario);
  G_OBJECT_CLASS (wc_relay_presence_parent_class)->finalize (object);
}

static void
wc_relay_presence_class_init (WcRelayPresenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_relay_presence_dispose;
  object_class->finalize = wc_relay_presence_finalize;
}

static void
wc_relay_presence_init (WcRelayPresence *self)
{
  self->relays = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, relay_free);
}

WcRelayPresence *
wc_relay_presence_new (WcScenario *scenario)
{
  WcRelayPresence *self = g_object_new (WC_TYPE_RELAY_PRESENCE, NULL);

  self->scenario = g_object_ref (scenario);
  return self;
}

/* Each team every relay holds, told to @presence as a stream opening (+1) or closing (-1). */
static void
tell_all (WcRelayPresence *self,
          WcPresence      *presence,
          int              delta)
{
  GHashTableIter relays;
  gpointer value;

  g_hash_table_iter_init (&relays, self->relays);
  while (g_hash_table_iter_next (&relays, NULL, &value))
    {
      GHashTableIter teams;
      gpointer team;

      g_hash_table_iter_init (&teams, ((Relay *) value)->teams);
      while (g_hash_table_iter_next (&teams, &team, NULL))
        wc_presence_touch (presence, team, delta);
    }
}

void
wc_relay_presence_set_presence (WcRelayPresence *self,
                                WcPresence      *presence)
{
  g_autoptr(WcPresence) old = NULL;

  g_return_if_fail (WC_IS_RELAY_PRESENCE (self));
  g_return_if_fail (presence == NULL || WC_IS_PRESENCE (presence));

  if (self->presence == presence)
    return;
  old = g_steal_pointer (&self->presence);
  if (old)
    tell_all (self, old, -1);
  if (presence)
    {
      self->presence = g_object_ref (presence);
      tell_all (self, presence, +1);
    }
}

/* @team_id is the scenario's own string. */
static void
set_team (WcRelayPresence *self,
          Relay           *relay,
          const char      *team_id,
          gboolean         connected)
{
  gboolean changed = connected ? g_hash_table_add (relay->teams, (gpointer) team_id)
                               : g_hash_table_remove (relay->teams, team_id);

  if (changed && self->presence)
    wc_presence_touch (self->presence, team_id, connected ? +1 : -1);
}

static void
drop_teams (WcRelayPresence *self,
            Relay           *relay)
{
  g_autofree gpointer *teams = (gpointer *) g_hash_table_get_keys_as_array (relay->teams, NULL);

  for (guint i = 0; teams[i]; i++)
    set_team (self, relay, teams[i], FALSE);
}

static gboolean
on_timer (gpointer user_data)
{
  wc_relay_presence_expire (user_data);
  return G_SOURCE_CONTINUE;
}

/* Relay ids are the relays' own (hex): anything else is not one, and would name another key. */
static gboolean
relay_id_is_valid (const char *id)
{
  gsize n = id ? strlen (id) : 0;

  if (n == 0 || n > 64)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_')
      return FALSE;
  return TRUE;
}

/* The relay @relay_id, made if new (within the cap), and heard from now; NULL when not one. */
static Relay *
heard_from (WcRelayPresence *self,
            const char      *relay_id)
{
  Relay *relay;

  if (!relay_id_is_valid (relay_id))
    return NULL;
  relay = g_hash_table_lookup (self->relays, relay_id);
  if (relay == NULL)
    {
      if (g_hash_table_size (self->relays) >= WC_RELAY_MAX_RELAYS)
        {
          if (!self->warned)
            g_warning ("More than %d relays report their teams: relay %s is ignored",
                       WC_RELAY_MAX_RELAYS, relay_id);
          self->warned = TRUE;
          return NULL;
        }
      relay = g_new0 (Relay, 1);
      relay->id = g_strdup (relay_id);
      relay->teams = g_hash_table_new (g_str_hash, g_str_equal);
      relay->every_us = (gint64) WC_RELAY_HEARTBEAT_MS * 1000;
      g_hash_table_insert (self->relays, relay->id, relay);
      if (self->timer == NULL)
        {
          self->timer = g_timeout_source_new (EXPIRE_CHECK_MS);
          g_source_set_callback (self->timer, on_timer, self, NULL);
          g_source_attach (self->timer, g_main_context_get_thread_default ());
        }
    }
  relay->heard_at = g_get_monotonic_time ();
  return relay;
}

gboolean
wc_relay_presence_change (WcRelayPresence *self,
                          const char      *relay_id,
                          const char      *team_id,
                          gboolean         connected)
{
  Relay *relay;
  const WcTeam *team;

  g_return_val_if_fail (WC_IS_RELAY_PRESENCE (self), FALSE);

  relay = heard_from (self, relay_id);
  /* a change on a list not known is meaningless: the whole list, asked for, will say */
  if (relay == NULL || !relay->synced || team_id == NULL ||
      (team = wc_scenario_find_team (self->scenario, team_id)) == NULL)
    return FALSE;
  set_team (self, relay, team->id, connected);
  return TRUE;
}

gboolean
wc_relay_presence_sync (WcRelayPresence *self,
                        const char      *relay_id,
                        const char      *teams)
{
  Relay *relay;
  guint n_teams = wc_scenario_get_n_teams (self->scenario);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) wanted = NULL;
  g_autofree gpointer *held = NULL;
  GHashTableIter iter;
  gpointer team_id;

  g_return_val_if_fail (WC_IS_RELAY_PRESENCE (self), FALSE);

  relay = heard_from (self, relay_id);
  if (relay == NULL)
    return FALSE;
  /* no more lines than teams: whatever a longer list holds beyond is no team */
  lines = g_strsplit (teams ? teams : "", "\n", (gint) MIN (n_teams + 1, G_MAXINT));
  wanted = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; lines[i]; i++)
    {
      const WcTeam *team = wc_scenario_find_team (self->scenario, lines[i]);

      if (team)
        g_hash_table_add (wanted, team->id);
    }
  /* only the difference is told: a team on the relay throughout stays connected throughout */
  held = (gpointer *) g_hash_table_get_keys_as_array (relay->teams, NULL);
  for (guint i = 0; held[i]; i++)
    if (!g_hash_table_contains (wanted, held[i]))
      set_team (self, relay, held[i], FALSE);
  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &team_id, NULL))
    set_team (self, relay, team_id, TRUE);
  relay->synced = TRUE;
  return TRUE;
}

gboolean
wc_relay_presence_heartbeat (WcRelayPresence *self,
                             const char      *relay_id,
                             guint            every_ms)
{
  Relay *relay;

  g_return_val_if_fail (WC_IS_RELAY_PRESENCE (self), FALSE);

  relay = heard_from (self, relay_id);
  if (relay == NULL)
    return FALSE;
  relay->every_us = (gint64) CLAMP (every_ms, 100, 60000) * 1000;
  return TRUE;
}

gboolean
wc_relay_presence_wants_sync (WcRelayPresence *self,
                              const char      *relay_id)
{
  Relay *relay;
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (WC_IS_RELAY_PRESENCE (self), FALSE);

  relay = relay_id ? g_hash_table_lookup (self->relays, relay_id) : NULL;
  if (relay == NULL || relay->synced ||
      (relay->asked_at != 0 && now - relay->asked_at < relay->every_us))
    return FALSE;
  relay->asked_at = now;
  return TRUE;
}

void
wc_relay_presence_expire (WcRelayPresence *self)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (WC_IS_RELAY_PRESENCE (self));

  g_hash_table_iter_init (&iter, self->relays);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Relay *relay = value;

      if (now - relay->heard_at <= relay->every_us * WC_RELAY_HEARTBEATS_MISSED)
        continue;
      if (g_hash_table_size (relay->teams) > 0)
        g_message ("relay %s silent for %d heartbeats: the teams it served are taken as gone (%u)",
                   relay->id, WC_RELAY_HEARTBEATS_MISSED, g_hash_table_size (relay->teams));
      drop_teams (self, relay);
      g_hash_table_iter_remove (&iter);
    }
  if (g_hash_table_size (self->relays) == 0)
    stop_timer (self);
}

guint
wc_relay_presence_get_n_relays (WcRelayPresence *self)
{
  g_return_val_if_fail (WC_IS_RELAY_PRESENCE (self), 0);

  return g_hash_table_size (self->relays);
}

guint
wc_relay_presence_count_team (WcRelayPresence *self,
                              const char      *team_id)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (WC_IS_RELAY_PRESENCE (self), 0);

  g_hash_table_iter_init (&iter, self->relays);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += g_hash_table_contains (((Relay *) value)->teams, team_id);
  return n;
}
