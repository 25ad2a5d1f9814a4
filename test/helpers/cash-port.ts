/** A cash device port for lane tests: money put in by hand, faults on demand, a payout that pays what it holds. */
import { CashEventHub, type CashDeviceEvent, type CashDevicePort, type CashPayoutStep } from '../../core/payments/cash-device';

export class FakeCashPort implements CashDevicePort {
  online = true;
  fault: 'jam' | 'full' | null = null;
  accepting = false;
  acceptCalls: boolean[] = [];
  /** Coins of 1 kr (100) it can still pay out; payouts stop when it is empty. */
  float = 100_000;
  /** Payouts asked for. */
  payouts: number[] = [];
  /** A payout that never finishes (the core "crashes" mid-payout). */
  hangPayout = false;
  /** What the device says about a dispense after a restart. */
  outcome: { paid: number; busy: boolean } | null = null;
  private counter = 0;
  private readonly hub = new CashEventHub();

  async accept(on: boolean): Promise<boolean> {
    this.acceptCalls.push(on);
    if (on && (!this.online || this.fault)) return false;
    this.accepting = on;
    return true;
  }

  /** A customer puts money in: counted only while accepting (like the device's inhibits). */
  insert(value: number, source: 'coin' | 'note' = value >= 2000 ? 'note' : 'coin'): boolean {
    if (!this.accepting) return false;
    this.counter = this.counter >= 255 ? 1 : this.counter + 1;
    this.hub.emit({ type: 'credit', source, value, counter: this.counter });
    return true;
  }

  emit(e: CashDeviceEvent): void {
    if (e.type === 'fault') {
      this.fault = e.fault;
      this.accepting = false;
    }
    this.hub.emit(e);
  }

  async payout(amount: number, step: (s: CashPayoutStep) => void): Promise<{ paid: number }> {
    this.payouts.push(amount);
    const coins = Math.floor(amount / 100);
    step({ step: 'dispensing', unit: 4, value: 100, coins, counter: 7 });
    if (this.hangPayout) return new Promise(() => {});
    const paidCoins = Math.min(coins, Math.floor(this.float / 100));
    this.float -= paidCoins * 100;
    step({ step: 'dispensed', unit: 4, value: 100, coins, paid: paidCoins, counter: 7 });
    return { paid: paidCoins * 100 };
  }

  async payoutOutcome(): Promise<{ paid: number; busy: boolean } | null> {
    return this.outcome;
  }

  listen(listener: (e: CashDeviceEvent) => void): () => void {
    return this.hub.listen(listener);
  }
}

/** Lets device events and payouts (promises) run. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};
