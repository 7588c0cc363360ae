/* wc-presence.c: which teams are connected and when they were last seen. */
#define G_LOG_DOMAIN "wc-presence"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>

#include "wc-presence.h"

typedef struct {
  WcPresence *owner;
  char       *team_id;
  guint       n_streams;
  gint64      last_seen;     /* g_get_real_time () */
  /* the journal's side (g_get_monotonic_time () µs) */
  gboolean    journaled;     /* connected, as last recorded */
  gint64      journaled_at;  /* 0 before the first record */
  gint64      dropped_at;    /* when its last stream closed */
  guint       flush_id;      /* records the settled state once it may */
  gboolean    queued;        /* in the owner's due queue */
} TeamPresence;

struct _WcPresence {
  GObject     parent_instance;

  WcTokens   *tokens;
  char       *base_url;
  GHashTable *teams;  /* team id → TeamPresence */
  WcEngine   *engine; /* journals transitions, or NULL */
  gint64      interval_us;
  gint64      grace_us;
  /* teams whose record is due, journaled a few dozen a main-loop turn: five thousand pages
   * closed together (a network cut, the end of a benchmark) drop together once the grace is
   * over, and their records at once stalled the server for a fifth of a second */
  GQueue      due;
  guint       drain_id;
};

#define PRESENCE_RECORDS_PER_TURN 64

G_DEFINE_FINAL_TYPE (WcPresence, wc_presence, G_TYPE_OBJECT)

