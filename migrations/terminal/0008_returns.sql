-- Returns: which lines of which sale came back, so a line is never returned more than sold.
CREATE TABLE return_line (
  return_id        TEXT NOT NULL,
  original_sale_id TEXT NOT NULL REFERENCES sale(sale_id),
  line_id          TEXT NOT NULL,
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  amount           INTEGER NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (return_id, line_id)
) WITHOUT ROWID;
CREATE INDEX return_line_original ON return_line(original_sale_id, line_id);
