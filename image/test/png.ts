/** QEMU's screendump (binary PPM, P6) to PNG, with Node's zlib only; and a look at what it shows. */
import { crc32, deflateSync } from 'node:zlib';

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

function chunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

export function encodePng(img: Rgb): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.width, 0);
  ihdr.writeUInt32BE(img.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour RGB
  const stride = img.width * 3;
  const raw = Buffer.alloc((stride + 1) * img.height);
  for (let y = 0; y < img.height; y++) img.pixels.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride); // filter 0 per row
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', Buffer.alloc(0))]);
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
