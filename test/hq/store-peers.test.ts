/**
 * Three tills of one store, each a real core process listening for its peers on loopback, enrolled
 * at HQ (through the fault proxy). At check-in HQ hands each the store's signed roster with the
 * others' keys and the addresses they reported; each till then sends its sales to the other two.
 * With HQ out of reach they keep selling and still hold each other's sales — verified copies of each
 * other's journals —, a receipt of one lane is returned at another, and store IT sees every peer
 * on the service screen: nothing missing, none behind. One till is then lost (killed, its data deleted) before HQ is back: the other two send
 * its sales to HQ on its behalf, and HQ holds every sale of the three exactly once.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { closeCopies, copiesPath } from '../../core/db/copies-file';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../e2e/harness';
import { openServiceScreen } from '../e2e/pages';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { PeerCopies } from '../../core/peers/copies';
import { enroll } from '../../core/sync/link';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { demoDb } from '../helpers/demo-lane';
import { sqliteHqBehindProxy } from '../helpers/hq-backends';
import { tempDir } from '../helpers/tmp';
import { until, untilAsync } from '../helpers/wait';

const tmp = tempDir('kassa-peers-');
const cores: CoreProcess[] = [];
let browser: Browser | null = null;
afterAll(async () => {
  await browser?.close();
  for (const c of cores) await stopCoreProcess(c);
  tmp.cleanup();
});

const SALES_EACH = 3;

describe('the tills of a store', () => {
  it('hold each other’s sales while HQ is out of reach, show it to store IT, and HQ gets every sale once', async () => {
    const { sql, store, proxy, url: hqUrl, close: closeHq } = await sqliteHqBehindProxy(tmp.dir, 'peers-staff-token-0123456789');

    // Three lanes enrolled in store 7, each listening for its peers on a port of its own.
    const lanes: Array<{ lane: string; db: string; terminalId: string; core: CoreProcess; client: ApiClient }> = [];
    for (const lane of ['1', '2', '3']) {
      const db = demoDb(tmp.dir, `lane-${lane}.db`);
      const { terminalId } = await enroll(db, hqUrl, await store.createEnrollmentToken('store-7', lane), '0.1.0');
      db.close();
      const file = join(tmp.dir, `lane-${lane}.db`);
      const core = await startCoreProcess(file, ['--lane', lane, '--store-id', 'store-7', '--peer-listen', '127.0.0.1:0'], 20_000, { KASSA_CATALOG_POLL_MS: '500', KASSA_SYNC_TIMEOUT_MS: '15000', KASSA_PEER_RELAY_GRACE_MS: '0' });
      cores.push(core);
      lanes.push({ lane, db: file, terminalId, core, client: await ApiClient.connect(core.port, core.token) });
    }
    // The roster reaches every till with both others' addresses (reported at their check-ins).
    for (const l of lanes) await until(`lane ${l.lane} knows its peers`, () => (l.client.snapshot?.peers ?? []).filter((p) => p.address !== null).length === 2, 20_000);
    expect(lanes[0]!.client.snapshot!.peers!.map((p) => p.laneId).sort()).toEqual(['2', '3']);

    // HQ out of reach: every till sells on.
    proxy.mode = 'reset';
    const milk = DEMO_ITEMS.milk.codes[0]!;
    const totals = new Map<string, number>();
    const counts = new Map<string, number>(lanes.map((l) => [l.lane, SALES_EACH]));
    const firstSale = new Map<string, string>();
    const firstReceipt = new Map<string, string>();
    for (const l of lanes) {
      await l.client.send({ cmd: 'signIn', operator: '1', pin: '1111' });
      await l.client.send({ cmd: 'openTill', float: [] });
      for (let i = 0; i < SALES_EACH; i++) {
        await l.client.send({ cmd: 'scan', code: milk, source: 'scanner' });
        await l.client.send({ cmd: 'tenderCash' });
        const done = await l.client.send({ cmd: 'complete' });
        expect(done.type).toBe('ack');
        totals.set(l.lane, (totals.get(l.lane) ?? 0) + l.client.snapshot!.lastSale!.total);
        if (!firstSale.has(l.lane)) firstSale.set(l.lane, l.client.snapshot!.lastSale!.saleId);
        if (!firstReceipt.has(l.lane)) firstReceipt.set(l.lane, l.client.snapshot!.lastSale!.receiptText);
      }
    }
    await until('HQ shown out of reach', () => lanes.every((l) => l.client.snapshot?.sync?.online === false), 20_000);

    // Every till holds the other two's sales, and none is behind: what store IT reads on each.
    for (const l of lanes) {
      await until(`lane ${l.lane}'s peers caught up`, () => (l.client.snapshot?.peers ?? []).every((p) => p.behind === 0 && p.held === SALES_EACH && p.problem === null), 30_000);
    }
    // Each till checks every copied entry's own signature once its lane is idle (core/peers/audit.ts), with no alert.
    for (const l of lanes) {
      await until(`lane ${l.lane} checked its copies' signatures`, () => {
        const db = new Database(copiesPath(l.db), { readonly: true }); // the copies' own file (core/db/copies-file.ts)
        try {
          return db.prepare<[], { n: number }>('SELECT count(*) AS n FROM peer_head WHERE audited_seq < chain_seq OR alert IS NOT NULL').get()!.n === 0;
        } finally {
          db.close();
        }
      }, 20_000);
    }
    // The copies are the peers' own signed journals: each verifies with the journal key HQ enrolled.
    for (const l of lanes) {
      const db = new Database(l.db, { readonly: true });
      try {
        const copies = new PeerCopies(db);
        for (const other of lanes.filter((o) => o !== l)) {
          const key = (await store.terminal(other.terminalId))!.journal_key!;
          const v = copies.verifyAll(other.terminalId, key);
          expect(v.ok, `lane ${l.lane}'s copy of lane ${other.lane}: ${v.ok ? '' : v.reason}`).toBe(true);
          const held = copies.sales(other.terminalId, 0, 100);
          expect(held.map((r) => r.sequence)).toEqual([1, 2, 3]);
          expect(held.reduce((sum, r) => sum + r.total, 0)).toBe(totals.get(other.lane));
        }
      } finally {
        closeCopies(db);
        db.close();
      }
    }

    // HQ still down: lane 2's receipt is returned on lane 3, from lane 3's copy of lane 2's journal;
    // lane 2 then sees the milk as returned (from its copy of lane 3's), and refuses it a second time.
    const receipt = `R${firstSale.get('2')!.replace(/-/g, '')}`;
    const [two, three] = [lanes[1]!, lanes[2]!];
    const found = await three.client.send({ cmd: 'findSale', receiptCode: receipt });
    expect(found.type, JSON.stringify(found)).toBe('ack');
    const lineId = (found as { result: { lines: Array<{ lineId: string; returnable: number }> } }).result.lines[0]!;
    expect(lineId.returnable).toBe(1);
    const ret = await three.client.send({ cmd: 'returnLines', receiptCode: receipt, lines: [{ lineId: lineId.lineId, quantity: 1 }], reason: 'Fel vara' });
    expect(ret.type, JSON.stringify(ret)).toBe('ack');
    totals.set('3', totals.get('3')! - (ret as { result: { refund: number } }).result.refund);
    counts.set('3', SALES_EACH + 1);
    await until('lane 2 holds lane 3’s return', () => (two.client.snapshot?.peers ?? []).find((p) => p.laneId === '3')?.held === SALES_EACH + 1, 40_000).catch((e: Error) => {
      throw new Error(`${e.message}\nlane 2 shows ${JSON.stringify(two.client.snapshot?.peers)}\nlane 3 shows ${JSON.stringify(three.client.snapshot?.peers)}\n${[two, three].map((l) => `lane ${l.lane}:\n${l.core.stderr.slice(-25).join('\n')}`).join('\n')}`);
    });
    const again = await two.client.send({ cmd: 'findSale', receiptCode: receipt });
    expect((again as { result: { lines: Array<{ returned: number; returnable: number }> } }).result.lines[0]).toMatchObject({ returned: 1, returnable: 0 });
    // A copy of lane 2's receipt printed on lane 3 reads exactly as lane 2's did (journal number, signature and all).
    const copy = await three.client.send({ cmd: 'reprintReceipt', saleId: firstSale.get('2')! });
    expect(copy.type, JSON.stringify(copy)).toBe('ack');
    // (Swedish tills with their control units: the legal copy, KOPIA in double size first and last, and the copy's own control code on lane 3's unit.)
    const copyText = (copy as { result: { copyText: string } }).result.copyText;
    expect(copyText.startsWith(`[DOUBLE] KOPIA\n${firstReceipt.get('2')!.replace(/\n$/, '')}\n`)).toBe(true);
    expect(copyText).toMatch(/Kontrollkod \(kopia\)[\s\S]*\n\[DOUBLE\] KOPIA\n$/);
    // HQ still down: a basket parked on lane 1 (no sale after it: its entry reaches the peers as a tail)
    // is taken up on lane 2 by its slip number and sold there; lane 1 then refuses it.
    await lanes[0]!.client.send({ cmd: 'scan', code: milk, source: 'scanner' });
    const parked = await lanes[0]!.client.send({ cmd: 'suspendSale' });
    const slip = (parked as { result: { barcode: string } }).result.barcode;
    await untilAsync('lane 2 takes up lane 1’s basket by its slip number', async () => (await two.client.send({ cmd: 'resumeSale', slip })).type === 'ack', 30_000);
    await two.client.send({ cmd: 'tenderCash' });
    expect((await two.client.send({ cmd: 'complete' })).type).toBe('ack');
    totals.set('2', totals.get('2')! + two.client.snapshot!.lastSale!.total);
    counts.set('2', SALES_EACH + 1);
    await until('lane 1 holds lane 2’s sale of its basket', () => (lanes[0]!.client.snapshot?.peers ?? []).find((p) => p.laneId === '2')?.held === SALES_EACH + 1, 40_000);
    expect(await lanes[0]!.client.send({ cmd: 'resumeSale', slip })).toMatchObject({ code: 'SLIP_ALREADY_RESUMED' });
    for (const l of lanes)
      await until(`lane ${l.lane}'s peers caught up again`, () => (l.client.snapshot?.peers ?? []).every((p) => p.behind === 0), 40_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${lanes.map((x) => `lane ${x.lane} shows ${JSON.stringify(x.client.snapshot?.peers)}\n${x.core.stderr.filter((line) => /peer|sync to/.test(line)).slice(-15).join('\n')}`).join('\n')}`);
      });

    // Store IT's service screen on lane 1: both peers, their lanes, nothing missing, nothing wrong.
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const one = lanes[0]!;
    await page.goto(`http://127.0.0.1:${one.core.port}/#token=${one.core.token}`);
    await openServiceScreen(page);
    await page.getByTestId('peer-status').scrollIntoViewIfNeeded();
    for (const lane of ['2', '3']) {
      expect(await page.getByTestId(`peer-${lane}-behind`).textContent()).toBe('0');
      expect(await page.getByTestId(`peer-${lane}-held`).textContent()).toBe(String(counts.get(lane)));
    }
    mkdirSync(join(process.cwd(), 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(process.cwd(), 'test-artifacts', 'store-peers.png'), fullPage: true });
    await peerTableEverywhere(page);

    // Lane 3 is lost before HQ comes back: killed, its data directory's files deleted.
    const lost = lanes[2]!;
    const lostBefore = (await store.terminal(lost.terminalId))!;
    await stopCoreProcess(lost.core, 'SIGKILL');
    for (const f of readdirSync(tmp.dir).filter((f) => f.startsWith('lane-3.db'))) rmSync(join(tmp.dir, f));

    // HQ back: lanes 1 and 2 send their own and speak for lane 3; HQ holds all ten sales, each once.
    proxy.mode = 'pass';
    for (const l of lanes.slice(0, 2)) await until(`lane ${l.lane} sent to HQ`, () => l.client.snapshot?.sync?.backlog === 0 && l.client.snapshot.sync.online, 30_000);
    const held = async () => (await sql.query<{ terminal_id: string; n: number; d: number; total: number }>('SELECT terminal_id, count(*) AS n, count(DISTINCT sale_id) AS d, sum(total) AS total FROM sale GROUP BY terminal_id')).map((r) => ({ ...r, n: Number(r.n), d: Number(r.d), total: Number(r.total) }));
    await untilAsync('lane 3’s sales at HQ', async () => (await held()).find((r) => r.terminal_id === lost.terminalId)?.n === counts.get('3'), 30_000);
    const rows = await held();
    expect(rows.length).toBe(3);
    for (const l of lanes) expect(rows.find((r) => r.terminal_id === l.terminalId)).toMatchObject({ n: counts.get(l.lane), d: counts.get(l.lane), total: totals.get(l.lane) });
    // Sent by a peer, and said so; lane 3's own contact with HQ is still what it was.
    const after = (await store.terminal(lost.terminalId))!;
    expect([lanes[0]!.terminalId, lanes[1]!.terminalId]).toContain(after.relayed_by);
    expect(after.last_contact).toBe(lostBefore.last_contact);
    expect(Number(after.acked_through)).toBe(counts.get('3'));
    expect(lanes.slice(0, 2).some((l) => l.core.stderr.join('\n').includes('sending them on its behalf'))).toBe(true);

    // Lane 3 is provisioned again (reflashed) into an empty data directory, with a reflash token from HQ:
    // its journal and sales come back from its peers, and it sells on from where it was.
    await reflashAndSellOn({ lost, hqUrl, reflashToken: () => store.createEnrollmentToken('store-7', '3', undefined, undefined, { reflash: true }), peers: lanes.slice(0, 2), count: counts.get('3')!, firstSale: firstSale.get('3')!, sql, store });
    await closeHq();
  }, 240_000);
});

interface Lane {
  lane: string;
  db: string;
  terminalId: string;
  core: CoreProcess;
  client: ApiClient;
}

/**
 * The reflash of a lost till: `npm run provision` with a reflash token into a new, empty database
 * (the demo catalog only); it recovers its journal from its peers, continues the sequence and the
 * chain, returns a receipt it sold before the wipe, and its whole journal verifies with the
 * independent verifier; HQ and the peers take its new sales without a fork.
 */
