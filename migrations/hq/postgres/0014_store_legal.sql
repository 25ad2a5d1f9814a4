-- The store's record (hq/store-legal.ts, protocol/store-record.ts): its legal particulars (company,
-- organisation number, address of the sale, VAT id), kept at HQ by store IT and handed to the
-- store's terminals at check-in, signed with HQ's store-document key. revision is the store's record
-- version: it grows with every change, and a terminal never takes a lower one.
CREATE TABLE store_legal (
  store_id     TEXT PRIMARY KEY,
  company_name TEXT,
  org_number   TEXT NOT NULL,
  address      TEXT NOT NULL,
  vat_id       TEXT NOT NULL,
  revision     BIGINT NOT NULL,
  updated_at   TEXT NOT NULL
);
-- The record revision each terminal reported at its last check-in: an HQ restored from an older
-- backup numbers the store's next change past what its tills hold (else they refuse it as a rollback).
ALTER TABLE terminal ADD COLUMN legal_version BIGINT;
