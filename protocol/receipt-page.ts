/**
 * The digital receipt page a phone opens from the QR code (served by the store's core and by HQ,
 * one page for both): the receipt as monospace text in the store's language, the return barcode
 * as an inline SVG Code 128, the verification line, and whether the signature was verified. Every
 * piece of text is HTML-escaped; the page has no scripts and loads nothing (served with
 * receiptPageCsp()). Pure: no Node imports.
 */
import { code128Path } from './code128';
import { splitReceipt, type ReceiptLang } from './digital-receipt';

/** What the server found when it checked the link's signature. */
export type ReceiptVerification =
  | { state: 'verified'; store: string; lane: string }
  | { state: 'unsigned' | 'mismatch' | 'unknownTill' | 'revoked' };

const WORDS = {
  sv: {
    title: 'Kvitto',
    verified: 'Verifierat – utfärdat av kassa {lane} i butik {store}.',
    unsigned: 'Inte verifierat: kassan kunde inte signera kvittot. Be butiken om en utskrift.',
    mismatch: 'Inte verifierat: kvittot stämmer inte med kassans signatur – det kan ha ändrats.',
    unknownTill: 'Inte verifierat: kassan som utfärdade kvittot är okänd här.',
    revoked: 'Inte verifierat: kassan som utfärdade kvittot är avregistrerad.',
    returnCode: 'Returkod',
    returnHint: 'Visa koden i kassan vid byte eller retur.',
    verification: 'Verifieringsrad',
    excerpt: 'Långt kvitto: här visas summan och koderna. Hela kvittot finns hos butiken.',
  },
  de: {
    title: 'Beleg',
    verified: 'Verifiziert – ausgestellt von Kasse {lane}, Filiale {store}.',
    unsigned: 'Nicht verifiziert: Die Kasse konnte den Beleg nicht signieren. Fragen Sie im Geschäft nach einem Ausdruck.',
    mismatch: 'Nicht verifiziert: Der Beleg passt nicht zur Signatur der Kasse – er wurde möglicherweise verändert.',
    unknownTill: 'Nicht verifiziert: Die ausstellende Kasse ist hier nicht bekannt.',
    revoked: 'Nicht verifiziert: Die ausstellende Kasse ist abgemeldet.',
    returnCode: 'Rückgabecode',
    returnHint: 'Zeigen Sie den Code bei Umtausch oder Rückgabe an der Kasse.',
    verification: 'Prüfzeile',
    excerpt: 'Langer Beleg: Hier stehen Summe und Codes. Den vollständigen Beleg hat das Geschäft.',
  },
  en: {
    title: 'Receipt',
    verified: 'Verified – issued by till {lane} of store {store}.',
    unsigned: 'Not verified: the till could not sign this receipt. Ask the store for a printed copy.',
    mismatch: 'Not verified: this receipt does not match the till’s signature – it may have been changed.',
    unknownTill: 'Not verified: the till that issued this receipt is not known here.',
    revoked: 'Not verified: the till that issued this receipt has been withdrawn.',
    returnCode: 'Return code',
    returnHint: 'Show this code at the till to exchange or return an item.',
    verification: 'Verification line',
    excerpt: 'Long receipt: the total and the codes are shown here. The store keeps the whole receipt.',
  },
} as const;

/** The page's only style, inline: its SHA-256 goes into the CSP (receiptPageCsp). */
export const RECEIPT_PAGE_STYLE = [
  ':root{color-scheme:light}',
  'body{margin:0;background:#f3f3f0;color:#111;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
  'main{max-width:30rem;margin:0 auto;padding:12px}',
  'h1{font-size:1.25rem;margin:.25rem 0 .75rem}',
  'h2{font-size:1rem;margin:0 0 .4rem}',
  '.status,.note{padding:.6rem .75rem;border-radius:8px;margin:0 0 .75rem}',
  '.status{font-weight:600}',
  '.ok{background:#e3f4e6;border:1px solid #2e7d32}',
  '.bad{background:#fdecea;border:1px solid #c62828}',
  '.note{background:#fff8e1;border:1px solid #b7880b}',
  'section{background:#fff;border:1px solid #ccc;border-radius:4px;padding:10px 8px;margin:0 0 .75rem}',
  'pre{margin:0;font:clamp(9px,calc((100vw - 50px) / 25.5),15px)/1.35 ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;white-space:pre;overflow-x:auto}',
  '.barcode svg{display:block;width:100%;height:72px}',
  '.code{font-family:ui-monospace,Menlo,Consolas,monospace;text-align:center;margin:.25rem 0}',
  '.hint{font-size:.9rem;margin:0;color:#444}',
  '.line{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem;overflow-wrap:anywhere;word-break:break-all;margin:0;color:#333}',
].join('\n');

