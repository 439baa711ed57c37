/* cochlea-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cochlea-activation-view.h"
#include "cochlea-spectrogram-view.h"
#include "jobs/cochlea-activation-job.h"
#include "jobs/cochlea-analysis-job.h"
#include "cochlea-window-private.h"
#include "cochlea-memory-policy.h"

G_DEFINE_FINAL_TYPE (CochleaWindow, cochlea_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void set_views_position (CochleaWindow *self,
                                double         position);

static char *
format_time (double seconds)
{
  gint64 s = (gint64) MAX (seconds, 0);

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (s / 3600), (int) (s / 60 % 60), (int) (s % 60));
  return g_strdup_printf ("%d:%02d", (int) (s / 60), (int) (s % 60));
}

static void
set_busy (CochleaWindow *self,
          gboolean       busy)
{
  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_spinner_set_spinning (self->analysis_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->analysis_spinner), busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_spectrogram (CochleaWindow      *self,
                  CochleaSpectrogram *spectrogram)
{
  CochleaSpectrogramView *view = COCHLEA_SPECTROGRAM_VIEW (self->spectrogram_view);

  cochlea_spectrogram_view_set_spectrogram (view, spectrogram);
  cochlea_spectrogram_view_set_position (view, cochlea_player_get_position (self->player));
}

static gboolean
colormap_from_setting (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  const char *name = g_variant_get_string (variant, NULL);

  g_value_set_enum (value, g_str_equal (name, "magma") ? COCHLEA_COLORMAP_MAGMA
                                                        : COCHLEA_COLORMAP_VIRIDIS);
  return TRUE;
}

static void
spectrogram_seek_cb (CochleaWindow          *self,
                     double                  seconds,
                     CochleaSpectrogramView *view)
{
  g_autofree char *text = format_time (seconds);

  cochlea_player_seek (self->player, seconds);
  set_views_position (self, seconds);
  /* Paused, no tick moves the transport bar: show where the click went. */
  gtk_adjustment_set_value (self->position_adjustment, seconds);
  gtk_label_set_label (self->position_label, text);
}

static void
setup_spectrogram_view (CochleaWindow *self)
{
  self->spectrogram_view = cochlea_spectrogram_view_new ();
  adw_bin_set_child (self->spectrogram_bin, self->spectrogram_view);

  g_settings_bind_with_mapping (self->settings, "colormap",
                                self->spectrogram_view, "colormap",
                                G_SETTINGS_BIND_GET,
                                colormap_from_setting, NULL, NULL, NULL);
  g_signal_connect_object (self->spectrogram_view, "seek",
                           G_CALLBACK (spectrogram_seek_cb), self, G_CONNECT_SWAPPED);
}

static void
layer_selected_cb (CochleaWindow *self,
                   GParamSpec    *pspec,
                   GtkDropDown   *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected != GTK_INVALID_LIST_POSITION)
    cochlea_activation_view_set_layer (COCHLEA_ACTIVATION_VIEW (self->activation_view), (int) selected);
}

static void
setup_activation_view (CochleaWindow *self)
{
  self->activation_view = cochlea_activation_view_new ();
  adw_bin_set_child (self->activation_bin, self->activation_view);
  /* The (empty) view until an analysis finds no network: switching pages
   * when the first song's analysis arrives re-laid out the whole page (the
   * line under the view appears, the spectrogram shrinks) in the first
   * frame of playback. */
  gtk_stack_set_visible_child_name (self->activation_stack, "view");

  /* One time axis for both views. */
  g_object_bind_property (self->spectrogram_view, "seconds-per-pixel",
                          self->activation_view, "seconds-per-pixel",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->spectrogram_view, "view-start",
                          self->activation_view, "view-start",
                          G_BINDING_SYNC_CREATE);
  g_settings_bind_with_mapping (self->settings, "colormap",
                                self->activation_view, "colormap",
                                G_SETTINGS_BIND_GET,
                                colormap_from_setting, NULL, NULL, NULL);
  g_signal_connect_object (self->layer_dropdown, "notify::selected",
                           G_CALLBACK (layer_selected_cb), self, G_CONNECT_SWAPPED);
}

