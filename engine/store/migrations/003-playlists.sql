-- 003: playlists.
CREATE TABLE playlists (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL UNIQUE,
  created_us  INTEGER NOT NULL
) STRICT;

CREATE TABLE playlist_items (
  playlist_id  INTEGER NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  track_id     INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
  PRIMARY KEY (playlist_id, position)
) STRICT;
CREATE INDEX playlist_items_track ON playlist_items (track_id);
