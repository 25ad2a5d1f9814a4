/**
 * The till's side of its control unit (Sweden). Every receipt — sale, copy, training, return — is
 * registered with the unit before it is made, and the receipt prints the control code it answered.
 * A unit that does not answer refuses the receipt: the till may not make a receipt without a
 * control code (SKVFS 2014:9), and it may not register a sale without making its receipt (6 kap.
 * 2 §), so the command fails with CONTROL_UNIT_UNAVAILABLE and nothing is written; the sale stays
 * paid and open and completes once the unit answers again. A till whose control unit does not work
 * may not be used (SFL 39 kap. 4 §: a kassaregister is used with a control unit; Skatteverket: sales
 * during a breakdown are written down by hand and never registered in the till afterwards), so no
 * new sale, return or copy starts while it is out: every one asks the unit first (`check`).
 *
 * An outage is kept in terminal_meta (it outlives a restart), journalled when it starts
 * (`controlUnit.outage`) and when the unit answers again (`controlUnit.recovered`, with how many
 * receipts it refused), shown on the lane as a window that blocks it and sent to HQ as an alert
 * (core/sync/report.ts). While it is out the till asks the unit every few seconds (PROBE_MS), so
 * the window closes by itself once the unit answers. The store reports the fault to Skatteverket
 * (4 kap. 1 § SKVFS 2014:10). A till with no usable unit (none provisioned, no driver: port null)
 * refuses every receipt with CONTROL_UNIT_NOT_CONFIGURED (core/fiscal/control-unit/setup.ts).
 */
import type { Clock } from '../../clock';
import type { Db } from '../../db';
import { CoreError } from '../../errors';
import { CONTROL_UNIT_PROBE_MS as PROBE_MS, type VatRow } from '../../../protocol/terminal';
import { ControlUnitError, type ControlUnitPort, type SeReceiptType } from './port';
import { notConfiguredMessage } from './config';

/** The store and till as registered with Skatteverket; printed on every receipt and report. */
export interface SeRegister {
  orgNumber: string;
  companyName: string;
  /** The address where the sale takes place. */
  address: string;
  /** Kassabeteckning. */
  tillId: string;
}

/** What a Swedish receipt carries of its registration (kept with the sale in its journal entry). */
export interface SeMark {
  orgNumber: string;
  companyName: string;
  address: string;
  tillId: string;
  receiptNumber: number;
  type: SeReceiptType;
  controlCode: string;
  manufacturingNumber: string;
}

/** The control unit as the lane's snapshot shows it (and HQ's alert reads it). */
export interface ControlUnitView {
  tillId: string;
  /** What store IT provisioned ("simulator KSIM…", "cleancash @ /dev/ttyUSB0", "none"). */
  device: string;
  state: 'ok' | 'outage' | 'unconfigured';
  outageSince: string | null;
  reason: string | null;
  /** Receipts (sales, returns, copies) the till could not make since the outage began. */
  refused: number;
}

/** The journal entries of an outage (core/journal/kinds.ts). */
export interface ControlUnitOutageEntry {
  tillId: string;
  since: string;
  reason: string;
}
export interface ControlUnitRecoveredEntry extends ControlUnitOutageEntry {
  refused: number;
}
/** The lane's journal, as far as the control unit writes to it (the type, not the module: no import cycle). */
export interface ControlUnitJournal {
  append(kind: 'controlUnit.outage', saleId: null, body: ControlUnitOutageEntry, at: string): unknown;
  append(kind: 'controlUnit.recovered', saleId: null, body: ControlUnitRecoveredEntry, at: string): unknown;
}

interface Outage {
  since: string;
  reason: string;
  refused: number;
}

const OUTAGE_KEY = 'se.control_unit_outage';

/** A unit's port; the simulator's file is closed when the lane stops or another unit is provisioned. */
type ClosablePort = ControlUnitPort & { close?: () => void };

/** The control unit as the lane is given it (core/fiscal/control-unit/setup.ts SeControlUnit; tests give a fixed registration). */
export interface TillControlUnitOptions {
  port: ControlUnitPort | null;
  register: SeRegister | (() => SeRegister);
  device?: string;
}

/** Who hears that the unit answers again after the probe (the lane: every screen is told). */
export interface ControlUnitWatch {
  now: Clock;
  changed: () => void;
  everyMs?: number;
}

