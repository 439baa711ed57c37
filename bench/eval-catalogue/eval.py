#!/usr/bin/python3
# eval.py — precision@5 of same-album neighbours over real recordings that
# Debian packages ship (game soundtracks: one album = one composer/score).
#
#   /usr/bin/python3 eval.py --cli BUILD/app/cochlea-cli [--model FILE.safetensors] [--work DIR]
#
# Imports the tracks with `cochlea-cli import`, asks `cochlea-cli recommend
# --track ID -k 5 --json --no-taste` three ways (content only, attributes
# only, the default combination), and computes in the same run an MFCC
# baseline (20 MFCCs of the same log-mel front end, per-track mean and full
# covariance, symmetric Kullback-Leibler divergence — Mandel & Ellis 2005,
# the "timbre" model Musly builds on).  Prints a Markdown table.
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse, json, os, shutil, sqlite3, subprocess, sys, time
import numpy as np

# (album label, folder, how to pick files).  Albums with at least 6 tracks,
# so that 5 same-album neighbours exist for every query.
ALBUMS = [
    ("drascula", "drascula-music", "/usr/share/scummvm/drascula/audio"),
    ("hyperrogue", "hyperrogue-music", "/usr/share/hyperrogue/music"),
    ("wz2100-aftermath", "warzone2100-music", "/usr/share/games/warzone2100/music/albums/aftermath_soundtrack"),
    ("wz2100-legacy", "warzone2100-music", "/usr/share/games/warzone2100/music/albums/legacy_soundtrack"),
    ("singularity", "singularity-music", "/usr/share/games/singularity/music"),
    ("planetblupi", "planetblupi-music-ogg", "/usr/share/planetblupi/music"),
]
AUDIO = (".ogg", ".mp3", ".opus", ".flac")


def collect():
    tracks = []
    for album, package, folder in ALBUMS:
        if not os.path.isdir(folder):
            sys.exit(f"eval.py: {folder} missing: apt-get install {package}")
        files = sorted(f for f in os.listdir(folder)
                       if f.lower().endswith(AUDIO) and os.path.isfile(os.path.join(folder, f)))
        for f in files:
            tracks.append((album, os.path.join(folder, f)))
    return tracks


def mfcc_gaussian(cli, path, npy):
    subprocess.run([cli, "mel", path, "-o", npy], check=True, capture_output=True)
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
    args = ap.parse_args()

    env = dict(os.environ)
    env.pop("COCHLEA_MODEL", None)
    if args.model:
        env["COCHLEA_MODEL"] = os.path.abspath(args.model)
    shutil.rmtree(args.work, ignore_errors=True)
    lib = os.path.join(args.work, "lib")
    os.makedirs(lib)
    tracks = collect()
    for album, path in tracks:
        os.makedirs(os.path.join(lib, album), exist_ok=True)
        os.symlink(path, os.path.join(lib, album, os.path.basename(path)))
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
    ways = [("content vector only", ["--attribute-weight", "0"]),
            ("attributes only", ["--content-weight", "0"]),
            ("combination (defaults 0.7 / 0.3)", [])]
    for name, extra in ways:
        results[name] = precision({q: recommend(args.cli, db, q, extra, env) for q in ids})

    gauss = {}
    npy = os.path.join(args.work, "mel.npy")
    for i, p in rows:
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
