/* wc-import.c: which format a file is in (from its content, not its name), and the one entry
 * point that reads any of them into a scenario; the x- fields kept beside the scenario so that
 * an export writes back what Whitecell did not understand. */
#define G_LOG_DOMAIN "wc-import"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wc-import.h"
#include "wc-import-private.h"
#include "wc-msel.h"
#include "wc-scenario-loader.h"

G_DEFINE_QUARK (wc-import-error-quark, wc_import_error)

#define EXTRAS_KEY "wc-import-extras"
#define HEAD_BYTES (64 * 1024)

const char *
wc_import_format_to_string (WcImportFormat format)
{
  static const char *const names[] = {
    "CSV", "XLSX", "ODS", "OpenBAS", "T3SF", "MISP CEXF", "Whitecell", "unknown",
  };

  return format <= WC_IMPORT_UNKNOWN ? names[format] : "unknown";
}

/* The first bytes of @path, or NULL when it cannot be read. */
static GBytes *
read_head (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);

  if (in == NULL)
    return NULL;
  return g_input_stream_read_bytes (G_INPUT_STREAM (in), HEAD_BYTES, NULL, NULL);
}

/* A ZIP: a workbook by its members (XLSX has xl/workbook.xml, ODS its mimetype), an OpenBAS
 * export by its JSON member. */
static WcImportFormat
guess_zip (const char *path)
{
  g_autoptr(GsfInput) input = NULL;
  g_autoptr(GsfInfile) zip = NULL;
  g_autoptr(GsfInput) mimetype = NULL;
  g_autoptr(GsfInput) workbook = NULL;

  if (path == NULL)
    return WC_IMPORT_UNKNOWN;
  input = gsf_input_stdio_new (path, NULL);
  if (input == NULL)
    return WC_IMPORT_UNKNOWN;
  zip = gsf_infile_zip_new (input, NULL);
  if (zip == NULL)
    /* a ZIP that libgsf cannot open: call it by its name, and let its reader say what is wrong */
    return g_str_has_suffix (path, ".ods") ? WC_IMPORT_ODS
           : g_str_has_suffix (path, ".zip") ? WC_IMPORT_OPENBAS : WC_IMPORT_XLSX;
  workbook = gsf_infile_child_by_vname (zip, "xl", "workbook.xml", NULL);
  if (workbook != NULL)
    return WC_IMPORT_XLSX;
  mimetype = gsf_infile_child_by_name (zip, "mimetype");
  if (mimetype != NULL)
    {
      gsf_off_t size = gsf_input_size (mimetype);
      const guint8 *data = size > 0 && size < 256 ? gsf_input_read (mimetype, size, NULL) : NULL;

      g_autofree char *text = data ? g_strndup ((const char *) data, size) : NULL;

      if (text && strstr (text, "opendocument.spreadsheet"))
        return WC_IMPORT_ODS;
    }
  for (int i = 0; i < gsf_infile_num_children (zip); i++)
    {
      const char *name = gsf_infile_name_by_index (zip, i);

      if (name && g_str_has_suffix (name, ".json"))
        return WC_IMPORT_OPENBAS;
    }
  return WC_IMPORT_UNKNOWN;
}

static gboolean
has_any_member (JsonObject        *o,
                const char *const *names)
{
  for (guint i = 0; names[i]; i++)
    if (json_object_has_member (o, names[i]))
      return TRUE;
  return FALSE;
}

/* JSON by its shape: Whitecell says so; OpenBAS has export_version and scenario_ / exercise_
 * keys; CEXF an exercise with inject_flow; T3SF an array of rows with a script and a player. */
WcImportFormat
wc_import_json_shape (JsonNode *root)
{
  static const char *const openbas[] = { "export_version", "scenario_name", "scenario_injects",
                                         "exercise_name", "exercise_injects", "scenario_id", NULL };
  static const char *const t3sf[] = { "Script", "Player", "Real Time", "Date", "Poll", "Photo",
                                      "Picture", NULL };

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *o = json_node_get_object (root);

      if (g_strcmp0 (json_object_get_string_member_with_default (o, "format", ""),
                     "whitecell-scenario") == 0)
        return WC_IMPORT_WHITECELL;
      if (has_any_member (o, openbas))
        return WC_IMPORT_OPENBAS;
      if (json_object_has_member (o, "inject_flow") ||
          (json_object_has_member (o, "exercise") && json_object_has_member (o, "injects") &&
           JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "exercise")) &&
           json_object_has_member (json_object_get_object_member (o, "exercise"), "uuid")))
        return WC_IMPORT_CEXF;
    }
  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *a = json_node_get_array (root);

      if (json_array_get_length (a) > 0 &&
          JSON_NODE_HOLDS_OBJECT (json_array_get_element (a, 0)) &&
          has_any_member (json_array_get_object_element (a, 0), t3sf))
        return WC_IMPORT_T3SF;
    }
  return WC_IMPORT_UNKNOWN;
}

/* Whether the object opening @p (@n bytes, perhaps cut short) has the top-level member
 * "format": "whitecell-scenario" in those bytes: strings and nesting followed, no more. A
 * national scenario is tens of MiB, and parsing it whole only to tell its format, before the
 * loader parses it again, held the controller's window a second. */
