/**
 * The terminal's link to HQ: enrollment (the terminal makes its own Ed25519 key pair and enrolls
 * with a one-time token), and requests signed with that key. Nothing HQ sends is ever executed:
 * answers are parsed as data against the protocol schemas.
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { EnrollResponseSchema, HealthSchema, SIGNATURE_HEADERS, signingString, type EnrollRequest, type EnrollResponse } from '../../protocol/hq';
import type { Db } from '../db';
import { systemClock, type Clock } from '../clock';
import { loadOrCreateTerminalSigner } from '../journal/signer';
import { HqLinkRepo } from './repo';
import { RosterRepo } from '../peers/roster';
import { StaffListRepo } from '../operators/staff';
import { forgetStoreRecord } from '../markets/store-legal';
import { RecoveryPending } from '../peers/recovery-pending';
import { rawEd25519 } from '../../protocol/journal-chain';

export interface HqLink {
  hqUrl: string;
  terminalId: string;
  storeId: string;
  laneId: string;
  privateKey: KeyObject;
  /** HQ's roster key pinned at enrollment (raw Ed25519, base64url): store rosters are trusted only signed with it. */
  rosterKey?: string | null;
  /** The core's clock: the time each request is signed with. */
  now: Clock;
}

export class HqRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function loadHqLink(db: Db, now: Clock = systemClock): HqLink | null {
  const r = new HqLinkRepo(db).get();
  if (!r) return null;
  return {
    hqUrl: r.hqUrl,
    terminalId: r.terminalId,
    storeId: r.storeId,
    laneId: r.laneId,
    privateKey: createPrivateKey({ key: Buffer.from(r.privateKey, 'base64'), format: 'der', type: 'pkcs8' }),
    rosterKey: r.rosterKey ?? null,
    now,
  };
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new HqRequestError(res.status, 'BAD_RESPONSE', `HQ answered ${res.status} with something that is not JSON (${text.length} bytes)`);
  }
}

/**
 * Enrolls this terminal with HQ using a one-time token; stores the link and the key. `expect`: the
 * store and lane the provisioning file names; HQ refuses a token for another (and so does this, before
 * anything is stored, should HQ not have checked).
 */
