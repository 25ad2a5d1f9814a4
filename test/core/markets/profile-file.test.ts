/**
 * A store's own profile file (KASSA_PROFILE=/path/profile.json or --profile): one of the countries
 * with the chain's own rules, checked like the built-in ones. A bad file stops the real core at
 * start with the field it got wrong, and nothing is written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveBarcode } from '../../../core/catalog/barcode';
import { PROFILE_FILES, ProfileError } from '../../../core/markets';
import { profileFor } from '../../../core/profile';
import { profileFromEnv } from '../../../electron/main/supervisor-core';
import { CORE_NODE_FLAGS } from '../../../protocol/core-node-flags';
import { CORE_BUNDLE } from '../../helpers/core-process';
import { tempDir } from '../../helpers/tmp';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.cleanup());

/** Denmark with the chain's labels carrying a 5-digit price verifier on 21 (its scales' layout). */
function chainDk(spoil?: (p: Record<string, unknown>) => void): string {
  const p = structuredClone(PROFILE_FILES.DK) as Record<string, unknown> & { variableMeasure: Array<Record<string, unknown>> };
  p.variableMeasure[1] = { prefix: '21', measure: 'price', decimals: 2, itemEnd: 6, check: 'five' };
  spoil?.(p);
  const path = join(tmp.dir, 'profile.json');
  writeFileSync(path, JSON.stringify(p));
  return path;
}

describe('a store’s own profile file', () => {
  it('is read and checked, and its rules apply', () => {
    const profile = profileFor(chainDk());
    expect(profile.country).toBe('DK');
    // 21 2002 v 03975: the verifier of 03975 is 8 (GS1 7.9.4), EAN check digit 7.
    expect(resolveBarcode('2120028039757', profile)).toMatchObject({ kind: 'variable', priceMinor: 3975, itemRef: '2002' });
    expect(resolveBarcode('2120021039754', profile)).toMatchObject({ ok: false, reason: 'price check digit is 1, expected 8' });
  });

  it('a bad one is refused naming the file and the field', () => {
    const bad = chainDk((p) => ((p.variableMeasure as Array<Record<string, unknown>>)[1]!.check = 'four'));
    expect(() => profileFor(bad)).toThrow(ProfileError);
    expect(() => profileFor(bad)).toThrow(/market profile DK is refused: variableMeasure\.1\.check: a 4-digit verifier needs 4 measure digits, this rule has 5/);
    const broken = join(tmp.dir, 'broken.json');
    writeFileSync(broken, '{"country": "DK",');
    expect(() => profileFor(broken)).toThrow(/market profile .*broken\.json is refused: \(the file\): cannot be read as JSON/);
    expect(() => profileFor(join(tmp.dir, 'missing.json'))).toThrow(/missing\.json is refused: \(the file\): cannot be read/);
  });

  it('KASSA_PROFILE takes a country in any case or a file; anything else is refused by name', () => {
    expect(profileFromEnv(undefined)).toBe('SE');
    expect(profileFromEnv('dk')).toBe('DK');
    expect(profileFromEnv('/etc/kassa/profile.json')).toBe('/etc/kassa/profile.json');
    expect(() => profileFromEnv('AT')).toThrow('KASSA_PROFILE "AT" is no market profile; known: SE, DE, DK, NO, FI, GB');
  });

  it('the real core will not start on a bad file: it says which field, and writes no database', () => {
    if (!existsSync(CORE_BUNDLE)) throw new Error(`${CORE_BUNDLE} is missing: run npm run build (npm test does)`);
    const db = join(tmp.dir, 'kassa.db');
    const bad = chainDk((p) => (p.cashRoundingUnit = 30));
    const r = spawnSync(process.execPath, [...CORE_NODE_FLAGS, CORE_BUNDLE, '--db', db, '--port', '0', '--profile', bad, '--demo'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/market profile DK is refused: cashRoundingUnit: is not one of the denominations/);
    expect(existsSync(db)).toBe(false);
  });
});
