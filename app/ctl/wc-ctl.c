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
  { "run", wc_ctl_run, N_("Play a scenario headless, journaling everything") },
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
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
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
