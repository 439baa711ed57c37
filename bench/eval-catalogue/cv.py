#!/usr/bin/python3
# cv.py — chooses the similarity's fusion on the DEVELOPMENT set by
# leave-one-package-out cross-validation, so that the choice is scored on
# a package it was not fitted to (docs/catalogue.md, "Quality").
#
#   /usr/bin/python3 cv.py --cli BUILD/app/cochlea-cli --db DEV.db [--work DIR]
#
# DEV.db: a catalogue of sets.DEV imported by `cochlea-cli import` (the
# album is each file's parent folder, as sets.link_library lays them out;
# the package of an album is looked up in sets.DEV).  The parts are those
# of the product, computed as explore.py computes them (stored embedding
# and attributes, MFCC timbre model and fluctuation pattern from
# `cochlea-cli mel`).
#
# For each candidate fusion (a family of weightings), and each package P:
# the weights are chosen on the queries of all other packages (best mean
# P@5 over the grid, ties to the first in grid order), then scored on the
# queries of P; neighbours are always searched in the whole catalogue.
# The CV P@5 is the mean over all queries of their held-out scores.  A
# fixed weighting has no choice to make: its CV P@5 is its P@5.
#
# Candidates also include a sampled mutual-proximity-like correction
# (Schnitzer et al. 2012, local scaling): each part's similarity is
# z-scored from both sides, the query's (mean and deviation over the
# catalogue, as the product does) and the candidate's, whose mean and
# deviation are estimated over a fixed random sample of S tracks (what an
# index build would store: 2 floats per part per track).
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse, itertools, os, subprocess, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import explore, sets


def hits_of(S, album_idx):
    """Per query: the fraction of its top-5 neighbours (itself excluded) from its album."""
    S = S.copy()
    np.fill_diagonal(S, -np.inf)
    nn = np.argsort(-S, axis=1, kind="stable")[:, :5]
    return (album_idx[nn] == album_idx[:, None]).mean(1)


def sample_stats(P, sample):
    """Each track's mean and deviation of P over the sample rows (itself excluded)."""
    n = len(P)
    mu, sd = np.zeros(n), np.zeros(n)
    for x in range(n):
        cols = sample[sample != x]
        v = P[x, cols]
        mu[x], sd[x] = v.mean(), v.std() + 1e-12
    return mu, sd


MASK64 = (1 << 64) - 1
LOCAL_SEED = 0x6c6f63616c736361   # engine/store/cochlea-recommend.c


def mix64(x):
    """splitmix64's finaliser, as the product's local-scaling sample."""
    x = (x + 0x9e3779b97f4a7c15) & MASK64
    x = ((x ^ (x >> 30)) * 0xbf58476d1ce4e5b9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94d049bb133111eb) & MASK64
    return x ^ (x >> 31)


def product_sample(ids, missing, size=32):
    """The product's sample: the `size` rows with the fewest missing parts,
    then the smallest hash of the track id (cochlea-recommend.c sample_key)."""
    keys = [(m << 61) | (mix64(i ^ LOCAL_SEED) >> 3) for i, m in zip(ids, missing)]
    return np.sort(np.argsort(keys, kind="stable")[:size])


def product_stats(P, sample):
    """Each track's mean and sample deviation (ddof 1) of P over the sample
    rows but itself, as the index stores them (1/sd and -mean/sd)."""
    n = len(P)
    mu, sd = np.zeros(n), np.zeros(n)
    for x in range(n):
        v = P[x, sample[sample != x]]
        mu[x], sd[x] = v.mean(), v.std(ddof=1)
    return mu, sd


