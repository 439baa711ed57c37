/* cochlea-train.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One step on a batch of B windows (B/2 songs, two random crops each):
 *   A. in parallel over fixed shards of the batch: forward every window,
 *      head losses and ∂L/∂logits;
 *   B. on the calling thread: the in-batch contrastive loss over the B
 *      embeddings and ∂L/∂embedding;
 *   C. in parallel over the same shards: backward, each shard summing into
 *      its own gradient block;
 *   D. the shard blocks summed in shard order, then AdamW.
 * Threads take shards t, t + n_threads, …; the arithmetic of a shard does
 * not depend on which thread runs it, hence bit-identical results for any
 * thread count.
 */
#define G_LOG_DOMAIN "cochlea-nn"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cochlea-error.h"
#include "cochlea-model-io-private.h"
#include "cochlea-ops.h"
#include "cochlea-train-private.h"

/* ------------------------------------------------------------------ */
/* Dataset                                                             */

struct _CochleaDataset
{
  int        n_mels;
  int        n_logits;
  GPtrArray *songs;   /* CochleaTrainSong* */
};

static void
train_song_free (gpointer data)
{
  CochleaTrainSong *song = data;

  g_free (song->name);
  g_free (song->mel);
  g_free (song->targets);
  g_free (song);
}

CochleaDataset *
cochlea_dataset_new (int n_mels,
                     int n_logits)
{
  CochleaDataset *self = g_new0 (CochleaDataset, 1);

  self->n_mels = n_mels;
  self->n_logits = n_logits;
  self->songs = g_ptr_array_new_with_free_func (train_song_free);
  return self;
}

void
cochlea_dataset_free (CochleaDataset *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->songs);
  g_free (self);
}

void
cochlea_dataset_add (CochleaDataset *self,
                     const char     *name,
                     float          *mel,
                     gsize           n_frames,
                     const float    *targets,
                     guint32         known)
{
  CochleaTrainSong *song = g_new0 (CochleaTrainSong, 1);

  g_return_if_fail (n_frames > 0);

  song->name = g_strdup (name);
  song->mel = mel;
  song->n_frames = n_frames;
  song->targets = g_new0 (float, MAX (1, self->n_logits));
  if (targets != NULL)
    memcpy (song->targets, targets, sizeof (float) * self->n_logits);
  song->known = known;
  g_ptr_array_add (self->songs, song);
}

guint
cochlea_dataset_get_n_songs (CochleaDataset *self)
{
  return self->songs->len;
}

const CochleaTrainSong *
cochlea_dataset_get_song (CochleaDataset *self,
                          guint           index)
{
  g_return_val_if_fail (index < self->songs->len, NULL);
  return g_ptr_array_index (self->songs, index);
}

void
cochlea_dataset_compute_norm (CochleaDataset *self,
                              float          *mean,
                              float          *std)
{
  g_autofree double *s = g_new0 (double, self->n_mels);
  g_autofree double *s2 = g_new0 (double, self->n_mels);
  double n = 0;

  for (guint i = 0; i < self->songs->len; i++)
    {
      CochleaTrainSong *song = g_ptr_array_index (self->songs, i);

      for (gsize t = 0; t < song->n_frames; t++)
        for (int c = 0; c < self->n_mels; c++)
          {
            double x = song->mel[t * self->n_mels + c];
            s[c] += x;
            s2[c] += x * x;
          }
      n += song->n_frames;
    }
  for (int c = 0; c < self->n_mels; c++)
    {
      double m = n > 0 ? s[c] / n : 0.0;
      double var = n > 0 ? s2[c] / n - m * m : 1.0;
      mean[c] = (float) m;
      std[c] = (float) MAX (sqrt (MAX (var, 0.0)), 1e-3);
    }
}

/* ------------------------------------------------------------------ */
/* Trainer                                                             */

