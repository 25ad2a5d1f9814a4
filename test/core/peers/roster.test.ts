/**
 * A till's store roster (core/peers/roster.ts) on a real terminal database: it keeps the newest
 * roster that verifies with HQ's pinned roster key and refuses an older one, another store's, a
 * forged and a tampered one (changing nothing); store IT's address wins over the roster's, and an
 * address for a terminal the roster does not name is not used. Then `npm run peer` (scripts/peer.ts)
 * as store IT runs it, a child process on that database file: add, list, remove.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../core/db';
import { RosterRepo } from '../../../core/peers/roster';
import { HqLinkRepo } from '../../../core/sync/repo';
import { RosterSigner } from '../../../hq/roster';
import type { Roster, RosterTerminal } from '../../../protocol/roster';
import { tempDir } from '../../helpers/tmp';
import { rawEd25519 } from '../../../protocol/journal-chain';

const tmp = tempDir('kassa-peer-roster-');
const ROOT = join(__dirname, '../../..');

const keyPair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, raw: rawEd25519(publicKey) };
};
const hq = keyPair();
const signer = new RosterSigner(hq.privateKey);
const intruder = new RosterSigner(keyPair().privateKey);

const till = (n: number, address: string | null = null): RosterTerminal => ({
  terminalId: `T-${n}`,
  laneId: String(n),
  publicKey: keyPair().raw,
  journalKey: keyPair().raw,
  address,
  hqAckedThrough: n * 10,
  lastContact: '2031-03-04T08:00:00.000Z',
});
const TILLS = [till(1, '10.0.0.1:8430'), till(2, '10.0.0.2:8430'), till(3)];
const roster = (issuedAt: string, terminals = TILLS, storeId = 'store-a'): Roster => ({ storeId, issuedAt, terminals });

let db: Db;
let repo: RosterRepo;
const dbFile = join(tmp.dir, 'lane.db');

beforeAll(() => {
  db = openDatabase(dbFile);
  new HqLinkRepo(db).put({ hqUrl: 'http://hq.invalid/', terminalId: 'T-1', storeId: 'store-a', laneId: '1', privateKey: 'unused', publicKey: TILLS[0]!.publicKey, enrolledAt: '2031-03-01T00:00:00.000Z', rosterKey: hq.raw });
  repo = new RosterRepo(db);
});
afterAll(() => {
  db.close();
  tmp.cleanup();
});

describe("a till's store roster", () => {
  it('has no peers before the first roster', () => {
    expect(repo.current()).toBeNull();
    expect(repo.peers('T-1')).toEqual([]);
  });

  it('keeps the newest roster that verifies and refuses an older one', () => {
    expect(repo.store(signer.sign(roster('2031-03-04T09:00:00.000Z', TILLS.slice(0, 2))), hq.raw)).toEqual({ ok: true });
    expect(repo.peers('T-1').map((p) => p.terminalId)).toEqual(['T-2']);
    expect(repo.store(signer.sign(roster('2031-03-04T10:00:00.000Z')), hq.raw)).toEqual({ ok: true });
    expect(repo.current()).toEqual(roster('2031-03-04T10:00:00.000Z'));
    // Never itself among its peers; each with what the roster says of it.
    expect(repo.peers('T-1')).toEqual([
      { terminalId: 'T-2', laneId: '2', publicKey: TILLS[1]!.publicKey, journalKey: TILLS[1]!.journalKey, retiredJournalKeys: [], address: '10.0.0.2:8430', addressFrom: 'roster', hqAckedThrough: 20, lastContact: '2031-03-04T08:00:00.000Z' },
      { terminalId: 'T-3', laneId: '3', publicKey: TILLS[2]!.publicKey, journalKey: TILLS[2]!.journalKey, retiredJournalKeys: [], address: null, addressFrom: null, hqAckedThrough: 30, lastContact: '2031-03-04T08:00:00.000Z' },
    ]);
    // An older roster (one that still named only lane 2, say) is refused: no going back.
    const older = repo.store(signer.sign(roster('2031-03-04T09:30:00.000Z', TILLS.slice(0, 2))), hq.raw);
    expect(older).toMatchObject({ ok: false, reason: expect.stringMatching(/^ROLLBACK: .*2031-03-04T09:30:00.000Z/) });
    expect(repo.current()!.issuedAt).toBe('2031-03-04T10:00:00.000Z');
  });

  it("refuses another store's roster, a forged one, a tampered one, and any without a pinned key", () => {
    const held = repo.current();
    const later = '2031-03-04T11:00:00.000Z';
    expect(repo.store(signer.sign(roster(later, TILLS, 'store-b')), hq.raw)).toMatchObject({ ok: false, reason: expect.stringMatching(/^OTHER_STORE: .*store-b.*store-a/) });
    // A device on the LAN that signs its own roster naming itself a peer.
    const evil = { ...till(9, '10.0.0.66:8430'), terminalId: 'T-evil' };
    expect(repo.store(intruder.sign(roster(later, [...TILLS, evil])), hq.raw)).toMatchObject({ ok: false, reason: expect.stringMatching(/^BAD_SIGNATURE/) });
    // HQ's roster with one more terminal written into its body.
    const good = signer.sign(roster(later));
    const tampered = { ...good, body: good.body.replace('"terminals":[', `"terminals":[${JSON.stringify(evil)},`) };
    expect(tampered.body).not.toBe(good.body);
    expect(repo.store(tampered, hq.raw)).toMatchObject({ ok: false, reason: expect.stringMatching(/^BAD_SIGNATURE/) });
    expect(repo.store(good, null)).toMatchObject({ ok: false, reason: expect.stringMatching(/^NO_KEY/) });
    expect(repo.store({ body: good.body }, hq.raw)).toMatchObject({ ok: false, reason: expect.stringMatching(/^UNSIGNED/) });
    expect(repo.current()).toEqual(held);
    expect(repo.peers('T-1').map((p) => p.terminalId)).toEqual(['T-2', 'T-3']);
  });

  it("takes store IT's address over the roster's, and none for a terminal the roster does not name", () => {
    repo.addAddress('T-2', '192.168.5.2:9000', '2031-03-04T12:00:00.000Z');
    repo.addAddress('T-3', 'till-3.store.lan:8430', '2031-03-04T12:00:00.000Z');
    repo.addAddress('T-evil', '10.0.0.66:8430', '2031-03-04T12:00:00.000Z');
    expect(repo.peers('T-1').map((p) => [p.terminalId, p.address, p.addressFrom])).toEqual([
      ['T-2', '192.168.5.2:9000', 'manual'],
      ['T-3', 'till-3.store.lan:8430', 'manual'],
    ]);
    expect(() => repo.addAddress('T-2', '192.168.5.2', '2031-03-04T12:00:00.000Z')).toThrow(/not a peer address/);
    expect(() => repo.addAddress('T-2', '192.168.5.2:70000', '2031-03-04T12:00:00.000Z')).toThrow(/port/);
    expect(repo.removeAddress('T-2')).toBe(true);
    expect(repo.removeAddress('T-2')).toBe(false);
    expect(repo.removeAddress('T-evil')).toBe(true);
    expect(repo.peers('T-1').map((p) => [p.terminalId, p.address, p.addressFrom])).toEqual([
      ['T-2', '10.0.0.2:8430', 'roster'],
      ['T-3', 'till-3.store.lan:8430', 'manual'],
    ]);
  });
});

describe('npm run peer (store IT)', () => {
  const peer = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/peer.ts'), ...args, `--db=${dbFile}`], { cwd: ROOT }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('adds, lists and removes a peer address by hand', async () => {
    expect(await peer('add', 'T-2', '10.9.9.2:8430')).toMatchObject({ code: 0, stdout: 'T-2 is at 10.9.9.2:8430\n' });
    expect(await peer('add', 'T-404', '10.9.9.4:8430')).toMatchObject({ code: 0, stdout: expect.stringMatching(/not used until the store roster from HQ names this terminal/) });
    expect(await peer('add', 'T-3', 'nowhere')).toMatchObject({ code: 1, stderr: expect.stringMatching(/refused: "nowhere" is not a peer address/) });
    const list = await peer('list');
    expect(list.code).toBe(0);
    const lines = list.stdout.split('\n');
    expect(lines[0]).toBe('store store-a, roster signed by HQ at 2031-03-04T10:00:00.000Z; this till is T-1 (lane 1)');
    expect(lines[1]).toMatch(/^terminal\s+lane\s+address\s+from\s+HQ acked\s+last contact with HQ$/);
    expect(lines[2]).toMatch(/^T-2\s+2\s+10\.9\.9\.2:8430\s+manual\s+20\s+2031-03-04T08:00:00\.000Z$/);
    expect(lines[3]).toMatch(/^T-3\s+3\s+till-3\.store\.lan:8430\s+manual\s+30\s+2031-03-04T08:00:00\.000Z$/);
    expect(lines[4]).toBe('address 10.9.9.4:8430 for T-404 is not used: the store roster does not name that terminal');
    expect(await peer('remove', 'T-2')).toMatchObject({ code: 0, stdout: 'removed the address added by hand for T-2\n' });
    expect(await peer('remove', 'T-2')).toMatchObject({ code: 1, stderr: expect.stringMatching(/no address was added by hand for T-2/) });
    expect((await peer('list')).stdout).toMatch(/\nT-2\s+2\s+10\.0\.0\.2:8430\s+roster\s+20\s/);
    expect(repo.addresses().map((a) => a.terminalId)).toEqual(['T-3', 'T-404']);
  });

  it('says how to use it', async () => {
    expect(await peer('frobnicate')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^usage: npm run peer -- list/) });
    expect(await peer('add', 'T-2')).toMatchObject({ code: 2 });
    expect((await peer('list', '--nope')).code).toBe(2);
  });
});
