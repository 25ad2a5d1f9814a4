/** The message catalogues for Swedish, German and English. Every visible string comes from here. */
import type { PaymentPrompt } from '../../../protocol/terminal/payment-prompt';
import { de } from './de';
import { en } from './en';
import type { Lang, Messages, Plural } from './messages';
import { sv } from './sv';

export type { DeviceMessages, HqMessages, ItMessages, KioskMessages, Lang, Messages } from './messages';

export const LANGS: Lang[] = ['sv', 'de', 'en'];
export const LOCALE_OF: Record<Lang, string> = { sv: 'sv-SE', de: 'de-DE', en: 'en-GB' };

export const CATALOGUE: Record<Lang, Messages> = { sv, de, en };

export function langForLocale(locale: string): Lang {
  const l = locale.slice(0, 2).toLowerCase();
  return l === 'sv' || l === 'de' ? l : 'en';
}

/** Replaces {name} placeholders; unknown placeholders are left out rather than shown raw. */
export function fill(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] !== undefined ? String(params[k]) : '')).replace(/\s{2,}/g, ' ');
}

export function plural(forms: Plural, n: number, lang: Lang): string {
  const rule = new Intl.PluralRules(LOCALE_OF[lang]).select(n);
  return fill(forms[rule] ?? forms.other, { n });
}

/** What the payment terminal shows, in the lane's language when it is one of the standard statuses. */
export function paymentText(p: { text: string | null; prompt: PaymentPrompt | null }, t: Messages): string | null {
  if (p.text === null) return null;
  return p.prompt !== null ? t.paymentPrompt[p.prompt] : p.text;
}
