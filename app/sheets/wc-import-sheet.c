/* wc-import-sheet.c: an MSEL sheet (CSV, XLSX or ODS) as planners really keep it, made into the
 * table the MSEL importer reads, every decision told to the mapping report.
 *
 * Real sheets have a title block above the header, time as "T+5", "T+01:30", minutes, clock
 * times or a day and a clock time, no subject column (the body's first sentence then), no
 * recipients column (one team), delivery methods in three languages, "-" or "n/a" for nothing,
 * artefacts that are not in the folder, evaluators' hints, and one row per recipient team. Every
 * column not understood is kept verbatim as an x- field, which an export writes back.
 */
#define G_LOG_DOMAIN "wc-import"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "wc-import-private.h"
#include "wc-import-sheet-private.h"
#include "wc-msel-private.h"
#include "wc-scenario-loader.h"

#define TITLE_MAX_CHARS 60
#define HEADER_SEARCH_ROWS 30

/* Headings real sheets use that the MSEL vocabulary does not hold (slugified). */
static const struct {
  const char *slug;
  Field       field;
} tolerant_headings[] = {
  { "t-min", F_TIME }, { "t", F_TIME }, { "t-hh-mm", F_TIME }, { "minutes", F_TIME },
  { "min", F_TIME }, { "offset", F_TIME }, { "relative-time", F_TIME }, { "clock", F_TIME },
  { "clock-time", F_TIME }, { "hour", F_TIME }, { "uur", F_TIME }, { "tijdstip", F_TIME },
  { "time-of-day", F_TIME }, { "moment", F_TIME }, { "horaire", F_TIME }, { "start-time", F_TIME },
  { "day", F_DAY }, { "dag", F_DAY }, { "jour", F_DAY }, { "date", F_DAY }, { "datum", F_DAY },
  { "delivery", F_CHANNEL }, { "delivery-mode", F_CHANNEL }, { "inject-method", F_CHANNEL },
  { "method-of-delivery", F_CHANNEL }, { "delivery-medium", F_CHANNEL }, { "wijze", F_CHANNEL },
  { "levering", F_CHANNEL }, { "moyen", F_CHANNEL }, { "mode-de-diffusion", F_CHANNEL },
  { "vector", F_CHANNEL }, { "inject-type", F_CHANNEL },
  { "artefact", F_ATTACHMENTS }, { "artefacts", F_ATTACHMENTS }, { "artifact", F_ATTACHMENTS },
  { "artifacts", F_ATTACHMENTS }, { "documents", F_ATTACHMENTS }, { "document", F_ATTACHMENTS },
  { "props", F_ATTACHMENTS }, { "supporting-material", F_ATTACHMENTS }, { "materials", F_ATTACHMENTS },
  { "evaluator-hints", F_NOTES }, { "evaluator-hint", F_NOTES }, { "evaluator-notes", F_NOTES },
  { "facilitator-notes", F_NOTES }, { "assessment", F_NOTES }, { "hints", F_NOTES },
  { "notes-for-evaluators", F_NOTES }, { "aanwijzingen", F_NOTES }, { "notes-evaluateur", F_NOTES },
  { "remarques-evaluateur", F_NOTES }, { "evaluatie", F_NOTES }, { "observer-notes", F_NOTES },
  { "scenario", F_BODY }, { "situation", F_BODY }, { "description-of-event", F_BODY },
  { "inject-name", F_TITLE }, { "headline", F_TITLE }, { "kop", F_TITLE },
  { "team", F_TO }, { "teams", F_TO }, { "target", F_TO }, { "cible", F_TO }, { "doelgroep", F_TO },
};

