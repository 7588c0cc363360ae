/* wc-server-traffic.c: the teams' traffic over HTTP: what a team sent and received, sending
 * messages (with an uploaded attachment), notifications, warnings and situation reports,
 * acknowledging, the warnings' CAP documents; and the staff's view of all of it.
 * A team only ever sees what it sent or received; anything else is 404, so that existence is not
 * told. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wc-attachment.h"
#include "wc-cap.h"
#include "wc-http.h"
#include "wc-server-control.h"
#include "wc-server-traffic.h"
#include "wc-traffic-views.h"

/* What each kind of item takes from a request body; the engine checks the values. */
static const char *const message_fields[] = {
  "to", "subject", "body", "tlp", "lang", "in_reply_to", "purpose", NULL
};
static const char *const actor_message_fields[] = {
  "from_actor", "to", "subject", "body", "tlp", "lang", "in_reply_to", "purpose", NULL
};
static const char *const notification_fields[] = {
  "to", "stage", "lang", "tlp", "fields", "in_reply_to", NULL
};
static const char *const warning_fields[] = {
  "form", "to", "selectors", "tlp", "severity", "urgency", "certainty", "texts", "asset",
  "indicators", "in_reply_to", NULL
};
static const char *const control_warning_fields[] = {
  "from_actor", "form", "to", "selectors", "tlp", "severity", "urgency", "certainty", "texts",
  "asset", "indicators", NULL
};
static const char *const sitrep_fields[] = { "to", "sections", "lang", "tlp", NULL };

typedef char *(*SendFunc) (WcEngine    *engine,
                           const char  *from,
                           JsonObject  *data,
                           GError     **error);

/* The members of @body that @allowed names, copied; NULL after a 400 naming the first other
 * one, so that a misspelt field is not silently dropped. */
static JsonObject *
take_fields (SoupServerMessage  *msg,
             JsonObject         *body,
             const char *const  *allowed)
{
  g_autoptr(JsonObject) data = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (!g_strv_contains (allowed, name))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) allowed);

          wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                               _("Unknown field “%s” (the fields are: %s)"), name, list);
          return NULL;
        }
      json_object_set_member (data, name, json_node_copy (value));
    }
  return g_steal_pointer (&data);
}

/* Answers 201 with the item @id as @team sees it (@team NULL: the staff), once it is in the
 * journal; or the @error that stopped it (@id NULL). An item sent again with its Idempotency-Key
 * is the one the first request made: the same reply. */
static void
reply_sent (WcEngine          *engine,
            SoupServerMessage *msg,
            const char        *team,
            const char        *lang,
            const char        *id,
            const GError      *error)
{
  const WcTrafficItem *item;

  if (id == NULL)
    {
      wc_http_reply_engine_error (msg, error);
      return;
    }
  item = wc_engine_find_message (engine, id);
  g_return_if_fail (item != NULL);
  wc_http_reply_when_durable (engine, msg, SOUP_STATUS_CREATED,
                              wc_traffic_views_item (engine, item, team, lang));
}

/* A JSON body with @allowed fields sent by @team as an item of @kind. */
static void
post_json (WcEngine           *engine,
           SoupServerMessage  *msg,
           const char         *team,
           const char         *lang,
           const char *const  *allowed,
           WcTrafficKind       kind)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *key;

  if (!wc_http_get_idempotency_key (msg, &key) || (body = wc_http_read_json_body (msg)) == NULL ||
      (data = take_fields (msg, body, allowed)) == NULL)
    return;
  id = wc_engine_send_traffic (engine, kind, team, data, key, &error);
  reply_sent (engine, msg, team, lang, id, error);
}

/* Attachments ------------------------------------------------------------------------------- */

/* Where the engine keeps the teams' uploads: beside the journal (wc-traffic.h). */
static char *
upload_folder (WcEngine *engine)
{
  return g_strconcat (wc_journal_get_path (wc_engine_get_journal (engine)), ".attachments", NULL);
}

static const char *
attachment_string (const WcTrafficItem *item,
                   const char          *name)
{
  JsonNode *node = json_object_get_member (item->data, "attachment");

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (node), name, NULL);
}

