-- Germany (KassenSichV, AEAO zu §146a): the TSE transaction of a sale is started when its first
-- line is recorded, off the scan's commit (core/fiscal/tse/till.ts). The row lives until the sale
-- ends: its completion finishes the transaction (its signature then in tse_signature), a basket
-- that ends without a sale (cancelled, abandoned, parked) is finished as AVBelegabbruch, and a row
-- left by a till that stopped mid-sale is finished as aborted when the till starts again.
CREATE TABLE tse_started (
  sale_id            TEXT PRIMARY KEY,
  client_id          TEXT NOT NULL,
  transaction_number INTEGER NOT NULL,
  start_time         TEXT NOT NULL,
  recorded_at        TEXT NOT NULL
);
