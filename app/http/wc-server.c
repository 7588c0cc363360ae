/* wc-server.c: the embedded HTTP server: listening, routing, tokens and who is asking, limits;
 * it owns the event streams (wc-sse.c) and presence (wc-presence.c), and hands the APIs their
 * requests. */
#define G_LOG_DOMAIN "wc-server"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include <libsoup/soup.h>

#include "wc-http.h"
#include "wc-listener.h"
#include "wc-record.h"
#include "wc-server-api.h"
#include "wc-server-control.h"
#include "wc-server-evaluation.h"
#include "wc-server-traffic.h"
#include "wc-server.h"
#include "wc-sse.h"

struct _WcServer {
  GObject         parent_instance;

  WcEngine       *engine;
  WcTokens       *tokens;
  WcPresence     *presence;
  WcSse          *sse;
  SoupServer     *soup;
  WcServerLimits  limits;
  char           *public_host;
  char           *listen_host;
  guint           port;
  gboolean        tls;

  WcBudgets      *budgets;
  WcListener     *listener;
  guint          *n_downloads;  /* attachments being sent (a g_rc_box: see wc-attachment.h) */
  guint           keepalive_id;
  gboolean        stopped;      /* the engine recorded "process-stopped" */
  gboolean        teams_closed; /* the hot wash is over: teams are no longer served */
  WcServerForwardFunc forward;  /* a relay's: what it sends on to the controller */
  gpointer        forward_data;
};

/* The controller token: a director, as it could do everything before staff had roles. */
static const WcStaff controller_staff = {
  (char *) "controller", (char *) "Controller", WC_STAFF_DIRECTOR
};

G_DEFINE_QUARK (wc-server-error-quark, wc_server_error)

G_DEFINE_FINAL_TYPE (WcServer, wc_server, G_TYPE_OBJECT)

#define WEB_RESOURCES "/be/whitecell/Whitecell/web/"

/* Generated from ui/web/web.gresource.xml; naming it keeps its object in the static library. */
GResource *wc_web_get_resource (void);

enum {
  PRESENCE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
wc_server_dispose (GObject *object)
{
  WcServer *self = WC_SERVER (object);

  wc_server_disconnect (self);
  g_clear_object (&self->listener);
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->presence)
    g_signal_handlers_disconnect_by_data (self->presence, self);
  g_clear_object (&self->sse);
  G_OBJECT_CLASS (wc_server_parent_class)->dispose (object);
}

static void
wc_server_finalize (GObject *object)
{
  WcServer *self = WC_SERVER (object);

  g_clear_object (&self->soup);
  g_clear_object (&self->engine);
  g_clear_object (&self->tokens);
  g_free (self->public_host);
  g_free (self->listen_host);
  g_clear_object (&self->presence);
  wc_budgets_free (self->budgets);
  g_rc_box_release (self->n_downloads);
  G_OBJECT_CLASS (wc_server_parent_class)->finalize (object);
}

