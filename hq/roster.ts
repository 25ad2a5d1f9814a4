/**
 * The store roster HQ hands each terminal (protocol/roster.ts): every terminal enrolled in its store
 * and not revoked, with the keys HQ enrolled, the peer address it last reported and HQ's
 * acknowledgement for it, signed with HQ's roster key. The key is made once, the first time HQ
 * needs it, and kept in HQ's database (`hq_key`, migration 0008) — both HQ processes of one
 * database (or a restarted one) sign with the same key, and nothing in the environment can swap it.
 */
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { canonicalJson, rawEd25519 } from '../protocol/journal-chain';
import type { Roster, SignedRoster } from '../protocol/roster';
import type { StaffList } from '../protocol/staff';
import type { StoreRecord } from '../protocol/store-record';
import type { Sql } from './sql';

const ROSTER_KEY = 'roster';

export class RosterSigner {
  /** The public key terminals pin (raw Ed25519, base64url). */
  readonly publicKey: string;
  constructor(private readonly key: KeyObject) {
    this.publicKey = rawEd25519(key);
  }

  /** Signs a store document: the roster, the staff list, the store's record (protocol/signed-document.ts). */
  sign(doc: Roster | StaffList | StoreRecord): SignedRoster {
    const body = canonicalJson(doc);
    return { body, signature: sign(null, Buffer.from(body, 'utf8'), this.key).toString('base64url') };
  }
}

/** HQ's roster key from its database, made and stored there the first time (a concurrent maker's key wins; both then read it). */
export async function loadOrCreateRosterSigner(sql: Sql, now: Date): Promise<RosterSigner> {
  const read = async () => (await sql.query<{ private_key: string }>('SELECT private_key FROM hq_key WHERE name = $1', [ROSTER_KEY]))[0];
  let row = await read();
  if (!row) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    await sql.query('INSERT INTO hq_key (name, private_key, public_key, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING', [
      ROSTER_KEY,
      privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      rawEd25519(publicKey),
      now.toISOString(),
    ]);
    row = await read();
  }
  return new RosterSigner(createPrivateKey({ key: Buffer.from(row!.private_key, 'base64'), format: 'der', type: 'pkcs8' }));
}

interface RosterRow {
  store_id: string;
  terminal_id: string;
  lane_id: string;
  public_key: string;
  journal_key: string | null;
  peer_address: string | null;
  acked_through: number;
  last_contact: string | null;
  reflashed_at: string | null;
}

/** The roster of `terminalId`'s store as HQ holds it now (null: no such terminal). Revoked terminals are no one's peers. */
export async function storeRoster(sql: Sql, terminalId: string, now: Date): Promise<Roster | null> {
  const rows = await sql.query<RosterRow>(
    `SELECT store_id, terminal_id, lane_id, public_key, journal_key, peer_address, acked_through, last_contact, reflashed_at FROM terminal
      WHERE store_id = (SELECT store_id FROM terminal WHERE terminal_id = $1) AND revoked_at IS NULL ORDER BY lane_id, terminal_id`,
    [terminalId],
  );
  const storeId = rows[0]?.store_id;
  if (storeId === undefined) return null;
  // A reflashed terminal's earlier journal keys (hq/reflash.ts): its peers check its recovered chain with them.
  const retired = new Map<string, string[]>();
  if (rows.some((r) => r.reflashed_at !== null)) {
    const keys = await sql.query<{ terminal_id: string; journal_key: string }>(
      'SELECT h.terminal_id, h.journal_key FROM journal_key_history h JOIN terminal t ON t.terminal_id = h.terminal_id WHERE t.store_id = $1 ORDER BY h.terminal_id, h.position',
      [storeId],
    );
    for (const k of keys) retired.set(k.terminal_id, [...(retired.get(k.terminal_id) ?? []), k.journal_key]);
  }
  return {
    storeId,
    issuedAt: now.toISOString(),
    terminals: rows.map((r) => ({
      terminalId: r.terminal_id,
      laneId: r.lane_id,
      publicKey: r.public_key,
      journalKey: r.journal_key,
      ...(retired.has(r.terminal_id) ? { retiredJournalKeys: retired.get(r.terminal_id) } : {}),
      address: r.peer_address,
      hqAckedThrough: Number(r.acked_through),
      lastContact: r.last_contact,
    })),
  };
}
