/**
 * First-boot provisioning on the terminal's own screen (issue 20.2). A core started with
 * `--provisioning` and no identity does not sell: its snapshot carries the provisioning view
 * (protocol/terminal ProvisioningViewSchema) and the renderer shows the provisioning screen. The
 * payload comes from `provisioning.json` on a USB stick (the folders are looked at every couple of
 * seconds, stick.ts) or typed/scanned (`provisionSubmit`); the steps are steps.ts, the same as store
 * IT's command line: enroll, a reflashed lane's journal back from its peers, the catalog (items
 * applied of its items), the devices found; then "ready to sell", the lane takes HQ's store and lane
 * as its identity, and the sign-in screen follows — no restart.
 *
 * A failure says why (a code the screen words, HQ's words as detail) and nothing half-done blocks a
 * retry: a stick for another lane or store is refused by HQ before the token is used; keys pinned
 * from a stick whose catalog they do not sign are taken back; a terminal enrolled whose catalog or
 * recovery did not finish runs the steps left (also after a restart), and the same stick or code
 * again (its token now used; after a restart: one naming the store and lane it is enrolled as) goes
 * on from there instead of enrolling again.
 */
import { createHash } from 'node:crypto';
import { readProvisioning, type ProvisioningFile } from '../../protocol/provisioning';
import type { ControlUnitConfig, ProvisioningView } from '../../protocol/terminal';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { discoverDevices, type Discovery } from '../devices/discovery';
import { describeControlUnit, saveControlUnitConfig } from '../fiscal/control-unit/config';
import { Operators } from '../operators';
import { CoreError } from '../errors';
import type { TerminalIdentity } from '../lane/context';
import type { CommandRegistry } from '../lane/registry';
import { RecoveryPending } from '../peers/recovery-pending';
import { loadHqLink, type HqLink } from '../sync/link';
import { CatalogSyncRepo } from '../sync/repo';
import { findStickFile } from './stick';
import { catalogFailure, catalogStep, enrollStep, failureOf, FIRST_BOOT_SLICE_MS, pinKeys, ProvisioningError, recoverStep, unpinKeys, type ProvisionEvent, type StepOptions } from './steps';

/** What the flow needs of the lane (LaneService has it). */
export interface ProvisioningHost {
  readonly registry: CommandRegistry;
  /** Re-sends the snapshot (the view changed). */
  refresh(): void;
  /** The catalog in the database changed. */
  catalogChanged(): void;
  setProvisioning(provider: (() => ProvisioningView | null) | null): void;
}

export interface ProvisioningFlowOptions {
  db: Db;
  dbPath: string;
  /** Where provisioning.json is looked for (the USB stick's mount point). */
  dirs: string[];
  /** The lane's identity: HQ's store and lane once provisioned (shared with the lane and store IT's screens). */
  identity: TerminalIdentity;
  now: Clock;
  log: (line: string) => void;
  /** How often the folders are looked at (ms, default 2 s). */
  pollMs?: number;
  /** How long "ready to sell" stays before the sign-in screen (ms, default 4 s). */
  readyMs?: number;
  discover?: () => Promise<Discovery>;
  recoveryWaitMs?: number;
  timeoutMs?: number;
  /** Sweden: the payload named a control unit, now kept in the database: the lane takes it from now on. */
  controlUnit?: (config: ControlUnitConfig) => void;
}

/** Whether this terminal needs no provisioning: enrolled, with a catalog, its journal not awaited from its peers. */
export function isProvisioned(db: Db): boolean {
  return loadHqLink(db) !== null && new CatalogSyncRepo(db).itemCount() > 0 && new RecoveryPending(db).get() === null;
}

/**
 * Whether a payload is for the lane this terminal is already enrolled as (not finished): the same HQ,
 * store and lane, named in the payload. Its token was used by that enrollment (perhaps before a
 * restart): the steps go on without enrolling again.
 */
