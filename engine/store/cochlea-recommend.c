/* cochlea-recommend.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Per part X (content cosine, timbre −log (1 + SKL), rhythm cosine,
 * attributes exp (−d²/2)) of a candidate t:
 *   z_X  = (X − mean_X) / sd_X          over this query's candidates
 *   ẑ_X  = (X − μ_X(t)) / σ_X(t)        t's own, over a fixed sample (local scaling)
 *   fused = Σ W_X (z_X + ẑ_X) / 2 / Σ W_X   over the parts t has
 *   score = Φ (fused), then (1 − τ) · score + τ · taste with a taste model
 * d² = Σ w_i ((a_i − t_i) / scale_i)² / Σ w_i over attributes known on
 * both sides (key: distance on the circle of fifths).  docs/catalogue.md,
 * "Similarity", has the details and the table.
 */
#define G_LOG_DOMAIN "cochlea-store"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cochlea-catalogue-private.h"
#include "cochlea-recommend-private.h"

#ifdef G_OS_UNIX
#include <sys/mman.h>
#endif

/* A track's timbre in the index: the stored vector until finish(), then
 * the divergence's row terms padded to whole 8-lane blocks. */
#define TIMBRE_RAW    COCHLEA_TIMBRE_DIM
#define TIMBRE_STRIDE ((COCHLEA_TIMBRE_TERMS + 7) / 8 * 8)
/* The parts of the similarity, each standardised over the catalogue per
 * query before they are weighted (docs/catalogue.md, "Similarity"). */
enum
{
  CONTENT,
  TIMBRE,
  ATTRIBUTES,
  RHYTHM,
  N_COMPONENTS
};

/* Rows the exact scan re-scores from the float timbre terms per thread,
 * beyond the results' pool, after ranking with the 16-bit ones. */
#define RESCORE_ROWS 256

/* The largest error of a row's −log (1 + SKL) from its 16-bit terms (a
 * bound, not an estimate): a row that cannot promise it is read from the
 * float terms in pass 1.  Measured over 20 queries: 0.03 % of the rows of
 * a synthetic catalogue, 0.27 % with 5 % nearly singular rows, none on
 * the development set (largest error seen 2e-4). */
#define FIXED16_TOLERANCE 0.01

/* Rows of pass 1 whose dot products are taken before their logarithms. */
#define SCAN_BLOCK 32

/* Rows scanned per thread below which one thread is faster. */
#define MIN_ROWS_PER_THREAD 50000

/* The exact scan's passes hand out rows in chunks of this many, taken in
 * turn by every thread (the caller's included) from an atomic counter, so
 * a thread that runs late does less of the work; pass 1 keeps each chunk's
 * sums and adds them in chunk order, so the standardisation, and with it
 * every score, is the same whatever the number of threads. */
#define SCAN_CHUNK 4096

struct _CochleaIndex
{
  /* Owned */
  char       *model;
  float      *vectors;     /* (cap, dim), L2-normalised after finish() */
  float      *attrs;       /* (cap, COCHLEA_N_ATTRIBUTES), NAN unknown */
  gint64     *ids;         /* (cap) */
  int        *artist;      /* (cap) interned, -1 unknown */
  int        *album;       /* (cap) interned, -1 unknown */
  guint8     *has_vector;  /* (cap) */
  float      *mean;        /* (dim) standardisation, or NULL */
  float      *inv_std;     /* (dim) */
  float      *timbre_raw;  /* (cap, TIMBRE_RAW) until finish(): the stored timbre vectors */
  float      *timbre;      /* (n, TIMBRE_STRIDE) row terms of the divergence, after finish() */
  gint16     *timbre_q;    /* (n, TIMBRE_STRIDE) the same in 16-bit fixed point: what the
                            * exact scan reads for every row (half the bytes), before it
                            * re-scores its best rows from the float terms:
                            * row term j ≈ qmean[j] + qdev[j] · qscale[row] · timbre_q[row, j] */
  float      *timbre_qscale;  /* (n) */
  float      *timbre_qmean;   /* (TIMBRE_STRIDE) the catalogue's mean row terms */
  float      *timbre_qdev;    /* (TIMBRE_STRIDE) and their deviation */
  guint8     *has_timbre;  /* (cap) */
  float      *rhythm;      /* (cap, COCHLEA_RHYTHM_DIM) as stored until finish(), then each
                            * dimension z-scored over the catalogue and the row L2-normalised */
  guint8     *has_rhythm;  /* (cap) */
  float      *rhythm_mean; /* (COCHLEA_RHYTHM_DIM) the catalogue's, after finish() */
  float      *rhythm_inv_std; /* (COCHLEA_RHYTHM_DIM) */
  float       timbre_offset[COCHLEA_TIMBRE_N_MFCC];  /* catalogue mean of the MFCC means */
  float      *local;       /* (n, 2 · N_COMPONENTS) local scaling: per row and part, 1/σ and
                            * −μ/σ of the part's similarity to the rows of a fixed sample
                            * (build_local_stats), 0 and 0 when the row has none; or NULL */
  float      *sketch;      /* (n, COCHLEA_SKETCH_DIM) stage 1's timbre proxy, or NULL */
  float      *sketch_rows; /* (COCHLEA_SKETCH_DIM, TIMBRE_STRIDE) Uᵀ diag (D): row terms → sketch */
  float      *sketch_query;/* (COCHLEA_SKETCH_DIM, TIMBRE_STRIDE) Uᵀ diag (1/D): query terms → sketch */
  float      *sketch_off;  /* (COCHLEA_SKETCH_DIM) Uᵀ diag (D) m */
  float      *sketch_mean; /* (TIMBRE_STRIDE) m, the catalogue's mean row terms */
  guint      *sample;      /* (n_sample) rows the two-stage search standardises over */
  guint       n_sample;
  CochleaSearch search;
  guint       shortlist;
  GHashTable *row_of_id;   /* gint64* → row + 1; empty when @ids_sorted and adopted */
  gpointer    owner;       /* (nullable) owns the arrays of an adopted index (a mapped file) */
  GDestroyNotify owner_free;
  gpointer    adopted[COCHLEA_INDEX_MAX_SECTIONS];   /* those arrays, not freed here */
  GHashTable *names;       /* casefolded artist/album → key + 1 */

  /* State */
  guint       dim;
  guint       n;
  guint       cap;
  guint       n_threads;
  gboolean    finished;
  gint        n_fallbacks; /* queries whose 16-bit ranking could not be confirmed */
  guint       min_rows_per_thread;   /* MIN_ROWS_PER_THREAD but in tests */
  void      (*helper_hook) (gpointer);   /* tests: run by a scan helper before it begins */
  gpointer    helper_hook_data;
  gboolean    ids_sorted;  /* adopted with increasing ids: rows are found by bisection */
  float      *scratch;     /* (n, N_COMPONENTS) or NULL: the exact scan's components, kept
                            * between queries (a query takes it with an atomic exchange and
                            * puts it back; a concurrent one allocates its own) */
};
/* Every array above that a finished index reads belongs in
 * _cochlea_index_get_sections (), or the persisted index loses it. */

void
cochlea_recommend_params_init (CochleaRecommendParams *params)
{
  memset (params, 0, sizeof *params);
  params->k = 10;
  params->content_weight = COCHLEA_DEFAULT_CONTENT_WEIGHT;
  params->timbre_weight = COCHLEA_DEFAULT_TIMBRE_WEIGHT;
  params->attribute_weight = COCHLEA_DEFAULT_ATTRIBUTE_WEIGHT;
  params->rhythm_weight = COCHLEA_DEFAULT_RHYTHM_WEIGHT;
  params->taste_weight = 0.25;
  params->local_scaling = TRUE;
  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    {
      params->attr_weights[i] = cochlea_attribute_get_info (i)->default_weight;
      params->targets[i] = NAN;
    }
}

static gboolean
parse_assignment (const char  *assignment,
                  int         *attr,
                  double      *value,
                  GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (assignment, "=", 2);
  char *end = NULL;

  if (g_strv_length (parts) != 2 || (*attr = cochlea_attribute_from_name (g_strstrip (parts[0]))) < 0)
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INVALID,
                   "“%s”: expected ATTRIBUTE=VALUE with ATTRIBUTE one of tempo, key, mode, "
                   "time_signature, loudness, energy, danceability, valence, acousticness, "
                   "instrumentalness, speechiness, liveness", assignment);
      return FALSE;
    }
  *value = g_ascii_strtod (g_strstrip (parts[1]), &end);
  if (end == parts[1] || *end != '\0' || !isfinite (*value))
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INVALID,
                   "“%s”: “%s” is not a number", assignment, parts[1]);
      return FALSE;
    }
  return TRUE;
}

gboolean
cochlea_recommend_params_set_target (CochleaRecommendParams *params,
                                     const char             *assignment,
                                     GError                **error)
{
  int attr;
  double value;

  if (!parse_assignment (assignment, &attr, &value, error))
    return FALSE;
  params->targets[attr] = value;
  /* A target on an attribute that is not compared by default turns it on. */
  if (params->attr_weights[attr] <= 0)
    params->attr_weights[attr] = 1.0;
  return TRUE;
}

gboolean
cochlea_recommend_params_set_weight (CochleaRecommendParams *params,
                                     const char             *assignment,
                                     GError                **error)
{
  int attr;
  double value;

  if (!parse_assignment (assignment, &attr, &value, error))
    return FALSE;
  if (value < 0)
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INVALID,
                   "“%s”: a weight cannot be negative", assignment);
      return FALSE;
    }
  params->attr_weights[attr] = value;
  return TRUE;
}

