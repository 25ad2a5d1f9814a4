/**
 * The store's other tills for tests of what a till holds of them (core/peers): real lanes on their
 * own files with a signed journal and a simulated card terminal, and the very batch each one's
 * uploader sends, parsed as a receiving till parses it (PeerCopies.ingest takes it).
 */
import { Catalog } from '../../core/catalog/repo';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { ManualClock } from '../../core/clock';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../core/db';
import { Journal } from '../../core/journal';
import { loadOrCreateTerminalSigner } from '../../core/journal/signer';
import { LaneService } from '../../core/lane/host';
import { SimulatedPaymentTerminal } from '../../core/payments/port';
import { PROFILES } from '../../core/profile';
import { ChainReader } from '../../core/sync/chain';
import { encodeSales, salesRequest } from '../../core/sync/encode';
import { OutboxRepo } from '../../core/sync/repo';
import { SalesBatchSchema, type SalesBatch } from '../../protocol/hq';
import type { ReturnResult } from '../../protocol/terminal';
import { MONDAY } from './clock';
import { PeerCopies } from '../../core/peers/copies';
import { demoDb, openDemoLane } from './demo-lane';
import { testClock } from './clock';
import { exec, run } from './lane';
import { rawEd25519 } from '../../protocol/journal-chain';

export interface PeerTill {
  db: Db;
  lane: LaneService;
  /** Its clock: set it to sell on another day. */
  clock: ManualClock;
  /** Its journal key as the store roster gives it (raw Ed25519, base64url). */
  key: string;
}

/** Lane `laneId` on its own file in `dir`, signed in (cashier 1) with the till open at `at`; with `copies`, it reads the store's other tills from the copies it holds (returns, slips). */
export function peerTill(dir: string, laneId: string, at = MONDAY, copies = false): PeerTill {
  const db = demoDb(dir, `lane-${laneId}.db`);
  const clock = new ManualClock(at);
  const signer = loadOrCreateTerminalSigner(db, clock.now);
  const lane = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Testbutiken', laneId }, { now: clock.now, journal: new Journal(db, { signer }), payments: new SimulatedPaymentTerminal({ delayMs: 0 }), ...(copies ? { storeSales: new PeerCopies(db) } : {}) });
  run(lane, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(lane, { cmd: 'openTill', float: [] });
  return { db, lane, clock, key: rawEd25519(signer.publicKeyPem) };
}

/** One demo butter paid by card (the simulated terminal approves it); the sale's total. */
export async function sellButterByCard(l: LaneService): Promise<number> {
  run(l, { cmd: 'scan', code: DEMO_ITEMS.butter.codes[0]! });
  run(l, { cmd: 'tenderCard' });
  for (let k = 0; k < 5000 && l.snapshot().checkout?.state === 'cardPending'; k++) await new Promise((r) => setTimeout(r, 1));
  return run(l, { cmd: 'complete' }).lastSale!.total;
}

/** Returns the first line of a sale (one piece), as paid. */
export function returnFirstLine(l: LaneService, saleId: string): ReturnResult {
  return exec(l, { cmd: 'returnLines', receiptCode: `R${saleId.replace(/-/g, '')}`, lines: [{ lineId: 'L1', quantity: 1 }], reason: 'Sur' }).result as ReturnResult;
}

/** The batch `t`'s uploader sends for all its sales (up to 100), made at `now`. */
export function batchOf(t: PeerTill, now: Date): SalesBatch {
  const rows = new OutboxRepo(t.db).batch(0, 100);
  const piece = new ChainReader(t.db).piece(rows);
  const body = salesRequest({ clock: now.toISOString(), backlog: { count: 0, oldestAt: null }, links: piece.links }, encodeSales(rows, 3_000_000, piece.entries));
  return SalesBatchSchema.parse(JSON.parse(body.toString('utf8')));
}

/** A till that only sells (core/peers tests): a lane on `<name>.db` in `dir`, signed in with the till open, its journal signed; its journal key as the roster gives it. */
export interface SellingTill {
  db: Db;
  lane: LaneService;
  key: string;
}

const keyOf = (db: Db) => rawEd25519(loadOrCreateTerminalSigner(db).publicKeyPem);

export function sellingTill(dir: string, name: string): SellingTill {
  const db = demoDb(dir, `${name}.db`);
  return { db, lane: openDemoLane(db), key: keyOf(db) };
}

/** A second lane from a copy of `t`'s file taken now: the same keys, the same journal so far (a fork waiting to happen). */
export async function copyOfTill(t: SellingTill, dir: string, name: string): Promise<SellingTill> {
  const path = join(dir, `${name}.db`);
  await t.db.backup(path);
  const db = openDatabase(path);
  const lane = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Testbutiken', laneId: '1' }, { now: testClock(), journal: new Journal(db, { signer: loadOrCreateTerminalSigner(db) }) });
  return { db, lane, key: keyOf(db) };
}
