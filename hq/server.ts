/**
 * HQ's HTTP API (Fastify): enrollment with a one-time token, sales ingest from terminals that sign
 * every request with their own Ed25519 key (replays refused by nonce), and fleet status / token
 * issuing for HQ staff behind an admin token. Bodies are size-limited and validated against the
 * protocol schemas; every refusal is a 4xx with a clear message, and nothing is stored.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { EnrollRequestSchema, SalesBatchSchema } from '../protocol/hq';
import { requestSignatureValid, requestTimeAcceptable, signatureHeaders } from '../protocol/request-signature';
import { CheckinSchema } from '../protocol/catalog';
import { z } from 'zod';
import { payloadPath } from './catalog';
import { isPublishedBundle, osBundleFile, osOffer } from './os-release';
import { HqError, type HqStore } from './store';
import { isStoreId } from './store-id';
import { FLEET_CSS, FLEET_HTML, FLEET_JS } from './fleet-page';
import { registerReceiptPages } from './receipt-page';
import { recoveryPage } from './recovery';
import { listStaff, removeStaff, setStaff, staffVersions } from './staff';
import { issueBadge, revokeBadges } from './staff-badges';
import { setStoreLegal, storeLegalAdmin } from './store-legal';
import { RECOVERY_PAGE_LIMIT } from '../protocol/hq-recovery';
import { attentionSummary, byAttention, DEFAULT_FLEET_THRESHOLDS, terminalProblems, type FleetThresholds } from './fleet-problems';

export interface HqServerOptions {
  store: HqStore;
  /** Bearer token for HQ staff endpoints (fleet, tokens, revocation). */
  adminToken: string;
  bodyLimit?: number;
  logger?: boolean;
  /** Signed requests older or newer than this are refused (ms). */
  maxRequestAgeMs?: number;
  /** Where published catalog payloads are (see hq/catalog.ts). */
  catalogDir?: string;
  /** When a lane needs attention on the fleet page (stale, behind, old catalog, never sold). */
  thresholds?: Partial<FleetThresholds>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body as received (its SHA-256 is what the terminal signed). */
    rawBody?: Buffer;
    terminalId?: string;
  }
}


/** A change to an operator at HQ: the PIN only when it is set or changed (never sent back). */
const StaffPutSchema = z.object({ name: z.string().max(60), role: z.string().max(20), pin: z.string().max(8).optional() }).strict();

