/* wc-msel-export.c: a scenario written as an MSEL spreadsheet, one row per inject, a column per
 * language for the texts; the importer reads it back to the same injects. */
#define G_LOG_DOMAIN "wc-msel"

#include "config.h"

#include <errno.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wc-msel-private.h"
#include "wc-untrusted.h"

static char *
party_cell (const WcText *name,
            const char   *id,
            const char   *lang)
{
  const char *text = wc_text_get (name, lang, NULL);
  g_autofree char *slug = wc_msel_slugify (text ? text : id);

  if (text == NULL || strcmp (slug, id) != 0)
    return g_strdup_printf ("%s [%s]", text ? text : id, id);
  return g_strdup (text);
}

static char *
text_cell (const WcText *text,
           const char   *lang)
{
  const char *value = text ? wc_text_get (text, lang, NULL) : NULL;

  return g_strdup (value ? value : "");
}

/* The rule every action of @inject shares, or NULL when they differ (each line's bracket says
 * its own then). "manual" when there is no action. */
static char *
shared_rule (const WcInject *inject)
{
  g_autofree char *shared = NULL;

  for (guint a = 0; a < inject->expected_actions->len; a++)
    {
      const WcExpectedAction *action = g_ptr_array_index (inject->expected_actions, a);
      g_autofree char *rule = wc_judge_rule_to_string (action->judge, action->judge_option);

      if (shared == NULL)
        shared = g_steal_pointer (&rule);
      else if (strcmp (shared, rule) != 0)
        return NULL;
    }
  return shared ? g_steal_pointer (&shared) : g_strdup ("manual");
}

/* " [due 00:30; objective O1; judge answer]": what an action's line says of itself. */
static void
append_suffix (GString                *out,
               const WcExpectedAction *action,
               gboolean                with_rule)
{
  g_autoptr(GString) items = g_string_new (NULL);

  if (action->deadline_ms >= 0)
    {
      g_autofree char *due = wc_time_format (action->deadline_ms, TRUE);

      g_string_append_printf (items, "due %s", due + 2);
    }
  if (action->objective)
    g_string_append_printf (items, "%sobjective %s", items->len ? "; " : "", action->objective);
  if (with_rule && action->judge != WC_JUDGE_MANUAL)
    {
      g_autofree char *rule = wc_judge_rule_to_string (action->judge, action->judge_option);

      g_string_append_printf (items, "%sjudge %s", items->len ? "; " : "", rule);
    }
  if (items->len > 0)
    g_string_append_printf (out, " [%s]", items->str);
}