/* Delivery methods as planners write them (nl, fr, en) → a channel of the scenario. */
static const struct {
  const char *word;      /* a slug, matched as a word of the cell's slug */
  WcChannel   channel;
} delivery_words[] = {
  { "email", WC_CHANNEL_EMAIL }, { "e-mail", WC_CHANNEL_EMAIL }, { "mail", WC_CHANNEL_EMAIL },
  { "courriel", WC_CHANNEL_EMAIL }, { "printout", WC_CHANNEL_EMAIL }, { "letter", WC_CHANNEL_EMAIL },
  { "brief", WC_CHANNEL_EMAIL }, { "lettre", WC_CHANNEL_EMAIL }, { "handout", WC_CHANNEL_EMAIL },
  { "fax", WC_CHANNEL_EMAIL }, { "memo", WC_CHANNEL_EMAIL },
  { "chat", WC_CHANNEL_CHAT }, { "chatbericht", WC_CHANNEL_CHAT }, { "tchat", WC_CHANNEL_CHAT },
  { "teams", WC_CHANNEL_CHAT }, { "slack", WC_CHANNEL_CHAT }, { "whatsapp", WC_CHANNEL_CHAT },
  { "signal", WC_CHANNEL_CHAT }, { "telegram", WC_CHANNEL_CHAT }, { "mattermost", WC_CHANNEL_CHAT },
  { "matrix", WC_CHANNEL_CHAT }, { "messenger", WC_CHANNEL_CHAT }, { "im", WC_CHANNEL_CHAT },
  { "instant", WC_CHANNEL_CHAT }, { "messagerie", WC_CHANNEL_CHAT },
  { "social", WC_CHANNEL_SOCIAL }, { "twitter", WC_CHANNEL_SOCIAL }, { "tweet", WC_CHANNEL_SOCIAL },
  { "reseaux", WC_CHANNEL_SOCIAL }, { "facebook", WC_CHANNEL_SOCIAL }, { "linkedin", WC_CHANNEL_SOCIAL },
  { "mastodon", WC_CHANNEL_SOCIAL },
  { "phone", WC_CHANNEL_PHONE }, { "call", WC_CHANNEL_PHONE }, { "verbal", WC_CHANNEL_PHONE },
  { "verbaal", WC_CHANNEL_PHONE }, { "mondeling", WC_CHANNEL_PHONE }, { "oral", WC_CHANNEL_PHONE },
  { "telephone", WC_CHANNEL_PHONE }, { "telefoon", WC_CHANNEL_PHONE }, { "appel", WC_CHANNEL_PHONE },
  { "sms", WC_CHANNEL_PHONE }, { "voicemail", WC_CHANNEL_PHONE }, { "radio", WC_CHANNEL_PHONE },
  { "in-person", WC_CHANNEL_PHONE }, { "face", WC_CHANNEL_PHONE },
  { "press", WC_CHANNEL_NEWS }, { "news", WC_CHANNEL_NEWS }, { "persbericht", WC_CHANNEL_NEWS },
  { "communique", WC_CHANNEL_NEWS }, { "presse", WC_CHANNEL_NEWS }, { "pers", WC_CHANNEL_NEWS },
  { "video", WC_CHANNEL_NEWS }, { "tv", WC_CHANNEL_NEWS }, { "article", WC_CHANNEL_NEWS },
  { "nieuws", WC_CHANNEL_NEWS }, { "journal", WC_CHANNEL_NEWS }, { "media", WC_CHANNEL_NEWS },
  { "log", WC_CHANNEL_ARTEFACT }, { "logs", WC_CHANNEL_ARTEFACT }, { "artefact", WC_CHANNEL_ARTEFACT },
  { "artifact", WC_CHANNEL_ARTEFACT }, { "screenshot", WC_CHANNEL_ARTEFACT }, { "pcap", WC_CHANNEL_ARTEFACT },
  { "siem", WC_CHANNEL_ARTEFACT }, { "ransom", WC_CHANNEL_ARTEFACT }, { "file", WC_CHANNEL_ARTEFACT },
  { "alert", WC_CHANNEL_ALERT }, { "alerte", WC_CHANNEL_ALERT }, { "alarm", WC_CHANNEL_ALERT },
  { "ticket", WC_CHANNEL_ALERT }, { "monitoring", WC_CHANNEL_ALERT },
  { "decision", WC_CHANNEL_DECISION }, { "poll", WC_CHANNEL_DECISION }, { "vote", WC_CHANNEL_DECISION },
  { "besluit", WC_CHANNEL_DECISION }, { "keuze", WC_CHANNEL_DECISION }, { "choix", WC_CHANNEL_DECISION },
  /* last: a bare "message" is most often a chat, but "SMS message" is a phone's */
  { "message", WC_CHANNEL_CHAT }, { "bericht", WC_CHANNEL_CHAT },
};

static const char *const empty_words[] = { "-", "--", "—", "–", "n/a", "na", "n.a.", "none", "nil",
                                           "nvt", "n.v.t.", "geen", "aucun", "aucune", "s.o.",
                                           "sans objet", "/", "tbd", NULL };

static void
src_column_free (gpointer data)
{
  SrcColumn *c = data;

  g_free (c->lang);
  g_free (c->heading);
  g_free (c->key);
  g_free (c);
}

/* The field of a heading, the MSEL's vocabulary first, then real sheets' (guessed). */
static Field
heading_field (const char  *heading,
               char       **lang,
               gboolean    *guessed)
{
  g_autofree char *slug = NULL;
  Field f = wc_msel_heading_field (heading, lang);

  *guessed = FALSE;
  if (f != F_NONE)
    return f;
  slug = wc_msel_slugify (heading);
  for (guint i = 0; i < G_N_ELEMENTS (tolerant_headings); i++)
    if (strcmp (slug, tolerant_headings[i].slug) == 0)
      {
        *guessed = TRUE;
        return tolerant_headings[i].field;
      }
  return F_NONE;
}

static gboolean
is_empty_word (const char *cell)
{
  g_autofree char *down = g_utf8_strdown (cell, -1);

  return *cell == '\0' || g_strv_contains (empty_words, g_strstrip (down));
}

