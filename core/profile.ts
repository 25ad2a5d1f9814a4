import type { Profile } from '../protocol/terminal';
import { loadProfiles } from './markets';

/** The market profiles (core/markets/profiles/), checked when the core starts: a bad file stops it with the field it got wrong. */
export const PROFILES: Record<Profile['country'], Profile> = loadProfiles();

export function profileFor(country: string): Profile {
  const p = (PROFILES as Record<string, Profile | undefined>)[country.toUpperCase()];
  if (!p) throw new Error(`Unknown country profile "${country}"; known: ${Object.keys(PROFILES).join(', ')}`);
  return p;
}
