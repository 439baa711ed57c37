/* cochlea-decoder.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * uridecodebin ! audioconvert ! audioresample ! appsink, pulled in blocks.
 *
 * The appsink is bounded (max-buffers) and pulled with a short timeout so
 * that cancellation, bus errors and stalls are all noticed: a plain
 * gst_app_sink_pull_sample() blocks forever on a file that never prerolls.
 */
#define G_LOG_DOMAIN "cochlea-decoder"

#include "config.h"

#include <errno.h>
#include <gst/app/gstappsink.h>
#include <gst/audio/audio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cochlea-decoder.h"
#include "cochlea-error.h"

/* How long the pipeline may go without a buffer, an EOS or an error before
 * we call it stalled.  Decoding runs hundreds of times faster than real time,
 * so this only trips on a genuinely stuck pipeline. */
#define STALL_TIMEOUT_US (20 * G_USEC_PER_SEC)
#define PULL_TIMEOUT_NS  (50 * GST_MSECOND)
/* After this long without a bus message during preroll, look for a demuxer
 * that stopped without a word (see find_stopped_demuxer()). */
#define QUIET_CHECK_US   (200 * G_TIME_SPAN_MILLISECOND)

struct _CochleaDecoder
{
  /* Owned */
  GstElement *pipeline;
  GstElement *appsink;
  GstBus     *bus;
  GstSample  *sample;           /* current sample, mapped in @map */
  char       *display_name;     /* UTF-8 name of the file for messages */
  GString    *missing_plugins;  /* descriptions of missing elements */
  CochleaTags tags;

  /* State */
  GstMapInfo  map;
  gsize       map_offset;       /* frames already consumed from @map */
  guint       channels;         /* of the frames handed out last */
  guint       sample_channels;  /* of @sample */
  int         sample_rate;
  gint64      position;         /* frames handed out */
  gboolean    eos;

  /* Native-rate tap (cochlea_decoder_new_with_tap), streaming thread only */
  CochleaDecoderTapFunc tap;
  gpointer    tap_data;
};

void
cochlea_tags_clear (CochleaTags *tags)
{
  g_clear_pointer (&tags->title, g_free);
  g_clear_pointer (&tags->artist, g_free);
  g_clear_pointer (&tags->album, g_free);
  g_clear_pointer (&tags->genre, g_free);
  tags->duration_s = 0;
}

void
cochlea_tags_copy (CochleaTags       *dest,
                   const CochleaTags *src)
{
  dest->title = g_strdup (src->title);
  dest->artist = g_strdup (src->artist);
  dest->album = g_strdup (src->album);
  dest->genre = g_strdup (src->genre);
  dest->duration_s = src->duration_s;
}

/* Debian package that provides a decoder for the given missing-plugin
 * installer detail, so the message can say what to install. */
