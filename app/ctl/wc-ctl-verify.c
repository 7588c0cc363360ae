/* wc-ctl-verify.c: `whitecellctl verify [--json] [--tokens FILE] JOURNAL`. */
#define G_LOG_DOMAIN "whitecellctl"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "wc-ctl.h"
#include "wc-journal.h"
#include "wc-scenario.h"
#include "wc-tokens.h"

static const char *const verdict_names[] = {
  "sound", "bad-header", "bad-line", "edited", "out-of-order", "truncated", "forged"
};
G_STATIC_ASSERT (G_N_ELEMENTS (verdict_names) == WC_JOURNAL_FORGED + 1);

/* 1234567 as "1,234,567": the same in every locale, as the app and the report print it. */
static char *
group_thousands (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" PRIu64, n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* How far the journal is sealed, for a sound journal; @no_key says why seals were not checked. */
static char *
describe_seals (const WcJournalVerifyResult *r,
                const char                  *no_key)
{
  g_autofree char *last = group_thousands (r->last_sealed_seq);
  g_autofree char *after = group_thousands (r->n_records - r->last_sealed_seq);
  guint64 n_after = r->n_records - r->last_sealed_seq;

  if (!r->seals_checked)
    return g_strdup_printf (_("seals not checked (%s)"), no_key);
  if (r->n_records == 0)
    return g_strdup (_("no record yet"));
  if (r->last_sealed_seq == 0)
    return g_strdup (_("no record is sealed: none can be authenticated"));
  if (n_after == 0)
    return g_strdup_printf (_("sealed through record %s (its end)"), last);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "sealed through record %s; the last %s record comes after "
                                       "the last seal and cannot be authenticated",
                                       "sealed through record %s; the last %s records come after "
                                       "the last seal and cannot be authenticated", n_after),
                          last, after);
}

static void
print_json (const char                  *path,
            const WcJournalVerifyResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "verdict");
  json_builder_add_string_value (b, verdict_names[r->verdict]);
  json_builder_set_member_name (b, "records");
  json_builder_add_int_value (b, r->n_records);
  json_builder_set_member_name (b, "head");
  json_builder_add_string_value (b, r->head_hash);
  json_builder_set_member_name (b, "seals_checked");
  json_builder_add_boolean_value (b, r->seals_checked);
  json_builder_set_member_name (b, "sealed_through");
  json_builder_add_int_value (b, r->last_sealed_seq);
  if (r->verdict != WC_JOURNAL_SOUND)
    {
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, r->bad_line);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, r->message);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

int
wc_ctl_verify (int    argc,
               char **argv)
{
  gboolean as_json = FALSE;
  g_autofree char *tokens_path = NULL;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the verdict as JSON"), NULL },
    { "tokens", 0, 0, G_OPTION_ARG_FILENAME, &tokens_path,
      N_("The exercise's tokens file, whose key checks the seals (default: JOURNAL.tokens.json)"),
      N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("JOURNAL — check a journal's hash chain"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autofree char *no_key = NULL;
  WcJournalVerifyResult result;
  int status;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Checks every link of the journal's hash chain, and with the "
                                  "exercise's key every seal.\nExit status: 0 when it is sound, 1 "
                                  "when a line was edited, deleted, moved, cut short or forged "
                                  "(the first such line is named), 2 on misuse."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return wc_ctl_usage_error ("%s", error->message);
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    return wc_ctl_usage_error (_("verify takes exactly one journal"));

  if (tokens_path != NULL)
    {
      /* asked for by name: a key that cannot be read is an error, not a check quietly skipped */
      if ((key = wc_tokens_read_journal_key (tokens_path, &error)) == NULL)
        {
          g_printerr ("whitecellctl: %s\n", error->message);
          return WC_CTL_EXIT_FAILED;
        }
    }
  else
    {
      tokens_path = wc_tokens_path_for_journal (files[0]);
      if (!g_file_test (tokens_path, G_FILE_TEST_EXISTS))
        no_key = g_strdup_printf (_("no %s: give the exercise's tokens file with --tokens FILE"),
                                  tokens_path);
      else if ((key = wc_tokens_read_journal_key (tokens_path, &error)) == NULL)
        no_key = g_strdup (error->message);
    }

  if (!wc_journal_verify_file_with_key (files[0], key, &result, &error))
    {
      g_printerr ("whitecellctl: %s\n", error->message);
      return WC_CTL_EXIT_FAILED;
    }
  if (as_json)
    print_json (files[0], &result);
  else if (result.verdict == WC_JOURNAL_SOUND)
    {
      g_autofree char *t = wc_time_format (result.last_t_ms, FALSE);
      g_autofree char *count = group_thousands (result.n_records);
      g_autofree char *seals = describe_seals (&result, no_key);

      printf (g_dngettext (GETTEXT_PACKAGE,
                           "%s: sound — %s record, head %s (compare with the app and the "
                           "report); %s\n",
                           "%s: sound — %s records, head %s (compare with the app and the "
                           "report); %s\n", result.n_records),
              files[0], count, result.head_hash, seals);
      printf (_("  exercise %s, up to %s (last written %s)\n"),
              result.exercise_id ? result.exercise_id : "?", t,
              result.last_time ? result.last_time : "—");
    }
  else
    g_printerr ("%s:%u: %s: %s\n", files[0], result.bad_line, _("error"), result.message);
  status = result.verdict == WC_JOURNAL_SOUND ? WC_CTL_EXIT_OK : WC_CTL_EXIT_FAILED;
  wc_journal_verify_result_clear (&result);
  return status;
}