CochleaIndex *
cochlea_index_new (const char *model,
                   guint       dim)
{
  CochleaIndex *self = g_new0 (CochleaIndex, 1);

  self->model = g_strdup (model);
  self->dim = dim;
  self->n_threads = g_get_num_processors ();
  self->min_rows_per_thread = MIN_ROWS_PER_THREAD;
  self->search = COCHLEA_SEARCH_AUTO;
  self->shortlist = COCHLEA_DEFAULT_SHORTLIST;
  self->row_of_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
cochlea_index_free (CochleaIndex *self)
{
  if (self == NULL)
    return;
  if (self->owner != NULL)
    {
      CochleaIndexSection sections[COCHLEA_INDEX_MAX_SECTIONS];
      guint n = _cochlea_index_get_sections (self, sections);
      /* Before _cochlea_index_adopt_done (), every array is the owner's. */
      for (guint i = 0; i < n; i++)
        for (guint j = 0; j < G_N_ELEMENTS (self->adopted); j++)
          if (!self->finished || (*sections[i].field != NULL && *sections[i].field == self->adopted[j]))
            *sections[i].field = NULL;
      self->owner_free (self->owner);
    }
  g_free (self->model);
  g_free (self->vectors);
  g_free (self->attrs);
  g_free (self->ids);
  g_free (self->artist);
  g_free (self->album);
  g_free (self->has_vector);
  g_free (self->mean);
  g_free (self->inv_std);
  g_free (self->timbre_raw);
  g_free (self->timbre);
  g_free (self->timbre_q);
  g_free (self->timbre_qscale);
  g_free (self->timbre_qmean);
  g_free (self->timbre_qdev);
  g_free (self->has_timbre);
  g_free (self->rhythm);
  g_free (self->has_rhythm);
  g_free (self->rhythm_mean);
  g_free (self->rhythm_inv_std);
  g_free (self->local);
  g_free (self->sketch);
  g_free (self->sketch_rows);
  g_free (self->sketch_query);
  g_free (self->sketch_off);
  g_free (self->sketch_mean);
  g_free (self->sample);
  g_free (self->scratch);
  g_hash_table_unref (self->row_of_id);
  g_hash_table_unref (self->names);
  g_free (self);
}

static int
name_key (CochleaIndex *self,
          const char   *name,
          gboolean      create)
{
  g_autofree char *folded = NULL;
  gpointer value;

  if (name == NULL || *name == '\0')
    return -1;
  folded = g_utf8_casefold (name, -1);
  if (g_hash_table_lookup_extended (self->names, folded, NULL, &value))
    return GPOINTER_TO_INT (value) - 1;
  if (!create)
    return -2;  /* matches nothing */
  {
    int key = g_hash_table_size (self->names);
    g_hash_table_insert (self->names, g_steal_pointer (&folded), GINT_TO_POINTER (key + 1));
    return key;
  }
}

void
cochlea_index_add (CochleaIndex *self,
                   gint64        id,
                   const float  *vector,
                   const double *attrs,
                   const char   *artist,
                   const char   *album)
{
  guint row;

  g_return_if_fail (!self->finished);

  if (self->n == self->cap)
    {
      self->cap = MAX (1024, self->cap * 2);
      self->vectors = g_realloc_n (self->vectors, (gsize) self->cap * self->dim, sizeof (float));
      self->attrs = g_realloc_n (self->attrs, (gsize) self->cap * COCHLEA_N_ATTRIBUTES, sizeof (float));
      self->ids = g_realloc_n (self->ids, self->cap, sizeof (gint64));
      self->artist = g_realloc_n (self->artist, self->cap, sizeof (int));
      self->album = g_realloc_n (self->album, self->cap, sizeof (int));
      self->has_vector = g_realloc_n (self->has_vector, self->cap, 1);
      self->has_timbre = g_realloc_n (self->has_timbre, self->cap, 1);
      self->has_rhythm = g_realloc_n (self->has_rhythm, self->cap, 1);
      self->rhythm = g_realloc_n (self->rhythm, (gsize) self->cap * COCHLEA_RHYTHM_DIM, sizeof (float));
      self->timbre_raw = g_realloc_n (self->timbre_raw, (gsize) self->cap * TIMBRE_RAW, sizeof (float));
    }
  row = self->n++;
  self->ids[row] = id;
  self->has_timbre[row] = FALSE;
  self->has_rhythm[row] = FALSE;
  self->has_vector[row] = vector != NULL;
  if (vector != NULL)
    memcpy (self->vectors + (gsize) row * self->dim, vector, sizeof (float) * self->dim);
  else
    memset (self->vectors + (gsize) row * self->dim, 0, sizeof (float) * self->dim);
  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    self->attrs[(gsize) row * COCHLEA_N_ATTRIBUTES + i] = attrs != NULL ? (float) attrs[i] : NAN;
  if (self->attrs[(gsize) row * COCHLEA_N_ATTRIBUTES + COCHLEA_ATTR_KEY] < 0)
    self->attrs[(gsize) row * COCHLEA_N_ATTRIBUTES + COCHLEA_ATTR_KEY] = NAN;   /* no key */
  self->artist[row] = name_key (self, artist, TRUE);
  self->album[row] = name_key (self, album, TRUE);
  g_hash_table_insert (self->row_of_id, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (row + 1));
}

void
cochlea_index_set_timbre (CochleaIndex *self,
                          gint64        id,
                          const float  *timbre)
{
  int row = cochlea_index_find_row (self, id);
  float *raw;

  g_return_if_fail (!self->finished);
  g_return_if_fail (row >= 0);

  raw = self->timbre_raw + (gsize) row * TIMBRE_RAW;
  self->has_timbre[row] = timbre != NULL;
  if (timbre != NULL)
    memcpy (raw, timbre, sizeof (float) * TIMBRE_RAW);
}

void
cochlea_index_set_rhythm (CochleaIndex *self,
                          gint64        id,
                          const float  *rhythm)
{
  int row = cochlea_index_find_row (self, id);

  g_return_if_fail (!self->finished);
  g_return_if_fail (row >= 0);

  self->has_rhythm[row] = FALSE;
  if (rhythm == NULL)
    return;
  for (int j = 0; j < COCHLEA_RHYTHM_DIM; j++)
    if (!isfinite (rhythm[j]))
      return;
  memcpy (self->rhythm + (gsize) row * COCHLEA_RHYTHM_DIM, rhythm, sizeof (float) * COCHLEA_RHYTHM_DIM);
  self->has_rhythm[row] = TRUE;
}

/* The rhythm descriptor's dimensions (modulation energies of different
 * bands and rates) have unrelated scales: each is z-scored over the
 * catalogue before the cosine (bench/eval-catalogue/explore.py). */
static void
rhythm_transform (const CochleaIndex *self,
                  float              *v)
{
  double norm = 0;

  for (int j = 0; j < COCHLEA_RHYTHM_DIM; j++)
    {
      v[j] = (v[j] - self->rhythm_mean[j]) * self->rhythm_inv_std[j];
      norm += (double) v[j] * v[j];
    }
  norm = sqrt (norm);
  for (int j = 0; j < COCHLEA_RHYTHM_DIM; j++)
    v[j] = norm > 0 ? (float) (v[j] / norm) : 0;
}

/* Mean and sum of squared deviations of each of the @dim columns of the
 * rows of @m (row stride @dim) whose @has is set, in two passes; returns
 * how many rows were counted. */
static guint
column_stats (const float  *m,
              const guint8 *has,
              guint         n_rows,
              guint         dim,
              double       *mean,
              double       *ss)
{
  guint n = 0;

  memset (mean, 0, dim * sizeof (double));
  memset (ss, 0, dim * sizeof (double));
  for (guint r = 0; r < n_rows; r++)
    if (has[r])
      {
        const float *v = m + (gsize) r * dim;
        n++;
        for (guint j = 0; j < dim; j++)
          mean[j] += v[j];
      }
  if (n == 0)
    return 0;
  for (guint j = 0; j < dim; j++)
    mean[j] /= n;
  for (guint r = 0; r < n_rows; r++)
    if (has[r])
      {
        const float *v = m + (gsize) r * dim;
        for (guint j = 0; j < dim; j++)
          ss[j] += ((double) v[j] - mean[j]) * ((double) v[j] - mean[j]);
      }
  return n;
}

static void
finish_rhythm (CochleaIndex *self)
{
  double mean[COCHLEA_RHYTHM_DIM], ss[COCHLEA_RHYTHM_DIM];
  guint n = column_stats (self->rhythm, self->has_rhythm, self->n, COCHLEA_RHYTHM_DIM, mean, ss);

  if (n == 0)
    {
      g_clear_pointer (&self->rhythm, g_free);
      return;
    }
  self->rhythm_mean = g_new (float, COCHLEA_RHYTHM_DIM);
  self->rhythm_inv_std = g_new (float, COCHLEA_RHYTHM_DIM);
  for (int j = 0; j < COCHLEA_RHYTHM_DIM; j++)
    {
      double var = ss[j] / n;
      self->rhythm_mean[j] = (float) mean[j];
      self->rhythm_inv_std[j] = (float) (var > 1e-12 * (1 + mean[j] * mean[j]) ? 1 / sqrt (var) : 1);
    }
  for (guint r = 0; r < self->n; r++)
    if (self->has_rhythm[r])
      rhythm_transform (self, self->rhythm + (gsize) r * COCHLEA_RHYTHM_DIM);
}

/* A zeroed array of @size bytes for the arrays every query reads, in
 * transparent huge pages where the kernel offers them on request (THP
 * "madvise" mode, as here): on this virtual machine the first query after
 * the index was built took 100–150 ms of CPU instead of ~9, reading the
 * 16-bit terms (93 MB at 100 000 tracks) for the first time since they
 * were written; in 2 MB pages, 17 ms (bench-scan, docs/performance.md).
 * Freed with g_free (). */
#define HUGE_PAGE (2 * 1024 * 1024)

static gpointer
alloc_scan_array (gsize size)
{
  gpointer p = NULL;

#ifdef MADV_HUGEPAGE
  if (size >= 2 * HUGE_PAGE)
    {
      gsize rounded = (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
      if (posix_memalign (&p, HUGE_PAGE, rounded) == 0)
        madvise (p, rounded, MADV_HUGEPAGE);   /* advice only: ignored where THP is off */
      else
        p = NULL;
    }
#endif
  if (p == NULL)
    p = g_malloc (MAX (size, 1));
  memset (p, 0, size);
  return p;
}

static void build_sketch (CochleaIndex *self);
static void build_local_stats (CochleaIndex *self);

/* Rows the 16-bit terms' centre and scale are estimated on. */
#define QUANT_FIT_ROWS 4096

static int
compare_floats (const void *a,
                const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return (x > y) - (x < y);
}

/* The timbre terms in 16-bit fixed point: each term centred on the mean
 * and divided by the deviation of the catalogue's typical rows, each row
 * then scaled by its own largest value (so an unusual track loses no
 * precision to the others).  Typical rows: of up to QUANT_FIT_ROWS evenly
 * spaced rows, the 90 % whose largest term, in median absolute
 * deviations from the median, is smallest.  Not all rows: on real music a
 * few nearly singular covariances make the inverse-covariance terms
 * heavy-tailed (e.g. μᵀAμ: mean 1.2e6, deviation 1.9e7, typical value
 * 40); scaled by their deviation, a typical row's term was reconstructed
 * ±2 500 off, many divergences came out ≤ 0, and the timbre part's
 * per-query deviation (from the 16-bit values) ~2.5 times too large
 * (docs/catalogue.md, "The 16-bit pass and the NumPy fusion").  Not the
 * median and MAD themselves: on the synthetic catalogues they left 1.2 %
 * of the rows too coarse to keep (row_components), the typical rows'
 * deviation 0.03 %.  Rounding bfloat16 instead (8 significant bits, no
 * centring) left errors too large to confirm the ranking
 * (docs/performance.md). */
static void
quantise_timbre (CochleaIndex *self)
{
  const guint S = TIMBRE_STRIDE;
  g_autofree guint *rows = g_new (guint, MAX (MIN (self->n, QUANT_FIT_ROWS), 1));
  g_autofree float *col = NULL, *median = NULL, *mad = NULL, *row_max = NULL;
  g_autofree double *mean = NULL, *ss = NULL;
  guint n_timbre = 0, n_rows = 0, n_typical = 0, step;
  float cut = G_MAXFLOAT;

  for (guint r = 0; r < self->n; r++)
    n_timbre += self->has_timbre[r] != 0;
  step = MAX (1, n_timbre / QUANT_FIT_ROWS);
  for (guint r = 0, i = 0; r < self->n && n_rows < QUANT_FIT_ROWS; r++)
    if (self->has_timbre[r] && i++ % step == 0)
      rows[n_rows++] = r;

  /* Each term's median and median absolute deviation over the rows. */
  col = g_new (float, MAX (n_rows, 1));
  median = g_new0 (float, S);
  mad = g_new (float, S);
  for (guint j = 0; j < S; j++)
    {
      float m = 0, d = 0;
      if (n_rows > 0)
        {
          for (guint i = 0; i < n_rows; i++)
            col[i] = self->timbre[(gsize) rows[i] * S + j];
          qsort (col, n_rows, sizeof (float), compare_floats);
          m = col[n_rows / 2];
          for (guint i = 0; i < n_rows; i++)
            col[i] = fabsf (col[i] - m);
          qsort (col, n_rows, sizeof (float), compare_floats);
          d = col[n_rows / 2];
        }
      median[j] = isfinite (m) ? m : 0;
      mad[j] = d > 0 && isfinite (d) ? d : 1;
    }
  /* The typical rows, and their mean and deviation of each term. */
  row_max = g_new (float, MAX (n_rows, 1));
  for (guint i = 0; i < n_rows; i++)
    {
      float top = 0;
      for (guint j = 0; j < S; j++)
        top = MAX (top, fabsf (self->timbre[(gsize) rows[i] * S + j] - median[j]) / mad[j]);
      row_max[i] = col[i] = top;
    }
  if (n_rows > 0)
    {
      qsort (col, n_rows, sizeof (float), compare_floats);
      cut = col[(n_rows - 1) * 9 / 10];
    }
  mean = g_new0 (double, S);
  ss = g_new0 (double, S);
  for (guint i = 0; i < n_rows; i++)
    if (row_max[i] <= cut)
      {
        n_typical++;
        for (guint j = 0; j < S; j++)
          mean[j] += self->timbre[(gsize) rows[i] * S + j];
      }
  for (guint j = 0; j < S && n_typical > 0; j++)
    mean[j] /= n_typical;
  for (guint i = 0; i < n_rows; i++)
    if (row_max[i] <= cut)
      for (guint j = 0; j < S; j++)
        {
          double d = self->timbre[(gsize) rows[i] * S + j] - mean[j];
          ss[j] += d * d;
        }
  self->timbre_qmean = g_new0 (float, S);
  self->timbre_qdev = g_new (float, S);
  for (guint j = 0; j < S; j++)
    {
      double sd = n_typical > 1 ? sqrt (ss[j] / (n_typical - 1)) : 0;
      self->timbre_qmean[j] = isfinite (mean[j]) ? (float) mean[j] : 0;
      self->timbre_qdev[j] = sd > 0 && isfinite (sd) ? (float) sd : 1;
    }

  self->timbre_q = alloc_scan_array (sizeof (gint16) * self->n * S);
  self->timbre_qscale = g_new0 (float, self->n);
  for (guint r = 0; r < self->n; r++)
    {
      const float *t = self->timbre + (gsize) r * S;
      gint16 *q = self->timbre_q + (gsize) r * S;
      double v[TIMBRE_STRIDE], top = 0, scale;

      if (!self->has_timbre[r])
        continue;
      for (guint j = 0; j < S; j++)
        {
          v[j] = ((double) t[j] - self->timbre_qmean[j]) / self->timbre_qdev[j];
          top = MAX (top, fabs (v[j]));
        }
      scale = top > 0 ? top / 32767 : 1;
      self->timbre_qscale[r] = (float) scale;
      for (guint j = 0; j < S; j++)
        q[j] = (gint16) CLAMP (lround (v[j] / self->timbre_qscale[r]), -32767, 32767);
    }
}

static void
normalise (float *v,
           guint  dim)
{
  double norm = 0;

  for (guint j = 0; j < dim; j++)
    norm += (double) v[j] * v[j];
  norm = sqrt (norm);
  if (norm > 0)
    for (guint j = 0; j < dim; j++)
      v[j] = (float) (v[j] / norm);
}

/* The interim mel statistics have very different scales per dimension
 * and a large common offset: z-score them over the catalogue before the
 * cosine.  The network's embedding is used as it is (unit length). */
static void
transform (CochleaIndex *self,
           float        *v)
{
  if (self->mean != NULL)
    for (guint j = 0; j < self->dim; j++)
      v[j] = (v[j] - self->mean[j]) * self->inv_std[j];
  normalise (v, self->dim);
}

void
cochlea_index_finish (CochleaIndex *self)
{
  guint n_vec = 0;

  g_return_if_fail (!self->finished);

  if (g_strcmp0 (self->model, COCHLEA_MELSTATS_MODEL) == 0)
    {
      g_autofree double *sum = g_new0 (double, self->dim);
      g_autofree double *sum2 = g_new0 (double, self->dim);

      for (guint r = 0; r < self->n; r++)
        {
          const float *v = self->vectors + (gsize) r * self->dim;
          if (!self->has_vector[r])
            continue;
          n_vec++;
          for (guint j = 0; j < self->dim; j++)
            {
              sum[j] += v[j];
              sum2[j] += (double) v[j] * v[j];
            }
        }
      self->mean = g_new (float, self->dim);
      self->inv_std = g_new (float, self->dim);
      for (guint j = 0; j < self->dim; j++)
        {
          double mean = n_vec > 0 ? sum[j] / n_vec : 0;
          double var = n_vec > 0 ? sum2[j] / n_vec - mean * mean : 0;
          self->mean[j] = (float) mean;
          self->inv_std[j] = (float) (var > 1e-6 ? 1.0 / sqrt (var) : 1.0);
        }
    }
  if (self->n > 0)
    {
      float *vectors = alloc_scan_array (sizeof (float) * self->n * self->dim);
      memcpy (vectors, self->vectors, sizeof (float) * self->n * self->dim);
      g_free (self->vectors);
      self->vectors = vectors;
    }
  for (guint r = 0; r < self->n; r++)
    if (self->has_vector[r])
      transform (self, self->vectors + (gsize) r * self->dim);

  /* The timbre's row terms, around the catalogue's mean MFCCs. */
  {
    double sum[COCHLEA_TIMBRE_N_MFCC] = { 0 };
    guint n_timbre = 0;

    for (guint r = 0; r < self->n; r++)
      if (self->has_timbre[r])
        {
          n_timbre++;
          for (int i = 0; i < COCHLEA_TIMBRE_N_MFCC; i++)
            sum[i] += self->timbre_raw[(gsize) r * TIMBRE_RAW + i];
        }
    if (n_timbre > 0)
      {
        for (int i = 0; i < COCHLEA_TIMBRE_N_MFCC; i++)
          self->timbre_offset[i] = (float) (sum[i] / n_timbre);
        self->timbre = alloc_scan_array (sizeof (float) * self->n * TIMBRE_STRIDE);
        for (guint r = 0; r < self->n; r++)
          if (self->has_timbre[r])
            self->has_timbre[r] = cochlea_timbre_terms (self->timbre_raw + (gsize) r * TIMBRE_RAW,
                                                        self->timbre_offset,
                                                        self->timbre + (gsize) r * TIMBRE_STRIDE, NULL, NULL);
        quantise_timbre (self);
      }
    g_clear_pointer (&self->timbre_raw, g_free);
  }
  finish_rhythm (self);
  self->finished = TRUE;
  build_local_stats (self);
  /* The exact scan's components, touched now: the first page faults after
   * the build cost ~0.3 ms each here, which made the first query take
   * 100–140 ms of CPU instead of 9 (bench-scan). */
  self->scratch = alloc_scan_array (sizeof (float) * self->n * N_COMPONENTS);
  if (self->n >= COCHLEA_TWO_STAGE_MIN_ROWS || self->search == COCHLEA_SEARCH_TWO_STAGE)
    build_sketch (self);
}

/* The stored rhythm descriptors of the index's rows. */
static gboolean
load_rhythm (CochleaCatalogue *catalogue,
             CochleaIndex     *self,
             GError          **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (catalogue, STMT_INDEX_RHYTHM, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      float v[COCHLEA_RHYTHM_DIM];
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (sqlite3_column_int (stmt, 1) != COCHLEA_RHYTHM_DIM ||
          sqlite3_column_bytes (stmt, 2) != (int) sizeof v || cochlea_index_find_row (self, id) < 0)
        continue;
      memcpy (v, sqlite3_column_blob (stmt, 2), sizeof v);
#if G_BYTE_ORDER == G_BIG_ENDIAN
      for (guint j = 0; j < COCHLEA_RHYTHM_DIM; j++)
        {
          guint32 u;
          memcpy (&u, &v[j], 4);
          u = GUINT32_SWAP_LE_BE (u);
          memcpy (&v[j], &u, 4);
        }
#endif
      cochlea_index_set_rhythm (self, id, v);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (catalogue, error, rc, "loading the rhythm descriptors");
      return FALSE;
    }
  return TRUE;
}

CochleaIndex *
cochlea_index_load (CochleaCatalogue *catalogue,
                    GError          **error)
{
  g_autoptr(CochleaIndex) self = NULL;
  g_autofree char *model = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  guint dim = 0;
  int rc;

  model = cochlea_catalogue_dup_main_model (catalogue, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!(stmt = _cochlea_catalogue_stmt (catalogue, STMT_INDEX_ROWS, error)))
    return NULL;
  if (model != NULL)
    sqlite3_bind_text (stmt, 1, model, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      double attrs[COCHLEA_N_ATTRIBUTES];
      const float *blob = NULL;
      g_autofree float *vector = NULL;

      if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
        {
          guint row_dim = sqlite3_column_int (stmt, 3);
          if (dim == 0)
            dim = row_dim;
          if (row_dim == dim && sqlite3_column_bytes (stmt, 4) == (int) (dim * sizeof (float)))
            blob = sqlite3_column_blob (stmt, 4);
        }
      if (self == NULL)
        self = cochlea_index_new (model, dim > 0 ? dim : 1);
      if (blob != NULL)
        {
          vector = g_memdup2 (blob, dim * sizeof (float));
#if G_BYTE_ORDER == G_BIG_ENDIAN
          for (guint j = 0; j < dim; j++)
            {
              guint32 u;
              memcpy (&u, &vector[j], 4);
              u = GUINT32_SWAP_LE_BE (u);
              memcpy (&vector[j], &u, 4);
            }
#endif
        }
      for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
        attrs[i] = sqlite3_column_type (stmt, 5 + i) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 5 + i);
      cochlea_index_add (self, sqlite3_column_int64 (stmt, 0),
                         self->dim == dim ? vector : NULL, attrs,
                         (const char *) sqlite3_column_text (stmt, 1),
                         (const char *) sqlite3_column_text (stmt, 2));
      if (sqlite3_column_int (stmt, 19) == COCHLEA_TIMBRE_DIM &&
          sqlite3_column_bytes (stmt, 20) == (int) (COCHLEA_TIMBRE_DIM * sizeof (float)))
        {
          float timbre[COCHLEA_TIMBRE_DIM];
          memcpy (timbre, sqlite3_column_blob (stmt, 20), sizeof timbre);
#if G_BYTE_ORDER == G_BIG_ENDIAN
          for (guint j = 0; j < COCHLEA_TIMBRE_DIM; j++)
            {
              guint32 u;
              memcpy (&u, &timbre[j], 4);
              u = GUINT32_SWAP_LE_BE (u);
              memcpy (&timbre[j], &u, 4);
            }
#endif
          cochlea_index_set_timbre (self, sqlite3_column_int64 (stmt, 0), timbre);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (catalogue, error, rc, "loading the index");
      return NULL;
    }
  if (self == NULL)
    self = cochlea_index_new (model, 1);
  else if (!load_rhythm (catalogue, self, error))
    return NULL;
  cochlea_index_finish (self);
  return g_steal_pointer (&self);
}

void
cochlea_index_set_n_threads (CochleaIndex *self,
                             guint         n_threads)
{
  self->n_threads = MAX (1, n_threads);
}

void
cochlea_index_set_search (CochleaIndex  *self,
                          CochleaSearch  search,
                          guint          shortlist)
{
  self->search = search;
  self->shortlist = shortlist > 0 ? shortlist : COCHLEA_DEFAULT_SHORTLIST;
  if (self->finished && search == COCHLEA_SEARCH_TWO_STAGE)
    build_sketch (self);
}

void
_cochlea_index_set_min_rows_per_thread (CochleaIndex *self,
                                        guint         rows)
{
  self->min_rows_per_thread = MAX (rows, 1);
}

void
_cochlea_index_set_helper_hook (CochleaIndex *self,
                                void        (*hook) (gpointer),
                                gpointer      data)
{
  self->helper_hook = hook;
  self->helper_hook_data = data;
}

guint
cochlea_index_get_size (CochleaIndex *self)
{
  return self->n;
}

guint
cochlea_index_get_n_fallbacks (CochleaIndex *self)
{
  return (guint) g_atomic_int_get (&self->n_fallbacks);
}

guint
cochlea_index_get_dim (CochleaIndex *self)
{
  return self->dim;
}

const char *
cochlea_index_get_model (CochleaIndex *self)
{
  return self->model;
}

gint64
cochlea_index_get_id (CochleaIndex *self,
                      guint         row)
{
  g_return_val_if_fail (row < self->n, -1);
  return self->ids[row];
}

int
cochlea_index_find_row (CochleaIndex *self,
                        gint64        id)
{
  if (self->ids_sorted)
    {
      guint lo = 0, hi = self->n;
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          if (self->ids[mid] < id)
            lo = mid + 1;
          else
            hi = mid;
        }
      return lo < self->n && self->ids[lo] == id ? (int) lo : -1;
    }
  return GPOINTER_TO_INT (g_hash_table_lookup (self->row_of_id, &id)) - 1;
}

const float *
cochlea_index_get_vector (CochleaIndex *self,
                          guint         row)
{
  g_return_val_if_fail (row < self->n, NULL);
  return self->has_vector[row] ? self->vectors + (gsize) row * self->dim : NULL;
}

void
cochlea_index_get_attrs (CochleaIndex *self,
                         guint         row,
                         double       *attrs)
{
  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    attrs[i] = self->attrs[(gsize) row * COCHLEA_N_ATTRIBUTES + i];
}

/* The inner product, 8 lanes at a time (GCC vector extension): dot ()
 * is compiled for AVX2 and for the baseline and picked at load time; the
 * scan's passes inline dot_body () into their own two builds
 * (scan_sums_fma and scan_sums_base). */
typedef float v8sf __attribute__ ((vector_size (32), aligned (4)));
typedef float v4sf __attribute__ ((vector_size (16), aligned (4)));

/* The 8 lanes' sum, halves first (3 additions deep instead of 8). */
static inline __attribute__ ((always_inline)) float
sum8 (v8sf v)
{
  v4sf h = (v4sf) { v[0], v[1], v[2], v[3] } + (v4sf) { v[4], v[5], v[6], v[7] };

  return (h[0] + h[2]) + (h[1] + h[3]);
}

static inline __attribute__ ((always_inline)) float
dot_body (const float * restrict a,
          const float * restrict b,
          guint                  dim)
{
  v8sf acc0 = { 0 }, acc1 = { 0 }, acc2 = { 0 }, acc3 = { 0 };
  float sum = 0;
  guint j = 0;

  /* four independent sums: long rows (the timbre terms) are not bound by
   * the latency of one chain of additions */
  for (; j + 32 <= dim; j += 32)
    {
      acc0 += *(const v8sf *) (a + j) * *(const v8sf *) (b + j);
      acc1 += *(const v8sf *) (a + j + 8) * *(const v8sf *) (b + j + 8);
      acc2 += *(const v8sf *) (a + j + 16) * *(const v8sf *) (b + j + 16);
      acc3 += *(const v8sf *) (a + j + 24) * *(const v8sf *) (b + j + 24);
    }
  for (; j + 16 <= dim; j += 16)
    {
      acc0 += *(const v8sf *) (a + j) * *(const v8sf *) (b + j);
      acc1 += *(const v8sf *) (a + j + 8) * *(const v8sf *) (b + j + 8);
    }
  for (; j + 8 <= dim; j += 8)
    acc0 += *(const v8sf *) (a + j) * *(const v8sf *) (b + j);
  acc0 += acc1 + (acc2 + acc3);
  sum = sum8 (acc0);
  for (; j < dim; j++)
    sum += a[j] * b[j];
  return sum;
}

__attribute__ ((target_clones ("avx2", "default")))
static float
dot (const float * restrict a,
     const float * restrict b,
     guint                  dim)
{
  return dot_body (a, b, dim);
}

/* The same with @b in 16-bit integers: the scan reads half the bytes for
 * the same arithmetic (plus a widening and a conversion per 8 lanes). */
typedef gint32 v8si __attribute__ ((vector_size (32)));

typedef float (*DotI16Func) (const float  * restrict a,
                             const gint16 * restrict b,
                             guint                   dim);

/* Element by element, so that GCC 12 emits one vpmovsxwd from memory
 * per 8 lanes; converting a loaded v8hi it split the widening into two
 * halves, a shift and an insert (5 instructions instead of 1). */
#define WIDEN(p) __builtin_convertvector (((v8si) { (p)[0], (p)[1], (p)[2], (p)[3], \
                                                  (p)[4], (p)[5], (p)[6], (p)[7] }), v8sf)

