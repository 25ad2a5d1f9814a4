-- The store's other tills' journals, as this till keeps verified copies of them (issue 19,
-- core/peers/copies.ts): the same signed sales and journal entries HQ receives, over the same batch
-- protocol. Each peer terminal's chain is held as one unbroken piece from its first held entry.

-- One row per peer terminal: the head of its chain held here (seq, hash, signer out at it), the
-- highest contiguous sale sequence held, the highest sequence it has shown, when it was last heard
-- and the last problem its batches had (a fork, a forged or foreign chain) with the sales refused.
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
  rejected_count INTEGER NOT NULL DEFAULT 0
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

-- What a peer signed is never rewritten here.
CREATE TRIGGER peer_sale_append_only BEFORE UPDATE ON peer_sale
BEGIN SELECT RAISE(ABORT, 'peer copies are append-only'); END;
CREATE TRIGGER peer_entry_append_only BEFORE UPDATE ON peer_entry
BEGIN SELECT RAISE(ABORT, 'peer copies are append-only'); END;
