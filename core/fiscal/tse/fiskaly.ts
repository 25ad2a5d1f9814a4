/**
 * A client for fiskaly SIGN DE's REST API (v2), a cloud TSE, behind the TSE port (asynchronous:
 * AsyncTsePort). What it speaks, from fiskaly's API reference:
 *   POST /auth {api_key, api_secret} → {access_token, access_token_expires_in}; Bearer on every call,
 *     and once more after a 401;
 *   GET  /tss/{tss_id} → {serial_number, public_key, signature_algorithm, …};
 *   GET  /tss/{tss_id}/client/{client_id} → {serial_number, state: REGISTERED | DEREGISTERED}: the
 *     till checks that its client is its own (serial) and registered before it signs;
 *   PUT  /tss/{tss_id}/tx/{tx_id}?tx_revision=N {state: ACTIVE | FINISHED, client_id, schema} — the
 *     caller chooses the transaction's UUID and counts its revisions (1 starts it, each update and
 *     the finish one more), so a call repeated after a lost answer changes nothing; a start carries
 *     no schema (fiskaly: "the type and data of the transaction must be empty" when it starts);
 *     answered with {number, time_start, time_end, state, revision, client_serial_number,
 *     tss_serial_number, signature {value, algorithm, counter, public_key}, log {operation, timestamp},
 *     qr_code_data}; the counter comes as a number today and as a digit string in later versions
 *     (fiskaly's API notes ask clients to take both);
 *   GET  /tss/{tss_id}/client/{client_id}/tx?states[0]=ACTIVE → {data: [{_id, number, latest_revision}]}:
 *     the transactions the TSE holds open for the till, also ones its own file lost;
 *   PUT /tss/{tss_id}/export/{export_id} starts a TAR export (client_id, or a range of transaction
 *     numbers: fiskaly ignores the others when client_id is given); GET …/export/{export_id} until
 *     COMPLETED (at most 12 polls a minute per export: polled every 5 s, and a 429 or 503 waits
 *     its Retry-After; an export may take up to an hour); GET …/export/{export_id}/file is the archive;
 *   POST /tss/{tss_id}/admin/auth {admin_pin}, PUT /tss/{tss_id}/client/{client_id} {serial_number},
 *     POST /tss/{tss_id}/admin/logout: store IT registers a till's client (`npm run tse:client`).
 * Errors: fiskaly's body names a code (E_CLIENT_NOT_FOUND, E_TSS_NOT_FOUND, …); a client fiskaly does
 * not know or has deregistered is TSE_CLIENT_NOT_REGISTERED, a TSS that is not there, not
 * INITIALIZED, locked, defective or busy (404 on the TSS, 423, 429, 499, 5xx) is TSE_UNAVAILABLE (the
 * till sells on, marked "TSE ausgefallen").
 * Verified against fiskaly's OpenAPI description of SIGN DE v2.1.35 (2026-12-07).
 * The process data goes as `schema.raw` {process_type, process_data (base64)} so the TSE signs
 * exactly the DSFinV-K string the till built. A client id of the port is the till's serial number;
 * fiskaly names its client by a UUID, given here per serial. A till runs it on a thread of its own
 * behind the synchronous port (./thread.ts, ./device-thread.ts), its open transactions in a file.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TseError, type AsyncTsePort, type TseErrorCode, type TseExportFilter, type TseInfo, type TseLogResult, type TseOperation } from './port';

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
  /** Polls an export until it is ready (ms between tries; 5 s by default: fiskaly allows 12 polls a minute). */
  exportPollMs?: number;
  /** How long an export may take before the till gives up (ms of waiting; an hour by default). */
  exportWaitMs?: number;
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
const TssSchema = z.object({ serial_number: z.string().regex(/^[0-9a-f]{64}$/i), public_key: z.string().min(1), signature_algorithm: z.string().optional(), state: z.string().optional() });
const ClientSchema = z.object({ serial_number: z.string(), state: z.string() });
const OpenListSchema = z.object({ data: z.array(z.object({ _id: z.string().uuid(), number: z.number().int().positive(), state: z.string(), latest_revision: z.number().int().positive().optional(), revision: z.number().int().positive() })) });
/** A number today, a digit string in later API versions. */
const counter = z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d{0,15}$/).transform(Number)]);
const TxSchema = z.object({
  number: z.number().int().positive(),
  state: z.enum(['ACTIVE', 'FINISHED', 'CANCELLED']),
  revision: z.number().int().positive(),
  time_start: z.number().int(),
  time_end: z.number().int().nullable().optional(),
  client_serial_number: z.string(),
  tss_serial_number: z.string(),
  signature: z.object({ value: z.string(), algorithm: z.string(), counter, public_key: z.string() }),
  log: z.object({ operation: z.string(), timestamp: z.number().int() }),
});
const ExportSchema = z.object({ state: z.enum(['PENDING', 'WORKING', 'COMPLETED', 'CANCELLED', 'ERROR']) });

