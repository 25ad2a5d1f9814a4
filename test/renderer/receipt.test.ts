/** The digital receipt QR: what it holds, and that a phone can read it back (decoded with jsQR). */
import { describe, expect, it } from 'vitest';
import jsQR from 'jsqr';
import { encode } from 'uqr';
import { digitalReceiptPayload, utf8 } from '../../renderer/src/receipt';

/** Renders QR modules to RGBA pixels (4 px per module) and decodes them like a phone camera would. */
function scan(text: string): string | null {
  const { data } = encode(utf8(text), { ecc: 'L', border: 4 });
  const scale = 4;
  const n = data.length * scale;
  const px = new Uint8ClampedArray(n * n * 4).fill(255);
  data.forEach((row, y) =>
    row.forEach((on, x) => {
      if (!on) return;
      for (let dy = 0; dy < scale; dy++)
        for (let dx = 0; dx < scale; dx++) {
          const o = ((y * scale + dy) * n + x * scale + dx) * 4;
          px[o] = px[o + 1] = px[o + 2] = 0;
        }
    }),
  );
  const r = jsQR(px, n, n);
  return r ? new TextDecoder().decode(Uint8Array.from(r.binaryData)) : null;
}

const receipt = ['Kassa Demo Store', 'Mellanmjölk 1,5 % 1 l        13,50', 'TOTALT                       13,50', 'Kontant 20,00  Växel 6,50', '[BARCODE] R0123456789abcdef0123456789abcdef', '[QR] KASSA1|demo-001|1|42|1350|2026-11-25T07:00:00.000Z|abc|sig', ''].join('\n');

describe('digital receipt', () => {
  it('holds the receipt text (without the barcode and QR lines) when it fits', () => {
    expect(digitalReceiptPayload(receipt)).toBe(['Kassa Demo Store', 'Mellanmjölk 1,5 % 1 l        13,50', 'TOTALT                       13,50', 'Kontant 20,00  Växel 6,50'].join('\n'));
  });

  it('a long receipt falls back to its signed verification line', () => {
    const long = [...Array.from({ length: 80 }, (_, i) => `Vara ${i} med ett långt namn            ${i},00`), '[QR] KASSA1|demo-001|1|43|99900|t|h|s'].join('\n');
    expect(digitalReceiptPayload(long)).toBe('KASSA1|demo-001|1|43|99900|t|h|s');
  });

  it('the QR code on screen reads back exactly, Nordic letters and all', () => {
    const payload = digitalReceiptPayload(receipt);
    expect(scan(payload)).toBe(payload);
    expect(scan('Växel 6,50 € — Grüße')).toBe('Växel 6,50 € — Grüße');
  });
});
