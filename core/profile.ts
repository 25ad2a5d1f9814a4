import type { Profile } from '../protocol/terminal';

/** Country profiles: currency, locale and the smallest cash unit used for cash rounding. */
export const PROFILES: Record<Profile['country'], Profile> = {
  // Sweden: öre coins are gone; cash is rounded to whole kronor (öre 50–99 up, 1–49 down).
  SE: {
    country: 'SE',
    currency: 'SEK',
    locale: 'sv-SE',
    timeZone: 'Europe/Stockholm',
    cashRoundingUnit: 100,
    denominations: [100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100],
    // Bokföringslagen 7:2 keeps records seven years — in the signed archive files and at HQ; the
    // terminal keeps the last month whole for lookups and audits on the spot.
    journalKeepDays: 31,
  },
  // Germany: cent coins are legal tender; no cash rounding.
  DE: {
    country: 'DE',
    currency: 'EUR',
    locale: 'de-DE',
    timeZone: 'Europe/Berlin',
    cashRoundingUnit: 1,
    denominations: [50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
    // AO §147 / GoBD keep records ten years — in the signed archive files and at HQ; the terminal
    // keeps the last month whole.
    journalKeepDays: 31,
  },
};

export function profileFor(country: string): Profile {
  const p = (PROFILES as Record<string, Profile | undefined>)[country.toUpperCase()];
  if (!p) throw new Error(`Unknown country profile "${country}"; known: ${Object.keys(PROFILES).join(', ')}`);
  return p;
}
