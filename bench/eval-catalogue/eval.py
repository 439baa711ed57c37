#!/usr/bin/python3
# eval.py — precision@5 of same-album neighbours over real recordings that
# Debian packages ship (game soundtracks: one album = one composer/score).
#
#   /usr/bin/python3 eval.py --cli BUILD/app/cochlea-cli [--set eval|dev] [--model FILE.safetensors] [--work DIR]
#
# Imports the tracks of a set (sets.py: EVAL, the table, or DEV,
# other packages, where the weights were chosen) with `cochlea-cli import`,
# asks `cochlea-cli recommend --track ID -k 5 --json --no-taste` once per
# method (each component alone, the shipped default, the previous
# defaults, with and without local scaling), and computes in the same run an MFCC
# baseline (20 MFCCs of the same log-mel front end, per-track mean and full
# covariance, symmetric Kullback-Leibler divergence — Mandel & Ellis 2005,
# the "timbre" model Musly builds on).  Prints a Markdown table.
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse, json, os, shutil, sqlite3, subprocess, sys, time
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sets

# The product's defaults (engine/store/cochlea-recommend.h): embedding,
# timbre, rhythm, attributes; local scaling on.
DEFAULTS = (0.1, 0.7, 0.2, 0.1)


def mfcc_gaussian(cli, path, npy):
    if not os.path.exists(npy):
        subprocess.run([cli, "mel", path, "-o", npy + ".tmp.npy"], check=True, capture_output=True)
        os.rename(npy + ".tmp.npy", npy)
    mel = np.load(npy).astype(np.float64)          # (frames, 128) dB
    n = mel.shape[1]
    k = np.arange(n)
    # DCT-II, orthonormal, first 20 coefficients.
    basis = np.cos(np.pi / n * (k[None, :] + 0.5) * np.arange(20)[:, None]) * np.sqrt(2.0 / n)
    basis[0] /= np.sqrt(2.0)
    mfcc = mel @ basis.T
    mu = mfcc.mean(axis=0)
    cov = np.cov(mfcc, rowvar=False) + 1e-3 * np.eye(20)
    return mu, cov, np.linalg.inv(cov)


def skl(a, b):
    mu1, c1, i1 = a
    mu2, c2, i2 = b
    d = mu1 - mu2
    return 0.5 * (np.trace(i2 @ c1) + np.trace(i1 @ c2) + d @ (i1 + i2) @ d) - 20


