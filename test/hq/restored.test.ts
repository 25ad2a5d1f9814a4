/**
 * HQ restored from an older backup (docs/design.md, "HQ restored from a backup"): its catalog and
 * staff counters go back, while its terminals hold newer ones they would refuse to trade for older.
 * HQ learns from their check-ins what they hold, says on the fleet page that it is behind them, and
 * numbers its next catalog and its next staff change past them, so those reach every terminal.
 * On SQLite the restore is real (HQ stopped, its database file put back from a copy taken earlier);
 * on both backends a terminal reporting more than HQ ever issued moves HQ's numbering past it.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../core/catalog/repo';
import { Operators } from '../../core/operators';
import { StaffListRepo } from '../../core/operators/staff';
import { CatalogUpdater, pinCatalogKey } from '../../core/sync/catalog';
import { enroll, loadHqLink, signedPost } from '../../core/sync/link';
import { checkinReport } from '../../core/sync/report';
import { Uploader } from '../../core/sync/uploader';
import { applyJsonInput, applyPricesCsv, emptyContent } from '../../hq/catalog-input';
import { latestContent, loadOrCreateCatalogKey, publishCatalog } from '../../hq/catalog';
import { migrate, sqliteSql, type Sql } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import { removeStaff, setStaff } from '../../hq/staff';
import { gtinCheckDigit } from '../../protocol/gtin';
import { demoDb, openDemoLane } from '../helpers/demo-lane';
import { run } from '../helpers/lane';
import { hqBackends, listenHq, minimalCheckin } from '../helpers/hq-backends';
import { tempDir } from '../helpers/tmp';

const MIGRATIONS = join(__dirname, '../../migrations/hq');
const ADMIN = 'admin-token-for-restore-tests-0123456789';
const tmp = tempDir('kassa-hq-restored-');
afterAll(() => tmp.cleanup());

const MILK = `731${'1'.padStart(9, '0')}`;
const MILK_CODE = MILK + gtinCheckDigit(MILK);
const CATALOG = JSON.stringify({
  vatClasses: [{ id: 'food', name: 'Livsmedel', rateBp: 1200 }],
  departments: [{ id: 'mejeri', name: 'Mejeri' }],
  items: [{ id: 'milk', name: 'Mjölk 1 l', department: 'mejeri', vat: 'food', price: 17.95, barcodes: [MILK_CODE] }],
});

describe('HQ on SQLite restored from an older backup', () => {
  const hqFile = join(tmp.dir, 'hq.db');
  const backupFile = join(tmp.dir, 'hq-backup.db');
  const catalogDir = join(tmp.dir, 'hq-catalog');
  const signer = loadOrCreateCatalogKey(join(tmp.dir, 'catalog-key.pem')).signer;
  let sql: Sql;
  let store: HqStore;
  let url: string;
  let port = 0;
  let close: () => Promise<void> = async () => {};
  const start = async () => {
    sql = sqliteSql(hqFile);
    await migrate(sql, MIGRATIONS);
    store = new HqStore(sql);
    ({ url, port, close } = await listenHq({ store, adminToken: ADMIN, catalogDir }, port));
  };
  const stop = async () => {
    await close();
    await sql.close();
  };
  afterAll(stop);

  const fleetProblems = async () => {
    const r = (await (await fetch(`${url}/v1/fleet`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { terminals: Array<{ problems: Array<{ code: string; text: string }> }> };
    return r.terminals[0]!.problems.filter((p) => p.code === 'hqBehind').map((p) => p.text);
  };
  const publishPrice = async (price: string) => publishCatalog(store, catalogDir, signer, applyPricesCsv((await latestContent(store, catalogDir)).content, `id;price\nmilk;${price}\n`, 'p.csv'));

  it('takes the next catalog and staff change after the restore; the fleet page says HQ is behind until then; the sales it lost come again', async () => {
    await start();
    const db = demoDb(tmp.dir, 'lane.db');
    await enroll(db, url, await store.createEnrollmentToken('s1', '1'), '0.1.0');
    pinCatalogKey(db, signer.publicKey);
    const lane = openDemoLane(db);
    const updater = new CatalogUpdater(db, loadHqLink(db)!, { downloadPath: join(tmp.dir, 'dl'), report: () => checkinReport(lane.snapshot()) });
    const log: string[] = [];
    const drain = () => new Uploader(db, loadHqLink(db)!, { log: (l) => log.push(l) }).drain();
    const sellMilk = () => (run(lane, { cmd: 'scan', code: MILK_CODE }), run(lane, { cmd: 'tenderCash' }), run(lane, { cmd: 'complete' }));
    const atHq = async () => (await sql.query<{ sequence: number }>('SELECT sequence FROM sale ORDER BY sequence')).map((r) => Number(r.sequence));
    const price = () => new Catalog(db).findByCode(`0${MILK_CODE}`)?.price ?? null;
    const signIn = (id: string, pin: string) => {
      try {
        return new Operators(db).authenticate(id, pin).name;
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    const now = new Date();

    // Before the backup: catalog v1, staff list v1 (Anna).
    expect(await publishCatalog(store, catalogDir, signer, applyJsonInput(emptyContent(), CATALOG, 'c.json'))).toMatchObject({ version: 1 });
    expect(await setStaff(sql, { storeId: 's1', id: '12', name: 'Anna', role: 'cashier', pin: '4821' }, now)).toBe(1);
    await updater.check();
    expect(new StaffListRepo(db).current()).toMatchObject({ version: 1 });
    for (let i = 0; i < 3; i++) sellMilk();
    await drain();
    await stop();
    copyFileSync(hqFile, backupFile); // the nightly backup
    await start();

    // After it: catalog v2, Bo added (staff v2); the terminal takes both.
    expect(await publishPrice('18,95')).toMatchObject({ version: 2 });
    expect(await setStaff(sql, { storeId: 's1', id: '13', name: 'Bo', role: 'cashier', pin: '1313' }, now)).toBe(2);
    expect(await updater.check()).toMatchObject({ version: 2 });
    expect([price(), signIn('13', '1313')]).toEqual([1895, 'Bo']);
    for (let i = 0; i < 2; i++) sellMilk();
    await drain();
    expect(await atHq()).toEqual([1, 2, 3, 4, 5]);
    expect(db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 }); // HQ had them: the outbox let them go

    // HQ is lost and restored from the backup: it has catalog v1 and staff v1 again.
    await stop();
    for (const f of [hqFile, `${hqFile}-wal`, `${hqFile}-shm`]) rmSync(f, { force: true });
    copyFileSync(backupFile, hqFile);
    await start();
    expect(await store.latestCatalog()).toMatchObject({ version: 1 });
    expect(await atHq()).toEqual([1, 2, 3]);
    // The next sale's upload hears HQ hold only through 3: sales 4 and 5 go again, from the till's own sales.
    sellMilk();
    await drain();
    expect(await atHq()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log.join('\n')).toMatch(/holds sales only through 3, not 5/);
    expect(Number((await sql.query<{ n: number }>('SELECT count(*) AS n FROM rejected_sale'))[0]!.n)).toBe(0);
    // The terminal keeps what it has (an older catalog is a rollback), and says so at its check-in.
    expect(await updater.check()).toMatchObject({ version: 2 });
    expect([price(), signIn('13', '1313')]).toEqual([1895, 'Bo']);
    expect(await fleetProblems()).toEqual([
      "holds catalog v2, newer than HQ's newest (v1): was HQ restored from an older backup? Publish the catalog again",
      "holds staff list v2, newer than HQ's (v1): was HQ restored from an older backup? Make the staff changes since the backup again",
    ]);

    // Store IT publishes and makes the staff changes again: numbered past what the terminal holds, they reach it.
    const v = await publishPrice('19,50');
    expect(v).toMatchObject({ version: 3, delta: null });
    expect(await setStaff(sql, { storeId: 's1', id: '14', name: 'Cecilia', role: 'supervisor', pin: '1414' }, now)).toBe(3);
    expect(await removeStaff(sql, 's1', '12', now)).toBe(true);
    expect(await updater.check()).toMatchObject({ version: 3, lastError: null });
    expect(new StaffListRepo(db).current()).toMatchObject({ version: 4, count: 1 });
    expect([price(), signIn('14', '1414'), signIn('12', '4821'), signIn('13', '1313')]).toEqual([1950, 'Cecilia', 'BAD_CREDENTIALS', 'BAD_CREDENTIALS']);
    expect(await fleetProblems()).toEqual([]);
    lane.dispose();
    db.close();
  });
});

describe.each(hqBackends(tmp.dir))('HQ on $name numbers past what its terminals hold', (backend) => {
  it('a terminal holding a newer staff list and catalog than HQ issued moves the next ones past it', async () => {
    const sql = await backend.open();
    try {
      await migrate(sql, MIGRATIONS);
      const store = new HqStore(sql);
      const catalogDir = join(tmp.dir, `${backend.name}-catalog`);
      const { url, close } = await listenHq({ store, adminToken: ADMIN, catalogDir });
      const db = demoDb(tmp.dir, `${backend.name}-numbers.db`);
      await enroll(db, url, await store.createEnrollmentToken('s2', '1'), '0.1.0');
      const now = new Date();
      expect(await setStaff(sql, { storeId: 's2', id: '12', name: 'Anna', role: 'cashier', pin: '4821' }, now)).toBe(1);
      await signedPost(loadHqLink(db)!, '/v1/checkin', minimalCheckin({ staff: { version: 41 }, catalog: { version: 7, expiresAt: null } }));
      expect(await setStaff(sql, { storeId: 's2', id: '13', name: 'Bo', role: 'cashier', pin: '1313' }, now)).toBe(42);
      const signer = loadOrCreateCatalogKey(join(tmp.dir, `${backend.name}-key.pem`)).signer;
      expect(await publishCatalog(store, catalogDir, signer, applyJsonInput(emptyContent(), CATALOG, 'c.json'))).toMatchObject({ version: 8, delta: null });
      // A terminal that does not say which list it holds (an older one) leaves what HQ recorded.
      await signedPost(loadHqLink(db)!, '/v1/checkin', minimalCheckin());
      expect(await removeStaff(sql, 's2', '12', now)).toBe(true);
      expect(Number((await sql.query<{ v: number }>("SELECT max(revision) AS v FROM staff WHERE store_id = 's2'"))[0]!.v)).toBe(43);
      await close();
      db.close();
    } finally {
      await sql.close();
      await backend.cleanup();
    }
  });
});
