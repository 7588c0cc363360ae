/* wc-msel.c: MSEL spreadsheets to scenarios and back.
 *
 * Planners' sheets differ in their headings ("Event #", "Scenario Time", "Mode", "Expected Player
 * Action"…), in their languages and in their locale's separator. Headings are matched
 * case-insensitively against the usual MSEL names; a heading ending in "(fr)" or "[fr]" holds
 * that language's text. Every problem names its row and column.
 */
#define G_LOG_DOMAIN "wc-msel"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-csv.h"
#include "wc-msel.h"
#include "wc-scenario-loader.h"

G_DEFINE_QUARK (wc-msel-error-quark, wc_msel_error)

typedef enum {
  F_NONE = -1,
  F_ID, F_TIME, F_TRIGGER, F_FROM, F_TO, F_CHANNEL, F_TLP, F_TITLE, F_BODY, F_ACTIONS,
  F_DEADLINE, F_OBJECTIVE, F_OPTIONS, F_ATTACHMENTS, F_NOTES,
  N_FIELDS
} Field;

static const char *const field_names[] = {
  "id", "time", "trigger", "from", "to", "channel", "tlp", "title", "body", "expected actions",
  "deadline", "objective", "options", "attachments", "notes",
};

/* Normalised headings (lowercase, punctuation to spaces, "#" and "no" to "number"). */
static const struct {
  const char *heading;
  Field       field;
} synonyms[] = {
  { "id", F_ID }, { "number", F_ID }, { "nr", F_ID }, { "no", F_ID }, { "nummer", F_ID },
  { "numero", F_ID }, { "n", F_ID }, { "inject nr", F_ID }, { "event number", F_ID }, { "inject number", F_ID },
  { "inject id", F_ID }, { "event id", F_ID }, { "serial", F_ID }, { "serial number", F_ID },
  { "msel id", F_ID }, { "msel number", F_ID }, { "ref", F_ID }, { "reference", F_ID },
  { "time", F_TIME }, { "scenario time", F_TIME }, { "delivery time", F_TIME }, { "t", F_TIME },
  { "planned time", F_TIME }, { "exercise time", F_TIME }, { "when", F_TIME }, { "tijd", F_TIME },
  { "heure", F_TIME }, { "trigger", F_TRIGGER }, { "condition", F_TRIGGER },
  { "from", F_FROM }, { "sender", F_FROM }, { "source", F_FROM }, { "van", F_FROM },
  { "afzender", F_FROM }, { "expediteur", F_FROM }, { "exp diteur", F_FROM }, { "de", F_FROM },
  { "to", F_TO }, { "recipient", F_TO }, { "recipients", F_TO }, { "player", F_TO },
  { "players", F_TO }, { "audience", F_TO }, { "addressee", F_TO }, { "aan", F_TO },
  { "destinataire", F_TO }, { "destinataires", F_TO }, { "ontvanger", F_TO },
  { "method", F_CHANNEL }, { "mode", F_CHANNEL }, { "channel", F_CHANNEL }, { "means", F_CHANNEL },
  { "delivery method", F_CHANNEL }, { "medium", F_CHANNEL }, { "kanaal", F_CHANNEL },
  { "canal", F_CHANNEL }, { "tlp", F_TLP },
  { "subject", F_TITLE }, { "title", F_TITLE }, { "event", F_TITLE }, { "inject", F_TITLE },
  { "event title", F_TITLE }, { "inject title", F_TITLE }, { "summary", F_TITLE },
  { "synopsis", F_TITLE }, { "event synopsis", F_TITLE }, { "onderwerp", F_TITLE },
  { "titel", F_TITLE }, { "sujet", F_TITLE }, { "titre", F_TITLE },
  { "message", F_BODY }, { "description", F_BODY }, { "content", F_BODY }, { "body", F_BODY },
  { "event description", F_BODY }, { "inject description", F_BODY }, { "details", F_BODY },
  { "text", F_BODY }, { "bericht", F_BODY }, { "inhoud", F_BODY }, { "contenu", F_BODY },
  { "expected player action", F_ACTIONS }, { "expected player actions", F_ACTIONS },
  { "expected action", F_ACTIONS }, { "expected actions", F_ACTIONS },
  { "expected response", F_ACTIONS }, { "expected player response", F_ACTIONS },
  { "verwachte actie", F_ACTIONS }, { "verwachte acties", F_ACTIONS },
  { "action attendue", F_ACTIONS }, { "actions attendues", F_ACTIONS },
  { "deadline", F_DEADLINE }, { "due", F_DEADLINE }, { "response deadline", F_DEADLINE },
  { "objective", F_OBJECTIVE }, { "objectives", F_OBJECTIVE }, { "capability", F_OBJECTIVE },
  { "core capability", F_OBJECTIVE }, { "objective capability", F_OBJECTIVE },
  { "doelstelling", F_OBJECTIVE }, { "objectif", F_OBJECTIVE },
  { "options", F_OPTIONS }, { "decision options", F_OPTIONS }, { "choices", F_OPTIONS },
  { "opties", F_OPTIONS }, { "keuzes", F_OPTIONS }, { "choix", F_OPTIONS },
  { "attachments", F_ATTACHMENTS }, { "attachment", F_ATTACHMENTS }, { "files", F_ATTACHMENTS },
  { "bijlagen", F_ATTACHMENTS }, { "pieces jointes", F_ATTACHMENTS },
  { "notes", F_NOTES }, { "note", F_NOTES }, { "controller notes", F_NOTES },
  { "remarks", F_NOTES }, { "comments", F_NOTES }, { "opmerkingen", F_NOTES },
  { "remarques", F_NOTES },
};

