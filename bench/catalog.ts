/**
 * Catalog distribution: HQ publishes a 500,000-item catalog (and then a 5,000-item price change);
 * HQ runs as its own process serving them; a terminal downloads, verifies (signature, hash) and
 * applies each through its real catalog updater while the lane keeps scanning — a scan every 5 ms,
 * in the same event loop as the apply, exactly as commands from the UI would arrive.
 *
 *   npx tsx bench/catalog.ts     (KASSA_BENCH_CATALOG_ITEMS to scale down)
 */
import { table } from './table';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEMO_ITEMS } from '../core/catalog/demo';
import { startCheckpointer } from '../core/db/checkpointer';
import { CatalogUpdater, pinCatalogKey } from '../core/sync/catalog';
import { enroll, loadHqLink } from '../core/sync/link';
import { applyJsonInput, emptyContent, loadOrCreateCatalogKey, publishCatalog, type CatalogContent } from '../hq/catalog';
import { migrate, sqliteSql } from '../hq/sql';
import { HqStore } from '../hq/store';
import { migrationsDir } from '../hq/paths';
import type { ItemRecord } from '../protocol/catalog';
import { gtinCheckDigit } from '../protocol/gtin';
import { demoDb, openDemoLane } from '../test/helpers/demo-lane';
import { run } from '../test/helpers/lane';

const ITEMS = Number(process.env.KASSA_BENCH_CATALOG_ITEMS ?? 500_000);
const DELTA = 5_000;
const ADMIN = 'bench-admin-token-0123456789abcdef';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const ean = (n: number) => {
  const p = `73${String(n).padStart(10, '0')}`;
  return `0${p}${gtinCheckDigit(p)}`;
};