static void
show_layer_names (CochleaWindow *self)
{
  CochleaActivationView *view = COCHLEA_ACTIVATION_VIEW (self->activation_view);
  g_auto(GStrv) names = cochlea_activation_view_dup_layer_names (view);
  int layer = cochlea_activation_view_get_layer (view);
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->layer_names));

  if (names == NULL || g_strv_length (names) == n_old)
    return;

  gtk_string_list_splice (self->layer_names, 0, n_old, (const char * const *) names);

  /* Start on the first convolution: the input is the spectrogram above. */
  if (n_old == 0)
    for (guint i = 0; names[i] != NULL; i++)
      if (g_str_equal (names[i], "conv1"))
        {
          layer = (int) i;
          cochlea_activation_view_set_layer (view, layer);
          break;
        }
  if (layer >= 0)
    gtk_drop_down_set_selected (self->layer_dropdown, (guint) layer);
  gtk_widget_set_sensitive (GTK_WIDGET (self->layer_dropdown), TRUE);
}

static void
activations_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CochleaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CochleaActivationMaps *maps;

  maps = cochlea_activation_job_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* another track, or the window closed */

  self->activation_running = FALSE;

  if (maps == NULL)
    {
      g_debug ("No activations: %s", error->message);
      return;
    }

  cochlea_activation_view_set_maps (COCHLEA_ACTIVATION_VIEW (self->activation_view), maps);
  cochlea_activation_maps_unref (maps);
  show_layer_names (self);

  if (self->activation_pending != G_MAXSIZE && self->model != NULL)
    {
      gsize pending = self->activation_pending;

      self->activation_pending = G_MAXSIZE;
      if (pending != self->activation_start)
        {
          self->activation_start = pending;
          self->activation_running = TRUE;
          cochlea_activation_job_run_async (self->model, self->analysis->spectrogram, pending,
                                            self->activation_cancellable,
                                            activations_done_cb, g_object_ref (self));
        }
    }
}

/* At most one forward pass in flight; while it runs only the newest wanted
 * window is remembered. */
static void
request_activations (CochleaWindow *self,
                     double         seconds)
{
  gsize start;

  if (self->model == NULL || self->analysis == NULL || self->analysis->spectrogram == NULL)
    return;

  start = cochlea_activation_window_start (self->model, self->analysis->spectrogram, seconds);
  if (self->activation_running)
    {
      self->activation_pending = start;
      return;
    }
  if (start == self->activation_start)
    return;

  self->activation_start = start;
  self->activation_running = TRUE;
  cochlea_activation_job_run_async (self->model, self->analysis->spectrogram, start,
                                    self->activation_cancellable,
                                    activations_done_cb, g_object_ref (self));
}

static void
reset_activations (CochleaWindow *self)
{
  g_cancellable_cancel (self->activation_cancellable);
  g_clear_object (&self->activation_cancellable);
  self->activation_cancellable = g_cancellable_new ();
  self->activation_running = FALSE;
  self->activation_start = G_MAXSIZE;
  self->activation_pending = G_MAXSIZE;
  g_clear_pointer (&self->model, cochlea_model_unref);

  cochlea_activation_view_set_maps (COCHLEA_ACTIVATION_VIEW (self->activation_view), NULL);
  gtk_string_list_splice (self->layer_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->layer_names)), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->layer_dropdown), FALSE);
  /* The page stays: analysis_done_cb() says whether there is a network. */
}

/* The playhead of both views, and the window the network looks at. */
static void
set_views_position (CochleaWindow *self,
                    double         position)
{
  cochlea_spectrogram_view_set_position (COCHLEA_SPECTROGRAM_VIEW (self->spectrogram_view), position);
  cochlea_activation_view_set_position (COCHLEA_ACTIVATION_VIEW (self->activation_view), position);
  request_activations (self, position);
}

/* @every_frame: called from the tick callback, so the scale moves only when
 * its slider would move by a pixel, and at most 15 times a second: a new
 * value re-lays out the whole window, which on X11 costs GDK three round
 * trips to the server (the monitor's work area) — 60 times a second
 * otherwise.  The views' playhead still moves every frame. */
