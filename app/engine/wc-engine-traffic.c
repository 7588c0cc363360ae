/* wc-engine-traffic.c: the teams' own traffic — messages, incident notifications, warnings,
 * situation reports — checked against the scenario's roles and matrix, journaled, and kept in
 * one table by the applier (wc_engine_apply_traffic), so that a resume or a replay rebuilds it
 * from the journal alone. */
#define G_LOG_DOMAIN "wc-engine"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wc-engine-private.h"
#include "wc-untrusted.h"

static const char *const kind_names[] = { "message", "notification", "warning", "sitrep", NULL };

const char *
wc_traffic_kind_to_string (WcTrafficKind kind)
{
  g_return_val_if_fail (kind <= WC_TRAFFIC_SITREP, NULL);
  return kind_names[kind];
}

gboolean
wc_traffic_kind_from_string (const char    *name,
                             WcTrafficKind *kind)
{
  int v;

  if (!wc_name_lookup (kind_names, name, &v))
    return FALSE;
  *kind = v;
  return TRUE;
}

/* The table ------------------------------------------------------------------------------------ */

static void
item_free (gpointer data)
{
  WcTrafficItem *item = data;

  g_free ((char *) item->id);
  g_ptr_array_unref (item->to);
  json_object_unref (item->data);
  g_hash_table_unref (item->acknowledged);
  g_ptr_array_unref (item->replies);
  g_free (item);
}

void
wc_engine_init_traffic (WcEngine *self)
{
  self->traffic = g_ptr_array_new_with_free_func (item_free);
  self->traffic_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->team_traffic = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_ptr_array_unref);
  self->traffic_sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->traffic_next = 1;
}

void
wc_engine_clear_traffic (WcEngine *self)
{
  g_hash_table_remove_all (self->traffic_index);
  g_hash_table_remove_all (self->team_traffic);
  g_hash_table_remove_all (self->traffic_sent);
  g_ptr_array_set_size (self->traffic, 0);
  self->traffic_next = 1;
}

void
wc_engine_free_traffic (WcEngine *self)
{
  g_hash_table_unref (self->traffic_index);
  g_hash_table_unref (self->team_traffic);
  g_hash_table_unref (self->traffic_sent);
  g_ptr_array_unref (self->traffic);
}

const WcTrafficItem *
wc_engine_find_message (WcEngine   *self,
                        const char *id)
{
  return id ? g_hash_table_lookup (self->traffic_index, id) : NULL;
}

GPtrArray *
wc_engine_get_messages (WcEngine *self)
{
  return self->traffic;
}

GPtrArray *
wc_engine_get_team_messages (WcEngine   *self,
                             const char *team)
{
  GPtrArray *items = team ? g_hash_table_lookup (self->team_traffic, team) : NULL;
  GPtrArray *copy = g_ptr_array_sized_new (items ? items->len : 0);

  for (guint i = 0; items && i < items->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (items, i));
  return copy;
}

static gboolean
item_is_to (const WcTrafficItem *item,
            const char          *team)
{
  for (guint i = 0; team && i < item->to->len; i++)
    if (strcmp (g_ptr_array_index (item->to, i), team) == 0)
      return TRUE;
  return FALSE;
}

static guint
sent_by (WcEngine   *self,
         const char *team)
{
  return team ? GPOINTER_TO_UINT (g_hash_table_lookup (self->traffic_sent, team)) : 0;
}

/* The applier ---------------------------------------------------------------------------------- */

static gboolean
bad_traffic (GError    **error,
             const char *type,
             const char *what)
{
  g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_MISMATCH,
               _("a “%s” record names %s that this scenario does not have"), type, what);
  return FALSE;
}

static void
index_for_team (WcEngine      *self,
                const char    *team,
                WcTrafficItem *item)
{
  GPtrArray *items = g_hash_table_lookup (self->team_traffic, team);

  if (items == NULL)
    {
      items = g_ptr_array_new ();
      g_hash_table_insert (self->team_traffic, g_strdup (team), items);
    }
  /* a team that writes to itself (never allowed, but a journal may say so) is listed once */
  if (items->len == 0 || g_ptr_array_index (items, items->len - 1) != item)
    g_ptr_array_add (items, item);
}

static gboolean
apply_item (WcEngine      *self,
            WcRecordType   type,
            JsonObject    *data,
            gint64         t_ms,
            GError       **error)
{
  const char *type_name = wc_record_type_to_string (type);
  const char *id = wc_record_get_string (data, "message");
  const char *from = wc_record_get_string (data, "from");
  const char *from_actor = wc_record_get_string (data, "from_actor");
  const char *in_reply_to = wc_record_get_string (data, "in_reply_to");
  JsonNode *to = json_object_get_member (data, "to");
  WcTrafficItem *parent = NULL;
  WcTrafficItem *item;
  WcTrafficKind kind;
  guint64 n;

  if (id == NULL || !g_str_has_prefix (id, "M-") ||
      !g_ascii_string_to_unsigned (id + 2, 10, 1, G_MAXUINT - 1, &n, NULL) ||
      g_hash_table_contains (self->traffic_index, id))
    return bad_traffic (error, type_name, _("a message id already in use (or none)"));
  if (!wc_traffic_kind_from_string (wc_record_get_string (data, "kind"), &kind))
    return bad_traffic (error, type_name, _("a kind of message"));
  if ((from && wc_scenario_find_team (self->scenario, from) == NULL) ||
      (from_actor && wc_scenario_find_actor (self->scenario, from_actor) == NULL))
    return bad_traffic (error, type_name, _("a sender"));
  if (to == NULL || !JSON_NODE_HOLDS_ARRAY (to))
    return bad_traffic (error, type_name, _("no recipients"));
  if (in_reply_to && (parent = g_hash_table_lookup (self->traffic_index, in_reply_to)) == NULL)
    return bad_traffic (error, type_name, _("a message it answers"));

  item = g_new0 (WcTrafficItem, 1);
  item->id = g_strdup (id);
  item->kind = kind;
  item->t_ms = t_ms;
  item->seq = self->applying_seq;
  item->data = json_object_ref (data);
  item->from = from;
  item->from_actor = from_actor;
  item->to = g_ptr_array_new_with_free_func (g_free);
  item->acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  item->replies = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (to)); i++)
    {
      const char *team = json_array_get_string_element (json_node_get_array (to), i);

      if (team == NULL || wc_scenario_find_team (self->scenario, team) == NULL)
        {
          item_free (item);
          return bad_traffic (error, type_name, _("a team"));
        }
      g_ptr_array_add (item->to, g_strdup (team));
    }

  g_ptr_array_add (self->traffic, item);
  g_hash_table_insert (self->traffic_index, (char *) item->id, item);
  self->traffic_next = MAX (self->traffic_next, (guint) n + 1);
  if (parent)
    g_ptr_array_add (parent->replies, g_strdup (item->id));
  if (from)
    {
      g_hash_table_replace (self->traffic_sent, g_strdup (from),
                            GUINT_TO_POINTER (sent_by (self, from) + 1));
      index_for_team (self, from, item);
    }
  for (guint i = 0; i < item->to->len; i++)
    index_for_team (self, g_ptr_array_index (item->to, i), item);
  wc_engine_remember_key (self, from, type, data, 0);
  return TRUE;
}

