#!/usr/bin/python3
# make-mel-fixture.py — reference log-mel spectrograms from torchaudio.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run with Debian's interpreter (python3-torchaudio, python3-numpy):
#
#   /usr/bin/python3 tests/make-mel-fixture.py [OUTDIR]     (default tests/fixtures)
#
# Writes, for each signal NAME below:
#   mel-parity-NAME-pcm.npy   float32 (n_samples, 1): the mono PCM at 22050 Hz
#   mel-parity-NAME-ref.npy   float32 (frames, 128): torchaudio's log-mel of it
#
# The signals are deterministic (fixed seed) and the script is idempotent.
# tests/engine/test-mel-parity.c feeds the same PCM to cochlea_mel_push()
# and compares.  The parameters are the ones issue 2 fixes for the front end.

import os
import sys

import numpy as np
import torch
import torchaudio

SR = 22050
N_FFT = 1024
HOP = 512
N_MELS = 128
AMIN = 1e-10


def make_signal(n_samples, seed):
    """A linear chirp 50 Hz → 10 kHz, two steady sines and seeded noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_samples, dtype=np.float64) / SR
    dur = n_samples / SR
    f0, f1 = 50.0, 10000.0
    chirp = 0.4 * np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * dur)))
    sines = 0.2 * np.sin(2 * np.pi * 220.0 * t) + 0.1 * np.sin(2 * np.pi * 3520.0 * t + 0.3)
    # An amplitude envelope so levels vary over time, and a quiet
    # stretch so the 80 dB window really excludes some bins.
    env = 0.55 + 0.45 * np.cos(2 * np.pi * 0.7 * t)
    noise = 0.02 * rng.standard_normal(n_samples)
    x = env * (chirp + sines) + noise
    quiet = (t > 0.9 * dur - 0.25) & (t < 0.9 * dur)
    x[quiet] *= 1e-3
    return x.astype(np.float32)


def log_mel(x):
    transform = torchaudio.transforms.MelSpectrogram(
        sample_rate=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS,
        mel_scale="slaney", norm="slaney", power=2.0, center=True,
        pad_mode="reflect")
    with torch.no_grad():
        s = transform(torch.from_numpy(x))            # (n_mels, frames)
        db = 10.0 * torch.log10(torch.clamp(s, min=AMIN))
    return db.T.contiguous().numpy().astype(np.float32)  # (frames, n_mels)


SIGNALS = {
    # 3 s: 66150 samples, not a multiple of the hop either (66150 = 129·512 + 102).
    "main": (3 * SR, 1),
    # Shorter, and one sample past a hop boundary: 56·512 + 1.
    "edge": (56 * HOP + 1, 2),
    # A little more than one window: two frames, both touching both pads.
    "short": (N_FFT // 2 + 300, 3),
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "fixtures")
    os.makedirs(outdir, exist_ok=True)
    torch.manual_seed(0)
    for name, (n, seed) in SIGNALS.items():
        x = make_signal(n, seed)
        ref = log_mel(x)
        assert ref.shape == (1 + n // HOP, N_MELS), ref.shape
        np.save(os.path.join(outdir, f"mel-parity-{name}-pcm.npy"), x.reshape(-1, 1))
        np.save(os.path.join(outdir, f"mel-parity-{name}-ref.npy"), ref)
        print(f"{name}: {n} samples, {ref.shape[0]} frames, "
              f"max {ref.max():.2f} dB, min {ref.min():.2f} dB")


if __name__ == "__main__":
    main()
