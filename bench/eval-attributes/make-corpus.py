#!/usr/bin/python3
# make-corpus.py — a labelled tempo/key corpus rendered with fluidsynth.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   /usr/bin/python3 make-corpus.py OUTDIR [--n N] [--seed S] [--seconds T] [--jobs J]
#                                   [--split mixed|dev|heldout]
#
# Writes OUTDIR/NNN.mid, OUTDIR/NNN.wav (44.1 kHz stereo, rendered with the
# fluidsynth CLI and a Debian General MIDI soundfont) and OUTDIR/labels.csv:
# file, split, tempo (quarter notes per minute), key ("C# minor"), meter,
# style, progression (the chord loop, e.g. "vi-IV-I-V"; the RNG draws are
# the same as before the column was added, so older corpora re-label
# identically).  Scores are generated here from a seeded RNG: a diatonic chord
# progression in the key (harmonic-minor dominant in minor keys), a bass
# line, a melody drawn from the scale with chord tones on strong beats, and
# (in most songs) a drum kit; instruments, register, tempo, key, meter and
# texture vary.  With --split mixed (the default), song i is "dev" when
# i % 5 < 2 (used to choose profiles and constants) and "heldout" otherwise
# (reported, never tuned on); --split dev or heldout puts every song of a
# corpus with another seed in one split (a larger training set, or a second
# held-out set).
import argparse
import concurrent.futures
import csv
import math
import os
import random
import struct
import subprocess
import sys

NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B']
MAJOR = [0, 2, 4, 5, 7, 9, 11]
MINOR = [0, 2, 3, 5, 7, 8, 10]
# progressions as scale degrees (0-based) of the chord roots
MAJOR_PROGS = [[0, 4, 5, 3], [0, 3, 4, 0], [1, 4, 0, 0], [5, 3, 0, 4], [0, 5, 3, 4], [0, 3, 0, 4]]
MINOR_PROGS = [[0, 3, 4, 0], [0, 5, 2, 6], [0, 6, 5, 4], [0, 3, 6, 2], [0, 5, 3, 4]]
PADS = [0, 1, 4, 19, 24, 48, 49, 52, 89, 16]        # piano, e-piano, organ, guitar, strings, choir, pad
LEADS = [0, 40, 56, 65, 71, 73, 80, 81, 11, 25]      # piano, violin, trumpet, sax, clarinet, flute, synth leads
BASSES = [32, 33, 34, 38, 43]
# chord names of the scale degrees above, for the labels (minor: harmonic-minor V)
MAJOR_ROMAN = ['I', 'ii', 'iii', 'IV', 'V', 'vi', 'vii°']
MINOR_ROMAN = ['i', 'ii°', 'III', 'iv', 'V', 'VI', 'VII']


def varlen(n):
    out = [n & 0x7f]
    n >>= 7
    while n:
        out.append((n & 0x7f) | 0x80)
        n >>= 7
    return bytes(reversed(out))


def write_midi(path, events, bpm, meter, ppq=480):
    """events: (tick, bytes) on one track (format 0)."""
    tempo_us = int(round(60e6 / bpm))
    head = [(0, b'\xff\x51\x03' + tempo_us.to_bytes(3, 'big')),
            (0, bytes([0xff, 0x58, 0x04, meter, 2, 24, 8]))]
    evs = sorted(head + events, key=lambda e: (e[0], e[1][0] & 0xf0 != 0x80))
    data = b''
    last = 0
    for tick, msg in evs:
        data += varlen(tick - last) + msg
        last = tick
    data += b'\x00\xff\x2f\x00'
    with open(path, 'wb') as f:
        f.write(b'MThd' + struct.pack('>IHHH', 6, 0, 1, ppq))
        f.write(b'MTrk' + struct.pack('>I', len(data)) + data)


def note(events, ch, start, dur, pitch, vel):
    pitch = max(0, min(127, pitch))
    events.append((int(start), bytes([0x90 | ch, pitch, vel])))
    events.append((int(start + dur), bytes([0x80 | ch, pitch, 0])))


