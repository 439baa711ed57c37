/* cochlea-index-file.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file, little-endian, every section at a multiple of 64 bytes:
 *
 *   0  "COCHIDX\0"            8   format version          12  0x01020304
 *  16  header bytes          20   sections                24  file bytes
 *  32  catalogue generation  40   catalogue uuid (32 hex, NUL-padded to 48)
 *  88  content model (NUL-padded, 64)
 * 152  dim, rows, timbre stride, sketch dim, sample rows, analysis version,
 *      features version, attributes (8 × u32)
 * 184  timbre offset (20 floats)
 * 264  checksum of the header (this field zeroed)
 * 272  sections × { tag, element bytes, offset, bytes, checksum } (32 bytes)
 *
 * followed by the sections ('NAME': the interned names; the rest:
 * CochleaIndex's arrays as the scan reads them, mapped, not copied).  Each
 * section's checksum (Fletcher-style sums over 32-bit words in 16 lanes,
 * not cryptographic) is checked on open, so a file that was truncated or
 * damaged is never used.
 */
#define G_LOG_DOMAIN "cochlea-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cochlea-analysis.h"
#include "cochlea-catalogue-private.h"
#include "cochlea-features.h"
#include "cochlea-index-file.h"
#include "cochlea-recommend-private.h"

#define MAGIC          "COCHIDX"
#define ALIGN          64
#define OFF_CHECKSUM   264
#define OFF_SECTIONS   272
#define SECTION_BYTES  32
#define MODEL_MAX      64
#define TAG_NAMES      ((guint32) 'N' | (guint32) 'A' << 8 | (guint32) 'M' << 16 | (guint32) 'E' << 24)

G_STATIC_ASSERT (G_BYTE_ORDER == G_LITTLE_ENDIAN || G_BYTE_ORDER == G_BIG_ENDIAN);

static gsize
align_up (gsize n)
{
  return (n + ALIGN - 1) / ALIGN * ALIGN;
}

/* Sums over the 32-bit words of @data, zero-padded to 64 bytes. */
static guint64
checksum (const guint8 *data,
          gsize         len)
{
  guint64 a[16] = { 0 }, b[16] = { 0 }, h = 0x9e3779b97f4a7c15ull ^ len;
  guint8 tail[64] = { 0 };
  gsize full = len / 64 * 64;

  for (gsize o = 0; o < full; o += 64)
    {
      guint32 w[16];
      memcpy (w, data + o, 64);
      for (int l = 0; l < 16; l++)
        {
          a[l] += w[l];
          b[l] += a[l];
        }
    }
  if (len > full)
    {
      guint32 w[16];
      memcpy (tail, data + full, len - full);
      memcpy (w, tail, 64);
      for (int l = 0; l < 16; l++)
        {
          a[l] += w[l];
          b[l] += a[l];
        }
    }
  for (int l = 0; l < 16; l++)
    {
      h = (h ^ a[l]) * 0x100000001b3ull;
      h = (h ^ b[l]) * 0x100000001b3ull;
      h ^= h >> 29;
    }
  return h;
}

static void
put32 (guint8 *p,
       guint32 v)
{
  v = GUINT32_TO_LE (v);
  memcpy (p, &v, 4);
}

static void
put64 (guint8 *p,
       guint64 v)
{
  v = GUINT64_TO_LE (v);
  memcpy (p, &v, 8);
}

static guint32
get32 (const guint8 *p)
{
  guint32 v;
  memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static guint64
get64 (const guint8 *p)
{
  guint64 v;
  memcpy (&v, p, 8);
  return GUINT64_FROM_LE (v);
}

gboolean
cochlea_catalogue_get_stamp (CochleaCatalogue      *catalogue,
                             CochleaCatalogueStamp *stamp,
                             GError               **error)
{
  sqlite3 *db = _cochlea_catalogue_get_db (catalogue);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  memset (stamp, 0, sizeof *stamp);
  rc = sqlite3_prepare_v2 (db, "SELECT value, uuid FROM generation WHERE id = 1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _cochlea_catalogue_set_error (catalogue, error, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                                    "reading the catalogue's generation");
      return FALSE;
    }
  stamp->generation = sqlite3_column_int64 (stmt, 0);
  g_strlcpy (stamp->uuid, (const char *) sqlite3_column_text (stmt, 1), sizeof stamp->uuid);
  return TRUE;
}

char *
cochlea_index_file_path_for (const char *catalogue_path)
{
  return g_strconcat (catalogue_path, ".index", NULL);
}

static gboolean
write_all (int           fd,
           const void   *data,
           gsize         len,
           const char   *path,
           GError      **error)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gssize w = write (fd, p, MIN (len, (gsize) 1 << 30));
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        {
          int e = w < 0 ? errno : ENOSPC;
          g_autofree char *display = g_filename_display_name (path);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                       "%s: cannot write the index: %s", display, g_strerror (e));
          return FALSE;
        }
      p += w;
      len -= w;
    }
  return TRUE;
}

