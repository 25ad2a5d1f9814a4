/**
 * Mettler Toledo 8217 counter-scale protocol, the protocol layer (9600 7E1). The host sends one
 * byte ('W' = weight request); each reply is STX … CR: a weight in kg as ASCII ("01.250", with
 * 'N' when a tare is set) or a status reply STX '?' <status> CR. Pure functions.
 */

export const STX = 0x02;
export const CR = 0x0d;
export const WEIGHT_REQUEST = Uint8Array.of(0x57);
export const SERIAL_OPTIONS = { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 } as const;

export type ScaleReply =
  | { kind: 'weight'; grams: number; net: boolean }
  | { kind: 'status'; inMotion: boolean; overCapacity: boolean; underZero: boolean; centerOfZero: boolean; net: boolean; badCommand: boolean }
  | { kind: 'invalid'; reason: string };

/** Parses one reply frame: the bytes between STX and CR (both excluded). */
export function parseReply(body: ArrayLike<number>): ScaleReply {
  if (body.length === 2 && body[0] === 0x3f) {
    const s = body[1]!;
    return { kind: 'status', inMotion: !!(s & 0x01), overCapacity: !!(s & 0x02), underZero: !!(s & 0x04), centerOfZero: !!(s & 0x10), net: !!(s & 0x20), badCommand: !!(s & 0x40) };
  }
  let text = '';
  for (let i = 0; i < body.length; i++) text += String.fromCharCode(body[i]!);
  const m = /^(\d{2})\.(\d{3})(N?)$/.exec(text);
  if (!m) return { kind: 'invalid', reason: `unreadable scale reply ${JSON.stringify(text)}` };
  return { kind: 'weight', grams: Number(m[1]) * 1000 + Number(m[2]), net: m[3] === 'N' };
}

/**
 * The rule for a weighed line: only a stable, positive weight reply becomes a line. Returns the
 * grams, or why not (for the cashier's message).
 */
export function weightForLine(r: ScaleReply): { grams: number } | { refused: 'inMotion' | 'overCapacity' | 'underZero' | 'zero' | 'invalid' } {
  if (r.kind === 'invalid') return { refused: 'invalid' };
  if (r.kind === 'status') return { refused: r.overCapacity ? 'overCapacity' : r.underZero ? 'underZero' : r.inMotion ? 'inMotion' : 'invalid' };
  return r.grams > 0 ? { grams: r.grams } : { refused: 'zero' };
}

/** Cuts STX…CR frames out of a byte stream; bytes outside frames are reported, never thrown. */
export class ReplyFramer {
  private body: number[] | null = null;
  private static readonly MAX = 32;

  push(chunk: ArrayLike<number>): Array<{ reply: ScaleReply } | { garbage: number }> {
    const out: Array<{ reply: ScaleReply } | { garbage: number }> = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.body === null) {
        if (b === STX) this.body = [];
        else out.push({ garbage: b });
      } else if (this.body.length === 1 && this.body[0] === 0x3f) {
        this.body.push(b); // the status byte after '?' may take any value, even STX (02)
      } else if (b === CR) {
        out.push({ reply: parseReply(this.body) });
        this.body = null;
      } else if (b === STX) {
        out.push({ reply: { kind: 'invalid', reason: 'reply cut short' } });
        this.body = [];
      } else {
        this.body.push(b);
        if (this.body.length > ReplyFramer.MAX) {
          out.push({ reply: { kind: 'invalid', reason: 'reply too long' } });
          this.body = null;
        }
      }
    }
    return out;
  }
}
