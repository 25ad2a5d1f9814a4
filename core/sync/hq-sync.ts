/**
 * The lane's replication to HQ, as long as the core runs: the uploader (outbox → HQ) and the catalog
 * updater (check-in, catalog offers) for the HQ link in the database.
 *
 * The link is read from the database every round (`linkCheckMs`), so a lane that store IT
 * provisions while it runs (`npm run provision` on the same database) starts checking in and
 * uploading without a restart, and a lane provisioned again switches to its new identity. A link
 * that appears while the core runs is taken once provisioning is done with it — provisioning's own
 * catalog check is recorded (or the link has stood for `settleMs`, a provisioning that died half
 * way) — so the two processes never install a catalog into the same database at once.
 */
import { performance } from 'node:perf_hooks';
import type { Snapshot } from '../../protocol/terminal';
import type { Db } from '../db';
import type { Clock } from '../clock';
import { loadHqLink } from './link';
import { CatalogSyncRepo, HqLinkRepo, type StoredHqLink } from './repo';
import { Uploader } from './uploader';
import { CatalogUpdater } from './catalog';
import { tillClosed, type OsUpdater } from './os-update';
import { checkinReport, DeviceStartGrace, SOFTWARE_VERSION } from './report';

/** What the sync needs of the lane (LaneService has it). */
export interface SyncHost {
  snapshot(): Snapshot;
  subscribe(listener: (snap: Snapshot) => void): () => void;
  setSyncStatus(provider: (() => NonNullable<Snapshot['sync']>) | null): void;
  setCatalogStatus(provider: (() => NonNullable<Snapshot['catalog']>) | null): void;
  /** Re-sends the snapshot (a status changed). */
  refresh(): void;
  /** The catalog in the database changed (promotions are reloaded). */
  catalogChanged(): void;
}

export interface HqSyncOptions {
  /** The lane's database file (the catalog download lands beside it). */
  dbPath: string;
  now: Clock;
  /** When the lane started: devices' start-up grace counts from here. */
  startedAt: Date;
  log: (line: string) => void;
  /** One request to HQ may take this long (ms). */
  timeoutMs?: number;
  /** Check-in (and catalog) interval (ms). */
  catalogPollMs?: number;
  /** How often the HQ link is read from the database (ms). */
  linkCheckMs?: number;
  /** A link whose provisioning did not finish is taken after it stood this long anyway (ms). */
  settleMs?: number;
  deviceGraceMs?: number;
  /** Where this terminal's peer listener is (host:port), told HQ at each check-in for the store roster; null or left out: none. */
  peerAddress?: string | null;
  /** True while first-boot provisioning in this process is not done with the link (core/provisioning/flow.ts): it is not taken yet. */
  hold?: () => boolean;
  /** OS updates (the kiosk image): offers go to it, and it reboots into an installed one when the till is closed. */
  os?: OsUpdater | null;
  /** A staff list from HQ was applied. */
  onStaffApplied?: () => void;
}

interface Running {
  key: string;
  terminalId: string;
  uploader: Uploader;
  updater: CatalogUpdater;
  /** Their statuses as last read (the lane's snapshots read these; the database is asked once a second). */
  sync: ReturnType<Uploader['status']>;
  catalog: ReturnType<CatalogUpdater['status']>;
}

const linkKey = (r: StoredHqLink) => `${r.hqUrl} ${r.terminalId} ${r.publicKey}`;

export class HqSync {
  private running: Running | null = null;
  /** A link seen that is not in use yet, and since when (performance.now()). */
  private pending: { key: string; since: number } | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** A check-in is due when a held-back device's start-up grace ends. */
  private recheckDue = false;
  private unsubscribe: (() => void) | null = null;
  private lastSaleId: string | null = null;
  private tillIsClosed = false;
  readonly grace: DeviceStartGrace;
  private readonly links: HqLinkRepo;
  private readonly catalogSync: CatalogSyncRepo;

  constructor(
    private readonly db: Db,
    private readonly host: SyncHost,
    private readonly opts: HqSyncOptions,
  ) {
    this.grace = new DeviceStartGrace(opts.now, opts.startedAt, opts.deviceGraceMs);
    this.links = new HqLinkRepo(db);
    this.catalogSync = new CatalogSyncRepo(db);
  }

  /** The terminal id replicating now (null: not provisioned, or not taken yet). */
  get terminalId(): string | null {
    return this.running?.terminalId ?? null;
  }