/* Bytes of attachments @team has sent so far. */
static guint64
team_upload_bytes (WcEngine   *engine,
                   const char *team)
{
  g_autoptr(GPtrArray) items = wc_engine_get_team_messages (engine, team);
  guint64 total = 0;

  for (guint i = 0; items && i < items->len; i++)
    {
      const WcTrafficItem *item = g_ptr_array_index (items, i);
      JsonNode *node = json_object_get_member (item->data, "attachment");

      if (g_strcmp0 (item->from, team) == 0 && node && JSON_NODE_HOLDS_OBJECT (node))
        total += MAX (0, json_object_get_int_member_with_default (json_node_get_object (node),
                                                                  "size", 0));
    }
  return total;
}

gboolean
wc_server_traffic_is_upload (SoupServerMessage  *msg,
                             char              **rest)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  return rest[0] && strcmp (rest[0], "messages") == 0 && rest[1] == NULL &&
         strcmp (soup_server_message_get_method (msg), "POST") == 0 &&
         g_strcmp0 (type, "multipart/form-data") == 0;
}

/* A form's text field, as UTF-8 without NULs; NULL if it is not. */
static char *
form_text (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (!g_utf8_validate_len (data, size, NULL))
    return NULL;
  return g_strndup (data, size);
}

/* An upload of the form ("attachment" part) */
typedef struct {
  GBytes *bytes;
  char   *name;
  char   *media_type;
} Upload;

static void
upload_clear (Upload *upload)
{
  g_clear_pointer (&upload->bytes, g_bytes_unref);
  g_clear_pointer (&upload->name, g_free);
  g_clear_pointer (&upload->media_type, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Upload, upload_clear)

/* One part of a multipart/form-data message: a field of message_fields ("to" may repeat and
 * may list teams with commas) or the one "attachment" file. FALSE after a 400. */
static gboolean
read_form_part (SoupServerMessage  *msg,
                SoupMessageHeaders *part_headers,
                GBytes             *part_body,
                JsonObject         *data,
                JsonArray          *to,
                Upload             *upload)
{
  g_autofree char *disposition = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *text = NULL;
  const char *name;

  if (!soup_message_headers_get_content_disposition (part_headers, &disposition, &params) ||
      g_ascii_strcasecmp (disposition, "form-data") != 0 ||
      (name = g_hash_table_lookup (params, "name")) == NULL)
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                           _("Each part of the form needs “Content-Disposition: form-data; "
                             "name=…”"));
      return FALSE;
    }
  if (strcmp (name, "attachment") == 0)
    {
      const char *filename = g_hash_table_lookup (params, "filename");
      const char *type = soup_message_headers_get_content_type (part_headers, NULL);

      if (upload->bytes)
        {
          wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("A message takes one attachment"));
          return FALSE;
        }
      upload->bytes = g_bytes_ref (part_body);
      upload->name = g_strdup (filename && *filename ? filename : "attachment");
      upload->media_type = g_strdup (type ? type : "application/octet-stream");
      return TRUE;
    }
  if (!g_strv_contains (message_fields, name) ||
      (strcmp (name, "to") != 0 && json_object_has_member (data, name)))
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                           _("Unknown or repeated field “%s” in the form"), name);
      return FALSE;
    }
  if ((text = form_text (part_body)) == NULL)
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("The field “%s” is not UTF-8 text"),
                           name);
      return FALSE;
    }
  if (strcmp (name, "to") == 0)
    {
      g_auto(GStrv) teams = g_strsplit (text, ",", 0);

      for (guint i = 0; teams[i]; i++)
        if (*g_strstrip (teams[i]))
          json_array_add_string_element (to, teams[i]);
    }
  else
    json_object_set_string_member (data, name, text);
  return TRUE;
}

/* The fields of a multipart/form-data message into a new object, its file into @upload; NULL
 * after a 400. */
static JsonObject *
read_form (SoupServerMessage *msg,
           Upload            *upload)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  SoupMultipart *multipart = soup_multipart_new_from_message (headers, body);
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(JsonArray) to = json_array_new ();
  gboolean ok = multipart != NULL;

  if (multipart == NULL)
    wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                         _("The body is not a valid multipart/form-data form"));
  for (int i = 0; ok && i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part_body;

      ok = soup_multipart_get_part (multipart, i, &part_headers, &part_body) &&
           read_form_part (msg, part_headers, part_body, data, to, upload);
    }
  g_clear_pointer (&multipart, soup_multipart_free);
  if (!ok)
    return NULL;
  if (json_array_get_length (to) > 0)
    json_object_set_array_member (data, "to", g_steal_pointer (&to));
  return g_steal_pointer (&data);
}