/* The header: the first row (of the first few) in which two cells name a field. */
static gint
find_header (WcCsvTable *table)
{
  for (guint r = 0; r < table->rows->len && r < HEADER_SEARCH_ROWS; r++)
    {
      WcCsvRow *row = g_ptr_array_index (table->rows, r);
      guint known = 0;

      for (guint c = 0; c < row->cells->len; c++)
        {
          g_autofree char *lang = NULL;
          gboolean guessed;

          known += heading_field (g_ptr_array_index (row->cells, c), &lang, &guessed) != F_NONE;
        }
      if (known >= 2)
        return (gint) r;
    }
  return -1;
}

/* The sheet read when the first has no header row (a cover page) and none was named: the first
 * other sheet with a header, in *@table and *@name; the header's row, or -1 when none has one. */
static gint
header_in_other_sheet (const char      *path,
                       WcImportFormat   format,
                       GPtrArray       *sheets,
                       WcCsvTable     **table,
                       const char     **name,
                       WcImportReport  *report)
{
  for (guint i = 1; i < sheets->len; i++)
    {
      /* a sheet that cannot be read is not the one meant: its error stays with it */
      g_autoptr(WcCsvTable) other = wc_workbook_read (path, format, g_ptr_array_index (sheets, i),
                                                      NULL, NULL);
      gint row;

      if (other == NULL)
        continue;
      wc_sheet_unneutralise (other);
      row = find_header (other);
      if (row < 0)
        continue;
      wc_import_report_add (report, WC_MAPPING_GUESSED, NULL,
                            _("sheet “%s” of %u: the first sheet, “%s”, has no header row (a cover "
                              "page?); the first sheet with one is read instead"),
                            (char *) g_ptr_array_index (sheets, i), sheets->len,
                            (char *) g_ptr_array_index (sheets, 0));
      g_clear_pointer (table, wc_csv_table_free);
      *table = g_steal_pointer (&other);
      *name = g_ptr_array_index (sheets, i);
      return row;
    }
  return -1;
}

/* "B", "AA", "2" (1-based) → a column index from 0; -1 when it is none. */
static gint
column_index (const char *name)
{
  guint64 n = 0;

  if (g_ascii_isdigit (*name))
    return g_ascii_string_to_unsigned (name, 10, 1, WC_IMPORT_MAX_COLUMNS, &n, NULL)
             ? (gint) n - 1 : -1;
  for (const char *p = name; *p; p++)
    {
      if (!g_ascii_isalpha (*p))
        return -1;
      n = n * 26 + (guint64) (g_ascii_toupper (*p) - 'A' + 1);
      if (n > WC_IMPORT_MAX_COLUMNS)
        return -1;
    }
  return (gint) n - 1;
}

/* The header row that --columns stands for: each column named by its field; the others, when a
 * row fills them, by their letter ("column G", kept verbatim as x-column-g). NULL and the error
 * when @spec names no field or no column. */
static WcCsvRow *
columns_header (const char  *spec,
                WcCsvTable  *table,
                GError     **error)
{
  g_auto(GStrv) items = g_strsplit (spec, ",", -1);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  WcCsvRow *header;
  guint width = 0;

  for (guint i = 0; items[i]; i++)
    {
      g_auto(GStrv) pair = g_strsplit (items[i], "=", 2);
      g_autofree char *lang = NULL;
      gboolean guessed;
      gint c;

      if (*g_strstrip (items[i]) == '\0')
        continue;
      c = column_index (g_strstrip (pair[0]));
      if (pair[1] == NULL || c < 0)
        {
          g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID,
                       _("--columns: “%s” does not name a column: write COLUMN=FIELD, the column "
                         "as a letter (B) or a number from 1"), items[i]);
          return NULL;
        }
      if (heading_field (g_strstrip (pair[1]), &lang, &guessed) == F_NONE)
        {
          g_autoptr(GString) fields = g_string_new (NULL);

          for (guint f = 0; f < N_FIELDS; f++)
            g_string_append_printf (fields, "%s, ", wc_msel_field_names[f]);
          g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID,
                       _("--columns: “%s” is not a field (%sday)"), pair[1], fields->str);
          return NULL;
        }
      if ((guint) c < names->len && g_ptr_array_index (names, c) != NULL)
        {
          g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID,
                       _("--columns: column %s is named twice"), pair[0]);
          return NULL;
        }
      if ((guint) c >= names->len)
        g_ptr_array_set_size (names, c + 1);
      g_ptr_array_index (names, c) = g_strdup (pair[1]);
    }
  for (guint r = 0; r < table->rows->len; r++)
    width = MAX (width, ((WcCsvRow *) g_ptr_array_index (table->rows, r))->cells->len);
  header = g_new0 (WcCsvRow, 1);
  header->cells = g_ptr_array_new_with_free_func (g_free);
  for (guint c = 0; c < MAX (width, names->len); c++)
    {
      gboolean filled = FALSE;
      GString *letters = g_string_new (NULL);

      for (guint r = 0; r < table->rows->len && !filled; r++)
        filled = *wc_sheet_row_cell (g_ptr_array_index (table->rows, r), c) != '\0';
      for (guint n = c + 1; n > 0; n = (n - 1) / 26)
        g_string_prepend_c (letters, (char) ('A' + (n - 1) % 26));
      /* not translated: the heading is the kept field's name, which an export writes back */
      g_ptr_array_add (header->cells, c < names->len && g_ptr_array_index (names, c)
                                        ? g_strdup (g_ptr_array_index (names, c))
                                        : filled ? g_strdup_printf ("column %s", letters->str)
                                                 : g_strdup (""));
      g_string_free (letters, TRUE);
    }
  return header;
}

