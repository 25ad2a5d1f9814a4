/**
 * A client for fiskaly SIGN DE's REST API (v2), a cloud TSE, behind the TSE port (asynchronous:
 * AsyncTsePort). What it speaks, from fiskaly's API reference:
 *   POST /auth {api_key, api_secret} → {access_token, access_token_expires_in}; Bearer on every call,
 *     and once more after a 401;
 *   GET  /tss/{tss_id} → {serial_number, public_key, signature_algorithm, …};
 *   PUT  /tss/{tss_id}/tx/{tx_id}?tx_revision=N {state: ACTIVE | FINISHED, client_id, schema} — the
 *     caller chooses the transaction's UUID and counts its revisions (1 starts it, each update and
 *     the finish one more), so a call repeated after a lost answer changes nothing;
 *     answered with {number, time_start, time_end, state, revision, client_serial_number,
 *     tss_serial_number, signature {value, algorithm, counter, public_key}, log {operation, timestamp},
 *     qr_code_data};
 *   PUT /tss/{tss_id}/export/{export_id} starts a TAR export; GET …/export/{export_id} until
 *     COMPLETED; GET …/export/{export_id}/file is the archive.
 * The process data goes as `schema.raw` {process_type, process_data (base64)} so the TSE signs
 * exactly the DSFinV-K string the till built. A client id of the port is the till's serial number;
 * fiskaly names its client by a UUID, given here per serial. A till runs it on a thread of its own
 * behind the synchronous port (./thread.ts, ./device-thread.ts), its open transactions in a file.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TseError, type AsyncTsePort, type TseExportFilter, type TseInfo, type TseLogResult, type TseOperation } from './port';

export interface FiskalyOptions {
  /** e.g. https://kassensichv-middleware.fiskaly.com/api/v2 */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  tssId: string;
  /** The fiskaly client UUID of each till serial (the port's client id). */
  clients: Record<string, string>;
  timeoutMs?: number;
  fetchFn?: typeof fetch;
  /** Polls an export until it is ready (ms between tries). */
  exportPollMs?: number;
  /** Where open transactions are kept (in memory unless given: a till keeps them in a file, ./device-thread.ts). */
  openStore?: FiskalyOpenStore;
}

/** A transaction this till started and has not finished: fiskaly's id for it and the last revision sent. */
export interface FiskalyOpen {
  txId: string;
  revision: number;
  clientId: string;
}

/** Open transactions by TSE number; kept so that a till that restarts can still finish (or abort) them. */
export interface FiskalyOpenStore {
  get(transactionNumber: number): FiskalyOpen | undefined;
  set(transactionNumber: number, open: FiskalyOpen): void;
  delete(transactionNumber: number): void;
  numbers(clientId: string): number[];
}

function memoryStore(): FiskalyOpenStore {
  const m = new Map<number, FiskalyOpen>();
  return {
    get: (n) => m.get(n),
    set: (n, o) => void m.set(n, o),
    delete: (n) => void m.delete(n),
    numbers: (clientId) => [...m].filter(([, o]) => o.clientId === clientId).map(([n]) => n).sort((a, b) => a - b),
  };
}

const AuthSchema = z.object({ access_token: z.string().min(1), access_token_expires_in: z.number().optional() });
const TssSchema = z.object({ serial_number: z.string().regex(/^[0-9a-f]{64}$/i), public_key: z.string().min(1), signature_algorithm: z.string().optional() });
const TxSchema = z.object({
  number: z.number().int().positive(),
  state: z.enum(['ACTIVE', 'FINISHED', 'CANCELLED']),
  revision: z.number().int().positive(),
  time_start: z.number().int(),
  time_end: z.number().int().nullable().optional(),
  client_serial_number: z.string(),
  tss_serial_number: z.string(),
  signature: z.object({ value: z.string(), algorithm: z.string(), counter: z.number().int().positive(), public_key: z.string() }),
  log: z.object({ operation: z.string(), timestamp: z.number().int() }),
});
const ExportSchema = z.object({ state: z.enum(['PENDING', 'WORKING', 'COMPLETED', 'CANCELLED', 'EXPIRED', 'DELETED', 'ERROR']) });

const unix = (s: number) => new Date(s * 1000).toISOString();

