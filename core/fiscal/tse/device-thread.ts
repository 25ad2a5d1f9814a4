/**
 * A TSE's own thread (started by ./thread.ts), as a real TSE is a device of its own: the simulator
 * signs (ECDSA P-256) and writes its file (fsync'd), or the fiskaly client speaks to its cloud TSE,
 * while the lane's thread goes on. It answers one request at a time, in the order asked, on the
 * port it was given, and after each answer bumps the shared counter (Atomics.notify) so that a
 * caller blocked on an answer wakes up.
 *
 * It reads no clock: each request carries the time the lane asked at, and the simulator logs that
 * (the lane's clock is the simulated device's clock; tests set it). fiskaly's open transactions are
 * kept in a file of their own (`stateFile`, fsync'd) so that a till that restarts can finish them.
 */
import Database from 'better-sqlite3';
import { isMainThread, workerData, type MessagePort } from 'node:worker_threads';
import { FiskalyTse, type FiskalyOpen, type FiskalyOpenStore } from './fiskaly';
import { TseError, type TseExportFilter, type TseInfo, type TseLogResult } from './port';
import { TseSimulator } from './simulator';
import type { TseDevice, TseThreadReply, TseThreadRequest } from './thread-protocol';

type Maybe<T> = T | Promise<T>;

/** What the thread asks of its device: the port's calls, sync or async. */
interface Device {
  info(): Maybe<TseInfo>;
  registerClient(clientId: string): Maybe<void>;
  startTransaction(clientId: string, processData: string, processType: string): Maybe<TseLogResult>;
  updateTransaction(clientId: string, n: number, processData: string, processType: string): Maybe<TseLogResult>;
  finishTransaction(clientId: string, n: number, processData: string, processType: string): Maybe<TseLogResult>;
  openTransactions(clientId: string): Maybe<number[]>;
  exportTar(filter: TseExportFilter): Maybe<Buffer>;
  unplug(): void;
  plugIn(): void;
  close(): void;
}

function answer(dev: Device, m: TseThreadRequest): Maybe<unknown> {
  switch (m.op) {
    case 'info':
      return dev.info();
    case 'register':
      return dev.registerClient(m.clientId);
    case 'start':
      return dev.startTransaction(m.clientId, m.processData, m.processType);
    case 'update':
      return dev.updateTransaction(m.clientId, m.transactionNumber, m.processData, m.processType);
    case 'finish':
      return dev.finishTransaction(m.clientId, m.transactionNumber, m.processData, m.processType);
    case 'open':
      return dev.openTransactions(m.clientId);
    case 'export':
      return dev.exportTar(m.filter);
    case 'unplug':
      return dev.unplug();
    case 'plugIn':
      return dev.plugIn();
    case 'ping':
      return null;
  }
}

/** fiskaly's open transactions in a file of their own (WAL, synchronous=FULL: an answer is kept before it is given). */
function fileStore(file: string): { store: FiskalyOpenStore; close: () => void } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS fiskaly_open (transaction_number INTEGER PRIMARY KEY, tx_id TEXT NOT NULL, revision INTEGER NOT NULL, client_id TEXT NOT NULL)');
  const get = db.prepare<[number], { tx_id: string; revision: number; client_id: string }>('SELECT tx_id, revision, client_id FROM fiskaly_open WHERE transaction_number = ?');
  const set = db.prepare<[number, string, number, string]>('INSERT OR REPLACE INTO fiskaly_open (transaction_number, tx_id, revision, client_id) VALUES (?, ?, ?, ?)');
  const del = db.prepare<[number]>('DELETE FROM fiskaly_open WHERE transaction_number = ?');
  const all = db.prepare<[string], { transaction_number: number }>('SELECT transaction_number FROM fiskaly_open WHERE client_id = ? ORDER BY transaction_number');
  const store: FiskalyOpenStore = {
    get: (n): FiskalyOpen | undefined => {
      const r = get.get(n);
      return r ? { txId: r.tx_id, revision: r.revision, clientId: r.client_id } : undefined;
    },
    set: (n, o) => void set.run(n, o.txId, o.revision, o.clientId),
    delete: (n) => void del.run(n),
    numbers: (clientId) => all.all(clientId).map((r) => r.transaction_number),
  };
  return { store, close: () => db.close() };
}

function open(d: TseDevice, now: () => Date): Device {
  if (d.kind === 'simulator') return new TseSimulator(d.file, { now });
  const { store, close } = fileStore(d.stateFile);
  const tse = new FiskalyTse({ ...d.fiskaly, openStore: store, timeoutMs: d.fiskaly.timeoutMs ?? 4_000 });
  const unsupported = () => {
    throw new TseError('TSE_BAD_INPUT', 'a cloud TSE cannot be pulled out');
  };
  return {
    info: () => tse.info(),
    // fiskaly's clients are registered in fiskaly; this till checks that it has one.
    registerClient: (clientId) => {
      if (!d.fiskaly.clients[clientId]) throw new TseError('TSE_CLIENT_NOT_REGISTERED', `no fiskaly client is configured for till ${clientId}`);
    },
    startTransaction: (c, pd, pt) => tse.startTransaction(c, pd, pt),
    updateTransaction: (c, n, pd, pt) => tse.updateTransaction(c, n, pd, pt),
    finishTransaction: (c, n, pd, pt) => tse.finishTransaction(c, n, pd, pt),
    openTransactions: (c) => tse.openTransactions(c),
    exportTar: (f) => tse.exportTar(f),
    unplug: unsupported,
    plugIn: unsupported,
    close,
  };
}

function main(): void {
  const d = workerData as { device: TseDevice; port: MessagePort; signal: SharedArrayBuffer; at: number; pulled: boolean };
  const signal = new Int32Array(d.signal);
  let at = d.at; // the lane's clock when it started the thread (a new simulator's key is made now)
  let dev: Device | null = null;
  let broken = '';
  try {
    dev = open(d.device, () => new Date(at));
    if (d.pulled) dev.unplug();
  } catch (err) {
    broken = err instanceof Error ? err.message : String(err); // every call is answered with it: a TSE that does not work
  }
  const reply = (r: TseThreadReply) => {
    d.port.postMessage(r);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  const fail = (id: number, err: unknown): TseThreadReply => ({ id, ok: false, code: err instanceof TseError ? err.code : null, message: err instanceof Error ? err.message : String(err) });
  // One at a time, in order: an async answer (fiskaly) is awaited before the next request is taken.
  let queue: Promise<void> = Promise.resolve();
  d.port.on('message', (m: TseThreadRequest | 'stop') => {
    queue = queue.then(async () => {
      if (m === 'stop') {
        try {
          dev?.close();
        } finally {
          d.port.close();
        }
        return;
      }
      at = m.at;
      try {
        if (!dev) throw new TseError('TSE_UNAVAILABLE', `the TSE does not open: ${broken}`);
        reply({ id: m.id, ok: true, value: (await answer(dev, m)) ?? null });
      } catch (err) {
        reply(fail(m.id, err));
      }
    });
  });
}

// Loaded as the worker (./thread.ts says so), not when another module imports it.
if (!isMainThread && (workerData as { tseDevice?: boolean } | null)?.tseDevice) main();