/* Removes the file of @attachment that no message took: the message was refused, or it was
 * sent before (an Idempotency-Key's retry), with its own file. */
static void
discard_upload (WcEngine   *engine,
                JsonObject *attachment)
{
  g_autofree char *folder = upload_folder (engine);
  const char *file = json_object_get_string_member_with_default (attachment, "file", NULL);
  g_autofree char *path = file ? g_build_filename (folder, file, NULL) : NULL;
  g_autofree char *dir = path ? g_path_get_dirname (path) : NULL;

  if (path && g_str_has_prefix (path, folder))
    {
      g_unlink (path);
      g_rmdir (dir);
    }
}

static void
post_upload (WcEngine             *engine,
             const WcServerLimits *limits,
             SoupServerMessage    *msg,
             const char           *team,
             const char           *lang)
{
  g_auto(Upload) upload = { NULL };
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonObject) attachment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *key;
  gsize size;

  if (!wc_http_get_idempotency_key (msg, &key) || (data = read_form (msg, &upload)) == NULL)
    return;
  if (upload.bytes == NULL)
    {
      id = wc_engine_send_traffic (engine, WC_TRAFFIC_MESSAGE, team, data, key, &error);
      reply_sent (engine, msg, team, lang, id, error);
      return;
    }
  size = g_bytes_get_size (upload.bytes);
  if (size > WC_TRAFFIC_MAX_ATTACHMENT)
    {
      wc_http_reply_limit (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "attachment",
                           _("The attachment is larger than %zu bytes"),
                           WC_TRAFFIC_MAX_ATTACHMENT);
      return;
    }
  /* a retry's file is dropped below: it adds nothing to the team's uploads */
  if (!wc_engine_has_key (engine, team, key) &&
      team_upload_bytes (engine, team) + size > limits->max_upload_bytes_per_team)
    {
      wc_http_reply_limit (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "upload-bytes-per-team",
                           _("This team's attachments would exceed %zu bytes in all"),
                           limits->max_upload_bytes_per_team);
      return;
    }
  attachment = wc_engine_store_message_attachment (engine, team, key, upload.name,
                                                   upload.media_type, upload.bytes, &error);
  if (attachment == NULL)
    {
      wc_http_reply_engine_error (msg, error);
      return;
    }
  json_object_set_object_member (data, "attachment", json_object_ref (attachment));
  id = wc_engine_send_traffic (engine, WC_TRAFFIC_MESSAGE, team, data, key, &error);
  /* refused (a team it may not reach, its subject…): its file goes too, and the next message
   * gets the id it would have had; sent before: the first request's file is the message's */
  if (id == NULL ||
      g_strcmp0 (attachment_string (wc_engine_find_message (engine, id), "file"),
                 json_object_get_string_member_with_default (attachment, "file", NULL)) != 0)
    discard_upload (engine, attachment);
  reply_sent (engine, msg, team, lang, id, error);
}

static void
send_attachment (WcEngine             *engine,
                 const WcServerLimits *limits,
                 guint                *n_downloads,
                 SoupServerMessage    *msg,
                 const WcTrafficItem  *item)
{
  g_autofree char *folder = upload_folder (engine);
  const char *file = item ? attachment_string (item, "file") : NULL;
  const char *type = item ? attachment_string (item, "media_type") : NULL;

  if (file == NULL)
    {
      wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such attachment"));
      return;
    }
  wc_attachment_send (msg, folder, file, type ? type : "application/octet-stream", n_downloads,
                      limits->max_downloads);
}

/* Replies ------------------------------------------------------------------------------------ */

static void
reply_cap (WcEngine            *engine,
           SoupServerMessage   *msg,
           const WcTrafficItem *item)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *disposition = NULL;

  if (item == NULL || item->kind != WC_TRAFFIC_WARNING)
    {
      wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such warning"));
      return;
    }
  if ((bytes = wc_cap_write_warning (engine, item, &error)) == NULL)
    {
      wc_http_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "%s", error->message);
      return;
    }
  disposition = g_strdup_printf ("attachment; filename=\"%s.cap.xml\"", item->id);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Content-Disposition", disposition);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, WC_CAP_MEDIA_TYPE, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* "M-3.cap" → "M-3"; NULL if @name is no CAP document's. */