/* Two builds of one body: with AVX2 and FMA (the multiply-adds fused: 4
 * of 19 instructions per 32 lanes fewer), picked per query when the CPU
 * has both (pick_dot_i16), and the baseline's.  Only pass 1 of the 16-bit
 * scan reads it, whose rows that matter are re-scored with dot (). */
static inline __attribute__ ((always_inline)) float
dot_i16_body (const float  * restrict a,
              const gint16 * restrict b,
              guint                   dim)
{
  v8sf acc0 = { 0 }, acc1 = { 0 }, acc2 = { 0 }, acc3 = { 0 };
  float sum = 0;
  guint j = 0;

  /* Unrolled whole for the timbre terms' stride (dot_i16_fma): no loop
   * counting between the 58 multiply-adds. */
#pragma GCC unroll 16
  for (; j + 32 <= dim; j += 32)
    {
      acc0 += *(const v8sf *) (a + j) * WIDEN (b + j);
      acc1 += *(const v8sf *) (a + j + 8) * WIDEN (b + j + 8);
      acc2 += *(const v8sf *) (a + j + 16) * WIDEN (b + j + 16);
      acc3 += *(const v8sf *) (a + j + 24) * WIDEN (b + j + 24);
    }
#pragma GCC unroll 4
  for (; j + 8 <= dim; j += 8)
    acc0 += *(const v8sf *) (a + j) * WIDEN (b + j);
#undef WIDEN
  acc0 += acc1 + (acc2 + acc3);
  sum = sum8 (acc0);
  for (; j < dim; j++)
    sum += a[j] * b[j];
  return sum;
}

__attribute__ ((target ("avx2,fma")))
static float
dot_i16_fma (const float  * restrict a,
             const gint16 * restrict b,
             guint                   dim)
{
  return dim == TIMBRE_STRIDE ? dot_i16_body (a, b, TIMBRE_STRIDE) : dot_i16_body (a, b, dim);
}

static float
dot_i16_base (const float  * restrict a,
              const gint16 * restrict b,
              guint                   dim)
{
  return dot_i16_body (a, b, dim);
}

static DotI16Func
pick_dot_i16 (void)
{
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma") ? dot_i16_fma : dot_i16_base;
}

/* The query terms of the divergence (cochlea_timbre_terms) of a track,
 * rearranged from its row terms. */
static void
query_terms_of_row (const float *r,
                    float       *q)
{
  const int N = COCHLEA_TIMBRE_N_MFCC, o = 2 * COCHLEA_TIMBRE_TRI;

  memset (q, 0, sizeof (float) * TIMBRE_STRIDE);
  memcpy (q, r + COCHLEA_TIMBRE_TRI, sizeof (float) * COCHLEA_TIMBRE_TRI);
  memcpy (q + COCHLEA_TIMBRE_TRI, r, sizeof (float) * COCHLEA_TIMBRE_TRI);
  for (int i = 0; i < N; i++)
    {
      q[o + i] = -2 * r[o + N + i];
      q[o + N + i] = -2 * r[o + i];
    }
  q[o + 2 * N] = 1;
}

/* Rows of the catalogue the proxy's projection is fitted on. */
#define SKETCH_FIT_ROWS 4096

/* Stage 1's proxy of the timbre term q·r: with m the mean row terms and D
 * the root mean square of each query term over the catalogue,
 *   q·r = q·m + (q/D)·(D(r − m)) ≈ q·m + (Uᵀ q/D)·(Uᵀ D(r − m))
 * where U holds the first COCHLEA_SKETCH_DIM principal axes of D(r − m)
 * (subspace iteration on their covariance over SKETCH_FIT_ROWS rows): the
 * error in each term is weighted by what a typical query multiplies it by. */
