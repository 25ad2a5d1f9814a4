-- Germany (§146a Abs. 4 AO, Kassenmeldung): what the tax office is told of each TSE a till uses —
-- the TSE's serial and public key, the till's serial (its TSE client id), manufacturer, model and
-- software, when each was taken into use, and where (core/fiscal/tse/kassenmeldung.ts). A row is
-- written the first time the lane starts with that TSE; a new TSE (or a till moved) is a new row.
CREATE TABLE tse_kassenmeldung (
  tse_serial           TEXT NOT NULL,
  client_id            TEXT NOT NULL,
  public_key           TEXT NOT NULL,
  signature_algorithm  TEXT NOT NULL,
  tse_certificate      TEXT,
  tse_commissioned_at  TEXT NOT NULL,
  till_commissioned_at TEXT NOT NULL,
  manufacturer         TEXT NOT NULL,
  model                TEXT NOT NULL,
  software_version     TEXT NOT NULL,
  store_name           TEXT NOT NULL,
  location             TEXT NOT NULL,
  recorded_at          TEXT NOT NULL,
  PRIMARY KEY (tse_serial, client_id, location)
);