static const struct {
  const char *word;
  WcChannel   channel;
} channel_words[] = {
  { "email", WC_CHANNEL_EMAIL }, { "e mail", WC_CHANNEL_EMAIL }, { "mail", WC_CHANNEL_EMAIL },
  { "courriel", WC_CHANNEL_EMAIL }, { "letter", WC_CHANNEL_EMAIL },
  { "phone", WC_CHANNEL_PHONE }, { "telephone", WC_CHANNEL_PHONE }, { "call", WC_CHANNEL_PHONE },
  { "phone call", WC_CHANNEL_PHONE }, { "telefoon", WC_CHANNEL_PHONE }, { "sms", WC_CHANNEL_PHONE },
  { "news", WC_CHANNEL_NEWS }, { "press", WC_CHANNEL_NEWS }, { "media", WC_CHANNEL_NEWS },
  { "news article", WC_CHANNEL_NEWS }, { "article", WC_CHANNEL_NEWS }, { "tv", WC_CHANNEL_NEWS },
  { "radio", WC_CHANNEL_NEWS }, { "pers", WC_CHANNEL_NEWS }, { "presse", WC_CHANNEL_NEWS },
  { "social", WC_CHANNEL_SOCIAL }, { "social media", WC_CHANNEL_SOCIAL }, { "twitter", WC_CHANNEL_SOCIAL },
  { "x", WC_CHANNEL_SOCIAL }, { "tweet", WC_CHANNEL_SOCIAL }, { "facebook", WC_CHANNEL_SOCIAL },
  { "linkedin", WC_CHANNEL_SOCIAL }, { "post", WC_CHANNEL_SOCIAL }, { "sociale media", WC_CHANNEL_SOCIAL },
  { "reseaux sociaux", WC_CHANNEL_SOCIAL },
  { "artefact", WC_CHANNEL_ARTEFACT }, { "artifact", WC_CHANNEL_ARTEFACT }, { "log", WC_CHANNEL_ARTEFACT },
  { "file", WC_CHANNEL_ARTEFACT }, { "evidence", WC_CHANNEL_ARTEFACT }, { "technical", WC_CHANNEL_ARTEFACT },
  { "technical artefact", WC_CHANNEL_ARTEFACT }, { "technical artifact", WC_CHANNEL_ARTEFACT },
  { "decision", WC_CHANNEL_DECISION }, { "decide", WC_CHANNEL_DECISION }, { "choice", WC_CHANNEL_DECISION },
  { "besluit", WC_CHANNEL_DECISION },
  { "alert", WC_CHANNEL_ALERT }, { "warning", WC_CHANNEL_ALERT }, { "advisory", WC_CHANNEL_ALERT },
  { "alarm", WC_CHANNEL_ALERT }, { "alerte", WC_CHANNEL_ALERT }, { "waarschuwing", WC_CHANNEL_ALERT },
};

typedef struct {
  Field  field;
  char  *lang;     /* NULL: the plain language */
  char  *heading;
} Column;

typedef struct {
  char *id;
  char *name;
} Party;

typedef struct {
  WcDiagnostics *diag;
  GPtrArray     *columns;      /* Column, one per header cell */
  GPtrArray     *langs;        /* char *, the plain language first */
  GPtrArray     *teams;        /* Party */
  GPtrArray     *actors;       /* Party */
  GPtrArray     *objectives;   /* Party: id, text */
  GHashTable    *inject_rows;  /* inject id → row line */
  GPtrArray     *rows;         /* WcCsvRow per inject, in order (borrowed) */
  gint64         last_ms;
} Import;

static void
column_free (gpointer data)
{
  Column *c = data;

  g_free (c->lang);
  g_free (c->heading);
  g_free (c);
}

static void
party_free (gpointer data)
{
  Party *p = data;

  g_free (p->id);
  g_free (p->name);
  g_free (p);
}

void
wc_msel_mapping_clear (WcMselMapping *mapping)
{
  g_clear_pointer (&mapping->mapped, g_ptr_array_unref);
  g_clear_pointer (&mapping->ignored, g_ptr_array_unref);
}