static void
wc_server_class_init (WcServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_server_dispose;
  object_class->finalize = wc_server_finalize;

  signals[PRESENCE_CHANGED] =
    g_signal_new ("presence-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

void
wc_server_get_default_limits (WcServerLimits *limits)
{
  wc_limits_get_default (limits);
}

static void
wc_server_init (WcServer *self)
{
  wc_server_get_default_limits (&self->limits);
  self->budgets = wc_budgets_new ();
  self->n_downloads = g_rc_box_new0 (guint);
}

/* Connections: what the process's file limit allows, less some for the journal and the rest. */
static void
apply_connection_limits (WcServer *self)
{
  guint max = self->limits.max_connections;

  if (max == 0)
    {
      guint files = wc_listener_raise_file_limit ();
      guint n_teams = wc_scenario_get_n_teams (wc_engine_get_scenario (self->engine));

      max = files > 128 ? files - 64 : files / 2;
      /* each team's page holds its event stream and, now and then, a request beside it */
      if (max < 2 * n_teams)
        g_warning (_("This process may open %u files, too few for the %u teams' pages (two "
                     "connections each): raise the limit (ulimit -n, or LimitNOFILE= for a "
                     "service) before the exercise starts"), files, n_teams);
    }
  wc_listener_set_limits (self->listener, max, self->limits.max_connections_per_address,
                          self->limits.header_timeout_seconds);
}

void
wc_server_set_limits (WcServer             *self,
                      const WcServerLimits *limits)
{
  self->limits = *limits;
  wc_sse_set_max_backlog (self->sse, limits->max_stream_backlog);
  wc_sse_set_max_streams_per_team (self->sse, limits->max_streams_per_team);
  wc_sse_set_list_limits (self->sse, limits->list_responses, limits->list_response_bytes);
  if (self->listener)
    apply_connection_limits (self);
}

/* Tokens and limits ------------------------------------------------------------------------- */

static char *
request_token (SoupServerMessage *msg,
               GHashTable        *query,
               gboolean           allow_query)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (auth && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    return g_strstrip (g_strdup (auth + 7));
  /* A browser's EventSource and a download link cannot send a header. */
  if (allow_query && query && g_hash_table_lookup (query, "access_token"))
    return g_strdup (g_hash_table_lookup (query, "access_token"));
  return NULL;
}

/* Routing ------------------------------------------------------------------------------------ */

static void
serve_resource (SoupServerMessage *msg,
                const char        *name,
                const char        *content_type)
{
  g_autofree char *path = g_strconcat (WEB_RESOURCES, name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize size;
  const char *data;

  if (bytes == NULL)
    {
      wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("Not found"));
      return;
    }
  data = g_bytes_get_data (bytes, &size);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                                "frame-ancestors 'none'; base-uri 'none'");
  soup_message_headers_replace (headers, "Cache-Control",
                                g_str_has_prefix (content_type, "text/html") ? "no-store"
                                                                             : "max-age=300");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, size);
}

/* The words of a team link that opens nothing, in the languages the participant page speaks.
 * Not gettext: the language is the team's (or the browser's), per request, not the process's. */
typedef struct {
  const char *lang;
  const char *title;
  const char *message;
  const char *next;
} LinkProblemText;

static const LinkProblemText link_not_found[] = {
  { "en", "This link does not work",
    "There is no team page at this address.",
    "Check that the link was copied in full, or ask the exercise control team for your "
    "team's link." },
  { "nl", "Deze link werkt niet",
    "Er is geen teampagina op dit adres.",
    "Controleer of de link volledig is gekopieerd, of vraag het oefeningsteam om de link van "
    "uw team." },
  { "fr", "Ce lien ne fonctionne pas",
    "Il n'y a pas de page d'équipe à cette adresse.",
    "Vérifiez que le lien a été copié en entier, ou demandez le lien de votre équipe à "
    "l'équipe d'animation de l'exercice." },
};

static const LinkProblemText link_gone[] = {
  { "en", "The exercise is over",
    "The exercise and its hot wash are over: this page is closed. Thank you for taking part.",
    "For a copy of what your team received and sent, ask the exercise control team." },
  { "nl", "De oefening is voorbij",
    "De oefening en de nabespreking zijn afgelopen: deze pagina is gesloten. Bedankt voor uw "
    "deelname.",
    "Vraag het oefeningsteam om een kopie van wat uw team ontving en verstuurde." },
  { "fr", "L'exercice est terminé",
    "L'exercice et son débriefing à chaud sont terminés : cette page est fermée. Merci de "
    "votre participation.",
    "Pour une copie de ce que votre équipe a reçu et envoyé, adressez-vous à l'équipe "
    "d'animation de l'exercice." },
};

G_STATIC_ASSERT (G_N_ELEMENTS (link_not_found) == G_N_ELEMENTS (link_gone));

