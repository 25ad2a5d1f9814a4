/**
 * The check of a piece of a terminal's journal chain, as every receiver of its sales makes it: HQ
 * (hq/chain.ts, hq/store.ts) and the store's other tills keeping a copy (core/peers/copies.ts). A
 * batch carries the sales' journal entries and the entries between them (protocol/hq.ts `links`):
 * one contiguous piece of the chain, from the entry after the previous sale's through the last sale's.
 *
 * Every entry's hash is recomputed from its content and the hash before it; the signature of the
 * piece's last signed entry is verified with the terminal's journal key. Because each hash covers
 * the one before, that one signature vouches for every entry before it in the piece (one Ed25519
 * verification per batch, not per sale: ~100 µs each would cap ingest far below its 20,000
 * sales/s). Unsigned entries pass only inside a journalled signer outage, as the terminal's own
 * verifier rules (core/journal). Where the piece meets what the receiver already holds is the
 * receiver's to check (hq/chain-join.ts, core/peers/copies.ts): a piece that does not continue
 * from it is a fork or a rewritten journal.
 *
 * Hashes and verifies with node:crypto: the terminal and HQ use it, the renderer never does.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { SalesBatch } from './hq';
import { ED25519_SPKI_PREFIX, entryHash, keyIdOfRaw } from './journal-chain';

export interface ChainPoint {
  seq: number;
  hash: string;
}

export type ChainCheck =
  | {
      ok: true;
      /** The entry the piece continues from (seq 0 and the genesis hash at the chain's start). */
      from: ChainPoint;
      /** The piece's last entry: the chain head the receiver records for this batch. */
      head: ChainPoint;
      /** Whether the terminal's signer is out at the head (its next piece may start unsigned). */
      outage: boolean;
      /** Each sale's own entry, by the sale's sequence. */
      bySequence: Map<number, ChainPoint>;
      /** Sales whose upload does not say what their entry says (another sale id or kind): quarantined one by one. */
      mislabelled: Map<number, string>;
      /** The key in force at the head (index into the key ring; 0 for a single key). */
      keyIndex: number;
    }
  | { ok: false; reason: string };

const SALE_KINDS: Record<string, string> = { sale: 'sale.completed', return: 'sale.return' };

/** The journal entries that are a sale's (or return's) own. */
export const SALE_ENTRY_KINDS: ReadonlySet<string> = new Set(Object.values(SALE_KINDS));

/** A terminal's enrolled journal key, ready to verify with. */
export interface JournalKey {
  keyId: string;
  key: KeyObject;
}

export function journalKey(rawBase64url: string): JournalKey {
  return { keyId: keyIdOfRaw(rawBase64url), key: createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(rawBase64url, 'base64url')]), format: 'der', type: 'spki' }) };
}

/** Journal keys as key objects, made once each (HQ's ingest and a till's peer copies check batch after batch with the same few keys). */
export class JournalKeys {
  private readonly made = new Map<string, JournalKey>();

  key(raw: string): JournalKey {
    let k = this.made.get(raw);
    if (!k) this.made.set(raw, (k = journalKey(raw)));
    return k;
  }
}

/**
 * A terminal's journal keys, oldest first: the one it enrolled, then one for each time it was
 * reflashed (issue 19: a till provisioned again for its lane keeps its terminal id and chain but
 * signs with a new key). `from`: the lowest index a piece may start in — the key in force where the
 * receiver's held chain ends (0 when it holds none; receivers that cannot tell give the newest key
 * whose switch they saw). A piece moves to a later key only at a `terminal.recovered` entry signed
 * with it (RECOVERED_KIND), which names the key before it and continues from the entry before:
 * an entry signed with an older key after that is refused, so a retired key cannot continue the chain.
 */
export interface KeyRing {
  keys: readonly JournalKey[];
  from: number;
  /** The piece continues the receiver's held chain right where it ends: it must start in key `from` (a later one only by its switch entry). */
  exact?: boolean;
}

/** The entry a reflashed till writes first (core/peers/recover.ts): its new key takes over the chain from here. */
export const RECOVERED_KIND = 'terminal.recovered';

/** What the `terminal.recovered` entry says (core/journal/kinds.ts): the key it retires and the entry it continues from. */
interface RecoveredBody {
  previousKeyId?: unknown;
  through?: { seq?: unknown; hash?: unknown };
}

/** A `terminal.recovered` entry's body as written, unchecked; null when it is not JSON. */
export function recoveredBody(body: string): RecoveredBody | null {
  try {
    return JSON.parse(body) as RecoveredBody;
  } catch {
    return null;
  }
}

/** Why a key switch at entry `e` (signed with ring key `to`, following key `cur`) is not one; null when it is. */
function badSwitch(e: { seq: number; kind: string; prevHash: string; body: string }, ring: KeyRing, cur: number, to: number): string | null {
  if (e.kind !== RECOVERED_KIND) return `journal entry ${e.seq} is signed with key ${ring.keys[to]!.keyId}, not the key in force there (${ring.keys[cur]!.keyId}): a key takes over only at a ${RECOVERED_KIND} entry`;
  const b = recoveredBody(e.body);
  if (!b) return `journal entry ${e.seq} (${RECOVERED_KIND}) has no readable body`;
  if (b.previousKeyId !== ring.keys[cur]!.keyId || b.through?.seq !== e.seq - 1 || b.through?.hash !== e.prevHash)
    return `journal entry ${e.seq} (${RECOVERED_KIND}) does not name the key and entry it continues from`;
  return null;
}

