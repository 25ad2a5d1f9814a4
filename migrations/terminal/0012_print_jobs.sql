-- Durable print jobs: queued in the transaction of the sale; 'sent' is recorded before the bytes
-- go out, so a job is never sent twice (a real printer holds data while blocked and prints it later).
CREATE TABLE print_job (
  job_key    TEXT PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('receipt', 'copy', 'return', 'slip', 'report')),
  created_at TEXT NOT NULL,
  bytes      BLOB NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'uncertain')),
  sent_at    TEXT
) WITHOUT ROWID;
CREATE INDEX print_job_queued ON print_job(created_at) WHERE state = 'queued';
