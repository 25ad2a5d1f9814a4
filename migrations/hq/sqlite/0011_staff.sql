-- The store's staff (hq/staff.ts, protocol/staff.ts): who may sign in at a store's tills, kept at HQ
-- by store IT (`npm run hq:staff`) and handed to each terminal at check-in as a list signed with
-- HQ's store-document key. store_id '*' is staff of every store (a store's own row of the same
-- number wins). PIN hashes only (scrypt), never a PIN. A removed operator keeps a row (removed = 1,
-- no hash) so that the store's list version moves on and the terminals drop them.
CREATE TABLE staff (
  store_id    TEXT NOT NULL,
  operator_id TEXT NOT NULL,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL,
  pin_hash    TEXT,
  removed     INTEGER NOT NULL DEFAULT 0,
  revision    INTEGER NOT NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (store_id, operator_id)
);
-- One counter for every change to the staff: a store's list version is the highest revision of its
-- rows and the chain-wide ones, so any change that concerns a store raises its version.
CREATE TABLE staff_revision (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL
);
INSERT INTO staff_revision (id, revision) VALUES (1, 0);