static void
update_position (CochleaWindow *self,
                 gboolean       every_frame)
{
  double position = cochlea_player_get_position (self->player);
  double shown = gtk_adjustment_get_value (self->position_adjustment);
  double range = gtk_adjustment_get_upper (self->position_adjustment) -
                 gtk_adjustment_get_lower (self->position_adjustment);
  int width = gtk_widget_get_width (GTK_WIDGET (self->position_scale));
  g_autofree char *text = format_time (position);

  set_views_position (self, position);
  if (!every_frame || width <= 0 || fabs (position - shown) >= MAX (range / width, 1.0 / 15))
    gtk_adjustment_set_value (self->position_adjustment, position);
  gtk_label_set_label (self->position_label, text);
}

static gboolean
position_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  update_position (COCHLEA_WINDOW (user_data), TRUE);
  return G_SOURCE_CONTINUE;
}

static void
player_playing_changed_cb (CochleaWindow *self,
                           GParamSpec    *pspec,
                           CochleaPlayer *player)
{
  gboolean playing = cochlea_player_get_playing (player);

  gtk_button_set_icon_name (self->play_button,
                            playing ? "media-playback-pause-symbolic"
                                    : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               playing ? _("Pause") : _("Play"));

  cochlea_spectrogram_view_set_playing (COCHLEA_SPECTROGRAM_VIEW (self->spectrogram_view), playing);

  /* The frame clock drives the playhead only while playing. */
  if (playing && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->position_scale),
                                                  position_tick_cb, self, NULL);
  else if (!playing && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->position_scale), self->tick_id);
      self->tick_id = 0;
      update_position (self, FALSE);
    }

  if (playing && !cochlea_player_get_audio_device (player) && !self->told_no_audio)
    {
      self->told_no_audio = TRUE;
      cochlea_window_add_toast (self, _("No audio output found: playing silently, the views still follow the music"));
    }
}

static void
player_duration_changed_cb (CochleaWindow *self,
                            GParamSpec    *pspec,
                            CochleaPlayer *player)
{
  double duration = cochlea_player_get_duration (player);
  g_autofree char *text = format_time (duration);

  gtk_adjustment_set_upper (self->position_adjustment, MAX (duration, 1));
  gtk_label_set_label (self->duration_label, text);
  /* A click before the duration was known was clamped to the old upper
   * bound: paused, the scale and the views go back to the song's position. */
  if (!cochlea_player_get_playing (player))
    update_position (self, FALSE);
}

static void
player_error_cb (CochleaWindow *self,
                 const GError  *error,
                 CochleaPlayer *player)
{
  cochlea_window_add_toast (self, error->message);
}

static gboolean
position_change_value_cb (CochleaWindow *self,
                          GtkScrollType  scroll,
                          double         value,
                          GtkRange      *range)
{
  cochlea_player_seek (self->player, value);
  set_views_position (self, value);
  return FALSE;
}

static void
analysis_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CochleaWindow) self = user_data;
  g_autoptr(CochleaAnalysis) analysis = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *details = NULL;

  analysis = cochlea_analysis_job_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* a newer file replaced it, or the window closed */

  set_busy (self, FALSE);

  if (analysis == NULL)
    {
      gtk_label_set_label (self->details_label, _("Could not analyse this file"));
      cochlea_window_add_toast (self, error->message);
      return;
    }

  if (analysis->tags.title != NULL && *analysis->tags.title != '\0')
    {
      gtk_label_set_label (self->title_label, analysis->tags.title);
      adw_view_switcher_title_set_title (self->switcher_title, analysis->tags.title);
    }
  gtk_label_set_label (self->artist_label, analysis->tags.artist ? analysis->tags.artist : "");

  duration = format_time (analysis->duration_s);
  /* Translators: duration · sample rate · number of spectrogram frames */
  details = g_strdup_printf (_("%s · %d Hz · %u frames"),
                             duration, analysis->sample_rate, (guint) analysis->n_frames);
  gtk_label_set_label (self->details_label, details);

  g_clear_pointer (&self->analysis, cochlea_analysis_free);
  self->analysis = g_steal_pointer (&analysis);
  show_spectrogram (self, self->analysis->spectrogram);

  _cochlea_window_similar_update (self);

  if (self->analysis->nn != NULL && self->analysis->spectrogram != NULL)
    {
      self->model = cochlea_model_ref (self->analysis->nn->model);
      gtk_stack_set_visible_child_name (self->activation_stack, "view");
      request_activations (self, cochlea_player_get_position (self->player));
    }
  else
    gtk_stack_set_visible_child_name (self->activation_stack, "no-model");
}

