-- Signed journal: each entry's hash is signed with the terminal's Ed25519 key (key_id names it).
-- journal_key lists every public key that signed entries, so a verifier needs only this file.
ALTER TABLE journal ADD COLUMN signature TEXT;
ALTER TABLE journal ADD COLUMN key_id TEXT;

CREATE TABLE journal_key (
  key_id         TEXT PRIMARY KEY,
  public_key_pem TEXT NOT NULL,
  first_seq      INTEGER NOT NULL
) WITHOUT ROWID;

-- The terminal's own signing key (the private key never leaves the terminal).
CREATE TABLE terminal_key (
  key_id          TEXT PRIMARY KEY,
  public_key_pem  TEXT NOT NULL,
  private_key_pem TEXT NOT NULL,
  created_at      TEXT NOT NULL
) WITHOUT ROWID;
