/* wc-ctl-msel.c: `whitecellctl msel` (spreadsheet import/export) is being written. */
#include "config.h"

#include <glib/gi18n.h>

#include "wc-ctl.h"

int
wc_ctl_msel (int    argc,
             char **argv)
{
  return wc_ctl_usage_error (_("msel is not available yet"));
}