void
_cochlea_window_open_track (CochleaWindow *self,
                            GFile         *file)
{
  g_autofree char *name = NULL;
  g_autofree char *uri = NULL;

  g_cancellable_cancel (self->analysis_cancellable);
  g_clear_object (&self->analysis_cancellable);
  self->analysis_cancellable = g_cancellable_new ();

  g_set_object (&self->file, file);
  reset_activations (self);
  g_clear_pointer (&self->analysis, cochlea_analysis_free);
  _cochlea_window_similar_reset_targets (self);
  _cochlea_window_similar_update (self);

  name = g_file_get_basename (file);
  {
    g_autofree char *display = g_filename_display_name (name);

    gtk_label_set_label (self->title_label, display);
    adw_view_switcher_title_set_title (self->switcher_title, display);
  }
  gtk_label_set_label (self->artist_label, "");
  gtk_label_set_label (self->details_label, _("Analysing…"));
  show_spectrogram (self, NULL);
  gtk_stack_set_visible_child_name (self->main_stack, "content");
  adw_view_stack_set_visible_child_name (self->view_stack, "now-playing");

  uri = g_file_get_uri (file);
  cochlea_player_set_uri (self->player, uri);
  _cochlea_window_feedback_track_changed (self);
  if (g_settings_get_boolean (self->settings, "autoplay"))
    cochlea_player_play (self->player);

  set_busy (self, TRUE);
  cochlea_analysis_job_run_async (file, COCHLEA_ANALYZE_KEEP_SPECTROGRAM,
                                  self->analysis_cancellable,
                                  analysis_done_cb, g_object_ref (self));
  _cochlea_window_update_actions (self);
}

static void
query_type_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CochleaWindow) self = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  GFile *file = G_FILE (source);

  info = g_file_query_info_finish (file, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (info == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *message = g_strdup_printf (_("Could not open “%s”: %s"), name, error->message);

      set_busy (self, FALSE);
      cochlea_window_add_toast (self, message);
      return;
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      set_busy (self, FALSE);
      _cochlea_window_import_folder (self, file);
      return;
    }

  set_busy (self, FALSE);
  _cochlea_window_open_track (self, file);
}

/* The page switcher means nothing on the empty state: neither the one in the
 * header bar nor the bottom bar (which otherwise appears on a narrow window
 * and switches pages nobody can see). */
/* The bottom bar shows when the header has room only for the title.  Set
 * here, not bound to title-visible: on the empty state the title is always
 * visible (its switcher is disabled), so a bound bar sat revealed while
 * hidden and slid shut (250 ms, the whole window laid out and repainted on
 * every frame of it) just as the first song started to play. */
static void
switcher_title_visible_cb (CochleaWindow *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->switcher_bar)))
    adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                      adw_view_switcher_title_get_title_visible (self->switcher_title));
}

/* Leaving the empty state, title-visible keeps its old TRUE until the
 * header is next laid out: read it once the first frame is painted. */
static void
switcher_settled_cb (GdkFrameClock *clock,
                     CochleaWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, switcher_settled_cb, self);
  switcher_title_visible_cb (self);
}

static void
main_page_changed_cb (CochleaWindow *self,
                      GParamSpec    *pspec,
                      GtkStack      *stack)
{
  gboolean empty = g_strcmp0 (gtk_stack_get_visible_child_name (stack), "empty") == 0;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, !empty);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_bar), !empty);
  if (empty)
    adw_view_switcher_bar_set_reveal (self->switcher_bar, FALSE);
  else if (clock == NULL)
    switcher_title_visible_cb (self);
  else
    {
      g_signal_handlers_disconnect_by_func (clock, switcher_settled_cb, self);
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (switcher_settled_cb), self, 0);
    }
}

