-- A reflashed till waiting for its journal (issue 19.3, core/peers/recovery-pending.ts): written at
-- its enrollment with a reflash token, deleted in the transaction that keeps the recovered journal.
-- While it is here the lane sells nothing (a chain started again from genesis would fork).
CREATE TABLE recovery_pending (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  reflash TEXT NOT NULL,
  since   TEXT NOT NULL
);
