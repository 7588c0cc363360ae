/* wc-engine-actions.c: what controllers and teams can do; each action is a journal record. */
#define G_LOG_DOMAIN "wc-engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "wc-engine-private.h"
#include "wc-untrusted.h"

/* Controller actions --------------------------------------------------------------------------- */

static gboolean
require_state (WcEngine     *self,
               guint         allowed,  /* bit mask of WcEngineState */
               const char   *action,
               GError      **error)
{
  if (allowed & (1u << self->state))
    return TRUE;
  g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE,
               _("Cannot %s: the exercise is %s"), action, wc_engine_state_to_string (self->state));
  return FALSE;
}

#define STATE_BIT(s) (1u << (s))
#define LIVE (STATE_BIT (WC_ENGINE_RUNNING) | STATE_BIT (WC_ENGINE_PAUSED))
#define NOT_ENDED (LIVE | STATE_BIT (WC_ENGINE_READY))

gboolean
wc_engine_start (WcEngine *self, GError **error)
{
  return require_state (self, STATE_BIT (WC_ENGINE_READY), _("start"), error) &&
         wc_engine_record_now (self, WC_RECORD_CLOCK_STARTED, NULL, error);
}

gboolean
wc_engine_pause (WcEngine *self, GError **error)
{
  return require_state (self, STATE_BIT (WC_ENGINE_RUNNING), _("pause"), error) &&
         wc_engine_record_now (self, WC_RECORD_CLOCK_PAUSED, NULL, error);
}

gboolean
wc_engine_resume_clock (WcEngine *self, GError **error)
{
  return require_state (self, STATE_BIT (WC_ENGINE_PAUSED), _("resume"), error) &&
         wc_engine_record_now (self, WC_RECORD_CLOCK_RESUMED, NULL, error);
}

static JsonObject *
reason_data (const char *reason)
{
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "reason", reason ? reason : "controller");
  return data;
}

gboolean
wc_engine_end (WcEngine   *self,
               const char *reason,
               GError    **error)
{
  return require_state (self, NOT_ENDED, _("end"), error) &&
         wc_engine_record_now (self, WC_RECORD_EXERCISE_ENDED, reason_data (reason), error);
}

gboolean
wc_engine_stop (WcEngine   *self,
                const char *reason,
                GError    **error)
{
  if (self->state == WC_ENGINE_ENDED)
    return TRUE;
  return wc_engine_record_now (self, WC_RECORD_PROCESS_STOPPED, reason_data (reason), error);
}

gboolean
wc_engine_set_speed (WcEngine  *self,
                     double     speed,
                     GError   **error)
{
  JsonObject *data;

  if (!(speed >= WC_ENGINE_MIN_SPEED && speed <= WC_ENGINE_MAX_SPEED))
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                   _("The speed must be from %.1f× to %.0f×"), WC_ENGINE_MIN_SPEED,
                   WC_ENGINE_MAX_SPEED);
      return FALSE;
    }
  if (!require_state (self, NOT_ENDED, _("change the speed"), error))
    return FALSE;
  if (speed == self->speed)
    return TRUE;
  data = json_object_new ();
  json_object_set_double_member (data, "speed", speed);
  return wc_engine_record_now (self, WC_RECORD_SPEED_CHANGED, data, error);
}

gboolean
wc_engine_jump (WcEngine  *self,
                gint64     t_ms,
                gboolean   skip_passed,
                GError   **error)
{
  JsonObject *data;
  gint64 now = wc_engine_now_ms (self);
  QueueItem *head;

  if (!require_state (self, LIVE, _("jump"), error))
    return FALSE;
  if (t_ms <= now)
    {
      g_autofree char *at = wc_time_format (now, FALSE);

      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                   _("The clock only jumps forward, and it is already %s"), at);
      return FALSE;
    }
  if (skip_passed)
    while ((head = wc_engine_queue_head (self)) != NULL && head->due_ms <= t_ms)
      {
        InjectSlot *slot = g_ptr_array_index (self->slots, head->inject);
        JsonObject *skip = json_object_new ();

        json_object_set_string_member (skip, "inject", slot->inject->id);
        json_object_set_string_member (skip, "cause", "jump");
        if (!wc_engine_append (self, WC_RECORD_INJECT_SKIPPED, skip, error))
          {
            json_object_unref (skip);
            return FALSE;
          }
        json_object_unref (skip);
      }
  data = json_object_new ();
  json_object_set_int_member (data, "from", now);
  json_object_set_int_member (data, "to", t_ms);
  json_object_set_boolean_member (data, "skip_passed", skip_passed);
  if (!wc_engine_append (self, WC_RECORD_CLOCK_JUMPED, data, error))
    {
      json_object_unref (data);
      return FALSE;
    }
  json_object_unref (data);
  /* Passed-over injects fire now, in their order, whether or not the clock runs. */
  return wc_engine_fire_due (self, t_ms, "jump", error) &&
         wc_engine_finish_action (self, self->state, self->speed, error);
}

