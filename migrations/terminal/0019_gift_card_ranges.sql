-- Gift card number ranges (issue 16): catalog data, written by the demo catalog and by catalogs from
-- HQ (every full snapshot and delta carries them all; core/catalog/apply.ts replaces them whole).
-- A code scanned or typed that has a range's prefix and length is a gift card: the lane shows its
-- balance and sells no line. `check_digit` says how its last digit is made ('none', 'luhn', 'gtin'
-- mod 10 weights 3-1); the till issues new cards (a refund onto a new gift card) from a range
-- marked `issue`.
CREATE TABLE gift_card_range (
  prefix      TEXT PRIMARY KEY CHECK (length(prefix) BETWEEN 1 AND 12 AND prefix NOT GLOB '*[^0-9]*'),
  length      INTEGER NOT NULL CHECK (length BETWEEN 8 AND 20 AND length > length(prefix) + 1),
  check_digit TEXT NOT NULL CHECK (check_digit IN ('none', 'luhn', 'gtin')),
  issue       INTEGER NOT NULL DEFAULT 0 CHECK (issue IN (0, 1))
) WITHOUT ROWID;
