/* wc-ctl.c: whitecellctl, the command-line face of the Whitecell core. */
#define G_LOG_DOMAIN "whitecellctl"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "wc-ctl.h"

typedef struct {
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "validate", wc_ctl_validate, N_("Check scenario files and report every problem") },
  { "msel", wc_ctl_msel, N_("Import or export an MSEL spreadsheet (CSV)") },
  { "import", wc_ctl_import, N_("Import a sheet (CSV, XLSX, ODS) or another tool's scenario, explaining the mapping") },
  { "export", wc_ctl_export, N_("Write a scenario as a CSV, XLSX or ODS sheet that imports back") },
  { "run", wc_ctl_run, N_("Play a scenario headless, journaling everything") },
  { "relay", wc_ctl_relay, N_("Serve teams from an exercise's records in Redis (see docs/SCALING.md)") },
  { "report", wc_ctl_report, N_("Write the after-action report of an exercise from its journal") },
  { "verify", wc_ctl_verify, N_("Check that an exercise journal is complete and untouched") },
};

int
wc_ctl_usage_error (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("whitecellctl: %s\n", message);
  return WC_CTL_EXIT_USAGE;
}

char *
wc_ctl_describe_scenario (WcScenario *scenario,
                          gboolean    with_actors)
{
  guint n_teams = wc_scenario_get_n_teams (scenario);
  guint n_actors = wc_scenario_get_n_actors (scenario);
  guint n_injects = wc_scenario_get_n_injects (scenario);
  g_autofree char *duration = wc_time_format (wc_scenario_get_duration_ms (scenario), TRUE);
  g_autofree char *teams = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u team", "%u teams",
                                                         n_teams), n_teams);
  g_autofree char *actors = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u actor", "%u actors",
                                                          n_actors), n_actors);
  g_autofree char *injects = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u inject",
                                                           "%u injects", n_injects), n_injects);

  if (with_actors)
    /* Translators: "7 teams, 3 actors, 32 injects, duration T+04:00" */
    return g_strdup_printf (_("%s, %s, %s, duration %s"), teams, actors, injects, duration);
  /* Translators: "7 teams, 32 injects, duration T+04:00" */
  return g_strdup_printf (_("%s, %s, duration %s"), teams, injects, duration);
}

/* Messages in the catalogues that meson builds; tests point WC_LOCALEDIR at the build's. */
static const char *
locale_dir (void)
{
  const char *dir = g_getenv ("WC_LOCALEDIR");

  return dir && *dir ? dir : LOCALEDIR;
}

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: whitecellctl COMMAND [OPTION…] [ARGUMENT…]"));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “whitecellctl COMMAND --help” for a command's options."));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  /* numbers in files (CSV, JSON, the report's SVG) keep a decimal point: a report writes its
   * numbers for readers in its own language explicitly (wc_report_decimal) */
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("whitecellctl");

  if (argc < 2)
    {
      print_help (stderr);
      return WC_CTL_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_help (stdout);
      return WC_CTL_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("whitecellctl %s\n", PACKAGE_VERSION);
      return WC_CTL_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  wc_ctl_usage_error (_("unknown command “%s”"), argv[1]);
  print_help (stderr);
  return WC_CTL_EXIT_USAGE;
}
