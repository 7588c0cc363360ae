/* wc-ctl-run.c: `whitecellctl run`: plays a scenario headless, journaling everything. */
#define G_LOG_DOMAIN "whitecellctl"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wc-ctl.h"
#include "wc-engine.h"
#include "wc-live-traffic.h"
#include "wc-relay-publisher.h"
#include "wc-scenario-loader.h"
#include "wc-server.h"
#include "wc-session.h"
#include "wc-tokens.h"

typedef struct {
  WcEngine         *engine;
  WcSession        *session;   /* the teams' server, when there is one */
  GMainLoop        *loop;
  GDataInputStream *input;
  GCancellable     *cancellable;
  const char       *tokens_out;  /* nullable: rewritten as staff are added */
  gboolean          hot_wash_told;
  int               status;
} Run;

static void
print_line (WcEngine   *engine,
            gint64      t_ms,
            const char *format,
            ...) G_GNUC_PRINTF (3, 4);

static void
print_line (WcEngine   *engine,
            gint64      t_ms,
            const char *format,
            ...)
{
  g_autofree char *t = wc_time_format (t_ms, FALSE);
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  printf ("%s  %s\n", t, text);
  fflush (stdout);
}

#define SHORT_TEXT 60  /* characters of a text that a line shows */

static gboolean write_tokens_out (WcServer    *server,
                                  WcTokens    *tokens,
                                  WcEngine    *engine,
                                  const char  *path,
                                  GError     **error);

/* @text cut to SHORT_TEXT characters on one line, for the terminal. */
static char *
shorten (const char *text)
{
  g_autofree char *one_line = g_strdup (text ? text : "");
  glong n;

  g_strdelimit (one_line, "\r\n\t", ' ');
  n = g_utf8_strlen (one_line, -1);
  if (n <= SHORT_TEXT)
    return g_steal_pointer (&one_line);
  {
    g_autofree char *cut = g_utf8_substring (one_line, 0, SHORT_TEXT - 1);

    return g_strconcat (cut, "…", NULL);
  }
}

/* " by ID" when a member of the staff did it, else "". */
static char *
by_whom (JsonObject *data)
{
  const char *by = wc_record_get_by (data);

  return by ? g_strdup_printf (" by %s", by) : g_strdup ("");
}

/* A team's answer, one line: the option it chose (id and words) and what it wrote, shortened:
 * "response I-003 ncc: wait “Wait for lab results” — “We keep the tap open until…”". */
static void
print_response (WcEngine   *engine,
                JsonObject *data,
                gint64      t_ms)
{
  const char *inject_id = wc_record_get_inject (data);
  const char *option = wc_record_get_option (data);
  const WcInject *inject = wc_engine_find_inject (engine, inject_id);
  const char *lang = wc_scenario_get_default_language (wc_engine_get_scenario (engine));
  g_autofree char *text = shorten (wc_record_get_text (data));
  g_autoptr(GString) line = g_string_new (NULL);

  if (option)
    {
      const char *words = NULL;

      for (guint i = 0; inject && inject->options && i < inject->options->len; i++)
        {
          const WcDecisionOption *o = g_ptr_array_index (inject->options, i);

          if (g_strcmp0 (o->id, option) == 0)
            words = wc_text_get (o->text, lang, NULL);
        }
      g_string_append (line, option);
      if (words)
        {
          g_autofree char *short_words = shorten (words);

          g_string_append_printf (line, " “%s”", short_words);
        }
    }
  if (*text)
    g_string_append_printf (line, "%s“%s”", line->len ? " — " : "", text);
  print_line (engine, t_ms, "· response %s %s: %s", inject_id, wc_record_get_team (data),
              line->str);
}

