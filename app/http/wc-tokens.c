/* wc-tokens.c: the exercise's secrets, and their file. */
#define G_LOG_DOMAIN "wc-tokens"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "wc-record.h"
#include "wc-tokens.h"

G_DEFINE_QUARK (wc-tokens-error-quark, wc_tokens_error)

#define TOKEN_BYTES 24  /* 192 bits */
#define JOURNAL_KEY_BYTES 32  /* HMAC-SHA256's block-sized key: 256 bits */

typedef struct {
  char *team;
  char *token;
  char *webhook_secret;
} TeamSecrets;

/* A member of the exercise staff: the name and role are kept beside the token so that the file
 * alone says whose link is whose; the engine's journal stays the authority on the role. */
typedef struct {
  char        *id;
  char        *name;
  WcStaffRole  role;
  char        *token;
} StaffSecrets;

struct _WcTokens {
  GObject    parent_instance;
  char      *controller;
  char      *journal_key;  /* hex */
  GPtrArray *teams;  /* TeamSecrets, in the scenario's order */
  /* the same by the SHA-256 of their token: a request finds its team without comparing with
   * every team's (which made each request cost as much as there are teams), and the time of the
   * lookup depends on a hash that says nothing of any token */
  GHashTable *team_by_digest;
  GHashTable *team_by_id;   /* the same by team id (the first of a repeated one) */
  GPtrArray *staff;  /* StaffSecrets: the scenario's, then those added */
  char      *path;   /* where a token made for new staff is saved at once (wc_tokens_follow_staff) */
};

G_DEFINE_FINAL_TYPE (WcTokens, wc_tokens, G_TYPE_OBJECT)

static void
team_secrets_free (gpointer data)
{
  TeamSecrets *s = data;

  g_free (s->team);
  /* Secrets do not linger in freed memory. */
  if (s->token)
    explicit_bzero (s->token, strlen (s->token));
  if (s->webhook_secret)
    explicit_bzero (s->webhook_secret, strlen (s->webhook_secret));
  g_free (s->token);
  g_free (s->webhook_secret);
  g_free (s);
}

static void
staff_secrets_free (gpointer data)
{
  StaffSecrets *s = data;

  g_free (s->id);
  g_free (s->name);
  if (s->token)
    explicit_bzero (s->token, strlen (s->token));
  g_free (s->token);
  g_free (s);
}

static void
wc_tokens_finalize (GObject *object)
{
  WcTokens *self = WC_TOKENS (object);

  if (self->controller)
    explicit_bzero (self->controller, strlen (self->controller));
  g_free (self->controller);
  if (self->journal_key)
    explicit_bzero (self->journal_key, strlen (self->journal_key));
  g_free (self->journal_key);
  g_hash_table_unref (self->team_by_digest);
  g_hash_table_unref (self->team_by_id);
  g_ptr_array_unref (self->teams);
  g_ptr_array_unref (self->staff);
  g_free (self->path);
  G_OBJECT_CLASS (wc_tokens_parent_class)->finalize (object);
}

static void
wc_tokens_class_init (WcTokensClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wc_tokens_finalize;
}

static void
wc_tokens_init (WcTokens *self)
{
  self->teams = g_ptr_array_new_with_free_func (team_secrets_free);
  self->team_by_digest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->team_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->staff = g_ptr_array_new_with_free_func (staff_secrets_free);
}

char *
wc_tokens_random (gsize    n_bytes,
                  GError **error)
{
  g_autofree guchar *bytes = g_malloc (n_bytes);
  GString *hex;
  gsize got = 0;

  while (got < n_bytes)
    {
      ssize_t n = getrandom (bytes + got, n_bytes - got, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_IO,
                       _("No random numbers from the system: %s"), g_strerror (saved));
          return NULL;
        }
      got += n;
    }
  hex = g_string_sized_new (n_bytes * 2);
  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  explicit_bzero (bytes, n_bytes);
  return g_string_free (hex, FALSE);
}