def make_song(rng, seconds, ppq=480):
    tonic = rng.randrange(12)
    mode = rng.choice(['major', 'minor'])
    bpm = round(math.exp(rng.uniform(math.log(70), math.log(180))), 1)
    meter = 3 if rng.random() < 0.2 else 4
    drums = rng.random() < 0.75
    style = rng.choice(['block', 'arpeggio', 'strum'])
    scale = MAJOR if mode == 'major' else MINOR
    prog = rng.choice(MAJOR_PROGS if mode == 'major' else MINOR_PROGS)
    chord_bars = rng.choice([1, 2]) if meter == 4 else rng.choice([1, 2])
    pad, lead, bass = rng.choice(PADS), rng.choice(LEADS), rng.choice(BASSES)
    base = 48 + tonic if tonic < 7 else 36 + tonic   # chord register C3..F#3 / G2..B2
    events = [(0, bytes([0xc0, pad])), (0, bytes([0xc1, lead])), (0, bytes([0xc2, bass]))]
    beat = ppq
    bar = meter * beat
    n_bars = int(math.ceil(seconds * bpm / 60.0 / meter))
    melody_pos = rng.randrange(7) + 7
    for b in range(n_bars):
        degree = prog[(b // chord_bars) % len(prog)]
        # triad on the degree; in minor, the dominant (degree 4) is major
        tones = []
        for step in (0, 2, 4):
            d = degree + step
            pc = scale[d % 7] + 12 * (d // 7)
            if mode == 'minor' and degree == 4 and step == 2:
                pc += 1   # leading tone (harmonic minor)
            tones.append(base + pc)
        t0 = b * bar
        # accompaniment
        if style == 'block':
            for t in tones:
                note(events, 0, t0, bar - 10, t, 70)
        elif style == 'arpeggio':
            seq = tones + [tones[0] + 12] + tones[1:][::-1]
            for i in range(meter * 2):
                note(events, 0, t0 + i * beat // 2, beat // 2, seq[i % len(seq)], 64 + (10 if i % 2 == 0 else 0))
        else:
            for i in range(meter):
                for t in tones:
                    note(events, 0, t0 + i * beat, beat - 20, t, 80 if i == 0 else 60)
        # bass: root on beat 1 (and beat 3 in 4/4), fifth sometimes
        root = tones[0] - 12 if tones[0] - 12 >= 28 else tones[0]
        note(events, 2, t0, beat * (2 if meter == 4 else 3) - 20, root, 90)
        if meter == 4:
            note(events, 2, t0 + 2 * beat, 2 * beat - 20, root + (7 if rng.random() < 0.4 else 0), 80)
        # melody: quarter and eighth notes on the scale, chord tones on strong beats
        pos = t0
        while pos < t0 + bar:
            dur = beat if rng.random() < 0.6 else beat // 2
            if (pos - t0) % beat == 0 and rng.random() < 0.7:
                target = rng.choice(tones) + 12
                # nearest scale position to the chord tone
                melody_pos = min(range(7, 22), key=lambda p: abs(base + 12 + scale[p % 7] + 12 * (p // 7 - 1) - target))
            else:
                melody_pos = max(7, min(21, melody_pos + rng.choice([-2, -1, -1, 1, 1, 2])))
            pitch = base + 12 + scale[melody_pos % 7] + 12 * (melody_pos // 7 - 1)
            if mode == 'minor' and degree == 4 and melody_pos % 7 == 6:
                pitch += 1
            if rng.random() < 0.85:
                note(events, 1, pos, dur - 10, pitch, 85)
            pos += dur
        # drums (channel 10): kick, snare on the backbeat, closed hi-hat in eighths
        if drums:
            for i in range(meter * 2):
                t = t0 + i * beat // 2
                note(events, 9, t, 60, 42, 60 if i % 2 else 75)
            for i in range(meter):
                t = t0 + i * beat
                if meter == 4:
                    if i in (0, 2):
                        note(events, 9, t, 60, 36, 110)
                    else:
                        note(events, 9, t, 60, 38, 100)
                else:
                    note(events, 9, t, 60, 36 if i == 0 else 38, 110 if i == 0 else 70)
    total_ticks = int(seconds * bpm / 60.0 * ppq)
    events = [e for e in events if e[0] < total_ticks]
    # silence every channel at the cut (a sustained organ would ring forever)
    for ch in range(16):
        events.append((total_ticks, bytes([0xb0 | ch, 120, 0])))
        events.append((total_ticks, bytes([0xb0 | ch, 123, 0])))
    roman = MAJOR_ROMAN if mode == 'major' else MINOR_ROMAN
    return (events, bpm, meter, '%s %s' % (NAMES[tonic], mode), '%s-%s%s' % (style, 'drums' if drums else 'nodrums', ''),
            '-'.join(roman[d] for d in prog))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('outdir')
    ap.add_argument('--n', type=int, default=100)
    ap.add_argument('--seed', type=int, default=2026)
    ap.add_argument('--seconds', type=float, default=30.0)
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 1)
    ap.add_argument('--split', choices=['mixed', 'dev', 'heldout'], default='mixed')
    ap.add_argument('--soundfont', default='/usr/share/sounds/sf2/FluidR3_GM.sf2')
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    rng = random.Random(args.seed)
    rows = []
    jobs = []
    for i in range(args.n):
        events, bpm, meter, key, style, progression = make_song(rng, args.seconds)
        mid = os.path.join(args.outdir, '%03d.mid' % i)
        wav = os.path.join(args.outdir, '%03d.wav' % i)
        write_midi(mid, events, bpm, meter)
        if not os.path.exists(wav):
            jobs.append((mid, wav))
        split = args.split if args.split != 'mixed' else 'dev' if i % 5 < 2 else 'heldout'
        rows.append(['%03d.wav' % i, split, bpm, key, meter, style, progression])

    def render(job):
        mid, wav = job
        tmp = wav + '.part'
        subprocess.run(['fluidsynth', '-ni', '-q', '-g', '0.6', '-r', '44100', '-T', 'wav', '-F', tmp,
                        args.soundfont, mid], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=900)
        os.replace(tmp, wav)

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(render, jobs))
    with open(os.path.join(args.outdir, 'labels.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['file', 'split', 'tempo', 'key', 'meter', 'style', 'progression'])
        w.writerows(rows)
    print('wrote %d songs to %s' % (len(rows), args.outdir), file=sys.stderr)


if __name__ == '__main__':
    main()
