/** QEMU's screendump (binary PPM, P6) to PNG (common/png.ts with Node's zlib); and a look at what it shows. */
import * as zlib from 'node:zlib';
import { encodePng as pngOf } from '../../common/png';

export interface Rgb {
  width: number;
  height: number;
  pixels: Buffer; // RGB, 3 bytes a pixel, row by row
}

export function parsePpm(data: Buffer): Rgb {
  // Header: P6 <ws> width <ws> height <ws> maxval <one ws> pixels (comments not written by QEMU).
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header || header[3] !== '255') throw new Error('not an 8-bit binary PPM (P6)');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const pixels = data.subarray(header[0].length, header[0].length + width * height * 3);
  if (pixels.length !== width * height * 3) throw new Error('PPM shorter than its header says');
  return { width, height, pixels };
}

export function encodePng(img: Rgb): Buffer {
  const png = pngOf({ ...img, colour: 'rgb' }, zlib);
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
}

/** How busy a screen is: distinct colours (sampled) and the share of its most common colour. */
export function screenStats(img: Rgb): { colours: number; dominant: number } {
  const counts = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < img.pixels.length; i += 3 * 7) {
    const c = (img.pixels[i]! << 16) | (img.pixels[i + 1]! << 8) | img.pixels[i + 2]!;
    counts.set(c, (counts.get(c) ?? 0) + 1);
    n++;
  }
  return { colours: counts.size, dominant: Math.max(...counts.values()) / n };
}

/**
 * Whether the page shows its top banner (amber across the top rows: "connecting to the till's
 * core…", offline): a page still connecting is not yet what the person reads.
 */
export function showsBanner(img: Rgb): boolean {
  let amber = 0;
  const y = 5;
  for (let x = 0; x < img.width; x++) {
    const i = (y * img.width + x) * 3;
    const [r, g, b] = [img.pixels[i]!, img.pixels[i + 1]!, img.pixels[i + 2]!];
    if (r > 200 && g > 140 && g < 220 && b < 120) amber++;
  }
  return amber > img.width * 0.6;
}
