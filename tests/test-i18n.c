/* test-i18n.c: whitecellctl in Dutch and French, with the catalogues meson built into the build
 * folder (WC_LOCALEDIR): help, a validate finding in its FILE:LINE:COL form, an error message,
 * the locale followed without LANGUAGE, and `report --lang` writing every heading, date and
 * number in its language whatever the process's locale. */
#include "config.h"

#include <gio/gio.h>
#include <locale.h>
#include <string.h>
#include <sys/wait.h>

#include "test-util.h"

typedef struct {
  const char *language;   /* LANGUAGE, or NULL */
  const char *lc_all;     /* LC_ALL */
  const char *args;       /* after whitecellctl, split on spaces; {F} is the fixtures folder */
  int         status;
  const char *out;        /* expected in stdout, or NULL */
  const char *err;        /* expected in stderr, or NULL */
} CtlCase;

/* whitecellctl under @language/@lc_all; its status, and stdout and stderr in @out and @err. */
static int
run_ctl (const char  *language,
         const char  *lc_all,
         const char  *const *args,
         char       **out,
         char       **err)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_strv_builder_add (builder, g_getenv ("WC_CTL"));
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  envp = language ? g_environ_setenv (envp, "LANGUAGE", language, TRUE)
                  : g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_setenv (envp, "LC_ALL", lc_all, TRUE);
  g_assert_true (g_spawn_sync (NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", *out, *err);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

static gboolean
locale_available (const char *name)
{
  locale_t l = newlocale (LC_ALL_MASK, name, (locale_t) 0);

  if (l == (locale_t) 0)
    return FALSE;
  freelocale (l);
  return TRUE;
}

static void
test_ctl (gconstpointer data)
{
  const CtlCase *c = data;
  g_autofree char *fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", "scenario", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) args = g_strsplit (c->args, " ", -1);

  if (!locale_available (c->lc_all))
    {
      /* .ci/run generates nl_BE.UTF-8 and fr_BE.UTF-8 */
      g_test_skip_printf ("the locale %s is not generated", c->lc_all);
      return;
    }
  for (guint i = 0; args[i]; i++)
    if (strstr (args[i], "{F}"))
      {
        g_autoptr(GString) word = g_string_new (args[i]);

        g_string_replace (word, "{F}", fixtures, 0);
        g_free (args[i]);
        args[i] = g_string_free (g_steal_pointer (&word), FALSE);
      }
  g_assert_cmpint (run_ctl (c->language, c->lc_all, (const char *const *) args, &out, &err), ==,
                   c->status);
  if (c->out)
    g_assert_nonnull (strstr (out, c->out));
  if (c->err)
    g_assert_nonnull (strstr (err, c->err));
}

/* The report's own headings in English: none of them may be left in a Dutch or French report.
 * ("Teams" is also Dutch, and "Classification"/"Participants" French: not listed.) */
static const char *const english_headings[] = {
  "After-action report", "Exercise overview", "Summary", "Analysis of objectives",
  "Timeline", "Participants&apos;", "Notes and observations", "Improvement plan",
  "Findings from the journal", "Chronology", "Evidence: expected actions",
  "Strengths and areas for improvement", "Exercise staff", "Report status", "Identifier",
  "Median to acknowledge", "Median to answer", "Expected actions", "Exercise time",
  "Injects received", "journal created", "played up to", "Journal verified", NULL,
};

typedef struct {
  const char *lang;
  const char *lc_all;            /* the process's locale, another language on purpose */
  const char *const *expected;   /* in the report */
  gboolean    english;           /* the English headings are expected (en) or refused */
} ReportCase;

/* A short exercise of the fixture scenario, journaled by `whitecellctl run`. */
static char *
play (const char *dir)
{
  g_autofree char *scenario = g_test_build_filename (G_TEST_DIST, "fixtures", "scenario",
                                                     "valid.json", NULL);
  char *journal = g_build_filename (dir, "exercise.jsonl", NULL);
  const char *argv[] = { g_getenv ("WC_CTL"), "run", "--listen", "none", "--hot-wash", "0",
                         "--journal", journal, scenario, NULL };
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, "note checked\nend\n", NULL, NULL, NULL,
                                                &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  return journal;
}

static void
test_report (gconstpointer data)
{
  const ReportCase *c = data;
  g_autofree char *dir = g_dir_make_tmp ("whitecell-i18n-XXXXXX", NULL);
  g_autofree char *journal = play (dir);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "report", "--lang", c->lang, "-o", "-", journal, NULL };

  if (!locale_available (c->lc_all))
    {
      g_test_skip_printf ("the locale %s is not generated", c->lc_all);
      wc_test_remove_dir (dir);
      return;
    }
  g_assert_cmpint (run_ctl (NULL, c->lc_all, args, &out, &err), ==, 0);
  for (guint i = 0; c->expected[i]; i++)
    {
      g_test_message ("expecting “%s”", c->expected[i]);
      g_assert_nonnull (strstr (out, c->expected[i]));
    }
  for (guint i = 0; english_headings[i]; i++)
    {
      g_test_message ("%s “%s”", c->english ? "expecting" : "refusing", english_headings[i]);
      if (c->english)
        g_assert_nonnull (strstr (out, english_headings[i]));
      else
        g_assert_null (strstr (out, english_headings[i]));
    }
  /* the SVG's coordinates keep their decimal point in every language */
  g_assert_null (strstr (out, "x1=\"0,"));
  wc_test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  static const CtlCase ctl_cases[] = {
    { "nl", "C.UTF-8", "--help", 0, "Gebruik: whitecellctl OPDRACHT", NULL },
    { "fr", "C.UTF-8", "--help", 0, "Utilisation\u00a0: whitecellctl COMMANDE", NULL },
    { "nl", "C.UTF-8", "frobnicate", 2, NULL, "onbekende opdracht “frobnicate”" },
    { "fr", "C.UTF-8", "frobnicate", 2, NULL, "commande inconnue «\u00a0frobnicate\u00a0»" },
    { "nl", "C.UTF-8", "validate {F}/unknown-team.json", 1, NULL,
      "unknown-team.json:20:62: fout: onbekend team \"csirtt\" (in $.injects[0].to[0]); "
      "bedoelde u \"csirt\"?" },
    { "fr", "C.UTF-8", "validate {F}/unknown-team.json", 1, NULL,
      "unknown-team.json:20:62: erreur: équipe inconnue \"csirtt\" (dans $.injects[0].to[0]); "
      "vouliez-vous dire \"csirt\"\u00a0?" },
    { "nl", "C.UTF-8", "validate {F}/valid.json", 0, "valid.json: geldig: 3 teams, ", NULL },
    { "fr", "C.UTF-8", "validate {F}/valid.json", 0, "valid.json\u00a0: valide\u00a0: 3 équipes, ",
      NULL },
    /* no LANGUAGE: the locale alone */
    { NULL, "nl_BE.UTF-8", "report", 2, NULL, "report verwacht precies één logboek" },
    { NULL, "fr_BE.UTF-8", "report", 2, NULL, "report attend exactement un journal" },
  };
  static const char *const nl_expected[] = {
    "Evaluatieverslag", "Overzicht van de oefening", "Samenvatting", "Verbeterplan",
    "logboek aangemaakt op", " UTC", "Logboek gecontroleerd", NULL,
  };
  static const char *const fr_expected[] = {
    "Rapport de retour d'expérience", "Aperçu de l&apos;exercice", "Synthèse",
    "Plan d&apos;amélioration", "journal créé le", " UTC", "Journal vérifié", NULL,
  };
  static const char *const en_expected[] = { NULL };
  /* each in a process whose locale is another language's */
  static const ReportCase report_cases[] = {
    { "nl", "fr_BE.UTF-8", nl_expected, FALSE },
    { "fr", "nl_BE.UTF-8", fr_expected, FALSE },
    { "en", "fr_BE.UTF-8", en_expected, TRUE },
  };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (ctl_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/whitecell/i18n/ctl/%s/%u",
                                               ctl_cases[i].language ? ctl_cases[i].language
                                                                     : ctl_cases[i].lc_all, i);

      g_test_add_data_func (path, &ctl_cases[i], test_ctl);
    }
  for (guint i = 0; i < G_N_ELEMENTS (report_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/whitecell/i18n/report/%s", report_cases[i].lang);

      g_test_add_data_func (path, &report_cases[i], test_report);
    }
  return g_test_run ();
}
