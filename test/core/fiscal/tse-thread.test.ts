/**
 * The TSE simulator on a thread of its own (core/fiscal/tse/thread.ts), as a till runs it: the
 * start of a sale's transaction is signed and written there while the lane handles the next scans
 * (a TSE busy with its file does not hold a scan), the sale's completion still finishes the
 * transaction its first scan started, the counters stay gap-free and every message verifies; and a
 * transaction the TSE holds open for this till with no record at the till (a power cut between the
 * TSE's answer and the till's flush) is finished as aborted when the lane starts again.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { PROFILES } from '../../../core/profile';
import { Journal } from '../../../core/journal';
import { loadOrCreateTerminalSigner } from '../../../core/journal/signer';
import { TseThread } from '../../../core/fiscal/tse/thread';
import { DE_CLIENT, DE_IDENTITY, openGermanTill, type GermanTill } from '../../helpers/de-till';
import { run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { readLogMessage, untar, verifyPlain, verifyQr } from '../../helpers/tse-verifier';

const MILK = DEMO_ITEMS.milk.codes[0]!;
const SOAP = DEMO_ITEMS.dishSoap.codes[0]!;

let t: { dir: string; cleanup: () => void };
let till: GermanTill;
const turn = () => new Promise<void>((r) => setImmediate(r));
const qrOf = (receipt: string) => /^\[QR\] (V0;.*)$/m.exec(receipt)?.[1] ?? null;
const logs = () => untar(till.sim.exportTar()).slice(1).map((f) => readLogMessage(f.data));

beforeEach(() => {
  t = tempDir('kassa-tse-thread-');
  till = openGermanTill(t.dir, '2026-12-07T08:30:00.000Z', { thread: true });
});
afterEach(() => {
  till.close();
  t.cleanup();
});

it('a TSE busy with its file does not hold the next scans; the sale still finishes the transaction its first scan started', async () => {
  await till.lane.tse!.starts.settled(); // the lane's own start-up check is done: the next job is the sale's start
  // Another connection holds the TSE file's write lock: the simulator's start waits for it (up to its busy timeout, 5 s).
  const lock = new Database(join(t.dir, 'tse.sqlite'));
  lock.exec('BEGIN IMMEDIATE');
  run(till.lane, { cmd: 'scan', code: MILK });
  const t0 = performance.now();
  await turn(); // the queued start is asked of the TSE now
  till.clock.advance(20_000);
  run(till.lane, { cmd: 'scan', code: SOAP });
  run(till.lane, { cmd: 'scan', code: MILK });
  // On the lane's thread the start would have held these scans for the whole busy timeout.
  expect(performance.now() - t0).toBeLessThan(2_000);
  lock.exec('COMMIT');
  lock.close();
  run(till.lane, { cmd: 'tenderCash', amount: 10_000 });
  till.clock.advance(5_000);
  // Completed before the start's answer reached the event loop: the completion takes it first.
  const sale = run(till.lane, { cmd: 'complete' }).lastSale!;
  const qr = qrOf(sale.receiptText)!;
  expect(verifyQr(qr)).toBe(true);
  expect(qr.split(';').slice(4, 8)).toEqual(['1', '2', '2026-12-07T08:30:00.000Z', '2026-12-07T08:30:25.000Z']);
  await till.lane.tse!.starts.settled();
  expect(till.sim.openTransactions(DE_CLIENT)).toEqual([]);
  expect(till.db.prepare('SELECT count(*) AS n FROM tse_started').get()).toEqual({ n: 0 });
});

it('signs sale after sale from its thread with gap-free counters, every message verified, and goes on with them after a new thread', async () => {
  for (let i = 0; i < 3; i++) {
    run(till.lane, { cmd: 'scan', code: i % 2 ? SOAP : MILK });
    await turn();
    run(till.lane, { cmd: 'tenderCash', amount: 5_000 });
    expect(verifyQr(qrOf(run(till.lane, { cmd: 'complete' }).lastSale!.receiptText)!)).toBe(true);
  }
  await till.lane.tse!.starts.settled();
  const key = Buffer.from(till.sim.info().publicKey, 'base64');
  (till.sim as TseThread).close();
  const again = new TseThread({ kind: 'simulator', file: join(t.dir, 'tse.sqlite') }, { now: till.clock.now });
  try {
    expect(again.info().serialNumber).toBe(till.sim.info().serialNumber);
    again.startTransaction(DE_CLIENT, '', 'Kassenbeleg-V1');
    const all = untar(again.exportTar()).slice(1).map((f) => readLogMessage(f.data));
    expect(all.map((l) => l.signatureCounter)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(all.map((l) => `${l.operation} ${l.transactionNumber}`).slice(-2)).toEqual(['FinishTransaction 3', 'StartTransaction 4']);
    for (const l of all) expect(verifyPlain('ecdsa-plain-SHA256', key, l.signedData, l.signature)).toBe(true);
  } finally {
    again.close();
  }
});

it('finishes as aborted a transaction the TSE holds open for this till with no record of it at the till, when the lane starts again', async () => {
  await till.lane.tse!.starts.settled(); // the first lane's own start-up check is done
  const stray = till.sim.startTransaction(DE_CLIENT, '', 'Kassenbeleg-V1').transactionNumber;
  const lines: string[] = [];
  till.lane.dispose();
  till.lane = new LaneService(till.db, new Catalog(till.db), PROFILES.DE, DE_IDENTITY, { now: till.clock.now, journal: new Journal(till.db, { signer: loadOrCreateTerminalSigner(till.db, till.clock.now) }), tse: till.sim, log: (l) => lines.push(l) });
  await till.lane.tse!.starts.settled();
  expect(till.sim.openTransactions(DE_CLIENT)).toEqual([]);
  expect(logs().map((l) => `${l.operation} ${l.transactionNumber} ${l.processData}`)).toEqual([`StartTransaction ${stray} `, `FinishTransaction ${stray} AVBelegabbruch^0.00_0.00_0.00_0.00_0.00^`]);
  expect(lines.some((l) => l.includes(`transaction ${stray} was open in the TSE`))).toBe(true);
});
