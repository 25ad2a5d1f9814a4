/**
 * GET /R/<payload> on the core's listeners (the Terminal API's and the attendant's): the digital
 * receipt page for a link this store issued (protocol/receipt-page.ts). It needs no token: it only
 * renders what the link carries, checked against this terminal's own keys; for the excerpt of a
 * long receipt it shows the store's full copy, but only when the link's signature verifies and its
 * verification line is that copy's. A malformed or oversized link gets a 400 page; nothing received
 * is ever executed, stored or logged.
 */
import { createHash, verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseReceiptPath, splitReceipt, type ReceiptEnvelope } from '../../protocol/digital-receipt';
import { badReceiptLinkHtml, RECEIPT_PAGE_STYLE, receiptPageCsp, receiptPageHtml, type ReceiptVerification } from '../../protocol/receipt-page';
import type { Db } from '../db';
import { verifySignature } from '../journal/signer';
import { JournalRepo } from '../journal/repo';
import { HqLinkRepo } from '../sync/repo';
import { ReceiptRepo } from './repo';
import { inflateReceipt, receiptDigest } from './digital';
import { ed25519PublicKey } from '../../protocol/journal-chain';

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': receiptPageCsp(createHash('sha256').update(RECEIPT_PAGE_STYLE).digest('base64')),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex',
};

/** Whether a request path is a receipt link's. */
export function isReceiptPath(path: string): boolean {
  return /^\/[Rr]\//.test(path);
}

export interface ReceiptPageAnswer {
  status: number;
  body: string;
}


export class ReceiptPages {
  private readonly links: HqLinkRepo;
  private readonly journal: JournalRepo;
  private readonly receipts: ReceiptRepo;

  constructor(
    db: Db,
    private readonly identity: { storeId: string; laneId: string },
  ) {
    this.links = new HqLinkRepo(db);
    this.journal = new JournalRepo(db);
    this.receipts = new ReceiptRepo(db);
  }

  /** The page for a request path (never throws: anything unexpected is a 400 page). */
  answer(path: string): ReceiptPageAnswer {
    try {
      const parsed = parseReceiptPath(path);
      if (!parsed.ok) return { status: 400, body: badReceiptLinkHtml() };
      const env = parsed.value;
      const text = inflateReceipt(env.deflated);
      if (!text.ok) return { status: 400, body: badReceiptLinkHtml() };
      const verification = this.verify(env, text.text);
      const full = env.excerpt && verification.state === 'verified' ? this.fullCopy(text.text) : null;
      return { status: 200, body: receiptPageHtml({ lang: env.lang, text: full ?? text.text, excerpt: env.excerpt && !full, verification }) };
    } catch {
      return { status: 400, body: badReceiptLinkHtml() };
    }
  }

  /** Answers a GET/HEAD for a receipt path; false when the path is not one. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (!isReceiptPath(path)) return false;
    const a = this.answer(path);
    const body = Buffer.from(a.body, 'utf8');
    res.writeHead(a.status, { ...PAGE_HEADERS, 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }

  /** Checks the link's signature with this terminal's keys: its HQ key when it names a terminal, else its journal keys. */
  private verify(env: ReceiptEnvelope, text: string): ReceiptVerification {
    if (!env.signature) return { state: 'unsigned' };
    const digest = receiptDigest(env, text);
    const verified: ReceiptVerification = { state: 'verified', store: this.identity.storeId, lane: this.identity.laneId };
    if (env.terminalId !== null) {
      const hq = this.links.get();
      if (!hq || hq.terminalId !== env.terminalId) return { state: 'unknownTill' };
      return verify(null, digest, ed25519PublicKey(hq.publicKey), env.signature) ? verified : { state: 'mismatch' };
    }
    const sig = Buffer.from(env.signature);
    return this.journal.keys().some((k) => verifySignature(k.publicKeyPem, digest, sig)) ? verified : { state: 'mismatch' };
  }

  /** This store's full copy of an excerpt's receipt: found by its return barcode, and only if its verification line is the excerpt's. */
  private fullCopy(excerpt: string): string | null {
    const { barcode, verification } = splitReceipt(excerpt);
    const m = barcode ? /^R([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/.exec(barcode) : null;
    if (!m || !verification) return null;
    const text = this.receipts.saleReceipt(m.slice(1).join('-'));
    if (text === null) return null;
    return splitReceipt(text).verification === verification ? text : null;
  }
}
