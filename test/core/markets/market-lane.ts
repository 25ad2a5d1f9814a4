/** A market's demo store on a real database, signed in with its till open: the lane the market tests sell on. */
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openDatabase, type Db } from '../../../core/db';
import { generateCatalog } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PROFILES } from '../../../core/profile';
import type { Profile } from '../../../protocol/terminal';
import { testClock } from '../../helpers/clock';
import { run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';

/** A fresh database per test (closed and removed after it); `db()` is the current one. */
export function useMarketDb(): { db: () => Db; lane: (country: Profile['country']) => LaneService } {
  let tmp: ReturnType<typeof tempDir>;
  let db: Db;
  beforeEach(() => {
    tmp = tempDir();
    db = openDatabase(join(tmp.dir, 'd.db'));
  });
  afterEach(() => {
    if (db.open) db.close();
    tmp.cleanup();
  });
  return {
    db: () => db,
    lane(country) {
      generateCatalog(db, { country });
      seedDemoOperators(new Operators(db));
      const s = new LaneService(db, new Catalog(db), PROFILES[country], { storeId: 's', storeName: 'Demo', laneId: '1' }, { now: testClock() });
      run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
      run(s, { cmd: 'openTill', float: [{ denomination: 10_000, count: 5 }] });
      return s;
    },
  };
}
