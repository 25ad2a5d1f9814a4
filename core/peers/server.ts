/**
 * The till's peer listener: the store's other tills send it their sales here, over the protocol they
 * send HQ — `POST /v1/sales` (a signed SalesBatch, answered with a SalesAck) and `GET /v1/health` —
 * so one uploader serves both kinds of receiver. Only terminals in the store's signed roster are
 * heard: a request's signature must verify with the key the roster gives its terminal id (the same
 * check HQ makes, protocol/request-signature.ts), within a few minutes of this till's clock, and
 * never twice. What a peer sends is then checked against that terminal's journal key before it is
 * kept (`receive`: core/peers/copies.ts). A reflashed till gets the copy of its own journal back
 * (`GET /v1/copy`, protocol/peer-copy.ts) after handing over the newer roster that names its new key
 * (`POST /v1/roster`: signed by HQ, so anyone may hand it over). Nothing received is ever executed; a request that is not
 * a valid batch is refused with a reason and changes nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SalesBatchSchema, type SalesAck, type SalesBatch } from '../../protocol/hq';
import { COPY_PAGE_LIMIT, type CopyPage } from '../../protocol/peer-copy';
import { requestSignatureValid, requestTimeAcceptable, signatureHeaders } from '../../protocol/request-signature';
import type { Clock } from '../clock';
import { peerCertificate } from './tls';

/** A store peer as the signed roster names it. */
export interface PeerIdentity {
  terminalId: string;
  /** Its request-signing key (raw Ed25519, base64url), as HQ enrolled it. */
  publicKey: string;
  /** Its journal's signing key, as HQ holds it; null: not known yet (its sales cannot be checked, so none are taken). */
  journalKey: string | null;
  /** The journal keys it signed with before it was reflashed, oldest first. */
  retiredJournalKeys?: readonly string[];
}

