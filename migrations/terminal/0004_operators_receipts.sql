-- Operators with roles and scrypt PIN hashes, and every receipt the lane produced.
CREATE TABLE operator (
  id              TEXT PRIMARY KEY CHECK (id GLOB '[0-9]*' AND length(id) BETWEEN 1 AND 8),
  name            TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('cashier', 'supervisor', 'it')),
  -- scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>; the PIN itself is never stored or logged
  pin_hash        TEXT NOT NULL CHECK (pin_hash LIKE 'scrypt$%'),
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until    TEXT
) WITHOUT ROWID;

CREATE TABLE receipt (
  receipt_id TEXT PRIMARY KEY,
  sale_id    TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('sale', 'training', 'copy')),
  created_at TEXT NOT NULL,
  text       TEXT NOT NULL
);
CREATE INDEX receipt_sale ON receipt(sale_id);