gboolean
wc_tokens_equal (const char *a,
                 const char *b)
{
  gsize la, lb;
  guchar diff;

  if (a == NULL || b == NULL)
    return FALSE;
  la = strlen (a);
  lb = strlen (b);
  /* The time depends on the stored token's length only, never on where they differ. */
  diff = la != lb;
  for (gsize i = 0; i < la; i++)
    diff |= (guchar) a[i] ^ (guchar) (i < lb ? b[i] : 0);
  return diff == 0;
}

static TeamSecrets *
find_secrets (WcTokens   *self,
              const char *team_id)
{
  /* by a hash: a join link or a webhook for each of 5,000 teams compared with every team's id
   * was 25 million comparisons when an exercise opened */
  return team_id ? g_hash_table_lookup (self->team_by_id, team_id) : NULL;
}

static gboolean
add_team (WcTokens    *self,
          const char  *team_id,
          const char  *token,
          const char  *secret,
          GError     **error)
{
  TeamSecrets *s = g_new0 (TeamSecrets, 1);

  s->team = g_strdup (team_id);
  s->token = token ? g_strdup (token) : wc_tokens_random (TOKEN_BYTES, error);
  s->webhook_secret = secret ? g_strdup (secret) : wc_tokens_random (TOKEN_BYTES, error);
  g_ptr_array_add (self->teams, s);
  if (!g_hash_table_contains (self->team_by_id, s->team))
    g_hash_table_insert (self->team_by_id, s->team, s);
  if (s->token != NULL)
    g_hash_table_replace (self->team_by_digest,
                          g_compute_checksum_for_string (G_CHECKSUM_SHA256, s->token, -1), s);
  return s->token != NULL && s->webhook_secret != NULL;
}

static StaffSecrets *
find_staff (WcTokens   *self,
            const char *staff_id)
{
  for (guint i = 0; staff_id && i < self->staff->len; i++)
    {
      StaffSecrets *s = g_ptr_array_index (self->staff, i);

      if (strcmp (s->id, staff_id) == 0)
        return s;
    }
  return NULL;
}

/* @token NULL: a fresh one. */
static gboolean
add_staff (WcTokens     *self,
           const char   *id,
           const char   *name,
           WcStaffRole   role,
           const char   *token,
           GError      **error)
{
  StaffSecrets *s = g_new0 (StaffSecrets, 1);

  s->id = g_strdup (id);
  s->name = g_strdup (name);
  s->role = role;
  s->token = token ? g_strdup (token) : wc_tokens_random (TOKEN_BYTES, error);
  g_ptr_array_add (self->staff, s);
  return s->token != NULL;
}

/* Tokens for the scenario's staff that have none yet; *@added tells whether any was made. */
static gboolean
add_scenario_staff (WcTokens    *self,
                    WcScenario  *scenario,
                    gboolean    *added,
                    GError     **error)
{
  for (guint i = 0; i < wc_scenario_get_n_staff (scenario); i++)
    {
      const WcStaff *staff = wc_scenario_get_staff (scenario, i);

      if (find_staff (self, staff->id) != NULL)
        continue;
      if (!add_staff (self, staff->id, staff->name, staff->role, NULL, error))
        return FALSE;
      *added = TRUE;
    }
  return TRUE;
}

WcTokens *
wc_tokens_generate (WcScenario  *scenario,
                    GError     **error)
{
  gboolean added = FALSE;

  g_autoptr(WcTokens) self = g_object_new (WC_TYPE_TOKENS, NULL);

  if ((self->controller = wc_tokens_random (TOKEN_BYTES, error)) == NULL ||
      (self->journal_key = wc_tokens_random (JOURNAL_KEY_BYTES, error)) == NULL)
    return NULL;
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    if (!add_team (self, wc_scenario_get_team (scenario, i)->id, NULL, NULL, error))
      return NULL;
  if (!add_scenario_staff (self, scenario, &added, error))
    return NULL;
  return g_steal_pointer (&self);
}

static gboolean
good_token (const char *token)
{
  gsize n;

  if (token == NULL)
    return FALSE;
  n = strlen (token);
  /* at least 128 bits as hex */
  if (n < 32 || n > 256)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isxdigit (token[i]))
      return FALSE;
  return TRUE;
}

