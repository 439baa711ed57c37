-- 005: the catalogue's generation, for files built from it (the persisted
-- similarity index beside the catalogue, docs/catalogue.md): a counter
-- bumped by triggers in the same transaction as every write to tracks,
-- attributes and embeddings, and a random id of this catalogue, so that a
-- cache is known to be stale without reading the rows.  (PRAGMA
-- data_version is per connection and does not survive a restart.)
CREATE TABLE generation (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  value  INTEGER NOT NULL,
  uuid   TEXT    NOT NULL
) STRICT;
INSERT INTO generation VALUES (1, 0, lower (hex (randomblob (16))));
CREATE TRIGGER tracks_insert_generation AFTER INSERT ON tracks
  BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER tracks_update_generation AFTER UPDATE ON tracks
  BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER tracks_delete_generation AFTER DELETE ON tracks
  BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER attributes_insert_generation AFTER INSERT ON attributes
  BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER attributes_update_generation AFTER UPDATE ON attributes
  BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER attributes_delete_generation AFTER DELETE ON attributes
  BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER embeddings_insert_generation AFTER INSERT ON embeddings
  BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER embeddings_update_generation AFTER UPDATE ON embeddings
  BEGIN UPDATE generation SET value = value + 1; END;
CREATE TRIGGER embeddings_delete_generation AFTER DELETE ON embeddings
  BEGIN UPDATE generation SET value = value + 1; END;