/* Lowercase ASCII words; accents dropped, so "Expéditeur" and "expediteur" match. */
static char *
normalise (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  g_autofree char *lower = g_ascii_strdown (ascii, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = lower; *p; p++)
    {
      if (*p == '#')
        g_string_append (out, out->len > 0 && out->str[out->len - 1] != ' ' ? " number " : "number ");
      else if (g_ascii_isalnum (*p))
        g_string_append_c (out, *p);
      else if (out->len > 0 && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
    }
  g_strstrip (out->str);
  g_string_set_size (out, strlen (out->str));
  /* "Event No." / "Inject Nr" */
  if (g_str_has_suffix (out->str, " no") || g_str_has_suffix (out->str, " nr"))
    g_string_append (g_string_truncate (out, out->len - 2), "number");
  /* "number number" from "# No." */
  return g_string_free (out, FALSE);
}

static char *
slugify (const char *text)
{
  g_autofree char *norm = normalise (text);
  char *slug = g_strdup (norm);

  for (char *p = slug; *p; p++)
    if (*p == ' ')
      *p = '-';
  if (strlen (slug) > 64)
    slug[64] = '\0';
  return slug;
}

/* "Subject (fr)" → "Subject" and "fr". */
static char *
split_language (const char  *heading,
                char       **lang)
{
  g_autofree char *h = g_strstrip (g_strdup (heading));
  gsize n = strlen (h);

  *lang = NULL;
  if (n >= 4 && (h[n - 1] == ')' || h[n - 1] == ']'))
    {
      char open = h[n - 1] == ')' ? '(' : '[';
      char *start = strrchr (h, open);

      if (start && n - (start - h) - 2 >= 2 && n - (start - h) - 2 <= 3)
        {
          gboolean letters = TRUE;

          for (char *c = start + 1; c < h + n - 1; c++)
            letters &= g_ascii_isalpha (*c);
          if (letters)
            {
              *lang = g_ascii_strdown (start + 1, h + n - 1 - start - 1);
              *start = '\0';
            }
        }
    }
  return g_strdup (g_strstrip (h));
}

static void
map_columns (Import        *im,
             WcCsvRow      *header,
             WcMselMapping *mapping)
{
  for (guint i = 0; i < header->cells->len; i++)
    {
      const char *heading = g_ptr_array_index (header->cells, i);
      Column *col = g_new0 (Column, 1);
      g_autofree char *base = split_language (heading, &col->lang);
      g_autofree char *norm = normalise (base);

      col->heading = g_strdup (heading);
      col->field = F_NONE;
      for (guint k = 0; k < G_N_ELEMENTS (synonyms); k++)
        if (strcmp (norm, synonyms[k].heading) == 0)
          col->field = synonyms[k].field;
      if (col->field == F_NONE && col->lang)
        {
          /* "(nl)" was part of the heading after all */
          g_autofree char *whole = normalise (heading);

          g_clear_pointer (&col->lang, g_free);
          for (guint k = 0; k < G_N_ELEMENTS (synonyms); k++)
            if (strcmp (whole, synonyms[k].heading) == 0)
              col->field = synonyms[k].field;
        }
      if (col->field == F_NONE)
        {
          if (*heading)
            {
              g_ptr_array_add (mapping->ignored, g_strdup (heading));
              wc_diagnostics_add (im->diag, WC_SEVERITY_WARNING, header->line, i + 1, NULL, NULL,
                                  _("column “%s” is not one Whitecell knows; it is ignored"), heading);
            }
        }
      else
        {
          g_ptr_array_add (mapping->mapped, g_strdup_printf ("%s → %s%s%s%s", heading,
                                                             field_names[col->field],
                                                             col->lang ? " (" : "",
                                                             col->lang ? col->lang : "",
                                                             col->lang ? ")" : ""));
          if (col->lang && !g_ptr_array_find_with_equal_func (im->langs, col->lang, g_str_equal, NULL))
            g_ptr_array_add (im->langs, g_strdup (col->lang));
        }
      g_ptr_array_add (im->columns, col);
    }
}

/* The cell of @field in @lang (NULL: plain), or NULL. */
static const char *
cell_of (Import     *im,
         WcCsvRow   *row,
         Field       field,
         const char *lang,
         guint      *column)
{
  for (guint i = 0; i < im->columns->len && i < row->cells->len; i++)
    {
      Column *col = g_ptr_array_index (im->columns, i);
      const char *value = g_ptr_array_index (row->cells, i);

      if (col->field == field && g_strcmp0 (col->lang, lang) == 0 && *value)
        {
          if (column)
            *column = i + 1;
          return value;
        }
    }
  return NULL;
}

/* The plain column's cell, or the first language's when the sheet has no plain column. */
static const char *
main_cell (Import   *im,
           WcCsvRow *row,
           Field     field,
           guint    *column)
{
  const char *value = cell_of (im, row, field, NULL, column);

  if (value == NULL && im->langs->len > 0)
    value = cell_of (im, row, field, g_ptr_array_index (im->langs, 0), column);
  return value;
}

G_GNUC_PRINTF (6, 7) static void
row_problem (Import     *im,
             WcSeverity  severity,
             WcCsvRow   *row,
             guint       column,
             const char *hint,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  g_autofree char *place = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (column > 0 && column <= im->columns->len)
    place = g_strdup_printf (_("row %u, column “%s”"), row->number,
                             ((Column *) g_ptr_array_index (im->columns, column - 1))->heading);
  else
    place = g_strdup_printf (_("row %u"), row->number);
  wc_diagnostics_add (im->diag, severity, row->line, column, place, hint, "%s", message);
}

static gboolean
parse_time_cell (const char *cell,
                 gint64     *ms)
{
  g_autofree char *s = g_strstrip (g_strdup (cell));
  guint64 minutes;

  if (wc_time_parse (s, ms))
    return TRUE;
  if (g_ascii_string_to_unsigned (s, 10, 0, 100000, &minutes, NULL))
    {
      *ms = (gint64) minutes * 60000;
      return TRUE;
    }
  return FALSE;
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
      id = slugify (name);
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

static gboolean
is_everyone (const char *word)
{
  g_autofree char *n = normalise (word);
  static const char *const all[] = { "all", "everyone", "all players", "all teams", "tous",
                                     "toutes", "tout le monde", "iedereen", "allen", "alle teams",
                                     NULL };

  return g_strv_contains (all, n);
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

      if (is_everyone (head))
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
      if (is_everyone (part))
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
  const char *plain = value_override ? value_override : cell_of (im, row, field, NULL, NULL);
  JsonObject *object;

  if (im->langs->len == 1)
    return plain ? json_node_init_string (json_node_alloc (), plain) : NULL;
  object = json_object_new ();
  for (guint i = 0; i < im->langs->len; i++)
    {
      const char *lang = g_ptr_array_index (im->langs, i);
      const char *value = i == 0 ? plain : cell_of (im, row, field, lang, NULL);

      if (i == 0 && value == NULL)
        value = cell_of (im, row, field, lang, NULL);
      if (value == NULL && plain)
        {
          row_problem (im, WC_SEVERITY_WARNING, row, 0, NULL,
                       _("no %s text in “%s”: the %s one is used"), field_names[field], lang,
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
  const char *plain = main_cell (im, row, F_OPTIONS, NULL);
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
          const char *translated = cell_of (im, row, F_OPTIONS, lang, NULL);
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

/* One action per line; a line may end in "[due 00:30; objective O1]". */
static JsonNode *
actions_node (Import   *im,
              WcCsvRow *row)
{
  guint column = 0;
  const char *plain = main_cell (im, row, F_ACTIONS, &column);
  const char *deadline = main_cell (im, row, F_DEADLINE, NULL);
  const char *objective = main_cell (im, row, F_OBJECTIVE, NULL);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GRegex) suffix = g_regex_new ("\\s*\\[(?:due|deadline)\\s+([0-9T+:]+)(?:;\\s*objective\\s+([^\\]]+))?\\]\\s*$",
                                          G_REGEX_CASELESS, 0, NULL);
  JsonArray *array;
  guint n = 0;

  if (plain == NULL)
    return NULL;
  lines = g_strsplit (plain, "\n", -1);
  array = json_array_new ();
  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *due = NULL;
      g_autofree char *obj = NULL;
      JsonObject *o;
      gint64 ms;
      char *text = line;

      while (*text == '-' || *text == '*' || g_str_has_prefix (text, "•"))
        text = g_strstrip (text + (g_str_has_prefix (text, "•") ? strlen ("•") : 1));
      if (*text == '\0')
        continue;
      if (g_regex_match (suffix, text, 0, &match))
        {
          gint start;

          due = g_match_info_fetch (match, 1);
          obj = g_match_info_fetch (match, 2);
          g_match_info_fetch_pos (match, 0, &start, NULL);
          text[start] = '\0';
        }
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
              const char *tr = k == 0 ? NULL : cell_of (im, row, F_ACTIONS, lang, NULL);
              g_auto(GStrv) tr_lines = tr ? g_strsplit (tr, "\n", -1) : NULL;
              g_autofree char *tr_text = NULL;

              if (tr_lines && g_strv_length (tr_lines) > i)
                {
                  g_autoptr(GMatchInfo) m2 = NULL;

                  tr_text = g_strstrip (g_strdup (tr_lines[i]));
                  if (g_regex_match (suffix, tr_text, 0, &m2))
                    {
                      gint start;

                      g_match_info_fetch_pos (m2, 0, &start, NULL);
                      tr_text[start] = '\0';
                    }
                }
              json_object_set_string_member (texts, lang, tr_text && *tr_text ? tr_text : text);
            }
          json_object_set_object_member (o, "text", texts);
        }
      if (due == NULL && deadline)
        due = g_strdup (deadline);
      if (due && *due)
        {
          if (parse_time_cell (due, &ms))
            {
              g_autofree char *formatted = wc_time_format (ms, TRUE);

              json_object_set_string_member (o, "deadline", formatted + 2);
            }
          else
            row_problem (im, WC_SEVERITY_ERROR, row, column, _("e.g. 00:30"),
                         _("“%s” is not a deadline"), due);
        }
      if ((obj && *obj) || objective)
        json_object_set_string_member (o, "objective", objective_id (im, obj && *obj ? obj : objective));
      json_array_add_object_element (array, o);
    }
  return json_node_init_array (json_node_alloc (), array);
}

/* "manual", "after I-3 +00:10", "no-response I-1 00:30" (and their Dutch and French words). */
static JsonNode *
trigger_node (const char *cell)
{
  g_autofree char *text = g_strstrip (g_strdup (cell));
  g_autofree char *norm = normalise (text);
  static const char *const manual[] = { "manual", "manually", "manual only", "handmatig",
                                        "manuel", "manuelle", "on demand", "adhoc", "ad hoc",
                                        NULL };
  g_autoptr(GRegex) after = g_regex_new ("^(?:after|na|apr[eè]s)\\s+([A-Za-z0-9_.-]+)"
                                         "(?:\\s*(?:\\+|plus)?\\s*(T?\\+?[0-9]+(?::[0-9]{2}){0,2}))?$",
                                         G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) silent = g_regex_new ("^(?:no[- ]?response|contingency|geen[- ]antwoord|"
                                          "sans[- ]r[ée]ponse)\\s+(?:to\\s+|op\\s+|[àa]\\s+)?"
                                          "([A-Za-z0-9_.-]+)\\s*(?:within|binnen|sous|dans|in)?"
                                          "\\s*(T?\\+?[0-9]+(?::[0-9]{2}){0,2})$",
                                          G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  JsonObject *o = json_object_new ();
  gint64 ms;

  if (g_strv_contains (manual, norm))
    {
      json_object_set_string_member (o, "type", "manual");
      return json_node_init_object (json_node_alloc (), o);
    }
  if (g_regex_match (after, text, 0, &match))
    {
      g_autofree char *id = g_match_info_fetch (match, 1);
      g_autofree char *delay = g_match_info_fetch (match, 2);
      g_autofree char *formatted = NULL;

      if (delay == NULL || *delay == '\0')
        ms = 0;
      else if (!parse_time_cell (delay, &ms))
        goto bad;
      formatted = wc_time_format (ms, TRUE);
      json_object_set_string_member (o, "type", "after");
      json_object_set_string_member (o, "inject", id);
      json_object_set_string_member (o, "delay", formatted + 2);
      return json_node_init_object (json_node_alloc (), o);
    }
  g_clear_pointer (&match, g_match_info_unref);
  if (g_regex_match (silent, text, 0, &match))
    {
      g_autofree char *id = g_match_info_fetch (match, 1);
      g_autofree char *within = g_match_info_fetch (match, 2);
      g_autofree char *formatted = NULL;

      if (!parse_time_cell (within, &ms))
        goto bad;
      formatted = wc_time_format (ms, TRUE);
      json_object_set_string_member (o, "type", "no-response");
      json_object_set_string_member (o, "inject", id);
      json_object_set_string_member (o, "within", formatted + 2);
      return json_node_init_object (json_node_alloc (), o);
    }
bad:
  json_object_unref (o);
  return NULL;
}

static gboolean
channel_of (const char *cell,
            WcChannel  *channel)
{
  g_autofree char *norm = normalise (cell);

  if (wc_channel_from_string (norm, channel))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (channel_words); i++)
    if (strcmp (norm, channel_words[i].word) == 0)
      {
        *channel = channel_words[i].channel;
        return TRUE;
      }
  return FALSE;
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

/* A team named only in the sheet: its kind guessed from its name. */
static const char *
guess_kind (const char *name)
{
  g_autofree char *n = normalise (name);
  static const struct {
    const char *word;
    const char *kind;
  } words[] = {
    { "csirt", "csirt" }, { "cert", "csirt" }, { "ccb", "csirt" }, { "ncsc", "csirt" },
    { "crisis", "crisis-centre" }, { "crise", "crisis-centre" }, { "nccn", "crisis-centre" },
    { "press", "press-office" }, { "pers", "press-office" }, { "presse", "press-office" },
    { "communication", "press-office" }, { "woordvoerder", "press-office" },
    { "ministry", "government" }, { "ministerie", "government" }, { "ministere", "government" },
    { "government", "government" }, { "regering", "government" }, { "gouvernement", "government" },
    { "fod", "government" }, { "spf", "government" }, { "cabinet", "government" },
    { "authority", "sector-authority" }, { "regulator", "sector-authority" },
    { "toezicht", "sector-authority" }, { "autorite", "sector-authority" },
    { "inspectorate", "sector-authority" }, { "hospital", "operator" }, { "ziekenhuis", "operator" },
    { "hopital", "operator" }, { "operator", "operator" }, { "utility", "operator" },
    { "bank", "operator" }, { "airport", "operator" }, { "telecom", "operator" },
  };
  g_auto(GStrv) tokens = g_strsplit (n, " ", -1);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_strv_contains ((const char *const *) tokens, words[i].word))
      return words[i].kind;
  return "other";
}

static JsonObject *
inject_of_row (Import   *im,
               WcCsvRow *row,
               guint     index)
{
  JsonObject *o = json_object_new ();
  g_autofree char *id = NULL;
  const char *cell;
  guint column = 0;
  JsonNode *node;
  WcChannel channel;

  cell = cell_of (im, row, F_ID, NULL, &column);
  id = cell ? g_strstrip (g_strdup (cell)) : g_strdup_printf ("I-%03u", index + 1);
  if (g_hash_table_contains (im->inject_rows, id))
    row_problem (im, WC_SEVERITY_ERROR, row, column, NULL,
                 _("inject id “%s” is also used on row %u"), id,
                 GPOINTER_TO_UINT (g_hash_table_lookup (im->inject_rows, id)));
  else
    g_hash_table_insert (im->inject_rows, g_strdup (id), GUINT_TO_POINTER (row->number));
  json_object_set_string_member (o, "id", id);

  /* When: a trigger, else a time (which may hold a trigger too) */
  if ((cell = cell_of (im, row, F_TRIGGER, NULL, &column)) != NULL)
    {
      if ((node = trigger_node (cell)) != NULL)
        json_object_set_member (o, "trigger", node);
      else
        row_problem (im, WC_SEVERITY_ERROR, row, column,
                     _("write “manual”, “after I-003 +00:10” or “no-response I-003 00:30”"),
                     _("“%s” is not a trigger"), cell);
    }
  else if ((cell = cell_of (im, row, F_TIME, NULL, &column)) != NULL)
    {
      gint64 ms;

      if (parse_time_cell (cell, &ms))
        {
          g_autofree char *formatted = wc_time_format (ms, TRUE);

          json_object_set_string_member (o, "at", formatted);
          im->last_ms = MAX (im->last_ms, ms);
        }
      else if ((node = trigger_node (cell)) != NULL)
        json_object_set_member (o, "trigger", node);
      else
        row_problem (im, WC_SEVERITY_ERROR, row, column, _("e.g. T+01:30, 01:30 or 90 (minutes)"),
                     _("“%s” is not an exercise time"), cell);
    }
  else
    row_problem (im, WC_SEVERITY_ERROR, row, 0, _("add a time such as T+01:30, or a trigger"),
                 _("inject “%s” has no time"), id);

  if ((node = text_node (im, row, F_TITLE, NULL)) != NULL)
    json_object_set_member (o, "title", node);
  else
    row_problem (im, WC_SEVERITY_ERROR, row, 0, NULL, _("inject “%s” has no subject"), id);
  if ((node = text_node (im, row, F_BODY, NULL)) != NULL)
    json_object_set_member (o, "body", node);
  else if ((cell = main_cell (im, row, F_TITLE, NULL)) != NULL)
    /* a one-line inject: the subject says it all */
    json_object_set_member (o, "body", text_node (im, row, F_TITLE, NULL));

  if ((cell = cell_of (im, row, F_CHANNEL, NULL, &column)) != NULL)
    {
      if (channel_of (cell, &channel))
        json_object_set_string_member (o, "channel", wc_channel_to_string (channel));
      else
        {
          g_autofree char *names = g_strjoinv (", ", (char **) wc_channel_names ());
          g_autofree char *hint = g_strdup_printf (_("one of %s"), names);

          row_problem (im, WC_SEVERITY_ERROR, row, column, hint,
                       _("“%s” is not a channel Whitecell knows"), cell);
        }
    }
  else
    json_object_set_string_member (o, "channel",
                                   main_cell (im, row, F_OPTIONS, NULL) ? "decision" : "email");

  if ((cell = cell_of (im, row, F_FROM, NULL, NULL)) != NULL)
    json_object_set_string_member (o, "from", register_party (im->actors, cell));
  if ((cell = cell_of (im, row, F_TO, NULL, NULL)) != NULL)
    json_object_set_member (o, "to", recipients_node (im, cell));
  else
    row_problem (im, WC_SEVERITY_ERROR, row, 0, _("name the teams, or write “all”"),
                 _("inject “%s” has no recipients"), id);

  if ((cell = cell_of (im, row, F_TLP, NULL, &column)) != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (cell));
      g_autofree char *upper = g_ascii_strup (stripped, -1);
      const char *name = g_str_has_prefix (upper, "TLP:") ? upper + 4 : upper;
      WcTlp tlp;

      if (wc_tlp_from_string (name, &tlp))
        json_object_set_string_member (o, "tlp", wc_tlp_to_string (tlp));
      else
        row_problem (im, WC_SEVERITY_ERROR, row, column, _("CLEAR, GREEN, AMBER, AMBER+STRICT or RED"),
                     _("“%s” is not a TLP marking"), cell);
    }
  if ((cell = cell_of (im, row, F_ATTACHMENTS, NULL, NULL)) != NULL)
    json_object_set_member (o, "attachments", attachments_node (cell));
  if ((node = actions_node (im, row)) != NULL)
    json_object_set_member (o, "expected_actions", node);
  if ((node = options_node (im, row)) != NULL)
    json_object_set_member (o, "options", node);
  if ((cell = cell_of (im, row, F_NOTES, NULL, NULL)) != NULL)
    json_object_set_string_member (o, "notes", cell);
  return o;
}

/* The time every inject is expected at, following after / no-response chains. */
static gint64
latest_time (JsonArray *injects)
{
  g_autoptr(GHashTable) at = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  guint n = json_array_get_length (injects);
  gint64 latest = 0;
  gboolean changed = TRUE;

  for (guint pass = 0; changed && pass <= n; pass++)
    {
      changed = FALSE;
      for (guint i = 0; i < n; i++)
        {
          JsonObject *o = json_array_get_object_element (injects, i);
          const char *id = json_object_get_string_member (o, "id");
          JsonObject *trigger = json_object_has_member (o, "trigger")
                                  ? json_object_get_object_member (o, "trigger") : NULL;
          gint64 ms = -1, delay;

          if (g_hash_table_contains (at, id))
            continue;
          if (json_object_has_member (o, "at"))
            wc_time_parse (json_object_get_string_member (o, "at"), &ms);
          else if (trigger && json_object_has_member (trigger, "inject"))
            {
              gint64 *base = g_hash_table_lookup (at, json_object_get_string_member (trigger, "inject"));
              const char *d = json_object_get_string_member_with_default (
                trigger, "delay", json_object_get_string_member_with_default (trigger, "within", "0"));

              if (base && parse_time_cell (d, &delay))
                ms = *base + delay;
            }
          if (ms >= 0)
            {
              g_hash_table_insert (at, (gpointer) id, g_memdup2 (&ms, sizeof ms));
              latest = MAX (latest, ms);
              changed = TRUE;
            }
        }
    }
  return latest;
}

static JsonArray *
parties_array (GPtrArray  *parties,
               gboolean    teams,
               const char *language)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < parties->len; i++)
    {
      Party *p = g_ptr_array_index (parties, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "id", p->id);
      json_object_set_string_member (o, "name", p->name);
      if (teams)
        {
          json_object_set_string_member (o, "kind", guess_kind (p->name));
          json_object_set_string_member (o, "language", language);
        }
      json_array_add_object_element (array, o);
    }
  return array;
}

