/* cochlea-demo-names.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's corpus generator writes WAV files named 00000.wav … with no
 * tags (the training corpus must not change), so the demo library names its
 * songs here, after they are composed.  GStreamer's wavparse reads a LIST/INFO
 * chunk before the data chunk as title (INAM), artist (IART) and album (IPRD).
 */
#define G_LOG_DOMAIN "cochlea-jobs"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "cochlea-demo-names.h"

static const char * const artists[] = {
  "The Demo Ensemble",
  "Cochlea Quartet",
  "The Fourier Sisters",
  "Hop Length Trio",
  "Nyquist & Friends",
  "Mel Band Orchestra",
};

void
cochlea_demo_names_for_labels (const char  *key_name,
                               double       tempo,
                               const char  *style,
                               const char  *song_seed,
                               guint        index,
                               char       **title,
                               char       **artist,
                               char       **album)
{
  guint64 seed = song_seed != NULL ? g_ascii_strtoull (song_seed, NULL, 16) : index;
  const char *form;

  if (tempo <= 0)
    form = "Interlude";
  else if (tempo < 80)
    form = "Nocturne";
  else if (tempo < 100)
    form = "Ballad";
  else if (tempo < 120)
    form = "Serenade";
  else if (tempo < 140)
    form = "Dance";
  else if (tempo < 160)
    form = "Caprice";
  else
    form = "Toccata";

  if (key_name != NULL && tempo > 0)
    *title = g_strdup_printf ("%s in %s, %.0f BPM", form, key_name, tempo);
  else if (tempo > 0)
    *title = g_strdup_printf ("%s, %.0f BPM", form, tempo);
  else
    *title = g_strdup_printf ("%s No. %u", form, index + 1);

  *artist = g_strdup (artists[seed % G_N_ELEMENTS (artists)]);

  if (g_strcmp0 (style, "acoustic") == 0)
    *album = g_strdup ("Wood and Strings");
  else if (g_strcmp0 (style, "electronic") == 0)
    *album = g_strdup ("Oscillator Dreams");
  else if (g_strcmp0 (style, "mixed") == 0)
    *album = g_strdup ("Between Worlds");
  else
    *album = g_strdup ("Demo Sessions");
}

static guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static void
append_le32 (GByteArray *out,
             guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };

  g_byte_array_append (out, b, 4);
}

static void
append_info (GByteArray *out,
             const char *id,
             const char *value)
{
  guint32 len = (guint32) strlen (value) + 1;   /* with its NUL */
  static const guint8 zero = 0;

  g_byte_array_append (out, (const guint8 *) id, 4);
  append_le32 (out, len);
  g_byte_array_append (out, (const guint8 *) value, len);
  if (len & 1)
    g_byte_array_append (out, &zero, 1);
}

/* Returns a new WAV with the LIST chunk before "data", NULL if @wav already
 * has a LIST chunk, or NULL with @error set if it is not a WAV we wrote. */
static GByteArray *
wav_with_info (const char    *path,
               const guint8  *wav,
               gsize          len,
               const char    *title,
               const char    *artist,
               const char    *album,
               GError       **error)
{
  g_autoptr(GByteArray) list = g_byte_array_new ();
  g_autoptr(GByteArray) out = NULL;
  gsize pos = 12, data_pos = 0;

  if (len < 12 || memcmp (wav, "RIFF", 4) != 0 || memcmp (wav + 8, "WAVE", 4) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "“%s” is not a RIFF WAVE file", path);
      return NULL;
    }

  while (pos + 8 <= len)
    {
      guint32 size = read_le32 (wav + pos + 4);

      if (memcmp (wav + pos, "LIST", 4) == 0)
        return NULL;   /* named already */
      if (memcmp (wav + pos, "data", 4) == 0 && data_pos == 0)
        data_pos = pos;
      if ((guint64) pos + 8 + size + (size & 1) > len)
        break;
      pos += 8 + size + (size & 1);
    }

  if (data_pos == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "“%s” has no data chunk", path);
      return NULL;
    }

  g_byte_array_append (list, (const guint8 *) "INFO", 4);
  append_info (list, "INAM", title);
  append_info (list, "IART", artist);
  append_info (list, "IPRD", album);

  out = g_byte_array_sized_new (len + list->len + 8);
  g_byte_array_append (out, wav, data_pos);
  g_byte_array_append (out, (const guint8 *) "LIST", 4);
  append_le32 (out, list->len);
  g_byte_array_append (out, list->data, list->len);
  g_byte_array_append (out, wav + data_pos, len - data_pos);
  /* RIFF size: everything after the first 8 bytes */
  out->data[4] = (out->len - 8) & 0xff;
  out->data[5] = ((out->len - 8) >> 8) & 0xff;
  out->data[6] = ((out->len - 8) >> 16) & 0xff;
  out->data[7] = ((out->len - 8) >> 24) & 0xff;
  return g_steal_pointer (&out);
}

static gboolean
name_song (const char  *dir,
           guint        index,
           GError     **error)
{
  g_autofree char *json_path = g_strdup_printf ("%s/%05u.json", dir, index);
  g_autofree char *wav_path = g_strdup_printf ("%s/%05u.wav", dir, index);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *artist = NULL;
  g_autofree char *album = NULL;
  g_autofree char *wav = NULL;
  g_autoptr(GByteArray) named = NULL;
  JsonObject *labels;
  gsize len;

  if (!json_parser_load_from_file (parser, json_path, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cannot read the labels “%s”: %s", json_path, local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The labels “%s” are not a JSON object", json_path);
      return FALSE;
    }
  labels = json_node_get_object (json_parser_get_root (parser));

  cochlea_demo_names_for_labels (json_object_get_string_member_with_default (labels, "key_name", NULL),
                                 json_object_get_double_member_with_default (labels, "tempo", 0),
                                 json_object_get_string_member_with_default (labels, "style", NULL),
                                 json_object_get_string_member_with_default (labels, "song_seed", NULL),
                                 index, &title, &artist, &album);

  if (!g_file_get_contents (wav_path, &wav, &len, error))
    return FALSE;
  named = wav_with_info (wav_path, (const guint8 *) wav, len, title, artist, album, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (named == NULL)
    return TRUE;   /* named already */
  return g_file_set_contents_full (wav_path, (const char *) named->data, named->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

gboolean
cochlea_demo_names_write (const char    *dir,
                          guint          n_songs,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (dir != NULL, FALSE);

  for (guint i = 0; i < n_songs; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!name_song (dir, i, error))
        return FALSE;
    }
  return TRUE;
}
