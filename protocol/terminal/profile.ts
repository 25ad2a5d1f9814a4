/**
 * A market profile: everything that differs between the countries a store can be in (issue 21) —
 * currency, locale, cash rounding, the GS1 variable-measure barcode rules, VAT rates and their
 * receipt letters, deposits and the receipt's legal lines. The profiles themselves are data
 * (core/markets/profiles/); this schema checks each one when the core starts.
 */
import { z } from 'zod';

export const COUNTRIES = ['SE', 'DE', 'DK', 'NO', 'FI', 'GB'] as const;
export const CURRENCIES = ['SEK', 'EUR', 'DKK', 'NOK', 'GBP'] as const;
/** The languages a receipt can be printed in. */
export const RECEIPT_LANGS = ['sv', 'de', 'en', 'da', 'nb', 'fi'] as const;

/**
 * One variable-measure (restricted circulation) EAN-13 prefix, 20–29. Digits are counted from 0:
 * 0–1 the prefix, 2…itemEnd−1 the item reference, then the verifier digit when `check` is not
 * 'none', then the measure up to digit 11, and digit 12 the EAN-13 check digit.
 */
export const VariableMeasureRuleSchema = z
  .object({
    prefix: z.string().regex(/^2\d$/, 'must be two digits 20–29'),
    measure: z.enum(['price', 'weight', 'count']),
    /** Digits after the implied decimal point: price in the currency's major unit, weight in kg; count 0. */
    decimals: z.number().int().min(0).max(3),
    /** End (exclusive) of the item reference. */
    itemEnd: z.number().int().min(3).max(10),
    /** The price/measure verifier digit (GS1 General Specifications 7.9.3 'four', 7.9.4 'five') at digit itemEnd. */
    check: z.enum(['none', 'four', 'five']),
  })
  .strict()
  .superRefine((r, ctx) => {
    const digits = 12 - r.itemEnd - (r.check === 'none' ? 0 : 1);
    if (digits < 1) ctx.addIssue({ code: 'custom', path: ['itemEnd'], message: 'leaves no digits for the measure' });
    if (r.check === 'four' && digits !== 4) ctx.addIssue({ code: 'custom', path: ['check'], message: `a 4-digit verifier needs 4 measure digits, this rule has ${digits}` });
    if (r.check === 'five' && digits !== 5) ctx.addIssue({ code: 'custom', path: ['check'], message: `a 5-digit verifier needs 5 measure digits, this rule has ${digits}` });
    if (r.measure === 'price' && r.decimals > 2) ctx.addIssue({ code: 'custom', path: ['decimals'], message: 'a price has at most 2 decimals (minor units)' });
    if (r.measure === 'count' && r.decimals !== 0) ctx.addIssue({ code: 'custom', path: ['decimals'], message: 'a count has no decimals' });
  });
export type VariableMeasureRule = z.infer<typeof VariableMeasureRuleSchema>;

/** A VAT rate of the country and the letter receipts mark it with. */
export const VatRateSchema = z.object({ rate: z.number().int().min(0).max(10_000), letter: z.string().regex(/^[A-Z]$/) }).strict();

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
/** One rate of a VAT class and the business dates it applies (both ends included; none: open). */
export const VatPeriodSchema = z.object({ rate: z.number().int().min(0).max(10_000), from: IsoDate.optional(), to: IsoDate.optional() }).strict();
/**
 * A VAT class the catalog's items name (`food`, `standard`, …) with its rates by date, in date
 * order, without gap or overlap: the first open at the start, the last open at the end.
 */
export const VatClassSchema = z.object({ id: z.string().min(1).max(40), rates: z.array(VatPeriodSchema).min(1) }).strict();
export type VatClass = z.infer<typeof VatClassSchema>;