static const LinkProblemText *
find_link_text (const LinkProblemText *texts,
                const char            *lang)
{
  for (guint i = 0; lang && i < G_N_ELEMENTS (link_not_found); i++)
    if (g_ascii_strncasecmp (texts[i].lang, lang, 2) == 0 &&
        (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_'))
      return &texts[i];
  return NULL;
}

/* The language of Accept-Language the page speaks with the highest weight (the first on a tie),
 * else English. */
static const LinkProblemText *
pick_link_text (const LinkProblemText *texts,
                const char            *accept_language)
{
  g_auto(GStrv) ranges = g_strsplit (accept_language ? accept_language : "", ",", 0);
  const LinkProblemText *best = &texts[0];
  double best_q = 0;

  for (guint i = 0; ranges[i]; i++)
    {
      g_auto(GStrv) fields = g_strsplit (ranges[i], ";", 0);
      const LinkProblemText *text = find_link_text (texts, g_strstrip (fields[0]));
      double q = 1;

      for (guint j = 1; fields[j]; j++)
        {
          const char *param = g_strstrip (fields[j]);

          if (g_ascii_strncasecmp (param, "q=", 2) == 0)
            q = g_ascii_strtod (param + 2, NULL);
        }
      if (text && q > best_q)
        {
          best = text;
          best_q = q;
        }
    }
  return best;
}

static char *
fill_template (const char         *template,
               const char * const *names,
               const char * const *values)
{
  g_autoptr(GString) page = g_string_new (template);

  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (values[i], -1);

      g_string_replace (page, names[i], escaped, 0);
    }
  return g_string_free (g_steal_pointer (&page), FALSE);
}

/* A team link that opens nothing (@status 404: no such token; 410: the hot wash is over), as a
 * page in @team's language, else in the browser's. */
static void
serve_link_problem (WcServer          *self,
                    SoupServerMessage *msg,
                    const char        *team,
                    guint              status)
{
  const LinkProblemText *texts = status == SOUP_STATUS_GONE ? link_gone : link_not_found;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const LinkProblemText *text = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (WEB_RESOURCES "expired.html",
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autofree char *status_text = g_strdup_printf ("%u", status);
  g_autofree char *page = NULL;
  gsize length;

  if (team)
    {
      WcScenario *scenario = wc_engine_get_scenario (self->engine);
      const WcTeam *t = wc_scenario_find_team (scenario, team);

      text = find_link_text (texts, t && t->language ? t->language
                                                     : wc_scenario_get_default_language (scenario));
    }
  if (text == NULL)
    text = pick_link_text (texts, soup_message_headers_get_one (request, "Accept-Language"));
  if (bytes == NULL)
    {
      wc_http_reply_error (msg, status, "%s", text->message);
      return;
    }
  page = fill_template (g_bytes_get_data (bytes, NULL),
                        (const char *[]) { "@LANG@", "@STATUS@", "@TITLE@", "@MESSAGE@", "@NEXT@",
                                           NULL },
                        (const char *[]) { text->lang, status_text, text->title, text->message,
                                           text->next });
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'self'; object-src 'none'; frame-ancestors 'none'; "
                                "base-uri 'none'");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Content-Language", text->lang);
  soup_message_headers_replace (headers, "Vary", "Accept-Language");
  soup_server_message_set_status (msg, status, NULL);
  length = strlen (page);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&page), length);
}

static void
handle_healthz (WcServer          *self,
                SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  /* A server that answers but cannot keep what teams send is not healthy. */
  const char *journal_error = wc_engine_get_journal_error (self->engine);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, journal_error ? "journal-error" : "ok");
  if (journal_error)
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, journal_error);
    }
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, wc_engine_state_to_string (wc_engine_get_state (self->engine)));
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  wc_http_reply_json (msg, journal_error ? SOUP_STATUS_SERVICE_UNAVAILABLE : SOUP_STATUS_OK, node);
}

/* Who a request is from: a team, or a member of the staff. */
typedef struct {
  const char    *team;
  const WcStaff *staff;
} Caller;

/* The staff member whose token @token is: the controller's, or one the engine knows (a token
 * left in the file for someone the journal does not name opens nothing). */
static const WcStaff *
find_staff (WcServer   *self,
            const char *token)
{
  if (wc_tokens_is_controller (self->tokens, token))
    return &controller_staff;
  return wc_engine_find_staff (self->engine, wc_tokens_find_staff (self->tokens, token));
}

/* Whether the request carries a token valid for @parts (after "api", "v1"); else replies 401.
 * The control API takes staff tokens, the rest team tokens. */
