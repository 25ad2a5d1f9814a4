/**
 * A reflashed till gets its past back (issue 19.3), HQ's side, on both backends: a reflash token is
 * bound to the terminal enrolled for the lane; enrolling with it keeps the terminal's id and says
 * what the till must recover (its old keys, HQ's acknowledgement and chain head, the signed
 * roster); its chain moves to the new key only at a `terminal.recovered` entry, batches landing in
 * either order and peers' relays of its old sales still pass, and a retired key that goes on
 * signing — or a new key that takes over without the entry — is refused and flagged.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Sql } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import { terminalProblems } from '../../hq/fleet-problems';
import { recoveryPage } from '../../hq/recovery';
import { verifyRoster } from '../../protocol/roster';
import { testClock } from '../helpers/clock';
import { hqBackends } from '../helpers/hq-backends';
import { tempDir } from '../helpers/tmp';
import { journalSigner, TestChain } from '../helpers/chain-pieces';
import type { SalesBatch } from '../../protocol/hq';

const MIGRATIONS = join(__dirname, '../../migrations/hq');
const tmp = tempDir('kassa-hq-reflash-');
afterAll(() => tmp.cleanup());

describe.each(hqBackends(tmp.dir))('HQ on $name: reflashed tills', (backend) => {
  let sql: Sql;
  let store: HqStore;
  const now = testClock();

  beforeAll(async () => {
    sql = await backend.open();
    await migrate(sql, MIGRATIONS);
    store = new HqStore(sql, { now });
  });
  afterAll(async () => {
    await sql.close();
    await backend.cleanup();
  });

  /** Enrolls a till for the lane with a fresh request key and `journalKey`; with `reflash`, by a reflash token. */
  const enroll = async (storeId: string, laneId: string, journalKey: string, reflash = false) =>
    store.enroll({ token: await store.createEnrollmentToken(storeId, laneId, undefined, undefined, { reflash }), publicKey: journalSigner().raw, journalKey, softwareVersion: '0.1.0-test' });
  const ingest = (id: string, b: SalesBatch, relayedBy?: string) => store.ingest(id, b, now(), undefined, relayedBy);
  const problems = async (id: string) => terminalProblems((await store.fleet()).find((t) => t.terminal_id === id)!, null, now());

  it('a reflash token is bound to the newest terminal enrolled for the lane; none without one, none for a revoked one', async () => {
    await expect(store.createEnrollmentToken('st-tok', '1', undefined, undefined, { reflash: true })).rejects.toMatchObject({
      code: 'NO_TERMINAL',
      message: 'no terminal is enrolled for store st-tok, lane 1 (a revoked one cannot be reflashed): issue a plain enrollment token',
    });
    const revoked = await enroll('st-tok', '1', journalSigner().raw);
    await store.revoke(revoked.terminalId);
    await expect(store.createEnrollmentToken('st-tok', '1', undefined, undefined, { reflash: true })).rejects.toMatchObject({ code: 'NO_TERMINAL' });

    const older = await store.enroll(
      { token: await store.createEnrollmentToken('st-tok', '2'), publicKey: journalSigner().raw, journalKey: journalSigner().raw, softwareVersion: '0.1.0-test' },
      new Date(now().getTime() - 3600_000),
    );
    const newer = await enroll('st-tok', '2', journalSigner().raw);
    const token = await store.createEnrollmentToken('st-tok', '2', undefined, undefined, { reflash: true });
    const bound = await sql.query<{ replaces_terminal_id: string | null }>('SELECT replaces_terminal_id FROM enrollment_token WHERE replaces_terminal_id IS NOT NULL');
    expect(bound.map((r) => r.replaces_terminal_id)).toEqual([newer.terminalId]);
    expect(older.terminalId).not.toBe(newer.terminalId);
    // Revoked between the token and its use: refused, and the token stays unused.
    await store.revoke(newer.terminalId);
    await expect(store.enroll({ token, publicKey: journalSigner().raw, journalKey: journalSigner().raw, softwareVersion: '0.1.0-test' })).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/has been revoked: a revoked terminal cannot be reflashed$/),
    });
  });

  it('enrolling with it keeps the terminal and says what to recover, with a roster listing the retired key', async () => {
    const k0 = journalSigner();
    const k1 = journalSigner();
    const lane = await enroll('st-en', '1', k0.raw);
    const peer = await enroll('st-en', '2', journalSigner().raw);
    const c = new TestChain(k0.signer);
    c.sell(3);
    expect(await ingest(lane.terminalId, c.batch(1, 3))).toMatchObject({ ackedThrough: 3, accepted: 3 });
    // The new keys must be new: a peer's request key, the lane's own journal key.
    const token = () => store.createEnrollmentToken('st-en', '1', undefined, undefined, { reflash: true });
    const peerKey = (await store.terminal(peer.terminalId))!.public_key;
    await expect(store.enroll({ token: await token(), publicKey: peerKey, journalKey: k1.raw, softwareVersion: '0.2.0' })).rejects.toMatchObject({ status: 409, code: 'KEY_IN_USE' });
    await expect(store.enroll({ token: await token(), publicKey: journalSigner().raw, journalKey: k0.raw, softwareVersion: '0.2.0' })).rejects.toMatchObject({ status: 409, code: 'KEY_IN_USE' });

    const requestKey = journalSigner().raw;
    const r = await store.enroll({ token: await token(), publicKey: requestKey, journalKey: k1.raw, softwareVersion: '0.2.0' });
    expect(r).toMatchObject({ terminalId: lane.terminalId, storeId: 'st-en', laneId: '1', rosterKey: lane.rosterKey });
    expect(r.reflash).toMatchObject({ previousJournalKeys: [k0.raw], hqAckedThrough: 3, chainSeq: 3, chainHash: c.sales[2]!.hash });
    const roster = verifyRoster(r.reflash!.roster, r.rosterKey);
    expect(roster.terminals.find((t) => t.terminalId === lane.terminalId)).toMatchObject({ publicKey: requestKey, journalKey: k1.raw, retiredJournalKeys: [k0.raw], hqAckedThrough: 3 });
    expect(roster.terminals.find((t) => t.terminalId === peer.terminalId)).not.toHaveProperty('retiredJournalKeys');
    expect(await store.terminal(lane.terminalId)).toMatchObject({ public_key: requestKey, journal_key: k1.raw, software_version: '0.2.0', reflashed_at: expect.any(String), recovered_at: null });
    expect(await problems(lane.terminalId)).toContainEqual({ code: 'reflashed', text: expect.stringMatching(/^reflashed \d+ s ago: recovering its journal from its peers$/) });
    // A roster of a store never reflashed has no such field at all.
    const plain = await enroll('st-plain', '1', journalSigner().raw);
    const checkin = await store.checkin(plain.terminalId, { clock: now().toISOString(), softwareVersion: '0.1.0', catalog: { version: 0, expiresAt: null }, devices: [], alerts: [], backlog: { count: 0, oldestAt: null } });
    expect(checkin.roster.body).not.toMatch(/retiredJournalKeys/);
  });

  it('the chain goes on with the new key through its recovered entry: batches in either order, relays of old sales before the switch, an old key after it refused', async () => {
    const k0 = journalSigner();
    const k1 = journalSigner();
    const lane = await enroll('st-go', '1', k0.raw);
    const peer = await enroll('st-go', '2', journalSigner().raw);
    const c = new TestChain(k0.signer);
    c.sell(4); // entries 1–4; HQ gets sales 1–2, the peers hold 3–4
    await ingest(lane.terminalId, c.batch(1, 2));
    await enroll('st-go', '1', k1.raw, true);
    c.signWith(k1.signer);
    c.recovered(k0.signer); // entry 5
    c.sell(3); // sales 5–7, entries 6–8
    // Two in flight, the later first: it waits for its join; then the one with the switch.
    expect(await ingest(lane.terminalId, c.batch(7, 7))).toMatchObject({ accepted: 1, rejected: [] });
    expect(await ingest(lane.terminalId, c.batch(5, 6))).toMatchObject({ accepted: 2, rejected: [] });
    expect(await store.terminal(lane.terminalId)).toMatchObject({ chain_seq: 8, chain_alert: null, recovered_at: expect.any(String) });
    expect((await problems(lane.terminalId)).map((p) => p.code)).not.toContain('reflashed');
    // A peer relays the old sales the wiped till never sent: signed with the old key, before the switch.
    expect(await ingest(lane.terminalId, c.batch(3, 4), peer.terminalId)).toMatchObject({ ackedThrough: 7, accepted: 2 });
    expect(await ingest(lane.terminalId, c.batch(1, 4), peer.terminalId)).toMatchObject({ ackedThrough: 7, duplicates: 4 });

    // The old till (a copy of its disk) sells on with the old key: refused whatever the piece, and flagged.
    const old = new TestChain(k0.signer, c.prefix);
    old.sell(4);
    old.sell(4, 'OLD');
    await expect(ingest(lane.terminalId, old.batch(8, 8), peer.terminalId)).rejects.toMatchObject({ code: 'RELAY_REFUSED' });
    const after = await ingest(lane.terminalId, old.batch(8, 8));
    expect(after).toMatchObject({ accepted: 0, rejected: [{ sequence: 8, reason: expect.stringMatching(/^journal entry 8 is signed with key \w+, which the terminal retired before this entry/) }] });
    const across = await ingest(lane.terminalId, old.batch(4, 5));
    expect(across.rejected).toContainEqual({ sequence: 5, reason: expect.stringMatching(/^sequence 5 already holds sale /) });
    expect(await store.terminal(lane.terminalId)).toMatchObject({ chain_seq: 8, chain_alert: expect.stringMatching(/^journal entry 5 is signed with key \w+, which the terminal retired by entry 4 \(a retired key cannot continue the chain\)$/) });
    expect((await problems(lane.terminalId)).map((p) => p.code)).toContain('journal');
    expect(Number((await sql.query<{ n: number }>('SELECT count(*) AS n FROM sale WHERE terminal_id = $1', [lane.terminalId]))[0]!.n)).toBe(7);
  });

  it('a new key that takes over without a recovered entry, or with one naming another key or entry, is refused', async () => {
    const cases: Array<[string, (c: TestChain, k0: ReturnType<typeof journalSigner>) => void, RegExp]> = [
      ['no recovered entry', () => {}, /a key takes over only at a terminal\.recovered entry$/],
      ['another key', (c, k0) => c.recovered(k0.signer, { previousKeyId: 'f'.repeat(16) }), /^journal entry 3 \(terminal\.recovered\) does not name the key and entry it continues from$/],
      ['another entry', (c, k0) => c.recovered(k0.signer, { through: { seq: 1, hash: c.sales[0]!.hash } }), /^journal entry 3 \(terminal\.recovered\) does not name the key and entry it continues from$/],
    ];
    for (const [name, write, reason] of cases) {
      const k0 = journalSigner();
      const k1 = journalSigner();
      const lane = await enroll('st-bad', name.replace(/\W/g, ''), k0.raw);
      const c = new TestChain(k0.signer);
      c.sell(2);
      await ingest(lane.terminalId, c.batch(1, 2));
      await enroll('st-bad', name.replace(/\W/g, ''), k1.raw, true);
      c.signWith(k1.signer);
      write(c, k0);
      c.sell(2);
      const ack = await ingest(lane.terminalId, c.batch(3, 4));
      expect(ack.accepted, name).toBe(0);
      for (const r of ack.rejected) expect(r.reason, name).toMatch(reason);
      expect(await store.terminal(lane.terminalId), name).toMatchObject({ chain_seq: 2, chain_alert: expect.stringMatching(reason), recovered_at: null });
    }
  });

  it('the chain moves to the new key once: a second switch elsewhere is a fork', async () => {
    const k0 = journalSigner();
    const k1 = journalSigner();
    const lane = await enroll('st-twice', '1', k0.raw);
    const c = new TestChain(k0.signer);
    c.sell(2);
    await ingest(lane.terminalId, c.batch(1, 2));
    await enroll('st-twice', '1', k1.raw, true);
    const fork = new TestChain(k0.signer, c.prefix);
    fork.sell(2);
    c.signWith(k1.signer);
    c.recovered(k0.signer);
    c.sell(2);
    expect(await ingest(lane.terminalId, c.batch(3, 4))).toMatchObject({ ackedThrough: 4, accepted: 2 });
    // A copy of the old disk sold once more, then switched to the new key itself.
    fork.sell(1, 'FORK');
    fork.signWith(k1.signer);
    fork.recovered(k0.signer);
    fork.sell(2, 'FORK');
    const ack = await ingest(lane.terminalId, fork.batch(4, 5));
    expect(ack.rejected).toContainEqual({ sequence: 5, reason: expect.stringMatching(/^the journal chain forks: it moves on from key \w+ after entry 3, but HQ holds its switch after entry 2$/) });
  });

  it('out of order: a new-key piece that landed first is not followed by the old key without the switch', async () => {
    const k0 = journalSigner();
    const k1 = journalSigner();
    const lane = await enroll('st-ooo', '1', k0.raw);
    const c = new TestChain(k0.signer);
    c.sell(2); // HQ gets sale 1; sale 2 (entry 2) it does not know of
    await ingest(lane.terminalId, c.batch(1, 1));
    await enroll('st-ooo', '1', k1.raw, true);
    c.signWith(k1.signer);
    c.sell(1); // entry 3, the new key without a recovered entry
    // HQ cannot tell yet (entry 2 might be the switch): it waits for the join.
    expect(await ingest(lane.terminalId, c.batch(3, 3))).toMatchObject({ accepted: 1 });
    const ack = await ingest(lane.terminalId, c.batch(2, 2));
    expect(ack.rejected).toEqual([{ sequence: 2, reason: expect.stringMatching(/^journal entry 2 is signed with key \w+, but HQ holds entry 3 signed with a later key without a terminal\.recovered entry between them$/) }]);
    expect(await store.terminal(lane.terminalId)).toMatchObject({ chain_alert: expect.stringMatching(/without a terminal\.recovered entry/) });
  });
  it('a till with no peer reads its own sales back, a page at a time, never past what HQ acknowledged', async () => {
    const k0 = journalSigner();
    const lane = await enroll('st-read', '1', k0.raw);
    const other = await enroll('st-read', '2', journalSigner().raw);
    const c = new TestChain(k0.signer);
    c.sell(3);
    await ingest(lane.terminalId, c.batch(1, 3));
    const first = await recoveryPage(store, lane.terminalId, 0, 2);
    expect(first).toMatchObject({ terminalId: lane.terminalId, ackedThrough: 3, chainSeq: 3, chainHash: c.sales[2]!.hash });
    expect(first.sales.map((x) => [x.sequence, x.journalSeq, x.journalHash])).toEqual([1, 2].map((n) => [n, n, c.sales[n - 1]!.hash]));
    expect(JSON.parse(first.sales[0]!.body)).toMatchObject({ saleId: c.sales[0]!.ref });
    expect((await recoveryPage(store, lane.terminalId, 2, 1000)).sales.map((x) => x.sequence)).toEqual([3]);
    expect((await recoveryPage(store, lane.terminalId, 3, 1000)).sales).toEqual([]);
    // Another till's: none of this one's.
    expect(await recoveryPage(store, other.terminalId, 0, 1000)).toMatchObject({ ackedThrough: 0, chainSeq: 0, chainHash: null, sales: [] });
    await expect(recoveryPage(store, lane.terminalId, -1, 10)).rejects.toMatchObject({ status: 400 });
  });
});
