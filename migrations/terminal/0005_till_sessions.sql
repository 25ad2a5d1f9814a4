-- Till sessions (open with a float, close with a blind count and a Z report) and cash movements.
CREATE TABLE till_session (
  session_id    TEXT PRIMARY KEY,
  opened_at     TEXT NOT NULL,
  opened_by     TEXT NOT NULL,
  open_seq      INTEGER NOT NULL,           -- journal sequence of the till.opened entry
  float_total   INTEGER NOT NULL CHECK (float_total >= 0),
  closed_at     TEXT,
  closed_by     TEXT,
  counted_total INTEGER,
  expected_cash INTEGER,
  over_short    INTEGER,
  z_number      INTEGER UNIQUE
);
-- At most one open session per lane database.
CREATE UNIQUE INDEX till_session_one_open ON till_session ((closed_at IS NULL)) WHERE closed_at IS NULL;

CREATE TABLE cash_movement (
  movement_id TEXT PRIMARY KEY,
  session_id  TEXT NOT NULL REFERENCES till_session(session_id),
  kind        TEXT NOT NULL CHECK (kind IN ('pickup', 'paidIn', 'paidOut')),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 80),
  operator    TEXT NOT NULL,
  approved_by TEXT,
  at          TEXT NOT NULL
);
