/* wc-review.c: the review file: observations, improvement items, reviewers' judgements and the
 * report's status. */
#define G_LOG_DOMAIN "wc-review"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "wc-review.h"

static void
observation_free (gpointer data)
{
  WcObservation *o = data;

  g_free (o->team);
  g_free (o->text);
  g_free (o);
}

static void
improvement_free (gpointer data)
{
  WcImprovement *i = data;

  g_free (i->what);
  g_free (i->owner);
  g_free (i->due);
  g_free (i->objective);
  g_free (i);
}

static void
judgement_free (gpointer data)
{
  WcReviewJudgement *j = data;

  g_free (j->inject);
  g_free (j->team);
  g_free (j->action);
  g_free (j->note);
  g_free (j->by);
  g_free (j->at);
  g_free (j);
}

WcReview *
wc_review_new (void)
{
  WcReview *review = g_new0 (WcReview, 1);

  review->observations = g_ptr_array_new_with_free_func (observation_free);
  review->improvements = g_ptr_array_new_with_free_func (improvement_free);
  review->judgements = g_ptr_array_new_with_free_func (judgement_free);
  review->status = WC_REVIEW_DRAFT;
  return review;
}

void
wc_review_free (WcReview *review)
{
  if (review == NULL)
    return;
  g_ptr_array_unref (review->observations);
  g_ptr_array_unref (review->improvements);
  g_ptr_array_unref (review->judgements);
  g_free (review);
}

char *
wc_review_path_for_journal (const char *journal_path)
{
  return g_strconcat (journal_path, ".review.json", NULL);
}

const char *
wc_review_status_to_string (WcReviewStatus status)
{
  return status == WC_REVIEW_FINAL ? "final" : "draft";
}

void
wc_review_add_observation (WcReview   *review,
                           gint64      t_ms,
                           const char *team,
                           const char *text)
{
  WcObservation *o = g_new0 (WcObservation, 1);

  o->t_ms = t_ms;
  o->team = g_strdup (team);
  o->text = g_strdup (text);
  g_ptr_array_add (review->observations, o);
}

WcImprovement *
wc_review_add_improvement (WcReview   *review,
                           const char *what,
                           const char *owner,
                           const char *due)
{
  WcImprovement *i = g_new0 (WcImprovement, 1);

  i->what = g_strdup (what);
  i->owner = g_strdup (owner);
  i->due = g_strdup (due);
  g_ptr_array_add (review->improvements, i);
  return i;
}

static guint
judgement_index (const WcReview *review,
                 const char     *inject,
                 const char     *team,
                 const char     *action)
{
  for (guint i = 0; i < review->judgements->len; i++)
    {
      const WcReviewJudgement *j = g_ptr_array_index (review->judgements, i);

      if (g_strcmp0 (j->inject, inject) == 0 && g_strcmp0 (j->team, team) == 0 &&
          g_strcmp0 (j->action, action) == 0)
        return i;
    }
  return G_MAXUINT;
}

const WcReviewJudgement *
wc_review_find_judgement (const WcReview *review,
                          const char     *inject,
                          const char     *team,
                          const char     *action)
{
  guint i = review ? judgement_index (review, inject, team, action) : G_MAXUINT;

  return i == G_MAXUINT ? NULL : g_ptr_array_index (review->judgements, i);
}

const WcReviewJudgement *
wc_review_set_judgement (WcReview   *review,
                         const char *inject,
                         const char *team,
                         const char *action,
                         WcVerdict   verdict,
                         const char *note,
                         const char *by,
                         const char *at)
{
  WcReviewJudgement *j = g_new0 (WcReviewJudgement, 1);
  guint i = judgement_index (review, inject, team, action);

  j->inject = g_strdup (inject);
  j->team = g_strdup (team);
  j->action = g_strdup (action);
  j->verdict = verdict;
  j->note = note && *note ? g_strdup (note) : NULL;
  j->by = g_strdup (by);
  if (at)
    j->at = g_strdup (at);
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      j->at = g_date_time_format_iso8601 (now);
    }
  /* a change replaces the earlier judgement where it stood: the file reads in a stable order */
  if (i == G_MAXUINT)
    g_ptr_array_add (review->judgements, j);
  else
    {
      judgement_free (review->judgements->pdata[i]);
      review->judgements->pdata[i] = j;
    }
  return j;
}

gboolean
wc_review_clear_judgement (WcReview   *review,
                           const char *inject,
                           const char *team,
                           const char *action)
{
  guint i = judgement_index (review, inject, team, action);

  if (i == G_MAXUINT)
    return FALSE;
  g_ptr_array_remove_index (review->judgements, i);
  return TRUE;
}

/* Loading -------------------------------------------------------------------------------------- */

static const char *
string_of (JsonObject *o,
           const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
         ? json_node_get_string (n) : NULL;
}

static gboolean
fail (GError    **error,
      const char *path,
      const char *where,
      guint       i,
      const char *what)
{
  /* Translators: "journal.jsonl.review.json: $.judgements[2]: needs a “verdict”" */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: $.%s[%u]: %s"), path, where, i,
               what);
  return FALSE;
}

