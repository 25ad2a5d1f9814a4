/**
 * The kiosk image's session inside sway (image/rootfs/usr/lib/kassa/kiosk-sway.conf starts it):
 * one Chromium for the lane UI, full screen on the lane's output, and — while a second output is
 * connected — another for the customer display, full screen on that one (./layout.ts decides
 * which). Each is /usr/lib/kassa/kiosk-browser with its role: its own profile, kiosk flags and
 * watchdog. It follows sway's events (and looks at the outputs every 2 s; sway 1.7 has no output
 * event): an output plugged in starts the customer display on it, unplugged ends it, and the
 * lane's window goes back to the lane's output, full screen and focused (a scanner that types
 * must type into the lane).
 *
 *   node dist/kiosk/session.js [--devices devices.json] [--browser kiosk-browser] [--port 8400] [--token /run/kassa-ui/token]
 *
 * When the lane's browser ends (its watchdog, or a crash), the session ends sway, and systemd
 * starts the kiosk afresh, as it did with cage. When sway goes, so do the browsers.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Screens } from '../protocol/screens';
import { blackCorners, decideLayout, placeCommands, screensOf, type Layout, type Output } from './layout';
import { Sway } from './sway';

type Role = 'lane' | 'customer';
const APP_ID: Record<Role, string> = { lane: 'kassa-lane', customer: 'kassa-customer' };
/** Looks running a new window may show black corners before it is taken for frozen. */
const FROZEN_LOOKS = 3;
const log = (line: string) => process.stderr.write(`kassa kiosk session: ${line}\n`);

interface Options {
  browser: string;
  port: string;
  token: string;
  screens: Screens;
}

function options(): Options {
  const { values } = parseArgs({ options: { devices: { type: 'string' }, browser: { type: 'string', default: '/usr/lib/kassa/kiosk-browser' }, port: { type: 'string', default: '8400' }, token: { type: 'string', default: '/run/kassa-ui/token' } } });
  if (!/^\d{1,5}$/.test(values.port)) throw new Error('--port takes a port number');
  let screens: Screens = {};
  if (values.devices) {
    let text: string | null = null;
    try {
      text = readFileSync(values.devices, 'utf8');
    } catch {
      log(`no device configuration at ${values.devices}: default screens`);
    }
    if (text !== null) {
      const parsed = screensOf(text);
      if (parsed.problem) log(parsed.problem);
      screens = parsed.screens;
    }
  }
  return { browser: values.browser, port: values.port, token: values.token, screens };
}