def zscore_rows_ddof1(S):
    """Per query: z-score over the other tracks with the sample deviation
    (the product's per-query standardisation)."""
    S = S.copy()
    n = len(S)
    off = ~np.eye(n, dtype=bool)
    for q in range(n):
        v = S[q, off[q]]
        S[q] = (S[q] - v.mean()) / v.std(ddof=1)
    return S


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--work", default="/tmp/cochlea-explore")
    args = ap.parse_args()
    os.makedirs(os.path.join(args.work, "mel"), exist_ok=True)

    rows, model, emb, attrs = explore.load(args.db)
    rows = [(i, p) for i, p in rows if i in emb and i in attrs]
    ids = [i for i, _ in rows]
    album = [p.split(os.sep)[-2] for _, p in rows]
    package_of = {a: pkg for a, pkg, _, _ in sets.DEV}
    package = [package_of[a] for a in album]
    albums = sorted(set(album))
    album_idx = np.array([albums.index(a) for a in album])
    packages = sorted(set(package))
    pkg_idx = np.array([packages.index(p) for p in package])
    n = len(ids)
    print(f"{n} tracks in {len(albums)} albums from {len(packages)} packages, model {model}")
    for p in packages:
        print(f"  {p}: " + ", ".join(f"{a} {album.count(a)}" for a in albums if package_of[a] == p))

    mu, cov, rhythm = [], [], []
    for i, p in rows:
        npy = os.path.join(args.work, "mel", f"{os.path.basename(os.path.dirname(p))}-{os.path.basename(p)}.npy")
        if not os.path.exists(npy):
            subprocess.run([args.cli, "mel", p, "-o", npy + ".tmp.npy"], check=True, capture_output=True)
            os.rename(npy + ".tmp.npy", npy)
        mel = np.load(npy).astype(np.float64)
        m = explore.mfcc_of(mel)
        mu.append(m.mean(0))
        cov.append(np.cov(m, rowvar=False) + 1e-3 * np.eye(explore.N_MFCC))
        rhythm.append(explore.rhythm_of(mel))
    E = explore.cosine(np.array([emb[i] for i in ids]))
    A = explore.attr_similarity(np.array([attrs[i] for i in ids]))
    T = -np.log1p(np.maximum(explore.skl_full(np.array(mu), np.array(cov)), 0))
    R = explore.zcosine(rhythm)
    parts = {"e": E, "t": T, "r": R, "a": A}
    Z = {k: explore.zscore_rows(P) for k, P in parts.items()}

    # The candidate's side of the local scaling, from a fixed sample of S rows.
    rng = np.random.default_rng(0)
    Zs = {}
    for S in (32, 128, n):
        sample = np.sort(rng.choice(n, size=S, replace=False)) if S < n else np.arange(n)
        Zs[S] = {}
        for k, P in parts.items():
            m_, s_ = sample_stats(P, sample)
            Zs[S][k] = (P - m_[None, :]) / s_[None, :]   # [q, x]: x's own z-score of P(x, q)

    # The product's local scaling exactly: its sample (S = 32 by hashed
    # ids), per-query and per-candidate deviations with ddof 1, and the
    # part as the mean of the two z-scores (a factor 1/2 on both sides,
    # which does not change a ranking).
    psample = product_sample(ids, [0] * n)
    print("the product's local-scaling sample (track ids): " + " ".join(str(ids[k]) for k in psample))
    Zp, Zps = {}, {}
    for k, P in parts.items():
        m_, s_ = product_stats(P, psample)
        Zp[k] = zscore_rows_ddof1(P)
        Zps[k] = (P - m_[None, :]) / s_[None, :]

    print("\n| single part | P@5 | " + " | ".join(packages) + " |")
    print("|---|---|" + "---|" * len(packages))

    def per_pkg(h):
        return " | ".join(f"{h[pkg_idx == k].mean():.2f}" for k in range(len(packages)))
    for name, P in (("embedding", E), ("timbre (MFCC log(1+SKL))", T), ("rhythm", R), ("attributes", A)):
        h = hits_of(P, album_idx)
        print(f"| {name} | {h.mean():.3f} | {per_pkg(h)} |")
    for S in Zs:
        h = hits_of(Z["t"] + Zs[S]["t"], album_idx)
        print(f"| timbre, local scaling S={S} | {h.mean():.3f} | {per_pkg(h)} |")

    wes = [0, 0.1, 0.2, 0.3, 0.4, 0.5]
    wrs = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4]
    was = [0, 0.05, 0.1, 0.2]

    def family(zset, with_rhythm=True, sym=None):
        grid = []
        for we, wr, wa in itertools.product(wes, wrs if with_rhythm else [0], was):
            wt = round(1 - we - wr, 2)
            if wt < 0:
                continue
            w = {"e": we, "t": wt, "r": wr, "a": wa}
            F = sum(w[k] * zset[k] for k in w)
            if sym is not None:
                F = F + sum(w[k] * sym[k] for k in w)
            grid.append(((we, wt, wr, wa), hits_of(F, album_idx)))
        return grid

    candidates = {
        "z fusion, e/t/r/a (the product's)": family(Z),
        "z fusion, e/t/a (no rhythm)": family(Z, with_rhythm=False),
    }
    for S in Zs:
        candidates[f"z fusion + local scaling from a sample of S={S}, e/t/r/a"] = family(Z, sym=Zs[S])
    candidates["the product's local scaling (S=32, hashed ids, ddof 1), e/t/r/a"] = family(Zp, sym=Zps)
    candidates["the product without local scaling (ddof 1), e/t/r/a"] = family(Zp)
    fixed = {
        "fixed: current defaults 0.2/0.65/0.15/0.05": (0.2, 0.65, 0.15, 0.05),
        "fixed: previous defaults 0.2/0.8/0/0.05": (0.2, 0.8, 0, 0.05),
        "fixed: timbre only 0/1/0/0": (0, 1, 0, 0),
    }
    for name, (we, wt, wr, wa) in fixed.items():
        w = {"e": we, "t": wt, "r": wr, "a": wa}
        candidates[name] = [((we, wt, wr, wa), hits_of(sum(w[k] * Z[k] for k in w), album_idx))]

    # The packages the previous defaults were chosen on (the first
    # development set) against those they never saw.
    old_pkgs = {"ufoai-music", "nexuiz-music", "wesnoth-1.16-music"}
    new_rows = np.array([p not in old_pkgs for p in package])
    sizes = np.bincount(album_idx)
    print(f"\nchance (album size - 1) / (N - 1): {((sizes[album_idx] - 1) / (n - 1)).mean():.3f}; "
          f"packages new to the development set: {new_rows.sum()} tracks")
    print("\n| candidate | CV P@5 (leave one package out) | on the new packages only | in-sample best P@5 (weights e/t/r/a) | weights chosen per held-out package |")
    print("|---|---|---|---|---|")
    summary = {}
    for name, grid in candidates.items():
        H = np.array([h for _, h in grid])                 # (cells, n)
        held = np.zeros(n)
        chosen = []
        for k in range(len(packages)):
            train = pkg_idx != k
            best = int(np.argmax(H[:, train].mean(1)))
            held[pkg_idx == k] = H[best, pkg_idx == k]
            chosen.append(grid[best][0])
        allbest = int(np.argmax(H.mean(1)))
        summary[name] = (held.mean(), grid[allbest])
        ws = "; ".join(f"{packages[k]} {'/'.join(f'{x:g}' for x in c)}" for k, c in enumerate(chosen))
        print(f"| {name} | {held.mean():.3f} | {held[new_rows].mean():.3f} | {H[allbest].mean():.3f} ({'/'.join(f'{x:g}' for x in grid[allbest][0])}) | {ws} |")
        print(f"|   per package (held out) | | | | {per_pkg(held)} |")

    # The product's local-scaling family: the best cells on the whole set.
    grid = candidates["the product's local scaling (S=32, hashed ids, ddof 1), e/t/r/a"]
    order = sorted(range(len(grid)), key=lambda c: -grid[c][1].mean())
    print("\nthe product's local scaling, in-sample: the 15 best weightings (e/t/r/a), P@5, P@5 on the new packages")
    for c in order[:15]:
        print(f"  {'/'.join(f'{x:g}' for x in grid[c][0])}  {grid[c][1].mean():.3f}  {grid[c][1][new_rows].mean():.3f}")

    # The in-sample grid of the product's family, w_a = 0.05, for the record.
    grid = dict(candidates["z fusion, e/t/r/a (the product's)"])
    print("\nz fusion, w_a 0.05: in-sample P@5 by w_e (rows) and w_r (columns)")
    print("| w_e \\ w_r | " + " | ".join(f"{wr:g}" for wr in wrs) + " |")
    print("|---|" + "---|" * len(wrs))
    for we in wes:
        cells = []
        for wr in wrs:
            key = (we, round(1 - we - wr, 2), wr, 0.05)
            cells.append(f"{grid[key].mean():.3f}" if key in grid else "-")
        print(f"| {we:g} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