gboolean
cochlea_index_file_save (CochleaIndex                *index,
                         const CochleaCatalogueStamp *stamp,
                         const char                  *path,
                         GError                     **error)
{
  CochleaIndexSection sections[COCHLEA_INDEX_MAX_SECTIONS];
  CochleaIndexShape shape;
  g_autoptr(GBytes) names = _cochlea_index_dup_names (index);
  g_autofree guint8 *header = NULL;
  g_autofree char *tmp = g_strconcat (path, ".XXXXXX", NULL);
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *dir = g_path_get_dirname (path);
  static const guint8 zeros[ALIGN] = { 0 };
  const char *model = cochlea_index_get_model (index);
  guint n_sections, n_all;
  gsize header_bytes, offset;
  int fd;

  if (G_BYTE_ORDER != G_LITTLE_ENDIAN)
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INDEX_INVALID,
                   "%s: index files are written on little-endian machines only", display);
      return FALSE;
    }
  if (model != NULL && strlen (model) >= MODEL_MAX)
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INDEX_INVALID,
                   "%s: the model name is too long for an index file", display);
      return FALSE;
    }

  _cochlea_index_get_shape (index, &shape);
  n_sections = _cochlea_index_get_sections (index, sections);
  n_all = n_sections + 1;
  header_bytes = align_up (OFF_SECTIONS + (gsize) SECTION_BYTES * n_all);
  header = g_malloc0 (header_bytes);

  memcpy (header, MAGIC, sizeof MAGIC);
  put32 (header + 8, COCHLEA_INDEX_FILE_VERSION);
  put32 (header + 12, 0x01020304);
  put32 (header + 16, (guint32) header_bytes);
  put32 (header + 20, n_all);
  put64 (header + 32, (guint64) stamp->generation);
  memcpy (header + 40, stamp->uuid, strnlen (stamp->uuid, 32));
  if (model != NULL)
    memcpy (header + 88, model, strlen (model));
  put32 (header + 152, shape.dim);
  put32 (header + 156, shape.n);
  put32 (header + 160, shape.timbre_stride);
  put32 (header + 164, shape.sketch_dim);
  put32 (header + 168, shape.n_sample);
  put32 (header + 172, COCHLEA_ANALYSIS_VERSION);
  put32 (header + 176, COCHLEA_FEATURES_VERSION);
  put32 (header + 180, COCHLEA_N_ATTRIBUTES);
  for (int i = 0; i < COCHLEA_TIMBRE_N_MFCC; i++)
    {
      guint32 u;
      memcpy (&u, &shape.timbre_offset[i], 4);
      put32 (header + 184 + 4 * i, u);
    }

  offset = header_bytes;
  for (guint i = 0; i < n_all; i++)
    {
      guint8 *e = header + OFF_SECTIONS + (gsize) SECTION_BYTES * i;
      const guint8 *data;
      gsize bytes;
      guint32 tag, elem;

      if (i == 0)
        {
          tag = TAG_NAMES, elem = 1;
          data = g_bytes_get_data (names, &bytes);
        }
      else
        {
          const CochleaIndexSection *s = &sections[i - 1];
          tag = s->tag, elem = s->elem_size;
          data = *s->field;
          bytes = (gsize) s->count * s->elem_size;
        }
      put32 (e, tag);
      put32 (e + 4, elem);
      put64 (e + 8, offset);
      put64 (e + 16, bytes);
      put64 (e + 24, checksum (data, bytes));
      offset += align_up (bytes);
    }
  put64 (header + 24, offset);
  put64 (header + OFF_CHECKSUM, checksum (header, header_bytes));

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "%s: cannot write the index: %s", display, g_strerror (e));
      return FALSE;
    }
  if (!write_all (fd, header, header_bytes, path, error))
    goto fail;
  for (guint i = 0; i < n_all; i++)
    {
      const guint8 *e = header + OFF_SECTIONS + (gsize) SECTION_BYTES * i;
      gsize bytes = get64 (e + 16);
      const void *data = i == 0 ? g_bytes_get_data (names, NULL) : *sections[i - 1].field;

      if (bytes > 0 && !write_all (fd, data, bytes, path, error))
        goto fail;
      if (align_up (bytes) > bytes && !write_all (fd, zeros, align_up (bytes) - bytes, path, error))
        goto fail;
    }
  if (fsync (fd) != 0)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "%s: cannot write the index: %s", display, g_strerror (e));
      goto fail;
    }
  close (fd);
  fd = -1;
  if (g_rename (tmp, path) != 0)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "%s: cannot write the index: %s", display, g_strerror (e));
      goto fail;
    }
  /* The rename itself survives a crash once the folder is synced. */
  fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
  return TRUE;

