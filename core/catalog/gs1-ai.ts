/**
 * GS1 element strings: the application identifiers after the GS1 Barcode Syntax Dictionary, and
 * the parser that splits an element string (GS1-128, DataBar, DataMatrix, QR) into its AIs. Pure.
 */

/** FNC1 as scanners send it. */
export const GS = '\x1d';
export const DIGITS = /^\d+$/;


/**
 * Application identifiers after the GS1 Barcode Syntax Dictionary. `*` marks the AIs of predefined
 * length that need no FNC1 after them. Components: N numeric, X CSET 82, Y CSET 39, Z CSET 64;
 * `N6` exactly 6, `X..20` 1 to 20, `[...]` an optional last component.
 */
const AI_TABLE = `
00 * N18
01 * N14
02 * N14
10 X..20
11 * N6
12 * N6
13 * N6
15 * N6
16 * N6
17 * N6
20 * N2
21 X..20
22 X..20
235 X..28
240 X..30
241 X..30
242 N..6
243 X..20
250 X..30
251 X..30
253 N13 [X..17]
254 X..20
255 N13 [N..12]
30 N..8
3100-3105 * N6
3110-3115 * N6
3120-3125 * N6
3130-3135 * N6
3140-3145 * N6
3150-3155 * N6
3160-3165 * N6
3200-3205 * N6
3210-3215 * N6
3220-3225 * N6
3230-3235 * N6
3240-3245 * N6
3250-3255 * N6
3260-3265 * N6
3270-3275 * N6
3280-3285 * N6
3290-3295 * N6
3300-3305 * N6
3310-3315 * N6
3320-3325 * N6
3330-3335 * N6
3340-3345 * N6
3350-3355 * N6
3360-3365 * N6
3370-3375 * N6
3400-3405 * N6
3410-3415 * N6
3420-3425 * N6
3430-3435 * N6
3440-3445 * N6
3450-3455 * N6
3460-3465 * N6
3470-3475 * N6
3480-3485 * N6
3490-3495 * N6
3500-3505 * N6
3510-3515 * N6
3520-3525 * N6
3530-3535 * N6
3540-3545 * N6
3550-3555 * N6
3560-3565 * N6
3570-3575 * N6
3600-3605 * N6
3610-3615 * N6
3620-3625 * N6
3630-3635 * N6
3640-3645 * N6
3650-3655 * N6
3660-3665 * N6
3670-3675 * N6
3680-3685 * N6
3690-3695 * N6
37 N..8
3900-3909 N..15
3910-3919 N3 N..15
3920-3929 N..15
3930-3939 N3 N..15
3940-3943 N4
3950-3955 N6
400 X..30
401 X..30
402 N17
403 X..30
410-417 * N13
420 X..20
421 N3 X..9
422 N3
423 N..15
424 N3
425 N..15
426 N3
427 X..3
4300-4301 X..35
4302-4306 X..70
4307 X2
4308 X..30
4309 N10 N10
4310-4311 X..35
4312-4316 X..70
4317 X2
4318 X..20
4319 X..30
4320 X..35
4321-4323 N1
4324-4325 N6 N4
4326 N6
4330-4333 N6 [X1]
7001 N13
7002 X..30
7003 N6 N4
7004 N..4
7005 X..12
7006 N6
7007 N6 [N6]
7008 X..3
7009 X..10
7010 X..2
7011 N6 [N4]
7020-7022 X..20
7023 X..30
7030-7039 N3 X..27
7040 N1 X3
710-715 X..20
7230-7239 X2 X..28
7240 X..20
7241 N2
7242 X..25
8001 N14
8002 X..20
8003 N14 [X..16]
8004 X..30
8005 N6
8006 N18
8007 X..34
8008 N8 [N..4]
8009 X..50
8010 Y..30
8011 N..12
8012 X..20
8013 X..25
8017-8018 N18
8019 N..10
8020 X..25
8026 N18
8030 Z..90
8110 X..70
8111 N4
8112 X..70
8200 X..70
90 X..30
91-99 X..90
`;

interface AiSpec {
  /** Predefined length: no FNC1 separator follows. */
  readonly predefined: boolean;
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
}

const CSETS: Readonly<Record<string, string>> = {
  N: '\\d',
  X: '[!"%-?A-Z_a-z]', // CSET 82: ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z
  Y: '[#\\-/0-9A-Z]', // CSET 39
  Z: '[A-Za-z0-9_=\\-]', // CSET 64 (base64url) with padding
};