enum {
  PRESENCE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
wc_presence_finalize (GObject *object)
{
  WcPresence *self = WC_PRESENCE (object);

  g_clear_handle_id (&self->drain_id, g_source_remove);
  g_queue_clear (&self->due);
  g_clear_object (&self->tokens);
  g_free (self->base_url);
  g_hash_table_unref (self->teams);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (wc_presence_parent_class)->finalize (object);
}

static void
wc_presence_class_init (WcPresenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wc_presence_finalize;

  signals[PRESENCE_CHANGED] =
    g_signal_new ("presence-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
team_presence_free (gpointer data)
{
  TeamPresence *p = data;

  g_clear_handle_id (&p->flush_id, g_source_remove);
  g_free (p->team_id);
  g_free (p);
}

static void
wc_presence_init (WcPresence *self)
{
  self->teams = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, team_presence_free);
}

static TeamPresence *
team_presence (WcPresence *self,
               const char *team_id)
{
  TeamPresence *p = g_hash_table_lookup (self->teams, team_id);

  if (p == NULL)
    {
      p = g_new0 (TeamPresence, 1);
      p->owner = self;
      p->team_id = g_strdup (team_id);
      g_hash_table_insert (self->teams, p->team_id, p);
    }
  return p;
}

static void journal_presence (TeamPresence *p);

static gboolean
drain_cb (gpointer user_data)
{
  WcPresence *self = user_data;

  for (guint i = 0; i < PRESENCE_RECORDS_PER_TURN && !g_queue_is_empty (&self->due); i++)
    {
      TeamPresence *p = g_queue_pop_head (&self->due);

      p->queued = FALSE;
      journal_presence (p);
    }
  if (!g_queue_is_empty (&self->due))
    return G_SOURCE_CONTINUE;
  self->drain_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
flush_cb (gpointer user_data)
{
  TeamPresence *p = user_data;
  WcPresence *self = p->owner;

  p->flush_id = 0;
  if (!p->queued)
    {
      p->queued = TRUE;
      g_queue_push_tail (&self->due, p);
    }
  if (self->drain_id == 0)
    self->drain_id = g_idle_add (drain_cb, self);
  return G_SOURCE_REMOVE;
}

/* Records the team's state if it differs from the journal's and the rate allows; otherwise
 * comes back when it may. */
static void
journal_presence (TeamPresence *p)
{
  WcPresence *self = p->owner;
  gboolean connected = p->n_streams > 0;
  gint64 now = g_get_monotonic_time ();
  gint64 due;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;

  /* an ended exercise's journal is sealed for good */
  if (self->engine == NULL || wc_engine_get_journal (self->engine) == NULL ||
      wc_engine_get_state (self->engine) == WC_ENGINE_ENDED)
    return;
  if (connected == p->journaled)
    {
      g_clear_handle_id (&p->flush_id, g_source_remove);
      return;
    }
  due = p->journaled_at ? p->journaled_at + self->interval_us : now;
  if (!connected)
    due = MAX (due, p->dropped_at + self->grace_us);
  if (due > now)
    {
      if (p->flush_id == 0)
        p->flush_id = g_timeout_add ((guint) ((due - now + 999) / 1000), flush_cb, p);
      return;
    }
  data = json_object_new ();
  json_object_set_string_member (data, "team", p->team_id);
  json_object_set_boolean_member (data, "connected", connected);
  /* tried once: presence is worth less than the exercise's own records, which report the outage */
  p->journaled = connected;
  p->journaled_at = now;
  if (!wc_engine_log (self->engine, WC_RECORD_TEAM_PRESENCE, data, &error))
    g_warning ("%s", error->message);
}

void
wc_presence_set_journal (WcPresence *self,
                         WcEngine   *engine,
                         guint       interval_ms,
                         guint       grace_ms)
{
  g_return_if_fail (WC_IS_PRESENCE (self));
  g_return_if_fail (engine == NULL || WC_IS_ENGINE (engine));

  g_set_object (&self->engine, engine);
  self->interval_us = (gint64) interval_ms * 1000;
  self->grace_us = (gint64) grace_ms * 1000;
  if (engine == NULL)
    return;
  /* a journal resumed after a crash may still say a team is connected: it is not, yet */
  for (guint i = 0; i < wc_scenario_get_n_teams (wc_engine_get_scenario (engine)); i++)
    {
      const char *id = wc_scenario_get_team (wc_engine_get_scenario (engine), i)->id;

      if (wc_engine_get_team_presence (engine, id, NULL))
        {
          TeamPresence *p = team_presence (self, id);

          p->journaled = TRUE;
          p->dropped_at = g_get_monotonic_time ();
          journal_presence (p);
        }
    }
}

WcPresence *
wc_presence_new (WcTokens *tokens)
{
  WcPresence *self = g_object_new (WC_TYPE_PRESENCE, NULL);

  self->tokens = g_object_ref (tokens);
  return self;
}

void
wc_presence_set_base_url (WcPresence *self,
                          const char *base_url)
{
  g_return_if_fail (WC_IS_PRESENCE (self));

  if (g_strcmp0 (self->base_url, base_url) == 0)
    return;
  g_free (self->base_url);
  self->base_url = g_strdup (base_url);
}

void
wc_presence_touch (WcPresence *self,
                   const char *team_id,
                   int         stream_delta)
{
  TeamPresence *p;
  gboolean was_connected;

  g_return_if_fail (WC_IS_PRESENCE (self));
  g_return_if_fail (team_id != NULL);

  p = team_presence (self, team_id);
  was_connected = p->n_streams > 0;
  p->n_streams += stream_delta;
  p->last_seen = g_get_real_time ();
  if (was_connected == (p->n_streams > 0))
    return;
  if (was_connected)
    p->dropped_at = g_get_monotonic_time ();
  journal_presence (p);
  g_signal_emit (self, signals[PRESENCE_CHANGED], 0, team_id);
}

gboolean
wc_presence_is_team_connected (WcPresence *self,
                               const char *team_id)
{
  TeamPresence *p;

  g_return_val_if_fail (WC_IS_PRESENCE (self), FALSE);

  p = g_hash_table_lookup (self->teams, team_id);
  return p && p->n_streams > 0;
}

gint64
wc_presence_get_team_last_seen (WcPresence *self,
                                const char *team_id)
{
  TeamPresence *p;

  g_return_val_if_fail (WC_IS_PRESENCE (self), 0);

  p = g_hash_table_lookup (self->teams, team_id);
  return p ? p->last_seen : 0;
}

char *
wc_presence_get_join_url (WcPresence *self,
                          const char *team_id)
{
  const char *token;

  g_return_val_if_fail (WC_IS_PRESENCE (self), NULL);

  token = wc_tokens_get_team_token (self->tokens, team_id);
  if (token == NULL)
    return NULL;
  return g_strdup_printf ("%s/t/%s", self->base_url ? self->base_url : "", token);
}

static gboolean
address_is_lan (GInetAddress *address)
{
  return !g_inet_address_get_is_loopback (address) && !g_inet_address_get_is_link_local (address) &&
         !g_inet_address_get_is_any (address) && !g_inet_address_get_is_multicast (address);
}

GStrv
wc_presence_list_lan_addresses (void)
{
  g_autoptr(GPtrArray) v4 = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) v6 = g_ptr_array_new_with_free_func (g_free);
  struct ifaddrs *list = NULL;

  if (getifaddrs (&list) != 0)
    return g_new0 (char *, 1);
  for (struct ifaddrs *i = list; i; i = i->ifa_next)
    {
      g_autoptr(GSocketAddress) socket_address = NULL;
      GInetAddress *address;
      GPtrArray *into;
      char *text;

      if (i->ifa_addr == NULL || !(i->ifa_flags & IFF_UP) ||
          (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
        continue;
      socket_address = g_socket_address_new_from_native (i->ifa_addr,
                                                         i->ifa_addr->sa_family == AF_INET
                                                           ? sizeof (struct sockaddr_in)
                                                           : sizeof (struct sockaddr_in6));
      if (socket_address == NULL || !G_IS_INET_SOCKET_ADDRESS (socket_address))
        continue;
      address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (socket_address));
      if (!address_is_lan (address))
        continue;
      into = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4 ? v4 : v6;
      text = g_inet_address_to_string (address);
      /* an interface may carry the same address twice (aliases) */
      if (g_ptr_array_find_with_equal_func (into, text, g_str_equal, NULL))
        g_free (text);
      else
        g_ptr_array_add (into, text);
    }
  freeifaddrs (list);
  for (guint i = 0; i < v6->len; i++)
    g_ptr_array_add (v4, g_strdup (g_ptr_array_index (v6, i)));
  g_ptr_array_add (v4, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&v4), FALSE);
}

gboolean
wc_presence_url_is_local (const char *url)
{
  g_autoptr(GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_str_has_suffix (host, ".localhost"))
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address && g_inet_address_get_is_loopback (address);
}