static gboolean
check_token (WcServer          *self,
             SoupServerMessage *msg,
             char             **parts,
             GHashTable        *query,
             char             **token_out,
             Caller            *caller)
{
  gboolean is_control = parts[0] && strcmp (parts[0], "control") == 0;
  guint n = g_strv_length (parts);
  /* Only the event stream and downloads (attachments, CAP documents) may carry the token in the
   * query. */
  gboolean allow_query = n >= 1 &&
                         (strcmp (parts[0], "events") == 0 ||
                          (is_control && parts[1] && strcmp (parts[1], "events") == 0) ||
                          (n == 4 && strcmp (parts[0], "injects") == 0 &&
                           strcmp (parts[2], "attachments") == 0) ||
                          (n == 3 && strcmp (parts[0], "messages") == 0 &&
                           strcmp (parts[2], "attachment") == 0) ||
                          (n == 2 && strcmp (parts[0], "warnings") == 0 &&
                           g_str_has_suffix (parts[1], ".cap")));
  g_autofree char *token = request_token (msg, query, allow_query);
  Caller found = { NULL, NULL };

  if (token == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"whitecell\"");
      wc_http_reply_error (msg, SOUP_STATUS_UNAUTHORIZED,
                           _("A token is needed (Authorization: Bearer TOKEN)"));
      return FALSE;
    }
  if (is_control ? (found.staff = find_staff (self, token)) == NULL
                 : (found.team = wc_tokens_find_team (self->tokens, token)) == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate",
                                    "Bearer realm=\"whitecell\", error=\"invalid_token\"");
      wc_http_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, _("This token is not valid here"));
      return FALSE;
    }
  if (found.team && self->teams_closed)
    {
      wc_http_reply_error (msg, SOUP_STATUS_GONE,
                           _("The exercise and its hot wash are over: thank you for taking part"));
      return FALSE;
    }
  if (token_out)
    *token_out = g_steal_pointer (&token);
  if (caller)
    *caller = found;
  return TRUE;
}

/* A staff request: whatever it records says who did it. */
static gboolean
handle_staff (WcServer          *self,
              const WcStaff     *staff,
              SoupServerMessage *msg,
              char             **rest,
              GHashTable        *query)
{
  g_autofree char *base = wc_server_get_base_url (self);
  gboolean handled;

  wc_engine_set_actor (self->engine, staff->id);
  handled = wc_server_control_handle (self->engine, self->sse, self->presence, staff, msg, rest,
                                      query) ||
            wc_server_traffic_control_handle (self->engine, staff, msg, rest, query) ||
            wc_server_evaluation_handle (self->engine, self->tokens, base, staff, msg, rest,
                                         query);
  wc_engine_set_actor (self->engine, NULL);
  return handled;
}

static void
handle_api (WcServer          *self,
            SoupServerMessage *msg,
            char             **parts,  /* after "api", "v1" */
            GHashTable        *query)
{
  gboolean is_control = parts[0] && strcmp (parts[0], "control") == 0;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *token = NULL;
  Caller caller = { NULL, NULL };
  gboolean handled;

  if (!check_token (self, msg, parts, query, &token, &caller))
    return;
  if (!wc_budgets_take_request (self->budgets, &self->limits, token))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      wc_http_reply_limit (msg, WC_STATUS_TOO_MANY_REQUESTS, "requests-per-second",
                           _("Too many requests; slow down and try again in a second"));
      return;
    }
  /* an upload costs at most a full bucket (it could never be taken otherwise): one attachment
   * empties it, the next waits for it to refill */
  if (body->length > 0 &&
      !wc_budgets_take_bytes (self->budgets, &self->limits, token,
                              g_object_get_data (G_OBJECT (msg), "wc-upload")
                              ? MIN ((gsize) body->length, (gsize) self->limits.bytes_burst)
                              : (gsize) body->length))
    {
      g_autofree char *wait = g_strdup_printf ("%.0f", ceil (body->length /
                                                             MAX (1, self->limits.bytes_per_second)));

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", wait);
      wc_http_reply_limit (msg, WC_STATUS_TOO_MANY_REQUESTS, "bytes-per-second",
                           _("Too much text too fast (more than %.0f bytes a second); try again "
                             "in a while"), self->limits.bytes_per_second);
      return;
    }
  if (caller.team)
    wc_presence_touch (self->presence, caller.team, 0);
  handled = is_control
    ? handle_staff (self, caller.staff, msg, parts + 1, query)
    : wc_server_api_handle (self->engine, self->sse, &self->limits, self->n_downloads, msg,
                            caller.team, parts, query) ||
      wc_server_traffic_handle (self->engine, &self->limits, self->n_downloads, msg, caller.team,
                                wc_server_api_pick_language (self->engine, query, caller.team),
                                parts, query);
  if (!handled)
    wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such resource"));
}

