/** The customer pole display over a real PTY: item + price and total while selling, change, thanks. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { openDatabase, type Db } from '../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../core/catalog/demo';
import { Catalog } from '../../core/catalog/repo';
import { LaneService } from '../../core/lane/host';
import { feedDisplay } from '../../core/devices/display';
import { Operators, seedDemoOperators } from '../../core/operators';
import { PROFILES } from '../../core/profile';
import { openPtyPair, type PtyPair } from '../../drivers/serial/pty';
import { PoleDisplay } from '../../drivers/display/device';
import { DisplaySimulator } from '../../drivers/display/simulator';
import { run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';
import { testClock } from '../helpers/clock';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let pty: PtyPair;
let sim: DisplaySimulator;
let display: PoleDisplay;
let s: LaneService;

beforeEach(async () => {
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'd.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
  s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Kassa Demo Store', laneId: '1' }, { now: testClock() });
  pty = await openPtyPair();
  sim = new DisplaySimulator();
  await sim.open(pty.device);
  display = new PoleDisplay(pty.host);
  await display.start();
  feedDisplay(display, s);
});
afterEach(async () => {
  await display.stop();
  await sim.close();
  await pty.close();
  db.close();
  tmp.cleanup();
});

const shows = (top: string, bottom: string) => () => sim.lines()[0] === top && sim.lines()[1] === bottom;

describe('pole display', () => {
  it('welcomes, shows the item and the total, the change, then thanks', async () => {
    await until('welcome', shows('Kassa Demo Store    ', 'Välkommen!          '));
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    run(s, { cmd: 'openTill', float: [] });
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    await until('item line', shows('Mellanmjölk 1, 16,95', 'TOTALT         16,95'));
    run(s, { cmd: 'scan', code: DEMO_ITEMS.butter.codes[0]! });
    await until('second item', shows('Smör normalsal 54,90', 'TOTALT         71,85'));
    run(s, { cmd: 'tenderCash', amount: 10_000 });
    await until('change', shows('Betalt        100,00', 'Växel          28,00'));
    run(s, { cmd: 'complete' });
    await until('thanks', () => sim.lines()[0].startsWith('Tack för ditt köp!'));
  });
});
