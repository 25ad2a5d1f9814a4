/**
 * The local fiskaly-shaped server (./fiskaly-server.ts) on a thread of its own, signing with a TSE
 * simulator in `file`: a lane whose TSE calls block its thread until answered (core/fiscal/tse/thread.ts)
 * cannot be answered by a server on that same thread. `setDown` switches its 503s; `stop` ends it.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { clockFrom } from '../../core/clock';
import { TseSimulator } from '../../core/fiscal/tse/simulator';
import { startModuleWorker } from '../../core/worker-module';
import { FiskalyTestServer } from './fiskaly-server';

interface Data {
  file: string;
  tssId: string;
  /** fiskaly client UUID → the till's serial. */
  clients: Record<string, string>;
  /** The server's TSE clock starts here (it runs at real speed). */
  start: string;
}

export interface FiskalyServerThread {
  baseUrl: string;
  setDown(down: boolean): Promise<void>;
  stop(): Promise<void>;
}

export async function startFiskalyServerThread(d: Data): Promise<FiskalyServerThread> {
  const w = startModuleWorker(import.meta.url, './fiskaly-server-thread.ts', 'none', { ...d, fiskalyServer: true });
  const next = () => new Promise<{ baseUrl?: string; ok?: boolean; error?: string }>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  const first = await next();
  if (!first.baseUrl) throw new Error(`the fiskaly test server did not start: ${first.error ?? 'no answer'}`);
  return {
    baseUrl: first.baseUrl,
    async setDown(down) {
      const answered = next();
      w.postMessage({ down });
      await answered;
    },
    async stop() {
      const answered = next();
      w.postMessage({ stop: true });
      await answered;
      await w.terminate();
    },
  };
}

async function main(): Promise<void> {
  const d = workerData as Data;
  const port = parentPort!;
  try {
    const sim = new TseSimulator(d.file, { now: clockFrom(d.start) });
    for (const serial of Object.values(d.clients)) sim.registerClient(serial);
    const server = new FiskalyTestServer(sim, d.tssId, d.clients);
    port.postMessage({ baseUrl: await server.start() });
    port.on('message', (m: { down?: boolean; stop?: boolean }) => {
      if (m.stop) {
        void server.stop().then(() => {
          sim.close();
          port.postMessage({ ok: true });
        });
        return;
      }
      server.down = m.down ?? server.down;
      port.postMessage({ ok: true });
    });
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
}

if (!isMainThread && (workerData as { fiskalyServer?: boolean } | null)?.fiskalyServer) void main();
