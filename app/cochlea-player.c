/* cochlea-player.c — a final GObject around one playbin
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bus is watched on the default main context; position is queried, never
 * stored.  With no usable audio output the player plays into a synchronised
 * fakesink, so the clock (and everything drawn from it) keeps running in real
 * time, and :audio-device says so.
 */
#define G_LOG_DOMAIN "cochlea-player"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/audio/streamvolume.h>
#include <gst/gst.h>

#include "cochlea-player.h"

struct _CochleaPlayer
{
  GObject     parent_instance;

  /* Owned */
  GstElement *playbin;
  char       *uri;

  /* State */
  double      duration;        /* seconds, 0 when unknown */
  double      pending_seek;    /* seconds, asked before the preroll; < 0: none */
  double      seek_target;     /* seconds, a seek sent and not prerolled yet; < 0: none */
  double      volume;          /* cubic, 0–1 */
  guint       playing : 1;
  guint       audio_device : 1;
  guint       prerolled : 1;   /* the pipeline of this uri reached PAUSED once */
};

G_DEFINE_FINAL_TYPE (CochleaPlayer, cochlea_player, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URI,
  PROP_PLAYING,
  PROP_AUDIO_DEVICE,
  PROP_DURATION,
  PROP_VOLUME,
  N_PROPS
};

