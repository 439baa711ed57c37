/* cochlea-recommend.h — similarity over the whole catalogue: an exact scan
 * of a contiguous float matrix loaded once, combined with attribute
 * distances the user can weight and target, MMR diversity, explanations.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-catalogue.h"
#include "cochlea-features.h"

G_BEGIN_DECLS

/* Chosen on the development set, with local scaling (docs/catalogue.md,
 * "Quality"). */
#define COCHLEA_DEFAULT_CONTENT_WEIGHT   0.1
#define COCHLEA_DEFAULT_TIMBRE_WEIGHT    0.7
#define COCHLEA_DEFAULT_RHYTHM_WEIGHT    0.2
#define COCHLEA_DEFAULT_ATTRIBUTE_WEIGHT 0.1
/* The attributes' weight at least, as soon as any target is set. */
#define COCHLEA_STEERING_ATTRIBUTE_WEIGHT 0.5

typedef struct
{
  guint         k;                 /* results wanted */
  double        content_weight;    /* weight of the embedding cosine */
  double        timbre_weight;     /* weight of the MFCC timbre model's −log (1 + KL) */
  double        attribute_weight;  /* weight of the attribute similarity */
  double        rhythm_weight;     /* weight of the rhythm descriptors' cosine (cochlea-rhythm.h) */
  double        attr_weights[COCHLEA_N_ATTRIBUTES];  /* per attribute (defaults: CochleaAttributeInfo) */
  double        targets[COCHLEA_N_ATTRIBUTES];       /* NAN: the query's own value */
  gboolean      exclude_same_artist;
  gboolean      exclude_same_album;
  double        diversity;         /* MMR trade-off in [0, 1): 0 = relevance only */
  double        taste_weight;      /* share of the taste score when @taste is set (default 0.25) */
  gboolean      local_scaling;     /* each part also z-scored by the candidate's own mean and
                                    * deviation over a fixed sample of COCHLEA_LOCAL_SAMPLE
                                    * tracks (default TRUE; docs/catalogue.md, "Similarity") */
  const float  *taste;             /* (nullable) per index row, 0–1, from CochleaTaste */
  const guint8 *exclude_rows;      /* (nullable) per index row, non-zero = never return */
} CochleaRecommendParams;

void     cochlea_recommend_params_init       (CochleaRecommendParams *params);
/* "energy=0.8", "tempo=100", "key=9" (A), "mode=1". */
gboolean cochlea_recommend_params_set_target (CochleaRecommendParams *params,
                                              const char             *assignment,
                                              GError                **error);
/* "energy=2", "tempo=0". */
gboolean cochlea_recommend_params_set_weight (CochleaRecommendParams *params,
                                              const char             *assignment,
                                              GError                **error);

typedef struct
{
  gint64 id;
  guint  row;
  double score;       /* what the ranking used, 0–1, higher is better */
  double content;     /* cosine of the content vectors, −1…1 */
  double attributes;  /* exp (−d²/2) of the weighted attribute distance, NAN when none compared */
  double taste;       /* NAN without a taste model */
  double timbre_kl;   /* symmetric KL divergence of the timbre models, NAN when not compared */
  double rhythm;      /* cosine of the standardised rhythm descriptors, NAN when not compared */
} CochleaRecommendation;

typedef struct _CochleaIndex CochleaIndex;

/* How a query scans the index.  EXACT: every row's fused score, with the
 * standardisation over all rows (two passes).  TWO_STAGE: stage 1 scores
 * every row with a proxy (the timbre terms projected on their first
 * COCHLEA_SKETCH_DIM principal components, chosen at finish()), keeps a
 * shortlist, and stage 2 scores the shortlist exactly; the
 * standardisation comes from a fixed sample of COCHLEA_STATS_SAMPLE rows.
 * AUTO: TWO_STAGE from COCHLEA_TWO_STAGE_MIN_ROWS rows on when the timbre
 * model is compared, EXACT otherwise.  EXACT's pass 1 reads the timbre
 * terms in 16-bit fixed point (half the bytes), then re-scores its best rows
 * from the float terms, and scans again from the float terms in the rare
 * case that this cannot confirm the exact results (counted by
 * cochlea_index_get_n_fallbacks()); EXACT_FLOAT reads the float terms
 * throughout (the reference the tests compare with). */
typedef enum
{
  COCHLEA_SEARCH_AUTO,
  COCHLEA_SEARCH_EXACT,
  COCHLEA_SEARCH_TWO_STAGE,
  COCHLEA_SEARCH_EXACT_FLOAT,
} CochleaSearch;