async function reflashAndSellOn(o: { lost: Lane; hqUrl: string; reflashToken: () => Promise<string>; peers: Lane[]; count: number; firstSale: string; sql: Awaited<ReturnType<typeof sqliteHqBehindProxy>>['sql']; store: Awaited<ReturnType<typeof sqliteHqBehindProxy>>['store'] }): Promise<void> {
  demoDb(tmp.dir, 'lane-3.db').close();
  const file = join(tmp.dir, 'lane-3.db');
  const token = await o.reflashToken();
  const prov = await run(process.execPath, ['--import', 'tsx', 'core/provision.ts', `--hq=${o.hqUrl}`, `--token=${token}`, `--db=${file}`]);
  expect(prov.code, prov.out).toBe(0);
  expect(prov.out).toMatch(new RegExp(`recovered ${o.count} sales and \\d+ journal entries`));
  expect(prov.out).toContain('ready to sell');
  const core = await startCoreProcess(file, ['--lane', '3', '--store-id', 'store-7', '--peer-listen', '127.0.0.1:0'], 20_000, { KASSA_CATALOG_POLL_MS: '500', KASSA_SYNC_TIMEOUT_MS: '15000' });
  cores.push(core);
  const client = await ApiClient.connect(core.port, core.token);
  // A receipt it sold before the wipe is returned on it.
  await client.send({ cmd: 'signIn', operator: '1', pin: '1111' });
  // Its till is open again, as it was before the wipe.
  expect(await client.send({ cmd: 'openTill', float: [] })).toMatchObject({ type: 'error', code: 'TILL_ALREADY_OPEN' });
  const receipt = `R${o.firstSale.replace(/-/g, '')}`;
  const found = await client.send({ cmd: 'findSale', receiptCode: receipt });
  expect(found.type, JSON.stringify(found)).toBe('ack');
  const line = (found as { result: { lines: Array<{ lineId: string; returnable: number }> } }).result.lines[0]!;
  expect(line.returnable).toBe(1);
  const ret = await client.send({ cmd: 'returnLines', receiptCode: receipt, lines: [{ lineId: line.lineId, quantity: 1 }], reason: 'Fel vara' });
  expect(ret.type, JSON.stringify(ret)).toBe('ack');
  // …and a new sale: the next sequence, its receipt's journal number after the recovered entry.
  await client.send({ cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]!, source: 'scanner' });
  await client.send({ cmd: 'tenderCash' });
  expect((await client.send({ cmd: 'complete' })).type).toBe('ack');
  const db = new Database(file, { readonly: true });
  try {
    const seqs = db.prepare<[], { sequence: number }>('SELECT sequence FROM sale ORDER BY sequence').all().map((r) => r.sequence);
    expect(seqs).toEqual(Array.from({ length: o.count + 2 }, (_, i) => i + 1));
  } finally {
    db.close();
  }
  // HQ takes the new sales on the same terminal, chain unbroken; the peers hold them too.
  await untilAsync('HQ holds the reflashed lane’s new sales', async () => Number((await o.store.terminal(o.lost.terminalId))!.acked_through) === o.count + 2, 40_000);
  const t = (await o.store.terminal(o.lost.terminalId))!;
  expect(t.chain_alert).toBeNull();
  expect(Number(t.rejected_count)).toBe(0);
  const stored = await o.sql.query<{ n: number }>('SELECT count(*) AS n FROM sale WHERE terminal_id = $1', [o.lost.terminalId]);
  expect(Number(stored[0]!.n)).toBe(o.count + 2);
  for (const p of o.peers) await until(`lane ${p.lane} holds the reflashed lane’s new sales`, () => (p.client.snapshot?.peers ?? []).find((x) => x.laneId === '3')?.held === o.count + 2 && p.client.snapshot!.peers!.every((x) => x.problem === null), 40_000);
  // The independent verifier passes over its whole chain: the recovered entries under the old key, the rest under the new.
  const verified = await run(process.execPath, ['--import', 'tsx', 'scripts/journal-verify.ts', file]);
  expect(verified.code, verified.out).toBe(0);
  expect(verified.out).toMatch(/^OK: /);
}