static InjectSlot *
find_slot_or_error (WcEngine    *self,
                    const char  *inject_id,
                    GError     **error)
{
  InjectSlot *slot = wc_engine_slot (self, inject_id);

  if (slot == NULL)
    g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND,
                 _("There is no inject “%s”"), inject_id);
  return slot;
}

static JsonObject *
inject_data (const char *inject_id)
{
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "inject", inject_id);
  return data;
}

gboolean
wc_engine_fire_inject (WcEngine    *self,
                       const char  *inject_id,
                       GError     **error)
{
  InjectSlot *slot = find_slot_or_error (self, inject_id, error);
  g_autoptr(GPtrArray) teams = g_ptr_array_new_with_free_func (g_free);

  if (slot == NULL || !require_state (self, LIVE, _("fire an inject"), error))
    return FALSE;
  for (guint i = 0; i < slot->inject->to->len; i++)
    if (!wc_engine_team_reached (slot, g_ptr_array_index (slot->inject->to, i)))
      g_ptr_array_add (teams, g_strdup (g_ptr_array_index (slot->inject->to, i)));
  if (slot->status == WC_INJECT_SKIPPED || teams->len == 0)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE,
                   slot->status == WC_INJECT_SKIPPED ? _("Inject “%s” was skipped")
                                                     : _("Inject “%s” has already fired"),
                   inject_id);
      return FALSE;
    }
  return wc_engine_record_now (self, WC_RECORD_INJECT_FIRED, wc_engine_fired_data (self, slot, teams, "manual", -1), error);
}

static gboolean
change_pending (WcEngine     *self,
                const char   *inject_id,
                WcRecordType  type,
                guint        allowed_status,  /* bit mask of WcInjectStatus */
                JsonObject  *data,
                GError     **error)
{
  g_autoptr(JsonObject) owned = data;
  InjectSlot *slot = find_slot_or_error (self, inject_id, error);

  if (slot == NULL || !require_state (self, NOT_ENDED, _("change an inject"), error))
    return FALSE;
  if (!(allowed_status & (1u << slot->status)))
    {
      static const char *const names[] = { "pending", "held", "skipped", "fired" };

      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_STATE,
                   _("Inject “%s” is %s"), inject_id, names[slot->status]);
      return FALSE;
    }
  return wc_engine_record_now (self, type, owned ? g_steal_pointer (&owned) : inject_data (inject_id), error);
}

#define STATUS_BIT(s) (1u << (s))

gboolean
wc_engine_hold_inject (WcEngine *self, const char *inject_id, GError **error)
{
  return change_pending (self, inject_id, WC_RECORD_INJECT_HELD, STATUS_BIT (WC_INJECT_PENDING), NULL,
                         error);
}

gboolean
wc_engine_release_inject (WcEngine *self, const char *inject_id, GError **error)
{
  return change_pending (self, inject_id, WC_RECORD_INJECT_RELEASED, STATUS_BIT (WC_INJECT_HELD), NULL,
                         error);
}

gboolean
wc_engine_skip_inject (WcEngine *self, const char *inject_id, GError **error)
{
  return change_pending (self, inject_id, WC_RECORD_INJECT_SKIPPED,
                         STATUS_BIT (WC_INJECT_PENDING) | STATUS_BIT (WC_INJECT_HELD), NULL, error);
}

