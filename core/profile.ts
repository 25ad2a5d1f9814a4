import { readFileSync } from 'node:fs';
import type { Profile } from '../protocol/terminal';
import { loadProfiles, parseProfile, ProfileError } from './markets';

/** The market profiles (core/markets/profiles/), checked when the core starts: a bad file stops it with the field it got wrong. */
export const PROFILES: Record<Profile['country'], Profile> = loadProfiles();

/**
 * A country's profile ("DK"), or a store's own profile file ("/etc/kassa/profile.json": one of the
 * countries with the chain's own rules, e.g. its label scales' layout), checked the same way.
 */
export function profileFor(country: string): Profile {
  if (country.endsWith('.json')) return profileFromFile(country);
  const p = (PROFILES as Record<string, Profile | undefined>)[country.toUpperCase()];
  if (!p) throw new Error(`Unknown country profile "${country}"; known: ${Object.keys(PROFILES).join(', ')}`);
  return p;
}

function profileFromFile(path: string): Profile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ProfileError(path, '(the file)', `cannot be read as JSON: ${(e as Error).message}`);
  }
  const country = typeof data === 'object' && data !== null && typeof (data as { country?: unknown }).country === 'string' ? (data as { country: string }).country : path;
  return parseProfile(data, country);
}
