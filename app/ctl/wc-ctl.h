/* wc-ctl.h: the subcommands of whitecellctl, one file each. */
#pragma once

#include <glib.h>

#include "wc-scenario.h"

G_BEGIN_DECLS

/* Exit codes shared by every subcommand. */
#define WC_CTL_EXIT_OK      0
#define WC_CTL_EXIT_FAILED  1  /* the input is invalid, or the operation failed */
#define WC_CTL_EXIT_USAGE   2  /* wrong arguments or options */

/* Each takes the arguments after the subcommand's name (argv[0] is the subcommand). */
int wc_ctl_validate (int argc, char **argv);
int wc_ctl_msel     (int argc, char **argv);
int wc_ctl_import   (int argc, char **argv);
int wc_ctl_export   (int argc, char **argv);
int wc_ctl_verify   (int argc, char **argv);
int wc_ctl_run      (int argc, char **argv);
int wc_ctl_relay    (int argc, char **argv);
int wc_ctl_report   (int argc, char **argv);

/* "7 teams, 32 injects, duration T+04:00" (with the actors' count if @with_actors), each count
 * with its plural form. */
char *wc_ctl_describe_scenario (WcScenario *scenario,
                                gboolean    with_actors);

/* "HOST:PORT" or "[V6]:PORT" (run's and relay's --listen). */
gboolean wc_ctl_parse_listen (const char  *spec,
                              char       **host,
                              guint       *port);

/* Prints "whitecellctl: MESSAGE" on stderr and returns WC_CTL_EXIT_USAGE. */
int wc_ctl_usage_error (const char *format, ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
