/* test-decoder.c — the streaming decoder on files the test encodes itself.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every format is made here with GStreamer's own encoders (audiotestsrc →
 * taginject → encoder → muxer), decoded with CochleaDecoder and checked for
 * length (± the codec's padding), pitch (zero crossings), level, and tags.
 */
#include "config.h"

#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

#define RATE 22050

static char *tmpdir;

#define TAGS "title=\\\"Test Title\\\",artist=\\\"Ärtist Näme\\\",album=\\\"The Album\\\",genre=Jazz"

/* Runs a gst-launch style description to EOS in this process, failing the
 * test (with the element that is missing) rather than hanging. */
static void
run_pipeline (const char *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gerror = NULL;
      gst_message_parse_error (message, &gerror, NULL);
      g_error ("encoding failed: %s: %s", description, gerror->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

/* A mono 440 Hz sine at half scale, @seconds long at @rate, with tags,
 * through @encoder into @path. */
static void
encode_sine (const char *path,
             const char *encoder,
             int         rate,
             double      seconds)
{
  int per_buffer = rate / 10;
  g_autofree char *description =
    g_strdup_printf ("audiotestsrc wave=sine freq=440 volume=0.5 num-buffers=%d samplesperbuffer=%d "
                     "! audio/x-raw,format=S16LE,rate=%d,channels=1 "
                     "! taginject tags=\"" TAGS "\" "
                     "! audioconvert ! audioresample ! %s ! filesink location=\"%s\"",
                     (int) lround (seconds * 10), per_buffer, rate, encoder, path);
  run_pipeline (description);
}

typedef struct
{
  GArray *mono;          /* float */
  GArray *interleaved;   /* float */
  guint   channels;
} Decoded;

static void
decoded_clear (Decoded *d)
{
  g_clear_pointer (&d->mono, g_array_unref);
  g_clear_pointer (&d->interleaved, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Decoded, decoded_clear)

/* Decodes the whole file in blocks of an awkward size (so that blocks and
 * GStreamer buffers never line up) and checks the API's invariants. */
static CochleaDecoder *
decode_all (const char *path,
            Decoded    *d)
{
  g_autoptr(GError) error = NULL;
  CochleaDecoder *decoder;
  const gsize block = 1237;
  float mono[1237];
  float inter[1237 * COCHLEA_DECODER_MAX_CHANNELS];
  gssize n;

  decoder = cochlea_decoder_new (path, RATE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (decoder);
  g_assert_cmpint (cochlea_decoder_get_sample_rate (decoder), ==, RATE);

  d->mono = g_array_new (FALSE, FALSE, sizeof (float));
  d->interleaved = g_array_new (FALSE, FALSE, sizeof (float));
  d->channels = 0;
  while ((n = cochlea_decoder_read (decoder, mono, inter, block, NULL, &error)) > 0)
    {
      guint channels = cochlea_decoder_get_channels (decoder);

      g_assert_cmpuint (channels, >=, 1);
      g_assert_cmpuint (channels, <=, COCHLEA_DECODER_MAX_CHANNELS);
      if (d->channels == 0)
        d->channels = channels;
      g_assert_cmpuint (channels, ==, d->channels);
      g_array_append_vals (d->mono, mono, n);
      g_array_append_vals (d->interleaved, inter, n * channels);
    }
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
  /* EOS is sticky. */
  g_assert_cmpint (cochlea_decoder_read (decoder, mono, NULL, block, NULL, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (cochlea_decoder_get_position (decoder), ==, d->mono->len);
  return decoder;
}

/* Frequency from positive-going zero crossings (linearly interpolated) over
 * [from, to). */
static double
zero_crossing_frequency (const float *x,
                         gsize        from,
                         gsize        to)
{
  double first = -1, last = -1;
  int count = 0;

  for (gsize i = from + 1; i < to; i++)
    if (x[i - 1] < 0 && x[i] >= 0)
      {
        double t = (i - 1) + (double) -x[i - 1] / (x[i] - x[i - 1]);
        if (first < 0)
          first = t;
        last = t;
        count++;
      }
  g_assert_cmpint (count, >, 2);
  return (count - 1) / ((last - first) / RATE);
}

static double
rms (const float *x,
     gsize        from,
     gsize        to,
     gsize        stride)
{
  double sum = 0;
  gsize n = 0;

  for (gsize i = from; i < to; i++, n++)
    sum += (double) x[i * stride] * x[i * stride];
  return sqrt (sum / n);
}

typedef struct
{
  const char *name;
  const char *encoder;     /* gst-launch fragment */
  const char *factory;     /* the element that must exist to encode */
  const char *package;     /* where it comes from */
  int         rate;        /* source rate */
  double      early_s;     /* decoded may be this much shorter… */
  double      late_s;      /* …or longer (encoder delay, padding) */
} Format;

static const Format formats[] = {
  { "wav",  "wavenc",                "wavenc",     "gstreamer1.0-plugins-good", 44100, 0.0001, 0.0001 },
  { "flac", "flacenc",               "flacenc",    "gstreamer1.0-plugins-good", 44100, 0.0001, 0.0001 },
  { "ogg",  "vorbisenc ! oggmux",    "vorbisenc",  "gstreamer1.0-plugins-base", 44100, 0.005,  0.005 },
  { "opus", "opusenc ! oggmux",      "opusenc",    "gstreamer1.0-plugins-base", 48000, 0.005,  0.005 },
  { "mp3",  "lamemp3enc ! id3v2mux", "lamemp3enc", "gstreamer1.0-plugins-good", 44100, 0.005,  0.06 },
  { "m4a",  "avenc_aac ! mp4mux",    "avenc_aac",  "gstreamer1.0-libav",        44100, 0.005,  0.06 },
};

static void
test_format (gconstpointer data)
{
  const Format *format = data;
  const double seconds = 2.0;
  g_autoptr(GstElementFactory) factory = gst_element_factory_find (format->factory);
  g_autofree char *name = g_strdup_printf ("sine.%s", format->name);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_auto(Decoded) d = { NULL, };
  const CochleaTags *tags;
  const float *x;
  gsize n, expected = (gsize) (seconds * RATE);
  double freq, level, inter_level;

  if (factory == NULL)
    g_error ("GStreamer encoder %s is missing: install %s (build-aux/dev.sh does)",
             format->factory, format->package);

  encode_sine (path, format->encoder, format->rate, seconds);
  decoder = decode_all (path, &d);
  x = (const float *) d.mono->data;
  n = d.mono->len;

  g_test_message ("%s: %zu frames (expected %zu), duration tag %.4f s",
                  format->name, n, expected, cochlea_decoder_get_tags (decoder)->duration_s);

  /* Mono in, mono out; the interleaved copy is the same signal. */
  g_assert_cmpuint (d.channels, ==, 1);
  g_assert_cmpmem (d.interleaved->data, n * sizeof (float), x, n * sizeof (float));

  /* Length, to within the codec's padding. */
  g_assert_cmpfloat (n, >=, expected - format->early_s * RATE);
  g_assert_cmpfloat (n, <=, expected + format->late_s * RATE);

  /* Pitch and level, away from the edges (codec ramps). */
  freq = zero_crossing_frequency (x, RATE / 4, n - RATE / 4);
  g_assert_cmpfloat_with_epsilon (freq, 440.0, 440.0 * 0.002);
  level = rms (x, RATE / 4, n - RATE / 4, 1);
  g_assert_cmpfloat_with_epsilon (level, 0.5 / G_SQRT2, 0.5 / G_SQRT2 * 0.05);
  inter_level = rms ((const float *) d.interleaved->data, RATE / 4, n - RATE / 4, 1);
  g_assert_cmpfloat (inter_level, ==, level);

  tags = cochlea_decoder_get_tags (decoder);
  g_assert_cmpstr (tags->title, ==, "Test Title");
  g_assert_cmpstr (tags->artist, ==, "Ärtist Näme");
  g_assert_cmpstr (tags->album, ==, "The Album");
  g_assert_cmpstr (tags->genre, ==, "Jazz");
  /* The container's claim, which the exact count above is not. */
  g_assert_cmpfloat_with_epsilon (tags->duration_s, seconds, 0.1);
}

/* Writes a 16-bit stereo WAV with different left and right channels. */
static void
write_stereo_wav (const char *path,
                  int         rate,
                  gsize       n,
                  float     (*left) (gsize, int),
                  float     (*right) (gsize, int))
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint32 data_bytes = n * 4;
  guint8 header[44];

  memcpy (header, "RIFF", 4);
  header[4] = (36 + data_bytes) & 0xff;
  header[5] = ((36 + data_bytes) >> 8) & 0xff;
  header[6] = ((36 + data_bytes) >> 16) & 0xff;
  header[7] = ((36 + data_bytes) >> 24) & 0xff;
  memcpy (header + 8, "WAVEfmt ", 8);
  header[16] = 16; header[17] = 0; header[18] = 0; header[19] = 0;
  header[20] = 1; header[21] = 0;                 /* PCM */
  header[22] = 2; header[23] = 0;                 /* stereo */
  header[24] = rate & 0xff; header[25] = (rate >> 8) & 0xff;
  header[26] = (rate >> 16) & 0xff; header[27] = 0;
  header[28] = (rate * 4) & 0xff; header[29] = ((rate * 4) >> 8) & 0xff;
  header[30] = ((rate * 4) >> 16) & 0xff; header[31] = 0;
  header[32] = 4; header[33] = 0;                 /* block align */
  header[34] = 16; header[35] = 0;                /* bits */
  memcpy (header + 36, "data", 4);
  header[40] = data_bytes & 0xff;
  header[41] = (data_bytes >> 8) & 0xff;
  header[42] = (data_bytes >> 16) & 0xff;
  header[43] = (data_bytes >> 24) & 0xff;
  g_byte_array_append (bytes, header, sizeof header);

  for (gsize i = 0; i < n; i++)
    {
      gint16 l = (gint16) lrintf (left (i, rate) * 32768.0f);
      gint16 r = (gint16) lrintf (right (i, rate) * 32768.0f);
      guint8 frame[4] = { l & 0xff, (l >> 8) & 0xff, r & 0xff, (r >> 8) & 0xff };
      g_byte_array_append (bytes, frame, 4);
    }

  g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error);
  g_assert_no_error (error);
}

static float
left_sine (gsize i,
           int   rate)
{
  return 0.5f * (float) sin (2 * G_PI * 440.0 * i / rate);
}

static float
right_sine (gsize i,
            int   rate)
{
  return 0.25f * (float) sin (2 * G_PI * 1000.0 * i / rate) - 0.125f;
}

static float
quantise (float v)
{
  return lrintf (v * 32768.0f) / 32768.0f;
}

/* Stereo at the analysis rate (no resampling): mono is exactly the mean of
 * the channels and the interleaved copy is exactly the file's samples. */
static void
test_stereo_exact (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "stereo-22050.wav", NULL);
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_auto(Decoded) d = { NULL, };
  const gsize n = RATE * 3 / 2;
  const float *mono, *inter;

  write_stereo_wav (path, RATE, n, left_sine, right_sine);
  decoder = decode_all (path, &d);
  g_assert_cmpuint (d.channels, ==, 2);
  g_assert_cmpuint (d.mono->len, ==, n);
  g_assert_cmpuint (d.interleaved->len, ==, 2 * n);

  mono = (const float *) d.mono->data;
  inter = (const float *) d.interleaved->data;
  for (gsize i = 0; i < n; i++)
    {
      float l = quantise (left_sine (i, RATE));
      float r = quantise (right_sine (i, RATE));

      g_assert_cmpfloat_with_epsilon (inter[2 * i], l, 1e-6);
      g_assert_cmpfloat_with_epsilon (inter[2 * i + 1], r, 1e-6);
      g_assert_cmpfloat_with_epsilon (mono[i], 0.5f * (l + r), 1e-6);
    }
}

/* Stereo at 44.1 kHz (resampled): the channels keep their own pitch and
 * level, and mono is still their mean sample for sample. */
static void
test_stereo_resampled (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "stereo-44100.wav", NULL);
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_auto(Decoded) d = { NULL, };
  const float *mono, *inter;
  gsize n;
  g_autofree float *left = NULL;

  write_stereo_wav (path, 44100, 44100 * 2, left_sine, right_sine);
  decoder = decode_all (path, &d);
  g_assert_cmpuint (d.channels, ==, 2);
  n = d.mono->len;
  g_assert_cmpuint (n, ==, RATE * 2);

  mono = (const float *) d.mono->data;
  inter = (const float *) d.interleaved->data;
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (mono[i], 0.5f * (inter[2 * i] + inter[2 * i + 1]), 1e-6);

  left = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    left[i] = inter[2 * i];
  g_assert_cmpfloat_with_epsilon (zero_crossing_frequency (left, RATE / 4, n - RATE / 4), 440.0, 0.5);
  g_assert_cmpfloat_with_epsilon (rms (inter, RATE / 4, n - RATE / 4, 2), 0.5 / G_SQRT2, 0.005);
  /* Right: a 1 kHz sine of 0.25 under a -0.125 offset. */
  g_assert_cmpfloat_with_epsilon (rms (inter + 1, RATE / 4, n - RATE / 4, 2),
                                  sqrt (0.25 * 0.25 / 2 + 0.125 * 0.125), 0.005);
}

/* A file of the analysis rate decodes sample for sample (16-bit PCM). */
static void
test_wav_exact (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "exact.wav", NULL);
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_auto(Decoded) d = { NULL, };
  g_autofree float *x = NULL;
  gsize n;

  x = cochlea_test_sine (1234.5, 0.7, RATE, 1.0, &n);
  cochlea_test_write_wav (path, x, n, RATE, 1);
  decoder = decode_all (path, &d);
  g_assert_cmpuint (d.mono->len, ==, n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (g_array_index (d.mono, float, i), quantise (x[i]), 1e-6);
}

/* The errors a caller can act on, at the engine level (the CLI tests check
 * the same through the command line). */
static void
test_open_errors (void)
{
  g_autofree char *missing = g_build_filename (tmpdir, "no-such-file.wav", NULL);
  g_autofree char *empty = g_build_filename (tmpdir, "empty.wav", NULL);
  g_autofree char *text = g_build_filename (tmpdir, "text.mp3", NULL);
  struct { const char *path; int code; } cases[] = {
    { missing, COCHLEA_ENGINE_ERROR_NOT_FOUND },
    { tmpdir, COCHLEA_ENGINE_ERROR_INVALID_FILE },
    { empty, COCHLEA_ENGINE_ERROR_INVALID_FILE },
    { text, COCHLEA_ENGINE_ERROR_INVALID_FILE },
  };

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (text, "This is a text file, not an MP3.\n", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CochleaDecoder) decoder = cochlea_decoder_new (cases[i].path, RATE, NULL, &error);
      g_autofree char *base = g_path_get_basename (cases[i].path);

      g_assert_null (decoder);
      g_assert_error (error, COCHLEA_ENGINE_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
      /* The message names the file. */
      g_assert_nonnull (strstr (error->message, base));
    }
}

static void
test_cancel_before_open (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "cancel-open.wav", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_autofree float *x = NULL;
  gsize n;

  x = cochlea_test_sine (440, 0.5, RATE, 0.5, &n);
  cochlea_test_write_wav (path, x, n, RATE, 1);
  g_cancellable_cancel (cancellable);
  decoder = cochlea_decoder_new (path, RATE, cancellable, &error);
  g_assert_null (decoder);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

typedef struct
{
  GMutex        lock;
  GCond         cond;
  gboolean      go;
  GCancellable *cancellable;
} Canceller;

static gpointer
canceller_thread (gpointer data)
{
  Canceller *c = data;

  g_mutex_lock (&c->lock);
  while (!c->go)
    g_cond_wait (&c->cond, &c->lock);
  g_mutex_unlock (&c->lock);
  g_cancellable_cancel (c->cancellable);
  return NULL;
}

/* Cancelled from another thread while a read of the whole rest of a long
 * file is in progress: the read gives up with G_IO_ERROR_CANCELLED instead
 * of finishing the file, and the decoder can still be freed. */
static void
test_cancel_mid_file (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "long.wav", NULL);
  g_autofree char *description = NULL;
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_autoptr(GError) error = NULL;
  const double seconds = 600;
  const gsize total = (gsize) (seconds * RATE);
  g_autofree float *mono = g_new (float, total);
  Canceller c = { 0, };
  GThread *thread;
  gssize n;

  /* Ten minutes at 8 kHz: cheap to write, and resampling it to 22.05 kHz
   * takes far longer than a thread takes to wake up. */
  description = g_strdup_printf ("audiotestsrc wave=sine freq=440 num-buffers=%d samplesperbuffer=8000 "
                                 "! audio/x-raw,format=S16LE,rate=8000,channels=1 "
                                 "! wavenc ! filesink location=\"%s\"",
                                 (int) seconds, path);
  run_pipeline (description);

  c.cancellable = g_cancellable_new ();
  g_mutex_init (&c.lock);
  g_cond_init (&c.cond);

  decoder = cochlea_decoder_new (path, RATE, c.cancellable, &error);
  g_assert_no_error (error);

  /* Some audio first, so the cancellation lands mid-file. */
  n = cochlea_decoder_read (decoder, mono, NULL, RATE, c.cancellable, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, RATE);

  thread = g_thread_new ("canceller", canceller_thread, &c);
  g_mutex_lock (&c.lock);
  c.go = TRUE;
  g_cond_signal (&c.cond);
  g_mutex_unlock (&c.lock);

  n = cochlea_decoder_read (decoder, mono, NULL, total, c.cancellable, &error);
  g_thread_join (thread);

  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cochlea_decoder_get_position (decoder), <, total);

  /* Stays cancelled. */
  g_clear_error (&error);
  n = cochlea_decoder_read (decoder, mono, NULL, RATE, c.cancellable, &error);
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_pointer (&decoder, cochlea_decoder_free);
  g_object_unref (c.cancellable);
  g_mutex_clear (&c.lock);
  g_cond_clear (&c.cond);
}

/* The extension is not trusted: an Ogg Vorbis file named .mp3 (or with no
 * extension at all) decodes by its content. */
static void
test_misnamed (void)
{
  g_autofree char *ogg = g_build_filename (tmpdir, "really-ogg.mp3", NULL);
  g_autofree char *bare = g_build_filename (tmpdir, "no-extension", NULL);
  const char *paths[] = { ogg, bare };

  encode_sine (ogg, "vorbisenc ! oggmux", 44100, 1.0);
  encode_sine (bare, "flacenc", 44100, 1.0);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(CochleaDecoder) decoder = NULL;
      g_auto(Decoded) d = { NULL, };

      decoder = decode_all (paths[i], &d);
      g_assert_cmpfloat (fabs ((double) d.mono->len - RATE), <=, 0.005 * RATE);
      g_assert_cmpstr (cochlea_decoder_get_tags (decoder)->title, ==, "Test Title");
    }
}