gboolean
wc_engine_apply_traffic (WcEngine      *self,
                         WcRecordType   type,
                         JsonObject    *data,
                         gint64         t_ms,
                         GError       **error)
{
  const char *id = wc_record_get_string (data, "message");
  const char *team = wc_record_get_team (data);
  WcTrafficItem *item;

  if (type != WC_RECORD_MESSAGE_ACKNOWLEDGED)
    return apply_item (self, type, data, t_ms, error);
  item = id ? g_hash_table_lookup (self->traffic_index, id) : NULL;
  if (item == NULL || !item_is_to (item, team))
    return bad_traffic (error, wc_record_type_to_string (type),
                        _("a message that never reached the team"));
  if (!g_hash_table_contains (item->acknowledged, team))
    g_hash_table_insert (item->acknowledged, g_strdup (team), g_memdup2 (&t_ms, sizeof t_ms));
  return TRUE;
}

/* Checks ---------------------------------------------------------------------------------------- */

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError       **error,
      WcEngineError  code,
      const char    *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, WC_ENGINE_ERROR, code, message);
  return FALSE;
}

/* Traffic is part of the running exercise: not before the clock starts, not after the end, and
 * never into a review's replay. */
static gboolean
check_live (WcEngine  *self,
            GError   **error)
{
  if (self->journal != NULL &&
      (self->state == WC_ENGINE_RUNNING || self->state == WC_ENGINE_PAUSED))
    return TRUE;
  return fail (error, WC_ENGINE_ERROR_STATE,
               self->state == WC_ENGINE_READY ? _("The exercise has not started yet")
               : self->state == WC_ENGINE_ENDED ? _("The exercise has ended")
               : _("This exercise is only being reviewed"));
}

/* Live; or, once the exercise has ended, a team's request sent again with the Idempotency-Key of
 * an item it sent while it was (its reply lost on the way): answered as the first time by
 * journal_item(), nothing recorded. */
static gboolean
check_live_or_retry (WcEngine    *self,
                     const char  *from_team,
                     const char  *key,
                     GError     **error)
{
  return wc_engine_is_retry_after_end (self, from_team, key) || check_live (self, error);
}

static const WcTeam *
check_team (WcEngine    *self,
            const char  *team_id,
            GError     **error)
{
  const WcTeam *team = team_id ? wc_scenario_find_team (self->scenario, team_id) : NULL;

  if (team == NULL)
    fail (error, WC_ENGINE_ERROR_NOT_FOUND, _("There is no team “%s”"), team_id ? team_id : "");
  return team;
}

/* @key: what a retry sends again adds nothing, even at the limit */
static gboolean
check_sender (WcEngine     *self,
              const WcTeam *team,
              const char   *key,
              GError      **error)
{
  if (sent_by (self, team->id) < WC_TRAFFIC_MAX_PER_TEAM || wc_engine_has_key (self, team->id, key))
    return TRUE;
  return fail (error, WC_ENGINE_ERROR_INVALID,
               _("Team “%s” has sent the %d items of traffic an exercise allows"), team->id,
               WC_TRAFFIC_MAX_PER_TEAM);
}

static gboolean
is_blank (const char *text)
{
  for (const char *c = text; *c; c++)
    if (!g_ascii_isspace (*c))
      return FALSE;
  return TRUE;
}

/* A string member of @data, checked (UTF-8, no more than @max_chars characters or @max_bytes
 * bytes) and copied to @record; absent is fine unless @required. */
static gboolean
copy_string (JsonObject  *data,
             JsonObject  *record,
             const char  *field,
             gsize        max_chars,
             gsize        max_bytes,
             gboolean     required,
             GError     **error)
{
  JsonNode *node = data ? json_object_get_member (data, field) : NULL;
  const char *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return !required || fail (error, WC_ENGINE_ERROR_INVALID, _("“%s” is missing"), field);
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“%s” is not a text"), field);
  value = json_node_get_string (node);
  if (!g_utf8_validate (value, -1, NULL))
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“%s” is not UTF-8 text"), field);
  if (required && is_blank (value))
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“%s” is empty"), field);
  if ((max_bytes && strlen (value) > max_bytes) ||
      (max_chars && g_utf8_strlen (value, -1) > (glong) max_chars))
    {
      if (max_bytes)
        return fail (error, WC_ENGINE_ERROR_INVALID,
                     ngettext ("“%s” is too long (at most %zu byte)",
                               "“%s” is too long (at most %zu bytes)", max_bytes),
                     field, max_bytes);
      return fail (error, WC_ENGINE_ERROR_INVALID,
                   ngettext ("“%s” is too long (at most %zu character)",
                             "“%s” is too long (at most %zu characters)", max_chars),
                   field, max_chars);
    }
  if (record)
    json_object_set_string_member (record, field, value);
  return TRUE;
}

/* A string member that must be one of @names (NULL-terminated); @fallback when absent (or NULL:
 * required). */
static gboolean
copy_word (JsonObject        *data,
           JsonObject        *record,
           const char        *field,
           const char *const *names,
           const char        *fallback,
           GError           **error)
{
  const char *value = json_object_get_string_member_with_default (data, field, NULL);
  int v;

  if (!json_object_has_member (data, field) && fallback)
    value = fallback;
  if (!wc_name_lookup (names, value, &v))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) names);

      return fail (error, WC_ENGINE_ERROR_INVALID, _("“%s” is one of: %s"), field, list);
    }
  json_object_set_string_member (record, field, names[v]);
  return TRUE;
}