static void
build_sketch (CochleaIndex *self)
{
  const guint S = TIMBRE_STRIDE, R = COCHLEA_SKETCH_DIM;
  g_autofree guint *rows = NULL;
  g_autofree double *mean = NULL, *sq = NULL, *cov = NULL, *basis = NULL, *next = NULL;
  g_autofree float *y = NULL, *qt = NULL;
  g_autoptr(GRand) rand = NULL;
  guint n_timbre = 0, n_rows = 0, step;

  if (self->sketch != NULL || self->timbre == NULL)
    return;
  for (guint r = 0; r < self->n; r++)
    n_timbre += self->has_timbre[r] != 0;
  if (n_timbre < 2 * R)
    return;

  rows = g_new (guint, SKETCH_FIT_ROWS);
  step = MAX (1, n_timbre / SKETCH_FIT_ROWS);
  for (guint r = 0, i = 0; r < self->n && n_rows < SKETCH_FIT_ROWS; r++)
    if (self->has_timbre[r] && i++ % step == 0)
      rows[n_rows++] = r;

  mean = g_new0 (double, S);
  sq = g_new0 (double, S);
  qt = g_new (float, S);
  for (guint i = 0; i < n_rows; i++)
    {
      const float *t = self->timbre + (gsize) rows[i] * S;
      query_terms_of_row (t, qt);
      for (guint j = 0; j < S; j++)
        {
          mean[j] += t[j];
          sq[j] += (double) qt[j] * qt[j];
        }
    }
  for (guint j = 0; j < S; j++)
    {
      mean[j] /= n_rows;
      sq[j] = sq[j] > 0 ? sqrt (sq[j] / n_rows) : 1;   /* D */
    }

  cov = g_new0 (double, (gsize) S * S);
  y = g_new (float, S);
  for (guint i = 0; i < n_rows; i++)
    {
      const float *t = self->timbre + (gsize) rows[i] * S;
      for (guint j = 0; j < S; j++)
        y[j] = (float) (sq[j] * (t[j] - mean[j]));
      for (guint a = 0; a < S; a++)
        {
          double ya = y[a];
          double *c = cov + (gsize) a * S;
          for (guint b = a; b < S; b++)
            c[b] += ya * y[b];
        }
    }
  for (guint a = 0; a < S; a++)
    for (guint b = 0; b < a; b++)
      cov[(gsize) a * S + b] = cov[(gsize) b * S + a];

  /* Subspace iteration with Gram–Schmidt, from a fixed random start. */
  rand = g_rand_new_with_seed (20251126);
  basis = g_new (double, (gsize) R * S);
  next = g_new (double, (gsize) R * S);
  for (guint k = 0; k < R * S; k++)
    basis[k] = g_rand_double_range (rand, -1, 1);
  for (int it = 0; it <= 40; it++)
    {
      if (it > 0)
        for (guint k = 0; k < R; k++)
          for (guint a = 0; a < S; a++)
            {
              const double *c = cov + (gsize) a * S, *b = basis + (gsize) k * S;
              double v = 0;
              for (guint j = 0; j < S; j++)
                v += c[j] * b[j];
              next[(gsize) k * S + a] = v;
            }
      else
        memcpy (next, basis, sizeof (double) * R * S);
      for (guint k = 0; k < R; k++)
        {
          double *v = next + (gsize) k * S, norm = 0;
          for (guint l = 0; l < k; l++)
            {
              const double *u = next + (gsize) l * S;
              double d = 0;
              for (guint j = 0; j < S; j++)
                d += u[j] * v[j];
              for (guint j = 0; j < S; j++)
                v[j] -= d * u[j];
            }
          for (guint j = 0; j < S; j++)
            norm += v[j] * v[j];
          norm = sqrt (norm);
          for (guint j = 0; j < S; j++)
            v[j] = norm > 0 ? v[j] / norm : 0;
        }
      memcpy (basis, next, sizeof (double) * R * S);
    }

  self->sketch_rows = g_new0 (float, (gsize) R * S);
  self->sketch_query = g_new0 (float, (gsize) R * S);
  self->sketch_off = g_new0 (float, R);
  self->sketch_mean = g_new0 (float, S);
  for (guint j = 0; j < S; j++)
    self->sketch_mean[j] = (float) mean[j];
  for (guint k = 0; k < R; k++)
    {
      double off = 0;
      for (guint j = 0; j < S; j++)
        {
          double u = basis[(gsize) k * S + j];
          self->sketch_rows[(gsize) k * S + j] = (float) (u * sq[j]);
          self->sketch_query[(gsize) k * S + j] = (float) (u / sq[j]);
          off += u * sq[j] * mean[j];
        }
      self->sketch_off[k] = (float) off;
    }
  self->sketch = g_new0 (float, (gsize) self->n * R);
  for (guint r = 0; r < self->n; r++)
    if (self->has_timbre[r])
      for (guint k = 0; k < R; k++)
        self->sketch[(gsize) r * R + k] = dot (self->sketch_rows + (gsize) k * S,
                                               self->timbre + (gsize) r * S, S) - self->sketch_off[k];

  /* The rows the standardisation is estimated on, evenly spread. */
  self->n_sample = MIN (self->n, COCHLEA_STATS_SAMPLE);
  self->sample = g_new (guint, MAX (self->n_sample, 1));
  for (guint i = 0; i < self->n_sample; i++)
    self->sample[i] = (guint) ((guint64) self->n * i / self->n_sample);
}

/* Steps between two keys on the circle of fifths (0–6). */
static double
fifths_distance (double a,
                 double b)
{
  int d = ((((int) lround (a) - (int) lround (b)) % 12) + 12) % 12;
  int m = (d * 7) % 12;

  return MIN (m, 12 - m);
}

/* One attribute's difference in units of its scale. */
static double
attr_units (CochleaAttribute attr,
            double           value,
            double           target)
{
  double scale = cochlea_attribute_get_info (attr)->scale;

  if (attr == COCHLEA_ATTR_KEY)
    return fifths_distance (value, target) / scale;
  return fabs (value - target) / scale;
}

typedef struct
{
  /* The compared attributes, prepared once per query */
  int     n_attrs;
  int     attr[COCHLEA_N_ATTRIBUTES];
  double  target[COCHLEA_N_ATTRIBUTES];
  double  weight[COCHLEA_N_ATTRIBUTES];
  double  inv_scale[COCHLEA_N_ATTRIBUTES];
  float   target_f[COCHLEA_N_ATTRIBUTES];   /* the same in float for the scan: */
  float   weight_f[COCHLEA_N_ATTRIBUTES];
  float   wscale[COCHLEA_N_ATTRIBUTES];     /* weight / scale² */
  float   key_d2[12];                       /* weight · (fifths to the target key / scale)² */
  /* The same by attribute (lane i = attribute i), for attribute_component's
   * 4-lane loop; the key's lane is off (lane_on 0), its term comes from
   * key_d2 with weight key_w when key_on. */
  float   lane_t[16];
  float   lane_ws[16];
  float   lane_w[16];
  gint32  lane_on[16];
  gboolean key_on;
  float   key_w;
  float  *vector;            /* (dim) transformed, or NULL */
  float  *rhythm;            /* (COCHLEA_RHYTHM_DIM) transformed, or NULL */
  float  *timbre;            /* (TIMBRE_STRIDE) query terms of the divergence, or NULL */
  float   timbre_const;
  float  *sketch;            /* (COCHLEA_SKETCH_DIM) Uᵀ q/D, or NULL */
  float   sketch_const;      /* q·m */
  double  w[N_COMPONENTS];   /* weight of each component, ≥ 0 */
  gboolean local[N_COMPONENTS];    /* the candidate's side of the local scaling applies */
  double  mean[N_COMPONENTS];      /* per-query standardisation (pass 1) */
  double  inv_std[N_COMPONENTS];
  /* The fusion's coefficients per part once the standardisation is
   * known (set_fusion): w · (x − mean) / sd on the query's side, times ½
   * with the candidate's side w · ½ (x / σ − μ / σ) added. */
  double  fz_x[N_COMPONENTS];      /* w · h / sd */
  double  fz_1[N_COMPONENTS];      /* −w · h · mean / sd */
  double  fz_local[N_COMPONENTS];  /* w · ½ with local scaling, else 0 */
  /* The same in float, 0 where w is 0 (fused_estimate) */
  float   fe_x[4], fe_1[4], fe_local[4], fe_w[4];
  gint32  fe_on[4];                 /* −1 where w > 0 */
  gboolean any_local;
  double  tau;
  gint64  exclude_id;
  int     artist, album;     /* keys to exclude, or -3 */
  gboolean approx;           /* the exact scan's pass 1 reads the 16-bit timbre terms */
  gboolean fma;              /* the passes' loops built for AVX2 and FMA run here */
  float  *timbre_q;          /* (TIMBRE_STRIDE) query terms × qdev, for the 16-bit terms */
  DotI16Func dot_i16;        /* its dot product with a row's 16-bit terms */
  double  timbre_q_abs;      /* Σ |timbre_q|: a row's rounding bound is qscale times this */
  double  timbre_q_const;    /* query terms · qmean */
} Query;

typedef struct
{
  double score, fused, content, attributes, timbre_kl, taste, rhythm;
  float  comp[N_COMPONENTS];   /* the raw components */
  guint  row;
} Candidate;

/* log (1 + x) for finite x ≥ 0, to 2e-9 relative (x ≥ 1e-6; measured
 * against log1p): libm's log1p
 * (and more so log1pf) took as long per row as the 16-bit timbre dot
 * product.  With 1 + x = 2^e m, m in [√½, √2), s = (m − 1)/(m + 1):
 * log m = 2 atanh s = 2 (s + s³/3 + … + s⁹/9), |s| < 0.172. */
static inline double
log1p_pos (double x)
{
  double y = 1 + x, m, s, s2;
  guint64 u;
  int e;

  memcpy (&u, &y, 8);
  e = (int) (u >> 52) - 1023;
  u = (u & G_GUINT64_CONSTANT (0x000fffffffffffff)) | G_GUINT64_CONSTANT (0x3ff0000000000000);
  memcpy (&m, &u, 8);
  if (m > G_SQRT2)
    {
      m *= 0.5;
      e++;
    }
  s = (m - 1) / (m + 1);
  s2 = s * s;
  return e * G_LN2 + 2 * s * (1 + s2 * (1. / 3 + s2 * (1. / 5 + s2 * (1. / 7 + s2 * (1. / 9)))));
}

typedef gint32 v4si __attribute__ ((vector_size (16), aligned (4)));
typedef gint32 v8si_u __attribute__ ((vector_size (32), aligned (4)));
G_STATIC_ASSERT (COCHLEA_N_ATTRIBUTES <= 16);
typedef double v4df __attribute__ ((vector_size (32)));
typedef gint64 v4di __attribute__ ((vector_size (32)));

/* −d²/2, the exponent of the attribute component, NAN when none compared. */
static inline float
attribute_exponent (const Query *q,
                    const float *attrs)
{
  float v[16], d2, wsum;
  v8sf d2v = { 0 }, wv = { 0 };

  /* In float, 8 attributes at a time (one AVX2 instruction, or two SSE2
   * ones in the baseline build), the key's term from a table: a loop over
   * the compared attributes with a branch per NAN took 218 instructions
   * per row (callgrind), a third of the scan's time in doubles with lround
   * and exp before that. */
  if (q->w[ATTRIBUTES] <= 0 || q->n_attrs == 0)
    return NAN;
  memcpy (v, attrs, sizeof (float) * COCHLEA_N_ATTRIBUTES);
  for (int i = COCHLEA_N_ATTRIBUTES; i < 16; i++)
    v[i] = 0;
  for (int i = 0; i < 16; i += 8)
    {
      v8sf x = *(const v8sf *) (v + i);
      v8sf d = x - *(const v8sf *) (q->lane_t + i);
      v8si_u keep = (x == x) & *(const v8si_u *) (q->lane_on + i);   /* compared and known */
      d2v += (v8sf) ((v8si_u) (*(const v8sf *) (q->lane_ws + i) * d * d) & keep);
      wv += (v8sf) ((v8si_u) *(const v8sf *) (q->lane_w + i) & keep);
    }
  d2 = sum8 (d2v);
  wsum = sum8 (wv);
  if (q->key_on && !isnan (v[COCHLEA_ATTR_KEY]))
    {
      int k = (int) v[COCHLEA_ATTR_KEY] % 12;   /* in (−12, 12) */
      d2 += q->key_d2[k < 0 ? k + 12 : k];
      wsum += q->key_w;
    }
  return wsum > 0 ? -0.5f * d2 / wsum : NAN;
}

/* exp (−d²/2) of the weighted attribute distance, NAN when none compared. */
static float
attribute_component (const Query *q,
                     const float *attrs)
{
  float e = attribute_exponent (q, attrs);

  return isnan (e) ? NAN : expf (e);
}

/* The cosine of the transformed rhythm descriptors, NAN when not compared. */
static inline float
rhythm_component (const CochleaIndex *self,
                  const Query        *q,
                  guint               row)
{
  return q->rhythm != NULL && self->has_rhythm[row]
       ? dot (q->rhythm, self->rhythm + (gsize) row * COCHLEA_RHYTHM_DIM, COCHLEA_RHYTHM_DIM) : NAN;
}

/* Pass 1: the raw components of one row, NAN where not comparable,
 * but the timbre's SKL (≥ 0) in @skl, NAN when not compared, and the
 * attributes' −d²/2 in out[ATTRIBUTES] (row_components and pass 1 take
 * the logarithm and exponential).  CONTENT: cosine. */
static inline __attribute__ ((always_inline)) void
row_parts (CochleaIndex *self,
           const Query  *q,
           guint         row,
           gboolean      approx,
           float        *out,
           double       *skl)
{
  const float *attrs = self->attrs + (gsize) row * COCHLEA_N_ATTRIBUTES;

  if (q->vector == NULL || !self->has_vector[row])
    out[CONTENT] = NAN;
  else if (self->dim == 64)   /* the shipped network's: its loop unrolled */
    out[CONTENT] = dot_body (q->vector, self->vectors + (gsize) row * 64, 64);
  else
    out[CONTENT] = dot_body (q->vector, self->vectors + (gsize) row * self->dim, self->dim);
  if (q->timbre != NULL && self->has_timbre[row])
    {
      const float *t = self->timbre + (gsize) row * TIMBRE_STRIDE;
      double d;

      if (approx)
        {
          /* The rounding moves the divergence by at most @bound, and
           * −log (1 + SKL) by at most bound / (1 + SKL − bound): a row
           * that cannot promise FIXED16_TOLERANCE is read in float. */
          double bound = 0.25 * self->timbre_qscale[row] * q->timbre_q_abs, s;
          d = q->timbre_q_const + self->timbre_qscale[row] *
              q->dot_i16 (q->timbre_q, self->timbre_q + (gsize) row * TIMBRE_STRIDE, TIMBRE_STRIDE);
          s = 0.5 * (d + q->timbre_const) - COCHLEA_TIMBRE_N_MFCC;
          if (bound > FIXED16_TOLERANCE * (1 + MAX (0, s - bound)))
            d = dot_body (q->timbre, t, TIMBRE_STRIDE);
        }
      else
        d = dot_body (q->timbre, t, TIMBRE_STRIDE);
      *skl = MAX (0.5 * (d + q->timbre_const) - COCHLEA_TIMBRE_N_MFCC, 0);
    }
  else
    *skl = NAN;
  out[ATTRIBUTES] = attribute_exponent (q, attrs);
  out[RHYTHM] = rhythm_component (self, q, row);
}

/* The timbre component −log (1 + SKL), NAN when not compared. */
static inline float
timbre_of_skl (double skl)
{
  return isnan (skl) ? NAN : (float) -log1p_pos (skl);
}

