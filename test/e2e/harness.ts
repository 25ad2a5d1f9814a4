/**
 * What every browser test starts from: `npm start`'s path (scripts/start.mjs in browser mode) on a
 * temporary data folder, Debian's Chromium, and axe-core for accessibility checks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach } from 'vitest';
import { MONDAY } from '../helpers/clock';

const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

/** The screen sizes the screens are checked and shot at: 1024×768, 1280×800, 1920×1080 and the 1080×1920 portrait kiosk. */
export const SCREEN_SIZES = [
  [1024, 768],
  [1280, 800],
  [1920, 1080],
  [1080, 1920],
] as const;
/** The screen's languages, each checked and shot. */
export const LANGS = ['sv', 'de', 'en'] as const;

export const LANE_URL = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/;
export const ATTENDANT_URL = /(http:\/\/127\.0\.0\.1:\d+\/\?view=attendant)/;

export interface Demo {
  child: ChildProcess;
  /** The lane UI's URL (with its token). */
  url: string;
  /** What matched each awaited pattern, in order (the first is the lane URL). */
  found: string[];
  /** Everything start.mjs printed on stdout. */
  stdout: string[];
  /** The last lines the core and start.mjs wrote on stderr (the core's log). */
  stderr: string[];
  stop(): Promise<void>;
}

/**
 * Runs the demo store in browser mode and waits until it printed a line matching each pattern.
 * The core's clock starts on an ordinary Monday morning (test/helpers/clock.ts) unless `env` sets
 * KASSA_DEMO_CLOCK: no browser test depends on the day or hour it runs.
 */
export async function startDemo(env: Record<string, string>, waitFor: RegExp[] = [LANE_URL]): Promise<Demo> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, KASSA_NO_ELECTRON: '1', KASSA_PROFILE: 'SE', KASSA_DEMO_CLOCK: MONDAY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  // The core's log goes to stderr, and a pipe nobody reads fills at 64 KiB: the core would then block
  // on its next log line (pipe writes are synchronous) and the whole store would hang mid-test.
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => {
    stderr.push(l);
    if (stderr.length > 2_000) stderr.splice(0, stderr.length - 1_000);
  });
  const found = await new Promise<string[]>((res, rej) => {
    const got: Array<string | undefined> = waitFor.map(() => undefined);
    const t = setTimeout(() => rej(new Error(`start.mjs did not print ${waitFor.join(', ')}: ${stdout.join("\n")}\n${stderr.join("\n")}`)), 30_000);
    createInterface({ input: child.stdout! }).on('line', (l) => {
      stdout.push(l);
      waitFor.forEach((re, i) => {
        const m = re.exec(l);
        if (m && got[i] === undefined) got[i] = m[1] ?? m[0];
      });
      if (got.every((g) => g !== undefined)) {
        clearTimeout(t);
        res(got as string[]);
      }
    });
    child.on('exit', (c) => rej(new Error(`start.mjs exited ${c}: ${stdout.join("\n")}\n${stderr.join("\n")}`)));
  });
  return {
    child,
    url: found[0]!,
    found,
    stdout,
    stderr,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium; .ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** axe-core's serious and critical violations on the page as it is (the page's context must bypass CSP). */
export async function seriousA11y(page: Page, label: string): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const found = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    return (await axe.run({ resultTypes: ['violations'] })).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return found.map((f) => `${label}: ${f}`);
}

/** What a page wrote on its console (the last lines), kept for the failure report below. */
const consoles = new WeakMap<Page, string[]>();
/** Keeps the page's console lines and page errors for printCoreLogOnFailure. */
export function recordConsole(page: Page): Page {
  const lines: string[] = [];
  consoles.set(page, lines);
  const keep = (l: string) => {
    lines.push(l);
    if (lines.length > 60) lines.shift();
  };
  page.on('console', (m) => keep(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => keep(`pageerror: ${e.message}`));
  return page;
}

/**
 * After a failed test, prints the core's log (its last lines) beside the failure: what the store saw
 * happen. Given the page, also what the person saw: a screenshot (test-artifacts/failed-….png), the
 * element that had the focus, the open window if any, and the page's console.
 */
export function printCoreLogOnFailure(demo: () => Demo | undefined, page?: () => Page | undefined): void {
  afterEach(async (ctx) => {
    const d = demo();
    if (ctx.task.result?.state !== 'fail' || !d) return;
    process.stderr.write(`--- core log (last lines) after "${ctx.task.name}" ---\n${d.stderr.slice(-80).join('\n')}\n---\n`);
    const p = page?.();
    if (!p || p.isClosed()) return;
    const file = join(ARTIFACTS, `failed-${ctx.task.name.replace(/[^\w]+/g, '-').slice(0, 60)}.png`);
    await p.screenshot({ path: file }).catch(() => {});
    const focus = await p
      .evaluate<string>(
        `(() => { const a = document.activeElement; const d = document.querySelector('[role="dialog"][aria-modal="true"]');
          return 'focus: ' + (a ? a.outerHTML.slice(0, 200) : 'none') + '\\nopen window: ' + (d ? (d.getAttribute('data-testid') || d.outerHTML.slice(0, 120)) : 'none'); })()`,
      )
      .catch((err: unknown) => `page not readable: ${String(err)}`);
    process.stderr.write(`--- the page after "${ctx.task.name}" (screenshot ${file}) ---\n${focus}\nconsole:\n${(consoles.get(p) ?? []).join('\n')}\n---\n`);
  });
}
