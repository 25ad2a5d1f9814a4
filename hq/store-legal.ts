/**
 * The store's record at HQ (migration 0014; protocol/store-record.ts): store IT keeps each store's
 * legal particulars here (the admin API `PUT /v1/admin/stores/:store/legal`);
 * every change takes the store's next revision — past what HQ had and past what any of the store's
 * terminals reported holding (an HQ restored from an older backup) — and the terminals get the
 * record, signed with HQ's store-document key, at their next check-in.
 */
import { z } from 'zod';
import { StoreParticularsSchema, StoreRecordSchema, type StoreParticulars, type StoreRecord } from '../protocol/store-record';
import { storeIdProblem, type StoreCountry } from '../protocol/store-ids';
import { COUNTRIES } from '../protocol/terminal/profile';
import type { SignedRoster } from '../protocol/hq';
import { HqError } from './errors';
import { newestHeld } from './held';
import type { RosterSigner } from './roster';
import type { Sql } from './sql';
import { isStoreId } from './store-id';

interface LegalRow {
  store_id: string;
  company_name: string | null;
  org_number: string;
  address: string;
  vat_id: string;
  revision: number | string;
  updated_at: string;
  country: string | null;
}

/** What store IT sets: the particulars, and the store's market (HQ's own, not in the terminals' record), by whose rules the numbers are checked. */
const SetLegalSchema = StoreParticularsSchema.extend({ country: z.enum(COUNTRIES).optional() }).strict();

function checkStore(storeId: string): void {
  if (!isStoreId(storeId)) throw new HqError(400, 'INVALID', 'a store id is 1 to 32 letters, digits, - or _');
}

/**
 * Keeps a store's particulars (checked); returns the record's new revision. With the store's
 * market (`country`, given now or kept from before) its organisation number and VAT id are checked
 * by that market's rules (protocol/store-ids.ts); a wrong one is refused naming the field and why.
 */
export async function setStoreLegal(sql: Sql, storeId: string, input: unknown, now: Date): Promise<number> {
  checkStore(storeId);
  const p = SetLegalSchema.safeParse(input);
  if (!p.success) throw new HqError(400, 'INVALID', `the store's particulars: ${p.error.issues.map((i) => `${i.path.join('.') || '(body)'} ${i.message}`).join('; ')}`);
  const { country: given, ...legal } = p.data;
  if (!legal.address.trim() || !legal.orgNumber.trim()) throw new HqError(400, 'INVALID', "the store's particulars need its address and organisation number");
  return sql.tx(async (q) => {
    const [own] = await q.query<{ revision: number | string; country: string | null }>('SELECT revision, country FROM store_legal WHERE store_id = $1', [storeId]);
    const country = given ?? (own?.country as StoreCountry | null | undefined) ?? null;
    const problem = country ? storeIdProblem(country, legal) : null;
    if (problem) throw new HqError(400, 'INVALID', `the store's particulars (${country}): ${problem}`);
    // Past HQ's own revision and past any the store's tills in service hold (hq/held.ts).
    const revision = Math.max(Number(own?.revision ?? 0), (await newestHeld(q, storeId)).legal) + 1;
    await q.query(
      `INSERT INTO store_legal (store_id, company_name, org_number, address, vat_id, revision, updated_at, country) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (store_id) DO UPDATE SET company_name = excluded.company_name, org_number = excluded.org_number, address = excluded.address, vat_id = excluded.vat_id, revision = excluded.revision, updated_at = excluded.updated_at, country = excluded.country`,
      [storeId, legal.companyName ?? null, legal.orgNumber, legal.address, legal.vatId, revision, now.toISOString(), country],
    );
    return revision;
  });
}

/** What HQ keeps of a store (the admin API's and `npm run hq:legal -- show`'s answer), or null when none. */
export async function storeLegalAdmin(sql: Sql, storeId: string, now: Date): Promise<{ version: number; legal: StoreParticulars; country?: StoreCountry; updatedAt: string } | null> {
  checkStore(storeId);
  const [r] = await sql.query<LegalRow>('SELECT * FROM store_legal WHERE store_id = $1', [storeId]);
  const record = r ? recordOf(storeId, r, now) : null;
  return r && record ? { version: record.version, legal: record.legal, ...(r.country ? { country: r.country as StoreCountry } : {}), updatedAt: r.updated_at } : null;
}

function recordOf(storeId: string, r: LegalRow, now: Date): StoreRecord {
  const legal: StoreParticulars = { address: r.address, orgNumber: r.org_number, vatId: r.vat_id, ...(r.company_name ? { companyName: r.company_name } : {}) };
  return StoreRecordSchema.parse({ storeId, version: Number(r.revision), issuedAt: now.toISOString(), legal });
}

/** A store's record as terminals get it (issued now), or null when HQ has none for it. */
export async function storeRecord(sql: Sql, storeId: string, now: Date): Promise<StoreRecord | null> {
  const [r] = await sql.query<LegalRow>('SELECT * FROM store_legal WHERE store_id = $1', [storeId]);
  return r ? recordOf(storeId, r, now) : null;
}

/**
 * What a check-in's answer says of the store's record: to a terminal that said which revision it
 * holds (kept as it said, for an HQ restored from a backup), the signed record when HQ's is newer
 * (null: not newer); nothing to one that did not say.
 */
export async function legalOffer(sql: Sql, signer: RosterSigner, terminalId: string, storeId: string, held: { version: number } | undefined, now: Date): Promise<{ legal?: SignedRoster | null }> {
  if (!held) return {};
  await sql.query('UPDATE terminal SET legal_version = $1 WHERE terminal_id = $2', [held.version, terminalId]);
  const record = await storeRecord(sql, storeId, now);
  return { legal: record && record.version > held.version ? signer.sign(record) : null };
}