const unix = (s: number) => new Date(s * 1000).toISOString();

/** fiskaly refused a call: the HTTP status, its error code (E_…) and how long it asks to wait. */
class FiskalyRefusal extends TseError {
  constructor(code: TseErrorCode, message: string, readonly status: number, readonly retryAfterMs: number | null) {
    super(code, message);
  }
}

/** What a refusal means for the till (see the header). */
function refusalCode(status: number, fiskalyCode: string): TseErrorCode {
  if (/^E_CLIENT_/.test(fiskalyCode)) return 'TSE_CLIENT_NOT_REGISTERED';
  if (status >= 500 || status === 401 || status === 423 || status === 429 || status === 499) return 'TSE_UNAVAILABLE';
  if (status === 404) return fiskalyCode === 'E_TSS_NOT_FOUND' || fiskalyCode === '' ? 'TSE_UNAVAILABLE' : 'TSE_NO_SUCH_TRANSACTION';
  return 'TSE_BAD_INPUT';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

  /**
   * TR-03151 getOpenTransactions: what fiskaly holds open for the till's client, each kept with its
   * id and revision so the till can finish it even when its own file lost it; what this till knows
   * alone when fiskaly does not answer.
   */
  async openTransactions(clientId: string): Promise<number[]> {
    try {
      const uuid = this.clientUuid(clientId);
      for (let offset = 0; ; offset += 100) {
        const page = parse(OpenListSchema, await this.call('GET', `/tss/${this.o.tssId}/client/${uuid}/tx?states%5B0%5D=ACTIVE&limit=100&offset=${offset}`), 'open transactions');
        for (const t of page.data.filter((x) => x.state === 'ACTIVE' && !this.open.get(x.number))) this.open.set(t.number, { txId: t._id, revision: t.latest_revision ?? t.revision, clientId });
        if (page.data.length < 100) break;
      }
    } catch (err) {
      if (!(err instanceof TseError && err.code === 'TSE_UNAVAILABLE')) throw err;
    }
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
    if (res.ok) return path.endsWith('/file') ? Buffer.from(await res.arrayBuffer()) : ((await res.json()) as unknown);
    const text = (await res.text().catch(() => '')).slice(0, 300);
    let fiskalyCode = '';
    try {
      const c = (JSON.parse(text) as { code?: unknown }).code;
      fiskalyCode = typeof c === 'string' ? c : '';
    } catch {
      // not fiskaly's error body: the status alone tells
    }
    const code = refusalCode(res.status, fiskalyCode);
    // An expired token: sign in again, once (a deregistered client is not a token's fault).
    if (res.status === 401 && code === 'TSE_UNAVAILABLE' && path !== '/auth' && !retried) {
      this.token = null;
      return this.call(method, path, body, true);
    }
    const wait = Number(res.headers.get('retry-after'));
    throw new FiskalyRefusal(code, `fiskaly ${method} ${path.replace(/\?.*$/, '')}: HTTP ${res.status} ${text}`, res.status, Number.isFinite(wait) && wait > 0 ? wait * 1000 : null);
  }

  private async auth(): Promise<void> {
    const a = parse(AuthSchema, await this.call('POST', '/auth', { api_key: this.o.apiKey, api_secret: this.o.apiSecret }), 'auth');
    this.token = a.access_token;
  }

  /** The TSS (it must be INITIALIZED to sign), and each of this till's clients checked: its serial and REGISTERED. */
  async info(): Promise<TseInfo> {
    if (!this.tss) {
      const t = parse(TssSchema, await this.call('GET', `/tss/${this.o.tssId}`), 'TSS');
      if (t.state !== undefined && t.state !== 'INITIALIZED') throw new TseError('TSE_UNAVAILABLE', `fiskaly TSS ${this.o.tssId} is ${t.state}, not INITIALIZED: it does not sign`);
      for (const [serial, uuid] of Object.entries(this.o.clients)) {
        const c = parse(ClientSchema, await this.call('GET', `/tss/${this.o.tssId}/client/${uuid}`), 'client');
        if (c.serial_number !== serial) throw new TseError('TSE_CLIENT_NOT_REGISTERED', `fiskaly client ${uuid} belongs to till ${c.serial_number}, not ${serial}`);
        if (c.state !== 'REGISTERED') throw new TseError('TSE_CLIENT_NOT_REGISTERED', `fiskaly client ${uuid} of till ${serial} is ${c.state}`);
      }
      this.tss = { serialNumber: t.serial_number.toLowerCase(), publicKey: t.public_key, signatureAlgorithm: 'ecdsa-plain-SHA256', logTimeFormat: 'unixTime' };
    }
    return this.tss;
  }

  /**
   * Registers a till's client with the TSS (store IT, once per till: fiskaly asks for the TSS's
   * admin PIN, used for this call only and never kept); a client already registered for this very
   * till is fine, one of another till is refused.
   */
  async registerClient(clientId: string, adminPin: string): Promise<'registered' | 'already'> {
    const uuid = this.clientUuid(clientId);
    const base = `/tss/${this.o.tssId}`;
    try {
      const c = parse(ClientSchema, await this.call('GET', `${base}/client/${uuid}`), 'client');
      if (c.serial_number !== clientId) throw new TseError('TSE_BAD_INPUT', `fiskaly client ${uuid} belongs to till ${c.serial_number}, not ${clientId}: give this till a client id of its own`);
      if (c.state === 'REGISTERED') return 'already';
      throw new TseError('TSE_BAD_INPUT', `fiskaly client ${uuid} of till ${clientId} is ${c.state}: a deregistered client stays so; give this till a new client id`);
    } catch (err) {
      if (!(err instanceof TseError && err.code === 'TSE_CLIENT_NOT_REGISTERED')) throw err;
    }
    await this.call('POST', `${base}/admin/auth`, { admin_pin: adminPin });
    try {
      await this.call('PUT', `${base}/client/${uuid}`, { serial_number: clientId });
    } finally {
      await this.call('POST', `${base}/admin/logout`, {}).catch(() => {});
    }
    return 'registered';
  }

  private clientUuid(clientId: string): string {
    const id = this.o.clients[clientId];
    if (!id) throw new TseError('TSE_CLIENT_NOT_REGISTERED', `no fiskaly client is configured for till ${clientId}`);
    return id;
  }

  private async put(operation: TseOperation, clientId: string, txId: string, revision: number, processData: string, processType: string): Promise<TseLogResult> {
    const state = operation === 'FinishTransaction' ? 'FINISHED' : 'ACTIVE';
    // A start is empty (type and data come with the update or the finish): what the TSE logs for it.
    const start = operation === 'StartTransaction';
    const schema = start ? {} : { schema: { raw: { process_type: processType, process_data: Buffer.from(processData, 'utf8').toString('base64') } } };
    const tx = parse(TxSchema, await this.call('PUT', `/tss/${this.o.tssId}/tx/${txId}?tx_revision=${revision}`, { state, client_id: this.clientUuid(clientId), ...schema }), 'transaction');
    if (tx.client_serial_number !== clientId) throw new TseError('TSE_BAD_INPUT', `fiskaly answered for client ${tx.client_serial_number}, not ${clientId}`);
    const logged = start ? { processType: '', processData: '' } : { processType, processData };
    return { operation, clientId, transactionNumber: tx.number, signatureCounter: tx.signature.counter, logTime: unix(tx.log.timestamp), signature: tx.signature.value, serialNumber: tx.tss_serial_number.toLowerCase(), ...logged };
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

  /**
   * fiskaly exports the whole TSS, one client's transactions, or a range of transaction numbers, as
   * its TAR (a range wins over the client: fiskaly takes client_id alone or not at all).
   */
  async exportTar(filter: TseExportFilter = {}): Promise<Buffer> {
    const exportId = randomUUID();
    const q = new URLSearchParams();
    const range = filter.fromTransaction !== undefined || filter.toTransaction !== undefined;
    if (filter.clientId && !range) q.set('client_id', this.clientUuid(filter.clientId));
    if (filter.fromTransaction !== undefined) q.set('start_transaction_number', String(filter.fromTransaction));
    if (filter.toTransaction !== undefined) q.set('end_transaction_number', String(filter.toTransaction));
    const base = `/tss/${this.o.tssId}/export/${exportId}`;
    await this.call('PUT', `${base}${q.size ? `?${q}` : ''}`, {});
    const pollMs = this.o.exportPollMs ?? 5_000;
    for (let waited = 0; waited <= (this.o.exportWaitMs ?? 3_600_000); ) {
      let pause = pollMs;
      try {
        const e = parse(ExportSchema, await this.call('GET', base), 'export');
        if (e.state === 'COMPLETED') return (await this.call('GET', `${base}/file`)) as Buffer;
        if (!['PENDING', 'WORKING'].includes(e.state)) throw new TseError('TSE_UNAVAILABLE', `fiskaly export ${exportId} ended ${e.state}`);
      } catch (err) {
        // Polled too often, or fiskaly busy: wait as long as it asks, then go on polling.
        if (!(err instanceof FiskalyRefusal && (err.status === 429 || err.status === 503))) throw err;
        pause = Math.max(pollMs, err.retryAfterMs ?? 60_000);
      }
      await sleep(pause);
      waited += pause;
    }
    throw new TseError('TSE_UNAVAILABLE', `fiskaly export ${exportId} was not ready in time`);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new TseError('TSE_UNAVAILABLE', `fiskaly's ${what} answer is not what its API describes: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 300)}`);
  return r.data;
}
