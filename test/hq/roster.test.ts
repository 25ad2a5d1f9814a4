/**
 * The signed store roster (issue 19.1), HQ on SQLite and on a real PostgreSQL: three tills enrolled
 * in store A and one in store B; each check-in is answered with a roster that verifies with the
 * roster key the enrollment gave, and names exactly store A's tills with the keys HQ enrolled, the
 * peer addresses they reported and HQ's acknowledgement of their sales. The roster key is made once
 * and kept in HQ's database (the same after a restart); a tampered roster, one signed by another key
 * and one that is no roster are refused.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import type { Db } from '../../core/db';
import { RosterRepo } from '../../core/peers/roster';
import { CatalogUpdater } from '../../core/sync/catalog';
import { enroll, loadHqLink, signedPost } from '../../core/sync/link';
import { HqLinkRepo } from '../../core/sync/repo';
import { Uploader } from '../../core/sync/uploader';
import { migrate, type Sql } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import { canonicalJson, rawEd25519 } from '../../protocol/journal-chain';
import { CheckinAnswerSchema, RosterError, verifyRoster, type Roster, type SignedRoster } from '../../protocol/roster';
import { demoDb, openDemoLane } from '../helpers/demo-lane';
import { hqBackends, listenHq, minimalCheckin } from '../helpers/hq-backends';
import { run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';

const MIGRATIONS = join(__dirname, '../../migrations/hq');
const ADMIN = 'admin-token-for-roster-tests-0123456789';
const tmp = tempDir('kassa-hq-roster-');
afterAll(() => tmp.cleanup());

interface Till {
  db: Db;
  terminalId: string;
  laneId: string;
  publicKey: string;
  rosterKey: string;
}

const checkinBody = (peerAddress?: string | null) => minimalCheckin(peerAddress !== undefined ? { peerAddress } : {});

function expectRefused(signed: unknown, key: string, code: RosterError['code']): void {
  let err: unknown;
  try {
    verifyRoster(signed, key);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(RosterError);
  expect((err as RosterError).code).toBe(code);
}

describe.each(hqBackends(tmp.dir))('HQ on $name signs the store roster', (backend) => {
  let sql: Sql;
  let store: HqStore;
  let url: string;
  let close: () => Promise<void>;
  const tills: Till[] = [];
  const storeA: Till[] = [];

  beforeAll(async () => {
    sql = await backend.open();
    await migrate(sql, MIGRATIONS);
    store = new HqStore(sql);
    ({ url, close } = await listenHq({ store, adminToken: ADMIN }));
    const places: Array<[string, string]> = [
      ['store-a', '1'],
      ['store-a', '2'],
      ['store-b', '1'],
      ['store-a', '3'],
    ];
    for (const [i, [storeId, laneId]] of places.entries()) {
      const db = demoDb(tmp.dir, `${backend.name}-till-${i}.db`);
      const r = await enroll(db, url, await store.createEnrollmentToken(storeId, laneId), '0.1.0');
      const till = { db, terminalId: r.terminalId, laneId, publicKey: new HqLinkRepo(db).get()!.publicKey, rosterKey: r.rosterKey };
      tills.push(till);
      if (storeId === 'store-a') storeA.push(till);
    }
  });

  afterAll(async () => {
    for (const t of tills) t.db.close();
    await close();
    await sql.close();
    await backend.cleanup();
  });

  it('gives every till the one roster key, made once and kept in its database', async () => {
    const key = tills[0]!.rosterKey;
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const t of tills) {
      expect(t.rosterKey).toBe(key);
      expect(new HqLinkRepo(t.db).get()!.rosterKey).toBe(key);
    }
    // Another HQ process on the same database (or this one restarted) signs with the same key.
    expect((await new HqStore(sql).roster()).publicKey).toBe(key);
    expect(await sql.query('SELECT name FROM hq_key')).toEqual([{ name: 'roster' }]);
  });

  it("answers each check-in with its store's roster: the keys HQ enrolled, the addresses reported, HQ's acknowledgement", async () => {
    // Lane 1 sells twice and uploads: HQ acknowledges through 2.
    const lane = openDemoLane(storeA[0]!.db);
    for (let i = 0; i < 2; i++) {
      run(lane, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
      run(lane, { cmd: 'tenderCash' });
      run(lane, { cmd: 'complete' });
    }
    lane.dispose();
    await new Uploader(storeA[0]!.db, loadHqLink(storeA[0]!.db)!).drain();
    // Lanes 1 and 2 report where they listen; lane 3 reports none; store B's till reports one too.
    await signedPost(loadHqLink(storeA[0]!.db)!, '/v1/checkin', checkinBody('10.0.1.11:8430'));
    await signedPost(loadHqLink(storeA[1]!.db)!, '/v1/checkin', checkinBody('[fd00::12]:8430'));
    await signedPost(loadHqLink(tills[2]!.db)!, '/v1/checkin', checkinBody('10.0.2.11:8430'));
    const journalKeys = new Map((await sql.query<{ terminal_id: string; journal_key: string }>('SELECT terminal_id, journal_key FROM terminal')).map((r) => [r.terminal_id, r.journal_key]));
    const expected = (addresses: Record<string, string | null>) =>
      storeA
        .map((t) => ({ terminalId: t.terminalId, laneId: t.laneId, publicKey: t.publicKey, journalKey: journalKeys.get(t.terminalId), address: addresses[t.laneId] ?? null, hqAckedThrough: t === storeA[0] ? 2 : 0 }))
        .sort((a, b) => a.laneId.localeCompare(b.laneId));
    for (const t of storeA) {
      const before = new Date().toISOString();
      const answer = CheckinAnswerSchema.parse(await signedPost(loadHqLink(t.db)!, '/v1/checkin', checkinBody()));
      const roster = verifyRoster(answer.roster, t.rosterKey);
      expect(roster.storeId).toBe('store-a');
      expect(roster.issuedAt >= before).toBe(true);
      expect(roster.terminals.map(({ lastContact: _, ...rest }) => rest)).toEqual(expected({ '1': '10.0.1.11:8430', '2': '[fd00::12]:8430' }));
      // The caller's own contact is this check-in.
      expect(roster.terminals.find((x) => x.terminalId === t.terminalId)!.lastContact! >= before).toBe(true);
      expect(answer.roster.body).toBe(canonicalJson(roster));
    }
    // A check-in that says null takes the address away; one that says nothing leaves it.
    await signedPost(loadHqLink(storeA[1]!.db)!, '/v1/checkin', checkinBody(null));
    const answer = CheckinAnswerSchema.parse(await signedPost(loadHqLink(storeA[2]!.db)!, '/v1/checkin', checkinBody()));
    expect(verifyRoster(answer.roster, storeA[2]!.rosterKey).terminals.map((x) => x.address)).toEqual(['10.0.1.11:8430', null, null]);
    // Store B's till sees itself only.
    const b = CheckinAnswerSchema.parse(await signedPost(loadHqLink(tills[2]!.db)!, '/v1/checkin', checkinBody()));
    expect(verifyRoster(b.roster, tills[2]!.rosterKey)).toMatchObject({ storeId: 'store-b', terminals: [{ terminalId: tills[2]!.terminalId, address: '10.0.2.11:8430' }] });
  });

  it('leaves a revoked till out of every roster', async () => {
    const extra = demoDb(tmp.dir, `${backend.name}-till-revoked.db`);
    try {
      const r = await enroll(extra, url, await store.createEnrollmentToken('store-a', '9'), '0.1.0');
      const names = async () => verifyRoster(CheckinAnswerSchema.parse(await signedPost(loadHqLink(storeA[0]!.db)!, '/v1/checkin', checkinBody())).roster, r.rosterKey).terminals.map((t) => t.laneId);
      expect(await names()).toEqual(['1', '2', '3', '9']);
      expect(await store.revoke(r.terminalId)).toBe(true);
      expect(await names()).toEqual(['1', '2', '3']);
    } finally {
      extra.close();
    }
  });

  it("a till's check-in keeps the roster and reports the address it was given", async () => {
    const t = storeA[2]!;
    const updater = new CatalogUpdater(t.db, loadHqLink(t.db)!, { downloadPath: join(tmp.dir, `${backend.name}-dl`), peerAddress: '10.0.1.13:8430' });
    await updater.check();
    expect(updater.rosterError).toBeNull();
    const peers = new RosterRepo(t.db).peers(t.terminalId);
    expect(peers.map((p) => [p.laneId, p.address])).toEqual([
      ['1', '10.0.1.11:8430'],
      ['2', null],
    ]);
    expect((await store.terminal(t.terminalId))!.peer_address).toBe('10.0.1.13:8430');
  });

  it('a roster that does not verify with the pinned key is refused, logged and reported to HQ; the check-in goes on', async () => {
    const t = storeA[2]!;
    const held = new RosterRepo(t.db).current();
    expect(held?.storeId).toBe('store-a');
    const other = rawEd25519(generateKeyPairSync('ed25519').publicKey);
    const lines: string[] = [];
    const updater = new CatalogUpdater(t.db, { ...loadHqLink(t.db)!, rosterKey: other }, { downloadPath: join(tmp.dir, `${backend.name}-dl2`), log: (l) => lines.push(l) });
    const st = await updater.check();
    expect(st.lastError).toBeNull();
    expect(updater.reachable).toBe(true);
    expect(updater.rosterError).toMatch(/BAD_SIGNATURE/);
    expect(lines.join('\n')).toMatch(/peers: the store roster from HQ was refused: BAD_SIGNATURE/);
    expect(new RosterRepo(t.db).current()).toEqual(held);
    await updater.check();
    expect(JSON.parse((await store.terminal(t.terminalId))!.alerts!)).toContainEqual(expect.objectContaining({ code: 'ROSTER_REFUSED' }));
  });

  it('refuses a tampered roster, one signed by another key, and a signed body that is no roster', async () => {
    const t = storeA[0]!;
    const signed: SignedRoster = CheckinAnswerSchema.parse(await signedPost(loadHqLink(t.db)!, '/v1/checkin', checkinBody())).roster;
    expect(verifyRoster(signed, t.rosterKey).terminals).toHaveLength(3);
    // Another till's key put in for lane 2's: the body no longer matches its signature.
    const roster = JSON.parse(signed.body) as Roster;
    roster.terminals[1]!.publicKey = tills[2]!.publicKey;
    expectRefused({ ...signed, body: canonicalJson(roster) }, t.rosterKey, 'BAD_SIGNATURE');
    // The same altered roster signed by a key that is not HQ's.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const forged = { body: canonicalJson(roster), signature: sign(null, Buffer.from(canonicalJson(roster)), privateKey).toString('base64url') };
    expectRefused(forged, t.rosterKey, 'BAD_SIGNATURE');
    // With that key it verifies (the test's forgery is a good signature, only not HQ's).
    const otherKey = rawEd25519(publicKey);
    expect(verifyRoster(forged, otherKey).terminals[1]!.publicKey).toBe(tills[2]!.publicKey);
    // Signed, but no roster; not signed at all; no key.
    const junk = '{"storeId":"store-a"}';
    expectRefused({ body: junk, signature: sign(null, Buffer.from(junk), privateKey).toString('base64url') }, otherKey, 'BAD_BODY');
    expectRefused({ body: signed.body }, t.rosterKey, 'UNSIGNED');
    expectRefused(signed, 'not-a-key', 'NO_KEY');
  });
});
