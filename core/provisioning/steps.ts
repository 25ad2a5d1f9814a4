/**
 * The steps of provisioning a terminal, shared by store IT's command line (core/provision.ts) and
 * the first-boot screen (flow.ts): enroll with HQ (the store and lane checked), pin HQ's catalog
 * keys, get a reflashed lane's journal back from its peers, pull the catalog. Each step tells what
 * it did through `on`; a failure is a ProvisioningError with a code the screen words and the
 * detail (HQ's or the file's own words) the command line prints.
 */
import { performance } from 'node:perf_hooks';
import type { ProvisioningFile } from '../../protocol/provisioning';
import type { ProvisioningFailure } from '../../protocol/terminal';
import { ed25519PublicKey } from '../../protocol/journal-chain';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { recoverFromPeers, type RecoveryResult, type Reflash } from '../peers/recover';
import { recoverFromHq, recoverySource, type HqRecoveryResult } from '../peers/recover-hq';
import { RecoveryError } from '../peers/recover-store';
import { CatalogUpdater, pinCatalogKey, type CatalogStatus } from '../sync/catalog';
import { enroll, HqRequestError, loadHqLink, type HqLink } from '../sync/link';
import { SOFTWARE_VERSION } from '../sync/report';
import { CatalogSyncRepo } from '../sync/repo';

export type ProvisionEvent =
  | { step: 'enrolling'; hq: string; was: string | null }
  | { step: 'enrolled'; terminalId: string; storeId: string; laneId: string; hq: string; reflash: Reflash | null }
  | { step: 'recovering'; source: 'peers' | 'hq'; asked: boolean }
  | { step: 'recovered'; source: 'peers'; result: RecoveryResult; seconds: number }
  | { step: 'recovered'; source: 'hq'; result: HqRecoveryResult; seconds: number }
  | { step: 'catalog'; version: number; done: number; total: number };

export interface StepOptions {
  /** The lane's database file: the catalog download lands beside it. */
  dbPath: string;
  now: Clock;
  log: (line: string) => void;
  on?: (e: ProvisionEvent) => void;
  fetchFn?: typeof fetch;
  /** How long peer recovery keeps asking while no peer answers (core/peers/recover.ts; default 2 minutes). */
  recoveryWaitMs?: number;
  /** One request to HQ may take this long (ms). */
  timeoutMs?: number;
  /**
   * How long one transaction of the catalog's load may hold the database (ms; default 3, for a lane
   * that may be selling meanwhile: store IT's command line beside a running core). The first-boot
   * screen, where the lane refuses commands until it is ready, takes FIRST_BOOT_SLICE_MS.
   */
  catalogSliceMs?: number;
}

/**
 * Catalog load transactions at first boot: long enough that their commits (each a flush to disk)
 * no longer dominate, short enough that the event loop still turns several times a second for the
 * watchdog (core/sd-notify.ts) and the screen's snapshots, even on a slow terminal.
 */
export const FIRST_BOOT_SLICE_MS = 100;

