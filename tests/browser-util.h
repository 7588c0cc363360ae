/* browser-util.h: headless Chromium for the browser tests, driven over the DevTools protocol on a
 * pipe (--remote-debugging-pipe: fd 3 in, fd 4 out, NUL-separated JSON), so that nothing but
 * Debian's chromium is needed. Every wait iterates the default main context, so a server in the
 * test's own process goes on answering the page. */
#pragma once

#include <json-glib/json-glib.h>

#include "wc-server.h"

G_BEGIN_DECLS

#define WC_BROWSER_TIMEOUT_S 30

typedef struct _WcBrowser WcBrowser;

/* $WC_CHROMIUM, else chromium (or Chrome) on the PATH; NULL when there is none. */
char       *wc_browser_find          (void);
/* Where Chromium is missing, adds @path as a skipped test and returns FALSE. */
gboolean    wc_browser_available     (const char *path);
/* Starts @chromium with a profile of its own in @dir, opens a blank page and attaches to it. */
WcBrowser  *wc_browser_new           (const char *chromium,
                                      const char *dir);
/* Closes Chromium and removes its profile. */
void        wc_browser_free          (WcBrowser  *self);
/* Sends a DevTools command to the page and returns its result (owned by @self). */
JsonObject *wc_browser_cdp           (WcBrowser  *self,
                                      const char *method,
                                      JsonObject *params);  /* transfer full, nullable */
void        wc_browser_navigate      (WcBrowser  *self,
                                      const char *url);
/* Runs @expression in the page (promises awaited); its value as a string, "" for null. */
char       *wc_browser_evaluate      (WcBrowser  *self,
                                      const char *expression);
/* Runs @expression for its effect (a click, a change). */
void        wc_browser_run           (WcBrowser  *self,
                                      const char *expression);
/* Waits until @expression gives @expected in the page (an exception is only "not yet"); fails
 * the test after WC_BROWSER_TIMEOUT_S. */
void        wc_browser_wait_for      (WcBrowser  *self,
                                      const char *expression,
                                      const char *expected);
/* Waits, serving the main context, until @done (@data) is TRUE; fails the test after the timeout. */
void        wc_browser_wait_until    (gboolean  (*done) (gpointer data),
                                      gpointer    data);
void        wc_browser_set_viewport  (WcBrowser  *self,
                                      int         width,
                                      int         height,
                                      gboolean    mobile);
/* Emulates prefers-color-scheme: dark (or light). */
void        wc_browser_set_dark      (WcBrowser  *self,
                                      gboolean    dark);
/* Saves the page as @name (PNG) in $G_TEST_BUILDDIR. */
void        wc_browser_screenshot    (WcBrowser  *self,
                                      const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcBrowser, wc_browser_free)

/* An exercise served to a browser: the engine (journal in @dir), its tokens, the server on a free
 * port of 127.0.0.1, and Chromium. */
typedef struct {
  char       *dir;
  char       *journal;
  WcScenario *scenario;
  WcEngine   *engine;
  WcTokens   *tokens;
  WcServer   *server;
  WcBrowser  *browser;
} WcBrowserExercise;

void        wc_browser_exercise_open  (WcBrowserExercise *x,
                                       char              *dir,        /* transfer full */
                                       WcScenario        *scenario);  /* transfer full */
/* Closes all of it, checks nothing leaked the engine or server, and removes @dir. */
void        wc_browser_exercise_close (WcBrowserExercise *x);

G_END_DECLS
