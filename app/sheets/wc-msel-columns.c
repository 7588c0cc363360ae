/* wc-msel-columns.c: the words of an MSEL sheet: its headings (in English, Dutch and French),
 * the channels, triggers, recipients and times planners write in its cells, and where each field
 * sits in a sheet's columns.
 *
 * Headings are matched case-insensitively against the usual MSEL names; a heading ending in "(fr)"
 * or "[fr]" holds that language's text.
 */
#define G_LOG_DOMAIN "wc-msel"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-msel-private.h"

const char *const wc_msel_field_names[] = {
  "id", "time", "trigger", "from", "to", "channel", "tlp", "title", "body", "expected actions",
  "deadline", "objective", "options", "attachments", "notes", "judge",
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
  /* how expected actions are judged without a person; "Assessment" and "Evaluator notes" stay
   * unknown: sheets use them for the evaluators' own remarks */
  { "judge", F_JUDGE }, { "judged by", F_JUDGE }, { "judging rule", F_JUDGE },
  { "beoordeling", F_JUDGE }, { "beoordeeld via", F_JUDGE }, { "evaluation", F_JUDGE },
  { "regle d evaluation", F_JUDGE },
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
  { "chat message", WC_CHANNEL_CHAT }, { "instant message", WC_CHANNEL_CHAT },
  { "chatbericht", WC_CHANNEL_CHAT }, { "tchat", WC_CHANNEL_CHAT }, { "teams", WC_CHANNEL_CHAT },
  { "slack", WC_CHANNEL_CHAT }, { "signal", WC_CHANNEL_CHAT }, { "whatsapp", WC_CHANNEL_CHAT },
  { "messagerie instantanee", WC_CHANNEL_CHAT },
};

