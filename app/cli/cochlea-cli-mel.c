/* cochlea-cli-mel.c — `cochlea-cli mel FILE -o OUT.npy`
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cochlea-engine.h"
#include "cochlea-cli-private.h"

#define BLOCK_FRAMES 8192

typedef struct
{
  CochleaNpyWriter *writer;
  GError           *error;   /* first write error; later frames are dropped */
} MelSink;

static void
frame_cb (const float *mel_db,
          const float *power,
          gint64       index,
          gpointer     user_data)
{
  MelSink *sink = user_data;

  if (sink->error == NULL)
    cochlea_npy_writer_append (sink->writer, mel_db, &sink->error);
}

/* Streams decode → log-mel → .npy without holding the signal or the
 * spectrogram: memory stays flat whatever the file's length. */
static gboolean
write_mel (const char  *input,
           const char  *output,
           GError     **error)
{
  GCancellable *cancellable = cochlea_cli_get_cancellable ();
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_autoptr(CochleaMel) mel = NULL;
  g_autoptr(CochleaNpyWriter) writer = NULL;
  g_autofree float *mono = g_new (float, BLOCK_FRAMES);
  CochleaMelParams params;
  MelSink sink = { NULL, NULL };
  gint64 total = 0;
  gssize n;

  cochlea_mel_params_init_default (&params);
  if (!(mel = cochlea_mel_new (&params, error)))
    return FALSE;
  if (!(decoder = cochlea_decoder_new (input, params.sample_rate, cancellable, error)))
    return FALSE;
  if (!(writer = cochlea_npy_writer_new (output, params.n_mels, error)))
    return FALSE;
  sink.writer = writer;

  while ((n = cochlea_decoder_read (decoder, mono, NULL, BLOCK_FRAMES, cancellable, error)) > 0)
    {
      cochlea_mel_push (mel, mono, n, frame_cb, &sink);
      total += n;
      if (sink.error != NULL)
        {
          g_propagate_error (error, sink.error);
          return FALSE;
        }
    }
  if (n < 0)
    return FALSE;

  if (total == 0)
    {
      g_autofree char *name = g_filename_display_name (input);
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_NO_AUDIO,
                   "%s: decoded to no audio at all (empty or corrupt stream)", name);
      return FALSE;
    }

  cochlea_mel_finish (mel, frame_cb, &sink);
  if (sink.error != NULL)
    {
      g_propagate_error (error, sink.error);
      return FALSE;
    }

  return cochlea_npy_writer_commit (writer, error);
}

/* Checks where the result is to go before spending a decode on it. */
static gboolean
check_output (const char  *input,
              const char  *output,
              GError     **error)
{
  g_autofree char *display = g_filename_display_name (output);
  g_autofree char *dir = g_path_get_dirname (output);
  g_autofree char *dir_display = g_filename_display_name (dir);
  GStatBuf in_st, out_st;

  /* `mel song.mp3 -o song.mp3` would replace the song with its array. */
  if (g_stat (input, &in_st) == 0 && g_stat (output, &out_st) == 0 &&
      in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_IO,
                   "cannot write %s: it is the input file", display);
      return FALSE;
    }

  if (g_file_test (output, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_IO,
                   "cannot write %s: it is a directory", display);
      return FALSE;
    }
  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_IO,
                   "cannot write %s: directory “%s” does not exist", display, dir_display);
      return FALSE;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_IO,
                   "cannot write %s: “%s” is not a directory", display, dir_display);
      return FALSE;
    }
  return TRUE;
}

int
cochlea_cli_mel (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the array to OUT.npy"), N_("OUT.npy") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE") },
    { NULL }
  };

  /* The usage line reads “cochlea-cli mel [OPTION…] FILE”. */
  g_set_prgname ("cochlea-cli mel");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    _("Writes the log-mel-spectrogram of one audio file.\n\n"
      "Decodes FILE to mono 22050 Hz and writes its log-mel-spectrogram as a\n"
      "NumPy .npy file: float32 little-endian, shape (frames, 128), C order,\n"
      "values in dB (10·log10 of mel power, floor 1e-10).  See docs/cli.md."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cochlea_cli_parse (context, &argc, &argv))
    return CLI_EXIT_USAGE;

  if (files == NULL || g_strv_length (files) != 1 || output == NULL)
    {
      g_printerr ("cochlea-cli mel: %s\n", _("expected exactly one FILE and -o OUT.npy"));
      return CLI_EXIT_USAGE;
    }

  if (!check_output (files[0], output, &error))
    {
      g_printerr ("cochlea-cli mel: %s\n", error->message);
      return CLI_EXIT_FAILED;
    }

  if (!write_mel (files[0], output, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *input = g_filename_display_name (files[0]);
          g_autofree char *display = g_filename_display_name (output);

          g_printerr ("cochlea-cli mel: %s: interrupted; %s was not written\n", input, display);
        }
      else
        g_printerr ("cochlea-cli mel: %s\n", error->message);
      return CLI_EXIT_FAILED;
    }
  return CLI_EXIT_OK;
}
