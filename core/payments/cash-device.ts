/**
 * The cash device port: a note and coin acceptor with change payout (a recycler, or an acceptor
 * with hoppers) as the lane sees it — accept on/off, what was counted in, faults, and paying an
 * amount out step by step. The ccTalk driver (drivers/cctalk) implements it; core tests use a fake.
 * Events that arrive before the lane listens (a restart with coins in the device's buffer) are
 * kept and handed to the first listener: nothing counted is dropped.
 */
import type { Db } from '../db';
import { JournalRepo } from '../journal/repo';
import type { CcTalkCashDevice } from '../../drivers/cctalk/device';
import type { Source } from '../../drivers/cctalk/acceptors';

export type CashSource = 'coin' | 'note';

export type CashDeviceEvent =
  /** Money counted in; `counter` is the device's event number (journalled, so nothing is counted twice). */
  | { type: 'credit'; source: CashSource; value: number; counter: number }
  | { type: 'fault'; fault: 'jam' | 'full'; detail: string }
  /** The device lost events (overwritten, or it was reset): staff must count. */
  | { type: 'lost'; source: CashSource; count: number | null }
  | { type: 'state'; online: boolean };

/** A payout step, journalled as it happens (a restart mid-payout asks the device about the open one). */
export type CashPayoutStep =
  | { step: 'dispensing'; unit: number; value: number; coins: number; counter: number }
  | { step: 'dispensed'; unit: number; value: number; coins: number; paid: number; counter: number }
  | { step: 'failed'; unit: number; value: number; coins: number; reason: string };

export interface CashDevicePort {
  readonly online: boolean;
  /** A fault that has not cleared (jam, full cashbox): the device takes no money. */
  readonly fault: 'jam' | 'full' | null;
  /** Starts (true: confirmed by the device) or stops taking money. */
  accept(on: boolean): Promise<boolean>;
  /** Pays an amount out; resolves with what was paid. */
  payout(amount: number, step: (s: CashPayoutStep) => void): Promise<{ paid: number }>;
  /** After a restart: what the payout unit paid of the dispense with this counter (null: it cannot tell). */
  payoutOutcome(unit: number, counter: number): Promise<{ paid: number; busy: boolean } | null>;
  listen(listener: (e: CashDeviceEvent) => void): () => void;
}

/** The last event counter the terminal journalled per acceptor (the driver counts on from there). */
export function recordedCounter(db: Db): (source: Source) => number | null {
  const journal = new JournalRepo(db);
  return (source) => {
    if (!db.open) return null;
    const want: CashSource = source === 'bill' ? 'note' : 'coin';
    for (const b of journal.latestBodies('cash.inserted', 200)) {
      if (b.source === want && typeof b.counter === 'number') return b.counter;
    }
    return null;
  };
}

/** Buffers events until someone listens. */
export class CashEventHub {
  private readonly listeners = new Set<(e: CashDeviceEvent) => void>();
  private readonly pending: CashDeviceEvent[] = [];

  emit(e: CashDeviceEvent): void {
    if (this.listeners.size === 0) {
      if (e.type !== 'state') this.pending.push(e);
      return;
    }
    for (const l of this.listeners) l(e);
  }

  listen(listener: (e: CashDeviceEvent) => void): () => void {
    this.listeners.add(listener);
    for (const e of this.pending.splice(0)) listener(e);
    return () => this.listeners.delete(listener);
  }
}

/** The ccTalk cash unit as the lane's port. */
export function ccTalkCashPort(dev: CcTalkCashDevice): CashDevicePort {
  const hub = new CashEventHub();
  dev.on('event', (e) => {
    if (e.kind === 'credit' && e.value > 0) hub.emit({ type: 'credit', source: e.source === 'bill' ? 'note' : 'coin', value: e.value, counter: e.counter });
    else if (e.kind === 'fault') hub.emit({ type: 'fault', fault: e.fault, detail: `${e.source === 'bill' ? 'note validator' : 'coin acceptor'} ${e.fault === 'jam' ? 'jammed' : 'cashbox full'} (code ${e.code})` });
    else if (e.kind === 'lost') hub.emit({ type: 'lost', source: e.source === 'bill' ? 'note' : 'coin', count: e.count });
  });
  dev.on('state', ({ state }) => hub.emit({ type: 'state', online: state === 'online' }));
  return {
    get online() {
      return dev.state === 'online';
    },
    get fault() {
      return dev.faults.has('jam') ? 'jam' : dev.faults.has('full') ? 'full' : null;
    },
    accept: (on) => dev.accept(on),
    async payout(amount, step) {
      const r = await dev.payout(amount, (s) =>
        step(
          s.step === 'failed'
            ? { step: 'failed', unit: s.hopper, value: s.value, coins: s.coins, reason: s.reason }
            : s.step === 'dispensing'
              ? { step: 'dispensing', unit: s.hopper, value: s.value, coins: s.coins, counter: s.counter }
              : { step: 'dispensed', unit: s.hopper, value: s.value, coins: s.coins, paid: s.paid, counter: s.counter },
        ),
      );
      return { paid: r.paid };
    },
    async payoutOutcome(unit, counter) {
      const st = await dev.hopperStatus(unit);
      if (!st || st.counter !== counter) return null;
      const value = dev.hoppers.find((h) => h.address === unit)?.value ?? 0;
      return { paid: st.paid * value, busy: st.remaining > 0 };
    },
    listen: (l) => hub.listen(l),
  };
}
