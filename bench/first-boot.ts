/**
 * A wiped terminal to selling (issue 20 target: ≤ 10 minutes with a 500,000-item catalog). A real HQ
 * process with a signed 500,000-item catalog (published by the real `hq/publish` from a JSON file,
 * the token and provisioning.json by `hq --issue-token … --with-hq-url --provisioning-json`); a real
 * core on an empty data folder started with `--provisioning --provision-dir DIR`, provisioning.json
 * already in DIR (the USB stick in the terminal at power-on), under a NOTIFY_SOCKET as in the kiosk
 * image (core/sd-notify.ts; the watchdog pinged every second, so its gaps bound how long the event
 * loop was held). Times each phase from the core's start, as the Terminal API's snapshots and the
 * core's log show it.
 *
 *   npm run build --silent && npx tsx bench/first-boot.ts     (KASSA_BENCH_FIRSTBOOT_ITEMS to scale down)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { CORE_NODE_FLAGS } from '../protocol/core-node-flags';
import { gtinCheckDigit } from '../protocol/gtin';
import type { ProvisioningView } from '../protocol/terminal';
import { ApiClient, CORE_BUNDLE } from '../test/helpers/core-process';
import { startHqProcess } from '../test/helpers/hq-process';
import { listenNotify } from '../test/helpers/notify-socket';
import { table } from './table';

const ITEMS = Number(process.env.KASSA_BENCH_FIRSTBOOT_ITEMS ?? 500_000);
const TARGET_S = 600;
const s = (ms: number) => (ms / 1000).toFixed(1);
const ean = (n: number) => {
  const p = `73${String(n).padStart(10, '0')}`;
  return `${p}${gtinCheckDigit(p)}`;
};

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** HQ's catalog as store IT would publish it: a JSON file, half the items with two barcodes. */
function catalogFile(file: string): void {
  const depts = ['mejeri', 'brod', 'frukt', 'kolonial', 'frys', 'dryck'];
  const items = Array.from({ length: ITEMS }, (_, i) => ({ id: `I${String(i).padStart(7, '0')}`, name: `Vara ${i} ${['Arla', 'Pågen', 'Findus', 'Marabou'][i % 4]} ${(i % 900) + 100} g`, department: depts[i % depts.length], vat: 'food', price: 9.9 + (i % 9000) / 100, barcodes: i % 2 ? [ean(i * 2), ean(i * 2 + 1)] : [ean(i * 2)] }));
  writeFileSync(file, JSON.stringify({ vatClasses: [{ id: 'food', name: 'Livsmedel', rateBp: 1200 }], departments: depts.map((d) => ({ id: d, name: d })), items }));
}

