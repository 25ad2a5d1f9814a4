-- A card payment the terminal could not confirm, open before a supervisor (issue 18.9,
-- core/payments/card-decision.ts): kept so a core that restarts shows the same decision, keeps
-- asking the terminal and still holds "not charged" until the terminal answered or a second
-- supervisor confirmed. Written when the decision opens or what it says changes; deleted in the
-- transaction that settles the attempt (the terminal's answer or a supervisor's). One at a time.
CREATE TABLE card_decision (
  id                INTEGER PRIMARY KEY CHECK (id = 1),
  attempt_id        TEXT NOT NULL,
  reason            TEXT NOT NULL,
  terminal_receipt  TEXT NOT NULL,
  terminal_answered INTEGER NOT NULL CHECK (terminal_answered IN (0, 1)),
  unreachable_since TEXT,
  updated_at        TEXT NOT NULL
);
