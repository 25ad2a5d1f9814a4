/**
 * A German till signs every sale with its TSE when the sale completes (start and finish), keeps
 * the TSE's answer with the sale, prints the TSE fields and the DSFinV-K QR code; a TSE that fails
 * does not stop a sale: "TSE ausgefallen" on the receipt, the outage journalled and alerted, and
 * ended (journalled, with the unsigned sales counted) when the TSE signs again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../core/db';
import { generateCatalog, DEMO_ITEMS } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PROFILES } from '../../../core/profile';
import { Journal } from '../../../core/journal';
import { loadOrCreateTerminalSigner } from '../../../core/journal/signer';
import { TseSimulator } from '../../../core/fiscal/tse/simulator';
import { tseClientId } from '../../../core/fiscal/tse/till';
import { TseError, type TsePort } from '../../../core/fiscal/tse/port';
import { openAlerts } from '../../../core/sync/report';
import { ManualClock } from '../../../core/clock';
import { exec, run } from '../../helpers/lane';
import type { ReturnResult } from '../../../protocol/terminal';
import { tempDir } from '../../helpers/tmp';
import { readLogMessage, untar, verifyPlain, verifyQr } from '../../helpers/tse-verifier';

const MILK = DEMO_ITEMS.milk.codes[0]!; // 16,95, VAT class 'food'
const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90, VAT class 'standard'
const IDENTITY = { storeId: 'berlin-01', storeName: 'Kassa Berlin', laneId: '3' };
const CLIENT = tseClientId(IDENTITY.storeId, IDENTITY.laneId);

let t: { dir: string; cleanup: () => void };
let db: Db;
let clock: ManualClock;
let sim: TseSimulator;
let lane: LaneService;

/** The demo catalog with German VAT rates (food 7 %, standard 19 %): a German store's data. */
function germanDb(): Db {
  const d = openDatabase(join(t.dir, 'lane.db'));
  generateCatalog(d, {});
  d.exec("UPDATE vat_class SET rate_bp = CASE id WHEN 'standard' THEN 1900 ELSE 700 END");
  seedDemoOperators(new Operators(d));
  return d;
}

function openLane(port: TsePort): LaneService {
  const s = new LaneService(db, new Catalog(db), PROFILES.DE, IDENTITY, { now: clock.now, journal: new Journal(db, { signer: loadOrCreateTerminalSigner(db, clock.now) }), tse: port });
  if (!s.snapshot().lane.operator) run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
  if (!s.snapshot().lane.till) run(s, { cmd: 'openTill', float: [] });
  return s;
}

function sell(codes: string[], cash: number) {
  for (const code of codes) run(lane, { cmd: 'scan', code });
  run(lane, { cmd: 'tenderCash', amount: cash });
  clock.advance(1_500);
  return run(lane, { cmd: 'complete' }).lastSale!;
}

/** The real simulator, dying between start and finish while `failing()` (a TSE pulled mid-sale). */
function dyingMidSale(failing: () => boolean): TsePort {
  return {
    info: () => sim.info(),
    startTransaction: (...a) => sim.startTransaction(...a),
    updateTransaction: (...a) => sim.updateTransaction(...a),
    finishTransaction: (...a) => {
      if (failing()) throw new TseError('TSE_UNAVAILABLE', 'the TSE stopped answering');
      return sim.finishTransaction(...a);
    },
    exportTar: (f) => sim.exportTar(f),
  };
}

const qrOf = (receipt: string) => /^\[QR\] (V0;.*)$/m.exec(receipt)?.[1] ?? null;
const journalKinds = (kind: string) => db.prepare<[string], { body: string }>('SELECT body FROM journal WHERE kind = ? ORDER BY seq').all(kind).map((r) => JSON.parse(r.body) as Record<string, unknown>);

beforeEach(() => {
  t = tempDir('kassa-tse-lane-');
  clock = new ManualClock('2026-12-07T08:30:00.000Z');
  db = germanDb();
  sim = new TseSimulator(join(t.dir, 'tse.sqlite'), { now: clock.now });
  sim.registerClient(CLIENT);
  lane = openLane(sim);
});
afterEach(() => {
  lane.dispose();
  db.close();
  sim.close();
  t.cleanup();
});

