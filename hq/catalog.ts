/**
 * Catalog publishing at HQ: reads items, prices and promotions from CSV or JSON, validates the
 * whole catalog, and publishes a new numbered version as a full snapshot plus a delta from the
 * version before, both gzip-compressed NDJSON, each described by a manifest signed with HQ's
 * catalog key. The server only stores and serves what was published; the private key stays with
 * the publishing tool.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CATALOG_FORMAT, CatalogRecordSchema, type CatalogManifest, type CatalogRecord, type SignedManifest } from '../protocol/catalog';
import type { OsManifest } from '../protocol/os-update';
import { newestHeld } from './held';
import type { HqStore } from './store';
import { emptyContent, PublishError, validateContent, type CatalogContent } from './catalog-input';

export { applyItemsCsv, applyJsonInput, applyPricesCsv, emptyContent, parseCsv, PublishError, toLookupCode, validateContent, type CatalogContent } from './catalog-input';

export class CatalogSigner {
  readonly publicKey: string;
  readonly keyId: string;
  constructor(private readonly key: KeyObject) {
    const raw = createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(12);
    this.publicKey = raw.toString('base64url');
    this.keyId = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  }
  /** A catalog manifest, or an OS bundle's (protocol/os-update.ts; its `format` keeps the two apart). */
  sign(manifest: CatalogManifest | OsManifest): SignedManifest {
    const text = JSON.stringify(manifest);
    return { manifest: text, keyId: this.keyId, signature: sign(null, Buffer.from(text), this.key).toString('base64url') };
  }
}

/** The catalog signing key (PKCS#8 PEM, readable by its owner only); made on first use. */
export function loadOrCreateCatalogKey(path: string): { signer: CatalogSigner; created: boolean } {
  if (existsSync(path)) return { signer: new CatalogSigner(createPrivateKey(readFileSync(path))), created: false };
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  return { signer: new CatalogSigner(privateKey), created: true };
}

// ---------------------------------------------------------------------------------------------
// Payloads
// ---------------------------------------------------------------------------------------------

const byId = <T extends { id: string }>(m: Map<string, T>) => [...m.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Full snapshot order: VAT classes, departments, deposit items, other items, promotions. */
export function fullRecords(c: CatalogContent): CatalogRecord[] {
  const items = byId(c.items);
  return [...byId(c.vat), ...byId(c.dept), ...items.filter((i) => i.isDeposit), ...items.filter((i) => !i.isDeposit), ...byId(c.promos), ...giftRanges(c)];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Gift card ranges by prefix: every full snapshot and delta carries them all (the terminal replaces its own with them). */
const giftRanges = (c: CatalogContent) => [...c.gift.values()].sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));

/** What changed from `prev` to `next`: every VAT class, department and gift card range, changed items and promotions, removals. */
export function deltaRecords(prev: CatalogContent, next: CatalogContent): CatalogRecord[] {
  const changed = byId(next.items).filter((i) => !same(prev.items.get(i.id), i));
  const out: CatalogRecord[] = [...byId(next.vat), ...byId(next.dept), ...changed.filter((i) => i.isDeposit), ...changed.filter((i) => !i.isDeposit)];
  for (const p of byId(next.promos)) if (!same(prev.promos.get(p.id), p)) out.push(p);
  for (const id of [...prev.items.keys()].sort()) if (!next.items.has(id)) out.push({ t: 'del', id });
  for (const id of [...prev.promos.keys()].sort()) if (!next.promos.has(id)) out.push({ t: 'delPromo', id });
  out.push(...giftRanges(next));
  return out;
}

export function encodePayload(records: CatalogRecord[]): Buffer {
  const parts: string[] = [];
  for (const r of records) parts.push(JSON.stringify(r));
  return gzipSync(parts.join('\n') + '\n', { level: 6 });
}

