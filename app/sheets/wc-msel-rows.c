/* wc-msel-rows.c: one row of an MSEL sheet into one inject of the scenario document, every
 * problem placed on the row and the column it comes from. */
#define G_LOG_DOMAIN "wc-msel"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-msel-private.h"

void
wc_msel_party_free (gpointer data)
{
  Party *p = data;

  g_free (p->id);
  g_free (p->name);
  g_free (p);
}

/* "National CSIRT [csirt]" → id csirt; "National CSIRT" → id national-csirt. */
static const char *
register_party (GPtrArray  *parties,
                const char *text)
{
  g_autofree char *name = g_strstrip (g_strdup (text));
  g_autofree char *id = NULL;
  char *bracket;

  if (g_str_has_suffix (name, "]") && (bracket = strrchr (name, '[')) != NULL)
    {
      id = g_strstrip (g_strndup (bracket + 1, strlen (bracket + 1) - 1));
      *bracket = '\0';
      g_strstrip (name);
    }
  if (id == NULL || *id == '\0')
    {
      g_free (id);
      id = wc_msel_slugify (name);
    }
  for (guint i = 0; i < parties->len; i++)
    {
      Party *p = g_ptr_array_index (parties, i);

      if (strcmp (p->id, id) == 0)
        return p->id;
    }
  {
    Party *p = g_new0 (Party, 1);

    p->id = g_steal_pointer (&id);
    p->name = *name ? g_steal_pointer (&name) : g_strdup (p->id);
    g_ptr_array_add (parties, p);
    return p->id;
  }
}

static JsonNode *
recipients_node (Import     *im,
                 const char *cell)
{
  g_auto(GStrv) parts = NULL;
  JsonArray *array = json_array_new ();
  const char *colon = strchr (cell, ':');
  gboolean everyone = FALSE;

  /* "all: CSIRT; Crisis Centre": everyone, and who everyone is */
  if (colon)
    {
      g_autofree char *head = g_strndup (cell, colon - cell);

      if (wc_msel_is_everyone (head))
        {
          everyone = TRUE;
          cell = colon + 1;
        }
    }
  parts = g_regex_split_simple ("[,;/\\n]+|\\s+(?:and|en|et|&)\\s+", cell, 0, 0);

  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));

      if (*part == '\0')
        continue;
      if (wc_msel_is_everyone (part))
        everyone = TRUE;
      else
        json_array_add_string_element (array, register_party (im->teams, part));
    }
  if (everyone)
    {
      json_array_unref (array);
      return json_node_init_string (json_node_alloc (), "all");
    }
  return json_node_init_array (json_node_alloc (), array);
}

/* A text: a plain string when the exercise has one language, else one per language (a missing
 * translation takes the plain column's text, and is reported). */
static JsonNode *
text_node (Import     *im,
           WcCsvRow   *row,
           Field       field,
           const char *value_override)
{
  const char *plain = value_override ? value_override : wc_msel_cell_of (im, row, field, NULL, NULL);
  JsonObject *object;

  if (im->langs->len == 1)
    return plain ? json_node_init_string (json_node_alloc (), plain) : NULL;
  object = json_object_new ();
  for (guint i = 0; i < im->langs->len; i++)
    {
      const char *lang = g_ptr_array_index (im->langs, i);
      const char *value = i == 0 ? plain : wc_msel_cell_of (im, row, field, lang, NULL);

      if (i == 0 && value == NULL)
        value = wc_msel_cell_of (im, row, field, lang, NULL);
      if (value == NULL && plain)
        {
          wc_msel_row_problem (im, WC_SEVERITY_WARNING, row, 0, NULL,
                               _("no %s text in “%s”: the %s one is used"), wc_msel_field_names[field], lang,
                               (char *) g_ptr_array_index (im->langs, 0));
          value = plain;
        }
      if (value)
        json_object_set_string_member (object, lang, value);
    }
  if (json_object_get_size (object) == 0)
    {
      json_object_unref (object);
      return NULL;
    }
  return json_node_init_object (json_node_alloc (), object);
}

