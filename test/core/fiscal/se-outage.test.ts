/**
 * A Swedish till whose control unit stops answering (core/fiscal/control-unit/till.ts): the till may
 * not be used — no receipt without a control code, and no sale, return or copy starts — the paid
 * sale under way is kept and completes once the unit answers; the outage is journalled when it
 * starts and ends, shown in the snapshot and raised to HQ as an alert. The unit is pulled out the
 * way the demo and a running core pull it: its `<file>.unplugged` marker next to its own file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import type { LaneService } from '../../../core/lane/host';
import type { Db } from '../../../core/db';
import type { ManualClock } from '../../../core/clock';
import type { ControlUnitSimulator } from '../../../core/fiscal/control-unit/simulator';
import { ControlUnitError } from '../../../core/fiscal/control-unit/port';
import { openAlerts } from '../../../core/sync/report';
import { exec, refuse, run } from '../../helpers/lane';
import { openSwedishTill, type SwedishTill } from '../../helpers/se-till';
import { tempDir } from '../../helpers/tmp';

const MILK = DEMO_ITEMS.milk.codes[0]!;

let t: { dir: string; cleanup: () => void };
let till: SwedishTill;
let db: Db;
let clock: ManualClock;
let cu: ControlUnitSimulator;
let cuFile: string;
let lane: LaneService;
/** When set, the unit answers a status request but fails to register (it dies between the two). */
let failRegister = false;

beforeEach(() => {
  t = tempDir('kassa-se-outage-');
  failRegister = false;
  till = openSwedishTill(t.dir, '2026-12-07T08:30:00.000Z', {
    port: (sim) => ({
      manufacturingNumber: () => sim.manufacturingNumber(),
      register: (req) => {
        if (failRegister) throw new ControlUnitError('CU_UNAVAILABLE', 'the control unit does not answer');
        return sim.register(req);
      },
    }),
  });
  ({ db, clock, cu, cuFile, lane } = till);
});
afterEach(() => {
  till.close();
  t.cleanup();
});

const journalKinds = () => db.prepare<[], { kind: string; body: string }>("SELECT kind, body FROM journal WHERE kind LIKE 'controlUnit.%' ORDER BY seq").all().map((r) => ({ kind: r.kind, body: JSON.parse(r.body) as Record<string, unknown> }));
const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
const unplug = () => writeFileSync(`${cuFile}.unplugged`, '');
const plugIn = () => rmSync(`${cuFile}.unplugged`);

