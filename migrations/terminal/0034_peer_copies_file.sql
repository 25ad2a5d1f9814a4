-- The store peers' copies (issue 19) leave the lane's file for a file of their own beside it
-- (core/db/copies-file.ts, migrations/peers): there the peer batch worker is their only writer, and
-- keeping a peer's batch never takes the lane's write lock (a second writer on this file made scans
-- wait on it: docs/design.md). What a till held was copied into that file before this migration runs
-- (core/db/copies-file.ts moveCopiesOut, in the same start): the tables go from here, with their
-- indexes and triggers.
DROP TABLE peer_head;
DROP TABLE peer_sale;
DROP TABLE peer_entry;
