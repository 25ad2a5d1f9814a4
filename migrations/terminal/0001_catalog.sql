-- Catalog: what the lane can sell. Barcodes are stored as 14-digit GTIN strings; variable-measure
-- codes are stored with their measure digits zeroed (see core/catalog/barcode.ts lookupCode).
CREATE TABLE vat_class (
  id      TEXT PRIMARY KEY,
  name    TEXT NOT NULL,
  rate_bp INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000)
);

CREATE TABLE department (
  id   TEXT PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE item (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  department_id   TEXT NOT NULL REFERENCES department(id),
  vat_class_id    TEXT NOT NULL REFERENCES vat_class(id),
  unit            TEXT NOT NULL CHECK (unit IN ('piece', 'weight')),
  -- VAT-inclusive price in minor units: per piece, or per kilogram for weighed items
  price           INTEGER NOT NULL CHECK (price >= 0),
  age_limit       INTEGER CHECK (age_limit IS NULL OR age_limit BETWEEN 1 AND 99),
  deposit_item_id TEXT REFERENCES item(id),
  is_deposit      INTEGER NOT NULL DEFAULT 0 CHECK (is_deposit IN (0, 1)),
  plu             TEXT UNIQUE CHECK (plu IS NULL OR plu GLOB '[0-9]*'),
  blocked         INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1))
);
CREATE INDEX item_department ON item(department_id);

CREATE TABLE barcode (
  code    TEXT PRIMARY KEY CHECK (length(code) = 14 AND code GLOB '[0-9]*'),
  item_id TEXT NOT NULL REFERENCES item(id)
) WITHOUT ROWID;
CREATE INDEX barcode_item ON barcode(item_id);

CREATE TABLE catalog_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
