-- Issue 18 (4, 5): HQ checks every sale against the terminal's signed journal chain and keeps the
-- chain's head. The terminal's journal key (enrolled), the head of its chain HQ has checked, whether
-- its signer was out there, and the last chain problem (fork, rewrite, bad signature) for the fleet.
ALTER TABLE terminal ADD COLUMN journal_key TEXT;
ALTER TABLE terminal ADD COLUMN chain_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE terminal ADD COLUMN chain_hash TEXT;
ALTER TABLE terminal ADD COLUMN chain_outage INTEGER NOT NULL DEFAULT 0;
ALTER TABLE terminal ADD COLUMN chain_alert TEXT;
ALTER TABLE terminal ADD COLUMN chain_alert_at TEXT;
-- Each sale's journal entry (sequence and hash): where the next batch's piece of chain must join.
ALTER TABLE sale ADD COLUMN journal_seq INTEGER;
ALTER TABLE sale ADD COLUMN journal_hash TEXT;
DROP VIEW sale_seq;
CREATE VIEW sale_seq AS SELECT terminal_id, sequence, sale_id, business_date, journal_seq, journal_hash FROM sale;
-- A refused sale is kept as it arrived (quarantine), with its entry where it had one.
ALTER TABLE rejected_sale ADD COLUMN sale_id TEXT;
ALTER TABLE rejected_sale ADD COLUMN body TEXT;
ALTER TABLE rejected_sale ADD COLUMN journal_seq INTEGER;
ALTER TABLE rejected_sale ADD COLUMN journal_hash TEXT;
-- A batch that arrived before the one it continues (two in flight): the join is checked when that one comes.
CREATE TABLE chain_pending (
  terminal_id TEXT NOT NULL,
  sequence    INTEGER NOT NULL,
  from_seq    INTEGER NOT NULL,
  from_hash   TEXT NOT NULL,
  PRIMARY KEY (terminal_id, sequence)
);
