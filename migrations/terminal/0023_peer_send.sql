-- Sending this terminal's own sales to each peer terminal of the store (issue 19): per peer, the
-- sequence it acknowledged through (every sale up to it is held there, or set aside for it), the
-- last attempt and success, the last error, and how many sales it refused for good. The sales are
-- read from `sale` (and the journal), not the outbox: rows HQ acknowledged are compacted out of the
-- outbox, and a peer still needs them.
CREATE TABLE peer_send (
  peer_id        TEXT PRIMARY KEY,
  acked_through  INTEGER NOT NULL DEFAULT 0,
  last_success   TEXT,
  last_attempt   TEXT,
  last_error     TEXT,
  quarantined    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- The sales a peer refused for good, with its reason: skipped for that peer only (HQ's outbox
-- quarantine is not touched).
CREATE TABLE peer_send_refused (
  peer_id   TEXT NOT NULL,
  sequence  INTEGER NOT NULL,
  reason    TEXT NOT NULL,
  at        TEXT NOT NULL,
  PRIMARY KEY (peer_id, sequence)
) WITHOUT ROWID;