fail:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  return FALSE;
}

typedef struct
{
  void  *data;
  gsize  len;
} Mapping;

static void
mapping_free (gpointer data)
{
  Mapping *m = data;

  munmap (m->data, m->len);
  g_free (m);
}

static gboolean
invalid (GError    **error,
         const char *path,
         const char *what)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INDEX_INVALID,
               "%s: not a usable index file (%s)", display, what);
  return FALSE;
}

/* Checks the header against the file's size and this program; the
 * sections' checksums are checked by the caller. */
static gboolean
check_header (const guint8 *p,
              gsize         size,
              const char   *path,
              GError      **error)
{
  g_autofree guint8 *copy = NULL;
  gsize header_bytes;
  guint n_sections;

  if (size < OFF_SECTIONS || memcmp (p, MAGIC, sizeof MAGIC) != 0)
    return invalid (error, path, "no index header");
  if (get32 (p + 8) != COCHLEA_INDEX_FILE_VERSION)
    return invalid (error, path, "another format version");
  if (get32 (p + 12) != 0x01020304 || G_BYTE_ORDER != G_LITTLE_ENDIAN)
    return invalid (error, path, "another byte order");
  header_bytes = get32 (p + 16);
  n_sections = get32 (p + 20);
  if (n_sections < 1 || n_sections > COCHLEA_INDEX_MAX_SECTIONS + 1 ||
      header_bytes != align_up (OFF_SECTIONS + (gsize) SECTION_BYTES * n_sections) ||
      header_bytes > size)
    return invalid (error, path, "damaged header");
  if (get64 (p + 24) != size)
    return invalid (error, path, size < get64 (p + 24) ? "truncated" : "wrong size");
  copy = g_memdup2 (p, header_bytes);
  put64 (copy + OFF_CHECKSUM, 0);
  if (checksum (copy, header_bytes) != get64 (p + OFF_CHECKSUM))
    return invalid (error, path, "damaged header");
  if (get32 (p + 172) != COCHLEA_ANALYSIS_VERSION || get32 (p + 176) != COCHLEA_FEATURES_VERSION ||
      get32 (p + 180) != COCHLEA_N_ATTRIBUTES || get32 (p + 160) != (COCHLEA_TIMBRE_TERMS + 7) / 8 * 8 ||
      get32 (p + 164) != COCHLEA_SKETCH_DIM || p[88 + MODEL_MAX - 1] != '\0' || p[40 + 32] != '\0')
    return invalid (error, path, "made by another version");
  return TRUE;
}