static gboolean
head_says_whitecell (const char *p,
                     gsize       n)
{
  static const char key[] = "\"format\"";
  static const char value[] = "\"whitecell-scenario\"";
  guint depth = 0;

  for (gsize i = 0; i < n; i++)
    {
      if (p[i] == '{' || p[i] == '[')
        depth++;
      else if (p[i] == '}' || p[i] == ']')
        {
          if (depth-- <= 1)
            return FALSE;
        }
      else if (p[i] == '"')
        {
          gsize start = i;

          /* to the string's end, past its escapes */
          for (i++; i < n && p[i] != '"'; i++)
            if (p[i] == '\\')
              i++;
          if (i >= n)
            return FALSE;
          if (depth == 1 && i - start + 1 == strlen (key) && memcmp (p + start, key, strlen (key)) == 0)
            {
              gsize j = i + 1;

              while (j < n && g_ascii_isspace (p[j]))
                j++;
              if (j >= n || p[j] != ':')
                continue;
              for (j++; j < n && g_ascii_isspace (p[j]); j++)
                ;
              return n - j >= strlen (value) && memcmp (p + j, value, strlen (value)) == 0;
            }
        }
    }
  return FALSE;
}

static WcImportFormat
guess_json (const char *path,
            GBytes     *head)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *data = NULL;
  gsize length = 0;

  if (path != NULL && g_file_get_contents (path, &data, &length, NULL) &&
      length <= WC_SCENARIO_MAX_FILE_SIZE && json_parser_load_from_data (parser, data, length, NULL))
    return wc_import_json_shape (json_parser_get_root (parser));
  if (head != NULL && json_parser_load_from_data (parser, g_bytes_get_data (head, NULL),
                                                  g_bytes_get_size (head), NULL))
    return wc_import_json_shape (json_parser_get_root (parser));
  return WC_IMPORT_UNKNOWN;
}

WcImportFormat
wc_import_guess_format (const char *path,
                        GBytes     *head)
{
  g_autoptr(GBytes) read = NULL;
  const guint8 *p;
  gsize n;

  if (head == NULL)
    head = read = path ? read_head (path) : NULL;
  if (head == NULL)
    return WC_IMPORT_UNKNOWN;
  p = g_bytes_get_data (head, &n);
  if (n >= 4 && memcmp (p, "PK\003\004", 4) == 0)
    return guess_zip (path);
  if (n >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3, n -= 3;
  while (n > 0 && g_ascii_isspace (*p))
    p++, n--;
  if (n > 0 && *p == '{' && head_says_whitecell ((const char *) p, n))
    return WC_IMPORT_WHITECELL;
  if (n > 0 && (*p == '{' || *p == '['))
    {
      WcImportFormat f = guess_json (path, head);

      /* "[" may also open a sheet's first cell: only a JSON document is taken for one */
      if (f != WC_IMPORT_UNKNOWN || *p == '{')
        return f;
      if (path != NULL && g_str_has_suffix (path, ".json"))
        return WC_IMPORT_UNKNOWN;
    }
  /* a sheet saved as text: UTF-16 too (its reader refuses it with a clear word) */
  if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff)))
    return WC_IMPORT_CSV;
  if (memchr (p, '\0', n) != NULL)
    return WC_IMPORT_UNKNOWN;
  return WC_IMPORT_CSV;
}

/* The x- members of a Whitecell document's injects and exercise, kept beside the scenario. */
static void
keep_document_extras (WcScenario *scenario,
                      JsonObject *root)
{
  JsonArray *injects = json_object_has_member (root, "injects") &&
                       JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "injects"))
                         ? json_object_get_array_member (root, "injects") : NULL;

  for (guint i = 0; injects && i < json_array_get_length (injects); i++)
    {
      JsonNode *node = json_array_get_element (injects, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autoptr(JsonObject) extras = json_object_new ();
      g_autoptr(GList) members = o ? json_object_get_members (o) : NULL;

      for (GList *l = members; l; l = l->next)
        if (g_str_has_prefix (l->data, "x-") &&
            JSON_NODE_HOLDS_VALUE (json_object_get_member (o, l->data)))
          json_object_set_string_member (extras, l->data,
                                         json_object_get_string_member_with_default (o, l->data, ""));
      if (json_object_get_size (extras) > 0 && json_object_has_member (o, "id"))
        wc_import_set_extras (scenario, json_object_get_string_member (o, "id"), extras);
    }
}

static WcScenario *
import_whitecell (const char      *path,
                  WcImportReport  *report,
                  GError         **error)
{
  g_autoptr(WcDiagnostics) diag = wc_diagnostics_new (path);
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  WcScenario *scenario = wc_scenario_load (path, diag, &local);

  if (scenario == NULL)
    {
      g_autofree char *text = wc_import_diagnostics_text (diag);

      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID, "%s\n%s", local->message, text);
      return NULL;
    }
  wc_import_report_add (report, WC_MAPPING_MAPPED, NULL, _("a Whitecell scenario: read as it is"));
  if (json_parser_load_from_mapped_file (parser, path, NULL))
    keep_document_extras (scenario, json_node_get_object (json_parser_get_root (parser)));
  return scenario;
}