static const char *
package_for_missing (const char *detail)
{
  static const struct { const char *needle; const char *package; } table[] = {
    { "mpegversion=(int)4", "gstreamer1.0-libav" },
    { "mpegversion=(int)2", "gstreamer1.0-libav" },
    { "x-wma", "gstreamer1.0-libav" },
    { "x-ac3", "gstreamer1.0-libav" },
    { "x-eac3", "gstreamer1.0-libav" },
    { "x-alac", "gstreamer1.0-libav" },
    { "x-ape", "gstreamer1.0-libav" },
    { "x-musepack", "gstreamer1.0-plugins-bad" },
    { "x-ms-asf", "gstreamer1.0-plugins-ugly" },
    { "mpegversion=(int)1", "gstreamer1.0-plugins-good" },
    { "x-flac", "gstreamer1.0-plugins-good" },
    { "quicktime", "gstreamer1.0-plugins-good" },
    { "x-matroska", "gstreamer1.0-plugins-good" },
    { "x-wav", "gstreamer1.0-plugins-good" },
    { "x-vorbis", "gstreamer1.0-plugins-base" },
    { "x-opus", "gstreamer1.0-plugins-base" },
    { "ogg", "gstreamer1.0-plugins-base" },
  };

  if (detail == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (strstr (detail, table[i].needle) != NULL)
      return table[i].package;
  return NULL;
}

static void
note_missing_plugin (CochleaDecoder *self,
                     GstMessage     *message)
{
  g_autofree char *description = gst_missing_plugin_message_get_description (message);
  g_autofree char *detail = gst_missing_plugin_message_get_installer_detail (message);
  const char *package = package_for_missing (detail);

  if (self->missing_plugins->len > 0)
    g_string_append (self->missing_plugins, "; ");
  g_string_append (self->missing_plugins, description ? description : "an unknown element");
  if (package != NULL)
    g_string_append_printf (self->missing_plugins, " (install %s)", package);
}

static void
take_tag_string (GstTagList  *list,
                 const char  *tag,
                 char       **field)
{
  char *value = NULL;

  if (*field == NULL && gst_tag_list_get_string (list, tag, &value))
    {
      if (value != NULL && g_utf8_validate (value, -1, NULL) && value[0] != '\0')
        *field = value;
      else
        g_free (value);
    }
}

static void
take_tags (CochleaDecoder *self,
           GstMessage     *message)
{
  GstTagList *list = NULL;

  gst_message_parse_tag (message, &list);
  take_tag_string (list, GST_TAG_TITLE, &self->tags.title);
  take_tag_string (list, GST_TAG_ARTIST, &self->tags.artist);
  take_tag_string (list, GST_TAG_ALBUM, &self->tags.album);
  take_tag_string (list, GST_TAG_GENRE, &self->tags.genre);
  gst_tag_list_unref (list);
}

/* Turns an ERROR message into a GError a person can act on: it names the
 * file, says what is wrong in words, and for a missing codec names the
 * Debian package to install. */
static void
set_error_from_message (CochleaDecoder *self,
                        GstMessage     *message,
                        GError        **error)
{
  g_autoptr(GError) gerror = NULL;
  g_autofree char *debug = NULL;

  gst_message_parse_error (message, &gerror, &debug);
  g_debug ("%s: %s (%s)", self->display_name, gerror->message, debug ? debug : "");

  if (self->missing_plugins->len > 0)
    g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_MISSING_PLUGIN,
                 "%s: cannot decode: missing GStreamer plugin: %s",
                 self->display_name, self->missing_plugins->str);
  else if (g_error_matches (gerror, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN) ||
           g_error_matches (gerror, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND))
    g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_MISSING_PLUGIN,
                 "%s: cannot decode: no GStreamer decoder is installed for its codec "
                 "(install gstreamer1.0-libav, gstreamer1.0-plugins-good and gstreamer1.0-plugins-base)",
                 self->display_name);
  else if (g_error_matches (gerror, GST_STREAM_ERROR, GST_STREAM_ERROR_TYPE_NOT_FOUND) ||
           g_error_matches (gerror, GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE))
    g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                 "%s: not an audio file (GStreamer could not recognise its format)",
                 self->display_name);
  else if (gerror->domain == GST_RESOURCE_ERROR)
    g_set_error (error, COCHLEA_ENGINE_ERROR,
                 g_error_matches (gerror, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND)
                   ? COCHLEA_ENGINE_ERROR_NOT_FOUND : COCHLEA_ENGINE_ERROR_PERMISSION,
                 "%s: cannot read file: %s", self->display_name, gerror->message);
  else
    g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                 "%s: truncated or corrupt audio: %s", self->display_name, gerror->message);
}

/* Interprets one bus message.  Every message goes through here, so none is
 * lost (gst_bus_timed_pop_filtered() would discard the tags and the
 * missing-plugin messages that arrive while waiting for another type).
 * Returns FALSE and sets @error when the message ends decoding. */
