/* wc-time.c: exercise times ("T+HH:MM[:SS]") to milliseconds and back. */
#define G_LOG_DOMAIN "wc-time"

#include "config.h"

#include <string.h>

#include "wc-scenario.h"

static gboolean
parse_digits (const char **p,
              guint        min_digits,
              guint        max_digits,
              gint64      *out)
{
  gint64 v = 0;
  guint n = 0;

  while (g_ascii_isdigit (**p) && n < max_digits)
    {
      v = v * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  if (n < min_digits || g_ascii_isdigit (**p))
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
wc_time_parse (const char *str,
               gint64     *out_ms)
{
  const char *p = str;
  gint64 h, m, s = 0;

  if (str == NULL)
    return FALSE;
  if (p[0] == 'T' && p[1] == '+')
    p += 2;
  if (!parse_digits (&p, 1, 4, &h) || *p++ != ':')
    return FALSE;
  if (!parse_digits (&p, 2, 2, &m) || m > 59)
    return FALSE;
  if (*p == ':')
    {
      p++;
      if (!parse_digits (&p, 2, 2, &s) || s > 59)
        return FALSE;
    }
  if (*p != '\0')
    return FALSE;
  *out_ms = ((h * 60 + m) * 60 + s) * 1000;
  return TRUE;
}

char *
wc_time_format (gint64   ms,
                gboolean short_form)
{
  gint64 total_s = ms / 1000;
  gboolean negative = ms < 0;

  if (negative)
    total_s = -total_s;
  if (short_form && total_s % 60 == 0)
    return g_strdup_printf ("T%c%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                            negative ? '-' : '+', total_s / 3600, (total_s / 60) % 60);
  return g_strdup_printf ("T%c%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                          negative ? '-' : '+', total_s / 3600, (total_s / 60) % 60, total_s % 60);
}