export function decodePayload(gz: Buffer): CatalogContent {
  const c = emptyContent();
  for (const line of gunzipSync(gz).toString('utf8').split('\n')) {
    if (!line) continue;
    const r = CatalogRecordSchema.parse(JSON.parse(line));
    if (r.t === 'vat') c.vat.set(r.id, r);
    else if (r.t === 'dept') c.dept.set(r.id, r);
    else if (r.t === 'item') c.items.set(r.id, r);
    else if (r.t === 'promo') c.promos.set(r.id, r);
    else if (r.t === 'giftRange') c.gift.set(r.prefix, r);
  }
  return c;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function writePayload(dir: string, gz: Buffer): string {
  mkdirSync(dir, { recursive: true });
  const hash = sha256(gz);
  const file = join(dir, `${hash}.ndjson.gz`);
  if (!existsSync(file)) {
    writeFileSync(`${file}.tmp`, gz);
    renameSync(`${file}.tmp`, file);
  }
  return hash;
}

export const payloadPath = (dir: string, hash: string) => join(dir, `${hash}.ndjson.gz`);

/** The content of the newest published version (empty when nothing was published yet). */
export async function latestContent(store: HqStore, dir: string): Promise<{ version: number; content: CatalogContent }> {
  const latest = await store.latestCatalog();
  if (!latest) return { version: 0, content: emptyContent() };
  return { version: latest.version, content: decodePayload(readFileSync(payloadPath(dir, latest.full_sha256))) };
}

export interface PublishResult {
  version: number;
  items: number;
  full: { sha256: string; size: number };
  delta: { sha256: string; size: number; records: number } | null;
}

/**
 * Publishes `next` as the version after the newest one: full snapshot, delta from the previous
 * version, both signed. Refuses an invalid catalog (every problem listed) and an unchanged one.
 */
export async function publishCatalog(
  store: HqStore,
  dir: string,
  signer: CatalogSigner,
  next: CatalogContent,
  opts: { now?: Date; ttlMs?: number; prev?: { version: number; content: CatalogContent } } = {},
): Promise<PublishResult | null> {
  const problems = validateContent(next);
  if (problems.length) throw new PublishError(problems);
  const prev = opts.prev ?? (await latestContent(store, dir));
  const full = fullRecords(next);
  if (prev.version > 0 && same(fullRecords(prev.content), full)) return null;
  // Past what any terminal holds too (an HQ restored from an older backup, hq/held.ts); a delta only from the version just before.
  const version = Math.max(prev.version, (await newestHeld(store.sql)).catalog) + 1;
  const delta = prev.version > 0 && version === prev.version + 1 ? deltaRecords(prev.content, next) : null;
  const now = opts.now ?? store.now();
  const expiresAt = new Date(now.getTime() + (opts.ttlMs ?? 7 * 24 * 3600_000)).toISOString();
  const manifest = (kind: 'full' | 'delta', gz: Buffer, hash: string, records: CatalogRecord[]): CatalogManifest => ({
    format: CATALOG_FORMAT,
    kind,
    version,
    baseVersion: kind === 'delta' ? prev.version : null,
    publishedAt: now.toISOString(),
    expiresAt,
    sha256: hash,
    size: gz.length,
    records: records.length,
    items: records.filter((r) => r.t === 'item').length,
  });
  const fullGz = encodePayload(full);
  const fullHash = writePayload(dir, fullGz);
  let deltaOut: PublishResult['delta'] = null;
  let deltaSigned: SignedManifest | null = null;
  if (delta) {
    const gz = encodePayload(delta);
    const hash = writePayload(dir, gz);
    deltaSigned = signer.sign(manifest('delta', gz, hash, delta));
    deltaOut = { sha256: hash, size: gz.length, records: delta.length };
  }
  await store.insertCatalogVersion({
    version,
    publishedAt: now.toISOString(),
    items: next.items.size,
    full: signer.sign(manifest('full', fullGz, fullHash, full)),
    fullSha256: fullHash,
    delta: deltaSigned,
    deltaSha256: deltaOut?.sha256 ?? null,
  });
  return { version, items: next.items.size, full: { sha256: fullHash, size: fullGz.length }, delta: deltaOut };
}

/** Re-signs the newest version's manifests with a later expiry (run regularly, e.g. daily). */
export async function refreshCatalog(store: HqStore, signer: CatalogSigner, opts: { now?: Date; ttlMs?: number } = {}): Promise<number | null> {
  const latest = await store.latestCatalog();
  if (!latest) return null;
  const expiresAt = new Date((opts.now ?? store.now()).getTime() + (opts.ttlMs ?? 7 * 24 * 3600_000)).toISOString();
  const resign = (s: SignedManifest | null) => (s ? signer.sign({ ...(JSON.parse(s.manifest) as CatalogManifest), expiresAt }) : null);
  await store.updateCatalogManifests(latest.version, resign(latest.full)!, resign(latest.delta));
  return latest.version;
}
