/* wc-ctl-verify.c: `whitecellctl verify [--json] JOURNAL`. */
#define G_LOG_DOMAIN "whitecellctl"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>

#include "wc-ctl.h"
#include "wc-journal.h"
#include "wc-scenario.h"

static const char *const verdict_names[] = {
  "sound", "bad-header", "bad-line", "edited", "out-of-order", "truncated"
};

int
wc_ctl_verify (int    argc,
               char **argv)
{
  gboolean as_json = FALSE;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the verdict as JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("JOURNAL — check a journal's hash chain"));
  g_autoptr(GError) error = NULL;
  WcJournalVerifyResult result;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Checks every link of the journal's hash chain.\nExit status: 0 "
                                  "when it is sound, 1 when a line was edited, deleted, moved or "
                                  "cut short (the first such line is named), 2 on misuse."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return wc_ctl_usage_error ("%s", error->message);
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    return wc_ctl_usage_error (_("verify takes exactly one journal"));

  if (!wc_journal_verify_file (files[0], &result, &error))
    {
      g_printerr ("whitecellctl: %s\n", error->message);
      return WC_CTL_EXIT_FAILED;
    }
  if (as_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, files[0]);
      json_builder_set_member_name (b, "verdict");
      json_builder_add_string_value (b, verdict_names[result.verdict]);
      json_builder_set_member_name (b, "records");
      json_builder_add_int_value (b, result.n_records);
      if (result.verdict != WC_JOURNAL_SOUND)
        {
          json_builder_set_member_name (b, "line");
          json_builder_add_int_value (b, result.bad_line);
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, result.message);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      json_generator_set_pretty (gen, TRUE);
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
    }
  else if (result.verdict == WC_JOURNAL_SOUND)
    {
      g_autofree char *t = wc_time_format (result.last_t_ms, FALSE);

      printf (_("%s: sound, %" PRIu64 " records, exercise %s, up to %s (last written %s)\n"),
              files[0], result.n_records, result.exercise_id ? result.exercise_id : "?", t,
              result.last_time ? result.last_time : "—");
    }
  else
    g_printerr ("%s:%u: %s: %s\n", files[0], result.bad_line, _("error"), result.message);
  wc_journal_verify_result_clear (&result);
  return result.verdict == WC_JOURNAL_SOUND ? WC_CTL_EXIT_OK : WC_CTL_EXIT_FAILED;
}