/* The evaluation's records, one line each; FALSE for any other record. */
static gboolean
print_evaluation (Run          *run,
                  WcRecordType  type,
                  JsonObject   *data,
                  gint64        t_ms)
{
  WcEngine *engine = run->engine;
  g_autofree char *by = by_whom (data);
  g_autofree char *text = NULL;

  switch (type)
    {
    case WC_RECORD_ACTION_ASSESSED:
      text = shorten (wc_record_get_string (data, "note"));
      print_line (engine, t_ms, "· assessed %s %s %s: %s%s%s%s", wc_record_get_inject (data),
                  wc_record_get_action (data), wc_record_get_team (data),
                  wc_record_get_string (data, "verdict"), by, *text ? " — " : "", text);
      return TRUE;
    case WC_RECORD_OBSERVATION:
      text = shorten (wc_record_get_text (data));
      print_line (engine, t_ms, "· observation (%s)%s: %s", wc_record_get_string (data, "kind"),
                  by, text);
      return TRUE;
    case WC_RECORD_OBJECTIVE_RATED:
      text = shorten (wc_record_get_string (data, "rationale"));
      print_line (engine, t_ms, "· objective %s: %s%s%s%s", wc_record_get_string (data, "objective"),
                  wc_record_get_string (data, "rating"), by, *text ? " — " : "", text);
      return TRUE;
    case WC_RECORD_FEEDBACK:
      {
        gint64 realism = wc_record_get_int (data, "realism", 0);
        gint64 usefulness = wc_record_get_int (data, "usefulness", 0);
        g_autofree char *ratings = g_strdup_printf (_("realism %lld/5, usefulness %lld/5"),
                                                    (long long) realism, (long long) usefulness);

        text = shorten (wc_record_get_text (data) ? wc_record_get_text (data)
                        : wc_record_get_string (data, "strengths"));
        print_line (engine, t_ms, "· feedback from %s: %s%s%s", wc_record_get_team (data),
                    ratings, *text ? " — " : "", text);
        return TRUE;
      }
    case WC_RECORD_STAFF_ADDED:
      {
        g_autoptr(GError) error = NULL;

        /* the name and role only: the link holds a token */
        print_line (engine, t_ms, "· staff-added %s (%s)%s", wc_record_get_string (data, "staff"),
                    wc_record_get_string (data, "role"), by);
        if (run->session && run->tokens_out &&
            !write_tokens_out (wc_session_get_server (run->session),
                               wc_session_get_tokens (run->session), engine, run->tokens_out,
                               &error))
          g_printerr ("whitecellctl: %s\n", error->message);
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static void
on_record (WcEngine     *engine,
           guint64       seq,
           WcRecordType  type,
           JsonObject   *data,
           gint64        t_ms,
           gpointer      user_data)
{
  Run *run = user_data;
  const char *inject = wc_record_get_inject (data);
  const char *team = wc_record_get_team (data);
  const char *name = wc_record_type_to_string (type);
  g_autofree char *by = by_whom (data);

  if (type == WC_RECORD_CHECKPOINT || print_evaluation (run, type, data, t_ms))
    return;
  if (type == WC_RECORD_INJECT_FIRED)
    {
      const WcInject *i = wc_engine_find_inject (engine, inject);
      JsonArray *teams = wc_record_get_teams (data);
      g_autoptr(GString) to = g_string_new (NULL);
      WcScenario *scenario = wc_engine_get_scenario (engine);

      for (guint k = 0; k < json_array_get_length (teams); k++)
        g_string_append_printf (to, "%s%s", k ? ", " : "", json_array_get_string_element (teams, k));
      print_line (engine, t_ms, "▶ %s [%s] %s%s → %s: %s", inject, wc_channel_to_string (i->channel),
                  wc_record_get_cause (data) ? wc_record_get_cause (data) : "", by, to->str,
                  wc_text_get (i->title, wc_scenario_get_default_language (scenario), NULL));
      return;
    }
  if (type == WC_RECORD_RESPONSE)
    print_response (engine, data, t_ms);
  else if (wc_record_type_has_flag (type, WC_RECORD_FLAG_TRAFFIC))
    {
      /* the feed's line, with the message's id to find it in the journal */
      g_autofree char *line = wc_live_traffic_describe (wc_engine_get_scenario (engine), type,
                                                        data);

      print_line (engine, t_ms, "✉ %s %s%s", wc_record_get_string (data, "message"),
                  line ? line : name, by);
    }
  else if (inject && team)
    print_line (engine, t_ms, "· %s %s %s", name, inject, team);
  else if (inject)
    print_line (engine, t_ms, "· %s %s%s", name, inject, by);
  else if (type == WC_RECORD_NOTE)
    {
      g_autofree char *text = shorten (wc_record_get_text (data));

      print_line (engine, t_ms, "· note%s: %s", by, text);
    }
  else if (type == WC_RECORD_SPEED_CHANGED)
    print_line (engine, t_ms, "· speed-changed %.1f×%s", wc_engine_get_speed (engine), by);
  else
    print_line (engine, t_ms, "· %s%s", name, by);
}

static void
on_journal_error (WcEngine *engine,
                  GError   *error,
                  gpointer  user_data)
{
  g_printerr ("whitecellctl: %s\n", error->message);
}

/* Whether the teams are still served after the end (the hot wash): run goes on meanwhile. */
static gboolean
in_hot_wash (Run *run)
{
  return run->session && wc_session_get_hot_wash_ms (run->session) > 0 &&
         !wc_session_get_hot_wash_over (run->session);
}

static void
on_state (WcEngine   *engine,
          GParamSpec *pspec,
          Run        *run)
{
  g_autofree char *length = NULL;

  if (wc_engine_get_state (engine) != WC_ENGINE_ENDED)
    return;
  if (!in_hot_wash (run))
    {
      g_main_loop_quit (run->loop);
      return;
    }
  if (run->hot_wash_told)
    return;
  run->hot_wash_told = TRUE;
  length = wc_time_format (wc_session_get_hot_wash_ms (run->session), FALSE);
  printf (_("The exercise has ended. Hot wash: the teams can still read their pages and give "
            "their feedback for %s (Ctrl-C stops sooner).\n"), length + 2);
  fflush (stdout);
}

static void
on_hot_wash_ended (WcSession *session,
                   Run       *run)
{
  printf (_("The hot wash is over: the teams are no longer served.\n"));
  fflush (stdout);
  g_main_loop_quit (run->loop);
}

static gboolean
on_signal (gpointer user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  /* after the end (in the hot wash) this records nothing */
  if (!wc_engine_stop (run->engine, "signal", &error))
    {
      g_printerr ("whitecellctl: %s\n", error->message);
      run->status = WC_CTL_EXIT_FAILED;
    }
  g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

/* The scenario ends when its planned duration is reached. */
static gboolean
check_end (gpointer user_data)
{
  Run *run = user_data;
  WcScenario *scenario = wc_engine_get_scenario (run->engine);
  g_autoptr(GError) error = NULL;

  if (wc_engine_get_state (run->engine) == WC_ENGINE_RUNNING &&
      wc_engine_get_time (run->engine) >= wc_scenario_get_duration_ms (scenario) &&
      !wc_engine_end (run->engine, "duration reached", &error))
    g_printerr ("whitecellctl: %s\n", error->message);
  return G_SOURCE_CONTINUE;
}

/* assess INJECT ACTION TEAM VERDICT [NOTE]: the controller at this machine judges. */
static gboolean
run_assess (Run         *run,
            const char  *arg,
            GError     **error)
{
  g_auto(GStrv) words = g_regex_split_simple ("\\s+", arg ? arg : "", 0, 0);
  g_autofree char *note = NULL;
  guint n = g_strv_length (words);
  WcVerdict verdict;

  if (n < 4 || *words[0] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("assess INJECT ACTION TEAM met|late|partial|not-met|na [NOTE] (ACTION: its "
                     "id or its position from 1)"));
      return FALSE;
    }
  if (!wc_verdict_from_string (words[3], &verdict) || verdict == WC_VERDICT_PENDING)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a verdict: met, late, partial, not-met or na"), words[3]);
      return FALSE;
    }
  if (n > 4)
    note = g_strjoinv (" ", words + 4);
  return wc_engine_assess (run->engine, words[0], words[2], words[1], verdict, note, error);
}

/* Commands on standard input let a controller steer a headless exercise. */
static gboolean
run_command (Run         *run,
             const char  *line,
             GError     **error)
{
  g_auto(GStrv) words = g_strsplit (line, " ", 2);
  const char *cmd = words[0], *arg = words[1];
  gint64 t;

  if (*cmd == '\0')
    return TRUE;
  if (strcmp (cmd, "pause") == 0)
    return wc_engine_pause (run->engine, error);
  if (strcmp (cmd, "resume") == 0 || strcmp (cmd, "continue") == 0)
    return wc_engine_resume_clock (run->engine, error);
  if (strcmp (cmd, "end") == 0)
    return wc_engine_end (run->engine, "controller", error);
  if (strcmp (cmd, "speed") == 0 && arg)
    return wc_engine_set_speed (run->engine, g_ascii_strtod (arg, NULL), error);
  if (strcmp (cmd, "fire") == 0 && arg)
    return wc_engine_fire_inject (run->engine, arg, error);
  if (strcmp (cmd, "hold") == 0 && arg)
    return wc_engine_hold_inject (run->engine, arg, error);
  if (strcmp (cmd, "release") == 0 && arg)
    return wc_engine_release_inject (run->engine, arg, error);
  if (strcmp (cmd, "skip") == 0 && arg)
    return wc_engine_skip_inject (run->engine, arg, error);
  if (strcmp (cmd, "note") == 0 && arg)
    return wc_engine_add_note (run->engine, arg, error);
  if (strcmp (cmd, "assess") == 0)
    return run_assess (run, arg, error);
  if (strcmp (cmd, "jump") == 0 && arg)
    {
      if (!wc_time_parse (arg, &t))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not a time like T+01:30"), arg);
          return FALSE;
        }
      return wc_engine_jump (run->engine, t, FALSE, error);
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
               _("unknown command “%s” (pause, resume, speed X, fire ID, hold ID, release ID, "
                 "skip ID, jump T+HH:MM, note TEXT, assess INJECT ACTION TEAM VERDICT [NOTE], "
                 "end)"), line);
  return FALSE;
}

static void read_next_command (Run *run);

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (run->input, result, NULL,
                                                                     &error);

  if (line == NULL)
    return;  /* end of input or cancelled: the exercise plays on by itself */
  g_strstrip (line);
  if (!run_command (run, line, &error))
    g_printerr ("whitecellctl: %s\n", error->message);
  read_next_command (run);
}