/* Every raw component of one row (TIMBRE: −log (1 + SKL)).  Built twice
 * like the passes (scan_sums_fma and scan_sums_base), and the same build
 * as theirs taken (q->fma), so that a row re-scored from the float terms
 * gets the very components the float scan gives it. */
static inline __attribute__ ((always_inline)) void
row_components_body (CochleaIndex *self,
                     const Query  *q,
                     guint         row,
                     gboolean      approx,
                     float        *out)
{
  double skl;

  row_parts (self, q, row, approx, out, &skl);
  out[TIMBRE] = timbre_of_skl (skl);
  if (!isnan (out[ATTRIBUTES]))
    out[ATTRIBUTES] = expf (out[ATTRIBUTES]);
}

__attribute__ ((target ("avx2,fma")))
static void
row_components_fma (CochleaIndex *self,
                    const Query  *q,
                    guint         row,
                    gboolean      approx,
                    float        *out)
{
  row_components_body (self, q, row, approx, out);
}

static void
row_components_base (CochleaIndex *self,
                     const Query  *q,
                     guint         row,
                     gboolean      approx,
                     float        *out)
{
  row_components_body (self, q, row, approx, out);
}

static void
row_components (CochleaIndex *self,
                const Query  *q,
                guint         row,
                gboolean      approx,
                float        *out)
{
  (q->fma ? row_components_fma : row_components_base) (self, q, row, approx, out);
}

/* Stage 1: the same with the timbre term from the sketch. */
static void
row_proxy (CochleaIndex *self,
           const Query  *q,
           guint         row,
           float        *out)
{
  out[CONTENT] = q->vector != NULL && self->has_vector[row]
               ? dot (q->vector, self->vectors + (gsize) row * self->dim, self->dim) : NAN;
  if (q->sketch != NULL && self->has_timbre[row])
    {
      float d = q->sketch_const + dot (q->sketch, self->sketch + (gsize) row * COCHLEA_SKETCH_DIM,
                                       COCHLEA_SKETCH_DIM);
      out[TIMBRE] = (float) -log1p_pos (MAX (0.5f * (d + q->timbre_const) - COCHLEA_TIMBRE_N_MFCC, 0));
    }
  else
    out[TIMBRE] = NAN;
  out[ATTRIBUTES] = attribute_component (q, self->attrs + (gsize) row * COCHLEA_N_ATTRIBUTES);
  out[RHYTHM] = rhythm_component (self, q, row);
}

/* Pass 2: the weighted mean of the standardised components present.
 * With @local (the row's local-scaling terms, or NULL), a part is the
 * mean of the query's z-score and the candidate's own, x/σ − μ/σ: the
 * coefficients are folded per query (set_fusion), so a part is two
 * multiply-adds and, with local scaling, two more. */
static inline double
fuse (const Query *q,
      const float *local,
      const float *c)
{
  double num = 0, den = 0;

  for (int k = 0; k < N_COMPONENTS; k++)
    if (q->w[k] > 0 && !isnan (c[k]))
      {
        num += q->fz_x[k] * c[k] + q->fz_1[k];
        if (local != NULL)
          num += q->fz_local[k] * (c[k] * local[2 * k] + local[2 * k + 1]);
        den += q->w[k];
      }
  return den > 0 ? num / den : 0;
}

G_STATIC_ASSERT (N_COMPONENTS == 4);

/* fuse () in float, 4 parts at a time: pass 2 ranks by it first and
 * computes fuse () only for the rows it cannot rule out (FUSED_MARGIN). */
static inline float
fused_estimate (const Query *q,
                const float *local,
                const float *c)
{
  v4sf x = { c[0], c[1], c[2], c[3] };
  v4si on = (x == x) & *(const v4si *) q->fe_on;
  v4sf num = *(const v4sf *) q->fe_x * x + *(const v4sf *) q->fe_1;
  v4sf den = (v4sf) ((v4si) *(const v4sf *) q->fe_w & on);
  float n, d;

  if (local != NULL)
    {
      v4sf l0 = { local[0], local[2], local[4], local[6] };
      v4sf l1 = { local[1], local[3], local[5], local[7] };
      num += *(const v4sf *) q->fe_local * (x * l0 + l1);
    }
  num = (v4sf) ((v4si) num & on);
  n = (num[0] + num[1]) + (num[2] + num[3]);
  d = (den[0] + den[1]) + (den[2] + den[3]);
  return d > 0 ? n / d : 0;
}

/* How far below the heap's lowest score fused_estimate () may be and the
 * row still be scored exactly: float rounding of the fused z-score is
 * ~1e-6 (a sum of a few terms of magnitude ≤ ~10). */
#define FUSED_MARGIN 1e-3

/* The fused z-score as a 0–1 score: the standard normal CDF. */
static double
fused_to_score (double fused)
{
  return 0.5 * erfc (-fused * M_SQRT1_2);
}

static inline gboolean
excluded (CochleaIndex                 *self,
          const Query                  *q,
          const CochleaRecommendParams *params,
          guint                         row)
{
  return self->ids[row] == q->exclude_id ||
         (params->exclude_rows != NULL && params->exclude_rows[row]) ||
         (q->artist >= 0 && self->artist[row] == q->artist) ||
         (q->album >= 0 && self->album[row] == q->album);
}

/* A min-heap of the best @cap candidates. */
typedef struct
{
  Candidate *items;
  guint      len;
  guint      cap;
} Heap;

static void
heap_push (Heap            *h,
           const Candidate *c)
{
  guint i;

  if (h->len == h->cap)
    {
      if (c->score <= h->items[0].score)
        return;
      /* Replace the root and sift down. */
      i = 0;
      for (;;)
        {
          guint l = 2 * i + 1, r = l + 1, m = i;
          double ms = c->score;
          if (l < h->len && h->items[l].score < ms)
            m = l, ms = h->items[l].score;
          if (r < h->len && h->items[r].score < ms)
            m = r;
          if (m == i)
            break;
          h->items[i] = h->items[m];
          i = m;
        }
      h->items[i] = *c;
      return;
    }
  i = h->len++;
  while (i > 0 && h->items[(i - 1) / 2].score > c->score)
    {
      h->items[i] = h->items[(i - 1) / 2];
      i = (i - 1) / 2;
    }
  h->items[i] = *c;
}

/* Pass 1's sums over one chunk of rows (or over the two-stage sample). */
typedef struct
{
  double sum[N_COMPONENTS];
  double sum2[N_COMPONENTS];
  double count[N_COMPONENTS];
} ScanSums;

/* What the threads of one pass share: the next chunk to take. */
typedef struct
{
  gint      next;       /* atomic */
  guint     n_chunks;
  ScanSums *sums;       /* (n_chunks) pass 1's, each chunk's own */
} ScanChunks;

typedef struct
{
  CochleaIndex                 *self;
  const Query                  *q;
  const CochleaRecommendParams *params;
  float                        *comps;   /* (n, N_COMPONENTS), shared, each chunk written by one thread */
  ScanChunks                   *chunks;  /* passes 1 and 2 */
  guint                         start, end;   /* two-stage: this job's rows */
  int                           pass;
  Heap                          heap;
  guint                         shortlist;   /* stage 1's heap size (two-stage) */
  Heap                          approx;      /* pass 2's best by the 16-bit scores (q->approx) */
} ScanJob;

/* A candidate's score from its components, as pass 2 ranks it. */
static void
score_candidate (const ScanJob *job,
                 guint          row,
                 const float   *c,
                 Candidate     *cand)
{
  cand->row = row;
  cand->fused = fuse (job->q, job->q->any_local ? job->self->local + (gsize) row * 2 * N_COMPONENTS : NULL, c);
  if (job->params->taste != NULL)
    {
      cand->taste = job->params->taste[row];
      cand->score = (1 - job->q->tau) * fused_to_score (cand->fused) + job->q->tau * cand->taste;
    }
  else
    cand->score = cand->fused;   /* the same order as its CDF, computed for the pool only */
  memcpy (cand->comp, c, sizeof cand->comp);
}

/* Two-stage: the proxy over this job's rows into a shortlist, then the
 * exact components of the shortlist into the job's heap. */
static void
two_stage (ScanJob *job)
{
  CochleaIndex *self = job->self;
  const Query *q = job->q;
  Heap shortlist = { g_new (Candidate, job->shortlist), 0, job->shortlist };

  for (guint r = job->start; r < job->end; r++)
    {
      float c[N_COMPONENTS];
      Candidate cand;

      if (excluded (self, q, job->params, r))
        continue;
      row_proxy (self, q, r, c);
      score_candidate (job, r, c, &cand);
      if (shortlist.len == shortlist.cap && cand.score <= shortlist.items[0].score)
        continue;
      heap_push (&shortlist, &cand);
    }
  for (guint i = 0; i < shortlist.len; i++)
    {
      float c[N_COMPONENTS];
      Candidate cand;

      row_components (self, q, shortlist.items[i].row, FALSE, c);
      score_candidate (job, shortlist.items[i].row, c, &cand);
      if (job->heap.len == job->heap.cap && cand.score <= job->heap.items[0].score)
        continue;
      heap_push (&job->heap, &cand);
    }
  g_free (shortlist.items);
}

/* Pass 1 over rows [@start, @end): every component of every row into the
 * components array, and their sums into @out. */
static inline __attribute__ ((always_inline)) void
scan_sums_body (ScanJob  *job,
                guint     start,
                guint     end,
                ScanSums *out)
{
  CochleaIndex *self = job->self;
  const Query *q = job->q;
  const v4df one = { 1, 1, 1, 1 };
  v4df sum = { 0 }, sum2 = { 0 }, count = { 0 };

  /* In blocks: first the dot products of each row, then the logarithms
   * and the sums of the block, whose rows are independent (one row's
   * chain of dot product → logarithm → sums was the latency the scan
   * waited on). */
  for (guint r0 = start; r0 < end; r0 += SCAN_BLOCK)
    {
      guint r1 = MIN (end, r0 + SCAN_BLOCK);
      double skl[SCAN_BLOCK];

      for (guint r = r0; r < r1; r++)
        {
          float *c = job->comps + (gsize) r * N_COMPONENTS;
          if (excluded (self, q, job->params, r))
            c[0] = INFINITY;   /* marks the row as excluded for pass 2 */
          else
            row_parts (self, q, r, q->approx, c, &skl[r - r0]);
        }
      for (guint r = r0; r < r1; r++)
        {
          float *c = job->comps + (gsize) r * N_COMPONENTS;
          v4sf x;
          v4di known;
          v4df xd;

          if (c[0] == INFINITY)
            continue;
          c[TIMBRE] = timbre_of_skl (skl[r - r0]);
          if (!isnan (c[ATTRIBUTES]))
            c[ATTRIBUTES] = expf (c[ATTRIBUTES]);
          /* The 4 parts' sums side by side, in the same order per
           * part as one at a time (the same values). */
          x = (v4sf) { c[0], c[1], c[2], c[3] };
          known = __builtin_convertvector (x == x, v4di);
          xd = __builtin_convertvector (x, v4df);
          sum += (v4df) ((v4di) xd & known);
          sum2 += (v4df) ((v4di) (xd * xd) & known);
          count += (v4df) ((v4di) one & known);
        }
    }
  for (int k = 0; k < N_COMPONENTS; k++)
    {
      out->sum[k] = sum[k];
      out->sum2[k] = sum2[k];
      out->count[k] = count[k];
    }
}

/* Pass 2 over rows [@start, @end): the best rows into @heap. */
static inline __attribute__ ((always_inline)) void
scan_rows_body (ScanJob *job,
                Heap    *heap,
                guint    start,
                guint    end)
{
  CochleaIndex *self = job->self;
  const Query *q = job->q;

  for (guint r = start; r < end; r++)
    {
      const float *c = job->comps + (gsize) r * N_COMPONENTS;
      Candidate cand;

      if (c[0] == INFINITY)
        continue;
      /* Without a taste model the score is the fused z-score: a row
       * whose estimate is well below the heap's lowest is not in it. */
      if (heap->len == heap->cap && job->params->taste == NULL &&
          fused_estimate (q, q->any_local ? self->local + (gsize) r * 2 * N_COMPONENTS : NULL, c) <
          heap->items[0].score - FUSED_MARGIN)
        continue;
      score_candidate (job, r, c, &cand);
      if (heap->len == heap->cap && cand.score <= heap->items[0].score)
        continue;
      heap_push (heap, &cand);
    }
}

/* Two builds of each pass's loop, as of dot_i16 (): with AVX2 and FMA
 * (the logarithm's polynomial, the sums in doubles and the fusion in one
 * instruction per 4 lanes instead of two), picked per query (q->fma), and
 * the baseline's. */
__attribute__ ((target ("avx2,fma")))
static void
scan_sums_fma (ScanJob  *job,
               guint     start,
               guint     end,
               ScanSums *out)
{
  scan_sums_body (job, start, end, out);
}

static void
scan_sums_base (ScanJob  *job,
                guint     start,
                guint     end,
                ScanSums *out)
{
  scan_sums_body (job, start, end, out);
}

__attribute__ ((target ("avx2,fma")))
static void
scan_rows_fma (ScanJob *job,
               Heap    *heap,
               guint    start,
               guint    end)
{
  scan_rows_body (job, heap, start, end);
}

static void
scan_rows_base (ScanJob *job,
                Heap    *heap,
                guint    start,
                guint    end)
{
  scan_rows_body (job, heap, start, end);
}

/* Whether the AVX2 + FMA builds of the passes run here: yes where the CPU
 * has both, unless COCHLEA_SCAN_BASELINE is set (to compare the two). */
static gboolean
scan_fma (void)
{
  static gsize fma = 0;

  if (g_once_init_enter (&fma))
    {
      __builtin_cpu_init ();
      g_once_init_leave (&fma, __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma") &&
                               g_getenv ("COCHLEA_SCAN_BASELINE") == NULL ? 2 : 1);
    }
  return fma == 2;
}

static gpointer
scan (gpointer data)
{
  ScanJob *job = data;
  CochleaIndex *self = job->self;
  const Query *q = job->q;

  if (job->pass == 3)
    {
      two_stage (job);
      return NULL;
    }
  if (job->pass == 1)
    {
      ScanChunks *chunks = job->chunks;
      guint chunk;

      while ((chunk = (guint) g_atomic_int_add (&chunks->next, 1)) < chunks->n_chunks)
        (q->fma ? scan_sums_fma : scan_sums_base) (job, chunk * SCAN_CHUNK,
                                                   MIN (self->n, (chunk + 1) * SCAN_CHUNK),
                                                   &chunks->sums[chunk]);
      return NULL;
    }

  {
    Heap *heap = q->approx ? &job->approx : &job->heap;
    ScanChunks *chunks = job->chunks;
    guint chunk;

    while ((chunk = (guint) g_atomic_int_add (&chunks->next, 1)) < chunks->n_chunks)
      (q->fma ? scan_rows_fma : scan_rows_base) (job, heap, chunk * SCAN_CHUNK,
                                                 MIN (self->n, (chunk + 1) * SCAN_CHUNK));
  }
  return NULL;
}

