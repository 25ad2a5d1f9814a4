/** Formatting and parsing of weights and typed amounts (pure; no DOM). Money: common/money.ts. */
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

/** "3 h", "12 min" since an ISO time, in the lane's language; "< 1 min" within the first minute (never "0 min"). */
export function ageText(iso: string, lang: string): string {
  const ms = coreNow() - new Date(iso).getTime();
  const min = Math.max(1, Math.round(ms / 60_000));
  const rtf = new Intl.NumberFormat(lang, { style: 'unit', unit: min >= 120 ? 'hour' : 'minute', unitDisplay: 'short' });
  return `${ms < 60_000 ? '< ' : ''}${rtf.format(min >= 120 ? Math.floor(min / 60) : min)}`;
}
