-- Published catalog versions (payload files live in HQ's catalog directory, named by their hash)
-- and what each terminal last reported at check-in.
CREATE TABLE catalog_version (
  version        INTEGER PRIMARY KEY,
  published_at   TEXT NOT NULL,
  items          INTEGER NOT NULL,
  full_manifest  TEXT NOT NULL,
  full_sha256    TEXT NOT NULL,
  delta_manifest TEXT,
  delta_sha256   TEXT
);
ALTER TABLE terminal ADD COLUMN catalog_version INTEGER;
ALTER TABLE terminal ADD COLUMN catalog_expires_at TEXT;
ALTER TABLE terminal ADD COLUMN devices TEXT;
ALTER TABLE terminal ADD COLUMN alerts TEXT;
ALTER TABLE terminal ADD COLUMN checkin_at TEXT;
