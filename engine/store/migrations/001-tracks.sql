-- 001: tracks, their attributes and content vectors.
CREATE TABLE tracks (
  id               INTEGER PRIMARY KEY,
  path             TEXT    NOT NULL UNIQUE,   -- absolute, file name encoding
  size             INTEGER NOT NULL,          -- bytes
  mtime_us         INTEGER NOT NULL,          -- modification time, µs since the epoch
  hash             TEXT,                      -- SHA-1 of size + first and last 64 KiB
  title            TEXT,
  artist           TEXT,
  album            TEXT,
  genre            TEXT,
  duration_s       REAL,
  analysis_version INTEGER NOT NULL,
  status           TEXT    NOT NULL DEFAULT 'ok'
                   CHECK (status IN ('ok', 'failed', 'missing')),
  error            TEXT,                      -- why analysis failed (status 'failed')
  added_us         INTEGER NOT NULL,
  analysed_us      INTEGER NOT NULL
) STRICT;
CREATE INDEX tracks_hash ON tracks (hash);
CREATE INDEX tracks_artist ON tracks (artist);

CREATE TABLE attributes (
  track_id          INTEGER PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
  tempo             REAL,     -- BPM
  tempo_confidence  REAL,
  time_signature    INTEGER,  -- 3–7
  key               INTEGER,  -- pitch class 0–11, -1 none
  mode              INTEGER,  -- 1 major, 0 minor
  key_confidence    REAL,
  loudness          REAL,     -- dB
  energy            REAL,     -- 0–1 from here on
  danceability      REAL,
  valence           REAL,
  acousticness      REAL,
  instrumentalness  REAL,
  speechiness       REAL,
  liveness          REAL
) STRICT;

CREATE TABLE embeddings (
  track_id  INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
  model     TEXT    NOT NULL,   -- which network (or interim vector) made it
  dim       INTEGER NOT NULL CHECK (dim > 0),
  vector    BLOB    NOT NULL CHECK (length (vector) = 4 * dim),  -- float32, little-endian
  PRIMARY KEY (track_id, model)
) STRICT;
