/* bench-journal.c: the journal's figures: durable append rate (a sync per record, and group
 * commits of 10 and 100), and `verify` and `load` of a 1,000,000-record journal next to sha256sum
 * of the same file (the ratio is the figure).
 *
 * Usage: bench-journal [N_RECORDS_FOR_VERIFY] [read]   ("read": only the verify and load figures)
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "wc-journal.h"

static JsonObject *
sample_data (guint i)
{
  JsonObject *d = json_object_new ();

  json_object_set_string_member (d, "inject", "I-042");
  json_object_set_string_member (d, "team", "ziekenhuis-scheldeland");
  json_object_set_int_member (d, "n", i);
  json_object_set_string_member (d, "text", "Wij hebben het incident gemeld bij het nationale CSIRT.");
  return d;
}

static double
append_rate (const char *dir,
             guint       n,
             guint       group)
{
  g_autofree char *path = g_strdup_printf ("%s/append-%u.jsonl", dir, group);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = wc_journal_create (path, "bench", "s.json", "x", NULL, &error);
  gint64 t0 = g_get_monotonic_time ();

  if (journal == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) d = sample_data (i);

      if (wc_journal_append (journal, i, "response", d, &error) == 0 ||
          ((i + 1) % group == 0 && !wc_journal_sync (journal, &error)))
        g_error ("%s", error->message);
    }
  g_clear_object (&journal);
  g_unlink (path);
  return n / ((g_get_monotonic_time () - t0) / 1e6);
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 1000000;
  g_autofree char *dir = g_dir_make_tmp ("whitecell-bench-journal-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.jsonl", NULL);
  g_autofree char *cmd = g_strdup_printf ("sha256sum %s > /dev/null", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcJournal) journal = NULL;
  WcJournalVerifyResult result;
  double best_verify = G_MAXDOUBLE, best_sha = G_MAXDOUBLE, best_load = G_MAXDOUBLE;
  GStatBuf st;

  if (argc <= 2 || g_strcmp0 (argv[2], "read") != 0)
    {
      printf ("durable appends (fdatasync before each record is told about):\n");
      printf ("  one sync per record:        %8.0f records/s\n", append_rate (dir, 2000, 1));
      printf ("  group commit of 10:         %8.0f records/s\n", append_rate (dir, 20000, 10));
      printf ("  group commit of 100:        %8.0f records/s\n", append_rate (dir, 100000, 100));
    }

  journal = wc_journal_create (path, "bench", "s.json", "x", NULL, &error);
  if (journal == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) d = sample_data (i);

      if (wc_journal_append (journal, i, "response", d, &error) == 0)
        g_error ("%s", error->message);
    }
  wc_journal_sync (journal, NULL);
  g_clear_object (&journal);
  g_stat (path, &st);

  for (guint round = 0; round < 3; round++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double v, s;

      if (!wc_journal_verify_file (path, &result, &error) || result.verdict != WC_JOURNAL_SOUND)
        g_error ("verify failed");
      v = (g_get_monotonic_time () - t0) / 1e6;
      wc_journal_verify_result_clear (&result);
      t0 = g_get_monotonic_time ();
      if (system (cmd) != 0)
        g_error ("sha256sum failed");
      s = (g_get_monotonic_time () - t0) / 1e6;
      best_verify = MIN (best_verify, v);
      best_sha = MIN (best_sha, s);
      t0 = g_get_monotonic_time ();
      journal = wc_journal_load (path, &error);
      if (journal == NULL || wc_journal_get_n_records (journal) != n)
        g_error ("load failed");
      best_load = MIN (best_load, (g_get_monotonic_time () - t0) / 1e6);
      g_clear_object (&journal);
    }
  printf ("verify of %u records (%.0f MiB), best of 3:\n", n, st.st_size / 1048576.0);
  printf ("  whitecellctl verify:        %8.2f s\n", best_verify);
  printf ("  sha256sum of the same file: %8.2f s\n", best_sha);
  printf ("  ratio: %.2f×\n", best_verify / best_sha);
  printf ("load of the same journal, best of 3: %.2f s\n", best_load);
  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
