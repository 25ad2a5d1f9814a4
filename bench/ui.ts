/**
 * The lane UI in Chromium against the real core (browser mode, demo store):
 *  1. `npm start` (scripts/start.mjs, after a build) to an interactive lane UI: process spawn →
 *     the sign-in field accepts input in Chromium.
 *  2. Scan → line painted: keyboard-wedge keystrokes (13 digits + Enter, 4 ms apart) into a basket
 *     that already holds 100 lines, 500 times; measured in the browser with performance marks from
 *     the Enter keydown to the first animation frame after the new line is in the DOM.
 *
 *   npm run build && npx tsx bench/ui.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import Database from 'better-sqlite3';
import { table } from './table';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCANS = Number(process.env.KASSA_BENCH_UI_SCANS ?? 500);
const PREFILL = Number(process.env.KASSA_BENCH_UI_PREFILL ?? 100);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

const dir = mkdtempSync(join(tmpdir(), 'kassa-bench-ui-'));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
try {
  // 1. npm start → interactive (the build is done beforehand, as `npm start` does it first).
  const t0 = performance.now();
  const start = spawn(process.execPath, ['scripts/start.mjs'], { env: { ...process.env, KASSA_DATA_DIR: dir, KASSA_NO_ELECTRON: '1', KASSA_PROFILE: 'SE' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((res, rej) => {
    const t = setTimeout(() => rej(new Error('no URL printed')), 60_000);
    createInterface({ input: start.stdout! }).on('line', (l) => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(l);
      if (m) {
        clearTimeout(t);
        res(m[1]!);
      }
    });
  });
  const ready = performance.now();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.getByTestId('signin-input').waitFor();
  await page.getByTestId('signin-input').fill('1');
  const interactive = performance.now();

  // 2. Scans into a 100-line basket.
  await page.getByTestId('pin-input').fill('1111');
  await page.keyboard.press('Enter');
  await page.getByTestId('float-10000').fill('5');
  await page.getByTestId('open-till').click();
  await page.getByTestId('scan-input').waitFor();
  const db = new Database(join(dir, 'kassa.db'), { readonly: true });
  const codes = db
    .prepare<[], { code: string }>("SELECT b.code FROM barcode b JOIN item i ON i.id = b.item_id WHERE i.unit = 'piece' AND i.age_limit IS NULL AND i.deposit_item_id IS NULL AND i.blocked = 0 AND b.code NOT GLOB '02*' LIMIT 700")
    .all()
    .map((r) => r.code.slice(1));
  db.close();
  await page.evaluate(() => {
    const g = globalThis as unknown as { __scan: number[]; document: { querySelectorAll(s: string): { length: number } }; addEventListener(t: string, f: (e: { key: string }) => void, capture: boolean): void; requestAnimationFrame(f: () => void): void; MutationObserver: new (f: () => void) => { observe(n: unknown, o: object): void }; performance: { mark(n: string): void; measure(n: string, a: string, b: string): { duration: number } } };
    g.__scan = [];
    let pending = false;
    let lines = g.document.querySelectorAll('[data-testid="line"]').length;
    g.addEventListener(
      'keydown',
      (e) => {
        if (e.key === 'Enter') {
          g.performance.mark('enter');
          pending = true;
        }
      },
      true,
    );
    new g.MutationObserver(() => {
      const n = g.document.querySelectorAll('[data-testid="line"]').length;
      if (pending && n > lines) {
        pending = false;
        g.requestAnimationFrame(() => {
          g.performance.mark('painted');
          g.__scan.push(g.performance.measure('scan', 'enter', 'painted').duration);
        });
      }
      lines = n;
    }).observe((g.document as unknown as { body: unknown }).body, { childList: true, subtree: true });
  });
  const scan = async (code: string) => {
    await page.keyboard.type(code, { delay: 4 });
    await page.keyboard.press('Enter');
  };
  const lineCount = () => page.getByTestId('line').count();
  for (let i = 0; i < PREFILL; i++) await scan(codes[i % codes.length]!);
  await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid="line"]').length >= n, PREFILL);
  await page.evaluate(() => ((globalThis as unknown as { __scan: number[] }).__scan = []));
  for (let i = 0; i < SCANS; i++) {
    const before = await lineCount();
    await scan(codes[(PREFILL + i) % codes.length]!);
    await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid="line"]').length > n, before);
  }
  await page.waitForTimeout(200);
  const lat = await page.evaluate(() => (globalThis as unknown as { __scan: number[] }).__scan);
  start.kill('SIGTERM');
  await new Promise((r) => start.once('exit', r));

  table('npm start to an interactive lane UI (demo store, browser mode; build done beforehand) — target ≤ 3 s', [
    { step: 'spawn → URL printed (core up, demo catalog, devices, ZVT simulator)', ms: Math.round(ready - t0) },
    { step: 'spawn → sign-in field takes input in Chromium', ms: Math.round(interactive - t0) },
  ]);
  table(`Scan → line painted in Chromium (wedge keystrokes, basket of ${PREFILL}+ lines, ${lat.length} scans; performance marks) — target p95 ≤ 50 ms`, [
    { scans: lat.length, 'p50 ms': pct(lat, 50).toFixed(1), 'p95 ms': pct(lat, 95).toFixed(1), 'p99 ms': pct(lat, 99).toFixed(1), 'max ms': Math.max(...lat).toFixed(1) },
  ]);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
