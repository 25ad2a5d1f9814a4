/**
 * ccTalk (the open coin and note validator / hopper protocol, "ccTalk Generic Specification"),
 * pure: frames, the simple 8-bit checksum, the header numbers and event codes this terminal uses,
 * and the coin / bill naming. A frame is
 *
 *   [destination] [data length] [source] [header] [data …] [checksum]
 *
 * with the checksum chosen so that all bytes of the frame sum to 0 mod 256. The host is address 1;
 * a reply carries header 0 (ACK, with data when the command returns some) or 5 (NAK).
 * Default addresses: coin acceptor 2, payout (hoppers) 3…, bill validator 40. 9600 8N1.
 */

export const HOST_ADDRESS = 1;
export const ADDRESS = { coin: 2, bill: 40 } as const;
/** Hoppers are numbered up from 3 (3 to 10 on a multi-hopper bus). */
export const FIRST_HOPPER = 3;
export const CCTALK_SERIAL = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 } as const;

/** The headers used here (generic specification, part 2). */
export const H = {
  reply: 0,
  nak: 5,
  simplePoll: 254,
  equipmentCategory: 245,
  manufacturer: 246,
  productCode: 244,
  selfCheck: 232,
  modifyInhibit: 231,
  requestInhibit: 230,
  readCredits: 229,
  modifyMasterInhibit: 228,
  requestMasterInhibit: 227,
  coinId: 184,
  hopperCoin: 171,
  emergencyStop: 172,
  dispense: 167,
  hopperStatus: 166,
  enableHopper: 164,
  testHopper: 163,
  readBills: 159,
  billId: 157,
  countryScaling: 156,
  routeBill: 154,
} as const;

/** Enable code for header 164. */
export const HOPPER_ENABLE = 165;
/** Route codes for header 154 and its error answers. */
export const ROUTE = { return: 0, stack: 1, extendEscrow: 255, escrowEmpty: 254, failed: 255 } as const;

/** Coin acceptor error codes (result B when result A is 0): the ones this terminal acts on. */
export const COIN_ERROR = {
  none: 0,
  reject: 1,
  inhibited: 2,
  creditSensorBlocked: 14,
  sorterOptoBlocked: 15,
  manifoldOptoBlocked: 32,
} as const;
/** Bill validator event codes (result B when result A is 0). */
export const BILL_EVENT = {
  masterInhibit: 0,
  returnedFromEscrow: 1,
  invalidValidation: 2,
  invalidTransport: 3,
  inhibitedSerial: 4,
  jammedUnsafe: 6,
  jammedInStacker: 7,
  pulledBackwards: 8,
  stackerOk: 10,
  stackerRemoved: 11,
  stackerInserted: 12,
  stackerFaulty: 13,
  stackerFull: 14,
  stackerJammed: 15,
  jammedSafe: 16,
} as const;
/** Result B after a bill type in result A: credited (stacked) or held in escrow awaiting a route. */
export const BILL_STACKED = 0;
export const BILL_ESCROW = 1;
/** Self-check (232) fault codes this terminal names; 0 is no fault. */
export const FAULT = { ok: 0, coinDispensing: 10, payoutJammed: 25, billJammed: 39, stackerFull: 45 } as const;

export interface Frame {
  dest: number;
  src: number;
  header: number;
  data: Uint8Array;
}

export function checksum(bytes: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum = (sum + bytes[i]!) & 0xff;
  return (256 - sum) & 0xff;
}

export function encodeFrame(f: { dest: number; src: number; header: number; data?: ArrayLike<number> }): Uint8Array {
  const data = Array.from(f.data ?? []);
  if (data.length > 255) throw new Error('a ccTalk frame carries at most 255 data bytes');
  for (const b of [f.dest, f.src, f.header, ...data]) if (!Number.isInteger(b) || b < 0 || b > 255) throw new Error(`not a byte: ${b}`);
  const body = [f.dest, data.length, f.src, f.header, ...data];
  return Uint8Array.from([...body, checksum(body)]);
}

export type FramerEvent = { kind: 'frame'; frame: Frame } | { kind: 'badChecksum'; bytes: number } | { kind: 'noise'; bytes: number };

/**
 * Splits a byte stream into frames. A frame whose checksum does not add up is dropped and
 * counted; the search goes on from its second byte, so a good frame behind line noise is still
 * found. A partial frame older than `gapMs` (the specification's inter-byte timeout is 50 ms) is
 * dropped as noise when more bytes arrive.
 */
export class CcTalkFramer {
  private buf: number[] = [];
  private lastAt = 0;
  badChecksums = 0;
  noiseBytes = 0;

  constructor(private readonly gapMs = 50) {}

  push(chunk: ArrayLike<number>, now = performance.now()): FramerEvent[] {
    const out: FramerEvent[] = [];
    if (this.buf.length && now - this.lastAt > this.gapMs) this.dropNoise(this.buf.length, out);
    this.lastAt = now;
    for (let i = 0; i < chunk.length; i++) this.buf.push(chunk[i]! & 0xff);
    for (;;) {
      if (this.buf.length < 5) break;
      const len = this.buf[1]!;
      const total = len + 5;
      if (this.buf.length < total) {
        // Noise whose "length" byte says more is coming must not hold back a whole, good frame behind it.
        const later = this.completeFrameAfterStart();
        if (later > 0) {
          this.dropNoise(later, out);
          continue;
        }
        break;
      }
      const bytes = this.buf.slice(0, total);
      if (checksum(bytes.slice(0, -1)) === bytes[total - 1]) {
        this.buf.splice(0, total);
        out.push({ kind: 'frame', frame: { dest: bytes[0]!, src: bytes[2]!, header: bytes[3]!, data: Uint8Array.from(bytes.slice(4, -1)) } });
      } else {
        this.badChecksums++;
        out.push({ kind: 'badChecksum', bytes: total });
        this.buf.splice(0, 1); // resynchronise one byte on
      }
    }
    return out;
  }

