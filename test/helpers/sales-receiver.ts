/**
 * A small receiving end of the signed sales protocol for tests of a terminal's sending side (a peer
 * terminal, as issue 19 has it): real HTTP on loopback; every POST /v1/sales is checked with the same
 * code HQ checks it with (protocol/request-signature.ts) against the sender's enrolled key, its nonce
 * refused if seen before, its body validated with the protocol's schema; it answers a SalesAck (the
 * highest contiguous sequence it holds or refused). It keeps what it was sent, and may refuse chosen
 * sales for good — in its acknowledgement (`rejected`, as HQ does for a sale whose chain does not
 * check) or by refusing the batch as invalid (400, as HQ does for a malformed one).
 */
import { generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { peerCertificate } from '../../core/peers/tls';
import { SalesBatchSchema, type SaleUpload, type SalesAck } from '../../protocol/hq';
import { requestSignatureValid, requestTimeAcceptable, signatureHeaders } from '../../protocol/request-signature';
import { systemClock } from '../../core/clock';
import { rawEd25519 } from '../../protocol/journal-chain';

export interface SalesReceiverOptions {
  /** Enrolled terminals' raw Ed25519 public keys (base64url) by terminal id. */
  keys: ReadonlyMap<string, string>;
  /** A sale it refuses for good: the reason, else null. */
  refuse?: (sale: SaleUpload) => string | null;
  /** How it refuses: in the acknowledgement (default), or the whole batch as invalid (400). */
  refuseAs?: 'ack' | 'invalid';
  /** Answers each batch this late (ms): requests a sender has in flight at once overlap here for sure. */
  answerDelayMs?: number;
}

export interface SalesReceiver {
  /** https://127.0.0.1:port: a peer speaks TLS (core/peers/tls.ts) … */
  url: string;
  /** … with a certificate for this key (raw Ed25519, base64url), which a sender pins. */
  key: string;
  port: number;
  /** The sales held, by sequence. */
  held: Map<number, SaleUpload>;
  /** How many times each sequence arrived in a batch it took. */
  arrivals: Map<number, number>;
  /** Sequences refused for good. */
  refused: Set<number>;
  /** Requests refused before their body was looked at (signature, time, replay), by code. */
  unsigned: string[];
  /** The most requests it was answering at once. */
  maxConcurrent: number;
  /** Stops answering (connections refused) … */
  stop(): Promise<void>;
  /** … and answers again on the same port, holding what it held. */
  start(): Promise<void>;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function listenSalesReceiver(opts: SalesReceiverOptions): Promise<SalesReceiver> {
  const nonces = new Set<string>();
  const r: Omit<SalesReceiver, 'url' | 'key' | 'port' | 'stop' | 'start' | 'close'> = { held: new Map(), arrivals: new Map(), refused: new Set(), unsigned: [], maxConcurrent: 0 };
  let concurrent = 0;

  const sales = (body: Buffer, req: IncomingMessage): { status: number; body: unknown } => {
    const s = signatureHeaders((n) => req.headers[n]);
    const key = s ? opts.keys.get(s.terminalId) : undefined;
    const refusal = !s
      ? { status: 401, code: 'UNSIGNED', message: 'this request must be signed' }
      : !key
        ? { status: 401, code: 'UNKNOWN_TERMINAL', message: 'unknown terminal' }
        : !requestTimeAcceptable(s, systemClock(), 24 * 3600_000)
          ? { status: 401, code: 'STALE_REQUEST', message: 'the request time is too far from this receiver’s time' }
          : !requestSignatureValid(s, req.method!, req.url!, body, key)
            ? { status: 401, code: 'BAD_SIGNATURE', message: 'the request signature does not verify' }
            : null;
    if (refusal) {
      r.unsigned.push(refusal.code);
      return { status: refusal.status, body: { error: refusal.code, message: refusal.message } };
    }
    if (nonces.has(s!.nonce)) {
      r.unsigned.push('REPLAYED');
      return { status: 401, body: { error: 'REPLAYED', message: 'this request was already received' } };
    }
    nonces.add(s!.nonce);
    const parsed = SalesBatchSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!parsed.success) return { status: 400, body: { error: 'INVALID', message: parsed.error.issues[0]!.message } };
    const rejected: SalesAck['rejected'] = [];
    for (const sale of parsed.data.sales) {
      const reason = opts.refuse?.(sale) ?? null;
      if (reason && opts.refuseAs === 'invalid' && parsed.data.sales.length > 1) return { status: 400, body: { error: 'INVALID', message: `sale ${sale.sequence}: ${reason}` } };
      if (reason && opts.refuseAs === 'invalid') {
        // Refused for good on its own: counted as done, so the acknowledgement passes it once the sender sets it aside.
        r.refused.add(sale.sequence);
        return { status: 400, body: { error: 'INVALID', message: `sale ${sale.sequence}: ${reason}` } };
      }
      if (reason) rejected.push({ sequence: sale.sequence, reason });
    }
    for (const sale of parsed.data.sales) {
      r.arrivals.set(sale.sequence, (r.arrivals.get(sale.sequence) ?? 0) + 1);
      if (rejected.some((x) => x.sequence === sale.sequence)) r.refused.add(sale.sequence);
      else if (!r.held.has(sale.sequence)) r.held.set(sale.sequence, sale);
    }
    let through = 0;
    while (r.held.has(through + 1) || r.refused.has(through + 1)) through++;
    const ack: SalesAck = { ackedThrough: through, accepted: parsed.data.sales.length - rejected.length, duplicates: 0, rejected, gaps: [] };
    return { status: 200, body: ack };
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    r.maxConcurrent = Math.max(r.maxConcurrent, ++concurrent);
    res.on('close', () => concurrent--);
    void (async () => {
      const body = await readBody(req);
      if (req.method === 'GET' && req.url === '/v1/health') return answer(res, 200, { ok: true });
      if (req.method === 'POST' && new URL(req.url!, 'http://peer').pathname === '/v1/sales') {
        if (opts.answerDelayMs) await new Promise((ok) => setTimeout(ok, opts.answerDelayMs));
        const a = sales(body, req);
        return answer(res, a.status, a.body);
      }
      answer(res, 404, { error: 'NOT_FOUND', message: 'no such path' });
    })().catch((err: unknown) => answer(res, 500, { error: 'INTERNAL', message: String(err) }));
  };
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const tls = { key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, cert: peerCertificate(privateKey, 'sales-receiver', systemClock()), minVersion: 'TLSv1.3' as const };
  const key = rawEd25519(publicKey);
  let server = createServer(tls, handle);
  const listen = (port: number) => new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  await listen(0);
  const port = (server.address() as { port: number }).port;
  const stop = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  return Object.assign(r, {
    url: `https://127.0.0.1:${port}`,
    key,
    port,
    stop,
    start: () => {
      server = createServer(tls, handle);
      return listen(port);
    },
    close: stop,
  });
}
