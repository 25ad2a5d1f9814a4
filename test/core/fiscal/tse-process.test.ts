/**
 * The real core (dist/core/main.js) with a German profile, SIGKILLed after each sale: the TSE
 * simulator's file next to the database keeps its key and counters, every sale's QR code verifies,
 * and the TSE's export numbers the transactions and log messages without a gap.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../../core/catalog/demo';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { TseSimulator } from '../../../core/fiscal/tse/simulator';
import { systemClock } from '../../../core/clock';
import { ApiClient, startCoreProcess, stopCoreProcess } from '../../helpers/core-process';
import { readLogMessage, untar, verifyQr } from '../../helpers/tse-verifier';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const tmp = tempDir('kassa-tse-process-');
afterAll(() => tmp.cleanup());

it('a German core killed after each sale keeps its TSE numbering gap-free, and every receipt verifies', async () => {
  const dbPath = join(tmp.dir, 'lane.db');
  const setup = openDatabase(dbPath);
  generateCatalog(setup, {});
  setup.exec("UPDATE vat_class SET rate_bp = CASE id WHEN 'standard' THEN 1900 ELSE 700 END");
  seedDemoOperators(new Operators(setup));
  setup.close();

  const qrs: string[] = [];
  for (let i = 0; i < 3; i++) {
    const core = await startCoreProcess(dbPath, ['--profile', 'DE']);
    const client = await ApiClient.connect(core.port, core.token);
    if (!client.snapshot!.lane.operator) expect((await client.send({ cmd: 'signIn', operator: '1', pin: '1111' })).type).toBe('ack');
    if (!client.snapshot!.lane.till) await client.send({ cmd: 'openTill', float: [] });
    await client.send({ cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    await client.send({ cmd: 'tenderCash', amount: 2_000 });
    const before = client.snapshot!.lastSale?.saleId ?? null;
    expect((await client.send({ cmd: 'complete' })).type).toBe('ack');
    await until('the completed sale in a snapshot', () => (client.snapshot!.lastSale?.saleId ?? null) !== before);
    const receipt = client.snapshot!.lastSale!.receiptText;
    const qr = /^\[QR\] (V0;.*)$/m.exec(receipt)?.[1];
    expect(qr, receipt).toBeDefined();
    qrs.push(qr!);
    client.ws.close();
    await stopCoreProcess(core, 'SIGKILL');
  }

  for (const qr of qrs) expect(verifyQr(qr)).toBe(true);
  expect(qrs.map((q) => q.split(';').slice(4, 6).join('/'))).toEqual(['1/2', '2/4', '3/6']);
  expect(new Set(qrs.map((q) => q.split(';')[11])).size).toBe(1);

  const db = new Database(dbPath, { readonly: true });
  expect(db.prepare('SELECT transaction_number FROM tse_signature ORDER BY transaction_number').all()).toEqual([{ transaction_number: 1 }, { transaction_number: 2 }, { transaction_number: 3 }]);
  db.close();
  const sim = new TseSimulator(`${dbPath}-tse.sqlite`, { now: systemClock });
  const logs = untar(sim.exportTar()).slice(1).map((f) => readLogMessage(f.data));
  expect(logs.map((l) => l.signatureCounter)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(logs.map((l) => l.transactionNumber)).toEqual([1, 1, 2, 2, 3, 3]);
  sim.close();
}, 120_000);