/* The sheet's column for a field of an inject ("$.injects[3].to[0]" → the To column). */
static guint
column_of_path (Import     *im,
                const char *member)
{
  static const struct {
    const char *member;
    Field       field;
  } members[] = {
    { "id", F_ID }, { "at", F_TIME }, { "trigger", F_TRIGGER }, { "title", F_TITLE },
    { "body", F_BODY }, { "channel", F_CHANNEL }, { "from", F_FROM }, { "to", F_TO },
    { "tlp", F_TLP }, { "attachments", F_ATTACHMENTS }, { "expected_actions", F_ACTIONS },
    { "options", F_OPTIONS }, { "notes", F_NOTES },
  };

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    if (g_strcmp0 (member, members[m].member) == 0)
      for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; i < im->columns->len; i++)
          {
            Column *col = g_ptr_array_index (im->columns, i);
            /* a trigger may sit in the time column */
            Field wanted = pass == 0 ? members[m].field
                           : members[m].field == F_TRIGGER ? F_TIME
                           : members[m].field == F_TIME ? F_TRIGGER : F_NONE;

            if (col->field == wanted && wanted != F_NONE)
              return i + 1;
          }
  return 0;
}

/* Checks the document with the scenario loader; its findings are placed on the sheet's rows. */
static void
validate_document (Import     *im,
                   JsonNode   *document,
                   const char *base_dir)
{
  g_autoptr(WcDiagnostics) found = wc_diagnostics_new ("scenario");
  g_autoptr(GRegex) inject_path = g_regex_new ("^\\$\\.injects\\[([0-9]+)\\](?:\\.([a-z_]+))?", 0, 0, NULL);
  g_autoptr(WcScenario) scenario = NULL;
  g_autofree char *data = json_to_string (document, TRUE);

  scenario = wc_scenario_load_data (data, strlen (data), base_dir, found, NULL);
  for (guint i = 0; i < wc_diagnostics_get_n_items (found); i++)
    {
      const WcDiagnostic *d = wc_diagnostics_get_item (found, i);
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *k = NULL;
      g_autofree char *member = NULL;
      guint index;
      WcCsvRow *row;

      if (d->path == NULL || !g_regex_match (inject_path, d->path, 0, &match))
        {
          wc_diagnostics_add (im->diag, d->severity, 0, 0, d->path, d->hint, "%s", d->message);
          continue;
        }
      k = g_match_info_fetch (match, 1);
      member = g_match_info_fetch (match, 2);
      index = (guint) g_ascii_strtoull (k, NULL, 10);
      if (index >= im->rows->len)
        continue;
      row = g_ptr_array_index (im->rows, index);
      row_problem (im, d->severity, row, column_of_path (im, member), d->hint, "%s", d->message);
    }
}

