import { describe, expect, it } from 'vitest';
import { parseReport, ReportAssembler } from '../../drivers/hidpos/report';

/** Builds a 64-byte node-hid buffer (report id first) as a Honeywell/Zebra scanner sends it. */
function report(aim: string, data: string, opts: { more?: boolean; vendor?: number; aimOffset?: 2 | 3 } = {}): number[] {
  const b = new Array<number>(64).fill(0);
  b[0] = 0x02;
  b[1] = data.length;
  const at = opts.aimOffset ?? 2;
  [...aim].forEach((c, i) => (b[at + i] = c.charCodeAt(0)));
  [...data].forEach((c, i) => (b[at + 3 + i] = c.charCodeAt(0)));
  b[61] = opts.vendor ?? 0;
  b[63] = opts.more ? 1 : 0;
  return b;
}

describe('HID POS scanned-data reports', () => {
  it('reads the README example: EAN-13 5901234123457 with ]E0, vendor symbology 100', () => {
    const hexReport = '02 0D 5D 45 30 35 39 30 31 32 33 34 31 32 33 34 35 37'.split(' ').map((x) => parseInt(x, 16));
    const buf = [...hexReport, ...new Array<number>(64 - hexReport.length).fill(0)];
    buf[61] = 100;
    expect(parseReport(buf)).toEqual({ ok: true, chunk: { aim: ']E0', data: '5901234123457', more: false, vendorSymbology: 100 } });
  });
  it('finds the AIM id one byte later on devices that put it there, and drops a trailing CR', () => {
    expect(parseReport(report(']E4', '96385074\r', { aimOffset: 3 }))).toMatchObject({ ok: true, chunk: { aim: ']E4', data: '96385074' } });
  });
  it('joins a GS1-128 element string longer than 56 characters from continuation reports', () => {
    const gs = '\x1d';
    const full = `0107350053850019${'3103001234'}17261231${'10'}BATCH${'A'.repeat(30)}${gs}3922004995`;
    const a = new ReportAssembler();
    expect(a.push(report(']C1', full.slice(0, 56), { more: true }))).toEqual({});
    expect(a.push(report(']C1', full.slice(56)))).toEqual({ scan: { code: ']C1' + full, aim: ']C1' } });
  });
  it('reports garbage as a warning, never a scan, and recovers for the next good report', () => {
    const a = new ReportAssembler();
    expect(a.push([0x01, 0x05, 1, 2, 3]).warning).toMatch(/not a scanned-data report/);
    expect(a.push([0x02, 0x3f, ...new Array<number>(62).fill(0x41)]).warning).toMatch(/bad data length/);
    expect(a.push([0x02]).warning).toMatch(/too short/);
    expect(a.push(report(']E0', '5901234123457')).scan).toEqual({ code: ']E05901234123457', aim: ']E0' });
  });
});
