/**
 * GET /R/<payload> at HQ: the digital receipt page for the link an enrolled lane put in its QR code
 * (protocol/digital-receipt.ts, protocol/receipt-page.ts). The link carries the receipt, so HQ needs
 * nothing from the lane but the key it enrolled with: the page works while the store cannot reach
 * HQ, and before the sale is uploaded. HQ checks the link's signature with that terminal's public
 * key and says whether it is verified. No token (it only renders what the link carries); a
 * malformed or oversized link gets a 400 page; nothing received is executed, stored or logged.
 */
import { createHash, verify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkReceiptText, parseReceiptPath, RECEIPT_DICTIONARY_V1, RECEIPT_LINK_LIMITS, signedMessage, type ReceiptEnvelope } from '../protocol/digital-receipt';
import { badReceiptLinkHtml, RECEIPT_PAGE_STYLE, receiptPageCsp, receiptPageHtml, type ReceiptVerification } from '../protocol/receipt-page';
import type { HqStore } from './store';
import { ed25519PublicKey } from '../protocol/journal-chain';

const DICTIONARY = Buffer.from(RECEIPT_DICTIONARY_V1, 'utf8');
const CSP = receiptPageCsp(createHash('sha256').update(RECEIPT_PAGE_STYLE).digest('base64'));

/** The receipt text of an envelope, inflated within the size limit, valid UTF-8 and checked; null otherwise. */
function inflate(env: ReceiptEnvelope): string | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(inflateRawSync(env.deflated, { dictionary: DICTIONARY, maxOutputLength: RECEIPT_LINK_LIMITS.maxTextBytes }));
    return checkReceiptText(text) === null ? text : null;
  } catch {
    return null;
  }
}


/** The signature checked with the key the terminal enrolled with. */
async function verification(store: HqStore, env: ReceiptEnvelope, text: string): Promise<ReceiptVerification> {
  if (!env.signature) return { state: 'unsigned' };
  if (!env.terminalId) return { state: 'unknownTill' };
  const t = await store.terminal(env.terminalId);
  if (!t) return { state: 'unknownTill' };
  // A withdrawn terminal's key may be in the wrong hands: nothing it signs is vouched for.
  if (t.revoked_at) return { state: 'revoked' };
  const digest = createHash('sha256').update(signedMessage(env, text)).digest();
  let ok = false;
  try {
    ok = verify(null, digest, ed25519PublicKey(t.public_key), env.signature);
  } catch {
    ok = false;
  }
  return ok ? { state: 'verified', store: t.store_id, lane: t.lane_id } : { state: 'mismatch' };
}

async function answer(store: HqStore, url: string): Promise<{ status: number; body: string }> {
  try {
    const parsed = parseReceiptPath(new URL(url, 'http://hq.invalid').pathname);
    const text = parsed.ok ? inflate(parsed.value) : null;
    if (!parsed.ok || text === null) return { status: 400, body: badReceiptLinkHtml() };
    const env = parsed.value;
    return { status: 200, body: receiptPageHtml({ lang: env.lang, text, excerpt: env.excerpt, verification: await verification(store, env, text) }) };
  } catch {
    return { status: 400, body: badReceiptLinkHtml() };
  }
}

/** Serves the receipt pages at /R/… (and /r/…). */
export function registerReceiptPages(app: FastifyInstance, store: HqStore): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const a = await answer(store, req.url);
    return reply
      .status(a.status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex')
      .send(a.body);
  };
  app.get('/R/*', handler);
  app.get('/r/*', handler);
}
