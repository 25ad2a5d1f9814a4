/**
 * The store's staff from HQ (docs/design.md "Staff"), HQ on SQLite and on a real PostgreSQL: store IT
 * keeps operators at HQ (the admin API, `npm run hq:staff`), HQ keeps PIN hashes only and hands each
 * terminal its store's list at check-in, signed with the key the terminal pinned at enrollment. A
 * terminal takes it in one go (HQ's list is its staff: the demo operators it had can no longer sign
 * in), drops a removed operator at its next check-in, keeps a lockout when the PIN did not change,
 * and refuses a tampered list, one for another store and an older one — reported to HQ as an alert.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/db';
import { Operators } from '../../core/operators';
import { StaffListRepo } from '../../core/operators/staff';
import { CatalogUpdater } from '../../core/sync/catalog';
import { enroll, loadHqLink, signedPost } from '../../core/sync/link';
import { migrate, type Sql } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import { canonicalJson, rawEd25519 } from '../../protocol/journal-chain';
import { verifyPin } from '../../protocol/pin';
import { CheckinAnswerSchema } from '../../protocol/roster';
import { verifyStaffList, type StaffList } from '../../protocol/staff';
import { demoDb } from '../helpers/demo-lane';
import { hqBackends, listenHq, minimalCheckin } from '../helpers/hq-backends';
import { tempDir } from '../helpers/tmp';

const MIGRATIONS = join(__dirname, '../../migrations/hq');
const ADMIN = 'admin-token-for-staff-tests-0123456789';
const tmp = tempDir('kassa-hq-staff-');
afterAll(() => tmp.cleanup());

const checkin = (staffVersion?: number) => minimalCheckin(staffVersion !== undefined ? { staff: { version: staffVersion } } : {});

describe.each(hqBackends(tmp.dir))('HQ on $name keeps the staff and hands it to the terminals', (backend) => {
  let sql: Sql;
  let store: HqStore;
  let url: string;
  let close: () => Promise<void>;
  let tillA: Db;
  let tillB: Db;
  const staffApi = (method: string, path: string, body?: unknown, token = ADMIN) =>
    fetch(`${url}/v1/admin/staff/${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const updater = (db: Db, log?: (l: string) => void) => new CatalogUpdater(db, loadHqLink(db)!, { downloadPath: join(tmp.dir, `${backend.name}-dl`), ...(log ? { log } : {}) });
  const signIn = (db: Db, id: string, pin: string) => {
    try {
      return new Operators(db).authenticate(id, pin).name;
    } catch (e) {
      return (e as { code: string }).code;
    }
  };

  beforeAll(async () => {
    sql = await backend.open();
    await migrate(sql, MIGRATIONS);
    store = new HqStore(sql);
    ({ url, close } = await listenHq({ store, adminToken: ADMIN }));
    tillA = demoDb(tmp.dir, `${backend.name}-a.db`);
    tillB = demoDb(tmp.dir, `${backend.name}-b.db`);
    await enroll(tillA, url, await store.createEnrollmentToken('store-a', '1'), '0.1.0');
    await enroll(tillB, url, await store.createEnrollmentToken('store-b', '1'), '0.1.0');
  });

  afterAll(async () => {
    tillA.close();
    tillB.close();
    await close();
    await sql.close();
    await backend.cleanup();
  });

  it('keeps operators through the admin API with PIN hashes only, and refuses what is not an operator', async () => {
    expect((await staffApi('PUT', 'store-a/12', { name: 'Anna Berg', role: 'cashier', pin: '4821' })).status).toBe(200);
    expect((await staffApi('PUT', 'store-a/70', { name: 'Sven Ek', role: 'supervisor', pin: '70707070' })).status).toBe(200);
    expect((await staffApi('PUT', '*/99', { name: 'Chain IT', role: 'it', pin: '990099' })).status).toBe(200);
    const rows = await sql.query<{ operator_id: string; pin_hash: string }>('SELECT operator_id, pin_hash FROM staff ORDER BY operator_id');
    expect(rows.map((r) => r.operator_id)).toEqual(['12', '70', '99']);
    expect(rows.every((r) => r.pin_hash.startsWith('scrypt$') && !r.pin_hash.includes('4821'))).toBe(true);
    expect(verifyPin('4821', rows[0]!.pin_hash)).toBe(true);
    const list = (await (await staffApi('GET', 'store-a')).json()) as { staff: Array<Record<string, string>> };
    expect(list.staff.map((m) => [m.id, m.name, m.role, m.storeId])).toEqual([
      ['12', 'Anna Berg', 'cashier', 'store-a'],
      ['70', 'Sven Ek', 'supervisor', 'store-a'],
      ['99', 'Chain IT', 'it', '*'],
    ]);
    expect(JSON.stringify(list)).not.toMatch(/scrypt/);
    for (const [path, body, code] of [
      ['store-a/13', { name: 'No Pin', role: 'cashier' }, 'operator 13 is new at store store-a: give a PIN'],
      ['store-a/14', { name: 'Short', role: 'cashier', pin: '12' }, 'a PIN is 4 to 8 digits'],
      ['store-a/15', { name: 'Boss', role: 'owner', pin: '1234' }, 'a role is one of cashier, supervisor, it'],
      ['store-a/abc', { name: 'Letters', role: 'cashier', pin: '1234' }, 'an operator number is 1 to 8 digits'],
    ] as const) {
      const r = await staffApi('PUT', path, body);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { message: string }).message).toBe(code);
    }
    expect((await staffApi('GET', 'store-a', undefined, 'wrong-token')).status).toBe(401);
  });

  it("answers a check-in with the store's list signed with the key the terminal pinned, only when newer", async () => {
    const link = loadHqLink(tillA)!;
    const answer = CheckinAnswerSchema.parse(await signedPost(link, '/v1/checkin', checkin(0)));
    const list = verifyStaffList(answer.staff, link.rosterKey!);
    expect(list).toMatchObject({ storeId: 'store-a', version: 3 });
    expect(list.staff.map((m) => [m.id, m.role])).toEqual([
      ['12', 'cashier'],
      ['70', 'supervisor'],
      ['99', 'it'],
    ]);
    expect(CheckinAnswerSchema.parse(await signedPost(link, '/v1/checkin', checkin(3))).staff).toBeNull();
    // A terminal that does not say (an older one) gets no staff field at all.
    expect('staff' in ((await signedPost(link, '/v1/checkin', checkin())) as object)).toBe(false);
    // Store B has only the chain-wide operator.
    const b = CheckinAnswerSchema.parse(await signedPost(loadHqLink(tillB)!, '/v1/checkin', checkin(0)));
    expect(verifyStaffList(b.staff, loadHqLink(tillB)!.rosterKey!).staff.map((m) => m.id)).toEqual(['99']);
  });

  it("a terminal's check-in makes HQ's list its staff; a removal or a new PIN reaches it at the next", async () => {
    expect(signIn(tillA, '1', '1111')).toBe('Anna'); // the demo staff, before HQ's list
    await updater(tillA).check();
    expect(new StaffListRepo(tillA).current()).toMatchObject({ storeId: 'store-a', version: 3, count: 3 });
    expect(signIn(tillA, '12', '4821')).toBe('Anna Berg');
    expect(signIn(tillA, '99', '990099')).toBe('Chain IT');
    expect(signIn(tillA, '1', '1111')).toBe('BAD_CREDENTIALS');
    expect(signIn(tillA, '12', '0000')).toBe('BAD_CREDENTIALS');
    // A wrong PIN counts on; a change of name at HQ keeps the count, a new PIN clears it.
    await staffApi('PUT', 'store-a/12', { name: 'Anna Berg-Lind', role: 'cashier' });
    await updater(tillA).check();
    expect(tillA.prepare("SELECT name, failed_attempts FROM operator WHERE id = '12'").get()).toEqual({ name: 'Anna Berg-Lind', failed_attempts: 1 });
    await staffApi('PUT', 'store-a/12', { name: 'Anna Berg-Lind', role: 'cashier', pin: '5932' });
    await updater(tillA).check();
    expect(tillA.prepare("SELECT failed_attempts FROM operator WHERE id = '12'").get()).toEqual({ failed_attempts: 0 });
    expect(signIn(tillA, '12', '4821')).toBe('BAD_CREDENTIALS');
    expect(signIn(tillA, '12', '5932')).toBe('Anna Berg-Lind');
    expect((await staffApi('DELETE', 'store-a/70')).status).toBe(200);
    expect((await staffApi('DELETE', 'store-a/70')).status).toBe(404);
    await updater(tillA).check();
    expect(signIn(tillA, '70', '70707070')).toBe('BAD_CREDENTIALS');
    expect(new StaffListRepo(tillA).current()).toMatchObject({ version: 6, count: 2 });
  });

  it('refuses a tampered list, one signed by another key, one for another store and an older one; HQ hears of it', async () => {
    const link = loadHqLink(tillA)!;
    const repo = new StaffListRepo(tillA);
    const held = repo.current();
    const signed = CheckinAnswerSchema.parse(await signedPost(link, '/v1/checkin', checkin(0))).staff!;
    const list = JSON.parse(signed.body) as StaffList;
    const now = new Date();
    // An operator slipped in: the signature no longer matches.
    const forged = { ...list, version: list.version + 1, staff: [...list.staff, { ...list.staff[0]!, id: '66' }] };
    expect(repo.apply({ ...signed, body: canonicalJson(forged) }, link.rosterKey!, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/^BAD_SIGNATURE/) });
    // Signed, but by a key that is not HQ's.
    const { privateKey } = generateKeyPairSync('ed25519');
    const body = canonicalJson(forged);
    expect(repo.apply({ body, signature: sign(null, Buffer.from(body), privateKey).toString('base64url') }, link.rosterKey!, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/^BAD_SIGNATURE/) });
    expect(repo.apply({ body }, link.rosterKey!, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/^UNSIGNED/) });
    // Store B's genuine list.
    const b = CheckinAnswerSchema.parse(await signedPost(loadHqLink(tillB)!, '/v1/checkin', checkin(0))).staff!;
    expect(repo.apply(b, link.rosterKey!, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/^OTHER_STORE/) });
    expect(repo.current()).toEqual(held);
    // An older genuine list (held back and replayed): refused, reported at the next check-in.
    const old = CheckinAnswerSchema.parse(await signedPost(link, '/v1/checkin', checkin(0))).staff!;
    await staffApi('PUT', 'store-a/71', { name: 'Ny Chef', role: 'supervisor', pin: '7171' });
    await updater(tillA).check();
    expect(repo.apply(old, link.rosterKey!, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/^ROLLBACK/) });
    expect(signIn(tillA, '71', '7171')).toBe('Ny Chef');
    const lines: string[] = [];
    const u = new CatalogUpdater(tillA, { ...link, rosterKey: rawEd25519(generateKeyPairSync('ed25519').publicKey) }, { downloadPath: join(tmp.dir, 'dl3'), log: (l) => lines.push(l) });
    // HQ's list newer than the one held, but the pinned key is another: refused, the staff stays.
    await staffApi('PUT', 'store-a/72', { name: 'Third', role: 'cashier', pin: '7272' });
    await u.check();
    expect(lines.join('\n')).toMatch(/staff: the staff list from HQ was refused: BAD_SIGNATURE/);
    expect(signIn(tillA, '72', '7272')).toBe('BAD_CREDENTIALS');
    await u.check();
    const alerts = JSON.parse((await store.terminal(link.terminalId))!.alerts!) as Array<{ code: string }>;
    expect(alerts).toContainEqual(expect.objectContaining({ code: 'STAFF_REFUSED' }));
  });
  it('a terminal moved to another store keeps none of the old store’s operators; the new store’s come at check-in', async () => {
    const moved = demoDb(tmp.dir, `${backend.name}-moved.db`);
    try {
      await enroll(moved, url, await store.createEnrollmentToken('store-a', '7'), '0.1.0');
      await updater(moved).check();
      expect(signIn(moved, '12', '5932')).toBe('Anna Berg-Lind');
      await enroll(moved, url, await store.createEnrollmentToken('store-c', '1'), '0.1.0');
      expect(signIn(moved, '12', '5932')).toBe('BAD_CREDENTIALS');
      expect(new StaffListRepo(moved).current()).toBeNull();
      await updater(moved).check();
      expect(signIn(moved, '99', '990099')).toBe('Chain IT');
      expect(signIn(moved, '12', '5932')).toBe('BAD_CREDENTIALS');
    } finally {
      moved.close();
    }
  });

  it('an HQ older than its terminals refuses the staff field: the terminal checks in without it and its staff stay', async () => {
    const lines: string[] = [];
    const older: typeof fetch = async (input, init) => {
      if (String(init?.body ?? '').includes('"staff"')) return new Response(JSON.stringify({ error: 'INVALID', message: 'body: Unrecognized key: "staff"' }), { status: 400, headers: { 'content-type': 'application/json' } });
      return fetch(input, init);
    };
    const u = new CatalogUpdater(tillA, loadHqLink(tillA)!, { downloadPath: join(tmp.dir, `${backend.name}-dl4`), fetchFn: older, log: (l) => lines.push(l) });
    const st = await u.check();
    expect(st.lastError).toBeNull();
    expect(u.reachable).toBe(true);
    expect(lines).toContain('staff: HQ does not send staff lists (an older HQ): checking in without');
    expect(signIn(tillA, '71', '7171')).toBe('Ny Chef');
    await u.check();
    expect(lines.filter((l) => l.startsWith('staff: HQ does not'))).toHaveLength(1);
  });

  it('a badge issued at HQ works at every till of its store after their check-in, at none elsewhere, and at none once revoked', async () => {
    const byBadge = (db: Db, code: string) => {
      try {
        return new Operators(db).authenticateBadge(code).name;
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    const own = new Operators(tillA).issueBadge('71'); // issued on this till (npm run badge:issue): works here only
    const issued = await staffApi('POST', 'store-a/71/badges');
    expect(issued.status).toBe(200);
    const { badge } = (await issued.json()) as { badge: string };
    expect(badge).toMatch(/^B[A-Za-z0-9_-]{20,64}$/);
    expect(byBadge(tillA, badge)).toBe('BAD_CREDENTIALS'); // not before the till checks in
    await updater(tillA).check();
    expect(byBadge(tillA, badge)).toBe('Ny Chef');
    expect(byBadge(tillA, own)).toBe('Ny Chef');
    const second = demoDb(tmp.dir, `${backend.name}-second.db`); // a second till of store A
    try {
      await enroll(second, url, await store.createEnrollmentToken('store-a', '2'), '0.1.0');
      await updater(second).check();
      expect(byBadge(second, badge)).toBe('Ny Chef');
      expect(byBadge(second, own)).toBe('BAD_CREDENTIALS');
    } finally {
      second.close();
    }
    await updater(tillB).check();
    expect(byBadge(tillB, badge)).toBe('BAD_CREDENTIALS'); // another store
    expect(JSON.stringify(await sql.query('SELECT * FROM staff_badge'))).not.toContain(badge.slice(1)); // HQ keeps its hash only
    expect((await staffApi('POST', 'store-a/404/badges')).status).toBe(404);
    // Lost: every badge of theirs revoked at HQ; the till's own stays.
    expect(await (await staffApi('DELETE', 'store-a/71/badges')).json()).toMatchObject({ revoked: 1 });
    await updater(tillA).check();
    expect(byBadge(tillA, badge)).toBe('BAD_CREDENTIALS');
    expect(byBadge(tillA, own)).toBe('Ny Chef');
    // Removed from the staff at HQ: their badges go with them, HQ's and the till's own.
    const { badge: again } = (await (await staffApi('POST', 'store-a/71/badges')).json()) as { badge: string };
    await updater(tillA).check();
    expect(byBadge(tillA, again)).toBe('Ny Chef');
    await staffApi('DELETE', 'store-a/71');
    await updater(tillA).check();
    expect(byBadge(tillA, again)).toBe('BAD_CREDENTIALS');
    expect(byBadge(tillA, own)).toBe('BAD_CREDENTIALS');
    await staffApi('PUT', 'store-a/71', { name: 'Ny Chef', role: 'supervisor', pin: '7171' });
    await updater(tillA).check();
    expect(byBadge(tillA, again)).toBe('BAD_CREDENTIALS'); // added again: new badges, not the old ones
  });
});