gboolean
wc_engine_reschedule_inject (WcEngine    *self,
                             const char  *inject_id,
                             gint64       at_ms,
                             GError     **error)
{
  JsonObject *data;

  if (at_ms < 0)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                   _("An inject cannot be planned before the start"));
      return FALSE;
    }
  data = inject_data (inject_id);
  json_object_set_int_member (data, "at", at_ms);
  return change_pending (self, inject_id, WC_RECORD_INJECT_RESCHEDULED,
                         STATUS_BIT (WC_INJECT_PENDING) | STATUS_BIT (WC_INJECT_HELD), data, error);
}

char *
wc_engine_send_adhoc (WcEngine           *self,
                      const char         *title,
                      const char         *body,
                      WcChannel           channel,
                      const char *const  *to,
                      WcTlp               tlp,
                      GError            **error)
{
  g_autoptr(WcText) title_text = wc_text_new_plain (title);
  g_autoptr(WcText) body_text = wc_text_new_plain (body);

  return wc_engine_send_adhoc_full (self, title_text, body_text, NULL, channel, to, tlp, NULL, NULL,
                                    error);
}

/* A text in a record: a string when language-neutral, else an object by language. */
static JsonNode *
text_node (const WcText *text)
{
  g_autofree const char **langs = NULL;
  JsonObject *object;
  JsonNode *node;

  if (wc_text_is_plain (text))
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, wc_text_get (text, NULL, NULL));
      return node;
    }
  langs = wc_text_get_languages (text);
  object = json_object_new ();
  for (guint i = 0; langs[i]; i++)
    json_object_set_string_member (object, langs[i], wc_text_get_exact (text, langs[i]));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* Every language it is given in has words. */
static gboolean
text_is_given (const WcText *text)
{
  g_autofree const char **langs = NULL;

  if (text == NULL)
    return FALSE;
  if (wc_text_is_plain (text))
    return wc_text_get (text, NULL, NULL) && *wc_text_get (text, NULL, NULL);
  langs = wc_text_get_languages (text);
  for (guint i = 0; langs[i]; i++)
    if (wc_text_get_exact (text, langs[i]) == NULL || *wc_text_get_exact (text, langs[i]) == '\0')
      return FALSE;
  return langs[0] != NULL;
}

/* The id the next ad-hoc inject gets: its attachments are stored under it before it is sent. */
static char *
next_adhoc_id (WcEngine *self)
{
  char *id = NULL;
  guint n = 0;

  do
    {
      g_free (id);
      id = g_strdup_printf ("adhoc-%u", self->adhoc->len + 1 + n++);
    }
  while (wc_engine_slot (self, id) != NULL);
  return id;
}

static JsonObject *
action_object (gconstpointer item,
               guint         i)
{
  const WcExpectedAction *action = item;
  JsonObject *object = json_object_new ();
  g_autofree char *action_id = g_strdup_printf ("a%u", i + 1);

  json_object_set_string_member (object, "id", action_id);
  json_object_set_member (object, "text", text_node (action->text));
  if (action->deadline_ms >= 0)
    json_object_set_int_member (object, "deadline", action->deadline_ms);
  return object;
}

static JsonObject *
attachment_object (gconstpointer item,
                   guint         i)
{
  const WcAttachment *a = item;
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "file", a->file);
  json_object_set_string_member (object, "media_type", a->media_type);
  if (a->title)
    json_object_set_member (object, "title", text_node (a->title));
  /* beside the journal, not the scenario: see wc_engine_get_attachment_folder() */
  json_object_set_string_member (object, "base", "journal");
  return object;
}

/* @items as a record's member, when there are any. */
static void
set_array_member (JsonObject  *data,
                  const char  *member,
                  GPtrArray   *items,
                  JsonObject *(*to_object) (gconstpointer item, guint i))
{
  JsonArray *array;

  if (items == NULL || items->len == 0)
    return;
  array = json_array_new ();
  for (guint i = 0; i < items->len; i++)
    json_array_add_object_element (array, to_object (g_ptr_array_index (items, i), i));
  json_object_set_array_member (data, member, array);
}

