/* wc-live-event.c: one entry of the live feed. */
#define G_LOG_DOMAIN "wc-live"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-live-private.h"

GParamSpec *event_props[N_EVENT_PROPS];

G_DEFINE_FINAL_TYPE (WcLiveEvent, wc_live_event, G_TYPE_OBJECT)

static void
wc_live_event_finalize (GObject *object)
{
  WcLiveEvent *self = WC_LIVE_EVENT (object);

  g_free (self->time);
  g_free (self->team);
  g_free (self->inject);
  g_free (self->summary);
  g_free (self->text);
  g_free (self->by);
  G_OBJECT_CLASS (wc_live_event_parent_class)->finalize (object);
}

static void
wc_live_event_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  WcLiveEvent *self = WC_LIVE_EVENT (object);

  switch (prop_id)
    {
    case EVENT_PROP_KIND: g_value_set_int (value, self->kind); break;
    case EVENT_PROP_T_MS: g_value_set_int64 (value, self->t_ms); break;
    case EVENT_PROP_TIME: g_value_set_string (value, self->time); break;
    case EVENT_PROP_TEAM: g_value_set_string (value, self->team); break;
    case EVENT_PROP_INJECT: g_value_set_string (value, self->inject); break;
    case EVENT_PROP_SUMMARY: g_value_set_string (value, self->summary); break;
    case EVENT_PROP_TEXT: g_value_set_string (value, self->text); break;
    case EVENT_PROP_BY: g_value_set_string (value, self->by); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_live_event_class_init (WcLiveEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wc_live_event_finalize;
  object_class->get_property = wc_live_event_get_property;
  event_props[EVENT_PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, 0, G_MAXINT, 0, flags);
  event_props[EVENT_PROP_T_MS] = g_param_spec_int64 ("t-ms", NULL, NULL, 0, G_MAXINT64, 0, flags);
  event_props[EVENT_PROP_TIME] = g_param_spec_string ("time", NULL, NULL, NULL, flags);
  event_props[EVENT_PROP_TEAM] = g_param_spec_string ("team", NULL, NULL, NULL, flags);
  event_props[EVENT_PROP_INJECT] = g_param_spec_string ("inject", NULL, NULL, NULL, flags);
  event_props[EVENT_PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  event_props[EVENT_PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  event_props[EVENT_PROP_BY] = g_param_spec_string ("by", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_EVENT_PROPS, event_props);
}

static void
wc_live_event_init (WcLiveEvent *self)
{
}

WcLiveEventKind wc_live_event_get_kind (WcLiveEvent *self) { return self->kind; }
const char *wc_live_event_get_summary (WcLiveEvent *self) { return self->summary; }
const char *wc_live_event_get_text (WcLiveEvent *self) { return self->text; }
const char *wc_live_event_get_inject (WcLiveEvent *self) { return self->inject; }

const char *wc_live_event_get_by (WcLiveEvent *self) { return self->by; }

const char *
wc_live_verdict_label (WcVerdict verdict)
{
  switch (verdict)
    {
    case WC_VERDICT_MET: return _("met");
    case WC_VERDICT_LATE: return _("met late");
    case WC_VERDICT_PARTIAL: return _("partially met");
    case WC_VERDICT_NOT_MET: return _("not met");
    case WC_VERDICT_NA: return _("not applicable");
    case WC_VERDICT_PENDING:
    default: return _("not judged");
    }
}

const char *
wc_live_verdict_proposed_label (WcVerdict verdict)
{
  /* whole sentences, so that translators see each */
  switch (verdict)
    {
    case WC_VERDICT_MET: return _("Proposed: met");
    case WC_VERDICT_LATE: return _("Proposed: met late");
    case WC_VERDICT_PARTIAL: return _("Proposed: partially met");
    case WC_VERDICT_NOT_MET: return _("Proposed: not met");
    case WC_VERDICT_NA: return _("Proposed: not applicable");
    case WC_VERDICT_PENDING:
    default: return _("No proposal");
    }
}

const char *
wc_live_staff_role_label (WcStaffRole role)
{
  switch (role)
    {
    case WC_STAFF_DIRECTOR: return _("Director");
    case WC_STAFF_CONTROLLER: return _("Controller");
    case WC_STAFF_EVALUATOR: return _("Evaluator");
    case WC_STAFF_OBSERVER:
    default: return _("Observer");
    }
}

const char *
wc_live_staff_name (WcEngine   *engine,
                    const char *by)
{
  const WcStaff *staff = by ? wc_engine_find_staff (engine, by) : NULL;

  if (staff)
    return staff->name;
  /* Translators: who judged or observed, when it was the controller at this machine */
  return by ? by : _("Controller");
}

void
wc_live_read_past (WcEngine         *engine,
                   WcLiveRecordFunc  func,
                   gpointer          model)
{
  WcJournal *journal = wc_engine_get_journal (engine);
  /* the durable records are those announced; any after them will be, by the "record" signal */
  guint n = journal ? MIN (wc_journal_get_n_synced (journal), wc_journal_get_n_records (journal)) : 0;

  for (guint i = 0; i < n; i++)
    {
      const WcJournalRecord *r = wc_journal_get_record (journal, i);

      if (r->data)
        func (model, wc_record_type_from_string (r->type), r->data, r->t_ms);
    }
}
