/**
 * The one money formatter: minor units (öre, cent) → text in a locale. Shared by every runtime
 * (core, drivers, HQ, the sandboxed renderer), so it uses nothing but the language's Intl.
 */

export interface MoneyFormat {
  /** ISO 4217 code: written as the locale writes it ("1 234,50 kr", "12,34 €"). Without it, the bare number. */
  currency?: string;
  /** Whole units, no decimals ("500 kr"): a note or a coin. */
  whole?: boolean;
  /** Text for printers and pole displays: ASCII minus and plain spaces, printable on any code page. */
  plain?: boolean;
  /** Thousands separators; on unless false ("1234,50" as a card terminal writes it). */
  grouping?: boolean;
}

// Intl formatters are expensive to build: one per locale and variant.
const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, f: MoneyFormat): Intl.NumberFormat {
  const key = `${locale}|${f.currency ?? ''}|${f.whole ? 0 : 2}|${f.grouping === false ? 'n' : 'g'}`;
  let nf = cache.get(key);
  if (!nf) {
    const digits = f.whole ? 0 : 2;
    nf = new Intl.NumberFormat(locale, {
      ...(f.currency ? { style: 'currency', currency: f.currency } : {}),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      ...(f.grouping === false ? { useGrouping: false } : {}),
    });
    cache.set(key, nf);
  }
  return nf;
}

/** Unicode minus and no-break spaces as a printer's code page has them: '-' and ' '. */
export function plainText(text: string): string {
  return text.replace(/\u2212/g, '-').replace(/[\u00a0\u202f]/g, ' ');
}

/** Minor units → "1 234,50", "1.234,50 €", "£12.34", "-5,00" in the given locale. */
export function formatMoney(minor: number, locale: string, f: MoneyFormat = {}): string {
  const text = numberFormat(locale, f).format(minor / 100);
  return f.plain ? plainText(text) : text;
}
