/**
 * The fiskaly SIGN DE client against a local server that speaks its API's shape (auth, TSS,
 * transactions by revision, exports) and signs with the TSE simulator: the client's answers make a
 * QR code the independent verifier accepts; faults become typed TSE errors.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ManualClock } from '../../../core/clock';
import { TseSimulator } from '../../../core/fiscal/tse/simulator';
import { FiskalyTse } from '../../../core/fiscal/tse/fiskaly';
import { PROCESS_TYPE_RECEIPT, TseError, tseTransaction } from '../../../core/fiscal/tse/port';
import { tseQrCode } from '../../../core/receipt/tse-block';
import { FiskalyTestServer } from '../../helpers/fiskaly-server';
import { readLogMessage, untar, verifyPlain, verifyQr } from '../../helpers/tse-verifier';
import { tempDir } from '../../helpers/tmp';

const TSS = '6b0c6a3e-2a5e-4c1b-9b0b-0d3c7b1f5a10';
const CLIENT_UUID = '0e8f4c54-9f1a-4d7e-8a51-5b8f3c2d1e90';
const SERIAL = 'berlin-01-3';

let t: { dir: string; cleanup: () => void };
let clock: ManualClock;
let sim: TseSimulator;
let server: FiskalyTestServer;
let tse: FiskalyTse;
let baseUrl: string;

beforeEach(async () => {
  t = tempDir('kassa-fiskaly-');
  clock = new ManualClock('2026-12-07T10:00:00.000Z');
  sim = new TseSimulator(join(t.dir, 'tse.sqlite'), { now: clock.now });
  sim.registerClient(SERIAL);
  server = new FiskalyTestServer(sim, TSS, { [CLIENT_UUID]: SERIAL });
  baseUrl = await server.start();
  tse = new FiskalyTse({ baseUrl, apiKey: 'test_key', apiSecret: 'test_secret', tssId: TSS, clients: { [SERIAL]: CLIENT_UUID }, exportPollMs: 5 });
});
afterEach(async () => {
  await server.stop();
  sim.close();
  t.cleanup();
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof TseError ? e.code : `other: ${String(e)}`;
  }
  return 'none';
}

describe('the fiskaly SIGN DE client', () => {
  it('starts, updates and finishes a transaction by revision; its answers make a QR code the independent verifier accepts', async () => {
    const start = await tse.startTransaction(SERIAL, '', PROCESS_TYPE_RECEIPT);
    clock.advance(3_000);
    await tse.updateTransaction(SERIAL, start.transactionNumber, 'Beleg^1.00_0.00_0.00_0.00_0.00^', PROCESS_TYPE_RECEIPT);
    const finish = await tse.finishTransaction(SERIAL, start.transactionNumber, 'Beleg^1.00_0.00_0.00_0.00_0.00^1.00:Bar', PROCESS_TYPE_RECEIPT);
    const qr = tseQrCode(tseTransaction(await tse.info(), start, finish));
    expect(qr).toMatch(/^V0;berlin-01-3;Kassenbeleg-V1;Beleg\^1\.00_0\.00_0\.00_0\.00_0\.00\^1\.00:Bar;1;3;2026-12-07T10:00:00\.000Z;2026-12-07T10:00:03\.000Z;ecdsa-plain-SHA256;unixTime;/);
    expect(verifyQr(qr)).toBe(true);
    const txPuts = server.requests.filter((r) => r.startsWith('PUT') && r.includes('/tx/'));
    expect(txPuts.map((r) => r.replace(/\/tx\/[0-9a-f-]{36}/, '/tx/ID'))).toEqual([`PUT /api/v2/tss/${TSS}/tx/ID?tx_revision=1`, `PUT /api/v2/tss/${TSS}/tx/ID?tx_revision=2`, `PUT /api/v2/tss/${TSS}/tx/ID?tx_revision=3`]);
    expect(new Set(txPuts.map((r) => /\/tx\/([0-9a-f-]{36})/.exec(r)![1])).size).toBe(1);
    expect(server.requests.filter((r) => r === 'POST /api/v2/auth')).toHaveLength(1);
  });

  it('signs in again once when its token has expired', async () => {
    await tse.info();
    server.expireTokens();
    const start = await tse.startTransaction(SERIAL, '', PROCESS_TYPE_RECEIPT);
    expect(start.transactionNumber).toBe(1);
    expect(server.requests.filter((r) => r === 'POST /api/v2/auth')).toHaveLength(2);
  });

  it('turns faults into typed TSE errors', async () => {
    expect(await code(tse.startTransaction('KASSE-UNBEKANNT', '', PROCESS_TYPE_RECEIPT))).toBe('TSE_CLIENT_NOT_REGISTERED');
    expect(await code(tse.finishTransaction(SERIAL, 42, 'x', PROCESS_TYPE_RECEIPT))).toBe('TSE_NO_SUCH_TRANSACTION');
    server.down = true;
    expect(await code(tse.startTransaction(SERIAL, '', PROCESS_TYPE_RECEIPT))).toBe('TSE_UNAVAILABLE');
    server.down = false;
    server.garbage = true;
    expect(await code(tse.info())).toBe('TSE_UNAVAILABLE');
    server.garbage = false;
    // Wrong credentials: fiskaly refuses the sign-in; the TSE is not there for this till.
    const wrong = new FiskalyTse({ baseUrl, apiKey: 'test_key', apiSecret: 'wrong', tssId: TSS, clients: { [SERIAL]: CLIENT_UUID } });
    expect(await code(wrong.startTransaction(SERIAL, '', PROCESS_TYPE_RECEIPT))).toBe('TSE_UNAVAILABLE');
    // Nothing the failures touched was signed: the next transaction is number 1, counter 1.
    const start = await tse.startTransaction(SERIAL, '', PROCESS_TYPE_RECEIPT);
    expect([start.transactionNumber, start.signatureCounter]).toEqual([1, 1]);
  });

  it('exports the TSS as a TAR whose log messages verify', async () => {
    for (let i = 0; i < 2; i++) {
      const s = await tse.startTransaction(SERIAL, '', PROCESS_TYPE_RECEIPT);
      await tse.finishTransaction(SERIAL, s.transactionNumber, `Beleg^${i}.00_0.00_0.00_0.00_0.00^${i}.00:Bar`, PROCESS_TYPE_RECEIPT);
    }
    const files = untar(await tse.exportTar({ clientId: SERIAL, fromTransaction: 2, toTransaction: 2 }));
    const key = Buffer.from((await tse.info()).publicKey, 'base64');
    const logs = files.slice(1).map((f) => readLogMessage(f.data));
    expect(logs.map((l) => [l.operation, l.transactionNumber, l.signatureCounter])).toEqual([['StartTransaction', 2, 3], ['FinishTransaction', 2, 4]]);
    for (const l of logs) expect(verifyPlain('ecdsa-plain-SHA256', key, l.signedData, l.signature)).toBe(true);
  });

  it("speaks fiskaly's API as described: a start without type or data, the type at the finish, the counter as a number or a digit string", async () => {
    server.counterAsString = true;
    const start = await tse.startTransaction(SERIAL, '', PROCESS_TYPE_RECEIPT);
    const finish = await tse.finishTransaction(SERIAL, start.transactionNumber, 'Beleg^2.00_0.00_0.00_0.00_0.00^2.00:Bar', PROCESS_TYPE_RECEIPT);
    expect(server.txBodies.map((b) => Object.keys(b).sort().join(','))).toEqual(['client_id,state', 'client_id,schema,state']);
    expect([start.signatureCounter, finish.signatureCounter]).toEqual([1, 2]);
    expect(verifyQr(tseQrCode(tseTransaction(await tse.info(), start, finish)))).toBe(true);
  });

  it("does not sign with a client that is another till's or deregistered, nor with a TSS that is not initialized", async () => {
    const other = '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
    const imposter = new FiskalyTse({ baseUrl, apiKey: 'test_key', apiSecret: 'test_secret', tssId: TSS, clients: { 'hamburg-02-1': CLIENT_UUID } });
    await expect(imposter.info()).rejects.toThrow(/belongs to till berlin-01-3, not hamburg-02-1/);
    const unknown = new FiskalyTse({ baseUrl, apiKey: 'test_key', apiSecret: 'test_secret', tssId: TSS, clients: { [SERIAL]: other } });
    expect(await code(unknown.info())).toBe('TSE_CLIENT_NOT_REGISTERED');
    expect(await code(unknown.startTransaction(SERIAL, '', PROCESS_TYPE_RECEIPT))).toBe('TSE_CLIENT_NOT_REGISTERED');
    server.tssState = 'DISABLED';
    expect(await code(tse.info())).toBe('TSE_UNAVAILABLE');
    server.tssState = 'INITIALIZED';
    expect(await code(tse.info())).toBe('none');
    server.deregister(CLIENT_UUID);
    expect(await code(tse.startTransaction(SERIAL, '', PROCESS_TYPE_RECEIPT))).toBe('TSE_CLIENT_NOT_REGISTERED');
    const fresh = new FiskalyTse({ baseUrl, apiKey: 'test_key', apiSecret: 'test_secret', tssId: TSS, clients: { [SERIAL]: CLIENT_UUID } });
    await expect(fresh.info()).rejects.toThrow(/is DEREGISTERED/);
  });

  it('finishes a transaction fiskaly holds open that the till’s own file lost', async () => {
    const start = await tse.startTransaction(SERIAL, '', PROCESS_TYPE_RECEIPT);
    const again = new FiskalyTse({ baseUrl, apiKey: 'test_key', apiSecret: 'test_secret', tssId: TSS, clients: { [SERIAL]: CLIENT_UUID } });
    expect(await again.openTransactions(SERIAL)).toEqual([start.transactionNumber]);
    const finish = await again.finishTransaction(SERIAL, start.transactionNumber, 'AVBelegabbruch^0.00_0.00_0.00_0.00_0.00^', PROCESS_TYPE_RECEIPT);
    expect(finish.transactionNumber).toBe(start.transactionNumber);
    expect(await again.openTransactions(SERIAL)).toEqual([]);
    server.down = true;
    expect(await again.openTransactions(SERIAL)).toEqual([]); // fiskaly away: what the till knows
  });

  it('exports a range without client_id (fiskaly would drop the range) and waits as long as a rate-limited poll asks', async () => {
    for (let i = 0; i < 2; i++) {
      const s = await tse.startTransaction(SERIAL, '', PROCESS_TYPE_RECEIPT);
      await tse.finishTransaction(SERIAL, s.transactionNumber, `Beleg^${i}.00_0.00_0.00_0.00_0.00^${i}.00:Bar`, PROCESS_TYPE_RECEIPT);
    }
    server.rateLimitPolls = 1;
    const files = untar(await tse.exportTar({ clientId: SERIAL, fromTransaction: 1, toTransaction: 1 }));
    expect(files.slice(1).map((f) => readLogMessage(f.data).transactionNumber)).toEqual([1, 1]);
    const put = server.requests.find((r) => r.startsWith('PUT') && r.includes('/export/'))!;
    expect(put).toMatch(/\?start_transaction_number=1&end_transaction_number=1$/);
    expect(server.requests.filter((r) => r.startsWith('GET') && /\/export\/[0-9a-f-]{36}$/.test(r)).length).toBe(3); // refused once, then WORKING, COMPLETED
    expect(untar(await tse.exportTar({ clientId: SERIAL })).length).toBe(5); // the client's: info + 4 log messages
  });

  it("registers the till's client with the TSS admin's PIN, once; a client of another till is refused", async () => {
    const NEW = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
    const till = new FiskalyTse({ baseUrl, apiKey: 'test_key', apiSecret: 'test_secret', tssId: TSS, clients: { 'berlin-01-4': NEW } });
    expect(await code(till.registerClient('berlin-01-4', '000000'))).toBe('TSE_UNAVAILABLE'); // a wrong PIN
    expect(await till.registerClient('berlin-01-4', server.adminPin)).toBe('registered');
    expect(await till.registerClient('berlin-01-4', server.adminPin)).toBe('already');
    const s = await till.startTransaction('berlin-01-4', '', PROCESS_TYPE_RECEIPT);
    expect(s.clientId).toBe('berlin-01-4');
    const thief = new FiskalyTse({ baseUrl, apiKey: 'test_key', apiSecret: 'test_secret', tssId: TSS, clients: { 'berlin-01-5': NEW } });
    await expect(thief.registerClient('berlin-01-5', server.adminPin)).rejects.toThrow(/belongs to till berlin-01-4/);
  });
});
