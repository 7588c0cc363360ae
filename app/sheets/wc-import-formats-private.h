/* wc-import-formats-private.h: what the importers of other tools' scenarios (OpenBAS / OpenAEV,
 * T3SF, MISP CEXF) share: a bounded JSON read, safe ids, HTML bodies as text, a staging folder
 * for the files they unpack, and the last step, the scenario loader's own validation. */
#pragma once

#include <json-glib/json-glib.h>

#include "wc-import.h"
#include "wc-json-reader.h"
#include "wc-scenario.h"

G_BEGIN_DECLS

/* An exported scenario is a few MB at most; 64 MiB leaves room for inlined documents. */
#define WC_FORMATS_MAX_JSON_BYTES ((gsize) 64 * 1024 * 1024)

/* Reads @path (bounded) and parses it; errors name the file, line and column. */
WcJsonDocument *wc_formats_read_json       (const char        *path,
                                            GError           **error);
/* The same for data already in memory (a ZIP member); @name is for messages. */
WcJsonDocument *wc_formats_parse_json      (const char        *data,
                                            gsize              length,
                                            const char        *name,
                                            GError           **error);

/* Typed member access that tolerates absence and wrong types (NULL / @fallback). */
const char     *wc_formats_get_string      (const WcJsonNode  *object,
                                            const char        *name);
gboolean        wc_formats_get_int         (const WcJsonNode  *object,
                                            const char        *name,
                                            gint64            *out);
const WcJsonNode *wc_formats_get_array     (const WcJsonNode  *object,
                                            const char        *name);
const WcJsonNode *wc_formats_get_object    (const WcJsonNode  *object,
                                            const char        *name);
/* The first of @names present in @object (field names that drifted between versions), and which
 * one it was in *@used. */
const WcJsonNode *wc_formats_get_any       (const WcJsonNode  *object,
                                            const char *const *names,
                                            const char       **used);

/* A scenario id (1–64 of A–Z a–z 0–9 _ - .) made from @raw, unique within @used (which keeps it);
 * @fallback when nothing of @raw is left ("PR/Comm" → "PR-Comm"). */
char           *wc_formats_make_id         (const char        *raw,
                                            const char        *fallback,
                                            GHashTable        *used);

/* HTML (an OpenBAS mail body) as plain text, links kept as "text <url>"; parsed by libxml2 with
 * the network off, bounded in depth. Plain text comes back as it is. */
char           *wc_formats_html_to_text    (const char        *html);

/* Where an importer puts the files it unpacks (ZIP documents, CEXF payloads): a private folder
 * made on first use, removed with the scenario; the scenario's path is set inside it so that
 * callers copy the attachments with wc_msel_copy_attachments() from its folder. */
typedef struct {
  char *dir;
} WcFormatsStaging;

const char     *wc_formats_staging_dir     (WcFormatsStaging  *staging,
                                            GError           **error);
/* Writes @data as @name (made safe, unique) in the staging folder; returns the relative name. */
char           *wc_formats_staging_write   (WcFormatsStaging  *staging,
                                            const char        *name,
                                            const void        *data,
                                            gsize              length,
                                            GError           **error);
void            wc_formats_staging_clear   (WcFormatsStaging  *staging);

/* A media type from a file name's extension ("application/octet-stream" when unknown). */
const char     *wc_formats_media_type      (const char        *file_name);

/* Exercise times: the planned duration that covers @latest_ms (rounded up to 15 min, + 30). */
gint64          wc_formats_duration_for    (gint64             latest_ms);

/* When a format names no team: one team "players" ("Players"), said in @report. */
void            wc_formats_add_default_team (JsonArray        *teams,
                                            GHashTable        *team_ids,
                                            WcImportReport    *report,
                                            const char        *source,
                                            const char        *why);

/* Builds the version-1 document's parts. */
JsonObject     *wc_formats_new_document    (const char        *exercise_id,
                                            const char        *title,
                                            const char        *description,
                                            gint64             duration_ms);
void            wc_formats_set_time        (JsonObject        *object,
                                            const char        *member,
                                            gint64             ms);

/* The last step of every importer: @doc goes through the scenario loader (with the staging
 * folder as its attachments' folder), its findings into @report as warnings; the scenario, or
 * NULL with @error (WC_IMPORT_ERROR_INVALID) naming @path. Takes @staging's folder over. */
WcScenario     *wc_formats_finish          (JsonObject        *doc,
                                            const char        *path,
                                            WcFormatsStaging  *staging,
                                            WcImportReport    *report,
                                            GError           **error);

G_END_DECLS
