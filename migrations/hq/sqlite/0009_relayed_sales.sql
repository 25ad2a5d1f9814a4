-- A terminal whose sales reached HQ from a store peer (issue 19: a till wiped before it could send
-- them): which terminal sent them, and when last. The terminal's own contact, clock and backlog
-- are only ever what it reported itself.
ALTER TABLE terminal ADD COLUMN relayed_by TEXT;
ALTER TABLE terminal ADD COLUMN relayed_at TEXT;
