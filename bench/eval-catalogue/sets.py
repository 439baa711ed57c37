# sets.py — the two sets of real recordings the catalogue's quality is
# measured on (docs/catalogue.md, "Quality").  Both come from Debian
# packages (build-aux/dev.sh's bench_packages); no file is shared.
#
#   EVAL: the 97 recordings the table is reported on, never used
#         to choose anything.
#   DEV:  recordings from OTHER packages, on which weights and methods are
#         chosen (bench/eval-catalogue/explore.py).
#
# An album is (label, package, source, predicate on the file name).  A
# source is a folder, or "ARCHIVE.pk3:prefix/" (a zip, as the games ship
# them), extracted under the work folder.
# SPDX-License-Identifier: GPL-3.0-or-later
import os, sys, zipfile

AUDIO = (".ogg", ".mp3", ".opus", ".flac")

EVAL = [
    ("drascula", "drascula-music", "/usr/share/scummvm/drascula/audio", None),
    ("hyperrogue", "hyperrogue-music", "/usr/share/hyperrogue/music", None),
    ("wz2100-aftermath", "warzone2100-music", "/usr/share/games/warzone2100/music/albums/aftermath_soundtrack", None),
    ("wz2100-legacy", "warzone2100-music", "/usr/share/games/warzone2100/music/albums/legacy_soundtrack", None),
    ("singularity", "singularity-music", "/usr/share/games/singularity/music", None),
    ("planetblupi", "planetblupi-music-ogg", "/usr/share/planetblupi/music", None),
]

_UFO = "/usr/share/games/ufoai/base/0music.pk3:music/"
_NAEV = "/usr/share/naev/dat/snd/music"
_NAEV_ASKYEL = {"ambient4", "combat1", "combat2", "combat3", "dvaered1", "dvaered2", "eureka", "sirius2",
                "terminal"}
_NAEV_VEGASTRIKE = {"agriculture", "cosmostation", "galacticbattle", "launch2", "launch3chatstart", "liftoff",
                    "machina", "mission", "ocean", "peace1", "peace2", "peace4", "peace6", "snow"}
_NAEV_WHALLON = {"ambient1", "ambient2", "ambient2_5", "ambient3", "automat", "battlesomething1",
                 "battlesomething2", "collective1", "collective2", "empire1", "empire2", "flf_battle1",
                 "intrigue", "intro", "landing_sinister", "nebu_battle1", "nebu_battle2", "sirius1", "tension",
                 "upbeat", "zalek1", "zalek2"}
DEV = [
    # UFO: Alien Invasion's music, one album per composer (the file name
    # says who); David (5 pieces) and the single pieces are left out.
    ("ufoai-crystan", "ufoai-music", _UFO, lambda f: f.startswith("Crystan-")),
    ("ufoai-marine", "ufoai-music", _UFO, lambda f: f.startswith("Marine")),
    ("ufoai-psymong", "ufoai-music", _UFO, lambda f: f.startswith("Psymong")),
    ("ufoai-van", "ufoai-music", _UFO, lambda f: f.startswith("van_")),
    ("nexuiz", "nexuiz-music", "/usr/share/games/nexuiz/data/music.pk3:sound/cdtracks/",
     lambda f: f != "thunder.ogg"),   # a 10-second jingle
    ("wesnoth", "wesnoth-1.16-music", "/usr/share/games/wesnoth/1.16/data/core/music", None),
    # Added for the cross-validated choice (leave one package out, cv.py).
    # Rule: every Ogg file of at least MIN_BYTES in the package's music
    # folder (smaller ones are jingles and stingers); one album per game,
    # or per world folder where the game sorts its music that way
    # (SuperTux); folders or packages with fewer than 5 such files, and
    # tracker modules (.it/.s3m/.xm, no decoder here), are left out.
    ("colobot", "colobot-common-sounds", "/usr/share/games/colobot/music", None),
    ("hedgewars", "hedgewars-data", "/usr/share/games/hedgewars/Data/Music", None),
    ("neverball", "neverball-common", "/usr/share/games/neverball/bgm", None),
    ("pushover", "pushover-data", "/usr/share/pushover/themes", None),
    ("supertux-antarctic", "supertux-data", "/usr/share/games/supertux2/music/antarctic", None),
    ("supertux-forest", "supertux-data", "/usr/share/games/supertux2/music/forest", None),
    ("supertux-misc", "supertux-data", "/usr/share/games/supertux2/music/misc", None),
    ("supertux-retro", "supertux-data", "/usr/share/games/supertux2/music/retro", None),
    # Naev's music, one album per composer as /usr/share/doc/naev-data/
    # copyright lists them (Zeropage's 2 and the unlisted pieces left out).
    ("naev-askyel", "naev-data", _NAEV, lambda f: f[:-4] in _NAEV_ASKYEL),
    ("naev-vegastrike", "naev-data", _NAEV, lambda f: f[:-4] in _NAEV_VEGASTRIKE),
    ("naev-whallon", "naev-data", _NAEV, lambda f: f[:-4] in _NAEV_WHALLON),
]
# The albums added above (not the first six, kept as they were) drop files
# under this size.
MIN_BYTES = 400_000
_SIZED = {"colobot", "hedgewars", "naev-askyel", "naev-vegastrike", "naev-whallon", "neverball", "pushover",
          "supertux-antarctic", "supertux-forest", "supertux-misc", "supertux-retro"}


def collect(albums, work):
    """[(album, path)] in a stable order; extracts archives under @work."""
    tracks = []
    for album, package, source, keep in albums:
        if ".pk3:" in source:
            archive, prefix = source.split(":", 1)
            if not os.path.isfile(archive):
                sys.exit(f"{archive} missing: apt-get install {package}")
            folder = os.path.join(work, "extracted", os.path.basename(os.path.dirname(archive)), prefix)
            with zipfile.ZipFile(archive) as z:
                for name in z.namelist():
                    if name.startswith(prefix) and name.lower().endswith(AUDIO) and "/" not in name[len(prefix):]:
                        if not os.path.exists(os.path.join(folder, name[len(prefix):])):
                            z.extract(name, os.path.join(work, "extracted", os.path.basename(os.path.dirname(archive))))
        else:
            folder = source
            if not os.path.isdir(folder):
                sys.exit(f"{folder} missing: apt-get install {package}")
        files = sorted(f for f in os.listdir(folder)
                       if f.lower().endswith(AUDIO) and os.path.isfile(os.path.join(folder, f))
                       and (keep is None or keep(f))
                       and (album not in _SIZED or os.path.getsize(os.path.join(folder, f)) >= MIN_BYTES))
        tracks += [(album, os.path.join(folder, f)) for f in files]
    return tracks


def link_library(tracks, lib):
    """One folder per album of symlinks: the album is the parent folder."""
    os.makedirs(lib, exist_ok=True)
    for album, path in tracks:
        os.makedirs(os.path.join(lib, album), exist_ok=True)
        dest = os.path.join(lib, album, os.path.basename(path))
        if not os.path.lexists(dest):
            os.symlink(path, dest)
