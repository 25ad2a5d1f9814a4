/**
 * Digital receipts, the core's side: the link a customer who chose "digital" scans
 * (protocol/digital-receipt.ts has its format). The receipt text is deflated with the format's
 * dictionary and signed: by the terminal's HQ key when the lane is enrolled (the link then points
 * at HQ, which knows that key), else by its journal key (the link points at this store's core).
 * A link is made with the sale (inside its transaction) and never stops it: any failure gives no
 * link, logged without the link or the receipt.
 */
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  checkReceiptText,
  linkableTerminalId,
  MAX_QR_VERSION,
  qrVersion,
  RECEIPT_DICTIONARY_V1,
  RECEIPT_LINK_LIMITS,
  receiptExcerpt,
  receiptLink,
  signedMessage,
  type ReceiptEnvelope,
  type ReceiptLang,
} from '../../protocol/digital-receipt';
import type { Profile } from '../../protocol/terminal';
import type { Db } from '../db';
import type { Journal } from '../journal';
import { HqLinkRepo } from '../sync/repo';

const DICTIONARY = Buffer.from(RECEIPT_DICTIONARY_V1, 'utf8');

/**
 * The digital receipt page's own words (protocol/receipt-page.ts): sv, de or en — its link's format
 * has two bits for the language. A Danish, Norwegian or Finnish receipt's text is in its language;
 * the page around it is in English.
 */
export function receiptLangOf(profile: Pick<Profile, 'receiptLang'>): ReceiptLang {
  const lang = profile.receiptLang;
  return lang === 'sv' || lang === 'de' || lang === 'en' ? lang : 'en';
}

export function deflateReceipt(text: string): Buffer {
  return deflateRawSync(Buffer.from(text, 'utf8'), { level: 9, dictionary: DICTIONARY });
}

/** The text a link carries, inflated within the size limit and checked, or why it is refused (never throws). */
export function inflateReceipt(deflated: Uint8Array): { ok: true; text: string } | { ok: false; reason: string } {
  let text: string;
  try {
    const bytes = inflateRawSync(deflated, { dictionary: DICTIONARY, maxOutputLength: RECEIPT_LINK_LIMITS.maxTextBytes });
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'does not inflate' };
  }
  const bad = checkReceiptText(text);
  return bad ? { ok: false, reason: bad } : { ok: true, text };
}

/** What a receipt link's signature covers, hashed (the till signs these 32 bytes). */
export function receiptDigest(e: Pick<ReceiptEnvelope, 'lang' | 'excerpt' | 'terminalId'>, text: string): Buffer {
  return createHash('sha256').update(signedMessage(e, text)).digest();
}

export interface ReceiptSigner {
  /** HQ's id of this terminal when HQ is to check the signature; null when the store's core does. */
  terminalId: string | null;
  /** Signs a digest; null when it cannot (a hardware signer that is out). */
  sign(digest: Buffer): Uint8Array | null;
}

function envelopeOf(text: string, excerpt: boolean, lang: ReceiptLang, signer: ReceiptSigner): ReceiptEnvelope {
  const head = { lang, excerpt, terminalId: signer.terminalId };
  return { ...head, signature: signer.sign(receiptDigest(head, text)), deflated: deflateReceipt(text) };
}

/** The link of a receipt: whole when its QR code stays within MAX_QR_VERSION, else its excerpt. */
export function buildReceiptLink(text: string, o: { base: string; lang: ReceiptLang; signer: ReceiptSigner }): string {
  const whole = receiptLink(o.base, envelopeOf(text, false, o.lang, o.signer));
  if ((qrVersion(whole) ?? Infinity) <= MAX_QR_VERSION) return whole;
  return receiptLink(o.base, envelopeOf(receiptExcerpt(text), true, o.lang, o.signer));
}

export interface DigitalReceiptOptions {
  db: Db;
  journal: Journal;
  lang: ReceiptLang;
  /** Where this core serves /R for the store (the attendant listener's address, else the API's), once it listens. */
  storeBase: () => string | null;
  log?: (line: string) => void;
}

/**
 * The lane's digital receipt links: HQ's public URL and the terminal's HQ key when the lane is
 * enrolled (read at each sale, so provisioning a running lane takes effect), else the store's own
 * address and the journal key.
 */
export function digitalReceiptLinker(o: DigitalReceiptOptions): (receiptText: string) => string | null {
  const links = new HqLinkRepo(o.db);
  let cached: { terminalId: string; key: KeyObject } | null = null;
  const journalSigner: ReceiptSigner = {
    terminalId: null,
    sign: (digest) => {
      const s = o.journal.signDigest(digest);
      return s ? Buffer.from(s.signature, 'base64') : null;
    },
  };
  return (receiptText) => {
    try {
      const hq = links.get();
      if (hq) {
        if (cached?.terminalId !== hq.terminalId) cached = { terminalId: hq.terminalId, key: createPrivateKey({ key: Buffer.from(hq.privateKey, 'base64'), format: 'der', type: 'pkcs8' }) };
        const key = cached.key;
        const signer: ReceiptSigner = linkableTerminalId(hq.terminalId) ? { terminalId: hq.terminalId, sign: (d) => sign(null, d, key) } : { terminalId: null, sign: () => null };
        return buildReceiptLink(receiptText, { base: hq.hqUrl, lang: o.lang, signer });
      }
      const base = o.storeBase();
      return base ? buildReceiptLink(receiptText, { base, lang: o.lang, signer: journalSigner }) : null;
    } catch (err) {
      o.log?.(`digital receipt link not made: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  };
}

/**
 * The store's own base for receipt links: the attendant listener's address (on the store's
 * network); a wildcard host is replaced by this machine's first non-internal IPv4 address, if any.
 */
export function storeBaseUrl(host: string, port: number): string {
  let h = host;
  if (h === '0.0.0.0' || h === '::' || h === '') {
    const found = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    h = found?.address ?? '127.0.0.1';
  }
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}
