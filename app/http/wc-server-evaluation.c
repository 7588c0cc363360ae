/* wc-server-evaluation.c: the evaluation API for the exercise staff: judging the teams' expected
 * actions, observations, objective ratings, and the director adding staff. Bad input is a 4xx
 * before anything reaches the journal; what is recorded carries who did it (wc-server.c sets the
 * engine's actor around every staff request). */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-http.h"
#include "wc-json-views.h"
#include "wc-server-control.h"
#include "wc-server-evaluation.h"

/* Record @seq (its data holds "by"), as the control stream shows it. */
static JsonNode *
record_view (WcEngine *engine,
             guint64   seq)
{
  const WcJournalRecord *r = wc_journal_get_record (wc_engine_get_journal (engine), seq - 1);

  return wc_json_views_record (r->seq, r->type, r->data, r->t_ms);
}

/* The record just appended: actions append their one record synchronously, so it is the
 * journal's last. */
static JsonNode *
last_record_view (WcEngine *engine)
{
  return record_view (engine, wc_journal_get_n_records (wc_engine_get_journal (engine)));
}

/* After an action that appends one record: 201 with it once it is durable, else why not. */
static void
reply_recorded (WcEngine          *engine,
                SoupServerMessage *msg,
                gboolean           ok,
                const GError      *error)
{
  if (ok)
    wc_http_reply_when_durable (engine, msg, SOUP_STATUS_CREATED, last_record_view (engine));
  else
    wc_http_reply_engine_error (msg, error);
}

static void
reply_view (SoupServerMessage *msg,
            JsonNode          *node)
{
  wc_http_reply_json (msg, SOUP_STATUS_OK, node);
  json_node_unref (node);
}

/* The expected action @name names in @inject: its id, or its position from "1" (as
 * wc_engine_assess() reads it). */
static const WcExpectedAction *
resolve_action (const WcInject *inject,
                const char     *name)
{
  GPtrArray *actions = inject->expected_actions;
  guint64 position = 0;

  for (guint i = 0; i < actions->len; i++)
    if (strcmp (((WcExpectedAction *) g_ptr_array_index (actions, i))->id, name) == 0)
      return g_ptr_array_index (actions, i);
  return g_ascii_string_to_unsigned (name, 10, 1, actions->len, &position, NULL)
         ? g_ptr_array_index (actions, position - 1) : NULL;
}

static void
handle_assess (WcEngine          *engine,
               WcTokens          *tokens,
               const char        *base_url,
               SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = wc_http_read_json_body (msg);
  g_autoptr(GError) error = NULL;
  const char *inject_id, *team, *action_name, *verdict_name, *note;
  const WcInject *inject;
  WcVerdict verdict;
  gboolean bad = FALSE;

  if (body == NULL)
    return;
  inject_id = wc_http_get_string (body, "inject", &bad);
  team = wc_http_get_string (body, "team", &bad);
  action_name = wc_http_get_string (body, "action", &bad);
  verdict_name = wc_http_get_string (body, "verdict", &bad);
  note = wc_http_get_string (body, "note", &bad);
  if (bad || !inject_id || !team || !action_name || !verdict_name)
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                           _("Send {\"inject\": ID, \"team\": ID, \"action\": ID or position, "
                             "\"verdict\": VERDICT, \"note\": TEXT}"));
      return;
    }
  if (!wc_verdict_from_string (verdict_name, &verdict))
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                           _("“verdict” must be met, late, partial, not-met, na or pending"));
      return;
    }
  if (!wc_engine_assess (engine, inject_id, team, action_name, verdict, note, &error))
    {
      wc_http_reply_engine_error (msg, error);
      return;
    }
  inject = wc_engine_find_inject (engine, inject_id);
  wc_http_reply_when_durable (engine, msg, SOUP_STATUS_CREATED,
                              wc_json_views_assessment (engine, inject_id, team,
                                                        resolve_action (inject, action_name)));
}

static void
handle_assessments (WcEngine          *engine,
                    SoupServerMessage *msg,
                    GHashTable        *query)
{
  const char *inject_id = query ? g_hash_table_lookup (query, "inject") : NULL;

  if (inject_id && wc_engine_find_inject (engine, inject_id) == NULL)
    {
      wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("There is no inject “%s”"), inject_id);
      return;
    }
  reply_view (msg, wc_json_views_assessments (engine, inject_id));
}

static void
handle_observe (WcEngine          *engine,
                WcTokens          *tokens,
                const char        *base_url,
                SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *text, *kind_name, *team, *inject, *objective, *key;
  WcObservationKind kind = WC_OBSERVATION_NOTE;
  gboolean bad = FALSE;
  guint64 seq = 0;

  if (!wc_http_get_idempotency_key (msg, &key) || (body = wc_http_read_json_body (msg)) == NULL)
    return;
  text = wc_http_get_string (body, "text", &bad);
  kind_name = wc_http_get_string (body, "kind", &bad);
  team = wc_http_get_string (body, "team", &bad);
  inject = wc_http_get_string (body, "inject", &bad);
  objective = wc_http_get_string (body, "objective", &bad);
  if (bad || text == NULL || (kind_name && !wc_observation_kind_from_string (kind_name, &kind)))
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                           _("Send {\"text\": TEXT, \"kind\": \"note\", \"strength\" or "
                             "\"improvement\", \"team\"?, \"inject\"?, \"objective\"?}"));
      return;
    }
  if (!wc_engine_observe_with_key (engine, text, kind, team, inject, objective, key, &seq,
                                   &error))
    wc_http_reply_engine_error (msg, error);
  else
    /* sent again with its key: the first observation's record, as the first reply had it */
    wc_http_reply_when_durable (engine, msg, SOUP_STATUS_CREATED, record_view (engine, seq));
}

