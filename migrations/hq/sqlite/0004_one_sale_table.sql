-- On SQLite a sale is one row: (terminal, sequence) and sale id are each unique on the sale table
-- itself, so ingest is one insert per sale. sale_seq stays as a view for the queries both backends share.
CREATE TABLE sale_new (
  terminal_id   TEXT NOT NULL,
  sequence      INTEGER NOT NULL,
  sale_id       TEXT NOT NULL UNIQUE,
  kind          TEXT NOT NULL,
  business_date TEXT NOT NULL,
  total         INTEGER NOT NULL,
  created_at    TEXT NOT NULL,
  received_at   TEXT NOT NULL,
  body          TEXT NOT NULL,
  UNIQUE (terminal_id, sequence)
);
INSERT INTO sale_new (terminal_id, sequence, sale_id, kind, business_date, total, created_at, received_at, body)
  SELECT s.terminal_id, s.sequence, s.sale_id, s.kind, s.business_date, s.total, s.created_at, s.received_at, s.body FROM sale s;
DROP TABLE sale;
DROP TABLE sale_seq;
ALTER TABLE sale_new RENAME TO sale;
CREATE VIEW sale_seq AS SELECT terminal_id, sequence, sale_id, business_date FROM sale;
