/* main.c: the whitecell executable: the controller's desktop app. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "wc-application.h"

/* The language chosen in Preferences ("" follows the desktop's), applied before the first
 * translated word: gettext keeps what it has found. LANGUAGE outranks LANG and LC_MESSAGES. */
static void
apply_language_setting (void)
{
  g_autoptr(GSettings) settings = wc_application_open_settings ();
  g_autofree char *language = g_settings_get_string (settings, "language");

  if (*language)
    g_setenv ("LANGUAGE", language, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(WcApplication) app = NULL;
  const char *locale_dir = g_getenv ("WC_LOCALEDIR");

  apply_language_setting ();
  setlocale (LC_ALL, "");
  /* run from the build folder, the catalogues meson built (WC_LOCALEDIR=<build>/po) */
  bindtextdomain (GETTEXT_PACKAGE, locale_dir && *locale_dir ? locale_dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  app = wc_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