char *
wc_engine_send_adhoc_full (WcEngine           *self,
                           const WcText       *title,
                           const WcText       *body,
                           const char         *from,
                           WcChannel           channel,
                           const char *const  *to,
                           WcTlp               tlp,
                           GPtrArray          *actions,
                           GPtrArray          *attachments,
                           GError            **error)
{
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GPtrArray) teams = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id = NULL;
  JsonArray *to_array;
  InjectSlot *slot;

  if (!require_state (self, LIVE, _("send an inject"), error))
    return NULL;
  if (!text_is_given (title) || !text_is_given (body))
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                   _("An inject needs a title and a body"));
      return NULL;
    }
  if (from && wc_scenario_find_actor (self->scenario, from) == NULL)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND,
                   _("There is no actor “%s” in the scenario"), from);
      return NULL;
    }
  for (guint i = 0; to && to[i]; i++)
    if (wc_scenario_find_team (self->scenario, to[i]) == NULL)
      {
        g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND,
                     _("There is no team “%s”"), to[i]);
        return NULL;
      }
  if (to != NULL && to[0] == NULL)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                   _("An inject must go to at least one team"));
      return NULL;
    }
  for (guint i = 0; actions && i < actions->len; i++)
    if (!text_is_given (((WcExpectedAction *) g_ptr_array_index (actions, i))->text))
      {
        g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                     _("Expected action %u has no text"), i + 1);
        return NULL;
      }
  id = next_adhoc_id (self);

  data = inject_data (id);
  json_object_set_member (data, "title", text_node (title));
  json_object_set_member (data, "body", text_node (body));
  if (from)
    json_object_set_string_member (data, "from", from);
  json_object_set_string_member (data, "channel", wc_channel_to_string (channel));
  json_object_set_string_member (data, "tlp", wc_tlp_to_string (tlp));
  to_array = json_array_new ();
  for (guint i = 0; to && to[i]; i++)
    {
      gboolean named_before = FALSE;

      /* a team named twice gets it once */
      for (guint k = 0; k < i && !named_before; k++)
        named_before = strcmp (to[k], to[i]) == 0;
      if (!named_before)
        json_array_add_string_element (to_array, to[i]);
    }
  if (to == NULL)
    json_object_set_string_member (data, "to", "all");
  else
    json_object_set_array_member (data, "to", g_steal_pointer (&to_array));
  g_clear_pointer (&to_array, json_array_unref);
  set_array_member (data, "actions", actions, action_object);
  set_array_member (data, "attachments", attachments, attachment_object);
  if (!wc_engine_append (self, WC_RECORD_ADHOC_CREATED, data, error))
    return NULL;
  slot = wc_engine_slot (self, id);
  for (guint i = 0; i < slot->inject->to->len; i++)
    g_ptr_array_add (teams, g_strdup (g_ptr_array_index (slot->inject->to, i)));
  if (!wc_engine_record_now (self, WC_RECORD_INJECT_FIRED, wc_engine_fired_data (self, slot, teams, "manual", -1), error))
    return NULL;
  return g_steal_pointer (&id);
}

char *
wc_engine_get_attachment_folder (WcEngine   *self,
                                 const char *inject_id)
{
  const char *scenario_path = wc_scenario_get_path (self->scenario);

  for (guint i = 0; i < self->adhoc->len; i++)
    if (g_strcmp0 (((WcInject *) g_ptr_array_index (self->adhoc, i))->id, inject_id) == 0)
      return g_strconcat (wc_journal_get_path (self->journal), ".attachments", NULL);
  return scenario_path ? g_path_get_dirname (scenario_path) : NULL;
}

char *
wc_engine_write_new_file (const char  *dir,
                          const char  *name,
                          const char  *data,
                          gsize        length,
                          GError     **error)
{
  for (guint n = 1; n < 100; n++)
    {
      g_autofree char *used = n == 1 ? g_strdup (name) : g_strdup_printf ("%u-%s", n, name);
      g_autofree char *path = g_build_filename (dir, used, NULL);
      int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      gsize done = 0;

      if (fd < 0 && errno == EEXIST)
        continue;
      while (fd >= 0 && done < length)
        {
          gssize w = write (fd, data + done, length - done);

          if (w < 0 && errno == EINTR)
            continue;
          if (w <= 0)
            break;
          done += w;
        }
      if (fd < 0 || done < length || fsync (fd) != 0 || close (fd) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not write “%s”: %s"), path, g_strerror (saved));
          if (fd >= 0)
            {
              close (fd);
              g_unlink (path);
            }
          return NULL;
        }
      return g_steal_pointer (&used);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("Too many files named “%s” in “%s”"),
               name, dir);
  return NULL;
}