/* The title an inject without one gets: its body's first sentence, shortened. */
static char *
first_sentence (const char *body)
{
  g_autofree char *text = g_strstrip (g_strdup (body));
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = text; *p && n < TITLE_MAX_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || ((c == '.' || c == '!' || c == '?') && (p[1] == ' ' || p[1] == '\0' || p[1] == '\n')))
        {
          if (c != '\n' && c != '.')
            g_string_append_unichar (out, c);
          return g_string_free (out, FALSE);
        }
      g_string_append_unichar (out, c);
    }
  if (n >= TITLE_MAX_CHARS)
    {
      /* at a word's end */
      char *space = strrchr (out->str, ' ');

      if (space && space - out->str > TITLE_MAX_CHARS / 2)
        g_string_truncate (out, space - out->str);
      g_string_append (out, "…");
    }
  return g_string_free (out, FALSE);
}

/* "Email printout" → email; "Chat message", "Teams" or "Signal" → chat. */
static gboolean
delivery_channel (const char *cell,
                  WcChannel  *channel)
{
  g_autofree char *slug = wc_msel_slugify (cell);
  g_auto(GStrv) words = g_strsplit (slug, "-", -1);

  if (wc_msel_channel_of (cell, channel))
    return TRUE;
  /* the table's order decides between two words: "Email printout" is an email */
  for (guint i = 0; i < G_N_ELEMENTS (delivery_words); i++)
    if (g_strv_contains ((const char *const *) words, delivery_words[i].word) ||
        strcmp (slug, delivery_words[i].word) == 0)
      {
        *channel = delivery_words[i].channel;
        return TRUE;
      }
  return FALSE;
}

/* ---- the sheet ---- */

/* The rows, merged when one inject was written once per recipient team. */
static void
merge_recipient_rows (Sheet *s,
                      gint   to_col,
                      gint   id_col)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint r = 0; r < s->rows->len; r++)
    {
      GString *key = g_string_new (NULL);
      gpointer earlier;

      for (guint c = 0; c < s->cols->len; c++)
        if ((gint) c != to_col && (gint) c != id_col)
          g_string_append_printf (key, "%s\037", wc_sheet_cell (s, r, c));
      if (g_hash_table_lookup_extended (seen, key->str, NULL, &earlier))
        {
          GPtrArray *into = g_ptr_array_index (s->rows, GPOINTER_TO_UINT (earlier));
          char *to = g_ptr_array_index (into, to_col);

          g_ptr_array_index (into, to_col) = g_strdup_printf ("%s; %s", to, wc_sheet_cell (s, r, to_col));
          g_free (to);
          wc_import_report_add (s->report, WC_MAPPING_MAPPED, NULL,
                                _("row %u repeats row %u for another team: merged into one inject"),
                                g_array_index (s->numbers, guint, r),
                                g_array_index (s->numbers, guint, GPOINTER_TO_UINT (earlier)));
          g_ptr_array_remove_index (s->rows, r);
          g_array_remove_index (s->numbers, r);
          r--;
          g_string_free (key, TRUE);
          continue;
        }
      g_hash_table_insert (seen, g_string_free (key, FALSE), GUINT_TO_POINTER (r));
    }
}

/* The attachments a cell names that are in the folder; the others told, and named in @missing. */
static char *
present_attachments (Sheet      *s,
                     guint       r,
                     const char *value,
                     GString    *missing)
{
  g_auto(GStrv) items = g_regex_split_simple ("[;\\n]+", value, 0, 0);
  GString *kept = g_string_new (NULL);

  for (guint i = 0; items[i]; i++)
    {
      g_autofree char *item = g_strstrip (g_strdup (items[i]));
      g_autofree char *file = g_strdup (item);
      g_autofree char *full = NULL;
      char *paren = strrchr (file, '(');

      if (*item == '\0')
        continue;
      if (paren && g_str_has_suffix (file, ")") && strchr (paren, '/'))
        *paren = '\0';
      g_strstrip (file);
      full = g_build_filename (s->base_dir, file, NULL);
      if (!g_path_is_absolute (file) && strstr (file, "..") == NULL &&
          g_file_test (full, G_FILE_TEST_IS_REGULAR))
        g_string_append_printf (kept, "%s%s", kept->len ? "\n" : "", item);
      else
        {
          g_string_append_printf (missing, "\n[%s]", file);
          wc_import_report_add (s->report, WC_MAPPING_WARNING, file,
                                _("row %u names an artefact that is not in the sheet's folder: a "
                                  "placeholder stands in the message"),
                                g_array_index (s->numbers, guint, r));
        }
    }
  return g_string_free (kept, FALSE);
}

