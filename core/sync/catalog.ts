/**
 * The terminal's catalog updater. At each check-in it tells HQ its state and gets the newest
 * catalog offered; it takes the delta when it applies on top of the version in use, otherwise the
 * full snapshot. Before anything touches the database: the manifest must be signed by a key pinned
 * on this terminal, must not be older than the version in use, and the downloaded payload must have
 * the manifest's hash and size. Refusals are recorded and reported; the lane keeps selling from the
 * catalog it has. Expired metadata only raises a "prices may be stale" warning.
 */
import { createHash, verify, type KeyObject } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { CatalogManifestSchema, SignedManifestSchema, type CatalogManifest, type Checkin } from '../../protocol/catalog';
import { z } from 'zod';
import type { Db } from '../db';
import { applyCatalogPayload, appliedCatalogVersion, catalogDeltaInterrupted, CatalogRefusal, cleanUpCatalogStaging } from '../catalog/apply';
import { HqRequestError, signedGet, signedPost, type HqLink } from './link';
import { CatalogSyncRepo } from './repo';
import { RosterRepo } from '../peers/roster';
import { staffIntake, storeRecordIntake, type StoreDocumentIntake } from './store-record';
import { systemClock } from '../clock';
import { Backoff } from '../../common/backoff';
import { ed25519PublicKey } from '../../protocol/journal-chain';
import type { OsUpdater, OsUpdateStatus } from './os-update';

export interface CatalogStatus {
  /** HQ catalog version in use (0: none from HQ yet). */
  version: number;
  items: number;
  publishedAt: string | null;
  appliedAt: string | null;
  expiresAt: string | null;
  /** The catalog's signed metadata has expired: prices may be stale (selling goes on). */
  stale: boolean;
  lastCheck: string | null;
  /** The last refusal or failure, with its reason; null after a good check. */
  lastError: string | null;
  applying: { version: number; kind: 'full' | 'delta'; done: number; total: number } | null;
  /** OS updates (a terminal running the kiosk image only; core/sync/os-update.ts). */
  os?: OsUpdateStatus | null;
}

export interface CatalogUpdaterOptions {
  /** Where the payload is downloaded before it is checked (a file path; replaced each time). */
  downloadPath: string;
  fetchFn?: typeof fetch;
  now?: () => Date;
  log?: (line: string) => void;
  timeoutMs?: number;
  /** What the terminal reports at check-in (besides its catalog). */
  report?: () => Omit<Checkin, 'catalog' | 'clock'>;
  /** Called after a new version is in use (promotions are reloaded, the UI refreshed). */
  onApplied?: (version: number) => void;
  /** A staff list from HQ was applied (a signed-in operator it removed is signed out: core/operators/removed.ts). */
  onStaffApplied?: () => void;
  chunk?: number;
  /**
   * How long one staging transaction of a full snapshot may take (ms; default 3, so a scan never
   * waits for one). First-boot provisioning, with no lane selling yet, takes longer ones: far fewer
   * commits, each of which costs a flush to disk (core/catalog/apply.ts).
   */
  sliceMs?: number;
  /** Where this terminal's peer listener is (host:port), told HQ at check-in for the store roster; null or left out: none. */
  peerAddress?: string | null;
  /** OS updates: the check-in says which OS runs, and HQ's OS offer goes to it (core/sync/os-update.ts). */
  os?: Pick<OsUpdater, 'checkin' | 'offer' | 'status'>;
}


export function catalogKeyId(rawPublicKey: string): string {
  return createHash('sha256').update(Buffer.from(rawPublicKey, 'base64url')).digest('hex').slice(0, 16);
}

/** Pins a catalog signing key (raw Ed25519 public key, base64url) on this terminal. */
export function pinCatalogKey(db: Db, rawPublicKey: string, now = systemClock()): string {
  if (!/^[A-Za-z0-9_-]{43}$/.test(rawPublicKey)) throw new Error('a catalog key is a raw Ed25519 public key: 43 characters of base64url');
  ed25519PublicKey(rawPublicKey); // throws on a key that is not one
  const id = catalogKeyId(rawPublicKey);
  new CatalogSyncRepo(db).pinKey(id, rawPublicKey, now.toISOString());
  return id;
}

function pinnedKeys(repo: CatalogSyncRepo): Map<string, KeyObject> {
  return new Map(repo.pinnedKeys().map((k) => [k.keyId, ed25519PublicKey(k.publicKey)]));
}