void
wc_msel_export (WcScenario *scenario,
                char        separator,
                gboolean    bom,
                GString    *out)
{
  const char *const *langs = wc_scenario_get_languages (scenario);
  const char *def = wc_scenario_get_default_language (scenario);
  guint n_langs = g_strv_length ((char **) langs);
  gboolean suffixed = n_langs > 1 || g_strcmp0 (langs[0], "en") != 0;
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  static const char *const lead[] = { "ID", "Time", "Trigger", "From", "To", "Channel", "TLP" };
  static const char *const per_lang[] = { "Subject", "Message", "Expected player action", "Options" };

  g_autoptr(GHashTable) named = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean all_named;

  for (guint i = 0; i < wc_scenario_get_n_injects (scenario); i++)
    {
      const WcInject *inject = wc_scenario_get_inject (scenario, i);

      for (guint t = 0; !inject->to_all && t < inject->to->len; t++)
        g_hash_table_add (named, g_ptr_array_index (inject->to, t));
    }
  all_named = g_hash_table_size (named) == wc_scenario_get_n_teams (scenario);
  if (bom)
    g_string_append (out, "\xEF\xBB\xBF");
  for (guint i = 0; i < G_N_ELEMENTS (lead); i++)
    g_ptr_array_add (header, g_strdup (lead[i]));
  for (guint f = 0; f < G_N_ELEMENTS (per_lang); f++)
    for (guint l = 0; l < n_langs; l++)
      g_ptr_array_add (header, suffixed ? g_strdup_printf ("%s (%s)", per_lang[f], langs[l])
                                        : g_strdup (per_lang[f]));
  g_ptr_array_add (header, g_strdup ("Judge"));
  g_ptr_array_add (header, g_strdup ("Attachments"));
  g_ptr_array_add (header, g_strdup ("Notes"));
  wc_csv_append_row (out, separator, (const char *const *) header->pdata, header->len);

  for (guint i = 0; i < wc_scenario_get_n_injects (scenario); i++)
    {
      const WcInject *inject = wc_scenario_get_inject (scenario, i);
      g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
      GString *to = g_string_new (NULL);
      GString *attachments = g_string_new (NULL);
      const WcActor *actor = inject->from ? wc_scenario_find_actor (scenario, inject->from) : NULL;
      g_autofree char *shared = shared_rule (inject);

      g_ptr_array_add (cells, g_strdup (inject->id));
      g_ptr_array_add (cells, inject->trigger == WC_TRIGGER_AT ? wc_time_format (inject->at_ms, TRUE)
                                                              : g_strdup (""));
      switch (inject->trigger)
        {
        case WC_TRIGGER_AFTER:
          {
            g_autofree char *delay = wc_time_format (inject->trigger_delay_ms, TRUE);

            g_ptr_array_add (cells, g_strdup_printf ("after %s +%s", inject->trigger_inject, delay + 2));
          }
          break;
        case WC_TRIGGER_NO_RESPONSE:
          {
            g_autofree char *within = wc_time_format (inject->trigger_delay_ms, TRUE);

            g_ptr_array_add (cells, g_strdup_printf ("no-response %s within %s",
                                                     inject->trigger_inject, within + 2));
          }
          break;
        case WC_TRIGGER_MANUAL:
          g_ptr_array_add (cells, g_strdup ("manual"));
          break;
        case WC_TRIGGER_AT:
        default:
          g_ptr_array_add (cells, g_strdup (""));
          break;
        }
      g_ptr_array_add (cells, actor ? party_cell (actor->name, actor->id, def) : g_strdup (""));
      if (inject->to_all && !all_named)
        {
          /* teams that only "all" names would be lost to the sheet: list them */
          g_string_append (to, "all:");
          for (guint t = 0; t < wc_scenario_get_n_teams (scenario); t++)
            {
              const WcTeam *team = wc_scenario_get_team (scenario, t);
              g_autofree char *cell = party_cell (team->name, team->id, def);

              g_string_append_printf (to, "%s %s", t ? ";" : "", cell);
            }
        }
      else if (inject->to_all)
        g_string_append (to, "all");
      else
        for (guint t = 0; t < inject->to->len; t++)
          {
            const char *team_id = g_ptr_array_index (inject->to, t);
            const WcTeam *team = wc_scenario_find_team (scenario, team_id);
            g_autofree char *cell = team ? party_cell (team->name, team->id, def) : g_strdup (team_id);

            g_string_append_printf (to, "%s%s", t ? "; " : "", cell);
          }
      g_ptr_array_add (cells, g_string_free (to, FALSE));
      g_ptr_array_add (cells, g_strdup (wc_channel_to_string (inject->channel)));
      g_ptr_array_add (cells, g_strdup (wc_tlp_to_string (inject->tlp)));
      for (guint l = 0; l < n_langs; l++)
        g_ptr_array_add (cells, text_cell (inject->title, langs[l]));
      for (guint l = 0; l < n_langs; l++)
        g_ptr_array_add (cells, text_cell (inject->body, langs[l]));
      for (guint l = 0; l < n_langs; l++)
        {
          GString *actions = g_string_new (NULL);

          for (guint a = 0; a < inject->expected_actions->len; a++)
            {
              const WcExpectedAction *action = g_ptr_array_index (inject->expected_actions, a);
              const char *text = wc_text_get (action->text, langs[l], def);

              if (a > 0)
                g_string_append_c (actions, '\n');
              /* a line of its own per action: newlines inside one become spaces */
              for (const char *c = text; *c; c++)
                g_string_append_c (actions, *c == '\n' || *c == '\r' ? ' ' : *c);
              /* a rule of its own only when the row's actions differ: else the Judge column */
              if (l == 0)
                append_suffix (actions, action, shared == NULL);
            }
          g_ptr_array_add (cells, g_string_free (actions, FALSE));
        }
      for (guint l = 0; l < n_langs; l++)
        {
          GString *opts = g_string_new (NULL);

          for (guint k = 0; k < inject->options->len; k++)
            {
              const WcDecisionOption *option = g_ptr_array_index (inject->options, k);

              g_string_append_printf (opts, "%s%s: %s", k ? " | " : "", option->id,
                                      wc_text_get (option->text, langs[l], def));
            }
          g_ptr_array_add (cells, g_string_free (opts, FALSE));
        }
      g_ptr_array_add (cells, g_strdup (shared && strcmp (shared, "manual") != 0 ? shared : ""));
      for (guint k = 0; k < inject->attachments->len; k++)
        {
          const WcAttachment *a = g_ptr_array_index (inject->attachments, k);

          g_string_append_printf (attachments, "%s%s (%s)", k ? "\n" : "", a->file, a->media_type);
        }
      g_ptr_array_add (cells, g_string_free (attachments, FALSE));
      g_ptr_array_add (cells, g_strdup (inject->notes ? inject->notes : ""));
      wc_csv_append_row (out, separator, (const char *const *) cells->pdata, cells->len);
    }
}
/* One attachment, @relative under @from_dir, to the same place under @to_dir: read as the
 * server reads it (no symbolic link, bounded), written private as the scenario's material is. */
