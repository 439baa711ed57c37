/* cochlea-train.h — mini-batch training of the CNN on both cores.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deterministic: every random choice (epoch order, crop offsets, dropout
 * masks) is a pure function of (seed, epoch or step, example index), and
 * gradients are summed per fixed shard of the batch and then across
 * shards in order, so a step gives bit-identical weights with 1 or 2
 * threads, and resuming from a checkpoint continues exactly as an
 * uninterrupted run would.
 */
#pragma once

#include <gio/gio.h>

#include "cochlea-model.h"
#include "cochlea-optim.h"

G_BEGIN_DECLS

/* A labelled song: its whole log-mel spectrogram and targets per head. */
typedef struct
{
  char    *name;
  float   *mel;        /* (n_frames, n_mels) dB, time-major, owned */
  gsize    n_frames;
  float   *targets;    /* (n_logits): 0/1 (or soft) for sigmoid heads, one-hot for softmax heads */
  guint32  known;      /* bit h set: head h is labelled for this song */
} CochleaTrainSong;

typedef struct _CochleaDataset CochleaDataset;

CochleaDataset *cochlea_dataset_new        (int              n_mels,
                                            int              n_logits) G_GNUC_WARN_UNUSED_RESULT;
void            cochlea_dataset_free       (CochleaDataset  *self);
/* Takes ownership of @mel (g_malloc'd); copies @targets. */
void            cochlea_dataset_add        (CochleaDataset  *self,
                                            const char      *name,
                                            float           *mel,
                                            gsize            n_frames,
                                            const float     *targets,
                                            guint32          known);
guint           cochlea_dataset_get_n_songs (CochleaDataset *self);
const CochleaTrainSong *cochlea_dataset_get_song (CochleaDataset *self,
                                                  guint           index);
/* Per-band mean and standard deviation over every frame. */
void            cochlea_dataset_compute_norm (CochleaDataset *self,
                                              float          *mean,
                                              float          *std);

typedef struct
{
  int               epochs;
  int               batch_size;          /* windows per step, even: pairs of crops of one song */
  CochleaAdamParams adam;
  float             contrastive_weight;  /* weight of the embedding's loss */
  float             tau;                 /* its temperature */
  guint64           seed;
  int               n_threads;           /* 1–64 */
  int               n_shards;            /* gradient shards; fixed, independent of n_threads */
  char             *checkpoint_path;     /* nullable: written after every epoch */
  gboolean          cosine_lr;           /* lr follows ½(1 + cos(π·step/total steps)) down to 0 (FALSE: constant) */
} CochleaTrainOptions;

void cochlea_train_options_init_default (CochleaTrainOptions *options);

typedef struct
{
  int         epoch;           /* from 1 */
  int         n_epochs;
  gint64      step;            /* steps so far */
  double      train_loss;      /* mean over the epoch's steps */
  double      seconds;         /* this epoch's wall time */
  int         n_heads;
  const char *head_names[COCHLEA_MODEL_MAX_HEADS];
  const char *metric_names[COCHLEA_MODEL_MAX_HEADS];  /* "acc" or "f1" */
  double      head_metrics[COCHLEA_MODEL_MAX_HEADS];   /* on the validation songs, NaN if none labelled */
  double      embed_top1;      /* halves of a song retrieve each other (cosine, top 1), NaN if none */
} CochleaEpochReport;

typedef void (*CochleaTrainProgressFunc) (const CochleaEpochReport *report,
                                          gpointer                  user_data);

typedef struct _CochleaTrainer CochleaTrainer;

/* @model is trained in place: hand over a model nothing else is using. */
CochleaTrainer *cochlea_trainer_new        (CochleaModel              *model,
                                            CochleaDataset            *train,
                                            CochleaDataset            *val,
                                            const CochleaTrainOptions *options,
                                            GError                   **error) G_GNUC_WARN_UNUSED_RESULT;
void            cochlea_trainer_free       (CochleaTrainer            *self);
CochleaModel   *cochlea_trainer_get_model  (CochleaTrainer            *self);
/* One optimisation step on batch @step of the current epoch order;
 * returns its loss. */
float           cochlea_trainer_step       (CochleaTrainer            *self);
gboolean        cochlea_trainer_run        (CochleaTrainer            *self,
                                            CochleaTrainProgressFunc   progress,
                                            gpointer                   user_data,
                                            GCancellable              *cancellable,
                                            GError                   **error);
void            cochlea_trainer_evaluate   (CochleaTrainer            *self,
                                            CochleaDataset            *data,
                                            CochleaEpochReport        *report);
gboolean        cochlea_trainer_save_checkpoint (CochleaTrainer       *self,
                                                 const char           *path,
                                                 GError              **error);
/* Restores weights, optimiser moments and position from a checkpoint of
 * the same architecture. */
gboolean        cochlea_trainer_resume     (CochleaTrainer            *self,
                                            const char                *path,
                                            GError                   **error);
int             cochlea_trainer_get_epoch  (CochleaTrainer            *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaDataset, cochlea_dataset_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaTrainer, cochlea_trainer_free)

G_END_DECLS