/* A language tag: "nl", "fr-BE". */
static gboolean
is_language_tag (const char *lang)
{
  gboolean ok = lang && strlen (lang) >= 2 && strlen (lang) <= 16 && g_ascii_isalpha (*lang);

  for (const char *c = lang; ok && *c; c++)
    ok = g_ascii_isalnum (*c) || *c == '-' || *c == '_';
  return ok;
}

/* "tlp" (the scenario's when absent) and "lang" (the sender's when absent). */
static gboolean
copy_tlp_lang (WcEngine     *self,
               JsonObject   *data,
               JsonObject   *record,
               const WcTeam *sender,
               GError      **error)
{
  const char *tlp_name = json_object_get_string_member_with_default (data, "tlp", NULL);
  const char *lang = json_object_get_string_member_with_default (data, "lang", NULL);
  WcTlp tlp = wc_scenario_get_tlp (self->scenario);

  if (json_object_has_member (data, "tlp") && !wc_tlp_from_string (tlp_name, &tlp))
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“tlp” is not a TLP level"));
  if (json_object_has_member (data, "lang"))
    {
      if (!is_language_tag (lang))
        return fail (error, WC_ENGINE_ERROR_INVALID, _("“lang” is not a language tag"));
    }
  else
    lang = sender && sender->language ? sender->language
           : wc_scenario_get_default_language (self->scenario);
  json_object_set_string_member (record, "tlp", wc_tlp_to_string (tlp));
  json_object_set_string_member (record, "lang", lang);
  return TRUE;
}

/* Adds @team_id to @ids unless it is there. */
static void
add_unique (GPtrArray  *ids,
            const char *team_id)
{
  if (!g_ptr_array_find_with_equal_func (ids, team_id, g_str_equal, NULL))
    g_ptr_array_add (ids, (gpointer) team_id);
}

/* data.to: a team id or an array of them; @ids gets the teams (borrowed from the scenario).
 * Absent is fine (an empty @ids) unless @required. */
static gboolean
read_recipients (WcEngine    *self,
                 JsonObject  *data,
                 GPtrArray   *ids,
                 gboolean     required,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (data, "to");
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return !required || fail (error, WC_ENGINE_ERROR_INVALID, _("“to” is missing"));
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const WcTeam *team = check_team (self, json_node_get_string (node), error);

      if (team)
        add_unique (ids, team->id);
      return team != NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“to” is not a list of teams"));
  array = json_node_get_array (node);
  if (json_array_get_length (array) > WC_TRAFFIC_MAX_RECIPIENTS)
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“to” names more than %d teams"),
                 WC_TRAFFIC_MAX_RECIPIENTS);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const WcTeam *team;

      if (json_node_get_value_type (element) != G_TYPE_STRING)
        return fail (error, WC_ENGINE_ERROR_INVALID, _("“to” is not a list of teams"));
      if ((team = check_team (self, json_node_get_string (element), error)) == NULL)
        return FALSE;
      add_unique (ids, team->id);
    }
  if (required && ids->len == 0)
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“to” names no team"));
  return TRUE;
}

/* The matrix, for every recipient; a reply to what the sender received may always go back to
 * whoever sent it. */
static gboolean
check_matrix (WcEngine            *self,
              const WcTeam        *sender,
              GPtrArray           *ids,
              const WcTrafficItem *answered,
              GError             **error)
{
  for (guint i = 0; i < ids->len; i++)
    {
      const char *to = g_ptr_array_index (ids, i);

      if (strcmp (to, sender->id) == 0)
        return fail (error, WC_ENGINE_ERROR_INVALID, _("A team does not write to itself"));
      if (answered && g_strcmp0 (answered->from, to) == 0 && item_is_to (answered, sender->id))
        continue;
      if (!wc_scenario_may_write (self->scenario, sender->id, to))
        return fail (error, WC_ENGINE_ERROR_DENIED,
                     _("Team “%s” may not write to team “%s” in this exercise"), sender->id, to);
    }
  return TRUE;
}

static void
set_recipients (JsonObject *record,
                const char *field,
                GPtrArray  *ids)
{
  JsonArray *array = json_array_sized_new (ids->len);

  for (guint i = 0; i < ids->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (ids, i));
  json_object_set_array_member (record, field, array);
}

/* data.in_reply_to, when given: a message the sender sent or received. */
static gboolean
read_in_reply_to (WcEngine              *self,
                  JsonObject            *data,
                  JsonObject            *record,
                  const char            *team_id,
                  const WcTrafficItem  **answered,
                  GError               **error)
{
  JsonNode *node = json_object_get_member (data, "in_reply_to");
  const WcTrafficItem *item;

  *answered = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“in_reply_to” is not a message id"));
  item = wc_engine_find_message (self, json_node_get_string (node));
  /* a team learns nothing of traffic it is not part of: not found, like an unknown id */
  if (item == NULL ||
      (team_id && g_strcmp0 (item->from, team_id) != 0 && !item_is_to (item, team_id)))
    return fail (error, WC_ENGINE_ERROR_NOT_FOUND, _("There is no message “%s”"),
                 json_node_get_string (node));
  json_object_set_string_member (record, "in_reply_to", item->id);
  *answered = item;
  return TRUE;
}

static JsonObject *
new_record (WcEngine      *self,
            WcTrafficKind  kind,
            const char    *from_team)
{
  JsonObject *record = json_object_new ();
  g_autofree char *id = g_strdup_printf ("M-%u", self->traffic_next);

  json_object_set_string_member (record, "message", id);
  json_object_set_string_member (record, "kind", wc_traffic_kind_to_string (kind));
  if (from_team)
    json_object_set_string_member (record, "from", from_team);
  return record;
}

/* Journals @record (taken) and returns its id; with the sender's Idempotency-Key @key, the id
 * of what the same request made before, if it did (and nothing is journaled). */
