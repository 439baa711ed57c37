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