/* Decision options, "id: text | id: text" or "text | text", per language. */
static JsonNode *
options_node (Import   *im,
              WcCsvRow *row)
{
  const char *plain = wc_msel_main_cell (im, row, F_OPTIONS, NULL);
  g_auto(GStrv) items = NULL;
  JsonArray *array;

  if (plain == NULL)
    return NULL;
  items = g_strsplit (plain, "|", -1);
  array = json_array_new ();
  for (guint i = 0; items[i]; i++)
    {
      g_autofree char *item = g_strstrip (g_strdup (items[i]));
      char *colon = strchr (item, ':');
      g_autofree char *id = NULL;
      const char *text = item;
      gboolean had_id = FALSE;
      JsonObject *o = json_object_new ();
      JsonObject *texts = json_object_new ();

      /* "warn: Warn now": a short word before the colon is the option's id */
      if (colon && colon > item && colon - item <= 32 && memchr (item, ' ', colon - item) == NULL)
        {
          *colon = '\0';
          id = g_strdup (item);
          text = g_strstrip (colon + 1);
          had_id = TRUE;
        }
      if (id == NULL || *id == '\0')
        {
          g_free (id);
          id = g_strdup_printf ("option-%u", i + 1);
        }
      json_object_set_string_member (o, "id", id);
      for (guint k = 1; k < im->langs->len; k++)
        {
          const char *lang = g_ptr_array_index (im->langs, k);
          const char *translated = wc_msel_cell_of (im, row, F_OPTIONS, lang, NULL);
          g_auto(GStrv) tr = translated ? g_strsplit (translated, "|", -1) : NULL;

          if (tr && g_strv_length (tr) > i)
            {
              char *tc = strchr (g_strstrip (tr[i]), ':');

              if (tc && had_id && memchr (tr[i], ' ', tc - tr[i]) == NULL)
                json_object_set_string_member (texts, lang, g_strstrip (tc + 1));
              else
                json_object_set_string_member (texts, lang, g_strstrip (tr[i]));
            }
        }
      if (im->langs->len == 1)
        json_object_set_string_member (o, "text", text);
      else
        {
          JsonObject *ordered = json_object_new ();

          for (guint k = 0; k < im->langs->len; k++)
            {
              const char *lang = g_ptr_array_index (im->langs, k);

              json_object_set_string_member (ordered, lang,
                                             json_object_has_member (texts, lang)
                                               ? json_object_get_string_member (texts, lang) : text);
            }
          json_object_set_object_member (o, "text", ordered);
        }
      g_clear_pointer (&texts, json_object_unref);
      json_array_add_object_element (array, o);
    }
  return json_node_init_array (json_node_alloc (), array);
}

static const char *
objective_id (Import     *im,
              const char *cell)
{
  g_autofree char *text = g_strstrip (g_strdup (cell));
  /* "O1", "OBJ-2": an id; anything longer is the objective's text */
  gboolean is_id = g_regex_match_simple ("^[A-Za-z0-9_.-]{1,16}$", text, 0, 0);
  Party *p;

  for (guint i = 0; i < im->objectives->len; i++)
    {
      p = g_ptr_array_index (im->objectives, i);
      if (g_strcmp0 (p->id, text) == 0 || g_strcmp0 (p->name, text) == 0)
        return p->id;
    }
  p = g_new0 (Party, 1);
  if (is_id)
    {
      p->id = g_strdup (text);
      p->name = g_strdup (text);
    }
  else
    {
      p->id = g_strdup_printf ("O%u", im->objectives->len + 1);
      p->name = g_strdup (text);
    }
  g_ptr_array_add (im->objectives, p);
  return p->id;
}

/* What may end an action's line: "[due 00:30; objective O1; judge answer]", items in any order. */
typedef struct {
  gsize  start;      /* where the bracket (and the blanks before it) begins */
  char  *due;
  char  *objective;
  char  *judge;
} Suffix;

