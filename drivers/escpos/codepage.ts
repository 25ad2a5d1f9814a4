/**
 * Text a printer can print: every character of a line is kept when the printer's code page has
 * it, else replaced by what reads the same (… → ..., ’ → ', – → -, a no-break space → a space, a
 * letter with a diacritic the page lacks → the plain letter), and only then by '?'. The receipts
 * (core/receipt/text.ts) go through this on their way to the printer (receipt.ts), so "…" never
 * prints as "?".
 */
import CodepageEncoder from '@point-of-sale/codepage-encoder';

export type PrinterCodepage = 'cp858';

const FALLBACK: Readonly<Record<string, string>> = {
  '…': '...',
  '–': '-',
  '—': '-',
  '−': '-',
  '‐': '-',
  '‘': "'",
  '’': "'",
  '‚': "'",
  '′': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '″': '"',
  '•': '*',
  '·': '.',
  '×': 'x',
  '\u00a0': ' ',
  '\u202f': ' ',
  '\u2009': ' ',
  '\u2007': ' ',
};

const cache = new Map<string, boolean>();

/** Whether the code page has this character (one code point). */
export function canPrint(ch: string, codepage: PrinterCodepage = 'cp858'): boolean {
  const key = `${codepage}:${ch}`;
  let ok = cache.get(key);
  if (ok === undefined) {
    ok = ch === '?' || (ch.length === 1 && CodepageEncoder.encode(ch, codepage)[0] !== 0x3f);
    cache.set(key, ok);
  }
  return ok;
}

/** The line as the printer can print it: unprintable characters replaced by what reads the same. */
export function printableText(text: string, codepage: PrinterCodepage = 'cp858'): string {
  let out = '';
  for (const ch of text) {
    if (canPrint(ch, codepage)) out += ch;
    else out += replacement(ch, codepage);
  }
  return out;
}

function replacement(ch: string, codepage: PrinterCodepage): string {
  const f = FALLBACK[ch];
  if (f !== undefined) return f;
  // A letter with a diacritic the page lacks (ő, ł, č …): the letter without it, when that prints.
  const plain = ch.normalize('NFD').replace(/\p{M}/gu, '');
  if (plain && plain !== ch && [...plain].every((c) => canPrint(c, codepage))) return plain;
  const special: Readonly<Record<string, string>> = { ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ı: 'i' };
  const s = special[ch];
  if (s !== undefined && [...s].every((c) => canPrint(c, codepage))) return s;
  return '?';
}
