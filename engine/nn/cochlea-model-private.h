/* cochlea-model-private.h — shared by engine/nn's model, weights file and
 * trainer; not for use outside engine/nn and its tests.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-model.h"

G_BEGIN_DECLS

#define COCHLEA_MODEL_MAX_TENSORS (2 * COCHLEA_MODEL_N_CONV + 4 + 2 * COCHLEA_MODEL_MAX_HEADS)
#define COCHLEA_MODEL_FORMAT      "cochlea-cnn"
#define COCHLEA_MODEL_FORMAT_VERSION 1

/* One trainable tensor inside the flat parameter block (llm.c's size
 * table). */
typedef struct
{
  char    name[80];        /* "conv1.weight", "head.key.bias", … */
  int     ndim;
  int64_t shape[3];
  gsize   offset;          /* in floats, into the block */
  gsize   size;            /* in floats */
  gboolean decay;          /* weight decay applies (weights, not biases) */
} CochleaParamInfo;

/* Pointers into one flat block laid out by the table: used alike for the
 * parameters, their gradients and the optimiser's moments. */
typedef struct
{
  float *conv_w[COCHLEA_MODEL_N_CONV];   /* (C_out, C_in, K) */
  float *conv_b[COCHLEA_MODEL_N_CONV];   /* (C_out) */
  float *dense_w;                        /* (D, 3·C4) */
  float *dense_b;                        /* (D) */
  float *embed_w;                        /* (E, D) */
  float *embed_b;                        /* (E) */
  float *head_w[COCHLEA_MODEL_MAX_HEADS]; /* (n_out, D) */
  float *head_b[COCHLEA_MODEL_MAX_HEADS]; /* (n_out) */
} CochleaParamPtrs;

struct _CochleaModel
{
  gint               ref_count;
  CochleaModelConfig config;

  int                n_tensors;
  CochleaParamInfo   info[COCHLEA_MODEL_MAX_TENSORS];
  gsize              n_params;
  float             *params;      /* owned, n_params, 64-byte aligned */
  CochleaParamPtrs   p;

  float             *norm_mean;   /* (n_mels) dB, not trained */
  float             *norm_std;    /* (n_mels) dB, > 0 */

  char              *corpus_json;   /* nullable */
  char              *training_json; /* nullable */
};

/* One example's activations, all inside one block sized by
 * _cochlea_model_acts_size() (the same layout serves their gradients). */
typedef struct
{
  float *xn;                              /* (n_mels, W) normalised input */
  float *conv[COCHLEA_MODEL_N_CONV];      /* (C_l, T_conv_l) after ReLU */
  float *pool[COCHLEA_MODEL_N_CONV - 1];  /* (C_l, T_pool_l) */
  float *g;                               /* (3·C4) [mean | max | rms] */
  float *h;                               /* (D) after ReLU */
  float *mask;                            /* (D) dropout mask */
  float *hd;                              /* (D) after dropout */
  float *e_raw;                           /* (E) */
  float *e;                               /* (E) unit length */
  float *logits;                          /* (n_logits) */
  float *probs;                           /* (n_logits) */
} CochleaActs;

CochleaModel *_cochlea_model_alloc_bounded (const CochleaModelConfig *config,
                                            gsize                     max_params,
                                            GError                  **error);
CochleaModel *_cochlea_model_alloc       (const CochleaModelConfig *config,
                                          GError                  **error);
void          _cochlea_model_fill_in_param_sizes (CochleaModel *self);
void          _cochlea_model_point_params (const CochleaModel      *self,
                                           float                   *base,
                                           CochleaParamPtrs        *ptrs);
void          _cochlea_model_init_params  (CochleaModel            *self,
                                           guint64                  seed);
gsize         _cochlea_model_acts_size    (const CochleaModelConfig *config);
void          _cochlea_model_point_acts   (const CochleaModelConfig *config,
                                           float                   *base,
                                           CochleaActs             *acts);
gsize         _cochlea_model_col_size     (const CochleaModelConfig *config);
void          _cochlea_model_set_corpus   (CochleaModel            *self,
                                           const char              *corpus_json,
                                           const char              *training_json);

/* The forward pass of one window.  @dropout_seed is used only when
 * @train; @col is scratch of _cochlea_model_col_size() floats. */
void          _cochlea_model_forward      (const CochleaModel      *self,
                                           const CochleaParamPtrs  *p,
                                           const float             *frames,
                                           CochleaActs             *a,
                                           float                   *col,
                                           gboolean                 train,
                                           guint64                  dropout_seed);
/* The backward pass of one window: @d->logits (∂L/∂logits) and @d->e
 * (∂L/∂unit embedding) are inputs; every other buffer of @d is scratch.
 * Parameter gradients are accumulated into @g. */
void          _cochlea_model_backward     (const CochleaModel      *self,
                                           const CochleaParamPtrs  *p,
                                           const CochleaActs       *a,
                                           CochleaActs             *d,
                                           CochleaParamPtrs        *g,
                                           float                   *col);
/* probs from logits, per head (softmax or sigmoid). */
void          _cochlea_model_head_probs   (const CochleaModelConfig *config,
                                           const float             *logits,
                                           float                   *probs);

/* Repairs json-glib 1.6's "1e-10.0" number output in place. */
void          _cochlea_json_fix_exponents (char                    *json);

float        *_cochlea_aligned_alloc0     (gsize                    n_floats);
void          _cochlea_aligned_free       (float                   *p);

G_END_DECLS
