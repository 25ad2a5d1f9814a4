-- A sale's body is kept once (issue 14, docs/retention.md): in its journal entry. A sale or return
-- completed from this version on has sale.body = '' and outbox.payload = '', read through
-- sale.journal_seq; archiving the journal writes the body back into sale first. Sales from before
-- keep their own body.
ALTER TABLE sale ADD COLUMN journal_seq INTEGER;
CREATE UNIQUE INDEX sale_journal_seq ON sale(journal_seq) WHERE journal_seq IS NOT NULL;

-- A return's original sale as a column (the expression index over the body needed the body here).
ALTER TABLE sale ADD COLUMN original_sale_id TEXT;
UPDATE sale SET original_sale_id = json_extract(body, '$.originalSaleId') WHERE json_extract(body, '$.originalSaleId') IS NOT NULL;
DROP INDEX sale_original_sale;
CREATE INDEX sale_original ON sale(original_sale_id) WHERE original_sale_id IS NOT NULL;

-- A receipt's text is kept deflated (raw DEFLATE, RFC 1951) in `packed`, `text` '' then: a receipt
-- of ~1.2 KB takes ~0.55 KB. Receipts from before keep their text.
ALTER TABLE receipt ADD COLUMN packed BLOB;

-- Older parts of the journal, archived to a signed export file before they are deleted here: one row
-- per archive, the chain's anchor (the hash of its last entry) for the verifier and for exports.
CREATE TABLE journal_archive (
  through_seq  INTEGER PRIMARY KEY,
  first_seq    INTEGER NOT NULL,
  through_hash TEXT NOT NULL,
  first_at     TEXT NOT NULL,
  last_at      TEXT NOT NULL,
  entries      INTEGER NOT NULL,
  file         TEXT NOT NULL,
  sha256       TEXT NOT NULL,
  archived_at  TEXT NOT NULL
);
CREATE TRIGGER journal_archive_append_only_update BEFORE UPDATE ON journal_archive
BEGIN SELECT RAISE(ABORT, 'journal archive records are append-only'); END;
CREATE TRIGGER journal_archive_append_only_delete BEFORE DELETE ON journal_archive
BEGIN SELECT RAISE(ABORT, 'journal archive records are append-only'); END;

-- The journal stays append-only; only entries already recorded as archived may be deleted.
DROP TRIGGER journal_append_only_delete;
CREATE TRIGGER journal_append_only_delete BEFORE DELETE ON journal
WHEN old.seq > coalesce((SELECT max(through_seq) FROM journal_archive), 0)
BEGIN SELECT RAISE(ABORT, 'journal is append-only (only entries archived to a signed export may be deleted)'); END;