void
cochlea_train_options_init_default (CochleaTrainOptions *options)
{
  memset (options, 0, sizeof *options);
  options->epochs = 20;
  options->batch_size = 32;
  cochlea_adam_params_init_default (&options->adam);
  options->contrastive_weight = 0.5f;
  options->tau = 0.1f;
  options->seed = 1;
  options->n_threads = 2;
  options->n_shards = 4;
}

struct _CochleaTrainer
{
  CochleaModel       *model;       /* owned ref, trained in place */
  CochleaDataset     *train;       /* borrowed */
  CochleaDataset     *val;         /* borrowed, nullable */
  CochleaTrainOptions opt;

  /* the three flat blocks besides the parameters */
  float              *grads;       /* n_params */
  float              *shard_grads; /* n_shards × n_params */
  float              *m;           /* n_params */
  float              *v;           /* n_params */

  /* activations for the whole batch, and per-thread scratch */
  gsize               acts_size;
  gsize               col_size;
  float              *acts_block;  /* batch × acts_size */
  CochleaActs        *acts;        /* batch */
  float              *inputs;      /* batch × window × n_mels */
  float              *scratch;     /* n_shards × (acts_size + col_size) */
  float              *embed;       /* batch × embed_dim */
  float              *dembed;      /* batch × embed_dim */
  float              *sim;         /* batch × batch */
  float              *sample_loss; /* batch */

  guint              *order;       /* the epoch's song order */
  int                 order_epoch;
  int                 epoch;       /* completed epochs */
  int                 step_in_epoch;
  gint64              step;        /* completed steps */
  int                 steps_per_epoch;
};

CochleaModel *
cochlea_trainer_get_model (CochleaTrainer *self)
{
  return self->model;
}

int
cochlea_trainer_get_epoch (CochleaTrainer *self)
{
  return self->epoch;
}

/**
 * cochlea_trainer_new:
 *
 * Returns: (transfer full): a trainer, or %NULL when the options or data
 *   do not fit the model
 */
CochleaTrainer *
cochlea_trainer_new (CochleaModel              *model,
                     CochleaDataset            *train,
                     CochleaDataset            *val,
                     const CochleaTrainOptions *options,
                     GError                   **error)
{
  g_autoptr(CochleaTrainer) self = NULL;
  const CochleaModelConfig *c;
  int b;

  g_return_val_if_fail (model != NULL && train != NULL && options != NULL, NULL);

  c = &model->config;
  b = options->batch_size;
  if (b < 2 || b % 2 != 0 || b > 4096)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_FAILED,
                   "batch size %d must be even and between 2 and 4096", b);
      return NULL;
    }
  if (options->n_threads < 1 || options->n_threads > 64 || options->n_shards < 1 || options->n_shards > b)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_FAILED,
                   "%d threads or %d gradient shards is out of range", options->n_threads, options->n_shards);
      return NULL;
    }
  if (train->n_mels != c->mel.n_mels || train->n_logits != c->n_logits ||
      (val != NULL && (val->n_mels != c->mel.n_mels || val->n_logits != c->n_logits)))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_SHAPE,
                   "the data's bands or labels do not match the model's");
      return NULL;
    }
  if (train->songs->len < 2)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_FAILED,
                   "training needs at least 2 songs, got %u", train->songs->len);
      return NULL;
    }

  self = g_new0 (CochleaTrainer, 1);
  self->model = cochlea_model_ref (model);
  self->train = train;
  self->val = val;
  self->opt = *options;
  self->opt.checkpoint_path = g_strdup (options->checkpoint_path);
  self->acts_size = _cochlea_model_acts_size (c);
  self->col_size = _cochlea_model_col_size (c);

  self->grads = _cochlea_aligned_alloc0 (model->n_params);
  self->shard_grads = _cochlea_aligned_alloc0 (model->n_params * options->n_shards);
  self->m = _cochlea_aligned_alloc0 (model->n_params);
  self->v = _cochlea_aligned_alloc0 (model->n_params);
  self->acts_block = _cochlea_aligned_alloc0 (self->acts_size * b);
  self->inputs = _cochlea_aligned_alloc0 ((gsize) b * c->window * c->mel.n_mels);
  self->scratch = _cochlea_aligned_alloc0 ((self->acts_size + self->col_size) * options->n_shards);
  self->embed = _cochlea_aligned_alloc0 ((gsize) b * c->embed_dim);
  self->dembed = _cochlea_aligned_alloc0 ((gsize) b * c->embed_dim);
  self->sim = _cochlea_aligned_alloc0 ((gsize) b * b);
  self->sample_loss = _cochlea_aligned_alloc0 (b);
  if (!self->grads || !self->shard_grads || !self->m || !self->v || !self->acts_block ||
      !self->inputs || !self->scratch || !self->embed || !self->dembed || !self->sim || !self->sample_loss)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_NO_MEMORY,
                   "Not enough memory to train with batches of %d", b);
      return NULL;
    }
  self->acts = g_new0 (CochleaActs, b);
  for (int i = 0; i < b; i++)
    _cochlea_model_point_acts (c, self->acts_block + self->acts_size * i, &self->acts[i]);

  self->order = g_new (guint, train->songs->len);
  self->order_epoch = -1;
  self->steps_per_epoch = (train->songs->len + b / 2 - 1) / (b / 2);
  cochlea_nn_init ();
  return g_steal_pointer (&self);
}

