/**
 * The kiosk image's session for real, without QEMU: the image's sway config (kiosk-sway.conf, its
 * exec line pointed at this test's core and files) in sway's headless backend, the kiosk session
 * (kiosk/session.ts) and kiosk-browser from image/rootfs starting Debian's Chromium, against a demo
 * core in browser mode. What the terminal shows is read from sway's tree (each Chromium a
 * full-screen kiosk window — no tabs, no address bar: its app_id and page title — on its output)
 * and from grim's screenshot of each output (test-artifacts/kiosk-*.png). One output → the lane
 * UI only; a second output added → the customer display on it; store IT's lane output honoured.
 * (An output going away cannot be played here: sway 1.7's headless outputs can be neither
 * unplugged nor disabled; kiosk/layout's tests cover that decision.)
 * sway refuses to run as root: as root, the test runs it (and so the browsers) as nobody.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodePng, parsePpm, type Rgb } from '../../image/test/png';
import { Sway, type View } from '../../kiosk/sway';
import { ARTIFACTS, launchChromium, printCoreLogOnFailure, startDemo, type Demo } from '../e2e/harness';
import { decodePng } from '../e2e/png';
import { tempDir } from '../helpers/tmp';
import { untilAsync } from '../helpers/wait';

const ROOT = process.cwd();
const LIB = join(ROOT, 'image/rootfs/usr/lib/kassa');
const NOBODY = 65534;
type Rgba = ReturnType<typeof decodePng>;
const asRoot = process.getuid?.() === 0;
const runnable = ['sway', 'grim', 'chromium'].every((b) => existsSync(join('/usr/bin', b)));
const tmp = tempDir('kassa-kiosk-');
let demo: Demo;
let port = '';
let token = '';
/** What a person reads on each screen at its size (the pages in playwright's Chromium). */
let lanePage: Rgba;
let customerPage: Rgba;
let customerPageWide: Rgba;

printCoreLogOnFailure(() => demo);
/** The kiosk running now: its session's and sway's lines are printed after a failed test. */
let current: Kiosk | undefined;
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail' && current) process.stderr.write(`--- sway and the kiosk session ---\n${current.log.filter((l) => !/^\[\d+:\d+:/.test(l)).join('\n')}\n---\n`);
});

/** The image's sway config with its one exec line running this checkout's session against this test's core. */
function swayConfig(dir: string): string {
  const text = readFileSync(join(LIB, 'kiosk-sway.conf'), 'utf8');
  const execs = text.split('\n').filter((l) => l.startsWith('exec '));
  expect(execs).toEqual(['exec /opt/kassa/node/bin/node /opt/kassa/dist/kiosk/session.js --devices "$CREDENTIALS_DIRECTORY/devices.json"']);
  return text.replace(execs[0]!, `exec ${process.execPath} ${join(tmp.dir, 'kiosk/session.js')} --browser ${join(tmp.dir, 'lib/kiosk-browser')} --port ${port} --token ${token} --devices ${join(dir, 'devices.json')}`);
}

interface Kiosk {
  ipc: Sway;
  run: string;
  log: string[];
  views(): Promise<View[]>;
  /** sway has exited (the session ends it when the lane's browser ends: systemd then starts the kiosk afresh). */
  exited(): boolean;
  stop(): Promise<void>;
}