function run(args: string[], what: string): string {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** The first time (ms since the core's start) each thing was seen. */
class Marks {
  readonly at = new Map<string, number>();
  constructor(private readonly t0: number) {}
  mark(name: string): void {
    if (!this.at.has(name)) this.at.set(name, performance.now() - this.t0);
  }
}

function watchView(v: ProvisioningView | null | undefined, marks: Marks): void {
  if (!v) return;
  if (v.step === 'enrolling') marks.mark('enrolling');
  if (v.enrolled) marks.mark('enrolled');
  if (v.step === 'catalog') marks.mark('catalog step');
  if (v.catalog && v.catalog.total > 0 && v.catalog.done < v.catalog.total) marks.mark('catalog apply');
  if (v.catalog && v.catalog.total > 0 && v.catalog.done === v.catalog.total) marks.mark('catalog applied');
  if (v.step === 'devices') marks.mark('devices');
  if (v.phase === 'ready') marks.mark('ready to sell');
  if (v.phase === 'failed') throw new Error(`provisioning failed: ${JSON.stringify(v.failure)}`);
}

/** Size: one run's steps in order (HQ set up, the core started, watched, measured). */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kassa-bench-first-boot-'));
  const children: ChildProcess[] = [];
  let core: ChildProcess | null = null;
  const notify = await listenNotify(join(dir, 'notify.sock'));
  try {
    // HQ: the catalog published and signed, a token issued with the stick's provisioning.json, then served.
    const hqDb = join(dir, 'hq.db');
    let t = performance.now();
    catalogFile(join(dir, 'catalog.json'));
    const genMs = performance.now() - t;
    t = performance.now();
    const published = run(['dist/hq/publish.js', '--db', hqDb, '--key', join(dir, 'key.pem'), '--catalog', join(dir, 'catalog.json')], 'hq publish');
    const publishMs = performance.now() - t;
    const key = /catalog-key=([A-Za-z0-9_-]{43})/.exec(published)?.[1];
    if (!key || !new RegExp(`published version 1: ${ITEMS} items`).test(published)) throw new Error(`hq publish: ${published}`);
    const hqPort = await freePort();
    const stick = join(dir, 'usb');
    mkdirSync(stick);
    run(['dist/hq/main.js', '--db', hqDb, '--issue-token', 'bench:1', '--with-hq-url', `http://127.0.0.1:${hqPort}`, '--catalog-key', key, '--provisioning-json', join(stick, 'provisioning.json')], 'hq --issue-token');
    t = performance.now();
    await startHqProcess(hqDb, children, hqPort);
    const hqStartMs = performance.now() - t;

    // The wiped terminal: an empty data folder, the stick in, powered on.
    const data = join(dir, 'data');
    mkdirSync(data);
    const token = randomBytes(24).toString('base64url');
    const t0 = performance.now();
    const marks = new Marks(t0);
    core = spawn(process.execPath, [...CORE_NODE_FLAGS, CORE_BUNDLE, '--db', join(data, 'kassa.db'), '--port', '0', '--provisioning', '--provision-dir', stick], {
      env: { ...process.env, KASSA_TOKEN: token, NOTIFY_SOCKET: notify.path, WATCHDOG_USEC: '2000000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log: Array<{ ms: number; line: string }> = [];
    createInterface({ input: core.stderr! }).on('line', (line) => {
      log.push({ ms: performance.now() - t0, line });
      if (/provisioning: read /.test(line)) marks.mark('stick read');
    });
    const exited = new Promise<never>((_, rej) => core!.once('exit', (code, sig) => rej(new Error(`the core exited (${code ?? sig}): ${log.slice(-20).map((l) => l.line).join('\n')}`))));
    const port = await Promise.race([
      exited,
      new Promise<number>((res) => createInterface({ input: core!.stdout! }).on('line', (l) => l.includes('"ready"') && res((JSON.parse(l) as { port: number }).port))),
    ]);
    marks.mark('serving (/health ok)');
    const client = await ApiClient.connect(port, token);
    watchView(client.snapshot?.provisioning, marks);
    // Every snapshot the screen is sent, as it arrives.
    client.ws.on('message', () => watchView(client.snapshot?.provisioning, marks));
    await Promise.race([exited, new Promise<void>((res) => { const i = setInterval(() => marks.at.has('ready to sell') && (clearInterval(i), res()), 50); })]);
    const readyMs = marks.at.get('ready to sell')!;
    // Selling: the lane takes a command the gate refused before (a sign-in attempt is answered, not NOT_PROVISIONED).
    const answer = await client.send({ cmd: 'signIn', operator: 'nobody', pin: '0000' });
    if (answer.type === 'error' && answer.code === 'NOT_PROVISIONED') throw new Error('still not provisioned');
    client.close();
    core.kill('SIGTERM');
    await new Promise((r) => core!.once('exit', r));

    const dbBytes = statSync(join(data, 'kassa.db')).size;
    const order = ['serving (/health ok)', 'stick read', 'enrolling', 'enrolled', 'catalog step', 'catalog apply', 'catalog applied', 'devices', 'ready to sell'];
    const what: Record<string, string> = {
      'serving (/health ok)': 'core start → Terminal API and /health answer (READY=1)',
      'stick read': 'provisioning.json found on the stick (looked for every 2 s)',
      enrolling: 'enrolling with HQ',
      enrolled: 'enrolled (HQ store bench, lane 1)',
      'catalog step': 'catalog: check-in',
      'catalog apply': 'catalog downloaded, signature and SHA-256 checked: applying',
      'catalog applied': `catalog applied (${ITEMS.toLocaleString('en')} items)`,
      devices: 'device discovery',
      'ready to sell': 'ready to sell (phase ready; the lane answers commands)',
    };
    let prev = 0;
    table(`HQ setup (not part of the terminal's time)`, [
      { step: `catalog JSON written (${(statSync(join(dir, 'catalog.json')).size / 1024 / 1024).toFixed(0)} MiB)`, seconds: s(genMs) },
      { step: `hq publish: ${ITEMS.toLocaleString('en')} items validated, signed snapshot written`, seconds: s(publishMs) },
      { step: 'HQ process start', seconds: s(hqStartMs) },
    ]);
    table(`Wiped terminal → selling, ${ITEMS.toLocaleString('en')}-item catalog (target ≤ ${TARGET_S / 60} min)`, [
      ...order.filter((k) => marks.at.has(k)).map((k) => {
        const at = marks.at.get(k)!;
        const row = { phase: what[k]!, 'at s': s(at), 'took s': s(at - prev) };
        prev = at;
        return row;
      }),
      { phase: `total: ${readyMs / 1000 <= TARGET_S ? 'within' : 'OVER'} the target; terminal database ${(dbBytes / 1024 / 1024).toFixed(0)} MiB`, 'at s': s(readyMs), 'took s': '' },
    ]);
    const pings = notify.times('WATCHDOG=1');
    const gaps = pings.slice(1).map((p, i) => p - pings[i]!);
    const statuses = notify.messages.flatMap((m) => m.lines.filter((l) => l.startsWith('STATUS=')));
    console.log(`\nWatchdog pings (every 1 s asked): ${pings.length}, longest gap ${Math.max(0, ...gaps).toFixed(2)} s (the longest the event loop was held, ±1 s)`);
    console.log(`STATUS lines: ${statuses.length}, e.g. ${[statuses[0], statuses.find((x) => /catalog \d/.test(x)), statuses.at(-1)].filter(Boolean).join(' · ')}`);
    console.log(`Core log lines with timings:\n${log.filter((l) => /catalog|provisioning|event loop/.test(l.line)).map((l) => `  ${s(l.ms).padStart(6)} s  ${l.line}`).join('\n')}`);
  } finally {
    notify.close();
    if (core && core.exitCode === null) core.kill('SIGKILL');
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
