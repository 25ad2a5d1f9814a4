/**
 * VAT by date: the rate of a VAT class on a business date, from the market profile's dated rates
 * (protocol/terminal/profile.ts VatClassSchema). The catalog's items name a class; the class's rate
 * is the law's for the day of the sale, so a change of rate is a date in the profile, not a new
 * catalog.
 */
import type { Profile } from '../../protocol/terminal';
import { storeDate } from '../clock';

/** The rate (basis points) of `classId` on `date` (YYYY-MM-DD, the store's business date); null when the profile does not list the class. */
export function vatRateOn(profile: Pick<Profile, 'vatClasses'>, classId: string, date: string): number | null {
  const c = profile.vatClasses?.find((v) => v.id === classId);
  if (!c) return null;
  for (const r of c.rates) if ((!r.from || r.from <= date) && (!r.to || date <= r.to)) return r.rate;
  return null;
}

/** A lane's catalog answers each item's class rate on the business date of `now` (the catalog's own rate for a class the profile does not list). */
export function sellAtDatedVat(catalog: { useVatRates(vatOf: (classId: string, catalogRate: number) => number): void }, profile: Pick<Profile, 'vatClasses' | 'timeZone'>, now: () => Date): void {
  catalog.useVatRates((classId, catalogRate) => vatRateOn(profile, classId, storeDate(now(), profile.timeZone)) ?? catalogRate);
}
