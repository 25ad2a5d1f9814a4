/** Formatting and parsing of money and weights (pure; no DOM). */
import { coreNow } from './core-time';

const cache = new Map<string, Intl.NumberFormat>();
function nf(locale: string, key: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const k = `${locale}|${key}`;
  let f = cache.get(k);
  if (!f) {
    f = new Intl.NumberFormat(locale, opts);
    cache.set(k, f);
  }
  return f;
}

/** Minor units → "1 234,50 kr" / "12,34 €" in the profile's locale. */
export function formatMoney(minor: number, locale: string, currency: string): string {
  return nf(locale, `money-${currency}`, { style: 'currency', currency }).format(minor / 100);
}

/** A note or coin without decimals: "500 kr", "20 €". */
export function formatMoneyWhole(minor: number, locale: string, currency: string): string {
  return nf(locale, `whole-${currency}`, { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(minor / 100);
}

/** Grams → "1,234 kg". */
export function formatWeight(grams: number, locale: string): string {
  return nf(locale, 'kg', { style: 'unit', unit: 'kilogram', minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(grams / 1000);
}

/** Basis points → "25 %". */
export function formatRate(bp: number, locale: string): string {
  return nf(locale, 'pct', { style: 'percent', maximumFractionDigits: 2 }).format(bp / 10_000);
}

/**
 * Cash typed by the cashier in major units → minor units. Accepts "200", "12,50", "12.5",
 * "1 234,50". Returns null for anything else (never guesses).
 */
export function parseCashAmount(input: string): number | null {
  const s = input.trim().replace(/[\s\u00a0\u202f]/g, '');
  const m = /^(\d{1,6})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const major = Number(m[1]);
  const minor = m[2] === undefined ? 0 : Number(m[2].padEnd(2, '0'));
  const total = major * 100 + minor;
  return total > 0 ? total : null;
}

/** A quantity typed before F1: 1–999. */
export function parseQuantity(input: string): number | null {
  const s = input.trim();
  if (!/^\d{1,3}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 ? n : null;
}

/** "3 h", "12 min" since an ISO time, in the lane's language. */
export function ageText(iso: string, lang: string): string {
  const min = Math.max(0, Math.round((coreNow() - new Date(iso).getTime()) / 60_000));
  const rtf = new Intl.NumberFormat(lang, { style: 'unit', unit: min >= 120 ? 'hour' : 'minute', unitDisplay: 'short' });
  return rtf.format(min >= 120 ? Math.floor(min / 60) : min);
}
