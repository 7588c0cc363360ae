/* wc-scenario-loader-private.h: what the loader's files share while reading one scenario. */
#pragma once

#include "wc-json-reader.h"
#include "wc-scenario-loader.h"

G_BEGIN_DECLS

/* A JSON path kept on the stack while descending; turned into text only for a finding. */
typedef struct _Path Path;
struct _Path {
  const Path *parent;
  const char *key;    /* member name, or NULL for an array element */
  guint       index;
};

typedef struct {
  WcDiagnostics  *diag;
  WcJsonDocument *doc;
  WcScenario     *scenario;
  char           *base_dir;
  GStrv           languages;
  /* id → first position, for "duplicate id" findings that point back to the first one */
  GHashTable     *seen_objectives;
  GHashTable     *seen_teams;
  GHashTable     *seen_actors;
  GHashTable     *seen_staff;
  GHashTable     *seen_injects;
  GPtrArray      *inject_objects;  /* WcJsonNode object per inject, in scenario order (nullable) */
  GPtrArray      *team_ids;        /* for "all" */
} Loader;

#define WC_JSON_STR(node) ((node)->v.string)

static inline WcJsonPos
node_pos (const WcJsonNode *node)
{
  return node ? node->pos : (WcJsonPos) { 0, 0 };
}

static inline WcJsonPos
key_pos (const WcJsonNode *node)
{
  return node ? node->key_pos : (WcJsonPos) { 0, 0 };
}

/* Findings, and typed getters that report a wrong type or a missing required member. */
void        wc_loader_report        (Loader *L, WcSeverity severity, WcJsonPos pos, const Path *path,
                                     const char *hint, const char *format, ...) G_GNUC_PRINTF (6, 7);
void        wc_loader_check_members (Loader *L, WcJsonNode *object, const Path *path,
                                     const char *const *known);
WcJsonNode *wc_loader_get_member    (Loader *L, WcJsonNode *object, const char *name,
                                     const Path *path, gboolean required);
/* expected: an N_() phrase ("a string"), translated only when the error is reported */
gboolean    wc_loader_expect_type   (Loader *L, WcJsonNode *node, const Path *path, WcJsonType type,
                                     const char *expected);
const char *wc_loader_get_string    (Loader *L, WcJsonNode *object, const char *name,
                                     const Path *path, gboolean required);
WcJsonNode *wc_loader_get_array     (Loader *L, WcJsonNode *object, const char *name,
                                     const Path *path, gboolean required);
WcJsonNode *wc_loader_as_object     (Loader *L, WcJsonNode *node, const Path *path);
gboolean    wc_loader_is_language_code (const char *code);
const char *wc_loader_get_id        (Loader *L, WcJsonNode *object, const Path *path,
                                     GHashTable *seen, const char *kind);
gboolean    wc_loader_get_time      (Loader *L, WcJsonNode *object, const char *name,
                                     const Path *path, gboolean required, gint64 *out_ms);
WcText     *wc_loader_get_text      (Loader *L, WcJsonNode *object, const char *name,
                                     const Path *path, gboolean required);
gboolean    wc_loader_get_enum      (Loader *L, WcJsonNode *object, const char *name,
                                     const Path *path, gboolean required,
                                     const char *const *names, int *out);

/* One element of "injects" (wc-scenario-injects.c). */
void        wc_loader_load_inject   (Loader *L, WcJsonNode *o, const Path *path);

/* The top-level "coordination" section, once the teams are read (wc-scenario-coordination-loader.c). */
void        wc_loader_load_coordination (Loader *L, WcJsonNode *top);

/* Once every inject is read: triggers point at each other, and times follow from them. */
void        wc_loader_resolve_triggers (Loader *L);
void        wc_loader_check_times      (Loader *L);

G_END_DECLS