export async function enroll(db: Db, hqUrl: string, token: string, softwareVersion: string, fetchFn: typeof fetch = fetch, now: Clock = systemClock, expect?: EnrollRequest['expect']): Promise<EnrollResponse> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const rawPublic = rawEd25519(publicKey);
  const res = await fetchFn(new URL('/v1/enroll', hqUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // The journal's key too (made now if the terminal has none yet): HQ checks every sale's entry with it.
    body: JSON.stringify({ token, publicKey: rawPublic, journalKey: rawEd25519(loadOrCreateTerminalSigner(db, now).publicKeyPem), softwareVersion, ...(expect && (expect.storeId || expect.laneId) ? { expect } : {}) }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = await readJson(res);
  if (!res.ok) {
    const e = body as { error?: string; message?: string };
    throw new HqRequestError(res.status, e.error ?? 'ERROR', e.message ?? `HQ refused the enrollment (${res.status})`);
  }
  const r = EnrollResponseSchema.parse(body);
  if (expect?.storeId !== undefined && expect.storeId !== r.storeId) throw new HqRequestError(409, 'WRONG_STORE', `HQ enrolled this terminal for store ${r.storeId}, not store ${expect.storeId} as the provisioning file says; nothing was kept`);
  if (expect?.laneId !== undefined && expect.laneId !== r.laneId) throw new HqRequestError(409, 'WRONG_LANE', `HQ enrolled this terminal for lane ${r.laneId}, not lane ${expect.laneId} as the provisioning file says; nothing was kept`);
  // A new identity (perhaps another store or another HQ): the roster held for the old one goes; HQ's roster key is pinned with the link.
  const roster = new RosterRepo(db);
  const pending = new RecoveryPending(db);
  const staff = new StaffListRepo(db);
  const before = new HqLinkRepo(db).get();
  db.transaction(() => {
    roster.clear();
    // Another store's (or another HQ's) staff list is no longer this terminal's: its version goes, and
    // a terminal moved to another store keeps none of the old store's operators (the new store's come at check-in).
    staff.clear();
    if (before && before.storeId !== r.storeId) staff.deactivateAll();
    forgetStoreRecord(db); // the store's particulars: the new HQ's record comes at the first check-in
    // A reflashed till sells nothing until its journal is back (core/peers/recover.ts); any other enrollment waits for nothing.
    if (r.reflash) pending.put(r.reflash, now().toISOString());
    else pending.clear();
    new HqLinkRepo(db).put({
      hqUrl: new URL(hqUrl).toString(),
      terminalId: r.terminalId,
      storeId: r.storeId,
      laneId: r.laneId,
      privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      publicKey: rawPublic,
      enrolledAt: now().toISOString(),
      rosterKey: r.rosterKey,
    });
  })();
  return r;
}

function signedHeaders(link: HqLink, method: string, path: string, body: Uint8Array | string): Record<string, string> {
  const time = link.now().toISOString();
  const nonce = randomBytes(18).toString('base64url');
  const hash = createHash('sha256').update(body).digest('hex');
  const signature = sign(null, Buffer.from(signingString(method, path, time, nonce, hash)), link.privateKey).toString('base64url');
  return {
    [SIGNATURE_HEADERS.terminal]: link.terminalId,
    [SIGNATURE_HEADERS.time]: time,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: signature,
  };
}

async function send(link: HqLink, method: 'GET' | 'POST', path: string, body: Uint8Array | undefined, fetchFn: typeof fetch, timeoutMs: number): Promise<Response> {
  try {
    return await fetchFn(new URL(path, link.hqUrl), {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...signedHeaders(link, method, path, body ?? '') },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new HqRequestError(0, 'NETWORK', `HQ unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function refusal(res: Response): Promise<HqRequestError> {
  const e = (await readJson(res).catch(() => ({}))) as { error?: string; message?: string };
  return new HqRequestError(res.status, e.error ?? 'ERROR', e.message ?? `HQ answered ${res.status}`);
}

/** POSTs JSON to HQ, signed with the terminal's key; returns the parsed answer or throws HqRequestError. */
export async function signedPost(link: HqLink, path: string, payload: unknown, fetchFn: typeof fetch = fetch, timeoutMs = 30_000): Promise<unknown> {
  return signedPostJson(link, path, Buffer.from(JSON.stringify(payload)), fetchFn, timeoutMs);
}

/** The same with the JSON already encoded (the uploader sizes its batches by their bytes): the bytes hashed for the signature are the bytes sent. */
export async function signedPostJson(link: HqLink, path: string, json: Uint8Array, fetchFn: typeof fetch = fetch, timeoutMs = 30_000): Promise<unknown> {
  const res = await send(link, 'POST', path, json, fetchFn, timeoutMs);
  if (!res.ok) throw await refusal(res);
  return readJson(res);
}

/** A signed GET; the response (body unread) when HQ answered 2xx, else HqRequestError. */
export async function signedGet(link: HqLink, path: string, fetchFn: typeof fetch = fetch, timeoutMs = 30_000): Promise<Response> {
  const res = await send(link, 'GET', path, undefined, fetchFn, timeoutMs);
  if (!res.ok) throw await refusal(res);
  return res;
}

/**
 * Whether HQ answers at all: an unsigned GET /v1/health with a short timeout. The uploader asks this
 * every few seconds while HQ is out of reach, instead of sending whole batches into a dead link; it
 * costs HQ no signature check and no nonce, and the signed batch that follows checks the rest.
 */
export async function probeHq(hqUrl: string, fetchFn: typeof fetch = fetch, timeoutMs = 1_500): Promise<boolean> {
  try {
    const res = await fetchFn(new URL('/v1/health', hqUrl), { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok && HealthSchema.safeParse(await res.json()).success;
  } catch {
    return false;
  }
}