/** sway headless with `outputs` outputs, the kiosk session inside, store IT's devices.json given. */
async function startKiosk(name: string, devicesJson: object, outputs: number): Promise<Kiosk> {
  const dir = join(tmp.dir, name);
  const run = join(dir, 'run');
  const home = join(dir, 'home');
  mkdirSync(dir, { mode: 0o755 });
  for (const d of [run, home]) {
    mkdirSync(d, { mode: 0o700 });
    if (asRoot) chownSync(d, NOBODY, NOBODY);
  }
  writeFileSync(join(dir, 'devices.json'), JSON.stringify(devicesJson), { mode: 0o644 });
  writeFileSync(join(dir, 'sway.conf'), swayConfig(dir), { mode: 0o644 });
  const sway: ChildProcess = spawn('sway', ['--config', join(dir, 'sway.conf')], {
    env: { PATH: process.env.PATH, HOME: home, XDG_RUNTIME_DIR: run, WLR_BACKENDS: 'headless', WLR_RENDERER: 'pixman', WLR_LIBINPUT_NO_DEVICES: '1', WLR_HEADLESS_OUTPUTS: String(outputs) },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  const log: string[] = [];
  for (const s of [sway.stdout!, sway.stderr!]) s.on('data', (b: Buffer) => log.push(...b.toString().split('\n').filter((l) => l && !/dbus|drm|DRM/.test(l))));
  let socket = '';
  await untilAsync('sway\'s IPC socket', async () => (socket = readdirSync(run).find((f) => f.startsWith('sway-ipc.')) ?? '') !== '');
  const ipc = await Sway.open(join(run, socket));
  return (current = {
    ipc,
    run,
    log,
    views: async () => (await ipc.views()).filter((v) => v.appId !== null),
    exited: () => sway.exitCode !== null || sway.signalCode !== null,
    async stop() {
      ipc.close();
      if (sway.exitCode === null && sway.signalCode === null) {
        sway.kill('SIGTERM');
        await new Promise((r) => sway.once('exit', r));
      }
      // The session ends the browsers with sway; their Chromiums write their profiles (in home/) a moment longer.
      await untilAsync('the kiosk\'s browsers gone', async () => spawnSync('pgrep', ['-f', home]).status !== 0, 15_000);
    },
  });
}

/** The pages connected to the core (/health): all, and the customer displays among them. */
async function health(): Promise<{ screens: number; customerScreens: number }> {
  return (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { screens: number; customerScreens: number };
}
const screens = async () => (await health()).screens;

/** One output as grim captures it, saved as test-artifacts/kiosk-NAME.png to look at. */
function capture(k: Kiosk, output: string, name: string): Rgb {
  const img = parsePpm(execFileSync('grim', ['-o', output, '-t', 'ppm', '-'], { env: { ...process.env, XDG_RUNTIME_DIR: k.run, WAYLAND_DISPLAY: 'wayland-1' }, maxBuffer: 64 << 20 }));
  writeFileSync(join(ARTIFACTS, `kiosk-${name}.png`), encodePng(img));
  return img;
}

/** Until the output shows what the reference shows (sameInk, both ways); the last capture's figures. */
async function showing(k: Kiosk, output: string, name: string, ref: Rgba): Promise<{ refInk: number; screenInk: number }> {
  let seen = { refInk: 0, screenInk: 0 };
  await untilAsync(`${output} showing ${name}`, async () => {
    seen = sameInk(capture(k, output, name), ref);
    return seen.refInk > 0.85 && seen.screenInk > 0.85;
  }, 40_000).catch(() => undefined);
  return seen;
}

/** The page as Chromium draws it at this size (playwright; the same Chromium): what a person reads on that screen. */
async function reference(url: string, width: number, height: number, shown: string): Promise<Rgba> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(url);
    await page.getByTestId(shown).waitFor();
    await page.evaluate('document.fonts.ready.then(() => undefined)');
    const png = await page.screenshot();
    writeFileSync(join(ARTIFACTS, `kiosk-reference-${shown}-${width}x${height}.png`), png);
    return decodePng(png);
  } finally {
    await browser.close();
  }
}

/**
 * How much of what the reference shows (its "ink": pixels not its background colour) a screen shows
 * in the same place, both ways (and of the screen's ink, how much the reference has). Chromium's
 * translate bubble (top right; the image's managed policy turns it off, this machine has none) is
 * left out.
 */
function sameInk(screen: Rgb, ref: Rgba): { refInk: number; screenInk: number } {
  if (screen.width !== ref.width || screen.height !== ref.height) return { refInk: 0, screenInk: 0 };
  const px = (i: number, d: ArrayLike<number>, step: number) => [d[i * step]!, d[i * step + 1]!, d[i * step + 2]!];
  const diff = (a: number[], b: number[]) => Math.abs(a[0]! - b[0]!) + Math.abs(a[1]! - b[1]!) + Math.abs(a[2]! - b[2]!);
  const counts = new Map<string, number>();
  for (let i = 0; i < ref.width * ref.height; i += 11) counts.set(px(i, ref.data, 4).join(), (counts.get(px(i, ref.data, 4).join()) ?? 0) + 1);
  const bg = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0].split(',').map(Number);
  let refInk = 0, refHit = 0, scrInk = 0, scrHit = 0;
  for (let y = 0; y < ref.height; y++) {
    for (let x = 0; x < ref.width; x++) {
      if (y < 64 && x > ref.width - 360) continue;
      const i = y * ref.width + x;
      const r = px(i, ref.data, 4);
      const s = px(i, screen.pixels, 3);
      const same = diff(r, s) < 60;
      if (diff(r, bg) > 40) {
        refInk++;
        if (same) refHit++;
      }
      if (diff(s, bg) > 40) {
        scrInk++;
        if (same) scrHit++;
      }
    }
  }
  return { refInk: refInk ? refHit / refInk : 0, screenInk: scrInk ? scrHit / scrInk : 0 };
}