static char *
journal_item (WcEngine     *self,
              WcRecordType  type,
              JsonObject   *record,
              const char   *key,
              GError      **error)
{
  g_autoptr(JsonObject) owned = record;
  const char *from = wc_record_get_string (record, "from");
  JsonObject *earlier = NULL;
  char *id;

  if (key && from &&
      !wc_engine_claim_key (self, from, key, type, record, &earlier, NULL, error))
    return NULL;
  if (earlier)
    return g_strdup (wc_record_get_string (earlier, "message"));
  /* the ended exercise took a retry this far: anything else it sends is refused */
  if (!check_live (self, error))
    return NULL;
  id = g_strdup (json_object_get_string_member (record, "message"));
  if (!wc_engine_record_now (self, type, g_steal_pointer (&owned), error))
    g_clear_pointer (&id, g_free);
  return id;
}

/* Attachments ----------------------------------------------------------------------------------- */

static const struct {
  const char *media_type;
  const char *extensions;   /* the first is added to a name without one */
  const char *magic;        /* what the file starts with, or NULL */
  gsize       magic_length;
} attachment_types[] = {
  { "application/pdf", ".pdf", "%PDF-", 5 },
  { "image/png", ".png", "\x89PNG\r\n\x1a\n", 8 },
  { "image/jpeg", ".jpg .jpeg", "\xff\xd8\xff", 3 },
  { "text/plain", ".txt .log", NULL, 0 },
  { "text/csv", ".csv", NULL, 0 },
  { "application/json", ".json", NULL, 0 },
  { "application/zip", ".zip", "PK", 2 },
  { "message/rfc822", ".eml", NULL, 0 },
};

static char *
attachment_folder (WcEngine *self)
{
  return g_strconcat (wc_journal_get_path (self->journal), ".attachments", NULL);
}

/* A file name that stays in its folder and shows as what it is: no folder part, no "..", no
 * leading dot, no control or invisible characters, at most WC_TRAFFIC_MAX_ATTACHMENT_NAME bytes
 * (cut before the extension). */
static char *
sanitise_name (const char *name)
{
  const char *base = name ? name : "";
  g_autofree char *valid = NULL;
  GString *out = g_string_new (NULL);
  const char *dot;
  gsize ext_len;

  /* browsers of old sent the whole path */
  for (const char *c = base; *c; c++)
    if (*c == '/' || *c == '\\')
      base = c + 1;
  valid = g_utf8_make_valid (base, -1);
  for (const char *c = valid; *c; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      if (g_unichar_iscntrl (u) || wc_untrusted_is_invisible (u) || strchr ("\"<>:|?*", u))
        g_string_append_c (out, '_');
      else if (u == '.' && (out->len == 0 || out->str[out->len - 1] == '.'))
        continue;
      else
        g_string_append_unichar (out, u);
    }
  while (out->len > 0 && (out->str[out->len - 1] == ' ' || out->str[out->len - 1] == '.'))
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_assign (out, "attachment");
  if (out->len > WC_TRAFFIC_MAX_ATTACHMENT_NAME)
    {
      dot = strrchr (out->str, '.');
      ext_len = dot && strlen (dot) <= 16 ? strlen (dot) : 0;
      {
        g_autofree char *ext = g_strdup (out->str + out->len - ext_len);
        const char *end = out->str + WC_TRAFFIC_MAX_ATTACHMENT_NAME - ext_len;

        /* cut on a character's boundary */
        while (end > out->str && (*end & 0xc0) == 0x80)
          end--;
        g_string_truncate (out, end - out->str);
        g_string_append (out, ext);
      }
    }
  return g_string_free (out, FALSE);
}

static gboolean
has_extension (const char *name,
               const char *extensions)
{
  const char *dot = strrchr (name, '.');
  g_auto(GStrv) list = g_strsplit (extensions, " ", -1);

  for (guint i = 0; dot && list[i]; i++)
    if (g_ascii_strcasecmp (dot, list[i]) == 0)
      return TRUE;
  return FALSE;
}

JsonObject *
wc_engine_store_message_attachment (WcEngine    *self,
                                    const char  *from_team,
                                    const char  *key,
                                    const char  *name,
                                    const char  *media_type,
                                    GBytes      *bytes,
                                    GError     **error)
{
  g_autofree char *type = g_ascii_strdown (media_type ? media_type : "", -1);
  g_autofree char *clean = sanitise_name (name);
  g_autofree char *folder = NULL;
  g_autofree char *id = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *used = NULL;
  const char *data;
  gsize size;
  JsonObject *result;
  int k = -1;

  if (!check_live_or_retry (self, from_team, key, error))
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  if (size == 0 || size > WC_TRAFFIC_MAX_ATTACHMENT)
    {
      fail (error, WC_ENGINE_ERROR_INVALID,
            _("An attachment is a file of at most %zu MiB, not empty"),
            WC_TRAFFIC_MAX_ATTACHMENT / (1024 * 1024));
      return NULL;
    }
  /* "text/plain; charset=utf-8" is text/plain */
  type[strcspn (type, "; ")] = '\0';
  if (strcmp (type, "application/x-zip-compressed") == 0)
    strcpy (type, "application/zip");
  for (guint i = 0; i < G_N_ELEMENTS (attachment_types) && k < 0; i++)
    if (strcmp (type, attachment_types[i].media_type) == 0)
      k = i;
  if (k < 0 || (attachment_types[k].magic &&
                (size < attachment_types[k].magic_length ||
                 memcmp (data, attachment_types[k].magic, attachment_types[k].magic_length) != 0)))
    {
      if (k < 0)
        fail (error, WC_ENGINE_ERROR_UNSUPPORTED,
              _("Attachments are PDF, PNG, JPEG, text, CSV, JSON, ZIP or e-mail (.eml) files"));
      else
        fail (error, WC_ENGINE_ERROR_UNSUPPORTED, _("The file is not the %s it says it is"),
              attachment_types[k].media_type);
      return NULL;
    }
  /* the name says what the file is: a page showing "invoice.pdf.html" as text/plain misleads */
  if (!has_extension (clean, attachment_types[k].extensions))
    {
      g_autofree char *ext = g_strndup (attachment_types[k].extensions,
                                        strcspn (attachment_types[k].extensions, " "));
      g_autofree char *longer = g_strconcat (clean, ext, NULL);
      g_autofree char *again = sanitise_name (longer);

      g_free (clean);
      clean = g_steal_pointer (&again);
    }
  folder = attachment_folder (self);
  id = g_strdup_printf ("M-%u", self->traffic_next);
  dir = g_build_filename (folder, id, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }
  if ((used = wc_engine_write_new_file (dir, clean, data, size, error)) == NULL)
    return NULL;
  g_free (dir);
  dir = g_strconcat (id, "/", used, NULL);
  result = json_object_new ();
  json_object_set_string_member (result, "file", dir);
  json_object_set_string_member (result, "media_type", attachment_types[k].media_type);
  json_object_set_int_member (result, "size", size);
  json_object_set_string_member (result, "name", clean);
  return result;
}