static void
sheet_clear (Sheet *s)
{
  g_clear_pointer (&s->base_dir, g_free);
  g_clear_pointer (&s->cols, g_ptr_array_unref);
  g_clear_pointer (&s->rows, g_ptr_array_unref);
  g_clear_pointer (&s->numbers, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sheet, sheet_clear)

static void
add_out_row (WcCsvTable *out,
             GPtrArray  *cells,
             guint       number)
{
  WcCsvRow *row = g_new0 (WcCsvRow, 1);

  row->cells = cells;
  row->line = row->number = number;
  g_ptr_array_add (out->rows, row);
}

static const char *
field_heading (Field field)
{
  switch ((int) field)
    {
    case F_ID: return "ID";
    case F_TIME: return "Time";
    case F_TO: return "To";
    case F_TITLE: return "Subject";
    case F_BODY: return "Message";
    case F_CHANNEL: return "Channel";
    case F_NOTES: return "Notes";
    case F_ATTACHMENTS: return "Attachments";
    default: return NULL;
    }
}

/* Columns: each source column's field, the first of each field and language used, the others
 * (and the unknown ones) kept as x- fields. */
static void
classify_columns (Sheet    *s,
                  WcCsvRow *header)
{
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint c = 0; c < header->cells->len; c++)
    {
      SrcColumn *col = g_new0 (SrcColumn, 1);
      const char *heading = g_ptr_array_index (header->cells, c);
      g_autofree char *slug = wc_msel_slugify (heading);
      g_autofree char *key = NULL;

      col->heading = g_strdup (*heading ? heading : "");
      col->field = heading_field (heading, &col->lang, &col->guessed);
      col->clock = g_regex_match_simple ("clock|hour|uur|heure|horaire|time of day", heading,
                                         G_REGEX_CASELESS, 0);
      key = g_strdup_printf ("%d/%s", col->field, col->lang ? col->lang : "");
      /* a second notes column joins the first; a second of anything else is kept verbatim */
      if (col->field != F_NONE && col->field != F_NOTES && g_hash_table_contains (used, key))
        col->field = F_NONE;
      g_ptr_array_add (s->cols, col);
      if (*heading == '\0')
        {
          col->field = F_NONE;
          col->key = g_strdup_printf ("x-column-%u", c + 1);
          continue;
        }
      if (col->field == F_NONE)
        {
          col->key = g_strconcat ("x-", *slug ? slug : "column", NULL);
          wc_import_report_add (s->report, WC_MAPPING_KEPT, heading,
                                _("not a field Whitecell knows: kept verbatim as “%s” and exported back"),
                                col->key);
          continue;
        }
      g_hash_table_add (used, g_steal_pointer (&key));
      wc_import_report_add (s->report, col->guessed ? WC_MAPPING_GUESSED : WC_MAPPING_MAPPED, heading,
                            col->field == F_DAY ? _("the day (with the time column's clock times)")
                            : col->field == F_NOTES && col->guessed
                              ? _("notes: controller-only, never shown to players")
                            : "%s%s%s%s", wc_msel_field_names[MIN (col->field, N_FIELDS - 1)],
                            col->lang ? " (" : "", col->lang ? col->lang : "", col->lang ? ")" : "");
    }
}

