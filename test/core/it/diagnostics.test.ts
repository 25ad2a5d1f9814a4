/**
 * The diagnostics bundle for store IT: written only below the removable-media roots (no `..`, no
 * symlink out of them), with versions, identity, devices, sync, journal event types and the log, and
 * none of the terminal's secrets or card data, even though the database holds all of them.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { CoreError } from '../../../core/errors';
import { checkUsbTarget, parseUsbRoots, usbTargets } from '../../../core/it/usb';
import { Operators } from '../../../core/operators';
import { SimulatedPaymentTerminal } from '../../../core/payments/port';
import { SOFTWARE_VERSION } from '../../../core/sync/report';
import { run } from '../../helpers/lane';
import { IT, openStoreItLane, SUPERVISOR, type StoreItLane } from '../../helpers/store-it';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

let tmp: ReturnType<typeof tempDir>;
let lane: StoreItLane;

beforeEach(async () => {
  tmp = tempDir('kassa-it-diag-');
  lane = await openStoreItLane(tmp.dir, {
    devices: { devices: [{ kind: 'escposPrinter', id: 'printer', transport: { type: 'simulated' }, pollMs: 50 }] },
    payments: new SimulatedPaymentTerminal({ delayMs: 5 }),
  });
});
afterEach(async () => {
  await lane.close();
  tmp.cleanup();
});

const refusal = (f: () => unknown): CoreError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    return e as CoreError;
  }
  throw new Error('not refused');
};

describe('where a diagnostics bundle may go', () => {
  it('lists the drives under the roots and accepts folders only below them', () => {
    const root = lane.usbRoot;
    mkdirSync(join(tmp.dir, 'elsewhere'));
    symlinkSync(join(tmp.dir, 'elsewhere'), join(root, 'kassa', 'escape'));
    mkdirSync(join(root, 'kassa', 'STICK', 'inner'));
    symlinkSync(join(root, 'kassa', 'STICK', 'inner'), join(root, 'kassa', 'alias'));
    expect(usbTargets([root, join(tmp.dir, 'missing')])).toEqual([
      { path: join(root, 'kassa', 'STICK'), label: 'STICK' },
      { path: join(root, 'kassa', 'alias'), label: 'alias' },
    ]);
    expect(checkUsbTarget(join(root, 'kassa', 'STICK'), [root])).toMatchObject({ ok: true });
    expect(checkUsbTarget(`${root}/kassa/STICK/../STICK`, [root])).toMatchObject({ ok: false }); // no `..` at all, even staying inside
    expect(checkUsbTarget(join(root, 'kassa', 'alias'), [root])).toMatchObject({ ok: true }); // a link that stays inside
    expect(checkUsbTarget(join(root, 'kassa', 'escape'), [root])).toMatchObject({ ok: false, why: expect.stringMatching(/not on a removable drive/) });
    expect(checkUsbTarget(`${root}/kassa/STICK/../../../elsewhere`, [root])).toMatchObject({ ok: false, why: expect.stringMatching(/\.\./) });
    expect(checkUsbTarget(root, [root])).toMatchObject({ ok: false });
    expect(checkUsbTarget('kassa/STICK', [root])).toMatchObject({ ok: false, why: expect.stringMatching(/absolute/) });
    expect(checkUsbTarget(join(root, 'kassa', 'NOPE'), [root])).toMatchObject({ ok: false, why: expect.stringMatching(/does not exist/) });
    expect(checkUsbTarget('/etc', [root])).toMatchObject({ ok: false });
    expect(parseUsbRoots(['/media,/run/media', undefined, '/mnt/usb'])).toEqual(['/media', '/run/media', '/mnt/usb']);
    expect(() => parseUsbRoots(['media'])).toThrow(/absolute/);
  });

  it('below /media and /run/media takes only folders where a drive is mounted', () => {
    const root = lane.usbRoot; // a folder on the same disk as its root: no drive there
    expect(checkUsbTarget(join(root, 'kassa', 'STICK'), [root], [root])).toMatchObject({ ok: false, why: expect.stringMatching(/no USB drive is mounted/) });
    expect(usbTargets([root], [root])).toEqual([]);
    // /dev/shm is its own filesystem (tmpfs) below /dev (devtmpfs): a mount, as a USB stick below /media is
    expect(statSync('/dev/shm').dev).not.toBe(statSync('/dev').dev);
    expect(checkUsbTarget('/dev/shm', ['/dev'], ['/dev'])).toMatchObject({ ok: true, dir: '/dev/shm' });
    expect(usbTargets(['/dev'], ['/dev'])).toContainEqual({ path: '/dev/shm', label: 'shm' });
  });

  it('refuses anything else with a typed error and writes nothing; needs store IT', () => {
    expect(refusal(() => lane.it.exportDiagnostics(join(lane.usbRoot, 'kassa', 'STICK'), SUPERVISOR)).code).toBe('APPROVAL_DENIED');
    const e = refusal(() => lane.it.exportDiagnostics(tmp.dir, IT));
    expect(e.code).toBe('NOT_ALLOWED_NOW');
    expect(e.params).toMatchObject({ reason: 'usbTarget' });
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('kassa-diagnostics'))).toEqual([]);
  });
});

describe('the diagnostics bundle', () => {
  it('has versions, identity, devices, sync, journal event types and the log, and no secret or card data', async () => {
    // Secrets the database holds: the journal signing key (made at start), an HQ link with its key,
    // operators' PIN hashes, a badge; and a card sale with its masked PAN, auth code and terminal receipt.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const hqKey = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    lane.db
      .prepare('INSERT INTO hq_link (id, hq_url, terminal_id, store_id, lane_id, private_key, public_key, enrolled_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)')
      .run('https://hq.example/', 'T-00042', 's', '1', hqKey, publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), new Date().toISOString());
    const ops = new Operators(lane.db);
    ops.add('31', 'Secret Sam', 'it', '48151623');
    const badge = ops.issueBadge('7');
    run(lane.service, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(lane.service, { cmd: 'tenderCard' });
    await until('card paid', () => lane.service.snapshot().checkout?.state === 'paid');
    const card = lane.service.snapshot().checkout!.tenders[0]!.card!;
    run(lane.service, { cmd: 'complete' });
    lane.logs.push('payment terminal: session token=SESSIONTOKEN123456 card 4111 1111 1111 1111');
    await until('printer online', () => lane.service.snapshot().devices.list.some((d) => d.state === 'online'));

    const r = lane.it.exportDiagnostics(join(lane.usbRoot, 'kassa', 'STICK'), IT);
    expect(r.folder).toMatch(new RegExp(`^${join(lane.usbRoot, 'kassa', 'STICK')}/kassa-diagnostics-s-1-\\d{8}T\\d{6}Z$`));
    expect(readdirSync(r.folder).sort()).toEqual(['README.txt', 'device-status.json', 'devices.json', 'identity.json', 'journal-events.json', 'log.txt', 'sync.json', 'versions.json']);
    expect(r.files.sort()).toEqual(readdirSync(r.folder).sort());
    const files = Object.fromEntries(r.files.map((f) => [f, readFileSync(join(r.folder, f), 'utf8')]));
    const all = Object.values(files).join('\n');
    expect(r.bytes).toBe(Buffer.byteLength(Object.values(files).join('')));

    // What IT needs is there.
    const versions = JSON.parse(files['versions.json']!);
    expect(versions).toMatchObject({ software: SOFTWARE_VERSION, node: process.version, catalog: { items: expect.any(Number) } });
    expect(JSON.parse(files['identity.json']!)).toMatchObject({ storeId: 's', laneId: '1', terminalId: 'T-00042', hqUrl: 'https://hq.example/', exportedBy: '9' });
    expect(JSON.parse(files['devices.json']!)).toMatchObject({ source: 'none', problems: [] });
    expect(JSON.parse(files['device-status.json']!).list).toEqual([expect.objectContaining({ id: 'printer', kind: 'printer', state: 'online' })]);
    const journal = JSON.parse(files['journal-events.json']!) as { types: Array<{ kind: string; count: number }>; latest: Array<{ seq: number; kind: string }> };
    expect(journal.types.find((k) => k.kind === 'sale.completed')?.count).toBe(1);
    expect(Object.keys(journal.latest[0]!).sort()).toEqual(['at', 'kind', 'seq']);
    expect(files['log.txt']).toMatch(/session token=\[redacted\] card \*{12}1111/);
    expect(JSON.parse(files['sync.json']!)).toMatchObject({ enrolled: true });

    // What must never leave the terminal is not.
    const signerPem = lane.db.prepare<[], { private_key_pem: string }>('SELECT private_key_pem FROM terminal_key').get()!.private_key_pem;
    const secrets: Array<[string, string]> = [
      ['journal signing key', signerPem.split('\n')[1]!],
      ['HQ link key', hqKey.slice(16, 48)],
      ['badge', badge],
      ['badge (tail)', badge.slice(-16)],
      ['PIN', '48151623'],
      ['session token', 'SESSIONTOKEN123456'],
      ['card number', '4111111111111111'],
      ['card number (spaced)', '4111 1111 1111 1111'],
      ['masked PAN', card.maskedPan],
      ['auth code', card.authCode],
      ['terminal reference', card.terminalRef],
      ['terminal receipt', 'SIMULATED TERMINAL'],
      ['attempt id', card.attemptId],
    ];
    for (const row of lane.db.prepare<[], { pin_hash: string }>('SELECT pin_hash FROM operator').all()) secrets.push(['PIN hash', row.pin_hash]);
    for (const row of lane.db.prepare<[], { badge_hash: string }>('SELECT badge_hash FROM operator_badge').all()) secrets.push(['badge hash', row.badge_hash]);
    for (const [what, value] of secrets) expect(all.includes(value), `${what} (${value}) in the bundle`).toBe(false);
    expect(all).not.toMatch(/PRIVATE KEY|pin_hash|"pin"|maskedPan|authCode|receiptLines|VISA/);

    // Journalled with who.
    const entry = lane.db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'diagnostics.export'").get();
    expect(JSON.parse(entry!.body)).toMatchObject({ by: '9', folder: r.folder });
  });
});
