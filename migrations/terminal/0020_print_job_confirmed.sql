-- A print job is printed when the printer says so (issue 18.8). 'sent' was written before the bytes
-- went out and stayed 'sent' when a crash cut the write off, so a lost receipt went unnoticed. Now:
-- queued → sending (until the printer confirms: the process ID response to GS ( H, or a status
-- reply after the job) → printed. A job still 'sending' when the core starts is 'uncertain' and the
-- lane offers a reprint marked COPY; once that copy is made the job is 'settled'. `sale_id` names
-- the sale (or return) a receipt, return or copy job prints (the lane's reprint needs it).
CREATE TABLE print_job_new (
  job_key      TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('receipt', 'copy', 'return', 'slip', 'report')),
  created_at   TEXT NOT NULL,
  bytes        BLOB NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'printed', 'uncertain', 'settled')),
  sent_at      TEXT,
  bytes_sha256 TEXT,
  sale_id      TEXT
) WITHOUT ROWID;
-- A 'sent' job whose bytes were dropped had its write completed: kept as printed (the old code's
-- best knowledge). One that still has its bytes was cut off before the write completed: uncertain.
INSERT INTO print_job_new (job_key, kind, created_at, bytes, state, sent_at, bytes_sha256, sale_id)
SELECT job_key, kind, created_at, bytes,
       CASE WHEN state = 'sent' AND length(bytes) = 0 THEN 'printed' WHEN state = 'sent' THEN 'uncertain' ELSE state END,
       sent_at, bytes_sha256,
       CASE WHEN kind = 'receipt' AND job_key LIKE 'receipt:%' THEN substr(job_key, 9)
            WHEN kind = 'return' AND job_key LIKE 'return:%' THEN substr(job_key, 8) END
FROM print_job;
DROP TABLE print_job;
ALTER TABLE print_job_new RENAME TO print_job;
CREATE INDEX print_job_queued ON print_job(created_at) WHERE state = 'queued';
CREATE INDEX print_job_uncertain ON print_job(created_at) WHERE state = 'uncertain';
-- Retention (docs/retention.md): printed and settled rows go at the Z after next.
CREATE INDEX print_job_done ON print_job(created_at) WHERE state IN ('printed', 'settled');
