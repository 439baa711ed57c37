#!/usr/bin/python3
# bench/nn-vs-attributes.py — on a generated corpus's held-out songs,
# compares the network's heads with the [attributes] formulas that
# `cochlea-cli analyze` prints for the same songs (issue 4, item 2: a head
# feeds an attribute only where it is at least as accurate).
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   /usr/bin/python3 bench/nn-vs-attributes.py COCHLEA_CLI CORPUS_DIR [VAL_EVERY] [--model FILE] [--dump FILE]
#
# Songs i with i % VAL_EVERY == VAL_EVERY - 1 (default 10: the validation
# split `cochlea-cli train` holds out).  Labels as in docs/model.md.
#
# Every song is analysed twice: once with COCHLEA_MODEL pointing nowhere
# (the formulas alone: what analyze prints without a model) and once with
# the model (--model FILE, else the default one), whose JSON has the heads
# and the attribute values the heads feed (engine/nn/cochlea-nn-attributes.c).
# Part 1 scores heads against formulas as classifiers at the same
# thresholds; part 2 scores the attribute values analyze prints, with and
# without the model, on Spotify's own scales; AUC (threshold-free ranking)
# is printed beside each accuracy.
import glob
import json
import os
import subprocess
import sys

TEMPO_MIN, TEMPO_WIDTH, N_TEMPO = 60.0, 24.0, 5
KEYS = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B']


