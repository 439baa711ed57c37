/* cochlea-model.h — the audio CNN: configuration, weights, inference.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Dieleman-style 1-D CNN over log-mel windows (docs/model.md has every
 * shape).  A CochleaModel is immutable once built or loaded and may be
 * shared by any number of threads; each thread runs it through its own
 * CochleaNnContext (preallocated workspace: nothing in a forward pass
 * allocates).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dsp/cochlea-mel.h"
#include "cochlea-tensor.h"

G_BEGIN_DECLS

#define COCHLEA_MODEL_N_CONV    4
#define COCHLEA_MODEL_MAX_HEADS 16

typedef enum
{
  COCHLEA_HEAD_SIGMOID,   /* independent yes/no outputs, binary cross-entropy */
  COCHLEA_HEAD_SOFTMAX,   /* one class out of n, cross-entropy */
} CochleaHeadKind;

typedef struct
{
  char            *name;     /* "instruments", "voice", "key", … */
  CochleaHeadKind  kind;
  int              n_out;
  char           **labels;   /* n_out names, NULL-terminated */
  int              offset;   /* derived: first index in the concatenated logits */
} CochleaHeadSpec;

/**
 * CochleaModelConfig:
 *
 * Everything needed to rebuild the network; stored as JSON in the weights
 * file's `__metadata__` ("architecture" and "preprocessing").
 */
typedef struct
{
  CochleaMelParams mel;           /* the front end the model was trained on */
  int              window;        /* frames per input window */
  int              hop;           /* frames between windows covering a song */
  int              kernel;        /* conv filter length (4) */
  int              channels[COCHLEA_MODEL_N_CONV];  /* conv widths */
  int              pools[COCHLEA_MODEL_N_CONV - 1]; /* max-pool factors after conv1–3 */
  int              dense;         /* hidden units of the dense layer */
  int              embed_dim;     /* length of the unit embedding */
  float            dropout;       /* on the dense layer, training only */
  int              n_heads;
  CochleaHeadSpec  heads[COCHLEA_MODEL_MAX_HEADS];

  /* Derived by cochlea_model_config_validate() */
  int              t_conv[COCHLEA_MODEL_N_CONV];     /* frames after each conv */
  int              t_pool[COCHLEA_MODEL_N_CONV - 1]; /* frames after each pool */
  int              n_logits;      /* all heads' outputs */
} CochleaModelConfig;

void      cochlea_model_config_init_default (CochleaModelConfig       *config);
void      cochlea_model_config_add_head     (CochleaModelConfig       *config,
                                             const char               *name,
                                             CochleaHeadKind           kind,
                                             const char * const       *labels);
gboolean  cochlea_model_config_validate     (CochleaModelConfig       *config,
                                             GError                  **error);
void      cochlea_model_config_copy         (CochleaModelConfig       *dest,
                                             const CochleaModelConfig *src);
void      cochlea_model_config_clear        (CochleaModelConfig       *config);
char     *cochlea_model_config_to_json      (const CochleaModelConfig *config) G_GNUC_WARN_UNUSED_RESULT;
gboolean  cochlea_model_config_from_json    (CochleaModelConfig       *config,
                                             const char               *architecture_json,
                                             const char               *preprocessing_json,
                                             GError                  **error);
int       cochlea_model_config_find_head    (const CochleaModelConfig *config,
                                             const char               *name);

typedef struct _CochleaModel CochleaModel;

CochleaModel *cochlea_model_new         (const CochleaModelConfig *config,
                                         guint64                   seed,
                                         GError                  **error) G_GNUC_WARN_UNUSED_RESULT;
CochleaModel *cochlea_model_ref         (CochleaModel             *self);
void          cochlea_model_unref       (CochleaModel             *self);
const CochleaModelConfig *cochlea_model_get_config (const CochleaModel *self);
gsize         cochlea_model_get_n_params (const CochleaModel      *self);
/* (transfer none): a JSON text describing the training corpus, or NULL */
const char   *cochlea_model_get_corpus_description (const CochleaModel *self);
/* Only while nothing else uses the model (its trainer sets them). */
void          cochlea_model_set_norm    (CochleaModel             *self,
                                         const float              *mean,
                                         const float              *std);
void          cochlea_model_set_description (CochleaModel         *self,
                                             const char           *corpus_json,
                                             const char           *training_json);

/* The weights file (cochlea-model-io.c). */
CochleaModel *cochlea_model_load        (const char               *path,
                                         GError                  **error) G_GNUC_WARN_UNUSED_RESULT;
