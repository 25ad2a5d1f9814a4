-- Peers (issue 19): HQ's roster key, pinned at enrollment; the newest store roster that verified
-- with it (a till never goes back to an older one); and the peer addresses store IT typed in by hand
-- (npm run peer -- add). An address says where a peer is, never who: identity comes only from the
-- signed roster, so an address for a terminal the roster does not name is not used.
ALTER TABLE hq_link ADD COLUMN roster_key TEXT;
CREATE TABLE peer_roster (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  store_id  TEXT NOT NULL,
  body      TEXT NOT NULL,
  signature TEXT NOT NULL,
  issued_at TEXT NOT NULL
);
CREATE TABLE peer_address (
  terminal_id TEXT PRIMARY KEY,
  address     TEXT NOT NULL,
  added_at    TEXT NOT NULL
);