WcScenario *
wc_import_file (const char             *path,
                const WcImportOptions  *options,
                WcImportReport         *report,
                GError                **error)
{
  const WcImportOptions defaults = { 0 };
  g_autoptr(WcImportReport) own = NULL;
  g_autoptr(GBytes) head = NULL;
  GStatBuf st;
  WcImportFormat format;

  g_return_val_if_fail (path != NULL, NULL);
  if (options == NULL)
    options = &defaults;
  if (report == NULL)
    report = own = wc_import_report_new (path, NULL);
  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_IO,
                   _("%s: not a file that can be read"), path);
      return NULL;
    }
  head = read_head (path);
  if (head == NULL)
    {
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_IO, _("%s: cannot be read"), path);
      return NULL;
    }
  format = wc_import_guess_format (path, head);
  wc_import_report_set_format (report, wc_import_format_to_string (format));
  switch (format)
    {
    case WC_IMPORT_CSV:
    case WC_IMPORT_XLSX:
    case WC_IMPORT_ODS:
      return wc_import_sheet (path, format, options, report, error);
    case WC_IMPORT_OPENBAS:
      return wc_import_openbas (path, report, error);
    case WC_IMPORT_T3SF:
      return wc_import_t3sf (path, report, error);
    case WC_IMPORT_CEXF:
      return wc_import_cexf (path, report, error);
    case WC_IMPORT_WHITECELL:
      return import_whitecell (path, report, error);
    case WC_IMPORT_UNKNOWN:
    default:
      g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_UNKNOWN_FORMAT,
                   _("%s: not a format Whitecell imports (CSV, XLSX, ODS, OpenBAS, T3SF, MISP CEXF "
                     "or a Whitecell scenario)"), path);
      return NULL;
    }
}

JsonObject *
wc_import_get_extras (WcScenario *scenario,
                      const char *inject_id)
{
  JsonObject *all = g_object_get_data (G_OBJECT (scenario), EXTRAS_KEY);

  if (all == NULL || !json_object_has_member (all, inject_id ? inject_id : ""))
    return NULL;
  return json_object_get_object_member (all, inject_id ? inject_id : "");
}

void
wc_import_set_extras (WcScenario *scenario,
                      const char *inject_id,
                      JsonObject *extras)
{
  JsonObject *all = g_object_get_data (G_OBJECT (scenario), EXTRAS_KEY);

  if (all == NULL)
    {
      all = json_object_new ();
      g_object_set_data_full (G_OBJECT (scenario), EXTRAS_KEY, all,
                              (GDestroyNotify) json_object_unref);
    }
  if (extras == NULL)
    json_object_remove_member (all, inject_id ? inject_id : "");
  else
    json_object_set_object_member (all, inject_id ? inject_id : "", json_object_ref (extras));
}

JsonNode *
wc_import_scenario_to_json (WcScenario *scenario)
{
  JsonNode *node = wc_scenario_to_json (scenario);
  JsonObject *root = json_node_get_object (node);
  JsonArray *injects = json_object_has_member (root, "injects")
                         ? json_object_get_array_member (root, "injects") : NULL;

  for (guint i = 0; injects && i < json_array_get_length (injects); i++)
    {
      JsonObject *o = json_array_get_object_element (injects, i);
      JsonObject *extras = wc_import_get_extras (scenario, json_object_get_string_member (o, "id"));
      g_autoptr(GList) members = extras ? json_object_get_members (extras) : NULL;

      for (GList *l = members; l; l = l->next)
        json_object_set_member (o, l->data, json_object_dup_member (extras, l->data));
    }
  return node;
}

gboolean
wc_import_write_scenario (WcScenario  *scenario,
                          const char  *path,
                          GError     **error)
{
  g_autoptr(JsonNode) node = wc_import_scenario_to_json (scenario);
  g_autofree char *json = json_to_string (node, TRUE);
  g_autofree char *data = g_strconcat (json, "\n", NULL);
  g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data, -1);
  const char *from = wc_scenario_get_path (scenario);
  g_autofree char *from_dir = from ? g_path_get_dirname (from) : NULL;
  g_autofree char *to_dir = g_path_get_dirname (path);

  /* the attachments first: the scenario written is never without them */
  if ((from_dir && !wc_msel_copy_attachments (scenario, from_dir, to_dir, error)) ||
      !g_file_set_contents (path, data, -1, error))
    return FALSE;
  wc_scenario_set_path (scenario, path);
  wc_scenario_set_sha256 (scenario, sha256);
  return TRUE;
}

char *
wc_import_diagnostics_text (WcDiagnostics *diag)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < wc_diagnostics_get_n_items (diag); i++)
    {
      g_autofree char *line = wc_diagnostic_format (wc_diagnostics_get_item (diag, i));

      g_string_append_printf (out, "%s%s", out->len ? "\n" : "", line);
    }
  return g_string_free (out, FALSE);
}