static void
read_next_command (Run *run)
{
  g_data_input_stream_read_line_async (run->input, G_PRIORITY_DEFAULT, run->cancellable, on_line,
                                       run);
}

/* "0", "90", "30s", "90m", "24h", "2d" or "HH:MM[:SS]", in ms; a bare number is seconds. */
static gboolean
parse_duration (const char *spec,
                gint64     *out_ms)
{
  static const struct { char unit; gint64 ms; } units[] = {
    { 's', 1000 }, { 'm', 60 * 1000 }, { 'h', 60 * 60 * 1000 }, { 'd', 24 * 60 * 60 * 1000 },
  };
  g_autofree char *number = g_strdup (spec);
  gsize n = strlen (number);
  gint64 unit_ms = 1000;
  guint64 value;

  if (strchr (spec, ':'))
    return wc_time_parse (spec, out_ms);
  for (guint i = 0; n > 1 && i < G_N_ELEMENTS (units); i++)
    if (g_ascii_tolower (number[n - 1]) == units[i].unit)
      {
        unit_ms = units[i].ms;
        number[n - 1] = '\0';
      }
  /* at most a year: beyond, it is a typing slip */
  if (!g_ascii_string_to_unsigned (number, 10, 0, G_GINT64_CONSTANT (366) * 24 * 3600 * 1000 / unit_ms,
                                   &value, NULL))
    return FALSE;
  *out_ms = (gint64) value * unit_ms;
  return TRUE;
}

