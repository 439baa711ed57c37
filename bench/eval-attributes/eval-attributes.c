/* eval-attributes.c — the engine's attributes with their cues, for the
 * evaluation harness (bench/eval-attributes/run-eval.sh).  Not a test.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   eval-attributes [--dump DIR] FILE…
 *
 * Prints one JSON object per line: the file's base name, the seconds
 * cochlea_analyze_file() took (decode + log-mel + attributes, wall clock),
 * every attribute, the cues they are made from, and the key each profile
 * set finds on the same chroma (to choose the default by measurement).
 * With --dump, each file's log-mel frames also go to DIR/NAME.mel.npy
 * (n_frames × 128 float32 dB), for studying the cues offline.
 */
#define G_LOG_DOMAIN "eval-attributes"

#include "config.h"

#include <gst/gst.h>
#include <stdio.h>

#include "cochlea-engine.h"
#include "dsp/cochlea-attributes.h"
#include "dsp/cochlea-key.h"

static const char *names[] = { "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B" };

static void
add_key_string (JsonBuilder *builder,
                const char  *member,
                int          key,
                int          mode)
{
  g_autofree char *s = key < 0 ? g_strdup ("X") : g_strdup_printf ("%s %s", names[key], mode ? "major" : "minor");

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, s);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *dump_dir = NULL;
  int status = 0;
  int first = 1;

  if (!gst_init_check (&argc, &argv, &error))
    {
      g_printerr ("eval-attributes: %s\n", error->message);
      return 1;
    }

  if (argc > 2 && g_str_equal (argv[1], "--dump"))
    {
      dump_dir = argv[2];
      first = 3;
    }

  for (int i = first; i < argc; i++)
    {
      g_autoptr(CochleaAnalysis) analysis = NULL;
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *base = g_path_get_basename (argv[i]);
      g_autofree char *text = NULL;
      const CochleaAttributeCues *cues;
      gint64 start = g_get_monotonic_time ();
      double seconds;

      analysis = cochlea_analyze_file (argv[i],
                                       dump_dir != NULL ? COCHLEA_ANALYZE_KEEP_SPECTROGRAM : COCHLEA_ANALYZE_NONE,
                                       NULL, NULL, NULL, &error);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      if (analysis == NULL)
        {
          g_printerr ("eval-attributes: %s\n", error->message);
          g_clear_error (&error);
          status = 1;
          continue;
        }
      cues = &analysis->attributes.cues;

      if (dump_dir != NULL && analysis->spectrogram != NULL)
        {
          const CochleaSpectrogram *spec = analysis->spectrogram;
          g_autofree char *name = g_strconcat (base, ".mel.npy", NULL);
          g_autofree char *path = g_build_filename (dump_dir, name, NULL);
          g_autoptr(CochleaNpyWriter) writer = cochlea_npy_writer_new (path, spec->n_bins, &error);
          gboolean ok = writer != NULL;

          for (gsize t = 0; ok && t < spec->n_frames; t++)
            ok = cochlea_npy_writer_append (writer, cochlea_spectrogram_get_row (spec, t), &error);
          if (!ok || !cochlea_npy_writer_commit (writer, &error))
            {
              g_printerr ("eval-attributes: %s\n", error->message);
              g_clear_error (&error);
              status = 1;
            }
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, base);
      cochlea_json_add_finite (builder, "seconds", seconds);
      cochlea_attributes_to_json (&analysis->attributes, builder);
      add_key_string (builder, "key_string", analysis->attributes.key, analysis->attributes.mode);

      json_builder_set_member_name (builder, "cues");
      json_builder_begin_object (builder);
      cochlea_json_add_finite (builder, "onset_rate", cues->onset_rate);
      cochlea_json_add_finite (builder, "pulse_strength", cues->pulse_strength);
      cochlea_json_add_finite (builder, "pulse_stability", cues->pulse_stability);
      cochlea_json_add_finite (builder, "flatness", cues->flatness);
      cochlea_json_add_finite (builder, "centroid_hz", cues->centroid_hz);
      cochlea_json_add_finite (builder, "hf_ratio", cues->hf_ratio);
      cochlea_json_add_finite (builder, "dynamic_range_db", cues->dynamic_range_db);
      cochlea_json_add_finite (builder, "harmonicity", cues->harmonicity);
      cochlea_json_add_finite (builder, "speech_modulation", cues->speech_modulation);
      cochlea_json_add_finite (builder, "pause_ratio", cues->pause_ratio);
      cochlea_json_add_finite (builder, "noise_floor", cues->noise_floor);
      cochlea_json_add_finite (builder, "tuning_cents", cues->tuning_cents);
      json_builder_set_member_name (builder, "chroma");
      json_builder_begin_array (builder);
      for (int pc = 0; pc < 12; pc++)
        json_builder_add_double_value (builder, cues->chroma[pc]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "bass_chroma");
      json_builder_begin_array (builder);
      for (int pc = 0; pc < 12; pc++)
        json_builder_add_double_value (builder, cues->bass_chroma[pc]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "profiles");
      json_builder_begin_object (builder);
      for (int p = 0; p < COCHLEA_KEY_N_PROFILES; p++)
        {
          CochleaKey key;

          cochlea_key_estimate (cues->chroma, cues->bass_chroma, p, &key);
          add_key_string (builder, cochlea_key_profile_get_name (p), key.key, key.mode);
        }
      json_builder_end_object (builder);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
      printf ("%s\n", text);
      fflush (stdout);
    }

  return status;
}
