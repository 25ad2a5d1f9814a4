-- Ingest on SQLite writes fewer b-trees per sale: (terminal, sequence) is the table's own key
-- (WITHOUT ROWID), and sales are found by terminal through sale_seq, not a second index on sale.
CREATE TABLE sale_seq_new (
  terminal_id   TEXT NOT NULL,
  sequence      INTEGER NOT NULL,
  sale_id       TEXT NOT NULL UNIQUE,
  business_date TEXT NOT NULL,
  PRIMARY KEY (terminal_id, sequence)
) WITHOUT ROWID;
INSERT INTO sale_seq_new (terminal_id, sequence, sale_id, business_date) SELECT terminal_id, sequence, sale_id, business_date FROM sale_seq;
DROP TABLE sale_seq;
ALTER TABLE sale_seq_new RENAME TO sale_seq;
DROP INDEX sale_terminal;
