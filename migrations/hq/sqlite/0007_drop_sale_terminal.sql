-- (PostgreSQL only: it drops an index its sale table did not need. SQLite's one sale table keeps
-- (terminal_id, sequence) unique.)
SELECT 1;