/** The day after a date YYYY-MM-DD ('' for a string that is no such date). */
export function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return '';
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function vatClassIssues(c: VatClass, rates: ReadonlySet<number>): Array<{ path: (string | number)[]; message: string }> {
  const out: Array<{ path: (string | number)[]; message: string }> = [];
  c.rates.forEach((r, i) => {
    if (!rates.has(r.rate)) out.push({ path: ['rates', i, 'rate'], message: `${r.rate} is not one of the profile's vatRates (it has no receipt letter)` });
    if (i === 0 && r.from) out.push({ path: ['rates', i, 'from'], message: 'the first rate applies from the start (no from)' });
    if (i === c.rates.length - 1 && r.to) out.push({ path: ['rates', i, 'to'], message: 'the last rate applies on (no to)' });
    if (r.from && r.to && r.to < r.from) out.push({ path: ['rates', i, 'to'], message: `ends before it starts (${r.from})` });
    const prev = c.rates[i - 1];
    if (prev && (!prev.to || r.from !== nextDate(prev.to))) out.push({ path: ['rates', i, 'from'], message: `must be the day after the previous rate's last day (${prev.to ?? 'open'})` });
  });
  return out;
}

export const ProfileSchema = z
  .object({
    country: z.enum(COUNTRIES),
    currency: z.enum(CURRENCIES),
    locale: z.string().regex(/^[a-z]{2}-[A-Z]{2}$/, 'must look like sv-SE'),
    /** The store's IANA time zone: business dates, promotion hours, receipt and screen times. */
    timeZone: z.string().min(1),
    /** The language of receipts and printed reports. */
    receiptLang: z.enum(RECEIPT_LANGS),
    /** Smallest cash unit in minor units (SE: 100 = whole kronor, DK: 50, FI: 5, DE: 1 = none); the cash part is rounded half up to it. */
    cashRoundingUnit: z.number().int().positive(),
    /** Notes and coins in the drawer, minor units, largest first. */
    denominations: z.array(z.number().int().positive()).min(1),
    /**
     * Days the journal stays whole in the terminal's database; older entries HQ holds are archived to
     * signed export files beside it (docs/retention.md), which keep them for the law's years.
     */
    journalKeepDays: z.number().int().positive(),
    /** The country's VAT rates (basis points, 2500 = 25 %) with their receipt letters, highest first. */
    vatRates: z.array(VatRateSchema).min(1),
    /**
     * The rate of each VAT class by the sale's business date (Sweden's food VAT 12 → 6 % from
     * 2026-04-01 to 2027-12-31). An item of a class not listed keeps the catalog's rate.
     */
    vatClasses: z.array(VatClassSchema).optional(),
    /** GS1 variable-measure EAN-13 rules; a prefix not listed is an ordinary code of the store's catalog. */
    variableMeasure: z.array(VariableMeasureRuleSchema),
    /** A deposit line's VAT: the rate of the drink it belongs to ('item', DE Pfand) or the deposit item's own. */
    depositVat: z.enum(['item', 'own']),
    /** Receipt header lines under the store's name; {address}, {orgNumber}, {vatId} come from the store's settings. */
    legalLines: z.array(z.string().max(42)),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.variableMeasure.forEach((r, i) => {
      if (seen.has(r.prefix)) ctx.addIssue({ code: 'custom', path: ['variableMeasure', i, 'prefix'], message: `prefix ${r.prefix} is listed twice` });
      seen.add(r.prefix);
    });
    const letters = new Set<string>();
    p.vatRates.forEach((v, i) => {
      if (letters.has(v.letter)) ctx.addIssue({ code: 'custom', path: ['vatRates', i, 'letter'], message: `letter ${v.letter} is used twice` });
      letters.add(v.letter);
    });
    const rates = new Set(p.vatRates.map((v) => v.rate));
    const classes = new Set<string>();
    p.vatClasses?.forEach((c, i) => {
      if (classes.has(c.id)) ctx.addIssue({ code: 'custom', path: ['vatClasses', i, 'id'], message: `class ${c.id} is listed twice` });
      classes.add(c.id);
      for (const issue of vatClassIssues(c, rates)) ctx.addIssue({ code: 'custom', path: ['vatClasses', i, ...issue.path], message: issue.message });
    });
    p.denominations.forEach((d, i) => {
      if (i > 0 && d >= p.denominations[i - 1]!) ctx.addIssue({ code: 'custom', path: ['denominations', i], message: 'denominations go largest first' });
    });
    if (!p.denominations.includes(p.cashRoundingUnit) && p.cashRoundingUnit !== 1) {
      ctx.addIssue({ code: 'custom', path: ['cashRoundingUnit'], message: 'is not one of the denominations' });
    }
  });
