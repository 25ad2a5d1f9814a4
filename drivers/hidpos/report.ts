/**
 * HID POS barcode scanner reports (usage page 0x8C), the protocol layer. node-hid hands a numbered
 * report with the report id first, so offsets are one higher than in the usage tables.
 *
 *   [0] report id (2 = scanned data)  [1] number of data bytes  [2..4] AIM id (or [3..5])
 *   [5..] data (≤ 56 bytes)  [61] vendor symbology  [63] non-zero: more reports follow
 */

export const SCANNED_DATA_REPORT = 0x02;
/** Feature report 0xFE with 0x01 switches some Honeywell scanners into HID POS mode. */
export const HID_POS_MODE_FEATURE = Uint8Array.of(0xfe, 0x01);
export const NEEDS_MODE_SWITCH_VENDORS = new Set([0x0c2e, 0x23d0]);

export interface ReportChunk {
  aim: string | null;
  data: string;
  more: boolean;
  vendorSymbology: number | null;
}

export type ParseResult = { ok: true; chunk: ReportChunk } | { ok: false; reason: string };

const latin1 = (bytes: ArrayLike<number>, from: number, to: number) => {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i]!);
  return s;
};

export function parseReport(buf: ArrayLike<number>): ParseResult {
  if (buf.length < 5) return { ok: false, reason: `report too short (${buf.length} bytes)` };
  if (buf[0] !== SCANNED_DATA_REPORT) return { ok: false, reason: `not a scanned-data report (id ${buf[0]})` };
  const length = buf[1]!;
  // The AIM id is at [2..4], or at [3..5] on some devices: find the ']'.
  const aimAt = buf[2] === 0x5d ? 2 : buf[3] === 0x5d ? 3 : -1;
  // The length byte counts the data bytes only (not the AIM id); data follows the AIM id.
  const dataStart = aimAt >= 0 ? aimAt + 3 : 2;
  const dataEnd = dataStart + length;
  if (length > 56 || dataEnd > buf.length || (buf.length > 61 && dataEnd > 61)) return { ok: false, reason: `bad data length ${length}` };
  let data = latin1(buf, dataStart, dataEnd);
  if (data.endsWith('\r')) data = data.slice(0, -1);
  return {
    ok: true,
    chunk: {
      aim: aimAt >= 0 ? latin1(buf, aimAt, aimAt + 3) : null,
      data,
      more: buf.length > 63 ? buf[63] !== 0 : false,
      vendorSymbology: buf.length > 61 && buf[61] !== 0 ? buf[61]! : null,
    },
  };
}

export interface Scan {
  /** The code as the checkout resolves it: AIM id (if any) + data; GS separators kept. */
  code: string;
  aim: string | null;
}

/** Joins continuation reports into one scan; a report that does not parse resets it. */
export class ReportAssembler {
  private parts: string[] = [];
  private aim: string | null = null;
  private static readonly MAX = 4096;

  push(buf: ArrayLike<number>): { scan?: Scan; warning?: string } {
    const r = parseReport(buf);
    if (!r.ok) {
      this.parts = [];
      return { warning: r.reason };
    }
    if (this.parts.length === 0) this.aim = r.chunk.aim;
    this.parts.push(r.chunk.data);
    if (this.parts.join('').length > ReportAssembler.MAX) {
      this.parts = [];
      return { warning: 'scan longer than 4 kB dropped' };
    }
    if (r.chunk.more) return {};
    const data = this.parts.join('');
    this.parts = [];
    return { scan: { code: (this.aim ?? '') + data, aim: this.aim } };
  }
}

/**
 * The device side: the report(s) a HID POS scanner sends for one code, 64 bytes each with the
 * report id first (as node-hid delivers them); codes longer than 56 bytes span several reports.
 */
export function encodeReports(data: string, aim: string | null = null, vendorSymbology = 0): Uint8Array[] {
  const bytes = Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length || out.length === 0; at += 56) {
    const part = bytes.subarray(at, at + 56);
    const r = new Uint8Array(64);
    r[0] = SCANNED_DATA_REPORT;
    r[1] = part.length;
    let o = 2;
    if (aim) {
      for (let i = 0; i < 3; i++) r[2 + i] = aim.charCodeAt(i) & 0xff;
      o = 5;
    }
    r.set(part, o);
    r[61] = vendorSymbology;
    r[63] = at + 56 < bytes.length ? 1 : 0;
    out.push(r);
  }
  return out;
}
