-- Returns of any lane's receipt at any till of the store (core/returns with core/peers/copies.ts):
-- the original sale may be another till's, held as a verified copy (peer_sale), not in this till's
-- `sale` table, so a returned line no longer references it there.
CREATE TABLE return_line_new (
  return_id        TEXT NOT NULL,
  original_sale_id TEXT NOT NULL,
  line_id          TEXT NOT NULL,
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  amount           INTEGER NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (return_id, line_id)
) WITHOUT ROWID;
INSERT INTO return_line_new (return_id, original_sale_id, line_id, quantity, amount) SELECT return_id, original_sale_id, line_id, quantity, amount FROM return_line;
DROP TABLE return_line;
ALTER TABLE return_line_new RENAME TO return_line;
CREATE INDEX return_line_original ON return_line(original_sale_id, line_id);

-- A peer's sale by its id, and the returns other tills made of a sale.
CREATE INDEX peer_sale_id ON peer_sale (sale_id);
CREATE INDEX peer_sale_original ON peer_sale (json_extract(body, '$.originalSaleId')) WHERE kind = 'return';
