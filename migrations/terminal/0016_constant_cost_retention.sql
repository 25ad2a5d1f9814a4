-- A lane in its second month (issue 14): no command costs more because of the sales before it, and
-- what is kept only until it is safe elsewhere is dropped then (docs/retention.md).

-- The last card end of day, the last Z and the card payments since an end of day are found by
-- kind and sequence, not by reading the journal from its start.
CREATE INDEX journal_kind_seq ON journal(kind, seq);
-- A return finds the earlier refunds of its sale by index, not by reading every sale.
CREATE INDEX sale_original_sale ON sale(json_extract(body, '$.originalSaleId')) WHERE json_extract(body, '$.originalSaleId') IS NOT NULL;
-- A day's export reads that day's entries only.
CREATE INDEX journal_at ON journal(at);
-- Print jobs waiting for the printer or whose printing is in doubt are counted from small partial
-- indexes (queued has one: print_job_queued).
CREATE INDEX print_job_uncertain ON print_job(created_at) WHERE state = 'uncertain';
-- A printed job keeps the SHA-256 of what it printed and its outcome; its bytes are dropped.
ALTER TABLE print_job ADD COLUMN bytes_sha256 TEXT;
-- The command log of a completed sale is pruned with it.
CREATE INDEX command_log_sale ON command_log(sale_id) WHERE sale_id IS NOT NULL;
-- Outbox rows HQ acknowledged are compacted; the sequence counter continues from the sales.
-- Jobs printed before this version keep their outcome; their bytes go (no hash was taken then).
UPDATE print_job SET bytes = X'' WHERE state = 'sent';
-- sale.receipt_text was a second copy of the receipt's text (kept in receipt): emptied.
UPDATE sale SET receipt_text = '' WHERE receipt_text <> '';