gboolean
wc_ctl_parse_listen (const char  *spec,
                     char       **host,
                     guint       *port)
{
  const char *colon = strrchr (spec, ':');
  guint64 value;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    return FALSE;
  if (spec[0] == '[' && colon > spec && colon[-1] == ']')
    *host = g_strndup (spec + 1, colon - spec - 2);
  else
    *host = g_strndup (spec, colon - spec);
  *port = (guint) value;
  return **host != '\0';
}

/* Each team's token and link, as ever, and under "staff" each staff member's. */
static gboolean
write_tokens_out (WcServer    *server,
                  WcTokens    *tokens,
                  WcEngine    *engine,
                  const char  *path,
                  GError     **error)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  g_autofree char *base = wc_server_get_base_url (server);
  gsize length;

  json_builder_begin_object (b);
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    {
      const char *id = wc_scenario_get_team (scenario, i)->id;
      g_autofree char *url = wc_server_get_join_url (server, id);

      json_builder_set_member_name (b, id);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "token");
      json_builder_add_string_value (b, wc_tokens_get_team_token (tokens, id));
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, url);
      json_builder_end_object (b);
    }
  /* every staff member the engine knows has a token (the session's tokens follow its staff) */
  json_builder_set_member_name (b, "staff");
  json_builder_add_value (b, wc_tokens_get_staff_links (tokens, base));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  data = json_generator_to_data (gen, &length);
  /* g_file_set_contents_full creates the file with the mode asked, never wider. */
  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

  if (address != NULL)
    return g_inet_address_get_is_loopback (address);
  return g_ascii_strcasecmp (host, "localhost") == 0;
}

