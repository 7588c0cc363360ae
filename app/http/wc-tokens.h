/* wc-tokens.h: the secrets of an exercise: one access token and one webhook secret per team, one
 * access token per member of the exercise staff, a controller token and the key that seals the
 * journal. Kept in a file of their own (mode 0600),
 * never in the journal or the logs. */
#pragma once

#include <glib-object.h>

#include "wc-engine.h"
#include "wc-scenario.h"

G_BEGIN_DECLS

#define WC_TOKENS_ERROR (wc_tokens_error_quark ())
GQuark wc_tokens_error_quark (void);

typedef enum {
  WC_TOKENS_ERROR_INVALID = 1,
  WC_TOKENS_ERROR_IO,
} WcTokensError;

#define WC_TYPE_TOKENS (wc_tokens_get_type ())
G_DECLARE_FINAL_TYPE (WcTokens, wc_tokens, WC, TOKENS, GObject)

/* Fresh random secrets (128 bits or more each, from the system's CSPRNG) for every team and
 * every staff member the scenario names. */
WcTokens   *wc_tokens_generate          (WcScenario  *scenario,
                                         GError     **error);
/* Reads @path, and adds fresh secrets for any team or scenario staff member the file lacks
 * (saved at once when it lacked staff). A file without a journal key
 * (written before journals were sealed) gets one, and is saved with it at once. */
WcTokens   *wc_tokens_load              (const char  *path,
                                         WcScenario  *scenario,
                                         GError     **error);
/* Writes atomically with mode 0600. */
gboolean    wc_tokens_save              (WcTokens    *self,
                                         const char  *path,
                                         GError     **error);
/* The usual place: beside the journal, "JOURNAL.tokens.json". */
char       *wc_tokens_path_for_journal  (const char  *journal_path);

/* Only the journal key of the tokens file @tokens_path, without a scenario: for checking seals. */
GBytes     *wc_tokens_read_journal_key  (const char  *tokens_path,
                                         GError     **error);

const char *wc_tokens_get_controller    (WcTokens   *self);
/* The key that seals the journal (32 bytes, see wc_journal_set_key()). */
GBytes     *wc_tokens_get_journal_key   (WcTokens   *self);
const char *wc_tokens_get_team_token    (WcTokens   *self,
                                         const char *team_id);
const char *wc_tokens_get_webhook_secret (WcTokens  *self,
                                          const char *team_id);
/* The team whose token @token is, compared in constant time; NULL if none. */
const char *wc_tokens_find_team         (WcTokens   *self,
                                         const char *token);
gboolean    wc_tokens_is_controller     (WcTokens   *self,
                                         const char *token);
/* A staff member's token; NULL when they have none. */
const char *wc_tokens_get_staff_token   (WcTokens   *self,
                                         const char *staff_id);
/* {ID: {"name", "role", "token", "url"}} for every staff member with a token; "url" (their
 * page, BASE/e/TOKEN) only with @base_url. */
JsonNode   *wc_tokens_get_staff_links   (WcTokens   *self,
                                         const char *base_url);
/* The staff id whose token @token is, compared in constant time; NULL if none (the controller
 * token is not a staff member's: see wc_tokens_is_controller()). */
const char *wc_tokens_find_staff        (WcTokens   *self,
                                         const char *token);
/* A token for a staff member who has none (nothing if they have one), saved at once to the file
 * given to wc_tokens_follow_staff(), if any. */
gboolean    wc_tokens_add_staff         (WcTokens    *self,
                                         const char  *staff_id,
                                         const char  *name,
                                         WcStaffRole  role,
                                         GError     **error);
/* Gives a token to every staff member @engine knows (those added in an earlier run too), and
 * from now on to each one it adds (its "staff-added" record), saving @path (nullable: no file)
 * each time. Once per tokens. */
gboolean    wc_tokens_follow_staff      (WcTokens    *self,
                                         WcEngine    *engine,
                                         const char  *path,
                                         GError     **error);
/* Constant-time comparison of two NUL-terminated strings. */
gboolean    wc_tokens_equal             (const char *a,
                                         const char *b);
/* A new random token: @n_bytes from the CSPRNG, as lowercase hex. */
char       *wc_tokens_random            (gsize       n_bytes,
                                         GError    **error);

G_END_DECLS