/** The page's Content-Security-Policy, given the base64 SHA-256 of RECEIPT_PAGE_STYLE: nothing but that style. */
export function receiptPageCsp(styleSha256Base64: string): string {
  return `default-src 'none'; style-src 'sha256-${styleSha256Base64}'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fillIn(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');
}

function page(lang: ReceiptLang | 'en', title: string, body: string): string {
  return [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${RECEIPT_PAGE_STYLE}</style></head>`,
    `<body><main>${body}</main></body></html>`,
  ].join('\n');
}

/** The return barcode as inline SVG (null when the code is not Code 128 text). */
function barcodeSvg(code: string, label: string): string | null {
  const bars = code128Path(code, 60);
  if (!bars) return null;
  const quiet = 10;
  const w = bars.modules + 2 * quiet;
  return `<svg role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${w} 60" preserveAspectRatio="none" shape-rendering="crispEdges"><rect width="${w}" height="60" fill="#fff"/><path transform="translate(${quiet} 0)" d="${bars.d}" fill="#000"/></svg>`;
}

export interface ReceiptPageInput {
  lang: ReceiptLang;
  /** The receipt text as the link carried it (or the store's full copy of an excerpt). */
  text: string;
  /** Only an excerpt could be shown (a long receipt, read where its full copy is not). */
  excerpt: boolean;
  verification: ReceiptVerification;
}

/** The receipt page (HTML), everything in it escaped. */
export function receiptPageHtml(p: ReceiptPageInput): string {
  const w = WORDS[p.lang];
  const { lines, verification, barcode } = splitReceipt(p.text);
  const storeName = lines.find((l) => l.trim() !== '')?.trim() ?? '';
  const v = p.verification;
  const status = v.state === 'verified' ? fillIn(w.verified, { lane: v.lane, store: v.store }) : w[v.state];
  const parts = [
    `<h1>${escapeHtml(w.title)}</h1>`,
    `<p class="status ${v.state === 'verified' ? 'ok' : 'bad'}" role="status" data-testid="receipt-status" data-state="${v.state}">${escapeHtml(status)}</p>`,
    p.excerpt ? `<p class="note" data-testid="receipt-excerpt">${escapeHtml(w.excerpt)}</p>` : '',
    `<section aria-label="${escapeHtml(w.title)}"><pre data-testid="receipt-text">${escapeHtml(lines.join('\n'))}</pre></section>`,
  ];
  if (barcode) {
    const svg = barcodeSvg(barcode, `${w.returnCode} ${barcode}`);
    parts.push(
      `<section class="barcode" data-testid="return-barcode"><h2>${escapeHtml(w.returnCode)}</h2>${svg ?? ''}<p class="code">${escapeHtml(barcode)}</p><p class="hint">${escapeHtml(w.returnHint)}</p></section>`,
    );
  }
  if (verification) parts.push(`<section><h2>${escapeHtml(w.verification)}</h2><p class="line" data-testid="verification-line">${escapeHtml(verification)}</p></section>`);
  return page(p.lang, storeName ? `${w.title} – ${storeName}` : w.title, parts.filter(Boolean).join('\n'));
}

/** The 400 page for a link that is damaged, too long or not a receipt link (the language is unknown: all three). */
export function badReceiptLinkHtml(): string {
  const body = [
    '<h1>Kvitto · Beleg · Receipt</h1>',
    '<p class="status bad" lang="sv">Kvittolänken är skadad eller ofullständig. Skanna koden igen, eller be butiken om en utskrift.</p>',
    '<p class="status bad" lang="de">Der Beleg-Link ist beschädigt oder unvollständig. Scannen Sie den Code erneut oder fragen Sie im Geschäft nach einem Ausdruck.</p>',
    '<p class="status bad" lang="en">This receipt link is damaged or incomplete. Scan the code again, or ask the store for a printed copy.</p>',
  ].join('\n');
  return page('en', 'Kvitto · Beleg · Receipt', body);
}