/** Until no process of the group is left (kiosk-browser's Chromium outlives the script by a moment). */
async function groupGone(pgid: number): Promise<void> {
  for (let i = 0; i < 60; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One output as it is on screen (grim, sway's screencopy): binary PPM. */
function capture(output: string): Promise<Buffer> {
  return new Promise((res, rej) => {
    execFile('grim', ['-o', output, '-t', 'ppm', '-'], { encoding: 'buffer', maxBuffer: 64 << 20, timeout: 10_000 }, (err, out) => (err ? rej(err) : res(out)));
  });
}

class Session {
  private readonly browsers = new Map<Role, ChildProcess>();
  private layout: Layout = { lane: null, customer: null };
  private busy = false;
  private again = false;
  private ending = false;
  /** The 2-second looks so far, and since which one the lane's window has been up, full screen. */
  private ticks = 0;
  private laneUpSince: number | null = null;
  /** The look at which each window (sway's con_id) was first seen. */
  private readonly firstSeen = new Map<number, number>();
  private checking = false;
  private readonly frozenLooks = new Map<Role, number>();
  /** Roles whose browser the session ended and that have not exited yet. */
  private readonly exiting = new Set<Role>();

  constructor(private readonly sway: Sway, private readonly o: Options) {}

  /** Starts a role's browser in a process group of its own (ended as a group). */
  private start(role: Role): void {
    const child = spawn(this.o.browser, [role, this.o.port, this.o.token], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
    this.browsers.set(role, child);
    log(`${role} browser started (pid ${child.pid})`);
    child.once('exit', (code, signal) => {
      // One the session ended itself (its output gone, or frozen): its role may start again now
      // (not before: a second Chromium on a profile still in use hands itself to the first).
      if (this.browsers.get(role) !== child) {
        void groupGone(child.pid!).then(() => {
          this.exiting.delete(role);
          this.update();
        });
        return;
      }
      this.browsers.delete(role);
      if (this.ending) return;
      log(`${role} browser ended (${signal ?? `exit ${code}`})`);
      if (role === 'lane') void this.end(1);
      else setTimeout(() => this.update(), 2000);
    });
  }

  private stop(role: Role, why: string): void {
    const child = this.browsers.get(role);
    if (!child?.pid) return;
    this.browsers.delete(role);
    this.exiting.add(role);
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    setTimeout(() => signal('SIGKILL'), 5000).unref();
    log(`${role} browser ended: ${why}`);
  }

  /** Looks again (after an event): one pass at a time, and one more if asked meanwhile. */
  update(): void {
    if (this.ending) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.pass()
      .catch((err: unknown) => log(`layout: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.busy = false;
        if (this.again) {
          this.again = false;
          this.update();
        }
      });
  }

  private async pass(): Promise<void> {
    const outputs = await this.sway.outputs<Output>();
    const next = decideLayout(outputs, this.o.screens, this.layout.lane);
    if (next.lane !== this.layout.lane || next.customer !== this.layout.customer) {
      log(`lane UI on ${next.lane ?? 'no output'}, customer display on ${next.customer ?? 'none'}`);
      // Where each screen's workspace opens (assign in kiosk-sway.conf): before its browser maps.
      for (const role of ['lane', 'customer'] as const) {
        const target = next[role];
        if (target) await this.sway.command(`workspace ${APP_ID[role]} output "${target}"`);
      }
    }
    this.layout = next;
    let views = await this.sway.views();
    const view = (role: Role) => views.find((v) => v.appId === APP_ID[role]);
    if (!this.browsers.has('lane') && !this.exiting.has('lane')) this.start('lane');
    // The customer display starts once the lane's window has been up, full screen, for a look:
    // fewer things at once while Chromium starts (a precaution against the first-frame freeze,
    // docs/design.md; not shown to matter).
    const lane = view('lane');
    if (lane?.fullscreen === 1) this.laneUpSince ??= this.ticks;
    else this.laneUpSince = null;
    const laneSettled = this.laneUpSince !== null && this.ticks > this.laneUpSince;
    if (next.customer && !this.browsers.has('customer') && !this.exiting.has('customer') && laneSettled) this.start('customer');
    if (!next.customer) this.stop('customer', 'no output for it');
    views = await this.sway.views();
    const commands: string[] = [];
    for (const role of ['lane', 'customer'] as const) {
      const target = next[role];
      const v = view(role);
      if (!v || !target) continue;
      // A window just mapped is left to Chromium for two looks: --kiosk asks for full screen itself
      // (a precaution against the first-frame freeze, docs/design.md; not shown to matter).
      const seen = this.firstSeen.get(v.id) ?? this.ticks;
      this.firstSeen.set(v.id, seen);
      if (this.ticks - seen >= 2) commands.push(...placeCommands(v, target));
    }
    for (const c of commands) await this.sway.command(c);
    // Keyboard (and a scanner that types) to the lane, whatever was mapped or touched last.
    const laneNow = view('lane');
    const focused = views.find((v) => v.focused);
    if (laneNow && (focused?.id !== laneNow.id || commands.length)) await this.sway.command(`[con_id=${laneNow.id}] focus`);
  }

  /** The 2-second look. */
  tick(): void {
    this.ticks++;
    this.update();
    if (!this.checking) {
      this.checking = true;
      this.checkFrozen()
        .catch((err: unknown) => log(`screen check: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => (this.checking = false));
    }
  }

  /**
   * A browser whose window has shown sway's black corners (its first frame, not full size) for
   * FROZEN_LOOKS looks running, in its first minute, is started afresh: it will not draw again.
   */
  private async checkFrozen(): Promise<void> {
    const views = await this.sway.views();
    for (const role of ['lane', 'customer'] as const) {
      const v = views.find((x) => x.appId === APP_ID[role]);
      const age = v ? this.ticks - (this.firstSeen.get(v.id) ?? this.ticks) : 0;
      if (!v || v.fullscreen !== 1 || age < 3 || age > 30 || !this.browsers.has(role)) {
        this.frozenLooks.delete(role);
        continue;
      }
      const looks = (await capture(v.output).then(blackCorners, () => false)) ? (this.frozenLooks.get(role) ?? 0) + 1 : 0;
      this.frozenLooks.set(role, looks);
      if (looks < FROZEN_LOOKS) continue;
      this.frozenLooks.delete(role);
      this.stop(role, `its window on ${v.output} kept its first frame (black around it): starting it afresh`);
      this.update();
    }
  }

  async end(code: number): Promise<never> {
    this.ending = true;
    for (const role of [...this.browsers.keys()]) this.stop(role, 'the session ends');
    // sway ends with its session: systemd starts the kiosk afresh (Restart=always).
    await this.sway.command('exit').catch(() => {});
    process.exit(code);
  }

  endWithSway(): never {
    this.ending = true;
    for (const role of [...this.browsers.keys()]) this.stop(role, 'the session ends');
    process.exit(0);
  }
}

async function main(): Promise<void> {
  const o = options();
  const path = process.env.SWAYSOCK;
  if (!path) throw new Error('SWAYSOCK is not set: the session runs inside sway (exec in its config)');
  const sway = await Sway.open(path);
  const session = new Session(sway, o);
  sway.onClose(() => session.endWithSway());
  const events = await Sway.subscribe(path, ['workspace', 'window'], () => session.update());
  events.onClose(() => session.endWithSway());
  process.on('SIGTERM', () => session.endWithSway());
  session.update();
  setInterval(() => session.tick(), 2000);
}

main().catch((err: unknown) => {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
