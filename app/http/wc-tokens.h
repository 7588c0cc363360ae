/* wc-tokens.h: the secrets of an exercise: one access token and one webhook secret per team, a
 * controller token and the key that seals the journal. Kept in a file of their own (mode 0600),
 * never in the journal or the logs. */
#pragma once

#include <glib-object.h>

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

/* Fresh random secrets (128 bits or more each, from the system's CSPRNG) for every team. */
WcTokens   *wc_tokens_generate          (WcScenario  *scenario,
                                         GError     **error);
/* Reads @path, and adds fresh secrets for any team the file lacks. A file without a journal key
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
/* Constant-time comparison of two NUL-terminated strings. */
gboolean    wc_tokens_equal             (const char *a,
                                         const char *b);
/* A new random token: @n_bytes from the CSPRNG, as lowercase hex. */
char       *wc_tokens_random            (gsize       n_bytes,
                                         GError    **error);

G_END_DECLS
