-- Promotions (part of the catalog): the rule itself is JSON validated by the core when loaded.
CREATE TABLE promotion (
  id   TEXT PRIMARY KEY,
  spec TEXT NOT NULL CHECK (json_valid(spec))
) WITHOUT ROWID;
