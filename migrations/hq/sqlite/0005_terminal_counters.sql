-- The fleet page reads each terminal's sales and refusals from counters kept in the ingest
-- transaction, not by counting its rows on every view (issue 14: nothing on a request's path
-- grows with history). Backfilled once here.
ALTER TABLE terminal ADD COLUMN sales_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE terminal ADD COLUMN rejected_count INTEGER NOT NULL DEFAULT 0;
UPDATE terminal SET sales_count = (SELECT count(*) FROM sale s WHERE s.terminal_id = terminal.terminal_id),
  rejected_count = (SELECT count(*) FROM rejected_sale r WHERE r.terminal_id = terminal.terminal_id);
