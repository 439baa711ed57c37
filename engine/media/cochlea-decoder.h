/* cochlea-decoder.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CochleaTags:
 *
 * What the file says about itself.  Strings are UTF-8 or %NULL when the file
 * has no such tag.  @duration_s is what the container claims (it can be wrong
 * for MP3 without a Xing header); the decoded length is exact and comes from
 * counting samples.
 */
typedef struct
{
  char   *title;
  char   *artist;
  char   *album;
  char   *genre;
  double  duration_s;   /* container's claim, 0 when unknown */
} CochleaTags;

void cochlea_tags_clear (CochleaTags *tags);
void cochlea_tags_copy  (CochleaTags       *dest,
                         const CochleaTags *src);

typedef struct _CochleaDecoder CochleaDecoder;

/* Upper bound on the channels cochlea_decoder_read() hands out interleaved;
 * anything wider is downmixed to stereo by audioconvert. */
#define COCHLEA_DECODER_MAX_CHANNELS 2

CochleaDecoder    *cochlea_decoder_new           (const char    *path,
                                                  int            sample_rate,
                                                  GCancellable  *cancellable,
                                                  GError       **error) G_GNUC_WARN_UNUSED_RESULT;

/**
 * CochleaDecoderTapFunc:
 * @interleaved: @n_frames frames of float PCM at the file's own rate, before
 *   resampling (1–2 channels, as cochlea_decoder_read() hands out)
 * @rate: their sample rate in Hz
 *
 * Sees every decoded block at the native rate, for measurements that need
 * the whole band (loudness).  Called from GStreamer's streaming thread, in
 * order, and never again once cochlea_decoder_read() has returned 0 or the
 * decoder has been freed.
 */
typedef void (*CochleaDecoderTapFunc) (const float *interleaved,
                                       gsize        n_frames,
                                       guint        channels,
                                       int          rate,
                                       gpointer     user_data);

CochleaDecoder    *cochlea_decoder_new_with_tap  (const char            *path,
                                                  int                    sample_rate,
                                                  CochleaDecoderTapFunc  tap,
                                                  gpointer               tap_data,
                                                  GCancellable          *cancellable,
                                                  GError               **error) G_GNUC_WARN_UNUSED_RESULT;
void               cochlea_decoder_free          (CochleaDecoder *self);
int                cochlea_decoder_get_sample_rate (CochleaDecoder *self);
guint              cochlea_decoder_get_channels  (CochleaDecoder *self);
const CochleaTags *cochlea_decoder_get_tags      (CochleaDecoder *self);
gint64             cochlea_decoder_get_position  (CochleaDecoder *self);
gssize             cochlea_decoder_read          (CochleaDecoder *self,
                                                  float          *mono,
                                                  float          *interleaved,
                                                  gsize           max_frames,
                                                  GCancellable   *cancellable,
                                                  GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaDecoder, cochlea_decoder_free)

G_END_DECLS