export class FiskalyTse implements AsyncTsePort {
  private token: string | null = null;
  private tss: TseInfo | null = null;
  /** Open transactions by TSE number: fiskaly's id and the last revision sent. */
  private readonly open: FiskalyOpenStore;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly o: FiskalyOptions) {
    this.fetchFn = o.fetchFn ?? fetch;
    this.open = o.openStore ?? memoryStore();
  }

  /** TR-03151 getOpenTransactions, as far as this till knows them (the ones it started and has not finished). */
  async openTransactions(clientId: string): Promise<number[]> {
    return this.open.numbers(clientId);
  }

  private async call(method: string, path: string, body?: unknown, retried = false): Promise<unknown> {
    if (!this.token && path !== '/auth') await this.auth();
    let res: Response;
    try {
      res = await this.fetchFn(`${this.o.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(this.token && path !== '/auth' ? { authorization: `Bearer ${this.token}` } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new TseError('TSE_UNAVAILABLE', `fiskaly does not answer: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (res.status === 401 && path !== '/auth' && !retried) {
      this.token = null;
      return this.call(method, path, body, true);
    }
    if (!res.ok) {
      const text = (await res.text().catch(() => '')).slice(0, 300);
      const code = res.status >= 500 || res.status === 401 || res.status === 429 ? 'TSE_UNAVAILABLE' : res.status === 404 ? 'TSE_NO_SUCH_TRANSACTION' : 'TSE_BAD_INPUT';
      throw new TseError(code, `fiskaly ${method} ${path.replace(/\?.*$/, '')}: HTTP ${res.status} ${text}`);
    }
    return path.endsWith('/file') ? Buffer.from(await res.arrayBuffer()) : ((await res.json()) as unknown);
  }

  private async auth(): Promise<void> {
    const a = parse(AuthSchema, await this.call('POST', '/auth', { api_key: this.o.apiKey, api_secret: this.o.apiSecret }), 'auth');
    this.token = a.access_token;
  }

  async info(): Promise<TseInfo> {
    if (!this.tss) {
      const t = parse(TssSchema, await this.call('GET', `/tss/${this.o.tssId}`), 'TSS');
      this.tss = { serialNumber: t.serial_number.toLowerCase(), publicKey: t.public_key, signatureAlgorithm: 'ecdsa-plain-SHA256', logTimeFormat: 'unixTime' };
    }
    return this.tss;
  }

  private clientUuid(clientId: string): string {
    const id = this.o.clients[clientId];
    if (!id) throw new TseError('TSE_CLIENT_NOT_REGISTERED', `no fiskaly client is configured for till ${clientId}`);
    return id;
  }

  private async put(operation: TseOperation, clientId: string, txId: string, revision: number, processData: string, processType: string): Promise<TseLogResult> {
    const state = operation === 'FinishTransaction' ? 'FINISHED' : 'ACTIVE';
    const body = { state, client_id: this.clientUuid(clientId), schema: { raw: { process_type: processType, process_data: Buffer.from(processData, 'utf8').toString('base64') } } };
    const tx = parse(TxSchema, await this.call('PUT', `/tss/${this.o.tssId}/tx/${txId}?tx_revision=${revision}`, body), 'transaction');
    if (tx.client_serial_number !== clientId) throw new TseError('TSE_BAD_INPUT', `fiskaly answered for client ${tx.client_serial_number}, not ${clientId}`);
    return { operation, clientId, transactionNumber: tx.number, signatureCounter: tx.signature.counter, logTime: unix(tx.log.timestamp), signature: tx.signature.value, serialNumber: tx.tss_serial_number.toLowerCase(), processType, processData };
  }

  async startTransaction(clientId: string, processData: string, processType: string): Promise<TseLogResult> {
    const txId = randomUUID();
    const r = await this.put('StartTransaction', clientId, txId, 1, processData, processType);
    this.open.set(r.transactionNumber, { txId, revision: 1, clientId });
    return r;
  }

  private next(clientId: string, transactionNumber: number): { txId: string; revision: number } {
    const o = this.open.get(transactionNumber);
    if (!o || o.clientId !== clientId) throw new TseError('TSE_NO_SUCH_TRANSACTION', `no open transaction ${transactionNumber} for client ${clientId} on this till`);
    return { txId: o.txId, revision: o.revision + 1 };
  }

  async updateTransaction(clientId: string, transactionNumber: number, processData: string, processType: string): Promise<TseLogResult> {
    const n = this.next(clientId, transactionNumber);
    const r = await this.put('UpdateTransaction', clientId, n.txId, n.revision, processData, processType);
    this.open.set(transactionNumber, { txId: n.txId, revision: n.revision, clientId });
    return r;
  }

  async finishTransaction(clientId: string, transactionNumber: number, processData: string, processType: string): Promise<TseLogResult> {
    const n = this.next(clientId, transactionNumber);
    const r = await this.put('FinishTransaction', clientId, n.txId, n.revision, processData, processType);
    this.open.delete(transactionNumber);
    return r;
  }

  /** fiskaly exports the whole TSS (or one client's, or a range of transaction numbers) as its TAR. */
  async exportTar(filter: TseExportFilter = {}): Promise<Buffer> {
    const exportId = randomUUID();
    const q = new URLSearchParams();
    if (filter.clientId) q.set('client_id', this.clientUuid(filter.clientId));
    if (filter.fromTransaction !== undefined) q.set('start_transaction_number', String(filter.fromTransaction));
    if (filter.toTransaction !== undefined) q.set('end_transaction_number', String(filter.toTransaction));
    const base = `/tss/${this.o.tssId}/export/${exportId}`;
    await this.call('PUT', `${base}${q.size ? `?${q}` : ''}`, {});
    for (let i = 0; i < 600; i++) {
      const e = parse(ExportSchema, await this.call('GET', base), 'export');
      if (e.state === 'COMPLETED') return (await this.call('GET', `${base}/file`)) as Buffer;
      if (!['PENDING', 'WORKING'].includes(e.state)) throw new TseError('TSE_UNAVAILABLE', `fiskaly export ${exportId} ended ${e.state}`);
      await new Promise((r) => setTimeout(r, this.o.exportPollMs ?? 1_000));
    }
    throw new TseError('TSE_UNAVAILABLE', `fiskaly export ${exportId} was not ready in time`);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new TseError('TSE_UNAVAILABLE', `fiskaly's ${what} answer is not what its API describes: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 300)}`);
  return r.data;
}