/* No crossfade from the empty page to the player under the cairo renderer:
 * there each of its frames composited both pages over the whole window
 * (20-60 ms of main-thread CPU per frame on the 2-core machine, so the
 * 200 ms fade showed as three or four stalled frames), and it ran while the
 * first song started playing and its analysis arrived (bench-app; see
 * docs/performance.md "The first frames after a song opens").  The GL
 * renderer fades it cheaply and keeps it. */
static void
cochlea_window_realize (GtkWidget *widget)
{
  CochleaWindow *self = COCHLEA_WINDOW (widget);
  GskRenderer *renderer;

  GTK_WIDGET_CLASS (cochlea_window_parent_class)->realize (widget);

  renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  if (renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer))
    {
      gtk_stack_set_transition_type (self->main_stack, GTK_STACK_TRANSITION_TYPE_NONE);
      /* Likewise the header's title giving way to the view switcher when
       * the first song opens: its crossfade (a cross-fade node, 395 x 34
       * px) was repainted in every frame of the first ~0.2 s, and with the
       * transport bar at the bottom changing too, each of those frames'
       * paint surface spanned the window's height (913 x 744 px). */
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->switcher_title));
           child != NULL; child = gtk_widget_get_next_sibling (child))
        if (ADW_IS_SQUEEZER (child))
          adw_squeezer_set_transition_type (ADW_SQUEEZER (child), ADW_SQUEEZER_TRANSITION_TYPE_NONE);
    }
  /* After a frame that grew the heap, two frames of heap are written at
   * its top before the next one paints (when main () applied the policy;
   * cochlea-memory-policy.c). */
  cochlea_memory_policy_watch (widget);
}

/* The narrow (phone) layout follows the width the window was given, not
 * its default-width (see cochlea-window-adaptive.c). */
static void
cochlea_window_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  _cochlea_window_adaptive_allocated (COCHLEA_WINDOW (widget), width);
  GTK_WIDGET_CLASS (cochlea_window_parent_class)->size_allocate (widget, width, height, baseline);
}

static gboolean
cochlea_window_close_request (GtkWindow *window)
{
  CochleaWindow *self = COCHLEA_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set (self->settings, "window-size", "(ii)", width, height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  g_cancellable_cancel (self->open_cancellable);
  g_cancellable_cancel (self->analysis_cancellable);
  cochlea_player_pause (self->player);

  return GTK_WINDOW_CLASS (cochlea_window_parent_class)->close_request (window);
}

static void
cochlea_window_dispose (GObject *object)
{
  CochleaWindow *self = COCHLEA_WINDOW (object);

  g_cancellable_cancel (self->open_cancellable);
  g_cancellable_cancel (self->analysis_cancellable);
  g_cancellable_cancel (self->activation_cancellable);
  _cochlea_window_library_dispose (self);
  _cochlea_window_similar_dispose (self);
  _cochlea_window_playlists_dispose (self);
  _cochlea_window_channels_dispose (self);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->position_scale), self->tick_id);
      self->tick_id = 0;
    }

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), COCHLEA_TYPE_WINDOW);

  g_clear_object (&self->player);
  g_clear_object (&self->settings);
  g_clear_object (&self->file);
  g_clear_object (&self->open_cancellable);
  g_clear_object (&self->analysis_cancellable);
  g_clear_object (&self->activation_cancellable);
  g_clear_pointer (&self->model, cochlea_model_unref);
  g_clear_pointer (&self->analysis, cochlea_analysis_free);

  G_OBJECT_CLASS (cochlea_window_parent_class)->dispose (object);
}