static char *
cap_id (const char *name)
{
  return g_str_has_suffix (name, ".cap") ? g_strndup (name, strlen (name) - 4) : NULL;
}

/* The item @id if @team may see it (@team NULL: the staff see all). */
static const WcTrafficItem *
find_visible (WcEngine   *engine,
              const char *id,
              const char *team)
{
  const WcTrafficItem *item = id ? wc_engine_find_message (engine, id) : NULL;

  return team == NULL || wc_traffic_views_visible (item, team) ? item : NULL;
}

static void
handle_ack (WcEngine          *engine,
            SoupServerMessage *msg,
            const char        *team,
            const char        *id)
{
  g_autoptr(GError) error = NULL;
  JsonObject *reply;
  gint64 *ms;

  if (find_visible (engine, id, team) == NULL)
    {
      wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such message"));
      return;
    }
  if (!wc_engine_acknowledge_message (engine, id, team, &error))
    {
      wc_http_reply_engine_error (msg, error);
      return;
    }
  ms = g_hash_table_lookup (wc_engine_find_message (engine, id)->acknowledged, team);
  reply = json_object_new ();
  json_object_set_string_member (reply, "message", id);
  json_object_set_int_member (reply, "acknowledged_ms", ms ? *ms : wc_engine_get_time (engine));
  wc_http_reply_when_durable (engine, msg, SOUP_STATUS_OK,
                              json_node_init_object (json_node_alloc (), reply));
  json_object_unref (reply);
}

static void
reply_view (SoupServerMessage *msg,
            JsonNode          *node)
{
  wc_http_reply_json (msg, SOUP_STATUS_OK, node);
  json_node_unref (node);
}

/* ?kind= of a list: -1 for all kinds, -2 when it names none. */
static int
kind_filter (GHashTable *query)
{
  const char *name = query ? g_hash_table_lookup (query, "kind") : NULL;
  WcTrafficKind kind;

  if (name == NULL)
    return -1;
  return wc_traffic_kind_from_string (name, &kind) ? (int) kind : -2;
}

/* GET a list of @kind, or POST a new item of @post_kind. */
static void
list_or_post (WcEngine           *engine,
              SoupServerMessage  *msg,
              const char         *team,
              const char         *lang,
              int                 kind,
              const char *const  *allowed,
              WcTrafficKind       post_kind)
{
  const char *method = soup_server_message_get_method (msg);

  if (strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0)
    {
      if (kind == -2)
        wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                             _("kind is one of message, notification, warning, sitrep"));
      else
        reply_view (msg, wc_traffic_views_list (engine, team, kind, lang));
    }
  else if (wc_http_require_method (msg, "POST"))
    post_json (engine, msg, team, lang, allowed, post_kind);
}

