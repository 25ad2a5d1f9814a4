/**
 * Signed catalog distribution, HQ on SQLite and on a real PostgreSQL: publishing from JSON and CSV
 * (full snapshot + delta, validation), terminals taking the full snapshot then deltas and selling
 * the new prices, and every refusal (tampered payload, unknown key, rollback, wrong base, unsigned,
 * forged) leaving the old catalog selling. Plus the apply itself: lookups answered from the old
 * catalog until the switch, leftovers of an interrupted apply cleaned, the schema kept intact.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCatalogPayload, appliedCatalogVersion, CatalogRefusal, cleanUpCatalogStaging } from '../../core/catalog/apply';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { Catalog } from '../../core/catalog/repo';
import { openDatabase, type Db } from '../../core/db';
import { CatalogUpdater, pinCatalogKey } from '../../core/sync/catalog';
import { enroll, loadHqLink } from '../../core/sync/link';
import {
  applyItemsCsv,
  applyJsonInput,
  applyPricesCsv,
  CatalogSigner,
  deltaRecords,
  emptyContent,
  encodePayload,
  fullRecords,
  latestContent,
  loadOrCreateCatalogKey,
  parseCsv,
  payloadPath,
  publishCatalog,
  PublishError,
  refreshCatalog,
  type CatalogContent,
} from '../../hq/catalog';
import { migrate, type Sql } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import { checkinReport } from '../../core/sync/report';
import { CATALOG_FORMAT, type CatalogManifest, type ItemRecord } from '../../protocol/catalog';
import { gtinCheckDigit } from '../../protocol/gtin';
import { hqBackends, listenHq } from '../helpers/hq-backends';
import { demoDb, openDemoLane } from '../helpers/demo-lane';
import { run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';

const MIGRATIONS = join(__dirname, '../../migrations/hq');
const ADMIN = 'admin-token-for-tests-0123456789';
const tmp = tempDir('kassa-catalog-');
afterAll(() => tmp.cleanup());

const ean = (n: number) => {
  const p = `731${String(n).padStart(9, '0')}`;
  return p + gtinCheckDigit(p);
};

const CATALOG = {
  vatClasses: [
    { id: 'food', name: 'Livsmedel', rateBp: 1200 },
    { id: 'standard', name: 'Normal', rateBp: 2500 },
  ],
  departments: [
    { id: 'mejeri', name: 'Mejeri' },
    { id: 'drycker', name: 'Drycker' },
  ],
  items: [
    { id: 'pant', name: 'Pant burk', department: 'drycker', vat: 'food', price: 1, isDeposit: true },
    { id: 'milk', name: 'Mjölk 1 l', department: 'mejeri', vat: 'food', price: 17.95, barcodes: [ean(1)] },
    { id: 'soda', name: 'Läsk 33 cl', department: 'drycker', vat: 'food', price_minor: 1290, deposit: 'pant', barcodes: [ean(2), ean(3)] },
  ],
  promotions: [{ id: 'P-SODA', name: '3 för 2', kind: 'buyXpayY', itemIds: ['soda'], buy: 3, pay: 2 }],
};

describe('catalog input', () => {
  it('reads CSV with quotes, semicolons and prices in major or minor units; lists every problem', () => {
    expect(parseCsv('id;name\r\n"a";"Ost ""extra"", skivad"\n')).toEqual([{ id: 'a', name: 'Ost "extra", skivad' }]);
    const base = applyJsonInput(emptyContent(), JSON.stringify(CATALOG), 'catalog.json');
    expect(base.items.get('milk')).toMatchObject({ price: 1795, codes: [`0${ean(1)}`] });
    expect(base.items.get('pant')).toMatchObject({ price: 100, isDeposit: true });
    const items = applyItemsCsv(base, `id,name,department,vat,unit,price,barcodes\nmilk,Mjölk 1 l,mejeri,food,piece,"18,50",${ean(1)}\ncheese,Ost,mejeri,food,weight,119,\n`, 'items.csv');
    expect([...items.items.keys()]).toEqual(['milk', 'cheese']);
    expect(items.items.get('milk')!.price).toBe(1850);
    expect(applyPricesCsv(base, 'id,price_minor\nmilk,1995\n', 'p.csv').items.get('milk')!.price).toBe(1995);
    let err: PublishError | null = null;
    try {
      applyItemsCsv(base, `id,name,department,vat,price,barcodes\nx,X,mejeri,food,1.999,7310000000000\ny,,mejeri,food,2,12345\n`, 'bad.csv');
    } catch (e) {
      err = e as PublishError;
    }
    expect(err).toBeInstanceOf(PublishError);
    expect(err!.problems.join('\n')).toMatch(/line 2: price "1.999"/);
    expect(err!.problems.join('\n')).toMatch(/line 2: barcode 7310000000000 has a wrong check digit/);
    expect(err!.problems.join('\n')).toMatch(/line 3: barcode "12345" is not 8, 12, 13 or 14 digits/);
    expect(err!.problems.join('\n')).toMatch(/line 3: name/);
    expect(() => applyPricesCsv(base, 'id,price\nnope,1\n', 'p.csv')).toThrow(/no item "nope"/);
  });
});

describe.each(hqBackends(tmp.dir))('catalog from HQ on $name', (backend) => {
  let sql: Sql;
  let store: HqStore;
  let url: string;
  let close: () => Promise<void>;
  let signer: CatalogSigner;
  const dir = tempDir('kassa-catalog-hq-');
  const catalogDir = join(dir.dir, 'hq-catalog');

  beforeAll(async () => {
    sql = await backend.open();
    await migrate(sql, MIGRATIONS);
    store = new HqStore(sql);
    signer = loadOrCreateCatalogKey(join(dir.dir, 'catalog-key.pem')).signer;
    ({ url, close } = await listenHq({ store, adminToken: ADMIN, catalogDir }));
  });
  afterAll(async () => {
    await close();
    await sql.close();
    await backend.cleanup();
    dir.cleanup();
  });

  /** A demo lane enrolled at HQ, trusting HQ's catalog key, with its updater. */
  const terminal = async (name: string, opts: { pin?: boolean; now?: () => Date } = {}) => {
    const db = demoDb(dir.dir, `${name}.db`);
    const token = await store.createEnrollmentToken('s1', name);
    await enroll(db, url, token, '0.1.0');
    if (opts.pin !== false) pinCatalogKey(db, signer.publicKey);
    const logs: string[] = [];
    // Its check-ins report what the lane shows (a refused catalog is an alert), as the core wires it.
    const lane = openDemoLane(db);
    const updater = new CatalogUpdater(db, loadHqLink(db)!, { downloadPath: join(dir.dir, `${name}.download`), log: (l) => logs.push(l), report: () => checkinReport(lane.snapshot()), ...(opts.now ? { now: opts.now } : {}) });
    lane.setCatalogStatus(() => updater.status());
    return { db, updater, logs, lane };
  };
  const priceAt = (db: Db, code: string) => new Catalog(db).findByCode(`0${code}`)?.price ?? null;
  const publish = async (next: CatalogContent, o: { ttlMs?: number; now?: Date; by?: CatalogSigner } = {}) => publishCatalog(store, catalogDir, o.by ?? signer, next, o);

  it('publishes a full snapshot, then a delta; refuses an invalid or unchanged catalog', async () => {
    const bad = applyJsonInput(emptyContent(), JSON.stringify({ ...CATALOG, items: [...CATALOG.items, { id: 'x', name: 'X', department: 'nope', vat: 'food', price: 1, barcodes: [ean(1)] }] }), 'c.json');
    await expect(publish(bad)).rejects.toThrow(/unknown department nope[\s\S]*barcode 0\d+ belongs to both milk and x/);
    expect(await store.latestCatalog()).toBe(null);
    const v1 = await publish(applyJsonInput(emptyContent(), JSON.stringify(CATALOG), 'c.json'));
    expect(v1).toMatchObject({ version: 1, items: 3, delta: null });
    const prev = await latestContent(store, catalogDir);
    expect(await publish(prev.content)).toBe(null); // unchanged: no new version
    const v2 = await publish(applyPricesCsv(prev.content, 'id;price\nmilk;18,95\n', 'p.csv'));
    expect(v2).toMatchObject({ version: 2, items: 3, delta: { records: 5 } }); // 2 VAT + 2 departments + milk
    const latest = (await store.latestCatalog())!;
    const m = JSON.parse(latest.delta!.manifest) as CatalogManifest;
    expect(m).toMatchObject({ format: CATALOG_FORMAT, kind: 'delta', version: 2, baseVersion: 1, items: 1 });
  });

  it('a terminal takes the full snapshot, then only the delta, and sells the new prices; HQ sees its catalog version', async () => {
    const t = await terminal('lane-a');
    const demoMilk = DEMO_ITEMS.milk.codes[0]!;
    expect(priceAt(t.db, demoMilk)).not.toBe(null); // the demo catalog sells until HQ's arrives
    const st = await t.updater.check();
    expect(st).toMatchObject({ version: 2, items: 3, lastError: null, stale: false, applying: null });
    expect(t.logs.join('\n')).toMatch(/version 2 in use \(full, 3 items/);
    expect(priceAt(t.db, demoMilk)).toBe(null); // the demo items are gone
    expect(priceAt(t.db, ean(1))).toBe(1895);
    const sale = run(t.lane, { cmd: 'scan', code: ean(2) });
    expect(sale.checkout!.lines.map((l) => [l.name, l.unitPrice])).toEqual([
      ['Läsk 33 cl', 1290],
      ['Pant burk', 100],
    ]);
    run(t.lane, { cmd: 'tenderCash' });
    run(t.lane, { cmd: 'complete' });
    // Version 3: milk's price, a new item, soda gives one barcode to the new item, the promotion goes.
    const prev = await latestContent(store, catalogDir);
    const items = new Map(prev.content.items);
    items.set('milk', { ...items.get('milk')!, price: 1995 });
    items.set('soda', { ...items.get('soda')!, codes: [`0${ean(2)}`] });
    items.set('juice', { t: 'item', id: 'juice', name: 'Juice 1 l', dept: 'drycker', vat: 'food', unit: 'piece', price: 2990, codes: [`0${ean(3)}`] } satisfies ItemRecord);
    expect(await publish({ ...prev.content, items, promos: new Map() })).toMatchObject({ version: 3, delta: { records: 8 } }) // 2 VAT, 2 departments, 3 items, 1 promotion removed;
    t.logs.length = 0;
    await t.updater.check();
    expect(t.logs.join('\n')).toMatch(/version 3 in use \(delta, 3 items/);
    expect([priceAt(t.db, ean(1)), priceAt(t.db, ean(2)), priceAt(t.db, ean(3))]).toEqual([1995, 1290, 2990]);
    expect(t.db.prepare('SELECT count(*) AS n FROM promotion').get()).toEqual({ n: 0 });
    // HQ's fleet view shows the version in use right after an update.
    expect((await store.fleet()).find((f) => f.lane_id === 'lane-a')).toMatchObject({ catalog_version: 3 });
    // A terminal that is two versions behind gets the full snapshot (no delta from its version).
    const u = await terminal('lane-b');
    await u.updater.check();
    expect(u.logs.join('\n')).toMatch(/version 3 in use \(full/);
    t.db.close();
    u.db.close();
  });

  it('refuses a tampered snapshot, an unknown key, a rollback, a wrong-base delta, unsigned and forged manifests; the old catalog keeps selling', async () => {
    const t = await terminal('lane-c');
    await t.updater.check();
    expect(appliedCatalogVersion(t.db)).toBe(3);
    const latest = (await store.latestCatalog())!;
    const sells = () => {
      expect(priceAt(t.db, ean(1))).toBe(1995);
      const snap = run(t.lane, { cmd: 'scan', code: ean(1) });
      expect(snap.checkout!.lines.at(-1)!.unitPrice).toBe(1995);
    };
    const refusal = async (signed: unknown) => {
      try {
        await t.updater.install(signed as never);
      } catch (err) {
        expect(err).toBeInstanceOf(CatalogRefusal);
        return (err as CatalogRefusal).code;
      }
      return 'accepted';
    };
    const v4 = (extra: Partial<CatalogManifest>, by = signer) => {
      const m = { ...(JSON.parse(latest.full.manifest) as CatalogManifest), version: 4, ...extra };
      return by.sign(m);
    };
    // Tampered: a payload with other prices under the hash of the real one.
    const content = await latestContent(store, catalogDir);
    const evil = new Map(content.content.items);
    evil.set('milk', { ...evil.get('milk')!, price: 1 });
    const evilGz = encodePayload(fullRecords({ ...content.content, items: evil }));
    const real = JSON.parse(latest.full.manifest) as CatalogManifest;
    writeFileSync(payloadPath(catalogDir, real.sha256) + '.orig', readFileSync(payloadPath(catalogDir, real.sha256)));
    writeFileSync(payloadPath(catalogDir, real.sha256), evilGz);
    expect(await refusal(v4({ sha256: real.sha256, size: real.size }))).toBe('TAMPERED');
    writeFileSync(payloadPath(catalogDir, real.sha256), readFileSync(payloadPath(catalogDir, real.sha256) + '.orig'));
    sells();
    // Signed by a key this terminal does not trust.
    const stranger = new CatalogSigner(generateKeyPairSync('ed25519').privateKey);
    expect(await refusal(v4({}, stranger))).toBe('UNKNOWN_KEY');
    // A valid manifest for version 1 (rollback), a delta on the wrong base.
    expect(await refusal(v4({ version: 1 }))).toBe('ROLLBACK');
    expect(await refusal(v4({ kind: 'delta', baseVersion: 2 }))).toBe('WRONG_BASE');
    // Unsigned; signed manifest text altered after signing.
    expect(await refusal({ manifest: latest.full.manifest })).toBe('UNSIGNED');
    const forged = v4({});
    expect(await refusal({ ...forged, manifest: forged.manifest.replace('"version":4', '"version":5') })).toBe('BAD_SIGNATURE');
    expect(appliedCatalogVersion(t.db)).toBe(3);
    sells();
    // A rollback offered by HQ at check-in is refused and reported; nothing changes.
    await sql.query('UPDATE catalog_version SET full_manifest = $1 WHERE version = 3', [JSON.stringify(v4({ version: 2 }))]);
    const st = await t.updater.check();
    expect(st.lastError).toMatch(/refused: ROLLBACK: HQ offers version 2, older than version 3 in use/);
    // An offer whose manifest is not signed (no signature, or an empty one) is refused as UNSIGNED by
    // the signature check, and the refusal reaches HQ as an alert at the next check-in; so does an
    // answer that is no offer at all.
    const alertsAtHq = async () => ((await store.fleet()).find((f) => f.terminal_id === loadHqLink(t.db)!.terminalId)!.alerts as Array<{ code: string; message: string }>);
    for (const unsigned of [{ manifest: latest.full.manifest, keyId: latest.full.keyId }, { ...latest.full, signature: '' }]) {
      await sql.query('UPDATE catalog_version SET full_manifest = $1 WHERE version = 3', [JSON.stringify(unsigned)]);
      expect((await t.updater.check()).lastError).toMatch(/^refused: UNSIGNED: the catalog manifest is not signed/);
      await t.updater.check(); // the next check-in carries the alert
      expect(await alertsAtHq()).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'CATALOG_REFUSED', message: expect.stringMatching(/UNSIGNED/) })]));
    }
    await sql.query('UPDATE catalog_version SET full_manifest = $1 WHERE version = 3', [JSON.stringify('not a manifest')]);
    expect((await t.updater.check()).lastError).toMatch(/^refused: BAD_OFFER: HQ's catalog offer is not understood/);
    await t.updater.check();
    expect(await alertsAtHq()).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'CATALOG_REFUSED', message: expect.stringMatching(/BAD_OFFER/) })]));
    await sql.query('UPDATE catalog_version SET full_manifest = $1 WHERE version = 3', [JSON.stringify(latest.full)]);
    expect((await t.updater.check()).lastError).toBe(null);
    sells();
    // A terminal without pinned keys accepts nothing.
    const n = await terminal('lane-d', { pin: false });
    expect((await n.updater.check()).lastError).toMatch(/NO_KEYS/);
    expect(n.updater.status().version).toBe(0);
    t.db.close();
    n.db.close();
  });

  it('expired metadata: a stale-prices warning while selling goes on; a re-signed manifest clears it', async () => {
    let clock = new Date();
    const t = await terminal('lane-e', { now: () => clock });
    await t.updater.check();
    expect(t.updater.status().stale).toBe(false);
    clock = new Date(Date.now() + 8 * 24 * 3600_000); // past the 7-day expiry, HQ unreachable or not re-signing
    expect(t.updater.status()).toMatchObject({ stale: true, version: 3 });
    expect(run(t.lane, { cmd: 'scan', code: ean(1) }).checkout!.lines[0]!.unitPrice).toBe(1995);
    expect(await refreshCatalog(store, signer, { now: clock })).toBe(3);
    await t.updater.check();
    expect(t.updater.status()).toMatchObject({ stale: false, version: 3, lastError: null });
    t.db.close();
  });
});

