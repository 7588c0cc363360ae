/* wc-ctl-verify.c: `whitecellctl verify` (journal verification) is being written. */
#include "config.h"

#include <glib/gi18n.h>

#include "wc-ctl.h"

int
wc_ctl_verify (int    argc,
             char **argv)
{
  return wc_ctl_usage_error (_("verify is not available yet"));
}