/* data.attachment, as wc_engine_store_message_attachment() returned it: a file stored beside
 * the journal, of a type it takes. */
static gboolean
copy_attachment (WcEngine    *self,
                 JsonObject  *data,
                 JsonObject  *record,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (data, "attachment");
  g_autoptr(JsonObject) copy = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  const char *file;
  gboolean known = FALSE;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“attachment” is not a stored file"));
  object = json_node_get_object (node);
  copy = json_object_new ();
  if (!copy_string (object, copy, "file", 0, 256, TRUE, error) ||
      !copy_string (object, copy, "media_type", 0, 128, TRUE, error) ||
      !copy_string (object, copy, "name", 0, WC_TRAFFIC_MAX_ATTACHMENT_NAME, TRUE, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (attachment_types) && !known; i++)
    known = strcmp (json_object_get_string_member (copy, "media_type"),
                    attachment_types[i].media_type) == 0;
  if (!known)
    return fail (error, WC_ENGINE_ERROR_UNSUPPORTED, _("“attachment” is of a type not taken"));
  file = json_object_get_string_member (copy, "file");
  folder = attachment_folder (self);
  /* one folder deep (M-n/NAME), and really there: never a path out of the exercise's folder */
  if (!g_str_has_prefix (file, "M-") || strchr (file, '/') == NULL ||
      strchr (strchr (file, '/') + 1, '/') != NULL ||
      !wc_untrusted_check_in_folder (folder, file, WC_TRAFFIC_MAX_ATTACHMENT, &local_error))
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“attachment” is not a file stored for it%s%s"),
                 local_error ? ": " : "", local_error ? local_error->message : "");
  {
    /* the size is the file's, whatever the caller says */
    g_autofree char *path = g_build_filename (folder, file, NULL);
    GStatBuf st;

    json_object_set_int_member (copy, "size", g_stat (path, &st) == 0 ? (gint64) st.st_size : 0);
  }
  json_object_set_object_member (record, "attachment", g_steal_pointer (&copy));
  return TRUE;
}

/* Messages ------------------------------------------------------------------------------------ */

static const char *const purpose_names[] = { "more-information", NULL };

