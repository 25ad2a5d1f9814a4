/**
 * A German till provisioned with a fiskaly SIGN DE cloud TSE (not the environment: the choice and
 * its credentials are kept in the terminal's database), selling through the real lane against a
 * local server of fiskaly's API shape (on a thread of its own, signing with the TSE simulator):
 * a sale signed and verified by the independent verifier, an outage sold through ("TSE
 * ausgefallen", journalled), the recovery, a transaction started before a restart finished after
 * it, and the TSE's export verifying with gap-free counters. The key and secret are never logged.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../core/db';
import { generateCatalog, DEMO_ITEMS } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PROFILES } from '../../../core/profile';
import { Journal } from '../../../core/journal';
import { loadOrCreateTerminalSigner } from '../../../core/journal/signer';
import { ManualClock } from '../../../core/clock';
import { loadTseChoice, saveTseChoice } from '../../../core/fiscal/tse/choice';
import { tseFor } from '../../../core/fiscal/tse/setup';
import type { TseThread } from '../../../core/fiscal/tse/thread';
import { DE_CLIENT, DE_IDENTITY } from '../../helpers/de-till';
import { startFiskalyServerThread, type FiskalyServerThread } from '../../helpers/fiskaly-server-thread';
import { run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { readLogMessage, untar, verifyPlain, verifyQr } from '../../helpers/tse-verifier';

const TSS = '6b0c6a3e-2a5e-4c1b-9b0b-0d3c7b1f5a10';
const CLIENT_UUID = '0e8f4c54-9f1a-4d7e-8a51-5b8f3c2d1e90';
const MILK = DEMO_ITEMS.milk.codes[0]!;
const SOAP = DEMO_ITEMS.dishSoap.codes[0]!;

let t: { dir: string; cleanup: () => void };
let server: FiskalyServerThread;
let db: Db;
let dbPath: string;
let clock: ManualClock;
let tse: TseThread;
let lane: LaneService;
let lines: string[];
const qrOf = (receipt: string) => /^\[QR\] (V0;.*)$/m.exec(receipt)?.[1] ?? null;

function openLane(): void {
  tse = tseFor('DE', db, dbPath, DE_IDENTITY, clock.now, (l) => lines.push(l)) as TseThread;
  lane = new LaneService(db, new Catalog(db), PROFILES.DE, DE_IDENTITY, { now: clock.now, journal: new Journal(db, { signer: loadOrCreateTerminalSigner(db, clock.now) }), tse, log: (l) => lines.push(l) });
  if (!lane.snapshot().lane.operator) run(lane, { cmd: 'signIn', operator: '1', pin: '1111' });
  if (!lane.snapshot().lane.till) run(lane, { cmd: 'openTill', float: [] });
}

function sell(codes: string[], cash: number) {
  for (const code of codes) run(lane, { cmd: 'scan', code });
  run(lane, { cmd: 'tenderCash', amount: cash });
  clock.advance(1_500);
  return run(lane, { cmd: 'complete' }).lastSale!;
}

beforeEach(async () => {
  t = tempDir('kassa-fiskaly-lane-');
  server = await startFiskalyServerThread({ file: join(t.dir, 'fiskaly-tss.sqlite'), tssId: TSS, clients: { [CLIENT_UUID]: DE_CLIENT }, start: '2026-12-07T09:00:00.000Z' });
  dbPath = join(t.dir, 'lane.db');
  db = openDatabase(dbPath);
  generateCatalog(db, {});
  db.exec("UPDATE vat_class SET rate_bp = CASE id WHEN 'standard' THEN 1900 ELSE 700 END");
  seedDemoOperators(new Operators(db));
  clock = new ManualClock('2026-12-07T09:00:00.000Z');
  lines = [];
  // As `npm run provision -- --tse tse.json` keeps it.
  saveTseChoice(db, { kind: 'fiskaly', baseUrl: server.baseUrl, tssId: TSS, clientId: CLIENT_UUID, apiKey: 'test_key', apiSecret: 'test_secret' });
  openLane();
});
afterEach(async () => {
  lane.dispose();
  tse.close();
  db.close();
  await server.stop();
  t.cleanup();
});

it('signs a sale through fiskaly, sells on through its outage and recovers, every transaction verifying from its export', async () => {
  run(lane, { cmd: 'scan', code: MILK });
  await lane.tse!.starts.settled(); // the start went to fiskaly off the scan's path
  const first = sell([SOAP], 5_000);
  const qr = qrOf(first.receiptText)!;
  expect(verifyQr(qr)).toBe(true);
  expect(qr.split(';').slice(1, 6)).toEqual([DE_CLIENT, 'Kassenbeleg-V1', 'Beleg^29.90_16.95_0.00_0.00_0.00^46.85:Bar', '1', '2']);

  await server.setDown(true);
  const during = sell([MILK], 2_000);
  expect(during.receiptText).toContain('*** TSE ausgefallen ***');
  expect(qrOf(during.receiptText)).toBeNull();
  expect(lane.snapshot().tse).toMatchObject({ state: 'outage', unsignedSales: 1 });

  await server.setDown(false);
  const after = sell([SOAP], 3_000);
  expect(verifyQr(qrOf(after.receiptText)!)).toBe(true);
  expect(lane.snapshot().tse).toMatchObject({ state: 'ok' });
  const recovered = db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'tse.recovered'").all();
  expect(recovered.map((r) => JSON.parse(r.body) as { unsignedSales: number })).toMatchObject([{ unsignedSales: 1 }]);
  await lane.tse!.starts.settled();

  // Store IT's export, as the README says (the lane's own TSE thread does not make a cloud TSE's export).
  expect(() => tse.exportTar()).toThrow(/npm run tse -- export/);
  const tarFile = join(t.dir, 'tse-export.tar');
  const cli = (stdin: string, ...args: string[]) => new Promise<{ status: number | null; out: string }>((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'core/fiscal/tse/cloud-cli.ts', ...args, '--db', dbPath, '--store', DE_IDENTITY.storeId, '--lane', DE_IDENTITY.laneId]);
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += String(d)));
    p.stderr.on('data', (d: Buffer) => (out += String(d)));
    p.stdin.end(stdin);
    p.on('close', (status) => resolve({ status, out }));
  });
  const exported = await cli('', 'export', '--out', tarFile);
  expect(exported.out).toContain(`TSE export written: ${tarFile}`);
  expect((await cli('', 'export', '--out', tarFile)).out).toMatch(/exists: the export is written to a new file/);
  // The till's client is its own already; the admin PIN is asked for on stdin, never kept.
  expect((await cli('424242\n', 'register-client')).out).toContain(`fiskaly client ${CLIENT_UUID} was registered for till ${DE_CLIENT} already`);
  const key = Buffer.from(tse.info().publicKey, 'base64');
  const logs = untar(readFileSync(tarFile)).slice(1).map((f) => readLogMessage(f.data));
  expect(logs.map((l) => l.signatureCounter)).toEqual(logs.map((_, i) => i + 1));
  for (const l of logs) expect(verifyPlain('ecdsa-plain-SHA256', key, l.signedData, l.signature)).toBe(true);
  expect(logs.filter((l) => l.operation === 'FinishTransaction').map((l) => l.processData)).toEqual(['Beleg^29.90_16.95_0.00_0.00_0.00^46.85:Bar', 'Beleg^29.90_0.00_0.00_0.00_0.00^29.90:Bar']);
  // Neither the key nor the secret in anything the till logged.
  expect(lines.join('\n')).not.toMatch(/test_key|test_secret/);
  expect(lines.some((l) => l.includes(`fiskaly SIGN DE (TSS ${TSS}`))).toBe(true);
});

it('finishes after a restart the transaction a sale started before it (its fiskaly revision kept next to the database)', async () => {
  run(lane, { cmd: 'scan', code: MILK });
  await lane.tse!.starts.settled();
  lane.dispose();
  tse.close();
  openLane(); // the basket is restored; its transaction was started before the restart
  await lane.tse!.starts.settled();
  run(lane, { cmd: 'tenderCash', amount: 2_000 });
  const sale = run(lane, { cmd: 'complete' }).lastSale!;
  const qr = qrOf(sale.receiptText)!;
  expect(verifyQr(qr)).toBe(true);
  expect(qr.split(';').slice(4, 6)).toEqual(['1', '2']);
  expect(tse.openTransactions(DE_CLIENT)).toEqual([]);
});

it('keeps the choice in the terminal database, refuses a cloud TSE reached over plain http elsewhere than this machine, and unknown fields', () => {
  expect(loadTseChoice(db)).toMatchObject({ kind: 'fiskaly', tssId: TSS });
  expect(() => saveTseChoice(db, { kind: 'fiskaly', baseUrl: 'http://tse.example.com/api/v2', tssId: TSS, clientId: CLIENT_UUID, apiKey: 'k', apiSecret: 's' })).toThrow(/TSE choice refused .*https/);
  expect(() => saveTseChoice(db, { kind: 'simulator', extra: 1 })).toThrow(/TSE choice refused/);
  expect(loadTseChoice(db)).toMatchObject({ kind: 'fiskaly' });
});