WcAttachment *
wc_engine_store_adhoc_attachment (WcEngine    *self,
                                  const char  *source,
                                  const char  *media_type,
                                  GError     **error)
{
  g_autofree char *folder = g_strconcat (wc_journal_get_path (self->journal), ".attachments", NULL);
  g_autofree char *id = next_adhoc_id (self);
  g_autofree char *dir = g_build_filename (folder, id, NULL);
  g_autofree char *name = g_path_get_basename (source);
  g_autofree char *data = NULL;
  g_autofree char *used = NULL;
  WcAttachment *a;
  gsize length;

  data = wc_untrusted_read_file (source, WC_ADHOC_ATTACHMENT_MAX, &length, error);
  if (data == NULL)
    return NULL;
  /* the folder is the exercise's: teams' files are nobody else's business on this machine */
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }
  used = wc_engine_write_new_file (dir, name, data, length, error);
  if (used == NULL)
    return NULL;
  a = wc_attachment_new ();
  a->file = g_build_filename (id, used, NULL);
  a->media_type = g_strdup (media_type ? media_type : "application/octet-stream");
  a->title = wc_text_new_plain (name);
  return a;
}

gboolean
wc_engine_add_note (WcEngine    *self,
                    const char  *text,
                    GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));
  JsonObject *data;

  if (*stripped == '\0')
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID, _("A note needs some text"));
      return FALSE;
    }
  data = json_object_new ();
  json_object_set_string_member (data, "text", text);
  return wc_engine_record_now (self, WC_RECORD_NOTE, data, error);
}

/* The teams' side ------------------------------------------------------------------------------ */


/* The state of @team_id for @inject_id, or NOT_FOUND: a team asking about an inject that never
 * reached it learns nothing about it. */
static WcTeamInjectState *
reached_team (WcEngine    *self,
              const char  *inject_id,
              const char  *team_id,
              GError     **error)
{
  WcTeamInjectState *ts = wc_engine_team_state_lookup (self, inject_id, team_id);

  if (ts == NULL)
    g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND,
                 _("Inject “%s” has not reached team “%s”"), inject_id ? inject_id : "",
                 team_id ? team_id : "");
  return ts;
}

static JsonObject *
team_data (const char *inject_id,
           const char *team_id)
{
  JsonObject *data = inject_data (inject_id);

  json_object_set_string_member (data, "team", team_id);
  return data;
}

gboolean
wc_engine_mark_delivered (WcEngine    *self,
                          const char  *inject_id,
                          const char  *team_id,
                          const char  *via,
                          GError     **error)
{
  WcTeamInjectState *ts = reached_team (self, inject_id, team_id, error);
  JsonObject *data;

  if (ts == NULL)
    return FALSE;
  if (ts->delivered_ms >= 0)
    return TRUE;
  data = team_data (inject_id, team_id);
  json_object_set_string_member (data, "via", via ? via : "api");
  return wc_engine_record_now (self, WC_RECORD_INJECT_DELIVERED, data, error);
}

gboolean
wc_engine_acknowledge (WcEngine    *self,
                       const char  *inject_id,
                       const char  *team_id,
                       GError     **error)
{
  WcTeamInjectState *ts = reached_team (self, inject_id, team_id, error);

  if (ts == NULL || !require_state (self, LIVE, _("acknowledge"), error))
    return FALSE;
  /* A second click, or a client retrying after a lost answer, changes nothing. */
  if (ts->acknowledged_ms >= 0)
    return TRUE;
  return wc_engine_record_now (self, WC_RECORD_INJECT_ACKNOWLEDGED, team_data (inject_id, team_id), error);
}

