import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreExitRequest, CoreReady, CoreState } from '../../protocol/terminal/process';
import { CoreSupervisor, createChildProcessSpawner } from '../../electron/main/supervisor';
import {
  backoffDelay,
  buildCoreArgs,
  coreArgsFromEnv,
  createLineSplitter,
  DEFAULT_BACKOFF,
  parseExitRequestLine,
  parseReadyLine,
} from '../../electron/main/supervisor-core';

const TOKEN = 'A'.repeat(43);
const readyLine = (fields: Record<string, unknown> = {}): string =>
  JSON.stringify({ kassa: 'ready', port: 4321, token: TOKEN, pid: 99, ...fields });

describe('createLineSplitter', () => {
  const split = (chunks: string[], maxLength?: number): string[] => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line), maxLength);
    for (const chunk of chunks) splitter.push(chunk);
    splitter.flush();
    return lines;
  };

  it('joins lines split across chunks', () => {
    expect(split(['one\ntw', 'o\nth', 'r', 'ee\n'])).toEqual(['one', 'two', 'three']);
  });

  it('handles several lines per chunk, CRLF, empty lines and a last line without newline', () => {
    expect(split(['a\r\nb\n\nc\r', '\nd'])).toEqual(['a', 'b', '', 'c', 'd']);
  });

  it('emits nothing on flush when the stream ended on a newline', () => {
    expect(split(['a\n'])).toEqual(['a']);
  });

  it('cuts a runaway line without newline into pieces', () => {
    expect(split(['abcdefg', 'h\nij'], 3)).toEqual(['abc', 'def', 'gh', 'ij']);
  });
});

describe('parseReadyLine', () => {
  it('accepts the ready line with the expected token', () => {
    expect(parseReadyLine(readyLine(), TOKEN)).toEqual({ kassa: 'ready', port: 4321, token: TOKEN, pid: 99 });
    expect(parseReadyLine(`  ${readyLine()}  `, TOKEN)?.port).toBe(4321);
  });

  it('rejects a ready line with another token', () => {
    expect(parseReadyLine(readyLine({ token: 'B'.repeat(43) }), TOKEN)).toBeNull();
  });

  it.each([
    ['a log line', 'core listening'],
    ['invalid JSON', '{"kassa":"ready",'],
    ['other JSON', '{"kassa":"log","msg":"x"}'],
    ['missing port', JSON.stringify({ kassa: 'ready', token: TOKEN, pid: 1 })],
    ['string port', readyLine({ port: '4321' })],
    ['port 0', readyLine({ port: 0 })],
    ['port too big', readyLine({ port: 65_536 })],
    ['fractional pid', readyLine({ pid: 1.5 })],
  ])('ignores %s', (_name, line) => {
    expect(parseReadyLine(line, TOKEN)).toBeNull();
  });
});

describe('parseExitRequestLine', () => {
  it('accepts the exit line the core prints after an IT PIN', () => {
    expect(parseExitRequestLine('{"kassa":"exit","operator":"9"}')).toEqual({ kassa: 'exit', operator: '9' });
    expect(parseExitRequestLine('  {"operator":"12345678","kassa":"exit"}\r')).toEqual({ kassa: 'exit', operator: '12345678' });
  });

  it('keeps only the known fields', () => {
    expect(parseExitRequestLine(JSON.stringify({ kassa: 'exit', operator: '9', force: true }))).toEqual({ kassa: 'exit', operator: '9' });
  });

  it.each([
    ['a log line', 'operator 9 asked to exit'],
    ['a log line mentioning the JSON', 'log: {"kassa":"exit","operator":"9"}'],
    ['invalid JSON', '{"kassa":"exit","operator":"9"'],
    ['the ready line', readyLine()],
    ['another kassa message', '{"kassa":"exiting","operator":"9"}'],
    ['no operator', '{"kassa":"exit"}'],
    ['an empty operator', '{"kassa":"exit","operator":""}'],
    ['a numeric operator', '{"kassa":"exit","operator":9}'],
    ['a huge operator', JSON.stringify({ kassa: 'exit', operator: '9'.repeat(33) })],
    ['a JSON array', '[{"kassa":"exit","operator":"9"}]'],
  ])('ignores %s', (_name, line) => {
    expect(parseExitRequestLine(line)).toBeNull();
  });
});

