-- Supervisor badges: a badge's barcode is a long random secret; only its SHA-256 is stored.
CREATE TABLE operator_badge (
  badge_hash  TEXT PRIMARY KEY CHECK (length(badge_hash) = 64),
  operator_id TEXT NOT NULL REFERENCES operator(id),
  revoked     INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
) WITHOUT ROWID;