describe('applying a catalog on the terminal', () => {
  const big = (n: number, price: number): CatalogContent => {
    const c = applyJsonInput(emptyContent(), JSON.stringify({ ...CATALOG, items: [], promotions: [] }), 'c.json');
    for (let i = 0; i < n; i++) c.items.set(`I${i}`, { t: 'item', id: `I${i}`, name: `Vara ${i}`, dept: 'mejeri', vat: 'food', unit: 'piece', price, codes: [`0${ean(1000 + i)}`] });
    return c;
  };
  const file = (c: CatalogContent, name: string) => {
    const gz = encodePayload(fullRecords(c));
    const path = join(tmp.dir, name);
    writeFileSync(path, gz);
    return path;
  };
  const manifest = (version: number, c: CatalogContent): CatalogManifest => ({
    format: CATALOG_FORMAT,
    kind: 'full',
    version,
    baseVersion: null,
    publishedAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    sha256: '0'.repeat(64),
    size: 1,
    records: fullRecords(c).length,
    items: c.items.size,
  });
  const schemaOf = (db: Db) =>
    ['item', 'barcode'].map((t) => ({ cols: db.pragma(`table_info(${t})`), fks: (db.pragma(`foreign_key_list(${t})`) as Array<Record<string, unknown>>).map((f) => [f.table, f.from, f.to]) }));

  it('lookups see the old catalog until the switch, then the new one; the schema stays the same', async () => {
    const db = demoDb(tmp.dir, 'apply.db');
    const before = schemaOf(db);
    const catalog = new Catalog(db);
    const code = `0${ean(1000 + 12_345)}`;
    const c1 = big(20_000, 500);
    await applyCatalogPayload(db, file(c1, 'v1.gz'), manifest(1, c1), { chunk: 500 });
    expect(catalog.findByCode(code)?.price).toBe(500);
    const c2 = big(20_000, 700);
    const seen: number[] = [];
    await applyCatalogPayload(db, file(c2, 'v2.gz'), manifest(2, c2), { chunk: 500, onProgress: () => seen.push(catalog.findByCode(code)!.price) });
    expect(seen.length).toBeGreaterThan(30);
    expect(new Set(seen)).toEqual(new Set([500])); // during the load: the old price, every time
    expect(catalog.findByCode(code)?.price).toBe(700);
    expect(schemaOf(db)).toEqual(before);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%\\_old' ESCAPE '\\' OR name LIKE '%\\_next' ESCAPE '\\'").all()).toEqual([]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // A delta is written in small steps; until its switch every lookup it touches answers from the old version.
    const c3d = big(20_000, 700);
    for (let i = 0; i < 2_000; i++) c3d.items.set(`I${i}`, { ...c3d.items.get(`I${i}`)!, price: 900 });
    c3d.items.set('I5', { ...c3d.items.get('I5')!, codes: [] });
    c3d.items.set('new', { t: 'item', id: 'new', name: 'Ny vara', dept: 'mejeri', vat: 'food', unit: 'piece', price: 1234, codes: [`0${ean(1005)}`] }); // I5's barcode moves here
    c3d.items.delete('I7');
    const deltaRecs = deltaRecords(c2, c3d);
    writeFileSync(join(tmp.dir, 'v3d.gz'), encodePayload(deltaRecs));
    const during: string[] = [];
    const look = () => [catalog.findByCode(`0${ean(1000)}`)?.price, catalog.findByCode(`0${ean(1005)}`)?.id, catalog.getItem('I7')?.id, catalog.getItem('new')?.id].join(' ');
    await applyCatalogPayload(db, join(tmp.dir, 'v3d.gz'), { ...manifest(3, c3d), kind: 'delta', baseVersion: 2, records: deltaRecs.length, items: deltaRecs.filter((r) => r.t === 'item').length }, {
      sliceMs: 0.2,
      onProgress: (done, total) => done < total && during.push(look()),
    });
    expect(during.length).toBeGreaterThan(2);
    expect(new Set(during)).toEqual(new Set(['700 I5 I7 '])); // old price, old owner of the code, I7 still there, no new item
    expect(look()).toBe('900 new  new');
    expect(appliedCatalogVersion(db)).toBe(3);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // A delta that would break the catalog is refused before anything is written.
    const bad = { ...c3d, items: new Map(c3d.items) };
    bad.items.set('I100', { ...bad.items.get('I100')!, codes: [`0${ean(1200)}`] }); // I200's barcode, I200 unchanged
    const badRecs = deltaRecords(c3d, bad);
    writeFileSync(join(tmp.dir, 'v4bad.gz'), encodePayload(badRecs));
    await expect(applyCatalogPayload(db, join(tmp.dir, 'v4bad.gz'), { ...manifest(4, bad), kind: 'delta', baseVersion: 3, records: badRecs.length, items: 1 })).rejects.toThrow(/item I100 has barcode 0\d+, which belongs to I200/);
    expect([appliedCatalogVersion(db), catalog.findByCode(`0${ean(1100)}`)?.id]).toEqual([3, 'I100']);
    // A payload that breaks a rule half-way changes nothing.
    const c3 = big(5_000, 900);
    c3.items.set('zzz', { t: 'item', id: 'zzz', name: 'Z', dept: 'nope', vat: 'food', unit: 'piece', price: 1, codes: [] });
    await expect(applyCatalogPayload(db, file(c3, 'v4.gz'), manifest(4, c3), { chunk: 500 })).rejects.toThrow(/item zzz cannot be stored: it refers to an item, department or VAT class that does not exist/);
    expect(appliedCatalogVersion(db)).toBe(3);
    expect(catalog.findByCode(code)?.price).toBe(700);
    // Garbage instead of gzip NDJSON.
    writeFileSync(join(tmp.dir, 'junk.gz'), gzipSync('{"t":"item"\n'));
    await expect(applyCatalogPayload(db, join(tmp.dir, 'junk.gz'), manifest(4, c3))).rejects.toThrow(/catalog line 1 is not JSON/);
    writeFileSync(join(tmp.dir, 'junk2.gz'), 'not gzip at all');
    await expect(applyCatalogPayload(db, join(tmp.dir, 'junk2.gz'), manifest(4, c3))).rejects.toThrow(/cannot be read/);
    expect(catalog.findByCode(code)?.price).toBe(700);
    db.close();
  }, 60_000);

  it('leftovers of an apply cut short by a crash are cleaned up, and the catalog in use is untouched', async () => {
    const db = demoDb(tmp.dir, 'crash.db');
    db.exec("CREATE TABLE item_next (id TEXT PRIMARY KEY, deposit_item_id TEXT REFERENCES item_next(id)); INSERT INTO item_next VALUES ('a', NULL), ('b', 'a');");
    const items = new Catalog(db).stats().items;
    await cleanUpCatalogStaging(db);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'item_next'").all()).toEqual([]);
    expect(new Catalog(db).stats().items).toBe(items);
    db.close();
    // and the database reopens fine
    openDatabase(join(tmp.dir, 'crash.db')).close();
  });
});