static gboolean
handle_message (CochleaDecoder *self,
                GstMessage     *message,
                gboolean       *async_done,
                GError        **error)
{
  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      set_error_from_message (self, message, error);
      return FALSE;

    case GST_MESSAGE_ELEMENT:
      if (gst_is_missing_plugin_message (message))
        note_missing_plugin (self, message);
      break;

    case GST_MESSAGE_TAG:
      take_tags (self, message);
      break;

    case GST_MESSAGE_EOS:
      self->eos = TRUE;
      break;

    case GST_MESSAGE_ASYNC_DONE:
      if (async_done != NULL && GST_MESSAGE_SRC (message) == GST_OBJECT (self->pipeline))
        *async_done = TRUE;
      break;

    case GST_MESSAGE_APPLICATION:
      if (gst_structure_has_name (gst_message_get_structure (message), "cochlea-no-audio"))
        {
          /* A decoder that is missing shows up as an unlinked pad too: the
           * missing plugin is the better explanation. */
          if (self->missing_plugins->len > 0)
            g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_MISSING_PLUGIN,
                         "%s: cannot decode: missing GStreamer plugin: %s",
                         self->display_name, self->missing_plugins->str);
          else
            g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_NO_AUDIO,
                         "%s: the file has no audio stream", self->display_name);
          return FALSE;
        }
      break;

    case GST_MESSAGE_UNKNOWN:
    case GST_MESSAGE_WARNING:
    case GST_MESSAGE_INFO:
    case GST_MESSAGE_BUFFERING:
    case GST_MESSAGE_STATE_CHANGED:
    case GST_MESSAGE_STATE_DIRTY:
    case GST_MESSAGE_STEP_DONE:
    case GST_MESSAGE_CLOCK_PROVIDE:
    case GST_MESSAGE_CLOCK_LOST:
    case GST_MESSAGE_NEW_CLOCK:
    case GST_MESSAGE_STRUCTURE_CHANGE:
    case GST_MESSAGE_STREAM_STATUS:
    case GST_MESSAGE_SEGMENT_START:
    case GST_MESSAGE_SEGMENT_DONE:
    case GST_MESSAGE_DURATION_CHANGED:
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

  return TRUE;
}

/* Handles every message on the bus, waiting up to @timeout for the first.
 * Returns FALSE and sets @error on an ERROR message.  @progress (nullable)
 * is set to TRUE when any message arrived. */
static gboolean
pump_bus (CochleaDecoder *self,
          GstClockTime    timeout,
          gboolean       *async_done,
          gboolean       *progress,
          GError        **error)
{
  GstMessage *message;

  for (message = gst_bus_timed_pop (self->bus, timeout);
       message != NULL;
       message = gst_bus_pop (self->bus))
    {
      gboolean ok = handle_message (self, message, async_done, error);

      gst_message_unref (message);
      if (progress != NULL)
        *progress = TRUE;
      if (!ok)
        return FALSE;
    }

  return TRUE;
}

/* Checks the path before GStreamer sees it, so the common mistakes get a
 * precise message rather than a generic "could not open resource". */
static gboolean
check_path (const char  *path,
            const char  *display_name,
            GError     **error)
{
  struct stat st;

  if (stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT || saved_errno == ENOTDIR)
        g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_NOT_FOUND,
                     "%s: no such file", display_name);
      else if (saved_errno == EACCES)
        g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_PERMISSION,
                     "%s: permission denied", display_name);
      else
        g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                     "%s: %s", display_name, g_strerror (saved_errno));
      return FALSE;
    }

  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "%s: is a directory, not an audio file", display_name);
      return FALSE;
    }

  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "%s: not a regular file", display_name);
      return FALSE;
    }

  if (access (path, R_OK) != 0)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_PERMISSION,
                   "%s: permission denied", display_name);
      return FALSE;
    }

  if (st.st_size == 0)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "%s: empty file (0 bytes)", display_name);
      return FALSE;
    }

  return TRUE;
}

