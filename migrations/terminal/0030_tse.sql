-- Germany (KassenSichV): what the TSE answered for each sale (core/fiscal/tse/till.ts), stored in
-- the transaction that commits the sale. A sale sold while the TSE was out has no signature and
-- names its outage; `transaction_number` without a signature is a transaction the TSE started and
-- could not finish (it is finished as aborted when the TSE is back: `aborted_at`).
CREATE TABLE tse_outage (
  outage_id      INTEGER PRIMARY KEY,
  started_at     TEXT NOT NULL,
  reason         TEXT NOT NULL,
  ended_at       TEXT,
  unsigned_sales INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tse_signature (
  sale_id            TEXT PRIMARY KEY,
  client_id          TEXT NOT NULL,
  process_type       TEXT NOT NULL,
  process_data       TEXT NOT NULL,
  tse_serial         TEXT,
  transaction_number INTEGER,
  signature_counter  INTEGER,
  start_time         TEXT,
  end_time           TEXT,
  signature          TEXT,
  public_key         TEXT,
  outage_id          INTEGER REFERENCES tse_outage (outage_id),
  aborted_at         TEXT,
  recorded_at        TEXT NOT NULL,
  CHECK ((signature IS NULL) = (outage_id IS NOT NULL))
);
CREATE INDEX tse_signature_unfinished ON tse_signature (outage_id) WHERE signature IS NULL AND transaction_number IS NOT NULL AND aborted_at IS NULL;