/* The largest body @msg may carry: a message posted with its attachment may be larger than the
 * rest (handle_early() tells which it is). */
static gsize
body_limit (WcServer          *self,
            SoupServerMessage *msg)
{
  gpointer upload = g_object_get_data (G_OBJECT (msg), "wc-upload");

  return upload ? self->limits.max_upload : self->limits.max_body;
}

static void
reply_too_large (WcServer          *self,
                 SoupServerMessage *msg)
{
  gboolean upload = g_object_get_data (G_OBJECT (msg), "wc-upload") != NULL;

  wc_http_reply_limit (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, upload ? "upload" : "body",
                       _("The body is larger than %zu bytes"), body_limit (self, msg));
}

static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  WcServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_auto(GStrv) parts = NULL;

  if (self->stopped)
    {
      wc_http_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, _("The exercise has stopped"));
      return;
    }
  /* for a reply that waits (for its record to be durable, for a relay's controller) */
  wc_http_set_reply_timeout (msg, self->limits.reply_timeout_seconds);
  if (body->length > 0 && (gsize) body->length > body_limit (self, msg))
    {
      reply_too_large (self, msg);
      return;
    }
  if (strcmp (path, "/healthz") == 0)
    {
      if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0)
        wc_http_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Use GET"));
      else
        handle_healthz (self, msg);
      return;
    }
  if (self->forward && self->forward (self, msg, path, query, self->forward_data))
    return;
  parts = g_strsplit (path + 1, "/", 0);
  if (parts[0] && strcmp (parts[0], "api") == 0 && parts[1] && strcmp (parts[1], "v1") == 0)
    {
      GInetSocketAddress *peer = (GInetSocketAddress *) soup_server_message_get_remote_address (msg);
      gboolean relayed = peer && G_IS_INET_SOCKET_ADDRESS (peer) &&
                         g_inet_address_get_is_loopback (g_inet_socket_address_get_address (peer));

      /* a command relayed (the controller's own request on loopback, docs/SCALING.md): what it
       * records carries its id, so that it is not run twice after a restart */
      wc_engine_set_request (self->engine, relayed ? soup_message_headers_get_one (
                               soup_server_message_get_request_headers (msg),
                               "X-Whitecell-Request") : NULL);
      handle_api (self, msg, parts + 2, query);
      wc_engine_set_request (self->engine, NULL);
      return;
    }
  if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0)
    {
      wc_http_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Use GET"));
      return;
    }
  if (g_strv_length (parts) == 2 && strcmp (parts[0], "t") == 0)
    {
      /* The page itself tells nothing; still, an unknown token gets no page. A person follows
       * these links, so a refusal is a page, in words they read. */
      const char *team = wc_tokens_find_team (self->tokens, parts[1]);

      if (team == NULL)
        serve_link_problem (self, msg, NULL, SOUP_STATUS_NOT_FOUND);
      else if (self->teams_closed)
        serve_link_problem (self, msg, team, SOUP_STATUS_GONE);
      else
        serve_resource (msg, "index.html", "text/html; charset=utf-8");
      return;
    }
  if (g_strv_length (parts) == 2 && strcmp (parts[0], "e") == 0)
    {
      /* the evaluators' page, for staff links only (observers get it read-only) */
      if (find_staff (self, parts[1]) == NULL)
        wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such staff page"));
      else
        serve_resource (msg, "evaluator.html", "text/html; charset=utf-8");
      return;
    }
  if (g_strv_length (parts) == 2 && strcmp (parts[0], "static") == 0)
    {
      if (strcmp (parts[1], "app.js") == 0)
        serve_resource (msg, "app.js", "text/javascript; charset=utf-8");
      else if (strcmp (parts[1], "style.css") == 0)
        serve_resource (msg, "style.css", "text/css; charset=utf-8");
      else if (strcmp (parts[1], "evaluator.js") == 0)
        serve_resource (msg, "evaluator.js", "text/javascript; charset=utf-8");
      else if (strcmp (parts[1], "evaluator.css") == 0)
        serve_resource (msg, "evaluator.css", "text/css; charset=utf-8");
      else if (strcmp (parts[1], "traffic.js") == 0)
        serve_resource (msg, "traffic.js", "text/javascript; charset=utf-8");
      else if (strcmp (parts[1], "traffic.css") == 0)
        serve_resource (msg, "traffic.css", "text/css; charset=utf-8");
      else
        wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("Not found"));
      return;
    }
  wc_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, _("Not found"));
}