static GstElement *
make_element (const char  *factory,
              const char  *display_name,
              GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_MISSING_PLUGIN,
                 "%s: cannot decode: GStreamer element “%s” is missing (install gstreamer1.0-plugins-base)",
                 display_name, factory);
  return element;
}

static void
pad_added_cb (GstElement *decodebin,
              GstPad     *pad,
              GstElement *convert)
{
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (convert, "sink");
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const GstStructure *s;

  if (gst_pad_is_linked (sinkpad))
    return;
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  s = gst_caps_get_structure (caps, 0);
  if (!g_str_has_prefix (gst_structure_get_name (s), "audio/"))
    return;
  gst_pad_link (pad, sinkpad);
}

/* Ends the pipeline's stream cleanly so that a decodebin without an audio
 * pad (a video-only file, say) does not wait forever. */
static void
no_more_pads_cb (GstElement *decodebin,
                 GstElement *convert)
{
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (convert, "sink");

  if (!gst_pad_is_linked (sinkpad))
    gst_element_post_message (decodebin,
                              gst_message_new_application (GST_OBJECT (decodebin),
                                                           gst_structure_new_empty ("cochlea-no-audio")));
}

static gboolean
set_stalled_error (CochleaDecoder *self,
                   GError        **error)
{
  g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_TIMEOUT,
               "%s: the decoder made no progress for %d s",
               self->display_name, (int) (STALL_TIMEOUT_US / G_USEC_PER_SEC));
  return FALSE;
}

/* Whether @element is a demuxer that has given up: a sink pad whose
 * streaming task is paused, and no source pad exposed. */
static gboolean
is_stopped_without_streams (GstElement *element)
{
  g_autoptr(GstIterator) pads = NULL;
  GValue item = G_VALUE_INIT;
  gboolean stopped = FALSE;
  gboolean done = FALSE;

  GST_OBJECT_LOCK (element);
  if (element->numsrcpads > 0)
    {
      GST_OBJECT_UNLOCK (element);
      return FALSE;
    }
  GST_OBJECT_UNLOCK (element);

  pads = gst_element_iterate_sink_pads (element);
  while (!done && !stopped)
    {
      switch (gst_iterator_next (pads, &item))
        {
        case GST_ITERATOR_OK:
          {
            GstPad *pad = g_value_get_object (&item);

            GST_OBJECT_LOCK (pad);
            stopped = GST_PAD_TASK (pad) != NULL &&
                      gst_task_get_state (GST_PAD_TASK (pad)) == GST_TASK_PAUSED;
            GST_OBJECT_UNLOCK (pad);
            g_value_reset (&item);
          }
          break;
        case GST_ITERATOR_RESYNC:
          gst_iterator_resync (pads);
          break;
        case GST_ITERATOR_ERROR:
        case GST_ITERATOR_DONE:
        default:
          done = TRUE;
          break;
        }
    }
  g_value_unset (&item);
  return stopped;
}

/* decodebin drops the errors of an element it is still plugging in (they
 * are "filtered" until the element reaches PAUSED), so a demuxer that gives
 * up at once on a truncated file — qtdemux on an MP4 cut before its moov
 * atom does, depending on thread timing — can leave the pipeline waiting
 * forever with nothing on the bus.  Such a demuxer is recognisable: its
 * streaming task is paused and it exposed no stream.  Returns its
 * description, or %NULL. */
static char *
find_stopped_demuxer (CochleaDecoder *self)
{
  g_autoptr(GstIterator) elements = gst_bin_iterate_recurse (GST_BIN (self->pipeline));
  GValue item = G_VALUE_INIT;
  char *found = NULL;
  gboolean done = FALSE;

  while (!done && found == NULL)
    {
      switch (gst_iterator_next (elements, &item))
        {
        case GST_ITERATOR_OK:
          {
            GstElement *element = g_value_get_object (&item);

            if (is_stopped_without_streams (element))
              {
                GstElementFactory *factory = gst_element_get_factory (element);
                const char *name = factory ? gst_element_factory_get_metadata (factory, GST_ELEMENT_METADATA_LONGNAME) : NULL;

                found = g_strdup (name ? name : GST_OBJECT_NAME (element));
              }
            g_value_reset (&item);
          }
          break;
        case GST_ITERATOR_RESYNC:
          gst_iterator_resync (elements);
          break;
        case GST_ITERATOR_ERROR:
        case GST_ITERATOR_DONE:
        default:
          done = TRUE;
          break;
        }
    }
  g_value_unset (&item);
  return found;
}

