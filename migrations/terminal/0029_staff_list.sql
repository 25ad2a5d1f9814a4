-- The store's staff from HQ (protocol/staff.ts, core/operators/staff.ts): the version of the signed
-- staff list applied last (a terminal never goes back to a lower one), for which store, when HQ
-- issued it and when it was applied, and how many operators it named. Once a list from HQ is
-- applied, it is the terminal's staff: operators it does not name are inactive (they cannot sign in).
CREATE TABLE staff_list (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  store_id    TEXT NOT NULL,
  version     INTEGER NOT NULL,
  issued_at   TEXT NOT NULL,
  applied_at  TEXT NOT NULL,
  staff_count INTEGER NOT NULL
);
