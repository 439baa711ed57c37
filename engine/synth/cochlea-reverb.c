/* cochlea-reverb.c — Freeverb-style room (Schroeder 1962, Moorer 1979,
 * Jezar 2000): parallel low-pass-feedback combs into series all-passes.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-synth"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-reverb.h"

#define N_COMBS     8
#define N_ALLPASSES 4

/* Freeverb's tunings, in samples at 44.1 kHz. */
static const int comb_tuning[N_COMBS] = { 1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617 };
static const int allpass_tuning[N_ALLPASSES] = { 556, 441, 341, 225 };

void
cochlea_reverb_process (float  *samples,
                        gsize   n_samples,
                        int     sample_rate,
                        double  room_size,
                        double  wet)
{
  double scale = sample_rate / 44100.0;
  int comb_len[N_COMBS], ap_len[N_ALLPASSES], comb_pos[N_COMBS] = { 0, }, ap_pos[N_ALLPASSES] = { 0, };
  float comb_store[N_COMBS] = { 0, };
  g_autofree float *comb_buf = NULL;
  g_autofree float *ap_buf = NULL;
  g_autofree float *delay_buf = NULL;
  float *combs[N_COMBS], *aps[N_ALLPASSES];
  int total = 0, ap_total = 0, pre_delay, pre_pos = 0;
  /* A larger room: longer decay (feedback) and brighter tail (less damping). */
  float feedback = (float) (0.7 + 0.28 * CLAMP (room_size, 0.0, 1.0));
  float damp = (float) (0.45 - 0.25 * CLAMP (room_size, 0.0, 1.0));
  float gain = 0.015f;
  float wet_gain = (float) (3.0 * CLAMP (wet, 0.0, 1.0));

  g_return_if_fail (samples != NULL || n_samples == 0);

  if (n_samples == 0 || wet <= 0)
    return;

  for (int i = 0; i < N_COMBS; i++)
    total += comb_len[i] = MAX (1, (int) lround (comb_tuning[i] * scale * (0.6 + 0.6 * room_size)));
  for (int i = 0; i < N_ALLPASSES; i++)
    ap_total += ap_len[i] = MAX (1, (int) lround (allpass_tuning[i] * scale));
  pre_delay = MAX (1, (int) lround (sample_rate * (0.005 + 0.03 * room_size)));

  comb_buf = g_new0 (float, total);
  ap_buf = g_new0 (float, ap_total);
  delay_buf = g_new0 (float, pre_delay);
  combs[0] = comb_buf;
  for (int i = 1; i < N_COMBS; i++)
    combs[i] = combs[i - 1] + comb_len[i - 1];
  aps[0] = ap_buf;
  for (int i = 1; i < N_ALLPASSES; i++)
    aps[i] = aps[i - 1] + ap_len[i - 1];

  for (gsize n = 0; n < n_samples; n++)
    {
      float dry = samples[n];
      float in = delay_buf[pre_pos] * gain;
      float out = 0;

      delay_buf[pre_pos] = dry;
      pre_pos = (pre_pos + 1) % pre_delay;

      for (int i = 0; i < N_COMBS; i++)
        {
          float y = combs[i][comb_pos[i]];
          comb_store[i] = y * (1 - damp) + comb_store[i] * damp;
          combs[i][comb_pos[i]] = in + comb_store[i] * feedback;
          comb_pos[i] = (comb_pos[i] + 1) % comb_len[i];
          out += y;
        }
      for (int i = 0; i < N_ALLPASSES; i++)
        {
          float buf = aps[i][ap_pos[i]];
          float y = -out + buf;
          aps[i][ap_pos[i]] = out + buf * 0.5f;
          ap_pos[i] = (ap_pos[i] + 1) % ap_len[i];
          out = y;
        }
      samples[n] = dry + wet_gain * out;
    }
}
