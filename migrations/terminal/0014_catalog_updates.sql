-- Catalog updates from HQ: the keys this terminal trusts for signed catalogs (pinned by store IT
-- at provisioning, never taken from the network), and the updater's last check and refusal.
-- The applied version, its publication and expiry are kept in catalog_meta.
CREATE TABLE catalog_key (
  key_id     TEXT PRIMARY KEY CHECK (length(key_id) = 16),
  public_key TEXT NOT NULL CHECK (length(public_key) = 43),
  pinned_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE catalog_sync (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  last_check    TEXT,
  last_error    TEXT,
  last_error_at TEXT
);