export async function buildHqServer(opts: HqServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: opts.bodyLimit ?? 4 * 1024 * 1024 });
  const { store } = opts;

  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    (req as FastifyRequest).rawBody = body as Buffer;
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(Object.assign(new Error('The body is not valid JSON.'), { statusCode: 400, code: 'BAD_JSON' }), undefined);
    }
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err instanceof HqError) return reply.status(err.status).send({ error: err.code, message: err.message });
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) app.log.error(err);
    const code = status === 413 ? 'BODY_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : (err.code ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'));
    return reply.status(status).send({ error: code, message: status >= 500 ? 'HQ could not handle this request; nothing was stored.' : err.message });
  });

  const admin = (req: FastifyRequest) => {
    const h = req.headers.authorization ?? '';
    const want = Buffer.from(`Bearer ${opts.adminToken}`);
    const got = Buffer.from(h);
    if (got.length !== want.length || !timingSafeEqual(got, want)) throw new HqError(401, 'UNAUTHORIZED', 'HQ staff token required');
  };

  /** Verifies a terminal's signed request; sets req.terminalId. */
  /** `nonceLater`: the caller records the nonce itself, inside its own transaction (sales ingest). */
  const signed = async (req: FastifyRequest, nonceLater = false): Promise<string> => {
    const h = signatureHeaders((n) => req.headers[n]);
    if (!h) throw new HqError(401, 'UNSIGNED', 'this request must be signed by an enrolled terminal');
    const { terminalId, nonce } = h;
    const t = await store.terminal(terminalId);
    if (!t) throw new HqError(401, 'UNKNOWN_TERMINAL', 'unknown terminal');
    if (t.revoked_at) throw new HqError(403, 'REVOKED', 'this terminal has been revoked');
    if (!requestTimeAcceptable(h, store.now(), opts.maxRequestAgeMs ?? 24 * 3600_000)) throw new HqError(401, 'STALE_REQUEST', 'the request time is too far from HQ time');
    if (!requestSignatureValid(h, req.method, req.url, req.rawBody ?? '', t.public_key)) throw new HqError(401, 'BAD_SIGNATURE', 'the request signature does not verify');
    if (!nonceLater && !(await store.useNonce(terminalId, nonce))) throw new HqError(401, 'REPLAYED', 'this request was already received');
    req.terminalId = terminalId;
    return nonce;
  };

  const parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, body: unknown): T => {
    const r = schema.safeParse(body);
    if (!r.success) {
      const i = r.error.issues[0]!;
      throw new HqError(400, 'INVALID', `${i.path.map(String).join('.') || 'body'}: ${i.message}`);
    }
    return r.data;
  };

  app.get('/v1/health', async () => ({ ok: true }));

  // The fleet page (static; data comes from /v1/fleet with the staff token).
  const page = (type: string, text: string) => (_req: FastifyRequest, reply: import('fastify').FastifyReply) =>
    reply
      .header('content-type', type)
      .header('content-security-policy', "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
      .header('x-content-type-options', 'nosniff')
      .send(text);
  app.get('/', page('text/html; charset=utf-8', FLEET_HTML));
  app.get('/fleet.js', page('text/javascript; charset=utf-8', FLEET_JS));
  app.get('/fleet.css', page('text/css; charset=utf-8', FLEET_CSS));

  // Digital receipt links from enrolled lanes (no token: the page renders what the link carries).
  registerReceiptPages(app, store);

  app.post('/v1/enroll', async (req) => store.enroll(parse(EnrollRequestSchema, req.body)));

  app.post('/v1/sales', async (req) => {
    const nonce = await signed(req, true);
    const batch = parse(SalesBatchSchema, req.body);
    return store.ingest(req.terminalId!, batch, store.now(), nonce);
  });

  // A store peer sends the sales of a till that has not sent them itself (wiped, dead): only a till
  // of the same store may, and the sales are checked against the original till's own chain and key.
  app.post<{ Params: { id: string } }>('/v1/peers/:id/sales', async (req) => {
    await signed(req);
    const [relayer, origin] = await Promise.all([store.terminal(req.terminalId!), store.terminal(req.params.id)]);
    if (!origin || !relayer || origin.store_id !== relayer.store_id || origin.terminal_id === relayer.terminal_id) throw new HqError(403, 'NOT_A_PEER', 'only another till of the same store may send a till’s sales');
    if (origin.revoked_at) throw new HqError(403, 'REVOKED', 'that till has been revoked: nobody may send sales for it');
    const batch = parse(SalesBatchSchema, req.body);
    return store.ingest(origin.terminal_id, batch, store.now(), undefined, relayer.terminal_id);
  });

  // A reflashed till that no store peer can help gets its own sales back (protocol/hq-recovery.ts).
  app.get<{ Querystring: { after?: string; limit?: string } }>('/v1/recovery/sales', async (req) => {
    await signed(req);
    return recoveryPage(store, req.terminalId!, Number(req.query.after ?? 0), Number(req.query.limit ?? RECOVERY_PAGE_LIMIT));
  });

  // Check-in: the terminal's state for the fleet view; the answer offers the newest catalog and carries the store roster
  // (and, to a terminal that said which OS it runs, the newest OS bundle when it is newer: hq/os-release.ts).
  app.post('/v1/checkin', async (req) => {
    await signed(req);
    const c = parse(CheckinSchema, req.body);
    const answer = await store.checkin(req.terminalId!, c);
    return c.os ? { ...answer, os: osOffer(opts.catalogDir, c.os) } : answer;
  });

  // A published OS bundle, by its hash (the signed OS manifest names it).
  app.get<{ Params: { hash: string } }>('/v1/os/bundle/:hash', async (req, reply) => {
    await signed(req);
    const { hash } = req.params;
    if (!opts.catalogDir || !isPublishedBundle(opts.catalogDir, hash)) throw new HqError(404, 'NOT_FOUND', 'no such OS bundle');
    const file = osBundleFile(opts.catalogDir, hash);
    return reply.header('content-type', 'application/octet-stream').header('content-length', statSync(file).size).send(createReadStream(file));
  });

  // A published catalog payload, by its hash (the signed manifest names it).
  app.get<{ Params: { hash: string } }>('/v1/catalog/payload/:hash', async (req, reply) => {
    await signed(req);
    const { hash } = req.params;
    if (!/^[0-9a-f]{64}$/.test(hash) || !opts.catalogDir || !(await store.isPublishedPayload(hash))) throw new HqError(404, 'NOT_FOUND', 'no such catalog payload');
    const file = payloadPath(opts.catalogDir, hash);
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new HqError(404, 'NOT_FOUND', 'the catalog payload is missing at HQ');
    }
    return reply.header('content-type', 'application/gzip').header('content-length', size).send(createReadStream(file));
  });

  app.post('/v1/admin/enrollment-tokens', async (req) => {
    admin(req);
    const b = req.body as { storeId?: unknown; laneId?: unknown; reflash?: unknown } | null;
    if (typeof b?.storeId !== 'string' || !isStoreId(b.storeId) || typeof b.laneId !== 'string' || !/^[\w-]{1,16}$/.test(b.laneId)) throw new HqError(400, 'INVALID', 'storeId and laneId are required');
    // `reflash: true`: for the terminal enrolled for the lane, provisioned again (hq/reflash.ts).
    return { token: await store.createEnrollmentToken(b.storeId, b.laneId, undefined, undefined, { reflash: b.reflash === true }) };
  });

  // The store's staff (hq/staff.ts): store IT adds, changes and removes operators; terminals get them at check-in.
  app.get<{ Params: { store: string } }>('/v1/admin/staff/:store', async (req) => {
    admin(req);
    return { staff: await listStaff(store.sql, req.params.store) };
  });
  app.put<{ Params: { store: string; id: string } }>('/v1/admin/staff/:store/:id', async (req) => {
    admin(req);
    const b = parse(StaffPutSchema, req.body);
    return { revision: await setStaff(store.sql, { storeId: req.params.store, id: req.params.id, ...b }, store.now()) };
  });
  app.delete<{ Params: { store: string; id: string } }>('/v1/admin/staff/:store/:id', async (req) => {
    admin(req);
    if (!(await removeStaff(store.sql, req.params.store, req.params.id, store.now()))) throw new HqError(404, 'NOT_FOUND', 'no such operator on that staff');
    return { removed: req.params.id };
  });
  // Badges (hq/staff-badges.ts): issued at HQ, they work at every till of the store; the code is in this answer only.
  app.post<{ Params: { store: string; id: string } }>('/v1/admin/staff/:store/:id/badges', async (req) => {
    admin(req);
    return issueBadge(store.sql, req.params.store, req.params.id, store.now());
  });
  app.delete<{ Params: { store: string; id: string } }>('/v1/admin/staff/:store/:id/badges', async (req) => {
    admin(req);
    return revokeBadges(store.sql, req.params.store, req.params.id, store.now());
  });

  // The store's record (hq/store-legal.ts): its legal particulars, signed to its terminals at check-in; HQ's record wins over a till's own.
  app.get<{ Params: { store: string } }>('/v1/admin/stores/:store/legal', async (req) => {
    admin(req);
    const kept = await storeLegalAdmin(store.sql, req.params.store, store.now());
    if (!kept) throw new HqError(404, 'NOT_FOUND', 'HQ keeps no particulars for that store');
    const { updatedAt: _, ...answer } = kept;
    return answer;
  });
  app.put<{ Params: { store: string } }>('/v1/admin/stores/:store/legal', async (req) => {
    admin(req);
    return { version: await setStoreLegal(store.sql, req.params.store, req.body, store.now()) };
  });

  app.post<{ Params: { id: string } }>('/v1/admin/terminals/:id/revoke', async (req) => {
    admin(req);
    if (!(await store.revoke(req.params.id))) throw new HqError(404, 'NOT_FOUND', 'no such active terminal');
    return { revoked: req.params.id };
  });

  // The head of a terminal's journal chain HQ has checked: the anchor its journal verifier takes.
  app.get<{ Params: { id: string } }>('/v1/admin/terminals/:id/anchor', async (req) => {
    admin(req);
    const t = await store.terminal(req.params.id);
    if (!t) throw new HqError(404, 'NOT_FOUND', 'no such terminal');
    return { terminalId: t.terminal_id, seq: Number(t.chain_seq), hash: t.chain_hash, alert: t.chain_alert };
  });

  // The fleet with each lane's problems (HQ's clock and thresholds), problem lanes first.
  const thresholds: FleetThresholds = { ...DEFAULT_FLEET_THRESHOLDS, ...opts.thresholds };
  app.get('/v1/fleet', async (req) => {
    admin(req);
    const now = store.now();
    const latest = await store.latestCatalog();
    const catalog = latest ? { version: latest.version, publishedAt: latest.published_at, items: latest.items } : null;
    const staffOf = await staffVersions(store.sql);
    const terminals = (await store.fleet()).map((t) => ({ ...t, problems: terminalProblems(t, catalog, now, thresholds, staffOf(t.store_id)) }));
    const attention = attentionSummary(terminals.filter((t) => !t.revoked_at).map((t) => t.problems));
    return { now: now.toISOString(), thresholds, catalog, attention, terminals: byAttention(terminals) };
  });

  return app;
}
