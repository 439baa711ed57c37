#!/usr/bin/python3
# explore.py — chooses the content similarity's components and weights on
# the DEVELOPMENT set (sets.DEV), never on the evaluation set.
#
#   /usr/bin/python3 explore.py --cli BUILD/app/cochlea-cli --db DEV.db [--work DIR]
#
# DEV.db is a catalogue of the development set imported by
# `cochlea-cli import` (the album is each file's parent folder, as
# sets.link_library lays them out).  For every track it reads the stored
# embedding and attributes, computes MFCC statistics from `cochlea-cli mel`
# (the same front end), and prints P@5 of same-album neighbours for each
# single component and a grid of fusions (per-query z-scored similarities,
# weighted sum).  Nothing here is used at run time: the chosen weights are
# written into engine/store and docs/catalogue.md by hand.
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse, itertools, os, sqlite3, subprocess, sys
import numpy as np

ATTRS = ["tempo", "tempo_confidence", "time_signature", "key", "mode", "key_confidence", "loudness",
         "energy", "danceability", "valence", "acousticness", "instrumentalness", "speechiness",
         "liveness"]
# (default weight, scale) as in engine/store/cochlea-features.c
INFO = {"tempo": (1, 20), "tempo_confidence": (0, 1), "time_signature": (0.25, 1), "key": (0.5, 2),
        "mode": (0.5, 1), "key_confidence": (0, 1), "loudness": (0.5, 6), "energy": (1, 0.2),
        "danceability": (1, 0.2), "valence": (1, 0.2), "acousticness": (1, 0.2),
        "instrumentalness": (0.5, 0.3), "speechiness": (0.5, 0.2), "liveness": (0.25, 0.3)}
N_MFCC = 20

# The rhythm part (engine/store/cochlea-rhythm.c computes the same in C): a
# fluctuation pattern (Pampalk 2001; the "FP" of Pampalk's G1C and of Pohle
# et al.'s rhythm + timbre) from the log-mel frames: RHYTHM_BANDS bands of
# consecutive mel bins (mean dB), windows of RHYTHM_WIN frames (128 frames =
# 2.97 s at 22050 / 512) every RHYTHM_HOP, per band and window the magnitude
# of the DFT over time of the Hann-windowed, mean-removed dB envelope at
# modulation bins 1..30 (0.34–10.1 Hz), averaged within RHYTHM_GROUPS
# log-spaced groups of bins, then the median over windows.
RHYTHM_BANDS, RHYTHM_WIN, RHYTHM_HOP = 8, 128, 64
RHYTHM_MODEL = "rhythm-fp8x9-v1"   # the embeddings.model name of the stored vector
RHYTHM_GROUPS = [(1, 2), (2, 3), (3, 4), (4, 6), (6, 8), (8, 11), (11, 16), (16, 22), (22, 31)]


def load(db):
    con = sqlite3.connect(db)
    main = con.execute("SELECT model FROM embeddings WHERE model LIKE 'cochlea-cnn-%' "
                       "GROUP BY model ORDER BY count(*) DESC LIMIT 1").fetchone()
    rows = con.execute("SELECT id, path FROM tracks WHERE status = 'ok' ORDER BY id").fetchall()
    emb, attrs = {}, {}
    if main:
        for i, v in con.execute("SELECT track_id, vector FROM embeddings WHERE model = ?", main):
            emb[i] = np.frombuffer(v, dtype="<f4").astype(np.float64)
    cols = ", ".join(ATTRS)
    for r in con.execute(f"SELECT track_id, {cols} FROM attributes"):
        attrs[r[0]] = np.array([np.nan if x is None else x for x in r[1:]], dtype=np.float64)
    con.close()
    return rows, (main[0] if main else None), emb, attrs


def mfcc_of(mel):
    n = mel.shape[1]
    k = np.arange(n)
    basis = np.cos(np.pi / n * (k[None, :] + 0.5) * np.arange(N_MFCC)[:, None]) * np.sqrt(2.0 / n)
    basis[0] /= np.sqrt(2.0)
    return mel @ basis.T


