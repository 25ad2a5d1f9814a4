/**
 * The coin acceptor and the bill validator: what each coin position / bill type is worth (read
 * from the device: headers 184, 156 and 157), their inhibits (231, 228), and their buffered
 * events (229, 159) turned into credits and faults without missing or double-counting one — the
 * event counter says how many of the five buffered results are new.
 */
import type { CcTalkBus } from './bus';
import { ADDRESS, ascii, BILL_ESCROW, BILL_EVENT, BILL_STACKED, billValue, coinValue, COIN_ERROR, H, newEventCount, parseBufferedEvents } from './protocol';

export type Source = 'coin' | 'bill';

export type AcceptorEvent =
  /** Money counted in: a coin accepted, a note stacked. `counter` is the device's event counter. */
  | { kind: 'credit'; source: Source; value: number; position: number; counter: number }
  /** A note validated and held in escrow: route it (stack or return). */
  | { kind: 'escrow'; value: number; position: number; counter: number }
  | { kind: 'fault'; source: Source; fault: 'jam' | 'full'; code: number; counter: number }
  /** Money refused and handed back (inhibited, not recognised, returned from escrow); nothing to book. */
  | { kind: 'rejected'; source: Source; code: number; counter: number }
  /** Events the device overwrote before they were read (more than five since the last poll), or a device reset. */
  | { kind: 'lost'; source: Source; count: number | null };

const COIN_JAMS: ReadonlySet<number> = new Set([COIN_ERROR.creditSensorBlocked, COIN_ERROR.sorterOptoBlocked, COIN_ERROR.manifoldOptoBlocked]);
const BILL_JAMS: ReadonlySet<number> = new Set([BILL_EVENT.jammedUnsafe, BILL_EVENT.jammedInStacker, BILL_EVENT.stackerJammed, BILL_EVENT.jammedSafe]);

/** Reads the coin positions' values (1…16); positions of another currency or unreadable ids stay 0 (never enabled). */
export async function readCoinValues(bus: CcTalkBus, country: string): Promise<number[] | null> {
  const values: number[] = [];
  for (let pos = 1; pos <= 16; pos++) {
    const r = await bus.request(ADDRESS.coin, H.coinId, [pos]);
    if (!r.ok) {
      if (pos === 1) return null; // no coin acceptor answering
      values.push(0);
      continue;
    }
    values.push(coinValue(ascii(r.data), country) ?? 0);
  }
  return values;
}

/** Reads the bill types' values (1…16) with the country's scaling factor. */
export async function readBillValues(bus: CcTalkBus, country: string): Promise<number[] | null> {
  const scale = await bus.request(ADDRESS.bill, H.countryScaling, Array.from(Buffer.from(country, 'latin1')));
  if (!scale.ok || scale.data.length !== 3) return null;
  const scaling = { factor: scale.data[0]! + 256 * scale.data[1]!, decimals: scale.data[2]! };
  const values: number[] = [];
  for (let type = 1; type <= 16; type++) {
    const r = await bus.request(ADDRESS.bill, H.billId, [type]);
    values.push(r.ok ? (billValue(ascii(r.data), country, scaling) ?? 0) : 0);
  }
  return values;
}

/** Inhibit mask bytes enabling every position with a value. */
export function enableMask(values: readonly number[]): [number, number] {
  let m = 0;
  values.forEach((v, i) => {
    if (v > 0) m |= 1 << i;
  });
  return [m & 0xff, (m >> 8) & 0xff];
}

/** Turns acceptance on (the positions with a value) or off; true when the device acknowledged both commands. */
export async function setAcceptance(bus: CcTalkBus, address: number, values: readonly number[], on: boolean): Promise<boolean> {
  const mask = on ? enableMask(values) : [0, 0];
  const a = await bus.request(address, H.modifyInhibit, mask);
  const b = await bus.request(address, H.modifyMasterInhibit, [on ? 1 : 0]);
  // Both are plain ACKs: an answer with data is not theirs.
  return a.ok && a.data.length === 0 && b.ok && b.data.length === 0;
}

/**
 * Follows one device's event buffer. The first reading sets the baseline — the last counter the
 * terminal recorded (so events buffered while the terminal was down are still counted), or the
 * device's counter when the terminal has none.
 */
export class EventTracker {
  private last: number | null = null;

  constructor(
    readonly source: Source,
    private readonly values: () => readonly number[],
    private readonly recorded: () => number | null,
  ) {}

  get lastCounter(): number | null {
    return this.last;
  }

  /** The answer to 229 / 159 → the new events, oldest first. */
  take(data: Uint8Array): AcceptorEvent[] | null {
    const b = parseBufferedEvents(data);
    if (!b) return null;
    if (this.last === null) {
      const rec = this.recorded();
      this.last = rec ?? b.counter;
      if (rec !== null && b.counter !== rec && b.counter !== 0 && newEventCount(rec, b.counter).count > 5) {
        // More happened than the device kept: start from what it still has.
        const lost = newEventCount(rec, b.counter).count - 5;
        this.last = (b.counter - 5 + 255 * 2 - 1) % 255 + 1;
        return [{ kind: 'lost', source: this.source, count: lost }, ...this.take(data)!];
      }
    }
    const { count, reset } = newEventCount(this.last, b.counter);
    if (reset) {
      this.last = 0;
      return [{ kind: 'lost', source: this.source, count: null }];
    }
    const out: AcceptorEvent[] = [];
    if (count > 5) out.push({ kind: 'lost', source: this.source, count: count - 5 });
    const fresh = Math.min(count, 5);
    for (let i = fresh - 1; i >= 0; i--) {
      const [a, bb] = b.results[i]!;
      const counter = (b.counter - i - 1 + 255 * 2) % 255 + 1;
      out.push(this.decode(a, bb, counter));
    }
    this.last = b.counter;
    return out;
  }

  private decode(a: number, b: number, counter: number): AcceptorEvent {
    const values = this.values();
    if (this.source === 'coin') {
      if (a !== 0) return { kind: 'credit', source: 'coin', value: values[a - 1] ?? 0, position: a, counter };
      if (COIN_JAMS.has(b)) return { kind: 'fault', source: 'coin', fault: 'jam', code: b, counter };
      return { kind: 'rejected', source: 'coin', code: b, counter };
    }
    if (a !== 0 && b === BILL_STACKED) return { kind: 'credit', source: 'bill', value: values[a - 1] ?? 0, position: a, counter };
    if (a !== 0 && b === BILL_ESCROW) return { kind: 'escrow', value: values[a - 1] ?? 0, position: a, counter };
    if (a !== 0) return { kind: 'rejected', source: 'bill', code: b, counter };
    if (BILL_JAMS.has(b)) return { kind: 'fault', source: 'bill', fault: 'jam', code: b, counter };
    if (b === BILL_EVENT.stackerFull) return { kind: 'fault', source: 'bill', fault: 'full', code: b, counter };
    return { kind: 'rejected', source: 'bill', code: b, counter };
  }
}
