-- Suspended baskets: parked on a slip, resumed later on this lane (or, from the slip's QR, on another).
CREATE TABLE suspended_sale (
  suspend_id  TEXT PRIMARY KEY,
  created_at  TEXT NOT NULL,
  operator    TEXT,
  payload     TEXT NOT NULL,
  resumed_at  TEXT,
  resumed_sale TEXT
) WITHOUT ROWID;