export type Profile = z.infer<typeof ProfileSchema>;

/**
 * The store's own legal particulars the receipt's legal lines name (placeholders when not set);
 * in Sweden also the company's name and the till's id (kassabeteckning) as registered with
 * Skatteverket, which every receipt and the control unit carry.
 */
export const StoreLegalSchema = z
  .object({
    address: z.string().max(120),
    orgNumber: z.string().max(40),
    vatId: z.string().max(40),
    companyName: z.string().min(1).max(120).optional(),
    tillId: z.string().regex(/^[A-Za-z0-9-]{1,16}$/, 'a kassabeteckning is 1–16 letters, digits or dashes').optional(),
  })
  .strict();
export type StoreLegal = z.infer<typeof StoreLegalSchema>;

/** A URL a cloud TSE is reached at: https, or http on this machine only (a local test server). */
const tseUrl = z
  .string()
  .max(300)
  .url()
  .refine((u) => u.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(u), 'a cloud TSE is reached over https (http only on this machine)');

/**
 * Which TSE a German till signs with (core/fiscal/tse/choice.ts): chosen by store IT at
 * provisioning (`npm run provision -- --tse tse.json`), kept in the terminal's database, never
 * chosen by the environment. `simulator` is Kassa's own (not certified); `fiskaly` a fiskaly SIGN DE
 * v2 cloud TSE with its TSS, the fiskaly client this till is, and the API key and secret (kept
 * like the till's other secrets, in its database; never logged or shown); `none` a till without.
 */
export const TseChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('simulator') }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({
      kind: z.literal('fiskaly'),
      baseUrl: tseUrl,
      tssId: z.string().uuid(),
      clientId: z.string().uuid(),
      apiKey: z.string().min(1).max(200),
      apiSecret: z.string().min(1).max(200),
    })
    .strict(),
]);
export type TseChoice = z.infer<typeof TseChoiceSchema>;

/**
 * Sweden: which control unit this till registers its receipts with, as store IT provisioned it
 * (`npm run provision -- --control-unit …`, kept in the terminal's database; the demo store
 * provisions the simulator): none, the simulator, or a vendor's unit at its device address. Never
 * chosen by the environment at run time.
 */
export const ControlUnitConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('simulator') }).strict(),
  z
    .object({
      kind: z.literal('vendor'),
      vendor: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'a vendor is 2–32 lower-case letters, digits or dashes'),
      /** Where the unit answers: a serial device (/dev/ttyUSB0) or host:port — nothing else (it is logged and shown). */
      device: z.string().max(200).regex(/^(\/dev\/[A-Za-z0-9._/-]{1,100}|[A-Za-z0-9.-]{1,100}:\d{1,5})$/, 'a device is a serial port (/dev/ttyUSB0) or host:port'),
    })
    .strict(),
]);
export type ControlUnitConfig = z.infer<typeof ControlUnitConfigSchema>;

/** A control unit as store IT types it (`--control-unit`): none, simulator, or <vendor>@<device> (cleancash@/dev/ttyUSB0). */
export function parseControlUnitArg(arg: string): ControlUnitConfig {
  const at = arg.indexOf('@');
  const data = arg === 'none' || arg === 'simulator' ? { kind: arg } : at > 0 ? { kind: 'vendor', vendor: arg.slice(0, at), device: arg.slice(at + 1) } : null;
  const r = ControlUnitConfigSchema.safeParse(data);
  if (!r.success) throw new Error(`--control-unit is none, simulator or <vendor>@<device> (e.g. cleancash@/dev/ttyUSB0), got "${arg}"${data ? `: ${r.error.issues[0]?.message}` : ''}`);
  return r.data;
}