static void
append_header (const char *name,
               const char *value,
               gpointer    user_data)
{
  g_string_append_printf (user_data, "%s: %s\r\n", name, value);
}

/* A request refused before or while its body arrives: libsoup would read the whole body before
 * replying (or close with it unread, which loses the reply), so the reply already set on @msg is
 * written on the socket directly and the connection closed. */
static void
refuse_now (WcServer          *self,
            SoupServerMessage *msg)
{
  GSocket *socket = wc_http_get_socket (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  guint status = soup_server_message_get_status (msg);
  g_autoptr(GString) reply = g_string_new (NULL);
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  g_signal_handlers_disconnect_by_data (msg, self);
  if (socket == NULL)
    return;
  g_string_append_printf (reply, "HTTP/1.1 %u %s\r\nConnection: close\r\n", status,
                          soup_status_get_phrase (status));
  soup_message_headers_foreach (soup_server_message_get_response_headers (msg), append_header,
                                reply);
  g_string_append_printf (reply, "Content-Length: %zu\r\n\r\n", size);
  g_string_append_len (reply, data, size);
  /* In TLS the client only sees the connection close. */
  if (!self->tls)
    g_socket_send_with_blocking (socket, reply->str, reply->len, FALSE, NULL, NULL);
  g_socket_shutdown (socket, TRUE, TRUE, NULL);
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              WcServer          *self)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if ((gsize) body->length > body_limit (self, msg))
    {
      reply_too_large (self, msg);
      refuse_now (self, msg);
    }
}

/* Before the body is read: a body where none is taken, a bad token and a declared size over the
 * limit are refused at once; a body of unknown size is measured as it arrives. */
static void
handle_early (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  WcServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  goffset length = soup_message_headers_get_content_length (headers);
  g_auto(GStrv) parts = NULL;

  if (encoding == SOUP_ENCODING_NONE || (encoding == SOUP_ENCODING_CONTENT_LENGTH && length == 0))
    return;
  parts = g_strsplit (path + 1, "/", 0);
  if (parts[0] && strcmp (parts[0], "api") == 0 && parts[1] && strcmp (parts[1], "v1") == 0 &&
      wc_server_traffic_is_upload (msg, parts + 2))
    g_object_set_data (G_OBJECT (msg), "wc-upload", GINT_TO_POINTER (TRUE));
  if (self->stopped)
    wc_http_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, _("The exercise has stopped"));
  else if (strcmp (soup_server_message_get_method (msg), "POST") != 0 || parts[0] == NULL ||
           strcmp (parts[0], "api") != 0 || parts[1] == NULL || strcmp (parts[1], "v1") != 0)
    wc_http_reply_limit (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "body",
                         _("This request takes no body"));
  else if (!check_token (self, msg, parts + 2, query, NULL, NULL))
    ;
  else if (encoding == SOUP_ENCODING_CONTENT_LENGTH && (guint64) length > body_limit (self, msg))
    reply_too_large (self, msg);
  else
    {
      /* a body of unknown size, or one within the limit */
      if (encoding != SOUP_ENCODING_CONTENT_LENGTH)
        g_signal_connect_object (msg, "got-chunk", G_CALLBACK (on_got_chunk), self, 0);
      return;
    }
  refuse_now (self, msg);
}

