/* cochlea-playlist-io.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-store"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "cochlea-catalogue.h"
#include "cochlea-playlist-io.h"

CochleaPlaylistEntry *
cochlea_playlist_entry_new (const char *path,
                            const char *title,
                            const char *artist,
                            const char *album,
                            double      duration_s)
{
  CochleaPlaylistEntry *entry = g_new0 (CochleaPlaylistEntry, 1);

  entry->path = g_strdup (path);
  entry->title = g_strdup (title);
  entry->artist = g_strdup (artist);
  entry->album = g_strdup (album);
  entry->duration_s = duration_s;
  return entry;
}

void
cochlea_playlist_entry_free (CochleaPlaylistEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->path);
  g_free (entry->title);
  g_free (entry->artist);
  g_free (entry->album);
  g_free (entry);
}

gboolean
cochlea_playlist_format_for_file (const char             *file,
                                  CochleaPlaylistFormat  *format,
                                  GError                **error)
{
  const char *dot = strrchr (file, '.');

  if (dot != NULL && (g_ascii_strcasecmp (dot, ".m3u8") == 0 || g_ascii_strcasecmp (dot, ".m3u") == 0))
    *format = COCHLEA_PLAYLIST_M3U8;
  else if (dot != NULL && g_ascii_strcasecmp (dot, ".xspf") == 0)
    *format = COCHLEA_PLAYLIST_XSPF;
  else
    {
      g_autofree char *display = g_filename_display_name (file);
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INVALID,
                   "%s: unknown playlist format (use .m3u8 or .xspf)", display);
      return FALSE;
    }
  return TRUE;
}

char *
cochlea_playlist_relative_path (const char *dir,
                                const char *path)
{
  g_auto(GStrv) d = NULL;
  g_auto(GStrv) p = NULL;
  GString *rel;
  guint i = 0, nd, np;

  if (!g_path_is_absolute (dir) || !g_path_is_absolute (path))
    return NULL;
  d = g_strsplit (dir + 1, "/", -1);
  p = g_strsplit (path + 1, "/", -1);
  nd = g_strv_length (d);
  np = g_strv_length (p);
  if (nd > 0 && d[nd - 1][0] == '\0')
    g_clear_pointer (&d[--nd], g_free);
  /* Different top-level folders (/home vs /media): keep it absolute. */
  if (nd == 0 || np < 2 || strcmp (d[0], p[0]) != 0)
    return NULL;
  while (i < nd && i + 1 < np && strcmp (d[i], p[i]) == 0)
    i++;
  rel = g_string_new (NULL);
  for (guint j = i; j < nd; j++)
    g_string_append (rel, "../");
  for (guint j = i; j < np; j++)
    g_string_append_printf (rel, "%s%s", p[j], j + 1 < np ? "/" : "");
  return g_string_free (rel, FALSE);
}

/* A path as UTF-8 text for the file, or NULL when its name is not UTF-8. */
static char *
path_text (const char *path)
{
  return g_utf8_validate (path, -1, NULL) ? g_strdup (path) : NULL;
}

static char *
write_m3u8 (const char *dir,
            const char *name,
            GPtrArray  *entries)
{
  GString *out = g_string_new ("#EXTM3U\n");

  if (name != NULL)
    g_string_append_printf (out, "#PLAYLIST:%s\n", name);
  for (guint i = 0; i < entries->len; i++)
    {
      CochleaPlaylistEntry *e = g_ptr_array_index (entries, i);
      g_autofree char *rel = cochlea_playlist_relative_path (dir, e->path);
      g_autofree char *text = path_text (rel != NULL ? rel : e->path);

      g_string_append_printf (out, "#EXTINF:%d,", e->duration_s > 0 ? (int) lround (e->duration_s) : -1);
      if (e->artist != NULL && e->title != NULL)
        g_string_append_printf (out, "%s - %s", e->artist, e->title);
      else if (e->title != NULL)
        g_string_append (out, e->title);
      g_string_append_c (out, '\n');
      if (text != NULL)
        g_string_append_printf (out, "%s\n", text);
      else
        {
          /* Not UTF-8: a file: URI keeps the bytes, escaped. */
          g_autofree char *uri = g_filename_to_uri (e->path, NULL, NULL);
          g_string_append_printf (out, "%s\n", uri);
        }
    }
  return g_string_free (out, FALSE);
}