describe('backoffDelay', () => {
  it('doubles from 250 ms and caps at 10 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelay(n))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
  });

  it('honours custom options and never goes below the initial delay', () => {
    const options = { ...DEFAULT_BACKOFF, initialMs: 10, maxMs: 35 };
    expect([-1, 0, 1, 2, 3].map((n) => backoffDelay(n, options))).toEqual([10, 10, 20, 35, 35]);
  });
});

describe('buildCoreArgs', () => {
  it('builds the core command line', () => {
    expect(buildCoreArgs({ db: '/d/kassa.db', port: 0, profile: 'SE' })).toEqual([
      '--db', '/d/kassa.db', '--port', '0', '--profile', 'SE',
    ]);
    expect(buildCoreArgs({ db: 'k.db', port: 5000, profile: 'DE', demo: true })).toEqual([
      '--db', 'k.db', '--port', '5000', '--profile', 'DE', '--demo',
    ]);
  });
});

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A fake core: an ESM script run with the real Node binary through the child_process spawner. */
const FAKE_CORE = `
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const args = process.argv.slice(2);
const argPort = Number(args[args.indexOf('--port') + 1]);
const write = (data) => new Promise((resolve) => process.stdout.write(data, () => setTimeout(resolve, 15)));
const counter = process.env.COUNTER_FILE;
const run = existsSync(counter) ? Number(readFileSync(counter, 'utf8')) : 0;
writeFileSync(counter, String(run + 1));
console.log('run ' + run + ' args ' + args.join(' '));
console.error('a line on stderr');
if (process.env.MODE === 'crash-first' && run === 0) process.exit(3);
if (process.env.MODE === 'always-crash') process.exit(4);
// An exit line before ready is only a log line: no PIN can have been verified yet.
if (process.env.MODE === 'exit-request') await write(JSON.stringify({ kassa: 'exit', operator: 'early' }) + '\\n');
await write('log one\\nlog tw');
await write('o\\n');
await write(JSON.stringify({ kassa: 'ready', port: 1111, token: 'not-the-token-xxxxxxxx', pid: process.pid }) + '\\n');
const ready = JSON.stringify({ kassa: 'ready', port: argPort || 4000 + run, token: process.env.KASSA_TOKEN, pid: process.pid });
await write(ready.slice(0, 9));
await write(ready.slice(9, 30));
await write(ready.slice(30) + '\\nafter ready\\n');
const utf8 = Buffer.from('Smörgås\\n');
await write(utf8.subarray(0, 3));
await write(utf8.subarray(3));
if (process.env.MODE === 'crash-after-ready' && run === 0) process.exit(3);
if (process.env.MODE === 'exit-request') {
  // on stderr it does not count; on stdout once per run
  process.stderr.write(JSON.stringify({ kassa: 'exit', operator: 'stderr' }) + '\\n');
  await write(JSON.stringify({ kassa: 'exit', operator: '9' }) + '\\n');
  await write(JSON.stringify({ kassa: 'exit', operator: 'again' }) + '\\n');
}
setInterval(() => {}, 1000);
`;

