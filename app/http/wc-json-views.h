/* wc-json-views.h: the JSON that the HTTP layer shows of an exercise: an inject as a team sees it,
 * a team's side of an inject, the exercise and its clock, the control views. Read-only views of
 * the engine, shared by the team API, the event streams, the control API and the webhooks. */
#pragma once

#include <json-glib/json-glib.h>

#include "wc-engine.h"
#include "wc-presence.h"
#include "wc-record.h"

G_BEGIN_DECLS

/* A team's view of an inject it was sent, in @lang; NULL if it never reached @team. */
JsonNode   *wc_json_views_inject        (WcEngine         *engine,
                                         const char       *inject_id,
                                         const char       *team,
                                         const char       *lang);
/* The same with only the latest answers, at most @max_responses of them and @max_response_bytes
 * of text; "responses_total" in its state tells how many there are. */
JsonNode   *wc_json_views_inject_latest (WcEngine         *engine,
                                         const char       *inject_id,
                                         const char       *team,
                                         const char       *lang,
                                         guint             max_responses,
                                         gsize             max_response_bytes);
/* A page of the team's answers to an inject, oldest first: {inject, total, offset, responses}. */
JsonNode   *wc_json_views_responses_page (WcEngine        *engine,
                                          const char      *inject_id,
                                          const char      *team,
                                          guint            offset,
                                          guint            limit);
/* The team's side of an inject: delivered, acknowledged, responses; NULL if it never reached
 * @team. */
JsonNode   *wc_json_views_team_state    (WcEngine         *engine,
                                         const char       *inject_id,
                                         const char       *team);
/* One response: text, option, t_ms. */
JsonNode   *wc_json_views_response      (const WcResponse *response);
/* The exercise's state, time and speed. */
JsonNode   *wc_json_views_exercise      (WcEngine         *engine);
/* Who a team is and what exercise it is in, in @lang: the answer to GET /me, with the exercise
 * marking in the team's language and its kind and sector. */
JsonNode   *wc_json_views_me            (WcEngine         *engine,
                                         const char       *team_id,
                                         const char       *lang);
/* The controller's overview: the exercise, each inject's status and counts, each team's
 * presence. */
JsonNode   *wc_json_views_control_state (WcEngine         *engine,
                                         WcPresence       *presence);
/* The control API's evaluation views (docs/API.md, "Evaluation"). Texts in the exercise's
 * default language. */
/* Who a member of the staff is and the exercise: GET control/me. */
JsonNode   *wc_json_views_staff_me      (WcEngine         *engine,
                                         const WcStaff    *staff);
/* {"items": [...]}: what waits for a person's judgement, with the rules' proposals. */
JsonNode   *wc_json_views_to_assess     (WcEngine         *engine);
/* The judgement that stands of @action of @inject_id for @team. */
JsonNode   *wc_json_views_assessment    (WcEngine         *engine,
                                         const char       *inject_id,
                                         const char       *team,
                                         const WcExpectedAction *action);
/* {"items": [...]}: the judgement of every reached team × action of @inject_id (of every inject
 * when NULL). */
JsonNode   *wc_json_views_assessments   (WcEngine         *engine,
                                         const char       *inject_id);
/* {"items": [...]}: the objectives with their ratings so far. */
JsonNode   *wc_json_views_objectives    (WcEngine         *engine);
/* The latest @limit observations, newest first, with who made them (id and name). */
JsonNode   *wc_json_views_observations  (WcEngine         *engine,
                                         guint             limit);
/* {"feedback": {...} | null, "open": @open}: a team's hot-wash feedback. */
JsonNode   *wc_json_views_feedback      (WcEngine         *engine,
                                         const char       *team,
                                         gboolean          open);
/* A journal record as the control stream shows it. @type is the name on disk, so that a record
 * this version does not know still reaches the controller's tools as it was written. */
JsonNode   *wc_json_views_record        (guint64           seq,
                                         const char       *type,
                                         JsonObject       *data,
                                         gint64            t_ms);

G_END_DECLS