/* The teams' server (a WcSession, as in the app), and what it prints for the controller. */
static gboolean
start_serving (Run         *run,
               const char  *listen,
               const char  *public_host,
               const char  *journal_path,
               gboolean     resume,
               const char  *tls_cert,
               const char  *tls_key,
               const char  *tokens_out,
               gboolean     show_links,
               gint64       hot_wash_ms,
               GError     **error)
{
  WcScenario *scenario = wc_engine_get_scenario (run->engine);
  g_autofree char *host = NULL;
  g_autofree char *tokens_path = wc_tokens_path_for_journal (journal_path);
  g_autofree char *base = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  WcSessionOptions options = { 0 };
  WcServer *server;
  guint port;

  if (!wc_ctl_parse_listen (listen ? listen : "127.0.0.1:8080", &host, &port))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--listen “%s” is not HOST:PORT"), listen);
      return FALSE;
    }
  if (tls_cert && (certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, error)) == NULL)
    return FALSE;
  /* the secrets live beside the journal; a resumed exercise keeps its teams' links */
  options.host = host;
  options.port = port;
  options.public_host = public_host;
  options.serve = TRUE;
  options.certificate = certificate;
  /* the port asked for, or none: the teams were given it */
  options.exact_port = TRUE;
  options.headless = TRUE;
  options.hot_wash_ms = hot_wash_ms > 0 ? hot_wash_ms : -1;
  run->session = wc_session_new_for_engine (run->engine, journal_path, resume, &options, error);
  if (run->session == NULL)
    return FALSE;
  g_signal_connect (run->session, "hot-wash-ended", G_CALLBACK (on_hot_wash_ended), run);
  server = wc_session_get_server (run->session);
  base = wc_server_get_base_url (server);
  printf (_("Serving teams on %s (secrets in %s)\n"), base, tokens_path);
  if (certificate == NULL && !is_loopback (host))
    g_printerr (_("whitecellctl: warning: serving plain HTTP on %s: anyone on the network path "
                  "can read the teams' tokens and injects; use --tls-cert and --tls-key\n"), host);
  /* A join link holds the team's token: on standard output it would end in logs. It is in the
   * secrets file, in --tokens-out, or here when asked for. */
  for (guint i = 0; show_links && i < wc_scenario_get_n_teams (scenario); i++)
    {
      const WcTeam *team = wc_scenario_get_team (scenario, i);
      g_autofree char *url = wc_server_get_join_url (server, team->id);

      printf ("  %-24s %s\n", team->id, url);
    }
  if (!show_links)
    {
      if (tokens_out)
        printf (_("Join links: in %s and %s (or run with --show-links)\n"), tokens_out, tokens_path);
      else
        printf (_("Join links: in %s (or run with --show-links)\n"), tokens_path);
    }
  fflush (stdout);
  return tokens_out == NULL ||
         write_tokens_out (server, wc_session_get_tokens (run->session), run->engine, tokens_out,
                           error);
}

