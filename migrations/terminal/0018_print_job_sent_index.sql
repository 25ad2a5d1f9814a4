-- Retention (docs/retention.md): a printed job's row (its hash and outcome) is kept through the next
-- day; at a Z the rows of jobs printed before the previous Z go. This index finds them without
-- reading the rest (it only ever holds about two days of rows).
CREATE INDEX print_job_sent ON print_job(created_at) WHERE state = 'sent';