function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: join(__dirname, '../..') }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }));
  });
}

/** The service screen's store peers, in every language and at every size store IT may see it (test-artifacts/store-peers-<lang>-<size>.png; look at them). */
async function peerTableEverywhere(page: Page): Promise<void> {
  const sizes = [[1024, 768], [1280, 800], [1920, 1080], [1080, 1920]] as const;
  for (const lang of ['SV', 'DE', 'EN']) {
    await page.getByTestId('devices-close').click();
    await page.getByRole('button', { name: lang, exact: true }).click();
    await openServiceScreen(page);
    for (const [width, height] of sizes) {
      await page.setViewportSize({ width, height });
      await page.getByTestId('peer-status').scrollIntoViewIfNeeded();
      // Every lane's row is there whatever the size; none is cut off sideways.
      for (const lane of ['2', '3']) expect(await page.getByTestId(`peer-${lane}-held`).isVisible()).toBe(true);
      const box = (await page.getByTestId('peer-status').boundingBox())!;
      expect(box.x + box.width, `${lang} ${width}×${height}`).toBeLessThanOrEqual(width + 1);
      await page.screenshot({ path: join(process.cwd(), 'test-artifacts', `store-peers-${lang.toLowerCase()}-${width}x${height}.png`) });
    }
  }
  await page.getByTestId('devices-close').click();
  await page.getByRole('button', { name: 'SV', exact: true }).click();
}