/* Prerolls: waits for the first buffer (or an error) so that tags, channels
 * and the container's duration are known before the first read. */
static gboolean
preroll (CochleaDecoder *self,
         GCancellable   *cancellable,
         GError        **error)
{
  gint64 last_progress = g_get_monotonic_time ();
  gboolean async_done = FALSE;

  if (gst_element_set_state (self->pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE)
    {
      /* The reason is on the bus. */
      if (!pump_bus (self, 0, NULL, NULL, error))
        return FALSE;
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_FAILED,
                   "%s: GStreamer could not open the file", self->display_name);
      return FALSE;
    }

  while (!async_done && !self->eos)
    {
      gboolean progress = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!pump_bus (self, PULL_TIMEOUT_NS, &async_done, &progress, error))
        return FALSE;
      if (progress)
        last_progress = g_get_monotonic_time ();
      else if (g_get_monotonic_time () - last_progress > STALL_TIMEOUT_US)
        return set_stalled_error (self, error);
      else if (g_get_monotonic_time () - last_progress > QUIET_CHECK_US)
        {
          g_autofree char *demuxer = find_stopped_demuxer (self);

          if (demuxer != NULL)
            {
              g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                           "%s: truncated or corrupt audio: the %s found no playable stream",
                           self->display_name, demuxer);
              return FALSE;
            }
        }
    }

  if (!self->eos)
    {
      gint64 duration = 0;
      g_autoptr(GstSample) preroll_sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (self->appsink), 0);

      if (gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration) && duration > 0)
        self->tags.duration_s = (double) duration / GST_SECOND;

      if (preroll_sample != NULL)
        {
          GstCaps *caps = gst_sample_get_caps (preroll_sample);
          GstAudioInfo info;

          if (caps != NULL && gst_audio_info_from_caps (&info, caps))
            self->channels = GST_AUDIO_INFO_CHANNELS (&info);
        }
    }

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      if (!pump_bus (self, 0, NULL, NULL, error))
        return FALSE;
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_FAILED,
                   "%s: GStreamer could not start decoding", self->display_name);
      return FALSE;
    }

  return TRUE;
}

/**
 * cochlea_decoder_new:
 * @path: a file name in the GLib file name encoding (need not be UTF-8)
 * @sample_rate: the rate to resample to, e.g. 22050
 * @cancellable: (nullable): cancels opening
 * @error: return location for a #CochleaEngineError
 *
 * Opens @path and prerolls the decoding pipeline.  Every failure names the
 * file and the problem.
 *
 * Returns: (transfer full): a decoder, or %NULL with @error set
 */
CochleaDecoder *
cochlea_decoder_new (const char    *path,
                     int            sample_rate,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return cochlea_decoder_new_with_tap (path, sample_rate, NULL, NULL, cancellable, error);
}

/* Hands each buffer entering audioresample (float, interleaved, native
 * rate) to the tap. */
static GstPadProbeReturn
tap_probe_cb (GstPad          *pad,
              GstPadProbeInfo *info,
              gpointer         user_data)
{
  CochleaDecoder *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstAudioInfo audio;
  GstMapInfo map;

  if (buffer == NULL || caps == NULL || !gst_audio_info_from_caps (&audio, caps) ||
      GST_AUDIO_INFO_FORMAT (&audio) != GST_AUDIO_FORMAT_F32 ||
      GST_AUDIO_INFO_LAYOUT (&audio) != GST_AUDIO_LAYOUT_INTERLEAVED)
    return GST_PAD_PROBE_OK;
  if (gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      gsize frames = map.size / GST_AUDIO_INFO_BPF (&audio);

      if (frames > 0)
        self->tap ((const float *) map.data, frames, GST_AUDIO_INFO_CHANNELS (&audio),
                   GST_AUDIO_INFO_RATE (&audio), self->tap_data);
      gst_buffer_unmap (buffer, &map);
    }
  return GST_PAD_PROBE_OK;
}

