/**
 * A local HTTP server that speaks the shape of fiskaly SIGN DE's API v2 (auth, TSS, transactions
 * with revisions, exports), signing with the real TSE simulator — so a client's answers carry
 * signatures the independent verifier can check. Its faults are switches: down (503), tokens
 * expired (401), answers that are not the API's shape.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TseSimulator } from '../../core/fiscal/tse/simulator';

interface Tx {
  revision: number;
  clientUuid: string;
  answer: Record<string, unknown>;
}

export class FiskalyTestServer {
  readonly requests: string[] = [];
  down = false;
  garbage = false;
  private tokens = new Set<string>();
  private readonly txs = new Map<string, Tx>();
  private readonly exports = new Map<string, { polls: number; query: URLSearchParams }>();
  private server: Server | null = null;
  private n = 0;

  constructor(
    private readonly sim: TseSimulator,
    readonly tssId: string,
    /** fiskaly client UUID → the till's serial number (the TSE's client id). */
    private readonly clients: Record<string, string>,
    private readonly credentials = { api_key: 'test_key', api_secret: 'test_secret' },
  ) {}

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
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': Buffer.isBuffer(body) ? 'application/x-tar' : 'application/json' });
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
    if (!this.tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return fail(401, 'Unauthorized', 'no valid token');
    if (p[0] !== 'tss' || p[1] !== this.tssId) return fail(404, 'Not Found', 'no such TSS');
    if (this.garbage) return send(200, { hello: 'world' });
    const info = this.sim.info();
    if (req.method === 'GET' && p.length === 2) return send(200, { _id: this.tssId, state: 'INITIALIZED', serial_number: info.serialNumber, public_key: info.publicKey, signature_algorithm: 'ecdsa-plain-SHA256' });
    if (req.method === 'PUT' && p[2] === 'tx' && p[3]) return this.transaction(p[3], Number(url.searchParams.get('tx_revision')), body, send, fail);
    if (p[2] === 'export' && p[3]) return this.export(req.method!, p[3], p[4] === 'file', url.searchParams, send, fail);
    return fail(404, 'Not Found', 'no such route');
  }

  private transaction(txId: string, revision: number, body: Record<string, unknown>, send: (s: number, b: unknown) => void, fail: (s: number, e: string, m: string) => void): void {
    const clientUuid = String(body.client_id);
    const serial = this.clients[clientUuid];
    if (!serial) return fail(404, 'Not Found', 'no such client');
    const raw = (body.schema as { raw?: { process_type?: string; process_data?: string } } | undefined)?.raw;
    if (!raw?.process_type || raw.process_data === undefined) return fail(400, 'Bad Request', 'schema.raw is required');
    const data = Buffer.from(raw.process_data, 'base64').toString('utf8');
    const known = this.txs.get(txId);
    // A revision sent again is answered as it was; one out of order is refused.
    if (known && revision === known.revision) return send(200, known.answer);
    if ((known ? known.revision + 1 : 1) !== revision) return fail(409, 'Conflict', `expected revision ${known ? known.revision + 1 : 1}`);
    if (known && known.answer.state === 'FINISHED') return fail(400, 'Bad Request', 'transaction finished');
    const number = known ? (known.answer.number as number) : 0;
    const r = !known ? this.sim.startTransaction(serial, data, raw.process_type) : body.state === 'FINISHED' ? this.sim.finishTransaction(serial, number, data, raw.process_type) : this.sim.updateTransaction(serial, number, data, raw.process_type);
    const t = (iso: string) => Date.parse(iso) / 1000;
    const start = known ? (known.answer.time_start as number) : t(r.logTime);
    const answer = {
      _id: txId, _type: 'TRANSACTION', number: r.transactionNumber, state: body.state === 'FINISHED' ? 'FINISHED' : 'ACTIVE', revision, client_id: clientUuid,
      client_serial_number: serial, tss_serial_number: r.serialNumber, time_start: start, time_end: body.state === 'FINISHED' ? t(r.logTime) : null,
      signature: { value: r.signature, algorithm: 'ecdsa-plain-SHA256', counter: r.signatureCounter, public_key: this.sim.info().publicKey },
      log: { operation: r.operation, timestamp: t(r.logTime), timestamp_format: 'unixTime' },
      qr_code_data: ['V0', serial, raw.process_type, data, r.transactionNumber, r.signatureCounter, new Date(start * 1000).toISOString(), r.logTime, 'ecdsa-plain-SHA256', 'unixTime', r.signature, this.sim.info().publicKey].join(';'),
    };
    this.txs.set(txId, { revision, clientUuid, answer });
    send(200, answer);
  }

  private export(method: string, id: string, file: boolean, query: URLSearchParams, send: (s: number, b: unknown) => void, fail: (s: number, e: string, m: string) => void): void {
    if (method === 'PUT') {
      this.exports.set(id, { polls: 0, query });
      return send(200, { _id: id, state: 'PENDING' });
    }
    const e = this.exports.get(id);
    if (!e) return fail(404, 'Not Found', 'no such export');
    if (!file) return send(200, { _id: id, state: ++e.polls >= 2 ? 'COMPLETED' : 'WORKING' });
    const clientUuid = e.query.get('client_id');
    const from = e.query.get('start_transaction_number');
    const to = e.query.get('end_transaction_number');
    send(200, this.sim.exportTar({ ...(clientUuid ? { clientId: this.clients[clientUuid]! } : {}), ...(from ? { fromTransaction: Number(from) } : {}), ...(to ? { toTransaction: Number(to) } : {}) }));
  }
}