WcScenario *
wc_import_sheet (const char             *path,
                 WcImportFormat          format,
                 const WcImportOptions  *options,
                 WcImportReport         *report,
                 GError                **error)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(WcCsvTable) table = NULL;
  g_autoptr(WcCsvTable) out = NULL;
  g_autoptr(WcCsvTable) exercise_sheet = NULL;
  g_autoptr(WcCsvTable) teams_sheet = NULL;
  g_autoptr(GPtrArray) times = NULL;
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GPtrArray) out_headings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) extras = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) title_block = g_string_new (NULL);
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_auto(Sheet) s = { 0 };
  WcMselImportOptions msel_options = { 0 };
  WcMselMapping mapping = { 0 };
  g_autofree char *data = NULL;
  g_autoptr(WcCsvRow) named = NULL;
  WcCsvRow *headings;
  const char *sheet_name = options->sheet;
  gint header_row, id_col, to_col, body_col, channel_col, attach_col;
  gboolean has_title = FALSE, has_trigger;
  WcScenario *scenario;

  if (format == WC_IMPORT_CSV)
    table = wc_sheet_read_csv (path, diag, error);
  else
    {
      table = wc_workbook_read (path, format, options->sheet, &sheets, error);
      if (table)
        wc_sheet_unneutralise (table);
    }
  if (table == NULL)
    return NULL;
  if (options->columns)
    {
      /* named by the option: no header row, every row an inject */
      named = columns_header (options->columns, table, error);
      if (named == NULL)
        return NULL;
      headings = named;
      header_row = -1;
      wc_import_report_add (report, WC_MAPPING_MAPPED, NULL,
                            _("no header row: the columns are named by --columns %s"),
                            options->columns);
    }
  else
    {
      header_row = find_header (table);
      if (header_row < 0 && options->sheet == NULL && sheets != NULL)
        header_row = header_in_other_sheet (path, format, sheets, &table, &sheet_name, report);
      else if (sheets && sheets->len > 1)
        wc_import_report_add (report, WC_MAPPING_MAPPED, NULL, _("sheet “%s” of %u"),
                              sheet_name ? sheet_name : (char *) g_ptr_array_index (sheets, 0),
                              sheets->len);
      if (header_row < 0)
        {
          g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID,
                       _("%s: no header row in the first %u rows: add one naming the columns "
                         "(Time, Subject, Message, To…), or name them with `whitecellctl import "
                         "--columns B=title,C=time,…`"), path, HEADER_SEARCH_ROWS);
          return NULL;
        }
      headings = g_ptr_array_index (table->rows, header_row);
    }
  /* a title block above the header: its first line names the exercise */
  for (gint r = 0; r < header_row; r++)
    {
      WcCsvRow *row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < row->cells->len; c++)
        if (*g_strstrip ((char *) g_ptr_array_index (row->cells, c)) && title_block->len == 0)
          g_string_append (title_block, g_ptr_array_index (row->cells, c));
    }
  if (header_row > 0 && title_block->len)
    wc_import_report_add (report, WC_MAPPING_SKIPPED, NULL,
                          _("rows 1 to %d: a title block above the header (row %d); the exercise is "
                            "titled “%s”"),
                          header_row, header_row + 1, title_block->str);
  else if (header_row > 0)
    wc_import_report_add (report, WC_MAPPING_SKIPPED, NULL,
                          _("rows 1 to %d: a title block above the header (row %d)"),
                          header_row, header_row + 1);

  s.path = path;
  s.base_dir = g_path_get_dirname (path);
  s.report = report;
  s.cols = g_ptr_array_new_with_free_func (src_column_free);
  s.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  s.numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  classify_columns (&s, headings);
  for (guint r = header_row + 1; r < table->rows->len; r++)
    {
      WcCsvRow *row = g_ptr_array_index (table->rows, r);
      GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);
      guint emptied = 0;
      gboolean empty = TRUE;

      for (guint c = 0; c < s.cols->len; c++)
        {
          g_autofree char *v = g_strstrip (g_strdup (wc_sheet_row_cell (row, c)));

          if (*v && is_empty_word (v))
            {
              emptied++;
              *v = '\0';
            }
          empty &= *v == '\0';
          g_ptr_array_add (cells, g_steal_pointer (&v));
        }
      if (empty)
        {
          g_ptr_array_unref (cells);
          continue;
        }
      if (emptied > 0)
        wc_import_report_add (report, WC_MAPPING_MAPPED, NULL,
                              g_dngettext (GETTEXT_PACKAGE, "row %u: %u cell of “-”, “n/a” or “none” read as empty",
                                           "row %u: %u cells of “-”, “n/a” or “none” read as empty", emptied),
                              row->number, emptied);
      g_ptr_array_add (s.rows, cells);
      g_array_append_val (s.numbers, row->number);
    }
  if (s.rows->len == 0)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID, _("%s: the sheet holds no injects"), path);
      return NULL;
    }

  /* a "title" column of whole paragraphs with no message column beside it is the message */
  if (wc_sheet_column_of (&s, F_BODY) < 0 && wc_sheet_column_of (&s, F_TITLE) >= 0)
    {
      gint tc = wc_sheet_column_of (&s, F_TITLE);
      SrcColumn *col = g_ptr_array_index (s.cols, tc);
      gboolean long_text = FALSE;

      for (guint r = 0; r < s.rows->len; r++)
        long_text |= g_utf8_strlen (wc_sheet_cell (&s, r, tc), -1) > TITLE_MAX_CHARS;
      if (long_text && col->lang == NULL)
        {
          col->field = F_BODY;
          wc_import_report_add (report, WC_MAPPING_GUESSED, col->heading,
                                _("message: its cells are paragraphs, not titles"));
        }
    }
  id_col = wc_sheet_column_of (&s, F_ID);
  to_col = wc_sheet_column_of (&s, F_TO);
  body_col = wc_sheet_column_of (&s, F_BODY);
  channel_col = wc_sheet_column_of (&s, F_CHANNEL);
  attach_col = wc_sheet_column_of (&s, F_ATTACHMENTS);
  has_trigger = wc_sheet_column_of (&s, F_TRIGGER) >= 0;
  for (guint c = 0; c < s.cols->len; c++)
    has_title |= ((SrcColumn *) g_ptr_array_index (s.cols, c))->field == F_TITLE;
  if (to_col >= 0)
    merge_recipient_rows (&s, to_col, id_col);
  times = wc_sheet_resolve_times (&s, options, error);
  if (times == NULL)
    return NULL;

  /* the table the MSEL importer reads */
  out = g_new0 (WcCsvTable, 1);
  out->separator = ',';
  out->rows = g_ptr_array_new_with_free_func (wc_import_row_free);
  g_ptr_array_add (out_headings, g_strdup ("ID"));
  g_ptr_array_add (out_headings, g_strdup ("Time"));
  g_ptr_array_add (out_headings, g_strdup ("To"));
  if (to_col < 0)
    wc_import_report_add (report, WC_MAPPING_GUESSED, NULL,
                          _("no recipients column: every inject goes to one team, “%s”%s"),
                          options->team ? options->team : "Players",
                          options->team ? "" : _(" (give --team to name it)"));
  if (id_col < 0)
    wc_import_report_add (report, WC_MAPPING_GUESSED, NULL, _("no id column: injects numbered I-001, I-002…"));
  if (!has_title)
    wc_import_report_add (report, WC_MAPPING_GUESSED, NULL,
                          _("no subject column: each inject's title is the first sentence of its message"));
  for (guint c = 0; c < s.cols->len; c++)
    {
      SrcColumn *col = g_ptr_array_index (s.cols, c);

      if (col->key || col->field == F_ID || col->field == F_TIME || col->field == F_DAY ||
          col->field == F_TO || (col->field == F_NOTES && (gint) c != wc_sheet_column_of (&s, F_NOTES)))
        continue;
      if (col->field == F_BODY && !has_title)
        g_ptr_array_add (out_headings, col->lang ? g_strdup_printf ("Subject (%s)", col->lang)
                                                 : g_strdup ("Subject"));
      g_ptr_array_add (out_headings, col->guessed || (field_heading (col->field) && col->lang == NULL)
                                       ? g_strdup (field_heading (col->field) ? field_heading (col->field)
                                                                              : col->heading)
                                       : g_strdup (col->heading));
    }
  {
    GPtrArray *header = g_ptr_array_new_with_free_func (g_free);

    for (guint h = 0; h < out_headings->len; h++)
      g_ptr_array_add (header, g_strdup (g_ptr_array_index (out_headings, h)));
    add_out_row (out, header, 1);
  }

  for (guint r = 0; r < s.rows->len; r++)
    {
      GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);
      JsonObject *x = json_object_new ();
      g_autoptr(GString) notes = g_string_new (NULL);
      g_autoptr(GString) missing = g_string_new (NULL);
      g_autofree char *id = id_col >= 0 && *wc_sheet_cell (&s, r, id_col)
                              ? g_strdup (wc_sheet_cell (&s, r, id_col)) : g_strdup_printf ("I-%03u", r + 1);
      const char *time = g_ptr_array_index (times, r);

      g_ptr_array_add (cells, g_strdup (id));
      /* a trigger column decides when it has a word; the time column otherwise */
      g_ptr_array_add (cells, g_strdup (has_trigger && *wc_sheet_cell (&s, r, wc_sheet_column_of (&s, F_TRIGGER)) ? "" : time));
      g_ptr_array_add (cells, g_strdup (to_col >= 0 && *wc_sheet_cell (&s, r, to_col) ? wc_sheet_cell (&s, r, to_col)
                                        : options->team ? options->team : "Players"));
      for (guint c = 0; c < s.cols->len; c++)
        {
          SrcColumn *col = g_ptr_array_index (s.cols, c);
          const char *v = wc_sheet_cell (&s, r, c);

          if (col->key)
            {
              if (*v)
                json_object_set_string_member (x, col->key, v);
              continue;
            }
          if (col->field == F_NOTES && *v)
            {
              if (notes->len)
                g_string_append (notes, "\n");
              if ((gint) c != wc_sheet_column_of (&s, F_NOTES) || col->guessed)
                g_string_append_printf (notes, "%s: ", col->heading);
              g_string_append (notes, v);
            }
          if (col->field == F_ATTACHMENTS && (gint) c == attach_col && *v)
            {
              GPtrArray *src = g_ptr_array_index (s.rows, r);
              char *kept = present_attachments (&s, r, v, missing);

              g_free (g_ptr_array_index (src, c));
              g_ptr_array_index (src, c) = kept;
            }
        }
      for (guint c = 0; c < s.cols->len; c++)
        {
          SrcColumn *col = g_ptr_array_index (s.cols, c);
          const char *v = wc_sheet_cell (&s, r, c);

          if (col->key || col->field == F_ID || col->field == F_TIME || col->field == F_DAY ||
              col->field == F_TO || (col->field == F_NOTES && (gint) c != wc_sheet_column_of (&s, F_NOTES)))
            continue;
          if (col->field == F_BODY && !has_title)
            g_ptr_array_add (cells, first_sentence (*v ? v : id));
          if (col->field == F_TITLE && col->lang == NULL && *v == '\0')
            {
              /* a row left without a subject: as a sheet without a subject column */
              const char *body = body_col >= 0 ? wc_sheet_cell (&s, r, body_col) : "";

              g_ptr_array_add (cells, first_sentence (*body ? body : id));
              wc_import_report_add (report, WC_MAPPING_GUESSED, NULL,
                                    _("row %u has no subject: its title is the first sentence of "
                                      "its message"), g_array_index (s.numbers, guint, r));
            }
          else if (col->field == F_NOTES)
            g_ptr_array_add (cells, g_strdup (notes->str));
          else if ((gint) c == body_col && missing->len)
            g_ptr_array_add (cells, g_strdup_printf ("%s\n%s%s", v, _("Artefacts not provided:"), missing->str));
          else if ((gint) c == channel_col && *v)
            {
              WcChannel channel;
              g_autofree char *slug = wc_msel_slugify (v);

              if (delivery_channel (v, &channel))
                {
                  if (strcmp (slug, wc_channel_to_string (channel)) != 0)
                    {
                      json_object_set_string_member (x, "x-delivery", v);
                      wc_import_report_add (report, WC_MAPPING_GUESSED, v, _("channel %s (the original kept as x-delivery)"),
                                            wc_channel_to_string (channel));
                    }
                  g_ptr_array_add (cells, g_strdup (wc_channel_to_string (channel)));
                }
              else
                {
                  json_object_set_string_member (x, "x-delivery", v);
                  wc_import_report_add (report, WC_MAPPING_WARNING, v,
                                        _("row %u: not a delivery method Whitecell knows: sent by email, "
                                          "the original kept as x-delivery"), g_array_index (s.numbers, guint, r));
                  g_ptr_array_add (cells, g_strdup ("email"));
                }
            }
          else
            g_ptr_array_add (cells, g_strdup (v));
        }
      if (missing->len && body_col < 0)
        {
          /* no message to hold the placeholder: the notes do */
          guint notes_at = 0;

          for (guint h = 0; h < out_headings->len; h++)
            if (g_str_equal (g_ptr_array_index (out_headings, h), "Notes"))
              notes_at = h;
          if (notes_at == 0)
            wc_import_report_add (report, WC_MAPPING_DROPPED, NULL, _("row %u: missing artefacts%s"),
                                  g_array_index (s.numbers, guint, r), missing->str);
        }
      add_out_row (out, cells, g_array_index (s.numbers, guint, r));
      g_ptr_array_add (ids, g_steal_pointer (&id));
      g_ptr_array_add (extras, x);
    }

  msel_options.title = title_block->len ? title_block->str : NULL;
  document = wc_msel_import_table (out, path, s.base_dir, &msel_options, diag, &mapping, &local);
  wc_msel_mapping_clear (&mapping);
  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      const WcDiagnostic *d = wc_diagnostics_get_item (diag, i);
      g_autofree char *line = wc_diagnostic_format (d);

      if (d->severity != WC_SEVERITY_ERROR)
        wc_import_report_add (report, WC_MAPPING_WARNING, NULL, "%s", line);
    }
  if (document == NULL)
    {
      g_autofree char *text = wc_import_diagnostics_text (diag);

      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID, "%s\n%s", local->message, text);
      return NULL;
    }
  exercise_sheet = wc_sheet_read_companion (path, format, "Exercise");
  teams_sheet = wc_sheet_read_companion (path, format, "Teams");
  wc_sheet_apply_companions (json_node_get_object (document), exercise_sheet, teams_sheet, report);

  data = json_to_string (document, FALSE);
  g_clear_pointer (&diag, wc_diagnostics_unref);
  diag = wc_diagnostics_new (path);
  scenario = wc_scenario_load_data (data, strlen (data), s.base_dir, diag, &local);
  if (scenario == NULL)
    {
      g_autofree char *text = wc_import_diagnostics_text (diag);

      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID, "%s\n%s", local->message, text);
      return NULL;
    }
  wc_scenario_set_path (scenario, path);
  for (guint i = 0; i < ids->len; i++)
    if (json_object_get_size (g_ptr_array_index (extras, i)) > 0)
      wc_import_set_extras (scenario, g_ptr_array_index (ids, i), g_ptr_array_index (extras, i));
  return scenario;
}
