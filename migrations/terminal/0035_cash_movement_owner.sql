-- The owner's own money taken from or put into the drawer (Privatentnahme, Privateinlage: Germany's
-- AVTransfer receipts) is a cash movement like the others: the table takes those kinds too.
-- SQLite cannot change a CHECK in place, so the table is made again with its rows.
CREATE TABLE cash_movement_0035 (
  movement_id TEXT PRIMARY KEY,
  session_id  TEXT NOT NULL REFERENCES till_session(session_id),
  kind        TEXT NOT NULL CHECK (kind IN ('pickup', 'paidIn', 'paidOut', 'privateWithdrawal', 'privateDeposit')),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 80),
  operator    TEXT NOT NULL,
  approved_by TEXT,
  at          TEXT NOT NULL
);
INSERT INTO cash_movement_0035 (movement_id, session_id, kind, amount, reason, operator, approved_by, at)
  SELECT movement_id, session_id, kind, amount, reason, operator, approved_by, at FROM cash_movement;
DROP TABLE cash_movement;
ALTER TABLE cash_movement_0035 RENAME TO cash_movement;
