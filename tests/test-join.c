/* test-join.c: teams can join. The machine's LAN addresses and which links reach only this
 * machine; a wildcard listen address makes links name a LAN address; the exercise being prepared
 * moves to the network and to another host name in its links, and is served there; the team
 * board warns about links only this computer opens, card by card and in one banner that goes once
 * the exercise is on the network; a new exercise opens Teams Joining by itself; the
 * communications check follows a team
 * that opens its page; the invitations print one page per team to a PDF. Screenshots and the PDF
 * are left in the build directory (whitecell-join-*). */
#define _GNU_SOURCE
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gui-test.h"
#include "wc-comms-check.h"
#include "wc-invitations.h"
#include "wc-presence.h"
#include "wc-scenario-loader.h"
#include "wc-session.h"
#include "wc-window.h"

static void
test_lan_addresses (void)
{
  g_auto(GStrv) addresses = wc_presence_list_lan_addresses ();

  for (guint i = 0; addresses[i]; i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (addresses[i]);

      g_test_message ("LAN address: %s", addresses[i]);
      g_assert_nonnull (address);
      g_assert_false (g_inet_address_get_is_loopback (address));
      g_assert_false (g_inet_address_get_is_link_local (address));
      /* IPv4 first: what a phone on the exercise's Wi-Fi most likely reaches */
      if (i > 0 && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
        {
          g_autoptr(GInetAddress) previous = g_inet_address_new_from_string (addresses[i - 1]);

          g_assert_cmpint (g_inet_address_get_family (previous), ==, G_SOCKET_FAMILY_IPV4);
        }
    }
}

typedef struct {
  const char *url;
  gboolean    local;
} LocalCase;

static const LocalCase local_cases[] = {
  { "http://127.0.0.1:8080/t/abc", TRUE },
  { "http://127.3.2.1:8080/t/abc", TRUE },
  { "http://localhost:8080/t/abc", TRUE },
  { "https://LOCALHOST/t/abc", TRUE },
  { "http://[::1]:8080/t/abc", TRUE },
  { "http://192.168.1.20:8080/t/abc", FALSE },
  { "http://exercise.example.org/t/abc", FALSE },
  { "http://[2001:db8::1]:8080/t/abc", FALSE },
  { "not a url", FALSE },
  { "", FALSE },
};

static void
test_url_is_local (gconstpointer data)
{
  const LocalCase *c = data;

  g_assert_cmpint (wc_presence_url_is_local (c->url), ==, c->local);
}

/* A link breaks after a "/" only: the token stays whole, and without the breaks it is the link. */
static void
test_breakable_url (void)
{
  const char *url = "http://192.168.1.20:8080/t/0123456789abcdef0123456789abcdef";
  g_autofree char *shown = wc_team_card_breakable_url (url);
  g_autoptr(GString) plain = g_string_new (shown);

  g_string_replace (plain, "\xe2\x80\x8b", "", 0);
  g_assert_cmpstr (plain->str, ==, url);
  g_assert_nonnull (strstr (shown, "http://192.168.1.20:8080/\xe2\x80\x8bt/\xe2\x80\x8b"
                                   "0123456789abcdef0123456789abcdef"));
  g_assert_null (strstr (shown, "http:/\xe2\x80\x8b"));
}

static char *
make_journal_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("whitecell-join-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, "exercise.jsonl", NULL);
}

static void
remove_journal (const char *journal)
{
  g_autofree char *dir = g_path_get_dirname (journal);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

static WcScenario *
load_sample (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("WC_SOURCE_ROOT"), "scenarios",
                                            "hospital-ransomware", "scenario.json", NULL);
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(GError) error = NULL;
  WcScenario *scenario = wc_scenario_load (path, diag, &error);

  g_assert_no_error (error);
  return scenario;
}

typedef struct {
  gboolean done;
  guint    status;
} Reply;

static void
on_reply (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Reply *r = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  r->status = soup_message_get_status (msg);
  r->done = TRUE;
}

/* GET @url (with @token as a team's bearer, when given) on the main loop; the status. */
static guint
get (const char *url,
     const char *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  Reply reply = { 0 };

  if (token)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_reply, &reply);
  WAIT_UNTIL (reply.done);
  return reply.status;
}

/* A port free on every address, below the kernel's ephemeral range (32768 and up here): the
 * test leaves its port and takes it back, and any other process's outgoing connection, or a
 * server on port 0, may be given an ephemeral port meanwhile (it happened beside the benches). */
static guint
free_fixed_port (void)
{
  for (guint attempt = 0; attempt < 200; attempt++)
    {
      guint port = g_random_int_range (20000, 32000);
      g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL);
      g_autoptr(GInetAddress) any = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (any, port);

      if (socket && g_socket_bind (socket, address, FALSE, NULL))
        return port;
    }
  g_assert_not_reached ();
}