def recommend(cli, db, track_id, extra, env):
    out = subprocess.run([cli, "recommend", "--db", db, "--track", str(track_id), "-k", "5",
                          "--json", "--no-taste"] + extra, check=True, capture_output=True,
                         text=True, env=env).stdout
    return [r["id"] for r in json.loads(out)["results"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--model", help="COCHLEA_MODEL for the import (the network's embedding)")
    ap.add_argument("--work", default="/tmp/cochlea-eval-catalogue")
    ap.add_argument("--jobs", default="0")
    ap.add_argument("--set", choices=["eval", "dev"], default="eval")
    ap.add_argument("--db", help="use this catalogue of the set as it is (no import)")
    ap.add_argument("--mel-cache", help="keep the baseline's log-mel arrays in this folder")
    args = ap.parse_args()

    env = dict(os.environ)
    env.pop("COCHLEA_MODEL", None)
    if args.model:
        env["COCHLEA_MODEL"] = os.path.abspath(args.model)
    if args.db:
        db = args.db
        import_s = float("nan")
    else:
        shutil.rmtree(os.path.join(args.work, "lib"), ignore_errors=True)
        for f in ("eval.db", "eval.db-wal", "eval.db-shm"):
            if os.path.exists(os.path.join(args.work, f)):
                os.remove(os.path.join(args.work, f))
        lib = os.path.join(args.work, "lib")
        tracks = sets.collect(sets.EVAL if args.set == "eval" else sets.DEV, args.work)
        sets.link_library(tracks, lib)
        db = os.path.join(args.work, "eval.db")
        t0 = time.time()
        subprocess.run([args.cli, "import", "-q", "-j", args.jobs, "--db", db, lib], check=True, env=env)
        import_s = time.time() - t0

    con = sqlite3.connect(db)
    rows = con.execute("SELECT t.id, t.path FROM tracks t WHERE status = 'ok' ORDER BY id").fetchall()
    model = con.execute("SELECT model, dim, count(*) FROM embeddings GROUP BY model").fetchall()
    n_attr = con.execute("SELECT count(*) FROM attributes").fetchone()[0]
    con.close()
    album_of = {i: p.split(os.sep)[-2] for i, p in rows}
    ids = [i for i, _ in rows]

    def precision(neighbours):
        hits = [sum(album_of[n] == album_of[q] for n in neighbours[q]) / 5 for q in ids]
        per_album = {}
        for q, h in zip(ids, hits):
            per_album.setdefault(album_of[q], []).append(h)
        return float(np.mean(hits)), {a: float(np.mean(v)) for a, v in per_album.items()}

    results = {}
    R0 = ["--rhythm-weight", "0"]
    NL = ["--no-local-scaling"]
    ways = [("embedding only", ["--timbre-weight", "0", "--attribute-weight", "0"] + R0 + NL),
            ("attributes only", ["--content-weight", "0", "--timbre-weight", "0"] + R0 + NL),
            ("timbre model only (MFCC mean + covariance, −log(1 + SKL))",
             ["--content-weight", "0", "--attribute-weight", "0"] + R0 + NL),
            ("rhythm only (fluctuation pattern, z-scored cosine)",
             ["--content-weight", "0", "--timbre-weight", "0", "--attribute-weight", "0", "--rhythm-weight", "1"] + NL),
            ("embedding 0.7 + attributes 0.3 (the first weights), standardised",
             ["--content-weight", "0.7", "--timbre-weight", "0", "--attribute-weight", "0.3"] + R0 + NL),
            ("embedding + attributes, standardised (0.2 / 0.05)",
             ["--content-weight", "0.2", "--timbre-weight", "0", "--attribute-weight", "0.05"] + R0 + NL),
            ("the previous combination (embedding 0.2 + timbre 0.8 + attributes 0.05)",
             ["--content-weight", "0.2", "--timbre-weight", "0.8", "--attribute-weight", "0.05"] + R0 + NL),
            ("timbre 0.65 + rhythm 0.15 (no embedding, no attributes)",
             ["--content-weight", "0", "--timbre-weight", "0.65", "--rhythm-weight", "0.15", "--attribute-weight", "0"] + NL),
            ("the combination before local scaling (0.2 / 0.65 / 0.15 / 0.05), no local scaling",
             ["--content-weight", "0.2", "--timbre-weight", "0.65", "--rhythm-weight", "0.15", "--attribute-weight", "0.05"] + NL),
            ("the same weights with local scaling",
             ["--content-weight", "0.2", "--timbre-weight", "0.65", "--rhythm-weight", "0.15", "--attribute-weight", "0.05"]),
            ("timbre model only, with local scaling",
             ["--content-weight", "0", "--attribute-weight", "0"] + R0),
            (f"**combination as shipped** (local scaling, embedding {DEFAULTS[0]:g} + timbre {DEFAULTS[1]:g} + "
             f"rhythm {DEFAULTS[2]:g} + attributes {DEFAULTS[3]:g})", []),
            ("the shipped weights without local scaling", NL)]
    for name, extra in ways:
        results[name] = precision({q: recommend(args.cli, db, q, extra, env) for q in ids})

    gauss = {}
    cache = args.mel_cache or os.path.join(args.work, "mel")
    os.makedirs(cache, exist_ok=True)
    for i, p in rows:
        npy = os.path.join(cache, f"{p.split(os.sep)[-2]}-{os.path.basename(p)}.npy")
        gauss[i] = mfcc_gaussian(args.cli, p, npy)
    nn = {}
    for q in ids:
        d = sorted((skl(gauss[q], gauss[o]), o) for o in ids if o != q)
        nn[q] = [o for _, o in d[:5]]
    results["MFCC mean + covariance, symmetric KL (baseline)"] = precision(nn)

    sizes = {}
    for q in ids:
        sizes[album_of[q]] = sizes.get(album_of[q], 0) + 1
    chance = float(np.mean([(sizes[album_of[q]] - 1) / (len(ids) - 1) for q in ids]))

    albums = sorted(sizes)
    print(f"tracks: {len(ids)} in {len(albums)} albums ({', '.join(f'{a} {sizes[a]}' for a in albums)}); "
          f"content vectors: {model}; tracks with attributes: {n_attr}; import {import_s:.1f} s")
    print()
    print("| method | P@5 | " + " | ".join(albums) + " |")
    print("|---|---|" + "---|" * len(albums))
    for name, (mean, per) in results.items():
        print(f"| {name} | {mean:.3f} | " + " | ".join(f"{per[a]:.2f}" for a in albums) + " |")
    print(f"| chance (album size − 1) / (N − 1) | {chance:.3f} |" + " |" * len(albums))


if __name__ == "__main__":
    main()