static gboolean
copy_attachment (const char  *from_dir,
                 const char  *to_dir,
                 const char  *relative,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *target = g_build_filename (to_dir, relative, NULL);
  g_autofree char *target_dir = g_path_get_dirname (target);
  g_autoptr(GFile) file = g_file_new_for_path (target);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  int fd;

  fd = wc_untrusted_open_in_folder (from_dir, relative, WC_SCENARIO_MAX_ATTACHMENT_SIZE,
                                    &local_error);
  if (fd < 0)
    {
      g_set_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_IO, _("attachment “%s”: %s"), relative,
                   local_error->message);
      return FALSE;
    }
  in = g_unix_input_stream_new (fd, TRUE);
  if (g_mkdir_with_parents (target_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_IO, _("%s: %s"), target_dir,
                   g_strerror (saved));
      return FALSE;
    }
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &local_error);
  if (out == NULL ||
      g_output_stream_splice (G_OUTPUT_STREAM (out), in,
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                              G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &local_error) < 0)
    {
      g_set_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_IO, _("%s: %s"), target,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
wc_msel_copy_attachments (WcScenario  *scenario,
                          const char  *from_dir,
                          const char  *to_dir,
                          GError     **error)
{
  g_autoptr(GFile) from = g_file_new_for_path (from_dir);
  g_autoptr(GFile) to = g_file_new_for_path (to_dir);
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);

  /* the files are where they belong already */
  if (g_file_equal (from, to))
    return TRUE;
  for (guint i = 0; i < wc_scenario_get_n_injects (scenario); i++)
    {
      const WcInject *inject = wc_scenario_get_inject (scenario, i);

      for (guint k = 0; k < inject->attachments->len; k++)
        {
          const WcAttachment *a = g_ptr_array_index (inject->attachments, k);

          if (!g_hash_table_add (done, a->file))
            continue;
          if (!copy_attachment (from_dir, to_dir, a->file, error))
            return FALSE;
        }
    }
  return TRUE;
}