/* Listening on every interface without a public host: links name a LAN address (a phone cannot
 * resolve this machine's bare host name); the exercise being prepared then moves to loopback
 * and back to the network under a host name, on the same port, and is served there. */
static void
test_session_hosts (void)
{
  g_autoptr(WcScenario) scenario = load_sample ();
  g_autofree char *journal = make_journal_path ();
  g_auto(GStrv) lan = wc_presence_list_lan_addresses ();
  WcSessionOptions options = { .host = "0.0.0.0", .port = free_fixed_port (), .serve = TRUE,
                               .headless = FALSE };
  g_autoptr(GError) error = NULL;
  g_autoptr(WcSession) session = wc_session_new (scenario, journal, &options, &error);
  WcServer *server;
  g_autofree char *url = NULL, *health = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(WcLiveTeam) team = NULL;
  guint port;

  g_assert_no_error (error);
  server = wc_session_get_server (session);
  port = wc_server_get_port (server);
  url = wc_server_get_join_url (server, "csirt");
  g_test_message ("0.0.0.0: %s", url);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  if (lan[0])
    g_assert_cmpstr (g_uri_get_host (uri), ==, lan[0]);
  else
    g_assert_cmpstr (g_uri_get_host (uri), !=, g_get_host_name ());

  /* loopback only: the links say so, and the board's team follows */
  g_assert_true (wc_session_set_join_host (session, "127.0.0.1", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (wc_session_get_listen_host (session), ==, "127.0.0.1");
  g_assert_cmpuint (wc_server_get_port (server), ==, port);
  team = g_list_model_get_item (wc_live_get_teams (wc_session_get_live (session)), 0);
  g_assert_true (wc_presence_url_is_local (wc_live_team_get_join_url (team)));
  health = g_strdup_printf ("http://127.0.0.1:%u/healthz", port);
  g_assert_cmpuint (get (health, NULL), ==, SOUP_STATUS_OK);

  /* the network, with a host name in the links: served there, on the same port */
  g_assert_true (wc_session_set_join_host (session, "0.0.0.0", "exercise.example.org", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (wc_session_get_listen_host (session), ==, "0.0.0.0");
  g_assert_cmpuint (wc_server_get_port (server), ==, port);
  g_assert_true (g_str_has_prefix (wc_live_team_get_join_url (team), "http://exercise.example.org:"));
  g_assert_false (wc_presence_url_is_local (wc_live_team_get_join_url (team)));
  g_assert_cmpuint (get (health, NULL), ==, SOUP_STATUS_OK);
  if (lan[0] && strchr (lan[0], ':') == NULL)
    {
      g_autofree char *lan_health = g_strdup_printf ("http://%s:%u/healthz", lan[0], port);

      g_assert_cmpuint (get (lan_health, NULL), ==, SOUP_STATUS_OK);
    }

  /* an address this machine does not have: an error, and the exercise is still served */
  g_assert_false (wc_session_set_join_host (session, "198.51.100.7", NULL, &error));
  g_assert_error (error, WC_SERVER_ERROR, WC_SERVER_ERROR_LISTEN);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpstr (wc_session_get_listen_host (session), ==, "0.0.0.0");
  g_assert_cmpuint (get (health, NULL), ==, SOUP_STATUS_OK);
  g_assert_false (wc_session_set_join_host (session, "not an address", NULL, &error));
  g_assert_error (error, WC_SERVER_ERROR, WC_SERVER_ERROR_LISTEN);
  g_clear_error (&error);

  wc_session_close (session);
  g_clear_object (&team);
  g_assert_finalize_object (g_steal_pointer (&session));
  remove_journal (journal);
}

static WcCommsCheck *
find_comms_check (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (WC_IS_COMMS_CHECK (window))
        return WC_COMMS_CHECK (window);
    }
  return NULL;
}

/* The pages of a PDF: its page objects (cairo writes each as "/Type /Page"). */
static guint
count_pdf_pages (const char *path)
{
  g_autofree char *data = NULL;
  gsize length;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_true (g_str_has_prefix (data, "%PDF-"));
  /* memmem, not g_strstr_len: the compressed streams hold NUL bytes */
  for (const char *p = data; (p = memmem (p, length - (p - data), "/Type /Page", 11)); p++)
    if (p[11] != 's')
      n++;
  return n;
}

static gboolean
find_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

/* pdftotext's text of page @page of @pdf, or NULL without poppler-utils. */
static char *
pdf_page_text (const char *pdf,
               guint       page)
{
  g_autofree char *first = g_strdup_printf ("%u", page);
  const char *argv[] = { "pdftotext", "-layout", "-f", first, "-l", first, pdf, "-", NULL };
  g_autofree char *out = NULL;
  int status;

  if (!find_program ("pdftotext"))
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static void
print_invitations (WcSession  *session,
                   const char *pdf)
{
  g_autoptr(GtkPrintOperation) operation = wc_invitations_new (session);
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;

  g_remove (pdf);
  gtk_print_operation_set_export_filename (operation, pdf);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, GTK_PRINT_OPERATION_RESULT_APPLY);
}

static void
on_resumed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_window_resume_journal_finish (result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static GtkWidget *
window_child (WcWindow   *window,
              const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), WC_TYPE_WINDOW, name));
}

/* The banner over the board is up, as far as the controller can tell. */
static gboolean
join_banner_shown (WcWindow *window)
{
  GtkWidget *banner = window_child (window, "join_banner");

  return gtk_widget_get_visible (banner) && gtk_revealer_get_reveal_child (GTK_REVEALER (banner));
}

/* The window as a controller prepares an exercise: a new exercise opens Teams Joining over the
 * window; the board warns about links that reach only this machine, each card and one banner
 * whose button opens Teams Joining again; the communications check moves the exercise to the
 * network, the banner goes; it then follows a team that opens its page; the invitations print
 * one page per team. */
static void
test_window (void)
{
  g_autofree char *scenario = g_build_filename (g_getenv ("WC_SOURCE_ROOT"), "scenarios",
                                                "hospital-ransomware", "scenario.json", NULL);
  g_autofree char *journal = make_journal_path ();
  g_autofree char *pdf = g_test_build_filename (G_TEST_BUILT, "whitecell-join-invitations.pdf", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *description = NULL, *card_text = NULL;
  g_auto(GStrv) lan = NULL;
  WcWindow *window;
  WcCommsCheck *check;
  WcSession *session;
  WcTeamCard *card;
  WcScenario *loaded;

  g_settings_set_uint (settings, "listen-port", 0);
  g_settings_set_boolean (settings, "accept-network", FALSE);
  g_settings_set_string (settings, "public-host", "");
  g_settings_set_boolean (settings, "show-joining-on-create", TRUE);
  window = wc_window_new (NULL, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wc_window_open_scenario (window, scenario, journal));
  session = wc_window_get_session (window);
  loaded = wc_session_get_scenario (session);

  /* a new exercise: Teams Joining opens by itself, over the window */
  WAIT_UNTIL ((check = find_comms_check ()) != NULL);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (check)) == GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (check)));
  gtk_window_destroy (GTK_WINDOW (check));
  WAIT_UNTIL (find_comms_check () == NULL);

  /* loopback: each card says its link opens only here */
  WAIT_UNTIL ((card = gui_test_find_card (wc_window_get_team_grid (window), "csirt")) != NULL);
  card_text = wc_team_card_describe (card);
  g_test_message ("%s", card_text);
  g_assert_nonnull (strstr (card_text, "only on this computer"));
  g_assert_true (join_banner_shown (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gui_test_iterate (300);
  gui_test_save_screenshot (GTK_WIDGET (window), "whitecell-join-board-local.png");

  /* the banner's button opens Teams Joining again */
  {
    g_autoptr(GPtrArray) buttons = gui_test_find_all (window_child (window, "join_banner"),
                                                      GTK_TYPE_BUTTON);

    g_assert_cmpuint (buttons->len, ==, 1);
    g_assert_cmpstr (gtk_button_get_label (buttons->pdata[0]), ==, "_Let Teams Join…");
    g_assert_true (gtk_widget_activate (buttons->pdata[0]));
  }
  WAIT_UNTIL ((check = find_comms_check ()) != NULL);
  g_assert_true (wc_comms_check_get_local_warning (check));
  description = wc_comms_check_describe (check);
  g_test_message ("%s", description);
  {
    g_auto(GStrv) lines = g_strsplit (description, "\n", 0);

    /* a line per team, and the empty one after the last */
    g_assert_cmpuint (g_strv_length (lines) - 1, ==, wc_scenario_get_n_teams (loaded));
  }
  g_assert_nonnull (strstr (description, "Page not opened yet"));
  g_assert_null (strstr (description, "Page opened"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (check));
  gui_test_iterate (300);
  gui_test_save_screenshot (GTK_WIDGET (check), "whitecell-join-check-local.png");

  /* to the network, links on the first LAN address: the warnings go, the setting is kept */
  lan = wc_comms_check_get_addresses (check);
  g_assert_true (wc_comms_check_apply (check, TRUE, 0, NULL));
  g_assert_true (g_settings_get_boolean (settings, "accept-network"));
  g_assert_cmpstr (wc_session_get_listen_host (session), ==, "0.0.0.0");
  if (lan[0])
    {
      g_autofree char *text = NULL;

      g_assert_false (wc_comms_check_get_local_warning (check));
      g_assert_false (join_banner_shown (window));
      text = wc_team_card_describe (card);
      g_assert_null (strstr (text, "only on this computer"));
      g_assert_nonnull (strstr (wc_live_team_get_join_url (wc_team_card_get_team (card)), lan[0]));
    }
  else
    {
      g_test_message ("no LAN address here: the links stay on this machine");
      g_assert_true (join_banner_shown (window));
    }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gui_test_iterate (300);
  gui_test_save_screenshot (GTK_WIDGET (window), "whitecell-join-board-network.png");

  /* a team opens its page: its line changes */
  {
    WcTokens *tokens = wc_session_get_tokens (session);
    g_autofree char *me = g_strdup_printf ("http://127.0.0.1:%u/api/v1/me",
                                           wc_server_get_port (wc_session_get_server (session)));
    g_autofree char *after = NULL;

    g_assert_cmpuint (get (me, wc_tokens_get_team_token (tokens, "csirt")), ==, SOUP_STATUS_OK);
    WAIT_UNTIL ((g_free (after), after = wc_comms_check_describe (check),
                 strstr (after, "Page opened, last seen") != NULL));
    g_test_message ("%s", after);
    g_assert_nonnull (g_strrstr (after, "no webhook"));
  }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (check));
  gui_test_iterate (300);
  gui_test_save_screenshot (GTK_WIDGET (check), "whitecell-join-check-network.png");

  /* the invitations: one page per team, in its language */
  print_invitations (session, pdf);
  g_assert_cmpuint (count_pdf_pages (pdf), ==, wc_scenario_get_n_teams (loaded));
  for (guint i = 0; i < wc_scenario_get_n_teams (loaded); i++)
    {
      const WcTeam *team = wc_scenario_get_team (loaded, i);
      g_autofree char *text = pdf_page_text (pdf, i + 1);
      g_autofree char *url = wc_server_get_join_url (wc_session_get_server (session), team->id);

      if (text == NULL)
        {
          g_test_message ("pdftotext is not installed: pages counted only");
          break;
        }
      g_assert_nonnull (strstr (text, wc_invitations_marking (team->language)));
      g_assert_nonnull (strstr (text, "TLP:"));
      g_assert_nonnull (strstr (text, wc_text_get (team->name, team->language, NULL)));
      /* the token on one line, whole */
      g_assert_nonnull (strstr (text, wc_tokens_get_team_token (wc_session_get_tokens (session),
                                                                team->id)));
      g_assert_nonnull (url);
    }
  g_assert_cmpstr (wc_invitations_marking ("nl"), ==, "OEFENING");
  g_assert_cmpstr (wc_invitations_marking ("fr-BE"), ==, "EXERCICE");
  g_assert_cmpstr (wc_invitations_marking ("de"), ==, "EXERCISE");
  if (find_program ("pdftoppm"))
    {
      g_autofree char *prefix = g_test_build_filename (G_TEST_BUILT, "whitecell-join-invitation", NULL);
      const char *argv[] = { "pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", pdf, prefix, NULL };
      int status;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                                   NULL, &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }

  gtk_window_destroy (GTK_WINDOW (check));
  gtk_window_destroy (GTK_WINDOW (window));
  gui_test_iterate (50);

  /* resumed, the exercise was prepared before: Teams Joining stays closed, the banner tells */
  {
    gboolean resumed = FALSE;

    g_settings_set_boolean (settings, "accept-network", FALSE);
    window = wc_window_new (NULL, settings);
    gtk_window_present (GTK_WINDOW (window));
    wc_window_resume_journal_async (window, journal, on_resumed, &resumed);
    WAIT_UNTIL (resumed);
    g_assert_true (wc_window_has_exercise (window));
    gui_test_iterate (300);
    g_assert_null (find_comms_check ());
    g_assert_true (join_banner_shown (window));
    gtk_window_destroy (GTK_WINDOW (window));
    gui_test_iterate (50);
  }
  remove_journal (journal);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/whitecell/join/lan-addresses", test_lan_addresses);
  for (guint i = 0; i < G_N_ELEMENTS (local_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/join/url-is-local/%u", i);

      g_test_add_data_func (name, &local_cases[i], test_url_is_local);
    }
  g_test_add_func ("/whitecell/join/breakable-url", test_breakable_url);
  g_test_add_func ("/whitecell/join/session-hosts", test_session_hosts);
  g_test_add_func ("/whitecell/join/window", test_window);
  return g_test_run ();
}