gboolean
wc_server_traffic_handle (WcEngine             *engine,
                          const WcServerLimits *limits,
                          guint                *n_downloads,
                          SoupServerMessage    *msg,
                          const char           *team,
                          const char           *lang,
                          char                **rest,
                          GHashTable           *query)
{
  guint n = g_strv_length (rest);
  const char *method = soup_server_message_get_method (msg);

  if (n == 0)
    return FALSE;
  if (n == 1 && strcmp (rest[0], "messages") == 0)
    {
      if (wc_server_traffic_is_upload (msg, rest))
        post_upload (engine, limits, msg, team, lang);
      else
        list_or_post (engine, msg, team, lang, kind_filter (query), message_fields,
                      WC_TRAFFIC_MESSAGE);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "notifications") == 0)
    list_or_post (engine, msg, team, lang, WC_TRAFFIC_NOTIFICATION, notification_fields,
                  WC_TRAFFIC_NOTIFICATION);
  else if (n == 1 && strcmp (rest[0], "warnings") == 0)
    list_or_post (engine, msg, team, lang, WC_TRAFFIC_WARNING, warning_fields,
                  WC_TRAFFIC_WARNING);
  else if (n == 1 && strcmp (rest[0], "sitrep") == 0)
    {
      if (strcmp (method, "POST") == 0)
        post_json (engine, msg, team, lang, sitrep_fields, WC_TRAFFIC_SITREP);
      else if (wc_http_require_method (msg, "GET"))
        reply_view (msg, wc_traffic_views_sitrep (engine, team, lang));
    }
  else if (n == 1 && strcmp (rest[0], "contacts") == 0)
    {
      if (wc_http_require_method (msg, "GET"))
        reply_view (msg, wc_traffic_views_contacts (engine, team, lang));
    }
  else if (n == 2 && strcmp (rest[0], "messages") == 0)
    {
      const WcTrafficItem *item = find_visible (engine, rest[1], team);

      if (!wc_http_require_method (msg, "GET"))
        ;
      else if (item == NULL)
        wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such message"));
      else
        reply_view (msg, wc_traffic_views_item (engine, item, team, lang));
    }
  else if (n == 3 && strcmp (rest[0], "messages") == 0 && strcmp (rest[2], "ack") == 0)
    {
      if (wc_http_require_method (msg, "POST"))
        handle_ack (engine, msg, team, rest[1]);
    }
  else if (n == 3 && strcmp (rest[0], "messages") == 0 && strcmp (rest[2], "attachment") == 0)
    {
      if (wc_http_require_method (msg, "GET"))
        send_attachment (engine, limits, n_downloads, msg, find_visible (engine, rest[1], team));
    }
  else if (n == 2 && strcmp (rest[0], "warnings") == 0 && g_str_has_suffix (rest[1], ".cap"))
    {
      g_autofree char *id = cap_id (rest[1]);

      if (wc_http_require_method (msg, "GET"))
        reply_cap (engine, msg, find_visible (engine, id, team));
    }
  else
    return FALSE;
  return TRUE;
}

/* The staff ------------------------------------------------------------------------------------ */

/* A controller playing the scenario's actor "from_actor" of the body. */
static char *
send_as_actor (WcEngine    *engine,
               const char  *unused,
               JsonObject  *data,
               GError     **error)
{
  g_autofree char *actor = g_strdup (json_object_get_string_member_with_default (data,
                                                                                  "from_actor",
                                                                                  NULL));

  json_object_remove_member (data, "from_actor");
  if (actor == NULL)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                   _("“from_actor” must name one of the scenario's actors"));
      return NULL;
    }
  return wc_engine_send_as_actor (engine, actor, data, error);
}

gboolean
wc_server_traffic_control_handle (WcEngine           *engine,
                                  const WcStaff      *caller,
                                  SoupServerMessage  *msg,
                                  char              **rest,
                                  GHashTable         *query)
{
  const char *lang = wc_scenario_get_default_language (wc_engine_get_scenario (engine));
  const char *method = soup_server_message_get_method (msg);
  gboolean is_get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
  guint n = g_strv_length (rest);
  const char *const *allowed;
  SendFunc send;

  if (n == 2 && strcmp (rest[0], "warnings") == 0 && g_str_has_suffix (rest[1], ".cap"))
    {
      g_autofree char *id = cap_id (rest[1]);

      if (wc_http_require_method (msg, "GET"))
        reply_cap (engine, msg, find_visible (engine, id, NULL));
      return TRUE;
    }
  if (n != 1 || (strcmp (rest[0], "messages") != 0 && strcmp (rest[0], "warnings") != 0))
    return FALSE;
  if (is_get)
    {
      int kind = strcmp (rest[0], "warnings") == 0 ? WC_TRAFFIC_WARNING : kind_filter (query);

      if (kind == -2)
        wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                             _("kind is one of message, notification, warning, sitrep"));
      else
        reply_view (msg, wc_traffic_views_list (engine, NULL, kind, lang));
      return TRUE;
    }
  if (!wc_http_require_method (msg, "POST") ||
      !wc_server_control_allow (msg, caller, WC_STAFF_CAN_RUN))
    return TRUE;
  allowed = strcmp (rest[0], "messages") == 0 ? actor_message_fields : control_warning_fields;
  send = strcmp (rest[0], "messages") == 0 ? send_as_actor : wc_engine_issue_warning;
  {
    g_autoptr(JsonObject) body = wc_http_read_json_body (msg);
    g_autoptr(JsonObject) data = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *id = NULL;

    if (body && (data = take_fields (msg, body, allowed)))
      {
        id = send (engine, NULL, data, &error);
        reply_sent (engine, msg, NULL, lang, id, error);
      }
  }
  return TRUE;
}