/** HQ's catalog: the demo store's fixed items (so the lane's scans resolve before and after) and filler. */
function bigCatalog(): CatalogContent {
  const fixed = Object.values(DEMO_ITEMS);
  const depts = [...new Set(fixed.map((f) => f.department))];
  const c = applyJsonInput(
    emptyContent(),
    JSON.stringify({
      vatClasses: [
        { id: 'food', name: 'Livsmedel', rateBp: 1200 },
        { id: 'standard', name: 'Normal', rateBp: 2500 },
        { id: 'reduced', name: 'Reducerad', rateBp: 600 },
      ],
      departments: depts.map((d) => ({ id: d, name: d })),
    }),
    'bench',
  );
  for (const f of fixed) {
    const it = f as { id: string; name: string; department: string; vat: string; unit: 'piece' | 'weight'; price: number; ageLimit?: number; deposit?: string; isDeposit?: boolean; plu?: string; codes: string[] };
    c.items.set(it.id, { t: 'item', id: it.id, name: it.name, dept: it.department, vat: it.vat, unit: it.unit, price: it.price, ageLimit: it.ageLimit ?? null, deposit: it.deposit ?? null, isDeposit: it.isDeposit ?? false, plu: it.plu ?? null, codes: it.codes.map((x) => `0${x}`) });
  }
  for (let i = 0; c.items.size < ITEMS; i++) {
    const id = `I${String(i).padStart(7, '0')}`;
    c.items.set(id, { t: 'item', id, name: `Vara ${i} ${['Arla', 'Pågen', 'Findus', 'Marabou'][i % 4]} ${(i % 900) + 100} g`, dept: depts[i % depts.length]!, vat: 'food', unit: 'piece', price: 990 + (i % 9000), codes: i % 2 ? [ean(i * 2), ean(i * 2 + 1)] : [ean(i * 2)] } satisfies ItemRecord);
  }
  return c;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kassa-bench-catalog-'));
  try {
    // HQ: publish version 1 (full) and version 2 (5,000 price changes → delta), then serve them.
    const hqDb = join(dir, 'hq.db');
    const catalogDir = join(dir, 'hq-catalog');
    const sql = sqliteSql(hqDb);
    await migrate(sql, migrationsDir());
    const store = new HqStore(sql);
    const { signer } = loadOrCreateCatalogKey(join(dir, 'key.pem'));
    const v1 = bigCatalog();
    let t = performance.now();
    const p1 = (await publishCatalog(store, catalogDir, signer, v1))!;
    const publishFull = performance.now() - t;
    const items = new Map(v1.items);
    const step = Math.floor(ITEMS / DELTA);
    let i = 0;
    let changed = 0;
    for (const it of v1.items.values()) {
      if (i++ % step !== 0 || changed >= DELTA) continue;
      items.set(it.id, { ...it, price: it.price + 100 });
      changed++;
    }
    t = performance.now();
    const p2 = (await publishCatalog(store, catalogDir, signer, { ...v1, items }))!;
    const publishDelta = performance.now() - t;
    const latest = (await store.latestCatalog())!;
    const v1Full = JSON.parse((await sql.query<{ full_manifest: string }>('SELECT full_manifest FROM catalog_version WHERE version = 1'))[0]!.full_manifest);
    await sql.close();
    const hq = spawn(process.execPath, ['--import', 'tsx', 'hq/main.ts', '--db', hqDb, '--catalog-dir', catalogDir, '--port', '0'], { env: { ...process.env, KASSA_HQ_ADMIN_TOKEN: ADMIN }, stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((res) => createInterface({ input: hq.stdout! }).on('line', (l) => l.includes('"ready"') && res((JSON.parse(l) as { port: number }).port)));
    const url = `http://127.0.0.1:${port}`;

    // The terminal: the demo lane, enrolled, trusting HQ's key.
    const db = demoDb(dir, 'lane.db');
    const { token } = (await (await fetch(`${url}/v1/admin/enrollment-tokens`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ storeId: 'bench', laneId: '1' }) })).json()) as { token: string };
    await enroll(db, url, token, 'bench');
    pinCatalogKey(db, signer.publicKey);
    const checkpointer = startCheckpointer(db); // as the core does
    const lane = openDemoLane(db);
    const updater = new CatalogUpdater(db, loadHqLink(db)!, { downloadPath: join(dir, 'download.gz'), onApplied: () => lane.catalogChanged() });
    const codes = [DEMO_ITEMS.milk, DEMO_ITEMS.filmjolk, DEMO_ITEMS.butter, DEMO_ITEMS.bread, DEMO_ITEMS.newspaper].map((i) => i.codes[0]!);

    /** Scans every 5 ms while `work` runs; latency from when the scan was due to its line committed. */
    const scanning = async (work: () => Promise<unknown>) => {
      const lat: number[] = [];
      let stop = false;
      let n = 0;
      const loop = async () => {
        while (!stop) {
          const due = performance.now() + 5;
          await new Promise((r) => setTimeout(r, 5));
          if (stop) break;
          run(lane, { cmd: 'scan', code: codes[n++ % codes.length]! });
          lat.push(performance.now() - due);
          if (n % 20 === 0) {
            run(lane, { cmd: 'tenderCash' });
            run(lane, { cmd: 'complete' });
          }
        }
      };
      const l = loop();
      const t0 = performance.now();
      await work();
      const ms = performance.now() - t0;
      stop = true;
      await l;
      return { ms, lat };
    };
    const idle = await scanning(() => new Promise((r) => setTimeout(r, 2_000)));
    const full = await scanning(() => updater.install(v1Full));
    if (updater.status().version !== 1 || updater.status().items !== ITEMS) throw new Error(`full apply: ${JSON.stringify(updater.status())}`);
    const delta = await scanning(() => updater.install(latest.delta!));
    if (updater.status().version !== 2) throw new Error(`delta apply: ${JSON.stringify(updater.status())}`);
    hq.kill('SIGTERM');
    await checkpointer.stop();
    db.close();

    table(`Catalog publishing at HQ (${ITEMS.toLocaleString('en')} items)`, [
      { step: `full snapshot v1 (${(p1.full.size / 1024 / 1024).toFixed(1)} MiB gzip)`, seconds: (publishFull / 1000).toFixed(2) },
      { step: `v2: full ${(p2.full.size / 1024 / 1024).toFixed(1)} MiB + delta of ${p2.delta!.records} records (${(p2.delta!.size / 1024).toFixed(0)} KiB)`, seconds: (publishDelta / 1000).toFixed(2) },
    ]);
    table('Terminal: download + verify (signature, SHA-256) + apply, HQ in its own process, the lane scanning every 5 ms meanwhile (targets: snapshot ≤ 20 s, delta ≤ 1 s, scan p99 ≤ 10 ms)', [
      { run: 'no update (baseline)', seconds: '–', scans: idle.lat.length, 'scan p50 ms': pct(idle.lat, 50).toFixed(2), 'scan p99 ms': pct(idle.lat, 99).toFixed(2), 'scan max ms': Math.max(...idle.lat).toFixed(2) },
      { run: `full snapshot, ${ITEMS.toLocaleString('en')} items`, seconds: (full.ms / 1000).toFixed(2), scans: full.lat.length, 'scan p50 ms': pct(full.lat, 50).toFixed(2), 'scan p99 ms': pct(full.lat, 99).toFixed(2), 'scan max ms': Math.max(...full.lat).toFixed(2) },
      { run: `delta, ${DELTA.toLocaleString('en')} items`, seconds: (delta.ms / 1000).toFixed(2), scans: delta.lat.length, 'scan p50 ms': pct(delta.lat, 50).toFixed(2), 'scan p99 ms': pct(delta.lat, 99).toFixed(2), 'scan max ms': Math.max(...delta.lat).toFixed(2) },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