/** A role's window: a full-screen kiosk on its output, titled by the page (no tabs, no address bar, no token). */
function expectKiosk(views: View[], appId: string, output: string): View {
  const v = views.find((x) => x.appId === appId);
  expect(v, appId).toBeDefined();
  expect({ output: v!.output, fullscreen: v!.fullscreen }).toEqual({ output, fullscreen: 1 });
  expect(v!.title).toMatch(/^Kassa\b/);
  expect(v!.title).not.toMatch(/token|http|file:|New Tab|Ny flik|Neuer Tab/i);
  return v!;
}

const windowOn = (k: Kiosk, appId: string, output: string) => async () => (await k.views()).some((v) => v.appId === appId && v.output === output && v.fullscreen === 1 && v.visible && /^Kassa\b/.test(v.title));
const laneFocused = (k: Kiosk) => async () => (await k.views()).some((v) => v.appId === 'kassa-lane' && v.focused);

beforeAll(async () => {
  if (!runnable) return;
  demo = await startDemo({ KASSA_DATA_DIR: join(tmp.dir, 'data') });
  const url = new URL(demo.url);
  port = url.port;
  chmodSync(tmp.dir, 0o755);
  // The kiosk runs as nobody, who may not read this checkout (a clone in a private directory, as
  // mktemp -d makes): the session and the image's scripts it runs are copied where nobody can.
  cpSync(LIB, join(tmp.dir, 'lib'), { recursive: true });
  cpSync(join(ROOT, 'dist/kiosk'), join(tmp.dir, 'kiosk'), { recursive: true });
  cpSync(join(ROOT, 'node_modules/zod'), join(tmp.dir, 'node_modules/zod'), { recursive: true }); // the session's one package
  token = join(tmp.dir, 'token');
  writeFileSync(token, `${url.hash.replace('#token=', '')}\n`, { mode: 0o644 });
  const customerUrl = demo.url.replace('/#', '/?view=customer#');
  lanePage = await reference(demo.url, 1280, 720, 'signin-input');
  customerPage = await reference(customerUrl, 1024, 768, 'customer-display');
  customerPageWide = await reference(customerUrl, 1280, 720, 'customer-display');
}, 60_000);

/**
 * The screen shows the page: nearly all of the page's ink, and nearly nothing else. (The lane's
 * sign-in shows 92 % of its reference: the headless seat has no keyboard, so the kiosk window never
 * gets keyboard focus and its focused field draws no focus ring.)
 */
function expectShows(seen: { refInk: number; screenInk: number }): void {
  expect(seen.refInk).toBeGreaterThan(0.85);
  expect(seen.screenInk).toBeGreaterThan(0.85);
}

afterAll(async () => {
  await demo?.stop();
  tmp.cleanup();
}, 30_000);

