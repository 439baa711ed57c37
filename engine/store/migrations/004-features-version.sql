-- 004: which features the catalogue extracted from a track's analysis
-- (COCHLEA_FEATURES_VERSION): 1 = attributes and one content vector,
-- 2 = also the MFCC timbre model (embeddings row 'timbre-mfcc20-v1').
-- Rows from before this version are re-analysed by the next import.
ALTER TABLE tracks ADD COLUMN features_version INTEGER NOT NULL DEFAULT 1;
