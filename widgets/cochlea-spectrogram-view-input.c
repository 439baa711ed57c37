/* cochlea-spectrogram-view-input.c — clicks, scrolling and tooltips
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-spectrogram-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cochlea-spectrogram-render.h"
#include "cochlea-spectrogram-view-private.h"

#define ZOOM_STEP 1.25 /* per scroll unit */
#define PAN_STEP  48.0 /* pixels per horizontal scroll unit */

static void
pressed_cb (CochleaSpectrogramView *self,
            int                     n_press,
            double                  x,
            double                  y,
            GtkGestureClick        *gesture)
{
  if (_cochlea_spectrogram_view_click (self, x, y))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      gtk_widget_grab_focus (GTK_WIDGET (self));
    }
}

/* A click inside the plot asks to seek there; returns whether it did. */
gboolean
_cochlea_spectrogram_view_click (CochleaSpectrogramView *self,
                                 double                  x,
                                 double                  y)
{
  graphene_rect_t plot;

  _cochlea_spectrogram_view_get_plot (self, &plot);
  if (self->data == NULL || !graphene_rect_contains_point (&plot, &GRAPHENE_POINT_INIT (x, y)))
    return FALSE;

  _cochlea_spectrogram_view_emit_seek (self, _cochlea_spectrogram_view_x_to_time (self, x));
  return TRUE;
}

static void
motion_cb (CochleaSpectrogramView   *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  self->hover_x = x;
  self->zoom_anchor = x;
}

static void
leave_cb (CochleaSpectrogramView   *self,
          GtkEventControllerMotion *controller)
{
  self->hover_x = -1;
}

/* Vertical scroll zooms around the pointer; horizontal (or Shift+vertical)
 * scroll pans. */
static gboolean
scroll_cb (CochleaSpectrogramView   *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  graphene_rect_t plot;
  double anchor;

  if (self->data == NULL)
    return FALSE;

  if (state & GDK_SHIFT_MASK)
    {
      dx = dy;
      dy = 0;
    }

  if (dx != 0)
    cochlea_spectrogram_view_set_view_start (self, self->view_start + dx * PAN_STEP * self->seconds_per_px);

  if (dy != 0)
    {
      _cochlea_spectrogram_view_get_plot (self, &plot);
      anchor = self->hover_x >= 0 ? self->zoom_anchor : plot.origin.x + plot.size.width / 2;
      _cochlea_spectrogram_view_zoom_at (self, pow (ZOOM_STEP, dy), anchor);
    }

  return TRUE;
}

/* Keyboard: plus/minus zoom about the centre, Left/Right pan by an eighth
 * of the view, Home goes to the start.  Seeking stays with the player's
 * own shortcuts. */
gboolean
_cochlea_spectrogram_view_handle_key (CochleaSpectrogramView *self,
                                      guint                   keyval)
{
  graphene_rect_t plot;
  double visible;

  if (self->data == NULL)
    return FALSE;

  _cochlea_spectrogram_view_get_plot (self, &plot);
  visible = plot.size.width * self->seconds_per_px;

  switch (keyval)
    {
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      _cochlea_spectrogram_view_zoom_at (self, 1 / ZOOM_STEP, plot.origin.x + plot.size.width / 2);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      _cochlea_spectrogram_view_zoom_at (self, ZOOM_STEP, plot.origin.x + plot.size.width / 2);
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      cochlea_spectrogram_view_set_view_start (self, self->view_start - visible / 8);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      cochlea_spectrogram_view_set_view_start (self, self->view_start + visible / 8);
      return TRUE;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      cochlea_spectrogram_view_set_view_start (self, 0);
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
key_pressed_cb (CochleaSpectrogramView *self,
                guint                   keyval,
                guint                   keycode,
                GdkModifierType         state,
                GtkEventControllerKey  *controller)
{
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  return _cochlea_spectrogram_view_handle_key (self, keyval);
}

static gboolean
query_tooltip_cb (CochleaSpectrogramView *self,
                  int                     x,
                  int                     y,
                  gboolean                keyboard_mode,
                  GtkTooltip             *tooltip)
{
  graphene_rect_t plot;
  g_autofree char *text = NULL;
  double t, hz, hop_s;
  gint64 frame;
  guint bin;
  float db;

  _cochlea_spectrogram_view_get_plot (self, &plot);
  if (keyboard_mode || self->data == NULL ||
      !graphene_rect_contains_point (&plot, &GRAPHENE_POINT_INIT (x, y)))
    return FALSE;

  t = _cochlea_spectrogram_view_x_to_time (self, x);
  hop_s = (double) self->data->hop_length / self->data->sample_rate;
  frame = (gint64) floor (t / hop_s + 0.5);
  if (frame < 0 || (gsize) frame >= self->data->n_frames)
    return FALSE;

  bin = cochlea_spectrogram_row_to_bin (self->data->n_bins, y - plot.origin.y, plot.size.height);
  hz = cochlea_spectrogram_y_to_freq (self->data, y - plot.origin.y, plot.size.height);
  db = cochlea_spectrogram_get_row (self->data, frame)[bin];

  /* Translators: time, frequency, mel band and level under the pointer */
  text = g_strdup_printf (_("%d:%04.1f · %.0f Hz (band %u) · %.1f dB"),
                          (int) (t / 60), fmod (t, 60), hz, bin, db);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
_cochlea_spectrogram_view_init_input (CochleaSpectrogramView *self)
{
  GtkGesture *click;
  GtkEventController *scroll;
  GtkEventController *motion;
  GtkEventController *key;

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  key = gtk_event_controller_key_new ();
  g_signal_connect_swapped (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}
