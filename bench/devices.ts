/**
 * Device benchmarks (real PTYs and sockets against the simulators):
 *  - scan event: serial bytes written by the scanner → line committed in the checkout
 *  - encoding a 40-line receipt with barcode and QR code
 *  - paper-out detected by status polling
 *   npx tsx bench/devices.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { systemClock } from '../core/clock';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../core/db';
import { DEMO_ITEMS, generateCatalog } from '../core/catalog/demo';
import { Catalog } from '../core/catalog/repo';
import { LaneService } from '../core/lane/host';
import { feedScanner } from '../core/devices/scanner';
import { Operators, seedDemoOperators } from '../core/operators';
import { PROFILES } from '../core/profile';
import { encodeReceipt } from '../drivers/escpos/receipt';
import { demoLogo } from '../core/printing/logo';
import { PrintQueue } from '../core/printing/queue';
import { connectPrinter } from '../core/printing/device';
import { CommandSchema, type Command } from '../protocol/terminal';
import { openPtyPair } from '../drivers/serial/pty';
import { SerialScanner } from '../drivers/scanner/serial';
import { ScannerSimulator } from '../drivers/scanner/simulator';
import { PrinterSimulator } from '../drivers/escpos/simulator';

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number) => x.toFixed(3);

const dir = mkdtempSync(join(tmpdir(), 'kassa-bench-dev-'));
const db = openDatabase(join(dir, 'dev.db'));
generateCatalog(db, {});
seedDemoOperators(new Operators(db));
let id = 0;
const cmd = (c: object) => CommandSchema.parse({ ...c, id: `b${++id}` }) as Command;

// 1. scan: serial bytes → line committed
{
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 'b', storeName: 'B', laneId: '1' }, { now: systemClock });
  s.handle(cmd({ cmd: 'signIn', operator: '7', pin: '7777' }));
  s.handle(cmd({ cmd: 'openTill', float: [] }));
  const pty = await openPtyPair();
  const sim = new ScannerSimulator('CR');
  await sim.open(pty.device, 115200);
  const scanner = new SerialScanner({ path: pty.host, baudRate: 115200, suffix: 'CR' });
  await scanner.start();
  const fromRead: number[] = [];
  let readAt = 0;
  scanner.on('scan', (ev) => (readAt = ev.at)); // the line's bytes came out of the serial port (listens before the lane does)
  feedScanner(scanner, s, () => {});
  const times: number[] = [];
  let pending: ((v: void) => void) | null = null;
  s.subscribe(() => {
    if (!pending) return; // tender/complete below also broadcast
    fromRead.push(performance.now() - readAt);
    const p = pending;
    pending = null;
    p();
  });
  const codes = [DEMO_ITEMS.milk.codes[0]!, DEMO_ITEMS.butter.codes[0]!, DEMO_ITEMS.bread.codes[0]!];
  for (let i = 0; i < 600; i++) {
    const done = new Promise<void>((r) => (pending = r));
    const t0 = performance.now();
    await sim.scan(codes[i % 3]!);
    await done;
    if (i >= 100) times.push(performance.now() - t0);
    else fromRead.length = 0;
    if (i % 25 === 24) {
      s.handle(cmd({ cmd: 'tenderCash' }));
      s.handle(cmd({ cmd: 'complete' }));
    }
  }
  pending = null;
  await scanner.stop();
  await sim.close();
  await pty.close();
  times.sort((a, b) => a - b);
  fromRead.sort((a, b) => a - b);
  console.log('\nscan: serial bytes → line committed in the checkout (durable SQLite commit included) (ms)');
  console.log('| measured from | scans | p50 | p90 | p99 | max | target p99 |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(`| bytes read from the serial port by the driver | ${fromRead.length} | ${ms(pct(fromRead, 50))} | ${ms(pct(fromRead, 90))} | ${ms(pct(fromRead, 99))} | ${ms(fromRead[fromRead.length - 1]!)} | ≤ 5 |`);
  console.log(`| bytes written by the scanner simulator (adds the socat relay and the simulator's drain) | ${times.length} | ${ms(pct(times, 50))} | ${ms(pct(times, 90))} | ${ms(pct(times, 99))} | ${ms(times[times.length - 1]!)} | — |`);
}

// 2. encoding a 40-line receipt with logo, barcode and QR
{
  const logo = demoLogo();
  const lines = Array.from({ length: 40 }, (_, i) => `Vara nummer ${i + 1} med ett långt namn`.padEnd(32) + `${(i * 13.5).toFixed(2)}`.padStart(10));
  const text = ['Kassa Demo Store', ...lines, '[QR] KASSA1|demo-001|1|1234|1|2026-11-24T12:00:00.000Z|12345|' + 'a'.repeat(64) + '|' + 'b'.repeat(88), `[BARCODE] R${'0'.repeat(32)}`, ''].join('\n');
  for (let i = 0; i < 50; i++) encodeReceipt(text, { logo });
  const times: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    encodeReceipt(text, { logo });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log('\nencoding a 40-line receipt with the 288×80 logo, barcode, QR code and cut (ms)');
  console.log('| runs | p50 | p99 | max | target |');
  console.log('|---|---|---|---|---|');
  console.log(`| ${times.length} | ${ms(pct(times, 50))} | ${ms(pct(times, 99))} | ${ms(times[times.length - 1]!)} | ≤ 10 |`);
}

// 3. paper-out detection by status polling (200 ms poll)
{
  const sim = new PrinterSimulator();
  const port = await sim.listen(0);
  const queue = new PrintQueue(db);
  let state: string = 'none';
  let changedAt = 0;
  const printer = connectPrinter({ host: '127.0.0.1', port, pollMs: 200 }, queue, (st) => {
    state = st;
    changedAt = performance.now();
  }, () => {});
  const current = (): string => state; // set from the status callback
  while (current() !== 'ok') await new Promise((r) => setTimeout(r, 10));
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
    const t0 = performance.now();
    sim.setState({ paperOut: true });
    while (current() !== 'paperOut') await new Promise((r) => setTimeout(r, 2));
    times.push(changedAt - t0);
    sim.setState({ paperOut: false });
    while (current() !== 'ok') await new Promise((r) => setTimeout(r, 2));
  }
  printer.stop();
  queue.stop();
  await sim.close();
  times.sort((a, b) => a - b);
  console.log('\npaper-out detected by DLE EOT polling every 200 ms (ms after the printer reports it)');
  console.log('| runs | median | max | target |');
  console.log('|---|---|---|---|');
  console.log(`| ${times.length} | ${ms(pct(times, 50))} | ${ms(times[times.length - 1]!)} | ≤ 500 |`);
}

db.close();
rmSync(dir, { recursive: true, force: true });
