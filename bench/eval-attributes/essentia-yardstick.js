// essentia-yardstick.js — essentia.js RhythmExtractor2013 and KeyExtractor
// over WAV files, as a yardstick only (never linked or shipped; AGPL-3.0).
// SPDX-License-Identifier: GPL-3.0-or-later
//
//   node essentia-yardstick.js FILE.wav…   (44.1 kHz WAV)
//
// ESSENTIA_RHYTHM_METHOD picks RhythmExtractor2013's method: "multifeature"
// (its default, the more accurate) or "degara" (about 5× faster here).
//
// Prints one JSON object per line: file, tempo, key ("C# minor"), and the
// seconds spent on each file (WAV read + mono mixdown + both extractors,
// after the one-time WebAssembly set-up, which is printed separately).
'use strict';
const fs = require('fs');
const path = require('path');
const wav = require('node-wav');

const t0 = process.hrtime.bigint();
const { Essentia, EssentiaWASM } = require('essentia.js');
const essentia = new Essentia(EssentiaWASM);
const method = process.env.ESSENTIA_RHYTHM_METHOD || 'multifeature';
const setup = Number(process.hrtime.bigint() - t0) / 1e9;
console.error(`essentia.js ${essentia.version}: set-up ${setup.toFixed(2)} s, RhythmExtractor2013 method ${method}`);

for (const file of process.argv.slice(2)) {
  const start = process.hrtime.bigint();
  const decoded = wav.decode(fs.readFileSync(file));
  const ch = decoded.channelData;
  const n = ch[0].length;
  const mono = new Float32Array(n);
  for (let c = 0; c < ch.length; c++)
    for (let i = 0; i < n; i++)
      mono[i] += ch[c][i] / ch.length;
  const vec = essentia.arrayToVector(mono);
  const rhythm = essentia.RhythmExtractor2013(vec, 208, method, 40);
  const key = essentia.KeyExtractor(vec);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({
    file: path.basename(file),
    sample_rate: decoded.sampleRate,
    method,
    tempo: rhythm.bpm,
    key: `${key.key} ${key.scale}`,
    key_strength: key.strength,
    seconds,
  }));
  vec.delete();
}