describe('CoreSupervisor with node:child_process', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  interface Recorded {
    supervisor: CoreSupervisor;
    events: Array<['ready', CoreReady] | ['exit', number | null, NodeJS.Signals | null]>;
    logs: string[];
    states: CoreState[];
    exitRequests: CoreExitRequest[];
    /** Resolves when `n` ready events have been seen. */
    readies(n: number): Promise<CoreReady[]>;
  }

  function startFakeCore(mode: 'normal' | 'crash-first' | 'crash-after-ready' | 'always-crash' | 'exit-request'): Recorded {
    const dir = mkdtempSync(join(tmpdir(), 'kassa-supervisor-'));
    const corePath = join(dir, 'core.mjs');
    writeFileSync(corePath, FAKE_CORE);
    const supervisor = new CoreSupervisor({
      corePath,
      db: join(dir, 'kassa.db'),
      profile: 'SE',
      spawn: createChildProcessSpawner(process.execPath),
      env: { ...process.env, COUNTER_FILE: join(dir, 'counter'), MODE: mode },
      backoff: { initialMs: 20, maxMs: 100 },
      stopTimeoutMs: 2_000,
      failedAfterAttempts: 3,
    });
    const recorded: Recorded = {
      supervisor,
      events: [],
      logs: [],
      states: [],
      exitRequests: [],
      readies: (n) =>
        new Promise((resolve) => {
          const check = (): void => {
            const readies = recorded.events.filter((e) => e[0] === 'ready').map((e) => e[1] as CoreReady);
            if (readies.length < n) return;
            supervisor.off('ready', check);
            resolve(readies);
          };
          supervisor.on('ready', check);
          check();
        }),
    };
    supervisor.on('ready', (ready) => recorded.events.push(['ready', ready]));
    supervisor.on('exit', (code, signal) => recorded.events.push(['exit', code, signal]));
    supervisor.on('log', (line) => recorded.logs.push(line));
    supervisor.on('state', (state) => recorded.states.push(state));
    supervisor.on('exitRequest', (request) => recorded.exitRequests.push(request));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => supervisor.stop());
    supervisor.start();
    return recorded;
  }

  it('emits ready with the port from the ready line; everything else is a log line', async () => {
    const { supervisor, readies, logs, events } = startFakeCore('normal');
    const [ready] = await readies(1);
    expect(ready).toEqual({ kassa: 'ready', port: 4000, token: supervisor.token, pid: expect.any(Number) });
    expect(supervisor.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(supervisor.current).toEqual(ready);
    await until(() => logs.includes('Smörgås')); // the last thing the fake core prints
    await supervisor.stop();
    expect(supervisor.current).toBeNull();
    expect(logs).toContain('log one');
    expect(logs).toContain('log two');
    expect(logs).toContain('a line on stderr');
    expect(logs).toContain('after ready');
    expect(logs).toContain('Smörgås');
    expect(logs.some((l) => l.includes('not-the-token'))).toBe(true); // wrong token: only a log
    expect(logs.find((l) => l.startsWith('run 0'))).toMatch(/--db \S+kassa\.db --port 0 --profile SE$/);
    // stop() ends the core for good: one exit, no restart.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.map((e) => e[0])).toEqual(['ready', 'exit']);
    expect(logs.filter((l) => l.startsWith('run '))).toHaveLength(1);
  });

  it('restarts a core that crashes before it is ready', async () => {
    const { readies, events, logs } = startFakeCore('crash-first');
    const [ready] = await readies(1);
    expect(events[0]).toEqual(['exit', 3, null]);
    expect(ready?.port).toBe(4001); // second run, started with --port 0
    expect(logs).toContain('core restarts in 20 ms');
    expect(logs.find((l) => l.startsWith('run 1'))).toContain('--port 0');
  });

  it('restarts a core that crashes after ready on the same port, so the window can just reload', async () => {
    const { readies, events, logs } = startFakeCore('crash-after-ready');
    const [first, second] = await readies(2);
    expect(first?.port).toBe(4000);
    expect(second?.port).toBe(4000);
    expect(events.map((e) => e[0])).toEqual(['ready', 'exit', 'ready']);
    expect(events[1]).toEqual(['exit', 3, null]);
    expect(logs.find((l) => l.startsWith('run 1'))).toContain('--port 4000');
  });

  it('tells the window the core state: starting, ready, restarting with the backoff delay, ready again', async () => {
    const { supervisor, readies, states } = startFakeCore('crash-after-ready');
    await readies(2);
    expect(states).toEqual([
      { state: 'starting', attempt: 0, retryInMs: null },
      { state: 'ready', attempt: 0, retryInMs: null },
      { state: 'restarting', attempt: 1, retryInMs: 20 },
      { state: 'starting', attempt: 1, retryInMs: null },
      { state: 'ready', attempt: 1, retryInMs: null },
    ]);
    expect(supervisor.state).toEqual({ state: 'ready', attempt: 1, retryInMs: null });
    await supervisor.stop();
    expect(states).toHaveLength(5); // stopping is not a restart
  });

  it('says failed once the restarts keep failing, and keeps retrying at the capped delay', async () => {
    const { supervisor, states } = startFakeCore('always-crash');
    await until(() => states.filter((s) => s.state === 'failed').length >= 2, 5_000);
    await supervisor.stop();
    const restarts = states.filter((s) => s.state !== 'starting');
    expect(restarts.slice(0, 4)).toEqual([
      { state: 'restarting', attempt: 1, retryInMs: 20 },
      { state: 'restarting', attempt: 2, retryInMs: 40 },
      { state: 'failed', attempt: 3, retryInMs: 80 },
      { state: 'failed', attempt: 4, retryInMs: 100 },
    ]);
    expect(states.filter((s) => s.state === 'ready')).toEqual([]);
  });

  it('passes on the exit line of a ready core once, from stdout only; the core then stops cleanly', async () => {
    const { supervisor, readies, logs, exitRequests, events } = startFakeCore('exit-request');
    await readies(1);
    await until(() => exitRequests.length > 0);
    await until(() => logs.some((l) => l.includes('"again"')));
    expect(exitRequests).toEqual([{ kassa: 'exit', operator: '9' }]);
    expect(logs.some((l) => l.includes('"early"'))).toBe(true); // before ready: a log line
    expect(logs.some((l) => l.includes('"stderr"'))).toBe(true); // stderr: a log line
    expect(logs.some((l) => l.includes('"operator":"9"'))).toBe(false);
    await supervisor.stop();
    expect(events.map((e) => e[0])).toEqual(['ready', 'exit']);
  });

  it('keeps retrying with backoff when the core cannot be spawned', async () => {
    const supervisor = new CoreSupervisor({
      corePath: 'core.js',
      db: 'kassa.db',
      profile: 'SE',
      spawn: createChildProcessSpawner(join(tmpdir(), 'no-such-node-binary')),
      backoff: { initialMs: 5, maxMs: 20 },
    });
    const exits: Array<number | null> = [];
    supervisor.on('exit', (code) => exits.push(code));
    const logs: string[] = [];
    supervisor.on('log', (line) => logs.push(line));
    cleanups.push(() => supervisor.stop());
    supervisor.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await supervisor.stop();
    expect(exits.length).toBeGreaterThanOrEqual(3);
    expect(logs.slice(0, 3)).toEqual(['core restarts in 5 ms', 'core restarts in 10 ms', 'core restarts in 20 ms']);
  });
});

