/* wc-server-api.c: the teams' API: who am I, my injects, acknowledge, respond, attachments, events,
 * and the hot wash's feedback.
 * A team only ever sees what reached it; anything else is 404, so that existence is not told. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-attachment.h"
#include "wc-http.h"
#include "wc-json-views.h"
#include "wc-server-api.h"

const char *
wc_server_api_pick_language (WcEngine   *engine,
                             GHashTable *query,
                             const char *team_id)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *const *offered = wc_scenario_get_languages (scenario);
  const char *asked = query ? g_hash_table_lookup (query, "lang") : NULL;
  const WcTeam *team = wc_scenario_find_team (scenario, team_id);

  for (guint i = 0; asked && offered[i]; i++)
    if (strcmp (offered[i], asked) == 0)
      return offered[i];
  if (team && team->language)
    return team->language;
  return wc_scenario_get_default_language (scenario);
}

static void
handle_me (WcEngine          *engine,
           SoupServerMessage *msg,
           const char        *team_id,
           const char        *lang)
{
  g_autoptr(JsonNode) node = wc_json_views_me (engine, team_id, lang);

  wc_http_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
handle_list (WcEngine             *engine,
             const WcServerLimits *limits,
             SoupServerMessage    *msg,
             const char           *team,
             const char           *lang)
{
  /* A HEAD is no sign that the team's tool has read anything. */
  gboolean is_get = strcmp (soup_server_message_get_method (msg), "GET") == 0;
  GPtrArray *ids = wc_engine_get_team_injects (engine, team);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; ids && i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);

      /* Listed is delivered: the team's tool has it now. */
      if (is_get)
        wc_engine_mark_delivered (engine, id, team, "api", NULL);
      json_array_add_element (array,
                              wc_json_views_inject_latest (engine, id, team, lang,
                                                           limits->list_responses,
                                                           limits->list_response_bytes));
    }
  json_object_set_array_member (root, "injects", g_steal_pointer (&array));
  json_node_set_object (node, root);
  wc_http_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
handle_ack (WcEngine          *engine,
            SoupServerMessage *msg,
            const char        *team,
            const char        *inject_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = json_object_new ();
  JsonNode *node;

  if (!wc_engine_acknowledge (engine, inject_id, team, &error))
    {
      wc_http_reply_engine_error (msg, error);
      return;
    }
  json_object_set_string_member (reply, "inject", inject_id);
  json_object_set_int_member (reply, "acknowledged_ms",
                              wc_engine_get_team_state (engine, inject_id, team)->acknowledged_ms);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, reply);
  wc_http_reply_when_durable (engine, msg, SOUP_STATUS_OK, node);
}

/* Bytes of answer text @team has written over all its injects. */
static gsize
team_answer_bytes (WcEngine   *engine,
                   const char *team)
{
  GPtrArray *ids = wc_engine_get_team_injects (engine, team);
  gsize total = 0;

  for (guint i = 0; ids && i < ids->len; i++)
    {
      const WcTeamInjectState *ts = wc_engine_get_team_state (engine, g_ptr_array_index (ids, i),
                                                              team);

      for (guint k = 0; ts && k < ts->responses->len; k++)
        {
          const WcResponse *r = g_ptr_array_index (ts->responses, k);

          total += r->text ? strlen (r->text) : 0;
        }
    }
  return total;
}

/* Whether one more answer of @size bytes is within the team's caps; else replies 429/413. */
static gboolean
answer_allowed (WcEngine                *engine,
                const WcServerLimits    *limits,
                SoupServerMessage       *msg,
                const char              *team,
                const WcTeamInjectState *ts,
                gsize                    size)
{
  if (ts->responses->len >= limits->max_answers_per_inject)
    {
      wc_http_reply_limit (msg, WC_STATUS_TOO_MANY_REQUESTS, "answers-per-inject",
                           g_dngettext (GETTEXT_PACKAGE,
                                        "This team has already answered this inject %u time",
                                        "This team has already answered this inject %u times",
                                        limits->max_answers_per_inject),
                           limits->max_answers_per_inject);
      return FALSE;
    }
  if (team_answer_bytes (engine, team) + size > limits->max_answer_bytes_per_team)
    {
      wc_http_reply_limit (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "answer-bytes-per-team",
                           _("This team's answers would exceed %zu bytes in all"),
                           limits->max_answer_bytes_per_team);
      return FALSE;
    }
  return TRUE;
}

