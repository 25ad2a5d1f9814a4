/** The Terminal API over a real socket against the real core process: bad input changes nothing. */
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../core/db';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { generateCatalog } from '../../../core/catalog/demo';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../../helpers/core-process';
import { tempDir } from '../../helpers/tmp';
import type { ServerMessage } from '../../../protocol/terminal';

const tmp = tempDir('kassa-api-');
let core: CoreProcess;
let client: ApiClient;
let code: string;

beforeAll(async () => {
  const dbPath = join(tmp.dir, 'api.db');
  const db = openDatabase(dbPath);
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
  code = db
    .prepare<[], { code: string }>("SELECT b.code FROM barcode b JOIN item i ON i.id = b.item_id WHERE i.unit = 'piece' AND i.deposit_item_id IS NULL AND b.code NOT GLOB '02*' LIMIT 1")
    .get()!
    .code.slice(1);
  db.close();
  core = await startCoreProcess(dbPath);
  client = await ApiClient.connect(core.port, core.token, `http://127.0.0.1:${core.port}`);
  expect(await client.send({ cmd: 'signIn', operator: '7', pin: '7777' })).toMatchObject({ type: 'ack' });
  expect(await client.send({ cmd: 'openTill', float: [{ denomination: 10_000, count: 5 }] })).toMatchObject({ type: 'ack' });
  expect(await client.send({ cmd: 'scan', code })).toMatchObject({ type: 'ack' });
});
afterAll(async () => {
  client?.close();
  if (core) await stopCoreProcess(core);
  tmp.cleanup();
});

function expectError(m: ServerMessage, code: string) {
  expect(m.type).toBe('error');
  if (m.type === 'error') {
    expect(m.code).toBe(code);
    expect(m.message.length).toBeGreaterThan(5);
    expect(m.message).not.toMatch(/at .*\.(ts|js):\d+/); // never a stack trace
  }
}

describe('bad input over the Terminal API', () => {
  const cases: Array<[string, string, string]> = [
    ['unknown command', JSON.stringify({ id: 'b1', cmd: 'formatDisk' }), 'INVALID_COMMAND'],
    ['wrong type', JSON.stringify({ id: 'b2', cmd: 'setQuantity', lineId: 'L1', quantity: '3' }), 'INVALID_COMMAND'],
    ['fractional quantity', JSON.stringify({ id: 'b3', cmd: 'setQuantity', lineId: 'L1', quantity: 1.5 }), 'INVALID_COMMAND'],
    ['negative cash', JSON.stringify({ id: 'b4', cmd: 'tenderCash', amount: -100 }), 'INVALID_COMMAND'],
    ['extra field', JSON.stringify({ id: 'b5', cmd: 'scan', code: '123', price: 1 }), 'INVALID_COMMAND'],
    ['long barcode', JSON.stringify({ id: 'b6', cmd: 'scan', code: '7'.repeat(500) }), 'INVALID_COMMAND'],
    ['garbage barcode', JSON.stringify({ id: 'b7', cmd: 'scan', code: 'DROP TABLE item;' }), 'INVALID_BARCODE'],
    ['bad check digit', JSON.stringify({ id: 'b8', cmd: 'scan', code: '5901234123458' }), 'INVALID_BARCODE'],
    ['unknown item', JSON.stringify({ id: 'b9', cmd: 'scan', code: '5901234123457' }), 'ITEM_NOT_FOUND'],
    ['unknown line', JSON.stringify({ id: 'b10', cmd: 'voidLine', lineId: 'L999' }), 'LINE_NOT_FOUND'],
    ['complete unpaid', JSON.stringify({ id: 'b11', cmd: 'complete' }), 'INSUFFICIENT_TENDER'],
    ['sign in twice', JSON.stringify({ id: 'b12', cmd: 'signIn', operator: '1', pin: '1111' }), 'NOT_ALLOWED_NOW'],
  ];

  for (const [name, text, errorCode] of cases) {
    it(`${name} → ${errorCode}, nothing changed`, async () => {
      const before = client.snapshot!;
      const id = (JSON.parse(text) as { id: string }).id;
      expectError(await client.sendRaw(text, id), errorCode);
      const ping = await client.send({ cmd: 'ping' });
      expect(ping).toMatchObject({ type: 'ack', version: before.version });
      expect(client.snapshot).toEqual(before);
    });
  }

  it('a 1 MB barcode string → typed error, nothing changed, still serving', async () => {
    const before = client.snapshot!;
    client.ws.send(JSON.stringify({ id: 'huge', cmd: 'scan', code: '4'.repeat(1024 * 1024) }));
    expectError(await client.next((m) => m.type === 'error' && m.code === 'MESSAGE_TOO_LARGE'), 'MESSAGE_TOO_LARGE');
    expect(await client.send({ cmd: 'ping' })).toMatchObject({ type: 'ack', version: before.version });
    expect(client.snapshot).toEqual(before);
  });

  it('non-JSON and binary frames → typed errors', async () => {
    client.ws.send('{not json');
    expectError(await client.next((m) => m.type === 'error' && m.code === 'INVALID_MESSAGE'), 'INVALID_MESSAGE');
    client.ws.send(Buffer.from([0, 1, 2, 3]), { binary: true });
    expectError(await client.next((m) => m.type === 'error' && m.code === 'INVALID_MESSAGE'), 'INVALID_MESSAGE');
    expect(await client.send({ cmd: 'ping' })).toMatchObject({ type: 'ack' });
  });

  it('a valid command still works afterwards', async () => {
    const before = client.snapshot!;
    expect(await client.send({ cmd: 'scan', code })).toMatchObject({ type: 'ack', version: before.version + 1 });
    expect(client.snapshot!.checkout!.lines.length).toBeGreaterThan(before.checkout!.lines.length);
  });
});

describe('who may connect', () => {
  async function refused(url: string, origin?: string): Promise<number> {
    return new Promise((res) => {
      const ws = new WebSocket(url, origin ? { origin } : {});
      ws.on('unexpected-response', (_req, r) => res(r.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        res(101);
      });
      ws.on('error', () => res(-1));
    });
  }
  it('refuses a wrong token, a missing token and a foreign origin', async () => {
    expect(await refused(`ws://127.0.0.1:${core.port}/api?token=wrong-token-wrong-token`)).toBe(401);
    expect(await refused(`ws://127.0.0.1:${core.port}/api`)).toBe(401);
    expect(await refused(`ws://127.0.0.1:${core.port}/api?token=${core.token}`, 'https://evil.example')).toBe(401);
    expect(await refused(`ws://127.0.0.1:${core.port}/api?token=${core.token}`, `http://127.0.0.1:${core.port}`)).toBe(101);
  });
  it('serves the UI with a strict CSP and nothing outside it', async () => {
    const r = await fetch(`http://127.0.0.1:${core.port}/`);
    expect(r.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect((await fetch(`http://127.0.0.1:${core.port}/../package.json`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${core.port}/`, { method: 'POST' })).status).toBe(405);
  });
});
