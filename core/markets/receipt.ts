/**
 * What the market profile adds to a receipt: the legal lines under the store's name (address,
 * organisation number, VAT id from the store's settings) and the letter of each VAT rate. Kept
 * apart from receipt/text.ts, which only places them.
 */
import type { Profile, StoreLegal } from '../../protocol/terminal';

/** The profile's legal lines with the store's particulars filled in; a line whose particular is not set is left out. */
export function legalLines(profile: Pick<Profile, 'legalLines'>, legal: StoreLegal | null): string[] {
  const values: Record<string, string> = { address: legal?.address ?? '', orgNumber: legal?.orgNumber ?? '', vatId: legal?.vatId ?? '' };
  const out: string[] = [];
  for (const line of profile.legalLines) {
    let empty = false;
    const text = line.replace(/\{(\w+)\}/g, (_, k: string) => {
      const v = (values[k] ?? '').trim();
      if (!v) empty = true;
      return v;
    });
    if (!empty) out.push(text);
  }
  return out;
}

/** The receipt letter of a VAT rate ('' for a rate the profile does not list). */
export function vatLetter(profile: Pick<Profile, 'vatRates'>, rate: number): string {
  return profile.vatRates.find((v) => v.rate === rate)?.letter ?? '';
}
