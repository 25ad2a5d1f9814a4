/**
 * A reflashed till gets its journal back from its peers (issue 19.3, core/peers/recover.ts), over
 * real HTTP on loopback: each peer a real listener (core/peers/server.ts) over its verified copy
 * (core/peers/copies.ts) on its own SQLite file, fed the batches a real lane's uploader made; the
 * reflashed till a new database with a new key. It takes the longest copy that checks, skips a peer
 * whose copy was tampered with, refuses a copy short of what HQ has checked, keeps journal, sales
 * and unsent outbox, and signs on with its new key from the last entry — a chain its peers take,
 * while the retired key can no longer continue it. Until then its lane refuses to sell.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock';
import { Catalog } from '../../../core/catalog/repo';
import { copiesDb } from '../../../core/db/copies-file';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { openDatabase, type Db } from '../../../core/db';
import { Journal } from '../../../core/journal';
import { loadOrCreateTerminalSigner } from '../../../core/journal/signer';
import { LaneService } from '../../../core/lane/host';
import { PeerCopies } from '../../../core/peers/copies';
import { PeerFeed } from '../../../core/peers/feed';
import { recoverFromPeers, RecoveryError, type Reflash } from '../../../core/peers/recover';
import { RosterRepo } from '../../../core/peers/roster';
import { RecoveryPending } from '../../../core/peers/recovery-pending';
import { PeerServer } from '../../../core/peers/server';
import { PROFILES } from '../../../core/profile';
import { ChainReader } from '../../../core/sync/chain';
import { encodeSales, salesRequest } from '../../../core/sync/encode';
import { loadHqLink } from '../../../core/sync/link';
import { HqLinkRepo, OutboxRepo } from '../../../core/sync/repo';
import { RosterSigner } from '../../../hq/roster';
import { SalesBatchSchema, type SalesBatch } from '../../../protocol/hq';
import type { RosterTerminal } from '../../../protocol/roster';
import { MONDAY } from '../../helpers/clock';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { exec, refuse, run, sellMilkForCash } from '../../helpers/lane';
import type { TillReport } from '../../../protocol/terminal';
import { tempDir } from '../../helpers/tmp';
import { rawEd25519 } from '../../../protocol/journal-chain';

const tmp = tempDir('kassa-peer-recover-');
const servers: PeerServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
  tmp.cleanup();
});
const clock = new ManualClock(MONDAY);
const now = clock.now;

const keyPair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, raw: rawEd25519(publicKey) };
};
const hq = keyPair();
const rosterSigner = new RosterSigner(hq.privateKey);

/** The batch a till's peer uploader sends for its sales after `after` (core/peers/feed.ts), as a receiver parses it. */
function batchOf(db: Db, after: number, limit = 100): SalesBatch {
  const rows = new PeerFeed(db, 'T-peer').batch(after, limit);
  const piece = new ChainReader(db).piece(rows);
  const body = salesRequest({ clock: MONDAY, backlog: { count: 0, oldestAt: null }, links: piece.links }, encodeSales(rows, 3_000_000, piece.entries));
  return SalesBatchSchema.parse(JSON.parse(body.toString('utf8')));
}

