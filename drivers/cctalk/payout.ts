/**
 * Paying change from the hoppers: largest coin first, each hopper enabled (164), told how many
 * coins (167) and watched (166) until it has paid what it could; what one hopper could not pay is
 * tried with the next smaller one. The project's choice for header 167 is the unencrypted form:
 * eight security bytes (zero; an unencrypted hopper ignores them) then the number of coins, the
 * hopper answering with its event counter. A dispense command is never sent twice: if its answer
 * is lost, the hopper's status (its event counter) says whether it was taken.
 */
import type { CcTalkBus } from './bus';
import { H, HOPPER_ENABLE, nextCounter } from './protocol';

export interface HopperInfo {
  address: number;
  /** The coin it pays out, minor units. */
  value: number;
}

export interface HopperStatus {
  counter: number;
  remaining: number;
  paid: number;
  unpaid: number;
}

/** Each step as it happens, so the terminal can journal it before and after it moves coins. */
export type PayoutStep =
  | { step: 'dispensing'; hopper: number; value: number; coins: number; counter: number }
  | { step: 'dispensed'; hopper: number; value: number; coins: number; paid: number; counter: number }
  | { step: 'failed'; hopper: number; value: number; coins: number; reason: string };

export interface PayoutResult {
  requested: number;
  paid: number;
}

export async function hopperStatus(bus: CcTalkBus, address: number): Promise<HopperStatus | null> {
  const r = await bus.request(address, H.hopperStatus);
  if (!r.ok || r.data.length !== 4) return null;
  return { counter: r.data[0]!, remaining: r.data[1]!, paid: r.data[2]!, unpaid: r.data[3]! };
}

/** Coins of each hopper for an amount, largest first; what no hopper can make stays over. */
export function planPayout(amount: number, hoppers: readonly HopperInfo[], skip: ReadonlySet<number> = new Set()): Array<{ hopper: HopperInfo; coins: number }> {
  const plan: Array<{ hopper: HopperInfo; coins: number }> = [];
  let left = amount;
  for (const h of [...hoppers].sort((a, b) => b.value - a.value)) {
    if (skip.has(h.address) || h.value <= 0) continue;
    const coins = Math.floor(left / h.value);
    if (coins > 0) {
      plan.push({ hopper: h, coins });
      left -= coins * h.value;
    }
  }
  return plan;
}

/**
 * Pays `amount` out. Resolves with what was paid (never more than asked). `coinMs` bounds how
 * long one coin may take before the payout is given up as stuck.
 */
export async function payout(bus: CcTalkBus, hoppers: readonly HopperInfo[], amount: number, progress: (s: PayoutStep) => void, coinMs = 500): Promise<PayoutResult> {
  let paid = 0;
  const emptied = new Set<number>();
  for (let round = 0; round < hoppers.length + 1 && paid < amount; round++) {
    const plan = planPayout(amount - paid, hoppers, emptied);
    if (plan.length === 0) break;
    for (const { hopper, coins } of plan) {
      let left = coins;
      while (left > 0) {
        const n = Math.min(left, 255);
        const got = await dispense(bus, hopper, n, progress, coinMs);
        paid += got * hopper.value;
        left -= n;
        if (got < n) {
          emptied.add(hopper.address); // empty or stuck: the rest goes to a smaller coin
          break;
        }
      }
      if (emptied.has(hopper.address)) break; // plan again without it
    }
  }
  return { requested: amount, paid };
}

/** One dispense command to one hopper and its outcome: coins actually paid. */
async function dispense(bus: CcTalkBus, h: HopperInfo, coins: number, progress: (s: PayoutStep) => void, coinMs: number): Promise<number> {
  const fail = (reason: string) => {
    progress({ step: 'failed', hopper: h.address, value: h.value, coins, reason });
    return 0;
  };
  const before = await hopperStatus(bus, h.address);
  if (!before) return fail('the hopper does not answer');
  if (!(await bus.request(h.address, H.enableHopper, [HOPPER_ENABLE])).ok) return fail('the hopper could not be enabled');
  const expected = nextCounter(before.counter);
  progress({ step: 'dispensing', hopper: h.address, value: h.value, coins, counter: expected });
  const r = await bus.request(h.address, H.dispense, [0, 0, 0, 0, 0, 0, 0, 0, coins]);
  if (!r.ok || r.data.length !== 1 || r.data[0] !== expected) {
    // Lost answer: did the hopper take the command? Its counter tells; never send it again.
    const now = await hopperStatus(bus, h.address);
    if (!now || now.counter !== expected) return fail(!r.ok && r.reason === 'nak' ? 'the hopper refused to pay out' : 'the hopper did not take the payout');
  }
  const until = performance.now() + coins * coinMs + 1_000;
  for (;;) {
    await new Promise((res) => setTimeout(res, 20));
    const st = await hopperStatus(bus, h.address);
    if (st && st.counter === expected && st.remaining === 0) {
      const done = Math.min(st.paid, coins);
      progress({ step: 'dispensed', hopper: h.address, value: h.value, coins, paid: done, counter: expected });
      return done;
    }
    if (performance.now() > until) {
      const stopped = await bus.request(h.address, H.emergencyStop); // [coins remaining]
      const last = await hopperStatus(bus, h.address);
      const done = last && last.counter === expected ? Math.min(last.paid, coins) : 0;
      progress({ step: 'dispensed', hopper: h.address, value: h.value, coins, paid: done, counter: expected });
      if (!stopped.ok) progress({ step: 'failed', hopper: h.address, value: h.value, coins, reason: 'the hopper did not stop' });
      return done;
    }
  }
}