/**
 * cochlea_decoder_new_with_tap:
 * @tap: (nullable): called with every block at the native rate
 *
 * Like cochlea_decoder_new(), and also hands the decoded audio, before
 * resampling, to @tap (see #CochleaDecoderTapFunc).
 */
CochleaDecoder *
cochlea_decoder_new_with_tap (const char            *path,
                              int                    sample_rate,
                              CochleaDecoderTapFunc  tap,
                              gpointer               tap_data,
                              GCancellable          *cancellable,
                              GError               **error)
{
  g_autoptr(CochleaDecoder) self = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *absolute = NULL;
  GstElement *decodebin, *convert, *resample;
  GError *local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (sample_rate >= 8000 && sample_rate <= 192000, NULL);

  display_name = g_filename_display_name (path);
  if (!check_path (path, display_name, error))
    return NULL;

  if (!gst_is_initialized () && !gst_init_check (NULL, NULL, &local_error))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_FAILED,
                   "%s: cannot start GStreamer: %s", display_name, local_error->message);
      g_clear_error (&local_error);
      return NULL;
    }

  absolute = g_canonicalize_filename (path, NULL);
  uri = g_filename_to_uri (absolute, NULL, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "%s: %s", display_name, local_error->message);
      g_clear_error (&local_error);
      return NULL;
    }

  self = g_new0 (CochleaDecoder, 1);
  self->display_name = g_steal_pointer (&display_name);
  self->missing_plugins = g_string_new (NULL);
  self->sample_rate = sample_rate;
  self->channels = 1;
  self->tap = tap;
  self->tap_data = tap_data;

  if (!(decodebin = make_element ("uridecodebin", self->display_name, error)) ||
      !(convert = make_element ("audioconvert", self->display_name, error)) ||
      !(resample = make_element ("audioresample", self->display_name, error)) ||
      !(self->appsink = make_element ("appsink", self->display_name, error)))
    return NULL;

  self->pipeline = gst_pipeline_new ("cochlea-decoder");
  gst_object_ref_sink (self->appsink);
  gst_bin_add_many (GST_BIN (self->pipeline), decodebin, convert, resample, self->appsink, NULL);

  /* Mono or stereo float at the analysis rate; audioconvert picks the
   * channel count closest to the source's (so surround becomes stereo). */
  caps = gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, GST_AUDIO_NE (F32),
                              "layout", G_TYPE_STRING, "interleaved",
                              "rate", G_TYPE_INT, sample_rate,
                              "channels", GST_TYPE_INT_RANGE, 1, COCHLEA_DECODER_MAX_CHANNELS,
                              NULL);
  g_object_set (self->appsink,
                "caps", caps,
                "sync", FALSE,
                "max-buffers", 8,
                "drop", FALSE,
                "emit-signals", FALSE,
                NULL);
  g_object_set (decodebin, "uri", uri, "expose-all-streams", FALSE, NULL);

  if (!gst_element_link_many (convert, resample, self->appsink, NULL))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_FAILED,
                   "%s: cannot build the decoding pipeline", self->display_name);
      return NULL;
    }
  if (tap != NULL)
    {
      g_autoptr(GstPad) resample_sink = gst_element_get_static_pad (resample, "sink");

      gst_pad_add_probe (resample_sink, GST_PAD_PROBE_TYPE_BUFFER, tap_probe_cb, self, NULL);
    }
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (pad_added_cb), convert);
  g_signal_connect (decodebin, "no-more-pads", G_CALLBACK (no_more_pads_cb), convert);

  self->bus = gst_element_get_bus (self->pipeline);

  if (!preroll (self, cancellable, error))
    return NULL;

  return g_steal_pointer (&self);
}