static char *
send_message (WcEngine       *self,
              const WcTeam   *sender,
              const WcActor  *actor,
              JsonObject     *data,
              const char     *key,
              GError        **error)
{
  g_autoptr(JsonObject) record = new_record (self, WC_TRAFFIC_MESSAGE, sender ? sender->id : NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  const WcTrafficItem *answered = NULL;

  if (actor)
    json_object_set_string_member (record, "from_actor", actor->id);
  if ((sender && !check_sender (self, sender, key, error)) ||
      !copy_string (data, record, "subject", WC_TRAFFIC_MAX_SUBJECT, 0, TRUE, error) ||
      !copy_string (data, record, "body", 0, WC_TRAFFIC_MAX_BODY, FALSE, error) ||
      (json_object_has_member (data, "purpose") &&
       !copy_word (data, record, "purpose", purpose_names, NULL, error)) ||
      !read_in_reply_to (self, data, record, sender ? sender->id : NULL, &answered, error) ||
      !read_recipients (self, data, ids, FALSE, error))
    return NULL;
  if (!json_object_has_member (record, "body"))
    json_object_set_string_member (record, "body", "");
  if (ids->len == 0)
    {
      /* a team answering a controller (playing an actor or not) writes to no team */
      if (sender == NULL || answered == NULL || answered->from != NULL ||
          !item_is_to (answered, sender->id))
        return fail (error, WC_ENGINE_ERROR_INVALID, _("“to” is missing")), NULL;
      if (answered->from_actor)
        json_object_set_string_member (record, "to_actor", answered->from_actor);
    }
  if ((sender && !check_matrix (self, sender, ids, answered, error)) ||
      !copy_tlp_lang (self, data, record, sender, error) ||
      !copy_attachment (self, data, record, error))
    return NULL;
  set_recipients (record, "to", ids);
  return journal_item (self, WC_RECORD_MESSAGE_SENT, g_steal_pointer (&record), key, error);
}

static char *
send_team_message (WcEngine    *self,
                   const char  *from_team,
                   JsonObject  *data,
                   const char  *key,
                   GError     **error)
{
  const WcTeam *sender;

  g_return_val_if_fail (WC_IS_ENGINE (self) && data != NULL, NULL);
  if (!check_live_or_retry (self, from_team, key, error) ||
      (sender = check_team (self, from_team, error)) == NULL)
    return NULL;
  return send_message (self, sender, NULL, data, key, error);
}

char *
wc_engine_send_message (WcEngine    *self,
                        const char  *from_team,
                        JsonObject  *data,
                        GError     **error)
{
  return send_team_message (self, from_team, data, NULL, error);
}

char *
wc_engine_send_as_actor (WcEngine    *self,
                         const char  *actor_id,
                         JsonObject  *data,
                         GError     **error)
{
  const WcActor *actor = actor_id ? wc_scenario_find_actor (self->scenario, actor_id) : NULL;

  g_return_val_if_fail (WC_IS_ENGINE (self) && data != NULL, NULL);
  if (!check_live (self, error))
    return NULL;
  if (actor == NULL)
    return fail (error, WC_ENGINE_ERROR_NOT_FOUND, _("There is no actor “%s”"),
                 actor_id ? actor_id : ""), NULL;
  return send_message (self, NULL, actor, data, NULL, error);
}

gboolean
wc_engine_acknowledge_message (WcEngine    *self,
                               const char  *message_id,
                               const char  *team_id,
                               GError     **error)
{
  const WcTrafficItem *item = wc_engine_find_message (self, message_id);
  JsonObject *record;

  g_return_val_if_fail (WC_IS_ENGINE (self), FALSE);
  if (!check_live (self, error) || check_team (self, team_id, error) == NULL)
    return FALSE;
  if (item == NULL || !item_is_to (item, team_id))
    return fail (error, WC_ENGINE_ERROR_NOT_FOUND, _("Message “%s” has not reached team “%s”"),
                 message_id ? message_id : "", team_id);
  /* a second click, or a client retrying after a lost answer, changes nothing */
  if (g_hash_table_contains (item->acknowledged, team_id))
    return TRUE;
  record = json_object_new ();
  json_object_set_string_member (record, "message", item->id);
  json_object_set_string_member (record, "team", team_id);
  return wc_engine_record_now (self, WC_RECORD_MESSAGE_ACKNOWLEDGED, record, error);
}

/* Incident notifications ---------------------------------------------------------------------- */

static const char *const malicious_names[] = { "yes", "no", "unknown", NULL };
static const char *const severity_names[] = { "low", "medium", "high", "critical", NULL };

static gboolean
copy_fields (JsonObject  *data,
             JsonObject  *record,
             GError     **error)
{
  JsonNode *node = json_object_get_member (data, "fields");
  g_autoptr(JsonObject) fields = json_object_new ();
  static const char *const texts[] = { "services", "iocs", "measures", NULL };
  JsonObject *given;
  JsonNode *users, *cross;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“fields” is missing"));
  given = json_node_get_object (node);
  if (!copy_string (given, fields, "what", 0, WC_TRAFFIC_MAX_BODY, TRUE, error) ||
      !copy_string (given, fields, "detected_at", WC_TRAFFIC_MAX_SUBJECT, 0, FALSE, error) ||
      !copy_string (given, fields, "contact", WC_TRAFFIC_MAX_SUBJECT, 0, FALSE, error) ||
      (json_object_has_member (given, "malicious") &&
       !copy_word (given, fields, "malicious", malicious_names, NULL, error)) ||
      (json_object_has_member (given, "severity") &&
       !copy_word (given, fields, "severity", severity_names, NULL, error)))
    return FALSE;
  for (guint i = 0; texts[i]; i++)
    if (!copy_string (given, fields, texts[i], 0, WC_TRAFFIC_MAX_BODY, FALSE, error))
      return FALSE;
  if ((cross = json_object_get_member (given, "cross_border")) != NULL)
    {
      if (json_node_get_value_type (cross) != G_TYPE_BOOLEAN)
        return fail (error, WC_ENGINE_ERROR_INVALID, _("“cross_border” is not true or false"));
      json_object_set_boolean_member (fields, "cross_border", json_node_get_boolean (cross));
    }
  /* a number, or words ("about 40,000 households") */
  if ((users = json_object_get_member (given, "users_affected")) != NULL)
    {
      if (json_node_get_value_type (users) == G_TYPE_INT64 && json_node_get_int (users) >= 0)
        json_object_set_int_member (fields, "users_affected", json_node_get_int (users));
      else if (!copy_string (given, fields, "users_affected", WC_TRAFFIC_MAX_SUBJECT, 0, FALSE,
                             error))
        return FALSE;
    }
  json_object_set_object_member (record, "fields", g_steal_pointer (&fields));
  return TRUE;
}

static char *
file_notification (WcEngine    *self,
                   const char  *from_team,
                   JsonObject  *data,
                   const char  *key,
                   GError     **error)
{
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  const WcTrafficItem *earlier = NULL;
  const WcTeam *sender;
  WcNotificationStage stage;

  g_return_val_if_fail (WC_IS_ENGINE (self) && data != NULL, NULL);
  if (!check_live_or_retry (self, from_team, key, error) ||
      (sender = check_team (self, from_team, error)) == NULL ||
      !check_sender (self, sender, key, error))
    return NULL;
  record = new_record (self, WC_TRAFFIC_NOTIFICATION, sender->id);
  if (!wc_notification_stage_from_string (json_object_get_string_member_with_default (
                                            data, "stage", NULL), &stage))
    return fail (error, WC_ENGINE_ERROR_INVALID,
                 _("“stage” is one of: early-warning, notification, final-report")), NULL;
  json_object_set_string_member (record, "stage", wc_notification_stage_to_string (stage));
  if (!read_recipients (self, data, ids, FALSE, error))
    return NULL;
  if (ids->len == 0)
    /* no "to": the one authority the scenario has, if it has one */
    for (guint i = 0; i < wc_scenario_get_n_teams (self->scenario); i++)
      {
        const char *id = wc_scenario_get_team (self->scenario, i)->id;

        if (strcmp (id, sender->id) != 0 && wc_scenario_is_authority (self->scenario, id))
          g_ptr_array_add (ids, (gpointer) id);
      }
  if (ids->len != 1)
    return fail (error, WC_ENGINE_ERROR_INVALID,
                 _("“to”: a notification goes to one authority")), NULL;
  if (strcmp (g_ptr_array_index (ids, 0), sender->id) == 0)
    return fail (error, WC_ENGINE_ERROR_INVALID, _("A team does not write to itself")), NULL;
  if (!wc_scenario_is_authority (self->scenario, g_ptr_array_index (ids, 0)))
    return fail (error, WC_ENGINE_ERROR_DENIED,
                 _("Team “%s” does not take incident notifications in this exercise"),
                 (const char *) g_ptr_array_index (ids, 0)), NULL;
  if (!read_in_reply_to (self, data, record, sender->id, &earlier, error))
    return NULL;
  /* an update of an earlier stage: the team's own notification */
  if (earlier && (earlier->kind != WC_TRAFFIC_NOTIFICATION ||
                  g_strcmp0 (earlier->from, sender->id) != 0))
    return fail (error, WC_ENGINE_ERROR_INVALID,
                 _("“in_reply_to” is not an earlier notification of this team")), NULL;
  if (!copy_tlp_lang (self, data, record, sender, error) || !copy_fields (data, record, error))
    return NULL;
  set_recipients (record, "to", ids);
  return journal_item (self, WC_RECORD_NOTIFICATION_FILED, g_steal_pointer (&record), key, error);
}

char *
wc_engine_file_notification (WcEngine    *self,
                             const char  *from_team,
                             JsonObject  *data,
                             GError     **error)
{
  return file_notification (self, from_team, data, NULL, error);
}

/* Warnings --------------------------------------------------------------------------------------- */

static const char *const form_names[] = { "spear", "ews", NULL };
/* CAP 1.2's words */
static const char *const cap_severity_names[] = {
  "Extreme", "Severe", "Moderate", "Minor", "Unknown", NULL
};
static const char *const cap_urgency_names[] = {
  "Immediate", "Expected", "Future", "Past", "Unknown", NULL
};
static const char *const cap_certainty_names[] = {
  "Observed", "Likely", "Possible", "Unlikely", "Unknown", NULL
};
/* MISP attribute types */
static const char *const indicator_names[] = {
  "ip-dst", "domain", "url", "sha256", "md5", "email-src", "filename", NULL
};

static gboolean
copy_texts (JsonObject  *data,
            JsonObject  *record,
            GError     **error)
{
  JsonNode *node = json_object_get_member (data, "texts");
  g_autoptr(JsonObject) texts = json_object_new ();
  g_autoptr(GList) langs = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      json_object_get_size (json_node_get_object (node)) == 0)
    return fail (error, WC_ENGINE_ERROR_INVALID,
                 _("“texts” is missing: a headline and a description per language"));
  langs = json_object_get_members (json_node_get_object (node));
  if (g_list_length (langs) > 16)
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“texts” has too many languages"));
  for (GList *l = langs; l; l = l->next)
    {
      JsonNode *one = json_object_get_member (json_node_get_object (node), l->data);
      g_autoptr(JsonObject) copy = json_object_new ();

      if (!is_language_tag (l->data) || !JSON_NODE_HOLDS_OBJECT (one))
        return fail (error, WC_ENGINE_ERROR_INVALID,
                     _("“texts” is an object of language tags, each with a headline"));
      if (!copy_string (json_node_get_object (one), copy, "headline", WC_TRAFFIC_MAX_SUBJECT, 0,
                        TRUE, error) ||
          !copy_string (json_node_get_object (one), copy, "description", 0, WC_TRAFFIC_MAX_BODY,
                        FALSE, error) ||
          !copy_string (json_node_get_object (one), copy, "instruction", 0, WC_TRAFFIC_MAX_BODY,
                        FALSE, error))
        return FALSE;
      json_object_set_object_member (texts, l->data, g_steal_pointer (&copy));
    }
  json_object_set_object_member (record, "texts", g_steal_pointer (&texts));
  return TRUE;
}

