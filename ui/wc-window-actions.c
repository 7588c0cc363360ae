/* wc-window-actions.c: what the controller does in the window, as installed actions ("win.*"),
 * so that buttons, menus and shortcuts share them. */
#define G_LOG_DOMAIN "wc-window"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-adhoc-dialog.h"
#include "wc-comms-check.h"
#include "wc-staff-dialog.h"
#include "wc-ui.h"
#include "wc-window-private.h"

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  wc_window_choose_file (WC_WINDOW (widget), FALSE, FALSE);
}

static void
staff_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);

  if (self->session)
    gtk_window_present (GTK_WINDOW (wc_staff_dialog_new (GTK_WINDOW (self), self->session)));
}

static void
comms_check_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);

  if (self->session)
    gtk_window_present (GTK_WINDOW (wc_comms_check_new (GTK_WINDOW (self), self->session,
                                                        self->settings)));
}

static void
to_assess_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  adw_view_stack_set_visible_child_name (WC_WINDOW (widget)->side_stack, "assess");
}

static void
resume_journal_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  wc_window_choose_file (WC_WINDOW (widget), TRUE, FALSE);
}

static void
review_journal_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  wc_window_choose_file (WC_WINDOW (widget), TRUE, TRUE);
}

static AdwMessageDialog *
ask (WcWindow              *self,
     const char            *heading,
     const char            *body,
     const char            *response,
     const char            *label,
     AdwResponseAppearance  appearance,
     GCallback              callback)
{
  return wc_ui_ask (GTK_WINDOW (self), heading, body, response, label, appearance, callback, self);
}

static void
run_engine (WcWindow *self,
            gboolean (*func) (WcEngine *, GError **))
{
  g_autoptr(GError) error = NULL;

  if (wc_window_get_engine (self) && !func (wc_window_get_engine (self), &error))
    wc_window_toast (self, error->message);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  run_engine (WC_WINDOW (widget), wc_engine_start);
}

static void
toggle_pause_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);
  WcEngine *engine = wc_window_get_engine (self);

  if (engine == NULL)
    return;
  run_engine (self, wc_engine_get_state (engine) == WC_ENGINE_PAUSED ? wc_engine_resume_clock
                                                                    : wc_engine_pause);
}

static void
on_end_response (AdwMessageDialog *dialog,
                 const char       *response,
                 WcWindow         *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "end") == 0 && wc_window_get_engine (self) &&
      !wc_engine_end (wc_window_get_engine (self), "ended by the controller", &error))
    wc_window_toast (self, error->message);
}

static void
end_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);
  AdwMessageDialog *dialog =
    ask (self, _("End the Exercise?"),
         _("Teams can no longer acknowledge or answer, and no more injects fire. The journal "
           "keeps everything for the review."),
         "end", _("_End Exercise"), ADW_RESPONSE_DESTRUCTIVE, G_CALLBACK (on_end_response));

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_note_response (AdwMessageDialog *dialog,
                  const char       *response,
                  WcWindow         *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (entry);

  if (g_strcmp0 (response, "add") == 0 && wc_window_get_engine (self) && *text &&
      !wc_engine_add_note (wc_window_get_engine (self), text, &error))
    wc_window_toast (self, error->message);
}

static void
note_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);
  AdwMessageDialog *dialog =
    ask (self, _("Controller Note"), _("Written in the journal at the current exercise time, for the review."),
         "add", _("_Add Note"), ADW_RESPONSE_SUGGESTED, G_CALLBACK (on_note_response));
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Note"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
adhoc_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);
  GtkWindow *dialog;

  if (self->session == NULL)
    return;
  dialog = GTK_WINDOW (wc_adhoc_dialog_new (wc_session_get_engine (self->session)));
  gtk_window_set_transient_for (dialog, GTK_WINDOW (self));
  gtk_window_present (dialog);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  wc_msel_view_focus_search (WC_WINDOW (widget)->msel_view);
}

static void
run_inject_action (WcWindow   *self,
                   const char *action_name,
                   const char *id)
{
  WcEngine *engine = wc_window_get_engine (self);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (engine == NULL || id == NULL)
    return;
  if (g_str_equal (action_name, "win.fire"))
    ok = wc_engine_fire_inject (engine, id, &error);
  else if (g_str_equal (action_name, "win.skip"))
    ok = wc_engine_skip_inject (engine, id, &error);
  else if (g_str_equal (action_name, "win.hold"))
    ok = wc_engine_hold_inject (engine, id, &error);
  else
    ok = wc_engine_release_inject (engine, id, &error);
  if (!ok)
    wc_window_toast (self, error->message);
}

static void
on_inject_response (AdwMessageDialog *dialog,
                    const char       *response,
                    WcWindow         *self)
{
  if (g_strcmp0 (response, "do") == 0)
    run_inject_action (self, g_object_get_data (G_OBJECT (dialog), "action"),
                       g_object_get_data (G_OBJECT (dialog), "inject"));
}

