-- HQ on PostgreSQL: terminals, enrollment, sales replicated from terminals.
CREATE TABLE enrollment_token (
  token_hash TEXT PRIMARY KEY,
  store_id   TEXT NOT NULL,
  lane_id    TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT
);
CREATE TABLE terminal (
  terminal_id      TEXT PRIMARY KEY,
  store_id         TEXT NOT NULL,
  lane_id          TEXT NOT NULL,
  public_key       TEXT NOT NULL UNIQUE,
  software_version TEXT,
  enrolled_at      TEXT NOT NULL,
  revoked_at       TEXT,
  acked_through    BIGINT NOT NULL DEFAULT 0,
  max_sequence     BIGINT NOT NULL DEFAULT 0,
  last_contact     TEXT,
  last_clock       TEXT,
  skew_ms          BIGINT,
  backlog_count    INTEGER,
  backlog_oldest   TEXT
);
CREATE TABLE request_nonce (
  terminal_id TEXT NOT NULL,
  nonce       TEXT NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (terminal_id, nonce)
);
-- Idempotency: one row per (terminal, sequence), and one per sale id.
CREATE TABLE sale_seq (
  terminal_id   TEXT NOT NULL,
  sequence      BIGINT NOT NULL,
  sale_id       TEXT NOT NULL UNIQUE,
  business_date TEXT NOT NULL,
  PRIMARY KEY (terminal_id, sequence)
);
-- Sales bodies partitioned by business date (a partition per month, made on first use).
CREATE TABLE sale (
  sale_id       TEXT NOT NULL,
  terminal_id   TEXT NOT NULL,
  sequence      BIGINT NOT NULL,
  kind          TEXT NOT NULL,
  business_date DATE NOT NULL,
  total         BIGINT NOT NULL,
  created_at    TEXT NOT NULL,
  received_at   TEXT NOT NULL,
  body          TEXT NOT NULL,
  PRIMARY KEY (sale_id, business_date)
) PARTITION BY RANGE (business_date);
CREATE INDEX sale_terminal ON sale(terminal_id, sequence);
CREATE TABLE rejected_sale (
  terminal_id TEXT NOT NULL,
  sequence    BIGINT NOT NULL,
  reason      TEXT NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (terminal_id, sequence)
);