/** A terminal's database enrolled as `terminalId` in store s with a new link key; HQ's roster key pinned. */
function linked(db: Db, terminalId: string, laneId: string): { publicKey: string; privateKey: KeyObject } {
  const k = generateKeyPairSync('ed25519');
  const publicKey = rawEd25519(k.publicKey);
  new HqLinkRepo(db).put({ hqUrl: 'http://hq.invalid/', terminalId, storeId: 's', laneId, privateKey: k.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'), publicKey, enrolledAt: MONDAY, rosterKey: hq.raw });
  return { publicKey, privateKey: k.privateKey };
}

/** A store peer: its own database, its copies, listening on loopback; its roster is whatever HQ signed last. */
async function peer(name: string, laneId: string) {
  const db = openDatabase(join(tmp.dir, `${name}.db`));
  const { publicKey, privateKey } = linked(db, `T-${name}`, laneId);
  const copies = new PeerCopies(db);
  const roster = new RosterRepo(db);
  const server = new PeerServer({
    host: '127.0.0.1', port: 0, now,
    peers: () => roster.peers(`T-${name}`),
    self: () => ({ terminalId: `T-${name}`, key: privateKey }),
    receive: (p, batch, at) => copies.ingest(p.terminalId, [...(p.retiredJournalKeys ?? []), p.journalKey!], batch, at),
    copy: (id, after, limit) => copies.copyPage(id, after, limit),
    takeRoster: (signed) => roster.store(signed, hq.raw),
  });
  servers.push(server);
  const port = await server.listen();
  return { db, copies, roster, terminal: { terminalId: `T-${name}`, laneId, publicKey, journalKey: keyPair().raw, address: `127.0.0.1:${port}`, hqAckedThrough: 0, lastContact: null } satisfies RosterTerminal };
}

const entries = (db: Db) => db.prepare<[], { seq: number; kind: string; hash: string; key_id: string | null }>('SELECT seq, kind, hash, key_id FROM journal ORDER BY seq').all();

describe('a reflashed till', () => {
  it('gets its journal and sales back from the peer whose copy checks, and continues the chain with its new key', async () => {
    // Lane A sells four sales (and cancels one before each: entries between the sales); its peers hold copies.
    const oldDb = demoDb(tmp.dir, 'a-old.db');
    const oldLane = openDemoLane(oldDb);
    // Two baskets are parked on the way; one of them is taken up again (and cancelled).
    let parked = '';
    for (let i = 0; i < 4; i++) {
      run(oldLane, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
      run(oldLane, { cmd: 'cancelSale' });
      if (i === 1 || i === 2) {
        run(oldLane, { cmd: 'scan', code: DEMO_ITEMS.butter.codes[0]! });
        const slip = (exec(oldLane, { cmd: 'suspendSale' }).result as { barcode: string }).barcode;
        if (i === 1) parked = slip;
        else (run(oldLane, { cmd: 'resumeSale', slip }), run(oldLane, { cmd: 'cancelSale' }));
      }
      sellMilkForCash(oldLane);
    }
    const oldKey = rawEd25519(loadOrCreateTerminalSigner(oldDb).publicKeyPem);
    const [liar, honest, short] = [await peer('liar', '2'), await peer('honest', '3'), await peer('short', '4')];
    for (const p of [liar, honest]) expect(p.copies.ingest('T-A', oldKey, batchOf(oldDb, 0), now())).toMatchObject({ ackedThrough: 4 });
    expect(short.copies.ingest('T-A', oldKey, batchOf(oldDb, 0, 1), now())).toMatchObject({ ackedThrough: 1 });
    // The liar's copy was altered on its disk (its append-only guard dropped): the time of the cancelled sales changed.
    const liarCopies = copiesDb(liar.db); // the copies' own file beside its database (core/db/copies-file.ts)
    for (const t of liarCopies.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'peer_entry'").all()) liarCopies.exec(`DROP TRIGGER ${t.name}`);
    expect(liarCopies.prepare("UPDATE peer_entry SET at = '2000-01-01T00:00:00.000Z' WHERE terminal_id = 'T-A' AND kind = 'sale.cancelled'").run().changes).toBe(5);

    // Lane A reflashed: a new database, a new key; HQ's enrollment answer names the old key, what HQ holds, and the roster.
    const db = demoDb(tmp.dir, 'a-new.db');
    const { publicKey } = linked(db, 'T-A', '1');
    const newKey = rawEd25519(loadOrCreateTerminalSigner(db).publicKeyPem);
    const saleEntry = (seq: number) => oldDb.prepare<[number], { seq: number; hash: string }>('SELECT j.seq, j.hash FROM sale s JOIN journal j ON j.seq = s.journal_seq WHERE s.sequence = ?').get(seq)!;
    const self: RosterTerminal = { terminalId: 'T-A', laneId: '1', publicKey, journalKey: newKey, retiredJournalKeys: [oldKey], address: null, hqAckedThrough: 2, lastContact: null };
    const roster = rosterSigner.sign({ storeId: 's', issuedAt: MONDAY, terminals: [self, liar.terminal, honest.terminal, short.terminal] });
    const reflash: Reflash = { previousJournalKeys: [oldKey], hqAckedThrough: 2, chainSeq: saleEntry(2).seq, chainHash: saleEntry(2).hash, roster };
    // Until its journal is back the lane sells nothing (HQ's answer is kept at enrollment: core/sync/link.ts).
    new RecoveryPending(db).put(reflash, MONDAY);
    const waiting = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Testbutiken', laneId: '1' }, { now, journal: new Journal(db, { signer: loadOrCreateTerminalSigner(db) }) });
    expect(refuse(waiting, { cmd: 'signIn', operator: '1', pin: '1111' })).toBe('RECOVERING');
    waiting.dispose();
    const log: string[] = [];
    const r = await recoverFromPeers(db, loadHqLink(db, now)!, reflash, { now, log: (l) => log.push(l), waitMs: 0 });

    expect(r).toMatchObject({ from: { terminalId: 'T-honest', laneId: '3' }, sales: 4, unsent: 2, through: saleEntry(4) });
    expect(r.peers.find((p) => p.terminalId === 'T-liar')!.problem).toMatch(/^its copy was not taken: .*altered content/);
    // Its journal is lane A's, entry for entry, then its own first entry under the new key.
    const held = entries(db);
    expect(held.slice(0, -1)).toEqual(entries(oldDb).filter((e) => e.seq <= saleEntry(4).seq));
    expect(held.at(-1)).toMatchObject({ seq: saleEntry(4).seq + 1, kind: 'terminal.recovered', key_id: loadOrCreateTerminalSigner(db).keyId });
    expect(new Journal(db).verify()).toMatchObject({ ok: true });
    expect(new RecoveryPending(db).get()).toBeNull();
    // Sales 3 and 4 were not at HQ: they wait in the outbox again; the peers that held the roster before now hold the new one.
    expect(new OutboxRepo(db).batch(0, 10).map((x) => x.sequence)).toEqual([3, 4]);
    expect(honest.roster.peers('T-honest').find((p) => p.terminalId === 'T-A')).toMatchObject({ journalKey: newKey, retiredJournalKeys: [oldKey] });

    // It sells on: sequence 5, and its peers take the chain across the key change.
    const lane = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Testbutiken', laneId: '1' }, { now, journal: new Journal(db, { signer: loadOrCreateTerminalSigner(db) }) });
    run(lane, { cmd: 'signIn', operator: '1', pin: '1111' });
    // The till that was open before the wipe is open again (its float, its sales on the day's report).
    expect(r.tillOpen).not.toBeNull();
    expect(refuse(lane, { cmd: 'openTill', float: [] })).toBe('TILL_ALREADY_OPEN');
    sellMilkForCash(lane);
    expect(db.prepare<[], { s: number }>('SELECT max(sequence) AS s FROM sale').get()!.s).toBe(5);
    // The day's X report counts the sales before the wipe and after it.
    expect((exec(lane, { cmd: 'xReport' }).result as TillReport).sales.count).toBe(5);
    // The basket parked before the wipe and never taken up is parked here again, and resumes by its slip.
    expect((exec(lane, { cmd: 'suspendedList' }).result as { suspended: Array<{ barcode: string; names: string[] }> }).suspended).toEqual([expect.objectContaining({ barcode: parked, names: [DEMO_ITEMS.butter.name] })]);
    run(lane, { cmd: 'resumeSale', slip: parked });
    expect(lane.snapshot().checkout?.lines.map((l) => l.name)).toEqual([DEMO_ITEMS.butter.name]);
    run(lane, { cmd: 'cancelSale' });
    const ring = [oldKey, newKey];
    expect(honest.copies.ingest('T-A', ring, batchOf(db, 4), now())).toMatchObject({ ackedThrough: 5, accepted: 1, rejected: [] });
    expect(honest.copies.verifyAll('T-A', ring)).toMatchObject({ ok: true, sales: 5 });
    // A peer that held only sale 1 takes the rest from the reflashed till, across the key change…
    expect(short.copies.ingest('T-A', ring, batchOf(db, 1), now())).toMatchObject({ ackedThrough: 5, accepted: 4, rejected: [] });
    expect(short.copies.verifyAll('T-A', ring)).toMatchObject({ ok: true, sales: 5 });
    // …and the old key (the wiped till's, or a thief's) cannot continue the chain past the switch.
    sellMilkForCash(oldLane);
    expect(short.copies.ingest('T-A', ring, batchOf(oldDb, 4), now()).rejected[0]?.reason).toMatch(/forks/);
    expect(short.copies.verifyAll('T-A', ring)).toMatchObject({ ok: true, sales: 5 });
    lane.dispose();
    oldLane.dispose();
  });

  it('keeps nothing when no peer holds what HQ has checked, nor into a database with a journal of its own', async () => {
    const oldDb = demoDb(tmp.dir, 'b-old.db');
    const oldLane = openDemoLane(oldDb);
    sellMilkForCash(oldLane);
    sellMilkForCash(oldLane);
    const oldKey = rawEd25519(loadOrCreateTerminalSigner(oldDb).publicKeyPem);
    const p = await peer('behind', '2');
    expect(p.copies.ingest('T-B', oldKey, batchOf(oldDb, 0, 1), now())).toMatchObject({ ackedThrough: 1 });
    const head = oldDb.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1').get()!;
    const attempt = async (db: Db) => {
      const { publicKey } = linked(db, 'T-B', '1');
      const self: RosterTerminal = { terminalId: 'T-B', laneId: '1', publicKey, journalKey: rawEd25519(loadOrCreateTerminalSigner(db).publicKeyPem), retiredJournalKeys: [oldKey], address: null, hqAckedThrough: 2, lastContact: null };
      const roster = rosterSigner.sign({ storeId: 's', issuedAt: new Date(clock.now().getTime() + 1000).toISOString(), terminals: [self, p.terminal] });
      clock.advance(2000);
      return recoverFromPeers(db, loadHqLink(db, now)!, { previousJournalKeys: [oldKey], hqAckedThrough: 2, chainSeq: head.seq, chainHash: head.hash, roster }, { now, log: () => {}, waitMs: 0 }).catch((e: unknown) => e);
    };
    const fresh = demoDb(tmp.dir, 'b-new.db');
    const err = await attempt(fresh);
    expect(err).toBeInstanceOf(RecoveryError);
    expect((err as Error).message).toMatch(/lane 2 \(T-behind\): its copy was not taken: HQ has checked this till's journal through entry \d+; this copy ends at \d+/);
    expect(entries(fresh)).toEqual([]);
    // A database that has sold already is not written over.
    const used = demoDb(tmp.dir, 'b-used.db');
    sellMilkForCash(openDemoLane(used));
    p.copies.ingest('T-B', oldKey, batchOf(oldDb, 1), now());
    expect(String(await attempt(used))).toMatch(/already has journal entries or sales of its own/);
  });
});
