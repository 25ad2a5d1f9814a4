/**
 * The core speaks systemd's notify protocol (core/sd-notify.ts) to a real NOTIFY_SOCKET (a unix
 * datagram socket, test/helpers/notify-socket.ts) through the real systemd-notify: the built core
 * says READY=1 once /health is ok, pings the watchdog at half WATCHDOG_USEC, says what it does
 * (STATUS=) and STOPPING=1 on SIGTERM. The pings come from the event loop: a held loop sends none.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { provisioningStatus } from '../../core/provisioning';
import { SystemdNotifier, takeNotifyEnv } from '../../core/sd-notify';
import { startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { freePort } from '../helpers/first-boot';
import { listenNotify, type NotifyListener } from '../helpers/notify-socket';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';

const tmp = tempDir('kassa-sd-notify-');
const listeners: NotifyListener[] = [];
let core: CoreProcess | undefined;
afterAll(async () => {
  if (core) await stopCoreProcess(core, 'SIGKILL').catch(() => undefined);
  for (const l of listeners) l.close();
  tmp.cleanup();
});

async function listener(name: string): Promise<NotifyListener> {
  const l = await listenNotify(join(tmp.dir, `${name}.sock`));
  listeners.push(l);
  return l;
}

const gaps = (ts: number[]) => ts.slice(1).map((t, i) => t - ts[i]!);

describe('the notify settings', () => {
  it('are taken out of the environment; the watchdog is only for the pid systemd names', () => {
    const env: NodeJS.ProcessEnv = { NOTIFY_SOCKET: '/run/n', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42', PATH: '/bin' };
    expect(takeNotifyEnv(env, 42)).toEqual({ socket: '/run/n', watchdogMs: 30_000 });
    expect(env).toEqual({ PATH: '/bin' });
    expect(takeNotifyEnv({ NOTIFY_SOCKET: '/run/n', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '7' }, 42)).toEqual({ socket: '/run/n', watchdogMs: null });
    expect(takeNotifyEnv({ NOTIFY_SOCKET: '/run/n' }, 42)).toEqual({ socket: '/run/n', watchdogMs: null });
    expect(takeNotifyEnv({ WATCHDOG_USEC: '30000000' }, 42)).toBeNull();
  });

  it('the status line says the provisioning step and the catalog count', () => {
    const base = { dirs: [], source: null, step: null, enrolled: null, recovery: null, catalog: null, devices: null, failure: null };
    expect(provisioningStatus(undefined)).toBe('selling');
    expect(provisioningStatus({ ...base, phase: 'waiting' })).toBe('waiting for provisioning');
    expect(provisioningStatus({ ...base, phase: 'working', step: 'enrolling' })).toBe('provisioning: enrolling with HQ');
    expect(provisioningStatus({ ...base, phase: 'working', step: 'catalog', catalog: { version: 3, done: 120_000, total: 500_000 } })).toBe('provisioning: catalog 120000/500000');
    expect(provisioningStatus({ ...base, phase: 'failed', step: 'enrolling', failure: { code: 'hqUnreachable', detail: '' } })).toMatch(/^provisioning failed: hqUnreachable/);
  });
});

describe('SystemdNotifier in this process', () => {
  it('pings only while the event loop turns: a loop held for 1.5 s sends nothing meanwhile, then pings again', async () => {
    const l = await listener('loop');
    const logs: string[] = [];
    const n = new SystemdNotifier({ socket: l.path, watchdogMs: 400 }, { log: (x) => logs.push(x), stallLogMs: 1_000 });
    let status = 'one';
    n.start(() => status);
    n.ready();
    await until('three pings', () => l.times('WATCHDOG=1').length >= 3);
    status = 'two';
    const before = l.times('WATCHDOG=1').length;
    // The loop wedged: nothing the core's timers do can run.
    const t0 = performance.now();
    while (performance.now() - t0 < 1_500) {
      /* held */
    }
    await until('pings again', () => l.times('WATCHDOG=1').length >= before + 3);
    await n.stopping();
    const pings = l.times('WATCHDOG=1');
    expect(Math.max(...gaps(pings))).toBeGreaterThanOrEqual(1.4);
    // Otherwise every half watchdog time (200 ms), never late by a whole one.
    expect(gaps(pings).filter((g) => g >= 1)).toHaveLength(1);
    expect(logs.some((x) => /the event loop was held for 1\.\d s/.test(x))).toBe(true);
    // Each status once, when it changed; STOPPING last, no ping after it.
    expect(l.messages.flatMap((m) => m.lines.filter((x) => x.startsWith('STATUS=')))).toEqual(['STATUS=one', 'STATUS=two', 'STATUS=stopping']);
    expect(l.messages.at(-1)!.lines).toContain('STOPPING=1');
  });

  it('without systemd-notify it says so once and the core goes on', async () => {
    const logs: string[] = [];
    const n = new SystemdNotifier({ socket: join(tmp.dir, 'none.sock'), watchdogMs: 200 }, { log: (x) => logs.push(x), command: join(tmp.dir, 'no-such-program') });
    n.start(() => 'x');
    n.ready();
    await new Promise((r) => setTimeout(r, 500));
    await n.stopping();
    expect(logs.filter((x) => x.startsWith('systemd notify:'))).toEqual([expect.stringMatching(/could not run .*no more messages/)]);
  });
});

describe('the built core under a NOTIFY_SOCKET', () => {
  it('READY=1 once /health is ok, WATCHDOG=1 at half WATCHDOG_USEC, its status, STOPPING=1 on SIGTERM', async () => {
    const l = await listener('core');
    const port = await freePort();
    // The moment READY=1 arrives, /health must already say ok.
    let healthAtReady: Promise<unknown> | null = null;
    l.onMessage = (m) => {
      if (m.lines.includes('READY=1') && !healthAtReady) healthAtReady = fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json());
    };
    const stick = join(tmp.dir, 'usb');
    mkdirSync(stick);
    core = await startCoreProcess(join(tmp.dir, 'kassa.db'), ['--port', String(port), '--provisioning', '--provision-dir', stick], 30_000, { NOTIFY_SOCKET: l.path, WATCHDOG_USEC: '1000000' });
    const ready = await l.next('READY=1');
    expect(await healthAtReady).toMatchObject({ ok: true });
    expect(l.messages[0]!.lines).toEqual(['STATUS=starting: opening the database']);
    expect(ready.lines).toContain('STATUS=waiting for provisioning');
    // Pings keep coming, every half second or so.
    await until('six pings', () => l.times('WATCHDOG=1').length >= 6, 15_000);
    expect(Math.max(...gaps(l.times('WATCHDOG=1')))).toBeLessThan(0.95);
    expect(l.times('WATCHDOG=1')[0]).toBeGreaterThanOrEqual(ready.at);
    core.child.kill('SIGTERM');
    expect(await core.exited).toEqual({ code: 0, signal: null });
    const stopping = l.messages.find((m) => m.lines.includes('STOPPING=1'));
    expect(stopping?.lines).toContain('STATUS=stopping');
    expect(l.messages.at(-1)).toBe(stopping);
    // Every message was taken (systemd-notify exited 0 each time).
    expect(core.stderr.filter((x) => x.includes('systemd notify'))).toEqual([]);
  }, 60_000);
});