function sameLane(p: ProvisioningFile, link: HqLink): boolean {
  return p.store === link.storeId && p.lane === link.laneId && new URL(p.hq).toString() === link.hqUrl;
}

const PROGRESS_MS = 500;
const EMPTY: Omit<ProvisioningView, 'dirs'> = { phase: 'waiting', source: null, step: null, enrolled: null, recovery: null, catalog: null, devices: null, staff: null, failure: null };
/** Failures the same payload may get past when tried again (HQ back, a catalog published, a peer up). */
const TRANSIENT = new Set(['hqUnreachable', 'hqRefused', 'noCatalog', 'catalogFailed', 'recoveryFailed']);

export class ProvisioningFlow {
  private view: ProvisioningView | null = null;
  private progressAt = 0;
  private busy = false;
  /** The stick's file as last tried (its text, or why it could not be read): tried once until it changes or comes back. */
  private lastTried: string | null = null;
  /** The payload last tried, for "try again" after a failure it may get past. */
  private last: { payload: ProvisioningFile; source: 'usb' | 'typed' } | null = null;
  /** Sweden: the control unit the payload this run enrolled with named (kept; handed to the lane after the check-in). */
  private keptUnit: ControlUnitConfig | null = null;
  /** HQ and token hash this run enrolled with: the same payload again goes on without enrolling. */
  private enrolledWith: string | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly host: ProvisioningHost,
    private readonly o: ProvisioningFlowOptions,
  ) {}

  /** True while the terminal is not provisioned: the lane refuses to sell and HQ sync holds off. */
  get holding(): boolean {
    return this.view !== null && this.view.phase !== 'ready';
  }

  start(): void {
    this.host.registry.addAsync('provisionSubmit', async (cmd) => this.submit(cmd.text), { replace: true });
    this.host.registry.addAsync('provisionRetry', async () => this.retry(), { replace: true });
    if (isProvisioned(this.o.db)) return;
    this.view = { ...EMPTY, dirs: this.o.dirs.slice(0, 8) };
    this.host.setProvisioning(() => this.view);
    const link = loadHqLink(this.o.db, this.o.now);
    if (link) {
      // Enrolled before, not finished (the core stopped, or a step failed): the steps left.
      this.o.log(`provisioning: enrolled as ${link.terminalId} but not finished; running the steps left`);
      void this.run(null, null);
    } else this.o.log(`provisioning: waiting for ${this.o.dirs.length ? `provisioning.json in ${this.o.dirs.join(', ')}` : 'a typed or scanned provisioning code'}`);
    const t = setInterval(() => this.lookForStick(), this.o.pollMs ?? 2_000);
    t.unref();
    this.timers.add(t);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private update(patch: Partial<ProvisioningView>): void {
    if (!this.view) return;
    this.view = { ...this.view, ...patch };
    this.host.refresh();
  }

  private async submit(text: string): Promise<undefined> {
    if (!this.view || this.view.phase === 'ready') throw new CoreError('NOT_ALLOWED_NOW', 'This terminal is provisioned already.');
    if (this.busy) throw new CoreError('NOT_ALLOWED_NOW', 'Provisioning is under way.');
    this.fromText(text, 'typed', 'the code typed or scanned');
    return undefined;
  }

  private async retry(): Promise<undefined> {
    if (!this.view || this.view.phase === 'ready') throw new CoreError('NOT_ALLOWED_NOW', 'This terminal is provisioned already.');
    if (this.busy || this.view.phase !== 'failed') return undefined;
    this.lastTried = null;
    const stick = findStickFile(this.o.dirs);
    if (stick) return void this.fromStick(stick);
    const failed = this.view.failure?.code;
    if (this.last && failed && TRANSIENT.has(failed)) return void this.run(this.last.source, this.last.payload);
    // Enrolled before: the steps left. Else the screen waits for a stick or a code again.
    if (loadHqLink(this.o.db, this.o.now)) return void this.run(null, null);
    this.update({ ...EMPTY });
    return undefined;
  }

  /** One look at the folders: a file that is new (or back) is tried once. */
  private lookForStick(): void {
    if (this.busy || !this.view || this.view.phase === 'ready') return;
    const stick = findStickFile(this.o.dirs);
    if (!stick) {
      this.lastTried = null; // the stick was taken out: the same one put back is tried again
      return;
    }
    this.fromStick(stick);
  }

  private fromStick(stick: NonNullable<ReturnType<typeof findStickFile>>): void {
    const seen = 'text' in stick ? stick.text : `unreadable ${stick.error}`;
    if (seen === this.lastTried) return;
    this.lastTried = seen;
    if ('error' in stick) return this.fail(new ProvisioningError('unreadable', `${stick.path}: ${stick.error}`), 'usb');
    this.fromText(stick.text, 'usb', stick.path);
  }

  private fromText(text: string, source: 'usb' | 'typed', where: string): void {
    const r = readProvisioning(text);
    if (!r.ok) return this.fail(new ProvisioningError('unreadable', `${where}: ${r.reason}`), source);
    this.o.log(`provisioning: ${source === 'usb' ? `read ${where}` : 'a code was typed or scanned'} (HQ ${r.payload.hq}${r.payload.store ? `, store ${r.payload.store}` : ''}${r.payload.lane ? `, lane ${r.payload.lane}` : ''})`);
    void this.run(source, r.payload);
  }

  private fail(f: ProvisioningError, source: 'usb' | 'typed' | null): void {
    this.o.log(`provisioning stopped: ${f.code}: ${f.message}`);
    this.update({ phase: 'failed', ...(source ? { source } : {}), failure: { code: f.code, detail: f.message.slice(0, 600) } });
  }

  private stepOptions(): StepOptions {
    const { dbPath, now, log, recoveryWaitMs, timeoutMs } = this.o;
    // The lane refuses commands until the flow is done: the catalog loads in long transactions.
    return { dbPath, now, log, on: (e) => this.onEvent(e), catalogSliceMs: FIRST_BOOT_SLICE_MS, ...(recoveryWaitMs !== undefined ? { recoveryWaitMs } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
  }

  private onEvent(e: ProvisionEvent): void {
    if (e.step === 'enrolling') this.update({ step: 'enrolling' });
    else if (e.step === 'enrolled') this.update({ enrolled: { terminalId: e.terminalId, storeId: e.storeId, laneId: e.laneId, reflash: e.reflash !== null } });
    else if (e.step === 'recovering') this.update({ step: 'recovering', recovery: { source: e.source, sales: null, fromLane: null } });
    else if (e.step === 'recovered') this.update({ recovery: { source: e.source, sales: e.result.sales, fromLane: e.source === 'peers' ? e.result.from.laneId || null : null } });
    else if (e.step === 'catalog') this.catalogProgress(e.version, e.done, e.total);
  }

  /**
   * The catalog's progress on screen at most every PROGRESS_MS (and its first and last count): the
   * apply reports every few milliseconds, and a snapshot to the screen each time cost the apply
   * more than half its speed on a slow terminal (QEMU: 200 against 700 items/s).
   */
  private catalogProgress(version: number, done: number, total: number): void {
    const at = performance.now();
    const shown = this.view?.catalog;
    if (shown && shown.version === version && done < total && done > 0 && at - this.progressAt < PROGRESS_MS) return;
    this.progressAt = at;
    this.update({ step: 'catalog', catalog: { version, done, total } });
  }

  /** Size: the steps in order with their one failure path; each step is one call into steps.ts. */
  private async run(source: 'usb' | 'typed' | null, payload: ProvisioningFile | null): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const o = this.stepOptions();
    let pinned: string[] = [];
    this.update({ phase: 'working', failure: null, step: 'reading', ...(source ? { source } : {}) });
    try {
      let link = loadHqLink(this.o.db, this.o.now);
      if (payload) {
        this.last = { payload, source: source ?? 'typed' };
        const key = `${payload.hq} ${createHash('sha256').update(payload.token).digest('hex')}`;
        if (link && (this.enrolledWith === key || sameLane(payload, link))) pinned = pinKeys(this.o.db, payload.catalogKeys ?? [], this.o.now);
        else {
          this.update({ enrolled: null, recovery: null, catalog: null, devices: null, staff: null });
          ({ link, pinned } = await enrollStep(this.o.db, payload, o));
          this.enrolledWith = key;
          // Kept now, from the payload HQ just accepted (a restart before the lane opens starts with it).
          if (payload.controlUnit) this.keepControlUnit(payload.controlUnit);
        }
      }
      if (!link) throw new ProvisioningError('unreadable', 'no provisioning payload was given');
      this.showEnrolled(link);
      const pending = new RecoveryPending(this.o.db).get();
      if (pending) await recoverStep(this.o.db, link, pending.reflash, o);
      this.update({ step: 'catalog' });
      const st = await catalogStep(this.o.db, link, o);
      if (st.items === 0) throw catalogFailure(st);
      // HQ's staff came with the same check-in: store IT sees here whether anybody can sign in.
      this.update({ staff: { count: new Operators(this.o.db).activeCount() } });
      // After the check-in (the store's particulars, which the unit registers under, came with it): the lane takes it.
      if (this.keptUnit) this.o.controlUnit?.(this.keptUnit);
      this.update({ step: 'devices' });
      this.update({ devices: await this.devices() });
      this.ready(link);
    } catch (err) {
      const f = failureOf(err);
      if (f.code === 'catalogKey' && pinned.length) unpinKeys(this.o.db, pinned);
      this.fail(f, null);
    } finally {
      this.busy = false;
    }
  }

  /** Sweden: the control unit an accepted payload names, kept in the database (read at every start); the lane takes it once the check-in is done. */
  private keepControlUnit(unit: ControlUnitConfig): void {
    saveControlUnitConfig(this.o.db, unit);
    this.keptUnit = unit;
    this.o.log(`provisioning: control unit kept: ${describeControlUnit(unit)}`);
  }

  private showEnrolled(link: HqLink): void {
    if (this.view?.enrolled?.terminalId === link.terminalId) return;
    this.update({ enrolled: { terminalId: link.terminalId, storeId: link.storeId, laneId: link.laneId, reflash: new RecoveryPending(this.o.db).get() !== null } });
  }

  /** The devices on this terminal's USB and serial ports (device discovery), one name each. */
  private async devices(): Promise<NonNullable<ProvisioningView['devices']>> {
    try {
      const d = await (this.o.discover ?? (() => discoverDevices()))();
      const names = new Map<string, string>();
      for (const h of d.hid) names.set(`${h.vendorId}:${h.productId}`, `${[h.manufacturer, h.product].filter(Boolean).join(' ') || 'USB device'} (${h.vendorId}:${h.productId})`);
      for (const s of d.serial) names.set(s.path, `${s.path}${s.product || s.manufacturer ? ` ${[s.manufacturer, s.product].filter(Boolean).join(' ')}` : ''}`);
      const list = [...names.values()];
      return { found: list.length, names: list.slice(0, 16).map((n) => n.slice(0, 120)) };
    } catch (err) {
      this.o.log(`provisioning: device discovery failed (${err instanceof Error ? err.message : String(err)})`);
      return { found: 0, names: [] };
    }
  }

  /** Provisioned: the lane takes HQ's store and lane, shows "ready to sell", then its sign-in. */
  private ready(link: HqLink): void {
    this.o.identity.storeId = link.storeId;
    this.o.identity.laneId = link.laneId;
    this.host.catalogChanged();
    this.update({ phase: 'ready', step: 'ready', failure: null });
    this.o.log(`provisioning: ready to sell as ${link.terminalId} (store ${link.storeId}, lane ${link.laneId})`);
    this.stop();
    const t = setTimeout(() => {
      this.view = null;
      this.host.setProvisioning(null);
    }, this.o.readyMs ?? 4_000);
    t.unref();
    this.timers.add(t);
  }
}