static void
suffix_clear (Suffix *suffix)
{
  g_clear_pointer (&suffix->due, g_free);
  g_clear_pointer (&suffix->objective, g_free);
  g_clear_pointer (&suffix->judge, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Suffix, suffix_clear)

/* FALSE when @line ends in no such bracket, or in one that belongs to the text ("[sic]",
 * "[draft]"): every item must be one of due (deadline), objective and judge. */
static gboolean
parse_suffix (const char *line,
              Suffix     *suffix)
{
  gsize n = strlen (line);
  const char *open;
  g_autofree char *inside = NULL;
  g_auto(GStrv) items = NULL;

  while (n > 0 && g_ascii_isspace (line[n - 1]))
    n--;
  if (n == 0 || line[n - 1] != ']')
    return FALSE;
  open = g_strrstr_len (line, n, "[");
  if (open == NULL)
    return FALSE;
  inside = g_strndup (open + 1, line + n - 1 - (open + 1));
  items = g_strsplit (inside, ";", -1);
  for (guint i = 0; items[i]; i++)
    {
      char *item = g_strstrip (items[i]);
      gsize k = strcspn (item, " \t");
      const char *value = item + k;
      char **slot;

      while (*value == ' ' || *value == '\t')
        value++;
      if (k == 0 || *value == '\0')
        goto not_one;
      if (k == 3 && g_ascii_strncasecmp (item, "due", k) == 0)
        slot = &suffix->due;
      else if (k == 8 && g_ascii_strncasecmp (item, "deadline", k) == 0)
        slot = &suffix->due;
      else if (k == 9 && g_ascii_strncasecmp (item, "objective", k) == 0)
        slot = &suffix->objective;
      else if (k == 5 && g_ascii_strncasecmp (item, "judge", k) == 0)
        slot = &suffix->judge;
      else
        goto not_one;
      g_free (*slot);
      *slot = g_strdup (value);
    }
  suffix->start = open - line;
  while (suffix->start > 0 && g_ascii_isspace (line[suffix->start - 1]))
    suffix->start--;
  return TRUE;

not_one:
  suffix_clear (suffix);
  return FALSE;
}

/* The rule of an action in the scenario's words, or NULL (reported) when it is not one or names
 * an option the row does not offer. */
static char *
judge_rule (Import     *im,
            WcCsvRow   *row,
            guint       column,
            const char *written,
            JsonNode   *options)
{
  g_autofree char *rule = wc_msel_judge_rule (written);
  JsonArray *array = options ? json_node_get_array (options) : NULL;
  g_autoptr(GString) ids = g_string_new (NULL);

  if (rule == NULL)
    {
      wc_msel_row_problem (im, WC_SEVERITY_ERROR, row, column,
                           _("manual, acknowledge, answer or option:ID"),
                           _("“%s” is not a way to judge an expected action"), written);
      return NULL;
    }
  if (!g_str_has_prefix (rule, "option:"))
    return g_steal_pointer (&rule);
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (array, i), "id");

      if (strcmp (id, rule + strlen ("option:")) == 0)
        return g_steal_pointer (&rule);
      g_string_append_printf (ids, "%s%s", i ? ", " : "", id);
    }
  if (ids->len > 0)
    {
      g_autofree char *hint = g_strdup_printf (_("one of %s"), ids->str);

      wc_msel_row_problem (im, WC_SEVERITY_ERROR, row, column, hint,
                           _("“%s” is not one of this row's options"), rule + strlen ("option:"));
    }
  else
    wc_msel_row_problem (im, WC_SEVERITY_ERROR, row, column, _("list the options in the options column"),
                         _("“%s” names an option, but this row offers none"), written);
  return NULL;
}

/* One action per line; a line may end in "[due 00:30; objective O1; judge answer]". The
 * deadline, objective and judge columns hold what the row's actions share. */
static JsonNode *
actions_node (Import   *im,
              WcCsvRow *row,
              JsonNode *options)
{
  guint column = 0, judge_column = 0;
  const char *plain = wc_msel_main_cell (im, row, F_ACTIONS, &column);
  const char *deadline = wc_msel_main_cell (im, row, F_DEADLINE, NULL);
  const char *objective = wc_msel_main_cell (im, row, F_OBJECTIVE, NULL);
  const char *judge = wc_msel_main_cell (im, row, F_JUDGE, &judge_column);
  g_autofree char *row_rule = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *array;
  guint n = 0;

  if (plain == NULL)
    {
      if (judge)
        wc_msel_row_problem (im, WC_SEVERITY_WARNING, row, judge_column, NULL,
                             _("a way to judge, but no expected action: it is ignored"));
      return NULL;
    }
  if (judge)
    row_rule = judge_rule (im, row, judge_column, judge, options);
  lines = g_strsplit (plain, "\n", -1);
  array = json_array_new ();
  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      g_auto(Suffix) suffix = { 0 };
      g_autofree char *due = NULL;
      g_autofree char *rule = NULL;
      JsonObject *o;
      gint64 ms;
      char *text = line;

      while (*text == '-' || *text == '*' || g_str_has_prefix (text, "•"))
        text = g_strstrip (text + (g_str_has_prefix (text, "•") ? strlen ("•") : 1));
      if (*text == '\0')
        continue;
      if (parse_suffix (text, &suffix))
        text[suffix.start] = '\0';
      o = json_object_new ();
      {
        g_autofree char *id = g_strdup_printf ("a%u", ++n);

        json_object_set_string_member (o, "id", id);
      }
      if (im->langs->len == 1)
        json_object_set_string_member (o, "text", text);
      else
        {
          JsonObject *texts = json_object_new ();

          for (guint k = 0; k < im->langs->len; k++)
            {
              const char *lang = g_ptr_array_index (im->langs, k);
              const char *tr = k == 0 ? NULL : wc_msel_cell_of (im, row, F_ACTIONS, lang, NULL);
              g_auto(GStrv) tr_lines = tr ? g_strsplit (tr, "\n", -1) : NULL;
              g_autofree char *tr_text = NULL;

              if (tr_lines && g_strv_length (tr_lines) > i)
                {
                  g_auto(Suffix) tr_suffix = { 0 };

                  tr_text = g_strstrip (g_strdup (tr_lines[i]));
                  if (parse_suffix (tr_text, &tr_suffix))
                    tr_text[tr_suffix.start] = '\0';
                }
              json_object_set_string_member (texts, lang, tr_text && *tr_text ? tr_text : text);
            }
          json_object_set_object_member (o, "text", texts);
        }
      due = g_strdup (suffix.due ? suffix.due : deadline);
      if (due && *due)
        {
          if (wc_msel_parse_time (due, &ms))
            {
              g_autofree char *formatted = wc_time_format (ms, TRUE);

              json_object_set_string_member (o, "deadline", formatted + 2);
            }
          else
            wc_msel_row_problem (im, WC_SEVERITY_ERROR, row, column, _("e.g. 00:30"),
                                 _("“%s” is not a deadline"), due);
        }
      if (suffix.objective || objective)
        json_object_set_string_member (o, "objective",
                                       objective_id (im, suffix.objective ? suffix.objective : objective));
      /* the line's own rule, else the row's */
      rule = suffix.judge ? judge_rule (im, row, column, suffix.judge, options)
                          : g_strdup (row_rule);
      if (rule && strcmp (rule, "manual") != 0)
        json_object_set_string_member (o, "judge", rule);
      json_array_add_object_element (array, o);
    }
  return json_node_init_array (json_node_alloc (), array);
}

