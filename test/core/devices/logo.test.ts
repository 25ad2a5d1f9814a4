/** The receipt logo: PBM files in both encodings, clear refusals, and no real-time commands hidden in pixels. */
import { describe, expect, it } from 'vitest';
import { demoLogo, parsePbm } from '../../../core/printing/logo';
import { encodeReceipt } from '../../../drivers/escpos/receipt';

const bytes = (s: string) => new TextEncoder().encode(s);
const black = (img: { width: number; data: Uint8ClampedArray }, x: number, y: number) => img.data[(y * img.width + x) * 4] === 0;

describe('receipt logo', () => {
  it('reads P1 (text) and P4 (binary) PBM with comments', () => {
    const p1 = parsePbm(bytes('P1\n# a comment\n4 2\n1 0 0 1\n0 1 1 0\n'));
    expect([p1.width, p1.height]).toEqual([4, 2]);
    expect([black(p1, 0, 0), black(p1, 1, 0), black(p1, 3, 0), black(p1, 1, 1)]).toEqual([true, false, true, true]);
    const p4 = parsePbm(Uint8Array.from([...bytes('P4\n10 2\n'), 0b10000000, 0b01000000, 0b00000000, 0b11000000]));
    expect([p4.width, p4.height]).toEqual([10, 2]);
    expect([black(p4, 0, 0), black(p4, 9, 0), black(p4, 8, 1), black(p4, 9, 1), black(p4, 0, 1)]).toEqual([true, true, true, true, false]);
  });

  it('refuses what is not a usable PBM, with the reason', () => {
    expect(() => parsePbm(bytes('\x89PNG....'))).toThrow(/PBM/);
    expect(() => parsePbm(bytes('P1\n0 5\n'))).toThrow(/bad PBM size/);
    expect(() => parsePbm(bytes('P1\n5000 10\n'))).toThrow(/at most 576/);
    expect(() => parsePbm(bytes('P4\n16 4\n\x01'))).toThrow(/truncated/);
    expect(() => parsePbm(bytes('P1\n3 3\n1 0 1\n'))).toThrow(/truncated/);
  });

  it('prints as one GS v 0 raster image of the logo size, ahead of the text', () => {
    const out = encodeReceipt('Hej\n', { logo: demoLogo() });
    const at = Buffer.from(out).indexOf(Buffer.from([0x1d, 0x76, 0x30, 0x00]));
    expect(at).toBeGreaterThan(0);
    expect([out[at + 4]! + 256 * out[at + 5]!, out[at + 6]! + 256 * out[at + 7]!]).toEqual([36, 80]); // 288 px / 8, 80 rows
    expect(Buffer.from(out).indexOf(Buffer.from('Hej'))).toBeGreaterThan(at + 8 + 36 * 80);
  });

  it('pixels that would spell a real-time command (DLE EOT / DLE DC4) lose one dot instead', () => {
    // 16 px wide: row bytes 0x10 0x04 — DLE EOT — would make the printer answer a status request.
    const pbm = Uint8Array.from([...bytes('P4\n16 3\n'), 0x10, 0x04, 0x10, 0x14, 0xff, 0xff]);
    const out = Buffer.from(encodeReceipt('x\n', { logo: parsePbm(pbm) }));
    const at = out.indexOf(Buffer.from([0x1d, 0x76, 0x30]));
    const data = out.subarray(at + 8, at + 8 + 2 * 3);
    expect([...data]).toEqual([0x00, 0x04, 0x00, 0x14, 0xff, 0xff]);
  });
});