static void
on_engine_record (WcEngine     *engine,
                  guint64       seq,
                  WcRecordType  type,
                  JsonObject   *data,
                  gint64        t_ms,
                  WcServer     *self)
{
  /* Nothing is taken once the process has said it stops: what came after would be lost. */
  if (type == WC_RECORD_PROCESS_STOPPED)
    {
      self->stopped = TRUE;
      if (self->listener)
        wc_listener_close (self->listener);
    }
}

static void
on_request_done (SoupServer        *soup,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  WcServer *self = user_data;

  wc_sse_forget (self->sse, msg);
}

static void
on_presence_changed (WcPresence *presence,
                     const char *team_id,
                     WcServer   *self)
{
  g_signal_emit (self, signals[PRESENCE_CHANGED], 0, team_id);
}

/* The join URLs that presence hands out follow where the server listens. */
static void
update_base_url (WcServer *self)
{
  g_autofree char *base = wc_server_get_base_url (self);

  wc_presence_set_base_url (self->presence, base);
}

static gboolean
keepalive_cb (gpointer user_data)
{
  wc_sse_keepalive (WC_SERVER (user_data)->sse);
  return G_SOURCE_CONTINUE;
}

WcServer *
wc_server_new (WcEngine *engine,
               WcTokens *tokens)
{
  WcServer *self = g_object_new (WC_TYPE_SERVER, NULL);

  g_return_val_if_fail (wc_web_get_resource () != NULL, NULL);
  self->engine = g_object_ref (engine);
  self->tokens = g_object_ref (tokens);
  self->presence = wc_presence_new (tokens);
  g_signal_connect (self->presence, "presence-changed", G_CALLBACK (on_presence_changed), self);
  self->sse = wc_sse_new (engine, self->presence);
  wc_server_set_limits (self, &self->limits);
  g_signal_connect (engine, "record", G_CALLBACK (on_engine_record), self);
  update_base_url (self);
  /* Many teams answer at once: their records share one sync per main-loop turn. */
  wc_engine_set_group_commit (engine, TRUE);
  return self;
}

gboolean
wc_server_listen (WcServer         *self,
                  const char       *host,
                  guint             port,
                  GTlsCertificate  *certificate,
                  GError          **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self->soup == NULL, FALSE);
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, WC_SERVER_ERROR, WC_SERVER_ERROR_LISTEN,
                   _("“%s” is not an IP address to listen on (e.g. 127.0.0.1 or 0.0.0.0)"), host);
      return FALSE;
    }
  self->soup = soup_server_new ("server-header", "Whitecell/" PACKAGE_VERSION " ", NULL);
  if (certificate)
    g_object_set (self->soup, "tls-certificate", certificate, NULL);
  soup_server_add_early_handler (self->soup, NULL, handle_early, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_done), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_done), self);

  /* Every team connects at once when an exercise starts or the controller's machine comes
   * back: GSocket's default backlog of 10 would leave them retrying SYNs for seconds. */
  socket_address = g_inet_socket_address_new (address, port);
  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &local_error);
  if (socket)
    g_socket_set_listen_backlog (socket, self->limits.listen_backlog);
  if (socket == NULL || !g_socket_bind (socket, socket_address, TRUE, &local_error) ||
      !g_socket_listen (socket, &local_error))
    {
      g_set_error (error, WC_SERVER_ERROR, WC_SERVER_ERROR_LISTEN,
                   _("Cannot listen on %s:%u: %s"), host, port, local_error->message);
      g_clear_object (&self->soup);
      return FALSE;
    }
  bound = g_socket_get_local_address (socket, NULL);
  self->port = bound ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : port;
  self->tls = certificate != NULL;
  /* Our own accept loop, not libsoup's: see wc-listener.h. */
  self->listener = wc_listener_new (self->soup, socket, certificate);
  /* No keep-alive: libsoup 3.2 keeps a connection open for the next request only while it has a
   * listener of its own, and with one (an anonymous Unix socket's, tried) it keeps a connection
   * whose client has gone — nothing reads the end between requests — so its descriptor and its
   * place under the per-address cap are never given back (test hardening/closed-connections).
   * Each request therefore has a connection of its own. */
  apply_connection_limits (self);
  g_free (self->listen_host);
  self->listen_host = g_strdup (host);
  update_base_url (self);
  self->keepalive_id = g_timeout_add_seconds (MAX (1, self->limits.keepalive_seconds),
                                              keepalive_cb, self);
  return TRUE;
}

