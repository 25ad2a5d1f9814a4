/** Code 128 for the on-screen receipt: symbol values and checksums by hand, and the table's own rules. */
import { describe, expect, it } from 'vitest';
import { code128Path, code128Symbols, code128Widths } from '../../protocol/code128';
import { receiptParts } from '../../renderer/src/shared/receipt-parts';

describe('Code 128', () => {
  it('encodes text in code set B and an even run of digits in code set C, with the mod-103 checksum', () => {
    // B: start 104, "A" = 33, "B" = 34; checksum (104 + 33·1 + 34·2) mod 103 = 102; stop 106.
    expect(code128Symbols('AB')).toEqual([104, 33, 34, 102, 106]);
    // C: start 105, 12, 34; checksum (105 + 12·1 + 34·2) mod 103 = 82.
    expect(code128Symbols('1234')).toEqual([105, 12, 34, 82, 106]);
    expect(code128Symbols('åäö')).toBeNull();
  });

  it('has 107 symbols of 11 modules (the stop 13), each with an even number of bar modules', () => {
    for (let v = 0; v <= 105; v++) {
      const w = code128Widths([v]);
      expect(w, `symbol ${v}`).toHaveLength(6);
      expect(w.reduce((a, b) => a + b, 0), `symbol ${v}`).toBe(11);
      expect((w[0]! + w[2]! + w[4]!) % 2, `symbol ${v}`).toBe(0);
    }
    expect(code128Widths([106]).reduce((a, b) => a + b, 0)).toBe(13);
    // A receipt code: 33 characters → start, 33, checksum, stop = 36 symbols, 35·11 + 13 modules.
    const code = `R${'0123456789abcdef'.repeat(2)}`;
    expect(code128Widths(code128Symbols(code)!).reduce((a, b) => a + b, 0)).toBe(35 * 11 + 13);
  });

  it('draws the bars as one SVG path (bars only, in modules), shared by the lane and the digital receipt page', () => {
    const p = code128Path('AB', 40)!;
    expect(p.modules).toBe(4 * 11 + 13);
    // Start B is 2 1 1 2 1 4 (bar, space, …): its bars at x 0 (2 wide), 3 (1 wide), 6 (1 wide).
    expect(p.d.startsWith('M0 0h2v40h-2zM3 0h1v40h-1zM6 0h1v40h-1z')).toBe(true);
    expect(code128Path('åäö', 40)).toBeNull();
  });

  it('splits a receipt into its text, its QR code and its barcode', () => {
    expect(receiptParts('Kvitto 4\nSumma 12,00\n[QR] K1|4|12.00\n[BARCODE] R00ff\nTack!')).toEqual([
      { kind: 'text', text: 'Kvitto 4\nSumma 12,00' },
      { kind: 'qr', data: 'K1|4|12.00' },
      { kind: 'barcode', data: 'R00ff' },
      { kind: 'text', text: 'Tack!' },
    ]);
  });
});
