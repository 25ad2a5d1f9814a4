/**
 * A local HTTP server that speaks the shape of fiskaly SIGN DE's API v2 (auth, TSS, clients with
 * the admin's PIN, transactions with revisions, open transactions listed, exports with their rate
 * limit), signing with the real TSE simulator — so a client's answers carry signatures the
 * independent verifier can check. Written from fiskaly's OpenAPI description (v2.1.35): a start
 * carries no type or data, the type may not change between revisions, an unknown client is 400
 * E_CLIENT_NOT_FOUND, a deregistered one 401 E_CLIENT_DEREGISTERED, a missing TSS 404
 * E_TSS_NOT_FOUND, client_id in an export makes it ignore the range. Its faults are switches: down
 * (503), tokens expired (401), answers that are not the API's shape, polls rate-limited (429 with
 * Retry-After), the TSS's state, the counter as a digit string (as later API versions send it).
 * A revision out of order is refused as 409 (the status fiskaly uses here is not documented).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TseSimulator } from '../../core/fiscal/tse/simulator';

interface Tx {
  revision: number;
  clientUuid: string;
  answer: Record<string, unknown>;
  /** The process type, once an update or the finish gave it. */
  type: string;
}

export class FiskalyTestServer {
  readonly requests: string[] = [];
  /** Bodies of the transaction PUTs, in order. */
  readonly txBodies: Array<Record<string, unknown>> = [];
  down = false;
  garbage = false;
  tssState = 'INITIALIZED';
  counterAsString = false;
  /** The next n export polls are refused with 429 and Retry-After: 1. */
  rateLimitPolls = 0;
  readonly adminPin = '424242';
  private tokens = new Set<string>();
  private admins = new Set<string>();
  /** fiskaly client UUID → the till's serial and its state. */
  private readonly clientState = new Map<string, { serial: string; state: 'REGISTERED' | 'DEREGISTERED' }>();
  private readonly txs = new Map<string, Tx>();
  private readonly exports = new Map<string, { polls: number; query: URLSearchParams }>();
  private server: Server | null = null;
  private n = 0;

  constructor(
    private readonly sim: TseSimulator,
    readonly tssId: string,
    /** fiskaly client UUID → the till's serial number (the TSE's client id). */
    clients: Record<string, string>,
    private readonly credentials = { api_key: 'test_key', api_secret: 'test_secret' },
  ) {
    for (const [uuid, serial] of Object.entries(clients)) this.clientState.set(uuid, { serial, state: 'REGISTERED' });
  }

  deregister(uuid: string): void {
    this.clientState.get(uuid)!.state = 'DEREGISTERED';
  }

