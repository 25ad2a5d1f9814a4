/**
 * A kiosk's card decision through the attendant listener (issue 18.9): the attendant sees it (no
 * card data) and settles it with the lane's own resolvePayment, approved as the attendant; "not
 * charged" while the terminal has not answered takes a second, different supervisor's
 * confirmation — never the attendant's own, never a cashier's — and a command naming another
 * attempt is refused.
 */
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { AttendantMessageSchema, type AttendantMessage, type KioskView } from '../../../protocol/attendant';
import { AttendantServer } from '../../../core/api/attendant';
import { openDatabase } from '../../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import type { PaymentPort } from '../../../core/payments/port';
import { PROFILES } from '../../../core/profile';
import { run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';
import { testClock } from '../../helpers/clock';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A terminal whose link breaks mid-payment and that cannot be asked afterwards: the lane puts the payment before a supervisor. */
const unsure: PaymentPort = {
  authorize: async () => ({ approved: false, reason: 'the link broke', uncertain: true }),
  reverse: async () => ({ ok: false }),
  refund: async () => ({ ok: false }),
};

async function kioskWithDecision() {
  const tmp = tempDir();
  const db = openDatabase(join(tmp.dir, 'att.db'));
  generateCatalog(db, {});
  const operators = new Operators(db);
  seedDemoOperators(operators);
  operators.add('8', 'Per (supervisor)', 'supervisor', '8888');
  const service = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's1', storeName: 'Butiken', laneId: 'K2' }, { now: testClock(), config: { mode: 'self' }, payments: unsure });
  const server = new AttendantServer({ service, operators });
  await server.listen('127.0.0.1', 0);
  cleanups.push(() => tmp.cleanup(), () => void db.close(), () => service.dispose(), () => server.close());
  run(service, { cmd: 'signIn', operator: '7', pin: '7777' });
  run(service, { cmd: 'openTill', float: [] });
  run(service, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
  run(service, { cmd: 'tenderCard' });
  await until('a decision for a supervisor', () => service.snapshot().payment.decision !== null);

  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/attendant`);
  cleanups.push(() => void ws.terminate());
  const got: AttendantMessage[] = [];
  ws.on('message', (d) => got.push(AttendantMessageSchema.parse(JSON.parse(String(d)))));
  await new Promise((r) => ws.once('open', r));
  const send = (m: unknown) => ws.send(JSON.stringify(m));
  const kiosk = (): KioskView | null => [...got].reverse().flatMap((m) => (m.type === 'kiosk' || m.type === 'welcome' ? [m.kiosk] : []))[0] ?? null;
  /** The answer (ack or error) to command `id`. */
  const answer = async (id: string) => {
    await until(`answer to ${id}`, () => got.some((m) => (m.type === 'ack' || m.type === 'error') && m.id === id));
    return got.find((m) => (m.type === 'ack' || m.type === 'error') && m.id === id)!;
  };
  await until('hello', () => got.length > 0);
  send({ id: 's1', cmd: 'signIn', operator: '7', pin: '7777' });
  await until('welcome', () => got.some((m) => m.type === 'welcome'));
  return { service, db, send, kiosk, answer };
}

describe('a kiosk’s card decision in the attendant view', () => {
  it('is shown without card data and settled as the lane settles it: "not charged" takes a second, different supervisor', async () => {
    const { service, db, send, kiosk, answer } = await kioskWithDecision();
    const co = service.snapshot().checkout!;
    const attemptId = co.cardAttempt!.attemptId;
    expect(kiosk()?.decision).toEqual({ attemptId, amount: DEMO_ITEMS.milk.price, reason: 'the terminal cannot be asked about this payment', terminalAnswered: false, unreachableSince: null });
    expect(Object.keys(kiosk()!.decision!)).not.toContain('terminalReceipt');
    const ask = (id: string, extra: Record<string, unknown> = {}) => send({ id, cmd: 'resolvePayment', saleId: co.saleId, attemptId, outcome: 'notCharged', ...extra });

    send({ id: 'r0', cmd: 'resolvePayment', saleId: co.saleId, attemptId: 'another-attempt', outcome: 'notCharged', confirmation: { operator: '8', pin: '8888' } });
    expect(await answer('r0')).toMatchObject({ type: 'error', code: 'NOT_ALLOWED_NOW' });
    ask('r1');
    expect(await answer('r1')).toMatchObject({ type: 'error', code: 'CONFIRMATION_REQUIRED' });
    ask('r2', { confirmation: { operator: '7', pin: '7777' } }); // the attendant herself
    expect(await answer('r2')).toMatchObject({ type: 'error', code: 'APPROVAL_DENIED' });
    ask('r3', { confirmation: { operator: '2', pin: '2222' } }); // a cashier
    expect(await answer('r3')).toMatchObject({ type: 'error', code: 'APPROVAL_DENIED' });
    ask('r4', { confirmation: { operator: '8', pin: '9999' } }); // a wrong PIN
    expect(await answer('r4')).toMatchObject({ type: 'error', code: 'BAD_CREDENTIALS' });
    expect(service.snapshot().checkout!.state).toBe('cardPending');

    ask('r5', { confirmation: { operator: '8', pin: '8888' } });
    expect(await answer('r5')).toEqual({ type: 'ack', id: 'r5' });
    expect(kiosk()).toMatchObject({ state: 'subtotal', decision: null });
    const resolved = db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'payment.resolved'").all().map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(resolved).toMatchObject([{ attemptId, outcome: 'notCharged', approvedBy: '7', confirmedBy: '8' }]);
    expect(db.prepare('SELECT count(*) AS n FROM card_decision').get()).toEqual({ n: 0 });
  });
});
