#!/usr/bin/python3
# bench/nn-parity.py — rebuilds the network in PyTorch from the safetensors
# file alone, checks the C forward pass and one batch's gradients against
# it, and times both on one thread.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   /usr/bin/python3 bench/nn-parity.py BUILDDIR MODEL.safetensors
#
# BUILDDIR must have bench/bench-nn built (ninja -C BUILDDIR bench/bench-nn).
# Exit status 0 when forward (max abs ≤ 1e-4) and gradients (max abs
# difference ≤ 1e-3 of the tensor's largest gradient) agree.
import json
import os
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

FORWARD_TOL = 1e-4
GRAD_TOL = 1e-3


def load_safetensors(path):
    """Reads the file by its documented layout only: no Cochlea code."""
    blob = open(path, 'rb').read()
    (n,) = struct.unpack('<Q', blob[:8])
    header = json.loads(blob[8:8 + n])
    meta = header.pop('__metadata__')
    data = blob[8 + n:]
    tensors = {}
    for name, t in header.items():
        assert t['dtype'] == 'F32', name
        b, e = t['data_offsets']
        tensors[name] = torch.from_numpy(np.frombuffer(data[b:e], dtype='<f4').reshape(t['shape']).copy())
    return meta, tensors


class Net(torch.nn.Module):
    """The network exactly as the metadata's "architecture" describes it."""

    def __init__(self, arch, tensors):
        super().__init__()
        self.arch = arch
        self.register_buffer('mean', tensors['norm.mean'])
        self.register_buffer('std', tensors['norm.std'])
        c_in = arch['n_mels']
        self.convs = torch.nn.ModuleList()
        for l, c_out in enumerate(arch['channels']):
            conv = torch.nn.Conv1d(c_in, c_out, arch['kernel'])
            conv.weight.data.copy_(tensors[f'conv{l + 1}.weight'])
            conv.bias.data.copy_(tensors[f'conv{l + 1}.bias'])
            self.convs.append(conv)
            c_in = c_out
        self.dense = torch.nn.Linear(3 * c_in, arch['dense'])
        self.embed = torch.nn.Linear(arch['dense'], arch['embed_dim'])
        for name, lin in (('dense', self.dense), ('embed', self.embed)):
            lin.weight.data.copy_(tensors[f'{name}.weight'])
            lin.bias.data.copy_(tensors[f'{name}.bias'])
        self.heads = torch.nn.ModuleDict()
        for h in arch['heads']:
            lin = torch.nn.Linear(arch['dense'], len(h['labels']))
            lin.weight.data.copy_(tensors[f"head.{h['name']}.weight"])
            lin.bias.data.copy_(tensors[f"head.{h['name']}.bias"])
            self.heads[h['name']] = lin
        self.dropout = torch.nn.Dropout(arch['dropout'])

    def forward(self, frames, acts=None):
        # frames: (B, window, n_mels) dB, time-major
        x = ((frames - self.mean) / self.std).transpose(1, 2)
        if acts is not None:
            acts['input'] = x
        for l, conv in enumerate(self.convs):
            x = F.relu(conv(x))
            if acts is not None:
                acts[f'conv{l + 1}'] = x
            if l < len(self.arch['pools']):
                x = F.max_pool1d(x, self.arch['pools'][l])
                if acts is not None:
                    acts[f'pool{l + 1}'] = x
        g = torch.cat([x.mean(2), x.amax(2), torch.sqrt((x * x).mean(2) + 1e-6)], 1)
        h = F.relu(self.dense(g))
        if acts is not None:
            acts['global_pool'] = g
            acts['dense'] = h
        h = self.dropout(h)
        e = self.embed(h)
        e = e / torch.sqrt((e * e).sum(1, keepdim=True) + 1e-12)
        if acts is not None:
            acts['embedding'] = e
        return e, {name: head(h) for name, head in self.heads.items()}

    def probs(self, logits):
        out = []
        for h in self.arch['heads']:
            z = logits[h['name']]
            out.append(torch.softmax(z, 1) if h['kind'] == 'softmax' else torch.sigmoid(z))
        return torch.cat(out, 1)

    def loss(self, frames, targets, weight, tau):
        """The C trainer's loss: per-head cross-entropy (softmax) or BCE averaged
        over the head's outputs (sigmoid), averaged over the batch, plus weight × in-batch InfoNCE
        where rows 2i and 2i+1 are crops of the same song."""
        e, logits = self(frames)
        loss = 0.0
        off = 0
        for h in self.arch['heads']:
            n = len(h['labels'])
            t = targets[:, off:off + n]
            z = logits[h['name']]
            if h['kind'] == 'softmax':
                loss = loss + F.cross_entropy(z, t.argmax(1))
            else:
                loss = loss + F.binary_cross_entropy_with_logits(z, t)
            off += n
        b = e.shape[0]
        sim = e @ e.t() / tau
        sim = sim.masked_fill(torch.eye(b, dtype=torch.bool), float('-inf'))
        partner = torch.arange(b) ^ 1
        return loss + weight * F.cross_entropy(sim, partner)