describe('the control unit does not answer', () => {
  it('keeps the paid sale open, makes no receipt, journals and alerts once; completes it when the unit is back', () => {
    run(lane, { cmd: 'scan', code: MILK });
    run(lane, { cmd: 'tenderCash', amount: 2_000 });
    unplug();
    clock.advance(5_000);
    expect(refuse(lane, { cmd: 'complete' }, ['controlUnit'])).toBe('CONTROL_UNIT_UNAVAILABLE');
    clock.advance(60_000);
    expect(refuse(lane, { cmd: 'complete' }, ['controlUnit'])).toBe('CONTROL_UNIT_UNAVAILABLE');
    // Nothing of the sale is written: no sale row, receipt, journal entry or control record; the sale is still there, paid.
    const snap = lane.snapshot();
    expect(snap.checkout?.state).toBe('paid');
    expect(snap.checkout?.lines.map((l) => l.name)).toEqual(['Mellanmjölk 1,5 % 1 l']);
    expect(count('SELECT count(*) AS n FROM sale') + count('SELECT count(*) AS n FROM receipt') + count("SELECT count(*) AS n FROM journal WHERE kind = 'sale.completed'")).toBe(0);
    expect(cu.records()).toEqual([]);
    // The outage is journalled once, shown, and raised to HQ.
    expect(journalKinds()).toEqual([{ kind: 'controlUnit.outage', body: { tillId: 'SOD-K3', since: '2026-12-07T08:30:05.000Z', reason: 'CU_UNAVAILABLE: the control unit does not answer' } }]);
    expect(snap.controlUnit).toEqual({ tillId: 'SOD-K3', device: 'simulator', state: 'outage', outageSince: '2026-12-07T08:30:05.000Z', reason: 'CU_UNAVAILABLE: the control unit does not answer', refused: 2 });
    expect(openAlerts(snap)).toContainEqual({ code: 'CONTROL_UNIT_OUTAGE', message: 'the control unit does not answer: the till may not sell; 2 attempt(s) refused (CU_UNAVAILABLE: the control unit does not answer)', since: '2026-12-07T08:30:05.000Z' });

    // A restart keeps both the paid sale and the outage.
    lane = till.restart();
    expect(lane.snapshot().checkout?.state).toBe('paid');
    expect(lane.snapshot().controlUnit?.state).toBe('outage');

    plugIn();
    clock.advance(60_000);
    const done = run(lane, { cmd: 'complete' }).lastSale!;
    expect(done.receiptText).toMatch(/^Kvittonummer {2,}1$/m);
    expect(done.receiptText).toMatch(new RegExp(`^Kontrollkod\n${cu.records()[0]!.controlCode.slice(0, 42)}`, 'm'));
    expect(journalKinds().map((e) => e.kind)).toEqual(['controlUnit.outage', 'controlUnit.recovered']);
    expect(journalKinds()[1]!.body).toEqual({ tillId: 'SOD-K3', since: '2026-12-07T08:30:05.000Z', reason: 'CU_UNAVAILABLE: the control unit does not answer', refused: 2 });
    expect(lane.snapshot().controlUnit).toMatchObject({ state: 'ok', outageSince: null, refused: 0 });
    expect(openAlerts(lane.snapshot()).map((a) => a.code)).not.toContain('CONTROL_UNIT_OUTAGE');
  });

  it('starts no sale, return or copy while it is out: the till may not be used', () => {
    run(lane, { cmd: 'scan', code: MILK });
    run(lane, { cmd: 'tenderCash', amount: 2_000 });
    const sale = run(lane, { cmd: 'complete' }).lastSale!;
    unplug();
    expect(refuse(lane, { cmd: 'scan', code: MILK }, ['controlUnit'])).toBe('CONTROL_UNIT_UNAVAILABLE');
    expect(lane.snapshot().checkout).toBeNull();
    expect(refuse(lane, { cmd: 'reprintReceipt', saleId: sale.saleId }, ['controlUnit'])).toBe('CONTROL_UNIT_UNAVAILABLE');
    expect(refuse(lane, { cmd: 'returnLines', receiptCode: `R${sale.saleId.replace(/-/g, '')}`, lines: [{ lineId: 'L1', quantity: 1 }], reason: 'Trasig' }, ['controlUnit'])).toBe('CONTROL_UNIT_UNAVAILABLE');
    expect(refuse(lane, { cmd: 'openItem', departmentId: 'mejeri', unitPrice: 1_000 }, ['controlUnit'])).toBe('CONTROL_UNIT_UNAVAILABLE');
    expect(lane.snapshot().controlUnit?.refused).toBe(4);
    expect(cu.records()).toHaveLength(1);
    plugIn();
    run(lane, { cmd: 'scan', code: MILK });
    expect(lane.snapshot().controlUnit?.state).toBe('ok');
    expect(journalKinds().map((e) => [e.kind, e.body.refused])).toEqual([
      ['controlUnit.outage', undefined],
      ['controlUnit.recovered', 4],
    ]);
  });

  it('takes no payment for a sale it cannot make a receipt for: the basket stays, and is paid once the unit answers', () => {
    run(lane, { cmd: 'scan', code: MILK });
    unplug();
    expect(refuse(lane, { cmd: 'tenderCash', amount: 2_000 }, ['controlUnit'])).toBe('CONTROL_UNIT_UNAVAILABLE');
    expect(refuse(lane, { cmd: 'tenderCard' }, ['controlUnit'])).toBe('CONTROL_UNIT_UNAVAILABLE');
    expect(lane.snapshot().checkout).toMatchObject({ state: 'scanning', tenders: [] });
    expect(lane.snapshot().checkout?.lines).toHaveLength(1);
    plugIn();
    run(lane, { cmd: 'tenderCash', amount: 2_000 });
    expect(run(lane, { cmd: 'complete' }).lastSale?.receiptText).toMatch(/^Kvittonummer {2,}1$/m);
  });

  it('at a self-checkout, a basket the kiosk cannot sell is kept for the customer waiting for help: no idle prompt, never abandoned', () => {
    till.close();
    mkdirSync(join(t.dir, 'kiosk'));
    till = openSwedishTill(join(t.dir, 'kiosk'), '2026-12-07T08:30:00.000Z', { config: { mode: 'self', idleAbandonMs: 120_000, idleWarnMs: 30_000 } });
    ({ db, clock, cu, cuFile, lane } = till);
    run(lane, { cmd: 'scan', code: MILK });
    unplug();
    expect(refuse(lane, { cmd: 'tenderCard' }, ['controlUnit'])).toBe('CONTROL_UNIT_UNAVAILABLE');
    clock.advance(600_000);
    lane.tickIdle();
    expect(lane.snapshot().lane.selfCheckout?.idleUntil).toBeNull();
    expect(lane.snapshot().checkout?.lines).toHaveLength(1);
    expect(journalKinds().map((e) => e.kind)).toContain('controlUnit.outage');
    expect(count("SELECT count(*) AS n FROM journal WHERE kind = 'sale.abandoned'")).toBe(0);
    // The kiosk called staff for the customer (the attendant's card says why).
    expect(lane.snapshot().lane.help).toMatchObject({ reason: 'idle' });
  });

  it('a unit that fails between the check and the receipt: the sale is not completed, and the failure is journalled all the same', () => {
    run(lane, { cmd: 'scan', code: MILK });
    run(lane, { cmd: 'tenderCash', amount: 2_000 });
    failRegister = true;
    expect(refuse(lane, { cmd: 'complete' }, ['controlUnit'])).toBe('CONTROL_UNIT_UNAVAILABLE');
    expect(count('SELECT count(*) AS n FROM sale')).toBe(0);
    expect(lane.snapshot().controlUnit).toMatchObject({ state: 'outage', refused: 1 });
    failRegister = false;
    clock.advance(30_000);
    const done = exec(lane, { cmd: 'complete' });
    expect(done.version).toBeGreaterThan(0);
    expect(lane.snapshot().lastSale?.receiptText).toMatch(/^Kvittonummer {2,}1$/m);
    expect(journalKinds().map((e) => [e.kind, e.body.since, e.body.refused])).toEqual([
      ['controlUnit.outage', '2026-12-07T08:30:00.000Z', undefined],
      ['controlUnit.recovered', '2026-12-07T08:30:00.000Z', 1],
    ]);
  });
});
