/**
 * ESC/POS printer status, the protocol layer: real-time status (DLE EOT n) replies, Automatic
 * Status Back (GS a n) frames and process ID responses (GS ( H), parsed from the byte stream with
 * XON/XOFF filtered. Pure functions.
 */

export const DLE_EOT = (n: 1 | 2 | 3 | 4): Uint8Array => Uint8Array.of(0x10, 0x04, n);
/** GS a n: enable Automatic Status Back for drawer, online/offline, error and paper sensors. */
export const ENABLE_ASB = Uint8Array.of(0x1d, 0x61, 0x0f);
/**
 * GS ( H pL pH fn m d1 d2 d3 d4 (fn = m = 48): the printer answers with the process ID response
 * `37H 22H d1 d2 d3 d4 00H` once it has processed everything before the command — for print data,
 * once it is printed. `id` is four digits ('0'-'9', 30H-39H), as Epson specifies.
 */
export function processIdRequest(id: string): Uint8Array {
  if (!/^[0-9]{4}$/.test(id)) throw new RangeError(`process ID ${JSON.stringify(id)} is not four digits`);
  return Uint8Array.of(0x1d, 0x28, 0x48, 0x06, 0x00, 0x30, 0x30, ...[...id].map((c) => c.charCodeAt(0)));
}
/** The process ID response: header 37H, identifier 22H, four digits, NUL. */
export function processIdResponse(id: string): Uint8Array {
  return Uint8Array.of(0x37, 0x22, ...[...id].map((c) => c.charCodeAt(0)), 0x00);
}
export const XON = 0x11;
export const XOFF = 0x13;

export interface PrinterStatus {
  online: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  /** Drawer kick-out connector pin 3 high (most drawers: open). */
  drawerPin3High: boolean;
  /** Mechanical, autocutter, unrecoverable or auto-recoverable error. */
  error: 'mechanical' | 'autocutter' | 'unrecoverable' | 'recoverable' | null;
  feedButton: boolean;
}

export const UNKNOWN_STATUS: PrinterStatus = {
  online: false,
  coverOpen: false,
  paperOut: false,
  paperNearEnd: false,
  drawerPin3High: false,
  error: null,
  feedButton: false,
};

const bit = (b: number, n: number) => (b & (1 << n)) !== 0;

/** A real-time status reply has the fixed pattern 0xx1xx10. */
export function isRealtimeReply(b: number): boolean {
  return (b & 0x93) === 0x12;
}

/** Applies the reply to DLE EOT n onto a status (each n reports different fields). */
export function applyDleEot(status: PrinterStatus, n: 1 | 2 | 3 | 4, b: number): PrinterStatus {
  if (!isRealtimeReply(b)) throw new RangeError(`0x${b.toString(16)} is not a real-time status reply`);
  switch (n) {
    case 1:
      return { ...status, drawerPin3High: bit(b, 2), online: !bit(b, 3) };
    case 2:
      return { ...status, coverOpen: bit(b, 2), feedButton: bit(b, 3), paperOut: bit(b, 5), error: bit(b, 6) ? (status.error ?? 'recoverable') : status.error };
    case 3:
      return {
        ...status,
        error: bit(b, 2) ? 'mechanical' : bit(b, 3) ? 'autocutter' : bit(b, 5) ? 'unrecoverable' : bit(b, 6) ? 'recoverable' : null,
      };
    case 4:
      return { ...status, paperNearEnd: bit(b, 2) || bit(b, 3), paperOut: status.paperOut || bit(b, 5) || bit(b, 6) };
  }
}

/** Full status from the four replies of one polling round (DLE EOT 1, 2, 3, 4). */
export function statusFromDleEot(r1: number, r2: number, r3: number, r4: number): PrinterStatus {
  let s: PrinterStatus = { ...UNKNOWN_STATUS, online: true };
  s = applyDleEot(s, 1, r1);
  s = applyDleEot(s, 2, r2);
  s = applyDleEot(s, 3, r3);
  s = applyDleEot(s, 4, r4);
  return s;
}