  /** Where a complete frame with a good checksum starts after the first byte, or -1. */
  private completeFrameAfterStart(): number {
    for (let j = 1; j + 5 <= this.buf.length; j++) {
      const total = this.buf[j + 1]! + 5;
      if (j + total > this.buf.length) continue;
      if (checksum(this.buf.slice(j, j + total - 1)) === this.buf[j + total - 1]) return j;
    }
    return -1;
  }

  private dropNoise(n: number, out: FramerEvent[]): void {
    this.buf.splice(0, n);
    this.noiseBytes += n;
    out.push({ kind: 'noise', bytes: n });
  }

  /** Drops a partial frame (before a new request, or when the line was lost); returns how many bytes went. */
  reset(): number {
    const n = this.buf.length;
    this.noiseBytes += n;
    this.buf = [];
    return n;
  }
}

export interface BufferedEvents {
  counter: number;
  /** Newest first, as the device sends them: [result A, result B]. */
  results: Array<[number, number]>;
}

/** The answer to header 229 (coins) or 159 (bills): an event counter and five result pairs. */
export function parseBufferedEvents(data: Uint8Array): BufferedEvents | null {
  if (data.length !== 11) return null;
  const results: Array<[number, number]> = [];
  for (let i = 0; i < 5; i++) results.push([data[1 + 2 * i]!, data[2 + 2 * i]!]);
  return { counter: data[0]!, results };
}

/** The device side: five pairs, newest first, padded with null events. */
export function bufferedEventsData(counter: number, newestFirst: ReadonlyArray<readonly [number, number]>): number[] {
  const out = [counter];
  for (let i = 0; i < 5; i++) out.push(...(newestFirst[i] ?? [0, 0]));
  return out;
}

/** Counters run 1…255 then wrap to 1; 0 only after power-up or a reset. */
export function nextCounter(c: number): number {
  return c >= 255 ? 1 : c + 1;
}

/**
 * How many events are new since the last counter seen: 0…255. `reset` when the device counts from
 * 0 again (power cut or reset: what happened in between is not known).
 */
export function newEventCount(last: number, now: number): { count: number; reset: boolean } {
  if (now === last) return { count: 0, reset: false };
  if (now === 0) return { count: 0, reset: true };
  if (last === 0) return { count: now, reset: false };
  return { count: (now - last + 255) % 255, reset: false };
}

/**
 * A coin's value in minor units from its 6-character id ([country][value code][issue], e.g.
 * "SE100A" for 1 kr, "EU200A" for 2 €): the value code is in the currency's lowest unit, and a
 * 'K' or 'M' in it stands for the decimal point of thousands or millions ("1K0" = 1000, "2K5" =
 * 2500). Null when it cannot be read (that coin stays inhibited).
 */
export function coinValue(id: string, country: string): number | null {
  if (!/^[A-Z]{2}[0-9KM.]{3}[A-Z]$/.test(id) || id.slice(0, 2) !== country) return null;
  return valueCode(id.slice(2, 5));
}

function valueCode(code: string): number | null {
  const m = /^([0-9]*)([KM]?)([0-9]*)$/.exec(code);
  if (!m || code.includes('.')) return null;
  const [, whole = '', mark, frac = ''] = m;
  if (!mark) return /^[0-9]+$/.test(code) && Number(code) > 0 ? Number(code) : null;
  const scale = mark === 'K' ? 3 : 6;
  if (frac.length > scale) return null;
  const v = Number(whole || '0') * 10 ** scale + Number((frac || '0').padEnd(scale, '0'));
  return v > 0 ? v : null;
}

/**
 * A bill's value in minor units from its 7-character id ([country][4-digit value][issue], e.g.
 * "SE0100A") and the country's scaling factor (header 156: value × factor in units of
 * 10^-decimals of the currency), for a currency with `minorDigits` (2 for SEK and EUR).
 */
export function billValue(id: string, country: string, scaling: { factor: number; decimals: number }, minorDigits = 2): number | null {
  if (!/^[A-Z]{2}[0-9]{4}[A-Z]$/.test(id) || id.slice(0, 2) !== country || scaling.factor <= 0) return null;
  const v = Number(id.slice(2, 6)) * scaling.factor;
  const shift = minorDigits - scaling.decimals;
  const minor = shift >= 0 ? v * 10 ** shift : v / 10 ** -shift;
  return Number.isInteger(minor) && minor > 0 ? minor : null;
}

export const ascii = (data: Uint8Array): string => Buffer.from(data).toString('latin1');
export const bytesOf = (s: string): number[] => Array.from(Buffer.from(s, 'latin1'));

/** The ccTalk country code of a currency (the coin and bill ids carry it). */
export function countryOf(currency: string): string {
  return currency === 'EUR' ? 'EU' : currency.slice(0, 2);
}