/* A helper thread of one chunked pass.  The caller, once no chunk is
 * left, cancels a helper that has not begun yet (when another process
 * holds the other core, a new thread can wait a scheduler slice or more
 * before it first runs) instead of waiting for it to start only to find
 * no chunk; it waits only for helpers that began.  Shared by the two and
 * freed by whichever lets go last, so a cancelled helper touches nothing
 * of the query. */
typedef enum
{
  HELPER_WAITING,
  HELPER_RUNNING,
  HELPER_CANCELLED,
} HelperState;

typedef struct
{
  gint      state;   /* atomic HelperState */
  ScanJob  *job;
  void    (*hook) (gpointer);
  gpointer  hook_data;
} ScanHelper;

static gpointer
scan_helper (gpointer data)
{
  ScanHelper *helper = data;

  if (helper->hook != NULL)
    helper->hook (helper->hook_data);
  if (g_atomic_int_compare_and_exchange (&helper->state, HELPER_WAITING, HELPER_RUNNING))
    scan (helper->job);
  g_atomic_rc_box_release (helper);
  return NULL;
}

static void
run_jobs (ScanJob *jobs,
          guint    n_jobs,
          int      pass)
{
  CochleaIndex *self = jobs[0].self;

  for (guint t = 0; t < n_jobs; t++)
    jobs[t].pass = pass;
  if (jobs[0].chunks != NULL)
    jobs[0].chunks->next = 0;   /* published to the threads by g_thread_new () */
  if (n_jobs == 1)
    scan (&jobs[0]);
  else if (jobs[0].chunks == NULL)
    {
      /* Two-stage: each job has its own rows, so every one must run. */
      g_autofree GThread **threads = g_new (GThread *, n_jobs);
      for (guint t = 1; t < n_jobs; t++)
        threads[t] = g_thread_new ("cochlea-scan", scan, &jobs[t]);
      scan (&jobs[0]);
      for (guint t = 1; t < n_jobs; t++)
        g_thread_join (threads[t]);
    }
  else
    {
      g_autofree GThread **threads = g_new (GThread *, n_jobs);
      g_autofree ScanHelper **helpers = g_new (ScanHelper *, n_jobs);

      for (guint t = 1; t < n_jobs; t++)
        {
          helpers[t] = g_atomic_rc_box_new0 (ScanHelper);
          helpers[t]->job = &jobs[t];
          helpers[t]->hook = self->helper_hook;
          helpers[t]->hook_data = self->helper_hook_data;
          threads[t] = g_thread_new ("cochlea-scan", scan_helper, g_atomic_rc_box_acquire (helpers[t]));
        }
      scan (&jobs[0]);
      for (guint t = 1; t < n_jobs; t++)
        {
          if (g_atomic_int_compare_and_exchange (&helpers[t]->state, HELPER_WAITING, HELPER_CANCELLED))
            g_thread_unref (threads[t]);   /* it ends on its own, having done nothing */
          else
            g_thread_join (threads[t]);
          g_atomic_rc_box_release (helpers[t]);
        }
    }
}

/* The fusion's per-part coefficients from the weights, the
 * standardisation and which parts are locally scaled. */
static void
set_fusion (Query *q)
{
  q->any_local = FALSE;
  for (int k = 0; k < N_COMPONENTS; k++)
    {
      double h = q->local[k] ? 0.5 : 1;
      q->fz_x[k] = q->w[k] * h * q->inv_std[k];
      q->fz_1[k] = -q->w[k] * h * q->mean[k] * q->inv_std[k];
      q->fz_local[k] = q->local[k] ? q->w[k] * 0.5 : 0;
      q->any_local = q->any_local || (q->local[k] && q->w[k] > 0);
      q->fe_on[k] = q->w[k] > 0 ? -1 : 0;
      q->fe_x[k] = q->w[k] > 0 ? (float) q->fz_x[k] : 0;
      q->fe_1[k] = q->w[k] > 0 ? (float) q->fz_1[k] : 0;
      q->fe_local[k] = q->w[k] > 0 && q->any_local ? (float) q->fz_local[k] : 0;
      q->fe_w[k] = q->w[k] > 0 ? (float) q->w[k] : 0;
    }
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *x = a, *y = b;

  if (x->score != y->score)
    return x->score < y->score ? 1 : -1;
  return x->row < y->row ? -1 : x->row > y->row;
}

/* The mean and deviation of each component over the query's candidates
 * (pass 1's sums of each chunk, added in chunk order, or the sample's). */
static void
standardise (const ScanSums *sums,
             guint           n_sums,
             Query          *q)
{
  for (int k = 0; k < N_COMPONENTS; k++)
    {
      double sum = 0, sum2 = 0, count = 0, var;
      for (guint i = 0; i < n_sums; i++)
        {
          sum += sums[i].sum[k];
          sum2 += sums[i].sum2[k];
          count += sums[i].count[k];
        }
      q->mean[k] = count > 0 ? sum / count : 0;
      var = count > 1 ? (sum2 - sum * sum / count) / (count - 1) : 0;
      q->inv_std[k] = var > 1e-12 ? 1 / sqrt (var) : 1;
    }
  set_fusion (q);
}

/* The best rows by the 16-bit terms over every thread's @approx heap
 * (the same rows whatever the number of threads: the union holds the best
 * pool_cap + RESCORE_ROWS of all), re-scored from the float terms with the
 * same standardisation into @heap.  @threshold: the lowest 16-bit score
 * re-scored when some row was not, else −∞; @error: the largest
 * |exact − 16-bit| fused z-score among them. */
static void
rescore (ScanJob *jobs,
         guint    n_jobs,
         Heap    *heap,
         double  *threshold,
         double  *error)
{
  g_autofree Candidate *best = NULL;
  guint n = 0, cap = jobs[0].approx.cap;
  gboolean full = FALSE;

  for (guint t = 0; t < n_jobs; t++)
    {
      n += jobs[t].approx.len;
      full = full || jobs[t].approx.len == jobs[t].approx.cap;
    }
  best = g_new (Candidate, MAX (n, 1));
  n = 0;
  for (guint t = 0; t < n_jobs; t++)
    {
      memcpy (best + n, jobs[t].approx.items, jobs[t].approx.len * sizeof (Candidate));
      n += jobs[t].approx.len;
    }
  qsort (best, n, sizeof (Candidate), compare_candidates);
  full = full || n > cap;
  n = MIN (n, cap);
  *threshold = full && n > 0 ? best[n - 1].score : -INFINITY;
  *error = 0;
  for (guint i = 0; i < n; i++)
    {
      float c[N_COMPONENTS];
      Candidate cand;

      row_components (jobs[0].self, jobs[0].q, best[i].row, FALSE, c);
      score_candidate (&jobs[0], best[i].row, c, &cand);
      *error = MAX (*error, fabs (cand.fused - best[i].fused));
      if (heap->len == heap->cap && cand.score <= heap->items[0].score)
        continue;
      heap_push (heap, &cand);
    }
}

/* Whether the results re-scored from the float terms (@heap) are the exact
 * scan's: every row not re-scored scored at most @threshold with the
 * 16-bit terms, and its exact fused z-score differs from that by about
 * the largest difference seen among the re-scored rows (@error; those
 * closest in timbre, whose −log (1 + SKL) is steepest).  The pool's last
 * exact score must clear the threshold by twice that, in score units
 * (@slope: the largest d score / d fused). */
static gboolean
confirmed (const Heap *heap,
           double      threshold,
           double      error,
           guint       pool_cap,
           double      slope)
{
  double last = G_MAXDOUBLE;

  if (threshold == -INFINITY)
    return TRUE;   /* every candidate was re-scored */
  if (heap->len < pool_cap)
    return FALSE;
  for (guint i = 0; i < heap->len; i++)
    last = MIN (last, heap->items[i].score);
  return last > threshold + 2 * slope * error + 1e-12 * (1 + fabs (threshold));
}

/* The 16-bit query terms (pass 1 of the exact scan) from q->timbre. */
static void
prepare_timbre_q (CochleaIndex *self,
                  Query        *q)
{
  double sum_abs = 0;

  q->timbre_q = g_new (float, TIMBRE_STRIDE);
  q->dot_i16 = pick_dot_i16 ();
  q->timbre_q_const = 0;
  for (guint j = 0; j < TIMBRE_STRIDE; j++)
    {
      q->timbre_q[j] = q->timbre[j] * self->timbre_qdev[j];
      q->timbre_q_const += (double) q->timbre[j] * self->timbre_qmean[j];
      sum_abs += fabs (q->timbre_q[j]);
    }
  /* A row's rounding moves d by at most ½ qscale Σ|q_j qdev_j|, the
   * divergence by half that. */
  q->timbre_q_abs = sum_abs;
}

/* The compared attributes: @targets (NAN: @own's value) with @weights. */
static void
prepare_attributes (Query        *q,
                    const double *targets,
                    const double *own,
                    const double *weights)
{
  q->n_attrs = 0;
  q->key_on = FALSE;
  memset (q->lane_on, 0, sizeof q->lane_on);
  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    {
      double t = isfinite (targets[i]) ? targets[i] : own[i];
      if (weights[i] <= 0 || !isfinite (t) || (i == COCHLEA_ATTR_KEY && t < 0))
        continue;
      q->attr[q->n_attrs] = i;
      q->target[q->n_attrs] = t;
      q->weight[q->n_attrs] = weights[i];
      q->inv_scale[q->n_attrs] = 1.0 / cochlea_attribute_get_info (i)->scale;
      q->target_f[q->n_attrs] = (float) t;
      q->weight_f[q->n_attrs] = (float) weights[i];
      q->wscale[q->n_attrs] = (float) (weights[i] * q->inv_scale[q->n_attrs] * q->inv_scale[q->n_attrs]);
      if (i == COCHLEA_ATTR_KEY)
        {
          for (int k = 0; k < 12; k++)
            {
              double u = fifths_distance (k, t) * q->inv_scale[q->n_attrs];
              q->key_d2[k] = (float) (weights[i] * u * u);
            }
          q->key_on = TRUE;
          q->key_w = q->weight_f[q->n_attrs];
        }
      else
        {
          q->lane_t[i] = q->target_f[q->n_attrs];
          q->lane_ws[i] = q->wscale[q->n_attrs];
          q->lane_w[i] = q->weight_f[q->n_attrs];
          q->lane_on[i] = -1;
        }
      q->n_attrs++;
    }
}

static void
query_clear (Query *q)
{
  g_clear_pointer (&q->vector, g_free);
  g_clear_pointer (&q->timbre, g_free);
  g_clear_pointer (&q->rhythm, g_free);
  g_clear_pointer (&q->timbre_q, g_free);
  g_clear_pointer (&q->sketch, g_free);
}

static void
prepare_query (CochleaIndex                 *self,
               const CochleaFeatures        *query,
               gint64                        query_id,
               const char                   *artist,
               const char                   *album,
               const CochleaRecommendParams *params,
               Query                        *q)
{
  gboolean default_attributes = TRUE;

  memset (q, 0, sizeof *q);
  q->exclude_id = query_id;
  q->artist = params->exclude_same_artist ? name_key (self, artist, FALSE) : -3;
  q->album = params->exclude_same_album ? name_key (self, album, FALSE) : -3;
  q->w[CONTENT] = MAX (0, params->content_weight);
  q->w[TIMBRE] = MAX (0, params->timbre_weight);
  q->w[ATTRIBUTES] = MAX (0, params->attribute_weight);
  q->w[RHYTHM] = MAX (0, params->rhythm_weight);
  if (query->rhythm != NULL && self->rhythm != NULL && q->w[RHYTHM] > 0)
    {
      q->rhythm = g_memdup2 (query->rhythm, sizeof (float) * COCHLEA_RHYTHM_DIM);
      rhythm_transform (self, q->rhythm);
    }
  q->tau = CLAMP (params->taste_weight, 0, 1);

  if (query->vector != NULL && query->dim == self->dim &&
      g_strcmp0 (query->model, self->model) == 0)
    {
      q->vector = g_memdup2 (query->vector, sizeof (float) * self->dim);
      transform (self, q->vector);
    }
  if (query->timbre != NULL && self->timbre != NULL && q->w[TIMBRE] > 0)
    {
      q->timbre = g_new0 (float, TIMBRE_STRIDE);
      if (!cochlea_timbre_terms (query->timbre, self->timbre_offset, NULL, q->timbre, &q->timbre_const))
        g_clear_pointer (&q->timbre, g_free);
    }
  if (q->timbre != NULL && self->timbre_q != NULL)
    prepare_timbre_q (self, q);
  if (q->timbre != NULL && self->sketch != NULL)
    {
      q->sketch = g_new (float, COCHLEA_SKETCH_DIM);
      for (guint k = 0; k < COCHLEA_SKETCH_DIM; k++)
        q->sketch[k] = dot (self->sketch_query + (gsize) k * TIMBRE_STRIDE, q->timbre, TIMBRE_STRIDE);
      q->sketch_const = dot (self->sketch_mean, q->timbre, TIMBRE_STRIDE);
    }
  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    {
      /* "Like this, but more energy": a target steers, whatever the
       * (small) default weight of the attributes in plain similarity. */
      if (isfinite (params->targets[i]))
        q->w[ATTRIBUTES] = MAX (q->w[ATTRIBUTES], COCHLEA_STEERING_ATTRIBUTE_WEIGHT);
      if (isfinite (params->targets[i]) ||
          params->attr_weights[i] != cochlea_attribute_get_info (i)->default_weight)
        default_attributes = FALSE;
    }
  prepare_attributes (q, params->targets, query->attrs, params->attr_weights);

  /* The candidates' stats describe the default similarity of each part;
   * once the user sets targets or attribute weights, the attribute part
   * measures something else and keeps only the query's side. */
  for (int k = 0; k < N_COMPONENTS; k++)
    q->local[k] = params->local_scaling && self->local != NULL;
  q->local[ATTRIBUTES] = q->local[ATTRIBUTES] && default_attributes;
}

/* Local scaling, the candidate's side of each part: a sampled
 * mutual-proximity-like hubness correction (Schnitzer et al. 2012).  A
 * track close to everything (a hub) has a high mean similarity to the
 * sample, so its own z-score of a query's similarity is low, and the
 * query's side alone would return it for every query.  The sample is
 * the COCHLEA_LOCAL_SAMPLE rows with the smallest hash of their track
 * id (seeded), rows with every part first: the same tracks whatever
 * order they were imported in. */
