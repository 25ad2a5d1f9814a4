/**
 * The lane's running devices, restartable: store IT saves a new device configuration and the
 * running set stops and the new one starts, while the lane keeps one print queue and one view of
 * the scale. Tests and the Terminal API's device tests always reach the current set. Kinds the
 * lane holds for its whole run (the payment terminal, ./kinds/kind.ts `lasting`) start once, in a
 * set of their own that a restart leaves running.
 */
import type { LaneService } from '../lane/host';
import type { Db } from '../db';
import { PrintQueue } from '../printing/queue';
import type { DeviceConfig } from './config';
import type { WeightSource } from './scale';
import type { PaymentPort } from '../payments/port';
import { kindOf } from './kinds/registry';
import { startDevices, type DeviceAction, type DeviceManagerOptions, type DeviceTestOutcome, type StartedDevices } from './manager';
import { systemClock } from '../clock';

const DEFAULT_WEDGE = { maxKeyGapMs: 30, minLength: 4 };

type Amend = (file: readonly DeviceConfig[]) => readonly DeviceConfig[];

const isLasting = (d: DeviceConfig): boolean => kindOf(d).lasting === true;

export interface RestartOutcome {
  started: number;
  /** What only takes effect at the next start of the core, in words for store IT. */
  notes: string[];
}

export class DeviceHolder {
  private current: StartedDevices;
  private configs: readonly DeviceConfig[];
  private service: LaneService | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  /** The lane's print queue: there when the lane started with a printer. */
  readonly printQueue: PrintQueue | null;
  /** The lane's scale, following the current set: there when the lane started with a scale. */
  readonly scale: WeightSource | null;
  /** The lane's payment terminal, from the set started once. */
  readonly payments: PaymentPort | null;
  private readonly lastingConfig: string;

  private constructor(
    private readonly db: Db,
    private readonly opts: DeviceManagerOptions,
    private readonly amend: Amend,
    queue: PrintQueue | null,
    private readonly lasting: StartedDevices,
    first: StartedDevices,
    configs: readonly DeviceConfig[],
  ) {
    this.payments = lasting.payments;
    this.lastingConfig = JSON.stringify(amend(configs).filter(isLasting));
    this.current = first;
    this.configs = configs;
    this.printQueue = queue;
    const holder = this;
    this.scale = first.scale
      ? {
          weight: () => holder.current.scale?.weight() ?? { refused: 'noScale' },
          get weigh() {
            const s = holder.current.scale;
            return s?.weigh ? s.weigh.bind(s) : undefined;
          },
        }
      : null;
  }

  /**
   * Starts the devices of a device file; `amend` adds what the command line configures beside the
   * file (the --zvt payment terminal), at this start and at every restart alike.
   */
  static async start(file: readonly DeviceConfig[], db: Db, opts: DeviceManagerOptions, amend: Amend = (list) => list): Promise<DeviceHolder> {
    const configs = amend(file);
    const queue = configs.some((d) => d.kind === 'escposPrinter') ? new PrintQueue(db, opts.now ?? systemClock) : null;
    const lasting = await startDevices(configs.filter(isLasting), db, opts);
    const first = await startDevices(configs.filter((d) => !isLasting(d)), db, { ...opts, ...(queue ? { printQueue: queue } : {}) });
    return new DeviceHolder(db, opts, amend, queue, lasting, first, file);
  }

  /** Connects the devices to the lane (once the lane exists). */
  attach(service: LaneService): void {
    this.service = service;
    this.lasting.attach(service);
    this.current.attach(service);
  }

  /** Stops the running devices and starts these instead; one restart at a time. */
  restart(configs: readonly DeviceConfig[]): Promise<RestartOutcome> {
    const run = this.chain.then(() => this.doRestart(configs));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async doRestart(file: readonly DeviceConfig[]): Promise<RestartOutcome> {
    const configs = this.amend(file);
    if (this.stopped) throw new Error('the devices are shut down');
    const old = this.current;
    const oldIds = old.describe().map((d) => d.id);
    await old.stop();
    const next = await startDevices(configs.filter((d) => !isLasting(d)), this.db, { ...this.opts, ...(this.printQueue ? { printQueue: this.printQueue } : {}) });
    this.current = next;
    this.configs = file;
    const notes: string[] = [];
    if (JSON.stringify(configs.filter(isLasting)) !== this.lastingConfig) notes.push('the payment terminal changes after the next start of the till');
    const hasPrinter = configs.some((d) => d.kind === 'escposPrinter');
    const hasScale = configs.some((d) => d.kind === 'toledoScale' || d.kind === 'dialog06Scale');
    if (hasPrinter && !this.printQueue) notes.push('receipts print on the new printer after the next start of the till (test pages print now)');
    if (hasScale && !this.scale) notes.push('sales use the new scale after the next start of the till (its test works now)');
    const s = this.service;
    if (s) {
      const newIds = new Set(next.describe().map((d) => d.id));
      for (const id of oldIds) if (!newIds.has(id)) s.removeDeviceStatus(id);
      s.setWedge(DEFAULT_WEDGE);
      if (!hasPrinter) s.setPrinterState('none');
      next.attach(s);
    }
    return { started: next.describe().length, notes };
  }

  /** The configuration the current set started from. */
  get config(): readonly DeviceConfig[] {
    return this.configs;
  }

  test(id: string, action: DeviceAction, arg?: string): Promise<DeviceTestOutcome> {
    return this.lasting.describe().some((d) => d.id === id) ? this.lasting.test(id, action, arg) : this.current.test(id, action, arg);
  }

  describe(): ReturnType<StartedDevices['describe']> {
    return [...this.current.describe(), ...this.lasting.describe()];
  }

  async stop(): Promise<void> {
    await this.chain;
    this.stopped = true;
    await this.current.stop();
    await this.lasting.stop();
    this.printQueue?.stop();
  }
}
