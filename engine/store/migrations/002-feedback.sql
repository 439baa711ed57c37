-- 002: listening events and per-catalogue settings (private mode).
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  track_id    INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
  kind        TEXT    NOT NULL
              CHECK (kind IN ('play', 'skip', 'complete', 'like', 'unlike', 'playlist-add')),
  at_us       INTEGER NOT NULL,   -- when, µs since the epoch
  position_s  REAL                -- how far playback got (play, skip, complete)
) STRICT;
CREATE INDEX events_track ON events (track_id);

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT;