enum {
  ERROR,
  EOS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Tries real outputs in order; an element that cannot reach READY (no
 * server, no card) is skipped. */
static GstElement *
make_audio_sink (gboolean *is_real)
{
  static const char * const candidates[] = { "pulsesink", "pipewiresink", "alsasink" };
  const char *forced = g_getenv ("COCHLEA_AUDIO_SINK");
  GstElement *sink;

  for (guint i = 0; forced == NULL && i < G_N_ELEMENTS (candidates); i++)
    {
      sink = gst_element_factory_make (candidates[i], NULL);
      if (sink == NULL)
        continue;

      gst_object_ref_sink (sink);
      if (gst_element_set_state (sink, GST_STATE_READY) == GST_STATE_CHANGE_SUCCESS)
        {
          gst_element_set_state (sink, GST_STATE_NULL);
          g_debug ("Audio output: %s", candidates[i]);
          *is_real = TRUE;
          return sink;
        }

      gst_element_set_state (sink, GST_STATE_NULL);
      gst_object_unref (sink);
    }

  if (forced != NULL && (sink = gst_element_factory_make (forced, NULL)) != NULL)
    {
      *is_real = !g_str_equal (forced, "fakesink");
      if (*is_real)
        return gst_object_ref_sink (sink);
    }
  else
    {
      sink = gst_element_factory_make ("fakesink", NULL);
    }

  g_debug ("No audio output; playing on a silent clock");
  g_object_set (sink, "sync", TRUE, NULL);
  *is_real = FALSE;
  return gst_object_ref_sink (sink);
}

static void
set_playing (CochleaPlayer *self,
             gboolean       playing)
{
  playing = !!playing;
  if (self->playing == playing)
    return;

  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static void
update_duration (CochleaPlayer *self)
{
  gint64 ns = 0;
  double duration = 0;

  if (gst_element_query_duration (self->playbin, GST_FORMAT_TIME, &ns) && ns > 0)
    duration = (double) ns / GST_SECOND;

  if (duration == self->duration)
    return;

  self->duration = duration;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

static gboolean
bus_message_cb (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  CochleaPlayer *self = COCHLEA_PLAYER (user_data);

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;
        g_autofree char *name = NULL;

        gst_message_parse_error (message, &gst_error, &debug);
        g_debug ("Playback error: %s (%s)", gst_error->message, debug ? debug : "");
        gst_element_set_state (self->playbin, GST_STATE_NULL);
        set_playing (self, FALSE);
        /* No ASYNC_DONE will come for a waiting seek. */
        self->pending_seek = -1;
        self->seek_target = -1;

        name = self->uri ? g_uri_unescape_string (self->uri, NULL) : NULL;
        error = g_error_new (gst_error->domain, gst_error->code,
                             _("Could not play “%s”: %s"),
                             name ? name : "?", gst_error->message);
        g_signal_emit (self, signals[ERROR], 0, error);
      }
      break;

    case GST_MESSAGE_EOS:
      gst_element_set_state (self->playbin, GST_STATE_PAUSED);
      set_playing (self, FALSE);
      g_signal_emit (self, signals[EOS], 0);
      break;

    case GST_MESSAGE_ASYNC_DONE:
      /* A seek asked for while the song was still opening: a pipeline
       * that has not prerolled drops it. */
      self->prerolled = TRUE;
      self->seek_target = -1;
      if (self->pending_seek >= 0)
        {
          double seconds = self->pending_seek;

          self->pending_seek = -1;
          cochlea_player_seek (self, seconds);
        }
      update_duration (self);
      break;

    case GST_MESSAGE_DURATION_CHANGED:
      update_duration (self);
      break;

    case GST_MESSAGE_UNKNOWN:
    case GST_MESSAGE_WARNING:
    case GST_MESSAGE_INFO:
    case GST_MESSAGE_TAG:
    case GST_MESSAGE_BUFFERING:
    case GST_MESSAGE_STATE_CHANGED:
    case GST_MESSAGE_STATE_DIRTY:
    case GST_MESSAGE_STEP_DONE:
    case GST_MESSAGE_CLOCK_PROVIDE:
    case GST_MESSAGE_CLOCK_LOST:
    case GST_MESSAGE_NEW_CLOCK:
    case GST_MESSAGE_STRUCTURE_CHANGE:
    case GST_MESSAGE_STREAM_STATUS:
    case GST_MESSAGE_APPLICATION:
    case GST_MESSAGE_ELEMENT:
    case GST_MESSAGE_SEGMENT_START:
    case GST_MESSAGE_SEGMENT_DONE:
    case GST_MESSAGE_LATENCY:
    case GST_MESSAGE_ASYNC_START:
    case GST_MESSAGE_REQUEST_STATE:
    case GST_MESSAGE_STEP_START:
    case GST_MESSAGE_QOS:
    case GST_MESSAGE_PROGRESS:
    case GST_MESSAGE_TOC:
    case GST_MESSAGE_RESET_TIME:
    case GST_MESSAGE_STREAM_START:
    case GST_MESSAGE_NEED_CONTEXT:
    case GST_MESSAGE_HAVE_CONTEXT:
    case GST_MESSAGE_EXTENDED:
    case GST_MESSAGE_DEVICE_ADDED:
    case GST_MESSAGE_DEVICE_REMOVED:
    case GST_MESSAGE_PROPERTY_NOTIFY:
    case GST_MESSAGE_STREAM_COLLECTION:
    case GST_MESSAGE_STREAMS_SELECTED:
    case GST_MESSAGE_REDIRECT:
    case GST_MESSAGE_DEVICE_CHANGED:
    case GST_MESSAGE_INSTANT_RATE_REQUEST:
    case GST_MESSAGE_ANY:
    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static void
cochlea_player_dispose (GObject *object)
{
  CochleaPlayer *self = COCHLEA_PLAYER (object);

  if (self->playbin != NULL)
    {
      g_autoptr(GstBus) bus = gst_element_get_bus (self->playbin);

      gst_bus_remove_watch (bus);
      gst_element_set_state (self->playbin, GST_STATE_NULL);
      g_clear_pointer (&self->playbin, gst_object_unref);
    }

  G_OBJECT_CLASS (cochlea_player_parent_class)->dispose (object);
}

static void
cochlea_player_finalize (GObject *object)
{
  CochleaPlayer *self = COCHLEA_PLAYER (object);

  g_clear_pointer (&self->uri, g_free);

  G_OBJECT_CLASS (cochlea_player_parent_class)->finalize (object);
}

static void
cochlea_player_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CochleaPlayer *self = COCHLEA_PLAYER (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;

    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;

    case PROP_AUDIO_DEVICE:
      g_value_set_boolean (value, self->audio_device);
      break;

    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;

    case PROP_VOLUME:
      g_value_set_double (value, self->volume);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cochlea_player_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CochleaPlayer *self = COCHLEA_PLAYER (object);

  switch (prop_id)
    {
    case PROP_URI:
      cochlea_player_set_uri (self, g_value_get_string (value));
      break;

    case PROP_PLAYING:
      if (g_value_get_boolean (value))
        cochlea_player_play (self);
      else
        cochlea_player_pause (self);
      break;

    case PROP_VOLUME:
      cochlea_player_set_volume (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cochlea_player_class_init (CochleaPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cochlea_player_dispose;
  object_class->finalize = cochlea_player_finalize;
  object_class->get_property = cochlea_player_get_property;
  object_class->set_property = cochlea_player_set_property;

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_AUDIO_DEVICE] =
    g_param_spec_boolean ("audio-device", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_VOLUME] =
    g_param_spec_double ("volume", NULL, NULL,
                         0, 1, 1,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CochleaPlayer::error:
   * @error: a #GError whose message names the file
   */
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[EOS] =
    g_signal_new ("eos", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cochlea_player_init (CochleaPlayer *self)
{
  g_autoptr(GstBus) bus = NULL;
  GstElement *sink;
  gboolean is_real = FALSE;

  self->volume = 1.0;
  self->pending_seek = -1;
  self->seek_target = -1;
  self->playbin = gst_element_factory_make ("playbin", "cochlea-playbin");
  g_assert (self->playbin != NULL);  /* gstreamer1.0-plugins-base is a hard dependency */
  gst_object_ref_sink (self->playbin);

  sink = make_audio_sink (&is_real);
  self->audio_device = is_real;
  /* No video: flags = audio only (GST_PLAY_FLAG_AUDIO | GST_PLAY_FLAG_SOFT_VOLUME). */
  g_object_set (self->playbin,
                "audio-sink", sink,
                "flags", (1 << 1) | (1 << 4),
                NULL);
  gst_object_unref (sink);

  bus = gst_element_get_bus (self->playbin);
  gst_bus_add_watch (bus, bus_message_cb, self);
}

CochleaPlayer *
cochlea_player_new (void)
{
  return g_object_new (COCHLEA_TYPE_PLAYER, NULL);
}

const char *
cochlea_player_get_uri (CochleaPlayer *self)
{
  g_return_val_if_fail (COCHLEA_IS_PLAYER (self), NULL);

  return self->uri;
}

gboolean
cochlea_player_get_playing (CochleaPlayer *self)
{
  g_return_val_if_fail (COCHLEA_IS_PLAYER (self), FALSE);

  return self->playing;
}

/**
 * cochlea_player_get_audio_device:
 *
 * Returns: %FALSE when no audio output could be opened and playback runs on
 *   a silent clock
 */
gboolean
cochlea_player_get_audio_device (CochleaPlayer *self)
{
  g_return_val_if_fail (COCHLEA_IS_PLAYER (self), FALSE);

  return self->audio_device;
}

double
cochlea_player_get_duration (CochleaPlayer *self)
{
  g_return_val_if_fail (COCHLEA_IS_PLAYER (self), 0);

  return self->duration;
}

/**
 * cochlea_player_get_position:
 *
 * Returns: the playback position in seconds, queried from the pipeline;
 *   while a seek is waiting for the pipeline (asked before the song
 *   prerolled, or sent and not prerolled again), where it goes
 */
double
cochlea_player_get_position (CochleaPlayer *self)
{
  gint64 ns = 0;

  g_return_val_if_fail (COCHLEA_IS_PLAYER (self), 0);

  if (self->uri != NULL && self->pending_seek >= 0)
    return self->pending_seek;
  if (self->uri != NULL && self->seek_target >= 0)
    return self->seek_target;
  if (self->uri == NULL ||
      !gst_element_query_position (self->playbin, GST_FORMAT_TIME, &ns) ||
      ns < 0)
    return 0;

  return (double) ns / GST_SECOND;
}

double
cochlea_player_get_volume (CochleaPlayer *self)
{
  g_return_val_if_fail (COCHLEA_IS_PLAYER (self), 0);

  return self->volume;
}

void
cochlea_player_set_uri (CochleaPlayer *self,
                        const char    *uri)
{
  g_return_if_fail (COCHLEA_IS_PLAYER (self));

  if (g_strcmp0 (uri, self->uri) == 0)
    return;

  gst_element_set_state (self->playbin, GST_STATE_NULL);
  set_playing (self, FALSE);
  g_free (self->uri);
  self->uri = g_strdup (uri);
  self->prerolled = FALSE;
  self->pending_seek = -1;
  self->seek_target = -1;

  if (self->duration != 0)
    {
      self->duration = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }

  if (uri != NULL)
    {
      g_object_set (self->playbin, "uri", uri, NULL);
      /* Preroll, so duration and seeking work before play. */
      gst_element_set_state (self->playbin, GST_STATE_PAUSED);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);
}

void
cochlea_player_set_volume (CochleaPlayer *self,
                           double         volume)
{
  g_return_if_fail (COCHLEA_IS_PLAYER (self));

  volume = CLAMP (volume, 0, 1);
  if (volume == self->volume)
    return;

  self->volume = volume;
  gst_stream_volume_set_volume (GST_STREAM_VOLUME (self->playbin),
                                GST_STREAM_VOLUME_FORMAT_CUBIC, volume);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

void
cochlea_player_play (CochleaPlayer *self)
{
  g_return_if_fail (COCHLEA_IS_PLAYER (self));

  if (self->uri == NULL)
    return;

  if (gst_element_set_state (self->playbin, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    return;  /* the bus carries the error */

  set_playing (self, TRUE);
}

void
cochlea_player_pause (CochleaPlayer *self)
{
  g_return_if_fail (COCHLEA_IS_PLAYER (self));

  if (self->uri == NULL)
    return;

  gst_element_set_state (self->playbin, GST_STATE_PAUSED);
  set_playing (self, FALSE);
}

void
cochlea_player_toggle (CochleaPlayer *self)
{
  g_return_if_fail (COCHLEA_IS_PLAYER (self));

  if (self->playing)
    cochlea_player_pause (self);
  else
    cochlea_player_play (self);
}

void
cochlea_player_seek (CochleaPlayer *self,
                     double         seconds)
{
  g_return_if_fail (COCHLEA_IS_PLAYER (self));

  if (self->uri == NULL)
    return;

  if (self->duration > 0)
    seconds = MIN (seconds, self->duration);
  seconds = MAX (seconds, 0);

  if (!self->prerolled)
    {
      self->pending_seek = seconds;
      return;
    }

  if (gst_element_seek_simple (self->playbin, GST_FORMAT_TIME,
                               GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                               (gint64) (seconds * GST_SECOND)))
    self->seek_target = seconds;
}