def rhythm_of(mel, bands=RHYTHM_BANDS, win=RHYTHM_WIN, hop=RHYTHM_HOP, groups=RHYTHM_GROUPS,
              stat="median", onset=False):
    """(bands · len(groups)) floats, band-major; None below one window."""
    n_mels = mel.shape[1]
    edges = [b * n_mels // bands for b in range(bands + 1)]
    x = np.stack([mel[:, edges[b]:edges[b + 1]].mean(1) for b in range(bands)], 1)
    if onset:
        x = np.maximum(np.diff(x, axis=0), 0)
    if len(x) < win:
        return None
    t = np.arange(win)
    hann = 0.5 - 0.5 * np.cos(2 * np.pi * t / (win - 1))
    top = groups[-1][1]
    k = np.arange(1, top)
    basis = np.exp(-2j * np.pi * np.outer(k, t) / win) * hann[None, :]   # (top - 1, win)
    out = []
    for s in range(0, len(x) - win + 1, hop):
        seg = x[s:s + win]
        mag = np.abs(basis @ (seg - seg.mean(0)))                        # (top - 1, bands)
        out.append(np.stack([mag[a - 1:b - 1].mean(0) for a, b in groups], 1))   # (bands, groups)
    out = np.array(out)
    return (np.median(out, 0) if stat == "median" else out.mean(0)).ravel()


def zcosine(vectors):
    """Each dimension z-scored over the catalogue, then the cosine; a
    missing vector (None: shorter than a window) compares as 0."""
    dim = max(len(v) for v in vectors if v is not None)
    X = np.array([v if v is not None else np.full(dim, np.nan) for v in vectors])
    Z = (X - np.nanmean(X, 0)) / (np.nanstd(X, 0) + 1e-9)
    return np.nan_to_num(cosine(np.nan_to_num(Z)))


def rank_rows(S):
    """Per query: each track's rank among the others as a similarity in (0, 1]."""
    n = len(S)
    R = np.zeros_like(S)
    for q in range(n):
        order = np.argsort(-S[q], kind="stable")
        R[q, order] = 1 - np.arange(n) / n
    return R


def attr_similarity(A):
    n = len(A)
    S = np.zeros((n, n))
    for q in range(n):
        d2 = np.zeros(n)
        ws = np.zeros(n)
        for j, name in enumerate(ATTRS):
            w, scale = INFO[name]
            t = A[q, j]
            if w <= 0 or not np.isfinite(t) or (name == "key" and t < 0):
                continue
            v = A[:, j]
            ok = np.isfinite(v) & ~((name == "key") & (v < 0))
            if name == "key":
                d = np.mod(np.round(v) - round(t), 12)
                m = np.mod(d * 7, 12)
                u = np.minimum(m, 12 - m) / scale
            else:
                u = np.abs(v - t) / scale
            d2 += np.where(ok, w * u * u, 0)
            ws += np.where(ok, w, 0)
        S[q] = np.where(ws > 0, np.exp(-0.5 * d2 / np.maximum(ws, 1e-12)), 0)
    return S


def skl_full(mu, cov):
    n = len(mu)
    inv = np.linalg.inv(cov)
    D = np.zeros((n, n))
    for a in range(n):
        for b in range(a + 1, n):
            d = mu[a] - mu[b]
            v = 0.5 * (np.trace(inv[b] @ cov[a]) + np.trace(inv[a] @ cov[b]) + d @ (inv[a] + inv[b]) @ d) - N_MFCC
            D[a, b] = D[b, a] = v
    return D


def cosine(X):
    X = X / np.linalg.norm(X, axis=1, keepdims=True)
    return X @ X.T


def zscore_rows(S):
    """Per query: z-score the similarities to every other track."""
    S = S.copy()
    n = len(S)
    off = ~np.eye(n, dtype=bool)
    for q in range(n):
        v = S[q, off[q]]
        S[q] = (S[q] - v.mean()) / (v.std() + 1e-12)
    return S


def precision(S, album):
    n = len(S)
    S = S.copy()
    np.fill_diagonal(S, -np.inf)
    hits = []
    for q in range(n):
        nn = np.argsort(-S[q], kind="stable")[:5]
        hits.append(np.mean([album[j] == album[q] for j in nn]))
    hits = np.array(hits)
    per = {a: hits[[album[i] == a for i in range(n)]].mean() for a in sorted(set(album))}
    return hits.mean(), per


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--work", default="/tmp/cochlea-explore")
    args = ap.parse_args()
    os.makedirs(os.path.join(args.work, "mel"), exist_ok=True)

    rows, model, emb, attrs = load(args.db)
    rows = [(i, p) for i, p in rows if i in emb and i in attrs]
    ids = [i for i, _ in rows]
    album = [p.split(os.sep)[-2] for _, p in rows]
    n = len(ids)
    print(f"{n} tracks, model {model}; albums: " +
          ", ".join(f"{a} {album.count(a)}" for a in sorted(set(album))))

    mu, cov, sd, melmean, melstd, rhythm, variants = [], [], [], [], [], [], {}
    variant_args = {"rhythm, mean over windows": dict(stat="mean"),
                    "rhythm of onsets (half-wave rectified dB differences)": dict(onset=True),
                    "rhythm, 12 bands": dict(bands=12),
                    "rhythm, 8 bands, 30 single modulation bins": dict(groups=[(k, k + 1) for k in range(1, 31)]),
                    "rhythm, 256-frame windows (5.9 s)": dict(win=256, hop=128,
                                                               groups=[(2 * a - 1, 2 * b - 1) for a, b in RHYTHM_GROUPS])}
    for i, p in rows:
        npy = os.path.join(args.work, "mel", f"{os.path.basename(os.path.dirname(p))}-{os.path.basename(p)}.npy")
        if not os.path.exists(npy):
            subprocess.run([args.cli, "mel", p, "-o", npy], check=True, capture_output=True)
        mel = np.load(npy).astype(np.float64)
        m = mfcc_of(mel)
        mu.append(m.mean(0))
        cov.append(np.cov(m, rowvar=False) + 1e-3 * np.eye(N_MFCC))
        sd.append(m.std(0))
        melmean.append(mel.mean(0))
        melstd.append(mel.std(0))
        rhythm.append(rhythm_of(mel))
        for name, kw in variant_args.items():
            variants.setdefault(name, []).append(rhythm_of(mel, **kw))
    mu, cov, sd = np.array(mu), np.array(cov), np.array(sd)
    melstats = np.hstack([np.array(melmean), np.array(melstd)])
    stored = {}
    if args.db:
        # the rhythm vectors the product stored, when it stores them
        con = sqlite3.connect(args.db)
        for i, v in con.execute("SELECT track_id, vector FROM embeddings WHERE model = ?", (RHYTHM_MODEL,)):
            stored[i] = np.frombuffer(v, dtype="<f4").astype(np.float64)
        con.close()
    if stored:
        diff = max(np.max(np.abs(stored[i] - r)) / (np.max(np.abs(r)) + 1e-9)
                   for i, r in zip(ids, rhythm) if i in stored and r is not None)
        print(f"stored {RHYTHM_MODEL} vectors: {len(stored)}; largest relative difference from NumPy {diff:.2e}")

    E = cosine(np.array([emb[i] for i in ids]))
    A = attr_similarity(np.array([attrs[i] for i in ids]))
    D = skl_full(mu, cov)
    Tfull = -D
    Tlog = -np.log1p(np.maximum(D, 0))
    var = sd ** 2 + 1e-3
    Ddiag = 0.5 * ((var[:, None, :] / var[None, :, :] + var[None, :, :] / var[:, None, :]).sum(-1)
                   + (((mu[:, None, :] - mu[None, :, :]) ** 2) * (1 / var[:, None, :] + 1 / var[None, :, :])).sum(-1)) - N_MFCC
    Tdiag = -np.log1p(np.maximum(Ddiag, 0))
    Z = melstats - melstats.mean(0)
    Z /= melstats.std(0) + 1e-9
    M = cosine(Z)
    ms = np.hstack([mu, np.log(sd)])
    ms = (ms - ms.mean(0)) / (ms.std(0) + 1e-9)
    Tms = cosine(ms)
    R = zcosine(rhythm)
    Rx = np.array([r if r is not None else np.zeros(len(RHYTHM_GROUPS) * RHYTHM_BANDS) for r in rhythm])
    Reuclid = -np.sqrt(((Rx[:, None] - Rx[None]) ** 2).sum(-1))

    single = {"embedding (cosine)": E, "attributes (exp -d²/2)": A,
              "MFCC full-cov SKL": Tfull, "MFCC full-cov log(1+SKL)": Tlog,
              "MFCC diag-cov log(1+SKL)": Tdiag, "mel-band mean+std z-scored cosine": M,
              "MFCC mean+log std z-scored cosine": Tms,
              f"rhythm ({RHYTHM_BANDS} bands × {len(RHYTHM_GROUPS)} modulation groups), z-scored cosine": R,
              "rhythm, Euclidean (unscaled)": Reuclid}
    for name, V in variants.items():
        single[name + ", z-scored cosine"] = zcosine(V)
    albums = sorted(set(album))
    print("\n| method | P@5 | " + " | ".join(albums) + " |")
    print("|---|---|" + "---|" * len(albums))
    for name, S in single.items():
        p, per = precision(S, album)
        print(f"| {name} | {p:.3f} | " + " | ".join(f"{per[a]:.2f}" for a in albums) + " |")
    p, per = precision(0.7 * E + 0.3 * A, album)
    print(f"| combination as shipped (0.7 E + 0.3 A) | {p:.3f} | " + " | ".join(f"{per[a]:.2f}" for a in albums) + " |")

    zE, zA, zT, zD, zM, zR = (zscore_rows(x) for x in (E, A, Tlog, Tdiag, M, R))
    grid = []
    ws = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    for timbre_name, zX in (("full", zT), ("diag", zD)):
        for we, wa in itertools.product(ws, [0, 0.05, 0.1, 0.2, 0.3]):
            wt = 1 - we
            if wt < 0:
                continue
            S = we * zE + wt * zX + wa * zA
            grid.append((precision(S, album)[0], timbre_name, we, wt, wa))
    grid.sort(reverse=True)
    print("\nfusion grid, z-scored per query: w_e·E + w_t·T + w_a·A (best 10)")
    for p, tn, we, wt, wa in grid[:10]:
        print(f"  {p:.3f}  timbre {tn}  w_e {we:.1f}  w_t {wt:.1f}  w_a {wa:.2f}")

    # With the rhythm part: w_e + w_t + w_r = 1, and the attributes on top.
    # Three ways to fuse: per-query z-scores (the product's), the same made
    # symmetric afterwards (a mutual-proximity-like hubness correction:
    # (f(x, y) + f(y, x)) / 2 of the fused z-scores), and weighted ranks.
    rE, rT, rA, rR = (rank_rows(x) for x in (E, Tlog, A, R))
    wrs = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5]
    fgrid = {"z": [], "z, symmetrised": [], "ranks": []}
    for we, wr, wa in itertools.product([0, 0.1, 0.2, 0.3, 0.4, 0.5], wrs, [0, 0.05, 0.1, 0.2]):
        wt = round(1 - we - wr, 2)
        if wt < 0:
            continue
        S = we * zE + wt * zT + wr * zR + wa * zA
        fgrid["z"].append((precision(S, album)[0], we, wt, wr, wa))
        Sz = zscore_rows(S)
        fgrid["z, symmetrised"].append((precision(Sz + Sz.T, album)[0], we, wt, wr, wa))
        fgrid["ranks"].append((precision(we * rE + wt * rT + wr * rR + wa * rA, album)[0], we, wt, wr, wa))
    for way, g in fgrid.items():
        g.sort(key=lambda x: (-x[0], x[1:]))
        print(f"\nfusion with rhythm ({way}): w_e·E + w_t·T + w_r·R + w_a·A (best 12)")
        for p, we, wt, wr, wa in g[:12]:
            print(f"  {p:.3f}  w_e {we:.1f}  w_t {wt:.2f}  w_r {wr:.2f}  w_a {wa:.2f}")
    print("\nz fusion, w_a 0.05: P@5 by w_e (rows) and w_r (columns)")
    print("  w_e \\ w_r " + " ".join(f"{wr:5.2f}" for wr in wrs))
    table = {(we, wr): p for p, we, wt, wr, wa in fgrid["z"] if wa == 0.05}
    for we in [0, 0.1, 0.2, 0.3, 0.4, 0.5]:
        print(f"  {we:9.1f} " + " ".join(f"{table[(we, wr)]:.3f}" if (we, wr) in table else "    -" for wr in wrs))
    best = fgrid["z"][0]
    for name, (we, wt, wr, wa) in (("shipped", (0.2, 0.8, 0, 0.05)), ("best z", best[1:])):
        p, per = precision(we * zE + wt * zT + wr * zR + wa * zA, album)
        print(f"| {name} {we}/{wt}/{wr}/{wa} | {p:.3f} | " + " | ".join(f"{per[a]:.2f}" for a in albums) + " |")


if __name__ == "__main__":
    main()
