/**
 * The receipt logo: a black-and-white bitmap from a PBM file (P1 text or P4 binary, what any image
 * tool exports for a thermal printer), or the demo store's logo drawn from a tiny built-in font.
 * Returned as RGBA pixels, which the ESC/POS encoder turns into a raster image.
 */
export interface LogoImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel (black = 0,0,0,255). */
  data: Uint8ClampedArray;
}

const MAX_WIDTH = 576; // 80 mm paper at 203 dpi
const MAX_HEIGHT = 400;

function fromBits(width: number, height: number, black: (x: number, y: number) => boolean): LogoImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = black(x, y) ? 0 : 255;
      const o = (y * width + x) * 4;
      data[o] = data[o + 1] = data[o + 2] = v;
      data[o + 3] = 255;
    }
  return { width, height, data };
}

/** Parses a PBM file; throws a clear error for anything else (the caller prints without a logo). */
export function parsePbm(buf: Uint8Array): LogoImage {
  let pos = 0;
  const token = (): string => {
    for (;;) {
      while (pos < buf.length && /\s/.test(String.fromCharCode(buf[pos]!))) pos++;
      if (buf[pos] === 0x23) while (pos < buf.length && buf[pos] !== 0x0a) pos++;
      else break;
    }
    const start = pos;
    while (pos < buf.length && !/\s/.test(String.fromCharCode(buf[pos]!))) pos++;
    return String.fromCharCode(...buf.subarray(start, pos));
  };
  const magic = token();
  if (magic !== 'P1' && magic !== 'P4') throw new Error('logo must be a PBM image (P1 or P4)');
  const width = Number(token());
  const height = Number(token());
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error('logo: bad PBM size');
  if (width > MAX_WIDTH || height > MAX_HEIGHT) throw new Error(`logo: at most ${MAX_WIDTH}×${MAX_HEIGHT} pixels`);
  if (magic === 'P4') {
    pos++; // the single whitespace after the height
    const row = Math.ceil(width / 8);
    if (buf.length - pos < row * height) throw new Error('logo: PBM data is truncated');
    const at = pos;
    return fromBits(width, height, (x, y) => ((buf[at + y * row + (x >> 3)]! >> (7 - (x & 7))) & 1) === 1);
  }
  const bits: number[] = [];
  while (bits.length < width * height && pos < buf.length) {
    const c = buf[pos++]!;
    if (c === 0x30 || c === 0x31) bits.push(c - 0x30);
  }
  if (bits.length < width * height) throw new Error('logo: PBM data is truncated');
  return fromBits(width, height, (x, y) => bits[y * width + x] === 1);
}

/** 5×7 glyphs for the demo logo's letters. */
const GLYPHS: Record<string, string[]> = {
  K: ['10001', '10010', '10100', '11000', '10100', '10010', '10001'],
  A: ['01110', '10001', '10001', '11111', '10001', '10001', '10001'],
  S: ['01111', '10000', '10000', '01110', '00001', '00001', '11110'],
};

/** The demo store's logo: "KASSA" in block letters inside a frame, 288×80 pixels. */
export function demoLogo(): LogoImage {
  const word = 'KASSA';
  const scale = 8;
  const width = 288;
  const height = 80;
  const textW = word.length * 6 * scale - scale;
  const x0 = Math.floor((width - textW) / 2);
  const y0 = Math.floor((height - 7 * scale) / 2);
  return fromBits(width, height, (x, y) => {
    if (x < 3 || y < 3 || x >= width - 3 || y >= height - 3) return true;
    const gx = Math.floor((x - x0) / scale);
    const gy = Math.floor((y - y0) / scale);
    if (x < x0 || y < y0 || gy >= 7) return false;
    const letter = word[Math.floor(gx / 6)];
    const col = gx % 6;
    return !!letter && col < 5 && GLYPHS[letter]![gy]![col] === '1';
  });
}