void
cochlea_decoder_free (CochleaDecoder *self)
{
  if (self == NULL)
    return;

  if (self->sample != NULL)
    {
      GstBuffer *buffer = gst_sample_get_buffer (self->sample);

      if (self->map.data != NULL)
        gst_buffer_unmap (buffer, &self->map);
      gst_sample_unref (self->sample);
    }
  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      gst_object_unref (self->pipeline);
    }
  g_clear_pointer (&self->appsink, gst_object_unref);
  g_clear_pointer (&self->bus, gst_object_unref);
  if (self->missing_plugins != NULL)
    g_string_free (self->missing_plugins, TRUE);
  cochlea_tags_clear (&self->tags);
  g_free (self->display_name);
  g_free (self);
}

int
cochlea_decoder_get_sample_rate (CochleaDecoder *self)
{
  return self->sample_rate;
}

/**
 * cochlea_decoder_get_channels:
 *
 * Returns: the number of interleaved channels cochlea_decoder_read() writes
 *   to its @interleaved argument (1 or 2)
 */
guint
cochlea_decoder_get_channels (CochleaDecoder *self)
{
  return self->channels;
}

/**
 * cochlea_decoder_get_tags:
 *
 * Returns: (transfer none): the tags seen so far; complete after the first
 *   read in practice, since tags precede audio in every container we decode.
 *   @duration_s stays 0 while the container cannot tell.
 */
const CochleaTags *
cochlea_decoder_get_tags (CochleaDecoder *self)
{
  /* Some containers only know their duration once the parser has seen a
   * few frames (an MP3 without a Xing header estimates it from the
   * bitrate), so ask again while it is unknown. */
  if (self->tags.duration_s <= 0)
    {
      gint64 duration = 0;

      if (gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration) && duration > 0)
        self->tags.duration_s = (double) duration / GST_SECOND;
    }
  return &self->tags;
}

/**
 * cochlea_decoder_get_position:
 *
 * Returns: the number of frames handed out so far
 */
gint64
cochlea_decoder_get_position (CochleaDecoder *self)
{
  return self->position;
}

static void
release_sample (CochleaDecoder *self)
{
  if (self->sample == NULL)
    return;
  gst_buffer_unmap (gst_sample_get_buffer (self->sample), &self->map);
  memset (&self->map, 0, sizeof self->map);
  g_clear_pointer (&self->sample, gst_sample_unref);
  self->map_offset = 0;
}

/* Makes sure a mapped sample with unread frames is at hand.  Returns FALSE
 * at end of stream (with @error unset) or on error. */
