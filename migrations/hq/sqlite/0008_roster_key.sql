-- HQ's own signing keys, made once by HQ and kept here (never taken from the environment): the
-- roster key signs each store's roster of enrolled terminals (protocol/roster.ts); terminals pin
-- its public key at enrollment. Private key: PKCS#8 DER, base64; public key: raw Ed25519, base64url.
CREATE TABLE hq_key (
  name        TEXT PRIMARY KEY,
  private_key TEXT NOT NULL,
  public_key  TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
-- Where each terminal's peer listener is (host:port), as it last reported it at check-in.
ALTER TABLE terminal ADD COLUMN peer_address TEXT;
-- The roster is every terminal of one store, read at each check-in.
CREATE INDEX terminal_store ON terminal (store_id);
