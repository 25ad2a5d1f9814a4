/** The QR codes on screen (shared/QrCode.tsx's encoding): a phone reads back exactly what they hold (decoded with jsQR). */
import { describe, expect, it } from 'vitest';
import jsQR from 'jsqr';
import { encode } from 'uqr';
import { utf8 } from '../../renderer/src/receipt';
import { isQrAlphanumeric } from '../../protocol/digital-receipt';

/** Encodes as QrCode does (alphanumeric when it can, else UTF-8 bytes), renders 4 px a module and decodes like a phone camera. */
function scan(text: string): { text: string; version: number } | null {
  const { data, version } = encode(isQrAlphanumeric(text) ? text : utf8(text), { ecc: 'L', border: 4 });
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
  return r ? { text: new TextDecoder().decode(Uint8Array.from(r.binaryData)), version } : null;
}

describe('QR codes on screen', () => {
  it('a digital receipt link is one alphanumeric segment and reads back exactly', () => {
    const link = `HTTP://127.0.0.1:41234/R/${'0A$*+-.:Z9'.repeat(60)}`;
    expect(isQrAlphanumeric(link)).toBe(true);
    const r = scan(link)!;
    expect(r.text).toBe(link);
    // As bytes the same link would need a larger code.
    expect(r.version).toBeLessThan(encode(utf8(link), { ecc: 'L' }).version);
  });

  it('anything else is UTF-8, Nordic letters and all', () => {
    expect(scan('KASSA1|demo-001|1|42|1350|2026-11-25T07:00:00.000Z|abc|sig')?.text).toBe('KASSA1|demo-001|1|42|1350|2026-11-25T07:00:00.000Z|abc|sig');
    expect(scan('Växel 6,50 € — Grüße')?.text).toBe('Växel 6,50 € — Grüße');
  });
});
