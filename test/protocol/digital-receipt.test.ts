/** The digital receipt link's format (protocol/digital-receipt.ts) and its page (protocol/receipt-page.ts): round trips, refusals, sizes, escaping. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encode } from 'uqr';
import {
  checkReceiptText,
  decodeBase42,
  encodeBase42,
  isQrAlphanumeric,
  packEnvelope,
  parseReceiptPath,
  qrVersion,
  RECEIPT_LINK_LIMITS,
  receiptExcerpt,
  receiptLink,
  unpackEnvelope,
  type ReceiptEnvelope,
} from '../../protocol/digital-receipt';
import { badReceiptLinkHtml, receiptPageHtml } from '../../protocol/receipt-page';

const TID = 'T-0f8d3c2e-1b7a-4c7e-9a51-3f0e2d6c8b90';
const envelope = (over: Partial<ReceiptEnvelope> = {}): ReceiptEnvelope => ({
  lang: 'sv',
  excerpt: false,
  terminalId: TID,
  signature: new Uint8Array(64).map((_, i) => i),
  deflated: new Uint8Array([1, 2, 3, 250, 251]),
  ...over,
});

describe('receipt link format', () => {
  it('base42 round-trips any bytes and writes only URL-path-safe QR alphanumeric characters', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase42(bytes);
        expect(text).toMatch(/^[0-9A-Z$*+\-.:]*$/);
        expect(encodeURIComponent(text).replace(/%24|%2B|%3A/g, '')).not.toMatch(/%/); // $, + and : are fine in a path
        expect(decodeBase42(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses base42 that encodeBase42 never writes', () => {
    expect(decodeBase42('A')).toBeNull(); // a lone character
    expect(decodeBase42('abc')).toBeNull(); // lower case
    expect(decodeBase42('::::')).toBeNull(); // 41 + 41·42 + 41·42² > 65535
    expect(decodeBase42('::')).toBeNull(); // 41 + 41·42 > 255
  });

  it('packs and unpacks every kind of envelope', () => {
    for (const e of [envelope(), envelope({ terminalId: null }), envelope({ signature: null }), envelope({ lang: 'de', excerpt: true }), envelope({ lang: 'en', terminalId: null, signature: null })]) {
      const r = unpackEnvelope(packEnvelope(e));
      expect(r).toEqual({ ok: true, value: e });
    }
    expect(() => packEnvelope(envelope({ terminalId: 'lane-1' }))).toThrow();
  });

  it('builds the link on the base (scheme and host upper-cased), and parses it back from the request path', () => {
    const link = receiptLink('http://127.0.0.1:41234', envelope());
    expect(link).toMatch(/^HTTP:\/\/127\.0\.0\.1:41234\/R\/[0-9A-Z$*+\-.:]+$/);
    expect(isQrAlphanumeric(link)).toBe(true);
    expect(parseReceiptPath(new URL(link).pathname)).toEqual({ ok: true, value: envelope() });
    // HQ behind a path: the path keeps its case (the code is then bytes, not alphanumeric).
    const hq = receiptLink('https://chain.example/kassa-hq/', envelope());
    expect(hq.startsWith('HTTPS://CHAIN.EXAMPLE/kassa-hq/R/')).toBe(true);
    expect(isQrAlphanumeric(hq)).toBe(false);
    expect(parseReceiptPath(new URL(hq).pathname).ok).toBe(true);
    expect(() => receiptLink('not a url', envelope())).toThrow();
  });

  it('refuses malformed and oversized links with a reason, never an exception', () => {
    const bad = [
      '/R/',
      '/R/a',
      '/X/ABC',
      '/R/ABC/extra',
      `/R/${encodeBase42(new Uint8Array([2, 0, 1, 2, 3]))}`, // unknown version
      `/R/${encodeBase42(new Uint8Array([1, 0b100000, 1, 2, 3]))}`, // unknown flag
      `/R/${encodeBase42(new Uint8Array([1, 0b11, 1, 2, 3]))}`, // unknown language
      `/R/${encodeBase42(new Uint8Array([1, 0b10000, 1, 2, 3]))}`, // a signature that is not there
      `/R/${encodeBase42(new Uint8Array([1, 0]))}`, // no receipt
      `/R/${'0'.repeat(RECEIPT_LINK_LIMITS.maxPayloadChars + 3)}`,
    ];
    for (const path of bad) {
      const r = parseReceiptPath(path);
      expect(r.ok, path.slice(0, 40)).toBe(false);
    }
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => void parseReceiptPath(`/R/${s}`)));
  });

  it('checks the receipt text: size, lines, control and bidi characters', () => {
    expect(checkReceiptText('Kassa Demo Store\nTOTALT 12,00\n')).toBeNull();
    expect(checkReceiptText('')).toBe('empty');
    expect(checkReceiptText('a'.repeat(RECEIPT_LINK_LIMITS.maxTextBytes + 1))).toBe('too large');
    expect(checkReceiptText('a\n'.repeat(RECEIPT_LINK_LIMITS.maxLines + 1))).toBe('too many lines');
    expect(checkReceiptText('a'.repeat(RECEIPT_LINK_LIMITS.maxLineChars + 1))).toBe('a line is too long');
    expect(checkReceiptText('TOTALT\u202e00,21')).toBe('control characters');
    expect(checkReceiptText('a\u0000b')).toBe('control characters');
    expect(checkReceiptText('a\r\nb')).toBe('control characters');
  });

  it('computes the QR version uqr draws (ECC L), alphanumeric and bytes', () => {
    for (const text of ['HTTP://127.0.0.1:41234/R/ABC', 'HTTPS://HQ.EXAMPLE/R/' + 'A1$*+-.:'.repeat(120), 'https://hq.example/r/' + 'x'.repeat(900), 'Växel 6,50 €'.repeat(40)]) {
      const v = encode(isQrAlphanumeric(text) ? text : Array.from(new TextEncoder().encode(text)), { ecc: 'L' }).version;
      expect(qrVersion(text), text.slice(0, 30)).toBe(v);
    }
    expect(qrVersion('A'.repeat(5000))).toBeNull();
  });

  it('an excerpt keeps the header, the totals and the footer with its verification line and barcode', () => {
    const rule = '-'.repeat(42);
    const text = ['Kassa Demo Store', 'Kassa 1  Kvitto 7', rule, 'Mjölk   16,95', 'Bröd   39,90', rule, 'TOTALT SEK   56,85', 'Kontant   60,00', rule, 'Moms % …', rule, 'Tack för ditt köp!', '[QR] KASSA1|x', '[BARCODE] R00ff', ''].join('\n');
    const ex = receiptExcerpt(text);
    expect(ex).toContain('Kassa 1  Kvitto 7');
    expect(ex).toContain('TOTALT SEK   56,85');
    expect(ex).toContain('[QR] KASSA1|x\n[BARCODE] R00ff');
    expect(ex).not.toContain('Mjölk');
    expect(ex).not.toContain('Moms %');
  });
});

describe('receipt page', () => {
  const text = ['<script>alert(1)</script> & "Store"', '------------------------------------------', 'Ost <b>bit</b>      12,00', "[QR] KASSA1|s|1|'x'<y>", '[BARCODE] R0123456789abcdef0123456789abcdef', ''].join('\n');

  it('escapes everything it shows: no element, attribute or script comes from the link', () => {
    const html = receiptPageHtml({ lang: 'sv', text, excerpt: false, verification: { state: 'verified', store: '<s>', lane: '"1"' } });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<s>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;Store&#34;');
    expect(html).toContain('KASSA1|s|1|&#39;x&#39;&#60;y&#62;');
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('name="viewport"');
    // The return barcode as an inline SVG with its code under it.
    expect(html).toMatch(/<svg role="img" aria-label="Returkod R0123456789abcdef0123456789abcdef"[^>]*>.*<path [^>]*d="M0 0h2v60h-2z/);
    expect(html).toContain('Verifierat – utfärdat av kassa &#34;1&#34; i butik &#60;s&#62;.');
  });

  it('says "not verified" and why, in the store’s language; a bad link gets the page in all three', () => {
    expect(receiptPageHtml({ lang: 'de', text, excerpt: false, verification: { state: 'mismatch' } })).toContain('Nicht verifiziert: Der Beleg passt nicht zur Signatur der Kasse');
    expect(receiptPageHtml({ lang: 'en', text, excerpt: true, verification: { state: 'unsigned' } })).toMatch(/Not verified: the till could not sign[\s\S]*Long receipt/);
    const bad = badReceiptLinkHtml();
    expect(bad).toContain('Kvittolänken är skadad');
    expect(bad).toContain('Der Beleg-Link ist beschädigt');
    expect(bad).toContain('This receipt link is damaged');
  });
});