describe('coreArgsFromEnv', () => {
  it("passes the terminal's own core options from the kiosk's environment and drops what does not look right", () => {
    expect(coreArgsFromEnv({ KASSA_MODE: 'self', KASSA_ATTENDANT: '0.0.0.0:7010', KASSA_DEVICES: '/etc/kassa/devices.json', KASSA_ZVT: 'tcp:10.0.0.5:20007', KASSA_LANE: 'K3' })).toEqual([
      '--mode', 'self', '--attendant', '0.0.0.0:7010', '--devices', '/etc/kassa/devices.json', '--zvt', 'tcp:10.0.0.5:20007', '--lane', 'K3',
    ]);
    expect(coreArgsFromEnv({ KASSA_PEER_LISTEN: '0.0.0.0:7020', KASSA_PEER_ADDRESS: '10.0.0.12:7020' })).toEqual(['--peer-listen', '0.0.0.0:7020', '--peer-address', '10.0.0.12:7020']);
    expect(coreArgsFromEnv({ KASSA_PEER_LISTEN: 'x; rm', KASSA_PEER_ADDRESS: '--db' })).toEqual([]);
    expect(coreArgsFromEnv({})).toEqual([]);
    expect(coreArgsFromEnv({ KASSA_MODE: 'weird', KASSA_ATTENDANT: 'x; rm -rf /', KASSA_DEVICES: 'relative.json', KASSA_ZVT: 'tcp:host', KASSA_LANE: '--db' })).toEqual([]);
    expect(buildCoreArgs({ db: '/d.db', port: 0, profile: 'SE', extra: ['--mode', 'self'] })).toEqual(['--db', '/d.db', '--port', '0', '--profile', 'SE', '--mode', 'self']);
  });
});