static gboolean
copy_indicators (JsonObject  *data,
                 JsonObject  *record,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (data, "indicators");
  g_autoptr(JsonArray) copy = json_array_new ();
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      json_object_set_array_member (record, "indicators", g_steal_pointer (&copy));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“indicators” is not a list"));
  array = json_node_get_array (node);
  if (json_array_get_length (array) > WC_TRAFFIC_MAX_INDICATORS)
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“indicators” has more than %d entries"),
                 WC_TRAFFIC_MAX_INDICATORS);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(JsonObject) indicator = json_object_new ();

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail (error, WC_ENGINE_ERROR_INVALID,
                     _("“indicators” entry %u is not {type, value}"), i + 1);
      if (!copy_word (json_node_get_object (element), indicator, "type", indicator_names, NULL,
                      error) ||
          !copy_string (json_node_get_object (element), indicator, "value", 0, 2048, TRUE, error))
        {
          g_prefix_error (error, _("“indicators” entry %u: "), i + 1);
          return FALSE;
        }
      json_array_add_object_element (copy, g_steal_pointer (&indicator));
    }
  json_object_set_array_member (record, "indicators", g_steal_pointer (&copy));
  return TRUE;
}

/* data.selectors, resolved into @ids (the sender left out: "*" does not warn oneself). */
static gboolean
read_selectors (WcEngine      *self,
                JsonObject    *data,
                JsonObject    *record,
                const WcTeam  *sender,
                GPtrArray     *ids,
                GError       **error)
{
  JsonNode *node = json_object_get_member (data, "selectors");
  g_autoptr(JsonArray) copy = json_array_new ();
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“selectors” is not a list"));
  array = json_node_get_array (node);
  if (json_array_get_length (array) > WC_TRAFFIC_MAX_RECIPIENTS)
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“selectors” has more than %d entries"),
                 WC_TRAFFIC_MAX_RECIPIENTS);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *selector = json_node_get_value_type (element) == G_TYPE_STRING
                             ? json_node_get_string (element) : NULL;
      g_autoptr(GPtrArray) teams = selector ? wc_scenario_select_teams (self->scenario, selector)
                                            : NULL;

      if (teams == NULL)
        return fail (error, WC_ENGINE_ERROR_INVALID,
                     _("“selectors”: “%s” names no team (a team id, kind:KIND, sector:SECTOR "
                       "or *)"), selector ? selector : "?");
      for (guint t = 0; t < teams->len; t++)
        if (sender == NULL || strcmp (g_ptr_array_index (teams, t), sender->id) != 0)
          add_unique (ids, g_ptr_array_index (teams, t));
      json_array_add_string_element (copy, selector);
    }
  if (json_array_get_length (copy) > 0)
    json_object_set_array_member (record, "selectors", g_steal_pointer (&copy));
  return TRUE;
}