static void
handle_rate (WcEngine          *engine,
             WcTokens          *tokens,
             const char        *base_url,
             SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = wc_http_read_json_body (msg);
  g_autoptr(GError) error = NULL;
  const char *objective, *target, *rating_name, *rationale;
  WcRating rating;
  gboolean bad = FALSE, ok;

  if (body == NULL)
    return;
  objective = wc_http_get_string (body, "objective", &bad);
  target = wc_http_get_string (body, "target", &bad);
  rating_name = wc_http_get_string (body, "rating", &bad);
  rationale = wc_http_get_string (body, "rationale", &bad);
  if (bad || objective == NULL || !wc_rating_from_string (rating_name, &rating))
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                           _("Send {\"objective\": ID, \"rating\": \"performed\", "
                             "\"some-challenges\", \"major-challenges\" or \"unable\", "
                             "\"target\"?, \"rationale\"?}"));
      return;
    }
  ok = wc_engine_rate_objective (engine, objective, target, rating, rationale, &error);
  reply_recorded (engine, msg, ok, error);
}

static void
handle_add_staff (WcEngine          *engine,
                  WcTokens          *tokens,
                  const char        *base_url,
                  SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = wc_http_read_json_body (msg);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char *id, *name, *role_name;
  WcStaffRole role;
  gboolean bad = FALSE;

  if (body == NULL)
    return;
  id = wc_http_get_string (body, "id", &bad);
  name = wc_http_get_string (body, "name", &bad);
  role_name = wc_http_get_string (body, "role", &bad);
  if (bad || id == NULL || name == NULL || !wc_staff_role_from_string (role_name, &role))
    {
      wc_http_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                           _("Send {\"id\": ID, \"name\": TEXT, \"role\": \"director\", "
                             "\"controller\", \"evaluator\" or \"observer\"}"));
      return;
    }
  /* the token is made here, not when the record is announced: the reply carries the link */
  if (!wc_engine_add_staff (engine, id, name, role, &error))
    {
      wc_http_reply_engine_error (msg, error);
      return;
    }
  if (!wc_tokens_add_staff (tokens, id, name, role, &error))
    {
      wc_http_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "%s", error->message);
      return;
    }
  url = g_strconcat (base_url, "/e/", wc_tokens_get_staff_token (tokens, id), NULL);
  reply = json_object_new ();
  json_object_set_string_member (reply, "id", id);
  json_object_set_string_member (reply, "name", name);
  json_object_set_string_member (reply, "role", wc_staff_role_to_string (role));
  json_object_set_string_member (reply, "url", url);
  wc_http_reply_when_durable (engine, msg, SOUP_STATUS_CREATED,
                              json_node_init_object (json_node_alloc (), reply));
}

/* What the staff post, and who may. */
static const struct {
  const char        *name;
  WcStaffPermission  permission;
  void             (*handle) (WcEngine          *engine,
                              WcTokens          *tokens,
                              const char        *base_url,
                              SoupServerMessage *msg);
} posts[] = {
  { "assessments", WC_STAFF_CAN_JUDGE, handle_assess },
  { "observations", WC_STAFF_CAN_JUDGE, handle_observe },
  { "ratings", WC_STAFF_CAN_JUDGE, handle_rate },
  { "staff", WC_STAFF_CAN_MANAGE, handle_add_staff },
};

gboolean
wc_server_evaluation_handle (WcEngine          *engine,
                             WcTokens          *tokens,
                             const char        *base_url,
                             const WcStaff     *caller,
                             SoupServerMessage *msg,
                             char             **rest,
                             GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean is_get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
  const char *what = rest[0];

  if (what == NULL || rest[1] != NULL)
    return FALSE;
  if (strcmp (what, "me") == 0)
    {
      if (wc_http_require_method (msg, "GET"))
        reply_view (msg, wc_json_views_staff_me (engine, caller));
    }
  else if (strcmp (what, "to-assess") == 0)
    {
      if (wc_http_require_method (msg, "GET"))
        reply_view (msg, wc_json_views_to_assess (engine));
    }
  else if (strcmp (what, "observations") == 0 && is_get)
    {
      if (wc_http_require_method (msg, "GET"))
        reply_view (msg, wc_json_views_observations (engine, 50));
    }
  else if (strcmp (what, "objectives") == 0)
    {
      if (wc_http_require_method (msg, "GET"))
        reply_view (msg, wc_json_views_objectives (engine));
    }
  else if (strcmp (what, "assessments") == 0 && is_get)
    handle_assessments (engine, msg, query);
  else
    {
      guint i = 0;

      while (i < G_N_ELEMENTS (posts) && strcmp (what, posts[i].name) != 0)
        i++;
      if (i == G_N_ELEMENTS (posts))
        return FALSE;
      if (wc_http_require_method (msg, "POST") &&
          wc_server_control_allow (msg, caller, posts[i].permission))
        posts[i].handle (engine, tokens, base_url, msg);
    }
  return TRUE;
}
