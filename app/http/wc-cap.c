/* wc-cap.c: warnings as CAP 1.2 documents (OASIS Common Alerting Protocol), written with
 * libxml2's text writer so that participants' text is always escaped. */
#define G_LOG_DOMAIN "wc-cap"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "wc-cap.h"
#include "wc-record.h"
#include "wc-traffic-views.h"

#define CAP_NAMESPACE "urn:oasis:names:tc:emergency:cap:1.2"

G_DEFINE_QUARK (wc-cap-error-quark, wc_cap_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlTextWriter, xmlFreeTextWriter)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlBuffer, xmlBufferFree)

/* @text without what XML 1.0 cannot carry (control characters but tab and line ends, U+FFFE,
 * U+FFFF): JSON allows "\u0001" in a participant's text, an XML reader refuses it. */
static char *
xml_clean (const char *text)
{
  GString *out = g_string_sized_new (text ? strlen (text) : 0);

  for (const char *p = text; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
        continue;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* For identifier and sender, which CAP wants without spaces, commas, '<' or '&'. */
static char *
cap_token (const char *text)
{
  char *token = g_strdup (text ? text : "");

  for (char *p = token; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_' && *p != '@')
      *p = '-';
  return token;
}

static gboolean
write_element (xmlTextWriter *w,
               const char    *name,
               const char    *value)
{
  g_autofree char *clean = xml_clean (value);

  return xmlTextWriterWriteElement (w, BAD_CAST name, BAD_CAST clean) >= 0;
}

static gboolean
write_parameter (xmlTextWriter *w,
                 const char    *name,
                 const char    *value)
{
  return xmlTextWriterStartElement (w, BAD_CAST "parameter") >= 0 &&
         write_element (w, "valueName", name) &&
         write_element (w, "value", value) &&
         xmlTextWriterEndElement (w) >= 0;
}

/* The wall time of exercise time @t_ms: when the clock first started, plus @t_ms (as the
 * scenario's timeline reads, pauses and speed aside). NULL before the clock ever ran. */
static GDateTime *
exercise_wall_time (WcEngine *engine,
                    gint64    t_ms)
{
  WcJournal *journal = wc_engine_get_journal (engine);
  guint n = wc_journal_get_n_records (journal);

  for (guint i = 0; i < n; i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i);
      g_autoptr(GDateTime) start = NULL;

      if (wc_record_type_from_string (r->type) != WC_RECORD_CLOCK_STARTED)
        continue;
      start = g_date_time_new_from_iso8601 (r->time, NULL);
      if (start == NULL)
        return NULL;
      return g_date_time_add (start, (t_ms - r->t_ms) * G_TIME_SPAN_MILLISECOND);
    }
  return NULL;
}

/* CAP 1.2's dateTime: with an offset, never "Z", no fraction. */
static char *
cap_time (GDateTime *utc)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

static const char *
form_name (const char *form)
{
  return g_strcmp0 (form, "ews") == 0 ? "Early Warning System bulletin" : "Spear Warning";
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
or_unknown (const char *value)
{
  return value ? value : "Unknown";
}

/* The indicators and their MISP tagging; the tags once, as they apply to every indicator. */
static gboolean
write_indicators (xmlTextWriter *w,
                  JsonArray     *indicators,
                  const char    *tlp)
{
  g_autofree char *lower = NULL;
  g_autofree char *tlp_tag = NULL;
  guint n = indicators ? json_array_get_length (indicators) : 0;
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < n; i++)
    {
      JsonNode *node = json_array_get_element (indicators, i);
      JsonObject *indicator = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *type = string_member (indicator, "type");
      const char *value = string_member (indicator, "value");
      g_autofree char *name = NULL;

      if (type == NULL || value == NULL)
        continue;
      name = g_strconcat ("MISP:", type, NULL);
      ok = write_parameter (w, name, value);
    }
  if (n == 0 || !ok)
    return ok;
  /* the MISP tlp taxonomy's tags are lower case: tlp:amber, tlp:amber+strict */
  lower = g_ascii_strdown (tlp, -1);
  tlp_tag = g_strconcat ("tlp:", lower, NULL);
  return write_parameter (w, "MISP:tag", tlp_tag) &&
         write_parameter (w, "MISP:tag", WC_CAP_MISP_EXERCISE_TAG) &&
         write_parameter (w, "MISP:tag", WC_CAP_MISP_IDS_TAG);
}

static gboolean
write_info (xmlTextWriter       *w,
            WcEngine            *engine,
            const WcTrafficItem *item,
            const char          *lang,
            JsonObject          *text,
            const char          *tlp)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *marking = wc_exercise_marking (lang);
  const char *headline = string_member (text, "headline");
  g_autofree char *event = g_strdup_printf ("%s – %s", marking,
                                            form_name (string_member (item->data, "form")));
  g_autofree char *marked = g_strdup_printf ("[%s] %s", marking, headline ? headline : "");
  g_autofree char *tlp_value = g_strconcat ("TLP:", tlp, NULL);
  const char *sender = wc_traffic_views_sender_name (scenario, item, lang);
  const char *asset = string_member (item->data, "asset");
  JsonNode *indicators = json_object_get_member (item->data, "indicators");

  /* the schema's order */
  return xmlTextWriterStartElement (w, BAD_CAST "info") >= 0 &&
         write_element (w, "language", lang) &&
         write_element (w, "category", "Security") &&
         write_element (w, "event", event) &&
         write_element (w, "urgency", or_unknown (string_member (item->data, "urgency"))) &&
         write_element (w, "severity", or_unknown (string_member (item->data, "severity"))) &&
         write_element (w, "certainty", or_unknown (string_member (item->data, "certainty"))) &&
         write_element (w, "senderName", sender ? sender : "Exercise control") &&
         write_element (w, "headline", marked) &&
         (string_member (text, "description") == NULL ||
          write_element (w, "description", string_member (text, "description"))) &&
         (string_member (text, "instruction") == NULL ||
          write_element (w, "instruction", string_member (text, "instruction"))) &&
         write_parameter (w, "TLP", tlp_value) &&
         write_parameter (w, "exercise-marking", marking) &&
         write_parameter (w, "exercise", wc_scenario_get_id (scenario)) &&
         (asset == NULL || write_parameter (w, "asset", asset)) &&
         write_indicators (w, indicators && JSON_NODE_HOLDS_ARRAY (indicators)
                                ? json_node_get_array (indicators) : NULL, tlp) &&
         xmlTextWriterEndElement (w) >= 0;
}

static gboolean
write_alert (xmlTextWriter       *w,
             WcEngine            *engine,
             const WcTrafficItem *item)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *exercise = wc_scenario_get_id (scenario);
  const char *tlp = string_member (item->data, "tlp");
  JsonNode *texts_node = json_object_get_member (item->data, "texts");
  JsonObject *texts = texts_node && JSON_NODE_HOLDS_OBJECT (texts_node)
                      ? json_node_get_object (texts_node) : NULL;
  g_autofree char *exercise_token = cap_token (exercise);
  g_autofree char *identifier = g_strdup_printf ("%s-%s", exercise_token, item->id);
  /* ".invalid" (RFC 2606): no reader can take the sender for a real organisation's domain */
  g_autofree char *sender_raw = g_strdup_printf ("%s@%s.exercise.invalid",
                                                 item->from ? item->from
                                                 : item->from_actor ? item->from_actor
                                                 : "control", exercise);
  g_autofree char *sender = cap_token (sender_raw);
  g_autoptr(GDateTime) wall = exercise_wall_time (engine, item->t_ms);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *sent = cap_time (wall ? wall : now);
  g_autofree char *restriction = NULL;
  g_autofree char *note = NULL;
  g_autofree char *source = g_strdup_printf ("Whitecell exercise %s", exercise);
  JsonObjectIter iter;
  const char *marking;
  const char *lang;
  JsonNode *text;
  gboolean ok;

  if (tlp == NULL)
    tlp = wc_tlp_to_string (wc_scenario_get_tlp (scenario));
  restriction = g_strdup_printf ("TLP:%s", tlp);
  marking = wc_exercise_marking (wc_scenario_get_default_language (scenario));
  note = g_strdup_printf ("%s%sEXERCISE – %s: not a real alert. TLP:%s.",
                          strcmp (marking, "EXERCISE") != 0 ? marking : "",
                          strcmp (marking, "EXERCISE") != 0 ? " / " : "", source, tlp);
  ok = xmlTextWriterStartElementNS (w, NULL, BAD_CAST "alert", BAD_CAST CAP_NAMESPACE) >= 0 &&
       write_element (w, "identifier", identifier) &&
       write_element (w, "sender", sender) &&
       write_element (w, "sent", sent) &&
       write_element (w, "status", "Exercise") &&
       write_element (w, "msgType", "Alert") &&
       write_element (w, "source", source) &&
       write_element (w, "scope", "Restricted") &&
       write_element (w, "restriction", restriction) &&
       write_element (w, "note", note);
  if (ok && texts && json_object_get_size (texts) > 0)
    {
      json_object_iter_init (&iter, texts);
      while (ok && json_object_iter_next (&iter, &lang, &text))
        ok = write_info (w, engine, item, lang,
                         JSON_NODE_HOLDS_OBJECT (text) ? json_node_get_object (text) : NULL, tlp);
    }
  else if (ok)
    ok = write_info (w, engine, item, wc_scenario_get_default_language (scenario), NULL, tlp);
  return ok && xmlTextWriterEndElement (w) >= 0;
}