/** Checks a signed manifest against the pinned keys; returns the manifest or throws CatalogRefusal. */
export function verifyManifest(signed: unknown, keys: Map<string, KeyObject>): CatalogManifest {
  const s = SignedManifestSchema.safeParse(signed);
  if (!s.success) throw new CatalogRefusal('UNSIGNED', 'the catalog manifest is not signed (or not in the signed form)');
  if (keys.size === 0) throw new CatalogRefusal('NO_KEYS', 'no catalog key is pinned on this terminal: store IT must provision one (provision --catalog-key)');
  const key = keys.get(s.data.keyId);
  if (!key) throw new CatalogRefusal('UNKNOWN_KEY', `the catalog is signed by key ${s.data.keyId}, which this terminal does not trust`);
  if (!verify(null, Buffer.from(s.data.manifest), key, Buffer.from(s.data.signature, 'base64url'))) throw new CatalogRefusal('BAD_SIGNATURE', 'the catalog manifest signature does not verify: it was altered or forged');
  let json: unknown;
  try {
    json = JSON.parse(s.data.manifest);
  } catch {
    throw new CatalogRefusal('UNSIGNED', 'the signed catalog manifest is not JSON');
  }
  const m = CatalogManifestSchema.safeParse(json);
  if (!m.success) throw new CatalogRefusal('UNSIGNED', `the signed catalog manifest is not understood: ${m.error.issues[0]?.path.join('.')}: ${m.error.issues[0]?.message}`);
  return m.data;
}

/**
 * HQ's offer as the terminal reads it: the manifests are checked by verifyManifest, not here (an
 * unsigned one is an UNSIGNED refusal), and the store roster by RosterRepo.store.
 */
const OfferSchema = z.object({ full: z.record(z.string(), z.unknown()).nullable(), delta: z.record(z.string(), z.unknown()).nullable(), roster: z.unknown().optional(), os: z.unknown().optional(), staff: z.unknown().optional(), legal: z.unknown().optional() }).strict();
type Offer = z.infer<typeof OfferSchema>;

export class CatalogUpdater {
  private lastError: string | null = null;
  private lastCheck: string | null = null;
  private applying: CatalogStatus['applying'] = null;
  private busy: Promise<unknown> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private online = false;
  private items: number;
  private readonly repo: CatalogSyncRepo;
  private readonly rosters: RosterRepo;
  /** Why the last store roster HQ sent was refused (null: the last one was kept), and when. */
  private rosterRefusal: { reason: string; at: string } | null = null;
  /** HQ's signed store documents taken at check-in (core/sync/store-record.ts): the staff list and the store's record (its legal particulars). */
  private readonly intakes: StoreDocumentIntake[];

  constructor(
    private readonly db: Db,
    private readonly link: HqLink,
    private readonly opts: CatalogUpdaterOptions,
  ) {
    this.repo = new CatalogSyncRepo(db);
    this.rosters = new RosterRepo(db);
    this.intakes = [staffIntake(db, opts.log, opts.onStaffApplied), storeRecordIntake(db, opts.log)];
    const s = this.repo.state();
    this.lastCheck = s.lastCheck;
    this.lastError = s.lastError;
    this.items = this.countItems();
  }

  private now(): Date {
    return (this.opts.now ?? systemClock)();
  }

  private countItems(): number {
    return this.repo.itemCount();
  }

  /** True while HQ answered the last check-in. */
  get reachable(): boolean {
    return this.online;
  }

  status(): CatalogStatus {
    const expiresAt = this.repo.meta('expires_at');
    const version = this.repo.meta('hq_version');
    return {
      version: version ? Number(version) : 0,
      items: this.items,
      publishedAt: this.repo.meta('published_at'),
      appliedAt: this.repo.meta('applied_at'),
      expiresAt,
      stale: expiresAt !== null && expiresAt < this.now().toISOString(),
      lastCheck: this.lastCheck,
      lastError: this.lastError,
      applying: this.applying,
      ...(this.opts.os ? { os: this.opts.os.status() } : {}),
    };
  }

  private record(error: string | null): void {
    const at = this.now().toISOString();
    this.lastCheck = at;
    this.lastError = error;
    this.repo.recordCheck(at, error);
    if (error) this.opts.log?.(`catalog: ${error}`);
  }

