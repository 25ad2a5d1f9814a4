-- The lane actor's persisted snapshot (one row) and the log of every committed command.
CREATE TABLE lane_state (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  version    INTEGER NOT NULL,
  snapshot   TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE command_log (
  version INTEGER PRIMARY KEY,
  at      TEXT NOT NULL,
  sale_id TEXT,
  command TEXT NOT NULL
);

CREATE TABLE terminal_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
