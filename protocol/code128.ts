/**
 * Code 128 (ISO/IEC 15417), one implementation for the lane's receipt preview (renderer), and the
 * digital receipt page the core and HQ serve: the symbol values of a text (code set C for an even
 * run of digits only, else code set B), their bar and space widths, and the bars as an SVG path.
 */

/** Bar/space widths, bar first, of symbol values 0–106 (106: stop with its termination bar). */
const WIDTHS = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];
const START_B = 104;
const START_C = 105;
const STOP = 106;

/** The symbol values of `text`: start, data, checksum, stop; null if a character is outside ASCII 32–126. */
export function code128Symbols(text: string): number[] | null {
  const values: number[] = [];
  if (/^(\d\d)+$/.test(text)) {
    values.push(START_C);
    for (let i = 0; i < text.length; i += 2) values.push(Number(text.slice(i, i + 2)));
  } else {
    values.push(START_B);
    for (const ch of text) {
      const c = ch.charCodeAt(0);
      if (c < 32 || c > 126 || ch.length !== 1) return null;
      values.push(c - 32);
    }
  }
  const check = values.reduce((sum, v, i) => sum + v * Math.max(i, 1), 0) % 103;
  return [...values, check, STOP];
}

/** The widths (in modules, bar first) of every bar and space of the symbols. */
export function code128Widths(symbols: readonly number[]): number[] {
  return symbols.flatMap((s) => [...WIDTHS[s]!].map(Number));
}

/** The bars of `text` as one SVG path (bar x and width in modules, `height` tall) and the symbol's width in modules; null if it cannot be encoded. */
export function code128Path(text: string, height: number): { d: string; modules: number } | null {
  const symbols = code128Symbols(text);
  if (!symbols) return null;
  let x = 0;
  let d = '';
  code128Widths(symbols).forEach((w, i) => {
    if (i % 2 === 0) d += `M${x} 0h${w}v${height}h-${w}z`;
    x += w;
  });
  return { d, modules: x };
}