/* GET .../responses: the team's whole history of answers to the inject, a page at a time. */
static void
handle_responses_page (WcEngine             *engine,
                       const WcServerLimits *limits,
                       SoupServerMessage    *msg,
                       const char           *team,
                       const char           *inject_id,
                       GHashTable           *query)
{
  const char *offset_str = query ? g_hash_table_lookup (query, "offset") : NULL;
  const char *limit_str = query ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 offset = 0, limit = limits->max_page_responses;
  g_autoptr(JsonNode) node = NULL;

  if (wc_engine_get_team_state (engine, inject_id, team) == NULL)
    {
      wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such inject"));
      return;
    }
  if ((offset_str && !g_ascii_string_to_unsigned (offset_str, 10, 0, G_MAXUINT, &offset, NULL)) ||
      (limit_str && !g_ascii_string_to_unsigned (limit_str, 10, 1, limits->max_page_responses,
                                                  &limit, NULL)))
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                           _("offset must be a number, limit a number from 1 to %u"),
                           limits->max_page_responses);
      return;
    }
  node = wc_json_views_responses_page (engine, inject_id, team, offset, limit);
  wc_http_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
handle_respond (WcEngine             *engine,
                const WcServerLimits *limits,
                SoupServerMessage    *msg,
                const char           *team,
                const char           *inject_id)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = json_object_new ();
  const WcTeamInjectState *ts = wc_engine_get_team_state (engine, inject_id, team);
  const WcResponse *made = NULL;
  const char *text = NULL, *option = NULL, *key;
  JsonNode *member, *node;

  /* Unknown injects are 404 before the body is even looked at. */
  if (ts == NULL)
    {
      wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such inject"));
      return;
    }
  if (!wc_http_get_idempotency_key (msg, &key) || (body = wc_http_read_json_body (msg)) == NULL)
    return;
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "text" : "option";

      member = json_object_get_member (body, name);
      if (member == NULL || JSON_NODE_HOLDS_NULL (member))
        continue;
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        {
          wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("“%s” must be a string"), name);
          return;
        }
      if (i == 0)
        text = json_node_get_string (member);
      else
        option = json_node_get_string (member);
    }
  /* an answer sent again (its reply was lost) adds nothing: the caps let it through */
  if (!wc_engine_has_key (engine, team, key) &&
      !answer_allowed (engine, limits, msg, team, ts, text ? strlen (text) : 0))
    return;
  if (!wc_engine_respond_with_key (engine, inject_id, team, text, option, key, &made, &error))
    {
      wc_http_reply_engine_error (msg, error);
      return;
    }
  /* the same reply as the first time, when the key made it before */
  json_object_set_string_member (reply, "inject", inject_id);
  json_object_set_member (reply, "response", wc_json_views_response (made));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, reply);
  wc_http_reply_when_durable (engine, msg, SOUP_STATUS_CREATED, node);
}

static void
handle_attachment (WcEngine             *engine,
                   const WcServerLimits *limits,
                   guint                *n_downloads,
                   SoupServerMessage    *msg,
                   const char           *team,
                   const char           *inject_id,
                   const char           *index_str)
{
  const WcInject *inject = wc_engine_find_inject (engine, inject_id);
  /* an ad-hoc inject's files are beside the journal, a scenario's beside the scenario */
  g_autofree char *dir = wc_engine_get_attachment_folder (engine, inject_id);
  const WcAttachment *a;
  guint64 index;

  if (wc_engine_get_team_state (engine, inject_id, team) == NULL ||
      !g_ascii_string_to_unsigned (index_str, 10, 0, G_MAXUINT, &index, NULL) ||
      index >= inject->attachments->len || dir == NULL)
    {
      wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such attachment"));
      return;
    }
  a = g_ptr_array_index (inject->attachments, index);
  wc_attachment_send (msg, dir, a->file, a->media_type, n_downloads, limits->max_downloads);
}

/* A rating from 1 to 5, or absent (0); FALSE when it is anything else. */
static gboolean
get_rating (JsonObject *body,
            const char *name,
            guint      *out)
{
  JsonNode *node = json_object_get_member (body, name);
  gint64 v;

  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  v = json_node_get_int (node);
  *out = v >= 1 && v <= 5 ? (guint) v : 0;
  return *out != 0;
}