/* "attachments/x.log (text/plain)", one per line or separated by ';'. */
static JsonNode *
attachments_node (const char *cell)
{
  g_auto(GStrv) items = g_regex_split_simple ("[;\\n]+", cell, 0, 0);
  g_autoptr(GRegex) typed = g_regex_new ("^(.*?)\\s*\\(([a-z0-9.+-]+/[a-z0-9.+-]+)\\)$",
                                         G_REGEX_CASELESS, 0, NULL);
  JsonArray *array = json_array_new ();

  for (guint i = 0; items[i]; i++)
    {
      g_autofree char *item = g_strstrip (g_strdup (items[i]));
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *file = NULL;
      g_autofree char *type = NULL;
      JsonObject *o;

      if (*item == '\0')
        continue;
      if (g_regex_match (typed, item, 0, &match))
        {
          file = g_match_info_fetch (match, 1);
          type = g_match_info_fetch (match, 2);
        }
      else
        {
          g_autofree char *guess = g_content_type_guess (item, NULL, 0, NULL);

          file = g_strdup (item);
          type = g_content_type_get_mime_type (guess);
          if (type == NULL)
            type = g_strdup ("application/octet-stream");
        }
      o = json_object_new ();
      json_object_set_string_member (o, "file", file);
      json_object_set_string_member (o, "media_type", type);
      json_array_add_object_element (array, o);
    }
  return json_node_init_array (json_node_alloc (), array);
}

