/**
 * The one PNG encoder: 8-bit greyscale or RGB pixels to a PNG file, every row unfiltered, not
 * interlaced. HQ writes the provisioning QR code with it (hq/provisioning-code.ts) and the OS
 * image's drill its QEMU screendumps (image/test/png.ts). common/ uses no Node built-ins, so the
 * caller hands in zlib's compressor and checksum (node:zlib's deflateSync and crc32).
 */

export interface PngPixels {
  width: number;
  height: number;
  /** 'grey': 1 byte a pixel; 'rgb': 3 bytes a pixel (red, green, blue). */
  colour: 'grey' | 'rgb';
  /** Row by row, top first, without filter bytes. */
  pixels: Uint8Array;
}

/** What the encoder needs of zlib: node:zlib itself (`import * as zlib from 'node:zlib'`) serves. */
export interface PngZlib {
  deflateSync(data: Uint8Array): Uint8Array;
  crc32(data: Uint8Array): number;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const COLOUR_TYPE = { grey: 0, rgb: 2 } as const;
const CHANNELS = { grey: 1, rgb: 3 } as const;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A chunk: its body's length, its type and body, and the CRC-32 of type and body. */
function chunk(type: string, body: Uint8Array, zlib: PngZlib): Uint8Array {
  const typed = new Uint8Array(4 + body.length);
  for (let i = 0; i < 4; i++) typed[i] = type.charCodeAt(i);
  typed.set(body, 4);
  const out = new Uint8Array(8 + body.length + 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(typed, 4);
  view.setUint32(out.length - 4, zlib.crc32(typed));
  return out;
}

/** The PNG file of the pixels; throws when there are not width × height of them. */
export function encodePng(img: PngPixels, zlib: PngZlib): Uint8Array {
  const stride = img.width * CHANNELS[img.colour];
  if (img.pixels.length !== stride * img.height) throw new Error(`PNG: ${img.pixels.length} bytes of pixels for ${img.width}×${img.height} ${img.colour}`);
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, img.width);
  view.setUint32(4, img.height);
  ihdr.set([8, COLOUR_TYPE[img.colour], 0, 0, 0], 8); // depth 8, the colour type, deflate, no filter method, not interlaced
  const raw = new Uint8Array((stride + 1) * img.height);
  for (let y = 0; y < img.height; y++) raw.set(img.pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1); // filter byte 0 (none), then the row
  return concat([Uint8Array.from(SIGNATURE), chunk('IHDR', ihdr, zlib), chunk('IDAT', zlib.deflateSync(raw), zlib), chunk('IEND', new Uint8Array(0), zlib)]);
}
