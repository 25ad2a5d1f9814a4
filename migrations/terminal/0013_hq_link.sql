-- The terminal's link to HQ: its own Ed25519 key for signing requests (made at enrollment), and
-- outbox rows HQ refused for good (quarantined with the reason; they never block the queue).
CREATE TABLE hq_link (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  hq_url      TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  store_id    TEXT NOT NULL,
  lane_id     TEXT NOT NULL,
  private_key TEXT NOT NULL,
  public_key  TEXT NOT NULL,
  enrolled_at TEXT NOT NULL
);
CREATE TABLE outbox_quarantine (
  sequence INTEGER PRIMARY KEY REFERENCES outbox(sequence),
  reason   TEXT NOT NULL,
  at       TEXT NOT NULL
);
CREATE TABLE sync_state (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  last_success   TEXT,
  last_error     TEXT,
  last_attempt   TEXT
);
