/**
 * The update decision, without Electron: a download is installed only when a release statement
 * signed by a key of the build's baked chain names this very file, this channel, a version newer
 * than what runs, and has not expired — and, at the moment of installing, the file is still the one
 * that verified. Cases: valid, unsigned, wrong key, tampered, swapped, downgrade, replayed old
 * statement, other channel, expired, verify-then-swap race, no baked key, key rotation.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decideUpdate, sha512File, signRelease, signRotation, stillVerified, trustedKeys } from '../../electron/main/release-signature';
import { RELEASE_KEY_CHAIN } from '../../electron/main/release-keys';
import { tempDir } from '../helpers/tmp';
import { rawEd25519 } from '../../protocol/journal-chain';

const tmp = tempDir('kassa-release-');
afterAll(() => tmp.cleanup());
const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, raw: rawEd25519(publicKey) };
};
const NOW = new Date('2026-12-04T10:00:00.000Z');
const LATER = '2027-01-03T10:00:00.000Z';
const running = { version: '0.2.0', channel: 'stable' };

async function artifact(name: string, fill = 7) {
  const path = join(tmp.dir, name);
  writeFileSync(path, Buffer.alloc(200_000, fill));
  return path;
}

describe('the update decision', () => {
  it('installs a signed, newer release for this channel; refuses everything else with its reason', async () => {
    const release = pair();
    const other = pair();
    const deb = await artifact('kassa_0.3.0_amd64.deb');
    const sha = await sha512File(deb);
    const decide = (statementText: string, o: { fileSha512?: string; fileName?: string; keys?: string[]; now?: Date; run?: typeof running } = {}) =>
      decideUpdate({ fileName: o.fileName ?? 'kassa_0.3.0_amd64.deb', fileSha512: o.fileSha512 ?? sha, statementText, running: o.run ?? running, keys: o.keys ?? [release.raw], now: o.now ?? NOW });
    const good = await signRelease(deb, release.privateKey, { version: '0.3.0', channel: 'stable', expiresAt: LATER });
    expect(decide(good)).toMatchObject({ install: true, statement: { version: '0.3.0', channel: 'stable' } });
    // Unsigned (no statement, garbage, the signature taken off).
    expect(decide('')).toMatchObject({ install: false, reason: expect.stringMatching(/no valid signature file/) });
    expect(decide('not json')).toMatchObject({ install: false, reason: expect.stringMatching(/no valid signature file/) });
    const { signature: _s, ...bare } = JSON.parse(good) as Record<string, string>;
    expect(decide(JSON.stringify(bare))).toMatchObject({ install: false });
    // Signed by a key this build does not bake in.
    expect(decide(await signRelease(deb, other.privateKey, { version: '0.3.0', channel: 'stable', expiresAt: LATER }))).toMatchObject({ install: false, reason: expect.stringMatching(/not signed by a release key/) });
    // The statement altered after signing (a higher version written in).
    expect(decide(JSON.stringify({ ...JSON.parse(good), version: '9.0.0' }))).toMatchObject({ install: false, reason: expect.stringMatching(/not signed by a release key/) });
    // A file with other bytes, or another file's name, under a good statement.
    const tampered = await artifact('tampered.deb', 8);
    expect(decide(good, { fileSha512: await sha512File(tampered) })).toMatchObject({ install: false, reason: expect.stringMatching(/not the one the release statement names/) });
    expect(decide(good, { fileName: 'kassa_0.4.0_amd64.deb' })).toMatchObject({ install: false, reason: expect.stringMatching(/not the one/) });
    // Downgrade: an old, genuinely signed release offered as the update; and the statement of what already runs, replayed.
    const old = await artifact('kassa_0.1.0_amd64.deb');
    const oldStatement = await signRelease(old, release.privateKey, { version: '0.1.0', channel: 'stable', expiresAt: LATER });
    expect(decideUpdate({ fileName: 'kassa_0.1.0_amd64.deb', fileSha512: await sha512File(old), statementText: oldStatement, running, keys: [release.raw], now: NOW })).toMatchObject({ install: false, reason: expect.stringMatching(/not newer than version 0.2.0.*downgrade/) });
    expect(decide(good, { run: { version: '0.3.0', channel: 'stable' } })).toMatchObject({ install: false, reason: expect.stringMatching(/not newer/) });
    expect(decide(good, { run: { version: '0.10.0', channel: 'stable' } })).toMatchObject({ install: false }); // numbers, not text: 0.10 > 0.3
    // Another channel; an expired statement; no baked key.
    expect(decide(await signRelease(deb, release.privateKey, { version: '0.3.0', channel: 'beta', expiresAt: LATER }))).toMatchObject({ install: false, reason: expect.stringMatching(/beta channel/) });
    expect(decide(good, { now: new Date(LATER) })).toMatchObject({ install: false, reason: expect.stringMatching(/expired/) });
    expect(decide(good, { keys: [] })).toMatchObject({ install: false, reason: expect.stringMatching(/no release key is baked/) });
  });

  it('installs only the file that verified: one swapped after the decision is not installed', async () => {
    const release = pair();
    const deb = await artifact('kassa_0.5.0_amd64.deb');
    const statementText = await signRelease(deb, release.privateKey, { version: '0.5.0', channel: 'stable', expiresAt: LATER });
    const d = decideUpdate({ fileName: 'kassa_0.5.0_amd64.deb', fileSha512: await sha512File(deb), statementText, running, keys: [release.raw], now: NOW });
    expect(d.install).toBe(true);
    if (!d.install) return;
    expect(await stillVerified(deb, d.statement)).toBe(true);
    const bytes = readFileSync(deb);
    bytes[100] = 1;
    writeFileSync(deb, bytes); // swapped between verification and install
    expect(await stillVerified(deb, d.statement)).toBe(false);
    expect(await stillVerified(join(tmp.dir, 'gone.deb'), d.statement)).toBe(false);
  });

  it('trusts the baked chain: the root, then each key the one before it signed; nothing from the environment', () => {
    const root = pair();
    const next = pair();
    const stranger = pair();
    expect(trustedKeys({ root: root.raw, rotations: [signRotation(next.raw, root.privateKey)] })).toEqual([root.raw, next.raw]);
    // A rotation not signed by the key before it ends the chain there.
    expect(trustedKeys({ root: root.raw, rotations: [signRotation(next.raw, stranger.privateKey)] })).toEqual([root.raw]);
    expect(trustedKeys({ root: '', rotations: [] })).toEqual([]);
    // The build's chain is what this file bakes in; the environment changes nothing.
    process.env.KASSA_RELEASE_KEYS = stranger.raw;
    expect(trustedKeys()).toEqual(trustedKeys(RELEASE_KEY_CHAIN));
    expect(trustedKeys()).not.toContain(stranger.raw);
    delete process.env.KASSA_RELEASE_KEYS;
  });
});
