/** X and Z reports on paper: the Z report always (it goes with the day's cash), the X report when asked. */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PrintQueue } from '../../../core/printing/queue';
import { PROFILES } from '../../../core/profile';
import { run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { testClock } from '../../helpers/clock';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'rep.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

it('prints the X report on request and the Z report always, with store, lane and the figures', () => {
  const queue = new PrintQueue(db);
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Butiken Centrum', laneId: '3' }, { now: testClock(), printQueue: queue });
  run(s, { cmd: 'signIn', operator: '7', pin: '7777' });
  run(s, { cmd: 'openTill', float: [{ denomination: 10_000, count: 2 }] });
  run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
  run(s, { cmd: 'tenderCash', amount: 2000 });
  run(s, { cmd: 'complete', receipt: 'none' });
  const jobs = () => db.prepare<[], { job_key: string; kind: string; text: string }>("SELECT job_key, kind, CAST(bytes AS TEXT) AS text FROM print_job WHERE kind = 'report' ORDER BY created_at, job_key").all();
  run(s, { cmd: 'xReport' });
  expect(jobs()).toHaveLength(0);
  run(s, { cmd: 'xReport', print: true });
  expect(jobs()).toHaveLength(1);
  // In the store's language and at the store's time (the test clock: Monday 10:00 in Stockholm);
  // the printer's code page turns å, ä, ö into single bytes, matched here by '.'.
  expect(jobs()[0]!.text).toMatch(/Butiken Centrum[\s\S]*X-RAPPORT[\r\n]+2026-11-23 10:00 - 2026-11-23 10:0\d[\r\n]+-+[\r\n]+F.rs.ljning 1\s+17,00[\r\n]+  Kontant\s+17,00/);
  run(s, { cmd: 'closeTill', counted: [{ denomination: 10_000, count: 2 }, { denomination: 100, count: 17 }] });
  const z = jobs().find((j) => j.job_key.startsWith('z:'));
  expect(z?.text).toMatch(/Z-RAPPORT 1[\s\S]*F.rv.ntat i l.dan\s+217,00[\r\n]+R.knat\s+217,00[\r\n]+Differens\s+0,00[\s\S]*Totalsumma \(GT\)\s+17,00/);
  expect(z?.text).not.toMatch(/Counted|Expected|Grand total|Sales/);
  // It ends with the journal's head — the Z report's own entry — as seq:hash over two lines, the
  // anchor the journal verifier takes; it is the journal's last entry when the report is printed.
  const head = db.prepare<[], { seq: number; hash: string; kind: string }>('SELECT seq, hash, kind FROM journal ORDER BY seq DESC LIMIT 1').get()!;
  expect(head.kind).toBe('report.z');
  const printed = /Journalens huvud \(nr:hash\)[\r\n]+(\d+):([0-9a-f]{32})[\r\n]+([0-9a-f]{32})/.exec(z!.text);
  expect(printed && `${printed[1]}:${printed[2]}${printed[3]}`).toBe(`${head.seq}:${head.hash}`);
});
