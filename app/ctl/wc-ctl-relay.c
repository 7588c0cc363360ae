/* wc-ctl-relay.c: `whitecellctl relay`: serves teams from an exercise's records in Redis. */
#define G_LOG_DOMAIN "whitecellctl"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "wc-ctl.h"
#include "wc-relay.h"

typedef struct {
  GMainLoop *loop;
  WcRelay   *relay;
  gboolean   told;
} RelayRun;

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (((RelayRun *) user_data)->loop);
  return G_SOURCE_CONTINUE;
}

/* Tells once that the relay serves (it answers 503 until it has caught up), and when it stops. */
static gboolean
watch (gpointer user_data)
{
  RelayRun *run = user_data;

  if (wc_relay_get_error (run->relay))
    {
      g_printerr ("whitecellctl: %s\n", wc_relay_get_error (run->relay));
      g_main_loop_quit (run->loop);
    }
  else if (!run->told && wc_relay_get_caught_up (run->relay))
    {
      g_autofree char *base = wc_server_get_base_url (wc_relay_get_server (run->relay));

      run->told = TRUE;
      /* %llu, not G_GUINT64_FORMAT: xgettext cannot see through that macro */
      printf (_("Relaying exercise %s on %s (at record %llu)\n"),
              wc_relay_get_exercise (run->relay), base,
              (unsigned long long) wc_relay_get_seq (run->relay));
      fflush (stdout);
    }
  return G_SOURCE_CONTINUE;
}

int
wc_ctl_relay (int    argc,
              char **argv)
{
  g_autofree char *redis = NULL;
  g_autofree char *exercise = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *public_host = NULL;
  g_autofree char *host = NULL;
  g_autofree char *reply_timeout = NULL;
  const GOptionEntry entries[] = {
    { "redis", 0, 0, G_OPTION_ARG_STRING, &redis, N_("The Redis the controller publishes to (redis://[:PASSWORD@]HOST[:PORT][/DB])"), N_("URL") },
    { "exercise", 0, 0, G_OPTION_ARG_STRING, &exercise, N_("The exercise's id (default: the only one in Redis)"), N_("ID") },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen, N_("Serve teams on HOST:PORT (default 127.0.0.1:8090)"), N_("HOST:PORT") },
    { "public-host", 0, 0, G_OPTION_ARG_STRING, &public_host, N_("The host name teams reach the relays by"), N_("HOST") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_("Serve HTTPS with this certificate (PEM)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_("The certificate's private key (PEM)"), N_("FILE") },
    { "reply-timeout", 0, 0, G_OPTION_ARG_STRING, &reply_timeout, N_("Answer 504 to a request the controller has not answered within SECONDS (1–600, default 30; keep it below the load balancer's timeout)"), N_("SECONDS") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— serve teams from Redis"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(WcRelay) relay = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  RelayRun run = { 0 };
  guint port, sigint_id, sigterm_id, watch_id;
  guint64 reply_timeout_s = WC_RELAY_REPLY_TIMEOUT_S;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Serves the teams' pages, REST API and event streams of an exercise that `whitecellctl run "
      "… --redis URL` plays, from its records in Redis; what teams send goes to the controller "
      "through Redis and is answered once journaled. Run as many as needed behind a load "
      "balancer; see docs/SCALING.md."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return wc_ctl_usage_error ("%s", error->message);
  if (argc > 1)
    return wc_ctl_usage_error (_("relay takes no file"));
  if (redis == NULL)
    return wc_ctl_usage_error (_("relay needs --redis URL"));
  if (!wc_ctl_parse_listen (listen ? listen : "127.0.0.1:8090", &host, &port))
    return wc_ctl_usage_error (_("--listen “%s” is not HOST:PORT"), listen);
  if ((tls_cert == NULL) != (tls_key == NULL))
    return wc_ctl_usage_error (_("--tls-cert and --tls-key go together"));
  if (reply_timeout && !g_ascii_string_to_unsigned (reply_timeout, 10, 1,
                                                     WC_RELAY_REPLY_TIMEOUT_MAX_S,
                                                     &reply_timeout_s, NULL))
    return wc_ctl_usage_error (_("--reply-timeout “%s” is not a whole number of seconds from 1 "
                                 "to %d"), reply_timeout, WC_RELAY_REPLY_TIMEOUT_MAX_S);
  if (tls_cert && (certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error)) == NULL)
    {
      g_printerr ("whitecellctl: %s\n", error->message);
      return WC_CTL_EXIT_FAILED;
    }

  loop = g_main_loop_new (NULL, FALSE);
  relay = wc_relay_new (redis, exercise, &error);
  if (relay)
    wc_relay_set_reply_timeout (relay, (guint) reply_timeout_s);
  if (relay == NULL || !wc_relay_start (relay, host, port, certificate, &error))
    {
      g_printerr ("whitecellctl: %s\n", error->message);
      if (relay)
        wc_relay_close (relay);
      return WC_CTL_EXIT_FAILED;
    }
  if (public_host)
    wc_server_set_public_host (wc_relay_get_server (relay), public_host);
  run.loop = loop;
  run.relay = relay;
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &run);
  watch_id = g_timeout_add (100, watch, &run);
  watch (&run);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_source_remove (watch_id);
  wc_relay_close (relay);
  return wc_relay_get_error (relay) ? WC_CTL_EXIT_FAILED : WC_CTL_EXIT_OK;
}
