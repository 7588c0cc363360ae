/* wc-import-report.c: the mapping report of an import — what each source column or field became,
 * what was guessed, kept, dropped or skipped, and why — shown by `whitecellctl import --explain`
 * and by the app before an exercise is made from the file. */
#define G_LOG_DOMAIN "wc-import"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-import.h"

typedef struct {
  WcMappingKind  kind;
  char          *source;
  char          *text;
} Item;

struct _WcImportReport {
  char   *path;
  char   *format;
  GArray *items;   /* Item */
};

static void
item_clear (gpointer data)
{
  Item *item = data;

  g_free (item->source);
  g_free (item->text);
}

WcImportReport *
wc_import_report_new (const char *path,
                      const char *format_name)
{
  WcImportReport *r = g_new0 (WcImportReport, 1);

  r->path = g_strdup (path);
  r->format = g_strdup (format_name);
  r->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (r->items, item_clear);
  return r;
}

void
wc_import_report_free (WcImportReport *r)
{
  if (r == NULL)
    return;
  g_free (r->path);
  g_free (r->format);
  g_array_unref (r->items);
  g_free (r);
}

void
wc_import_report_set_format (WcImportReport *r,
                             const char     *format_name)
{
  g_return_if_fail (r != NULL);
  if (g_strcmp0 (r->format, format_name) == 0)
    return;
  g_free (r->format);
  r->format = g_strdup (format_name);
}

const char *
wc_import_report_get_format (WcImportReport *r)
{
  g_return_val_if_fail (r != NULL, NULL);
  return r->format;
}

const char *
wc_import_report_get_path (WcImportReport *r)
{
  g_return_val_if_fail (r != NULL, NULL);
  return r->path;
}

void
wc_import_report_add (WcImportReport *r,
                      WcMappingKind   kind,
                      const char     *source,
                      const char     *format,
                      ...)
{
  Item item = { kind, g_strdup (source), NULL };
  va_list args;

  /* the importers call this unconditionally; a caller that wants no report passes NULL */
  if (r == NULL)
    {
      g_free (item.source);
      return;
    }
  va_start (args, format);
  item.text = g_strdup_vprintf (format, args);
  va_end (args);
  g_array_append_val (r->items, item);
}

guint
wc_import_report_get_n_items (WcImportReport *r)
{
  g_return_val_if_fail (r != NULL, 0);
  return r->items->len;
}

WcMappingKind
wc_import_report_get_kind (WcImportReport *r,
                           guint           i)
{
  g_return_val_if_fail (r != NULL && i < r->items->len, WC_MAPPING_WARNING);
  return g_array_index (r->items, Item, i).kind;
}

const char *
wc_import_report_get_source (WcImportReport *r,
                             guint           i)
{
  g_return_val_if_fail (r != NULL && i < r->items->len, NULL);
  return g_array_index (r->items, Item, i).source;
}

const char *
wc_import_report_get_text (WcImportReport *r,
                           guint           i)
{
  g_return_val_if_fail (r != NULL && i < r->items->len, NULL);
  return g_array_index (r->items, Item, i).text;
}

guint
wc_import_report_count (WcImportReport *r,
                        WcMappingKind   kind)
{
  guint n = 0;

  g_return_val_if_fail (r != NULL, 0);
  for (guint i = 0; i < r->items->len; i++)
    n += g_array_index (r->items, Item, i).kind == kind;
  return n;
}

const char *
wc_mapping_kind_to_string (WcMappingKind kind)
{
  switch (kind)
    {
    case WC_MAPPING_MAPPED: return "mapped";
    case WC_MAPPING_GUESSED: return "guessed";
    case WC_MAPPING_KEPT: return "kept";
    case WC_MAPPING_DROPPED: return "dropped";
    case WC_MAPPING_SKIPPED: return "skipped";
    case WC_MAPPING_WARNING: return "warning";
    default: return "unknown";
    }
}

static const char *
kind_heading (WcMappingKind kind)
{
  switch (kind)
    {
    case WC_MAPPING_MAPPED: return _("Mapped");
    case WC_MAPPING_GUESSED: return _("Guessed");
    case WC_MAPPING_KEPT: return _("Kept verbatim (x- fields, exported back)");
    case WC_MAPPING_DROPPED: return _("Dropped");
    case WC_MAPPING_SKIPPED: return _("Skipped");
    case WC_MAPPING_WARNING: return _("Warnings");
    default: return "?";
    }
}

char *
wc_import_report_to_text (WcImportReport *r)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (r != NULL, NULL);
  /* Translators: first line of the import report: the file and the format it was read as */
  g_string_append_printf (out, _("%s: read as %s"), r->path ? r->path : "-",
                          r->format ? r->format : _("unknown format"));
  g_string_append_c (out, '\n');
  for (WcMappingKind kind = WC_MAPPING_MAPPED; kind <= WC_MAPPING_WARNING; kind++)
    {
      guint n = wc_import_report_count (r, kind);

      if (n == 0)
        continue;
      g_string_append_printf (out, "\n%s (%u)\n", kind_heading (kind), n);
      for (guint i = 0; i < r->items->len; i++)
        {
          const Item *item = &g_array_index (r->items, Item, i);

          if (item->kind != kind)
            continue;
          if (item->source != NULL && *item->source != '\0')
            g_string_append_printf (out, "  %s → %s\n", item->source, item->text);
          else
            g_string_append_printf (out, "  %s\n", item->text);
        }
    }
  if (r->items->len == 0)
    g_string_append_printf (out, "\n%s\n", _("Nothing to report."));
  return g_string_free (out, FALSE);
}
