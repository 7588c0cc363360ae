/* wc-invitations.c: the teams' invitations as a print operation: one A4 page per team, laid out
 * with Pango and cairo, in the team's language. */
#define G_LOG_DOMAIN "wc-invitations"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-invitations.h"
#include "wc-qr.h"
#include "wc-team-card.h"

/* The page speaks the team's language, not the controller's: not gettext, as the server's
 * pages for a wrong link. */
typedef struct {
  const char *lang;
  const char *marking;
  const char *how;
} InvitationText;

static const InvitationText texts[] = {
  { "en", "EXERCISE",
    "How to join: on the day of the exercise, scan the QR code or open the link below in a web "
    "browser on a device connected to the exercise network. The page shows what your team "
    "receives and is where you answer. Keep this link for your team only: it is your team's "
    "key." },
  { "nl", "OEFENING",
    "Zo neemt u deel: scan op de dag van de oefening de QR-code of open de link hieronder in een "
    "webbrowser op een toestel dat verbonden is met het oefeningsnetwerk. De pagina toont wat "
    "uw team ontvangt en daar antwoordt u. Houd deze link binnen uw team: het is de sleutel van "
    "uw team." },
  { "fr", "EXERCICE",
    "Pour participer : le jour de l'exercice, scannez le code QR ou ouvrez le lien ci-dessous "
    "dans un navigateur sur un appareil connecté au réseau de l'exercice. La page montre ce que "
    "votre équipe reçoit et c'est là que vous répondez. Gardez ce lien pour votre équipe : "
    "c'est sa clé." },
};

static const InvitationText *
find_text (const char *language)
{
  for (guint i = 0; language && i < G_N_ELEMENTS (texts); i++)
    if (g_ascii_strncasecmp (language, texts[i].lang, 2) == 0)
      return &texts[i];
  return &texts[0];
}

const char *
wc_invitations_marking (const char *language)
{
  return find_text (language)->marking;
}

typedef struct {
  WcSession *session;
} Invitations;

static void
invitations_free (gpointer data)
{
  Invitations *inv = data;

  g_clear_object (&inv->session);
  g_free (inv);
}

static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                Invitations       *inv)
{
  gtk_print_operation_set_n_pages (operation,
                                   MAX (1, wc_scenario_get_n_teams (wc_session_get_scenario (inv->session))));
}

/* Shows @markup at (@x, @y), @width wide; returns its height. */
static double
show_text (GtkPrintContext *context,
           const char      *markup,
           const char      *font,
           double           x,
           double           y,
           double           width,
           PangoAlignment   alignment)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(PangoFontDescription) description = pango_font_description_from_string (font);
  int height;

  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_markup (layout, markup, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

/* The QR code, its modules scaled to @size points, crisp at any printer resolution. */
static void
show_qr (GtkPrintContext *context,
         const char      *url,
         double           x,
         double           y,
         double           size)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr(GdkTexture) texture = wc_qr_texture_new (url, 1);
  cairo_surface_t *surface;
  int width;

  if (texture == NULL)
    return;
  width = gdk_texture_get_width (texture);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, width);
  cairo_surface_flush (surface);
  gdk_texture_download (texture, cairo_image_surface_get_data (surface),
                        cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, size / width, size / width);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (surface);
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              Invitations       *inv)
{
  WcScenario *scenario = wc_session_get_scenario (inv->session);
  const char *fallback = wc_scenario_get_default_language (scenario);
  const WcTeam *team;
  const InvitationText *text;
  WcServer *server = wc_session_get_server (inv->session);
  double width = gtk_print_context_get_width (context);
  double y = 0, qr_size = MIN (width * 0.6, 300);
  g_autofree char *url = NULL;
  g_autofree char *marking = NULL;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  g_autofree char *how = NULL;
  g_autofree char *link = NULL;
  g_autofree char *breakable = NULL;
  const char *lang;

  if ((guint) page_nr >= wc_scenario_get_n_teams (scenario))
    return;
  team = wc_scenario_get_team (scenario, page_nr);
  lang = team->language ? team->language : fallback;
  text = find_text (lang);
  url = server ? wc_server_get_join_url (server, team->id) : NULL;

  /* the marking leads the page, as on every document of an exercise */
  marking = g_markup_printf_escaped ("<b>TLP:%s</b>  ·  <b>%s %s %s</b>",
                                     wc_tlp_to_string (wc_scenario_get_tlp (scenario)),
                                     text->marking, text->marking, text->marking);
  y += show_text (context, marking, "Sans 12", 0, y, width, PANGO_ALIGN_CENTER) + 24;
  title = g_markup_printf_escaped ("%s", wc_text_get (wc_scenario_get_title (scenario), lang,
                                                      fallback));
  y += show_text (context, title, "Sans 14", 0, y, width, PANGO_ALIGN_CENTER) + 12;
  name = g_markup_printf_escaped ("<b>%s</b>", wc_text_get (team->name, lang, fallback));
  y += show_text (context, name, "Sans 26", 0, y, width, PANGO_ALIGN_CENTER) + 24;
  how = g_markup_escape_text (text->how, -1);
  y += show_text (context, how, "Sans 11", 0, y, width, PANGO_ALIGN_LEFT) + 24;
  if (url)
    {
      show_qr (context, url, (width - qr_size) / 2, y, qr_size);
      y += qr_size + 18;
      /* a link breaks only between its parts, never inside the team's token */
      breakable = wc_team_card_breakable_url (url);
      link = g_markup_printf_escaped ("<tt>%s</tt>", breakable);
      y += show_text (context, link, "Monospace 9", 0, y, width, PANGO_ALIGN_CENTER) + 24;
    }
  show_text (context, marking, "Sans 12", 0, MAX (y, gtk_print_context_get_height (context) - 20),
             width, PANGO_ALIGN_CENTER);
}

GtkPrintOperation *
wc_invitations_new (WcSession *session)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  Invitations *inv = g_new0 (Invitations, 1);
  WcScenario *scenario = wc_session_get_scenario (session);
  g_autofree char *job_name = g_strdup_printf (_("Invitations for %s"), wc_scenario_get_id (scenario));

  inv->session = g_object_ref (session);
  g_object_set_data_full (G_OBJECT (operation), "invitations", inv, invitations_free);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), inv);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), inv);
  gtk_print_operation_set_job_name (operation, job_name);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  return operation;
}