/** An ASB frame is 4 bytes; the first has the pattern 0xx1xx00. */
export function isAsbStart(b: number): boolean {
  return (b & 0x93) === 0x10;
}

/** The second to fourth bytes of an ASB frame have the pattern 0xx0xxxx. */
export function isAsbFollower(b: number): boolean {
  return (b & 0x90) === 0;
}

/** A whole ASB frame: four bytes, each with its fixed bits right. */
export function isAsbFrame(frame: ArrayLike<number>): boolean {
  if (frame.length !== 4 || !isAsbStart(frame[0]!)) return false;
  for (let i = 1; i < 4; i++) if (!isAsbFollower(frame[i]!)) return false;
  return true;
}

export function statusFromAsb(frame: ArrayLike<number>): PrinterStatus {
  if (!isAsbFrame(frame)) throw new RangeError('not an ASB frame');
  const [b1, b2, b3] = [frame[0]!, frame[1]!, frame[2]!];
  return {
    drawerPin3High: bit(b1, 2),
    online: !bit(b1, 3),
    coverOpen: bit(b1, 5),
    feedButton: bit(b1, 6),
    error: bit(b2, 2) ? 'mechanical' : bit(b2, 3) ? 'autocutter' : bit(b2, 5) ? 'unrecoverable' : bit(b2, 6) ? 'recoverable' : null,
    paperNearEnd: bit(b3, 0) || bit(b3, 1),
    paperOut: bit(b3, 2) || bit(b3, 3),
  };
}

export type StatusEvent =
  | { type: 'asb'; status: PrinterStatus }
  | { type: 'realtime'; byte: number }
  | { type: 'processId'; id: string }
  | { type: 'garbage'; byte: number };

const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

/**
 * Splits the printer's byte stream into ASB frames, process ID responses and real-time replies,
 * dropping XON/XOFF. Only complete ones count: an ASB frame whose four bytes all have their fixed
 * bits right, a process ID response whole, a reply byte with its fixed bits right. Bytes that fit
 * none (a broken frame's too) are reported as garbage, never thrown.
 */
export class StatusStreamParser {
  private frame: number[] = [];
  /** A process ID response being read (it starts with 37H). */
  private pid: number[] = [];

  push(chunk: ArrayLike<number>): StatusEvent[] {
    const out: StatusEvent[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === XON || b === XOFF) continue;
      if (this.pid.length > 0) {
        this.pid.push(b);
        const n = this.pid.length;
        const fits = n === 2 ? b === 0x22 : n <= 6 ? isDigit(b) : b === 0x00;
        if (!fits) {
          for (const g of this.pid) out.push({ type: 'garbage', byte: g });
          this.pid = [];
        } else if (n === 7) {
          out.push({ type: 'processId', id: String.fromCharCode(...this.pid.slice(2, 6)) });
          this.pid = [];
        }
        continue;
      }
      if (this.frame.length > 0) {
        if (isAsbFollower(b)) {
          this.frame.push(b);
          if (this.frame.length === 4) {
            out.push({ type: 'asb', status: statusFromAsb(this.frame) });
            this.frame = [];
          }
          continue;
        }
        // Not an ASB frame after all: what was taken for its start is garbage; this byte starts afresh.
        for (const g of this.frame) out.push({ type: 'garbage', byte: g });
        this.frame = [];
      }
      if (b === 0x37) this.pid.push(b);
      else if (isAsbStart(b)) this.frame.push(b);
      else if (isRealtimeReply(b)) out.push({ type: 'realtime', byte: b });
      else out.push({ type: 'garbage', byte: b });
    }
    return out;
  }
}

/** The faults that block printing (the printer holds data while any is present). */
export function blockingFault(s: PrinterStatus): 'paperOut' | 'coverOpen' | 'offline' | 'error' | null {
  if (s.paperOut) return 'paperOut';
  if (s.coverOpen) return 'coverOpen';
  if (s.error === 'mechanical' || s.error === 'autocutter' || s.error === 'unrecoverable') return 'error';
  if (!s.online) return 'offline';
  return null;
}
