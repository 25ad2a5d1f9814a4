/**
 * A Swedish till and its control unit beyond the receipt (core/fiscal/control-unit/till.ts, setup.ts):
 * while the unit is out the till asks it every few seconds, and the outage ends by itself — journalled,
 * every screen told — once it answers, with no refusal counted for the asking; a till with no unit
 * provisioned sells nothing and makes no receipt, and says so to store IT in the snapshot and to HQ.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock';
import { openDatabase, type Db } from '../../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { controlUnitFor } from '../../../core/fiscal/control-unit/setup';
import { ControlUnitSimulator } from '../../../core/fiscal/control-unit/simulator';
import { TillControlUnit } from '../../../core/fiscal/control-unit/till';
import { Journal } from '../../../core/journal';
import { LaneService } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PROFILES } from '../../../core/profile';
import { openAlerts } from '../../../core/sync/report';
import { refuse, run } from '../../helpers/lane';
import { SE_IDENTITY, SE_REGISTER } from '../../helpers/se-till';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

let t: { dir: string; cleanup: () => void };
let db: Db;
const clock = new ManualClock('2026-12-07T08:30:00.000Z');
beforeEach(() => {
  t = tempDir('kassa-cu-probe-');
  db = openDatabase(join(t.dir, 'lane.db'));
});
afterEach(() => {
  db.close();
  t.cleanup();
});

const kinds = () => db.prepare<[], { kind: string; body: string }>("SELECT kind, body FROM journal WHERE kind LIKE 'controlUnit.%' ORDER BY seq").all().map((r) => [r.kind, (JSON.parse(r.body) as { refused?: number }).refused]);

describe('a control unit that is out is asked every few seconds', () => {
  it('ends the outage by itself once the unit answers, tells the lane, and counts no refusal for the asking', async () => {
    const file = join(t.dir, 'lane.db-cu.sqlite');
    const sim = new ControlUnitSimulator(file, clock.now);
    let told = 0;
    const cu = new TillControlUnit(db, { port: sim, register: SE_REGISTER, device: 'simulator' }, new Journal(db), { now: clock.now, changed: () => told++, everyMs: 20 });
    writeFileSync(`${file}.unplugged`, '');
    expect(() => cu.check(clock.now().toISOString())).toThrow(/did not give a control code/);
    expect(cu.view()).toMatchObject({ state: 'outage', refused: 1, device: 'simulator' });
    // Out for a while: the probes find it out and change nothing.
    await new Promise((r) => setTimeout(r, 120));
    expect([cu.view().state, cu.view().refused, told]).toEqual(['outage', 1, 0]);
    rmSync(`${file}.unplugged`);
    await until('the probe finds the unit back', () => cu.view().state === 'ok');
    expect(told).toBe(1);
    expect(kinds()).toEqual([['controlUnit.outage', undefined], ['controlUnit.recovered', 1]]);
    // Back: no more probes (none runs while it answers).
    await new Promise((r) => setTimeout(r, 80));
    expect(told).toBe(1);
    cu.stop();
    sim.close();
  });

  it('asks again after a restart when the outage was still open, and stops asking when the lane is disposed', async () => {
    const file = join(t.dir, 'lane.db-cu.sqlite');
    const sim = new ControlUnitSimulator(file, clock.now);
    const journal = new Journal(db);
    writeFileSync(`${file}.unplugged`, '');
    const first = new TillControlUnit(db, { port: sim, register: SE_REGISTER }, journal);
    expect(() => first.check(clock.now().toISOString())).toThrow();
    let told = 0;
    const restarted = new TillControlUnit(db, { port: sim, register: SE_REGISTER }, journal, { now: clock.now, changed: () => told++, everyMs: 20 });
    const stopped = new TillControlUnit(db, { port: sim, register: SE_REGISTER }, journal, { now: clock.now, changed: () => told += 100, everyMs: 20 });
    stopped.stop();
    rmSync(`${file}.unplugged`);
    await until('the restarted till finds the unit back', () => restarted.view().state === 'ok');
    await new Promise((r) => setTimeout(r, 60));
    expect(told).toBe(1);
    restarted.stop();
    sim.close();
  });
});

describe('a Swedish till with no control unit provisioned', () => {
  it('starts no sale and makes no receipt, and says what store IT must do on the lane, the service screen and to HQ', () => {
    generateCatalog(db, {});
    seedDemoOperators(new Operators(db));
    const logs: string[] = [];
    const cu = controlUnitFor('SE', join(t.dir, 'lane.db'), SE_IDENTITY, clock.now, (l) => logs.push(l), null)!;
    const lane = new LaneService(db, new Catalog(db), PROFILES.SE, SE_IDENTITY, { now: clock.now, journal: new Journal(db), controlUnit: cu });
    run(lane, { cmd: 'signIn', operator: '1', pin: '1111' });
    run(lane, { cmd: 'openTill', float: [] });
    expect(refuse(lane, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! })).toBe('CONTROL_UNIT_NOT_CONFIGURED');
    expect(refuse(lane, { cmd: 'openItem', departmentId: 'mejeri', unitPrice: 1_000 })).toBe('CONTROL_UNIT_NOT_CONFIGURED');
    const snap = lane.snapshot();
    expect(snap.controlUnit).toMatchObject({ device: 'none', state: 'unconfigured', outageSince: null, refused: 0 });
    expect(snap.controlUnit!.reason).toMatch(/^No control unit is provisioned on this till: it may not make receipts; store IT provisions one: npm run provision -- --control-unit simulator\|<vendor>@<device>, or on a kiosk terminal the provisioning.json HQ writes with --control-unit\.$/);
    expect(openAlerts(snap).map((a) => a.code)).toContain('CONTROL_UNIT_NOT_CONFIGURED');
    expect(kinds()).toEqual([]); // no outage: nothing was ever there to answer
    lane.dispose();
  });
});