GBytes *
wc_cap_write_warning (WcEngine            *engine,
                      const WcTrafficItem *item,
                      GError             **error)
{
  g_autoptr(xmlBuffer) buffer = NULL;
  g_autoptr(xmlTextWriter) writer = NULL;

  g_return_val_if_fail (item != NULL, NULL);

  if (item->kind != WC_TRAFFIC_WARNING)
    {
      g_set_error (error, WC_CAP_ERROR, WC_CAP_ERROR_NOT_A_WARNING,
                   _("%s is not a warning"), item->id);
      return NULL;
    }
  buffer = xmlBufferCreate ();
  writer = xmlNewTextWriterMemory (buffer, 0);
  if (writer == NULL || xmlTextWriterSetIndent (writer, 1) < 0 ||
      xmlTextWriterSetIndentString (writer, BAD_CAST "  ") < 0 ||
      xmlTextWriterStartDocument (writer, NULL, "UTF-8", NULL) < 0 ||
      !write_alert (writer, engine, item) || xmlTextWriterEndDocument (writer) < 0)
    {
      g_set_error (error, WC_CAP_ERROR, WC_CAP_ERROR_WRITE,
                   _("Could not write the CAP document of %s"), item->id);
      return NULL;
    }
  /* the writer flushes into the buffer as it is freed */
  g_clear_pointer (&writer, xmlFreeTextWriter);
  return g_bytes_new (xmlBufferContent (buffer), xmlBufferLength (buffer));
}
