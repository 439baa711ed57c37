#!/usr/bin/python3
# bench/nn-vs-attributes.py — on a generated corpus's held-out songs,
# compares the network's heads with the [attributes] formulas that
# `cochlea-cli analyze` prints for the same songs (issue 4, item 2: a head
# feeds an attribute only where it is at least as accurate).
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   /usr/bin/python3 bench/nn-vs-attributes.py COCHLEA_CLI CORPUS_DIR [VAL_EVERY]
#
# Songs i with i % VAL_EVERY == VAL_EVERY - 1 (default 10: the validation
# split `cochlea-cli train` holds out).  Labels as in docs/model.md.
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


def main():
    cli, corpus = sys.argv[1], sys.argv[2]
    every = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    labels = sorted(glob.glob(os.path.join(corpus, '[0-9]*.json')))
    held = [p for i, p in enumerate(labels) if i % every == every - 1]
    truth = [json.load(open(p)) for p in held]
    files = [os.path.join(corpus, t['audio']) for t in truth]
    out = subprocess.run([cli, 'analyze'] + files, capture_output=True, text=True).stdout.splitlines()
    rows = [json.loads(line) for line in out]
    assert len(rows) == len(truth), 'analyze failed on some file'

    score = {k: [0, 0, 0] for k in ('tempo class', 'key+mode', 'acoustic', 'live', 'speech')}
    for t, r in zip(truth, rows):
        h = r['heads']
        if t['music']:
            c = tempo_class(t['tempo'])
            score['tempo class'][0] += tempo_class(r['tempo']) == c if r.get('tempo') else 0
            score['tempo class'][1] += ['60-84', '84-108', '108-132', '132-156', '156-180'].index(argmax(h['tempo'])) == c
            score['tempo class'][2] += 1
            want = '%s %s' % (KEYS[t['key']], 'major' if t['mode'] == 1 else 'minor')
            got = None
            if r.get('key') is not None and r.get('mode') is not None:
                got = '%s %s' % (KEYS[r['key']] if isinstance(r['key'], int) else r['key'],
                                 'major' if r['mode'] in (1, 'major') else 'minor')
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

    print('%d held-out songs of %s' % (len(truth), corpus))
    print('%-12s %10s %10s %6s' % ('label', 'formula', 'network', 'songs'))
    for k, (f, n, total) in score.items():
        print('%-12s %10.3f %10.3f %6d  %s' % (k, f / total, n / total, total,
                                               'network' if n >= f else 'formula'))


if __name__ == '__main__':
    main()
