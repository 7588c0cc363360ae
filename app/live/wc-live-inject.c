/* wc-live-inject.c: one row of the live MSEL: an inject as the controller sees it. */
#define G_LOG_DOMAIN "wc-live"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-live-private.h"

GParamSpec *inject_props[N_INJECT_PROPS];



G_DEFINE_FINAL_TYPE (WcLiveInject, wc_live_inject, G_TYPE_OBJECT)

static void
wc_live_inject_finalize (GObject *object)
{
  WcLiveInject *self = WC_LIVE_INJECT (object);

  g_free (self->id);
  g_free (self->time);
  g_free (self->title);
  g_free (self->channel);
  g_free (self->recipients);
  g_free (self->status);
  g_free (self->status_label);
  g_free (self->acknowledged);
  g_free (self->answered);
  g_clear_pointer (&self->to, g_hash_table_unref);
  G_OBJECT_CLASS (wc_live_inject_parent_class)->finalize (object);
}

static void
wc_live_inject_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  WcLiveInject *self = WC_LIVE_INJECT (object);

  switch (prop_id)
    {
    case INJECT_PROP_ID: g_value_set_string (value, self->id); break;
    case INJECT_PROP_TIME: g_value_set_string (value, self->time); break;
    case INJECT_PROP_DUE_MS: g_value_set_int64 (value, self->due_ms); break;
    case INJECT_PROP_TITLE: g_value_set_string (value, self->title); break;
    case INJECT_PROP_CHANNEL: g_value_set_string (value, self->channel); break;
    case INJECT_PROP_RECIPIENTS: g_value_set_string (value, self->recipients); break;
    case INJECT_PROP_STATUS: g_value_set_string (value, self->status); break;
    case INJECT_PROP_STATUS_LABEL: g_value_set_string (value, self->status_label); break;
    case INJECT_PROP_N_TEAMS: g_value_set_uint (value, self->n_teams); break;
    case INJECT_PROP_N_ACKNOWLEDGED: g_value_set_uint (value, self->n_acknowledged); break;
    case INJECT_PROP_N_RESPONDED: g_value_set_uint (value, self->n_responded); break;
    case INJECT_PROP_IS_NEXT: g_value_set_boolean (value, self->is_next); break;
    case INJECT_PROP_ACKNOWLEDGED: g_value_set_string (value, self->acknowledged); break;
    case INJECT_PROP_ANSWERED: g_value_set_string (value, self->answered); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_live_inject_class_init (WcLiveInjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = wc_live_inject_finalize;
  object_class->get_property = wc_live_inject_get_property;
  inject_props[INJECT_PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_TIME] = g_param_spec_string ("time", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_DUE_MS] = g_param_spec_int64 ("due-ms", NULL, NULL, -1, G_MAXINT64, -1, flags);
  inject_props[INJECT_PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_CHANNEL] = g_param_spec_string ("channel", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_RECIPIENTS] = g_param_spec_string ("recipients", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_STATUS_LABEL] = g_param_spec_string ("status-label", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_N_TEAMS] = g_param_spec_uint ("n-teams", NULL, NULL, 0, G_MAXUINT, 0, flags);
  inject_props[INJECT_PROP_N_ACKNOWLEDGED] = g_param_spec_uint ("n-acknowledged", NULL, NULL, 0, G_MAXUINT, 0, flags);
  inject_props[INJECT_PROP_N_RESPONDED] = g_param_spec_uint ("n-responded", NULL, NULL, 0, G_MAXUINT, 0, flags);
  inject_props[INJECT_PROP_IS_NEXT] = g_param_spec_boolean ("is-next", NULL, NULL, FALSE, flags);
  inject_props[INJECT_PROP_ACKNOWLEDGED] = g_param_spec_string ("acknowledged", NULL, NULL, NULL, flags);
  inject_props[INJECT_PROP_ANSWERED] = g_param_spec_string ("answered", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_INJECT_PROPS, inject_props);
}

static void
wc_live_inject_init (WcLiveInject *self)
{
  self->due_ms = -1;
}

const char *wc_live_inject_get_id (WcLiveInject *self) { return self->id; }
const char *wc_live_inject_get_status (WcLiveInject *self) { return self->status; }
const char *wc_live_inject_get_status_label (WcLiveInject *self) { return self->status_label; }
const char *wc_live_inject_get_acknowledged (WcLiveInject *self) { return self->acknowledged; }
const char *wc_live_inject_get_answered (WcLiveInject *self) { return self->answered; }
guint wc_live_inject_get_n_acknowledged (WcLiveInject *self) { return self->n_acknowledged; }
guint wc_live_inject_get_n_responded (WcLiveInject *self) { return self->n_responded; }
guint wc_live_inject_get_n_teams (WcLiveInject *self) { return self->n_teams; }
gint64 wc_live_inject_get_due_ms (WcLiveInject *self) { return self->due_ms; }
gboolean wc_live_inject_get_is_next (WcLiveInject *self) { return self->is_next; }

gboolean
wc_live_inject_has_team (WcLiveInject *self,
                         const char   *team_id)
{
  return self->to == NULL || g_hash_table_contains (self->to, team_id);
}


static const char *
status_name (WcInjectStatus status)
{
  switch (status)
    {
    case WC_INJECT_HELD: return "held";
    case WC_INJECT_SKIPPED: return "skipped";
    case WC_INJECT_FIRED: return "fired";
    case WC_INJECT_PENDING:
    default: return "pending";
    }
}

static const char *
status_label (WcInjectStatus status,
              gboolean       is_next)
{
  switch (status)
    {
    case WC_INJECT_HELD: return _("Held");
    case WC_INJECT_SKIPPED: return _("Skipped");
    case WC_INJECT_FIRED: return _("Fired");
    case WC_INJECT_PENDING:
    default: return is_next ? _("Next") : _("Pending");
    }
}

/* A contingency's recipients once it fired: its rule, and the teams it reached by it. */
static char *
contingency_recipients (WcEngine       *engine,
                        const WcInject *inject)
{
  WcScenario *scenario = wc_engine_get_scenario (engine);
  const char *lang = wc_scenario_get_default_language (scenario);
  GPtrArray *reached = wc_engine_get_inject_teams (engine, inject->id);
  GString *text = g_string_new (NULL);

  /* Translators: the recipients of a contingency inject: "Who has not answered I-001" */
  g_string_append_printf (text, _("Who has not answered %s"), inject->trigger_inject);
  for (guint t = 0; reached && t < reached->len; t++)
    {
      const WcTeam *team = wc_scenario_find_team (scenario, g_ptr_array_index (reached, t));

      /* "Who has not answered I-001: Team A, Team B" */
      g_string_append (text, t ? ", " : ": ");
      g_string_append (text, team ? wc_text_get (team->name, lang, NULL)
                                  : (const char *) g_ptr_array_index (reached, t));
    }
  if (reached && reached->len == 0)
    /* Translators: a contingency that fired when every team had answered */
    g_string_append (text, _(": no team"));
  return g_string_free (text, FALSE);
}

void
wc_live_inject_sync (WcLiveInject *self,
                     WcEngine     *engine)
{
  WcInjectStatus status = wc_engine_get_inject_status (engine, self->id);
  const WcInject *inject = wc_engine_find_inject (engine, self->id);
  WcInjectCounts counts;
  g_autofree char *acked = NULL;
  g_autofree char *answered = NULL;
  g_autofree char *recipients = NULL;
  g_autofree char *fired_at = NULL;

  wc_engine_get_inject_counts (engine, self->id, &counts);
  SET_VALUE (self, n_teams, counts.n_teams, inject_props[INJECT_PROP_N_TEAMS]);
  SET_VALUE (self, n_acknowledged, counts.n_acknowledged, inject_props[INJECT_PROP_N_ACKNOWLEDGED]);
  SET_VALUE (self, n_responded, counts.n_responded, inject_props[INJECT_PROP_N_RESPONDED]);
  SET_STRING (self, status, status_name (status), inject_props[INJECT_PROP_STATUS]);
  SET_STRING (self, status_label, status_label (status, self->is_next),
              inject_props[INJECT_PROP_STATUS_LABEL]);
  /* by how many of the teams it reached: "3/5" */
  if (status == WC_INJECT_FIRED)
    {
      acked = g_strdup_printf ("%u/%u", counts.n_acknowledged, counts.n_teams);
      answered = g_strdup_printf ("%u/%u", counts.n_responded, counts.n_teams);
    }
  SET_STRING (self, acknowledged, acked ? acked : "", inject_props[INJECT_PROP_ACKNOWLEDGED]);
  SET_STRING (self, answered, answered ? answered : "", inject_props[INJECT_PROP_ANSWERED]);
  if (status != WC_INJECT_FIRED || inject == NULL)
    return;
  /* who it reached is known once it fired; a rule alone does not tell the controller */
  if (inject->trigger == WC_TRIGGER_NO_RESPONSE)
    {
      recipients = contingency_recipients (engine, inject);
      SET_STRING (self, recipients, recipients, inject_props[INJECT_PROP_RECIPIENTS]);
    }
  /* one that had no due time (ad-hoc, manual) shows when it went out */
  if (self->due_ms < 0 && wc_engine_get_inject_fired_at (engine, self->id) >= 0)
    {
      fired_at = wc_time_format (wc_engine_get_inject_fired_at (engine, self->id), TRUE);
      SET_STRING (self, time, fired_at, inject_props[INJECT_PROP_TIME]);
    }
}