export interface PeerServerOptions {
  host: string;
  /** 0: any free port (tests). */
  port: number;
  now: Clock;
  /** The store's peers from the signed roster, read at each request (a new roster applies at once). */
  peers: () => readonly PeerIdentity[];
  /**
   * This till as enrolled, read once for each use (null before enrollment: no handshake succeeds):
   * its terminal id (a batch addressed to another till is refused) and its request key, which its TLS
   * certificate is made for (core/peers/tls.ts).
   */
  self: () => { terminalId: string; key: KeyObject } | null;
  /** Checks and keeps a peer's batch read here; throws only when it could not be stored (answered 500, nothing acknowledged). */
  receive: (peer: PeerIdentity, batch: SalesBatch, now: Date) => SalesAck | Promise<SalesAck>;
  /** Reads, checks and keeps a batch's body off the lane's thread (core/peers/batch-host.ts), resolving once it is committed; absent: the body is read here and given to `receive`. */
  keep?: (peer: PeerIdentity, body: Buffer, now: Date) => Promise<KeepResult>;
  /** A page of the copy held of a till's own journal, for that till (reflashed, recovering): `GET /v1/copy`. */
  copy?: (terminalId: string, after: number, limit: number) => CopyPage;
  /** A signed roster a till hands over (`POST /v1/roster`: a reflashed till, whose new key the roster held here does not know yet); kept only when it verifies and is newer. */
  takeRoster?: (signed: unknown) => { ok: true } | { ok: false; reason: string };
  log?: (line: string) => void;
  /** How far a request's time may be from this till's (default 5 minutes; tills' clocks are kept by HQ). */
  maxRequestAgeMs?: number;
  /** Largest request body (default 4 MB, as HQ's). */
  bodyLimit?: number;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class PeerServer {
  private server: Server | null = null;
  /** Nonces seen within the time window (nonce → when it may be forgotten, ms): a replay is refused. */
  private readonly nonces = new Map<string, number>();
  /** Per sender, the last of its requests in turn (`inTurn`). */
  private readonly turns = new Map<string, Promise<void>>();
  /** When each peer last reached this till, and what was wrong with its last request (null: nothing). */
  readonly contacts = new Map<string, { at: string; problem: string | null }>();
  /** The till and key the certificate presented is for. */
  private tlsFor: string | null = null;

  constructor(private readonly opts: PeerServerOptions) {}

  /** Starts listening; resolves with the port. */
  async listen(): Promise<number> {
    const server = createServer({ minVersion: 'TLSv1.3' }, (req, res) => void this.serve(req, res));
    server.requestTimeout = 60_000;
    this.server = server;
    this.refreshTls();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  /** Presents a certificate for this till's current key (after enrollment, or a new one after a reflash); called at listen and each round. */
  refreshTls(): void {
    const self = this.opts.self();
    if (!this.server || !self) return;
    const { terminalId, key } = self;
    const id = `${terminalId} ${createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64')}`;
    if (this.tlsFor === id) return;
    this.server.setSecureContext({ key: key.export({ type: 'pkcs8', format: 'pem' }) as string, cert: peerCertificate(key, terminalId, this.opts.now()), minVersion: 'TLSv1.3' });
    this.tlsFor = id;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://peer');
      if (req.method === 'GET' && url.pathname === '/v1/health') return answer(200, { ok: true });
      if (req.method === 'POST' && url.pathname === '/v1/roster') return answer(200, await this.roster(req));
      if (req.method === 'GET' && url.pathname === '/v1/copy') return answer(200, await this.copy(req, url));
      if (req.method !== 'POST' || url.pathname !== '/v1/sales') throw new Refusal(404, 'NOT_FOUND', 'a store peer takes POST /v1/sales, GET /v1/copy, POST /v1/roster and GET /v1/health only');
      const self = this.opts.self()?.terminalId;
      if (!self || url.searchParams.get('to') !== self) throw new Refusal(421, 'MISDIRECTED', 'this batch is addressed to another till');
      // A peer's batches are taken in the order their requests came (two may be on the way: core/peers/send.ts).
      answer(200, await this.inTurn(signatureHeaders((n) => req.headers[n])?.terminalId ?? '', () => this.sales(req)));
    } catch (err) {
      if (err instanceof Refusal) return answer(err.status, { error: err.code, message: err.message });
      this.opts.log?.(`peers: a request could not be handled: ${err instanceof Error ? err.message : String(err)}`);
      answer(500, { error: 'INTERNAL', message: 'this till could not keep the batch; nothing was stored' });
    }
  }

  /** Who sent a request: signed by a terminal of the roster, fresh, not replayed. The body is read (and its size limited) here. */
  private async sender(req: IncomingMessage, method: 'GET' | 'POST'): Promise<{ peer: PeerIdentity; body: Buffer; now: Date; problem: (status: number, code: string, message: string) => Refusal }> {
    const h = signatureHeaders((n) => req.headers[n]);
    if (!h) throw new Refusal(401, 'UNSIGNED', 'this request must be signed by a terminal of this store');
    const peer = this.opts.peers().find((p) => p.terminalId === h.terminalId);
    if (!peer) throw new Refusal(401, 'UNKNOWN_TERMINAL', 'this terminal is not in the store’s roster');
    const body = await readBody(req, this.opts.bodyLimit ?? 4 * 1024 * 1024);
    const now = this.opts.now();
    const problem = (status: number, code: string, message: string) => {
      this.contacts.set(peer.terminalId, { at: now.toISOString(), problem: message });
      return new Refusal(status, code, message);
    };
    if (!requestTimeAcceptable(h, now, this.opts.maxRequestAgeMs ?? 5 * 60_000)) throw problem(401, 'STALE_REQUEST', 'the request time is too far from this till’s time');
    if (!requestSignatureValid(h, method, req.url ?? '', body, peer.publicKey)) throw problem(401, 'BAD_SIGNATURE', 'the request signature does not verify with the key the roster gives this terminal');
    if (!this.useNonce(h.nonce, now.getTime())) throw problem(401, 'REPLAYED', 'this request was already received');
    return { peer, body, now, problem };
  }

  /** A reflashed till asks for the copy held of its own journal: only its own, a page at a time. */
  private async copy(req: IncomingMessage, url: URL): Promise<CopyPage> {
    const { peer, now } = await this.sender(req, 'GET');
    if (!this.opts.copy) throw new Refusal(404, 'NOT_FOUND', 'this till keeps no copies');
    const after = Number(url.searchParams.get('after') ?? '0');
    const limit = Number(url.searchParams.get('limit') ?? String(COPY_PAGE_LIMIT));
    if (!Number.isSafeInteger(after) || after < 0 || !Number.isSafeInteger(limit) || limit < 0) throw new Refusal(400, 'INVALID', 'after and limit are whole numbers from 0');
    const page = this.opts.copy(peer.terminalId, after, limit);
    this.contacts.set(peer.terminalId, { at: now.toISOString(), problem: null });
    return page;
  }

  /** A newer signed roster handed over by a till (its signature, store and age are checked where it is kept). */
  private async roster(req: IncomingMessage): Promise<{ ok: true }> {
    if (!this.opts.takeRoster) throw new Refusal(404, 'NOT_FOUND', 'this till takes no roster');
    const body = await readBody(req, this.opts.bodyLimit ?? 4 * 1024 * 1024);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new Refusal(400, 'BAD_JSON', 'the body is not valid JSON');
    }
    const r = this.opts.takeRoster(json);
    // An older roster than the one held is no error to the one who handed it (it changes nothing either way).
    if (!r.ok && !r.reason.startsWith('ROLLBACK')) throw new Refusal(422, 'REFUSED', `roster not taken: ${r.reason}`);
    return { ok: true };
  }

