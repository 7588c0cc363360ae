/* wc-import-t3sf.c: a T3SF (Technical Tabletop Exercises Simple Framework) MSEL into a Whitecell
 * scenario.
 *
 * T3SF's MSEL is a JSON array of rows as its spreadsheet had them: "#", "Real Time", "Date" (the
 * scenario's clock, "Monday 9:30 AM"), "Subject", "From", "Player", "Script", "Poll" ("A | B"),
 * "Photo", "Picture Name", "Profile". It sends one row per player channel, so a message to five
 * teams is five rows with the same text: those are merged back into one inject.
 */
#define G_LOG_DOMAIN "wc-import-t3sf"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "wc-import-formats-private.h"

static const char *const known_keys[] = { "#", "Real Time", "Date", "Subject", "From", "Player",
                                          "Script", "Poll", "Photo", "Picture Name", "Profile",
                                          NULL };

/* "Monday 9:30 AM", "9:30 AM", "07:29 PM", "14:05": minutes from the start of the week (or of
 * the day when no day is named), -1 when it is none of these. */
static gint64
parse_clock (const char *str)
{
  static const char *const days[] = { "monday", "tuesday", "wednesday", "thursday", "friday",
                                      "saturday", "sunday", NULL };
  g_autofree char *lower = g_ascii_strdown (str ? str : "", -1);
  g_auto(GStrv) words = g_strsplit_set (g_strstrip (lower), " ", 4);
  int day = 0, hour = -1, minute = -1;
  guint w = 0;

  if (words[0] == NULL)
    return -1;
  for (int d = 0; days[d]; d++)
    if (strcmp (words[0], days[d]) == 0 || (strlen (words[0]) == 3 &&
                                            strncmp (words[0], days[d], 3) == 0))
      {
        day = d;
        w = 1;
      }
  if (words[w] == NULL || sscanf (words[w], "%2d:%2d", &hour, &minute) != 2 ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59)
    return -1;
  if (words[w + 1] && strcmp (words[w + 1], "pm") == 0 && hour < 12)
    hour += 12;
  else if (words[w + 1] && strcmp (words[w + 1], "am") == 0 && hour == 12)
    hour = 0;
  return (gint64) day * 24 * 60 + hour * 60 + minute;
}

typedef struct {
  const WcJsonNode *row;
  gint64            minute;   /* of the week, -1 unknown */
  JsonObject       *inject;   /* the inject it became (borrowed from the array) */
} Row;

static const char *
cell (const WcJsonNode *row,
      const char       *key)
{
  const char *s = wc_formats_get_string (row, key);

  for (const char *p = s; p && *p; p++)
    if (!g_ascii_isspace (*p))
      return s;
  return NULL;
}

static gboolean
same_message (const WcJsonNode *a,
              const WcJsonNode *b)
{
  static const char *const keys[] = { "Date", "Subject", "From", "Script", "Poll", "Photo", NULL };

  for (guint i = 0; keys[i]; i++)
    if (g_strcmp0 (wc_formats_get_string (a, keys[i]), wc_formats_get_string (b, keys[i])) != 0)
      return FALSE;
  return TRUE;
}

static char *
team_for (const char     *player,
          GHashTable     *teams,      /* name → id */
          GHashTable     *ids,
          JsonArray      *out,
          WcImportReport *report)
{
  const char *id = g_hash_table_lookup (teams, player);
  JsonObject *team;
  char *new_id;

  if (id)
    return g_strdup (id);
  /* "PR/Comm" stays one team: the slash goes from the id, the name keeps it */
  new_id = wc_formats_make_id (player, "team", ids);
  g_hash_table_insert (teams, g_strdup (player), g_strdup (new_id));
  team = json_object_new ();
  json_object_set_string_member (team, "id", new_id);
  json_object_set_string_member (team, "name", player);
  json_object_set_string_member (team, "kind", "other");
  json_array_add_object_element (out, team);
  wc_import_report_add (report, WC_MAPPING_MAPPED, "Player", _("\"%s\" → team %s"), player,
                        new_id);
  return new_id;
}

static char *
actor_for (const char     *from,
           GHashTable     *actors,
           GHashTable     *ids,
           JsonArray      *out,
           WcImportReport *report)
{
  const char *id = g_hash_table_lookup (actors, from);
  JsonObject *actor;
  char *new_id;

  if (id)
    return g_strdup (id);
  new_id = wc_formats_make_id (from, "sender", ids);
  g_hash_table_insert (actors, g_strdup (from), g_strdup (new_id));
  actor = json_object_new ();
  json_object_set_string_member (actor, "id", new_id);
  json_object_set_string_member (actor, "name", from);
  json_array_add_object_element (out, actor);
  wc_import_report_add (report, WC_MAPPING_MAPPED, "From", _("\"%s\" → actor %s"), from, new_id);
  return new_id;
}