static char *
issue_warning (WcEngine    *self,
               const char  *from_team,
               JsonObject  *data,
               const char  *key,
               GError     **error)
{
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) named = g_ptr_array_new ();
  const WcTeam *sender = NULL;
  const char *actor = json_object_get_string_member_with_default (data, "from_actor", NULL);

  g_return_val_if_fail (WC_IS_ENGINE (self) && data != NULL, NULL);
  if (!check_live_or_retry (self, from_team, key, error) ||
      (from_team && (sender = check_team (self, from_team, error)) == NULL))
    return NULL;
  if (sender && sender->kind != WC_TEAM_KIND_CSIRT)
    return fail (error, WC_ENGINE_ERROR_DENIED,
                 _("Only a CSIRT issues warnings; team “%s” is not one"), sender->id), NULL;
  if (sender && !check_sender (self, sender, key, error))
    return NULL;
  record = new_record (self, WC_TRAFFIC_WARNING, sender ? sender->id : NULL);
  /* the controllers may issue it in an actor's name; a team signs its own */
  if (sender == NULL && json_object_has_member (data, "from_actor"))
    {
      if (actor == NULL || wc_scenario_find_actor (self->scenario, actor) == NULL)
        return fail (error, WC_ENGINE_ERROR_NOT_FOUND, _("There is no actor “%s”"),
                     actor ? actor : ""), NULL;
      json_object_set_string_member (record, "from_actor", actor);
    }
  if (!copy_word (data, record, "form", form_names, NULL, error) ||
      !read_recipients (self, data, named, FALSE, error) ||
      (sender && !check_matrix (self, sender, named, NULL, error)))
    return NULL;
  for (guint i = 0; i < named->len; i++)
    add_unique (ids, g_ptr_array_index (named, i));
  if (!read_selectors (self, data, record, sender, ids, error) ||
      (sender && !check_matrix (self, sender, ids, NULL, error)))
    return NULL;
  if (ids->len == 0)
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“to” and “selectors” name no team")), NULL;
  if (strcmp (json_object_get_string_member (record, "form"), "spear") == 0 && ids->len != 1)
    return fail (error, WC_ENGINE_ERROR_INVALID,
                 _("A Spear Warning goes to one organisation; an EWS bulletin to many")), NULL;
  if (!copy_word (data, record, "severity", cap_severity_names, "Unknown", error) ||
      !copy_word (data, record, "urgency", cap_urgency_names, "Unknown", error) ||
      !copy_word (data, record, "certainty", cap_certainty_names, "Unknown", error) ||
      !copy_texts (data, record, error) ||
      !copy_string (data, record, "asset", WC_TRAFFIC_MAX_SUBJECT, 0, FALSE, error) ||
      !copy_indicators (data, record, error) ||
      !copy_tlp_lang (self, data, record, sender, error))
    return NULL;
  set_recipients (record, "to", ids);
  return journal_item (self, WC_RECORD_WARNING_ISSUED, g_steal_pointer (&record), key, error);
}

char *
wc_engine_issue_warning (WcEngine    *self,
                         const char  *from_team,
                         JsonObject  *data,
                         GError     **error)
{
  return issue_warning (self, from_team, data, NULL, error);
}

/* Situation reports ------------------------------------------------------------------------------ */

static char *
publish_sitrep (WcEngine    *self,
                const char  *from_team,
                JsonObject  *data,
                const char  *key,
                GError     **error)
{
  static const char *const section_names[] = {
    "situation", "decisions", "actions", "next_meeting", "public_line", NULL
  };
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) sections = json_object_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  JsonNode *given = json_object_get_member (data, "sections");
  GPtrArray *own;
  const WcTeam *sender;
  gint64 version = 1;

  g_return_val_if_fail (WC_IS_ENGINE (self) && data != NULL, NULL);
  if (!check_live_or_retry (self, from_team, key, error) ||
      (sender = check_team (self, from_team, error)) == NULL)
    return NULL;
  if (sender->kind != WC_TEAM_KIND_CRISIS_CENTRE)
    return fail (error, WC_ENGINE_ERROR_DENIED,
                 _("Only the crisis centre publishes the situation report; team “%s” is not "
                   "it"), sender->id), NULL;
  if (!check_sender (self, sender, key, error))
    return NULL;
  record = new_record (self, WC_TRAFFIC_SITREP, sender->id);
  if (given == NULL || !JSON_NODE_HOLDS_OBJECT (given))
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“sections” is missing")), NULL;
  for (guint i = 0; section_names[i]; i++)
    if (!copy_string (json_node_get_object (given), sections, section_names[i], 0,
                      WC_TRAFFIC_MAX_BODY, FALSE, error))
      return NULL;
  {
    g_autoptr(GList) values = json_object_get_values (sections);
    gboolean said = FALSE;

    for (GList *v = values; v && !said; v = v->next)
      said = !is_blank (json_node_get_string (v->data));
    if (!said)
      return fail (error, WC_ENGINE_ERROR_INVALID, _("“sections” are all empty")), NULL;
  }
  if (!read_recipients (self, data, ids, FALSE, error) ||
      !check_matrix (self, sender, ids, NULL, error))
    return NULL;
  if (!json_object_has_member (data, "to"))
    for (guint i = 0; i < wc_scenario_get_n_teams (self->scenario); i++)
      if (wc_scenario_get_team (self->scenario, i) != sender)
        g_ptr_array_add (ids, wc_scenario_get_team (self->scenario, i)->id);
  if (ids->len == 0)
    return fail (error, WC_ENGINE_ERROR_INVALID, _("“to” names no team")), NULL;
  /* versions count the team's own reports */
  own = g_hash_table_lookup (self->team_traffic, sender->id);
  for (guint i = 0; own && i < own->len; i++)
    {
      const WcTrafficItem *item = g_ptr_array_index (own, i);

      if (item->kind == WC_TRAFFIC_SITREP && g_strcmp0 (item->from, sender->id) == 0)
        version = MAX (version, wc_record_get_int (item->data, "version", 0) + 1);
    }
  json_object_set_int_member (record, "version", version);
  json_object_set_object_member (record, "sections", g_steal_pointer (&sections));
  if (!copy_tlp_lang (self, data, record, sender, error))
    return NULL;
  set_recipients (record, "to", ids);
  return journal_item (self, WC_RECORD_SITREP_PUBLISHED, g_steal_pointer (&record), key, error);
}

char *
wc_engine_publish_sitrep (WcEngine    *self,
                          const char  *from_team,
                          JsonObject  *data,
                          GError     **error)
{
  return publish_sitrep (self, from_team, data, NULL, error);
}

char *
wc_engine_send_traffic (WcEngine       *self,
                        WcTrafficKind   kind,
                        const char     *from_team,
                        JsonObject     *data,
                        const char     *key,
                        GError        **error)
{
  static char *(*const send[]) (WcEngine *, const char *, JsonObject *, const char *,
                                GError **) = {
    [WC_TRAFFIC_MESSAGE] = send_team_message,
    [WC_TRAFFIC_NOTIFICATION] = file_notification,
    [WC_TRAFFIC_WARNING] = issue_warning,
    [WC_TRAFFIC_SITREP] = publish_sitrep,
  };

  g_return_val_if_fail (kind <= WC_TRAFFIC_SITREP, NULL);
  return send[kind] (self, from_team, data, key, error);
}
