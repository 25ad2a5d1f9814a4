-- The uploader's position in the outbox: every row up to this sequence is at HQ (or quarantined).
-- One row is updated per batch instead of every row of it, and the backlog is the newest sequence
-- minus this one (outbox sequences have no gaps).
ALTER TABLE sync_state ADD COLUMN acked_through INTEGER NOT NULL DEFAULT 0;
INSERT INTO sync_state (id, acked_through) VALUES (1, (SELECT coalesce(max(sequence), 0) FROM outbox WHERE acked_at IS NOT NULL))
  ON CONFLICT (id) DO UPDATE SET acked_through = excluded.acked_through;
DROP INDEX outbox_unacked;
ALTER TABLE outbox DROP COLUMN acked_at;