def read_dump(d):
    manifest = json.load(open(os.path.join(d, 'manifest.json')))
    arrays = {k: np.fromfile(os.path.join(d, k + '.f32'), dtype='<f4').reshape(shape)
              for k, shape in manifest['arrays'].items()}
    return manifest, arrays


def median_ms(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return times[len(times) // 2]


def main():
    builddir, model_path = sys.argv[1], sys.argv[2]
    bench = os.path.join(builddir, 'bench', 'bench-nn')
    torch.set_num_threads(1)
    torch.manual_seed(0)
    meta, tensors = load_safetensors(model_path)
    arch = json.loads(meta['architecture'])
    ok = True

    with tempfile.TemporaryDirectory() as d:
        subprocess.run([bench, 'dump', model_path, d], check=True)
        manifest, a = read_dump(d)

    # --- forward ---
    net = Net(arch, tensors).eval()
    acts = {}
    with torch.no_grad():
        e, logits = net(torch.from_numpy(a['input'])[None], acts)
        probs = net.probs(logits)[0].numpy()
    print('forward, one window %s:' % (tuple(a['input'].shape),))
    worst = 0.0
    for name, t in acts.items():
        diff = float(np.abs(t[0].numpy().reshape(a['act_' + name].shape) - a['act_' + name]).max())
        worst = max(worst, diff)
        print(f'  {name:12s} {str(tuple(a["act_" + name].shape)):14s} max abs diff {diff:.2e}')
    diff = float(np.abs(probs - a['probs']).max())
    worst = max(worst, diff)
    print(f'  {"head probs":12s} {str(tuple(a["probs"].shape)):14s} max abs diff {diff:.2e}')
    fwd_ok = worst <= FORWARD_TOL
    print(f'  forward: max abs diff {worst:.2e} (tolerance {FORWARD_TOL:g}) -> {"PASS" if fwd_ok else "FAIL"}')
    ok &= fwd_ok

    # --- gradients of one batch (dropout off, as the C dump) ---
    net0 = Net(dict(arch, dropout=0.0), tensors).train()
    loss = net0.loss(torch.from_numpy(a['batch_input']), torch.from_numpy(a['batch_targets']),
                     manifest['contrastive_weight'], manifest['tau'])
    net0.zero_grad()
    loss.backward()
    print('gradients, batch %d: loss C %.6f, PyTorch %.6f' % (a['batch_input'].shape[0], manifest['loss'], loss.item()))
    params = {f'conv{l + 1}.{k}': getattr(c, k) for l, c in enumerate(net0.convs) for k in ('weight', 'bias')}
    params.update({f'{n}.{k}': getattr(getattr(net0, n), k) for n in ('dense', 'embed') for k in ('weight', 'bias')})
    params.update({f'head.{n}.{k}': getattr(h, k) for n, h in net0.heads.items() for k in ('weight', 'bias')})
    worst = 0.0
    for name, p in params.items():
        gt = p.grad.numpy()
        gc = a['grad_' + name].reshape(gt.shape)
        rel = float(np.abs(gc - gt).max() / max(np.abs(gt).max(), 1e-12))
        worst = max(worst, rel)
        print(f'  {name:24s} {str(gt.shape):16s} max |dC - dT| / max |dT| {rel:.2e}')
    grad_ok = worst <= GRAD_TOL
    print(f'  gradients: worst relative difference {worst:.2e} (tolerance {GRAD_TOL:g}) -> {"PASS" if grad_ok else "FAIL"}')
    ok &= grad_ok

    # --- speed, one thread each, same run ---
    c = json.loads(subprocess.run([bench, 'speed', model_path, '200'], check=True,
                                  capture_output=True, text=True).stdout)
    window = torch.from_numpy(a['input'])[None]
    with torch.no_grad():
        for _ in range(5):
            net(window)
        t_fwd = median_ms(lambda: net(window), 200)
    batch = torch.randn(c['batch'], arch['window'], arch['n_mels']) * 15 - 45
    targets = torch.from_numpy(np.resize(a['batch_targets'], (c['batch'], a['batch_targets'].shape[1])))
    net_t = Net(arch, tensors).train()
    opt = torch.optim.AdamW(net_t.parameters(), lr=1e-3, weight_decay=1e-4)

    def step():
        opt.zero_grad()
        net_t.loss(batch, targets, manifest['contrastive_weight'], manifest['tau']).backward()
        opt.step()
    step()
    t_step = median_ms(step, 20)
    print('speed, one thread (median ms):')
    print(f'  forward, one window: C {c["forward_ms"]:.3f}  PyTorch {t_fwd:.3f}  ratio C/PyTorch {c["forward_ms"] / t_fwd:.2f}')
    print(f'  training step, batch {c["batch"]}: C {c["train_step_ms"]:.1f}  PyTorch {t_step:.1f}  '
          f'ratio C/PyTorch {c["train_step_ms"] / t_step:.2f}')
    print(f'  conv1 forward alone: OpenBLAS im2col+sgemm {c["conv1_gemm_ms"]:.3f}  plain loops {c["conv1_loops_ms"]:.3f}')
    print('parity: ' + ('PASS' if ok else 'FAIL'))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