describe('npm run hq:staff', () => {
  it('keeps the staff at HQ, the PIN read from standard input', () => {
    const db = join(tmp.dir, 'cli-hq.db');
    const cli = (args: string[], input = '') => spawnSync(process.execPath, ['dist/hq/staff-cli.js', '--db', db, ...args], { encoding: 'utf8', input });
    const add = cli(['add', '--store', 'S1', '--id', '12', '--name', 'Anna Berg', '--role', 'cashier'], '4821\n');
    expect(add.stderr).toBe('');
    expect(add.stdout).toMatch(/^operator 12 \(Anna Berg, cashier\) saved for store S1; staff revision 1/);
    expect(cli(['add', '--store', 'S1', '--id', '13', '--name', 'Bo', '--role', 'cashier'], '12\n')).toMatchObject({ status: 1, stderr: 'hq:staff: a PIN is 4 to 8 digits\n' });
    expect(cli(['list', '--store', 'S1']).stdout).toMatch(/^12\tAnna Berg\tcashier\tS1\t/);
    const badge = cli(['badge', '--store', 'S1', '--id', '12']);
    expect(badge.stdout).toMatch(/^badge for operator 12: B[A-Za-z0-9_-]{20,64}\nPrint it as a Code 128 barcode; it cannot be shown again\. Staff revision 2: it works at every till of store S1 after their next check-in\n$/);
    expect(cli(['badge', '--store', 'S1', '--id', '13'])).toMatchObject({ status: 1, stderr: 'hq:staff: no operator 13 on the staff of store S1\n' });
    expect(cli(['revoke-badges', '--store', 'S1', '--id', '12']).stdout).toBe('1 badge(s) of operator 12 revoked; the terminals refuse them after their next check-in\n');
    expect(cli(['remove', '--store', 'S1', '--id', '12']).stdout).toMatch(/operator 12 removed/);
    expect(cli(['list', '--store', 'S1']).stdout).toBe('');
  });
});