/* Relays (--redis): the exercise published to Redis, and their requests made to our own server
 * on loopback, so that every rule of the server holds for them too. */
static WcRelayPublisher *
start_publishing (Run         *run,
                  const char  *redis,
                  const char  *listen,
                  gboolean     tls,
                  const char  *journal_path,
                  GError     **error)
{
  g_autofree char *host = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *tokens_path = wc_tokens_path_for_journal (journal_path);
  WcServer *server = wc_session_get_server (run->session);
  WcRelayPublisher *publisher;
  guint port;

  wc_ctl_parse_listen (listen ? listen : "127.0.0.1:8080", &host, &port);
  server_url = g_strdup_printf ("%s://%s:%u", tls ? "https" : "http",
                                strcmp (host, "0.0.0.0") == 0 ? "127.0.0.1"
                                : strcmp (host, "::") == 0 ? "[::1]"
                                : strchr (host, ':') ? "[::1]" : host,
                                wc_server_get_port (server));
  publisher = wc_relay_publisher_new (run->engine, tokens_path, redis, server_url, error);
  /* teams on relays are connected on this controller's board and in its journal too */
  if (publisher)
    wc_relay_publisher_set_presence (publisher, wc_server_get_presence (server));
  return publisher;
}

int
wc_ctl_run (int    argc,
            char **argv)
{
  g_autofree char *journal_path = NULL;
  g_autofree char *start_at = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *tokens_out = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *public_host = NULL;
  g_autofree char *hot_wash = NULL;
  g_autofree char *redis = NULL;
  g_autoptr(WcRelayPublisher) publisher = NULL;
  g_auto(GStrv) files = NULL;
  double speed = 0;  /* 0: as it was (1× for a new exercise) */
  gboolean resume = FALSE, go_on = FALSE, show_links = FALSE;
  const GOptionEntry entries[] = {
    { "journal", 'j', 0, G_OPTION_ARG_FILENAME, &journal_path, N_("The exercise journal"), N_("PATH") },
    { "speed", 's', 0, G_OPTION_ARG_DOUBLE, &speed, N_("Clock speed, from 0.1 to 100 (default 1, or as it was when resuming)"), N_("X") },
    { "start-at", 0, 0, G_OPTION_ARG_STRING, &start_at, N_("Start at this time; earlier injects are skipped"), N_("T+HH:MM") },
    { "resume", 'r', 0, G_OPTION_ARG_NONE, &resume, N_("Carry on an exercise from its journal (paused)"), NULL },
    { "continue", 'c', 0, G_OPTION_ARG_NONE, &go_on, N_("With --resume: restart the clock at once"), NULL },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen, N_("Serve teams on HOST:PORT (default 127.0.0.1:8080; 0.0.0.0 for the network; “none” serves nothing)"), N_("HOST:PORT") },
    { "public-host", 0, 0, G_OPTION_ARG_STRING, &public_host, N_("The host name teams reach this machine by, for join URLs"), N_("HOST") },
    { "tokens-out", 0, 0, G_OPTION_ARG_FILENAME, &tokens_out, N_("Write each team's and staff member's token and link to FILE (JSON, mode 0600)"), N_("FILE") },
    { "hot-wash", 0, 0, G_OPTION_ARG_STRING, &hot_wash, N_("Keep serving the teams this long after the end, read-only but for their feedback (default 24h; 0: stop at the end)"), N_("DURATION") },
    { "show-links", 0, 0, G_OPTION_ARG_NONE, &show_links, N_("Print each team's join link (it holds the team's token: not for logs)"), NULL },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_("Serve HTTPS with this certificate (PEM)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_("The certificate's private key (PEM)"), N_("FILE") },
    { "redis", 0, 0, G_OPTION_ARG_STRING, &redis, N_("Publish the exercise to this Redis for relays (whitecellctl relay; see docs/SCALING.md)"), N_("URL") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("SCENARIO — play an exercise headless"));
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDiagnostics) diag = NULL;
  g_autoptr(WcScenario) scenario = NULL;
  g_autoptr(WcEngine) engine = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GInputStream) stdin_stream = NULL;
  Run run = { 0 };
  gint64 start_ms = 0, hot_wash_ms = WC_SESSION_DEFAULT_HOT_WASH_MS;
  guint sigint_id, sigterm_id, end_id;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Plays the scenario: prints each inject as it fires and each journal record as it is "
      "written, ends at the scenario's end or on SIGINT/SIGTERM (a clean stop that --resume "
      "carries on from).\nCommands on standard input steer it: pause, resume, speed X, fire ID, "
      "hold ID, release ID, skip ID, jump T+HH:MM, note TEXT, end, and assess INJECT ACTION TEAM "
      "met|late|partial|not-met|na [NOTE] (ACTION: its id or its position from 1).\nServing "
      "teams, it goes on after the end for the hot wash (--hot-wash): the teams read their pages "
      "and give their feedback."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return wc_ctl_usage_error ("%s", error->message);
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    return wc_ctl_usage_error (_("run takes exactly one scenario"));
  if (journal_path == NULL)
    return wc_ctl_usage_error (_("run needs --journal PATH"));
  if (speed != 0 && !(speed >= 0.1 && speed <= 100))
    return wc_ctl_usage_error (_("--speed must be from 0.1 to 100"));
  if (start_at && !wc_time_parse (start_at, &start_ms))
    return wc_ctl_usage_error (_("--start-at “%s” is not a time like T+01:30"), start_at);
  if (hot_wash && !parse_duration (hot_wash, &hot_wash_ms))
    return wc_ctl_usage_error (_("--hot-wash “%s” is not a duration like 24h, 90m, 30s or "
                                 "HH:MM"), hot_wash);
  if (go_on && !resume)
    return wc_ctl_usage_error (_("--continue goes with --resume"));
  if (start_at && resume)
    return wc_ctl_usage_error (_("--start-at is for a new exercise, not with --resume"));
  if (redis && g_strcmp0 (listen, "none") == 0)
    return wc_ctl_usage_error (_("--redis needs the teams' server: relays send their requests "
                                 "to it (not --listen none)"));

  diag = wc_diagnostics_new (files[0]);
  scenario = wc_scenario_load (files[0], diag, &error);
  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      g_autofree char *line = wc_diagnostic_format (wc_diagnostics_get_item (diag, i));

      g_printerr ("%s\n", line);
    }
  if (scenario == NULL)
    return WC_CTL_EXIT_FAILED;

  if (resume)
    engine = wc_engine_resume (scenario, journal_path, &error);
  else if (g_file_test (journal_path, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("whitecellctl: %s already exists; use --resume to carry that exercise on\n"),
                  journal_path);
      return WC_CTL_EXIT_FAILED;
    }
  else
    engine = wc_engine_new (scenario, journal_path, &error);
  if (engine == NULL)
    {
      g_printerr ("whitecellctl: %s\n", error->message);
      return WC_CTL_EXIT_FAILED;
    }
  if (wc_engine_get_recovery_note (engine))
    g_printerr ("whitecellctl: %s\n", wc_engine_get_recovery_note (engine));

  loop = g_main_loop_new (NULL, FALSE);
  run.engine = engine;
  run.loop = loop;
  run.status = WC_CTL_EXIT_OK;
  run.tokens_out = tokens_out;
  g_signal_connect (engine, "record", G_CALLBACK (on_record), &run);
  g_signal_connect (engine, "journal-error", G_CALLBACK (on_journal_error), &run);
  g_signal_connect (engine, "notify::state", G_CALLBACK (on_state), &run);

  if (wc_engine_get_state (engine) == WC_ENGINE_ENDED)
    {
      g_autofree char *t = wc_time_format (wc_engine_get_time (engine), FALSE);

      printf (_("%s: the exercise has ended (at %s)\n"), journal_path, t);
      return WC_CTL_EXIT_OK;
    }
  if (g_strcmp0 (listen, "none") == 0)
    {
      /* Not serving, the session does not set the key: an exercise that has one (it was served
       * before) still seals its checkpoints and its end with it. */
      g_autofree char *tokens_path = wc_tokens_path_for_journal (journal_path);
      g_autoptr(GBytes) key = g_file_test (tokens_path, G_FILE_TEST_EXISTS)
                                ? wc_tokens_read_journal_key (tokens_path, NULL) : NULL;

      if (key)
        wc_journal_set_key (wc_engine_get_journal (engine), key);
    }
  else if (!start_serving (&run, listen, public_host, journal_path, resume, tls_cert, tls_key,
                      tokens_out, show_links, hot_wash_ms, &error))
    {
      g_printerr ("whitecellctl: %s\n", error->message);
      g_clear_object (&run.session);
      return WC_CTL_EXIT_FAILED;
    }
  if (redis && (publisher = start_publishing (&run, redis, listen, tls_cert != NULL,
                                                journal_path, &error)) == NULL)
    {
      g_printerr ("whitecellctl: %s\n", error->message);
      wc_session_close (run.session);
      g_clear_object (&run.session);
      return WC_CTL_EXIT_FAILED;
    }
  /* a resumed exercise keeps the speed it had unless told otherwise */
  if ((speed != 0 && !wc_engine_set_speed (engine, speed, &error)) ||
      (wc_engine_get_state (engine) == WC_ENGINE_READY && !wc_engine_start (engine, &error)) ||
      (start_ms > 0 && !wc_engine_jump (engine, start_ms, TRUE, &error)) ||
      (go_on && wc_engine_get_state (engine) == WC_ENGINE_PAUSED &&
       !wc_engine_resume_clock (engine, &error)))
    {
      g_printerr ("whitecellctl: %s\n", error->message);
      g_clear_object (&run.session);
      return WC_CTL_EXIT_FAILED;
    }
  if (wc_engine_get_state (engine) == WC_ENGINE_PAUSED)
    {
      g_autofree char *t = wc_time_format (wc_engine_get_time (engine), FALSE);

      printf (_("Paused at %s. Type “resume” to go on.\n"), t);
      fflush (stdout);
    }

  stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  run.input = g_data_input_stream_new (stdin_stream);
  run.cancellable = g_cancellable_new ();
  read_next_command (&run);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &run);
  end_id = g_timeout_add (100, check_end, &run);
  check_end (&run);
  if (wc_engine_get_state (engine) != WC_ENGINE_ENDED || in_hot_wash (&run))
    g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_source_remove (end_id);
  g_cancellable_cancel (run.cancellable);
  /* Let the cancelled read finish before its stream goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_handlers_disconnect_by_data (engine, &run);
  /* Whatever the server still had to write to the journal is written before we go. */
  if (run.session)
    wc_session_close (run.session);
  g_clear_object (&run.session);
  /* after the session's last records (a stop's), so that the relays have them too */
  if (publisher)
    wc_relay_publisher_close (publisher);
  g_clear_object (&run.input);
  g_clear_object (&run.cancellable);
  return run.status;
}
