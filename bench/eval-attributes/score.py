#!/usr/bin/python3
# score.py — tempo Acc1/Acc2, MIREX weighted key score, loudness error and
# seconds per track for every method, per split, as Markdown tables.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   /usr/bin/python3 score.py WORKDIR
#
# WORKDIR holds labels.csv (make-corpus.py), cochlea.jsonl
# (eval-attributes), aubio.tsv (file, bpm, seconds), essentia.jsonl
# (essentia-yardstick.js) and ffmpeg.tsv (file, integrated LUFS, seconds).
import csv
import json
import math
import os
import sys

import mir_eval


def acc1(est, ref):
    return abs(est - ref) <= 0.04 * ref


def acc2(est, ref):
    return any(abs(est - ref * f) <= 0.04 * ref * f for f in (1, 2, 3, 0.5, 1 / 3))


def load_jsonl(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            line = line.strip()
            if line.startswith('{'):
                d = json.loads(line)
                out[d['file']] = d
    return out


def load_tsv(path):
    out = {}
    if os.path.exists(path):
        for row in csv.reader(open(path), delimiter='\t'):
            if len(row) >= 3:
                out[row[0]] = (float(row[1]) if row[1] not in ('', 'nan') else float('nan'), float(row[2]))
    return out


def main():
    work = sys.argv[1]
    labels = list(csv.DictReader(open(os.path.join(work, 'labels.csv'))))
    cochlea = load_jsonl(os.path.join(work, 'cochlea.jsonl'))
    essentia = load_jsonl(os.path.join(work, 'essentia.jsonl'))
    aubio = load_tsv(os.path.join(work, 'aubio.tsv'))
    ffmpeg = load_tsv(os.path.join(work, 'ffmpeg.tsv'))

    for split in ('dev', 'heldout'):
        rows = [r for r in labels if r['split'] == split]
        if not rows:
            continue
        print('\n### %s split: %d tracks\n' % (split, len(rows)))
        print('| method | tempo Acc1 | tempo Acc2 | key MIREX weighted | key correct | seconds per track |')
        print('|---|---|---|---|---|---|')

        def line(name, tempo_of, key_of, secs_of):
            a1 = a2 = ks = kc = secs = 0.0
            n_t = n_k = n_s = 0
            for r in rows:
                ref_t, ref_k = float(r['tempo']), r['key']
                t = tempo_of(r['file'])
                if t is not None:
                    n_t += 1
                    a1 += acc1(t, ref_t)
                    a2 += acc2(t, ref_t)
                k = key_of(r['file'])
                if k is not None:
                    n_k += 1
                    s = mir_eval.key.weighted_score(ref_k, k)
                    ks += s
                    kc += s == 1.0
                sec = secs_of(r['file'])
                if sec is not None:
                    n_s += 1
                    secs += sec
            fmt = lambda v, n: '%.3f' % (v / n) if n else '—'
            print('| %s | %s | %s | %s | %s | %s |' % (name, fmt(a1, n_t), fmt(a2, n_t), fmt(ks, n_k),
                                                     fmt(kc, n_k), fmt(secs, n_s)))

        line('cochlea (all attributes)', lambda f: cochlea[f]['tempo'] if f in cochlea else None,
             lambda f: cochlea[f]['key_string'] if f in cochlea else None,
             lambda f: cochlea[f]['seconds'] if f in cochlea else None)
        line('aubio tempo', lambda f: aubio[f][0] if f in aubio else None, lambda f: None,
             lambda f: aubio[f][1] if f in aubio else None)
        line('essentia.js RhythmExtractor2013 + KeyExtractor', lambda f: essentia[f]['tempo'] if f in essentia else None,
             lambda f: essentia[f]['key'] if f in essentia else None,
             lambda f: essentia[f]['seconds'] if f in essentia else None)

        # time signature (beats per bar), this engine only
        ts = [(int(r['meter']), cochlea[r['file']].get('time_signature')) for r in rows if r['file'] in cochlea]
        if ts:
            three = [t for t in ts if t[0] == 3]
            print('\nTime signature (this engine): %d of %d right; 3/4 songs: %d of %d; 4/4 songs: %d of %d'
                  % (sum(a == b for a, b in ts), len(ts), sum(a == b for a, b in three), len(three),
                     sum(a == b for a, b in ts if a == 4), len(ts) - len(three)))

        # key profile sets, on the same chroma
        if cochlea:
            names = list(next(iter(cochlea.values()))['profiles'].keys())
            print('\nKey profile sets on the same chroma (%s split):\n' % split)
            print('| profile | MIREX weighted | correct | fifth | relative | parallel |')
            print('|---|---|---|---|---|---|')
            for p in names:
                tot = cor = fif = rel = par = 0.0
                n = 0
                for r in rows:
                    if r['file'] not in cochlea:
                        continue
                    s = mir_eval.key.weighted_score(r['key'], cochlea[r['file']]['profiles'][p])
                    n += 1
                    tot += s
                    cor += s == 1.0
                    fif += s == 0.5
                    rel += s == 0.3
                    par += s == 0.2
                if n:
                    print('| %s | %.3f | %.3f | %.3f | %.3f | %.3f |' % (p, tot / n, cor / n, fif / n, rel / n, par / n))

        # key by chord loop (labels from make-corpus.py with a progression column)
        if cochlea and rows and 'progression' in rows[0]:
            print('\nKey by chord loop (%s split): songs, MIREX weighted for this engine / essentia.js\n' % split)
            print('| mode | progression | songs | cochlea | essentia.js |')
            print('|---|---|---|---|---|')
            groups = {}
            for r in rows:
                groups.setdefault((r['key'].split()[1], r['progression']), []).append(r)
            for (mode, prog), rs in sorted(groups.items()):
                def mean_key(table, member):
                    v = [mir_eval.key.weighted_score(r['key'], table[r['file']][member]) for r in rs if r['file'] in table]
                    return '%.2f' % (sum(v) / len(v)) if v else '—'
                print('| %s | %s | %d | %s | %s |' % (mode, prog, len(rs), mean_key(cochlea, 'key_string'),
                                                     mean_key(essentia, 'key')))

        # loudness against ffmpeg's ebur128 filter on the original files
        diffs = [cochlea[r['file']]['loudness'] - ffmpeg[r['file']][0] for r in rows
                 if r['file'] in cochlea and r['file'] in ffmpeg and math.isfinite(ffmpeg[r['file']][0])]
        if diffs:
            ad = [abs(d) for d in diffs]
            print('\nLoudness against ffmpeg ebur128 (%s split, %d tracks): mean |Δ| %.3f LU, max |Δ| %.3f LU, '
                  'mean Δ %+.3f LU, within 0.1 LU: %.3f' % (split, len(ad), sum(ad) / len(ad), max(ad),
                                                           sum(diffs) / len(diffs), sum(a <= 0.1 for a in ad) / len(ad)))

        # per-track misses, for the record
        if cochlea:
            misses = []
            for r in rows:
                c = cochlea.get(r['file'])
                if c is None:
                    continue
                if not acc1(c['tempo'], float(r['tempo'])) or c['key_string'] != r['key']:
                    misses.append('%s (%s, %s): tempo %.1f/%s key %s/%s' % (r['file'], r['style'], r['meter'] + '/4',
                                                                          c['tempo'], r['tempo'], c['key_string'], r['key']))
            if misses:
                print('\nCochlea misses (%s): ' % split + '; '.join(misses))


if __name__ == '__main__':
    main()
