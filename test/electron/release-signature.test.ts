/** Updates are installed only when signed by the release key: verified before installing. */
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signRelease, verifyRelease } from '../../electron/main/release-signature';
import { tempDir } from '../helpers/tmp';

const tmp = tempDir('kassa-release-');
afterAll(() => tmp.cleanup());
const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, raw: publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64url') };
};

describe('release signatures', () => {
  it('accept the release key’s signature; refuse a changed file, a renamed file, another key, garbage, no pinned key', async () => {
    const release = pair();
    const other = pair();
    const deb = join(tmp.dir, 'kassa_0.2.0_amd64.deb');
    writeFileSync(deb, Buffer.alloc(300_000, 7));
    const sig = await signRelease(deb, release.privateKey);
    expect(await verifyRelease(deb, sig, [other.raw, release.raw])).toEqual({ ok: true });
    // one byte changed
    const bytes = Buffer.alloc(300_000, 7);
    bytes[123_456] = 8;
    writeFileSync(deb, bytes);
    expect(await verifyRelease(deb, sig, [release.raw])).toMatchObject({ ok: false, reason: expect.stringMatching(/not signed by the release key/) });
    writeFileSync(deb, Buffer.alloc(300_000, 7));
    // the same bytes under another name (an older release passed off as this one)
    const renamed = join(tmp.dir, 'kassa_0.3.0_amd64.deb');
    writeFileSync(renamed, Buffer.alloc(300_000, 7));
    expect((await verifyRelease(renamed, sig, [release.raw])).ok).toBe(false);
    expect((await verifyRelease(deb, await signRelease(deb, other.privateKey), [release.raw])).ok).toBe(false);
    expect(await verifyRelease(deb, 'not a signature', [release.raw])).toMatchObject({ ok: false, reason: expect.stringMatching(/no valid signature/) });
    expect(await verifyRelease(deb, sig, [])).toMatchObject({ ok: false, reason: expect.stringMatching(/no release key/) });
  });
});
