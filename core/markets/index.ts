/**
 * The market profiles: one data file per country in profiles/, checked against the protocol's
 * ProfileSchema when the core starts. A file that does not pass is refused with the country and
 * the field it got wrong. Adding a country is adding its file here (and its demo catalog in demo/).
 */
import { ProfileSchema, type Profile } from '../../protocol/terminal';
import de from './profiles/de';
import dk from './profiles/dk';
import fi from './profiles/fi';
import gb from './profiles/gb';
import no from './profiles/no';
import se from './profiles/se';

/** The profile files as written, before they are checked. */
export const PROFILE_FILES: Readonly<Record<string, unknown>> = { SE: se, DE: de, DK: dk, NO: no, FI: fi, GB: gb };

export class ProfileError extends Error {
  constructor(
    readonly source: string,
    readonly field: string,
    detail: string,
  ) {
    super(`market profile ${source} is refused: ${field}: ${detail}`);
    this.name = 'ProfileError';
  }
}

/** Checks one profile file; a bad one throws a ProfileError naming its first wrong field. */
export function parseProfile(data: unknown, source: string): Profile {
  const r = ProfileSchema.safeParse(data);
  if (r.success) {
    if (r.data.country !== source.toUpperCase()) throw new ProfileError(source, 'country', `is ${r.data.country}, the file is for ${source}`);
    return r.data;
  }
  const issue = r.error.issues[0]!;
  throw new ProfileError(source, issue.path.length ? issue.path.join('.') : '(the file)', issue.message);
}

/** Every profile, checked. */
export function loadProfiles(files: Readonly<Record<string, unknown>> = PROFILE_FILES): Record<Profile['country'], Profile> {
  const out: Partial<Record<Profile['country'], Profile>> = {};
  for (const [country, data] of Object.entries(files)) {
    const p = parseProfile(data, country);
    out[p.country] = p;
  }
  return out as Record<Profile['country'], Profile>;
}