static gboolean
good_journal_key (const char *key)
{
  return good_token (key) && strlen (key) == JOURNAL_KEY_BYTES * 2;
}

/* The member "journal_key" of @top: NULL without @error when there is none (a file written before
 * journals were sealed), NULL with @error when it is not a key. */
static const char *
journal_key_member (JsonObject  *top,
                    const char  *path,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (top, "journal_key");
  const char *key;

  if (node == NULL)
    return NULL;
  key = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
        ? json_node_get_string (node) : NULL;
  if (!good_journal_key (key))
    {
      g_set_error (error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_INVALID,
                   _("%s: \"journal_key\" is not %d hexadecimal digits"), path,
                   JOURNAL_KEY_BYTES * 2);
      return NULL;
    }
  return key;
}

/* The top object of the tokens file @path, or NULL with @error naming the file. */
static JsonObject *
read_top (JsonParser  *parser,
          const char  *path,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_IO, "%s: %s", path,
                   local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_INVALID,
                   _("%s: not a Whitecell tokens file (not a JSON object)"), path);
      return NULL;
    }
  return json_node_get_object (root);
}

/* The key does not linger in freed memory either. */
static void
wipe_free (gpointer data)
{
  explicit_bzero (data, JOURNAL_KEY_BYTES);
  g_free (data);
}

/* @hex, checked by good_journal_key(), as bytes. */
static GBytes *
key_from_hex (const char *hex)
{
  guchar *bytes = g_malloc (JOURNAL_KEY_BYTES);

  for (gsize i = 0; i < JOURNAL_KEY_BYTES; i++)
    bytes[i] = g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]);
  return g_bytes_new_with_free_func (bytes, JOURNAL_KEY_BYTES, wipe_free, bytes);
}

/* The "staff" object of the file (absent in files written before staff had tokens): every
 * member is kept, those added during the exercise too. */
static gboolean
load_staff (WcTokens    *self,
            JsonObject  *top,
            const char  *path,
            GError     **error)
{
  JsonNode *node = json_object_get_member (top, "staff");
  JsonObject *staff;
  g_autoptr(GList) ids = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_INVALID,
                   _("%s: \"staff\" is not an object"), path);
      return FALSE;
    }
  staff = json_node_get_object (node);
  ids = json_object_get_members (staff);
  for (GList *l = ids; l; l = l->next)
    {
      JsonNode *member = json_object_get_member (staff, l->data);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;
      const char *name = o ? json_object_get_string_member_with_default (o, "name", NULL) : NULL;
      const char *role_name = o ? json_object_get_string_member_with_default (o, "role", NULL)
                                : NULL;
      const char *token = o ? json_object_get_string_member_with_default (o, "token", NULL)
                            : NULL;
      WcStaffRole role;

      if (name == NULL || !wc_staff_role_from_string (role_name, &role) || !good_token (token))
        {
          g_set_error (error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_INVALID,
                       _("%s: staff member “%s”: needs \"name\", \"role\" (director, "
                         "controller, evaluator or observer) and a \"token\" of 32 or more "
                         "hexadecimal digits"), path, (const char *) l->data);
          return FALSE;
        }
      if (find_staff (self, l->data) == NULL && !add_staff (self, l->data, name, role, token, error))
        return FALSE;
    }
  return TRUE;
}