void
cochlea_trainer_free (CochleaTrainer *self)
{
  if (self == NULL)
    return;
  cochlea_model_unref (self->model);
  _cochlea_aligned_free (self->grads);
  _cochlea_aligned_free (self->shard_grads);
  _cochlea_aligned_free (self->m);
  _cochlea_aligned_free (self->v);
  _cochlea_aligned_free (self->acts_block);
  _cochlea_aligned_free (self->inputs);
  _cochlea_aligned_free (self->scratch);
  _cochlea_aligned_free (self->embed);
  _cochlea_aligned_free (self->dembed);
  _cochlea_aligned_free (self->sim);
  _cochlea_aligned_free (self->sample_loss);
  g_free (self->acts);
  g_free (self->order);
  g_free (self->opt.checkpoint_path);
  g_free (self);
}

static void
ensure_order (CochleaTrainer *self)
{
  guint n = self->train->songs->len;
  guint64 state;

  if (self->order_epoch == self->epoch)
    return;
  for (guint i = 0; i < n; i++)
    self->order[i] = i;
  state = cochlea_nn_rng_seed3 (self->opt.seed, 0xE90C, self->epoch);
  for (guint i = n - 1; i > 0; i--)
    {
      guint j = (guint) (cochlea_nn_rng_uniform (&state) * (i + 1));
      guint tmp;

      j = MIN (j, i);
      tmp = self->order[i];
      self->order[i] = self->order[j];
      self->order[j] = tmp;
    }
  self->order_epoch = self->epoch;
}

/* The crop of window @j of the current step into its input buffer; a song
 * shorter than a window is padded with the band means. */
static void
fill_input (CochleaTrainer         *self,
            int                     j,
            const CochleaTrainSong *song)
{
  const CochleaModelConfig *c = &self->model->config;
  float *dst = self->inputs + (gsize) j * c->window * c->mel.n_mels;
  guint64 state = cochlea_nn_rng_seed3 (self->opt.seed, self->step, 0xC40F0000u + j);
  gsize avail = song->n_frames;

  if (avail >= (gsize) c->window)
    {
      gsize off = (gsize) (cochlea_nn_rng_uniform (&state) * (avail - c->window + 1));
      off = MIN (off, avail - c->window);
      memcpy (dst, song->mel + off * c->mel.n_mels, sizeof (float) * c->window * c->mel.n_mels);
    }
  else
    {
      memcpy (dst, song->mel, sizeof (float) * avail * c->mel.n_mels);
      for (gsize t = avail; t < (gsize) c->window; t++)
        memcpy (dst + t * c->mel.n_mels, self->model->norm_mean, sizeof (float) * c->mel.n_mels);
    }
}