void
wc_server_disconnect (WcServer *self)
{
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  if (self->sse)
    wc_sse_close_all (self->sse);
  if (self->listener)
    wc_listener_close (self->listener);
  if (self->soup)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      soup_server_disconnect (self->soup);
    }
}

void
wc_server_set_forward_func (WcServer            *self,
                            WcServerForwardFunc  func,
                            gpointer             user_data)
{
  self->forward = func;
  self->forward_data = user_data;
}

void
wc_server_set_public_host (WcServer   *self,
                           const char *host)
{
  g_free (self->public_host);
  self->public_host = g_strdup (host);
  update_base_url (self);
}

/* Listening anew elsewhere (the controller chose to accept teams from the network after the
 * exercise was made, before it started): same port, certificate and links' host name. */
gboolean
wc_server_relisten (WcServer    *self,
                    const char  *host,
                    GError     **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;

  if (self->soup)
    {
      g_object_get (self->soup, "tls-certificate", &certificate, NULL);
      wc_server_disconnect (self);
      g_clear_object (&self->listener);
      g_clear_object (&self->soup);
    }
  return wc_server_listen (self, host, self->port, certificate, error);
}

char *
wc_server_get_base_url (WcServer *self)
{
  const char *host = self->public_host ? self->public_host : self->listen_host;
  g_auto(GStrv) lan = NULL;
  gboolean v6;

  /* a link needs an address a phone can reach: this machine's host name rarely resolves on
   * the exercise's network, its first LAN address does */
  if (host == NULL || strcmp (host, "0.0.0.0") == 0 || strcmp (host, "::") == 0)
    {
      lan = wc_presence_list_lan_addresses ();
      host = lan[0] ? lan[0] : host == NULL ? "127.0.0.1" : g_get_host_name ();
    }
  v6 = strchr (host, ':') != NULL;
  return g_strdup_printf ("%s://%s%s%s:%u", self->tls ? "https" : "http", v6 ? "[" : "", host,
                          v6 ? "]" : "", self->port);
}

char *
wc_server_get_join_url (WcServer   *self,
                        const char *team_id)
{
  return wc_presence_get_join_url (self->presence, team_id);
}

void
wc_server_close_teams (WcServer *self)
{
  g_return_if_fail (WC_IS_SERVER (self));

  if (self->teams_closed)
    return;
  self->teams_closed = TRUE;
  /* the teams' open streams end too; the staff's reconnect by themselves */
  wc_sse_close_all (self->sse);
}

gboolean
wc_server_get_teams_closed (WcServer *self)
{
  g_return_val_if_fail (WC_IS_SERVER (self), FALSE);

  return self->teams_closed;
}

guint
wc_server_get_port (WcServer *self)
{
  return self->port;
}

WcPresence *
wc_server_get_presence (WcServer *self)
{
  g_return_val_if_fail (WC_IS_SERVER (self), NULL);

  return self->presence;
}

gboolean
wc_server_is_team_connected (WcServer   *self,
                             const char *team_id)
{
  return wc_presence_is_team_connected (self->presence, team_id);
}

gint64
wc_server_get_team_last_seen (WcServer   *self,
                              const char *team_id)
{
  return wc_presence_get_team_last_seen (self->presence, team_id);
}

guint
wc_server_get_n_streams (WcServer *self)
{
  return wc_sse_get_n_streams (self->sse);
}

guint
wc_server_get_n_connections (WcServer *self)
{
  return self->listener ? wc_listener_get_n_connections (self->listener) : 0;
}

guint
wc_server_get_n_refused (WcServer *self)
{
  return self->listener ? wc_listener_get_n_refused (self->listener) : 0;
}

guint
wc_server_get_n_fd_exhausted (WcServer *self)
{
  return self->listener ? wc_listener_get_n_fd_exhausted (self->listener) : 0;
}
