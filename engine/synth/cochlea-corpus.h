/* cochlea-corpus.h — the training-data generator behind
 * `cochlea-cli generate-corpus`.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes DIR/NNNNN.wav (16-bit PCM mono) and DIR/NNNNN.json (labels) for
 * songs 0 … n_songs-1, and DIR/corpus.json (the manifest).  Song i depends
 * only on (seed, i, duration, SoundFont): the same arguments give
 * byte-identical files whatever the number of jobs.  Every file is written
 * to a temporary name and renamed; a song whose .json exists is complete
 * (the .json is written after the .wav) and is skipped, so an interrupted
 * run resumes.  The format is documented in docs/corpus.md.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define COCHLEA_CORPUS_GENERATOR_VERSION 7

typedef struct
{
  const char *dir;
  guint       n_songs;
  guint64     seed;
  const char *soundfont;     /* path; NULL for cochlea_corpus_default_soundfont () */
  double      duration;      /* seconds per song */
  guint       n_jobs;        /* 0 = one per core */
} CochleaCorpusOptions;

/* Called from worker threads, one call at a time, after each song. */
typedef void (*CochleaCorpusProgress) (guint    index,
                                       gboolean skipped,
                                       guint    n_done,
                                       guint    n_songs,
                                       gpointer user_data);

/* The first of FluidR3_GM.sf2, TimGM6mb.sf2, default-GM.sf2 in
 * /usr/share/sounds/sf2 that exists, or FluidR3_GM's path if none does. */
const char *cochlea_corpus_default_soundfont (void);

gboolean    cochlea_corpus_generate          (const CochleaCorpusOptions *options,
                                              CochleaCorpusProgress       progress,
                                              gpointer                    user_data,
                                              GCancellable               *cancellable,
                                              GError                    **error);

/* 16-bit PCM mono WAV bytes of @samples (clipped to ±1). */
GBytes     *cochlea_corpus_wav_bytes         (const float                *samples,
                                              gsize                       n_samples,
                                              int                         sample_rate) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