static const CochleaTrainSong *
batch_song (CochleaTrainer *self,
            int             j)
{
  guint n = self->train->songs->len;
  guint k = ((guint) self->step_in_epoch * (self->opt.batch_size / 2) + j / 2) % n;

  return g_ptr_array_index (self->train->songs, self->order[k]);
}

/* Head losses of window j and ∂L/∂logits into @dlogits (scaled by 1/B). */
static float
head_losses (const CochleaModelConfig *c,
             const CochleaTrainSong   *song,
             CochleaActs              *a,
             float                    *dlogits,
             float                     scale)
{
  float loss = 0.0f;

  for (int h = 0; h < c->n_heads; h++)
    {
      const CochleaHeadSpec *head = &c->heads[h];
      float *z = a->logits + head->offset, *p = a->probs + head->offset;
      const float *t = song->targets + head->offset;
      float *dz = dlogits + head->offset;

      if (!(song->known & (1u << h)))
        {
          memset (dz, 0, sizeof (float) * head->n_out);
          continue;
        }
      if (head->kind == COCHLEA_HEAD_SOFTMAX)
        {
          int target = 0;
          for (int i = 1; i < head->n_out; i++)
            if (t[i] > t[target])
              target = i;
          loss += cochlea_softmax_xent_forward (p, z, head->n_out, target);
          cochlea_softmax_xent_backward (dz, p, head->n_out, target, scale);
        }
      else
        {
          /* averaged over the head's outputs, so a head weighs the same
           * whatever its number of labels */
          loss += cochlea_sigmoid_bce_forward (p, z, t, head->n_out) / head->n_out;
          cochlea_sigmoid_bce_backward (dz, p, t, head->n_out, scale / head->n_out);
        }
    }
  return loss;
}

typedef struct
{
  CochleaTrainer *self;
  int             phase;     /* 0 forward, 1 backward */
  int             tid;
  int             n_threads;
} Work;

static void
shard_range (CochleaTrainer *self,
             int             s,
             int            *lo,
             int            *hi)
{
  int b = self->opt.batch_size, n = self->opt.n_shards;

  *lo = (int) ((gint64) b * s / n);
  *hi = (int) ((gint64) b * (s + 1) / n);
}

static void
run_shard (CochleaTrainer *self,
           int             phase,
           int             s)
{
  const CochleaModelConfig *c = &self->model->config;
  float *scratch = self->scratch + (self->acts_size + self->col_size) * s;
  float *col = scratch + self->acts_size;
  float scale = 1.0f / self->opt.batch_size;
  CochleaActs d;
  int lo, hi;

  shard_range (self, s, &lo, &hi);
  _cochlea_model_point_acts (c, scratch, &d);

  if (phase == 0)
    {
      for (int j = lo; j < hi; j++)
        {
          const CochleaTrainSong *song = batch_song (self, j);
          CochleaActs *a = &self->acts[j];

          fill_input (self, j, song);
          _cochlea_model_forward (self->model, &self->model->p,
                                  self->inputs + (gsize) j * c->window * c->mel.n_mels,
                                  a, col, TRUE,
                                  cochlea_nn_rng_seed3 (self->opt.seed ^ 0xD809, self->step, j));
          /* ∂L/∂logits overwrites the example's logits, which the
           * backward pass does not need */
          self->sample_loss[j] = head_losses (c, song, a, a->logits, scale);
          memcpy (self->embed + (gsize) j * c->embed_dim, a->e, sizeof (float) * c->embed_dim);
        }
    }
  else
    {
      float *g = self->shard_grads + self->model->n_params * s;
      CochleaParamPtrs gp;

      memset (g, 0, sizeof (float) * self->model->n_params);
      _cochlea_model_point_params (self->model, g, &gp);
      for (int j = lo; j < hi; j++)
        {
          memcpy (d.logits, self->acts[j].logits, sizeof (float) * c->n_logits);
          memcpy (d.e, self->dembed + (gsize) j * c->embed_dim, sizeof (float) * c->embed_dim);
          _cochlea_model_backward (self->model, &self->model->p, &self->acts[j], &d, &gp, col);
        }
    }
}