export class ProvisioningError extends Error {
  constructor(
    readonly code: ProvisioningFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Why a step failed, as the screen's code; the message stays the detail. */
export function failureOf(err: unknown): ProvisioningError {
  if (err instanceof ProvisioningError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof RecoveryError) return new ProvisioningError('recoveryFailed', message);
  if (err instanceof HqRequestError) {
    if (err.code === 'WRONG_LANE') return new ProvisioningError('wrongLane', message);
    if (err.code === 'WRONG_STORE') return new ProvisioningError('wrongStore', message);
    if (err.status === 0 || err.status >= 500 || err.code === 'BAD_RESPONSE') return new ProvisioningError('hqUnreachable', message);
    if (/already used/.test(message)) return new ProvisioningError('tokenUsed', message);
    if (/expired/.test(message)) return new ProvisioningError('tokenExpired', message);
    if (/unknown enrollment token/.test(message)) return new ProvisioningError('tokenUnknown', message);
    return new ProvisioningError('hqRefused', `${err.code}: ${message}`);
  }
  // fetch's own failures: no route, refused, a timeout.
  if (err instanceof TypeError || (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))) {
    const cause = (err as Error & { cause?: unknown }).cause;
    return new ProvisioningError('hqUnreachable', `HQ could not be reached: ${cause instanceof Error ? cause.message : message}`);
  }
  return new ProvisioningError('hqRefused', message);
}

/** Checks the payload's catalog keys are keys at all (before the token is used: a typo must not use it up). */
export function checkCatalogKeys(keys: readonly string[]): void {
  for (const k of keys) {
    try {
      ed25519PublicKey(k);
    } catch {
      throw new ProvisioningError('catalogKey', `catalog key ${k.slice(0, 8)}… is not an Ed25519 public key (43 characters of base64url)`);
    }
  }
}

/**
 * Enrolls with the payload's token (HQ checks the store and lane it names first) and pins its catalog
 * keys; returns the link and the keys this pinned that were not pinned before (taken back by
 * `unpinKeys` when the catalog turns out not to be signed by them).
 */
export async function enrollStep(db: Db, p: ProvisioningFile, o: StepOptions): Promise<{ link: HqLink; reflash: Reflash | null; pinned: string[] }> {
  const keys = p.catalogKeys ?? [];
  checkCatalogKeys(keys);
  o.on?.({ step: 'enrolling', hq: p.hq, was: loadHqLink(db, o.now)?.terminalId ?? null });
  const expect = { ...(p.store !== undefined ? { storeId: p.store } : {}), ...(p.lane !== undefined ? { laneId: p.lane } : {}) };
  let r;
  try {
    r = await enroll(db, p.hq, p.token, SOFTWARE_VERSION, o.fetchFn ?? fetch, o.now, expect);
  } catch (err) {
    throw failureOf(err);
  }
  const pinned = pinKeys(db, keys, o.now);
  const link = loadHqLink(db, o.now)!;
  o.on?.({ step: 'enrolled', terminalId: r.terminalId, storeId: r.storeId, laneId: r.laneId, hq: p.hq, reflash: r.reflash ?? null });
  return { link, reflash: r.reflash ?? null, pinned };
}

/** Pins keys; returns the ids of those that were not pinned before. */
export function pinKeys(db: Db, keys: readonly string[], now: Clock): string[] {
  const before = new Set(new CatalogSyncRepo(db).pinnedKeys().map((k) => k.keyId));
  const added: string[] = [];
  for (const k of keys) {
    const id = pinCatalogKey(db, k, now());
    if (!before.has(id) && !added.includes(id)) added.push(id);
  }
  return added;
}

export function unpinKeys(db: Db, keyIds: readonly string[]): void {
  const repo = new CatalogSyncRepo(db);
  for (const id of keyIds) repo.unpinKey(id);
}

/**
 * A reflashed lane's journal and sales back from the store's other tills (core/peers/recover.ts), or
 * from HQ when the store has no other till or store IT asks (`fromHq`; core/peers/recover-hq.ts).
 */
export async function recoverStep(db: Db, link: HqLink, reflash: Reflash, o: StepOptions, fromHq = false): Promise<void> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const source = recoverySource(db, link, reflash, fromHq);
    o.on?.({ step: 'recovering', source, asked: fromHq });
    const common = { now: o.now, log: o.log, ...(o.fetchFn ? { fetchFn: o.fetchFn } : {}) };
    if (source === 'hq') {
      const result = await recoverFromHq(db, link, reflash, { ...common, ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) });
      o.on?.({ step: 'recovered', source, result, seconds: seconds() });
      return;
    }
    const result = await recoverFromPeers(db, link, reflash, { ...common, ...(o.recoveryWaitMs !== undefined ? { waitMs: o.recoveryWaitMs } : {}) });
    o.on?.({ step: 'recovered', source, result, seconds: seconds() });
  } catch (err) {
    throw failureOf(err);
  }
}

/** One check-in and catalog pull, its progress (items applied of the catalog's) told as it goes. */
export async function catalogStep(db: Db, link: HqLink, o: StepOptions & { progressMs?: number }): Promise<CatalogStatus> {
  const updater = new CatalogUpdater(db, link, { now: o.now, downloadPath: `${o.dbPath}.catalog-download`, log: o.log, ...(o.fetchFn ? { fetchFn: o.fetchFn } : {}), ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}), ...(o.catalogSliceMs ? { sliceMs: o.catalogSliceMs } : {}) });
  let last = '';
  const tell = () => {
    const a = updater.status().applying;
    if (!a) return;
    const key = `${a.version} ${a.done} ${a.total}`;
    if (key !== last) o.on?.({ step: 'catalog', version: a.version, done: a.done, total: a.total });
    last = key;
  };
  const timer = setInterval(tell, o.progressMs ?? 250);
  timer.unref();
  try {
    const st = await updater.check();
    o.on?.({ step: 'catalog', version: st.version, done: st.items, total: st.items });
    return st;
  } finally {
    clearInterval(timer);
  }
}

/** A catalog check that left the terminal without a catalog, as the screen's code. */
export function catalogFailure(st: CatalogStatus): ProvisioningError {
  const e = st.lastError ?? '';
  if (/UNKNOWN_KEY|NO_KEYS|BAD_SIGNATURE|UNSIGNED/.test(e)) return new ProvisioningError('catalogKey', e);
  if (/check-in failed: (NETWORK|BAD_RESPONSE)|download failed: NETWORK/.test(e)) return new ProvisioningError('hqUnreachable', e);
  if (e) return new ProvisioningError('catalogFailed', e);
  return new ProvisioningError('noCatalog', 'HQ has no catalog for this terminal yet: publish one at HQ (npm run hq:publish)');
}