  /** A peer's batch: who sent it (signed, in the roster, fresh, not replayed), then its content. */
  private async sales(req: IncomingMessage): Promise<SalesAck> {
    const { peer, body, now, problem } = await this.sender(req, 'POST');
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) throw problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'a batch is JSON');
    const ack = await this.kept(peer, body, now, problem);
    // A refused batch is an error to the sender (its backoff applies, its screen shows why), never an answer it would take as progress.
    if (ack.rejected.length) throw problem(422, 'REFUSED', `${ack.rejected.length} sale(s) refused: ${ack.rejected[0]!.reason}`);
    this.contacts.set(peer.terminalId, { at: now.toISOString(), problem: null });
    return ack;
  }

  /** A batch's body read, checked and kept (off the lane's thread where there is `keep`): the answer, or why it is no batch. */
  private async kept(peer: PeerIdentity, body: Buffer, now: Date, problem: (status: number, code: string, message: string) => Refusal): Promise<SalesAck> {
    if (this.opts.keep) {
      const r = await this.opts.keep(peer, body, now);
      if (!r.ok) throw problem(r.code === 'NO_JOURNAL_KEY' ? 409 : 400, r.code, r.message);
      return r.ack;
    }
    const parsed = parseBatch(body);
    if (!parsed.ok) throw problem(400, parsed.code, parsed.message);
    if (!peer.journalKey) throw problem(409, 'NO_JOURNAL_KEY', NO_JOURNAL_KEY);
    return this.opts.receive(peer, parsed.batch, now);
  }

  /** Runs `work` after every earlier request of the same sender is done (a copy takes a peer's batches in order). */
  private inTurn<T>(sender: string, work: () => Promise<T>): Promise<T> {
    const mine = (this.turns.get(sender) ?? Promise.resolve()).then(work, work);
    const done = mine.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(sender, done);
    void done.then(() => {
      if (this.turns.get(sender) === done) this.turns.delete(sender);
    });
    return mine;
  }

  /** Records a nonce; false if it was seen within the window. Forgotten nonces are older than any request still accepted. */
  private useNonce(nonce: string, nowMs: number): boolean {
    const window = 2 * (this.opts.maxRequestAgeMs ?? 5 * 60_000);
    if (this.nonces.size > 10_000) for (const [n, until] of this.nonces) if (until < nowMs) this.nonces.delete(n);
    const seen = this.nonces.get(nonce);
    if (seen !== undefined && seen >= nowMs) return false;
    this.nonces.set(nonce, nowMs + window);
    return true;
  }
}

/** Why a peer's sales are not taken before the roster gives its journal key. */
export const NO_JOURNAL_KEY = 'the roster has no journal key for this terminal yet: its sales cannot be checked';

/** A peer's batch kept off the lane's thread (its answer), or why it is no batch, or why nothing of it could be checked. */
export type KeepResult = { ok: true; ack: SalesAck } | { ok: false; code: 'BAD_JSON' | 'INVALID' | 'NO_JOURNAL_KEY'; message: string };

/** A batch's body as read: the batch, or why it is no batch. */
export type ParsedBatch = { ok: true; batch: SalesBatch } | { ok: false; code: 'BAD_JSON' | 'INVALID'; message: string };

/** Reads a batch's body: JSON, then the protocol's schema. */
export function parseBatch(body: Buffer): ParsedBatch {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, code: 'BAD_JSON', message: 'the body is not valid JSON' };
  }
  const parsed = SalesBatchSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { ok: false, code: 'INVALID', message: `${i.path.map(String).join('.') || 'body'}: ${i.message}` };
  }
  return { ok: true, batch: parsed.data };
}

/** The request body, refused (413) beyond `limit` bytes without reading the rest. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Refusal(413, 'BODY_TOO_LARGE', `a batch is at most ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