static gboolean
load_judgement (WcReview    *review,
                JsonObject  *o,
                const char  *path,
                guint        i,
                GError     **error)
{
  static const char *const needed[] = { "inject", "team", "action", "verdict", "by" };
  WcVerdict verdict;

  for (guint k = 0; k < G_N_ELEMENTS (needed); k++)
    if (string_of (o, needed[k]) == NULL)
      {
        g_autofree char *what = g_strdup_printf (_("needs a “%s”"), needed[k]);

        return fail (error, path, "judgements", i, what);
      }
  if (!wc_verdict_from_string (string_of (o, "verdict"), &verdict))
    {
      g_autofree char *what = g_strdup_printf (_("“verdict” must be one of pending, met, late, "
                                                 "partial, not-met, na, not “%s”"),
                                               string_of (o, "verdict"));

      return fail (error, path, "judgements", i, what);
    }
  wc_review_set_judgement (review, string_of (o, "inject"), string_of (o, "team"),
                           string_of (o, "action"), verdict, string_of (o, "note"),
                           string_of (o, "by"), string_of (o, "at"));
  return TRUE;
}

static gboolean
load_improvement (WcReview    *review,
                  JsonObject  *o,
                  const char  *path,
                  guint        i,
                  GError     **error)
{
  WcImprovement *item;
  gint64 seq = json_object_get_int_member_with_default (o, "observation", 0);

  if (string_of (o, "what") == NULL)
    return fail (error, path, "improvements", i, _("needs a “what”"));
  if (seq < 0)
    return fail (error, path, "improvements", i,
                 _("“observation” is the seq of an observation record (from 1)"));
  item = wc_review_add_improvement (review, string_of (o, "what"), string_of (o, "owner"),
                                    string_of (o, "due"));
  item->objective = g_strdup (string_of (o, "objective"));
  item->observation = seq;
  return TRUE;
}

WcReview *
wc_review_load (const char  *path,
                GError     **error)
{
  static const char *const arrays[] = { "observations", "improvements", "judgements" };
  g_autoptr(WcReview) review = wc_review_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  const char *status;
  JsonNode *root;
  JsonObject *top;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&review);
  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", path,
                   local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: a review file is a JSON object"), path);
      return NULL;
    }
  top = json_node_get_object (root);
  status = string_of (top, "status");
  if (g_strcmp0 (status, "final") == 0)
    review->status = WC_REVIEW_FINAL;
  else if (status != NULL && g_strcmp0 (status, "draft") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: $.status must be “draft” or “final”, not “%s”"), path, status);
      return NULL;
    }
  for (guint k = 0; k < G_N_ELEMENTS (arrays); k++)
    {
      JsonNode *node = json_object_get_member (top, arrays[k]);
      JsonArray *array;

      if (node == NULL)
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s: “%s” must be an array"), path, arrays[k]);
          return NULL;
        }
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);
          JsonObject *o = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
          gboolean ok;

          if (o == NULL)
            ok = fail (error, path, arrays[k], i, _("must be an object"));
          else if (k == 0 && string_of (o, "text") == NULL)
            ok = fail (error, path, arrays[k], i, _("needs a “text”"));
          else if (k == 0)
            {
              wc_review_add_observation (review, json_object_get_int_member_with_default (o, "t_ms", -1),
                                         string_of (o, "team"), string_of (o, "text"));
              ok = TRUE;
            }
          else if (k == 1)
            ok = load_improvement (review, o, path, i, error);
          else
            ok = load_judgement (review, o, path, i, error);
          if (!ok)
            return NULL;
        }
    }
  return g_steal_pointer (&review);
}

/* Saving --------------------------------------------------------------------------------------- */

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

gboolean
wc_review_save (WcReview    *review,
                const char  *path,
                GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  gsize length;

  json_builder_begin_object (b);
  add_string (b, "status", wc_review_status_to_string (review->status));
  json_builder_set_member_name (b, "observations");
  json_builder_begin_array (b);
  for (guint i = 0; i < review->observations->len; i++)
    {
      WcObservation *o = g_ptr_array_index (review->observations, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "t_ms");
      json_builder_add_int_value (b, o->t_ms);
      add_string (b, "team", o->team);
      add_string (b, "text", o->text);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "improvements");
  json_builder_begin_array (b);
  for (guint i = 0; i < review->improvements->len; i++)
    {
      WcImprovement *m = g_ptr_array_index (review->improvements, i);

      json_builder_begin_object (b);
      add_string (b, "what", m->what);
      add_string (b, "owner", m->owner);
      add_string (b, "due", m->due);
      add_string (b, "objective", m->objective);
      if (m->observation > 0)
        {
          json_builder_set_member_name (b, "observation");
          json_builder_add_int_value (b, m->observation);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "judgements");
  json_builder_begin_array (b);
  for (guint i = 0; i < review->judgements->len; i++)
    {
      WcReviewJudgement *j = g_ptr_array_index (review->judgements, i);

      json_builder_begin_object (b);
      add_string (b, "inject", j->inject);
      add_string (b, "team", j->team);
      add_string (b, "action", j->action);
      add_string (b, "verdict", wc_verdict_to_string (j->verdict));
      add_string (b, "note", j->note);
      add_string (b, "by", j->by);
      add_string (b, "at", j->at);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  data = json_generator_to_data (gen, &length);
  /* judgements about named teams: as private as the journal they come from */
  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}