static void
add_options (JsonObject     *inject,
             const char     *poll,
             const char     *source,
             WcImportReport *report)
{
  g_auto(GStrv) parts = g_strsplit (poll, "|", 21);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *options = json_array_new ();

  for (guint i = 0; parts[i]; i++)
    {
      const char *text = g_strstrip (parts[i]);
      g_autofree char *id = NULL;
      JsonObject *o;

      if (*text == '\0')
        continue;
      id = wc_formats_make_id (text, "option", ids);
      o = json_object_new ();
      json_object_set_string_member (o, "id", id);
      json_object_set_string_member (o, "text", text);
      json_array_add_object_element (options, o);
    }
  if (json_array_get_length (options) < 2)
    {
      wc_import_report_add (report, WC_MAPPING_WARNING, source,
                            _("a poll with fewer than two choices (\"%s\"): sent as a message"),
                            poll);
      json_array_unref (options);
      return;
    }
  json_object_set_string_member (inject, "channel", "decision");
  json_object_set_array_member (inject, "options", options);
  wc_import_report_add (report, WC_MAPPING_MAPPED, source, _("poll → a decision with %u options"),
                        json_array_get_length (options));
}

static JsonObject *
make_inject (const WcJsonNode *row,
             guint             n,
             gint64            at_ms,
             const char       *actor,
             WcImportReport   *report)
{
  const char *subject = cell (row, "Subject");
  const char *script = cell (row, "Script");
  const char *poll = cell (row, "Poll");
  const char *photo = cell (row, "Photo");
  const char *picture = cell (row, "Picture Name");
  const char *profile = cell (row, "Profile");
  g_autofree char *id = g_strdup_printf ("T%03u", n);
  g_autofree char *source = g_strdup_printf ("row %u", n);
  g_autoptr(GString) body = g_string_new (script ? script : subject ? subject : "");
  g_autoptr(GString) notes = g_string_new (NULL);
  JsonObject *inject = json_object_new ();

  json_object_set_string_member (inject, "id", id);
  wc_formats_set_time (inject, "at", at_ms);
  json_object_set_string_member (inject, "channel", "email");
  if (actor)
    json_object_set_string_member (inject, "from", actor);
  json_object_set_array_member (inject, "to", json_array_new ());
  json_object_set_string_member (inject, "title", subject ? subject : _("Message"));
  if (subject == NULL)
    wc_import_report_add (report, WC_MAPPING_GUESSED, source, _("no Subject: \"Message\""));
  if (photo)
    {
      /* the picture is on the web, not in the MSEL: a link the players can open */
      g_string_append_printf (body, "\n\n%s: %s <%s>", _("Picture"),
                              picture ? picture : _("image"), photo);
      wc_import_report_add (report, WC_MAPPING_KEPT, source,
                            _("Photo → a link in the body (the file is not downloaded)"));
    }
  else if (picture)
    {
      g_string_append_printf (notes, "x-picture-name: %s\n", picture);
      wc_import_report_add (report, WC_MAPPING_KEPT, source,
                            _("Picture Name without a Photo → controller notes"));
    }
  if (profile)
    {
      g_string_append_printf (notes, "x-profile: %s\n", profile);
      wc_import_report_add (report, WC_MAPPING_KEPT, source,
                            _("Profile (the sender's avatar) → controller notes"));
    }
  json_object_set_string_member (inject, "body", body->len ? body->str : _("(no text)"));
  if (poll)
    add_options (inject, poll, source, report);
  for (const WcJsonNode *m = row->v.children.first; m; m = m->next)
    if (!g_strv_contains (known_keys, m->key) && m->type == WC_JSON_STRING && *m->v.string)
      {
        g_string_append_printf (notes, "x-%s: %s\n", m->key, m->v.string);
        wc_import_report_add (report, WC_MAPPING_KEPT, m->key,
                              _("not a T3SF column: kept in the controller notes"));
      }
  if (notes->len)
    json_object_set_string_member (inject, "notes", g_strchomp (notes->str));
  return inject;
}