static void
cochlea_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CochleaWindow *self = COCHLEA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cochlea_window_class_init (CochleaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cochlea_window_dispose;
  object_class->get_property = cochlea_window_get_property;

  widget_class->realize = cochlea_window_realize;
  widget_class->size_allocate = cochlea_window_size_allocate;

  window_class->close_request = cochlea_window_close_request;

  /**
   * CochleaWindow:busy:
   *
   * Whether a folder scan or an analysis is running.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cochlea/Cochlea/ui/cochlea-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, similar_box);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, library_no_match);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, library_search);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, library_view);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, import_revealer);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, import_label);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, import_progress);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, similar_label);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, similar_list);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, radar_bin);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, sliders_bin);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, reset_targets_button);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, private_mode_revealer);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, private_mode_button);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, import_button);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, demo_button);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, artist_label);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, details_label);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, analysis_spinner);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, spectrogram_bin);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, activation_bin);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, activation_stack);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, layer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, layer_names);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, skip_button);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, like_button);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, position_label);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, position_scale);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, position_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, duration_label);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, volume_button);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, playlists_flap);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, playlists_button);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, playlists_list);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, playlist_tracks);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, playlist_title);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, playlist_placeholder);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, add_current_button);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, add_selected_button);
  gtk_widget_class_bind_template_child (widget_class, CochleaWindow, activation_info);

  _cochlea_window_class_actions_init (klass);
  _cochlea_window_playlists_class_init (klass);
}

static void
cochlea_window_init (CochleaWindow *self)
{
  int width, height;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (COCHLEA_SCHEMA_ID);
  self->player = cochlea_player_new ();
  self->open_cancellable = g_cancellable_new ();
  self->analysis_cancellable = g_cancellable_new ();
  self->activation_cancellable = g_cancellable_new ();
  self->activation_start = G_MAXSIZE;
  self->activation_pending = G_MAXSIZE;

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind (self->settings, "private-mode",
                   self->private_mode_revealer, "reveal-child",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "volume", self->player, "volume", G_SETTINGS_BIND_DEFAULT);
  g_object_bind_property (self->player, "volume", self->volume_button, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  g_signal_connect_object (self->player, "notify::playing",
                           G_CALLBACK (player_playing_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->player, "notify::duration",
                           G_CALLBACK (player_duration_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->player, "error",
                           G_CALLBACK (player_error_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->position_scale, "change-value",
                           G_CALLBACK (position_change_value_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->main_stack, "notify::visible-child-name",
                           G_CALLBACK (main_page_changed_cb), self, G_CONNECT_SWAPPED);
  main_page_changed_cb (self, NULL, self->main_stack);
  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (switcher_title_visible_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_set_visible (GTK_WIDGET (self->analysis_spinner), FALSE);
  setup_spectrogram_view (self);
  setup_activation_view (self);

  _cochlea_window_dnd_init (self);
  _cochlea_window_library_init (self);
  _cochlea_window_adaptive_init (self);
  _cochlea_window_similar_init (self);
  _cochlea_window_feedback_init (self);
  _cochlea_window_playlists_init (self);
  _cochlea_window_channels_init (self);
  _cochlea_window_update_actions (self);
  _cochlea_window_library_reload (self);
}

CochleaWindow *
cochlea_window_new (CochleaApplication *application)
{
  return g_object_new (COCHLEA_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

gboolean
cochlea_window_get_busy (CochleaWindow *self)
{
  g_return_val_if_fail (COCHLEA_IS_WINDOW (self), FALSE);

  return self->busy;
}

/**
 * cochlea_window_open_files:
 * @files: (array length=n_files): files or folders
 *
 * The one entry point for Open, Import Folder, drag and drop and
 * open-with: a folder is imported into the library (off the main thread);
 * a file is played and analysed; of several, the first is used.
 */
void
cochlea_window_open_files (CochleaWindow  *self,
                           GFile         **files,
                           int             n_files)
{
  g_return_if_fail (COCHLEA_IS_WINDOW (self));
  g_return_if_fail (n_files == 0 || files != NULL);

  if (n_files <= 0)
    return;

  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  self->open_cancellable = g_cancellable_new ();

  set_busy (self, TRUE);
  g_file_query_info_async (files[0],
                           G_FILE_ATTRIBUTE_STANDARD_TYPE,
                           G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT,
                           self->open_cancellable,
                           query_type_done_cb,
                           g_object_ref (self));
}

void
cochlea_window_add_toast (CochleaWindow *self,
                          const char    *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (COCHLEA_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* Toast titles are Pango markup; engine messages are plain text. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