static gpointer
worker (gpointer data)
{
  Work *w = data;

  for (int s = w->tid; s < w->self->opt.n_shards; s += w->n_threads)
    run_shard (w->self, w->phase, s);
  return NULL;
}

static void
parallel (CochleaTrainer *self,
          int             phase)
{
  int n = CLAMP (MIN (self->opt.n_threads, self->opt.n_shards), 1, 64);
  Work work[64] = { { NULL, 0, 0, 0 } };
  GThread *threads[64] = { NULL };

  for (int t = 0; t < n; t++)
    work[t] = (Work) { self, phase, t, n };
  for (int t = 1; t < n; t++)
    threads[t] = g_thread_new ("cochlea-train", worker, &work[t]);
  worker (&work[0]);
  for (int t = 1; t < n; t++)
    g_thread_join (threads[t]);
}

/* Phases A–D without the update: the batch's loss, its gradient in
 * self->grads. */
float
_cochlea_trainer_compute_gradients (CochleaTrainer *self)
{
  CochleaModel *model = self->model;
  const CochleaModelConfig *c = &model->config;
  int b = self->opt.batch_size;
  double loss = 0.0;
  float closs;

  ensure_order (self);

  /* A */
  parallel (self, 0);
  for (int j = 0; j < b; j++)
    loss += self->sample_loss[j];
  loss /= b;

  /* B */
  closs = cochlea_contrastive_forward_backward (self->dembed, self->sim, self->embed, b, c->embed_dim,
                                                self->opt.tau, self->opt.contrastive_weight);
  loss += self->opt.contrastive_weight * closs;

  /* C */
  parallel (self, 1);

  /* D: shards summed in order */
  memcpy (self->grads, self->shard_grads, sizeof (float) * model->n_params);
  for (int s = 1; s < self->opt.n_shards; s++)
    {
      const float *restrict g = self->shard_grads + model->n_params * s;
      float *restrict acc = self->grads;
      for (gsize i = 0; i < model->n_params; i++)
        acc[i] += g[i];
    }
  return (float) loss;
}

const float *
_cochlea_trainer_get_grads (CochleaTrainer *self)
{
  return self->grads;
}

const float *
_cochlea_trainer_get_inputs (CochleaTrainer *self)
{
  return self->inputs;
}

const CochleaTrainSong *
_cochlea_trainer_get_batch_song (CochleaTrainer *self,
                                 int             j)
{
  return batch_song (self, j);
}