JsonNode *
wc_msel_import_data (const char                 *data,
                     gsize                       length,
                     const char                 *name,
                     const char                 *base_dir,
                     const WcMselImportOptions  *options,
                     WcDiagnostics              *diag,
                     WcMselMapping              *mapping,
                     GError                    **error)
{
  const WcMselImportOptions defaults = { 0 };
  g_autoptr(WcCsvTable) table = NULL;
  g_auto(GStrv) option_langs = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *tlp = NULL;
  JsonObject *root, *exercise;
  JsonArray *injects, *languages, *objectives;
  gboolean plain_texts = FALSE;
  guint errors_before = wc_diagnostics_count (diag, WC_SEVERITY_ERROR);
  Import im = { 0 };
  JsonNode *document;

  if (options == NULL)
    options = &defaults;
  mapping->mapped = g_ptr_array_new_with_free_func (g_free);
  mapping->ignored = g_ptr_array_new_with_free_func (g_free);

  table = wc_csv_parse (data, length, diag);
  if (table == NULL || table->rows->len == 0)
    {
      if (wc_diagnostics_count (diag, WC_SEVERITY_ERROR) == errors_before)
        wc_diagnostics_add (diag, WC_SEVERITY_ERROR, 0, 0, NULL, NULL, _("the sheet is empty"));
      g_set_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_INVALID, _("%s: the sheet is empty"), name);
      return NULL;
    }

  im.diag = diag;
  im.columns = g_ptr_array_new_with_free_func (column_free);
  im.langs = g_ptr_array_new_with_free_func (g_free);
  im.teams = g_ptr_array_new_with_free_func (party_free);
  im.actors = g_ptr_array_new_with_free_func (party_free);
  im.objectives = g_ptr_array_new_with_free_func (party_free);
  im.inject_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.rows = g_ptr_array_new ();

  option_langs = g_strsplit (options->languages ? options->languages : "en", ",", -1);
  for (guint i = 0; option_langs[i]; i++)
    {
      g_strstrip (option_langs[i]);
      if (*option_langs[i] && !g_ptr_array_find_with_equal_func (im.langs, option_langs[i], g_str_equal, NULL))
        g_ptr_array_add (im.langs, g_strdup (option_langs[i]));
    }
  if (im.langs->len == 0)
    g_ptr_array_add (im.langs, g_strdup ("en"));
  map_columns (&im, g_ptr_array_index (table->rows, 0), mapping);
  for (guint i = 0; i < im.columns->len; i++)
    {
      Column *col = g_ptr_array_index (im.columns, i);

      plain_texts |= col->lang == NULL && (col->field == F_TITLE || col->field == F_BODY);
    }
  /* Only "Subject (nl)", "Subject (fr)"…: the languages of the columns, in their order */
  if (!plain_texts && options->languages == NULL && im.langs->len > 1)
    {
      g_ptr_array_set_size (im.langs, 0);
      for (guint i = 0; i < im.columns->len; i++)
        {
          Column *col = g_ptr_array_index (im.columns, i);

          if (col->lang && !g_ptr_array_find_with_equal_func (im.langs, col->lang, g_str_equal, NULL))
            g_ptr_array_add (im.langs, g_strdup (col->lang));
        }
    }
  {
    gboolean has_title = FALSE;

    for (guint i = 0; i < im.columns->len; i++)
      has_title |= ((Column *) g_ptr_array_index (im.columns, i))->field == F_TITLE;
    if (!has_title)
      wc_diagnostics_add (diag, WC_SEVERITY_ERROR, 1, 0, NULL,
                          _("name a column “Subject”, “Title” or “Event”"),
                          _("no column holds the injects' subjects"));
  }

  injects = json_array_new ();
  for (guint r = 1; r < table->rows->len; r++)
    {
      WcCsvRow *row = g_ptr_array_index (table->rows, r);
      gboolean empty = TRUE;

      for (guint c = 0; c < row->cells->len; c++)
        {
          char *value = g_ptr_array_index (row->cells, c);
          char *w = value;

          /* a spreadsheet's line breaks inside a cell are CRLF: the scenario's are LF */
          for (const char *q = value; *q; q++)
            if (!(q[0] == '\r' && q[1] == '\n'))
              *w++ = *q == '\r' ? '\n' : *q;
          *w = '\0';
          empty &= *g_strstrip (value) == '\0';
        }
      if (empty)
        continue;
      if (row->cells->len > im.columns->len)
        row_problem (&im, WC_SEVERITY_WARNING, row, 0, NULL,
                     _("%u cells, but the header has %u columns: the rest are ignored"),
                     row->cells->len, im.columns->len);
      g_ptr_array_add (im.rows, row);
      json_array_add_object_element (injects, inject_of_row (&im, row, json_array_get_length (injects)));
    }
  if (json_array_get_length (injects) == 0)
    wc_diagnostics_add (diag, WC_SEVERITY_ERROR, 0, 0, NULL, NULL, _("the sheet holds no injects"));
  if (im.teams->len == 0 && json_array_get_length (injects) > 0)
    wc_diagnostics_add (diag, WC_SEVERITY_ERROR, 0, 0, NULL,
                        _("name the teams in the recipients column"),
                        _("no team is named anywhere in the sheet"));

  /* The exercise */
  stem = g_path_get_basename (name);
  if (strrchr (stem, '.'))
    *strrchr (stem, '.') = '\0';
  exercise = json_object_new ();
  {
    g_autofree char *slug = slugify (stem);

    json_object_set_string_member (exercise, "id",
                                   options->exercise_id ? options->exercise_id : *slug ? slug : "msel");
  }
  json_object_set_string_member (exercise, "title", options->title ? options->title : stem);
  objectives = json_array_new ();
  for (guint i = 0; i < im.objectives->len; i++)
    {
      Party *p = g_ptr_array_index (im.objectives, i);
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "id", p->id);
      json_object_set_string_member (obj, "text", p->name);
      json_array_add_object_element (objectives, obj);
    }
  if (json_array_get_length (objectives) > 0)
    json_object_set_array_member (exercise, "objectives", objectives);
  else
    json_array_unref (objectives);
  tlp = g_ascii_strup (options->tlp ? options->tlp : "AMBER", -1);
  json_object_set_string_member (exercise, "tlp", tlp);
  languages = json_array_new ();
  for (guint i = 0; i < im.langs->len; i++)
    json_array_add_string_element (languages, g_ptr_array_index (im.langs, i));
  json_object_set_array_member (exercise, "languages", languages);
  json_object_set_string_member (exercise, "default_language", g_ptr_array_index (im.langs, 0));
  if (options->duration)
    duration = g_strdup (options->duration);
  else
    {
      /* the last inject, rounded up to the half hour, and half an hour to answer it */
      gint64 half_hour = 30 * 60000, last = latest_time (injects);

      duration = wc_time_format ((last + half_hour - 1) / half_hour * half_hour + half_hour, TRUE);
    }
  json_object_set_string_member (exercise, "duration", duration);

  root = json_object_new ();
  json_object_set_string_member (root, "format", "whitecell-scenario");
  json_object_set_int_member (root, "version", 1);
  json_object_set_object_member (root, "exercise", exercise);
  json_object_set_array_member (root, "teams", parties_array (im.teams, TRUE, g_ptr_array_index (im.langs, 0)));
  if (im.actors->len > 0)
    json_object_set_array_member (root, "actors", parties_array (im.actors, FALSE, NULL));
  json_object_set_array_member (root, "injects", injects);
  document = json_node_init_object (json_node_alloc (), root);
  json_object_unref (root);

  /* The loader only speaks once the sheet itself reads well: no finding twice. */
  if (wc_diagnostics_count (diag, WC_SEVERITY_ERROR) == errors_before)
    validate_document (&im, document, base_dir);

  g_ptr_array_unref (im.columns);
  g_ptr_array_unref (im.langs);
  g_ptr_array_unref (im.teams);
  g_ptr_array_unref (im.actors);
  g_ptr_array_unref (im.objectives);
  g_hash_table_unref (im.inject_rows);
  g_ptr_array_unref (im.rows);

  wc_diagnostics_sort (diag);
  if (wc_diagnostics_count (diag, WC_SEVERITY_ERROR) > errors_before)
    {
      guint n = wc_diagnostics_count (diag, WC_SEVERITY_ERROR) - errors_before;

      g_set_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "%s: %u error", "%s: %u errors", n), name, n);
      json_node_unref (document);
      return NULL;
    }
  return document;
}