typedef struct
{
  const char *path;
  GArray     *mono;   /* filled by the thread */
} DecodeJob;

static gpointer
decode_thread (gpointer data)
{
  DecodeJob *job = data;
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_auto(Decoded) d = { NULL, };

  decoder = decode_all (job->path, &d);
  job->mono = g_array_ref (d.mono);
  return NULL;
}

/* Decoders are independent: several threads decoding at once (the same
 * file and different ones) get exactly what one thread gets alone. */
static void
test_threads (void)
{
  g_autofree char *flac = g_build_filename (tmpdir, "threads.flac", NULL);
  g_autofree char *opus = g_build_filename (tmpdir, "threads.opus", NULL);
  DecodeJob jobs[6];
  GThread *threads[G_N_ELEMENTS (jobs)];
  GArray *reference[2];

  encode_sine (flac, "flacenc", 44100, 1.5);
  encode_sine (opus, "opusenc ! oggmux", 48000, 1.5);

  for (guint i = 0; i < 2; i++)
    {
      DecodeJob alone = { i == 0 ? flac : opus, NULL };
      decode_thread (&alone);
      reference[i] = alone.mono;
    }

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      jobs[i].path = i % 2 == 0 ? flac : opus;
      jobs[i].mono = NULL;
      threads[i] = g_thread_new ("decode", decode_thread, &jobs[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      GArray *ref = reference[i % 2];

      g_thread_join (threads[i]);
      g_assert_cmpuint (jobs[i].mono->len, ==, ref->len);
      g_assert_cmpmem (jobs[i].mono->data, jobs[i].mono->len * sizeof (float),
                       ref->data, ref->len * sizeof (float));
      g_array_unref (jobs[i].mono);
    }
  g_array_unref (reference[0]);
  g_array_unref (reference[1]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  tmpdir = cochlea_test_tmpdir ();

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("/decoder/format/%s", formats[i].name);
      g_test_add_data_func (name, &formats[i], test_format);
    }
  g_test_add_func ("/decoder/wav-exact", test_wav_exact);
  g_test_add_func ("/decoder/stereo/exact", test_stereo_exact);
  g_test_add_func ("/decoder/stereo/resampled", test_stereo_resampled);
  g_test_add_func ("/decoder/open-errors", test_open_errors);
  g_test_add_func ("/decoder/cancel/before-open", test_cancel_before_open);
  g_test_add_func ("/decoder/cancel/mid-file", test_cancel_mid_file);
  g_test_add_func ("/decoder/misnamed", test_misnamed);
  g_test_add_func ("/decoder/threads", test_threads);

  return g_test_run ();
}
