/**
 * OS updates through HQ, on SQLite and on a real PostgreSQL: store IT publishes real RAUC bundles
 * (rauc 1.8, verity; image/rauc.ts as `npm run image` makes them), HQ refuses a version not newer
 * than its newest, and the check-in of a terminal that says which OS it runs offers the newest one,
 * signed with the catalog key the terminal pins. The core downloads it over real HTTP, checks size
 * and SHA-256 against the signed offer and hands it to the root side (bundle.raucb + the install
 * marker); the root side's answer (status.json, as image/rootfs/usr/lib/kassa/os-install writes
 * it) is what the service screen shows, and the reboot is asked for only with the till closed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogUpdater, pinCatalogKey } from '../../core/sync/catalog';
import { enroll, loadHqLink, signedPost } from '../../core/sync/link';
import { OsUpdater, readOsRelease, tillClosed } from '../../core/sync/os-update';
import { loadOrCreateCatalogKey } from '../../hq/catalog';
import { latestOs, osBundleFile, publishOs } from '../../hq/os-release';
import { makeSigningPair, writeBundle } from '../../image/rauc';
import { demoDb } from '../helpers/demo-lane';
import { hqBackends, hqForSuite } from '../helpers/hq-backends';
import { tempDir } from '../helpers/tmp';

const tmp = tempDir('kassa-os-');
afterAll(() => tmp.cleanup());

// Real bundles, signed by a release CA (and one by a foreign one), made once.
const release = makeSigningPair(join(tmp.dir, 'release'), 'Kassa test release');
const foreign = makeSigningPair(join(tmp.dir, 'foreign'), 'Someone else');
const rootImage = join(tmp.dir, 'root.img');
writeFileSync(rootImage, randomBytes(300 * 1024));
const bundle = (version: string, keys = release) => {
  const out = join(tmp.dir, `kassa-${version}-${keys === release ? 'ours' : 'foreign'}.raucb`);
  if (!existsSync(out)) writeBundle(rootImage, out, { version, commit: 'c0ffee', keys, work: join(tmp.dir, 'work') });
  return out;
};

describe.each(hqBackends(tmp.dir))('OS updates from HQ on $name', (backend) => {
  const dir = tempDir('kassa-os-hq-');
  afterAll(() => dir.cleanup());
  const hq = hqForSuite(backend, dir.dir);
  const { catalogDir } = hq;

  /** An enrolled terminal pinning HQ's catalog key, running OS `running`, with its OS updater and check-in. */
  const terminal = async (name: string, running: string) => {
    const db = demoDb(dir.dir, `${name}.db`);
    await enroll(db, hq.url, await hq.store.createEnrollmentToken('s1', name), '0.1.0');
    pinCatalogKey(db, hq.signer.publicKey);
    const osDir = join(dir.dir, `${name}-os-update`);
    mkdirSync(osDir, { recursive: true });
    writeFileSync(join(dir.dir, `${name}-release`), `KASSA_OS_VERSION=${running}\nKASSA_OS_COMPATIBLE=kassa-x86_64\n`);
    const logs: string[] = [];
    const os = new OsUpdater(db, { dir: osDir, release: readOsRelease(join(dir.dir, `${name}-release`)), log: (l) => logs.push(l) });
    const updater = new CatalogUpdater(db, loadHqLink(db)!, { downloadPath: join(dir.dir, `${name}.download`), os });
    /** One check-in, and the OS offer's handling to its end. */
    const checkIn = async () => {
      await updater.check();
      for (let i = 0; i < 200 && os.status().state === 'downloading'; i++) await new Promise((r) => setTimeout(r, 25));
    };
    return { db, os, osDir, updater, logs, checkIn };
  };

  it('publishes newer bundles only (no downgrade, no republish), verity format, signature checked with --keyring', () => {
    expect(() => publishOs(catalogDir, hq.signer, bundle('0.1.0.6', foreign), { now: new Date('2026-03-01T10:00:00Z'), keyring: release.keyring })).toThrow(/signature does not verify/);
    const m = publishOs(catalogDir, hq.signer, bundle('0.1.0.6'), { now: new Date('2026-03-01T10:00:00Z'), keyring: release.keyring });
    expect(m).toMatchObject({ format: 'kassa-os/1', version: '0.1.0.6', compatible: 'kassa-x86_64' });
    expect(readFileSync(osBundleFile(catalogDir, m.sha256)).equals(readFileSync(bundle('0.1.0.6')))).toBe(true);
    for (const v of ['0.1.0.6', '0.1.0.5', '0.0.9']) expect(() => publishOs(catalogDir, hq.signer, bundle(v), { now: new Date('2026-03-01T11:00:00Z') }), v).toThrow(new RegExp(`version ${v.replace(/\./g, '\\.')} is not newer than 0\\.1\\.0\\.6.*no downgrades`));
    expect(() => publishOs(catalogDir, hq.signer, rootImage, { now: new Date('2026-03-01T11:00:00Z') })).toThrow(/no RAUC bundle|no signed RAUC manifest/);
    expect(latestOs(catalogDir, 'kassa-x86_64')!.manifest.version).toBe('0.1.0.6');
  });

  it('a terminal on an older OS is offered the newest, downloads it, checks it and hands it to the root side', async () => {
    const t = await terminal('older', '0.1.0.5');
    await t.checkIn();
    expect(t.os.status()).toEqual({ running: '0.1.0.5', state: 'handedOver', version: '0.1.0.6', detail: null });
    expect(readFileSync(join(t.osDir, 'bundle.raucb')).equals(readFileSync(bundle('0.1.0.6')))).toBe(true);
    expect(existsSync(join(t.osDir, 'install'))).toBe(true);
    expect(t.updater.status().os?.state).toBe('handedOver');
    // The root side (os-install) took it and installed it into slot b.
    rmSync(join(t.osDir, 'install'));
    rmSync(join(t.osDir, 'bundle.raucb'));
    writeFileSync(join(t.osDir, 'status.json'), '{"state":"installed","version":"0.1.0.6","slot":"b","at":"2026-03-01T10:05:00Z"}\n');
    expect(t.os.status()).toMatchObject({ state: 'installed', version: '0.1.0.6' });
    await t.checkIn(); // offered again: not fetched again
    expect(existsSync(join(t.osDir, 'bundle.raucb'))).toBe(false);
    // The reboot waits for a closed till.
    expect(await t.os.rebootWhenClosed(tillClosed({ lane: { till: { sessionId: 's', openedAt: 'x', openedBy: 'o' } } as never, checkout: null }))).toBe(false);
    expect(existsSync(join(t.osDir, 'reboot'))).toBe(false);
    expect(await t.os.rebootWhenClosed(tillClosed({ lane: { till: null } as never, checkout: null }))).toBe(true);
    expect(existsSync(join(t.osDir, 'reboot'))).toBe(true);
    // A core restarted before the reboot happened (the same boot) still waits to reboot into it.
    const restarted = (running: string, bootId?: string) => new OsUpdater(t.db, { dir: t.osDir, release: { version: running, compatible: 'kassa-x86_64' }, ...(bootId ? { bootId: () => bootId } : {}) });
    expect(restarted('0.1.0.5').status()).toMatchObject({ state: 'installed', version: '0.1.0.6' });
    // The next boot runs it: nothing left to do.
    expect(restarted('0.1.0.6', 'the-next-boot').status()).toMatchObject({ state: 'idle', running: '0.1.0.6' });
    // The next boot still runs 0.1.0.5 (the bundle's OS names another version): said so, and never rebooted again.
    const stuck = restarted('0.1.0.5', 'the-next-boot');
    expect(stuck.status()).toEqual({ running: '0.1.0.5', state: 'refused', version: '0.1.0.6', detail: 'NOT_RUNNING: the terminal restarted into 0.1.0.6, but the OS running says 0.1.0.5; it is not restarted again' });
    rmSync(join(t.osDir, 'reboot'));
    expect(await stuck.rebootWhenClosed(true)).toBe(false);
    expect(existsSync(join(t.osDir, 'reboot'))).toBe(false);
  });

  it('what the root side refused (RAUC or the downgrade check) shows with its reason and is not fetched again', async () => {
    const t = await terminal('refused', '0.1.0.5');
    await t.checkIn();
    rmSync(join(t.osDir, 'install'));
    rmSync(join(t.osDir, 'bundle.raucb'));
    writeFileSync(join(t.osDir, 'status.json'), '{"state":"refused","reason":"signature verification failed: Verify error: unable to get local issuer certificate","at":"2026-03-01T10:05:00Z"}\n');
    expect(t.os.status()).toEqual({ running: '0.1.0.5', state: 'refused', version: '0.1.0.6', detail: 'signature verification failed: Verify error: unable to get local issuer certificate' });
    await t.checkIn();
    expect(existsSync(join(t.osDir, 'bundle.raucb'))).toBe(false);
    writeFileSync(join(t.osDir, 'status.json'), '{"state":"rolledBack","version":"0.1.0.6","at":"2026-03-01T11:05:00Z"}\n');
    expect(t.os.status()).toMatchObject({ state: 'refused', detail: 'ROLLED_BACK' });
  });

  it('a bundle altered at HQ is refused by its hash and never handed over; a terminal on the newest OS is offered nothing', async () => {
    const t = await terminal('tampered', '0.1.0.5');
    const file = osBundleFile(catalogDir, latestOs(catalogDir, 'kassa-x86_64')!.manifest.sha256);
    const good = readFileSync(file);
    const bad = Buffer.from(good);
    bad[1000] = bad[1000]! ^ 0xff;
    writeFileSync(file, bad);
    try {
      await t.checkIn();
    } finally {
      writeFileSync(file, good);
    }
    expect(t.os.status()).toMatchObject({ state: 'refused', version: '0.1.0.6' });
    expect(t.os.status().detail).toMatch(/does not match its signed offer/);
    expect(existsSync(join(t.osDir, 'install'))).toBe(false);
    expect(existsSync(join(t.osDir, 'bundle.raucb'))).toBe(false);
    const newest = await terminal('newest', '0.1.0.6');
    const link = loadHqLink(newest.db)!;
    const body = { clock: new Date().toISOString(), softwareVersion: '0.1.0', catalog: { version: 0, expiresAt: null }, backlog: { count: 0, oldestAt: null }, devices: [], alerts: [] };
    expect(((await signedPost(link, '/v1/checkin', { ...body, os: newest.os.checkin() })) as { os: unknown }).os).toBeNull();
    // A terminal that does not say which OS it runs (not the kiosk image, or an older core) gets no `os` at all.
    expect(Object.keys((await signedPost(link, '/v1/checkin', body)) as object)).not.toContain('os');
  });

  it('refuses an offer signed by a key the terminal does not pin, and one not newer than the OS running', async () => {
    const t = await terminal('unpinned', '0.1.0.5');
    const other = loadOrCreateCatalogKey(join(dir.dir, 'other-key.pem')).signer;
    const m = latestOs(catalogDir, 'kassa-x86_64')!.manifest;
    await t.os.offer(other.sign(m), loadHqLink(t.db)!);
    expect(t.os.status()).toMatchObject({ state: 'refused', detail: expect.stringMatching(/does not trust/) });
    await t.os.offer(hq.signer.sign({ ...m, version: '0.1.0.5' }), loadHqLink(t.db)!);
    expect(t.os.status()).toMatchObject({ state: 'refused', detail: expect.stringMatching(/not newer than 0\.1\.0\.5/) });
    expect(existsSync(join(t.osDir, 'bundle.raucb.part'))).toBe(false);
  });
});
