/* wc-review.c: the review file: observations and improvement items. */
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
  g_free (i);
}

WcReview *
wc_review_new (void)
{
  WcReview *review = g_new0 (WcReview, 1);

  review->observations = g_ptr_array_new_with_free_func (observation_free);
  review->improvements = g_ptr_array_new_with_free_func (improvement_free);
  return review;
}

void
wc_review_free (WcReview *review)
{
  if (review == NULL)
    return;
  g_ptr_array_unref (review->observations);
  g_ptr_array_unref (review->improvements);
  g_free (review);
}

char *
wc_review_path_for_journal (const char *journal_path)
{
  return g_strconcat (journal_path, ".review.json", NULL);
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

void
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
}

static const char *
string_of (JsonObject *o,
           const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
         ? json_node_get_string (n) : NULL;
}

WcReview *
wc_review_load (const char  *path,
                GError     **error)
{
  g_autoptr(WcReview) review = wc_review_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
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
  for (guint k = 0; k < 2; k++)
    {
      const char *name = k == 0 ? "observations" : "improvements";
      JsonNode *node = json_object_get_member (top, name);
      JsonArray *array;

      if (node == NULL)
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s: “%s” must be an array"), path, name);
          return NULL;
        }
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);
          JsonObject *o = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
          const char *text = o ? string_of (o, k == 0 ? "text" : "what") : NULL;

          if (text == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("%s: $.%s[%u] needs a “%s”"), path, name, i, k == 0 ? "text" : "what");
              return NULL;
            }
          if (k == 0)
            wc_review_add_observation (review, json_object_get_int_member_with_default (o, "t_ms", -1),
                                       string_of (o, "team"), text);
          else
            wc_review_add_improvement (review, text, string_of (o, "owner"), string_of (o, "due"));
        }
    }
  return g_steal_pointer (&review);
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
  json_builder_set_member_name (b, "observations");
  json_builder_begin_array (b);
  for (guint i = 0; i < review->observations->len; i++)
    {
      WcObservation *o = g_ptr_array_index (review->observations, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "t_ms");
      json_builder_add_int_value (b, o->t_ms);
      if (o->team)
        {
          json_builder_set_member_name (b, "team");
          json_builder_add_string_value (b, o->team);
        }
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, o->text);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "improvements");
  json_builder_begin_array (b);
  for (guint i = 0; i < review->improvements->len; i++)
    {
      WcImprovement *m = g_ptr_array_index (review->improvements, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "what");
      json_builder_add_string_value (b, m->what);
      if (m->owner)
        {
          json_builder_set_member_name (b, "owner");
          json_builder_add_string_value (b, m->owner);
        }
      if (m->due)
        {
          json_builder_set_member_name (b, "due");
          json_builder_add_string_value (b, m->due);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  data = json_generator_to_data (gen, &length);
  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}