describe('a German sale', () => {
  it('is signed by the TSE at completion; the receipt prints its fields and a QR code the independent verifier accepts', () => {
    const sale = sell([MILK, SOAP], 5_000);
    const qr = qrOf(sale.receiptText)!;
    expect(qr).toMatch(new RegExp(`^V0;${CLIENT};Kassenbeleg-V1;Beleg\\^29\\.90_16\\.95_0\\.00_0\\.00_0\\.00\\^46\\.85:Bar;1;2;2026-12-07T08:30:01\\.000Z;2026-12-07T08:30:01\\.000Z;ecdsa-plain-SHA256;unixTime;`));
    expect(verifyQr(qr)).toBe(true);
    const serial = sim.info().serialNumber;
    for (const field of ['TSE-Transaktionsnr.: 1', 'TSE-Signaturzähler: 2', 'TSE-Start: 2026-12-07T08:30:01.000Z', 'TSE-Ende: 2026-12-07T08:30:01.000Z', `Kassen-Seriennr.: ${CLIENT}`, `TSE-Seriennummer: ${serial.slice(0, 20)}`]) expect(sale.receiptText).toContain(field);
    // Kept with the sale, in the sale's transaction.
    const row = db.prepare('SELECT * FROM tse_signature WHERE sale_id = ?').get(sale.saleId) as Record<string, unknown>;
    expect(row).toMatchObject({ client_id: CLIENT, tse_serial: serial, transaction_number: 1, signature_counter: 2, process_type: 'Kassenbeleg-V1', process_data: 'Beleg^29.90_16.95_0.00_0.00_0.00^46.85:Bar', outage_id: null, signature: qr.split(';')[10] });
    // Journalled with the sale.
    expect(journalKinds('sale.completed')[0]!.tse).toMatchObject({ kind: 'signed', tx: { transactionNumber: 1, signatureCounter: 2 } });
    expect(lane.snapshot().tse).toEqual({ clientId: CLIENT, serialNumber: serial, state: 'ok', outageSince: null, reason: null, unsignedSales: 0, meldung: expect.objectContaining({ tseSerialNumber: serial, tillSerialNumber: CLIENT, storeName: 'Kassa Berlin' }) })
  });

  it('a training sale is signed too, as AVTraining (DSFinV-K), and the receipt is still a training receipt', () => {
    run(lane, { cmd: 'setTraining', on: true, approval: { operator: '7', pin: '7777' } });
    const sale = sell([MILK], 1_695);
    expect(sale.training).toBe(true);
    expect(sale.receiptText).toContain('TRAINING - KEIN VERKAUF');
    const qr = qrOf(sale.receiptText)!;
    expect(qr.split(';')[3]).toBe('AVTraining^0.00_16.95_0.00_0.00_0.00^16.95:Bar');
    expect(verifyQr(qr)).toBe(true);
  });
});

describe('a German return', () => {
  it('is signed by the TSE too, its amounts negative, and its receipt carries the TSE fields and QR code', () => {
    const sale = sell([MILK, SOAP], 5_000);
    const r = exec(lane, { cmd: 'returnLines', receiptCode: `R${sale.saleId.replace(/-/g, '')}`, lines: [{ lineId: 'L2', quantity: 1 }], reason: 'Defekt' }).result as ReturnResult;
    const qr = qrOf(r.receiptText)!;
    expect(qr.split(';').slice(3, 6)).toEqual(['Beleg^-29.90_0.00_0.00_0.00_0.00^-29.90:Bar', '2', '4']);
    expect(verifyQr(qr)).toBe(true);
    expect(r.receiptText).toContain('TSE-Transaktionsnr.: 2');
    expect(journalKinds('sale.return')[0]!.tse).toMatchObject({ kind: 'signed', tx: { transactionNumber: 2 } });
    expect(db.prepare('SELECT transaction_number FROM tse_signature WHERE sale_id = ?').get(r.returnId)).toEqual({ transaction_number: 2 });
  });
});

