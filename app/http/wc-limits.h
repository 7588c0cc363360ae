/* wc-limits.h: what the HTTP layer allows one client, one token and one team, and the budgets
 * (requests and body bytes per token) that enforce the rates. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Limits; the defaults (wc_limits_get_default) suit a national exercise. */
typedef struct {
  gsize  max_body;                  /* request bodies, bytes (413 beyond, as the body arrives) */
  double rate_per_second;           /* requests per token (429 beyond) */
  double rate_burst;
  double bytes_per_second;          /* request body bytes per token (429 beyond) */
  double bytes_burst;
  gsize  max_stream_backlog;        /* bytes queued for one event stream before it is dropped */
  guint  keepalive_seconds;         /* ": ping" on idle event streams */
  guint  listen_backlog;
  guint  max_connections;           /* open connections; 0: from the file limit */
  guint  max_connections_per_address;
  guint  header_timeout_seconds;    /* a connection that sends no request headers is closed */
  guint  reply_timeout_seconds;     /* a reply written for a client that does not read it: closed */
  guint  max_streams_per_team;      /* open event streams (429 beyond) */
  guint  max_answers_per_inject;    /* answers per team per inject (429 beyond) */
  gsize  max_answer_bytes_per_team; /* answer text over all injects (413 beyond) */
  guint  list_responses;            /* latest answers per inject in lists and events */
  gsize  list_response_bytes;       /* ... and at most this much of their text */
  guint  max_page_responses;        /* answers per page of an inject's history */
  guint  max_downloads;             /* attachments sent at once (503 beyond) */
  gsize  max_upload;                /* a message posted with its attachment, bytes (413 beyond) */
  gsize  max_upload_bytes_per_team; /* attachments a team sends in all (413 beyond) */
} WcServerLimits;

void        wc_limits_get_default   (WcServerLimits *limits);

/* Token buckets, one per token, of requests and of body bytes. */
typedef struct _WcBudgets WcBudgets;

WcBudgets  *wc_budgets_new          (void);
void        wc_budgets_free         (WcBudgets             *budgets);
/* Takes one request from @token's bucket; FALSE if it is empty. */
gboolean    wc_budgets_take_request (WcBudgets             *budgets,
                                     const WcServerLimits  *limits,
                                     const char            *token);
/* Takes @bytes from @token's byte bucket; FALSE (and nothing taken) if it has too few. */
gboolean    wc_budgets_take_bytes   (WcBudgets             *budgets,
                                     const WcServerLimits  *limits,
                                     const char            *token,
                                     gsize                  bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcBudgets, wc_budgets_free)

G_END_DECLS
