-- (SQLite only: its ingest tables were reshaped. PostgreSQL's stay as they are.)
SELECT 1;
