/* wc-ctl.h: the subcommands of whitecellctl, one file each. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes shared by every subcommand. */
#define WC_CTL_EXIT_OK      0
#define WC_CTL_EXIT_FAILED  1  /* the input is invalid, or the operation failed */
#define WC_CTL_EXIT_USAGE   2  /* wrong arguments or options */

/* Each takes the arguments after the subcommand's name (argv[0] is the subcommand). */
int wc_ctl_validate (int argc, char **argv);
int wc_ctl_msel     (int argc, char **argv);
int wc_ctl_verify   (int argc, char **argv);
int wc_ctl_run      (int argc, char **argv);
int wc_ctl_report   (int argc, char **argv);

/* Prints "whitecellctl: MESSAGE" on stderr and returns WC_CTL_EXIT_USAGE. */
int wc_ctl_usage_error (const char *format, ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