WcScenario *
wc_import_t3sf (const char      *path,
                WcImportReport  *report,
                GError         **error)
{
  g_autoptr(WcJsonDocument) jdoc = wc_formats_read_json (path, error);
  g_autoptr(GHashTable) team_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) team_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) actor_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             g_free);
  g_autoptr(GHashTable) actor_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) ex_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *ex_id = NULL;
  WcFormatsStaging staging = { NULL };
  const WcJsonNode *root;
  JsonArray *teams, *actors, *injects;
  JsonObject *doc, *previous = NULL;
  gint64 first = -1, latest = 0;
  const char *clock_key = "Date";
  guint n = 0;

  if (jdoc == NULL)
    return NULL;
  root = wc_json_document_get_root (jdoc);
  for (const WcJsonNode *r = root->type == WC_JSON_ARRAY ? root->v.children.first : NULL; r;
       r = r->next)
    if (r->type == WC_JSON_OBJECT && (wc_json_object_get (r, "Script") ||
                                      wc_json_object_get (r, "Player")))
      {
        Row row = { r, -1, NULL };

        g_array_append_val (rows, row);
      }
  if (rows->len == 0)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_UNKNOWN_FORMAT,
                   _("%s: not a T3SF MSEL (an array of rows with \"Script\" and \"Player\")"),
                   path);
      return NULL;
    }

  /* the scenario's clock ("Date") when every row has one, else the real time, else the order */
  for (guint pass = 0; pass < 2; pass++)
    {
      gboolean all = TRUE;

      clock_key = pass == 0 ? "Date" : "Real Time";
      for (guint i = 0; i < rows->len && all; i++)
        all = parse_clock (wc_formats_get_string (g_array_index (rows, Row, i).row, clock_key)) >= 0;
      if (all)
        break;
      clock_key = NULL;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      row->minute = clock_key ? parse_clock (wc_formats_get_string (row->row, clock_key)) : i;
      if (first < 0 || row->minute < first)
        first = first < 0 ? row->minute : MIN (first, row->minute);
    }
  if (clock_key)
    wc_import_report_add (report, strcmp (clock_key, "Date") == 0 ? WC_MAPPING_MAPPED
                                                                   : WC_MAPPING_GUESSED,
                          clock_key, _("inject times, counted from the first row's"));
  else
    wc_import_report_add (report, WC_MAPPING_GUESSED, "Date",
                          _("no usable times: the rows one minute apart, in order"));
  wc_import_report_add (report, WC_MAPPING_DROPPED, "#", _("row numbers: ids are T001, T002…"));
  if (clock_key && strcmp (clock_key, "Date") == 0)
    wc_import_report_add (report, WC_MAPPING_DROPPED, "Real Time",
                          _("the wall clock of a past run: the scenario's clock is used"));

  teams = json_array_new ();
  actors = json_array_new ();
  injects = json_array_new ();
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      const char *player = cell (row->row, "Player");
      const char *from = cell (row->row, "From");
      g_autofree char *team = team_for (player ? player : "Players", team_names, team_ids, teams,
                                        report);
      g_autofree char *actor = from ? actor_for (from, actor_names, actor_ids, actors, report)
                                    : NULL;
      gint64 at_ms = (row->minute - first) * 60 * 1000;
      JsonArray *to;

      if (at_ms > WC_SCENARIO_MAX_DURATION_MS - 3600 * 1000)
        at_ms = WC_SCENARIO_MAX_DURATION_MS - 3600 * 1000;
      if (previous && i > 0 && same_message (g_array_index (rows, Row, i - 1).row, row->row))
        {
          /* one message to several players: one inject to several teams */
          to = json_object_get_array_member (previous, "to");
          for (guint k = 0; k < json_array_get_length (to); k++)
            if (strcmp (json_array_get_string_element (to, k), team) == 0)
              team[0] = '\0';
          if (team[0])
            json_array_add_string_element (to, team);
          wc_import_report_add (report, WC_MAPPING_MAPPED, "Player",
                                _("row %u repeats row %u for \"%s\": merged into one inject"),
                                i + 1, i, player ? player : "Players");
          continue;
        }
      previous = make_inject (row->row, ++n, at_ms, actor, report);
      json_array_add_string_element (json_object_get_array_member (previous, "to"), team);
      json_array_add_object_element (injects, previous);
      latest = MAX (latest, at_ms);
    }
  wc_import_report_add (report, WC_MAPPING_GUESSED, "channel",
                        _("T3SF posts to chat channels: messages become e-mails"));
  wc_import_report_add (report, WC_MAPPING_GUESSED, "tlp", _("T3SF has no TLP: AMBER"));

  {
    g_autofree char *stem = g_strndup (base, strcspn (base, "."));

    ex_id = wc_formats_make_id (stem, "t3sf", ex_ids);
    doc = wc_formats_new_document (ex_id, stem, NULL, wc_formats_duration_for (latest));
  }
  json_object_set_array_member (doc, "teams", teams);
  if (json_array_get_length (actors) > 0)
    json_object_set_array_member (doc, "actors", actors);
  else
    json_array_unref (actors);
  json_object_set_array_member (doc, "injects", injects);
  return wc_formats_finish (doc, path, &staging, report, error);
}