  private get clients(): Record<string, string> {
    return Object.fromEntries([...this.clientState].map(([uuid, c]) => [uuid, c.serial]));
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v2`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  expireTokens(): void {
    this.tokens.clear();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url!, 'http://x');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': Buffer.isBuffer(body) ? 'application/x-tar' : 'application/json', ...headers });
      res.end(Buffer.isBuffer(body) ? body : JSON.stringify(body));
    };
    const fail = (status: number, error: string, message: string) => send(status, { status_code: status, error, code: error, message });
    if (this.down) return fail(503, 'Service Unavailable', 'down');
    let body: Record<string, unknown> = {};
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      return fail(400, 'Bad Request', 'body is no JSON');
    }
    const p = url.pathname.replace(/^\/api\/v2/, '').split('/').filter(Boolean);
    if (req.method === 'POST' && p.join('/') === 'auth') {
      if (body.api_key !== this.credentials.api_key || body.api_secret !== this.credentials.api_secret) return fail(401, 'Unauthorized', 'bad credentials');
      const token = `token-${++this.n}`;
      this.tokens.add(token);
      return send(200, { access_token: token, access_token_expires_in: 300, refresh_token: `refresh-${this.n}` });
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.tokens.has(token)) return fail(401, 'Unauthorized', 'no valid token');
    if (p[0] !== 'tss' || p[1] !== this.tssId) return fail(404, 'E_TSS_NOT_FOUND', 'no such TSS');
    if (this.garbage) return send(200, { hello: 'world' });
    const info = this.sim.info();
    const route = `${req.method} ${p.slice(2).join('/')}`;
    if (req.method === 'GET' && p.length === 2) return send(200, { _id: this.tssId, state: this.tssState, serial_number: info.serialNumber, public_key: info.publicKey, signature_algorithm: 'ecdsa-plain-SHA256', signature_timestamp_format: 'unixTime' });
    if (route === 'POST admin/auth') return body.admin_pin === this.adminPin ? (this.admins.add(token), send(200, {})) : fail(401, 'E_ADMIN_PIN_INVALID', 'wrong admin PIN');
    if (route === 'POST admin/logout') return this.admins.delete(token), send(200, {});
    if (p[2] === 'client' && p[3]) return this.client(req.method!, p[3], p[4], body, token, send, fail);
    if (req.method === 'PUT' && p[2] === 'tx' && p[3]) return this.transaction(p[3], Number(url.searchParams.get('tx_revision')), body, send, fail);
    if (p[2] === 'export' && p[3]) return this.export(req.method!, p[3], p[4] === 'file', url.searchParams, send, fail);
    return fail(404, 'Not Found', 'no such route');
  }

  private client(method: string, uuid: string, sub: string | undefined, body: Record<string, unknown>, token: string, send: (s: number, b: unknown) => void, fail: (s: number, e: string, m: string) => void): void {
    const c = this.clientState.get(uuid);
    if (method === 'PUT' && !sub) {
      if (!this.admins.has(token)) return fail(401, 'E_UNAUTHENTICATED_ADMIN', 'sign in as the TSS admin first');
      if (c) return fail(409, 'E_CLIENT_CONFLICT', 'client exists');
      this.clientState.set(uuid, { serial: String(body.serial_number), state: 'REGISTERED' });
      this.sim.registerClient(String(body.serial_number));
      return send(200, { _id: uuid, serial_number: body.serial_number, state: 'REGISTERED' });
    }
    if (!c) return fail(404, 'E_CLIENT_NOT_FOUND', 'no such client');
    if (method === 'GET' && !sub) return send(200, { _id: uuid, serial_number: c.serial, state: c.state });
    if (method === 'GET' && sub === 'tx') {
      const data = [...this.txs].filter(([, t]) => t.clientUuid === uuid && t.answer.state === 'ACTIVE').map(([id, t]) => ({ ...t.answer, _id: id, latest_revision: t.revision }));
      return send(200, { data, count: data.length });
    }
    return fail(404, 'Not Found', 'no such route');
  }

  private transaction(txId: string, revision: number, body: Record<string, unknown>, send: (s: number, b: unknown) => void, fail: (s: number, e: string, m: string) => void): void {
    this.txBodies.push(body);
    const clientUuid = String(body.client_id);
    const client = this.clientState.get(clientUuid);
    if (!client) return fail(400, 'E_CLIENT_NOT_FOUND', 'no such client');
    if (client.state !== 'REGISTERED') return fail(401, 'E_CLIENT_DEREGISTERED', 'the client is deregistered');
    const serial = client.serial;
    const raw = (body.schema as { raw?: { process_type?: string; process_data?: string } } | undefined)?.raw;
    const known = this.txs.get(txId);
    // A revision sent again is answered as it was; one out of order is refused.
    if (known && revision === known.revision) return send(200, known.answer);
    if ((known ? known.revision + 1 : 1) !== revision) return fail(409, 'E_PENDING_TX_CONFLICT', `expected revision ${known ? known.revision + 1 : 1}`);
    if (known && known.answer.state === 'FINISHED') return fail(400, 'E_TX_ALREADY_FINISHED', 'transaction finished');
    if (!known && body.schema !== undefined) return fail(400, 'E_TX_ILLEGAL_START', 'a transaction starts without type and data');
    if (known && (!raw?.process_type || raw.process_data === undefined)) return fail(409, 'E_TX_NO_TYPE_DEFINED', 'schema.raw is required');
    if (known?.type && raw?.process_type !== known.type) return fail(409, 'E_TX_ILLEGAL_TYPE_CHANGE', 'the type of a transaction does not change');
    const type = raw?.process_type ?? '';
    const data = Buffer.from(raw?.process_data ?? '', 'base64').toString('utf8');
    const number = known ? (known.answer.number as number) : 0;
    const r = !known ? this.sim.startTransaction(serial, '', '') : body.state === 'FINISHED' ? this.sim.finishTransaction(serial, number, data, type) : this.sim.updateTransaction(serial, number, data, type);
    const t = (iso: string) => Date.parse(iso) / 1000;
    const start = known ? (known.answer.time_start as number) : t(r.logTime);
    const answer = {
      _id: txId, _type: 'TRANSACTION', number: r.transactionNumber, state: body.state === 'FINISHED' ? 'FINISHED' : 'ACTIVE', revision, client_id: clientUuid,
      client_serial_number: serial, tss_serial_number: r.serialNumber, time_start: start, time_end: body.state === 'FINISHED' ? t(r.logTime) : null,
      signature: { value: r.signature, algorithm: 'ecdsa-plain-SHA256', counter: this.counterAsString ? String(r.signatureCounter) : r.signatureCounter, public_key: this.sim.info().publicKey },
      log: { operation: r.operation, timestamp: t(r.logTime), timestamp_format: 'unixTime' },
      qr_code_data: ['V0', serial, type, data, r.transactionNumber, r.signatureCounter, new Date(start * 1000).toISOString(), r.logTime, 'ecdsa-plain-SHA256', 'unixTime', r.signature, this.sim.info().publicKey].join(';'),
    };
    this.txs.set(txId, { revision, clientUuid, answer, type: type || known?.type || '' });
    send(200, answer);
  }

  private export(method: string, id: string, file: boolean, query: URLSearchParams, send: (s: number, b: unknown, h?: Record<string, string>) => void, fail: (s: number, e: string, m: string) => void): void {
    if (method === 'PUT') {
      this.exports.set(id, { polls: 0, query });
      return send(200, { _id: id, state: 'PENDING' });
    }
    const e = this.exports.get(id);
    if (!e) return fail(404, 'Not Found', 'no such export');
    if (!file && this.rateLimitPolls > 0) {
      this.rateLimitPolls--;
      return send(429, { status_code: 429, error: 'Too Many Requests', code: 'E_RATE_LIMIT', message: 'at most 12 requests a minute per export' }, { 'retry-after': '1' });
    }
    if (!file) return send(200, { _id: id, state: ++e.polls >= 2 ? 'COMPLETED' : 'WORKING' });
    const clientUuid = e.query.get('client_id');
    // With client_id, fiskaly ignores the other parameters.
    const from = clientUuid ? null : e.query.get('start_transaction_number');
    const to = clientUuid ? null : e.query.get('end_transaction_number');
    send(200, this.sim.exportTar({ ...(clientUuid ? { clientId: this.clients[clientUuid]! } : {}), ...(from ? { fromTransaction: Number(from) } : {}), ...(to ? { toTransaction: Number(to) } : {}) }));
  }
}
