-- (SQLite only: a sale became one row there. PostgreSQL keeps sale_seq beside its partitioned sale table.)
SELECT 1;