CochleaModel *cochlea_model_load_from_bytes (GBytes               *bytes,
                                             const char           *display_name,
                                             GError              **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean      cochlea_model_save        (const CochleaModel       *self,
                                         const char               *path,
                                         GError                  **error);
/* Where the shipped model is looked for: $COCHLEA_MODEL, then
 * PKGDATADIR/models/cochlea.safetensors, then the source tree's
 * data/models/cochlea.safetensors.  (transfer full): NULL if none exists. */
char         *cochlea_model_find_default_path (void) G_GNUC_WARN_UNUSED_RESULT;
/* The default model, loaded once per process and shared (thread-safe).
 * (transfer full): NULL when there is none or it cannot be loaded; the
 * first such call logs one message saying why. */
CochleaModel *cochlea_model_get_default (void) G_GNUC_WARN_UNUSED_RESULT;

/**
 * CochleaActivationMap:
 * @name: "input", "conv1", "pool1", …, "conv4", "global_pool", "dense", "embedding"
 * @n_channels: rows
 * @n_times: columns (1 for the vectors after global pooling)
 * @frames_per_step: input frames per column (1, 4, 8, 16 …; 0 for vectors)
 * @data: (n_channels, n_times) row-major, borrowed from the context and
 *   valid until its next forward pass
 *
 * A GTK-free description of one layer's output that a widget can draw.
 * "convN" is after the ReLU and before pooling, "poolN" after pooling.
 */
typedef struct
{
  const char  *name;
  int          n_channels;
  int          n_times;
  int          frames_per_step;
  const float *data;
} CochleaActivationMap;

typedef struct _CochleaNnContext CochleaNnContext;

CochleaNnContext *cochlea_nn_context_new    (CochleaModel     *model) G_GNUC_WARN_UNUSED_RESULT;
void          cochlea_nn_context_free       (CochleaNnContext *self);
/* Runs one window: @frames is (window, n_mels) dB values, time-major as
 * the mel front end produces them.  Never allocates. */
void          cochlea_nn_context_forward    (CochleaNnContext *self,
                                             const float      *frames);
const float  *cochlea_nn_context_get_embedding (CochleaNnContext *self);  /* (embed_dim) unit */
const float  *cochlea_nn_context_get_probs  (CochleaNnContext *self);     /* (n_logits) */
int           cochlea_nn_context_get_n_layers (CochleaNnContext *self);
void          cochlea_nn_context_get_layer  (CochleaNnContext *self,
                                             int               index,
                                             CochleaActivationMap *map);
/* The same layer as a borrowed (1, C, 1, T) tensor view. */
void          cochlea_nn_context_get_layer_tensor (CochleaNnContext *self,
                                                   int               index,
                                                   CochleaTensor    *tensor);

/**
 * CochleaNnResult:
 *
 * A whole song's outputs: windows of config->window frames every
 * config->hop frames (plus one aligned to the end when the last hop does
 * not reach it; a song shorter than one window is padded with each band's
 * training mean), the window embeddings averaged and renormalised, the
 * head probabilities averaged.
 */
typedef struct
{
  CochleaModel *model;       /* owned ref: the head names */
  int           n_windows;
  int           embed_dim;
  float        *embedding;   /* (embed_dim), unit length */
  int           n_logits;
  float        *probs;       /* (n_logits), per head as in the config */
} CochleaNnResult;

void          cochlea_nn_result_free       (CochleaNnResult *self);
/* Adds "embedding" (array of floats) and "heads" ({head: {label: p}}) to
 * the object being built. */
void          cochlea_nn_result_to_json    (const CochleaNnResult *self,
                                            JsonBuilder           *builder);

/**
 * CochleaNnRunner:
 *
 * Streams frames through the network: a window runs as soon as it is
 * complete, so the same object serves a decoded song (push every frame,
 * then finish) and live input (push frames, and after each push that
 * returns %TRUE read the newest window's activations from the context).
 */
typedef struct _CochleaNnRunner CochleaNnRunner;

CochleaNnRunner *cochlea_nn_runner_new     (CochleaModel    *model) G_GNUC_WARN_UNUSED_RESULT;
void          cochlea_nn_runner_free       (CochleaNnRunner *self);
gboolean      cochlea_nn_runner_push       (CochleaNnRunner *self,
                                            const float     *mel_db);
CochleaNnContext *cochlea_nn_runner_get_context (CochleaNnRunner *self);
CochleaNnResult *cochlea_nn_runner_finish  (CochleaNnRunner *self) G_GNUC_WARN_UNUSED_RESULT;
/* Convenience: a whole (n_frames, n_mels) spectrogram at once. */
CochleaNnResult *cochlea_nn_run_frames     (CochleaModel    *model,
                                            const float     *frames,
                                            gsize            n_frames) G_GNUC_WARN_UNUSED_RESULT;

/* One-time set-up: pins OpenBLAS to one thread (callers parallelise). */
void          cochlea_nn_init              (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaModel, cochlea_model_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaNnContext, cochlea_nn_context_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaNnRunner, cochlea_nn_runner_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaNnResult, cochlea_nn_result_free)

G_END_DECLS