JsonNode *
wc_msel_import (const char                 *csv_path,
                const WcMselImportOptions  *options,
                WcDiagnostics              *diag,
                WcMselMapping              *mapping,
                GError                    **error)
{
  g_autofree char *data = NULL;
  g_autofree char *base_dir = g_path_get_dirname (csv_path);
  g_autoptr(GError) io_error = NULL;
  gsize length;

  if (!g_file_get_contents (csv_path, &data, &length, &io_error))
    {
      wc_diagnostics_add (diag, WC_SEVERITY_ERROR, 0, 0, NULL, NULL, "%s", io_error->message);
      g_set_error (error, WC_MSEL_ERROR, WC_MSEL_ERROR_IO, "%s", io_error->message);
      mapping->mapped = g_ptr_array_new_with_free_func (g_free);
      mapping->ignored = g_ptr_array_new_with_free_func (g_free);
      return NULL;
    }
  return wc_msel_import_data (data, length, csv_path, base_dir, options, diag, mapping, error);
}

/* Export */

static char *
party_cell (const WcText *name,
            const char   *id,
            const char   *lang)
{
  const char *text = wc_text_get (name, lang, NULL);
  g_autofree char *slug = slugify (text ? text : id);

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
              if (l == 0 && (action->deadline_ms >= 0 || action->objective))
                {
                  g_autofree char *due = action->deadline_ms >= 0
                                           ? wc_time_format (action->deadline_ms, TRUE) : NULL;

                  g_string_append (actions, " [");
                  if (due)
                    g_string_append_printf (actions, "due %s", due + 2);
                  if (action->objective)
                    g_string_append_printf (actions, "%sobjective %s", due ? "; " : "", action->objective);
                  g_string_append_c (actions, ']');
                }
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