/**
 * Checks the piece of chain a batch carries. `keys`: the terminal's journal key, or its key ring
 * (reflashed terminals). `outageBefore`: the terminal's signer was out at the entry the piece
 * continues from (its unsigned entries may continue). The first failure is the reason.
 */
export function checkChain(batch: SalesBatch, keys: JournalKey | KeyRing | null, outageBefore: boolean): ChainCheck {
  if (!keys) return { ok: false, reason: 'the terminal enrolled no journal key: its sales cannot be checked' };
  const ring: KeyRing = 'keys' in keys ? keys : { keys: [keys], from: 0 };
  if (!ring.keys.length) return { ok: false, reason: 'the terminal enrolled no journal key: its sales cannot be checked' };
  type Entry = NonNullable<SalesBatch['sales'][number]['entry']> & { body: string };
  const entries: Entry[] = [...(batch.links ?? [])];
  const bySequence = new Map<number, ChainPoint>();
  const mislabelled = new Map<number, string>();
  for (const s of batch.sales) {
    const e = s.entry;
    if (!e) return { ok: false, reason: `sale ${s.sequence} came without its journal entry` };
    if (e.kind !== SALE_KINDS[s.kind] || e.ref !== s.saleId) mislabelled.set(s.sequence, `journal entry ${e.seq} is ${e.kind} ${e.ref ?? ''}, not the ${s.kind} ${s.saleId} it was sent as`);
    entries.push({ ...e, body: s.body });
    bySequence.set(s.sequence, { seq: e.seq, hash: e.hash });
  }
  entries.sort((a, b) => a.seq - b.seq);
  const first = entries[0];
  if (!first) return { ok: false, reason: 'the batch carries no journal entries' };
  let prev = first.prevHash;
  let inOutage = outageBefore;
  /** The key in force (index into the ring; -1 until the piece's first signed entry picks one at or after ring.from), and the last entry it signed. */
  let cur = ring.exact ? ring.from : -1;
  let lastSigned: Entry | null = null;
  /** Each key's last entry in the piece, verified at the end: one signature per key vouches for its part. */
  const toVerify: Array<{ e: Entry; key: JournalKey }> = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.seq !== first.seq + i) return { ok: false, reason: `journal entry ${first.seq + i} is missing between the batch's entries (a gap in the chain)` };
    if (e.prevHash !== prev) return { ok: false, reason: `journal entry ${e.seq} does not follow entry ${e.seq - 1} (previous hash differs)` };
    if (entryHash(prev, e) !== e.hash) return { ok: false, reason: `journal entry ${e.seq} does not hash to what the terminal sent (altered content)` };
    if (e.kind === 'signer.outage.start') inOutage = true;
    else if (e.kind === 'signer.outage.end') inOutage = false;
    if (e.signature === null) {
      if (!inOutage && e.kind !== 'signer.outage.start') return { ok: false, reason: `journal entry ${e.seq} is not signed, outside a signer outage` };
    } else {
      const k = ring.keys.findIndex((x) => x.keyId === e.keyId);
      if (k < 0) return { ok: false, reason: `journal entry ${e.seq} is signed with key ${e.keyId ?? '?'}, not the terminal's enrolled key ${ring.keys[ring.keys.length - 1]!.keyId}` };
      if (cur < 0) {
        if (k < ring.from) return { ok: false, reason: `journal entry ${e.seq} is signed with key ${e.keyId}, which the terminal retired before this entry (its chain went on with key ${ring.keys[ring.from]!.keyId})` };
        if (k > ring.from && e.kind === RECOVERED_KIND) cur = k - 1; // the piece starts at the switch itself: checked below against the key before
        else cur = k;
      }
      if (k !== cur) {
        if (k < cur) return { ok: false, reason: `journal entry ${e.seq} is signed with key ${e.keyId}, which the terminal retired at an earlier entry (a retired key cannot continue the chain)` };
        const bad = badSwitch(e, ring, cur, k);
        if (bad) return { ok: false, reason: bad };
        if (lastSigned) toVerify.push({ e: lastSigned, key: ring.keys[cur]! });
        toVerify.push({ e, key: ring.keys[k]! });
        cur = k;
      }
      lastSigned = e;
    }
    prev = e.hash;
  }
  if (lastSigned) toVerify.push({ e: lastSigned, key: ring.keys[cur]! });
  for (const { e, key } of toVerify) {
    if (!entrySignatureValid(e, key)) return { ok: false, reason: `journal entry ${e.seq}'s signature does not verify with the terminal's ${key === ring.keys[ring.keys.length - 1] ? 'enrolled' : 'earlier'} key` };
  }
  const last = entries[entries.length - 1]!;
  return { ok: true, from: { seq: first.seq - 1, hash: first.prevHash }, head: { seq: last.seq, hash: last.hash }, outage: inOutage, bySequence, mislabelled, keyIndex: Math.max(cur, ring.from) };
}

/** Whether a signed entry's Ed25519 signature (base64, over its hash's 32 bytes) verifies with the key. */
export function entrySignatureValid(e: { hash: string; signature: string | null }, key: JournalKey): boolean {
  if (e.signature === null) return false;
  try {
    return verify(null, Buffer.from(e.hash, 'hex'), key.key, Buffer.from(e.signature, 'base64'));
  } catch {
    return false;
  }
}
