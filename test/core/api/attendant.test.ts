/**
 * The attendant listener over a real socket: nothing before attendant credentials, cashiers are
 * refused, a supervisor watches the kiosk and approves its age check, voids a line, clears help;
 * garbage and oversized messages get clear errors and change nothing.
 */
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AttendantMessageSchema, type AttendantMessage, type KioskView } from '../../../protocol/attendant';
import { AttendantServer } from '../../../core/api/attendant';
import { openDatabase, type Db } from '../../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PROFILES } from '../../../core/profile';
import { run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';
import { testClock } from '../../helpers/clock';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let service: LaneService;
let server: AttendantServer;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'att.db'));
  generateCatalog(db, {});
  const operators = new Operators(db);
  seedDemoOperators(operators);
  service = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's1', storeName: 'Butiken', laneId: 'K2' }, { now: testClock(), config: { mode: 'self' } });
  run(service, { cmd: 'signIn', operator: '7', pin: '7777' });
  run(service, { cmd: 'openTill', float: [] });
  server = new AttendantServer({ service, operators, peers: ['10.0.0.12:7010'] });
  await server.listen('127.0.0.1', 0);
});
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server.close();
  service.dispose();
  db.close();
  tmp.cleanup();
});

/** A connected attendant client that keeps every message it got. */
async function connect(): Promise<{ ws: WebSocket; got: AttendantMessage[]; send: (m: unknown) => void; kiosk: () => KioskView | null }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/attendant`, { origin: 'http://10.0.0.9:7010' });
  sockets.push(ws);
  const got: AttendantMessage[] = [];
  ws.on('message', (d) => got.push(AttendantMessageSchema.parse(JSON.parse(String(d)))));
  await new Promise((r) => ws.once('open', r));
  await until('attendant message', () => got.length > 0);
  const kiosk = () => {
    for (let i = got.length - 1; i >= 0; i--) {
      const m = got[i]!;
      if (m.type === 'kiosk' || m.type === 'welcome') return m.kiosk;
    }
    return null;
  };
  return { ws, got, send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)), kiosk };
}

const last = (got: AttendantMessage[]) => got[got.length - 1];

describe('attendant listener', () => {
  it('shows nothing before attendant credentials; refuses cashiers and wrong PINs', async () => {
    const c = await connect();
    expect(c.got[0]).toEqual({ type: 'hello', protocol: 1, peers: ['10.0.0.12:7010'] });
    c.send({ id: 'x1', cmd: 'clearHelp' });
    await until('attendant message', () => c.got.length === 2);
    expect(last(c.got)).toMatchObject({ type: 'error', id: 'x1', code: 'UNAUTHORIZED' });
    c.send({ id: 'x2', cmd: 'signIn', operator: '1', pin: '1111' });
    await until('attendant message', () => c.got.length === 3);
    expect(last(c.got)).toMatchObject({ type: 'error', id: 'x2', code: 'APPROVAL_DENIED' });
    c.send({ id: 'x3', cmd: 'signIn', operator: '7', pin: '0000' });
    await until('attendant message', () => c.got.length === 4);
    expect(last(c.got)).toMatchObject({ type: 'error', id: 'x3', code: 'BAD_CREDENTIALS' });
    run(service, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    await new Promise((r) => setTimeout(r, 100));
    expect(c.got.some((m) => m.type === 'kiosk' || m.type === 'welcome')).toBe(false);
  });

  it('a supervisor watches the kiosk, approves its age check, voids a line and clears its help call', async () => {
    const c = await connect();
    c.send({ id: 's1', cmd: 'signIn', operator: '7', pin: '7777' });
    await until('attendant message', () => last(c.got)?.type === 'welcome');
    expect(last(c.got)).toMatchObject({ attendant: { operator: '7' }, kiosk: { laneId: 'K2', mode: 'self', state: 'idle', help: null } });
    run(service, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(service, { cmd: 'scan', code: DEMO_ITEMS.snus.codes[0]! });
    run(service, { cmd: 'callHelp' });
    await until('attendant message', () => c.kiosk()?.help !== null && c.kiosk()?.ageCheckPending === 18);
    expect(c.kiosk()?.basket?.lines.map((l) => l.name)).toEqual([DEMO_ITEMS.milk.name, DEMO_ITEMS.snus.name]);

    const saleId = c.kiosk()!.basket!.saleId;
    c.send({ id: 'a0', cmd: 'approveAge', saleId, age: 20 }); // not the age the kiosk waits for
    c.send({ id: 'a1', cmd: 'approveAge', saleId, age: 18 });
    await until('attendant message', () => c.kiosk()?.ageCheckPending === null);
    c.send({ id: 'a2', cmd: 'voidLine', saleId, lineId: 'L1' });
    await until('attendant message', () => c.kiosk()?.basket?.lines[0]?.voided === true);
    c.send({ id: 'a3', cmd: 'clearHelp' });
    await until('attendant message', () => c.kiosk()?.help === null);
    expect(c.got.filter((m) => m.type === 'ack').map((m) => (m as { id: string }).id)).toEqual(['a1', 'a2', 'a3']);
    expect(c.got.find((m) => m.type === 'error' && m.id === 'a0')).toMatchObject({ code: 'NOT_ALLOWED_NOW' });
    // The basket ends; a click made on it lands nowhere, not on the next customer's basket.
    run(service, { cmd: 'cancelSale' });
    run(service, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    c.send({ id: 'a4', cmd: 'voidLine', saleId, lineId: 'L1' });
    await until('attendant message', () => c.got.some((m) => m.type === 'error' && m.id === 'a4'));
    expect(service.snapshot().checkout?.lines[0]?.voided).toBe(false);
    const approvals = (db.prepare("SELECT body FROM journal WHERE kind = 'approval' ORDER BY seq").all() as Array<{ body: string }>).map((r) => JSON.parse(r.body));
    expect(approvals.map((a) => [a.action, a.approvedBy])).toEqual([
      ['ageCheck', '7'],
      ['voidLine', '7'],
    ]);
  });

  it('answers garbage, unknown commands and oversized messages with errors, and goes on', async () => {
    const c = await connect();
    c.send('not json');
    c.send({ id: 'g1', cmd: 'openDrawer' });
    c.send({ id: 'g2', cmd: 'approveAge', extra: 1 });
    c.send('x'.repeat(5000));
    await until('attendant message', () => c.got.length === 5);
    expect(c.got.slice(1).map((m) => (m.type === 'error' ? m.code : m.type))).toEqual(['INVALID_MESSAGE', 'INVALID_COMMAND', 'INVALID_COMMAND', 'INVALID_MESSAGE']);
    c.send({ id: 's1', cmd: 'signIn', operator: '7', pin: '7777' });
    await until('attendant message', () => last(c.got)?.type === 'welcome');
  });

  it('closes a connection after three wrong sign-ins', async () => {
    const c = await connect();
    const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)));
    for (const pin of ['0001', '0002', '0003']) c.send({ id: `p${pin}`, cmd: 'signIn', operator: '2', pin });
    expect(await closed).toBe(4003);
  });
});