/* Fire, skip, hold, release the selected inject. What cannot be taken back and reaches every
 * team, or drops an inject for good, asks first: a stray click in a crisis room is costly. */
static void
inject_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);
  WcEngine *engine = wc_window_get_engine (self);
  const char *id = wc_msel_view_get_selected_id (self->msel_view);
  const WcInject *inject = engine && id ? wc_engine_find_inject (engine, id) : NULL;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (inject == NULL)
    return;
  if (g_str_equal (action_name, "win.fire") && inject->to_all)
    {
      heading = g_strdup_printf (_("Fire %s to Every Team?"), id);
      dialog = ask (self, heading, _("Every team receives it now, and it cannot be taken back."),
                    "do", _("_Fire Now"), ADW_RESPONSE_SUGGESTED, G_CALLBACK (on_inject_response));
    }
  else if (g_str_equal (action_name, "win.skip"))
    {
      heading = g_strdup_printf (_("Skip %s?"), id);
      dialog = ask (self, heading,
                    _("It will not fire in this exercise, and the injects that follow it do "
                      "not wait for it."),
                    "do", _("_Skip"), ADW_RESPONSE_DESTRUCTIVE, G_CALLBACK (on_inject_response));
    }
  else
    {
      run_inject_action (self, action_name, id);
      return;
    }
  g_object_set_data_full (G_OBJECT (dialog), "action", g_strdup (action_name), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "inject", g_strdup (id), g_free);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Space pauses and resumes from anywhere in the window: it is had before the focused widget
 * (a list row, a button) takes it as "activate", except where it is typed. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                WcWindow              *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (keyval != GDK_KEY_space || (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;
  if (focus && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus) ||
                gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER)))
    return FALSE;
  /* without an exercise it does nothing, rather than press the focused button */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toggle-pause", NULL);
  return TRUE;
}

void
wc_window_add_space_key (WcWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_name (keys, "wc-space");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/* The exercise just ended: its review, from the journal it wrote. */
static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);

  if (self->session)
    wc_window_review_journal_async (self, wc_session_get_journal_path (self->session), NULL, NULL);
}

static void
on_reschedule_response (AdwMessageDialog *dialog,
                        const char       *response,
                        WcWindow         *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  const char *id = g_object_get_data (G_OBJECT (dialog), "inject");
  g_autoptr(GError) error = NULL;
  gint64 ms;

  if (g_strcmp0 (response, "reschedule") != 0 || wc_window_get_engine (self) == NULL)
    return;
  if (!wc_time_parse (gtk_editable_get_text (entry), &ms))
    {
      wc_window_toast (self, _("Write the new time as T+HH:MM"));
      return;
    }
  if (!wc_engine_reschedule_inject (wc_window_get_engine (self), id, ms, &error))
    wc_window_toast (self, error->message);
}

static void
reschedule_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  WcWindow *self = WC_WINDOW (widget);
  const char *id = wc_msel_view_get_selected_id (self->msel_view);
  g_autofree char *body = NULL;
  g_autofree char *now = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (id == NULL || wc_window_get_engine (self) == NULL)
    return;
  body = g_strdup_printf (_("When should %s fire? Exercise time, as T+HH:MM."), id);
  dialog = ask (self, _("Reschedule Inject"), body, "reschedule", _("_Reschedule"),
                ADW_RESPONSE_SUGGESTED, G_CALLBACK (on_reschedule_response));
  entry = gtk_entry_new ();
  now = wc_time_format (wc_engine_get_time (wc_window_get_engine (self)), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), now);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("New time"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  g_object_set_data_full (G_OBJECT (dialog), "inject", g_strdup (id), g_free);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
wc_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.staff", NULL, staff_action);
  gtk_widget_class_install_action (widget_class, "win.comms-check", NULL, comms_check_action);
  gtk_widget_class_install_action (widget_class, "win.to-assess", NULL, to_assess_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.resume-journal", NULL, resume_journal_action);
  gtk_widget_class_install_action (widget_class, "win.review-journal", NULL, review_journal_action);
  gtk_widget_class_install_action (widget_class, "win.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-pause", NULL, toggle_pause_action);
  gtk_widget_class_install_action (widget_class, "win.end", NULL, end_action);
  gtk_widget_class_install_action (widget_class, "win.note", NULL, note_action);
  gtk_widget_class_install_action (widget_class, "win.adhoc", NULL, adhoc_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.fire", NULL, inject_action);
  gtk_widget_class_install_action (widget_class, "win.skip", NULL, inject_action);
  gtk_widget_class_install_action (widget_class, "win.hold", NULL, inject_action);
  gtk_widget_class_install_action (widget_class, "win.release", NULL, inject_action);
  gtk_widget_class_install_action (widget_class, "win.reschedule", NULL, reschedule_action);
  gtk_widget_class_install_action (widget_class, "win.review", NULL, review_action);
}