  /** Starts with the link the database has (if any), then looks for a new one every round. */
  start(): void {
    this.unsubscribe = this.host.subscribe((snap) => {
      this.grace.observe(snap.devices.list);
      this.tillIsClosed = tillClosed(snap);
      if (snap.lastSale && snap.lastSale.saleId !== this.lastSaleId) {
        this.lastSaleId = snap.lastSale.saleId;
        this.running?.uploader.poke();
        // The new sale counts in the backlog the screens show at once, not at the next second's read.
        setImmediate(() => this.refresh());
      }
    });
    const first = this.host.snapshot();
    this.grace.observe(first.devices.list);
    this.tillIsClosed = tillClosed(first);
    const row = this.links.get();
    if (row && !this.opts.hold?.()) this.adopt(row, false);
    else this.opts.log('not provisioned for HQ: this lane sells on its own; provisioning (npm run provision) takes effect while it runs');
    this.every(this.opts.linkCheckMs ?? 2_000, () => this.lookForLink());
    this.every(1_000, () => this.refresh());
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.halt();
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.add(t);
  }

  private halt(): void {
    this.running?.uploader.stop();
    this.running?.updater.stop();
    this.running = null;
  }

  /** One round: a link that is new or changed is taken once provisioning is done with it. */
  private lookForLink(): void {
    if (this.opts.hold?.()) return;
    let row: StoredHqLink | null;
    try {
      row = this.links.get();
    } catch (err) {
      this.opts.log(`sync: the HQ link cannot be read (${err instanceof Error ? err.message : String(err)})`);
      return;
    }
    if (!row || linkKey(row) === this.running?.key) {
      this.pending = null;
      return;
    }
    const key = linkKey(row);
    if (this.pending?.key !== key) this.pending = { key, since: performance.now() };
    const lastCheck = this.catalogSync.state().lastCheck;
    const provisioned = lastCheck !== null && lastCheck >= row.enrolledAt;
    if (provisioned || performance.now() - this.pending.since >= (this.opts.settleMs ?? 120_000)) {
      this.pending = null;
      this.adopt(row, true);
    }
  }

  private adopt(row: StoredHqLink, whileRunning: boolean): void {
    const link = loadHqLink(this.db, this.opts.now);
    if (!link || link.terminalId !== row.terminalId) return; // changed between the two reads: next round
    const before = this.running?.terminalId;
    this.halt();
    const { now, log } = this.opts;
    const uploader = new Uploader(this.db, link, { now, log, softwareVersion: SOFTWARE_VERSION, timeoutMs: this.opts.timeoutMs ?? 15_000, onSettled: () => this.refresh() });
    const updater = new CatalogUpdater(this.db, link, {
      now,
      downloadPath: `${this.opts.dbPath}.catalog-download`,
      log,
      report: () => this.report(),
      onApplied: () => this.host.catalogChanged(),
      ...(this.opts.onStaffApplied ? { onStaffApplied: this.opts.onStaffApplied } : {}),
      peerAddress: this.opts.peerAddress ?? null,
      ...(this.opts.os ? { os: this.opts.os } : {}),
      ...(this.opts.timeoutMs ? { timeoutMs: this.opts.timeoutMs } : {}),
    });
    const running: Running = { key: linkKey(row), terminalId: link.terminalId, uploader, updater, sync: uploader.status(), catalog: updater.status() };
    this.running = running;
    this.host.setSyncStatus(() => running.sync);
    this.host.setCatalogStatus(() => running.catalog);
    // Provisioning installed a catalog into this database while the lane ran.
    if (whileRunning) this.host.catalogChanged();
    updater.start(this.opts.catalogPollMs ?? 300_000);
    uploader.start();
    log(before ? `provisioned again: replicating to HQ ${link.hqUrl} as ${link.terminalId} (was ${before})` : `replicating to HQ ${link.hqUrl} as ${link.terminalId}${whileRunning ? ' (provisioned while running)' : ''}`);
  }

  /** The check-in report; a device held back by its start-up grace gets a check-in of its own when the grace ends. */
  private report(): ReturnType<typeof checkinReport> {
    const snap = this.host.snapshot();
    const r = checkinReport(snap, SOFTWARE_VERSION, this.grace);
    const until = this.grace.heldUntil(snap.devices.list);
    if (until && !this.recheckDue) {
      this.recheckDue = true;
      const t = setTimeout(
        () => {
          this.timers.delete(t);
          this.recheckDue = false;
          void this.running?.updater.check().catch(() => {});
        },
        Math.max(0, until.getTime() - this.opts.now().getTime()) + 1_000,
      );
      t.unref();
      this.timers.add(t);
    }
    return r;
  }

  /** The lane's screens are told when the sync or catalog status changed (read once a second, and after each batch HQ answered). */
  private refresh(): void {
    if (this.tillIsClosed) void this.opts.os?.rebootWhenClosed(true).catch((err: unknown) => this.opts.log(`os update: ${String(err)}`));
    const r = this.running;
    if (!r) return;
    const sync = r.uploader.status();
    const catalog = r.updater.status();
    if (JSON.stringify(sync) !== JSON.stringify(r.sync) || JSON.stringify(catalog) !== JSON.stringify(r.catalog)) {
      r.sync = sync;
      r.catalog = catalog;
      this.host.refresh();
    }
  }
}
