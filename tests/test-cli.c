/* test-cli.c: whitecellctl's exit codes and messages, run as a user would. */
#include "config.h"

#include <glib.h>
#include <string.h>
#include <sys/wait.h>

#include "test-util.h"
#include "wc-journal.h"
#include "wc-tokens.h"

typedef struct {
  const char *name;
  const char *args;      /* space-separated; {F} is the fixtures folder, {T} the journals' */
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
  { "export-cexf", "export --format cexf {F}/valid.json -o {T}/valid-cexf.json", 0, NULL, NULL },
  { "export-unknown-format", "export {F}/valid.json -o {T}/valid.txt", 2, NULL,
    "export writes csv, xlsx, ods or cexf" },
  { "export-bad-format", "export --format pdf {F}/valid.json -o {T}/valid.pdf", 2, NULL,
    "export writes csv, xlsx, ods or cexf" },
  /* journals written by make_journals(): sealed at records 2 and 4 (its end) */
  { "verify-sealed", "verify {T}/sealed.jsonl", 0,
    "sealed.jsonl: sound — 4 records, head ", NULL },
  { "verify-sealed-to-end", "verify {T}/sealed.jsonl", 0,
    "(compare with the app and the report); sealed through record 4 (its end)", NULL },
  { "verify-tokens-option", "verify --tokens {T}/sealed.jsonl.tokens.json {T}/cut.jsonl", 0,
    "sealed through record 2; the last 1 record comes after the last seal and cannot be "
    "authenticated", NULL },
  { "verify-no-key", "verify {T}/cut.jsonl", 0,
    "sound — 3 records, head ", NULL },
  { "verify-no-key-said", "verify {T}/cut.jsonl", 0,
    "seals not checked (no ", NULL },
  { "verify-wrong-key", "verify --tokens {T}/wrong.tokens.json {T}/sealed.jsonl", 1, NULL,
    "sealed.jsonl:3: error: the seal of record 2 does not match: records were rewritten by "
    "someone without the exercise's key" },
  { "verify-missing-tokens", "verify --tokens {T}/none.json {T}/sealed.jsonl", 1, NULL,
    "none.json" },
  { "verify-json", "verify --json {T}/sealed.jsonl", 0, "\"sealed_through\" : 4", NULL },
  { "verify-json-forged", "verify --json --tokens {T}/wrong.tokens.json {T}/sealed.jsonl", 1,
    "\"verdict\" : \"forged\"", NULL },
  { "verify-missing-journal", "verify {T}/none.jsonl", 1, NULL, "none.jsonl" },
  { "verify-no-journal", "verify", 2, NULL, "verify takes exactly one journal" },
  { "verify-two-journals", "verify {T}/sealed.jsonl {T}/cut.jsonl", 2, NULL,
    "verify takes exactly one journal" },
};

static char *journals;

static void
write_tokens (const char *path,
              guint8      fill)
{
  g_autoptr(GString) doc = g_string_new ("{\"format\":\"whitecell-tokens\",\"journal_key\":\"");

  for (guint i = 0; i < 32; i++)
    g_string_append_printf (doc, "%02x", (guint8) (fill + i));
  g_string_append (doc, "\"}");
  g_assert_true (g_file_set_contents (path, doc->str, -1, NULL));
}

/* {T}: sealed.jsonl (4 records, sealed at 2 and 4) with its tokens file beside it; cut.jsonl, the
 * same without its last line and without a tokens file; wrong.tokens.json, another key. */
static void
make_journals (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *tokens = NULL;
  g_autofree char *cut = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(WcJournal) journal = NULL;
  g_autoptr(GBytes) key = NULL;
  gsize length;

  journals = g_dir_make_tmp ("whitecell-cli-XXXXXX", &error);
  g_assert_no_error (error);
  sealed = g_build_filename (journals, "sealed.jsonl", NULL);
  tokens = g_strconcat (sealed, ".tokens.json", NULL);
  cut = g_build_filename (journals, "cut.jsonl", NULL);
  wrong = g_build_filename (journals, "wrong.tokens.json", NULL);
  write_tokens (tokens, 1);
  write_tokens (wrong, 2);
  key = wc_tokens_read_journal_key (tokens, &error);
  g_assert_no_error (error);
  journal = wc_journal_create (sealed, "ex", "s.json", "x", NULL, &error);
  g_assert_no_error (error);
  wc_journal_set_key (journal, key);
  for (guint i = 1; i <= 4; i++)
    {
      g_autoptr(JsonObject) d = json_object_new ();

      /* the even ones are checkpoints, sealed */
      if (i % 2)
        g_assert_cmpuint (wc_journal_append (journal, i * 1000, "note", d, &error), ==, i);
      else
        g_assert_cmpuint (wc_journal_append_sealed (journal, i * 1000, "checkpoint", d, &error),
                          ==, i);
    }
  g_assert_true (wc_journal_sync (journal, &error));
  g_assert_true (g_file_get_contents (sealed, &contents, &length, NULL));
  /* without its last line */
  contents[length - 1] = '\0';
  *(strrchr (contents, '\n') + 1) = '\0';
  g_assert_true (g_file_set_contents (cut, contents, -1, NULL));
}


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
      g_string_replace (word, "{T}", journals, 0);
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
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("WC_CTL"));
  make_journals ();
  for (guint i = 0; i < G_N_ELEMENTS (cli_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/whitecell/cli/%s", cli_cases[i].name);

      g_test_add_data_func (name, &cli_cases[i], test_cli);
    }
  status = g_test_run ();
  wc_test_remove_dir (journals);
  g_clear_pointer (&journals, g_free);
  return status;
}
