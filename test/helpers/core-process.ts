/** Starts the real core bundle (dist/core/main.js) as a child process and talks to it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { MONDAY } from './clock';
import { CORE_NODE_FLAGS } from '../../protocol/core-node-flags';
import { CoreReadySchema, ServerMessageSchema, type CommandBody, type ServerMessage, type Snapshot } from '../../protocol/terminal';
import { checkResultOf } from './result-map';
import { openDatabase } from '../../core/db';
import { loadControlUnitConfig, saveControlUnitConfig } from '../../core/fiscal/control-unit/config';
import { loadStoreLegal, saveStoreLegal } from '../../core/markets/store-legal';

export const CORE_BUNDLE = resolve('dist/core/main.js');

export interface CoreProcess {
  child: ChildProcess;
  port: number;
  /** The store-peer listener's port, when the core runs one (--peer-listen). */
  peerPort: number | null;
  token: string;
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * A Swedish till sells only with a control unit store IT provisioned (core/fiscal/control-unit/config.ts):
 * a test's Swedish core (the default profile) that is not the demo store (which provisions its own) is
 * provisioned with the simulator, as `npm run provision -- --control-unit simulator` would, unless the
 * test asks for none (`controlUnit: 'none'`: the till then refuses every receipt).
 */
const TEST_STORE_LEGAL = { companyName: 'Kassa Test AB', orgNumber: '556677-8899', address: 'Testgatan 1, 111 22 Stockholm', vatId: 'SE556677889901' };

function provisionControlUnit(dbPath: string, extraArgs: string[], choice: 'simulator' | 'none'): void {
  const i = extraArgs.indexOf('--profile');
  const country = i >= 0 ? (extraArgs[i + 1] ?? 'SE') : 'SE';
  if (choice === 'none' || extraArgs.includes('--demo') || country.toUpperCase() !== 'SE' || dbPath === ':memory:') return;
  mkdirSync(dirname(resolve(dbPath)), { recursive: true });
  const db = openDatabase(dbPath);
  try {
    if (!loadControlUnitConfig(db)) saveControlUnitConfig(db, { kind: 'simulator' });
    // …and its registration needs the store's particulars (made-up ones, as `npm run provision -- --legal` keeps them) unless the test kept its own.
    if (!loadStoreLegal(db)) saveStoreLegal(db, TEST_STORE_LEGAL);
  } finally {
    db.close();
  }
}

export async function startCoreProcess(dbPath: string, extraArgs: string[] = [], timeoutMs = 20_000, env: Record<string, string> = {}, opts: { controlUnit?: 'simulator' | 'none' } = {}): Promise<CoreProcess> {
  if (!existsSync(CORE_BUNDLE)) throw new Error(`${CORE_BUNDLE} is missing: run npm run build (npm test does)`);
  provisionControlUnit(dbPath, extraArgs, opts.controlUnit ?? 'simulator');
  // A given KASSA_TOKEN is kept (a restarted core on the same port and token, as the Electron supervisor does).
  const token = env.KASSA_TOKEN ?? randomBytes(24).toString('base64url');
  // A demo core runs on the tests' fixed Monday unless the test sets its own clock (only a demo core takes one).
  const clock = extraArgs.includes('--demo') && !extraArgs.includes('--clock') ? ['--clock', MONDAY] : [];
  const child = spawn(process.execPath, [...CORE_NODE_FLAGS, CORE_BUNDLE, '--db', dbPath, '--port', '0', ...clock, ...extraArgs], {
    env: { ...process.env, ...env, KASSA_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  let peerPort: number | null = null;
  const port = await new Promise<number>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`core not ready after ${timeoutMs} ms: ${stderr.join('\n')}`)), timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const ready = CoreReadySchema.parse(JSON.parse(line));
        if (ready.token === token) {
          clearTimeout(timer);
          peerPort = ready.peerPort ?? null;
          res(ready.port);
        }
      } catch {
        // log line
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      rej(new Error(`core exited (${code ?? signal}) before ready: ${stderr.join('\n')}`));
    });
  });
  return { child, port, peerPort, token, stderr, exited };
}

export async function stopCoreProcess(p: CoreProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  await p.exited;
}

const MESSAGES_KEPT = 5_000;

/** A minimal Terminal API client: sends commands, resolves with the ack or error for each. */
export class ApiClient {
  private n = 0;
  private readonly pending = new Map<string, (m: ServerMessage) => void>();
  /** The messages received, the newest MESSAGES_KEPT of them (a soak receives millions of snapshots). */
  readonly messages: ServerMessage[] = [];
  /** How many older messages were let go. */
  private dropped = 0;
  snapshot: Snapshot | null = null;
  private constructor(readonly ws: WebSocket) {}

  static async connect(port: number, token: string, origin?: string): Promise<ApiClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${encodeURIComponent(token)}`, origin ? { origin } : {});
    const client = new ApiClient(ws);
    await new Promise<void>((res, rej) => {
      ws.once('error', rej);
      ws.on('message', (data) => {
        const msg = ServerMessageSchema.parse(JSON.parse(String(data)));
        client.messages.push(msg);
        if (client.messages.length > MESSAGES_KEPT * 2) {
          client.messages.splice(0, MESSAGES_KEPT);
          client.dropped += MESSAGES_KEPT;
        }
        if (msg.type === 'welcome' || msg.type === 'snapshot') {
          if (!client.snapshot || msg.snapshot.version >= client.snapshot.version) client.snapshot = msg.snapshot;
          if (msg.type === 'welcome') res();
        }
        if ((msg.type === 'ack' || msg.type === 'error') && msg.id !== null) {
          const cb = client.pending.get(msg.id);
          if (cb) {
            client.pending.delete(msg.id);
            cb(msg);
          }
        }
      });
    });
    return client;
  }

  /** Sends a command (an `id` is added) and waits for its ack or typed error. */
  async send(cmd: CommandBody & { id?: string }): Promise<ServerMessage> {
    const id = cmd.id ?? `c${++this.n}`;
    const reply = await this.sendRaw(JSON.stringify({ ...cmd, id }), id);
    if (reply.type === 'ack') checkResultOf(cmd.cmd, reply.result);
    return reply;
  }

  sendRaw(text: string, id: string): Promise<ServerMessage> {
    return new Promise((res, rej) => {
      this.pending.set(id, res);
      this.ws.send(text, (err) => err && rej(err));
    });
  }

  /** Waits for the next message matching a predicate (e.g. an error without id). */
  next(pred: (m: ServerMessage) => boolean, timeoutMs = 5000): Promise<ServerMessage> {
    const start = this.dropped + this.messages.length;
    return new Promise((res, rej) => {
      const t0 = Date.now();
      const tick = () => {
        const found = this.messages.slice(Math.max(0, start - this.dropped)).find(pred);
        if (found) return res(found);
        if (Date.now() - t0 > timeoutMs) return rej(new Error('timed out waiting for a message'));
        setTimeout(tick, 5);
      };
      tick();
    });
  }

  close(): void {
    this.ws.close();
  }
}