static void
handle_feedback (WcEngine          *engine,
                 SoupServerMessage *msg,
                 const char        *team)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  WcFeedback feedback = { NULL };
  gboolean bad = FALSE;

  if ((body = wc_http_read_json_body (msg)) == NULL)
    return;
  feedback.strengths = wc_http_get_string (body, "strengths", &bad);
  feedback.improvements = wc_http_get_string (body, "improvements", &bad);
  feedback.text = wc_http_get_string (body, "text", &bad);
  if (bad || !get_rating (body, "realism", &feedback.realism) ||
      !get_rating (body, "usefulness", &feedback.usefulness))
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                           _("Send {\"strengths\"?: TEXT, \"improvements\"?: TEXT, \"realism\"?: "
                             "1 to 5, \"usefulness\"?: 1 to 5, \"text\"?: TEXT}"));
      return;
    }
  if (!wc_engine_give_feedback (engine, team, &feedback, &error))
    {
      wc_http_reply_engine_error (msg, error);
      return;
    }
  wc_http_reply_when_durable (engine, msg, SOUP_STATUS_CREATED,
                              wc_json_views_feedback (engine, team, TRUE));
}

gboolean
wc_server_api_handle (WcEngine             *engine,
                      WcSse                *sse,
                      const WcServerLimits *limits,
                      guint                *n_downloads,
                      SoupServerMessage    *msg,
                      const char        *team,
                      char             **rest,
                      GHashTable        *query)
{
  guint n = g_strv_length (rest);
  const char *lang = wc_server_api_pick_language (engine, query, team);
  gboolean is_feedback = n == 1 && strcmp (rest[0], "feedback") == 0;
  gboolean ended = wc_engine_get_state (engine) == WC_ENGINE_ENDED;

  /* the hot wash: the teams' pages are read-only but for their feedback, and for a request sent
   * again with the Idempotency-Key of one the exercise took (the engine answers it as then; an
   * acknowledgement takes no key) */
  if (ended && !is_feedback && strcmp (soup_server_message_get_method (msg), "POST") == 0 &&
      ((n > 0 && strcmp (rest[n - 1], "ack") == 0) ||
       !wc_engine_has_key (engine, team, soup_message_headers_get_list (
                             soup_server_message_get_request_headers (msg), "Idempotency-Key"))))
    {
      /* the contract's words (docs/API.md), which pages may show as they are */
      wc_http_reply_error (msg, SOUP_STATUS_CONFLICT, "the exercise has ended");
      return TRUE;
    }
  if (is_feedback)
    {
      const char *method = soup_server_message_get_method (msg);

      if (strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0)
        {
          g_autoptr(JsonNode) node = wc_json_views_feedback (engine, team, ended);

          wc_http_reply_json (msg, SOUP_STATUS_OK, node);
        }
      else if (wc_http_require_method (msg, "POST"))
        handle_feedback (engine, msg, team);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "me") == 0)
    {
      if (wc_http_require_method (msg, "GET"))
        handle_me (engine, msg, team, lang);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "injects") == 0)
    {
      if (wc_http_require_method (msg, "GET"))
        handle_list (engine, limits, msg, team, lang);
      return TRUE;
    }
  if (n == 1 && strcmp (rest[0], "events") == 0)
    {
      const char *last = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                       "Last-Event-ID");
      guint64 last_id = 0;

      if (last == NULL && query)
        last = g_hash_table_lookup (query, "last_event_id");
      if (last && !g_ascii_string_to_unsigned (last, 10, 0, G_MAXUINT64, &last_id, NULL))
        last_id = 0;
      if (wc_http_require_method (msg, "GET"))
        wc_sse_open (sse, msg, team, lang, last_id);
      return TRUE;
    }
  if (n == 3 && strcmp (rest[0], "injects") == 0 && strcmp (rest[2], "ack") == 0)
    {
      if (wc_http_require_method (msg, "POST"))
        handle_ack (engine, msg, team, rest[1]);
      return TRUE;
    }
  if (n == 3 && strcmp (rest[0], "injects") == 0 && strcmp (rest[2], "responses") == 0)
    {
      const char *method = soup_server_message_get_method (msg);

      if (strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0)
        handle_responses_page (engine, limits, msg, team, rest[1], query);
      else if (wc_http_require_method (msg, "POST"))
        handle_respond (engine, limits, msg, team, rest[1]);
      return TRUE;
    }
  if (n == 4 && strcmp (rest[0], "injects") == 0 && strcmp (rest[2], "attachments") == 0)
    {
      if (wc_http_require_method (msg, "GET"))
        handle_attachment (engine, limits, n_downloads, msg, team, rest[1], rest[3]);
      return TRUE;
    }
  return FALSE;
}
