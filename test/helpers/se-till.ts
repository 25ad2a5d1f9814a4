/**
 * A Swedish till for tests: a real SQLite lane database with the demo catalog, the lane service with
 * the control unit simulator (its own file, `lane.db-cu.sqlite`), a manual clock, a signed-in
 * cashier and an open till.
 */
import { join } from 'node:path';
import { openDatabase, type Db } from '../../core/db';
import { generateCatalog } from '../../core/catalog/demo';
import { Catalog } from '../../core/catalog/repo';
import { LaneService } from '../../core/lane/host';
import type { LaneServiceOptions } from '../../core/lane/context';
import { Operators, seedDemoOperators } from '../../core/operators';
import { PROFILES } from '../../core/profile';
import { Journal } from '../../core/journal';
import { ControlUnitSimulator } from '../../core/fiscal/control-unit/simulator';
import type { ControlUnitPort } from '../../core/fiscal/control-unit/port';
import type { SeRegister } from '../../core/fiscal/control-unit/till';
import { ManualClock } from '../../core/clock';
import { run } from './lane';

export const SE_IDENTITY = { storeId: 'sthlm-01', storeName: 'Kassa Södermalm', laneId: '3' };
export const SE_REGISTER: SeRegister = { orgNumber: '556677-8899', companyName: 'Kassa Livs AB', address: 'Götgatan 1, 118 46 Stockholm', tillId: 'SOD-K3' };

export interface SwedishTill {
  db: Db;
  clock: ManualClock;
  cu: ControlUnitSimulator;
  /** The control unit's own file (`<file>.unplugged` pulls it out). */
  cuFile: string;
  lane: LaneService;
  /** A new lane service on the same database and unit (a restarted core). */
  restart(): LaneService;
  close(): void;
}

/** `port` wraps the simulator (a unit that fails in some way); the simulator itself by default. */
export function openSwedishTill(dir: string, start: string, opts: { port?: (cu: ControlUnitSimulator) => ControlUnitPort; config?: LaneServiceOptions['config'] } = {}): SwedishTill {
  const clock = new ManualClock(start);
  const db = openDatabase(join(dir, 'lane.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
  const cuFile = join(dir, 'lane.db-cu.sqlite');
  const cu = new ControlUnitSimulator(cuFile, clock.now);
  const make = () => new LaneService(db, new Catalog(db), PROFILES.SE, SE_IDENTITY, { now: clock.now, journal: new Journal(db), controlUnit: { port: opts.port ? opts.port(cu) : cu, register: SE_REGISTER, device: 'simulator' }, ...(opts.config ? { config: opts.config } : {}) });
  const till: SwedishTill = {
    db,
    clock,
    cu,
    cuFile,
    lane: make(),
    restart: () => (till.lane = make()),
    close: () => {
      cu.close();
      db.close();
    },
  };
  run(till.lane, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(till.lane, { cmd: 'openTill', float: [] });
  return till;
}