def tempo_class(bpm):
    return min(N_TEMPO - 1, max(0, int((bpm - TEMPO_MIN) // TEMPO_WIDTH)))


def argmax(d):
    return max(d, key=d.get)


def auc(scores, labels):
    """Probability that a random positive scores above a random negative."""
    pos = [s for s, y in zip(scores, labels) if y]
    neg = [s for s, y in zip(scores, labels) if not y]
    if not pos or not neg:
        return float('nan')
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def speech_class(v):
    """Spotify: > 0.66 spoken word, 0.33-0.66 speech and music, < 0.33 music."""
    return 2 if v > 0.66 else 1 if v >= 0.33 else 0


def analyze(cli, files, model):
    env = dict(os.environ)
    env['COCHLEA_MODEL'] = model
    out = subprocess.run([cli, 'analyze'] + files, capture_output=True, text=True, env=env).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == len(files), 'analyze failed on some file'
    return rows


def main():
    args = sys.argv[1:]
    model, dump = '', None
    if '--model' in args:
        i = args.index('--model')
        model = os.path.abspath(args[i + 1])
        del args[i:i + 2]
    if '--dump' in args:
        i = args.index('--dump')
        dump = args[i + 1]
        del args[i:i + 2]
    cli, corpus = args[0], args[1]
    every = int(args[2]) if len(args) > 2 else 10
    labels = sorted(glob.glob(os.path.join(corpus, '[0-9]*.json')))
    held = [p for i, p in enumerate(labels) if i % every == every - 1]
    truth = [json.load(open(p)) for p in held]
    files = [os.path.join(corpus, t['audio']) for t in truth]
    formula = analyze(cli, files, '/nonexistent/no-model')
    fed = analyze(cli, files, model)
    assert all('heads' in r for r in fed), 'no model was loaded'
    if dump:
        with open(dump, 'w') as f:
            for t, a, b in zip(truth, formula, fed):
                f.write(json.dumps({'truth': t, 'formula': a, 'model': b}) + '\n')

    # Part 1: heads against formulas as classifiers.
    score = {k: [0, 0, 0] for k in ('tempo class', 'key+mode', 'acoustic', 'live', 'speech', 'vocals')}
    for t, r, m in zip(truth, formula, fed):
        h = m['heads']
        if t['music']:
            c = tempo_class(t['tempo'])
            score['tempo class'][0] += tempo_class(r['tempo']) == c if r.get('tempo') else 0
            score['tempo class'][1] += ['60-84', '84-108', '108-132', '132-156', '156-180'].index(argmax(h['tempo'])) == c
            score['tempo class'][2] += 1
            want = '%s %s' % (KEYS[t['key']], 'major' if t['mode'] == 1 else 'minor')
            got = None
            if r.get('key') is not None and r.get('mode') is not None and r['key'] >= 0:
                got = '%s %s' % (KEYS[r['key']], 'major' if r['mode'] == 1 else 'minor')
            score['key+mode'][0] += got == want
            score['key+mode'][1] += argmax(h['key']) == want
            score['key+mode'][2] += 1
            ac = t['acoustic'] >= 0.5
            score['acoustic'][0] += (r['acousticness'] >= 0.5) == ac
            score['acoustic'][1] += (argmax(h['acoustic']) == 'acoustic') == ac
            score['acoustic'][2] += 1
        score['live'][0] += (r['liveness'] >= 0.5) == t['live']
        score['live'][1] += (argmax(h['live']) == 'live') == t['live']
        score['live'][2] += 1
        score['speech'][0] += (r['speechiness'] >= 0.5) == t['speech']
        score['speech'][1] += (h['speech']['speech'] >= 0.5) == t['speech']
        score['speech'][2] += 1
        vocals = t['voice'] or t['speech']
        score['vocals'][0] += (r['instrumentalness'] < 0.5) == vocals
        score['vocals'][1] += (max(h['voice']['voice'], h['speech']['speech']) >= 0.5) == vocals
        score['vocals'][2] += 1

    print('%d held-out songs of %s' % (len(truth), corpus))
    print('Heads against formulas (yes/no at 0.5, classes by argmax):')
    print('%-12s %10s %10s %6s' % ('label', 'formula', 'network', 'songs'))
    for k, (f, n, total) in score.items():
        print('%-12s %10.3f %10.3f %6d  %s' % (k, f / total, n / total, total,
                                               'network' if n >= f else 'formula'))

    # Part 2: the attribute values analyze prints, without and with a model.
    music = [t['music'] for t in truth]
    rows = []

    def row(name, truth_fn, value_fn, songs=None):
        idx = [i for i in range(len(truth)) if songs is None or songs[i]]
        y = [truth_fn(truth[i]) for i in idx]
        for label, src in (('formula', formula), ('model', fed)):
            v = [value_fn(src[i]) for i in idx]
            acc = sum((vi >= 0.5) == yi for vi, yi in zip(v, y)) / len(idx)
            rows.append((name, label, acc, auc(v, y), len(idx)))

    row('liveness (live)', lambda t: t['live'], lambda r: r['liveness'])
    row('acousticness (acoustic)', lambda t: t['acoustic'] >= 0.5, lambda r: r['acousticness'], music)
    row('instrumentalness (no vocals)', lambda t: not (t['voice'] or t['speech']), lambda r: r['instrumentalness'])
    print()
    print('Attribute values analyze prints (accuracy at 0.5, AUC):')
    print('%-30s %-8s %7s %7s %6s' % ('attribute (label)', 'source', 'acc', 'AUC', 'songs'))
    for name, label, acc, a, n in rows:
        print('%-30s %-8s %7.3f %7.3f %6d' % (name, label, acc, a, n))
    want = [2 if t['speech'] and not t['music'] else 1 if t['speech'] else 0 for t in truth]
    for label, src in (('formula', formula), ('model', fed)):
        got = [speech_class(r['speechiness']) for r in src]
        acc = sum(g == w for g, w in zip(got, want)) / len(want)
        present = sum((g > 0) == (w > 0) for g, w in zip(got, want)) / len(want)
        per = []
        for c in (2, 1, 0):
            n = sum(w == c for w in want)
            k = sum(g == w == c for g, w in zip(got, want))
            per.append('%d/%d' % (k, n))
        print('%-30s %-8s %7.3f %7.3f %6d  spoken %s, speech+music %s, music %s'
              % ('speechiness (3 Spotify bands)', label, acc,
                 auc([r['speechiness'] for r in src], [w > 0 for w in want]), len(want), *per))
        print('%-30s %-8s %7.3f' % ('  speech present (>= 0.33)', label, present))


if __name__ == '__main__':
    main()