describe('a TSE outage', () => {
  it('sells on unsigned, says "TSE ausgefallen", journals and alerts it once, and ends it when the TSE signs again', () => {
    sell([MILK], 2_000);
    sim.unplug();
    clock.advance(60_000);
    const a = sell([SOAP], 3_000);
    const b = sell([MILK], 2_000);
    for (const s of [a, b]) {
      expect(s.receiptText).toContain('*** TSE ausgefallen ***');
      expect(qrOf(s.receiptText)).toBeNull();
    }
    // Every sale is there, in the sale table and the journal.
    expect(db.prepare('SELECT count(*) AS n FROM sale').get()).toEqual({ n: 3 });
    expect(journalKinds('sale.completed').map((b) => (b.tse as { kind: string }).kind)).toEqual(['signed', 'outage', 'outage']);
    expect(journalKinds('tse.outage')).toEqual([{ clientId: CLIENT, outageId: 1, reason: 'TSE_UNAVAILABLE: the TSE does not answer' }]);
    const snap = lane.snapshot();
    expect(snap.tse).toMatchObject({ state: 'outage', unsignedSales: 2, outageSince: '2026-12-07T08:31:03.000Z' });
    expect(openAlerts(snap).find((x) => x.code === 'TSE_OUTAGE')).toMatchObject({ since: '2026-12-07T08:31:03.000Z' });

    sim.plugIn();
    const c = sell([SOAP], 3_000);
    expect(verifyQr(qrOf(c.receiptText)!)).toBe(true);
    expect(journalKinds('tse.recovered')).toEqual([{ clientId: CLIENT, outageId: 1, since: '2026-12-07T08:31:03.000Z', unsignedSales: 2, abortedTransactions: [] }]);
    expect(lane.snapshot().tse).toMatchObject({ state: 'ok', unsignedSales: 0 });
    expect(openAlerts(lane.snapshot()).some((x) => x.code === 'TSE_OUTAGE')).toBe(false);
    expect(db.prepare('SELECT outage_id, unsigned_sales, ended_at IS NOT NULL AS ended FROM tse_outage').all()).toEqual([{ outage_id: 1, unsigned_sales: 2, ended: 1 }]);
    // The TSE numbered on without a gap: two transactions, four log messages.
    const logs = untar(sim.exportTar()).slice(1).map((f) => readLogMessage(f.data));
    expect(logs.map((l) => [l.transactionNumber, l.signatureCounter])).toEqual([[1, 1], [1, 2], [2, 3], [2, 4]]);
  });

  it('a transaction the TSE started and could not finish is finished as aborted when it is back', () => {
    let failFinish = true;
    lane.dispose();
    lane = openLane(dyingMidSale(() => failFinish));
    const a = sell([MILK], 2_000);
    expect(a.receiptText).toContain('TSE ausgefallen');
    expect(sim.openTransactions(CLIENT)).toEqual([1]);
    failFinish = false;
    const b = sell([MILK], 2_000);
    expect(verifyQr(qrOf(b.receiptText)!)).toBe(true);
    expect(sim.openTransactions(CLIENT)).toEqual([]);
    expect(journalKinds('tse.recovered')[0]).toMatchObject({ unsignedSales: 1, abortedTransactions: [1] });
    const logs = untar(sim.exportTar()).slice(1).map((f) => readLogMessage(f.data));
    const key = Buffer.from(sim.info().publicKey, 'base64');
    expect(logs.map((l) => `${l.operation} ${l.transactionNumber} ${l.processData}`)).toEqual([
      'StartTransaction 1 ',
      'FinishTransaction 1 AVBelegabbruch^0.00_0.00_0.00_0.00_0.00^',
      'StartTransaction 2 ',
      'FinishTransaction 2 Beleg^0.00_16.95_0.00_0.00_0.00^16.95:Bar',
    ]);
    for (const l of logs) expect(verifyPlain('ecdsa-plain-SHA256', key, l.signedData, l.signature)).toBe(true);
    expect(db.prepare('SELECT aborted_at IS NOT NULL AS aborted FROM tse_signature WHERE sale_id = ?').get(a.saleId)).toEqual({ aborted: 1 });
  });
});

it('a transaction marked unfinished that the TSE has finished already (its sale rolled back) does not hold the TSE in an outage', () => {
  let failFinish = true;
  lane.dispose();
  lane = openLane(dyingMidSale(() => failFinish));
  sell([MILK], 2_000);
  // The TSE finished it meanwhile (as when the sale that aborted it was rolled back after the TSE answered).
  sim.finishTransaction(CLIENT, 1, 'AVBelegabbruch^0.00_0.00_0.00_0.00_0.00^', 'Kassenbeleg-V1');
  failFinish = false;
  const b = sell([MILK], 2_000);
  expect(verifyQr(qrOf(b.receiptText)!)).toBe(true);
  expect(lane.snapshot().tse).toMatchObject({ state: 'ok' });
});

it('a restarted till and TSE go on numbering where they stopped', () => {
  sell([MILK], 2_000);
  lane.dispose();
  sim.close();
  sim = new TseSimulator(join(t.dir, 'tse.sqlite'), { now: clock.now });
  lane = openLane(sim);
  const sale = sell([MILK], 2_000);
  const qr = qrOf(sale.receiptText)!.split(';');
  expect([qr[4], qr[5]]).toEqual(['2', '4']);
});
