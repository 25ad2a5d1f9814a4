-- The copies a till keeps of the store's other tills' journals (issue 19, core/peers/copies.ts), in a
-- file of their own beside the lane's (core/db/copies-file.ts): the peer batch worker is its only
-- writer, so keeping a peer's batch never takes the lane's write lock. The tables as terminal
-- migrations 0022, 0024, 0026 and 0027 made them in the lane's file, where they were until 0034.

-- One row per peer terminal: the head of its chain held here (seq, hash, signer out at it), the
-- highest contiguous sale sequence held, the highest sequence it has shown, when it was last heard,
-- the last problem its batches had (a fork, a forged or foreign chain) with the sales refused, and the
-- entry through which every entry's own signature was checked (core/peers/audit.ts).
CREATE TABLE peer_head (
  terminal_id    TEXT PRIMARY KEY,
  chain_seq      INTEGER NOT NULL DEFAULT 0,
  chain_hash     TEXT,
  chain_outage   INTEGER NOT NULL DEFAULT 0,
  acked_through  INTEGER NOT NULL DEFAULT 0,
  max_sequence   INTEGER NOT NULL DEFAULT 0,
  last_contact   TEXT,
  alert          TEXT,
  alert_at       TEXT,
  rejected_count INTEGER NOT NULL DEFAULT 0,
  audited_seq    INTEGER NOT NULL DEFAULT 0
);

-- A peer's sales (and returns): its outbox rows, each with its journal entry; the body is kept here once.
CREATE TABLE peer_sale (
  terminal_id   TEXT NOT NULL,
  sequence      INTEGER NOT NULL,
  sale_id       TEXT NOT NULL,
  kind          TEXT NOT NULL,
  business_date TEXT NOT NULL,
  total         INTEGER NOT NULL,
  created_at    TEXT NOT NULL,
  body          TEXT NOT NULL,
  journal_seq   INTEGER NOT NULL,
  journal_hash  TEXT NOT NULL,
  PRIMARY KEY (terminal_id, sequence),
  UNIQUE (terminal_id, sale_id)
);
CREATE INDEX peer_sale_entry ON peer_sale(terminal_id, journal_seq);
-- A peer's sale by its id, and the returns other tills made of a sale.
CREATE INDEX peer_sale_id ON peer_sale (sale_id);
CREATE INDEX peer_sale_original ON peer_sale (json_extract(body, '$.originalSaleId')) WHERE kind = 'return';

-- A peer's journal entries, every one (its sales' and those between); body NULL for a sale's own
-- entry (its body is the sale's, in peer_sale).
CREATE TABLE peer_entry (
  terminal_id TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  at          TEXT NOT NULL,
  kind        TEXT NOT NULL,
  ref         TEXT,
  body        TEXT,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  signature   TEXT,
  key_id      TEXT,
  PRIMARY KEY (terminal_id, seq)
);
-- Where the peer's signer went out or came back: the state at any entry, for a piece resent from before the head.
CREATE INDEX peer_entry_outage ON peer_entry(terminal_id, seq) WHERE kind IN ('signer.outage.start', 'signer.outage.end');
-- A basket parked on any lane, and whether it was taken up anywhere, by its suspend id.
CREATE INDEX peer_entry_basket ON peer_entry (json_extract(body, '$.suspendId')) WHERE kind IN ('sale.suspended', 'sale.resumed');

-- What a peer signed is never rewritten here.
CREATE TRIGGER peer_sale_append_only BEFORE UPDATE ON peer_sale
BEGIN SELECT RAISE(ABORT, 'peer copies are append-only'); END;
CREATE TRIGGER peer_entry_append_only BEFORE UPDATE ON peer_entry
BEGIN SELECT RAISE(ABORT, 'peer copies are append-only'); END;