  /** Checks in every `everyMs` (sooner after a failure, with backoff); the first check at once. */
  start(everyMs = 5 * 60_000): void {
    const backoff = new Backoff({ minMs: Math.min(4_000, everyMs), maxMs: everyMs, jitter: 0.5 }); // the first retry after 4 s
    const tick = async () => {
      let ok = true;
      try {
        await this.check();
        ok = this.online;
      } catch {
        ok = false;
      }
      if (ok) backoff.reset();
      this.timer = setTimeout(() => void tick(), ok ? everyMs : backoff.next());
      this.timer.unref();
    };
    const cut = catalogDeltaInterrupted(this.db);
    if (cut !== null) this.record(`the update to catalog version ${cut} was cut short (the terminal stopped); it is applied again now`);
    void cleanUpCatalogStaging(this.db).then(tick);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One check-in and, when HQ offers a newer catalog, its installation. One at a time. */
  async check(): Promise<CatalogStatus> {
    while (this.busy) await this.busy.catch(() => {});
    const run = this.checkOnce();
    this.busy = run;
    try {
      await run;
    } finally {
      this.busy = null;
    }
    return this.status();
  }

  /**
   * Tells HQ this terminal's state; returns HQ's catalog offer, or null (recorded) when HQ cannot be
   * reached or its offer is not one. The offer's manifests are read as they came: one that is not
   * signed is refused by the signature check (UNSIGNED), like every other refusal, and reported to
   * HQ as an alert at the next check-in; an answer that is no offer at all is refused and reported too.
   */
  private async checkIn(): Promise<Offer | null> {
    const st = this.status();
    const report = this.opts.report?.() ?? { softwareVersion: '0.1.0', backlog: { count: 0, oldestAt: null }, devices: [], alerts: [] };
    const r = this.rosterRefusal;
    const refusals = [...(r ? [{ code: 'ROSTER_REFUSED', message: r.reason.slice(0, 300), since: r.at }] : []), ...this.intakes.flatMap((i) => i.alerts())];
    const alerts = [...report.alerts.slice(0, 64 - refusals.length), ...refusals];
    const held = Object.assign({}, ...this.intakes.map((i) => i.checkin())) as Record<string, unknown>;
    const body = { ...report, alerts, clock: this.now().toISOString(), catalog: { version: st.version, expiresAt: st.expiresAt }, peerAddress: this.opts.peerAddress ?? null, ...held, ...(this.opts.os ? { os: this.opts.os.checkin() } : {}) };
    try {
      const answer = await this.postCheckin(body);
      this.online = true;
      const o = OfferSchema.safeParse(answer);
      if (!o.success) {
        this.record(`refused: BAD_OFFER: HQ's catalog offer is not understood: ${o.error.issues[0]?.path.join('.')}: ${o.error.issues[0]?.message}`);
        return null;
      }
      this.takeRoster(o.data.roster);
      for (const intake of this.intakes) {
        const signed = o.data[intake.kind.field];
        if (signed) intake.take(signed, this.link.rosterKey ?? null, this.now());
      }
      // In the background: a bundle download takes minutes and must not hold up the catalog.
      if (this.opts.os) void this.opts.os.offer(o.data.os, this.link).catch((err: unknown) => this.opts.log?.(`os update: ${String(err)}`));
      return o.data;
    } catch (err) {
      const e = err instanceof HqRequestError ? err : new HqRequestError(0, 'NETWORK', String(err));
      this.online = e.status > 0 && e.status < 500;
      this.record(`check-in failed: ${e.code}: ${e.message}`);
      return null;
    }
  }

  /** Keeps the store roster HQ sent, if it verifies (core/peers/roster.ts); a refusal is logged and reported at the next check-in, never fatal. */
  private takeRoster(signed: unknown): void {
    const r = this.rosters.store(signed, this.link.rosterKey ?? null);
    if (r.ok) {
      this.rosterRefusal = null;
      return;
    }
    this.rosterRefusal = { reason: `the store roster from HQ was refused: ${r.reason}`, at: this.now().toISOString() };
    this.opts.log?.(`peers: ${this.rosterRefusal.reason}`);
  }

  /**
   * POST /v1/checkin. An HQ older than its terminals refuses the fields it does not know — the store
   * record, then the staff list: check in without what it refuses (what they hold here stays as it is).
   */
  private async postCheckin(body: Record<string, unknown>): Promise<unknown> {
    return signedPost(this.link, '/v1/checkin', body, this.opts.fetchFn, this.opts.timeoutMs ?? 15_000).catch((err: unknown) => {
      const refused = err instanceof HqRequestError && err.status === 400 ? [...this.intakes].reverse().find((i) => i.kind.field in body && err.message.includes(i.kind.field)) : undefined;
      if (!refused) throw err;
      refused.hqRefusesField();
      const { [refused.kind.field]: _, ...older } = body;
      return this.postCheckin(older);
    });
  }

  /** Why the last store roster from HQ was refused (null: it was kept, or none came yet). */
  get rosterError(): string | null {
    return this.rosterRefusal?.reason ?? null;
  }

  private async checkOnce(): Promise<void> {
    const offer = await this.checkIn();
    if (!offer) return;
    if (!offer.full) return this.record(null);
    const before = appliedCatalogVersion(this.db);
    try {
      await this.install(offer.delta ?? offer.full);
    } catch (err) {
      // A delta that cannot be used is not the end: the full snapshot may be.
      const retry = offer.delta && err instanceof CatalogRefusal && (err.code === 'WRONG_BASE' || err.code === 'TAMPERED');
      if (!retry) return this.fail(err);
      try {
        await this.install(offer.full);
      } catch (err2) {
        return this.fail(err2);
      }
    }
    // HQ's fleet view shows the version now in use without waiting for the next check-in.
    if (appliedCatalogVersion(this.db) !== before) await this.checkIn();
  }

  private fail(err: unknown): void {
    if (err instanceof CatalogRefusal) this.record(`refused: ${err.code}: ${err.message}`);
    else if (err instanceof HqRequestError) this.record(`download failed: ${err.code}: ${err.message}`);
    else this.record(`failed: ${err instanceof Error ? err.message : String(err)}`);
  }

  /**
   * Verifies and installs one signed manifest's payload. A manifest of the version in use with a
   * later expiry only renews the expiry. Throws CatalogRefusal (and changes nothing) otherwise.
   */
  async install(signed: unknown): Promise<void> {
    const m = verifyManifest(signed, pinnedKeys(this.repo));
    const have = appliedCatalogVersion(this.db);
    if (m.version < have) throw new CatalogRefusal('ROLLBACK', `HQ offers version ${m.version}, older than version ${have} in use; kept ${have}`);
    if (m.version === have) {
      const current = this.repo.meta('expires_at') ?? '';
      if (m.expiresAt > current) this.repo.extendExpiry(m.expiresAt);
      this.record(null);
      return;
    }
    if (m.kind === 'delta' && m.baseVersion !== have) throw new CatalogRefusal('WRONG_BASE', `the delta applies on top of version ${m.baseVersion}, but version ${have} is in use`);
    const file = this.opts.downloadPath;
    try {
      await this.download(m, file);
      this.applying = { version: m.version, kind: m.kind, done: 0, total: m.items };
      const t0 = performance.now();
      const count = await applyCatalogPayload(this.db, file, m, {
        signed: JSON.stringify(signed),
        chunk: this.opts.chunk,
        ...(this.opts.sliceMs !== undefined ? { sliceMs: this.opts.sliceMs } : {}),
        now: this.opts.now,
        onProgress: (done, total) => {
          this.applying = { version: m.version, kind: m.kind, done, total };
        },
      });
      this.items = 'total' in count ? count.total : this.items + count.change;
      this.opts.log?.(`catalog: version ${m.version} in use (${m.kind}, ${m.items} items, ${Math.round(performance.now() - t0)} ms)`);
    } finally {
      this.applying = null;
      await rm(file, { force: true });
    }
    this.record(null);
    this.opts.onApplied?.(m.version);
  }

  /** Downloads the payload to `file`, hashing as it comes; refuses more bytes or another hash. */
  private async download(m: CatalogManifest, file: string): Promise<void> {
    const res = await signedGet(this.link, `/v1/catalog/payload/${m.sha256}`, this.opts.fetchFn, Math.max(this.opts.timeoutMs ?? 15_000, 120_000));
    const hash = createHash('sha256');
    const out = await open(file, 'w');
    let size = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size > m.size) throw new CatalogRefusal('TAMPERED', `the catalog payload is larger than its manifest says (${m.size} bytes)`);
        hash.update(chunk);
        await out.write(chunk);
      }
      await out.sync();
    } catch (err) {
      if (err instanceof CatalogRefusal) throw err;
      throw new HqRequestError(0, 'NETWORK', `the catalog download broke off: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await out.close();
    }
    if (size !== m.size || hash.digest('hex') !== m.sha256) throw new CatalogRefusal('TAMPERED', `the catalog payload does not match its signed manifest (${size} bytes received, ${m.size} signed): it was altered or cut short`);
  }
}
