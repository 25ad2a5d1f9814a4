// The one PNG encoder (common/png.ts) with node:zlib: read back by the PNG reader the browser and
// QR tests use (test/e2e/png.ts), chunk by chunk with their checksums, in greyscale and RGB.
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../common/png';
import { decodePng } from '../e2e/png';

/** The file's chunks: type, body, and whether the stored CRC-32 is that of type and body. */
function chunks(png: Buffer): Array<{ type: string; body: Buffer; crcOk: boolean }> {
  const out = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    const typed = png.subarray(at + 4, at + 8 + len);
    out.push({ type: typed.toString('latin1', 0, 4), body: typed.subarray(4), crcOk: png.readUInt32BE(at + 8 + len) === zlib.crc32(typed) });
    at += 12 + len;
  }
  return out;
}

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

describe('encodePng', () => {
  it('writes greyscale pixels that read back as they were, in checksummed IHDR, IDAT and IEND chunks', () => {
    const pixels = Uint8Array.from({ length: 5 * 3 }, (_, i) => (i * 37) % 256);
    const png = asBuffer(encodePng({ width: 5, height: 3, colour: 'grey', pixels }, zlib));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const cs = chunks(png);
    expect(cs.map((c) => [c.type, c.crcOk])).toEqual([['IHDR', true], ['IDAT', true], ['IEND', true]]);
    expect([...cs[0]!.body]).toEqual([0, 0, 0, 5, 0, 0, 0, 3, 8, 0, 0, 0, 0]);
    // Every row unfiltered (filter byte 0) before its pixels.
    expect([...zlib.inflateSync(cs[1]!.body)]).toEqual([0, ...pixels.subarray(0, 5), 0, ...pixels.subarray(5, 10), 0, ...pixels.subarray(10)]);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([5, 3]);
    expect([...img.data].filter((_, i) => i % 4 === 0)).toEqual([...pixels]);
  });

  it('writes RGB pixels that read back as they were', () => {
    const pixels = Uint8Array.from({ length: 4 * 2 * 3 }, (_, i) => (i * 91 + 7) % 256);
    const png = asBuffer(encodePng({ width: 4, height: 2, colour: 'rgb', pixels }, zlib));
    expect(chunks(png)[0]!.body[9]).toBe(2); // colour type: truecolour
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([4, 2]);
    expect([...img.data].filter((_, i) => i % 4 !== 3)).toEqual([...pixels]);
  });

  it('refuses pixels that are not width × height of the colour', () => {
    expect(() => encodePng({ width: 4, height: 2, colour: 'rgb', pixels: new Uint8Array(8) }, zlib)).toThrow(/8 bytes of pixels for 4×2 rgb/);
  });
});