export class TillControlUnit {
  private readonly s;
  /** A failure inside a command's transaction (rolled back with it): journalled by the next `check`. */
  private missed: Outage | null = null;

  // Set by take(), from the constructor and when another unit is provisioned (use).
  private port!: ClosablePort | null;
  private registerOf!: () => SeRegister;
  private device!: string;
  private probe: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    cu: TillControlUnitOptions,
    private readonly journal: ControlUnitJournal,
    private readonly watch: ControlUnitWatch | null = null,
  ) {
    this.take(cu);
    const meta = (key: string) => ({
      get: db.prepare<[], { value: string }>(`SELECT value FROM terminal_meta WHERE key = '${key}'`),
      set: db.prepare<[string]>(`INSERT INTO terminal_meta (key, value) VALUES ('${key}', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
      clear: db.prepare(`DELETE FROM terminal_meta WHERE key = '${key}'`),
    });
    this.s = { training: meta('se.training_receipt_number'), outage: meta(OUTAGE_KEY) };
    this.arm();
  }

  /** False: no unit this till can use (none provisioned, no driver): it makes no receipts. */
  get configured(): boolean {
    return this.port !== null;
  }

  /** The store and till as registered now (the store's particulars as they are: a change from HQ reaches the next receipt). */
  get register(): SeRegister {
    return this.registerOf();
  }

  /** While an outage is open, the unit is asked every PROBE_MS whether it answers again. */
  private arm(): void {
    if (!this.watch || !this.port || this.probe || this.stopped || this.outageSince === null) return;
    this.probe = setInterval(() => this.probeOnce(), this.watch.everyMs ?? PROBE_MS);
    this.probe.unref();
  }

  /** One probe: the unit answers → the outage ends (journalled), the probe stops and the lane is told. A unit still out counts no refusal. */
  probeOnce(): void {
    if (!this.watch || !this.port || !this.db.open) return;
    try {
      this.port.manufacturingNumber();
    } catch {
      return; // still out (whatever the unit's fault: the probe runs on a timer and must not bring the core down)
    }
    const at = this.watch.now().toISOString();
    this.db.transaction(() => {
      if (this.missed && !this.openOutage()) this.begin(this.missed, at);
      this.recovered(at);
    })();
    this.stopProbe();
    this.watch.changed();
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
  }

  /** The lane is disposed: no more probes. */
  stop(): void {
    this.stopped = true;
    this.stopProbe();
  }

  /**
   * Another unit from now on: store IT provisioned one while the lane runs (first-boot provisioning
   * carries it: a kiosk image has no shell). The next check and receipt go to it; the old port is
   * closed. Every screen is told (the lane's window, the service screen's panel).
   */
  use(cu: TillControlUnitOptions): void {
    const old = this.port;
    this.take(cu);
    if (old && old !== cu.port) old.close?.();
    // An outage still open was the old unit's: the probe asks the new one (or stops: none to ask).
    this.stopProbe();
    this.arm();
    this.watch?.changed();
  }

  /** The unit's port as it is now (the lane closes it when it stops: it may have been swapped in). */
  get currentPort(): ClosablePort | null {
    return this.port;
  }

  /** The unit, its registration and its name, at construction and when another is provisioned. */
  private take(cu: TillControlUnitOptions): void {
    this.port = cu.port;
    const r = cu.register;
    this.registerOf = typeof r === 'function' ? r : () => r;
    this.device = cu.device ?? (cu.port ? 'control unit' : 'none');
  }

  /** When the unit first failed to answer, while it still does not; null when it answers. */
  get outageSince(): string | null {
    return this.openOutage()?.since ?? this.missed?.since ?? null;
  }

  private openOutage(): Outage | null {
    const v = this.s.outage.get.get()?.value;
    return v ? (JSON.parse(v) as Outage) : null;
  }

  /**
   * The next training receipt's number: training receipts have their own gap-free series (they
   * never take a number of the sales' series). Call inside the transaction that makes the receipt.
   */
  nextTrainingNumber(): number {
    const next = Number(this.s.training.get.get()?.value ?? '0') + 1;
    this.s.training.set.run(String(next));
    return next;
  }

  /**
   * Asks the unit whether it answers, before a sale, return or copy starts (outside a command's
   * transaction). Out: the outage is recorded and journalled (once), and CONTROL_UNIT_UNAVAILABLE
   * thrown. Back: an open outage ends, journalled.
   */
  check(at: string): void {
    if (!this.port) throw notConfigured(this.device);
    const missing = this.registration().problem;
    if (missing) throw new CoreError('CONTROL_UNIT_NOT_CONFIGURED', missing);
    try {
      this.port.manufacturingNumber();
    } catch (err) {
      if (!(err instanceof ControlUnitError)) throw err;
      const outage = this.db.transaction(() => this.fail(`${err.code}: ${err.message}`, at))();
      this.arm();
      throw unavailable(err, outage.since);
    }
    this.db.transaction(() => {
      if (this.missed && !this.openOutage()) this.begin(this.missed, at);
      this.recovered(at);
    })();
    this.stopProbe();
  }

  /** One more receipt refused: the open outage counts it, or an outage begins (with what a rolled-back failure left). */
  private fail(reason: string, at: string): Outage {
    const open = this.openOutage();
    if (open) {
      const outage = { ...open, refused: open.refused + 1 };
      this.s.outage.set.run(JSON.stringify(outage));
      return outage;
    }
    const m = this.missed;
    return this.begin({ since: m?.since ?? at, reason: m?.reason ?? reason.slice(0, 300), refused: (m?.refused ?? 0) + 1 }, at);
  }

  private begin(outage: Outage, at: string): Outage {
    this.journal.append('controlUnit.outage', null, { tillId: this.register.tillId, since: outage.since, reason: outage.reason }, at);
    this.s.outage.set.run(JSON.stringify(outage));
    this.missed = null;
    return outage;
  }

  /** The unit answered: an open outage ends, journalled with the receipts it refused (in the caller's transaction). */
  private recovered(at: string): void {
    const open = this.openOutage();
    if (!open) return;
    this.s.outage.clear.run();
    this.journal.append('controlUnit.recovered', null, { tillId: this.register.tillId, since: open.since, reason: open.reason, refused: open.refused }, at);
  }

  /** Registers one receipt and answers its mark; throws CONTROL_UNIT_UNAVAILABLE (nothing made) when the unit fails. Call inside the receipt's transaction. */
  stamp(type: SeReceiptType, receiptNumber: number, at: string, total: number, vat: readonly VatRow[]): SeMark {
    if (!this.port) throw notConfigured(this.device);
    const r = this.register;
    try {
      const a = this.port.register({ orgNumber: r.orgNumber, tillId: r.tillId, at, receiptNumber, type, total, vat: vat.map((v) => ({ rate: v.rate, vat: v.vat })) });
      this.recovered(at);
      this.stopProbe();
      return { ...r, receiptNumber, type, controlCode: a.controlCode, manufacturingNumber: a.manufacturingNumber };
    } catch (err) {
      if (!(err instanceof ControlUnitError)) throw err;
      // The transaction this runs in is rolled back: the next check journals what happened here.
      if (err.code === 'CU_UNAVAILABLE') this.missed = { since: this.missed?.since ?? at, reason: `${err.code}: ${err.message}`.slice(0, 300), refused: (this.missed?.refused ?? 0) + 1 };
      this.arm();
      throw unavailable(err, this.outageSince ?? at);
    }
  }

  /** The till id it registers under, or why it cannot (the store's particulars missing or wrong). */
  private registration(): { tillId: string; problem: string | null } {
    try {
      return { tillId: this.register.tillId, problem: null };
    } catch (err) {
      return { tillId: '', problem: `${err instanceof Error ? err.message : String(err)}; the till may not make receipts until then.` };
    }
  }

  view(): ControlUnitView {
    const { tillId, problem: missing } = this.registration();
    if (!this.port) return { tillId, device: this.device, state: 'unconfigured', outageSince: null, reason: notConfiguredMessage(this.device), refused: 0 };
    if (missing) return { tillId, device: this.device, state: 'unconfigured', outageSince: null, reason: missing, refused: 0 };
    const open = this.openOutage() ?? this.missed;
    return { tillId, device: this.device, state: open ? 'outage' : 'ok', outageSince: open?.since ?? null, reason: open?.reason ?? null, refused: open?.refused ?? 0 };
  }
}

function notConfigured(device: string): CoreError {
  return new CoreError('CONTROL_UNIT_NOT_CONFIGURED', notConfiguredMessage(device));
}

function unavailable(err: ControlUnitError, since: string): CoreError {
  return new CoreError('CONTROL_UNIT_UNAVAILABLE', `The control unit did not give a control code (${err.code}: ${err.message}); no receipt can be made until it does.`, { since });
}