#define LOCAL_SEED G_GUINT64_CONSTANT (0x6c6f63616c736361)

static guint64
mix64 (guint64 x)
{
  /* splitmix64's finaliser */
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

/* The parts a row lacks first, then the hash of its id. */
static guint64
sample_key (CochleaIndex *self,
            guint         row)
{
  guint64 missing = !self->has_vector[row] + (self->timbre == NULL || !self->has_timbre[row]) +
                    (self->rhythm == NULL || !self->has_rhythm[row]);

  return missing << 61 | mix64 ((guint64) self->ids[row] ^ LOCAL_SEED) >> 3;
}

/* Sample row @s as a query of the default similarity (every part,
 * default attribute weights, its own values as targets). */
static void
row_query (CochleaIndex *self,
           guint         s,
           Query        *q)
{
  double own[COCHLEA_N_ATTRIBUTES], none[COCHLEA_N_ATTRIBUTES], weights[COCHLEA_N_ATTRIBUTES];

  memset (q, 0, sizeof *q);
  q->exclude_id = self->ids[s];
  q->artist = q->album = -3;
  for (int k = 0; k < N_COMPONENTS; k++)
    q->w[k] = 1;
  if (self->has_vector[s])
    q->vector = g_memdup2 (self->vectors + (gsize) s * self->dim, sizeof (float) * self->dim);
  if (self->rhythm != NULL && self->has_rhythm[s])
    q->rhythm = g_memdup2 (self->rhythm + (gsize) s * COCHLEA_RHYTHM_DIM, sizeof (float) * COCHLEA_RHYTHM_DIM);
  if (self->timbre != NULL && self->has_timbre[s])
    {
      const float *r = self->timbre + (gsize) s * TIMBRE_STRIDE;
      q->timbre = g_new (float, TIMBRE_STRIDE);
      query_terms_of_row (r, q->timbre);
      q->timbre_const = r[2 * COCHLEA_TIMBRE_TRI + 2 * COCHLEA_TIMBRE_N_MFCC];   /* c */
    }
  cochlea_index_get_attrs (self, s, own);
  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    {
      none[i] = NAN;
      weights[i] = cochlea_attribute_get_info (i)->default_weight;
    }
  prepare_attributes (q, none, own, weights);
}

typedef struct
{
  CochleaIndex *self;
  const Query  *queries;
  const guint  *sample;
  guint         n_sample;
  guint         start, end;
} LocalJob;

/* Each row's mean and deviation of every part over the sample rows but
 * itself, from the float terms (what EXACT_FLOAT compares). */
static gpointer
local_stats_rows (gpointer data)
{
  LocalJob *job = data;
  CochleaIndex *self = job->self;

  for (guint r = job->start; r < job->end; r++)
    {
      double sum[N_COMPONENTS] = { 0 }, sum2[N_COMPONENTS] = { 0 };
      guint count[N_COMPONENTS] = { 0 };
      float *out = self->local + (gsize) r * 2 * N_COMPONENTS;

      for (guint i = 0; i < job->n_sample; i++)
        {
          float c[N_COMPONENTS];
          if (job->sample[i] == r)
            continue;
          row_components (self, &job->queries[i], r, FALSE, c);
          for (int k = 0; k < N_COMPONENTS; k++)
            if (!isnan (c[k]))
              {
                sum[k] += c[k];
                sum2[k] += (double) c[k] * c[k];
                count[k]++;
              }
        }
      for (int k = 0; k < N_COMPONENTS; k++)
        {
          double mean = count[k] > 0 ? sum[k] / count[k] : 0;
          double var = count[k] > 1 ? (sum2[k] - sum[k] * mean) / (count[k] - 1) : 0;
          if (count[k] > 1 && var > 1e-12 * (1 + mean * mean))
            {
              out[2 * k] = (float) (1 / sqrt (var));
              out[2 * k + 1] = (float) (-mean / sqrt (var));
            }
          else
            out[2 * k] = out[2 * k + 1] = 0;   /* its own side counts as average */
        }
    }
  return NULL;
}

static void
build_local_stats (CochleaIndex *self)
{
  guint sample[COCHLEA_LOCAL_SAMPLE];
  guint64 keys[COCHLEA_LOCAL_SAMPLE];
  Query queries[COCHLEA_LOCAL_SAMPLE];
  guint n_sample = 0, n_jobs;
  g_autofree LocalJob *jobs = NULL;

  if (self->n < 3)
    return;
  for (guint r = 0; r < self->n; r++)
    {
      guint64 key = sample_key (self, r);
      guint i;
      if (n_sample == COCHLEA_LOCAL_SAMPLE && key >= keys[n_sample - 1])
        continue;
      i = MIN (n_sample, COCHLEA_LOCAL_SAMPLE - 1);
      for (; i > 0 && keys[i - 1] > key; i--)
        {
          keys[i] = keys[i - 1];
          sample[i] = sample[i - 1];
        }
      keys[i] = key;
      sample[i] = r;
      n_sample = MIN (n_sample + 1, COCHLEA_LOCAL_SAMPLE);
    }
  for (guint i = 0; i < n_sample; i++)
    row_query (self, sample[i], &queries[i]);

  self->local = alloc_scan_array (sizeof (float) * self->n * 2 * N_COMPONENTS);
  n_jobs = CLAMP (self->n / (MIN_ROWS_PER_THREAD / 8), 1, self->n_threads);
  jobs = g_new0 (LocalJob, n_jobs);
  for (guint t = 0; t < n_jobs; t++)
    jobs[t] = (LocalJob) { self, queries, sample, n_sample,
                           (guint) ((guint64) self->n * t / n_jobs),
                           (guint) ((guint64) self->n * (t + 1) / n_jobs) };
  if (n_jobs == 1)
    local_stats_rows (&jobs[0]);
  else
    {
      g_autofree GThread **threads = g_new (GThread *, n_jobs);
      for (guint t = 1; t < n_jobs; t++)
        threads[t] = g_thread_new ("cochlea-local", local_stats_rows, &jobs[t]);
      local_stats_rows (&jobs[0]);
      for (guint t = 1; t < n_jobs; t++)
        g_thread_join (threads[t]);
    }
  for (guint i = 0; i < n_sample; i++)
    query_clear (&queries[i]);
}

static CochleaRecommendation
recommendation_of (CochleaIndex    *self,
                   const Candidate *c)
{
  CochleaRecommendation rec = { .id = self->ids[c->row], .row = c->row, .score = c->score,
                                .content = c->content, .attributes = c->attributes,
                                .taste = c->taste, .timbre_kl = c->timbre_kl, .rhythm = c->rhythm };
  return rec;
}

GArray *
cochlea_index_recommend (CochleaIndex                 *self,
                         const CochleaFeatures        *query,
                         gint64                        query_id,
                         const char                   *artist,
                         const char                   *album,
                         const CochleaRecommendParams *params)
{
  g_autoptr(GArray) results = g_array_new (FALSE, FALSE, sizeof (CochleaRecommendation));
  g_autofree ScanJob *jobs = NULL;
  g_autofree Candidate *pool = NULL;
  g_autofree float *comps = NULL;
  g_autofree ScanSums *sums = NULL;
  ScanChunks chunks = { 0 };
  guint n_jobs, pool_cap, n_pool = 0;
  gboolean two;
  Query q;

  g_return_val_if_fail (self->finished, NULL);
  g_return_val_if_fail (query != NULL && params != NULL, NULL);

  prepare_query (self, query, query_id, artist, album, params, &q);
  q.fma = scan_fma ();

  /* MMR re-ranks a pool of the most relevant; without it the pool is k. */
  pool_cap = params->diversity > 0 ? MAX (params->k * 10, 100) : params->k;
  pool_cap = MAX (pool_cap, 1);
  n_jobs = CLAMP (self->n / MAX (self->min_rows_per_thread, 1), 1, self->n_threads);
  two = q.sketch != NULL &&
        (self->search == COCHLEA_SEARCH_TWO_STAGE ||
         (self->search == COCHLEA_SEARCH_AUTO && self->n >= COCHLEA_TWO_STAGE_MIN_ROWS));
  if (!two)
    {
      /* Allocated once: the 16 bytes a row of a fresh array cost a page
       * fault per 256 rows, ~6 ms of a ~9 ms query here (bench-scan). */
      comps = g_atomic_pointer_exchange (&self->scratch, NULL);
      if (comps == NULL)
        comps = g_new (float, (gsize) MAX (self->n, 1) * N_COMPONENTS);
      chunks.n_chunks = (self->n + SCAN_CHUNK - 1) / SCAN_CHUNK;
      chunks.sums = sums = g_new0 (ScanSums, MAX (chunks.n_chunks, 1));
      n_jobs = MIN (n_jobs, MAX (chunks.n_chunks, 1));
    }
  q.approx = !two && q.timbre_q != NULL && self->search != COCHLEA_SEARCH_EXACT_FLOAT;
  jobs = g_new0 (ScanJob, n_jobs);
  for (guint t = 0; t < n_jobs; t++)
    {
      jobs[t].self = self;
      jobs[t].q = &q;
      jobs[t].params = params;
      jobs[t].comps = comps;
      jobs[t].chunks = two ? NULL : &chunks;
      jobs[t].start = (guint) ((guint64) self->n * t / n_jobs);
      jobs[t].end = (guint) ((guint64) self->n * (t + 1) / n_jobs);
      jobs[t].heap.cap = pool_cap;
      jobs[t].heap.items = g_new (Candidate, pool_cap);
      jobs[t].shortlist = MAX (pool_cap, self->shortlist / n_jobs + 1);
      jobs[t].approx.cap = pool_cap + RESCORE_ROWS;
      jobs[t].approx.items = q.approx ? g_new (Candidate, jobs[t].approx.cap) : NULL;
    }

  /* Pass 1: every component of every row, and their mean and deviation
   * over this query's candidates; pass 2: the standardised weighted sum
   * (so a component's weight means the same whatever its spread). */
  if (two)
    {
      /* The standardisation from the fixed sample of rows, exactly. */
      ScanSums sample = { { 0 } };

      for (guint i = 0; i < self->n_sample; i++)
        {
          float c[N_COMPONENTS];
          if (excluded (self, &q, params, self->sample[i]))
            continue;
          row_components (self, &q, self->sample[i], FALSE, c);
          for (int k = 0; k < N_COMPONENTS; k++)
            if (!isnan (c[k]))
              {
                sample.sum[k] += c[k];
                sample.sum2[k] += (double) c[k] * c[k];
                sample.count[k]++;
              }
        }
      standardise (&sample, 1, &q);
      run_jobs (jobs, n_jobs, 3);
    }
  else
    {
      run_jobs (jobs, n_jobs, 1);
      standardise (sums, chunks.n_chunks, &q);
      run_jobs (jobs, n_jobs, 2);
    }
  if (q.approx)
    {
      /* The best by the 16-bit terms, re-scored from the float terms. */
      double threshold, error;

      rescore (jobs, n_jobs, &jobs[0].heap, &threshold, &error);
      if (!confirmed (&jobs[0].heap, threshold, error, pool_cap,
                      params->taste != NULL ? (1 - q.tau) / sqrt (2 * G_PI) : 1))
        {
          /* Rare: a row outside the re-scored ones might belong in the
           * results; scan again from the float terms. */
          g_atomic_int_inc (&self->n_fallbacks);
          q.approx = FALSE;
          jobs[0].heap.len = 0;
          run_jobs (jobs, n_jobs, 1);
          standardise (sums, chunks.n_chunks, &q);
          run_jobs (jobs, n_jobs, 2);
        }
    }
  for (guint t = 0; t < n_jobs; t++)
    g_free (jobs[t].approx.items);

  pool = g_new (Candidate, pool_cap * n_jobs);
  for (guint t = 0; t < n_jobs; t++)
    {
      memcpy (pool + n_pool, jobs[t].heap.items, jobs[t].heap.len * sizeof (Candidate));
      n_pool += jobs[t].heap.len;
      g_free (jobs[t].heap.items);
    }
  qsort (pool, n_pool, sizeof (Candidate), compare_candidates);
  n_pool = MIN (n_pool, pool_cap);
  for (guint i = 0; i < n_pool; i++)
    {
      Candidate *c = &pool[i];
      const float *raw = c->comp;
      c->content = isnan (raw[CONTENT]) ? 0 : raw[CONTENT];
      c->attributes = raw[ATTRIBUTES];
      c->rhythm = raw[RHYTHM];
      c->timbre_kl = isnan (raw[TIMBRE]) ? NAN : expm1 (-raw[TIMBRE]);
      if (params->taste == NULL)
        {
          c->taste = NAN;
          c->score = fused_to_score (c->fused);
        }
    }

  if (params->diversity > 0 && q.vector != NULL)
    {
      /* Maximal marginal relevance (Carbonell & Goldstein 1998):
       * pick argmax (1 − λ) rel − λ max_{s ∈ picked} cos (c, s). */
      g_autofree double *max_sim = g_new (double, n_pool);
      g_autofree gboolean *taken = g_new0 (gboolean, n_pool);
      double lambda = CLAMP (params->diversity, 0, 0.99);

      for (guint i = 0; i < n_pool; i++)
        max_sim[i] = -1;
      for (guint picked = 0; picked < MIN (params->k, n_pool); picked++)
        {
          int best = -1;
          double best_v = -G_MAXDOUBLE;
          for (guint i = 0; i < n_pool; i++)
            {
              double v;
              if (taken[i])
                continue;
              v = (1 - lambda) * pool[i].score - lambda * (picked > 0 ? max_sim[i] : 0);
              if (v > best_v)
                best_v = v, best = i;
            }
          taken[best] = TRUE;
          {
            CochleaRecommendation rec = recommendation_of (self, &pool[best]);
            g_array_append_val (results, rec);
          }
          for (guint i = 0; i < n_pool; i++)
            {
              double s;
              if (taken[i] || !self->has_vector[pool[i].row] || !self->has_vector[pool[best].row])
                continue;
              s = dot (self->vectors + (gsize) pool[i].row * self->dim,
                       self->vectors + (gsize) pool[best].row * self->dim, self->dim);
              max_sim[i] = MAX (max_sim[i], s);
            }
        }
    }
  else
    {
      for (guint i = 0; i < MIN (params->k, n_pool); i++)
        {
          CochleaRecommendation rec = recommendation_of (self, &pool[i]);
          g_array_append_val (results, rec);
        }
    }
  query_clear (&q);
  if (comps != NULL && g_atomic_pointer_compare_and_exchange (&self->scratch, NULL, comps))
    comps = NULL;   /* kept for the next query */
  return g_steal_pointer (&results);
}

static const char *note_names[12] = { "C", "C♯", "D", "E♭", "E", "F", "F♯", "G", "A♭", "A", "B♭", "B" };

char *
cochlea_attribute_format (CochleaAttribute attr,
                          double           value)
{
  if (!isfinite (value))
    return g_strdup ("unknown");
  switch (attr)
    {
    case COCHLEA_ATTR_TEMPO:
      return g_strdup_printf ("%.0f BPM", value);
    case COCHLEA_ATTR_KEY:
      {
        int k = (int) lround (value);
        return g_strdup (k >= 0 && k < 12 ? note_names[k] : "no key");
      }
    case COCHLEA_ATTR_MODE:
      return g_strdup (value >= 0.5 ? "major" : "minor");
    case COCHLEA_ATTR_TIME_SIGNATURE:
      return g_strdup_printf ("%.0f/4", value);
    case COCHLEA_ATTR_LOUDNESS:
      return g_strdup_printf ("%.1f dB", value);
    case COCHLEA_ATTR_TEMPO_CONFIDENCE:
    case COCHLEA_ATTR_KEY_CONFIDENCE:
    case COCHLEA_ATTR_ENERGY:
    case COCHLEA_ATTR_DANCEABILITY:
    case COCHLEA_ATTR_VALENCE:
    case COCHLEA_ATTR_ACOUSTICNESS:
    case COCHLEA_ATTR_INSTRUMENTALNESS:
    case COCHLEA_ATTR_SPEECHINESS:
    case COCHLEA_ATTR_LIVENESS:
    case COCHLEA_N_ATTRIBUTES:
    default:
      return g_strdup_printf ("%.2f", value);
    }
}

static int
compare_units (gconstpointer a,
               gconstpointer b)
{
  const CochleaAttrComparison *x = a, *y = b;

  return (x->units > y->units) - (x->units < y->units);
}

char *
cochlea_index_explain (CochleaIndex                 *self,
                       const CochleaFeatures        *query,
                       const CochleaRecommendParams *params,
                       const CochleaRecommendation  *rec,
                       GArray                       *shared,
                       GArray                       *differ)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (CochleaAttrComparison));
  GString *text = g_string_new (NULL);
  double attrs[COCHLEA_N_ATTRIBUTES];
  guint n_shared = 0, n_differ = 0;

  cochlea_index_get_attrs (self, rec->row, attrs);
  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    {
      double t = isfinite (params->targets[i]) ? params->targets[i] : query->attrs[i];
      CochleaAttrComparison c;
      if (params->attr_weights[i] <= 0 || !isfinite (t) || !isfinite (attrs[i]) ||
          (i == COCHLEA_ATTR_KEY && (t < 0 || attrs[i] < 0)))
        continue;
      c.attr = i;
      c.query = t;
      c.value = attrs[i];
      c.units = attr_units (i, attrs[i], t);
      g_array_append_val (all, c);
    }
  g_array_sort (all, compare_units);

  if (rec->content != 0)
    g_string_append_printf (text, rec->content >= 0.5 ? "sounds alike (content %.2f)"
                                                      : "sounds different (content %.2f)", rec->content);
  if (!isnan (rec->timbre_kl))
    g_string_append_printf (text, "%stimbre divergence %.1f", text->len > 0 ? "; " : "", rec->timbre_kl);
  if (!isnan (rec->rhythm))
    g_string_append_printf (text, "%s%s (rhythm %.2f)", text->len > 0 ? "; " : "",
                            rec->rhythm >= 0.5 ? "similar rhythm" : "different rhythm", rec->rhythm);
  for (guint i = 0; i < all->len && n_shared < 3; i++)
    {
      CochleaAttrComparison *c = &g_array_index (all, CochleaAttrComparison, i);
      g_autofree char *v = NULL;
      if (c->units > 0.5)
        break;
      v = cochlea_attribute_format (c->attr, c->value);
      if (n_shared == 0)
        g_string_append (text, text->len > 0 ? "; shares " : "shares ");
      else
        g_string_append (text, ", ");
      g_string_append_printf (text, "%s %s", cochlea_attribute_get_info (c->attr)->name, v);
      if (shared != NULL)
        g_array_append_val (shared, *c);
      n_shared++;
    }
  for (guint i = all->len; i > 0 && n_differ < 2; i--)
    {
      CochleaAttrComparison *c = &g_array_index (all, CochleaAttrComparison, i - 1);
      g_autofree char *v = NULL, *qv = NULL;
      if (c->units < 1.0)
        break;
      v = cochlea_attribute_format (c->attr, c->value);
      qv = cochlea_attribute_format (c->attr, c->query);
      if (n_differ == 0)
        g_string_append (text, text->len > 0 ? "; differs most in " : "differs most in ");
      else
        g_string_append (text, ", ");
      g_string_append_printf (text, "%s %s vs %s", cochlea_attribute_get_info (c->attr)->name, v, qv);
      if (differ != NULL)
        g_array_append_val (differ, *c);
      n_differ++;
    }
  if (!isnan (rec->taste))
    g_string_append_printf (text, "%sfits your taste %.2f", text->len > 0 ? "; " : "", rec->taste);
  return g_string_free (text, FALSE);
}

