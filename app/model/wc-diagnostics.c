/* wc-diagnostics.c: findings about an input file, each with its place. */
#define G_LOG_DOMAIN "wc-diagnostics"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-diagnostics.h"

struct _WcDiagnostics {
  gatomicrefcount ref_count;
  char           *file;
  GArray         *items;  /* WcDiagnostic */
};

static void
diagnostic_clear (gpointer data)
{
  WcDiagnostic *d = data;

  g_free (d->file);
  g_free (d->path);
  g_free (d->message);
  g_free (d->hint);
}

WcDiagnostics *
wc_diagnostics_new (const char *file)
{
  WcDiagnostics *self = g_new0 (WcDiagnostics, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->file = g_strdup (file);
  self->items = g_array_new (FALSE, TRUE, sizeof (WcDiagnostic));
  g_array_set_clear_func (self->items, diagnostic_clear);
  return self;
}

WcDiagnostics *
wc_diagnostics_ref (WcDiagnostics *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wc_diagnostics_unref (WcDiagnostics *self)
{
  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_array_unref (self->items);
      g_free (self->file);
      g_free (self);
    }
}

const char *
wc_diagnostics_get_file (WcDiagnostics *self)
{
  return self->file;
}

void
wc_diagnostics_add (WcDiagnostics *self,
                    WcSeverity     severity,
                    guint          line,
                    guint          column,
                    const char    *path,
                    const char    *hint,
                    const char    *format,
                    ...)
{
  WcDiagnostic d = { 0 };
  va_list args;

  va_start (args, format);
  d.message = g_strdup_vprintf (format, args);
  va_end (args);
  d.severity = severity;
  d.file = g_strdup (self->file);
  d.line = line;
  d.column = column;
  d.path = g_strdup (path);
  d.hint = g_strdup (hint);
  g_array_append_val (self->items, d);
}

guint
wc_diagnostics_get_n_items (WcDiagnostics *self)
{
  return self->items->len;
}

const WcDiagnostic *
wc_diagnostics_get_item (WcDiagnostics *self,
                         guint          i)
{
  g_return_val_if_fail (i < self->items->len, NULL);
  return &g_array_index (self->items, WcDiagnostic, i);
}

guint
wc_diagnostics_count (WcDiagnostics *self,
                      WcSeverity     severity)
{
  guint n = 0;

  for (guint i = 0; i < self->items->len; i++)
    if (g_array_index (self->items, WcDiagnostic, i).severity == severity)
      n++;
  return n;
}

gboolean
wc_diagnostics_has_errors (WcDiagnostics *self)
{
  return wc_diagnostics_count (self, WC_SEVERITY_ERROR) > 0;
}

static int
compare_place (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const WcDiagnostic *da = a, *db = b;

  if (da->line != db->line)
    return da->line < db->line ? -1 : 1;
  if (da->column != db->column)
    return da->column < db->column ? -1 : 1;
  return 0;
}

void
wc_diagnostics_sort (WcDiagnostics *self)
{
  /* g_qsort_with_data is stable: findings at one place keep the order they were found in. */
  g_qsort_with_data (self->items->data, self->items->len, sizeof (WcDiagnostic),
                     compare_place, NULL);
}

char *
wc_diagnostic_format (const WcDiagnostic *d)
{
  GString *s = g_string_new (d->file);

  if (d->line > 0)
    g_string_append_printf (s, ":%u", d->line);
  if (d->line > 0 && d->column > 0)
    g_string_append_printf (s, ":%u", d->column);
  g_string_append_printf (s, ": %s: %s",
                          d->severity == WC_SEVERITY_ERROR ? _("error") : _("warning"),
                          d->message);
  if (d->path != NULL)
    g_string_append_printf (s, " (%s %s)", _("at"), d->path);
  if (d->hint != NULL)
    g_string_append_printf (s, "; %s", d->hint);
  return g_string_free (s, FALSE);
}

JsonNode *
wc_diagnostics_to_json (WcDiagnostics *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < self->items->len; i++)
    {
      const WcDiagnostic *d = &g_array_index (self->items, WcDiagnostic, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "severity");
      json_builder_add_string_value (b, d->severity == WC_SEVERITY_ERROR ? "error" : "warning");
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, d->file);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, d->line);
      json_builder_set_member_name (b, "column");
      json_builder_add_int_value (b, d->column);
      json_builder_set_member_name (b, "path");
      if (d->path)
        json_builder_add_string_value (b, d->path);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, d->message);
      json_builder_set_member_name (b, "hint");
      if (d->hint)
        json_builder_add_string_value (b, d->hint);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

/* Optimal string alignment distance: Levenshtein plus swaps of neighbours ("titel"), the most
 * common typo of all. */
guint
wc_levenshtein (const char *a,
                const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *rows = g_new (guint, 3 * (lb + 1));
  guint *prev2 = rows, *prev = rows + lb + 1, *row = rows + 2 * (lb + 1);

  for (gsize j = 0; j <= lb; j++)
    prev[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint *tmp;

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          char ca = g_ascii_tolower (a[i - 1]), cb = g_ascii_tolower (b[j - 1]);
          guint cost = ca == cb ? 0 : 1;

          row[j] = MIN (MIN (prev[j] + 1, row[j - 1] + 1), prev[j - 1] + cost);
          if (i > 1 && j > 1 && ca == g_ascii_tolower (b[j - 2]) &&
              g_ascii_tolower (a[i - 2]) == cb)
            row[j] = MIN (row[j], prev2[j - 2] + 1);
        }
      tmp = prev2;
      prev2 = prev;
      prev = row;
      row = tmp;
    }
  return prev[lb];
}

const char *
wc_closest_word (const char        *word,
                 const char *const *candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  /* A typo changes a character or two; in a short word, two changes make another word. */
  gsize len = strlen (word);
  guint limit = len <= 3 ? 1 : len <= 8 ? 2 : 3;

  if (candidates == NULL)
    return NULL;
  for (guint i = 0; candidates[i] != NULL; i++)
    {
      guint d = wc_levenshtein (word, candidates[i]);

      if (d < best_distance)
        {
          best_distance = d;
          best = candidates[i];
        }
    }
  return best_distance <= limit ? best : NULL;
}
