-- Completed sales, the append-only hash-chained journal and the replication outbox.
-- A completed sale, its journal entry and its outbox row are written in one transaction.
CREATE TABLE sale (
  sale_id       TEXT PRIMARY KEY,
  sequence      INTEGER NOT NULL UNIQUE,
  completed_at  TEXT NOT NULL,
  business_date TEXT NOT NULL,
  operator      TEXT,
  total         INTEGER NOT NULL,
  rounding      INTEGER NOT NULL,
  body          TEXT NOT NULL,
  receipt_text  TEXT NOT NULL
);

CREATE TABLE journal (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  kind      TEXT NOT NULL,
  ref       TEXT,
  body      TEXT NOT NULL,
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash      TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
);
CREATE INDEX journal_ref ON journal(ref);

CREATE TRIGGER journal_append_only_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER journal_append_only_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

CREATE TABLE outbox (
  sequence   INTEGER PRIMARY KEY,
  sale_id    TEXT NOT NULL UNIQUE REFERENCES sale(sale_id),
  kind       TEXT NOT NULL,
  payload    TEXT NOT NULL,
  created_at TEXT NOT NULL,
  acked_at   TEXT
);
CREATE INDEX outbox_unacked ON outbox(sequence) WHERE acked_at IS NULL;