static gboolean
ensure_sample (CochleaDecoder *self,
               GCancellable   *cancellable,
               GError        **error)
{
  gint64 last_progress = g_get_monotonic_time ();

  while (self->sample == NULL)
    {
      GstSample *sample;
      GstBuffer *buffer;
      GstCaps *caps;
      GstAudioInfo info;
      gboolean progress = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!pump_bus (self, 0, NULL, &progress, error))
        return FALSE;

      sample = gst_app_sink_try_pull_sample (GST_APP_SINK (self->appsink), PULL_TIMEOUT_NS);
      if (sample == NULL)
        {
          if (gst_app_sink_is_eos (GST_APP_SINK (self->appsink)))
            {
              /* A pipeline can post ERROR and then EOS; make sure errors win. */
              if (!pump_bus (self, 0, NULL, NULL, error))
                return FALSE;
              self->eos = TRUE;
              return FALSE;
            }
          if (progress)
            last_progress = g_get_monotonic_time ();
          else if (g_get_monotonic_time () - last_progress > STALL_TIMEOUT_US)
            return set_stalled_error (self, error);
          continue;
        }

      last_progress = g_get_monotonic_time ();
      buffer = gst_sample_get_buffer (sample);
      caps = gst_sample_get_caps (sample);
      if (caps == NULL || !gst_audio_info_from_caps (&info, caps) ||
          GST_AUDIO_INFO_CHANNELS (&info) < 1 ||
          GST_AUDIO_INFO_CHANNELS (&info) > COCHLEA_DECODER_MAX_CHANNELS)
        {
          gst_sample_unref (sample);
          g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_FAILED,
                       "%s: the decoder produced audio in an unexpected format",
                       self->display_name);
          return FALSE;
        }

      if (buffer == NULL || !gst_buffer_map (buffer, &self->map, GST_MAP_READ))
        {
          memset (&self->map, 0, sizeof self->map);
          gst_sample_unref (sample);
          continue;
        }
      if (self->map.size < sizeof (float) * GST_AUDIO_INFO_CHANNELS (&info))
        {
          gst_buffer_unmap (buffer, &self->map);
          memset (&self->map, 0, sizeof self->map);
          gst_sample_unref (sample);
          continue;
        }

      self->sample = sample;
      self->sample_channels = GST_AUDIO_INFO_CHANNELS (&info);
      self->map_offset = 0;
    }

  return TRUE;
}

/**
 * cochlea_decoder_read:
 * @self: a #CochleaDecoder
 * @mono: (out caller-allocates) (array length=max_frames): the downmixed
 *   signal, the mean of the channels
 * @interleaved: (out caller-allocates) (nullable): room for
 *   @max_frames × %COCHLEA_DECODER_MAX_CHANNELS floats, receiving the
 *   cochlea_decoder_get_channels() channels interleaved (for loudness, which
 *   must be measured per channel)
 * @max_frames: capacity of @mono
 * @cancellable: (nullable): checked between buffers
 * @error: return location for an error
 *
 * Reads up to @max_frames frames of float PCM in [-1, 1] (values outside are
 * kept, not clipped).  All the frames of one call have the same channel
 * count: when a chained stream changes it, the read stops short and
 * cochlea_decoder_get_channels() tells the new count after the next call.
 * Cancelling @cancellable, from any thread, makes the call return -1 with
 * %G_IO_ERROR_CANCELLED within one decoded buffer.
 *
 * Returns: the number of frames written, 0 at the end of the stream, or -1
 *   with @error set
 */
gssize
cochlea_decoder_read (CochleaDecoder *self,
                      float          *mono,
                      float          *interleaved,
                      gsize           max_frames,
                      GCancellable   *cancellable,
                      GError        **error)
{
  gsize written = 0;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (mono != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  while (written < max_frames)
    {
      const float *src;
      gsize available, n;
      guint channels;
      GError *local_error = NULL;

      if (!ensure_sample (self, cancellable, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return -1;
            }
          break;
        }

      channels = self->sample_channels;
      if (written > 0 && channels != self->channels)
        break;
      self->channels = channels;

      src = (const float *) self->map.data + self->map_offset * channels;
      available = self->map.size / (sizeof (float) * channels) - self->map_offset;
      n = MIN (available, max_frames - written);

      if (channels == 1)
        {
          memcpy (mono + written, src, n * sizeof (float));
          if (interleaved != NULL)
            memcpy (interleaved + written, src, n * sizeof (float));
        }
      else
        {
          const float scale = 1.0f / channels;

          for (gsize i = 0; i < n; i++)
            {
              float sum = 0;
              for (guint c = 0; c < channels; c++)
                sum += src[i * channels + c];
              mono[written + i] = sum * scale;
            }
          if (interleaved != NULL)
            memcpy (interleaved + written * channels, src, n * channels * sizeof (float));
        }

      written += n;
      self->map_offset += n;
      if (self->map_offset >= self->map.size / (sizeof (float) * channels))
        release_sample (self);
    }

  self->position += written;
  return (gssize) written;
}
