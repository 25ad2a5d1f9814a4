-- sale_terminal (terminal_id, sequence) repeats sale_seq's primary key, which leads to a sale by
-- its own key (sale_id, business_date); no query of HQ's needs it, and every sale stored paid for
-- one more index entry (issue 18.12: about a tenth of ingest's write-ahead log).
DROP INDEX IF EXISTS sale_terminal;
