/* wc-scenario-triggers.c: triggers resolved once all injects are read; cycles; planned times. */
#define G_LOG_DOMAIN "wc-scenario-loader"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-scenario-loader-private.h"

static WcJsonPos
trigger_member_pos (Loader     *L,
                    WcJsonNode *o,
                    const char *member)
{
  WcJsonNode *t = wc_json_object_get (o, "trigger");

  if (t && t->type == WC_JSON_OBJECT && (wc_json_object_get (t, member) != NULL))
    return node_pos (wc_json_object_get (t, member));
  return node_pos (o);
}

/* Triggers point at other injects, possibly later in the file: resolved once all are read. */
void
wc_loader_resolve_triggers (Loader *L)
{
  guint n = wc_scenario_get_n_injects (L->scenario);
  g_autofree guint8 *state = g_new0 (guint8, n);  /* 0 new, 1 on the current chain, 2 done */
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n; i++)
    {
      const WcInject *inject = wc_scenario_get_inject (L->scenario, i);

      if (inject->id)
        g_ptr_array_add (ids, inject->id);
    }
  g_ptr_array_add (ids, NULL);

  /* References first: an unknown one turns the inject into a manual one, so nothing below
   * follows a dangling id. */
  for (guint i = 0; i < n; i++)
    {
      WcInject *inject = (WcInject *) wc_scenario_get_inject (L->scenario, i);
      WcJsonNode *o = g_ptr_array_index (L->inject_objects, i);
      Path ipath = { NULL, "injects", 0 };
      Path elem = { &ipath, NULL, 0 };
      Path tpath = { &elem, "trigger", 0 };
      Path rpath = { &tpath, "inject", 0 };
      const WcInject *ref;

      if (inject->trigger != WC_TRIGGER_AFTER && inject->trigger != WC_TRIGGER_NO_RESPONSE)
        continue;
      elem.index = i;
      if (inject->trigger_inject == NULL)
        {
          inject->trigger = WC_TRIGGER_MANUAL;
          continue;
        }
      ref = wc_scenario_find_inject (L->scenario, inject->trigger_inject);
      if (ref == NULL)
        {
          const char *closest = wc_closest_word (inject->trigger_inject,
                                                 (const char *const *) ids->pdata);
          g_autofree char *hint = closest ? g_strdup_printf (_("did you mean \"%s\"?"), closest)
                                          : NULL;

          wc_loader_report (L, WC_SEVERITY_ERROR, trigger_member_pos (L, o, "inject"), &rpath, hint,
                  _("the trigger refers to unknown inject \"%s\""), inject->trigger_inject);
          inject->trigger = WC_TRIGGER_MANUAL;
          continue;
        }
      if (inject->trigger == WC_TRIGGER_NO_RESPONSE)
        {
          /* A contingency goes to the teams that did not answer the inject it watches. */
          if (inject->to_all)
            {
              /* A contingency on a contingency to "all" not filled in yet (read later in the
               * file): the recipients of the first inject up that chain that has its own. */
              const WcInject *source = ref;
              const GPtrArray *teams;

              for (guint steps = 0; source && source->to_all && source->to->len == 0 &&
                   source->trigger == WC_TRIGGER_NO_RESPONSE && source->trigger_inject &&
                   steps < n; steps++)
                source = wc_scenario_find_inject (L->scenario, source->trigger_inject);
              teams = source && source->to->len > 0 ? source->to : L->team_ids;

              g_ptr_array_set_free_func (inject->to, g_free);
              for (guint k = 0; k < teams->len; k++)
                g_ptr_array_add (inject->to, g_strdup (g_ptr_array_index (teams, k)));
            }
          else
            for (guint k = 0; k < inject->to->len; k++)
              {
                const char *team = g_ptr_array_index (inject->to, k);

                if (!g_ptr_array_find_with_equal_func (ref->to, team, g_str_equal, NULL))
                  {
                    Path to = { &elem, "to", 0 };

                    wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (o, "to")),
                            &to, NULL,
                            _("team \"%s\" does not receive inject \"%s\", so it cannot fail "
                              "to respond to it"), team, ref->id);
                  }
              }
        }
    }

  for (guint i = 0; i < n; i++)
    {
      guint cur = i;

      if (state[i] == 2)
        continue;
      g_array_set_size (chain, 0);
      /* Walk up the chain of triggers to an inject with a known time, or to a cycle. */
      for (;;)
        {
          const WcInject *inject = wc_scenario_get_inject (L->scenario, cur);
          int ref;

          if (state[cur] == 2)
            break;
          if (state[cur] == 1)
            {
              GString *names = g_string_new (NULL);
              Path ipath = { NULL, "injects", 0 };
              Path elem = { &ipath, NULL, cur };
              Path tpath = { &elem, "trigger", 0 };
              gboolean in_cycle = FALSE;

              for (guint k = 0; k < chain->len; k++)
                {
                  guint c = g_array_index (chain, guint, k);

                  in_cycle = in_cycle || c == cur;
                  if (in_cycle)
                    g_string_append_printf (names, "%s → ",
                                            wc_scenario_get_inject (L->scenario, c)->id);
                }
              g_string_append (names, inject->id);
              wc_loader_report (L, WC_SEVERITY_ERROR,
                      trigger_member_pos (L, g_ptr_array_index (L->inject_objects, cur), "inject"),
                      &tpath, NULL, _("triggers form a cycle: %s"), names->str);
              g_string_free (names, TRUE);
              /* Break the cycle so that the times below stay defined. */
              ((WcInject *) inject)->trigger = WC_TRIGGER_MANUAL;
              ((WcInject *) inject)->at_ms = -1;
              state[cur] = 2;
              break;
            }
          state[cur] = 1;
          g_array_append_val (chain, cur);
          if (inject->trigger != WC_TRIGGER_AFTER && inject->trigger != WC_TRIGGER_NO_RESPONSE)
            break;
          ref = wc_scenario_get_inject_index (L->scenario, inject->trigger_inject);
          cur = (guint) ref;
        }
      /* Unwind: each inject's time is its trigger's time plus the delay. */
      for (guint k = chain->len; k > 0; k--)
        {
          guint c = g_array_index (chain, guint, k - 1);
          WcInject *inject = (WcInject *) wc_scenario_get_inject (L->scenario, c);

          if (inject->trigger == WC_TRIGGER_AFTER || inject->trigger == WC_TRIGGER_NO_RESPONSE)
            {
              const WcInject *ref = wc_scenario_find_inject (L->scenario, inject->trigger_inject);

              inject->at_ms = ref->at_ms < 0 ? -1 : ref->at_ms + inject->trigger_delay_ms;
            }
          else if (inject->trigger == WC_TRIGGER_MANUAL)
            inject->at_ms = -1;
          state[c] = 2;
        }
    }
}

