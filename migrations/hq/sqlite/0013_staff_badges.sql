-- Badges issued at HQ (hq/staff-badges.ts): a badge's barcode is a long random secret, printed once:
-- only its SHA-256 is kept here and handed to the store's terminals in the signed staff list, so one
-- badge works at every till of its store (store_id '*': of every store). Issuing or revoking one
-- raises the operator's staff revision, so the terminals take the change at their next check-in.
CREATE TABLE staff_badge (
  badge_hash  TEXT PRIMARY KEY CHECK (length(badge_hash) = 64),
  store_id    TEXT NOT NULL,
  operator_id TEXT NOT NULL,
  revoked     INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  issued_at   TEXT NOT NULL
);
CREATE INDEX staff_badge_operator ON staff_badge (store_id, operator_id);