static void
append_element (GString    *out,
                const char *indent,
                const char *element,
                const char *text)
{
  g_autofree char *escaped = NULL;

  if (text == NULL)
    return;
  escaped = g_markup_escape_text (text, -1);
  g_string_append_printf (out, "%s<%s>%s</%s>\n", indent, element, escaped, element);
}

static char *
write_xspf (const char *dir,
            const char *name,
            GPtrArray  *entries)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                               "<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n");

  append_element (out, "  ", "title", name);
  g_string_append (out, "  <trackList>\n");
  for (guint i = 0; i < entries->len; i++)
    {
      CochleaPlaylistEntry *e = g_ptr_array_index (entries, i);
      g_autofree char *rel = cochlea_playlist_relative_path (dir, e->path);
      g_autofree char *location = NULL;

      /* A relative URI reference, percent-encoded, or a file: URI. */
      location = rel != NULL ? g_uri_escape_string (rel, "/", FALSE)
                             : g_filename_to_uri (e->path, NULL, NULL);
      g_string_append (out, "    <track>\n");
      append_element (out, "      ", "location", location);
      append_element (out, "      ", "title", e->title);
      append_element (out, "      ", "creator", e->artist);
      append_element (out, "      ", "album", e->album);
      if (e->duration_s > 0)
        g_string_append_printf (out, "      <duration>%" G_GINT64_FORMAT "</duration>\n",
                                (gint64) llround (e->duration_s * 1000));
      g_string_append (out, "    </track>\n");
    }
  g_string_append (out, "  </trackList>\n</playlist>\n");
  return g_string_free (out, FALSE);
}

gboolean
cochlea_playlist_write (const char             *file,
                        CochleaPlaylistFormat   format,
                        const char             *name,
                        GPtrArray              *entries,
                        GError                **error)
{
  g_autofree char *abs = g_canonicalize_filename (file, NULL);
  g_autofree char *dir = g_path_get_dirname (abs);
  g_autofree char *text = NULL;

  text = format == COCHLEA_PLAYLIST_M3U8 ? write_m3u8 (dir, name, entries)
                                         : write_xspf (dir, name, entries);
  /* g_file_set_contents writes a temporary file and renames it. */
  return g_file_set_contents (abs, text, -1, error);
}

static char *
resolve (const char *dir,
         const char *ref,
         gboolean    is_uri_reference)
{
  g_autofree char *joined = NULL;

  if (g_str_has_prefix (ref, "file:"))
    return g_filename_from_uri (ref, NULL, NULL);
  if (is_uri_reference)
    {
      g_autofree char *unescaped = g_uri_unescape_string (ref, NULL);
      if (unescaped == NULL)
        return NULL;
      return g_canonicalize_filename (unescaped, dir);
    }
  return g_canonicalize_filename (ref, dir);
}

static GPtrArray *
read_m3u8 (const char  *display,
           const char  *dir,
           const char  *text,
           char       **name)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cochlea_playlist_entry_free);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *title = NULL;
  double duration = -1;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize len;

      if (i == 0 && g_str_has_prefix (line, "\xef\xbb\xbf"))
        line += 3;   /* byte order mark */
      len = strlen (line);
      while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
        line[--len] = '\0';
      if (len == 0)
        continue;
      if (g_str_has_prefix (line, "#PLAYLIST:") && name != NULL && *name == NULL)
        *name = g_strdup (line + strlen ("#PLAYLIST:"));
      else if (g_str_has_prefix (line, "#EXTINF:"))
        {
          const char *comma = strchr (line, ',');
          duration = g_ascii_strtod (line + strlen ("#EXTINF:"), NULL);
          g_free (title);
          title = comma != NULL && comma[1] != '\0' ? g_strdup (comma + 1) : NULL;
        }
      else if (line[0] != '#')
        {
          g_autofree char *path = resolve (dir, line, FALSE);
          if (path != NULL)
            g_ptr_array_add (entries, cochlea_playlist_entry_new (path, title, NULL, NULL, duration));
          g_clear_pointer (&title, g_free);
          duration = -1;
        }
    }
  return g_steal_pointer (&entries);
}

typedef struct
{
  const char *dir;
  GPtrArray  *entries;
  GString    *text;
  char       *playlist_title;
  char       *location, *title, *creator, *album;
  double      duration_s;
  gboolean    in_track;
} XspfState;