#define COCHLEA_TWO_STAGE_MIN_ROWS 2000000
#define COCHLEA_SKETCH_DIM         32
#define COCHLEA_STATS_SAMPLE       16384
#define COCHLEA_DEFAULT_SHORTLIST  8192
/* Tracks the local scaling's per-track means and deviations come from. */
#define COCHLEA_LOCAL_SAMPLE       32

/* Empty index of @dim-dimensional vectors from @model. */
CochleaIndex *cochlea_index_new          (const char             *model,
                                          guint                   dim) G_GNUC_WARN_UNUSED_RESULT;
void          cochlea_index_free         (CochleaIndex           *self);
/* @vector (nullable) as stored, @attrs (nullable) NAN where unknown. */
void          cochlea_index_add          (CochleaIndex           *self,
                                          gint64                  id,
                                          const float            *vector,
                                          const double           *attrs,
                                          const char             *artist,
                                          const char             *album);
/* The timbre model (COCHLEA_TIMBRE_DIM floats, nullable) of a row added
 * with @id. */
void          cochlea_index_set_timbre   (CochleaIndex           *self,
                                          gint64                  id,
                                          const float            *timbre);
/* The rhythm descriptor (COCHLEA_RHYTHM_DIM floats, nullable) of a row
 * added with @id. */
void          cochlea_index_set_rhythm   (CochleaIndex           *self,
                                          gint64                  id,
                                          const float            *rhythm);
/* Ends adding: standardises the interim vectors and normalises rows. */
void          cochlea_index_finish       (CochleaIndex           *self);
/* Every track with status 'ok' and the catalogue's main content model. */
CochleaIndex *cochlea_index_load         (CochleaCatalogue       *catalogue,
                                          GError                **error) G_GNUC_WARN_UNUSED_RESULT;
void          cochlea_index_set_n_threads (CochleaIndex          *self,
                                           guint                  n_threads);
/* @shortlist: rows scored exactly by stage 2 (0: the default).  Building
 * the proxy for a smaller index than COCHLEA_TWO_STAGE_MIN_ROWS happens
 * here, when TWO_STAGE is asked for after finish(). */
void          cochlea_index_set_search   (CochleaIndex           *self,
                                          CochleaSearch           search,
                                          guint                   shortlist);
guint         cochlea_index_get_size     (CochleaIndex           *self);
/* Queries the EXACT search answered by scanning twice (see CochleaSearch). */
guint         cochlea_index_get_n_fallbacks (CochleaIndex        *self);
guint         cochlea_index_get_dim      (CochleaIndex           *self);
const char   *cochlea_index_get_model    (CochleaIndex           *self);
gint64        cochlea_index_get_id       (CochleaIndex           *self,
                                          guint                   row);
/* -1 when @id is not in the index. */
int           cochlea_index_find_row     (CochleaIndex           *self,
                                          gint64                  id);
/* The row's normalised content vector (dim), and attributes (NAN unknown). */
const float  *cochlea_index_get_vector   (CochleaIndex           *self,
                                          guint                   row);
void          cochlea_index_get_attrs    (CochleaIndex           *self,
                                          guint                   row,
                                          double                 *attrs);

/* The k best rows for @query (features of a file, in the catalogue or
 * not).  @query_id (or -1) is never returned; @artist/@album (nullable)
 * are used by the exclusions.  Returns (element-type CochleaRecommendation). */
GArray       *cochlea_index_recommend    (CochleaIndex                 *self,
                                          const CochleaFeatures        *query,
                                          gint64                        query_id,
                                          const char                   *artist,
                                          const char                   *album,
                                          const CochleaRecommendParams *params) G_GNUC_WARN_UNUSED_RESULT;

typedef struct
{
  CochleaAttribute attr;
  double           query;   /* the target (query value or user target) */
  double           value;   /* the result's value */
  double           units;   /* |difference| / the attribute's scale */
} CochleaAttrComparison;

/* Up to @max_shared closest and @max_differ farthest compared attributes.
 * Returns a one-line English explanation. */
char         *cochlea_index_explain      (CochleaIndex                 *self,
                                          const CochleaFeatures        *query,
                                          const CochleaRecommendParams *params,
                                          const CochleaRecommendation  *rec,
                                          GArray                       *shared,
                                          GArray                       *differ) G_GNUC_WARN_UNUSED_RESULT;
/* "120 BPM", "A", "minor", "0.72", "-9.5 dB" */
char         *cochlea_attribute_format   (CochleaAttribute              attr,
                                          double                        value) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaIndex, cochlea_index_free)

G_END_DECLS
