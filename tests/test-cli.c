/* test-cli.c: whitecellctl's exit codes and messages, run as a user would. */
#include "config.h"

#include <glib.h>
#include <string.h>
#include <sys/wait.h>

typedef struct {
  const char *name;
  const char *args;      /* space-separated; {F} is the fixtures folder */
  int         status;
  const char *out;       /* a part of standard output, nullable */
  const char *err;       /* a part of standard error, nullable */
} CliCase;

static const CliCase cli_cases[] = {
  { "no-arguments", "", 2, NULL, "Usage: whitecellctl COMMAND" },
  { "help", "--help", 0, "validate", NULL },
  { "unknown-command", "frobnicate", 2, NULL, "unknown command “frobnicate”" },
  { "validate-valid", "validate {F}/valid.json", 0,
    "valid.json: valid: 3 teams, 5 injects, duration T+02:00", NULL },
  { "validate-warning", "validate {F}/unknown-field.json", 0, "(1 warning)",
    "unknown-field.json:10:28: warning: unknown field \"objectivs\"" },
  { "validate-invalid", "validate {F}/unknown-team.json", 1, NULL,
    "unknown-team.json:20:62: error: unknown team \"csirtt\"" },
  { "validate-one-bad-of-two", "validate {F}/valid.json {F}/cycle.json", 1, "valid.json: valid",
    "cycle.json:20:57: error: triggers form a cycle" },
  { "validate-missing-file", "validate {F}/does-not-exist.json", 1, NULL, "does-not-exist.json" },
  { "validate-no-file", "validate", 2, NULL, "needs at least one scenario file" },
  { "validate-bad-option", "validate --frob {F}/valid.json", 2, NULL, "--frob" },
  { "validate-json", "validate --json {F}/malformed.json", 1, "\"line\" : 20", NULL },
  { "validate-json-valid", "validate --json {F}/valid.json", 0, "\"injects\" : 5", NULL },
};

static void
test_cli (gconstpointer data)
{
  const CliCase *c = data;
  g_autofree char *fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", "scenario", NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) words = g_strsplit (c->args, " ", -1);
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_strv_builder_add (builder, g_getenv ("WC_CTL"));
  for (guint i = 0; words[i]; i++)
    {
      g_autoptr(GString) word = g_string_new (words[i]);

      if (*words[i] == '\0')
        continue;
      g_string_replace (word, "{F}", fixtures, 0);
      g_strv_builder_add (builder, word->str);
    }
  argv = g_strv_builder_end (builder);
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", out, err);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, c->status);
  if (c->out)
    g_assert_nonnull (strstr (out, c->out));
  if (c->err)
    g_assert_nonnull (strstr (err, c->err));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("WC_CTL"));
  for (guint i = 0; i < G_N_ELEMENTS (cli_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/cli/%s", cli_cases[i].name);

      g_test_add_data_func (name, &cli_cases[i], test_cli);
    }
  return g_test_run ();
}