JsonObject *
wc_msel_inject_of_row (Import   *im,
                       WcCsvRow *row,
                       guint     index)
{
  JsonObject *o = json_object_new ();
  g_autofree char *id = NULL;
  const char *cell;
  guint column = 0;
  JsonNode *node, *options;
  WcChannel channel;

  cell = wc_msel_cell_of (im, row, F_ID, NULL, &column);
  id = cell ? g_strstrip (g_strdup (cell)) : g_strdup_printf ("I-%03u", index + 1);
  if (g_hash_table_contains (im->inject_rows, id))
    wc_msel_row_problem (im, WC_SEVERITY_ERROR, row, column, NULL,
                         _("inject id “%s” is also used on row %u"), id,
                         GPOINTER_TO_UINT (g_hash_table_lookup (im->inject_rows, id)));
  else
    g_hash_table_insert (im->inject_rows, g_strdup (id), GUINT_TO_POINTER (row->number));
  json_object_set_string_member (o, "id", id);

  /* When: a trigger, else a time (which may hold a trigger too) */
  if ((cell = wc_msel_cell_of (im, row, F_TRIGGER, NULL, &column)) != NULL)
    {
      if ((node = wc_msel_trigger_node (cell)) != NULL)
        json_object_set_member (o, "trigger", node);
      else
        wc_msel_row_problem (im, WC_SEVERITY_ERROR, row, column,
                             _("write “manual”, “after I-003 +00:10” or “no-response I-003 00:30”"),
                             _("“%s” is not a trigger"), cell);
    }
  else if ((cell = wc_msel_cell_of (im, row, F_TIME, NULL, &column)) != NULL)
    {
      gint64 ms;

      if (wc_msel_parse_time (cell, &ms))
        {
          g_autofree char *formatted = wc_time_format (ms, TRUE);

          json_object_set_string_member (o, "at", formatted);
          im->last_ms = MAX (im->last_ms, ms);
        }
      else if ((node = wc_msel_trigger_node (cell)) != NULL)
        json_object_set_member (o, "trigger", node);
      else
        wc_msel_row_problem (im, WC_SEVERITY_ERROR, row, column, _("e.g. T+01:30, 01:30 or 90 (minutes)"),
                             _("“%s” is not an exercise time"), cell);
    }
  else
    wc_msel_row_problem (im, WC_SEVERITY_ERROR, row, 0, _("add a time such as T+01:30, or a trigger"),
                         _("inject “%s” has no time"), id);

  if ((node = text_node (im, row, F_TITLE, NULL)) != NULL)
    json_object_set_member (o, "title", node);
  else
    wc_msel_row_problem (im, WC_SEVERITY_ERROR, row, 0, NULL, _("inject “%s” has no subject"), id);
  if ((node = text_node (im, row, F_BODY, NULL)) != NULL)
    json_object_set_member (o, "body", node);
  else if (wc_msel_main_cell (im, row, F_TITLE, NULL) != NULL &&
           (node = text_node (im, row, F_TITLE, NULL)) != NULL)
    /* a one-line inject: the subject says it all (when it could be read: a subject only in a
     * language column that the sheet does not declare has no text to give) */
    json_object_set_member (o, "body", node);

  if ((cell = wc_msel_cell_of (im, row, F_CHANNEL, NULL, &column)) != NULL)
    {
      if (wc_msel_channel_of (cell, &channel))
        json_object_set_string_member (o, "channel", wc_channel_to_string (channel));
      else
        {
          g_autofree char *names = g_strjoinv (", ", (char **) wc_channel_names ());
          g_autofree char *hint = g_strdup_printf (_("one of %s"), names);

          wc_msel_row_problem (im, WC_SEVERITY_ERROR, row, column, hint,
                               _("“%s” is not a channel Whitecell knows"), cell);
        }
    }
  else
    json_object_set_string_member (o, "channel",
                                   wc_msel_main_cell (im, row, F_OPTIONS, NULL) ? "decision" : "email");

  if ((cell = wc_msel_cell_of (im, row, F_FROM, NULL, NULL)) != NULL)
    json_object_set_string_member (o, "from", register_party (im->actors, cell));
  if ((cell = wc_msel_cell_of (im, row, F_TO, NULL, NULL)) != NULL)
    json_object_set_member (o, "to", recipients_node (im, cell));
  else
    wc_msel_row_problem (im, WC_SEVERITY_ERROR, row, 0, _("name the teams, or write “all”"),
                         _("inject “%s” has no recipients"), id);

  if ((cell = wc_msel_cell_of (im, row, F_TLP, NULL, &column)) != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (cell));
      g_autofree char *upper = g_ascii_strup (stripped, -1);
      const char *name = g_str_has_prefix (upper, "TLP:") ? upper + 4 : upper;
      WcTlp tlp;

      if (wc_tlp_from_string (name, &tlp))
        json_object_set_string_member (o, "tlp", wc_tlp_to_string (tlp));
      else
        wc_msel_row_problem (im, WC_SEVERITY_ERROR, row, column, _("CLEAR, GREEN, AMBER, AMBER+STRICT or RED"),
                             _("“%s” is not a TLP marking"), cell);
    }
  if ((cell = wc_msel_cell_of (im, row, F_ATTACHMENTS, NULL, NULL)) != NULL)
    json_object_set_member (o, "attachments", attachments_node (cell));
  /* the options first: an action may be judged by the option chosen */
  options = options_node (im, row);
  if ((node = actions_node (im, row, options)) != NULL)
    json_object_set_member (o, "expected_actions", node);
  if (options != NULL)
    json_object_set_member (o, "options", options);
  if ((cell = wc_msel_cell_of (im, row, F_NOTES, NULL, NULL)) != NULL)
    json_object_set_string_member (o, "notes", cell);
  return o;
}