static void
xspf_start (GMarkupParseContext  *context,
            const char           *element,
            const char          **names,
            const char          **values,
            gpointer              user_data,
            GError              **error)
{
  XspfState *s = user_data;

  g_string_truncate (s->text, 0);
  if (strcmp (element, "track") == 0)
    {
      s->in_track = TRUE;
      s->duration_s = -1;
    }
}

static void
xspf_end (GMarkupParseContext  *context,
          const char           *element,
          gpointer              user_data,
          GError              **error)
{
  XspfState *s = user_data;
  char **slot = NULL;

  if (strcmp (element, "track") == 0)
    {
      if (s->location != NULL)
        {
          g_autofree char *path = resolve (s->dir, s->location, TRUE);
          if (path != NULL)
            g_ptr_array_add (s->entries, cochlea_playlist_entry_new (path, s->title, s->creator,
                                                                     s->album, s->duration_s));
        }
      g_clear_pointer (&s->location, g_free);
      g_clear_pointer (&s->title, g_free);
      g_clear_pointer (&s->creator, g_free);
      g_clear_pointer (&s->album, g_free);
      s->in_track = FALSE;
      return;
    }
  if (!s->in_track)
    {
      if (strcmp (element, "title") == 0 && s->playlist_title == NULL)
        s->playlist_title = g_strdup (g_strstrip (s->text->str));
      return;
    }
  if (strcmp (element, "location") == 0)
    slot = &s->location;
  else if (strcmp (element, "title") == 0)
    slot = &s->title;
  else if (strcmp (element, "creator") == 0)
    slot = &s->creator;
  else if (strcmp (element, "album") == 0)
    slot = &s->album;
  else if (strcmp (element, "duration") == 0)
    s->duration_s = g_ascii_strtod (s->text->str, NULL) / 1000.0;
  if (slot != NULL && *slot == NULL)
    *slot = g_strdup (g_strstrip (s->text->str));
}

static void
xspf_text (GMarkupParseContext  *context,
           const char           *text,
           gsize                 len,
           gpointer              user_data,
           GError              **error)
{
  XspfState *s = user_data;

  g_string_append_len (s->text, text, len);
}

static GPtrArray *
read_xspf (const char  *display,
           const char  *dir,
           const char  *text,
           char       **name,
           GError     **error)
{
  static const GMarkupParser parser = { xspf_start, xspf_end, xspf_text, NULL, NULL };
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cochlea_playlist_entry_free);
  XspfState s = { dir, entries, g_string_new (NULL), NULL, NULL, NULL, NULL, NULL, -1, FALSE };
  GMarkupParseContext *context = g_markup_parse_context_new (&parser, 0, &s, NULL);
  gboolean ok;

  ok = g_markup_parse_context_parse (context, text, -1, error) &&
       g_markup_parse_context_end_parse (context, error);
  g_markup_parse_context_free (context);
  g_string_free (s.text, TRUE);
  g_free (s.location);
  g_free (s.title);
  g_free (s.creator);
  g_free (s.album);
  if (!ok)
    {
      g_free (s.playlist_title);
      g_prefix_error (error, "%s: not a valid XSPF playlist: ", display);
      return NULL;
    }
  if (name != NULL && *name == NULL)
    *name = s.playlist_title;
  else
    g_free (s.playlist_title);
  return g_steal_pointer (&entries);
}

GPtrArray *
cochlea_playlist_read (const char  *file,
                       char       **name,
                       GError     **error)
{
  g_autofree char *abs = g_canonicalize_filename (file, NULL);
  g_autofree char *dir = g_path_get_dirname (abs);
  g_autofree char *display = g_filename_display_name (file);
  g_autofree char *text = NULL;
  CochleaPlaylistFormat format;
  gsize len;

  if (!cochlea_playlist_format_for_file (file, &format, error))
    return NULL;
  if (!g_file_get_contents (abs, &text, &len, error))
    return NULL;
  if (!g_utf8_validate (text, len, NULL))
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INVALID,
                   "%s: not UTF-8 text", display);
      return NULL;
    }
  return format == COCHLEA_PLAYLIST_M3U8 ? read_m3u8 (display, dir, text, name)
                                         : read_xspf (display, dir, text, name, error);
}