/* The persisted index (cochlea-index-file.c). */

static void
add_section (CochleaIndexSection *sections,
             guint               *n,
             gboolean             all,
             guint32              tag,
             guint32              elem_size,
             guint64              count,
             gpointer            *field)
{
  if (!all && *field == NULL)
    return;
  sections[*n] = (CochleaIndexSection) { tag, elem_size, count, field };
  (*n)++;
}

#define TAG(a, b, c, d) ((guint32) (a) | (guint32) (b) << 8 | (guint32) (c) << 16 | (guint32) (d) << 24)

guint
_cochlea_index_get_sections (CochleaIndex        *self,
                             CochleaIndexSection *sections)
{
  /* An index being adopted lists every section it can hold. */
  gboolean all = self->owner != NULL && !self->finished;
  guint64 n = self->n;
  guint i = 0;

  add_section (sections, &i, all, TAG ('V', 'E', 'C', 'S'), 4, n * self->dim, (gpointer *) &self->vectors);
  add_section (sections, &i, all, TAG ('A', 'T', 'T', 'R'), 4, n * COCHLEA_N_ATTRIBUTES, (gpointer *) &self->attrs);
  add_section (sections, &i, all, TAG ('I', 'D', 'S', ' '), 8, n, (gpointer *) &self->ids);
  add_section (sections, &i, all, TAG ('A', 'R', 'T', 'I'), 4, n, (gpointer *) &self->artist);
  add_section (sections, &i, all, TAG ('A', 'L', 'B', 'U'), 4, n, (gpointer *) &self->album);
  add_section (sections, &i, all, TAG ('H', 'V', 'E', 'C'), 1, n, (gpointer *) &self->has_vector);
  add_section (sections, &i, all, TAG ('H', 'T', 'I', 'M'), 1, n, (gpointer *) &self->has_timbre);
  add_section (sections, &i, all, TAG ('M', 'E', 'A', 'N'), 4, self->dim, (gpointer *) &self->mean);
  add_section (sections, &i, all, TAG ('I', 'S', 'T', 'D'), 4, self->dim, (gpointer *) &self->inv_std);
  add_section (sections, &i, all, TAG ('T', 'I', 'M', 'B'), 4, n * TIMBRE_STRIDE, (gpointer *) &self->timbre);
  add_section (sections, &i, all, TAG ('T', 'I', '1', '6'), 2, n * TIMBRE_STRIDE, (gpointer *) &self->timbre_q);
  add_section (sections, &i, all, TAG ('T', 'Q', 'S', 'C'), 4, n, (gpointer *) &self->timbre_qscale);
  add_section (sections, &i, all, TAG ('T', 'Q', 'M', 'N'), 4, TIMBRE_STRIDE, (gpointer *) &self->timbre_qmean);
  add_section (sections, &i, all, TAG ('T', 'Q', 'D', 'V'), 4, TIMBRE_STRIDE, (gpointer *) &self->timbre_qdev);
  add_section (sections, &i, all, TAG ('S', 'K', 'E', 'T'), 4, n * COCHLEA_SKETCH_DIM, (gpointer *) &self->sketch);
  add_section (sections, &i, all, TAG ('S', 'K', 'R', 'W'), 4, (guint64) COCHLEA_SKETCH_DIM * TIMBRE_STRIDE, (gpointer *) &self->sketch_rows);
  add_section (sections, &i, all, TAG ('S', 'K', 'Q', 'U'), 4, (guint64) COCHLEA_SKETCH_DIM * TIMBRE_STRIDE, (gpointer *) &self->sketch_query);
  add_section (sections, &i, all, TAG ('S', 'K', 'O', 'F'), 4, COCHLEA_SKETCH_DIM, (gpointer *) &self->sketch_off);
  add_section (sections, &i, all, TAG ('S', 'K', 'M', 'N'), 4, TIMBRE_STRIDE, (gpointer *) &self->sketch_mean);
  add_section (sections, &i, all, TAG ('S', 'M', 'P', 'L'), 4, self->n_sample, (gpointer *) &self->sample);
  add_section (sections, &i, all, TAG ('R', 'H', 'Y', 'T'), 4, n * COCHLEA_RHYTHM_DIM, (gpointer *) &self->rhythm);
  add_section (sections, &i, all, TAG ('H', 'R', 'H', 'Y'), 1, n, (gpointer *) &self->has_rhythm);
  add_section (sections, &i, all, TAG ('R', 'M', 'E', 'A'), 4, COCHLEA_RHYTHM_DIM, (gpointer *) &self->rhythm_mean);
  add_section (sections, &i, all, TAG ('R', 'I', 'S', 'D'), 4, COCHLEA_RHYTHM_DIM, (gpointer *) &self->rhythm_inv_std);
  add_section (sections, &i, all, TAG ('L', 'O', 'C', 'S'), 4, n * 2 * N_COMPONENTS, (gpointer *) &self->local);
  g_assert (i <= COCHLEA_INDEX_MAX_SECTIONS);
  return i;
}

void
_cochlea_index_get_shape (CochleaIndex      *self,
                          CochleaIndexShape *shape)
{
  memset (shape, 0, sizeof *shape);
  shape->dim = self->dim;
  shape->n = self->n;
  shape->timbre_stride = TIMBRE_STRIDE;
  shape->sketch_dim = COCHLEA_SKETCH_DIM;
  shape->n_sample = self->n_sample;
  memcpy (shape->timbre_offset, self->timbre_offset, sizeof shape->timbre_offset);
}

GBytes *
_cochlea_index_dup_names (CochleaIndex *self)
{
  guint n_names = g_hash_table_size (self->names);
  g_autofree const char **by_key = g_new0 (const char *, MAX (n_names, 1));
  GByteArray *bytes = g_byte_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->names);
  while (g_hash_table_iter_next (&iter, &key, &value))
    by_key[GPOINTER_TO_INT (value) - 1] = key;
  for (guint i = 0; i < n_names; i++)
    g_byte_array_append (bytes, (const guint8 *) by_key[i], strlen (by_key[i]) + 1);
  return g_byte_array_free_to_bytes (bytes);
}

CochleaIndex *
_cochlea_index_new_adopting (const char              *model,
                             const CochleaIndexShape *shape,
                             const char              *names,
                             gsize                    names_len,
                             gpointer                 owner,
                             GDestroyNotify           owner_free)
{
  CochleaIndex *self = cochlea_index_new (model, shape->dim);
  gsize start = 0;

  g_return_val_if_fail (owner != NULL && owner_free != NULL, NULL);

  self->owner = owner;
  self->owner_free = owner_free;
  self->n = self->cap = shape->n;
  self->n_sample = shape->n_sample;
  memcpy (self->timbre_offset, shape->timbre_offset, sizeof self->timbre_offset);
  for (gsize i = 0; i < names_len; i++)
    if (names[i] == '\0')
      {
        g_hash_table_insert (self->names, g_strndup (names + start, i - start),
                             GINT_TO_POINTER (g_hash_table_size (self->names) + 1));
        start = i + 1;
      }
  return self;
}

gboolean
_cochlea_index_adopt_done (CochleaIndex *self)
{
  int n_names = (int) g_hash_table_size (self->names);
  CochleaIndexSection sections[COCHLEA_INDEX_MAX_SECTIONS];
  guint n_sections;

  g_return_val_if_fail (self->owner != NULL && !self->finished, FALSE);

  self->finished = TRUE;
  n_sections = _cochlea_index_get_sections (self, sections);
  for (guint i = 0; i < n_sections; i++)
    self->adopted[i] = *sections[i].field;
  if (self->n > 0 && (self->vectors == NULL || self->attrs == NULL || self->ids == NULL ||
                      self->artist == NULL || self->album == NULL ||
                      self->has_vector == NULL || self->has_timbre == NULL))
    return FALSE;
  if ((self->mean == NULL) != (self->inv_std == NULL) ||
      (self->timbre == NULL) != (self->timbre_q == NULL) ||
      (self->timbre == NULL) != (self->timbre_qscale == NULL) ||
      (self->timbre == NULL) != (self->timbre_qmean == NULL) ||
      (self->timbre == NULL) != (self->timbre_qdev == NULL) ||
      (self->rhythm != NULL && (self->rhythm_mean == NULL || self->rhythm_inv_std == NULL ||
                                (self->n > 0 && self->has_rhythm == NULL))))
    return FALSE;
  if (self->sketch != NULL &&
      (self->timbre == NULL || self->sketch_rows == NULL || self->sketch_query == NULL ||
       self->sketch_off == NULL || self->sketch_mean == NULL || self->sample == NULL))
    return FALSE;
  for (guint i = 0; self->sample != NULL && i < self->n_sample; i++)
    if (self->sample[i] >= self->n)
      return FALSE;
  self->ids_sorted = TRUE;
  for (guint r = 0; r < self->n; r++)
    {
      if (self->artist[r] < -1 || self->artist[r] >= n_names ||
          self->album[r] < -1 || self->album[r] >= n_names)
        return FALSE;
      if (r > 0 && self->ids[r] <= self->ids[r - 1])
        self->ids_sorted = FALSE;
      if (self->has_timbre[r] && self->timbre == NULL)
        return FALSE;
    }
  if (!self->ids_sorted)
    for (guint r = 0; r < self->n; r++)
      {
        if (g_hash_table_contains (self->row_of_id, &self->ids[r]))
          return FALSE;
        g_hash_table_insert (self->row_of_id, g_memdup2 (&self->ids[r], sizeof (gint64)),
                             GUINT_TO_POINTER (r + 1));
      }
  return TRUE;
}