void
wc_loader_check_times (Loader *L)
{
  gint64 duration = wc_scenario_get_duration_ms (L->scenario);

  if (duration <= 0)
    return;
  for (guint i = 0; i < wc_scenario_get_n_injects (L->scenario); i++)
    {
      const WcInject *inject = wc_scenario_get_inject (L->scenario, i);
      WcJsonNode *o = g_ptr_array_index (L->inject_objects, i);
      Path ipath = { NULL, "injects", 0 };
      Path elem = { &ipath, NULL, i };
      g_autofree char *at = NULL;
      g_autofree char *end = NULL;

      if (inject->at_ms <= duration)
        continue;
      at = wc_time_format (inject->at_ms, TRUE);
      end = wc_time_format (duration, TRUE);
      if (inject->trigger == WC_TRIGGER_AT)
        {
          Path at_path = { &elem, "at", 0 };

          wc_loader_report (L, WC_SEVERITY_ERROR, node_pos (wc_json_object_get (o, "at")), &at_path,
                  NULL, _("inject fires at %s, after the end of the exercise (%s)"), at, end);
        }
      else
        {
          Path tpath = { &elem, "trigger", 0 };

          wc_loader_report (L, WC_SEVERITY_WARNING, trigger_member_pos (L, o, "inject"), &tpath, NULL,
                  _("through its trigger, the inject is planned at %s, after the end of the "
                    "exercise (%s)"), at, end);
        }
    }
}

