/* wc-engine-keys.c: the teams' Idempotency-Keys (docs/API.md): for each team, which record each of
 * its keys made, rebuilt by the applier from the records' "key" members, so that a request sent
 * again (a reply lost on the network, a relay's 504, a controller resumed after a crash) is
 * answered with what the first one made instead of being recorded twice. */
#define G_LOG_DOMAIN "wc-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-engine-private.h"

typedef struct {
  WcRecordType  type;
  JsonObject   *data;   /* the record's own: the journal keeps it anyway */
  guint         index;  /* a response's place among the team's answers to its inject */
} KeyedRecord;

static void
keyed_record_free (gpointer data)
{
  KeyedRecord *k = data;

  json_object_unref (k->data);
  g_free (k);
}

void
wc_engine_init_keys (WcEngine *self)
{
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_hash_table_unref);
}

void
wc_engine_clear_keys (WcEngine *self)
{
  g_hash_table_remove_all (self->keys);
}

void
wc_engine_free_keys (WcEngine *self)
{
  g_clear_pointer (&self->keys, g_hash_table_unref);
}

/* the words of the scenario's ids: 1 to 64 of [A-Za-z0-9._-] */
gboolean
wc_engine_key_is_valid (const char *key)
{
  return wc_scenario_is_valid_id (key);
}

static KeyedRecord *
lookup (WcEngine   *self,
        const char *team,
        const char *key)
{
  GHashTable *own = team && key ? g_hash_table_lookup (self->keys, team) : NULL;

  return own ? g_hash_table_lookup (own, key) : NULL;
}

gboolean
wc_engine_has_key (WcEngine   *self,
                   const char *team_id,
                   const char *key)
{
  g_return_val_if_fail (WC_IS_ENGINE (self), FALSE);
  return lookup (self, team_id, key) != NULL;
}

gboolean
wc_engine_is_retry_after_end (WcEngine   *self,
                              const char *owner,
                              const char *key)
{
  return self->journal != NULL && self->state == WC_ENGINE_ENDED && lookup (self, owner, key);
}

char *
wc_engine_staff_key_owner (const char *staff_id)
{
  return g_strconcat ("staff:", staff_id, NULL);
}

void
wc_engine_remember_key (WcEngine     *self,
                        const char   *team,
                        WcRecordType  type,
                        JsonObject   *data,
                        guint         index)
{
  const char *key = wc_record_get_key (data);
  GHashTable *own;
  KeyedRecord *k;

  if (team == NULL || !wc_engine_key_is_valid (key))
    return;
  own = g_hash_table_lookup (self->keys, team);
  if (own == NULL)
    {
      own = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, keyed_record_free);
      g_hash_table_insert (self->keys, g_strdup (team), own);
    }
  /* a journal written by hand may repeat a key: the first record made with it is what it made */
  if (g_hash_table_contains (own, key))
    return;
  k = g_new0 (KeyedRecord, 1);
  k->type = type;
  k->data = json_object_ref (data);
  k->index = index;
  g_hash_table_insert (own, g_strdup (key), k);
}

/* What differs between a request and the same one sent again: the id and the time the engine
 * gives, a situation report's version (counted from the team's earlier ones), and what the
 * journal adds (who relayed it, who of the staff acted). */
static const char *const volatile_members[] = {
  "message", "version", "key", "request", "by", "seal", NULL
};
/* an attachment sent again is stored again, under another name */
static const char *const volatile_attachment_members[] = { "file", NULL };

static guint
count_members (JsonObject        *object,
               const char *const *skip)
{
  JsonObjectIter iter;
  const char *name;
  guint n = 0;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, NULL))
    n += !g_strv_contains (skip, name);
  return n;
}

static gboolean
same_content (JsonObject        *a,
              JsonObject        *b,
              const char *const *skip)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (count_members (a, skip) != count_members (b, skip))
    return FALSE;
  json_object_iter_init (&iter, a);
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonNode *other = json_object_get_member (b, name);

      if (g_strv_contains (skip, name))
        continue;
      if (other == NULL)
        return FALSE;
      if (strcmp (name, "attachment") == 0 && JSON_NODE_HOLDS_OBJECT (value) &&
          JSON_NODE_HOLDS_OBJECT (other))
        {
          if (!same_content (json_node_get_object (value), json_node_get_object (other),
                             volatile_attachment_members))
            return FALSE;
        }
      else if (!json_node_equal (value, other))
        return FALSE;
    }
  return TRUE;
}

gboolean
wc_engine_claim_key (WcEngine      *self,
                     const char    *team,
                     const char    *key,
                     WcRecordType   type,
                     JsonObject    *record,
                     JsonObject   **earlier,
                     guint         *index,
                     GError       **error)
{
  KeyedRecord *k;

  *earlier = NULL;
  if (!wc_engine_key_is_valid (key))
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                   _("An Idempotency-Key is 1 to 64 letters, digits, “.”, “_” or “-”"));
      return FALSE;
    }
  if ((k = lookup (self, team, key)) == NULL)
    {
      json_object_set_string_member (record, "key", key);
      return TRUE;
    }
  if (k->type != type || !same_content (k->data, record, volatile_members))
    {
      g_set_error_literal (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_CONFLICT,
                           k->type == WC_RECORD_RESPONSE
                           ? _("This Idempotency-Key was already used for a different answer")
                           : _("This Idempotency-Key was already used for a different message"));
      return FALSE;
    }
  *earlier = k->data;
  if (index)
    *index = k->index;
  return TRUE;
}