CochleaIndex *
cochlea_index_file_open (const char                  *path,
                         const CochleaCatalogueStamp *stamp,
                         GError                     **error)
{
  g_autoptr(CochleaIndex) index = NULL;
  CochleaIndexSection sections[COCHLEA_INDEX_MAX_SECTIONS];
  CochleaIndexShape shape = { 0 };
  g_autofree char *display = g_filename_display_name (path);
  const guint8 *p, *names = NULL;
  gsize names_len = 0, header_bytes;
  guint n_sections, n_wanted;
  Mapping *m;
  struct stat st;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: %s", display, g_strerror (e));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size < OFF_SECTIONS)
    {
      close (fd);
      invalid (error, path, "too short");
      return NULL;
    }
  m = g_new0 (Mapping, 1);
  m->len = st.st_size;
  m->data = mmap (NULL, m->len, PROT_READ, MAP_SHARED, fd, 0);
  close (fd);
  if (m->data == MAP_FAILED)
    {
      int e = errno;
      g_free (m);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: %s", display, g_strerror (e));
      return NULL;
    }
  p = m->data;
  if (!check_header (p, m->len, path, error))
    {
      mapping_free (m);
      return NULL;
    }
  if (stamp != NULL &&
      ((gint64) get64 (p + 32) != stamp->generation || strncmp ((const char *) p + 40, stamp->uuid, 33) != 0))
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INDEX_STALE,
                   "%s: built from another state of the catalogue", display);
      mapping_free (m);
      return NULL;
    }

  header_bytes = get32 (p + 16);
  n_sections = get32 (p + 20);
  for (guint i = 0; i < n_sections; i++)
    {
      const guint8 *e = p + OFF_SECTIONS + (gsize) SECTION_BYTES * i;
      guint64 offset = get64 (e + 8), bytes = get64 (e + 16);
      if (offset < header_bytes || offset % ALIGN != 0 || offset > m->len || bytes > m->len - offset ||
          checksum (p + offset, bytes) != get64 (e + 24))
        {
          mapping_free (m);
          invalid (error, path, "damaged data");
          return NULL;
        }
      if (get32 (e) == TAG_NAMES)
        {
          names = p + offset;
          names_len = bytes;
        }
    }
  if (names == NULL || (names_len > 0 && names[names_len - 1] != '\0'))
    {
      mapping_free (m);
      invalid (error, path, "damaged names");
      return NULL;
    }

  shape.dim = get32 (p + 152);
  shape.n = get32 (p + 156);
  shape.timbre_stride = get32 (p + 160);
  shape.sketch_dim = get32 (p + 164);
  shape.n_sample = get32 (p + 168);
  for (int i = 0; i < COCHLEA_TIMBRE_N_MFCC; i++)
    {
      guint32 u = get32 (p + 184 + 4 * i);
      memcpy (&shape.timbre_offset[i], &u, 4);
    }
  if (shape.dim == 0 || shape.n_sample > shape.n)
    {
      mapping_free (m);
      invalid (error, path, "damaged header");
      return NULL;
    }

  /* The index owns the mapping from here on. */
  index = _cochlea_index_new_adopting (p[88] != '\0' ? (const char *) p + 88 : NULL, &shape,
                                       (const char *) names, names_len, m, mapping_free);
  n_wanted = _cochlea_index_get_sections (index, sections);
  for (guint i = 0; i < n_sections; i++)
    {
      const guint8 *e = p + OFF_SECTIONS + (gsize) SECTION_BYTES * i;
      guint32 tag = get32 (e), elem = get32 (e + 4);
      guint64 offset = get64 (e + 8), bytes = get64 (e + 16);
      gboolean known = tag == TAG_NAMES;

      for (guint j = 0; j < n_wanted && !known; j++)
        if (sections[j].tag == tag)
          {
            if (sections[j].elem_size != elem || sections[j].count * elem != bytes ||
                *sections[j].field != NULL)
              break;
            if (bytes > 0)
              *sections[j].field = (gpointer) (p + offset);
            known = TRUE;
          }
      if (!known)
        {
          invalid (error, path, "unexpected section");
          return NULL;
        }
    }
  if (!_cochlea_index_adopt_done (index))
    {
      invalid (error, path, "inconsistent sections");
      return NULL;
    }
  return g_steal_pointer (&index);
}

CochleaIndex *
cochlea_index_load_cached (CochleaCatalogue   *catalogue,
                           CochleaIndexOrigin *origin,
                           GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  CochleaCatalogueStamp before, after;
  CochleaIndex *index;
  sqlite3 *db = _cochlea_catalogue_get_db (catalogue);
  gboolean own_transaction;

  if (origin != NULL)
    *origin = COCHLEA_INDEX_BUILT;
  if (g_strcmp0 (g_getenv ("COCHLEA_INDEX_FILE"), "off") == 0 ||
      cochlea_catalogue_get_path (catalogue) == NULL)
    return cochlea_index_load (catalogue, error);

  path = cochlea_index_file_path_for (cochlea_catalogue_get_path (catalogue));
  /* One read transaction: the stamp is that of the rows loaded. */
  own_transaction = sqlite3_get_autocommit (db) && sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
  if (!cochlea_catalogue_get_stamp (catalogue, &before, &local_error))
    {
      /* an older schema cannot say which state it is in: no file */
      g_debug ("%s", local_error->message);
      g_clear_error (&local_error);
      if (own_transaction)
        sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      return cochlea_index_load (catalogue, error);
    }

  index = cochlea_index_file_open (path, &before, &local_error);
  if (index != NULL)
    {
      if (own_transaction)
        sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      if (origin != NULL)
        *origin = COCHLEA_INDEX_FROM_FILE;
      return index;
    }
  if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_debug ("rebuilding the index: %s", local_error->message);
  g_clear_error (&local_error);

  index = cochlea_index_load (catalogue, error);
  if (own_transaction)
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (index == NULL)
    return NULL;
  /* Without our own read transaction, only a stamp unchanged across the
   * load says which state the rows were read in. */
  if (cochlea_index_get_size (index) == 0 ||
      (!own_transaction && (!cochlea_catalogue_get_stamp (catalogue, &after, NULL) ||
                            after.generation != before.generation)))
    return index;
  if (!cochlea_index_file_save (index, &before, path, &local_error))
    {
      g_debug ("not saving the index: %s", local_error->message);
      return index;
    }
  if (origin != NULL)
    *origin = COCHLEA_INDEX_BUILT_SAVED;
  return index;
}
