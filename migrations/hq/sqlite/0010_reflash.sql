-- Issue 19.3: a reflashed till gets its past back. A reflash token (`--issue-token STORE:LANE
-- --reflash`) is bound to the terminal enrolled for that lane: enrolling with it keeps the
-- terminal's id, store and lane and takes its new keys (hq/reflash.ts).
ALTER TABLE enrollment_token ADD COLUMN replaces_terminal_id TEXT;
-- When the terminal was last reflashed, and when HQ accepted its first entry with the new key
-- (the terminal.recovered entry that continues its chain): until then the fleet page says it recovers.
ALTER TABLE terminal ADD COLUMN reflashed_at TEXT;
ALTER TABLE terminal ADD COLUMN recovered_at TEXT;
-- The journal keys a terminal signed with before it was reflashed, oldest first (position 0, 1 …
-- and its current one is terminal.journal_key). What HQ knows of where each one's entries end
-- (hq/keys.ts): through_seq is the entry before the terminal.recovered entry that moved the chain
-- on (null until HQ has it), reach_seq the highest entry HQ checked in this key or an older one,
-- later_seq the lowest entry HQ checked in a later key while through_seq is not known.
CREATE TABLE journal_key_history (
  terminal_id TEXT NOT NULL,
  position    INTEGER NOT NULL,
  journal_key TEXT NOT NULL,
  retired_at  TEXT NOT NULL,
  through_seq INTEGER,
  reach_seq   INTEGER NOT NULL DEFAULT 0,
  later_seq   INTEGER,
  PRIMARY KEY (terminal_id, position)
);