void
wc_msel_column_free (gpointer data)
{
  Column *c = data;

  g_free (c->lang);
  g_free (c->heading);
  g_free (c);
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

char *
wc_msel_slugify (const char *text)
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

Field
wc_msel_heading_field (const char  *heading,
                       char       **lang_out)
{
  g_autofree char *lang = NULL;
  g_autofree char *base = split_language (heading, &lang);
  g_autofree char *norm = normalise (base);
  Field field = F_NONE;

  for (guint k = 0; k < G_N_ELEMENTS (synonyms); k++)
    if (strcmp (norm, synonyms[k].heading) == 0)
      field = synonyms[k].field;
  if (field == F_NONE && lang)
    {
      /* "(nl)" was part of the heading after all */
      g_autofree char *whole = normalise (heading);

      g_clear_pointer (&lang, g_free);
      for (guint k = 0; k < G_N_ELEMENTS (synonyms); k++)
        if (strcmp (whole, synonyms[k].heading) == 0)
          field = synonyms[k].field;
    }
  if (lang_out)
    *lang_out = g_steal_pointer (&lang);
  return field;
}

void
wc_msel_map_columns (Import        *im,
                     WcCsvRow      *header,
                     WcMselMapping *mapping)
{
  for (guint i = 0; i < header->cells->len; i++)
    {
      const char *heading = g_ptr_array_index (header->cells, i);
      Column *col = g_new0 (Column, 1);

      col->heading = g_strdup (heading);
      col->field = wc_msel_heading_field (heading, &col->lang);
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
                                                             wc_msel_field_names[col->field],
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
const char *
wc_msel_cell_of (Import     *im,
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
const char *
wc_msel_main_cell (Import   *im,
                   WcCsvRow *row,
                   Field     field,
                   guint    *column)
{
  const char *value = wc_msel_cell_of (im, row, field, NULL, column);

  if (value == NULL && im->langs->len > 0)
    value = wc_msel_cell_of (im, row, field, g_ptr_array_index (im->langs, 0), column);
  return value;
}

void
wc_msel_row_problem (Import     *im,
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

gboolean
wc_msel_parse_time (const char *cell,
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

gboolean
wc_msel_is_everyone (const char *word)
{
  g_autofree char *n = normalise (word);
  static const char *const all[] = { "all", "everyone", "all players", "all teams", "tous",
                                     "toutes", "tout le monde", "iedereen", "allen", "alle teams",
                                     NULL };

  return g_strv_contains (all, n);
}

/* An "after" or "no-response" trigger from its match: the inject (group 1), and the time
 * (group 2; none is no time at all). NULL when the time is not one. */
static JsonNode *
timed_trigger (GMatchInfo *match,
               const char *type,
               const char *time_member)
{
  g_autofree char *id = g_match_info_fetch (match, 1);
  g_autofree char *time = g_match_info_fetch (match, 2);
  g_autofree char *formatted = NULL;
  JsonObject *o;
  gint64 ms = 0;

  if (time != NULL && *time != '\0' && !wc_msel_parse_time (time, &ms))
    return NULL;
  formatted = wc_time_format (ms, TRUE);
  o = json_object_new ();
  json_object_set_string_member (o, "type", type);
  json_object_set_string_member (o, "inject", id);
  json_object_set_string_member (o, time_member, formatted + 2);
  return json_node_init_object (json_node_alloc (), o);
}

/* "manual", "after I-3 +00:10", "no-response I-1 00:30" (and their Dutch and French words). */
JsonNode *
wc_msel_trigger_node (const char *cell)
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

  if (g_strv_contains (manual, norm))
    {
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "type", "manual");
      return json_node_init_object (json_node_alloc (), o);
    }
  if (g_regex_match (after, text, 0, &match))
    return timed_trigger (match, "after", "delay");
  g_clear_pointer (&match, g_match_info_unref);
  /* the no-response pattern requires its time */
  if (g_regex_match (silent, text, 0, &match))
    return timed_trigger (match, "no-response", "within");
  return NULL;
}

/* A rule as planners write it ("acknowledge", "ontvangst", "réponse", "option: staged",
 * "optie ja"…) in the scenario's words: "manual", "acknowledge", "answer" or "option:ID". NULL
 * when it is none of them. The option's id is kept as written: ids are case-sensitive. */
char *
wc_msel_judge_rule (const char *cell)
{
  static const struct {
    const char *word;
    const char *rule;
  } words[] = {
    { "manual", "manual" }, { "manually", "manual" }, { "person", "manual" },
    { "evaluator", "manual" }, { "handmatig", "manual" }, { "manuel", "manual" },
    { "manuelle", "manual" }, { "evaluateur", "manual" },
    { "acknowledge", "acknowledge" }, { "acknowledged", "acknowledge" }, { "ack", "acknowledge" },
    { "ontvangst", "acknowledge" }, { "ontvangstbevestiging", "acknowledge" },
    { "bevestigd", "acknowledge" }, { "accuse de reception", "acknowledge" },
    { "accuse reception", "acknowledge" },
    { "answer", "answer" }, { "answered", "answer" }, { "response", "answer" },
    { "reply", "answer" }, { "antwoord", "answer" }, { "beantwoord", "answer" },
    { "reponse", "answer" },
  };
  static const char *const option_words[] = { "option", "optie", "choice", "keuze", "choix", NULL };
  g_autofree char *text = g_strstrip (g_strdup (cell));
  g_autofree char *norm = normalise (text);
  g_autofree char *head = NULL;
  g_autofree char *norm_head = NULL;
  const char *id;
  gsize n;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (norm, words[i].word) == 0)
      return g_strdup (words[i].rule);
  /* "option:ID", "option: ID" or "option ID" */
  n = strcspn (text, ": \t");
  head = g_strndup (text, n);
  norm_head = normalise (head);
  id = text + n;
  while (*id == ':' || *id == ' ' || *id == '\t')
    id++;
  if (!g_strv_contains (option_words, norm_head) || *id == '\0')
    return NULL;
  return g_strconcat ("option:", id, NULL);
}

gboolean
wc_msel_channel_of (const char *cell,
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

/* A team named only in the sheet: its kind guessed from its name. */
const char *
wc_msel_guess_kind (const char *name)
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

/* The sheet's column for a field of an inject ("$.injects[3].to[0]" → the To column). */
guint
wc_msel_column_of_member (Import     *im,
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