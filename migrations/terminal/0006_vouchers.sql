-- Gift cards / vouchers redeemable on this lane (balances change only when a sale completes).
CREATE TABLE voucher (
  code       TEXT PRIMARY KEY CHECK (code GLOB '[0-9]*' AND length(code) BETWEEN 8 AND 20),
  balance    INTEGER NOT NULL CHECK (balance >= 0),
  expires_at TEXT,
  blocked    INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1))
) WITHOUT ROWID;