gboolean
wc_engine_respond (WcEngine    *self,
                   const char  *inject_id,
                   const char  *team_id,
                   const char  *text,
                   const char  *option,
                   GError     **error)
{
  return wc_engine_respond_with_key (self, inject_id, team_id, text, option, NULL, NULL, error);
}

gboolean
wc_engine_respond_with_key (WcEngine          *self,
                            const char        *inject_id,
                            const char        *team_id,
                            const char        *text,
                            const char        *option,
                            const char        *key,
                            const WcResponse **made,
                            GError           **error)
{
  WcTeamInjectState *ts = reached_team (self, inject_id, team_id, error);
  const WcInject *inject;
  g_autoptr(JsonObject) data = NULL;
  JsonObject *earlier = NULL;
  guint index = 0;
  /* once the exercise has ended, an answer is still taken as a retry of one sent while it ran */
  gboolean retry = wc_engine_is_retry_after_end (self, team_id, key);

  if (ts == NULL || (!retry && !require_state (self, LIVE, _("respond"), error)))
    return FALSE;
  inject = wc_engine_find_inject (self, inject_id);
  if ((text == NULL || *text == '\0') && option == NULL)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                   _("A response needs a text or a chosen option"));
      return FALSE;
    }
  if (text && (strlen (text) > WC_ENGINE_MAX_RESPONSE || !g_utf8_validate (text, -1, NULL)))
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                   _("A response is UTF-8 text of at most %d KiB"), WC_ENGINE_MAX_RESPONSE / 1024);
      return FALSE;
    }
  if (option)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < inject->options->len && !known; i++)
        known = strcmp (((WcDecisionOption *) g_ptr_array_index (inject->options, i))->id,
                        option) == 0;
      if (!known)
        {
          g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_INVALID,
                       inject->options->len ? _("“%s” is not one of this decision's options")
                                            : _("Inject “%s” is not a decision"),
                       inject->options->len ? option : inject_id);
          return FALSE;
        }
    }
  data = team_data (inject_id, team_id);
  if (text && *text)
    json_object_set_string_member (data, "text", text);
  if (option)
    json_object_set_string_member (data, "option", option);
  if (key && !wc_engine_claim_key (self, team_id, key, WC_RECORD_RESPONSE, data, &earlier, &index,
                                   error))
    return FALSE;
  /* the same answer sent again (its reply was lost): answered as the first time, not recorded */
  if (earlier == NULL)
    {
      if (!require_state (self, LIVE, _("respond"), error) ||
          !wc_engine_record_now (self, WC_RECORD_RESPONSE, g_steal_pointer (&data), error))
        return FALSE;
      /* applied: the answer is the latest (a failed write may have rebuilt the state) */
      ts = wc_engine_team_state_lookup (self, inject_id, team_id);
      index = ts->responses->len - 1;
    }
  if (made)
    *made = g_ptr_array_index (ts->responses, index);
  return TRUE;
}

gboolean
wc_engine_mark_action_met (WcEngine    *self,
                           const char  *inject_id,
                           const char  *team_id,
                           const char  *action_id,
                           GError     **error)
{
  WcTeamInjectState *ts = reached_team (self, inject_id, team_id, error);
  const WcInject *inject;
  gboolean known = FALSE;
  JsonObject *data;

  if (ts == NULL)
    return FALSE;
  inject = wc_engine_find_inject (self, inject_id);
  for (guint i = 0; i < inject->expected_actions->len && !known; i++)
    known = g_strcmp0 (((WcExpectedAction *) g_ptr_array_index (inject->expected_actions, i))->id,
                       action_id) == 0;
  if (!known)
    {
      g_set_error (error, WC_ENGINE_ERROR, WC_ENGINE_ERROR_NOT_FOUND,
                   _("Inject “%s” has no expected action “%s”"), inject_id,
                   action_id ? action_id : "");
      return FALSE;
    }
  if (g_ptr_array_find_with_equal_func (ts->actions_met, action_id, g_str_equal, NULL))
    return TRUE;
  data = team_data (inject_id, team_id);
  json_object_set_string_member (data, "action", action_id);
  return wc_engine_record_now (self, WC_RECORD_ACTION_MET, data, error);
}