float
cochlea_trainer_step (CochleaTrainer *self)
{
  CochleaModel *model = self->model;
  float loss = _cochlea_trainer_compute_gradients (self);

  CochleaAdamParams adam = self->opt.adam;

  self->step++;
  if (self->opt.cosine_lr)
    {
      /* a function of the step alone, so resuming gives the same rates */
      double total = (double) MAX (1, self->opt.epochs) * self->steps_per_epoch;
      adam.lr = (float) (self->opt.adam.lr * 0.5 * (1.0 + cos (G_PI * MIN (1.0, (self->step - 1) / total))));
    }
  for (int i = 0; i < model->n_tensors; i++)
    {
      const CochleaParamInfo *info = &model->info[i];
      cochlea_adamw_update (model->params + info->offset, self->grads + info->offset,
                            self->m + info->offset, self->v + info->offset, info->size,
                            &adam, info->decay, self->step);
    }

  self->step_in_epoch++;
  if (self->step_in_epoch >= self->steps_per_epoch)
    self->step_in_epoch = 0;
  return loss;
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                          */

static float
cosine (const float *a,
        const float *b,
        int          n)
{
  float s = 0.0f;

  for (int i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

void
cochlea_trainer_evaluate (CochleaTrainer     *self,
                          CochleaDataset     *data,
                          CochleaEpochReport *report)
{
  const CochleaModelConfig *c = &self->model->config;
  double correct[COCHLEA_MODEL_MAX_HEADS] = { 0 }, total[COCHLEA_MODEL_MAX_HEADS] = { 0 };
  double tp[COCHLEA_MODEL_MAX_HEADS] = { 0 }, fp[COCHLEA_MODEL_MAX_HEADS] = { 0 }, fn[COCHLEA_MODEL_MAX_HEADS] = { 0 };
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) cochlea_nn_result_free);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func ((GDestroyNotify) cochlea_nn_result_free);
  int hits = 0;

  report->n_heads = c->n_heads;
  for (int h = 0; h < c->n_heads; h++)
    {
      report->head_names[h] = c->heads[h].name;
      report->metric_names[h] = c->heads[h].kind == COCHLEA_HEAD_SOFTMAX || c->heads[h].n_out == 1 ? "acc" : "f1";
    }

  for (guint i = 0; data != NULL && i < data->songs->len; i++)
    {
      const CochleaTrainSong *song = g_ptr_array_index (data->songs, i);
      g_autoptr(CochleaNnResult) r = cochlea_nn_run_frames (self->model, song->mel, song->n_frames);

      for (int h = 0; h < c->n_heads; h++)
        {
          const CochleaHeadSpec *head = &c->heads[h];
          const float *p = r->probs + head->offset, *t = song->targets + head->offset;

          if (!(song->known & (1u << h)))
            continue;
          if (head->kind == COCHLEA_HEAD_SOFTMAX)
            {
              int pi = 0, ti = 0;
              for (int k = 1; k < head->n_out; k++)
                {
                  if (p[k] > p[pi]) pi = k;
                  if (t[k] > t[ti]) ti = k;
                }
              correct[h] += pi == ti;
              total[h] += 1;
            }
          else
            for (int k = 0; k < head->n_out; k++)
              {
                gboolean yp = p[k] >= 0.5f, yt = t[k] >= 0.5f;
                correct[h] += yp == yt;
                total[h] += 1;
                tp[h] += yp && yt;
                fp[h] += yp && !yt;
                fn[h] += !yp && yt;
              }
        }

      /* the two halves of a long enough song, embedded separately */
      if (song->n_frames >= 2 * (gsize) c->window)
        {
          gsize half = song->n_frames / 2;
          g_ptr_array_add (first, cochlea_nn_run_frames (self->model, song->mel, half));
          g_ptr_array_add (second, cochlea_nn_run_frames (self->model, song->mel + half * c->mel.n_mels,
                                                          song->n_frames - half));
        }
    }

  for (int h = 0; h < c->n_heads; h++)
    {
      if (total[h] == 0)
        report->head_metrics[h] = NAN;
      else if (strcmp (report->metric_names[h], "f1") == 0)
        report->head_metrics[h] = 2 * tp[h] / MAX (1.0, 2 * tp[h] + fp[h] + fn[h]);
      else
        report->head_metrics[h] = correct[h] / total[h];
    }

  for (guint i = 0; i < first->len; i++)
    {
      const CochleaNnResult *a = g_ptr_array_index (first, i);
      guint best = 0;
      float best_s = -2.0f;

      for (guint k = 0; k < second->len; k++)
        {
          const CochleaNnResult *bk = g_ptr_array_index (second, k);
          float s = cosine (a->embedding, bk->embedding, c->embed_dim);
          if (s > best_s)
            {
              best_s = s;
              best = k;
            }
        }
      hits += best == i;
    }
  report->embed_top1 = first->len > 1 ? (double) hits / first->len : NAN;
}

/* ------------------------------------------------------------------ */
/* Checkpoints and the epoch loop                                      */

gboolean
cochlea_trainer_save_checkpoint (CochleaTrainer *self,
                                 const char     *path,
                                 GError        **error)
{
  CochleaExtraTensor extra[2] = {
    { "optim.m", self->m, self->model->n_params },
    { "optim.v", self->v, self->model->n_params },
  };
  g_autofree char *state = g_strdup_printf ("{\"epoch\":%d,\"step\":%" G_GINT64_FORMAT ",\"seed\":%" G_GUINT64_FORMAT
                                            ",\"batch_size\":%d}",
                                            self->epoch, self->step, self->opt.seed, self->opt.batch_size);

  return _cochlea_model_save_full (self->model, path, extra, 2, state, error);
}

gboolean
cochlea_trainer_resume (CochleaTrainer *self,
                        const char     *path,
                        GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CochleaModel) loaded = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *state = NULL;
  g_autofree char *display = g_filename_display_name (path);
  g_autofree float *m = g_new (float, self->model->n_params);
  g_autofree float *v = g_new (float, self->model->n_params);
  CochleaExtraTensor extra[2] = {
    { "optim.m", m, self->model->n_params },
    { "optim.v", v, self->model->n_params },
  };
  JsonObject *o;

  if (!(bytes = _cochlea_model_map_file (path, error)) ||
      !(loaded = _cochlea_model_load_full (bytes, display, extra, 2, &state, error)))
    return FALSE;
  if (loaded->n_params != self->model->n_params ||
      loaded->config.n_logits != self->model->config.n_logits)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_SHAPE,
                   "Could not resume from “%s”: a different architecture", display);
      return FALSE;
    }
  if (state == NULL || !json_parser_load_from_data (parser, state, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "Could not resume from “%s”: no training state (a model, not a checkpoint?)", display);
      return FALSE;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  if (json_object_get_int_member_with_default (o, "batch_size", -1) != self->opt.batch_size ||
      (guint64) json_object_get_int_member_with_default (o, "seed", -1) != self->opt.seed)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_FAILED,
                   "Could not resume from “%s”: it was trained with another seed or batch size", display);
      return FALSE;
    }
  self->epoch = (int) json_object_get_int_member_with_default (o, "epoch", 0);
  self->step = json_object_get_int_member_with_default (o, "step", 0);
  self->step_in_epoch = 0;
  memcpy (self->model->params, loaded->params, sizeof (float) * self->model->n_params);
  memcpy (self->model->norm_mean, loaded->norm_mean, sizeof (float) * self->model->config.mel.n_mels);
  memcpy (self->model->norm_std, loaded->norm_std, sizeof (float) * self->model->config.mel.n_mels);
  memcpy (self->m, m, sizeof (float) * self->model->n_params);
  memcpy (self->v, v, sizeof (float) * self->model->n_params);
  return TRUE;
}

gboolean
cochlea_trainer_run (CochleaTrainer            *self,
                     CochleaTrainProgressFunc   progress,
                     gpointer                   user_data,
                     GCancellable              *cancellable,
                     GError                   **error)
{
  while (self->epoch < self->opt.epochs)
    {
      CochleaEpochReport report = { 0 };
      gint64 start = g_get_monotonic_time ();
      double sum = 0.0;

      self->step_in_epoch = 0;
      for (int s = 0; s < self->steps_per_epoch; s++)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          sum += cochlea_trainer_step (self);
        }
      self->epoch++;

      report.epoch = self->epoch;
      report.n_epochs = self->opt.epochs;
      report.step = self->step;
      report.train_loss = sum / self->steps_per_epoch;
      cochlea_trainer_evaluate (self, self->val, &report);
      report.seconds = (g_get_monotonic_time () - start) / 1e6;

      if (self->opt.checkpoint_path != NULL &&
          !cochlea_trainer_save_checkpoint (self, self->opt.checkpoint_path, error))
        return FALSE;
      if (progress != NULL)
        progress (&report, user_data);
    }
  return TRUE;
}