function buildAiTable(table: string): ReadonlyMap<string, AiSpec> {
  const map = new Map<string, AiSpec>();
  for (const line of table.split('\n')) {
    const words = line.trim().split(/\s+/).filter((w) => w !== '');
    const [range, ...rest] = words;
    if (range === undefined) continue;
    const predefined = rest[0] === '*';
    const components = predefined ? rest.slice(1) : rest;
    let min = 0;
    let max = 0;
    let source = '';
    for (const component of components) {
      const m = /^(\[)?([NXYZ])(\.\.)?(\d+)\]?$/.exec(component);
      const cset = m?.[2] === undefined ? undefined : CSETS[m[2]];
      if (!m || cset === undefined) throw new Error(`bad AI table component ${component}`);
      const optional = m[1] === '[';
      const n = Number(m[4]);
      const lo = m[3] ? 1 : n;
      const part = `${cset}{${lo},${n}}`;
      source += optional ? `(?:${part})?` : part;
      if (!optional) min += lo;
      max += n;
    }
    const [first, last = first] = range.split('-');
    if (first === undefined || last === undefined) throw new Error(`bad AI table range ${range}`);
    const spec: AiSpec = { predefined, min, max, pattern: new RegExp(`^${source}$`) };
    for (let ai = Number(first); ai <= Number(last); ai++) {
      map.set(String(ai).padStart(first.length, '0'), spec);
    }
  }
  return map;
}

const AI_SPECS = buildAiTable(AI_TABLE);

/** AIs whose value is a date YYMMDD where DD may be 00 (GS1 linter yymmd0). */
const DATE_AIS: ReadonlySet<string> = new Set(['11', '12', '13', '15', '16', '17']);

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** YY 00–49 → 20YY, 50–99 → 19YY. */
function centuryYear(yy: number): number {
  return yy < 50 ? 2000 + yy : 1900 + yy;
}

/** A YYMMDD value (DD 00 = last day of the month) as YYYY-MM-DD, or null if it is no date. */
export function gs1Date(value: string): string | null {
  const year = centuryYear(Number(value.slice(0, 2)));
  const month = Number(value.slice(2, 4));
  let day = Number(value.slice(4, 6));
  if (month < 1 || month > 12) return null;
  const lastDay = daysInMonth(year, month);
  if (day > lastDay) return null;
  if (day === 0) day = lastDay;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Splits a GS1 element string into its AIs. FNC1 separators arrive as GS (\x1d); the symbology's
 * leading FNC1 (or its AIM identifier) is expected to be stripped already, a single leading GS is
 * tolerated. Fixed-length AIs of predefined length need no separator (a redundant one is skipped);
 * every other AI runs up to the next GS or the end.
 */
export function parseGs1ElementString(
  data: string,
): { ok: true; ais: Array<{ ai: string; value: string }> } | { ok: false; reason: string } {
  const ais: Array<{ ai: string; value: string }> = [];
  let pos = data.startsWith(GS) ? 1 : 0;
  if (pos >= data.length) return { ok: false, reason: 'empty GS1 element string' };
  while (pos < data.length) {
    let ai: string | null = null;
    let spec: AiSpec | undefined;
    for (let len = 2; len <= 4 && spec === undefined; len++) {
      const candidate = data.slice(pos, pos + len);
      if (candidate.length < len || !DIGITS.test(candidate)) break;
      spec = AI_SPECS.get(candidate);
      if (spec !== undefined) ai = candidate;
    }
    if (ai === null || spec === undefined) {
      const shown = data.slice(pos, pos + 4).replaceAll(GS, '<GS>');
      return { ok: false, reason: `unknown application identifier at position ${pos}: "${shown}"` };
    }
    const start = pos + ai.length;
    let value: string;
    if (spec.predefined) {
      value = data.slice(start, start + spec.max);
      const gsAt = value.indexOf(GS);
      if (gsAt >= 0) value = value.slice(0, gsAt);
      if (value.length < spec.max) {
        return { ok: false, reason: `AI (${ai}) needs ${spec.max} characters, got ${value.length}` };
      }
      pos = start + spec.max;
      if (data.charAt(pos) === GS) pos++;
    } else {
      const end = data.indexOf(GS, start);
      value = data.slice(start, end < 0 ? data.length : end);
      pos = end < 0 ? data.length : end + 1;
      if (value.length < spec.min || value.length > spec.max) {
        const allowed = spec.min === spec.max ? `${spec.max}` : `${spec.min}–${spec.max}`;
        return { ok: false, reason: `AI (${ai}) has ${value.length} characters, allowed ${allowed}` };
      }
    }
    if (!spec.pattern.test(value)) {
      return { ok: false, reason: `AI (${ai}) has an invalid value "${value.replaceAll(GS, '<GS>')}"` };
    }
    if (DATE_AIS.has(ai) && gs1Date(value) === null) {
      return { ok: false, reason: `AI (${ai}) is not a valid date: ${value}` };
    }
    ais.push({ ai, value });
  }
  return { ok: true, ais };
}

