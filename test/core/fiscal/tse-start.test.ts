/**
 * Germany (AEAO zu §146a): a sale's TSE transaction starts with its first line, not at payment —
 * queued off the scan's commit, so the scan never waits for the TSE — and is finished at
 * completion, so the receipt's start time is the first scan's. A basket that ends without a sale
 * is finished as AVBelegabbruch with its amounts; a TSE that does not answer the start leaves the
 * sale to be started and finished at completion (outage rules there); a till that stopped with a
 * transaction started has it aborted when it starts again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { exportDsfinvk } from '../../../core/fiscal/dsfinvk/export';
import { LaneService } from '../../../core/lane/host';
import { PROFILES } from '../../../core/profile';
import { Journal } from '../../../core/journal';
import { loadOrCreateTerminalSigner } from '../../../core/journal/signer';
import { Catalog } from '../../../core/catalog/repo';
import { closeDay, DE_CLIENT, DE_IDENTITY, openGermanTill, SUPERVISOR, type GermanTill } from '../../helpers/de-till';
import { readIndex, readTable } from '../../helpers/gdpdu';
import { run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { readLogMessage, untar, verifyPlain, verifyQr } from '../../helpers/tse-verifier';
import { join } from 'node:path';

const MILK = DEMO_ITEMS.milk.codes[0]!; // 16,95 at 7 %
const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90 at 19 %

let t: { dir: string; cleanup: () => void };
let till: GermanTill;
const turn = () => new Promise<void>((r) => setImmediate(r));
const qrOf = (receipt: string) => /^\[QR\] (V0;.*)$/m.exec(receipt)?.[1] ?? null;
const logs = () => untar(till.sim.exportTar()).slice(1).map((f) => readLogMessage(f.data));
const ops = () => logs().map((l) => `${l.operation} ${l.transactionNumber} ${l.processData}`);

// The same, with the simulator on the lane's thread and on a thread of its own (core/fiscal/tse/thread.ts, as a till runs it).
describe.each([
  ['on the lane thread', false],
  ['on its own thread', true],
])('the TSE simulator %s', (_where, thread) => {
  beforeEach(() => {
    t = tempDir('kassa-tse-start-');
    till = openGermanTill(t.dir, '2026-12-07T08:30:00.000Z', { thread });
  });
  afterEach(() => {
    till.close();
    t.cleanup();
  });

  it('starts the transaction after the first scan has committed, and the receipt says it started then', async () => {
    run(till.lane, { cmd: 'scan', code: MILK });
    // The scan committed without the TSE: nothing was asked of it yet.
    expect(logs()).toEqual([]);
    await till.lane.tse!.starts.settled();
    expect(ops()).toEqual(['StartTransaction 1 ']);
    expect(logs()[0]!.logTime).toBe(Date.parse('2026-12-07T08:30:00.000Z') / 1000);
    till.clock.advance(95_000);
    run(till.lane, { cmd: 'scan', code: SOAP });
    run(till.lane, { cmd: 'tenderCash', amount: 5_000 });
    till.clock.advance(5_000);
    const sale = run(till.lane, { cmd: 'complete' }).lastSale!;
    await till.lane.tse!.starts.settled();
    const qr = qrOf(sale.receiptText)!;
    expect(qr.split(';').slice(3, 8)).toEqual(['Beleg^29.90_16.95_0.00_0.00_0.00^46.85:Bar', '1', '2', '2026-12-07T08:30:00.000Z', '2026-12-07T08:31:40.000Z']);
    expect(verifyQr(qr)).toBe(true);
    expect(sale.receiptText).toContain('TSE-Start: 2026-12-07T08:30:00.000Z');
    expect(sale.receiptText).toContain('TSE-Ende: 2026-12-07T08:31:40.000Z');
    expect(ops()).toEqual(['StartTransaction 1 ', 'FinishTransaction 1 Beleg^29.90_16.95_0.00_0.00_0.00^46.85:Bar']);
    expect(till.db.prepare('SELECT count(*) AS n FROM tse_started').get()).toEqual({ n: 0 });
  });

  it('finishes a cancelled basket as AVBelegabbruch with its amounts, signed, and exports it signed', async () => {
    run(till.lane, { cmd: 'scan', code: SOAP });
    await till.lane.tse!.starts.settled();
    run(till.lane, { cmd: 'scan', code: MILK });
    till.clock.advance(10_000);
    run(till.lane, { cmd: 'cancelSale', approval: SUPERVISOR });
    await till.lane.tse!.starts.settled();
    expect(ops()).toEqual(['StartTransaction 1 ', 'FinishTransaction 1 AVBelegabbruch^29.90_16.95_0.00_0.00_0.00^']);
    const key = Buffer.from(till.sim.info().publicKey, 'base64');
    for (const l of logs()) expect(verifyPlain('ecdsa-plain-SHA256', key, l.signedData, l.signature)).toBe(true);
    expect(till.sim.openTransactions(DE_CLIENT)).toEqual([]);
    closeDay(till);
    const out = join(t.dir, 'export');
    exportDsfinvk(till.db, { z: 1 }, out, { timeZone: 'Europe/Berlin', softwareVersion: 'test' });
    const tables = Object.fromEntries(readIndex(out).map((d) => [d.url, readTable(out, d)]));
    const aborted = tables['transactions.csv']!.find((r) => r.BON_TYP === 'AVBelegabbruch')!;
    const tse = tables['transactions_tse.csv']!.find((r) => r.BON_ID === aborted.BON_ID)!;
    expect([tse.TSE_TANR, tse.TSE_TA_FEHLER, tse.TSE_VORGANGSDATEN, tse.TSE_TA_START]).toEqual(['1', '', 'AVBelegabbruch^29.90_16.95_0.00_0.00_0.00^', '2026-12-07T08:30:00.000Z']);
  });

  it('a basket cancelled before its start was answered is started and aborted after, in order', async () => {
    run(till.lane, { cmd: 'scan', code: MILK });
    run(till.lane, { cmd: 'cancelSale' });
    await till.lane.tse!.starts.settled();
    expect(ops()).toEqual(['StartTransaction 1 ', 'FinishTransaction 1 AVBelegabbruch^0.00_16.95_0.00_0.00_0.00^']);
  });

  it('a TSE that does not answer the start does not hold the sale: it is started and finished at completion, once the TSE is back', async () => {
    const lines: string[] = [];
    till.lane.dispose();
    till.lane = new LaneService(till.db, new Catalog(till.db), PROFILES.DE, DE_IDENTITY, { now: till.clock.now, journal: new Journal(till.db, { signer: loadOrCreateTerminalSigner(till.db, till.clock.now) }), tse: till.sim, log: (l) => lines.push(l) });
    till.sim.unplug();
    run(till.lane, { cmd: 'scan', code: MILK });
    await till.lane.tse!.starts.settled();
    expect(lines.some((l) => /TSE: TSE_UNAVAILABLE/.test(l))).toBe(true);
    till.sim.plugIn();
    till.clock.advance(30_000);
    run(till.lane, { cmd: 'tenderCash', amount: 2_000 });
    const sale = run(till.lane, { cmd: 'complete' }).lastSale!;
    const qr = qrOf(sale.receiptText)!;
    expect(verifyQr(qr)).toBe(true);
    expect(qr.split(';')[6]).toBe('2026-12-07T08:30:30.000Z'); // started at completion: the start was never answered
    expect(till.lane.snapshot().tse).toMatchObject({ state: 'ok' });
  });

  it('a till that stopped with a transaction started has it aborted when it starts again, and the open sale started anew', async () => {
    run(till.lane, { cmd: 'scan', code: MILK });
    await till.lane.tse!.starts.settled();
    // The basket survives the restart (it is restored); a started row of a sale that is gone is aborted.
    till.db.prepare("INSERT INTO tse_started (sale_id, client_id, transaction_number, start_time, recorded_at) VALUES ('gone', ?, ?, '2026-12-07T08:00:00.000Z', '2026-12-07T08:00:00.000Z')").run(DE_CLIENT, till.sim.startTransaction(DE_CLIENT, '', 'Kassenbeleg-V1').transactionNumber);
    till.lane.dispose();
    till.lane = new LaneService(till.db, new Catalog(till.db), PROFILES.DE, DE_IDENTITY, { now: till.clock.now, journal: new Journal(till.db, { signer: loadOrCreateTerminalSigner(till.db, till.clock.now) }), tse: till.sim });
    await till.lane.tse!.starts.settled();
    await turn();
    expect(ops()).toEqual(['StartTransaction 1 ', 'StartTransaction 2 ', 'FinishTransaction 2 AVBelegabbruch^0.00_0.00_0.00_0.00_0.00^']);
    expect(till.sim.openTransactions(DE_CLIENT)).toEqual([1]);
    run(till.lane, { cmd: 'tenderCash', amount: 2_000 });
    const sale = run(till.lane, { cmd: 'complete' }).lastSale!;
    expect(qrOf(sale.receiptText)!.split(';').slice(4, 7)).toEqual(['1', '4', '2026-12-07T08:30:00.000Z']);
    expect(till.sim.openTransactions(DE_CLIENT)).toEqual([]);
  });
});
