import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreReady } from '../../protocol/terminal';
import { CoreSupervisor, createChildProcessSpawner } from '../../electron/supervisor';
import {
  backoffDelay,
  buildCoreArgs,
  createLineSplitter,
  DEFAULT_BACKOFF,
  parseReadyLine,
} from '../../electron/supervisor-core';

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
    /** Resolves when `n` ready events have been seen. */
    readies(n: number): Promise<CoreReady[]>;
  }

  function startFakeCore(mode: 'normal' | 'crash-first' | 'crash-after-ready'): Recorded {
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
    });
    const recorded: Recorded = {
      supervisor,
      events: [],
      logs: [],
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