WcTokens *
wc_tokens_load (const char  *path,
                WcScenario  *scenario,
                GError     **error)
{
  g_autoptr(WcTokens) self = g_object_new (WC_TYPE_TOKENS, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *top, *teams;
  const char *controller, *journal_key;
  gboolean added = FALSE;

  if ((top = read_top (parser, path, error)) == NULL)
    return NULL;
  controller = json_object_get_string_member_with_default (top, "controller", NULL);
  teams = json_object_has_member (top, "teams") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (top, "teams"))
          ? json_object_get_object_member (top, "teams") : NULL;
  if (!good_token (controller) || teams == NULL)
    {
      g_set_error (error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_INVALID,
                   _("%s: not a Whitecell tokens file (no \"controller\" token or \"teams\")"),
                   path);
      return NULL;
    }
  journal_key = journal_key_member (top, path, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  self->controller = g_strdup (controller);
  self->journal_key = journal_key ? g_strdup (journal_key)
                                  : wc_tokens_random (JOURNAL_KEY_BYTES, error);
  if (self->journal_key == NULL)
    return NULL;
  for (guint i = 0; i < wc_scenario_get_n_teams (scenario); i++)
    {
      const char *id = wc_scenario_get_team (scenario, i)->id;
      JsonNode *node = json_object_get_member (teams, id);
      JsonObject *team = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *token = team ? json_object_get_string_member_with_default (team, "token", NULL)
                               : NULL;
      const char *secret = team ? json_object_get_string_member_with_default (team, "webhook_secret",
                                                                              NULL) : NULL;

      if ((token && !good_token (token)) || (secret && !good_token (secret)))
        {
          g_set_error (error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_INVALID,
                       _("%s: the secrets of team “%s” are not 32 or more hexadecimal digits"),
                       path, id);
          return NULL;
        }
      if (!add_team (self, id, token, secret, error))
        return NULL;
    }
  if (!load_staff (self, top, path, error) || !add_scenario_staff (self, scenario, &added, error))
    return NULL;
  /* a file from before journals were sealed: its new key is kept at once, or the records it
   * seals could never be checked; so are new staff's links */
  if ((journal_key == NULL || added) && !wc_tokens_save (self, path, error))
    return NULL;
  return g_steal_pointer (&self);
}

GBytes *
wc_tokens_read_journal_key (const char  *tokens_path,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *top = read_top (parser, tokens_path, error);
  const char *key;

  if (top == NULL)
    return NULL;
  key = journal_key_member (top, tokens_path, &local_error);
  if (key == NULL && local_error == NULL)
    g_set_error (&local_error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_INVALID,
                 _("%s holds no journal key (written before journals were sealed)"),
                 tokens_path);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return key_from_hex (key);
}

GBytes *
wc_tokens_get_journal_key (WcTokens *self)
{
  return key_from_hex (self->journal_key);
}

gboolean
wc_tokens_save (WcTokens    *self,
                const char  *path,
                GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  g_autofree char *tmp = g_strconcat (path, ".XXXXXX", NULL);
  gsize length;
  int fd;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "whitecell-tokens");
  json_builder_set_member_name (b, "controller");
  json_builder_add_string_value (b, self->controller);
  json_builder_set_member_name (b, "journal_key");
  json_builder_add_string_value (b, self->journal_key);
  json_builder_set_member_name (b, "teams");
  json_builder_begin_object (b);
  for (guint i = 0; i < self->teams->len; i++)
    {
      TeamSecrets *s = g_ptr_array_index (self->teams, i);

      json_builder_set_member_name (b, s->team);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "token");
      json_builder_add_string_value (b, s->token);
      json_builder_set_member_name (b, "webhook_secret");
      json_builder_add_string_value (b, s->webhook_secret);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "staff");
  json_builder_add_value (b, wc_tokens_get_staff_links (self, NULL));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  data = json_generator_to_data (gen, &length);

  /* Created 0600 from the start: the secrets are never readable by others, not even briefly. */
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, data, length) != (gssize) length || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        {
          close (fd);
          g_unlink (tmp);
        }
      g_set_error (error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_IO, _("Could not write %s: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  close (fd);
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, WC_TOKENS_ERROR, WC_TOKENS_ERROR_IO, _("Could not write %s: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

char *
wc_tokens_path_for_journal (const char *journal_path)
{
  return g_strconcat (journal_path, ".tokens.json", NULL);
}

const char *
wc_tokens_get_controller (WcTokens *self)
{
  return self->controller;
}

const char *
wc_tokens_get_team_token (WcTokens   *self,
                          const char *team_id)
{
  TeamSecrets *s = find_secrets (self, team_id);

  return s ? s->token : NULL;
}

const char *
wc_tokens_get_webhook_secret (WcTokens   *self,
                              const char *team_id)
{
  TeamSecrets *s = find_secrets (self, team_id);

  return s ? s->webhook_secret : NULL;
}

const char *
wc_tokens_find_team (WcTokens   *self,
                     const char *token)
{
  g_autofree char *digest = NULL;
  TeamSecrets *s;

  if (token == NULL)
    return NULL;
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
  s = g_hash_table_lookup (self->team_by_digest, digest);
  return s != NULL && wc_tokens_equal (s->token, token) ? s->team : NULL;
}

gboolean
wc_tokens_is_controller (WcTokens   *self,
                         const char *token)
{
  return wc_tokens_equal (self->controller, token);
}

JsonNode *
wc_tokens_get_staff_links (WcTokens   *self,
                           const char *base_url)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  for (guint i = 0; i < self->staff->len; i++)
    {
      StaffSecrets *s = g_ptr_array_index (self->staff, i);

      json_builder_set_member_name (b, s->id);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, s->name);
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, wc_staff_role_to_string (s->role));
      json_builder_set_member_name (b, "token");
      json_builder_add_string_value (b, s->token);
      if (base_url)
        {
          g_autofree char *url = g_strconcat (base_url, "/e/", s->token, NULL);

          json_builder_set_member_name (b, "url");
          json_builder_add_string_value (b, url);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

const char *
wc_tokens_get_staff_token (WcTokens   *self,
                           const char *staff_id)
{
  StaffSecrets *s = find_staff (self, staff_id);

  return s ? s->token : NULL;
}

const char *
wc_tokens_find_staff (WcTokens   *self,
                      const char *token)
{
  const char *found = NULL;

  if (token == NULL)
    return NULL;
  /* as for teams: every token compared, whichever matched */
  for (guint i = 0; i < self->staff->len; i++)
    {
      StaffSecrets *s = g_ptr_array_index (self->staff, i);

      if (wc_tokens_equal (s->token, token))
        found = s->id;
    }
  return found;
}

gboolean
wc_tokens_add_staff (WcTokens     *self,
                     const char   *staff_id,
                     const char   *name,
                     WcStaffRole   role,
                     GError      **error)
{
  g_return_val_if_fail (staff_id != NULL && name != NULL, FALSE);

  if (find_staff (self, staff_id) != NULL)
    return TRUE;
  if (!add_staff (self, staff_id, name, role, NULL, error))
    {
      g_ptr_array_remove_index (self->staff, self->staff->len - 1);
      return FALSE;
    }
  return self->path == NULL || wc_tokens_save (self, self->path, error);
}

static void
on_engine_record (WcEngine     *engine,
                  guint64       seq,
                  WcRecordType  type,
                  JsonObject   *data,
                  gint64        t_ms,
                  WcTokens     *self)
{
  g_autoptr(GError) error = NULL;
  const WcStaff *staff;

  if (type != WC_RECORD_STAFF_ADDED ||
      (staff = wc_engine_find_staff (engine, wc_record_get_string (data, "staff"))) == NULL)
    return;
  /* nobody to hand the error to in a signal: said without the token, which is never logged */
  if (!wc_tokens_add_staff (self, staff->id, staff->name, staff->role, &error))
    g_warning ("No link for staff member “%s”: %s", staff->id, error->message);
}

gboolean
wc_tokens_follow_staff (WcTokens    *self,
                        WcEngine    *engine,
                        const char  *path,
                        GError     **error)
{
  GPtrArray *staff = wc_engine_get_staff (engine);
  gboolean added = FALSE;

  g_return_val_if_fail (self->path == NULL, FALSE);
  for (guint i = 0; i < staff->len; i++)
    {
      const WcStaff *s = g_ptr_array_index (staff, i);

      if (find_staff (self, s->id) != NULL)
        continue;
      if (!add_staff (self, s->id, s->name, s->role, NULL, error))
        return FALSE;
      added = TRUE;
    }
  if (path && added && !wc_tokens_save (self, path, error))
    return FALSE;
  self->path = g_strdup (path);
  g_signal_connect_object (engine, "record", G_CALLBACK (on_engine_record), self, 0);
  return TRUE;
}