describe.runIf(runnable)('the kiosk session in sway, store IT\'s defaults', () => {
  let k: Kiosk;
  beforeAll(async () => {
    // HEADLESS-1 keeps the headless backend's 1280×720. The second output's mode is changed as
    // its browser starts, as a monitor plugged in may: that has frozen Chromium on its first frame
    // (docs/design.md), which the session now checks for.
    k = await startKiosk('defaults', { devices: [] }, 1);
  }, 30_000);
  afterAll(async () => {
    await k?.stop();
  }, 30_000);

  it('shows the lane UI alone, full screen, on the only output', async () => {
    await untilAsync('the lane\'s window full screen', windowOn(k, 'kassa-lane', 'HEADLESS-1'), 30_000);
    await untilAsync('the lane UI connected to the core', async () => (await screens()) === 1, 30_000);
    const views = await k.views();
    expect(views.map((v) => v.appId)).toEqual(['kassa-lane']);
    // sway took every line of the image's config (it logs "Error on line N" for one it does not know).
    expect(k.log.filter((l) => /Error on line|config.*error/i.test(l))).toEqual([]);
    expect(expectKiosk(views, 'kassa-lane', 'HEADLESS-1').focused).toBe(true);
    expectShows(await showing(k, 'HEADLESS-1', 'one-output-lane', lanePage));
    // … which is not the customer display.
    expect(sameInk(capture(k, 'HEADLESS-1', 'one-output-lane'), customerPageWide).refInk).toBeLessThan(0.5);
  }, 60_000);

  it('puts the customer display full screen on a second output plugged in later; the lane keeps its output and the keyboard', async () => {
    await k.ipc.command('create_output');
    await k.ipc.command('output HEADLESS-2 mode 1024x768');
    await untilAsync('the customer display on the second output', windowOn(k, 'kassa-customer', 'HEADLESS-2'), 30_000);
    await untilAsync('both screens connected to the core', async () => (await screens()) === 2, 30_000);
    // … one of them a customer display (what kiosk-browser's watchdogs count, each its own kind).
    expect(await health()).toMatchObject({ screens: 2, customerScreens: 1 });
    await untilAsync('the lane focused', laneFocused(k));
    const views = await k.views();
    expect(views.map((v) => v.appId).sort()).toEqual(['kassa-customer', 'kassa-lane']);
    expectKiosk(views, 'kassa-customer', 'HEADLESS-2');
    // The keyboard (and a scanner that types) stays with the lane.
    expect(expectKiosk(views, 'kassa-lane', 'HEADLESS-1').focused).toBe(true);
    // What each screen shows is what that page shows a person at that size: the customer display's
    // welcome (the store's name) on the second output, the lane's sign-in still on the first.
    expectShows(await showing(k, 'HEADLESS-2', 'two-outputs-customer', customerPage));
    expectShows(await showing(k, 'HEADLESS-1', 'two-outputs-lane', lanePage));
  }, 90_000);
});

describe.runIf(runnable)('the kiosk session in sway, the lane\'s output set by store IT', () => {
  let k: Kiosk;
  beforeAll(async () => {
    k = await startKiosk('configured', { devices: [], screens: { lane: 'HEADLESS-2' } }, 2);
  }, 30_000);
  afterAll(async () => {
    await k?.stop();
  }, 30_000);

  it('shows the lane UI on the configured output and the customer display on the other', async () => {
    await untilAsync('the lane on HEADLESS-2', windowOn(k, 'kassa-lane', 'HEADLESS-2'), 30_000);
    await untilAsync('the customer display on HEADLESS-1', windowOn(k, 'kassa-customer', 'HEADLESS-1'), 30_000);
    await untilAsync('the lane focused', laneFocused(k));
    const views = await k.views();
    expect(expectKiosk(views, 'kassa-lane', 'HEADLESS-2').focused).toBe(true);
    expectKiosk(views, 'kassa-customer', 'HEADLESS-1');
  }, 60_000);

  it('starts the customer display again when its browser dies; the lane\'s browser dying ends the session (systemd restarts the kiosk)', async () => {
    const before = (await k.views()).find((v) => v.appId === 'kassa-customer')!;
    process.kill(before.pid!, 'SIGKILL');
    await untilAsync('a new customer display', async () => (await k.views()).some((v) => v.appId === 'kassa-customer' && v.pid !== before.pid && v.output === 'HEADLESS-1' && v.fullscreen === 1), 30_000);
    await untilAsync('the lane focused', laneFocused(k));
    const lane = (await k.views()).find((v) => v.appId === 'kassa-lane')!;
    process.kill(lane.pid!, 'SIGKILL');
    await untilAsync('sway ended', async () => k.exited(), 20_000);
    // … taking the customer display's browser with it.
    await untilAsync('no kiosk browser left', async () => (await health()).screens === 0, 20_000);
  }, 60_000);
});
