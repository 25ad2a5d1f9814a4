/** The checkout scale over a real serial line (socat PTY pair) against the scale simulator. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../core/db';
import { generateCatalog } from '../../core/catalog/demo';
import { Catalog } from '../../core/catalog/repo';
import { LaneService } from '../../core/lane/host';
import { scaleWeightSource } from '../../core/devices/scale';
import { Operators, seedDemoOperators } from '../../core/operators';
import { PROFILES } from '../../core/profile';
import { openPtyPair, type PtyPair } from '../../drivers/serial/pty';
import { ScaleSimulator } from '../../drivers/scale/toledo8217/simulator';
import { ToledoScale } from '../../drivers/scale/toledo8217/device';
import { exec, refuse, run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';
import { CoreError } from '../../core/errors';
import { testClock } from '../helpers/clock';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let pty: PtyPair;
let sim: ScaleSimulator;
let scale: ToledoScale;
let s: LaneService;
const warnings: string[] = [];


beforeEach(async () => {
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'scale.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
  pty = await openPtyPair();
  sim = new ScaleSimulator();
  await sim.open(pty.device);
  scale = new ToledoScale(pty.host, 40);
  scale.on('warning', (w) => warnings.push(w));
  await scale.start();
  s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'B', laneId: '1' }, { now: testClock(), scale: scaleWeightSource(scale, 500) });
  run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(s, { cmd: 'openTill', float: [] });
});
afterEach(async () => {
  await scale.stop();
  await sim.close();
  await pty.close();
  db.close();
  tmp.cleanup();
});

/** Waits for a fresh reading after a change on the simulator. */
async function settle(): Promise<void> {
  const t = performance.now(); // readings are stamped with elapsed time, not the wall clock
  await until('a fresh reading', () => (scale.latest?.at ?? 0) > t + 50);
}

describe('Toledo scale over a PTY', () => {
  it('a PLU item takes the stable weight as reported', async () => {
    sim.set({ grams: 1234, stable: true });
    await settle();
    const line = run(s, { cmd: 'scan', code: '4011' }).checkout!.lines[0]!;
    expect(line).toMatchObject({ name: 'Bananer', unit: 'weight', weightGrams: 1234, total: 3073 });
  });

  it('no stable weight → no line, with the reason', async () => {
    const cases: Array<[Partial<ScaleSimulator['state']>, string]> = [
      [{ grams: 800, stable: false }, 'inMotion'],
      [{ grams: 16_000, stable: true }, 'overCapacity'],
      [{ grams: 100, stable: true, tareGrams: 200 }, 'underZero'],
      [{ grams: 0, stable: true, tareGrams: 0 }, 'zero'],
    ];
    for (const [state, reason] of cases) {
      sim.set(state);
      await settle();
      let err: CoreError | null = null;
      try {
        exec(s, { cmd: 'scan', code: '4011' });
      } catch (e) {
        err = e as CoreError;
      }
      expect(err?.code, reason).toBe('WEIGHT_REQUIRED');
      expect(err?.params.reason, reason).toBe(reason);
    }
    expect(s.snapshot().checkout).toBeNull();
  });

  it('net weight with a tare', async () => {
    sim.set({ grams: 1450, tareGrams: 200, stable: true });
    await settle();
    expect(run(s, { cmd: 'scan', code: '4011' }).checkout!.lines[0]!.weightGrams).toBe(1250);
  });

  it('ignores garbage on the line with a warning; the next weight works', async () => {
    sim.set({ grams: 500, stable: true });
    sim.inject([0x41, 0x42, 0xff, 0x00]);
    await settle();
    expect(warnings.some((w) => /stray byte/.test(w))).toBe(true);
    expect(run(s, { cmd: 'scan', code: '4011' }).checkout!.lines[0]!.weightGrams).toBe(500);
  });

  it('a silent scale goes offline and weighing is refused as stale', async () => {
    sim.set({ grams: 500, stable: true });
    await settle();
    const states: string[] = [];
    scale.on('state', ({ state }) => states.push(state));
    sim.set({ silent: true });
    await until('offline', () => states.includes('offline'));
    expect(refuse(s, { cmd: 'scan', code: '4011' })).toBe('WEIGHT_REQUIRED');
    sim.set({ silent: false });
    await until('online again', () => states.includes('online'));
    await settle();
    expect(run(s, { cmd: 'scan', code: '4011' }).checkout!.lines).toHaveLength(1);
  });
});
