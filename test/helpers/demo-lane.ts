/** A lane on a fresh SQLite file with the demo catalog and staff, signed in with the till open. */
import { join } from 'node:path';
import { openDatabase, type Db } from '../../core/db';
import { generateCatalog } from '../../core/catalog/demo';
import { Catalog } from '../../core/catalog/repo';
import { LaneService, type LaneServiceOptions } from '../../core/lane/host';
import { Operators, seedDemoOperators } from '../../core/operators';
import { PROFILES } from '../../core/profile';
import { Journal } from '../../core/journal';
import { loadOrCreateTerminalSigner } from '../../core/journal/signer';
import { run } from './lane';
import { testClock } from './clock';

export function demoDb(dir: string, file = 'lane.db'): Db {
  const db = openDatabase(join(dir, file));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
  return db;
}

/** Its journal is signed with the terminal's key, as core/main.ts signs it (HQ checks the signatures). */
export function openDemoLane(db: Db, opts: Partial<LaneServiceOptions> = {}, storeName = 'Testbutiken'): LaneService {
  const now = opts.now ?? testClock();
  const journal = opts.journal ?? new Journal(db, { signer: loadOrCreateTerminalSigner(db, now) });
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName, laneId: '1' }, { ...opts, now, journal });
  run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(s, { cmd: 'openTill', float: [] });
  return s;
}
