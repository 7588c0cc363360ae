/* wc-import-times.c: the times of a planner's sheet: "T+5", "T+01:30", minutes, "1h30", clock
 * times ("09:15", "1:30 PM", serials the workbook reader has shown as clock times) with or
 * without a day column, a day and a clock time in one cell ("J+1 09h00", "D-Day 09:00"), or no
 * time at all (the rows' order) — made into times from the start. */
#define G_LOG_DOMAIN "wc-import"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wc-import-sheet-private.h"
#include "wc-scenario-loader.h"

#define ORDER_STEP_MS (5 * 60000)
#define DAY_MS ((gint64) 86400000)
/* a row without a time (0 and negative times are times: "J-1" comes before D-Day) */
#define NO_TIME G_MININT64

/* Days before D-Day are negative: division and remainder rounded down, not towards zero. */
static gint64
day_floor (gint64 ms)
{
  return (ms >= 0 ? ms / DAY_MS : -((-ms + DAY_MS - 1) / DAY_MS)) * DAY_MS;
}

/* "T+5", "T+01:30", "+90", "90", "90 min", "1h30" → ms from the start; FALSE otherwise. */
static gboolean
parse_relative (const char *cell,
                gint64     *ms)
{
  g_autoptr(GRegex) re = g_regex_new ("^(?:T\\s*)?\\+?\\s*(\\d{1,5})(?:\\s*(?:min|minutes|m|mn))?$",
                                      G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) hm = g_regex_new ("^(?:T\\s*)?\\+?\\s*(\\d{1,3})\\s*[hu]\\s*(\\d{1,2})?(?:\\s*(?:min|m))?$",
                                      G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if ((g_str_has_prefix (cell, "T+") || g_str_has_prefix (cell, "t+")) &&
      wc_time_parse (cell[0] == 't' ? cell + 2 : cell, ms))
    return TRUE;
  if (g_regex_match (re, cell, 0, &match))
    {
      g_autofree char *n = g_match_info_fetch (match, 1);

      *ms = g_ascii_strtoll (n, NULL, 10) * 60000;
      return TRUE;
    }
  g_clear_pointer (&match, g_match_info_unref);
  if (g_regex_match (hm, cell, 0, &match))
    {
      g_autofree char *h = g_match_info_fetch (match, 1);
      g_autofree char *m = g_match_info_fetch (match, 2);

      *ms = (g_ascii_strtoll (h, NULL, 10) * 60 + (m && *m ? g_ascii_strtoll (m, NULL, 10) : 0)) * 60000;
      return TRUE;
    }
  return FALSE;
}

/* The day notation of real sheets, D-Day being day 0: French (OpenBAS) "J", "J+1", "J-1",
 * English "D-Day", "D+1", Dutch "D-Dag", "D+1"; *@rest is what follows it ("09h00", or ""). */
static gboolean
parse_day_mark (const char  *cell,
                gint        *day,
                const char **rest)
{
  g_autoptr(GRegex) re = g_regex_new ("^(?:d-?day|d-?dag|j-?day|jour\\s+j|j|d)"
                                      "(?:\\s*([+-])\\s*(\\d{1,3}))?(?=[\\s,]|$)[\\s,]*",
                                      G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *sign = NULL, *n = NULL;
  gint end;

  if (!g_regex_match (re, cell, 0, &match))
    return FALSE;
  sign = g_match_info_fetch (match, 1);
  n = g_match_info_fetch (match, 2);
  *day = n && *n ? atoi (n) * (g_strcmp0 (sign, "-") == 0 ? -1 : 1) : 0;
  g_match_info_fetch_pos (match, 0, NULL, &end);
  *rest = cell + end;
  return TRUE;
}

/* "09:15", "9:15:00", "1:30 PM", "13h30", "2024-03-12 09:00" → ms since midnight of day 0, and
 * the date's day number in *@day (G_MININT when the cell has no date). */
static gboolean
parse_time_of_day (const char *cell,
                   gint64     *ms,
                   gint       *day)
{
  g_autoptr(GRegex) re = g_regex_new ("^(?:(\\d{4})-(\\d{2})-(\\d{2})[ T])?(\\d{1,2})[:hu.](\\d{2})"
                                      "(?::(\\d{2}))?\\s*(am|pm|a\\.m\\.|p\\.m\\.)?$",
                                      G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *y = NULL, *h = NULL, *m = NULL, *ampm = NULL;
  gint64 hours, minutes;

  *day = G_MININT;
  if (!g_regex_match (re, cell, 0, &match))
    return FALSE;
  y = g_match_info_fetch (match, 1);
  h = g_match_info_fetch (match, 4);
  m = g_match_info_fetch (match, 5);
  ampm = g_match_info_fetch (match, 7);
  hours = g_ascii_strtoll (h, NULL, 10);
  minutes = g_ascii_strtoll (m, NULL, 10);
  if (ampm && *ampm)
    {
      if (hours < 1 || hours > 12)
        return FALSE;
      hours = hours % 12 + (g_ascii_tolower (ampm[0]) == 'p' ? 12 : 0);
    }
  if (hours > 23 || minutes > 59)
    return FALSE;
  if (y && *y)
    {
      g_autofree char *mo = g_match_info_fetch (match, 2);
      g_autofree char *d = g_match_info_fetch (match, 3);
      GDate date;

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, atoi (d), atoi (mo), atoi (y));
      if (!g_date_valid (&date))
        return FALSE;
      *day = (gint) g_date_get_julian (&date);
    }
  *ms = (hours * 60 + minutes) * 60000;
  return TRUE;
}

/* A clock time as parse_time_of_day() reads it, or one after a day mark ("J+1 09h00", "D+1 09u00",
 * "D-Day 09:00"; a bare "J-1" is that day's midnight), the mark's day in *@day. */
static gboolean
parse_clock (const char *cell,
             gint64     *ms,
             gint       *day)
{
  const char *rest;
  gint mark;

  if (!parse_day_mark (cell, &mark, &rest))
    return parse_time_of_day (cell, ms, day);
  *ms = 0;
  if (*rest && (!parse_time_of_day (rest, ms, day) || *day != G_MININT))
    return FALSE;
  *day = mark;
  return TRUE;
}

/* "1", "Day 2", "D2", "Dag 3", "Jour 1", "J+1", "D-Day", "2024-03-12" → a day number (dates as
 * Julian days). */
static gboolean
parse_day (const char *cell,
           gint       *day)
{
  g_autoptr(GRegex) re = g_regex_new ("^(?:day|dag|jour|d)?\\s*(\\d{1,3})$", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  const char *rest;
  int y, mo, d;

  if (parse_day_mark (cell, day, &rest) && *rest == '\0')
    return TRUE;
  if (g_regex_match (re, cell, 0, &match))
    {
      g_autofree char *n = g_match_info_fetch (match, 1);

      *day = atoi (n);
      return TRUE;
    }
  if (sscanf (cell, "%4d-%2d-%2d", &y, &mo, &d) == 3 && g_date_valid_dmy (d, mo, y))
    {
      GDate date;

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, d, mo, y);
      *day = (gint) g_date_get_julian (&date);
      return TRUE;
    }
  return FALSE;
}

GPtrArray *
wc_sheet_resolve_times (Sheet                  *s,
                        const WcImportOptions  *options,
                        GError                **error)
{
  gint tc = wc_sheet_column_of (s, F_TIME), dc = wc_sheet_column_of (s, F_DAY);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) abs = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean clock = FALSE, any = FALSE;
  gint64 first = G_MAXINT64, start = G_MAXINT64;

  if (tc < 0 && dc < 0)
    {
      wc_import_report_add (s->report, WC_MAPPING_WARNING, NULL,
                            _("no time column: the injects follow the rows' order, %d minutes apart"),
                            ORDER_STEP_MS / 60000);
      for (guint r = 0; r < s->rows->len; r++)
        g_ptr_array_add (out, wc_time_format ((gint64) r * ORDER_STEP_MS, TRUE));
      return g_steal_pointer (&out);
    }
  /* clock times when a day column stands beside them, when the heading says so, or when a cell
   * has a date or AM/PM, or is past the morning and not written "T+" */
  if (dc >= 0)
    clock = TRUE;
  for (guint r = 0; tc >= 0 && r < s->rows->len && !clock; r++)
    {
      const char *v = wc_sheet_cell (s, r, tc);
      gint64 ms;
      gint day;

      if (*v && !g_str_has_prefix (v, "T") && !g_str_has_prefix (v, "t") && parse_clock (v, &ms, &day) &&
          (day != G_MININT || strpbrk (v, "aApP") != NULL || ms >= 5 * 3600000))
        clock = TRUE;
    }
  clock |= tc >= 0 && ((SrcColumn *) g_ptr_array_index (s->cols, tc))->clock;
  for (guint r = 0; r < s->rows->len; r++)
    {
      const char *v = tc >= 0 ? wc_sheet_cell (s, r, tc) : "";
      gint64 ms = NO_TIME;

      if (!clock)
        {
          if (*v == '\0')
            ms = NO_TIME;
          else if (!parse_relative (v, &ms) && !wc_msel_parse_time (v, &ms))
            {
              g_autoptr(JsonNode) trigger = wc_msel_trigger_node (v);

              if (trigger == NULL)
                {
                  g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID,
                               _("%s: row %u, column “%s”: “%s” is not an exercise time (T+01:30, T+5, 90, 09:15…)"),
                               s->path, g_array_index (s->numbers, guint, r),
                               ((SrcColumn *) g_ptr_array_index (s->cols, tc))->heading, v);
                  return NULL;
                }
              g_ptr_array_add (out, g_strdup (v));
              g_array_append_val (abs, ms);
              continue;
            }
        }
      else
        {
          gint day = G_MININT, row_day = 1;
          const char *d = dc >= 0 ? wc_sheet_cell (s, r, dc) : "";

          if (*v && !parse_clock (v, &ms, &day))
            {
              g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID,
                           _("%s: row %u, column “%s”: “%s” is not a clock time (09:15, 1:30 PM…)"),
                           s->path, g_array_index (s->numbers, guint, r),
                           ((SrcColumn *) g_ptr_array_index (s->cols, tc))->heading, v);
              return NULL;
            }
          if (*d && !parse_day (d, &row_day))
            {
              g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID,
                           _("%s: row %u, column “%s”: “%s” is not a day (1, Day 2, 2024-03-12…)"),
                           s->path, g_array_index (s->numbers, guint, r),
                           ((SrcColumn *) g_ptr_array_index (s->cols, dc))->heading, d);
              return NULL;
            }
          if (day != G_MININT)
            row_day = day;
          if (*v == '\0' && *d == '\0')
            ms = NO_TIME;
          else
            ms = (gint64) row_day * DAY_MS + (ms == NO_TIME ? 0 : ms);
          if (ms != NO_TIME)
            first = MIN (first, ms);
        }
      any |= ms != NO_TIME;
      g_ptr_array_add (out, NULL);
      g_array_append_val (abs, ms);
    }
  if (clock && options->start != NULL)
    {
      gint64 ms;
      gint day;

      if (!parse_clock (options->start, &ms, &day))
        {
          g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID,
                       _("--start “%s” is not a time (09:00, or 2024-03-12 09:00)"), options->start);
          return NULL;
        }
      /* a start without a date is on the first inject's day */
      start = (day != G_MININT ? (gint64) day * DAY_MS : day_floor (first)) + ms;
      if (first < start)
        {
          g_set_error (error, WC_IMPORT_ERROR, WC_IMPORT_ERROR_INVALID,
                       _("%s: the first inject comes before the start %s"), s->path, options->start);
          return NULL;
        }
    }
  else if (clock)
    start = first;
  if (clock && any)
    {
      gint64 of_day = start - day_floor (start);
      g_autofree char *at = g_strdup_printf ("%02d:%02d", (int) (of_day / 3600000),
                                             (int) (of_day % 3600000 / 60000));

      wc_import_report_add (s->report, options->start ? WC_MAPPING_MAPPED : WC_MAPPING_GUESSED,
                            NULL, options->start
                              ? _("clock times made relative to the start given, %s")
                              : _("clock times made relative to the first inject, at %s (T+00:00); "
                                  "give --start to say otherwise"), at);
    }
  for (guint r = 0; r < out->len; r++)
    {
      gint64 ms = g_array_index (abs, gint64, r);

      if (g_ptr_array_index (out, r) != NULL)
        continue;
      if (ms == NO_TIME)
        {
          /* a row without a time comes with the one before it */
          gint64 before = 0;

          for (guint k = r; k > 0; k--)
            if (g_array_index (abs, gint64, k - 1) != NO_TIME)
              {
                before = g_array_index (abs, gint64, k - 1) - (clock ? start : 0);
                break;
              }
          wc_import_report_add (s->report, WC_MAPPING_WARNING, NULL,
                                _("row %u has no time: it comes with the row before it"),
                                g_array_index (s->numbers, guint, r));
          g_ptr_array_index (out, r) = wc_time_format (before, TRUE);
        }
      else
        g_ptr_array_index (out, r) = wc_time_format (clock ? ms - start : ms, TRUE);
    }
  return g_steal_pointer (&out);
}
