/**
 * Epson DM-D customer pole display (2 × 20 characters), the protocol layer: command bytes and a
 * code page 858 encoder (Nordic/German letters and the euro sign). Pure functions.
 */

export const COLUMNS = 20;
export const INIT = Uint8Array.of(0x1b, 0x40);
export const CLEAR = Uint8Array.of(0x0c);
/** ESC t 19: code page 858 (Latin-1 with the euro sign). */
export const SELECT_CP858 = Uint8Array.of(0x1b, 0x74, 0x13);
/** US $ x y: move the cursor to column x, row y (1-based). */
export const moveCursor = (x: number, y: number) => Uint8Array.of(0x1f, 0x24, x, y);

const CP858: Record<string, number> = {
  Ç: 0x80, ü: 0x81, é: 0x82, â: 0x83, ä: 0x84, à: 0x85, å: 0x86, ç: 0x87, ê: 0x88, ë: 0x89, è: 0x8a, ï: 0x8b, î: 0x8c, ì: 0x8d, Ä: 0x8e, Å: 0x8f,
  É: 0x90, æ: 0x91, Æ: 0x92, ô: 0x93, ö: 0x94, ò: 0x95, û: 0x96, ù: 0x97, ÿ: 0x98, Ö: 0x99, Ü: 0x9a, ø: 0x9b, '£': 0x9c, Ø: 0x9d, '×': 0x9e,
  á: 0xa0, í: 0xa1, ó: 0xa2, ú: 0xa3, ñ: 0xa4, Ñ: 0xa5, ß: 0xe1, '€': 0xd5, '−': 0x2d, '\u00a0': 0x20, '\u202f': 0x20,
};

/** Encodes text for the display; characters it cannot show become '?'. */
export function encode(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c < 0x7f) out.push(c);
    else out.push(CP858[ch] ?? 0x3f);
  }
  return out;
}

/** Fits text into one display line: cut at 20 characters, padded with spaces. */
export function fit(text: string): string {
  const chars = [...text];
  return chars.length >= COLUMNS ? chars.slice(0, COLUMNS).join('') : text + ' '.repeat(COLUMNS - chars.length);
}

/** One line left-aligned text and right-aligned amount, e.g. "Mjölk        16,95". */
export function leftRight(left: string, right: string): string {
  const r = [...right];
  const room = Math.max(0, COLUMNS - r.length - 1);
  const l = [...left].slice(0, room).join('');
  return fit(l + ' '.repeat(COLUMNS - [...l].length - r.length) + right);
}

/** The bytes that show two lines: clear, line 1, cursor to row 2, line 2. */
export function twoLines(top: string, bottom: string): Uint8Array {
  return Uint8Array.from([...CLEAR, ...encode(fit(top)), ...moveCursor(1, 2), ...encode(fit(bottom))]);
}
